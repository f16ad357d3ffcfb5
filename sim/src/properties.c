/* Compute-system property types (see properties.h). Choices the
 * documentation leaves open are marked "inferred" and listed in
 * docs/simulator-fidelity.md. */
#include "properties.h"

#include "behaviour.h"
#include "hcn.h"
#include "migration.h"
#include "process.h"
#include "profile.h"
#include "result.h"

#include <string.h>

typedef HRESULT (*answer_fn)(sim_system *sys, json_t *props, char detail[SIM_DETAIL_SIZE]);

/* MemoryInformationForVm; AssignedMemory counts 4 KiB pages (inferred). */
static HRESULT answer_memory(sim_system *sys, json_t *props, char detail[SIM_DETAIL_SIZE])
{
    (void)detail;
    uint64_t pages = sys->memory_mb * 256u;
    return json_object_set_new(props, "Memory",
                               json_pack("{s:i, s:{s:I, s:b}}", "VirtualNodeCount", 1, "VirtualMachineMemory",
                                         "AssignedMemory", (json_int_t)pages, "BalancingEnabled", 0)) == 0
               ? S_OK
               : E_OUTOFMEMORY;
}

/* GuestMemory (1809-2004): the schemas give its answer no member of
 * Properties, so the answer adds nothing (inferred). */
static HRESULT answer_guest_memory(sim_system *sys, json_t *props, char detail[SIM_DETAIL_SIZE])
{
    (void)sys;
    (void)props;
    (void)detail;
    return S_OK;
}

static HRESULT answer_statistics(sim_system *sys, json_t *props, char detail[SIM_DETAIL_SIZE])
{
    (void)detail;
    return json_object_set_new(props, "Statistics", hcssim__system_statistics(sys)) == 0 ? S_OK : E_OUTOFMEMORY;
}

static HRESULT answer_process_list(sim_system *sys, json_t *props, char detail[SIM_DETAIL_SIZE])
{
    (void)detail;
    return json_object_set_new(props, "ProcessList", hcssim__process_list(sys)) == 0 ? S_OK : E_OUTOFMEMORY;
}

static HRESULT answer_terminate_on_close(sim_system *sys, json_t *props, char detail[SIM_DETAIL_SIZE])
{
    (void)detail;
    return json_object_set_new(props, "TerminateOnLastHandleClosed", json_boolean(sys->terminate_on_last_close)) == 0
               ? S_OK
               : E_OUTOFMEMORY;
}

/* SharedMemoryRegionInfo for Devices.SharedMemory.Regions: each section
 * mapped above the VM's memory, from the next GiB up, 2 MiB aligned, in
 * the order added (inferred). */
static HRESULT answer_shared_memory(sim_system *sys, json_t *props, char detail[SIM_DETAIL_SIZE])
{
    (void)detail;
    const uint64_t gib = (uint64_t)1 << 30, align = (uint64_t)2 << 20;
    uint64_t at = (sys->memory_mb * ((uint64_t)1 << 20) + gib - 1) / gib * gib;
    json_t *list = json_array();
    size_t i;
    json_t *region;
    json_array_foreach(json_object_get(json_object_get(sys->devices, "SharedMemory"), "Regions"), i, region)
    {
        const char *name = json_string_value(json_object_get(region, "SectionName"));
        json_array_append_new(
            list, json_pack("{s:s, s:I}", "SectionName", name ? name : "", "GuestPhysicalAddress", (json_int_t)at));
        uint64_t length = (uint64_t)json_integer_value(json_object_get(region, "Length"));
        at += (length + align - 1) / align * align;
    }
    return json_object_set_new(props, "SharedMemoryRegionInfo", list) == 0 ? S_OK : E_OUTOFMEMORY;
}

/* GuestConnectionInfo, while the connection is up: from start to exit,
 * except while paused unless GuestConnection.UseConnectedSuspend (the
 * schema's description of it). The guest speaks the build's schema
 * versions; protocol version 4 is the one hcsshim's GCS bridge uses
 * (inferred). */
static HRESULT answer_guest_connection(sim_system *sys, json_t *props, char detail[SIM_DETAIL_SIZE])
{
    if (!sys->has_guest_connection) {
        hcssim__detail(detail, "GuestConnection: the virtual machine has no GuestConnection configured");
        return SIM_E_NOT_SUPPORTED;
    }
    if (sys->state != SIM_RUNNING && !(sys->state == SIM_PAUSED && sys->connected_suspend)) {
        hcssim__detail(detail, "GuestConnection: the guest connection is not established (the virtual machine is "
                               "not running)");
        return HCS_E_INVALID_STATE;
    }
    json_t *info = json_pack("{s:[{s:i, s:i}], s:i, s:{}}", "SupportedSchemaVersions", "Major", 2, "Minor",
                             sim_max_schema_minor(), "ProtocolVersion", 4, "GuestDefinedCapabilities");
    return json_object_set_new(props, "GuestConnectionInfo", info) == 0 ? S_OK : E_OUTOFMEMORY;
}

/* IntegrationComponentStatus of the heartbeat (2004 only): healthy while
 * running, no contact otherwise (inferred). */
static HRESULT answer_heartbeat(sim_system *sys, json_t *props, char detail[SIM_DETAIL_SIZE])
{
    (void)detail;
    bool up = sys->state == SIM_RUNNING;
    return json_object_set_new(props, "ICHeartbeatStatus",
                               json_pack("{s:b, s:s, s:s}", "IsEnabled", 1, "State", up ? "Ok" : "NoContact", "Reason",
                                         up ? "HealthyApps" : "Unknown")) == 0
               ? S_OK
               : E_OUTOFMEMORY;
}

