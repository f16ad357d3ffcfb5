/* Guest processes (see process.h).
 *
 * The guest thread owns the guest ends of the pipes: other threads never
 * touch them, they set a request under the engine lock and fire the
 * process's waker; the guest applies the request the next time it looks
 * (every guest_* call does, and every blocking wait wakes for it). */
#include "process.h"

#include "behaviour.h"
#include "cmdline.h"
#include "fault.h"
#include "file.h"
#include "guest.h"
#include "handle.h"
#include "layer_fs.h"
#include "pipe.h"
#include "system_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* STATUS_CONTROL_C_EXIT: how a console program ends on Ctrl-C/Ctrl-Break. */
#define SIM_EXIT_CTRL_C 0xC000013Au
/* The exit code of a terminated process (inferred: TerminateProcess's
 * conventional 1). */
#define SIM_EXIT_TERMINATED 1u
/* HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND). */
#define SIM_E_FILE_NOT_FOUND ((HRESULT)0x80070002)
/* Memory every live process counts for, besides what it allocates. */
#define SIM_BASE_WORKING_SET ((uint64_t)2 * 1024 * 1024)

enum { STREAM_IN = 1, STREAM_OUT = 2, STREAM_ERR = 4 };
typedef enum proc_state { PROC_NEW, PROC_RUNNING, PROC_EXITED, PROC_FAILED } proc_state;

struct sim_process {
    hcs_object base;
    sim_process *next, *prev; /* in the system's list while running */
    hcs_hash_node by_pid;     /* in the engine's index of live processes meanwhile */
    sim_system *sys;
    sim_handle *handle_list;
    proc_state state;
    uint32_t pid;
    /* configuration */
    char **argv;
    int argc;
    char *image;
    json_t *env;
    json_t *params; /* the parameters without stdio, for a live migration */
    char *cwd;
    char *user;
    bool console;
    unsigned streams; /* STREAM_* the caller asked pipes for */
    guest_main main;
    /* the guest's world */
    sim_pipe in, out, err;
    sim_waker waker;
    bool waker_ready;
    unsigned close_requested; /* STREAM_* */
    bool stdin_draining;      /* stdin closed: what is in the pipe, then EOF */
    bool stopping;
    uint32_t stop_code;
    bool ignore_ctrl;
    unsigned console_height, console_width;
    bool keep_stdio;
    /* results */
    uint32_t exit_code;
    int exit_events; /* how often ProcessExited was posted (fault plans) */
    uint64_t created_ms;
    sim_usage usage;
    uint64_t memory;
    hcs_cond exited;
};

struct guest_io {
    sim_process *proc;
};

static sim_engine *engine(void) { return hcssim__engine_get(); }

/* ---- object ------------------------------------------------------------- */

static void close_pipes(sim_process *p)
{
    sim_pipe *pipes[] = {&p->in, &p->out, &p->err};
    for (size_t i = 0; i < 3; i++) {
        hcssim__pipe_close_guest(pipes[i]);
        hcssim__pipe_close_host(pipes[i]);
    }
}

static void destroy(hcs_object *o)
{
    sim_process *p = (sim_process *)o;
    close_pipes(p);
    if (p->waker_ready)
        hcssim__waker_destroy(&p->waker);
    free(p->argv);
    free(p->image);
    json_decref(p->env);
    json_decref(p->params);
    free(p->cwd);
    free(p->user);
    hcs__cond_destroy(&p->exited);
    hcssim__system_release(p->sys);
    free(p);
    atomic_fetch_sub(&engine()->live_processes, 1);
}

sim_process *hcssim__process_new(sim_system *sys)
{
    sim_process *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    hcs_object_init(&p->base, destroy);
    hcs__cond_init(&p->exited);
    atomic_fetch_add(&engine()->live_processes, 1);
    hcssim__system_retain(sys);
    p->sys = sys;
    p->in.guest = p->in.host = p->out.guest = p->out.host = p->err.guest = p->err.host = SIM_NO_OS_HANDLE;
    return p;
}

void hcssim__process_retain(sim_process *proc) { hcs_object_retain(&proc->base); }

