/* Live migration (include/hcs/migration.h): each step is one HCS call on
 * the system with its options document (hcs-newest §4.7); hcs_migrate runs
 * a side's sequence (§4.2, §4.3) and rolls it back on failure (§4.5). */
#include "system_internal.h"

#include "cq.h"
#include "error_internal.h"
#include "hcs/migration.h"
#include "hcs/properties.h"
#include "platform/thread.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define STEP(fn) #fn, offsetof(hcs_api, fn)

static const char *origin(hcs_migration_side side)
{
    return side == HCS_MIGRATION_DESTINATION ? "Destination" : "Source";
}

static bool side_ok(hcs_migration_side side)
{
    return side == HCS_MIGRATION_SOURCE || side == HCS_MIGRATION_DESTINATION;
}

static int32_t bad_side(const char *name, hcs_error *err)
{
    return hcs__fail(err, HCS_COM_E_INVALIDARG, name, "side is neither HCS_MIGRATION_SOURCE nor _DESTINATION");
}

/* ---- the steps ------------------------------------------------------------ */

/* What a step runs on: the handle, and for hcs_migrate the system it holds
 * for its whole run, so that a close meanwhile (from an event callback,
 * say) waits for the sequence as for any call in flight (system.h). */
typedef struct target {
    hcs_system sys;
    system_obj *held; /* NULL: looked up by the step */
} target;

#define ON(sys) ((target){(sys), NULL})

static int32_t initialize(target t, const char *options_json, const hcs_async *how, uint32_t timeout_ms, hcs_op *op,
                          hcs_error *err)
{
    const char *options = options_json ? options_json : "{\"Origin\":\"Source\",\"MemoryTransport\":\"TCP\"}";
    return hcs__system_call_by(t.sys, t.held, STEP(HcsInitializeLiveMigrationOnSource), options, -1, how, timeout_ms,
                               op, err);
}

static int32_t start(target t, hcs_migration_side side, intptr_t socket, uint32_t session_id, const hcs_async *how,
                     uint32_t timeout_ms, hcs_op *op, hcs_error *err)
{
    if (!side_ok(side))
        return bad_side("hcs_migration_start", err);
    if (socket < 0)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, "hcs_migration_start", "socket is not a socket");
    char options[128];
    if (side == HCS_MIGRATION_SOURCE) {
        snprintf(options, sizeof options, "{\"NetworkSettings\":{\"SessionId\":%lu}}", (unsigned long)session_id);
        return hcs__system_call_by(t.sys, t.held, STEP(HcsStartLiveMigrationOnSource), options, socket, how, timeout_ms,
                                   op, err);
    }
    snprintf(options, sizeof options, "{\"DestinationMigrationOptions\":{\"NetworkSettings\":{\"SessionId\":%lu}}}",
             (unsigned long)session_id);
    return hcs__system_call_by(t.sys, t.held, STEP(HcsStartComputeSystem), options, socket, how, timeout_ms, op, err);
}

/* Transfer and cancel: options {"Origin": side}. */
static int32_t by_origin(target t, const char *name, size_t offset, hcs_migration_side side, const hcs_async *how,
                         uint32_t timeout_ms, hcs_op *op, hcs_error *err)
{
    if (!side_ok(side))
        return bad_side(name, err);
    char options[64];
    snprintf(options, sizeof options, "{\"Origin\":\"%s\"}", origin(side));
    return hcs__system_call_by(t.sys, t.held, name, offset, options, -1, how, timeout_ms, op, err);
}

static int32_t finalize(target t, hcs_migration_side side, hcs_migration_end end, const hcs_async *how,
                        uint32_t timeout_ms, hcs_op *op, hcs_error *err)
{
    if (!side_ok(side))
        return bad_side("hcs_migration_finalize", err);
    if (end != HCS_MIGRATION_RESUME && end != HCS_MIGRATION_STOP)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, "hcs_migration_finalize", "end is neither RESUME nor STOP");
    char options[96];
    snprintf(options, sizeof options, "{\"Origin\":\"%s\",\"FinalizedOperation\":\"%s\"}", origin(side),
             end == HCS_MIGRATION_STOP ? "Stop" : "Resume");
    return hcs__system_call_by(t.sys, t.held, STEP(HcsFinalizeLiveMigration), options, -1, how, timeout_ms, op, err);
}

