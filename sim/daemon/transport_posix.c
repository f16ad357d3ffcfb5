/* hcssimd's transport on POSIX: Unix domain sockets (see transport.h). */
#define _GNU_SOURCE /* SO_PEERCRED, struct ucred, accept4, MSG_CMSG_CLOEXEC */
#include "transport.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

struct wire_conn {
    int fd;
    uint64_t peer_pid;
};

struct wire_listener {
    int fd;
    int stop[2]; /* self-pipe: a byte makes accept return */
    char *path;
};

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int
fail(char *why, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (size)
        vsnprintf(why, size, fmt, ap);
    va_end(ap);
    return -1;
}

/* The fallback directory must be the user's own and closed to others, or
 * another user could plant a socket where this user's clients look. */
static int private_dir(const char *dir, char *why, size_t why_size)
{
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return fail(why, why_size, "cannot create %s: %s", dir, strerror(errno));
    struct stat st;
    if (lstat(dir, &st) != 0)
        return fail(why, why_size, "cannot inspect %s: %s", dir, strerror(errno));
    if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077) != 0)
        return fail(why, why_size, "%s is not a directory of this user closed to others (mode 0700)", dir);
    return 0;
}

int hcssim__transport_default_path(char *out, size_t size, char *why, size_t why_size)
{
    const char *env = getenv("HCSSIM_SOCKET");
    if (env && env[0])
        return (size_t)snprintf(out, size, "%s", env) < size ? 0 : fail(why, why_size, "HCSSIM_SOCKET is too long");
    const char *runtime = getenv("XDG_RUNTIME_DIR");
    if (runtime && runtime[0] == '/')
        return (size_t)snprintf(out, size, "%s/hcssim.sock", runtime) < size
                   ? 0
                   : fail(why, why_size, "XDG_RUNTIME_DIR is too long");
    char dir[64];
    snprintf(dir, sizeof dir, "/tmp/hcssim-%lu", (unsigned long)geteuid());
    if (private_dir(dir, why, why_size) != 0)
        return -1;
    return (size_t)snprintf(out, size, "%s/hcssim.sock", dir) < size ? 0 : fail(why, why_size, "path too long");
}

static int address(const char *path, struct sockaddr_un *sa, char *why, size_t why_size)
{
    memset(sa, 0, sizeof *sa);
    sa->sun_family = AF_UNIX;
    if (!path[0] || strlen(path) >= sizeof sa->sun_path)
        return fail(why, why_size, "socket path \"%s\" is empty or longer than %zu bytes", path,
                    sizeof sa->sun_path - 1);
    memcpy(sa->sun_path, path, strlen(path) + 1);
    return 0;
}

static uid_t peer_uid(int fd, uint64_t *pid)
{
    struct ucred cred;
    socklen_t len = sizeof cred;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
        return (uid_t)-1;
    if (pid)
        *pid = (uint64_t)cred.pid;
    return cred.uid;
}

int hcssim__transport_listen(const char *path, wire_listener **out, char *why, size_t why_size)
{
    *out = NULL;
    struct sockaddr_un sa;
    if (address(path, &sa, why, why_size) != 0)
        return -1;
    struct stat st;
    if (lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode))
            return fail(why, why_size, "%s exists and is not a socket", path);
        int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        bool answered = probe >= 0 && connect(probe, (struct sockaddr *)&sa, sizeof sa) == 0;
        if (probe >= 0)
            close(probe);
        if (answered)
            return fail(why, why_size, "another hcssimd is already listening on %s", path);
        unlink(path); /* a socket nobody listens on: left by a daemon that died */
    }
    wire_listener *l = calloc(1, sizeof *l);
    if (!l || !(l->path = strdup(path))) {
        free(l);
        return fail(why, why_size, "out of memory");
    }
    l->stop[0] = l->stop[1] = -1;
    l->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (l->fd < 0 || pipe2(l->stop, O_CLOEXEC | O_NONBLOCK) != 0) {
        fail(why, why_size, "cannot create the socket: %s", strerror(errno));
        goto error;
    }
    /* Created 0600 from the start: no moment in which another user could
     * connect (the daemon is still single-threaded here, so the umask
     * change is seen by nobody else). */
    mode_t old = umask(0177);
    int rc = bind(l->fd, (struct sockaddr *)&sa, sizeof sa);
    umask(old);
    if (rc != 0) {
        fail(why, why_size, "cannot bind %s: %s", path, strerror(errno));
        goto error;
    }
    if (chmod(path, 0600) != 0 || lstat(path, &st) != 0 || (st.st_mode & 0777) != 0600) {
        fail(why, why_size, "cannot make %s mode 0600", path);
        unlink(path);
        goto error;
    }
    if (listen(l->fd, 64) != 0) {
        fail(why, why_size, "cannot listen on %s: %s", path, strerror(errno));
        unlink(path);
        goto error;
    }
    *out = l;
    return 0;
error:
    if (l->fd >= 0)
        close(l->fd);
    if (l->stop[0] >= 0)
        close(l->stop[0]);
    if (l->stop[1] >= 0)
        close(l->stop[1]);
    free(l->path);
    free(l);
    return -1;
}