void hcssim__process_release(sim_process *proc)
{
    if (proc)
        hcs_object_release(&proc->base);
}

sim_handle **hcssim__process_handles(sim_process *proc) { return &proc->handle_list; }

bool hcssim__process_started(const sim_process *proc)
{
    return proc->state == PROC_RUNNING || proc->state == PROC_EXITED;
}

bool hcssim__process_pending(const sim_process *proc) { return proc->state == PROC_NEW; }

void hcssim__process_failed(sim_process *proc)
{
    proc->state = PROC_FAILED;
    hcs__cond_broadcast(&proc->exited);
}
bool hcssim__process_exited(const sim_process *proc) { return proc->state == PROC_EXITED; }

/* The exit and a registration both happen under the engine lock, so a
 * callback sees the exit either from finish() or from here, never both. */
void hcssim__process_report_late_exit(sim_process *proc, sim_handle *h)
{
    if (proc->state != PROC_EXITED || !hcssim__late_exit_event())
        return;
    char *status = hcssim__process_status(proc);
    for (int i = 0; i < proc->exit_events; i++)
        hcssim__listener_post(&h->events, HcsEventProcessExited, status, 0, i > 0);
    free(status);
}

/* ---- configuration ------------------------------------------------------ */

static HRESULT invalid(char detail[SIM_DETAIL_SIZE], const char *field, const char *what)
{
    hcssim__detail(detail, "ProcessParameters.%s: %s", field, what);
    return HCS_E_INVALID_JSON;
}

static const sim_field parameter_fields[] = {
    {"ApplicationName", JSON_STRING},  {"CommandLine", JSON_STRING},
    {"CommandArgs", JSON_ARRAY},       {"User", JSON_STRING},
    {"WorkingDirectory", JSON_STRING}, {"Environment", JSON_OBJECT},
    {"RestrictedToken", JSON_TRUE},    {"EmulateConsole", JSON_TRUE},
    {"CreateStdInPipe", JSON_TRUE},    {"CreateStdOutPipe", JSON_TRUE},
    {"CreateStdErrPipe", JSON_TRUE},   {"ConsoleSize", JSON_ARRAY},
    {"UseExistingLogin", JSON_TRUE},   {"UseLegacyConsole", JSON_TRUE},
};

static HRESULT read_console_size(sim_process *p, const json_t *size, char detail[SIM_DETAIL_SIZE])
{
    p->console_height = 25;
    p->console_width = 80;
    if (!size)
        return S_OK;
    json_int_t h = json_integer_value(json_array_get(size, 0)), w = json_integer_value(json_array_get(size, 1));
    if (json_array_size(size) != 2 || h < 1 || h > 65535 || w < 1 || w > 65535)
        return invalid(detail, "ConsoleSize", "expected [height, width], each 1 to 65535");
    p->console_height = (unsigned)h;
    p->console_width = (unsigned)w;
    return S_OK;
}

static HRESULT read_environment(sim_process *p, const json_t *env, char detail[SIM_DETAIL_SIZE])
{
    p->env = json_object();
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)env, key, value)
    {
        if (!json_is_string(value))
            return invalid(detail, "Environment", "expected string values");
        json_object_set(p->env, key, value);
    }
    return p->env ? S_OK : E_OUTOFMEMORY;
}

