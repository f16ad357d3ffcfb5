/* Asynchronous HCS calls (see call.h). */
#include "call.h"

#include "cq.h"
#include "error_internal.h"
#include "handles.h"
#include "hcs_callback.h"
#include "pipe_io.h"
#include "platform/os_pipe.h"
#include "platform/thread.h"
#include "timer.h"
#include "util/utf16.h"
#include "worker.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_TEXTS = 3 };

/* One HCS notification for a request (hcs_async.progress), waiting for its
 * turn to be reported. */
typedef struct hcs_note {
    struct hcs_note *next;
    char *document;
} hcs_note;

struct hcs_call {
    hcs_object base;
    hcs_mutex mu;
    hcs_cond done_cv;
    const char *name;
    hcs_call_kind kind;
    hcs_client_obj *client;
    HCS_OPERATION op;
    uint64_t op_id;           /* HcsGetOperationId, for the trace */
    hcs_system system_handle; /* the system called on, for the trace */
    uint64_t started_ms;
    uint16_t *texts[MAX_TEXTS];
    char *input; /* the first text in UTF-8, kept only when tracing */
    /* delivery */
    bool async;
    bool direct; /* blocking, on an operation without a callback until a timeout hands it over */
    hcs_async how;
    hcs_op handle; /* the public request handle (async) */
    hcs_timer timer;
    hcs_work report_work; /* the report, run on libhcs's threads (worker.h) */
    int32_t report_hr;
    char *report_doc;
    /* progress notifications, reported in order by one drain at a time,
     * which also makes the report when it comes while they drain (mu) */
    hcs_work note_work;
    hcs_note *notes, *notes_tail;
    bool draining;
    bool report_waits;
    hcs_call_finisher finisher;
    void *context;
    hcs_event_sink sink; /* subscribed to what the call creates */
    bool (*accept)(int32_t hr);
    hcs_object *kept;
    bool want_info;
    atomic_bool completion_seen; /* on_complete runs its course once (adopted operations may race it) */
    /* outcome, under mu */
    bool done;     /* HCS completed the operation */
    bool reported; /* the outcome (or a timeout) has been reported */
    int32_t hr;
    char *doc;
    HCS_SYSTEM system;
    HCS_PROCESS process;
    HCS_PROCESS_INFORMATION info;
    bool has_info;
};

static const hcs_api *api_of(const hcs_call *call) { return &call->client->provider->api; }

/* Closes whatever HCS handed over that nobody took. */
static void drop_outputs(hcs_call *call)
{
    hcs__close_raw(call->client, HCS_KIND_SYSTEM, call->system);
    hcs__close_raw(call->client, HCS_KIND_PROCESS, call->process);
    if (call->has_info) {
        hcs__process_info_close(&call->info);
    }
    call->system = NULL;
    call->process = NULL;
    call->has_info = false;
    free(call->doc);
    call->doc = NULL;
}

/* The last reference is gone: nothing of HCS's uses the call anymore. */
static void destroy(hcs_object *o)
{
    hcs_call *call = (hcs_call *)o;
    drop_outputs(call);
    if (call->op)
        api_of(call)->HcsCloseOperation(call->op);
    while (call->notes) {
        hcs_note *n = call->notes;
        call->notes = n->next;
        free(n->document);
        free(n);
    }
    for (int i = 0; i < MAX_TEXTS; i++)
        free(call->texts[i]);
    free(call->input);
    free(call->report_doc);
    hcs_object_release(call->kept);
    hcs__client_release(call->client);
    hcs__cond_destroy(&call->done_cv);
    hcs__mutex_destroy(&call->mu);
    free(call);
}

static void release(hcs_call *call) { hcs_object_release(&call->base); }

/* ---- reporting ---------------------------------------------------------- */

/* system: the call's own, else one the outcome created (0 if none). */
static void trace(hcs_call *call, int32_t hr, const char *output, hcs_system system)
{
    hcs_trace_record r = {
        call->name, call->system_handle.id ? call->system_handle : system, call->op_id, 0, hr, call->input, output};
    hcs__client_trace(call->client, r, call->started_ms);
}

