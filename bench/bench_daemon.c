/* daemon: what a call costs through hcssimd against the same simulator in
 * process (docs/hcssimd.md, "Cost"): the same computecore functions, taken
 * as raw function pointers from two libhcs clients, one on the simulator
 * linked into hcsbench and one on hcssimd (provider "hcssimd", libhcs's
 * built-in client of the daemon), timed in the same run. hcsbench starts a
 * private daemon (hcssimd, built beside it) on a socket of its own and
 * stops it at the end. Both simulators run without simulated latency (the
 * daemon's is set through libhcssim-client's hcssim_set_latency), so the
 * difference between the two columns is the daemon's round trips.
 *
 * libhcssim-client is not used as the provider itself: loaded into a
 * program that links libhcssim, the computecore names it hands out would
 * bind to libhcssim's definitions (ELF interposition) and never reach the
 * daemon. */
#define _GNU_SOURCE
#include "harness.h"

#include "hcssim/hcssim.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

enum { MAX_REPS = 16 };

typedef struct api {
    __typeof__(&HcsCreateOperation) create_op;
    __typeof__(&HcsCloseOperation) close_op;
    __typeof__(&HcsWaitForOperationResult) wait;
    __typeof__(&HcsGetServiceProperties) service;
    __typeof__(&HcsCreateComputeSystem) create;
    __typeof__(&HcsStartComputeSystem) start;
    __typeof__(&HcsTerminateComputeSystem) terminate;
    __typeof__(&HcsCloseComputeSystem) close_sys;
    __typeof__(&HcsGetComputeSystemProperties) props;
    __typeof__(&HcsCreateProcess) create_process;
    __typeof__(&HcsGetOperationResultAndProcessInfo) result_info;
    __typeof__(&HcsCloseProcess) close_process;
    HLOCAL (*local_free)(HLOCAL);
    hcs_client client;
    uint16_t *query, *config, *params;
} api;

static void lookup(hcs_client c, const char *name, void *fn)
{
    void (*f)(void) = hcs_client_raw_function(c, name);
    if (!f)
        bench_fail("the provider lacks %s", name);
    memcpy(fn, &f, sizeof f);
}

static void api_open(api *a, const char *provider)
{
    hcs_error err = HCS_ERROR_INIT;
    if (hcs_client_open(&(hcs_client_options){.provider = provider}, &a->client, &err) != HCS_OK)
        bench_fail("cannot open a client on %s: %s", provider, err.message);
    lookup(a->client, "HcsCreateOperation", &a->create_op);
    lookup(a->client, "HcsCloseOperation", &a->close_op);
    lookup(a->client, "HcsWaitForOperationResult", &a->wait);
    lookup(a->client, "HcsGetServiceProperties", &a->service);
    lookup(a->client, "HcsCreateComputeSystem", &a->create);
    lookup(a->client, "HcsStartComputeSystem", &a->start);
    lookup(a->client, "HcsTerminateComputeSystem", &a->terminate);
    lookup(a->client, "HcsCloseComputeSystem", &a->close_sys);
    lookup(a->client, "HcsGetComputeSystemProperties", &a->props);
    lookup(a->client, "HcsCreateProcess", &a->create_process);
    lookup(a->client, "HcsGetOperationResultAndProcessInfo", &a->result_info);
    lookup(a->client, "HcsCloseProcess", &a->close_process);
    lookup(a->client, "LocalFree", &a->local_free);
    a->query = bench_w("{\"PropertyTypes\":[\"Basic\"]}");
    a->config = bench_w(BENCH_CONTAINER);
    a->params = bench_w("{\"CommandLine\":\"cmd /c exit 0\",\"CreateStdInPipe\":true,\"CreateStdOutPipe\":true,"
                        "\"CreateStdErrPipe\":true}");
}

static void api_close(api *a)
{
    hcs_free(a->query);
    hcs_free(a->config);
    hcs_free(a->params);
    hcs_client_close(a->client);
}

