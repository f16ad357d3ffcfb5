/* hcsctl exec: a process in a running system, its stdout and stderr relayed
 * as they come, stdin relayed with -i, a console with -t, Ctrl-C forwarded,
 * and the process's exit code as hcsctl's.
 *
 * One loop on one completion queue (streams.h): the reads of stdout and
 * stderr (hcs_pipe_read_async) and the process's exit event arrive there,
 * so no thread blocks on a pipe of the guest. stdin is read on a thread of
 * its own (term.h): a terminal or a console cannot be read asynchronously
 * everywhere; it writes to the guest with hcs_pipe_write. Signals reach
 * on_signal on a thread of their own, which calls libhcs directly. */
#include "commands.h"
#include "term.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* After the exit, the streams are read until they end; one that stays
 * silent this long without ending is cut: the service left it open
 * (hcsshim-and-peers §6 #12). */
enum { DRAIN_MS = 2000 };

/* STATUS_CONTROL_C_EXIT: what a process ended by Ctrl-C exits with. */
#define CONTROL_C_EXIT 0xC000013Au

enum { OUT, ERR, STREAMS };

typedef struct exec_state {
    hcsctl_ctx *ctx;
    _Atomic uint64_t proc;   /* the hcs_process id, once created */
    atomic_int interrupts;   /* Ctrl-Cs so far */
    atomic_bool tty;         /* -t: resizes are forwarded */
    hcs_pipe in;             /* the guest's stdin (-i), the stdin thread's */
    bool stdin_thread;       /* started: it keeps this state to the end */
    hcs_pipe pipes[STREAMS]; /* the guest's stdout and stderr */
    bool reading[STREAMS];   /* a read in flight */
    char buf[STREAMS][16384];
} exec_state;

static hcs_process proc_of(exec_state *st) { return (hcs_process){atomic_load(&st->proc)}; }

/* On the signal thread: the first Ctrl-C goes to the process as Ctrl-C, a
 * second one (or SIGTERM, the console closing) terminates it; the loop
 * then sees its exit as usual. */
static void on_signal(hcsctl_signal what, void *user)
{
    exec_state *st = user;
    hcs_process proc = proc_of(st);
    if (what == HCSCTL_SIGNAL_RESIZE) {
        uint16_t rows, cols;
        if (proc.id && atomic_load(&st->tty) && hcsctl_terminal_size(&rows, &cols))
            hcs_process_resize(proc, rows, cols, 10000, NULL);
        return;
    }
    int n = what == HCSCTL_SIGNAL_INTERRUPT ? atomic_fetch_add(&st->interrupts, 1) + 1 : 2;
    if (!proc.id)
        return; /* not there yet: exec kills it once it is */
    if (n == 1) {
        hcs_error err = HCS_ERROR_INIT;
        if (hcs_process_signal(proc, HCS_SIGNAL_CTRL_C, 10000, &err) == HCS_OK)
            hcsctl_say("sent Ctrl-C to process %u; Ctrl-C again terminates it", hcs_process_pid(proc));
        else if (err.kind != HCS_ERROR_ALREADY_STOPPED && err.kind != HCS_ERROR_NOT_FOUND &&
                 err.kind != HCS_ERROR_INVALID_HANDLE)
            hcsctl_say("could not send Ctrl-C (%s); Ctrl-C again terminates the process", err.message);
        hcs_error_clear(&err);
    } else if (hcs_process_kill(proc, 10000, NULL) == HCS_OK) {
        hcsctl_say("terminated process %u", hcs_process_pid(proc));
    }
}

/* On the stdin thread: what arrives goes to the guest; the end of stdin
 * (or a guest that stopped reading) ends the guest's input with HCS's
 * CloseHandle request, which closing the pipe alone would not do
 * (hcsshim-and-peers §6 #9). */
static void on_stdin(const char *data, size_t len, void *user)
{
    exec_state *st = user;
    if (st->in == HCS_PIPE_NONE)
        return;
    if (len > 0 && hcs_pipe_write(st->in, data, len, NULL) == HCS_OK)
        return;
    hcs_process_close_stdin(proc_of(st), 10000, NULL);
    hcs_pipe_close(st->in);
    st->in = HCS_PIPE_NONE;
}

/* Starts a read of stream s into its buffer; false when it cannot. */
static bool read_next(exec_state *st, hcs_cq cq, int s)
{
    hcs_async how = {.cq = cq, .user_data = &st->pipes[s], .timeout_ms = HCS_TIMEOUT_INFINITE};
    st->reading[s] = hcs_pipe_read_async(st->pipes[s], st->buf[s], sizeof st->buf[s], &how, NULL, NULL) == HCS_OK;
    return st->reading[s];
}

/* The outcome of the process as hcsctl's exit code. */
typedef struct exec_outcome {
    bool exited, known;
    uint32_t code;
    bool lost; /* the service went away */
} exec_outcome;

/* Handles one result of the queue: output (relayed, then read again), the
 * end of a stream, or an event of the process. */
static void handle(exec_state *st, hcs_cq cq, const hcs_result *r, exec_outcome *out)
{
    hcs_event ev;
    if (hcs_result_event(r, &ev)) {
        if (ev.type == HCS_EVENT_PROCESS_EXITED) {
            out->exited = true;
            out->known = ev.exit_code_known;
            out->code = ev.exit_code;
        } else if (ev.type == HCS_EVENT_SERVICE_DISCONNECT) {
            out->lost = true;
        }
        return;
    }
    int s = r->user_data == &st->pipes[OUT] ? OUT : ERR;
    st->reading[s] = false;
    if (r->hr == HCS_OK && r->bytes > 0) {
        FILE *sink = s == OUT ? stdout : stderr;
        fwrite(st->buf[s], 1, r->bytes, sink);
        fflush(sink);
        read_next(st, cq, s);
    }
}

/* Relays until the process exited and its streams ended (or stayed silent
 * DRAIN_MS after the exit), or the service is gone. */
static void relay(exec_state *st, hcs_cq cq, exec_outcome *out)
{
    for (int s = 0; s < STREAMS; s++)
        if (st->pipes[s] != HCS_PIPE_NONE)
            read_next(st, cq, s);
    while (!out->lost && (!out->exited || st->reading[OUT] || st->reading[ERR])) {
        hcs_result r;
        if (hcs_cq_next(cq, out->exited ? DRAIN_MS : HCS_TIMEOUT_INFINITE, &r, NULL) != HCS_OK)
            break; /* silent since the exit: cut */
        handle(st, cq, &r, out);
        hcs_result_clear(&r);
    }
    /* Reads still in flight stop; their buffers are ours again once their
     * reports are in. */
    for (int s = 0; s < STREAMS; s++) {
        hcs_pipe_close(st->pipes[s]);
        st->pipes[s] = HCS_PIPE_NONE;
    }
    while (st->reading[OUT] || st->reading[ERR]) {
        hcs_result r;
        if (hcs_cq_next(cq, HCS_TIMEOUT_INFINITE, &r, NULL) != HCS_OK)
            break;
        if (r.event_type == HCS_EVENT_NONE)
            st->reading[r.user_data == &st->pipes[OUT] ? OUT : ERR] = false;
        hcs_result_clear(&r);
    }
}

/* The process's exit code as this platform's exit status. */
static int exit_status(uint32_t code)
{
#ifdef _WIN32
    return (int)code;
#else
    if (code <= 255)
        return (int)code;
    int status = code == CONTROL_C_EXIT ? 130 : 255;
    hcsctl_say("the process exited with 0x%08X%s; an exit status holds 8 bits, so hcsctl exits %d", code,
               code == CONTROL_C_EXIT ? " (STATUS_CONTROL_C_EXIT: ended by Ctrl-C)" : "", status);
    return status;
#endif
}

/* ---- the command line --------------------------------------------------- */

/* The spec's environment from --env NAME=VALUE (the strings are split in
 * place in copies, freed by the caller with free(*env) and free(names)). */
static int parse_env(const hcsctl_args *args, hcs_env_var **env, size_t *count, char ***copies)
{
    size_t n;
    const char *const *vals = hcsctl_arg_values(args, "env", &n);
    *env = NULL;
    *copies = NULL;
    *count = 0;
    if (!n)
        return HCSCTL_EXIT_OK;
    *env = calloc(n, sizeof **env);
    *copies = calloc(n, sizeof **copies);
    if (!*env || !*copies)
        return hcsctl_usage_error(args->verb, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const char *eq = strchr(vals[i], '=');
        if (!eq || eq == vals[i])
            return hcsctl_usage_error(args->verb, "--env wants NAME=VALUE, not \"%s\"", vals[i]);
        char *copy = hcsctl_copy(vals[i]);
        if (!copy)
            return hcsctl_usage_error(args->verb, "out of memory");
        copy[eq - vals[i]] = 0;
        (*copies)[i] = copy;
        (*env)[(*count)++] = (hcs_env_var){copy, copy + (eq - vals[i]) + 1};
    }
    return HCSCTL_EXIT_OK;
}

static void free_env(hcs_env_var *env, char **copies, size_t count)
{
    for (size_t i = 0; copies && i < count; i++)
        free(copies[i]);
    free(copies);
    free(env);
}

/* Creates the process, relays it, and gives its exit status. */
static int run(exec_state *st, hcs_system sys, hcs_process_spec *spec, const char *id, bool interactive)
{
    hcsctl_ctx *ctx = st->ctx;
    hcs_cq cq;
    hcs_error err = HCS_ERROR_INIT;
    if (hcs_cq_create(&cq, &err) != HCS_OK) {
        int rc = hcsctl_report(ctx, id, sys, &err);
        hcs_error_clear(&err);
        return rc;
    }
    spec->events = (hcs_event_sink){.cq = cq};
    hcs_process proc;
    hcs_stdio io;
    if (hcs_process_create(sys, spec, hcsctl_call_timeout(ctx), &proc, &io, &err) != HCS_OK) {
        int rc;
        if (err.hr == HCS_WIN32_E_FILE_NOT_FOUND) {
            hcsctl_say("'%s' has no program to run \"%s\" (HCS_WIN32_E_FILE_NOT_FOUND)", id, spec->command_line);
            rc = HCSCTL_EXIT_FAILURE;
        } else {
            rc = hcsctl_report(ctx, id, sys, &err);
        }
        hcs_error_clear(&err);
        hcs_cq_close(cq);
        return rc;
    }
    atomic_store(&st->proc, proc.id);
    if (atomic_load(&st->interrupts) > 0) /* Ctrl-C while it was being made */
        hcs_process_kill(proc, 10000, NULL);
    st->pipes[OUT] = io.out;
    st->pipes[ERR] = io.err;
    st->in = io.in;
    if (interactive) {
        st->stdin_thread = hcsctl_stdin_start(on_stdin, st);
        if (!st->stdin_thread) {
            hcs_process_close_stdin(proc, 10000, NULL);
            hcs_pipe_close(st->in);
            st->in = HCS_PIPE_NONE;
        }
    }
    exec_outcome out = {0};
    relay(st, cq, &out);
    int rc;
    if (out.exited && out.known) {
        rc = exit_status(out.code);
    } else {
        /* An exit whose code HCS could not read is no success
         * (hcsshim-and-peers §6 #26); nor is a lost service. */
        hcs_process_exit ex = {0};
        int32_t hr = hcs_process_wait(proc, out.lost ? 0 : 10000, &ex, &err);
        rc = hr == HCS_OK ? exit_status(ex.exit_code) : hcsctl_report(ctx, id, sys, &err);
        hcs_free(ex.document);
        hcs_error_clear(&err);
    }
    atomic_store(&st->proc, 0);
    hcs_process_close(proc);
    hcs_cq_close(cq);
    return rc;
}

int hcsctl_exec(hcsctl_ctx *ctx, const hcsctl_args *args)
{
    const char *id = args->positional[0];
    bool interactive = hcsctl_arg_count(args, "interactive") > 0, tty = hcsctl_arg_count(args, "tty") > 0;
    hcs_env_var *env;
    char **copies;
    size_t env_count;
    char *command = NULL;
    exec_state *st = calloc(1, sizeof *st);
    int rc = st ? parse_env(args, &env, &env_count, &copies) : HCSCTL_EXIT_FAILURE;
    hcs_error err = HCS_ERROR_INIT;
    if (rc == HCSCTL_EXIT_OK && hcs_quote_argv((const char *const *)args->positional + 1, &command, &err) != HCS_OK)
        rc = hcsctl_usage_error(args->verb, "cannot quote the command: %s", err.message);
    hcs_error_clear(&err);
    if (rc != HCSCTL_EXIT_OK) {
        if (st)
            free_env(env, copies, env_count);
        free(st);
        return rc;
    }
    st->ctx = ctx;
    st->in = st->pipes[OUT] = st->pipes[ERR] = HCS_PIPE_NONE;
    atomic_store(&st->tty, tty);
    uint16_t rows = 25, cols = 80; /* a Windows console's classic size, without a terminal */
    if (tty)
        hcsctl_terminal_size(&rows, &cols);
    hcs_process_spec spec = {
        .command_line = command,
        .working_directory = hcsctl_arg_value(args, "cwd"),
        .user = hcsctl_arg_value(args, "user"),
        .env = env,
        .env_count = env_count,
        .create_stdin = interactive,
        .create_stdout = true,
        .create_stderr = !tty, /* a console carries both */
        .emulate_console = tty,
        .console_height = tty ? rows : 0,
        .console_width = tty ? cols : 0,
    };
    /* Before the client: the signal mask must be in place before libhcs
     * starts its threads (term.h). */
    bool signals = hcsctl_signals_start(on_signal, st, tty);
    hcs_system sys;
    rc = hcsctl_open_system(ctx, id, &sys);
    if (rc == HCSCTL_EXIT_OK) {
        bool raw = tty && interactive && hcsctl_terminal_raw();
        rc = run(st, sys, &spec, id, interactive);
        if (raw)
            hcsctl_terminal_restore();
        hcs_system_close(sys);
    }
    if (signals)
        hcsctl_signals_stop();
    free_env(env, copies, env_count);
    hcs_free(command);
    /* The stdin thread may still be reading: it keeps the state (term.h
     * holds it, so it is no leak). */
    if (!st->stdin_thread)
        free(st);
    return rc;
}
