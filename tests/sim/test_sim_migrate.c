/* hcssim conformance: live migration of a virtual machine (hcs-newest §4,
 * §5 #2, #5-#24), build 24H2. Both sides run on this one simulated host,
 * as two systems joined by a connected socket pair: the source's state
 * (memory size, devices, running guest processes) travels over the socket
 * exactly as it does between two hcssimd instances. */
#include "sim_helpers.h"

typedef HRESULT(WINAPI *add_resource_fn)(HCS_OPERATION, HCS_RESOURCE_TYPE, PCWSTR, HANDLE);
static add_resource_fn add_resource;
static lifecycle_fn lm_initialize, lm_start_source, lm_transfer, lm_finalize, lm_cancel;

#define VM_WITH_DEVICES                                                                                                \
    W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"VirtualMachine\":{\"ComputeTopology\":{\"Memory\":"              \
      "{\"SizeInMB\":1536},\"Processor\":{\"Count\":2}},\"Devices\":{\"Scsi\":{\"0\":{\"Attachments\":{}}}},"          \
      "\"GuestConnection\":{}}}")
#define EMPTY_VM                                                                                                       \
    W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"VirtualMachine\":{\"ComputeTopology\":{\"Memory\":"              \
      "{\"SizeInMB\":256}},\"GuestConnection\":{}}}")
#define LM_SOCKET HCS_LIVE_MIGRATION_SOCKET_URI

static int setup(void **state)
{
    (void)state;
    add_resource = (add_resource_fn)hcssim_proc_address("HcsAddResourceToOperation");
    lm_initialize = (lifecycle_fn)hcssim_proc_address("HcsInitializeLiveMigrationOnSource");
    lm_start_source = (lifecycle_fn)hcssim_proc_address("HcsStartLiveMigrationOnSource");
    lm_transfer = (lifecycle_fn)hcssim_proc_address("HcsStartLiveMigrationTransfer");
    lm_finalize = (lifecycle_fn)hcssim_proc_address("HcsFinalizeLiveMigration");
    lm_cancel = (lifecycle_fn)hcssim_proc_address("HcsCancelLiveMigration");
    return add_resource && lm_initialize && lm_start_source && lm_transfer && lm_finalize && lm_cancel ? 0 : -1;
}

/* One side: its system, its event log (option 4), its end of the socket. */
typedef struct side {
    char *id;
    HCS_SYSTEM sys;
    event_log log;
    HANDLE socket;
} side;

static void side_open(side *s, const char *tag, PCWSTR doc, bool running, HANDLE socket)
{
    PCWSTR id = test_id(tag);
    s->id = narrow(id);
    s->sys = running ? make_running(id, doc) : make_container(id, doc);
    event_log_init(&s->log);
    assert_int_equal(HcsSetComputeSystemCallback(s->sys, HCS_EVENT_OPTION_LIVE_MIGRATION, &s->log, event_log_callback),
                     S_OK);
    s->socket = socket;
}

static void side_close(side *s)
{
    HcsCloseComputeSystem(s->sys);
    free(s->id);
    event_log_free(&s->log);
    socket_close(s->socket);
}

/* The usual pair over a fresh socket pair: a running VM with devices as
 * the source, a created empty VM as the destination ("tag-src",
 * "tag-dst"). */
static void sides_open(side *src, side *dst, const char *tag)
{
    HANDLE pair[2];
    socket_pair(pair);
    char name[32];
    snprintf(name, sizeof name, "%s-src", tag);
    side_open(src, name, VM_WITH_DEVICES, true, pair[0]);
    snprintf(name, sizeof name, "%s-dst", tag);
    side_open(dst, name, EMPTY_VM, false, pair[1]);
}

/* A call whose operation carries the socket (§5 #5). */
static HRESULT run_with_socket(lifecycle_fn fn, side *s, PCWSTR options)
{
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    assert_int_equal(add_resource(op, HcsResourceTypeSocket, LM_SOCKET, s->socket), S_OK);
    HRESULT hr = fn(s->sys, op, options);
    if (SUCCEEDED(hr))
        hr = wait_op(op);
    HcsCloseOperation(op);
    return hr;
}

/* Source initialized and started, destination started, both on session. */
static void prepare(side *src, side *dst, const char *session_src, const char *session_dst)
{
    char text[128];
    assert_int_equal(run_with(lm_initialize, src->sys, W("{\"Origin\":\"Source\",\"MemoryTransport\":\"TCP\"}"), NULL),
                     S_OK);
    snprintf(text, sizeof text, "{\"NetworkSettings\":{\"SessionId\":%s}}", session_src);
    WCHAR *options = widen(text);
    assert_int_equal(run_with_socket(lm_start_source, src, options), S_OK);
    free(options);
    snprintf(text, sizeof text, "{\"DestinationMigrationOptions\":{\"NetworkSettings\":{\"SessionId\":%s}}}",
             session_dst);
    options = widen(text);
    assert_int_equal(run_with_socket(HcsStartComputeSystem, dst, options), S_OK);
    free(options);
}

