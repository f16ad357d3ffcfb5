/* Live migration between two simulated hosts (issue 16, "Done when";
 * docs/simulator-fidelity.md, "Live migration"): two private hcssimd of
 * build 24H2, this program as the source host's client and a copy of
 * itself, started with `destination PIPE PORT`, as the destination host's,
 * both through libhcs with the hcssimd provider. The two meet over
 * loopback TCP: one connection carries the migration, a second one the
 * source's orders to the destination (one line each way). A VM with a
 * running guest process moves with hcs_migrate on both hosts and with the
 * step calls; then a cancel, and a fault of the source's daemon, at each
 * stage, and faults of the destination's daemon: failed calls, a cut and a
 * delayed transfer. After every case both hosts are checked: states, events
 * in order, the guest process, and no system, process, operation or call
 * left. */
#include "socket_pair.h" /* loopback TCP; before windows.h */

#include "daemon_helpers.h"
#include "lm_journal.h"

#include <hcs/migration.h>

#define SOURCE_VM                                                                                                      \
    "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"VirtualMachine\":{\"ComputeTopology\":{\"Memory\":"                \
    "{\"SizeInMB\":1024}},\"GuestConnection\":{}}}"
#define TARGET_VM                                                                                                      \
    "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"VirtualMachine\":{\"ComputeTopology\":{\"Memory\":"                \
    "{\"SizeInMB\":128}},\"GuestConnection\":{}}}"
#define GUEST "ping -n 600 127.0.0.1"
#define SESSION 7
#define WAIT_MS 30000
#define HR_ACCESS_DENIED ((int32_t)0x80070005)
#define HR_CONNECTION_ABORTED ((int32_t)0x800704D4)
/* A fault plan's rule: the call's kickoff fails once with access denied. */
#define DENY_ONCE "\"at\":\"kickoff\",\"hresult\":\"0x80070005\",\"count\":1"
/* What each host holds once a case closed everything of it. */
#define NOTHING_LEFT "systems=0 processes=0 operations=0 requests=0"

/* ---- one line each way ------------------------------------------------- */

static bool line_send(tcp s, const char *text)
{
    char line[1100];
    int n = snprintf(line, sizeof line, "%s\n", text);
    return n > 0 && (size_t)n < sizeof line && send(s, line, (size_t)n, 0) == n;
}

/* One line, without its newline; false at the end of the stream. */
static bool line_recv(tcp s, char *out, size_t size)
{
    size_t len = 0;
    char c;
    while (recv(s, &c, 1, 0) == 1) {
        if (c == '\n') {
            out[len] = 0;
            return true;
        }
        if (len + 1 < size)
            out[len++] = c;
    }
    return false;
}

/* ---- what both hosts share ---------------------------------------------- */

static hcs_system vm_create(hcs_client client, const char *id, const char *config, lm_journal *v)
{
    lm_journal_init(v);
    hcs_system sys = {0};
    hcs_system_spec spec = {
        .id = id, .config_json = config, .events = {.callback = lm_journal_on_event, .user_data = v}};
    hcs_system_create(client, &spec, WAIT_MS, &sys, NULL);
    return sys;
}

/* The system's State ("Running", "Stopped", ...), or "?". */
static void vm_state(hcs_system sys, char *out, size_t size)
{
    char *doc = NULL;
    snprintf(out, size, "?");
    if (hcs_system_properties_json(sys, NULL, WAIT_MS, &doc, NULL) == HCS_OK && strstr(doc, "\"State\":\""))
        snprintf(out, size, "%.*s", (int)strcspn(strstr(doc, "\"State\":\"") + 9, "\""),
                 strstr(doc, "\"State\":\"") + 9);
    hcs_free(doc);
}

/* Whether the guest process still runs: its wait ends only by the timeout. */
static bool guest_runs(hcs_process proc)
{
    return proc.id && hcs_process_wait(proc, 300, NULL, NULL) == HCS_E_OPERATION_TIMEOUT;
}

/* This host's counts once settled, as NOTHING_LEFT spells them. */
static void counts_text(char *out, size_t size)
{
    hcssim_counts c = settled_counts();
    snprintf(out, size, "systems=%u processes=%u operations=%u requests=%u", c.systems, c.processes, c.operations,
             c.requests);
}

