/* Compute systems (see system.h). */
#include "hcs/system.h"

#include "call.h"
#include "error_internal.h"
#include "handles.h"

#include "util/utf16.h"

#include <stddef.h>
#include <stdlib.h>

typedef struct system_obj {
    hcs_object base;
    hcs_client_obj *client;
    HCS_SYSTEM raw;
} system_obj;

/* Runs after the handle is closed and the last call on it has ended. */
static void destroy_system(hcs_object *o)
{
    system_obj *s = (system_obj *)o;
    s->client->provider->api.HcsCloseComputeSystem(s->raw);
    hcs_client_release(s->client);
    free(s);
}

static int32_t wrap(hcs_client_obj *c, HCS_SYSTEM raw, const char *name, hcs_system *out, hcs_error *err)
{
    system_obj *s = calloc(1, sizeof *s);
    if (!s) {
        c->provider->api.HcsCloseComputeSystem(raw);
        return hcs_fail(err, HCS_COM_E_OUTOFMEMORY, name, "out of memory");
    }
    hcs_object_init(&s->base, destroy_system);
    hcs_object_retain(&c->base);
    s->client = c;
    s->raw = raw;
    out->id = hcs_table_insert(hcs_handles(), HCS_KIND_SYSTEM, &s->base);
    hcs_object_release(&s->base);
    return out->id ? hcs_succeed(err) : hcs_fail(err, HCS_COM_E_OUTOFMEMORY, name, "out of memory");
}

static system_obj *acquire(hcs_system sys, const char *name, hcs_error *err)
{
    system_obj *s = (system_obj *)hcs_table_acquire(hcs_handles(), sys.id, HCS_KIND_SYSTEM);
    if (!s)
        hcs_fail(err, HCS_WIN32_E_INVALID_HANDLE, name, "the system handle is closed or invalid");
    return s;
}

static void release(system_obj *s) { hcs_object_release(&s->base); }

/* Checks that the provider has the function and starts a call for it.
 * Returns NULL with *hr set when either fails. */
static hcs_call *begin(hcs_client_obj *c, size_t offset, const char *name, int32_t *hr, hcs_error *err)
{
    *hr = HCS_WIN32_E_PROC_NOT_FOUND;
    if (!hcs_client_function(c, offset, name, err))
        return NULL;
    *hr = HCS_COM_E_OUTOFMEMORY;
    hcs_call *call = hcs_call_new(c, name, err);
    if (call)
        *hr = HCS_OK;
    return call;
}

/* Waits for a started call, or cleans up after a refused kickoff. */
static int32_t finish(hcs_call *call, int32_t kickoff, uint32_t timeout_ms, char **doc, HCS_SYSTEM *raw,
                      hcs_error *err)
{
    if (HCS_FAILED(kickoff))
        return hcs_call_abort(call, kickoff, err);
    return hcs_call_wait(call, timeout_ms, doc, raw, err);
}

typedef HRESULT(WINAPI *system_op_fn)(HCS_SYSTEM, HCS_OPERATION, PCWSTR);

/* The shape shared by start, shutdown, terminate, properties, ...: one
 * system, one operation, one optional JSON argument. */
static int32_t system_op(hcs_system sys, size_t offset, const char *name, const char *arg, uint32_t timeout_ms,
                         char **doc, hcs_error *err)
{
    system_obj *s = acquire(sys, name, err);
    if (!s)
        return HCS_WIN32_E_INVALID_HANDLE;
    int32_t hr;
    hcs_call *call = begin(s->client, offset, name, &hr, err);
    if (call) {
        system_op_fn fn = (system_op_fn)hcs_api_function(&s->client->provider->api, offset);
        PCWSTR warg = hcs_call_text(call, arg, &hr);
        if (HCS_SUCCEEDED(hr))
            hr = fn(s->raw, hcs_call_operation(call), warg);
        hr = finish(call, hr, hcs_client_timeout(s->client, timeout_ms), doc, NULL, err);
    }
    release(s);
    return hr;
}

#define SYSTEM_OP(sys, fn, arg, timeout, doc, err) system_op(sys, offsetof(hcs_api, fn), #fn, arg, timeout, doc, err)

