/* Event fan-out, exit latches and status checks (see event_hub.h,
 * hcs/event.h). */
#include "event_hub.h"

#include "cq.h"
#include "error_internal.h"
#include "handles.h"
#include "network_internal.h"
#include "hcs/computecore.h"
#include "schema/schema_read.h"

#include <stdlib.h>
#include <string.h>

/* Terminal events, each told to a subscriber at most once. */
enum { SEEN_EXIT = 1, SEEN_DISCONNECT = 2 };

struct event_sub {
    hcs_object base;
    event_sub *next;
    event_hub *hub; /* valid while listed; the hub's owner is referenced */
    hcs_object *owner;
    hcs_event_sink sink;
    uint64_t id; /* 0 for a subscription made at creation (no handle) */
    bool listed;
    unsigned seen;  /* SEEN_* already told to this subscriber */
    uint64_t since; /* the first hub item meant for it: earlier ones it gets replayed, if at all */
};

/* One event waiting for delivery. */
struct hub_item {
    hub_item *next;
    uint32_t raw;
    char *data;
    event_sub *target; /* referenced: a replay for this subscriber only; NULL: everyone */
    bool replayed;
    uint64_t seq; /* order of queueing in the hub */
};

static void run_delivery(hcs_work *w);

void hcs__event_hub_init(event_hub *hub, hcs_object *owner, uint32_t exit_event, const event_hub_checker *checker)
{
    memset(hub, 0, sizeof *hub);
    hcs__mutex_init(&hub->mu);
    hcs__cond_init(&hub->changed);
    hub->owner = owner;
    hub->exit_event = exit_event;
    hub->checker = checker;
    hub->next_check = hcs__clock_ms() + EVENT_HUB_CHECK_MS;
}

static void free_item(hub_item *it)
{
    if (it->target)
        hcs_object_release(&it->target->base);
    free(it->data);
    free(it);
}

void hcs__event_hub_destroy(event_hub *hub)
{
    while (hub->head) {
        hub_item *it = hub->head;
        hub->head = it->next;
        free_item(it);
    }
    free(hub->exit_doc);
    hcs__cond_destroy(&hub->changed);
    hcs__mutex_destroy(&hub->mu);
}

/* ---- typed events ------------------------------------------------------- */

static hcs_event_type type_of(uint32_t raw)
{
    switch (raw) {
    case 0:
        return HCS_EVENT_NONE;
    case HcsEventSystemExited:
        return HCS_EVENT_SYSTEM_EXITED;
    case HcsEventSystemCrashInitiated:
        return HCS_EVENT_SYSTEM_CRASH_INITIATED;
    case HcsEventSystemCrashReport:
        return HCS_EVENT_SYSTEM_CRASH_REPORT;
    case HcsEventSystemGuestConnectionClosed:
        return HCS_EVENT_GUEST_CONNECTION_CLOSED;
    case HcsEventProcessExited:
        return HCS_EVENT_PROCESS_EXITED;
    case HcsEventServiceDisconnect:
        return HCS_EVENT_SERVICE_DISCONNECT;
    case (uint32_t)HCS_EVENT_GROUP_LIVE_MIGRATION:
        return HCS_EVENT_LIVE_MIGRATION;
    default:
        return HCS_EVENT_OTHER;
    }
}

/* A 32-bit member: typed, or an integer kept as written (another spelling
 * or size, cut to 32 bits); else `otherwise`. */
static int64_t member_int(const hcs_unknown_fields *kept, const char *name, bool has, int64_t value, int64_t otherwise)
{
    int64_t n;
    if (has)
        return value;
    return hcs__schema_kept_integer(kept, name, &n) ? n : otherwise;
}

