/* The client provider's operations and handles (client_internal.h). An
 * operation follows the simulator's own rules (sim/src/operation.c,
 * hcs-api §3): waits, results and callbacks are answered here; the daemon
 * only starts the work and says how it ended. A handle delivers the events
 * the daemon forwards as the simulator's listener does (sim/src/listener.c):
 * in order, one at a time, on a dispatcher thread, never after close. */
#include "client_internal.h"

#include "op_info.h"
#include "result.h"
#include "scheduler.h"
#include "platform/os_pipe.h"
#include "platform/socket.h"
#include "util/utf16.h"

#include <stdlib.h>
#include <string.h>

struct client_event {
    client_event *next;
    HCS_EVENT_TYPE type;
    uint16_t *data;
    uint64_t operation;
};

/* The operation whose completion callback this thread is running, so that
 * a close from inside the callback does not wait for itself. */
static _Thread_local client_op *running_callback;

static uint64_t next_operation_id = 1; /* under the state lock */

static void post_locked(client_handle *h, HCS_EVENT_TYPE type, uint16_t *data, uint64_t operation);

static uint16_t *copy16(const wire_value *v)
{
    bool failed = false;
    return hcssim__wire_utf16_dup(v, &failed);
}

PWSTR hcssim__client_string_out(const uint16_t *s)
{
    if (!s)
        return NULL;
    size_t bytes = (hcs__utf16_len(s) + 1) * sizeof *s;
    PWSTR copy = malloc(bytes); /* freed with LocalFree, which is free here */
    if (copy)
        memcpy(copy, s, bytes);
    return copy;
}

/* ---- objects ------------------------------------------------------------ */

static void drop_info(client_op *op)
{
    if (op->has_info && !op->info_taken)
        hcs__process_info_close(&op->info);
    op->has_info = false;
    op->info_taken = false;
}

static void destroy_op(hcs_object *o)
{
    client_op *op = (client_op *)o;
    drop_info(op);
    free(op->doc);
    hcs__socket_close(op->socket);
    if (op->notes)
        hcs_object_release(&op->notes->o.base);
    hcs__cond_destroy(&op->changed);
    hcssim__client_conn_release(op->o.conn);
    free(op);
}

static void destroy_handle(hcs_object *o)
{
    client_handle *h = (client_handle *)o;
    while (h->head) {
        client_event *e = h->head;
        h->head = e->next;
        free(e->data);
        free(e);
    }
    hcs__cond_destroy(&h->idle);
    hcssim__client_conn_release(h->o.conn);
    free(h);
}

/* With the state lock held. */
static void link_obj(client_state *s, client_obj *o)
{
    o->prev = NULL;
    o->next = s->all;
    if (s->all)
        s->all->prev = o;
    s->all = o;
}

static void unlink_obj(client_state *s, client_obj *o)
{
    if (o->prev)
        o->prev->next = o->next;
    else if (s->all == o)
        s->all = o->next;
    if (o->next)
        o->next->prev = o->prev;
    o->prev = o->next = NULL;
}

void hcssim__client_obj_release(client_obj *o)
{
    if (o)
        hcs_object_release(&o->base);
}

client_op *hcssim__client_op_acquire(HCS_OPERATION value)
{
    return (client_op *)hcs__table_acquire(&hcssim__client_state()->objects, (uint64_t)(uintptr_t)value, CK_OPERATION);
}

client_handle *hcssim__client_handle_acquire(const void *value, enum client_kind kind)
{
    return (client_handle *)hcs__table_acquire(&hcssim__client_state()->objects, (uint64_t)(uintptr_t)value, kind);
}

/* ---- operations --------------------------------------------------------- */

HCS_OPERATION hcssim__client_op_create(const void *context, HCS_OPERATION_COMPLETION callback)
{
    client_state *s = hcssim__client_state();
    client_op *op = calloc(1, sizeof *op);
    if (!op)
        return NULL;
    hcs_object_init(&op->o.base, destroy_op);
    hcs__cond_init(&op->changed);
    op->o.kind = CK_OPERATION;
    op->context = context;
    op->callback = callback;
    op->state = COP_NOT_STARTED;
    op->type = HcsOperationTypeNone;
    op->socket = -1;
    op->o.value = hcs__table_insert(&s->objects, CK_OPERATION, &op->o.base);
    if (op->o.value) {
        hcs__mutex_lock(&s->mu);
        op->id = next_operation_id++; /* distinct per operation, kept across reuse (§11 #7) */
        link_obj(s, &op->o);
        hcs__mutex_unlock(&s->mu);
    }
    HCS_OPERATION value = (HCS_OPERATION)(uintptr_t)op->o.value;
    hcs_object_release(&op->o.base); /* the table holds it */
    return value;
}

