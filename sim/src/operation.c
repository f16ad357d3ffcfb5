/* HCS_OPERATION objects (see operation.h). */
#include "operation.h"

#include "op_info.h"
#include "platform/os_pipe.h"
#include "platform/socket.h"
#include "result.h"
#include "scheduler.h"

#include <stdlib.h>

/* The operation whose completion callback this thread is running, so that
 * a close from inside the callback does not wait for itself. */
static _Thread_local sim_operation *running_callback;

/* Client handles nobody took are closed, so an unread CreateProcess
 * outcome leaks no pipe. */
static void drop_info(sim_operation *op)
{
    if (op->has_info && !op->info_taken) {
        hcs__process_info_close(&op->info);
    }
    op->has_info = false;
    op->info_taken = false;
}

static void destroy(hcs_object *o)
{
    sim_operation *op = (sim_operation *)o;
    drop_info(op);
    hcs__socket_close(op->socket);
    hcssim__listener_destroy(&op->notes);
    free(op->result_doc);
    hcs__cond_destroy(&op->changed);
    free(op);
    atomic_fetch_sub(&hcssim__engine_get()->live_operations, 1);
}

HCS_OPERATION hcssim__operation_create(const void *context, HCS_OPERATION_COMPLETION callback)
{
    sim_engine *e = hcssim__engine_get();
    sim_operation *op = calloc(1, sizeof *op);
    if (!op)
        return NULL;
    hcs_object_init(&op->base, destroy);
    hcs__cond_init(&op->changed);
    hcssim__listener_init(&op->notes, &op->base, SIM_LISTEN_OPERATION);
    op->socket = -1;
    atomic_fetch_add(&e->live_operations, 1);
    op->context = context;
    op->callback = callback;
    op->state = SIM_OP_NOT_STARTED;
    op->type = HcsOperationTypeNone;
    hcs__mutex_lock(&e->mu);
    op->id = e->next_operation_id++;
    hcs__mutex_unlock(&e->mu);
    op->handle = hcs__table_insert(&e->handles, SIM_KIND_OPERATION, &op->base);
    hcs_object_release(&op->base); /* the table holds it now */
    return (HCS_OPERATION)sim_handle_value(op->handle);
}

/* A NULL HCS_OPERATION's reason, for GetLastError (hcs-newest §1.3). */
static void set_last_error(DWORD code)
{
#ifdef _WIN32
    SetLastError(code);
#else
    (void)code; /* POSIX hosts have no GetLastError */
#endif
}

HCS_OPERATION hcssim__operation_create_notifying(HCS_OPERATION_OPTIONS filter, const void *context,
                                                 HCS_EVENT_CALLBACK callback)
{
    unsigned known = HcsOperationOptionProgressUpdate | HcsOperationOptionReserved1;
    if (!callback || ((unsigned)filter & ~known)) {
        set_last_error(87); /* ERROR_INVALID_PARAMETER */
        return NULL;
    }
    HCS_OPERATION handle = hcssim__operation_create(context, NULL);
    sim_operation *op = handle ? hcssim__operation_acquire(handle) : NULL;
    if (!op) {
        set_last_error(14); /* ERROR_OUTOFMEMORY */
        return NULL;
    }
    sim_engine *e = hcssim__engine_get();
    hcs__mutex_lock(&e->mu);
    op->notes.callback = callback;
    op->notes.options = (HCS_EVENT_OPTIONS)filter;
    op->notes.context = context;
    hcs__mutex_unlock(&e->mu);
    hcssim__operation_release(op);
    return handle;
}

/* Queues an OperationInfo notification with the operation's state now. */
static void notify(sim_operation *op)
{
    char *doc = hcssim__op_info_json(op->type, op->started_ms, op->ended_ms, op->result);
    if (doc)
        hcssim__listener_post(&op->notes, HCS_EVENT_GROUP_OPERATION_INFO, doc, op->handle, false);
    free(doc);
}

