/* hcssim fault plans (sim/src/fault.h): each test reproduces a failure
 * from hcsshim-and-peers §6, named by its number there. */
#include "sim_helpers.h"

#ifndef _WIN32
#include <poll.h>
#endif

/* True when the pipe behind h has reached end of file (its writer is gone
 * and nothing is left), checked without blocking. */
static bool at_eof(HANDLE h)
{
#ifdef _WIN32
    DWORD avail = 0;
    return !PeekNamedPipe(h, NULL, 0, NULL, &avail, NULL) && GetLastError() == ERROR_BROKEN_PIPE;
#else
    struct pollfd p = {(int)((intptr_t)h - 1), POLLIN, 0};
    char c;
    return poll(&p, 1, 50) == 1 && read(p.fd, &c, 1) == 0;
#endif
}

/* §6 #5: shutdown fails with ERROR_PROC_NOT_FOUND while the system keeps
 * running */
static void shutdown_proc_not_found(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    plan("{\"faults\":[{\"call\":\"HcsShutDownComputeSystem\",\"at\":\"completion\",\"hresult\":\"0x8007007F\"}]}");
    HCS_SYSTEM c = make_running(test_id("procnf"), CONTAINER_DOC);
    char *doc = NULL;
    assert_int_equal(run_with(HcsShutDownComputeSystem, c, NULL, &doc), (HRESULT)0x8007007F);
    assert_non_null(strstr(doc, "\"Error\":"));
    free(doc);
    char *props = properties(c);
    assert_non_null(strstr(props, "\"State\":\"Running\""));
    free(props);
    assert_int_equal(run(HcsTerminateComputeSystem, c), S_OK);
    HcsCloseComputeSystem(c);
}

/* §6 #19: terminate reports an RPC failure (0x800706BF) at kickoff; the
 * rule fires once, so a retry succeeds */
static void terminate_rpc_failure_once(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    plan("{\"faults\":[{\"call\":\"HcsTerminateComputeSystem\",\"at\":\"kickoff\",\"hresult\":\"0x800706BF\","
         "\"count\":1}]}");
    HCS_SYSTEM c = make_running(test_id("rpc"), CONTAINER_DOC);
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsTerminateComputeSystem(c, op, NULL), (HRESULT)0x800706BF);
    assert_int_equal(HcsGetOperationType(op), HcsOperationTypeNone);
    HcsCloseOperation(op);
    assert_int_equal(run(HcsTerminateComputeSystem, c), S_OK);
    HcsCloseComputeSystem(c);
}

/* §6 #1: the exit event never arrives (dropped), while the system did exit */
static void dropped_exit_event(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    plan("{\"faults\":[{\"event\":\"SystemExited\",\"action\":\"drop\"}]}");
    event_log log;
    event_log_init(&log);
    HCS_SYSTEM c = make_running(test_id("drop"), CONTAINER_DOC);
    assert_int_equal(HcsSetComputeSystemCallback(c, HcsEventOptionEnableOperationCallbacks, &log, event_log_callback),
                     S_OK);
    assert_int_equal(run(HcsTerminateComputeSystem, c), S_OK);
    assert_int_equal(event_log_wait(&log, 1), 1); /* the terminate's operation event */
    assert_int_equal(log.types[0], HcsEventOperationCallback);
    assert_int_equal(HcsWaitForComputeSystemExit(c, 0, NULL), S_OK);
    HcsCloseComputeSystem(c);
    assert_int_equal(log.count, 1);
    event_log_free(&log);
}

/* A duplicated exit event reaches the callback twice. */
static void duplicated_exit_event(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    plan("{\"faults\":[{\"event\":\"SystemExited\",\"action\":\"duplicate\",\"count\":1}]}");
    event_log log;
    event_log_init(&log);
    HCS_SYSTEM c = make_running(test_id("dup"), CONTAINER_DOC);
    assert_int_equal(HcsSetComputeSystemCallback(c, HcsEventOptionNone, &log, event_log_callback), S_OK);
    assert_int_equal(run(HcsTerminateComputeSystem, c), S_OK);
    assert_int_equal(event_log_wait(&log, 2), 2);
    assert_int_equal(log.types[0], HcsEventSystemExited);
    assert_int_equal(log.types[1], HcsEventSystemExited);
    HcsCloseComputeSystem(c);
    event_log_free(&log);
}

