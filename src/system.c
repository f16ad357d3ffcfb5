/* Compute systems (see hcs/system.h). */
#include "system_internal.h"

#include "platform/socket.h"

#include "call.h"
#include "cq.h"
#include "error_internal.h"
#include "handles.h"
#include "hcs_callback.h"
#include "schema/schema_read.h"
#include "util/utf16.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ---- the object and its HCS event callback ------------------------------ */

static void destroy_system(hcs_object *o)
{
    system_obj *s = (system_obj *)o;
    hcs__close_raw(s->client, HCS_KIND_SYSTEM, hcs__raw_handle_owned(&s->raw));
    hcs__event_hub_destroy(&s->hub);
    hcs__raw_handle_destroy(&s->raw);
    hcs__client_release(s->client);
    free(s);
}

system_obj *hcs__system_acquire(hcs_system sys, const char *call, hcs_error *err)
{
    system_obj *s = (system_obj *)hcs__table_acquire(hcs__handles(), sys.id, HCS_KIND_SYSTEM);
    if (!s)
        hcs__fail(err, HCS_WIN32_E_INVALID_HANDLE, call, "the system handle is closed or invalid");
    return s;
}

void hcs__system_release(system_obj *s)
{
    if (s)
        hcs_object_release(&s->base);
}

HCS_SYSTEM hcs__system_raw_begin(system_obj *s) { return (HCS_SYSTEM)hcs__raw_handle_begin(&s->raw); }
void hcs__system_raw_end(system_obj *s) { hcs__raw_handle_end(&s->raw); }
HCS_SYSTEM hcs__system_raw_detach(system_obj *s) { return (HCS_SYSTEM)hcs__raw_handle_detach(&s->raw); }

/* HCS calls this for every event on a handle libhcs wrapped. The context
 * is the handle's id, looked up afresh: events for a closed handle find
 * nothing and are dropped. */
static void CALLBACK on_system_event(HCS_EVENT *event, void *context)
{
    hcs__callback_enter();
    system_obj *s = (system_obj *)hcs__table_acquire(hcs__handles(), (uint64_t)(uintptr_t)context, HCS_KIND_SYSTEM);
    if (s) {
        char *data = NULL;
        if (event->EventData)
            hcs__utf16_to_utf8((const uint16_t *)event->EventData, &data);
        hcs__event_hub_post(&s->hub, (uint32_t)event->Type, data);
        free(data);
        hcs__system_release(s);
    }
    hcs__callback_leave();
}

/* ---- status checks (event_hub.h) ---------------------------------------- */

static int32_t start_check(event_hub *hub, const hcs_async *how)
{
    return hcs_system_properties_async(hub->system, NULL, how, NULL, NULL);
}

/* A stopped system still answers its properties: it exited, even if HCS
 * never sent the event (hcsshim-and-peers §6 #1). */
static bool says_stopped(const char *document)
{
    hcs_schema_doc *doc = hcs__schema_read(HCS_SCHEMA_Properties, document);
    const hcs_Properties *props = hcs_schema_doc_root(doc);
    bool stopped = props && props->has_State && props->State.value == HCS_State_Stopped;
    hcs_schema_doc_free(doc);
    return stopped;
}

/* A system that has stopped or is gone: terminate counts it as done, and a
 * status check as an exit. */
static bool already_gone(int32_t hr)
{
    hcs_error_kind kind = hcs_classify(hr);
    return kind == HCS_ERROR_ALREADY_STOPPED || kind == HCS_ERROR_NOT_FOUND;
}

static const event_hub_checker checker = {start_check, says_stopped, already_gone};

