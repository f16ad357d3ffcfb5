/* Every verb of hcsctl end to end through its binary, each command a
 * process of its own, all sharing one simulated host: a private hcssimd
 * (docs/hcssimd.md). Output, --json parsed with jansson, exit codes; the
 * test steers the daemon's fault plan through libhcssim-client
 * (hcssim_set_faults) to make HCS misbehave where a verb has to cope. Last,
 * a daemon killed under running commands: they and the next command fail
 * with a clear message and a nonzero exit.
 *
 * The same program runs under Wine, hcsctl.exe against hcssimd.exe on a
 * named pipe. The Ctrl-C cases send SIGINT and run on POSIX only: under
 * Wine a program run from ctest has no console, and GenerateConsoleCtrlEvent
 * does not reach hcsctl.exe even in a console the test allocates (Wine 8.0),
 * so there is no Ctrl-C to deliver; events and stats streams are ended with
 * TerminateProcess there instead. */
#include "spawn.h"

#include <hcssim/hcssim.h>

#ifdef _WIN32
#include <windows.h>
#endif

#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "parse_json.h"

#define CONTAINER_DOC "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Owner\":\"%s\",\"Container\":{}}"

static child *daemon_proc;
static char *daemon_socket;

/* A socket (a pipe name on Windows) of the test's own. */
static char *new_socket(void)
{
#ifdef _WIN32
    char *name = malloc(128);
    static unsigned n;
    if (name)
        snprintf(name, 128, "\\\\.\\pipe\\hcsctl-test-%lu-%u", (unsigned long)GetCurrentProcessId(), n++);
    return name;
#else
    return scratch_file("hcssimd.sock");
#endif
}

/* Runs hcsctl and fails the test unless it exits with `status`. */
#define HCSCTL(status, stdin_text, r, ...)                                                                             \
    do {                                                                                                               \
        int got_ = run_hcsctl(stdin_text, r, __VA_ARGS__, NULL);                                                       \
        if (got_ != (status))                                                                                          \
            fail_msg("line %d: exit %d, not %d; stdout: %s; stderr: %s", __LINE__, got_, (status), (r)->out,           \
                     (r)->err);                                                                                        \
    } while (0)

/* The object with Id `id` in a list --json array, or NULL. */
static json_t *system_of(json_t *list, const char *id)
{
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item)
    {
        if (strcmp(json_string_value(json_object_get(item, "Id")), id) == 0)
            return item;
    }
    return NULL;
}

/* The state `list --json` reports for id, or "" when it is not listed. */
static char *state_of(const char *id)
{
    run_result r;
    HCSCTL(0, NULL, &r, "list", "--json");
    json_t *list = parse_json(r.out);
    json_t *sys = system_of(list, id);
    char *state = strdup(sys ? json_string_value(json_object_get(sys, "State")) : "");
    json_decref(list);
    run_result_clear(&r);
    return state;
}

static void assert_state(const char *id, const char *want)
{
    char *state = state_of(id);
    if (strcmp(state, want) != 0)
        fail_msg("%s is \"%s\", not \"%s\"", id, state, want);
    free(state);
}

/* Creates and starts a container. */
static void running_container(const char *id)
{
    run_result r;
    HCSCTL(0, NULL, &r, "create", id, "--container");
    run_result_clear(&r);
    HCSCTL(0, NULL, &r, "start", id);
    run_result_clear(&r);
}

static void remove_system(const char *id)
{
    run_result r;
    HCSCTL(0, NULL, &r, "rm", "--force", id);
    run_result_clear(&r);
}

static void set_faults(const char *plan)
{
    char error[256];
    if (hcssim_set_faults(plan, error, sizeof error) != 0)
        fail_msg("fault plan refused: %s", error);
}

/* ---- the verbs ---------------------------------------------------------- */

/* create → list → start → exec → inspect → ps → stop: a container's life
 * (hcs-api §11 #14, #17, #21, #25). */
