/* libhcs's lifetime and event promises, one test per failure row of
 * docs/reliability.md (R1-R12): every exit observed exactly once, closes
 * that never hang or destroy what the caller owns, waits bounded by their
 * own deadline whatever the provider does, and user callbacks that may
 * block. Written from the headers and docs, as a runtime would use them. */
#include "lib_helpers.h"

/* A process of sys running command_line, its stdio closed. */
static hcs_process start_process(hcs_system sys, const char *command_line, const hcs_event_sink *events)
{
    hcs_process_spec spec = {.command_line = command_line};
    if (events)
        spec.events = *events;
    hcs_process p;
    hcs_error err = HCS_ERROR_INIT;
    int32_t hr = hcs_process_create(sys, &spec, HCS_TIMEOUT_DEFAULT, &p, NULL, &err);
    if (hr != HCS_OK)
        fail_msg("process create: %s", err.message);
    return p;
}

/* Counts the events a subscriber receives, by type, with the last exit. */
typedef struct tally {
    hcs_mutex mu;
    hcs_cond cv;
    int exits, disconnects, others, replayed;
    uint32_t exit_code;
    bool exit_code_known;
} tally;

static void tally_init(tally *t)
{
    memset(t, 0, sizeof *t);
    hcs__mutex_init(&t->mu);
    hcs__cond_init(&t->cv);
}

static void tally_free(tally *t)
{
    hcs__cond_destroy(&t->cv);
    hcs__mutex_destroy(&t->mu);
}

static void count_event(const hcs_event *e, void *user)
{
    tally *t = user;
    hcs__mutex_lock(&t->mu);
    switch (e->type) {
    case HCS_EVENT_PROCESS_EXITED:
    case HCS_EVENT_SYSTEM_EXITED:
        t->exits++;
        t->exit_code = e->exit_code;
        t->exit_code_known = e->exit_code_known;
        break;
    case HCS_EVENT_SERVICE_DISCONNECT:
        t->disconnects++;
        break;
    default:
        t->others++;
        break;
    }
    t->replayed += e->replayed;
    hcs__cond_broadcast(&t->cv);
    hcs__mutex_unlock(&t->mu);
}

static int tally_wait_exits(tally *t, int n) { return count_wait(&t->mu, &t->cv, &t->exits, n); }

/* Takes everything the queue holds within quiet_ms, counting process exits. */
static int drain_exits(hcs_cq cq, uint32_t quiet_ms, bool *replayed)
{
    int exits = 0;
    hcs_result r;
    while (hcs_cq_next(cq, quiet_ms, &r, NULL) == HCS_OK) {
        if (r.event_type == HCS_EVENT_PROCESS_EXITED)
            exits++;
        if (replayed)
            *replayed = r.event_replayed;
        hcs_result_clear(&r);
    }
    return exits;
}

/* R1: closing a queue with events still in it leaves the subscriber's
 * system and process handles alone: an event names them, it does not own
 * them. */
static void cq_close_keeps_the_subscribers_handles(void **state)
{
    (void)state;
    hcs_system sys = running_system("r1", CONTAINER);
    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    hcs_process p = start_process(sys, "cmd /c exit 4", &(hcs_event_sink){.cq = cq});
    hcs_subscription sub;
    assert_int_equal(hcs_system_subscribe(sys, &(hcs_event_sink){.cq = cq}, &sub, NULL), HCS_OK);
    assert_int_equal(hcs_process_wait(p, 10000, NULL, NULL), HCS_OK);
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    assert_int_equal(hcs_system_wait(sys, 10000, NULL, NULL), HCS_OK);
    hcs__sleep_ms(100); /* let the events reach the queue */
    hcs_cq_close(cq);   /* with the process's and the system's exits untaken */

    char *props = NULL;
    assert_int_equal(hcs_system_properties_json(sys, NULL, HCS_TIMEOUT_DEFAULT, &props, NULL), HCS_OK);
    hcs_free(props);
    hcs_process_exit ex;
    assert_int_equal(hcs_process_wait(p, 0, &ex, NULL), HCS_OK);
    assert_int_equal(ex.exit_code, 4);
    hcs_free(ex.document);
    assert_true(hcs_process_pid(p) != 0);
    hcs_process_close(p);
    hcs_system_close(sys);
}

/* R1: what a call created and nobody took is the queue's to close: a
 * created system in an untaken result is closed with the queue, and HCS
 * gets its handle back. */
