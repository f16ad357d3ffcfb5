/* The Host Compute Network (see hcs/network.h): one generic core over
 * computenetwork's six object types, which differ only in their functions
 * (api.h's HCS_HCN_API_FUNCTIONS) and in how an endpoint is made. */
#include "hcs/network.h"
#include "hcs/hcn_e_codes.h"

#include "client_internal.h"
#include "cq.h"
#include "error_internal.h"
#include "handles.h"
#include "network_internal.h"
#include "platform/thread.h"
#include "schema/schema_read.h"
#include "util/guid.h"
#include "util/utf16.h"
#include "worker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* In HCN's order (hcs_api, network_schema.h). */
enum net_type { NET_NETWORK, NET_ENDPOINT, NET_NAMESPACE, NET_LOAD_BALANCER, NET_ROUTE, NET_GUEST, NET_TYPES };

typedef HRESULT(WINAPI *enumerate_fn)(PCWSTR, PWSTR *, PWSTR *);
typedef HRESULT(WINAPI *create_fn)(REFGUID, PCWSTR, void **, PWSTR *);
typedef HRESULT(WINAPI *create_endpoint_fn)(void *, REFGUID, PCWSTR, void **, PWSTR *);
typedef HRESULT(WINAPI *open_fn)(REFGUID, void **, PWSTR *);
typedef HRESULT(WINAPI *modify_fn)(void *, PCWSTR, PWSTR *);
typedef HRESULT(WINAPI *query_fn)(void *, PCWSTR, PWSTR *, PWSTR *);
typedef HRESULT(WINAPI *delete_fn)(REFGUID, PWSTR *);
typedef HRESULT(WINAPI *close_fn)(void *);

/* One HCN function: its place in hcs_api and its name. */
typedef struct net_fn {
    size_t offset;
    const char *name;
} net_fn;

typedef struct net_type_info {
    net_fn enumerate, create, open, modify, query, del, close;
} net_type_info;

#define NET_FN(name)                                                                                                   \
    {                                                                                                                  \
        offsetof(hcs_api, name), #name                                                                                 \
    }
