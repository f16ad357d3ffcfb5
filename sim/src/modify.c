/* ModifySettingRequest handling (see modify.h). */
#include "modify.h"

#include "devices.h"
#include "host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ADD = SIM_ADD, REMOVE = SIM_REMOVE, UPDATE = SIM_UPDATE, ANY = ADD | REMOVE | UPDATE };

/* A VM resource path pattern: "<id>" matches any non-empty segment,
 * "<n>" an unsigned integer (hcs-api §8.6). */
static const struct {
    const char *pattern;
    int allowed;
} vm_paths[] = {
    {"VirtualMachine/ComputeTopology/Processor/CpuGroup", ANY},
    {"VirtualMachine/ComputeTopology/Processor/IdledProcessors", UPDATE},
    {"VirtualMachine/ComputeTopology/Processor/CpuFrequencyPowerCap", ANY},
    {"VirtualMachine/ComputeTopology/Processor/Limits", UPDATE},
    {"VirtualMachine/Devices/FlexibleIov/<id>", ADD},
    {"VirtualMachine/ComputeTopology/Gpu", UPDATE},
    {"VirtualMachine/Devices/MappedPipes/<id>", ADD | REMOVE},
    {"VirtualMachine/ComputeTopology/Memory/SizeInMB", ANY},
    {"VirtualMachine/Devices/NetworkAdapters/<id>", ANY},
    {"VirtualMachine/Devices/Plan9/Shares", ANY},
    {"VirtualMachine/Devices/Scsi/<id>/Attachments/<n>", ANY},
    {"VirtualMachine/Devices/ComPorts/<n>", ANY},
    {"VirtualMachine/Devices/SharedMemory/Regions", ANY},
    {"VirtualMachine/Devices/VirtualPMem/Devices/<n>", ADD | REMOVE},
    {"VirtualMachine/Devices/VirtualPMem/Devices/<n>/Mappings/<n>", ADD | REMOVE},
    {"VirtualMachine/Devices/VirtualSmb/Shares", ANY},
    {"VirtualMachine/Devices/VirtualPci/<id>", ADD | REMOVE},
};

static bool segment_matches(const char *pat, size_t plen, const char *seg, size_t slen)
{
    if (plen == 4 && memcmp(pat, "<id>", 4) == 0)
        return slen > 0;
    if (plen == 3 && memcmp(pat, "<n>", 3) == 0) {
        for (size_t i = 0; i < slen; i++)
            if (seg[i] < '0' || seg[i] > '9')
                return false;
        return slen > 0 && slen <= 10;
    }
    return plen == slen && memcmp(pat, seg, slen) == 0;
}

static bool path_matches(const char *pattern, const char *path)
{
    while (*pattern && *path) {
        size_t plen = strcspn(pattern, "/"), slen = strcspn(path, "/");
        if (!segment_matches(pattern, plen, path, slen))
            return false;
        pattern += plen + (pattern[plen] == '/');
        path += slen + (path[slen] == '/');
    }
    return !*pattern && !*path;
}

static int request_type(const char *name)
{
    if (!name || strcmp(name, "Add") == 0) /* Add when omitted, as in the schema's default */
        return ADD;
    if (strcmp(name, "Remove") == 0)
        return REMOVE;
    if (strcmp(name, "Update") == 0)
        return UPDATE;
    return 0;
}

static HRESULT invalid(char detail[SIM_DETAIL_SIZE], const char *what, const char *value)
{
    hcssim__detail(detail, "ModifySettingRequest.%s%s%.*s", what, value ? ": " : "",
                   hcssim__clip(value ? value : "", 160), value ? value : "");
    return HCS_E_INVALID_JSON;
}

/* Memory/SizeInMB: a whole number of MB (HCS_E_INVALID_JSON otherwise),
 * even and within the VM's bounds (E_INVALIDARG otherwise, as at create). */
static HRESULT resize_memory(sim_system *sys, const json_t *settings, char detail[SIM_DETAIL_SIZE])
{
    if (!json_is_integer(settings) || json_integer_value(settings) < 1)
        return invalid(detail, "Settings: expected the memory size in MB (a positive integer)", NULL);
    uint64_t mb = (uint64_t)json_integer_value(settings);
    if (mb % 2 || mb < SIM_VM_MIN_MEMORY_MB || mb > SIM_VM_MAX_MEMORY_MB) {
        hcssim__detail(detail, "ModifySettingRequest.Settings: %llu MB is not an even size from %u MB to 12 TB",
                       (unsigned long long)mb, SIM_VM_MIN_MEMORY_MB);
        return E_INVALIDARG;
    }
    sys->memory_mb = mb;
    return S_OK;
}

static HRESULT apply_vm(sim_system *sys, const char *path, int type, const json_t *settings,
                        char detail[SIM_DETAIL_SIZE])
{
    size_t i = 0;
    while (i < sizeof vm_paths / sizeof vm_paths[0] && !path_matches(vm_paths[i].pattern, path))
        i++;
    if (i == sizeof vm_paths / sizeof vm_paths[0]) {
        /* A path HCS does not know is a bad argument (zlayer-hcs §1.4:
         * E_INVALIDARG for a share path with an index appended). */
        invalid(detail, "ResourcePath is not a known virtual machine resource", path);
        return E_INVALIDARG;
    }
    if (!(vm_paths[i].allowed & type))
        return invalid(detail, "RequestType is not allowed for", path);
    if (strcmp(vm_paths[i].pattern, "VirtualMachine/ComputeTopology/Memory/SizeInMB") == 0)
        return resize_memory(sys, settings, detail);
    bool handled = false;
    HRESULT hr = hcssim__devices_modify(sys->devices, path, type, settings, &handled, detail);
    if (handled)
        return hr;
    if (type != REMOVE && settings && !json_is_object(settings) && !json_is_integer(settings))
        return invalid(detail, "Settings: expected an object", NULL);
    return S_OK; /* a resource the simulator does not keep */
}

HRESULT hcssim__modify_apply(sim_system *sys, const json_t *request, char detail[SIM_DETAIL_SIZE])
{
    if (!json_is_object(request))
        return invalid(detail, "", "expected a JSON object");
    json_t *path_value = json_object_get(request, "ResourcePath");
    json_t *type_value = json_object_get(request, "RequestType");
    const char *path = json_string_value(path_value);
    int type = request_type(json_string_value(type_value));
    if ((path_value && !path) || (type_value && !json_is_string(type_value)) || !type)
        return invalid(detail, "RequestType or ResourcePath",
                       "expected \"Add\", \"Remove\" or \"Update\" and a string");
    if (!path) {
        /* A request for the guest agent alone. */
        return json_object_get(request, "GuestRequest") ? S_OK : invalid(detail, "ResourcePath", "missing");
    }
    if (sys->is_vm)
        return apply_vm(sys, path, type, json_object_get(request, "Settings"), detail);
    /* Container resource paths are not documented (inferred: any path
     * under "Container/"). */
    return strncmp(path, "Container/", 10) == 0 && path[10]
               ? S_OK
               : invalid(detail, "ResourcePath is not a container resource", path);
}
