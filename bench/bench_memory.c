/* memory: what libhcs itself holds per open system, per process and per
 * pending operation, the simulator not counted (issue 14: at most 1 KiB
 * per handle).
 *
 * The heap in use is read before and after opening n objects, once through
 * raw computecore calls and once through libhcs, on the same simulator: the
 * raw run's growth is the simulator's share, so libhcs's bytes per object
 * are (libhcs growth - raw growth) / n. That charges libhcs with what the
 * simulator keeps because of libhcs's calls (its event callback
 * registration on every handle), which is libhcs's cost too.
 *
 * The pending operations are properties queries the simulator never
 * completes (hcssim_set_latency(..., HCSSIM_NEVER)), started with the
 * client's default deadline, as users call; the system's termination fails
 * them all at the end. The same run times each kickoff as the pending
 * calls pile up (bench_pending, also used by the async group). */
#define _GNU_SOURCE
#include "harness.h"

#include "hcssim/hcssim.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- systems ----------------------------------------------------------------------------- */

/* Heap bytes per open system: n containers created and held open. */
static double system_bytes(bool raw, long n)
{
    uint16_t *config = bench_w(BENCH_CONTAINER);
    hcs_system *lib = calloc((size_t)n, sizeof *lib);
    HCS_SYSTEM *handle = calloc((size_t)n, sizeof *handle);
    char(*ids)[32] = calloc((size_t)n, sizeof *ids);
    uint16_t **wids = calloc((size_t)n, sizeof *wids);
    if (!lib || !handle || !ids || !wids)
        bench_fail("out of memory");
    for (long i = 0; i < n; i++) {
        bench_id(ids[i], sizeof ids[i], "memory");
        wids[i] = bench_w(ids[i]);
    }
    size_t before = bench_heap_bytes();
    for (long i = 0; i < n; i++) {
        if (raw) {
            HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
            bench_check(HcsCreateComputeSystem(wids[i], config, op, NULL, &handle[i]), "HcsCreateComputeSystem");
            bench_raw_wait(op, NULL, "create");
            HcsCloseOperation(op);
        } else {
            bench_check(hcs_system_create(bench.client,
                                          &(hcs_system_spec){.id = ids[i], .config_json = BENCH_CONTAINER},
                                          HCS_TIMEOUT_DEFAULT, &lib[i], NULL),
                        "hcs_system_create");
        }
    }
    double per = ((double)bench_heap_bytes() - (double)before) / (double)n;
    for (long i = 0; i < n; i++) {
        if (raw)
            HcsCloseComputeSystem(handle[i]);
        else
            hcs_system_close(lib[i]);
        hcs_free(wids[i]);
    }
    free(lib);
    free(handle);
    free(ids);
    free(wids);
    hcs_free(config);
    return per;
}

/* ---- processes ------------------------------------------------------------------------------ */

/* A running container for the process and pending-call runs. */
typedef struct box {
    hcs_system sys;
    HCS_SYSTEM raw;
} box;

static box box_open(const char *tag)
{
    box b;
    char id[64];
    bench_id(id, sizeof id, tag);
    bench_check(hcs_system_create(bench.client, &(hcs_system_spec){.id = id, .config_json = BENCH_CONTAINER},
                                  HCS_TIMEOUT_DEFAULT, &b.sys, NULL),
                "create");
    bench_check(hcs_system_start(b.sys, NULL, HCS_TIMEOUT_DEFAULT, NULL), "start");
    uint16_t *wid = bench_w(id);
    bench_check(HcsOpenComputeSystem(wid, GENERIC_ALL, &b.raw), "HcsOpenComputeSystem");
    hcs_free(wid);
    return b;
}

/* Terminates the system (which ends its programs and fails calls parked on
 * it) and closes both handles. */
static void box_close(box *b)
{
    bench_check(hcs_system_terminate(b->sys, HCS_TIMEOUT_DEFAULT, NULL), "terminate");
    HcsCloseComputeSystem(b->raw);
    hcs_system_close(b->sys);
}

