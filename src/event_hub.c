/* Event fan-out and exit latches (see event_hub.h, hcs/event.h). */
#include "event_hub.h"

#include "cq.h"
#include "error_internal.h"
#include "handles.h"
#include "hcssim/computecore_abi.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

struct event_sub {
    hcs_object base;
    event_sub *next;
    event_hub *hub;      /* valid while listed; the hub's owner is referenced */
    hcs_object *owner;
    hcs_event_callback callback;
    hcs_cq cq;
    void *user_data;
    uint64_t id;
    bool listed;
};

void event_hub_init(event_hub *hub, hcs_object *owner)
{
    memset(hub, 0, sizeof *hub);
    hcs_mutex_init(&hub->mu);
    hcs_cond_init(&hub->changed);
    hub->owner = owner;
    hub->next_check = hcs_clock_ms() + EVENT_HUB_CHECK_MS;
}

void event_hub_destroy(event_hub *hub)
{
    free(hub->exit_doc);
    hcs_cond_destroy(&hub->changed);
    hcs_mutex_destroy(&hub->mu);
}

/* ---- typed events ------------------------------------------------------- */

static hcs_event_type type_of(uint32_t raw)
{
    switch (raw) {
    case HcsEventSystemExited:
        return HCS_EVENT_SYSTEM_EXITED;
    case HcsEventSystemCrashInitiated:
        return HCS_EVENT_SYSTEM_CRASH_INITIATED;
    case HcsEventSystemCrashReport:
        return HCS_EVENT_SYSTEM_CRASH_REPORT;
    case HcsEventSystemGuestConnectionClosed:
        return HCS_EVENT_GUEST_CONNECTION_CLOSED;
    case HcsEventProcessExited:
        return HCS_EVENT_PROCESS_EXITED;
    case HcsEventServiceDisconnect:
        return HCS_EVENT_SERVICE_DISCONNECT;
    default:
        return HCS_EVENT_OTHER;
    }
}

static const char *const exit_types[] = {"None", "GracefulExit", "ForcedExit", "UnexpectedExit", "Unknown"};

/* Fills the typed payload from the JSON (hcs-api §4.1, §8.8). */
static void parse_payload(hcs_event *e)
{
    json_t *doc = e->data ? json_loads(e->data, 0, NULL) : NULL;
    if (e->type == HCS_EVENT_SYSTEM_EXITED) {
        e->exit_status = (int32_t)json_integer_value(json_object_get(doc, "Status"));
        const char *t = json_string_value(json_object_get(doc, "ExitType"));
        for (size_t i = 0; t && i < sizeof exit_types / sizeof exit_types[0]; i++)
            if (strcmp(t, exit_types[i]) == 0)
                e->exit_type = exit_types[i];
    } else if (e->type == HCS_EVENT_PROCESS_EXITED) {
        e->process_id = (uint32_t)json_integer_value(json_object_get(doc, "ProcessId"));
        json_t *code = json_object_get(doc, "ExitCode");
        /* An exit code counts only when HCS says the wait worked (hcs-api
         * §4.1; hcsshim-and-peers §6 #26: never report an unknown exit as 0). */
        e->exit_code_known = json_is_true(json_object_get(doc, "Exited")) && json_is_integer(code) &&
                             json_integer_value(json_object_get(doc, "LastWaitResult")) == 0;
        e->exit_code = (uint32_t)json_integer_value(code);
    }
    json_decref(doc);
}

void event_parse(uint32_t raw_type, const char *data, hcs_event *out)
{
    memset(out, 0, sizeof *out);
    out->type = type_of(raw_type);
    out->raw_type = raw_type;
    out->data = data;
    parse_payload(out);
}

static void make_event(const event_hub *hub, uint32_t raw, const char *data, hcs_event *e)
{
    event_parse(raw, data, e);
    e->system = hub->system;
    e->process = hub->process;
}

bool hcs_result_event(const hcs_result *result, hcs_event *out)
{
    if (!result || !out || !result->event_type)
        return false;
    event_parse((uint32_t)result->event_type, result->document, out);
    out->system = result->system;
    out->process = result->process;
    return true;
}

/* ---- subscriptions ------------------------------------------------------ */

static void destroy_sub(hcs_object *o)
{
    event_sub *s = (event_sub *)o;
    hcs_object_release(s->owner);
    free(s);
}

