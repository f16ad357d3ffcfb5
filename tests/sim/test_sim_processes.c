/* hcssim conformance: guest processes with real stdio pipes
 * (hcs-api §2.3, §5, §11 #39-#48). */
#include "sim_helpers.h"

#define PARAMS(cmd, extra) W("{\"CommandLine\":\"" cmd "\"" extra "}")
#define PIPES ",\"CreateStdInPipe\":true,\"CreateStdOutPipe\":true,\"CreateStdErrPipe\":true"

static HCS_SYSTEM running(const char *tag) { return make_running(test_id(tag), CONTAINER_DOC); }

static HRESULT WINAPI modify_process(HCS_PROCESS p, HCS_OPERATION op, PCWSTR settings)
{
    return HcsModifyProcess(p, op, settings);
}

static HRESULT process_call(HRESULT(WINAPI *fn)(HCS_PROCESS, HCS_OPERATION, PCWSTR), HCS_PROCESS p, PCWSTR options)
{
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HRESULT hr = fn(p, op, options);
    if (SUCCEEDED(hr))
        hr = wait_op(op);
    HcsCloseOperation(op);
    return hr;
}

/* EOF on the guest's stdin takes the HCS request: closing the client's
 * handle alone does not end the guest's input (hcs-api §5; hcsshim-and-peers
 * §6 #9). */
static void close_stdin(HCS_PROCESS p)
{
    assert_int_equal(process_call(modify_process, p,
                                  W("{\"Operation\":\"CloseHandle\",\"CloseHandle\":"
                                    "{\"Handle\":\"StdIn\"}}")),
                     S_OK);
}

static void finish(HCS_SYSTEM sys)
{
    assert_int_equal(run(HcsTerminateComputeSystem, sys), S_OK);
    HcsCloseComputeSystem(sys);
}

/* hcs-api §11 #39: pid and std handles as requested; §11 #41/#42: exit
 * code through the event, the properties and the exit wait */
static void echo_and_exit_code(void **state)
{
    (void)state;
    HCS_SYSTEM sys = running("echo");
    event_log log;
    event_log_init(&log);
    HCS_PROCESS_INFORMATION info;
    HCS_PROCESS p = start_process(sys, PARAMS("cmd /c echo hello world", ",\"CreateStdOutPipe\":true"), &info);
    assert_int_equal(HcsSetProcessCallback(p, HcsEventOptionNone, &log, event_log_callback), S_OK);
    assert_true(info.ProcessId != 0);
    assert_non_null(info.StdOutput);
    assert_null(info.StdInput);
    assert_null(info.StdError);
    char buf[256];
    assert_string_equal(handle_read_all(info.StdOutput, buf, sizeof buf), "hello world\r\n");
    handle_close(info.StdOutput);
    char *status = process_exit_status(p);
    assert_non_null(strstr(status, "\"Exited\":true"));
    assert_non_null(strstr(status, "\"ExitCode\":0"));
    free(status);
    HcsCloseProcess(p);
    p = start_process(sys, PARAMS("cmd /c exit 7", ""), &info);
    status = process_exit_status(p);
    assert_non_null(strstr(status, "\"ExitCode\":7"));
    assert_non_null(strstr(status, "\"LastWaitResult\":0"));
    free(status);
    HcsCloseProcess(p);
    event_log_free(&log);
    finish(sys);
}

/* hcs-api §11 #41: ProcessExited on the process callback, with the code;
 * properties say Exited false while running */
static void process_exited_event(void **state)
{
    (void)state;
    HCS_SYSTEM sys = running("exitev");
    event_log log;
    event_log_init(&log);
    HCS_PROCESS_INFORMATION info;
    HCS_PROCESS p = start_process(sys, PARAMS("more", PIPES), &info);
    assert_int_equal(HcsSetProcessCallback(p, HcsEventOptionNone, &log, event_log_callback), S_OK);
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    char *doc = NULL;
    assert_int_equal(HcsGetProcessProperties(p, op, NULL), S_OK);
    assert_int_equal(wait_doc(op, &doc), S_OK);
    assert_non_null(strstr(doc, "\"Exited\":false"));
    free(doc);
    HcsCloseOperation(op);
    handle_close(info.StdInput);
    assert_int_equal(event_log_wait(&log, 0), 0); /* still running: the guest's stdin is open */
    close_stdin(p);                               /* more ends at end of input */
    assert_int_equal(event_log_wait(&log, 1), 1);
    assert_int_equal(log.types[0], HcsEventProcessExited);
    assert_non_null(strstr(log.data[0], "\"ExitCode\":0"));
    handle_close(info.StdOutput);
    handle_close(info.StdError);
    HcsCloseProcess(p);
    event_log_free(&log);
    finish(sys);
}

