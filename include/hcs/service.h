/* The host's compute service itself: its properties and settings
 * (HcsGetServiceProperties, HcsModifyServiceSettings).
 *
 * These HCS functions are synchronous: there is no operation, timeout or
 * async form; each call returns when HCS has answered. A provider without
 * the function (an older Windows build) fails only that call, with
 * HCS_WIN32_E_PROC_NOT_FOUND. When HCS refuses a call, the ResultError it
 * returns is parsed into err->result (error.h).
 *
 * Threading: every function may be called from any thread. */
#ifndef HCS_SERVICE_H
#define HCS_SERVICE_H

#include "client.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A schema version the host understands, e.g. 2.1. */
typedef struct hcs_schema_version {
    uint32_t major;
    uint32_t minor;
} hcs_schema_version;

/* Queries the service. query_json is a Service_PropertyQuery, e.g.
 * {"PropertyTypes":["Basic","ProcessorTopology"]} (NULL: HCS's default).
 * On success *out_json is the ServiceProperties document (free it with
 * hcs_free), its Properties array holding one answer per requested type,
 * in order (typed: hcs_service_properties, properties.h). A property type
 * the host does not know fails the call (HCS_E_INVALID_JSON on the hosts
 * seen so far). */
HCS_API int32_t hcs_service_properties_json(hcs_client client, const char *query_json, char **out_json, hcs_error *err);

/* The schema versions the host supports (the Basic property), oldest
 * first. *count receives how many there are; the first min(max, *count)
 * are copied to out (out may be NULL when max is 0, to learn the count).
 * HCS_E_INVALID_JSON when the host's answer has no SupportedSchemaVersions. */
HCS_API int32_t hcs_service_schema_versions(hcs_client client, hcs_schema_version *out, size_t max, size_t *count,
                                            hcs_error *err);

/* Changes a service setting. settings_json is a ModificationRequest, e.g.
 * {"PropertyType":"CpuGroup","Settings":{"Operation":"CreateGroup",
 * "OperationDetails":{...}}}. A refused request returns HCS's code with
 * its ResultError in err->result. */
HCS_API int32_t hcs_service_modify(hcs_client client, const char *settings_json, hcs_error *err);

#ifdef __cplusplus
}
#endif

#endif