/* ---- the destination host (the copy of this program) -------------------- */

typedef struct destination {
    hcs_client client;
    tcp migration;
    hcs_system sys;
    lm_journal events;
    hcs_process guest;
} destination;

/* A fault plan of one rule for `call` (docs/fault-plans.md). */
static void plan_text(char *out, size_t size, const char *call, const char *rule)
{
    snprintf(out, size, "{\"faults\":[{\"call\":\"%s\",%s}]}", call, rule);
}

static hcs_migration_end end_named(const char *word)
{
    return strcmp(word, "stop") == 0 ? HCS_MIGRATION_STOP : HCS_MIGRATION_RESUME;
}

/* The guest process the migration brought: found in the ProcessList by
 * its image name, opened by its new process id. */
static void open_guest(destination *d, char *out, size_t size)
{
    char *doc = NULL;
    snprintf(out, size, "no guest");
    if (hcs_system_properties_json(d->sys, "{\"PropertyTypes\":[\"ProcessList\"]}", WAIT_MS, &doc, NULL) != HCS_OK)
        return;
    const char *image = strstr(doc, "\"ImageName\":\"ping");
    const char *entry = image ? image : doc;
    while (entry > doc && *entry != '{')
        entry--;
    const char *pid = image ? strstr(entry, "\"ProcessId\":") : NULL;
    if (pid && hcs_process_open(d->sys, (uint32_t)strtoul(pid + 12, NULL, 10), &d->guest, NULL) == HCS_OK)
        snprintf(out, size, "%s", guest_runs(d->guest) ? "guest runs" : "guest ended");
    hcs_free(doc);
}

/* Ends and closes the VM: the guest, when one was opened, ends with it
 * (exit code 1, docs/guest-programs.md); then what the host holds. */
static void close_all(destination *d, char *out, size_t size)
{
    char guest[32] = "";
    if (d->sys.id)
        hcs_system_terminate(d->sys, WAIT_MS, NULL);
    if (d->guest.id) {
        hcs_process_exit gone = {0};
        int32_t hr = hcs_process_wait(d->guest, WAIT_MS, &gone, NULL);
        snprintf(guest, sizeof guest, "guest %s%u ", hr == HCS_OK ? "exited " : "lost ", gone.exit_code);
        hcs_free(gone.document);
        hcs_process_close(d->guest);
        d->guest = (hcs_process){0};
    }
    hcs_system_close(d->sys);
    d->sys = (hcs_system){0};
    size_t used = strlen(guest);
    memcpy(out, guest, used + 1);
    counts_text(out + used, size - used);
}

/* One order of the source, answered with one line: an HRESULT in decimal,
 * or the text asked for. */
static void obey(destination *d, const char *order, char *out, size_t size)
{
    int32_t hr = HCS_COM_E_INVALIDARG;
    hcs_migration_spec spec = {
        .side = HCS_MIGRATION_DESTINATION, .socket = (intptr_t)d->migration, .session_id = SESSION};
    if (strncmp(order, "create ", 7) == 0) {
        d->sys = vm_create(d->client, order + 7, TARGET_VM, &d->events);
        hr = d->sys.id ? HCS_OK : HCS_COM_E_FAIL;
    } else if (strcmp(order, "migrate") == 0) {
        hr = hcs_migrate(d->sys, &spec, WAIT_MS, NULL);
    } else if (strcmp(order, "start") == 0) {
        hr = hcs_migration_start(d->sys, spec.side, spec.socket, SESSION, WAIT_MS, NULL);
    } else if (strcmp(order, "transfer") == 0) {
        hr = hcs_migration_transfer(d->sys, spec.side, WAIT_MS, NULL);
    } else if (strncmp(order, "finalize ", 9) == 0) {
        hr = hcs_migration_finalize(d->sys, spec.side, end_named(order + 9), WAIT_MS, NULL);
    } else if (strcmp(order, "cancel") == 0) {
        hr = hcs_migration_cancel(d->sys, spec.side, WAIT_MS, NULL);
    } else if (strncmp(order, "events ", 7) == 0) {
        lm_journal_wait(&d->events, order + 7, out, size);
        return;
    } else if (strcmp(order, "state") == 0) {
        vm_state(d->sys, out, size);
        return;
    } else if (strcmp(order, "guest") == 0) {
        open_guest(d, out, size);
        return;
    } else if (strcmp(order, "close") == 0) {
        close_all(d, out, size);
        return;
    } else if (strncmp(order, "faults ", 7) == 0) { /* this host's daemon's plan; "none" clears it */
        if (hcssim_set_faults(strcmp(order + 7, "none") == 0 ? NULL : order + 7, out, size) == 0)
            snprintf(out, size, "planned");
        return;
    }
    snprintf(out, size, "%ld", (long)hr);
}

