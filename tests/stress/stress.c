/* The stress run (docs/reliability.md, "Stress"): STRESS_THREADS threads
 * (default 16) for STRESS_SECONDS (default 3; `make stress` runs 60)
 * mixing every kind of libhcs call on shared handles: creates, starts,
 * processes with event sinks, properties in all three waiting styles,
 * subscriptions, kills, terminates, waits, queue takes and closes, all
 * racing one another.
 *
 * What it proves, besides "nothing crashes, leaks or races" (the ASan and
 * TSan legs): every async call reports exactly once; every exit reaches
 * each subscriber at most once, and exactly once for every handle still
 * open at the end; once everything is closed the simulator holds no
 * object at all (hcssim_get_counts: no handle, system, process, operation
 * or call in flight). */
#include "lib/lib_helpers.h"

#include <stdatomic.h>
#include <stdint.h>

enum {
    SYSTEM_SLOTS = 6,
    PROCESS_SLOTS = 24,
    RECORDS_PER_SECOND = 40000, /* above the rate of calls and processes seen on 2 cores */
};

/* One async call's reports (user_data points here). */
typedef struct call_rec {
    atomic_int reports;
    atomic_bool counted; /* reported through a callback or a queue that is never closed early */
} call_rec;

/* One process's exit events, from its creation-time sink. */
typedef struct proc_rec {
    atomic_int exits;
    atomic_uint_fast64_t id; /* its handle while it is in a slot */
} proc_rec;

static struct {
    atomic_uint_fast64_t systems[SYSTEM_SLOTS];
    atomic_uint_fast64_t processes[PROCESS_SLOTS]; /* index into procs + 1 */
    hcs_cq queue;                                  /* shared, closed only at the end */
    call_rec *calls;                               /* max_records of each */
    atomic_int next_call;
    proc_rec *procs;
    atomic_int next_proc;
    int max_records;
    atomic_int out_of_records; /* calls or processes not made for want of a record */
    proc_rec late;             /* exits told to late subscribers (not checked per process) */
    atomic_int next_id;
    atomic_int unexpected; /* outcomes that are not clean HRESULTs of the race */
    atomic_int ops;
    atomic_int systems_made, exits_checked;
    uint64_t stop_at;
} st;

static uint32_t next_rand(uint32_t *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return *seed >> 8;
}

/* HRESULTs a call may return when another thread closed, terminated or
 * killed what it uses: anything else is a bug. */
static void expect_clean(int32_t hr)
{
    switch (hcs_classify(hr)) {
    case HCS_ERROR_NONE:
    case HCS_ERROR_INVALID_HANDLE:
    case HCS_ERROR_ALREADY_STOPPED:
    case HCS_ERROR_NOT_FOUND:
    case HCS_ERROR_INVALID_STATE:
    case HCS_ERROR_SYSTEM_FAILURE:
        return;
    default:
        if (hr == HCS_E_OPERATION_TIMEOUT || hr == HCS_E_PROCESS_INFO_NOT_AVAILABLE)
            return;
        fprintf(stderr, "stress: unexpected 0x%08X (%s)\n", (unsigned)hr, hcs_hresult_name(hr));
        st.unexpected++;
    }
}

static call_rec *new_call(bool counted)
{
    int i = st.next_call++;
    if (i >= st.max_records) {
        st.out_of_records++;
        return NULL;
    }
    st.calls[i].counted = counted;
    return &st.calls[i];
}

static void on_result(hcs_result *r, void *user)
{
    call_rec *c = user;
    c->reports++;
    expect_clean(r->hr);
    /* What a create reports is ours to close. */
    hcs_system_close(r->system);
    hcs_process_close(r->process);
    hcs_stdio_close(&r->stdio);
}

static void on_exit_event(const hcs_event *e, void *user)
{
    proc_rec *p = user;
    if (e->type == HCS_EVENT_PROCESS_EXITED)
        p->exits++;
}