/* Fills the public result from the outcome (taking doc). */
static void fill_result(hcs_call *call, int32_t hr, char *doc, hcs_result *r)
{
    if (HCS_FAILED(hr) && call->accept && call->accept(hr)) {
        free(doc);
        doc = NULL;
        hr = HCS_OK;
    }
    if (HCS_FAILED(hr)) {
        r->hr =
            hcs__fail_doc(&r->error, hr, call->name, doc,
                          hr == HCS_E_OPERATION_TIMEOUT ? "no completion in time; the request continues in HCS" : NULL);
        return;
    }
    r->document = doc;
    r->hr = call->finisher ? call->finisher(call, r) : HCS_OK;
}

/* Builds the public result from the outcome taken out of the call, and
 * traces HCS's outcome (before idempotent calls turn it into success) with
 * the system the finisher may have wrapped. */
static void build_result(hcs_call *call, int32_t hr, char *doc, hcs_result *r)
{
    hcs__result_init(r);
    r->op = call->handle;
    r->call = call->name;
    r->user_data = call->how.user_data;
    char *shown = call->client->trace && doc ? strdup(doc) : NULL;
    fill_result(call, hr, doc, r);
    trace(call, hr, shown, r->system);
    free(shown);
}

/* Hands a result to the callback or queue of the request. */
static void hand_to_user(hcs_call *call, hcs_result *r)
{
    if (call->how.callback) {
        call->how.callback(r, call->how.user_data);
        hcs_result_clear(r);
        return;
    }
    hcs_cq_obj *q = hcs__cq_acquire(call->how.cq);
    if (q)
        hcs__cq_push(q, r);
    else
        hcs__result_discard(r);
    hcs__cq_release(q);
}

/* The report: the request's handle goes, then the result. */
static void deliver(hcs_call *call, hcs_result *r)
{
    hcs_object_release(hcs__table_remove(hcs__handles(), call->handle.id, HCS_KIND_OP));
    hand_to_user(call, r);
}

/* Takes the outcome out of the call for a report (mu held). */
static char *take_doc(hcs_call *call)
{
    char *doc = call->doc;
    call->doc = NULL;
    return doc;
}

static void run_report(hcs_work *w)
{
    hcs_call *call = (hcs_call *)((char *)w - offsetof(hcs_call, report_work));
    hcs_result r;
    build_result(call, call->report_hr, call->report_doc, &r);
    call->report_doc = NULL;
    deliver(call, &r);
    release(call);
}

/* Whether making and delivering the report runs no user code and calls
 * nothing of HCS's: a result for a queue (pushing runs no user code), of a
 * call without a finisher (which would wrap handles through HCS), on a
 * client without a trace callback. */
static bool reports_inline(const hcs_call *call) { return call->how.cq.id && !call->finisher && !call->client->trace; }

/* Makes the one report of an async call, with a reference the report
 * releases. Neither HCS's threads nor the deadline thread ever run user
 * code (worker.h): a report that would is posted to libhcs's threads; one
 * that would not is pushed to its queue right here, saving a thread
 * switch per call (issue 14), as pipe transfers do. */
static void post_report(hcs_call *call, int32_t hr, char *doc)
{
    call->report_hr = hr;
    call->report_doc = doc;
    hcs__mutex_lock(&call->mu);
    bool behind_notes = call->draining; /* the drain reports once the notes are out */
    call->report_waits = behind_notes;
    hcs__mutex_unlock(&call->mu);
    if (behind_notes)
        return;
    if (reports_inline(call))
        run_report(&call->report_work);
    else
        hcs__work_post(&call->report_work, run_report);
}

/* Reports the queued notifications one by one, in order, then the
 * request's own report if it came meanwhile (hcs_async.progress). */
