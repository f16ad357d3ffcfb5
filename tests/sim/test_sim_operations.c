/* hcssim conformance: the operation model (hcs-api §3, §11 #1-#13, #55). */
#include "sim_helpers.h"

#include "platform/thread.h"

static int reset(void **state)
{
    (void)state;
    hcssim_set_latency(NULL, 1);
    return 0;
}

/* hcs-api §11 #1 */
static void new_operation_is_unused(void **state)
{
    (void)state;
    static int ctx;
    HCS_OPERATION op = HcsCreateOperation(&ctx, NULL);
    assert_non_null(op);
    assert_int_equal(HcsGetOperationType(op), HcsOperationTypeNone);
    assert_ptr_equal(HcsGetOperationContext(op), &ctx);
    HcsCloseOperation(op);
}

/* hcs-api §11 #2: no wait, whatever the timeout */
static void unused_operation_reports_not_started(void **state)
{
    (void)state;
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    PWSTR doc = (PWSTR)W("junk");
    assert_int_equal(HcsGetOperationResult(op, &doc), HCS_E_OPERATION_NOT_STARTED);
    assert_null(doc);
    assert_int_equal(HcsWaitForOperationResult(op, INFINITE, NULL), HCS_E_OPERATION_NOT_STARTED);
    assert_int_equal(HcsWaitForOperationResult(op, 0, NULL), HCS_E_OPERATION_NOT_STARTED);
    HcsCloseOperation(op);
}

/* hcs-api §11 #3 and #10 */
static void pending_operation_times_out_and_refuses_reuse(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("latencies set per call");
    HCS_SYSTEM sys = make_container(test_id("pending"), CONTAINER_DOC);
    assert_int_equal(hcssim_set_latency("HcsStartComputeSystem", HCSSIM_NEVER), 0);
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsStartComputeSystem(sys, op, NULL), S_OK);
    PWSTR doc = (PWSTR)W("junk");
    assert_int_equal(HcsGetOperationResult(op, &doc), HCS_E_OPERATION_PENDING);
    assert_null(doc);
    assert_int_equal(HcsWaitForOperationResult(op, 0, NULL), HCS_E_OPERATION_TIMEOUT);
    assert_int_equal(HcsWaitForOperationResult(op, 20, NULL), HCS_E_OPERATION_TIMEOUT);
    /* #10: reuse while pending fails synchronously, tracking untouched */
    assert_int_equal(HcsTerminateComputeSystem(sys, op, NULL), HCS_E_OPERATION_ALREADY_STARTED);
    assert_int_equal(HcsGetOperationType(op), HcsOperationTypeStart);
    HcsCloseOperation(op);
    HcsCloseComputeSystem(sys);
}

/* hcs-api §11 #4 and #53: repeated reads give the same outcome, each a
 * fresh LocalFree-able copy */
static void completed_operation_repeats_its_outcome(void **state)
{
    (void)state;
    HCS_SYSTEM sys = make_container(test_id("repeat"), CONTAINER_DOC);
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsGetComputeSystemProperties(sys, op, NULL), S_OK);
    PWSTR a = NULL, b = NULL;
    assert_int_equal(HcsWaitForOperationResult(op, INFINITE, &a), S_OK);
    assert_int_equal(HcsGetOperationResult(op, &b), S_OK);
    assert_non_null(a);
    assert_non_null(b);
    assert_ptr_not_equal(a, b);
    char *na = narrow(a), *nb = narrow(b);
    assert_string_equal(na, nb);
    free(na);
    free(nb);
    LocalFree(a);
    LocalFree(b);
    HcsCloseOperation(op);
    HcsCloseComputeSystem(sys);
}

/* hcs-api §11 #5 and #9: one operation reused along the Tutorial's path */
static void one_operation_serves_the_whole_lifecycle(void **state)
{
    (void)state;
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HCS_SYSTEM sys = NULL;
    assert_int_equal(HcsCreateComputeSystem(test_id("tutorial"), CONTAINER_DOC, op, NULL, &sys), S_OK);
    assert_int_equal(wait_op(op), S_OK);
    assert_int_equal(HcsGetOperationType(op), HcsOperationTypeCreate);
    assert_int_equal(HcsStartComputeSystem(sys, op, NULL), S_OK);
    assert_int_equal(wait_op(op), S_OK);
    assert_int_equal(HcsGetOperationType(op), HcsOperationTypeStart);
    assert_int_equal(HcsGetComputeSystemProperties(sys, op, NULL), S_OK);
    assert_int_equal(wait_op(op), S_OK);
    assert_int_equal(HcsGetOperationType(op), HcsOperationTypeGetProperties);
    assert_int_equal(HcsTerminateComputeSystem(sys, op, NULL), S_OK);
    assert_int_equal(wait_op(op), S_OK);
    assert_int_equal(HcsGetOperationType(op), HcsOperationTypeTerminate);
    assert_int_equal(HcsEnumerateComputeSystems(NULL, op), S_OK);
    assert_int_equal(wait_op(op), S_OK);
    assert_int_equal(HcsGetOperationType(op), HcsOperationTypeEnumerate);
    HcsCloseOperation(op);
    HcsCloseComputeSystem(sys);
}

