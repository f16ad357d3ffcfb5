/* hcssim configured from the environment: ctest runs this program with
 * HCSSIM_FAULTS (JSON or @file), HCSSIM_BEHAVIOUR and HCSSIM_PROFILE set,
 * and HCSKIT_EXPECT saying what the program must then observe. Bad values
 * are checked by ctest itself: the program must stop with a message. */
#include "sim_helpers.h"

static const char *expect(void)
{
    const char *e = getenv("HCSKIT_EXPECT");
    return e ? e : "";
}

/* HCSKIT_EXPECT=start-refused: the plan makes every start fail at kickoff. */
static void fault_plan_from_environment(void **state)
{
    (void)state;
    if (strcmp(expect(), "start-refused") != 0)
        skip();
    HCS_SYSTEM sys = make_container(test_id("envfault"), CONTAINER_DOC);
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsStartComputeSystem(sys, op, NULL), HCS_E_INVALID_STATE);
    HcsCloseOperation(op);
    assert_int_equal(run(HcsTerminateComputeSystem, sys), S_OK);
    HcsCloseComputeSystem(sys);
}

/* HCSKIT_EXPECT=wait-timeout: HCSSIM_BEHAVIOUR chose WAIT_TIMEOUT. */
static void behaviour_from_environment(void **state)
{
    (void)state;
    if (strcmp(expect(), "wait-timeout") != 0)
        skip();
    HCS_SYSTEM sys = make_running(test_id("envbeh"), CONTAINER_DOC);
    assert_int_equal(HcsWaitForComputeSystemExit(sys, 0, NULL), (HRESULT)0x80070102);
    assert_int_equal(run(HcsTerminateComputeSystem, sys), S_OK);
    HcsCloseComputeSystem(sys);
}

/* Any HCSKIT_EXPECT: the first call reads the configuration. */
static void first_call(void **state)
{
    (void)state;
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsEnumerateComputeSystems(NULL, op), S_OK);
    assert_int_equal(wait_op(op), S_OK);
    HcsCloseOperation(op);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(first_call),
        cmocka_unit_test(fault_plan_from_environment),
        cmocka_unit_test(behaviour_from_environment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