#define NET_TYPE(Noun, Plural)                                                                                         \
    {                                                                                                                  \
        NET_FN(HcnEnumerate##Plural), NET_FN(HcnCreate##Noun), NET_FN(HcnOpen##Noun), NET_FN(HcnModify##Noun),         \
            NET_FN(HcnQuery##Noun##Properties), NET_FN(HcnDelete##Noun), NET_FN(HcnClose##Noun)                        \
    }

static const net_type_info types[NET_TYPES] = {
    NET_TYPE(Network, Networks),     NET_TYPE(Endpoint, Endpoints),
    NET_TYPE(Namespace, Namespaces), NET_TYPE(LoadBalancer, LoadBalancers),
    NET_TYPE(SdnRoute, SdnRoutes),   NET_TYPE(GuestNetworkService, GuestNetworkServices),
};

/* An open HCN object: HCN's handle, the client whose provider made it,
 * and its id. The handle is closed when the last reference goes, so a
 * call in progress on another thread never sees it closed. */
typedef struct net_obj {
    hcs_object base;
    hcs_client_obj *client;
    enum net_type type;
    void *raw;
    char id[HCS_NET_ID_SIZE];
} net_obj;

static void net_obj_destroy(hcs_object *o)
{
    net_obj *n = (net_obj *)o;
    close_fn fn = (close_fn)hcs__api_function(&n->client->provider->api, types[n->type].close.offset);
    if (n->raw && fn)
        fn(n->raw);
    hcs__client_release(n->client);
    free(n);
}

/* ---- calls ------------------------------------------------------------------ */

/* The provider's function, when it has it and the allocator of HCN's
 * strings (storage-and-network §2.3); else NULL with err filled. */
static void (*net_function(const hcs_client_obj *c, net_fn f, hcs_error *err))(void)
{
    void (*fn)(void) = hcs__client_function(c, f.offset, f.name, err);
    if (fn && !c->provider->api.CoTaskMemFree) {
        hcs__fail(err, HCS_WIN32_E_PROC_NOT_FOUND, f.name, "provider %s does not export CoTaskMemFree",
                  c->provider->name);
        return NULL;
    }
    return fn;
}

/* A UTF-8 copy of one of HCN's strings, which is freed. */
static char *take_string(const hcs_client_obj *c, PWSTR s)
{
    char *out = NULL;
    if (s && hcs__utf16_to_utf8((const uint16_t *)s, &out) != 0)
        out = NULL;
    if (s)
        c->provider->api.CoTaskMemFree(s);
    return out;
}

/* What HCN's Error text adds to the code's own meaning, which libhcs's
 * message states anyway: the text without it and without the trailing
 * space HCN puts there (§2.3); NULL when nothing is left. */
static const char *hcn_detail(const char *text, int32_t hr, int *len)
{
    const char *meaning = hcs_strerror(hr);
    size_t n = strlen(meaning);
    if (meaning[0] && strncmp(text, meaning, n) == 0)
        text += n;
    while (*text == ' ')
        text++;
    size_t end = strlen(text);
    while (end && text[end - 1] == ' ')
        end--;
    *len = (int)end;
    return end ? text : NULL;
}

/* The outcome of one HCN call: traced, then a failure with HCN's
 * ErrorRecord kept in err->document and its text in the message, or
 * success with the result document in *out (when out is non-NULL). */
static int32_t finish(const hcs_client_obj *c, const char *call, HRESULT hr, PWSTR result, PWSTR record,
                      const char *input, uint64_t started, char **out, hcs_error *err)
{
    char *doc = take_string(c, result), *rec = take_string(c, record);
    if (result && !doc && HCS_SUCCEEDED(hr))
        hr = HCS_WIN32_E_NO_UNICODE_TRANSLATION;
    hcs__client_trace(c, (hcs_trace_record){call, {0}, 0, 0, hr, input, HCS_FAILED(hr) ? rec : doc}, started);
    if (HCS_FAILED(hr)) {
        hcs_schema_doc *parsed = hcs__schema_read(HCS_SCHEMA_HCN_ErrorRecord, rec);
        const hcs_HCN_ErrorRecord *r = hcs_schema_doc_root(parsed);
        int len = 0;
        const char *text = r && r->Error ? hcn_detail(r->Error, hr, &len) : NULL;
        hcs__fail_doc(err, hr, call, rec, text ? "%.*s" : NULL, len, text);
        hcs_schema_doc_free(parsed);
        free(doc);
        return hr;
    }
    free(rec);
    if (out)
        *out = doc;
    else
        free(doc);
    return hcs__succeed(err);
}

/* A UTF-16 copy of an optional document; false (err filled) when it is
 * not UTF-8. */
static bool widen(const char *call, const char *text, uint16_t **out, hcs_error *err)
{
    *out = NULL;
    if (text && hcs__utf8_to_utf16(text, out) != 0) {
        hcs__fail(err, HCS_WIN32_E_NO_UNICODE_TRANSLATION, call, "the document is not valid UTF-8");
        return false;
    }
    return true;
}

/* An id argument: NULL or "" is the null GUID (on create HCN chooses);
 * anything else must be a GUID. */
static bool id_arg(const char *call, const char *id, GUID *out, hcs_error *err)
{
    memset(out, 0, sizeof *out);
    if (!id || !id[0] || hcs__guid_parse(id, out))
        return true;
    hcs__fail(err, HCS_COM_E_INVALIDARG, call, "\"%.60s\" is not a GUID", id);
    return false;
}

static int32_t net_enumerate(hcs_client client, enum net_type t, const char *query, char **ids, hcs_error *err)
{
    const char *call = types[t].enumerate.name;
    if (!ids)
        return hcs__fail(err, HCS_COM_E_POINTER, call, "ids_json is NULL");
    *ids = NULL;
    hcs_client_obj *c = hcs__client_acquire(client, call, err);
    if (!c)
        return HCS_WIN32_E_INVALID_HANDLE;
    enumerate_fn fn = (enumerate_fn)net_function(c, types[t].enumerate, err);
    uint16_t *wq = NULL;
    int32_t hr = fn ? HCS_OK : HCS_WIN32_E_PROC_NOT_FOUND;
    if (fn && widen(call, query, &wq, err)) {
        PWSTR out = NULL, rec = NULL;
        uint64_t started = hcs__clock_ms();
        hr = fn((PCWSTR)wq, &out, &rec);
        hr = finish(c, call, hr, out, rec, query, started, ids, err);
    } else if (fn) {
        hr = err ? err->hr : HCS_WIN32_E_NO_UNICODE_TRANSLATION;
    }
    free(wq);
    hcs__client_release(c);
    return hr;
}

/* The object behind a handle, referenced, or NULL (err filled). */
static net_obj *net_acquire(uint64_t id, enum net_type t, const char *call, hcs_error *err)
{
    net_obj *n = (net_obj *)hcs__table_acquire(hcs__handles(), id, HCS_KIND_NET + (uint32_t)t);
    if (!n)
        hcs__fail(err, HCS_WIN32_E_INVALID_HANDLE, call, "the handle is closed or not of this type");
    return n;
}

/* The id HCN gave the object: a HostDefault namespace is not the one
 * asked for (storage-and-network §4.3 #43), so it is always asked. */
static int32_t learn_id(net_obj *n, hcs_error *err)
{
    query_fn fn = (query_fn)net_function(n->client, types[n->type].query, err);
    if (!fn)
        return HCS_WIN32_E_PROC_NOT_FOUND;
    PWSTR out = NULL, rec = NULL;
    HRESULT hr = fn(n->raw, (PCWSTR)u"{\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}", &out, &rec);
    char *doc = NULL;
    hr = finish(n->client, types[n->type].query.name, hr, out, rec, NULL, hcs__clock_ms(), &doc, err);
    hcs_schema_doc *parsed = HCS_SUCCEEDED(hr) ? hcs__schema_read(HCS_SCHEMA_HCN_Notification, doc) : NULL;
    const hcs_HCN_Notification *base = hcs_schema_doc_root(parsed);
    GUID g;
    if (HCS_SUCCEEDED(hr) && !(base && hcs__guid_parse(base->ID, &g)))
        hr = hcs__fail(err, HCS_E_INVALID_JSON, types[n->type].query.name, "the object's document has no ID");
    if (HCS_SUCCEEDED(hr))
        hcs__guid_format(&g, n->id);
    hcs_schema_doc_free(parsed);
    free(doc);
    return hr;
}

/* Another client deleted the object between its create or open and
 * learn_id's query (the reference is silent on such a race; network.h says
 * what libhcs does). An open then found nothing: the type's
 * "not found" (§4.3 #28). A create did create it: with the id it was
 * asked for that id is kept and the create succeeds, later calls on the
 * handle reporting the deletion; without one the id is lost, and the
 * create reports the deletion. */
static int32_t deleted_meanwhile(net_obj *n, bool create, const char *id, const GUID *g, hcs_error *err)
{
    const char *call = create ? types[n->type].create.name : types[n->type].open.name;
    if (create && id && id[0]) {
        hcs__guid_format(g, n->id);
        return hcs__succeed(err);
    }
    if (create)
        return hcs__fail(err, HCN_E_OBJECT_USED_AFTER_UNLOAD, call,
                         "created, then deleted by another client before its id was known");
    int32_t not_found = n->type == NET_NETWORK    ? HCN_E_NETWORK_NOT_FOUND
                        : n->type == NET_ENDPOINT ? HCN_E_ENDPOINT_NOT_FOUND
                                                  : HCS_WIN32_E_NOT_FOUND;
    return hcs__fail(err, not_found, call, "no such object: another client deleted it as it was opened");
}

/* Create (settings non-NULL or create set) or open; an endpoint is made on
 * `parent`. On success *out is the new handle's id. */
static int32_t net_make(hcs_client client, net_obj *parent, enum net_type t, bool create, const char *id,
                        const char *settings, uint64_t *out, hcs_error *err)
{
    const net_fn f = create ? types[t].create : types[t].open;
    if (!out)
        return hcs__fail(err, HCS_COM_E_POINTER, f.name, "out is NULL");
    *out = 0;
    /* error.h: a NULL or empty input is an argument error, not a question
     * for HCN (whose answers would be "not found" or "invalid JSON"). */
    if (!create && (!id || !id[0]))
        return hcs__fail(err, HCS_COM_E_INVALIDARG, f.name, "id is NULL or empty: an object is opened by its id");
    if (create && (!settings || !settings[0]))
        return hcs__fail(err, HCS_COM_E_INVALIDARG, f.name, "settings_json is NULL or empty");
    GUID g;
    if (!id_arg(f.name, id, &g, err))
        return HCS_COM_E_INVALIDARG;
    hcs_client_obj *c = parent ? parent->client : hcs__client_acquire(client, f.name, err);
    if (!c)
        return HCS_WIN32_E_INVALID_HANDLE;
    if (parent)
        hcs_object_retain(&c->base);
    net_obj *n = calloc(1, sizeof *n);
    if (!n) {
        hcs__client_release(c);
        return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, f.name, "out of memory");
    }
    void (*fn)(void) = net_function(c, f, err);
    uint16_t *ws = NULL;
    int32_t hr = !fn                                  ? HCS_WIN32_E_PROC_NOT_FOUND
                 : !widen(f.name, settings, &ws, err) ? HCS_WIN32_E_NO_UNICODE_TRANSLATION
                                                      : HCS_OK;
    if (HCS_FAILED(hr)) {
        free(n);
        hcs__client_release(c);
        return hr;
    }
    hcs_object_init(&n->base, net_obj_destroy);
    n->client = c;
    n->type = t;
    PWSTR rec = NULL;
    uint64_t started = hcs__clock_ms();
    if (!create)
        hr = ((open_fn)fn)(&g, &n->raw, &rec);
    else if (t == NET_ENDPOINT)
        hr = ((create_endpoint_fn)fn)(parent->raw, &g, (PCWSTR)ws, &n->raw, &rec);
    else
        hr = ((create_fn)fn)(&g, (PCWSTR)ws, &n->raw, &rec);
    free(ws);
    hr = finish(c, f.name, hr, NULL, rec, settings, started, NULL, err);
    if (HCS_SUCCEEDED(hr))
        hr = learn_id(n, err);
    if (hr == HCN_E_OBJECT_USED_AFTER_UNLOAD)
        hr = deleted_meanwhile(n, create, id, &g, err);
    if (HCS_SUCCEEDED(hr) && !(*out = hcs__table_insert(hcs__handles(), HCS_KIND_NET + (uint32_t)t, &n->base)))
        hr = hcs__fail(err, HCS_COM_E_OUTOFMEMORY, f.name, "out of memory");
    hcs_object_release(&n->base);
    return hr;
}

static int32_t net_modify(uint64_t id, enum net_type t, const char *request, hcs_error *err)
{
    const char *call = types[t].modify.name;
    if (!request)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, call, "request_json is NULL");
    net_obj *n = net_acquire(id, t, call, err);
    if (!n)
        return HCS_WIN32_E_INVALID_HANDLE;
    modify_fn fn = (modify_fn)net_function(n->client, types[t].modify, err);
    uint16_t *wr = NULL;
    int32_t hr = !fn                               ? HCS_WIN32_E_PROC_NOT_FOUND
                 : !widen(call, request, &wr, err) ? HCS_WIN32_E_NO_UNICODE_TRANSLATION
                                                   : HCS_OK;
    if (HCS_SUCCEEDED(hr)) {
        PWSTR rec = NULL;
        uint64_t started = hcs__clock_ms();
        hr = fn(n->raw, (PCWSTR)wr, &rec);
        hr = finish(n->client, call, hr, NULL, rec, request, started, NULL, err);
    }
    free(wr);
    hcs_object_release(&n->base);
    return hr;
}

