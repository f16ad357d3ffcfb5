/* Stream sockets a caller hands to HCS (HcsAddResourceToOperation,
 * hcs-newest §3): a file descriptor on POSIX, whose ABI HANDLE is fd + 1
 * like a stdio pipe's (include/hcs/computecore.h); a SOCKET cast to HANDLE
 * on Windows. Both are carried as intptr_t, -1 meaning none. */
#ifndef HCS_PLATFORM_SOCKET_H
#define HCS_PLATFORM_SOCKET_H

#include "hcs/computecore.h"

#include <stdint.h>

/* The socket behind an ABI HANDLE; -1 for NULL or INVALID_HANDLE_VALUE. */
intptr_t hcs__socket_from_abi(HANDLE h);
/* A duplicate of a stream socket the caller keeps owning (hcs-newest §5
 * #6), or -1 when s is not one. */
intptr_t hcs__socket_dup(intptr_t s);
void hcs__socket_close(intptr_t s);

#endif
