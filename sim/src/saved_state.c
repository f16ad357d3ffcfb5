/* Saved states (see saved_state.h). */
#include "saved_state.h"

#include "file.h"
#include "host.h"

#include <stdlib.h>

/* Marks a file as a saved state of this format. */
#define SIM_SAVED_STATE_FORMAT 1

HRESULT hcssim__saved_state_write(const sim_system *sys, const char *path, char detail[SIM_DETAIL_SIZE])
{
    json_t *state =
        json_pack("{s:i, s:s, s:I, s:I, s:o}", "HcssimSavedState", SIM_SAVED_STATE_FORMAT, "SystemId", sys->id,
                  "SizeInMB", (json_int_t)sys->memory_mb, "ProcessorCount", (json_int_t)sys->processor_count,
                  "ProcessorRequirements", hcssim__host_processor_requirements());
    if (state && sys->devices)
        json_object_set(state, "Devices", sys->devices);
    char *text = state ? json_dumps(state, JSON_COMPACT) : NULL;
    json_decref(state);
    HRESULT hr = text ? hcssim__file_write(path, text, detail) : E_OUTOFMEMORY;
    free(text);
    return hr;
}

static HRESULT not_a_state(const char *path, const char *why, char detail[SIM_DETAIL_SIZE])
{
    hcssim__detail(detail, "%.*s: %s", hcssim__clip(path, 200), path, why);
    return SIM_E_INVALID_DATA;
}

HRESULT hcssim__saved_state_read(const char *path, json_t **state, char detail[SIM_DETAIL_SIZE])
{
    *state = NULL;
    char *text = NULL;
    HRESULT hr = hcssim__file_read(path, SIM_MAX_DOCUMENT_UNITS, &text, detail);
    if (FAILED(hr))
        return hr;
    json_t *doc = text[0] ? json_loads(text, JSON_REJECT_DUPLICATES, NULL) : NULL;
    free(text);
    json_t *size = json_object_get(doc, "SizeInMB");
    json_t *count = json_object_get(doc, "ProcessorCount");
    json_t *devices = json_object_get(doc, "Devices");
    bool ok = json_integer_value(json_object_get(doc, "HcssimSavedState")) == SIM_SAVED_STATE_FORMAT &&
              json_is_integer(size) && json_integer_value(size) >= 0 && json_is_integer(count) &&
              json_integer_value(count) >= 0 && (!devices || json_is_object(devices)) &&
              json_is_object(json_object_get(doc, "ProcessorRequirements"));
    if (!ok) {
        json_decref(doc);
        return not_a_state(path, "the file holds no saved state (empty or corrupt)", detail);
    }
    *state = doc;
    return S_OK;
}

/* obj[name], made an empty object when absent. */
static json_t *member(json_t *obj, const char *name)
{
    json_t *m = json_object_get(obj, name);
    if (!m && json_object_set_new(obj, name, json_object()) == 0)
        m = json_object_get(obj, name);
    return m;
}

/* obj[name] = value, or no member when the saved value is 0 (the saved
 * VM's document did not set it). */
static void put_count(json_t *obj, const char *name, json_t *value)
{
    if (json_integer_value(value) > 0)
        json_object_set(obj, name, value);
    else
        json_object_del(obj, name);
}

HRESULT hcssim__saved_state_restore(json_t *doc, char detail[SIM_DETAIL_SIZE])
{
    json_t *vm = json_object_get(doc, "VirtualMachine");
    const char *path = json_string_value(json_object_get(json_object_get(vm, "RestoreState"), "SaveStateFilePath"));
    if (!path || !path[0])
        return S_OK; /* empty: not restored (the schema's "no state") */
    json_t *state = NULL;
    HRESULT hr = hcssim__saved_state_read(path, &state, detail);
    if (SUCCEEDED(hr) && !hcssim__host_meets(json_object_get(state, "ProcessorRequirements"), detail))
        hr = SIM_E_INVALID_DATA;
    if (FAILED(hr)) {
        json_decref(state);
        return hr;
    }
    json_t *topology = member(vm, "ComputeTopology");
    put_count(member(topology, "Memory"), "SizeInMB", json_object_get(state, "SizeInMB"));
    put_count(member(topology, "Processor"), "Count", json_object_get(state, "ProcessorCount"));
    json_t *devices = json_object_get(state, "Devices");
    if (devices)
        json_object_set(vm, "Devices", devices);
    else
        json_object_del(vm, "Devices");
    json_decref(state);
    return S_OK;
}