/* The async forms need a delivery. */
static int32_t need_how(const hcs_async *how, hcs_op *op, const char *name, hcs_error *err)
{
    if (op)
        op->id = 0;
    return how ? HCS_OK : hcs__fail(err, HCS_COM_E_INVALIDARG, name, "how is NULL");
}

int32_t hcs_migration_initialize(hcs_system sys, const char *options_json, uint32_t timeout_ms, hcs_error *err)
{
    return initialize(ON(sys), options_json, NULL, timeout_ms, NULL, err);
}

int32_t hcs_migration_initialize_async(hcs_system sys, const char *options_json, const hcs_async *how, hcs_op *op,
                                       hcs_error *err)
{
    int32_t hr = need_how(how, op, "hcs_migration_initialize_async", err);
    return HCS_FAILED(hr) ? hr : initialize(ON(sys), options_json, how, 0, op, err);
}

int32_t hcs_migration_start(hcs_system sys, hcs_migration_side side, intptr_t socket, uint32_t session_id,
                            uint32_t timeout_ms, hcs_error *err)
{
    return start(ON(sys), side, socket, session_id, NULL, timeout_ms, NULL, err);
}

int32_t hcs_migration_start_async(hcs_system sys, hcs_migration_side side, intptr_t socket, uint32_t session_id,
                                  const hcs_async *how, hcs_op *op, hcs_error *err)
{
    int32_t hr = need_how(how, op, "hcs_migration_start_async", err);
    return HCS_FAILED(hr) ? hr : start(ON(sys), side, socket, session_id, how, 0, op, err);
}

int32_t hcs_migration_transfer(hcs_system sys, hcs_migration_side side, uint32_t timeout_ms, hcs_error *err)
{
    return by_origin(ON(sys), STEP(HcsStartLiveMigrationTransfer), side, NULL, timeout_ms, NULL, err);
}

int32_t hcs_migration_transfer_async(hcs_system sys, hcs_migration_side side, const hcs_async *how, hcs_op *op,
                                     hcs_error *err)
{
    int32_t hr = need_how(how, op, "hcs_migration_transfer_async", err);
    return HCS_FAILED(hr) ? hr : by_origin(ON(sys), STEP(HcsStartLiveMigrationTransfer), side, how, 0, op, err);
}

int32_t hcs_migration_finalize(hcs_system sys, hcs_migration_side side, hcs_migration_end end, uint32_t timeout_ms,
                               hcs_error *err)
{
    return finalize(ON(sys), side, end, NULL, timeout_ms, NULL, err);
}

int32_t hcs_migration_finalize_async(hcs_system sys, hcs_migration_side side, hcs_migration_end end,
                                     const hcs_async *how, hcs_op *op, hcs_error *err)
{
    int32_t hr = need_how(how, op, "hcs_migration_finalize_async", err);
    return HCS_FAILED(hr) ? hr : finalize(ON(sys), side, end, how, 0, op, err);
}

int32_t hcs_migration_cancel(hcs_system sys, hcs_migration_side side, uint32_t timeout_ms, hcs_error *err)
{
    return by_origin(ON(sys), STEP(HcsCancelLiveMigration), side, NULL, timeout_ms, NULL, err);
}

int32_t hcs_migration_cancel_async(hcs_system sys, hcs_migration_side side, const hcs_async *how, hcs_op *op,
                                   hcs_error *err)
{
    int32_t hr = need_how(how, op, "hcs_migration_cancel_async", err);
    return HCS_FAILED(hr) ? hr : by_origin(ON(sys), STEP(HcsCancelLiveMigration), side, how, 0, op, err);
}

