/* libhcs processes and stdio over hcssim (hcs/process.h). */
#include "lib_helpers.h"

static int reset(void **state)
{
    (void)state;
    hcssim_set_latency(NULL, 1);
    hcssim_set_faults(NULL, NULL, 0);
    return 0;
}

static hcs_process_spec spec_of(const char *command_line, bool in, bool out, bool err)
{
    hcs_process_spec s = {.command_line = command_line, .create_stdin = in, .create_stdout = out, .create_stderr = err};
    return s;
}

static void quoting_by_windows_rules(void **state)
{
    (void)state;
    const char *argv[] = {"cmd", "/c", "echo", "two words", "quote\"d", "back\\\\slash\\", "", NULL};
    char *line = NULL;
    assert_int_equal(hcs_quote_argv(argv, &line, NULL), HCS_OK);
    assert_string_equal(line, "cmd /c echo \"two words\" \"quote\\\"d\" back\\\\slash\\ \"\"");
    hcs_free(line);
    const char *trailing[] = {"a\\b c\\", NULL};
    assert_int_equal(hcs_quote_argv(trailing, &line, NULL), HCS_OK);
    assert_string_equal(line, "\"a\\b c\\\\\"");
    hcs_free(line);
    const char *empty[] = {NULL};
    assert_int_equal(hcs_quote_argv(empty, &line, NULL), HCS_COM_E_INVALIDARG);
    assert_null(line);
}

/* Output of both streams and the real exit code; argv quoted so the guest
 * sees the words as given. */
static void collect_output_and_exit_code(void **state)
{
    (void)state;
    hcs_system sys = running_system("collect", CONTAINER);
    const char *argv[] = {"cmd", "/c", "echo", "hello world", NULL};
    char *line = NULL;
    assert_int_equal(hcs_quote_argv(argv, &line, NULL), HCS_OK);
    hcs_process_spec spec = spec_of(line, false, true, true);
    hcs_process p;
    hcs_stdio io;
    assert_int_equal(hcs_process_create(sys, &spec, HCS_TIMEOUT_DEFAULT, &p, &io, NULL), HCS_OK);
    hcs_free(line);
    assert_true(hcs_process_pid(p) != 0);
    assert_int_equal(io.in, HCS_PIPE_NONE);
    hcs_output out;
    hcs_process_exit ex;
    assert_int_equal(hcs_process_collect(p, &io, 1 << 20, 10000, 1000, &out, &ex, NULL), HCS_OK);
    assert_string_equal(out.out, "hello world\r\n");
    assert_int_equal(out.err_size, 0);
    assert_int_equal(ex.exit_code, 0);
    hcs_output_clear(&out);
    hcs_free(ex.document);
    hcs_process_close(p);

    spec = spec_of("cmd /c exit 42", false, false, false);
    assert_int_equal(hcs_process_create(sys, &spec, HCS_TIMEOUT_DEFAULT, &p, NULL, NULL), HCS_OK);
    assert_int_equal(hcs_process_wait(p, HCS_TIMEOUT_INFINITE, &ex, NULL), HCS_OK);
    assert_int_equal(ex.exit_code, 42);
    hcs_free(ex.document);
    hcs_process_close(p);
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_close(sys);
}

/* A megabyte on stderr while nothing comes on stdout: reading both
 * together never deadlocks; max_bytes truncates but keeps reading. */
static void no_deadlock_and_truncation(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its guest program hcssim-bytes");
    hcs_system sys = running_system("bulk", CONTAINER);
    hcs_process_spec spec = spec_of("hcssim-bytes 1000000 stderr", false, true, true);
    hcs_process p;
    hcs_stdio io;
    assert_int_equal(hcs_process_create(sys, &spec, HCS_TIMEOUT_DEFAULT, &p, &io, NULL), HCS_OK);
    hcs_output out;
    hcs_process_exit ex;
    assert_int_equal(hcs_process_collect(p, &io, 65536, 30000, 1000, &out, &ex, NULL), HCS_OK);
    assert_int_equal(out.err_size, 65536);
    assert_true(out.truncated);
    assert_int_equal(ex.exit_code, 0); /* it finished: its writes were all read */
    hcs_output_clear(&out);
    hcs_free(ex.document);
    hcs_process_close(p);
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_close(sys);
}

/* hcs_process_collect keeps exactly the bytes written, in order, across
 * its reads (64 KiB each, streams.h): all of them when max_bytes is the
 * output's size or more, and the first max_bytes, truncated, when it is
 * less (also when max_bytes ends in the middle of a read). */
