/* A VM's devices (see devices.h). The maximums are host.h's; where the
 * documentation gives none the choice is marked "inferred" there and in
 * docs/simulator-fidelity.md, "Limits". */
#include "devices.h"

#include "host.h"
#include "layer.h"
#include "result.h"

#include <stdlib.h>
#include <string.h>

/* ---- keys and counts ---------------------------------------------------- */

/* A decimal key ("0", "63") no greater than max. */
static bool key_in_range(const char *key, unsigned long max)
{
    if (!key[0] || strlen(key) > 10)
        return false;
    unsigned long long n = 0;
    for (const char *c = key; *c; c++) {
        if (*c < '0' || *c > '9')
            return false;
        n = n * 10 + (unsigned)(*c - '0');
    }
    return n <= max;
}

static HRESULT wrong_type(char detail[SIM_DETAIL_SIZE], const char *where, const char *expected)
{
    hcssim__detail(detail, "VirtualMachine.Devices.%s: expected %s", where, expected);
    return HCS_E_INVALID_JSON;
}

static HRESULT too_many(char detail[SIM_DETAIL_SIZE], const char *what, size_t max)
{
    hcssim__detail(detail, "VirtualMachine.Devices.%s: a virtual machine may have at most %zu", what, max);
    return E_INVALIDARG;
}

static HRESULT bad_key(char detail[SIM_DETAIL_SIZE], const char *what, const char *key, unsigned long max)
{
    hcssim__detail(detail, "VirtualMachine.Devices.%s[\"%.*s\"]: the key must be a number from 0 to %lu", what,
                   hcssim__clip(key, 60), key, max);
    return E_INVALIDARG;
}

/* A map of objects, at most max_count of them, keyed 0..max_key when
 * max_key is given (names otherwise). */
static HRESULT check_map(const json_t *map, const char *what, size_t max_count, const unsigned long *max_key,
                         char detail[SIM_DETAIL_SIZE])
{
    if (!map)
        return S_OK;
    if (!json_is_object(map))
        return wrong_type(detail, what, "an object");
    if (json_object_size(map) > max_count)
        return too_many(detail, what, max_count);
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)map, key, value)
    {
        if (!json_is_object(value))
            return wrong_type(detail, what, "an object of objects");
        if (max_key && !key_in_range(key, *max_key))
            return bad_key(detail, what, key, *max_key);
    }
    return S_OK;
}

/* Whether item[name_member] is the string name. */
static bool named(const json_t *item, const char *name_member, const char *name)
{
    const char *have = json_string_value(json_object_get(item, name_member));
    return have && strcmp(have, name) == 0;
}

/* holder[list]: an array of at most max objects whose name_member strings
 * differ. */
static HRESULT check_named(const json_t *holder, const char *what, const char *list, const char *name_member,
                           size_t max, char detail[SIM_DETAIL_SIZE])
{
    if (!holder)
        return S_OK;
    if (!json_is_object(holder))
        return wrong_type(detail, what, "an object");
    const json_t *items = json_object_get(holder, list);
    if (!items)
        return S_OK;
    if (!json_is_array(items))
        return wrong_type(detail, what, "an array in its list member");
    if (json_array_size(items) > max)
        return too_many(detail, what, max);
    for (size_t i = 0; i < json_array_size(items); i++) {
        const json_t *item = json_array_get(items, i);
        if (!json_is_object(item))
            return wrong_type(detail, what, "an array of objects");
        const char *name = json_string_value(json_object_get(item, name_member));
        for (size_t j = 0; name && j < i; j++)
            if (named(json_array_get(items, j), name_member, name)) {
                hcssim__detail(detail, "VirtualMachine.Devices.%s: two entries are named \"%.*s\"", what,
                               hcssim__clip(name, 60), name);
                return E_INVALIDARG;
            }
    }
    return S_OK;
}