/* ---- compatibility ---------------------------------------------------------- */

int32_t hcs_migration_compatibility(hcs_system sys, uint32_t timeout_ms, hcs_schema_doc **doc,
                                    hcs_CompatibilityInfo **out, hcs_error *err)
{
    const char *name = "hcs_migration_compatibility";
    if (!doc || !out)
        return hcs__fail(err, HCS_COM_E_POINTER, name, "doc or out is NULL");
    *doc = NULL;
    *out = NULL;
    /* A host without live migration answers "not supported", as the steps
     * do, rather than refusing an unknown query. */
    system_obj *s = hcs__system_acquire(sys, name, err);
    if (!s)
        return HCS_WIN32_E_INVALID_HANDLE;
    bool migrates = hcs__client_function(s->client, offsetof(hcs_api, HcsInitializeLiveMigrationOnSource),
                                         "HcsInitializeLiveMigrationOnSource", err) != NULL;
    hcs__system_release(s);
    if (!migrates)
        return HCS_WIN32_E_PROC_NOT_FOUND;
    hcs_schema_doc *props_doc = NULL;
    hcs_Properties *props = NULL;
    int32_t hr =
        hcs_system_properties(sys, "{\"Queries\":{\"CompatibilityInfo\":null}}", timeout_ms, &props_doc, &props, err);
    const char *response = NULL;
    for (size_t i = 0; HCS_SUCCEEDED(hr) && i < props->PropertyResponses_count; i++)
        if (strcmp(props->PropertyResponses[i].key, "CompatibilityInfo") == 0)
            response = props->PropertyResponses[i].value.Response;
    if (HCS_SUCCEEDED(hr))
        hr = response ? hcs_CompatibilityInfo_decode(response, strlen(response), NULL, doc, out, err)
                      : hcs__fail(err, HCS_COM_E_UNEXPECTED, name, "the reply has no CompatibilityInfo");
    hcs_schema_doc_free(props_doc);
    return hr;
}

/* ---- one call per side -------------------------------------------------------- */

/* Milliseconds left until deadline (at least 1, so a step still reports). */
static uint32_t left(uint64_t deadline)
{
    if (deadline == UINT64_MAX)
        return HCS_TIMEOUT_INFINITE;
    uint64_t now = hcs__clock_ms();
    return now >= deadline ? 1 : deadline - now > UINT32_MAX - 2 ? UINT32_MAX - 2 : (uint32_t)(deadline - now);
}

typedef enum lm_step { LM_INITIALIZE, LM_START, LM_TRANSFER, LM_FINALIZE } lm_step;

static const char *const step_names[] = {"the initialize", "the start", "the transfer", "the finalize"};

static int32_t step_begin(target t, const hcs_migration_spec *spec, lm_step step, const hcs_async *how, hcs_error *err)
{
    switch (step) {
    case LM_INITIALIZE:
        return initialize(t, spec->initialize_json, how, 0, NULL, err);
    case LM_START:
        return start(t, spec->side, spec->socket, spec->session_id, how, 0, NULL, err);
    case LM_TRANSFER:
        return by_origin(t, STEP(HcsStartLiveMigrationTransfer), spec->side, how, 0, NULL, err);
    default:
        return finalize(t, spec->side, spec->side == HCS_MIGRATION_SOURCE ? HCS_MIGRATION_STOP : HCS_MIGRATION_RESUME,
                        how, 0, NULL, err);
    }
}

static void cancel_side(target t, hcs_migration_side side)
{
    by_origin(t, STEP(HcsCancelLiveMigration), side, NULL, HCS_TIMEOUT_DEFAULT, NULL, NULL);
}

/* One step of hcs_migrate through a queue of its own, begun only before
 * the deadline and waited for until it. A step under way at the deadline
 * is never left running (api-conventions: a timeout never abandons HCS's
 * work): the transfer is cancelled, as nothing else ends it, then each
 * step awaited to its own end, so that the roll-back never meets a step
 * still running (hcs-newest §4.5). A finalize under way is the last step:
 * its own result is returned. *ok tells whether the step succeeded. */
