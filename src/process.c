/* Processes (see hcs/process.h). */
#include "process_internal.h"

#include "call.h"
#include "cq.h"
#include "error_internal.h"
#include "event_hub.h"
#include "handles.h"
#include "hcs/builders.h"
#include "hcs/streams.h"
#include "hcs_callback.h"
#include "platform/os_pipe.h"
#include "schema/schema_read.h"
#include "system_internal.h"
#include "util/utf16.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static hcs_client_obj *client_of(const process_obj *p) { return p->system->client; }

static void destroy_process(hcs_object *o)
{
    process_obj *p = (process_obj *)o;
    hcs__close_raw(client_of(p), HCS_KIND_PROCESS, hcs__raw_handle_owned(&p->raw));
    hcs__event_hub_destroy(&p->hub);
    hcs__raw_handle_destroy(&p->raw);
    hcs__system_release(p->system);
    free(p);
}

HCS_PROCESS hcs__process_raw_begin(process_obj *p) { return (HCS_PROCESS)hcs__raw_handle_begin(&p->raw); }
void hcs__process_raw_end(process_obj *p) { hcs__raw_handle_end(&p->raw); }

process_obj *hcs__process_acquire(hcs_process proc, const char *call, hcs_error *err)
{
    process_obj *p = (process_obj *)hcs__table_acquire(hcs__handles(), proc.id, HCS_KIND_PROCESS);
    if (!p)
        hcs__fail(err, HCS_WIN32_E_INVALID_HANDLE, call, "the process handle is closed or invalid");
    return p;
}

void hcs__process_release(process_obj *p)
{
    if (p)
        hcs_object_release(&p->base);
}

/* ---- events and the exit latch ------------------------------------------ */

static void CALLBACK on_process_event(HCS_EVENT *event, void *context)
{
    hcs__callback_enter();
    process_obj *p = (process_obj *)hcs__table_acquire(hcs__handles(), (uint64_t)(uintptr_t)context, HCS_KIND_PROCESS);
    if (p) {
        char *data = NULL;
        if (event->EventData)
            hcs__utf16_to_utf8((const uint16_t *)event->EventData, &data);
        hcs__event_hub_post(&p->hub, (uint32_t)event->Type, data);
        free(data);
        hcs__process_release(p);
    }
    hcs__callback_leave();
}

/* ---- status checks (event_hub.h) ---------------------------------------- */

static int32_t start_check(event_hub *hub, const hcs_async *how)
{
    return hcs_process_properties_async(hub->process, how, NULL, NULL);
}

static bool says_exited(const char *document)
{
    hcs_schema_doc *doc = hcs__schema_read(HCS_SCHEMA_ProcessStatus, document);
    const hcs_ProcessStatus *st = hcs_schema_doc_root(doc);
    bool exited = st && st->has_Exited && st->Exited;
    hcs_schema_doc_free(doc);
    return exited;
}

/* A process HCS no longer knows has gone (hcsshim-and-peers §6 #8); its
 * exit code is unknown, so waits report HCS_E_PROCESS_INFO_NOT_AVAILABLE. */
static bool vanished(int32_t hr)
{
    hcs_error_kind kind = hcs_classify(hr);
    return hr == HCS_E_PROCESS_ALREADY_STOPPED || kind == HCS_ERROR_NOT_FOUND || kind == HCS_ERROR_ALREADY_STOPPED;
}

static const event_hub_checker checker = {start_check, says_exited, vanished};

/* Registers libhcs's event callback, then asks once for the status, since
 * the process may have exited before (hcsshim-and-peers §8 lesson 4). */
static void listen_for_events(process_obj *p, HCS_PROCESS raw, uint64_t id)
{
    const hcs_api *api = &client_of(p)->provider->api;
    if (api->HcsSetProcessCallback)
        api->HcsSetProcessCallback(raw, HcsEventOptionNone, (void *)(uintptr_t)id, on_process_event);
    hcs__event_hub_check(&p->hub);
}

