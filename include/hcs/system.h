/* Compute systems: containers and virtual machines.
 *
 * Each call HCS runs asynchronously has a blocking form with a timeout
 * (HCS_TIMEOUT_DEFAULT: the client's default for that kind of call,
 * HCS_TIMEOUT_INFINITE, or milliseconds) and an `_async` form reporting
 * through a callback or a completion queue (operation.h). A call that
 * times out returns HCS_E_OPERATION_TIMEOUT, but the work is never
 * abandoned under HCS's feet: libhcs keeps HCS's operation and every buffer
 * it uses alive until HCS completes it, then releases them.
 *
 * Threading: every function may be called from any thread, on the same
 * handle concurrently. Strings are UTF-8; documents are JSON text. */
#ifndef HCS_SYSTEM_H
#define HCS_SYSTEM_H

#include "client.h"
#include "event.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What to create (hcs_system_create / _async). The system is created in
 * the client's namespace (hcs_client_options.namespace_id). */
typedef struct hcs_system_spec {
    const char *id;                  /* required, unique in the namespace */
    const char *config_json;         /* a ComputeSystem document, required */
    const void *security_descriptor; /* a SECURITY_DESCRIPTOR for HCS, or NULL */
    /* Subscribed (event.h) before HCS can report anything about the new
     * system; ends when the system is closed. Zeroed: no subscription. */
    hcs_event_sink events;
} hcs_system_spec;

/* Creates a system and waits for the creation. On success *out is a new
 * handle (close it with hcs_system_close). If the wait times out, the
 * creation may still complete later: the handle HCS returned is then
 * closed by libhcs, and the system (if created) can be found with
 * hcs_system_open or hcs_system_enumerate_json (by Owner). */
HCS_API int32_t hcs_system_create(hcs_client client, const hcs_system_spec *spec, uint32_t timeout_ms,
                                  hcs_system *out, hcs_error *err);
/* The result's `system` is the new handle (yours to close). */
HCS_API int32_t hcs_system_create_async(hcs_client client, const hcs_system_spec *spec, const hcs_async *how,
                                        hcs_op *op, hcs_error *err);

/* Opens a new handle to an existing system of the client's namespace.
 * HCS_E_SYSTEM_NOT_FOUND when there is none. */
HCS_API int32_t hcs_system_open(hcs_client client, const char *id, hcs_system *out, hcs_error *err);

/* The lifecycle calls. `options` is the call's options document or NULL:
 * reserved (pass NULL) for start, resume and terminate; ShutdownOptions,
 * PauseOptions, SaveOptions or CrashOptions for the others. */
HCS_API int32_t hcs_system_start(hcs_system sys, const char *options, uint32_t timeout_ms, hcs_error *err);
HCS_API int32_t hcs_system_shutdown(hcs_system sys, const char *options, uint32_t timeout_ms, hcs_error *err);
/* Forcefully stops the system. Idempotent: a system that has already
 * stopped or no longer exists counts as success (also in the async form). */
HCS_API int32_t hcs_system_terminate(hcs_system sys, uint32_t timeout_ms, hcs_error *err);
HCS_API int32_t hcs_system_pause(hcs_system sys, const char *options, uint32_t timeout_ms, hcs_error *err);
HCS_API int32_t hcs_system_resume(hcs_system sys, uint32_t timeout_ms, hcs_error *err);
/* Save needs a paused virtual machine. */
HCS_API int32_t hcs_system_save(hcs_system sys, const char *options, uint32_t timeout_ms, hcs_error *err);
HCS_API int32_t hcs_system_crash(hcs_system sys, const char *options, uint32_t timeout_ms, hcs_error *err);
/* Applies a ModifySettingRequest document. */
HCS_API int32_t hcs_system_modify(hcs_system sys, const char *request_json, uint32_t timeout_ms, hcs_error *err);

HCS_API int32_t hcs_system_start_async(hcs_system sys, const char *options, const hcs_async *how, hcs_op *op,
                                       hcs_error *err);
HCS_API int32_t hcs_system_shutdown_async(hcs_system sys, const char *options, const hcs_async *how, hcs_op *op,
                                          hcs_error *err);
HCS_API int32_t hcs_system_terminate_async(hcs_system sys, const hcs_async *how, hcs_op *op, hcs_error *err);
HCS_API int32_t hcs_system_pause_async(hcs_system sys, const char *options, const hcs_async *how, hcs_op *op,
                                       hcs_error *err);
