/* The schema decoder: reads JSON text straight into the generated structs,
 * walking the descriptor tables; every allocation goes to the document's
 * arena. */
#include "schema/schema_decode.h"

#include "schema/json_reader.h"
#include "schema/schema_path.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct decoder {
    hcs_json_in in;
    hcs_arena *arena;
    hcs_schema_mode mode;
    uint32_t max_version;
    bool forgiving;   /* values that do not fit their type are set aside (schema_decode.h) */
    bool broken;      /* the text is not JSON: nothing more is forgiven */
    char problem[96]; /* set with `where` by the innermost failure */
    char where[384];
} decoder;

static bool decode_object(decoder *d, const hcs_schema_type_desc *t, void *obj, const hcs_schema_path *at, int depth);

/* ---- failures ----------------------------------------------------------- */

/* Records the path of the innermost failure; the problem text comes from the
 * scanner unless `problem` is given. Returns false. */
static bool fail(decoder *d, const hcs_schema_path *at, const char *problem)
{
    if (problem)
        hcs__json_fail(&d->in, problem);
    if (!d->where[0]) {
        hcs__schema_path_format(at, d->where, sizeof d->where);
        snprintf(d->problem, sizeof d->problem, "%s", d->in.problem ? d->in.problem : "invalid");
    }
    return false;
}

static bool too_new(decoder *d, const hcs_schema_path *at, uint32_t since)
{
    if (d->mode != HCS_SCHEMA_STRICT || !d->max_version || since <= d->max_version)
        return false;
    fail(d, at, NULL);
    snprintf(d->problem, sizeof d->problem, "needs schema %u.%u, newer than %u.%u", (unsigned)(since >> 16),
             (unsigned)(since & 0xFFFF), (unsigned)(d->max_version >> 16), (unsigned)(d->max_version & 0xFFFF));
    return true;
}

static bool oom(decoder *d, const hcs_schema_path *at) { return fail(d, at, "out of memory"); }

/* Forgiving reads: after the value at value_at failed to decode, whether it
 * is a misfit (valid JSON of another type, or a number out of range) that
 * the caller sets aside. If so the failure is forgotten and the scanner is
 * back at value_at; if not (text that is not JSON, out of memory, not
 * forgiving) the failure stands. */
static bool misfit(decoder *d, const char *value_at, int depth)
{
    if (!d->forgiving || d->broken || strcmp(d->problem, "out of memory") == 0)
        return false;
    hcs_json_in probe = {d->in.start, value_at, d->in.end, NULL, NULL};
    if (!hcs__json_skip(&probe, HCS_SCHEMA_MAX_DEPTH - depth)) {
        d->broken = true;
        return false;
    }
    d->in.p = value_at;
    d->in.problem = NULL;
    d->in.at = NULL;
    d->where[0] = '\0';
    d->problem[0] = '\0';
    return true;
}

/* ---- scalars ------------------------------------------------------------ */

static bool decode_int(decoder *d, uint8_t kind, void *dst, const hcs_schema_path *at)
{
    bool neg;
    uint64_t m;
    if (!hcs__json_integer(&d->in, &neg, &m))
        return fail(d, at, NULL);
    /* Largest magnitude allowed, for positive and negative values. */
    static const struct {
        uint64_t pos, neg;
    } range[] = {
        [HCS_SCHEMA_KIND_INT32] = {INT32_MAX, (uint64_t)INT32_MAX + 1},
        [HCS_SCHEMA_KIND_INT64] = {INT64_MAX, (uint64_t)INT64_MAX + 1},
        [HCS_SCHEMA_KIND_UINT8] = {UINT8_MAX, 0},
        [HCS_SCHEMA_KIND_UINT16] = {UINT16_MAX, 0},
        [HCS_SCHEMA_KIND_UINT32] = {UINT32_MAX, 0},
        [HCS_SCHEMA_KIND_UINT64] = {UINT64_MAX, 0},
    };
    if (m > (neg ? range[kind].neg : range[kind].pos)) {
        static const char *const names[] = {
            [HCS_SCHEMA_KIND_INT32] = "integer out of range for int32",
            [HCS_SCHEMA_KIND_INT64] = "integer out of range for int64",
            [HCS_SCHEMA_KIND_UINT8] = "integer out of range for uint8",
            [HCS_SCHEMA_KIND_UINT16] = "integer out of range for uint16",
            [HCS_SCHEMA_KIND_UINT32] = "integer out of range for uint32",
            [HCS_SCHEMA_KIND_UINT64] = "integer out of range for uint64",
        };
        return fail(d, at, names[kind]);
    }
    uint64_t u = neg ? 0 - m : m; /* two's complement of the magnitude */
    switch (kind) {
    case HCS_SCHEMA_KIND_INT32:
        *(int32_t *)dst = (int32_t)(uint32_t)u;
        break;
    case HCS_SCHEMA_KIND_INT64:
        *(int64_t *)dst = (int64_t)u;
        break;
    case HCS_SCHEMA_KIND_UINT8:
        *(uint8_t *)dst = (uint8_t)u;
        break;
    case HCS_SCHEMA_KIND_UINT16:
        *(uint16_t *)dst = (uint16_t)u;
        break;
    case HCS_SCHEMA_KIND_UINT32:
        *(uint32_t *)dst = (uint32_t)u;
        break;
    default:
        *(uint64_t *)dst = u;
        break;
    }
    return true;
}