/* stdin to stdout through findstr; stderr is its own pipe */
static void stdio_round_trip(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its guest program hcssim-stderr");
    HCS_SYSTEM sys = running("findstr");
    HCS_PROCESS_INFORMATION info;
    HCS_PROCESS p = start_process(sys, PARAMS("findstr keep", PIPES), &info);
    handle_write(info.StdInput, "keep one\ndrop two\nkeep three\n");
    handle_close(info.StdInput);
    close_stdin(p);
    char buf[256];
    assert_string_equal(handle_read_all(info.StdOutput, buf, sizeof buf), "keep one\nkeep three\n");
    assert_string_equal(handle_read_all(info.StdError, buf, sizeof buf), "");
    handle_close(info.StdOutput);
    handle_close(info.StdError);
    HcsCloseProcess(p);
    p = start_process(sys, PARAMS("hcssim-stderr oops", PIPES), &info);
    assert_string_equal(handle_read_all(info.StdError, buf, sizeof buf), "oops\r\n");
    assert_string_equal(handle_read_all(info.StdOutput, buf, sizeof buf), "");
    handle_close(info.StdInput);
    handle_close(info.StdOutput);
    handle_close(info.StdError);
    HcsCloseProcess(p);
    finish(sys);
}

/* hcs-api §5: with EmulateConsole stderr joins the console output */
static void console_merges_stderr(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its guest program hcssim-stderr");
    HCS_SYSTEM sys = running("console");
    HCS_PROCESS_INFORMATION info;
    HCS_PROCESS p =
        start_process(sys,
                      PARAMS("hcssim-stderr to console",
                             ",\"EmulateConsole\":true,\"CreateStdOutPipe\":true,\"CreateStdErrPipe\":true"),
                      &info);
    assert_null(info.StdError);
    char buf[128];
    assert_string_equal(handle_read_all(info.StdOutput, buf, sizeof buf), "to console\r\n");
    handle_close(info.StdOutput);
    HcsCloseProcess(p);
    finish(sys);
}

/* hcs-api §11 #45: CloseHandle StdIn reaches the guest while the client
 * still holds its stdin handle; ConsoleSize resizes */
static void modify_close_stdin_and_resize(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its guest program hcssim-console");
    HCS_SYSTEM sys = running("modify");
    HCS_PROCESS_INFORMATION info;
    HCS_PROCESS p =
        start_process(sys, PARAMS("hcssim-console", ",\"EmulateConsole\":true,\"ConsoleSize\":[30,100]" PIPES), &info);
    char line[32];
    assert_string_equal(handle_read_line(info.StdOutput, line, sizeof line), "30x100\r\n");
    assert_int_equal(process_call(modify_process, p,
                                  W("{\"Operation\":\"ConsoleSize\",\"ConsoleSize\":"
                                    "{\"Height\":40,\"Width\":120}}")),
                     S_OK);
    handle_write(info.StdInput, "\n");
    assert_string_equal(handle_read_line(info.StdOutput, line, sizeof line), "40x120\r\n");
    close_stdin(p);
    char buf[64];
    assert_string_equal(handle_read_all(info.StdOutput, buf, sizeof buf), "");
    char *status = process_exit_status(p);
    assert_non_null(strstr(status, "\"ExitCode\":0"));
    free(status);
    assert_int_equal(process_call(modify_process, p, W("{\"Operation\":\"Nope\"}")), HCS_E_PROCESS_ALREADY_STOPPED);
    handle_close(info.StdInput);
    handle_close(info.StdOutput);
    HcsCloseProcess(p);
    finish(sys);
}

/* hcs-api §11 #43: terminate a live process, then already stopped;
 * §11 #44: Ctrl-C ends a console program with STATUS_CONTROL_C_EXIT unless
 * it ignores it */
