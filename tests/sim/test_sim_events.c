/* hcssim conformance: event callbacks on system handles (hcs-api §4). */
#include "sim_helpers.h"

/* hcs-api §11 #35: SystemExited once per registered handle, with
 * SystemExitStatus data; §11 #34: no operation events without the option;
 * §4.2: every handle with a callback gets system events */
static void exit_event_per_handle(void **state)
{
    (void)state;
    PCWSTR id = test_id("exitev");
    HCS_SYSTEM a = make_running(id, CONTAINER_DOC);
    HCS_SYSTEM b = NULL;
    assert_int_equal(HcsOpenComputeSystem(id, GENERIC_ALL, &b), S_OK);
    event_log la, lb;
    event_log_init(&la);
    event_log_init(&lb);
    assert_int_equal(HcsSetComputeSystemCallback(a, HcsEventOptionNone, &la, event_log_callback), S_OK);
    assert_int_equal(HcsSetComputeSystemCallback(b, HcsEventOptionNone, &lb, event_log_callback), S_OK);
    assert_int_equal(run(HcsTerminateComputeSystem, a), S_OK);
    assert_int_equal(run(HcsTerminateComputeSystem, a), HCS_E_SYSTEM_ALREADY_STOPPED);
    assert_int_equal(event_log_wait(&la, 1), 1);
    assert_int_equal(event_log_wait(&lb, 1), 1);
    assert_int_equal(la.types[0], HcsEventSystemExited);
    assert_non_null(strstr(la.data[0], "\"ExitType\":\"ForcedExit\""));
    assert_null(la.operations[0]);
    assert_int_equal(lb.types[0], HcsEventSystemExited);
    HcsCloseComputeSystem(a);
    HcsCloseComputeSystem(b);
    assert_int_equal(la.count, 1); /* nothing more after close */
    event_log_free(&la);
    event_log_free(&lb);
}

/* hcs-api §11 #37: a second registration on one handle fails */
static void second_registration(void **state)
{
    (void)state;
    event_log log;
    event_log_init(&log);
    HCS_SYSTEM c = make_container(test_id("twice"), CONTAINER_DOC);
    assert_int_equal(HcsSetComputeSystemCallback(c, HcsEventOptionNone, &log, event_log_callback), S_OK);
    assert_int_equal(HcsSetComputeSystemCallback(c, HcsEventOptionNone, &log, event_log_callback),
                     HCS_E_OPERATION_SYSTEM_CALLBACK_ALREADY_SET);
    assert_int_equal(HcsSetComputeSystemCallback(c, 0x80, &log, event_log_callback), E_INVALIDARG);
    assert_int_equal(run(HcsTerminateComputeSystem, c), S_OK);
    HcsCloseComputeSystem(c);
    event_log_free(&log);
}

static void CALLBACK op_done(HCS_OPERATION op, void *context)
{
    (void)op;
    (void)context;
}

/* hcs-api §11 #36 and the OperationCompletionSample's third pattern: the
 * create issued before registration is reported as an operation event, so
 * are later calls; an operation with its own callback is refused */
static void operation_events(void **state)
{
    (void)state;
    event_log log;
    event_log_init(&log);
    HCS_OPERATION create = HcsCreateOperation(NULL, NULL);
    HCS_SYSTEM c = NULL;
    assert_int_equal(HcsCreateComputeSystem(test_id("opev"), CONTAINER_DOC, create, NULL, &c), S_OK);
    assert_int_equal(HcsSetComputeSystemCallback(c, HcsEventOptionEnableOperationCallbacks, &log, event_log_callback),
                     S_OK);
    assert_int_equal(event_log_wait(&log, 1), 1);
    assert_int_equal(log.types[0], HcsEventOperationCallback);
    assert_ptr_equal(log.operations[0], create);
    assert_int_equal(HcsGetOperationResult(create, NULL), S_OK);
    HCS_OPERATION with_callback = HcsCreateOperation(NULL, op_done);
    assert_int_equal(HcsStartComputeSystem(c, with_callback, NULL), HCS_E_OPERATION_SYSTEM_CALLBACK_ALREADY_SET);
    assert_int_equal(HcsGetOperationType(with_callback), HcsOperationTypeNone);
    HcsCloseOperation(with_callback);
    assert_int_equal(HcsStartComputeSystem(c, create, NULL), S_OK); /* reuse */
    assert_int_equal(event_log_wait(&log, 2), 2);
    assert_int_equal(log.types[1], HcsEventOperationCallback);
    assert_ptr_equal(log.operations[1], create);
    HcsCloseOperation(create);
    assert_int_equal(run(HcsTerminateComputeSystem, c), S_OK);
    assert_int_equal(event_log_wait(&log, 4), 4); /* terminate's completion and the exit, in some order */
    HcsCloseComputeSystem(c);
    event_log_free(&log);
}

