/* The schema encoder: writes the generated structs as compact JSON, walking
 * the descriptor tables. Absent fields are left out, maps come out in key
 * order, unknown fields follow the known ones. */
#include "schema/schema_encode.h"

#include "schema/json_reader.h"
#include "schema/schema_path.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct encoder {
    hcs_json_out *out;
    hcs_schema_mode mode;
    uint32_t max_version;
    hcs_schema_encode_failure *why;
} encoder;

static bool encode_object(encoder *e, const hcs_schema_type_desc *t, const char *obj, const hcs_schema_path *at,
                          int depth);

static bool fail(encoder *e, const hcs_schema_path *at, const char *problem)
{
    hcs__schema_path_format(at, e->why->where, sizeof e->why->where);
    snprintf(e->why->problem, sizeof e->why->problem, "%s", problem);
    return false;
}

static bool strict(const encoder *e) { return e->mode == HCS_SCHEMA_STRICT; }

static bool too_new(encoder *e, const hcs_schema_path *at, uint32_t since)
{
    if (!strict(e) || !e->max_version || since <= e->max_version)
        return false;
    fail(e, at, "");
    snprintf(e->why->problem, sizeof e->why->problem, "needs schema %u.%u, newer than %u.%u", (unsigned)(since >> 16),
             (unsigned)(since & 0xFFFF), (unsigned)(e->max_version >> 16), (unsigned)(e->max_version & 0xFFFF));
    return true;
}

/* ---- values ------------------------------------------------------------- */

static bool encode_string(encoder *e, const char *s, const hcs_schema_path *at)
{
    if (!s)
        return fail(e, at, "missing string");
    return hcs__json_out_string(e->out, s) || fail(e, at, "invalid UTF-8 in string");
}

/* Raw JSON given by the caller: checked, then written compactly. */
static bool encode_raw(encoder *e, const char *json, const hcs_schema_path *at, int depth)
{
    if (!json)
        return fail(e, at, "missing JSON value");
    size_t n = strlen(json);
    hcs_json_in in = {json, json, json + n, NULL, NULL};
    if (!hcs__json_skip(&in, HCS_SCHEMA_MAX_DEPTH - depth))
        return fail(e, at, in.problem);
    hcs__json_ws(&in);
    if (in.p != in.end)
        return fail(e, at, "text after the JSON value");
    hcs__json_out_compact(e->out, json, n);
    return true;
}

static bool encode_enum(encoder *e, const hcs_schema_type_desc *t, const hcs_enum *v, const hcs_schema_path *at)
{
    if (v->value == 0) {
        if (strict(e))
            return fail(e, at, "unknown enum value");
        return encode_string(e, v->text, at);
    }
    if (v->value < 0 || (size_t)v->value > t->count)
        return fail(e, at, "enum value out of range");
    const hcs_schema_enum_value *known = &t->values[v->value - 1];
    if (too_new(e, at, known->since))
        return false;
    hcs__json_out_char(e->out, '"');
    hcs__json_out_raw(e->out, known->name, known->name_len);
    hcs__json_out_char(e->out, '"');
    return true;
}

static bool encode_value(encoder *e, const hcs_schema_field *f, const char *v, bool object_by_pointer,
                         const hcs_schema_path *at, int depth)
{
    switch (f->kind) {
    case HCS_SCHEMA_KIND_BOOL:
        if (*(const bool *)v)
            hcs__json_out_raw(e->out, "true", 4);
        else
            hcs__json_out_raw(e->out, "false", 5);
        return true;
    case HCS_SCHEMA_KIND_STRING:
        return encode_string(e, *(const char *const *)v, at);
    case HCS_SCHEMA_KIND_ANY:
        return encode_raw(e, *(const char *const *)v, at, depth);
    case HCS_SCHEMA_KIND_ENUM:
        return encode_enum(e, hcs__schema_desc(f->ref), (const hcs_enum *)v, at);
    case HCS_SCHEMA_KIND_OBJECT:
        if (object_by_pointer)
            v = *(const char *const *)v;
        return encode_object(e, hcs__schema_desc(f->ref), v, at, depth + 1);
    case HCS_SCHEMA_KIND_INT32:
        hcs__json_out_i64(e->out, *(const int32_t *)v);
        return true;
    case HCS_SCHEMA_KIND_INT64:
        hcs__json_out_i64(e->out, *(const int64_t *)v);
        return true;
    case HCS_SCHEMA_KIND_UINT8:
        hcs__json_out_u64(e->out, *(const uint8_t *)v);
        return true;
    case HCS_SCHEMA_KIND_UINT16:
        hcs__json_out_u64(e->out, *(const uint16_t *)v);
        return true;
    case HCS_SCHEMA_KIND_UINT32:
        hcs__json_out_u64(e->out, *(const uint32_t *)v);
        return true;
    default:
        hcs__json_out_u64(e->out, *(const uint64_t *)v);
        return true;
    }
}

/* ---- arrays and maps ---------------------------------------------------- */

static bool encode_array(encoder *e, const hcs_schema_field *f, const char *items, size_t count,
                         const hcs_schema_path *at, int depth)
{
    hcs__json_out_char(e->out, '[');
    for (size_t i = 0; i < count; i++) {
        hcs_schema_path here = {at, HCS_PATH_INDEX, NULL, 0, i};
        if (i)
            hcs__json_out_char(e->out, ',');
        if (!encode_value(e, f, items + i * f->elem_size, false, &here, depth + 1))
            return false;
    }
    hcs__json_out_char(e->out, ']');
    return true;
}

static int compare_entries(const void *a, const void *b)
{
    return strcmp(**(const char *const *const *)a, **(const char *const *const *)b);
}

