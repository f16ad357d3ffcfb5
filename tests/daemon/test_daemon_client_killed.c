/* A client killed mid-operation (docs/hcssimd.md, "Disconnects"): the
 * daemon lives on, releases that client's handles and operations, keeps its
 * systems and their processes running (host state), and no other client
 * notices. */
#include "daemon_helpers.h"

static int events_seen;
static hcs_mutex events_mu;

static void on_event(const hcs_event *e, void *user)
{
    (void)e;
    (void)user;
    hcs__mutex_lock(&events_mu);
    events_seen++;
    hcs__mutex_unlock(&events_mu);
}

static void client_killed_mid_operation(void **state)
{
    (void)state;
    hcs__mutex_init(&events_mu);
    use_socket("clientkill");
    test_proc daemon = daemon_start();
    hcs_client client = open_daemon_client();
    hcs_system mine = running_system(client, unique_id("mine"));
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(hcs_system_subscribe(mine, &(hcs_event_sink){.callback = on_event}, NULL, &err), HCS_OK);

    /* The victim's shutdown never completes: it is killed with it pending. */
    const char *victim_id = unique_id("victim");
    char plan[256], why[256] = "";
    snprintf(plan, sizeof plan,
             "{\"faults\":[{\"call\":\"HcsShutDownComputeSystem\",\"system\":\"%s\",\"never\":true}]}", victim_id);
    assert_int_equal(hcssim_set_faults(plan, why, sizeof why), 0);
    hcssim_counts before = settled_counts();

    intptr_t out;
    test_proc peer = peer_start("hang", victim_id, &out);
    expect_line(out, "ready\n");
    hcssim_counts during = settled_counts();
    assert_true(during.handles > before.handles);
    proc_kill(peer);
    assert_int_equal(peer_wait(peer), -1);
    hcs__os_pipe_close(out);

    /* Its handles and operations are released; its system and process stay. */
    hcssim_counts after = settled_counts();
    assert_int_equal(after.handles, before.handles);
    assert_int_equal(after.systems, before.systems + 1);
    assert_int_equal(after.processes, before.processes + 1);
    hcs_system victim;
    assert_int_equal(hcs_system_open(client, victim_id, &victim, &err), HCS_OK);
    char *props = NULL;
    assert_int_equal(hcs_system_properties_json(victim, "{\"PropertyTypes\":[\"ProcessList\"]}", 10000, &props, &err),
                     HCS_OK);
    assert_non_null(strstr(props, "ping"));
    hcs_free(props);

    /* This client noticed nothing, and its system works as before. */
    hcs_process_spec spec = {.command_line = "cmd /c echo still here", .create_stdout = true};
    hcs_process proc;
    hcs_stdio io;
    assert_int_equal(hcs_process_create(mine, &spec, 10000, &proc, &io, &err), HCS_OK);
    hcs_output o;
    hcs_process_exit ex;
    assert_int_equal(hcs_process_collect(proc, &io, 1 << 16, 10000, 2000, &o, &ex, &err), HCS_OK);
    assert_string_equal(o.out, "still here\r\n");
    hcs_output_clear(&o);
    hcs_free(ex.document);
    hcs_process_close(proc);
    hcs__mutex_lock(&events_mu);
    assert_int_equal(events_seen, 0);
    hcs__mutex_unlock(&events_mu);

    /* The victim's system ends like any other; its parked shutdown with it. */
    assert_int_equal(hcs_system_terminate(victim, 10000, &err), HCS_OK);
    hcs_system_close(victim);
    assert_int_equal(hcs_system_terminate(mine, 10000, &err), HCS_OK);
    hcs_system_close(mine);
    hcs_client_close(client);
    assert_int_equal(hcssim_set_faults(NULL, NULL, 0), 0);
    hcssim_counts end = settled_counts();
    assert_int_equal(end.processes, 0);
    assert_int_equal(daemon_stop(daemon), 0);
    hcs_error_clear(&err);
    hcs__mutex_destroy(&events_mu);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(client_killed_mid_operation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
