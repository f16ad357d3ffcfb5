/* Compute-system actions (see system_actions.h). Choices the documentation
 * leaves open are marked "inferred" and listed in docs/simulator-fidelity.md. */
#include "system_actions.h"

#include "behaviour.h"
#include "hcn.h"
#include "migration.h"
#include "modify.h"
#include "properties.h"
#include "result.h"
#include "saved_state.h"
#include "system_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The outcome for a request that needs a system that has not exited. */
static HRESULT gone(sim_system *sys, char **doc)
{
    if (sys->state == SIM_NEVER_CREATED)
        return hcssim__fail(hcssim__system_not_found_code(), "the system was never created", doc);
    if (sys->state == SIM_STOPPED)
        return hcssim__fail(HCS_E_SYSTEM_ALREADY_STOPPED, "the system has exited", doc);
    return S_OK;
}

/* Fails unless the system is in `want`; `call` names the request. */
static HRESULT need_state(sim_system *sys, sim_state want, const char *call, const char *state_name, char **doc)
{
    HRESULT hr = gone(sys, doc);
    if (SUCCEEDED(hr) && hcssim__lm_busy(sys)) /* only the migration's calls (hcs-newest §5 #8, inferred code) */
        return hcssim__fail(HCS_E_INVALID_STATE, "the virtual machine is migrating", doc);
    if (FAILED(hr) || sys->state == want)
        return hr;
    char detail[SIM_DETAIL_SIZE];
    hcssim__detail(detail, "%s needs a system in state %s", call, state_name);
    return hcssim__fail(HCS_E_INVALID_STATE, detail, doc);
}

/* Pause, resume, save and crash act on a virtual machine's partition;
 * a container has none (inferred: ERROR_NOT_SUPPORTED). */
static HRESULT need_vm(sim_system *sys, const char *call, char **doc)
{
    if (sys->is_vm)
        return S_OK;
    char detail[SIM_DETAIL_SIZE];
    hcssim__detail(detail, "%s is supported for virtual machines only", call);
    return hcssim__fail(SIM_E_NOT_SUPPORTED, detail, doc);
}

static json_t *attribution(const char *kind, const char *detail, const char *initiator)
{
    return json_pack("{s:{s:s, s:s}}", kind, "Detail", detail, "Initiator", initiator);
}

HRESULT hcssim__do_create(sim_request *req, char **doc)
{
    if (req->sys->state != SIM_CREATING)
        return hcssim__fail(HCS_E_SYSTEM_ALREADY_STOPPED, "the system was stopped while it was being created", doc);
    if (FAILED(req->preset)) {
        req->sys->state = SIM_NEVER_CREATED;
        return hcssim__fail(req->preset, req->preset_detail, doc);
    }
    /* HCS attaches the namespace's endpoints to the container; an unknown
     * namespace fails the create (storage-and-network §3.2 step 5). */
    if (req->sys->network_namespace && FAILED(hcssim__hcn_attach_container(req->sys->network_namespace, req->sys->id))) {
        req->sys->state = SIM_NEVER_CREATED;
        return hcssim__fail(HCN_E_NAMESPACE_ATTACH_FAILED, "Container.Networking.Namespace names no HCN namespace",
                            doc);
    }
    req->sys->state = SIM_CREATED;
    return S_OK;
}

HRESULT hcssim__do_start(sim_request *req, char **doc)
{
    sim_system *sys = req->sys;
    if (json_object_get(req->args, "DestinationMigrationOptions"))
        return hcssim__lm_start_destination(req, doc);
    HRESULT hr = need_state(sys, SIM_CREATED, "start", "Created", doc);
    if (FAILED(hr))
        return hr;
    sys->state = SIM_RUNNING;
    sys->started = true;
    sys->started_ms = hcs__clock_ms();
    return S_OK;
}

HRESULT hcssim__do_terminate(sim_request *req, char **doc)
{
    HRESULT hr = gone(req->sys, doc);
    if (FAILED(hr))
        return hr;
    hcssim__system_exit(req->sys, S_OK, "ForcedExit", attribution("SystemExit", "Terminate", "Client"));
    return S_OK;
}

HRESULT hcssim__do_shutdown(sim_request *req, char **doc)
{
    sim_system *sys = req->sys;
    HRESULT hr = need_state(sys, SIM_RUNNING, "shutdown", "Running", doc);
    if (FAILED(hr))
        return hr;
    /* ShutdownOptions (2.5): Mechanism, Force and Reason change nothing
     * here; a guest that reboots or hibernates is not simulated (inferred:
     * ERROR_NOT_SUPPORTED). */
    const char *type = json_string_value(json_object_get(req->args, "Type"));
    if (type && strcmp(type, "Shutdown") != 0) {
        char detail[SIM_DETAIL_SIZE];
        hcssim__detail(detail, "ShutdownOptions.Type: %s is not simulated (only Shutdown)", type);
        return hcssim__fail(SIM_E_NOT_SUPPORTED, detail, doc);
    }
    if (sys->is_vm && !sys->has_guest_connection)
        return hcssim__fail(SIM_E_NOT_SUPPORTED, "the virtual machine has no guest connection to shut down through",
                            doc);
    hcssim__system_exit(sys, S_OK, "GracefulExit", attribution("SystemExit", "Shutdown", "Client"));
    return S_OK;
}

