/* hcssimd killed mid-operation is a real service disconnect
 * (docs/hcssimd.md, "Disconnects"; hcs-api §11 #38): every pending
 * operation completes with HCS_E_SERVICE_DISCONNECT, every system and
 * process callback gets HcsEventServiceDisconnect, waits end with it, and
 * calls on the old handles return it, all promptly; a restarted daemon
 * starts empty and new calls reach it. Checked through libhcs and through
 * computecore's functions directly (libhcssim-client, its own connection). */
#include "daemon_helpers.h"

#include "hcs/computecore.h"
#include "util/utf16.h"

/* "Promptly": well under a second on an idle machine; the bound leaves
 * room for a loaded one and the sanitizers. */
enum { PROMPT_MS = 3000 };

typedef struct record {
    hcs_mutex mu;
    hcs_cond cv;
    int32_t async_hr;              /* the pending libhcs shutdown's outcome */
    int32_t wait_hr;               /* the blocking hcs_system_wait */
    int system_lost, process_lost; /* libhcs subscribers' service disconnects */
    int raw_op_done;               /* the raw operation's callback ran */
    int raw_system_lost;           /* the raw system callback's service disconnect */
    int32_t raw_wait_hr;           /* HcsWaitForOperationResult on another thread */
    uint64_t last_ms;              /* when the last of these came */
} record;

static record rec;

static void note(void) /* rec.mu held */
{
    rec.last_ms = hcs__clock_ms();
    hcs__cond_broadcast(&rec.cv);
}

static void on_shutdown(hcs_result *r, void *user)
{
    (void)user;
    hcs__mutex_lock(&rec.mu);
    rec.async_hr = r->hr;
    note();
    hcs__mutex_unlock(&rec.mu);
}

static void on_event(const hcs_event *e, void *user)
{
    hcs__mutex_lock(&rec.mu);
    if (e->type == HCS_EVENT_SERVICE_DISCONNECT)
        (*(int *)user)++;
    note();
    hcs__mutex_unlock(&rec.mu);
}

typedef struct wait_arg {
    hcs_system sys;
} wait_arg;

static void waiter(void *arg)
{
    wait_arg *w = arg;
    int32_t hr = hcs_system_wait(w->sys, 60000, NULL, NULL);
    hcs__mutex_lock(&rec.mu);
    rec.wait_hr = hr;
    note();
    hcs__mutex_unlock(&rec.mu);
}

static void CALLBACK raw_op_done(HCS_OPERATION op, void *context)
{
    (void)op;
    (void)context;
    hcs__mutex_lock(&rec.mu);
    rec.raw_op_done++;
    note();
    hcs__mutex_unlock(&rec.mu);
}

static void CALLBACK raw_event(HCS_EVENT *event, void *context)
{
    (void)context;
    hcs__mutex_lock(&rec.mu);
    if (event->Type == HcsEventServiceDisconnect)
        rec.raw_system_lost++;
    note();
    hcs__mutex_unlock(&rec.mu);
}

static void raw_waiter(void *arg)
{
    HRESULT hr = HcsWaitForOperationResult((HCS_OPERATION)arg, 60000, NULL);
    hcs__mutex_lock(&rec.mu);
    rec.raw_wait_hr = hr;
    note();
    hcs__mutex_unlock(&rec.mu);
}

static bool all_seen(void)
{
    return rec.async_hr != 1 && rec.wait_hr != 1 && rec.system_lost && rec.process_lost && rec.raw_op_done &&
           rec.raw_system_lost && rec.raw_wait_hr != 1;
}