HRESULT hcssim__devices_check(const json_t *devices, char detail[SIM_DETAIL_SIZE])
{
    if (!devices)
        return S_OK;
    if (!json_is_object(devices)) {
        hcssim__detail(detail, "VirtualMachine.Devices: expected an object");
        return HCS_E_INVALID_JSON;
    }
    const json_t *scsi = json_object_get(devices, "Scsi");
    const unsigned long max_lun = SIM_VM_MAX_SCSI_LUNS - 1, max_com = SIM_VM_MAX_COM_PORTS - 1,
                        max_pmem = SIM_VM_MAX_VPMEM_DEVICES - 1;
    HRESULT hr = check_map(scsi, "Scsi", SIM_VM_MAX_SCSI_CONTROLLERS, NULL, detail);
    const char *name;
    json_t *controller;
    json_object_foreach((json_t *)(SUCCEEDED(hr) ? scsi : NULL), name, controller)
    {
        const json_t *attachments = json_object_get(controller, "Attachments");
        hr = check_map(attachments, "Scsi.Attachments", SIM_VM_MAX_SCSI_LUNS, &max_lun, detail);
        const char *lun;
        json_t *attachment;
        json_object_foreach((json_t *)(SUCCEEDED(hr) ? attachments : NULL), lun, attachment)
        {
            hr = hcssim__layer_check_vhd_free(json_string_value(json_object_get(attachment, "Path")),
                                              "VirtualMachine.Devices.Scsi.Attachments", detail);
            if (FAILED(hr))
                break;
        }
        if (FAILED(hr))
            return hr;
    }
    if (SUCCEEDED(hr))
        hr = check_map(json_object_get(devices, "NetworkAdapters"), "NetworkAdapters", SIM_VM_MAX_NETWORK_ADAPTERS,
                       NULL, detail);
    if (SUCCEEDED(hr))
        hr = check_map(json_object_get(devices, "ComPorts"), "ComPorts", SIM_VM_MAX_COM_PORTS, &max_com, detail);
    const json_t *pmem = json_object_get(devices, "VirtualPMem");
    if (SUCCEEDED(hr) && pmem && !json_is_object(pmem))
        hr = wrong_type(detail, "VirtualPMem", "an object");
    if (SUCCEEDED(hr))
        hr = check_map(json_object_get(pmem, "Devices"), "VirtualPMem.Devices", SIM_VM_MAX_VPMEM_DEVICES, &max_pmem,
                       detail);
    if (SUCCEEDED(hr))
        hr =
            check_named(json_object_get(devices, "Plan9"), "Plan9.Shares", "Shares", "Name", SIM_VM_MAX_SHARES, detail);
    if (SUCCEEDED(hr))
        hr = check_named(json_object_get(devices, "VirtualSmb"), "VirtualSmb.Shares", "Shares", "Name",
                         SIM_VM_MAX_SHARES, detail);
    if (SUCCEEDED(hr))
        hr = check_named(json_object_get(devices, "SharedMemory"), "SharedMemory.Regions", "Regions", "SectionName",
                         SIM_VM_MAX_SHARES, detail);
    return hr;
}

/* ---- changes ------------------------------------------------------------ */

static HRESULT change_failed(HRESULT hr, char detail[SIM_DETAIL_SIZE], const char *path, const char *why)
{
    hcssim__detail(detail, "%.*s: %s", hcssim__clip(path, 160), path, why);
    return hr;
}

static HRESULT bad_settings(char detail[SIM_DETAIL_SIZE], const char *path, const char *expected)
{
    hcssim__detail(detail, "ModifySettingRequest.Settings for %.*s: expected %s", hcssim__clip(path, 160), path,
                   expected);
    return HCS_E_INVALID_JSON;
}

/* obj[name] as an object or array (made when absent). */
static json_t *member(json_t *obj, const char *name, bool array)
{
    json_t *m = json_object_get(obj, name);
    if (!m && json_object_set_new(obj, name, array ? json_array() : json_object()) == 0)
        m = json_object_get(obj, name);
    return m;
}

/* A device kept in a map under `key`: adapters, attachments, COM ports,
 * PMem devices. Remove needs no Settings (hcs-api §8.6). */
static HRESULT change_keyed(json_t *map, const char *key, int type, const json_t *settings, size_t max,
                            const char *path, char detail[SIM_DETAIL_SIZE])
{
    bool have = json_object_get(map, key) != NULL;
    if (type == SIM_ADD && have)
        return change_failed(SIM_E_ALREADY_EXISTS, detail, path, "already present");
    if (type != SIM_ADD && !have)
        return change_failed(SIM_E_NOT_FOUND, detail, path, "no such device");
    if (type == SIM_REMOVE)
        return json_object_del(map, key) == 0 ? S_OK : E_OUTOFMEMORY;
    if (!json_is_object(settings))
        return bad_settings(detail, path, "an object");
    if (type == SIM_ADD && json_object_size(map) >= max) {
        hcssim__detail(detail, "%.*s: a virtual machine may have at most %zu", hcssim__clip(path, 160), path, max);
        return E_INVALIDARG;
    }
    return json_object_set_new(map, key, json_deep_copy(settings)) == 0 ? S_OK : E_OUTOFMEMORY;
}

/* A share or region kept in a list and named by item[name_member]:
 * Settings name the entry for every request type. */