/* §6 #1, #22: a call that never completes; the caller's wait times out and
 * the system's exit later fails it */
static void never_completes(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    plan("{\"faults\":[{\"call\":\"HcsShutDownComputeSystem\",\"never\":true}]}");
    HCS_SYSTEM c = make_running(test_id("never"), CONTAINER_DOC);
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsShutDownComputeSystem(c, op, NULL), S_OK);
    assert_int_equal(HcsWaitForOperationResult(op, 10, NULL), HCS_E_OPERATION_TIMEOUT);
    assert_int_equal(run(HcsTerminateComputeSystem, c), S_OK);
    assert_int_equal(wait_op(op), HCS_E_SYSTEM_ALREADY_STOPPED);
    HcsCloseOperation(op);
    HcsCloseComputeSystem(c);
}

/* §6 #16: the system exits unexpectedly during start */
static void exit_during_start(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    plan("{\"faults\":[{\"call\":\"HcsStartComputeSystem\",\"at\":\"completion\",\"hresult\":\"HCS_E_UNEXPECTED_EXIT\","
         "\"message\":\"the worker process exited\",\"then\":\"exit\"}]}");
    HCS_SYSTEM c = make_container(test_id("unexp"), CONTAINER_DOC);
    char *doc = NULL;
    assert_int_equal(run_with(HcsStartComputeSystem, c, NULL, &doc), HCS_E_UNEXPECTED_EXIT);
    assert_non_null(strstr(doc, "the worker process exited"));
    free(doc);
    PWSTR status = NULL;
    assert_int_equal(HcsWaitForComputeSystemExit(c, INFINITE, &status), S_OK);
    char *text = narrow(status);
    assert_non_null(strstr(text, "UnexpectedExit"));
    free(text);
    LocalFree(status);
    HcsCloseComputeSystem(c);
}

/* §6 #4: a Hyper-V guest bugchecks right after start */
static void crash_after_start(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    plan("{\"faults\":[{\"call\":\"HcsStartComputeSystem\",\"then\":\"crash\"}]}");
    HCS_SYSTEM vm = make_container(test_id("bugcheck"), VM_DOC);
    assert_int_equal(run(HcsStartComputeSystem, vm), S_OK);
    assert_int_equal(run(HcsShutDownComputeSystem, vm), HCS_E_SYSTEM_ALREADY_STOPPED);
    HcsCloseComputeSystem(vm);
}

/* A ResultError given verbatim (§6 #28: nested ErrorEvents and Attribution). */
static void verbatim_result_document(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    plan("{\"faults\":[{\"call\":\"HcsCreateComputeSystem\",\"at\":\"completion\",\"hresult\":-2147024891,"
         "\"result_document\":{\"Error\":-2147024891,\"ErrorMessage\":\"\",\"Attribution\":[{\"SystemExit\":"
         "{\"Detail\":\"HcsApiFatalError\",\"Initiator\":\"Internal\"}}]}}]}");
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HCS_SYSTEM c = NULL;
    assert_int_equal(HcsCreateComputeSystem(test_id("denied"), CONTAINER_DOC, op, NULL, &c), S_OK);
    char *doc = NULL;
    assert_int_equal(wait_doc(op, &doc), (HRESULT)0x80070005);
    assert_non_null(strstr(doc, "HcsApiFatalError"));
    free(doc);
    HcsCloseOperation(op);
    HcsCloseComputeSystem(c);
}

