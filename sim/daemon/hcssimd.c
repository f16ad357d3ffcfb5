/* hcssimd: the simulator as a host-wide service (docs/hcssimd.md). It holds
 * the simulated host (compute systems, their processes and guest programs,
 * the fault plan, the emulated build) and serves every client provider that
 * connects, as the compute service serves every computecore.dll. It runs in
 * the foreground, logs to stderr, and ends on SIGTERM or SIGINT (Windows:
 * Ctrl-C, Ctrl-Break, the console closing) or when a client asks
 * (hcssimd --stop), taking its systems with it as a host reboot would. */
#include "protocol.h"
#include "server.h"
#include "transport.h"

#include "engine.h"
#include "profile.h"
#include "system_state.h"
#include "hcssim/hcssim.h"
#include "hcs/version.h"
#include "platform/thread.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <windows.h>
#define DEFAULT_WHERE "\\\\.\\pipe\\hcssim"
#define STOPPED_BY "Ctrl-C, Ctrl-Break or hcssimd --stop"
#else
#include <signal.h>
#include <stdatomic.h>
#include <unistd.h>
#define DEFAULT_WHERE "$XDG_RUNTIME_DIR/hcssim.sock, else /tmp/hcssim-UID/hcssim.sock"
#define STOPPED_BY "SIGTERM, SIGINT or hcssimd --stop"
#endif

