/* The one platform file under hcssimd's protocol: where the daemon listens,
 * how a connection is made and checked, and how a frame moves with the OS
 * handles it carries (docs/hcssimd.md, "Transport").
 *
 * POSIX (transport_posix.c): a Unix domain stream socket, mode 0600, whose
 * peer must be the same user (SO_PEERCRED / getpeereid), both ways; handles
 * are file descriptors passed as SCM_RIGHTS with the frame's first byte.
 * Windows (transport_win32.c): a named pipe whose DACL grants the user
 * only, each peer's user checked both ways; the daemon's handles are
 * duplicated into the client process (DuplicateHandle) and their values
 * follow the frame's header; a client's handle (only ever its live
 * migration socket) follows as WSAPROTOCOL_INFOW bytes shared with the
 * daemon's process, from which the daemon makes its own socket. Everything
 * above this file is the same on both. */
#ifndef HCSSIM_DAEMON_TRANSPORT_H
#define HCSSIM_DAEMON_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

/* An OS handle as an integer: a file descriptor, or a HANDLE; -1: none. */
typedef intptr_t wire_handle;

typedef struct wire_conn wire_conn;
typedef struct wire_listener wire_listener;

/* Where a client connects and a daemon listens by default: HCSSIM_SOCKET
 * when set, else (POSIX) $XDG_RUNTIME_DIR/hcssim.sock, else
 * /tmp/hcssim-<uid>/hcssim.sock (the directory made 0700 and checked to be
 * the user's own), or (Windows) \\.\pipe\hcssim. Returns 0, or -1 with
 * the reason in why. */
int hcssim__transport_default_path(char *out, size_t size, char *why, size_t why_size);

/* Listens at path (the daemon). A path where a daemon answers is refused
 * ("already running"); a stale socket file is replaced. On Windows path is
 * a local pipe, \\.\pipe\NAME. */
int hcssim__transport_listen(const char *path, wire_listener **out, char *why, size_t why_size);
/* Waits for the next client of the same user, or returns -1 once
 * hcssim__transport_listener_stop was called (or on a fatal error). A peer
 * of another user is refused (closed at once) and reported in why with a
 * return of 1, and the caller goes on accepting. */
int hcssim__transport_accept(wire_listener *l, wire_conn **out, char *why, size_t why_size);
/* Makes a blocked accept return; safe from another thread. */
void hcssim__transport_listener_stop(wire_listener *l);
/* Closes the listener and removes its socket file. */
void hcssim__transport_listener_close(wire_listener *l);

/* Connects to the daemon at path, checking it runs as the same user.
 * Returns 0, or -1 with the reason in why. */
int hcssim__transport_connect(const char *path, wire_conn **out, char *why, size_t why_size);

/* Sends a frame and n handles (the header's handle count). The handles
 * stay the caller's; the peer gets copies of its own, or none at all when
 * the send fails (Windows takes back copies it made for a frame that did
 * not go). Returns 0, or -1 when the connection is gone. */
int hcssim__transport_send(wire_conn *c, const uint8_t *frame, size_t len, const wire_handle *handles, unsigned n);
/* Reads exactly len bytes. The handles that come with them are stored in
 * handles[*n...] up to max in all (*n counts them; any beyond max are
 * closed and make the call fail). Returns 0, or -1 at end of stream or on
 * an error. */
int hcssim__transport_recv(wire_conn *c, uint8_t *buf, size_t len, wire_handle *handles, unsigned *n, unsigned max);
/* Ends the connection both ways: a recv blocked in another thread returns. */
void hcssim__transport_shutdown(wire_conn *c);
void hcssim__transport_close(wire_conn *c);
/* Closes an OS handle received with a frame. */
void hcssim__transport_close_handle(wire_handle h);

/* Whether a client's live migration socket can go to the daemon with a
 * frame: on POSIX, yes (SCM_RIGHTS, checked by the kernel); on Windows,
 * once the daemon's pid is known (the OS or its WELCOME tells it). On the
 * daemon, a received socket is closed with hcs__socket_close; one a
 * client sent that makes no stream socket arrives as -1 with the call's
 * frame, which then fails alone (docs/hcssimd.md, "Windows"). */
int hcssim__transport_can_send_handles(wire_conn *c);

/* This process's id. */
uint64_t hcssim__transport_own_pid(void);

/* The peer's process id, when the OS tells it (0 otherwise): for logs,
 * and on Windows the process that handles are duplicated into. */
uint64_t hcssim__transport_peer_pid(const wire_conn *c);

/* The process id the peer gave in its HELLO (or, to a client, the
 * daemon's WELCOME), used where the OS does not tell it
 * (GetNamedPipeClientProcessId answers 0 under Wine): there the daemon
 * duplicates its handles into that process, and a client shares its socket
 * with the daemon's. Ignored when the OS told one, and on POSIX. */
void hcssim__transport_set_peer_pid(wire_conn *c, uint64_t pid);

#endif
