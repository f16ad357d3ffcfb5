/* 32 programs at once on one hcssimd, each making, using and ending its own
 * systems with processes and stdio (daemon_peer mixed), while this one does
 * the same through libhcs: every one succeeds, and once they are gone the
 * daemon holds exactly what it held before (docs/hcssimd.md). */
#include "daemon_helpers.h"

enum { PEERS = 32, ROUNDS = 3 };

static void thirty_two_clients(void **state)
{
    (void)state;
    use_socket("clients");
    test_proc daemon = daemon_start();
    hcssim_counts before = settled_counts();
    hcs_client client = open_daemon_client();

    test_proc peers[PEERS];
    char rounds[8];
    snprintf(rounds, sizeof rounds, "%d", ROUNDS);
    for (int i = 0; i < PEERS; i++)
        peers[i] = peer_start("mixed", rounds, NULL);

    /* this program's share of the load, meanwhile */
    for (int i = 0; i < ROUNDS; i++) {
        hcs_system sys = running_system(client, unique_id("local"));
        hcs_process_spec spec = {.command_line = "cmd /c echo local", .create_stdout = true};
        hcs_process proc;
        hcs_stdio io;
        hcs_error err = HCS_ERROR_INIT;
        assert_int_equal(hcs_process_create(sys, &spec, 30000, &proc, &io, &err), HCS_OK);
        hcs_output out;
        hcs_process_exit ex;
        assert_int_equal(hcs_process_collect(proc, &io, 1 << 16, 30000, 2000, &out, &ex, &err), HCS_OK);
        assert_string_equal(out.out, "local\r\n");
        hcs_output_clear(&out);
        hcs_free(ex.document);
        hcs_process_close(proc);
        assert_int_equal(hcs_system_terminate(sys, 30000, &err), HCS_OK);
        hcs_system_close(sys);
    }

    int failed = 0;
    for (int i = 0; i < PEERS; i++)
        failed += peer_wait(peers[i]) != 0;
    assert_int_equal(failed, 0);

    hcs_client_close(client);
    hcssim_counts after = settled_counts();
    assert_int_equal(after.systems, before.systems);
    assert_int_equal(after.processes, before.processes);
    assert_int_equal(after.handles, before.handles);
    assert_int_equal(daemon_stop(daemon), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(thirty_two_clients),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
