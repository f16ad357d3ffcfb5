/* hcssim conformance: the rest of the compute-system state machine
 * (hcs-api §11.1): pause, resume, save, crash, modify, wait for exit,
 * statistics, and what an exit does to pending calls. */
#include "sim_helpers.h"

static HRESULT WINAPI modify(HCS_SYSTEM sys, HCS_OPERATION op, PCWSTR settings)
{
    return HcsModifyComputeSystem(sys, op, settings, NULL);
}

/* hcs-api §11 #18: pause Running → Paused, resume Paused → Running */
static void pause_and_resume(void **state)
{
    (void)state;
    HCS_SYSTEM vm = make_running(test_id("pause"), VM_DOC);
    assert_int_equal(run(HcsResumeComputeSystem, vm), HCS_E_INVALID_STATE);
    assert_int_equal(run(HcsPauseComputeSystem, vm), S_OK);
    char *props = properties(vm);
    assert_non_null(strstr(props, "\"State\":\"Paused\""));
    free(props);
    assert_int_equal(run(HcsPauseComputeSystem, vm), HCS_E_INVALID_STATE);
    assert_int_equal(run(HcsResumeComputeSystem, vm), S_OK);
    props = properties(vm);
    assert_non_null(strstr(props, "\"State\":\"Running\""));
    free(props);
    assert_int_equal(run(HcsTerminateComputeSystem, vm), S_OK);
    HcsCloseComputeSystem(vm);
}

/* hcs-api §11.1 (inferred): pause is a VM feature; a container refuses it */
static void container_cannot_pause(void **state)
{
    (void)state;
    HCS_SYSTEM c = make_running(test_id("cpause"), CONTAINER_DOC);
    assert_int_equal(run(HcsPauseComputeSystem, c), (HRESULT)0x80070032);
    assert_int_equal(run(HcsTerminateComputeSystem, c), S_OK);
    HcsCloseComputeSystem(c);
}

/* hcs-api §11 #19: save while Running → HCS_E_INVALID_STATE;
 * §11 #20: save ToFile after pause → the system exits with a Saved worker */
static void save_needs_pause(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its error wording");
    HCS_SYSTEM vm = make_running(test_id("save"), VM_DOC);
    char *doc = NULL;
    assert_int_equal(run_with(HcsSaveComputeSystem, vm, NULL, &doc), HCS_E_INVALID_STATE);
    assert_non_null(strstr(doc, "Paused"));
    free(doc);
    assert_int_equal(run(HcsPauseComputeSystem, vm), S_OK);
    assert_int_equal(run_with(HcsSaveComputeSystem, vm, W("{\"SaveType\":\"ToFile\"}"), NULL), S_OK);
    PWSTR status = NULL;
    assert_int_equal(HcsWaitForComputeSystemExit(vm, INFINITE, &status), S_OK);
    char *text = narrow(status);
    assert_non_null(strstr(text, "\"Saved\""));
    free(text);
    LocalFree(status);
    HcsCloseComputeSystem(vm);
}

/* hcs-api §11 #20: save AsTemplate parks the system in SavedAsTemplate */
static void save_as_template(void **state)
{
    (void)state;
    HCS_SYSTEM vm = make_running(test_id("template"), VM_DOC);
    assert_int_equal(run(HcsPauseComputeSystem, vm), S_OK);
    assert_int_equal(run_with(HcsSaveComputeSystem, vm, W("{\"SaveType\":\"AsTemplate\"}"), NULL), S_OK);
    char *props = properties(vm);
    assert_non_null(strstr(props, "\"State\":\"SavedAsTemplate\""));
    free(props);
    assert_int_equal(run(HcsStartComputeSystem, vm), HCS_E_INVALID_STATE);
    assert_int_equal(run(HcsTerminateComputeSystem, vm), S_OK);
    HcsCloseComputeSystem(vm);
}

/* Runs fn with options on sys; the outcome must be `want`, and when it is
 * HCS_E_INVALID_JSON the ResultError must name `detail`. */