static void drain_notes(hcs_work *w)
{
    hcs_call *call = (hcs_call *)((char *)w - offsetof(hcs_call, note_work));
    hcs__mutex_lock(&call->mu);
    while (call->notes) {
        hcs_note *n = call->notes;
        call->notes = n->next;
        if (!call->notes)
            call->notes_tail = NULL;
        hcs__mutex_unlock(&call->mu);
        hcs_result r;
        hcs__result_init(&r);
        r.op = call->handle;
        r.call = call->name;
        r.user_data = call->how.user_data;
        r.event_type = HCS_EVENT_OPERATION_INFO;
        r.event_raw_type = (uint32_t)HCS_EVENT_GROUP_OPERATION_INFO;
        r.document = n->document;
        free(n);
        hand_to_user(call, &r);
        hcs__mutex_lock(&call->mu);
    }
    call->draining = false;
    bool report = call->report_waits;
    call->report_waits = false;
    hcs__mutex_unlock(&call->mu);
    if (report)
        run_report(&call->report_work); /* releases the report's reference */
    release(call);                      /* the drain's */
}

/* HCS's notification callback (HcsCreateOperationWithNotifications): the
 * note is queued unless the request has reported (then the call may be
 * going: it is not touched beyond its lock, which outlives HCS's
 * callbacks since the call closes its operation first). */
static void WINAPI on_note(HCS_EVENT *event, void *context)
{
    hcs_call *call = context;
    if (!event || event->Type != HCS_EVENT_GROUP_OPERATION_INFO)
        return;
    hcs__callback_enter();
    hcs_note *n = calloc(1, sizeof *n);
    if (n && event->EventData && hcs__utf16_to_utf8((const uint16_t *)event->EventData, &n->document) != 0)
        n->document = NULL;
    hcs__mutex_lock(&call->mu);
    bool keep = n && !call->reported;
    bool start = keep && !call->draining;
    if (keep) {
        *(call->notes_tail ? &call->notes_tail->next : &call->notes) = n;
        call->notes_tail = n;
    }
    if (start) {
        call->draining = true;
        hcs_object_retain(&call->base); /* the drain's */
    }
    hcs__mutex_unlock(&call->mu);
    if (!keep && n) {
        free(n->document);
        free(n);
    }
    if (start)
        hcs__work_post(&call->note_work, drain_notes);
    hcs__callback_leave();
}

/* HCS's completion callback. */
static void WINAPI on_complete(HCS_OPERATION op, void *context)
{
    hcs_call *call = context;
    if (atomic_exchange(&call->completion_seen, true))
        return;
    hcs__callback_enter();
    const hcs_api *api = api_of(call);
    PWSTR wdoc = NULL;
    HCS_PROCESS_INFORMATION info = {0};
    int32_t hr = call->want_info && api->HcsGetOperationResultAndProcessInfo
                     ? api->HcsGetOperationResultAndProcessInfo(op, &info, &wdoc)
                     : api->HcsGetOperationResult(op, &wdoc);
    char *doc = NULL;
    if (wdoc) {
        hcs__utf16_to_utf8((const uint16_t *)wdoc, &doc);
        api->LocalFree(wdoc);
    }
    hcs__mutex_lock(&call->mu);
    bool stale = call->reported; /* a timeout was reported already */
    call->done = true;
    call->hr = hr;
    call->doc = doc;
    call->has_info = call->want_info && hr == HCS_OK;
    call->info = info;
    bool report = call->async && !stale;
    call->reported = stale || call->async;
    if (stale)
        drop_outputs(call); /* nobody will take them: close what HCS handed over */
    hcs__cond_broadcast(&call->done_cv);
    char *taken = report ? take_doc(call) : NULL;
    hcs__mutex_unlock(&call->mu);
    if (report) {
        if (hcs__timer_disarm(&call->timer))
            release(call);            /* the timer's reference */
        post_report(call, hr, taken); /* takes HCS's callback's reference */
    } else {
        release(call);
    }
    hcs__callback_leave();
}

static void on_timeout(hcs_timer *t)
{
    hcs_call *call = (hcs_call *)((char *)t - offsetof(hcs_call, timer));
    hcs__mutex_lock(&call->mu);
    bool report = !call->reported;
    call->reported = true;
    hcs__mutex_unlock(&call->mu);
    if (report) {
        api_of(call)->HcsCancelOperation(call->op);
        post_report(call, HCS_E_OPERATION_TIMEOUT, NULL); /* takes the timer's reference */
    } else {
        release(call);
    }
}

