/* The computestorage.dll exports (storage-and-network §1.5) over real
 * folders (layer.h). Every call is synchronous and returns only an HRESULT
 * (§4.1 #1); a fault plan's rule for the function applies as for a
 * computecore call at kickoff (docs/fault-plans.md). */
#include "export.h"
#include "fault.h"
#include "file.h"
#include "hcs/computestorage.h"
#include "layer.h"
#include "layer_fs.h"
#include "platform/thread.h"
#include "result.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The first line of tombstones.txt (§1.4.1): UTF-8 BOM, "Version 1.0". */
static const char tombstones_header[] = "\xEF\xBB\xBFVersion 1.0\r\n";
/* How a VHD formatted by the simulator starts: this, then its volume GUID
 * (inferred: no real VHD format is simulated). */
static const char vhd_signature[] = "hcssim-vhd 1 ";

/* ---- fault plans -------------------------------------------------------- */

/* True when the plan makes this call return *hr without acting. */
static bool fault_before(const char *call, sim_fault *f, HRESULT *hr)
{
    hcssim__fault_lookup(call, NULL, f);
    if (f->delay_ms)
        hcs__sleep_ms(f->delay_ms);
    *hr = f->hr;
    bool stop = FAILED(f->hr) && !(f->at_completion && f->run_action);
    if (stop || !FAILED(f->hr))
        hcssim__fault_clear(f);
    return stop;
}

/* After the action: the plan's HRESULT when it said run_action. */
static HRESULT fault_after(sim_fault *f, HRESULT hr)
{
    if (FAILED(f->hr))
        hr = f->hr;
    hcssim__fault_clear(f);
    return hr;
}

#define STORAGE_CALL(name, action)                                                                                     \
    do {                                                                                                               \
        sim_fault fault_;                                                                                              \
        HRESULT hr_;                                                                                                   \
        if (fault_before(name, &fault_, &hr_))                                                                         \
            return hr_;                                                                                                \
        return fault_after(&fault_, (action));                                                                         \
    } while (0)

/* ---- helpers ------------------------------------------------------------- */

/* A folder path argument that must name an existing folder. */
static HRESULT folder_in(PCWSTR in, const char *what, char **out, char detail[SIM_DETAIL_SIZE])
{
    HRESULT hr = hcssim__layer_path_in(in, out, detail);
    if (FAILED(hr) || hcssim__fs_kind(*out) == SIM_FS_DIR)
        return hr;
    hcssim__layer_fail(SIM_E_PATH_NOT_FOUND, detail, "%s %.*s: no such folder", what, SIM_QUOTE(*out));
    free(*out);
    *out = NULL;
    return SIM_E_PATH_NOT_FOUND;
}

static HRESULT copy_sub(const char *from_dir, const char *to_dir, const char *name, bool required,
                        char detail[SIM_DETAIL_SIZE])
{
    char *from = hcssim__fs_join(from_dir, name);
    char *to = hcssim__fs_join(to_dir, name);
    HRESULT hr = from && to ? S_OK : E_OUTOFMEMORY;
    if (SUCCEEDED(hr) && (required || hcssim__fs_kind(from) != SIM_FS_NONE) && hcssim__fs_copy_tree(from, to) != 0)
        hr = hcssim__layer_fail(SIM_E_PATH_NOT_FOUND, detail, "%.*s cannot be copied", SIM_QUOTE(from));
    free(from);
    free(to);
    return hr;
}

/* tombstones.txt, when present, must start with its header (§1.4.1). */
static HRESULT check_tombstones(const char *dir, char detail[SIM_DETAIL_SIZE])
{
    char *path = hcssim__fs_join(dir, "tombstones.txt");
    char *text = NULL;
    HRESULT hr = path ? S_OK : E_OUTOFMEMORY;
    if (path && hcssim__fs_kind(path) != SIM_FS_NONE) {
        hr = hcssim__file_read(path, (size_t)16 << 20, &text, detail);
        if (SUCCEEDED(hr) && strncmp(text, tombstones_header, strlen(tombstones_header) - 2) != 0)
            hr = hcssim__layer_fail(SIM_E_INVALID_LAYER, detail, "%.*s: does not start with a BOM and \"Version 1.0\"",
                                    SIM_QUOTE(path));
        else if (FAILED(hr))
            hr = SIM_E_INVALID_LAYER;
    }
    free(text);
    free(path);
    return hr;
}