static int32_t net_properties(uint64_t id, enum net_type t, const char *query, char **out, hcs_error *err)
{
    const char *call = types[t].query.name;
    if (!out)
        return hcs__fail(err, HCS_COM_E_POINTER, call, "out_json is NULL");
    *out = NULL;
    net_obj *n = net_acquire(id, t, call, err);
    if (!n)
        return HCS_WIN32_E_INVALID_HANDLE;
    query_fn fn = (query_fn)net_function(n->client, types[t].query, err);
    uint16_t *wq = NULL;
    int32_t hr = !fn                             ? HCS_WIN32_E_PROC_NOT_FOUND
                 : !widen(call, query, &wq, err) ? HCS_WIN32_E_NO_UNICODE_TRANSLATION
                                                 : HCS_OK;
    if (HCS_SUCCEEDED(hr)) {
        PWSTR doc = NULL, rec = NULL;
        uint64_t started = hcs__clock_ms();
        hr = fn(n->raw, (PCWSTR)wq, &doc, &rec);
        hr = finish(n->client, call, hr, doc, rec, query, started, out, err);
    }
    free(wq);
    hcs_object_release(&n->base);
    return hr;
}

static int32_t net_id(uint64_t id, enum net_type t, char out[HCS_NET_ID_SIZE], hcs_error *err)
{
    const char *call = types[t].query.name;
    if (!out)
        return hcs__fail(err, HCS_COM_E_POINTER, call, "id is NULL");
    out[0] = 0;
    net_obj *n = net_acquire(id, t, call, err);
    if (!n)
        return HCS_WIN32_E_INVALID_HANDLE;
    memcpy(out, n->id, HCS_NET_ID_SIZE);
    hcs_object_release(&n->base);
    return hcs__succeed(err);
}

