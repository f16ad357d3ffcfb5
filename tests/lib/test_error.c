/* libhcs errors: classification of both HCS code families and the Win32
 * codes, names and texts, and ResultError parsing (hcs-api §6, §7). */
#include <hcs/hcs.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void both_families_classify_alike(void **state)
{
    (void)state;
    assert_int_equal(hcs_classify(HCS_E_SYSTEM_NOT_FOUND), HCS_ERROR_NOT_FOUND);
    assert_int_equal(hcs_classify(HCS_VMCOMPUTE_E_SYSTEM_NOT_FOUND), HCS_ERROR_NOT_FOUND);
    assert_int_equal(hcs_classify(HCS_WIN32_E_NOT_FOUND), HCS_ERROR_NOT_FOUND);
    assert_int_equal(hcs_classify(HCS_WIN32_E_PATH_NOT_FOUND), HCS_ERROR_NOT_FOUND);
    /* a CPU group or device that is already there (hcssim, docs/simulator-fidelity.md) */
    assert_int_equal(hcs_classify(HCS_WIN32_E_ALREADY_EXISTS), HCS_ERROR_ALREADY_EXISTS);
    assert_int_equal(hcs_classify(HCS_E_SYSTEM_ALREADY_STOPPED), HCS_ERROR_ALREADY_STOPPED);
    assert_int_equal(hcs_classify(HCS_VMCOMPUTE_E_SYSTEM_ALREADY_STOPPED), HCS_ERROR_ALREADY_STOPPED);
    assert_int_equal(hcs_classify(HCS_E_PROCESS_ALREADY_STOPPED), HCS_ERROR_ALREADY_STOPPED);
    assert_int_equal(hcs_classify(HCS_E_INVALID_STATE), HCS_ERROR_INVALID_STATE);
    assert_int_equal(hcs_classify(HCS_VMCOMPUTE_E_INVALID_STATE), HCS_ERROR_INVALID_STATE);
    assert_int_equal(hcs_classify(HCS_E_OPERATION_TIMEOUT), HCS_ERROR_TIMEOUT);
    assert_int_equal(hcs_classify(HCS_E_SERVICE_DISCONNECT), HCS_ERROR_DISCONNECTED);
    assert_int_equal(hcs_classify(HCS_E_ACCESS_DENIED), HCS_ERROR_ACCESS_DENIED);
    assert_int_equal(hcs_classify(HCS_WIN32_E_ACCESS_DENIED), HCS_ERROR_ACCESS_DENIED);
    assert_int_equal(hcs_classify(HCS_E_INVALID_JSON), HCS_ERROR_INVALID_ARGUMENT);
    assert_int_equal(hcs_classify(HCS_WIN32_E_NOT_SUPPORTED), HCS_ERROR_UNSUPPORTED);
    assert_int_equal(hcs_classify(HCS_WIN32_E_INVALID_HANDLE), HCS_ERROR_INVALID_HANDLE);
    assert_int_equal(hcs_classify(HCS_OK), HCS_ERROR_NONE);
    assert_int_equal(hcs_classify((int32_t)0x80001234), HCS_ERROR_OTHER);
    assert_true((hcs_classify(HCS_VMCOMPUTE_E_SYSTEM_NOT_FOUND) == HCS_ERROR_NOT_FOUND));
    assert_true((hcs_classify(HCS_VMCOMPUTE_E_SYSTEM_ALREADY_STOPPED) == HCS_ERROR_ALREADY_STOPPED));
    assert_true((hcs_classify(HCS_E_SYSTEM_ALREADY_EXISTS) == HCS_ERROR_ALREADY_EXISTS));
    assert_true((hcs_classify(HCS_WIN32_E_WAIT_TIMEOUT) == HCS_ERROR_TIMEOUT));
    assert_true((hcs_classify(HCS_E_CONNECTION_CLOSED) == HCS_ERROR_DISCONNECTED));
    assert_true((hcs_classify(HCS_WIN32_E_INVALID_HANDLE) == HCS_ERROR_INVALID_HANDLE));
    assert_true((hcs_classify(HCS_E_ACCESS_DENIED) == HCS_ERROR_ACCESS_DENIED));
    assert_true((hcs_classify(HCS_E_INVALID_STATE) == HCS_ERROR_INVALID_STATE));
}