/* hcs-api §11 #6 */
static void process_info_needs_a_process_operation(void **state)
{
    (void)state;
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsEnumerateComputeSystems(NULL, op), S_OK);
    assert_int_equal(wait_op(op), S_OK);
    HCS_PROCESS_INFORMATION info;
    assert_int_equal(HcsGetOperationResultAndProcessInfo(op, &info, NULL), E_INVALIDARG);
    assert_int_equal(HcsWaitForOperationResultAndProcessInfo(op, INFINITE, &info, NULL), E_INVALIDARG);
    HcsCloseOperation(op);
}

/* hcs-api §11 #7 */
static void operation_ids_are_distinct(void **state)
{
    (void)state;
    HCS_OPERATION a = HcsCreateOperation(NULL, NULL), b = HcsCreateOperation(NULL, NULL);
    assert_int_not_equal(HcsGetOperationId(a), HcsGetOperationId(b));
    assert_int_not_equal(HcsGetOperationId(a), HCS_INVALID_OPERATION_ID);
    HcsCloseOperation(a);
    HcsCloseOperation(b);
    assert_true(HcsGetOperationId(a) == HCS_INVALID_OPERATION_ID);
}

typedef struct callback_probe {
    hcs_mutex mu;
    hcs_cond cv;
    int calls;
    uint64_t thread;
    void *context;
    HRESULT result;
    HCS_OPERATION op;
} callback_probe;

static void WINAPI record_completion(HCS_OPERATION op, void *context)
{
    callback_probe *p = context;
    HRESULT hr = HcsGetOperationResult(op, NULL);
    HcsCloseOperation(op); /* allowed inside the callback (pattern 2) */
    hcs__mutex_lock(&p->mu);
    p->calls++;
    p->thread = hcs__thread_self();
    p->context = context;
    p->result = hr;
    p->op = op;
    hcs__cond_broadcast(&p->cv);
    hcs__mutex_unlock(&p->mu);
}

static void wait_calls(callback_probe *p, int n)
{
    hcs__mutex_lock(&p->mu);
    while (p->calls < n)
        hcs__cond_wait(&p->cv, &p->mu);
    hcs__mutex_unlock(&p->mu);
}

/* hcs-api §11 #8: once, on another thread, with the current context */
static void completion_callback_runs_once_elsewhere(void **state)
{
    (void)state;
    callback_probe probe = {0};
    hcs__mutex_init(&probe.mu);
    hcs__cond_init(&probe.cv);
    HCS_OPERATION op = HcsCreateOperation(NULL, record_completion);
    assert_int_equal(HcsSetOperationContext(op, &probe), S_OK);
    assert_int_equal(HcsEnumerateComputeSystems(NULL, op), S_OK);
    wait_calls(&probe, 1);
    assert_int_equal(probe.calls, 1);
    assert_ptr_equal(probe.context, &probe);
    assert_int_equal(probe.result, S_OK);
    assert_true(probe.thread != hcs__thread_self());
    /* the callback closed the operation: its handle is now dead */
    assert_int_equal(HcsGetOperationType(probe.op), HcsOperationTypeNone);
    hcs__cond_destroy(&probe.cv);
    hcs__mutex_destroy(&probe.mu);
}

/* hcs-api §11 #11 */
static void cancel_is_not_implemented(void **state)
{
    (void)state;
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsCancelOperation(op), E_NOTIMPL);
    HcsCloseOperation(op);
}

static int contains_state(HCS_SYSTEM sys, const char *state)
{
    char *doc = properties(sys);
    char want[64];
    snprintf(want, sizeof want, "\"State\":\"%s\"", state);
    int found = strstr(doc, want) != NULL;
    free(doc);
    return found;
}

