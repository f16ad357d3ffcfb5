/* Process exports and their actions (see process_calls.h). Choices the
 * documentation leaves open are marked "inferred" and listed in
 * docs/simulator-fidelity.md. */
#include "process_calls.h"

#include "behaviour.h"
#include "document.h"
#include "handle.h"
#include "process.h"
#include "request.h"
#include "result.h"
#include "system_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sim_handle **process_handles(sim_handle *h) { return sim_process_handles(h->proc); }

/* ---- actions (engine thread, engine lock held) -------------------------- */

/* The outcome for a request on a process that must still be running. */
static HRESULT need_running(sim_process *proc, char **doc)
{
    if (!sim_process_started(proc))
        return sim_fail(SIM_E_NOT_FOUND, "the process was never started", doc);
    if (sim_process_exited(proc))
        return sim_fail(HCS_E_PROCESS_ALREADY_STOPPED, "the process has exited", doc);
    return S_OK;
}

/* §11 #39, #40: a running system starts the program. */
static HRESULT create_outcome(sim_request *req, char **doc);

static HRESULT do_create(sim_request *req, char **doc)
{
    HRESULT hr = create_outcome(req, doc);
    if (FAILED(hr))
        sim_process_failed(req->proc);
    return hr;
}

static HRESULT create_outcome(sim_request *req, char **doc)
{
    sim_system *sys = req->sys;
    if (sys->state == SIM_STOPPED)
        return sim_fail(HCS_E_SYSTEM_ALREADY_STOPPED, "the system has exited", doc);
    if (sys->state != SIM_RUNNING)
        return sim_fail(HCS_E_INVALID_STATE, "processes start in a running system", doc);
    if (FAILED(req->preset))
        return sim_fail(req->preset, req->preset_detail, doc);
    char detail[SIM_DETAIL_SIZE];
    HRESULT hr = sim_process_start(req->proc, detail);
    if (FAILED(hr))
        return sim_fail(hr, detail, doc);
    sim_process_info(req->proc, &req->info);
    req->has_info = true;
    return S_OK;
}

/* §11 #43: terminate a live process; an exited one is already stopped. */
static HRESULT do_terminate(sim_request *req, char **doc)
{
    HRESULT hr = need_running(req->proc, doc);
    if (SUCCEEDED(hr))
        sim_process_signal(req->proc, SIM_SIGNAL_TERMINATE);
    return hr;
}

/* §11 #44: SignalProcessOptions {"Signal": ...}. */
static HRESULT do_signal(sim_request *req, char **doc)
{
    if (FAILED(req->preset))
        return sim_fail(req->preset, req->preset_detail, doc);
    HRESULT hr = need_running(req->proc, doc);
    if (FAILED(hr))
        return hr;
    const char *signal = json_string_value(json_object_get(req->args, "Signal"));
    static const char *const known[] = {"CtrlC", "CtrlBreak", "CtrlClose", "CtrlLogOff", "CtrlShutdown"};
    for (size_t i = 0; signal && i < sizeof known / sizeof known[0]; i++)
        if (strcmp(signal, known[i]) == 0) {
            sim_process_signal(req->proc, i == 1 ? SIM_SIGNAL_CTRL_BREAK : SIM_SIGNAL_CTRL_C);
            return S_OK;
        }
    return sim_fail(HCS_E_INVALID_JSON, "SignalProcessOptions.Signal: expected CtrlC, CtrlBreak, CtrlClose, "
                                        "CtrlLogOff or CtrlShutdown", doc);
}

/* §11 #47: fresh handles each time while the process runs. */
static HRESULT do_get_info(sim_request *req, char **doc)
{
    HRESULT hr = need_running(req->proc, doc);
    if (FAILED(hr))
        return hr;
    sim_process_info(req->proc, &req->info);
    req->has_info = true;
    return S_OK;
}

/* §11 #41: ProcessStatus, while running and after. */
static HRESULT do_properties(sim_request *req, char **doc)
{
    if (!sim_process_started(req->proc))
        return sim_fail(SIM_E_NOT_FOUND, "the process was never started", doc);
    *doc = sim_process_status(req->proc);
    return *doc ? S_OK : E_OUTOFMEMORY;
}