/* Fills the typed payload from the JSON (hcs-api §4.1, §8.8). */
static void parse_payload(hcs_event *e)
{
    if (e->type == HCS_EVENT_SYSTEM_EXITED) {
        hcs_schema_doc *doc = hcs__schema_read(HCS_SCHEMA_SystemExitStatus, e->data);
        const hcs_SystemExitStatus *st = hcs_schema_doc_root(doc);
        if (st) {
            e->exit_status =
                (int32_t)(uint32_t)member_int(&st->unknown_fields, "Status", st->has_Status, st->Status, 0);
            /* NotificationType's strings: "None", "GracefulExit", ... (static) */
            if (st->has_ExitType)
                e->exit_type = hcs_schema_enum_string(HCS_SCHEMA_NotificationType, st->ExitType.value);
        }
        hcs_schema_doc_free(doc);
    } else if (e->type == HCS_EVENT_PROCESS_EXITED) {
        hcs_schema_doc *doc = hcs__schema_read(HCS_SCHEMA_ProcessStatus, e->data);
        const hcs_ProcessStatus *st = hcs_schema_doc_root(doc);
        if (st) {
            const hcs_unknown_fields *kept = &st->unknown_fields;
            int64_t code;
            bool has_code = st->has_ExitCode || hcs__schema_kept_integer(kept, "ExitCode", &code);
            e->process_id = (uint32_t)member_int(kept, "ProcessId", st->has_ProcessId, st->ProcessId, 0);
            /* An exit code counts only when HCS says the wait worked (hcs-api
             * §4.1; hcsshim-and-peers §6 #26: never report an unknown exit
             * as 0). A LastWaitResult that is absent or no integer counts as 0. */
            e->exit_code_known = st->has_Exited && st->Exited && has_code &&
                                 member_int(kept, "LastWaitResult", st->has_LastWaitResult, st->LastWaitResult, 0) == 0;
            e->exit_code = (uint32_t)member_int(kept, "ExitCode", st->has_ExitCode, st->ExitCode, 0);
        }
        hcs_schema_doc_free(doc);
    }
}

void hcs__event_parse(uint32_t raw_type, const char *data, hcs_event *out)
{
    memset(out, 0, sizeof *out);
    out->type = type_of(raw_type);
    out->raw_type = raw_type;
    out->data = data;
    parse_payload(out);
}

bool hcs_result_event(const hcs_result *result, hcs_event *out)
{
    if (!result || !out || result->event_type == HCS_EVENT_NONE)
        return false;
    /* An HCN notification's raw type is HCN's numbering, not HCS's: it
     * stays as it came (network.h), as its callback form does. */
    if (result->event_type == HCS_EVENT_NETWORK)
        *out = (hcs_event){.type = HCS_EVENT_NETWORK, .raw_type = result->event_raw_type, .data = result->document};
    else
        hcs__event_parse(result->event_raw_type, result->document, out);
    out->system = result->system;
    out->process = result->process;
    out->replayed = result->event_replayed;
    return true;
}

/* ---- the delivery queue ------------------------------------------------- */

static unsigned seen_bit(const event_hub *hub, uint32_t raw)
{
    return raw == hub->exit_event ? SEEN_EXIT : raw == HcsEventServiceDisconnect ? SEEN_DISCONNECT : 0;
}

/* With hub->mu held: queues an event. Returns true when the caller must
 * post the delivery run (after unlocking: the run takes hub->mu). */
static bool enqueue(event_hub *hub, uint32_t raw, const char *data, event_sub *target, bool replayed)
{
    hub_item *it = calloc(1, sizeof *it);
    char *copy = data ? strdup(data) : NULL;
    if (!it || (data && !copy)) {
        free(it);
        free(copy);
        return false; /* out of memory: the latch still tells waits */
    }
    it->raw = raw;
    it->data = copy;
    it->replayed = replayed;
    it->seq = hub->seq++;
    if (target) {
        hcs_object_retain(&target->base);
        it->target = target;
    }
    if (hub->tail)
        hub->tail->next = it;
    else
        hub->head = it;
    hub->tail = it;
    if (hub->scheduled)
        return false;
    hub->scheduled = true;
    hcs_object_retain(hub->owner); /* the delivery run's */
    return true;
}

static void schedule(event_hub *hub, bool post)
{
    if (post)
        hcs__work_post(&hub->work, run_delivery);
}

/* With hub->mu held: the subscribers item goes to, referenced, and marks
 * the terminal events as told. *n receives the count; NULL when none. */
static event_sub **recipients(event_hub *hub, const hub_item *it, size_t *n)
{
    *n = 0;
    size_t cap = 0;
    for (event_sub *s = hub->subs; s; s = s->next)
        cap++;
    event_sub **list = cap ? calloc(cap, sizeof(event_sub *)) : NULL;
    unsigned bit = seen_bit(hub, it->raw);
    for (event_sub *s = hub->subs; s && list; s = s->next) {
        if ((it->target && it->target != s) || it->seq < s->since || (s->seen & bit))
            continue;
        s->seen |= bit;
        hcs_object_retain(&s->base);
        list[(*n)++] = s;
    }
    return list;
}