int32_t hcs__system_wrap(hcs_client_obj *c, HCS_SYSTEM raw, const char *call, const hcs_event_sink *sink,
                         hcs_system *out, hcs_error *err)
{
    out->id = 0;
    system_obj *s = calloc(1, sizeof *s);
    if (!s) {
        hcs__close_raw(c, HCS_KIND_SYSTEM, raw);
        return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, call, "out of memory");
    }
    hcs_object_init(&s->base, destroy_system);
    hcs_object_retain(&c->base);
    s->client = c;
    hcs__raw_handle_init(&s->raw, raw);
    hcs__event_hub_init(&s->hub, &s->base, HcsEventSystemExited, &checker);
    uint64_t id = hcs__table_insert(hcs__handles(), HCS_KIND_SYSTEM, &s->base);
    s->hub.system.id = id;
    /* The creator's subscriber is listed before HCS can call back (a queue
     * closed since the call began just gets nothing, as hcs_cq_close says). */
    if (id && sink && (sink->callback || sink->cq.id))
        hcs__event_hub_subscribe(&s->hub, sink, call, NULL, NULL);
    /* Live migration events where the host can migrate (hcs-newest §5 #4). */
    HCS_EVENT_OPTIONS options =
        c->provider->api.HcsStartLiveMigrationTransfer ? HCS_EVENT_OPTION_LIVE_MIGRATION : HcsEventOptionNone;
    if (id && c->provider->api.HcsSetComputeSystemCallback)
        c->provider->api.HcsSetComputeSystemCallback(raw, options, (void *)(uintptr_t)id, on_system_event);
    hcs_object_release(&s->base);
    if (!id)
        return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, call, "out of memory");
    out->id = id;
    return hcs__succeed(err);
}

/* ---- calls -------------------------------------------------------------- */

/* One HCS function taking (system, operation, options). */
typedef struct system_call_spec {
    const char *name;
    size_t offset;
    hcs_call_kind kind;
    bool idempotent; /* already stopped / not found count as success */
} system_call_spec;

typedef HRESULT(WINAPI *system_op_fn)(HCS_SYSTEM, HCS_OPERATION, PCWSTR);

/* clang-format off */
#define SPEC(fn, kind, idem) {#fn, offsetof(hcs_api, fn), kind, idem}
/* clang-format on */
static const system_call_spec START = SPEC(HcsStartComputeSystem, HCS_CALL_START, false);
static const system_call_spec SHUTDOWN = SPEC(HcsShutDownComputeSystem, HCS_CALL_STOP, false);
static const system_call_spec TERMINATE = SPEC(HcsTerminateComputeSystem, HCS_CALL_STOP, true);
static const system_call_spec TERMINATE_ONCE = SPEC(HcsTerminateComputeSystem, HCS_CALL_STOP, false);
static const system_call_spec PAUSE = SPEC(HcsPauseComputeSystem, HCS_CALL_STOP, false);
static const system_call_spec RESUME = SPEC(HcsResumeComputeSystem, HCS_CALL_START, false);
static const system_call_spec SAVE = SPEC(HcsSaveComputeSystem, HCS_CALL_STOP, false);
static const system_call_spec CRASH = SPEC(HcsCrashComputeSystem, HCS_CALL_STOP, false);
static const system_call_spec MODIFY = SPEC(HcsModifyComputeSystem, HCS_CALL_MODIFY, false);
static const system_call_spec PROPERTIES = SPEC(HcsGetComputeSystemProperties, HCS_CALL_QUERY, false);

/* Attaches socket (when >= 0) to the call's operation; system_call found
 * HcsAddResourceToOperation before the call began. */
static int32_t attach_socket(hcs_call *call, system_obj *s, intptr_t socket, const char *name, hcs_error *err)
{
    if (socket < 0)
        return HCS_OK;
    int32_t hr = s->client->provider->api.HcsAddResourceToOperation(
        hcs__call_operation(call), HcsResourceTypeSocket, HCS_LIVE_MIGRATION_SOCKET_URI, hcs__socket_to_abi(socket));
    return HCS_FAILED(hr) ? hcs__fail(err, hr, name, "HCS did not take the socket (HcsAddResourceToOperation)") : hr;
}

/* Runs one call on the system, blocking (how NULL: *result filled) or
 * async, with a live migration socket when socket >= 0. */
