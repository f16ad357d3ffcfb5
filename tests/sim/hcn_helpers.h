/* Helpers for tests that call the computenetwork (HCN) exports directly. */
#ifndef HCSKIT_TESTS_SIM_HCN_HELPERS_H
#define HCSKIT_TESTS_SIM_HCN_HELPERS_H

#include "hcs/computenetwork.h"
#include "sim_helpers.h"

#include <jansson.h>

#define HCN_E_NETWORK_NOT_FOUND_ ((HRESULT)0x803B0001)
#define HCN_E_ENDPOINT_NOT_FOUND_ ((HRESULT)0x803B0002)
#define HCN_E_INVALID_NETWORK_TYPE_ ((HRESULT)0x803B000B)
#define HCN_E_INVALID_POLICY_ ((HRESULT)0x803B000D)
#define HCN_E_INVALID_POLICY_TYPE_ ((HRESULT)0x803B000E)
#define HCN_E_NETWORK_ALREADY_EXISTS_ ((HRESULT)0x803B0010)
#define HCN_E_PORT_ALREADY_EXISTS_ ((HRESULT)0x803B0013)
#define HCN_E_REQUEST_UNSUPPORTED_ ((HRESULT)0x803B0015)
#define HCN_E_GUID_CONVERSION_FAILURE_ ((HRESULT)0x803B0019)
#define HCN_E_INVALID_JSON_ ((HRESULT)0x803B001B)
#define HCN_E_INVALID_IP_ ((HRESULT)0x803B001E)
#define HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS_ ((HRESULT)0x803B002B)
#define HCN_E_ENTITY_HAS_REFERENCES_ ((HRESULT)0x803B002C)
#define HCN_E_NAMESPACE_ATTACH_FAILED_ ((HRESULT)0x803B002E)
#define HCN_E_ADDR_INVALID_OR_RESERVED_ ((HRESULT)0x803B002F)
#define HCN_E_OBJECT_USED_AFTER_UNLOAD_ ((HRESULT)0x803B0031)
#define ERROR_NOT_FOUND_ ((HRESULT)0x80070490)
#define ERROR_OBJECT_ALREADY_EXISTS_ ((HRESULT)0x80071392)
#define E_HANDLE_ ((HRESULT)0x80070006)

static const GUID null_guid;

/* A GUID from its text (no braces). */
static inline GUID guid_of(const char *text)
{
    GUID g;
    unsigned b[8];
    unsigned long d1;
    unsigned d2, d3;
    assert_int_equal(sscanf(text, "%8lx-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x", &d1, &d2, &d3, &b[0], &b[1], &b[2], &b[3],
                            &b[4], &b[5], &b[6], &b[7]),
                     11);
    g.Data1 = (uint32_t)d1;
    g.Data2 = (uint16_t)d2;
    g.Data3 = (uint16_t)d3;
    for (int i = 0; i < 8; i++)
        g.Data4[i] = (uint8_t)b[i];
    return g;
}

/* A result or error string as parsed JSON; frees it with CoTaskMemFree,
 * HCN's allocator (storage-and-network §2.3). */
static inline json_t *take_json(PWSTR w)
{
    assert_non_null(w);
    char *text = narrow(w);
    CoTaskMemFree(w);
    json_error_t err;
    json_t *doc = json_loads(text, JSON_DECODE_ANY, &err);
    free(text);
    assert_non_null(doc);
    return doc;
}

typedef HRESULT(WINAPI *hcn_query_fn)(void *, PCWSTR, PWSTR *, PWSTR *);

/* Properties of an open object for a query text (NULL: none). */
static inline json_t *query_props(hcn_query_fn fn, void *handle, const char *query)
{
    WCHAR *q = query ? widen(query) : NULL;
    PWSTR out = NULL, error = NULL;
    assert_int_equal(fn(handle, q, &out, &error), S_OK);
    assert_null(error);
    free(q);
    return take_json(out);
}

#define V2_QUERY "{\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}"
#define QUERY_V2(fn, h) query_props((hcn_query_fn)(fn), (h), V2_QUERY)

/* The id string a V2 document carries. */
static inline const char *doc_id(json_t *doc) { return json_string_value(json_object_get(doc, "ID")); }

/* Creates a network from a UTF-8 settings document and returns its handle. */
static inline HCN_NETWORK make_network(const char *settings)
{
    WCHAR *w = widen(settings);
    HCN_NETWORK net = NULL;
    PWSTR error = NULL;
    assert_int_equal(HcnCreateNetwork(&null_guid, w, &net, &error), S_OK);
    assert_null(error);
    assert_non_null(net);
    free(w);
    return net;
}

static inline HRESULT create_endpoint(HCN_NETWORK net, const char *settings, HCN_ENDPOINT *ep)
{
    WCHAR *w = widen(settings);
    HRESULT hr = HcnCreateEndpoint(net, &null_guid, w, ep, NULL);
    free(w);
    return hr;
}

static inline HCN_NAMESPACE make_namespace(void)
{
    HCN_NAMESPACE ns = NULL;
    assert_int_equal(HcnCreateNamespace(&null_guid, W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}"), &ns, NULL),
                     S_OK);
    return ns;
}

/* Runs a modify with a UTF-8 settings document. */
typedef HRESULT(WINAPI *hcn_modify_fn)(void *, PCWSTR, PWSTR *);
static inline HRESULT modify(hcn_modify_fn fn, void *handle, const char *settings)
{
    WCHAR *w = widen(settings);
    HRESULT hr = fn(handle, w, NULL);
    free(w);
    return hr;
}

/* Adds (or removes) an endpoint to a namespace (§3.2 step 4). */
static inline HRESULT namespace_endpoint(HCN_NAMESPACE ns, const char *request, const char *endpoint_id)
{
    char text[256];
    snprintf(text, sizeof text,
             "{\"ResourceType\":\"Endpoint\",\"RequestType\":\"%s\",\"Settings\":{\"EndpointId\":\"%s\"}}", request,
             endpoint_id);
    return modify((hcn_modify_fn)HcnModifyNamespace, ns, text);
}

/* Ids an Enumerate returns for a filter (NULL: no query). */
typedef HRESULT(WINAPI *hcn_enum_fn)(PCWSTR, PWSTR *, PWSTR *);
static inline json_t *enumerate(hcn_enum_fn fn, const char *query)
{
    WCHAR *q = query ? widen(query) : NULL;
    PWSTR out = NULL, error = NULL;
    assert_int_equal(fn(q, &out, &error), S_OK);
    assert_null(error);
    free(q);
    json_t *ids = take_json(out);
    assert_true(json_is_array(ids));
    return ids;
}

/* Does a JSON array of ids hold this one (any case)? */
static inline bool ids_contain(json_t *ids, const char *id)
{
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v)
    {
        GUID a = guid_of(json_string_value(v)), b = guid_of(id);
        if (memcmp(&a, &b, sizeof a) == 0)
            return true;
    }
    return false;
}

#endif