/* Writes the transport format (§1.4.1) of the changes under files_dir
 * (Files, tombstones.txt) and hives_dir (Hives) into out. */
static HRESULT export_into(const char *files_dir, const char *hives_dir, const char *out, char detail[SIM_DETAIL_SIZE])
{
    HRESULT hr = copy_sub(files_dir, out, "Files", true, detail);
    if (SUCCEEDED(hr))
        hr = copy_sub(hives_dir, out, "Hives", false, detail);
    char *tomb = hcssim__fs_join(files_dir, "tombstones.txt");
    bool have = tomb && hcssim__fs_kind(tomb) == SIM_FS_FILE;
    free(tomb);
    if (SUCCEEDED(hr) && have)
        hr = copy_sub(files_dir, out, "tombstones.txt", true, detail);
    else if (SUCCEEDED(hr)) {
        char *path = hcssim__fs_join(out, "tombstones.txt");
        hr = path ? hcssim__file_write(path, tombstones_header, detail) : E_OUTOFMEMORY;
        free(path);
    }
    return hr;
}

static HRESULT make_dirs(const char *root, const char *const *names, char detail[SIM_DETAIL_SIZE])
{
    for (size_t i = 0; names[i]; i++) {
        char *p = hcssim__fs_join(root, names[i]);
        bool ok = p && (hcssim__fs_kind(p) == SIM_FS_DIR || hcssim__fs_mkdir(p) == 0);
        free(p);
        if (!ok)
            return hcssim__layer_fail(SIM_E_PATH_NOT_FOUND, detail, "%.*s: cannot create %s", SIM_QUOTE(root),
                                      names[i]);
    }
    return S_OK;
}

/* ---- the arguments most calls share ------------------------------------ */

/* A call's first path (resolved) and its LayerData, with the detail
 * sentence of its failure. */
typedef struct layer_call {
    char detail[SIM_DETAIL_SIZE];
    char *path;
    sim_layer_chain chain;
} layer_call;

/* Reads path (an existing folder when what names it, any path when NULL)
 * and layer_data (its parents checked against rule). */
static HRESULT call_in(layer_call *c, PCWSTR path, const char *what, PCWSTR layer_data, sim_chain_rule rule)
{
    memset(c, 0, sizeof *c);
    HRESULT hr = what ? folder_in(path, what, &c->path, c->detail) : hcssim__layer_path_in(path, &c->path, c->detail);
    if (SUCCEEDED(hr))
        hr = hcssim__layer_chain_in(layer_data, rule, &c->chain, c->detail);
    return hr;
}

/* Frees what call_in read; returns hr. */
static HRESULT call_done(layer_call *c, HRESULT hr)
{
    hcssim__layer_chain_free(&c->chain);
    free(c->path);
    return hr;
}

/* ---- import and export (§1.5.1-§1.5.3) ---------------------------------- */

