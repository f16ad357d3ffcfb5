/* Container layer storage over computestorage's functions (hcs/storage.h).
 * The functions come from the client's provider, resolved at the first
 * storage call: the provider library itself when it exports them (the
 * simulator on POSIX), else the storage library beside it (Windows). */
#include "hcs/storage.h"

#include "client_internal.h"
#include "error_internal.h"
#include "platform/dynlib.h"
#include "platform/thread.h"
#include "schema/json_writer.h"
#include "util/guid.h"
#include "util/utf16.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HCS_EMBEDDED_SIMULATOR
#include "hcssim/hcssim.h"
#endif

/* ---- the function table ------------------------------------------------- */

/* Every computestorage function, in the order of storage-and-network §1.1. */
#define HCS_STORAGE_FUNCTIONS(X)                                                                                       \
    X(HcsImportLayer)                                                                                                  \
    X(HcsExportLayer)                                                                                                  \
    X(HcsExportLegacyWritableLayer)                                                                                    \
    X(HcsDestroyLayer)                                                                                                 \
    X(HcsSetupBaseOSLayer)                                                                                             \
    X(HcsSetupBaseOSVolume)                                                                                            \
    X(HcsInitializeWritableLayer)                                                                                      \
    X(HcsInitializeLegacyWritableLayer)                                                                                \
    X(HcsAttachLayerStorageFilter)                                                                                     \
    X(HcsDetachLayerStorageFilter)                                                                                     \
    X(HcsFormatWritableLayerVhd)                                                                                       \
    X(HcsGetLayerVhdMountPath)                                                                                         \
    X(HcsAttachOverlayFilter)                                                                                          \
    X(HcsDetachOverlayFilter)

#define STORAGE_INDEX(fn) STORAGE_##fn,
enum { HCS_STORAGE_FUNCTIONS(STORAGE_INDEX) STORAGE_COUNT };
#undef STORAGE_INDEX

#define STORAGE_NAME(fn) #fn,
static const char *const storage_names[] = {HCS_STORAGE_FUNCTIONS(STORAGE_NAME)};
#undef STORAGE_NAME

typedef void (*storage_fn)(void);

struct hcs_storage_api {
    storage_fn fn[STORAGE_COUNT];
    char *from; /* where they come from, for messages */
};

/* The shapes of the functions' parameter lists: S a string, H a handle. */
typedef HRESULT(WINAPI *fn_s)(PCWSTR);
typedef HRESULT(WINAPI *fn_ss)(PCWSTR, PCWSTR);
typedef HRESULT(WINAPI *fn_sss)(PCWSTR, PCWSTR, PCWSTR);
typedef HRESULT(WINAPI *fn_ssss)(PCWSTR, PCWSTR, PCWSTR, PCWSTR);
typedef HRESULT(WINAPI *fn_shs)(PCWSTR, HANDLE, PCWSTR);
typedef HRESULT(WINAPI *fn_h)(HANDLE);
typedef HRESULT(WINAPI *fn_hp)(HANDLE, PWSTR *);

void hcs__storage_api_free(struct hcs_storage_api *storage)
{
    if (storage)
        free(storage->from);
    free(storage);
}

/* ---- where the functions come from -------------------------------------- */

typedef storage_fn (*lookup_fn)(void *ctx, const char *name);

/* A simulator library names its functions itself (its emulated build may
 * lack some). */
static storage_fn lookup_sim(void *lib, const char *name)
{
    storage_fn raw = hcs__dynlib_symbol(lib, "hcssim_proc_address");
    storage_fn (*sim)(const char *);
    memcpy(&sim, &raw, sizeof sim);
    /* cppcheck-suppress CastIntegerToAddressAtReturn ; sim returns a function pointer */
    return sim(name);
}

#ifdef HCS_EMBEDDED_SIMULATOR
static storage_fn lookup_embedded(void *unused, const char *name)
{
    (void)unused;
    return hcssim_proc_address(name);
}
#endif

static void fill(struct hcs_storage_api *s, lookup_fn lookup, void *ctx, const char *from)
{
    for (size_t i = 0; i < STORAGE_COUNT; i++)
        s->fn[i] = lookup(ctx, storage_names[i]);
    s->from = strdup(from);
}

#ifdef _WIN32
static storage_fn lookup_lib(void *lib, const char *name) { return hcs__dynlib_symbol(lib, name); }

/* The storage library that goes with a Windows provider: System32's
 * computestorage.dll with System32's computecore.dll; hcssim-storage.dll
 * beside the simulator (also for hcssimd: the layers are host folders, so
 * the program's own copy acts on the same host); computestorage.dll beside
 * any other library (a computecore.dll dropped in beside the program). */
