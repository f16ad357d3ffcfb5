/* The table-walking encoder behind hcs_schema_encode(). */
#ifndef HCS_SRC_SCHEMA_ENCODE_H
#define HCS_SRC_SCHEMA_ENCODE_H

#include "schema/json_writer.h"
#include "schema/schema_tables.h"

typedef struct hcs_schema_encode_failure {
    char where[384];
    char problem[96];
} hcs_schema_encode_failure;

/* Appends the JSON of value (a struct of type t) to out. False with *why
 * filled for a value that cannot be written; out may hold part of it. */
bool hcs__schema_encode_value(hcs_json_out *out, const hcs_schema_type_desc *t, const void *value,
                              const hcs_schema_options *opts, hcs_schema_encode_failure *why);

#endif
