/* The raw layer (hcs/raw.h) over hcssim: the provider's functions, adopting
 * a raw system, borrowing one under a guard (also racing a close), and
 * giving one back to be closed directly. */
#include "lib_helpers.h"
#include "hcs/computecore.h"

#include <stdatomic.h>

typedef HCS_OPERATION(WINAPI *create_op_fn)(const void *, HCS_OPERATION_COMPLETION);
typedef void(WINAPI *close_op_fn)(HCS_OPERATION);
typedef HRESULT(WINAPI *wait_op_fn)(HCS_OPERATION, DWORD, PWSTR *);
typedef HRESULT(WINAPI *create_system_fn)(PCWSTR, PCWSTR, HCS_OPERATION, const SECURITY_DESCRIPTOR *, HCS_SYSTEM *);
typedef HRESULT(WINAPI *system_op_fn)(HCS_SYSTEM, HCS_OPERATION, PCWSTR);
typedef void(WINAPI *close_system_fn)(HCS_SYSTEM);
typedef HRESULT(WINAPI *wait_exit_fn)(HCS_SYSTEM, DWORD, PWSTR *);
typedef HLOCAL(WINAPI *local_free_fn)(HLOCAL);

/* A function of the client's provider, which must be there. */
static void (*raw_fn(const char *name))(void)
{
    void (*fn)(void) = hcs_client_raw_function(client, name);
    assert_non_null(fn);
    return fn;
}

/* Runs one (system, operation, options) function directly and waits. The
 * result document is returned in UTF-8 when out is non-NULL. */
static HRESULT raw_call(void *raw, const char *name, char **out)
{
    HCS_OPERATION op = ((create_op_fn)raw_fn("HcsCreateOperation"))(NULL, NULL);
    assert_non_null(op);
    HRESULT hr = ((system_op_fn)raw_fn(name))((HCS_SYSTEM)raw, op, NULL);
    PWSTR doc = NULL;
    if (SUCCEEDED(hr))
        hr = ((wait_op_fn)raw_fn("HcsWaitForOperationResult"))(op, 10000, &doc);
    if (out && doc)
        assert_int_equal(hcs_utf16_to_utf8((const uint16_t *)doc, out, NULL), HCS_OK);
    if (doc)
        ((local_free_fn)raw_fn("LocalFree"))(doc);
    ((close_op_fn)raw_fn("HcsCloseOperation"))(op);
    return hr;
}

/* A container created directly, as a caller of computecore.dll would. */
static void *raw_container(void)
{
    uint16_t *id = NULL, *config = NULL;
    assert_int_equal(hcs_utf8_to_utf16(unique_id("raw"), &id, NULL), HCS_OK);
    assert_int_equal(hcs_utf8_to_utf16(CONTAINER, &config, NULL), HCS_OK);
    HCS_OPERATION op = ((create_op_fn)raw_fn("HcsCreateOperation"))(NULL, NULL);
    HCS_SYSTEM raw = NULL;
    assert_int_equal(((create_system_fn)raw_fn("HcsCreateComputeSystem"))((PCWSTR)id, (PCWSTR)config, op, NULL, &raw),
                     S_OK);
    assert_int_equal(((wait_op_fn)raw_fn("HcsWaitForOperationResult"))(op, 10000, NULL), S_OK);
    ((close_op_fn)raw_fn("HcsCloseOperation"))(op);
    hcs_free(id);
    hcs_free(config);
    return raw;
}

static void raw_close(void *raw) { ((close_system_fn)raw_fn("HcsCloseComputeSystem"))((HCS_SYSTEM)raw); }

/* The UTF-16 helpers (raw.h): a round trip through a string outside the
 * BMP, and invalid input in either direction refused, never replaced. */
static void utf16_helpers(void **state)
{
    (void)state;
    const char *text = "caf\xC3\xA9 \xF0\x9F\x93\xA6";
    uint16_t *wide = NULL;
    char *back = NULL;
    assert_int_equal(hcs_utf8_to_utf16(text, &wide, NULL), HCS_OK);
    assert_int_equal(wide[3], 0xE9);
    assert_int_equal(wide[5], 0xD83D); /* a surrogate pair */
    assert_int_equal(wide[6], 0xDCE6);
    assert_int_equal(wide[7], 0);
    assert_int_equal(hcs_utf16_to_utf8(wide, &back, NULL), HCS_OK);
    assert_string_equal(back, text);
    hcs_free(wide);
    hcs_free(back);

    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(hcs_utf8_to_utf16("\xC0\xAF", &wide, &err), HCS_WIN32_E_NO_UNICODE_TRANSLATION);
    assert_null(wide);
    assert_string_equal(err.call, "hcs_utf8_to_utf16");
    const uint16_t lone[] = {'a', 0xD800, 'b', 0};
    assert_int_equal(hcs_utf16_to_utf8(lone, &back, &err), HCS_WIN32_E_NO_UNICODE_TRANSLATION);
    assert_null(back);
    assert_string_equal(err.call, "hcs_utf16_to_utf8");
    hcs_error_clear(&err);
}