/* Starts the transfer on a side; returns its operation, still pending. */
static HCS_OPERATION transfer_begin(side *s, PCWSTR options)
{
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    assert_int_equal(lm_transfer(s->sys, op, options), S_OK);
    return op;
}

static HRESULT transfer_end_doc(HCS_OPERATION op, char **doc)
{
    assert_int_equal(HcsGetOperationType(op), HCS_OPERATION_TYPE_LIVE_MIGRATION); /* §5 #2 */
    HRESULT hr = wait_doc(op, doc);
    HcsCloseOperation(op);
    return hr;
}

static HRESULT transfer_end(HCS_OPERATION op) { return transfer_end_doc(op, NULL); }

/* The live migration events of a log, as "Event/Result" words. */
static void lm_events(event_log *log, char *out, size_t size)
{
    out[0] = 0;
    hcs__mutex_lock(&log->mu);
    for (int i = 0; i < log->count; i++) {
        if (log->types[i] != HCS_EVENT_GROUP_LIVE_MIGRATION || !log->data[i])
            continue;
        const char *event = strstr(log->data[i], "\"Event\":\"");
        const char *result = strstr(log->data[i], "\"Result\":\"");
        char word[64];
        snprintf(word, sizeof word, "%.*s%s%.*s ", event ? (int)strcspn(event + 9, "\"") : 0, event ? event + 9 : "",
                 result ? "/" : "", result ? (int)strcspn(result + 10, "\"") : 0, result ? result + 10 : "");
        strncat(out, word, size - strlen(out) - 1);
    }
    hcs__mutex_unlock(&log->mu);
}

/* Waits (a hang guard per event, not a timing check) for an event. */
static void wait_lm_event(side *s, const char *word)
{
    char seen[512];
    lm_events(&s->log, seen, sizeof seen);
    for (int n = 1; !strstr(seen, word) && n < EVENT_LOG_MAX; n++) {
        if (event_log_wait(&s->log, n) < n)
            break;
        lm_events(&s->log, seen, sizeof seen);
    }
    assert_non_null(strstr(seen, word));
}

/* hcs-newest §4.2, §4.3, §5 #8-#16, #18: a running VM with a guest process
 * moves; the destination has its memory, processors, devices and the
 * process; the source is stopped by Finalize Stop; the events come in
 * order on each side */
static void migrate_a_running_vm(void **state)
{
    (void)state;
    side src, dst;
    sides_open(&src, &dst, "lm");
    HCS_PROCESS proc = start_process(src.sys, W("{\"CommandLine\":\"ping -n 600 127.0.0.1\"}"), NULL);
    prepare(&src, &dst, "7", "7");
    /* §5 #8: only the migration's calls while it runs */
    assert_int_equal(run(HcsPauseComputeSystem, src.sys), HCS_E_INVALID_STATE);
    HCS_OPERATION to = transfer_begin(&dst, W("{\"Origin\":\"Destination\"}"));
    HCS_OPERATION from = transfer_begin(&src, W("{\"Origin\":\"Source\"}"));
    assert_int_equal(transfer_end(from), S_OK);
    assert_int_equal(transfer_end(to), S_OK);
    /* §5 #21: nothing left to cancel */
    assert_int_equal(run_with(lm_cancel, src.sys, W("{\"Origin\":\"Source\"}"), NULL), HCS_E_INVALID_STATE);
    assert_int_equal(run_with(lm_finalize, src.sys, W("{\"Origin\":\"Source\",\"FinalizedOperation\":\"Stop\"}"), NULL),
                     S_OK);
    assert_int_equal(
        run_with(lm_finalize, dst.sys, W("{\"Origin\":\"Destination\",\"FinalizedOperation\":\"Resume\"}"), NULL),
        S_OK);
    char seen[512];
    lm_events(&src.log, seen, sizeof seen);
    assert_string_equal(seen, "SetupDone TransferInProgress BlackoutStarted OfflineDone/Success "
                              "BlackoutExited/Success MigrationDone/Success ");
    lm_events(&dst.log, seen, sizeof seen);
    assert_string_equal(seen, "SetupDone TransferInProgress MigrationDone/Success ");
    /* §5 #12: the source exits with SystemExited */
    char *exit = process_exit_status(proc);
    free(exit);
    assert_int_equal(HcsWaitForComputeSystemExit(src.sys, INFINITE, NULL), S_OK);
    char *props = properties(dst.sys);
    assert_non_null(strstr(props, "\"State\":\"Running\""));
    free(props);
    char *doc = NULL;
    assert_int_equal(
        run_with(HcsGetComputeSystemProperties, dst.sys, W("{\"PropertyTypes\":[\"ProcessList\",\"Memory\"]}"), &doc),
        S_OK);
    assert_non_null(strstr(doc, "\"ImageName\":\"ping"));
    assert_non_null(strstr(doc, "\"AssignedMemory\":393216")); /* the source's 1536 MiB in 4 KiB pages */
    free(doc);
    HcsCloseProcess(proc);
    assert_int_equal(run(HcsTerminateComputeSystem, dst.sys), S_OK);
    side_close(&src);
    side_close(&dst);
}

