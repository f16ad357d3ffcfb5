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

/* A stdio pipe end the caller owns: a file descriptor on POSIX, a HANDLE
 * on Windows, as an integer; HCS_PIPE_NONE when the stream was not
 * created. Close it with hcs_pipe_close (process.h). */
typedef intptr_t hcs_pipe;
#define HCS_PIPE_NONE ((hcs_pipe)-1)

/* A process's standard streams. */
typedef struct hcs_stdio {
    hcs_pipe in, out, err;
} hcs_stdio;

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
