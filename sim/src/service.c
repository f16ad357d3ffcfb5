/* Host service functions and the service connection (see service.h). */
#include "service.h"

#include "document.h"
#include "handle.h"
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

/* One answer per requested type (§11 #49). "Memory" is the pre-2104
 * spelling the ServiceSample still uses. */
static json_t *answer(const char *type)
{
    if (strcmp(type, "Basic") == 0)
        return basic_information();
    if (strcmp(type, "CpuGroup") == 0)
        return json_pack("{s:[]}", "CpuGroups");
    if (strcmp(type, "ProcessorTopology") == 0)
        return json_pack("{s:i, s:[{s:i, s:i, s:i, s:i}]}", "LogicalProcessorCount", 1, "LogicalProcessors", "LpIndex",
                         0, "NodeNumber", 0, "PackageId", 0, "CoreId", 0);
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
    json_t *list = json_array();
    size_t i;
    json_t *type;
    json_array_foreach(types, i, type)
    {
        json_t *item = json_is_string(type) ? answer(json_string_value(type)) : NULL;
        if (!item) {
            hcssim__detail(detail, "Service_PropertyQuery.PropertyTypes[%zu]: not a property type of this build", i);
            json_decref(list);
            json_decref(q);
            return refuse(HCS_E_INVALID_JSON, detail, result);
        }
        json_array_append_new(list, item);
    }
    json_t *doc = json_pack("{s:o}", "Properties", list);
    char *text = json_dumps(doc, JSON_COMPACT);
    hr = text ? hcssim__string_out(text, result) : E_OUTOFMEMORY;
    free(text);
    json_decref(doc);
    json_decref(q);
    return hr;
}

static bool is_guid(const char *s)
{
    if (!s)
        return false;
    static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
    for (size_t i = 0; i < sizeof shape - 1; i++) {
        char c = s[i];
        bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (shape[i] == '-' ? c != '-' : !hex)
            return false;
    }
    return s[sizeof shape - 1] == '\0';
}

/* A ModificationRequest (hcs-api §8.11). The simulated host keeps no CPU
 * groups, so valid requests are accepted and change nothing (inferred). */
static HRESULT check_modification(const json_t *req, char detail[SIM_DETAIL_SIZE])
{
    const char *type = json_string_value(json_object_get(req, "PropertyType"));
    json_t *settings = json_object_get(req, "Settings");
    const char *op = json_string_value(json_object_get(settings, "Operation"));
    json_t *details = json_object_get(settings, "OperationDetails");
    if (!type || (strcmp(type, "CpuGroup") != 0 && strcmp(type, "ContainerCredentialGuard") != 0)) {
        hcssim__detail(detail,
                       "ModificationRequest.PropertyType: expected \"CpuGroup\" or \"ContainerCredentialGuard\"");
        return HCS_E_INVALID_JSON;
    }
    if (!op || !json_is_object(details)) {
        hcssim__detail(detail, "ModificationRequest.Settings: expected Operation and OperationDetails");
        return HCS_E_INVALID_JSON;
    }
    if (strcmp(type, "CpuGroup") == 0 && !is_guid(json_string_value(json_object_get(details, "GroupId")))) {
        hcssim__detail(detail, "ModificationRequest.Settings.OperationDetails.GroupId: expected a GUID");
        return E_INVALIDARG;
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
        hr = check_modification(req, detail);
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