/* §11 #45: ProcessModifyRequest: CloseHandle or ConsoleSize. */
static HRESULT do_modify(sim_request *req, char **doc)
{
    if (FAILED(req->preset))
        return sim_fail(req->preset, req->preset_detail, doc);
    HRESULT hr = need_running(req->proc, doc);
    if (FAILED(hr))
        return hr;
    const char *op = json_string_value(json_object_get(req->args, "Operation"));
    const char *handle = json_string_value(json_object_get(json_object_get(req->args, "CloseHandle"), "Handle"));
    json_t *size = json_object_get(req->args, "ConsoleSize");
    json_int_t h = json_integer_value(json_object_get(size, "Height"));
    json_int_t w = json_integer_value(json_object_get(size, "Width"));
    if (op && strcmp(op, "CloseHandle") == 0 && handle &&
        (strcmp(handle, "StdIn") == 0 || strcmp(handle, "StdOut") == 0 || strcmp(handle, "StdErr") == 0 ||
         strcmp(handle, "All") == 0)) {
        sim_process_close_stdio(req->proc, handle);
        return S_OK;
    }
    if (op && strcmp(op, "ConsoleSize") == 0 && h >= 1 && h <= 65535 && w >= 1 && w <= 65535) {
        sim_process_resize_console(req->proc, (unsigned)h, (unsigned)w);
        return S_OK;
    }
    return sim_fail(HCS_E_INVALID_JSON, "ProcessModifyRequest: expected {\"Operation\":\"CloseHandle\",\"CloseHandle\":"
                                        "{\"Handle\":\"StdIn|StdOut|StdErr|All\"}} or a ConsoleSize of 1 to 65535",
                    doc);
}

/* ---- exports ------------------------------------------------------------ */

static const struct process_call {
    const char *call;
    sim_action action;
    HCS_OPERATION_TYPE type;
    bool options_required;
} calls[] = {
    /* No operation type exists for terminate (hcs-api §2.1; inferred: SignalProcess). */
    {"HcsTerminateProcess", do_terminate, HcsOperationTypeSignalProcess, false},
    {"HcsSignalProcess", do_signal, HcsOperationTypeSignalProcess, false},
    {"HcsGetProcessInfo", do_get_info, HcsOperationTypeGetProcessInfo, false},
    {"HcsGetProcessProperties", do_properties, HcsOperationTypeGetProcessProperties, false},
    {"HcsModifyProcess", do_modify, HcsOperationTypeModifyProcess, true},
};

/* Makes the process behind h the request's target. */
static void attach(sim_request *req, sim_handle *h)
{
    hcs_object_retain(&h->base);
    req->target = h;
    sim_system_retain(h->sys);
    req->sys = h->sys;
    sim_process_retain(h->proc);
    req->proc = h->proc;
}

HRESULT sim_process_create(HCS_SYSTEM system, PCWSTR parameters, HCS_OPERATION operation,
                           const SECURITY_DESCRIPTOR *security_descriptor, HCS_PROCESS *out)
{
    if (!out)
        return E_POINTER;
    *out = NULL;
    if (!parameters || security_descriptor)
        return E_INVALIDARG;
    char detail[SIM_DETAIL_SIZE] = "";
    json_t *params = NULL;
    HRESULT verdict = sim_json_in(parameters, &params, detail);
    if (verdict == E_OUTOFMEMORY)
        return verdict;
    sim_handle *sh = sim_handle_acquire(system, SIM_KIND_SYSTEM_HANDLE);
    sim_process *proc = sh ? sim_process_new(sh->sys) : NULL;
    sim_request *req = proc ? sim_request_new("HcsCreateProcess", HcsOperationTypeCreateProcess, do_create) : NULL;
    HRESULT hr = !sh ? SIM_E_HANDLE : req ? S_OK : E_OUTOFMEMORY;
    sim_engine *e = sim_engine_get();
    hcs_mutex_lock(&e->mu);
    sim_handle *ph = req ? sim_handle_new(e, sh->sys, proc, sim_process_handles(proc)) : NULL;
    if (req && !ph)
        hr = E_OUTOFMEMORY;
    if (ph) {
        if (SUCCEEDED(verdict))
            verdict = sim_process_configure(proc, params, detail);
        sim_request_preset(req, verdict, detail);
        attach(req, ph);
        hr = e->disconnected ? HCS_E_SERVICE_DISCONNECT : sim_request_submit(req, operation);
        req = FAILED(hr) ? req : NULL;
        /* Before the lock goes: the completion callback finds the handle. */
        if (SUCCEEDED(hr))
            *out = (HCS_PROCESS)sim_handle_value(ph->value);
    }
    hcs_mutex_unlock(&e->mu);
    sim_request_free(req);
    if (FAILED(hr) && ph) /* refused synchronously: the handle was never given out */
        sim_handle_release(sim_handle_close((void *)(uintptr_t)ph->value, SIM_KIND_PROCESS_HANDLE, process_handles));
    sim_process_release(proc);
    sim_handle_release(sh);
    json_decref(params);
    return hr;
}