HRESULT hcssim__process_configure(sim_process *p, const json_t *params, char detail[SIM_DETAIL_SIZE])
{
    if (!json_is_object(params))
        return invalid(detail, "", "expected a JSON object");
    HRESULT hr = hcssim__check_fields(params, "ProcessParameters", parameter_fields,
                                      sizeof parameter_fields / sizeof parameter_fields[0], detail);
    const char *line = json_string_value(json_object_get(params, "CommandLine"));
    const char *app = json_string_value(json_object_get(params, "ApplicationName"));
    if (SUCCEEDED(hr) && !line && !app)
        hr = invalid(detail, "CommandLine", "missing");
    if (SUCCEEDED(hr))
        hr = read_console_size(p, json_object_get(params, "ConsoleSize"), detail);
    if (SUCCEEDED(hr))
        hr = read_environment(p, json_object_get(params, "Environment"), detail);
    if (FAILED(hr))
        return hr;
    p->argv = hcssim__cmdline_split(line ? line : app, &p->argc);
    p->params = json_deep_copy(params);
    json_object_del(p->params, "CreateStdInPipe");
    json_object_del(p->params, "CreateStdOutPipe");
    json_object_del(p->params, "CreateStdErrPipe");
    const char *cwd = json_string_value(json_object_get(params, "WorkingDirectory"));
    const char *user = json_string_value(json_object_get(params, "User"));
    p->cwd = strdup(cwd ? cwd : "C:\\");
    p->user = strdup(user ? user : "User Manager\\ContainerAdministrator");
    p->console = json_is_true(json_object_get(params, "EmulateConsole"));
    p->streams = (json_is_true(json_object_get(params, "CreateStdInPipe")) ? STREAM_IN : 0) |
                 (json_is_true(json_object_get(params, "CreateStdOutPipe")) ? STREAM_OUT : 0) |
                 /* a console merges stderr into its output (hcs-api §5) */
                 (json_is_true(json_object_get(params, "CreateStdErrPipe")) && !p->console ? STREAM_ERR : 0);
    if (!p->argv || !p->cwd || !p->user)
        return E_OUTOFMEMORY;
    if (p->argc == 0)
        return invalid(detail, "CommandLine", "empty");
    const char *base = p->argv[0];
    for (const char *c = base; *c; c++)
        if (*c == '\\' || *c == '/')
            base = c + 1;
    p->image = strdup(base);
    return p->image ? S_OK : E_OUTOFMEMORY;
}

/* ---- start and exit ----------------------------------------------------- */

static void finish(sim_process *p, int code);

static void guest_thread(void *arg)
{
    sim_process *p = arg;
    hcssim__guest_thread_prepare();
    struct guest_io io = {p};
    int code = p->main(&io, p->argc, p->argv);
    finish(p, code);
    hcssim__process_release(p);
}

/* Lists a starting process, newest first (ProcessList's order), indexes it
 * by pid and counts its memory; unlink_process undoes all three, each in
 * constant time however many processes the system runs. */
static void link_process(sim_process *p)
{
    p->prev = NULL;
    p->next = p->sys->processes;
    if (p->next)
        p->next->prev = p;
    p->sys->processes = p;
    hcs__hash_insert(&engine()->process_ids, &p->by_pid, hcs__hash_u64(p->pid));
    p->sys->live_memory += p->memory;
}

static int open_pipes(sim_process *p)
{
    if ((p->streams & STREAM_IN) && hcssim__pipe_open(&p->in, true) != 0)
        return -1;
    if ((p->streams & STREAM_OUT) && hcssim__pipe_open(&p->out, false) != 0)
        return -1;
    if ((p->streams & STREAM_ERR) && hcssim__pipe_open(&p->err, false) != 0)
        return -1;
    return 0;
}

HRESULT hcssim__process_start(sim_process *p, char detail[SIM_DETAIL_SIZE])
{
    p->main = hcssim__guest_find(p->argv[0]);
    if (!p->main) {
        hcssim__detail(detail, "%.*s: the system cannot find the file specified", hcssim__clip(p->argv[0], 200),
                       p->argv[0]);
        return SIM_E_FILE_NOT_FOUND;
    }
    if (hcssim__waker_init(&p->waker) != 0)
        return E_OUTOFMEMORY;
    p->waker_ready = true;
    if (open_pipes(p) != 0) {
        close_pipes(p);
        hcssim__detail(detail, "the stdio pipes could not be created");
        return E_OUTOFMEMORY;
    }
    sim_engine *e = engine();
    if (!p->pid)
        p->pid = 4 * ++e->next_pid; /* Windows process ids are multiples of 4 */
    else if (p->pid / 4 > e->next_pid)
        e->next_pid = p->pid / 4; /* a migrated one keeps its id; new ones come after it */
    p->created_ms = hcs__clock_ms();
    p->memory = SIM_BASE_WORKING_SET;
    p->keep_stdio = hcssim__fault_keep_stdio_open(p->sys->id);
    p->state = PROC_RUNNING;
    link_process(p);
    hcssim__processes_memory(p->sys); /* the peak counts even a short-lived process */
    hcssim__process_retain(p);
    hcssim__process_retain(p); /* the list's reference and the thread's */
    hcs_thread t;
    if (hcs__thread_start(&t, guest_thread, p) != 0) {
        p->stopping = true;
        p->stop_code = SIM_EXIT_TERMINATED;
        hcs__mutex_unlock(&e->mu);
        finish(p, 1);
        hcs__mutex_lock(&e->mu);
        hcssim__process_release(p);
        return S_OK; /* started and ended at once, as if killed */
    }
    hcs__thread_detach(t);
    return S_OK;
}

