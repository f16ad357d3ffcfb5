/* hcssim conformance: compute systems (hcs-api §11.1, §11 #14-#26, #31,
 * #52, #54, #55). */
#include "sim_helpers.h"

#include "platform/thread.h"

#define E_HANDLE_ ((HRESULT)0x80070006)

static int reset(void **state)
{
    (void)state;
    hcssim_set_latency(NULL, 1);
    return 0;
}

/* The ASCII text of a system's exit-state properties contains `needle`. */
static int props_contain(HCS_SYSTEM sys, const char *needle)
{
    char *doc = properties(sys);
    int found = strstr(doc, needle) != NULL;
    free(doc);
    return found;
}

static char *enumerate(PCWSTR query)
{
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    char *doc = NULL;
    assert_int_equal(HcsEnumerateComputeSystems(query, op), S_OK);
    assert_int_equal(wait_doc(op, &doc), S_OK);
    HcsCloseOperation(op);
    return doc;
}

static HRESULT create_outcome(PCWSTR id, PCWSTR doc, char **result)
{
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HCS_SYSTEM sys = NULL;
    assert_int_equal(HcsCreateComputeSystem(id, doc, op, NULL, &sys), S_OK);
    assert_non_null(sys);
    HRESULT hr = wait_doc(op, result);
    HcsCloseOperation(op);
    HcsCloseComputeSystem(sys);
    return hr;
}

/* hcs-api §11 #14: handle at once, S_OK without a document, listed Created */
static void create_gives_a_created_system(void **state)
{
    (void)state;
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HCS_SYSTEM sys = NULL;
    assert_int_equal(HcsCreateComputeSystem(W("created-1"), CONTAINER_DOC, op, NULL, &sys), S_OK);
    assert_non_null(sys);
    char *doc = (char *)"unset";
    assert_int_equal(wait_doc(op, &doc), S_OK);
    assert_null(doc);
    HcsCloseOperation(op);
    char *list = enumerate(W("{\"Ids\":[\"created-1\"]}"));
    assert_non_null(strstr(list, "\"Id\":\"created-1\""));
    assert_non_null(strstr(list, "\"State\":\"Created\""));
    assert_non_null(strstr(list, "\"SystemType\":\"Container\""));
    free(list);
    assert_int_equal(run(HcsTerminateComputeSystem, sys), S_OK);
    HcsCloseComputeSystem(sys);
}

/* hcs-api §11 #15 */
static void duplicate_id_fails_in_the_outcome(void **state)
{
    (void)state;
    PCWSTR id = test_id("dup");
    HCS_SYSTEM first = make_container(id, CONTAINER_DOC);
    char *doc = NULL;
    assert_int_equal(create_outcome(id, CONTAINER_DOC, &doc), HCS_E_SYSTEM_ALREADY_EXISTS);
    assert_non_null(strstr(doc, "\"Error\":-2143878897"));
    free(doc);
    assert_int_equal(run(HcsTerminateComputeSystem, first), S_OK);
    HcsCloseComputeSystem(first);
}

/* The outcome's document in UTF-8: it must convert strictly (no half of a
 * surrogate pair, no cut character). */
static char *outcome_utf8(HCS_OPERATION op, HRESULT want)
{
    PWSTR w = NULL;
    assert_int_equal(HcsWaitForOperationResult(op, INFINITE, &w), want);
    assert_non_null(w);
    char *doc = NULL;
    assert_int_equal(hcs__utf16_to_utf8((const uint16_t *)w, &doc), 0);
    LocalFree(w);
    return doc;
}

/* The first ErrorEvents message, as JSON text, starts with `prefix` (JSON
 * text too) and is whole UTF-8: returns its length in bytes. */
static size_t event_message_length(const char *doc, const char *prefix)
{
    static const char key[] = "\"ErrorEvents\":[{\"Message\":\"";
    const char *m = strstr(doc, key);
    if (!m)
        fail_msg("no ErrorEvents in %s", doc);
    m += sizeof key - 1;
    assert_int_equal(strncmp(m, prefix, strlen(prefix)), 0);
    size_t n = 0;
    while (m[n] && m[n] != '"')
        n += m[n] == '\\' ? 2 : 1;
    assert_int_equal(hcs__utf8_valid_prefix(m, n), n);
    return n;
}

