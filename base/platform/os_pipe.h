/* The stdio pipes HCS hands over, as the OS sees them: a file descriptor on
 * POSIX (the ABI's HANDLE is fd + 1, computecore_abi.h), a HANDLE on
 * Windows; both carried as intptr_t, -1 meaning none. */
#ifndef HCS_PLATFORM_OS_PIPE_H
#define HCS_PLATFORM_OS_PIPE_H

#include "hcs/computecore.h"

#include <stddef.h>
#include <stdint.h>

/* -1 for NULL or INVALID_HANDLE_VALUE (a stream that was not created). */
intptr_t hcs__pipe_from_abi(HANDLE h);
/* The other way: the ABI's HANDLE of an OS pipe (-1 gives NULL). */
HANDLE hcs__pipe_to_abi(intptr_t pipe);
void hcs__os_pipe_close(intptr_t pipe);
/* Closes the three stdio handles of a HCS_PROCESS_INFORMATION nobody took. */
void hcs__process_info_close(const HCS_PROCESS_INFORMATION *info);
/* Blocking transfers: bytes moved, 0 at end of file (or a broken pipe on
 * write), -1 on another error. */
long hcs__os_pipe_read(intptr_t pipe, void *buf, size_t n);
long hcs__os_pipe_write(intptr_t pipe, const void *buf, size_t n);
/* Waits up to timeout_ms until one of the n pipes (-1 entries skipped) has
 * data or has reached its end. Returns its index, or -1 on timeout. */
int hcs__os_pipe_wait_readable(const intptr_t *pipes, int n, uint32_t timeout_ms);

#endif