static HRESULT import_layer(PCWSTR layer_path, PCWSTR source_path, PCWSTR layer_data)
{
    layer_call c;
    char *source = NULL;
    HRESULT hr = call_in(&c, layer_path, NULL, layer_data, SIM_CHAIN_LAYERS);
    if (SUCCEEDED(hr))
        hr = folder_in(source_path, "source folder", &source, c.detail);
    if (SUCCEEDED(hr) && strcmp(source, c.path) == 0) /* §4.1 #5 */
        hr = hcssim__layer_fail(E_INVALIDARG, c.detail, "the source folder is the destination");
    if (SUCCEEDED(hr) && !hcssim__layer_is_layer(source))
        hr = hcssim__layer_fail(SIM_E_INVALID_LAYER, c.detail, "%.*s: no Files folder", SIM_QUOTE(source));
    if (SUCCEEDED(hr))
        hr = check_tombstones(source, c.detail);
    if (SUCCEEDED(hr) && hcssim__layer_is_layer(c.path))
        hr = hcssim__layer_fail(SIM_E_ALREADY_EXISTS, c.detail, "%.*s: a layer is there already", SIM_QUOTE(c.path));
    /* The destination is created when missing (§4.1 #5), its parent not. */
    if (SUCCEEDED(hr) && hcssim__fs_kind(c.path) != SIM_FS_DIR && hcssim__fs_mkdir(c.path) != 0)
        hr = hcssim__layer_fail(SIM_E_PATH_NOT_FOUND, c.detail, "%.*s cannot be created", SIM_QUOTE(c.path));
    if (SUCCEEDED(hr) && hcssim__fs_copy_tree(source, c.path) != 0)
        hr = hcssim__layer_fail(SIM_E_PATH_NOT_FOUND, c.detail, "%.*s cannot be copied", SIM_QUOTE(source));
    free(source);
    return call_done(&c, hr);
}

static const sim_member export_members[] = {{"IsWritableLayer", JSON_TRUE, 0, NULL, NULL, 0}};

static HRESULT export_layer(PCWSTR layer_path, PCWSTR export_path, PCWSTR layer_data, PCWSTR options)
{
    layer_call c;
    char *out = NULL;
    json_t *opts = NULL, *state = NULL;
    HRESULT hr = call_in(&c, layer_path, NULL, layer_data, SIM_CHAIN_LAYERS);
    if (SUCCEEDED(hr))
        hr = folder_in(export_path, "export folder", &out, c.detail);
    if (SUCCEEDED(hr))
        hr = hcssim__json_in(options, &opts, c.detail);
    if (SUCCEEDED(hr) && opts)
        hr = hcssim__check_members(opts, "ExportLayerOptions", export_members, 1, 99, c.detail);
    bool writable = json_is_true(json_object_get(opts, "IsWritableLayer"));
    if (SUCCEEDED(hr) && writable) {
        /* Only a mounted scratch, its filter attached, can be read (§4.1 #16). */
        state = hcssim__layer_state_load(c.path);
        if (!state || !json_object_get(state, "Filter"))
            hr = hcssim__layer_fail(SIM_E_FILE_NOT_FOUND, c.detail,
                                    "%.*s: not a writable layer with its filter attached", SIM_QUOTE(c.path));
    } else if (SUCCEEDED(hr) && !hcssim__layer_is_layer(c.path)) {
        hr = hcssim__layer_fail(SIM_E_PATH_NOT_FOUND, c.detail, "%.*s: not a layer", SIM_QUOTE(c.path));
    }
    if (SUCCEEDED(hr))
        hr = export_into(c.path, c.path, out, c.detail);
    json_decref(state);
    json_decref(opts);
    free(out);
    return call_done(&c, hr);
}

static HRESULT export_legacy(PCWSTR mount_path, PCWSTR folder_path, PCWSTR export_path, PCWSTR layer_data)
{
    layer_call c;
    char *folder = NULL, *out = NULL;
    HRESULT hr = call_in(&c, mount_path, "writable layer mount", layer_data, SIM_CHAIN_LAYERS);
    if (SUCCEEDED(hr))
        hr = folder_in(folder_path, "writable layer folder", &folder, c.detail);
    if (SUCCEEDED(hr))
        hr = folder_in(export_path, "export folder", &out, c.detail);
    json_t *state = SUCCEEDED(hr) ? hcssim__layer_state_load(c.path) : NULL;
    if (SUCCEEDED(hr) && !state)
        hr = hcssim__layer_fail(SIM_E_FILE_NOT_FOUND, c.detail, "%.*s: not an initialized writable layer",
                                SIM_QUOTE(c.path));
    if (SUCCEEDED(hr))
        hr = export_into(c.path, folder, out, c.detail);
    json_decref(state);
    free(out);
    free(folder);
    return call_done(&c, hr);
}

