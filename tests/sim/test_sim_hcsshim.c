/* hcssim conformance: the call patterns of Microsoft's hcsshim, whose
 * newest HCS layer (internal/hcs/v2 over internal/computecore) must run on
 * hcssim unchanged (issue 17). Each test names the pattern it reproduces. */
#include "sim_helpers.h"

#include <hcs/error.h>

#ifndef _WIN32
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>
#endif

#define PARAMS(cmd, extra) W("{\"CommandLine\":\"" cmd "\"" extra "}")
#define PIPES ",\"CreateStdInPipe\":true,\"CreateStdOutPipe\":true,\"CreateStdErrPipe\":true"

/* hcsshim's runOperation: an operation without a callback, the call, a
 * wait without a deadline, then close. */
static HCS_SYSTEM hcsshim_create(PCWSTR id)
{
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HCS_SYSTEM sys = NULL;
    assert_int_equal(HcsCreateComputeSystem(id, CONTAINER_DOC, op, NULL, &sys), S_OK);
    assert_int_equal(wait_op(op), S_OK);
    HcsCloseOperation(op);
    return sys;
}

/* hcsshim's submitOperation, used for terminate: the operation is closed
 * at once and the exit is observed through the SystemExited event. */
static void hcsshim_submit_terminate(HCS_SYSTEM sys)
{
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsTerminateComputeSystem(sys, op, W("")), S_OK);
    HcsCloseOperation(op);
}

static void restore_behaviour(const char *name, const char *value)
{
    assert_int_equal(hcssim_set_behaviour(name, value), 0);
}

/* ---- 1. system callback options ---------------------------------------- */

/* issue: hcsshim pattern (system.go registerNotification): every create
 * and open registers the system callback with
 * HcsEventOptionEnableLiveMigrationEvents; hcs-newest §2.1 and §5 #4, #19:
 * the option is accepted and enables no event the simulator raises, so the
 * callback sees the exit and nothing else */
static void live_migration_option_on_create_and_open(void **state)
{
    (void)state;
    PCWSTR id = test_id("shim-create");
    HCS_SYSTEM sys = hcsshim_create(id);
    event_log created, opened;
    event_log_init(&created);
    event_log_init(&opened);
    assert_int_equal(HcsSetComputeSystemCallback(sys, HCS_EVENT_OPTION_LIVE_MIGRATION, &created, event_log_callback),
                     S_OK);
    free(properties(sys));
    assert_int_equal(run(HcsStartComputeSystem, sys), S_OK);
    HCS_SYSTEM other = NULL;
    assert_int_equal(HcsOpenComputeSystem(id, GENERIC_ALL, &other), S_OK);
    assert_int_equal(HcsSetComputeSystemCallback(other, HCS_EVENT_OPTION_LIVE_MIGRATION, &opened, event_log_callback),
                     S_OK);
    hcsshim_submit_terminate(sys);
    assert_int_equal(event_log_wait(&created, 1), 1);
    assert_int_equal(event_log_wait(&opened, 1), 1);
    assert_int_equal(created.types[0], HcsEventSystemExited);
    assert_int_equal(opened.types[0], HcsEventSystemExited);
    assert_non_null(strstr(created.data[0], "\"ExitType\":\"ForcedExit\""));
    HcsCloseComputeSystem(other);
    HcsCloseComputeSystem(sys);
    assert_int_equal(created.count, 1);
    assert_int_equal(opened.count, 1);
    event_log_free(&created);
    event_log_free(&opened);
}

/* hcs-newest §1.1, §5 #4: options 2 and 4 alone and combined with 1, on
 * system and process handles; a bit no SDK defines is refused (§11 #37) */
static void every_defined_option_is_accepted(void **state)
{
    (void)state;
    const HCS_EVENT_OPTIONS accepted[] = {
        HCS_EVENT_OPTION_VM_LIFECYCLE,
        HCS_EVENT_OPTION_VM_LIFECYCLE | HCS_EVENT_OPTION_LIVE_MIGRATION,
        HcsEventOptionEnableOperationCallbacks | HCS_EVENT_OPTION_VM_LIFECYCLE | HCS_EVENT_OPTION_LIVE_MIGRATION,
    };
    event_log log;
    event_log_init(&log);
    for (size_t i = 0; i < sizeof accepted / sizeof accepted[0]; i++) {
        HCS_SYSTEM sys = hcsshim_create(test_id("shim-options"));
        assert_int_equal(HcsSetComputeSystemCallback(sys, (HCS_EVENT_OPTIONS)0x8, &log, event_log_callback),
                         E_INVALIDARG);
        assert_int_equal(HcsSetComputeSystemCallback(sys, accepted[i], &log, event_log_callback), S_OK);
        assert_int_equal(run(HcsTerminateComputeSystem, sys), S_OK);
        HcsCloseComputeSystem(sys);
    }
    HCS_SYSTEM sys = make_running(test_id("shim-options"), CONTAINER_DOC);
    HCS_PROCESS p = start_process(sys, PARAMS("ping -n 30 127.0.0.1", ""), NULL);
    assert_int_equal(HcsSetProcessCallback(p, (HCS_EVENT_OPTIONS)0x10, &log, event_log_callback), E_INVALIDARG);
    assert_int_equal(HcsSetProcessCallback(p, HCS_EVENT_OPTION_LIVE_MIGRATION, &log, event_log_callback), S_OK);
    HcsCloseProcess(p);
    assert_int_equal(run(HcsTerminateComputeSystem, sys), S_OK);
    HcsCloseComputeSystem(sys);
    event_log_free(&log);
}

