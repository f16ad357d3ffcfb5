/* scale: how the cost of one operation grows with the number of systems on
 * the host (issue 14): create, open, properties, enumerate and close at 1k,
 * 10k and 100k systems, raw computecore and libhcs, each on an otherwise
 * empty simulator; and processes created and waited for, 1k and 10k in a
 * row in one system. A row's baseline is the same operation's per-item
 * time at 1k; the goal is a flat cost (100k/1k <= 1.5).
 *
 * One run per size and path (the 1k tier, the baseline, nine runs spread
 * over the group: its median):
 *  - create n containers one after another (timed per block of n/20, which
 *    draws the chart's curve of create time against systems present);
 *  - open and query 500 systems picked at random (a fresh handle, closed
 *    again; a properties query through the handle of the create);
 *  - enumerate every system (median of three);
 *  - close every handle, which removes the system
 *    (ShouldTerminateOnLastHandleClosed).
 * A create phase that outgrows its time budget stops early and its rows
 * say how far it got: an O(n) lookup makes 100k creates quadratic, and a
 * benchmark that runs for an hour is not run. Quick mode divides the sizes
 * by 50. */
#include "harness.h"

#include "hcssim/hcssim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_REPS = 16, PICKS = 500, BLOCKS = 20 };

typedef struct host {
    bool raw;
    long want, n;       /* systems asked for, and created */
    char (*ids)[32];    /* their ids */
    uint16_t **wids;    /* ... in UTF-16 */
    hcs_system *lib;    /* libhcs's handles */
    HCS_SYSTEM *handle; /* raw handles */
} host;

enum op { CREATE, OPEN, PROPERTIES, ENUMERATE, CLOSE, OPS };
static const char *const op_names[OPS] = {"create", "open", "properties", "enumerate", "close"};

/* Per-item microseconds of each operation in one run. */
typedef struct costs {
    long n; /* systems the run reached */
    double us[OPS];
} costs;

static uint16_t *config;

/* ---- the operations, raw and libhcs ---------------------------------------------------- */

static void create_one(host *h, long i)
{
    if (h->raw) {
        HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
        bench_check(HcsCreateComputeSystem(h->wids[i], config, op, NULL, &h->handle[i]), "HcsCreateComputeSystem");
        bench_raw_wait(op, NULL, "create");
        HcsCloseOperation(op);
    } else {
        bench_check(hcs_system_create(bench.client, &(hcs_system_spec){.id = h->ids[i], .config_json = BENCH_CONTAINER},
                                      HCS_TIMEOUT_DEFAULT, &h->lib[i], NULL),
                    "hcs_system_create");
    }
}

static void open_one(host *h, long i)
{
    if (h->raw) {
        HCS_SYSTEM sys;
        bench_check(HcsOpenComputeSystem(h->wids[i], GENERIC_ALL, &sys), "HcsOpenComputeSystem");
        HcsCloseComputeSystem(sys);
    } else {
        hcs_system sys;
        bench_check(hcs_system_open(bench.client, h->ids[i], &sys, NULL), "hcs_system_open");
        hcs_system_close(sys);
    }
}

static void properties_one(host *h, long i)
{
    if (h->raw) {
        HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
        bench_check(HcsGetComputeSystemProperties(h->handle[i], op, NULL), "HcsGetComputeSystemProperties");
        bench_raw_wait(op, NULL, "properties");
        HcsCloseOperation(op);
    } else {
        char *json = NULL;
        bench_check(hcs_system_properties_json(h->lib[i], NULL, HCS_TIMEOUT_DEFAULT, &json, NULL), "properties");
        hcs_free(json);
    }
}

static void enumerate_all(host *h)
{
    if (h->raw) {
        HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
        bench_check(HcsEnumerateComputeSystems(NULL, op), "HcsEnumerateComputeSystems");
        bench_raw_wait(op, NULL, "enumerate");
        HcsCloseOperation(op);
    } else {
        char *json = NULL;
        bench_check(hcs_system_enumerate_json(bench.client, NULL, HCS_TIMEOUT_DEFAULT, &json, NULL), "enumerate");
        hcs_free(json);
    }
}

static void close_one(host *h, long i)
{
    if (h->raw)
        HcsCloseComputeSystem(h->handle[i]);
    else
        hcs_system_close(h->lib[i]);
}

/* ---- one run ------------------------------------------------------------------------------- */

static void host_init(host *h, bool raw, long want)
{
    *h = (host){.raw = raw, .want = want};
    h->ids = calloc((size_t)want, sizeof *h->ids);
    h->wids = calloc((size_t)want, sizeof *h->wids);
    h->lib = calloc((size_t)want, sizeof *h->lib);
    h->handle = calloc((size_t)want, sizeof *h->handle);
    if (!h->ids || !h->wids || !h->lib || !h->handle)
        bench_fail("out of memory");
    for (long i = 0; i < want; i++) {
        bench_id(h->ids[i], sizeof h->ids[i], raw ? "scale-raw" : "scale-lib");
        h->wids[i] = bench_w(h->ids[i]);
    }
}