static void terminate_and_signal(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its guest program hcssim-ignore-ctrlc");
    HCS_SYSTEM sys = running("kill");
    HCS_PROCESS p = start_process(sys, PARAMS("ping -n 1000 127.0.0.1", ""), NULL);
    assert_int_equal(process_call(HcsTerminateProcess, p, NULL), S_OK);
    char *status = process_exit_status(p);
    assert_non_null(strstr(status, "\"ExitCode\":1"));
    free(status);
    assert_int_equal(process_call(HcsTerminateProcess, p, NULL), HCS_E_PROCESS_ALREADY_STOPPED);
    assert_int_equal(process_call(HcsSignalProcess, p, W("{\"Signal\":\"CtrlC\"}")), HCS_E_PROCESS_ALREADY_STOPPED);
    HcsCloseProcess(p);

    p = start_process(sys, PARAMS("ping -n 1000 127.0.0.1", ""), NULL);
    assert_int_equal(process_call(HcsSignalProcess, p, W("{\"Signal\":\"CtrlC\"}")), S_OK);
    status = process_exit_status(p);
    assert_non_null(strstr(status, "\"ExitCode\":3221225786")); /* 0xC000013A */
    free(status);
    HcsCloseProcess(p);

    HCS_PROCESS_INFORMATION info;
    p = start_process(sys, PARAMS("hcssim-ignore-ctrlc", ",\"CreateStdOutPipe\":true"), &info);
    char line[32];
    assert_string_equal(handle_read_line(info.StdOutput, line, sizeof line), "ignoring Ctrl-C\r\n");
    handle_close(info.StdOutput);
    assert_int_equal(process_call(HcsSignalProcess, p, W("{\"Signal\":\"CtrlBreak\"}")), S_OK);
    PWSTR w = NULL;
    assert_int_equal(HcsWaitForProcessExit(p, 20, &w), HCS_E_OPERATION_TIMEOUT); /* still running */
    assert_int_equal(process_call(HcsSignalProcess, p, W("{\"Signal\":\"Hup\"}")), HCS_E_INVALID_JSON);
    assert_int_equal(process_call(HcsTerminateProcess, p, NULL), S_OK);
    status = process_exit_status(p);
    assert_non_null(strstr(status, "\"ExitCode\":1"));
    free(status);
    HcsCloseProcess(p);
    finish(sys);
}

/* hcs-api §11 #46: open by pid while running; §11 #47: fresh handles from
 * HcsGetProcessInfo; §11 #48: closing every handle leaves it running */
static void open_info_and_close(void **state)
{
    (void)state;
    HCS_SYSTEM sys = running("open");
    HCS_PROCESS_INFORMATION info;
    HCS_PROCESS p = start_process(sys, PARAMS("more", PIPES), &info);
    HcsCloseProcess(p); /* the process keeps running */
    HCS_PROCESS again = NULL;
    assert_int_equal(HcsOpenProcess(sys, info.ProcessId, GENERIC_ALL, &again), S_OK);
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsGetProcessInfo(again, op), S_OK);
    HCS_PROCESS_INFORMATION fresh;
    assert_int_equal(HcsWaitForOperationResultAndProcessInfo(op, INFINITE, &fresh, NULL), S_OK);
    HcsCloseOperation(op);
    assert_int_equal(fresh.ProcessId, info.ProcessId);
    assert_ptr_not_equal(fresh.StdInput, info.StdInput);
    handle_write(fresh.StdInput, "through the second set\n");
    handle_close(fresh.StdInput);
    handle_close(info.StdInput);
    close_stdin(again);
    char buf[128];
    assert_string_equal(handle_read_all(info.StdOutput, buf, sizeof buf), "through the second set\n");
    char *status = process_exit_status(again);
    free(status);
    assert_int_equal(HcsOpenProcess(sys, info.ProcessId, GENERIC_ALL, &p), (HRESULT)0x80070490);
    assert_int_equal(HcsOpenProcess(sys, 12345678, GENERIC_ALL, &p), (HRESULT)0x80070490);
    op = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsGetProcessInfo(again, op), S_OK);
    assert_int_equal(wait_op(op), HCS_E_PROCESS_ALREADY_STOPPED);
    HcsCloseOperation(op);
    handle_close(info.StdOutput);
    handle_close(info.StdError);
    handle_close(fresh.StdOutput);
    handle_close(fresh.StdError);
    HcsCloseProcess(again);
    finish(sys);
}