static int destination_main(const char *pipe, const char *port)
{
    test_setenv("HCSSIM_SOCKET", pipe);
    tcp_init();
    destination d = {0};
    d.migration = tcp_connect((unsigned short)atoi(port));
    tcp orders = tcp_connect((unsigned short)atoi(port));
    hcs_client_options opts = {.provider = "hcssimd"};
    if (d.migration == (tcp)-1 || orders == (tcp)-1 || hcs_client_open(&opts, &d.client, NULL) != HCS_OK)
        return 2;
    char order[512], answer[1024];
    while (line_recv(orders, order, sizeof order) && strcmp(order, "quit") != 0) {
        obey(&d, order, answer, sizeof answer);
        if (!line_send(orders, answer))
            break;
    }
    char rest[1024];
    close_all(&d, rest, sizeof rest); /* when the source went away early */
    hcs_client_close(d.client);
    tcp_close(orders);
    tcp_close(d.migration);
    return 0;
}

/* ---- the source host (the test) ----------------------------------------- */

static char self_path[1024];
static char source_pipe[100], destination_pipe[100];
static test_proc source_daemon, destination_daemon;
static hcs_client client;
static bool teardown_failed;

/* One case's two hosts: the source VM with its guest, the connections to
 * the destination program. */
typedef struct hosts {
    test_proc destination;
    tcp migration, orders;
    hcs_system sys;
    lm_journal events;
    hcs_process guest;
    hcs_migration_spec spec;
    int32_t hr; /* a source call run on a thread */
} hosts;

static void order_send(hosts *h, const char *order) { assert_true(line_send(h->orders, order)); }

static void answer_recv(hosts *h, char *out, size_t size) { assert_true(line_recv(h->orders, out, size)); }

/* The destination's text answer to an order. */
static void ask(hosts *h, const char *order, char *out, size_t size)
{
    order_send(h, order);
    answer_recv(h, out, size);
}

/* The destination's HRESULT for an order. */
static int32_t ask_hr(hosts *h, const char *order)
{
    char answer[64];
    ask(h, order, answer, sizeof answer);
    return (int32_t)strtol(answer, NULL, 10);
}

static int32_t answer_hr(hosts *h)
{
    char answer[64];
    answer_recv(h, answer, sizeof answer);
    return (int32_t)strtol(answer, NULL, 10);
}

static void hosts_open(hosts *h, const char *tag)
{
    memset(h, 0, sizeof *h);
    unsigned short port;
    tcp l = tcp_listen(&port);
    char port_text[8];
    snprintf(port_text, sizeof port_text, "%u", port);
    const char *argv[] = {self_path, "destination", destination_pipe, port_text, NULL};
    h->destination = spawn(argv, NULL);
    h->migration = accept(l, NULL, NULL);
    h->orders = accept(l, NULL, NULL);
    tcp_close(l);
    assert_true(h->migration != (tcp)-1 && h->orders != (tcp)-1);
    h->sys = vm_create(client, unique_id(tag), SOURCE_VM, &h->events);
    assert_true(h->sys.id != 0);
    assert_int_equal(hcs_system_start(h->sys, NULL, WAIT_MS, NULL), HCS_OK);
    assert_int_equal(
        hcs_process_create(h->sys, &(hcs_process_spec){.command_line = GUEST}, WAIT_MS, &h->guest, NULL, NULL), HCS_OK);
    char order[96];
    snprintf(order, sizeof order, "create %s-dst", unique_id(tag));
    assert_int_equal(ask_hr(h, order), HCS_OK);
    h->spec =
        (hcs_migration_spec){.side = HCS_MIGRATION_SOURCE, .socket = (intptr_t)h->migration, .session_id = SESSION};
}

