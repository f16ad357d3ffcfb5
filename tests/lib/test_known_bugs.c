/* Failing tests for bugs found while writing docs/reliability.md, kept
 * out of ctest until they are fixed (built in every leg, so they stay
 * correct; run them by hand: build/asan/bin/test_known_bugs). When a fix
 * lands, move its test to test_field_failures.c and its note out of the
 * "Known bugs" section of docs/reliability.md. */
#include "lib_helpers.h"

static int reset(void **state)
{
    (void)state;
    hcssim_set_latency(NULL, 1);
    hcssim_set_faults(NULL, NULL, 0);
    hcssim_restore_service();
    return 0;
}

/* docs/reliability.md §6-11, bug B1 (libhcs, POSIX): a write to the stdin
 * of a process that has exited must fail with HCS_WIN32_E_BROKEN_PIPE, as
 * hcs_pipe_write_all promises. On POSIX the write raises SIGPIPE instead,
 * whose default action ends the caller's whole process (exit status 141):
 * libhcs neither blocks SIGPIPE around its pipe writes nor suppresses it. */
static void b1_stdin_write_after_exit_is_broken_pipe(void **state)
{
    (void)state;
    hcs_system sys = running_system("b1", CONTAINER);
    hcs_process_spec spec = {.command_line = "cmd /c exit 3", .create_stdin = true};
    hcs_process p;
    hcs_stdio io;
    assert_int_equal(hcs_process_create(sys, &spec, HCS_TIMEOUT_DEFAULT, &p, &io, NULL), HCS_OK);
    assert_int_equal(hcs_process_wait(p, 10000, NULL, NULL), HCS_OK);
    hcs_error err = HCS_ERROR_INIT;
    int32_t hr = HCS_OK;
    for (int i = 0; i < 200 && hr == HCS_OK; i++) /* until the guest's end is gone */
        hr = hcs_pipe_write_all(io.in, "late\n", 5, &err);
    assert_int_equal(hr, HCS_WIN32_E_BROKEN_PIPE);
    hcs_error_clear(&err);
    hcs_stdio_close(&io);
    hcs_process_close(p);
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_close(sys);
}

/* docs/reliability.md §6-18, bug B2 (hcssim): a call pending with no
 * system behind it (an enumerate) must fail with HCS_E_SERVICE_DISCONNECT
 * when the service is lost, as hcssim_disconnect_service promises for
 * every pending call. hcssim drops such a request when it parks it
 * (park() in sim/src/request.c frees requests without a system) and the
 * disconnect walks only the systems' parked lists, so the operation stays
 * pending for ever and the caller only ever sees its own timeout. */
static void b2_pending_enumerate_fails_on_service_loss(void **state)
{
    (void)state;
    assert_int_equal(
        hcssim_set_faults("{\"faults\":[{\"call\":\"HcsEnumerateComputeSystems\",\"never\":true}]}", NULL, 0), 0);
    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    hcs_async how = {.cq = cq, .timeout_ms = 20000};
    assert_int_equal(hcs_system_enumerate_async(client, NULL, &how, NULL, NULL), HCS_OK);
    hcs_sleep_ms(50);
    hcssim_disconnect_service();
    hcs_result r;
    assert_int_equal(hcs_cq_next(cq, 30000, &r, NULL), HCS_OK);
    int32_t hr = r.hr;
    hcs_result_clear(&r);
    hcssim_restore_service();
    hcs_cq_close(cq);
    assert_int_equal(hr, HCS_E_SERVICE_DISCONNECT); /* today: HCS_E_OPERATION_TIMEOUT after 20 s */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(b1_stdin_write_after_exit_is_broken_pipe, reset, reset),
        cmocka_unit_test_setup_teardown(b2_pending_enumerate_fails_on_service_loss, reset, reset),
    };
    return cmocka_run_group_tests(tests, open_client, close_client);
}
