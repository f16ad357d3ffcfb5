/* HCS_OPERATION objects: NotStarted -> Pending -> Completed, reusable once
 * completed (hcs-api §3). */
#ifndef HCSSIM_OPERATION_H
#define HCSSIM_OPERATION_H

#include "engine.h"
#include "listener.h"
#include "util/object.h"

#include <stdbool.h>

typedef enum sim_op_state { SIM_OP_NOT_STARTED, SIM_OP_PENDING, SIM_OP_COMPLETED } sim_op_state;

typedef struct sim_operation sim_operation;

struct sim_operation {
    hcs_object base;
    uint64_t handle; /* our HCS_OPERATION value */
    uint64_t id;     /* HcsGetOperationId */
    const void *context;
    HCS_OPERATION_COMPLETION callback;
    sim_op_state state;
    HCS_OPERATION_TYPE type;
    uint64_t system;              /* HCS_SYSTEM the operation was last used with */
    uint64_t process;             /* HCS_PROCESS, for process calls */
    bool reported;                /* delivered as an HcsEventOperationCallback */
    HCS_PROCESS_INFORMATION info; /* CreateProcess / GetProcessInfo outcome */
    bool has_info;
    bool info_taken; /* handed out: the handles are the caller's */
    HRESULT result;
    char *result_doc; /* UTF-8 JSON or NULL */
    bool closed;
    unsigned callbacks_running;
    hcs_cond changed; /* completion, close, callback end */
    /* HcsCreateOperationWithNotifications's callback (hcs-newest §2):
     * OperationInfo events queued here are all delivered before the
     * completion callback runs. */
    sim_listener notes;
    int64_t started_ms, ended_ms; /* wall clock, for OperationInfo */
    intptr_t socket;              /* the attached live migration socket, or -1 */
    /* hcssimd's view of the completion (hcssim__operation_observe). */
    void (*observer)(sim_operation *op, void *context);
    void *observer_context;
};

HCS_OPERATION hcssim__operation_create(const void *context, HCS_OPERATION_COMPLETION callback);
/* HcsCreateOperationWithNotifications (hcs-newest §5 #3, #25): an ordinary
 * operation whose OperationInfo events go to `callback` when `filter` has
 * HcsOperationOptionProgressUpdate. NULL for unknown filter bits or a NULL
 * callback (E_INVALIDARG, inferred). */
HCS_OPERATION hcssim__operation_create_notifying(HCS_OPERATION_OPTIONS filter, const void *context,
                                                 HCS_EVENT_CALLBACK callback);
/* HcsGetOperationProperties (hcs-newest §5 #26): the OperationInfo
 * document of any operation, in any state. */
HRESULT hcssim__operation_properties(HCS_OPERATION handle, PCWSTR options, PWSTR *result);
/* HcsAddResourceToOperation (hcs-newest §5 #5-#7): keeps a duplicate of the
 * caller's socket for the call the operation is given to next. Fails with
 * HCS_E_OPERATION_ALREADY_STARTED while the operation is pending and
 * SIM_E_ALREADY_EXISTS when the slot is filled (both inferred). */
HRESULT hcssim__operation_add_resource(HCS_OPERATION handle, HCS_RESOURCE_TYPE type, PCWSTR uri, HANDLE resource);
/* Closes the handle: later calls with it fail; a pending operation still
 * completes but delivers no callback (hcs-api §11 #12). Waits for callbacks
 * of this operation running on other threads. */
void hcssim__operation_close(HCS_OPERATION handle);

/* For hcssimd (docs/hcssimd.md), which runs each forwarded call on an
 * operation of its own: `observer` is told of every completion of the
 * operation, whether or not it has a completion callback, so that a client's
 * operation without a callback is still told of its outcome while the
 * simulator's rule for handles with operation events (hcs-api §11 #36) sees
 * exactly the callbacks the client set. It runs with the engine lock held,
 * inside the completion, before the operation is reported to its handle's
 * listener; it must not block or call an export. It reads op->result,
 * op->result_doc and op->info and may take the process information's
 * handles (op->info_taken). Never called once the operation is closed.
 * Returns S_OK, or the error for a bad handle. */
HRESULT hcssim__operation_observe(HCS_OPERATION handle, void (*observer)(sim_operation *op, void *context),
                                  void *context);

/* Returns the operation with a reference, or NULL for a bad handle. */
sim_operation *hcssim__operation_acquire(HCS_OPERATION handle);
void hcssim__operation_release(sim_operation *op);

/* With the engine lock held: marks the operation Pending for a call of the
 * given type. Fails with HCS_E_OPERATION_ALREADY_STARTED while it is pending
 * (§11 #10); the tracking is then left untouched. */
HRESULT hcssim__operation_begin(sim_operation *op, HCS_OPERATION_TYPE type, uint64_t system, uint64_t process);
/* With the engine lock held: records the outcome (taking ownership of doc
 * and, when info is non-NULL, of the client handles in it), wakes waiters
 * and queues the completion callback. */
void hcssim__operation_complete(sim_operation *op, HRESULT result, char *doc, const HCS_PROCESS_INFORMATION *info);

/* Reads the outcome (§11 #2-#4). With `wait`, blocks up to timeout_ms while
 * the operation is pending and then reports HCS_E_OPERATION_TIMEOUT;
 * without, reports HCS_E_OPERATION_PENDING at once. */
HRESULT hcssim__operation_result(HCS_OPERATION handle, bool wait, DWORD timeout_ms, PWSTR *doc);
/* The same for the ...AndProcessInfo functions: E_INVALIDARG unless the
 * operation tracks CreateProcess or GetProcessInfo (§11 #6); on S_OK the
 * process information goes to *info (when non-NULL), whose handles then
 * belong to the caller. */
HRESULT hcssim__operation_result_info(HCS_OPERATION handle, bool wait, DWORD timeout_ms, HCS_PROCESS_INFORMATION *info,
                                      PWSTR *doc);

#endif
