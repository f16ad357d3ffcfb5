/* Events of a system or a process: exit, crash, guest connection closed,
 * process exited, service disconnect.
 *
 * libhcs registers its own callback on every HCS handle it wraps (HCS
 * allows one per handle) and fans events out to subscribers: callbacks or
 * completion queues. HCS's callback only records the event; subscribers'
 * callbacks run on libhcs's own threads, one event at a time per handle,
 * in HCS's order, and may call any libhcs function, blocking ones
 * included (docs/threading.md).
 *
 * Every exit is observed exactly once by every subscriber: a subscriber
 * that arrives after the exit (or after the service was lost) receives the
 * recorded event once, marked `replayed`; an exit HCS never announced but
 * libhcs found by asking HCS arrives the same way (libhcs asks once right
 * after a process handle is made, and while a wait runs: without a wait,
 * an exit event HCS drops later reaches no subscriber); a duplicated exit
 * event is delivered once. To miss nothing between creating a process or system
 * and subscribing, give the sink at creation (hcs_process_spec.events,
 * hcs_system_spec.events).
 *
 * After hcs_subscription_close returns, its callback never runs again
 * (unless it is called from inside that callback, which is allowed). */
#ifndef HCS_EVENT_H
#define HCS_EVENT_H

#include "operation.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hcs_event {
    hcs_event_type type;
    uint32_t raw_type;   /* HCS's HCS_EVENT_TYPE value */
    hcs_system system;   /* the subscribed system, or 0 */
    hcs_process process; /* the subscribed process, or 0 */
    const char *data;    /* the event's JSON (UTF-8) or NULL; valid during the callback */
    /* Typed payload, parsed from data: */
    int32_t exit_status;   /* SYSTEM_EXITED: SystemExitStatus.Status */
    const char *exit_type; /* SYSTEM_EXITED: "GracefulExit", "ForcedExit", "UnexpectedExit", ... or NULL */
    uint32_t process_id;   /* PROCESS_EXITED */
    uint32_t exit_code;    /* PROCESS_EXITED, meaningful when exit_code_known */
    bool exit_code_known;  /* Exited and LastWaitResult == 0 (hcs-api §4.1) */
    /* The exit or the service loss, delivered from libhcs's record rather
     * than as HCS announced it: it happened before this subscription, or
     * HCS's own event was lost and libhcs learnt of it by asking HCS. */
    bool replayed;
} hcs_event;

typedef void (*hcs_event_callback)(const hcs_event *event, void *user_data);

/* Where events go: a callback, or (callback NULL) the completion queue cq,
 * where each event arrives as an hcs_result with event_type set. A zeroed
 * sink means "no events". */
typedef struct hcs_event_sink {
    hcs_event_callback callback;
    hcs_cq cq;
    void *user_data;
} hcs_event_sink;

/* Subscribes sink (a callback, or a completion queue) to the system's
 * events; *out (when non-NULL) is the subscription, to end with
 * hcs_subscription_close; closing the system ends it too.
 * HCS_COM_E_INVALIDARG unless exactly one of sink->callback and sink->cq
 * is set; HCS_WIN32_E_INVALID_HANDLE for a closed system or queue. */
HCS_API int32_t hcs_system_subscribe(hcs_system sys, const hcs_event_sink *sink, hcs_subscription *out, hcs_error *err);
/* Subscribes sink to the process's events, as hcs_system_subscribe (event.h).
 * A process that exited already is reported at once, replayed. */
HCS_API int32_t hcs_process_subscribe(hcs_process proc, const hcs_event_sink *sink, hcs_subscription *out,
                                      hcs_error *err);
/* Ends a subscription. Idempotent; a stale handle is ignored. */
HCS_API void hcs_subscription_close(hcs_subscription sub);

/* Reads an event that arrived through a completion queue (result->event_type
 * is not HCS_EVENT_NONE). Returns false when the result is not an event or
 * an argument is NULL. The strings point into result. */
HCS_API bool hcs_result_event(const hcs_result *result, hcs_event *out);

#ifdef __cplusplus
}
#endif

#endif