static void host_free(host *h)
{
    for (long i = 0; i < h->want; i++)
        hcs_free(h->wids[i]);
    free(h->ids);
    free(h->wids);
    free(h->lib);
    free(h->handle);
}

/* Creates up to h->want systems, stopping when budget_us has passed;
 * records the curve (per-create time against systems present) when
 * series is given. Returns microseconds per create. */
static double create_phase(host *h, double budget_us, const char *series)
{
    long block = h->want / BLOCKS > 0 ? h->want / BLOCKS : 1;
    double t0 = bench_now_us(), tb = t0;
    for (h->n = 0; h->n < h->want;) {
        create_one(h, h->n);
        h->n++;
        if (h->n % block == 0 || h->n == h->want) {
            double now = bench_now_us();
            if (series)
                bench_scale_point(series, (double)h->n, (now - tb) / (double)(h->n % block ? h->n % block : block));
            tb = now;
            if (now - t0 > budget_us && h->n < h->want) {
                bench_note("  %s: stopped at %ld of %ld systems (time budget)", h->raw ? "raw" : "libhcs", h->n,
                           h->want);
                break;
            }
        }
    }
    return (bench_now_us() - t0) / (double)h->n;
}

static double picks_phase(host *h, void (*op)(host *, long))
{
    long picks = h->n < PICKS ? h->n : PICKS;
    double t0 = bench_now_us();
    for (long k = 0; k < picks; k++)
        op(h, (long)((unsigned long)rand() % (unsigned long)h->n));
    return (bench_now_us() - t0) / (double)picks;
}

static double enumerate_phase(host *h)
{
    double t[3];
    for (int k = 0; k < 3; k++) {
        double t0 = bench_now_us();
        enumerate_all(h);
        t[k] = (bench_now_us() - t0) / (double)h->n;
    }
    return bench_median(t, 3);
}

static double close_phase(host *h)
{
    double t0 = bench_now_us();
    for (long i = 0; i < h->n; i++)
        close_one(h, i);
    return (bench_now_us() - t0) / (double)h->n;
}

static costs run(bool raw, long want, double budget_us, const char *series)
{
    host h;
    host_init(&h, raw, want);
    costs c = {0};
    c.us[CREATE] = create_phase(&h, budget_us, series);
    c.n = h.n;
    c.us[OPEN] = picks_phase(&h, open_one);
    c.us[PROPERTIES] = picks_phase(&h, properties_one);
    c.us[ENUMERATE] = enumerate_phase(&h);
    c.us[CLOSE] = close_phase(&h);
    host_free(&h);
    return c;
}

/* The baseline tier's runs, spread over the group (a third before the
 * 10k tier, a third between 10k and 100k, a third after), so that a busy
 * spell of the machine does not move the baseline alone. */
typedef struct baseline {
    long want, runs;
    long n;
    double us[OPS][3 * MAX_REPS];
} baseline;

static void baseline_runs(baseline *b, bool raw, int reps)
{
    for (int r = 0; r < reps && b->runs < 3 * MAX_REPS; r++) {
        costs c = run(raw, b->want, 1e12, NULL);
        b->n = c.n;
        for (int k = 0; k < OPS; k++)
            b->us[k][b->runs] = c.us[k];
        b->runs++;
    }
}

static costs baseline_median(baseline *b)
{
    costs c = {.n = b->n};
    for (int k = 0; k < OPS; k++)
        c.us[k] = bench_median(b->us[k], (size_t)b->runs);
    return c;
}

/* ---- processes ---------------------------------------------------------------------------- */

/* Microseconds per process created, waited for and closed, n in a row in
 * one running system. */
static double processes(bool raw, long n)
{
    char id[64];
    bench_id(id, sizeof id, "scale-proc");
    hcs_system sys;
    bench_check(hcs_system_create(bench.client, &(hcs_system_spec){.id = id, .config_json = BENCH_CONTAINER},
                                  HCS_TIMEOUT_DEFAULT, &sys, NULL),
                "create");
    bench_check(hcs_system_start(sys, NULL, HCS_TIMEOUT_DEFAULT, NULL), "start");
    uint16_t *wid = bench_w(id);
    uint16_t *params = bench_w("{\"CommandLine\":\"cmd /c exit 0\"}");
    HCS_SYSTEM handle;
    bench_check(HcsOpenComputeSystem(wid, GENERIC_ALL, &handle), "HcsOpenComputeSystem");
    double t0 = bench_now_us();
    for (long i = 0; i < n; i++) {
        if (raw) {
            HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
            HCS_PROCESS proc;
            bench_check(HcsCreateProcess(handle, params, op, NULL, &proc), "HcsCreateProcess");
            bench_raw_wait(op, NULL, "HcsCreateProcess");
            HcsCloseOperation(op);
            PWSTR status = NULL;
            bench_check(HcsWaitForProcessExit(proc, INFINITE, &status), "HcsWaitForProcessExit");
            LocalFree(status);
            HcsCloseProcess(proc);
        } else {
            hcs_process proc;
            bench_check(hcs_process_create(sys, &(hcs_process_spec){.command_line = "cmd /c exit 0"},
                                           HCS_TIMEOUT_DEFAULT, &proc, NULL, NULL),
                        "hcs_process_create");
            bench_check(hcs_process_wait(proc, HCS_TIMEOUT_DEFAULT, NULL, NULL), "hcs_process_wait");
            hcs_process_close(proc);
        }
    }
    double per = (bench_now_us() - t0) / (double)n;
    HcsCloseComputeSystem(handle);
    hcs_free(params);
    hcs_free(wid);
    hcs_system_close(sys);
    return per;
}