static int32_t system_call_on(system_obj *held, hcs_system sys, const system_call_spec *spec, const char *arg,
                              intptr_t socket, const hcs_async *how, uint32_t timeout_ms, hcs_result *result,
                              hcs_op *op, hcs_error *err)
{
    system_obj *s = held ? held : hcs__system_acquire(sys, spec->name, err);
    if (!s)
        return HCS_WIN32_E_INVALID_HANDLE;
    int32_t hr = HCS_WIN32_E_PROC_NOT_FOUND;
    void (*fn)(void) = hcs__client_function(s->client, spec->offset, spec->name, err);
    /* A host without the function that hands the socket over cannot make
     * this call: refused before it begins, the error naming that function. */
    if (fn && socket >= 0 &&
        !hcs__client_function(s->client, offsetof(hcs_api, HcsAddResourceToOperation), "HcsAddResourceToOperation",
                              err))
        fn = NULL;
    hcs_call *call = fn ? hcs__call_new(s->client, spec->name, spec->kind, how, &hr, err) : NULL;
    if (call) {
        hcs__call_set_system(call, sys);
        if (spec->idempotent)
            hcs__call_accept(call, already_gone);
        PCWSTR warg = hcs__call_text(call, arg, &hr);
        if (HCS_SUCCEEDED(hr))
            hr = attach_socket(call, s, socket, spec->name, err);
        HCS_SYSTEM raw = HCS_SUCCEEDED(hr) ? hcs__system_raw_begin(s) : NULL;
        if (HCS_SUCCEEDED(hr) && !raw)
            hr = HCS_WIN32_E_INVALID_HANDLE; /* given away by hcs_system_into_raw */
        else if (raw && spec->offset == offsetof(hcs_api, HcsModifyComputeSystem))
            hr = s->client->provider->api.HcsModifyComputeSystem(raw, hcs__call_operation(call), warg, NULL);
        else if (raw)
            hr = ((system_op_fn)fn)(raw, hcs__call_operation(call), warg);
        if (raw)
            hcs__system_raw_end(s);
        hr = hcs__call_finish(call, hr, timeout_ms, result, op, err);
    }
    if (!held)
        hcs__system_release(s);
    return hr;
}

static int32_t system_call(hcs_system sys, const system_call_spec *spec, const char *arg, intptr_t socket,
                           const hcs_async *how, uint32_t timeout_ms, hcs_result *result, hcs_op *op, hcs_error *err)
{
    return system_call_on(NULL, sys, spec, arg, socket, how, timeout_ms, result, op, err);
}

static int32_t blocking(hcs_system sys, const system_call_spec *spec, const char *arg, uint32_t timeout_ms, char **doc,
                        hcs_error *err)
{
    hcs_result r;
    hcs__result_init(&r);
    int32_t hr = system_call(sys, spec, arg, -1, NULL, timeout_ms, &r, NULL, err);
    if (doc && HCS_SUCCEEDED(hr)) {
        *doc = r.document;
        r.document = NULL;
    }
    hcs_result_clear(&r);
    return hr;
}

static int32_t async(hcs_system sys, const system_call_spec *spec, const char *arg, const hcs_async *how, hcs_op *op,
                     hcs_error *err)
{
    if (op)
        op->id = 0;
    if (!how)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, spec->name, "how is NULL");
    return system_call(sys, spec, arg, -1, how, 0, NULL, op, err);
}

int32_t hcs__system_call_by(hcs_system sys, system_obj *held, const char *name, size_t offset, const char *arg,
                            intptr_t socket, const hcs_async *how, uint32_t timeout_ms, hcs_op *op, hcs_error *err)
{
    system_call_spec spec = {name, offset, HCS_CALL_START, false};
    if (how) {
        if (op)
            op->id = 0;
        return system_call_on(held, sys, &spec, arg, socket, how, 0, NULL, op, err);
    }
    hcs_result r;
    hcs__result_init(&r);
    int32_t hr = system_call_on(held, sys, &spec, arg, socket, NULL, timeout_ms, &r, NULL, err);
    hcs_result_clear(&r);
    return hr;
}

