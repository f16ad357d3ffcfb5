/* The calls that return HCS documents, typed (schema.h): the same calls as
 * hcs_system_properties_json, hcs_process_properties_json,
 * hcs_system_enumerate_json and hcs_service_properties_json, with the
 * document decoded leniently (unknown fields are kept, never an error)
 * into the generated structs.
 *
 * On success *doc owns everything the out-parameters point into: free it
 * with hcs_schema_doc_free. On failure *doc and the out-parameters are
 * NULL (counts 0); a document HCS sent that does not decode fails with
 * HCS_E_INVALID_JSON and the path of the problem in err->message, and a
 * call that succeeded without a document with HCS_COM_E_UNEXPECTED.
 *
 * Threading: every function may be called from any thread. */
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

/* The systems of the client's namespace, as hcs_system_enumerate_json
 * lists them: *items receives *count Properties structs, one per system
 * (HcsEnumerateComputeSystems' array elements, hcs-api §2.2, §8.4), stored
 * one after the other; no system is a non-NULL *items with *count 0.
 * `query` is a SystemQuery document (Ids, Names, Types, Owners) or NULL for
 * all. A failure to decode names the element, e.g. `[3].State`. */
HCS_API int32_t hcs_system_enumerate(hcs_client client, const char *query, uint32_t timeout_ms, hcs_schema_doc **doc,
                                     hcs_Properties **items, size_t *count, hcs_error *err);

/* The host service's properties, as hcs_service_properties_json returns
 * them (query_json a Service_PropertyQuery, NULL: HCS's default). The
 * schema types ServiceProperties.Properties as Any: element i is the raw
 * JSON of the answer to the i-th requested property type, which
 * hcs_schema_decode reads as its type (Basic: HCS_SCHEMA_BasicInformation,
 * QoSCapabilities: HCS_SCHEMA_QoSCapabilities, hcs-api §2.4). */
HCS_API int32_t hcs_service_properties(hcs_client client, const char *query_json, hcs_schema_doc **doc,
                                       hcs_ServiceProperties **out, hcs_error *err);

#ifdef __cplusplus
}
#endif

#endif
