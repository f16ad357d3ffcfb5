/* hcssimd: the simulator as a host-wide service (docs/hcssimd.md). It holds
 * the simulated host (compute systems, their processes and guest programs,
 * the fault plan, the emulated build) and serves every client provider that
 * connects, as the compute service serves every computecore.dll. It runs in
 * the foreground, logs to stderr, and ends on SIGTERM or SIGINT, taking its
 * systems with it as a host reboot would. */
#include "protocol.h"
#include "server.h"
#include "transport.h"

#include "engine.h"
#include "profile.h"
#include "system_state.h"
#include "hcssim/hcssim.h"
#include "hcs/version.h"
#include "platform/thread.h"

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *to)
{
    fprintf(to, "usage: hcssimd [--socket PATH] [--profile BUILD] [--faults JSON|@FILE] [--behaviour NAME=VALUE,...]\n"
                "               [--verbose]\n"
                "       hcssimd --status [--socket PATH]\n"
                "\n"
                "Runs the HCS simulator as a service for every program of this user that sets\n"
                "HCS_PROVIDER=hcssimd (libhcs) or loads libhcssim-client (computecore's functions).\n"
                "\n"
                "  --socket PATH     where to listen (default: $HCSSIM_SOCKET, else\n"
                "                    $XDG_RUNTIME_DIR/hcssim.sock, else /tmp/hcssim-UID/hcssim.sock)\n"
                "  --profile BUILD   the Windows build to emulate: 1809, 1903, 2004, 2104 or 21H2 (default)\n"
                "  --faults PLAN     a fault plan, JSON or @file (docs/fault-plans.md)\n"
                "  --behaviour LIST  simulator switches (docs/simulator-fidelity.md, \"Switches\")\n"
                "  --verbose         log every client that comes and goes\n"
                "  --status          ask the running daemon what it holds, then exit\n"
                "\n"
                "SIGTERM or SIGINT stops it (exit status 0); its systems end with it.\n");
}

/* ---- --status: a client of its own, protocol only -------------------- */

static int exchange(wire_conn *io, wire_buf *b, uint8_t **frame, wire_msg *m)
{
    *frame = NULL;
    if (hcssim__wire_end(b, 0) != 0 || hcssim__transport_send(io, b->data, b->len, NULL, 0) != 0) {
        hcssim__wire_free(b);
        return -1;
    }
    hcssim__wire_free(b);
    uint8_t head[WIRE_HEADER_SIZE];
    wire_header h;
    unsigned n = 0;
    if (hcssim__transport_recv(io, head, sizeof head, NULL, &n, 0) != 0 ||
        hcssim__wire_decode_header(head, &h) != WIRE_OK)
        return -1;
    *frame = malloc(WIRE_HEADER_SIZE + (size_t)h.length);
    if (!*frame)
        return -1;
    memcpy(*frame, head, sizeof head);
    if (hcssim__transport_recv(io, *frame + WIRE_HEADER_SIZE, h.length, NULL, &n, 0) != 0)
        return -1;
    return hcssim__wire_decode(*frame, WIRE_HEADER_SIZE + (size_t)h.length, m) == WIRE_OK ? 0 : -1;
}

static int status(const char *path)
{
    char why[512];
    wire_conn *io;
    if (hcssim__transport_connect(path, &io, why, sizeof why) != 0) {
        fprintf(stderr, "hcssimd: %s\n", why);
        return 1;
    }
    wire_buf b;
    uint8_t *hello = NULL, *counts = NULL;
    wire_msg welcome, reply;
    hcssim__wire_begin(&b, WIRE_HELLO, 1);
    hcssim__wire_u64(&b, hcssim__transport_own_pid());
    hcssim__wire_u64(&b, 0);
    int rc = exchange(io, &b, &hello, &welcome);
    if (rc == 0 && welcome.h.type == WIRE_WELCOME) {
        hcssim__wire_begin(&b, WIRE_CONTROL, 2);
        hcssim__wire_u64(&b, WIRE_CTL_get_counts);
        rc = exchange(io, &b, &counts, &reply);
    } else {
        rc = -1;
    }
    if (rc == 0 && reply.h.type == WIRE_REPLY && hcssim__wire_expect(&reply, 0, "uuuuu")) {
        printf("hcssimd pid %llu on %s: protocol %d, profile %.*s\n"
               "clients %llu, systems %llu, processes %llu, handles %llu\n",
               (unsigned long long)welcome.v[0].u, path, WIRE_VERSION, (int)welcome.v[1].count,
               (const char *)welcome.v[1].bytes, (unsigned long long)reply.v[4].u - 1, /* not counting this one */
               (unsigned long long)reply.v[2].u, (unsigned long long)reply.v[3].u, (unsigned long long)reply.v[0].u);
    } else {
        fprintf(stderr, "hcssimd: the daemon at %s did not answer as expected\n", path);
        rc = 1;
    }
    free(hello);
    free(counts);
    hcssim__transport_close(io);
    return rc == 0 ? 0 : 1;
}

