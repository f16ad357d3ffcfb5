/* Compute-system exports (see system.h).
 *
 * A call checks its arguments synchronously (a failure there is the call's
 * return value and leaves the operation NotStarted, hcs-api §3.3), then
 * queues a request. Problems with a document or with the system's state are
 * reported through the operation's outcome. */
#include "system.h"

#include "behaviour.h"
#include "config.h"
#include "document.h"
#include "layer.h"
#include "migration.h"
#include "options.h"
#include "profile.h"
#include "request.h"
#include "result.h"
#include "saved_state.h"
#include "system_actions.h"
#include "system_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How a call treats its options string. */
typedef enum options_kind {
    OPTIONS_RESERVED, /* NULL, "" or JSON; anything else is E_INVALIDARG (§11 #54) */
    OPTIONS_DOCUMENT, /* NULL, "" or a document (options.h): problems are the outcome (HCS_E_INVALID_JSON) */
    OPTIONS_REQUIRED, /* a document that must be given; checked by the action */
} options_kind;

static const struct call_spec {
    const char *call;
    sim_action action;
    HCS_OPERATION_TYPE type;
    options_kind options;
} calls[] = {
    {"HcsStartComputeSystem", hcssim__do_start, HcsOperationTypeStart, OPTIONS_RESERVED},
    {"HcsShutDownComputeSystem", hcssim__do_shutdown, HcsOperationTypeShutdown, OPTIONS_DOCUMENT},
    {"HcsTerminateComputeSystem", hcssim__do_terminate, HcsOperationTypeTerminate, OPTIONS_RESERVED},
    {"HcsPauseComputeSystem", hcssim__do_pause, HcsOperationTypePause, OPTIONS_DOCUMENT},
    {"HcsResumeComputeSystem", hcssim__do_resume, HcsOperationTypeResume, OPTIONS_RESERVED},
    {"HcsSaveComputeSystem", hcssim__do_save, HcsOperationTypeSave, OPTIONS_DOCUMENT},
    {"HcsCrashComputeSystem", hcssim__do_crash, HcsOperationTypeCrash, OPTIONS_DOCUMENT},
    {"HcsModifyComputeSystem", hcssim__do_modify, HcsOperationTypeModify, OPTIONS_REQUIRED},
    {"HcsGetComputeSystemProperties", hcssim__do_properties, HcsOperationTypeGetProperties, OPTIONS_DOCUMENT},
    /* build 24H2 (hcs-newest §1.2); their options are read by the actions */
    {"HcsInitializeLiveMigrationOnSource", hcssim__do_lm_initialize, HCS_OPERATION_TYPE_LIVE_MIGRATION,
     OPTIONS_RESERVED},
    {"HcsStartLiveMigrationOnSource", hcssim__do_lm_start_source, HCS_OPERATION_TYPE_LIVE_MIGRATION, OPTIONS_RESERVED},
    {"HcsStartLiveMigrationTransfer", hcssim__do_lm_transfer, HCS_OPERATION_TYPE_LIVE_MIGRATION, OPTIONS_RESERVED},
    {"HcsFinalizeLiveMigration", hcssim__do_lm_finalize, HCS_OPERATION_TYPE_LIVE_MIGRATION, OPTIONS_RESERVED},
    {"HcsCancelLiveMigration", hcssim__do_lm_cancel, HCS_OPERATION_TYPE_LIVE_MIGRATION, OPTIONS_RESERVED},
};

static sim_handle **system_handles(sim_handle *h) { return &h->sys->handle_list; }

/* Parses a namespace or id argument; NULL stays NULL when allowed. */
static HRESULT name_in(PCWSTR in, bool optional, char **out)
{
    char detail[SIM_DETAIL_SIZE];
    *out = NULL;
    if (!in)
        return optional ? S_OK : E_INVALIDARG;
    if (FAILED(hcssim__text_in(in, out, detail)) || !(*out)[0]) {
        free(*out);
        *out = NULL;
        return E_INVALIDARG;
    }
    return S_OK;
}

/* Reads the options per their kind: *verdict is the outcome a bad document
 * earns; the return value fails the call itself. */
