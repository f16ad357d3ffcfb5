/* hcssimd's side of a connection (docs/hcssimd.md): one thread reads the
 * client's frames and runs each call on the simulator linked into the
 * daemon, by calling the simulator's own computecore function; a second
 * thread writes the replies, completions and events queued for the client,
 * so that the simulator's threads never wait for a client's socket. */
#ifndef HCSSIM_DAEMON_SERVER_H
#define HCSSIM_DAEMON_SERVER_H

#include "transport.h"

#include <stdbool.h>
#include <stdint.h>

/* Serves one accepted connection on threads of its own; takes io. Returns
 * 0, or -1 when no thread could be started (io is then closed). */
int hcssim__server_start(wire_conn *io, bool verbose);

/* Ends every connection (their clients see the daemon go) and waits up to
 * timeout_ms for their threads to finish. */
void hcssim__server_stop_all(uint32_t timeout_ms);

/* Sets what a client's stop_daemon control (hcssimd --stop) calls, on the
 * thread that serves that client, after its reply is queued: it should
 * only ask the daemon's main thread to stop. Set before the first client
 * is served; without it the control is answered with -1. */
void hcssim__server_on_stop(void (*fn)(void));

/* Connections being served. */
unsigned hcssim__server_connections(void);

#endif
