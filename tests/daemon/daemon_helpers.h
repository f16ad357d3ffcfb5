/* Helpers for hcssimd's tests: a private daemon per test program (started,
 * stopped, killed, restarted) on a socket in the build tree (POSIX) or a
 * pipe of its own (Windows), and the peer program (daemon_peer.c) run
 * beside the test. On Windows every program started here runs in a job
 * that ends with the test (kill on close), so a test that fails, or is
 * killed on a timeout, leaves no daemon behind. */
#ifndef HCSKIT_TESTS_DAEMON_HELPERS_H
#define HCSKIT_TESTS_DAEMON_HELPERS_H

#include <hcs/hcs.h>

#include "hcssim/hcssim.h"
#include "platform/os_pipe.h"
#include "platform/thread.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include "win_spawn.h"
typedef HANDLE test_proc;
#else
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
typedef pid_t test_proc;
#endif

#include <cmocka.h>

#define CONTAINER "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Owner\":\"daemontests\",\"Container\":{}}"

/* This program's socket or pipe: POSIX HCSKIT_SOCKET_DIR/<tag>-<pid>.sock,
 * Windows \\.\pipe\hcskit-<tag>-<pid>; also set as HCSSIM_SOCKET so
 * that the client provider finds it. */
static char socket_path[100]; /* fits sockaddr_un.sun_path */

#ifdef _WIN32
static inline long test_pid(void) { return (long)GetCurrentProcessId(); }
static inline void test_setenv(const char *name, const char *value) { _putenv_s(name, value); }
#else
static inline long test_pid(void) { return (long)getpid(); }
static inline void test_setenv(const char *name, const char *value) { setenv(name, value, 1); }
#endif

static inline void use_socket(const char *tag)
{
#ifdef _WIN32
    int n = snprintf(socket_path, sizeof socket_path, "\\\\.\\pipe\\hcskit-%s-%ld", tag, test_pid());
#else
    int n = snprintf(socket_path, sizeof socket_path, "%s/%s-%ld.sock", HCSKIT_SOCKET_DIR, tag, test_pid());
#endif
    if (n < 0 || (size_t)n >= sizeof socket_path)
        fail_msg("the build tree's path is too long for a socket: %s", HCSKIT_SOCKET_DIR);
    test_setenv("HCSSIM_SOCKET", socket_path);
}

#ifdef _WIN32
/* Whether a daemon has the pipe: it can be opened, or all its instances
 * are busy. */
static inline bool answers(const char *path)
{
    HANDLE h = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (h != INVALID_HANDLE_VALUE) {
        CloseHandle(h);
        return true;
    }
    return GetLastError() == ERROR_PIPE_BUSY;
}

/* Starts argv (NULL-terminated; argv[0] the program's path); with `out`,
 * its stdout is a pipe whose read end is returned there. Its stderr is
 * this program's. */
static inline test_proc spawn(const char *const *argv, intptr_t *out)
{
    char line[2048] = "";
    size_t used = 0;
    for (; *argv; argv++)
        used += (size_t)snprintf(line + used, sizeof line - used, "%s\"%s\"", used ? " " : "", *argv);
    assert_true(used < sizeof line);
    SECURITY_ATTRIBUTES inherit = {.nLength = sizeof inherit, .bInheritHandle = TRUE};
    HANDLE read_end = NULL, write_end = NULL;
    if (out) {
        assert_true(CreatePipe(&read_end, &write_end, &inherit, 0));
        SetHandleInformation(read_end, HANDLE_FLAG_INHERIT, 0);
    }
    HANDLE err = GetStdHandle(STD_ERROR_HANDLE);
    if (err && err != INVALID_HANDLE_VALUE)
        SetHandleInformation(err, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
    HANDLE nul = CreateFileA("NUL", GENERIC_READ | GENERIC_WRITE, 0, &inherit, OPEN_EXISTING, 0, NULL);
    STARTUPINFOA si = {.cb = sizeof si};
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = nul;
    si.hStdOutput = out ? write_end : err;
    si.hStdError = err;
    PROCESS_INFORMATION pi;
    assert_true(test_spawn_suspended(NULL, line, &si, &pi));
    assert_non_null(test_spawn_job());
    assert_true(AssignProcessToJobObject(test_spawn_job(), pi.hProcess));
    ResumeThread(pi.hThread);
    CloseHandle(pi.hThread);
    CloseHandle(nul);
    if (out) {
        CloseHandle(write_end);
        *out = (intptr_t)read_end;
    }
    return pi.hProcess;
}

enum { KILLED_EXIT = 0xDEAD }; /* the exit code proc_kill gives */

/* Waits for a program; its exit status (-1 if proc_kill ended it). */
static inline int proc_wait(test_proc p)
{
    WaitForSingleObject(p, INFINITE);
    DWORD code = 0;
    GetExitCodeProcess(p, &code);
    CloseHandle(p);
    return code == KILLED_EXIT ? -1 : (int)code;
}

/* Ends it at once, as a crash would (no handler runs). */
static inline void proc_kill(test_proc p) { TerminateProcess(p, KILLED_EXIT); }

/* Whether it has ended, without waiting. */
static inline bool proc_ended(test_proc p, int *status)
{
    if (WaitForSingleObject(p, 0) != WAIT_OBJECT_0)
        return false;
    *status = proc_wait(p);
    return true;
}
#else
static inline struct sockaddr_un address_of(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    size_t n = strlen(path);
    assert_true(n < sizeof sa.sun_path);
    memcpy(sa.sun_path, path, n + 1);
    return sa;
}

/* Whether something accepts connections at path. */
static inline bool answers(const char *path)
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un sa = address_of(path);
    bool ok = fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
    if (fd >= 0)
        close(fd);
    return ok;
}