static void unlink_process(sim_process *p)
{
    *(p->prev ? &p->prev->next : &p->sys->processes) = p->next;
    if (p->next)
        p->next->prev = p->prev;
    p->next = p->prev = NULL;
    hcs__hash_remove(&engine()->process_ids, &p->by_pid);
    p->sys->live_memory -= p->memory;
}

static void add_usage(sim_usage *to, const sim_usage *from)
{
    to->cpu_ms += from->cpu_ms;
    to->read_bytes += from->read_bytes;
    to->write_bytes += from->write_bytes;
    to->reads += from->reads;
    to->writes += from->writes;
}

/* On the guest thread, after the program returned. */
static void finish(sim_process *p, int code)
{
    sim_engine *e = engine();
    hcs__mutex_lock(&e->mu);
    p->exit_code = p->stopping ? p->stop_code : (uint32_t)code;
    p->state = PROC_EXITED;
    unlink_process(p);
    add_usage(&p->sys->exited_usage, &p->usage);
    char *status = hcssim__process_status(p);
    p->exit_events = hcssim__fault_event_copies("ProcessExited", p->sys->id);
    hcssim__handles_post(p->handle_list, HcsEventProcessExited, status, p->exit_events);
    free(status);
    hcs__cond_broadcast(&p->exited);
    bool keep = p->keep_stdio;
    hcs__mutex_unlock(&e->mu);
    if (!keep) {
        hcssim__pipe_close_guest(&p->in);
        hcssim__pipe_close_guest(&p->out);
        hcssim__pipe_close_guest(&p->err);
    }
    hcssim__process_release(p); /* the list's reference */
}

/* ---- requests from other threads ---------------------------------------- */

static void stop(sim_process *p, uint32_t code)
{
    if (p->state != PROC_RUNNING || p->stopping)
        return;
    p->stopping = true;
    p->stop_code = code;
    hcssim__waker_fire(&p->waker);
}

void hcssim__process_signal(sim_process *p, sim_signal signal)
{
    if (signal == SIM_SIGNAL_TERMINATE)
        stop(p, SIM_EXIT_TERMINATED);
    else if (!p->ignore_ctrl)
        stop(p, SIM_EXIT_CTRL_C);
}

void hcssim__process_close_stdio(sim_process *p, const char *which)
{
    unsigned mask = strcmp(which, "StdIn") == 0    ? STREAM_IN
                    : strcmp(which, "StdOut") == 0 ? STREAM_OUT
                    : strcmp(which, "StdErr") == 0 ? STREAM_ERR
                                                   : STREAM_IN | STREAM_OUT | STREAM_ERR;
    p->close_requested |= mask;
    if (p->state == PROC_RUNNING)
        hcssim__waker_fire(&p->waker);
}

void hcssim__process_resize_console(sim_process *p, unsigned height, unsigned width)
{
    p->console_height = height;
    p->console_width = width;
}

bool hcssim__process_await_exit(sim_process *p, uint64_t deadline_ms)
{
    while (p->state == PROC_NEW || p->state == PROC_RUNNING)
        if (!hcs__cond_wait_until(&p->exited, &engine()->mu, deadline_ms))
            break;
    return p->state == PROC_EXITED;
}

void hcssim__processes_end_all(sim_system *sys)
{
    for (sim_process *p = sys->processes; p; p = p->next)
        stop(p, SIM_EXIT_TERMINATED);
}

