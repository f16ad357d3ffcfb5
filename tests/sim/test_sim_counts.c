/* hcssim gives everything back (hcssim_get_counts): once every handle is
 * closed and the work in flight has drained, the only objects left are the
 * systems HCS itself keeps, those that have not stopped (hcs-api §11 #26);
 * a stopped system with no handle is forgotten (§11 #25). This program
 * starts with an empty simulator and checks that it ends with one, after
 * each kind of path and after threads racing every call on shared
 * handles. */
#include "sim_helpers.h"

#include <stdatomic.h>

/* Waits (a hang guard, not a timing check) until the counts are `want`
 * (handle_slots aside). */
static void settle(const hcssim_counts *want)
{
    hcssim_counts now;
    uint64_t guard = hcs__clock_ms() + 30000;
    for (;;) {
        hcssim_get_counts(&now);
        if ((now.handles == want->handles && now.systems == want->systems && now.processes == want->processes &&
             now.operations == want->operations && now.requests == want->requests) ||
            hcs__clock_ms() > guard)
            break;
        hcs__sleep_ms(10);
    }
    if (now.handles != want->handles || now.systems != want->systems || now.processes != want->processes ||
        now.operations != want->operations || now.requests != want->requests)
        fail_msg("held: %u handles, %u systems, %u processes, %u operations, %u calls (want %u, %u, %u, %u, %u)",
                 now.handles, now.systems, now.processes, now.operations, now.requests, want->handles, want->systems,
                 want->processes, want->operations, want->requests);
}

static void settle_empty(void)
{
    hcssim_counts none = {0};
    settle(&none);
}

static void CALLBACK close_own_operation(HCS_OPERATION op, void *context)
{
    (void)context;
    HcsCloseOperation(op);
}

static atomic_int events_seen;

static void CALLBACK count_event(HCS_EVENT *event, void *context)
{
    (void)event;
    (void)context;
    events_seen++;
}

#define SURVIVOR_DOC W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Container\":{}}")
#define CLOSING_DOC                                                                                                    \
    W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Container\":{},\"ShouldTerminateOnLastHandleClosed\":true}")

/* Every path a handle can take ends with nothing held: processes closed
 * before or after their system's exit, a system closed while its processes
 * run, operations closed while pending or inside their own callback, failed
 * creates, last-handle termination, parked calls failed by the exit. A
 * running system without handles is kept, as HCS keeps it, until it is
 * opened and terminated. */