int32_t hcs__process_wrap(system_obj *s, HCS_PROCESS raw, uint32_t pid, const char *call, const hcs_event_sink *sink,
                          hcs_process *out, hcs_error *err)
{
    out->id = 0;
    process_obj *p = calloc(1, sizeof *p);
    if (!p) {
        hcs__close_raw(s->client, HCS_KIND_PROCESS, raw);
        return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, call, "out of memory");
    }
    hcs_object_init(&p->base, destroy_process);
    hcs_object_retain(&s->base);
    p->system = s;
    hcs__raw_handle_init(&p->raw, raw);
    p->pid = pid;
    hcs__event_hub_init(&p->hub, &p->base, HcsEventProcessExited, &checker);
    p->hub.system.id = s->hub.system.id;
    uint64_t id = hcs__table_insert(hcs__handles(), HCS_KIND_PROCESS, &p->base);
    p->hub.process.id = id;
    /* The creator's subscriber is listed before HCS can call back (a queue
     * closed since the call began just gets nothing). */
    if (id && sink && (sink->callback || sink->cq.id))
        hcs__event_hub_subscribe(&p->hub, sink, call, NULL, NULL);
    if (id)
        listen_for_events(p, raw, id);
    hcs_object_release(&p->base);
    if (!id)
        return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, call, "out of memory");
    out->id = id;
    return hcs__succeed(err);
}

static hcs_stdio stdio_of(const HCS_PROCESS_INFORMATION *info)
{
    hcs_stdio io = {hcs__pipe_from_abi(info->StdInput), hcs__pipe_from_abi(info->StdOutput),
                    hcs__pipe_from_abi(info->StdError)};
    return io;
}

/* ---- create and open ---------------------------------------------------- */

static int32_t finish_create(hcs_call *call, hcs_result *r)
{
    HCS_PROCESS_INFORMATION info = {0};
    bool has = hcs__call_take_process_info(call, &info);
    r->stdio = has ? stdio_of(&info) : (hcs_stdio){HCS_PIPE_NONE, HCS_PIPE_NONE, HCS_PIPE_NONE};
    r->process_id = info.ProcessId;
    return hcs__process_wrap(hcs__call_context(call), hcs__call_take_process(call), info.ProcessId, "HcsCreateProcess",
                             hcs__call_sink(call), &r->process, &r->error);
}

static int32_t create(hcs_system sys, const hcs_process_spec *spec, const hcs_async *how, uint32_t timeout_ms,
                      hcs_result *result, hcs_op *op, hcs_error *err)
{
    const char *name = "HcsCreateProcess";
    char *params = NULL;
    int32_t hr = spec ? hcs__sink_check(&spec->events, name, err) : HCS_OK;
    if (HCS_SUCCEEDED(hr))
        hr = hcs_build_process(spec, &params, err);
    if (HCS_FAILED(hr))
        return hr;
    system_obj *s = hcs__system_acquire(sys, name, err);
    hr = HCS_WIN32_E_INVALID_HANDLE;
    hcs_call *call = NULL;
    if (s && hcs__client_function(s->client, offsetof(hcs_api, HcsCreateProcess), name, err) &&
        hcs__client_function(s->client, offsetof(hcs_api, HcsGetOperationResultAndProcessInfo),
                             "HcsGetOperationResultAndProcessInfo", err))
        call = hcs__call_new(s->client, name, HCS_CALL_PROCESS, how, &hr, err);
    else if (s)
        hr = HCS_WIN32_E_PROC_NOT_FOUND;
    if (call) {
        hcs__call_set_system(call, sys);
        hcs__call_want_process_info(call);
        hcs__call_set_finisher(call, finish_create, s);
        hcs__call_set_sink(call, &spec->events);
        hcs__call_keep(call, &s->base);
        PCWSTR w = hcs__call_text(call, params, &hr);
        HCS_SYSTEM raw = HCS_SUCCEEDED(hr) ? hcs__system_raw_begin(s) : NULL;
        if (HCS_SUCCEEDED(hr) && !raw)
            hr = HCS_WIN32_E_INVALID_HANDLE; /* given away by hcs_system_into_raw */
        else if (raw)
            hr = s->client->provider->api.HcsCreateProcess(raw, w, hcs__call_operation(call), NULL,
                                                           hcs__call_process_slot(call));
        if (raw)
            hcs__system_raw_end(s);
        hr = hcs__call_finish(call, hr, timeout_ms, result, op, err);
    }
    hcs__system_release(s);
    free(params);
    return hr;
}

