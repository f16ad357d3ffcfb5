/* One asynchronous HCS call waited on with a timeout.
 *
 * The HCS operation is created with libhcs's own completion callback. The
 * call object has two owners: the waiting thread and that callback. When
 * the wait times out, the waiter leaves; the callback, whenever HCS
 * completes the operation, releases the operation, the buffers passed to
 * HCS and any handle HCS returned. So nothing is freed while HCS may still
 * use it, and nothing leaks once HCS is done (hcsshim-and-peers §6 #22). */
#ifndef HCS_SRC_CALL_H
#define HCS_SRC_CALL_H

#include "client_internal.h"

typedef struct hcs_call hcs_call;

/* A new call with its operation, or NULL (err filled). */
hcs_call *hcs_call_new(hcs_client_obj *client, const char *name, hcs_error *err);
HCS_OPERATION hcs_call_operation(const hcs_call *call);
/* Converts utf8 to UTF-16 kept alive as long as HCS may read it. Returns
 * NULL for NULL input. On invalid UTF-8 returns NULL with *hr set. */
PCWSTR hcs_call_text(hcs_call *call, const char *utf8, int32_t *hr);
/* Where HCS writes the handle of a system it creates. */
HCS_SYSTEM *hcs_call_system_slot(hcs_call *call);

/* The kickoff function failed: undo the call and report `hr`. */
int32_t hcs_call_abort(hcs_call *call, int32_t hr, hcs_error *err);
/* Waits for the outcome and ends the caller's part of the call. On success
 * *doc (when non-NULL) receives the result document (UTF-8, hcs_free) and
 * *system (when non-NULL) the handle HCS created. */
int32_t hcs_call_wait(hcs_call *call, uint32_t timeout_ms, char **doc, HCS_SYSTEM *system, hcs_error *err);

#endif
