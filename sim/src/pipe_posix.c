/* POSIX pipes and wakers (see pipe.h): the guest end is non-blocking and
 * every wait polls it together with the waker's self-pipe. */
#include "pipe.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

static int set_flags(int fd, bool nonblocking)
{
    int fl = fcntl(fd, F_GETFL);
    int fd_fl = fcntl(fd, F_GETFD);
    if (fl < 0 || fd_fl < 0)
        return -1;
    if (nonblocking && fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
        return -1;
    return fcntl(fd, F_SETFD, fd_fl | FD_CLOEXEC);
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

int hcssim__waker_init(sim_waker *w)
{
    if (pipe(w->fds) != 0)
        return -1;
    if (set_flags(w->fds[0], true) != 0 || set_flags(w->fds[1], true) != 0) {
        hcssim__waker_destroy(w);
        return -1;
    }
    return 0;
}

void hcssim__waker_destroy(sim_waker *w)
{
    close_fd(&w->fds[0]);
    close_fd(&w->fds[1]);
}

void hcssim__waker_fire(sim_waker *w)
{
    char b = 1;
    ssize_t rc = write(w->fds[1], &b, 1); /* full pipe: already fired */
    (void)rc;
}

static void drain(sim_waker *w)
{
    char buf[64];
    while (read(w->fds[0], buf, sizeof buf) > 0) {
    }
}

/* Polls fd (unless -1) for `events` and the waker. Returns 1 when fd is
 * ready, 0 on timeout, -1 when the waker fired. */
static int wait_for(int fd, short events, sim_waker *w, int timeout)
{
    struct pollfd p[2] = {{w->fds[0], POLLIN, 0}, {fd, events, 0}};
    for (;;) {
        int rc = poll(p, fd >= 0 ? 2 : 1, timeout);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc > 0 && p[0].revents) {
            drain(w);
            return -1;
        }
        return rc > 0 ? 1 : 0;
    }
}

bool hcssim__waker_sleep(sim_waker *w, uint32_t ms)
{
    return wait_for(-1, 0, w, ms == UINT32_MAX ? -1 : (int)(ms > INT32_MAX ? INT32_MAX : ms)) < 0;
}

int hcssim__pipe_open(sim_pipe *p, bool to_guest)
{
    int fds[2];
    p->guest = p->host = -1;
    p->to_guest = to_guest;
    if (pipe(fds) != 0)
        return -1;
    p->guest = to_guest ? fds[0] : fds[1];
    p->host = to_guest ? fds[1] : fds[0];
    if (set_flags(p->guest, true) != 0 || set_flags(p->host, false) != 0) {
        hcssim__pipe_close_guest(p);
        hcssim__pipe_close_host(p);
        return -1;
    }
    return 0;
}

HANDLE hcssim__pipe_client_handle(const sim_pipe *p)
{
    if (p->host < 0)
        return NULL;
    int fd = fcntl(p->host, F_DUPFD_CLOEXEC, 0);
    return fd < 0 ? NULL : (HANDLE)(intptr_t)(fd + 1);
}

void hcssim__pipe_close_guest(sim_pipe *p) { close_fd(&p->guest); }
void hcssim__pipe_close_host(sim_pipe *p) { close_fd(&p->host); }

long hcssim__pipe_read(sim_pipe *p, void *buf, size_t n, sim_waker *w)
{
    for (;;) {
        if (p->guest < 0)
            return 0;
        ssize_t got = read(p->guest, buf, n);
        if (got >= 0)
            return (long)got;
        if (errno != EAGAIN && errno != EINTR)
            return 0;
        if (wait_for(p->guest, POLLIN, w, -1) < 0)
            return -1;
    }
}

long hcssim__pipe_read_now(sim_pipe *p, void *buf, size_t n)
{
    ssize_t got = p->guest >= 0 ? read(p->guest, buf, n) : -1;
    return got > 0 ? (long)got : 0;
}

long hcssim__pipe_write(sim_pipe *p, const void *buf, size_t n, sim_waker *w)
{
    for (;;) {
        if (p->guest < 0)
            return 0;
        ssize_t put = write(p->guest, buf, n);
        if (put >= 0)
            return (long)put;
        if (errno != EAGAIN && errno != EINTR)
            return 0; /* EPIPE: the client closed its end */
        if (wait_for(p->guest, POLLOUT, w, -1) < 0)
            return -1;
    }
}

void hcssim__guest_thread_prepare(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
}
