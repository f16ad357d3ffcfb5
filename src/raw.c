/* The raw layer: adopting, borrowing and giving back HCS handles, and the
 * provider's functions (see hcs/raw.h). */
#include "hcs/raw.h"

#include "error_internal.h"
#include "handles.h"
#include "system_internal.h"

#include <stddef.h>
#include <string.h>

int32_t hcs_system_from_raw(hcs_client client, void *raw_system, hcs_system *out, hcs_error *err)
{
    const char *name = "hcs_system_from_raw";
    if (!out)
        return hcs_fail(err, HCS_COM_E_POINTER, name, "out is NULL");
    out->id = 0;
    if (!raw_system)
        return hcs_fail(err, HCS_COM_E_INVALIDARG, name, "raw_system is NULL");
    hcs_client_obj *c = hcs_client_acquire(client, name, err);
    if (!c)
        return HCS_WIN32_E_INVALID_HANDLE;
    int32_t hr = hcs_system_wrap(c, (HCS_SYSTEM)raw_system, name, out, err);
    hcs_client_release(c);
    return hr;
}

int32_t hcs_system_borrow(hcs_system sys, void **raw, hcs_guard *guard, hcs_error *err)
{
    const char *name = "hcs_system_borrow";
    if (guard)
        guard->opaque = NULL;
    if (!raw || !guard)
        return hcs_fail(err, HCS_COM_E_POINTER, name, "raw or guard is NULL");
    *raw = NULL;
    system_obj *s = hcs_system_acquire(sys, name, err);
    if (!s)
        return HCS_WIN32_E_INVALID_HANDLE;
    *raw = hcs_system_raw_begin(s);
    if (!*raw) {
        hcs_system_release(s);
        return hcs_fail(err, HCS_WIN32_E_INVALID_HANDLE, name, "the raw handle was given away");
    }
    guard->opaque = s; /* the reference taken by acquire */
    return hcs_succeed(err);
}

void hcs_guard_release(hcs_guard *guard)
{
    if (!guard || !guard->opaque)
        return;
    system_obj *s = guard->opaque;
    guard->opaque = NULL;
    hcs_system_raw_end(s);
    hcs_system_release(s);
}

int32_t hcs_system_into_raw(hcs_system sys, void **raw, hcs_error *err)
{
    const char *name = "hcs_system_into_raw";
    if (!raw)
        return hcs_fail(err, HCS_COM_E_POINTER, name, "raw is NULL");
    *raw = NULL;
    system_obj *s = (system_obj *)hcs_table_remove(hcs_handles(), sys.id, HCS_KIND_SYSTEM);
    if (!s)
        return hcs_fail(err, HCS_WIN32_E_INVALID_HANDLE, name, "the system handle is closed or invalid");
    *raw = hcs_system_raw_detach(s);
    /* Waits and subscriptions end as on close; the event callback HCS
     * keeps on raw finds no handle from now on and drops events. */
    event_hub_close(&s->hub);
    hcs_system_release(s);
    return hcs_succeed(err);
}

void (*hcs_client_raw_function(hcs_client client, const char *name))(void)
{
    hcs_client_obj *c = name ? hcs_client_acquire(client, name, NULL) : NULL;
    void (*fn)(void) = NULL;
    if (c && strcmp(name, "LocalFree") == 0)
        fn = hcs_api_function(&c->provider->api, offsetof(hcs_api, LocalFree));
    for (size_t i = 0; c && !fn && i < hcs_api_entry_count; i++)
        if (strcmp(hcs_api_entries[i].name, name) == 0)
            fn = hcs_api_function(&c->provider->api, hcs_api_entries[i].offset);
    hcs_client_release(c);
    return fn;
}