/* Waits for op through the provider's own function; fails the run on an error. */
static void wait_op(const api *a, HCS_OPERATION op, const char *what)
{
    PWSTR doc = NULL;
    HRESULT hr = a->wait(op, INFINITE, &doc);
    a->local_free(doc);
    bench_check(hr, what);
}

/* ---- the calls --------------------------------------------------------------------------- */

typedef struct target {
    api *a;
    HCS_SYSTEM sys; /* a running container */
} target;

static void call_service(target *t)
{
    PWSTR doc = NULL;
    bench_check(t->a->service(t->a->query, &doc), "HcsGetServiceProperties");
    t->a->local_free(doc);
}

static void call_properties(target *t)
{
    HCS_OPERATION op = t->a->create_op(NULL, NULL);
    bench_check(t->a->props(t->sys, op, NULL), "HcsGetComputeSystemProperties");
    wait_op(t->a, op, "properties");
    t->a->close_op(op);
}

/* A process with its three pipes, which the daemon hands over (SCM_RIGHTS). */
static void call_process(target *t)
{
    const api *a = t->a;
    HCS_OPERATION op = a->create_op(NULL, NULL);
    HCS_PROCESS proc = NULL;
    HCS_PROCESS_INFORMATION info;
    bench_check(a->create_process(t->sys, a->params, op, NULL, &proc), "HcsCreateProcess");
    wait_op(a, op, "HcsCreateProcess");
    bench_check(a->result_info(op, &info, NULL), "HcsGetOperationResultAndProcessInfo");
    HANDLE pipes[3] = {info.StdInput, info.StdOutput, info.StdError};
    for (int i = 0; i < 3; i++)
        if (pipes[i])
            close((int)((intptr_t)pipes[i] - 1)); /* the POSIX handle encoding, hcs/computecore.h */
    a->close_op(op);
    a->close_process(proc);
}

static void call_lifecycle(target *t)
{
    const api *a = t->a;
    char id[64];
    bench_id(id, sizeof id, "daemon-life");
    uint16_t *wid = bench_w(id);
    HCS_OPERATION op = a->create_op(NULL, NULL);
    HCS_SYSTEM sys = NULL;
    bench_check(a->create(wid, a->config, op, NULL, &sys), "HcsCreateComputeSystem");
    wait_op(a, op, "create");
    bench_check(a->start(sys, op, NULL), "HcsStartComputeSystem");
    wait_op(a, op, "start");
    bench_check(a->terminate(sys, op, NULL), "HcsTerminateComputeSystem");
    wait_op(a, op, "terminate");
    a->close_op(op);
    a->close_sys(sys);
    hcs_free(wid);
}

static HCS_SYSTEM running_system(const api *a)
{
    char id[64];
    bench_id(id, sizeof id, "daemon");
    uint16_t *wid = bench_w(id);
    HCS_OPERATION op = a->create_op(NULL, NULL);
    HCS_SYSTEM sys = NULL;
    bench_check(a->create(wid, a->config, op, NULL, &sys), "HcsCreateComputeSystem");
    wait_op(a, op, "create");
    bench_check(a->start(sys, op, NULL), "HcsStartComputeSystem");
    wait_op(a, op, "start");
    a->close_op(op);
    hcs_free(wid);
    return sys;
}

/* ---- the daemon ----------------------------------------------------------------------------- */

/* The daemon while it runs, stopped at exit if the run fails first. */
static pid_t daemon_pid;

static void kill_daemon(void)
{
    if (daemon_pid > 0)
        kill(daemon_pid, SIGTERM);
}