int32_t hcs_system_create(hcs_client client, const char *id, const char *config_json, uint32_t timeout_ms,
                          hcs_system *out, hcs_error *err)
{
    const char *name = "HcsCreateComputeSystem";
    if (!out)
        return hcs_fail(err, HCS_COM_E_POINTER, name, "out is NULL");
    out->id = 0;
    if (!id || !id[0] || !config_json)
        return hcs_fail(err, HCS_COM_E_INVALIDARG, name, "an id and a configuration document are required");
    hcs_client_obj *c = hcs_client_acquire(client, name, err);
    if (!c)
        return HCS_WIN32_E_INVALID_HANDLE;
    int32_t hr;
    hcs_call *call = begin(c, offsetof(hcs_api, HcsCreateComputeSystem), name, &hr, err);
    if (call) {
        int32_t hr_id, hr_config;
        PCWSTR wid = hcs_call_text(call, id, &hr_id);
        PCWSTR wconfig = hcs_call_text(call, config_json, &hr_config);
        hr = HCS_FAILED(hr_id) ? hr_id : hr_config;
        if (HCS_SUCCEEDED(hr))
            hr = c->provider->api.HcsCreateComputeSystem(wid, wconfig, hcs_call_operation(call), NULL,
                                                         hcs_call_system_slot(call));
        HCS_SYSTEM raw = NULL;
        hr = finish(call, hr, hcs_client_timeout(c, timeout_ms), NULL, &raw, err);
        if (HCS_SUCCEEDED(hr))
            hr = wrap(c, raw, name, out, err);
    }
    hcs_client_release(c);
    return hr;
}

int32_t hcs_system_open(hcs_client client, const char *id, hcs_system *out, hcs_error *err)
{
    const char *name = "HcsOpenComputeSystem";
    if (!out)
        return hcs_fail(err, HCS_COM_E_POINTER, name, "out is NULL");
    out->id = 0;
    if (!id)
        return hcs_fail(err, HCS_COM_E_INVALIDARG, name, "id is NULL");
    hcs_client_obj *c = hcs_client_acquire(client, name, err);
    if (!c)
        return HCS_WIN32_E_INVALID_HANDLE;
    int32_t hr = HCS_WIN32_E_PROC_NOT_FOUND;
    uint16_t *wid = NULL;
    if (hcs_client_function(c, offsetof(hcs_api, HcsOpenComputeSystem), name, err)) {
        HCS_SYSTEM raw = NULL;
        if (hcs_utf8_to_utf16(id, &wid) != 0)
            hr = hcs_fail(err, HCS_WIN32_E_NO_UNICODE_TRANSLATION, name, "id is not valid UTF-8");
        else if (HCS_FAILED(hr = c->provider->api.HcsOpenComputeSystem((PCWSTR)wid, GENERIC_ALL, &raw)))
            hcs_fail(err, hr, name, "cannot open system \"%s\"", id);
        else
            hr = wrap(c, raw, name, out, err);
    }
    free(wid);
    hcs_client_release(c);
    return hr;
}

int32_t hcs_system_start(hcs_system sys, const char *options, uint32_t timeout_ms, hcs_error *err)
{
    return SYSTEM_OP(sys, HcsStartComputeSystem, options, timeout_ms, NULL, err);
}

int32_t hcs_system_shutdown(hcs_system sys, const char *options, uint32_t timeout_ms, hcs_error *err)
{
    return SYSTEM_OP(sys, HcsShutDownComputeSystem, options, timeout_ms, NULL, err);
}

int32_t hcs_system_terminate(hcs_system sys, uint32_t timeout_ms, hcs_error *err)
{
    int32_t hr = SYSTEM_OP(sys, HcsTerminateComputeSystem, NULL, timeout_ms, NULL, err);
    /* The goal is a stopped system: one that is already gone counts. */
    if (hcs_is_already_stopped(hr) || hcs_is_not_found(hr))
        return hcs_succeed(err);
    return hr;
}

int32_t hcs_system_properties(hcs_system sys, const char *query, uint32_t timeout_ms, char **out_json,
                              hcs_error *err)
{
    if (!out_json)
        return hcs_fail(err, HCS_COM_E_POINTER, "HcsGetComputeSystemProperties", "out_json is NULL");
    *out_json = NULL;
    return SYSTEM_OP(sys, HcsGetComputeSystemProperties, query, timeout_ms, out_json, err);
}

int32_t hcs_system_enumerate(hcs_client client, const char *query, uint32_t timeout_ms, char **out_json,
                             hcs_error *err)
{
    const char *name = "HcsEnumerateComputeSystems";
    if (!out_json)
        return hcs_fail(err, HCS_COM_E_POINTER, name, "out_json is NULL");
    *out_json = NULL;
    hcs_client_obj *c = hcs_client_acquire(client, name, err);
    if (!c)
        return HCS_WIN32_E_INVALID_HANDLE;
    int32_t hr;
    hcs_call *call = begin(c, offsetof(hcs_api, HcsEnumerateComputeSystems), name, &hr, err);
    if (call) {
        PCWSTR wquery = hcs_call_text(call, query, &hr);
        if (HCS_SUCCEEDED(hr))
            hr = c->provider->api.HcsEnumerateComputeSystems(wquery, hcs_call_operation(call));
        hr = finish(call, hr, hcs_client_timeout(c, timeout_ms), out_json, NULL, err);
    }
    hcs_client_release(c);
    return hr;
}

void hcs_system_close(hcs_system sys)
{
    hcs_object_release(hcs_table_remove(hcs_handles(), sys.id, HCS_KIND_SYSTEM));
}
