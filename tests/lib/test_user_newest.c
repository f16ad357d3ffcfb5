/* The newest public APIs (migration.h, storage.h, network.h, operation.h's
 * progress) exercised as a demanding user and attacker would, from the
 * headers and docs/ only. Every assertion cites the sentence it rests on;
 * where the docs are silent the test asserts only "fails, no crash, no
 * hang" and says so ("silent:").
 *
 * Run on hcssim's build 24H2 (HCSSIM_PROFILE=24H2) and on 21H2, where the
 * migration functions and hcs_async.progress must fail alone with "not
 * supported on this host". */
#include "socket_pair.h" /* first: winsock2.h before windows.h */

#include "lib_helpers.h"
#include "lm_journal.h"
#include "storage_fs.h"

#include "hcs/hcn_e_codes.h"

#ifndef _WIN32
#include <unistd.h>
#endif

#define SOURCE_VM                                                                                                      \
    "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"VirtualMachine\":{\"ComputeTopology\":{\"Memory\":"                \
    "{\"SizeInMB\":512}},\"GuestConnection\":{}}}"
#define TARGET_VM SOURCE_VM

static bool newest_build(void)
{
    const char *p = getenv("HCSSIM_PROFILE");
    return p && strcmp(p, "24H2") == 0;
}

/* A system handle that names nothing: an id libhcs never issued. */
static const hcs_system never_issued = {0x7fffffff12345678ull};

/* ---- one side of a migration ------------------------------------------- */

typedef struct side {
    char id[48];
    hcs_system sys;
    lm_journal log;
    HANDLE end;
    hcs_migration_spec spec;
    uint32_t timeout_ms;
    int32_t hr;
    hcs_error err;
    /* done flag, so a hang shows as a failure instead of a stuck join */
    hcs_mutex mu;
    hcs_cond cv;
    int done;
} side;

static void side_open(side *s, const char *tag, const char *config, bool running, HANDLE end, hcs_migration_side which)
{
    memset(s, 0, sizeof *s);
    lm_journal_init(&s->log);
    hcs__mutex_init(&s->mu);
    hcs__cond_init(&s->cv);
    snprintf(s->id, sizeof s->id, "%s", unique_id(tag));
    hcs_system_spec spec = {
        .id = s->id, .config_json = config, .events = {.callback = lm_journal_on_event, .user_data = &s->log}};
    assert_int_equal(hcs_system_create(client, &spec, HCS_TIMEOUT_DEFAULT, &s->sys, NULL), HCS_OK);
    if (running)
        assert_int_equal(hcs_system_start(s->sys, NULL, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    s->end = end;
    s->timeout_ms = HCS_TIMEOUT_DEFAULT;
    s->spec = (hcs_migration_spec){.side = which, .socket = end ? socket_os(end) : -1, .session_id = 7};
}

static void side_close(side *s)
{
    hcs_system_terminate(s->sys, HCS_TIMEOUT_DEFAULT, NULL);
    hcs_system_close(s->sys);
    if (s->end)
        socket_close(s->end);
    hcs_error_clear(&s->err);
    lm_journal_free(&s->log);
    hcs__cond_destroy(&s->cv);
    hcs__mutex_destroy(&s->mu);
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
    int32_t hr = hcs_migrate(s->sys, &s->spec, s->timeout_ms, &s->err);
    hcs__mutex_lock(&s->mu);
    s->hr = hr;
    s->done = 1;
    hcs__cond_broadcast(&s->cv);
    hcs__mutex_unlock(&s->mu);
}

/* Waits for a side's hcs_migrate (a 20 s hang guard). */
static bool side_wait(side *s)
{
    uint64_t deadline = hcs__clock_ms() + 20000;
    hcs__mutex_lock(&s->mu);
    while (!s->done && hcs__cond_wait_until(&s->cv, &s->mu, deadline)) {
    }
    bool done = s->done;
    hcs__mutex_unlock(&s->mu);
    return done;
}

static bool state_is(hcs_system sys, const char *state)
{
    char *doc = NULL;
    if (hcs_system_properties_json(sys, NULL, HCS_TIMEOUT_DEFAULT, &doc, NULL) != HCS_OK)
        return false;
    char want[64];
    snprintf(want, sizeof want, "\"State\":\"%s\"", state);
    bool is = strstr(doc, want) != NULL;
    hcs_free(doc);
    return is;
}

/* The error is filled as error.h says: "when non-NULL it is filled on
 * failure", err->hr "the HRESULT that the function returned", kind
 * "hcs_classify(hr)"; errors.md: "hcs_error.call always names a real
 * function". */
static void assert_err(const hcs_error *err, int32_t hr)
{
    assert_int_equal(err->hr, hr);
    assert_int_equal(err->kind, hcs_classify(hr));
    assert_non_null(err->call);
    if (!(strncmp(err->call, "hcs_", 4) == 0 || strncmp(err->call, "Hcs", 3) == 0 || strncmp(err->call, "Hcn", 3) == 0))
        fail_msg("err.call \"%s\" names no libhcs, computecore or computenetwork function", err->call);
    assert_non_null(err->message);
}

/* ======================================================================== */
/* migration.h                                                              */
/* ======================================================================== */

/* Every migration function on a handle that names no live system.
 * error.h: "a handle that names no live object of its kind (closed, stale,
 * never issued, or a handle of another kind such as a system passed as a
 * process): HCS_WIN32_E_INVALID_HANDLE, with hcs_error filled". */
static void every_migration_call_refuses(hcs_system bad)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    hcs_async how = {.cq = cq, .timeout_ms = HCS_TIMEOUT_DEFAULT};
    hcs_op op;
    HANDLE ends[2];
    socket_pair(ends);
    intptr_t sock = socket_os(ends[0]);

#define BAD(call)                                                                                                      \
    do {                                                                                                               \
        assert_int_equal((call), HCS_WIN32_E_INVALID_HANDLE);                                                          \
        assert_err(&err, HCS_WIN32_E_INVALID_HANDLE);                                                                  \
        hcs_error_clear(&err);                                                                                         \
    } while (0)
    BAD(hcs_migration_initialize(bad, NULL, 1000, &err));
    BAD(hcs_migration_initialize_async(bad, NULL, &how, &op, &err));
    BAD(hcs_migration_start(bad, HCS_MIGRATION_SOURCE, sock, 1, 1000, &err));
    BAD(hcs_migration_start_async(bad, HCS_MIGRATION_DESTINATION, sock, 1, &how, &op, &err));
    BAD(hcs_migration_transfer(bad, HCS_MIGRATION_SOURCE, 1000, &err));
    BAD(hcs_migration_transfer_async(bad, HCS_MIGRATION_SOURCE, &how, &op, &err));
    BAD(hcs_migration_finalize(bad, HCS_MIGRATION_SOURCE, HCS_MIGRATION_RESUME, 1000, &err));
    BAD(hcs_migration_finalize_async(bad, HCS_MIGRATION_DESTINATION, HCS_MIGRATION_STOP, &how, &op, &err));
    BAD(hcs_migration_cancel(bad, HCS_MIGRATION_SOURCE, 1000, &err));
    BAD(hcs_migration_cancel_async(bad, HCS_MIGRATION_SOURCE, &how, &op, &err));
    hcs_schema_doc *doc = (hcs_schema_doc *)1;
    hcs_CompatibilityInfo *info = (hcs_CompatibilityInfo *)1;
    BAD(hcs_migration_compatibility(bad, 1000, &doc, &info, &err));
    /* api-conventions: "Outputs are set to their zero value first". */
    assert_null(doc);
    assert_null(info);
    hcs_migration_spec spec = {.side = HCS_MIGRATION_SOURCE, .socket = sock, .session_id = 1};
    BAD(hcs_migrate(bad, &spec, 1000, &err));
#undef BAD
    /* A call refused at once reports nothing to the queue: silent in
     * operation.h (it says "each async call reports exactly once" of calls
     * that started), so only checked that nothing crashes on drain. */
    hcs_result r;
    while (hcs_cq_next(cq, 0, &r, NULL) == HCS_OK)
        hcs_result_clear(&r);
    hcs_cq_close(cq);
    socket_close(ends[0]);
    socket_close(ends[1]);
}

static void migration_stale_handles(void **state)
{
    (void)state;
    if (!newest_build())
        return; /* silent: which of "unsupported" and "invalid handle" wins on an old host */
    every_migration_call_refuses((hcs_system){0}); /* api-conventions: "A zero id is never valid" */
    every_migration_call_refuses(never_issued);
    hcs_system sys = running_system("u-stale", SOURCE_VM);
    hcs_system_close(sys);
    every_migration_call_refuses(sys); /* closed */
    hcs_system_close(sys);             /* system.h: close is "Idempotent" */
    /* A handle of another kind: a completion queue's id passed as a system. */
    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    every_migration_call_refuses((hcs_system){cq.id});
    hcs_cq_close(cq);
}

/* NULL and garbage arguments on a live, running VM. */
static void migration_bad_arguments(void **state)
{
    (void)state;
    if (!newest_build())
        return;
    hcs_error err = HCS_ERROR_INIT;
    hcs_system sys = running_system("u-args", SOURCE_VM);
    HANDLE ends[2];
    socket_pair(ends);
    intptr_t sock = socket_os(ends[0]);

    /* error.h: "a NULL output pointer: HCS_COM_E_POINTER". */
    hcs_schema_doc *doc;
    hcs_CompatibilityInfo *info;
    assert_int_equal(hcs_migration_compatibility(sys, 1000, NULL, &info, &err), HCS_COM_E_POINTER);
    assert_err(&err, HCS_COM_E_POINTER);
    assert_int_equal(hcs_migration_compatibility(sys, 1000, &doc, NULL, &err), HCS_COM_E_POINTER);
    assert_err(&err, HCS_COM_E_POINTER);
    /* error.h: "a NULL, empty or inconsistent input: HCS_COM_E_INVALIDARG"
     * (hcs_migrate's NULL spec: null_input_structs below). */
    /* A side that is neither: an inconsistent input. */
    hcs_migration_side neither = (hcs_migration_side)7;
    assert_int_equal(hcs_migration_start(sys, neither, sock, 1, 1000, &err), HCS_COM_E_INVALIDARG);
    assert_err(&err, HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_migration_transfer(sys, neither, 1000, &err), HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_migration_finalize(sys, neither, HCS_MIGRATION_RESUME, 1000, &err), HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_migration_finalize(sys, HCS_MIGRATION_SOURCE, (hcs_migration_end)-1, 1000, &err),
                     HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_migration_cancel(sys, neither, 1000, &err), HCS_COM_E_INVALIDARG);
    hcs_migration_spec spec = {.side = neither, .socket = sock, .session_id = 1};
    assert_int_equal(hcs_migrate(sys, &spec, 1000, &err), HCS_COM_E_INVALIDARG);
    assert_err(&err, HCS_COM_E_INVALIDARG);
    /* Initialize options that are not a MigrationInitializeOptions document:
     * simulator-fidelity "an unknown member ... is HCS_E_INVALID_JSON"; an
     * Origin naming the other side is E_INVALIDARG. */
    assert_int_equal(hcs_migration_initialize(sys, "{\"Bogus\":1}", 1000, &err), HCS_E_INVALID_JSON);
    assert_int_equal(hcs_migration_initialize(sys, "{\"Origin\":\"Destination\"}", 1000, &err), HCS_COM_E_INVALIDARG);
    /* Non-UTF-8 options: errors.md "invalid UTF-8 is
     * HCS_WIN32_E_NO_UNICODE_TRANSLATION". */
    assert_int_equal(hcs_migration_initialize(sys, "{\"Origin\":\"\xff\xfe\"}", 1000, &err),
                     HCS_WIN32_E_NO_UNICODE_TRANSLATION);
    assert_err(&err, HCS_WIN32_E_NO_UNICODE_TRANSLATION);
    /* After all those refusals the VM is untouched and can still migrate:
     * fidelity "initialize: a running VM not already migrating". */
    assert_true(state_is(sys, "Running"));
    assert_int_equal(hcs_migration_initialize(sys, NULL, 1000, &err), HCS_OK);
    /* migration.h: "After a failure or a cancel: the source Resumes (its VM
     * runs on)". */
    assert_int_equal(hcs_migration_cancel(sys, HCS_MIGRATION_SOURCE, 1000, &err), HCS_OK);
    assert_int_equal(hcs_migration_finalize(sys, HCS_MIGRATION_SOURCE, HCS_MIGRATION_RESUME, 1000, &err), HCS_OK);
    assert_true(state_is(sys, "Running"));
    hcs_error_clear(&err);
    socket_close(ends[0]);
    socket_close(ends[1]);
    hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL);
    hcs_system_close(sys);
}