/* "Procedure not found" is about the host, never a system's state. */
static void missing_export_is_unsupported(void **state)
{
    (void)state;
    assert_int_equal(hcs_classify(HCS_WIN32_E_PROC_NOT_FOUND), HCS_ERROR_UNSUPPORTED);
    assert_false((hcs_classify(HCS_WIN32_E_PROC_NOT_FOUND) == HCS_ERROR_NOT_FOUND));
    assert_false((hcs_classify(HCS_WIN32_E_PROC_NOT_FOUND) == HCS_ERROR_ALREADY_STOPPED));
}

/* The exact values (hcs-api §6), including the two newer-SDK codes. */
static void values_and_names_are_exact(void **state)
{
    (void)state;
    assert_int_equal((uint32_t)HCS_E_TERMINATED_DURING_START, 0x80370100u);
    assert_int_equal((uint32_t)HCS_E_PROCESS_ALREADY_STOPPED, 0x8037011Fu);
    assert_int_equal((uint32_t)HCS_E_OPERATION_ALREADY_CANCELLED, 0x80370121u);
    assert_int_equal((uint32_t)HCS_VMCOMPUTE_E_WINDOWS_INSIDER_REQUIRED, 0xC0370113u);
    assert_string_equal(hcs_hresult_name(HCS_E_SYSTEM_NOT_FOUND), "HCS_E_SYSTEM_NOT_FOUND");
    assert_string_equal(hcs_hresult_name(HCS_VMCOMPUTE_E_TIMEOUT), "HCS_VMCOMPUTE_E_TIMEOUT");
    assert_null(hcs_hresult_name((int32_t)0x80001234));
    assert_non_null(strstr(hcs_strerror(HCS_E_SYSTEM_NOT_FOUND), "identifier"));
    assert_string_equal(hcs_strerror((int32_t)0x80001234), "Unknown failure.");
    assert_string_equal(hcs_error_kind_name(HCS_ERROR_ALREADY_STOPPED), "already_stopped");
    /* every HCS_E_* code from 0x80370100 to 0x80370121 except the two gaps */
    for (uint32_t code = 0x80370100u; code <= 0x80370121u; code++) {
        const char *name = hcs_hresult_name((int32_t)code);
        if (code == 0x80370103u || code == 0x80370104u)
            assert_null(name);
        else if (!name || strncmp(name, "HCS_E_", 6) != 0)
            fail_msg("0x%08X has no HCS_E_ name", code);
    }
}

static void result_error_is_parsed(void **state)
{
    (void)state;
    const char *doc = "{\"Error\":-2143878898,\"ErrorMessage\":\"No such system.\","
                      "\"ErrorEvents\":[{\"Message\":\"id x\",\"StackTrace\":\"s\",\"Provider\":"
                      "\"00000000-0000-0000-0000-000000000001\",\"EventId\":1234,\"Flags\":2,\"Source\":\"src\","
                      "\"Data\":[{\"Type\":\"String\",\"Value\":\"v\"}]}],"
                      "\"Attribution\":[{\"OperationFailure\":{\"Detail\":\"Construct\"}}]}";
    hcs_result_error re;
    assert_int_equal(hcs_result_error_parse(doc, &re), HCS_OK);
    assert_true(re.has_error);
    assert_int_equal(re.error, HCS_E_SYSTEM_NOT_FOUND);
    assert_string_equal(re.message, "No such system.");
    assert_int_equal(re.event_count, 1);
    assert_string_equal(re.events[0].message, "id x");
    assert_string_equal(re.events[0].provider, "00000000-0000-0000-0000-000000000001");
    assert_int_equal(re.events[0].event_id, 1234);
    assert_int_equal(re.events[0].flags, 2);
    assert_string_equal(re.events[0].source, "src");
    assert_string_equal(re.attribution_json, "[{\"OperationFailure\":{\"Detail\":\"Construct\"}}]");
    hcs_result_error_clear(&re);

    /* unsigned spelling, missing members, wrong types */
    assert_int_equal(hcs_result_error_parse("{\"Error\":2151088398,\"ErrorEvents\":5}", &re), HCS_OK);
    assert_int_equal(re.error, HCS_E_SYSTEM_NOT_FOUND);
    assert_null(re.message);
    assert_int_equal(re.event_count, 0);
    hcs_result_error_clear(&re);
    assert_int_equal(hcs_result_error_parse("[1]", &re), HCS_E_INVALID_JSON);
    assert_null(re.message);
    assert_int_equal(re.event_count, 0);
    assert_int_equal(hcs_result_error_parse("{\"Error\":", &re), HCS_E_INVALID_JSON);
    assert_int_equal(hcs_result_error_parse(NULL, &re), HCS_E_INVALID_JSON);
}

