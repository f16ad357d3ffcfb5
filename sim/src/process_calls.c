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

static sim_handle **process_handles(sim_handle *h) { return hcssim__process_handles(h->proc); }

/* ---- actions (engine thread, engine lock held) -------------------------- */

/* The outcome for a request on a process that must still be running. */
static HRESULT need_running(sim_process *proc, char **doc)
{
    if (!hcssim__process_started(proc))
        return hcssim__fail(SIM_E_NOT_FOUND, "the process was never started", doc);
    if (hcssim__process_exited(proc))
        return hcssim__fail(HCS_E_PROCESS_ALREADY_STOPPED, "the process has exited", doc);
    return S_OK;
}

/* §11 #39, #40: a running system starts the program. */
static HRESULT create_outcome(sim_request *req, char **doc);

static HRESULT do_create(sim_request *req, char **doc)
{
    HRESULT hr = create_outcome(req, doc);
    if (FAILED(hr))
        hcssim__process_failed(req->proc);
    return hr;
}

static HRESULT create_outcome(sim_request *req, char **doc)
{
    sim_system *sys = req->sys;
    if (sys->state == SIM_STOPPED)
        return hcssim__fail(HCS_E_SYSTEM_ALREADY_STOPPED, "the system has exited", doc);
    if (sys->state != SIM_RUNNING)
        return hcssim__fail(HCS_E_INVALID_STATE, "processes start in a running system", doc);
    /* A VM runs processes through its guest agent (zlayer-hcs §2.2:
     * ERROR_NOT_SUPPORTED for HcsCreateProcess on a utility VM without
     * one; the same code as shutdown, §11 #21). */
    if (sys->is_vm && !sys->has_guest_connection)
        return hcssim__fail(SIM_E_NOT_SUPPORTED, "the virtual machine has no guest connection to run a process through",
                            doc);
    if (FAILED(req->preset))
        return hcssim__fail(req->preset, req->preset_detail, doc);
    char detail[SIM_DETAIL_SIZE];
    HRESULT hr = hcssim__process_start(req->proc, detail);
    if (FAILED(hr))
        return hcssim__fail(hr, detail, doc);
    hcssim__process_info(req->proc, &req->info);
    req->has_info = true;
    return S_OK;
}

/* §11 #43: terminate a live process; an exited one is already stopped. */
static HRESULT do_terminate(sim_request *req, char **doc)
{
    HRESULT hr = need_running(req->proc, doc);
    if (SUCCEEDED(hr))
        hcssim__process_signal(req->proc, SIM_SIGNAL_TERMINATE);
    return hr;
}

/* §11 #44: SignalProcessOptions {"Signal": ...}. */
static HRESULT do_signal(sim_request *req, char **doc)
{
    if (FAILED(req->preset))
        return hcssim__fail(req->preset, req->preset_detail, doc);
    HRESULT hr = need_running(req->proc, doc);
    if (FAILED(hr))
        return hr;
    const char *signal = json_string_value(json_object_get(req->args, "Signal"));
    static const char *const known[] = {"CtrlC", "CtrlBreak", "CtrlClose", "CtrlLogOff", "CtrlShutdown"};
    for (size_t i = 0; signal && i < sizeof known / sizeof known[0]; i++)
        if (strcmp(signal, known[i]) == 0) {
            hcssim__process_signal(req->proc, i == 1 ? SIM_SIGNAL_CTRL_BREAK : SIM_SIGNAL_CTRL_C);
            return S_OK;
        }
    return hcssim__fail(HCS_E_INVALID_JSON,
                        "SignalProcessOptions.Signal: expected CtrlC, CtrlBreak, CtrlClose, "
                        "CtrlLogOff or CtrlShutdown",
                        doc);
}

/* §11 #47: fresh handles each time while the process runs. */
static HRESULT do_get_info(sim_request *req, char **doc)
{
    HRESULT hr = need_running(req->proc, doc);
    if (FAILED(hr))
        return hr;
    hcssim__process_info(req->proc, &req->info);
    req->has_info = true;
    return S_OK;
}