static void queue_event(const event_hub *hub, const event_sub *s, const hub_item *it)
{
    hcs_cq_obj *q = hcs__cq_acquire(s->sink.cq);
    if (!q)
        return;
    hcs_result r;
    hcs__result_init(&r);
    r.call = "event";
    r.event_type = type_of(it->raw);
    r.event_raw_type = it->raw;
    r.event_replayed = it->replayed;
    r.document = it->data ? strdup(it->data) : NULL;
    r.system = hub->system;
    r.process = hub->process;
    r.user_data = s->sink.user_data;
    hcs__cq_push(q, &r);
    hcs__cq_release(q);
}

/* With hub->mu held: tells one subscriber, unless it left meanwhile. The
 * callback (or the push to its queue) runs with the lock released and
 * hub->calling set, which unlist waits for: nothing reaches a subscriber
 * after its subscription is closed. */
static void tell(event_hub *hub, event_sub *s, const hub_item *it, const hcs_event *e)
{
    if (!s->listed)
        return;
    hub->calling = hcs__thread_self();
    hcs__mutex_unlock(&hub->mu);
    if (s->sink.callback)
        s->sink.callback(e, s->sink.user_data);
    else
        queue_event(hub, s, it);
    hcs__mutex_lock(&hub->mu);
    hub->calling = 0;
    hcs__cond_broadcast(&hub->changed);
}

static void deliver_item(event_hub *hub, const hub_item *it)
{
    hcs_event e;
    hcs__event_parse(it->raw, it->data, &e);
    e.system = hub->system;
    e.process = hub->process;
    e.replayed = it->replayed;
    size_t n;
    event_sub **list = recipients(hub, it, &n);
    for (size_t i = 0; i < n; i++)
        tell(hub, list[i], it, &e);
    hcs__mutex_unlock(&hub->mu);
    for (size_t i = 0; i < n; i++)
        hcs_object_release(&list[i]->base);
    free(list);
    hcs__mutex_lock(&hub->mu);
}

/* Delivers what is queued, in order, then ends; one run per hub at a time
 * (hub->scheduled), so subscribers see events one at a time, in HCS's
 * order. */
static void run_delivery(hcs_work *w)
{
    event_hub *hub = (event_hub *)((char *)w - offsetof(event_hub, work));
    hcs_object *owner = hub->owner;
    hcs__mutex_lock(&hub->mu);
    while (hub->head) {
        hub_item *it = hub->head;
        hub->head = it->next;
        if (!hub->head)
            hub->tail = NULL;
        deliver_item(hub, it);
        hcs__mutex_unlock(&hub->mu);
        free_item(it);
        hcs__mutex_lock(&hub->mu);
    }
    hub->scheduled = false;
    hcs__mutex_unlock(&hub->mu);
    hcs_object_release(owner); /* may destroy the hub */
}

/* ---- subscriptions ------------------------------------------------------ */

static void destroy_sub(hcs_object *o)
{
    event_sub *s = (event_sub *)o;
    hcs_object_release(s->owner);
    free(s);
}

/* With hub->mu held: lists s and queues the terminal events it missed.
 * Events queued before it came are not its (they happened before it
 * subscribed); of those, the exit and the service loss are replayed. */
static bool list_sub(event_hub *hub, event_sub *s)
{
    s->since = hub->seq;
    s->listed = true;
    s->next = hub->subs;
    hub->subs = s;
    hcs_object_retain(&s->base); /* the list's */
    bool post = false;
    if (hub->exited)
        post |= enqueue(hub, hub->exit_event, hub->exit_doc, s, true);
    if (hub->disconnected)
        post |= enqueue(hub, HcsEventServiceDisconnect, NULL, s, true);
    return post;
}

int32_t hcs__sink_check(const hcs_event_sink *sink, const char *call, hcs_error *err)
{
    if (!sink->callback && !sink->cq.id && !sink->user_data)
        return HCS_OK;
    if (!sink->callback == !sink->cq.id)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, call, "give exactly one of a callback and a completion queue");
    if (sink->cq.id && !hcs__cq_valid(sink->cq))
        return hcs__fail(err, HCS_WIN32_E_INVALID_HANDLE, call, "the completion queue is closed or invalid");
    return HCS_OK;
}