static hcs_system pick_system(uint32_t *seed)
{
    return (hcs_system){atomic_load(&st.systems[next_rand(seed) % SYSTEM_SLOTS])};
}

static void create_system(uint32_t *seed)
{
    int slot = (int)(next_rand(seed) % SYSTEM_SLOTS);
    if (atomic_load(&st.systems[slot]))
        return;
    char id[32];
    snprintf(id, sizeof id, "stress-%d", (int)st.next_id++);
    hcs_system sys;
    int32_t hr = hcs_system_create(client, &(hcs_system_spec){.id = id, .config_json = CONTAINER}, HCS_TIMEOUT_DEFAULT,
                                   &sys, NULL);
    expect_clean(hr);
    if (hr != HCS_OK)
        return;
    expect_clean(hcs_system_start(sys, NULL, HCS_TIMEOUT_DEFAULT, NULL));
    st.systems_made++;
    uint_fast64_t empty = 0;
    if (!atomic_compare_exchange_strong(&st.systems[slot], &empty, sys.id)) {
        hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL);
        hcs_system_close(sys);
    }
}

static void create_process(uint32_t *seed)
{
    static const char *const programs[] = {"cmd /c exit 3", "ping -n 1 127.0.0.1", "cmd /c echo hi", "findstr x"};
    int slot = (int)(next_rand(seed) % PROCESS_SLOTS);
    if (atomic_load(&st.processes[slot]))
        return;
    int index = st.next_proc++;
    if (index >= st.max_records) {
        st.out_of_records++;
        return;
    }
    proc_rec *rec = &st.procs[index];
    hcs_process_spec spec = {.command_line = programs[next_rand(seed) % 4],
                             .events = {.callback = on_exit_event, .user_data = rec}};
    hcs_process p;
    int32_t hr = hcs_process_create(pick_system(seed), &spec, HCS_TIMEOUT_DEFAULT, &p, NULL, NULL);
    expect_clean(hr);
    if (hr != HCS_OK)
        return;
    rec->id = p.id;
    uint_fast64_t empty = 0;
    if (!atomic_compare_exchange_strong(&st.processes[slot], &empty, (uint_fast64_t)index + 1)) {
        hcs_process_close(p); /* its record keeps counting nothing more */
        rec->id = 0;
    }
}

static proc_rec *pick_process(uint32_t *seed, int *slot)
{
    *slot = (int)(next_rand(seed) % PROCESS_SLOTS);
    uint_fast64_t v = atomic_load(&st.processes[*slot]);
    return v ? &st.procs[v - 1] : NULL;
}

static void async_properties(uint32_t *seed)
{
    bool to_queue = next_rand(seed) % 2;
    call_rec *c = new_call(true);
    if (!c)
        return;
    hcs_async how = {.user_data = c, .timeout_ms = HCS_TIMEOUT_DEFAULT};
    if (to_queue)
        how.cq = st.queue;
    else
        how.callback = on_result;
    int32_t hr = hcs_system_properties_async(pick_system(seed), NULL, &how, NULL, NULL);
    expect_clean(hr);
    if (hr != HCS_OK)
        c->counted = false; /* refused at once: nothing to report */
}

/* Takes what the shared queue holds right now. */
static void take_results(void)
{
    hcs_result r;
    while (hcs_cq_next(st.queue, 0, &r, NULL) == HCS_OK) {
        if (r.event_type == HCS_EVENT_NONE)
            on_result(&r, r.user_data);
        hcs_result_clear(&r);
    }
}

/* A short-lived queue with a subscription, closed with events maybe in it:
 * it must never touch the subscriber's handle. */
