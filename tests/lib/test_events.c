/* libhcs events, exit waits and stop over hcssim (hcs/event.h,
 * hcs_system_wait, hcs_system_stop). */
#include "lib_helpers.h"

static int reset(void **state)
{
    (void)state;
    hcssim_set_latency(NULL, 1);
    hcssim_set_faults(NULL, NULL, 0);
    hcssim_restore_service();
    return 0;
}

typedef struct seen {
    hcs_mutex mu;
    hcs_cond cv;
    int count;
    hcs_event_type types[16];
    int32_t exit_status;
    char exit_type[32];
    _Atomic int after_close;
    _Atomic int closed;
} seen;

static void seen_init(seen *s)
{
    memset(s, 0, sizeof *s);
    hcs__mutex_init(&s->mu);
    hcs__cond_init(&s->cv);
}

static void on_event(const hcs_event *e, void *user)
{
    seen *s = user;
    if (s->closed)
        s->after_close = 1;
    hcs__mutex_lock(&s->mu);
    if (s->count < 16)
        s->types[s->count] = e->type;
    if (e->type == HCS_EVENT_SYSTEM_EXITED) {
        s->exit_status = e->exit_status;
        snprintf(s->exit_type, sizeof s->exit_type, "%s", e->exit_type ? e->exit_type : "");
    }
    s->count++;
    hcs__cond_broadcast(&s->cv);
    hcs__mutex_unlock(&s->mu);
}

static int seen_wait(seen *s, int n) { return count_wait(&s->mu, &s->cv, &s->count, n); }

/* Subscribers get typed events; the exit wait returns the real status. */
static void exit_event_and_wait(void **state)
{
    (void)state;
    seen s;
    seen_init(&s);
    hcs_system sys = running_system("exit", CONTAINER);
    hcs_subscription sub;
    assert_int_equal(hcs_system_subscribe(sys, &(hcs_event_sink){.callback = on_event, .user_data = &s}, &sub, NULL),
                     HCS_OK);
    hcs_system_exit st;
    assert_int_equal(hcs_system_wait(sys, 0, &st, NULL), HCS_E_OPERATION_TIMEOUT);
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    assert_int_equal(hcs_system_wait(sys, HCS_TIMEOUT_INFINITE, &st, NULL), HCS_OK);
    assert_string_equal(st.exit_type, "ForcedExit");
    assert_int_equal(st.status, 0);
    assert_non_null(strstr(st.document, "ForcedExit"));
    hcs_free(st.document);
    assert_int_equal(seen_wait(&s, 1), 1);
    assert_int_equal(s.types[0], HCS_EVENT_SYSTEM_EXITED);
    assert_string_equal(s.exit_type, "ForcedExit");
    hcs_subscription_close(sub);
    hcs_subscription_close(sub); /* idempotent */
    hcs_system_close(sys);
}