static void container_lifecycle(void **state)
{
    (void)state;
    run_result r;
    HCSCTL(0, NULL, &r, "create", "life", "--container");
    assert_string_equal(r.out, "life\n");
    run_result_clear(&r);

    HCSCTL(0, NULL, &r, "list", "--json");
    json_t *list = parse_json(r.out);
    json_t *sys = system_of(list, "life");
    assert_non_null(sys);
    assert_string_equal(json_string_value(json_object_get(sys, "State")), "Created");
    assert_string_equal(json_string_value(json_object_get(sys, "SystemType")), "Container");
    assert_string_equal(json_string_value(json_object_get(sys, "Owner")), "hcsctl");
    assert_true(json_is_string(json_object_get(sys, "RuntimeId")));
    json_decref(list);
    run_result_clear(&r);

    HCSCTL(0, NULL, &r, "list");
    assert_ptr_equal(strstr(r.out, "ID "), r.out);
    assert_non_null(strstr(r.out, "RUNTIME ID\n"));
    assert_non_null(strstr(r.out, "\nlife  "));
    assert_non_null(strstr(r.out, "  Container  Created  hcsctl  "));
    run_result_clear(&r);

    HCSCTL(0, NULL, &r, "start", "life");
    assert_string_equal(r.out, "life\n");
    run_result_clear(&r);
    HCSCTL(0, NULL, &r, "list", "--state", "running", "-q");
    assert_non_null(strstr(r.out, "life\n"));
    run_result_clear(&r);

    HCSCTL(0, NULL, &r, "exec", "life", "--", "cmd", "/c", "echo", "hello");
    assert_string_equal(r.out, "hello\r\n");
    run_result_clear(&r);

    HCSCTL(0, NULL, &r, "inspect", "life", "--type", "Statistics", "--type", "processlist");
    json_t *props = parse_json(r.out);
    assert_string_equal(json_string_value(json_object_get(props, "Id")), "life");
    assert_string_equal(json_string_value(json_object_get(props, "State")), "Running");
    assert_true(json_is_object(json_object_get(props, "Statistics")));
    assert_true(json_is_array(json_object_get(props, "ProcessList")));
    json_decref(props);
    assert_non_null(strstr(r.out, "\n  \"Id\": \"life\",\n")); /* pretty, two spaces a level */
    run_result_clear(&r);

    HCSCTL(0, NULL, &r, "ps", "life", "--json");
    json_t *ps = parse_json(r.out);
    assert_true(json_is_array(ps));
    json_decref(ps);
    run_result_clear(&r);
    HCSCTL(0, NULL, &r, "ps", "life");
    assert_ptr_equal(strstr(r.out, "PID "), r.out);
    run_result_clear(&r);

    HCSCTL(0, NULL, &r, "stop", "life");
    assert_string_equal(r.out, "life: shut down\n");
    run_result_clear(&r);
    assert_state("life", ""); /* hcs-api §11 #25: forgotten */
    HCSCTL(1, NULL, &r, "inspect", "life");
    assert_non_null(strstr(r.err, "hcsctl: no compute system 'life' (HCS_E_SYSTEM_NOT_FOUND); see 'hcsctl list'"));
    run_result_clear(&r);
}

/* What a process prints, on which stream, with which exit code (hcs-api
 * §11 #39, #41; docs/guest-programs.md). */