static bool decode_enum(decoder *d, const hcs_schema_type_desc *t, hcs_enum *dst, const hcs_schema_path *at)
{
    hcs_json_span s;
    if (!hcs__json_span_read(&d->in, &s))
        return fail(d, at, NULL);
    const char *text = s.text;
    size_t len = s.len;
    if (s.escaped) {
        char *decoded = hcs__json_span_decode(&s, d->arena);
        if (!decoded)
            return oom(d, at);
        text = decoded;
        len = strlen(decoded);
    }
    for (size_t i = 0; i < t->count; i++) {
        const hcs_schema_enum_value *v = &t->values[i];
        if (v->name_len == len && memcmp(v->name, text, len) == 0) {
            if (too_new(d, at, v->since))
                return false;
            dst->value = (int32_t)(i + 1);
            dst->text = v->name;
            return true;
        }
    }
    if (d->mode == HCS_SCHEMA_STRICT)
        return fail(d, at, "unknown enum value");
    dst->value = 0;
    dst->text = s.escaped ? text : hcs__json_span_decode(&s, d->arena);
    return dst->text ? true : oom(d, at);
}

/* One value of `kind` into dst; objects are decoded in place (array
 * elements, map values) unless `object_by_pointer` (single fields). */
static bool decode_value(decoder *d, const hcs_schema_field *f, void *dst, bool object_by_pointer,
                         const hcs_schema_path *at, int depth)
{
    switch (f->kind) {
    case HCS_SCHEMA_KIND_BOOL:
        return hcs__json_bool(&d->in, dst) || fail(d, at, NULL);
    case HCS_SCHEMA_KIND_STRING: {
        hcs_json_span s;
        if (!hcs__json_span_read(&d->in, &s))
            return fail(d, at, NULL);
        char *text = hcs__json_span_decode(&s, d->arena);
        *(const char **)dst = text;
        return text ? true : oom(d, at);
    }
    case HCS_SCHEMA_KIND_ANY: {
        char *raw = hcs__json_raw(&d->in, d->arena, HCS_SCHEMA_MAX_DEPTH - depth);
        *(const char **)dst = raw;
        return raw ? true : fail(d, at, NULL);
    }
    case HCS_SCHEMA_KIND_ENUM:
        return decode_enum(d, hcs__schema_desc(f->ref), dst, at);
    case HCS_SCHEMA_KIND_OBJECT: {
        const hcs_schema_type_desc *t = hcs__schema_desc(f->ref);
        if (object_by_pointer) {
            void *obj = hcs__arena_alloc(d->arena, t->size);
            if (!obj)
                return oom(d, at);
            *(void **)dst = obj;
            dst = obj;
        }
        return decode_object(d, t, dst, at, depth + 1);
    }
    default:
        return decode_int(d, f->kind, dst, at);
    }
}

/* ---- arrays and maps ---------------------------------------------------- */

/* An array's elements or a map's entries while they are read. */
typedef struct item_list {
    char *data;
    size_t count, cap;
} item_list;

/* A zeroed slot for the next element of `size` bytes. Doubling keeps the
 * copies few; in the common case the array is the arena's newest
 * allocation and grows in place. */
