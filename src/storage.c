/* Container layer storage over computestorage's functions (hcs/storage.h).
 * They are in the client's function table with computecore's: from the
 * provider when it is a simulator, else from the storage library beside it
 * (provider.c, "the libraries beside computecore"). */
#include "hcs/storage.h"

#include "client_internal.h"
#include "error_internal.h"
#include "platform/thread.h"
#include "schema/json_writer.h"
#include "util/guid.h"
#include "util/utf16.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the functions' places in the table ---------------------------------- */

#define STORAGE_INDEX(ret, fn, params, req) STORAGE_##fn,
enum { HCS_STORAGE_API_FUNCTIONS(STORAGE_INDEX) STORAGE_COUNT };
#undef STORAGE_INDEX

#define STORAGE_NAME(ret, fn, params, req) #fn,
static const char *const storage_names[] = {HCS_STORAGE_API_FUNCTIONS(STORAGE_NAME)};
#undef STORAGE_NAME

#define STORAGE_OFFSET(ret, fn, params, req) offsetof(hcs_api, fn),
static const size_t storage_offsets[] = {HCS_STORAGE_API_FUNCTIONS(STORAGE_OFFSET)};
#undef STORAGE_OFFSET

/* ---- arguments ------------------------------------------------------------ */

static bool same_guid(const char *a, const char *b)
{
    while (*a && tolower((unsigned char)*a) == tolower((unsigned char)*b))
        a++, b++;
    return *a == *b;
}

/* LayerData (§1.3) for the layers, with FilterType when filter is not
 * NULL; malloc'ed in *out. Bad lists fail with HCS_COM_E_INVALIDARG. */
static int32_t layer_data(const hcs_layer_spec *layers, size_t count, const char *filter, char **out, const char *name,
                          hcs_error *err)
{
    *out = NULL;
    if (count && !layers)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, name, "the layer list is NULL but its count is %u",
                         (unsigned)count);
    for (size_t i = 0; i < count; i++) {
        if (!layers[i].id || !hcs__guid_is_text(layers[i].id, strlen(layers[i].id)))
            return hcs__fail(err, HCS_COM_E_INVALIDARG, name,
                             "layer %u: the id must be a GUID without braces (8-4-4-4-12 hex digits)", (unsigned)i);
        if (!layers[i].path || !layers[i].path[0])
            return hcs__fail(err, HCS_COM_E_INVALIDARG, name, "layer %u: the path is NULL or empty", (unsigned)i);
        for (size_t j = 0; j < i; j++)
            if (same_guid(layers[i].id, layers[j].id)) /* storage-and-network §5 #2 */
                return hcs__fail(err, HCS_COM_E_INVALIDARG, name,
                                 "layers %u and %u have the same id (two folders with the same name?)", (unsigned)j,
                                 (unsigned)i);
    }
    hcs_json_out o = {0};
    bool utf8 = true;
    hcs__json_out_raw(&o, "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Layers\":[", 49);
    for (size_t i = 0; utf8 && i < count; i++) {
        hcs__json_out_raw(&o, i ? ",{\"Id\":" : "{\"Id\":", i ? 7 : 6);
        hcs__json_out_string(&o, layers[i].id);
        hcs__json_out_raw(&o, ",\"Path\":", 8);
        utf8 = hcs__json_out_string(&o, layers[i].path);
        hcs__json_out_char(&o, '}');
    }
    hcs__json_out_char(&o, ']');
    if (filter) {
        hcs__json_out_raw(&o, ",\"FilterType\":", 14);
        hcs__json_out_string(&o, filter);
    }
    hcs__json_out_char(&o, '}');
    if (!utf8) {
        hcs__json_out_discard(&o);
        return hcs__fail(err, HCS_WIN32_E_NO_UNICODE_TRANSLATION, name, "a layer path is not valid UTF-8");
    }
    *out = hcs__json_out_take(&o);
    if (!*out)
        return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, name, "out of memory");
    return HCS_OK;
}

/* ---- one call --------------------------------------------------------------- */

enum { MAX_TEXT = 4 };

/* A storage call: up to four strings (required[i]: NULL or "" refused) and
 * a handle, in the order of the function's shape. */
typedef struct storage_call {
    int which;
    const char *text[MAX_TEXT];
    bool required[MAX_TEXT];
    size_t text_count;
    void *handle;
    const char *document; /* the JSON among text, for the trace */
    char **out;           /* HcsGetLayerVhdMountPath's result */
} storage_call;