static void every_path_gives_everything_back(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its object counts");
    hcssim_counts empty = {0}, now;
    hcssim_get_counts(&now);
    assert_int_equal(now.handles, 0);
    assert_int_equal(now.systems, 0);

    /* a process outliving its system's handle, then the system stopped
     * through another handle */
    HCS_SYSTEM a = make_running(W("counts-a"), SURVIVOR_DOC);
    HCS_PROCESS pa = start_process(a, W("{\"CommandLine\":\"ping -n 1000 127.0.0.1\"}"), NULL);
    HcsCloseComputeSystem(a);
    HCS_SYSTEM a2 = NULL;
    assert_int_equal(HcsOpenComputeSystem(W("counts-a"), GENERIC_ALL, &a2), S_OK);
    assert_int_equal(HcsSetComputeSystemCallback(a2, HcsEventOptionEnableOperationCallbacks, NULL, count_event), S_OK);
    assert_int_equal(HcsSetProcessCallback(pa, HcsEventOptionNone, NULL, count_event), S_OK);
    assert_int_equal(run(HcsTerminateComputeSystem, a2), S_OK);
    free(process_exit_status(pa));
    HcsCloseComputeSystem(a2); /* stopped, but a process handle still names it */
    HcsCloseProcess(pa);

    /* a call parked for ever, its operation closed while pending: the exit
     * fails it */
    HCS_SYSTEM b = make_running(W("counts-b"), SURVIVOR_DOC);
    assert_int_equal(hcssim_set_latency("HcsGetComputeSystemProperties", HCSSIM_NEVER), 0);
    HCS_OPERATION stuck = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsGetComputeSystemProperties(b, stuck, NULL), S_OK);
    assert_int_equal(hcssim_set_latency("HcsGetComputeSystemProperties", 1), 0);
    HcsCloseOperation(stuck);
    /* an operation closing itself in its callback */
    assert_int_equal(HcsStartComputeSystem(b, HcsCreateOperation(NULL, close_own_operation), NULL), S_OK);
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HCS_PROCESS failed = NULL;
    assert_int_equal(HcsCreateProcess(b, W("{\"CommandLine\":\"notepad.exe\"}"), op, NULL, &failed), S_OK);
    assert_int_equal(wait_op(op), (HRESULT)0x80070002);
    HcsCloseOperation(op);
    HcsCloseProcess(failed);
    HCS_PROCESS_INFORMATION info;
    HCS_PROCESS pb =
        start_process(b, W("{\"CommandLine\":\"more\",\"CreateStdInPipe\":true,\"CreateStdOutPipe\":true}"), &info);
    op = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsGetProcessInfo(pb, op), S_OK); /* its handles never taken: closed with the operation */
    HcsCloseOperation(op);
    handle_close(info.StdInput);
    handle_close(info.StdOutput);
    HcsCloseProcess(pb); /* still running */
    assert_int_equal(run(HcsTerminateComputeSystem, b), S_OK);
    HcsCloseComputeSystem(b);

    /* a failed create and a duplicate id */
    HCS_SYSTEM bad = NULL;
    op = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsCreateComputeSystem(W("counts-bad"), W("{}"), op, NULL, &bad), S_OK);
    assert_int_equal(wait_op(op), HCS_E_INVALID_JSON);
    HcsCloseComputeSystem(bad);
    HCS_SYSTEM c = make_container(W("counts-c"), SURVIVOR_DOC);
    HCS_SYSTEM dup = NULL;
    assert_int_equal(HcsCreateComputeSystem(W("counts-c"), SURVIVOR_DOC, op, NULL, &dup), S_OK);
    assert_int_equal(wait_op(op), HCS_E_SYSTEM_ALREADY_EXISTS);
    HcsCloseComputeSystem(dup);
    HcsCloseOperation(op);

    /* a Created system without handles is kept (§11 #26) ... */
    HcsCloseComputeSystem(c);
    settle(&(hcssim_counts){.systems = 1});
    /* ... until it is opened and terminated */
    assert_int_equal(HcsOpenComputeSystem(W("counts-c"), GENERIC_ALL, &c), S_OK);
    assert_int_equal(run(HcsTerminateComputeSystem, c), S_OK);
    HcsCloseComputeSystem(c);

    /* the last handle's close terminates, while running and while creating */
    HCS_SYSTEM d = make_running(W("counts-d"), CLOSING_DOC);
    HCS_PROCESS pd = start_process(d, W("{\"CommandLine\":\"ping -n 1000 127.0.0.1\"}"), NULL);
    HcsCloseComputeSystem(d);
    free(process_exit_status(pd));
    HcsCloseProcess(pd);
    op = HcsCreateOperation(NULL, NULL);
    HCS_SYSTEM e = NULL;
    assert_int_equal(HcsCreateComputeSystem(W("counts-e"), CLOSING_DOC, op, NULL, &e), S_OK);
    HcsCloseComputeSystem(e);
    HcsCloseOperation(op);

    /* a VM through pause, save to file (it exits) */
    HCS_SYSTEM vm = make_running(W("counts-vm"), VM_DOC);
    assert_int_equal(run(HcsPauseComputeSystem, vm), S_OK);
    assert_int_equal(run_with(HcsSaveComputeSystem, vm, W("{\"SaveType\":\"ToFile\"}"), NULL), S_OK);
    HcsCloseComputeSystem(vm);
    settle(&empty);
}

/* Every field is filled while something is held (hcssim.h: the function
 * fills the whole struct): a running system, its process, an open
 * operation and the call parked on it are each counted, and the parked
 * call failed by the system's exit gives everything back. */
static void counts_see_what_is_held(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its object counts");
    settle_empty();
    HCS_SYSTEM sys = make_running(W("counts-held"), SURVIVOR_DOC);
    HCS_PROCESS proc = start_process(sys, W("{\"CommandLine\":\"ping -n 1000 127.0.0.1\"}"), NULL);
    assert_int_equal(hcssim_set_latency("HcsGetComputeSystemProperties", HCSSIM_NEVER), 0);
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsGetComputeSystemProperties(sys, op, NULL), S_OK);
    assert_int_equal(hcssim_set_latency("HcsGetComputeSystemProperties", 1), 0);
    settle(&(hcssim_counts){.handles = 3, .systems = 1, .processes = 1, .operations = 1, .requests = 1});
    assert_int_equal(run(HcsTerminateComputeSystem, sys), S_OK);
    assert_int_equal(wait_op(op), HCS_E_SYSTEM_ALREADY_STOPPED);
    HcsCloseOperation(op);
    HcsCloseProcess(proc);
    HcsCloseComputeSystem(sys);
    settle_empty();
}

/* ---- threads racing every call on shared handles ------------------------ */

enum { SLOTS = 8, THREADS = 8, IDS = 4096 };

