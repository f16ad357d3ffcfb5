/* The raw layer: adopting, borrowing and giving back HCS handles, and the
 * provider's functions (see hcs/raw.h). */
#include "hcs/raw.h"

#include "call.h"
#include "error_internal.h"
#include "handles.h"
#include "process_internal.h"
#include "system_internal.h"
#include "util/utf16.h"

#include <stddef.h>
#include <string.h>

int32_t hcs_system_from_raw(hcs_client client, void *raw_system, hcs_system *out, hcs_error *err)
{
    const char *name = "hcs_system_from_raw";
    if (!out)
        return hcs__fail(err, HCS_COM_E_POINTER, name, "out is NULL");
    out->id = 0;
    if (!raw_system)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, name, "raw_system is NULL");
    hcs_client_obj *c = hcs__client_acquire(client, name, err);
    if (!c)
        return HCS_WIN32_E_INVALID_HANDLE;
    int32_t hr = hcs__system_wrap(c, (HCS_SYSTEM)raw_system, name, NULL, out, err);
    hcs__client_release(c);
    return hr;
}

/* Lends the raw handle of an object (a system or a process) under a
 * guard that keeps the object referenced and counted as a user. */
static int32_t lend(hcs_object *owner, raw_handle *handle, void **raw, hcs_guard *guard, const char *name,
                    hcs_error *err)
{
    *raw = hcs__raw_handle_begin(handle);
    if (!*raw) {
        hcs_object_release(owner);
        return hcs__fail(err, HCS_WIN32_E_INVALID_HANDLE, name, "the raw handle was given away");
    }
    guard->opaque = owner; /* the reference taken by acquire */
    guard->handle = handle;
    return hcs__succeed(err);
}

static int32_t start_borrow(void **raw, hcs_guard *guard, const char *name, hcs_error *err)
{
    if (guard)
        *guard = (hcs_guard){NULL, NULL};
    if (!raw || !guard)
        return hcs__fail(err, HCS_COM_E_POINTER, name, "raw or guard is NULL");
    *raw = NULL;
    return HCS_OK;
}

int32_t hcs_system_borrow(hcs_system sys, void **raw, hcs_guard *guard, hcs_error *err)
{
    const char *name = "hcs_system_borrow";
    int32_t hr = start_borrow(raw, guard, name, err);
    if (HCS_FAILED(hr))
        return hr;
    system_obj *s = hcs__system_acquire(sys, name, err);
    return s ? lend(&s->base, &s->raw, raw, guard, name, err) : HCS_WIN32_E_INVALID_HANDLE;
}

int32_t hcs_process_borrow(hcs_process proc, void **raw, hcs_guard *guard, hcs_error *err)
{
    const char *name = "hcs_process_borrow";
    int32_t hr = start_borrow(raw, guard, name, err);
    if (HCS_FAILED(hr))
        return hr;
    process_obj *p = hcs__process_acquire(proc, name, err);
    return p ? lend(&p->base, &p->raw, raw, guard, name, err) : HCS_WIN32_E_INVALID_HANDLE;
}

void hcs_guard_release(hcs_guard *guard)
{
    if (!guard || !guard->opaque)
        return;
    hcs_object *owner = guard->opaque;
    raw_handle *handle = guard->handle;
    *guard = (hcs_guard){NULL, NULL};
    if (handle) /* operations have no user count: the reference is enough */
        hcs__raw_handle_end(handle);
    hcs_object_release(owner);
}

/* Removes the handle from the table and gives its raw handle out once its
 * users are done; waits and subscriptions end as on close. */
static int32_t give_back(uint64_t id, int kind, void **raw, const char *name, hcs_error *err)
{
    if (!raw)
        return hcs__fail(err, HCS_COM_E_POINTER, name, "raw is NULL");
    *raw = NULL;
    hcs_object *o = hcs__table_remove(hcs__handles(), id, (uint32_t)kind);
    if (!o)
        return hcs__fail(err, HCS_WIN32_E_INVALID_HANDLE, name, "the handle is closed or invalid");
    raw_handle *handle = kind == HCS_KIND_SYSTEM ? &((system_obj *)o)->raw : &((process_obj *)o)->raw;
    event_hub *hub = kind == HCS_KIND_SYSTEM ? &((system_obj *)o)->hub : &((process_obj *)o)->hub;
    *raw = hcs__raw_handle_detach(handle);
    /* The event callback HCS keeps on raw finds no handle from now on and
     * drops events. */
    hcs__event_hub_close(hub);
    hcs_object_release(o);
    return hcs__succeed(err);
}

