/* libhcs compute systems over hcssim: lifecycle, errors carrying HCS's
 * ResultError, idempotent terminate, stale handles, timeouts that never
 * abandon work, and many threads sharing one client. */
#include "lib_helpers.h"

#define CONFIG CONTAINER

static int reset(void **state)
{
    (void)state;
    hcssim_set_latency(NULL, 1);
    return 0;
}

static int has_state(hcs_system sys, const char *state)
{
    char *props = NULL;
    assert_int_equal(hcs_system_properties_json(sys, NULL, HCS_TIMEOUT_DEFAULT, &props, NULL), HCS_OK);
    char want[64];
    snprintf(want, sizeof want, "\"State\":\"%s\"", state);
    int found = strstr(props, want) != NULL;
    hcs_free(props);
    return found;
}

static void lifecycle(void **state)
{
    (void)state;
    hcs_error err = {0};
    hcs_system sys;
    assert_int_equal(hcs_system_create(client, &(hcs_system_spec){.id = "lib-life", .config_json = CONFIG},
                                       HCS_TIMEOUT_DEFAULT, &sys, &err),
                     HCS_OK);
    assert_int_equal(err.hr, HCS_OK);
    assert_true(has_state(sys, "Created"));
    assert_int_equal(hcs_system_start(sys, NULL, 10000, &err), HCS_OK);
    assert_true(has_state(sys, "Running"));
    hcs_system other;
    assert_int_equal(hcs_system_open(client, "lib-life", &other, &err), HCS_OK);
    assert_true(has_state(other, "Running"));
    hcs_system_close(other);
    char *list = NULL;
    assert_int_equal(hcs_system_enumerate_json(client, "{\"Owners\":[\"libtests\"]}", 10000, &list, &err), HCS_OK);
    assert_non_null(strstr(list, "lib-life"));
    hcs_free(list);
    assert_int_equal(hcs_system_terminate(sys, 10000, &err), HCS_OK);
    assert_true(has_state(sys, "Stopped"));
    /* idempotent: already stopped counts as success */
    assert_int_equal(hcs_system_terminate(sys, 10000, &err), HCS_OK);
    assert_int_equal(hcs_system_start(sys, NULL, 10000, &err), HCS_E_SYSTEM_ALREADY_STOPPED);
    assert_int_equal(err.kind, HCS_ERROR_ALREADY_STOPPED);
    hcs_system_close(sys);
    hcs_system_close(sys);
    assert_int_equal(hcs_system_start(sys, NULL, 10000, &err), HCS_WIN32_E_INVALID_HANDLE);
    assert_int_equal(hcs_system_open(client, "lib-life", &other, &err), HCS_E_SYSTEM_NOT_FOUND);
    assert_true((hcs_classify(err.hr) == HCS_ERROR_NOT_FOUND));
    hcs_error_clear(&err);
}

/* A failed outcome carries HCS's ResultError, parsed and in the message. */
static void errors_carry_the_result_document(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its error wording");
    hcs_error err = {0};
    hcs_system sys;
    const char *two_kinds = "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Container\":{},\"VirtualMachine\":{}}";
    assert_int_equal(
        hcs_system_create(client, &(hcs_system_spec){.id = "lib-bad", .config_json = two_kinds}, 10000, &sys, &err),
        HCS_E_INVALID_JSON);
    assert_int_equal(sys.id, 0);
    assert_int_equal(err.kind, HCS_ERROR_INVALID_ARGUMENT);
    assert_string_equal(err.call, "HcsCreateComputeSystem");
    assert_non_null(err.document);
    assert_non_null(err.result);
    assert_int_equal(err.result->error, HCS_E_INVALID_JSON);
    assert_int_equal(err.result->event_count, 1);
    assert_non_null(strstr(err.result->events[0].message, "exactly one of"));
    assert_non_null(strstr(err.message, "HCS_E_INVALID_JSON"));
    assert_non_null(strstr(err.message, "exactly one of"));
    /* a later success clears the error */
    char *list = NULL;
    assert_int_equal(hcs_system_enumerate_json(client, NULL, 10000, &list, &err), HCS_OK);
    assert_null(err.message);
    hcs_free(list);
    hcs_error_clear(&err);
}

