/* The client provider of hcssimd (docs/hcssimd.md): computecore's
 * functions, each forwarded to the daemon. Built two ways, as the
 * simulator is: into libhcssim-client.so / hcssim-client.dll with the
 * computecore names and hcssim.h's control API exported (a drop-in for
 * libhcssim.so / hcssim.dll, and for computecore.dll in a program written
 * against Microsoft's header), and
 * into libhcs with those names hidden behind the hcssim__client_ prefix
 * (HCS_PROVIDER=hcssimd, src/provider.c). */
#ifndef HCSSIM_DAEMON_CLIENT_H
#define HCSSIM_DAEMON_CLIENT_H

#include <stddef.h>

#ifdef HCSSIM_CLIENT_EMBEDDED
#define CLIENT_FN(name) hcssim__client_##name
#define CLIENT_EXPORT
#elif defined(_WIN32)
#define CLIENT_FN(name) name
#define CLIENT_EXPORT /* hcssim-client.def lists the exports */
#else
#define CLIENT_FN(name) name
#define CLIENT_EXPORT __attribute__((visibility("default")))
#endif

/* Makes sure a connection to the daemon is up (connecting when there is
 * none). Returns 0, or -1 with the reason in why. */
int hcssim__client_connect(char *why, size_t why_size);

/* Where the client looks for the daemon (HCSSIM_SOCKET, else the default). */
const char *hcssim__client_socket_path(void);

/* The computecore function of this name, as the build the daemon emulates
 * exports it: NULL for a function that build lacks (told by the daemon
 * when the connection was made; with no daemon reachable, every function
 * is there and each call reports HCS_E_SERVICE_DISCONNECT). LocalFree is
 * the provider's own. */
void (*hcssim__client_function(const char *name))(void);

#endif