static void ephemeral_queue(uint32_t *seed)
{
    hcs_cq q;
    if (hcs_cq_create(&q, NULL) != HCS_OK) {
        st.unexpected++;
        return;
    }
    hcs_system sys = pick_system(seed);
    hcs_subscription sub;
    expect_clean(hcs_system_subscribe(sys, &(hcs_event_sink){.cq = q}, &sub, NULL));
    call_rec *c = new_call(false); /* its queue closes: it may be discarded */
    if (c) {
        hcs_async how = {.cq = q, .user_data = c, .timeout_ms = HCS_TIMEOUT_DEFAULT};
        expect_clean(hcs_system_properties_async(sys, NULL, &how, NULL, NULL));
    }
    if (next_rand(seed) % 2)
        hcs_subscription_close(sub);
    hcs_cq_close(q);
}

static void process_action(uint32_t *seed)
{
    int slot;
    proc_rec *rec = pick_process(seed, &slot);
    if (!rec)
        return;
    hcs_process p = {atomic_load(&rec->id)};
    switch (next_rand(seed) % 4) {
    case 0:
        expect_clean(hcs_process_kill(p, HCS_TIMEOUT_DEFAULT, NULL));
        break;
    case 1:
        expect_clean(hcs_process_wait(p, next_rand(seed) % 50, NULL, NULL));
        break;
    case 2: /* a late subscriber: told of the exit once, whenever it comes */
        expect_clean(
            hcs_process_subscribe(p, &(hcs_event_sink){.callback = on_exit_event, .user_data = &st.late}, NULL, NULL));
        break;
    default: {
        /* Close: take it out of its slot first, so only one thread does. */
        uint_fast64_t mine = (uint_fast64_t)(rec - st.procs) + 1;
        if (atomic_compare_exchange_strong(&st.processes[slot], &mine, 0)) {
            rec->id = 0;
            hcs_process_close(p);
        }
    }
    }
}

static void system_action(uint32_t *seed)
{
    int slot = (int)(next_rand(seed) % SYSTEM_SLOTS);
    hcs_system sys = {atomic_load(&st.systems[slot])};
    if (!sys.id)
        return;
    switch (next_rand(seed) % 8) {
    case 0:
        expect_clean(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL));
        break;
    case 1: {
        uint_fast64_t mine = sys.id;
        if (atomic_compare_exchange_strong(&st.systems[slot], &mine, 0)) {
            hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL);
            hcs_system_close(sys);
        }
        break;
    }
    default: {
        char *props = NULL;
        expect_clean(hcs_system_properties_json(sys, NULL, HCS_TIMEOUT_DEFAULT, &props, NULL));
        hcs_free(props);
    }
    }
}

static void storm(void *arg)
{
    uint32_t seed = (uint32_t)(uintptr_t)arg * 2654435761u + 1;
    while (hcs__clock_ms() < st.stop_at) {
        switch (next_rand(&seed) % 10) {
        case 0:
            create_system(&seed);
            break;
        case 1:
        case 2:
            create_process(&seed);
            break;
        case 3:
            async_properties(&seed);
            break;
        case 4:
            take_results();
            break;
        case 5:
            ephemeral_queue(&seed);
            break;
        case 6:
        case 7:
            process_action(&seed);
            break;
        default:
            system_action(&seed);
        }
        st.ops++;
    }
}

static unsigned env_or(const char *name, unsigned fallback)
{
    const char *v = getenv(name);
    return v && atoi(v) > 0 ? (unsigned)atoi(v) : fallback;
}

/* Waits (hang guard) until every counted call has reported. */
static int unreported(void)
{
    int missing = 0;
    int n = st.next_call < st.max_records ? st.next_call : st.max_records;
    for (int i = 0; i < n; i++)
        if (st.calls[i].counted && st.calls[i].reports != 1)
            missing++;
    return missing;
}

