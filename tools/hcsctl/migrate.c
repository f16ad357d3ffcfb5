/* hcsctl migrate: live migration of a virtual machine (hcs/migration.h).
 *
 *   hcsctl migrate ID --to HOST:PORT        the source: connects, migrates
 *   hcsctl migrate ID --listen [HOST:]PORT  the destination (a created VM):
 *                                           accepts one connection, receives
 *
 * Each side is one hcs_migrate; the live migration events are printed as
 * they come (one JSON object a line with --json). Ctrl-C cancels: the
 * source's VM runs on, the destination's is discarded. */
#include "commands.h"
#include "json_out.h"
#include "term.h"

#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
typedef SOCKET os_socket;
typedef int addr_len;
#define NO_SOCKET INVALID_SOCKET
#define close_socket closesocket
#else
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>
typedef int os_socket;
typedef socklen_t addr_len;
#define NO_SOCKET (-1)
#define close_socket close
#endif

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

typedef struct progress {
    const char *id;
    hcs_system sys;
    hcs_migration_side side;
    bool json;
    atomic_bool ended; /* MigrationDone or MigrationFailed was printed */
} progress;

static progress *running; /* for Ctrl-C */

static void on_signal(hcsctl_signal what, void *user)
{
    (void)user;
    if (what != HCSCTL_SIGNAL_RESIZE && running)
        hcs_migration_cancel(running->sys, running->side, HCS_TIMEOUT_DEFAULT, NULL);
}

/* One line per live migration event: "ID  Event  Result" or JSON. */
static void on_event(const hcs_event *ev, void *user)
{
    progress *p = user;
    if (ev->type != HCS_EVENT_LIVE_MIGRATION)
        return;
    if (p->json) {
        hcsctl_buf b = {0};
        hcsctl_buf_printf(&b, "{\"Id\":");
        hcsctl_buf_json_string(&b, p->id);
        hcsctl_buf_printf(&b, ",\"Event\":%s}", ev->data && ev->data[0] ? ev->data : "null");
        printf("%s\n", hcsctl_buf_text(&b));
        hcsctl_buf_free(&b);
    } else {
        printf("%s  %s\n", p->id, ev->data ? ev->data : "(no data)");
    }
    fflush(stdout);
    if (ev->data && (strstr(ev->data, "\"MigrationDone\"") || strstr(ev->data, "\"MigrationFailed\"")))
        atomic_store(&p->ended, true);
}

/* Events travel apart from the calls' outcomes: the last ones may come
 * after hcs_migrate returned. Waits for them a little (a queue with
 * nothing in it is the timer). */
static void await_last_event(progress *p)
{
    hcs_cq idle;
    if (hcs_cq_create(&idle, NULL) != HCS_OK)
        return;
    hcs_result r;
    for (int i = 0; i < 40 && !atomic_load(&p->ended); i++)
        if (hcs_cq_next(idle, 50, &r, NULL) == HCS_OK)
            hcs_result_clear(&r);
    hcs_cq_close(idle);
}

/* "HOST:PORT" (the last colon splits; HOST may be empty, and with
 * --listen the colon too) into its parts; PORT is a number from 0 (--listen:
 * any) or 1 (--to) to 65535. */
static bool split_address(const char *address, bool listen_side, char *host, size_t host_size, const char **port)
{
    const char *colon = strrchr(address, ':');
    const char *at = colon ? colon + 1 : address;
    size_t n = colon ? (size_t)(colon - address) : 0;
    char *end = NULL;
    unsigned long number = strtoul(at, &end, 10);
    if ((!colon && !listen_side) || !*at || *end || strspn(at, "0123456789") != strlen(at) || number > 65535 ||
        (number == 0 && !listen_side) || n >= host_size)
        return false;
    memcpy(host, address, n);
    host[n] = 0;
    *port = at;
    return true;
}

static bool sockets_ready(void)
{
#ifdef _WIN32
    WSADATA data;
    return WSAStartup(MAKEWORD(2, 2), &data) == 0;
#else
    return true;
#endif
}

static void set_blocking(os_socket s, bool blocking)
{
#ifdef _WIN32
    u_long on = blocking ? 0 : 1;
    ioctlsocket(s, (long)FIONBIO, &on); /* FIONBIO is unsigned, the parameter long */
#else
    int flags = fcntl(s, F_GETFL);
    fcntl(s, F_SETFL, blocking ? flags & ~O_NONBLOCK : flags | O_NONBLOCK);
#endif
}

/* Waits until s can accept, or its connect has ended, for at most
 * timeout_ms (0: as long as it takes). Windows reports a failed connect
 * among the exceptions, POSIX as writable. */
static bool wait_ready(os_socket s, bool connecting, uint32_t timeout_ms)
{
    fd_set ready, failed;
    FD_ZERO(&ready);
    FD_ZERO(&failed);
    FD_SET(s, &ready);
    FD_SET(s, &failed);
    struct timeval tv = {(long)(timeout_ms / 1000), (long)(timeout_ms % 1000) * 1000};
    return select((int)s + 1, connecting ? NULL : &ready, connecting ? &ready : NULL, connecting ? &failed : NULL,
                  timeout_ms ? &tv : NULL) > 0;
}