static int32_t step_until(target t, const hcs_migration_spec *spec, lm_step step, uint64_t deadline, bool *ok,
                          hcs_error *err)
{
    *ok = false;
    if (hcs__clock_ms() >= deadline)
        return hcs__fail(err, HCS_E_OPERATION_TIMEOUT, "hcs_migrate", "the deadline passed before %s",
                         step_names[step]);
    hcs_cq cq;
    int32_t hr = hcs_cq_create(&cq, err);
    if (HCS_FAILED(hr))
        return hr;
    hcs_async how = {.cq = cq, .timeout_ms = HCS_TIMEOUT_INFINITE};
    hr = step_begin(t, spec, step, &how, err);
    hcs_result r;
    hcs__result_init(&r);
    bool late = false, ended = HCS_SUCCEEDED(hr) && hcs_cq_next(cq, left(deadline), &r, NULL) == HCS_OK;
    if (HCS_SUCCEEDED(hr) && !ended) {
        late = true;
        if (step == LM_TRANSFER)
            cancel_side(t, spec->side);
        ended = hcs_cq_next(cq, HCS_TIMEOUT_DEFAULT, &r, NULL) == HCS_OK;
    }
    *ok = ended && HCS_SUCCEEDED(r.hr);
    if (late && (step != LM_FINALIZE || !ended))
        hr = hcs__fail(err, HCS_E_OPERATION_TIMEOUT, "hcs_migrate", "%s did not end in time%s", step_names[step],
                       step == LM_TRANSFER ? "; cancelled" : "");
    else if (ended && HCS_FAILED(r.hr)) {
        hr = r.hr;
        if (err) {
            hcs_error_clear(err);
            *err = r.error;
            memset(&r.error, 0, sizeof r.error);
        }
    }
    hcs_result_clear(&r);
    hcs_cq_close(cq);
    return hr;
}

/* After a failure: cancelled (refused when a failed step ended the
 * migration already), then finalized so the source's VM runs on and the
 * destination's is discarded (hcs-newest §4.5). */
static void roll_back(target t, hcs_migration_side side)
{
    cancel_side(t, side);
    finalize(t, side, side == HCS_MIGRATION_SOURCE ? HCS_MIGRATION_RESUME : HCS_MIGRATION_STOP, NULL,
             HCS_TIMEOUT_DEFAULT, NULL, NULL);
}

int32_t hcs_migrate(hcs_system sys, const hcs_migration_spec *spec, uint32_t timeout_ms, hcs_error *err)
{
    const char *name = "hcs_migrate";
    if (!spec)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, name, "spec is NULL");
    if (!side_ok(spec->side))
        return bad_side(name, err);
    target t = {sys, hcs__system_acquire(sys, name, err)};
    if (!t.held)
        return HCS_WIN32_E_INVALID_HANDLE;
    uint64_t deadline = hcs__deadline_after(timeout_ms == HCS_TIMEOUT_DEFAULT ? 240000 : timeout_ms);
    /* What to roll back: the source once initialized, either side once
     * started (each known also for a step that ended past the deadline). */
    bool initialized = false, started = false, done;
    int32_t hr =
        spec->side == HCS_MIGRATION_SOURCE ? step_until(t, spec, LM_INITIALIZE, deadline, &initialized, err) : HCS_OK;
    if (HCS_SUCCEEDED(hr))
        hr = step_until(t, spec, LM_START, deadline, &started, err);
    if (HCS_SUCCEEDED(hr))
        hr = step_until(t, spec, LM_TRANSFER, deadline, &done, err);
    if (HCS_SUCCEEDED(hr))
        hr = step_until(t, spec, LM_FINALIZE, deadline, &done, err);
    else if (initialized || started)
        roll_back(t, spec->side);
    hcs__system_release(t.held);
    return hr;
}