/* §11 #41: ProcessStatus, while running and after. */
static HRESULT do_properties(sim_request *req, char **doc)
{
    if (!hcssim__process_started(req->proc))
        return hcssim__fail(SIM_E_NOT_FOUND, "the process was never started", doc);
    *doc = hcssim__process_status(req->proc);
    return *doc ? S_OK : E_OUTOFMEMORY;
}

/* §11 #45: ProcessModifyRequest: CloseHandle or ConsoleSize. */
static HRESULT do_modify(sim_request *req, char **doc)
{
    if (FAILED(req->preset))
        return hcssim__fail(req->preset, req->preset_detail, doc);
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
        hcssim__process_close_stdio(req->proc, handle);
        return S_OK;
    }
    if (op && strcmp(op, "ConsoleSize") == 0 && h >= 1 && h <= 65535 && w >= 1 && w <= 65535) {
        hcssim__process_resize_console(req->proc, (unsigned)h, (unsigned)w);
        return S_OK;
    }
    return hcssim__fail(HCS_E_INVALID_JSON,
                        "ProcessModifyRequest: expected {\"Operation\":\"CloseHandle\",\"CloseHandle\":"
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
    hcssim__system_retain(h->sys);
    req->sys = h->sys;
    hcssim__process_retain(h->proc);
    req->proc = h->proc;
}

HRESULT hcssim__process_create(HCS_SYSTEM system, PCWSTR parameters, HCS_OPERATION operation,
                               const SECURITY_DESCRIPTOR *security_descriptor, HCS_PROCESS *out)
{
    if (!out)
        return E_POINTER;
    *out = NULL;
    if (!parameters || security_descriptor)
        return E_INVALIDARG;
    char detail[SIM_DETAIL_SIZE] = "";
    json_t *params = NULL;
    HRESULT verdict = hcssim__json_in(parameters, &params, detail);
    if (verdict == E_OUTOFMEMORY)
        return verdict;
    sim_handle *sh = hcssim__handle_acquire(system, SIM_KIND_SYSTEM_HANDLE);
    sim_process *proc = sh ? hcssim__process_new(sh->sys) : NULL;
    sim_request *req = proc ? hcssim__request_new("HcsCreateProcess", HcsOperationTypeCreateProcess, do_create) : NULL;
    HRESULT hr = !sh ? SIM_E_HANDLE : req ? S_OK : E_OUTOFMEMORY;
    sim_engine *e = hcssim__engine_get();
    hcs__mutex_lock(&e->mu);
    sim_handle *ph = req ? hcssim__handle_new(e, sh->sys, proc, hcssim__process_handles(proc)) : NULL;
    if (req && !ph)
        hr = E_OUTOFMEMORY;
    if (ph) {
        if (SUCCEEDED(verdict))
            verdict = hcssim__process_configure(proc, params, detail);
        hcssim__request_preset(req, verdict, detail);
        attach(req, ph);
        hr = e->disconnected ? HCS_E_SERVICE_DISCONNECT : hcssim__request_submit(req, operation);
        req = FAILED(hr) ? req : NULL;
        /* Before the lock goes: the completion callback finds the handle. */
        if (SUCCEEDED(hr))
            *out = (HCS_PROCESS)sim_handle_value(ph->value);
    }
    hcs__mutex_unlock(&e->mu);
    hcssim__request_free(req);
    if (FAILED(hr) && ph) /* refused synchronously: the handle was never given out */
        hcssim__handle_release(
            hcssim__handle_close((void *)(uintptr_t)ph->value, SIM_KIND_PROCESS_HANDLE, process_handles));
    hcssim__process_release(proc);
    hcssim__handle_release(sh);
    json_decref(params);
    return hr;
}