static void expect_options(lifecycle_fn fn, HCS_SYSTEM sys, PCWSTR options, HRESULT want, const char *detail)
{
    char *doc = NULL;
    HRESULT hr = run_with(fn, sys, options, &doc);
    if (hr != want)
        fail_msg("outcome 0x%08X, expected 0x%08X (%s)", (unsigned)hr, (unsigned)want, doc ? doc : "no document");
    if (detail) {
        assert_non_null(doc);
        assert_non_null(strstr(doc, "\"Error\":-2143878899")); /* HCS_E_INVALID_JSON */
        if (!strstr(doc, detail))
            fail_msg("\"%s\" not in %s", detail, doc);
    }
    free(doc);
}

static char *state_of(HCS_SYSTEM sys)
{
    char *props = properties(sys);
    char *state = strstr(props, "\"State\":\"");
    assert_non_null(state);
    state += 9;
    *strchr(state, '"') = '\0';
    char *copy = malloc(strlen(state) + 1);
    strcpy(copy, state);
    free(props);
    return copy;
}

/* hcs-api §8.7, §8.4 (options documents): shutdown, pause, save, crash and
 * properties take ShutdownOptions, PauseOptions, SaveOptions, CrashOptions
 * and System_PropertyQuery. NULL, "" and {} mean the defaults; malformed
 * JSON, a document that is not an object, an unknown member, a member of
 * the wrong type or an enum value the schema lacks fail in the outcome
 * with HCS_E_INVALID_JSON and a ResultError naming the member, and the
 * system is left as it was (inferred: the document is read first) */
