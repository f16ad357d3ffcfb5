/* The Windows engine of pipe transfers (see pipe_io.h): overlapped I/O.
 *
 * HCS opens the stdio pipes it hands out for overlapped I/O (hcssim's are
 * too, sim/src/pipe_win32.c), and anonymous and named pipes cannot be
 * polled. So each transfer issues ReadFile or WriteFile with an OVERLAPPED
 * of its own and lets the system thread pool wait for that OVERLAPPED's
 * event (CreateThreadpoolWait): the pool waits for many events on one
 * thread, so no thread is spent per pipe, and the caller's handle is not
 * bound to a completion port of libhcs's (a handle can have one port only,
 * and the caller may want its own). The event's low bit is set in the
 * OVERLAPPED so that a port the caller did bind the pipe to receives no
 * packet for libhcs's I/O.
 *
 * The wait's callback, on a pool thread, reads the outcome and either
 * issues the next piece (a write not yet complete) or finishes the
 * transfer. A deadline is the wait's timeout: when it passes, the I/O is
 * cancelled (CancelIoEx) and the wait set again for the cancellation's
 * completion, so the caller's buffer is released only after Windows let go
 * of it. hcs_op_cancel and hcs_pipe_close cancel the same way. */
#include "pipe_io.h"

#include <string.h>

/* The largest piece one ReadFile or WriteFile moves; a write loops. */
enum { PIECE = 65536 };

static void CALLBACK on_wait(PTP_CALLBACK_INSTANCE instance, void *context, PTP_WAIT wait, TP_WAIT_RESULT result);

bool hcs__pipe_engine_init(hcs_pipe_op *op)
{
    op->event = CreateEventW(NULL, TRUE, FALSE, NULL);
    op->wait = op->event ? CreateThreadpoolWait(on_wait, op, NULL) : NULL;
    return op->wait != NULL;
}

void hcs__pipe_engine_free(hcs_pipe_op *op)
{
    /* The wait is not set any more; called from its own callback, the
     * pool frees it once the callback returns. */
    if (op->wait)
        CloseThreadpoolWait(op->wait);
    if (op->event)
        CloseHandle(op->event);
}

bool hcs__pipe_engine_valid(intptr_t pipe)
{
    SetLastError(ERROR_SUCCESS);
    return GetFileType((HANDLE)pipe) != FILE_TYPE_UNKNOWN || GetLastError() == ERROR_SUCCESS;
}

static int32_t hr_of(DWORD e) { return (int32_t)(0x80070000u | (e & 0xFFFFu)); }

/* Lock held: waits for the event, until the deadline unless the transfer
 * is stopping already (then only for the cancellation to complete). */
static void arm(hcs_pipe_op *op)
{
    if (op->deadline_ms == UINT64_MAX || op->stop_hr) {
        SetThreadpoolWait(op->wait, op->event, NULL);
        return;
    }
    uint64_t now = hcs__clock_ms();
    uint64_t left = op->deadline_ms > now ? op->deadline_ms - now : 0;
    ULARGE_INTEGER due;
    due.QuadPart = (ULONGLONG)(-(LONGLONG)(left * 10000)); /* relative, in 100 ns */
    FILETIME ft = {due.LowPart, due.HighPart};
    SetThreadpoolWait(op->wait, op->event, &ft);
}

/* Lock held: starts the next piece of I/O and waits for it. A failure to
 * start is handed to the callback like a completion. */
static void issue(hcs_pipe_op *op)
{
    memset(&op->ov, 0, sizeof op->ov);
    ResetEvent(op->event);
    op->ov.hEvent = (HANDLE)((uintptr_t)op->event | 1);
    size_t left = op->writing ? op->size - op->done : op->size;
    DWORD len = left > PIECE ? PIECE : (DWORD)left;
    HANDLE h = (HANDLE)op->pipe;
    BOOL ok =
        op->writing ? WriteFile(h, op->buf + op->done, len, NULL, &op->ov) : ReadFile(h, op->buf, len, NULL, &op->ov);
    DWORD e = ok ? ERROR_SUCCESS : GetLastError();
    op->issue_err = e == ERROR_IO_PENDING ? ERROR_SUCCESS : e;
    if (op->issue_err)
        SetEvent(op->event);
    arm(op);
}

int32_t hcs__pipe_engine_start(hcs_pipe_op *op)
{
    issue(op);
    return HCS_OK;
}