HRESULT hcssim__operation_properties(HCS_OPERATION handle, PCWSTR options, PWSTR *result)
{
    HRESULT hr = hcssim__op_properties_options(options, result);
    if (FAILED(hr))
        return hr;
    sim_operation *op = hcssim__operation_acquire(handle);
    if (!op)
        return SIM_E_HANDLE;
    sim_engine *e = hcssim__engine_get();
    hcs__mutex_lock(&e->mu);
    HCS_OPERATION_TYPE type = op->type;
    int64_t started = op->started_ms, ended = op->ended_ms;
    HRESULT outcome = op->result;
    hcs__mutex_unlock(&e->mu);
    hcssim__operation_release(op);
    return hcssim__op_info_out(type, started, ended, outcome, result);
}

HRESULT hcssim__operation_add_resource(HCS_OPERATION handle, HCS_RESOURCE_TYPE type, PCWSTR uri, HANDLE resource)
{
    sim_operation *op = hcssim__operation_acquire(handle);
    if (!op)
        return SIM_E_HANDLE;
    intptr_t copy;
    HRESULT hr = hcssim__resource_dup(type, uri, resource, &copy);
    sim_engine *e = hcssim__engine_get();
    hcs__mutex_lock(&e->mu);
    if (SUCCEEDED(hr))
        hr = hcssim__resource_store(&op->socket, op->state == SIM_OP_PENDING, &copy);
    hcs__mutex_unlock(&e->mu);
    hcs__socket_close(copy);
    hcssim__operation_release(op);
    return hr;
}

sim_operation *hcssim__operation_acquire(HCS_OPERATION handle)
{
    return (sim_operation *)hcs__table_acquire(&hcssim__engine_get()->handles, sim_handle_id(handle),
                                               SIM_KIND_OPERATION);
}

void hcssim__operation_release(sim_operation *op)
{
    if (op)
        hcs_object_release(&op->base);
}

HRESULT hcssim__operation_observe(HCS_OPERATION handle, void (*observer)(sim_operation *op, void *context),
                                  void *context)
{
    sim_operation *op = hcssim__operation_acquire(handle);
    if (!op)
        return SIM_E_HANDLE;
    sim_engine *e = hcssim__engine_get();
    hcs__mutex_lock(&e->mu);
    op->observer = observer;
    op->observer_context = context;
    hcs__mutex_unlock(&e->mu);
    hcssim__operation_release(op);
    return S_OK;
}

void hcssim__operation_close(HCS_OPERATION handle)
{
    sim_engine *e = hcssim__engine_get();
    sim_operation *op = (sim_operation *)hcs__table_remove(&e->handles, sim_handle_id(handle), SIM_KIND_OPERATION);
    if (!op)
        return; /* double close or a bad handle: tolerated (§11 #55) */
    hcs__mutex_lock(&e->mu);
    op->closed = true;
    hcssim__listener_close(&op->notes);
    hcs__cond_broadcast(&op->changed);
    unsigned own = running_callback == op ? 1u : 0u;
    while (op->callbacks_running > own)
        hcs__cond_wait(&op->changed, &e->mu);
    hcs__mutex_unlock(&e->mu);
    hcs_object_release(&op->base);
}

HRESULT hcssim__operation_begin(sim_operation *op, HCS_OPERATION_TYPE type, uint64_t system, uint64_t process)
{
    if (op->state == SIM_OP_PENDING)
        return HCS_E_OPERATION_ALREADY_STARTED;
    op->state = SIM_OP_PENDING;
    op->type = type;
    op->system = system;
    op->process = process;
    op->reported = false;
    drop_info(op);
    op->result = HCS_E_OPERATION_PENDING;
    free(op->result_doc);
    op->result_doc = NULL;
    op->started_ms = hcssim__wall_ms();
    op->ended_ms = 0;
    notify(op);
    return S_OK;
}

