/* hcssim at scale: thousands of systems and tens of thousands of
 * operations in one process, and everything given back once closed
 * (issue: "without growing memory after they are closed"). LSan checks
 * for leaks; the counts below check that nothing stays referenced and
 * that the handle table reuses its slots instead of growing. */
#include "sim_helpers.h"

enum { SYSTEMS = 2000, OPERATIONS = 20000, BATCH = 500 };

/* Creates, starts, runs a process in, terminates and closes `count`
 * systems, BATCH at a time with all requests in flight together. */
static void churn_systems(int count)
{
    static HCS_SYSTEM systems[BATCH];
    static HCS_OPERATION ops[BATCH];
    for (int done = 0; done < count; done += BATCH) {
        for (int i = 0; i < BATCH; i++) {
            ops[i] = HcsCreateOperation(NULL, NULL);
            assert_int_equal(HcsCreateComputeSystem(test_id("scale"), CONTAINER_DOC, ops[i], NULL, &systems[i]), S_OK);
        }
        for (int i = 0; i < BATCH; i++) {
            assert_int_equal(wait_op(ops[i]), S_OK);
            assert_int_equal(HcsStartComputeSystem(systems[i], ops[i], NULL), S_OK);
        }
        for (int i = 0; i < BATCH; i++)
            assert_int_equal(wait_op(ops[i]), S_OK);
        for (int i = 0; i < BATCH; i += 50) { /* a process in every 50th */
            HCS_PROCESS p = start_process(systems[i], W("{\"CommandLine\":\"cmd /c exit 0\"}"), NULL);
            free(process_exit_status(p));
            HcsCloseProcess(p);
        }
        for (int i = 0; i < BATCH; i++)
            assert_int_equal(HcsTerminateComputeSystem(systems[i], ops[i], NULL), S_OK);
        for (int i = 0; i < BATCH; i++) {
            assert_int_equal(wait_op(ops[i]), S_OK);
            HcsCloseOperation(ops[i]);
            HcsCloseComputeSystem(systems[i]);
        }
    }
}

static void churn_operations(int count)
{
    for (int i = 0; i < count; i++) {
        HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
        assert_non_null(op);
        if (i % 10 == 0) {
            assert_int_equal(HcsEnumerateComputeSystems(W("{\"Ids\":[\"none\"]}"), op), S_OK);
            assert_int_equal(wait_op(op), S_OK);
        }
        HcsCloseOperation(op);
    }
}

/* Deliveries finish on dispatcher threads after the waits return; give
 * them a moment (a hang guard, not a timing check). */
static void settle(const hcssim_counts *want)
{
    hcssim_counts now;
    for (int i = 0; i < 500; i++) {
        hcssim_get_counts(&now);
        if (now.handles == want->handles && now.systems == want->systems && now.processes == want->processes)
            return;
        hcs__sleep_ms(10);
    }
    fail_msg("still held: %u handles, %u systems, %u processes (want %u, %u, %u)", now.handles, now.systems,
             now.processes, want->handles, want->systems, want->processes);
}

static void thousands_of_systems(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its object counts and latencies");
    assert_int_equal(hcssim_set_latency(NULL, 0), 0);
    hcssim_counts start, after_first, after_second;
    hcssim_get_counts(&start);
    churn_systems(SYSTEMS / 2);
    churn_operations(OPERATIONS / 2);
    settle(&start);
    hcssim_get_counts(&after_first);
    churn_systems(SYSTEMS / 2);
    churn_operations(OPERATIONS / 2);
    settle(&start);
    hcssim_get_counts(&after_second);
    /* The second round reused the first round's slots. */
    assert_int_equal(after_second.handle_slots, after_first.handle_slots);
    assert_true(after_first.handle_slots <= start.handle_slots + 2 * BATCH + 8);
}

/* The id and pid indexes among thousands (system_state.c, process.c):
 * every system is found by its id in any ASCII case (hcs-api §11 #31) and
 * is the right one; an exited system's id is gone and free again (§11
 * #25) while the others stay; an id taken in another case is refused
 * (§11 #15). Every process is opened by its pid in its own system only,
 * and not once it exited. */