static char *next_item(decoder *d, item_list *it, size_t size, const hcs_schema_path *at)
{
    if (it->count == it->cap) {
        size_t cap = it->cap ? it->cap * 2 : 4;
        char *p = cap <= SIZE_MAX / size ? hcs__arena_grow(d->arena, it->data, it->cap * size, cap * size) : NULL;
        if (!p) {
            oom(d, at);
            return NULL;
        }
        it->data = p;
        it->cap = cap;
    }
    char *slot = it->data + it->count++ * size;
    memset(slot, 0, size);
    return slot;
}

/* A value inside an array or a map; a misfit is left zeroed (forgiving). */
static bool item_value(decoder *d, const hcs_schema_field *f, char *dst, size_t size, const hcs_schema_path *at,
                       int depth)
{
    hcs__json_ws(&d->in);
    const char *value_at = d->in.p;
    if (decode_value(d, f, dst, false, at, depth))
        return true;
    if (!misfit(d, value_at, depth))
        return false;
    memset(dst, 0, size);
    return hcs__json_skip(&d->in, HCS_SCHEMA_MAX_DEPTH - depth) || fail(d, at, NULL);
}

static bool array_item(decoder *d, const hcs_schema_field *f, item_list *it, const hcs_schema_path *at, int depth)
{
    hcs_schema_path here = {at, HCS_PATH_INDEX, NULL, 0, it->count};
    char *elem = next_item(d, it, f->elem_size, &here);
    return elem && item_value(d, f, elem, f->elem_size, &here, depth);
}

static bool map_item(decoder *d, const hcs_schema_field *f, item_list *it, const hcs_schema_path *at, int depth)
{
    hcs_json_span s;
    if (!hcs__json_span_read(&d->in, &s))
        return fail(d, at, NULL);
    const char *key = hcs__json_span_decode(&s, d->arena);
    if (!key)
        return oom(d, at);
    hcs_schema_path here = {at, HCS_PATH_KEY, key, 0, 0};
    if (!hcs__json_eat(&d->in, ':'))
        return fail(d, &here, "expected ':'");
    char *entry = next_item(d, it, f->elem_size, &here);
    if (!entry)
        return false;
    *(const char **)entry = key;
    return item_value(d, f, entry + f->value_offset, f->elem_size - f->value_offset, &here, depth);
}

