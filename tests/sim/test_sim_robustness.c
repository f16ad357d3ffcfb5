/* hcssim and bad callers (hcs-api §11 #55 and the "bad callers
 * must not crash it"): NULL arguments, closed and foreign handles, invalid
 * UTF-16 and oversized documents get an HRESULT, never a crash or hang. */
#include "sim_helpers.h"

#define E_HANDLE_ ((HRESULT)0x80070006)

static const WCHAR unpaired[] = {'{', 0xD800, '}', 0};

static void null_arguments(void **state)
{
    (void)state;
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsCreateProcess(NULL, NULL, op, NULL, NULL), E_POINTER);
    assert_int_equal(HcsOpenProcess(NULL, 4, GENERIC_ALL, NULL), E_POINTER);
    assert_int_equal(HcsOpenComputeSystemInNamespace(NULL, W("x"), GENERIC_ALL, NULL), E_INVALIDARG);
    assert_int_equal(HcsCreateComputeSystemInNamespace(W("ns"), W("x"), CONTAINER_DOC, op, NULL, NULL), E_POINTER);
    assert_int_equal(HcsEnumerateComputeSystemsInNamespace(NULL, NULL, op), E_INVALIDARG);
    assert_int_equal(HcsModifyComputeSystem(NULL, op, NULL, NULL), E_INVALIDARG);
    assert_int_equal(HcsSetComputeSystemCallback(NULL, HcsEventOptionNone, NULL, NULL), E_HANDLE_);
    assert_int_equal(HcsSetProcessCallback(NULL, HcsEventOptionNone, NULL, NULL), E_HANDLE_);
    assert_int_equal(HcsWaitForComputeSystemExit(NULL, 0, NULL), E_HANDLE_);
    assert_int_equal(HcsWaitForProcessExit(NULL, 0, NULL), E_HANDLE_);
    assert_int_equal(HcsGetServiceProperties(NULL, NULL), E_POINTER);
    assert_int_equal(HcsModifyServiceSettings(NULL, NULL), E_INVALIDARG);
    assert_int_equal(HcsSubmitWerReport(NULL), E_INVALIDARG);
    assert_int_equal(HcsCreateEmptyGuestStateFile(NULL), E_INVALIDARG);
    assert_int_equal(HcsGrantVmGroupAccess(NULL), E_INVALIDARG);
    assert_int_equal(HcsGetProcessorCompatibilityFromSavedState(NULL, NULL), E_INVALIDARG);
    assert_int_equal(HcsTerminateProcess(NULL, op, NULL), E_HANDLE_);
    assert_int_equal(HcsSignalProcess(NULL, op, NULL), E_HANDLE_);
    assert_int_equal(HcsGetProcessInfo(NULL, op), E_HANDLE_);
    assert_int_equal(HcsGetProcessProperties(NULL, op, NULL), E_HANDLE_);
    assert_int_equal(HcsModifyProcess(NULL, op, W("{}")), E_HANDLE_);
    assert_int_equal(HcsPauseComputeSystem(NULL, op, NULL), E_HANDLE_);
    assert_int_equal(HcsCrashComputeSystem(NULL, op, NULL), E_HANDLE_);
    HcsCloseProcess(NULL);
    HcsCloseComputeSystem(NULL);
    assert_int_equal(HcsGetOperationType(op), HcsOperationTypeNone); /* never started */
    HcsCloseOperation(op);
}

/* A handle of one kind is refused where another is expected, and a closed
 * handle everywhere. */
static void wrong_and_closed_handles(void **state)
{
    (void)state;
    HCS_SYSTEM sys = make_running(test_id("wrong"), CONTAINER_DOC);
    HCS_PROCESS p = start_process(sys, W("{\"CommandLine\":\"ping -n 100 127.0.0.1\"}"), NULL);
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsStartComputeSystem((HCS_SYSTEM)p, op, NULL), E_HANDLE_);
    assert_int_equal(HcsTerminateProcess((HCS_PROCESS)sys, op, NULL), E_HANDLE_);
    assert_int_equal(HcsTerminateProcess((HCS_PROCESS)op, op, NULL), E_HANDLE_);
    assert_int_equal(HcsTerminateProcess(p, op, NULL), S_OK);
    assert_int_equal(wait_op(op), S_OK);
    HcsCloseProcess(p);
    HcsCloseProcess(p); /* double close */
    assert_int_equal(HcsGetProcessProperties(p, op, NULL), E_HANDLE_);
    assert_int_equal(HcsSetProcessCallback(p, HcsEventOptionNone, NULL, NULL), E_HANDLE_);
    assert_int_equal(run(HcsTerminateComputeSystem, sys), S_OK);
    HcsCloseComputeSystem(sys);
    assert_int_equal(HcsCreateProcess(sys, W("{\"CommandLine\":\"cmd\"}"), op, NULL, &p), E_HANDLE_);
    assert_int_equal(HcsModifyComputeSystem(sys, op, W("{}"), NULL), E_HANDLE_);
    HcsCloseOperation(op);
}

/* Invalid UTF-16 in a document is a document problem: HCS_E_INVALID_JSON
 * in the outcome (or the result, for the synchronous service calls). */
static void invalid_utf16(void **state)
{
    (void)state;
    HCS_SYSTEM sys = make_running(test_id("utf16"), CONTAINER_DOC);
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HCS_PROCESS p = NULL;
    assert_int_equal(HcsCreateProcess(sys, unpaired, op, NULL, &p), S_OK);
    assert_int_equal(wait_op(op), HCS_E_INVALID_JSON);
    HcsCloseProcess(p);
    assert_int_equal(HcsModifyComputeSystem(sys, op, unpaired, NULL), S_OK);
    assert_int_equal(wait_op(op), HCS_E_INVALID_JSON);
    PWSTR result = NULL;
    assert_int_equal(HcsGetServiceProperties(unpaired, &result), HCS_E_INVALID_JSON);
    LocalFree(result);
    assert_int_equal(HcsStartComputeSystem(sys, op, unpaired), E_INVALIDARG); /* reserved options */
    HcsCloseOperation(op);
    assert_int_equal(run(HcsTerminateComputeSystem, sys), S_OK);
    HcsCloseComputeSystem(sys);
}

/* Documents over 16 MiB get HCS_E_INVALID_JSON in the outcome. */
static void oversized_documents(void **state)
{
    (void)state;
    size_t units = (size_t)8 * 1024 * 1024 + 16;
    WCHAR *big = malloc((units + 1) * sizeof *big);
    assert_non_null(big);
    big[0] = '"';
    for (size_t i = 1; i < units - 1; i++)
        big[i] = 'a';
    big[units - 1] = '"';
    big[units] = 0;
    HCS_SYSTEM sys = make_running(test_id("big"), CONTAINER_DOC);
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HCS_PROCESS p = NULL;
    assert_int_equal(HcsCreateProcess(sys, big, op, NULL, &p), S_OK);
    assert_int_equal(wait_op(op), HCS_E_INVALID_JSON);
    HcsCloseProcess(p);
    assert_int_equal(HcsModifyComputeSystem(sys, op, big, NULL), S_OK);
    assert_int_equal(wait_op(op), HCS_E_INVALID_JSON);
    HcsCloseOperation(op);
    free(big);
    assert_int_equal(run(HcsTerminateComputeSystem, sys), S_OK);
    HcsCloseComputeSystem(sys);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(null_arguments),
        cmocka_unit_test(wrong_and_closed_handles),
        cmocka_unit_test(invalid_utf16),
        cmocka_unit_test(oversized_documents),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
