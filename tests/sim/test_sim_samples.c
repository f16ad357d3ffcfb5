/* Microsoft's documentation samples (hcs-api §9.2-§9.6), their call
 * sequences written in C, behaving as the pages predict. On Windows this
 * program is linked with the SDK's import library and runs on hcssim.dll
 * renamed computecore.dll, like any client of the real DLL. */
#include "sim_helpers.h"

#define EMPTY_VM(terminate)                                                                                            \
    W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Owner\":\"Sample\",\"VirtualMachine\":{\"Chipset\":"             \
      "{\"Uefi\":{}},\"ComputeTopology\":{\"Memory\":{\"Backing\":\"Physical\",\"SizeInMB\":1024},\"Processor\":"      \
      "{\"Count\":2}}},\"ShouldTerminateOnLastHandleClosed\":" terminate "}")

/* A one-shot signal, in place of the samples' wil::unique_event. */
typedef struct one_shot {
    hcs_mutex mu;
    hcs_cond cond;
    int set;
    HRESULT hr;
    HCS_OPERATION_TYPE type;
} one_shot;

static void shot_init(one_shot *s)
{
    memset(s, 0, sizeof *s);
    hcs__mutex_init(&s->mu);
    hcs__cond_init(&s->cond);
}

static void shot_set(one_shot *s, HRESULT hr, HCS_OPERATION_TYPE type)
{
    hcs__mutex_lock(&s->mu);
    s->set = 1;
    s->hr = hr;
    s->type = type;
    hcs__cond_broadcast(&s->cond);
    hcs__mutex_unlock(&s->mu);
}

static int shot_wait(one_shot *s)
{
    uint64_t deadline = hcs__clock_ms() + 10000; /* hang guard only */
    hcs__mutex_lock(&s->mu);
    while (!s->set && hcs__cond_wait_until(&s->cond, &s->mu, deadline)) {
    }
    int set = s->set;
    hcs__mutex_unlock(&s->mu);
    return set;
}

static void shot_free(one_shot *s)
{
    hcs__cond_destroy(&s->cond);
    hcs__mutex_destroy(&s->mu);
}

/* ComputeSystemSample: the VM outlives its handle; open, enumerate, pause,
 * resume; save while running fails (the page's order), save after pause
 * writes the state file; the sample's double close does no harm. */
static void compute_system_sample(void **state)
{
    (void)state;
    HCS_SYSTEM created = make_running(W("Sample"), EMPTY_VM("false"));
    HcsCloseComputeSystem(created);
    HCS_SYSTEM system = NULL;
    assert_int_equal(HcsOpenComputeSystem(W("Sample"), GENERIC_ALL, &system), S_OK);
    HCS_OPERATION enum_op = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsEnumerateComputeSystems(NULL, enum_op), S_OK);
    char *list = NULL;
    assert_int_equal(wait_doc(enum_op, &list), S_OK);
    assert_non_null(strstr(list, "\"Id\":\"Sample\""));
    free(list);
    HcsCloseOperation(enum_op);
    PCWSTR pause = W("{\"SuspensionLevel\":\"Suspend\",\"HostedNotification\":{\"Reason\":\"Save\"}}");
    PCWSTR save = W("{\"SaveType\":\"ToFile\",\"SaveStateFilePath\":\"c:\\\\HCS_Test\\\\save.vmrs\"}");
    assert_int_equal(run_with(HcsPauseComputeSystem, system, pause, NULL), S_OK);
    assert_int_equal(run_with(HcsResumeComputeSystem, system, NULL, NULL), S_OK);
    assert_int_equal(run_with(HcsSaveComputeSystem, system, save, NULL), HCS_E_INVALID_STATE);
    assert_int_equal(run_with(HcsPauseComputeSystem, system, pause, NULL), S_OK);
    /* The page's save file goes into c:\HCS_Test, which the sample
     * expects to exist (on POSIX the whole path is one file name). */
#ifdef _WIN32
    CreateDirectoryA("c:\\HCS_Test", NULL);
#endif
    assert_int_equal(run_with(HcsSaveComputeSystem, system, save, NULL), S_OK);
    assert_int_equal(remove("c:\\HCS_Test\\save.vmrs"), 0); /* the state was written */
#ifdef _WIN32
    RemoveDirectoryA("c:\\HCS_Test");
#endif
    HcsCloseComputeSystem(system);
    HcsCloseComputeSystem(system); /* the sample closes twice */
}

static void CALLBACK on_create_done(HCS_OPERATION op, void *context)
{
    HCS_OPERATION_TYPE type = HcsGetOperationType(op);
    HRESULT hr = HcsGetOperationResult(op, NULL);
    HcsCloseOperation(op);
    shot_set(context, hr, type);
}

static void CALLBACK on_operation_event(HCS_EVENT *event, void *context)
{
    if (event->Type != HcsEventOperationCallback) {
        shot_set(context, ((HRESULT)0x8000FFFF) /* E_UNEXPECTED */, HcsOperationTypeNone);
        return;
    }
    HCS_OPERATION_TYPE type = HcsGetOperationType(event->Operation);
    HRESULT hr = HcsGetOperationResult(event->Operation, NULL);
    HcsCloseOperation(event->Operation);
    shot_set(context, hr, type);
}

static void CALLBACK ignore_completion(HCS_OPERATION op, void *context)
{
    (void)op;
    (void)context;
}

/* OperationCompletionSample: three ways to learn that "Test" was created,
 * one after the other in one process; each closes its last handle, which
 * terminates the VM and frees the id for the next. */