/* ---- setting up --------------------------------------------------------- */

static bool valid_async(const hcs_async *how) { return how && !!how->callback != !!how->cq.id; }

/* An operation that also reports HCS's notifications to on_note (and its
 * completion to on_complete); NULL with *hr set when the host has no
 * HcsCreateOperationWithNotifications, or left HCS_OK when HCS failed to
 * make one (reported as for HcsCreateOperation). */
static HCS_OPERATION notifying_operation(hcs_call *call, int32_t *hr, hcs_error *err)
{
    const hcs_api *api = api_of(call);
    if (!hcs__client_function(call->client, offsetof(hcs_api, HcsCreateOperationWithNotifications),
                              "HcsCreateOperationWithNotifications", err) ||
        !hcs__client_function(call->client, offsetof(hcs_api, HcsSetOperationCallback), "HcsSetOperationCallback",
                              err)) {
        *hr = HCS_WIN32_E_PROC_NOT_FOUND;
        return NULL;
    }
    HCS_OPERATION op = api->HcsCreateOperationWithNotifications(HcsOperationOptionProgressUpdate, call, on_note);
    if (op && HCS_FAILED(api->HcsSetOperationCallback(op, call, on_complete))) {
        api->HcsCloseOperation(op);
        op = NULL;
    }
    return op;
}

/* A call on `raw` (an operation the caller made, whose callback the
 * caller then sets) or, when raw is NULL, on a new operation of its own. */
static hcs_call *call_new(hcs_client_obj *client, const char *name, hcs_call_kind kind, const hcs_async *how,
                          HCS_OPERATION raw, int32_t *hr, hcs_error *err)
{
    if (how && !valid_async(how)) {
        *hr = hcs__fail(err, HCS_COM_E_INVALIDARG, name, "hcs_async needs exactly one of callback and cq");
        return NULL;
    }
    if (how && how->cq.id && !hcs__cq_valid(how->cq)) {
        *hr = hcs__fail(err, HCS_WIN32_E_INVALID_HANDLE, name, "the completion queue is closed or invalid");
        return NULL;
    }
    hcs_call *call = calloc(1, sizeof *call);
    if (!call) {
        *hr = hcs__fail(err, HCS_COM_E_OUTOFMEMORY, name, "out of memory");
        return NULL;
    }
    *hr = HCS_OK;
    hcs_object_init(&call->base, destroy);
    hcs_object_retain(&call->base); /* HCS's callback */
    hcs__mutex_init(&call->mu);
    hcs__cond_init(&call->done_cv);
    call->name = name;
    call->kind = kind;
    hcs_object_retain(&client->base);
    call->client = client;
    call->started_ms = hcs__clock_ms();
    if (how) {
        call->async = true;
        call->how = *how;
        call->handle.id = hcs__table_insert(hcs__handles(), HCS_KIND_OP, &call->base);
    }
    /* A blocking call waits on its operation directly (HCS wakes the waiter
     * itself, one thread switch fewer than through a callback, issue 14)
     * where a timeout can still hand the operation to the callback. */
    call->direct = !how && !raw && api_of(call)->HcsSetOperationCallback;
    if (how && how->progress && !raw)
        call->op = notifying_operation(call, hr, err);
    else
        call->op = raw ? raw : api_of(call)->HcsCreateOperation(call, call->direct ? NULL : on_complete);
    if (!call->op && HCS_FAILED(*hr)) {
        hcs_object_release(hcs__table_remove(hcs__handles(), call->handle.id, HCS_KIND_OP));
        release(call);
        release(call);
        return NULL;
    }
    if (!call->op || (how && !call->handle.id)) {
        if (raw)
            call->op = NULL; /* still the caller's */
        hcs_object_release(hcs__table_remove(hcs__handles(), call->handle.id, HCS_KIND_OP));
        release(call);
        release(call);
        *hr = hcs__fail(err, HCS_COM_E_OUTOFMEMORY, name, "HcsCreateOperation failed");
        return NULL;
    }
    *hr = HCS_OK;
    if (api_of(call)->HcsGetOperationId)
        call->op_id = api_of(call)->HcsGetOperationId(call->op);
    return call;
}