static void bad_arguments(void **state)
{
    (void)state;
    hcs_error err = {0};
    hcs_system sys;
    assert_int_equal(
        hcs_system_create(client, &(hcs_system_spec){.id = "lib-\xC3(", .config_json = CONFIG}, 10000, &sys, &err),
        HCS_WIN32_E_NO_UNICODE_TRANSLATION);
    assert_int_equal(
        hcs_system_create(client, &(hcs_system_spec){.id = NULL, .config_json = CONFIG}, 10000, &sys, &err),
        HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_system_create(client, &(hcs_system_spec){.id = "x", .config_json = CONFIG}, 10000, NULL, &err),
                     HCS_COM_E_POINTER);
    assert_int_equal(hcs_system_properties_json(sys, NULL, 1000, NULL, &err), HCS_COM_E_POINTER);
    assert_int_equal(hcs_system_open(client, "lib-\xFF", &sys, &err), HCS_WIN32_E_NO_UNICODE_TRANSLATION);
    hcs_error_clear(&err);
}

/* A timed-out call returns at once; HCS's work goes on and completes, and
 * libhcs frees its operation only then (ASan/LSan watch this). */
static void timeout_never_abandons_the_work(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("latencies set per call");
    hcs_error err = {0};
    hcs_system sys;
    assert_int_equal(
        hcs_system_create(client, &(hcs_system_spec){.id = "lib-slow", .config_json = CONFIG}, 10000, &sys, &err),
        HCS_OK);
    hcssim_set_latency("HcsStartComputeSystem", 300);
    assert_int_equal(hcs_system_start(sys, NULL, 10, &err), HCS_E_OPERATION_TIMEOUT);
    assert_int_equal(err.kind, HCS_ERROR_TIMEOUT);
    assert_non_null(strstr(err.message, "continues in HCS"));
    /* requests on a system complete in order: the start went through */
    assert_true(has_state(sys, "Running"));
    hcssim_set_latency(NULL, 1);
    assert_int_equal(hcs_system_terminate(sys, 10000, &err), HCS_OK);
    hcs_system_close(sys); /* while nothing is in flight anymore */

    /* a create that times out still creates; the handle libhcs could not
     * return is closed when the creation completes */
    hcssim_set_latency("HcsCreateComputeSystem", 200);
    assert_int_equal(
        hcs_system_create(client, &(hcs_system_spec){.id = "lib-slow-create", .config_json = CONFIG}, 5, &sys, &err),
        HCS_E_OPERATION_TIMEOUT);
    int32_t hr = HCS_E_SYSTEM_NOT_FOUND;
    for (int i = 0; i < 500 && hr == HCS_E_SYSTEM_NOT_FOUND; i++) {
        hr = hcs_system_open(client, "lib-slow-create", &sys, NULL);
        if (hr == HCS_E_SYSTEM_NOT_FOUND)
            hcs__sleep_ms(10);
    }
    assert_int_equal(hr, HCS_OK);
    assert_int_equal(hcs_system_terminate(sys, 10000, &err), HCS_OK);
    hcs_system_close(sys);
    hcs_error_clear(&err);
}

enum { THREADS = 8, ROUNDS = 10 };

static void worker(void *arg)
{
    int n = *(int *)arg;
    for (int r = 0; r < ROUNDS; r++) {
        char id[64];
        snprintf(id, sizeof id, "lib-thread-%d-%d", n, r);
        hcs_system sys;
        hcs_error err = {0};
        int32_t hr = hcs_system_create(client, &(hcs_system_spec){.id = id, .config_json = CONFIG}, 10000, &sys, &err);
        if (hr == HCS_OK)
            hr = hcs_system_start(sys, NULL, 10000, &err);
        if (hr == HCS_OK)
            hr = hcs_system_terminate(sys, 10000, &err);
        hcs_system_close(sys);
        hcs_error_clear(&err);
        if (hr != HCS_OK)
            *(int *)arg = -1;
    }
}

/* Many threads share one client; a shared system is used and closed while
 * others still call on it. */
static void threads_share_a_client(void **state)
{
    (void)state;
    NEEDS_DOCUMENT(CONFIG);
    hcs_thread threads[THREADS];
    int args[THREADS];
    for (int i = 0; i < THREADS; i++) {
        args[i] = i;
        assert_int_equal(hcs__thread_start(&threads[i], worker, &args[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        hcs__thread_join(threads[i]);
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(args[i], i);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(lifecycle, reset),
        cmocka_unit_test_setup(errors_carry_the_result_document, reset),
        cmocka_unit_test_setup(bad_arguments, reset),
        cmocka_unit_test_setup(timeout_never_abandons_the_work, reset),
        cmocka_unit_test_setup(threads_share_a_client, reset),
    };
    return cmocka_run_group_tests_name("libhcs systems", tests, open_client, close_client);
}