/* The id of a process as its system's ProcessList shows it, or NULL. */
static const char *listed_pid(const char *doc, DWORD pid)
{
    char key[32];
    snprintf(key, sizeof key, "\"ProcessId\":%lu,", (unsigned long)pid);
    return strstr(doc, key);
}

/* hcs-newest §4.1, §4.3 D5: a guest process that migrates keeps its id
 * (inferred: a migrated VM's guest is the same guest): the destination
 * lists it and HcsOpenProcess finds it there by the source's pid, even
 * while the source still runs its own; a new process on the destination
 * gets another id */
static void process_ids_kept(void **state)
{
    (void)state;
    side src, dst;
    sides_open(&src, &dst, "pid");
    HCS_PROCESS_INFORMATION info;
    HCS_PROCESS proc = start_process(src.sys, W("{\"CommandLine\":\"ping -n 600 127.0.0.1\"}"), &info);
    prepare(&src, &dst, "21", "21");
    HCS_OPERATION to = transfer_begin(&dst, NULL);
    HCS_OPERATION from = transfer_begin(&src, NULL);
    assert_int_equal(transfer_end(from), S_OK);
    assert_int_equal(transfer_end(to), S_OK);
    assert_int_equal(run_with(lm_finalize, dst.sys, W("{\"FinalizedOperation\":\"Resume\"}"), NULL), S_OK);
    HCS_PROCESS moved = NULL, original = NULL;
    assert_int_equal(HcsOpenProcess(dst.sys, info.ProcessId, GENERIC_ALL, &moved), S_OK);
    assert_int_equal(HcsOpenProcess(src.sys, info.ProcessId, GENERIC_ALL, &original), S_OK); /* not stopped yet */
    HcsCloseProcess(original);
    char *doc = NULL;
    assert_int_equal(run_with(HcsGetComputeSystemProperties, dst.sys, W("{\"PropertyTypes\":[\"ProcessList\"]}"), &doc),
                     S_OK);
    assert_non_null(listed_pid(doc, info.ProcessId));
    free(doc);
    HCS_PROCESS_INFORMATION fresh;
    HCS_PROCESS other = start_process(dst.sys, W("{\"CommandLine\":\"ping -n 600 127.0.0.1\"}"), &fresh);
    assert_int_not_equal(fresh.ProcessId, info.ProcessId);
    assert_int_equal(run_with(lm_finalize, src.sys, W("{\"FinalizedOperation\":\"Stop\"}"), NULL), S_OK);
    assert_int_equal(HcsWaitForComputeSystemExit(src.sys, INFINITE, NULL), S_OK);
    free(process_exit_status(proc)); /* the source's ends with its VM */
    assert_int_equal(HcsOpenProcess(src.sys, info.ProcessId, GENERIC_ALL, &original), (HRESULT)0x80070490);
    HcsCloseProcess(moved); /* opened again once the source has gone */
    assert_int_equal(HcsOpenProcess(dst.sys, info.ProcessId, GENERIC_ALL, &moved), S_OK);
    HcsCloseProcess(moved);
    HcsCloseProcess(other);
    HcsCloseProcess(proc);
    assert_int_equal(run(HcsTerminateComputeSystem, dst.sys), S_OK);
    side_close(&src);
    side_close(&dst);
}

/* hcs-newest §4.5, §5 #20, #22: a cancel while the transfer runs fails the
 * transfer; the source resumes with Finalize Resume, the destination is
 * discarded with Finalize Stop */