static void options_documents_are_checked(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its error wording");
    HCS_SYSTEM vm = make_running(test_id("options"), VM_DOC);
    static const struct {
        PCWSTR options;
        const char *detail;
    } bad_pause[] = {
        {W("{"), "malformed JSON"},
        {W("[]"), "PauseOptions: expected a JSON object"},
        {W("{\"Bogus\":1}"), "PauseOptions.Bogus: unknown field"},
        {W("{\"SuspensionLevel\":1}"), "PauseOptions.SuspensionLevel: expected string"},
        {W("{\"SuspensionLevel\":\"Deep\"}"), "PauseOptions.SuspensionLevel: \\\"Deep\\\" is not one of Suspend"},
        {W("{\"HostedNotification\":\"Save\"}"), "PauseOptions.HostedNotification: expected object"},
        {W("{\"HostedNotification\":{\"Reason\":\"Later\"}}"), "PauseOptions.HostedNotification.Reason"},
        {W("{\"HostedNotification\":{\"Why\":1}}"), "PauseOptions.HostedNotification.Why: unknown field"},
    };
    for (size_t i = 0; i < sizeof bad_pause / sizeof bad_pause[0]; i++) {
        expect_options(HcsPauseComputeSystem, vm, bad_pause[i].options, HCS_E_INVALID_JSON, bad_pause[i].detail);
        char *st = state_of(vm);
        assert_string_equal(st, "Running"); /* refused: nothing happened */
        free(st);
    }
    PCWSTR defaults[] = {NULL, W(""), W("{}")};
    for (size_t i = 0; i < 3; i++) {
        expect_options(HcsPauseComputeSystem, vm, defaults[i], S_OK, NULL);
        expect_options(HcsResumeComputeSystem, vm, NULL, S_OK, NULL);
        expect_options(HcsGetComputeSystemProperties, vm, defaults[i], S_OK, NULL);
    }
    expect_options(HcsPauseComputeSystem, vm,
                   W("{\"SuspensionLevel\":\"MemoryLow\",\"HostedNotification\":{\"Reason\":\"Template\"}}"), S_OK,
                   NULL);

    /* save: SaveOptions */
    expect_options(HcsSaveComputeSystem, vm, W("{\"SaveType\":true}"), HCS_E_INVALID_JSON,
                   "SaveOptions.SaveType: expected string");
    expect_options(HcsSaveComputeSystem, vm, W("{\"SaveType\":\"ToCloud\"}"), HCS_E_INVALID_JSON,
                   "SaveOptions.SaveType: \\\"ToCloud\\\" is not one of ToFile, AsTemplate");
    expect_options(HcsSaveComputeSystem, vm, W("{\"SaveStateFilePath\":7}"), HCS_E_INVALID_JSON,
                   "SaveOptions.SaveStateFilePath: expected string");
    expect_options(HcsSaveComputeSystem, vm, W("{\"SaveType\":\"ToFile\",\"Bogus\":null}"), HCS_E_INVALID_JSON,
                   "SaveOptions.Bogus: unknown field");
    char *st = state_of(vm);
    assert_string_equal(st, "Paused"); /* refused saves did not save */
    free(st);
    expect_options(HcsResumeComputeSystem, vm, W("{}"), S_OK, NULL);

    /* crash: CrashOptions */
    expect_options(HcsCrashComputeSystem, vm, W("{\"Type\":5}"), HCS_E_INVALID_JSON,
                   "CrashOptions.Type: expected string");
    expect_options(HcsCrashComputeSystem, vm, W("{\"Type\":\"CrashHost\"}"), HCS_E_INVALID_JSON,
                   "CrashOptions.Type: \\\"CrashHost\\\" is not one of CrashGuest");
    expect_options(HcsCrashComputeSystem, vm, W("\"CrashGuest\""), HCS_E_INVALID_JSON, "malformed JSON");

    /* properties: System_PropertyQuery */
    expect_options(HcsGetComputeSystemProperties, vm, W("{\"PropertyType\":[\"Memory\"]}"), HCS_E_INVALID_JSON,
                   "System_PropertyQuery.PropertyType: unknown field");
    expect_options(HcsGetComputeSystemProperties, vm, W("{\"PropertyTypes\":\"Memory\"}"), HCS_E_INVALID_JSON,
                   "System_PropertyQuery.PropertyTypes: expected array");
    expect_options(HcsGetComputeSystemProperties, vm, W("{\"PropertyTypes\":[7]}"), HCS_E_INVALID_JSON,
                   "PropertyTypes[0]: non-string value");
    expect_options(HcsGetComputeSystemProperties, vm, W("{\"Queries\":[]}"), HCS_E_INVALID_JSON,
                   "System_PropertyQuery.Queries: expected object");
    expect_options(HcsGetComputeSystemProperties, vm, W("{\"PropertyTypes\":[],\"Queries\":{}}"), S_OK, NULL);

    /* shutdown: ShutdownOptions */
    expect_options(HcsShutDownComputeSystem, vm, W("{\"Force\":\"yes\"}"), HCS_E_INVALID_JSON,
                   "ShutdownOptions.Force: expected boolean");
    expect_options(HcsShutDownComputeSystem, vm, W("{\"Mechanism\":\"Telepathy\"}"), HCS_E_INVALID_JSON,
                   "ShutdownOptions.Mechanism: \\\"Telepathy\\\" is not one of GuestConnection, IntegrationService");
    expect_options(HcsShutDownComputeSystem, vm, W("{\"Reason\":[]}"), HCS_E_INVALID_JSON,
                   "ShutdownOptions.Reason: expected string");
    expect_options(HcsShutDownComputeSystem, vm, W("{\"Type\":\"Reboot\"}"), (HRESULT)0x80070032, NULL);
    st = state_of(vm);
    assert_string_equal(st, "Running");
    free(st);
    expect_options(HcsShutDownComputeSystem, vm,
                   W("{\"Mechanism\":\"GuestConnection\",\"Type\":\"Shutdown\",\"Force\":false,\"Reason\":\"test\"}"),
                   S_OK, NULL);
    /* after the exit the document is still read first; a good one meets the stopped system */
    expect_options(HcsShutDownComputeSystem, vm, W("{\"Force\":1}"), HCS_E_INVALID_JSON, "ShutdownOptions.Force");
    expect_options(HcsShutDownComputeSystem, vm, W(""), HCS_E_SYSTEM_ALREADY_STOPPED, NULL);
    HcsCloseComputeSystem(vm);

    /* the reserved options of start, resume and terminate are unchanged (§11 #54) */
    HCS_SYSTEM c = make_container(test_id("reserved"), CONTAINER_DOC);
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsStartComputeSystem(c, op, W("{")), E_INVALIDARG);
    assert_int_equal(HcsGetOperationType(op), HcsOperationTypeNone);
    HcsCloseOperation(op);
    expect_options(HcsStartComputeSystem, c, W("{\"Anything\":1}"), S_OK, NULL);
    expect_options(HcsTerminateComputeSystem, c, W("{}"), S_OK, NULL);
    HcsCloseComputeSystem(c);
}