static pid_t start_daemon(const char *socket_path)
{
    char exe[4200], log[4200];
    snprintf(exe, sizeof exe, "%s/hcssimd", bench.bin_dir);
    snprintf(log, sizeof log, "%s/hcssimd.log", bench.out_dir);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    char *argv[] = {exe, "--socket", (char *)socket_path, NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, exe, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        bench_fail("cannot start %s", exe);
    daemon_pid = pid;
    atexit(kill_daemon);
    setenv("HCSSIM_SOCKET", socket_path, 1);
    /* Ready once a client can connect (a hang guard, not a timing). */
    for (int tries = 0; tries < 400; tries++) {
        hcs_client c;
        if (hcs_client_open(&(hcs_client_options){.provider = "hcssimd"}, &c, NULL) == HCS_OK) {
            hcs_client_close(c);
            return pid;
        }
        usleep(25000);
    }
    bench_fail("hcssimd did not answer on %s (log: %s)", socket_path, log);
}

static void stop_daemon(pid_t pid, const char *socket_path)
{
    int status = 0;
    kill(pid, SIGTERM);
    daemon_pid = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        bench_fail("hcssimd did not stop cleanly (status 0x%x)", (unsigned)status);
    unlink(socket_path);
}

/* Sets the daemon's latency for every call, through the client library's
 * control function (its own, found in it: RTLD_LOCAL keeps its names out
 * of everyone else's way). */
static void set_daemon_latency(unsigned ms)
{
    void *lib = dlopen(HCSBENCH_CLIENT_PROVIDER, RTLD_NOW | RTLD_LOCAL);
    void *sym = lib ? dlsym(lib, "hcssim_set_latency") : NULL;
    __typeof__(&hcssim_set_latency) set;
    memcpy(&set, &sym, sizeof set);
    if (!set || set(NULL, ms) != 0)
        bench_fail("cannot set hcssimd's latency");
    /* Stays loaded: its connection to the daemon has a thread of its own. */
}

/* ---- the rows ----------------------------------------------------------------------------- */

/* The p50 of n calls, median over repetitions. */
static double p50(void (*call)(target *), target *t, int n)
{
    double v[MAX_REPS];
    bench_samples s = {0};
    for (int i = 0; i < n / 4 + 1; i++)
        call(t); /* warm-up */
    for (int rep = 0; rep < bench.repetitions; rep++) {
        bench_samples_clear(&s);
        for (int i = 0; i < n; i++) {
            double t0 = bench_now_us();
            call(t);
            bench_samples_add(&s, bench_now_us() - t0);
        }
        v[rep] = bench_samples_pct(&s, 50);
    }
    bench_samples_free(&s);
    return bench_median(v, (size_t)bench.repetitions);
}

void bench_daemon(void)
{
    char socket_path[128];
    const char *tmp = getenv("TMPDIR");
    snprintf(socket_path, sizeof socket_path, "%s/hcsbench-%ld.sock", tmp && *tmp ? tmp : "/tmp", (long)getpid());
    pid_t pid = start_daemon(socket_path);
    api embedded, daemon;
    api_open(&embedded, HCSBENCH_SIM_PROVIDER);
    api_open(&daemon, "hcssimd");
    set_daemon_latency(0);
    target te = {&embedded, running_system(&embedded)}, td = {&daemon, running_system(&daemon)};

    struct {
        const char *name;
        void (*call)(target *);
        int calls;
    } kinds[] = {
        {"daemon_service_properties", call_service, (int)bench_size(400, 10)},
        {"daemon_system_properties", call_properties, (int)bench_size(200, 10)},
        {"daemon_process_create", call_process, (int)bench_size(100, 5)},
        {"daemon_lifecycle", call_lifecycle, (int)bench_size(40, 3)},
    };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        double d = p50(kinds[k].call, &td, kinds[k].calls), e = p50(kinds[k].call, &te, kinds[k].calls);
        bench_row(kinds[k].name, "us p50 vs in process", d, e, BENCH_NO_TARGET);
    }

    HCS_OPERATION op = embedded.create_op(NULL, NULL);
    embedded.terminate(te.sys, op, NULL);
    wait_op(&embedded, op, "terminate");
    embedded.close_op(op);
    embedded.close_sys(te.sys);
    op = daemon.create_op(NULL, NULL);
    daemon.terminate(td.sys, op, NULL);
    wait_op(&daemon, op, "terminate");
    daemon.close_op(op);
    daemon.close_sys(td.sys);
    api_close(&embedded);
    api_close(&daemon);
    stop_daemon(pid, socket_path);
}