static void deliver_callback(void *arg)
{
    client_op *op = arg;
    client_state *s = hcssim__client_state();
    hcs__mutex_lock(&s->mu);
    client_handle *n = op->notes; /* notifications first (hcs-newest §5 #25) */
    while (n && n->draining && !n->closed && n->drainer != hcs__thread_self())
        hcs__cond_wait(&n->idle, &s->mu);
    bool call = !op->closed && op->callback;
    HCS_OPERATION_COMPLETION cb = op->callback;
    void *context = (void *)(uintptr_t)op->context;
    if (call)
        op->callbacks_running++;
    hcs__mutex_unlock(&s->mu);
    if (call) {
        running_callback = op;
        cb((HCS_OPERATION)(uintptr_t)op->o.value, context);
        running_callback = NULL;
        hcs__mutex_lock(&s->mu);
        op->callbacks_running--;
        hcs__cond_broadcast(&op->changed);
        hcs__mutex_unlock(&s->mu);
    }
    hcs_object_release(&op->o.base);
}

/* With the state lock held: the outcome (doc taken), waiters woken, the
 * completion callback queued for a dispatcher thread. */
/* With the state lock held: queues an OperationInfo notification with the
 * operation's state now. */
static void notify_locked(client_op *op)
{
    if (!op->notes)
        return;
    char *text = hcssim__op_info_json(op->type, op->started_ms, op->ended_ms, op->result);
    uint16_t *data = NULL;
    if (text && hcs__utf8_to_utf16(text, &data) == 0)
        post_locked(op->notes, HCS_EVENT_GROUP_OPERATION_INFO, data, op->o.value);
    free(text);
}

static void complete_locked(client_op *op, HRESULT hr, uint16_t *doc, const HCS_PROCESS_INFORMATION *info)
{
    op->state = COP_COMPLETED;
    op->result = hr;
    free(op->doc);
    op->doc = doc;
    op->ended_ms = hcssim__wall_ms();
    notify_locked(op);
    if (info) {
        op->info = *info;
        op->has_info = true;
        op->info_taken = false;
    }
    hcs__cond_broadcast(&op->changed);
    if (op->callback && !op->closed) {
        hcs_object_retain(&op->o.base);
        if (hcssim__dispatch(deliver_callback, op) != 0)
            hcs_object_release(&op->o.base);
    }
}

/* Tells the daemon an operation it made for this client is done with. */
static void release_mirror(client_conn *c, uint64_t daemon_id)
{
    wire_buf b;
    hcssim__wire_begin(&b, WIRE_RELEASE, 0);
    hcssim__wire_u64(&b, daemon_id);
    hcssim__client_send(c, &b);
}

void hcssim__client_op_close(HCS_OPERATION value)
{
    client_state *s = hcssim__client_state();
    client_op *op = (client_op *)hcs__table_remove(&s->objects, (uint64_t)(uintptr_t)value, CK_OPERATION);
    if (!op)
        return; /* a double close or a bad handle: tolerated (§11 #55) */
    hcs__mutex_lock(&s->mu);
    op->closed = true;
    if (op->notes) {
        op->notes->closed = true;
        while (op->notes->draining && op->notes->drainer != hcs__thread_self())
            hcs__cond_wait(&op->notes->idle, &s->mu);
    }
    hcs__cond_broadcast(&op->changed);
    unsigned own = running_callback == op ? 1u : 0u;
    while (op->callbacks_running > own)
        hcs__cond_wait(&op->changed, &s->mu);
    unlink_obj(s, &op->o);
    client_conn *c = op->mirror == MIRROR_READY && op->o.conn && !op->o.conn->dead ? op->o.conn : NULL;
    uint64_t daemon_id = op->o.daemon_id;
    if (c)
        hcs_object_retain(&c->base);
    hcs__mutex_unlock(&s->mu);
    if (c) {
        release_mirror(c, daemon_id);
        hcssim__client_conn_release(c);
    }
    hcs_object_release(&op->o.base);
}

