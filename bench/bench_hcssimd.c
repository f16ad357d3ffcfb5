/* What a call costs through hcssimd against the simulator embedded in
 * libhcs (docs/hcssimd.md, "Cost"): the same computecore functions, taken
 * from two libhcs clients (providers "embedded" and "hcssimd"), timed in
 * the same run. Needs a running daemon (HCSSIM_SOCKET or the default
 * socket); `--quick` runs few iterations (the test only checks that it
 * runs). */
#include <hcs/computecore.h>
#include <hcs/hcs.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Microseconds of a monotonic clock (POSIX: the daemon is not built elsewhere yet). */
static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

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
} api;

#define LOOKUP(c, field, name) memcpy(&a->field, &(void (*)(void)){hcs_client_raw_function(c, name)}, sizeof a->field)

static int load(const char *provider, hcs_client *c, api *a)
{
    hcs_error err = HCS_ERROR_INIT;
    if (hcs_client_open(&(hcs_client_options){.provider = provider}, c, &err) != HCS_OK) {
        fprintf(stderr, "bench_hcssimd: %s\n", err.message);
        hcs_error_clear(&err);
        return -1;
    }
    LOOKUP(*c, create_op, "HcsCreateOperation");
    LOOKUP(*c, close_op, "HcsCloseOperation");
    LOOKUP(*c, wait, "HcsWaitForOperationResult");
    LOOKUP(*c, service, "HcsGetServiceProperties");
    LOOKUP(*c, create, "HcsCreateComputeSystem");
    LOOKUP(*c, start, "HcsStartComputeSystem");
    LOOKUP(*c, terminate, "HcsTerminateComputeSystem");
    LOOKUP(*c, close_sys, "HcsCloseComputeSystem");
    LOOKUP(*c, props, "HcsGetComputeSystemProperties");
    LOOKUP(*c, create_process, "HcsCreateProcess");
    LOOKUP(*c, result_info, "HcsGetOperationResultAndProcessInfo");
    LOOKUP(*c, close_process, "HcsCloseProcess");
    LOOKUP(*c, local_free, "LocalFree");
    return 0;
}

static uint16_t *w(const char *s)
{
    uint16_t *out = NULL;
    hcs_utf8_to_utf16(s, &out, NULL);
    return out;
}

/* Microseconds per call of each kind, over n calls. */
typedef struct timing {
    double service_us, properties_us, process_us, lifecycle_us;
} timing;

static void bench(const api *a, const char *tag, int n, timing *t)
{
    uint16_t *query = w("{\"PropertyTypes\":[\"Basic\"]}");
    uint16_t *config = w("{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Container\":{}}");
    uint16_t *params = w("{\"CommandLine\":\"cmd /c exit 0\"}");
    char id[64];
    double t0 = now_us();
    for (int i = 0; i < n; i++) {
        PWSTR doc = NULL;
        a->service(query, &doc);
        a->local_free(doc);
    }
    double t1 = now_us();
    t->service_us = (t1 - t0) / n;

    snprintf(id, sizeof id, "bench-%s", tag);
    uint16_t *wid = w(id);
    HCS_OPERATION op = a->create_op(NULL, NULL);
    HCS_SYSTEM sys = NULL;
    a->create(wid, config, op, NULL, &sys);
    a->wait(op, INFINITE, NULL);
    a->start(sys, op, NULL);
    a->wait(op, INFINITE, NULL);
    t0 = now_us();
    for (int i = 0; i < n; i++) {
        PWSTR doc = NULL;
        a->props(sys, op, NULL);
        a->wait(op, INFINITE, &doc);
        a->local_free(doc);
    }
    t1 = now_us();
    t->properties_us = (t1 - t0) / n;

    t0 = now_us();
    for (int i = 0; i < n / 4 + 1; i++) {
        HCS_PROCESS proc = NULL;
        HCS_PROCESS_INFORMATION info;
        a->create_process(sys, params, op, NULL, &proc);
        a->wait(op, INFINITE, NULL);
        a->result_info(op, &info, NULL);
        a->close_process(proc);
    }
    t1 = now_us();
    t->process_us = (t1 - t0) / (n / 4 + 1);
    a->terminate(sys, op, NULL);
    a->wait(op, INFINITE, NULL);
    a->close_sys(sys);
    free(wid);

    t0 = now_us();
    for (int i = 0; i < n / 4 + 1; i++) {
        snprintf(id, sizeof id, "bench-%s-%d", tag, i);
        wid = w(id);
        a->create(wid, config, op, NULL, &sys);
        a->wait(op, INFINITE, NULL);
        a->start(sys, op, NULL);
        a->wait(op, INFINITE, NULL);
        a->terminate(sys, op, NULL);
        a->wait(op, INFINITE, NULL);
        a->close_sys(sys);
        free(wid);
    }
    t1 = now_us();
    t->lifecycle_us = (t1 - t0) / (n / 4 + 1);
    a->close_op(op);
    free(query);
    free(config);
    free(params);
}

int main(int argc, char **argv)
{
    int n = argc > 1 && strcmp(argv[1], "--quick") == 0 ? 20 : 2000;
    hcs_client embedded_client, daemon_client;
    api embedded, daemon;
    if (load("embedded", &embedded_client, &embedded) != 0 || load("hcssimd", &daemon_client, &daemon) != 0)
        return 1;
    timing e, d;
    bench(&embedded, "embedded", n, &e);
    bench(&daemon, "daemon", n, &d);
    printf("per call (mean over %d; the simulator's own latency, 1 ms per request, 5 ms per create, included)\n", n);
    printf("%-44s %12s %12s %8s\n", "", "embedded", "hcssimd", "extra");
    printf("%-44s %10.1f us %10.1f us %6.1f us\n", "HcsGetServiceProperties (sync)", e.service_us, d.service_us,
           d.service_us - e.service_us);
    printf("%-44s %10.1f us %10.1f us %6.1f us\n", "HcsGetComputeSystemProperties + wait", e.properties_us,
           d.properties_us, d.properties_us - e.properties_us);
    printf("%-44s %10.1f us %10.1f us %6.1f us\n", "HcsCreateProcess + wait (stdio handed over)", e.process_us,
           d.process_us, d.process_us - e.process_us);
    printf("%-44s %10.1f us %10.1f us %6.1f us\n", "create, start, terminate, close a system", e.lifecycle_us,
           d.lifecycle_us, d.lifecycle_us - e.lifecycle_us);
    hcs_client_close(embedded_client);
    hcs_client_close(daemon_client);
    return 0;
}
