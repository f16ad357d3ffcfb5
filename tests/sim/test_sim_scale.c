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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(thousands_of_systems),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
