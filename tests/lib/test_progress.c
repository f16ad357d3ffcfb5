/* A request's progress (hcs_async.progress) and properties
 * (hcs_op_properties), over hcssim's build 24H2 (hcs-newest §2); on an
 * older build (HCSSIM_PROFILE other than 24H2) both fail alone with "not
 * supported on this host". */
#include "lib_helpers.h"

static bool newest_build(void)
{
    const char *p = getenv("HCSSIM_PROFILE");
    return p && strcmp(p, "24H2") == 0;
}

/* Results in arrival order, with their kind. */
typedef struct arrivals {
    latch l;
    hcs_event_type type[64];
    hcs_op op[64];
} arrivals;

static void record_arrival(hcs_result *r, void *user)
{
    arrivals *a = user;
    hcs__mutex_lock(&a->l.mu);
    if (a->l.count < 64) {
        a->type[a->l.count] = r->event_type;
        a->op[a->l.count] = r->op;
    }
    hcs__mutex_unlock(&a->l.mu);
    record_result(r, &a->l);
}

/* The notifications of one request: started, then ended, then its report. */
static void check_sequence(arrivals *a, int first, hcs_op op, const char *operation)
{
    char want[64];
    snprintf(want, sizeof want, "\"Operation\":\"%s\"", operation);
    for (int i = first; i < first + 2; i++) {
        assert_int_equal(a->type[i], HCS_EVENT_OPERATION_INFO);
        assert_int_equal(a->op[i].id, op.id);
        assert_non_null(strstr(a->l.doc[i], want));
        assert_int_equal(a->l.hr[i], HCS_OK);
    }
    assert_null(strstr(a->l.doc[first], "EndTimestamp"));
    assert_non_null(strstr(a->l.doc[first + 1], "EndTimestamp"));
    assert_int_equal(a->type[first + 2], HCS_EVENT_NONE);
    assert_int_equal(a->op[first + 2].id, op.id);
}

/* Every notification reaches the callback before the request's own report,
 * in order, with the request's handle and user data. */
static void progress_to_a_callback(void **state)
{
    (void)state;
    arrivals a;
    latch_init(&a.l);
    hcs_async how = {.callback = record_arrival, .user_data = &a, .timeout_ms = HCS_TIMEOUT_DEFAULT, .progress = true};
    hcs_op op;
    hcs_error err = HCS_ERROR_INIT;
    int32_t hr = hcs_system_create_async(
        client, &(hcs_system_spec){.id = unique_id("progress"), .config_json = CONTAINER}, &how, &op, &err);
    if (!newest_build()) {
        assert_int_equal(hr, HCS_WIN32_E_PROC_NOT_FOUND);
        assert_int_equal(err.kind, HCS_ERROR_UNSUPPORTED);
        assert_non_null(strstr(err.message, "not supported on this host"));
        hcs_error_clear(&err);
        latch_free(&a.l);
        return;
    }
    assert_int_equal(hr, HCS_OK);
    assert_int_equal(latch_wait(&a.l, 3), 3);
    check_sequence(&a, 0, op, "Construct");
    hcs_system sys = a.l.system[2];
    assert_true(sys.id != 0);
    assert_ptr_equal(a.l.user[0], &a);
    hcs_system_close(sys);
    latch_free(&a.l);
}

/* The same through a completion queue; a failing request's last
 * notification names the failure. */
static void progress_to_a_queue(void **state)
{
    (void)state;
    if (!newest_build())
        return;
    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    hcs_async how = {.cq = cq, .timeout_ms = HCS_TIMEOUT_DEFAULT, .progress = true};
    hcs_op op;
    assert_int_equal(hcs_system_create_async(client,
                                             &(hcs_system_spec){.id = unique_id("queued"), .config_json = "{not json"},
                                             &how, &op, NULL),
                     HCS_OK);
    hcs_result r[3];
    for (int i = 0; i < 3; i++) {
        assert_int_equal(hcs_cq_next(cq, HCS_TIMEOUT_DEFAULT, &r[i], NULL), HCS_OK);
        assert_int_equal(r[i].op.id, op.id);
    }
    assert_int_equal(r[0].event_type, HCS_EVENT_OPERATION_INFO);
    assert_int_equal(r[1].event_type, HCS_EVENT_OPERATION_INFO);
    assert_non_null(strstr(r[1].document, "\"FailureInfo\""));
    assert_int_equal(r[2].event_type, HCS_EVENT_NONE);
    assert_int_equal(r[2].hr, HCS_E_INVALID_JSON);
    for (int i = 0; i < 3; i++)
        hcs_result_clear(&r[i]);
    hcs_result extra;
    assert_int_equal(hcs_cq_next(cq, 0, &extra, NULL), HCS_E_OPERATION_TIMEOUT); /* nothing after the report */
    hcs_cq_close(cq);
}

/* A request in flight describes itself; once reported its handle is
 * gone. */
static void properties_of_a_request(void **state)
{
    (void)state;
    hcs_system sys;
    assert_int_equal(hcs_system_create(client, &(hcs_system_spec){.id = unique_id("props"), .config_json = CONTAINER},
                                       HCS_TIMEOUT_DEFAULT, &sys, NULL),
                     HCS_OK);
    assert_int_equal(hcssim_set_latency("HcsStartComputeSystem", HCSSIM_NEVER), 0);
    latch l;
    latch_init(&l);
    hcs_async how = {.callback = record_result, .user_data = &l, .timeout_ms = 200};
    hcs_op op;
    assert_int_equal(hcs_system_start_async(sys, NULL, &how, &op, NULL), HCS_OK);
    char *doc = NULL;
    hcs_error err = HCS_ERROR_INIT;
    int32_t hr = hcs_op_properties(op, &doc, &err);
    if (newest_build()) {
        assert_int_equal(hr, HCS_OK);
        assert_non_null(strstr(doc, "\"Operation\":\"Start\""));
        assert_null(strstr(doc, "EndTimestamp"));
        hcs_free(doc);
    } else {
        assert_int_equal(hr, HCS_WIN32_E_PROC_NOT_FOUND);
        assert_int_equal(err.kind, HCS_ERROR_UNSUPPORTED);
        assert_null(doc);
    }
    hcs_error_clear(&err);
    assert_int_equal(latch_wait(&l, 1), 1); /* the request times out (and is cancelled) */
    assert_int_equal(l.hr[0], HCS_E_OPERATION_TIMEOUT);
    assert_int_equal(hcs_op_properties(op, &doc, NULL), HCS_WIN32_E_INVALID_HANDLE);
    hcssim_set_latency(NULL, 1);
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK); /* ends the parked start */
    hcs_system_close(sys);
    latch_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(progress_to_a_callback, reset_sim),
        cmocka_unit_test_setup(progress_to_a_queue, reset_sim),
        cmocka_unit_test_setup(properties_of_a_request, reset_sim),
    };
    return cmocka_run_group_tests(tests, open_client, close_client);
}