/* Heap bytes per open process: n processes that sleep, held open. */
static double process_bytes(bool raw, long n)
{
    const char *command = "ping -n 3600 127.0.0.1"; /* an hour: ended by the system's termination */
    box b = box_open("memory-proc");
    uint16_t *params = bench_w("{\"CommandLine\":\"ping -n 3600 127.0.0.1\"}");
    hcs_process *lib = calloc((size_t)n, sizeof *lib);
    HCS_PROCESS *handle = calloc((size_t)n, sizeof *handle);
    if (!lib || !handle)
        bench_fail("out of memory");
    size_t before = bench_heap_bytes();
    for (long i = 0; i < n; i++) {
        if (raw) {
            HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
            bench_check(HcsCreateProcess(b.raw, params, op, NULL, &handle[i]), "HcsCreateProcess");
            bench_raw_wait(op, NULL, "HcsCreateProcess");
            HcsCloseOperation(op);
        } else {
            bench_check(hcs_process_create(b.sys, &(hcs_process_spec){.command_line = command}, HCS_TIMEOUT_DEFAULT,
                                           &lib[i], NULL, NULL),
                        "hcs_process_create");
        }
    }
    double per = ((double)bench_heap_bytes() - (double)before) / (double)n;
    for (long i = 0; i < n; i++) {
        if (raw)
            HcsCloseProcess(handle[i]);
        else
            hcs_process_close(lib[i]);
    }
    box_close(&b);
    free(lib);
    free(handle);
    hcs_free(params);
    return per;
}

/* ---- pending operations ------------------------------------------------------------------- */

void bench_pending(bool raw, long n, bench_pending_result *out)
{
    box b = box_open("memory-pending");
    hcs_cq q;
    bench_check(hcs_cq_create(&q, NULL), "hcs_cq_create");
    HCS_OPERATION *ops = calloc((size_t)n, sizeof *ops);
    if (!ops)
        bench_fail("out of memory");
    long block = n / 10 > 0 ? n / 10 : 1;
    hcssim_set_latency("HcsGetComputeSystemProperties", HCSSIM_NEVER);
    size_t before = bench_heap_bytes();
    double tb = bench_now_us();
    hcs_async how = {.cq = q, .timeout_ms = HCS_TIMEOUT_DEFAULT};
    for (long i = 0; i < n; i++) {
        if (raw) {
            ops[i] = HcsCreateOperation(NULL, NULL);
            bench_check(HcsGetComputeSystemProperties(b.raw, ops[i], NULL), "HcsGetComputeSystemProperties");
        } else {
            bench_check(hcs_system_properties_async(b.sys, NULL, &how, NULL, NULL), "hcs_system_properties_async");
        }
        if ((i + 1) % block == 0) {
            double now = bench_now_us();
            if (i + 1 == block)
                out->first_us = (now - tb) / (double)block;
            out->last_us = (now - tb) / (double)block;
            tb = now;
        }
    }
    out->bytes = ((double)bench_heap_bytes() - (double)before) / (double)n;
    hcssim_set_latency("HcsGetComputeSystemProperties", 0);
    box_close(&b);
    for (long i = 0; i < n; i++) {
        if (raw) {
            PWSTR doc = NULL;
            HcsWaitForOperationResult(ops[i], INFINITE, &doc); /* fails: the system stopped */
            LocalFree(doc);
            HcsCloseOperation(ops[i]);
        } else {
            hcs_result r;
            bench_check(hcs_cq_next(q, HCS_TIMEOUT_INFINITE, &r, NULL), "hcs_cq_next");
            hcs_result_clear(&r);
        }
    }
    hcs_cq_close(q);
    free(ops);
}

/* ---- the rows ------------------------------------------------------------------------------- */

enum { MAX_REPS = 16 };

/* libhcs's bytes per object: the median over repetitions of the
 * difference between a libhcs run and a raw run. */
static double libhcs_share(double (*measure)(bool raw, long n), long n)
{
    double v[MAX_REPS];
    for (int rep = 0; rep < bench.repetitions; rep++)
        v[rep] = measure(false, n) - measure(true, n);
    return bench_median(v, (size_t)bench.repetitions);
}

static double pending_bytes(bool raw, long n)
{
    bench_pending_result r = {0};
    bench_pending(raw, n, &r);
    return r.bytes;
}

void bench_memory(void)
{
    long systems = bench_size(2000, 50), procs = bench_size(300, 10), pending = bench_size(5000, 100);
    char metric[64];
    snprintf(metric, sizeof metric, "bytes/system n=%ld", systems);
    bench_row("memory_system", metric, libhcs_share(system_bytes, systems), BENCH_NO_BASELINE,
              BENCH_AT_MOST(1024, "B"));
    snprintf(metric, sizeof metric, "bytes/process n=%ld", procs);
    bench_row("memory_process", metric, libhcs_share(process_bytes, procs), BENCH_NO_BASELINE,
              BENCH_AT_MOST(1024, "B"));
    snprintf(metric, sizeof metric, "bytes/pending call n=%ld", pending);
    bench_row("memory_pending_call", metric, libhcs_share(pending_bytes, pending), BENCH_NO_BASELINE,
              BENCH_AT_MOST(1024, "B"));
}