/* NULL input structs. error.h: "a NULL output pointer: HCS_COM_E_POINTER;
 * a NULL, empty or inconsistent input ...: HCS_COM_E_INVALIDARG".
 * hcs_migrate's spec (const hcs_migration_spec *) and an _async call's how
 * (const hcs_async *) are inputs, as hcs_system_create's spec is. */
static void null_input_structs(void **state)
{
    (void)state;
    if (!newest_build())
        return;
    hcs_error err = HCS_ERROR_INIT;
    hcs_system sys = running_system("u-nullspec", SOURCE_VM);
    hcs_op op;
    int32_t spec_hr = hcs_migrate(sys, NULL, 1000, &err);
    int32_t how_hr = hcs_migration_initialize_async(sys, NULL, NULL, &op, &err);
    int32_t start_how_hr = hcs_system_start_async(sys, NULL, NULL, &op, &err);
    hcs_error_clear(&err);
    /* the same library's other input specs, for comparison */
    hcs_system other;
    int32_t create_hr = hcs_system_create(client, NULL, 1000, &other, NULL);
    hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL);
    hcs_system_close(sys);
    print_message("NULL spec: hcs_migrate 0x%08X, hcs_system_create 0x%08X; NULL how: "
                  "hcs_migration_initialize_async 0x%08X, hcs_system_start_async 0x%08X\n",
                  (unsigned)spec_hr, (unsigned)create_hr, (unsigned)how_hr, (unsigned)start_how_hr);
    assert_int_equal(create_hr, HCS_COM_E_INVALIDARG);
    assert_int_equal(spec_hr, HCS_COM_E_INVALIDARG);
    assert_int_equal(how_hr, HCS_COM_E_INVALIDARG);
    assert_int_equal(start_how_hr, HCS_COM_E_INVALIDARG);
}

/* A socket that is not a socket: migration.h does not say which error;
 * simulator-fidelity: HcsAddResourceToOperation "the handle must be a
 * stream socket (else 0x80070006)". The side must then roll back cleanly
 * (migration.h: "the side is rolled back ... the source's VM runs on"). */
static void migration_socket_not_a_socket(void **state)
{
    (void)state;
    if (!newest_build())
        return;
    hcs_error err = HCS_ERROR_INIT;
    hcssim_counts before = settled_counts();
    hcs_system sys = running_system("u-nosock", SOURCE_VM);
#ifdef _WIN32
    HANDLE r, w;
    assert_true(CreatePipe(&r, &w, NULL, 0));
    intptr_t not_socket = (intptr_t)r;
#else
    int p[2];
    assert_int_equal(pipe(p), 0);
    intptr_t not_socket = p[0];
#endif
    intptr_t garbage[] = {not_socket, -1, 0x7ffffff0};
    for (size_t i = 0; i < sizeof garbage / sizeof garbage[0]; i++) {
        hcs_migration_spec spec = {.side = HCS_MIGRATION_SOURCE, .socket = garbage[i], .session_id = 3};
        int32_t hr = hcs_migrate(sys, &spec, 5000, &err);
        print_message("hcs_migrate with socket #%u: 0x%08X %s\n", (unsigned)i, (unsigned)hr,
                      err.message ? err.message : "");
        assert_true(HCS_FAILED(hr));
        assert_err(&err, hr);
        /* rolled back: the source's VM runs on, and migrates again */
        assert_true(state_is(sys, "Running"));
        /* the step form: start refuses the descriptor, the VM stays whole */
        assert_int_equal(hcs_migration_initialize(sys, NULL, 5000, &err), HCS_OK);
        hr = hcs_migration_start(sys, HCS_MIGRATION_SOURCE, garbage[i], 3, 5000, &err);
        assert_true(HCS_FAILED(hr));
        assert_int_equal(hcs_migration_finalize(sys, HCS_MIGRATION_SOURCE, HCS_MIGRATION_RESUME, 5000, &err), HCS_OK);
        assert_true(state_is(sys, "Running"));
    }
#ifdef _WIN32
    CloseHandle(r);
    CloseHandle(w);
#else
    close(p[0]);
    close(p[1]);
#endif
    hcs_error_clear(&err);
    hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL);
    hcs_system_close(sys);
    assert_all_given_back(before); /* operation.h: "Nothing leaks" */
}

/* 21H2: migration.h "Every function returns HCS_WIN32_E_PROC_NOT_FOUND
 * ("not supported on this host", class unsupported) on hosts without live
 * migration". */
