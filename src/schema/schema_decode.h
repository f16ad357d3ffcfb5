/* The table-walking decoder behind hcs_schema_decode(). */
#ifndef HCS_SRC_SCHEMA_DECODE_H
#define HCS_SRC_SCHEMA_DECODE_H

#include "schema/arena.h"
#include "schema/schema_tables.h"

typedef struct hcs_schema_decode_failure {
    char where[384];  /* path of the offending value */
    char problem[96]; /* what is wrong with it */
    size_t offset;    /* byte offset in the text */
    bool out_of_memory;
} hcs_schema_decode_failure;

/* Decodes json into root (a zeroed struct of type t), allocating in arena.
 * On failure fills *why; what was allocated stays in the arena.
 *
 * `forgiving` (libhcs reading what HCS sent, schema_read.h) decodes
 * leniently, whatever opts says, and sets aside values that are valid JSON
 * but do not fit their type (another JSON type, an integer out of range, a
 * fraction): a field's value is kept in unknown_fields as written, like a
 * field the schema does not know; an array element or map value is left
 * zeroed (an object with no field present), so the others keep their
 * places. Text that is not JSON still fails. */
bool hcs__schema_decode_into(hcs_arena *arena, const hcs_schema_type_desc *t, void *root, const char *json, size_t len,
                             const hcs_schema_options *opts, bool forgiving, hcs_schema_decode_failure *why);

/* Decodes a JSON array of objects of type t: *items receives `*count`
 * structs stored one after the other in the arena (a non-NULL pointer also
 * for an empty array). Failure paths start with the index: [3].State. */
bool hcs__schema_decode_array_into(hcs_arena *arena, const hcs_schema_type_desc *t, void **items, size_t *count,
                                   const char *json, size_t len, const hcs_schema_options *opts, bool forgiving,
                                   hcs_schema_decode_failure *why);

#endif