int32_t hcs_process_create(hcs_system sys, const hcs_process_spec *spec, uint32_t timeout_ms, hcs_process *out,
                           hcs_stdio *stdio, hcs_error *err)
{
    if (!out)
        return hcs__fail(err, HCS_COM_E_POINTER, "HcsCreateProcess", "out is NULL");
    out->id = 0;
    if (stdio)
        *stdio = (hcs_stdio){HCS_PIPE_NONE, HCS_PIPE_NONE, HCS_PIPE_NONE};
    hcs_result r;
    hcs__result_init(&r);
    int32_t hr = create(sys, spec, NULL, timeout_ms, &r, NULL, err);
    if (HCS_SUCCEEDED(hr)) {
        *out = r.process;
        if (stdio)
            *stdio = r.stdio;
        else
            hcs_stdio_close(&r.stdio);
    }
    hcs_result_clear(&r);
    return hr;
}

int32_t hcs_process_create_async(hcs_system sys, const hcs_process_spec *spec, const hcs_async *how, hcs_op *op,
                                 hcs_error *err)
{
    if (op)
        op->id = 0;
    if (!how)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, "HcsCreateProcess", "how is NULL");
    return create(sys, spec, how, 0, NULL, op, err);
}

int32_t hcs_process_open(hcs_system sys, uint32_t pid, hcs_process *out, hcs_error *err)
{
    const char *name = "HcsOpenProcess";
    if (!out)
        return hcs__fail(err, HCS_COM_E_POINTER, name, "out is NULL");
    out->id = 0;
    system_obj *s = hcs__system_acquire(sys, name, err);
    if (!s)
        return HCS_WIN32_E_INVALID_HANDLE;
    int32_t hr = HCS_WIN32_E_PROC_NOT_FOUND;
    if (hcs__client_function(s->client, offsetof(hcs_api, HcsOpenProcess), name, err)) {
        HCS_PROCESS raw = NULL;
        HCS_SYSTEM sys_raw = hcs__system_raw_begin(s);
        uint64_t started = hcs__clock_ms();
        hr = sys_raw ? s->client->provider->api.HcsOpenProcess(sys_raw, pid, GENERIC_ALL, &raw)
                     : HCS_WIN32_E_INVALID_HANDLE;
        if (sys_raw) {
            hcs__system_raw_end(s);
            hcs__client_trace(s->client, (hcs_trace_record){name, sys, 0, 0, hr, NULL, NULL}, started);
        }
        hr = HCS_FAILED(hr) ? hcs__fail(err, hr, name, "cannot open process %u", (unsigned)pid)
                            : hcs__process_wrap(s, raw, pid, name, NULL, out, err);
    }
    hcs__system_release(s);
    return hr;
}

uint32_t hcs_process_pid(hcs_process proc)
{
    process_obj *p = hcs__process_acquire(proc, "hcs_process_pid", NULL);
    uint32_t pid = p ? p->pid : 0;
    hcs__process_release(p);
    return pid;
}

/* ---- calls on a process ------------------------------------------------- */

typedef struct process_call_spec {
    const char *name;
    size_t offset;
    bool (*accept)(int32_t hr);
    bool want_info;
} process_call_spec;

/* A kill of a process that is already gone did what was asked
 * (hcsshim-and-peers §6 #6). */
static bool gone(int32_t hr) { return vanished(hr) || hr == HCS_WIN32_E_ACCESS_DENIED; }

typedef HRESULT(WINAPI *process_op_fn)(HCS_PROCESS, HCS_OPERATION, PCWSTR);
typedef HRESULT(WINAPI *process_info_fn)(HCS_PROCESS, HCS_OPERATION);

/* clang-format off */
#define PSPEC(fn, accept, info) {#fn, offsetof(hcs_api, fn), accept, info}
/* clang-format on */
static const process_call_spec KILL = PSPEC(HcsTerminateProcess, gone, false);
static const process_call_spec SIGNAL = PSPEC(HcsSignalProcess, NULL, false);
static const process_call_spec MODIFY = PSPEC(HcsModifyProcess, NULL, false);
static const process_call_spec PROPERTIES = PSPEC(HcsGetProcessProperties, NULL, false);
static const process_call_spec INFO = PSPEC(HcsGetProcessInfo, NULL, true);

static int32_t finish_info(hcs_call *call, hcs_result *r)
{
    HCS_PROCESS_INFORMATION info = {0};
    bool has = hcs__call_take_process_info(call, &info);
    r->stdio = has ? stdio_of(&info) : (hcs_stdio){HCS_PIPE_NONE, HCS_PIPE_NONE, HCS_PIPE_NONE};
    r->process_id = info.ProcessId;
    return HCS_OK;
}