hcs_call *hcs__call_new(hcs_client_obj *client, const char *name, hcs_call_kind kind, const hcs_async *how, int32_t *hr,
                        hcs_error *err)
{
    return call_new(client, name, kind, how, NULL, hr, err);
}

HCS_OPERATION hcs__call_operation(const hcs_call *call) { return call->op; }
hcs_client_obj *hcs__call_client(const hcs_call *call) { return call->client; }
HCS_SYSTEM *hcs__call_system_slot(hcs_call *call) { return &call->system; }
HCS_PROCESS *hcs__call_process_slot(hcs_call *call) { return &call->process; }
void hcs__call_want_process_info(hcs_call *call) { call->want_info = true; }
void *hcs__call_context(const hcs_call *call) { return call->context; }

void hcs__call_accept(hcs_call *call, bool (*accept)(int32_t hr)) { call->accept = accept; }
void hcs__call_set_sink(hcs_call *call, const hcs_event_sink *sink) { call->sink = *sink; }
const hcs_event_sink *hcs__call_sink(const hcs_call *call) { return &call->sink; }
void hcs__call_set_system(hcs_call *call, hcs_system sys) { call->system_handle = sys; }

void hcs__call_keep(hcs_call *call, hcs_object *obj)
{
    hcs_object_retain(obj);
    hcs_object_release(call->kept);
    call->kept = obj;
}

void hcs__call_set_finisher(hcs_call *call, hcs_call_finisher finisher, void *context)
{
    call->finisher = finisher;
    call->context = context;
}

PCWSTR hcs__call_text(hcs_call *call, const char *utf8, int32_t *hr)
{
    *hr = HCS_OK;
    if (!utf8)
        return NULL;
    int slot = 0;
    while (slot < MAX_TEXTS && call->texts[slot])
        slot++;
    int rc = slot < MAX_TEXTS ? hcs__utf8_to_utf16(utf8, &call->texts[slot]) : -2;
    if (rc != 0)
        *hr = rc == -1 ? HCS_WIN32_E_NO_UNICODE_TRANSLATION : HCS_COM_E_OUTOFMEMORY;
    if (rc == 0 && !call->input && call->client->trace)
        call->input = strdup(utf8);
    return rc == 0 ? (PCWSTR)call->texts[slot] : NULL;
}

HCS_SYSTEM hcs__call_take_system(hcs_call *call)
{
    HCS_SYSTEM s = call->system;
    call->system = NULL;
    return s;
}

HCS_PROCESS hcs__call_take_process(hcs_call *call)
{
    HCS_PROCESS p = call->process;
    call->process = NULL;
    return p;
}

bool hcs__call_take_process_info(hcs_call *call, HCS_PROCESS_INFORMATION *info)
{
    bool had = call->has_info;
    if (had)
        *info = call->info;
    call->has_info = false;
    return had;
}

/* ---- finishing ---------------------------------------------------------- */

/* The kickoff failed: no callback will run, so both its reference and the
 * creator's go now. */
static int32_t abort_call(hcs_call *call, int32_t hr, hcs_error *err)
{
    if (call->op)
        api_of(call)->HcsCloseOperation(call->op);
    call->op = NULL;
    hcs_object_release(hcs__table_remove(hcs__handles(), call->handle.id, HCS_KIND_OP));
    hcs__mutex_lock(&call->mu);
    bool ran = call->done;
    char *doc = take_doc(call);
    hcs__mutex_unlock(&call->mu);
    trace(call, hr, doc, (hcs_system){0});
    const char *name = call->name;
    if (!ran)
        release(call);
    release(call);
    return hcs__fail_doc(err, hr, name, doc, "the request was refused");
}

/* The handed-over operation's last resort, on libhcs's threads: HCS would
 * not take a callback, so a thread waits for the outcome. */
