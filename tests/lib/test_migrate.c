/* Live migration through libhcs (hcs/migration.h) over hcssim's build 24H2:
 * the one-call helper on both sides at once and the steps one by one, a
 * VM with a running guest process, the events, cancel and a deadline, and
 * a fault at each step. Both sides are VMs of the one simulated host of
 * this process; on an older build (HCSSIM_PROFILE other than 24H2) every
 * call fails alone with "not supported on this host". */
#include "socket_pair.h" /* first: winsock2.h before windows.h */

#include "lib_helpers.h"
#include "lm_journal.h"

#define SOURCE_VM                                                                                                      \
    "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"VirtualMachine\":{\"ComputeTopology\":{\"Memory\":"                \
    "{\"SizeInMB\":1536}},\"GuestConnection\":{}}}"
#define TARGET_VM                                                                                                      \
    "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"VirtualMachine\":{\"ComputeTopology\":{\"Memory\":"                \
    "{\"SizeInMB\":256}},\"GuestConnection\":{}}}"

static bool newest_build(void)
{
    const char *p = getenv("HCSSIM_PROFILE");
    return p && strcmp(p, "24H2") == 0;
}

/* One host's side: a VM, its events, its end of the connection. */
typedef struct side {
    char id[48];
    hcs_system sys;
    lm_journal log;
    HANDLE end;
    hcs_migration_spec spec;
    int32_t hr; /* hcs_migrate's, when run on a thread */
    hcs_error err;
} side;

