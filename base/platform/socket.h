/* Stream sockets a caller hands to HCS (HcsAddResourceToOperation,
 * hcs-newest §3): a file descriptor on POSIX, whose ABI HANDLE is fd + 1
 * like a stdio pipe's (include/hcs/computecore.h); a SOCKET cast to HANDLE
 * on Windows. Both are carried as intptr_t, -1 meaning none. */
#ifndef HCS_PLATFORM_SOCKET_H
#define HCS_PLATFORM_SOCKET_H

#include "hcs/computecore.h"

#include <stddef.h>
#include <stdint.h>

/* The socket behind an ABI HANDLE; -1 for NULL or INVALID_HANDLE_VALUE. */
intptr_t hcs__socket_from_abi(HANDLE h);
/* The other way (-1 gives NULL). */
HANDLE hcs__socket_to_abi(intptr_t s);
/* A duplicate of a stream socket the caller keeps owning (hcs-newest §5
 * #6), or -1 when s is not one. */
intptr_t hcs__socket_dup(intptr_t s);
void hcs__socket_close(intptr_t s);
/* Blocking transfers: send_all returns 0 once every byte went, -1 on an
 * error; recv returns the bytes read, 0 at the peer's end, -1 on an error.
 * Neither raises SIGPIPE. */
int hcs__socket_send_all(intptr_t s, const void *buf, size_t n);
long hcs__socket_recv(intptr_t s, void *buf, size_t n);
/* Waits up to timeout_ms until s has data or its end: 1, 0 on timeout,
 * -1 on an error. A reader that must stop on request waits with this
 * rather than blocking in recv: a shutdown from another thread does not
 * wake a blocked recv everywhere (Wine). */
int hcs__socket_readable(intptr_t s, uint32_t timeout_ms);
/* Ends both directions: the peer sees the end. */
void hcs__socket_shutdown(intptr_t s);

#ifdef _WIN32
/* A socket travels between processes as its WSAPROTOCOL_INFOW, this many
 * bytes (hcssimd's transport, docs/hcssimd.md "Windows"). */
#define HCS_SOCKET_SHARE_SIZE 628
/* Writes the bytes that let process pid make its own socket for stream
 * socket s (WSADuplicateSocketW). Returns 0, or -1 when s is not a stream
 * socket or Winsock is missing. */
int hcs__socket_share(intptr_t s, uint32_t pid, uint8_t out[HCS_SOCKET_SHARE_SIZE]);
/* The socket that bytes from hcs__socket_share name (WSASocketW with
 * FROM_PROTOCOL_INFO), checked to be a connected stream socket; -1 for
 * bytes that do not make one. */
intptr_t hcs__socket_adopt(const uint8_t bytes[HCS_SOCKET_SHARE_SIZE]);
#endif

#endif
