/* The compute service's properties and settings (see hcs/service.h). */
#include "hcs/service.h"

#include "client_internal.h"
#include "error_internal.h"
#include "platform/thread.h"
#include "util/utf16.h"

#include <jansson.h>
#include <stddef.h>
#include <stdlib.h>

/* HcsGetServiceProperties and HcsModifyServiceSettings share this shape. */
typedef HRESULT(WINAPI *service_fn)(PCWSTR input, PWSTR *result);

/* Runs one service function. On success *out (when non-NULL) receives the
 * result document, else a failure carries it as a ResultError. */
static int32_t service_call(hcs_client client, size_t offset, const char *name, const char *input, char **out,
                            hcs_error *err)
{
    hcs_client_obj *c = hcs__client_acquire(client, name, err);
    if (!c)
        return HCS_WIN32_E_INVALID_HANDLE;
    int32_t hr = HCS_WIN32_E_PROC_NOT_FOUND;
    service_fn fn = (service_fn)hcs__client_function(c, offset, name, err);
    uint16_t *winput = NULL;
    if (fn && input && hcs__utf8_to_utf16(input, &winput) != 0) {
        hr = hcs__fail(err, HCS_WIN32_E_NO_UNICODE_TRANSLATION, name, "the document is not valid UTF-8");
    } else if (fn) {
        PWSTR wresult = NULL;
        uint64_t started = hcs__clock_ms();
        hr = fn((PCWSTR)winput, &wresult);
        char *doc = NULL;
        if (wresult && hcs__utf16_to_utf8((const uint16_t *)wresult, &doc) != 0 && HCS_SUCCEEDED(hr))
            hr = HCS_WIN32_E_NO_UNICODE_TRANSLATION;
        if (wresult)
            c->provider->api.LocalFree(wresult);
        hcs__client_trace(c, (hcs_trace_record){name, {0}, 0, 0, hr, input, doc}, started);
        if (HCS_FAILED(hr))
            hcs__fail_doc(err, hr, name, doc, NULL);
        else if (out)
            *out = doc;
        else
            free(doc);
        if (HCS_SUCCEEDED(hr))
            hcs__succeed(err);
    }
    free(winput);
    hcs__client_release(c);
    return hr;
}

int32_t hcs_service_properties_json(hcs_client client, const char *query_json, char **out_json, hcs_error *err)
{
    const char *name = "HcsGetServiceProperties";
    if (!out_json)
        return hcs__fail(err, HCS_COM_E_POINTER, name, "out_json is NULL");
    *out_json = NULL;
    return service_call(client, offsetof(hcs_api, HcsGetServiceProperties), name, query_json, out_json, err);
}

int32_t hcs_service_modify(hcs_client client, const char *settings_json, hcs_error *err)
{
    const char *name = "HcsModifyServiceSettings";
    if (!settings_json)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, name, "settings_json is NULL");
    return service_call(client, offsetof(hcs_api, HcsModifyServiceSettings), name, settings_json, NULL, err);
}

/* Copies Properties[0].SupportedSchemaVersions of a ServiceProperties
 * document; false when it is not there. */
static bool parse_versions(const char *doc, hcs_schema_version *out, size_t max, size_t *count)
{
    json_t *root = json_loads(doc, 0, NULL);
    json_t *basic = json_array_get(json_object_get(root, "Properties"), 0);
    json_t *versions = json_object_get(basic, "SupportedSchemaVersions");
    bool ok = json_is_array(versions);
    *count = json_array_size(versions);
    for (size_t i = 0; ok && i < *count && i < max; i++) {
        json_t *v = json_array_get(versions, i);
        out[i].major = (uint32_t)json_integer_value(json_object_get(v, "Major"));
        out[i].minor = (uint32_t)json_integer_value(json_object_get(v, "Minor"));
    }
    json_decref(root);
    return ok;
}

int32_t hcs_service_schema_versions(hcs_client client, hcs_schema_version *out, size_t max, size_t *count,
                                    hcs_error *err)
{
    const char *name = "HcsGetServiceProperties";
    if (!count || (!out && max))
        return hcs__fail(err, HCS_COM_E_POINTER, name, "count is NULL, or out is NULL with max > 0");
    *count = 0;
    char *doc = NULL;
    int32_t hr = hcs_service_properties_json(client, "{\"PropertyTypes\":[\"Basic\"]}", &doc, err);
    if (HCS_SUCCEEDED(hr) && !parse_versions(doc, out, max, count))
        hr = hcs__fail(err, HCS_E_INVALID_JSON, name, "the answer lists no SupportedSchemaVersions");
    free(doc);
    return hr;
}
