/* The simulated HCN service: store, handles, calls, notifications and port
 * reservations (see hcn.h). The rules of each object type live in
 * hcn_objects.c. */
#include "hcn.h"

#include "fault.h"
#include "result.h"

#include "platform/thread.h"
#include "util/guid.h"
#include "util/handle_table.h"
#include "util/hresult_table.h"
#include "util/utf16.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A handle names an object by id, not by pointer: deleting the object
 * leaves the handle valid but unusable (§4.2 #29). */
typedef struct hcn_handle {
    hcs_object base;
    hcn_kind kind;
    char id[HCN_ID_LEN + 1];
} hcn_handle;

typedef struct registration {
    uint64_t id;
    hcn_kind kind; /* HCN_KINDS: the service */
    char target[HCN_ID_LEN + 1];
    HCN_NOTIFICATION_CALLBACK cb;
    void *context;
    struct registration *next;
} registration;

typedef struct note {
    DWORD type;
    char target[HCN_ID_LEN + 1]; /* "" for the service */
    char *data;
    struct note *next;
} note;

typedef struct reservation {
    uint64_t id;
    char gns[HCN_ID_LEN + 1];
    HCN_PORT_PROTOCOL protocol;
    HCN_PORT_ACCESS access;
    USHORT first, last;
    struct reservation *next;
} reservation;

struct hcn_store {
    hcs_mutex mu;
    hcs_cond cond;
    json_t *objects[HCN_KINDS];
    uint32_t serial;
    uint64_t next_id; /* registrations and reservations */
    registration *registrations;
    note *notes, **notes_tail;
    bool notifier_started;
    uint64_t notifier_thread;
    uint64_t delivering; /* registration whose callback runs now, or 0 */
    reservation *reservations;
};

static hcn_store store;
static hcs_handle_table handles;
static hcs_once once = HCS_ONCE_INIT;

static void init(void)
{
    hcs__mutex_init(&store.mu);
    hcs__cond_init(&store.cond);
    for (int k = 0; k < HCN_KINDS; k++)
        store.objects[k] = json_object();
    store.notes_tail = &store.notes;
    store.next_id = 1;
    hcs__table_init(&handles);
}

static hcn_store *lock(void)
{
    hcs__call_once(&once, init);
    hcs__mutex_lock(&store.mu);
    return &store;
}

static void unlock(hcn_store *s) { hcs__mutex_unlock(&s->mu); }

json_t *hcssim__hcn_objects(hcn_store *s, hcn_kind kind) { return s->objects[kind]; }

uint32_t hcssim__hcn_next_serial(hcn_store *s) { return s->serial++; }

/* ---- strings handed to the caller (§2.3) ------------------------------- */

static HRESULT json_out(json_t *doc, PWSTR *out)
{
    char *text = doc ? json_dumps(doc, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    HRESULT hr = text ? hcssim__task_string_out(text, out) : E_OUTOFMEMORY;
    free(text);
    return hr;
}

/* The error record of §2.3 / §4.2 #21: the code's text with the trailing
 * space the system message has, and the HRESULT as unsigned decimal. A
 * detail, when given, follows the text. Success leaves *error NULL. */
static HRESULT fail(HRESULT hr, const char *detail, PWSTR *error)
{
    if (!error || SUCCEEDED(hr))
        return hr;
    const hcs_hresult_info *info = hcs__hresult_lookup(hr);
    char text[512];
    snprintf(text, sizeof text, "%s%s%s ", info ? info->message : "The operation failed.", detail ? " " : "",
             detail ? detail : "");
    json_t *doc = json_pack("{s:b, s:s, s:I}", "Success", 0, "Error", text, "ErrorCode", (json_int_t)(uint32_t)hr);
    json_out(doc, error);
    json_decref(doc);
    return hr;
}

/* Clears the out parameters every call starts with. */
static void clear_out(PWSTR *out, PWSTR *error)
{
    if (out)
        *out = NULL;
    if (error)
        *error = NULL;
}

/* A fault plan rule for this call (docs/fault-plans.md): only `at:
 * "kickoff"` applies, HCN calls being synchronous. */
static HRESULT fault_hit(const char *call, const char *id, PWSTR *error)
{
    sim_fault f;
    hcssim__fault_lookup(call, id, &f);
    HRESULT hr = S_OK;
    if (f.at_kickoff || f.at_completion) /* fault.c accepts only failures; E_FAIL keeps a hit one regardless */
        hr = fail(FAILED(f.hr) ? f.hr : E_FAIL, f.message ? f.message : "injected by the fault plan", error);
    hcssim__fault_clear(&f);
    return hr;
}

static const char *const call_names[][HCN_KINDS] = {
#define NAMES(verb, suffix)                                                                                            \
    {                                                                                                                  \
        "Hcn" verb "Network" suffix, "Hcn" verb "Endpoint" suffix, "Hcn" verb "Namespace" suffix,                      \
            "Hcn" verb "LoadBalancer" suffix, "Hcn" verb "SdnRoute" suffix, "Hcn" verb "GuestNetworkService" suffix    \
    }
    NAMES("Enumerate", "s"), NAMES("Create", ""),          NAMES("Open", ""),
    NAMES("Modify", ""),     NAMES("Query", "Properties"), NAMES("Delete", ""),
#undef NAMES
};
enum { CALL_ENUMERATE, CALL_CREATE, CALL_OPEN, CALL_MODIFY, CALL_QUERY, CALL_DELETE };

/* ---- ids ---------------------------------------------------------------- */

bool hcssim__hcn_id_normalize(const char *text, char out[HCN_ID_LEN + 1])
{
    GUID g;
    if (!hcs__guid_parse(text, &g))
        return false;
    hcs__guid_format(&g, out);
    return true;
}

/* splitmix64 over the clock, the address of a local and a counter: ids
 * unique within the service, which is all HNS promises. */
void hcssim__hcn_guid_random(GUID *out)
{
    static atomic_uint_fast64_t counter;
    int local;
    uint64_t x = hcs__clock_ms() ^ (uint64_t)(uintptr_t)&local ^ (atomic_fetch_add(&counter, 1) * 0x9E3779B97F4A7C15u);
    uint8_t b[16];
    for (size_t i = 0; i < 2; i++) {
        uint64_t z = (x += 0x9E3779B97F4A7C15u);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
        z ^= z >> 31;
        memcpy(b + 8 * i, &z, 8);
    }
    b[6] = (uint8_t)((b[6] & 0x0F) | 0x40); /* version 4 */
    b[8] = (uint8_t)((b[8] & 0x3F) | 0x80);
    out->Data1 = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
    out->Data2 = (uint16_t)(b[4] << 8 | b[5]);
    out->Data3 = (uint16_t)(b[6] << 8 | b[7]);
    memcpy(out->Data4, b + 8, 8);
}

static int ascii_lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

static bool guid_is_null(const GUID *g)
{
    static const GUID zero;
    return memcmp(g, &zero, sizeof zero) == 0;
}

bool hcssim__hcn_strieq(const char *a, const char *b)
{
    if (!a || !b)
        return false;
    for (; *a && *b; a++, b++)
        if (ascii_lower((unsigned char)*a) != ascii_lower((unsigned char)*b))
            return false;
    return *a == *b;
}

const char *hcssim__hcn_str(const json_t *v) { return json_is_string(v) ? json_string_value(v) : ""; }

json_t *hcssim__hcn_get(const json_t *obj, const char *key)
{
    const char *k;
    json_t *v;
    if (!json_is_object(obj))
        return NULL;
    json_t *exact = json_object_get(obj, key);
    if (exact)
        return exact;
    json_object_foreach((json_t *)obj, k, v) if (hcssim__hcn_strieq(k, key)) return v;
    return NULL;
}

/* ---- handles ------------------------------------------------------------ */

#define HANDLE_TAG(kind) (0x48430000u | (uint32_t)(kind))

static void handle_destroy(hcs_object *o) { free(o); }

static void *handle_new(hcn_kind kind, const char *id)
{
    hcn_handle *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    hcs_object_init(&h->base, handle_destroy);
    h->kind = kind;
    memcpy(h->id, id, HCN_ID_LEN + 1);
    uint64_t value = hcs__table_insert(&handles, HANDLE_TAG(kind), &h->base);
    hcs_object_release(&h->base);
    return (void *)(uintptr_t)value;
}

/* The id behind a handle: E_HANDLE-style failure for closed/foreign ones. */
static HRESULT handle_id(hcn_kind kind, void *value, char id[HCN_ID_LEN + 1])
{
    hcs__call_once(&once, init);
    if (!value)
        return E_INVALIDARG;
    hcs_object *o = hcs__table_acquire(&handles, (uint64_t)(uintptr_t)value, HANDLE_TAG(kind));
    if (!o)
        return HCS_WIN32_E_INVALID_HANDLE;
    memcpy(id, ((hcn_handle *)o)->id, HCN_ID_LEN + 1);
    hcs_object_release(o);
    return S_OK;
}

unsigned hcssim__hcn_live_handles(void)
{
    hcs__call_once(&once, init);
    return hcs__table_live(&handles);
}

HRESULT hcssim__hcn_close(hcn_kind kind, void *value)
{
    hcs__call_once(&once, init);
    if (!value)
        return E_INVALIDARG;
    hcs_object *o = hcs__table_remove(&handles, (uint64_t)(uintptr_t)value, HANDLE_TAG(kind));
    if (!o)
        return HCS_WIN32_E_INVALID_HANDLE;
    hcs_object_release(o);
    return S_OK;
}

/* ---- documents in ------------------------------------------------------- */

/* Settings or a query as JSON. required: NULL is E_INVALIDARG rather than
 * "no document". Fails with HCN_E_INVALID_JSON (§4.2 #31). */
static HRESULT parse_doc(PCWSTR text, bool required, json_t **out, const char **detail)
{
    *out = NULL;
    if (!text)
        return required ? E_INVALIDARG : S_OK;
    char *utf8;
    if (hcs__utf16_to_utf8((const uint16_t *)text, &utf8) != 0) {
        *detail = "the document is not valid UTF-16";
        return HCN_E_INVALID_JSON;
    }
    if (!required && (utf8[0] == 0)) {
        free(utf8);
        return S_OK;
    }
    json_error_t jerr;
    *out = json_loads(utf8, JSON_REJECT_DUPLICATES, &jerr);
    free(utf8);
    if (!json_is_object(*out)) {
        json_decref(*out);
        *out = NULL;
        *detail = "the document is not a JSON object";
        return HCN_E_INVALID_JSON;
    }
    return S_OK;
}

/* ---- notifications (§2.7) ----------------------------------------------- */

static void notifier(void *arg)
{
    hcn_store *s = arg;
    hcs__mutex_lock(&s->mu);
    s->notifier_thread = hcs__thread_self();
    for (;;) {
        while (!s->notes)
            hcs__cond_wait(&s->cond, &s->mu);
        note *n = s->notes;
        s->notes = n->next;
        if (!s->notes)
            s->notes_tail = &s->notes;
        uint16_t *data = NULL;
        hcs__utf8_to_utf16(n->data, &data);
        /* Each registration is looked up again after every callback, so
         * one unregistered meanwhile is never called (§4.3 #51). */
        uint64_t done = 0;
        for (;;) {
            /* The oldest registration not yet called: in the order made. */
            registration *r = NULL;
            for (registration *x = s->registrations; x; x = x->next)
                if (x->id > done && strcmp(x->target, n->target) == 0 && (!r || x->id < r->id))
                    r = x;
            if (!r)
                break;
            done = r->id;
            HCN_NOTIFICATION_CALLBACK cb = r->cb;
            void *ctx = r->context;
            s->delivering = r->id;
            hcs__mutex_unlock(&s->mu);
            cb(n->type, ctx, S_OK, (PCWSTR)data);
            hcs__mutex_lock(&s->mu);
            s->delivering = 0;
            hcs__cond_broadcast(&s->cond);
        }
        free(data);
        free(n->data);
        free(n);
    }
}

void hcssim__hcn_notify(hcn_store *s, DWORD type, const char *target, const char *id, json_t *payload)
{
    bool wanted = false;
    for (registration *r = s->registrations; r && !wanted; r = r->next)
        wanted = strcmp(r->target, target ? target : "") == 0;
    note *n = wanted ? calloc(1, sizeof *n) : NULL;
    json_t *doc = payload ? json_incref(payload) : json_pack("{s:s, s:i}", "ID", id, "Flags", 0);
    if (n)
        n->data = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    if (!n || !n->data) {
        free(n);
        return;
    }
    n->type = type;
    snprintf(n->target, sizeof n->target, "%s", target ? target : "");
    *s->notes_tail = n;
    s->notes_tail = &n->next;
    if (!s->notifier_started) {
        hcs_thread t;
        if (hcs__thread_start(&t, notifier, s) == 0) {
            hcs__thread_detach(t);
            s->notifier_started = true;
        }
    }
    hcs__cond_broadcast(&s->cond);
}

HRESULT hcssim__hcn_register(hcn_kind kind, void *target, HCN_NOTIFICATION_CALLBACK cb, void *context,
                             HCN_CALLBACK *out)
{
    if (out)
        *out = NULL;
    if (!cb || !out)
        return E_INVALIDARG;
    char id[HCN_ID_LEN + 1] = "";
    if (kind != HCN_KINDS) {
        HRESULT hr = handle_id(kind, target, id);
        if (FAILED(hr))
            return hr;
    }
    registration *r = calloc(1, sizeof *r);
    if (!r)
        return E_OUTOFMEMORY;
    hcn_store *s = lock();
    if (kind != HCN_KINDS && !json_object_get(s->objects[kind], id)) {
        unlock(s);
        free(r);
        return HCN_E_OBJECT_USED_AFTER_UNLOAD;
    }
    r->id = s->next_id++;
    r->kind = kind;
    memcpy(r->target, id, sizeof r->target);
    r->cb = cb;
    r->context = context;
    r->next = s->registrations;
    s->registrations = r;
    *out = (HCN_CALLBACK)(uintptr_t)r->id;
    unlock(s);
    return S_OK;
}

/* After it returns no callback of the registration runs or will run,
 * unless it is called from that very callback (§4.3 #51, inferred). */
HRESULT hcssim__hcn_unregister(HCN_CALLBACK registration_handle)
{
    uint64_t id = (uint64_t)(uintptr_t)registration_handle;
    if (!id)
        return E_INVALIDARG;
    hcn_store *s = lock();
    registration **p = &s->registrations;
    while (*p && (*p)->id != id)
        p = &(*p)->next;
    registration *r = *p;
    if (r)
        *p = r->next;
    while (r && s->delivering == id && s->notifier_thread != hcs__thread_self())
        hcs__cond_wait(&s->cond, &s->mu);
    unlock(s);
    free(r);
    return r ? S_OK : HCS_WIN32_E_INVALID_HANDLE;
}

/* ---- the object calls ---------------------------------------------------- */

/* The query document of §2.5: output version, Detailed flag and filter. */
typedef struct query {
    bool v2, detailed;
    json_t *filter; /* object or NULL */
} query;

static HRESULT parse_query(PCWSTR text, query *q, const char **detail)
{
    memset(q, 0, sizeof *q);
    json_t *doc;
    HRESULT hr = parse_doc(text, false, &doc, detail);
    if (FAILED(hr) || !doc)
        return hr;
    json_t *major = hcssim__hcn_get(hcssim__hcn_get(doc, "SchemaVersion"), "Major");
    q->v2 = json_integer_value(major) >= 2;
    json_t *flags = hcssim__hcn_get(doc, "Flags");
    q->detailed = (json_is_integer(flags) && (json_integer_value(flags) & 1)) ||
                  (json_is_string(flags) && hcssim__hcn_strieq(json_string_value(flags), "Detailed"));
    json_t *filter = hcssim__hcn_get(doc, "Filter");
    if (filter && !json_is_null(filter)) {
        /* A string holding a JSON object (§4.3 #34); an embedded object is
         * refused as HNS's typed parser would (inferred). */
        const char *f = json_string_value(filter);
        json_error_t jerr;
        q->filter = f && *f ? json_loads(f, 0, &jerr) : f ? json_object() : NULL;
        if (!json_is_object(q->filter)) {
            json_decref(q->filter);
            q->filter = NULL;
            hr = HCN_E_INVALID_JSON;
            *detail = "Filter must be a string holding a JSON object";
        }
    }
    json_decref(doc);
    return hr;
}

/* A JSON value as the text filters compare (§2.5: values compared as
 * strings; booleans in .NET's spelling, as clients send "False"). */
static char *value_text(const json_t *v)
{
    if (json_is_string(v))
        return strdup(json_string_value(v));
    if (json_is_true(v))
        return strdup("True");
    if (json_is_false(v))
        return strdup("False");
    return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

static bool values_equal(const json_t *a, const json_t *b)
{
    char *x = value_text(a), *y = value_text(b);
    char nx[HCN_ID_LEN + 1], ny[HCN_ID_LEN + 1];
    bool eq = x && y &&
              (hcssim__hcn_strieq(x, y) ||
               (hcssim__hcn_id_normalize(x, nx) && hcssim__hcn_id_normalize(y, ny) && strcmp(nx, ny) == 0));
    free(x);
    free(y);
    return eq;
}

/* Every filter key must be a V1 or V2 property with an equal value; an
 * unknown key matches nothing (inferred, §4.3 #34). */
static bool matches(hcn_store *s, hcn_kind kind, json_t *doc, json_t *filter)
{
    const char *key;
    json_t *want;
    if (!filter || json_object_size(filter) == 0)
        return true;
    json_t *v1 = hcssim__hcn_object_v1(s, kind, doc);
    bool ok = true;
    json_object_foreach(filter, key, want)
    {
        json_t *have = hcssim__hcn_get(v1, key);
        if (!have)
            have = hcssim__hcn_get(doc, key);
        if (!have || !values_equal(have, want)) {
            ok = false;
            break;
        }
    }
    json_decref(v1);
    return ok;
}

HRESULT hcssim__hcn_enumerate(hcn_kind kind, PCWSTR query_text, PWSTR *out, PWSTR *error)
{
    clear_out(out, error);
    if (!out)
        return fail(E_INVALIDARG, "the result pointer is NULL", error);
    HRESULT hr;
    if (FAILED(hr = fault_hit(call_names[CALL_ENUMERATE][kind], NULL, error)))
        return hr;
    query q;
    const char *detail = NULL;
    hr = parse_query(query_text, &q, &detail);
    if (FAILED(hr))
        return fail(hr, detail, error);
    json_t *ids = json_array();
    hcn_store *s = lock();
    const char *id;
    json_t *doc;
    json_object_foreach(s->objects[kind], id, doc) if (matches(s, kind, doc, q.filter))
        json_array_append_new(ids, json_string(id));
    unlock(s);
    hr = json_out(ids, out);
    json_decref(ids);
    json_decref(q.filter);
    return fail(hr, NULL, error);
}

HRESULT hcssim__hcn_create(hcn_kind kind, void *network, REFGUID guid, PCWSTR settings, void **handle, PWSTR *error)
{
    clear_out(NULL, error);
    if (handle)
        *handle = NULL;
    if (!guid || !handle)
        return fail(E_INVALIDARG, "a required pointer is NULL", error);
    char network_id[HCN_ID_LEN + 1] = "";
    HRESULT hr;
    if (kind == HCN_KIND_ENDPOINT && FAILED(hr = handle_id(HCN_KIND_NETWORK, network, network_id)))
        return fail(hr, "the network handle is not valid (storage-and-network §4.2 #30)", error);
    GUID g = *guid;
    if (guid_is_null(&g))
        hcssim__hcn_guid_random(&g); /* §4.2 #25 */
    char id[HCN_ID_LEN + 1];
    hcs__guid_format(&g, id);
    if (FAILED(hr = fault_hit(call_names[CALL_CREATE][kind], id, error)))
        return hr;
    json_t *doc;
    const char *detail = NULL;
    if (FAILED(hr = parse_doc(settings, true, &doc, &detail)))
        return fail(hr, detail, error);
    json_object_del(doc, "id"); /* ours wins over any spelling */
    json_object_set_new(doc, "ID", json_string(id));
    hcn_store *s = lock();
    if (kind == HCN_KIND_NETWORK)
        hcssim__hcn_notify(s, HcnNotificationNetworkPreCreate, NULL, id, NULL);
    hr = hcssim__hcn_object_create(s, kind, network_id, doc, &detail);
    /* The document may name another id: the host default namespace
     * (§4.3 #43), S_FALSE when it exists already. */
    snprintf(id, sizeof id, "%s", hcssim__hcn_str(json_object_get(doc, "ID")));
    if (hr == S_OK && json_object_get(s->objects[kind], id)) {
        hr = HCS_WIN32_E_OBJECT_ALREADY_EXISTS; /* §4.2 #26 */
        detail = "an object with this id exists";
    }
    if (hr == S_OK) {
        json_object_set(s->objects[kind], id, doc);
        DWORD type = hcssim__hcn_create_notification(kind);
        if (type)
            hcssim__hcn_notify(s, type, NULL, id, NULL);
        if (kind == HCN_KIND_ENDPOINT)
            hcssim__hcn_notify(s, HcnNotificationNetworkEndpointAttached, network_id, id, NULL);
    }
    json_decref(doc); /* under the lock: the store shares it (jansson's counts are not the lock's) */
    unlock(s);
    if (SUCCEEDED(hr) && !(*handle = handle_new(kind, id)))
        hr = E_OUTOFMEMORY;
    return fail(SUCCEEDED(hr) ? S_OK : hr, detail, error);
}

/* The not-found code of a kind (§4.2 #28): HCN's own where one exists. */
static HRESULT not_found(hcn_kind kind)
{
    return kind == HCN_KIND_NETWORK    ? HCN_E_NETWORK_NOT_FOUND
           : kind == HCN_KIND_ENDPOINT ? HCN_E_ENDPOINT_NOT_FOUND
                                       : HCS_WIN32_E_NOT_FOUND;
}

HRESULT hcssim__hcn_open(hcn_kind kind, REFGUID guid, void **handle, PWSTR *error)
{
    clear_out(NULL, error);
    if (handle)
        *handle = NULL;
    if (!guid || !handle)
        return fail(E_INVALIDARG, "a required pointer is NULL", error);
    char id[HCN_ID_LEN + 1];
    hcs__guid_format(guid, id);
    HRESULT hr;
    if (FAILED(hr = fault_hit(call_names[CALL_OPEN][kind], id, error)))
        return hr;
    hcn_store *s = lock();
    bool found = json_object_get(s->objects[kind], id) != NULL;
    unlock(s);
    if (!found)
        return fail(not_found(kind), NULL, error);
    return fail((*handle = handle_new(kind, id)) ? S_OK : E_OUTOFMEMORY, NULL, error);
}

/* The object behind a handle, locked, or a failure (the store unlocked). */
static HRESULT locked_object(hcn_kind kind, void *handle, int call, hcn_store **s, json_t **doc, char *id, PWSTR *error)
{
    HRESULT hr = handle_id(kind, handle, id);
    if (FAILED(hr)) {
        fail(hr, "the handle is not valid", error);
        return hr;
    }
    if (FAILED(hr = fault_hit(call_names[call][kind], id, error)))
        return hr;
    *s = lock();
    *doc = json_object_get((*s)->objects[kind], id);
    if (!*doc) {
        unlock(*s);
        return fail(HCN_E_OBJECT_USED_AFTER_UNLOAD, "the object was deleted (storage-and-network §4.2 #29)", error);
    }
    return S_OK;
}

HRESULT hcssim__hcn_modify(hcn_kind kind, void *handle, PCWSTR settings, PWSTR *error)
{
    clear_out(NULL, error);
    json_t *request;
    const char *detail = NULL;
    HRESULT hr = parse_doc(settings, true, &request, &detail);
    if (FAILED(hr))
        return fail(hr, detail, error);
    hcn_store *s;
    json_t *doc;
    char id[HCN_ID_LEN + 1];
    if (FAILED(hr = locked_object(kind, handle, CALL_MODIFY, &s, &doc, id, error))) {
        json_decref(request);
        return hr;
    }
    /* Changes apply to a copy, kept only when the whole request is valid. */
    json_t *copy = json_deep_copy(doc);
    hr = hcssim__hcn_object_modify(s, kind, copy, request, &detail);
    if (SUCCEEDED(hr))
        json_object_set(s->objects[kind], id, copy);
    json_decref(copy); /* under the lock, as in create */
    unlock(s);
    json_decref(request);
    return fail(hr, detail, error);
}

HRESULT hcssim__hcn_query(hcn_kind kind, void *handle, const char *what, PCWSTR query_text, PWSTR *out, PWSTR *error)
{
    clear_out(out, error);
    if (!out)
        return fail(E_INVALIDARG, "the result pointer is NULL", error);
    query q;
    const char *detail = NULL;
    HRESULT hr = parse_query(query_text, &q, &detail);
    if (FAILED(hr))
        return fail(hr, detail, error);
    json_decref(q.filter);
    hcn_store *s;
    json_t *doc;
    char id[HCN_ID_LEN + 1];
    if (FAILED(hr = locked_object(kind, handle, CALL_QUERY, &s, &doc, id, error)))
        return hr;
    json_t *view;
    if (what && strcmp(what, "Stats") == 0) /* §2.2: counters of an endpoint without traffic */
        view = json_pack("{s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:i}", "EndpointId", id, "InstanceId", id,
                         "BytesReceived", 0, "BytesSent", 0, "PacketsReceived", 0, "PacketsSent", 0,
                         "DroppedPacketsIncoming", 0, "DroppedPacketsOutgoing", 0);
    else if (what) /* Addresses: the endpoint's IP configurations */
        view = json_incref(hcssim__hcn_get(doc, "IpConfigurations"));
    else
        view = q.v2 ? hcssim__hcn_object_v2(kind, doc, q.detailed) : hcssim__hcn_object_v1(s, kind, doc);
    /* The view shares values with the stored document: written out and
     * released under the lock, which is all that orders their counts. */
    hr = json_out(view ? view : json_array(), out);
    json_decref(view);
    unlock(s);
    return fail(hr, NULL, error);
}

HRESULT hcssim__hcn_delete(hcn_kind kind, REFGUID guid, PWSTR *error)
{
    clear_out(NULL, error);
    if (!guid)
        return fail(E_INVALIDARG, "the id pointer is NULL", error);
    char id[HCN_ID_LEN + 1];
    hcs__guid_format(guid, id);
    HRESULT hr;
    if (FAILED(hr = fault_hit(call_names[CALL_DELETE][kind], id, error)))
        return hr;
    const char *detail = NULL;
    hcn_store *s = lock();
    json_t *doc = json_incref(json_object_get(s->objects[kind], id));
    if (!doc)
        hr = not_found(kind);
    else
        hr = hcssim__hcn_object_may_delete(s, kind, doc, &detail);
    if (SUCCEEDED(hr)) {
        if (kind == HCN_KIND_NETWORK)
            hcssim__hcn_notify(s, HcnNotificationNetworkPreDelete, NULL, id, NULL);
        json_object_del(s->objects[kind], id);
        hcssim__hcn_object_deleted(s, kind, doc);
        DWORD type = hcssim__hcn_delete_notification(kind);
        if (type)
            hcssim__hcn_notify(s, type, NULL, id, NULL);
        if (kind == HCN_KIND_ENDPOINT) {
            const char *net = json_string_value(json_object_get(doc, "HostComputeNetwork"));
            hcssim__hcn_notify(s, HcnNotificationNetworkEndpointDetached, net, id, NULL);
        }
        /* A deleted guest network service takes its reservations along. */
        for (reservation **p = &s->reservations; *p;) {
            reservation *r = *p;
            if (kind == HCN_KIND_GNS && strcmp(r->gns, id) == 0) {
                *p = r->next;
                free(r);
            } else {
                p = &r->next;
            }
        }
    }
    json_decref(doc); /* under the lock, as in create */
    unlock(s);
    return fail(hr, detail, error);
}

/* ---- compute systems in namespaces (§3.2 step 5) ------------------------- */

static json_t *namespace_resources(hcn_store *s, const char *namespace_id)
{
    char id[HCN_ID_LEN + 1];
    if (!hcssim__hcn_id_normalize(namespace_id, id))
        return NULL;
    json_t *ns = json_object_get(s->objects[HCN_KIND_NAMESPACE], id);
    json_t *res = json_object_get(ns, "Resources");
    if (ns && !res)
        json_object_set_new(ns, "Resources", res = json_array());
    return res;
}

HRESULT hcssim__hcn_attach_container(const char *namespace_id, const char *system_id)
{
    hcn_store *s = lock();
    json_t *res = namespace_resources(s, namespace_id);
    if (res)
        json_array_append_new(res, json_pack("{s:s, s:{s:s}}", "Type", "Container", "Data", "ID", system_id));
    unlock(s);
    return res ? S_OK : HCN_E_NAMESPACE_ATTACH_FAILED;
}

void hcssim__hcn_detach_container(const char *namespace_id, const char *system_id)
{
    hcn_store *s = lock();
    json_t *res = namespace_resources(s, namespace_id);
    for (size_t i = json_array_size(res); i-- > 0;) {
        json_t *r = json_array_get(res, i);
        if (strcmp(hcssim__hcn_str(hcssim__hcn_get(r, "Type")), "Container") == 0 &&
            strcmp(hcssim__hcn_str(hcssim__hcn_get(hcssim__hcn_get(r, "Data"), "ID")), system_id) == 0)
            json_array_remove(res, i);
    }
    unlock(s);
}

json_t *hcssim__hcn_namespace_endpoints(const char *namespace_id)
{
    hcn_store *s = lock();
    json_t *res = namespace_resources(s, namespace_id);
    json_t *ids = res ? json_array() : NULL;
    size_t i;
    json_t *r;
    json_array_foreach(res, i, r) if (strcmp(hcssim__hcn_str(hcssim__hcn_get(r, "Type")), "Endpoint") == 0)
        json_array_append(ids, hcssim__hcn_get(hcssim__hcn_get(r, "Data"), "ID"));
    unlock(s);
    return ids;
}

/* ---- port reservations (§2.8) ---------------------------------------------- */

static bool protocols_overlap(HCN_PORT_PROTOCOL a, HCN_PORT_PROTOCOL b) { return (a & b) != 0; }

/* Does [first, last] clash with a reservation (§4.3 #52: exclusive
 * reservations exclude everything, shared ones coexist)? */
static bool port_taken(hcn_store *s, HCN_PORT_PROTOCOL protocol, HCN_PORT_ACCESS access, unsigned first, unsigned last)
{
    for (reservation *r = s->reservations; r; r = r->next)
        if (protocols_overlap(r->protocol, protocol) && first <= r->last && r->first <= last &&
            (access == HCN_PORT_ACCESS_EXCLUSIVE || r->access == HCN_PORT_ACCESS_EXCLUSIVE))
            return true;
    return false;
}

HRESULT hcssim__hcn_reserve_port(void *gns, HCN_PORT_PROTOCOL protocol, HCN_PORT_ACCESS access, USHORT port,
                                 USHORT count, HCN_PORT_RANGE_RESERVATION *range, HANDLE *out)
{
    if (out)
        *out = NULL;
    bool is_range = range != NULL;
    if (!out || (is_range ? count == 0
                          : (protocol < HCN_PORT_PROTOCOL_TCP || protocol > HCN_PORT_PROTOCOL_BOTH ||
                             access < HCN_PORT_ACCESS_EXCLUSIVE || access > HCN_PORT_ACCESS_SHARED)))
        return E_INVALIDARG;
    hcn_store *s;
    json_t *doc;
    char id[HCN_ID_LEN + 1];
    HRESULT hr = locked_object(HCN_KIND_GNS, gns, CALL_MODIFY, &s, &doc, id, NULL);
    if (FAILED(hr))
        return hr;
    unsigned first = port, last = port;
    if (is_range) {
        /* The service picks the range: the lowest free one of `count`
         * ports in the dynamic range 49152-65535 (inferred; §2.8 leaves
         * the size rule open, ours is count ports inclusive). */
        protocol = HCN_PORT_PROTOCOL_BOTH;
        access = HCN_PORT_ACCESS_EXCLUSIVE;
        for (first = 49152; first + count - 1 <= 65535u; first++)
            if (!port_taken(s, protocol, access, first, first + count - 1u))
                break;
        last = first + count - 1u;
    }
    reservation *r = NULL;
    if (last > 65535u || port_taken(s, protocol, access, first, last))
        hr = HCN_E_PORT_ALREADY_EXISTS;
    else if (!(r = calloc(1, sizeof *r)))
        hr = E_OUTOFMEMORY;
    if (r) {
        r->id = s->next_id++;
        memcpy(r->gns, id, sizeof r->gns);
        r->protocol = protocol;
        r->access = access;
        r->first = (USHORT)first;
        r->last = (USHORT)last;
        r->next = s->reservations;
        s->reservations = r;
        *out = (HANDLE)(uintptr_t)r->id;
        if (is_range) {
            range->startingPort = r->first;
            range->endingPort = r->last;
        }
    }
    unlock(s);
    return hr;
}

HRESULT hcssim__hcn_release_port(HANDLE handle)
{
    uint64_t id = (uint64_t)(uintptr_t)handle;
    hcn_store *s = lock();
    reservation **p = &s->reservations;
    while (*p && (*p)->id != id)
        p = &(*p)->next;
    reservation *r = *p;
    if (r)
        *p = r->next;
    unlock(s);
    free(r);
    return r ? S_OK : HCS_WIN32_E_INVALID_HANDLE;
}

HRESULT hcssim__hcn_enumerate_ports(ULONG *count, HCN_PORT_RANGE_ENTRY **entries)
{
    if (count)
        *count = 0;
    if (entries)
        *entries = NULL;
    if (!count || !entries)
        return E_INVALIDARG;
    hcn_store *s = lock();
    ULONG n = 0;
    for (reservation *r = s->reservations; r; r = r->next)
        n++;
    HCN_PORT_RANGE_ENTRY *e = hcssim__task_alloc((n ? n : 1) * sizeof *e);
    if (e) {
        memset(e, 0, (n ? n : 1) * sizeof *e);
        ULONG i = 0;
        for (reservation *r = s->reservations; r; r = r->next, i++) {
            json_t *gns = json_object_get(s->objects[HCN_KIND_GNS], r->gns);
            hcs__guid_parse(r->gns, &e[i].OwningPartitionId);
            hcs__guid_parse(json_string_value(hcssim__hcn_get(gns, "VirtualMachineId")), &e[i].TargetPartitionId);
            e[i].Protocol = r->protocol;
            e[i].SharingFlags = r->access == HCN_PORT_ACCESS_SHARED;
            e[i].StartingPort = r->first;
            e[i].EndingPort = r->last;
        }
        *count = n;
        *entries = e;
    }
    unlock(s);
    return e ? S_OK : E_OUTOFMEMORY;
}

void hcssim__hcn_free_ports(HCN_PORT_RANGE_ENTRY *entries) { hcssim__task_free(entries); }