int32_t hcs__event_hub_subscribe(event_hub *hub, const hcs_event_sink *sink, const char *call, hcs_subscription *out,
                                 hcs_error *err)
{
    if (out)
        out->id = 0;
    if (!sink || (!sink->callback && !sink->cq.id))
        return hcs__fail(err, HCS_COM_E_INVALIDARG, call, "give exactly one of a callback and a completion queue");
    int32_t bad = hcs__sink_check(sink, call, err);
    if (HCS_FAILED(bad))
        return bad;
    event_sub *s = calloc(1, sizeof *s);
    if (!s)
        return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, call, "out of memory");
    hcs_object_init(&s->base, destroy_sub);
    hcs_object_retain(hub->owner);
    s->owner = hub->owner;
    s->hub = hub;
    s->sink = *sink;
    s->id = out ? hcs__table_insert(hcs__handles(), HCS_KIND_SUBSCRIPTION, &s->base) : 0;
    hcs__mutex_lock(&hub->mu);
    bool closed = hub->closed;
    bool ok = !closed && (s->id || !out);
    bool post = ok && list_sub(hub, s);
    hcs__mutex_unlock(&hub->mu);
    schedule(hub, post);
    /* From here a close on another thread may end s: use only the id. */
    uint64_t id = s->id;
    hcs_object_release(&s->base); /* the table (or, without a handle, the list) holds it */
    if (!ok) {
        hcs_object_release(hcs__table_remove(hcs__handles(), id, HCS_KIND_SUBSCRIPTION));
        return closed ? hcs__fail(err, HCS_WIN32_E_INVALID_HANDLE, call, "the handle is closed")
                      : hcs__fail(err, HCS_COM_E_OUTOFMEMORY, call, "out of memory");
    }
    if (out)
        out->id = id;
    return hcs__succeed(err);
}

/* With hub->mu held: takes s out of the list; waits for a callback running
 * on another thread to end so that no callback runs afterwards. */
static void unlist(event_hub *hub, event_sub *s)
{
    if (!s->listed)
        return;
    for (event_sub **at = &hub->subs; *at; at = &(*at)->next)
        if (*at == s) {
            *at = s->next;
            break;
        }
    s->listed = false;
    while (hub->calling && hub->calling != hcs__thread_self())
        hcs__cond_wait(&hub->changed, &hub->mu);
    hcs_object_release(&s->base); /* the list's; the caller still holds one */
}

void hcs_subscription_close(hcs_subscription sub)
{
    event_sub *s = (event_sub *)hcs__table_remove(hcs__handles(), sub.id, HCS_KIND_SUBSCRIPTION);
    if (!s) {
        hcs__network_unsubscribe(sub);
        return;
    }
    event_hub *hub = s->hub;
    hcs__mutex_lock(&hub->mu);
    unlist(hub, s);
    hcs__mutex_unlock(&hub->mu);
    hcs_object_release(&s->base);
}

/* ---- the latch ---------------------------------------------------------- */

/* Records the exit (or the service loss) and queues it for subscribers:
 * live as HCS sent it, or replayed when libhcs learnt it by asking. */
static void record(event_hub *hub, uint32_t raw, const char *data, bool replayed)
{
    hcs__mutex_lock(&hub->mu);
    if (raw == hub->exit_event && !hub->exited) {
        hub->exited = true;
        hub->exit_doc = data ? strdup(data) : NULL;
    } else if (raw == HcsEventServiceDisconnect) {
        hub->disconnected = true;
    }
    hcs__cond_broadcast(&hub->changed);
    /* With nobody subscribed the latch is all there is to do: a later
     * subscriber is owed no event from before it came but the terminal
     * ones, which it gets replayed from the latch (list_sub). So no
     * delivery run, and no thread woken, for an event nobody hears. */
    bool post = hub->subs && enqueue(hub, raw, data, NULL, replayed);
    hcs__mutex_unlock(&hub->mu);
    schedule(hub, post);
}

void hcs__event_hub_post(event_hub *hub, uint32_t raw, const char *data) { record(hub, raw, data, false); }

/* ---- status checks ------------------------------------------------------ */

/* What a status query said (hr, and the document when it succeeded):
 * news of an exit or of a lost service is recorded and told. */
