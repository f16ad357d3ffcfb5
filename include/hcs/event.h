/* Events of a system or a process: exit, crash, guest connection closed,
 * process exited, service disconnect.
 *
 * libhcs registers its own callback on every HCS handle it wraps (HCS
 * allows one per handle) and fans events out to subscribers: callbacks or
 * completion queues. A subscriber's callback runs on a thread of the
 * provider, one event at a time per handle, in HCS's order. After
 * hcs_unsubscribe returns, its callback never runs again (unless
 * hcs_unsubscribe is called from inside that callback, which is allowed). */
#ifndef HCS_EVENT_H
#define HCS_EVENT_H

#include "operation.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum hcs_event_type {
    HCS_EVENT_NONE = 0,
    HCS_EVENT_SYSTEM_EXITED,           /* data: SystemExitStatus */
    HCS_EVENT_SYSTEM_CRASH_INITIATED,  /* data: CrashReport */
    HCS_EVENT_SYSTEM_CRASH_REPORT,     /* data: CrashReport */
    HCS_EVENT_GUEST_CONNECTION_CLOSED, /* no data */
    HCS_EVENT_PROCESS_EXITED,          /* data: ProcessStatus */
    HCS_EVENT_SERVICE_DISCONNECT,      /* no data: the service is gone */
    HCS_EVENT_OTHER,                   /* anything else HCS sends; see raw_type */
} hcs_event_type;

typedef struct hcs_event {
    hcs_event_type type;
    uint32_t raw_type;   /* HCS's HCS_EVENT_TYPE value */
    hcs_system system;   /* the subscribed system, or 0 */
    hcs_process process; /* the subscribed process, or 0 */
    const char *data;    /* the event's JSON (UTF-8) or NULL; valid during the callback */
    /* Typed payload, parsed from data: */
    int32_t exit_status;      /* SYSTEM_EXITED: SystemExitStatus.Status */
    const char *exit_type;    /* SYSTEM_EXITED: "GracefulExit", "ForcedExit", "UnexpectedExit", ... or NULL */
    uint32_t process_id;      /* PROCESS_EXITED */
    uint32_t exit_code;       /* PROCESS_EXITED, meaningful when exit_code_known */
    bool exit_code_known;     /* Exited and LastWaitResult == 0 (hcs-api §4.1) */
} hcs_event;

typedef void (*hcs_event_callback)(const hcs_event *event, void *user_data);

/* Subscribes a callback (or, when callback is NULL, the queue `cq`: each
 * event then arrives as an hcs_result whose `event` member is set) to the
 * system's events. Close the subscription with hcs_unsubscribe; closing
 * the system ends it too. */
HCS_API int32_t hcs_system_subscribe(hcs_system sys, hcs_event_callback callback, hcs_cq cq, void *user_data,
                                     hcs_subscription *out, hcs_error *err);
/* Ends a subscription. Idempotent. */
HCS_API void hcs_unsubscribe(hcs_subscription sub);

/* Reads an event that arrived through a completion queue. Returns false
 * when the result is not an event. The strings point into result. */
HCS_API bool hcs_result_event(const hcs_result *result, hcs_event *out);

#ifdef __cplusplus
}
#endif

#endif
