/* The POSIX engine of pipe transfers (see pipe_io.h): one thread, started
 * with the first transfer, polls every pipe with a transfer in flight and a
 * wake-up descriptor, however many pipes there are.
 *
 * The pipes HCS hands out are blocking descriptors that the caller owns, so
 * their flags are left alone: a read is made only once poll() says data or
 * the end is there (it then returns at once), a write only after poll()
 * says there is room, and in pieces of PIPE_BUF bytes, which a pipe with
 * room takes whole. The reads and writes run with the lock held: a transfer
 * told to stop (cancel, close, timeout) is never touched again, so
 * hcs_pipe_close may close the descriptor as soon as the thread is out of
 * poll(). The thread runs no user code: callbacks are posted to libhcs's
 * callback threads, results for a queue are pushed from here. */
#include "pipe_io.h"

#include "platform/os_pipe.h"
#include "platform/pollable.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>

static struct {
    bool running;
    hcs_pollable wake; /* readable while `woken` */
    bool woken;
    struct pollfd *fds; /* fds[0] is the wake-up descriptor */
    hcs_pipe_op **polled;
    size_t cap;
} eng; /* under the pipe lock */

static _Thread_local bool on_io_thread;

bool hcs__pipe_engine_init(hcs_pipe_op *op)
{
    (void)op;
    return true;
}

void hcs__pipe_engine_free(hcs_pipe_op *op) { (void)op; }

bool hcs__pipe_engine_valid(intptr_t pipe) { return pipe >= 0 && pipe <= INT_MAX && fcntl((int)pipe, F_GETFL) != -1; }

/* Lock held: gets the thread out of poll() to look at the list again. */
static void wake(void)
{
    if (!eng.woken) {
        eng.woken = true;
        hcs__pollable_set(&eng.wake);
    }
}

void hcs__pipe_engine_stop(hcs_pipe_op *op)
{
    (void)op;
    wake();
}

void hcs__pipe_engine_before_close(intptr_t pipe)
{
    /* The polling thread itself is not in poll(); it finishes stopped
     * transfers before it polls again. (It runs no user code, but a
     * callback falls back to the posting thread when no callback thread can
     * start, worker.h.) */
    if (on_io_thread)
        return;
    for (;;) {
        bool pending = false;
        for (hcs_pipe_op *op = hcs__pipe_ops_on(pipe); op && !pending; op = hcs__pipe_next_on(op))
            pending = op->detached;
        if (!pending)
            return;
        hcs__pipe_wait_finished();
    }
}

static int32_t hr_of_errno(int e) { return e == EBADF ? HCS_WIN32_E_INVALID_HANDLE : HCS_COM_E_FAIL; }

static bool would_block(int e) { return e == EAGAIN || e == EWOULDBLOCK || e == EINTR; }

/* Lock held: a new transfer's direction against the descriptor's. False
 * (op finished) when it cannot work. */
static bool check(hcs_pipe_op *op)
{
    op->checked = true;
    int fl = fcntl((int)op->pipe, F_GETFL);
    if (fl == -1) {
        hcs__pipe_finish(op, HCS_WIN32_E_INVALID_HANDLE, "the pipe is not open");
        return false;
    }
    int mode = fl & O_ACCMODE;
    if (op->writing ? mode == O_RDONLY : mode == O_WRONLY) {
        hcs__pipe_finish(op, HCS_WIN32_E_ACCESS_DENIED,
                         op->writing ? "the pipe end is not open for writing" : "the pipe end is not open for reading");
        return false;
    }
    return true;
}

static bool writable_now(int fd)
{
    struct pollfd p = {fd, POLLOUT, 0};
    return poll(&p, 1, 0) == 1 && (p.revents & POLLOUT);
}

/* Lock held: moves what poll() said can move without blocking. */
static void service(hcs_pipe_op *op, short revents)
{
    int fd = (int)op->pipe;
    if (revents & POLLNVAL) {
        hcs__pipe_finish(op, HCS_WIN32_E_INVALID_HANDLE, "the pipe was closed without hcs_pipe_close");
        return;
    }
    if (!op->writing) {
        long got = hcs__os_pipe_read(op->pipe, op->buf, op->size < INT_MAX ? op->size : INT_MAX);
        if (got < 0 && would_block(errno))
            return;
        if (got >= 0)
            op->done = (size_t)got; /* 0: the end of the stream (also when the writer is gone) */
        hcs__pipe_finish(op, got >= 0 ? HCS_OK : hr_of_errno(errno), got >= 0 ? NULL : "the read failed");
        return;
    }
    /* As much as fits now, PIPE_BUF at a time (each piece fits whole in a
     * pipe poll() called writable). */
    for (int piece = 0; op->done < op->size; piece++) {
        if (piece > 0 && !writable_now(fd))
            return; /* full: wait for the next poll() */
        size_t left = op->size - op->done;
        long put = hcs__os_pipe_write(op->pipe, op->buf + op->done, left < PIPE_BUF ? left : PIPE_BUF);
        if (put < 0 && would_block(errno))
            return;
        if (put <= 0) {
            hcs__pipe_finish(op, put == 0 ? HCS_WIN32_E_BROKEN_PIPE : hr_of_errno(errno),
                             put == 0 ? "the reader closed the pipe" : "the write failed");
            return;
        }
        op->done += (size_t)put;
    }
    hcs__pipe_finish(op, HCS_OK, NULL);
}