void hcs__pipe_engine_stop(hcs_pipe_op *op)
{
    /* Also before hcs_pipe_close closes the handle: closing one handle does
     * not abort I/O while another handle to the pipe stays open (HCS keeps
     * one). With nothing pending (between two pieces, or the start failed)
     * this does nothing and the callback sees stop_hr instead. */
    CancelIoEx((HANDLE)op->pipe, &op->ov);
}

void hcs__pipe_engine_before_close(intptr_t pipe)
{
    /* The I/O was cancelled; the OVERLAPPED and the buffer stay the
     * transfer's until the cancellation completes, whenever that is. */
    (void)pipe;
}

static bool end_of_stream(DWORD e)
{
    return e == ERROR_BROKEN_PIPE || e == ERROR_HANDLE_EOF || e == ERROR_PIPE_NOT_CONNECTED;
}

static bool reader_gone(DWORD e)
{
    return e == ERROR_BROKEN_PIPE || e == ERROR_NO_DATA || e == ERROR_PIPE_NOT_CONNECTED;
}

/* Lock held: what a completed piece means. Returns true when the transfer
 * finished (else the next piece is under way). */
static bool completed(hcs_pipe_op *op, DWORD e, DWORD n)
{
    if (e == ERROR_OPERATION_ABORTED && op->stop_hr && n == 0) {
        hcs__pipe_finish(op, op->stop_hr, op->stop_why);
        return true;
    }
    if (!op->writing) {
        if (n > 0 && (e == ERROR_SUCCESS || e == ERROR_MORE_DATA || e == ERROR_OPERATION_ABORTED)) {
            op->done = n; /* data won the race with a cancellation: it is the caller's */
            hcs__pipe_finish(op, HCS_OK, NULL);
        } else if (end_of_stream(e)) {
            hcs__pipe_finish(op, HCS_OK, NULL);
        } else if (e != ERROR_SUCCESS) {
            hcs__pipe_finish(op, hr_of(e), "the read failed");
        } else if (op->stop_hr) {
            hcs__pipe_finish(op, op->stop_hr, op->stop_why);
        } else {
            issue(op); /* a zero-length write on the other end: read on */
            return false;
        }
        return true;
    }
    op->done += n;
    if (op->done >= op->size)
        hcs__pipe_finish(op, HCS_OK, NULL);
    else if (reader_gone(e))
        hcs__pipe_finish(op, HCS_WIN32_E_BROKEN_PIPE, "the reader closed the pipe");
    else if (e != ERROR_SUCCESS && e != ERROR_OPERATION_ABORTED)
        hcs__pipe_finish(op, hr_of(e), "the write failed");
    else if (op->stop_hr)
        hcs__pipe_finish(op, op->stop_hr, op->stop_why);
    else if (e == ERROR_OPERATION_ABORTED)
        hcs__pipe_finish(op, hr_of(e), "the write was cancelled outside libhcs");
    else {
        issue(op);
        return false;
    }
    return true;
}

static void CALLBACK on_wait(PTP_CALLBACK_INSTANCE instance, void *context, PTP_WAIT wait, TP_WAIT_RESULT result)
{
    (void)instance;
    (void)wait;
    hcs_pipe_op *op = context;
    hcs__pipe_lock();
    if (result == WAIT_TIMEOUT) {
        /* The deadline passed with the I/O pending: cancel it and wait for
         * the cancellation (or the data that beat it). */
        if (!op->stop_hr) {
            op->stop_hr = HCS_E_OPERATION_TIMEOUT;
            op->stop_why = "the transfer did not complete in time";
        }
        if (!op->detached) /* else cancelled by the close, and the handle may name another pipe now */
            CancelIoEx((HANDLE)op->pipe, &op->ov);
        arm(op);
        hcs__pipe_unlock();
        return;
    }
    DWORD n = 0, e = op->issue_err;
    if (!e && !GetOverlappedResult((HANDLE)op->pipe, &op->ov, &n, FALSE))
        e = GetLastError();
    if (e == ERROR_IO_INCOMPLETE) { /* not done after all: wait on */
        arm(op);
        hcs__pipe_unlock();
        return;
    }
    bool finished = completed(op, e, n);
    hcs__pipe_unlock();
    if (finished)
        hcs__pipe_report(op); /* the last use of op here */
}