int32_t event_hub_subscribe(event_hub *hub, hcs_event_callback callback, hcs_cq cq, void *user_data,
                            hcs_subscription *out, hcs_error *err)
{
    const char *name = hub->process.id ? "hcs_process_subscribe" : "hcs_system_subscribe";
    if (!out)
        return hcs_fail(err, HCS_COM_E_POINTER, name, "out is NULL");
    out->id = 0;
    if (!callback == !cq.id)
        return hcs_fail(err, HCS_COM_E_INVALIDARG, name, "give exactly one of a callback and a completion queue");
    event_sub *s = calloc(1, sizeof *s);
    if (!s)
        return hcs_fail(err, HCS_COM_E_OUTOFMEMORY, name, "out of memory");
    hcs_object_init(&s->base, destroy_sub);
    hcs_object_retain(hub->owner);
    s->owner = hub->owner;
    s->hub = hub;
    s->callback = callback;
    s->cq = cq;
    s->user_data = user_data;
    s->id = hcs_table_insert(hcs_handles(), HCS_KIND_SUBSCRIPTION, &s->base);
    hcs_mutex_lock(&hub->mu);
    bool closed = hub->closed;
    if (!closed && s->id) {
        s->listed = true;
        s->next = hub->subs;
        hub->subs = s;
        hcs_object_retain(&s->base); /* the list's */
    }
    hcs_mutex_unlock(&hub->mu);
    hcs_object_release(&s->base); /* the table holds it */
    if (closed || !s->id) {
        hcs_object_release(hcs_table_remove(hcs_handles(), s->id, HCS_KIND_SUBSCRIPTION));
        return closed ? hcs_fail(err, HCS_WIN32_E_INVALID_HANDLE, name, "the handle is closed")
                      : hcs_fail(err, HCS_COM_E_OUTOFMEMORY, name, "out of memory");
    }
    out->id = s->id;
    return hcs_succeed(err);
}

/* With hub->mu held: takes s out of the list; waits for a delivery on
 * another thread to end so that no callback runs afterwards. */
static void unlist(event_hub *hub, event_sub *s)
{
    if (!s->listed)
        return;
    for (event_sub **at = &hub->subs; *at; at = &(*at)->next)
        if (*at == s) {
            *at = s->next;
            break;
        }
    s->listed = false;
    while (hub->delivering && hub->delivering != hcs_thread_self())
        hcs_cond_wait(&hub->changed, &hub->mu);
    hcs_object_release(&s->base); /* the list's; the caller still holds one */
}

void hcs_unsubscribe(hcs_subscription sub)
{
    event_sub *s = (event_sub *)hcs_table_remove(hcs_handles(), sub.id, HCS_KIND_SUBSCRIPTION);
    if (!s)
        return;
    event_hub *hub = s->hub;
    hcs_mutex_lock(&hub->mu);
    unlist(hub, s);
    hcs_mutex_unlock(&hub->mu);
    hcs_object_release(&s->base);
}

/* ---- delivery ----------------------------------------------------------- */

static void queue_event(const event_hub *hub, const event_sub *s, uint32_t raw, const char *data)
{
    hcs_cq_obj *q = hcs_cq_acquire(s->cq);
    if (!q)
        return;
    hcs_result r;
    hcs_result_init(&r);
    r.call = "event";
    r.event_type = (int)raw;
    r.document = data ? strdup(data) : NULL;
    r.system = hub->system;
    r.process = hub->process;
    r.user_data = s->user_data;
    hcs_cq_push(q, &r);
    hcs_cq_release(q);
}

/* Delivers to every subscriber, one event at a time per hub: HCS calls
 * back per handle in order, and this keeps that order. A subscriber that
 * leaves meanwhile is skipped; hcs_unsubscribe on another thread waits for
 * the delivery to end. */
static void fan_out(event_hub *hub, uint32_t raw, const char *data)
{
    hcs_event e;
    make_event(hub, raw, data, &e);
    hcs_mutex_lock(&hub->mu);
    while (hub->delivering)
        hcs_cond_wait(&hub->changed, &hub->mu);
    hub->delivering = hcs_thread_self();
    size_t n = 0;
    for (event_sub *s = hub->subs; s; s = s->next)
        n++;
    event_sub **subs = calloc(n ? n : 1, sizeof(event_sub *));
    size_t k = 0;
    for (event_sub *s = hub->subs; s && subs; s = s->next) {
        hcs_object_retain(&s->base);
        subs[k++] = s;
    }
    hcs_mutex_unlock(&hub->mu);
    for (size_t i = 0; i < k; i++) {
        hcs_mutex_lock(&hub->mu);
        bool live = subs[i]->listed;
        hcs_mutex_unlock(&hub->mu);
        if (live && subs[i]->callback)
            subs[i]->callback(&e, subs[i]->user_data);
        else if (live)
            queue_event(hub, subs[i], raw, data);
        hcs_object_release(&subs[i]->base);
    }
    free(subs);
    hcs_mutex_lock(&hub->mu);
    hub->delivering = 0;
    hcs_cond_broadcast(&hub->changed);
    hcs_mutex_unlock(&hub->mu);
}