int32_t hcs_system_start(hcs_system sys, const char *options, uint32_t timeout_ms, hcs_error *err)
{
    return blocking(sys, &START, options, timeout_ms, NULL, err);
}
int32_t hcs_system_shutdown(hcs_system sys, const char *options, uint32_t timeout_ms, hcs_error *err)
{
    return blocking(sys, &SHUTDOWN, options, timeout_ms, NULL, err);
}
int32_t hcs_system_terminate(hcs_system sys, uint32_t timeout_ms, hcs_error *err)
{
    return blocking(sys, &TERMINATE, NULL, timeout_ms, NULL, err);
}
int32_t hcs_system_pause(hcs_system sys, const char *options, uint32_t timeout_ms, hcs_error *err)
{
    return blocking(sys, &PAUSE, options, timeout_ms, NULL, err);
}
int32_t hcs_system_resume(hcs_system sys, uint32_t timeout_ms, hcs_error *err)
{
    return blocking(sys, &RESUME, NULL, timeout_ms, NULL, err);
}
int32_t hcs_system_save(hcs_system sys, const char *options, uint32_t timeout_ms, hcs_error *err)
{
    return blocking(sys, &SAVE, options, timeout_ms, NULL, err);
}
int32_t hcs_system_crash(hcs_system sys, const char *options, uint32_t timeout_ms, hcs_error *err)
{
    return blocking(sys, &CRASH, options, timeout_ms, NULL, err);
}
int32_t hcs_system_modify(hcs_system sys, const char *request_json, uint32_t timeout_ms, hcs_error *err)
{
    if (!request_json)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, MODIFY.name, "request_json is NULL");
    return blocking(sys, &MODIFY, request_json, timeout_ms, NULL, err);
}
int32_t hcs_system_properties_json(hcs_system sys, const char *query, uint32_t timeout_ms, char **out_json,
                                   hcs_error *err)
{
    if (!out_json)
        return hcs__fail(err, HCS_COM_E_POINTER, PROPERTIES.name, "out_json is NULL");
    *out_json = NULL;
    return blocking(sys, &PROPERTIES, query, timeout_ms, out_json, err);
}

int32_t hcs_system_start_async(hcs_system sys, const char *options, const hcs_async *how, hcs_op *op, hcs_error *err)
{
    return async(sys, &START, options, how, op, err);
}
int32_t hcs_system_shutdown_async(hcs_system sys, const char *options, const hcs_async *how, hcs_op *op, hcs_error *err)
{
    return async(sys, &SHUTDOWN, options, how, op, err);
}
int32_t hcs_system_terminate_async(hcs_system sys, const hcs_async *how, hcs_op *op, hcs_error *err)
{
    return async(sys, &TERMINATE, NULL, how, op, err);
}
int32_t hcs_system_pause_async(hcs_system sys, const char *options, const hcs_async *how, hcs_op *op, hcs_error *err)
{
    return async(sys, &PAUSE, options, how, op, err);
}
int32_t hcs_system_resume_async(hcs_system sys, const hcs_async *how, hcs_op *op, hcs_error *err)
{
    return async(sys, &RESUME, NULL, how, op, err);
}
int32_t hcs_system_save_async(hcs_system sys, const char *options, const hcs_async *how, hcs_op *op, hcs_error *err)
{
    return async(sys, &SAVE, options, how, op, err);
}
int32_t hcs_system_crash_async(hcs_system sys, const char *options, const hcs_async *how, hcs_op *op, hcs_error *err)
{
    return async(sys, &CRASH, options, how, op, err);
}
int32_t hcs_system_modify_async(hcs_system sys, const char *request_json, const hcs_async *how, hcs_op *op,
                                hcs_error *err)
{
    if (!request_json)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, MODIFY.name, "request_json is NULL");
    return async(sys, &MODIFY, request_json, how, op, err);
}
int32_t hcs_system_properties_async(hcs_system sys, const char *query, const hcs_async *how, hcs_op *op, hcs_error *err)
{
    return async(sys, &PROPERTIES, query, how, op, err);
}

/* ---- create, open, enumerate -------------------------------------------- */

/* Wraps the handle a successful create returned. */
static int32_t finish_create(hcs_call *call, hcs_result *r)
{
    return hcs__system_wrap(hcs__call_client(call), hcs__call_take_system(call), "HcsCreateComputeSystem",
                            hcs__call_sink(call), &r->system, &r->error);
}

