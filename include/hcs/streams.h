/* A process's standard streams: the pipes hcs_process_create and
 * hcs_process_stdio hand out (hcs_pipe, hcs_stdio in handles.h), writing
 * to them, and reading stdout and stderr together until the process ends.
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

/* Closes a pipe end. HCS_PIPE_NONE is ignored. */
HCS_API void hcs_pipe_close(hcs_pipe pipe);
/* Closes the three pipes and sets them to HCS_PIPE_NONE. */
HCS_API void hcs_stdio_close(hcs_stdio *stdio);
/* Writes all of data (blocking). HCS_WIN32_E_BROKEN_PIPE when the reader
 * is gone. */
HCS_API int32_t hcs_pipe_write(hcs_pipe pipe, const void *data, size_t size, hcs_error *err);

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