/* ---- destroy (§1.5.4) ----------------------------------------------------- */

static HRESULT destroy_layer(PCWSTR layer_path)
{
    char detail[SIM_DETAIL_SIZE] = "";
    char *dir = NULL;
    HRESULT hr = hcssim__layer_path_in(layer_path, &dir, detail);
    json_t *state = SUCCEEDED(hr) ? hcssim__layer_state_load(dir) : NULL;
    if (SUCCEEDED(hr) && hcssim__fs_kind(dir) == SIM_FS_NONE) /* inferred: a second destroy fails */
        hr = hcssim__layer_fail(SIM_E_PATH_NOT_FOUND, detail, "%.*s: no such layer", SIM_QUOTE(dir));
    /* A layer in use fails rather than crash the caller (§4.1 #15). */
    else if (SUCCEEDED(hr) && (hcssim__layer_in_use(dir) || json_object_get(state, "Filter")))
        hr = hcssim__layer_fail(SIM_E_SHARING_VIOLATION, detail, "%.*s: in use by an attached writable layer",
                                SIM_QUOTE(dir));
    else if (SUCCEEDED(hr) && hcssim__fs_remove_tree(dir) != 0)
        hr = hcssim__layer_fail(SIM_E_ACCESS_DENIED, detail, "%.*s cannot be deleted", SIM_QUOTE(dir));
    json_decref(state);
    free(dir);
    return hr;
}

/* ---- base OS layer (§1.5.5, §1.5.6) ------------------------------------------ */

static const char *const os_layer_types[] = {"Container", "Vm", NULL};
static const sim_member os_layer_members[] = {
    {"Type", JSON_STRING, 0, os_layer_types, NULL, 0},
    {"DisableCiCacheOptimization", JSON_TRUE, 0, NULL, NULL, 0},
    {"SkipUpdateBcdForBoot", JSON_TRUE, 0, NULL, NULL, 0},
};

/* Reads OsLayerOptions; *vm tells Type "Vm" (default "Container"). */
static HRESULT os_options_in(PCWSTR options, bool *vm, char detail[SIM_DETAIL_SIZE])
{
    json_t *opts = NULL;
    HRESULT hr = hcssim__json_in(options, &opts, detail);
    if (SUCCEEDED(hr) && opts)
        hr = hcssim__check_members(opts, "OsLayerOptions", os_layer_members, 3, 99, detail);
    const char *type = json_string_value(json_object_get(opts, "Type"));
    *vm = type && strcmp(type, "Vm") == 0;
    json_decref(opts);
    return hr;
}

/* Gives the base layer at dir its Hives and layout, which must not exist
 * yet (§4.1 #8). */
static HRESULT setup_base(const char *dir, char detail[SIM_DETAIL_SIZE])
{
    static const char *const hives[] = {"SYSTEM_BASE",   "SOFTWARE_BASE",    "SAM_BASE",
                                        "SECURITY_BASE", "DEFAULTUSER_BASE", NULL};
    static const char *const hives_dir[] = {"Hives", NULL};
    if (!hcssim__layer_is_layer(dir))
        return hcssim__layer_fail(SIM_E_PATH_NOT_FOUND, detail, "%.*s: not a layer (no Files folder)", SIM_QUOTE(dir));
    char *layout = hcssim__fs_join(dir, "layout");
    char *hive_root = hcssim__fs_join(dir, "Hives");
    HRESULT hr = layout && hive_root ? S_OK : E_OUTOFMEMORY;
    if (SUCCEEDED(hr) && (hcssim__fs_kind(layout) != SIM_FS_NONE || hcssim__fs_kind(hive_root) != SIM_FS_NONE))
        hr = hcssim__layer_fail(SIM_E_ALREADY_EXISTS, detail, "%.*s: Hives or layout exist already", SIM_QUOTE(dir));
    if (SUCCEEDED(hr))
        hr = make_dirs(dir, hives_dir, detail);
    for (size_t i = 0; SUCCEEDED(hr) && hives[i]; i++) {
        char *hive = hcssim__fs_join(hive_root, hives[i]);
        hr = hive ? hcssim__file_write(hive, "", detail) : E_OUTOFMEMORY;
        free(hive);
    }
    if (SUCCEEDED(hr))
        hr = hcssim__file_write(layout, "vhd-with-hives\n", detail);
    free(hive_root);
    free(layout);
    return hr;
}