/* hcs-api §11 #28: crash → CrashInitiated, CrashReport, then an
 * UnexpectedExit attributed to GuestCrash */
static void crash_events(void **state)
{
    (void)state;
    HCS_SYSTEM vm = make_running(test_id("crash"), VM_DOC);
    event_log log;
    event_log_init(&log);
    assert_int_equal(HcsSetComputeSystemCallback(vm, HcsEventOptionNone, &log, event_log_callback), S_OK);
    assert_int_equal(run_with(HcsCrashComputeSystem, vm, W("{\"Type\":\"CrashGuest\"}"), NULL), S_OK);
    assert_int_equal(event_log_wait(&log, 4), 4);
    assert_int_equal(log.types[0], HcsEventSystemCrashInitiated);
    assert_int_equal(log.types[1], HcsEventSystemCrashReport);
    assert_non_null(strstr(log.data[1], "\"CrashParameters\""));
    assert_null(strstr(log.data[1], "WindowsCrashInfo")); /* no GuestCrashReporting configured */
    /* hcs-api §4.1: the VM's guest connection closes as it goes */
    assert_int_equal(log.types[2], HcsEventSystemGuestConnectionClosed);
    assert_int_equal(log.types[3], HcsEventSystemExited);
    assert_non_null(strstr(log.data[3], "\"UnexpectedExit\""));
    assert_non_null(strstr(log.data[3], "\"GuestCrash\""));
    HcsCloseComputeSystem(vm);
    event_log_free(&log);
}

/* hcs-api §11 #29: modify memory on a running VM; a request type the path
 * does not allow fails, and so does a path HCS does not know */
static void modify_memory(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its memory accounting and error wording");
    HCS_SYSTEM vm = make_container(test_id("modify"), VM_DOC);
    PCWSTR grow = W("{\"ResourcePath\":\"VirtualMachine/ComputeTopology/Memory/SizeInMB\","
                    "\"RequestType\":\"Update\",\"Settings\":4096}");
    assert_int_equal(run_with(modify, vm, grow, NULL), HCS_E_INVALID_STATE); /* not started */
    assert_int_equal(run(HcsStartComputeSystem, vm), S_OK);
    assert_int_equal(run_with(modify, vm, grow, NULL), S_OK);
    char *doc = NULL;
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsGetComputeSystemProperties(vm, op, W("{\"PropertyTypes\":[\"Memory\"]}")), S_OK);
    assert_int_equal(wait_doc(op, &doc), S_OK);
    assert_non_null(strstr(doc, "\"AssignedMemory\":1048576")); /* 4096 MB in 4 KiB pages */
    free(doc);
    HcsCloseOperation(op);
    PCWSTR idle_add = W("{\"ResourcePath\":\"VirtualMachine/ComputeTopology/Processor/IdledProcessors\","
                        "\"RequestType\":\"Add\",\"Settings\":{\"IdleProcessorCount\":1}}");
    assert_int_equal(run_with(modify, vm, idle_add, &doc), HCS_E_INVALID_JSON);
    assert_non_null(strstr(doc, "IdledProcessors"));
    free(doc);
    /* an unknown VM resource path is a bad argument (zlayer-hcs §1.4) */
    assert_int_equal(run_with(modify, vm, W("{\"ResourcePath\":\"VirtualMachine/Nope\"}"), NULL), E_INVALIDARG);
    assert_int_equal(HcsModifyComputeSystem(vm, NULL, NULL, NULL), E_INVALIDARG);
    assert_int_equal(run(HcsTerminateComputeSystem, vm), S_OK);
    HcsCloseComputeSystem(vm);
}

