/* POSIX readiness flag: a non-blocking pipe (see pollable.h). */
#include "pollable.h"

#include <fcntl.h>
#include <unistd.h>

int hcs__pollable_init(hcs_pollable *p)
{
    if (pipe(p->fds) != 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        int fl = fcntl(p->fds[i], F_GETFL);
        if (fl < 0 || fcntl(p->fds[i], F_SETFL, fl | O_NONBLOCK) < 0 || fcntl(p->fds[i], F_SETFD, FD_CLOEXEC) < 0) {
            hcs__pollable_destroy(p);
            return -1;
        }
    }
    return 0;
}

void hcs__pollable_destroy(hcs_pollable *p)
{
    for (int i = 0; i < 2; i++)
        if (p->fds[i] >= 0)
            close(p->fds[i]);
    p->fds[0] = p->fds[1] = -1;
}

void hcs__pollable_set(hcs_pollable *p)
{
    char b = 1;
    ssize_t rc = write(p->fds[1], &b, 1);
    (void)rc; /* the pipe cannot be full: it holds at most one byte */
}

void hcs__pollable_clear(hcs_pollable *p)
{
    char b;
    while (read(p->fds[0], &b, 1) > 0) {
    }
}

intptr_t hcs__pollable_value(const hcs_pollable *p) { return p->fds[0]; }
