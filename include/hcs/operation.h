/* Three ways to wait for an asynchronous HCS call.
 *
 * Every call HCS runs asynchronously (create, start, shutdown, properties,
 * process calls, ...) has a blocking form, `hcs_system_start(sys, opts,
 * timeout_ms, &err)`, and an `_async` form taking an hcs_async, which says
 * how to be told of the outcome:
 *
 *  - a callback: called once with the result, on one of libhcs's own
 *    threads (never HCS's); it may call any libhcs function, blocking ones
 *    included, and a callback that blocks holds up no other callback
 *    (docs/threading.md);
 *  - a completion queue (hcs_cq): the result is queued, and the queue's
 *    pollable descriptor (an fd on POSIX, an event HANDLE on Windows) is
 *    readable/signalled while results wait, so epoll, IOCP or libuv loops can
 *    drive thousands of calls from one thread.
 *
 * Each async call reports exactly once: its outcome, or
 * HCS_E_OPERATION_TIMEOUT when `timeout_ms` passes first. A call that times
 * out (in any form) is cancelled where HCS allows, and libhcs keeps HCS's
 * operation and every buffer HCS may read alive until HCS completes it; a
 * result arriving after the timeout is discarded, handles it carries are
 * closed. Nothing leaks and nothing is freed under HCS's feet.
 *
 * The reads and writes of stdio pipes (hcs_pipe_read_async,
 * hcs_pipe_write_async in streams.h) report the same way, so one queue can
 * carry a program's calls, events and process output together. */
#ifndef HCS_OPERATION_H
#define HCS_OPERATION_H

#include "client.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What happened to a system or process (event.h). Declared here because
 * an event that arrives through a completion queue is an hcs_result. */
typedef enum hcs_event_type {
    HCS_EVENT_NONE = 0,                /* not an event: the outcome of a call */
    HCS_EVENT_SYSTEM_EXITED,           /* data: SystemExitStatus */
    HCS_EVENT_SYSTEM_CRASH_INITIATED,  /* data: CrashReport */
    HCS_EVENT_SYSTEM_CRASH_REPORT,     /* data: CrashReport */
    HCS_EVENT_GUEST_CONNECTION_CLOSED, /* no data */
    HCS_EVENT_PROCESS_EXITED,          /* data: ProcessStatus */
    HCS_EVENT_SERVICE_DISCONNECT,      /* no data: the service is gone */
    HCS_EVENT_OTHER,                   /* anything else HCS sends; see raw_type */
    HCS_EVENT_NETWORK,                 /* an HCN notification (network.h); raw_type: HCN_NOTIFICATIONS */
    HCS_EVENT_OPERATION_INFO,          /* data: OperationInfo; a request's progress (hcs_async.progress) */
    HCS_EVENT_LIVE_MIGRATION,          /* data: OperationSystemMigrationNotificationInfo (migration.h), or none */
} hcs_event_type;

/* The outcome of one asynchronous call (an HCS call, or a pipe transfer of
 * streams.h), or an event queued by a subscription (event_type set; read it
 * with hcs_result_event). */
typedef struct hcs_result {
    hcs_op op;                 /* the request this answers */
    const char *call;          /* the HCS function, e.g. "HcsStartComputeSystem", or for a pipe
                                  transfer "hcs_pipe_read_async" / "hcs_pipe_write_async" (static) */
    int32_t hr;                /* HCS_OK or the failure */
    char *document;            /* the result document (UTF-8 JSON) or NULL */
    hcs_system system;         /* hcs_system_create_async: the new system, yours to close;
                                  an event: the subscribed system (the subscriber's, not the result's) */
    hcs_process process;       /* hcs_process_create_async: the new process, yours to close;
                                  an event: the subscribed process (the subscriber's) */
    uint32_t process_id;       /* ... its pid */
    hcs_stdio stdio;           /* ... its pipes (HCS_PIPE_NONE if not asked for); yours to close */
    hcs_error error;           /* when hr failed: the classified error */
    void *user_data;           /* as given in hcs_async (or hcs_*_subscribe) */
    hcs_event_type event_type; /* an event queued by a subscription, else HCS_EVENT_NONE; data in document */
    uint32_t event_raw_type;   /* ... HCS's own HCS_EVENT_TYPE value */
    bool event_replayed;       /* ... delivered from libhcs's record, not live (hcs_event.replayed) */
    size_t bytes;              /* hcs_pipe_read_async / hcs_pipe_write_async: bytes moved (streams.h) */
} hcs_result;