static HRESULT invoke(const hcs_api *api, const storage_call *call, PCWSTR w[MAX_TEXT], PWSTR *result)
{
    HANDLE h = (HANDLE)call->handle;
    switch (call->which) {
    case STORAGE_HcsImportLayer:
        return api->HcsImportLayer(w[0], w[1], w[2]);
    case STORAGE_HcsExportLayer:
        return api->HcsExportLayer(w[0], w[1], w[2], w[3]);
    case STORAGE_HcsExportLegacyWritableLayer:
        return api->HcsExportLegacyWritableLayer(w[0], w[1], w[2], w[3]);
    case STORAGE_HcsDestroyLayer:
        return api->HcsDestroyLayer(w[0]);
    case STORAGE_HcsSetupBaseOSLayer:
        return api->HcsSetupBaseOSLayer(w[0], h, w[1]);
    case STORAGE_HcsSetupBaseOSVolume:
        return api->HcsSetupBaseOSVolume(w[0], w[1], w[2]);
    case STORAGE_HcsInitializeWritableLayer:
        return api->HcsInitializeWritableLayer(w[0], w[1], w[2]);
    case STORAGE_HcsInitializeLegacyWritableLayer:
        return api->HcsInitializeLegacyWritableLayer(w[0], w[1], w[2], w[3]);
    case STORAGE_HcsAttachLayerStorageFilter:
        return api->HcsAttachLayerStorageFilter(w[0], w[1]);
    case STORAGE_HcsDetachLayerStorageFilter:
        return api->HcsDetachLayerStorageFilter(w[0]);
    case STORAGE_HcsFormatWritableLayerVhd:
        return api->HcsFormatWritableLayerVhd(h);
    case STORAGE_HcsGetLayerVhdMountPath:
        return api->HcsGetLayerVhdMountPath(h, result);
    case STORAGE_HcsAttachOverlayFilter:
        return api->HcsAttachOverlayFilter(w[0], w[1]);
    default:
        return api->HcsDetachOverlayFilter(w[0], w[1]);
    }
}

/* The mount path HCS returned, in UTF-8 (freed with the provider's
 * LocalFree); an empty one is a failure (§1.5.12). */
static int32_t take_mount_path(hcs_client_obj *c, PWSTR result, int32_t hr, char **out, hcs_error *err)
{
    const char *name = storage_names[STORAGE_HcsGetLayerVhdMountPath];
    char *text = NULL;
    if (result && hcs__utf16_to_utf8((const uint16_t *)result, &text) != 0 && HCS_SUCCEEDED(hr))
        hr = hcs__fail(err, HCS_WIN32_E_NO_UNICODE_TRANSLATION, name, "the mount path is not valid UTF-16");
    if (result)
        c->provider->api.LocalFree(result);
    if (HCS_SUCCEEDED(hr) && (!text || !text[0]))
        hr = hcs__fail(err, HCS_WIN32_E_NOT_READY, name,
                       "the host gave an empty mount path: is the VHD attached, and the caller elevated?");
    if (HCS_SUCCEEDED(hr))
        *out = text;
    else
        free(text);
    return hr;
}

static int32_t run(hcs_client client, const char *name, const storage_call *call, hcs_error *err)
{
    for (size_t i = 0; i < call->text_count; i++)
        if (call->required[i] && (!call->text[i] || !call->text[i][0]))
            return hcs__fail(err, HCS_COM_E_INVALIDARG, name, "argument %u (a path) is NULL or empty", (unsigned)i + 1);
    hcs_client_obj *c = hcs__client_acquire(client, name, err);
    if (!c)
        return HCS_WIN32_E_INVALID_HANDLE;
    int32_t hr = hcs__client_function(c, storage_offsets[call->which], storage_names[call->which], err)
                     ? HCS_OK
                     : HCS_WIN32_E_PROC_NOT_FOUND;
    uint16_t *w[MAX_TEXT] = {NULL};
    for (size_t i = 0; HCS_SUCCEEDED(hr) && i < call->text_count; i++)
        if (call->text[i] && hcs__utf8_to_utf16(call->text[i], &w[i]) != 0)
            hr = hcs__fail(err, HCS_WIN32_E_NO_UNICODE_TRANSLATION, name, "argument %u is not valid UTF-8",
                           (unsigned)i + 1);
    if (HCS_SUCCEEDED(hr)) {
        PWSTR result = NULL;
        const char *hcs_name = storage_names[call->which];
        uint64_t started = hcs__clock_ms();
        int32_t hcs_hr = invoke(&c->provider->api, call, (PCWSTR *)w, &result);
        hcs__client_trace(c, (hcs_trace_record){hcs_name, {0}, 0, 0, hcs_hr, call->document, NULL}, started);
        hr = call->out ? take_mount_path(c, result, hcs_hr, call->out, err) : hcs_hr;
        if (HCS_FAILED(hcs_hr))
            hcs__fail(err, hcs_hr, hcs_name, "%s", call->text[0] ? call->text[0] : "the VHD");
        else if (HCS_SUCCEEDED(hr))
            hcs__succeed(err);
    }
    for (size_t i = 0; i < MAX_TEXT; i++)
        free(w[i]);
    hcs__client_release(c);
    return hr;
}

