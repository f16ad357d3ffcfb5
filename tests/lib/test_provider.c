/* Where a provider library comes from and how long it stays: a bare name
 * loads from the program's directory only (never a search path), a relative
 * path is refused, and a library once loaded stays loaded, so the systems it
 * holds outlive the clients and its threads never run unmapped code. This
 * program does not link the simulator: the library it loads is the only copy,
 * as in an application. */
#include <hcs/hcs.h>

#include "platform/dynlib.h"
#include "platform/thread.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#ifdef _WIN32
#include <windows.h>
#define SEP "\\"
#else
#define SEP "/"
#endif

#define CONTAINER "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Owner\":\"libtests\",\"Container\":{}}"

static hcs_client open_sim(void)
{
    hcs_client_options opts = {.provider = HCSKIT_SIM_PROVIDER};
    hcs_client c = {0};
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(hcs_client_open(&opts, &c, &err), HCS_OK);
    return c;
}

static void assert_running(hcs_client c, const char *id)
{
    hcs_system sys;
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(hcs_system_open(c, id, &sys, &err), HCS_OK);
    char *props = NULL;
    assert_int_equal(hcs_system_properties_json(sys, NULL, HCS_TIMEOUT_DEFAULT, &props, &err), HCS_OK);
    assert_non_null(strstr(props, "\"State\":\"Running\""));
    hcs_free(props);
    hcs_system_close(sys);
}

static void terminate(hcs_client c, const char *id)
{
    hcs_system sys;
    assert_int_equal(hcs_system_open(c, id, &sys, NULL), HCS_OK);
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_close(sys);
}

/* Systems are host state: closing the only client and opening another on
 * the same provider finds the system still there and running. */