/* hcs-api §11 #40: a system that is not running refuses processes;
 * an unknown program fails like CreateProcess */
static void create_failures(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its guest programs (notepad.exe is not one) and error wording");
    HCS_SYSTEM sys = make_container(test_id("notrunning"), CONTAINER_DOC);
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HCS_PROCESS p = NULL;
    assert_int_equal(HcsCreateProcess(sys, PARAMS("cmd /c echo x", ""), op, NULL, &p), S_OK);
    assert_int_equal(wait_op(op), HCS_E_INVALID_STATE);
    assert_int_equal(HcsWaitForProcessExit(p, INFINITE, NULL), (HRESULT)0x80070490);
    HcsCloseProcess(p);
    assert_int_equal(run(HcsStartComputeSystem, sys), S_OK);
    char *doc = NULL;
    assert_int_equal(HcsCreateProcess(sys, PARAMS("notepad.exe", ""), op, NULL, &p), S_OK);
    assert_int_equal(wait_doc(op, &doc), (HRESULT)0x80070002);
    assert_non_null(strstr(doc, "notepad.exe"));
    free(doc);
    HcsCloseProcess(p);
    assert_int_equal(HcsCreateProcess(sys, W("{\"CommandLine\":1}"), op, NULL, &p), S_OK);
    assert_int_equal(wait_doc(op, &doc), HCS_E_INVALID_JSON);
    assert_non_null(strstr(doc, "CommandLine"));
    free(doc);
    HcsCloseProcess(p);
    assert_int_equal(HcsCreateProcess(sys, NULL, op, NULL, &p), E_INVALIDARG);
    assert_int_equal(HcsCreateProcess(NULL, PARAMS("cmd", ""), op, NULL, &p), (HRESULT)0x80070006);
    assert_null(p);
    finish(sys);
    assert_int_equal(HcsCreateProcess(sys, PARAMS("cmd", ""), op, NULL, &p), (HRESULT)0x80070006);
    HcsCloseOperation(op);
}

/* What a process prints on stdout (run to its end). */
static char *output_of(HCS_SYSTEM sys, PCWSTR params, char *buf, size_t size)
{
    HCS_PROCESS_INFORMATION info;
    HCS_PROCESS p = start_process(sys, params, &info);
    handle_read_all(info.StdOutput, buf, size);
    handle_close(info.StdOutput);
    free(process_exit_status(p));
    HcsCloseProcess(p);
    return buf;
}

/* The create's outcome for a system document, with the ResultError in
 * *doc. */
static HRESULT create_outcome(PCWSTR config, char **doc)
{
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HCS_SYSTEM sys = NULL;
    assert_int_equal(HcsCreateComputeSystem(test_id("badname"), config, op, NULL, &sys), S_OK);
    HRESULT hr = wait_doc(op, doc);
    HcsCloseOperation(op);
    HcsCloseComputeSystem(sys);
    return hr;
}

/* hcs-api §8.2: Container.GuestOs.HostName (also a HostedSystem's
 * container's) is the guest's name, as `hostname` and cmd's built-in
 * print it; without one the guest is named by the system's id (inferred);
 * a name that is not 1 to 63 letters, digits and hyphens is E_INVALIDARG,
 * a GuestOs of the wrong shape HCS_E_INVALID_JSON */