/* §11 #46: only a running pid opens; others give ERROR_NOT_FOUND. */
HRESULT hcssim__process_open(HCS_SYSTEM system, DWORD pid, DWORD requested_access, HCS_PROCESS *out)
{
    if (!out)
        return E_POINTER;
    *out = NULL;
    if (requested_access != GENERIC_ALL)
        return E_INVALIDARG;
    sim_handle *sh = hcssim__handle_acquire(system, SIM_KIND_SYSTEM_HANDLE);
    if (!sh)
        return SIM_E_HANDLE;
    sim_engine *e = hcssim__engine_get();
    hcs__mutex_lock(&e->mu);
    sim_process *proc = hcssim__process_find(sh->sys, pid);
    HRESULT hr = e->disconnected ? HCS_E_SERVICE_DISCONNECT : proc ? E_OUTOFMEMORY : SIM_E_NOT_FOUND;
    if (proc && !e->disconnected) {
        sim_handle *ph = hcssim__handle_new(e, sh->sys, proc, hcssim__process_handles(proc));
        if (ph) {
            *out = (HCS_PROCESS)sim_handle_value(ph->value);
            hr = S_OK;
        }
    }
    hcs__mutex_unlock(&e->mu);
    hcssim__handle_release(sh);
    return hr;
}

/* §11 #48: closing a handle does not stop the process. */
void hcssim__process_close(HCS_PROCESS process)
{
    hcssim__handle_release(hcssim__handle_close(process, SIM_KIND_PROCESS_HANDLE, process_handles));
}

HRESULT hcssim__process_call(const char *call, HCS_PROCESS process, HCS_OPERATION operation, PCWSTR options)
{
    const struct process_call *spec = calls;
    while (strcmp(spec->call, call) != 0)
        spec++;
    if (spec->options_required && !options)
        return E_INVALIDARG;
    char detail[SIM_DETAIL_SIZE] = "";
    json_t *args = NULL;
    HRESULT verdict = hcssim__json_in(options, &args, detail);
    if (verdict == E_OUTOFMEMORY)
        return verdict;
    sim_handle *h = hcssim__handle_acquire(process, SIM_KIND_PROCESS_HANDLE);
    sim_request *req = h ? hcssim__request_new(spec->call, spec->type, spec->action) : NULL;
    if (!req) {
        json_decref(args);
        hcssim__handle_release(h);
        return h ? E_OUTOFMEMORY : SIM_E_HANDLE;
    }
    req->args = args;
    hcssim__request_preset(req, verdict, detail);
    attach(req, h);
    hcssim__handle_release(h);
    return hcssim__request_queue(req, operation);
}

HRESULT hcssim__process_set_callback(HCS_PROCESS process, HCS_EVENT_OPTIONS options, const void *context,
                                     HCS_EVENT_CALLBACK callback)
{
    return hcssim__register_callback(process, SIM_KIND_PROCESS_HANDLE, options, context, callback);
}

/* §11 #42: ProcessStatus once exited. */
HRESULT hcssim__process_wait_exit(HCS_PROCESS process, DWORD timeout_ms, PWSTR *result)
{
    if (result)
        *result = NULL;
    sim_handle *h = hcssim__handle_acquire(process, SIM_KIND_PROCESS_HANDLE);
    if (!h)
        return SIM_E_HANDLE;
    sim_engine *e = hcssim__engine_get();
    hcs__mutex_lock(&e->mu);
    HRESULT hr = hcssim__exit_wait_timeout_code();
    if (hcssim__process_await_exit(h->proc, hcs__deadline_after(timeout_ms))) {
        {
            char *status = hcssim__process_status(h->proc);
            hr = !status ? E_OUTOFMEMORY : result ? hcssim__string_out(status, result) : S_OK;
            free(status);
        }
    } else if (!hcssim__process_started(h->proc) && !hcssim__process_pending(h->proc)) {
        hr = SIM_E_NOT_FOUND; /* its create failed */
    }
    hcs__mutex_unlock(&e->mu);
    hcssim__handle_release(h);
    return hr;
}