HRESULT hcssim__client_op_result(HCS_OPERATION value, bool wait, DWORD timeout_ms, bool want_info,
                                 HCS_PROCESS_INFORMATION *info, PWSTR *doc)
{
    if (doc)
        *doc = NULL;
    client_op *op = hcssim__client_op_acquire(value);
    if (!op)
        return SIM_E_HANDLE;
    client_state *s = hcssim__client_state();
    uint64_t deadline = hcs__deadline_after(wait ? timeout_ms : 0);
    hcs__mutex_lock(&s->mu);
    HRESULT hr = S_OK;
    if (want_info && op->type != HcsOperationTypeCreateProcess && op->type != HcsOperationTypeGetProcessInfo)
        hr = E_INVALIDARG;
    while (SUCCEEDED(hr) && wait && op->state == COP_PENDING && !op->closed)
        if (!hcs__cond_wait_until(&op->changed, &s->mu, deadline))
            break;
    const uint16_t *text = NULL;
    if (FAILED(hr))
        ;
    else if (op->closed)
        hr = SIM_E_HANDLE;
    else if (op->state == COP_NOT_STARTED)
        hr = HCS_E_OPERATION_NOT_STARTED;
    else if (op->state == COP_PENDING)
        hr = wait ? HCS_E_OPERATION_TIMEOUT : HCS_E_OPERATION_PENDING;
    else {
        hr = op->result;
        text = op->doc;
        if (info && hr == S_OK && op->has_info) {
            *info = op->info;
            op->info_taken = true;
        }
    }
    /* Copied under the lock: a reuse may replace it. */
    PWSTR copy = doc && text ? hcssim__client_string_out(text) : NULL;
    hcs__mutex_unlock(&s->mu);
    hcssim__client_obj_release(&op->o);
    if (doc && text && !copy)
        return E_OUTOFMEMORY;
    if (doc)
        *doc = copy;
    return hr;
}

void hcssim__client_op_begin(client_op_use *u, client_conn *c, HCS_OPERATION operation, HCS_OPERATION_TYPE type,
                             uint64_t system, uint64_t process)
{
    memset(u, 0, sizeof *u);
    if (!operation)
        return;
    client_op *op = hcssim__client_op_acquire(operation);
    if (!op) {
        u->client_id = WIRE_INVALID;
        return;
    }
    client_state *s = hcssim__client_state();
    client_conn *old = NULL;
    hcs__mutex_lock(&s->mu);
    if (op->closed) {
        hcs__mutex_unlock(&s->mu);
        hcssim__client_obj_release(&op->o);
        u->client_id = WIRE_INVALID;
        return;
    }
    u->op = op;
    u->client_id = op->o.value;
    /* One daemon operation per operation and connection: a second call
     * while the first is making it waits for its id. */
    while (op->mirror == MIRROR_CREATING)
        hcs__cond_wait(&op->changed, &s->mu);
    if (op->mirror == MIRROR_READY && op->o.conn == c) {
        u->daemon_id = op->o.daemon_id;
    } else {
        if (op->o.conn != c) {
            old = op->o.conn;
            hcs_object_retain(&c->base);
            op->o.conn = c;
        }
        op->o.daemon_id = 0;
        op->mirror = MIRROR_CREATING;
        u->made_mirror = true;
    }
    u->flags = op->callback ? WIRE_OP_HAS_CALLBACK : 0;
    if (op->state != COP_PENDING) {
        /* Shown Pending while the call is on its way: the simulator
         * decides, and a failed call puts everything back (§3.3). */
        u->started = true;
        u->old_state = op->state;
        u->old_type = op->type;
        u->old_system = op->system;
        u->old_process = op->process;
        u->old_result = op->result;
        u->old_doc = op->doc;
        u->old_info = op->info;
        u->old_has_info = op->has_info;
        u->old_info_taken = op->info_taken;
        op->doc = NULL;
        op->has_info = op->info_taken = false;
        op->state = COP_PENDING;
        op->type = type;
        op->system = system;
        op->process = process;
        op->result = HCS_E_OPERATION_PENDING;
        op->in_flight = true;
    }
    hcs__mutex_unlock(&s->mu);
    hcssim__client_conn_release(old);
}

intptr_t hcssim__client_op_take_socket(client_op_use *u)
{
    if (!u->op)
        return -1;
    client_state *s = hcssim__client_state();
    hcs__mutex_lock(&s->mu);
    intptr_t socket = u->op->socket;
    u->op->socket = -1;
    hcs__mutex_unlock(&s->mu);
    return socket;
}

void hcssim__client_op_write(wire_buf *b, const client_op_use *u)
{
    hcssim__wire_u64(b, u->daemon_id);
    hcssim__wire_u64(b, u->client_id);
    hcssim__wire_u64(b, u->flags);
}