static void cq_close_closes_what_untaken_results_own(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its object counts");
    hcssim_counts before = settled_counts(), after;
    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    hcs_system_spec params = {.id = unique_id("r1own"), .config_json = CONTAINER};
    hcs_async how = {.cq = cq, .timeout_ms = HCS_TIMEOUT_DEFAULT};
    assert_int_equal(hcs_system_create_async(client, &params, &how, NULL, NULL), HCS_OK);
    assert_true(hcs_cq_pollable(cq) != -1);
    hcs__sleep_ms(200); /* the result is queued */
    hcs_cq_close(cq);
    uint64_t guard = hcs__clock_ms() + 10000;
    do {
        hcssim_get_counts(&after);
    } while (after.handles > before.handles && hcs__clock_ms() < guard && (hcs__sleep_ms(10), 1));
    assert_int_equal(after.handles, before.handles);
}

/* R2: a queue closed while it holds the result that owns a process, whose
 * events are being pushed to that same queue, never deadlocks: the close
 * drops results outside the queue's lock. 1,000 rounds (TSan leg too). */
static void cq_close_races_live_deliveries(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("latencies set per call");
    hcs_system sys = running_system("r2", CONTAINER);
    hcssim_set_latency("HcsCreateProcess", 0);
    for (int i = 0; i < 1000; i++) {
        hcs_cq cq;
        assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
        hcs_process_spec spec = {.command_line = "cmd /c exit 0", .events = {.cq = cq}};
        hcs_async how = {.cq = cq, .timeout_ms = HCS_TIMEOUT_DEFAULT};
        assert_int_equal(hcs_process_create_async(sys, &spec, &how, NULL, NULL), HCS_OK);
        if (i % 2) {
            hcs_result r; /* take the create result, so the process is ours */
            assert_int_equal(hcs_cq_next(cq, 10000, &r, NULL), HCS_OK);
            hcs_process_close(r.process);
            hcs_result_clear(&r);
        }
        hcs_cq_close(cq);
    }
    hcs_system_close(sys);
}

/* R4: a subscriber that arrives after the exit receives it once, marked
 * replayed; callbacks, queues and waits agree on the exit code. */
static void late_subscriber_gets_the_exit_replayed(void **state)
{
    (void)state;
    hcs_system sys = running_system("r4", CONTAINER);
    hcs_process p = start_process(sys, "cmd /c exit 3", NULL);
    hcs_process_exit ex;
    assert_int_equal(hcs_process_wait(p, 10000, &ex, NULL), HCS_OK);
    assert_int_equal(ex.exit_code, 3);
    hcs_free(ex.document);

    tally t;
    tally_init(&t);
    hcs_subscription sub;
    assert_int_equal(hcs_process_subscribe(p, &(hcs_event_sink){.callback = count_event, .user_data = &t}, &sub, NULL),
                     HCS_OK);
    assert_int_equal(tally_wait_exits(&t, 1), 1);
    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    hcs_subscription qsub;
    assert_int_equal(hcs_process_subscribe(p, &(hcs_event_sink){.cq = cq}, &qsub, NULL), HCS_OK);
    hcs_result r;
    assert_int_equal(hcs_cq_next(cq, 10000, &r, NULL), HCS_OK);
    hcs_event e;
    assert_true(hcs_result_event(&r, &e));
    assert_int_equal(e.type, HCS_EVENT_PROCESS_EXITED);
    assert_true(e.replayed);
    assert_true(e.exit_code_known);
    assert_int_equal(e.exit_code, 3);
    hcs_result_clear(&r);
    hcs__sleep_ms(300); /* nothing more comes */
    assert_int_equal(hcs_cq_next(cq, 0, &r, NULL), HCS_E_OPERATION_TIMEOUT);
    hcs__mutex_lock(&t.mu);
    assert_int_equal(t.exits, 1);
    assert_int_equal(t.replayed, 1);
    assert_true(t.exit_code_known);
    assert_int_equal(t.exit_code, 3);
    hcs__mutex_unlock(&t.mu);

    hcs_subscription_close(sub);
    hcs_subscription_close(qsub);
    hcs_cq_close(cq);
    hcs_process_close(p);
    hcs_system_close(sys);
    tally_free(&t);
}

/* R4: the loop a runtime writes (create, then subscribe) sees every exit
 * exactly once, and so does the sink given at creation, also when the
 * service duplicates the exit event. */
