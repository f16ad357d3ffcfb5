/* The generated descriptor tables (schema_gen.c) and what the codec shares. */
#ifndef HCS_SRC_SCHEMA_TABLES_H
#define HCS_SRC_SCHEMA_TABLES_H

#include "hcs/schema.h"

extern const hcs_schema_type_desc hcs__schema_types[HCS_SCHEMA_TYPE_COUNT];
/* The type numbers sorted by name: the numbers themselves follow
 * schema/type-ids.txt, where new types go at the end. */
extern const uint16_t hcs__schema_by_name[HCS_SCHEMA_TYPE_COUNT];

/* HCN's types (hcn_schema.c), numbered from HCS_HCN_SCHEMA_BASE
 * (hcs/network_schema.h). */
extern const hcs_schema_type_desc hcs__hcn_schema_types[];
extern const size_t hcs__hcn_schema_type_count;

/* The descriptor a field's `ref` names, in either table. */
const hcs_schema_type_desc *hcs__schema_desc(uint32_t ref);
/* The ref of a descriptor of either table. */
uint16_t hcs__schema_ref(const hcs_schema_type_desc *t);

/* Deepest nesting of objects and arrays the codec follows. */
#define HCS_SCHEMA_MAX_DEPTH 512

#endif