static void systems_outlive_their_client(void **state)
{
    (void)state;
    hcs_client c = open_sim();
    hcs_system sys;
    assert_int_equal(hcs_system_create(c, &(hcs_system_spec){.id = "outlives-client", .config_json = CONTAINER},
                                       HCS_TIMEOUT_DEFAULT, &sys, NULL),
                     HCS_OK);
    assert_int_equal(hcs_system_start(sys, NULL, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_close(sys);
    hcs_client_close(c);

    c = open_sim();
    assert_running(c, "outlives-client");
    terminate(c, "outlives-client");
    hcs_client_close(c);
}

typedef struct reported {
    hcs_mutex mu;
    int count;
    int32_t hr;
} reported;

static void on_started(hcs_result *r, void *user)
{
    reported *rep = user;
    hcs__mutex_lock(&rep->mu);
    rep->count++;
    rep->hr = r->hr;
    hcs__mutex_unlock(&rep->mu);
}

/* The last client closes while a request is in flight: its completion comes
 * on the provider's thread, which drops the last reference and then returns
 * into the provider. The process keeps running a while to feel it. */
static void last_close_under_provider_threads(void **state)
{
    (void)state;
    reported rep = {.count = 0};
    hcs__mutex_init(&rep.mu);
    hcs_client c = open_sim();
    hcs_system sys;
    assert_int_equal(hcs_system_create(c, &(hcs_system_spec){.id = "close-in-flight", .config_json = CONTAINER},
                                       HCS_TIMEOUT_DEFAULT, &sys, NULL),
                     HCS_OK);
    hcs_async how = {.callback = on_started, .user_data = &rep, .timeout_ms = HCS_TIMEOUT_DEFAULT};
    assert_int_equal(hcs_system_start_async(sys, NULL, &how, NULL, NULL), HCS_OK);
    hcs_system_close(sys);
    hcs_client_close(c);
    uint64_t until = hcs__clock_ms() + 1000;
    while (hcs__clock_ms() < until)
        hcs__sleep_ms(20);
    hcs__mutex_lock(&rep.mu);
    assert_int_equal(rep.count, 1);
    assert_int_equal(rep.hr, HCS_OK);
    hcs__mutex_unlock(&rep.mu);
    hcs__mutex_destroy(&rep.mu);

    c = open_sim();
    assert_running(c, "close-in-flight");
    terminate(c, "close-in-flight");
    hcs_client_close(c);
}

static void assert_refused(const char *provider)
{
    hcs_client_options opts = {.provider = provider};
    hcs_client c;
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(hcs_client_open(&opts, &c, &err), HCS_COM_E_INVALIDARG);
    assert_int_equal(c.id, 0);
    assert_string_equal(err.call, "hcs_client_open");
    assert_non_null(strstr(err.message, provider));
    assert_non_null(strstr(err.message, "relative path"));
    assert_non_null(strstr(err.message, "absolute"));
    hcs_error_clear(&err);
}

/* A relative path would load whatever the current directory holds. */
static void relative_paths_are_refused(void **state)
{
    (void)state;
    assert_refused("./" HCSKIT_SIM_FILE);
    assert_refused("sub/x.dll");
    assert_refused("../bin/" HCSKIT_SIM_FILE);
#ifdef _WIN32
    assert_refused("sub\\x.dll");
    assert_refused("C:x.dll");
#endif
}

/* The test's own directory holds the simulator: its bare name loads. */
static void bare_name_loads_from_program_directory(void **state)
{
    (void)state;
    hcs_client_options opts = {.provider = HCSKIT_SIM_FILE};
    hcs_client c;
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(hcs_client_open(&opts, &c, &err), HCS_OK);
    assert_true(hcs_client_supports(c, "HcsCreateComputeSystem"));
    hcs_client_close(c);
}

/* A library that only a search path names (LD_LIBRARY_PATH, set by ctest;
 * PATH, set here) is not loaded by its bare name, though it loads by its
 * absolute path. */
static void bare_name_ignores_search_path(void **state)
{
    (void)state;
    char *dir = hcs__program_dir();
    assert_non_null(dir);
    char absolute[4096];
    snprintf(absolute, sizeof absolute, "%s" SEP "elsewhere" SEP "%s", dir, HCSKIT_ELSEWHERE_FILE);
#ifdef _WIN32
    char path[4096];
    snprintf(path, sizeof path, "%s" SEP "elsewhere;%s", dir, getenv("PATH") ? getenv("PATH") : "");
    assert_true(SetEnvironmentVariableA("PATH", path));
#else
    const char *search = getenv("LD_LIBRARY_PATH");
    assert_non_null(search);
    assert_non_null(strstr(search, "elsewhere"));
#endif
    hcs_client_options opts = {.provider = absolute};
    hcs_client c;
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(hcs_client_open(&opts, &c, &err), HCS_OK);
    hcs_client_close(c);

    opts.provider = HCSKIT_ELSEWHERE_FILE;
    assert_int_equal(hcs_client_open(&opts, &c, &err), HCS_WIN32_E_MOD_NOT_FOUND);
    assert_non_null(strstr(err.message, HCSKIT_ELSEWHERE_FILE));
    assert_non_null(strstr(err.message, dir)); /* where it was looked for */
    hcs_error_clear(&err);
    free(dir);
}

/* A provider that does not load is reported whole, however long its path:
 * the path as given and the loader's own reason, which comes after it
 * (a 300-byte buffer used to cut the reason off, and a 512-byte one the
 * path, possibly inside a UTF-8 character). */
static void long_provider_path_is_reported_whole(void **state)
{
    (void)state;
    char path[700];
#ifdef _WIN32
    size_t n = (size_t)snprintf(path, sizeof path, "C:\\no-such-dir");
#else
    size_t n = (size_t)snprintf(path, sizeof path, "/no-such-dir");
#endif
    while (n + 40 < sizeof path) /* path segments of 9 bytes, a two-byte letter in each */
        n += (size_t)snprintf(path + n, sizeof path - n, SEP "seg-\xc3\xa9-%02u", (unsigned)(n % 100));
#ifdef _WIN32
    snprintf(path + n, sizeof path - n, SEP "provider.dll");
#else
    snprintf(path + n, sizeof path - n, SEP "libprovider.so");
#endif
    hcs_client_options opts = {.provider = path};
    hcs_client c;
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(hcs_client_open(&opts, &c, &err), HCS_WIN32_E_MOD_NOT_FOUND);
    assert_non_null(strstr(err.message, path));
#ifdef _WIN32
    assert_non_null(strstr(err.message, "Win32 error "));
#else
    assert_non_null(strstr(err.message, "No such file or directory"));
#endif
    hcs_error_clear(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(systems_outlive_their_client),
        cmocka_unit_test(last_close_under_provider_threads),
        cmocka_unit_test(relative_paths_are_refused),
        cmocka_unit_test(bare_name_loads_from_program_directory),
        cmocka_unit_test(long_provider_path_is_reported_whole),
        cmocka_unit_test(bare_name_ignores_search_path),
    };
    return cmocka_run_group_tests_name("libhcs providers", tests, NULL, NULL);
}