static void every_exit_seen_exactly_once(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    enum { ROUNDS = 20 };
    hcs_system sys = running_system("r4loop", CONTAINER);
    hcs_cq late, early;
    assert_int_equal(hcs_cq_create(&late, NULL), HCS_OK);
    assert_int_equal(hcs_cq_create(&early, NULL), HCS_OK);
    set_faults("{\"faults\":[{\"event\":\"ProcessExited\",\"action\":\"duplicate\"}]}");
    hcs_process procs[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
        procs[i] = start_process(sys, "cmd /c exit 0", &(hcs_event_sink){.cq = early});
        assert_int_equal(hcs_process_subscribe(procs[i], &(hcs_event_sink){.cq = late}, NULL, NULL), HCS_OK);
    }
    for (int i = 0; i < ROUNDS; i++)
        assert_int_equal(hcs_process_wait(procs[i], 10000, NULL, NULL), HCS_OK);
    hcs__sleep_ms(300); /* let duplicates arrive, if any got through */
    assert_int_equal(drain_exits(late, 200, NULL), ROUNDS);
    assert_int_equal(drain_exits(early, 200, NULL), ROUNDS);
    for (int i = 0; i < ROUNDS; i++)
        hcs_process_close(procs[i]);
    hcs_cq_close(late);
    hcs_cq_close(early);
    hcs_system_close(sys);
}

/* R4: HCS never sends the exit; the subscriber still hears of it, once,
 * replayed, from the status check a wait makes. */
static void lost_exit_event_reaches_subscribers(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    hcs_system sys = running_system("r4lost", CONTAINER);
    set_faults("{\"faults\":[{\"event\":\"ProcessExited\",\"action\":\"drop\"}]}");
    tally t;
    tally_init(&t);
    hcs_process p =
        start_process(sys, "ping -n 1 127.0.0.1", &(hcs_event_sink){.callback = count_event, .user_data = &t});
    hcs_process_exit ex;
    assert_int_equal(hcs_process_wait(p, 10000, &ex, NULL), HCS_OK);
    assert_int_equal(ex.exit_code, 0);
    hcs_free(ex.document);
    assert_int_equal(tally_wait_exits(&t, 1), 1);
    hcs__sleep_ms(300);
    hcs__mutex_lock(&t.mu);
    assert_int_equal(t.exits, 1);
    assert_int_equal(t.replayed, 1);
    hcs__mutex_unlock(&t.mu);
    hcs_process_close(p);
    hcs_system_close(sys);
    tally_free(&t);
}

/* R5: closing a process while libhcs's own status query on it is in
 * flight leaves no HCS operation behind. */
static void status_query_in_flight_does_not_leak(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("latencies set per call and object counts");
    hcs_system sys = running_system("r5", CONTAINER);
    hcssim_counts before = settled_counts(), after;
    hcssim_set_latency("HcsGetProcessProperties", 300);
    for (int i = 0; i < 10; i++)
        hcs_process_close(start_process(sys, "ping -n 5 127.0.0.1", NULL));
    uint64_t guard = hcs__clock_ms() + 10000;
    do {
        hcs__sleep_ms(50);
        hcssim_get_counts(&after);
    } while (after.handles > before.handles && hcs__clock_ms() < guard);
    assert_int_equal(after.handles, before.handles);
    hcs_system_close(sys);
}

/* R6: a wait returns within its own timeout even when HCS's answer to the
 * status check never comes (the old fixed 5 s check ignored the
 * deadline). */
static void wait_bounded_when_status_query_hangs(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    hcs_system sys = running_system("r6", CONTAINER);
    hcs_process p = start_process(sys, "ping -n 100 127.0.0.1", NULL);
    set_faults("{\"faults\":[{\"call\":\"HcsGetProcessProperties\",\"never\":true},"
               "{\"call\":\"HcsGetComputeSystemProperties\",\"never\":true}]}");
    uint64_t t0 = hcs__clock_ms();
    assert_int_equal(hcs_process_wait(p, 600, NULL, NULL), HCS_E_OPERATION_TIMEOUT);
    assert_int_equal(hcs_system_wait(sys, 600, NULL, NULL), HCS_E_OPERATION_TIMEOUT);
    uint64_t took = hcs__clock_ms() - t0;
    assert_true(took < 4000); /* 1.2 s asked; before the fix, 10 s and more */
    hcs_process_kill(p, HCS_TIMEOUT_DEFAULT, NULL);
    hcs_process_close(p);
    hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL);
    hcs_system_close(sys);
}