static int32_t process_call(hcs_process proc, const process_call_spec *spec, const char *arg, const hcs_async *how,
                            uint32_t timeout_ms, hcs_result *result, hcs_op *op, hcs_error *err)
{
    process_obj *p = hcs__process_acquire(proc, spec->name, err);
    if (!p)
        return HCS_WIN32_E_INVALID_HANDLE;
    hcs_client_obj *c = client_of(p);
    int32_t hr = HCS_WIN32_E_PROC_NOT_FOUND;
    void (*fn)(void) = hcs__client_function(c, spec->offset, spec->name, err);
    hcs_call *call = fn ? hcs__call_new(c, spec->name, HCS_CALL_PROCESS, how, &hr, err) : NULL;
    if (call) {
        hcs__call_set_system(call, p->system->hub.system);
        hcs__call_accept(call, spec->accept);
        PCWSTR w = spec->want_info ? NULL : hcs__call_text(call, arg, &hr);
        HCS_PROCESS raw = HCS_SUCCEEDED(hr) ? hcs__process_raw_begin(p) : NULL;
        if (HCS_SUCCEEDED(hr) && !raw) {
            hr = HCS_WIN32_E_INVALID_HANDLE; /* given away by hcs_process_into_raw */
        } else if (raw && spec->want_info) {
            hcs__call_want_process_info(call);
            hcs__call_set_finisher(call, finish_info, NULL);
            hr = ((process_info_fn)fn)(raw, hcs__call_operation(call));
        } else if (raw) {
            hr = ((process_op_fn)fn)(raw, hcs__call_operation(call), w);
        }
        if (raw)
            hcs__process_raw_end(p);
        hr = hcs__call_finish(call, hr, timeout_ms, result, op, err);
    }
    hcs__process_release(p);
    return hr;
}

/* Blocking form; *doc (when non-NULL) takes the result document. */
static int32_t blocking(hcs_process proc, const process_call_spec *spec, const char *arg, uint32_t timeout_ms,
                        char **doc, hcs_stdio *stdio, hcs_error *err)
{
    hcs_result r;
    hcs__result_init(&r);
    int32_t hr = process_call(proc, spec, arg, NULL, timeout_ms, &r, NULL, err);
    if (doc && HCS_SUCCEEDED(hr)) {
        *doc = r.document;
        r.document = NULL;
    }
    if (stdio)
        *stdio = r.stdio;
    else
        hcs_stdio_close(&r.stdio);
    hcs_result_clear(&r);
    return hr;
}

static int32_t async(hcs_process proc, const process_call_spec *spec, const char *arg, const hcs_async *how, hcs_op *op,
                     hcs_error *err)
{
    if (op)
        op->id = 0;
    if (!how)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, spec->name, "how is NULL");
    return process_call(proc, spec, arg, how, 0, NULL, op, err);
}

static const char *signal_options(hcs_signal signal)
{
    switch (signal) {
    case HCS_SIGNAL_CTRL_C:
        return "{\"Signal\":\"CtrlC\"}";
    case HCS_SIGNAL_CTRL_BREAK:
        return "{\"Signal\":\"CtrlBreak\"}";
    case HCS_SIGNAL_CTRL_CLOSE:
        return "{\"Signal\":\"CtrlClose\"}";
    case HCS_SIGNAL_CTRL_LOGOFF:
        return "{\"Signal\":\"CtrlLogOff\"}";
    case HCS_SIGNAL_CTRL_SHUTDOWN:
        return "{\"Signal\":\"CtrlShutdown\"}";
    }
    return NULL;
}

int32_t hcs_process_signal(hcs_process proc, hcs_signal signal, uint32_t timeout_ms, hcs_error *err)
{
    const char *options = signal_options(signal);
    if (!options)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, SIGNAL.name, "unknown signal %d", (int)signal);
    return blocking(proc, &SIGNAL, options, timeout_ms, NULL, NULL, err);
}

int32_t hcs_process_signal_async(hcs_process proc, hcs_signal signal, const hcs_async *how, hcs_op *op, hcs_error *err)
{
    const char *options = signal_options(signal);
    if (!options)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, SIGNAL.name, "unknown signal %d", (int)signal);
    return async(proc, &SIGNAL, options, how, op, err);
}

int32_t hcs_process_kill(hcs_process proc, uint32_t timeout_ms, hcs_error *err)
{
    return blocking(proc, &KILL, NULL, timeout_ms, NULL, NULL, err);
}

int32_t hcs_process_kill_async(hcs_process proc, const hcs_async *how, hcs_op *op, hcs_error *err)
{
    return async(proc, &KILL, NULL, how, op, err);
}

