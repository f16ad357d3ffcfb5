/* Asynchronous reads and writes on stdio pipes (hcs_pipe_read_async,
 * hcs_pipe_write_async in hcs/streams.h), without a thread per pipe.
 *
 * pipe_io.c holds what both platforms share: the transfers in flight (one
 * list under one lock, indexed by pipe so that a submission or a close
 * looks only at its own pipe's), the checks at submission, hcs_op_cancel and
 * hcs_pipe_close on transfers, and the single report of each. An engine
 * per platform moves the bytes:
 *  - POSIX (pipe_io_posix.c): one libhcs thread polls every pipe with a
 *    transfer in flight, plus a wake-up descriptor, and does the reads and
 *    writes once poll() says they will not block;
 *  - Windows (pipe_io_win32.c): each transfer is overlapped I/O on the pipe
 *    (HCS opens its pipes for overlapped I/O), whose event the system thread
 *    pool waits for, grouping many waits on one thread.
 *
 * Lifetime: a transfer holds one reference from submission until its report
 * was delivered; the handle table holds another until the report. Only the
 * engine finishes a transfer (hcs__pipe_finish), exactly once, with the lock
 * held; cancel, close and timeouts only ask it to stop. */
#ifndef HCS_SRC_PIPE_IO_H
#define HCS_SRC_PIPE_IO_H

#include "hcs/streams.h"

#include "platform/thread.h"
#include "util/hash_index.h"
#include "util/object.h"
#include "worker.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct hcs_pipe_op hcs_pipe_op;

struct hcs_pipe_op {
    hcs_object base;
    hcs_pipe_op *prev, *next; /* the list of transfers in flight (lock held) */
    hcs_hash_node by_pipe;    /* ... and their index by pipe */
    intptr_t pipe;
    bool writing;
    char *buf;            /* the caller's buffer */
    size_t size;          /* bytes asked for (read) or to write */
    uint64_t deadline_ms; /* UINT64_MAX: none */
    hcs_async how;
    hcs_op handle;
    hcs_work report_work;
    /* Under the lock. */
    size_t done;          /* bytes moved so far */
    int32_t stop_hr;      /* 0, or why the transfer must end: HCS_WIN32_E_OPERATION_ABORTED
                             (hcs_op_cancel, hcs_pipe_close) or HCS_E_OPERATION_TIMEOUT */
    const char *stop_why; /* ... in words (static) */
    bool detached;        /* its pipe was closed by hcs_pipe_close */
    bool finished;        /* the outcome is set; the engine is done with buf */
    int32_t hr;           /* the outcome */
    const char *why;      /* its message (static), NULL for success */
#ifdef _WIN32
    OVERLAPPED ov;
    HANDLE event;    /* signalled when the I/O in ov completes */
    PTP_WAIT wait;   /* the thread pool's wait for it */
    DWORD issue_err; /* the I/O could not even start: this error */
#else
    bool checked; /* its direction was checked against the descriptor's */
    bool polled;  /* was in a poll() at least once (a timeout of 0 tries once) */
#endif
};

/* The lock over every transfer and the engine's state. */
void hcs__pipe_lock(void);
void hcs__pipe_unlock(void);

/* Lock held: records the outcome and takes op off the list. The caller
 * reports it with hcs__pipe_report after unlocking. */
void hcs__pipe_finish(hcs_pipe_op *op, int32_t hr, const char *why);
/* Lock not held: delivers the one report of a finished op (the callback on
 * libhcs's threads, a queue right here) and drops its reference. */
void hcs__pipe_report(hcs_pipe_op *op);
/* Lock held: the transfers in flight, oldest first (walk with ->next). */
hcs_pipe_op *hcs__pipe_ops(void);
/* Lock held: the transfers in flight on one pipe, in no particular order:
 * the first, and the one after op. */
hcs_pipe_op *hcs__pipe_ops_on(intptr_t pipe);
hcs_pipe_op *hcs__pipe_next_on(const hcs_pipe_op *op);
/* Lock held: waits until some transfer finishes (the lock is released
 * meanwhile). */
void hcs__pipe_wait_finished(void);

/* hcs_op_cancel of a pipe transfer: asks it to stop. False when op names
 * no transfer in flight. */
bool hcs__pipe_op_cancel(hcs_op op);

/* ---- the engine --------------------------------------------------------- */

/* Lock not held: platform state of a new op (false: out of resources). */
bool hcs__pipe_engine_init(hcs_pipe_op *op);
/* Frees what init made; op is finished, or was never started. */
void hcs__pipe_engine_free(hcs_pipe_op *op);
/* Lock held, op listed: starts the transfer. A failure returned here is
 * the submitter's (op is then unlisted and never reported). */
int32_t hcs__pipe_engine_start(hcs_pipe_op *op);
/* Lock held: op->stop_hr was just set; end the transfer soon. */
void hcs__pipe_engine_stop(hcs_pipe_op *op);
/* Lock held: the transfers on `pipe` were told to stop because it closes.
 * Returns once the pipe may be closed (POSIX: the polling thread no longer
 * uses it; may wait on the lock). */
void hcs__pipe_engine_before_close(intptr_t pipe);
/* Whether pipe names an open pipe end (checked at submission). */
bool hcs__pipe_engine_valid(intptr_t pipe);

#endif
