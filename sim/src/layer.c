/* Simulated layers: paths, LayerData, writable-layer records (layer.h). */
#include "layer.h"

#include "file.h"
#include "layer_fs.h"
#include "util/guid.h"

#include <ctype.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

HRESULT hcssim__layer_fail(HRESULT hr, char detail[SIM_DETAIL_SIZE], const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    hcssim__vdetail(detail, fmt, ap);
    va_end(ap);
    return hr;
}

/* ---- paths ---------------------------------------------------------------- */

static bool is_sep(char c) { return c == '\\' || c == '/'; }

/* \\?\Volume{GUID}\rest -> <volumes root>/{GUID}/rest. */
static HRESULT volume_folder(const char *in, char **out, char detail[SIM_DETAIL_SIZE])
{
    const char *guid = in + strlen("\\\\?\\Volume{");
    const char *close = strchr(guid, '}');
    if (!close || !hcs__guid_is_text(guid, (size_t)(close - guid)) || (close[1] && !is_sep(close[1])))
        return hcssim__layer_fail(E_INVALIDARG, detail, "%.*s: not a volume path", SIM_QUOTE(in));
    char *root = hcssim__fs_volumes_root();
    size_t size = (root ? strlen(root) : 0) + strlen(in) + 4;
    *out = root ? malloc(size) : NULL;
    if (*out) {
        snprintf(*out, size, "%s" SIM_SEP "%.*s%s", root, (int)(close + 1 - (guid - 1)), guid - 1, close + 1);
        for (char *c = *out + strlen(root) + 1; *c; c++)
            if (is_sep(*c))
                *c = SIM_SEP[0];
    }
    free(root);
    return *out ? S_OK : E_OUTOFMEMORY;
}

HRESULT hcssim__layer_path_resolve(const char *in, char **out, char detail[SIM_DETAIL_SIZE])
{
    *out = NULL;
    if (!in || !in[0])
        return hcssim__layer_fail(E_INVALIDARG, detail, "a path is required");
    HRESULT hr = S_OK;
    if (strncmp(in, "\\\\?\\Volume{", 11) == 0)
        hr = volume_folder(in, out, detail);
    else
        *out = strdup(in);
    if (FAILED(hr))
        return hr;
    if (!*out)
        return E_OUTOFMEMORY;
    /* A missing or extra trailing separator names the same folder (§4.1
     * #4); a root ("/", "C:\") keeps its own. */
    size_t n = strlen(*out);
    while (n > 1 && is_sep((*out)[n - 1]) && (*out)[n - 2] != ':')
        (*out)[--n] = '\0';
    return S_OK;
}

HRESULT hcssim__layer_path_in(PCWSTR in, char **out, char detail[SIM_DETAIL_SIZE])
{
    *out = NULL;
    char *text = NULL;
    HRESULT hr = hcssim__text_in(in, &text, detail);
    if (SUCCEEDED(hr))
        hr = hcssim__layer_path_resolve(text, out, detail);
    free(text);
    return hr;
}

/* ---- what a folder is ----------------------------------------------------- */

static bool has_dir(const char *dir, const char *sub)
{
    char *p = hcssim__fs_join(dir, sub);
    bool yes = p && hcssim__fs_kind(p) == SIM_FS_DIR;
    free(p);
    return yes;
}

bool hcssim__layer_is_layer(const char *dir) { return has_dir(dir, "Files"); }

bool hcssim__layer_is_base(const char *dir) { return has_dir(dir, "Files" SIM_SEP "Windows"); }

bool hcssim__layer_in_use(const char *dir)
{
    char *users = hcssim__fs_join(dir, SIM_LAYER_USERS);
    size_t count = 0;
    char **names = users ? hcssim__fs_list(users, &count) : NULL;
    hcssim__fs_list_free(names, count);
    free(users);
    return count > 0;
}

/* ---- LayerData -------------------------------------------------------------- */