static void mixed_api_storm(void **state)
{
    (void)state;
    unsigned threads = env_or("STRESS_THREADS", 16), seconds = env_or("STRESS_SECONDS", 3);
    assert_int_equal(hcs_cq_create(&st.queue, NULL), HCS_OK);
    st.max_records = (int)(RECORDS_PER_SECOND * (seconds + 1));
    st.calls = calloc((size_t)st.max_records, sizeof *st.calls);
    st.procs = calloc((size_t)st.max_records, sizeof *st.procs);
    assert_non_null(st.calls);
    assert_non_null(st.procs);
    st.stop_at = hcs__clock_ms() + seconds * 1000ull;
    hcs_thread t[64];
    threads = threads > 64 ? 64 : threads;
    for (unsigned i = 0; i < threads; i++)
        assert_int_equal(hcs__thread_start(&t[i], storm, (void *)(uintptr_t)(i + 1)), 0);
    for (unsigned i = 0; i < threads; i++)
        hcs__thread_join(t[i]);

    /* Every call reports exactly once. */
    uint64_t guard = hcs__clock_ms() + 30000;
    do
        take_results();
    while (unreported() > 0 && hcs__clock_ms() < guard && (hcs__sleep_ms(10), true));
    assert_int_equal(unreported(), 0);
    for (int i = 0; i < st.next_call && i < st.max_records; i++)
        assert_true(st.calls[i].reports <= 1);

    /* Every process still open hears its exit exactly once; none ever
     * more than once. */
    for (int slot = 0; slot < PROCESS_SLOTS; slot++) {
        uint_fast64_t v = atomic_exchange(&st.processes[slot], 0);
        if (!v)
            continue;
        proc_rec *rec = &st.procs[v - 1];
        hcs_process p = {rec->id};
        hcs_process_kill(p, HCS_TIMEOUT_DEFAULT, NULL);
        expect_clean(hcs_process_wait(p, 10000, NULL, NULL));
        uint64_t until = hcs__clock_ms() + 10000;
        while (rec->exits < 1 && hcs__clock_ms() < until)
            hcs__sleep_ms(5);
        hcs_process_close(p);
        assert_int_equal(rec->exits, 1);
        st.exits_checked++;
    }
    for (int i = 0; i < st.next_proc && i < st.max_records; i++)
        assert_true(st.procs[i].exits <= 1);

    for (int slot = 0; slot < SYSTEM_SLOTS; slot++) {
        hcs_system sys = {atomic_exchange(&st.systems[slot], 0)};
        hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL);
        hcs_system_close(sys);
    }
    take_results();
    hcs_cq_close(st.queue);
    assert_int_equal(st.unexpected, 0);

    /* Nothing is left behind in the simulated service: every system was
     * terminated, so none is one HCS keeps, and once the work in flight
     * has drained no system, process, operation or call remains. */
    hcssim_counts counts;
    guard = hcs__clock_ms() + 30000;
    do {
        hcs__sleep_ms(20);
        hcssim_get_counts(&counts);
    } while ((counts.handles || counts.systems || counts.processes || counts.operations || counts.requests) &&
             hcs__clock_ms() < guard);
    print_message("stress: %u threads, %u s: %d operations, %d systems, %d async calls, %d processes "
                  "(%d exits checked at the end), %d exits told to late subscribers\n",
                  threads, seconds, (int)st.ops, (int)st.systems_made, (int)st.next_call, (int)st.next_proc,
                  (int)st.exits_checked, (int)st.late.exits);
    if (counts.handles || counts.systems || counts.processes || counts.operations || counts.requests)
        print_message("stress: left in the simulator: %u handles, %u systems, %u processes, %u operations, "
                      "%u calls\n",
                      counts.handles, counts.systems, counts.processes, counts.operations, counts.requests);
    assert_int_equal(counts.handles, 0);
    assert_int_equal(counts.systems, 0);
    assert_int_equal(counts.processes, 0);
    assert_int_equal(counts.operations, 0);
    assert_int_equal(counts.requests, 0);
    /* Every call and process the run meant to make had a record: the
     * accounting above covered the whole run. */
    assert_int_equal(st.out_of_records, 0);
    free(st.calls);
    free(st.procs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(mixed_api_storm)};
    return cmocka_run_group_tests(tests, open_client, close_client);
}
