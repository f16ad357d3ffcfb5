/* Compute systems: containers and virtual machines.
 *
 * Each call that HCS runs asynchronously is waited on here with a timeout
 * (HCS_TIMEOUT_DEFAULT, HCS_TIMEOUT_INFINITE or milliseconds). A call that
 * times out returns HCS_E_OPERATION_TIMEOUT, but the work is never
 * abandoned under HCS's feet: libhcs keeps the HCS operation and every
 * buffer it uses alive until HCS completes it, then releases them. */
#ifndef HCS_SYSTEM_H
#define HCS_SYSTEM_H

#include "client.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hcs_system {
    uint64_t id;
} hcs_system;

/* Creates a system with the given id from a ComputeSystem JSON document and
 * waits for the creation. On success *out is a new handle (close it with
 * hcs_system_close). If the wait times out, the creation may still complete
 * later: the handle HCS returned is then closed by libhcs, and the system
 * (if created) can be found with hcs_system_open or hcs_system_enumerate. */
HCS_API int32_t hcs_system_create(hcs_client client, const char *id, const char *config_json,
                                  uint32_t timeout_ms, hcs_system *out, hcs_error *err);

/* Opens a new handle to an existing system. HCS_E_SYSTEM_NOT_FOUND when no
 * system has that id. */
HCS_API int32_t hcs_system_open(hcs_client client, const char *id, hcs_system *out, hcs_error *err);

/* Starts a created system. `options` is reserved by HCS: pass NULL. */
HCS_API int32_t hcs_system_start(hcs_system sys, const char *options, uint32_t timeout_ms, hcs_error *err);

/* Asks the guest to shut down gracefully (needs a guest agent). */
HCS_API int32_t hcs_system_shutdown(hcs_system sys, const char *options, uint32_t timeout_ms, hcs_error *err);

/* Forcefully stops the system. Idempotent: a system that has already
 * stopped or no longer exists counts as success. */
HCS_API int32_t hcs_system_terminate(hcs_system sys, uint32_t timeout_ms, hcs_error *err);

/* Reads the system's Properties as JSON. `query` is a System_PropertyQuery
 * document or NULL for the basic properties. *out_json is freed with
 * hcs_free. */
HCS_API int32_t hcs_system_properties(hcs_system sys, const char *query, uint32_t timeout_ms, char **out_json,
                                      hcs_error *err);

/* Lists systems as a JSON array of Properties. `query` is a SystemQuery
 * document (Ids, Names, Types, Owners) or NULL for all. *out_json is freed
 * with hcs_free. */
HCS_API int32_t hcs_system_enumerate(hcs_client client, const char *query, uint32_t timeout_ms, char **out_json,
                                     hcs_error *err);

/* Closes the handle; the system keeps running (unless its document set
 * ShouldTerminateOnLastHandleClosed). Idempotent. Calls already running on
 * the handle finish first; HCS's handle is released after the last one. */
HCS_API void hcs_system_close(hcs_system sys);

#ifdef __cplusplus
}
#endif

#endif