static void exec_io(void **state)
{
    (void)state;
    running_container("io");
    run_result r;
    HCSCTL(7, NULL, &r, "exec", "io", "--", "cmd", "/c", "exit", "7");
    run_result_clear(&r);
    HCSCTL(255, NULL, &r, "exec", "io", "cmd", "/c", "exit", "255"); /* "--" is optional */
    run_result_clear(&r);
#ifndef _WIN32
    HCSCTL(255, NULL, &r, "exec", "io", "cmd", "/c", "exit", "256");
    assert_non_null(strstr(r.err, "0x00000100"));
    run_result_clear(&r);
#else
    /* A Windows exit code holds the guest's 32 bits. */
    HCSCTL(256, NULL, &r, "exec", "io", "cmd", "/c", "exit", "256");
    assert_string_equal(r.err, "");
    run_result_clear(&r);
#endif
    HCSCTL(0, NULL, &r, "exec", "io", "hcssim-stderr", "oops");
    assert_string_equal(r.out, "");
    assert_non_null(strstr(r.err, "oops"));
    run_result_clear(&r);

    /* -i: stdin relayed, its end closes the guest's stdin. */
    HCSCTL(0, "one error\ntwo\nthree error\n", &r, "exec", "-i", "io", "--", "findstr", "error");
    assert_non_null(strstr(r.out, "one error"));
    assert_non_null(strstr(r.out, "three error"));
    assert_null(strstr(r.out, "two"));
    run_result_clear(&r);

    HCSCTL(0, NULL, &r, "exec", "-e", "FOO=bar", "--env", "EMPTY=", "io", "cmd", "/c", "set");
    assert_non_null(strstr(r.out, "FOO=bar\r\n"));
    assert_non_null(strstr(r.out, "EMPTY=\r\n"));
    run_result_clear(&r);
    HCSCTL(0, NULL, &r, "exec", "--cwd", "C:\\work", "io", "cmd", "/c", "cd");
    assert_string_equal(r.out, "C:\\work\r\n");
    run_result_clear(&r);
    HCSCTL(0, NULL, &r, "exec", "-u", "alice", "io", "whoami");
    assert_string_equal(r.out, "alice\r\n");
    run_result_clear(&r);
    /* -t: a console, 25x80 without a terminal. */
    HCSCTL(0, NULL, &r, "exec", "-t", "io", "hcssim-console");
    assert_non_null(strstr(r.out, "25x80"));
    run_result_clear(&r);

    /* 1 MiB through the relay, whole. */
    HCSCTL(0, NULL, &r, "exec", "io", "hcssim-bytes", "1048576");
    assert_int_equal(strlen(r.out), 1048576);
    run_result_clear(&r);

    HCSCTL(1, NULL, &r, "exec", "io", "nosuch.exe");
    assert_non_null(strstr(r.err, "hcsctl: 'io' has no program to run \"nosuch.exe\" (HCS_WIN32_E_FILE_NOT_FOUND)"));
    run_result_clear(&r);
    remove_system("io");
    /* A system that is not running (hcs-api §11 #40). */
    HCSCTL(0, NULL, &r, "create", "idle", "--container");
    run_result_clear(&r);
    HCSCTL(1, NULL, &r, "exec", "idle", "cmd", "/c", "echo");
    assert_non_null(strstr(r.err, "cannot exec 'idle' while it is Created"));
    assert_non_null(strstr(r.err, "'hcsctl start idle' first"));
    run_result_clear(&r);
    remove_system("idle");
}

#ifndef _WIN32
/* Ctrl-C reaches the guest process as Ctrl-C (it exits 0xC000013A, exit
 * status 130); a second one terminates a process that ignores it. */
static void exec_interrupts(void **state)
{
    (void)state;
    running_container("intr");
    child *c = spawn_hcsctl("exec", "intr", "--", "ping", "-n", "60", "127.0.0.1", NULL);
    assert_non_null(c);
    assert_true(child_wait_for(c, false, "Reply from"));
    child_interrupt(c);
    run_result r;
    child_wait(c, &r);
    assert_int_equal(r.status, 130);
    assert_non_null(strstr(r.err, "sent Ctrl-C to process"));
    assert_non_null(strstr(r.err, "0xC000013A (STATUS_CONTROL_C_EXIT"));
    run_result_clear(&r);

    c = spawn_hcsctl("exec", "intr", "hcssim-ignore-ctrlc", "60000", NULL);
    assert_non_null(c);
    assert_true(child_wait_for(c, false, "ignoring Ctrl-C"));
    child_interrupt(c);
    assert_true(child_wait_for(c, true, "Ctrl-C again terminates it"));
    child_interrupt(c);
    child_wait(c, &r);
    assert_int_equal(r.status, 1); /* terminated: exit code 1 (docs/guest-programs.md) */
    assert_non_null(strstr(r.err, "terminated process"));
    run_result_clear(&r);
    remove_system("intr");
}
#endif