static void cancel_during_the_transfer(void **state)
{
    (void)state;
    side src, dst;
    sides_open(&src, &dst, "cancel");
    prepare(&src, &dst, "9", "9");
    HCS_OPERATION from = transfer_begin(&src, NULL); /* the destination never answers */
    wait_lm_event(&src, "BlackoutStarted");
    /* inferred (docs/simulator-fidelity.md): no finalize while the transfer runs */
    assert_int_equal(run_with(lm_finalize, src.sys, W("{\"FinalizedOperation\":\"Resume\"}"), NULL),
                     HCS_E_INVALID_STATE);
    assert_int_equal(run_with(lm_cancel, src.sys, W("{\"Origin\":\"Source\"}"), NULL), S_OK);
    assert_int_equal(transfer_end(from), (HRESULT)0x800704C7);
    wait_lm_event(&src, "MigrationFailed/MigrationCancelled");
    assert_int_equal(run_with(lm_cancel, dst.sys, W("{\"Origin\":\"Destination\"}"), NULL), S_OK);
    assert_int_equal(run_with(lm_finalize, src.sys, W("{\"FinalizedOperation\":\"Resume\"}"), NULL), S_OK);
    assert_int_equal(run_with(lm_finalize, dst.sys, W("{\"FinalizedOperation\":\"Stop\"}"), NULL), S_OK);
    char *props = properties(src.sys);
    assert_non_null(strstr(props, "\"State\":\"Running\""));
    free(props);
    assert_int_equal(HcsWaitForComputeSystemExit(dst.sys, INFINITE, NULL), S_OK);
    /* the source is an ordinary running VM again */
    assert_int_equal(run(HcsPauseComputeSystem, src.sys), S_OK);
    assert_int_equal(run(HcsTerminateComputeSystem, src.sys), S_OK);
    side_close(&src);
    side_close(&dst);
}

/* hcs-newest §5 #15: sessions that differ fail both transfers */
static void sessions_must_match(void **state)
{
    (void)state;
    side src, dst;
    sides_open(&src, &dst, "sess");
    prepare(&src, &dst, "1", "2");
    HCS_OPERATION to = transfer_begin(&dst, NULL);
    HCS_OPERATION from = transfer_begin(&src, NULL);
    assert_int_equal(transfer_end(to), (HRESULT)0x8007000D);
    assert_int_equal(transfer_end(from), (HRESULT)0x8007000D);
    wait_lm_event(&src, "MigrationFailed/SourceMigrationFailed");
    wait_lm_event(&dst, "MigrationFailed/DestinationMigrationFailed");
    assert_int_equal(run_with(lm_finalize, src.sys, W("{\"FinalizedOperation\":\"Resume\"}"), NULL), S_OK);
    assert_int_equal(run(HcsTerminateComputeSystem, src.sys), S_OK);
    assert_int_equal(run(HcsTerminateComputeSystem, dst.sys), S_OK);
    side_close(&src);
    side_close(&dst);
}

/* hcs-newest §5 #8, #10, #14: the preconditions: a running VM to
 * initialize, an initialize before the start, a socket on the start's
 * operation; a container does not migrate */
static void preconditions(void **state)
{
    (void)state;
    HCS_SYSTEM vm = make_container(test_id("pre-vm"), EMPTY_VM);
    assert_int_equal(run(lm_initialize, vm), HCS_E_INVALID_STATE); /* created, not running */
    assert_int_equal(run_with(HcsStartComputeSystem, vm, W("{\"DestinationMigrationOptions\":{}}"), NULL),
                     E_INVALIDARG); /* no socket */
    assert_int_equal(run(HcsStartComputeSystem, vm), S_OK);
    assert_int_equal(run(lm_start_source, vm), HCS_E_INVALID_STATE); /* not initialized */
    assert_int_equal(run(lm_transfer, vm), HCS_E_INVALID_STATE);
    assert_int_equal(run(lm_finalize, vm), HCS_E_INVALID_STATE);
    assert_int_equal(run(lm_cancel, vm), HCS_E_INVALID_STATE);
    assert_int_equal(run(lm_initialize, vm), S_OK);
    assert_int_equal(run(lm_initialize, vm), HCS_E_INVALID_STATE); /* twice */
    assert_int_equal(run(lm_start_source, vm), E_INVALIDARG);      /* no socket */
    assert_int_equal(run_with(lm_finalize, vm, W("{\"Origin\":\"Destination\"}"), NULL), E_INVALIDARG);
    assert_int_equal(run(lm_finalize, vm), S_OK); /* Resume by default */
    assert_int_equal(run(HcsTerminateComputeSystem, vm), S_OK);
    HcsCloseComputeSystem(vm);
    HCS_SYSTEM container = make_running(test_id("pre-ct"), CONTAINER_DOC);
    assert_int_equal(run(lm_initialize, container), (HRESULT)0x80070032);
    assert_int_equal(run(HcsTerminateComputeSystem, container), S_OK);
    HcsCloseComputeSystem(container);
}