void hcssim__client_op_end(client_op_use *u, HRESULT hr, uint64_t daemon_id)
{
    client_op *op = u->op;
    if (!op)
        return;
    client_state *s = hcssim__client_state();
    client_conn *release_on = NULL;
    hcs__mutex_lock(&s->mu);
    if (u->made_mirror) {
        op->mirror = daemon_id ? MIRROR_READY : MIRROR_NONE;
        op->o.daemon_id = daemon_id;
        if (daemon_id && op->closed && op->o.conn) {
            release_on = op->o.conn; /* closed while the call was on its way */
            hcs_object_retain(&release_on->base);
        }
    }
    if (u->started) {
        op->in_flight = false;
        if (FAILED(hr)) {
            op->state = u->old_state;
            op->type = u->old_type;
            op->system = u->old_system;
            op->process = u->old_process;
            op->result = u->old_result;
            op->doc = u->old_doc;
            op->info = u->old_info;
            op->has_info = u->old_has_info;
            op->info_taken = u->old_info_taken;
            if (op->stashed) { /* cannot happen: a refused call has no outcome */
                free(op->stash_doc);
                if (op->stash_has_info)
                    hcs__process_info_close(&op->stash_info);
                op->stashed = false;
            }
        } else {
            /* The new call replaces the old outcome: handles nobody took
             * are closed, as the simulator does on reuse. */
            free(u->old_doc);
            if (u->old_has_info && !u->old_info_taken)
                hcs__process_info_close(&u->old_info);
            op->started_ms = hcssim__wall_ms();
            op->ended_ms = 0;
            notify_locked(op);
            if (op->stashed) {
                op->stashed = false;
                complete_locked(op, op->stash_result, op->stash_doc, op->stash_has_info ? &op->stash_info : NULL);
                op->stash_doc = NULL;
            } else if (op->state == COP_PENDING && op->o.conn && op->o.conn->dead) {
                /* lost between the REPLY and here: hcssim__client_on_lost
                 * left it to this call */
                char *text = hcssim__result_error(HCS_E_SERVICE_DISCONNECT, "the connection to hcssimd was lost");
                uint16_t *doc = NULL;
                if (text && hcs__utf8_to_utf16(text, &doc) != 0)
                    doc = NULL;
                free(text);
                complete_locked(op, HCS_E_SERVICE_DISCONNECT, doc, NULL);
            }
        }
    }
    hcs__cond_broadcast(&op->changed);
    hcs__mutex_unlock(&s->mu);
    if (release_on) {
        release_mirror(release_on, daemon_id);
        hcssim__client_conn_release(release_on);
    }
    hcssim__client_obj_release(&op->o);
    u->op = NULL;
}

HCS_OPERATION hcssim__client_op_create_notifying(HCS_OPERATION_OPTIONS filter, const void *context,
                                                 HCS_EVENT_CALLBACK callback)
{
    unsigned known = HcsOperationOptionProgressUpdate | HcsOperationOptionReserved1;
    if (!callback || ((unsigned)filter & ~known))
        return NULL;
    client_handle *notes = calloc(1, sizeof *notes);
    if (!notes)
        return NULL;
    hcs_object_init(&notes->o.base, destroy_handle);
    hcs__cond_init(&notes->idle);
    notes->o.kind = CK_OPERATION;
    /* The filter decides here what the simulator's listener decides
     * there: only ProgressUpdate asks for the events. */
    notes->callback = (filter & HcsOperationOptionProgressUpdate) ? callback : NULL;
    notes->context = context;
    HCS_OPERATION value = hcssim__client_op_create(context, NULL);
    client_op *op = value ? hcssim__client_op_acquire(value) : NULL;
    if (!op) {
        hcs_object_release(&notes->o.base);
        return NULL;
    }
    client_state *s = hcssim__client_state();
    hcs__mutex_lock(&s->mu);
    op->notes = notes;
    hcs__mutex_unlock(&s->mu);
    hcssim__client_obj_release(&op->o);
    return value;
}

HRESULT hcssim__client_op_properties(HCS_OPERATION value, PCWSTR options, PWSTR *result)
{
    HRESULT hr = hcssim__op_properties_options(options, result);
    if (FAILED(hr))
        return hr;
    client_op *op = hcssim__client_op_acquire(value);
    if (!op)
        return SIM_E_HANDLE;
    client_state *s = hcssim__client_state();
    hcs__mutex_lock(&s->mu);
    HCS_OPERATION_TYPE type = op->type;
    int64_t started = op->started_ms, ended = op->ended_ms;
    HRESULT outcome = op->result;
    hcs__mutex_unlock(&s->mu);
    hcssim__client_obj_release(&op->o);
    return hcssim__op_info_out(type, started, ended, outcome, result);
}

