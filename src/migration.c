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

static int32_t initialize(hcs_system sys, const char *options_json, const hcs_async *how, uint32_t timeout_ms,
                          hcs_op *op, hcs_error *err)
{
    const char *options = options_json ? options_json : "{\"Origin\":\"Source\",\"MemoryTransport\":\"TCP\"}";
    return hcs__system_call_by(sys, STEP(HcsInitializeLiveMigrationOnSource), options, -1, how, timeout_ms, op, err);
}

static int32_t start(hcs_system sys, hcs_migration_side side, intptr_t socket, uint32_t session_id,
                     const hcs_async *how, uint32_t timeout_ms, hcs_op *op, hcs_error *err)
{
    if (!side_ok(side))
        return bad_side("hcs_migration_start", err);
    if (socket < 0)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, "hcs_migration_start", "socket is not a socket");
    char options[128];
    if (side == HCS_MIGRATION_SOURCE) {
        snprintf(options, sizeof options, "{\"NetworkSettings\":{\"SessionId\":%lu}}", (unsigned long)session_id);
        return hcs__system_call_by(sys, STEP(HcsStartLiveMigrationOnSource), options, socket, how, timeout_ms, op, err);
    }
    snprintf(options, sizeof options, "{\"DestinationMigrationOptions\":{\"NetworkSettings\":{\"SessionId\":%lu}}}",
             (unsigned long)session_id);
    return hcs__system_call_by(sys, STEP(HcsStartComputeSystem), options, socket, how, timeout_ms, op, err);
}

/* Transfer and cancel: options {"Origin": side}. */
static int32_t by_origin(hcs_system sys, const char *name, size_t offset, hcs_migration_side side, const hcs_async *how,
                         uint32_t timeout_ms, hcs_op *op, hcs_error *err)
{
    if (!side_ok(side))
        return bad_side(name, err);
    char options[64];
    snprintf(options, sizeof options, "{\"Origin\":\"%s\"}", origin(side));
    return hcs__system_call_by(sys, name, offset, options, -1, how, timeout_ms, op, err);
}

static int32_t finalize(hcs_system sys, hcs_migration_side side, hcs_migration_end end, const hcs_async *how,
                        uint32_t timeout_ms, hcs_op *op, hcs_error *err)
{
    if (!side_ok(side))
        return bad_side("hcs_migration_finalize", err);
    if (end != HCS_MIGRATION_RESUME && end != HCS_MIGRATION_STOP)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, "hcs_migration_finalize", "end is neither RESUME nor STOP");
    char options[96];
    snprintf(options, sizeof options, "{\"Origin\":\"%s\",\"FinalizedOperation\":\"%s\"}", origin(side),
             end == HCS_MIGRATION_STOP ? "Stop" : "Resume");
    return hcs__system_call_by(sys, STEP(HcsFinalizeLiveMigration), options, -1, how, timeout_ms, op, err);
}

/* The async forms need a delivery. */
static int32_t need_how(const hcs_async *how, hcs_op *op, const char *name, hcs_error *err)
{
    if (op)
        op->id = 0;
    return how ? HCS_OK : hcs__fail(err, HCS_COM_E_POINTER, name, "how is NULL");
}

int32_t hcs_migration_initialize(hcs_system sys, const char *options_json, uint32_t timeout_ms, hcs_error *err)
{
    return initialize(sys, options_json, NULL, timeout_ms, NULL, err);
}

int32_t hcs_migration_initialize_async(hcs_system sys, const char *options_json, const hcs_async *how, hcs_op *op,
                                       hcs_error *err)
{
    int32_t hr = need_how(how, op, "hcs_migration_initialize_async", err);
    return HCS_FAILED(hr) ? hr : initialize(sys, options_json, how, 0, op, err);
}

int32_t hcs_migration_start(hcs_system sys, hcs_migration_side side, intptr_t socket, uint32_t session_id,
                            uint32_t timeout_ms, hcs_error *err)
{
    return start(sys, side, socket, session_id, NULL, timeout_ms, NULL, err);
}

int32_t hcs_migration_start_async(hcs_system sys, hcs_migration_side side, intptr_t socket, uint32_t session_id,
                                  const hcs_async *how, hcs_op *op, hcs_error *err)
{
    int32_t hr = need_how(how, op, "hcs_migration_start_async", err);
    return HCS_FAILED(hr) ? hr : start(sys, side, socket, session_id, how, 0, op, err);
}

int32_t hcs_migration_transfer(hcs_system sys, hcs_migration_side side, uint32_t timeout_ms, hcs_error *err)
{
    return by_origin(sys, STEP(HcsStartLiveMigrationTransfer), side, NULL, timeout_ms, NULL, err);
}