/* hcs-api §7: a detail quoting a long multi-byte text (here a system id
 * and a program name of three-byte characters) is cut on a character
 * boundary and the ResultError keeps its ErrorEvents (a cut inside a
 * character used to make the whole event disappear) */
static void long_multibyte_detail_keeps_its_event(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its error wording");
    char id[1024] = "x"; /* "x" then U+65E5 x 300: a 200-byte cut falls inside a character */
    for (int i = 0; i < 300; i++)
        strcat(id, "\xe6\x97\xa5");
    WCHAR *wid = widen(id);
    HCS_SYSTEM first = make_container(wid, CONTAINER_DOC);
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HCS_SYSTEM second = NULL;
    assert_int_equal(HcsCreateComputeSystem(wid, CONTAINER_DOC, op, NULL, &second), S_OK);
    char *doc = outcome_utf8(op, HCS_E_SYSTEM_ALREADY_EXISTS);
    size_t n = event_message_length(doc, "a system with id \\\"x\xe6\x97\xa5");
    assert_true(n > 150 && n < 256);
    free(doc);
    HcsCloseComputeSystem(second);

    assert_int_equal(run(HcsStartComputeSystem, first), S_OK);
    char params[2048];
    snprintf(params, sizeof params, "{\"CommandLine\":\"%s.exe /q\"}", id);
    WCHAR *wparams = widen(params);
    HCS_PROCESS p = NULL;
    assert_int_equal(HcsCreateProcess(first, wparams, op, NULL, &p), S_OK);
    doc = outcome_utf8(op, (HRESULT)0x80070002);
    n = event_message_length(doc, "x\xe6\x97\xa5");
    assert_true(n > 150 && n < 256);
    free(doc);
    HcsCloseProcess(p);

    /* a field name: the detail quotes up to 100 bytes of it */
    snprintf(params, sizeof params, "{\"CommandLine\":\"cmd\",\"%.400s\":1}", id);
    free(wparams);
    wparams = widen(params);
    assert_int_equal(HcsCreateProcess(first, wparams, op, NULL, &p), S_OK);
    doc = outcome_utf8(op, HCS_E_INVALID_JSON);
    event_message_length(doc, "ProcessParameters.x\xe6\x97\xa5");
    assert_non_null(strstr(doc, ": unknown field"));
    free(doc);
    HcsCloseProcess(p);
    HcsCloseOperation(op);
    free(wparams);
    assert_int_equal(run(HcsTerminateComputeSystem, first), S_OK);
    HcsCloseComputeSystem(first);
    free(wid);
}

/* hcs-api §11 #16: a ResultError names the problem */
static void invalid_documents_fail_with_invalid_json(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its error wording");
    static const struct {
        PCWSTR doc;
        const char *detail;
    } cases[] = {
        {W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":1}}"), "found none"},
        {W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Container\":{},\"VirtualMachine\":{}}"), "more than one"},
        {W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Container\":"), "malformed JSON"},
        {W("{\"Container\":{}}"), "SchemaVersion: required"},
        {W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Container\":{},\"Bogus\":1}"), "Bogus: unknown field"},
        {W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Container\":[]}"), "Container: expected object"},
        {W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Container\":{},\"Owner\":5}"), "Owner: expected string"},
        /* #52: newer than the emulated build (21H2 accepts up to 2.6) */
        {W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":7},\"Container\":{}}"), "2.7 is not supported"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *doc = NULL;
        assert_int_equal(create_outcome(test_id("bad"), cases[i].doc, &doc), HCS_E_INVALID_JSON);
        assert_non_null(doc);
        assert_non_null(strstr(doc, "\"Error\":-2143878899"));
        if (!strstr(doc, cases[i].detail))
            fail_msg("case %zu: \"%s\" not in %s", i, cases[i].detail, doc);
        free(doc);
    }
}

