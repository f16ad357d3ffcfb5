/* Per-handle event delivery (see listener.h). */
#include "listener.h"

#include "behaviour.h"
#include "scheduler.h"
#include "util/utf16.h"

#include <stdlib.h>
#include <string.h>

struct sim_event_node {
    sim_event_node *next;
    HCS_EVENT_TYPE type;
    char *data;
    uint64_t operation;
};

void hcssim__listener_init(sim_listener *l, hcs_object *owner, sim_listen_kind kind)
{
    memset(l, 0, sizeof *l);
    l->owner = owner;
    l->kind = kind;
    hcs__cond_init(&l->idle);
}

static void free_node(sim_event_node *n)
{
    free(n->data);
    free(n);
}

void hcssim__listener_destroy(sim_listener *l)
{
    while (l->head) {
        sim_event_node *n = l->head;
        l->head = n->next;
        free_node(n);
    }
    hcs__cond_destroy(&l->idle);
}

/* Bits the emulated build accepts (§11 #37). By default every bit an SDK
 * defines: hcsshim registers EnableLiveMigrationEvents on every build it
 * supports (hcs-newest §2.1; inferred for 1809-21H2). VmLifecycle and
 * LiveMigration enable event groups the simulator never raises: it has no
 * live migration, and no VmLifecycle payload is published. */
bool hcssim__listener_options_valid(HCS_EVENT_OPTIONS options)
{
    unsigned known = HcsEventOptionEnableOperationCallbacks;
    if (!hcssim__event_options_of_build_only())
        known |= (unsigned)HCS_EVENT_OPTION_VM_LIFECYCLE | (unsigned)HCS_EVENT_OPTION_LIVE_MIGRATION;
    return ((unsigned)options & ~known) == 0;
}

HRESULT hcssim__listener_register(sim_listener *l, HCS_EVENT_OPTIONS options, const void *context,
                                  HCS_EVENT_CALLBACK callback)
{
    if (!callback || !hcssim__listener_options_valid(options))
        return E_INVALIDARG;
    if (l->callback)
        return HCS_E_OPERATION_SYSTEM_CALLBACK_ALREADY_SET;
    l->callback = callback;
    l->options = options;
    l->context = context;
    return S_OK;
}

bool hcssim__listener_wants_operations(const sim_listener *l)
{
    return l->callback && !l->closed && (l->options & HcsEventOptionEnableOperationCallbacks);
}

/* Which events a handle receives (§11 #34, #35, #38); the event groups
 * only when their option enabled them (hcs-newest §5 #19, #25). */
static bool accepts(sim_listener *l, HCS_EVENT_TYPE type, bool repeat)
{
    if (!l->callback || l->closed)
        return false;
    if (l->kind == SIM_LISTEN_OPERATION)
        return type == HCS_EVENT_GROUP_OPERATION_INFO && (l->options & HcsOperationOptionProgressUpdate);
    if (type == HCS_EVENT_GROUP_OPERATION_INFO)
        return false;
    if (type == HCS_EVENT_GROUP_VM_LIFECYCLE)
        return l->kind == SIM_LISTEN_SYSTEM && (l->options & HCS_EVENT_OPTION_VM_LIFECYCLE);
    if (type == HCS_EVENT_GROUP_LIVE_MIGRATION)
        return l->kind == SIM_LISTEN_SYSTEM && (l->options & HCS_EVENT_OPTION_LIVE_MIGRATION);
    bool for_process = l->kind == SIM_LISTEN_PROCESS;
    switch (type) {
    case HcsEventProcessExited:
        return for_process;
    case HcsEventOperationCallback:
        return hcssim__listener_wants_operations(l);
    case HcsEventSystemExited:
        if (for_process || (l->exit_seen && !repeat))
            return false;
        l->exit_seen = true;
        return true;
    case HcsEventServiceDisconnect:
        if (l->disconnect_seen && !repeat)
            return false;
        l->disconnect_seen = true;
        return true;
    case HcsEventInvalid:
        return false;
    default:
        return !for_process;
    }
}

/* Calls the client for one event; the engine lock is not held. */
static void deliver(HCS_EVENT_CALLBACK cb, void *context, const sim_event_node *n)
{
    uint16_t *data = NULL;
    if (n->data && hcs__utf8_to_utf16(n->data, &data) != 0)
        data = NULL;
    HCS_EVENT event = {
        .Type = n->type,
        .EventData = (PCWSTR)data,
        .Operation = (HCS_OPERATION)sim_handle_value(n->operation),
    };
    cb(&event, context);
    free(data);
}

static void drain(void *arg)
{
    sim_listener *l = arg;
    sim_engine *e = hcssim__engine_get();
    hcs__mutex_lock(&e->mu);
    l->drainer = hcs__thread_self();
    while (l->head && !l->closed) {
        sim_event_node *n = l->head;
        l->head = n->next;
        if (!l->head)
            l->tail = NULL;
        HCS_EVENT_CALLBACK cb = l->callback;
        void *context = (void *)(uintptr_t)l->context;
        hcs__mutex_unlock(&e->mu);
        deliver(cb, context, n);
        free_node(n);
        hcs__mutex_lock(&e->mu);
    }
    l->draining = false;
    l->drainer = 0;
    hcs__cond_broadcast(&l->idle);
    hcs_object *owner = l->owner;
    hcs__mutex_unlock(&e->mu);
    hcs_object_release(owner);
}

void hcssim__listener_post(sim_listener *l, HCS_EVENT_TYPE type, const char *data, uint64_t operation, bool repeat)
{
    if (!accepts(l, type, repeat))
        return;
    sim_event_node *n = calloc(1, sizeof *n);
    if (!n)
        return;
    n->type = type;
    n->operation = operation;
    n->data = data ? strdup(data) : NULL;
    if (l->tail)
        l->tail->next = n;
    else
        l->head = n;
    l->tail = n;
    if (l->draining)
        return;
    l->draining = true;
    hcs_object_retain(l->owner);
    if (hcssim__dispatch(drain, l) != 0) {
        l->draining = false;
        hcs_object_release(l->owner);
    }
}

void hcssim__listener_close(sim_listener *l)
{
    l->closed = true;
    uint64_t self = hcs__thread_self();
    while (l->draining && l->drainer != self)
        hcs__cond_wait(&l->idle, &hcssim__engine_get()->mu);
}

void hcssim__listener_flush(sim_listener *l)
{
    uint64_t self = hcs__thread_self();
    while (l->draining && !l->closed && l->drainer != self)
        hcs__cond_wait(&l->idle, &hcssim__engine_get()->mu);
}