/* hcs-api §11 #32: wait for exit returns SystemExitStatus, at once when
 * already exited; a timeout gives HCS_E_OPERATION_TIMEOUT (inferred) */
static void wait_for_exit(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("behaviour switches");
    HCS_SYSTEM c = make_running(test_id("waitexit"), CONTAINER_DOC);
    PWSTR status = NULL;
    assert_int_equal(HcsWaitForComputeSystemExit(c, 0, &status), HCS_E_OPERATION_TIMEOUT);
    assert_null(status);
    assert_int_equal(hcssim_set_behaviour("exit_wait_timeout", "wait_timeout"), 0);
    assert_int_equal(HcsWaitForComputeSystemExit(c, 1, NULL), (HRESULT)0x80070102);
    assert_int_equal(hcssim_set_behaviour("exit_wait_timeout", "operation_timeout"), 0);
    assert_int_equal(hcssim_set_behaviour("exit_wait_timeout", "bogus"), -1);
    assert_int_equal(run(HcsShutDownComputeSystem, c), S_OK);
    assert_int_equal(HcsWaitForComputeSystemExit(c, INFINITE, &status), S_OK);
    char *text = narrow(status);
    assert_non_null(strstr(text, "\"ExitType\":\"GracefulExit\""));
    free(text);
    LocalFree(status);
    assert_int_equal(HcsWaitForComputeSystemExit(c, 0, NULL), S_OK); /* already exited */
    HcsCloseComputeSystem(c);
    assert_int_equal(HcsWaitForComputeSystemExit(c, 0, NULL), (HRESULT)0x80070006);
}

/* hcs-api §11 #33: an exit completes the system's still-pending calls with
 * a failure */
static void exit_fails_pending_calls(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("latencies set per call");
    HCS_SYSTEM c = make_running(test_id("pending"), CONTAINER_DOC);
    assert_int_equal(hcssim_set_latency("HcsGetComputeSystemProperties", HCSSIM_NEVER), 0);
    HCS_OPERATION stuck = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsGetComputeSystemProperties(c, stuck, NULL), S_OK);
    assert_int_equal(hcssim_set_latency("HcsGetComputeSystemProperties", 1), 0);
    assert_int_equal(HcsWaitForOperationResult(stuck, 0, NULL), HCS_E_OPERATION_TIMEOUT);
    assert_int_equal(run(HcsTerminateComputeSystem, c), S_OK);
    assert_int_equal(wait_op(stuck), HCS_E_SYSTEM_ALREADY_STOPPED);
    HcsCloseOperation(stuck);
    HcsCloseComputeSystem(c);
}

/* hcs-api §11 #30: Statistics reports uptime in 100 ns units once running */
static void statistics(void **state)
{
    (void)state;
    HCS_SYSTEM c = make_running(test_id("stats"), CONTAINER_DOC);
    hcs__sleep_ms(5);
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    char *doc = NULL;
    assert_int_equal(HcsGetComputeSystemProperties(c, op, W("{\"PropertyTypes\":[\"Statistics\",\"ProcessList\"]}")),
                     S_OK);
    assert_int_equal(wait_doc(op, &doc), S_OK);
    const char *uptime = strstr(doc, "\"Uptime100ns\":");
    assert_non_null(uptime);
    assert_true(strtoull(uptime + 14, NULL, 10) >= 50000); /* at least the 5 ms slept */
    assert_non_null(strstr(doc, "\"ProcessList\":["));
    free(doc);
    HcsCloseOperation(op);
    assert_int_equal(run(HcsTerminateComputeSystem, c), S_OK);
    HcsCloseComputeSystem(c);
}

