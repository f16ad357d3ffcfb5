/* hcsctl through its binary, each command a process of its own on a
 * simulator of its own (the embedded one; hcssim.dll on Windows): help,
 * the man page and completion, usage errors (exit 2), errors naming the
 * cause and fix (exit 1), timeouts (exit 124), --json parsed, --trace, and
 * the note that the embedded simulator's state ends with the command. Runs
 * in every leg; test_hcsctl_daemon.c has the verbs that need a host shared
 * between commands. */
#include "spawn.h"

#include <hcs/version.h>

#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "parse_json.h"

static const char *const verbs[] = {"list",  "inspect", "create",  "start",  "pause", "resume", "save",
                                    "stop",  "kill",    "rm",      "modify", "wait",  "events", "ps",
                                    "stats", "exec",    "service", "demo",   "layer"};
#define VERB_COUNT (sizeof verbs / sizeof verbs[0])

static void help_lists_every_verb(void **state)
{
    (void)state;
    run_result r;
    assert_int_equal(run_hcsctl(NULL, &r, "--help", NULL), 0);
    for (size_t i = 0; i < VERB_COUNT; i++) {
        char line[64];
        snprintf(line, sizeof line, "\n  %s ", verbs[i]);
        assert_non_null(strstr(r.out, line));
    }
    assert_non_null(strstr(r.out, "exit codes:"));
    assert_non_null(strstr(r.out, "124"));
    run_result_clear(&r);
    /* No verb at all: the same help, as a usage error. */
    assert_int_equal(run_hcsctl(NULL, &r, NULL), 2);
    assert_non_null(strstr(r.err, "usage: hcsctl"));
    run_result_clear(&r);
}

static void every_verb_has_help(void **state)
{
    (void)state;
    for (size_t i = 0; i < VERB_COUNT; i++) {
        run_result r;
        char usage[64];
        snprintf(usage, sizeof usage, "usage: hcsctl %s", verbs[i]);
        assert_int_equal(run_hcsctl(NULL, &r, verbs[i], "--help", NULL), 0);
        assert_ptr_equal(strstr(r.out, usage), r.out);
        assert_non_null(strstr(r.out, "global options:"));
        assert_string_equal(r.err, "");
        run_result_clear(&r);
        assert_int_equal(run_hcsctl(NULL, &r, verbs[i], "-h", NULL), 0);
        assert_ptr_equal(strstr(r.out, usage), r.out);
        run_result_clear(&r);
    }
}

static void version(void **state)
{
    (void)state;
    run_result r;
    assert_int_equal(run_hcsctl(NULL, &r, "--version", NULL), 0);
    assert_string_equal(r.out, "hcsctl " HCS_VERSION_STRING "\n");
    run_result_clear(&r);
}

static void man_page(void **state)
{
    (void)state;
    run_result r;
    assert_int_equal(run_hcsctl(NULL, &r, "--man", NULL), 0);
    assert_non_null(strstr(r.out, ".TH HCSCTL 1"));
    for (size_t i = 0; i < VERB_COUNT; i++) {
        char section[64];
        snprintf(section, sizeof section, ".SS \"%s\"\n\\fBhcsctl %s\\fR", verbs[i], verbs[i]);
        assert_non_null(strstr(r.out, section));
    }
    assert_non_null(strstr(r.out, ".SH EXIT STATUS"));
    assert_non_null(strstr(r.out, ".SH ENVIRONMENT"));
    assert_non_null(strstr(r.out, "\\fB\\-\\-no\\-stream\\fR")); /* an option of stats */
    run_result_clear(&r);
}

static void completion(void **state)
{
    (void)state;
    run_result r;
    assert_int_equal(run_hcsctl(NULL, &r, "--completion", "bash", NULL), 0);
    assert_non_null(strstr(r.out, "complete -F _hcsctl hcsctl\n"));
    for (size_t i = 0; i < VERB_COUNT; i++) {
        char arm[64];
        snprintf(arm, sizeof arm, "\n    %s)\n", verbs[i]);
        assert_non_null(strstr(r.out, arm));
    }
    assert_non_null(strstr(r.out, "--interactive -i")); /* exec's options */
    assert_non_null(strstr(r.out, "Running Paused"));   /* list --state's values */
    run_result_clear(&r);
    assert_int_equal(run_hcsctl(NULL, &r, "--completion", "fish", NULL), 2);
    assert_non_null(strstr(r.err, "bash only"));
    run_result_clear(&r);
}