/* R7: the service goes away and its disconnect event is lost: the status
 * check's HCS_E_SERVICE_DISCONNECT ends the wait with that error, long
 * before its timeout, and subscribers are told once. */
static void lost_service_ends_waits(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("a service disconnect");
    hcs_system sys = running_system("r7", CONTAINER);
    tally t;
    tally_init(&t);
    assert_int_equal(hcs_system_subscribe(sys, &(hcs_event_sink){.callback = count_event, .user_data = &t}, NULL, NULL),
                     HCS_OK);
    set_faults("{\"faults\":[{\"event\":\"ServiceDisconnect\",\"action\":\"drop\"}]}");
    hcssim_disconnect_service();
    uint64_t t0 = hcs__clock_ms();
    assert_int_equal(hcs_system_wait(sys, 60000, NULL, NULL), HCS_E_SERVICE_DISCONNECT);
    assert_true(hcs__clock_ms() - t0 < 30000); /* not the full minute */
    assert_int_equal(count_wait(&t.mu, &t.cv, &t.disconnects, 1), 1);
    hcs__mutex_lock(&t.mu);
    assert_int_equal(t.disconnects, 1);
    assert_int_equal(t.replayed, 1);
    hcs__mutex_unlock(&t.mu);
    hcssim_restore_service();
    hcs_system_close(sys);
    tally_free(&t);
}

/* For R8: a timeout callback that takes its time. */
static void slow_callback(hcs_result *r, void *user)
{
    record_result(r, user);
    hcs__sleep_ms(4000);
}

typedef struct stamp {
    hcs_mutex mu;
    hcs_cond cv;
    uint64_t at;
    int32_t hr;
} stamp;

static void stamp_result(hcs_result *r, void *user)
{
    stamp *s = user;
    hcs__mutex_lock(&s->mu);
    s->at = hcs__clock_ms();
    s->hr = r->hr;
    hcs__cond_broadcast(&s->cv);
    hcs__mutex_unlock(&s->mu);
}

/* R8: a slow user callback run for one timeout does not hold up another
 * call's deadline. */
static void deadlines_fire_whatever_callbacks_do(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("latencies set per call");
    hcs_system sys = running_system("r8", CONTAINER);
    hcssim_set_latency("HcsGetComputeSystemProperties", 3000);
    latch slow;
    latch_init(&slow);
    stamp s = {0};
    hcs__mutex_init(&s.mu);
    hcs__cond_init(&s.cv);
    uint64_t t0 = hcs__clock_ms();
    hcs_async first = {.callback = slow_callback, .user_data = &slow, .timeout_ms = 50};
    hcs_async second = {.callback = stamp_result, .user_data = &s, .timeout_ms = 400};
    assert_int_equal(hcs_system_properties_async(sys, NULL, &first, NULL, NULL), HCS_OK);
    assert_int_equal(hcs_system_properties_async(sys, NULL, &second, NULL, NULL), HCS_OK);
    uint64_t guard = hcs__clock_ms() + 10000;
    hcs__mutex_lock(&s.mu);
    while (!s.at && hcs__cond_wait_until(&s.cv, &s.mu, guard)) {
    }
    hcs__mutex_unlock(&s.mu);
    assert_int_equal(s.hr, HCS_E_OPERATION_TIMEOUT);
    assert_true(s.at - t0 < 2500); /* due at 400 ms; behind the slow callback it came after 4 s */
    assert_int_equal(latch_wait(&slow, 1), 1);
    assert_int_equal(slow.hr[0], HCS_E_OPERATION_TIMEOUT);
    hcs__sleep_ms(3500); /* the two properties calls complete in HCS and are freed */
    latch_free(&slow);
    hcs__cond_destroy(&s.cv);
    hcs__mutex_destroy(&s.mu);
    hcs_system_close(sys);
}

/* For R9: a completion callback that makes a blocking call. */
typedef struct blocker {
    hcs_system sys;
    latch *done;
} blocker;

static void block_inside(hcs_result *r, void *user)
{
    blocker *b = user;
    char *props = NULL;
    int32_t hr = hcs_system_properties_json(b->sys, NULL, 10000, &props, NULL);
    hcs_free(props);
    hcs__mutex_lock(&b->done->mu);
    b->done->hr[b->done->count++] = HCS_FAILED(r->hr) ? r->hr : hr;
    hcs__cond_broadcast(&b->done->cv);
    hcs__mutex_unlock(&b->done->mu);
}

