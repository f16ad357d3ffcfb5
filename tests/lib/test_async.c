/* libhcs's three ways to wait (hcs/operation.h) over hcssim: callbacks, a
 * completion queue with a pollable descriptor, async timeouts that never
 * abandon work, default timeouts per kind of call, and the trace. */
#include "lib_helpers.h"

#ifdef _WIN32
#include <windows.h>
#else
#include <poll.h>
#endif

static int reset(void **state)
{
    (void)state;
    hcssim_set_latency(NULL, 1);
    hcssim_set_faults(NULL, NULL, 0);
    return 0;
}

/* The callback style: create, start and properties report once each, with
 * the new system handle and the document. */
static void callbacks(void **state)
{
    (void)state;
    latch l;
    latch_init(&l);
    hcs_async how = {.callback = record_result, .user_data = &l, .timeout_ms = HCS_TIMEOUT_DEFAULT};
    hcs_system_spec p = {.id = unique_id("cb"), .config_json = CONTAINER};
    hcs_op op;
    assert_int_equal(hcs_system_create_async(client, &p, &how, &op, NULL), HCS_OK);
    assert_true(op.id != 0);
    assert_int_equal(latch_wait(&l, 1), 1);
    assert_int_equal(l.hr[0], HCS_OK);
    hcs_system sys = l.system[0];
    assert_true(sys.id != 0);
    assert_ptr_equal(l.user[0], &l);
    assert_int_equal(hcs_system_start_async(sys, NULL, &how, NULL, NULL), HCS_OK);
    assert_int_equal(latch_wait(&l, 2), 2);
    assert_int_equal(l.hr[1], HCS_OK);
    assert_int_equal(hcs_system_properties_async(sys, NULL, &how, NULL, NULL), HCS_OK);
    assert_int_equal(latch_wait(&l, 3), 3);
    assert_non_null(strstr(l.doc[2], "\"State\":\"Running\""));
    /* failures carry HCS's code */
    assert_int_equal(hcs_system_pause_async(sys, NULL, &how, NULL, NULL), HCS_OK);
    assert_int_equal(latch_wait(&l, 4), 4);
    assert_int_equal(l.hr[3], (int32_t)0x80070032); /* containers do not pause */
    /* terminate is idempotent in the async form too */
    assert_int_equal(hcs_system_terminate_async(sys, &how, NULL, NULL), HCS_OK);
    assert_int_equal(hcs_system_terminate_async(sys, &how, NULL, NULL), HCS_OK);
    assert_int_equal(latch_wait(&l, 6), 6);
    assert_int_equal(l.hr[4], HCS_OK);
    assert_int_equal(l.hr[5], HCS_OK);
    hcs_system_close(sys);
    latch_free(&l);
}

/* Bad async requests are refused at once. */
static void bad_async(void **state)
{
    (void)state;
    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    latch l;
    latch_init(&l);
    hcs_async both = {.callback = record_result, .cq = cq, .timeout_ms = HCS_TIMEOUT_DEFAULT};
    hcs_async neither = {.timeout_ms = HCS_TIMEOUT_DEFAULT};
    hcs_system_spec p = {.id = "never", .config_json = CONTAINER};
    hcs_error err = {0};
    assert_int_equal(hcs_system_create_async(client, &p, &both, NULL, &err), HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_system_create_async(client, &p, &neither, NULL, &err), HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_system_create_async(client, &p, NULL, NULL, &err), HCS_COM_E_INVALIDARG);
    hcs_system stale = {12345};
    hcs_async how = {.callback = record_result, .user_data = &l, .timeout_ms = HCS_TIMEOUT_DEFAULT};
    assert_int_equal(hcs_system_start_async(stale, NULL, &how, NULL, &err), HCS_WIN32_E_INVALID_HANDLE);
    hcs_error_clear(&err);
    hcs_cq_close(cq);
    assert_int_equal(l.count, 0);
    latch_free(&l);
}

/* True when the queue's descriptor says a result waits. */
static bool pollable_ready(hcs_cq cq, int timeout_ms)
{
    intptr_t h = hcs_cq_pollable(cq);
#ifdef _WIN32
    return WaitForSingleObject((HANDLE)h, (DWORD)timeout_ms) == WAIT_OBJECT_0;
#else
    struct pollfd p = {(int)h, POLLIN, 0};
    return poll(&p, 1, timeout_ms) == 1;
#endif
}

/* The queue style, driven by polling its descriptor: many calls in flight
 * from one thread. */
