/* async: completed operations per second with many calls in flight,
 * through libhcs's callbacks and its completion queue, against raw
 * computecore operation callbacks on the same simulator (issue 14).
 *
 *  - properties queries kept DEPTH deep (1, 16, 256): each completion
 *    starts the next call until the run's count is done. Raw: an operation
 *    per call with its completion callback, which takes the result, closes
 *    its own operation and starts the next; libhcs: hcs_system_properties_
 *    async with the client's default deadline, as users call it, to a
 *    callback that starts the next, or to a queue that one thread drains;
 *  - create+start of many containers at once (each create's completion
 *    starts that system);
 *  - threads: the same work from one thread and from two (blocking calls,
 *    and one completion queue per thread): the second thread should nearly
 *    double the rate on two cores. */
#include "harness.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- a run of chained calls ----------------------------------------------------- */

typedef struct chain {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    long issued, done, total;
    hcs_system sys; /* libhcs's handle of the queried system */
    HCS_SYSTEM raw; /* a raw handle to it */
} chain;

static void chain_init(chain *c, long total)
{
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    c->issued = c->done = 0;
    c->total = total;
}

static void chain_destroy(chain *c)
{
    pthread_cond_destroy(&c->cv);
    pthread_mutex_destroy(&c->mu);
}

/* Claims the right to start one more call; false once all are started. */
static bool chain_claim(chain *c, long *index)
{
    pthread_mutex_lock(&c->mu);
    bool more = c->issued < c->total;
    if (more)
        *index = c->issued++;
    pthread_mutex_unlock(&c->mu);
    return more;
}