/* R9: sixteen callbacks block in libhcs calls at once, more than the
 * provider has threads; every one completes. */
static void sixteen_blocking_callbacks(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("latencies set per call");
    enum { N = 16 };
    hcs_system sys = running_system("r9", CONTAINER);
    hcssim_set_latency("HcsGetComputeSystemProperties", 100);
    latch done;
    latch_init(&done);
    blocker b = {sys, &done};
    for (int i = 0; i < N; i++) {
        hcs_async how = {.callback = block_inside, .user_data = &b, .timeout_ms = HCS_TIMEOUT_DEFAULT};
        assert_int_equal(hcs_system_properties_async(sys, NULL, &how, NULL, NULL), HCS_OK);
    }
    assert_int_equal(latch_wait(&done, N), N);
    for (int i = 0; i < N; i++)
        assert_int_equal(done.hr[i], HCS_OK);
    latch_free(&done);
    hcs_system_close(sys);
}

/* For R9: callbacks that each wait until all of them are running. */
typedef struct meeting {
    hcs_mutex mu;
    hcs_cond cv;
    int arrived, met;
    int want;
} meeting;

static void meet(hcs_result *r, void *user)
{
    (void)r;
    meeting *m = user;
    hcs__mutex_lock(&m->mu);
    m->arrived++;
    hcs__cond_broadcast(&m->cv);
    uint64_t give_up = hcs__clock_ms() + 30000; /* a hang guard, not a timing check */
    while (m->arrived < m->want && hcs__cond_wait_until(&m->cv, &m->mu, give_up)) {
    }
    if (m->arrived >= m->want)
        m->met++;
    hcs__cond_broadcast(&m->cv);
    hcs__mutex_unlock(&m->mu);
}

/* R9 (docs/threading.md rule 9): callbacks that block waiting for one
 * another, more of them than the pool starts at once (src/worker.h), all
 * end up running together: threads stuck in callbacks make the pool grow. */
static void callbacks_waiting_for_each_other_all_run(void **state)
{
    (void)state;
    enum { N = 12 };
    hcs_system sys = running_system("r9-meet", CONTAINER);
    meeting m = {.want = N};
    hcs__mutex_init(&m.mu);
    hcs__cond_init(&m.cv);
    for (int i = 0; i < N; i++) {
        hcs_async how = {.callback = meet, .user_data = &m, .timeout_ms = HCS_TIMEOUT_DEFAULT};
        assert_int_equal(hcs_system_properties_async(sys, NULL, &how, NULL, NULL), HCS_OK);
    }
    assert_int_equal(count_wait(&m.mu, &m.cv, &m.met, N), N);
    hcs__cond_destroy(&m.cv);
    hcs__mutex_destroy(&m.mu);
    hcs_system_close(sys);
}

/* R10: async calls and subscriptions refuse a closed, forged or
 * wrong-kind completion queue like any other bad handle. */
static void bad_queues_refused(void **state)
{
    (void)state;
    hcs_system sys = running_system("r10", CONTAINER);
    hcs_cq closed;
    assert_int_equal(hcs_cq_create(&closed, NULL), HCS_OK);
    hcs_cq_close(closed);
    hcs_cq bad[] = {closed, {0x7777777712345678ull}, {sys.id}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        hcs_error err = HCS_ERROR_INIT;
        hcs_op op = {1};
        hcs_async how = {.cq = bad[i], .timeout_ms = HCS_TIMEOUT_DEFAULT};
        assert_int_equal(hcs_system_properties_async(sys, NULL, &how, &op, &err), HCS_WIN32_E_INVALID_HANDLE);
        assert_int_equal(op.id, 0);
        assert_non_null(strstr(err.message, "completion queue"));
        hcs_subscription sub = {1};
        assert_int_equal(hcs_system_subscribe(sys, &(hcs_event_sink){.cq = bad[i]}, &sub, &err),
                         HCS_WIN32_E_INVALID_HANDLE);
        assert_int_equal(sub.id, 0);
        hcs_process_spec spec = {.command_line = "cmd /c exit 0", .events = {.cq = bad[i]}};
        hcs_process p = {1};
        assert_int_equal(hcs_process_create(sys, &spec, HCS_TIMEOUT_DEFAULT, &p, NULL, &err),
                         HCS_WIN32_E_INVALID_HANDLE);
        assert_int_equal(p.id, 0);
        hcs_error_clear(&err);
    }
    hcs_system_close(sys);
}