static HRESULT options_in(options_kind kind, PCWSTR options, json_t **args, HRESULT *verdict,
                          char detail[SIM_DETAIL_SIZE])
{
    *verdict = S_OK;
    if (kind == OPTIONS_REQUIRED && !options)
        return E_INVALIDARG;
    HRESULT hr = hcssim__json_in(options, args, detail);
    if (FAILED(hr) && kind == OPTIONS_RESERVED)
        return E_INVALIDARG;
    if (hr == E_OUTOFMEMORY)
        return hr;
    *verdict = hr;
    return S_OK;
}

/* ---- create, open, close ---------------------------------------------- */

static HRESULT check_create_options(const HCS_CREATE_OPTIONS_1 *options)
{
    if (!options)
        return S_OK;
    if (options->Version != HcsCreateOptions_1 || options->SecurityDescriptor)
        return E_INVALIDARG;
    if (!options->Callback)
        return options->CallbackOptions == HcsEventOptionNone ? S_OK : E_INVALIDARG;
    return hcssim__listener_options_valid(options->CallbackOptions) ? S_OK : E_INVALIDARG;
}

/* With the engine lock held: the verdict on a new system's document, which
 * becomes the configuration the system is made from. */
static HRESULT judge(sim_engine *e, const char *ns, const char *name, PCWSTR configuration, json_t **config,
                     char detail[SIM_DETAIL_SIZE])
{
    HRESULT verdict = hcssim__json_in(configuration, config, detail);
    if (SUCCEEDED(verdict))
        verdict = hcssim__validate_compute_system(*config, sim_max_schema_minor(), detail);
    if (SUCCEEDED(verdict))
        verdict = hcssim__config_check(*config, detail);
    if (SUCCEEDED(verdict))
        verdict = hcssim__layer_check_storage(*config, detail);
    /* A restored VM is created as it was saved: its document then holds
     * the saved memory, processors and devices, checked once more. */
    if (SUCCEEDED(verdict))
        verdict = hcssim__saved_state_restore(*config, detail);
    if (SUCCEEDED(verdict))
        verdict = hcssim__config_check(*config, detail);
    if (SUCCEEDED(verdict) && hcssim__registry_find(e, ns, name)) {
        hcssim__detail(detail, "a system with id \"%.*s\" already exists", hcssim__clip(name, 200), name);
        verdict = HCS_E_SYSTEM_ALREADY_EXISTS;
    }
    return verdict;
}

/* With the engine lock held: the system, its first handle and its create
 * request. Returns the handle or NULL when memory ran out. */
static sim_handle *begin_create(sim_engine *e, const char *ns, const char *name, PCWSTR configuration,
                                HCS_OPERATION operation, const HCS_CREATE_OPTIONS_1 *options, HRESULT *hr)
{
    char detail[SIM_DETAIL_SIZE] = "";
    json_t *config = NULL;
    HRESULT verdict = judge(e, ns, name, configuration, &config, detail);
    sim_system *sys = hcssim__system_new(e, ns, name, SUCCEEDED(verdict) ? config : NULL);
    json_decref(config);
    sim_handle *h = sys ? hcssim__handle_new(e, sys, NULL, &sys->handle_list) : NULL;
    sim_request *req =
        h ? hcssim__request_new("HcsCreateComputeSystem", HcsOperationTypeCreate, hcssim__do_create) : NULL;
    *hr = req ? S_OK : E_OUTOFMEMORY;
    if (req) {
        if (options && options->Callback)
            hcssim__listener_register(&h->events, options->CallbackOptions, options->CallbackContext,
                                      options->Callback);
        hcs_object_retain(&h->base);
        req->target = h;
        hcssim__system_retain(sys);
        req->sys = sys;
        hcssim__request_preset(req, verdict, detail);
        h->create_op = sim_handle_id(operation);
        *hr = hcssim__request_submit(req, operation);
        if (FAILED(*hr))
            hcssim__request_free(req);
        else if (SUCCEEDED(verdict))
            hcssim__registry_add(e, sys);
    }
    hcssim__system_release(sys);
    return h;
}