/* A broken connection (the peer gone) fails the transfer as cut. */
static void peer_gone(void **state)
{
    (void)state;
    side src, dst;
    sides_open(&src, &dst, "cut");
    prepare(&src, &dst, "3", "3");
    assert_int_equal(run(HcsTerminateComputeSystem, dst.sys), S_OK); /* its socket closes */
    socket_close(dst.socket);
    dst.socket = INVALID_HANDLE_VALUE;
    HCS_OPERATION from = transfer_begin(&src, NULL);
    assert_int_equal(transfer_end(from), (HRESULT)0x800704D4);
    wait_lm_event(&src, "MigrationFailed/SourceMigrationFailed");
    assert_int_equal(run(lm_finalize, src.sys), S_OK);
    assert_int_equal(run(HcsTerminateComputeSystem, src.sys), S_OK);
    side_close(&src);
    side_close(&dst);
}

/* The assigned memory of a VM, in 4 KiB pages. */
static long long assigned_pages(HCS_SYSTEM sys)
{
    char *doc = NULL;
    assert_int_equal(run_with(HcsGetComputeSystemProperties, sys, W("{\"PropertyTypes\":[\"Memory\"]}"), &doc), S_OK);
    const char *at = strstr(doc, "\"AssignedMemory\":");
    long long pages = at ? strtoll(at + 17, NULL, 10) : -1;
    free(doc);
    return pages;
}

/* One transfer that the fault plan of one side (`cutter`: the source or
 * the destination) cuts with `rule` (docs/fault-plans.md, "cut"). Both
 * transfers fail with 0x800704D4; the cutter's ResultError says the plan
 * cut it, the peer's that the connection closed. The source, back from its
 * blackout when it had entered one, runs on and takes Finalize Resume; the
 * destination took nothing of the partial state, refuses Resume and is
 * discarded by Stop (hcs-newest §4.5, §5 #11, #20, #22). */
static void cut_once(const char *rule, bool by_source, int blackout)
{
    side src, dst;
    sides_open(&src, &dst, "cut");
    prepare(&src, &dst, "4", "4");
    char text[256];
    snprintf(text, sizeof text, "{\"faults\":[{\"call\":\"HcsStartLiveMigrationTransfer\",\"system\":\"%s\",%s}]}",
             by_source ? src.id : dst.id, rule);
    plan(text);
    HCS_OPERATION to = transfer_begin(&dst, NULL);
    HCS_OPERATION from = transfer_begin(&src, NULL);
    char *from_doc = NULL, *to_doc = NULL;
    assert_int_equal(transfer_end_doc(from, &from_doc), (HRESULT)0x800704D4);
    assert_int_equal(transfer_end_doc(to, &to_doc), (HRESULT)0x800704D4);
    assert_non_null(strstr(by_source ? from_doc : to_doc, "the fault plan cut the transfer"));
    assert_non_null(strstr(by_source ? to_doc : from_doc, "the connection to the other host was closed"));
    free(from_doc);
    free(to_doc);
    wait_lm_event(&src, "MigrationFailed/SourceMigrationFailed");
    wait_lm_event(&dst, "MigrationFailed/DestinationMigrationFailed");
    char seen[512];
    lm_events(&src.log, seen, sizeof seen);
    if (blackout >= 0) /* known when the source cut: the blackout follows the memory phase */
        assert_true((strstr(seen, "BlackoutStarted") != NULL) == (blackout == 1));
    if (strstr(seen, "BlackoutStarted")) { /* inferred: the blackout ends in a recovery */
        wait_lm_event(&src, "MigrationRecoveryDone/Success");
        lm_events(&src.log, seen, sizeof seen);
        assert_non_null(strstr(seen, "MigrationFailed/SourceMigrationFailed MigrationRecoveryDone/Success"));
    }
    assert_null(strstr(seen, "MigrationDone"));
    char *props = properties(src.sys);
    assert_non_null(strstr(props, "\"State\":\"Running\""));
    free(props);
    assert_int_equal(run_with(lm_finalize, dst.sys, W("{\"FinalizedOperation\":\"Resume\"}"), NULL),
                     HCS_E_INVALID_STATE);
    assert_int_equal(assigned_pages(dst.sys), 256 * 256); /* its own 256 MiB, not the source's */
    assert_int_equal(run_with(lm_finalize, dst.sys, W("{\"FinalizedOperation\":\"Stop\"}"), NULL), S_OK);
    assert_int_equal(HcsWaitForComputeSystemExit(dst.sys, INFINITE, NULL), S_OK);
    assert_int_equal(run_with(lm_finalize, src.sys, W("{\"FinalizedOperation\":\"Resume\"}"), NULL), S_OK);
    assert_int_equal(run(HcsPauseComputeSystem, src.sys), S_OK); /* an ordinary VM again */
    assert_int_equal(run(HcsTerminateComputeSystem, src.sys), S_OK);
    side_close(&src);
    side_close(&dst);
    clear_plan(NULL);
}