void hcssim__processes_post(sim_system *sys, HCS_EVENT_TYPE type, const char *data)
{
    for (sim_process *p = sys->processes; p; p = p->next)
        hcssim__handles_post(p->handle_list, type, data, 1);
}

sim_process *hcssim__process_find(sim_system *sys, uint32_t pid)
{
    uint64_t hash = hcs__hash_u64(pid);
    for (hcs_hash_node *n = hcs__hash_first(&engine()->process_ids, hash); n; n = hcs__hash_next(n, hash)) {
        sim_process *p = HCS_HASH_ENTRY(n, sim_process, by_pid);
        if (p->pid == pid && p->sys == sys) /* two VMs' guests may both have it */
            return p;
    }
    return NULL;
}

/* ---- documents ---------------------------------------------------------- */

void hcssim__process_info(sim_process *p, HCS_PROCESS_INFORMATION *info)
{
    memset(info, 0, sizeof *info);
    info->ProcessId = p->pid;
    info->StdInput = hcssim__pipe_client_handle(&p->in);
    info->StdOutput = hcssim__pipe_client_handle(&p->out);
    info->StdError = hcssim__pipe_client_handle(&p->err);
}

char *hcssim__process_status(const sim_process *p)
{
    json_t *doc = p->state == PROC_EXITED ? json_pack("{s:I, s:b, s:I, s:i}", "ProcessId", (json_int_t)p->pid, "Exited",
                                                      1, "ExitCode", (json_int_t)p->exit_code, "LastWaitResult", 0)
                                          : json_pack("{s:I, s:b}", "ProcessId", (json_int_t)p->pid, "Exited", 0);
    char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    return text;
}

/* Milliseconds in the schema's 100 ns units, as a JSON integer. */
static json_int_t ticks(uint64_t ms)
{
    uint64_t t = ms * 10000u;
    return (json_int_t)t;
}

uint64_t hcssim__processes_memory(sim_system *sys)
{
    if (sys->live_memory > sys->memory_peak)
        sys->memory_peak = sys->live_memory;
    return sys->live_memory;
}

/* Statistics: uptime since start; CPU, memory and storage from what the
 * guest programs did (guest.h), times in 100 ns units. A stopped system
 * reports what it had when it stopped: its uptime then, the memory its
 * processes held then, and everything they did (processes still ending
 * after the stop are counted once, in the list or in exited_usage). */
json_t *hcssim__system_statistics(sim_system *sys)
{
    bool stopped = sys->state == SIM_STOPPED;
    bool up = sys->state == SIM_RUNNING || sys->state == SIM_PAUSED;
    uint64_t uptime_ms = up                        ? hcs__clock_ms() - sys->started_ms
                         : stopped && sys->started ? sys->stopped_ms - sys->started_ms
                                                   : 0;
    sim_usage total = sys->exited_usage;
    for (const sim_process *p = sys->processes; p; p = p->next)
        add_usage(&total, &p->usage);
    uint64_t memory = stopped ? sys->exit_memory : hcssim__processes_memory(sys);
    uint64_t peak = sys->memory_peak;
    return json_pack("{s:I, s:{s:I, s:I, s:I}, s:{s:I, s:I, s:I}, s:{s:I, s:I, s:I, s:I}}", "Uptime100ns",
                     ticks(uptime_ms), "Processor", "TotalRuntime100ns", ticks(total.cpu_ms), "RuntimeUser100ns",
                     ticks(total.cpu_ms), "RuntimeKernel100ns", (json_int_t)0, "Memory", "MemoryUsageCommitBytes",
                     (json_int_t)memory, "MemoryUsageCommitPeakBytes", (json_int_t)peak,
                     "MemoryUsagePrivateWorkingSetBytes", (json_int_t)memory, "Storage", "ReadCountNormalized",
                     (json_int_t)total.reads, "ReadSizeBytes", (json_int_t)total.read_bytes, "WriteCountNormalized",
                     (json_int_t)total.writes, "WriteSizeBytes", (json_int_t)total.write_bytes);
}