/* run() with a LayerData built from the layers as text[data_at]. */
static int32_t run_with_layers(hcs_client client, const char *name, storage_call *call, size_t data_at,
                               const hcs_layer_spec *layers, size_t count, const char *filter, hcs_error *err)
{
    char *data = NULL;
    int32_t hr = layer_data(layers, count, filter, &data, name, err);
    if (HCS_FAILED(hr))
        return hr;
    call->text[data_at] = data;
    call->document = data;
    hr = run(client, name, call, err);
    free(data);
    return hr;
}

/* ---- the functions ----------------------------------------------------------- */

int32_t hcs_layer_import(hcs_client client, const char *layer_path, const char *source_path,
                         const hcs_layer_spec *parents, size_t parent_count, hcs_error *err)
{
    storage_call call = {STORAGE_HcsImportLayer, {layer_path, source_path}, {true, true, true}, 3, NULL, NULL, NULL};
    return run_with_layers(client, "hcs_layer_import", &call, 2, parents, parent_count, NULL, err);
}

int32_t hcs_layer_export(hcs_client client, const char *layer_path, const char *export_path,
                         const hcs_layer_spec *parents, size_t parent_count, bool writable, hcs_error *err)
{
    /* hcsshim sends {} for a read-only layer (storage-and-network §1.5.2). */
    const char *options = writable ? "{\"IsWritableLayer\":true}" : "{}";
    storage_call call = {STORAGE_HcsExportLayer,
                         {layer_path, export_path, NULL, options},
                         {true, true, true, true},
                         4,
                         NULL,
                         NULL,
                         NULL};
    return run_with_layers(client, "hcs_layer_export", &call, 2, parents, parent_count, NULL, err);
}

int32_t hcs_layer_export_legacy(hcs_client client, const char *mount_path, const char *folder_path,
                                const char *export_path, const hcs_layer_spec *parents, size_t parent_count,
                                hcs_error *err)
{
    storage_call call = {STORAGE_HcsExportLegacyWritableLayer,
                         {mount_path, folder_path, export_path},
                         {true, true, true, true},
                         4,
                         NULL,
                         NULL,
                         NULL};
    return run_with_layers(client, "hcs_layer_export_legacy", &call, 3, parents, parent_count, NULL, err);
}

int32_t hcs_layer_destroy(hcs_client client, const char *layer_path, hcs_error *err)
{
    storage_call call = {STORAGE_HcsDestroyLayer, {layer_path}, {true}, 1, NULL, NULL, NULL};
    return run(client, "hcs_layer_destroy", &call, err);
}

static const char *os_options(hcs_base_layer_type type)
{
    return type == HCS_BASE_LAYER_VM ? "{\"Type\":\"Vm\"}" : "{\"Type\":\"Container\"}";
}

static int32_t check_type(int type, int last, const char *name, hcs_error *err)
{
    return type < 0 || type > last ? hcs__fail(err, HCS_COM_E_INVALIDARG, name, "unknown type %d", type) : HCS_OK;
}

int32_t hcs_layer_setup_base(hcs_client client, const char *layer_path, void *vhd, hcs_base_layer_type type,
                             hcs_error *err)
{
    const char *name = "hcs_layer_setup_base";
    int32_t hr = check_type((int)type, HCS_BASE_LAYER_VM, name, err);
    /* A container layer takes no handle, a VM layer needs one (§1.5.5). */
    if (HCS_SUCCEEDED(hr) && (type == HCS_BASE_LAYER_VM) != (vhd != NULL))
        hr = hcs__fail(err, HCS_COM_E_INVALIDARG, name,
                       type == HCS_BASE_LAYER_VM ? "a VM base layer needs the handle of an attached VHD"
                                                 : "a container base layer takes no VHD handle (pass NULL)");
    storage_call call = {
        STORAGE_HcsSetupBaseOSLayer, {layer_path, os_options(type)}, {true, true}, 2, vhd, os_options(type), NULL};
    return HCS_SUCCEEDED(hr) ? run(client, name, &call, err) : hr;
}