static void killed_mid_operation(void **state)
{
    (void)state;
    use_socket("lost");
    test_proc daemon = daemon_start();
    memset(&rec, 0, sizeof rec);
    hcs__mutex_init(&rec.mu);
    hcs__cond_init(&rec.cv);
    rec.async_hr = rec.wait_hr = rec.raw_wait_hr = 1; /* not yet */

    /* Shutdowns never complete: the kill finds them pending. */
    char why[256] = "";
    assert_int_equal(
        hcssim_set_faults("{\"faults\":[{\"call\":\"HcsShutDownComputeSystem\",\"never\":true}]}", why, sizeof why), 0);

    hcs_client client = open_daemon_client();
    const char *id = unique_id("lost");
    hcs_system sys = running_system(client, id);
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(
        hcs_system_subscribe(sys, &(hcs_event_sink){.callback = on_event, .user_data = &rec.system_lost}, NULL, &err),
        HCS_OK);
    hcs_process_spec spec = {.command_line = "ping -n 1000 127.0.0.1",
                             .events = {.callback = on_event, .user_data = &rec.process_lost}};
    hcs_process proc;
    assert_int_equal(hcs_process_create(sys, &spec, 30000, &proc, NULL, &err), HCS_OK);
    hcs_async how = {.callback = on_shutdown, .timeout_ms = HCS_TIMEOUT_INFINITE};
    assert_int_equal(hcs_system_shutdown_async(sys, NULL, &how, NULL, &err), HCS_OK);
    wait_arg w = {sys};
    hcs_thread wait_thread;
    assert_int_equal(hcs__thread_start(&wait_thread, waiter, &w), 0);

    /* The same, with computecore's functions on a connection of their own. */
    uint16_t *wid;
    assert_int_equal(hcs__utf8_to_utf16(id, &wid), 0);
    HCS_SYSTEM raw = NULL;
    assert_int_equal(HcsOpenComputeSystem(wid, GENERIC_ALL, &raw), S_OK);
    free(wid);
    assert_int_equal(HcsSetComputeSystemCallback(raw, HcsEventOptionNone, NULL, raw_event), S_OK);
    HCS_OPERATION op = HcsCreateOperation(NULL, raw_op_done);
    assert_int_equal(HcsShutDownComputeSystem(raw, op, NULL), S_OK);
    HCS_OPERATION op2 = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsShutDownComputeSystem(raw, op2, NULL), S_OK);
    hcs_thread raw_wait_thread;
    assert_int_equal(hcs__thread_start(&raw_wait_thread, raw_waiter, op2), 0);

    hcs__sleep_ms(200); /* everything waiting */
    hcs__mutex_lock(&rec.mu);
    assert_false(rec.raw_op_done || rec.async_hr != 1 || rec.wait_hr != 1);
    hcs__mutex_unlock(&rec.mu);

    uint64_t killed = hcs__clock_ms();
    daemon_kill(daemon);
    hcs__mutex_lock(&rec.mu);
    while (!all_seen() && hcs__cond_wait_until(&rec.cv, &rec.mu, killed + 10000)) {
    }
    bool seen = all_seen();
    uint64_t took = rec.last_ms - killed;
    hcs__mutex_unlock(&rec.mu);
    assert_true(seen);
    print_message("everything reported the disconnect %llu ms after the kill\n", (unsigned long long)took);
    assert_true(took < PROMPT_MS);
    assert_int_equal(rec.async_hr, HCS_E_SERVICE_DISCONNECT);
    assert_int_equal(rec.wait_hr, HCS_E_SERVICE_DISCONNECT);
    assert_int_equal(rec.system_lost, 1); /* once per subscriber */
    assert_int_equal(rec.process_lost, 1);
    assert_int_equal(rec.raw_system_lost, 1);
    assert_int_equal(rec.raw_wait_hr, HCS_E_SERVICE_DISCONNECT);
    PWSTR doc = NULL;
    assert_int_equal(HcsGetOperationResult(op, &doc), HCS_E_SERVICE_DISCONNECT);
    assert_non_null(doc); /* a ResultError saying so */
    LocalFree(doc);
    hcs__thread_join(wait_thread);
    hcs__thread_join(raw_wait_thread);

    /* The old handles answer at once with the disconnect. */
    char *props = NULL;
    assert_int_equal(hcs_system_properties_json(sys, NULL, 10000, &props, &err), HCS_E_SERVICE_DISCONNECT);
    assert_int_equal(hcs_process_kill(proc, 10000, &err), HCS_E_SERVICE_DISCONNECT);
    HCS_OPERATION op3 = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsGetComputeSystemProperties(raw, op3, NULL), HCS_E_SERVICE_DISCONNECT);
    assert_int_equal(HcsWaitForComputeSystemExit(raw, 0, NULL), HCS_E_SERVICE_DISCONNECT);

    /* A restarted daemon starts empty; new calls reach it. */
    daemon = daemon_start();
    char *list = NULL;
    assert_int_equal(hcs_system_enumerate_json(client, NULL, 10000, &list, &err), HCS_OK);
    assert_string_equal(list, "[]");
    hcs_free(list);
    hcs_system again;
    assert_int_equal(hcs_system_open(client, id, &again, &err), HCS_E_SYSTEM_NOT_FOUND);
    assert_int_equal(hcs_system_properties_json(sys, NULL, 10000, &props, &err), HCS_E_SERVICE_DISCONNECT);
    hcs_system fresh = running_system(client, id); /* the id is free on the new host */
    assert_int_equal(hcs_system_terminate(fresh, 10000, &err), HCS_OK);
    hcs_system_close(fresh);
    assert_int_equal(HcsEnumerateComputeSystems(NULL, op3), S_OK);
    assert_int_equal(HcsWaitForOperationResult(op3, 10000, &doc), S_OK);
    LocalFree(doc);

    HcsCloseOperation(op);
    HcsCloseOperation(op2);
    HcsCloseOperation(op3);
    HcsCloseComputeSystem(raw);
    hcs_process_close(proc);
    hcs_system_close(sys);
    hcs_client_close(client);
    hcs_error_clear(&err);
    assert_int_equal(daemon_stop(daemon), 0);
    hcs__cond_destroy(&rec.cv);
    hcs__mutex_destroy(&rec.mu);
}