static void found_by_id_and_pid_among_thousands(void **state)
{
    (void)state;
    enum { LOOKUP_SYSTEMS = 3000, PROCESSES = 100 };
    assert_int_equal(hcssim_set_latency(NULL, 0), 0);
    hcssim_counts start;
    hcssim_get_counts(&start);
    static HCS_SYSTEM systems[LOOKUP_SYSTEMS];
    char id[32], wanted[48];
    for (int i = 0; i < LOOKUP_SYSTEMS; i++) {
        snprintf(id, sizeof id, "Lookup-%05d", i);
        WCHAR *wid = widen(id);
        systems[i] = make_container(wid, CONTAINER_DOC);
        free(wid);
    }
    for (int i = 0; i < LOOKUP_SYSTEMS; i += 3)
        assert_int_equal(run(HcsTerminateComputeSystem, systems[i]), S_OK);
    for (int i = 0; i < LOOKUP_SYSTEMS; i++) {
        snprintf(id, sizeof id, "LOOKUP-%05d", i);
        WCHAR *wid = widen(id);
        HCS_SYSTEM opened = NULL;
        HRESULT hr = HcsOpenComputeSystem(wid, GENERIC_ALL, &opened);
        if (i % 3 == 0) {
            assert_int_equal(hr, HCS_E_SYSTEM_NOT_FOUND);
        } else {
            assert_int_equal(hr, S_OK);
            char *doc = properties(opened);
            snprintf(wanted, sizeof wanted, "\"Id\":\"Lookup-%05d\"", i);
            if (!strstr(doc, wanted))
                fail_msg("opened %s, got %s", id, doc);
            free(doc);
            HcsCloseComputeSystem(opened);
        }
        HCS_SYSTEM again = NULL;
        HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
        assert_int_equal(HcsCreateComputeSystem(wid, CONTAINER_DOC, op, NULL, &again), S_OK);
        assert_int_equal(wait_op(op), i % 3 == 0 ? S_OK : HCS_E_SYSTEM_ALREADY_EXISTS);
        HcsCloseOperation(op);
        if (i % 3 == 0)
            assert_int_equal(run(HcsTerminateComputeSystem, again), S_OK);
        HcsCloseComputeSystem(again);
        free(wid);
    }

    /* Processes of two systems: each pid opens in its own system only. */
    static HCS_PROCESS procs[2][PROCESSES];
    static DWORD pids[2][PROCESSES];
    HCS_SYSTEM pair[2] = {systems[1], systems[2]};
    for (int s = 0; s < 2; s++) {
        assert_int_equal(run(HcsStartComputeSystem, pair[s]), S_OK);
        for (int k = 0; k < PROCESSES; k++) {
            HCS_PROCESS_INFORMATION info;
            procs[s][k] = start_process(pair[s], W("{\"CommandLine\":\"hcssim-ignore-ctrlc\"}"), &info);
            pids[s][k] = info.ProcessId;
        }
    }
    for (int s = 0; s < 2; s++)
        for (int k = 0; k < PROCESSES; k++) {
            HCS_PROCESS p = NULL;
            assert_int_equal(HcsOpenProcess(pair[s], pids[s][k], GENERIC_ALL, &p), S_OK);
            HcsCloseProcess(p);
            assert_int_equal(HcsOpenProcess(pair[1 - s], pids[s][k], GENERIC_ALL, &p), (HRESULT)0x80070490);
        }
    for (int k = 0; k < PROCESSES; k += 2) {
        HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
        assert_int_equal(HcsTerminateProcess(procs[0][k], op, NULL), S_OK);
        assert_int_equal(wait_op(op), S_OK);
        HcsCloseOperation(op);
        free(process_exit_status(procs[0][k]));
    }
    for (int k = 0; k < PROCESSES; k++) {
        HCS_PROCESS p = NULL;
        assert_int_equal(HcsOpenProcess(pair[0], pids[0][k], GENERIC_ALL, &p), k % 2 ? S_OK : (HRESULT)0x80070490);
        HcsCloseProcess(p);
    }

    for (int i = 0; i < LOOKUP_SYSTEMS; i++) {
        if (i % 3)
            assert_int_equal(run(HcsTerminateComputeSystem, systems[i]), S_OK);
        HcsCloseComputeSystem(systems[i]);
    }
    for (int s = 0; s < 2; s++)
        for (int k = 0; k < PROCESSES; k++) {
            free(process_exit_status(procs[s][k]));
            HcsCloseProcess(procs[s][k]);
        }
    settle(&start);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(thousands_of_systems),
        cmocka_unit_test(found_by_id_and_pid_among_thousands),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