/* Frees what the result holds (not the handles in it) and zeroes it. */
HCS_API void hcs_result_clear(hcs_result *result);

/* Called once per async call. The result belongs to libhcs and is cleared
 * after the callback returns: take what you keep (set result->document to
 * NULL to keep the document and free it later with hcs_free). */
typedef void (*hcs_callback)(hcs_result *result, void *user_data);

typedef struct hcs_async {
    hcs_callback callback; /* either a callback, */
    hcs_cq cq;             /* or a completion queue (id 0 when callback is used) */
    void *user_data;       /* handed back in the result */
    uint32_t timeout_ms;   /* as everywhere (client.h): HCS_TIMEOUT_DEFAULT, HCS_TIMEOUT_INFINITE or ms;
                              0 reports HCS_E_OPERATION_TIMEOUT at once unless HCS had completed */
    bool progress;         /* also report HCS's notifications for the request: each arrives, to the same
                              callback or queue and in the order HCS sent them, as a result with event_type
                              HCS_EVENT_OPERATION_INFO, the request's op and user_data and the OperationInfo
                              document ({"Operation", "StartTimestamp", "EndTimestamp", "FailureInfo"});
                              all of them before the request's own report, none after. Needs a host with
                              HcsCreateOperationWithNotifications (Windows build 26100, hcssim's 24H2); on
                              others the call fails with HCS_WIN32_E_PROC_NOT_FOUND, "not supported on this
                              host" (class unsupported) */
} hcs_async;

/* Creates a completion queue. Close it with hcs_cq_close. */
HCS_API int32_t hcs_cq_create(hcs_cq *out, hcs_error *err);

/* The descriptor to poll: on POSIX a file descriptor that is readable
 * while results wait (never read it yourself); on Windows an event HANDLE
 * (cast from intptr_t) that is signalled while results wait. -1 for a stale
 * queue. Valid until hcs_cq_close. */
HCS_API intptr_t hcs_cq_pollable(hcs_cq cq);

/* Takes the oldest result, waiting up to timeout_ms (0: do not wait;
 * HCS_TIMEOUT_DEFAULT: 240000).
 * Returns HCS_OK with *out filled (clear it with hcs_result_clear), or
 * HCS_E_OPERATION_TIMEOUT when nothing arrived in time. */
HCS_API int32_t hcs_cq_next(hcs_cq cq, uint32_t timeout_ms, hcs_result *out, hcs_error *err);

/* Closes the queue. Results still queued are discarded (their handles
 * closed); calls still in flight that would report to it are discarded
 * when they end. Idempotent. */
HCS_API void hcs_cq_close(hcs_cq cq);

/* Asks HCS to cancel a request in flight. Older hosts do not implement
 * this (HCS_COM_E_NOTIMPL); the request then runs to its end and reports
 * as usual. HCS_WIN32_E_INVALID_HANDLE once the request has reported.
 * A pipe transfer (hcs_pipe_read_async, hcs_pipe_write_async) is always
 * cancellable: HCS_OK, and it reports HCS_WIN32_E_OPERATION_ABORTED once
 * the transfer has stopped, unless it completed first (streams.h). */
HCS_API int32_t hcs_op_cancel(hcs_op op, hcs_error *err);

/* What HCS tells about a request in flight (HcsGetOperationProperties):
 * its OperationInfo document, e.g. {"Operation":"Start","StartTimestamp":
 * "2026-12-03T07:00:00.000Z"}, in *document (free it with hcs_free).
 * HCS_WIN32_E_INVALID_HANDLE once the request has reported;
 * HCS_WIN32_E_PROC_NOT_FOUND ("not supported on this host") on hosts
 * older than Windows build 26100. */
HCS_API int32_t hcs_op_properties(hcs_op op, char **document, hcs_error *err);

#ifdef __cplusplus
}
#endif

#endif