json_t *hcssim__process_list(const sim_system *sys)
{
    json_t *list = json_array();
    if (sys->state == SIM_STOPPED)
        return list; /* its processes are ending or gone */
    for (const sim_process *p = sys->processes; p && list; p = p->next)
        json_array_append_new(list,
                              json_pack("{s:I, s:s, s:I, s:I, s:I, s:I}", "ProcessId", (json_int_t)p->pid, "ImageName",
                                        p->image, "UserTime100ns", ticks(p->usage.cpu_ms), "KernelTime100ns",
                                        (json_int_t)0, "MemoryCommitBytes", (json_int_t)p->memory,
                                        "MemoryWorkingSetPrivateBytes", (json_int_t)p->memory));
    return list;
}

/* ---- the guest's calls (guest.h), on the guest thread -------------------- */

/* Applies requests made from other threads; true when stopping. */
static bool look(sim_process *p)
{
    hcs__mutex_lock(&engine()->mu);
    unsigned close = p->close_requested;
    p->close_requested = 0;
    bool stopping = p->stopping;
    hcs__mutex_unlock(&engine()->mu);
    if (close & STREAM_IN)
        p->stdin_draining = true; /* guest thread only */
    if (close & STREAM_OUT)
        hcssim__pipe_close_guest(&p->out);
    if (close & STREAM_ERR)
        hcssim__pipe_close_guest(&p->err);
    return stopping;
}

static bool write_all(sim_process *p, sim_pipe *pipe, const char *text, size_t n)
{
    while (n > 0) {
        if (look(p))
            return false;
        long put = hcssim__pipe_write(pipe, text, n, &p->waker);
        if (put == 0)
            return true; /* no pipe or nobody reading: output is dropped */
        if (put > 0) {
            text += put;
            n -= (size_t)put;
        }
    }
    return !look(p);
}

bool hcssim__guest_out(guest_io *io, const char *text, size_t n)
{
    return write_all(io->proc, &io->proc->out, text, n);
}

bool hcssim__guest_err(guest_io *io, const char *text, size_t n)
{
    sim_process *p = io->proc;
    return write_all(p, p->console ? &p->out : &p->err, text, n);
}

long hcssim__guest_in(guest_io *io, char *buf, size_t n)
{
    sim_process *p = io->proc;
    for (;;) {
        if (look(p))
            return -1;
        if (p->stdin_draining) {
            /* Input written before the close still arrives, then EOF. */
            long got = hcssim__pipe_read_now(&p->in, buf, n);
            if (got == 0)
                hcssim__pipe_close_guest(&p->in);
            return got;
        }
        long got = hcssim__pipe_read(&p->in, buf, n, &p->waker);
        if (got >= 0)
            return got;
    }
}

bool hcssim__guest_sleep(guest_io *io, uint32_t ms)
{
    sim_process *p = io->proc;
    uint64_t deadline = hcs__deadline_after(ms);
    for (;;) {
        if (look(p))
            return false;
        uint64_t now = hcs__clock_ms();
        if (now >= deadline)
            return true;
        uint64_t left = deadline - now;
        hcssim__waker_sleep(&p->waker, left >= UINT32_MAX ? UINT32_MAX : (uint32_t)left);
    }
}

void hcssim__guest_ignore_ctrl(guest_io *io)
{
    hcs__mutex_lock(&engine()->mu);
    io->proc->ignore_ctrl = true;
    hcs__mutex_unlock(&engine()->mu);
}

const char *hcssim__guest_getenv(guest_io *io, const char *name)
{
    return json_string_value(json_object_get(io->proc->env, name));
}

bool hcssim__guest_print_env(guest_io *io)
{
    const char **keys = malloc((json_object_size(io->proc->env) + 1) * sizeof *keys);
    if (!keys)
        return false;
    size_t n = 0;
    const char *key;
    json_t *value;
    json_object_foreach(io->proc->env, key, value) keys[n++] = key;
    for (size_t i = 1; i < n; i++) /* few variables: insertion sort */
        for (size_t j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
            const char *t = keys[j];
            keys[j] = keys[j - 1];
            keys[j - 1] = t;
        }
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++) {
        const char *v = hcssim__guest_getenv(io, keys[i]);
        ok = hcssim__guest_out(io, keys[i], strlen(keys[i])) && hcssim__guest_out(io, "=", 1) &&
             hcssim__guest_out(io, v, strlen(v)) && hcssim__guest_out(io, "\r\n", 2);
    }
    free(keys);
    return ok;
}