HRESULT hcssim__client_op_add_resource(HCS_OPERATION value, HCS_RESOURCE_TYPE type, PCWSTR uri, HANDLE resource)
{
    client_op *op = hcssim__client_op_acquire(value);
    if (!op)
        return SIM_E_HANDLE;
    intptr_t copy;
    HRESULT hr = hcssim__resource_dup(type, uri, resource, &copy);
    client_state *s = hcssim__client_state();
    hcs__mutex_lock(&s->mu);
    if (SUCCEEDED(hr))
        hr = hcssim__resource_store(&op->socket, op->state == COP_PENDING, &copy);
    hcs__mutex_unlock(&s->mu);
    hcs__socket_close(copy);
    hcssim__client_obj_release(&op->o);
    return hr;
}

/* ---- handles ------------------------------------------------------------ */

client_handle *hcssim__client_handle_new(client_conn *c, enum client_kind kind)
{
    client_state *s = hcssim__client_state();
    client_handle *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    hcs_object_init(&h->o.base, destroy_handle);
    hcs__cond_init(&h->idle);
    h->o.kind = kind;
    hcs_object_retain(&c->base);
    h->o.conn = c;
    h->o.value = hcs__table_insert(&s->objects, kind, &h->o.base);
    if (!h->o.value) {
        hcs_object_release(&h->o.base);
        return NULL;
    }
    hcs__mutex_lock(&s->mu);
    link_obj(s, &h->o);
    hcs__mutex_unlock(&s->mu);
    return h; /* with the creator's reference, for the caller */
}

client_handle *hcssim__client_handle_close(const void *value, enum client_kind kind)
{
    client_state *s = hcssim__client_state();
    client_handle *h = (client_handle *)hcs__table_remove(&s->objects, (uint64_t)(uintptr_t)value, kind);
    if (!h)
        return NULL; /* closed already (§11 #55) */
    uint64_t self = hcs__thread_self();
    hcs__mutex_lock(&s->mu);
    h->closed = true;
    unlink_obj(s, &h->o);
    while (h->draining && h->drainer != self)
        hcs__cond_wait(&h->idle, &s->mu);
    hcs__mutex_unlock(&s->mu);
    return h;
}

void hcssim__client_handle_discard(client_handle *h)
{
    client_handle *listed = hcssim__client_handle_close((void *)(uintptr_t)h->o.value, h->o.kind);
    if (listed)
        hcssim__client_obj_release(&listed->o);
    hcssim__client_obj_release(&h->o);
}

bool hcssim__client_listen_begin(client_handle *h, HCS_EVENT_CALLBACK callback, const void *context)
{
    client_state *s = hcssim__client_state();
    hcs__mutex_lock(&s->mu);
    bool set = callback && !h->callback && !h->closed;
    if (set) {
        h->callback = callback;
        h->context = context;
    }
    hcs__mutex_unlock(&s->mu);
    return set;
}

void hcssim__client_listen_end(client_handle *h, bool succeeded)
{
    if (succeeded)
        return;
    client_state *s = hcssim__client_state();
    hcs__mutex_lock(&s->mu);
    h->callback = NULL;
    h->context = NULL;
    hcs__mutex_unlock(&s->mu);
}

static void drain(void *arg)
{
    client_handle *h = arg;
    client_state *s = hcssim__client_state();
    hcs__mutex_lock(&s->mu);
    h->drainer = hcs__thread_self();
    while (h->head && !h->closed) {
        client_event *e = h->head;
        h->head = e->next;
        if (!h->head)
            h->tail = NULL;
        HCS_EVENT_CALLBACK cb = h->callback;
        void *context = (void *)(uintptr_t)h->context;
        hcs__mutex_unlock(&s->mu);
        HCS_EVENT event = {.Type = e->type, .EventData = e->data, .Operation = (HCS_OPERATION)(uintptr_t)e->operation};
        cb(&event, context);
        free(e->data);
        free(e);
        hcs__mutex_lock(&s->mu);
    }
    h->draining = false;
    h->drainer = 0;
    hcs__cond_broadcast(&h->idle);
    hcs__mutex_unlock(&s->mu);
    hcs_object_release(&h->o.base);
}

/* With the state lock held: queues an event (data taken) for the handle's
 * callback; the service disconnect at most once. */
