/* libhcs under contention (run by the TSan leg): many threads sharing
 * handles, closes racing calls in flight, callbacks and subscriptions.
 * Every outcome must be a clean HRESULT; nothing may crash, leak or run
 * after its handle is closed. */
#include "lib_helpers.h"

enum { THREADS = 6, ROUNDS = 30 };

typedef struct shared {
    hcs_system sys;
    _Atomic int bad;
} shared;

/* Properties, pause attempts and subscriptions on a system another thread
 * closes at any moment: each call succeeds or says the handle is gone. */
static void hammer(void *arg)
{
    shared *s = arg;
    for (int i = 0; i < ROUNDS; i++) {
        char *props = NULL;
        int32_t hr = hcs_system_properties_json(s->sys, NULL, 5000, &props, NULL);
        hcs_free(props);
        if (hr != HCS_OK && hr != HCS_WIN32_E_INVALID_HANDLE && !(hcs_classify(hr) == HCS_ERROR_ALREADY_STOPPED))
            s->bad++;
        hcs_subscription sub;
        hr = hcs_system_subscribe(s->sys, &(hcs_event_sink){0}, &sub, NULL);
        if (hr != HCS_COM_E_INVALIDARG && hr != HCS_WIN32_E_INVALID_HANDLE)
            s->bad++; /* neither callback nor queue: refused */
    }
}

static void noop_event(const hcs_event *e, void *user)
{
    (void)e;
    (void)user;
}

static void close_races_calls(void **state)
{
    (void)state;
    for (int round = 0; round < 5; round++) {
        shared s = {.sys = running_system("race", CONTAINER)};
        hcs_subscription sub;
        assert_int_equal(hcs_system_subscribe(s.sys, &(hcs_event_sink){.callback = noop_event}, &sub, NULL), HCS_OK);
        hcs_thread t[THREADS];
        for (int i = 0; i < THREADS; i++)
            assert_int_equal(hcs__thread_start(&t[i], hammer, &s), 0);
        hcs__sleep_ms(2);
        assert_int_equal(hcs_system_terminate(s.sys, 5000, NULL), HCS_OK);
        hcs_system_close(s.sys);
        for (int i = 0; i < THREADS; i++)
            hcs__thread_join(t[i]);
        hcs_subscription_close(sub);
        assert_int_equal(s.bad, 0);
    }
}

typedef struct counter {
    _Atomic int calls;
} counter;

static void count_result(hcs_result *r, void *user)
{
    (void)r;
    ((counter *)user)->calls++;
}

/* Async calls in flight when their system's handle closes: each still
 * reports exactly once. */
static void async_calls_outlive_close(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("latencies set per call");
    enum { N = 50 };
    counter c = {0};
    hcs_system sys = running_system("inflight", CONTAINER);
    hcssim_set_latency("HcsGetComputeSystemProperties", 5);
    hcs_async how = {.callback = count_result, .user_data = &c, .timeout_ms = HCS_TIMEOUT_DEFAULT};
    int started = 0;
    for (int i = 0; i < N; i++)
        if (hcs_system_properties_async(sys, NULL, &how, NULL, NULL) == HCS_OK)
            started++;
    hcs_system_close(sys); /* the calls keep HCS's handle until they end */
    uint64_t deadline = hcs__clock_ms() + 10000;
    while (c.calls < started && hcs__clock_ms() < deadline)
        hcs__sleep_ms(2);
    hcssim_set_latency(NULL, 1);
    assert_int_equal(started, N);
    assert_int_equal(c.calls, N);
}

/* A completion queue closed while results are still coming: late results
 * are discarded and the handles in them closed, so the simulator ends up
 * holding no more handles than before. */
static void queue_closed_under_results(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its object counts");
    enum { N = 20 };
    hcssim_counts before, now;
    hcssim_get_counts(&before);
    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    char ids[N][48];
    for (int i = 0; i < N; i++) {
        snprintf(ids[i], sizeof ids[i], "%s", unique_id("orphan"));
        hcs_async how = {.cq = cq, .timeout_ms = HCS_TIMEOUT_DEFAULT};
        hcs_system_spec p = {.id = ids[i], .config_json = CONTAINER};
        assert_int_equal(hcs_system_create_async(client, &p, &how, NULL, NULL), HCS_OK);
    }
    hcs_cq_close(cq);
    uint64_t deadline = hcs__clock_ms() + 10000; /* hang guard */
    do {
        hcs__sleep_ms(2);
        hcssim_get_counts(&now);
    } while (now.handles > before.handles && hcs__clock_ms() < deadline);
    /* No more than before: handles an earlier test let go of may still be
     * draining, more so through hcssimd, and can only lower the count. */
    assert_true(now.handles <= before.handles);
    for (int i = 0; i < N; i++) { /* the systems exist: created, then let go */
        hcs_system sys;
        assert_int_equal(hcs_system_open(client, ids[i], &sys, NULL), HCS_OK);
        assert_int_equal(hcs_system_terminate(sys, 5000, NULL), HCS_OK);
        hcs_system_close(sys);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(close_races_calls),
        cmocka_unit_test(async_calls_outlive_close),
        cmocka_unit_test(queue_closed_under_results),
    };
    return cmocka_run_group_tests(tests, open_client, close_client);
}