static HRESULT setup_base_layer(PCWSTR layer_path, HANDLE vhd, PCWSTR options)
{
    char detail[SIM_DETAIL_SIZE] = "";
    char *dir = NULL;
    bool vm = false;
    char probe[1];
    HRESULT hr = hcssim__layer_path_in(layer_path, &dir, detail);
    if (SUCCEEDED(hr))
        hr = os_options_in(options, &vm, detail);
    /* A container layer takes no handle, a VM layer an attached VHD (§4.1 #8, #9). */
    if (SUCCEEDED(hr) && !vm && vhd)
        hr = hcssim__layer_fail(E_INVALIDARG, detail, "a container base layer takes no VHD handle");
    else if (SUCCEEDED(hr) && vm && !vhd)
        hr = hcssim__layer_fail(E_INVALIDARG, detail, "a VM base layer needs the handle of an attached VHD");
    else if (SUCCEEDED(hr) && vm && hcssim__fs_handle_read(vhd, probe, sizeof probe) < 0)
        hr = hcssim__layer_fail(SIM_E_HANDLE, detail, "the VHD handle cannot be read");
    if (SUCCEEDED(hr))
        hr = setup_base(dir, detail);
    free(dir);
    return hr;
}

static HRESULT setup_base_volume(PCWSTR layer_path, PCWSTR volume_path, PCWSTR options)
{
    char detail[SIM_DETAIL_SIZE] = "";
    char *dir = NULL, *volume = NULL;
    bool vm = false;
    HRESULT hr = hcssim__layer_path_in(layer_path, &dir, detail);
    if (SUCCEEDED(hr))
        hr = folder_in(volume_path, "volume", &volume, detail);
    if (SUCCEEDED(hr))
        hr = os_options_in(options, &vm, detail);
    if (SUCCEEDED(hr))
        hr = setup_base(dir, detail);
    free(volume);
    free(dir);
    return hr;
}

/* ---- writable layers (§1.5.7-§1.5.10, §1.5.13) -------------------------------- */

/* The chain's paths as a JSON array (the record's "Parents"). */
static json_t *parents_json(const sim_layer_chain *parents)
{
    json_t *list = json_array();
    for (size_t i = 0; list && i < parents->count; i++)
        json_array_append_new(list, json_string(parents->paths[i]));
    return list;
}

/* Records a fresh writable layer at root on parents; fails when root is
 * one already (inferred: no idempotence is documented). */
static HRESULT initialize(const char *root, const sim_layer_chain *parents, char detail[SIM_DETAIL_SIZE])
{
    static const char *const dirs[] = {"Files", "Hives", NULL};
    json_t *old = hcssim__layer_state_load(root);
    json_decref(old);
    if (old)
        return hcssim__layer_fail(SIM_E_ALREADY_EXISTS, detail, "%.*s: initialized already", SIM_QUOTE(root));
    HRESULT hr = make_dirs(root, dirs, detail);
    json_t *state = json_object();
    if (state)
        json_object_set_new(state, "Parents", parents_json(parents));
    if (SUCCEEDED(hr))
        hr = state ? hcssim__layer_state_save(root, state, detail) : E_OUTOFMEMORY;
    json_decref(state);
    return hr;
}

static HRESULT initialize_writable(PCWSTR path, PCWSTR layer_data, PCWSTR options)
{
    layer_call c;
    HRESULT hr = call_in(&c, path, "writable layer", layer_data, SIM_CHAIN_LAYERS);
    /* Options must be NULL; hcsshim's "" works too (§4.1 #3). */
    if (SUCCEEDED(hr) && options && options[0])
        hr = hcssim__layer_fail(E_INVALIDARG, c.detail, "options must be NULL");
    if (SUCCEEDED(hr))
        hr = initialize(c.path, &c.chain, c.detail);
    return call_done(&c, hr);
}