static int32_t net_delete(hcs_client client, enum net_type t, const char *id, hcs_error *err)
{
    const char *call = types[t].del.name;
    GUID g;
    if (!id || !id[0])
        return hcs__fail(err, HCS_COM_E_INVALIDARG, call, "id is NULL or empty");
    if (!id_arg(call, id, &g, err))
        return HCS_COM_E_INVALIDARG;
    hcs_client_obj *c = hcs__client_acquire(client, call, err);
    if (!c)
        return HCS_WIN32_E_INVALID_HANDLE;
    delete_fn fn = (delete_fn)net_function(c, types[t].del, err);
    int32_t hr = HCS_WIN32_E_PROC_NOT_FOUND;
    if (fn) {
        PWSTR rec = NULL;
        uint64_t started = hcs__clock_ms();
        hr = fn(&g, &rec);
        hr = finish(c, call, hr, NULL, rec, id, started, NULL, err);
    }
    hcs__client_release(c);
    return hr;
}

static void net_close(uint64_t id, enum net_type t)
{
    hcs_object *o = hcs__table_remove(hcs__handles(), id, HCS_KIND_NET + (uint32_t)t);
    hcs_object_release(o);
}

/* The public functions of each type: thin shells over the core. */
/* The type parameters cannot be parenthesized. */
/* NOLINTBEGIN(bugprone-macro-parentheses) */
#define NET_PUBLIC(prefix, T, handle_t, member)                                                                        \
    int32_t prefix##_enumerate(hcs_client client, const char *query_json, char **ids_json, hcs_error *err)             \
    {                                                                                                                  \
        return net_enumerate(client, T, query_json, ids_json, err);                                                    \
    }                                                                                                                  \
    int32_t prefix##_open(hcs_client client, const char *id, handle_t *out, hcs_error *err)                            \
    {                                                                                                                  \
        return net_make(client, NULL, T, false, id, NULL, out ? &out->id : NULL, err);                                 \
    }                                                                                                                  \
    int32_t prefix##_modify(handle_t member, const char *request_json, hcs_error *err)                                 \
    {                                                                                                                  \
        return net_modify(member.id, T, request_json, err);                                                            \
    }                                                                                                                  \
    int32_t prefix##_properties_json(handle_t member, const char *query_json, char **out_json, hcs_error *err)         \
    {                                                                                                                  \
        return net_properties(member.id, T, query_json, out_json, err);                                                \
    }                                                                                                                  \
    int32_t prefix##_id(handle_t member, char id[HCS_NET_ID_SIZE], hcs_error *err)                                     \
    {                                                                                                                  \
        return net_id(member.id, T, id, err);                                                                          \
    }                                                                                                                  \
    int32_t prefix##_delete(hcs_client client, const char *id, hcs_error *err)                                         \
    {                                                                                                                  \
        return net_delete(client, T, id, err);                                                                         \
    }                                                                                                                  \
    void prefix##_close(handle_t member) { net_close(member.id, T); }
/* NOLINTEND(bugprone-macro-parentheses) */

/* Every type but the endpoint is created from a client. */
/* The type parameters cannot be parenthesized. */
/* NOLINTBEGIN(bugprone-macro-parentheses) */
#define NET_CREATE(prefix, T, handle_t)                                                                                \
    int32_t prefix##_create(hcs_client client, const char *id, const char *settings_json, handle_t *out,               \
                            hcs_error *err)                                                                            \
    {                                                                                                                  \
        return net_make(client, NULL, T, true, id, settings_json, out ? &out->id : NULL, err);                         \
    }
/* NOLINTEND(bugprone-macro-parentheses) */