/* hcs-api §11 #17 and §11.1: Created -> Running; Running refuses start */
static void start_runs_a_created_system(void **state)
{
    (void)state;
    HCS_SYSTEM sys = make_container(test_id("start"), CONTAINER_DOC);
    assert_int_equal(run(HcsStartComputeSystem, sys), S_OK);
    assert_true(props_contain(sys, "\"State\":\"Running\""));
    assert_int_equal(run(HcsStartComputeSystem, sys), HCS_E_INVALID_STATE);
    assert_int_equal(run(HcsTerminateComputeSystem, sys), S_OK);
    HcsCloseComputeSystem(sys);
}

/* hcs-api §11 #22, #23, #24 */
static void terminate_stops_once(void **state)
{
    (void)state;
    HCS_SYSTEM sys = make_container(test_id("terminate"), CONTAINER_DOC);
    assert_int_equal(run(HcsStartComputeSystem, sys), S_OK);
    assert_int_equal(run(HcsTerminateComputeSystem, sys), S_OK);
    assert_true(props_contain(sys, "\"State\":\"Stopped\""));
    assert_true(props_contain(sys, "\"ExitType\":\"ForcedExit\""));
    assert_int_equal(run(HcsTerminateComputeSystem, sys), HCS_E_SYSTEM_ALREADY_STOPPED);
    assert_int_equal(run(HcsShutDownComputeSystem, sys), HCS_E_SYSTEM_ALREADY_STOPPED);
    assert_int_equal(run(HcsStartComputeSystem, sys), HCS_E_SYSTEM_ALREADY_STOPPED);
    HcsCloseComputeSystem(sys);
}

/* hcs-api §11 #23: the second of two back-to-back requests sees the first */
static void queued_terminates_apply_in_order(void **state)
{
    (void)state;
    HCS_SYSTEM sys = make_container(test_id("order"), CONTAINER_DOC);
    HCS_OPERATION a = HcsCreateOperation(NULL, NULL), b = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsTerminateComputeSystem(sys, a, NULL), S_OK);
    assert_int_equal(HcsTerminateComputeSystem(sys, b, NULL), S_OK);
    assert_int_equal(wait_op(b), HCS_E_SYSTEM_ALREADY_STOPPED);
    assert_int_equal(wait_op(a), S_OK);
    HcsCloseOperation(a);
    HcsCloseOperation(b);
    HcsCloseComputeSystem(sys);
}

/* hcs-api §11 #21 */
static void shutdown_needs_a_guest(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("a VM document of its own (no guest connection)");
    HCS_SYSTEM ctr = make_container(test_id("shutdown"), CONTAINER_DOC);
    assert_int_equal(run(HcsShutDownComputeSystem, ctr), HCS_E_INVALID_STATE);
    assert_int_equal(run(HcsStartComputeSystem, ctr), S_OK);
    assert_int_equal(run(HcsShutDownComputeSystem, ctr), S_OK);
    assert_true(props_contain(ctr, "\"ExitType\":\"GracefulExit\""));
    HcsCloseComputeSystem(ctr);

    HCS_SYSTEM vm = make_container(test_id("vm"), W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},"
                                                    "\"VirtualMachine\":{}}"));
    assert_true(props_contain(vm, "\"SystemType\":\"VirtualMachine\""));
    assert_int_equal(run(HcsStartComputeSystem, vm), S_OK);
    assert_int_equal(run(HcsShutDownComputeSystem, vm), (HRESULT)0x80070032);
    assert_int_equal(run(HcsTerminateComputeSystem, vm), S_OK);
    HcsCloseComputeSystem(vm);
}

/* hcs-api §11 #25 */
static void exited_system_is_forgotten(void **state)
{
    (void)state;
    PCWSTR id = test_id("forgotten");
    HCS_SYSTEM sys = make_container(id, CONTAINER_DOC);
    assert_int_equal(run(HcsTerminateComputeSystem, sys), S_OK);
    HCS_SYSTEM other = (HCS_SYSTEM)(uintptr_t)1;
    assert_int_equal(HcsOpenComputeSystem(id, GENERIC_ALL, &other), HCS_E_SYSTEM_NOT_FOUND);
    assert_null(other);
    char *list = enumerate(NULL);
    char *name = narrow(id);
    assert_null(strstr(list, name));
    free(list);
    free(name);
    HCS_SYSTEM again = make_container(id, CONTAINER_DOC);
    assert_int_equal(run(HcsTerminateComputeSystem, again), S_OK);
    HcsCloseComputeSystem(again);
    HcsCloseComputeSystem(sys);
}

