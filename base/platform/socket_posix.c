/* POSIX sockets (see socket.h). */
#include "socket.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

intptr_t hcs__socket_from_abi(HANDLE h) { return !h || h == INVALID_HANDLE_VALUE ? -1 : (intptr_t)h - 1; }

HANDLE hcs__socket_to_abi(intptr_t s) { return s < 0 ? NULL : (HANDLE)(s + 1); }

intptr_t hcs__socket_dup(intptr_t s)
{
    int type = 0;
    socklen_t len = sizeof type;
    if (s < 0 || s > INT32_MAX || getsockopt((int)s, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_STREAM)
        return -1;
    return fcntl((int)s, F_DUPFD_CLOEXEC, 0);
}

void hcs__socket_close(intptr_t s)
{
    if (s >= 0)
        close((int)s);
}

int hcs__socket_send_all(intptr_t s, const void *buf, size_t n)
{
    const char *at = buf;
    while (n > 0) {
        ssize_t sent = send((int)s, at, n, MSG_NOSIGNAL);
        if (sent < 0 && errno == EINTR)
            continue;
        if (sent <= 0)
            return -1;
        at += sent;
        n -= (size_t)sent;
    }
    return 0;
}

long hcs__socket_recv(intptr_t s, void *buf, size_t n)
{
    for (;;) {
        ssize_t got = recv((int)s, buf, n, 0);
        if (got >= 0 || errno != EINTR)
            return got < 0 ? -1 : (long)got;
    }
}

void hcs__socket_shutdown(intptr_t s)
{
    if (s >= 0)
        shutdown((int)s, SHUT_RDWR);
}

int hcs__socket_readable(intptr_t s, uint32_t timeout_ms)
{
    struct pollfd p = {.fd = (int)s, .events = POLLIN};
    int n = poll(&p, 1, timeout_ms > INT32_MAX ? -1 : (int)timeout_ms);
    if (n < 0 && errno == EINTR)
        return 0;
    return n < 0 ? -1 : n > 0 ? 1 : 0;
}