NET_PUBLIC(hcs_network, NET_NETWORK, hcs_network, net)
NET_CREATE(hcs_network, NET_NETWORK, hcs_network)
NET_PUBLIC(hcs_endpoint, NET_ENDPOINT, hcs_endpoint, ep)
NET_PUBLIC(hcs_namespace, NET_NAMESPACE, hcs_namespace, ns)
NET_PUBLIC(hcs_load_balancer, NET_LOAD_BALANCER, hcs_load_balancer, lb)
NET_CREATE(hcs_load_balancer, NET_LOAD_BALANCER, hcs_load_balancer)
NET_PUBLIC(hcs_route, NET_ROUTE, hcs_route, route)
NET_CREATE(hcs_route, NET_ROUTE, hcs_route)
NET_PUBLIC(hcs_guest_network, NET_GUEST, hcs_guest_network, gns)
NET_CREATE(hcs_guest_network, NET_GUEST, hcs_guest_network)

/* No settings: a Host namespace (the default Type, §4.3 #43), as hcsshim
 * asks for one (§3.2 step 3). */
int32_t hcs_namespace_create(hcs_client client, const char *id, const char *settings_json, hcs_namespace *out,
                             hcs_error *err)
{
    const char *settings = settings_json ? settings_json : "{\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}";
    return net_make(client, NULL, NET_NAMESPACE, true, id, settings, out ? &out->id : NULL, err);
}

int32_t hcs_endpoint_create(hcs_network net, const char *id, const char *settings_json, hcs_endpoint *out,
                            hcs_error *err)
{
    net_obj *parent = net_acquire(net.id, NET_NETWORK, "HcnCreateEndpoint", err);
    if (!parent) {
        if (out)
            out->id = 0;
        return HCS_WIN32_E_INVALID_HANDLE;
    }
    int32_t hr = net_make((hcs_client){0}, parent, NET_ENDPOINT, true, id, settings_json, out ? &out->id : NULL, err);
    hcs_object_release(&parent->base);
    return hr;
}

/* The namespace modify of storage-and-network §3.2 step 4, with the id as
 * HCN's stricter parser wants it: bare and lower case (§3.4 step 4). */
static int32_t namespace_endpoint(hcs_namespace ns, const char *request, const char *endpoint_id, hcs_error *err)
{
    GUID g;
    if (!endpoint_id || !hcs__guid_parse(endpoint_id, &g))
        return hcs__fail(err, HCS_COM_E_INVALIDARG, "HcnModifyNamespace", "endpoint_id is not a GUID");
    char id[HCS_NET_ID_SIZE], doc[160];
    hcs__guid_format(&g, id);
    for (char *p = id; *p; p++)
        if (*p >= 'A' && *p <= 'F')
            *p = (char)(*p - 'A' + 'a');
    snprintf(doc, sizeof doc,
             "{\"ResourceType\":\"Endpoint\",\"RequestType\":\"%s\",\"Settings\":{\"EndpointId\":\"%s\"}}", request,
             id);
    return hcs_namespace_modify(ns, doc, err);
}

int32_t hcs_namespace_add_endpoint(hcs_namespace ns, const char *endpoint_id, hcs_error *err)
{
    return namespace_endpoint(ns, "Add", endpoint_id, err);
}

int32_t hcs_namespace_remove_endpoint(hcs_namespace ns, const char *endpoint_id, hcs_error *err)
{
    return namespace_endpoint(ns, "Remove", endpoint_id, err);
}

/* ---- port reservations ------------------------------------------------------- */

typedef HRESULT(WINAPI *reserve_fn)(void *, HCN_PORT_PROTOCOL, HCN_PORT_ACCESS, USHORT, HANDLE *);
typedef HRESULT(WINAPI *reserve_range_fn)(void *, USHORT, HCN_PORT_RANGE_RESERVATION *, HANDLE *);
typedef HRESULT(WINAPI *release_fn)(HANDLE);
typedef HRESULT(WINAPI *list_ports_fn)(ULONG *, HCN_PORT_RANGE_ENTRY **);
typedef void(WINAPI *free_ports_fn)(HCN_PORT_RANGE_ENTRY *);

typedef struct port_obj {
    hcs_object base;
    hcs_client_obj *client;
    HANDLE raw;
} port_obj;

static void port_destroy(hcs_object *o)
{
    port_obj *p = (port_obj *)o;
    release_fn fn = p->client->provider->api.HcnReleaseGuestNetworkServicePortReservationHandle;
    if (fn && p->raw)
        fn(p->raw);
    hcs__client_release(p->client);
    free(p);
}

