/* POSIX sockets (see socket.h). */
#include "socket.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

intptr_t hcs__socket_from_abi(HANDLE h) { return !h || h == INVALID_HANDLE_VALUE ? -1 : (intptr_t)h - 1; }

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
