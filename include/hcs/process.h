/* Processes inside a compute system, and their standard streams.
 *
 * Each call HCS runs asynchronously has a blocking form with a timeout and
 * an `_async` form (operation.h). Every function may be called from any
 * thread. Pipes: each pipe end libhcs hands out belongs to the caller, who
 * closes it with hcs_pipe_close; closing the caller's stdin pipe does NOT
 * end the process's input: call hcs_process_close_stdin, which always
 * sends HCS's CloseHandle request (hcsshim-and-peers §6 #9). */
#ifndef HCS_PROCESS_H
#define HCS_PROCESS_H

#include "builders.h"
#include "event.h"
#include "system.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Joins argv into one command line that Windows splits back into exactly
 * these arguments (the C runtime's and CommandLineToArgvW's rules: blanks
 * and quotes quoted, backslashes before a quote doubled). *out is freed with
 * hcs_free. HCS_COM_E_INVALIDARG for an empty argv. */
HCS_API int32_t hcs_quote_argv(const char *const *argv, char **out, hcs_error *err);

/* Starts a process described by spec (builders.h: command line, working
 * directory, user, environment, console, which pipes to create) and waits
 * for HCS to report it started. *out is the new handle (close it with
 * hcs_process_close); *stdio (when non-NULL) receives the pipes asked for,
 * which are the caller's to close; when stdio is NULL they are closed. */
HCS_API int32_t hcs_process_create(hcs_system sys, const hcs_process_spec *spec, uint32_t timeout_ms, hcs_process *out,
                                   hcs_stdio *stdio, hcs_error *err);
/* The result's process, process_id and stdio are the caller's. */
HCS_API int32_t hcs_process_create_async(hcs_system sys, const hcs_process_spec *spec, const hcs_async *how, hcs_op *op,
                                         hcs_error *err);

/* Opens a running process by pid. HCS_WIN32_E_NOT_FOUND when it exited or
 * never existed. */
HCS_API int32_t hcs_process_open(hcs_system sys, uint32_t pid, hcs_process *out, hcs_error *err);

/* The process id, or 0 for a stale handle. */
HCS_API uint32_t hcs_process_pid(hcs_process proc);

typedef enum hcs_signal {
    HCS_SIGNAL_CTRL_C,
    HCS_SIGNAL_CTRL_BREAK,
    HCS_SIGNAL_CTRL_CLOSE,
    HCS_SIGNAL_CTRL_LOGOFF,
    HCS_SIGNAL_CTRL_SHUTDOWN,
} hcs_signal;

HCS_API int32_t hcs_process_signal(hcs_process proc, hcs_signal signal, uint32_t timeout_ms, hcs_error *err);
/* Terminates the process. Idempotent: a process that already exited, is
 * gone or refuses access because it just died counts as success
 * (hcsshim-and-peers §6 #6). */
HCS_API int32_t hcs_process_kill(hcs_process proc, uint32_t timeout_ms, hcs_error *err);
HCS_API int32_t hcs_process_resize(hcs_process proc, uint16_t height, uint16_t width, uint32_t timeout_ms,
                                   hcs_error *err);
/* Ends the process's input: sends HCS's CloseHandle StdIn request, whether
 * or not the caller took or closed the stdin pipe. */
HCS_API int32_t hcs_process_close_stdin(hcs_process proc, uint32_t timeout_ms, hcs_error *err);
/* Fresh handles to the process's pipes (HcsGetProcessInfo), the caller's. */
HCS_API int32_t hcs_process_stdio(hcs_process proc, uint32_t timeout_ms, hcs_stdio *out, hcs_error *err);
/* The ProcessStatus document (*out_json freed with hcs_free). */
HCS_API int32_t hcs_process_properties(hcs_process proc, uint32_t timeout_ms, char **out_json, hcs_error *err);

HCS_API int32_t hcs_process_signal_async(hcs_process proc, hcs_signal signal, const hcs_async *how, hcs_op *op,
                                         hcs_error *err);
HCS_API int32_t hcs_process_kill_async(hcs_process proc, const hcs_async *how, hcs_op *op, hcs_error *err);
HCS_API int32_t hcs_process_close_stdin_async(hcs_process proc, const hcs_async *how, hcs_op *op, hcs_error *err);
HCS_API int32_t hcs_process_properties_async(hcs_process proc, const hcs_async *how, hcs_op *op, hcs_error *err);

typedef struct hcs_process_exit {
    uint32_t exit_code; /* the real exit code */
    char *document;     /* the ProcessStatus JSON; free with hcs_free */
} hcs_process_exit;

/* Waits until the process exits and fills *out (when non-NULL) with its
 * real exit code. An exit whose code HCS could not read fails with
 * HCS_E_PROCESS_INFO_NOT_AVAILABLE: never a made-up 0
 * (hcsshim-and-peers §6 #26). Also HCS_E_OPERATION_TIMEOUT,
 * HCS_E_SERVICE_DISCONNECT, or HCS_WIN32_E_INVALID_HANDLE when the handle
 * is closed meanwhile. */
HCS_API int32_t hcs_process_wait(hcs_process proc, uint32_t timeout_ms, hcs_process_exit *out, hcs_error *err);

/* Subscribes sink to the process's events, as hcs_system_subscribe (event.h).
 * A process that exited already is reported at once, replayed. */
HCS_API int32_t hcs_process_subscribe(hcs_process proc, const hcs_event_sink *sink, hcs_subscription *out,
                                      hcs_error *err);

/* Closes the handle; the process keeps running. Idempotent. Waits on the
 * handle end; subscriptions end (no callback after this returns). */
HCS_API void hcs_process_close(hcs_process proc);

/* ---- stdio ---------------------------------------------------------------- */

HCS_API void hcs_pipe_close(hcs_pipe pipe);
/* Closes the three pipes and sets them to HCS_PIPE_NONE. */
HCS_API void hcs_stdio_close(hcs_stdio *stdio);
/* Writes all of data (blocking). HCS_WIN32_E_BROKEN_PIPE when the reader
 * is gone. */
HCS_API int32_t hcs_pipe_write_all(hcs_pipe pipe, const void *data, size_t size, hcs_error *err);

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