/* One reservation (range: count ports HCN picks, reported in *range). */
static int32_t reserve(hcs_guest_network gns, hcs_port_protocol protocol, bool shared, uint16_t port, uint16_t count,
                       HCN_PORT_RANGE_RESERVATION *range, hcs_port_reservation *out, hcs_error *err)
{
    net_fn f = range ? (net_fn)NET_FN(HcnReserveGuestNetworkServicePortRange)
                     : (net_fn)NET_FN(HcnReserveGuestNetworkServicePort);
    if (!out)
        return hcs__fail(err, HCS_COM_E_POINTER, f.name, "out is NULL");
    out->id = 0;
    net_obj *n = net_acquire(gns.id, NET_GUEST, f.name, err);
    if (!n)
        return HCS_WIN32_E_INVALID_HANDLE;
    void (*fn)(void) = hcs__client_function(n->client, f.offset, f.name, err);
    port_obj *p = fn ? calloc(1, sizeof *p) : NULL;
    int32_t hr = !fn  ? HCS_WIN32_E_PROC_NOT_FOUND
                 : !p ? hcs__fail(err, HCS_COM_E_OUTOFMEMORY, f.name, "out of memory")
                      : HCS_OK;
    if (p) {
        hcs_object_init(&p->base, port_destroy);
        p->client = n->client;
        hcs_object_retain(&p->client->base);
        uint64_t started = hcs__clock_ms();
        hr = range ? ((reserve_range_fn)fn)(n->raw, count, range, &p->raw)
                   : ((reserve_fn)fn)(n->raw, (HCN_PORT_PROTOCOL)protocol,
                                      shared ? HCN_PORT_ACCESS_SHARED : HCN_PORT_ACCESS_EXCLUSIVE, port, &p->raw);
        hcs__client_trace(n->client, (hcs_trace_record){f.name, {0}, 0, 0, hr, NULL, NULL}, started);
        if (HCS_FAILED(hr))
            hcs__fail(err, hr, f.name, "%s", range ? "no range reserved" : "the port was not reserved");
        else if (!(out->id = hcs__table_insert(hcs__handles(), HCS_KIND_PORT_RESERVATION, &p->base)))
            hr = hcs__fail(err, HCS_COM_E_OUTOFMEMORY, f.name, "out of memory");
        else
            hcs__succeed(err);
        hcs_object_release(&p->base);
    }
    hcs_object_release(&n->base);
    return hr;
}

int32_t hcs_port_reserve(hcs_guest_network gns, hcs_port_protocol protocol, bool shared, uint16_t port,
                         hcs_port_reservation *out, hcs_error *err)
{
    if (protocol < HCS_PORT_TCP || protocol > HCS_PORT_BOTH)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, "HcnReserveGuestNetworkServicePort", "unknown protocol %d",
                         (int)protocol);
    return reserve(gns, protocol, shared, port, 0, NULL, out, err);
}

int32_t hcs_port_reserve_range(hcs_guest_network gns, uint16_t count, uint16_t *first, uint16_t *last,
                               hcs_port_reservation *out, hcs_error *err)
{
    HCN_PORT_RANGE_RESERVATION range = {0, 0};
    int32_t hr = reserve(gns, HCS_PORT_BOTH, false, 0, count, &range, out, err);
    if (first)
        *first = HCS_SUCCEEDED(hr) ? range.startingPort : 0;
    if (last)
        *last = HCS_SUCCEEDED(hr) ? range.endingPort : 0;
    return hr;
}

void hcs_port_release(hcs_port_reservation reservation)
{
    hcs_object_release(hcs__table_remove(hcs__handles(), reservation.id, HCS_KIND_PORT_RESERVATION));
}

int32_t hcs_port_reservations(hcs_client client, hcs_port_entry **entries, size_t *count, hcs_error *err)
{
    const char *call = "HcnEnumerateGuestNetworkPortReservations";
    if (!entries || !count)
        return hcs__fail(err, HCS_COM_E_POINTER, call, "entries or count is NULL");
    *entries = NULL;
    *count = 0;
    hcs_client_obj *c = hcs__client_acquire(client, call, err);
    if (!c)
        return HCS_WIN32_E_INVALID_HANDLE;
    list_ports_fn fn =
        (list_ports_fn)hcs__client_function(c, offsetof(hcs_api, HcnEnumerateGuestNetworkPortReservations), call, err);
    free_ports_fn release = c->provider->api.HcnFreeGuestNetworkPortReservations;
    int32_t hr = HCS_OK;
    ULONG n = 0;
    HCN_PORT_RANGE_ENTRY *raw = NULL;
    if (!fn || !release)
        hr = hcs__fail(err, HCS_WIN32_E_PROC_NOT_FOUND, call, "not exported");
    else if (HCS_FAILED(hr = fn(&n, &raw)))
        hcs__fail(err, hr, call, "the reservations could not be listed");
    hcs_port_entry *out = HCS_SUCCEEDED(hr) ? calloc(n ? n : 1, sizeof *out) : NULL;
    if (HCS_SUCCEEDED(hr) && !out)
        hr = hcs__fail(err, HCS_COM_E_OUTOFMEMORY, call, "out of memory");
    for (ULONG i = 0; out && i < n; i++) {
        hcs__guid_format(&raw[i].OwningPartitionId, out[i].owner);
        hcs__guid_format(&raw[i].TargetPartitionId, out[i].target);
        out[i].protocol = (hcs_port_protocol)raw[i].Protocol;
        out[i].shared = raw[i].SharingFlags != 0;
        out[i].first = raw[i].StartingPort;
        out[i].last = raw[i].EndingPort;
    }
    if (raw)
        release(raw);
    if (out) {
        *entries = out;
        *count = n;
        hcs__succeed(err);
    }
    hcs__client_release(c);
    return hr;
}

/* ---- notifications ------------------------------------------------------------ */

typedef HRESULT(WINAPI *register_fn)(HCN_NOTIFICATION_CALLBACK, void *, HCN_CALLBACK *);

typedef struct note {
    struct note *next;
    uint32_t type;
    char *data;
} note;