int32_t hcs_process_resize(hcs_process proc, uint16_t height, uint16_t width, uint32_t timeout_ms, hcs_error *err)
{
    char *req = NULL;
    int32_t hr = hcs_build_console_size(height, width, &req, err);
    if (HCS_SUCCEEDED(hr))
        hr = blocking(proc, &MODIFY, req, timeout_ms, NULL, NULL, err);
    free(req);
    return hr;
}

static const char close_stdin_request[] = "{\"Operation\":\"CloseHandle\",\"CloseHandle\":{\"Handle\":\"StdIn\"}}";

int32_t hcs_process_close_stdin(hcs_process proc, uint32_t timeout_ms, hcs_error *err)
{
    return blocking(proc, &MODIFY, close_stdin_request, timeout_ms, NULL, NULL, err);
}

int32_t hcs_process_close_stdin_async(hcs_process proc, const hcs_async *how, hcs_op *op, hcs_error *err)
{
    return async(proc, &MODIFY, close_stdin_request, how, op, err);
}

int32_t hcs_process_stdio(hcs_process proc, uint32_t timeout_ms, hcs_stdio *out, hcs_error *err)
{
    if (!out)
        return hcs__fail(err, HCS_COM_E_POINTER, INFO.name, "out is NULL");
    *out = (hcs_stdio){HCS_PIPE_NONE, HCS_PIPE_NONE, HCS_PIPE_NONE};
    return blocking(proc, &INFO, NULL, timeout_ms, NULL, out, err);
}

int32_t hcs_process_properties_json(hcs_process proc, uint32_t timeout_ms, char **out_json, hcs_error *err)
{
    if (!out_json)
        return hcs__fail(err, HCS_COM_E_POINTER, PROPERTIES.name, "out_json is NULL");
    *out_json = NULL;
    return blocking(proc, &PROPERTIES, NULL, timeout_ms, out_json, NULL, err);
}

int32_t hcs_process_properties_async(hcs_process proc, const hcs_async *how, hcs_op *op, hcs_error *err)
{
    return async(proc, &PROPERTIES, NULL, how, op, err);
}

/* ---- exit, events, close ------------------------------------------------ */

int32_t hcs_process_wait(hcs_process proc, uint32_t timeout_ms, hcs_process_exit *out, hcs_error *err)
{
    const char *name = "hcs_process_wait";
    if (out)
        memset(out, 0, sizeof *out);
    process_obj *p = hcs__process_acquire(proc, name, err);
    if (!p)
        return HCS_WIN32_E_INVALID_HANDLE;
    char *doc = NULL;
    int32_t hr = hcs__event_hub_wait(&p->hub, hcs__client_timeout(client_of(p), HCS_CALL_PROCESS, timeout_ms), &doc);
    hcs_event e;
    hcs__event_parse(HcsEventProcessExited, hr == HCS_OK ? doc : NULL, &e);
    hcs__process_release(p);
    if (hr == HCS_OK && !e.exit_code_known)
        hr = HCS_E_PROCESS_INFO_NOT_AVAILABLE;
    if (HCS_FAILED(hr)) {
        free(doc);
        return hcs__fail(err, hr, name, "the process: %s",
                         hr == HCS_E_PROCESS_INFO_NOT_AVAILABLE ? "it exited, but HCS could not read its exit code"
                                                                : hcs__event_hub_wait_failure(hr));
    }
    if (out) {
        out->exit_code = e.exit_code;
        out->document = doc;
    } else {
        free(doc);
    }
    return hcs__succeed(err);
}

int32_t hcs_process_subscribe(hcs_process proc, const hcs_event_sink *sink, hcs_subscription *out, hcs_error *err)
{
    const char *name = "hcs_process_subscribe";
    if (out)
        out->id = 0;
    process_obj *p = hcs__process_acquire(proc, name, err);
    if (!p)
        return HCS_WIN32_E_INVALID_HANDLE;
    int32_t hr = hcs__event_hub_subscribe(&p->hub, sink, name, out, err);
    hcs__process_release(p);
    return hr;
}

void hcs_process_close(hcs_process proc)
{
    process_obj *p = (process_obj *)hcs__table_remove(hcs__handles(), proc.id, HCS_KIND_PROCESS);
    if (!p)
        return;
    hcs__event_hub_close(&p->hub);
    hcs__process_release(p);
}
