/* overhead: what a blocking call costs through libhcs next to the same
 * sequence written against the raw computecore ABI, on the same simulator
 * in the same process (issue 14's first row).
 *
 *  - a properties query: hcs_system_properties_json against raw code that
 *    creates an operation, calls HcsGetComputeSystemProperties, waits
 *    (HcsWaitForOperationResult, or an operation callback and a condition
 *    variable: two raw styles), frees the document and closes the
 *    operation, as hcsshim does per call;
 *  - a lifecycle: create, start, terminate and close one container; also
 *    raw with an event callback registered on the system (as libhcs
 *    registers one on every system), to show what that alone costs.
 *
 * Each repetition runs a block of calls of every variant in turn (the
 * order rotates, so no variant always follows another); a row reports the
 * median over repetitions of the block's p50 or p99, its CPU time and
 * context switches per call (every thread of the process, the simulator's
 * included) and its allocations per call (alloc_count.c). */
#include "harness.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

enum { MAX_REPS = 16 };

typedef struct variant {
    const char *name;
    void (*call)(void *state);
    void *state;
    double p50[MAX_REPS], p99[MAX_REPS], cpu[MAX_REPS], allocs[MAX_REPS], switches[MAX_REPS];
} variant;

/* ---- the calls ---------------------------------------------------------------- */

typedef struct props_state {
    hcs_system sys; /* libhcs's handle */
    HCS_SYSTEM raw; /* a raw handle to the same system */
} props_state;

static void props_libhcs(void *state)
{
    props_state *s = state;
    char *json = NULL;
    bench_check(hcs_system_properties_json(s->sys, NULL, HCS_TIMEOUT_DEFAULT, &json, NULL), "properties");
    hcs_free(json);
}

static void props_raw_wait(void *state)
{
    props_state *s = state;
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    bench_check(HcsGetComputeSystemProperties(s->raw, op, NULL), "HcsGetComputeSystemProperties");
    bench_raw_wait(op, NULL, "properties");
    HcsCloseOperation(op);
}

/* The raw callback style: the completion callback takes the result and
 * wakes the caller. */
typedef struct raw_done {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool done;
    HRESULT hr;
    PWSTR doc;
} raw_done;

static void on_raw_complete(HCS_OPERATION op, void *context)
{
    raw_done *d = context;
    PWSTR doc = NULL;
    HRESULT hr = HcsGetOperationResult(op, &doc);
    pthread_mutex_lock(&d->mu);
    d->hr = hr;
    d->doc = doc;
    d->done = true;
    pthread_cond_signal(&d->cv);
    pthread_mutex_unlock(&d->mu);
}

static void props_raw_callback(void *state)
{
    props_state *s = state;
    raw_done d = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};
    HCS_OPERATION op = HcsCreateOperation(&d, on_raw_complete);
    bench_check(HcsGetComputeSystemProperties(s->raw, op, NULL), "HcsGetComputeSystemProperties");
    pthread_mutex_lock(&d.mu);
    while (!d.done)
        pthread_cond_wait(&d.cv, &d.mu);
    pthread_mutex_unlock(&d.mu);
    LocalFree(d.doc);
    bench_check(d.hr, "properties (callback)");
    HcsCloseOperation(op);
    pthread_cond_destroy(&d.cv);
    pthread_mutex_destroy(&d.mu);
}

static void lifecycle_libhcs(void *state)
{
    (void)state;
    char id[64];
    bench_id(id, sizeof id, "overhead-lib");
    hcs_system sys;
    bench_check(hcs_system_create(bench.client, &(hcs_system_spec){.id = id, .config_json = BENCH_CONTAINER},
                                  HCS_TIMEOUT_DEFAULT, &sys, NULL),
                "create");
    bench_check(hcs_system_start(sys, NULL, HCS_TIMEOUT_DEFAULT, NULL), "start");
    bench_check(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), "terminate");
    hcs_system_close(sys);
}

/* One raw asynchronous call on a fresh operation, waited for. */
#define RAW_CALL(call, what)                                                                                           \
    do {                                                                                                               \
        HCS_OPERATION op_ = HcsCreateOperation(NULL, NULL);                                                            \
        bench_check(call, what);                                                                                       \
        bench_raw_wait(op_, NULL, what);                                                                               \
        HcsCloseOperation(op_);                                                                                        \
    } while (0)

static void on_raw_event(HCS_EVENT *event, void *context)
{
    (void)event;
    (void)context;
}

static void lifecycle_raw_sequence(uint16_t *config, bool with_events)
{
    char id[64];
    bench_id(id, sizeof id, "overhead-raw");
    uint16_t *wid = bench_w(id);
    HCS_SYSTEM sys = NULL;
    RAW_CALL(HcsCreateComputeSystem(wid, config, op_, NULL, &sys), "HcsCreateComputeSystem");
    if (with_events)
        bench_check(HcsSetComputeSystemCallback(sys, HcsEventOptionNone, NULL, on_raw_event),
                    "HcsSetComputeSystemCallback");
    RAW_CALL(HcsStartComputeSystem(sys, op_, NULL), "HcsStartComputeSystem");
    RAW_CALL(HcsTerminateComputeSystem(sys, op_, NULL), "HcsTerminateComputeSystem");
    HcsCloseComputeSystem(sys);
    hcs_free(wid);
}