/* HCS_CREATE_OPTIONS_1 registers the callback with the create (2004 and
 * later): the same options apply there, and a bad one fails the call */
static void create_options_take_the_same_bits(void **state)
{
    (void)state;
    event_log log;
    event_log_init(&log);
    HCS_CREATE_OPTIONS_1 options = {
        .Version = HcsCreateOptions_1,
        .CallbackOptions = HCS_EVENT_OPTION_LIVE_MIGRATION,
        .CallbackContext = &log,
        .Callback = event_log_callback,
    };
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HCS_SYSTEM sys = NULL;
    assert_int_equal(HcsCreateComputeSystemInNamespace(W("shim-ns"), test_id("shim-ns"), CONTAINER_DOC, op,
                                                       (const HCS_CREATE_OPTIONS *)&options, &sys),
                     S_OK);
    assert_int_equal(wait_op(op), S_OK);
    assert_int_equal(run(HcsStartComputeSystem, sys), S_OK);
    assert_int_equal(run(HcsTerminateComputeSystem, sys), S_OK);
    assert_int_equal(event_log_wait(&log, 1), 1);
    assert_int_equal(log.types[0], HcsEventSystemExited);
    HcsCloseComputeSystem(sys);
    options.CallbackOptions = (HCS_EVENT_OPTIONS)0x8;
    HCS_SYSTEM refused = NULL;
    assert_int_equal(HcsCreateComputeSystemInNamespace(W("shim-ns"), test_id("shim-ns"), CONTAINER_DOC, op,
                                                       (const HCS_CREATE_OPTIONS *)&options, &refused),
                     E_INVALIDARG);
    HcsCloseOperation(op);
    event_log_free(&log);
}

/* docs/simulator-fidelity.md "Event options", switch event_options: a
 * build that knows only its own SDK's bits refuses 2 and 4 (hcsshim's
 * create then fails, as it would on such a build) */
static void strict_builds_refuse_newer_options(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("behaviour switches");
    restore_behaviour("event_options", "build_sdk");
    event_log log;
    event_log_init(&log);
    HCS_SYSTEM sys = hcsshim_create(test_id("shim-strict"));
    assert_int_equal(HcsSetComputeSystemCallback(sys, HCS_EVENT_OPTION_LIVE_MIGRATION, &log, event_log_callback),
                     E_INVALIDARG);
    assert_int_equal(HcsSetComputeSystemCallback(sys, HCS_EVENT_OPTION_VM_LIFECYCLE, &log, event_log_callback),
                     E_INVALIDARG);
    assert_int_equal(HcsSetComputeSystemCallback(sys, HcsEventOptionEnableOperationCallbacks, &log, event_log_callback),
                     S_OK);
    restore_behaviour("event_options", "any_sdk");
    HcsCloseComputeSystem(sys);
    event_log_free(&log);
}

/* ---- 2. stdio handles for overlapped I/O -------------------------------- */

enum { STREAM_IN, STREAM_OUT, STREAM_ERR };

typedef struct relay {
    char text[2][256]; /* stdout, stderr */
    size_t used[2];
} relay;

#ifdef _WIN32
typedef struct port_read {
    OVERLAPPED ov;
    char buf[64];
    bool done;
} port_read;

/* Starts the next read on stream s; a pipe at its end completes the stream
 * at once (no packet is queued for a read that failed). */
static void port_read_next(HANDLE h, port_read *r)
{
    memset(&r->ov, 0, sizeof r->ov);
    if (!ReadFile(h, r->buf, sizeof r->buf, NULL, &r->ov) && GetLastError() != ERROR_IO_PENDING) {
        assert_int_equal(GetLastError(), ERROR_BROKEN_PIPE);
        r->done = true;
    }
}

/* hcsshim wraps each handle with go-winio: the handle is associated with
 * an I/O completion port and every transfer is overlapped. */