static int compare_keys(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Maps are kept in key order; a key given twice is an error. */
static bool sort_map(decoder *d, const hcs_schema_field *f, item_list *it, const hcs_schema_path *at)
{
    qsort(it->data, it->count, f->elem_size, compare_keys);
    for (size_t i = 1; i < it->count; i++) {
        const char *key = *(const char **)(it->data + i * f->elem_size);
        if (strcmp(*(const char **)(it->data + (i - 1) * f->elem_size), key) == 0) {
            hcs_schema_path here = {at, HCS_PATH_KEY, key, 0, 0};
            return fail(d, &here, "duplicate key");
        }
    }
    return true;
}

/* An array or map field: the pointer and count members of obj. */
static bool decode_items(decoder *d, const hcs_schema_field *f, char *obj, const hcs_schema_path *at, int depth)
{
    bool map = f->shape == HCS_SCHEMA_SHAPE_MAP;
    char close = map ? '}' : ']';
    if (!hcs__json_eat(&d->in, map ? '{' : '['))
        return fail(d, at, map ? "expected object" : "expected array");
    if (depth >= HCS_SCHEMA_MAX_DEPTH)
        return fail(d, at, "nesting too deep");
    item_list it = {NULL, 0, 0};
    if (!hcs__json_eat(&d->in, close)) {
        do {
            if (!(map ? map_item : array_item)(d, f, &it, at, depth + 1))
                return false;
        } while (hcs__json_eat(&d->in, ','));
        if (!hcs__json_eat(&d->in, close))
            return fail(d, at, map ? "expected ',' or '}'" : "expected ',' or ']'");
    }
    if (!it.data && !(it.data = hcs__arena_alloc(d->arena, 0)))
        return oom(d, at);
    if (map && !sort_map(d, f, &it, at))
        return false;
    *(char **)(obj + f->offset) = it.data;
    *(size_t *)(obj + f->aux_offset) = it.count;
    return true;
}

/* ---- objects ------------------------------------------------------------ */

static bool decode_field(decoder *d, const hcs_schema_field *f, char *obj, const hcs_schema_path *at, int depth)
{
    if (too_new(d, at, f->since))
        return false;
    if (f->shape != HCS_SCHEMA_SHAPE_ONE)
        return decode_items(d, f, obj, at, depth);
    if (!decode_value(d, f, obj + f->offset, true, at, depth))
        return false;
    if (f->kind != HCS_SCHEMA_KIND_STRING && f->kind != HCS_SCHEMA_KIND_ANY && f->kind != HCS_SCHEMA_KIND_OBJECT)
        *(bool *)(obj + f->aux_offset) = true;
    return true;
}

/* Keeps a field this schema does not know (or a known one that is null) as
 * raw JSON, unless strict. */
static bool keep_unknown(decoder *d, hcs_unknown_fields *u, const hcs_json_span *name, const hcs_schema_path *at,
                         int depth)
{
    if (d->mode == HCS_SCHEMA_STRICT)
        return fail(d, at, "unknown field");
    char *key = hcs__json_span_decode(name, d->arena);
    if (!key)
        return oom(d, at);
    for (size_t i = 0; i < u->count; i++)
        if (strcmp(u->items[i].name, key) == 0)
            return fail(d, at, "duplicate field");
    /* Grow by doubling: count is a power of two exactly when full. */
    size_t size = sizeof *u->items;
    if ((u->count & (u->count - 1)) == 0) {
        size_t cap = u->count ? u->count * 2 : 1;
        hcs_unknown_field *items = hcs__arena_grow(d->arena, u->items, u->count * size, cap * size);
        if (!items)
            return oom(d, at);
        u->items = items;
    }
    const char *json = hcs__json_raw(&d->in, d->arena, HCS_SCHEMA_MAX_DEPTH - depth);
    if (!json)
        return fail(d, at, NULL);
    u->items[u->count++] = (hcs_unknown_field){key, json};
    return true;
}

static const hcs_schema_field *find_field(const hcs_schema_type_desc *t, const char *name, size_t len)
{
    for (size_t i = 0; i < t->count; i++) {
        const hcs_schema_field *f = &t->fields[i];
        if (f->name_len == len && memcmp(f->name, name, len) == 0)
            return f;
    }
    return NULL;
}

static bool decode_member(decoder *d, const hcs_schema_type_desc *t, char *obj, uint64_t seen[4],
                          const hcs_schema_path *at, int depth)
{
    hcs_json_span name;
    if (!hcs__json_span_read(&d->in, &name))
        return fail(d, at, NULL);
    /* Schema names never need escapes; an escaped name is matched decoded. */
    const char *text = name.text;
    size_t len = name.len;
    if (name.escaped) {
        if (!(text = hcs__json_span_decode(&name, d->arena)))
            return oom(d, at);
        len = strlen(text);
    }
    hcs_schema_path here = {at, HCS_PATH_FIELD, text, len, 0};
    if (!hcs__json_eat(&d->in, ':'))
        return fail(d, &here, "expected ':'");
    const hcs_schema_field *f = find_field(t, text, len);
    if (!f)
        return keep_unknown(d, (hcs_unknown_fields *)obj, &name, &here, depth);
    size_t i = (size_t)(f - t->fields);
    if (seen[i / 64] & (1ull << (i % 64)))
        return fail(d, &here, "duplicate field");
    seen[i / 64] |= 1ull << (i % 64);
    if (d->mode == HCS_SCHEMA_LENIENT && hcs__json_null(&d->in)) {
        /* null is no value of any schema type: keep it as written. */
        d->in.p -= 4;
        return keep_unknown(d, (hcs_unknown_fields *)obj, &name, &here, depth);
    }
    const char *value_at = d->in.p;
    if (decode_field(d, f, obj, &here, depth))
        return true;
    if (!misfit(d, value_at, depth))
        return false;
    /* Set aside as written, like an unknown field; a nested object may
     * have been attached before it failed. */
    if (f->shape == HCS_SCHEMA_SHAPE_ONE &&
        (f->kind == HCS_SCHEMA_KIND_STRING || f->kind == HCS_SCHEMA_KIND_ANY || f->kind == HCS_SCHEMA_KIND_OBJECT))
        *(void **)(obj + f->offset) = NULL;
    return keep_unknown(d, (hcs_unknown_fields *)obj, &name, &here, depth);
}

static bool decode_object(decoder *d, const hcs_schema_type_desc *t, void *obj, const hcs_schema_path *at, int depth)
{
    if (!hcs__json_eat(&d->in, '{'))
        return fail(d, at, "expected object");
    if (depth >= HCS_SCHEMA_MAX_DEPTH)
        return fail(d, at, "nesting too deep");
    if (hcs__json_eat(&d->in, '}'))
        return true;
    uint64_t seen[4] = {0, 0, 0, 0};
    do {
        if (!decode_member(d, t, obj, seen, at, depth))
            return false;
    } while (hcs__json_eat(&d->in, ','));
    return hcs__json_eat(&d->in, '}') || fail(d, at, "expected ',' or '}'");
}

/* ---- entry points ------------------------------------------------------- */

static void start(decoder *d, hcs_arena *arena, const char *json, size_t len, const hcs_schema_options *opts,
                  bool forgiving)
{
    *d = (decoder){.in = {json, json, json + len, NULL, NULL}, .arena = arena, .forgiving = forgiving};
    if (opts) {
        d->mode = opts->mode;
        d->max_version = opts->max_version;
    }
    if (forgiving)
        d->mode = HCS_SCHEMA_LENIENT;
}

/* Checks that nothing follows the document and reports a failure. */
static bool finish(decoder *d, bool ok, const hcs_schema_path *root, hcs_schema_decode_failure *why)
{
    if (ok) {
        hcs__json_ws(&d->in);
        if (d->in.p != d->in.end)
            ok = fail(d, root, "text after the document");
    }
    if (!ok) {
        memcpy(why->where, d->where, sizeof why->where);
        memcpy(why->problem, d->problem, sizeof why->problem);
        why->offset = (size_t)((d->in.at ? d->in.at : d->in.p) - d->in.start);
        why->out_of_memory = strcmp(d->problem, "out of memory") == 0;
    }
    return ok;
}

bool hcs__schema_decode_into(hcs_arena *arena, const hcs_schema_type_desc *t, void *root, const char *json, size_t len,
                             const hcs_schema_options *opts, bool forgiving, hcs_schema_decode_failure *why)
{
    decoder d;
    start(&d, arena, json, len, opts, forgiving);
    hcs_schema_path root_path = {NULL, HCS_PATH_ROOT, NULL, 0, 0};
    return finish(&d, decode_object(&d, t, root, &root_path, 0), &root_path, why);
}

bool hcs__schema_decode_array_into(hcs_arena *arena, const hcs_schema_type_desc *t, void **items, size_t *count,
                                   const char *json, size_t len, const hcs_schema_options *opts, bool forgiving,
                                   hcs_schema_decode_failure *why)
{
    decoder d;
    start(&d, arena, json, len, opts, forgiving);
    hcs_schema_path root_path = {NULL, HCS_PATH_ROOT, NULL, 0, 0};
    /* The root array is read like an array field whose elements are
     * objects of type t, stored inline. */
    hcs_schema_field f = {
        .kind = HCS_SCHEMA_KIND_OBJECT, .shape = HCS_SCHEMA_SHAPE_ARRAY, .elem_size = (uint32_t)t->size};
    f.ref = hcs__schema_ref(t);
    item_list it = {NULL, 0, 0};
    bool ok = hcs__json_eat(&d.in, '[') || fail(&d, &root_path, "expected array");
    if (ok && !hcs__json_eat(&d.in, ']')) {
        do
            ok = array_item(&d, &f, &it, &root_path, 0);
        while (ok && hcs__json_eat(&d.in, ','));
        if (ok && !hcs__json_eat(&d.in, ']'))
            ok = fail(&d, &root_path, "expected ',' or ']'");
    }
    if (ok && !it.data && !(it.data = hcs__arena_alloc(arena, 0)))
        ok = oom(&d, &root_path);
    ok = finish(&d, ok, &root_path, why);
    *items = ok ? it.data : NULL;
    *count = ok ? it.count : 0;
    return ok;
}