static HRESULT initialize_legacy(PCWSTR mount_path, PCWSTR folder_path, PCWSTR layer_data, PCWSTR options)
{
    static const char *const hives[] = {"Hives", NULL};
    layer_call c;
    char *folder = NULL;
    json_t *opts = NULL;
    HRESULT hr = call_in(&c, mount_path, "writable layer mount", layer_data, SIM_CHAIN_LAYERS);
    if (SUCCEEDED(hr))
        hr = folder_in(folder_path, "writable layer folder", &folder, c.detail);
    if (SUCCEEDED(hr)) /* which paths to pre-expand: unpublished, any JSON object */
        hr = hcssim__json_in(options, &opts, c.detail);
    if (SUCCEEDED(hr) && opts && !json_is_object(opts))
        hr = hcssim__layer_fail(HCS_E_INVALID_JSON, c.detail, "options: expected a JSON object");
    if (SUCCEEDED(hr))
        hr = initialize(c.path, &c.chain, c.detail);
    if (SUCCEEDED(hr))
        hr = make_dirs(folder, hives, c.detail);
    json_decref(opts);
    free(folder);
    return call_done(&c, hr);
}

/* The record of the writable layer at root for attaching a filter: an
 * overlay needs no initialized layer (§1.6 B, CimFS) and records one. */
static json_t *attach_state(layer_call *c, bool overlay, HRESULT *hr)
{
    json_t *state = hcssim__layer_state_load(c->path);
    if (!state && overlay && SUCCEEDED(*hr = initialize(c->path, &c->chain, c->detail)))
        state = hcssim__layer_state_load(c->path);
    else if (!state && !overlay)
        *hr = hcssim__layer_fail(SIM_E_PATH_NOT_FOUND, c->detail, "%.*s: not an initialized writable layer",
                                 SIM_QUOTE(c->path));
    if (!state && SUCCEEDED(*hr))
        *hr = E_OUTOFMEMORY;
    /* Inferred: attaching twice fails (§4.1 #14). */
    if (json_object_get(state, "Filter"))
        *hr = hcssim__layer_fail(SIM_E_ALREADY_EXISTS, c->detail, "%.*s: a filter is attached already",
                                 SIM_QUOTE(c->path));
    return state;
}

/* Attaches a filter to the writable layer at path: its parents become in
 * use. */
static HRESULT attach(PCWSTR path, PCWSTR layer_data, bool overlay)
{
    layer_call c;
    HRESULT hr = call_in(&c, path, "writable layer", layer_data, overlay ? SIM_CHAIN_FOLDERS : SIM_CHAIN_LAYERS);
    json_t *state = SUCCEEDED(hr) ? attach_state(&c, overlay, &hr) : NULL;
    if (SUCCEEDED(hr)) {
        json_object_set_new(state, "Parents", parents_json(&c.chain));
        json_object_set_new(state, "Filter", json_string(overlay ? c.chain.filter : "WCIFS"));
        hr = hcssim__layer_state_save(c.path, state, c.detail);
    }
    if (SUCCEEDED(hr))
        hcssim__layer_mark_users(c.path, state, true);
    json_decref(state);
    return call_done(&c, hr);
}

/* Detaches the filter; an overlay's LayerData must name the type attached
 * (§1.5.13). Inferred: detaching what is not attached fails (§4.1 #14). */