static bool encode_entries(encoder *e, const hcs_schema_field *f, const char *const *order, size_t count,
                           const hcs_schema_path *at, int depth)
{
    hcs__json_out_char(e->out, '{');
    for (size_t i = 0; i < count; i++) {
        const char *key = *(const char *const *)order[i];
        hcs_schema_path here = {at, HCS_PATH_KEY, key, 0, 0};
        if (i && strcmp(*(const char *const *)order[i - 1], key) == 0)
            return fail(e, &here, "duplicate key");
        if (i)
            hcs__json_out_char(e->out, ',');
        if (!encode_string(e, key, &here))
            return false;
        hcs__json_out_char(e->out, ':');
        if (!encode_value(e, f, order[i] + f->value_offset, false, &here, depth + 1))
            return false;
    }
    hcs__json_out_char(e->out, '}');
    return true;
}

static bool encode_map(encoder *e, const hcs_schema_field *f, const char *entries, size_t count,
                       const hcs_schema_path *at, int depth)
{
    const char **order = malloc((count ? count : 1) * sizeof *order);
    if (!order) {
        e->out->failed = true;
        return fail(e, at, "out of memory");
    }
    for (size_t i = 0; i < count; i++) {
        order[i] = entries + i * f->elem_size;
        if (!*(const char *const *)order[i]) {
            free(order);
            return fail(e, at, "map entry without key");
        }
    }
    qsort(order, count, sizeof *order, compare_entries);
    bool ok = encode_entries(e, f, order, count, at, depth);
    free(order);
    return ok;
}

/* ---- objects ------------------------------------------------------------ */

static bool present(const hcs_schema_field *f, const char *obj)
{
    if (f->shape != HCS_SCHEMA_SHAPE_ONE || f->kind == HCS_SCHEMA_KIND_STRING || f->kind == HCS_SCHEMA_KIND_ANY ||
        f->kind == HCS_SCHEMA_KIND_OBJECT)
        return *(const void *const *)(obj + f->offset) != NULL;
    return *(const bool *)(obj + f->aux_offset);
}

static bool encode_field(encoder *e, const hcs_schema_field *f, const char *obj, const hcs_schema_path *at, int depth)
{
    if (too_new(e, at, f->since))
        return false;
    hcs__json_out_char(e->out, '"');
    hcs__json_out_raw(e->out, f->name, f->name_len);
    hcs__json_out_raw(e->out, "\":", 2);
    const char *v = obj + f->offset;
    if (f->shape == HCS_SCHEMA_SHAPE_ONE)
        return encode_value(e, f, v, true, at, depth);
    size_t count = *(const size_t *)(obj + f->aux_offset);
    if (f->shape == HCS_SCHEMA_SHAPE_ARRAY)
        return encode_array(e, f, *(const char *const *)v, count, at, depth);
    return encode_map(e, f, *(const char *const *)v, count, at, depth);
}

static const hcs_schema_field *find_field(const hcs_schema_type_desc *t, const char *name)
{
    for (size_t i = 0; i < t->count; i++)
        if (strcmp(t->fields[i].name, name) == 0)
            return &t->fields[i];
    return NULL;
}

static bool encode_unknown(encoder *e, const hcs_schema_type_desc *t, const char *obj, bool *first,
                           const hcs_schema_path *at, int depth)
{
    const hcs_unknown_fields *u = (const hcs_unknown_fields *)obj;
    for (size_t i = 0; i < u->count; i++) {
        const hcs_unknown_field *x = &u->items[i];
        hcs_schema_path here = {at, HCS_PATH_FIELD, x->name ? x->name : "", x->name ? strlen(x->name) : 0, 0};
        if (!x->name)
            return fail(e, at, "unknown field without a name");
        const hcs_schema_field *f = find_field(t, x->name);
        if (f && present(f, obj))
            continue; /* the typed value was set after decoding: it wins */
        if (strict(e))
            return fail(e, &here, "unknown field");
        if (!*first)
            hcs__json_out_char(e->out, ',');
        *first = false;
        if (!encode_string(e, x->name, &here))
            return false;
        hcs__json_out_char(e->out, ':');
        if (!encode_raw(e, x->json, &here, depth))
            return false;
    }
    return true;
}

static bool encode_object(encoder *e, const hcs_schema_type_desc *t, const char *obj, const hcs_schema_path *at,
                          int depth)
{
    if (depth >= HCS_SCHEMA_MAX_DEPTH)
        return fail(e, at, "nesting too deep");
    hcs__json_out_char(e->out, '{');
    bool first = true;
    for (size_t i = 0; i < t->count; i++) {
        const hcs_schema_field *f = &t->fields[i];
        if (!present(f, obj))
            continue;
        hcs_schema_path here = {at, HCS_PATH_FIELD, f->name, f->name_len, 0};
        if (!first)
            hcs__json_out_char(e->out, ',');
        first = false;
        if (!encode_field(e, f, obj, &here, depth))
            return false;
    }
    if (!encode_unknown(e, t, obj, &first, at, depth))
        return false;
    hcs__json_out_char(e->out, '}');
    return true;
}

bool hcs__schema_encode_value(hcs_json_out *out, const hcs_schema_type_desc *t, const void *value,
                              const hcs_schema_options *opts, hcs_schema_encode_failure *why)
{
    encoder e = {out, opts ? opts->mode : HCS_SCHEMA_LENIENT, opts ? opts->max_version : 0, why};
    hcs_schema_path root = {NULL, HCS_PATH_ROOT, NULL, 0, 0};
    return encode_object(&e, t, value, &root, 0);
}
