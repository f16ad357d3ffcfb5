/* The object behind an hcs_system handle, shared by the system calls, the
 * event fan-out and processes. */
#ifndef HCS_SRC_SYSTEM_INTERNAL_H
#define HCS_SRC_SYSTEM_INTERNAL_H

#include "client_internal.h"
#include "event_hub.h"
#include "hcs/system.h"
#include "platform/thread.h"
#include "raw_handle.h"

typedef struct system_obj {
    hcs_object base;
    hcs_client_obj *client;
    raw_handle raw; /* HCS's HCS_SYSTEM and its direct users */
    event_hub hub;  /* events, the exit latch and subscribers */
} system_obj;

/* The system behind a handle, referenced, or NULL (err filled). */
system_obj *hcs__system_acquire(hcs_system sys, const char *call, hcs_error *err);
void hcs__system_release(system_obj *s);

/* Brackets a direct use of s->raw: returns it, or NULL once
 * hcs_system_into_raw has given it away. Pair with hcs__system_raw_end. */
HCS_SYSTEM hcs__system_raw_begin(system_obj *s);
void hcs__system_raw_end(system_obj *s);

/* One HCS function taking (system, operation, options), found at `offset`
 * of the function table, run as a start-kind call: blocking (how NULL,
 * up to timeout_ms) or async. A socket >= 0 is attached to its operation
 * first (HcsAddResourceToOperation, hcs-newest §3). `held`: the system
 * behind sys, acquired by the caller for a sequence of calls, or NULL to
 * look sys up. For migration.c. */
int32_t hcs__system_call_by(hcs_system sys, system_obj *held, const char *name, size_t offset, const char *arg,
                            intptr_t socket, const hcs_async *how, uint32_t timeout_ms, hcs_op *op, hcs_error *err);
/* Gives raw away once its users are done; NULL when given already. */
HCS_SYSTEM hcs__system_raw_detach(system_obj *s);

/* Wraps a raw HCS_SYSTEM into a new handle (taking ownership of raw, also
 * on failure), subscribes sink (NULL or zeroed: none) and registers
 * libhcs's event callback on it. */
int32_t hcs__system_wrap(hcs_client_obj *c, HCS_SYSTEM raw, const char *call, const hcs_event_sink *sink,
                         hcs_system *out, hcs_error *err);

#endif