static void load_storage_library(const hcs_provider *p, bool simulator, struct hcs_storage_api *s)
{
    const char *file = simulator || !p->lib ? "hcssim-storage.dll" : "computestorage.dll";
    char *dir = NULL;
    if (!p->from_system32 && p->path) {
        dir = strdup(p->path);
        char *cut = dir ? strrchr(dir, '\\') : NULL;
        char *cut2 = dir ? strrchr(dir, '/') : NULL;
        if (cut2 > cut)
            cut = cut2;
        if (cut)
            *cut = '\0';
    } else if (!p->from_system32) {
        dir = hcs__program_dir();
    }
    size_t size = (dir ? strlen(dir) : 0) + strlen(file) + 2;
    char *path = malloc(size);
    if (path)
        snprintf(path, size, "%s%s%s", dir ? dir : "", dir ? "\\" : "", file);
    char *why = NULL;
    hcs_dynlib *lib = path ? hcs__dynlib_open(path, p->from_system32, &why) : NULL;
    free(why);
    if (lib)
        fill(s, lookup_lib, lib, path);
    else
        s->from = path ? strdup(path) : NULL;
    free(path);
    free(dir);
}
#endif

static struct hcs_storage_api *resolve(const hcs_provider *p)
{
    struct hcs_storage_api *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    bool simulator = p->lib && hcs__dynlib_symbol(p->lib, "hcssim_proc_address");
    if (simulator && lookup_sim(p->lib, "HcsImportLayer")) {
        fill(s, lookup_sim, p->lib, p->name);
        return s;
    }
#ifdef _WIN32
    load_storage_library(p, simulator, s);
#elif defined(HCS_EMBEDDED_SIMULATOR)
    if (!p->lib) /* the embedded simulator, or hcssimd sharing the host's folders */
        fill(s, lookup_embedded, NULL, "the embedded simulator");
#endif
    return s;
}

static hcs_mutex resolve_mu;
static hcs_once resolve_once = HCS_ONCE_INIT;
static void init_resolve(void) { hcs__mutex_init(&resolve_mu); }

/* The provider's function `which` (NULL: not exported), its table in *s
 * (NULL: out of memory), resolved at the first call. */
static storage_fn lookup(hcs_client_obj *c, int which, struct hcs_storage_api **s)
{
    hcs__call_once(&resolve_once, init_resolve);
    hcs__mutex_lock(&resolve_mu);
    if (!c->provider->storage)
        c->provider->storage = resolve(c->provider);
    *s = c->provider->storage;
    storage_fn fn = *s ? (*s)->fn[which] : NULL;
    hcs__mutex_unlock(&resolve_mu);
    return fn;
}

bool hcs__storage_supports(hcs_client_obj *c, const char *name)
{
    struct hcs_storage_api *s;
    for (int i = 0; i < STORAGE_COUNT; i++)
        if (strcmp(storage_names[i], name) == 0)
            return lookup(c, i, &s) != NULL;
    return false;
}

/* The provider's function `which`, or NULL after filling err. */
static storage_fn function(hcs_client_obj *c, int which, hcs_error *err)
{
    struct hcs_storage_api *s;
    storage_fn fn = lookup(c, which, &s);
    if (!s)
        hcs__fail(err, HCS_COM_E_OUTOFMEMORY, storage_names[which], "out of memory");
    else if (!fn)
        hcs__fail(err, HCS_WIN32_E_PROC_NOT_FOUND, storage_names[which],
                  "not supported on this host: %s does not export %s", s->from ? s->from : c->provider->name,
                  storage_names[which]);
    return fn;
}

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

static HRESULT invoke(storage_fn fn, const storage_call *call, PCWSTR w[MAX_TEXT], PWSTR *result)
{
    switch (call->which) {
    case STORAGE_HcsDestroyLayer:
    case STORAGE_HcsDetachLayerStorageFilter:
        return ((fn_s)fn)(w[0]);
    case STORAGE_HcsAttachLayerStorageFilter:
    case STORAGE_HcsAttachOverlayFilter:
    case STORAGE_HcsDetachOverlayFilter:
        return ((fn_ss)fn)(w[0], w[1]);
    case STORAGE_HcsImportLayer:
    case STORAGE_HcsSetupBaseOSVolume:
    case STORAGE_HcsInitializeWritableLayer:
        return ((fn_sss)fn)(w[0], w[1], w[2]);
    case STORAGE_HcsSetupBaseOSLayer:
        return ((fn_shs)fn)(w[0], (HANDLE)call->handle, w[1]);
    case STORAGE_HcsFormatWritableLayerVhd:
        return ((fn_h)fn)((HANDLE)call->handle);
    case STORAGE_HcsGetLayerVhdMountPath:
        return ((fn_hp)fn)((HANDLE)call->handle, result);
    default:
        return ((fn_ssss)fn)(w[0], w[1], w[2], w[3]);
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
    storage_fn fn = function(c, call->which, err);
    int32_t hr = fn ? HCS_OK : HCS_WIN32_E_PROC_NOT_FOUND;
    uint16_t *w[MAX_TEXT] = {NULL};
    for (size_t i = 0; HCS_SUCCEEDED(hr) && i < call->text_count; i++)
        if (call->text[i] && hcs__utf8_to_utf16(call->text[i], &w[i]) != 0)
            hr = hcs__fail(err, HCS_WIN32_E_NO_UNICODE_TRANSLATION, name, "argument %u is not valid UTF-8",
                           (unsigned)i + 1);
    if (HCS_SUCCEEDED(hr)) {
        PWSTR result = NULL;
        const char *hcs_name = storage_names[call->which];
        uint64_t started = hcs__clock_ms();
        int32_t hcs_hr = invoke(fn, call, (PCWSTR *)w, &result);
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