/* Both hosts give everything back, and hold nothing afterwards. */
static void hosts_close(hosts *h, const char *destination_guest)
{
    hcs_system_terminate(h->sys, WAIT_MS, NULL);
    hcs_process_close(h->guest);
    hcs_system_close(h->sys);
    tcp_close(h->migration);
    char answer[256], want[256];
    ask(h, "close", answer, sizeof answer);
    snprintf(want, sizeof want, "%s%s", destination_guest, NOTHING_LEFT);
    assert_string_equal(answer, want);
    order_send(h, "quit");
    tcp_close(h->orders);
    assert_int_equal(proc_wait(h->destination), 0);
    counts_text(answer, sizeof answer);
    assert_string_equal(answer, NOTHING_LEFT);
}

static void expect_events(lm_journal *v, const char *want)
{
    char got[1024];
    const char *last = strrchr(want, ' ');
    lm_journal_wait(v, last ? last + 1 : want, got, sizeof got);
    assert_string_equal(got, want);
}

static void expect_state(hcs_system sys, const char *want)
{
    char got[32];
    vm_state(sys, got, sizeof got);
    assert_string_equal(got, want);
}

static void expect_answer(hosts *h, const char *order, const char *want)
{
    char got[1024];
    ask(h, order, got, sizeof got);
    assert_string_equal(got, want);
}

#define MOVED_SOURCE_EVENTS                                                                                            \
    "SetupDone TransferInProgress BlackoutStarted OfflineDone/Success BlackoutExited/Success MigrationDone/Success"
#define MOVED_DESTINATION_EVENTS "SetupDone TransferInProgress MigrationDone/Success"

/* The VM has moved: it runs on the destination with its guest process,
 * and has exited on the source, its guest with it. */
static void expect_moved(hosts *h)
{
    expect_events(&h->events, MOVED_SOURCE_EVENTS);
    expect_state(h->sys, "Stopped");
    assert_false(guest_runs(h->guest));
    expect_answer(h, "events MigrationDone/Success", MOVED_DESTINATION_EVENTS);
    expect_answer(h, "state", "Running");
    expect_answer(h, "guest", "guest runs");
    hosts_close(h, "guest exited 1 ");
}

/* The way back (hcs-newest §4.5): the source finalizes with Resume, when
 * it has a migration to finalize, and its VM runs on with its guest, no
 * longer migrating (a pause works); a destination that had started
 * finalizes with Stop (its VM exits), one that had not is only cleaned up. */
static void roll_back(hosts *h, bool source_migrating, bool destination_started)
{
    if (source_migrating)
        assert_int_equal(hcs_migration_finalize(h->sys, HCS_MIGRATION_SOURCE, HCS_MIGRATION_RESUME, WAIT_MS, NULL),
                         HCS_OK);
    expect_state(h->sys, "Running");
    assert_true(guest_runs(h->guest));
    assert_int_equal(hcs_system_pause(h->sys, NULL, WAIT_MS, NULL), HCS_OK);
    if (destination_started)
        assert_int_equal(ask_hr(h, "finalize stop"), HCS_OK);
    expect_answer(h, "state", destination_started ? "Stopped" : "Created");
    hosts_close(h, "");
}

static void migrate_on_both(void **state)
{
    (void)state;
    hosts h;
    hosts_open(&h, "both");
    order_send(&h, "migrate");
    assert_int_equal(hcs_migrate(h.sys, &h.spec, WAIT_MS, NULL), HCS_OK);
    assert_int_equal(answer_hr(&h), HCS_OK);
    expect_moved(&h);
}

static void source_transfer(void *arg)
{
    hosts *h = arg;
    h->hr = hcs_migration_transfer(h->sys, HCS_MIGRATION_SOURCE, WAIT_MS, NULL);
}

/* The source's initialize and start, and the destination's start. */
static void start_both(hosts *h)
{
    assert_int_equal(hcs_migration_initialize(h->sys, NULL, WAIT_MS, NULL), HCS_OK);
    assert_int_equal(hcs_migration_start(h->sys, HCS_MIGRATION_SOURCE, h->spec.socket, SESSION, WAIT_MS, NULL), HCS_OK);
    assert_int_equal(ask_hr(h, "start"), HCS_OK);
}