static void collect_keeps_the_bytes_exactly(void **state)
{
    (void)state;
    enum { SIZE = 300000 };
    hcs_system sys = running_system("exact", CONTAINER);
    const size_t limits[] = {SIZE + 1, SIZE, 100001, 65536, 0};
    for (size_t k = 0; k < sizeof limits / sizeof limits[0]; k++) {
        hcs_process_spec spec = spec_of("hcssim-bytes 300000", false, true, false);
        hcs_process p;
        hcs_stdio io;
        assert_int_equal(hcs_process_create(sys, &spec, HCS_TIMEOUT_DEFAULT, &p, &io, NULL), HCS_OK);
        hcs_output out;
        assert_int_equal(hcs_process_collect(p, &io, limits[k], 30000, 1000, &out, NULL, NULL), HCS_OK);
        size_t kept = limits[k] < SIZE ? limits[k] : SIZE;
        assert_int_equal(out.out_size, kept);
        assert_int_equal(out.truncated, limits[k] < SIZE);
        assert_non_null(out.out);
        assert_int_equal(out.out[kept], '\0');
        for (size_t i = 0; i < kept; i++) /* hcssim-bytes: 'x', a newline every 64 */
            if (out.out[i] != (i % 64 == 63 ? '\n' : 'x'))
                fail_msg("limit %zu: byte %zu is 0x%02x", limits[k], i, (unsigned char)out.out[i]);
        assert_null(out.err);
        hcs_output_clear(&out);
        hcs_process_close(p);
    }
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_close(sys);
}

/* hcsshim-and-peers §6 #9: closing stdin reaches the guest even when the
 * caller never took the stdin pipe. */
