/* Clients and the process-wide handle table (see client.h). */
#include "client_internal.h"

#include "error_internal.h"
#include "handles.h"
#include "platform/thread.h"
#include "scrub.h"

#include <stdlib.h>
#include <string.h>

static hcs_handle_table table;
static hcs_once table_once = HCS_ONCE_INIT;

static void init_table(void) { hcs__table_init(&table); }

hcs_handle_table *hcs__handles(void)
{
    hcs__call_once(&table_once, init_table);
    return &table;
}

static void destroy_client(hcs_object *o)
{
    hcs_client_obj *c = (hcs_client_obj *)o;
    hcs__provider_close(c->provider);
    free(c->namespace_id);
    free(c);
}

int32_t hcs_client_open(const hcs_client_options *opts, hcs_client *out, hcs_error *err)
{
    if (!out)
        return hcs__fail(err, HCS_COM_E_POINTER, "hcs_client_open", "out is NULL");
    out->id = 0;
    hcs_client_obj *c = calloc(1, sizeof *c);
    if (!c)
        return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, "hcs_client_open", "out of memory");
    hcs_object_init(&c->base, destroy_client);
    uint32_t fallback = opts && opts->default_timeout_ms ? opts->default_timeout_ms : HCS_BUILTIN_TIMEOUT_MS;
    for (int k = 0; k < HCS_CALL_KIND_COUNT; k++)
        c->timeouts_ms[k] = opts && opts->timeouts_ms[k] ? opts->timeouts_ms[k] : fallback;
    c->trace = opts ? opts->trace : NULL;
    c->trace_user_data = opts ? opts->trace_user_data : NULL;
    const char *ns = opts ? opts->namespace_id : NULL;
    if (ns && ns[0] && !(c->namespace_id = strdup(ns))) {
        hcs_object_release(&c->base);
        return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, "hcs_client_open", "out of memory");
    }
    int32_t hr = hcs__provider_open(opts ? opts->provider : NULL, &c->provider, err);
    if (HCS_FAILED(hr)) {
        hcs_object_release(&c->base);
        return hr;
    }
    out->id = hcs__table_insert(hcs__handles(), HCS_KIND_CLIENT, &c->base);
    hcs_object_release(&c->base);
    if (!out->id)
        return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, "hcs_client_open", "out of memory");
    return hcs__succeed(err);
}

void hcs_client_close(hcs_client client)
{
    hcs_object_release(hcs__table_remove(hcs__handles(), client.id, HCS_KIND_CLIENT));
}

hcs_client_obj *hcs__client_acquire(hcs_client client, const char *call, hcs_error *err)
{
    hcs_client_obj *c = (hcs_client_obj *)hcs__table_acquire(hcs__handles(), client.id, HCS_KIND_CLIENT);
    if (!c)
        hcs__fail(err, HCS_WIN32_E_INVALID_HANDLE, call, "the client handle is closed or invalid");
    return c;
}

void hcs__client_release(hcs_client_obj *c)
{
    if (c)
        hcs_object_release(&c->base);
}

uint32_t hcs__client_timeout(const hcs_client_obj *c, hcs_call_kind kind, uint32_t timeout_ms)
{
    return timeout_ms == HCS_TIMEOUT_DEFAULT ? c->timeouts_ms[kind] : timeout_ms;
}

void hcs__client_trace(const hcs_client_obj *c, hcs_trace_record record, uint64_t started_ms)
{
    if (!c->trace)
        return;
    char *in = hcs__scrub(record.input);
    char *out = hcs__scrub(record.output);
    record.input = in;
    record.output = out;
    record.duration_ms = hcs__clock_ms() - started_ms;
    c->trace(&record, c->trace_user_data);
    free(in);
    free(out);
}

void (*hcs__client_function(const hcs_client_obj *c, size_t offset, const char *name, hcs_error *err))(void)
{
    void (*fn)(void) = hcs__api_function(&c->provider->api, offset);
    if (!fn)
        hcs__fail(err, HCS_WIN32_E_PROC_NOT_FOUND, name, "not supported on this host: %s does not export %s",
                  hcs__provider_origin(c->provider, offset), name);
    return fn;
}

int32_t hcs_client_provider(hcs_client client, char **out, hcs_error *err)
{
    if (!out)
        return hcs__fail(err, HCS_COM_E_POINTER, "hcs_client_provider", "out is NULL");
    *out = NULL;
    hcs_client_obj *c = hcs__client_acquire(client, "hcs_client_provider", err);
    if (!c)
        return HCS_WIN32_E_INVALID_HANDLE;
    *out = strdup(c->provider->name);
    hcs__client_release(c);
    return *out ? hcs__succeed(err) : hcs__fail(err, HCS_COM_E_OUTOFMEMORY, "hcs_client_provider", "out of memory");
}

bool hcs_client_supports(hcs_client client, const char *function_name)
{
    hcs_client_obj *c = hcs__client_acquire(client, "hcs_client_supports", NULL);
    bool found = false;
    for (size_t i = 0; c && function_name && i < hcs__api_entry_count; i++)
        if (strcmp(hcs__api_entries[i].name, function_name) == 0)
            found = hcs__api_function(&c->provider->api, hcs__api_entries[i].offset) != NULL;
    hcs__client_release(c);
    return found;
}

void hcs_free(void *p) { free(p); }
