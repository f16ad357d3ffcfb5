/* POSIX stdio pipes (see os_pipe.h). */
#include "os_pipe.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <time.h>
#include <unistd.h>

intptr_t hcs__pipe_from_abi(HANDLE h) { return !h || h == INVALID_HANDLE_VALUE ? -1 : (intptr_t)h - 1; }

HANDLE hcs__pipe_to_abi(intptr_t pipe) { return pipe < 0 ? NULL : (HANDLE)(pipe + 1); }

void hcs__os_pipe_close(intptr_t pipe)
{
    if (pipe >= 0)
        close((int)pipe);
}

void hcs__process_info_close(const HCS_PROCESS_INFORMATION *info)
{
    hcs__os_pipe_close(hcs__pipe_from_abi(info->StdInput));
    hcs__os_pipe_close(hcs__pipe_from_abi(info->StdOutput));
    hcs__os_pipe_close(hcs__pipe_from_abi(info->StdError));
}

long hcs__os_pipe_read(intptr_t pipe, void *buf, size_t n)
{
    for (;;) {
        ssize_t got = read((int)pipe, buf, n);
        if (got >= 0 || errno != EINTR)
            return got < 0 ? -1 : (long)got;
    }
}

/* A write to a pipe whose reader is gone raises SIGPIPE, whose default
 * action ends the whole program: a library must report the broken pipe
 * instead (docs/reliability.md, B1). The signal is blocked in this thread
 * for the write and, if the write raised it, taken back before unblocking,
 * unless it was already pending for the program's own reasons. */
static ssize_t write_no_sigpipe(int fd, const void *buf, size_t n)
{
    sigset_t pipe_only, old, pending;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_only, &old);
    sigpending(&pending);
    bool was_pending = sigismember(&pending, SIGPIPE);
    ssize_t put = write(fd, buf, n);
    int saved = errno;
    if (put < 0 && errno == EPIPE && !was_pending) {
        struct timespec now = {0, 0};
        while (sigtimedwait(&pipe_only, NULL, &now) < 0 && errno == EINTR) {
        }
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    errno = saved;
    return put;
}

long hcs__os_pipe_write(intptr_t pipe, const void *buf, size_t n)
{
    for (;;) {
        ssize_t put = write_no_sigpipe((int)pipe, buf, n);
        if (put >= 0)
            return (long)put;
        if (errno == EPIPE)
            return 0;
        if (errno != EINTR)
            return -1;
    }
}

int hcs__os_pipe_wait_readable(const intptr_t *pipes, int n, uint32_t timeout_ms)
{
    struct pollfd p[4];
    int map[4], k = 0;
    for (int i = 0; i < n && k < 4; i++)
        if (pipes[i] >= 0) {
            p[k] = (struct pollfd){(int)pipes[i], POLLIN, 0};
            map[k++] = i;
        }
    int rc = poll(p, (nfds_t)k, timeout_ms > INT32_MAX ? -1 : (int)timeout_ms);
    for (int j = 0; rc > 0 && j < k; j++)
        if (p[j].revents)
            return map[j];
    return -1;
}
