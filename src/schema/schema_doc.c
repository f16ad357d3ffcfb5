/* The public schema API (schema.h): documents in arenas, decode, encode and
 * the reflection functions over the generated tables. */
#include "hcs/schema.h"

#include "error_internal.h"
#include "schema/arena.h"
#include "schema/json_reader.h"
#include "schema/schema_decode.h"
#include "schema/schema_encode.h"
#include "schema/schema_read.h"
#include "schema/schema_tables.h"

#include "hcs/network_schema.h"

#include <stdint.h>
#include <string.h>

struct hcs_schema_doc {
    hcs_arena arena;
    hcs_schema_type type;
    void *root; /* the root struct, or the first struct of a root array */
};

static const hcs_schema_type_desc *object_type(hcs_schema_type type)
{
    const hcs_schema_type_desc *t = hcs_schema_type_info(type);
    return t && t->kind == HCS_SCHEMA_TYPE_OBJECT ? t : NULL;
}

/* A document whose arena starts with room for about `hint` bytes; with a
 * zeroed root struct unless the root is to be an array (set later). */
static hcs_schema_doc *doc_new(hcs_schema_type type, size_t hint, bool array)
{
    const hcs_schema_type_desc *t = object_type(type);
    if (!t)
        return NULL;
    hcs_arena arena;
    hcs__arena_init(&arena, hint);
    hcs_schema_doc *doc = hcs__arena_alloc(&arena, sizeof *doc);
    void *root = doc && !array ? hcs__arena_alloc(&arena, t->size) : doc;
    if (!root) {
        hcs__arena_release(&arena);
        return NULL;
    }
    doc->arena = arena;
    doc->type = type;
    doc->root = array ? NULL : root;
    return doc;
}

hcs_schema_doc *hcs_schema_doc_new(hcs_schema_type type) { return doc_new(type, 0, false); }

void *hcs_schema_doc_root(hcs_schema_doc *doc) { return doc ? doc->root : NULL; }

void hcs_schema_doc_free(hcs_schema_doc *doc)
{
    if (!doc)
        return;
    /* The document lives in its own arena: copy the arena out first. */
    hcs_arena arena = doc->arena;
    hcs__arena_release(&arena);
}

void *hcs_schema_alloc(hcs_schema_doc *doc, size_t size) { return doc ? hcs__arena_alloc(&doc->arena, size) : NULL; }

char *hcs_schema_strdup(hcs_schema_doc *doc, const char *s)
{
    if (!doc || !s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *copy = hcs__arena_alloc_raw(&doc->arena, n);
    if (copy)
        memcpy(copy, s, n);
    return copy;
}

/* Decodes json into a new document: its root struct, or (array) the
 * structs of a root array and their count. */
static int32_t decode(const char *call, hcs_schema_type type, const char *json, size_t len,
                      const hcs_schema_options *opts, bool forgiving, hcs_schema_doc **out, size_t *count,
                      hcs_error *err)
{
    const hcs_schema_type_desc *t = object_type(type);
    if (!t || (!json && len))
        return hcs__fail(err, HCS_COM_E_INVALIDARG, call, "not an object type or no text");
    /* Decoded documents take about as much memory as their text. */
    hcs_schema_doc *doc = doc_new(type, len + len / 2 + 256, count != NULL);
    if (!doc)
        return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, call, "%s", t->name);
    hcs_schema_decode_failure why = {"", "", 0, false};
    json = json ? json : "";
    bool ok = count ? hcs__schema_decode_array_into(&doc->arena, t, &doc->root, count, json, len, opts, forgiving, &why)
                    : hcs__schema_decode_into(&doc->arena, t, doc->root, json, len, opts, forgiving, &why);
    if (!ok) {
        hcs_schema_doc_free(doc);
        if (why.out_of_memory)
            return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, call, "%s", t->name);
        return hcs__fail(err, HCS_E_INVALID_JSON, call, "%s%s: %s: %s (byte %lu)", count ? "array of " : "", t->name,
                         why.where, why.problem, (unsigned long)why.offset);
    }
    *out = doc;
    return hcs__succeed(err);
}

int32_t hcs_schema_decode(hcs_schema_type type, const char *json, size_t len, const hcs_schema_options *opts,
                          hcs_schema_doc **out, hcs_error *err)
{
    if (!out)
        return hcs__fail(err, HCS_COM_E_POINTER, "hcs_schema_decode", "doc is NULL");
    *out = NULL;
    return decode("hcs_schema_decode", type, json, len, opts, false, out, NULL, err);
}