/* The property types of the schemas (hcs-api §8.4): the builds whose enum
 * has each (by their newest schema minor: 1809 1, 1903 2, 2004 3, 2104 5,
 * 21H2 6) and whether only a virtual machine answers it. */
static const struct property_type {
    const char *name;
    int first_minor, last_minor;
    bool vm_only;
    answer_fn answer;
} property_types[] = {
    {"Memory", 0, 99, true, answer_memory},
    {"GuestMemory", 0, 3, true, answer_guest_memory},
    {"Statistics", 0, 99, false, answer_statistics},
    {"ProcessList", 0, 99, false, answer_process_list},
    {"TerminateOnLastHandleClosed", 0, 99, false, answer_terminate_on_close},
    {"SharedMemoryRegion", 0, 99, true, answer_shared_memory},
    {"GuestConnection", 0, 99, true, answer_guest_connection},
    {"ICHeartbeatStatus", 3, 3, true, answer_heartbeat},
};

static const struct property_type *type_of_build(const char *name)
{
    int minor = sim_max_schema_minor();
    for (size_t i = 0; name && i < sizeof property_types / sizeof property_types[0]; i++)
        if (strcmp(property_types[i].name, name) == 0 && minor >= property_types[i].first_minor &&
            minor <= property_types[i].last_minor)
            return &property_types[i];
    return NULL;
}

/* One requested type, added to props. */
static HRESULT answer(sim_system *sys, size_t index, const json_t *type, json_t *props, char detail[SIM_DETAIL_SIZE])
{
    const char *name = json_string_value(type);
    const struct property_type *t = type_of_build(name);
    if (!t) {
        hcssim__detail(detail, "System_PropertyQuery.PropertyTypes[%zu]: %s%.*s%s is not a property type of this build",
                       index, name ? "\"" : "", hcssim__clip(name ? name : "non-string value", 100),
                       name ? name : "non-string value", name ? "\"" : "");
        return HCS_E_INVALID_JSON;
    }
    if (t->vm_only && !sys->is_vm) {
        /* Inferred: as a container refuses what only a VM's partition
         * does (§11 #18). */
        hcssim__detail(detail, "System_PropertyQuery.PropertyTypes[%zu]: %s is answered for virtual machines only",
                       index, t->name);
        return SIM_E_NOT_SUPPORTED;
    }
    return t->answer(sys, props, detail);
}

/* Named queries (2.5), in PropertyResponses: CompatibilityInfo on a build
 * with live migration (hcs-newest §5 #9); the content of the others is
 * not published, so hcssim answers none of them (an empty map asks
 * nothing). */
static HRESULT answer_queries(sim_system *sys, const json_t *queries, json_t *props, char detail[SIM_DETAIL_SIZE])
{
    const char *name;
    json_t *value;
    json_object_foreach((json_t *)queries, name, value)
    {
        if (strcmp(name, "CompatibilityInfo") != 0 || !hcssim__profile_has("24H2")) {
            hcssim__detail(detail, "System_PropertyQuery.Queries.%.*s: hcssim answers no such named query",
                           hcssim__clip(name, 100), name);
            return HCS_E_INVALID_JSON;
        }
        json_t *info = NULL;
        HRESULT hr = hcssim__lm_compatibility(sys, &info, detail);
        if (FAILED(hr))
            return hr;
        if (json_object_set_new(props, "PropertyResponses", json_pack("{s:{s:o}}", name, "Response", info)) != 0)
            return E_OUTOFMEMORY;
    }
    return S_OK;
}

HRESULT hcssim__system_query(sim_system *sys, const json_t *query, json_t **out, char detail[SIM_DETAIL_SIZE])
{
    *out = NULL;
    if (sys->state == SIM_NEVER_CREATED) {
        hcssim__detail(detail, "the system was never created");
        return hcssim__system_not_found_code();
    }
    json_t *types = json_object_get(query, "PropertyTypes");
    if ((query && !json_is_object(query)) || (types && !json_is_array(types))) {
        hcssim__detail(detail, "System_PropertyQuery: expected {\"PropertyTypes\": [...]}");
        return HCS_E_INVALID_JSON;
    }
    json_t *props = hcssim__system_basic_properties(sys);
    if (!props)
        return E_OUTOFMEMORY;
    /* A container in an HCN namespace shows it and the endpoints HCS
     * attached (storage-and-network §3.2 step 5; the shape is inferred). */
    json_t *endpoints = sys->network_namespace ? hcssim__hcn_namespace_endpoints(sys->network_namespace) : NULL;
    if (endpoints)
        json_object_set_new(props, "Networking",
                            json_pack("{s:s, s:o}", "Namespace", sys->network_namespace, "Endpoints", endpoints));
    HRESULT hr = S_OK;
    size_t i;
    json_t *type;
    json_array_foreach(types, i, type)
    {
        hr = answer(sys, i, type, props, detail);
        if (FAILED(hr))
            break;
    }
    if (SUCCEEDED(hr))
        hr = answer_queries(sys, json_object_get(query, "Queries"), props, detail);
    if (FAILED(hr)) {
        json_decref(props);
        return hr;
    }
    *out = props;
    return S_OK;
}