static void guest_host_name(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("container documents of its own (no layers) and the guest name it infers");
    char buf[256];
    HCS_SYSTEM named = make_running(test_id("named"), W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Container\":"
                                                        "{\"GuestOs\":{\"HostName\":\"web-01\"}}}"));
    assert_string_equal(output_of(named, PARAMS("hostname", ",\"CreateStdOutPipe\":true"), buf, sizeof buf),
                        "web-01\r\n");
    assert_string_equal(output_of(named, PARAMS("cmd /c hostname", ",\"CreateStdOutPipe\":true"), buf, sizeof buf),
                        "web-01\r\n");
    finish(named);
    HCS_SYSTEM hosted =
        make_running(test_id("hosted"), W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},"
                                          "\"HostedSystem\":{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},"
                                          "\"Container\":{\"GuestOs\":{\"HostName\":\"inner\"}}}}"));
    assert_string_equal(output_of(hosted, PARAMS("hostname", ",\"CreateStdOutPipe\":true"), buf, sizeof buf),
                        "inner\r\n");
    finish(hosted);
    PCWSTR id = test_id("unnamed");
    HCS_SYSTEM unnamed = make_running(id, CONTAINER_DOC);
    char want[64];
    char *ascii = narrow(id);
    snprintf(want, sizeof want, "%s\r\n", ascii);
    free(ascii);
    assert_string_equal(output_of(unnamed, PARAMS("hostname", ",\"CreateStdOutPipe\":true"), buf, sizeof buf), want);
    finish(unnamed);

    char *doc = NULL;
    assert_int_equal(create_outcome(W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Container\":{\"GuestOs\":"
                                      "{\"HostName\":\"web.example\"}}}"),
                                    &doc),
                     E_INVALIDARG);
    assert_non_null(strstr(doc, "Container.GuestOs.HostName"));
    free(doc);
    assert_int_equal(create_outcome(W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Container\":{\"GuestOs\":"
                                      "{\"HostName\":\"\"}}}"),
                                    NULL),
                     E_INVALIDARG);
    assert_int_equal(create_outcome(W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Container\":{\"GuestOs\":"
                                      "{\"Name\":\"web\"}}}"),
                                    &doc),
                     HCS_E_INVALID_JSON);
    assert_non_null(strstr(doc, "GuestOs.Name: unknown field"));
    free(doc);
}

/* zlayer-hcs §2.2: a process in a VM runs through its guest agent; a VM
 * without GuestConnection has none, so HcsCreateProcess fails with
 * ERROR_NOT_SUPPORTED (as shutdown does, §11 #21); with one it runs
 * (§11 #39) */
static void vm_process_needs_guest_connection(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("a VM document of its own (no guest connection)");
    HCS_SYSTEM bare =
        make_running(test_id("bare"), W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"VirtualMachine\":{}}"));
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HCS_PROCESS p = NULL;
    assert_int_equal(HcsCreateProcess(bare, PARAMS("cmd /c echo x", ""), op, NULL, &p), S_OK);
    HCS_PROCESS_INFORMATION info;
    PWSTR w = NULL;
    assert_int_equal(HcsWaitForOperationResultAndProcessInfo(op, INFINITE, &info, &w), (HRESULT)0x80070032);
    char *doc = narrow(w);
    LocalFree(w);
    assert_non_null(strstr(doc, "no guest connection"));
    free(doc);
    HcsCloseProcess(p);
    HcsCloseOperation(op);
    finish(bare);
    HCS_SYSTEM vm = make_running(test_id("guestvm"), VM_DOC);
    char buf[64];
    assert_string_equal(output_of(vm, PARAMS("cmd /c echo inside", ",\"CreateStdOutPipe\":true"), buf, sizeof buf),
                        "inside\r\n");
    finish(vm);
}

/* hcs-api §11 #33: the system's exit ends its processes */
static void system_exit_ends_processes(void **state)
{
    (void)state;
    HCS_SYSTEM sys = running("sysexit");
    HCS_PROCESS p = start_process(sys, PARAMS("ping -n 1000 127.0.0.1", ""), NULL);
    assert_int_equal(run(HcsTerminateComputeSystem, sys), S_OK);
    char *status = process_exit_status(p);
    assert_non_null(strstr(status, "\"Exited\":true"));
    free(status);
    HcsCloseProcess(p);
    HcsCloseComputeSystem(sys);
}

/* hcs-api §11 #30: Statistics and ProcessList reflect what processes did;
 * environment, working directory and user reach the guest */