static const char *const path_types[] = {"AbsolutePath", "VirtualSmbShareName", NULL};
static const char *const caches[] = {"Unspecified", "Disabled", "Enabled", "Private", "PrivateAllowSharing", NULL};
static const char *const filter_types[] = {"WCIFS", "UnionFS", NULL};
static const sim_member version_members[] = {{"Major", JSON_INTEGER, 0, NULL, NULL, 0},
                                             {"Minor", JSON_INTEGER, 0, NULL, NULL, 0}};
static const sim_member layer_members[] = {
    {"Id", JSON_STRING, 0, NULL, NULL, 0},
    {"Path", JSON_STRING, 0, NULL, NULL, 0},
    {"PathType", JSON_STRING, 0, path_types, NULL, 0},
    {"Cache", JSON_STRING, 0, caches, NULL, 0},
};
static const sim_member layer_data_members[] = {
    {"SchemaVersion", JSON_OBJECT, 0, NULL, version_members, 2},
    {"Layers", JSON_ARRAY, 0, NULL, NULL, 0},
    {"FilterType", JSON_STRING, 0, filter_types, NULL, 0},
};

/* One Layer: Id a GUID and Path a string, both required (§1.3). */
static HRESULT layer_in(const json_t *layer, size_t i, char **path, char detail[SIM_DETAIL_SIZE])
{
    char type[48]; /* room for the longest index */
    snprintf(type, sizeof type, "LayerData.Layers[%zu]", i);
    HRESULT hr = hcssim__check_members(layer, type, layer_members, 4, 99, detail);
    if (FAILED(hr))
        return hr;
    const char *id = json_string_value(json_object_get(layer, "Id"));
    const char *p = json_string_value(json_object_get(layer, "Path"));
    if (!id || !hcs__guid_is_text(id, strlen(id)))
        return hcssim__layer_fail(HCS_E_INVALID_JSON, detail, "%s.Id: a GUID (8-4-4-4-12, no braces) is required",
                                  type);
    if (!p)
        return hcssim__layer_fail(HCS_E_INVALID_JSON, detail, "%s.Path: required", type);
    return hcssim__layer_path_resolve(p, path, detail);
}

static HRESULT check_parent(const sim_layer_chain *c, size_t i, sim_chain_rule rule, char detail[SIM_DETAIL_SIZE])
{
    const char *p = c->paths[i];
    if (rule == SIM_CHAIN_FOLDERS)
        return hcssim__fs_kind(p) == SIM_FS_DIR
                   ? S_OK
                   : hcssim__layer_fail(SIM_E_PATH_NOT_FOUND, detail, "%.*s: no such folder", SIM_QUOTE(p));
    if (!hcssim__layer_is_layer(p))
        return hcssim__layer_fail(SIM_E_PATH_NOT_FOUND, detail, "parent layer %.*s: not found (no Files folder)",
                                  SIM_QUOTE(p));
    /* Nearest parent first, the base last (§1.3, §4.1 #6, §5 #1). */
    bool last = i + 1 == c->count;
    if (hcssim__layer_is_base(p) != last)
        return hcssim__layer_fail(SIM_E_PATH_NOT_FOUND, detail,
                                  last ? "the last parent, %.*s, is not a base layer (order nearest parent first, "
                                         "base last)"
                                       : "parent %.*s is a base layer but not the last (order nearest parent "
                                         "first, base last)",
                                  SIM_QUOTE(p));
    return S_OK;
}

