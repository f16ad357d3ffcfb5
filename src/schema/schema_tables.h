/* The generated descriptor tables (schema_gen.c) and what the codec shares. */
#ifndef HCS_SRC_SCHEMA_TABLES_H
#define HCS_SRC_SCHEMA_TABLES_H

#include "hcs/schema.h"

extern const hcs_schema_type_desc hcs__schema_types[HCS_SCHEMA_TYPE_COUNT];

/* Deepest nesting of objects and arrays the codec follows. */
#define HCS_SCHEMA_MAX_DEPTH 512

#endif