static void completion_queue(void **state)
{
    (void)state;
    enum { N = 40 };
    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    assert_true(hcs_cq_pollable(cq) != -1);
    assert_false(pollable_ready(cq, 0));
    hcs_result r;
    assert_int_equal(hcs_cq_next(cq, 0, &r, NULL), HCS_E_OPERATION_TIMEOUT);
    for (int i = 0; i < N; i++) {
        hcs_async how = {.cq = cq, .user_data = (void *)(intptr_t)(i + 1), .timeout_ms = HCS_TIMEOUT_DEFAULT};
        hcs_system_spec p = {.id = unique_id("cq"), .config_json = CONTAINER};
        assert_int_equal(hcs_system_create_async(client, &p, &how, NULL, NULL), HCS_OK);
    }
    int seen = 0, seen_mask[N + 1] = {0};
    while (seen < N) {
        assert_true(pollable_ready(cq, 10000)); /* hang guard */
        while (hcs_cq_next(cq, 0, &r, NULL) == HCS_OK) {
            assert_int_equal(r.hr, HCS_OK);
            int tag = (int)(intptr_t)r.user_data;
            assert_true(tag >= 1 && tag <= N && !seen_mask[tag]);
            seen_mask[tag] = 1;
            assert_int_equal(hcs_system_terminate(r.system, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
            hcs_system_close(r.system);
            hcs_result_clear(&r);
            seen++;
        }
    }
    assert_false(pollable_ready(cq, 0)); /* drained: no longer readable */
    hcs_cq_close(cq);
    hcs_cq_close(cq); /* idempotent */
    assert_int_equal(hcs_cq_pollable(cq), -1);
}

/* An async call that HCS never completes reports a timeout once; the
 * later completion (here: the system's exit) is discarded, nothing
 * leaks (checked by LSan/valgrind). */
static void async_timeout(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    latch l;
    latch_init(&l);
    hcs_system sys = running_system("atimeout", CONTAINER);
    assert_int_equal(
        hcssim_set_faults("{\"faults\":[{\"call\":\"HcsGetComputeSystemProperties\",\"never\":true}]}", NULL, 0), 0);
    hcs_async how = {.callback = record_result, .user_data = &l, .timeout_ms = 20};
    hcs_op op;
    assert_int_equal(hcs_system_properties_async(sys, NULL, &how, &op, NULL), HCS_OK);
    assert_int_equal(latch_wait(&l, 1), 1);
    assert_int_equal(l.hr[0], HCS_E_OPERATION_TIMEOUT);
    assert_int_equal(hcs_op_cancel(op, NULL), HCS_WIN32_E_INVALID_HANDLE);          /* already reported */
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK); /* fails the parked call */
    hcs_system_close(sys);
    hcs__sleep_ms(20);
    assert_int_equal(l.count, 1); /* reported once */
    latch_free(&l);
}

/* A per-kind default timeout applies when the call says
 * HCS_TIMEOUT_DEFAULT. */
static void timeouts_per_kind(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("latencies set per call");
    hcs_client_options opts = {.provider = TEST_PROVIDER};
    opts.timeouts_ms[HCS_CALL_START] = 30;
    hcs_client c;
    assert_int_equal(hcs_client_open(&opts, &c, NULL), HCS_OK);
    hcs_system sys;
    assert_int_equal(hcs_system_create(c, &(hcs_system_spec){.id = unique_id("kind"), .config_json = CONTAINER},
                                       HCS_TIMEOUT_DEFAULT, &sys, NULL),
                     HCS_OK);
    assert_int_equal(hcssim_set_latency("HcsStartComputeSystem", HCSSIM_NEVER), 0);
    hcs_error err = {0};
    assert_int_equal(hcs_system_start(sys, NULL, HCS_TIMEOUT_DEFAULT, &err), HCS_E_OPERATION_TIMEOUT);
    assert_int_equal(err.kind, HCS_ERROR_TIMEOUT);
    hcs_error_clear(&err);
    hcssim_set_latency(NULL, 1);
    /* other kinds keep the 4-minute default: this one completes */
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_close(sys);
    hcs_client_close(c);
}

typedef struct traced {
    hcs_mutex mu;
    int count;
    char calls[16][48];
    char inputs[16][256];
    int32_t hrs[16];
} traced;

static void trace(const hcs_trace_record *r, void *user)
{
    traced *t = user;
    hcs__mutex_lock(&t->mu);
    if (t->count < 16) {
        snprintf(t->calls[t->count], sizeof t->calls[0], "%s", r->call);
        snprintf(t->inputs[t->count], sizeof t->inputs[0], "%s", r->input ? r->input : "");
        t->hrs[t->count] = r->hr;
    }
    t->count++;
    hcs__mutex_unlock(&t->mu);
}

/* The trace sees every call with its outcome, secrets redacted. */
static void tracing(void **state)
{
    (void)state;
    traced t = {0};
    hcs__mutex_init(&t.mu);
    hcs_client_options opts = {.provider = TEST_PROVIDER, .trace = trace, .trace_user_data = &t};
    hcs_client c;
    assert_int_equal(hcs_client_open(&opts, &c, NULL), HCS_OK);
    hcs_system sys;
    assert_int_equal(hcs_system_create(c, &(hcs_system_spec){.id = unique_id("trace"), .config_json = CONTAINER},
                                       HCS_TIMEOUT_DEFAULT, &sys, NULL),
                     HCS_OK);
    const char *req = "{\"ResourcePath\":\"Container/Credentials\",\"RequestType\":\"Add\","
                      "\"Settings\":{\"Password\":\"hunter2\",\"User\":\"bob\"}}";
    assert_int_equal(hcs_system_modify(sys, req, HCS_TIMEOUT_DEFAULT, NULL), HCS_E_INVALID_STATE);
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_close(sys);
    hcs_client_close(c);
    assert_int_equal(t.count, 3);
    assert_string_equal(t.calls[0], "HcsCreateComputeSystem");
    assert_string_equal(t.calls[1], "HcsModifyComputeSystem");
    assert_int_equal(t.hrs[1], HCS_E_INVALID_STATE);
    assert_null(strstr(t.inputs[1], "hunter2"));
    assert_non_null(strstr(t.inputs[1], "<redacted>"));
    assert_non_null(strstr(t.inputs[1], "bob"));
    hcs__mutex_destroy(&t.mu);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(callbacks, reset),         cmocka_unit_test_teardown(bad_async, reset),
        cmocka_unit_test_teardown(completion_queue, reset),  cmocka_unit_test_teardown(async_timeout, reset),
        cmocka_unit_test_teardown(timeouts_per_kind, reset), cmocka_unit_test_teardown(tracing, reset),
    };
    return cmocka_run_group_tests(tests, open_client, close_client);
}