static void migration_on_older_host(void **state)
{
    (void)state;
    if (newest_build())
        return;
    hcs_error err = HCS_ERROR_INIT;
    hcs_system sys = running_system("u-old", SOURCE_VM);
    hcs_system created;
    assert_int_equal(hcs_system_create(client,
                                       &(hcs_system_spec){.id = unique_id("u-old-dst"), .config_json = TARGET_VM},
                                       HCS_TIMEOUT_DEFAULT, &created, NULL),
                     HCS_OK);
    HANDLE ends[2];
    socket_pair(ends);
    intptr_t sock = socket_os(ends[0]);
    latch l;
    latch_init(&l);
    hcs_async how = {.callback = record_result, .user_data = &l, .timeout_ms = HCS_TIMEOUT_DEFAULT};
    hcs_op op;
#define OLD(call)                                                                                                      \
    do {                                                                                                               \
        assert_int_equal((call), HCS_WIN32_E_PROC_NOT_FOUND);                                                          \
        assert_err(&err, HCS_WIN32_E_PROC_NOT_FOUND);                                                                  \
        assert_int_equal(err.kind, HCS_ERROR_UNSUPPORTED);                                                             \
        if (!strstr(err.message, "not supported on this host"))                                                        \
            fail_msg("%s: message \"%s\" does not say \"not supported on this host\"", #call, err.message);            \
        hcs_error_clear(&err);                                                                                         \
    } while (0)
    OLD(hcs_migration_initialize(sys, NULL, 1000, &err));
    OLD(hcs_migration_initialize_async(sys, NULL, &how, &op, &err));
    OLD(hcs_migration_start(sys, HCS_MIGRATION_SOURCE, sock, 1, 1000, &err));
    /* the destination's start: code and class here; its message in
     * destination_start_on_older_host */
    assert_int_equal(hcs_migration_start(created, HCS_MIGRATION_DESTINATION, sock, 1, 1000, &err),
                     HCS_WIN32_E_PROC_NOT_FOUND);
    assert_int_equal(err.kind, HCS_ERROR_UNSUPPORTED);
    hcs_error_clear(&err);
    OLD(hcs_migration_start_async(sys, HCS_MIGRATION_SOURCE, sock, 1, &how, &op, &err));
    OLD(hcs_migration_transfer(sys, HCS_MIGRATION_SOURCE, 1000, &err));
    OLD(hcs_migration_transfer_async(sys, HCS_MIGRATION_SOURCE, &how, &op, &err));
    OLD(hcs_migration_finalize(sys, HCS_MIGRATION_SOURCE, HCS_MIGRATION_RESUME, 1000, &err));
    OLD(hcs_migration_finalize_async(sys, HCS_MIGRATION_SOURCE, HCS_MIGRATION_STOP, &how, &op, &err));
    OLD(hcs_migration_cancel(sys, HCS_MIGRATION_SOURCE, 1000, &err));
    OLD(hcs_migration_cancel_async(sys, HCS_MIGRATION_SOURCE, &how, &op, &err));
    hcs_schema_doc *doc;
    hcs_CompatibilityInfo *info;
    OLD(hcs_migration_compatibility(sys, 1000, &doc, &info, &err));
    hcs_migration_spec spec = {.side = HCS_MIGRATION_SOURCE, .socket = sock, .session_id = 1};
    OLD(hcs_migrate(sys, &spec, 1000, &err));
    spec.side = HCS_MIGRATION_DESTINATION;
    assert_int_equal(hcs_migrate(created, &spec, 1000, &err), HCS_WIN32_E_PROC_NOT_FOUND);
    assert_int_equal(err.kind, HCS_ERROR_UNSUPPORTED);
    hcs_error_clear(&err);
    /* operation.h, hcs_async.progress: "on others the call fails with
     * HCS_WIN32_E_PROC_NOT_FOUND, "not supported on this host"". */
    hcs_async with_progress = how;
    with_progress.progress = true;
    OLD(hcs_system_properties_async(sys, NULL, &with_progress, &op, &err));
#undef OLD
    /* "fails alone": the VM is untouched and the other calls work. */
    assert_true(state_is(sys, "Running"));
    assert_true(state_is(created, "Created"));
    assert_int_equal(hcs_system_pause(sys, NULL, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    assert_int_equal(hcs_system_resume(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs__sleep_ms(100);
    assert_int_equal(l.count, 0); /* refused calls never reported */
    latch_free(&l);
    socket_close(ends[0]);
    socket_close(ends[1]);
    hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL);
    hcs_system_close(sys);
    hcs_system_close(created);
}

/* 21H2: the destination's start, which needs HcsAddResourceToOperation for
 * its socket. migration.h: "Every function returns
 * HCS_WIN32_E_PROC_NOT_FOUND ("not supported on this host", class
 * unsupported) on hosts without live migration": the message too, as every
 * other migration function's, not a refusal naming HcsStartComputeSystem,
 * which the host has. */
static void destination_start_on_older_host(void **state)
{
    (void)state;
    if (newest_build())
        return;
    hcs_error err = HCS_ERROR_INIT, err2 = HCS_ERROR_INIT;
    hcs_system created;
    assert_int_equal(hcs_system_create(client, &(hcs_system_spec){.id = unique_id("u-old-d"), .config_json = TARGET_VM},
                                       HCS_TIMEOUT_DEFAULT, &created, NULL),
                     HCS_OK);
    HANDLE ends[2];
    socket_pair(ends);
    int32_t hr = hcs_migration_start(created, HCS_MIGRATION_DESTINATION, socket_os(ends[1]), 1, 1000, &err);
    hcs_migration_spec spec = {.side = HCS_MIGRATION_DESTINATION, .socket = socket_os(ends[1]), .session_id = 1};
    int32_t hr2 = hcs_migrate(created, &spec, 1000, &err2);
    bool said = err.message && strstr(err.message, "not supported on this host");
    bool said2 = err2.message && strstr(err2.message, "not supported on this host");
    print_message("start: 0x%08X %s\nhcs_migrate: 0x%08X %s\n", (unsigned)hr, err.message, (unsigned)hr2, err2.message);
    hcs_error_clear(&err);
    hcs_error_clear(&err2);
    socket_close(ends[0]);
    socket_close(ends[1]);
    hcs_system_close(created);
    assert_int_equal(hr, HCS_WIN32_E_PROC_NOT_FOUND);
    assert_int_equal(hr2, HCS_WIN32_E_PROC_NOT_FOUND);
    assert_true(said);
    assert_true(said2);
}

/* Steps out of order on the source. */
static void migration_out_of_order(void **state)
{
    (void)state;
    if (!newest_build())
        return;
    hcs_error err = HCS_ERROR_INIT;
    hcs_system sys = running_system("u-order", SOURCE_VM);
    HANDLE ends[2];
    socket_pair(ends);
    intptr_t sock = socket_os(ends[0]);

    /* silent: the code of a start, transfer or finalize before initialize.
     * Only "fails" is asserted, and that the VM is left as it was. */
    assert_true(HCS_FAILED(hcs_migration_transfer(sys, HCS_MIGRATION_SOURCE, 2000, &err)));
    assert_err(&err, err.hr);
    assert_true(HCS_FAILED(hcs_migration_start(sys, HCS_MIGRATION_SOURCE, sock, 1, 2000, &err)));
    assert_true(state_is(sys, "Running"));

    /* fidelity: initialize "a running VM not already migrating (else
     * HCS_E_INVALID_STATE)". */
    assert_int_equal(hcs_migration_initialize(sys, NULL, 2000, &err), HCS_OK);
    assert_int_equal(hcs_migration_initialize(sys, NULL, 2000, &err), HCS_E_INVALID_STATE);
    assert_err(&err, HCS_E_INVALID_STATE);
    assert_int_equal(err.kind, HCS_ERROR_INVALID_STATE);
    /* transfer before start: silent on the code. */
    assert_true(HCS_FAILED(hcs_migration_transfer(sys, HCS_MIGRATION_SOURCE, 2000, &err)));
    /* fidelity "while migrating: start, shutdown, pause, resume ... fail
     * with HCS_E_INVALID_STATE". */
    assert_int_equal(hcs_system_pause(sys, NULL, 2000, &err), HCS_E_INVALID_STATE);
    /* cancel twice: fidelity "cancel ... before [the transfer]:
     * MigrationFailed/MigrationCancelled"; the second is silent. */
    assert_int_equal(hcs_migration_cancel(sys, HCS_MIGRATION_SOURCE, 2000, &err), HCS_OK);
    int32_t second = hcs_migration_cancel(sys, HCS_MIGRATION_SOURCE, 2000, &err);
    print_message("second cancel: 0x%08X\n", (unsigned)second);
    /* migration.h: "After a failure or a cancel: the source Resumes". */
    assert_int_equal(hcs_migration_finalize(sys, HCS_MIGRATION_SOURCE, HCS_MIGRATION_RESUME, 2000, &err), HCS_OK);
    assert_true(state_is(sys, "Running"));
    /* finalize twice: silent on the code; must fail (the migration is over)
     * or be harmless, never change the VM. */
    int32_t again = hcs_migration_finalize(sys, HCS_MIGRATION_SOURCE, HCS_MIGRATION_STOP, 2000, &err);
    print_message("second finalize (Stop): 0x%08X\n", (unsigned)again);
    assert_true(HCS_FAILED(again));
    assert_true(state_is(sys, "Running"));
    /* And everything is in order again: the VM can pause. */
    assert_int_equal(hcs_system_pause(sys, NULL, 2000, &err), HCS_OK);
    assert_int_equal(hcs_system_resume(sys, 2000, &err), HCS_OK);

    /* initialize on a created VM: fidelity "a running VM ... (else
     * HCS_E_INVALID_STATE; a container 0x80070032)". */
    hcs_system created;
    assert_int_equal(hcs_system_create(client,
                                       &(hcs_system_spec){.id = unique_id("u-order-c"), .config_json = SOURCE_VM},
                                       HCS_TIMEOUT_DEFAULT, &created, NULL),
                     HCS_OK);
    assert_int_equal(hcs_migration_initialize(created, NULL, 2000, &err), HCS_E_INVALID_STATE);
    /* fidelity CompatibilityInfo: "a created or stopped one HCS_E_INVALID_STATE". */
    hcs_schema_doc *doc;
    hcs_CompatibilityInfo *info;
    assert_int_equal(hcs_migration_compatibility(created, 2000, &doc, &info, &err), HCS_E_INVALID_STATE);
    hcs_system_close(created);
    hcs_system container = running_system("u-order-ct", CONTAINER);
    assert_int_equal(hcs_migration_initialize(container, NULL, 2000, &err), HCS_WIN32_E_NOT_SUPPORTED);
    assert_int_equal(hcs_migration_compatibility(container, 2000, &doc, &info, &err), HCS_WIN32_E_NOT_SUPPORTED);
    hcs_system_terminate(container, HCS_TIMEOUT_DEFAULT, NULL);
    hcs_system_close(container);

    hcs_error_clear(&err);
    socket_close(ends[0]);
    socket_close(ends[1]);
    hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL);
    hcs_system_close(sys);
}

/* A whole migration, then the calls that come too late: migration.h
 * cancel "HCS_E_INVALID_STATE when the transfer had completed already". */
static void migration_after_the_end(void **state)
{
    (void)state;
    if (!newest_build())
        return;
    side src, dst;
    pair_open(&src, &dst, "u-end");
    hcs_thread t;
    assert_int_equal(hcs__thread_start(&t, migrate_thread, &dst), 0);
    migrate_thread(&src);
    assert_true(side_wait(&dst));
    hcs__thread_join(t);
    assert_int_equal(src.hr, HCS_OK);
    assert_int_equal(dst.hr, HCS_OK);
    /* migration.h: events "SetupDone, TransferInProgress, BlackoutStarted,
     * OfflineDone, BlackoutExited, MigrationDone"; in HCS's order (event.h). */
    assert_true(lm_journal_wait(&src.log, "MigrationDone", NULL, 0));
    const char *w = src.log.words;
    assert_true(strstr(w, "TransferInProgress") < strstr(w, "BlackoutStarted"));
    assert_true(strstr(w, "BlackoutStarted") < strstr(w, "MigrationDone"));
    hcs_error err = HCS_ERROR_INIT;
    /* finalize again, after hcs_migrate finalized: silent on the code. */
    assert_true(
        HCS_FAILED(hcs_migration_finalize(dst.sys, HCS_MIGRATION_DESTINATION, HCS_MIGRATION_RESUME, 2000, &err)));
    assert_true(HCS_FAILED(hcs_migration_cancel(dst.sys, HCS_MIGRATION_DESTINATION, 2000, &err)));
    /* The destination runs the VM (migration.h: "the destination (a created
     * VM) starts, transfers and resumes"). */
    assert_true(state_is(dst.sys, "Running"));
    hcs_error_clear(&err);
    side_close(&src);
    side_close(&dst);
}

/* Sessions that differ: fidelity "both transfers fail with 0x8007000D";
 * migration.h hcs_migrate: "the side is rolled back ... the source's VM
 * runs on and the destination's is discarded; the first failure is
 * returned". */
static void migration_session_mismatch(void **state)
{
    (void)state;
    if (!newest_build())
        return;
    side src, dst;
    pair_open(&src, &dst, "u-sess");
    dst.spec.session_id = 8;
    hcs_thread t;
    assert_int_equal(hcs__thread_start(&t, migrate_thread, &dst), 0);
    migrate_thread(&src);
    assert_true(side_wait(&dst));
    hcs__thread_join(t);
    assert_int_equal(src.hr, HCS_WIN32_E_INVALID_DATA);
    assert_int_equal(dst.hr, HCS_WIN32_E_INVALID_DATA);
    assert_true(state_is(src.sys, "Running"));
    assert_false(state_is(dst.sys, "Running"));
    side_close(&src);
    side_close(&dst);
}

/* The deadline passes while the destination never answers. migration.h:
 * "When ... the deadline passes ... the side is rolled back: cancelled,
 * then finalized so the source's VM runs on ... (HCS_E_OPERATION_TIMEOUT
 * for the deadline"; api-conventions "A timeout never abandons HCS's work". */
static void migration_deadline_expires(void **state)
{
    (void)state;
    if (!newest_build())
        return;
    hcssim_counts before = settled_counts();
    HANDLE ends[2];
    socket_pair(ends);
    side src;
    side_open(&src, "u-dead", SOURCE_VM, true, ends[0], HCS_MIGRATION_SOURCE);
    /* (deadlines of 0 and 1 ms: migrate_short_deadline_rolls_back) */
    uint32_t deadlines[] = {300, 200, 100};
    for (size_t i = 0; i < sizeof deadlines / sizeof deadlines[0]; i++) {
        if (i > 0) {
            /* silent: whether a connection that carried a rolled-back
             * migration can carry another; a fresh one each time */
            socket_close(ends[0]);
            socket_close(ends[1]);
            socket_pair(ends);
            src.end = ends[0];
            src.spec.socket = socket_os(ends[0]);
        }
        uint64_t t0 = hcs__clock_ms();
        int32_t hr = hcs_migrate(src.sys, &src.spec, deadlines[i], &src.err);
        uint64_t took = hcs__clock_ms() - t0;
        print_message("deadline %u ms: 0x%08X after %llu ms\n", deadlines[i], (unsigned)hr, (unsigned long long)took);
        assert_int_equal(hr, HCS_E_OPERATION_TIMEOUT);
        assert_err(&src.err, HCS_E_OPERATION_TIMEOUT);
        assert_int_equal(src.err.kind, HCS_ERROR_TIMEOUT);
        assert_true(took < 10000); /* a hang guard, not a timing check */
        /* consistent afterwards: the VM runs on, is not migrating any more
         * (it can be paused: fidelity "while migrating ... pause ... fail"),
         * and a new migration can begin. */
        assert_true(state_is(src.sys, "Running"));
        assert_int_equal(hcs_system_pause(src.sys, NULL, 2000, NULL), HCS_OK);
        assert_int_equal(hcs_system_resume(src.sys, 2000, NULL), HCS_OK);
        assert_int_equal(hcs_migration_initialize(src.sys, NULL, 2000, NULL), HCS_OK);
        assert_int_equal(hcs_migration_cancel(src.sys, HCS_MIGRATION_SOURCE, 2000, NULL), HCS_OK);
        assert_int_equal(hcs_migration_finalize(src.sys, HCS_MIGRATION_SOURCE, HCS_MIGRATION_RESUME, 2000, NULL),
                         HCS_OK);
    }
    /* the silent peer drains what was sent, so the next case's socket is clean */
    socket_close(ends[1]);
    side_close(&src);
    assert_all_given_back(before);
}

/* A deadline so short that it passes before or inside initialize (0 or
 * 1 ms). migration.h hcs_migrate: "When a step fails, the deadline passes
 * or another thread cancels ..., the side is rolled back: cancelled, then
 * finalized so the source's VM runs on"; api-conventions: "A timeout never
 * abandons HCS's work". Once hcs_migrate has returned
 * HCS_E_OPERATION_TIMEOUT the VM is no longer migrating: a pause works at
 * once (fidelity: "while migrating ... pause ... fail with
 * HCS_E_INVALID_STATE"). */
static void migrate_short_deadline_rolls_back(void **state)
{
    (void)state;
    if (!newest_build())
        return;
    int stuck = 0, tries = 0;
    for (uint32_t deadline = 0; deadline <= 1; deadline++) {
        for (int i = 0; i < 50; i++, tries++) {
            HANDLE ends[2];
            socket_pair(ends);
            hcs_system sys = running_system("u-short", SOURCE_VM);
            hcs_migration_spec spec = {.side = HCS_MIGRATION_SOURCE, .socket = socket_os(ends[0]), .session_id = 9};
            int32_t hr = hcs_migrate(sys, &spec, deadline, NULL);
            assert_int_equal(hr, HCS_E_OPERATION_TIMEOUT);
            /* at once: hcs_migrate has returned, so its rollback is over */
            int32_t p = hcs_system_pause(sys, NULL, 2000, NULL);
            if (p != HCS_OK) {
                stuck++;
                hcs__sleep_ms(300);
                int32_t later = hcs_system_pause(sys, NULL, 2000, NULL);
                print_message("deadline %u ms, try %d: pause right after hcs_migrate 0x%08X, 300 ms later 0x%08X\n",
                              deadline, i, (unsigned)p, (unsigned)later);
                /* what the user has to do by hand */
                hcs_migration_cancel(sys, HCS_MIGRATION_SOURCE, 2000, NULL);
                hcs_migration_finalize(sys, HCS_MIGRATION_SOURCE, HCS_MIGRATION_RESUME, 2000, NULL);
            }
            hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL);
            hcs_system_close(sys);
            socket_close(ends[0]);
            socket_close(ends[1]);
        }
    }
    print_message("%d of %d migrations left the VM migrating\n", stuck, tries);
    assert_int_equal(stuck, 0);
}

/* The step form's transfer times out while the peer is silent. operation.h:
 * "A call that times out (in any form) is cancelled where HCS allows, and
 * libhcs keeps HCS's operation and every buffer HCS may read alive until
 * HCS completes it ... Nothing leaks"; migration.h: "After a failure or a
 * cancel: the source Resumes". Then an async transfer whose queue is closed
 * under it: operation.h hcs_cq_close "calls still in flight that would
 * report to it are discarded when they end". */
static void migration_step_timeout_and_closed_queue(void **state)
{
    (void)state;
    if (!newest_build())
        return;
    hcssim_counts before = settled_counts();
    for (int round = 0; round < 2; round++) {
        HANDLE ends[2];
        socket_pair(ends);
        hcs_system sys = running_system("u-steptime", SOURCE_VM);
        hcs_error err = HCS_ERROR_INIT;
        assert_int_equal(hcs_migration_initialize(sys, NULL, 2000, &err), HCS_OK);
        assert_int_equal(hcs_migration_start(sys, HCS_MIGRATION_SOURCE, socket_os(ends[0]), 5, 2000, &err), HCS_OK);
        if (round == 0) {
            assert_int_equal(hcs_migration_transfer(sys, HCS_MIGRATION_SOURCE, 200, &err), HCS_E_OPERATION_TIMEOUT);
            assert_err(&err, HCS_E_OPERATION_TIMEOUT);
        } else {
            hcs_cq cq;
            assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
            hcs_async how = {.cq = cq, .timeout_ms = HCS_TIMEOUT_DEFAULT, .progress = true};
            hcs_op op;
            assert_int_equal(hcs_migration_transfer_async(sys, HCS_MIGRATION_SOURCE, &how, &op, &err), HCS_OK);
            hcs__sleep_ms(50);
            hcs_cq_close(cq);
            /* operation.h hcs_op_properties: the request has not reported */
            char *doc = NULL;
            int32_t hr = hcs_op_properties(op, &doc, &err);
            print_message("hcs_op_properties of the queued-away transfer: 0x%08X %s\n", (unsigned)hr, doc ? doc : "");
            hcs_free(doc);
        }
        /* the transfer may still be in HCS's hands: cancel, then finalize */
        int32_t c = hcs_migration_cancel(sys, HCS_MIGRATION_SOURCE, 2000, &err);
        print_message("round %d: cancel after the timeout: 0x%08X\n", round, (unsigned)c);
        /* silent: whether cancel returns before the cancelled transfer has
         * ended (fidelity: finalize is "refused while the transfer runs"),
         * and the timed-out or queued-away transfer can no longer be waited
         * for; so finalize is retried for a while (a 5 s guard). */
        int32_t f;
        uint64_t guard = hcs__clock_ms() + 5000;
        int attempts = 0;
        while ((f = hcs_migration_finalize(sys, HCS_MIGRATION_SOURCE, HCS_MIGRATION_RESUME, 2000, &err)) ==
                   HCS_E_INVALID_STATE &&
               hcs__clock_ms() < guard) {
            attempts++;
            hcs__sleep_ms(20);
        }
        print_message("round %d: finalize 0x%08X after %d refusals\n", round, (unsigned)f, attempts);
        assert_int_equal(f, HCS_OK);
        assert_true(state_is(sys, "Running"));
        assert_int_equal(hcs_system_pause(sys, NULL, 2000, &err), HCS_OK); /* not migrating any more */
        hcs_error_clear(&err);
        hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL);
        hcs_system_close(sys);
        socket_close(ends[0]);
        socket_close(ends[1]);
    }
    assert_all_given_back(before);
}

/* hcs_migration_cancel from other threads while hcs_migrate waits in the
 * transfer. migration.h: "hcs_migration_cancel in particular while another
 * thread waits in the transfer or in hcs_migrate"; hcs_migrate returns
 * "HCS_WIN32_E_CANCELLED for a cancel". */
typedef struct canceller {
    side *s;
    int32_t hr;
} canceller;

static void cancel_thread(void *arg)
{
    canceller *c = arg;
    c->hr = hcs_migration_cancel(c->s->sys, HCS_MIGRATION_SOURCE, HCS_TIMEOUT_DEFAULT, NULL);
}

static void migration_cancel_from_threads(void **state)
{
    (void)state;
    if (!newest_build())
        return;
    hcssim_counts before = settled_counts();
    HANDLE ends[2];
    socket_pair(ends);
    side src;
    side_open(&src, "u-cancel", SOURCE_VM, true, ends[0], HCS_MIGRATION_SOURCE);
    hcs_thread m;
    assert_int_equal(hcs__thread_start(&m, migrate_thread, &src), 0);
    assert_true(lm_journal_wait(&src.log, "TransferInProgress", NULL, 0));
    /* two cancels at once: the doc is silent about the second's result;
     * at least one must succeed. */
    canceller c1 = {&src, 0}, c2 = {&src, 0};
    hcs_thread t1, t2;
    assert_int_equal(hcs__thread_start(&t1, cancel_thread, &c1), 0);
    assert_int_equal(hcs__thread_start(&t2, cancel_thread, &c2), 0);
    assert_true(side_wait(&src));
    hcs__thread_join(m);
    hcs__thread_join(t1);
    hcs__thread_join(t2);
    print_message("cancels: 0x%08X 0x%08X\n", (unsigned)c1.hr, (unsigned)c2.hr);
    assert_true(c1.hr == HCS_OK || c2.hr == HCS_OK);
    assert_int_equal(src.hr, HCS_WIN32_E_CANCELLED);
    assert_err(&src.err, HCS_WIN32_E_CANCELLED);
    /* migration.h: "MigrationFailed with the reason". */
    assert_true(lm_journal_wait(&src.log, "MigrationFailed", NULL, 0));
    assert_true(state_is(src.sys, "Running"));
    assert_int_equal(hcs_system_pause(src.sys, NULL, 2000, NULL), HCS_OK);
    socket_close(ends[1]);
    side_close(&src);
    assert_all_given_back(before);
}

/* The source's event callback closes the source's own system handle in the
 * middle of the transfer. event.h: a callback "may call any libhcs
 * function"; system.h close: "calls in flight finish first and HCS's handle
 * is released after the last one"; hcs_migrate is one call: the source
 * "initializes, starts, transfers and stops its VM" (migration.h). So both
 * sides finish, the destination runs, the source's VM does not, the closed
 * handle is refused, and nothing leaks. */
static void migration_close_in_event_callback(void **state)
{
    (void)state;
    if (!newest_build())
        return;
    hcssim_counts before = settled_counts();
    side src, dst;
    pair_open(&src, &dst, "u-cbclose");
    src.log.close_on = "TransferInProgress";
    src.log.to_close = src.sys;
    hcs_thread a, b;
    assert_int_equal(hcs__thread_start(&a, migrate_thread, &src), 0);
    assert_int_equal(hcs__thread_start(&b, migrate_thread, &dst), 0);
    bool src_done = side_wait(&src), dst_done = side_wait(&dst);
    if (!src_done || !dst_done)
        fail_msg("hcs_migrate hangs after its system was closed from an event callback (src %d, dst %d)", src_done,
                 dst_done);
    hcs__thread_join(a);
    hcs__thread_join(b);
    assert_true(src.log.closed);
    assert_int_equal(src.hr, HCS_OK);
    assert_int_equal(dst.hr, HCS_OK);
    /* the closed handle is refused from now on */
    assert_int_equal(hcs_migration_cancel(src.sys, HCS_MIGRATION_SOURCE, 1000, NULL), HCS_WIN32_E_INVALID_HANDLE);
    assert_true(state_is(dst.sys, "Running"));
    hcs_system again;
    if (hcs_system_open(client, src.id, &again, NULL) == HCS_OK) { /* silent: whether a stopped VM can be reopened */
        assert_false(state_is(again, "Running"));
        assert_false(state_is(again, "Paused"));
        hcs_system_close(again);
    }
    side_close(&src);
    side_close(&dst);
    assert_all_given_back(before);
}

/* The async forms report exactly once, with the call's name. operation.h:
 * "Each async call reports exactly once"; hcs_result.call "the HCS
 * function". With progress, notifications come first (hcs_async.progress:
 * "all of them before the request's own report, none after"). */
static void migration_async_reports_once(void **state)
{
    (void)state;
    if (!newest_build())
        return;
    hcs_system sys = running_system("u-async", SOURCE_VM);
    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    hcs_async how = {.cq = cq, .user_data = &cq, .timeout_ms = HCS_TIMEOUT_DEFAULT, .progress = true};
    hcs_op op;
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(hcs_migration_initialize_async(sys, NULL, &how, &op, &err), HCS_OK);
    hcs_result r;
    int infos = 0;
    for (;;) {
        assert_int_equal(hcs_cq_next(cq, 10000, &r, NULL), HCS_OK);
        assert_int_equal(r.op.id, op.id);
        assert_ptr_equal(r.user_data, &cq);
        if (r.event_type == HCS_EVENT_NONE)
            break;
        assert_int_equal(r.event_type, HCS_EVENT_OPERATION_INFO);
        infos++;
        hcs_result_clear(&r);
    }
    assert_int_equal(r.hr, HCS_OK);
    assert_string_equal(r.call, "HcsInitializeLiveMigrationOnSource");
    hcs_result_clear(&r);
    print_message("initialize: %d notifications before its report\n", infos);
    /* none after */
    assert_int_equal(hcs_cq_next(cq, 300, &r, NULL), HCS_E_OPERATION_TIMEOUT);
    /* operation.h hcs_op_properties / hcs_op_cancel: "HCS_WIN32_E_INVALID_HANDLE
     * once the request has reported". */
    char *doc = NULL;
    assert_int_equal(hcs_op_properties(op, &doc, &err), HCS_WIN32_E_INVALID_HANDLE);
    assert_null(doc);
    assert_int_equal(hcs_op_cancel(op, &err), HCS_WIN32_E_INVALID_HANDLE);

    how.progress = false;
    assert_int_equal(hcs_migration_cancel_async(sys, HCS_MIGRATION_SOURCE, &how, &op, &err), HCS_OK);
    assert_int_equal(hcs_cq_next(cq, 10000, &r, NULL), HCS_OK);
    assert_int_equal(r.hr, HCS_OK);
    hcs_result_clear(&r);
    assert_int_equal(hcs_migration_finalize_async(sys, HCS_MIGRATION_SOURCE, HCS_MIGRATION_RESUME, &how, &op, &err),
                     HCS_OK);
    assert_int_equal(hcs_cq_next(cq, 10000, &r, NULL), HCS_OK);
    assert_int_equal(r.hr, HCS_OK);
    assert_string_equal(r.call, "HcsFinalizeLiveMigration");
    hcs_result_clear(&r);
    assert_int_equal(hcs_cq_next(cq, 200, &r, NULL), HCS_E_OPERATION_TIMEOUT);
    assert_true(state_is(sys, "Running"));
    hcs_error_clear(&err);
    hcs_cq_close(cq);
    hcs_cq_close(cq); /* operation.h: "Idempotent" */
    hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL);
    hcs_system_close(sys);
}