static int stop_events;

static void on_stop_event(const hcs_event *e, void *user)
{
    (void)user;
    hcs__mutex_lock(&rec.mu);
    if (e->type == HCS_EVENT_SERVICE_DISCONNECT)
        stop_events++;
    hcs__cond_broadcast(&rec.cv);
    hcs__mutex_unlock(&rec.mu);
}

/* SIGTERM with a client, a system and a process running: the daemon ends
 * them, exits with status 0, and the client sees the service go. */
static void stopped_with_clients(void **state)
{
    (void)state;
    use_socket("stopped");
    hcs__mutex_init(&rec.mu);
    hcs__cond_init(&rec.cv);
    test_proc daemon = daemon_start();
    hcs_client client = open_daemon_client();
    hcs_system sys = running_system(client, unique_id("stopped"));
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(hcs_system_subscribe(sys, &(hcs_event_sink){.callback = on_stop_event}, NULL, &err), HCS_OK);
    hcs_process_spec spec = {.command_line = "ping -n 1000 127.0.0.1", .events = {.callback = on_stop_event}};
    hcs_process proc;
    assert_int_equal(hcs_process_create(sys, &spec, 30000, &proc, NULL, &err), HCS_OK);
    uint64_t stopped = hcs__clock_ms();
    assert_int_equal(daemon_stop(daemon), 0);
    hcs__mutex_lock(&rec.mu);
    while (stop_events < 2 && hcs__cond_wait_until(&rec.cv, &rec.mu, stopped + 10000)) {
    }
    int seen = stop_events;
    hcs__mutex_unlock(&rec.mu);
    assert_int_equal(seen, 2);
    assert_int_equal(hcs_system_wait(sys, 10000, NULL, &err), HCS_E_SERVICE_DISCONNECT);
    assert_int_equal(hcs_process_wait(proc, 10000, NULL, &err), HCS_E_SERVICE_DISCONNECT);
    hcs_process_close(proc);
    hcs_system_close(sys);
    hcs_client_close(client);
    hcs_error_clear(&err);
    hcs__cond_destroy(&rec.cv);
    hcs__mutex_destroy(&rec.mu);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(killed_mid_operation),
        cmocka_unit_test(stopped_with_clients),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