HRESULT hcssim__do_pause(sim_request *req, char **doc)
{
    HRESULT hr = need_state(req->sys, SIM_RUNNING, "pause", "Running", doc);
    if (SUCCEEDED(hr))
        hr = need_vm(req->sys, "pause", doc);
    if (SUCCEEDED(hr))
        req->sys->state = SIM_PAUSED;
    return hr;
}

HRESULT hcssim__do_resume(sim_request *req, char **doc)
{
    HRESULT hr = need_state(req->sys, SIM_PAUSED, "resume", "Paused", doc);
    if (SUCCEEDED(hr))
        req->sys->state = SIM_RUNNING;
    return hr;
}

/* Save needs a paused VM (§11 #19, documented). ToFile writes the state
 * to SaveStateFilePath when one is given (saved_state.h; a file that
 * cannot be written fails the save and the VM stays paused) and the VM
 * worker stops; AsTemplate parks the system (§11 #20, inferred). */
HRESULT hcssim__do_save(sim_request *req, char **doc)
{
    sim_system *sys = req->sys;
    HRESULT hr = need_vm(sys, "save", doc);
    if (SUCCEEDED(hr))
        hr = need_state(sys, SIM_PAUSED, "save", "Paused", doc);
    if (FAILED(hr))
        return hr;
    const char *type = json_string_value(json_object_get(req->args, "SaveType"));
    if (type && strcmp(type, "AsTemplate") == 0) {
        sys->state = SIM_SAVED_AS_TEMPLATE;
        return S_OK;
    }
    const char *path = json_string_value(json_object_get(req->args, "SaveStateFilePath"));
    if (path && path[0]) {
        char detail[SIM_DETAIL_SIZE];
        hr = hcssim__saved_state_write(sys, path, detail);
        if (FAILED(hr))
            return hcssim__fail(hr, detail, doc);
    }
    json_t *worker =
        json_pack("{s:{s:i, s:s, s:s}}", "WorkerExit", "ExitCode", 0, "Type", "Saved", "Initiator", "Client");
    hcssim__system_exit(sys, S_OK, "GracefulExit", worker);
    return S_OK;
}

void hcssim__system_crash(sim_system *sys)
{
    if (!hcssim__system_alive(sys))
        return;
    json_t *params =
        json_pack("[I, I, I, I, I]", (json_int_t)0xE2, (json_int_t)0, (json_int_t)0, (json_int_t)0, (json_int_t)0);
    json_t *report = json_pack("{s:s, s:s, s:O}", "SystemId", sys->id, "ActivityId",
                               "00000000-0000-0000-0000-000000000000", "CrashParameters", params);
    char *initiated = json_dumps(report, JSON_COMPACT);
    if (sys->crash_reporting)
        json_object_set_new(report, "WindowsCrashInfo",
                            json_pack("{s:s, s:s}", "DumpFile", "C:\\Windows\\MEMORY.DMP", "FinalPhase", "Complete"));
    char *complete = json_dumps(report, JSON_COMPACT);
    hcssim__system_post(sys, HcsEventSystemCrashInitiated, "SystemCrashInitiated", initiated);
    hcssim__system_post(sys, HcsEventSystemCrashReport, "SystemCrashReport", complete);
    free(initiated);
    free(complete);
    json_decref(report);
    json_t *crash = json_pack("{s:{s:o}}", "GuestCrash", "CrashParameters", params);
    hcssim__system_exit(sys, HCS_E_UNEXPECTED_EXIT, "UnexpectedExit", crash);
}

HRESULT hcssim__do_crash(sim_request *req, char **doc)
{
    HRESULT hr = need_state(req->sys, SIM_RUNNING, "crash", "Running", doc);
    if (SUCCEEDED(hr))
        hr = need_vm(req->sys, "crash", doc);
    if (SUCCEEDED(hr))
        hcssim__system_crash(req->sys);
    return hr;
}

HRESULT hcssim__do_modify(sim_request *req, char **doc)
{
    HRESULT hr = need_state(req->sys, SIM_RUNNING, "modify", "Running", doc);
    if (FAILED(hr))
        return hr;
    char detail[SIM_DETAIL_SIZE];
    hr = hcssim__modify_apply(req->sys, req->args, detail);
    return FAILED(hr) ? hcssim__fail(hr, detail, doc) : S_OK;
}

HRESULT hcssim__do_properties(sim_request *req, char **doc)
{
    char detail[SIM_DETAIL_SIZE];
    json_t *props = NULL;
    HRESULT hr = hcssim__system_query(req->sys, req->args, &props, detail);
    if (FAILED(hr))
        return hcssim__fail(hr, detail, doc);
    *doc = json_dumps(props, JSON_COMPACT);
    json_decref(props);
    return *doc ? S_OK : E_OUTOFMEMORY;
}

HRESULT hcssim__do_enumerate(sim_request *req, char **doc)
{
    if (FAILED(req->preset))
        return hcssim__fail(req->preset, req->preset_detail, doc);
    json_t *list = hcssim__registry_enumerate(hcssim__engine_get(), req->ns, req->args);
    *doc = list ? json_dumps(list, JSON_COMPACT) : NULL;
    json_decref(list);
    return *doc ? S_OK : E_OUTOFMEMORY;
}