const char *hcssim__guest_cwd(guest_io *io) { return io->proc->cwd; }
const char *hcssim__guest_user(guest_io *io) { return io->proc->user; }
const char *hcssim__guest_hostname(guest_io *io) { return hcssim__system_host_name(io->proc->sys); }

int hcssim__guest_write_file(guest_io *io, const char *name, const char *text)
{
    const char *scratch = io->proc->sys->scratch; /* set at create, never changed */
    if (!scratch)
        return -1;
    char *files = hcssim__fs_join(scratch, "Files");
    char *path = files ? hcssim__fs_join(files, name) : NULL;
    char detail[SIM_DETAIL_SIZE];
    HRESULT hr = path ? hcssim__file_write(path, text, detail) : E_OUTOFMEMORY;
    free(path);
    free(files);
    if (SUCCEEDED(hr))
        hcssim__guest_charge_storage(io, 0, strlen(text));
    return SUCCEEDED(hr) ? 0 : -2;
}

void hcssim__guest_console_size(guest_io *io, unsigned *height, unsigned *width)
{
    hcs__mutex_lock(&engine()->mu);
    *height = io->proc->console_height;
    *width = io->proc->console_width;
    hcs__mutex_unlock(&engine()->mu);
}

void hcssim__guest_charge_cpu(guest_io *io, uint64_t ms)
{
    hcs__mutex_lock(&engine()->mu);
    io->proc->usage.cpu_ms += ms;
    hcs__mutex_unlock(&engine()->mu);
}

void hcssim__guest_hold_memory(guest_io *io, uint64_t bytes)
{
    sim_process *p = io->proc;
    hcs__mutex_lock(&engine()->mu);
    if (p->state == PROC_RUNNING) /* listed: its memory is counted */
        p->sys->live_memory += SIM_BASE_WORKING_SET + bytes - p->memory;
    p->memory = SIM_BASE_WORKING_SET + bytes;
    hcssim__processes_memory(p->sys);
    hcs__mutex_unlock(&engine()->mu);
}

void hcssim__guest_charge_storage(guest_io *io, uint64_t read_bytes, uint64_t written_bytes)
{
    hcs__mutex_lock(&engine()->mu);
    sim_usage *u = &io->proc->usage;
    u->read_bytes += read_bytes;
    u->write_bytes += written_bytes;
    u->reads += read_bytes ? 1 : 0;
    u->writes += written_bytes ? 1 : 0;
    hcs__mutex_unlock(&engine()->mu);
}

json_t *hcssim__processes_export(const sim_system *sys)
{
    json_t *list = json_array();
    for (const sim_process *p = sys->processes; p && list; p = p->next)
        if (p->state == PROC_RUNNING && p->params)
            json_array_append_new(list,
                                  json_pack("{s:I, s:O}", "ProcessId", (json_int_t)p->pid, "Parameters", p->params));
    return list;
}

void hcssim__processes_import(sim_system *sys, const json_t *list)
{
    size_t i;
    const json_t *process;
    json_array_foreach(list, i, process)
    {
        char detail[SIM_DETAIL_SIZE];
        json_int_t pid = json_integer_value(json_object_get(process, "ProcessId"));
        sim_process *p = hcssim__process_new(sys);
        if (!p || FAILED(hcssim__process_configure(p, json_object_get(process, "Parameters"), detail))) {
            hcssim__process_release(p);
            continue;
        }
        /* the source's id, when it is one (another host sent it) */
        if (pid > 0 && pid % 4 == 0 && pid <= (json_int_t)UINT32_MAX && !hcssim__process_find(sys, (uint32_t)pid))
            p->pid = (uint32_t)pid;
        hcssim__process_start(p, detail);
        hcssim__process_release(p);
    }
}