static void close_stdin_without_the_pipe(void **state)
{
    (void)state;
    hcs_system sys = running_system("stdin", CONTAINER);
    hcs_process_spec spec = spec_of("more", true, true, false);
    hcs_process p;
    hcs_stdio io;
    assert_int_equal(hcs_process_create(sys, &spec, HCS_TIMEOUT_DEFAULT, &p, &io, NULL), HCS_OK);
    assert_int_equal(hcs_pipe_write(io.in, "typed\n", 6, NULL), HCS_OK);
    hcs_pipe_close(io.in);
    io.in = HCS_PIPE_NONE;
    assert_int_equal(hcs_process_wait(p, 50, NULL, NULL), HCS_E_OPERATION_TIMEOUT); /* input still open */
    assert_int_equal(hcs_process_close_stdin(p, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_output out;
    assert_int_equal(hcs_process_collect(p, &io, 1024, 10000, 1000, &out, NULL, NULL), HCS_OK);
    assert_string_equal(out.out, "typed\n");
    hcs_output_clear(&out);
    hcs_process_close(p);
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_close(sys);
}

/* Kill is idempotent; Ctrl-C gives STATUS_CONTROL_C_EXIT; events arrive. */
static void kill_signal_and_events(void **state)
{
    (void)state;
    hcs_system sys = running_system("kill", CONTAINER);
    hcs_process_spec spec = spec_of("ping -n 1000 127.0.0.1", false, false, false);
    hcs_process p;
    assert_int_equal(hcs_process_create(sys, &spec, HCS_TIMEOUT_DEFAULT, &p, NULL, NULL), HCS_OK);
    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    hcs_subscription sub;
    assert_int_equal(hcs_process_subscribe(p, &(hcs_event_sink){.cq = cq}, &sub, NULL), HCS_OK);
    assert_int_equal(hcs_process_kill(p, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_process_exit ex;
    assert_int_equal(hcs_process_wait(p, HCS_TIMEOUT_INFINITE, &ex, NULL), HCS_OK);
    assert_int_equal(ex.exit_code, 1);
    hcs_free(ex.document);
    assert_int_equal(hcs_process_kill(p, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK); /* already stopped: fine */
    hcs_result r;
    assert_int_equal(hcs_cq_next(cq, 10000, &r, NULL), HCS_OK);
    hcs_event e;
    assert_true(hcs_result_event(&r, &e));
    assert_int_equal(e.type, HCS_EVENT_PROCESS_EXITED);
    assert_true(e.exit_code_known);
    assert_int_equal(e.exit_code, 1);
    hcs_result_clear(&r);
    hcs_subscription_close(sub);
    hcs_process_close(p);

    assert_int_equal(hcs_process_create(sys, &spec, HCS_TIMEOUT_DEFAULT, &p, NULL, NULL), HCS_OK);
    assert_int_equal(hcs_process_signal(p, HCS_SIGNAL_CTRL_C, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    assert_int_equal(hcs_process_wait(p, HCS_TIMEOUT_INFINITE, &ex, NULL), HCS_OK);
    assert_int_equal(ex.exit_code, 0xC000013Au);
    hcs_free(ex.document);
    hcs_error err = {0};
    assert_int_equal(hcs_process_signal(p, HCS_SIGNAL_CTRL_C, HCS_TIMEOUT_DEFAULT, &err),
                     HCS_E_PROCESS_ALREADY_STOPPED);
    assert_true((hcs_classify(err.hr) == HCS_ERROR_ALREADY_STOPPED));
    hcs_error_clear(&err);
    assert_int_equal(hcs_process_signal(p, (hcs_signal)99, HCS_TIMEOUT_DEFAULT, NULL), HCS_COM_E_INVALIDARG);
    hcs_process_close(p);
    hcs_cq_close(cq);
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_close(sys);
}

/* §6 #1/#26: the exit event is dropped; the wait still learns the real
 * exit code from HCS. §6 #12: stdout never closes; the drain is bounded. */
static void lost_event_and_open_stdout(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    assert_int_equal(hcssim_set_faults("{\"faults\":[{\"event\":\"ProcessExited\",\"action\":\"drop\"},"
                                       "{\"stdio\":\"keep_open_after_exit\"}]}",
                                       NULL, 0),
                     0);
    hcs_system sys = running_system("lost", CONTAINER);
    hcs_process_spec spec = spec_of("cmd /c echo bye", false, true, false);
    hcs_process p;
    hcs_stdio io;
    assert_int_equal(hcs_process_create(sys, &spec, HCS_TIMEOUT_DEFAULT, &p, &io, NULL), HCS_OK);
    hcs_output out;
    hcs_process_exit ex;
    assert_int_equal(hcs_process_collect(p, &io, 1024, 10000, 50, &out, &ex, NULL), HCS_OK);
    assert_string_equal(out.out, "bye\r\n");
    assert_true(out.drain_cut);
    assert_int_equal(ex.exit_code, 0);
    hcs_output_clear(&out);
    hcs_free(ex.document);
    hcs_process_close(p);
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_close(sys);
}

/* Open by pid, fresh stdio, resize, properties, async create, and the
 * close of the process handle leaving it running. */
static void open_stdio_resize_async(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its guest program hcssim-console");
    hcs_system sys = running_system("open", CONTAINER);
    latch l;
    latch_init(&l);
    hcs_process_spec spec = spec_of("hcssim-console", true, true, false);
    spec.emulate_console = true;
    spec.console_height = 30;
    spec.console_width = 100;
    hcs_async how = {.callback = record_result, .user_data = &l, .timeout_ms = HCS_TIMEOUT_DEFAULT};
    assert_int_equal(hcs_process_create_async(sys, &spec, &how, NULL, NULL), HCS_OK);
    assert_int_equal(latch_wait(&l, 1), 1);
    assert_int_equal(l.hr[0], HCS_OK);
    /* the callback kept only the document; the test opens the process by pid */
    char *list = NULL;
    assert_int_equal(
        hcs_system_properties_json(sys, "{\"PropertyTypes\":[\"ProcessList\"]}", HCS_TIMEOUT_DEFAULT, &list, NULL),
        HCS_OK);
    const char *pid_text = strstr(list, "\"ProcessId\":");
    assert_non_null(pid_text);
    uint32_t pid = (uint32_t)strtoul(pid_text + 12, NULL, 10);
    hcs_free(list);
    hcs_process p;
    assert_int_equal(hcs_process_open(sys, pid, &p, NULL), HCS_OK);
    assert_int_equal(hcs_process_pid(p), pid);
    hcs_stdio io;
    assert_int_equal(hcs_process_stdio(p, HCS_TIMEOUT_DEFAULT, &io, NULL), HCS_OK);
    assert_true(io.in != HCS_PIPE_NONE && io.out != HCS_PIPE_NONE);
    assert_int_equal(hcs_process_resize(p, 40, 120, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    assert_int_equal(hcs_pipe_write(io.in, "\n", 1, NULL), HCS_OK);
    char *status = NULL;
    assert_int_equal(hcs_process_properties_json(p, HCS_TIMEOUT_DEFAULT, &status, NULL), HCS_OK);
    assert_non_null(strstr(status, "\"Exited\":false"));
    hcs_free(status);
    assert_int_equal(hcs_process_close_stdin(p, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_output out;
    assert_int_equal(hcs_process_collect(p, &io, 1024, 10000, 1000, &out, NULL, NULL), HCS_OK);
    assert_non_null(strstr(out.out, "40x120"));
    hcs_output_clear(&out);
    hcs_stdio_close(&io);
    hcs_process_close(p);
    hcs_process_close(p); /* idempotent */
    assert_int_equal(hcs_process_pid(p), 0);
    assert_int_equal(hcs_process_open(sys, 999999, &p, NULL), HCS_WIN32_E_NOT_FOUND);
    /* the process the async create made: its handle was in the result, closed by clear */
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_close(sys);
    latch_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quoting_by_windows_rules),
        cmocka_unit_test_teardown(collect_output_and_exit_code, reset),
        cmocka_unit_test_teardown(no_deadlock_and_truncation, reset),
        cmocka_unit_test_teardown(collect_keeps_the_bytes_exactly, reset),
        cmocka_unit_test_teardown(close_stdin_without_the_pipe, reset),
        cmocka_unit_test_teardown(kill_signal_and_events, reset),
        cmocka_unit_test_teardown(lost_event_and_open_stdout, reset),
        cmocka_unit_test_teardown(open_stdio_resize_async, reset),
    };
    return cmocka_run_group_tests(tests, open_client, close_client);
}
