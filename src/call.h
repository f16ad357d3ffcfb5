/* One asynchronous HCS call, from kickoff to its single report.
 *
 * The HCS operation is created with libhcs's own completion callback; a
 * blocking call's, where the provider can set a callback later, without
 * one: the caller waits on the operation itself and hands it to the
 * callback only when its deadline passes first. A call is reference
 * counted: its creator, that callback and (for async calls with a
 * deadline) the timer each hold a reference. Whoever sees the
 * outcome first reports it, once: the blocking waiter, or for async calls
 * the callback or queue given in hcs_async; a timeout reports
 * HCS_E_OPERATION_TIMEOUT and asks HCS to cancel. An outcome that arrives
 * after its report was made is discarded: the handles it carries are
 * closed. The operation, the UTF-16 buffers given to HCS and the call
 * itself are freed when the last reference goes, so nothing is freed while
 * HCS may still use it and nothing leaks once HCS is done
 * (hcsshim-and-peers §6 #22). */
#ifndef HCS_SRC_CALL_H
#define HCS_SRC_CALL_H

#include "client_internal.h"
#include "hcs/event.h"

typedef struct hcs_call hcs_call;

/* Turns HCS's raw outputs into the public result (wrapping new handles)
 * once the call succeeded. Runs once, on the thread that reports. Returns
 * the outcome to report (a failure fills result->error). */
typedef int32_t (*hcs_call_finisher)(hcs_call *call, hcs_result *result);

/* A new call with its operation, or NULL with the failure in *hr (and err
 * filled). `how` is NULL for a blocking call, else the async delivery
 * (checked here). */
hcs_call *hcs__call_new(hcs_client_obj *client, const char *name, hcs_call_kind kind, const hcs_async *how, int32_t *hr,
                        hcs_error *err);
HCS_OPERATION hcs__call_operation(const hcs_call *call);

/* Adopts an operation the caller started with a direct HCS call: libhcs
 * becomes its completion callback and reports its outcome through `how`
 * (required), then closes it. Refused (the caller keeps it) when it was
 * never started or its callback cannot be set. On success *op is the
 * request's handle. */
int32_t hcs__call_adopt(hcs_client_obj *client, HCS_OPERATION raw, const hcs_async *how, hcs_op *op, hcs_error *err);
hcs_client_obj *hcs__call_client(const hcs_call *call);

/* Converts utf8 to UTF-16 kept alive as long as HCS may read it. Returns
 * NULL for NULL input. On invalid UTF-8 returns NULL with *hr set. The
 * first text is also the trace's input document. */
PCWSTR hcs__call_text(hcs_call *call, const char *utf8, int32_t *hr);
/* Where HCS writes the handle of a system or process it creates. */
HCS_SYSTEM *hcs__call_system_slot(hcs_call *call);
HCS_PROCESS *hcs__call_process_slot(hcs_call *call);
/* The outcome carries HCS_PROCESS_INFORMATION (CreateProcess,
 * GetProcessInfo). */
void hcs__call_want_process_info(hcs_call *call);
void hcs__call_set_finisher(hcs_call *call, hcs_call_finisher finisher, void *context);
/* Failures for which `accept` is true are reported as success (idempotent
 * calls: terminate, kill). */
void hcs__call_accept(hcs_call *call, bool (*accept)(int32_t hr));
/* The system the call is on, for the trace. */
void hcs__call_set_system(hcs_call *call, hcs_system sys);
void *hcs__call_context(const hcs_call *call);
/* The sink given at creation (hcs_system_spec.events,
 * hcs_process_spec.events), for the finisher that wraps the new handle. */
void hcs__call_set_sink(hcs_call *call, const hcs_event_sink *sink);
const hcs_event_sink *hcs__call_sink(const hcs_call *call);
/* Keeps obj (e.g. the finisher's context) alive as long as the call. */
void hcs__call_keep(hcs_call *call, hcs_object *obj);

/* For finishers: take the raw outputs (they are closed with the call
 * otherwise). */
HCS_SYSTEM hcs__call_take_system(hcs_call *call);
HCS_PROCESS hcs__call_take_process(hcs_call *call);
/* Copies the process information out; its pipe handles become the
 * caller's. False when there is none. */
bool hcs__call_take_process_info(hcs_call *call, HCS_PROCESS_INFORMATION *info);

/* Ends the caller's part once the kickoff function returned `kickoff`:
 *  - kickoff failed: the call is undone and the failure returned;
 *  - blocking: waits up to timeout_ms, fills *result (clear it with
 *    hcs_result_clear) and returns the outcome;
 *  - async: arms the deadline, stores the request's handle in *op (when
 *    non-NULL) and returns HCS_OK; the outcome is reported later.
 * timeout_ms (blocking only; HCS_TIMEOUT_DEFAULT allowed) bounds the wait;
 * an async call takes its own from hcs_async. */
int32_t hcs__call_finish(hcs_call *call, int32_t kickoff, uint32_t timeout_ms, hcs_result *result, hcs_op *op,
                         hcs_error *err);

#endif