static struct {
    atomic_uintptr_t systems[SLOTS];
    atomic_uintptr_t processes[SLOTS];
    atomic_int next_id;
    uint64_t stop_at;
} storm;

static uint32_t next_rand(uint32_t *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return *seed >> 8;
}

static void id_of(int n, char *out, size_t size) { snprintf(out, size, "counts-storm-%d", n); }

/* Runs a call with an operation that is waited for, closed at once, or
 * closed by its own callback. */
static void call_three_ways(uint32_t *seed, HRESULT (*start)(HCS_OPERATION, void *), void *arg)
{
    switch (next_rand(seed) % 3) {
    case 0: {
        HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
        if (SUCCEEDED(start(op, arg)))
            wait_op(op);
        HcsCloseOperation(op);
        break;
    }
    case 1: {
        HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
        start(op, arg);
        HcsCloseOperation(op); /* maybe still pending */
        break;
    }
    default: {
        HCS_OPERATION op = HcsCreateOperation(NULL, close_own_operation);
        if (FAILED(start(op, arg)))
            HcsCloseOperation(op);
    }
    }
}

typedef struct system_call {
    HCS_SYSTEM sys;
    int which;
} system_call;

static HRESULT start_system_call(HCS_OPERATION op, void *arg)
{
    system_call *c = arg;
    switch (c->which) {
    case 0:
        return HcsStartComputeSystem(c->sys, op, NULL);
    case 1:
        return HcsGetComputeSystemProperties(c->sys, op, W("{\"PropertyTypes\":[\"Statistics\",\"ProcessList\"]}"));
    case 2:
        return HcsPauseComputeSystem(c->sys, op, NULL);
    case 3:
        return HcsResumeComputeSystem(c->sys, op, NULL);
    case 4:
        return HcsShutDownComputeSystem(c->sys, op, NULL);
    case 5:
        return HcsCrashComputeSystem(c->sys, op, NULL);
    default:
        return HcsTerminateComputeSystem(c->sys, op, NULL);
    }
}

typedef struct process_call {
    HCS_PROCESS proc;
    int which;
} process_call;

static HRESULT start_process_call(HCS_OPERATION op, void *arg)
{
    process_call *c = arg;
    switch (c->which) {
    case 0:
        return HcsTerminateProcess(c->proc, op, NULL);
    case 1:
        return HcsSignalProcess(c->proc, op, W("{\"Signal\":\"CtrlC\"}"));
    case 2:
        return HcsGetProcessProperties(c->proc, op, NULL);
    case 3:
        return HcsGetProcessInfo(c->proc, op);
    default:
        return HcsModifyProcess(c->proc, op, W("{\"Operation\":\"CloseHandle\",\"CloseHandle\":{\"Handle\":\"All\"}}"));
    }
}

static void new_system(uint32_t *seed)
{
    int n = storm.next_id++;
    if (n >= IDS)
        return;
    char id[32];
    id_of(n, id, sizeof id);
    WCHAR *wid = widen(id);
    PCWSTR docs[] = {SURVIVOR_DOC, CLOSING_DOC, VM_DOC};
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HCS_SYSTEM sys = NULL;
    if (SUCCEEDED(HcsCreateComputeSystem(wid, docs[next_rand(seed) % 3], op, NULL, &sys))) {
        if (next_rand(seed) % 4 == 0)
            HcsSetComputeSystemCallback(sys, HcsEventOptionNone, NULL, count_event);
        if (wait_op(op) == S_OK && next_rand(seed) % 4 != 0 && HcsStartComputeSystem(sys, op, NULL) == S_OK)
            wait_op(op);
        HCS_SYSTEM old = (HCS_SYSTEM)atomic_exchange(&storm.systems[next_rand(seed) % SLOTS], (uintptr_t)sys);
        HcsCloseComputeSystem(old);
    }
    HcsCloseOperation(op);
    free(wid);
}

