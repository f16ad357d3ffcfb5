/* spawn.h: posix_spawn on POSIX, CreateProcess on Windows. */
#include "spawn.h"

#include <hcs/process.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <windows.h>
#else
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
extern char **environ;
#endif

struct child {
    char *out_path, *err_path, *in_path;
#ifdef _WIN32
    HANDLE process;
#else
    pid_t pid;
#endif
};

static unsigned counter;

#ifdef _WIN32
#include "win_spawn.h"

/* The scratch folder: Windows' temporary folder (the build tree's path is a
 * Linux one, which a program under Wine does not see as such). */
static const char *scratch_dir(void)
{
    static char dir[MAX_PATH + 1];
    if (!dir[0] && !GetTempPathA(sizeof dir, dir))
        strcpy(dir, ".\\");
    return dir;
}

#define PID ((unsigned long)GetCurrentProcessId())
#else
static const char *scratch_dir(void) { return HCSKIT_HCSCTL_SCRATCH "/"; }
#define PID ((unsigned long)getpid())
#endif

char *program_path(const char *name)
{
    char *path = malloc(1024);
    if (!path)
        return NULL;
#ifdef _WIN32
    /* Beside this test program. */
    DWORD n = GetModuleFileNameA(NULL, path, 1000);
    while (n > 0 && path[n - 1] != '\\' && path[n - 1] != '/')
        n--;
    snprintf(path + n, 1024 - n, "%s.exe", name);
#else
    snprintf(path, 1024, "%s/%s", HCSKIT_BIN_DIR, name);
#endif
    return path;
}

static const char *hcsctl_path(void)
{
    static char *path;
    if (!path)
        path = program_path("hcsctl"); /* kept for the test's life */
    return path;
}

char *scratch_file(const char *stem)
{
    char *path = malloc(1024);
    if (path)
        snprintf(path, 1024, "%s%s-%lu-%u", scratch_dir(), stem, PID, counter++);
    return path;
}

bool write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(text, 1, strlen(text), f) == strlen(text);
    return fclose(f) == 0 && ok;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);
    if (!buf) {
        if (f)
            fclose(f);
        return NULL;
    }
    buf[0] = 0;
    if (!f)
        return buf;
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len - 1 == 0) {
            char *grown = realloc(buf, cap *= 2);
            if (!grown)
                break;
            buf = grown;
        }
    }
    buf[len] = 0;
    fclose(f);
    return buf;
}

void sleep_ms(unsigned ms)
{
#ifdef _WIN32
    Sleep(ms);
#else
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
#endif
}

void test_setenv(const char *name, const char *value)
{
#ifdef _WIN32
    _putenv_s(name, value ? value : "");
#else
    if (value)
        setenv(name, value, 1);
    else
        unsetenv(name);
#endif
}

child *spawn_program(const char *program, const char *const *argv, const char *stdin_text)
{
    child *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->out_path = scratch_file("out");
    c->err_path = scratch_file("err");
    c->in_path = scratch_file("in");
    if (!c->out_path || !c->err_path || !c->in_path || !write_file(c->in_path, stdin_text ? stdin_text : "")) {
        fprintf(stderr, "spawn: cannot write %s\n", c->in_path ? c->in_path : "a scratch file name");
        goto failed;
    }
#ifdef _WIN32
    char *cmdline = NULL;
    if (hcs_quote_argv(argv, &cmdline, NULL) != 0)
        goto failed;
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    HANDLE in = CreateFileA(c->in_path, GENERIC_READ, FILE_SHARE_READ, &sa, OPEN_EXISTING, 0, NULL);
    HANDLE out =
        CreateFileA(c->out_path, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa, CREATE_ALWAYS, 0, NULL);
    HANDLE err =
        CreateFileA(c->err_path, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa, CREATE_ALWAYS, 0, NULL);
    STARTUPINFOA si = {
        .cb = sizeof si, .dwFlags = STARTF_USESTDHANDLES, .hStdInput = in, .hStdOutput = out, .hStdError = err};
    PROCESS_INFORMATION pi;
    HANDLE job = test_spawn_job();
    BOOL ok = job && test_spawn_suspended(program, cmdline, &si, &pi);
    hcs_free(cmdline);
    CloseHandle(in);
    CloseHandle(out);
    CloseHandle(err);
    if (!ok) {
        fprintf(stderr, "spawn: cannot start %s (%s error %lu)\n", program, job ? "CreateProcess" : "CreateJobObject",
                GetLastError());
        goto failed;
    }
    if (!AssignProcessToJobObject(job, pi.hProcess)) {
        fprintf(stderr, "spawn: cannot put %s in the test's job (error %lu)\n", program, GetLastError());
        TerminateProcess(pi.hProcess, 1);
        CloseHandle(pi.hThread);
        CloseHandle(pi.hProcess);
        goto failed;
    }
    ResumeThread(pi.hThread);
    CloseHandle(pi.hThread);
    c->process = pi.hProcess;
#else
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, c->in_path, O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, c->out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&fa, 2, c->err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    /* The child starts with the default dispositions and no blocked signals,
     * whatever the test's threads did. */
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    int rc = posix_spawn(&c->pid, program, &fa, &attr, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
        fprintf(stderr, "spawn: cannot start %s (posix_spawn: %s)\n", program, strerror(rc));
        goto failed;
    }
#endif
    return c;
failed:
    free(c->out_path);
    free(c->err_path);
    free(c->in_path);
    free(c);
    return NULL;
}

char *child_output(child *c, bool err) { return read_file(err ? c->err_path : c->out_path); }