HCS_API int32_t hcs_system_resume_async(hcs_system sys, const hcs_async *how, hcs_op *op, hcs_error *err);
HCS_API int32_t hcs_system_save_async(hcs_system sys, const char *options, const hcs_async *how, hcs_op *op,
                                      hcs_error *err);
HCS_API int32_t hcs_system_crash_async(hcs_system sys, const char *options, const hcs_async *how, hcs_op *op,
                                       hcs_error *err);
HCS_API int32_t hcs_system_modify_async(hcs_system sys, const char *request_json, const hcs_async *how, hcs_op *op,
                                        hcs_error *err);

/* Reads the system's Properties as JSON (typed: hcs_system_properties,
 * properties.h). `query` is a System_PropertyQuery document (e.g.
 * {"PropertyTypes":["Statistics"]}) or NULL for the basic properties.
 * *out_json is freed with hcs_free. */
HCS_API int32_t hcs_system_properties_json(hcs_system sys, const char *query, uint32_t timeout_ms, char **out_json,
                                           hcs_error *err);
/* The result's `document` holds the Properties. */
HCS_API int32_t hcs_system_properties_async(hcs_system sys, const char *query, const hcs_async *how, hcs_op *op,
                                            hcs_error *err);

/* Lists the systems of the client's namespace as a JSON array of
 * Properties (typed: hcs_system_enumerate, properties.h). `query` is a
 * SystemQuery document (Ids, Names, Types, Owners) or NULL for all.
 * *out_json is freed with hcs_free. */
HCS_API int32_t hcs_system_enumerate_json(hcs_client client, const char *query, uint32_t timeout_ms, char **out_json,
                                          hcs_error *err);
HCS_API int32_t hcs_system_enumerate_async(hcs_client client, const char *query, const hcs_async *how, hcs_op *op,
                                           hcs_error *err);

/* How a system ended (SystemExitStatus, hcs-api §8.8). */
typedef struct hcs_system_exit {
    int32_t status;        /* the HRESULT the system exited with */
    const char *exit_type; /* "GracefulExit", "ForcedExit", "UnexpectedExit", "Unknown", "None" (static) or NULL */
    char *document;        /* the SystemExitStatus JSON; free with hcs_free */
} hcs_system_exit;

/* Waits until the system exits and fills *out (when non-NULL). Works on
 * every Windows build (it follows HCS's exit event). Returns
 * HCS_E_OPERATION_TIMEOUT, HCS_E_SERVICE_DISCONNECT when the service is
 * lost, or HCS_WIN32_E_INVALID_HANDLE when the handle is closed meanwhile:
 * never a made-up exit. */
HCS_API int32_t hcs_system_wait(hcs_system sys, uint32_t timeout_ms, hcs_system_exit *out, hcs_error *err);

/* hcs_system_stop: graceful, then forced. */
typedef enum hcs_stop_step {
    HCS_STOP_NONE,      /* nothing ended it (the stop failed) */
    HCS_STOP_ALREADY,   /* it had stopped before */
    HCS_STOP_SHUTDOWN,  /* the graceful shutdown ended it */
    HCS_STOP_TERMINATE, /* the forced terminate ended it */
} hcs_stop_step;

typedef struct hcs_stop_report {
    hcs_stop_step step;
    int32_t shutdown_hr;  /* the shutdown's outcome (HCS_OK if not tried) */
    int32_t terminate_hr; /* the terminate's outcome (HCS_OK if not tried) */
} hcs_stop_report;

/* Shutdown, then a wait of up to shutdown_timeout_ms for the exit, then
 * (if still running) terminate and a wait of up to terminate_timeout_ms,
 * each step on a fresh deadline. Returns HCS_OK once the system has
 * stopped; *report (when non-NULL) says which step ended it and what each
 * step returned (hcsshim-and-peers §6 #2-#4). */
HCS_API int32_t hcs_system_stop(hcs_system sys, uint32_t shutdown_timeout_ms, uint32_t terminate_timeout_ms,
                                hcs_stop_report *report, hcs_error *err);

/* Closes the handle; the system keeps running (unless its document set
 * ShouldTerminateOnLastHandleClosed). Idempotent. Waits on the handle end
 * with HCS_WIN32_E_INVALID_HANDLE; subscriptions end (no callback runs
 * after this returns); calls in flight finish first and HCS's handle is
 * released after the last one. */
HCS_API void hcs_system_close(hcs_system sys);

#ifdef __cplusplus
}
#endif

#endif
