/* The field failures of hcsshim-and-peers §6 that no other test covers,
 * one test per row of docs/reliability.md (§6-NN), reproduced with hcssim
 * fault plans through the public libhcs API, as a runtime would meet them:
 * each asserts what libhcs does (waits that end, stops that say which step
 * failed, idempotent kills, classified errors, fresh deadlines, and every
 * HCS handle given back). */
#include "lib_helpers.h"

static hcs_process start_process(hcs_system sys, const char *command_line, hcs_stdio *io, bool in, bool out)
{
    hcs_process_spec spec = {.command_line = command_line, .create_stdin = in, .create_stdout = out};
    hcs_process p;
    hcs_error err = HCS_ERROR_INIT;
    if (hcs_process_create(sys, &spec, HCS_TIMEOUT_DEFAULT, &p, io, &err) != HCS_OK)
        fail_msg("process create: %s", err.message);
    return p;
}

/* True when the system's basic properties say `state`. */
static bool in_state(hcs_system sys, const char *state)
{
    char *props = NULL;
    assert_int_equal(hcs_system_properties_json(sys, NULL, HCS_TIMEOUT_DEFAULT, &props, NULL), HCS_OK);
    char want[64];
    snprintf(want, sizeof want, "\"State\":\"%s\"", state);
    bool found = strstr(props, want) != NULL;
    hcs_free(props);
    return found;
}

static void finish(hcs_system sys)
{
    hcssim_set_faults(NULL, NULL, 0);
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_close(sys);
}

/* docs/reliability.md §6-01: HCS never sends the system's exit; the wait
 * still ends, with the real exit type, from its own status checks. */
static void s6_01_system_exit_event_dropped(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    set_faults("{\"faults\":[{\"event\":\"SystemExited\",\"action\":\"drop\"}]}");
    hcs_system sys = running_system("s601", CONTAINER);
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_exit st;
    assert_int_equal(hcs_system_wait(sys, 10000, &st, NULL), HCS_OK);
    assert_string_equal(st.exit_type, "ForcedExit");
    hcs_free(st.document);
    hcs_system_close(sys);
}

/* docs/reliability.md §6-02: shutdown hangs and the terminate after it
 * fails: hcs_system_stop returns in bounded time and reports both steps'
 * outcomes; once HCS works again the system can still be stopped. */
static void s6_02_stop_reports_each_failed_step(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    hcssim_counts before = settled_counts();
    set_faults("{\"faults\":[{\"call\":\"HcsShutDownComputeSystem\",\"never\":true},"
               "{\"call\":\"HcsTerminateComputeSystem\",\"at\":\"completion\",\"hresult\":\"0x800706BF\"}]}");
    hcs_system sys = running_system("s602", CONTAINER);
    hcs_stop_report rep;
    hcs_error err = HCS_ERROR_INIT;
    uint64_t t0 = hcs__clock_ms();
    int32_t hr = hcs_system_stop(sys, 200, 1000, &rep, &err);
    assert_true(hcs__clock_ms() - t0 < 20000); /* hang guard */
    assert_true(HCS_FAILED(hr));
    assert_int_equal(rep.step, HCS_STOP_NONE);
    assert_int_equal(rep.shutdown_hr, HCS_E_OPERATION_TIMEOUT);
    assert_int_equal(rep.terminate_hr, (int32_t)0x800706BF);
    assert_non_null(err.message);
    hcs_error_clear(&err);
    assert_true(in_state(sys, "Running"));
    finish(sys); /* the plan cleared: terminate works and fails the hung shutdown */
    assert_all_given_back(before);
}

/* docs/reliability.md §6-04: a Hyper-V guest bugchecks after start: the
 * crash events and the exit reach the sink given at creation, the wait
 * ends with UnexpectedExit, and a later stop finds it already stopped. */