/* Both transfers, at once: the destination's runs in its program while
 * this one runs the source's. */
static void transfer_both(hosts *h)
{
    order_send(h, "transfer");
    source_transfer(h);
    assert_int_equal(h->hr, HCS_OK);
    assert_int_equal(answer_hr(h), HCS_OK);
}

static void migrate_by_steps(void **state)
{
    (void)state;
    hosts h;
    hosts_open(&h, "steps");
    start_both(&h);
    transfer_both(&h);
    assert_int_equal(hcs_migration_finalize(h.sys, HCS_MIGRATION_SOURCE, HCS_MIGRATION_STOP, WAIT_MS, NULL), HCS_OK);
    assert_int_equal(ask_hr(&h, "finalize resume"), HCS_OK);
    expect_moved(&h);
}

typedef enum stage { AT_INITIALIZE, AT_START, AT_TRANSFER, AT_FINALIZE, STAGES } stage;

static const char *const stage_calls[STAGES] = {"HcsInitializeLiveMigrationOnSource", "HcsStartLiveMigrationOnSource",
                                                "HcsStartLiveMigrationTransfer", "HcsFinalizeLiveMigration"};

/* A cancel of the source at each stage, and of the destination once it
 * had started (hcs-newest §4.5). Before the transfer completed it succeeds
 * (during the transfer, the source's transfer fails with
 * HCS_WIN32_E_CANCELLED, the destination never having received the
 * state, and the source, cancelled in blackout, reports its recovery);
 * once it completed it is refused (HCS_E_INVALID_STATE). Either
 * way the hosts then roll back. */
static void cancel_at_each_stage(void **state)
{
    (void)state;
    static const char *const events[] = {
        "MigrationFailed/MigrationCancelled", "SetupDone MigrationFailed/MigrationCancelled",
        "SetupDone TransferInProgress BlackoutStarted MigrationFailed/MigrationCancelled MigrationRecoveryDone/Success",
        MOVED_SOURCE_EVENTS};
    for (stage at = AT_INITIALIZE; at < STAGES; at++) {
        hosts h;
        hosts_open(&h, "cancel");
        if (at == AT_INITIALIZE)
            assert_int_equal(hcs_migration_initialize(h.sys, NULL, WAIT_MS, NULL), HCS_OK);
        else
            start_both(&h);
        if (at == AT_TRANSFER) {
            hcs_thread t;
            assert_int_equal(hcs__thread_start(&t, source_transfer, &h), 0);
            char seen[1024];
            lm_journal_wait(&h.events, "BlackoutStarted", seen, sizeof seen); /* waits for the destination */
            assert_int_equal(hcs_migration_cancel(h.sys, HCS_MIGRATION_SOURCE, WAIT_MS, NULL), HCS_OK);
            hcs__thread_join(t);
            assert_int_equal(h.hr, HCS_WIN32_E_CANCELLED);
        } else {
            if (at == AT_FINALIZE)
                transfer_both(&h);
            assert_int_equal(hcs_migration_cancel(h.sys, HCS_MIGRATION_SOURCE, WAIT_MS, NULL),
                             at == AT_FINALIZE ? HCS_E_INVALID_STATE : HCS_OK);
        }
        if (at != AT_INITIALIZE)
            assert_int_equal(ask_hr(&h, "cancel"), at == AT_FINALIZE ? HCS_E_INVALID_STATE : HCS_OK);
        expect_events(&h.events, events[at]);
        roll_back(&h, true, at != AT_INITIALIZE);
    }
}

/* A fault of the source's daemon (docs/fault-plans.md) at the kickoff of
 * each of its calls: that call fails with the fault's HRESULT, and the
 * hosts roll back (cancelling first, as hcsshim does, where the transfer
 * had not completed). */