/* Members of another type than the schema's are ignored, one by one; what
 * is not JSON fails whole. */
static void result_error_members_of_other_types(void **state)
{
    (void)state;
    hcs_result_error re;
    assert_int_equal(hcs_result_error_parse("{\"Error\":\"x\",\"ErrorMessage\":5,\"ErrorEvents\":[{\"EventId\":70000,"
                                            "\"Flags\":-1,\"Message\":\"m\",\"Source\":[]},{\"Message\":{\"a\":1}}],"
                                            "\"Attribution\":null}",
                                            &re),
                     HCS_OK);
    assert_false(re.has_error);
    assert_null(re.message);
    assert_int_equal(re.event_count, 2);
    assert_string_equal(re.events[0].message, "m");
    assert_int_equal(re.events[0].event_id, 70000); /* wider than the schema's uint16 */
    assert_int_equal(re.events[0].flags, 0);
    assert_null(re.events[0].source);
    assert_null(re.events[1].message);
    assert_string_equal(re.attribution_json, "null");
    hcs_result_error_clear(&re);

    /* 64-bit spellings keep their low 32 bits; a fraction is no code. */
    assert_int_equal(hcs_result_error_parse("{\"Error\":-9223372036854775808}", &re), HCS_OK);
    assert_true(re.has_error);
    assert_int_equal(re.error, 0);
    hcs_result_error_clear(&re);
    assert_int_equal(hcs_result_error_parse("{\"Error\":1.5,\"Attribution\":[]}", &re), HCS_OK);
    assert_false(re.has_error);
    assert_string_equal(re.attribution_json, "[]");
    hcs_result_error_clear(&re);

    /* Typed attribution records are written again, unknown fields kept. */
    assert_int_equal(hcs_result_error_parse("{\"Attribution\":[{\"SystemExit\":{\"Detail\":\"HcsApiFatalError\"}},"
                                            "{\"Later\":{\"x\":1}}]}",
                                            &re),
                     HCS_OK);
    assert_string_equal(re.attribution_json,
                        "[{\"SystemExit\":{\"Detail\":\"HcsApiFatalError\"}},{\"Later\":{\"x\":1}}]");
    hcs_result_error_clear(&re);

    assert_int_equal(hcs_result_error_parse("{\"Error\":1,\"ErrorEvents\":[{\"Message\":\"x\"}", &re),
                     HCS_E_INVALID_JSON);
    assert_int_equal(hcs_result_error_parse("{\"ErrorEvents\":[[}]}", &re), HCS_E_INVALID_JSON);
    assert_int_equal(hcs_result_error_parse("{\"ErrorMessage\":\"a\\u0000b\"}", &re), HCS_E_INVALID_JSON);
    assert_null(re.message);
}

/* HCS_ERROR_INIT is the empty error: a failure can be recorded into it
 * (which frees the old contents) and cleared back to the same state. */
static void error_init_is_empty(void **state)
{
    (void)state;
    hcs_error err = HCS_ERROR_INIT, zero;
    memset(&zero, 0, sizeof zero);
    assert_memory_equal(&err, &zero, sizeof err);
    assert_int_equal(hcs_client_open(NULL, NULL, &err), HCS_COM_E_POINTER);
    assert_string_equal(err.call, "hcs_client_open");
    assert_int_equal(hcs_client_open(NULL, NULL, &err), HCS_COM_E_POINTER); /* the first message is freed */
    hcs_error_clear(&err);
    assert_memory_equal(&err, &zero, sizeof err);
}

static void clearing_is_safe(void **state)
{
    (void)state;
    hcs_error err = HCS_ERROR_INIT;
    hcs_error_clear(&err);
    hcs_error_clear(NULL);
    assert_int_equal(err.hr, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(both_families_classify_alike),
        cmocka_unit_test(missing_export_is_unsupported),
        cmocka_unit_test(values_and_names_are_exact),
        cmocka_unit_test(result_error_is_parsed),
        cmocka_unit_test(result_error_members_of_other_types),
        cmocka_unit_test(error_init_is_empty),
        cmocka_unit_test(clearing_is_safe),
    };
    return cmocka_run_group_tests_name("libhcs errors", tests, NULL, NULL);
}