/* A document from a file and from stdin; an id taken; the filters of list. */
static void create_and_list(void **state)
{
    (void)state;
    char doc[256];
    char *file = scratch_file("system.json");
    snprintf(doc, sizeof doc, CONTAINER_DOC, "file-owner");
    assert_true(write_file(file, doc));
    run_result r;
    HCSCTL(0, NULL, &r, "create", "f1", file);
    assert_string_equal(r.out, "f1\n");
    run_result_clear(&r);
    snprintf(doc, sizeof doc, CONTAINER_DOC, "stdin-owner");
    HCSCTL(0, doc, &r, "create", "f2", "-");
    run_result_clear(&r);
    HCSCTL(0, NULL, &r, "create", "f3", "--container", "--owner", "team-a");
    run_result_clear(&r);
    HCSCTL(0, NULL, &r, "create", "f4", "--vm", "--owner", "team-a");
    run_result_clear(&r);

    HCSCTL(1, NULL, &r, "create", "f1", "--container");
    assert_non_null(strstr(r.err, "hcsctl: a compute system 'f1' exists already (HCS_E_SYSTEM_ALREADY_EXISTS)"));
    assert_non_null(strstr(r.err, "'hcsctl rm f1'"));
    run_result_clear(&r);

    HCSCTL(0, NULL, &r, "list", "--owner", "file-owner", "--json");
    json_t *list = parse_json(r.out);
    assert_int_equal(json_array_size(list), 1);
    assert_non_null(system_of(list, "f1"));
    json_decref(list);
    run_result_clear(&r);
    HCSCTL(0, NULL, &r, "list", "--owner", "stdin-owner", "--owner", "file-owner", "-q");
    assert_true(strcmp(r.out, "f1\nf2\n") == 0 || strcmp(r.out, "f2\nf1\n") == 0);
    run_result_clear(&r);
    HCSCTL(0, NULL, &r, "list", "--owner", "team-a", "--type", "virtualmachine", "-q");
    assert_string_equal(r.out, "f4\n");
    run_result_clear(&r);
    HCSCTL(0, NULL, &r, "list", "--owner", "team-a", "--type", "Container", "--state", "Created", "-q");
    assert_string_equal(r.out, "f3\n");
    run_result_clear(&r);
    HCSCTL(0, NULL, &r, "list", "--owner", "team-a", "--state", "Running", "--json");
    list = parse_json(r.out);
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);
    run_result_clear(&r);

    /* rm of several: Created systems are terminated and forgotten. */
    HCSCTL(0, NULL, &r, "rm", "f1", "f2", "f3", "f4");
    assert_string_equal(r.out, "f1\nf2\nf3\nf4\n");
    run_result_clear(&r);
    HCSCTL(0, NULL, &r, "list", "--owner", "team-a", "--owner", "file-owner", "--owner", "stdin-owner", "-q");
    assert_string_equal(r.out, "");
    run_result_clear(&r);
    remove(file);
    free(file);
}

/* pause, resume, save and modify act on virtual machines (hcs-api §11 #18,
 * #19, #20, #29). */
static void vm_verbs(void **state)
{
    (void)state;
    run_result r;
    HCSCTL(0, NULL, &r, "create", "v1", "--vm", "--memory", "512", "--cpus", "2");
    run_result_clear(&r);
    HCSCTL(0, NULL, &r, "start", "v1");
    run_result_clear(&r);
    HCSCTL(1, NULL, &r, "save", "v1");
    assert_non_null(strstr(r.err, "cannot save 'v1' while it is Running (HCS_E_INVALID_STATE)"));
    assert_non_null(strstr(r.err, "'hcsctl pause v1' first"));
    run_result_clear(&r);
    HCSCTL(0, NULL, &r, "pause", "v1");
    assert_string_equal(r.out, "v1\n");
    run_result_clear(&r);
    assert_state("v1", "Paused");
    HCSCTL(0, NULL, &r, "resume", "v1");
    run_result_clear(&r);
    assert_state("v1", "Running");
    HCSCTL(0,
           "{\"ResourcePath\":\"VirtualMachine/ComputeTopology/Memory/SizeInMB\",\"RequestType\":\"Update\","
           "\"Settings\":1024}",
           &r, "modify", "v1", "-");
    assert_string_equal(r.out, "v1\n");
    run_result_clear(&r);
    HCSCTL(1, "{\"ResourcePath\":\"Nowhere\",\"RequestType\":\"Update\"}", &r, "modify", "v1", "-");
    assert_non_null(strstr(r.err, "v1"));
    run_result_clear(&r);
    HCSCTL(0, NULL, &r, "pause", "v1");
    run_result_clear(&r);
    HCSCTL(0, NULL, &r, "save", "v1");
    run_result_clear(&r);
    assert_state("v1", "SavedAsTemplate");
    HCSCTL(1, NULL, &r, "resume", "v1");
    assert_non_null(strstr(r.err, "cannot resume 'v1' while it is SavedAsTemplate"));
    run_result_clear(&r);
    HCSCTL(0, NULL, &r, "kill", "v1");
    assert_string_equal(r.out, "v1\n");
    run_result_clear(&r);
    assert_state("v1", "");

    /* Saved to a file, the VM ends. */
    HCSCTL(0, NULL, &r, "create", "v2", "--vm");
    run_result_clear(&r);
    HCSCTL(0, NULL, &r, "start", "v2");
    run_result_clear(&r);
    HCSCTL(0, NULL, &r, "pause", "v2");
    run_result_clear(&r);
    char *file = scratch_file("v2.vmrs");
    HCSCTL(0, NULL, &r, "save", "v2", "--file", file);
    run_result_clear(&r);
    remove(file);
    free(file);
    assert_state("v2", "");

    /* A container does not pause. */
    running_container("c-pause");
    HCSCTL(1, NULL, &r, "pause", "c-pause");
    assert_non_null(strstr(r.err, "is not supported here"));
    assert_non_null(strstr(r.err, "virtual machines, not containers"));
    run_result_clear(&r);
    remove_system("c-pause");
}