static void chain_done(chain *c)
{
    pthread_mutex_lock(&c->mu);
    if (++c->done == c->total)
        pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

static void chain_wait(chain *c)
{
    pthread_mutex_lock(&c->mu);
    while (c->done < c->total)
        pthread_cond_wait(&c->cv, &c->mu);
    pthread_mutex_unlock(&c->mu);
}

static hcs_async with_callback(hcs_callback cb, void *user)
{
    return (hcs_async){.callback = cb, .user_data = user, .timeout_ms = HCS_TIMEOUT_DEFAULT};
}

/* ---- properties, raw callbacks -------------------------------------------------- */

static void raw_props_start(chain *c);

static void raw_props_complete(HCS_OPERATION op, void *context)
{
    chain *c = context;
    PWSTR doc = NULL;
    bench_check(HcsGetOperationResult(op, &doc), "properties (raw callback)");
    LocalFree(doc);
    HcsCloseOperation(op);
    raw_props_start(c);
    chain_done(c);
}

static void raw_props_start(chain *c)
{
    long i;
    if (!chain_claim(c, &i))
        return;
    HCS_OPERATION op = HcsCreateOperation(c, raw_props_complete);
    bench_check(HcsGetComputeSystemProperties(c->raw, op, NULL), "HcsGetComputeSystemProperties");
}

/* ---- properties, libhcs ------------------------------------------------------------ */

static void lib_props_start(chain *c, const hcs_async *how)
{
    long i;
    if (chain_claim(c, &i))
        bench_check(hcs_system_properties_async(c->sys, NULL, how, NULL, NULL), "hcs_system_properties_async");
}

static void lib_props_complete(hcs_result *r, void *user)
{
    chain *c = user;
    bench_check(r->hr, "properties (libhcs callback)");
    hcs_async how = with_callback(lib_props_complete, c);
    lib_props_start(c, &how);
    chain_done(c);
}

/* Drains q until c is done, starting the next call for every result. */
static void cq_drain(chain *c, hcs_cq q)
{
    hcs_async how = {.cq = q, .user_data = c, .timeout_ms = HCS_TIMEOUT_DEFAULT};
    for (long got = 0; got < c->total;) {
        hcs_result r;
        bench_check(hcs_cq_next(q, HCS_TIMEOUT_INFINITE, &r, NULL), "hcs_cq_next");
        bench_check(r.hr, "properties (queue)");
        hcs_result_clear(&r);
        got++;
        lib_props_start(c, &how);
    }
}

/* ---- one measurement ------------------------------------------------------------ */

typedef enum style { RAW_CALLBACK, LIB_CALLBACK, LIB_QUEUE } style;

/* Operations per second of `total` properties queries kept `depth` deep;
 * *switches (when non-NULL) receives the context switches per call. */
static double props_rate(chain *base, style how_, long depth, long total, double *switches)
{
    chain c = *base;
    chain_init(&c, total);
    hcs_cq q = {0};
    if (how_ == LIB_QUEUE)
        bench_check(hcs_cq_create(&q, NULL), "hcs_cq_create");
    double t0 = bench_now_us(), s0 = bench_switches();
    for (long k = 0; k < depth; k++) {
        if (how_ == RAW_CALLBACK) {
            raw_props_start(&c);
        } else if (how_ == LIB_CALLBACK) {
            hcs_async how = with_callback(lib_props_complete, &c);
            lib_props_start(&c, &how);
        } else {
            hcs_async how = {.cq = q, .user_data = &c, .timeout_ms = HCS_TIMEOUT_DEFAULT};
            lib_props_start(&c, &how);
        }
    }
    if (how_ == LIB_QUEUE)
        cq_drain(&c, q);
    else
        chain_wait(&c);
    double rate = (double)total / ((bench_now_us() - t0) / 1e6);
    if (switches)
        *switches = (bench_switches() - s0) / (double)total;
    hcs_cq_close(q);
    chain_destroy(&c);
    return rate;
}

/* ---- create+start ----------------------------------------------------------------- */

/* One system of a create+start run: the handle to close afterwards. */
typedef struct made {
    chain *c;
    hcs_system sys;
    HCS_SYSTEM raw;
} made;

static void raw_started(HCS_OPERATION op, void *context)
{
    made *m = context;
    bench_check(HcsGetOperationResult(op, NULL), "HcsStartComputeSystem (raw callback)");
    HcsCloseOperation(op);
    chain_done(m->c);
}

static void raw_created(HCS_OPERATION op, void *context)
{
    made *m = context;
    bench_check(HcsGetOperationResult(op, NULL), "HcsCreateComputeSystem (raw callback)");
    HCS_SYSTEM sys = HcsGetComputeSystemFromOperation(op);
    HcsCloseOperation(op);
    HCS_OPERATION start = HcsCreateOperation(m, raw_started);
    bench_check(HcsStartComputeSystem(sys, start, NULL), "HcsStartComputeSystem");
}

static void lib_started(hcs_result *r, void *user)
{
    made *m = user;
    bench_check(r->hr, "start (libhcs)");
    chain_done(m->c);
}

static void lib_created(hcs_result *r, void *user)
{
    made *m = user;
    bench_check(r->hr, "create (libhcs)");
    m->sys = r->system;
    hcs_async how = with_callback(lib_started, m);
    bench_check(hcs_system_start_async(r->system, NULL, &how, NULL, NULL), "hcs_system_start_async");
}

/* Systems per second of `n` creates started at once, each starting its
 * system when created. The systems are closed afterwards, untimed (their
 * documents terminate them on the last close). */
static double create_start_rate(bool raw, long n)
{
    chain c = {0};
    chain_init(&c, n);
    made *m = calloc((size_t)n, sizeof *m);
    uint16_t **wids = calloc((size_t)n, sizeof *wids);
    char(*ids)[32] = calloc((size_t)n, sizeof *ids);
    uint16_t *config = bench_w(BENCH_CONTAINER);
    if (!m || !wids || !ids)
        bench_fail("out of memory");
    for (long i = 0; i < n; i++) {
        m[i].c = &c;
        bench_id(ids[i], sizeof ids[i], "async-cs");
        wids[i] = bench_w(ids[i]);
    }
    double t0 = bench_now_us();
    for (long i = 0; i < n; i++) {
        if (raw) {
            HCS_OPERATION op = HcsCreateOperation(&m[i], raw_created);
            bench_check(HcsCreateComputeSystem(wids[i], config, op, NULL, &m[i].raw), "HcsCreateComputeSystem");
        } else {
            hcs_async how = with_callback(lib_created, &m[i]);
            bench_check(hcs_system_create_async(bench.client,
                                                &(hcs_system_spec){.id = ids[i], .config_json = BENCH_CONTAINER}, &how,
                                                NULL, NULL),
                        "hcs_system_create_async");
        }
    }
    chain_wait(&c);
    double rate = (double)n / ((bench_now_us() - t0) / 1e6);
    for (long i = 0; i < n; i++) {
        if (raw)
            HcsCloseComputeSystem(m[i].raw);
        else
            hcs_system_close(m[i].sys);
        hcs_free(wids[i]);
    }
    free(m);
    free(wids);
    free(ids);
    hcs_free(config);
    chain_destroy(&c);
    return rate;
}

/* ---- threads ------------------------------------------------------------------------ */

typedef struct worker {
    chain *c;
    bool raw, queue;
    long calls;
    pthread_t thread;
} worker;

static void *worker_run(void *arg)
{
    worker *w = arg;
    if (w->queue) {
        chain c = *w->c;
        chain_init(&c, w->calls);
        hcs_cq q;
        bench_check(hcs_cq_create(&q, NULL), "hcs_cq_create");
        hcs_async how = {.cq = q, .user_data = &c, .timeout_ms = HCS_TIMEOUT_DEFAULT};
        for (int k = 0; k < 16; k++)
            lib_props_start(&c, &how);
        cq_drain(&c, q);
        hcs_cq_close(q);
        chain_destroy(&c);
        return NULL;
    }
    for (long i = 0; i < w->calls; i++) {
        if (w->raw) {
            HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
            bench_check(HcsGetComputeSystemProperties(w->c->raw, op, NULL), "HcsGetComputeSystemProperties");
            bench_raw_wait(op, NULL, "properties");
            HcsCloseOperation(op);
        } else {
            char *json = NULL;
            bench_check(hcs_system_properties_json(w->c->sys, NULL, HCS_TIMEOUT_DEFAULT, &json, NULL), "properties");
            hcs_free(json);
        }
    }
    return NULL;
}

/* Calls per second when `threads` threads share `total` calls. */
static double threads_rate(chain *c, int threads, bool raw, bool queue, long total)
{
    worker w[2];
    double t0 = bench_now_us();
    for (int i = 0; i < threads; i++) {
        w[i] = (worker){.c = c, .raw = raw, .queue = queue, .calls = total / threads};
        if (pthread_create(&w[i].thread, NULL, worker_run, &w[i]) != 0)
            bench_fail("cannot start a thread");
    }
    for (int i = 0; i < threads; i++)
        pthread_join(w[i].thread, NULL);
    return (double)(total / threads * threads) / ((bench_now_us() - t0) / 1e6);
}

/* ---- the rows ------------------------------------------------------------------------- */

enum { MAX_REPS = 16 };

static double med(double *v) { return bench_median(v, (size_t)bench.repetitions); }

static void depth_rows(chain *c, long depth, long total)
{
    double raw[MAX_REPS], cb[MAX_REPS], cq[MAX_REPS], sw[3][MAX_REPS];
    props_rate(c, RAW_CALLBACK, depth, total / 4 + 1, NULL); /* warm-up */
    props_rate(c, LIB_CALLBACK, depth, total / 4 + 1, NULL);
    for (int rep = 0; rep < bench.repetitions; rep++) {
        raw[rep] = props_rate(c, RAW_CALLBACK, depth, total, &sw[0][rep]);
        cb[rep] = props_rate(c, LIB_CALLBACK, depth, total, &sw[1][rep]);
        cq[rep] = props_rate(c, LIB_QUEUE, depth, total, &sw[2][rep]);
    }
    char name[64], metric[64];
    snprintf(metric, sizeof metric, "ops/s %ld in flight", depth);
    snprintf(name, sizeof name, "async_callback_depth%ld", depth);
    bench_row(name, metric, med(cb), med(raw), BENCH_AT_LEAST_X(0.85));
    snprintf(name, sizeof name, "async_queue_depth%ld", depth);
    bench_row(name, metric, med(cq), med(raw), BENCH_AT_LEAST_X(0.85));
    snprintf(metric, sizeof metric, "switches/op %ld in flight", depth);
    snprintf(name, sizeof name, "async_callback_depth%ld_switches", depth);
    bench_row(name, metric, med(sw[1]), med(sw[0]), BENCH_NO_TARGET);
    snprintf(name, sizeof name, "async_queue_depth%ld_switches", depth);
    bench_row(name, metric, med(sw[2]), med(sw[0]), BENCH_NO_TARGET);
}

static void create_start_rows(long n)
{
    double raw[MAX_REPS], lib[MAX_REPS];
    for (int rep = 0; rep < bench.repetitions; rep++) {
        raw[rep] = create_start_rate(true, n);
        lib[rep] = create_start_rate(false, n);
    }
    char metric[64];
    snprintf(metric, sizeof metric, "systems/s %ld at once", n);
    bench_row("async_create_start_callback", metric, med(lib), med(raw), BENCH_AT_LEAST_X(0.85));
}

static void thread_rows(chain *c, long total)
{
    struct {
        const char *name;
        bool raw, queue;
        bench_target target;
    } kinds[] = {
        {"async_threads_blocking", false, false, BENCH_AT_LEAST_X(1.6)},
        {"async_threads_queue", false, true, BENCH_AT_LEAST_X(1.6)},
        {"async_threads_blocking_raw", true, false, BENCH_NO_TARGET},
    };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        double one[MAX_REPS], two[MAX_REPS];
        threads_rate(c, 2, kinds[k].raw, kinds[k].queue, total / 4 + 2); /* warm-up */
        for (int rep = 0; rep < bench.repetitions; rep++) {
            one[rep] = threads_rate(c, 1, kinds[k].raw, kinds[k].queue, total);
            two[rep] = threads_rate(c, 2, kinds[k].raw, kinds[k].queue, total);
        }
        bench_row(kinds[k].name, "ops/s 2 threads vs 1", med(two), med(one), kinds[k].target);
    }
}

