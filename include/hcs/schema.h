/* Schema v2 documents as typed C values: decode JSON into the structs of
 * schema_types.h, encode them back, and look at the schema itself.
 *
 * Presence. A field that a document leaves out stays out when the value is
 * encoded again (the in-guest parser rejects stray empty fields):
 *  - strings, Any values (raw JSON text) and nested objects are pointers:
 *    NULL means absent;
 *  - arrays and maps are a pointer and a count: NULL means absent, a non-NULL
 *    pointer with count 0 means an empty array or object;
 *  - bool, integer and enum fields have a `has_<Field>` flag.
 *
 * Unknown fields (names this schema does not know) are kept, name and raw
 * JSON value, in `unknown_fields` and written back by encode. Maps are kept
 * sorted by key (byte order) and encoded sorted. 64-bit integers are exact
 * over their whole range (uint64 up to 18446744073709551615).
 *
 * Strict mode refuses unknown fields, unknown enum strings and fields or enum
 * values newer than `max_version`; lenient mode (the default) keeps them.
 *
 * A decoded document lives in one arena: every string, array and nested
 * object of it is freed at once by hcs_schema_doc_free(). */
#ifndef HCS_SCHEMA_H
#define HCS_SCHEMA_H

#include "client.h"
#include "schema_ids.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A schema version as a number that compares in order. */
#define HCS_SCHEMA_VERSION(major, minor) (((uint32_t)(major) << 16) | (uint32_t)(minor))

/* An enum value. `value` is one of the hcs_<Enum> constants, or
 * HCS_<Enum>_UNLISTED (0) for a string the schema does not list, which `text`
 * then holds. Decode always sets `text` to the document's string; encode
 * writes `text` when `value` is 0 and the constant's string otherwise. */
typedef struct hcs_enum {
    int32_t value;
    const char *text;
} hcs_enum;

/* A field the schema does not know: its name and its value as compact JSON. */
typedef struct hcs_unknown_field {
    const char *name;
    const char *json;
} hcs_unknown_field;

typedef struct hcs_unknown_fields {
    hcs_unknown_field *items;
    size_t count;
} hcs_unknown_fields;

/* Map entries of scalar values (maps of objects use hcs_<Type>_entry). */
typedef struct hcs_map_string {
    const char *key;
    const char *value;
} hcs_map_string;
typedef struct hcs_map_any {
    const char *key;
    const char *value; /* raw JSON */
} hcs_map_any;
typedef struct hcs_map_bool {
    const char *key;
    bool value;
} hcs_map_bool;
typedef struct hcs_map_enum {
    const char *key;
    hcs_enum value;
} hcs_map_enum;
typedef struct hcs_map_int32 {
    const char *key;
    int32_t value;
} hcs_map_int32;
typedef struct hcs_map_int64 {
    const char *key;
    int64_t value;
} hcs_map_int64;
typedef struct hcs_map_uint8 {
    const char *key;
    uint8_t value;
} hcs_map_uint8;
typedef struct hcs_map_uint16 {
    const char *key;
    uint16_t value;
} hcs_map_uint16;
typedef struct hcs_map_uint32 {
    const char *key;
    uint32_t value;
} hcs_map_uint32;
typedef struct hcs_map_uint64 {
    const char *key;
    uint64_t value;
} hcs_map_uint64;

typedef enum hcs_schema_mode {
    HCS_SCHEMA_LENIENT = 0, /* keep unknown fields and values, accept newer fields */
    HCS_SCHEMA_STRICT = 1   /* refuse them */
} hcs_schema_mode;

typedef struct hcs_schema_options {
    hcs_schema_mode mode;
    /* Newest schema version the document may use in strict mode, e.g.
     * HCS_SCHEMA_VERSION(2, 1); 0 means any version. */
    uint32_t max_version;
} hcs_schema_options;

/* A decoded document: its root value and the arena that holds everything. */
typedef struct hcs_schema_doc hcs_schema_doc;

/* Decodes len bytes of JSON text as a document of `type` (an object type).
 * opts may be NULL (lenient). On success *doc receives the document (free it
 * with hcs_schema_doc_free); on failure *doc is NULL and the function returns
 * HCS_E_INVALID_JSON with err->message naming the place and the problem, e.g.
 * `VirtualMachine.Devices.Scsi["0"].Attachments["1"].Path: expected string`,
 * or HCS_COM_E_OUTOFMEMORY. Nesting deeper than 512 levels is refused. */
HCS_API int32_t hcs_schema_decode(hcs_schema_type type, const char *json, size_t len, const hcs_schema_options *opts,
                                  hcs_schema_doc **doc, hcs_error *err);

/* Decodes len bytes of JSON text whose root is an array of documents of
 * `type` (an object type), such as HcsEnumerateComputeSystems' array of
 * Properties. On success *doc receives the document (free it with
 * hcs_schema_doc_free), *count the number of elements, and
 * hcs_schema_doc_root(*doc) points to the first of `*count` hcs_<Type>
 * structs stored one after the other (non-NULL also for `[]`, count 0).
 * On failure *doc is NULL, *count 0, and the function returns
 * HCS_E_INVALID_JSON with err->message naming the element and the place,
 * e.g. `[3].State: expected string`, or HCS_COM_E_OUTOFMEMORY. Options,
 * limits and elements as for hcs_schema_decode. */
