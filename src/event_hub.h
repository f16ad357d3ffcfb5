/* The events of one HCS handle (system or process) inside libhcs: the
 * exit latch that waits use, the subscribers events fan out to, and the
 * status checks that find an exit HCS never announced.
 *
 * HCS's event callback only records (hcs__event_hub_post); delivery to
 * subscribers runs on libhcs's threads (worker.h), one event at a time per
 * hub, in HCS's order. The terminal events, the exit and the service
 * disconnect, reach each subscriber exactly once: live, or replayed from
 * the record when the subscriber came after them or HCS's own event was
 * lost (docs/reliability.md). */
#ifndef HCS_SRC_EVENT_HUB_H
#define HCS_SRC_EVENT_HUB_H

#include "hcs/event.h"
#include "platform/thread.h"
#include "util/object.h"
#include "worker.h"

typedef struct event_sub event_sub;
typedef struct hub_item hub_item;
typedef struct event_hub event_hub;

/* How a hub asks HCS whether its system or process has exited. */
typedef struct event_hub_checker {
    /* Starts an async status query on the hub's handle reporting to how;
     * returns the kickoff HRESULT. */
    int32_t (*start)(event_hub *hub, const hcs_async *how);
    /* Whether a successful answer says the exit happened. */
    bool (*says_exited)(const char *document);
    /* Whether a failure means the system or process is gone. */
    bool (*gone)(int32_t hr);
} event_hub_checker;

struct event_hub {
    hcs_mutex mu;
    hcs_cond changed;
    hcs_object *owner; /* the system or process object */
    hcs_system system; /* handle values put in events */
    hcs_process process;
    uint32_t exit_event; /* HcsEventSystemExited or HcsEventProcessExited */
    const event_hub_checker *checker;
    bool exited;
    char *exit_doc;    /* SystemExitStatus / ProcessStatus JSON */
    bool disconnected; /* the service connection was lost */
    bool closed;       /* the handle was closed */
    event_sub *subs;
    hub_item *head, *tail; /* events waiting for delivery */
    uint64_t seq;          /* items queued so far */
    bool scheduled;        /* a delivery run is posted or running */
    hcs_work work;
    uint64_t calling;    /* thread inside a subscriber's callback, or 0 */
    bool checking;       /* a status query is in flight */
    uint64_t next_check; /* when a wait may next ask HCS for the state */
};

/* owner: the object embedding the hub (referenced while deliveries are
 * pending); exit_event: which HCS event is this handle's exit. */
void hcs__event_hub_init(event_hub *hub, hcs_object *owner, uint32_t exit_event, const event_hub_checker *checker);
void hcs__event_hub_destroy(event_hub *hub);

/* An event from HCS (data: UTF-8 JSON or NULL): updates the latch and
 * queues the event for every subscriber. Never runs user code. */
void hcs__event_hub_post(event_hub *hub, uint32_t raw_type, const char *data);

/* Asks HCS for the state once now, unless a query is in flight; an answer
 * that says exited (or a lost service) sets the latch and tells the
 * subscribers. Used right after registering for events, since the exit
 * may have come before (hcsshim-and-peers §8 lesson 4). */
void hcs__event_hub_check(event_hub *hub);

/* Waits until the handle's system or process exits, the service is lost
 * or the handle is closed. At most every EVENT_HUB_CHECK_MS without news
 * (counted across waits, so polling with timeout 0 checks too) it asks HCS
 * whether the exit happened anyway (hcsshim-and-peers §6 #1 and #8); the
 * query never holds the wait past its deadline. Returns HCS_OK with *doc
 * (hcs_free) holding the exit document, HCS_E_OPERATION_TIMEOUT,
 * HCS_E_SERVICE_DISCONNECT or HCS_WIN32_E_INVALID_HANDLE (closed). */
int32_t hcs__event_hub_wait(event_hub *hub, uint32_t timeout_ms, char **doc);
enum { EVENT_HUB_CHECK_MS = 250 };

/* The typed event for HCS's event type and data (strings point into data). */
void hcs__event_parse(uint32_t raw_type, const char *data, hcs_event *out);
/* Why a failed wait ended, for error messages. */
const char *hcs__event_hub_wait_failure(int32_t hr);

/* The handle is closing: waits end, subscriptions end, and a callback
 * running on another thread is waited for. */
void hcs__event_hub_close(event_hub *hub);

/* Adds a subscriber (call: the public function, for errors); returns its
 * handle in *out when out is non-NULL. A subscriber that comes after the
 * exit or the service loss is told of it once, replayed. */
int32_t hcs__event_hub_subscribe(event_hub *hub, const hcs_event_sink *sink, const char *call, hcs_subscription *out,
                                 hcs_error *err);

/* HCS_OK for a zeroed sink (no events) or one naming exactly one of a
 * callback and an open queue; else the failure, with err filled. For the
 * sinks given at creation, checked before HCS is called. */
int32_t hcs__sink_check(const hcs_event_sink *sink, const char *call, hcs_error *err);

#endif