static int32_t create(hcs_client client, const hcs_system_spec *p, const hcs_async *how, uint32_t timeout_ms,
                      hcs_system *out, hcs_op *op, hcs_error *err)
{
    if (!p || !p->id || !p->id[0] || !p->config_json)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, "HcsCreateComputeSystem",
                         "an id and a configuration document are required");
    int32_t bad_sink = hcs__sink_check(&p->events, "HcsCreateComputeSystem", err);
    if (HCS_FAILED(bad_sink))
        return bad_sink;
    hcs_client_obj *c = hcs__client_acquire(client, "HcsCreateComputeSystem", err);
    if (!c)
        return HCS_WIN32_E_INVALID_HANDLE;
    const char *ns = c->namespace_id;
    const char *name = ns ? "HcsCreateComputeSystemInNamespace" : "HcsCreateComputeSystem";
    size_t offset =
        ns ? offsetof(hcs_api, HcsCreateComputeSystemInNamespace) : offsetof(hcs_api, HcsCreateComputeSystem);
    int32_t hr = HCS_WIN32_E_PROC_NOT_FOUND;
    hcs_call *call =
        hcs__client_function(c, offset, name, err) ? hcs__call_new(c, name, HCS_CALL_CREATE, how, &hr, err) : NULL;
    if (call) {
        hcs__call_set_finisher(call, finish_create, NULL);
        hcs__call_set_sink(call, &p->events);
        int32_t hr_id, hr_config, hr_ns;
        PCWSTR wconfig = hcs__call_text(call, p->config_json, &hr_config);
        PCWSTR wid = hcs__call_text(call, p->id, &hr_id);
        PCWSTR wns = hcs__call_text(call, ns, &hr_ns);
        hr = HCS_FAILED(hr_id) ? hr_id : HCS_FAILED(hr_config) ? hr_config : hr_ns;
        const hcs_api *api = &c->provider->api;
        HCS_CREATE_OPTIONS_1 options = {HcsCreateOptions_1, NULL, (SECURITY_DESCRIPTOR *)p->security_descriptor,
                                        HcsEventOptionNone, NULL, NULL};
        if (HCS_SUCCEEDED(hr) && ns)
            hr = api->HcsCreateComputeSystemInNamespace(wns, wid, wconfig, hcs__call_operation(call),
                                                        (const HCS_CREATE_OPTIONS *)&options,
                                                        hcs__call_system_slot(call));
        else if (HCS_SUCCEEDED(hr))
            hr = api->HcsCreateComputeSystem(wid, wconfig, hcs__call_operation(call),
                                             (const SECURITY_DESCRIPTOR *)p->security_descriptor,
                                             hcs__call_system_slot(call));
        hcs_result r;
        hcs__result_init(&r);
        hr = hcs__call_finish(call, hr, timeout_ms, how ? NULL : &r, op, err);
        if (!how && HCS_SUCCEEDED(hr))
            *out = r.system;
        if (!how)
            hcs_result_clear(&r);
    }
    hcs__client_release(c);
    return hr;
}

int32_t hcs_system_create(hcs_client client, const hcs_system_spec *spec, uint32_t timeout_ms, hcs_system *out,
                          hcs_error *err)
{
    if (!out)
        return hcs__fail(err, HCS_COM_E_POINTER, "HcsCreateComputeSystem", "out is NULL");
    out->id = 0;
    return create(client, spec, NULL, timeout_ms, out, NULL, err);
}

int32_t hcs_system_create_async(hcs_client client, const hcs_system_spec *spec, const hcs_async *how, hcs_op *op,
                                hcs_error *err)
{
    if (op)
        op->id = 0;
    if (!how)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, "HcsCreateComputeSystem", "how is NULL");
    return create(client, spec, how, 0, NULL, op, err);
}