HCS_API int32_t hcs_schema_decode_array(hcs_schema_type type, const char *json, size_t len,
                                        const hcs_schema_options *opts, hcs_schema_doc **doc, size_t *count,
                                        hcs_error *err);

/* The root value of doc: a pointer to the hcs_<Type> struct, or for a
 * document from hcs_schema_decode_array to the first struct of the array.
 * NULL for NULL. */
HCS_API void *hcs_schema_doc_root(hcs_schema_doc *doc);

/* Frees the document and everything in it. NULL is ignored. */
HCS_API void hcs_schema_doc_free(hcs_schema_doc *doc);

/* A new document whose root is a zeroed value of `type` (all fields absent),
 * for building a document in place. NULL when out of memory or `type` is
 * not an object type. */
HCS_API hcs_schema_doc *hcs_schema_doc_new(hcs_schema_type type);

/* Zeroed memory (never NULL for size 0) and string copies that live as long
 * as doc. NULL when out of memory, or when doc or s is NULL. */
HCS_API void *hcs_schema_alloc(hcs_schema_doc *doc, size_t size);
HCS_API char *hcs_schema_strdup(hcs_schema_doc *doc, const char *s);

/* Encodes a value of `type` as compact JSON into *json (free it with
 * hcs_free). Fields are written in schema order, then unknown fields; maps
 * in key order. opts may be NULL; in strict mode unknown fields, unknown
 * enum values and fields newer than max_version are refused. Fails with
 * HCS_COM_E_INVALIDARG, err->message naming the field, for values that are
 * not valid JSON: invalid UTF-8, Any text that is not JSON, an unknown enum
 * value without text, duplicate map keys. */
HCS_API int32_t hcs_schema_encode(hcs_schema_type type, const void *value, const hcs_schema_options *opts, char **json,
                                  hcs_error *err);

/* ---- reflection: the descriptor tables the codec walks ------------------- */

typedef enum hcs_schema_kind {
    HCS_SCHEMA_KIND_BOOL,
    HCS_SCHEMA_KIND_STRING,
    HCS_SCHEMA_KIND_ANY, /* arbitrary JSON, kept as compact text */
    HCS_SCHEMA_KIND_ENUM,
    HCS_SCHEMA_KIND_OBJECT,
    HCS_SCHEMA_KIND_INT32,
    HCS_SCHEMA_KIND_INT64,
    HCS_SCHEMA_KIND_UINT8,
    HCS_SCHEMA_KIND_UINT16,
    HCS_SCHEMA_KIND_UINT32,
    HCS_SCHEMA_KIND_UINT64
} hcs_schema_kind;

typedef enum hcs_schema_shape {
    HCS_SCHEMA_SHAPE_ONE,   /* a single value */
    HCS_SCHEMA_SHAPE_ARRAY, /* pointer to elements + count */
    HCS_SCHEMA_SHAPE_MAP    /* pointer to {key, value} entries + count */
} hcs_schema_shape;

#define HCS_SCHEMA_FIELD_HCSSHIM 1u /* known from hcsshim, not in the public schema */

typedef struct hcs_schema_field {
    const char *name; /* JSON name */
    uint16_t name_len;
    uint8_t kind;          /* hcs_schema_kind */
    uint8_t shape;         /* hcs_schema_shape */
    uint16_t ref;          /* hcs_schema_type of an enum or object */
    uint32_t since;        /* HCS_SCHEMA_VERSION that introduced it */
    uint32_t flags;        /* HCS_SCHEMA_FIELD_* */
    uint32_t offset;       /* of the value, or of the array/map pointer */
    uint32_t aux_offset;   /* of has_<Field> (bool, integers, enums) or <Field>_count */
    uint32_t elem_size;    /* of one value, array element or map entry */
    uint32_t value_offset; /* of the value inside a map entry */
} hcs_schema_field;

typedef struct hcs_schema_enum_value {
    const char *name;
    uint16_t name_len;
    uint32_t since;
    uint32_t flags;
} hcs_schema_enum_value;

typedef enum hcs_schema_type_kind { HCS_SCHEMA_TYPE_OBJECT, HCS_SCHEMA_TYPE_ENUM } hcs_schema_type_kind;

typedef struct hcs_schema_type_desc {
    const char *name;
    hcs_schema_type_kind kind;
    uint32_t since;
    size_t size;  /* of the struct (objects) */
    size_t count; /* fields (objects) or values (enums) */
    const hcs_schema_field *fields;
    const hcs_schema_enum_value *values; /* value i has the constant i + 1 */
} hcs_schema_type_desc;

/* The descriptor of a type, or NULL when out of range. */
HCS_API const hcs_schema_type_desc *hcs_schema_type_info(hcs_schema_type type);
/* The type with this schema name, or -1 (also for NULL). */
HCS_API int hcs_schema_type_by_name(const char *name);
/* The schema string of an enum constant, or NULL (unknown or out of range). */
HCS_API const char *hcs_schema_enum_string(hcs_schema_type type, int32_t value);

#ifdef __cplusplus
}
#endif

#include "schema_types.h"

#endif