static void lifecycle_raw(void *state) { lifecycle_raw_sequence(state, false); }

/* The raw sequence with an event callback registered on the system, as
 * libhcs registers one on every system it wraps: what that alone costs. */
static void lifecycle_raw_events(void *state) { lifecycle_raw_sequence(state, true); }

/* ---- measuring -------------------------------------------------------------- */

static void run_block(variant *v, int calls, int rep, bench_samples *lat)
{
    bench_samples_clear(lat);
    uint64_t a0 = bench_allocs();
    double c0 = bench_cpu_us(), s0 = bench_switches();
    for (int i = 0; i < calls; i++) {
        double t0 = bench_now_us();
        v->call(v->state);
        bench_samples_add(lat, bench_now_us() - t0);
    }
    if (rep < 0)
        return; /* warm-up */
    v->cpu[rep] = (bench_cpu_us() - c0) / calls;
    v->switches[rep] = (bench_switches() - s0) / calls;
    v->allocs[rep] = (double)(bench_allocs() - a0) / calls;
    v->p50[rep] = bench_samples_pct(lat, 50);
    v->p99[rep] = bench_samples_pct(lat, 99);
}

/* Runs n variants for every repetition, in rotating order, after one
 * warm-up block each. */
static void measure(variant *v, int n, int calls)
{
    bench_samples lat = {0};
    int reps = bench.repetitions < MAX_REPS ? bench.repetitions : MAX_REPS;
    for (int i = 0; i < n; i++)
        run_block(&v[i], calls / 4 + 1, -1, &lat);
    for (int rep = 0; rep < reps; rep++)
        for (int k = 0; k < n; k++)
            run_block(&v[(rep + k) % n], calls, rep, &lat);
    bench_samples_free(&lat);
}

static double med(double *v) { return bench_median(v, (size_t)bench.repetitions); }

/* The rows of one comparison: latency p50 and p99, and allocations. */
static void latency_rows(const char *name, variant *lib, variant *raw, bool with_cpu)
{
    char row[64];
    snprintf(row, sizeof row, "%s_p50", name);
    bench_row(row, "us p50", med(lib->p50), med(raw->p50), BENCH_AT_MOST_X(1.15));
    snprintf(row, sizeof row, "%s_p99", name);
    bench_row(row, "us p99", med(lib->p99), med(raw->p99), BENCH_AT_MOST_X(1.15));
    if (with_cpu) {
        snprintf(row, sizeof row, "%s_cpu", name);
        bench_row(row, "cpu us/call", med(lib->cpu), med(raw->cpu), BENCH_AT_MOST_X(1.15));
        snprintf(row, sizeof row, "%s_switches", name);
        bench_row(row, "context switches/call", med(lib->switches), med(raw->switches), BENCH_NO_TARGET);
    }
    snprintf(row, sizeof row, "%s_allocs", name);
    bench_row(row, "allocs/call", med(lib->allocs), med(raw->allocs), BENCH_NO_TARGET);
}

void bench_overhead(void)
{
    int calls = (int)bench_size(2000, 40);
    bench_alloc_counting(true);
    props_state ps = {0};
    char id[64];
    bench_id(id, sizeof id, "overhead-props");
    bench_check(hcs_system_create(bench.client, &(hcs_system_spec){.id = id, .config_json = BENCH_CONTAINER},
                                  HCS_TIMEOUT_DEFAULT, &ps.sys, NULL),
                "create");
    bench_check(hcs_system_start(ps.sys, NULL, HCS_TIMEOUT_DEFAULT, NULL), "start");
    uint16_t *wid = bench_w(id);
    bench_check(HcsOpenComputeSystem(wid, GENERIC_ALL, &ps.raw), "HcsOpenComputeSystem");
    hcs_free(wid);

    variant props[3] = {
        {.name = "libhcs", .call = props_libhcs, .state = &ps},
        {.name = "raw wait", .call = props_raw_wait, .state = &ps},
        {.name = "raw callback", .call = props_raw_callback, .state = &ps},
    };
    measure(props, 3, calls);
    latency_rows("overhead_properties_vs_wait", &props[0], &props[1], true);
    latency_rows("overhead_properties_vs_callback", &props[0], &props[2], false);
    HcsCloseComputeSystem(ps.raw);
    hcs_system_terminate(ps.sys, HCS_TIMEOUT_DEFAULT, NULL);
    hcs_system_close(ps.sys);

    uint16_t *config = bench_w(BENCH_CONTAINER);
    variant life[3] = {
        {.name = "libhcs", .call = lifecycle_libhcs},
        {.name = "raw", .call = lifecycle_raw, .state = config},
        {.name = "raw with events", .call = lifecycle_raw_events, .state = config},
    };
    measure(life, 3, (int)bench_size(300, 10));
    latency_rows("overhead_lifecycle", &life[0], &life[1], true);
    bench_row("overhead_lifecycle_raw_events_p50", "us p50 raw+callback vs raw", med(life[2].p50), med(life[1].p50),
              BENCH_NO_TARGET);
    hcs_free(config);
    bench_alloc_counting(false);
}