static HRESULT detach(PCWSTR path, PCWSTR layer_data, bool overlay)
{
    layer_call c;
    HRESULT hr = call_in(&c, path, NULL, layer_data, SIM_CHAIN_FOLDERS);
    json_t *state = SUCCEEDED(hr) ? hcssim__layer_state_load(c.path) : NULL;
    const char *filter = json_string_value(json_object_get(state, "Filter"));
    if (SUCCEEDED(hr) && !filter)
        hr = hcssim__layer_fail(SIM_E_NOT_FOUND, c.detail, "%.*s: no filter is attached", SIM_QUOTE(c.path));
    else if (SUCCEEDED(hr) && overlay && strcmp(filter, c.chain.filter) != 0)
        hr = hcssim__layer_fail(E_INVALIDARG, c.detail, "the attached filter is %s, not %s", filter, c.chain.filter);
    if (SUCCEEDED(hr)) {
        hcssim__layer_mark_users(c.path, state, false);
        json_object_del(state, "Filter");
        hr = hcssim__layer_state_save(c.path, state, c.detail);
    }
    json_decref(state);
    return call_done(&c, hr);
}

/* ---- VHDs (§1.5.11, §1.5.12) ------------------------------------------------- */

/* The volume GUID a formatted VHD carries, or false. */
static bool vhd_volume(HANDLE vhd, char guid[37], bool *readable)
{
    char head[sizeof vhd_signature + 40] = {0};
    long n = hcssim__fs_handle_read(vhd, head, sizeof head - 1);
    *readable = n >= 0;
    size_t sig = strlen(vhd_signature);
    if (n < (long)(sig + 36) || memcmp(head, vhd_signature, sig) != 0)
        return false;
    memcpy(guid, head + sig, 36);
    guid[36] = '\0';
    return true;
}

static void new_guid(char out[37])
{
    static atomic_uint counter;
    unsigned n = atomic_fetch_add(&counter, 1);
    snprintf(out, 37, "%08lx-%04x-4%03x-a%03x-%012llx", hcssim__fs_process_id() & 0xffffffffUL, n & 0xffff,
             (n >> 16) & 0xfff, (unsigned)clock() & 0xfff, (unsigned long long)time(NULL) & 0xffffffffffffULL);
}

static HRESULT format_vhd(HANDLE vhd)
{
    char guid[37];
    bool readable;
    if (!vhd || vhd == INVALID_HANDLE_VALUE)
        return E_INVALIDARG;
    if (vhd_volume(vhd, guid, &readable)) /* formatted already (§4.1 #11) */
        return E_INVALIDARG;
    if (!readable)
        return SIM_E_HANDLE;
    new_guid(guid);
    char *root = hcssim__fs_volumes_root();
    char name[40];
    snprintf(name, sizeof name, "{%s}", guid);
    char *volume = root ? hcssim__fs_join(root, name) : NULL;
    if (root && hcssim__fs_kind(root) != SIM_FS_DIR)
        hcssim__fs_mkdir(root);
    HRESULT hr = volume ? S_OK : E_OUTOFMEMORY;
    if (volume && hcssim__fs_mkdir(volume) != 0)
        hr = SIM_E_PATH_NOT_FOUND;
    char head[sizeof vhd_signature + 40];
    snprintf(head, sizeof head, "%s%s\n", vhd_signature, guid);
    if (SUCCEEDED(hr) && hcssim__fs_handle_write(vhd, head, strlen(head)) != 0)
        hr = SIM_E_HANDLE;
    free(volume);
    free(root);
    return hr;
}

static HRESULT vhd_mount_path(HANDLE vhd, PWSTR *mount_path)
{
    if (!mount_path)
        return E_POINTER;
    *mount_path = NULL;
    if (!vhd || vhd == INVALID_HANDLE_VALUE)
        return E_INVALIDARG;
    char guid[37];
    bool readable;
    if (!vhd_volume(vhd, guid, &readable)) /* inferred: not mounted (§4.1 #12) */
        return readable ? SIM_E_NOT_READY : SIM_E_HANDLE;
    char path[64];
    snprintf(path, sizeof path, "\\\\?\\Volume{%s}\\", guid);
    return hcssim__string_out(path, mount_path); /* LocalAlloc'ed (§4.1 #2) */
}

/* ---- the exports ---------------------------------------------------------- */