static void side_open(side *s, const char *tag, const char *config, bool running, HANDLE end, hcs_migration_side which)
{
    memset(s, 0, sizeof *s);
    lm_journal_init(&s->log);
    snprintf(s->id, sizeof s->id, "%s", unique_id(tag));
    hcs_system_spec spec = {
        .id = s->id, .config_json = config, .events = {.callback = lm_journal_on_event, .user_data = &s->log}};
    assert_int_equal(hcs_system_create(client, &spec, HCS_TIMEOUT_DEFAULT, &s->sys, NULL), HCS_OK);
    if (running)
        assert_int_equal(hcs_system_start(s->sys, NULL, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    s->end = end;
    s->spec = (hcs_migration_spec){.side = which, .socket = socket_os(end), .session_id = 42};
}

static void side_close(side *s)
{
    hcs_system_terminate(s->sys, HCS_TIMEOUT_DEFAULT, NULL);
    hcs_system_close(s->sys);
    socket_close(s->end);
    hcs_error_clear(&s->err);
    lm_journal_free(&s->log);
}

static void pair_open(side *src, side *dst, const char *tag)
{
    HANDLE ends[2];
    socket_pair(ends);
    char name[48];
    snprintf(name, sizeof name, "%s-src", tag);
    side_open(src, name, SOURCE_VM, true, ends[0], HCS_MIGRATION_SOURCE);
    snprintf(name, sizeof name, "%s-dst", tag);
    side_open(dst, name, TARGET_VM, false, ends[1], HCS_MIGRATION_DESTINATION);
}

static void migrate_thread(void *arg)
{
    side *s = arg;
    s->hr = hcs_migrate(s->sys, &s->spec, HCS_TIMEOUT_DEFAULT, &s->err);
}

static char *state_of(hcs_system sys)
{
    char *doc = NULL;
    assert_int_equal(
        hcs_system_properties_json(sys, "{\"PropertyTypes\":[\"ProcessList\"]}", HCS_TIMEOUT_DEFAULT, &doc, NULL),
        HCS_OK);
    return doc;
}

/* Each host runs hcs_migrate at the same time: the VM, with its running
 * guest process and its memory size, ends on the destination; the source's
 * VM has exited; the events came in order. */
static void helper_on_both_hosts(void **state)
{
    (void)state;
    if (!newest_build())
        return;
    side src, dst;
    pair_open(&src, &dst, "both");
    hcs_process proc;
    assert_int_equal(hcs_process_create(src.sys, &(hcs_process_spec){.command_line = "ping -n 600 127.0.0.1"},
                                        HCS_TIMEOUT_DEFAULT, &proc, NULL, NULL),
                     HCS_OK);
    uint32_t pid = hcs_process_pid(proc);
    hcs_thread t;
    assert_int_equal(hcs__thread_start(&t, migrate_thread, &dst), 0);
    migrate_thread(&src);
    hcs__thread_join(t);
    assert_int_equal(src.hr, HCS_OK);
    assert_int_equal(dst.hr, HCS_OK);
    assert_true(lm_journal_wait(&src.log, "MigrationDone/Success", NULL, 0));
    assert_non_null(strstr(src.log.words, "SetupDone TransferInProgress BlackoutStarted OfflineDone/Success "
                                          "BlackoutExited/Success MigrationDone/Success"));
    assert_true(lm_journal_wait(&dst.log, "MigrationDone/Success", NULL, 0));
    hcs_process_exit gone = {0};
    int32_t waited = hcs_process_wait(proc, HCS_TIMEOUT_DEFAULT, &gone, NULL); /* it ended with the source's VM */
    assert_true(waited == HCS_OK || waited == HCS_E_PROCESS_INFO_NOT_AVAILABLE);
    hcs_free(gone.document);
    hcs_process_close(proc);
    char *doc = state_of(dst.sys);
    assert_non_null(strstr(doc, "\"State\":\"Running\""));
    assert_non_null(strstr(doc, "\"ImageName\":\"ping"));
    hcs_free(doc);
    hcs_process moved; /* the guest process kept its id (inferred) */
    assert_int_equal(hcs_process_open(dst.sys, pid, &moved, NULL), HCS_OK);
    assert_int_equal(hcs_process_pid(moved), pid);
    hcs_process_close(moved);
    doc = NULL;
    assert_int_equal(hcs_system_properties_json(src.sys, NULL, HCS_TIMEOUT_DEFAULT, &doc, NULL), HCS_OK);
    assert_non_null(strstr(doc, "\"State\":\"Stopped\""));
    hcs_free(doc);
    side_close(&src);
    side_close(&dst);
}

/* The steps one by one, as a runtime orchestrating both hosts calls them. */
static void steps_one_by_one(void **state)
{
    (void)state;
    side src, dst;
    pair_open(&src, &dst, "steps");
    hcs_error err = HCS_ERROR_INIT;
    int32_t hr = hcs_migration_initialize(src.sys, NULL, HCS_TIMEOUT_DEFAULT, &err);
    if (!newest_build()) {
        assert_int_equal(hr, HCS_WIN32_E_PROC_NOT_FOUND);
        assert_int_equal(err.kind, HCS_ERROR_UNSUPPORTED);
        assert_non_null(strstr(err.message, "not supported on this host"));
        assert_int_equal(hcs_migrate(src.sys, &src.spec, HCS_TIMEOUT_DEFAULT, NULL), HCS_WIN32_E_PROC_NOT_FOUND);
        hcs_error_clear(&err);
        side_close(&src);
        side_close(&dst);
        return;
    }
    assert_int_equal(hr, HCS_OK);
    assert_int_equal(hcs_system_pause(src.sys, NULL, HCS_TIMEOUT_DEFAULT, &err), HCS_E_INVALID_STATE);
    hcs_error_clear(&err);
    assert_int_equal(
        hcs_migration_start(src.sys, HCS_MIGRATION_SOURCE, socket_os(src.end), 5, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    assert_int_equal(
        hcs_migration_start(dst.sys, HCS_MIGRATION_DESTINATION, socket_os(dst.end), 5, HCS_TIMEOUT_DEFAULT, NULL),
        HCS_OK);
    latch l;
    latch_init(&l);
    hcs_async how = {.callback = record_result, .user_data = &l, .timeout_ms = HCS_TIMEOUT_DEFAULT};
    assert_int_equal(hcs_migration_transfer_async(dst.sys, HCS_MIGRATION_DESTINATION, &how, NULL, NULL), HCS_OK);
    assert_int_equal(hcs_migration_transfer(src.sys, HCS_MIGRATION_SOURCE, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    assert_int_equal(latch_wait(&l, 1), 1);
    assert_int_equal(l.hr[0], HCS_OK);
    assert_int_equal(hcs_migration_cancel(src.sys, HCS_MIGRATION_SOURCE, HCS_TIMEOUT_DEFAULT, NULL),
                     HCS_E_INVALID_STATE); /* the transfer is over: finalize instead */
    assert_int_equal(
        hcs_migration_finalize(src.sys, HCS_MIGRATION_SOURCE, HCS_MIGRATION_STOP, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    assert_int_equal(
        hcs_migration_finalize(dst.sys, HCS_MIGRATION_DESTINATION, HCS_MIGRATION_RESUME, HCS_TIMEOUT_DEFAULT, NULL),
        HCS_OK);
    char *doc = state_of(dst.sys);
    assert_non_null(strstr(doc, "\"State\":\"Running\""));
    hcs_free(doc);
    latch_free(&l);
    side_close(&src);
    side_close(&dst);
}

/* The source's VM runs on after a rolled back migration. */
static void source_runs_on(side *src)
{
    char *doc = state_of(src->sys);
    assert_non_null(strstr(doc, "\"State\":\"Running\""));
    hcs_free(doc);
    assert_int_equal(hcs_system_pause(src->sys, NULL, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK); /* no longer migrating */
}

static void cancel_thread(void *arg)
{
    side *s = arg;
    assert_true(lm_journal_wait(&s->log, "BlackoutStarted", NULL, 0));
    assert_int_equal(hcs_migration_cancel(s->sys, s->spec.side, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
}

/* A cancel from another thread while hcs_migrate waits in the transfer
 * (the destination never transfers): HCS_WIN32_E_CANCELLED, rolled back. */
static void cancel_the_helper(void **state)
{
    (void)state;
    if (!newest_build())
        return;
    side src, dst;
    pair_open(&src, &dst, "cancel");
    assert_int_equal(
        hcs_migration_start(dst.sys, HCS_MIGRATION_DESTINATION, socket_os(dst.end), 42, HCS_TIMEOUT_DEFAULT, NULL),
        HCS_OK);
    hcs_thread t;
    assert_int_equal(hcs__thread_start(&t, cancel_thread, &src), 0);
    migrate_thread(&src);
    hcs__thread_join(t);
    assert_int_equal(src.hr, HCS_WIN32_E_CANCELLED);
    assert_true(lm_journal_wait(&src.log, "MigrationFailed/MigrationCancelled", NULL, 0));
    source_runs_on(&src);
    side_close(&src);
    side_close(&dst);
}

/* The deadline passes in the transfer: HCS_E_OPERATION_TIMEOUT, rolled
 * back. */
static void deadline_of_the_helper(void **state)
{
    (void)state;
    if (!newest_build())
        return;
    side src, dst;
    pair_open(&src, &dst, "deadline");
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(hcs_migrate(src.sys, &src.spec, 300, &err), HCS_E_OPERATION_TIMEOUT);
    assert_int_equal(err.kind, HCS_ERROR_TIMEOUT);
    hcs_error_clear(&err);
    source_runs_on(&src);
    side_close(&src);
    side_close(&dst);
}

/* A fault at each step of the source's sequence: hcs_migrate returns it
 * and the VM runs on. */
static void fault_at_each_step(void **state)
{
    (void)state;
    if (!newest_build())
        return;
    static const char *const steps[] = {"HcsInitializeLiveMigrationOnSource", "HcsStartLiveMigrationOnSource",
                                        "HcsStartLiveMigrationTransfer"};
    static const char *const at[] = {"kickoff", "completion"};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        for (size_t k = 0; k < 2; k++) {
            side src, dst;
            pair_open(&src, &dst, "fault");
            char plan[256];
            snprintf(plan, sizeof plan, "{\"faults\":[{\"call\":\"%s\",\"at\":\"%s\",\"hresult\":\"0x80070005\"}]}",
                     steps[i], at[k]);
            char why[256];
            if (hcssim_set_faults(plan, why, sizeof why) != 0)
                fail_msg("%s", why);
            assert_int_equal(hcs_migrate(src.sys, &src.spec, HCS_TIMEOUT_DEFAULT, NULL), (int32_t)0x80070005);
            hcssim_set_faults(NULL, NULL, 0);
            source_runs_on(&src);
            side_close(&src);
            side_close(&dst);
        }
}

/* A fault plan cuts the transfer on one side (docs/fault-plans.md, "cut"),
 * while both hosts run hcs_migrate: each returns 0x800704D4, classified
 * disconnected, the cutter's message saying the plan cut it; each side is
 * rolled back: the source's VM runs on, the destination's is discarded
 * (hcs-newest §4.5, §5 #20, #22). */
static void cut_in_the_helper(void **state)
{
    (void)state;
    if (!newest_build())
        return;
    for (int by_source = 0; by_source < 2; by_source++) {
        side src, dst;
        pair_open(&src, &dst, "cut");
        char plan[256], why[256];
        snprintf(plan, sizeof plan,
                 "{\"faults\":[{\"call\":\"HcsStartLiveMigrationTransfer\",\"system\":\"%s\",\"cut\":\"devices\"}]}",
                 by_source ? src.id : dst.id);
        if (hcssim_set_faults(plan, why, sizeof why) != 0)
            fail_msg("%s", why);
        hcs_thread t;
        assert_int_equal(hcs__thread_start(&t, migrate_thread, &dst), 0);
        migrate_thread(&src);
        hcs__thread_join(t);
        hcssim_set_faults(NULL, NULL, 0);
        assert_int_equal(src.hr, HCS_WIN32_E_CONNECTION_ABORTED);
        assert_int_equal(dst.hr, HCS_WIN32_E_CONNECTION_ABORTED);
        assert_int_equal(src.err.kind, HCS_ERROR_DISCONNECTED);
        assert_int_equal(dst.err.kind, HCS_ERROR_DISCONNECTED);
        assert_non_null(strstr((by_source ? src.err : dst.err).message, "cut the transfer at the devices phase"));
        assert_true(lm_journal_wait(&src.log, "MigrationFailed/SourceMigrationFailed", NULL, 0));
        assert_true(lm_journal_wait(&dst.log, "MigrationFailed/DestinationMigrationFailed", NULL, 0));
        source_runs_on(&src);
        char *doc = NULL;
        assert_int_equal(hcs_system_properties_json(dst.sys, NULL, HCS_TIMEOUT_DEFAULT, &doc, NULL), HCS_OK);
        assert_non_null(strstr(doc, "\"State\":\"Stopped\""));
        hcs_free(doc);
        side_close(&src);
        side_close(&dst);
    }
}

/* A destination's VM document whose VirtualMachine.MigrationOptions are
 * typed options naming `data` (hcs_MigrationInitializeOptions, encoded),
 * freed by the caller. */
static char *destination_config(const hcs_CompatibilityInfo *data)
{
    hcs_MigrationInitializeOptions options = {.has_Origin = true,
                                              .Origin = {.value = HCS_MigrationOrigin_Destination},
                                              .has_MemoryTransport = true,
                                              .MemoryTransport = {.value = HCS_MigrationMemoryTransport_TCP},
                                              .CompatibilityData = (hcs_CompatibilityInfo *)data};
    char *json = NULL;
    assert_int_equal(hcs_MigrationInitializeOptions_encode(&options, NULL, &json, NULL), HCS_OK);
    size_t size = strlen(SOURCE_VM) + strlen(json) + 32;
    char *config = malloc(size);
    snprintf(config, size, "%.*s,\"MigrationOptions\":%s}}", (int)strlen(SOURCE_VM) - 2, SOURCE_VM, json);
    hcs_free(json);
    return config;
}

/* The source's CompatibilityInfo, asked through hcs_migration_compatibility,
 * goes into the destination's create document (hcs-newest §4.2 S2, §4.3
 * D1, §5 #9, #13): the migration goes through; a destination made for
 * another VM's data refuses the state (inferred), and hcs_migrate rolls
 * both sides back. */
static void compatibility_to_the_destination(void **state)
{
    (void)state;
    for (int matching = 1; matching >= 0; matching--) {
        HANDLE ends[2];
        socket_pair(ends);
        side src, dst;
        side_open(&src, "compat-src", SOURCE_VM, true, ends[0], HCS_MIGRATION_SOURCE);
        hcs_system other = running_system("compat-other", TARGET_VM);
        hcs_schema_doc *doc = NULL;
        hcs_CompatibilityInfo *info = NULL;
        hcs_error err = HCS_ERROR_INIT;
        int32_t hr = hcs_migration_compatibility(matching ? src.sys : other, HCS_TIMEOUT_DEFAULT, &doc, &info, &err);
        hcs_system_terminate(other, HCS_TIMEOUT_DEFAULT, NULL);
        hcs_system_close(other);
        if (!newest_build()) {
            assert_int_equal(hr, HCS_WIN32_E_PROC_NOT_FOUND);
            assert_int_equal(err.kind, HCS_ERROR_UNSUPPORTED);
            assert_null(doc);
            hcs_error_clear(&err);
            char *config = destination_config(&(hcs_CompatibilityInfo){.Data = "e30="});
            hcs_system refused; /* an older build knows no MigrationOptions */
            assert_int_equal(hcs_system_create(client,
                                               &(hcs_system_spec){.id = unique_id("compat-old"), .config_json = config},
                                               HCS_TIMEOUT_DEFAULT, &refused, NULL),
                             HCS_E_INVALID_JSON);
            free(config);
            side_close(&src);
            socket_close(ends[1]);
            return;
        }
        assert_int_equal(hr, HCS_OK);
        assert_non_null(info->Data);
        char *config = destination_config(info);
        hcs_schema_doc_free(doc);
        side_open(&dst, "compat-dst", config, false, ends[1], HCS_MIGRATION_DESTINATION);
        free(config);
        hcs_thread t;
        assert_int_equal(hcs__thread_start(&t, migrate_thread, &dst), 0);
        migrate_thread(&src);
        hcs__thread_join(t);
        assert_int_equal(src.hr, matching ? HCS_OK : (int32_t)0x8007000D);
        assert_int_equal(dst.hr, matching ? HCS_OK : (int32_t)0x8007000D);
        if (!matching) {
            assert_non_null(strstr(dst.err.message, "CompatibilityInfo"));
            source_runs_on(&src);
        }
        char *props = state_of(dst.sys);
        assert_non_null(strstr(props, matching ? "\"State\":\"Running\"" : "\"State\":\"Stopped\""));
        hcs_free(props);
        side_close(&src);
        side_close(&dst);
    }
}

/* Bad arguments are refused before HCS is called. */
static void bad_arguments(void **state)
{
    (void)state;
    side src, dst;
    pair_open(&src, &dst, "args");
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(hcs_migrate(src.sys, NULL, 1000, &err), HCS_COM_E_INVALIDARG);
    hcs_error_clear(&err);
    hcs_migration_spec bad = src.spec;
    bad.side = (hcs_migration_side)7;
    assert_int_equal(hcs_migrate(src.sys, &bad, 1000, NULL), HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_migration_start(src.sys, HCS_MIGRATION_SOURCE, -1, 1, 1000, NULL), HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_migration_finalize(src.sys, HCS_MIGRATION_SOURCE, (hcs_migration_end)9, 1000, NULL),
                     HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_migration_transfer_async(src.sys, HCS_MIGRATION_SOURCE, NULL, NULL, NULL),
                     HCS_COM_E_INVALIDARG);
    hcs_schema_doc *doc = NULL;
    hcs_CompatibilityInfo *info = NULL;
    assert_int_equal(hcs_migration_compatibility(src.sys, 1000, NULL, &info, NULL), HCS_COM_E_POINTER);
    assert_int_equal(hcs_migration_compatibility(src.sys, 1000, &doc, NULL, NULL), HCS_COM_E_POINTER);
    assert_int_equal(hcs_migration_compatibility((hcs_system){0}, 1000, &doc, &info, NULL), HCS_WIN32_E_INVALID_HANDLE);
    assert_null(doc);
    side_close(&src);
    side_close(&dst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(helper_on_both_hosts, reset_sim),
        cmocka_unit_test_setup(steps_one_by_one, reset_sim),
        cmocka_unit_test_setup(cancel_the_helper, reset_sim),
        cmocka_unit_test_setup(deadline_of_the_helper, reset_sim),
        cmocka_unit_test_setup(fault_at_each_step, reset_sim),
        cmocka_unit_test_setup(cut_in_the_helper, reset_sim),
        cmocka_unit_test_setup(compatibility_to_the_destination, reset_sim),
        cmocka_unit_test_setup(bad_arguments, reset_sim),
    };
    return cmocka_run_group_tests(tests, open_client, close_client);
}
