/* hcssim conformance: the operation functions of build 24H2 (hcs-newest §2,
 * §3): HcsCreateOperationWithNotifications, HcsGetOperationProperties and
 * HcsAddResourceToOperation. Run with HCSSIM_PROFILE=24H2; the functions
 * are looked up by name, as a client of an older computecore.dll must. */
#include "sim_helpers.h"

typedef HCS_OPERATION(WINAPI *create_notifying_fn)(HCS_OPERATION_OPTIONS, const void *, HCS_EVENT_CALLBACK);
typedef HRESULT(WINAPI *properties_fn)(HCS_OPERATION, PCWSTR, PWSTR *);
typedef HRESULT(WINAPI *add_resource_fn)(HCS_OPERATION, HCS_RESOURCE_TYPE, PCWSTR, HANDLE);

static create_notifying_fn create_notifying;
static properties_fn get_properties;
static add_resource_fn add_resource;

#define LM_SOCKET HCS_LIVE_MIGRATION_SOCKET_URI

static int setup(void **state)
{
    (void)state;
    create_notifying = (create_notifying_fn)hcssim_proc_address("HcsCreateOperationWithNotifications");
    get_properties = (properties_fn)hcssim_proc_address("HcsGetOperationProperties");
    add_resource = (add_resource_fn)hcssim_proc_address("HcsAddResourceToOperation");
    return create_notifying && get_properties && add_resource ? 0 : -1;
}

/* A completion callback that records itself in the same log as the
 * notifications, so their order can be checked. */
static void CALLBACK completion_into_log(HCS_OPERATION op, void *context)
{
    HCS_EVENT event = {.Type = HcsEventOperationCallback, .EventData = NULL, .Operation = op};
    event_log_callback(&event, context);
}

/* A container created on op, which is waited for. */
static HCS_SYSTEM create_on(HCS_OPERATION op, const char *tag, PCWSTR doc, HRESULT expect)
{
    HCS_SYSTEM sys = NULL;
    assert_int_equal(HcsCreateComputeSystem(test_id(tag), doc, op, NULL, &sys), S_OK);
    assert_int_equal(HcsWaitForOperationResult(op, INFINITE, NULL), expect);
    return sys;
}

static char *operation_properties(HCS_OPERATION op)
{
    PWSTR doc = NULL;
    assert_int_equal(get_properties(op, W("{}"), &doc), S_OK);
    char *text = narrow(doc);
    LocalFree(doc);
    return text;
}

/* hcs-newest §5 #3, #25: an operation with notifications is an ordinary
 * operation whose OperationInfo events (HCS_EVENT.Operation = it) arrive
 * in order, started then ended, all before the completion callback */
static void notifications_before_completion(void **state)
{
    (void)state;
    event_log log;
    event_log_init(&log);
    HCS_OPERATION op = create_notifying(HcsOperationOptionProgressUpdate, &log, event_log_callback);
    assert_non_null(op);
    assert_int_equal(HcsSetOperationCallback(op, &log, completion_into_log), S_OK);
    HCS_SYSTEM sys = create_on(op, "notify", CONTAINER_DOC, S_OK);
    assert_int_equal(event_log_wait(&log, 3), 3);
    assert_int_equal(HcsGetOperationType(op), HcsOperationTypeCreate);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(log.types[i], HCS_EVENT_GROUP_OPERATION_INFO);
        assert_ptr_equal(log.operations[i], op);
        assert_non_null(strstr(log.data[i], "\"Operation\":\"Construct\""));
        assert_non_null(strstr(log.data[i], "\"StartTimestamp\":\""));
    }
    assert_null(strstr(log.data[0], "EndTimestamp"));
    assert_non_null(strstr(log.data[1], "\"EndTimestamp\":\""));
    assert_null(strstr(log.data[1], "FailureInfo"));
    assert_int_equal(log.types[2], HcsEventOperationCallback);
    HcsCloseOperation(op);
    assert_int_equal(log.count, 3); /* nothing more: no completion event for it */
    HcsCloseComputeSystem(sys);
    event_log_free(&log);
}

/* hcs-newest §5 #25: the filter selects; without ProgressUpdate the
 * operation works and reports nothing */
static void filter_none_reports_nothing(void **state)
{
    (void)state;
    event_log log;
    event_log_init(&log);
    HCS_OPERATION op = create_notifying(HcsOperationOptionNone, &log, event_log_callback);
    assert_non_null(op);
    HCS_SYSTEM sys = create_on(op, "quiet", CONTAINER_DOC, S_OK);
    HcsCloseOperation(op); /* waits for deliveries: none may come later */
    assert_int_equal(log.count, 0);
    HcsCloseComputeSystem(sys);
    event_log_free(&log);
}

/* hcs-newest §1.3, §5 #3 (inferred codes): NULL on failure: a NULL callback
 * or filter bits the header does not define */
static void bad_arguments_give_null(void **state)
{
    (void)state;
    event_log log;
    event_log_init(&log);
    assert_null(create_notifying(HcsOperationOptionProgressUpdate, &log, NULL));
    assert_null(create_notifying((HCS_OPERATION_OPTIONS)0x10, &log, event_log_callback));
    HCS_OPERATION op = create_notifying(HcsOperationOptionReserved1, &log, event_log_callback);
    assert_non_null(op);
    HcsCloseOperation(op);
    HcsCloseOperation(op); /* twice: tolerated (hcs-api §11 #55) */
    event_log_free(&log);
}

/* hcs-newest §5 #25 (inferred payload): a failed operation's last event
 * and its properties carry FailureInfo.Result */
