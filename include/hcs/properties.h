/* Properties as typed documents (schema.h): the same calls as
 * hcs_system_properties_json and hcs_process_properties_json, decoded leniently
 * (unknown fields are kept, never an error) into the generated structs.
 *
 * On success *doc owns everything *out points into: free it with
 * hcs_schema_doc_free. On failure both are NULL; a document HCS sent that
 * does not decode fails with HCS_E_INVALID_JSON and the path of the
 * problem in err->message. */
#ifndef HCS_PROPERTIES_H
#define HCS_PROPERTIES_H

#include "process.h"
#include "schema.h"
#include "system.h"

#ifdef __cplusplus
extern "C" {
#endif

/* `query` as for hcs_system_properties_json (NULL: basic properties). */
HCS_API int32_t hcs_system_properties(hcs_system sys, const char *query, uint32_t timeout_ms, hcs_schema_doc **doc,
                                      hcs_Properties **out, hcs_error *err);

/* The system's Statistics (queries {"PropertyTypes":["Statistics"]}); a
 * reply without them fails with HCS_COM_E_UNEXPECTED. Two samples give
 * rates through stats.h. */
HCS_API int32_t hcs_system_statistics(hcs_system sys, uint32_t timeout_ms, hcs_schema_doc **doc, hcs_Statistics **out,
                                      hcs_error *err);

HCS_API int32_t hcs_process_properties(hcs_process proc, uint32_t timeout_ms, hcs_schema_doc **doc,
                                       hcs_ProcessStatus **out, hcs_error *err);

#ifdef __cplusplus
}
#endif

#endif