/* §11 #46: only a running pid opens; others give ERROR_NOT_FOUND. */
HRESULT sim_process_open(HCS_SYSTEM system, DWORD pid, DWORD requested_access, HCS_PROCESS *out)
{
    if (!out)
        return E_POINTER;
    *out = NULL;
    if (requested_access != GENERIC_ALL)
        return E_INVALIDARG;
    sim_handle *sh = sim_handle_acquire(system, SIM_KIND_SYSTEM_HANDLE);
    if (!sh)
        return SIM_E_HANDLE;
    sim_engine *e = sim_engine_get();
    hcs_mutex_lock(&e->mu);
    sim_process *proc = sim_process_find(sh->sys, pid);
    HRESULT hr = e->disconnected ? HCS_E_SERVICE_DISCONNECT : proc ? E_OUTOFMEMORY : SIM_E_NOT_FOUND;
    if (proc && !e->disconnected) {
        sim_handle *ph = sim_handle_new(e, sh->sys, proc, sim_process_handles(proc));
        if (ph) {
            *out = (HCS_PROCESS)sim_handle_value(ph->value);
            hr = S_OK;
        }
    }
    hcs_mutex_unlock(&e->mu);
    sim_handle_release(sh);
    return hr;
}

/* §11 #48: closing a handle does not stop the process. */
void sim_process_close(HCS_PROCESS process)
{
    sim_handle_release(sim_handle_close(process, SIM_KIND_PROCESS_HANDLE, process_handles));
}

HRESULT sim_process_call(const char *call, HCS_PROCESS process, HCS_OPERATION operation, PCWSTR options)
{
    const struct process_call *spec = calls;
    while (strcmp(spec->call, call) != 0)
        spec++;
    if (spec->options_required && !options)
        return E_INVALIDARG;
    char detail[SIM_DETAIL_SIZE] = "";
    json_t *args = NULL;
    HRESULT verdict = sim_json_in(options, &args, detail);
    if (verdict == E_OUTOFMEMORY)
        return verdict;
    sim_handle *h = sim_handle_acquire(process, SIM_KIND_PROCESS_HANDLE);
    sim_request *req = h ? sim_request_new(spec->call, spec->type, spec->action) : NULL;
    if (!req) {
        json_decref(args);
        sim_handle_release(h);
        return h ? E_OUTOFMEMORY : SIM_E_HANDLE;
    }
    req->args = args;
    sim_request_preset(req, verdict, detail);
    attach(req, h);
    sim_handle_release(h);
    return sim_request_queue(req, operation);
}

HRESULT sim_process_set_callback(HCS_PROCESS process, HCS_EVENT_OPTIONS options, const void *context,
                                 HCS_EVENT_CALLBACK callback)
{
    return sim_register_callback(process, SIM_KIND_PROCESS_HANDLE, options, context, callback);
}

/* §11 #42: ProcessStatus once exited. */
HRESULT sim_process_wait_exit(HCS_PROCESS process, DWORD timeout_ms, PWSTR *result)
{
    if (result)
        *result = NULL;
    sim_handle *h = sim_handle_acquire(process, SIM_KIND_PROCESS_HANDLE);
    if (!h)
        return SIM_E_HANDLE;
    sim_engine *e = sim_engine_get();
    hcs_mutex_lock(&e->mu);
    HRESULT hr = sim_exit_wait_timeout_code();
    if (sim_process_await_exit(h->proc, hcs_deadline_after(timeout_ms))) {
        {
            char *status = sim_process_status(h->proc);
            hr = !status ? E_OUTOFMEMORY : result ? sim_string_out(status, result) : S_OK;
            free(status);
        }
    } else if (!sim_process_started(h->proc) && !sim_process_pending(h->proc)) {
        hr = SIM_E_NOT_FOUND; /* its create failed */
    }
    hcs_mutex_unlock(&e->mu);
    sim_handle_release(h);
    return hr;
}