static void learn(event_hub *hub, int32_t hr, const char *document)
{
    const event_hub_checker *c = hub->checker;
    bool exited = HCS_SUCCEEDED(hr) ? c->says_exited(document) : c->gone(hr);
    bool lost = hr == HCS_E_SERVICE_DISCONNECT;
    hcs__mutex_lock(&hub->mu);
    bool news = (exited && !hub->exited) || (lost && !hub->disconnected);
    hub->checking = false;
    hcs__cond_broadcast(&hub->changed);
    hcs__mutex_unlock(&hub->mu);
    if (news)
        record(hub, exited ? hub->exit_event : HcsEventServiceDisconnect, exited ? document : NULL, true);
}

/* The answer to a status query (on libhcs's threads). */
static void on_check(hcs_result *r, void *user_data)
{
    event_hub *hub = user_data;
    learn(hub, r->hr, r->document);
    hcs_object_release(hub->owner);
}

/* Starts a status query unless one is in flight, the handle is done, or
 * (only_when_due) the last one was less than EVENT_HUB_CHECK_MS ago. */
static void check(event_hub *hub, bool only_when_due)
{
    hcs__mutex_lock(&hub->mu);
    bool due = !only_when_due || hcs__clock_ms() >= hub->next_check;
    bool start = due && !hub->checking && !hub->closed && !hub->exited;
    if (start) {
        hub->checking = true;
        hub->next_check = hcs__clock_ms() + EVENT_HUB_CHECK_MS;
    }
    hcs__mutex_unlock(&hub->mu);
    if (!start)
        return;
    hcs_object_retain(hub->owner); /* on_check's */
    hcs_async how = {.callback = on_check, .user_data = hub, .timeout_ms = HCS_TIMEOUT_DEFAULT};
    int32_t hr = hub->checker->start(hub, &how);
    if (HCS_FAILED(hr)) { /* refused at once: on_check never runs */
        learn(hub, hr, NULL);
        hcs_object_release(hub->owner);
    }
}

void hcs__event_hub_check(event_hub *hub) { check(hub, false); }

/* ---- waits -------------------------------------------------------------- */

int32_t hcs__event_hub_wait(event_hub *hub, uint32_t timeout_ms, char **doc)
{
    *doc = NULL;
    uint64_t deadline = hcs__deadline_after(timeout_ms);
    for (;;) {
        check(hub, true);
        uint64_t slice = hcs__clock_ms() + EVENT_HUB_CHECK_MS;
        hcs__mutex_lock(&hub->mu);
        while (!hub->exited && !hub->disconnected && !hub->closed &&
               hcs__cond_wait_until(&hub->changed, &hub->mu, slice < deadline ? slice : deadline)) {
        }
        int32_t hr = hub->exited         ? HCS_OK
                     : hub->closed       ? HCS_WIN32_E_INVALID_HANDLE
                     : hub->disconnected ? HCS_E_SERVICE_DISCONNECT
                                         : HCS_E_OPERATION_TIMEOUT;
        if (hr == HCS_OK && hub->exit_doc)
            *doc = strdup(hub->exit_doc);
        hcs__mutex_unlock(&hub->mu);
        if (hr != HCS_E_OPERATION_TIMEOUT || hcs__clock_ms() >= deadline)
            return hr;
    }
}

const char *hcs__event_hub_wait_failure(int32_t hr)
{
    switch (hr) {
    case HCS_E_OPERATION_TIMEOUT:
        return "it did not exit in time";
    case HCS_E_SERVICE_DISCONNECT:
        return "the compute service connection was lost";
    default:
        return "the handle was closed while waiting";
    }
}

void hcs__event_hub_close(event_hub *hub)
{
    hcs__mutex_lock(&hub->mu);
    hub->closed = true;
    hcs__cond_broadcast(&hub->changed);
    while (hub->subs) {
        event_sub *s = hub->subs;
        hcs_object *entry = s->id ? hcs__table_remove(hcs__handles(), s->id, HCS_KIND_SUBSCRIPTION) : NULL;
        hcs_object_retain(&s->base);
        unlist(hub, s);
        hcs__mutex_unlock(&hub->mu);
        hcs_object_release(entry);
        hcs_object_release(&s->base);
        hcs__mutex_lock(&hub->mu);
    }
    while (hub->calling && hub->calling != hcs__thread_self())
        hcs__cond_wait(&hub->changed, &hub->mu);
    hcs__mutex_unlock(&hub->mu);
}