int32_t hcs_layer_setup_base_volume(hcs_client client, const char *layer_path, const char *volume_path,
                                    hcs_base_layer_type type, hcs_error *err)
{
    const char *name = "hcs_layer_setup_base_volume";
    int32_t hr = check_type((int)type, HCS_BASE_LAYER_VM, name, err);
    storage_call call = {STORAGE_HcsSetupBaseOSVolume,
                         {layer_path, volume_path, os_options(type)},
                         {true, true, true},
                         3,
                         NULL,
                         os_options(type),
                         NULL};
    return HCS_SUCCEEDED(hr) ? run(client, name, &call, err) : hr;
}

int32_t hcs_layer_init_writable(hcs_client client, const char *path, const hcs_layer_spec *parents, size_t parent_count,
                                hcs_error *err)
{
    /* options: "Must be NULL" (§1.5.7) */
    storage_call call = {STORAGE_HcsInitializeWritableLayer, {path}, {true, true}, 3, NULL, NULL, NULL};
    return run_with_layers(client, "hcs_layer_init_writable", &call, 1, parents, parent_count, NULL, err);
}

int32_t hcs_layer_init_legacy_writable(hcs_client client, const char *mount_path, const char *folder_path,
                                       const hcs_layer_spec *parents, size_t parent_count, const char *options_json,
                                       hcs_error *err)
{
    storage_call call = {STORAGE_HcsInitializeLegacyWritableLayer,
                         {mount_path, folder_path, NULL, options_json},
                         {true, true, true},
                         4,
                         NULL,
                         NULL,
                         NULL};
    return run_with_layers(client, "hcs_layer_init_legacy_writable", &call, 2, parents, parent_count, NULL, err);
}

int32_t hcs_layer_attach_filter(hcs_client client, const char *path, const hcs_layer_spec *parents, size_t parent_count,
                                hcs_error *err)
{
    storage_call call = {STORAGE_HcsAttachLayerStorageFilter, {path}, {true, true}, 2, NULL, NULL, NULL};
    return run_with_layers(client, "hcs_layer_attach_filter", &call, 1, parents, parent_count, NULL, err);
}

int32_t hcs_layer_detach_filter(hcs_client client, const char *path, hcs_error *err)
{
    storage_call call = {STORAGE_HcsDetachLayerStorageFilter, {path}, {true}, 1, NULL, NULL, NULL};
    return run(client, "hcs_layer_detach_filter", &call, err);
}

static const char *filter_name(hcs_filter_type type) { return type == HCS_FILTER_UNIONFS ? "UnionFS" : "WCIFS"; }

int32_t hcs_layer_attach_overlay(hcs_client client, const char *volume_path, const hcs_layer_spec *layers,
                                 size_t layer_count, hcs_filter_type type, hcs_error *err)
{
    const char *name = "hcs_layer_attach_overlay";
    int32_t hr = check_type((int)type, HCS_FILTER_UNIONFS, name, err);
    storage_call call = {STORAGE_HcsAttachOverlayFilter, {volume_path}, {true, true}, 2, NULL, NULL, NULL};
    return HCS_SUCCEEDED(hr) ? run_with_layers(client, name, &call, 1, layers, layer_count, filter_name(type), err)
                             : hr;
}

int32_t hcs_layer_detach_overlay(hcs_client client, const char *volume_path, hcs_filter_type type, hcs_error *err)
{
    const char *name = "hcs_layer_detach_overlay";
    int32_t hr = check_type((int)type, HCS_FILTER_UNIONFS, name, err);
    /* Detach takes LayerData carrying only FilterType (§1.5.13). */
    storage_call call = {STORAGE_HcsDetachOverlayFilter, {volume_path}, {true, true}, 2, NULL, NULL, NULL};
    return HCS_SUCCEEDED(hr) ? run_with_layers(client, name, &call, 1, NULL, 0, filter_name(type), err) : hr;
}

int32_t hcs_vhd_format(hcs_client client, void *vhd, hcs_error *err)
{
    if (!vhd)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, "hcs_vhd_format", "vhd is NULL");
    storage_call call = {STORAGE_HcsFormatWritableLayerVhd, {NULL}, {false}, 0, vhd, NULL, NULL};
    return run(client, "hcs_vhd_format", &call, err);
}

int32_t hcs_vhd_mount_path(hcs_client client, void *vhd, char **out, hcs_error *err)
{
    const char *name = "hcs_vhd_mount_path";
    if (!out)
        return hcs__fail(err, HCS_COM_E_POINTER, name, "out is NULL");
    *out = NULL;
    if (!vhd)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, name, "vhd is NULL");
    storage_call call = {STORAGE_HcsGetLayerVhdMountPath, {NULL}, {false}, 0, vhd, NULL, out};
    return run(client, name, &call, err);
}