/* ======================================================================== */
/* storage.h                                                                */
/* ======================================================================== */

#define GUID_A "0b5e0000-0000-4000-8000-00000000000a"
#define GUID_B "0b5e0000-0000-4000-8000-00000000000b"

static void storage_bad_arguments(void **state)
{
    (void)state;
    hcs_error err = HCS_ERROR_INIT;
    char root[TFS_PATH], base[TFS_PATH], layer[TFS_PATH], staging[TFS_PATH];
    tfs_fresh_dir("hcs-user-storage", root);
    tfs_make_base(tfs_join(base, root, "base", NULL));
    tfs_join(layer, root, "layer", NULL);
    tfs_make_transport(tfs_join(staging, root, "pull", NULL), "a.exe", "a");
    hcs_layer_spec parent = {GUID_A, base};

    /* error.h: stale / zero / closed client handle -> INVALID_HANDLE */
    hcs_client closed;
    assert_int_equal(hcs_client_open(&(hcs_client_options){.provider = TEST_PROVIDER}, &closed, NULL), HCS_OK);
    hcs_client_close(closed);
    hcs_client_close(closed); /* client.h: "Idempotent" */
    hcs_client bads[] = {{0}, closed, {never_issued.id}};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(hcs_layer_import(bads[i], layer, staging, &parent, 1, &err), HCS_WIN32_E_INVALID_HANDLE);
        assert_err(&err, HCS_WIN32_E_INVALID_HANDLE);
        assert_int_equal(hcs_layer_destroy(bads[i], layer, &err), HCS_WIN32_E_INVALID_HANDLE);
        char *out = (char *)1;
        assert_int_equal(hcs_vhd_mount_path(bads[i], (void *)1, &out, &err), HCS_WIN32_E_INVALID_HANDLE);
        assert_null(out); /* api-conventions: "Outputs are set to their zero value first" */
    }
    /* error.h: "a NULL, empty or inconsistent input (a count larger than
     * its array): HCS_COM_E_INVALIDARG" */
    assert_int_equal(hcs_layer_import(client, NULL, staging, &parent, 1, &err), HCS_COM_E_INVALIDARG);
    assert_err(&err, HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_layer_import(client, "", staging, &parent, 1, &err), HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_layer_import(client, layer, NULL, &parent, 1, &err), HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_layer_import(client, layer, "", &parent, 1, &err), HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_layer_import(client, layer, staging, NULL, 2, &err), HCS_COM_E_INVALIDARG);
    hcs_layer_spec null_path = {GUID_A, NULL}, null_id = {NULL, base}, empty_id = {"", base};
    assert_int_equal(hcs_layer_import(client, layer, staging, &null_path, 1, &err), HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_layer_import(client, layer, staging, &null_id, 1, &err), HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_layer_import(client, layer, staging, &empty_id, 1, &err), HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_layer_destroy(client, NULL, &err), HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_layer_destroy(client, "", &err), HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_layer_export(client, layer, NULL, &parent, 1, false, &err), HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_layer_export_legacy(client, layer, NULL, root, &parent, 1, &err), HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_layer_init_writable(client, NULL, &parent, 1, &err), HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_layer_init_legacy_writable(client, layer, "", &parent, 1, NULL, &err), HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_layer_attach_filter(client, "", &parent, 1, &err), HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_layer_detach_filter(client, NULL, &err), HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_layer_setup_base_volume(client, layer, NULL, HCS_BASE_LAYER_CONTAINER, &err),
                     HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_layer_attach_overlay(client, NULL, &parent, 1, HCS_FILTER_WCIFS, &err), HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_layer_detach_overlay(client, "", HCS_FILTER_WCIFS, &err), HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_vhd_format(client, NULL, &err), HCS_COM_E_INVALIDARG);
    /* error.h: "a NULL output pointer: HCS_COM_E_POINTER" */
    assert_int_equal(hcs_vhd_mount_path(client, (void *)1, NULL, &err), HCS_COM_E_POINTER);
    assert_err(&err, HCS_COM_E_POINTER);
    /* Enums out of range: inconsistent inputs. storage.h hcs_layer_setup_base:
     * "For a container, vhd must be NULL; for a VM, it is the handle". */
    assert_int_equal(hcs_layer_setup_base(client, base, NULL, (hcs_base_layer_type)5, &err), HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_layer_setup_base(client, base, NULL, HCS_BASE_LAYER_VM, &err), HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_layer_attach_overlay(client, root, &parent, 1, (hcs_filter_type)9, &err),
                     HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_layer_detach_overlay(client, root, (hcs_filter_type)9, &err), HCS_COM_E_INVALIDARG);

    /* storage.h: "Each id must be a GUID without braces; two parents with
     * the same id are refused". Silent: which code. */
    hcs_layer_spec braces = {"{" GUID_A "}", base}, notguid = {"not-a-guid", base};
    hcs_layer_spec twins[2] = {{GUID_A, base}, {GUID_A, base}};
    assert_true(HCS_FAILED(hcs_layer_import(client, layer, staging, &braces, 1, &err)));
    assert_err(&err, err.hr);
    assert_true(HCS_FAILED(hcs_layer_import(client, layer, staging, &notguid, 1, &err)));
    assert_true(HCS_FAILED(hcs_layer_import(client, layer, staging, twins, 2, &err)));
    assert_err(&err, err.hr);

    /* errors.md: "invalid UTF-8 is HCS_WIN32_E_NO_UNICODE_TRANSLATION" */
    char bad_utf8[TFS_PATH + 8];
    snprintf(bad_utf8, sizeof bad_utf8, "%s/\xc3\x28\xff", root);
    assert_int_equal(hcs_layer_import(client, bad_utf8, staging, &parent, 1, &err), HCS_WIN32_E_NO_UNICODE_TRANSLATION);
    assert_err(&err, HCS_WIN32_E_NO_UNICODE_TRANSLATION);
    assert_int_equal(hcs_layer_destroy(client, bad_utf8, &err), HCS_WIN32_E_NO_UNICODE_TRANSLATION);
    hcs_layer_spec bad_parent = {GUID_A, bad_utf8};
    assert_int_equal(hcs_layer_import(client, layer, staging, &bad_parent, 1, &err),
                     HCS_WIN32_E_NO_UNICODE_TRANSLATION);
    hcs_layer_spec bad_id = {"0b5e0000-0000-4000-8000-00000000000\xff", base};
    /* an id with a bad byte is also no GUID: silent which refusal wins */
    int32_t hr = hcs_layer_import(client, layer, staging, &bad_id, 1, &err);
    assert_true(hr == HCS_WIN32_E_NO_UNICODE_TRANSLATION || hr == HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_layer_init_legacy_writable(client, layer, root, &parent, 1, "{\"x\":\"\xff\"}", &err),
                     HCS_WIN32_E_NO_UNICODE_TRANSLATION);

    /* Very long paths (past Windows' 32767): silent on the code; fails,
     * never crashes. */
    size_t n = 70000;
    char *longp = malloc(n + 1);
    memset(longp, 'a', n);
    for (size_t i = 100; i < n; i += 100)
        longp[i] = '/';
    longp[n] = 0;
    assert_true(HCS_FAILED(hcs_layer_import(client, longp, staging, &parent, 1, &err)));
    assert_err(&err, err.hr);
    assert_true(HCS_FAILED(hcs_layer_destroy(client, longp, &err)));
    hcs_layer_spec long_parent = {GUID_A, longp};
    assert_true(HCS_FAILED(hcs_layer_import(client, layer, staging, &long_parent, 1, &err)));
    free(longp);

    /* After every refusal the real thing works (storage.h hcs_layer_import:
     * layer_path "is created when missing"). */
    assert_int_equal(hcs_layer_import(client, layer, staging, &parent, 1, &err), HCS_OK);
    assert_true(tfs_exists(layer));
    /* A chain in the wrong order: storage.h "a chain in the other order
     * fails with HCS_WIN32_E_PATH_NOT_FOUND". */
    char layer2[TFS_PATH], staging2[TFS_PATH];
    tfs_join(layer2, root, "layer2", NULL);
    tfs_make_transport(tfs_join(staging2, root, "pull2", NULL), "b.exe", "b");
    hcs_layer_spec wrong_order[2] = {{GUID_A, base}, {GUID_B, layer}};
    assert_int_equal(hcs_layer_import(client, layer2, staging2, wrong_order, 2, &err), HCS_WIN32_E_PATH_NOT_FOUND);
    assert_int_equal(err.kind, HCS_ERROR_NOT_FOUND);
    hcs_error_clear(&err);
    assert_int_equal(hcs_layer_destroy(client, root, NULL), HCS_OK);
}