static void statistics_and_environment(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its guest programs hcssim-burn, hcssim-alloc, hcssim-storage");
    HCS_SYSTEM sys = running("stats");
    HCS_PROCESS p = start_process(sys, PARAMS("hcssim-burn 30", ""), NULL);
    free(process_exit_status(p));
    HcsCloseProcess(p);
    p = start_process(sys, PARAMS("hcssim-storage 4096 8192", ""), NULL);
    free(process_exit_status(p));
    HcsCloseProcess(p);
    HCS_PROCESS_INFORMATION info;
    HCS_PROCESS holder = start_process(sys, PARAMS("hcssim-alloc 64", PIPES), &info);
    char line[32];
    assert_string_equal(handle_read_line(info.StdOutput, line, sizeof line), "holding 64 MB\r\n");
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    char *doc = NULL;
    assert_int_equal(HcsGetComputeSystemProperties(sys, op, W("{\"PropertyTypes\":[\"Statistics\",\"ProcessList\"]}")),
                     S_OK);
    assert_int_equal(wait_doc(op, &doc), S_OK);
    assert_non_null(strstr(doc, "\"TotalRuntime100ns\":300000"));
    assert_non_null(strstr(doc, "\"ReadSizeBytes\":4096"));
    assert_non_null(strstr(doc, "\"WriteSizeBytes\":8192"));
    assert_non_null(strstr(doc, "\"ImageName\":\"hcssim-alloc\""));
    assert_non_null(strstr(doc, "\"MemoryWorkingSetPrivateBytes\":69206016")); /* 64 MiB + 2 MiB base */
    free(doc);
    HcsCloseOperation(op);
    handle_close(info.StdInput);
    close_stdin(holder);
    free(process_exit_status(holder));
    handle_close(info.StdOutput);
    handle_close(info.StdError);
    HcsCloseProcess(holder);

    p = start_process(sys,
                      W("{\"CommandLine\":\"cmd\",\"WorkingDirectory\":\"C:\\\\app\",\"User\":\"alice\","
                        "\"Environment\":{\"B\":\"2\",\"A\":\"1\"}" PIPES "}"),
                      &info);
    handle_write(info.StdInput, "set\ncd\nexit 3\n");
    char buf[256];
    assert_string_equal(handle_read_all(info.StdOutput, buf, sizeof buf), "A=1\r\nB=2\r\nC:\\app\r\n");
    char *status = process_exit_status(p);
    assert_non_null(strstr(status, "\"ExitCode\":3"));
    free(status);
    handle_close(info.StdInput);
    handle_close(info.StdOutput);
    handle_close(info.StdError);
    HcsCloseProcess(p);
    finish(sys);
}

/* hcs-api §11 #36 on a process handle: operation events with the option */
static void process_operation_events(void **state)
{
    (void)state;
    HCS_SYSTEM sys = running("procop");
    event_log log;
    event_log_init(&log);
    HCS_PROCESS p = start_process(sys, PARAMS("ping -n 1000 127.0.0.1", ""), NULL);
    assert_int_equal(HcsSetProcessCallback(p, HcsEventOptionEnableOperationCallbacks, &log, event_log_callback), S_OK);
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsTerminateProcess(p, op, NULL), S_OK);
    assert_int_equal(event_log_wait(&log, 2), 2); /* the operation and the exit */
    bool saw_op = log.types[0] == HcsEventOperationCallback || log.types[1] == HcsEventOperationCallback;
    bool saw_exit = log.types[0] == HcsEventProcessExited || log.types[1] == HcsEventProcessExited;
    assert_true(saw_op && saw_exit);
    assert_ptr_equal(HcsGetProcessFromOperation(op), p);
    HcsCloseOperation(op);
    HcsCloseProcess(p);
    event_log_free(&log);
    finish(sys);
}

/* A text of n bytes: words of letters and digits, one blank between words
 * (so cmd /c joins them back to the same text), no blank at either end. */
static char *words(size_t n)
{
    char *t = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        t[i] = i % 8 == 7 && i + 1 < n ? ' ' : (char)('a' + i % 26);
    t[n] = '\0';
    return t;
}

/* Starts `command_line` (UTF-8, JSON-escaped already) with stdio pipes. */
static HCS_PROCESS start_line(HCS_SYSTEM sys, const char *command_line, HCS_PROCESS_INFORMATION *info)
{
    size_t size = strlen(command_line) + 128;
    char *json = malloc(size);
    snprintf(json, size, "{\"CommandLine\":\"%s\"" PIPES "}", command_line);
    WCHAR *params = widen(json);
    HCS_PROCESS p = start_process(sys, params, info);
    free(params);
    free(json);
    return p;
}

static void close_all(HCS_PROCESS p, HCS_PROCESS_INFORMATION *info)
{
    free(process_exit_status(p));
    handle_close(info->StdInput);
    handle_close(info->StdOutput);
    handle_close(info->StdError);
    HcsCloseProcess(p);
}