/* docs/fault-plans.md "cut": the source cuts at each phase of the transfer */
static void source_cuts_at_each_phase(void **state)
{
    (void)state;
    cut_once("\"cut\":\"memory\"", true, 0);
    cut_once("\"cut\":\"devices\"", true, 1);
    cut_once("\"cut\":\"processes\"", true, 1);
    cut_once("\"cut_after_bytes\":10", true, 0); /* inside the memory phase */
}

/* docs/fault-plans.md "cut": the destination cuts at each phase */
static void destination_cuts_at_each_phase(void **state)
{
    (void)state;
    cut_once("\"cut\":\"memory\"", false, -1);
    cut_once("\"cut\":\"devices\"", false, -1);
    cut_once("\"cut\":\"processes\"", false, -1);
    cut_once("\"cut_after_bytes\":100", false, -1);
}

/* The Data of a VM's CompatibilityInfo (§5 #9), malloc'ed; fails the
 * test unless the query answers it. */
static char *compatibility_data(HCS_SYSTEM sys)
{
    static const char key[] = "\"PropertyResponses\":{\"CompatibilityInfo\":{\"Response\":{\"Data\":\"";
    char *doc = NULL;
    assert_int_equal(
        run_with(HcsGetComputeSystemProperties, sys, W("{\"Queries\":{\"CompatibilityInfo\":null}}"), &doc), S_OK);
    const char *at = strstr(doc, key);
    assert_non_null(at);
    at += sizeof key - 1;
    size_t n = strcspn(at, "\"");
    char *data = malloc(n + 1);
    memcpy(data, at, n);
    data[n] = 0;
    free(doc);
    return data;
}

/* A destination's document (the source's VM_WITH_DEVICES) with
 * VirtualMachine.MigrationOptions = options (freed by the caller). */
static WCHAR *destination_document(const char *options)
{
    static const char format[] =
        "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"VirtualMachine\":{\"ComputeTopology\":{\"Memory\":"
        "{\"SizeInMB\":1536},\"Processor\":{\"Count\":2}},\"GuestConnection\":{},\"MigrationOptions\":%s}}";
    size_t size = sizeof format + strlen(options);
    char *text = malloc(size);
    snprintf(text, size, format, options);
    WCHAR *doc = widen(text);
    free(text);
    return doc;
}

/* A destination whose MigrationOptions name the CompatibilityInfo `data`. */
static void destination_open(side *dst, const char *data, HANDLE socket)
{
    char options[1024];
    snprintf(options, sizeof options,
             "{\"Origin\":\"Destination\",\"MemoryTransport\":\"TCP\",\"CompatibilityData\":{\"Data\":\"%s\"}}", data);
    WCHAR *doc = destination_document(options);
    side_open(dst, "compat-dst", doc, false, socket);
    free(doc);
}

/* hcs-newest §4.2 S2, §4.3 D1, §5 #9, #13: the source's CompatibilityInfo,
 * queried while it runs and while it migrates, goes into the
 * destination's MigrationOptions; the migration then goes through */
static void compatibility_carried_over(void **state)
{
    (void)state;
    HANDLE pair[2];
    socket_pair(pair);
    side src, dst;
    side_open(&src, "compat-src", VM_WITH_DEVICES, true, pair[0]);
    char *data = compatibility_data(src.sys);
    destination_open(&dst, data, pair[1]);
    prepare(&src, &dst, "11", "11");
    char *again = compatibility_data(src.sys); /* migrating: the same VM, the same data */
    assert_string_equal(again, data);
    free(again);
    HCS_OPERATION to = transfer_begin(&dst, NULL);
    HCS_OPERATION from = transfer_begin(&src, NULL);
    assert_int_equal(transfer_end(from), S_OK);
    assert_int_equal(transfer_end(to), S_OK);
    assert_int_equal(run_with(lm_finalize, src.sys, W("{\"FinalizedOperation\":\"Stop\"}"), NULL), S_OK);
    assert_int_equal(run_with(lm_finalize, dst.sys, W("{\"FinalizedOperation\":\"Resume\"}"), NULL), S_OK);
    char *props = properties(dst.sys);
    assert_non_null(strstr(props, "\"State\":\"Running\""));
    free(props);
    assert_int_equal(run(HcsTerminateComputeSystem, dst.sys), S_OK);
    free(data);
    side_close(&src);
    side_close(&dst);
}

/* hcs-newest §5 #13, #15 (inferred): a destination made for another VM's
 * CompatibilityInfo (here one of a different memory size) refuses the
 * source's state; both transfers fail with 0x8007000D */