/* ======================================================================== */
/* network.h                                                                */
/* ======================================================================== */

static void network_bad_arguments(void **state)
{
    (void)state;
    hcs_error err = HCS_ERROR_INIT;
    hcs_network net;
    int32_t hr;
    /* error.h: NULL output -> HCS_COM_E_POINTER; NULL input -> INVALIDARG */
    assert_int_equal(hcs_network_create(client, NULL, "{\"Name\":\"u-x\"}", NULL, &err), HCS_COM_E_POINTER);
    assert_err(&err, HCS_COM_E_POINTER);
    assert_int_equal(hcs_network_create(client, NULL, NULL, &net, &err), HCS_COM_E_INVALIDARG);
    assert_err(&err, HCS_COM_E_INVALIDARG);
    assert_int_equal(net.id, 0); /* api-conventions: outputs zeroed first */
    /* an empty settings document: network_empty_inputs below */
    /* a NULL or empty id to open: network_empty_inputs below */
    assert_int_equal(hcs_network_delete(client, NULL, &err), HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_network_enumerate(client, NULL, NULL, &err), HCS_COM_E_POINTER);
    /* errors.md: invalid UTF-8 -> HCS_WIN32_E_NO_UNICODE_TRANSLATION */
    assert_int_equal(hcs_network_create(client, NULL, "{\"Name\":\"u-\xff\xfe\"}", &net, &err),
                     HCS_WIN32_E_NO_UNICODE_TRANSLATION);
    assert_err(&err, HCS_WIN32_E_NO_UNICODE_TRANSLATION);
    /* an id with a bad byte is also no GUID: silent which refusal wins */
    hr = hcs_network_open(client, "\xc3\x28", &net, &err);
    assert_true(hr == HCS_WIN32_E_NO_UNICODE_TRANSLATION || hr == HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_network_enumerate(client, "{\"Filter\":\"\xff\"}", &(char *){NULL}, &err),
                     HCS_WIN32_E_NO_UNICODE_TRANSLATION);
    /* network.h: "Ids are GUID strings": silent on the code for others. */
    assert_true(HCS_FAILED(hcs_network_create(client, "not-a-guid", "{\"Name\":\"u-ng\"}", &net, &err)));
    assert_err(&err, err.hr);
    assert_true(HCS_FAILED(hcs_network_open(client, "not-a-guid", &net, &err)));
    /* network.h open: "An unknown id: kind HCS_ERROR_NOT_FOUND". */
    assert_true(HCS_FAILED(hcs_network_open(client, "5eed0000-0000-4000-8000-0000000000ff", &net, &err)));
    assert_int_equal(err.kind, HCS_ERROR_NOT_FOUND);
    /* A very long name: silent; HCN may take it or refuse it, no crash. */
    size_t n = 100000;
    char *doc = malloc(n + 32);
    strcpy(doc, "{\"Name\":\"");
    memset(doc + 9, 'n', n);
    strcpy(doc + 9 + n, "\"}");
    hr = hcs_network_create(client, NULL, doc, &net, &err);
    print_message("network with a %u-character name: 0x%08X\n", (unsigned)n, (unsigned)hr);
    if (hr == HCS_OK) {
        char id[HCS_NET_ID_SIZE];
        assert_int_equal(hcs_network_id(net, id, NULL), HCS_OK);
        hcs_network_close(net);
        assert_int_equal(hcs_network_delete(client, id, NULL), HCS_OK);
    }
    free(doc);
    /* A zero / never issued / closed client. */
    hcs_client bads[] = {{0}, {never_issued.id}};
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(hcs_network_create(bads[i], NULL, "{\"Name\":\"u-b\"}", &net, &err),
                         HCS_WIN32_E_INVALID_HANDLE);
        assert_int_equal(hcs_namespace_create(bads[i], NULL, NULL, &(hcs_namespace){0}, &err),
                         HCS_WIN32_E_INVALID_HANDLE);
        hcs_subscription sub;
        assert_int_equal(hcs_network_subscribe(bads[i], &(hcs_event_sink){.callback = lm_journal_on_event}, &sub, &err),
                         HCS_WIN32_E_INVALID_HANDLE);
    }
    /* network.h subscribe: "HCS_COM_E_INVALIDARG unless exactly one of
     * sink->callback and sink->cq is set". */
    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    hcs_subscription sub;
    assert_int_equal(hcs_network_subscribe(client, &(hcs_event_sink){0}, &sub, &err), HCS_COM_E_INVALIDARG);
    assert_int_equal(
        hcs_network_subscribe(client, &(hcs_event_sink){.callback = lm_journal_on_event, .cq = cq}, &sub, &err),
        HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_network_subscribe(client, NULL, &sub, &err), HCS_COM_E_INVALIDARG);
    hcs_cq_close(cq);
    hcs_error_clear(&err);
}