/* The cost of starting a call with a deadline while many are pending: it
 * should not grow with their number (issue 14, defect 2). */
static void kickoff_rows(long n)
{
    double first[2][MAX_REPS], last[2][MAX_REPS];
    int reps = bench.repetitions < 3 ? bench.repetitions : 3; /* each run is long while kickoff is O(pending) */
    for (int rep = 0; rep < reps; rep++)
        for (int raw = 0; raw < 2; raw++) {
            bench_pending_result r = {0};
            bench_pending(raw, n, &r);
            first[raw][rep] = r.first_us;
            last[raw][rep] = r.last_us;
        }
    char metric[64];
    snprintf(metric, sizeof metric, "us/call %ld pending vs <%ld", n * 9 / 10, n / 10);
    bench_row("async_kickoff_pending", metric, bench_median(last[0], (size_t)reps),
              bench_median(first[0], (size_t)reps), BENCH_AT_MOST_X(1.5));
    bench_row("async_kickoff_pending_raw", metric, bench_median(last[1], (size_t)reps),
              bench_median(first[1], (size_t)reps), BENCH_NO_TARGET);
}

void bench_async(void)
{
    chain c = {0};
    char id[64];
    bench_id(id, sizeof id, "async-props");
    bench_check(hcs_system_create(bench.client, &(hcs_system_spec){.id = id, .config_json = BENCH_CONTAINER},
                                  HCS_TIMEOUT_DEFAULT, &c.sys, NULL),
                "create");
    bench_check(hcs_system_start(c.sys, NULL, HCS_TIMEOUT_DEFAULT, NULL), "start");
    uint16_t *wid = bench_w(id);
    bench_check(HcsOpenComputeSystem(wid, GENERIC_ALL, &c.raw), "HcsOpenComputeSystem");
    hcs_free(wid);

    long total = bench_size(5000, 200);
    long depths[] = {1, 16, 256};
    for (size_t i = 0; i < sizeof depths / sizeof depths[0]; i++)
        depth_rows(&c, depths[i], total > depths[i] * 4 ? total : depths[i] * 4);
    create_start_rows(bench_size(1000, 40));
    thread_rows(&c, bench_size(4000, 100));
    kickoff_rows(bench_size(20000, 200));

    HcsCloseComputeSystem(c.raw);
    hcs_system_terminate(c.sys, HCS_TIMEOUT_DEFAULT, NULL);
    hcs_system_close(c.sys);
}