static void fault_at_each_stage(void **state)
{
    (void)state;
    for (stage at = AT_INITIALIZE; at < STAGES; at++) {
        hosts h;
        hosts_open(&h, "fault");
        char plan[160], why[256];
        plan_text(plan, sizeof plan, stage_calls[at], DENY_ONCE);
        if (hcssim_set_faults(plan, why, sizeof why) != 0)
            fail_msg("%s", why);
        int32_t hr;
        if (at <= AT_START) {
            hr = hcs_migration_initialize(h.sys, NULL, WAIT_MS, NULL);
            if (at == AT_START) {
                assert_int_equal(hr, HCS_OK);
                hr = hcs_migration_start(h.sys, HCS_MIGRATION_SOURCE, h.spec.socket, SESSION, WAIT_MS, NULL);
            }
        } else {
            start_both(&h);
            if (at == AT_TRANSFER) {
                source_transfer(&h);
                hr = h.hr;
            } else {
                transfer_both(&h);
                hr = hcs_migration_finalize(h.sys, HCS_MIGRATION_SOURCE, HCS_MIGRATION_STOP, WAIT_MS, NULL);
            }
        }
        assert_int_equal(hr, HR_ACCESS_DENIED);
        hcssim_set_faults(NULL, NULL, 0);
        if (at == AT_START || at == AT_TRANSFER)
            assert_int_equal(hcs_migration_cancel(h.sys, HCS_MIGRATION_SOURCE, WAIT_MS, NULL), HCS_OK);
        if (at == AT_TRANSFER)
            assert_int_equal(ask_hr(&h, "cancel"), HCS_OK);
        roll_back(&h, at != AT_INITIALIZE, at >= AT_TRANSFER);
    }
}

/* The destination's daemon takes a plan of one rule; NULL clears it. */
static void destination_plan(hosts *h, const char *call, const char *rule)
{
    char order[400] = "faults none";
    if (call)
        plan_text(order + 7, sizeof order - 7, call, rule);
    expect_answer(h, order, "planned");
}

/* The source's transfer on a thread, cancelled once it runs: the way back
 * when the destination's transfer failed and will not read the state. */
static void source_transfer_cancelled(hosts *h)
{
    hcs_thread t;
    assert_int_equal(hcs__thread_start(&t, source_transfer, h), 0);
    char seen[1024];
    lm_journal_wait(&h->events, "TransferInProgress", seen, sizeof seen);
    assert_int_equal(hcs_migration_cancel(h->sys, HCS_MIGRATION_SOURCE, WAIT_MS, NULL), HCS_OK);
    hcs__thread_join(t);
    assert_int_equal(h->hr, HCS_WIN32_E_CANCELLED);
}

/* Faults of the destination's daemon, from its own plan (an order to the
 * destination program). Its start and its transfer fail at their kickoff:
 * the source cancels, as hcsshim does, and both roll back. Its finalize
 * fails once: retried, it succeeds and the VM has moved. Its plan cuts the
 * transfer as the devices phase begins: both transfers fail with
 * 0x800704D4 (hcs-newest §5 #11) and both roll back, the source having
 * recovered from its blackout. Its transfer delayed: the VM moves all the
 * same. */