int32_t hcs_system_open(hcs_client client, const char *id, hcs_system *out, hcs_error *err)
{
    if (!out)
        return hcs__fail(err, HCS_COM_E_POINTER, "HcsOpenComputeSystem", "out is NULL");
    out->id = 0;
    if (!id)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, "HcsOpenComputeSystem", "id is NULL");
    hcs_client_obj *c = hcs__client_acquire(client, "HcsOpenComputeSystem", err);
    if (!c)
        return HCS_WIN32_E_INVALID_HANDLE;
    const char *namespace_id = c->namespace_id;
    const char *name = namespace_id ? "HcsOpenComputeSystemInNamespace" : "HcsOpenComputeSystem";
    size_t offset =
        namespace_id ? offsetof(hcs_api, HcsOpenComputeSystemInNamespace) : offsetof(hcs_api, HcsOpenComputeSystem);
    int32_t hr = HCS_WIN32_E_PROC_NOT_FOUND;
    uint16_t *wid = NULL, *wns = NULL;
    if (hcs__client_function(c, offset, name, err)) {
        HCS_SYSTEM raw = NULL;
        const hcs_api *api = &c->provider->api;
        uint64_t started = hcs__clock_ms();
        if (hcs__utf8_to_utf16(id, &wid) != 0 || (namespace_id && hcs__utf8_to_utf16(namespace_id, &wns) != 0))
            hr = hcs__fail(err, HCS_WIN32_E_NO_UNICODE_TRANSLATION, name, "id or namespace is not valid UTF-8");
        else if (HCS_FAILED(hr = namespace_id
                                     ? api->HcsOpenComputeSystemInNamespace((PCWSTR)wns, (PCWSTR)wid, GENERIC_ALL, &raw)
                                     : api->HcsOpenComputeSystem((PCWSTR)wid, GENERIC_ALL, &raw)))
            hcs__fail(err, hr, name, "cannot open system \"%s\"", id);
        else
            hr = hcs__system_wrap(c, raw, name, NULL, out, err);
        if (wid && (!namespace_id || wns))
            hcs__client_trace(c, (hcs_trace_record){name, *out, 0, 0, hr, NULL, NULL}, started);
    }
    free(wid);
    free(wns);
    hcs__client_release(c);
    return hr;
}

static int32_t enumerate(hcs_client client, const char *query, const hcs_async *how, uint32_t timeout_ms,
                         char **out_json, hcs_op *op, hcs_error *err)
{
    hcs_client_obj *c = hcs__client_acquire(client, "HcsEnumerateComputeSystems", err);
    if (!c)
        return HCS_WIN32_E_INVALID_HANDLE;
    const char *ns = c->namespace_id;
    const char *name = ns ? "HcsEnumerateComputeSystemsInNamespace" : "HcsEnumerateComputeSystems";
    size_t offset =
        ns ? offsetof(hcs_api, HcsEnumerateComputeSystemsInNamespace) : offsetof(hcs_api, HcsEnumerateComputeSystems);
    int32_t hr = HCS_WIN32_E_PROC_NOT_FOUND;
    hcs_call *call =
        hcs__client_function(c, offset, name, err) ? hcs__call_new(c, name, HCS_CALL_QUERY, how, &hr, err) : NULL;
    if (call) {
        int32_t hr_query, hr_ns;
        PCWSTR wquery = hcs__call_text(call, query, &hr_query);
        PCWSTR wns = hcs__call_text(call, ns, &hr_ns);
        hr = HCS_FAILED(hr_query) ? hr_query : hr_ns;
        if (HCS_SUCCEEDED(hr) && ns)
            hr = c->provider->api.HcsEnumerateComputeSystemsInNamespace(wns, wquery, hcs__call_operation(call));
        else if (HCS_SUCCEEDED(hr))
            hr = c->provider->api.HcsEnumerateComputeSystems(wquery, hcs__call_operation(call));
        hcs_result r;
        hcs__result_init(&r);
        hr = hcs__call_finish(call, hr, timeout_ms, how ? NULL : &r, op, err);
        if (!how && HCS_SUCCEEDED(hr)) {
            *out_json = r.document;
            r.document = NULL;
        }
        if (!how)
            hcs_result_clear(&r);
    }
    hcs__client_release(c);
    return hr;
}

int32_t hcs_system_enumerate_json(hcs_client client, const char *query, uint32_t timeout_ms, char **out_json,
                                  hcs_error *err)
{
    if (!out_json)
        return hcs__fail(err, HCS_COM_E_POINTER, "HcsEnumerateComputeSystems", "out_json is NULL");
    *out_json = NULL;
    return enumerate(client, query, NULL, timeout_ms, out_json, NULL, err);
}

