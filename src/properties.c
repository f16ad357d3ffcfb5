/* Typed properties (see hcs/properties.h). */
#include "hcs/properties.h"

#include "hcs/service.h"

#include "error_internal.h"

#include <stdlib.h>
#include <string.h>

/* Decodes what a call returned (taking `json`): one document of `type`, or
 * (count non-NULL) an array of them. */
static int32_t decode(int32_t hr, char *json, hcs_schema_type type, hcs_schema_doc **doc, void **out, size_t *count,
                      const char *call, hcs_error *err)
{
    if (HCS_SUCCEEDED(hr) && !json)
        hr = hcs__fail(err, HCS_COM_E_UNEXPECTED, call, "HCS returned no document");
    else if (HCS_SUCCEEDED(hr) && count)
        hr = hcs_schema_decode_array(type, json, strlen(json), NULL, doc, count, err);
    else if (HCS_SUCCEEDED(hr))
        hr = hcs_schema_decode(type, json, strlen(json), NULL, doc, err);
    *out = HCS_SUCCEEDED(hr) ? hcs_schema_doc_root(*doc) : NULL;
    free(json);
    return hr;
}

/* Clears the out-parameters given; all of them are required. */
static int32_t start(hcs_schema_doc **doc, void *out, size_t *count, bool counted, const char *call, hcs_error *err)
{
    if (doc)
        *doc = NULL;
    if (out)
        *(void **)out = NULL;
    if (count)
        *count = 0;
    if (!doc || !out || (counted && !count))
        return hcs__fail(err, HCS_COM_E_POINTER, call,
                         counted ? "doc, items and count are required" : "doc and out are required");
    return HCS_OK;
}

int32_t hcs_system_properties(hcs_system sys, const char *query, uint32_t timeout_ms, hcs_schema_doc **doc,
                              hcs_Properties **out, hcs_error *err)
{
    int32_t hr = start(doc, out, NULL, false, "hcs_system_properties", err);
    if (HCS_FAILED(hr))
        return hr;
    char *json = NULL;
    hr = hcs_system_properties_json(sys, query, timeout_ms, &json, err);
    return decode(hr, json, HCS_SCHEMA_Properties, doc, (void **)out, NULL, "hcs_system_properties", err);
}

int32_t hcs_system_statistics(hcs_system sys, uint32_t timeout_ms, hcs_schema_doc **doc, hcs_Statistics **out,
                              hcs_error *err)
{
    int32_t hr = start(doc, out, NULL, false, "hcs_system_statistics", err);
    if (HCS_FAILED(hr))
        return hr;
    hcs_Properties *props = NULL;
    hr = hcs_system_properties(sys, "{\"PropertyTypes\":[\"Statistics\"]}", timeout_ms, doc, &props, err);
    if (HCS_SUCCEEDED(hr) && !props->Statistics) {
        hcs_schema_doc_free(*doc);
        *doc = NULL;
        hr = hcs__fail(err, HCS_COM_E_UNEXPECTED, "hcs_system_statistics", "the reply has no Statistics");
    }
    *out = HCS_SUCCEEDED(hr) ? props->Statistics : NULL;
    return hr;
}

int32_t hcs_process_properties(hcs_process proc, uint32_t timeout_ms, hcs_schema_doc **doc, hcs_ProcessStatus **out,
                               hcs_error *err)
{
    int32_t hr = start(doc, out, NULL, false, "hcs_process_properties", err);
    if (HCS_FAILED(hr))
        return hr;
    char *json = NULL;
    hr = hcs_process_properties_json(proc, timeout_ms, &json, err);
    return decode(hr, json, HCS_SCHEMA_ProcessStatus, doc, (void **)out, NULL, "hcs_process_properties", err);
}

int32_t hcs_system_enumerate(hcs_client client, const char *query, uint32_t timeout_ms, hcs_schema_doc **doc,
                             hcs_Properties **items, size_t *count, hcs_error *err)
{
    int32_t hr = start(doc, items, count, true, "hcs_system_enumerate", err);
    if (HCS_FAILED(hr))
        return hr;
    char *json = NULL;
    hr = hcs_system_enumerate_json(client, query, timeout_ms, &json, err);
    return decode(hr, json, HCS_SCHEMA_Properties, doc, (void **)items, count, "hcs_system_enumerate", err);
}

int32_t hcs_service_properties(hcs_client client, const char *query_json, hcs_schema_doc **doc,
                               hcs_ServiceProperties **out, hcs_error *err)
{
    int32_t hr = start(doc, out, NULL, false, "hcs_service_properties", err);
    if (HCS_FAILED(hr))
        return hr;
    char *json = NULL;
    hr = hcs_service_properties_json(client, query_json, &json, err);
    return decode(hr, json, HCS_SCHEMA_ServiceProperties, doc, (void **)out, NULL, "hcs_service_properties", err);
}