static void deliver_callback(void *arg)
{
    sim_operation *op = arg;
    sim_engine *e = hcssim__engine_get();
    hcs__mutex_lock(&e->mu);
    hcssim__listener_flush(&op->notes); /* notifications first (hcs-newest §5 #25) */
    bool call = !op->closed && op->callback;
    HCS_OPERATION_COMPLETION cb = op->callback;
    void *ctx = (void *)(uintptr_t)op->context;
    if (call)
        op->callbacks_running++;
    hcs__mutex_unlock(&e->mu);
    if (call) {
        running_callback = op;
        cb((HCS_OPERATION)sim_handle_value(op->handle), ctx);
        running_callback = NULL;
        hcs__mutex_lock(&e->mu);
        op->callbacks_running--;
        hcs__cond_broadcast(&op->changed);
        hcs__mutex_unlock(&e->mu);
    }
    hcs_object_release(&op->base);
}

void hcssim__operation_complete(sim_operation *op, HRESULT result, char *doc, const HCS_PROCESS_INFORMATION *info)
{
    if (info) {
        op->info = *info;
        op->has_info = true;
    }
    op->state = SIM_OP_COMPLETED;
    op->result = result;
    free(op->result_doc);
    op->result_doc = doc;
    op->ended_ms = hcssim__wall_ms();
    notify(op);
    hcs__cond_broadcast(&op->changed);
    if (op->observer && !op->closed)
        op->observer(op, op->observer_context);
    if (op->callback && !op->closed) {
        hcs_object_retain(&op->base);
        if (hcssim__dispatch(deliver_callback, op) != 0)
            hcs_object_release(&op->base);
    }
}

static HRESULT result_of(HCS_OPERATION handle, bool wait, DWORD timeout_ms, bool want_info,
                         HCS_PROCESS_INFORMATION *info, PWSTR *doc)
{
    if (doc)
        *doc = NULL;
    sim_operation *op = hcssim__operation_acquire(handle);
    if (!op)
        return SIM_E_HANDLE;
    sim_engine *e = hcssim__engine_get();
    uint64_t deadline = hcs__deadline_after(wait ? timeout_ms : 0);
    hcs__mutex_lock(&e->mu);
    HRESULT hr = S_OK;
    if (want_info && op->type != HcsOperationTypeCreateProcess && op->type != HcsOperationTypeGetProcessInfo)
        hr = E_INVALIDARG;
    while (SUCCEEDED(hr) && wait && op->state == SIM_OP_PENDING && !op->closed)
        if (!hcs__cond_wait_until(&op->changed, &e->mu, deadline))
            break;
    char *text = NULL;
    if (FAILED(hr))
        ;
    else if (op->closed)
        hr = SIM_E_HANDLE;
    else if (op->state == SIM_OP_NOT_STARTED)
        hr = HCS_E_OPERATION_NOT_STARTED;
    else if (op->state == SIM_OP_PENDING)
        hr = wait ? HCS_E_OPERATION_TIMEOUT : HCS_E_OPERATION_PENDING;
    else {
        hr = op->result;
        text = op->result_doc;
        if (info && hr == S_OK && op->has_info) {
            *info = op->info;
            op->info_taken = true;
        }
    }
    /* Copy the document out under the lock: a reuse may replace it. */
    HRESULT copy = doc && text ? hcssim__string_out(text, doc) : S_OK;
    hcs__mutex_unlock(&e->mu);
    hcssim__operation_release(op);
    return FAILED(copy) ? copy : hr;
}

HRESULT hcssim__operation_result(HCS_OPERATION handle, bool wait, DWORD timeout_ms, PWSTR *doc)
{
    return result_of(handle, wait, timeout_ms, false, NULL, doc);
}

HRESULT hcssim__operation_result_info(HCS_OPERATION handle, bool wait, DWORD timeout_ms, HCS_PROCESS_INFORMATION *info,
                                      PWSTR *doc)
{
    return result_of(handle, wait, timeout_ms, true, info, doc);
}