static HRESULT open_until(PCWSTR id, HRESULT want)
{
    /* A bounded poll for an effect that happens on the engine thread. */
    HRESULT hr = S_OK;
    for (int i = 0; i < 500; i++) {
        HCS_SYSTEM h = NULL;
        hr = HcsOpenComputeSystem(id, GENERIC_ALL, &h);
        if (h)
            HcsCloseComputeSystem(h);
        if (hr == want)
            break;
        hcs__sleep_ms(10);
    }
    return hr;
}

/* hcs-api §11 #26 */
static void last_handle_close_terminates_only_when_asked(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("a container document of its own (no layers)");
    PCWSTR keep = test_id("keep");
    HCS_SYSTEM sys = make_container(keep, CONTAINER_DOC);
    HcsCloseComputeSystem(sys);
    HCS_SYSTEM again = NULL;
    assert_int_equal(HcsOpenComputeSystem(keep, GENERIC_ALL, &again), S_OK);
    assert_true(props_contain(again, "\"State\":\"Created\""));
    assert_int_equal(run(HcsTerminateComputeSystem, again), S_OK);
    HcsCloseComputeSystem(again);

    PCWSTR drop = test_id("drop");
    sys = make_container(drop, W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Container\":{},"
                                 "\"ShouldTerminateOnLastHandleClosed\":true}"));
    HCS_SYSTEM second = NULL;
    assert_int_equal(HcsOpenComputeSystem(drop, GENERIC_ALL, &second), S_OK);
    HcsCloseComputeSystem(sys);
    assert_true(props_contain(second, "\"State\":\"Created\"")); /* one handle left */
    HcsCloseComputeSystem(second);
    assert_int_equal(open_until(drop, HCS_E_SYSTEM_NOT_FOUND), HCS_E_SYSTEM_NOT_FOUND);
}

/* hcs-api §11 #31 */
static void enumerate_filters(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("documents of its own (no layers)");
    HCS_SYSTEM a = make_container(W("enum-a"), W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},"
                                                 "\"Owner\":\"alice\",\"Container\":{}}"));
    HCS_SYSTEM b = make_container(W("enum-b"), W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},"
                                                 "\"Owner\":\"bob\",\"VirtualMachine\":{}}"));
    char *all = enumerate(W("{}"));
    assert_non_null(strstr(all, "enum-a"));
    assert_non_null(strstr(all, "enum-b"));
    free(all);
    char *alice = enumerate(W("{\"Owners\":[\"alice\"]}"));
    assert_non_null(strstr(alice, "enum-a"));
    assert_null(strstr(alice, "enum-b"));
    free(alice);
    char *vms = enumerate(W("{\"Types\":[\"VirtualMachine\"],\"Ids\":[\"enum-a\",\"enum-b\"]}"));
    assert_null(strstr(vms, "enum-a"));
    assert_non_null(strstr(vms, "enum-b"));
    free(vms);
    char *none = enumerate(W("{\"Ids\":[\"no-such-system\"]}"));
    assert_string_equal(none, "[]");
    free(none);
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsEnumerateComputeSystems(W("{\"Ids\":\"enum-a\"}"), op), S_OK);
    assert_int_equal(wait_op(op), HCS_E_INVALID_JSON);
    HcsCloseOperation(op);
    assert_int_equal(run(HcsTerminateComputeSystem, a), S_OK);
    assert_int_equal(run(HcsTerminateComputeSystem, b), S_OK);
    HcsCloseComputeSystem(a);
    HcsCloseComputeSystem(b);
}

/* hcs-api §11 #54: reserved options accept NULL and "" only */
static void reserved_options(void **state)
{
    (void)state;
    HCS_SYSTEM sys = make_container(test_id("options"), CONTAINER_DOC);
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsStartComputeSystem(sys, op, W("not json")), E_INVALIDARG);
    assert_int_equal(HcsGetOperationType(op), HcsOperationTypeNone); /* left NotStarted */
    assert_int_equal(HcsStartComputeSystem(sys, op, W("")), S_OK);
    assert_int_equal(wait_op(op), S_OK);
    HcsCloseOperation(op);
    assert_int_equal(run(HcsTerminateComputeSystem, sys), S_OK);
    HcsCloseComputeSystem(sys);
}