/* R11: 0 means "do not wait" everywhere, in blocking calls and in
 * hcs_async alike; HCS_TIMEOUT_DEFAULT is the client's default. */
static void timeout_zero_means_now_everywhere(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("latencies set per call");
    hcs_system sys = running_system("r11", CONTAINER);
    hcssim_set_latency("HcsGetComputeSystemProperties", 300);
    char *props = NULL;
    assert_int_equal(hcs_system_properties_json(sys, NULL, 0, &props, NULL), HCS_E_OPERATION_TIMEOUT);
    latch l;
    latch_init(&l);
    hcs_async now = {.callback = record_result, .user_data = &l, .timeout_ms = 0};
    assert_int_equal(hcs_system_properties_async(sys, NULL, &now, NULL, NULL), HCS_OK);
    assert_int_equal(latch_wait(&l, 1), 1);
    assert_int_equal(l.hr[0], HCS_E_OPERATION_TIMEOUT);
    hcs_async by_default = {.callback = record_result, .user_data = &l, .timeout_ms = HCS_TIMEOUT_DEFAULT};
    assert_int_equal(hcs_system_properties_async(sys, NULL, &by_default, NULL, NULL), HCS_OK);
    assert_int_equal(latch_wait(&l, 2), 2);
    assert_int_equal(l.hr[1], HCS_OK);
    assert_int_equal(hcs_system_properties_json(sys, NULL, HCS_TIMEOUT_DEFAULT, &props, NULL), HCS_OK);
    hcs_free(props);
    hcs__sleep_ms(400); /* the timed-out calls complete in HCS */
    latch_free(&l);
    hcs_system_close(sys);
}

/* R12: a queued event's type is the hcs_event_type users switch on, with
 * HCS's own value beside it. */
static void queued_event_type_is_the_enum(void **state)
{
    (void)state;
    hcs_system sys = running_system("r12", CONTAINER);
    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    hcs_process p = start_process(sys, "cmd /c exit 9", &(hcs_event_sink){.cq = cq, .user_data = (void *)5});
    hcs_result r;
    assert_int_equal(hcs_cq_next(cq, 10000, &r, NULL), HCS_OK);
    switch (r.event_type) {
    case HCS_EVENT_PROCESS_EXITED:
        break;
    default:
        fail_msg("event_type %d", (int)r.event_type);
    }
    assert_int_equal(r.event_raw_type, 0x00010000); /* HcsEventProcessExited */
    assert_ptr_equal(r.user_data, (void *)5);
    assert_int_equal(r.process.id, p.id);
    hcs_event e;
    assert_true(hcs_result_event(&r, &e));
    assert_int_equal(e.exit_code, 9);
    hcs_result_clear(&r);
    hcs_result plain = {0};
    assert_false(hcs_result_event(&plain, &e));
    hcs_cq_close(cq);
    hcs_process_close(p);
    hcs_system_close(sys);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(cq_close_keeps_the_subscribers_handles, reset_sim),
        cmocka_unit_test_setup(cq_close_closes_what_untaken_results_own, reset_sim),
        cmocka_unit_test_setup(cq_close_races_live_deliveries, reset_sim),
        cmocka_unit_test_setup(late_subscriber_gets_the_exit_replayed, reset_sim),
        cmocka_unit_test_setup(every_exit_seen_exactly_once, reset_sim),
        cmocka_unit_test_setup(lost_exit_event_reaches_subscribers, reset_sim),
        cmocka_unit_test_setup(status_query_in_flight_does_not_leak, reset_sim),
        cmocka_unit_test_setup(wait_bounded_when_status_query_hangs, reset_sim),
        cmocka_unit_test_setup(lost_service_ends_waits, reset_sim),
        cmocka_unit_test_setup(deadlines_fire_whatever_callbacks_do, reset_sim),
        cmocka_unit_test_setup(sixteen_blocking_callbacks, reset_sim),
        cmocka_unit_test_setup(callbacks_waiting_for_each_other_all_run, reset_sim),
        cmocka_unit_test_setup(bad_queues_refused, reset_sim),
        cmocka_unit_test_setup(timeout_zero_means_now_everywhere, reset_sim),
        cmocka_unit_test_setup(queued_event_type_is_the_enum, reset_sim),
    };
    return cmocka_run_group_tests(tests, open_client, close_client);
}