static void compatibility_of_another_vm(void **state)
{
    (void)state;
    HCS_SYSTEM other = make_running(test_id("compat-other"), EMPTY_VM);
    char *data = compatibility_data(other);
    assert_int_equal(run(HcsTerminateComputeSystem, other), S_OK);
    HcsCloseComputeSystem(other);
    HANDLE pair[2];
    socket_pair(pair);
    side src, dst;
    side_open(&src, "compat-src", VM_WITH_DEVICES, true, pair[0]);
    destination_open(&dst, data, pair[1]);
    free(data);
    prepare(&src, &dst, "12", "12");
    HCS_OPERATION to = transfer_begin(&dst, NULL);
    HCS_OPERATION from = transfer_begin(&src, NULL);
    char *doc = NULL;
    assert_int_equal(transfer_end_doc(to, &doc), (HRESULT)0x8007000D);
    assert_non_null(strstr(doc, "CompatibilityInfo"));
    free(doc);
    assert_int_equal(transfer_end(from), (HRESULT)0x8007000D);
    wait_lm_event(&src, "MigrationFailed/SourceMigrationFailed");
    wait_lm_event(&dst, "MigrationFailed/DestinationMigrationFailed");
    assert_int_equal(run_with(lm_finalize, dst.sys, W("{\"FinalizedOperation\":\"Stop\"}"), NULL), S_OK);
    assert_int_equal(run_with(lm_finalize, src.sys, W("{\"FinalizedOperation\":\"Resume\"}"), NULL), S_OK);
    assert_int_equal(run(HcsTerminateComputeSystem, src.sys), S_OK);
    side_close(&src);
    side_close(&dst);
}

/* hcs-newest §5 #9 (inferred codes): only a running or paused VM answers
 * CompatibilityInfo; no other named query is answered */
static void compatibility_query_refusals(void **state)
{
    (void)state;
    PCWSTR query = W("{\"Queries\":{\"CompatibilityInfo\":null}}");
    HCS_SYSTEM container = make_running(test_id("compat-ct"), CONTAINER_DOC);
    assert_int_equal(run_with(HcsGetComputeSystemProperties, container, query, NULL), (HRESULT)0x80070032);
    assert_int_equal(run(HcsTerminateComputeSystem, container), S_OK);
    HcsCloseComputeSystem(container);
    HCS_SYSTEM vm = make_container(test_id("compat-vm"), EMPTY_VM);
    assert_int_equal(run_with(HcsGetComputeSystemProperties, vm, query, NULL), HCS_E_INVALID_STATE);
    assert_int_equal(run(HcsStartComputeSystem, vm), S_OK);
    assert_int_equal(run(HcsPauseComputeSystem, vm), S_OK);
    free(compatibility_data(vm));
    assert_int_equal(run_with(HcsGetComputeSystemProperties, vm, W("{\"Queries\":{\"Bogus\":null}}"), NULL),
                     HCS_E_INVALID_JSON);
    assert_int_equal(run(HcsTerminateComputeSystem, vm), S_OK);
    HcsCloseComputeSystem(vm);
}

/* The outcome of creating a VM from doc (terminated when it was made). */
static HRESULT create_outcome(PCWSTR doc)
{
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HCS_SYSTEM sys = NULL;
    HRESULT hr = HcsCreateComputeSystem(test_id("opts"), doc, op, NULL, &sys);
    if (SUCCEEDED(hr))
        hr = wait_op(op);
    HcsCloseOperation(op);
    if (SUCCEEDED(hr))
        assert_int_equal(run(HcsTerminateComputeSystem, sys), S_OK);
    if (sys)
        HcsCloseComputeSystem(sys);
    return hr;
}

/* hcs-newest §4.7, §5 #13 (inferred codes): MigrationOptions in a
 * destination's document and the source's initialize options are
 * MigrationInitializeOptions: unknown members, wrong types and enum
 * strings are HCS_E_INVALID_JSON, the other side's Origin and numbers out
 * of bounds E_INVALIDARG, compatibility data this host cannot take
 * 0x8007000D */