/* Handles are generational: a closed handle, a handle closed twice, a
 * handle of another kind, a reopened object's old handle. error.h:
 * "a handle that names no live object of its kind (closed, stale, never
 * issued, or a handle of another kind ...): HCS_WIN32_E_INVALID_HANDLE";
 * network.h close: "Idempotent; stale handles ignored". */
static void network_stale_handles(void **state)
{
    (void)state;
    hcs_error err = HCS_ERROR_INIT;
    hcs_network net;
    assert_int_equal(hcs_network_create(client, NULL, "{\"Name\":\"u-stale\"}", &net, &err), HCS_OK);
    char id[HCS_NET_ID_SIZE], id2[HCS_NET_ID_SIZE];
    assert_int_equal(hcs_network_id(net, id, NULL), HCS_OK);
    assert_int_equal(hcs_network_id(net, NULL, &err), HCS_COM_E_POINTER);
    hcs_endpoint ep;
    assert_int_equal(hcs_endpoint_create(net, NULL, "{\"Name\":\"u-stale-ep\"}", &ep, &err), HCS_OK);
    char ep_id[HCS_NET_ID_SIZE];
    assert_int_equal(hcs_endpoint_id(ep, ep_id, NULL), HCS_OK);

    /* A handle of another kind: the endpoint's id as a network and back. */
    assert_int_equal(hcs_network_id((hcs_network){ep.id}, id2, &err), HCS_WIN32_E_INVALID_HANDLE);
    assert_int_equal(hcs_endpoint_id((hcs_endpoint){net.id}, id2, &err), HCS_WIN32_E_INVALID_HANDLE);
    assert_int_equal(hcs_namespace_id((hcs_namespace){net.id}, id2, &err), HCS_WIN32_E_INVALID_HANDLE);
    hcs_system_close((hcs_system){net.id}); /* api-conventions close: "a stale ... handle is ignored" */
    assert_int_equal(hcs_network_id(net, id2, NULL), HCS_OK); /* ... and really ignored */

    hcs_network_close(net);
    hcs_network_close(net); /* idempotent */
    hcs_network_close((hcs_network){0});
    assert_int_equal(hcs_network_id(net, id2, &err), HCS_WIN32_E_INVALID_HANDLE);
    assert_err(&err, HCS_WIN32_E_INVALID_HANDLE);
    char *out = (char *)1;
    assert_int_equal(hcs_network_properties_json(net, NULL, &out, &err), HCS_WIN32_E_INVALID_HANDLE);
    assert_null(out);
    assert_int_equal(hcs_network_modify(net, "{}", &err), HCS_WIN32_E_INVALID_HANDLE);
    hcs_endpoint ep2;
    assert_int_equal(hcs_endpoint_create(net, NULL, "{\"Name\":\"u-late\"}", &ep2, &err), HCS_WIN32_E_INVALID_HANDLE);
    /* network.h: "closing a handle leaves the object"; reopened by id (any
     * case, braces allowed), a new handle, the old one stays stale. */
    char braced[HCS_NET_ID_SIZE + 2];
    snprintf(braced, sizeof braced, "{%s}", id);
    for (char *p = braced; *p; p++)
        if (*p >= 'A' && *p <= 'F')
            *p = (char)(*p - 'A' + 'a');
    hcs_network again;
    assert_int_equal(hcs_network_open(client, braced, &again, &err), HCS_OK);
    assert_true(again.id != net.id);
    assert_int_equal(hcs_network_id(again, id2, NULL), HCS_OK);
    assert_string_equal(id, id2); /* network.h id: "upper case" */
    assert_int_equal(hcs_network_id(net, id2, &err), HCS_WIN32_E_INVALID_HANDLE);
    hcs_network_close(net); /* stale: must not close `again` */
    assert_int_equal(hcs_network_id(again, id2, NULL), HCS_OK);

    /* network.h delete: "refused (HCN_E_ENTITY_HAS_REFERENCES) while it
     * has endpoints". */
    assert_int_equal(hcs_network_delete(client, id, &err), HCN_E_ENTITY_HAS_REFERENCES);
    assert_err(&err, HCN_E_ENTITY_HAS_REFERENCES);
    /* network.h: "A failure keeps HCN's ErrorRecord in err->document". */
    assert_non_null(err.document);
    /* ... and the network is still there and usable */
    assert_int_equal(hcs_network_properties_json(again, NULL, &out, NULL), HCS_OK);
    hcs_free(out);
    /* endpoint: close, use after close, delete, then the network goes. */
    hcs_endpoint_close(ep);
    hcs_endpoint_close(ep);
    assert_int_equal(hcs_endpoint_properties_json(ep, NULL, &out, &err), HCS_WIN32_E_INVALID_HANDLE);
    assert_int_equal(hcs_endpoint_delete(client, ep_id, &err), HCS_OK);
    /* silent: deleting twice; HCN says not found presumably: only "fails". */
    assert_true(HCS_FAILED(hcs_endpoint_delete(client, ep_id, &err)));
    hcs_network_close(again);
    assert_int_equal(hcs_network_delete(client, id, &err), HCS_OK);
    assert_true(HCS_FAILED(hcs_network_delete(client, id, &err)));
    /* network.h open: "An unknown id: kind HCS_ERROR_NOT_FOUND" (now deleted) */
    assert_true(HCS_FAILED(hcs_network_open(client, id, &again, &err)));
    assert_int_equal(err.kind, HCS_ERROR_NOT_FOUND);

    /* Port reservations: hcs_port_release "Idempotent; stale handles ignored". */
    hcs_port_release((hcs_port_reservation){0});
    hcs_port_release((hcs_port_reservation){never_issued.id});
    hcs_guest_network_close((hcs_guest_network){never_issued.id});
    hcs_port_reservation pr;
    assert_int_equal(hcs_port_reserve((hcs_guest_network){never_issued.id}, HCS_PORT_TCP, true, 80, &pr, &err),
                     HCS_WIN32_E_INVALID_HANDLE);
    uint16_t first, last;
    assert_int_equal(hcs_port_reserve_range((hcs_guest_network){0}, 4, &first, &last, &pr, &err),
                     HCS_WIN32_E_INVALID_HANDLE);
    hcs_error_clear(&err);
}

