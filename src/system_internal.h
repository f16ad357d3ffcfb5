/* The object behind an hcs_system handle, shared by the system calls, the
 * event fan-out and processes. */
#ifndef HCS_SRC_SYSTEM_INTERNAL_H
#define HCS_SRC_SYSTEM_INTERNAL_H

#include "client_internal.h"
#include "event_hub.h"
#include "hcs/system.h"

typedef struct system_obj {
    hcs_object base;
    hcs_client_obj *client;
    HCS_SYSTEM raw;
    bool owns_raw;   /* false after hcs_system_into_raw */
    event_hub hub;   /* events, the exit latch and subscribers */
} system_obj;

/* The system behind a handle, referenced, or NULL (err filled). */
system_obj *hcs_system_acquire(hcs_system sys, const char *call, hcs_error *err);
void hcs_system_release(system_obj *s);

/* Wraps a raw HCS_SYSTEM into a new handle (taking ownership of raw, also
 * on failure) and registers libhcs's event callback on it. */
int32_t hcs_system_wrap(hcs_client_obj *c, HCS_SYSTEM raw, const char *call, hcs_system *out, hcs_error *err);

#endif
