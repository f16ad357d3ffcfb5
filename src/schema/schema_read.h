/* How libhcs reads the documents HCS sends it (ResultError, exit and
 * process status, properties, service properties): through the schema
 * decoder, leniently and forgiving (schema_decode.h), so that a member of
 * the wrong type is ignored rather than losing the whole document. A value
 * set aside stays readable as written in its struct's unknown_fields. */
#ifndef HCS_SRC_SCHEMA_READ_H
#define HCS_SRC_SCHEMA_READ_H

#include "hcs/schema.h"

/* json (NUL-terminated) decoded as `type`; free it with
 * hcs_schema_doc_free. NULL when json is NULL, not JSON, not a JSON object
 * or memory ran out. */
hcs_schema_doc *hcs__schema_read(hcs_schema_type type, const char *json);

/* The compact JSON of the field `name` kept in u (an unknown field, a null,
 * or a value that did not fit its type), or NULL. */
const char *hcs__schema_kept(const hcs_unknown_fields *u, const char *name);

/* Whether the field `name` is kept in u as a JSON integer within int64_t
 * (no fraction or exponent); *out receives it. */
bool hcs__schema_kept_integer(const hcs_unknown_fields *u, const char *name, int64_t *out);

#endif