int32_t hcs_migration_transfer_async(hcs_system sys, hcs_migration_side side, const hcs_async *how, hcs_op *op,
                                     hcs_error *err)
{
    int32_t hr = need_how(how, op, "hcs_migration_transfer_async", err);
    return HCS_FAILED(hr) ? hr : by_origin(sys, STEP(HcsStartLiveMigrationTransfer), side, how, 0, op, err);
}

int32_t hcs_migration_finalize(hcs_system sys, hcs_migration_side side, hcs_migration_end end, uint32_t timeout_ms,
                               hcs_error *err)
{
    return finalize(sys, side, end, NULL, timeout_ms, NULL, err);
}

int32_t hcs_migration_finalize_async(hcs_system sys, hcs_migration_side side, hcs_migration_end end,
                                     const hcs_async *how, hcs_op *op, hcs_error *err)
{
    int32_t hr = need_how(how, op, "hcs_migration_finalize_async", err);
    return HCS_FAILED(hr) ? hr : finalize(sys, side, end, how, 0, op, err);
}

int32_t hcs_migration_cancel(hcs_system sys, hcs_migration_side side, uint32_t timeout_ms, hcs_error *err)
{
    return by_origin(sys, STEP(HcsCancelLiveMigration), side, NULL, timeout_ms, NULL, err);
}

int32_t hcs_migration_cancel_async(hcs_system sys, hcs_migration_side side, const hcs_async *how, hcs_op *op,
                                   hcs_error *err)
{
    int32_t hr = need_how(how, op, "hcs_migration_cancel_async", err);
    return HCS_FAILED(hr) ? hr : by_origin(sys, STEP(HcsCancelLiveMigration), side, how, 0, op, err);
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

/* The transfer, waited for until the deadline through a queue of its own:
 * past it, the side is cancelled and the transfer's own end awaited, so
 * that finalize never meets a transfer still running (hcs-newest §4.5). */
static int32_t transfer_until(hcs_system sys, hcs_migration_side side, uint64_t deadline, hcs_error *err)
{
    hcs_cq cq;
    int32_t hr = hcs_cq_create(&cq, err);
    if (HCS_FAILED(hr))
        return hr;
    hcs_async how = {.cq = cq, .timeout_ms = HCS_TIMEOUT_INFINITE};
    hr = hcs_migration_transfer_async(sys, side, &how, NULL, err);
    hcs_result r;
    hcs__result_init(&r);
    if (HCS_SUCCEEDED(hr) && hcs_cq_next(cq, left(deadline), &r, NULL) == HCS_E_OPERATION_TIMEOUT) {
        hcs_migration_cancel(sys, side, HCS_TIMEOUT_DEFAULT, NULL);
        hcs_cq_next(cq, HCS_TIMEOUT_DEFAULT, &r, NULL);
        hr = hcs__fail(err, HCS_E_OPERATION_TIMEOUT, "hcs_migrate", "the transfer did not end in time; cancelled");
    } else if (HCS_SUCCEEDED(hr) && HCS_FAILED(r.hr)) {
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

/* After a failure (a transfer past its deadline was cancelled already):
 * finalize so the source's VM runs on and the destination's is discarded
 * (hcs-newest §4.5). */
static void roll_back(hcs_system sys, hcs_migration_side side)
{
    hcs_migration_finalize(sys, side, side == HCS_MIGRATION_SOURCE ? HCS_MIGRATION_RESUME : HCS_MIGRATION_STOP,
                           HCS_TIMEOUT_DEFAULT, NULL);
}

int32_t hcs_migrate(hcs_system sys, const hcs_migration_spec *spec, uint32_t timeout_ms, hcs_error *err)
{
    const char *name = "hcs_migrate";
    if (!spec)
        return hcs__fail(err, HCS_COM_E_POINTER, name, "spec is NULL");
    if (!side_ok(spec->side))
        return bad_side(name, err);
    if (timeout_ms == HCS_TIMEOUT_DEFAULT)
        timeout_ms = 240000;
    uint64_t deadline = hcs__deadline_after(timeout_ms);
    bool source = spec->side == HCS_MIGRATION_SOURCE;
    int32_t hr = source ? hcs_migration_initialize(sys, spec->initialize_json, left(deadline), err) : HCS_OK;
    if (HCS_FAILED(hr))
        return hr; /* nothing to undo: the VM is as it was */
    hr = hcs_migration_start(sys, spec->side, spec->socket, spec->session_id, left(deadline), err);
    bool started = HCS_SUCCEEDED(hr);
    if (started)
        hr = transfer_until(sys, spec->side, deadline, err);
    if (HCS_SUCCEEDED(hr))
        hr = hcs_migration_finalize(sys, spec->side, source ? HCS_MIGRATION_STOP : HCS_MIGRATION_RESUME, left(deadline),
                                    err);
    else if (source || started)
        roll_back(sys, spec->side);
    return hr;
}
