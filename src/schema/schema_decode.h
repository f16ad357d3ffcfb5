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
 * On failure fills *why; what was allocated stays in the arena. */
bool hcs__schema_decode_into(hcs_arena *arena, const hcs_schema_type_desc *t, void *root, const char *json, size_t len,
                             const hcs_schema_options *opts, hcs_schema_decode_failure *why);

#endif
