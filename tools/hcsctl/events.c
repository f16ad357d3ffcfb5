/* hcsctl events: one line per event HCS reports for the watched systems,
 * until Ctrl-C (or, with ids, until each of them exited).
 *
 * HCS has no feed of every system's events: events come per system handle
 * (hcs-api §4). So hcsctl subscribes each system to one completion queue
 * (event.h), and without ids it lists the systems every second to
 * subscribe those created since. */
#include "commands.h"
#include "json_out.h"
#include "term.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How often the loop looks at Ctrl-C, and (in slices) for new systems. */
enum { SLICE_MS = 250, SLICES_PER_LISTING = 4 };

typedef struct watched {
    char *id;
    hcs_system sys;
    bool exited;
} watched;

typedef struct watch_list {
    watched *items;
    size_t count, cap;
} watch_list;

static atomic_bool stop_asked;

static void on_signal(hcsctl_signal what, void *user)
{
    (void)user;
    if (what != HCSCTL_SIGNAL_RESIZE)
        atomic_store(&stop_asked, true);
}

/* The name HCS gives the event type, without its HcsEvent prefix. */
static const char *event_name(hcs_event_type type)
{
    static const char *const names[] = {"None",
                                        "SystemExited",
                                        "SystemCrashInitiated",
                                        "SystemCrashReport",
                                        "GuestConnectionClosed",
                                        "ProcessExited",
                                        "ServiceDisconnect",
                                        "Other",
                                        "OperationInfo",
                                        "LiveMigration"};
    return (unsigned)type < sizeof names / sizeof names[0] ? names[type] : "Other";
}

/* Subscribes the system `id` to the queue as entry number `index`.
 * Returns the HRESULT; a system gone meanwhile is HCS_E_SYSTEM_NOT_FOUND. */
static int32_t watch_one(hcsctl_ctx *ctx, watch_list *list, const char *id, hcs_cq cq, hcs_error *err)
{
    if (list->count == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 8;
        watched *grown = realloc(list->items, cap * sizeof *grown);
        if (!grown)
            return HCS_COM_E_OUTOFMEMORY;
        list->items = grown;
        list->cap = cap;
    }
    watched *w = &list->items[list->count];
    *w = (watched){0};
    int32_t hr = hcs_system_open(ctx->client, id, &w->sys, err);
    hcs_event_sink sink = {.cq = cq, .user_data = (void *)(uintptr_t)list->count};
    if (hr == HCS_OK)
        hr = hcs_system_subscribe(w->sys, &sink, NULL, err);
    if (hr == HCS_OK && (w->id = hcsctl_copy(id)) == NULL)
        hr = HCS_COM_E_OUTOFMEMORY;
    if (hr != HCS_OK) {
        hcs_system_close(w->sys);
        return hr;
    }
    list->count++;
    return HCS_OK;
}

static bool watching(const watch_list *list, const char *id)
{
    for (size_t i = 0; i < list->count; i++)
        if (!list->items[i].exited && strcmp(list->items[i].id, id) == 0)
            return true;
    return false;
}

/* Subscribes the systems that are not watched yet. */
static void watch_new(hcsctl_ctx *ctx, watch_list *list, hcs_cq cq)
{
    hcs_schema_doc *doc;
    hcs_Properties *items;
    size_t count;
    if (hcs_system_enumerate(ctx->client, NULL, hcsctl_call_timeout(ctx), &doc, &items, &count, NULL) != HCS_OK)
        return; /* the service's loss arrives as an event */
    for (size_t i = 0; i < count; i++)
        if (items[i].Id && !watching(list, items[i].Id))
            watch_one(ctx, list, items[i].Id, cq, NULL); /* one that ended meanwhile has nothing to say */
    hcs_schema_doc_free(doc);
}