/* docs/guest-programs.md: cmd /c, cmd reading stdin, findstr and ping take
 * command lines and input lines of any length, whole (a command line of
 * about 1 KiB overflowed cmd /c's buffer; longer stdin lines were cut) */
static void guest_lines_of_any_length(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its guest programs (no line length limit; cmd.exe stops at 8191)");
    HCS_SYSTEM sys = running("longline");
    static char out[32768];
    static const size_t sizes[] = {3000, 1000, 1021, 1022, 1023, 1024, 1025, 1100, 9000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char *text = words(sizes[i]);
        size_t size = sizes[i] + 32;
        char *line = malloc(size);
        snprintf(line, size, "cmd /c echo %s", text);
        HCS_PROCESS_INFORMATION info;
        HCS_PROCESS p = start_line(sys, line, &info);
        handle_read_all(info.StdOutput, out, sizeof out);
        assert_int_equal(strlen(out), sizes[i] + 2);
        assert_memory_equal(out, text, sizes[i]);
        assert_string_equal(out + sizes[i], "\r\n");
        close_all(p, &info);
        free(line);
        free(text);
    }

    /* an unknown command is named whole */
    char *word = malloc(2001);
    memset(word, 'z', 2000);
    word[2000] = '\0';
    char *line = malloc(2100);
    snprintf(line, 2100, "cmd /c %s", word);
    HCS_PROCESS_INFORMATION info;
    HCS_PROCESS p = start_line(sys, line, &info);
    handle_read_all(info.StdError, out, sizeof out);
    assert_int_equal(strncmp(out, "'", 1), 0);
    assert_memory_equal(out + 1, word, 2000);
    assert_non_null(strstr(out, "' is not recognized as an internal or external command"));
    close_all(p, &info);

    /* ping names a long host whole */
    snprintf(line, 2100, "ping -n 1 %.300s", word);
    p = start_line(sys, line, &info);
    handle_read_all(info.StdOutput, out, sizeof out);
    assert_non_null(strstr(out, "Pinging "));
    assert_int_equal(strncmp(strstr(out, "Pinging ") + 8, word, 300), 0);
    assert_non_null(strstr(out, " with 32 bytes of data:"));
    close_all(p, &info);
    free(line);

    /* cmd reading stdin: a 5000-byte echo line, then exit */
    char *text = words(5000);
    char *input = malloc(5100);
    snprintf(input, 5100, "echo %s\nexit 4\n", text);
    p = start_line(sys, "cmd", &info);
    handle_write(info.StdInput, input);
    handle_read_all(info.StdOutput, out, sizeof out);
    assert_int_equal(strlen(out), 5002);
    assert_memory_equal(out, text, 5000);
    char *status = process_exit_status(p);
    assert_non_null(strstr(status, "\"ExitCode\":4"));
    free(status);
    handle_close(info.StdInput);
    handle_close(info.StdOutput);
    handle_close(info.StdError);
    HcsCloseProcess(p);

    /* findstr keeps a 9000-byte line whose match is at its end */
    char *big = words(9000);
    p = start_line(sys, "findstr needle", &info);
    handle_write(info.StdInput, "drop this\n");
    handle_write(info.StdInput, big);
    handle_write(info.StdInput, " needle\nand the end needle");
    close_stdin(p);
    handle_read_all(info.StdOutput, out, sizeof out);
    assert_int_equal(strlen(out), 9000 + strlen(" needle\nand the end needle"));
    assert_memory_equal(out, big, 9000);
    assert_string_equal(out + 9000, " needle\nand the end needle");
    close_all(p, &info);
    free(big);
    free(input);
    free(text);
    free(word);
    finish(sys);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(echo_and_exit_code),
        cmocka_unit_test(process_exited_event),
        cmocka_unit_test(stdio_round_trip),
        cmocka_unit_test(console_merges_stderr),
        cmocka_unit_test(modify_close_stdin_and_resize),
        cmocka_unit_test(terminate_and_signal),
        cmocka_unit_test(open_info_and_close),
        cmocka_unit_test(create_failures),
        cmocka_unit_test(guest_host_name),
        cmocka_unit_test(vm_process_needs_guest_connection),
        cmocka_unit_test(system_exit_ends_processes),
        cmocka_unit_test(statistics_and_environment),
        cmocka_unit_test(process_operation_events),
        cmocka_unit_test(guest_lines_of_any_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
