/* The object behind an hcs_client handle. Systems and calls hold a
 * reference to it, so its function table lives while any of them is in
 * use (the provider library itself is never unloaded, see provider.h). */
#ifndef HCS_SRC_CLIENT_INTERNAL_H
#define HCS_SRC_CLIENT_INTERNAL_H

#include "hcs/client.h"
#include "provider.h"
#include "util/object.h"

/* What HCS_TIMEOUT_DEFAULT means when nothing else says (client.h). */
enum { HCS_BUILTIN_TIMEOUT_MS = 240000 };

typedef struct hcs_client_obj {
    hcs_object base;
    hcs_provider *provider;
    char *namespace_id;                        /* hcs_client_options.namespace_id, or NULL */
    uint32_t timeouts_ms[HCS_CALL_KIND_COUNT]; /* resolved: never 0 */
    hcs_trace_callback trace;
    void *trace_user_data;
} hcs_client_obj;

/* The client with a reference, or NULL (err filled) for a stale handle. */
hcs_client_obj *hcs__client_acquire(hcs_client client, const char *call, hcs_error *err);
void hcs__client_release(hcs_client_obj *c);

/* timeout_ms with HCS_TIMEOUT_DEFAULT replaced by the client's default for
 * that kind of call. */
uint32_t hcs__client_timeout(const hcs_client_obj *c, hcs_call_kind kind, uint32_t timeout_ms);

/* Hands one finished computecore call to the client's trace callback (when
 * there is one): record->input and output are the raw documents, scrubbed
 * here; duration_ms is filled from started_ms. */
void hcs__client_trace(const hcs_client_obj *c, hcs_trace_record record, uint64_t started_ms);

/* The provider's function at `offset` in hcs_api, or NULL after filling err
 * with HCS_WIN32_E_PROC_NOT_FOUND naming it. */
void (*hcs__client_function(const hcs_client_obj *c, size_t offset, const char *name, hcs_error *err))(void);

#endif