static inline test_proc spawn(const char *const *argv, intptr_t *out)
{
    int fds[2] = {-1, -1};
    if (out)
        assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    if (pid == 0) {
        if (out) {
            dup2(fds[1], 1);
            close(fds[0]);
            close(fds[1]);
        }
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    assert_true(pid > 0);
    if (out) {
        close(fds[1]);
        *out = fds[0];
    }
    return pid;
}

/* Waits for a program; its exit status (-1 if a signal ended it). */
static inline int proc_wait(test_proc p)
{
    int status;
    while (waitpid(p, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* SIGKILL, as a crash would end it. */
static inline void proc_kill(test_proc p) { kill(p, SIGKILL); }

static inline bool proc_ended(test_proc p, int *status)
{
    int raw;
    if (waitpid(p, &raw, WNOHANG) != p)
        return false;
    *status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    return true;
}
#endif

/* Starts hcssimd on socket_path with extra arguments (NULL-terminated);
 * returns it once it answers (a 10 s hang guard). */
static inline test_proc daemon_start_with(const char *const *extra)
{
    const char *argv[16] = {HCSKIT_HCSSIMD, "--socket", socket_path};
    int n = 3;
    for (; extra && *extra && n < 15; extra++)
        argv[n++] = *extra;
    argv[n] = NULL;
    test_proc p = spawn(argv, NULL);
    for (int i = 0; i < 400 && !answers(socket_path); i++) {
        int status;
        if (proc_ended(p, &status))
            fail_msg("hcssimd exited at once (status %d)", status);
        hcs__sleep_ms(25);
    }
    assert_true(answers(socket_path));
    return p;
}

static inline test_proc daemon_start(void) { return daemon_start_with(NULL); }

/* Stops it the ordinary way (POSIX: SIGTERM; Windows: hcssimd --stop);
 * returns its exit status (-1 if a signal ended it). */
static inline int daemon_stop(test_proc p)
{
#ifdef _WIN32
    const char *argv[] = {HCSKIT_HCSSIMD, "--stop", "--socket", socket_path, NULL};
    assert_int_equal(proc_wait(spawn(argv, NULL)), 0);
#else
    kill(p, SIGTERM);
#endif
    return proc_wait(p);
}

/* Killed, as a crash of the service would end it. */
static inline void daemon_kill(test_proc p)
{
    proc_kill(p);
    proc_wait(p);
}

/* Runs daemon_peer with two arguments; with `out`, its stdout is a pipe
 * whose read end is returned there. */
static inline test_proc peer_start(const char *mode, const char *arg, intptr_t *out)
{
    const char *argv[] = {HCSKIT_DAEMON_PEER, mode, arg, NULL};
    return spawn(argv, out);
}

static inline int peer_wait(test_proc p) { return proc_wait(p); }

/* Reads from a pipe until a newline (within 10 s) and checks the line. */
static inline void expect_line(intptr_t pipe, const char *want)
{
    char buf[64] = "";
    size_t len = 0;
    while (len < sizeof buf - 1 && !strchr(buf, '\n')) {
        assert_int_equal(hcs__os_pipe_wait_readable(&pipe, 1, 10000), 0);
        long got = hcs__os_pipe_read(pipe, buf + len, sizeof buf - 1 - len);
        assert_true(got > 0);
        len += (size_t)got;
        buf[len] = 0;
    }
    /* Windows text output ends its lines with CR LF */
    char *cr = strstr(buf, "\r\n");
    if (cr)
        memmove(cr, cr + 1, strlen(cr));
    assert_string_equal(buf, want);
}

/* A unique system id per call. */
static inline const char *unique_id(const char *tag)
{
    static char ids[32][64];
    static int next;
    char *out = ids[next++ % 32];
    snprintf(out, 64, "%s-%ld-%d", tag, test_pid(), next);
    return out;
}

static inline hcs_client open_daemon_client(void)
{
    hcs_client client;
    hcs_error err = HCS_ERROR_INIT;
    hcs_client_options opts = {.provider = "hcssimd"};
    if (hcs_client_open(&opts, &client, &err) != HCS_OK)
        fail_msg("hcs_client_open: %s", err.message);
    return client;
}

static inline hcs_system running_system(hcs_client client, const char *id)
{
    hcs_system sys;
    hcs_error err = HCS_ERROR_INIT;
    if (hcs_system_create(client, &(hcs_system_spec){.id = id, .config_json = CONTAINER}, HCS_TIMEOUT_DEFAULT, &sys,
                          &err) != HCS_OK ||
        hcs_system_start(sys, NULL, HCS_TIMEOUT_DEFAULT, &err) != HCS_OK)
        fail_msg("create and start %s: %s", id, err.message);
    return sys;
}

/* The daemon's counts once they stop changing (closes of a client that left
 * may still be under way). */
static inline hcssim_counts settled_counts(void)
{
    hcssim_counts now, last;
    hcssim_get_counts(&last);
    for (int stable = 0, i = 0; stable < 5 && i < 500; i++) {
        hcs__sleep_ms(20);
        hcssim_get_counts(&now);
        stable = memcmp(&now, &last, sizeof now) == 0 ? stable + 1 : 0;
        last = now;
    }
    return last;
}

#endif