/* stop: shutdown, then terminate when it does not end the system or HCS
 * refuses it, saying which (hcsshim-and-peers §6 #2, #3, #5); kill; rm. */
static void stop_kill_rm(void **state)
{
    (void)state;
    run_result r;
    set_faults("{\"faults\":[{\"call\":\"HcsShutDownComputeSystem\",\"system\":\"s1\",\"never\":true},"
               "{\"call\":\"HcsShutDownComputeSystem\",\"system\":\"s2\",\"at\":\"completion\","
               "\"hresult\":\"0x8007007F\"}]}");
    running_container("s1");
    running_container("s2");
    HCSCTL(0, NULL, &r, "stop", "--timeout", "0.5", "s1");
    assert_string_equal(r.out, "s1: terminated (the shutdown had not ended it after 0.5 s)\n");
    run_result_clear(&r);
    HCSCTL(0, NULL, &r, "stop", "s2");
    assert_string_equal(r.out, "s2: terminated (HCS refused the shutdown: HCS_WIN32_E_PROC_NOT_FOUND)\n");
    run_result_clear(&r);
    set_faults(NULL);
    assert_state("s1", "");
    assert_state("s2", "");

    running_container("s3");
    running_container("s4");
    running_container("s5");
    HCSCTL(0, NULL, &r, "kill", "s3");
    run_result_clear(&r);
    HCSCTL(0, NULL, &r, "rm", "s4");
    assert_string_equal(r.out, "s4\n");
    run_result_clear(&r);
    HCSCTL(0, NULL, &r, "rm", "-f", "s5", "never-was");
    assert_string_equal(r.out, "s5\n");
    run_result_clear(&r);
    assert_state("s3", "");
    assert_state("s4", "");
    assert_state("s5", "");

    /* Several ids, one missing: the others are done, the exit is 1. */
    HCSCTL(0, NULL, &r, "create", "s6", "--container");
    run_result_clear(&r);
    HCSCTL(1, NULL, &r, "start", "never-was", "s6");
    assert_string_equal(r.out, "s6\n");
    assert_non_null(strstr(r.err, "no compute system 'never-was'"));
    run_result_clear(&r);
    assert_state("s6", "Running");
    remove_system("s6");
}

/* wait: 0 after a clean stop, 1 after a crash, 124 on its timeout. --trace
 * shows when it has opened the system (and so will see its exit). */
static void wait_verb(void **state)
{
    (void)state;
    run_result r;
    running_container("w1");
    HCSCTL(124, NULL, &r, "wait", "--timeout", "0.3", "w1");
    assert_non_null(strstr(r.err, "hcsctl: 'w1' is still running after 0.3 s (HCS_E_OPERATION_TIMEOUT)"));
    run_result_clear(&r);

    child *c = spawn_hcsctl("--trace", "wait", "w1", NULL);
    assert_true(child_wait_for(c, true, "trace: HcsOpenComputeSystem"));
    HCSCTL(0, NULL, &r, "stop", "w1");
    run_result_clear(&r);
    child_wait(c, &r);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "w1: GracefulExit, status 0x00000000 (S_OK)\n");
    run_result_clear(&r);

    /* A crash (hcs-api §11 #28), made by the fault plan after the next
     * properties query, hcsctl inspect's or the wait's own. */
    running_container("w2");
    c = spawn_hcsctl("--trace", "wait", "w2", NULL);
    assert_true(child_wait_for(c, true, "trace: HcsOpenComputeSystem"));
    set_faults("{\"faults\":[{\"call\":\"HcsGetComputeSystemProperties\",\"system\":\"w2\",\"then\":\"crash\","
               "\"count\":1}]}");
    run_hcsctl(NULL, &r, "inspect", "w2", NULL);
    run_result_clear(&r);
    child_wait(c, &r);
    set_faults(NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.out, "w2: UnexpectedExit"));
    run_result_clear(&r);
}

