/* Helpers for hcssimd's tests: a private daemon per test program (started,
 * stopped with SIGTERM, killed with SIGKILL, restarted), on a socket in the
 * build tree, and the peer program (daemon_peer.c) run beside the test. */
#ifndef HCSKIT_TESTS_DAEMON_HELPERS_H
#define HCSKIT_TESTS_DAEMON_HELPERS_H

#include <hcs/hcs.h>

#include "hcssim/hcssim.h"
#include "platform/thread.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#define CONTAINER "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Owner\":\"daemontests\",\"Container\":{}}"

/* This program's socket: HCSKIT_SOCKET_DIR/<tag>-<pid>.sock, also set as
 * HCSSIM_SOCKET so that the client provider finds it. */
static char socket_path[100]; /* fits sockaddr_un.sun_path */

static inline void use_socket(const char *tag)
{
    int n = snprintf(socket_path, sizeof socket_path, "%s/%s-%ld.sock", HCSKIT_SOCKET_DIR, tag, (long)getpid());
    if (n < 0 || (size_t)n >= sizeof socket_path)
        fail_msg("the build tree's path is too long for a socket: %s", HCSKIT_SOCKET_DIR);
    setenv("HCSSIM_SOCKET", socket_path, 1);
}

/* Whether something accepts connections at path. */
static inline struct sockaddr_un address_of(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    size_t n = strlen(path);
    assert_true(n < sizeof sa.sun_path);
    memcpy(sa.sun_path, path, n + 1);
    return sa;
}

static inline bool answers(const char *path)
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un sa = address_of(path);
    bool ok = fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
    if (fd >= 0)
        close(fd);
    return ok;
}

/* Starts hcssimd on socket_path with extra arguments (NULL-terminated);
 * returns its pid once it answers (a 10 s hang guard). */
static inline pid_t daemon_start_with(const char *const *extra)
{
    pid_t pid = fork();
    if (pid == 0) {
        const char *argv[16] = {"hcssimd", "--socket", socket_path};
        int n = 3;
        for (; extra && *extra && n < 15; extra++)
            argv[n++] = *extra;
        argv[n] = NULL;
        execv(HCSKIT_HCSSIMD, (char *const *)argv);
        _exit(127);
    }
    assert_true(pid > 0);
    for (int i = 0; i < 400 && !answers(socket_path); i++) {
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid)
            fail_msg("hcssimd exited at once (status %d)", status);
        hcs__sleep_ms(25);
    }
    assert_true(answers(socket_path));
    return pid;
}

static inline pid_t daemon_start(void) { return daemon_start_with(NULL); }

/* SIGTERM; returns the daemon's exit status (-1 if a signal ended it). */
static inline int daemon_stop(pid_t pid)
{
    kill(pid, SIGTERM);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* SIGKILL, as a crash of the service would end it. */
static inline void daemon_kill(pid_t pid)
{
    kill(pid, SIGKILL);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
}

/* Runs daemon_peer with two arguments; with `out`, its stdout is a pipe
 * whose read end is returned there. */
static inline pid_t peer_start(const char *mode, const char *arg, int *out)
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
        execl(HCSKIT_DAEMON_PEER, "daemon_peer", mode, arg, (char *)NULL);
        _exit(127);
    }
    assert_true(pid > 0);
    if (out) {
        close(fds[1]);
        *out = fds[0];
    }
    return pid;
}

/* Waits for a peer; its exit status (-1 if a signal ended it). */
static inline int peer_wait(pid_t pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A unique system id per call. */
static inline const char *unique_id(const char *tag)
{
    static char ids[32][64];
    static int next;
    char *out = ids[next++ % 32];
    snprintf(out, 64, "%s-%ld-%d", tag, (long)getpid(), next);
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
