/* Request queueing and completion (see request.h). */
#include "request.h"

#include "behaviour.h"
#include "fault.h"
#include "hcssim/hcssim.h"
#include "platform/os_pipe.h"
#include "process.h"
#include "result.h"
#include "scheduler.h"
#include "service.h"
#include "system_actions.h"
#include "system_state.h"

#include <stdlib.h>
#include <string.h>

sim_request *hcssim__request_new(const char *call, HCS_OPERATION_TYPE type, sim_action action)
{
    sim_request *req = calloc(1, sizeof *req);
    if (req) {
        atomic_fetch_add(&hcssim__engine_get()->live_requests, 1);
        req->call = call;
        req->type = type;
        req->action = action;
    }
    return req;
}

void hcssim__request_free(sim_request *req)
{
    if (!req)
        return;
    hcssim__handle_release(req->target);
    hcssim__system_release(req->sys);
    hcssim__process_release(req->proc);
    hcssim__operation_release(req->op);
    json_decref(req->args);
    free(req->ns);
    free(req->preset_detail);
    hcssim__fault_clear(&req->fault);
    free(req);
    atomic_fetch_sub(&hcssim__engine_get()->live_requests, 1);
}

HRESULT hcssim__fail(HRESULT hr, const char *detail, char **doc)
{
    *doc = hcssim__result_error(hr, detail);
    return hr;
}

/* Reports a completed operation as an event to the handle it was made on,
 * when that handle asked for operation events (§11 #36). */
static void report_operation(sim_request *req)
{
    if (!req->target || !hcssim__listener_wants_operations(&req->target->events))
        return;
    req->op->reported = true;
    hcssim__listener_post(&req->target->events, HcsEventOperationCallback, NULL, req->op->handle, false);
}

static void complete(sim_request *req, HRESULT hr, char *doc)
{
    if (req->has_info && (hr != S_OK || !req->op)) {
        hcs__process_info_close(&req->info);
        req->has_info = false;
    }
    if (!req->op) {
        free(doc);
        return;
    }
    hcssim__operation_complete(req->op, hr, doc, req->has_info ? &req->info : NULL);
    req->has_info = false;
    report_operation(req);
}

/* What a fault plan does to the system after the call. */
static void then(sim_request *req)
{
    switch (req->fault.then) {
    case SIM_THEN_CRASH:
        hcssim__system_crash(req->sys);
        break;
    case SIM_THEN_EXIT:
        hcssim__system_exit(req->sys, HCS_E_UNEXPECTED_EXIT, "UnexpectedExit", NULL);
        break;
    case SIM_THEN_DISCONNECT:
        hcssim__service_disconnect_locked(hcssim__engine_get());
        break;
    case SIM_THEN_NONE:
        break;
    }
}

/* The outcome of a request: the action's, unless the service is gone, the
 * operation was closed in "cancel" mode, or a fault plan says otherwise
 * (then the real action may still run, e.g. a terminate that succeeds but
 * reports an RPC failure). */
static HRESULT outcome(sim_request *req, char **doc)
{
    if (hcssim__engine_get()->disconnected)
        return hcssim__fail(HCS_E_SERVICE_DISCONNECT, "the connection to the compute service was lost", doc);
    if (req->op && req->op->closed && hcssim__close_cancels_pending())
        return E_ABORT;
    if (!req->fault.at_completion)
        return req->action(req, doc);
    if (req->fault.run_action && req->type != HCS_OPERATION_TYPE_LIVE_MIGRATION) {
        /* a deferred action keeps its request: not run for a fault plan */
        req->action(req, doc);
        free(*doc);
    }
    *doc = hcssim__fault_document(&req->fault);
    return req->fault.hr;
}

void hcssim__request_finish(sim_request *req, HRESULT hr, char *doc)
{
    complete(req, hr, doc);
    if (req->sys)
        then(req);
}

static void run(void *arg)
{
    sim_request *req = arg;
    sim_engine *e = hcssim__engine_get();
    hcs__mutex_lock(&e->mu);
    char *doc = NULL;
    HRESULT hr = outcome(req, &doc);
    bool deferred = hr == SIM_DEFERRED;
    if (!deferred)
        hcssim__request_finish(req, hr, doc);
    hcs__mutex_unlock(&e->mu);
    if (!deferred)
        hcssim__request_free(req);
}

/* A call that never completes by itself waits where its end can find it:
 * its system's exit, or (a call without a system, such as an enumerate)
 * only the loss of the service (§11 #33, #38). */