void event_hub_mark_exited(event_hub *hub, const char *exit_doc)
{
    hcs_mutex_lock(&hub->mu);
    if (!hub->exited) {
        hub->exited = true;
        hub->exit_doc = exit_doc ? strdup(exit_doc) : NULL;
    }
    hcs_cond_broadcast(&hub->changed);
    hcs_mutex_unlock(&hub->mu);
}

void event_hub_post(event_hub *hub, uint32_t raw, const char *data)
{
    if (raw == HcsEventSystemExited || raw == HcsEventProcessExited)
        event_hub_mark_exited(hub, data);
    if (raw == HcsEventServiceDisconnect) {
        hcs_mutex_lock(&hub->mu);
        hub->disconnected = true;
        hcs_cond_broadcast(&hub->changed);
        hcs_mutex_unlock(&hub->mu);
    }
    fan_out(hub, raw, data);
}

int32_t event_hub_wait(event_hub *hub, uint32_t timeout_ms, char **doc)
{
    *doc = NULL;
    uint64_t deadline = hcs_deadline_after(timeout_ms);
    hcs_mutex_lock(&hub->mu);
    while (!hub->exited && !hub->disconnected && !hub->closed &&
           hcs_cond_wait_until(&hub->changed, &hub->mu, deadline)) {
    }
    int32_t hr = hub->exited         ? HCS_OK
                 : hub->closed       ? HCS_WIN32_E_INVALID_HANDLE
                 : hub->disconnected ? HCS_E_SERVICE_DISCONNECT
                                     : HCS_E_OPERATION_TIMEOUT;
    if (hr == HCS_OK && hub->exit_doc)
        *doc = strdup(hub->exit_doc);
    hcs_mutex_unlock(&hub->mu);
    return hr;
}

/* Whether a check is due; if so the next one is put off a period. */
static bool check_due(event_hub *hub)
{
    uint64_t now = hcs_clock_ms();
    hcs_mutex_lock(&hub->mu);
    bool due = now >= hub->next_check;
    if (due)
        hub->next_check = now + EVENT_HUB_CHECK_MS;
    hcs_mutex_unlock(&hub->mu);
    return due;
}

int32_t event_hub_wait_checked(event_hub *hub, uint32_t timeout_ms, bool (*check)(void *ctx, char **doc),
                               void *ctx, char **doc)
{
    uint64_t deadline = hcs_deadline_after(timeout_ms);
    for (;;) {
        uint64_t now = hcs_clock_ms();
        uint64_t left = deadline > now ? deadline - now : 0;
        int32_t hr = event_hub_wait(hub, (uint32_t)(left < EVENT_HUB_CHECK_MS ? left : EVENT_HUB_CHECK_MS), doc);
        if (hr != HCS_E_OPERATION_TIMEOUT)
            return hr;
        char *found = NULL;
        if (check_due(hub) && check(ctx, &found)) {
            event_hub_mark_exited(hub, found);
            free(found);
            return event_hub_wait(hub, 0, doc);
        }
        free(found);
        if (hcs_clock_ms() >= deadline)
            return hr;
    }
}

const char *event_hub_wait_failure(int32_t hr)
{
    switch (hr) {
    case HCS_E_OPERATION_TIMEOUT:
        return "it did not exit in time";
    case HCS_E_SERVICE_DISCONNECT:
        return "the compute service connection was lost";
    default:
        return "the handle was closed while waiting";
    }
}

void event_hub_close(event_hub *hub)
{
    hcs_mutex_lock(&hub->mu);
    hub->closed = true;
    hcs_cond_broadcast(&hub->changed);
    while (hub->subs) {
        event_sub *s = hub->subs;
        hcs_object *entry = hcs_table_remove(hcs_handles(), s->id, HCS_KIND_SUBSCRIPTION);
        hcs_object_retain(&s->base);
        unlist(hub, s);
        hcs_mutex_unlock(&hub->mu);
        hcs_object_release(entry);
        hcs_object_release(&s->base);
        hcs_mutex_lock(&hub->mu);
    }
    while (hub->delivering && hub->delivering != hcs_thread_self())
        hcs_cond_wait(&hub->changed, &hub->mu);
    hcs_mutex_unlock(&hub->mu);
}