/* hcs-api §11 #36: every completed operation is reported with Operation
 * set, also one the program closed while its call was pending (the event
 * names the handle it had): here a call parked for ever and failed by the
 * system's exit, and the terminate, whose operation is closed as soon as it
 * completes */
static void closed_operations_reported(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("latencies set per call");
    event_log log;
    event_log_init(&log);
    HCS_SYSTEM c = make_running(test_id("opclosed"), CONTAINER_DOC);
    assert_int_equal(HcsSetComputeSystemCallback(c, HcsEventOptionEnableOperationCallbacks, &log, event_log_callback),
                     S_OK);
    assert_int_equal(hcssim_set_latency("HcsGetComputeSystemProperties", HCSSIM_NEVER), 0);
    HCS_OPERATION parked = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsGetComputeSystemProperties(c, parked, NULL), S_OK);
    assert_int_equal(hcssim_set_latency("HcsGetComputeSystemProperties", 1), 0);
    HcsCloseOperation(parked);
    assert_int_equal(run(HcsTerminateComputeSystem, c), S_OK);
    /* the parked call, the terminate and the exit, in some order */
    assert_int_equal(event_log_wait(&log, 3), 3);
    int reported = 0, parked_seen = 0;
    for (int i = 0; i < 3; i++) {
        if (log.types[i] != HcsEventOperationCallback)
            continue;
        reported++;
        assert_non_null(log.operations[i]);
        parked_seen += log.operations[i] == parked;
    }
    assert_int_equal(reported, 2);
    assert_int_equal(parked_seen, 1);
    HcsCloseComputeSystem(c);
    event_log_free(&log);
}

/* hcs-api §11 #27: once close returns, no callback runs, even when the
 * callback was in progress on another thread */
typedef struct slow {
    event_log log;
    _Atomic int closed;
    _Atomic int late;
} slow;

static void CALLBACK slow_callback(HCS_EVENT *event, void *context)
{
    slow *s = context;
    event_log_callback(event, &s->log);
    hcs__sleep_ms(20);
    if (s->closed)
        s->late = 1;
}

static void close_drains_callbacks(void **state)
{
    (void)state;
    slow s = {0};
    event_log_init(&s.log);
    HCS_SYSTEM c = make_running(test_id("drain"), CONTAINER_DOC);
    assert_int_equal(HcsSetComputeSystemCallback(c, HcsEventOptionNone, &s, slow_callback), S_OK);
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsTerminateComputeSystem(c, op, NULL), S_OK);
    assert_int_equal(event_log_wait(&s.log, 1), 1); /* the callback is running */
    HcsCloseComputeSystem(c);
    s.closed = 1;
    hcs__sleep_ms(30);
    assert_int_equal(s.late, 0);
    assert_int_equal(wait_op(op), S_OK);
    HcsCloseOperation(op);
    event_log_free(&s.log);
}

/* hcs-api §11 #38: a service loss reaches every callback once and fails
 * pending and new calls */
static void service_disconnect(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("a service disconnect");
    event_log log;
    event_log_init(&log);
    HCS_SYSTEM c = make_running(test_id("disc"), CONTAINER_DOC);
    assert_int_equal(HcsSetComputeSystemCallback(c, HcsEventOptionNone, &log, event_log_callback), S_OK);
    assert_int_equal(hcssim_set_latency("HcsPauseComputeSystem", HCSSIM_NEVER), 0);
    HCS_OPERATION stuck = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsPauseComputeSystem(c, stuck, NULL), S_OK);
    assert_int_equal(hcssim_set_latency("HcsPauseComputeSystem", 1), 0);
    hcssim_disconnect_service();
    hcssim_disconnect_service(); /* once only */
    assert_int_equal(wait_op(stuck), HCS_E_SERVICE_DISCONNECT);
    assert_int_equal(event_log_wait(&log, 1), 1);
    assert_int_equal(log.types[0], HcsEventServiceDisconnect);
    assert_int_equal(HcsStartComputeSystem(c, stuck, NULL), HCS_E_SERVICE_DISCONNECT);
    assert_int_equal(HcsWaitForComputeSystemExit(c, INFINITE, NULL), HCS_E_SERVICE_DISCONNECT);
    hcssim_restore_service();
    assert_int_equal(run(HcsTerminateComputeSystem, c), S_OK);
    assert_int_equal(event_log_wait(&log, 2), 2);
    assert_int_equal(log.types[1], HcsEventSystemExited);
    HcsCloseOperation(stuck);
    HcsCloseComputeSystem(c);
    event_log_free(&log);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exit_event_per_handle),  cmocka_unit_test(second_registration),
        cmocka_unit_test(operation_events),       cmocka_unit_test(closed_operations_reported),
        cmocka_unit_test(close_drains_callbacks), cmocka_unit_test(service_disconnect),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