HRESULT hcssim__system_create(PCWSTR ns, PCWSTR id, PCWSTR configuration, HCS_OPERATION operation,
                              const HCS_CREATE_OPTIONS_1 *options, HCS_SYSTEM *out)
{
    if (!out)
        return E_POINTER;
    *out = NULL;
    char *name = NULL, *space = NULL;
    HRESULT hr = configuration ? check_create_options(options) : E_INVALIDARG;
    if (SUCCEEDED(hr))
        hr = name_in(id, false, &name);
    if (SUCCEEDED(hr))
        hr = name_in(ns, true, &space);
    if (SUCCEEDED(hr)) {
        sim_engine *e = hcssim__engine_get();
        hcs__mutex_lock(&e->mu);
        sim_handle *h = e->disconnected ? NULL : begin_create(e, space, name, configuration, operation, options, &hr);
        if (e->disconnected)
            hr = HCS_E_SERVICE_DISCONNECT;
        /* Written before the lock goes, so before the operation can
         * complete: a completion callback always finds the handle. */
        if (SUCCEEDED(hr))
            *out = sim_handle_as_system(h);
        hcs__mutex_unlock(&e->mu);
        if (FAILED(hr) && h) /* refused synchronously: the handle was never given out */
            hcssim__handle_release(
                hcssim__handle_close((void *)(uintptr_t)h->value, SIM_KIND_SYSTEM_HANDLE, system_handles));
    }
    free(name);
    free(space);
    return hr;
}

HRESULT hcssim__system_open(PCWSTR ns, PCWSTR id, DWORD requested_access, HCS_SYSTEM *out)
{
    if (!out)
        return E_POINTER;
    *out = NULL;
    char *name = NULL, *space = NULL;
    HRESULT hr = requested_access == GENERIC_ALL ? name_in(id, false, &name) : E_INVALIDARG;
    if (SUCCEEDED(hr))
        hr = name_in(ns, true, &space);
    if (SUCCEEDED(hr)) {
        sim_engine *e = hcssim__engine_get();
        hcs__mutex_lock(&e->mu);
        sim_system *sys = hcssim__registry_find(e, space, name);
        hr = e->disconnected ? HCS_E_SERVICE_DISCONNECT : hcssim__system_not_found_code();
        if (sys && sys->state != SIM_CREATING && !e->disconnected) {
            sim_handle *h = hcssim__handle_new(e, sys, NULL, &sys->handle_list);
            *out = h ? sim_handle_as_system(h) : NULL;
            hr = h ? S_OK : E_OUTOFMEMORY;
        }
        hcs__mutex_unlock(&e->mu);
    }
    free(name);
    free(space);
    return hr;
}

void hcssim__system_close(HCS_SYSTEM handle)
{
    sim_handle *h = hcssim__handle_close(handle, SIM_KIND_SYSTEM_HANDLE, system_handles);
    if (!h)
        return; /* double close or a bad handle: tolerated (§11 #55) */
    sim_engine *e = hcssim__engine_get();
    hcs__mutex_lock(&e->mu);
    sim_system *sys = h->sys;
    if (!sys->handle_list && sys->terminate_on_last_close && hcssim__system_alive(sys) && sys->state != SIM_CREATING) {
        /* §11 #26: closing the last handle terminates the system, at once,
         * so its id is free when close returns (hcs-api §9.3). */
        hcssim__system_exit(sys, S_OK, "ForcedExit", NULL);
    } else if (!sys->handle_list && sys->terminate_on_last_close && hcssim__system_alive(sys)) {
        /* Still being created: terminate after the create request. */
        sim_request *req = hcssim__request_new("HcsTerminateComputeSystem", HcsOperationTypeNone, hcssim__do_terminate);
        if (req) {
            hcssim__system_retain(sys);
            req->sys = sys;
            if (FAILED(hcssim__request_submit(req, NULL)))
                hcssim__request_free(req);
        }
    }
    hcs__mutex_unlock(&e->mu);
    hcssim__handle_release(h);
}

/* ---- calls on a system ------------------------------------------------ */

static const struct call_spec *spec_of(const char *call)
{
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++)
        if (strcmp(calls[i].call, call) == 0)
            return &calls[i];
    return NULL;
}