/* events: one line per event, as JSON; with ids it ends when they exited;
 * without, Ctrl-C ends it (hcs-api §11 #35). */
static void events_verb(void **state)
{
    (void)state;
    run_result r;
    running_container("e1");
    child *c = spawn_hcsctl("events", "--json", "e1", NULL);
    assert_true(child_wait_for(c, true, "watching the events of these systems"));
    HCSCTL(0, NULL, &r, "stop", "e1");
    run_result_clear(&r);
    child_wait(c, &r);
    assert_int_equal(r.status, 0);
    json_t *ev = parse_json(r.out); /* one line: one object */
    assert_string_equal(json_string_value(json_object_get(ev, "Id")), "e1");
    assert_string_equal(json_string_value(json_object_get(ev, "Event")), "SystemExited");
    assert_int_equal(json_integer_value(json_object_get(ev, "RawType")), 1);
    assert_true(json_is_string(json_object_get(ev, "Time")));
    json_t *data = json_object_get(ev, "Data");
    assert_string_equal(json_string_value(json_object_get(data, "ExitType")), "GracefulExit");
    json_decref(ev);
    run_result_clear(&r);

    running_container("e2");
    c = spawn_hcsctl("events", NULL);
    assert_true(child_wait_for(c, true, "watching the events of every system"));
    HCSCTL(0, NULL, &r, "kill", "e2");
    run_result_clear(&r);
    assert_true(child_wait_for(c, false, "  e2  SystemExited  {"));
#ifndef _WIN32
    child_interrupt(c);
#else
    child_end(c, true);
#endif
    child_wait(c, &r);
#ifndef _WIN32
    assert_int_equal(r.status, 0);
#endif
    assert_non_null(strstr(r.out, "\"ExitType\":\"ForcedExit\""));
    run_result_clear(&r);
}

/* stats: rates from two Statistics samples (stats.h), a table or JSON. */
static void stats_verb(void **state)
{
    (void)state;
    run_result r;
    running_container("st1");
    HCSCTL(0, NULL, &r, "stats", "--no-stream", "--json", "--interval", "0.2", "st1");
    json_t *rows = parse_json(r.out);
    assert_int_equal(json_array_size(rows), 1);
    json_t *row = json_array_get(rows, 0);
    assert_string_equal(json_string_value(json_object_get(row, "Id")), "st1");
    assert_true(json_is_true(json_object_get(row, "Running")));
    assert_true(json_is_number(json_object_get(row, "CpuPercent")));
    assert_true(json_is_integer(json_object_get(row, "MemoryUsageCommitBytes")));
    assert_true(json_is_number(json_object_get(row, "ReadBytesPerSecond")));
    assert_true(json_is_object(json_object_get(json_object_get(row, "Statistics"), "Memory")));
    json_decref(rows);
    run_result_clear(&r);

    HCSCTL(0, NULL, &r, "stats", "--no-stream", "--interval", "0.2");
    assert_ptr_equal(strstr(r.out, "ID "), r.out);
    assert_non_null(strstr(r.out, "CPU %"));
    assert_non_null(strstr(r.out, "\nst1 "));
    run_result_clear(&r);

    /* Streaming (not a terminal: one table after another) until Ctrl-C
     * (Windows: until ended). */
    child *c = spawn_hcsctl("stats", "--interval", "0.2", "st1", NULL);
    assert_true(child_wait_for(c, false, "\n\nID "));
#ifndef _WIN32
    child_interrupt(c);
    child_wait(c, &r);
    assert_int_equal(r.status, 0);
#else
    child_end(c, true);
    child_wait(c, &r);
#endif
    assert_non_null(strstr(r.out, "\nst1 "));
    run_result_clear(&r);

    HCSCTL(0, NULL, &r, "kill", "st1");
    run_result_clear(&r);
    HCSCTL(0, NULL, &r, "stats", "--no-stream", "--interval", "0.2", "st1");
    assert_non_null(strstr(r.out, "st1  (not running)"));
    run_result_clear(&r);
}