static HRESULT change_named(json_t *list, const char *name_member, int type, const json_t *settings, const char *path,
                            char detail[SIM_DETAIL_SIZE])
{
    const char *name = json_string_value(json_object_get(settings, name_member));
    if (!json_is_object(settings) || !name)
        return bad_settings(detail, path,
                            name_member[0] == 'N' ? "an object with a Name" : "an object with a SectionName");
    size_t at = 0;
    while (at < json_array_size(list) && !named(json_array_get(list, at), name_member, name))
        at++;
    bool have = at < json_array_size(list);
    if (type == SIM_ADD && have)
        return change_failed(SIM_E_ALREADY_EXISTS, detail, path, "an entry of this name is already present");
    if (type != SIM_ADD && !have)
        return change_failed(SIM_E_NOT_FOUND, detail, path, "no entry of this name");
    if (type == SIM_REMOVE)
        return json_array_remove(list, at) == 0 ? S_OK : E_OUTOFMEMORY;
    if (type == SIM_UPDATE)
        return json_array_set_new(list, at, json_deep_copy(settings)) == 0 ? S_OK : E_OUTOFMEMORY;
    if (json_array_size(list) >= SIM_VM_MAX_SHARES) {
        hcssim__detail(detail, "%.*s: a virtual machine may have at most %u", hcssim__clip(path, 160), path,
                       SIM_VM_MAX_SHARES);
        return E_INVALIDARG;
    }
    return json_array_append_new(list, json_deep_copy(settings)) == 0 ? S_OK : E_OUTOFMEMORY;
}

/* Splits "a/b/c" into at most max segments (copies in buf); returns how
 * many, or max + 1 when there are more. */
static size_t split(const char *path, char *buf, size_t size, const char **seg, size_t max)
{
    size_t len = strlen(path);
    if (len >= size)
        return max + 1;
    memcpy(buf, path, len + 1);
    size_t n = 0;
    for (char *p = buf; p; n++) {
        if (n == max)
            return max + 1;
        seg[n] = p;
        p = strchr(p, '/');
        if (p)
            *p++ = '\0';
    }
    return n;
}

static HRESULT key_out_of_range(char detail[SIM_DETAIL_SIZE], const char *path, unsigned long max)
{
    hcssim__detail(detail, "%.*s: the index must be a number from 0 to %lu", hcssim__clip(path, 160), path, max);
    return E_INVALIDARG;
}

HRESULT hcssim__devices_modify(json_t *devices, const char *path, int type, const json_t *settings, bool *handled,
                               char detail[SIM_DETAIL_SIZE])
{
    char buf[512];
    const char *seg[8];
    size_t n = split(path, buf, sizeof buf, seg, 8);
    *handled = n >= 4 && n <= 6 && strcmp(seg[0], "VirtualMachine") == 0 && strcmp(seg[1], "Devices") == 0;
    if (!*handled)
        return S_OK;
    const char *kind = seg[2];
    if (n == 6 && strcmp(kind, "Scsi") == 0 && strcmp(seg[4], "Attachments") == 0) {
        json_t *controller = json_object_get(json_object_get(devices, "Scsi"), seg[3]);
        if (!controller) /* controllers are not added while running */
            return change_failed(SIM_E_NOT_FOUND, detail, path, "no SCSI controller of this name");
        if (!key_in_range(seg[5], SIM_VM_MAX_SCSI_LUNS - 1))
            return key_out_of_range(detail, path, SIM_VM_MAX_SCSI_LUNS - 1);
        HRESULT hr =
            type == SIM_REMOVE
                ? S_OK
                : hcssim__layer_check_vhd_free(json_string_value(json_object_get(settings, "Path")), path, detail);
        if (FAILED(hr))
            return hr;
        return change_keyed(member(controller, "Attachments", false), seg[5], type, settings, SIM_VM_MAX_SCSI_LUNS,
                            path, detail);
    }
    if (n == 4 && strcmp(kind, "NetworkAdapters") == 0)
        return change_keyed(member(devices, "NetworkAdapters", false), seg[3], type, settings,
                            SIM_VM_MAX_NETWORK_ADAPTERS, path, detail);
    if (n == 4 && strcmp(kind, "ComPorts") == 0) {
        if (!key_in_range(seg[3], SIM_VM_MAX_COM_PORTS - 1))
            return key_out_of_range(detail, path, SIM_VM_MAX_COM_PORTS - 1);
        return change_keyed(member(devices, "ComPorts", false), seg[3], type, settings, SIM_VM_MAX_COM_PORTS, path,
                            detail);
    }
    if (n == 5 && strcmp(kind, "VirtualPMem") == 0 && strcmp(seg[3], "Devices") == 0) {
        if (!key_in_range(seg[4], SIM_VM_MAX_VPMEM_DEVICES - 1))
            return key_out_of_range(detail, path, SIM_VM_MAX_VPMEM_DEVICES - 1);
        return change_keyed(member(member(devices, "VirtualPMem", false), "Devices", false), seg[4], type, settings,
                            SIM_VM_MAX_VPMEM_DEVICES, path, detail);
    }
    static const struct {
        const char *kind, *list, *name_member;
    } lists[] = {
        {"Plan9", "Shares", "Name"},
        {"VirtualSmb", "Shares", "Name"},
        {"SharedMemory", "Regions", "SectionName"},
    };
    for (size_t i = 0; n == 4 && i < sizeof lists / sizeof lists[0]; i++)
        if (strcmp(kind, lists[i].kind) == 0 && strcmp(seg[3], lists[i].list) == 0)
            return change_named(member(member(devices, kind, false), lists[i].list, true), lists[i].name_member, type,
                                settings, path, detail);
    *handled = false;
    return S_OK;
}