static void wait_out(hcs_work *w)
{
    hcs_call *call = (hcs_call *)((char *)w - offsetof(hcs_call, report_work));
    api_of(call)->HcsWaitForOperationResult(call->op, INFINITE, NULL);
    on_complete(call->op, call);
}

/* A direct wait timed out with the operation pending: from now on HCS's
 * completion callback takes the outcome, as for every other call, and
 * frees the call once HCS is done (docs/threading.md rule 7). An
 * operation that completed before the callback was set may never call it
 * (as in hcs__call_adopt): then it is taken here; completion_seen lets
 * only one of the two run. */
static void hand_over(hcs_call *call)
{
    const hcs_api *api = api_of(call);
    if (HCS_FAILED(api->HcsSetOperationCallback(call->op, call, on_complete))) {
        hcs__work_post(&call->report_work, wait_out); /* a blocking call never reports: the work item is free */
        return;
    }
    if (api->HcsGetOperationResult(call->op, NULL) != HCS_E_OPERATION_PENDING)
        on_complete(call->op, call);
}

/* Waits on the operation itself for up to timeout_ms; an outcome is
 * recorded as the completion callback would (on this thread). */
static void wait_direct(hcs_call *call, uint32_t timeout_ms)
{
    const hcs_api *api = api_of(call);
    int32_t hr = api->HcsWaitForOperationResult(call->op, timeout_ms, NULL);
    /* HCS_E_OPERATION_TIMEOUT may also be the operation's own outcome. */
    if (hr == HCS_E_OPERATION_TIMEOUT && api->HcsGetOperationResult(call->op, NULL) == HCS_E_OPERATION_PENDING)
        hand_over(call);
    else
        on_complete(call->op, call);
}

static int32_t wait_blocking(hcs_call *call, uint32_t timeout_ms, hcs_result *result, hcs_error *err)
{
    uint32_t timeout = hcs__client_timeout(call->client, call->kind, timeout_ms);
    uint64_t deadline = hcs__deadline_after(timeout);
    if (call->direct)
        wait_direct(call, timeout);
    hcs__mutex_lock(&call->mu);
    while (!call->done && hcs__cond_wait_until(&call->done_cv, &call->mu, deadline)) {
    }
    bool done = call->done;
    call->reported = true;
    int32_t hr = done ? call->hr : HCS_E_OPERATION_TIMEOUT;
    char *doc = done ? take_doc(call) : NULL;
    hcs__mutex_unlock(&call->mu);
    if (!done)
        api_of(call)->HcsCancelOperation(call->op); /* older hosts: E_NOTIMPL; the callback cleans up */
    build_result(call, hr, doc, result);
    hr = result->hr;
    if (HCS_FAILED(hr) && err) {
        hcs_error_clear(err);
        *err = result->error;
        memset(&result->error, 0, sizeof result->error);
    } else {
        hcs__succeed(err);
    }
    release(call);
    return hr;
}

static int32_t start_async(hcs_call *call, hcs_op *op, hcs_error *err)
{
    uint32_t timeout = hcs__client_timeout(call->client, call->kind, call->how.timeout_ms);
    if (op)
        *op = call->handle;
    /* Under the call's lock: an outcome that came first needs no deadline
     * (and on_complete takes call->mu before, never inside, the timers'). */
    hcs__mutex_lock(&call->mu);
    bool arm = timeout != HCS_TIMEOUT_INFINITE && !call->reported;
    if (arm) {
        hcs_object_retain(&call->base); /* the timer's */
        if (hcs__timer_arm(&call->timer, hcs__deadline_after(timeout), on_timeout) != 0)
            hcs_object_release(&call->base); /* no deadline thread or heap: the call runs unbounded */
    }
    hcs__mutex_unlock(&call->mu);
    release(call);
    return hcs__succeed(err);
}

int32_t hcs__call_finish(hcs_call *call, int32_t kickoff, uint32_t timeout_ms, hcs_result *result, hcs_op *op,
                         hcs_error *err)
{
    if (HCS_FAILED(kickoff))
        return abort_call(call, kickoff, err);
    if (call->async)
        return start_async(call, op, err);
    return wait_blocking(call, timeout_ms, result, err);
}