/* --namespace: a system made in a namespace is seen there only, by every
 * command that names it (HcsCreateComputeSystemInNamespace and siblings). */
static void namespaces(void **state)
{
    (void)state;
    run_result r;
    HCSCTL(0, NULL, &r, "--namespace", "tenant-a", "create", "n1", "--container");
    run_result_clear(&r);
    HCSCTL(0, NULL, &r, "start", "n1", "--namespace", "tenant-a");
    run_result_clear(&r);
    HCSCTL(0, NULL, &r, "--namespace", "tenant-a", "list", "-q");
    assert_string_equal(r.out, "n1\n");
    run_result_clear(&r);
    HCSCTL(0, NULL, &r, "--namespace", "tenant-b", "list", "-q");
    assert_string_equal(r.out, "");
    run_result_clear(&r);
    assert_state("n1", ""); /* not in the default namespace */
    HCSCTL(1, NULL, &r, "inspect", "n1");
    run_result_clear(&r);
    HCSCTL(0, NULL, &r, "--namespace", "tenant-a", "exec", "n1", "hostname");
    assert_string_equal(r.out, "n1\r\n");
    run_result_clear(&r);
    HCSCTL(0, NULL, &r, "--namespace", "tenant-a", "rm", "n1");
    run_result_clear(&r);
}

/* The provider in use is the daemon, found by its socket. */
static void service_is_the_daemon(void **state)
{
    (void)state;
    run_result r;
    HCSCTL(0, NULL, &r, "service", "--json");
    json_t *doc = parse_json(r.out);
    const char *provider = json_string_value(json_object_get(doc, "Provider"));
    assert_non_null(provider);
    assert_non_null(strstr(provider, "hcssimd at "));
    assert_non_null(strstr(provider, daemon_socket));
    json_decref(doc);
    assert_string_equal(r.err, ""); /* no note about the embedded simulator */
    run_result_clear(&r);
}

/* The message of a command that found no daemon names the socket (the
 * pipe) and how to start one there. */
static void assert_daemon_fix(const char *err, const char *socket)
{
    assert_non_null(strstr(err, socket));
#ifdef _WIN32
    char fix[512];
    snprintf(fix, sizeof fix, "no hcssimd.exe answers on %s: start it ('start hcssimd.exe --socket %s'", socket,
             socket);
    assert_non_null(strstr(err, fix));
    assert_non_null(strstr(err, "start it with `hcssimd.exe`, or point HCSSIM_SOCKET at its pipe"));
#else
    assert_non_null(strstr(err, "start hcssimd ('hcssimd &'"));
#endif
}

/* --provider names the daemon whatever HCS_PROVIDER says; on Windows, where
 * hcsctl drives computecore.dll unless told, that is how hcsctl.exe reaches
 * hcssimd.exe (docs/hcsctl.md, "The provider"). */
static void provider_named(void **state)
{
    (void)state;
#ifdef _WIN32
    test_setenv("HCS_PROVIDER", "hcssim.dll");
#else
    test_setenv("HCS_PROVIDER", "embedded");
#endif
    run_result r;
    HCSCTL(0, NULL, &r, "--provider", "hcssimd", "create", "pn1", "--container");
    run_result_clear(&r);
    HCSCTL(0, NULL, &r, "service", "--json", "--provider", "hcssimd");
    json_t *doc = parse_json(r.out);
    assert_non_null(strstr(json_string_value(json_object_get(doc, "Provider")), daemon_socket));
    json_decref(doc);
    run_result_clear(&r);
    /* The other provider is a host of the command's own: pn1 is not there. */
    HCSCTL(0, NULL, &r, "list", "-q");
    assert_string_equal(r.out, "");
    run_result_clear(&r);
    test_setenv("HCS_PROVIDER", "hcssimd");
    assert_state("pn1", "Created");
    remove_system("pn1");
#ifdef _WIN32
    test_setenv("HCS_PROVIDER", "hcssimd");
#else
    test_setenv("HCS_PROVIDER", NULL);
#endif
}