/* hcs-api §11 #55 and robustness: bad arguments get an HRESULT */
static void bad_arguments_are_refused(void **state)
{
    (void)state;
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HCS_SYSTEM sys = NULL;
    assert_int_equal(HcsCreateComputeSystem(W("x"), CONTAINER_DOC, op, NULL, NULL), E_POINTER);
    assert_int_equal(HcsCreateComputeSystem(NULL, CONTAINER_DOC, op, NULL, &sys), E_INVALIDARG);
    assert_int_equal(HcsCreateComputeSystem(W("x"), NULL, op, NULL, &sys), E_INVALIDARG);
    assert_int_equal(HcsCreateComputeSystem(W(""), CONTAINER_DOC, op, NULL, &sys), E_INVALIDARG);
    WCHAR unpaired[] = {'a', 0xD800, 'b', 0};
    assert_int_equal(HcsCreateComputeSystem(unpaired, CONTAINER_DOC, op, NULL, &sys), E_INVALIDARG);
    assert_int_equal(HcsCreateComputeSystem(W("x"), CONTAINER_DOC, NULL, NULL, &sys), E_HANDLE_);
    assert_null(sys);
    assert_int_equal(HcsGetOperationType(op), HcsOperationTypeNone);
    assert_int_equal(HcsOpenComputeSystem(W("x"), 0, &sys), E_INVALIDARG);
    assert_int_equal(HcsOpenComputeSystem(W("x"), GENERIC_ALL, NULL), E_POINTER);
    HCS_SYSTEM dead = make_container(test_id("dead"), CONTAINER_DOC);
    assert_int_equal(run(HcsTerminateComputeSystem, dead), S_OK);
    HcsCloseComputeSystem(dead);
    HcsCloseComputeSystem(dead); /* double close is tolerated */
    assert_int_equal(HcsStartComputeSystem(dead, op, NULL), E_HANDLE_);
    assert_int_equal(HcsGetComputeSystemProperties(NULL, op, NULL), E_HANDLE_);
    HcsCloseOperation(op);
}

/* Oversized documents (> 16 MiB) are refused, never read past. */
static void oversized_document_is_refused(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its document size limit and wording");
    size_t units = (size_t)8 * 1024 * 1024 + 16;
    WCHAR *big = malloc(units * sizeof *big);
    assert_non_null(big);
    for (size_t i = 0; i < units - 1; i++)
        big[i] = ' ';
    big[units - 1] = 0;
    char *doc = NULL;
    assert_int_equal(create_outcome(test_id("big"), big, &doc), HCS_E_INVALID_JSON);
    assert_non_null(strstr(doc, "longer than 16 MiB"));
    free(doc);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(create_gives_a_created_system, reset),
        cmocka_unit_test_setup(duplicate_id_fails_in_the_outcome, reset),
        cmocka_unit_test_setup(long_multibyte_detail_keeps_its_event, reset),
        cmocka_unit_test_setup(invalid_documents_fail_with_invalid_json, reset),
        cmocka_unit_test_setup(start_runs_a_created_system, reset),
        cmocka_unit_test_setup(terminate_stops_once, reset),
        cmocka_unit_test_setup(queued_terminates_apply_in_order, reset),
        cmocka_unit_test_setup(shutdown_needs_a_guest, reset),
        cmocka_unit_test_setup(exited_system_is_forgotten, reset),
        cmocka_unit_test_setup(last_handle_close_terminates_only_when_asked, reset),
        cmocka_unit_test_setup(enumerate_filters, reset),
        cmocka_unit_test_setup(reserved_options, reset),
        cmocka_unit_test_setup(bad_arguments_are_refused, reset),
        cmocka_unit_test_setup(oversized_document_is_refused, reset),
    };
    return cmocka_run_group_tests_name("hcssim compute systems", tests, NULL, NULL);
}