/* A subscription: HCN's callback queues each notification; one worker at
 * a time delivers them in order (worker.h), so user code never runs on
 * HCN's threads. */
typedef struct net_sub {
    hcs_object base;
    hcs_client_obj *client;
    HCN_CALLBACK reg;
    hcs_event_sink sink;
    hcs_mutex mu;
    hcs_cond idle;
    note *head, *tail;
    bool draining, closed;
    uint64_t drainer;
    hcs_work work;
} net_sub;

static void sub_destroy(hcs_object *o)
{
    net_sub *s = (net_sub *)o;
    while (s->head) {
        note *n = s->head;
        s->head = n->next;
        free(n->data);
        free(n);
    }
    hcs__cond_destroy(&s->idle);
    hcs__mutex_destroy(&s->mu);
    hcs__client_release(s->client);
    free(s);
}

static void deliver(net_sub *s, const note *n)
{
    if (s->sink.callback) {
        hcs_event e = {.type = HCS_EVENT_NETWORK, .raw_type = n->type, .data = n->data};
        s->sink.callback(&e, s->sink.user_data);
        return;
    }
    hcs_cq_obj *q = hcs__cq_acquire(s->sink.cq);
    if (!q)
        return;
    hcs_result r;
    hcs__result_init(&r);
    r.call = "HcnRegisterServiceCallback";
    r.event_type = HCS_EVENT_NETWORK;
    r.event_raw_type = n->type;
    r.document = n->data ? strdup(n->data) : NULL;
    r.user_data = s->sink.user_data;
    hcs__cq_push(q, &r);
    hcs__cq_release(q);
}

static void drain(hcs_work *w)
{
    net_sub *s = (net_sub *)((char *)w - offsetof(net_sub, work));
    hcs__mutex_lock(&s->mu);
    s->drainer = hcs__thread_self();
    while (s->head && !s->closed) {
        note *n = s->head;
        s->head = n->next;
        if (!s->head)
            s->tail = NULL;
        hcs__mutex_unlock(&s->mu);
        deliver(s, n);
        free(n->data);
        free(n);
        hcs__mutex_lock(&s->mu);
    }
    s->draining = false;
    s->drainer = 0;
    hcs__cond_broadcast(&s->idle);
    hcs__mutex_unlock(&s->mu);
    hcs_object_release(&s->base);
}

static void CALLBACK on_notification(DWORD type, void *context, HRESULT status, PCWSTR data)
{
    (void)status;
    net_sub *s = context;
    note *n = calloc(1, sizeof *n);
    if (!n)
        return;
    n->type = type & ~(DWORD)HcnNotificationFlagsReserved; /* §2.7: the upper bits are flags */
    if (data && hcs__utf16_to_utf8((const uint16_t *)data, &n->data) != 0)
        n->data = NULL;
    hcs__mutex_lock(&s->mu);
    *(s->tail ? &s->tail->next : &s->head) = n;
    s->tail = n;
    bool start = !s->draining && !s->closed;
    s->draining |= start;
    if (start)
        hcs_object_retain(&s->base);
    hcs__mutex_unlock(&s->mu);
    if (start)
        hcs__work_post(&s->work, drain);
}

int32_t hcs_network_subscribe(hcs_client client, const hcs_event_sink *sink, hcs_subscription *out, hcs_error *err)
{
    const char *call = "HcnRegisterServiceCallback";
    if (out)
        out->id = 0;
    if (!sink || !out || !sink->callback == !sink->cq.id)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, call, "give a sink with a callback or a queue, and out");
    if (!sink->callback && !hcs__cq_valid(sink->cq))
        return hcs__fail(err, HCS_WIN32_E_INVALID_HANDLE, call, "the completion queue is closed");
    hcs_client_obj *c = hcs__client_acquire(client, call, err);
    if (!c)
        return HCS_WIN32_E_INVALID_HANDLE;
    net_sub *s = calloc(1, sizeof *s);
    if (!s) {
        hcs__client_release(c);
        return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, call, "out of memory");
    }
    hcs_object_init(&s->base, sub_destroy);
    hcs__mutex_init(&s->mu);
    hcs__cond_init(&s->idle);
    s->client = c;
    s->sink = *sink;
    register_fn fn = (register_fn)hcs__client_function(c, offsetof(hcs_api, HcnRegisterServiceCallback), call, err);
    int32_t hr = fn ? fn(on_notification, s, &s->reg) : HCS_WIN32_E_PROC_NOT_FOUND;
    if (fn && HCS_FAILED(hr))
        hcs__fail(err, hr, call, "the subscription was refused");
    if (HCS_SUCCEEDED(hr) && !(out->id = hcs__table_insert(hcs__handles(), HCS_KIND_NET_SUBSCRIPTION, &s->base))) {
        c->provider->api.HcnUnregisterServiceCallback(s->reg);
        hr = hcs__fail(err, HCS_COM_E_OUTOFMEMORY, call, "out of memory");
    }
    if (HCS_SUCCEEDED(hr))
        hcs__succeed(err);
    hcs_object_release(&s->base);
    return hr;
}

