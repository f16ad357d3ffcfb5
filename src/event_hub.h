/* The events of one HCS handle (system or process) inside libhcs: the
 * exit latch that waits use, and the subscribers events fan out to.
 * Written by libhcs's HCS event callback; read by waits and
 * subscriptions. */
#ifndef HCS_SRC_EVENT_HUB_H
#define HCS_SRC_EVENT_HUB_H

#include "hcs/event.h"
#include "platform/thread.h"
#include "util/object.h"

typedef struct event_sub event_sub;

typedef struct event_hub {
    hcs_mutex mu;
    hcs_cond changed;
    hcs_object *owner;   /* the system or process object */
    hcs_system system;   /* handle values put in events */
    hcs_process process;
    bool exited;
    char *exit_doc;      /* SystemExitStatus / ProcessStatus JSON */
    bool disconnected;   /* the service connection was lost */
    bool closed;         /* the handle was closed */
    event_sub *subs;
    uint64_t delivering; /* thread delivering an event, or 0 */
    uint64_t next_check; /* when a wait may next ask HCS for the state */
} event_hub;

void event_hub_init(event_hub *hub, hcs_object *owner);
void event_hub_destroy(event_hub *hub);

/* An event from HCS (data: UTF-8 JSON or NULL): updates the latch and
 * calls or queues every subscriber. */
void event_hub_post(event_hub *hub, uint32_t raw_type, const char *data);
/* The exit latch was found set some other way (a status query). */
void event_hub_mark_exited(event_hub *hub, const char *exit_doc);

/* Waits until the handle's system or process exits, the service is lost
 * or the handle is closed. Returns HCS_OK with *doc (hcs_free) holding
 * the exit document, HCS_E_OPERATION_TIMEOUT, HCS_E_SERVICE_DISCONNECT or
 * HCS_WIN32_E_INVALID_HANDLE (closed). */
int32_t event_hub_wait(event_hub *hub, uint32_t timeout_ms, char **doc);
/* How often waits ask HCS itself whether the exit happened. */
enum { EVENT_HUB_CHECK_MS = 250 };

/* As event_hub_wait, but at most every EVENT_HUB_CHECK_MS without news
 * (counted across waits, so polling with timeout 0 checks too) asks
 * `check` whether the exit happened anyway (an exit event HCS never sent,
 * hcsshim-and-peers §6 #1 and #8); check returns true and may set *doc. */
int32_t event_hub_wait_checked(event_hub *hub, uint32_t timeout_ms, bool (*check)(void *ctx, char **doc),
                               void *ctx, char **doc);

/* The typed event for HCS's event type and data (strings point into data). */
void event_parse(uint32_t raw_type, const char *data, hcs_event *out);
/* Why a failed wait ended, for error messages. */
const char *event_hub_wait_failure(int32_t hr);

/* The handle is closing: waits end, subscriptions end, and a delivery in
 * progress on another thread is waited for. */
void event_hub_close(event_hub *hub);

/* Adds a subscriber; returns its handle in *out. */
int32_t event_hub_subscribe(event_hub *hub, hcs_event_callback callback, hcs_cq cq, void *user_data,
                            hcs_subscription *out, hcs_error *err);

#endif