SIM_EXPORT HRESULT WINAPI HcsImportLayer(PCWSTR layerPath, PCWSTR sourceFolderPath, PCWSTR layerData)
{
    STORAGE_CALL("HcsImportLayer", import_layer(layerPath, sourceFolderPath, layerData));
}

SIM_EXPORT HRESULT WINAPI HcsExportLayer(PCWSTR layerPath, PCWSTR exportFolderPath, PCWSTR layerData, PCWSTR options)
{
    STORAGE_CALL("HcsExportLayer", export_layer(layerPath, exportFolderPath, layerData, options));
}

SIM_EXPORT HRESULT WINAPI HcsExportLegacyWritableLayer(PCWSTR writableLayerMountPath, PCWSTR writableLayerFolderPath,
                                                       PCWSTR exportFolderPath, PCWSTR layerData)
{
    STORAGE_CALL("HcsExportLegacyWritableLayer",
                 export_legacy(writableLayerMountPath, writableLayerFolderPath, exportFolderPath, layerData));
}

SIM_EXPORT HRESULT WINAPI HcsDestroyLayer(PCWSTR layerPath)
{
    STORAGE_CALL("HcsDestroyLayer", destroy_layer(layerPath));
}

SIM_EXPORT HRESULT WINAPI HcsSetupBaseOSLayer(PCWSTR layerPath, HANDLE vhdHandle, PCWSTR options)
{
    STORAGE_CALL("HcsSetupBaseOSLayer", setup_base_layer(layerPath, vhdHandle, options));
}

SIM_EXPORT HRESULT WINAPI HcsSetupBaseOSVolume(PCWSTR layerPath, PCWSTR volumePath, PCWSTR options)
{
    STORAGE_CALL("HcsSetupBaseOSVolume", setup_base_volume(layerPath, volumePath, options));
}

SIM_EXPORT HRESULT WINAPI HcsInitializeWritableLayer(PCWSTR writableLayerPath, PCWSTR layerData, PCWSTR options)
{
    STORAGE_CALL("HcsInitializeWritableLayer", initialize_writable(writableLayerPath, layerData, options));
}

SIM_EXPORT HRESULT WINAPI HcsInitializeLegacyWritableLayer(PCWSTR writableLayerMountPath,
                                                           PCWSTR writableLayerFolderPath, PCWSTR layerData,
                                                           PCWSTR options)
{
    STORAGE_CALL("HcsInitializeLegacyWritableLayer",
                 initialize_legacy(writableLayerMountPath, writableLayerFolderPath, layerData, options));
}

SIM_EXPORT HRESULT WINAPI HcsAttachLayerStorageFilter(PCWSTR layerPath, PCWSTR layerData)
{
    STORAGE_CALL("HcsAttachLayerStorageFilter", attach(layerPath, layerData, false));
}

SIM_EXPORT HRESULT WINAPI HcsDetachLayerStorageFilter(PCWSTR layerPath)
{
    STORAGE_CALL("HcsDetachLayerStorageFilter", detach(layerPath, NULL, false));
}

SIM_EXPORT HRESULT WINAPI HcsFormatWritableLayerVhd(HANDLE vhdHandle)
{
    STORAGE_CALL("HcsFormatWritableLayerVhd", format_vhd(vhdHandle));
}

SIM_EXPORT HRESULT WINAPI HcsGetLayerVhdMountPath(HANDLE vhdHandle, PWSTR *mountPath)
{
    STORAGE_CALL("HcsGetLayerVhdMountPath", vhd_mount_path(vhdHandle, mountPath));
}

SIM_EXPORT HRESULT WINAPI HcsAttachOverlayFilter(PCWSTR volumeMountPoint, PCWSTR layerData)
{
    STORAGE_CALL("HcsAttachOverlayFilter", attach(volumeMountPoint, layerData, true));
}

SIM_EXPORT HRESULT WINAPI HcsDetachOverlayFilter(PCWSTR volumeMountPoint, PCWSTR layerData)
{
    STORAGE_CALL("HcsDetachOverlayFilter", detach(volumeMountPoint, layerData, true));
}