/* hcs-api §11 #12: the work still happens, without a callback */
static void closing_a_pending_operation_keeps_the_work(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("latencies set per call");
    callback_probe probe = {0};
    hcs__mutex_init(&probe.mu);
    hcs__cond_init(&probe.cv);
    HCS_SYSTEM sys = make_container(test_id("close-pending"), CONTAINER_DOC);
    assert_int_equal(hcssim_set_latency("HcsTerminateComputeSystem", 50), 0);
    HCS_OPERATION op = HcsCreateOperation(&probe, record_completion);
    assert_int_equal(HcsTerminateComputeSystem(sys, op, NULL), S_OK);
    HcsCloseOperation(op);
    /* Requests on one system complete in order, so once this properties
     * call is answered the terminate has completed. */
    assert_true(contains_state(sys, "Stopped"));
    /* A later callback on the same dispatch path arrives; the closed one
     * must not have. */
    HCS_OPERATION later = HcsCreateOperation(&probe, record_completion);
    assert_int_equal(HcsEnumerateComputeSystems(NULL, later), S_OK);
    wait_calls(&probe, 1);
    assert_int_equal(probe.calls, 1);
    assert_ptr_equal(probe.op, later);
    HcsCloseComputeSystem(sys);
    hcs__cond_destroy(&probe.cv);
    hcs__mutex_destroy(&probe.mu);
}

/* hcs-api §11 #12, the other reading (switch close_pending_operation=cancel):
 * closing a pending operation cancels its request */
static void closing_a_pending_operation_can_cancel(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("behaviour switches");
    assert_int_equal(hcssim_set_behaviour("close_pending_operation", "cancel"), 0);
    HCS_SYSTEM sys = make_container(test_id("cancel-pending"), CONTAINER_DOC);
    assert_int_equal(hcssim_set_latency("HcsTerminateComputeSystem", 50), 0);
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsTerminateComputeSystem(sys, op, NULL), S_OK);
    HcsCloseOperation(op);
    assert_int_equal(hcssim_set_latency("HcsTerminateComputeSystem", 1), 0);
    assert_true(contains_state(sys, "Created")); /* the terminate never ran */
    assert_int_equal(hcssim_set_behaviour("close_pending_operation", "complete"), 0);
    op = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsTerminateComputeSystem(sys, op, NULL), S_OK);
    assert_int_equal(wait_op(op), S_OK);
    HcsCloseOperation(op);
    HcsCloseComputeSystem(sys);
}

/* hcs-api §11 #13 */
static void operation_knows_its_system(void **state)
{
    (void)state;
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    assert_null(HcsGetComputeSystemFromOperation(op));
    HCS_SYSTEM sys = NULL;
    assert_int_equal(HcsCreateComputeSystem(test_id("from-op"), CONTAINER_DOC, op, NULL, &sys), S_OK);
    assert_ptr_equal(HcsGetComputeSystemFromOperation(op), sys);
    assert_int_equal(wait_op(op), S_OK);
    assert_ptr_equal(HcsGetComputeSystemFromOperation(op), sys);
    HcsCloseOperation(op);
    HcsCloseComputeSystem(sys);
}

/* hcs-api §11 #55: bad and double-closed handles get an HRESULT */
static void bad_operation_handles_are_refused(void **state)
{
    (void)state;
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HcsCloseOperation(op);
    HcsCloseOperation(op);
    HcsCloseOperation(NULL);
    HCS_OPERATION bogus = (HCS_OPERATION)(uintptr_t)0x1234567;
    assert_int_equal(HcsGetOperationResult(op, NULL), (HRESULT)0x80070006);
    assert_int_equal(HcsWaitForOperationResult(bogus, INFINITE, NULL), (HRESULT)0x80070006);
    assert_int_equal(HcsSetOperationContext(NULL, NULL), (HRESULT)0x80070006);
    assert_null(HcsGetOperationContext(op));
    assert_int_equal(HcsEnumerateComputeSystems(NULL, op), (HRESULT)0x80070006);
    assert_int_equal(HcsEnumerateComputeSystems(NULL, NULL), (HRESULT)0x80070006);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(new_operation_is_unused, reset),
        cmocka_unit_test_setup(unused_operation_reports_not_started, reset),
        cmocka_unit_test_setup(pending_operation_times_out_and_refuses_reuse, reset),
        cmocka_unit_test_setup(completed_operation_repeats_its_outcome, reset),
        cmocka_unit_test_setup(one_operation_serves_the_whole_lifecycle, reset),
        cmocka_unit_test_setup(process_info_needs_a_process_operation, reset),
        cmocka_unit_test_setup(operation_ids_are_distinct, reset),
        cmocka_unit_test_setup(completion_callback_runs_once_elsewhere, reset),
        cmocka_unit_test_setup(cancel_is_not_implemented, reset),
        cmocka_unit_test_setup(closing_a_pending_operation_keeps_the_work, reset),
        cmocka_unit_test_setup(closing_a_pending_operation_can_cancel, reset),
        cmocka_unit_test_setup(operation_knows_its_system, reset),
        cmocka_unit_test_setup(bad_operation_handles_are_refused, reset),
    };
    return cmocka_run_group_tests_name("hcssim operations", tests, NULL, NULL);
}
