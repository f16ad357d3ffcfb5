/* libhcs's handles. Each is a small value naming an object in a process-
 * wide table by slot and generation, never a pointer: a closed or stale
 * handle is recognised and refused (HCS_WIN32_E_INVALID_HANDLE) instead of
 * reaching freed memory. A zero id is never valid. Copy them freely. */
#ifndef HCS_HANDLES_H
#define HCS_HANDLES_H

#include <stdint.h>

typedef struct hcs_client {
    uint64_t id;
} hcs_client;

/* A compute system: a container or a virtual machine. */
typedef struct hcs_system {
    uint64_t id;
} hcs_system;

/* A process inside a compute system. */
typedef struct hcs_process {
    uint64_t id;
} hcs_process;

/* One asynchronous request in flight (operation.h). */
typedef struct hcs_op {
    uint64_t id;
} hcs_op;

/* A completion queue (operation.h). */
typedef struct hcs_cq {
    uint64_t id;
} hcs_cq;

/* An event subscription (event.h). */
typedef struct hcs_subscription {
    uint64_t id;
} hcs_subscription;

#endif