static void operation_completion_sample(void **state)
{
    (void)state;
    /* 1. a synchronous wait */
    HCS_SYSTEM system = make_container(W("Test"), EMPTY_VM("true"));
    HcsCloseComputeSystem(system);

    /* 2. an operation callback; the caller never keeps the operation */
    one_shot done;
    shot_init(&done);
    system = NULL;
    assert_int_equal(
        HcsCreateComputeSystem(W("Test"), EMPTY_VM("true"), HcsCreateOperation(&done, on_create_done), NULL, &system),
        S_OK);
    assert_true(shot_wait(&done));
    assert_int_equal(done.hr, S_OK);
    assert_int_equal(done.type, HcsOperationTypeCreate);
    HcsCloseComputeSystem(system);
    shot_free(&done);

    /* 3. operation events on the system's callback */
    shot_init(&done);
    system = NULL;
    assert_int_equal(HcsCreateComputeSystem(W("Test"), EMPTY_VM("true"), HcsCreateOperation(NULL, NULL), NULL, &system),
                     S_OK);
    assert_int_equal(
        HcsSetComputeSystemCallback(system, HcsEventOptionEnableOperationCallbacks, &done, on_operation_event), S_OK);
    assert_true(shot_wait(&done));
    assert_int_equal(done.hr, S_OK);
    assert_int_equal(done.type, HcsOperationTypeCreate);
    HCS_OPERATION refused = HcsCreateOperation(NULL, ignore_completion);
    assert_int_equal(HcsStartComputeSystem(system, refused, NULL), HCS_E_OPERATION_SYSTEM_CALLBACK_ALREADY_SET);
    HcsCloseOperation(refused); /* the sample leaks it; we do not */
    HcsCloseComputeSystem(system);
    shot_free(&done);
}

/* EventCallbackSample: a callback registered with no options sees only
 * system events, each exit or crash event with data. */
typedef struct checked {
    _Atomic int wrong;
    one_shot exited;
} checked;

static void CALLBACK check_event(HCS_EVENT *event, void *context)
{
    checked *c = context;
    switch (event->Type) {
    case HcsEventSystemExited:
        if (!event->EventData)
            c->wrong++;
        shot_set(&c->exited, S_OK, HcsOperationTypeNone);
        break;
    case HcsEventSystemCrashInitiated:
    case HcsEventSystemCrashReport:
        if (!event->EventData)
            c->wrong++;
        break;
    case HcsEventSystemRdpEnhancedModeStateChanged:
    case HcsEventSystemSiloJobCreated:
    case HcsEventSystemGuestConnectionClosed:
    case HcsEventServiceDisconnect:
        break;
    default: /* ProcessExited, OperationCallback, Invalid */
        c->wrong++;
    }
}

static void event_callback_sample(void **state)
{
    (void)state;
    checked c = {0};
    shot_init(&c.exited);
    HCS_SYSTEM system = make_running(W("Test"), EMPTY_VM("true"));
    assert_int_equal(HcsSetComputeSystemCallback(system, HcsEventOptionNone, &c, check_event), S_OK);
    assert_int_equal(run_with(HcsCrashComputeSystem, system, NULL, NULL), S_OK);
    assert_true(shot_wait(&c.exited));
    HcsCloseComputeSystem(system);
    assert_int_equal(c.wrong, 0);
    shot_free(&c.exited);
}

/* ServiceSample: "Memory" is not a property type of this build (it was
 * before 2104); the placeholder GroupId fails with a ResultError; a crash
 * report from the callback can be submitted as a WER report. */
static void CALLBACK submit_report(HCS_EVENT *event, void *context)
{
    if (event->Type == HcsEventSystemCrashReport)
        shot_set(context, HcsSubmitWerReport(event->EventData), HcsOperationTypeNone);
}

static void service_sample(void **state)
{
    (void)state;
    PWSTR doc = NULL;
    HRESULT hr = HcsGetServiceProperties(W("{\"PropertyTypes\":[\"Memory\"]}"), &doc);
    assert_int_equal(hr, HCS_E_INVALID_JSON); /* the default profile is 21H2 */
    LocalFree(doc);
    doc = NULL;
    hr = HcsModifyServiceSettings(W("{\"PropertyType\":\"CpuGroup\",\"Settings\":{\"Operation\":\"CreateGroup\","
                                    "\"OperationDetails\":{\"GroupId\":\"GUID\",\"LogicalProcessorCount\":2,"
                                    "\"LogicalProcessors\":[0,1]}}}"),
                                  &doc);
    assert_true(FAILED(hr));
    assert_non_null(doc);
    LocalFree(doc);
    one_shot reported;
    shot_init(&reported);
    HCS_SYSTEM system = make_running(test_id("wer"), EMPTY_VM("true"));
    assert_int_equal(HcsSetComputeSystemCallback(system, HcsEventOptionNone, &reported, submit_report), S_OK);
    assert_int_equal(run_with(HcsCrashComputeSystem, system, NULL, NULL), S_OK);
    assert_true(shot_wait(&reported));
    assert_int_equal(reported.hr, S_OK);
    HcsCloseComputeSystem(system);
    shot_free(&reported);
}

/* UtilityFunctionSample: an empty runtime-state file, then access for the
 * VM "Sample" (which need not exist). */
static void utility_function_sample(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("state files at relative paths (the real service resolves them in its own folder)");
    assert_int_equal(HcsCreateEmptyRuntimeStateFile(W("emptyfile.vmrs")), S_OK);
    assert_int_equal(HcsGrantVmAccess(W("Sample"), W("emptyfile.vmrs")), S_OK);
    remove("emptyfile.vmrs");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compute_system_sample),   cmocka_unit_test(operation_completion_sample),
        cmocka_unit_test(event_callback_sample),   cmocka_unit_test(service_sample),
        cmocka_unit_test(utility_function_sample),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