static bool connect_in_time(os_socket s, const struct addrinfo *to, uint32_t timeout_ms, bool *late)
{
    set_blocking(s, false);
    int error = 0;
    addr_len len = sizeof error;
    bool ok = connect(s, to->ai_addr, (addr_len)to->ai_addrlen) == 0;
#ifdef _WIN32
    bool pending = !ok && WSAGetLastError() == WSAEWOULDBLOCK;
#else
    bool pending = !ok && errno == EINPROGRESS;
#endif
    if (pending) {
        *late = !wait_ready(s, true, timeout_ms);
        ok = !*late && getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&error, &len) == 0 && error == 0;
    }
    set_blocking(s, true);
    return ok;
}

/* A TCP connection to, or the one accepted at, host and port (as
 * split_address gave them), waited for at most timeout_ms (0: as long as it
 * takes; *late then tells it passed). */
static os_socket open_socket(const char *host, const char *port, bool listen_side, const char *id, uint32_t timeout_ms,
                             bool *late)
{
    *late = false;
    struct addrinfo hints = {
        .ai_family = AF_INET, .ai_socktype = SOCK_STREAM, .ai_flags = listen_side ? AI_PASSIVE : 0};
    struct addrinfo *found = NULL;
    if (getaddrinfo(host[0] ? host : (listen_side ? NULL : "127.0.0.1"), port, &hints, &found) != 0 || !found)
        return NO_SOCKET;
    os_socket s = socket(found->ai_family, found->ai_socktype, found->ai_protocol);
    if (s != NO_SOCKET && !listen_side && !connect_in_time(s, found, timeout_ms, late)) {
        close_socket(s);
        s = NO_SOCKET;
    }
    if (s != NO_SOCKET && listen_side) {
        struct sockaddr_in bound;
        addr_len len = sizeof bound;
        os_socket peer = NO_SOCKET;
        if (bind(s, found->ai_addr, (addr_len)found->ai_addrlen) == 0 && listen(s, 1) == 0 &&
            getsockname(s, (struct sockaddr *)&bound, &len) == 0) {
            printf("%s  listening on %s:%u\n", id, host[0] ? host : "0.0.0.0", (unsigned)ntohs(bound.sin_port));
            fflush(stdout);
            *late = !wait_ready(s, false, timeout_ms);
            peer = *late ? NO_SOCKET : accept(s, NULL, NULL);
        }
        close_socket(s);
        s = peer;
    }
    freeaddrinfo(found);
    return s;
}

int hcsctl_migrate(hcsctl_ctx *ctx, const hcsctl_args *args)
{
    const char *id = args->positional[0], *to = hcsctl_arg_value(args, "to"),
               *listen_at = hcsctl_arg_value(args, "listen"), *session = hcsctl_arg_value(args, "session");
    if (!to == !listen_at)
        return hcsctl_usage_error(args->verb, "give exactly one of --to (the source) and --listen (the destination)");
    char *end = NULL;
    unsigned long session_id = session ? strtoul(session, &end, 10) : 1;
    if (session && (!*session || *end || session_id > UINT32_MAX))
        return hcsctl_usage_error(args->verb, "--session wants a number from 0 to 4294967295, not \"%s\"", session);
    char host[256];
    const char *port;
    if (!split_address(to ? to : listen_at, !to, host, sizeof host, &port))
        return hcsctl_usage_error(args->verb,
                                  to ? "--to wants HOST:PORT, PORT from 1 to 65535, not \"%s\""
                                     : "--listen wants [HOST:]PORT, PORT from 0 (any) to 65535, not \"%s\"",
                                  to ? to : listen_at);
    progress p = {.id = id,
                  .side = to ? HCS_MIGRATION_SOURCE : HCS_MIGRATION_DESTINATION,
                  .json = hcsctl_arg_count(args, "json") > 0};
    int rc = hcsctl_open_system(ctx, id, &p.sys);
    if (rc != HCSCTL_EXIT_OK)
        return rc;
    hcs_event_sink sink = {.callback = on_event, .user_data = &p};
    hcs_error err = HCS_ERROR_INIT;
    int32_t hr = hcs_system_subscribe(p.sys, &sink, NULL, &err);
    bool late = false;
    os_socket s = HCS_SUCCEEDED(hr) && sockets_ready()
                      ? open_socket(host, port, !to, id, ctx->globals.timeout_ms, &late)
                      : NO_SOCKET;
    if (HCS_FAILED(hr)) {
        rc = hcsctl_report(ctx, id, p.sys, &err);
    } else if (s == NO_SOCKET) {
        hcsctl_say("%s: no connection %s %s%s", id, to ? "to" : "at", to ? to : listen_at,
                   late ? " within --timeout" : "");
        rc = late ? HCSCTL_EXIT_TIMEOUT : HCSCTL_EXIT_FAILURE;
    } else {
        running = &p;
        hcsctl_signals_start(on_signal, NULL, false);
        hcs_migration_spec spec = {.side = p.side, .socket = (intptr_t)s, .session_id = (uint32_t)session_id};
        hr = hcs_migrate(p.sys, &spec, ctx->globals.timeout_ms ? ctx->globals.timeout_ms : HCS_TIMEOUT_INFINITE, &err);
        hcsctl_signals_stop();
        running = NULL;
        await_last_event(&p);
        if (HCS_SUCCEEDED(hr)) {
            printf("%s  %s\n", id, to ? "migrated" : "received, running");
            rc = HCSCTL_EXIT_OK;
        } else {
            rc = err.kind == HCS_ERROR_TIMEOUT ? HCSCTL_EXIT_TIMEOUT : hcsctl_report(ctx, id, p.sys, &err);
        }
        close_socket(s);
    }
    hcs_error_clear(&err);
    hcs_system_close(p.sys);
    return rc;
}
