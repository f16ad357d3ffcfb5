/* ComputeSystem limits (see config.h). Choices the documentation leaves
 * open are marked "inferred" and listed in docs/simulator-fidelity.md. */
#include "config.h"

#include "devices.h"
#include "host.h"
#include "migration.h"
#include "profile.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static HRESULT refuse(HRESULT hr, char detail[SIM_DETAIL_SIZE], const char *fmt, ...) SIM_PRINTF(3, 4);
static HRESULT refuse(HRESULT hr, char detail[SIM_DETAIL_SIZE], const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    hcssim__vdetail(detail, fmt, ap);
    va_end(ap);
    return hr;
}

/* obj[name] when it is absent or of the JSON type want (JSON_TRUE: a
 * boolean); *out is the member or NULL. */
static HRESULT typed(const json_t *obj, const char *name, json_type want, const char *where, const json_t **out,
                     char detail[SIM_DETAIL_SIZE])
{
    *out = json_object_get(obj, name);
    bool ok = !*out || (want == JSON_TRUE ? json_is_boolean(*out) : json_typeof(*out) == want);
    if (ok)
        return S_OK;
    return refuse(HCS_E_INVALID_JSON, detail, "%s.%s: expected %s", where, name,
                  want == JSON_OBJECT   ? "an object"
                  : want == JSON_STRING ? "a string"
                                        : "an integer");
}

/* ---- virtual machines --------------------------------------------------- */

static HRESULT check_memory(const json_t *memory, char detail[SIM_DETAIL_SIZE])
{
    const json_t *size;
    HRESULT hr = typed(memory, "SizeInMB", JSON_INTEGER, "VirtualMachine.ComputeTopology.Memory", &size, detail);
    if (FAILED(hr) || !size)
        return hr;
    json_int_t mb = json_integer_value(size);
    /* hcsshim aligns every size to 2 MB before it asks (NormalizeMemorySize);
     * the bounds are Hyper-V's. */
    if (mb % 2 || mb < (json_int_t)SIM_VM_MIN_MEMORY_MB || (uint64_t)mb > SIM_VM_MAX_MEMORY_MB)
        return refuse(E_INVALIDARG, detail,
                      "VirtualMachine.ComputeTopology.Memory.SizeInMB: %lld is not an even size from %u MB to 12 TB",
                      (long long)mb, SIM_VM_MIN_MEMORY_MB);
    return S_OK;
}

/* A count of processors: at least 1, and no more than the host has
 * (hcsshim caps its request at the ProcessorTopology count for that
 * reason) nor Hyper-V's maximum. */
static HRESULT check_count(const json_t *count, const char *where, char detail[SIM_DETAIL_SIZE])
{
    json_int_t n = json_integer_value(count);
    if (!count || (n >= 1 && n <= (json_int_t)SIM_HOST_LOGICAL_PROCESSORS && n <= (json_int_t)SIM_VM_MAX_PROCESSORS))
        return S_OK;
    return refuse(E_INVALIDARG, detail, "%s.Count: %lld is not from 1 to the host's %u logical processors", where,
                  (long long)n, SIM_HOST_LOGICAL_PROCESSORS);
}

/* VirtualMachine.MigrationOptions, a destination's (hcs-newest §5 #13):
 * only a build with live migration knows it (inferred). */
static HRESULT check_migration_options(const json_t *options, char detail[SIM_DETAIL_SIZE])
{
    if (!options)
        return S_OK;
    if (!hcssim__profile_has("24H2"))
        return refuse(HCS_E_INVALID_JSON, detail, "VirtualMachine.MigrationOptions: this build has no live migration");
    return hcssim__lm_check_options(options, false, "VirtualMachine.MigrationOptions", detail);
}

static HRESULT check_vm(const json_t *vm, char detail[SIM_DETAIL_SIZE])
{
    static const char *const objects[] = {"ComputeTopology", "Devices",    "GuestConnection",
                                          "RestoreState",    "GuestState", "Chipset"};
    const json_t *m = NULL;
    HRESULT hr = S_OK;
    for (size_t i = 0; SUCCEEDED(hr) && i < sizeof objects / sizeof objects[0]; i++)
        hr = typed(vm, objects[i], JSON_OBJECT, "VirtualMachine", &m, detail);
    const json_t *topology = json_object_get(vm, "ComputeTopology"), *memory = NULL, *processor = NULL, *count;
    if (SUCCEEDED(hr))
        hr = typed(topology, "Memory", JSON_OBJECT, "VirtualMachine.ComputeTopology", &memory, detail);
    if (SUCCEEDED(hr))
        hr = typed(topology, "Processor", JSON_OBJECT, "VirtualMachine.ComputeTopology", &processor, detail);
    if (SUCCEEDED(hr))
        hr = typed(processor, "Count", JSON_INTEGER, "VirtualMachine.ComputeTopology.Processor", &count, detail);
    if (SUCCEEDED(hr))
        hr = check_count(count, "VirtualMachine.ComputeTopology.Processor", detail);
    if (SUCCEEDED(hr))
        hr = check_memory(memory, detail);
    const json_t *restore = json_object_get(vm, "RestoreState");
    if (SUCCEEDED(hr))
        hr = typed(restore, "SaveStateFilePath", JSON_STRING, "VirtualMachine.RestoreState", &m, detail);
    if (SUCCEEDED(hr))
        hr = typed(restore, "TemplateSystemId", JSON_STRING, "VirtualMachine.RestoreState", &m, detail);
    if (SUCCEEDED(hr))
        hr = hcssim__devices_check(json_object_get(vm, "Devices"), detail);
    if (SUCCEEDED(hr))
        hr = check_migration_options(json_object_get(vm, "MigrationOptions"), detail);
    return hr;
}