/* "2024-05-01T10:00:00Z" */
static void now_utc(char *buf, size_t size)
{
    time_t t = time(NULL);
    struct tm *tm = gmtime(&t);
    if (!tm || !strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", tm))
        snprintf(buf, size, "-");
}

static void print_event(const hcs_event *ev, const char *id, bool json)
{
    char when[32];
    now_utc(when, sizeof when);
    if (!json) {
        printf("%s  %s  %s%s%s\n", when, id, event_name(ev->type), ev->data ? "  " : "", ev->data ? ev->data : "");
    } else {
        hcsctl_buf b = {0};
        hcsctl_buf_printf(&b, "{\"Time\":\"%s\",\"Id\":", when);
        hcsctl_buf_json_string(&b, id);
        hcsctl_buf_printf(&b, ",\"Event\":\"%s\",\"RawType\":%u,\"Data\":%s}", event_name(ev->type), ev->raw_type,
                          ev->data && ev->data[0] ? ev->data : "null");
        printf("%s\n", hcsctl_buf_text(&b));
        hcsctl_buf_free(&b);
    }
    fflush(stdout);
}

static size_t still_watched(const watch_list *list)
{
    size_t n = 0;
    for (size_t i = 0; i < list->count; i++)
        n += !list->items[i].exited;
    return n;
}

/* Prints the events until Ctrl-C, the service's loss, or (named) the exit
 * of every system watched. */
static int loop(hcsctl_ctx *ctx, watch_list *list, hcs_cq cq, bool named, bool json)
{
    for (unsigned slice = 1; !atomic_load(&stop_asked) && (!named || still_watched(list) > 0); slice++) {
        hcs_result r;
        if (hcs_cq_next(cq, SLICE_MS, &r, NULL) != HCS_OK) {
            if (!named && slice % SLICES_PER_LISTING == 0)
                watch_new(ctx, list, cq);
            continue;
        }
        hcs_event ev = {0};
        uintptr_t index = (uintptr_t)r.user_data;
        if (index >= list->count || !list->items) { /* not a subscription's: cannot happen */
            hcs_result_clear(&r);
            continue;
        }
        watched *w = &list->items[index];
        if (hcs_result_event(&r, &ev))
            print_event(&ev, w->id, json);
        hcs_result_clear(&r);
        if (ev.type == HCS_EVENT_SERVICE_DISCONNECT) {
            hcs_error err = {.hr = HCS_E_SERVICE_DISCONNECT, .kind = HCS_ERROR_DISCONNECTED};
            return hcsctl_report(ctx, NULL, (hcs_system){0}, &err);
        }
        if (ev.type == HCS_EVENT_SYSTEM_EXITED && !w->exited) {
            w->exited = true;
            hcs_system_close(w->sys);
        }
    }
    return HCSCTL_EXIT_OK;
}

int hcsctl_events(hcsctl_ctx *ctx, const hcsctl_args *args)
{
    bool named = args->positional_count > 0, json = hcsctl_arg_count(args, "json") > 0;
    bool signals = hcsctl_signals_start(on_signal, NULL, false);
    watch_list list = {0};
    hcs_cq cq = {0};
    hcs_error err = HCS_ERROR_INIT;
    int rc = hcsctl_client(ctx);
    if (rc == HCSCTL_EXIT_OK && hcs_cq_create(&cq, &err) != HCS_OK)
        rc = hcsctl_report(ctx, NULL, (hcs_system){0}, &err);
    for (size_t i = 0; rc == HCSCTL_EXIT_OK && i < args->positional_count; i++)
        if (watch_one(ctx, &list, args->positional[i], cq, &err) != HCS_OK)
            rc = hcsctl_report(ctx, args->positional[i], (hcs_system){0}, &err);
    if (rc == HCSCTL_EXIT_OK) {
        if (!named)
            watch_new(ctx, &list, cq);
        hcsctl_say("watching the events of %s; Ctrl-C stops", named ? "these systems" : "every system");
        rc = loop(ctx, &list, cq, named, json);
    }
    for (size_t i = 0; i < list.count; i++) {
        hcs_system_close(list.items[i].sys);
        free(list.items[i].id);
    }
    free(list.items);
    hcs_cq_close(cq);
    hcs_error_clear(&err);
    if (signals)
        hcsctl_signals_stop();
    return rc;
}