HRESULT hcssim__layer_chain_in(PCWSTR layer_data, sim_chain_rule rule, sim_layer_chain *out,
                               char detail[SIM_DETAIL_SIZE])
{
    memset(out, 0, sizeof *out);
    out->filter = "WCIFS";
    json_t *doc = NULL;
    HRESULT hr = hcssim__json_in(layer_data, &doc, detail);
    if (FAILED(hr) || !doc)
        return hr;
    hr = hcssim__check_members(doc, "LayerData", layer_data_members, 3, 99, detail);
    json_t *layers = json_object_get(doc, "Layers");
    size_t n = json_array_size(layers);
    out->paths = SUCCEEDED(hr) && n ? calloc(n, sizeof *out->paths) : NULL;
    if (SUCCEEDED(hr) && n && !out->paths)
        hr = E_OUTOFMEMORY;
    for (size_t i = 0; SUCCEEDED(hr) && i < n; i++, out->count++)
        hr = layer_in(json_array_get(layers, i), i, &out->paths[i], detail);
    for (size_t i = 0; SUCCEEDED(hr) && i < n; i++)
        hr = check_parent(out, i, rule, detail);
    const char *filter = json_string_value(json_object_get(doc, "FilterType"));
    if (filter && strcmp(filter, "UnionFS") == 0)
        out->filter = "UnionFS";
    json_decref(doc);
    if (FAILED(hr))
        hcssim__layer_chain_free(out);
    return hr;
}

void hcssim__layer_chain_free(sim_layer_chain *chain)
{
    for (size_t i = 0; chain->paths && i < chain->count; i++)
        free(chain->paths[i]);
    free(chain->paths);
    chain->paths = NULL;
    chain->count = 0;
}

/* ---- writable-layer records ------------------------------------------------ */

json_t *hcssim__layer_state_load(const char *root)
{
    char *path = hcssim__fs_join(root, SIM_WRITABLE_STATE);
    json_t *state = path ? json_load_file(path, 0, NULL) : NULL;
    free(path);
    if (state && !json_is_object(state)) {
        json_decref(state);
        state = NULL;
    }
    return state;
}

HRESULT hcssim__layer_state_save(const char *root, json_t *state, char detail[SIM_DETAIL_SIZE])
{
    char *path = hcssim__fs_join(root, SIM_WRITABLE_STATE);
    int rc = path ? json_dump_file(state, path, JSON_COMPACT) : -1;
    free(path);
    return rc == 0 ? S_OK
                   : hcssim__layer_fail(SIM_E_PATH_NOT_FOUND, detail, "%.*s: the layer's record cannot be written",
                                        SIM_QUOTE(root));
}