int hcssim__transport_accept(wire_listener *l, wire_conn **out, char *why, size_t why_size)
{
    *out = NULL;
    for (;;) {
        struct pollfd p[2] = {{l->fd, POLLIN, 0}, {l->stop[0], POLLIN, 0}};
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return fail(why, why_size, "poll: %s", strerror(errno));
        }
        if (p[1].revents)
            return -1;
        if (!p[0].revents)
            continue;
        int fd = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == EAGAIN || errno == ECONNABORTED || errno == EMFILE || errno == ENFILE)
                continue; /* the next client may fare better */
            return fail(why, why_size, "accept: %s", strerror(errno));
        }
        uint64_t pid = 0;
        uid_t uid = peer_uid(fd, &pid);
        if (uid != geteuid()) {
            close(fd);
            fail(why, why_size, "refused a client of user %ld (pid %llu): only user %ld may connect", (long)uid,
                 (unsigned long long)pid, (long)geteuid());
            return 1;
        }
        wire_conn *c = malloc(sizeof *c);
        if (!c) {
            close(fd);
            continue;
        }
        c->fd = fd;
        c->peer_pid = pid;
        *out = c;
        return 0;
    }
}

void hcssim__transport_listener_stop(wire_listener *l)
{
    char b = 1;
    ssize_t rc = write(l->stop[1], &b, 1);
    (void)rc;
}

void hcssim__transport_listener_close(wire_listener *l)
{
    if (!l)
        return;
    unlink(l->path);
    close(l->fd);
    close(l->stop[0]);
    close(l->stop[1]);
    free(l->path);
    free(l);
}

int hcssim__transport_connect(const char *path, wire_conn **out, char *why, size_t why_size)
{
    *out = NULL;
    struct sockaddr_un sa;
    if (address(path, &sa, why, why_size) != 0)
        return -1;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return fail(why, why_size, "socket: %s", strerror(errno));
    int rc;
    do
        rc = connect(fd, (struct sockaddr *)&sa, sizeof sa);
    while (rc != 0 && errno == EINTR);
    if (rc != 0) {
        int e = errno;
        close(fd);
        return fail(why, why_size, "cannot reach hcssimd at %s: %s", path, strerror(e));
    }
    /* The daemon holds the user's systems and hands out their pipes: one
     * run by someone else is refused, whoever created the socket file. */
    uint64_t pid = 0;
    uid_t uid = peer_uid(fd, &pid);
    if (uid != geteuid()) {
        close(fd);
        return fail(why, why_size, "the hcssimd at %s runs as user %ld, not this user (%ld)", path, (long)uid,
                    (long)geteuid());
    }
    wire_conn *c = malloc(sizeof *c);
    if (!c) {
        close(fd);
        return fail(why, why_size, "out of memory");
    }
    c->fd = fd;
    c->peer_pid = pid;
    *out = c;
    return 0;
}

int hcssim__transport_send(wire_conn *c, const uint8_t *frame, size_t len, const wire_handle *handles, unsigned n)
{
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(int) * 3)];
    } control;
    size_t done = 0;
    while (done < len) {
        struct iovec iov = {(void *)(frame + done), len - done};
        struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
        if (done == 0 && n > 0) {
            if (n > 3)
                return -1;
            memset(&control, 0, sizeof control);
            msg.msg_control = control.buf;
            msg.msg_controllen = CMSG_SPACE(sizeof(int) * n);
            struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
            cm->cmsg_level = SOL_SOCKET;
            cm->cmsg_type = SCM_RIGHTS;
            cm->cmsg_len = CMSG_LEN(sizeof(int) * n);
            int fds[3];
            for (unsigned i = 0; i < n; i++)
                fds[i] = (int)handles[i];
            memcpy(CMSG_DATA(cm), fds, sizeof(int) * n);
        }
        /* MSG_NOSIGNAL: a peer gone is an error here, never SIGPIPE. */
        ssize_t put = sendmsg(c->fd, &msg, MSG_NOSIGNAL);
        if (put < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        done += (size_t)put;
    }
    return 0;
}

int hcssim__transport_recv(wire_conn *c, uint8_t *buf, size_t len, wire_handle *handles, unsigned *n, unsigned max)
{
    size_t done = 0;
    int status = 0;
    while (done < len) {
        union {
            struct cmsghdr align;
            char buf[CMSG_SPACE(sizeof(int) * 8)];
        } control;
        struct iovec iov = {buf + done, len - done};
        struct msghdr msg = {
            .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf};
        ssize_t got = recvmsg(c->fd, &msg, MSG_CMSG_CLOEXEC);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return -1;
        for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
            if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
                continue;
            size_t count = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            for (size_t i = 0; i < count; i++) {
                int fd;
                memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof fd);
                if (*n < max)
                    handles[(*n)++] = fd;
                else {
                    close(fd);
                    status = -1; /* more handles than the frame may carry */
                }
            }
        }
        if (msg.msg_flags & MSG_CTRUNC)
            status = -1; /* handles were lost: the frame cannot be trusted */
        done += (size_t)got;
    }
    return status;
}

void hcssim__transport_shutdown(wire_conn *c) { shutdown(c->fd, SHUT_RDWR); }

void hcssim__transport_close(wire_conn *c)
{
    if (!c)
        return;
    close(c->fd);
    free(c);
}

void hcssim__transport_close_handle(wire_handle h)
{
    if (h >= 0)
        close((int)h);
}

uint64_t hcssim__transport_peer_pid(const wire_conn *c) { return c->peer_pid; }

void hcssim__transport_set_peer_pid(wire_conn *c, uint64_t pid)
{
    (void)c; /* SO_PEERCRED told it; the handles travel without it */
    (void)pid;
}

uint64_t hcssim__transport_own_pid(void) { return (uint64_t)getpid(); }

int hcssim__transport_can_send_handles(wire_conn *c)
{
    (void)c;
    return 1; /* SCM_RIGHTS */
}