int32_t hcs_system_enumerate_async(hcs_client client, const char *query, const hcs_async *how, hcs_op *op,
                                   hcs_error *err)
{
    if (op)
        op->id = 0;
    if (!how)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, "HcsEnumerateComputeSystems", "how is NULL");
    return enumerate(client, query, how, 0, NULL, op, err);
}

/* ---- exit, stop, close -------------------------------------------------- */

int32_t hcs_system_wait(hcs_system sys, uint32_t timeout_ms, hcs_system_exit *out, hcs_error *err)
{
    const char *name = "hcs_system_wait";
    if (out)
        memset(out, 0, sizeof *out);
    system_obj *s = hcs__system_acquire(sys, name, err);
    if (!s)
        return HCS_WIN32_E_INVALID_HANDLE;
    char *doc = NULL;
    int32_t hr = hcs__event_hub_wait(&s->hub, hcs__client_timeout(s->client, HCS_CALL_STOP, timeout_ms), &doc);
    hcs__system_release(s);
    if (HCS_FAILED(hr)) {
        free(doc);
        return hcs__fail(err, hr, name, "the system: %s", hcs__event_hub_wait_failure(hr));
    }
    if (out) {
        hcs_event e;
        hcs__event_parse(HcsEventSystemExited, doc, &e);
        out->exit_type = e.exit_type;
        out->status = e.exit_status;
        out->document = doc;
    } else {
        free(doc);
    }
    return hcs__succeed(err);
}

/* Waits for the exit after a step that should end the system. */
static bool exited_within(hcs_system sys, uint32_t timeout_ms)
{
    return hcs_system_wait(sys, timeout_ms, NULL, NULL) == HCS_OK;
}

int32_t hcs_system_stop(hcs_system sys, uint32_t shutdown_timeout_ms, uint32_t terminate_timeout_ms,
                        hcs_stop_report *report, hcs_error *err)
{
    hcs_stop_report r = {HCS_STOP_NONE, HCS_OK, HCS_OK};
    r.shutdown_hr = hcs_system_shutdown(sys, NULL, shutdown_timeout_ms, NULL);
    if (already_gone(r.shutdown_hr))
        r.step = HCS_STOP_ALREADY;
    else if (HCS_SUCCEEDED(r.shutdown_hr) && exited_within(sys, shutdown_timeout_ms))
        r.step = HCS_STOP_SHUTDOWN;
    if (r.step == HCS_STOP_NONE) {
        /* A fresh deadline for the forced step (hcsshim-and-peers §6 #25). */
        r.terminate_hr = blocking(sys, &TERMINATE_ONCE, NULL, terminate_timeout_ms, NULL, NULL);
        if (already_gone(r.terminate_hr))
            r.step = HCS_STOP_ALREADY;
        else if (HCS_SUCCEEDED(r.terminate_hr) && exited_within(sys, terminate_timeout_ms))
            r.step = HCS_STOP_TERMINATE;
    }
    if (report)
        *report = r;
    if (r.step != HCS_STOP_NONE)
        return hcs__succeed(err);
    int32_t hr = HCS_FAILED(r.terminate_hr) ? r.terminate_hr : HCS_E_OPERATION_TIMEOUT;
    return hcs__fail(err, hr, "hcs_system_stop",
                     "shutdown gave 0x%08X and terminate 0x%08X; the system is still running", (unsigned)r.shutdown_hr,
                     (unsigned)r.terminate_hr);
}

int32_t hcs_system_subscribe(hcs_system sys, const hcs_event_sink *sink, hcs_subscription *out, hcs_error *err)
{
    const char *name = "hcs_system_subscribe";
    if (out)
        out->id = 0;
    system_obj *s = hcs__system_acquire(sys, name, err);
    if (!s)
        return HCS_WIN32_E_INVALID_HANDLE;
    int32_t hr = hcs__event_hub_subscribe(&s->hub, sink, name, out, err);
    hcs__system_release(s);
    return hr;
}

void hcs_system_close(hcs_system sys)
{
    system_obj *s = (system_obj *)hcs__table_remove(hcs__handles(), sys.id, HCS_KIND_SYSTEM);
    if (!s)
        return;
    hcs__event_hub_close(&s->hub);
    hcs_object_release(&s->base);
}