/* A file name standing for root: FNV-1a of its path, in hex. */
static void user_name(const char *root, char out[17])
{
    uint64_t h = 1469598103934665603ull;
    for (const char *c = root; *c; c++)
        h = (h ^ (unsigned char)*c) * 1099511628211ull;
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* Where the users of a parent are marked: in the layer, also when the
 * parent is its Files folder (an overlay's UnionFS layer, §1.6 B). */
static char *users_dir(const char *parent)
{
    size_t n = strlen(parent);
    bool files = n > 6 && is_sep(parent[n - 6]) && strcmp(parent + n - 5, "Files") == 0;
    char *layer = files ? strdup(parent) : NULL;
    if (layer)
        layer[n - 6] = '\0';
    char *users = hcssim__fs_join(layer ? layer : parent, SIM_LAYER_USERS);
    free(layer);
    return users;
}

void hcssim__layer_mark_users(const char *root, const json_t *state, bool used)
{
    char name[17];
    user_name(root, name);
    size_t i;
    json_t *parent;
    json_array_foreach(json_object_get(state, "Parents"), i, parent)
    {
        char *users = users_dir(json_string_value(parent));
        char *mark = users ? hcssim__fs_join(users, name) : NULL;
        if (mark && used) {
            hcssim__fs_mkdir(users); /* may exist already */
            char ignored[SIM_DETAIL_SIZE];
            hcssim__file_write(mark, root, ignored);
        } else if (mark) {
            hcssim__fs_remove(mark);
            hcssim__fs_remove(users); /* only when no other user is left */
        }
        free(mark);
        free(users);
    }
}

/* ---- compute-system creation ---------------------------------------------- */

static HRESULT check_storage_layer(const json_t *layer, char detail[SIM_DETAIL_SIZE])
{
    const char *p = json_string_value(json_object_get(layer, "Path"));
    const char *type = json_string_value(json_object_get(layer, "PathType"));
    if (!p || (type && strcmp(type, "VirtualSmbShareName") == 0))
        return S_OK; /* a guest path: nothing on the host to look at */
    char *dir = NULL;
    HRESULT hr = hcssim__layer_path_resolve(p, &dir, detail);
    if (SUCCEEDED(hr) && !hcssim__layer_is_layer(dir))
        hr = hcssim__layer_fail(SIM_E_PATH_NOT_FOUND, detail, "Container.Storage.Layers: %.*s is not a layer",
                                SIM_QUOTE(p));
    free(dir);
    return hr;
}

static HRESULT check_scratch(const char *p, char detail[SIM_DETAIL_SIZE])
{
    char *dir = NULL;
    HRESULT hr = hcssim__layer_path_resolve(p, &dir, detail);
    if (FAILED(hr))
        return hr;
    json_t *state = hcssim__layer_state_load(dir);
    if (hcssim__fs_kind(dir) != SIM_FS_DIR)
        hr = hcssim__layer_fail(SIM_E_PATH_NOT_FOUND, detail, "Container.Storage.Path: %.*s does not exist",
                                SIM_QUOTE(p));
    else if (!state)
        hr = hcssim__layer_fail(SIM_E_INVALID_LAYER, detail,
                                "Container.Storage.Path: %.*s is not an initialized writable layer", SIM_QUOTE(p));
    else if (!json_object_get(state, "Filter"))
        hr = hcssim__layer_fail(SIM_E_INVALID_LAYER, detail,
                                "Container.Storage.Path: no storage filter is attached to %.*s", SIM_QUOTE(p));
    json_decref(state);
    free(dir);
    return hr;
}

HRESULT hcssim__layer_check_storage(const json_t *config, char detail[SIM_DETAIL_SIZE])
{
    const json_t *storage = json_object_get(json_object_get(config, "Container"), "Storage");
    if (!json_is_object(storage))
        return S_OK;
    size_t i;
    json_t *layer;
    json_array_foreach(json_object_get(storage, "Layers"), i, layer)
    {
        HRESULT hr = check_storage_layer(layer, detail);
        if (FAILED(hr))
            return hr;
    }
    const char *scratch = json_string_value(json_object_get(storage, "Path"));
    return scratch ? check_scratch(scratch, detail) : S_OK;
}

char *hcssim__layer_scratch(const json_t *config)
{
    const json_t *storage = json_object_get(json_object_get(config, "Container"), "Storage");
    const char *path = json_string_value(json_object_get(storage, "Path"));
    char detail[SIM_DETAIL_SIZE], *dir = NULL;
    return path && SUCCEEDED(hcssim__layer_path_resolve(path, &dir, detail)) ? dir : NULL;
}

HRESULT hcssim__layer_check_vhd_free(const char *vhd, const char *what, char detail[SIM_DETAIL_SIZE])
{
    char *path = NULL;
    if (!vhd || !vhd[0] || FAILED(hcssim__layer_path_resolve(vhd, &path, detail))) {
        detail[0] = '\0';
        return S_OK; /* not a file path: nothing the host can hold */
    }
    char *cut = path;
    for (char *c = path; *c; c++)
        if (is_sep(*c))
            cut = c;
    *cut = '\0';
    json_t *state = cut != path ? hcssim__layer_state_load(path) : NULL;
    bool attached = json_object_get(state, "Filter") != NULL;
    json_decref(state);
    free(path);
    return attached ? hcssim__layer_fail(SIM_E_SHARING_VIOLATION, detail,
                                         "%s: %.*s is in use: its writable layer is attached on the host (its storage "
                                         "filter); detach the filter before attaching the VHD to a virtual machine",
                                         what, SIM_QUOTE(vhd))
                    : S_OK;
}