static void usage(FILE *to)
{
    fprintf(to, "usage: hcssimd [--socket PATH] [--profile BUILD] [--faults JSON|@FILE] [--behaviour NAME=VALUE,...]\n"
                "               [--verbose]\n"
                "       hcssimd --status [--socket PATH]\n"
                "       hcssimd --stop [--socket PATH]\n"
                "\n"
                "Runs the HCS simulator as a service for every program of this user that sets\n"
                "HCS_PROVIDER=hcssimd (libhcs) or loads hcssim-client (computecore's functions).\n"
                "\n"
                "  --socket PATH     where to listen (default: $HCSSIM_SOCKET, else\n"
                "                    " DEFAULT_WHERE ")\n"
                "  --profile BUILD   the Windows build to emulate: 1809, 1903, 2004, 2104, 21H2 (default) or 24H2\n"
                "  --faults PLAN     a fault plan, JSON or @file (docs/fault-plans.md)\n"
                "  --behaviour LIST  simulator switches (docs/simulator-fidelity.md, \"Switches\")\n"
                "  --verbose         log every client that comes and goes\n"
                "  --status          ask the running daemon what it holds, then exit\n"
                "  --stop            ask the running daemon to stop, and wait until it has\n"
                "\n" STOPPED_BY " stops it (exit status 0); its systems end with it.\n");
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

/* Connects and greets: 0 with the WELCOME in *frame and *welcome, or 1
 * (said why). */
static int greet(const char *path, wire_conn **io, uint8_t **frame, wire_msg *welcome)
{
    char why[512];
    if (hcssim__transport_connect(path, io, why, sizeof why) != 0) {
        fprintf(stderr, "hcssimd: %s\n", why);
        return 1;
    }
    wire_buf b;
    hcssim__wire_begin(&b, WIRE_HELLO, 1);
    hcssim__wire_u64(&b, hcssim__transport_own_pid());
    hcssim__wire_u64(&b, 0);
    if (exchange(*io, &b, frame, welcome) == 0 && welcome->h.type == WIRE_WELCOME)
        return 0;
    fprintf(stderr, "hcssimd: the daemon at %s did not answer as expected\n", path);
    free(*frame);
    *frame = NULL;
    hcssim__transport_close(*io);
    *io = NULL;
    return 1;
}

/* --stop: asks the daemon to stop, then waits (up to 30 s) until it no
 * longer answers, so that whoever asked may count on it being gone. */
static int stop_daemon(const char *path)
{
    wire_conn *io;
    uint8_t *hello = NULL, *answer = NULL;
    wire_msg welcome, reply;
    if (greet(path, &io, &hello, &welcome) != 0)
        return 1;
    unsigned long long pid = welcome.v[0].u;
    wire_buf b;
    hcssim__wire_begin(&b, WIRE_CONTROL, 2);
    hcssim__wire_u64(&b, WIRE_CTL_stop_daemon);
    /* The daemon may close the connection before its reply is out: an end
     * of the connection after the request went is an answer too. */
    int rc = exchange(io, &b, &answer, &reply);
    bool refused = rc == 0 && !(reply.h.type == WIRE_REPLY && hcssim__wire_expect(&reply, 0, "u") && reply.v[0].u == 0);
    free(hello);
    free(answer);
    hcssim__transport_close(io);
    if (refused) {
        fprintf(stderr, "hcssimd: the daemon at %s refused to stop\n", path);
        return 1;
    }
    for (int i = 0; i < 3000; i++) {
        char why[512];
        if (hcssim__transport_connect(path, &io, why, sizeof why) != 0) {
            fprintf(stderr, "hcssimd: the daemon (pid %llu) at %s stopped\n", pid, path);
            return 0;
        }
        hcssim__transport_close(io);
        hcs__sleep_ms(10);
    }
    fprintf(stderr, "hcssimd: the daemon (pid %llu) at %s still answers 30 s after it was asked to stop\n", pid, path);
    return 1;
}

static int status(const char *path)
{
    wire_conn *io;
    uint8_t *hello = NULL, *counts = NULL;
    wire_msg welcome, reply;
    if (greet(path, &io, &hello, &welcome) != 0)
        return 1;
    wire_buf b;
    hcssim__wire_begin(&b, WIRE_CONTROL, 2);
    hcssim__wire_u64(&b, WIRE_CTL_get_all_counts);
    int rc = exchange(io, &b, &counts, &reply);
    if (rc == 0 && reply.h.type == WIRE_REPLY && hcssim__wire_expect(&reply, 0, "uuuuuuu")) {
        printf("hcssimd pid %llu on %s: protocol %d, profile %.*s\n"
               "clients %llu, systems %llu, processes %llu, handles %llu, operations %llu, calls in flight %llu\n",
               (unsigned long long)welcome.v[0].u, path, WIRE_VERSION, (int)welcome.v[1].count,
               (const char *)welcome.v[1].bytes, (unsigned long long)reply.v[6].u - 1, /* not counting this one */
               (unsigned long long)reply.v[2].u, (unsigned long long)reply.v[3].u, (unsigned long long)reply.v[0].u,
               (unsigned long long)reply.v[4].u, (unsigned long long)reply.v[5].u);
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

/* ---- stopping ------------------------------------------------------------
 * The main thread waits for a reason to stop: a signal (POSIX), a console
 * event (Windows), or a client's stop_daemon control (hcssimd --stop). */

#ifdef _WIN32
static HANDLE stop_event;
static const char *volatile stop_reason;

static void stop_because(const char *why)
{
    InterlockedCompareExchangePointer((void *volatile *)&stop_reason, (void *)why, NULL);
    SetEvent(stop_event);
}

static BOOL WINAPI on_console(DWORD type)
{
    switch (type) {
    case CTRL_C_EVENT:
        stop_because("Ctrl-C");
        return TRUE;
    case CTRL_BREAK_EVENT:
        stop_because("Ctrl-Break");
        return TRUE;
    default:
        /* The console closes, the user logs off, Windows shuts down: the
         * process ends once this returns, so give the stop its time (the
         * main thread's exit ends this thread too). */
        stop_because("the console closed");
        Sleep(10000);
        return TRUE;
    }
}

static void stop_on_request(void) { stop_because("a client asked (hcssimd --stop)"); }

static int stop_setup(void)
{
    stop_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    return stop_event && SetConsoleCtrlHandler(on_console, TRUE) ? 0 : -1;
}

static const char *stop_wait(void)
{
    WaitForSingleObject(stop_event, INFINITE);
    return stop_reason;
}

static void set_env(const char *name, const char *value) { _putenv_s(name, value); }
#else
static sigset_t stop_signals;
static atomic_bool stop_requested;

/* The same path as a signal: SIGTERM to this process, taken by sigwait. */
static void stop_on_request(void)
{
    atomic_store(&stop_requested, true);
    kill(getpid(), SIGTERM);
}

/* Signals are taken by sigwait, in the main thread only: every thread
 * started after this inherits the mask. */
static int stop_setup(void)
{
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    signal(SIGPIPE, SIG_IGN);
    return 0;
}

static const char *stop_wait(void)
{
    int sig = 0;
    while (sigwait(&stop_signals, &sig) != 0) {
    }
    if (atomic_load(&stop_requested))
        return "a client asked (hcssimd --stop)";
    return sig == SIGINT ? "SIGINT" : "SIGTERM";
}

static void set_env(const char *name, const char *value) { setenv(name, value, 1); }
#endif

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
    bool want_status = false, want_stop = false, verbose = false;
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
        else if (strcmp(argv[i], "--stop") == 0)
            want_stop = true;
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
    if (want_stop)
        return stop_daemon(path);

    /* The simulator reads its configuration from the environment once, at
     * its first use, and stops the program on a bad value: set it before. */
    if (profile)
        set_env("HCSSIM_PROFILE", profile);
    if (behaviour)
        set_env("HCSSIM_BEHAVIOUR", behaviour);
    if (faults)
        set_env("HCSSIM_FAULTS", faults);
    hcssim__engine_get();

    if (stop_setup() != 0) {
        fprintf(stderr, "hcssimd: cannot set up its stop handling\n");
        return 1;
    }
    hcssim__server_on_stop(stop_on_request);

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
    fprintf(stderr, "hcssimd: %s: stopping\n", stop_wait());
    hcssim__transport_listener_stop(loop.listener);
    hcs__thread_join(acceptor);
    hcssim__server_stop_all(5000);
    power_off();
    hcssim__transport_listener_close(loop.listener);
    fprintf(stderr, "hcssimd: stopped\n");
    return 0;
}
