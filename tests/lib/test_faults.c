/* libhcs against a misbehaving service (hcssim fault plans): kickoff and
 * completion failures carry HCS's code and ResultError, never-completing
 * calls time out without leaking, and a call the emulated build lacks fails
 * alone. Leak checks come from the ASan leg (LSan). */
#include "lib_helpers.h"

static int reset(void **state)
{
    (void)state;
    hcssim_set_faults(NULL, NULL, 0);
    hcssim_set_latency(NULL, 1);
    return 0;
}

static void plan(const char *json)
{
    char error[256];
    if (hcssim_set_faults(json, error, sizeof error) != 0)
        fail_msg("fault plan refused: %s", error);
}

/* The call itself fails: HCS's code, the call named, no operation left. */
static void kickoff_failure(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    hcs_system sys = running_system("kickoff", CONTAINER);
    plan("{\"faults\":[{\"call\":\"HcsGetComputeSystemProperties\",\"at\":\"kickoff\",\"hresult\":\"0x800706BF\"}]}");
    hcs_error err = {0};
    char *props = NULL;
    assert_int_equal(hcs_system_properties_json(sys, NULL, HCS_TIMEOUT_DEFAULT, &props, &err), (int32_t)0x800706BF);
    assert_null(props);
    assert_string_equal(err.call, "HcsGetComputeSystemProperties");
    assert_non_null(strstr(err.message, "0x800706BF"));
    hcs_error_clear(&err);
    reset(NULL);
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_close(sys);
}

/* The operation fails with a ResultError carrying events and an
 * attribution (hcsshim-and-peers §6 #28): both reach hcs_error. */
static void completion_failure_with_result_error(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    plan("{\"faults\":[{\"call\":\"HcsStartComputeSystem\",\"at\":\"completion\",\"hresult\":-2147024891,"
         "\"result_document\":{\"Error\":-2147024891,\"ErrorMessage\":\"Access is denied.\",\"ErrorEvents\":"
         "[{\"Message\":\"the vmwp could not open the disk\",\"Provider\":\"x\"}],\"Attribution\":[{\"SystemExit\":"
         "{\"Detail\":\"HcsApiFatalError\",\"Initiator\":\"Internal\"}}]}}]}");
    hcs_system sys;
    assert_int_equal(hcs_system_create(client, &(hcs_system_spec){.id = unique_id("denied"), .config_json = CONTAINER},
                                       HCS_TIMEOUT_DEFAULT, &sys, NULL),
                     HCS_OK);
    hcs_error err = {0};
    assert_int_equal(hcs_system_start(sys, NULL, HCS_TIMEOUT_DEFAULT, &err), HCS_WIN32_E_ACCESS_DENIED);
    assert_int_equal(err.kind, HCS_ERROR_ACCESS_DENIED);
    assert_non_null(err.result);
    assert_int_equal(err.result->error, HCS_WIN32_E_ACCESS_DENIED);
    assert_int_equal(err.result->event_count, 1);
    assert_non_null(strstr(err.result->attribution_json, "HcsApiFatalError"));
    assert_non_null(strstr(err.message, "the vmwp could not open the disk"));
    hcs_error_clear(&err);
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_close(sys);
}

/* A create that never completes times out; when the system later exits
 * the parked call completes and libhcs frees everything it kept. */
static void never_completing_create(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    plan("{\"faults\":[{\"call\":\"HcsStartComputeSystem\",\"never\":true}]}");
    hcs_system sys;
    assert_int_equal(hcs_system_create(client, &(hcs_system_spec){.id = unique_id("hang"), .config_json = CONTAINER},
                                       HCS_TIMEOUT_DEFAULT, &sys, NULL),
                     HCS_OK);
    hcs_error err = {0};
    assert_int_equal(hcs_system_start(sys, NULL, 20, &err), HCS_E_OPERATION_TIMEOUT);
    assert_int_equal(err.kind, HCS_ERROR_TIMEOUT);
    hcs_error_clear(&err);
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_close(sys);
}

/* The emulated build lacks the namespace functions (1809): only that call
 * fails, with HCS_WIN32_E_PROC_NOT_FOUND naming it. */
static void missing_export(void **state)
{
    (void)state;
    const char *profile = getenv("HCSSIM_PROFILE");
    bool old_build = profile && strcmp(profile, "1809") == 0;
    hcs_client tenant;
    assert_int_equal(
        hcs_client_open(&(hcs_client_options){.provider = TEST_PROVIDER, .namespace_id = "tenant"}, &tenant, NULL),
        HCS_OK);
    hcs_system_spec p = {.id = unique_id("ns"), .config_json = CONTAINER};
    hcs_system sys = {0};
    hcs_error err = {0};
    int32_t hr = hcs_system_create(tenant, &p, HCS_TIMEOUT_DEFAULT, &sys, &err);
    if (old_build) {
        assert_int_equal(hr, HCS_WIN32_E_PROC_NOT_FOUND);
        assert_int_equal(err.kind, HCS_ERROR_UNSUPPORTED);
        assert_non_null(strstr(err.message, "HcsCreateComputeSystemInNamespace"));
        assert_false(hcs_client_supports(client, "HcsCreateComputeSystemInNamespace"));
    } else {
        assert_int_equal(hr, HCS_OK);
        assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
        hcs_system_close(sys);
    }
    hcs_error_clear(&err);
    hcs_client_close(tenant);
    /* everything else works on that build */
    hcs_system other = running_system("plain", CONTAINER);
    assert_int_equal(hcs_system_terminate(other, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_close(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(kickoff_failure, reset),
        cmocka_unit_test_teardown(completion_failure_with_result_error, reset),
        cmocka_unit_test_teardown(never_completing_create, reset),
        cmocka_unit_test_teardown(missing_export, reset),
    };
    return cmocka_run_group_tests(tests, open_client, close_client);
}
