/* Requests: the asynchronous half of every async computecore call. The
 * export validates its arguments and queues a request; the request's action
 * runs on the engine thread, after the requests made earlier on the same
 * system, and its outcome completes the caller's operation. A completed
 * operation is also reported to the handle's listener when it asked for
 * operation events (hcs-api §3.4, pattern 3). */
#ifndef HCSSIM_REQUEST_H
#define HCSSIM_REQUEST_H

#include "fault.h"
#include "handle.h"
#include "operation.h"

#include <jansson.h>

typedef struct sim_request sim_request;
/* Runs on the engine thread with the engine lock held. Returns the outcome
 * and may set *doc (malloc'ed UTF-8) to the result document, or
 * SIM_DEFERRED: the action keeps the request and ends it later with
 * hcssim__request_finish (a live migration's transfer, migration.h). */
typedef HRESULT (*sim_action)(sim_request *req, char **doc);

/* S_FALSE, which no computecore call returns as an outcome. */
#define SIM_DEFERRED ((HRESULT)1)

struct sim_request {
    const char *call; /* computecore function name, for fault plans */
    HCS_OPERATION_TYPE type;
    sim_action action;
    sim_handle *target; /* handle the call was made on (referenced), or NULL */
    sim_system *sys;    /* referenced; NULL for enumerate */
    sim_process *proc;  /* referenced; NULL for system calls */
    sim_operation *op;  /* NULL for the service's own requests */
    json_t *args;       /* parsed options, query or settings */
    char *ns;           /* namespace (enumerate), or NULL */
    HRESULT preset;     /* outcome decided at kickoff (e.g. a bad document) */
    char *preset_detail;
    sim_fault fault;              /* what the fault plan imposes on this call */
    HCS_PROCESS_INFORMATION info; /* set by process actions with has_info */
    bool has_info;
    sim_request *next; /* in a list of parked requests */
};

/* A zeroed request for `call`, or NULL when memory ran out. */
sim_request *hcssim__request_new(const char *call, HCS_OPERATION_TYPE type, sim_action action);
void hcssim__request_free(sim_request *req);

/* With the engine lock held: starts `operation` (when given) and queues the
 * request. On success the queue owns req; on failure the caller frees it,
 * the operation is left as it was and the HRESULT is the call's result. */
HRESULT hcssim__request_submit(sim_request *req, HCS_OPERATION operation);

/* With the engine lock held: ends a deferred request with its outcome (doc
 * taken), as if its action had returned it. Free it after unlocking. */
void hcssim__request_finish(sim_request *req, HRESULT hr, char *doc);

/* Records the verdict on the call's document, to be the outcome when it
 * is a failure (detail says why). */
void hcssim__request_preset(sim_request *req, HRESULT verdict, const char *detail);

/* Without the engine lock: submits req unless the service is disconnected;
 * frees it when refused. Returns the call's result. */
HRESULT hcssim__request_queue(sim_request *req, HCS_OPERATION operation);

/* Without the engine lock: registers the event callback of a system or
 * process handle (hcs-api §4.2), then reports an unreported create. */
HRESULT hcssim__register_callback(const void *handle, enum sim_kind kind, HCS_EVENT_OPTIONS options,
                                  const void *context, HCS_EVENT_CALLBACK callback);

/* With the engine lock held: completes every request of a parked list
 * (calls that never complete by themselves: a system's, or the engine's
 * for calls without a system) with `hr` (§11 #33). */
void hcssim__requests_fail(sim_request **parked, HRESULT hr, const char *detail);

/* With the engine lock held: a handle that just registered for operation
 * events is told about its system's create operation when that completed
 * unreported before the registration (hcs-api §3.4, pattern 3). */
void hcssim__request_report_late(sim_handle *h);

/* A ResultError outcome: sets *doc and returns hr. */
HRESULT hcssim__fail(HRESULT hr, const char *detail, char **doc);

#endif
