/* Processes inside a compute system. Their standard streams (the pipes
 * handed out here) are read and written with streams.h.
 *
 * Each call HCS runs asynchronously has a blocking form with a timeout and
 * an `_async` form (operation.h). Every function may be called from any
 * thread. */
#ifndef HCS_PROCESS_H
#define HCS_PROCESS_H

#include "event.h"
#include "system.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hcs_env_var {
    const char *name;
    const char *value;
} hcs_env_var;

/* What hcs_process_create starts: the ProcessParameters document
 * (hcs_build_process, builders.h, writes it) and the event sink. */
typedef struct hcs_process_spec {
    const char *command_line; /* required */
    const char *working_directory;
    const char *user;
    const hcs_env_var *env;
    size_t env_count;
    bool create_stdin, create_stdout, create_stderr;
    bool emulate_console;
    uint16_t console_height, console_width; /* ConsoleSize, both or neither */
    /* Not part of the document: hcs_process_create subscribes this sink
     * (event.h) before HCS can report anything, so not even an instant
     * exit is missed. The subscription ends when the process is closed.
     * Zeroed: no subscription. */
    hcs_event_sink events;
} hcs_process_spec;

/* Joins argv into one command line that Windows splits back into exactly
 * these arguments (the C runtime's and CommandLineToArgvW's rules: blanks
 * and quotes quoted, backslashes before a quote doubled). *out is freed with
 * hcs_free. HCS_COM_E_INVALIDARG for an empty argv. */
HCS_API int32_t hcs_quote_argv(const char *const *argv, char **out, hcs_error *err);

/* Starts a process described by spec (command line, working
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
HCS_API int32_t hcs_process_properties_json(hcs_process proc, uint32_t timeout_ms, char **out_json, hcs_error *err);

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

/* Closes the handle; the process keeps running. Idempotent. Waits on the
 * handle end; subscriptions end (no callback after this returns). */
HCS_API void hcs_process_close(hcs_process proc);

#ifdef __cplusplus
}
#endif

#endif