int32_t hcs_op_cancel(hcs_op op, hcs_error *err)
{
    const char *name = "HcsCancelOperation";
    hcs_call *call = (hcs_call *)hcs__table_acquire(hcs__handles(), op.id, HCS_KIND_OP);
    if (!call && hcs__pipe_op_cancel(op))
        return hcs__succeed(err); /* a pipe transfer: it stops and reports (streams.h) */
    if (!call)
        return hcs__fail(err, HCS_WIN32_E_INVALID_HANDLE, name, "the request has reported already or never existed");
    uint64_t started = hcs__clock_ms();
    int32_t hr = api_of(call)->HcsCancelOperation(call->op);
    hcs_trace_record r = {name, call->system_handle, call->op_id, 0, hr, NULL, NULL};
    hcs__client_trace(call->client, r, started);
    release(call);
    return HCS_FAILED(hr) ? hcs__fail(err, hr, name, "HCS did not cancel the request") : hcs__succeed(err);
}

int32_t hcs_op_properties(hcs_op op, char **document, hcs_error *err)
{
    const char *name = "HcsGetOperationProperties";
    if (!document)
        return hcs__fail(err, HCS_COM_E_POINTER, name, "document is NULL");
    *document = NULL;
    hcs_call *call = (hcs_call *)hcs__table_acquire(hcs__handles(), op.id, HCS_KIND_OP);
    if (!call)
        return hcs__fail(err, HCS_WIN32_E_INVALID_HANDLE, name, "the request has reported already or never existed");
    const hcs_api *api = api_of(call);
    int32_t hr = HCS_WIN32_E_PROC_NOT_FOUND;
    if (hcs__client_function(call->client, offsetof(hcs_api, HcsGetOperationProperties), name, err)) {
        uint64_t started = hcs__clock_ms();
        PWSTR wdoc = NULL;
        static const uint16_t empty_query[] = {'{', '}', 0};
        hr = api->HcsGetOperationProperties(call->op, (PCWSTR)empty_query, &wdoc);
        if (wdoc) {
            if (HCS_SUCCEEDED(hr) && hcs__utf16_to_utf8((const uint16_t *)wdoc, document) != 0)
                hr = HCS_COM_E_OUTOFMEMORY;
            api->LocalFree(wdoc);
        }
        hcs_trace_record r = {name, call->system_handle, call->op_id, 0, hr, NULL, *document};
        hcs__client_trace(call->client, r, started);
        hr = HCS_FAILED(hr) ? hcs__fail(err, hr, name, "HCS did not describe the request") : hcs__succeed(err);
    }
    release(call);
    return hr;
}

int32_t hcs__call_adopt(hcs_client_obj *client, HCS_OPERATION raw, const hcs_async *how, hcs_op *op, hcs_error *err)
{
    const char *name = "hcs_op_from_raw";
    const hcs_api *api = &client->provider->api;
    if (!api->HcsSetOperationCallback)
        return hcs__fail(err, HCS_WIN32_E_PROC_NOT_FOUND, name, "the provider cannot set operation callbacks");
    int32_t state = api->HcsGetOperationResult(raw, NULL);
    if (state == HCS_E_OPERATION_NOT_STARTED)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, name, "the operation was never started");
    int32_t hr;
    hcs_call *call = call_new(client, name, HCS_CALL_QUERY, how, raw, &hr, err);
    if (!call)
        return hr;
    hr = api->HcsSetOperationCallback(raw, call, on_complete);
    if (HCS_FAILED(hr)) {
        call->op = NULL; /* still the caller's */
        return abort_call(call, hr, err);
    }
    /* An operation that ended before the callback was set may never call
     * it: then report now (completion_seen makes one of the two win). */
    if (api->HcsGetOperationResult(raw, NULL) != HCS_E_OPERATION_PENDING)
        on_complete(raw, call);
    return start_async(call, op, err);
}
