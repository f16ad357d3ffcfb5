/* POSIX stdio pipes (see os_pipe.h). */
#include "os_pipe.h"

#include <errno.h>
#include <unistd.h>

intptr_t hcs_pipe_from_abi(HANDLE h)
{
    return !h || h == INVALID_HANDLE_VALUE ? -1 : (intptr_t)h - 1;
}

void hcs_os_pipe_close(intptr_t pipe)
{
    if (pipe >= 0)
        close((int)pipe);
}

long hcs_os_pipe_read(intptr_t pipe, void *buf, size_t n)
{
    for (;;) {
        ssize_t got = read((int)pipe, buf, n);
        if (got >= 0 || errno != EINTR)
            return got < 0 ? -1 : (long)got;
    }
}

long hcs_os_pipe_write(intptr_t pipe, const void *buf, size_t n)
{
    for (;;) {
        ssize_t put = write((int)pipe, buf, n);
        if (put >= 0)
            return (long)put;
        if (errno == EPIPE)
            return 0;
        if (errno != EINTR)
            return -1;
    }
}