static void s6_04_guest_crash_after_start(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    set_faults("{\"faults\":[{\"call\":\"HcsStartComputeSystem\",\"then\":\"crash\"}]}");
    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    hcs_system_spec params = {.id = unique_id("s604"), .config_json = VM, .events = {.cq = cq}};
    hcs_system sys;
    assert_int_equal(hcs_system_create(client, &params, HCS_TIMEOUT_DEFAULT, &sys, NULL), HCS_OK);
    assert_int_equal(hcs_system_start(sys, NULL, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_exit st;
    assert_int_equal(hcs_system_wait(sys, 10000, &st, NULL), HCS_OK);
    assert_string_equal(st.exit_type, "UnexpectedExit");
    hcs_free(st.document);
    bool crashed = false, exited = false;
    hcs_result r;
    while (!exited && hcs_cq_next(cq, 10000, &r, NULL) == HCS_OK) {
        crashed |= r.event_type == HCS_EVENT_SYSTEM_CRASH_INITIATED || r.event_type == HCS_EVENT_SYSTEM_CRASH_REPORT;
        exited |= r.event_type == HCS_EVENT_SYSTEM_EXITED;
        hcs_result_clear(&r);
    }
    assert_true(crashed);
    assert_true(exited);
    hcs_stop_report rep;
    assert_int_equal(hcs_system_stop(sys, 1000, 1000, &rep, NULL), HCS_OK);
    assert_int_equal(rep.step, HCS_STOP_ALREADY);
    hcs_system_close(sys);
    hcs_cq_close(cq);
}

/* docs/reliability.md §6-05: shutdown fails with ERROR_PROC_NOT_FOUND
 * while the system keeps running: libhcs classifies the exact code and
 * never takes it for "stopped". */
static void s6_05_proc_not_found_is_not_stopped(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    set_faults(
        "{\"faults\":[{\"call\":\"HcsShutDownComputeSystem\",\"at\":\"completion\",\"hresult\":\"0x8007007F\"}]}");
    hcs_system sys = running_system("s605", CONTAINER);
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(hcs_system_shutdown(sys, NULL, HCS_TIMEOUT_DEFAULT, &err), HCS_WIN32_E_PROC_NOT_FOUND);
    assert_int_not_equal(err.kind, HCS_ERROR_ALREADY_STOPPED);
    assert_int_not_equal(err.kind, HCS_ERROR_NOT_FOUND);
    assert_false((hcs_classify(err.hr) == HCS_ERROR_ALREADY_STOPPED));
    assert_false((hcs_classify(err.hr) == HCS_ERROR_NOT_FOUND));
    hcs_error_clear(&err);
    assert_int_equal(hcs_system_wait(sys, 0, NULL, NULL), HCS_E_OPERATION_TIMEOUT);
    assert_true(in_state(sys, "Running"));
    finish(sys);
}

/* docs/reliability.md §6-06: killing an exited process whose terminate
 * HCS answers with access denied or already stopped is a success, every
 * time and in both forms. */
static void s6_06_kill_after_exit_is_idempotent(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    hcs_system sys = running_system("s606", CONTAINER);
    hcs_process p = start_process(sys, "cmd /c exit 0", NULL, false, false);
    assert_int_equal(hcs_process_wait(p, 10000, NULL, NULL), HCS_OK);
    const char *answers[] = {"\"0x80070005\"", "\"HCS_E_PROCESS_ALREADY_STOPPED\"", "\"0x80070490\""};
    for (size_t i = 0; i < sizeof answers / sizeof answers[0]; i++) {
        char json[200];
        snprintf(json, sizeof json,
                 "{\"faults\":[{\"call\":\"HcsTerminateProcess\",\"at\":\"completion\",\"hresult\":%s}]}", answers[i]);
        set_faults(json);
        assert_int_equal(hcs_process_kill(p, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
        assert_int_equal(hcs_process_kill(p, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
        latch l;
        latch_init(&l);
        hcs_async how = {.callback = record_result, .user_data = &l, .timeout_ms = HCS_TIMEOUT_DEFAULT};
        assert_int_equal(hcs_process_kill_async(p, &how, NULL, NULL), HCS_OK);
        assert_int_equal(latch_wait(&l, 1), 1);
        assert_int_equal(l.hr[0], HCS_OK);
        latch_free(&l);
    }
    hcs_process_close(p);
    finish(sys);
}

/* docs/reliability.md §6-07: HCS serialises a handle's signals, so a kill
 * waits behind a slow signal. The kill still ends within its own timeout,
 * counts as a success whoever stopped the process, and the signal reports
 * once. */
static void s6_07_kill_behind_a_slow_signal(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    hcs_system sys = running_system("s607", CONTAINER);
    hcs_process p = start_process(sys, "ping -n 1000 127.0.0.1", NULL, false, false);
    set_faults("{\"faults\":[{\"call\":\"HcsSignalProcess\",\"delay_ms\":1000}]}");
    latch l;
    latch_init(&l);
    hcs_async how = {.callback = record_result, .user_data = &l, .timeout_ms = HCS_TIMEOUT_DEFAULT};
    assert_int_equal(hcs_process_signal_async(p, HCS_SIGNAL_CTRL_BREAK, &how, NULL, NULL), HCS_OK);
    assert_int_equal(hcs_process_kill(p, 10000, NULL), HCS_OK);
    hcs_process_exit ex;
    assert_int_equal(hcs_process_wait(p, 10000, &ex, NULL), HCS_OK);
    assert_true(ex.exit_code == 1 || ex.exit_code == 0xC000013Au); /* the kill's or the signal's */
    hcs_free(ex.document);
    assert_int_equal(latch_wait(&l, 1), 1);
    hcs__sleep_ms(200);
    assert_int_equal(l.count, 1);
    latch_free(&l);
    hcs_process_close(p);
    finish(sys);
}

/* docs/reliability.md §6-08: a signal fails with "not found" and the exit
 * event never comes: the error is classified, and the wait still learns
 * the real exit code. */
static void s6_08_not_found_without_exit_event(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    hcs_system sys = running_system("s608", CONTAINER);
    set_faults("{\"faults\":[{\"call\":\"HcsSignalProcess\",\"at\":\"completion\",\"hresult\":\"0x80070490\"},"
               "{\"event\":\"ProcessExited\",\"action\":\"drop\"}]}");
    hcs_process p = start_process(sys, "cmd /c exit 7", NULL, false, false);
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(hcs_process_signal(p, HCS_SIGNAL_CTRL_C, HCS_TIMEOUT_DEFAULT, &err), HCS_WIN32_E_NOT_FOUND);
    assert_int_equal(err.kind, HCS_ERROR_NOT_FOUND);
    hcs_error_clear(&err);
    hcs_process_exit ex;
    assert_int_equal(hcs_process_wait(p, 10000, &ex, NULL), HCS_OK);
    assert_int_equal(ex.exit_code, 7);
    hcs_free(ex.document);
    hcs_process_close(p);
    finish(sys);
}

/* docs/reliability.md §6-10: each stream is closed on its own: the reader
 * of stdout goes away mid-stream. hcssim keeps its own end of each pipe
 * (for HcsGetProcessInfo's fresh handles), so the guest then blocks as on a
 * full pipe: the collection of the other stream still ends at its bound,
 * leaving the process running, and the kill ends the writer. */
static void s6_10_consumer_leaves_mid_stream(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its guest program hcssim-bytes");
    hcs_system sys = running_system("s610", CONTAINER);
    hcs_process_spec spec = {.command_line = "hcssim-bytes 4000000", .create_stdout = true, .create_stderr = true};
    hcs_process p;
    hcs_stdio io;
    assert_int_equal(hcs_process_create(sys, &spec, HCS_TIMEOUT_DEFAULT, &p, &io, NULL), HCS_OK);
    hcs_pipe_close(io.out); /* the stdout consumer disappears */
    io.out = HCS_PIPE_NONE;
    hcs_output out;
    uint64_t t0 = hcs__clock_ms();
    assert_int_equal(hcs_process_collect(p, &io, 1024, 500, 100, &out, NULL, NULL), HCS_E_OPERATION_TIMEOUT);
    assert_true(hcs__clock_ms() - t0 < 10000); /* bounded by the 500 ms asked (generous guard) */
    assert_null(out.out);
    assert_int_equal(out.err_size, 0);
    hcs_output_clear(&out);
    assert_int_equal(hcs_process_kill(p, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_process_exit ex;
    assert_int_equal(hcs_process_wait(p, 10000, &ex, NULL), HCS_OK);
    assert_int_equal(ex.exit_code, 1); /* the kill's */
    hcs_free(ex.document);
    hcs_stdio_close(&io);
    hcs_process_close(p);
    finish(sys);
}

/* docs/reliability.md §6-11: a process exits while its stdin is still
 * open: the wait returns the exit at once (it never waits for stdin), and
 * ending its input afterwards is a clean answer, never a hang. (A late
 * write to that stdin: tests/lib/test_known_bugs.c.) */
static void s6_11_exit_with_stdin_open(void **state)
{
    (void)state;
    hcs_system sys = running_system("s611", CONTAINER);
    hcs_stdio io;
    hcs_process p = start_process(sys, "cmd /c exit 3", &io, true, false);
    hcs_process_exit ex;
    assert_int_equal(hcs_process_wait(p, 10000, &ex, NULL), HCS_OK);
    assert_int_equal(ex.exit_code, 3);
    hcs_free(ex.document);
    int32_t hr = hcs_process_close_stdin(p, 10000, NULL);
    assert_true(hr == HCS_OK || (hcs_classify(hr) == HCS_ERROR_ALREADY_STOPPED) ||
                (hcs_classify(hr) == HCS_ERROR_NOT_FOUND));
    hcs_stdio_close(&io);
    hcs_process_close(p);
    finish(sys);
}

/* docs/reliability.md §6-13: a process blocked writing output nobody reads
 * never holds up teardown: kill, wait, close and the pipe close all end. */
static void s6_13_teardown_with_unread_output(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its guest program hcssim-bytes and object counts");
    hcssim_counts before = settled_counts();
    hcs_system sys = running_system("s613", CONTAINER);
    hcs_stdio io;
    hcs_process p = start_process(sys, "hcssim-bytes 100000000", &io, false, true);
    hcs__sleep_ms(100); /* its pipe fills */
    uint64_t t0 = hcs__clock_ms();
    assert_int_equal(hcs_process_kill(p, 10000, NULL), HCS_OK);
    assert_int_equal(hcs_process_wait(p, 10000, NULL, NULL), HCS_OK);
    hcs_process_close(p);
    hcs_stdio_close(&io);
    finish(sys);
    assert_true(hcs__clock_ms() - t0 < 20000); /* hang guard */
    assert_all_given_back(before);
}

/* docs/reliability.md §6-14: a console process created without stdin
 * runs and exits with its own code (not 0xC000013A). */
static void s6_14_console_without_stdin(void **state)
{
    (void)state;
    hcs_system sys = running_system("s614", CONTAINER);
    hcs_process_spec spec = {.command_line = "cmd /c echo tty",
                             .emulate_console = true,
                             .console_height = 25,
                             .console_width = 80,
                             .create_stdout = true};
    hcs_process p;
    hcs_stdio io;
    assert_int_equal(hcs_process_create(sys, &spec, HCS_TIMEOUT_DEFAULT, &p, &io, NULL), HCS_OK);
    assert_int_equal(io.in, HCS_PIPE_NONE);
    hcs_output out;
    hcs_process_exit ex;
    assert_int_equal(hcs_process_collect(p, &io, 1024, 10000, 1000, &out, &ex, NULL), HCS_OK);
    assert_non_null(strstr(out.out, "tty"));
    assert_int_equal(ex.exit_code, 0);
    hcs_output_clear(&out);
    hcs_free(ex.document);
    hcs_process_close(p);
    finish(sys);
}

/* docs/reliability.md §6-15: closing stdin whose reader never reads does
 * not block, nor does the CloseHandle request sent to HCS. */
static void s6_15_stdin_close_never_blocks(void **state)
{
    (void)state;
    hcs_system sys = running_system("s615", CONTAINER);
    hcs_stdio io;
    hcs_process p = start_process(sys, "ping -n 1000 127.0.0.1", &io, true, false);
    char data[1000];
    memset(data, 'x', sizeof data);
    uint64_t t0 = hcs__clock_ms();
    assert_int_equal(hcs_pipe_write(io.in, data, sizeof data, NULL), HCS_OK);
    hcs_pipe_close(io.in);
    io.in = HCS_PIPE_NONE;
    assert_int_equal(hcs_process_close_stdin(p, 10000, NULL), HCS_OK);
    assert_true(hcs__clock_ms() - t0 < 10000); /* hang guard */
    assert_int_equal(hcs_process_kill(p, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_process_close(p);
    finish(sys);
}

/* docs/reliability.md §6-16: the system exits during start: start fails
 * with a distinct, classified error and HCS's ResultError; both code
 * families classify alike; the wait reports the unexpected exit. */
static void s6_16_exit_during_start(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    set_faults("{\"faults\":[{\"call\":\"HcsStartComputeSystem\",\"at\":\"completion\",\"hresult\":"
               "\"HCS_E_UNEXPECTED_EXIT\",\"message\":\"worker process exited\",\"then\":\"exit\"}]}");
    hcs_system sys;
    assert_int_equal(hcs_system_create(client, &(hcs_system_spec){.id = unique_id("s616"), .config_json = CONTAINER},
                                       HCS_TIMEOUT_DEFAULT, &sys, NULL),
                     HCS_OK);
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(hcs_system_start(sys, NULL, HCS_TIMEOUT_DEFAULT, &err), HCS_E_UNEXPECTED_EXIT);
    assert_int_equal(err.kind, HCS_ERROR_SYSTEM_FAILURE);
    assert_int_equal(hcs_classify(HCS_VMCOMPUTE_E_UNEXPECTED_EXIT), HCS_ERROR_SYSTEM_FAILURE);
    assert_non_null(err.result);
    assert_string_equal(err.result->events[0].message, "worker process exited");
    hcs_error_clear(&err);
    hcs_system_exit st;
    assert_int_equal(hcs_system_wait(sys, 10000, &st, NULL), HCS_OK);
    assert_string_equal(st.exit_type, "UnexpectedExit");
    hcs_free(st.document);
    hcs_system_close(sys);
}

/* docs/reliability.md §6-17: a call fails with "invalid state" while
 * systems change state; enumerate still answers at once and lists them. */
static void s6_17_enumerate_after_invalid_state(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    set_faults("{\"faults\":[{\"call\":\"HcsPauseComputeSystem\",\"at\":\"completion\",\"hresult\":"
               "\"HCS_E_INVALID_STATE\"}]}");
    hcs_system vm = running_system("s617", VM);
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(hcs_system_pause(vm, NULL, HCS_TIMEOUT_DEFAULT, &err), HCS_E_INVALID_STATE);
    assert_int_equal(err.kind, HCS_ERROR_INVALID_STATE);
    hcs_error_clear(&err);
    /* another system in transition: its start takes a while */
    hcssim_set_latency("HcsStartComputeSystem", 1000);
    hcs_system other;
    const char *other_id = unique_id("s617b");
    assert_int_equal(hcs_system_create(client, &(hcs_system_spec){.id = other_id, .config_json = CONTAINER},
                                       HCS_TIMEOUT_DEFAULT, &other, NULL),
                     HCS_OK);
    latch l;
    latch_init(&l);
    hcs_async how = {.callback = record_result, .user_data = &l, .timeout_ms = HCS_TIMEOUT_DEFAULT};
    assert_int_equal(hcs_system_start_async(other, NULL, &how, NULL, NULL), HCS_OK);
    char *list = NULL;
    assert_int_equal(hcs_system_enumerate_json(client, "{\"Owners\":[\"libtests\"]}", 5000, &list, NULL), HCS_OK);
    assert_non_null(strstr(list, other_id));
    hcs_free(list);
    assert_int_equal(latch_wait(&l, 1), 1);
    assert_int_equal(l.hr[0], HCS_OK);
    latch_free(&l);
    hcssim_set_latency(NULL, 1);
    finish(other);
    finish(vm);
}

/* docs/reliability.md §6-18: the service crashes: pending calls, process
 * waits and new calls all end with a classified disconnect. */
static void s6_18_service_crash_ends_everything(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("a service disconnect");
    hcs_system sys = running_system("s618", CONTAINER);
    hcs_process p = start_process(sys, "ping -n 1000 127.0.0.1", NULL, false, false);
    set_faults("{\"faults\":[{\"call\":\"HcsGetComputeSystemProperties\",\"never\":true}]}");
    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    hcs_async how = {.cq = cq, .timeout_ms = HCS_TIMEOUT_INFINITE};
    assert_int_equal(hcs_system_properties_async(sys, NULL, &how, NULL, NULL), HCS_OK);
    hcssim_disconnect_service();
    hcs_result r;
    assert_int_equal(hcs_cq_next(cq, 10000, &r, NULL), HCS_OK);
    assert_int_equal(r.hr, HCS_E_SERVICE_DISCONNECT);
    assert_int_equal(r.error.kind, HCS_ERROR_DISCONNECTED);
    hcs_result_clear(&r);
    assert_int_equal(hcs_process_wait(p, 60000, NULL, NULL), HCS_E_SERVICE_DISCONNECT);
    hcs_error err = HCS_ERROR_INIT;
    hcs_process_spec spec = {.command_line = "cmd /c exit 0"};
    hcs_process q;
    assert_int_equal(hcs_process_create(sys, &spec, HCS_TIMEOUT_DEFAULT, &q, NULL, &err), HCS_E_SERVICE_DISCONNECT);
    assert_true((hcs_classify(err.hr) == HCS_ERROR_DISCONNECTED));
    hcs_error_clear(&err);
    hcssim_restore_service();
    assert_int_equal(hcs_process_kill(p, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_process_close(p);
    hcs_cq_close(cq);
    finish(sys);
}

/* A container document with this Owner (for orphan cleanup by owner). */
static const char *owned_by(const char *owner)
{
    static char doc[256];
    snprintf(doc, sizeof doc, "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Owner\":\"%s\",\"Container\":{}}", owner);
    return doc;
}

/* docs/reliability.md §6-19: terminate fails with an RPC error: libhcs
 * does not take it for success; the system is found again by its Owner
 * and a retry stops it. */
static void s6_19_terminate_rpc_failure(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    const char *owner = unique_id("owner619");
    hcs_system sys = running_system("s619", owned_by(owner));
    set_faults("{\"faults\":[{\"call\":\"HcsTerminateComputeSystem\",\"at\":\"kickoff\",\"hresult\":\"0x800706BF\","
               "\"count\":1}]}");
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, &err), (int32_t)0x800706BF);
    assert_int_equal(err.kind, hcs_classify((int32_t)0x800706BF));
    assert_int_not_equal(err.kind, HCS_ERROR_ALREADY_STOPPED);
    hcs_error_clear(&err);
    hcs_system_close(sys); /* the runtime lost track of it */
    char query[128], *list = NULL;
    snprintf(query, sizeof query, "{\"Owners\":[\"%s\"]}", owner);
    assert_int_equal(hcs_system_enumerate_json(client, query, HCS_TIMEOUT_DEFAULT, &list, NULL), HCS_OK);
    const char *id = strstr(list, "\"Id\":\"");
    assert_non_null(id);
    char found[64] = "";
    sscanf(id + 6, "%63[^\"]", found);
    hcs_free(list);
    assert_int_equal(hcs_system_open(client, found, &sys, NULL), HCS_OK);
    assert_true(in_state(sys, "Running"));
    finish(sys); /* the rule fired once: the retry works */
}

/* docs/reliability.md §6-20: the connection closes during a graceful stop
 * that did happen: the error is classified as a disconnect, and stop
 * verifies by the system's state that it has stopped. */
static void s6_20_connection_closed_during_stop(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    set_faults("{\"faults\":[{\"call\":\"HcsShutDownComputeSystem\",\"at\":\"completion\",\"hresult\":"
               "\"HCS_E_CONNECTION_CLOSED\",\"run_action\":true}]}");
    hcs_system vm = running_system("s620", VM);
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(hcs_system_shutdown(vm, NULL, HCS_TIMEOUT_DEFAULT, &err), HCS_E_CONNECTION_CLOSED);
    assert_int_equal(err.kind, HCS_ERROR_DISCONNECTED);
    hcs_error_clear(&err);
    assert_int_equal(hcs_system_wait(vm, 10000, NULL, NULL), HCS_OK);
    hcs_system_close(vm);

    vm = running_system("s620stop", VM);
    hcs_stop_report rep;
    assert_int_equal(hcs_system_stop(vm, 5000, 5000, &rep, NULL), HCS_OK);
    assert_int_equal(rep.shutdown_hr, HCS_E_CONNECTION_CLOSED);
    assert_int_not_equal(rep.step, HCS_STOP_NONE);
    assert_true(in_state(vm, "Stopped"));
    hcs_system_close(vm);
}

/* docs/reliability.md §6-23: statistics of a stopping system fail: a
 * classified error and no document, never a success without stats; a
 * query racing the terminate is a success or a clean error. */
static void s6_23_stats_while_stopping(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    hcs_system sys = running_system("s623", CONTAINER);
    set_faults("{\"faults\":[{\"call\":\"HcsGetComputeSystemProperties\",\"at\":\"completion\",\"hresult\":"
               "\"0x80070006\"}]}");
    hcs_schema_doc *doc = NULL;
    hcs_Statistics *stats = NULL;
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(hcs_system_statistics(sys, HCS_TIMEOUT_DEFAULT, &doc, &stats, &err), HCS_WIN32_E_INVALID_HANDLE);
    assert_null(doc);
    assert_null(stats);
    assert_int_equal(err.kind, HCS_ERROR_INVALID_HANDLE);
    hcs_error_clear(&err);
    hcssim_set_faults(NULL, NULL, 0);
    latch l;
    latch_init(&l);
    hcs_async how = {.callback = record_result, .user_data = &l, .timeout_ms = HCS_TIMEOUT_DEFAULT};
    assert_int_equal(hcs_system_terminate_async(sys, &how, NULL, NULL), HCS_OK);
    for (int i = 0; i < 20; i++) {
        int32_t hr = hcs_system_statistics(sys, HCS_TIMEOUT_DEFAULT, &doc, &stats, NULL);
        if (hr == HCS_OK)
            assert_non_null(stats);
        else
            assert_true(hcs_classify(hr) != HCS_ERROR_OTHER);
        hcs_schema_doc_free(doc);
        doc = NULL;
    }
    assert_int_equal(latch_wait(&l, 1), 1);
    assert_int_equal(l.hr[0], HCS_OK);
    latch_free(&l);
    hcs_system_close(sys);
}

/* docs/reliability.md §6-24: many execs on one system, each waited for and
 * subscribed to: once closed, nothing per exec remains in HCS. */
static void s6_24_many_execs_leave_nothing(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its object counts");
    enum { EXECS = 200 };
    hcs_system sys = running_system("s624", CONTAINER);
    hcssim_counts before = settled_counts();
    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    for (int i = 0; i < EXECS; i++) {
        hcs_process_spec spec = {.command_line = "cmd /c exit 0", .events = {.cq = cq}};
        hcs_process p;
        assert_int_equal(hcs_process_create(sys, &spec, HCS_TIMEOUT_DEFAULT, &p, NULL, NULL), HCS_OK);
        assert_int_equal(hcs_process_wait(p, 10000, NULL, NULL), HCS_OK);
        hcs_process_close(p);
        hcs_result r;
        while (hcs_cq_next(cq, 0, &r, NULL) == HCS_OK)
            hcs_result_clear(&r);
    }
    hcs_cq_close(cq);
    assert_all_given_back(before);
    finish(sys);
}

/* docs/reliability.md §6-25: the shutdown overruns the caller's first
 * budget; the terminate step gets a fresh deadline of its own, so the stop
 * still succeeds though it took longer than the shutdown budget. */
static void s6_25_stop_steps_have_fresh_deadlines(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    set_faults("{\"faults\":[{\"call\":\"HcsShutDownComputeSystem\",\"delay_ms\":1500}]}");
    hcs_system vm = running_system("s625", VM);
    hcs_stop_report rep;
    assert_int_equal(hcs_system_stop(vm, 200, 10000, &rep, NULL), HCS_OK);
    assert_int_equal(rep.shutdown_hr, HCS_E_OPERATION_TIMEOUT);
    assert_int_not_equal(rep.step, HCS_STOP_NONE);
    assert_true(in_state(vm, "Stopped"));
    hcs_system_close(vm);
}

/* docs/reliability.md §6-26: the exit event is lost and HCS cannot say how
 * the process ended: the wait fails rather than report exit code 0; once
 * HCS answers, the real code comes back. */
static void s6_26_unknown_exit_is_never_zero(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    hcs_system sys = running_system("s626", CONTAINER);
    set_faults("{\"faults\":[{\"event\":\"ProcessExited\",\"action\":\"drop\"},"
               "{\"call\":\"HcsGetProcessProperties\",\"at\":\"completion\",\"hresult\":\"0x80004005\"}]}");
    hcs_process p = start_process(sys, "cmd /c exit 5", NULL, false, false);
    hcs_process_exit ex = {0};
    int32_t hr = hcs_process_wait(p, 1500, &ex, NULL);
    assert_true(HCS_FAILED(hr));
    assert_null(ex.document);
    hcssim_set_faults(NULL, NULL, 0);
    assert_int_equal(hcs_process_wait(p, 10000, &ex, NULL), HCS_OK);
    assert_int_equal(ex.exit_code, 5);
    hcs_free(ex.document);
    hcs_process_close(p);
    finish(sys);
}

/* docs/reliability.md §6-27: opening a system or a process only to signal
 * or query it, then closing it, gives every HCS handle back. */
static void s6_27_every_open_has_a_close(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its object counts");
    const char *id = unique_id("s627");
    hcs_system sys;
    assert_int_equal(hcs_system_create(client, &(hcs_system_spec){.id = id, .config_json = CONTAINER},
                                       HCS_TIMEOUT_DEFAULT, &sys, NULL),
                     HCS_OK);
    assert_int_equal(hcs_system_start(sys, NULL, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_process p = start_process(sys, "ping -n 1000 127.0.0.1", NULL, false, false);
    hcssim_counts before = settled_counts();
    for (int i = 0; i < 50; i++) {
        hcs_system again;
        assert_int_equal(hcs_system_open(client, id, &again, NULL), HCS_OK);
        hcs_subscription sub;
        assert_int_equal(hcs_system_subscribe(again, &(hcs_event_sink){.cq = {0}, .callback = NULL}, &sub, NULL),
                         HCS_COM_E_INVALIDARG);
        hcs_process q;
        assert_int_equal(hcs_process_open(again, hcs_process_pid(p), &q, NULL), HCS_OK);
        char *status = NULL;
        assert_int_equal(hcs_process_properties_json(q, HCS_TIMEOUT_DEFAULT, &status, NULL), HCS_OK);
        hcs_free(status);
        hcs_process_close(q);
        hcs_system_close(again);
    }
    assert_all_given_back(before);
    assert_int_equal(hcs_process_kill(p, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_process_close(p);
    finish(sys);
}

/* docs/reliability.md §6-29: the host lists the schema versions it
 * supports; a document asking for a newer one is refused with a
 * classified error and HCS's ResultError, and the newest listed works. */
static void s6_29_unsupported_schema_version(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("a container document of its own (no layers)");
    hcs_schema_version versions[16];
    size_t count = 0;
    assert_int_equal(hcs_service_schema_versions(client, versions, 16, &count, NULL), HCS_OK);
    assert_true(count >= 1 && count <= 16);
    hcs_schema_version newest = versions[count - 1];
    char doc[160];
    snprintf(doc, sizeof doc, "{\"SchemaVersion\":{\"Major\":%u,\"Minor\":%u},\"Container\":{}}", newest.major,
             newest.minor + 1);
    hcs_system sys = {0};
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(hcs_system_create(client, &(hcs_system_spec){.id = unique_id("s629"), .config_json = doc},
                                       HCS_TIMEOUT_DEFAULT, &sys, &err),
                     HCS_E_INVALID_JSON);
    assert_int_equal(err.kind, HCS_ERROR_INVALID_ARGUMENT);
    assert_non_null(err.result);
    assert_int_equal(sys.id, 0);
    hcs_error_clear(&err);
    snprintf(doc, sizeof doc, "{\"SchemaVersion\":{\"Major\":%u,\"Minor\":%u},\"Container\":{}}", newest.major,
             newest.minor);
    assert_int_equal(hcs_system_create(client, &(hcs_system_spec){.id = unique_id("s629ok"), .config_json = doc},
                                       HCS_TIMEOUT_DEFAULT, &sys, NULL),
                     HCS_OK);
    finish(sys);
}

/* docs/reliability.md §6-30: the service is lost right after a create (as
 * when the runtime crashes mid-create): the system outlives the lost
 * handle and is found by its Owner and cleaned up. */
static void s6_30_orphans_found_by_owner(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    const char *owner = unique_id("owner630");
    const char *id = unique_id("s630");
    set_faults("{\"faults\":[{\"call\":\"HcsCreateComputeSystem\",\"then\":\"disconnect_service\"}]}");
    hcs_system sys;
    assert_int_equal(hcs_system_create(client, &(hcs_system_spec){.id = id, .config_json = owned_by(owner)},
                                       HCS_TIMEOUT_DEFAULT, &sys, NULL),
                     HCS_OK);
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(hcs_system_start(sys, NULL, HCS_TIMEOUT_DEFAULT, &err), HCS_E_SERVICE_DISCONNECT);
    assert_int_equal(err.kind, HCS_ERROR_DISCONNECTED);
    hcs_error_clear(&err);
    hcs_system_close(sys);
    hcssim_set_faults(NULL, NULL, 0);
    hcssim_restore_service();
    char query[128], *list = NULL;
    snprintf(query, sizeof query, "{\"Owners\":[\"%s\"]}", owner);
    assert_int_equal(hcs_system_enumerate_json(client, query, HCS_TIMEOUT_DEFAULT, &list, NULL), HCS_OK);
    assert_non_null(strstr(list, id));
    hcs_free(list);
    assert_int_equal(hcs_system_open(client, id, &sys, NULL), HCS_OK);
    finish(sys);
    assert_int_equal(hcs_system_enumerate_json(client, query, HCS_TIMEOUT_DEFAULT, &list, NULL), HCS_OK);
    assert_null(strstr(list, id));
    hcs_free(list);
}

/* docs/reliability.md §6-11, B1: a write to the stdin of a process that
 * has exited fails with HCS_WIN32_E_BROKEN_PIPE, as hcs_pipe_write
 * promises; on POSIX it once raised SIGPIPE, which ends the whole caller. */
static void s6_11_late_stdin_write_is_broken_pipe(void **state)
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
    /* The simulator lets go of the guest's end soon after the exit, not at
     * once: write until it has (a 10 s hang guard, not a timing check). */
    uint64_t guard = hcs__clock_ms() + 10000;
    while (hr == HCS_OK && hcs__clock_ms() < guard) {
        hr = hcs_pipe_write(io.in, "late\n", 5, &err);
        if (hr == HCS_OK)
            hcs__sleep_ms(5);
    }
    assert_int_equal(hr, HCS_WIN32_E_BROKEN_PIPE);
    hcs_error_clear(&err);
    hcs_stdio_close(&io);
    hcs_process_close(p);
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_close(sys);
}

/* docs/reliability.md §6-18, B2: a call pending with no system behind it
 * (an enumerate) fails with HCS_E_SERVICE_DISCONNECT when the service is
 * lost, as every pending call does; the simulator once dropped such calls
 * when it parked them, and the caller saw only its own timeout. */
static void s6_18_pending_enumerate_fails_on_service_loss(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("a service disconnect");
    assert_int_equal(
        hcssim_set_faults("{\"faults\":[{\"call\":\"HcsEnumerateComputeSystems\",\"never\":true}]}", NULL, 0), 0);
    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    hcs_async how = {.cq = cq, .timeout_ms = 20000};
    assert_int_equal(hcs_system_enumerate_async(client, NULL, &how, NULL, NULL), HCS_OK);
    hcs__sleep_ms(50);
    hcssim_disconnect_service();
    hcs_result r;
    assert_int_equal(hcs_cq_next(cq, 30000, &r, NULL), HCS_OK);
    int32_t hr = r.hr;
    hcs_result_clear(&r);
    hcssim_restore_service();
    hcs_cq_close(cq);
    assert_int_equal(hr, HCS_E_SERVICE_DISCONNECT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(s6_01_system_exit_event_dropped, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(s6_02_stop_reports_each_failed_step, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(s6_04_guest_crash_after_start, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(s6_05_proc_not_found_is_not_stopped, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(s6_06_kill_after_exit_is_idempotent, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(s6_07_kill_behind_a_slow_signal, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(s6_08_not_found_without_exit_event, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(s6_10_consumer_leaves_mid_stream, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(s6_11_exit_with_stdin_open, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(s6_13_teardown_with_unread_output, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(s6_14_console_without_stdin, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(s6_15_stdin_close_never_blocks, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(s6_16_exit_during_start, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(s6_17_enumerate_after_invalid_state, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(s6_18_service_crash_ends_everything, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(s6_19_terminate_rpc_failure, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(s6_20_connection_closed_during_stop, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(s6_23_stats_while_stopping, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(s6_24_many_execs_leave_nothing, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(s6_25_stop_steps_have_fresh_deadlines, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(s6_26_unknown_exit_is_never_zero, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(s6_27_every_open_has_a_close, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(s6_29_unsupported_schema_version, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(s6_30_orphans_found_by_owner, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(s6_11_late_stdin_write_is_broken_pipe, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(s6_18_pending_enumerate_fails_on_service_loss, reset_sim, reset_sim),
    };
    return cmocka_run_group_tests(tests, open_client, close_client);
}