static void migration_options_checked(void **state)
{
    (void)state;
    static const struct {
        const char *options;
        HRESULT hr;
    } cases[] = {
        {"{\"Origin\":\"Destination\",\"MemoryTransport\":\"TCP\",\"MemoryTransferThrottleParams\":{"
         "\"SkipThrottling\":false,\"ThrottlingScale\":50.5,\"MinimumThrottlePercentage\":10,"
         "\"TargetNumberOfBrownoutTransferPasses\":3,\"StartingBrownoutPassNumberForThrottling\":1,"
         "\"MaximumNumberOfBrownoutTransferPasses\":8,\"TargetBlackoutTransferTime\":500,"
         "\"BlackoutTimeThresholdForCancellingMigration\":4000},\"CompressionSettings\":{\"ThrottleWorkerCount\":4},"
         "\"ChecksumVerification\":true,\"PerfTracingEnabled\":false,\"CancelIfBlackoutThresholdExceeds\":true,"
         "\"PrepareMemoryTransferMode\":false}",
         S_OK},
        {"{}", S_OK},
        {"{\"Bogus\":1}", HCS_E_INVALID_JSON},
        {"[]", HCS_E_INVALID_JSON},
        {"{\"MemoryTransport\":\"RDMA\"}", HCS_E_INVALID_JSON},
        {"{\"ChecksumVerification\":1}", HCS_E_INVALID_JSON},
        {"{\"CompatibilityData\":{\"Data\":7}}", HCS_E_INVALID_JSON},
        {"{\"MemoryTransferThrottleParams\":{\"MinimumThrottlePercentage\":2.5}}", HCS_E_INVALID_JSON},
        {"{\"Origin\":\"Source\"}", E_INVALIDARG},
        {"{\"MemoryTransferThrottleParams\":{\"ThrottlingScale\":0}}", E_INVALIDARG},
        {"{\"MemoryTransferThrottleParams\":{\"ThrottlingScale\":100.5}}", E_INVALIDARG},
        {"{\"MemoryTransferThrottleParams\":{\"MinimumThrottlePercentage\":101}}", E_INVALIDARG},
        {"{\"MemoryTransferThrottleParams\":{\"TargetBlackoutTransferTime\":-1}}", E_INVALIDARG},
        {"{\"MemoryTransferThrottleParams\":{\"TargetBlackoutTransferTime\":4294967296}}", E_INVALIDARG},
        {"{\"CompressionSettings\":{\"ThrottleWorkerCount\":0}}", E_INVALIDARG},
        {"{\"CompatibilityData\":{\"Data\":\"not base64!\"}}", (HRESULT)0x8007000D},
        {"{\"CompatibilityData\":{\"Data\":\"eyJIY3NzaW1Db21wYXRpYmlsaXR5IjoxfQ==\"}}", (HRESULT)0x8007000D},
        /* base64 of {"HcssimCompatibility":1,"ProcessorRequirements":{"ProcessorFeatures":["quantum"]}} */
        {"{\"CompatibilityData\":{\"Data\":"
         "\"eyJIY3NzaW1Db21wYXRpYmlsaXR5IjoxLCJQcm9jZXNzb3JSZXF1aXJlbWVudHMiOnsiUHJvY2Vz"
         "c29yRmVhdHVyZXMiOlsicXVhbnR1bSJdfX0=\"}}",
         (HRESULT)0x8007000D},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        WCHAR *doc = destination_document(cases[i].options);
        HRESULT hr = create_outcome(doc);
        free(doc);
        if (hr != cases[i].hr)
            fail_msg("%s: 0x%08lX", cases[i].options, (unsigned long)(uint32_t)hr);
    }
    /* the same type on the source's initialize */
    HCS_SYSTEM vm = make_running(test_id("opts-src"), EMPTY_VM);
    assert_int_equal(run_with(lm_initialize, vm, W("{\"Origin\":\"Destination\"}"), NULL), E_INVALIDARG);
    assert_int_equal(run_with(lm_initialize, vm, W("{\"MemoryTransport\":\"UDP\"}"), NULL), HCS_E_INVALID_JSON);
    assert_int_equal(run_with(lm_initialize, vm, W("{\"CompressionSettings\":{\"ThrottleWorkerCount\":0}}"), NULL),
                     E_INVALIDARG);
    assert_int_equal(run_with(lm_initialize, vm, W("{\"Origin\":\"Source\",\"ChecksumVerification\":true}"), NULL),
                     S_OK);
    assert_int_equal(run(HcsTerminateComputeSystem, vm), S_OK);
    HcsCloseComputeSystem(vm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(migrate_a_running_vm),
        cmocka_unit_test(process_ids_kept),
        cmocka_unit_test(cancel_during_the_transfer),
        cmocka_unit_test(sessions_must_match),
        cmocka_unit_test(preconditions),
        cmocka_unit_test(peer_gone),
        cmocka_unit_test_teardown(source_cuts_at_each_phase, clear_plan),
        cmocka_unit_test_teardown(destination_cuts_at_each_phase, clear_plan),
        cmocka_unit_test(compatibility_carried_over),
        cmocka_unit_test(compatibility_of_another_vm),
        cmocka_unit_test(compatibility_query_refusals),
        cmocka_unit_test(migration_options_checked),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
