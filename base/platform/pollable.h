/* A level-triggered readiness flag another event loop can watch: on POSIX
 * a pipe that holds one byte while set (poll it for reading), on Windows a
 * manual-reset event. */
#ifndef HCS_PLATFORM_POLLABLE_H
#define HCS_PLATFORM_POLLABLE_H

#include <stdint.h>

typedef struct hcs_pollable {
#ifdef _WIN32
    void *event;
#else
    int fds[2];
#endif
} hcs_pollable;

/* Returns 0, or -1 when the OS refused. */
int hcs__pollable_init(hcs_pollable *p);
void hcs__pollable_destroy(hcs_pollable *p);
/* Set and clear are called with the owner's lock held, so they alternate. */
void hcs__pollable_set(hcs_pollable *p);
void hcs__pollable_clear(hcs_pollable *p);
/* The fd, or the HANDLE, as an integer. */
intptr_t hcs__pollable_value(const hcs_pollable *p);

#endif