/* §6 #12: stdout stays open after the process exited */
static void stdio_kept_open_after_exit(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    plan("{\"faults\":[{\"stdio\":\"keep_open_after_exit\"}]}");
    HCS_SYSTEM c = make_running(test_id("keepio"), CONTAINER_DOC);
    HCS_PROCESS_INFORMATION info;
    HCS_PROCESS p = start_process(c, W("{\"CommandLine\":\"cmd /c echo hi\",\"CreateStdOutPipe\":true}"), &info);
    free(process_exit_status(p));
    char line[16];
    assert_string_equal(handle_read_line(info.StdOutput, line, sizeof line), "hi\r\n");
    assert_false(at_eof(info.StdOutput)); /* a relay reading on would hang here */
    HcsCloseProcess(p);
    assert_int_equal(run(HcsTerminateComputeSystem, c), S_OK);
    HcsCloseComputeSystem(c);
    handle_close(info.StdOutput);
}

/* §6 #26 / #1: the process exit event is dropped; the exit wait still
 * reports the real exit code */
static void dropped_process_exit_event(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    plan("{\"faults\":[{\"event\":\"ProcessExited\",\"action\":\"drop\"}]}");
    event_log log;
    event_log_init(&log);
    HCS_SYSTEM c = make_running(test_id("dropproc"), CONTAINER_DOC);
    HCS_PROCESS_INFORMATION info;
    HCS_PROCESS p = start_process(c, W("{\"CommandLine\":\"cmd\",\"CreateStdInPipe\":true}"), &info);
    assert_int_equal(HcsSetProcessCallback(p, HcsEventOptionNone, &log, event_log_callback), S_OK);
    handle_write(info.StdInput, "exit 5\n");
    char *status = process_exit_status(p);
    assert_non_null(strstr(status, "\"ExitCode\":5"));
    free(status);
    HcsCloseProcess(p);
    assert_int_equal(log.count, 0);
    handle_close(info.StdInput);
    assert_int_equal(run(HcsTerminateComputeSystem, c), S_OK);
    HcsCloseComputeSystem(c);
    event_log_free(&log);
}

/* hcs-api §11 #29 and the Tutorial's retry: modifies fail while the VM
 * "boots" (the first two), then succeed. */
static void modify_retry_while_booting(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    plan("{\"faults\":[{\"call\":\"HcsModifyComputeSystem\",\"at\":\"completion\",\"hresult\":"
         "\"HCS_E_INVALID_STATE\",\"count\":2}]}");
    HCS_SYSTEM vm = make_running(test_id("boot"), VM_DOC);
    PCWSTR grow = W("{\"ResourcePath\":\"VirtualMachine/ComputeTopology/Memory/SizeInMB\",\"RequestType\":"
                    "\"Update\",\"Settings\":4096}");
    int attempts = 0;
    HRESULT hr;
    do {
        HCS_OPERATION op = HcsCreateOperation(NULL, NULL); /* a fresh operation per attempt, as the Tutorial */
        assert_int_equal(HcsModifyComputeSystem(vm, op, grow, NULL), S_OK);
        hr = wait_op(op);
        HcsCloseOperation(op);
        attempts++;
    } while (FAILED(hr) && attempts < 5);
    assert_int_equal(hr, S_OK);
    assert_int_equal(attempts, 3);
    assert_int_equal(run(HcsTerminateComputeSystem, vm), S_OK);
    HcsCloseComputeSystem(vm);
}

/* Bad plans are refused with a message naming the rule. */
static void bad_plans(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    char error[256];
    assert_int_equal(hcssim_set_faults("{\"faults\":[{\"call\":\"Nope\",\"never\":true}]}", error, sizeof error), -1);
    assert_non_null(strstr(error, "faults[0]"));
    assert_int_equal(hcssim_set_faults("{\"faults\":[{\"call\":\"HcsStartComputeSystem\",\"at\":\"kickoff\"}]}", error,
                                       sizeof error),
                     -1);
    assert_int_equal(hcssim_set_faults("{\"faults\":[{\"call\":\"HcsStartComputeSystem\",\"at\":\"kickoff\","
                                       "\"hresult\":0}]}",
                                       error, sizeof error),
                     -1);
    assert_int_equal(hcssim_set_faults("[", error, sizeof error), -1);
    assert_int_equal(hcssim_set_faults("{\"faults\":[{\"event\":\"Exit\",\"action\":\"drop\"}]}", error, sizeof error),
                     -1);
    assert_non_null(strstr(error, "unknown event"));
}