/* The number after `key` in doc (a hang-free parse for assertions). */
static unsigned long long number_after(const char *doc, const char *key)
{
    const char *at = strstr(doc, key);
    if (!at)
        fail_msg("%s not in %s", key, doc);
    return strtoull(at + strlen(key), NULL, 10);
}

static char *statistics_of(HCS_SYSTEM sys)
{
    char *doc = NULL;
    assert_int_equal(
        run_with(HcsGetComputeSystemProperties, sys, W("{\"PropertyTypes\":[\"Statistics\",\"ProcessList\"]}"), &doc),
        S_OK);
    return doc;
}

/* hcs-api §11 #30, §8.4 Statistics (peak and after exit inferred): the
 * memory peak counts every process, even one that ended before anyone
 * asked, and never decreases; once the system has stopped, Statistics keep
 * the values it had when it stopped (memory, peak, uptime) instead of
 * dropping to 0, and ProcessList is empty */
static void statistics_keep_their_last_values(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its guest program hcssim-alloc");
    enum { BASE = 2 * 1024 * 1024, HELD = 64 * 1024 * 1024 };
    HCS_SYSTEM c = make_running(test_id("laststats"), CONTAINER_DOC);
    HCS_PROCESS_INFORMATION info;
    HCS_PROCESS p = start_process(c, W("{\"CommandLine\":\"cmd /c exit 0\"}"), &info);
    free(process_exit_status(p));
    HcsCloseProcess(p);
    char *doc = statistics_of(c);
    assert_int_equal(number_after(doc, "\"MemoryUsageCommitBytes\":"), 0);
    assert_int_equal(number_after(doc, "\"MemoryUsageCommitPeakBytes\":"), BASE);
    free(doc);

    /* it holds the memory until its stdin ends: here, until the system stops */
    p = start_process(c, W("{\"CommandLine\":\"hcssim-alloc 64\",\"CreateStdInPipe\":true,\"CreateStdOutPipe\":true}"),
                      &info);
    char line[32];
    assert_string_equal(handle_read_line(info.StdOutput, line, sizeof line), "holding 64 MB\r\n");
    doc = statistics_of(c);
    assert_int_equal(number_after(doc, "\"MemoryUsageCommitBytes\":"), BASE + HELD);
    assert_int_equal(number_after(doc, "\"MemoryUsageCommitPeakBytes\":"), BASE + HELD);
    free(doc);
    hcs__sleep_ms(5);

    assert_int_equal(run(HcsTerminateComputeSystem, c), S_OK); /* with the memory still held */
    free(process_exit_status(p));
    char *after = statistics_of(c);
    assert_non_null(strstr(after, "\"State\":\"Stopped\""));
    assert_int_equal(number_after(after, "\"MemoryUsageCommitBytes\":"), BASE + HELD);
    assert_int_equal(number_after(after, "\"MemoryUsageCommitPeakBytes\":"), BASE + HELD);
    assert_int_equal(number_after(after, "\"MemoryUsagePrivateWorkingSetBytes\":"), BASE + HELD);
    unsigned long long uptime = number_after(after, "\"Uptime100ns\":");
    assert_true(uptime >= 50000); /* the 5 ms it ran, at least */
    assert_non_null(strstr(after, "\"ProcessList\":[]"));
    hcs__sleep_ms(20);
    char *later = statistics_of(c);
    assert_int_equal(number_after(later, "\"Uptime100ns\":"), uptime); /* frozen at the stop */
    assert_int_equal(number_after(later, "\"MemoryUsageCommitPeakBytes\":"), BASE + HELD);
    free(later);
    free(after);
    handle_close(info.StdInput);
    handle_close(info.StdOutput);
    HcsCloseProcess(p);
    HcsCloseComputeSystem(c);
}