static void failure_in_the_last_event(void **state)
{
    (void)state;
    event_log log;
    event_log_init(&log);
    HCS_OPERATION op = create_notifying(HcsOperationOptionProgressUpdate, &log, event_log_callback);
    HCS_SYSTEM sys = create_on(op, "bad", W("{not json"), HCS_E_INVALID_JSON);
    assert_int_equal(event_log_wait(&log, 2), 2);
    char expect[64];
    snprintf(expect, sizeof expect, "\"FailureInfo\":{\"Result\":%d}", (int)HCS_E_INVALID_JSON);
    assert_non_null(strstr(log.data[1], expect));
    char *props = operation_properties(op);
    assert_non_null(strstr(props, expect));
    free(props);
    HcsCloseOperation(op);
    HcsCloseComputeSystem(sys);
    event_log_free(&log);
}

/* hcs-newest §5 #26: the OperationInfo document of any operation, in any
 * state; NULL options or result -> E_POINTER; options not a JSON object ->
 * E_INVALIDARG; a closed handle -> the invalid handle error */
static void operation_properties_document(void **state)
{
    (void)state;
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    PWSTR doc = (PWSTR)(uintptr_t)1;
    assert_int_equal(get_properties(op, NULL, &doc), E_POINTER);
    assert_null(doc);
    assert_int_equal(get_properties(op, W("{}"), NULL), E_POINTER);
    assert_int_equal(get_properties(op, W("[1]"), &doc), E_INVALIDARG);
    assert_int_equal(get_properties(op, W("{"), &doc), E_INVALIDARG);
    char *fresh = operation_properties(op);
    assert_string_equal(fresh, "{\"Operation\":\"None\"}");
    free(fresh);
    HCS_SYSTEM sys = make_container(test_id("props"), CONTAINER_DOC);
    assert_int_equal(HcsStartComputeSystem(sys, op, NULL), S_OK);
    assert_int_equal(HcsWaitForOperationResult(op, INFINITE, NULL), S_OK);
    char *done = operation_properties(op);
    assert_non_null(strstr(done, "\"Operation\":\"Start\""));
    assert_non_null(strstr(done, "\"StartTimestamp\":\""));
    assert_non_null(strstr(done, "\"EndTimestamp\":\""));
    free(done);
    assert_int_equal(get_properties(op, W(""), &doc), S_OK);
    LocalFree(doc);
    HcsCloseOperation(op);
    assert_int_equal(get_properties(op, W("{}"), &doc), (HRESULT)0x80070006);
    assert_int_equal(run(HcsTerminateComputeSystem, sys), S_OK);
    HcsCloseComputeSystem(sys);
}

/* hcs-newest §3, §5 #5-#7: the live migration socket slot takes a stream
 * socket once; other URIs and types -> E_INVALIDARG, a NULL URI ->
 * E_POINTER, a handle that is not a socket -> the invalid handle error;
 * the caller keeps (and may close) its own socket */
static void socket_resource(void **state)
{
    (void)state;
    HANDLE pair[2];
    socket_pair(pair);
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    assert_int_equal(add_resource(op, HcsResourceTypeSocket, NULL, pair[0]), E_POINTER);
    assert_int_equal(add_resource(op, HcsResourceTypeSocket, W("hcs:/VirtualMachine/Other"), pair[0]), E_INVALIDARG);
    assert_int_equal(add_resource(op, HcsResourceTypeFile, LM_SOCKET, pair[0]), E_INVALIDARG);
    assert_int_equal(add_resource(op, (HCS_RESOURCE_TYPE)9, LM_SOCKET, pair[0]), E_INVALIDARG);
    assert_int_equal(add_resource(op, HcsResourceTypeSocket, LM_SOCKET, NULL), (HRESULT)0x80070006);
    assert_int_equal(add_resource(NULL, HcsResourceTypeSocket, LM_SOCKET, pair[0]), (HRESULT)0x80070006);
    assert_int_equal(add_resource(op, HcsResourceTypeSocket, LM_SOCKET, pair[0]), S_OK);
    assert_int_equal(add_resource(op, HcsResourceTypeSocket, LM_SOCKET, pair[0]), (HRESULT)0x800700B7);
    socket_close(pair[0]); /* the simulator holds its own duplicate */
    /* the peer is still connected: the duplicate keeps the socket open */
    char byte = 'x';
#ifdef _WIN32
    assert_int_equal(send((SOCKET)pair[1], &byte, 1, 0), 1);
#else
    assert_int_equal(write((int)(intptr_t)pair[1] - 1, &byte, 1), 1);
#endif
    HcsCloseOperation(op);
    socket_close(pair[1]);
}

/* hcs-api §11 #27 for the notification callback: closing the operation from
 * inside its own notification returns without waiting for itself */
static void CALLBACK close_from_inside(HCS_EVENT *event, void *context)
{
    event_log_callback(event, context);
    HcsCloseOperation(event->Operation);
}

static void close_inside_notification(void **state)
{
    (void)state;
    event_log log;
    event_log_init(&log);
    HCS_OPERATION op = create_notifying(HcsOperationOptionProgressUpdate, &log, close_from_inside);
    HCS_SYSTEM sys = NULL;
    assert_int_equal(HcsCreateComputeSystem(test_id("selfclose"), CONTAINER_DOC, op, NULL, &sys), S_OK);
    assert_int_equal(event_log_wait(&log, 1), 1);
    HcsCloseOperation(op); /* already closed by the callback: tolerated */
    HcsCloseComputeSystem(sys);
    event_log_free(&log);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(notifications_before_completion), cmocka_unit_test(filter_none_reports_nothing),
        cmocka_unit_test(bad_arguments_give_null),         cmocka_unit_test(failure_in_the_last_event),
        cmocka_unit_test(operation_properties_document),   cmocka_unit_test(socket_resource),
        cmocka_unit_test(close_inside_notification),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