/* A cut (docs/fault-plans.md) is refused, with a message naming the rule,
 * on another call, with an unknown phase or a bad count, both forms at
 * once, or with an effect that ends the call otherwise. */
static void bad_cut_plans(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    static const struct {
        const char *rule, *says;
    } cases[] = {
        {"{\"call\":\"HcsStartComputeSystem\",\"cut\":\"memory\"}", "HcsStartLiveMigrationTransfer only"},
        {"{\"call\":\"HcsStartLiveMigrationTransfer\",\"cut\":\"disks\"}", "\"memory\", \"devices\" or \"processes\""},
        {"{\"call\":\"HcsStartLiveMigrationTransfer\",\"cut\":3}", "\"memory\", \"devices\" or \"processes\""},
        {"{\"call\":\"HcsStartLiveMigrationTransfer\",\"cut_after_bytes\":-1}", "from 0 to 2147483647"},
        {"{\"call\":\"HcsStartLiveMigrationTransfer\",\"cut_after_bytes\":2147483648}", "from 0 to 2147483647"},
        {"{\"call\":\"HcsStartLiveMigrationTransfer\",\"cut_after_bytes\":\"10\"}", "from 0 to 2147483647"},
        {"{\"call\":\"HcsStartLiveMigrationTransfer\",\"cut\":\"memory\",\"cut_after_bytes\":1}", "exclude each other"},
        {"{\"call\":\"HcsStartLiveMigrationTransfer\",\"cut\":\"memory\",\"never\":true}", "excludes"},
        {"{\"call\":\"HcsStartLiveMigrationTransfer\",\"cut\":\"memory\",\"at\":\"completion\",\"hresult\":"
         "\"0x80070005\"}",
         "excludes"},
    };
    char plan_text[256], error[256];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(plan_text, sizeof plan_text, "{\"faults\":[{\"call\":\"HcsPauseComputeSystem\",\"never\":true},%s]}",
                 cases[i].rule);
        assert_int_equal(hcssim_set_faults(plan_text, error, sizeof error), -1);
        if (!strstr(error, "faults[1]") || !strstr(error, cases[i].says))
            fail_msg("%s: %s", cases[i].rule, error);
    }
    assert_int_equal(hcssim_set_faults("{\"faults\":[{\"call\":\"HcsStartLiveMigrationTransfer\",\"cut\":\"devices\","
                                       "\"delay_ms\":5,\"count\":1},{\"call\":\"HcsStartLiveMigrationTransfer\","
                                       "\"cut_after_bytes\":0}]}",
                                       error, sizeof error),
                     0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(shutdown_proc_not_found, clear_plan),
        cmocka_unit_test_teardown(terminate_rpc_failure_once, clear_plan),
        cmocka_unit_test_teardown(dropped_exit_event, clear_plan),
        cmocka_unit_test_teardown(duplicated_exit_event, clear_plan),
        cmocka_unit_test_teardown(never_completes, clear_plan),
        cmocka_unit_test_teardown(exit_during_start, clear_plan),
        cmocka_unit_test_teardown(crash_after_start, clear_plan),
        cmocka_unit_test_teardown(verbatim_result_document, clear_plan),
        cmocka_unit_test_teardown(stdio_kept_open_after_exit, clear_plan),
        cmocka_unit_test_teardown(dropped_process_exit_event, clear_plan),
        cmocka_unit_test_teardown(modify_retry_while_booting, clear_plan),
        cmocka_unit_test_teardown(bad_plans, clear_plan),
        cmocka_unit_test_teardown(bad_cut_plans, clear_plan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