/* A notification callback that closes its own subscription. event.h:
 * "After hcs_subscription_close returns, its callback never runs again
 * (unless it is called from inside that callback, which is allowed)";
 * network.h: "End it with hcs_subscription_close (event.h), after which its
 * callback never runs again". */
typedef struct self_closer {
    hcs_mutex mu;
    hcs_cond cv;
    int count;
    hcs_subscription sub;
    uint32_t first_type;
} self_closer;

static void close_self(const hcs_event *e, void *user)
{
    self_closer *s = user;
    hcs__mutex_lock(&s->mu);
    int n = ++s->count;
    if (n == 1)
        s->first_type = e->raw_type;
    hcs_subscription sub = s->sub;
    hcs__cond_broadcast(&s->cv);
    hcs__mutex_unlock(&s->mu);
    hcs_subscription_close(sub);
    hcs_subscription_close(sub); /* idempotent, even from inside */
}

static void network_notification_closes_itself(void **state)
{
    (void)state;
    self_closer s = {0};
    hcs__mutex_init(&s.mu);
    hcs__cond_init(&s.cv);
    hcs__mutex_lock(&s.mu);
    assert_int_equal(
        hcs_network_subscribe(client, &(hcs_event_sink){.callback = close_self, .user_data = &s}, &s.sub, NULL),
        HCS_OK);
    hcs__mutex_unlock(&s.mu);
    /* a witness that keeps listening, to know when events were sent */
    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    hcs_subscription witness;
    assert_int_equal(hcs_network_subscribe(client, &(hcs_event_sink){.cq = cq}, &witness, NULL), HCS_OK);
    for (int i = 0; i < 3; i++) {
        hcs_network net;
        char name[64], id[HCS_NET_ID_SIZE];
        snprintf(name, sizeof name, "{\"Name\":\"u-self-%d\"}", i);
        assert_int_equal(hcs_network_create(client, NULL, name, &net, NULL), HCS_OK);
        assert_int_equal(hcs_network_id(net, id, NULL), HCS_OK);
        hcs_network_close(net);
        assert_int_equal(hcs_network_delete(client, id, NULL), HCS_OK);
    }
    /* the witness hears all 12 (Pre-create, create, Pre-delete, delete x3) */
    int heard = 0;
    hcs_result r;
    while (heard < 12 && hcs_cq_next(cq, 5000, &r, NULL) == HCS_OK) {
        /* network.h: "through a queue as an hcs_result with event_type HCS_EVENT_NETWORK" */
        assert_int_equal(r.event_type, HCS_EVENT_NETWORK);
        /* (what hcs_result_event makes of it: network_event_from_queue) */
        hcs_result_clear(&r);
        heard++;
    }
    assert_int_equal(heard, 12);
    hcs__sleep_ms(200);
    hcs__mutex_lock(&s.mu);
    int count = s.count;
    hcs__mutex_unlock(&s.mu);
    assert_int_equal(count, 1);
    assert_int_equal(s.first_type, 1); /* test_network's order: NetworkPreCreate first */
    hcs_subscription_close(s.sub);     /* closed already: ignored */
    hcs_subscription_close(witness);
    hcs_cq_close(cq);
    hcs__cond_destroy(&s.cv);
    hcs__mutex_destroy(&s.mu);
}

/* Empty documents and ids are refused before HCN sees them. error.h: "a
 * NULL, empty or inconsistent input: HCS_COM_E_INVALIDARG"; errors.md: "a
 * NULL, empty or inconsistent input ... is HCS_COM_E_INVALIDARG". */
static void network_empty_inputs(void **state)
{
    (void)state;
    hcs_network net;
    hcs_namespace ns;
    hcs_load_balancer lb;
    hcs_route rt;
    hcs_guest_network gn;
    hcs_endpoint ep;
    int32_t hr[11] = {
        hcs_network_create(client, NULL, "", &net, NULL),
        hcs_namespace_create(client, NULL, "", &ns, NULL),
        hcs_load_balancer_create(client, NULL, "", &lb, NULL),
        hcs_route_create(client, NULL, "", &rt, NULL),
        hcs_guest_network_create(client, NULL, "", &gn, NULL),
        hcs_network_open(client, "", &net, NULL),
        hcs_endpoint_open(client, "", &ep, NULL),
        hcs_network_delete(client, "", NULL),
        hcs_endpoint_delete(client, "", NULL),
        hcs_network_open(client, NULL, &net, NULL),
        hcs_namespace_open(client, NULL, &ns, NULL),
    };
    const char *names[11] = {"hcs_network_create(settings \"\")",
                             "hcs_namespace_create(settings \"\")",
                             "hcs_load_balancer_create(settings \"\")",
                             "hcs_route_create(settings \"\")",
                             "hcs_guest_network_create(settings \"\")",
                             "hcs_network_open(id \"\")",
                             "hcs_endpoint_open(id \"\")",
                             "hcs_network_delete(id \"\")",
                             "hcs_endpoint_delete(id \"\")",
                             "hcs_network_open(id NULL)",
                             "hcs_namespace_open(id NULL)"};
    int wrong = 0;
    for (int i = 0; i < 11; i++) {
        print_message("%s: 0x%08X\n", names[i], (unsigned)hr[i]);
        wrong += hr[i] != HCS_COM_E_INVALIDARG;
    }
    if (hr[1] == HCS_OK) {
        char id[HCS_NET_ID_SIZE];
        hcs_namespace_id(ns, id, NULL);
        hcs_namespace_close(ns);
        hcs_namespace_delete(client, id, NULL);
    }
    assert_int_equal(wrong, 0);
}