/* ---- serving ------------------------------------------------------------ */

typedef struct accept_loop {
    wire_listener *listener;
    bool verbose;
} accept_loop;

static void accept_clients(void *arg)
{
    accept_loop *a = arg;
    for (;;) {
        char why[256];
        wire_conn *io;
        int rc = hcssim__transport_accept(a->listener, &io, why, sizeof why);
        if (rc < 0)
            break; /* stopped */
        if (rc > 0) {
            fprintf(stderr, "hcssimd: %s\n", why);
            continue;
        }
        if (hcssim__server_start(io, a->verbose) != 0)
            fprintf(stderr, "hcssimd: cannot serve a client: out of threads\n");
    }
}

/* The host goes down: every system ends, its guest programs with it. */
static void power_off(void)
{
    sim_engine *e = hcssim__engine_get();
    hcs__mutex_lock(&e->mu);
    for (sim_system *sys = e->systems, *next; sys; sys = next) {
        next = sys->next;
        hcssim__system_retain(sys); /* the registry's reference goes with the exit */
        hcssim__system_exit(sys, S_OK, "ForcedExit", NULL);
        hcssim__system_release(sys);
    }
    hcs__mutex_unlock(&e->mu);
    /* Their guest programs end on threads of their own: a short wait lets
     * them go before the process does. */
    hcssim_counts counts;
    for (int i = 0; i < 100; i++) {
        hcssim_get_counts(&counts);
        if (counts.processes == 0)
            break;
        hcs__sleep_ms(20);
    }
}

static const char *value_of(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc) {
        fprintf(stderr, "hcssimd: %s needs a value\n", argv[*i]);
        exit(2);
    }
    return argv[++*i];
}

int main(int argc, char **argv)
{
    const char *socket_path = NULL, *profile = NULL, *faults = NULL, *behaviour = NULL;
    bool want_status = false, verbose = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--socket") == 0)
            socket_path = value_of(argc, argv, &i);
        else if (strcmp(argv[i], "--profile") == 0)
            profile = value_of(argc, argv, &i);
        else if (strcmp(argv[i], "--faults") == 0)
            faults = value_of(argc, argv, &i);
        else if (strcmp(argv[i], "--behaviour") == 0 || strcmp(argv[i], "--behavior") == 0)
            behaviour = value_of(argc, argv, &i);
        else if (strcmp(argv[i], "--status") == 0)
            want_status = true;
        else if (strcmp(argv[i], "--verbose") == 0)
            verbose = true;
        else if (strcmp(argv[i], "--version") == 0) {
            printf("hcssimd %s (protocol %d)\n", HCS_VERSION_STRING, WIRE_VERSION);
            return 0;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "hcssimd: unknown argument \"%s\"\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    char path[1024], why[512];
    if (socket_path)
        snprintf(path, sizeof path, "%s", socket_path);
    else if (hcssim__transport_default_path(path, sizeof path, why, sizeof why) != 0) {
        fprintf(stderr, "hcssimd: %s\n", why);
        return 1;
    }
    if (want_status)
        return status(path);

    /* The simulator reads its configuration from the environment once, at
     * its first use, and stops the program on a bad value: set it before. */
    if (profile)
        setenv("HCSSIM_PROFILE", profile, 1);
    if (behaviour)
        setenv("HCSSIM_BEHAVIOUR", behaviour, 1);
    if (faults)
        setenv("HCSSIM_FAULTS", faults, 1);
    hcssim__engine_get();

    /* Signals are taken by sigwait below, in this thread only: every thread
     * started from here on inherits the mask. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    accept_loop loop = {.verbose = verbose};
    if (hcssim__transport_listen(path, &loop.listener, why, sizeof why) != 0) {
        fprintf(stderr, "hcssimd: %s\n", why);
        return 1;
    }
    fprintf(stderr, "hcssimd: listening on %s (pid %llu, profile %s, protocol %d)\n", path,
            (unsigned long long)hcssim__transport_own_pid(), hcssim__profile_current()->name, WIRE_VERSION);
    hcs_thread acceptor;
    if (hcs__thread_start(&acceptor, accept_clients, &loop) != 0) {
        fprintf(stderr, "hcssimd: cannot start a thread\n");
        hcssim__transport_listener_close(loop.listener);
        return 1;
    }
    int sig = 0;
    while (sigwait(&stop, &sig) != 0) {
    }
    fprintf(stderr, "hcssimd: %s: stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    hcssim__transport_listener_stop(loop.listener);
    hcs__thread_join(acceptor);
    hcssim__server_stop_all(5000);
    power_off();
    hcssim__transport_listener_close(loop.listener);
    fprintf(stderr, "hcssimd: stopped\n");
    return 0;
}