static void park(sim_request *req)
{
    sim_request **list = req->sys ? &req->sys->parked : &hcssim__engine_get()->parked;
    req->next = *list;
    *list = req;
}

/* The operation must not have a completion callback when the handle
 * reports operations as events (§11 #36). */
static HRESULT begin_operation(sim_request *req, HCS_OPERATION operation)
{
    req->op = hcssim__operation_acquire(operation);
    if (!req->op)
        return SIM_E_HANDLE;
    if (req->target && hcssim__listener_wants_operations(&req->target->events) && req->op->callback)
        return HCS_E_OPERATION_SYSTEM_CALLBACK_ALREADY_SET;
    uint64_t target = req->target ? req->target->value : 0;
    uint64_t process = req->proc ? target : 0;
    uint64_t system = req->proc ? 0 : target;
    return hcssim__operation_begin(req->op, req->type, system, process);
}

HRESULT hcssim__request_submit(sim_request *req, HCS_OPERATION operation)
{
    sim_engine *e = hcssim__engine_get();
    hcssim__fault_lookup(req->call, req->sys ? req->sys->id : NULL, &req->fault);
    if (req->fault.at_kickoff)
        return req->fault.hr;
    if (operation || req->type != HcsOperationTypeNone) {
        HRESULT hr = begin_operation(req, operation);
        if (FAILED(hr)) {
            hcssim__operation_release(req->op);
            req->op = NULL;
            return hr;
        }
    }
    uint32_t latency = e->latency_ms[req->type + 1];
    if (req->fault.delay_ms)
        latency = req->fault.delay_ms;
    if (latency == HCSSIM_NEVER || req->fault.never) {
        park(req);
        return S_OK;
    }
    uint64_t due = hcs__clock_ms() + latency;
    if (req->sys) {
        if (due < req->sys->last_due_ms)
            due = req->sys->last_due_ms;
        req->sys->last_due_ms = due;
    }
    if (hcssim__schedule(due, run, req) != 0) {
        complete(req, E_OUTOFMEMORY, NULL);
        hcssim__request_free(req);
    }
    return S_OK;
}

void hcssim__requests_fail(sim_request **parked, HRESULT hr, const char *detail)
{
    sim_request *list = *parked;
    *parked = NULL;
    while (list) {
        sim_request *req = list;
        list = req->next;
        complete(req, hr, hcssim__result_error(hr, detail));
        hcssim__request_free(req);
    }
}

void hcssim__request_report_late(sim_handle *h)
{
    if (!h->create_op || !hcssim__listener_wants_operations(&h->events))
        return;
    sim_operation *op = hcssim__operation_acquire((HCS_OPERATION)sim_handle_value(h->create_op));
    if (op && op->state == SIM_OP_COMPLETED && op->type == HcsOperationTypeCreate && !op->callback && !op->reported &&
        op->system == h->value) {
        op->reported = true;
        hcssim__listener_post(&h->events, HcsEventOperationCallback, NULL, op->handle, false);
    }
    hcssim__operation_release(op);
}

void hcssim__request_preset(sim_request *req, HRESULT verdict, const char *detail)
{
    req->preset = verdict;
    free(req->preset_detail);
    req->preset_detail = FAILED(verdict) ? strdup(detail) : NULL;
}

HRESULT hcssim__request_queue(sim_request *req, HCS_OPERATION operation)
{
    sim_engine *e = hcssim__engine_get();
    hcs__mutex_lock(&e->mu);
    HRESULT hr = e->disconnected ? HCS_E_SERVICE_DISCONNECT : hcssim__request_submit(req, operation);
    hcs__mutex_unlock(&e->mu);
    if (FAILED(hr))
        hcssim__request_free(req);
    return hr;
}

HRESULT hcssim__register_callback(const void *handle, enum sim_kind kind, HCS_EVENT_OPTIONS options,
                                  const void *context, HCS_EVENT_CALLBACK callback)
{
    sim_handle *h = hcssim__handle_acquire(handle, kind);
    if (!h)
        return SIM_E_HANDLE;
    sim_engine *e = hcssim__engine_get();
    hcs__mutex_lock(&e->mu);
    HRESULT hr = hcssim__listener_register(&h->events, options, context, callback);
    if (SUCCEEDED(hr))
        hcssim__request_report_late(h);
    if (SUCCEEDED(hr) && h->proc)
        hcssim__process_report_late_exit(h->proc, h);
    hcs__mutex_unlock(&e->mu);
    hcssim__handle_release(h);
    return hr;
}