static void relay_through_port(const HCS_PROCESS_INFORMATION *info, const char *input, relay *out)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    assert_non_null(port);
    const HANDLE handles[3] = {info->StdInput, info->StdOutput, info->StdError};
    for (ULONG_PTR key = STREAM_IN; key <= STREAM_ERR; key++)
        assert_ptr_equal(CreateIoCompletionPort(handles[key], port, key, 0), port);
    OVERLAPPED write = {0};
    if (!WriteFile(info->StdInput, input, (DWORD)strlen(input), NULL, &write))
        assert_int_equal(GetLastError(), ERROR_IO_PENDING);
    port_read reads[2] = {{.done = false}, {.done = false}};
    port_read_next(info->StdOutput, &reads[0]);
    port_read_next(info->StdError, &reads[1]);
    bool written = false;
    while (!written || !reads[0].done || !reads[1].done) {
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        OVERLAPPED *ov = NULL;
        BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &ov, 30000); /* a hang guard */
        assert_non_null(ov);
        if (key == STREAM_IN) {
            assert_true(ok);
            assert_int_equal(bytes, strlen(input));
            written = true;
            continue;
        }
        port_read *r = &reads[key - STREAM_OUT];
        if (!ok || bytes == 0) {
            r->done = true;
            continue;
        }
        size_t i = key - STREAM_OUT;
        assert_true(out->used[i] + bytes < sizeof out->text[i]);
        memcpy(out->text[i] + out->used[i], r->buf, bytes);
        out->used[i] += bytes;
        port_read_next(handles[key], r);
    }
    CloseHandle(port);
}
#else
/* The POSIX form of the same loop: the descriptors in non-blocking mode
 * under poll, as an event loop (Go's netpoller, libuv) drives them. */
static void relay_through_port(const HCS_PROCESS_INFORMATION *info, const char *input, relay *out)
{
    int fds[3] = {(int)((intptr_t)info->StdInput - 1), (int)((intptr_t)info->StdOutput - 1),
                  (int)((intptr_t)info->StdError - 1)};
    for (int i = 0; i < 3; i++)
        assert_int_equal(fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK), 0);
    size_t sent = 0;
    bool open_out[2] = {true, true};
    while (sent < strlen(input) || open_out[0] || open_out[1]) {
        struct pollfd p[3] = {{sent < strlen(input) ? fds[0] : -1, POLLOUT, 0},
                              {open_out[0] ? fds[1] : -1, POLLIN, 0},
                              {open_out[1] ? fds[2] : -1, POLLIN, 0}};
        assert_true(poll(p, 3, 30000) > 0); /* a hang guard */
        if (p[0].revents & POLLOUT) {
            ssize_t n = write(fds[0], input + sent, strlen(input) - sent);
            assert_true(n > 0 || errno == EAGAIN);
            sent += n > 0 ? (size_t)n : 0;
        }
        for (int i = 0; i < 2; i++) {
            if (!(p[i + 1].revents & (POLLIN | POLLHUP)))
                continue;
            ssize_t n = read(fds[i + 1], out->text[i] + out->used[i], sizeof out->text[i] - 1 - out->used[i]);
            assert_true(n >= 0 || errno == EAGAIN);
            if (n == 0)
                open_out[i] = false;
            out->used[i] += n > 0 ? (size_t)n : 0;
        }
    }
}
#endif

/* issue: hcsshim pattern (makeOpenFiles, go-winio): the stdio handles of
 * HcsCreateProcess are opened for overlapped I/O, as computecore.dll's are
 * (hcs-api §5): stdin written and stdout/stderr read through a completion
 * port until both reach their end */
static void stdio_handles_take_a_completion_port(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its cmd reading stdin (cmd.exe prints a banner and prompts)");
    HCS_SYSTEM sys = make_running(test_id("shim-stdio"), CONTAINER_DOC);
    HCS_PROCESS_INFORMATION info;
    HCS_PROCESS p = start_process(sys, PARAMS("cmd", PIPES), &info);
    relay out = {0};
    relay_through_port(&info, "echo through the port\r\nbogus\r\nexit 5\r\n", &out);
    assert_string_equal(out.text[0], "through the port\r\n");
    assert_non_null(strstr(out.text[1], "'bogus' is not recognized"));
    char *status = process_exit_status(p);
    assert_non_null(strstr(status, "\"ExitCode\":5"));
    free(status);
    for (int i = 0; i < 3; i++)
        handle_close((&info.StdInput)[i]);
    HcsCloseProcess(p);
    assert_int_equal(run(HcsTerminateComputeSystem, sys), S_OK);
    HcsCloseComputeSystem(sys);
}

/* ---- 3. an exit before the process callback ----------------------------- */

enum { EXIT_ITERATIONS = 50 };

