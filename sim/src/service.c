/* Host service functions and the service connection (see service.h). */
#include "service.h"

#include "cpu_group.h"
#include "document.h"
#include "handle.h"
#include "host.h"
#include "process.h"
#include "profile.h"
#include "request.h"
#include "result.h"
#include "system_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Stores a ResultError for hr in *result (when given) and returns hr. */
static HRESULT refuse(HRESULT hr, const char *detail, PWSTR *result)
{
    if (result) {
        char *doc = hcssim__result_error(hr, detail);
        if (doc)
            hcssim__string_out(doc, result);
        free(doc);
    }
    return hr;
}

static json_t *basic_information(void)
{
    json_t *versions = json_array();
    for (int minor = 0; minor <= sim_max_schema_minor(); minor++)
        json_array_append_new(versions, json_pack("{s:i, s:i}", "Major", 2, "Minor", minor));
    return json_pack("{s:o}", "SupportedSchemaVersions", versions);
}

/* One answer per requested type (§11 #49), with the engine lock held.
 * "Memory" is the pre-2104 spelling the ServiceSample still uses. */
static json_t *answer(sim_engine *e, const char *type)
{
    if (strcmp(type, "Basic") == 0)
        return basic_information();
    if (strcmp(type, "CpuGroup") == 0)
        return hcssim__cpu_groups(e);
    if (strcmp(type, "ProcessorTopology") == 0)
        return hcssim__host_topology();
    if (strcmp(type, "QoSCapabilities") == 0)
        return json_pack("{s:b}", "ProcessorQoSSupported", 0);
    if (strcmp(type, "ContainerCredentialGuard") == 0)
        return json_pack("{s:[]}", "Instances");
    if (strcmp(type, "Memory") == 0 && sim_max_schema_minor() < 5)
        return json_object();
    return NULL;
}

HRESULT hcssim__service_properties(PCWSTR query, PWSTR *result)
{
    if (!result)
        return E_POINTER;
    *result = NULL;
    char detail[SIM_DETAIL_SIZE] = "";
    json_t *q = NULL;
    HRESULT hr = hcssim__json_in(query, &q, detail);
    if (FAILED(hr))
        return refuse(hr, detail, result);
    json_t *types = json_object_get(q, "PropertyTypes");
    if ((q && !json_is_object(q)) || (types && !json_is_array(types))) {
        json_decref(q);
        return refuse(HCS_E_INVALID_JSON, "Service_PropertyQuery: expected {\"PropertyTypes\": [...]}", result);
    }
    sim_engine *e = hcssim__engine_get();
    json_t *list = json_array();
    size_t i;
    json_t *type;
    hcs__mutex_lock(&e->mu);
    json_array_foreach(types, i, type)
    {
        json_t *item = json_is_string(type) ? answer(e, json_string_value(type)) : NULL;
        if (!item) {
            hcs__mutex_unlock(&e->mu);
            hcssim__detail(detail, "Service_PropertyQuery.PropertyTypes[%zu]: not a property type of this build", i);
            json_decref(list);
            json_decref(q);
            return refuse(HCS_E_INVALID_JSON, detail, result);
        }
        json_array_append_new(list, item);
    }
    hcs__mutex_unlock(&e->mu);
    json_t *doc = json_pack("{s:o}", "Properties", list);
    char *text = json_dumps(doc, JSON_COMPACT);
    hr = text ? hcssim__string_out(text, result) : E_OUTOFMEMORY;
    free(text);
    json_decref(doc);
    json_decref(q);
    return hr;
}

/* A ModificationRequest (hcs-api §8.11). CpuGroup requests change the
 * host's CPU groups (cpu_group.h); the simulated host keeps no credential
 * guard instances, so a valid ContainerCredentialGuard request changes
 * nothing (inferred). */
static HRESULT apply_modification(const json_t *req, char detail[SIM_DETAIL_SIZE])
{
    const char *type = json_string_value(json_object_get(req, "PropertyType"));
    json_t *settings = json_object_get(req, "Settings");
    if (!type || (strcmp(type, "CpuGroup") != 0 && strcmp(type, "ContainerCredentialGuard") != 0)) {
        hcssim__detail(detail,
                       "ModificationRequest.PropertyType: expected \"CpuGroup\" or \"ContainerCredentialGuard\"");
        return HCS_E_INVALID_JSON;
    }
    if (strcmp(type, "CpuGroup") == 0) {
        sim_engine *e = hcssim__engine_get();
        hcs__mutex_lock(&e->mu);
        HRESULT hr = hcssim__cpu_group_modify(e, settings, detail);
        hcs__mutex_unlock(&e->mu);
        return hr;
    }
    if (!json_string_value(json_object_get(settings, "Operation")) ||
        !json_is_object(json_object_get(settings, "OperationDetails"))) {
        hcssim__detail(detail, "ModificationRequest.Settings: expected Operation and OperationDetails");
        return HCS_E_INVALID_JSON;
    }
    return S_OK;
}

HRESULT hcssim__service_modify(PCWSTR settings, PWSTR *result)
{
    if (result)
        *result = NULL;
    char detail[SIM_DETAIL_SIZE] = "";
    json_t *req = NULL;
    HRESULT hr = settings ? hcssim__json_in(settings, &req, detail) : E_INVALIDARG;
    if (SUCCEEDED(hr))
        hr = apply_modification(req, detail);
    json_decref(req);
    return FAILED(hr) ? refuse(hr, detail[0] ? detail : "settings are required", result) : S_OK;
}

HRESULT hcssim__service_submit_wer(PCWSTR settings)
{
    char detail[SIM_DETAIL_SIZE];
    json_t *report = NULL;
    HRESULT hr = settings ? hcssim__json_in(settings, &report, detail) : E_INVALIDARG;
    if (SUCCEEDED(hr) && !json_is_string(json_object_get(report, "SystemId")))
        hr = HCS_E_INVALID_JSON; /* a CrashReport names its system */
    json_decref(report);
    return hr;
}

void hcssim__service_disconnect_locked(sim_engine *e)
{
    if (e->disconnected)
        return;
    e->disconnected = true;
    static const char lost[] = "the connection to the compute service was lost";
    hcssim__requests_fail(&e->parked, HCS_E_SERVICE_DISCONNECT, lost);
    for (sim_system *sys = e->systems; sys; sys = sys->next) {
        hcssim__requests_fail(&sys->parked, HCS_E_SERVICE_DISCONNECT, lost);
        hcssim__system_post(sys, HcsEventServiceDisconnect, "ServiceDisconnect", NULL);
        hcssim__processes_post(sys, HcsEventServiceDisconnect, NULL);
        hcs__cond_broadcast(&sys->exited);
    }
}

void hcssim__service_restore(void)
{
    sim_engine *e = hcssim__engine_get();
    hcs__mutex_lock(&e->mu);
    e->disconnected = false;
    hcs__mutex_unlock(&e->mu);
}