/* Known functions resolve, LocalFree too; anything else is NULL. */
static void functions(void **state)
{
    (void)state;
    assert_non_null(hcs_client_raw_function(client, "HcsGetServiceProperties"));
    assert_non_null(hcs_client_raw_function(client, "LocalFree"));
    assert_null(hcs_client_raw_function(client, "HcsNoSuchFunction"));
    assert_null(hcs_client_raw_function(client, NULL));
    hcs_client stale = {12345};
    assert_null(hcs_client_raw_function(stale, "HcsCreateOperation"));
}

/* An adopted system works as any other: calls, waits and events. */
static void adopt(void **state)
{
    (void)state;
    hcs_system sys;
    assert_int_equal(hcs_system_from_raw(client, raw_container(), &sys, NULL), HCS_OK);
    assert_int_equal(hcs_system_start(sys, NULL, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_exit exit;
    assert_int_equal(hcs_system_wait(sys, 10000, &exit, NULL), HCS_OK); /* events reach libhcs */
    hcs_free(exit.document);
    hcs_system_close(sys);
}

static void adopt_refused(void **state)
{
    (void)state;
    hcs_system sys = {1};
    hcs_error err = {0};
    assert_int_equal(hcs_system_from_raw(client, NULL, &sys, &err), HCS_COM_E_INVALIDARG);
    assert_int_equal(sys.id, 0);
    void *raw = raw_container();
    hcs_client stale = {12345};
    assert_int_equal(hcs_system_from_raw(stale, raw, &sys, &err), HCS_WIN32_E_INVALID_HANDLE);
    assert_int_equal(hcs_system_from_raw(client, raw, NULL, &err), HCS_COM_E_POINTER);
    hcs_error_clear(&err);
    raw_close(raw); /* still ours after those failures */
}

/* A guard keeps HCS's handle open across a close of the libhcs handle. */
static void borrow(void **state)
{
    (void)state;
    hcs_system sys = running_system("borrow", CONTAINER);
    void *raw = NULL;
    hcs_guard guard;
    assert_int_equal(hcs_system_borrow(sys, &raw, &guard, NULL), HCS_OK);
    assert_non_null(raw);
    char *props = NULL;
    assert_int_equal(raw_call(raw, "HcsGetComputeSystemProperties", &props), S_OK);
    assert_non_null(strstr(props, "\"State\":\"Running\""));
    hcs_free(props);
    hcs_system_close(sys);
    assert_int_equal(raw_call(raw, "HcsTerminateComputeSystem", NULL), S_OK); /* still open */
    hcs_guard_release(&guard);
    assert_null(guard.opaque);
    hcs_guard_release(&guard); /* idempotent */
    hcs_guard_release(NULL);
}

static void borrow_stale(void **state)
{
    (void)state;
    hcs_system sys = running_system("stale", CONTAINER);
    hcs_system_close(sys);
    void *raw = &raw;
    hcs_guard guard = {&guard, &guard};
    hcs_error err = {0};
    assert_int_equal(hcs_system_borrow(sys, &raw, &guard, &err), HCS_WIN32_E_INVALID_HANDLE);
    assert_int_equal(err.kind, HCS_ERROR_INVALID_HANDLE);
    assert_null(raw);
    assert_null(guard.opaque);
    assert_int_equal(hcs_system_borrow(sys, NULL, &guard, &err), HCS_COM_E_POINTER);
    hcs_error_clear(&err);
}

enum { BORROWERS = 4, ROUNDS = 20 };

typedef struct race {
    hcs_system sys;
    int calls_failed; /* direct calls made under a guard that failed */
} race;

/* Borrows until the handle is closed, calling HCS directly each time. */
static void borrower(void *arg)
{
    race *r = arg;
    void *raw;
    hcs_guard guard;
    while (hcs_system_borrow(r->sys, &raw, &guard, NULL) == HCS_OK) {
        if (raw_call(raw, "HcsGetComputeSystemProperties", NULL) != S_OK)
            r->calls_failed++;
        hcs_guard_release(&guard);
    }
}

/* Closes race borrowers on other threads: no direct call ever sees a
 * closed HCS handle, and every thread stops once the close is done. */
static void borrow_races_close(void **state)
{
    (void)state;
    for (int round = 0; round < ROUNDS; round++) {
        race r[BORROWERS];
        hcs_thread t[BORROWERS];
        hcs_system sys = running_system("race", CONTAINER);
        for (int i = 0; i < BORROWERS; i++) {
            r[i] = (race){sys, 0};
            assert_int_equal(hcs__thread_start(&t[i], borrower, &r[i]), 0);
        }
        hcs__sleep_ms((uint32_t)(round % 3));
        hcs_system_close(sys);
        for (int i = 0; i < BORROWERS; i++) {
            hcs__thread_join(t[i]);
            assert_int_equal(r[i].calls_failed, 0);
        }
    }
}

/* Given back: libhcs's handle is gone, its subscribers hear nothing more,
 * and the caller drives and closes the system directly. */
static void into_raw(void **state)
{
    (void)state;
    hcs_system sys = running_system("into", CONTAINER);
    void *raw = NULL;
    assert_int_equal(hcs_system_into_raw(sys, &raw, NULL), HCS_OK);
    assert_non_null(raw);
    hcs_error err = {0};
    assert_int_equal(hcs_system_start(sys, NULL, HCS_TIMEOUT_DEFAULT, &err), HCS_WIN32_E_INVALID_HANDLE);
    void *again = &again;
    assert_int_equal(hcs_system_into_raw(sys, &again, &err), HCS_WIN32_E_INVALID_HANDLE);
    assert_null(again);
    assert_int_equal(hcs_system_into_raw(sys, NULL, &err), HCS_COM_E_POINTER);
    hcs_error_clear(&err);
    hcs_system_close(sys); /* a no-op now: raw stays open */
    char *props = NULL;
    assert_int_equal(raw_call(raw, "HcsGetComputeSystemProperties", &props), S_OK);
    assert_non_null(strstr(props, "\"State\":\"Running\""));
    hcs_free(props);
    assert_int_equal(raw_call(raw, "HcsTerminateComputeSystem", NULL), S_OK);
    raw_close(raw);
}

/* One more entry in the latch, without a result. */
static void latch_bump(latch *l)
{
    hcs__mutex_lock(&l->mu);
    l->count++;
    hcs__cond_broadcast(&l->cv);
    hcs__mutex_unlock(&l->mu);
}

static void record_event(const hcs_event *event, void *user)
{
    (void)event;
    latch_bump(user);
}

/* libhcs's callback stays on the raw handle but no longer delivers. */
static void into_raw_drops_events(void **state)
{
    (void)state;
    latch l;
    latch_init(&l);
    hcs_system sys = running_system("inert", CONTAINER);
    hcs_subscription sub;
    assert_int_equal(
        hcs_system_subscribe(sys, &(hcs_event_sink){.callback = record_event, .user_data = &l}, &sub, NULL), HCS_OK);
    void *raw = NULL;
    assert_int_equal(hcs_system_into_raw(sys, &raw, NULL), HCS_OK);
    assert_int_equal(raw_call(raw, "HcsTerminateComputeSystem", NULL), S_OK);
    assert_int_equal(((wait_exit_fn)raw_fn("HcsWaitForComputeSystemExit"))((HCS_SYSTEM)raw, 10000, NULL), S_OK);
    raw_close(raw); /* waits for HCS's callbacks on raw in flight, the exit event's included */
    assert_int_equal(l.count, 0);
    hcs_subscription_close(sub); /* ended already: a no-op */
    latch_free(&l);
}

typedef struct holder {
    hcs_system sys;
    latch *started;
    atomic_int released;
} holder;

/* Holds a guard for a while, then releases it. */
static void hold_guard(void *arg)
{
    holder *h = arg;
    void *raw;
    hcs_guard guard;
    assert_int_equal(hcs_system_borrow(h->sys, &raw, &guard, NULL), HCS_OK);
    latch_bump(h->started);
    hcs__sleep_ms(50);
    assert_int_equal(raw_call(raw, "HcsGetComputeSystemProperties", NULL), S_OK);
    atomic_store(&h->released, 1);
    hcs_guard_release(&guard);
}

/* hcs_system_into_raw waits for a guard held on another thread. */
static void into_raw_waits_for_guards(void **state)
{
    (void)state;
    latch started;
    latch_init(&started);
    holder h = {running_system("wait", CONTAINER), &started, 0};
    hcs_thread t;
    assert_int_equal(hcs__thread_start(&t, hold_guard, &h), 0);
    assert_int_equal(latch_wait(&started, 1), 1);
    void *raw = NULL;
    assert_int_equal(hcs_system_into_raw(h.sys, &raw, NULL), HCS_OK);
    assert_int_equal(atomic_load(&h.released), 1);
    hcs__thread_join(t);
    assert_int_equal(raw_call(raw, "HcsTerminateComputeSystem", NULL), S_OK);
    raw_close(raw);
    latch_free(&started);
}

typedef void(WINAPI *close_process_fn)(HCS_PROCESS);
typedef HRESULT(WINAPI *process_op_fn)(HCS_PROCESS, HCS_OPERATION, PCWSTR);
typedef HRESULT(WINAPI *open_process_fn)(HCS_SYSTEM, DWORD, DWORD, HCS_PROCESS *);

/* Processes cross the layers too: a raw handle opened directly is adopted
 * (its exit wait works), a libhcs process is borrowed for a direct
 * terminate, and another is given back and closed directly. */
static void processes(void **state)
{
    (void)state;
    hcs_system sys = running_system("rawproc", CONTAINER);
    hcs_process_spec spec = {.command_line = "ping -n 1000 127.0.0.1"};
    hcs_process p;
    assert_int_equal(hcs_process_create(sys, &spec, HCS_TIMEOUT_DEFAULT, &p, NULL, NULL), HCS_OK);
    uint32_t pid = hcs_process_pid(p);

    /* borrow: a direct terminate through the provider's function */
    void *raw = NULL;
    hcs_guard guard;
    assert_int_equal(hcs_process_borrow(p, &raw, &guard, NULL), HCS_OK);
    assert_non_null(raw);
    HCS_OPERATION op = ((create_op_fn)raw_fn("HcsCreateOperation"))(NULL, NULL);
    assert_int_equal(((process_op_fn)raw_fn("HcsTerminateProcess"))((HCS_PROCESS)raw, op, NULL), S_OK);
    assert_int_equal(((wait_op_fn)raw_fn("HcsWaitForOperationResult"))(op, 10000, NULL), S_OK);
    ((close_op_fn)raw_fn("HcsCloseOperation"))(op);
    hcs_guard_release(&guard);
    hcs_guard_release(&guard); /* idempotent */
    hcs_process_exit ex;
    assert_int_equal(hcs_process_wait(p, HCS_TIMEOUT_INFINITE, &ex, NULL), HCS_OK);
    assert_int_equal(ex.exit_code, 1);
    hcs_free(ex.document);
    hcs_process_close(p);

    /* adopt: a process opened directly becomes a libhcs process */
    assert_int_equal(hcs_process_create(sys, &spec, HCS_TIMEOUT_DEFAULT, &p, NULL, NULL), HCS_OK);
    pid = hcs_process_pid(p);
    void *sys_raw = NULL;
    assert_int_equal(hcs_system_borrow(sys, &sys_raw, &guard, NULL), HCS_OK);
    HCS_PROCESS opened = NULL;
    assert_int_equal(((open_process_fn)raw_fn("HcsOpenProcess"))((HCS_SYSTEM)sys_raw, pid, GENERIC_ALL, &opened), S_OK);
    hcs_guard_release(&guard);
    hcs_process adopted;
    assert_int_equal(hcs_process_from_raw(sys, opened, pid, &adopted, NULL), HCS_OK);
    assert_int_equal(hcs_process_pid(adopted), pid);
    hcs_process refused;
    assert_int_equal(hcs_process_from_raw(sys, NULL, pid, &refused, NULL), HCS_COM_E_INVALIDARG);
    assert_int_equal(refused.id, 0);

    /* give back: libhcs lets go, the caller closes it directly */
    void *given = NULL;
    assert_int_equal(hcs_process_into_raw(p, &given, NULL), HCS_OK);
    assert_non_null(given);
    assert_int_equal(hcs_process_into_raw(p, &given, NULL), HCS_WIN32_E_INVALID_HANDLE); /* once only */
    ((close_process_fn)raw_fn("HcsCloseProcess"))((HCS_PROCESS)given);

    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    assert_int_equal(hcs_process_wait(adopted, HCS_TIMEOUT_INFINITE, NULL, NULL),
                     HCS_OK); /* the system's exit ended it */
    hcs_process_close(adopted);
    hcs_system_close(sys);
}

typedef UINT64(WINAPI *operation_id_fn)(HCS_OPERATION);

/* Operations: one started by a direct call is adopted and reported through
 * a callback (also when it had completed already); a request in flight
 * lends its HCS_OPERATION; an unused operation is refused. */
static void operations(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("latencies set per call");
    latch l;
    latch_init(&l);
    hcs_system sys = running_system("rawop", CONTAINER);
    void *sys_raw = NULL;
    hcs_guard guard;
    assert_int_equal(hcs_system_borrow(sys, &sys_raw, &guard, NULL), HCS_OK);
    hcs_async how = {.callback = record_result, .user_data = &l, .timeout_ms = HCS_TIMEOUT_DEFAULT};

    /* pending when adopted */
    hcssim_set_latency("HcsGetComputeSystemProperties", 20);
    HCS_OPERATION op = ((create_op_fn)raw_fn("HcsCreateOperation"))(NULL, NULL);
    assert_int_equal(((system_op_fn)raw_fn("HcsGetComputeSystemProperties"))((HCS_SYSTEM)sys_raw, op, NULL), S_OK);
    hcs_op adopted;
    assert_int_equal(hcs_op_from_raw(client, op, &how, &adopted, NULL), HCS_OK);
    assert_true(adopted.id != 0);
    assert_int_equal(latch_wait(&l, 1), 1);
    assert_int_equal(l.hr[0], HCS_OK);
    assert_non_null(strstr(l.doc[0], "\"State\":\"Running\""));

    /* completed before it was adopted: still reported, once */
    hcssim_set_latency(NULL, 1);
    op = ((create_op_fn)raw_fn("HcsCreateOperation"))(NULL, NULL);
    assert_int_equal(((system_op_fn)raw_fn("HcsGetComputeSystemProperties"))((HCS_SYSTEM)sys_raw, op, NULL), S_OK);
    assert_int_equal(((wait_op_fn)raw_fn("HcsWaitForOperationResult"))(op, 10000, NULL), S_OK);
    assert_int_equal(hcs_op_from_raw(client, op, &how, NULL, NULL), HCS_OK);
    assert_int_equal(latch_wait(&l, 2), 2);
    assert_int_equal(l.hr[1], HCS_OK);

    /* never started: refused, still the caller's */
    op = ((create_op_fn)raw_fn("HcsCreateOperation"))(NULL, NULL);
    assert_int_equal(hcs_op_from_raw(client, op, &how, NULL, NULL), HCS_COM_E_INVALIDARG);
    ((close_op_fn)raw_fn("HcsCloseOperation"))(op);
    hcs_guard_release(&guard);

    /* borrow the operation of a request in flight */
    hcssim_set_latency("HcsGetComputeSystemProperties", HCSSIM_NEVER);
    hcs_op pending;
    hcs_async slow = {.callback = record_result, .user_data = &l, .timeout_ms = 30};
    assert_int_equal(hcs_system_properties_async(sys, NULL, &slow, &pending, NULL), HCS_OK);
    void *raw_op = NULL;
    assert_int_equal(hcs_op_borrow(pending, &raw_op, &guard, NULL), HCS_OK);
    assert_true(((operation_id_fn)raw_fn("HcsGetOperationId"))((HCS_OPERATION)raw_op) != (UINT64)-1);
    assert_int_equal(latch_wait(&l, 3), 3); /* the timeout reports while the guard is held */
    assert_int_equal(l.hr[2], HCS_E_OPERATION_TIMEOUT);
    hcs_guard_release(&guard);
    assert_int_equal(hcs_op_borrow(pending, &raw_op, &guard, NULL), HCS_WIN32_E_INVALID_HANDLE);
    hcssim_set_latency(NULL, 1);

    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_close(sys);
    hcs__sleep_ms(10);
    assert_int_equal(l.count, 3);
    latch_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(functions),
        cmocka_unit_test(utf16_helpers),
        cmocka_unit_test(adopt),
        cmocka_unit_test(adopt_refused),
        cmocka_unit_test(borrow),
        cmocka_unit_test(borrow_stale),
        cmocka_unit_test(borrow_races_close),
        cmocka_unit_test(into_raw),
        cmocka_unit_test(into_raw_drops_events),
        cmocka_unit_test(into_raw_waits_for_guards),
        cmocka_unit_test(processes),
        cmocka_unit_test(operations),
    };
    return cmocka_run_group_tests(tests, open_client, close_client);
}