/* An HCN notification read back from a queue with hcs_result_event stays
 * an HCN notification. network.h: notifications arrive
 * "through a queue as an hcs_result with event_type HCS_EVENT_NETWORK";
 * event.h: hcs_result_event "Reads an event that arrived through a
 * completion queue", and the callback form gets type HCS_EVENT_NETWORK. */
static void network_event_from_queue(void **state)
{
    (void)state;
    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    hcs_subscription sub;
    assert_int_equal(hcs_network_subscribe(client, &(hcs_event_sink){.cq = cq}, &sub, NULL), HCS_OK);
    hcs_network net;
    char id[HCS_NET_ID_SIZE];
    assert_int_equal(hcs_network_create(client, NULL, "{\"Name\":\"u-q\"}", &net, NULL), HCS_OK);
    assert_int_equal(hcs_network_id(net, id, NULL), HCS_OK);
    hcs_network_close(net);
    assert_int_equal(hcs_network_delete(client, id, NULL), HCS_OK);
    hcs_result r;
    assert_int_equal(hcs_cq_next(cq, 5000, &r, NULL), HCS_OK);
    assert_int_equal(r.event_type, HCS_EVENT_NETWORK);
    hcs_event e;
    assert_true(hcs_result_event(&r, &e));
    hcs_event_type type = e.type;
    uint32_t raw = e.raw_type;
    hcs_result_clear(&r);
    hcs_subscription_close(sub);
    hcs_cq_close(cq);
    print_message("hcs_result_event: type %d, raw_type %u\n", (int)type, (unsigned)raw);
    assert_int_equal(raw, 1); /* NetworkPreCreate */
    assert_int_equal(type, HCS_EVENT_NETWORK);
}

/* ======================================================================== */
/* operation.h: progress                                                    */
/* ======================================================================== */

/* hcs_async.progress: "each arrives, to the same callback or queue and in
 * the order HCS sent them, as a result with event_type
 * HCS_EVENT_OPERATION_INFO, the request's op and user_data and the
 * OperationInfo document ...; all of them before the request's own report,
 * none after." */
static void progress_in_order_before_completion(void **state)
{
    (void)state;
    if (!newest_build())
        return;
    latch l;
    latch_init(&l);
    hcs_async how = {.callback = record_result, .user_data = &l, .timeout_ms = HCS_TIMEOUT_DEFAULT, .progress = true};
    hcs_system sys;
    assert_int_equal(hcs_system_create(client, &(hcs_system_spec){.id = unique_id("u-prog"), .config_json = CONTAINER},
                                       HCS_TIMEOUT_DEFAULT, &sys, NULL),
                     HCS_OK);
    hcs_op ops[3];
    assert_int_equal(hcs_system_start_async(sys, NULL, &how, &ops[0], NULL), HCS_OK);
    assert_true(latch_wait(&l, 1) >= 1);
    /* wait for the start's report before the next (start must finish first) */
    for (;;) {
        hcs__mutex_lock(&l.mu);
        bool reported = false;
        for (int i = 0; i < l.count; i++)
            reported |= l.type[i] == HCS_EVENT_NONE;
        int c = l.count;
        hcs__mutex_unlock(&l.mu);
        if (reported)
            break;
        assert_true(latch_wait(&l, c + 1) >= c + 1);
    }
    int base = l.count;
    assert_int_equal(hcs_system_properties_async(sys, NULL, &how, &ops[1], NULL), HCS_OK);
    assert_int_equal(hcs_system_properties_async(sys, NULL, &how, &ops[2], NULL), HCS_OK);
    /* both properties requests reported */
    uint64_t guard = hcs__clock_ms() + 10000;
    int reports = 0;
    while (hcs__clock_ms() < guard) {
        hcs__mutex_lock(&l.mu);
        reports = 0;
        for (int i = base; i < l.count; i++)
            reports += l.type[i] == HCS_EVENT_NONE;
        hcs__mutex_unlock(&l.mu);
        if (reports == 2)
            break;
        hcs__sleep_ms(10);
    }
    assert_int_equal(reports, 2);
    hcs__sleep_ms(300); /* anything arriving late would land now */
    hcs__mutex_lock(&l.mu);
    int total = l.count;
    hcs__mutex_unlock(&l.mu);
    for (int k = 0; k < 3; k++) {
        int infos = 0, report_at = -1;
        for (int i = 0; i < total; i++) {
            if (l.op[i].id != ops[k].id)
                continue;
            assert_ptr_equal(l.user[i], &l);
            if (l.type[i] == HCS_EVENT_NONE) {
                assert_int_equal(report_at, -1); /* "reports exactly once" */
                report_at = i;
                assert_int_equal(l.hr[i], HCS_OK);
            } else {
                assert_int_equal(l.type[i], HCS_EVENT_OPERATION_INFO);
                assert_int_equal(report_at, -1); /* "none after" */
                assert_non_null(l.doc[i]);
                assert_non_null(strstr(l.doc[i], "\"Operation\""));
                assert_non_null(strstr(l.doc[i], "\"StartTimestamp\""));
                infos++;
            }
        }
        print_message("request %d: %d notifications, report at %d\n", k, infos, report_at);
        assert_true(report_at >= 0);
        assert_true(infos >= 1);
    }
    hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL);
    hcs_system_close(sys);
    latch_free(&l);
}

/* A request with progress whose timeout is 0: hcs_async.timeout_ms "0
 * reports HCS_E_OPERATION_TIMEOUT at once unless HCS had completed"; the
 * notifications are "all of them before the request's own report, none
 * after" even though HCS goes on with the work (client.h: "the work itself
 * goes on and is never abandoned"). */
static void progress_none_after_a_timeout(void **state)
{
    (void)state;
    if (!newest_build())
        return;
    hcssim_set_latency(NULL, 200);
    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    hcs_async how = {.cq = cq, .timeout_ms = 0, .progress = true};
    hcs_system sys;
    assert_int_equal(hcs_system_create(client, &(hcs_system_spec){.id = unique_id("u-prog0"), .config_json = CONTAINER},
                                       HCS_TIMEOUT_DEFAULT, &sys, NULL),
                     HCS_OK);
    hcs_op op;
    assert_int_equal(hcs_system_start_async(sys, NULL, &how, &op, NULL), HCS_OK);
    hcs_result r;
    bool reported = false;
    int after = 0;
    uint64_t until = hcs__clock_ms() + 1500;
    while (hcs__clock_ms() < until) {
        if (hcs_cq_next(cq, 100, &r, NULL) != HCS_OK)
            continue;
        assert_int_equal(r.op.id, op.id);
        if (r.event_type == HCS_EVENT_NONE) {
            assert_false(reported);
            reported = true;
            assert_int_equal(r.hr, HCS_E_OPERATION_TIMEOUT);
        } else if (reported) {
            after++;
        }
        hcs_result_clear(&r);
    }
    assert_true(reported);
    assert_int_equal(after, 0);
    hcssim_set_latency(NULL, 1);
    /* the start went on: the container runs (never abandoned) */
    uint64_t guard = hcs__clock_ms() + 5000;
    while (!state_is(sys, "Running") && hcs__clock_ms() < guard)
        hcs__sleep_ms(20);
    assert_true(state_is(sys, "Running"));
    hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL);
    hcs_system_close(sys);
    hcs_cq_close(cq);
}

int main(void)
{
#ifdef _WIN32
    tcp_init();
#endif
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(migration_stale_handles, reset_sim),
        cmocka_unit_test_setup(migration_bad_arguments, reset_sim),
        cmocka_unit_test_setup(null_input_structs, reset_sim),
        cmocka_unit_test_setup(migration_socket_not_a_socket, reset_sim),
        cmocka_unit_test_setup(migration_on_older_host, reset_sim),
        cmocka_unit_test_setup(destination_start_on_older_host, reset_sim),
        cmocka_unit_test_setup(migration_out_of_order, reset_sim),
        cmocka_unit_test_setup(migration_after_the_end, reset_sim),
        cmocka_unit_test_setup(migration_session_mismatch, reset_sim),
        cmocka_unit_test_setup(migration_deadline_expires, reset_sim),
        cmocka_unit_test_setup(migrate_short_deadline_rolls_back, reset_sim),
        cmocka_unit_test_setup(migration_step_timeout_and_closed_queue, reset_sim),
        cmocka_unit_test_setup(migration_cancel_from_threads, reset_sim),
        cmocka_unit_test_setup(migration_close_in_event_callback, reset_sim),
        cmocka_unit_test_setup(migration_async_reports_once, reset_sim),
        cmocka_unit_test_setup(storage_bad_arguments, reset_sim),
        cmocka_unit_test_setup(network_bad_arguments, reset_sim),
        cmocka_unit_test_setup(network_stale_handles, reset_sim),
        cmocka_unit_test_setup(network_notification_closes_itself, reset_sim),
        cmocka_unit_test_setup(network_empty_inputs, reset_sim),
        cmocka_unit_test_setup(network_event_from_queue, reset_sim),
        cmocka_unit_test_setup(progress_in_order_before_completion, reset_sim),
        cmocka_unit_test_setup(progress_none_after_a_timeout, reset_sim),
    };
    return cmocka_run_group_tests_name("a user's tests of the newest APIs", tests, open_client, close_client);
}