/* ---- containers --------------------------------------------------------- */

/* A DNS host name label: 1 to 63 letters, digits and hyphens (inferred:
 * the rule for a Windows computer's host name). */
static bool host_name_valid(const char *name)
{
    size_t n = strlen(name);
    if (n < 1 || n > 63)
        return false;
    for (const char *c = name; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '-'))
            return false;
    return true;
}

static HRESULT check_guest_os(const json_t *guest_os, const char *where, char detail[SIM_DETAIL_SIZE])
{
    static const sim_field fields[] = {{"HostName", JSON_STRING}};
    if (!guest_os)
        return S_OK;
    if (!json_is_object(guest_os))
        return refuse(HCS_E_INVALID_JSON, detail, "%s.GuestOs: expected an object", where);
    HRESULT hr = hcssim__check_fields(guest_os, "GuestOs", fields, 1, detail);
    const char *name = json_string_value(json_object_get(guest_os, "HostName"));
    if (SUCCEEDED(hr) && name && !host_name_valid(name))
        return refuse(E_INVALIDARG, detail, "%s.GuestOs.HostName: \"%.*s\" is not 1 to 63 letters, digits and hyphens",
                      where, hcssim__clip(name, 80), name);
    return hr;
}

/* Container_Processor: Count, Weight and Maximum are mutually exclusive
 * (hcs-api §8.2); Weight is 0 to 10000, Maximum 1 to 10000 (cycles per
 * 10 000, the schema's descriptions). */
static HRESULT check_container_processor(const json_t *processor, const char *where, char detail[SIM_DETAIL_SIZE])
{
    static const sim_field fields[] = {{"Count", JSON_INTEGER}, {"Weight", JSON_INTEGER}, {"Maximum", JSON_INTEGER}};
    if (!processor)
        return S_OK;
    if (!json_is_object(processor))
        return refuse(HCS_E_INVALID_JSON, detail, "%s.Processor: expected an object", where);
    HRESULT hr = hcssim__check_fields(processor, "Container_Processor", fields, 3, detail);
    if (FAILED(hr))
        return hr;
    if (json_object_size(processor) > 1)
        return refuse(E_INVALIDARG, detail, "%s.Processor: Count, Weight and Maximum exclude each other", where);
    json_t *weight = json_object_get(processor, "Weight"), *maximum = json_object_get(processor, "Maximum");
    if (weight && (json_integer_value(weight) < 0 || json_integer_value(weight) > 10000))
        return refuse(E_INVALIDARG, detail, "%s.Processor.Weight: expected 0 to 10000", where);
    if (maximum && (json_integer_value(maximum) < 1 || json_integer_value(maximum) > 10000))
        return refuse(E_INVALIDARG, detail, "%s.Processor.Maximum: expected 1 to 10000", where);
    char inner[64];
    snprintf(inner, sizeof inner, "%s.Processor", where);
    return check_count(json_object_get(processor, "Count"), inner, detail);
}

static HRESULT check_container(const json_t *container, const char *where, char detail[SIM_DETAIL_SIZE])
{
    if (!container)
        return S_OK;
    if (!json_is_object(container))
        return refuse(HCS_E_INVALID_JSON, detail, "%s: expected an object", where);
    HRESULT hr = check_guest_os(json_object_get(container, "GuestOs"), where, detail);
    return SUCCEEDED(hr) ? check_container_processor(json_object_get(container, "Processor"), where, detail) : hr;
}

HRESULT hcssim__config_check(const json_t *doc, char detail[SIM_DETAIL_SIZE])
{
    const json_t *vm = json_object_get(doc, "VirtualMachine");
    if (vm)
        return check_vm(vm, detail);
    HRESULT hr = check_container(json_object_get(doc, "Container"), "Container", detail);
    if (SUCCEEDED(hr))
        hr = check_container(json_object_get(json_object_get(doc, "HostedSystem"), "Container"),
                             "HostedSystem.Container", detail);
    return hr;
}

const char *hcssim__config_host_name(const json_t *doc)
{
    const json_t *container = json_object_get(doc, "Container");
    if (!container)
        container = json_object_get(json_object_get(doc, "HostedSystem"), "Container");
    return json_string_value(json_object_get(json_object_get(container, "GuestOs"), "HostName"));
}