int32_t hcs_system_into_raw(hcs_system sys, void **raw, hcs_error *err)
{
    return give_back(sys.id, HCS_KIND_SYSTEM, raw, "hcs_system_into_raw", err);
}

int32_t hcs_process_into_raw(hcs_process proc, void **raw, hcs_error *err)
{
    return give_back(proc.id, HCS_KIND_PROCESS, raw, "hcs_process_into_raw", err);
}

int32_t hcs_process_from_raw(hcs_system sys, void *raw_process, uint32_t pid, hcs_process *out, hcs_error *err)
{
    const char *name = "hcs_process_from_raw";
    if (!out)
        return hcs__fail(err, HCS_COM_E_POINTER, name, "out is NULL");
    out->id = 0;
    if (!raw_process)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, name, "raw_process is NULL");
    system_obj *s = hcs__system_acquire(sys, name, err);
    if (!s)
        return HCS_WIN32_E_INVALID_HANDLE;
    int32_t hr = hcs__process_wrap(s, (HCS_PROCESS)raw_process, pid, name, NULL, out, err);
    hcs__system_release(s);
    return hr;
}

int32_t hcs_op_from_raw(hcs_client client, void *raw_operation, const hcs_async *how, hcs_op *out, hcs_error *err)
{
    const char *name = "hcs_op_from_raw";
    if (out)
        out->id = 0;
    if (!raw_operation || !how)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, name, "raw_operation and how are required");
    hcs_client_obj *c = hcs__client_acquire(client, name, err);
    if (!c)
        return HCS_WIN32_E_INVALID_HANDLE;
    int32_t hr = hcs__call_adopt(c, (HCS_OPERATION)raw_operation, how, out, err);
    hcs__client_release(c);
    return hr;
}

int32_t hcs_op_borrow(hcs_op op, void **raw, hcs_guard *guard, hcs_error *err)
{
    const char *name = "hcs_op_borrow";
    int32_t hr = start_borrow(raw, guard, name, err);
    if (HCS_FAILED(hr))
        return hr;
    hcs_object *call = hcs__table_acquire(hcs__handles(), op.id, HCS_KIND_OP);
    if (!call)
        return hcs__fail(err, HCS_WIN32_E_INVALID_HANDLE, name, "the request has reported already or never existed");
    *raw = hcs__call_operation((hcs_call *)call);
    guard->opaque = call; /* keeps the operation open */
    return hcs__succeed(err);
}

void (*hcs_client_raw_function(hcs_client client, const char *name))(void)
{
    hcs_client_obj *c = name ? hcs__client_acquire(client, name, NULL) : NULL;
    void (*fn)(void) = NULL;
    if (c && strcmp(name, "LocalFree") == 0)
        fn = hcs__api_function(&c->provider->api, offsetof(hcs_api, LocalFree));
    for (size_t i = 0; c && !fn && i < hcs__api_entry_count; i++)
        if (strcmp(hcs__api_entries[i].name, name) == 0)
            fn = hcs__api_function(&c->provider->api, hcs__api_entries[i].offset);
    hcs__client_release(c);
    return fn;
}

/* ---- UTF-16 ----------------------------------------------------------------- */

/* rc is the internal converters' answer: 0, -1 (invalid input) or -2. */
static int32_t converted(int rc, const char *call, const char *encoding, hcs_error *err)
{
    if (rc == 0)
        return hcs__succeed(err);
    if (rc == -2)
        return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, call, "out of memory");
    return hcs__fail(err, HCS_WIN32_E_NO_UNICODE_TRANSLATION, call, "the input is not valid %s", encoding);
}

int32_t hcs_utf8_to_utf16(const char *utf8, uint16_t **out, hcs_error *err)
{
    if (!out)
        return hcs__fail(err, HCS_COM_E_POINTER, "hcs_utf8_to_utf16", "out is NULL");
    *out = NULL;
    if (!utf8)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, "hcs_utf8_to_utf16", "utf8 is NULL");
    return converted(hcs__utf8_to_utf16(utf8, out), "hcs_utf8_to_utf16", "UTF-8", err);
}

int32_t hcs_utf16_to_utf8(const uint16_t *utf16, char **out, hcs_error *err)
{
    if (!out)
        return hcs__fail(err, HCS_COM_E_POINTER, "hcs_utf16_to_utf8", "out is NULL");
    *out = NULL;
    if (!utf16)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, "hcs_utf16_to_utf8", "utf16 is NULL");
    return converted(hcs__utf16_to_utf8(utf16, out), "hcs_utf16_to_utf8", "UTF-16", err);
}