/* Lock held: room for n entries; false when memory ran out. */
static bool reserve(size_t n)
{
    if (n <= eng.cap)
        return true;
    size_t cap = eng.cap ? eng.cap * 2 : 64;
    while (cap < n)
        cap *= 2;
    struct pollfd *fds = realloc(eng.fds, cap * sizeof *fds);
    if (fds)
        eng.fds = fds;
    /* An array of pointers, one per polled descriptor. */
    hcs_pipe_op **polled =
        fds ? realloc(eng.polled, cap * sizeof(hcs_pipe_op *)) : NULL; // NOLINT(bugprone-sizeof-expression)
    if (!polled)
        return false;
    eng.polled = polled;
    eng.cap = cap;
    return true;
}

/* Lock held: finishes op and chains it for the report. */
static void finish_into(hcs_pipe_op *op, int32_t hr, const char *why, hcs_pipe_op **done)
{
    hcs__pipe_finish(op, hr, why);
    op->next = *done;
    *done = op;
}

/* Lock held: the poll() timeout for the nearest deadline (-1: none). */
static int poll_timeout(uint64_t deadline)
{
    if (deadline == UINT64_MAX)
        return -1;
    uint64_t now = hcs__clock_ms();
    return deadline <= now ? 0 : deadline - now > INT_MAX ? INT_MAX : (int)(deadline - now);
}

static void run(void *arg)
{
    (void)arg;
    on_io_thread = true;
    hcs__pipe_lock();
    for (;;) {
        hcs_pipe_op *done = NULL;
        /* Transfers told to stop, and new ones that cannot work, end here:
         * none of them is polled again. */
        for (hcs_pipe_op *op = hcs__pipe_ops(), *next; op; op = next) {
            next = op->next;
            if (op->stop_hr)
                finish_into(op, op->stop_hr, op->stop_why, &done);
            else if (!op->checked && !check(op)) {
                op->next = done;
                done = op;
            }
        }
        if (done) {
            hcs__pipe_unlock();
            for (hcs_pipe_op *op = done, *next; op; op = next) {
                next = op->next;
                hcs__pipe_report(op);
            }
            hcs__pipe_lock();
            continue;
        }
        size_t n = 1;
        uint64_t deadline = UINT64_MAX;
        eng.fds[0] = (struct pollfd){(int)hcs__pollable_value(&eng.wake), POLLIN, 0};
        for (hcs_pipe_op *op = hcs__pipe_ops(); op && reserve(n + 1); op = op->next, n++) {
            eng.fds[n] = (struct pollfd){(int)op->pipe, op->writing ? POLLOUT : POLLIN, 0};
            eng.polled[n] = op;
            op->polled = true;
            if (op->deadline_ms < deadline)
                deadline = op->deadline_ms;
        }
        int timeout = poll_timeout(deadline);
        struct pollfd *fds = eng.fds;
        hcs__pipe_unlock();
        int ready = poll(fds, (nfds_t)n, timeout);
        hcs__pipe_lock();
        if (eng.woken) {
            eng.woken = false;
            hcs__pollable_clear(&eng.wake);
        }
        /* Only this thread finishes transfers, so every polled one is
         * still listed; those told to stop meanwhile are left alone. */
        for (size_t i = 1; ready > 0 && i < n; i++) {
            hcs_pipe_op *op = eng.polled[i];
            if (fds[i].revents && !op->stop_hr) {
                service(op, fds[i].revents);
                if (op->finished) {
                    op->next = done;
                    done = op;
                }
            }
        }
        uint64_t now = hcs__clock_ms();
        for (hcs_pipe_op *op = hcs__pipe_ops(), *next; op; op = next) {
            next = op->next;
            if (op->polled && op->deadline_ms <= now)
                finish_into(op, HCS_E_OPERATION_TIMEOUT, "the transfer did not complete in time", &done);
        }
        if (done) {
            hcs__pipe_unlock();
            for (hcs_pipe_op *op = done, *next; op; op = next) {
                next = op->next;
                hcs__pipe_report(op);
            }
            hcs__pipe_lock();
        }
    }
}

int32_t hcs__pipe_engine_start(hcs_pipe_op *op)
{
    (void)op;
    if (!eng.running) {
        if (!reserve(1))
            return HCS_COM_E_OUTOFMEMORY;
        if (hcs__pollable_init(&eng.wake) != 0)
            return HCS_COM_E_FAIL;
        hcs_thread t;
        if (hcs__thread_start(&t, run, NULL) != 0) {
            hcs__pollable_destroy(&eng.wake);
            return HCS_COM_E_FAIL;
        }
        hcs__thread_detach(t);
        eng.running = true;
    }
    wake();
    return HCS_OK;
}
