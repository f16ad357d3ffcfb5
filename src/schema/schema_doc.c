/* The public schema API (schema.h): documents in arenas, decode, encode and
 * the reflection functions over the generated tables. */
#include "hcs/schema.h"

#include "error_internal.h"
#include "schema/arena.h"
#include "schema/schema_decode.h"
#include "schema/schema_encode.h"

#include <string.h>

struct hcs_schema_doc {
    hcs_arena arena;
    hcs_schema_type type;
    void *root;
};

static const hcs_schema_type_desc *object_type(hcs_schema_type type)
{
    const hcs_schema_type_desc *t = hcs_schema_type_info(type);
    return t && t->kind == HCS_SCHEMA_TYPE_OBJECT ? t : NULL;
}

/* A document whose arena starts with room for about `hint` bytes. */
static hcs_schema_doc *doc_new(hcs_schema_type type, size_t hint)
{
    const hcs_schema_type_desc *t = object_type(type);
    if (!t)
        return NULL;
    hcs_arena arena;
    hcs__arena_init(&arena, hint);
    hcs_schema_doc *doc = hcs__arena_alloc(&arena, sizeof *doc);
    void *root = doc ? hcs__arena_alloc(&arena, t->size) : NULL;
    if (!root) {
        hcs__arena_release(&arena);
        return NULL;
    }
    doc->arena = arena;
    doc->type = type;
    doc->root = root;
    return doc;
}

hcs_schema_doc *hcs_schema_doc_new(hcs_schema_type type) { return doc_new(type, 0); }

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

int32_t hcs_schema_decode(hcs_schema_type type, const char *json, size_t len, const hcs_schema_options *opts,
                          hcs_schema_doc **out, hcs_error *err)
{
    if (!out)
        return hcs__fail(err, HCS_COM_E_POINTER, "hcs_schema_decode", "doc is NULL");
    *out = NULL;
    const hcs_schema_type_desc *t = object_type(type);
    if (!t || (!json && len))
        return hcs__fail(err, HCS_COM_E_INVALIDARG, "hcs_schema_decode", "not an object type or no text");
    /* Decoded documents take about as much memory as their text. */
    hcs_schema_doc *doc = doc_new(type, len + len / 2 + 256);
    if (!doc)
        return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, "hcs_schema_decode", "%s", t->name);
    hcs_schema_decode_failure why = {"", "", 0, false};
    if (!hcs__schema_decode_into(&doc->arena, t, doc->root, json ? json : "", len, opts, &why)) {
        hcs_schema_doc_free(doc);
        if (why.out_of_memory)
            return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, "hcs_schema_decode", "%s", t->name);
        return hcs__fail(err, HCS_E_INVALID_JSON, "hcs_schema_decode", "%s: %s: %s (byte %lu)", t->name, why.where,
                         why.problem, (unsigned long)why.offset);
    }
    *out = doc;
    return hcs__succeed(err);
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

const hcs_schema_type_desc *hcs_schema_type_info(hcs_schema_type type)
{
    return (unsigned)type < HCS_SCHEMA_TYPE_COUNT ? &hcs__schema_types[type] : NULL;
}

int hcs_schema_type_by_name(const char *name)
{
    if (!name)
        return -1;
    /* The table is sorted by name (schema/extract.py sorts it). */
    size_t lo = 0, hi = HCS_SCHEMA_TYPE_COUNT;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(hcs__schema_types[mid].name, name);
        if (c == 0)
            return (int)mid;
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