/* The outcome of a call whose document was refused: HCS_E_INVALID_JSON
 * with a ResultError naming the member, before the system's state is
 * looked at (inferred: the service reads the request before acting). */
static HRESULT refuse_document(sim_request *req, char **doc)
{
    return hcssim__fail(req->preset, req->preset_detail, doc);
}

HRESULT hcssim__system_call(const char *call, HCS_SYSTEM handle, HCS_OPERATION operation, PCWSTR options)
{
    const struct call_spec *spec = spec_of(call);
    char detail[SIM_DETAIL_SIZE] = "";
    json_t *args = NULL;
    HRESULT verdict;
    HRESULT hr = options_in(spec->options, options, &args, &verdict, detail);
    if (SUCCEEDED(hr) && SUCCEEDED(verdict))
        verdict = hcssim__options_check(spec->call, args, sim_max_schema_minor(), detail);
    sim_handle *h = SUCCEEDED(hr) ? hcssim__handle_acquire(handle, SIM_KIND_SYSTEM_HANDLE) : NULL;
    sim_request *req =
        h ? hcssim__request_new(spec->call, spec->type, FAILED(verdict) ? refuse_document : spec->action) : NULL;
    if (!req) {
        json_decref(args);
        hcssim__handle_release(h);
        return FAILED(hr) ? hr : h ? E_OUTOFMEMORY : SIM_E_HANDLE;
    }
    req->target = h;
    hcssim__system_retain(h->sys);
    req->sys = h->sys;
    req->args = args;
    hcssim__request_preset(req, verdict, detail);
    return hcssim__request_queue(req, operation);
}

HRESULT hcssim__system_enumerate(PCWSTR ns, PCWSTR query, HCS_OPERATION operation)
{
    char detail[SIM_DETAIL_SIZE] = "";
    json_t *args = NULL;
    char *space = NULL;
    HRESULT hr = name_in(ns, true, &space);
    HRESULT verdict = hcssim__json_in(query, &args, detail);
    if (SUCCEEDED(verdict))
        verdict = hcssim__registry_check_query(args, detail);
    sim_request *req = SUCCEEDED(hr) ? hcssim__request_new("HcsEnumerateComputeSystems", HcsOperationTypeEnumerate,
                                                           hcssim__do_enumerate)
                                     : NULL;
    if (!req) {
        json_decref(args);
        free(space);
        return FAILED(hr) ? hr : E_OUTOFMEMORY;
    }
    req->args = args;
    req->ns = space;
    hcssim__request_preset(req, verdict, detail);
    return hcssim__request_queue(req, operation);
}

/* ---- exit wait and events --------------------------------------------- */

HRESULT hcssim__system_wait_exit(HCS_SYSTEM handle, DWORD timeout_ms, PWSTR *result)
{
    if (result)
        *result = NULL;
    sim_handle *h = hcssim__handle_acquire(handle, SIM_KIND_SYSTEM_HANDLE);
    if (!h)
        return SIM_E_HANDLE;
    sim_engine *e = hcssim__engine_get();
    sim_system *sys = h->sys;
    uint64_t deadline = hcs__deadline_after(timeout_ms);
    hcs__mutex_lock(&e->mu);
    while (sys->state != SIM_STOPPED && sys->state != SIM_NEVER_CREATED && !e->disconnected)
        if (!hcs__cond_wait_until(&sys->exited, &e->mu, deadline))
            break;
    HRESULT hr = hcssim__exit_wait_timeout_code();
    if (sys->state == SIM_STOPPED)
        hr = result ? hcssim__string_out(sys->exit_status, result) : S_OK;
    else if (sys->state == SIM_NEVER_CREATED)
        hr = hcssim__system_not_found_code();
    else if (e->disconnected)
        hr = HCS_E_SERVICE_DISCONNECT;
    hcs__mutex_unlock(&e->mu);
    hcssim__handle_release(h);
    return hr;
}

HRESULT hcssim__system_set_callback(HCS_SYSTEM handle, HCS_EVENT_OPTIONS options, const void *context,
                                    HCS_EVENT_CALLBACK callback)
{
    return hcssim__register_callback(handle, SIM_KIND_SYSTEM_HANDLE, options, context, callback);
}
