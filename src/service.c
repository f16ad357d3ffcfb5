/* The compute service's properties and settings (see hcs/service.h). */
#include "hcs/service.h"

#include "client_internal.h"
#include "error_internal.h"
#include "platform/thread.h"
#include "schema/schema_read.h"
#include "util/utf16.h"

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

/* A version number: typed, or an integer kept as written (cut to 32 bits);
 * else 0. */
static uint32_t version_part(const hcs_Version *v, const char *name, bool has, uint32_t value)
{
    int64_t n;
    if (has)
        return value;
    return hcs__schema_kept_integer(&v->unknown_fields, name, &n) ? (uint32_t)n : 0;
}

/* Copies Properties[0].SupportedSchemaVersions of a ServiceProperties
 * document (Properties[0] answers "Basic": a BasicInformation); false when
 * it is not there. */
static bool parse_versions(const char *text, hcs_schema_version *out, size_t max, size_t *count)
{
    hcs_schema_doc *doc = hcs__schema_read(HCS_SCHEMA_ServiceProperties, text);
    const hcs_ServiceProperties *props = hcs_schema_doc_root(doc);
    hcs_schema_doc *basic_doc =
        props && props->Properties_count ? hcs__schema_read(HCS_SCHEMA_BasicInformation, props->Properties[0]) : NULL;
    const hcs_BasicInformation *basic = hcs_schema_doc_root(basic_doc);
    bool ok = basic && basic->SupportedSchemaVersions;
    *count = ok ? basic->SupportedSchemaVersions_count : 0;
    for (size_t i = 0; ok && i < *count && i < max; i++) {
        const hcs_Version *v = &basic->SupportedSchemaVersions[i];
        out[i].major = version_part(v, "Major", v->has_Major, v->Major);
        out[i].minor = version_part(v, "Minor", v->has_Minor, v->Minor);
    }
    hcs_schema_doc_free(basic_doc);
    hcs_schema_doc_free(doc);
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