int32_t hcs_schema_decode_array(hcs_schema_type type, const char *json, size_t len, const hcs_schema_options *opts,
                                hcs_schema_doc **out, size_t *count, hcs_error *err)
{
    if (!out || !count)
        return hcs__fail(err, HCS_COM_E_POINTER, "hcs_schema_decode_array", "doc or count is NULL");
    *out = NULL;
    *count = 0;
    return decode("hcs_schema_decode_array", type, json, len, opts, false, out, count, err);
}

/* ---- libhcs reading HCS's documents (schema_read.h) --------------------- */

hcs_schema_doc *hcs__schema_read(hcs_schema_type type, const char *json)
{
    hcs_schema_doc *doc = NULL;
    if (json)
        decode("hcs__schema_read", type, json, strlen(json), NULL, true, &doc, NULL, NULL);
    return doc;
}

const char *hcs__schema_kept(const hcs_unknown_fields *u, const char *name)
{
    for (size_t i = 0; i < u->count; i++)
        if (strcmp(u->items[i].name, name) == 0)
            return u->items[i].json;
    return NULL;
}

bool hcs__schema_kept_integer(const hcs_unknown_fields *u, const char *name, int64_t *out)
{
    const char *raw = hcs__schema_kept(u, name);
    if (!raw)
        return false;
    hcs_json_in in = {raw, raw, raw + strlen(raw), NULL, NULL};
    bool negative;
    uint64_t m;
    if (!hcs__json_integer(&in, &negative, &m) || in.p != in.end)
        return false;
    if (m > (negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX))
        return false;
    /* Negate in unsigned arithmetic: INT64_MIN has no positive twin. */
    *out = negative && m > (uint64_t)INT64_MAX ? INT64_MIN : negative ? -(int64_t)m : (int64_t)m;
    return true;
}

int32_t hcs_schema_encode(hcs_schema_type type, const void *value, const hcs_schema_options *opts, char **json,
                          hcs_error *err)
{
    if (!json)
        return hcs__fail(err, HCS_COM_E_POINTER, "hcs_schema_encode", "json is NULL");
    *json = NULL;
    const hcs_schema_type_desc *t = object_type(type);
    if (!t || !value)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, "hcs_schema_encode", "not an object type or no value");
    hcs_json_out out = {0};
    hcs_schema_encode_failure why = {"", ""};
    if (!hcs__schema_encode_value(&out, t, value, opts, &why)) {
        bool oom = out.failed;
        hcs__json_out_discard(&out);
        if (oom)
            return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, "hcs_schema_encode", "%s", t->name);
        return hcs__fail(err, HCS_COM_E_INVALIDARG, "hcs_schema_encode", "%s: %s: %s", t->name, why.where, why.problem);
    }
    *json = hcs__json_out_take(&out);
    if (!*json)
        return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, "hcs_schema_encode", "%s", t->name);
    return hcs__succeed(err);
}

/* ---- reflection --------------------------------------------------------- */

const hcs_schema_type_desc *hcs__schema_desc(uint32_t ref)
{
    if (ref < HCS_SCHEMA_TYPE_COUNT)
        return &hcs__schema_types[ref];
    if (ref >= HCS_HCN_SCHEMA_BASE && ref - HCS_HCN_SCHEMA_BASE < hcs__hcn_schema_type_count)
        return &hcs__hcn_schema_types[ref - HCS_HCN_SCHEMA_BASE];
    return NULL;
}

uint16_t hcs__schema_ref(const hcs_schema_type_desc *t)
{
    if (t >= hcs__hcn_schema_types && t < hcs__hcn_schema_types + hcs__hcn_schema_type_count)
        return (uint16_t)(HCS_HCN_SCHEMA_BASE + (t - hcs__hcn_schema_types));
    return (uint16_t)(t - hcs__schema_types);
}

const hcs_schema_type_desc *hcs_schema_type_info(hcs_schema_type type) { return hcs__schema_desc((uint32_t)type); }

int hcs_schema_type_by_name(const char *name)
{
    if (!name)
        return -1;
    for (size_t i = 0; i < hcs__hcn_schema_type_count; i++)
        if (strcmp(hcs__hcn_schema_types[i].name, name) == 0)
            return (int)(HCS_HCN_SCHEMA_BASE + i);
    size_t lo = 0, hi = HCS_SCHEMA_TYPE_COUNT;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(hcs__schema_types[hcs__schema_by_name[mid]].name, name);
        if (c == 0)
            return (int)hcs__schema_by_name[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

const char *hcs_schema_enum_string(hcs_schema_type type, int32_t value)
{
    const hcs_schema_type_desc *t = hcs_schema_type_info(type);
    if (!t || t->kind != HCS_SCHEMA_TYPE_ENUM || value <= 0 || (size_t)value > t->count)
        return NULL;
    return t->values[value - 1].name;
}