static void post_locked(client_handle *h, HCS_EVENT_TYPE type, uint16_t *data, uint64_t operation)
{
    client_event *e = NULL;
    bool take = h->callback && !h->closed && !(type == HcsEventServiceDisconnect && h->disconnect_seen);
    if (take)
        e = calloc(1, sizeof *e);
    if (!e) {
        free(data);
        return;
    }
    if (type == HcsEventServiceDisconnect)
        h->disconnect_seen = true;
    e->type = type;
    e->data = data;
    e->operation = operation;
    *(h->tail ? &h->tail->next : &h->head) = e;
    h->tail = e;
    if (h->draining)
        return;
    h->draining = true;
    hcs_object_retain(&h->o.base);
    if (hcssim__dispatch(drain, h) != 0) {
        h->draining = false;
        hcs_object_release(&h->o.base);
    }
}

/* ---- what the daemon sends ------------------------------------------------- */

void hcssim__client_on_complete(client_conn *c, const wire_msg *m, const wire_handle *handles, unsigned n)
{
    HRESULT hr = (HRESULT)(uint32_t)m->v[1].u;
    HCS_PROCESS_INFORMATION info = {.ProcessId = (DWORD)m->v[3].u};
    HANDLE *streams[3] = {&info.StdInput, &info.StdOutput, &info.StdError};
    unsigned next = 0;
    for (unsigned i = 0; i < 3 && next < n; i++)
        if (m->v[4].u & (1u << i))
            *streams[i] = hcs__pipe_to_abi(handles[next++]); /* POSIX: fd + 1 (hcs/computecore.h) */
    bool has_info = m->v[3].u != 0;
    client_state *s = hcssim__client_state();
    client_op *op = hcssim__client_op_acquire((HCS_OPERATION)(uintptr_t)m->v[0].u);
    hcs__mutex_lock(&s->mu);
    if (!op || op->closed || op->o.conn != c || op->state != COP_PENDING) {
        hcs__mutex_unlock(&s->mu);
        for (unsigned i = 0; i < n; i++)
            hcssim__transport_close_handle(handles[i]);
    } else if (op->in_flight) {
        op->stashed = true;
        op->stash_result = hr;
        op->stash_doc = copy16(&m->v[2]);
        op->stash_info = info;
        op->stash_has_info = has_info;
        hcs__mutex_unlock(&s->mu);
    } else {
        complete_locked(op, hr, copy16(&m->v[2]), has_info ? &info : NULL);
        hcs__mutex_unlock(&s->mu);
    }
    if (op)
        hcssim__client_obj_release(&op->o);
}

void hcssim__client_on_event(client_conn *c, const wire_msg *m)
{
    const void *value = (const void *)(uintptr_t)m->v[0].u;
    client_handle *h = hcssim__client_handle_acquire(value, CK_SYSTEM);
    if (!h)
        h = hcssim__client_handle_acquire(value, CK_PROCESS);
    if (!h)
        h = hcssim__client_handle_acquire(value, CK_HCN_CALLBACK);
    if (!h)
        return; /* closed meanwhile */
    client_state *s = hcssim__client_state();
    uint16_t *data = copy16(&m->v[2]);
    hcs__mutex_lock(&s->mu);
    if (h->o.conn == c)
        post_locked(h, (HCS_EVENT_TYPE)m->v[1].u, data, m->v[3].u);
    else
        free(data);
    hcs__mutex_unlock(&s->mu);
    hcssim__client_obj_release(&h->o);
}

void hcssim__client_on_lost(client_conn *c)
{
    char *text = hcssim__result_error(HCS_E_SERVICE_DISCONNECT, "the connection to hcssimd was lost");
    client_state *s = hcssim__client_state();
    hcs__mutex_lock(&s->mu);
    for (client_obj *o = s->all; o; o = o->next) {
        if (o->conn != c)
            continue;
        if (o->kind == CK_OPERATION) {
            client_op *op = (client_op *)o;
            if (op->state != COP_PENDING || op->in_flight || op->closed)
                continue; /* an operation on its way is the caller's: its call fails */
            uint16_t *doc = NULL;
            if (text && hcs__utf8_to_utf16(text, &doc) != 0)
                doc = NULL;
            complete_locked(op, HCS_E_SERVICE_DISCONNECT, doc, NULL);
        } else {
            post_locked((client_handle *)o, HcsEventServiceDisconnect, NULL, 0);
        }
    }
    hcs__mutex_unlock(&s->mu);
    free(text);
}
