/* libhcs clients: provider selection and clear errors for a missing
 * provider or missing exports. */
#include <hcs/hcs.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define FIXTURE(name) HCSKIT_FIXTURE_DIR name HCSKIT_MODULE_SUFFIX

static hcs_client open_with(const char *provider, int32_t want, hcs_error *err)
{
    hcs_client_options opts = {.provider = provider};
    hcs_client c = {0};
    assert_int_equal(hcs_client_open(&opts, &c, err), want);
    return c;
}

static void named_simulator_opens(void **state)
{
    (void)state;
    hcs_error err = {0};
    hcs_client c = open_with(HCSKIT_SIM_PROVIDER, HCS_OK, &err);
    char *name = NULL;
    assert_int_equal(hcs_client_provider(c, &name, NULL), HCS_OK);
    assert_non_null(strstr(name, "hcssim"));
    hcs_free(name);
    assert_true(hcs_client_supports(c, "HcsCreateComputeSystem"));
    assert_false(hcs_client_supports(c, "HcsNoSuchFunction"));
    hcs_client_close(c);
    hcs_client_close(c); /* idempotent */
    assert_int_equal(hcs_client_provider(c, &name, &err), HCS_WIN32_E_INVALID_HANDLE);
    assert_int_equal(err.kind, HCS_ERROR_INVALID_HANDLE);
    assert_null(name);
    hcs_error_clear(&err);
}

/* The platform default: System32's computecore.dll on Windows (absent under
 * Wine, so a clear error), the embedded simulator elsewhere. */
static void default_provider(void **state)
{
    (void)state;
    hcs_error err = {0};
#ifdef _WIN32
    open_with(NULL, HCS_WIN32_E_MOD_NOT_FOUND, &err);
    assert_int_equal(err.kind, HCS_ERROR_UNSUPPORTED);
    assert_non_null(strstr(err.message, "computecore.dll"));
    assert_non_null(strstr(err.message, "HCS_PROVIDER"));
    open_with("embedded", HCS_WIN32_E_NOT_SUPPORTED, &err);
#else
    hcs_client c = open_with(NULL, HCS_OK, &err);
    char *name = NULL;
    assert_int_equal(hcs_client_provider(c, &name, NULL), HCS_OK);
    assert_string_equal(name, "the embedded simulator");
    hcs_free(name);
    hcs_client_close(c);
    open_with("system", HCS_WIN32_E_NOT_SUPPORTED, &err);
    assert_non_null(strstr(err.message, "only on Windows"));
#endif
    hcs_error_clear(&err);
}

static void missing_provider_is_a_clear_error(void **state)
{
    (void)state;
    hcs_error err = {0};
    open_with("no-such-provider" HCSKIT_MODULE_SUFFIX, HCS_WIN32_E_MOD_NOT_FOUND, &err);
    assert_int_equal(err.hr, HCS_WIN32_E_MOD_NOT_FOUND);
    assert_string_equal(err.call, "hcs_client_open");
    assert_non_null(strstr(err.message, "cannot load HCS provider no-such-provider"));
    hcs_error_clear(&err);
}

static void provider_without_operations_is_refused(void **state)
{
    (void)state;
    hcs_error err = {0};
    open_with(FIXTURE("provider_empty"), HCS_WIN32_E_PROC_NOT_FOUND, &err);
    assert_non_null(strstr(err.message, "does not export HcsCreateOperation"));
    hcs_error_clear(&err);
}

/* A missing export fails only the calls that need it. */
static void missing_export_fails_only_its_calls(void **state)
{
    (void)state;
    hcs_error err = {0};
    hcs_client c = open_with(FIXTURE("provider_partial"), HCS_OK, &err);
    assert_false(hcs_client_supports(c, "HcsCreateComputeSystem"));
    assert_true(hcs_client_supports(c, "HcsCreateOperation"));
    hcs_system sys;
    assert_int_equal(hcs_system_create(c, &(hcs_system_spec){.id = "x", .config_json = "{}"}, 1000, &sys, &err),
                     HCS_WIN32_E_PROC_NOT_FOUND);
    assert_int_equal(err.kind, HCS_ERROR_UNSUPPORTED);
    assert_string_equal(err.call, "HcsCreateComputeSystem");
    assert_non_null(strstr(err.message, "not supported on this host"));
    char *list = NULL;
    assert_int_equal(hcs_system_enumerate_json(c, NULL, 1000, &list, &err), HCS_WIN32_E_PROC_NOT_FOUND);
    assert_null(list);
    assert_int_equal(hcs_system_open(c, "x", &sys, NULL), HCS_WIN32_E_PROC_NOT_FOUND);
    hcs_client_close(c);
    hcs_error_clear(&err);
}

static void stale_and_bogus_client_handles(void **state)
{
    (void)state;
    hcs_error err = {0};
    hcs_client bogus = {0x123456789ull};
    hcs_system sys;
    assert_int_equal(hcs_system_create(bogus, &(hcs_system_spec){.id = "x", .config_json = "{}"}, 1000, &sys, &err),
                     HCS_WIN32_E_INVALID_HANDLE);
    assert_int_equal(err.kind, HCS_ERROR_INVALID_HANDLE);
    assert_int_equal(hcs_client_open(NULL, NULL, &err), HCS_COM_E_POINTER);
    hcs_client_close(bogus);
    hcs_error_clear(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(named_simulator_opens),
        cmocka_unit_test(default_provider),
        cmocka_unit_test(missing_provider_is_a_clear_error),
        cmocka_unit_test(provider_without_operations_is_refused),
        cmocka_unit_test(missing_export_fails_only_its_calls),
        cmocka_unit_test(stale_and_bogus_client_handles),
    };
    return cmocka_run_group_tests_name("libhcs client", tests, NULL, NULL);
}