static void fault_on_the_destination(void **state)
{
    (void)state;
    hosts h;

    hosts_open(&h, "dst-start");
    destination_plan(&h, "HcsStartComputeSystem", DENY_ONCE);
    assert_int_equal(hcs_migration_initialize(h.sys, NULL, WAIT_MS, NULL), HCS_OK);
    assert_int_equal(hcs_migration_start(h.sys, HCS_MIGRATION_SOURCE, h.spec.socket, SESSION, WAIT_MS, NULL), HCS_OK);
    assert_int_equal(ask_hr(&h, "start"), HR_ACCESS_DENIED);
    destination_plan(&h, NULL, NULL);
    assert_int_equal(hcs_migration_cancel(h.sys, HCS_MIGRATION_SOURCE, WAIT_MS, NULL), HCS_OK);
    expect_events(&h.events, "SetupDone MigrationFailed/MigrationCancelled");
    roll_back(&h, true, false);

    hosts_open(&h, "dst-transfer");
    start_both(&h);
    destination_plan(&h, "HcsStartLiveMigrationTransfer", DENY_ONCE);
    assert_int_equal(ask_hr(&h, "transfer"), HR_ACCESS_DENIED);
    destination_plan(&h, NULL, NULL);
    source_transfer_cancelled(&h);
    assert_int_equal(ask_hr(&h, "cancel"), HCS_OK);
    roll_back(&h, true, true);

    hosts_open(&h, "dst-finalize");
    start_both(&h);
    transfer_both(&h);
    assert_int_equal(hcs_migration_finalize(h.sys, HCS_MIGRATION_SOURCE, HCS_MIGRATION_STOP, WAIT_MS, NULL), HCS_OK);
    destination_plan(&h, "HcsFinalizeLiveMigration", DENY_ONCE);
    assert_int_equal(ask_hr(&h, "finalize resume"), HR_ACCESS_DENIED);
    assert_int_equal(ask_hr(&h, "finalize resume"), HCS_OK);
    destination_plan(&h, NULL, NULL);
    expect_moved(&h);

    hosts_open(&h, "dst-cut");
    start_both(&h);
    destination_plan(&h, "HcsStartLiveMigrationTransfer", "\"cut\":\"devices\"");
    order_send(&h, "transfer");
    source_transfer(&h);
    assert_int_equal(h.hr, HR_CONNECTION_ABORTED);
    assert_int_equal(answer_hr(&h), HR_CONNECTION_ABORTED);
    destination_plan(&h, NULL, NULL);
    char seen[1024];
    lm_journal_wait(&h.events, "MigrationFailed/SourceMigrationFailed", seen, sizeof seen);
    if (strstr(seen, "BlackoutStarted"))
        expect_events(&h.events, "SetupDone TransferInProgress BlackoutStarted MigrationFailed/SourceMigrationFailed "
                                 "MigrationRecoveryDone/Success");
    else
        expect_events(&h.events, "SetupDone TransferInProgress MigrationFailed/SourceMigrationFailed");
    expect_answer(&h, "events MigrationFailed/DestinationMigrationFailed",
                  "SetupDone TransferInProgress MigrationFailed/DestinationMigrationFailed");
    roll_back(&h, true, true);

    hosts_open(&h, "dst-delay");
    destination_plan(&h, "HcsStartLiveMigrationTransfer", "\"delay_ms\":300");
    order_send(&h, "migrate");
    assert_int_equal(hcs_migrate(h.sys, &h.spec, WAIT_MS, NULL), HCS_OK);
    assert_int_equal(answer_hr(&h), HCS_OK);
    destination_plan(&h, NULL, NULL);
    expect_moved(&h);
}

/* Starts a daemon of build 24H2 on a pipe (socket) of its own. */
static test_proc host_start(const char *tag, char *path, size_t size)
{
    use_socket(tag);
    snprintf(path, size, "%s", socket_path);
    const char *extra[] = {"--profile", "24H2", NULL};
    return daemon_start_with(extra);
}

static int host_stop(test_proc p, const char *path)
{
    snprintf(socket_path, sizeof socket_path, "%s", path);
    return daemon_stop(p);
}

static int setup(void **state)
{
    (void)state;
    tcp_init();
    destination_daemon = host_start("two-hosts-dst", destination_pipe, sizeof destination_pipe);
    source_daemon = host_start("two-hosts-src", source_pipe, sizeof source_pipe); /* this program's HCSSIM_SOCKET */
    client = open_daemon_client();
    return 0;
}

/* Both daemons stop the ordinary way, with status 0, even after a failed
 * case (cmocka 1.1.5 does not count a failed group teardown: main does). */
static int teardown(void **state)
{
    (void)state;
    hcs_client_close(client);
    int a = host_stop(source_daemon, source_pipe);
    int b = host_stop(destination_daemon, destination_pipe);
    teardown_failed = a != 0 || b != 0;
    return teardown_failed ? -1 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "destination") == 0)
        return destination_main(argv[2], argv[3]);
#ifdef _WIN32
    GetModuleFileNameA(NULL, self_path, sizeof self_path);
#else
    snprintf(self_path, sizeof self_path, "%s", argv[0]);
#endif
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(migrate_on_both),          cmocka_unit_test(migrate_by_steps),
        cmocka_unit_test(cancel_at_each_stage),     cmocka_unit_test(fault_at_each_stage),
        cmocka_unit_test(fault_on_the_destination),
    };
    int failed = cmocka_run_group_tests(tests, setup, teardown);
    return failed || teardown_failed ? 1 : 0;
}
