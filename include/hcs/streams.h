/* A process's standard streams: the pipes hcs_process_create and
 * hcs_process_stdio hand out (hcs_pipe, hcs_stdio in handles.h), writing
 * to them, reading and writing them asynchronously through a callback or a
 * completion queue, and reading stdout and stderr together until the
 * process ends.
 *
 * Each pipe end libhcs hands out belongs to the caller, who closes it with
 * hcs_pipe_close. Closing the stdin pipe does NOT end the process's input:
 * call hcs_process_close_stdin (process.h), which always sends HCS's
 * CloseHandle request (hcsshim-and-peers §6 #9). */
#ifndef HCS_STREAMS_H
#define HCS_STREAMS_H

#include "process.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Closes a pipe end. HCS_PIPE_NONE is ignored. A transfer in flight on it
 * (hcs_pipe_read_async, hcs_pipe_write_async) is stopped first and reports
 * HCS_WIN32_E_OPERATION_ABORTED, once, unless it completed first; its
 * buffer is the caller's again only when that report arrives, which may be
 * after this returns. Close pipes with a transfer in flight only this way
 * (not with close() or CloseHandle). */
HCS_API void hcs_pipe_close(hcs_pipe pipe);
/* Closes the three pipes and sets them to HCS_PIPE_NONE. */
HCS_API void hcs_stdio_close(hcs_stdio *stdio);
/* Writes all of data (blocking). HCS_WIN32_E_BROKEN_PIPE when the reader
 * is gone. */
HCS_API int32_t hcs_pipe_write(hcs_pipe pipe, const void *data, size_t size, hcs_error *err);

/* Asynchronous reads and writes.
 *
 * hcs_pipe_read_async and hcs_pipe_write_async move bytes through a pipe
 * and report the outcome once, like every async call (operation.h): to the
 * callback or the completion queue named in `how`, as an hcs_result with
 * `call` "hcs_pipe_read_async" or "hcs_pipe_write_async", `op` and
 * `user_data` as given, `hr`, and `bytes`: how many bytes moved (also on a
 * failure). The result holds no handles. So an event loop can relay the
 * stdio of any number of processes from one thread by polling
 * hcs_cq_pollable (Windows pipes cannot be polled; libhcs does the
 * overlapped I/O). No thread is spent per pipe: on POSIX one libhcs thread
 * polls every pipe with a transfer in flight; on Windows each transfer is
 * overlapped I/O whose completion the system thread pool waits for, many
 * waits per thread (docs/threading.md).
 *
 * The rules:
 *  - At most one read and one write are in flight on a pipe at a time. A
 *    second one of the same direction is refused with HCS_WIN32_E_BUSY
 *    (nothing is queued: issue the next read from the previous one's
 *    result, as a loop does).
 *  - The buffer is libhcs's from the call until the result is reported
 *    (the callback is called or the result is queued): keep it valid and
 *    leave it alone until then, also after a timeout, hcs_op_cancel or
 *    hcs_pipe_close. Each of these stops the transfer, and its one report
 *    comes only after the I/O let go of the buffer.
 *  - how->timeout_ms bounds the transfer: HCS_TIMEOUT_INFINITE waits as long
 *    as it takes (what a relay of a process's output usually wants);
 *    HCS_TIMEOUT_DEFAULT is 240000 ms (a pipe has no client whose default
 *    could apply); 0 moves what can move without waiting. When it passes,
 *    the transfer stops and reports HCS_E_OPERATION_TIMEOUT, with `bytes`
 *    what moved before; a read that timed out consumed nothing, and the next
 *    read gets the data. Unlike an HCS call, nothing continues after a
 *    timeout: the transfer is over.
 *  - hcs_op_cancel(op) stops the transfer: it reports
 *    HCS_WIN32_E_OPERATION_ABORTED, unless it completed first (the outcome
 *    is then reported as usual). hcs_op_borrow does not apply (there is no
 *    HCS operation).
 *  - Do not read or write the pipe otherwise (hcs_pipe_write,
 *    hcs_process_collect, the OS) while a transfer of the same direction is
 *    in flight on it.
 *  - The call itself fails only for bad arguments (HCS_COM_E_INVALIDARG
 *    for a NULL `how`, HCS_PIPE_NONE, a NULL buffer with a size, a read of
 *    0 bytes, or an hcs_async without exactly one of callback and cq; HCS_WIN32_E_INVALID_HANDLE for a closed queue or a
 *    value that names no open pipe or file), HCS_WIN32_E_BUSY, or a lack of
 *    resources; then nothing is reported. Everything else, such as a pipe
 *    end of the wrong direction (HCS_WIN32_E_ACCESS_DENIED), is reported.
 *  - The report may come before the call returns (from another thread);
 *    *op is set all the same (and is then already stale). */

/* Reads up to `size` bytes (at least 1) into buf. Completes as soon as at
 * least one byte arrived: HCS_OK with `bytes` > 0. At the end of the stream
 * (the writer closed its end, or it is gone: a broken pipe is the end for a
 * reader) it completes with HCS_OK and `bytes` 0. *op (when non-NULL)
 * receives the request's handle, for hcs_op_cancel. */
HCS_API int32_t hcs_pipe_read_async(hcs_pipe pipe, void *buf, size_t size, const hcs_async *how, hcs_op *op,
                                    hcs_error *err);
/* Writes all `size` bytes of data. Completes with HCS_OK when all were
 * written (at once for 0 bytes), or with HCS_WIN32_E_BROKEN_PIPE when the
 * reader is gone (`bytes` says how many were written before). *op (when
 * non-NULL) receives the request's handle, for hcs_op_cancel. */
HCS_API int32_t hcs_pipe_write_async(hcs_pipe pipe, const void *data, size_t size, const hcs_async *how, hcs_op *op,
                                     hcs_error *err);

/* What hcs_process_collect read. */
typedef struct hcs_output {
    char *out, *err;           /* NUL-terminated (hcs_free); NULL when the stream was absent */
    size_t out_size, err_size; /* bytes kept */
    bool truncated;            /* more than max_bytes arrived on a stream; the rest was read and dropped */
    bool drain_cut;            /* the streams stayed open after exit and were cut after drain_ms */
} hcs_output;

/* Reads stdout and stderr together (so neither fills while the other is
 * read: no deadlock), waits for the exit, then keeps reading for at most
 * drain_ms before cutting streams the service failed to close
 * (hcsshim-and-peers §6 #12). Takes stdio->out and stdio->err (closed and
 * set to HCS_PIPE_NONE; stdin is left alone). Keeps up to max_bytes per
 * stream. timeout_ms bounds the whole collection; on timeout the process is
 * left running and HCS_E_OPERATION_TIMEOUT returned with what was read. */
HCS_API int32_t hcs_process_collect(hcs_process proc, hcs_stdio *stdio, size_t max_bytes, uint32_t timeout_ms,
                                    uint32_t drain_ms, hcs_output *out, hcs_process_exit *exit, hcs_error *err);
HCS_API void hcs_output_clear(hcs_output *out);

#ifdef __cplusplus
}
#endif

#endif