/* A bad command line: exit 2, a message naming the problem, no HCS call. */
static void usage_errors(void **state)
{
    (void)state;
    static const struct {
        const char *args[6];
        const char *says;
    } cases[] = {
        {{"frobnicate"}, "no verb \"frobnicate\""},
        {{"--bogus", "list"}, "unknown option --bogus"},
        {{"list", "--bogus"}, "unknown option --bogus"},
        {{"list", "extra"}, "unexpected argument \"extra\""},
        {{"start"}, "which system?"},
        {{"list", "--state", "Sleeping"}, "no state \"Sleeping\""},
        {{"create", "c1"}, "give one of FILE, -, --container and --vm"},
        {{"create", "c1", "--container", "--vm"}, "give one of FILE, -, --container and --vm"},
        {{"create", "c1", "--vm", "--memory", "lots"}, "--memory and --cpus want a whole number"},
        {{"stop", "--timeout", "soon", "c1"}, "--timeout wants a number of seconds"},
        {{"stop", "--timeout"}, "--timeout needs a value"},
        {{"--timeout", "0", "list"}, "--timeout wants a number of seconds above 0"},
        {{"exec", "c1"}, "arguments are missing"},
        {{"exec", "-e", "NOVALUE", "c1", "cmd"}, "--env wants NAME=VALUE"},
        {{"exec", "-x", "c1", "cmd"}, "unknown option -x"},
        {{"stats", "--interval", "0"}, "--interval wants a number of seconds above 0"},
        {{"list", "--json=yes"}, "--json takes no value"},
        {{"rm", "-f", "-f", "c1"}, "--force is given twice"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run_result r;
        const char *const *a = cases[i].args;
        int status = run_hcsctl(NULL, &r, a[0], a[1], a[2], a[3], a[4], a[5], NULL);
        if (status != 2 || !strstr(r.err, cases[i].says))
            fail_msg("hcsctl %s %s ...: exit %d, stderr: %s", a[0], a[1] ? a[1] : "", status, r.err);
        assert_string_equal(r.out, "");
        run_result_clear(&r);
    }
}

/* hcs-api §11 #25: no such system. The message names the cause and the
 * fix, in the words of the issue. */
static void not_found(void **state)
{
    (void)state;
    static const char *const verbs_on_one[] = {"start", "pause", "resume", "stop", "kill", "inspect", "ps", "wait"};
    for (size_t i = 0; i < sizeof verbs_on_one / sizeof verbs_on_one[0]; i++) {
        run_result r;
        assert_int_equal(run_hcsctl(NULL, &r, verbs_on_one[i], "web1", NULL), 1);
        assert_non_null(
            strstr(r.err, "hcsctl: no compute system 'web1' (HCS_E_SYSTEM_NOT_FOUND); see 'hcsctl list'\n"));
        assert_string_equal(r.out, "");
        run_result_clear(&r);
    }
    run_result r;
    assert_int_equal(run_hcsctl(NULL, &r, "exec", "web1", "--", "cmd", "/c", "echo", "hi", NULL), 1);
    assert_non_null(strstr(r.err, "no compute system 'web1'"));
    run_result_clear(&r);
    assert_int_equal(run_hcsctl("{}", &r, "modify", "web1", "-", NULL), 1);
    assert_non_null(strstr(r.err, "no compute system 'web1'"));
    run_result_clear(&r);
    /* rm --force: a system that does not exist is no error. */
    assert_int_equal(run_hcsctl(NULL, &r, "rm", "--force", "web1", NULL), 0);
    run_result_clear(&r);
    assert_int_equal(run_hcsctl(NULL, &r, "rm", "web1", NULL), 1);
    run_result_clear(&r);
}

static void list_empty(void **state)
{
    (void)state;
    run_result r;
    assert_int_equal(run_hcsctl(NULL, &r, "list", NULL), 0);
    assert_string_equal(r.out, "ID  TYPE  STATE  OWNER  RUNTIME ID\n");
    run_result_clear(&r);
    assert_int_equal(run_hcsctl(NULL, &r, "list", "--json", NULL), 0);
    json_t *doc = parse_json(r.out);
    assert_true(json_is_array(doc));
    assert_int_equal(json_array_size(doc), 0);
    json_decref(doc);
    run_result_clear(&r);
    assert_int_equal(run_hcsctl(NULL, &r, "list", "-q", NULL), 0);
    assert_string_equal(r.out, "");
    run_result_clear(&r);
}

/* hcs-api §11 #49: the schema versions of the emulated build (21H2: 2.0
 * to 2.6), and which provider hcsctl uses. */
static void service(void **state)
{
    (void)state;
    run_result r;
    assert_int_equal(run_hcsctl(NULL, &r, "service", "--json", NULL), 0);
    json_t *doc = parse_json(r.out);
    assert_true(json_is_string(json_object_get(doc, "Provider")));
    json_t *versions = json_object_get(doc, "SupportedSchemaVersions");
    assert_true(json_array_size(versions) >= 2);
    json_t *last = json_array_get(versions, json_array_size(versions) - 1);
    assert_int_equal(json_integer_value(json_object_get(last, "Major")), 2);
    assert_int_equal(json_integer_value(json_object_get(last, "Minor")), 6);
    json_t *props = json_object_get(json_object_get(doc, "ServiceProperties"), "Properties");
    assert_true(json_is_array(json_object_get(json_array_get(props, 0), "SupportedSchemaVersions")));
    json_decref(doc);
    run_result_clear(&r);
    assert_int_equal(run_hcsctl(NULL, &r, "service", NULL), 0);
    assert_non_null(strstr(r.out, "provider:"));
    assert_non_null(strstr(r.out, " 2.1 "));
    run_result_clear(&r);
}

static void trace(void **state)
{
    (void)state;
    run_result r;
    assert_int_equal(run_hcsctl(NULL, &r, "--trace", "list", NULL), 0);
    assert_non_null(strstr(r.err, "hcsctl: trace: HcsEnumerateComputeSystems op "));
    assert_non_null(strstr(r.err, " ms 0x00000000 S_OK"));
    run_result_clear(&r);
    /* After the verb too. */
    assert_int_equal(run_hcsctl(NULL, &r, "start", "web1", "--trace", NULL), 1);
    assert_non_null(strstr(r.err, "hcsctl: trace: HcsOpenComputeSystem"));
    assert_non_null(strstr(r.err, "0x8037010E HCS_E_SYSTEM_NOT_FOUND"));
    run_result_clear(&r);
}

/* --timeout bounds each HCS call: exit 124, and the work goes on in HCS
 * (hcs-api §3; a fault plan delays the enumeration). */
static void timeout(void **state)
{
    (void)state;
    test_setenv("HCSSIM_FAULTS", "{\"faults\":[{\"call\":\"HcsEnumerateComputeSystems\",\"delay_ms\":3000}]}");
    run_result r;
    int status = run_hcsctl(NULL, &r, "--timeout", "0.2", "list", NULL);
    test_setenv("HCSSIM_FAULTS", NULL);
    assert_int_equal(status, 124);
    assert_non_null(strstr(r.err, "hcsctl: list did not finish in time (HCS_E_OPERATION_TIMEOUT)"));
    run_result_clear(&r);
}

/* A document HCS refuses (hcs-api §11 #16): exit 1, HCS's words, the fix. */
static void create_refused(void **state)
{
    (void)state;
    run_result r;
    assert_int_equal(run_hcsctl("{\"SchemaVersion\":{\"Major\":2,\"Minor\":1}}", &r, "create", "c1", "-", NULL), 1);
    assert_non_null(strstr(r.err, "hcsctl: HCS refused the create request for c1 (HCS_E_INVALID_JSON)"));
    assert_non_null(strstr(r.err, "check the document against HCS's schema"));
    run_result_clear(&r);
    char *missing = scratch_file("missing.json");
    assert_int_equal(run_hcsctl(NULL, &r, "create", "c1", missing, NULL), 1);
    assert_non_null(strstr(r.err, "cannot open"));
    run_result_clear(&r);
    free(missing);
}

/* Create works within one command: the id is printed. */
static void create_in_one_command(void **state)
{
    (void)state;
    run_result r;
    assert_int_equal(run_hcsctl(NULL, &r, "create", "vm1", "--vm", "--memory", "512", "--cpus", "2", NULL), 0);
    assert_string_equal(r.out, "vm1\n");
    run_result_clear(&r);
    assert_int_equal(
        run_hcsctl("{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Container\":{}}", &r, "create", "c1", "-", NULL), 0);
    assert_string_equal(r.out, "c1\n");
    run_result_clear(&r);
}

static void demo(void **state)
{
    (void)state;
    run_result r;
    assert_int_equal(run_hcsctl(NULL, &r, "demo", NULL), 0);
    assert_non_null(strstr(r.out, "demo finished"));
    assert_null(strstr(r.out, "FAIL"));
    run_result_clear(&r);
}

#ifndef _WIN32
/* Off Windows, without a provider named and no hcssimd socket, hcsctl runs
 * on the embedded simulator and says once that its state ends with the
 * command; a provider named says nothing. */
static void embedded_note(void **state)
{
    (void)state;
    run_result r;
    assert_int_equal(run_hcsctl(NULL, &r, "list", NULL), 0);
    const char *note = strstr(r.err, "hcsctl: no hcssimd at ");
    assert_non_null(note);
    assert_non_null(strstr(note, "what it creates ends with it"));
    assert_null(strstr(note + strlen("hcsctl: no hcssimd at"), "no hcssimd at")); /* once */
    run_result_clear(&r);
    assert_int_equal(run_hcsctl(NULL, &r, "--provider", "embedded", "list", NULL), 0);
    assert_string_equal(r.err, "");
    run_result_clear(&r);
    test_setenv("HCS_PROVIDER", "embedded");
    assert_int_equal(run_hcsctl(NULL, &r, "list", NULL), 0);
    test_setenv("HCS_PROVIDER", NULL);
    assert_string_equal(r.err, "");
    run_result_clear(&r);
}
#endif

#ifdef _WIN32
/* Windows has no embedded simulator: naming it fails with exit 1 and names
 * the providers that work there (docs/hcsctl.md, "The provider"). */
static void no_embedded_on_windows(void **state)
{
    (void)state;
    run_result r;
    assert_int_equal(run_hcsctl(NULL, &r, "--provider", "embedded", "list", NULL), 1);
    assert_string_equal(r.out, "");
    assert_non_null(strstr(r.err, "there is no embedded simulator on Windows"));
    assert_non_null(strstr(r.err, "'--provider hcssimd' with hcssimd.exe running"));
    assert_non_null(strstr(r.err, "'--provider hcssim.dll'"));
    run_result_clear(&r);
}
#endif

int main(void)
{
#ifndef _WIN32
    /* No daemon of the user's: a socket path where there is none. */
    char *socket = scratch_file("no-daemon.sock");
    test_setenv("HCSSIM_SOCKET", socket);
    test_setenv("HCS_PROVIDER", NULL);
    free(socket);
#endif
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(help_lists_every_verb),
        cmocka_unit_test(every_verb_has_help),
        cmocka_unit_test(version),
        cmocka_unit_test(man_page),
        cmocka_unit_test(completion),
        cmocka_unit_test(usage_errors),
        cmocka_unit_test(not_found),
        cmocka_unit_test(list_empty),
        cmocka_unit_test(service),
        cmocka_unit_test(trace),
        cmocka_unit_test(timeout),
        cmocka_unit_test(create_refused),
        cmocka_unit_test(create_in_one_command),
        cmocka_unit_test(demo),
#ifndef _WIN32
        cmocka_unit_test(embedded_note),
#else
        cmocka_unit_test(no_embedded_on_windows),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
