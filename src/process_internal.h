/* The object behind an hcs_process handle, shared by the process calls and
 * raw interop. */
#ifndef HCS_SRC_PROCESS_INTERNAL_H
#define HCS_SRC_PROCESS_INTERNAL_H

#include "hcs/process.h"
#include "system_internal.h"

typedef struct process_obj {
    hcs_object base;
    system_obj *system; /* referenced: keeps its client and provider */
    raw_handle raw;     /* HCS's HCS_PROCESS and its direct users */
    uint32_t pid;
    event_hub hub;
} process_obj;

/* The process behind a handle, referenced, or NULL (err filled). */
process_obj *hcs__process_acquire(hcs_process proc, const char *call, hcs_error *err);
void hcs__process_release(process_obj *p);

/* Brackets a direct use of HCS's handle: NULL once given away. */
HCS_PROCESS hcs__process_raw_begin(process_obj *p);
void hcs__process_raw_end(process_obj *p);

/* Wraps a raw HCS_PROCESS of system s into a new handle (taking ownership
 * of raw, also on failure), subscribes sink (NULL or zeroed: none) and
 * registers libhcs's event callback on it. */
int32_t hcs__process_wrap(system_obj *s, HCS_PROCESS raw, uint32_t pid, const char *call, const hcs_event_sink *sink,
                          hcs_process *out, hcs_error *err);

#endif