bool child_wait_for(child *c, bool err, const char *needle)
{
    for (int i = 0; i < 3000; i++) {
        char *text = child_output(c, err);
        bool found = text && strstr(text, needle);
        free(text);
        if (found)
            return true;
        sleep_ms(20);
    }
    return false;
}

void child_interrupt(child *c)
{
#ifndef _WIN32
    kill(c->pid, SIGINT);
#else
    (void)c;
#endif
}

void child_end(child *c, bool hard)
{
#ifdef _WIN32
    (void)hard;
    TerminateProcess(c->process, 1);
#else
    kill(c->pid, hard ? SIGKILL : SIGTERM);
#endif
}

void child_wait(child *c, run_result *r)
{
#ifdef _WIN32
    DWORD code = 0;
    WaitForSingleObject(c->process, INFINITE);
    GetExitCodeProcess(c->process, &code);
    CloseHandle(c->process);
    r->status = (int)code;
#else
    int st = 0;
    while (waitpid(c->pid, &st, 0) < 0)
        ;
    r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
#endif
    r->out = child_output(c, false);
    r->err = child_output(c, true);
    remove(c->out_path);
    remove(c->err_path);
    remove(c->in_path);
    free(c->out_path);
    free(c->err_path);
    free(c->in_path);
    free(c);
}

void run_result_clear(run_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

/* argv of hcsctl from the variadic arguments (NULL-terminated). */
static child *spawn_va(const char *stdin_text, const char *first, va_list ap)
{
    const char *argv[64] = {hcsctl_path()};
    int n = 1;
    for (const char *a = first; a && n < 63; a = va_arg(ap, const char *))
        argv[n++] = a;
    argv[n] = NULL;
    return spawn_program(hcsctl_path(), argv, stdin_text);
}

int run_hcsctl(const char *stdin_text, run_result *r, ...)
{
    va_list ap;
    va_start(ap, r);
    const char *first = va_arg(ap, const char *);
    child *c = spawn_va(stdin_text, first, ap);
    va_end(ap);
    if (!c) {
        *r = (run_result){.status = -1};
        return -1;
    }
    child_wait(c, r);
    return r->status;
}

child *spawn_hcsctl(const char *first, ...)
{
    va_list ap;
    va_start(ap, first);
    child *c = spawn_va(NULL, first, ap);
    va_end(ap);
    return c;
}

child *start_daemon(const char *socket)
{
    char *daemon = program_path("hcssimd");
    const char *argv[] = {daemon, "--socket", socket, NULL};
    child *c = daemon ? spawn_program(daemon, argv, NULL) : NULL;
    const char *status[] = {daemon, "--status", "--socket", socket, NULL};
    bool up = false;
    for (int i = 0; c && !up && i < 600; i++) {
        child *probe = spawn_program(daemon, status, NULL);
        run_result r = {0};
        if (probe)
            child_wait(probe, &r);
        up = probe && r.status == 0;
        run_result_clear(&r);
        if (!up)
            sleep_ms(50);
    }
    free(daemon);
    if (c && !up) {
        child_end(c, true);
        run_result r;
        child_wait(c, &r);
        fprintf(stderr, "hcssimd did not answer on %s: %s\n", socket, r.err);
        run_result_clear(&r);
        return NULL;
    }
    return c;
}

int stop_daemon(child *c, const char *socket, run_result *r)
{
#ifdef _WIN32
    /* Windows has no SIGTERM, and TerminateProcess is a kill (its exit code
     * is the killer's): the daemon's own stop is `hcssimd --stop`, which
     * returns once the daemon no longer answers (docs/hcssimd.md). */
    char *daemon = program_path("hcssimd");
    const char *argv[] = {daemon, "--stop", "--socket", socket, NULL};
    child *stopper = daemon ? spawn_program(daemon, argv, NULL) : NULL;
    free(daemon);
    run_result asked = {0};
    if (stopper)
        child_wait(stopper, &asked);
    if (!stopper || asked.status != 0) {
        fprintf(stderr, "hcssimd --stop --socket %s exited %d: %s\n", socket, stopper ? asked.status : -1,
                asked.err ? asked.err : "(not started)");
        child_end(c, true);
    }
    run_result_clear(&asked);
#else
    (void)socket;
    child_end(c, false);
#endif
    child_wait(c, r);
    return r->status;
}

int stop_test_daemon(child *c, char *socket)
{
    run_result r;
    int status = stop_daemon(c, socket, &r);
    if (status != 0)
        fprintf(stderr, "hcssimd exited %d: %s\n", status, r.err);
    run_result_clear(&r);
    free(socket);
    return status;
}

const char *test_daemon_stem = "daemon";
static child *group_daemon;
static char *group_socket;
static bool group_stop_failed;

int test_daemon_group_start(void **state)
{
    (void)state;
#ifdef _WIN32
    group_socket = malloc(128);
    if (group_socket)
        snprintf(group_socket, 128, "\\\\.\\pipe\\hcsctl-%s-%lu", test_daemon_stem, PID);
#else
    char stem[64];
    snprintf(stem, sizeof stem, "hcssimd-%s.sock", test_daemon_stem);
    group_socket = scratch_file(stem);
#endif
    group_daemon = group_socket ? start_daemon(group_socket) : NULL;
    if (!group_daemon)
        return -1;
    test_setenv("HCSSIM_SOCKET", group_socket);
    test_setenv("HCS_PROVIDER", "hcssimd");
    return 0;
}

int test_daemon_group_stop(void **state)
{
    (void)state;
    group_stop_failed = stop_test_daemon(group_daemon, group_socket) != 0;
    group_socket = NULL;
    return group_stop_failed ? -1 : 0;
}

bool test_daemon_failed(void) { return group_stop_failed; }