bool hcs__network_unsubscribe(hcs_subscription sub)
{
    net_sub *s = (net_sub *)hcs__table_remove(hcs__handles(), sub.id, HCS_KIND_NET_SUBSCRIPTION);
    if (!s)
        return false;
    /* HCN calls no more after this (§4.3 #51); then a delivery running on
     * another thread is waited for, as for HCS events (event.h). */
    if (s->client->provider->api.HcnUnregisterServiceCallback)
        s->client->provider->api.HcnUnregisterServiceCallback(s->reg);
    hcs__mutex_lock(&s->mu);
    s->closed = true;
    while (s->draining && s->drainer != hcs__thread_self())
        hcs__cond_wait(&s->idle, &s->mu);
    hcs__mutex_unlock(&s->mu);
    hcs_object_release(&s->base);
    return true;
}

/* ---- versions and features ------------------------------------------------------ */

/* hcsshim's table (§2.10): a feature is on from `from` on, or within one
 * of the listed major versions from a minor on. */
typedef struct feature_rule {
    uint32_t feature;
    uint32_t from_major, from_minor;
    /* Ranges of earlier majors that have it too: major, first minor. */
    uint32_t extra[4][2];
} feature_rule;

static const feature_rule rules[] = {
    {HCS_NET_FEATURE_ACL, 7, 2, {{0}}},
    {HCS_NET_FEATURE_API_V2, 9, 2, {{0}}},
    {HCS_NET_FEATURE_DSR, 10, 2, {{9, 3}}},
    {HCS_NET_FEATURE_SLASH32_PREFIXES, 10, 4, {{9, 3}}},
    {HCS_NET_FEATURE_VXLAN_PORT, 10, 3, {{0}}},
    {HCS_NET_FEATURE_ACL_PROTOCOL_252, 11, 0, {{0}}},
    {HCS_NET_FEATURE_IPV6_DUAL_STACK, 11, 10, {{0}}},
    {HCS_NET_FEATURE_SESSION_AFFINITY, 12, 0, {{0}}},
    {HCS_NET_FEATURE_L4_PROXY, 13, 1, {{9, 5}, {10, 5}, {11, 11}, {12, 1}}},
    {HCS_NET_FEATURE_SET_POLICY, 13, 0, {{0}}},
    {HCS_NET_FEATURE_L4_WFP_PROXY, 13, 2, {{0}}},
    {HCS_NET_FEATURE_TIER_ACL, 14, 0, {{0}}},
    {HCS_NET_FEATURE_NETWORK_ACL, 15, 0, {{0}}},
    {HCS_NET_FEATURE_DISABLE_HOST_PORT, 15, 1, {{0}}},
    {HCS_NET_FEATURE_MODIFY_LOAD_BALANCER, 15, 4, {{0}}},
};

uint32_t hcs_network_features(hcs_network_version v)
{
    uint32_t set = 0;
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        const feature_rule *r = &rules[i];
        bool on = v.major > r->from_major || (v.major == r->from_major && v.minor >= r->from_minor);
        for (size_t j = 0; !on && j < 4 && r->extra[j][0]; j++)
            on = v.major == r->extra[j][0] && v.minor >= r->extra[j][1];
        if (on)
            set |= r->feature;
    }
    return set;
}

/* HNSCall, the V1 interface in vmcompute.dll: HRESULT (method, path,
 * request, &response), the response freed with CoTaskMemFree. */
typedef HRESULT(WINAPI *hns_call_fn)(PCWSTR, PCWSTR, PCWSTR, PWSTR *);

/* {"Success":true,"Output":{"Major":n,"Minor":m}} (§2.10). */
static bool parse_version(const char *text, hcs_network_version *out)
{
    hcs_schema_doc *doc = hcs__schema_read(HCS_SCHEMA_HCN_ErrorRecord, text);
    const hcs_HCN_ErrorRecord *r = hcs_schema_doc_root(doc);
    hcs_schema_doc *vdoc =
        r ? hcs__schema_read(HCS_SCHEMA_HCN_Version, hcs__schema_kept(&r->unknown_fields, "Output")) : NULL;
    const hcs_HCN_Version *v = hcs_schema_doc_root(vdoc);
    bool ok = v && v->has_Major && v->has_Minor;
    if (ok)
        *out = (hcs_network_version){v->Major, v->Minor};
    hcs_schema_doc_free(vdoc);
    hcs_schema_doc_free(doc);
    return ok;
}

int32_t hcs_network_host_version(hcs_client client, hcs_network_version *out, hcs_error *err)
{
    const char *call = "HNSCall";
    if (!out)
        return hcs__fail(err, HCS_COM_E_POINTER, call, "out is NULL");
    *out = (hcs_network_version){0, 0};
    hcs_client_obj *c = hcs__client_acquire(client, call, err);
    if (!c)
        return HCS_WIN32_E_INVALID_HANDLE;
    hns_call_fn fn = (hns_call_fn)hcs__client_function(c, offsetof(hcs_api, HNSCall), call, err);
    int32_t hr = HCS_WIN32_E_PROC_NOT_FOUND;
    if (fn) {
        PWSTR response = NULL;
        hr = fn((PCWSTR)u"GET", (PCWSTR)u"/globals/version", (PCWSTR)u"", &response);
        char *text = take_string(c, response);
        if (HCS_FAILED(hr))
            hcs__fail_doc(err, hr, call, text, "HNS did not tell its version");
        else if (!parse_version(text, out))
            hr = hcs__fail_doc(err, HCS_E_INVALID_JSON, call, text, "HNS's answer has no Output.Major/Minor");
        else {
            free(text);
            hcs__succeed(err);
        }
    }
    hcs__client_release(c);
    return hr;
}
