/* The OS seam under simulated stdio (POSIX and Win32): real pipes between
 * a guest program, which runs on a thread of its own, and the client, which
 * receives a handle to the other end exactly as from computecore.dll.
 *
 * A guest end is used by its guest thread only. Every blocking guest call
 * also wakes when the process's waker fires, so a request from another
 * thread (terminate, Ctrl-C, close stdin) reaches a guest that is blocked
 * in a read, a write or a sleep. */
#ifndef HCSSIM_PIPE_H
#define HCSSIM_PIPE_H

#include "hcs/computecore.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef _WIN32
typedef HANDLE sim_os_handle;
#define SIM_NO_OS_HANDLE NULL
#else
typedef int sim_os_handle;
#define SIM_NO_OS_HANDLE (-1)
#endif

/* An event another thread fires to get a guest's attention. */
typedef struct sim_waker {
#ifdef _WIN32
    HANDLE event;
#else
    int fds[2];
#endif
} sim_waker;

int hcssim__waker_init(sim_waker *w);
void hcssim__waker_destroy(sim_waker *w);
void hcssim__waker_fire(sim_waker *w);
/* Sleeps up to ms (UINT32_MAX: forever) or until fired. Returns true when
 * fired. */
bool hcssim__waker_sleep(sim_waker *w, uint32_t ms);

typedef struct sim_pipe {
    sim_os_handle guest; /* the guest program's end */
    sim_os_handle host;  /* the service's copy of the client's end */
    bool to_guest;       /* stdin; otherwise stdout or stderr */
} sim_pipe;

/* Returns 0, or -1 when the OS refused. */
int hcssim__pipe_open(sim_pipe *p, bool to_guest);
/* A new handle to the client's end, owned by the client (a duplicate on
 * Windows; (HANDLE)(fd + 1) of a dup'ed fd elsewhere, hcs/computecore.h).
 * NULL when the pipe was not created or is closed. */
HANDLE hcssim__pipe_client_handle(const sim_pipe *p);
void hcssim__pipe_close_guest(sim_pipe *p);
void hcssim__pipe_close_host(sim_pipe *p);

/* Guest I/O. Returns the bytes moved (> 0), 0 at end of file or when the
 * other side is gone, or -1 when the waker fired first. */
long hcssim__pipe_read(sim_pipe *p, void *buf, size_t n, sim_waker *w);
long hcssim__pipe_write(sim_pipe *p, const void *buf, size_t n, sim_waker *w);
/* Reads what is in the pipe already, without waiting: bytes read, or 0
 * when nothing is there. */
long hcssim__pipe_read_now(sim_pipe *p, void *buf, size_t n);

/* Called first on every guest thread: on POSIX a write to a pipe whose
 * reader left must fail with EPIPE, not raise SIGPIPE in the client. */
void hcssim__guest_thread_prepare(void);

#endif