/* Creates `cmd /c exit 3` as hcsshim does (runProcessOperation) and
 * registers the process callback only afterwards; on even iterations the
 * exit has certainly happened before the registration. The callback also
 * takes operation events, so a properties query after the exit marks the
 * end of what the handle will ever receive: a duplicate exit would come
 * before it (events reach a handle in order). */
static void exit_reaches_late_callback(HCS_SYSTEM sys, int iteration, bool expect_exit)
{
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HCS_PROCESS p = NULL;
    assert_int_equal(HcsCreateProcess(sys, PARAMS("cmd /c exit 3", ""), op, NULL, &p), S_OK);
    HCS_PROCESS_INFORMATION info;
    assert_int_equal(HcsWaitForOperationResultAndProcessInfo(op, INFINITE, &info, NULL), S_OK);
    HcsCloseOperation(op);
    if (iteration % 2 == 0)
        free(process_exit_status(p));
    event_log log;
    event_log_init(&log);
    assert_int_equal(HcsSetProcessCallback(p, HcsEventOptionEnableOperationCallbacks, &log, event_log_callback), S_OK);
    if (expect_exit)
        assert_int_equal(event_log_wait(&log, 1), 1);
    else
        free(process_exit_status(p));
    HCS_OPERATION marker = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsGetProcessProperties(p, marker, NULL), S_OK);
    assert_int_equal(wait_op(marker), S_OK);
    int expected = expect_exit ? 2 : 1;
    assert_int_equal(event_log_wait(&log, expected), expected);
    if (expect_exit) {
        assert_int_equal(log.types[0], HcsEventProcessExited);
        assert_non_null(strstr(log.data[0], "\"ExitCode\":3"));
    }
    assert_int_equal(log.types[expected - 1], HcsEventOperationCallback);
    HcsCloseProcess(p);
    HcsCloseOperation(marker);
    assert_int_equal(log.count, expected);
    event_log_free(&log);
}

/* issue: hcsshim pattern (process.go: HcsSetProcessCallback after
 * HcsCreateProcess completed): a process that exits first still delivers
 * its exit, exactly once, to the callback registered afterwards
 * (docs/simulator-fidelity.md "Late registration", inferred) */
static void exit_before_callback_is_not_lost(void **state)
{
    (void)state;
    HCS_SYSTEM sys = make_running(test_id("shim-exit"), CONTAINER_DOC);
    for (int i = 0; i < EXIT_ITERATIONS; i++)
        exit_reaches_late_callback(sys, i, true);
    assert_int_equal(run(HcsTerminateComputeSystem, sys), S_OK);
    HcsCloseComputeSystem(sys);
}

/* switch late_exit_event=drop: the other reading, where a callback
 * registered after the exit hears nothing (for clients that must cope) */
static void late_exit_can_be_dropped(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("behaviour switches");
    restore_behaviour("late_exit_event", "drop");
    HCS_SYSTEM sys = make_running(test_id("shim-drop"), CONTAINER_DOC);
    exit_reaches_late_callback(sys, 0, false);
    restore_behaviour("late_exit_event", "deliver");
    assert_int_equal(run(HcsTerminateComputeSystem, sys), S_OK);
    HcsCloseComputeSystem(sys);
}

/* ---- 4. the "system not found" code ------------------------------------ */

static HRESULT open_missing(void)
{
    HCS_SYSTEM sys = NULL;
    HRESULT hr = HcsOpenComputeSystem(W("shim-never-created"), GENERIC_ALL, &sys);
    assert_null(sys);
    return hr;
}

/* hcs-api §6.2, §11 #25: HCS_E_SYSTEM_NOT_FOUND by default; switch
 * system_not_found=legacy gives vmcompute's 0xC037010E, the only form
 * hcsshim's IsNotExist knows (hcsshim-and-peers §1.7); libhcs classifies
 * both as not found */
static void system_not_found_in_both_forms(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("behaviour switches");
    HRESULT hr = open_missing();
    assert_int_equal(hr, HCS_E_SYSTEM_NOT_FOUND);
    assert_true((hcs_classify(hr) == HCS_ERROR_NOT_FOUND));
    restore_behaviour("system_not_found", "legacy");
    hr = open_missing();
    assert_int_equal(hr, (HRESULT)0xC037010E);
    assert_int_equal(hcs_classify(hr), HCS_ERROR_NOT_FOUND);
    restore_behaviour("system_not_found", "hresult");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(live_migration_option_on_create_and_open),
        cmocka_unit_test(every_defined_option_is_accepted),
        cmocka_unit_test(create_options_take_the_same_bits),
        cmocka_unit_test(strict_builds_refuse_newer_options),
        cmocka_unit_test(stdio_handles_take_a_completion_port),
        cmocka_unit_test(exit_before_callback_is_not_lost),
        cmocka_unit_test(late_exit_can_be_dropped),
        cmocka_unit_test(system_not_found_in_both_forms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