static void new_process(uint32_t *seed)
{
    static PCWSTR programs[] = {
        W("{\"CommandLine\":\"cmd /c exit 3\"}"),
        W("{\"CommandLine\":\"ping -n 2 127.0.0.1\",\"CreateStdOutPipe\":true}"),
        W("{\"CommandLine\":\"hcssim-alloc 1 20\"}"),
        W("{\"CommandLine\":\"findstr "
          "x\",\"CreateStdInPipe\":true,\"CreateStdOutPipe\":true,\"CreateStdErrPipe\":true}"),
        W("{\"CommandLine\":\"nothing-such\"}"),
    };
    HCS_SYSTEM sys = (HCS_SYSTEM)atomic_load(&storm.systems[next_rand(seed) % SLOTS]);
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HCS_PROCESS proc = NULL;
    if (SUCCEEDED(HcsCreateProcess(sys, programs[next_rand(seed) % 5], op, NULL, &proc))) {
        HCS_PROCESS_INFORMATION info;
        if (next_rand(seed) % 2 && HcsWaitForOperationResultAndProcessInfo(op, INFINITE, &info, NULL) == S_OK) {
            handle_close(info.StdInput);
            handle_close(info.StdOutput);
            handle_close(info.StdError);
        }
        if (next_rand(seed) % 3 == 0)
            HcsSetProcessCallback(proc, HcsEventOptionNone, NULL, count_event);
        HCS_PROCESS old = (HCS_PROCESS)atomic_exchange(&storm.processes[next_rand(seed) % SLOTS], (uintptr_t)proc);
        HcsCloseProcess(old);
    }
    HcsCloseOperation(op); /* closes the handles of an outcome nobody took */
}

static void storm_thread(void *arg)
{
    uint32_t seed = (uint32_t)(uintptr_t)arg * 2654435761u + 7;
    while (hcs__clock_ms() < storm.stop_at) {
        switch (next_rand(&seed) % 8) {
        case 0:
            new_system(&seed);
            break;
        case 1:
        case 2:
            new_process(&seed);
            break;
        case 3: {
            process_call c = {(HCS_PROCESS)atomic_load(&storm.processes[next_rand(&seed) % SLOTS]),
                              (int)(next_rand(&seed) % 5)};
            call_three_ways(&seed, start_process_call, &c);
            break;
        }
        case 4: /* close a handle, maybe while others use it */
            if (next_rand(&seed) % 2)
                HcsCloseProcess((HCS_PROCESS)atomic_exchange(&storm.processes[next_rand(&seed) % SLOTS], 0));
            else
                HcsCloseComputeSystem((HCS_SYSTEM)atomic_exchange(&storm.systems[next_rand(&seed) % SLOTS], 0));
            break;
        case 5: { /* a second handle to a system */
            char id[32];
            id_of((int)(next_rand(&seed) % (unsigned)(storm.next_id + 1)), id, sizeof id);
            WCHAR *wid = widen(id);
            HCS_SYSTEM sys = NULL;
            if (HcsOpenComputeSystem(wid, GENERIC_ALL, &sys) == S_OK) {
                HCS_SYSTEM old = (HCS_SYSTEM)atomic_exchange(&storm.systems[next_rand(&seed) % SLOTS], (uintptr_t)sys);
                HcsCloseComputeSystem(old);
            }
            free(wid);
            break;
        }
        default: {
            system_call c = {(HCS_SYSTEM)atomic_load(&storm.systems[next_rand(&seed) % SLOTS]),
                             (int)(next_rand(&seed) % 8)};
            call_three_ways(&seed, start_system_call, &c);
        }
        }
    }
}

/* Threads race creates, starts, every lifecycle call, processes, process
 * calls, second handles and closes on shared handles; then every system
 * left is opened and terminated and every handle closed: nothing is left. */
static void racing_calls_give_everything_back(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its object counts");
    storm.stop_at = hcs__clock_ms() + 2000;
    hcs_thread t[THREADS];
    for (unsigned i = 0; i < THREADS; i++)
        assert_int_equal(hcs__thread_start(&t[i], storm_thread, (void *)(uintptr_t)(i + 1)), 0);
    for (unsigned i = 0; i < THREADS; i++)
        hcs__thread_join(t[i]);
    for (int i = 0; i < SLOTS; i++) {
        HcsCloseProcess((HCS_PROCESS)atomic_exchange(&storm.processes[i], 0));
        HcsCloseComputeSystem((HCS_SYSTEM)atomic_exchange(&storm.systems[i], 0));
    }
    int made = storm.next_id < IDS ? storm.next_id : IDS;
    for (int n = 0; n < made; n++) {
        char id[32];
        id_of(n, id, sizeof id);
        WCHAR *wid = widen(id);
        HCS_SYSTEM sys = NULL;
        if (HcsOpenComputeSystem(wid, GENERIC_ALL, &sys) == S_OK) {
            run(HcsTerminateComputeSystem, sys); /* may already be stopping */
            HcsCloseComputeSystem(sys);
        }
        free(wid);
    }
    print_message("counts: %d systems made, %d events seen\n", made, (int)events_seen);
    settle_empty();
}

int main(void)
{
    hcssim_set_latency(NULL, 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_path_gives_everything_back),
        cmocka_unit_test(counts_see_what_is_held),
        cmocka_unit_test(racing_calls_give_everything_back),
    };
    return cmocka_run_group_tests_name("hcssim gives everything back", tests, NULL, NULL);
}