/* hcs-api §2.2 (2004 and later): ids are unique per namespace, the default
 * namespace does not see namespaced systems, and HCS_CREATE_OPTIONS_1
 * registers the event callback before the call returns */
static void namespaces(void **state)
{
    (void)state;
    event_log log;
    event_log_init(&log);
    HCS_CREATE_OPTIONS_1 options = {0};
    options.Version = HcsCreateOptions_1;
    options.CallbackOptions = HcsEventOptionEnableOperationCallbacks;
    options.CallbackContext = &log;
    options.Callback = event_log_callback;
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HCS_SYSTEM a = NULL, b = NULL, opened = NULL;
    assert_int_equal(HcsCreateComputeSystemInNamespace(W("ns-a"), W("same-id"), CONTAINER_DOC, op,
                                                       (const HCS_CREATE_OPTIONS *)&options, &a),
                     S_OK);
    assert_int_equal(wait_op(op), S_OK);
    assert_int_equal(event_log_wait(&log, 1), 1); /* the create, reported to the callback given at creation */
    assert_int_equal(log.types[0], HcsEventOperationCallback);
    assert_int_equal(HcsCreateComputeSystemInNamespace(W("ns-b"), W("same-id"), CONTAINER_DOC, op, NULL, &b), S_OK);
    assert_int_equal(wait_op(op), S_OK);
    assert_int_equal(HcsOpenComputeSystem(W("same-id"), GENERIC_ALL, &opened), HCS_E_SYSTEM_NOT_FOUND);
    assert_int_equal(HcsOpenComputeSystemInNamespace(W("ns-a"), W("same-id"), GENERIC_ALL, &opened), S_OK);
    char *list = NULL;
    assert_int_equal(HcsEnumerateComputeSystemsInNamespace(W("ns-b"), NULL, op), S_OK);
    assert_int_equal(wait_doc(op, &list), S_OK);
    assert_non_null(strstr(list, "same-id"));
    free(list);
    assert_int_equal(HcsEnumerateComputeSystems(W("{\"Ids\":[\"same-id\"]}"), op), S_OK);
    assert_int_equal(wait_doc(op, &list), S_OK);
    assert_string_equal(list, "[]");
    free(list);
    HcsCloseOperation(op);
    assert_int_equal(run(HcsTerminateComputeSystem, a), S_OK);
    assert_int_equal(run(HcsTerminateComputeSystem, b), S_OK);
    HcsCloseComputeSystem(opened);
    HcsCloseComputeSystem(a);
    HcsCloseComputeSystem(b);
    event_log_free(&log);
}

/* Creates id in namespace ns (NULL: the default one) and waits for the
 * outcome; the handle is in *out (closed by the caller either way). */
static HRESULT create_in(PCWSTR ns, PCWSTR id, HCS_SYSTEM *out)
{
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HRESULT hr = ns ? HcsCreateComputeSystemInNamespace(ns, id, CONTAINER_DOC, op, NULL, out)
                    : HcsCreateComputeSystem(id, CONTAINER_DOC, op, NULL, out);
    if (SUCCEEDED(hr))
        hr = wait_op(op);
    HcsCloseOperation(op);
    return hr;
}

/* The enumerate answer of namespace ns (NULL: the default one) for one id. */
static char *listed_in(PCWSTR ns, PCWSTR query)
{
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    char *list = NULL;
    assert_int_equal(ns ? HcsEnumerateComputeSystemsInNamespace(ns, query, op) : HcsEnumerateComputeSystems(query, op),
                     S_OK);
    assert_int_equal(wait_doc(op, &list), S_OK);
    HcsCloseOperation(op);
    return list;
}

/* hcs-api §2.2 (the *InNamespace functions) with §11 #15, #25 and #31 per
 * namespace, as the simulator reads them (docs/simulator-fidelity.md,
 * inferred): a system is opened and listed only in its own namespace; an
 * id is unique within one namespace (#15: HCS_E_SYSTEM_ALREADY_EXISTS
 * there) and free again after the system exits (#25), while another
 * namespace may use it at the same time; namespace names compare like ids
 * (ASCII case-insensitive); "" names no namespace (E_INVALIDARG). */