/* ---- the rows ------------------------------------------------------------------------------- */

static const char *const tiers[3] = {"1k", "10k", "100k"};

/* A row per tier: its baseline is the 1k tier's (which has no target). */
static void tier_row(const char *name, const char *metric, int tier, double us, double us_at_1k)
{
    bench_row(name, metric, us, tier ? us_at_1k : BENCH_NO_BASELINE, tier ? BENCH_AT_MOST_X(1.5) : BENCH_NO_TARGET);
}

static void cost_rows(bool raw, const costs c[3], const long want[3])
{
    for (int k = 0; k < OPS; k++) {
        for (int t = 0; t < 3; t++) {
            char name[64], metric[64], series[48];
            snprintf(name, sizeof name, "scale_%s%s_%s", op_names[k], raw ? "_raw" : "", tiers[t]);
            snprintf(metric, sizeof metric, "us/system n=%ld%s", c[t].n, c[t].n < want[t] ? " (budget)" : "");
            tier_row(name, metric, t, c[t].us[k], c[0].us[k]);
            if (k != CREATE) { /* create draws its curve while it runs */
                snprintf(series, sizeof series, "%s %s", op_names[k], raw ? "raw" : "libhcs");
                bench_scale_point(series, (double)c[t].n, c[t].us[k]);
            }
        }
    }
}

/* Processes at 1k (three runs: one before the 10k run, two after; the
 * median) and at 10k. */
static void process_rows(void)
{
    long n[2] = {bench_size(1000, 20), bench_size(10000, 200)};
    double raw[2], lib[2], raw1k[3], lib1k[3];
    raw1k[0] = processes(true, n[0]);
    lib1k[0] = processes(false, n[0]);
    raw[1] = processes(true, n[1]);
    lib[1] = processes(false, n[1]);
    for (int r = 1; r < 3; r++) {
        raw1k[r] = processes(true, n[0]);
        lib1k[r] = processes(false, n[0]);
    }
    raw[0] = bench_median(raw1k, 3);
    lib[0] = bench_median(lib1k, 3);
    for (int t = 0; t < 2; t++) {
        char name[64], metric[64];
        bench_scale_point("process raw", (double)n[t], raw[t]);
        bench_scale_point("process libhcs", (double)n[t], lib[t]);
        snprintf(metric, sizeof metric, "us/process n=%ld", n[t]);
        snprintf(name, sizeof name, "scale_process_raw_%s", tiers[t]);
        tier_row(name, metric, t, raw[t], raw[0]);
        snprintf(name, sizeof name, "scale_process_%s", tiers[t]);
        tier_row(name, metric, t, lib[t], lib[0]);
    }
}

void bench_scale(void)
{
    config = bench_w(BENCH_CONTAINER);
    long want[3] = {bench_size(1000, 20), bench_size(10000, 200), bench_size(100000, 2000)};
    double budget = bench.quick ? 20e6 : 30e6;
    int third = (bench.repetitions + 2) / 3 + 1; /* 3 of 5: nine runs of the baseline tier in all */
    baseline base_raw = {.want = want[0]}, base_lib = {.want = want[0]};
    costs raw[3], lib[3];
    for (int t = 1; t < 3; t++) {
        baseline_runs(&base_raw, true, third);
        baseline_runs(&base_lib, false, third);
        raw[t] = run(true, want[t], budget, t == 2 ? "create raw" : NULL);
        lib[t] = run(false, want[t], budget, t == 2 ? "create libhcs" : NULL);
        bench_note("  %ld systems done", want[t]);
    }
    baseline_runs(&base_raw, true, third);
    baseline_runs(&base_lib, false, third);
    raw[0] = baseline_median(&base_raw);
    lib[0] = baseline_median(&base_lib);
    cost_rows(true, raw, want);
    cost_rows(false, lib, want);
    process_rows();
    hcs_free(config);
}