/* No daemon on the socket (pipe) named: exit 1, and the fix. */
static void no_daemon(void **state)
{
    (void)state;
    char *socket = new_socket();
    test_setenv("HCSSIM_SOCKET", socket);
    run_result r;
    HCSCTL(1, NULL, &r, "--provider", "hcssimd", "list");
    assert_null(strstr(r.out, "ID"));
    assert_non_null(strstr(r.err, "hcsctl: the compute service is gone (HCS_E_SERVICE_DISCONNECT)"));
    assert_daemon_fix(r.err, socket);
    run_result_clear(&r);
    test_setenv("HCSSIM_SOCKET", daemon_socket);
    free(socket);
}

/* The daemon killed (hcs-api §11 #38, docs/hcssimd.md "Disconnects"): a
 * running exec and events end with a clear message, and so does the next
 * command, whether hcsctl found the daemon by its socket or was told. */
static void daemon_killed(void **state)
{
    (void)state;
    char *socket = new_socket();
    child *d = start_daemon(socket);
    assert_non_null(d);
    test_setenv("HCSSIM_SOCKET", socket);
    running_container("k1");
    child *exec = spawn_hcsctl("exec", "k1", "--", "ping", "-n", "120", "127.0.0.1", NULL);
    child *events = spawn_hcsctl("events", NULL);
    assert_true(child_wait_for(exec, false, "Reply from"));
    assert_true(child_wait_for(events, true, "watching"));
    child_end(d, true);
    run_result r;
    child_wait(d, &r);
    run_result_clear(&r);

    child_wait(exec, &r);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "hcsctl: the compute service is gone (HCS_E_SERVICE_DISCONNECT)"));
    run_result_clear(&r);
    child_wait(events, &r);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.out, "ServiceDisconnect"));
    assert_non_null(strstr(r.err, "the compute service is gone"));
    run_result_clear(&r);

    HCSCTL(1, NULL, &r, "list");
    assert_non_null(strstr(r.err, "hcsctl: the compute service is gone (HCS_E_SERVICE_DISCONNECT)"));
    assert_daemon_fix(r.err, socket);
    run_result_clear(&r);
    test_setenv("HCS_PROVIDER", "hcssimd");
    HCSCTL(1, NULL, &r, "start", "k1");
    assert_non_null(strstr(r.err, "the compute service is gone (HCS_E_SERVICE_DISCONNECT)"));
    run_result_clear(&r);

#ifdef _WIN32
    test_setenv("HCS_PROVIDER", "hcssimd");
#else
    test_setenv("HCS_PROVIDER", NULL);
#endif
    test_setenv("HCSSIM_SOCKET", daemon_socket);
    remove(socket); /* what the killed daemon left */
    free(socket);
}

/* ---- the daemon --------------------------------------------------------- */

static int start(void **state)
{
    (void)state;
    daemon_socket = new_socket();
    daemon_proc = start_daemon(daemon_socket);
    if (!daemon_proc)
        return -1;
    test_setenv("HCSSIM_SOCKET", daemon_socket);
#ifdef _WIN32
    test_setenv("HCS_PROVIDER", "hcssimd");
#else
    test_setenv("HCS_PROVIDER", NULL); /* found by its socket */
#endif
    return 0;
}

/* cmocka (1.1.5) reports a failed group teardown but does not count it in
 * what cmocka_run_group_tests returns: main adds it. */
static bool stop_failed;

/* SIGTERM (Windows: hcssimd --stop): the daemon ends its systems and exits 0
 * (docs/hcssimd.md). */
static int stop(void **state)
{
    (void)state;
    int status = stop_test_daemon(daemon_proc, daemon_socket);
    stop_failed = status != 0;
    return status == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(service_is_the_daemon),
        cmocka_unit_test(container_lifecycle),
        cmocka_unit_test(exec_io),
#ifndef _WIN32
        cmocka_unit_test(exec_interrupts),
#endif
        cmocka_unit_test(create_and_list),
        cmocka_unit_test(vm_verbs),
        cmocka_unit_test(stop_kill_rm),
        cmocka_unit_test(wait_verb),
        cmocka_unit_test(events_verb),
        cmocka_unit_test(stats_verb),
        cmocka_unit_test(namespaces),
        cmocka_unit_test(provider_named),
        cmocka_unit_test(no_daemon),
        cmocka_unit_test(daemon_killed),
    };
    int failed = cmocka_run_group_tests(tests, start, stop);
    return failed || stop_failed ? 1 : 0;
}