static void namespaces_are_separate(void **state)
{
    (void)state;
    HCS_SYSTEM a = NULL, dup = NULL, d = NULL, opened = NULL;
    PCWSTR id = W("ns-sep");
    PCWSTR query = W("{\"Ids\":[\"ns-sep\"]}");
    assert_int_equal(create_in(W("tenant-a"), id, &a), S_OK);
    assert_int_equal(create_in(W("TENANT-A"), id, &dup), HCS_E_SYSTEM_ALREADY_EXISTS); /* #15 */
    HcsCloseComputeSystem(dup);

    /* Only tenant-a opens and lists it (#31). */
    assert_int_equal(HcsOpenComputeSystem(id, GENERIC_ALL, &opened), HCS_E_SYSTEM_NOT_FOUND);
    assert_int_equal(HcsOpenComputeSystemInNamespace(W("tenant-b"), id, GENERIC_ALL, &opened), HCS_E_SYSTEM_NOT_FOUND);
    assert_int_equal(HcsOpenComputeSystemInNamespace(W("Tenant-A"), id, GENERIC_ALL, &opened), S_OK);
    HcsCloseComputeSystem(opened);
    char *list = listed_in(NULL, query);
    assert_string_equal(list, "[]");
    free(list);
    list = listed_in(W("tenant-b"), NULL);
    assert_null(strstr(list, "ns-sep"));
    free(list);
    list = listed_in(W("tenant-a"), query);
    assert_non_null(strstr(list, "\"Id\":\"ns-sep\""));
    free(list);

    /* The default namespace takes the same id at the same time. */
    assert_int_equal(create_in(NULL, id, &d), S_OK);
    list = listed_in(NULL, query);
    assert_non_null(strstr(list, "\"Id\":\"ns-sep\""));
    free(list);

    /* #25 in a namespace: after the exit the id is gone and free there,
     * and the other namespace's system is untouched. */
    assert_int_equal(run(HcsTerminateComputeSystem, a), S_OK);
    HcsCloseComputeSystem(a);
    assert_int_equal(HcsOpenComputeSystemInNamespace(W("tenant-a"), id, GENERIC_ALL, &opened), HCS_E_SYSTEM_NOT_FOUND);
    list = listed_in(W("tenant-a"), query);
    assert_string_equal(list, "[]");
    free(list);
    assert_int_equal(HcsOpenComputeSystem(id, GENERIC_ALL, &opened), S_OK);
    HcsCloseComputeSystem(opened);
    assert_int_equal(create_in(W("tenant-a"), id, &a), S_OK);

    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsOpenComputeSystemInNamespace(W(""), id, GENERIC_ALL, &opened), E_INVALIDARG);
    assert_int_equal(HcsEnumerateComputeSystemsInNamespace(W(""), NULL, op), E_INVALIDARG);
    HcsCloseOperation(op);

    assert_int_equal(run(HcsTerminateComputeSystem, a), S_OK);
    assert_int_equal(run(HcsTerminateComputeSystem, d), S_OK);
    HcsCloseComputeSystem(a);
    HcsCloseComputeSystem(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pause_and_resume),
        cmocka_unit_test(container_cannot_pause),
        cmocka_unit_test(save_needs_pause),
        cmocka_unit_test(save_as_template),
        cmocka_unit_test(crash_events),
        cmocka_unit_test(modify_memory),
        cmocka_unit_test(wait_for_exit),
        cmocka_unit_test(exit_fails_pending_calls),
        cmocka_unit_test(statistics),
        cmocka_unit_test(namespaces),
        cmocka_unit_test(namespaces_are_separate),
        cmocka_unit_test(options_documents_are_checked),
        cmocka_unit_test(statistics_keep_their_last_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