/* Events through a completion queue. */
static void events_to_a_queue(void **state)
{
    (void)state;
    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    hcs_system sys = running_system("evq", VM);
    hcs_subscription sub;
    assert_int_equal(hcs_system_subscribe(sys, &(hcs_event_sink){.cq = cq, .user_data = (void *)7}, &sub, NULL),
                     HCS_OK);
    assert_int_equal(hcs_system_crash(sys, NULL, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_event_type want[] = {HCS_EVENT_SYSTEM_CRASH_INITIATED, HCS_EVENT_SYSTEM_CRASH_REPORT,
                             HCS_EVENT_GUEST_CONNECTION_CLOSED, HCS_EVENT_SYSTEM_EXITED};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        hcs_result r;
        assert_int_equal(hcs_cq_next(cq, 10000, &r, NULL), HCS_OK);
        hcs_event e;
        assert_true(hcs_result_event(&r, &e));
        assert_int_equal(e.type, want[i]);
        assert_int_equal(e.system.id, sys.id);
        assert_ptr_equal(r.user_data, (void *)7);
        if (e.type == HCS_EVENT_SYSTEM_EXITED)
            assert_string_equal(e.exit_type, "UnexpectedExit");
        hcs_result_clear(&r);
    }
    hcs_subscription_close(sub);
    hcs_system_close(sys);
    hcs_cq_close(cq);
}

/* Closing the system ends subscriptions and waits; no callback runs after
 * close returns. */
static void close_ends_everything(void **state)
{
    (void)state;
    seen s;
    seen_init(&s);
    hcs_system sys = running_system("close", CONTAINER);
    hcs_subscription sub;
    assert_int_equal(hcs_system_subscribe(sys, &(hcs_event_sink){.callback = on_event, .user_data = &s}, &sub, NULL),
                     HCS_OK);
    char *props = NULL;
    assert_int_equal(hcs_system_properties_json(sys, NULL, HCS_TIMEOUT_DEFAULT, &props, NULL), HCS_OK);
    hcs_free(props);
    hcs_system_close(sys);
    s.closed = 1;
    assert_int_equal(hcs_system_wait(sys, 0, NULL, NULL), HCS_WIN32_E_INVALID_HANDLE);
    hcs_subscription late;
    assert_int_equal(hcs_system_subscribe(sys, &(hcs_event_sink){.callback = on_event, .user_data = &s}, &late, NULL),
                     HCS_WIN32_E_INVALID_HANDLE);
    hcs_subscription_close(sub); /* already ended by the close */
    assert_int_equal(s.after_close, 0);
}

/* A service loss fails waits at once (hcsshim-and-peers §6 #18). */
static void disconnect_fails_waits(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("a service disconnect");
    seen s;
    seen_init(&s);
    hcs_system sys = running_system("disc", CONTAINER);
    hcs_subscription sub;
    assert_int_equal(hcs_system_subscribe(sys, &(hcs_event_sink){.callback = on_event, .user_data = &s}, &sub, NULL),
                     HCS_OK);
    hcssim_disconnect_service();
    hcs_error err = {0};
    assert_int_equal(hcs_system_wait(sys, HCS_TIMEOUT_INFINITE, NULL, &err), HCS_E_SERVICE_DISCONNECT);
    assert_int_equal(err.kind, HCS_ERROR_DISCONNECTED);
    hcs_error_clear(&err);
    assert_int_equal(seen_wait(&s, 1), 1);
    assert_int_equal(s.types[0], HCS_EVENT_SERVICE_DISCONNECT);
    hcssim_restore_service();
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_subscription_close(sub);
    hcs_system_close(sys);
}

/* hcs_system_stop: graceful when the guest cooperates, forced when the
 * shutdown fails (hcsshim-and-peers §6 #2-#5), "already" when stopped. */
static void stop_escalates(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    hcs_stop_report rep;
    hcs_system vm = running_system("stop-graceful", VM);
    assert_int_equal(hcs_system_stop(vm, 5000, 5000, &rep, NULL), HCS_OK);
    assert_int_equal(rep.step, HCS_STOP_SHUTDOWN);
    assert_int_equal(hcs_system_stop(vm, 5000, 5000, &rep, NULL), HCS_OK);
    assert_int_equal(rep.step, HCS_STOP_ALREADY);
    hcs_system_close(vm);

    assert_int_equal(hcssim_set_faults("{\"faults\":[{\"call\":\"HcsShutDownComputeSystem\",\"at\":\"completion\","
                                       "\"hresult\":\"0x8007007F\"}]}",
                                       NULL, 0),
                     0);
    hcs_system c = running_system("stop-forced", CONTAINER);
    assert_int_equal(hcs_system_stop(c, 5000, 5000, &rep, NULL), HCS_OK);
    assert_int_equal(rep.step, HCS_STOP_TERMINATE);
    assert_int_equal(rep.shutdown_hr, (int32_t)0x8007007F);
    hcs_system_exit st;
    assert_int_equal(hcs_system_wait(c, 0, &st, NULL), HCS_OK);
    assert_string_equal(st.exit_type, "ForcedExit");
    hcs_free(st.document);
    hcs_system_close(c);

    /* a shutdown that never completes: the forced step still ends it */
    assert_int_equal(
        hcssim_set_faults("{\"faults\":[{\"call\":\"HcsShutDownComputeSystem\",\"never\":true}]}", NULL, 0), 0);
    c = running_system("stop-hung", CONTAINER);
    assert_int_equal(hcs_system_stop(c, 30, 5000, &rep, NULL), HCS_OK);
    assert_int_equal(rep.step, HCS_STOP_TERMINATE);
    assert_int_equal(rep.shutdown_hr, HCS_E_OPERATION_TIMEOUT);
    hcs_system_close(c);
}

static void unsubscribe_inside(const hcs_event *e, void *user)
{
    (void)e;
    hcs_subscription_close(*(hcs_subscription *)user);
}

/* A callback may end its own subscription. */
static void unsubscribe_from_callback(void **state)
{
    (void)state;
    hcs_system sys = running_system("self", CONTAINER);
    hcs_subscription sub;
    assert_int_equal(
        hcs_system_subscribe(sys, &(hcs_event_sink){.callback = unsubscribe_inside, .user_data = &sub}, &sub, NULL),
        HCS_OK);
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    assert_int_equal(hcs_system_wait(sys, HCS_TIMEOUT_INFINITE, NULL, NULL), HCS_OK);
    hcs_system_close(sys);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(exit_event_and_wait, reset),
        cmocka_unit_test_teardown(events_to_a_queue, reset),
        cmocka_unit_test_teardown(close_ends_everything, reset),
        cmocka_unit_test_teardown(disconnect_fails_waits, reset),
        cmocka_unit_test_teardown(stop_escalates, reset),
        cmocka_unit_test_teardown(unsubscribe_from_callback, reset),
    };
    return cmocka_run_group_tests(tests, open_client, close_client);
}
