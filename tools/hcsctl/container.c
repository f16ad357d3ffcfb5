/* What `hcsctl create --container --layer ...` makes for a container
 * besides the compute system, and what rm (or a failed create) unmakes:
 * its writable layer (scratch) in a state folder of hcsctl's own, made
 * with storage.h as storage-and-network §1.6 B does (initialize, attach the
 * filter), and fed to the document as §1.7 says (Storage.Layers nearest
 * first, Storage.Path the scratch).
 *
 * The state folder of a container is <state>/<ID>: --state, else
 * HCSCTL_STATE, else %LOCALAPPDATA%\hcsctl on Windows and
 * $XDG_STATE_HOME/hcsctl (~/.local/state/hcsctl) elsewhere. It holds
 * `scratch`, the writable layer. Because it is on the host's file system,
 * a later `hcsctl rm ID` finds it whatever process created the container. */
#include "commands.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <windows.h>
#define SEP "\\"
#else
#include <sys/stat.h>
#include <unistd.h>
#define SEP "/"
#endif

/* ---- the host's folders ------------------------------------------------- */

#ifdef _WIN32
typedef BOOL(WINAPI *path_call)(const wchar_t *path);

/* Runs call on the UTF-16 form of path. */
static bool on_wide(const char *path, path_call call)
{
    uint16_t *w = NULL;
    bool ok = hcs_utf8_to_utf16(path, &w, NULL) == HCS_OK && call((const wchar_t *)w);
    hcs_free(w);
    return ok;
}

static BOOL WINAPI create_dir_w(const wchar_t *p) { return CreateDirectoryW(p, NULL); }
static BOOL WINAPI exists_w(const wchar_t *p) { return GetFileAttributesW(p) != INVALID_FILE_ATTRIBUTES; }
static bool make_dir(const char *path) { return on_wide(path, create_dir_w); }
static bool path_exists(const char *path) { return on_wide(path, exists_w); }
static bool remove_dir(const char *path) { return on_wide(path, RemoveDirectoryW); }
#else
static bool make_dir(const char *path) { return mkdir(path, 0777) == 0; }
static bool path_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}
static bool remove_dir(const char *path) { return rmdir(path) == 0; }
#endif

static bool is_sep(char c) { return c == '/' || c == '\\'; }

/* Makes path and the folders above it that are missing. */
static bool make_dirs(const char *path)
{
    char *copy = hcsctl_copy(path);
    if (!copy)
        return false;
    for (char *c = copy + 1; *c; c++) {
        if (is_sep(*c) && !is_sep(c[-1]) && c[-1] != ':') { /* not a root, nor "C:" */
            char saved = *c;
            *c = '\0';
            if (!path_exists(copy))
                make_dir(copy);
            *c = saved;
        }
    }
    bool ok = path_exists(copy) || make_dir(copy);
    free(copy);
    return ok;
}

/* a + SEP + b, malloc'ed. */
static char *join(const char *a, const char *b)
{
    size_t size = strlen(a) + strlen(b) + 2;
    char *out = malloc(size);
    if (out)
        snprintf(out, size, "%s%s%s", a, is_sep(a[strlen(a) - 1]) ? "" : SEP, b);
    return out;
}

/* ---- the state folder ---------------------------------------------------- */

/* The folder of hcsctl's state (see the top of this file). */
static char *state_root(const hcsctl_args *args)
{
    const char *given = hcsctl_arg_value(args, "state"), *env = getenv("HCSCTL_STATE");
    if (given && given[0])
        return hcsctl_copy(given);
    if (env && env[0])
        return hcsctl_copy(env);
#ifdef _WIN32
    const char *base = getenv("LOCALAPPDATA");
    return base && base[0] ? join(base, "hcsctl") : NULL;
#else
    const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
    if (xdg && xdg[0])
        return join(xdg, "hcsctl");
    return home && home[0] ? join(home, ".local/state/hcsctl") : NULL;
#endif
}

/* Whether id may name a folder: no separators, no characters Windows
 * refuses in a name, not "." or "..". */
static bool id_is_folder_name(const char *id)
{
    if (!id[0] || strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
        return false;
    for (const unsigned char *c = (const unsigned char *)id; *c; c++)
        if (*c < 0x20 || strchr("/\\:*?\"<>|", *c))
            return false;
    return true;
}

/* The container's state folder, <state>/<id>, malloc'ed; NULL after saying
 * why. */
static char *state_folder(const hcsctl_args *args, const char *id)
{
    char *root = state_root(args);
    char *folder = root ? join(root, id) : NULL;
    if (!root)
        hcsctl_say("no folder for hcsctl's state: give --state DIR or set HCSCTL_STATE");
    free(root);
    return folder;
}

/* ---- layer ids ------------------------------------------------------------ */

/* SHA-1 (FIPS 180-4), for the name-based layer ids below. */
typedef struct sha1 {
    uint32_t h[5];
    uint8_t block[64];
    size_t used;
    uint64_t bytes;
} sha1;

static uint32_t rol(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

static void sha1_block(sha1 *s)
{
    uint32_t w[80], a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3], e = s->h[4];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)s->block[4 * i] << 24 | (uint32_t)s->block[4 * i + 1] << 16 |
               (uint32_t)s->block[4 * i + 2] << 8 | s->block[4 * i + 3];
    for (int i = 16; i < 80; i++)
        w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    for (int i = 0; i < 80; i++) {
        uint32_t f = i < 20   ? ((b & c) | (~b & d)) + 0x5A827999
                     : i < 40 ? (b ^ c ^ d) + 0x6ED9EBA1
                     : i < 60 ? ((b & c) | (b & d) | (c & d)) + 0x8F1BBCDC
                              : (b ^ c ^ d) + 0xCA62C1D6;
        uint32_t t = rol(a, 5) + f + e + w[i];
        e = d, d = c, c = rol(b, 30), b = a, a = t;
    }
    s->h[0] += a, s->h[1] += b, s->h[2] += c, s->h[3] += d, s->h[4] += e;
}

static void sha1_add(sha1 *s, const void *data, size_t n)
{
    const uint8_t *p = data;
    s->bytes += n;
    while (n--) {
        s->block[s->used++] = *p++;
        if (s->used == 64) {
            sha1_block(s);
            s->used = 0;
        }
    }
}

static void sha1_end(sha1 *s, uint8_t out[20])
{
    uint64_t bits = s->bytes * 8;
    sha1_add(s, "\x80", 1);
    while (s->used != 56)
        sha1_add(s, "", 1);
    for (int i = 7; i >= 0; i--)
        sha1_add(s, &(uint8_t){(uint8_t)(bits >> (8 * i))}, 1);
    for (int i = 0; i < 20; i++)
        out[i] = (uint8_t)(s->h[i / 4] >> (24 - 8 * (i % 4)));
}

/* The namespace of hcsctl's layer ids (a random GUID, fixed forever). */
static const uint8_t layer_id_namespace[16] = {0xcb, 0x22, 0xce, 0x8f, 0x9e, 0xef, 0x43, 0x96,
                                               0xb6, 0x5e, 0x21, 0x04, 0x14, 0x28, 0xd4, 0xd1};

/* The id of the layer at path: a version 5 (SHA-1 name-based) UUID of the
 * folder's name, as a runtime's NameToGuid of the name is (storage-and-
 * network §1.3: same name, same id; vmcompute's algorithm is not published,
 * so the values differ from a real host's). */
static void layer_id(const char *path, char out[37])
{
    size_t end = strlen(path);
    while (end > 1 && is_sep(path[end - 1]))
        end--;
    size_t start = end;
    while (start > 0 && !is_sep(path[start - 1]) && path[start - 1] != ':')
        start--;
    sha1 s = {{0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0}, {0}, 0, 0};
    uint8_t d[20];
    sha1_add(&s, layer_id_namespace, sizeof layer_id_namespace);
    sha1_add(&s, path + start, end - start);
    sha1_end(&s, d);
    d[6] = (uint8_t)((d[6] & 0x0F) | 0x50);
    d[8] = (uint8_t)((d[8] & 0x3F) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", d[0], d[1], d[2], d[3],
             d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12], d[13], d[14], d[15]);
}

/* Whether text starts with 36 characters shaped as a GUID and then '='. */
static bool has_id(const char *text)
{
    for (size_t i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (!text[i] || (dash ? text[i] != '-' : !strchr("0123456789abcdefABCDEF", text[i])))
            return false;
    }
    return text[36] == '=';
}

/* ---- create ------------------------------------------------------------- */

struct hcsctl_container {
    char *folder;  /* <state>/<id> */
    char *scratch; /* <folder>/scratch */
    hcs_layer_spec *layers;
    char (*ids)[37];
    size_t layer_count;
};

void hcsctl_container_free(hcsctl_container *c)
{
    if (!c)
        return;
    free(c->folder);
    free(c->scratch);
    free(c->layers);
    free(c->ids);
    free(c);
}

/* The --layer values as a chain, nearest first: ID=PATH, or PATH with the
 * id derived from the folder's name. */
static int layers_in(const hcsctl_args *args, hcsctl_container *c)
{
    size_t n = 0;
    const char *const *values = hcsctl_arg_values(args, "layer", &n);
    c->layers = calloc(n ? n : 1, sizeof *c->layers);
    c->ids = calloc(n ? n : 1, sizeof *c->ids);
    if (!c->layers || !c->ids) {
        hcsctl_say("out of memory");
        return HCSCTL_EXIT_FAILURE;
    }
    for (; c->layer_count < n; c->layer_count++) {
        const char *v = values[c->layer_count];
        char *id = c->ids[c->layer_count];
        if (has_id(v)) {
            memcpy(id, v, 36);
            v += 37;
        } else if (v[0]) {
            layer_id(v, id);
        }
        if (!v[0])
            return hcsctl_usage_error(args->verb, "--layer wants a layer's folder (PATH or ID=PATH)");
        c->layers[c->layer_count] = (hcs_layer_spec){id, v};
    }
    return HCSCTL_EXIT_OK;
}

/* Checks the chain before anything is made, as storage-and-network §5 #1
 * asks of a wrapper: each layer a folder with Files (§1.4.2), the last one
 * the base (Files/Windows). HCS's own refusal would name the scratch. */
static int check_chain(const hcsctl_container *c)
{
    for (size_t i = 0; i < c->layer_count; i++) {
        const char *path = c->layers[i].path;
        bool base = i + 1 == c->layer_count;
        char *files = join(path, "Files"), *windows = files ? join(files, "Windows") : NULL;
        const char *why = !path_exists(path)              ? "no such folder"
                          : !files || !path_exists(files) ? "not a layer (no Files folder): 'hcsctl layer import' "
                                                            "makes one from a transport folder"
                          : base && (!windows || !path_exists(windows)) ? "the last --layer must be the base layer "
                                                                          "(with Files" SEP "Windows): nearest first, "
                                                                          "the base last"
                                                                        : NULL;
        free(files);
        free(windows);
        if (why) {
            hcsctl_say("--layer %s: %s", path, why);
            return HCSCTL_EXIT_FAILURE;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(c->ids[i], c->ids[j]) == 0) { /* §5 #2 */
                hcsctl_say("--layer %s and --layer %s have the same id %s (folders of the same name?): give one "
                           "as ID=PATH",
                           c->layers[j].path, path, c->ids[i]);
                return HCSCTL_EXIT_FAILURE;
            }
    }
    return HCSCTL_EXIT_OK;
}

int hcsctl_container_prepare(hcsctl_ctx *ctx, const hcsctl_args *args, const char *id, hcs_container_spec *spec,
                             hcsctl_container **out)
{
    *out = NULL;
    if (!id_is_folder_name(id))
        return hcsctl_usage_error(args->verb, "with --layer the ID names a folder: \"%s\" cannot", id);
    hcsctl_container *c = calloc(1, sizeof *c);
    int rc = c ? layers_in(args, c) : HCSCTL_EXIT_FAILURE;
    if (rc == HCSCTL_EXIT_OK)
        rc = check_chain(c);
    if (rc == HCSCTL_EXIT_OK && !(c->folder = state_folder(args, id)))
        rc = HCSCTL_EXIT_FAILURE;
    if (rc == HCSCTL_EXIT_OK && path_exists(c->folder)) {
        hcsctl_say("%s exists: hcsctl made a container '%s' before; 'hcsctl rm %s' removes what is left of it",
                   c->folder, id, id);
        free(c->folder); /* not hcsctl's to undo now */
        c->folder = NULL;
        rc = HCSCTL_EXIT_FAILURE;
    }
    if (rc == HCSCTL_EXIT_OK && (!(c->scratch = join(c->folder, "scratch")) || !make_dirs(c->scratch))) {
        hcsctl_say("cannot make the folder %s", c->scratch ? c->scratch : c->folder);
        rc = HCSCTL_EXIT_FAILURE;
    }
    *out = c; /* from here on the caller releases it, whatever happens */
    if (rc != HCSCTL_EXIT_OK)
        return rc;
    /* storage-and-network §1.6 B steps 4-5, on a scratch folder. */
    hcs_error err = HCS_ERROR_INIT;
    int32_t hr = hcs_layer_init_writable(ctx->client, c->scratch, c->layers, c->layer_count, &err);
    if (hr == HCS_OK)
        hr = hcs_layer_attach_filter(ctx->client, c->scratch, c->layers, c->layer_count, &err);
    if (hr != HCS_OK)
        return hcsctl_layer_report(ctx, c->scratch, &err);
    spec->layers = c->layers;
    spec->layer_count = c->layer_count;
    spec->scratch_path = c->scratch;
    return HCSCTL_EXIT_OK;
}

/* ---- rm --------------------------------------------------------------------- */

/* Undoes what prepare made in folder, in the order that works once the
 * system is gone (storage-and-network §1.6 B step 7): the filter detached,
 * the scratch destroyed, the folder removed. A step with nothing to undo
 * is no failure. */
static int release_folder(hcsctl_ctx *ctx, const char *folder)
{
    int rc = HCSCTL_EXIT_OK;
    char *scratch = join(folder, "scratch");
    hcs_error err = HCS_ERROR_INIT;
    if (scratch && path_exists(scratch)) {
        if (hcs_layer_detach_filter(ctx->client, scratch, &err) != HCS_OK && err.kind != HCS_ERROR_NOT_FOUND)
            rc = hcsctl_layer_report(ctx, scratch, &err);
        hcs_error_clear(&err);
        if (rc == HCSCTL_EXIT_OK && hcs_layer_destroy(ctx->client, scratch, &err) != HCS_OK)
            rc = hcsctl_layer_report(ctx, scratch, &err);
        hcs_error_clear(&err);
    }
    if (rc == HCSCTL_EXIT_OK && !remove_dir(folder)) {
        hcsctl_say("cannot remove %s (is something else in it?)", folder);
        rc = HCSCTL_EXIT_FAILURE;
    }
    free(scratch);
    return rc;
}

int hcsctl_container_release(hcsctl_ctx *ctx, hcsctl_container *c)
{
    int rc = c && c->folder && path_exists(c->folder) ? release_folder(ctx, c->folder) : HCSCTL_EXIT_OK;
    hcsctl_container_free(c);
    return rc;
}

int hcsctl_container_remove(hcsctl_ctx *ctx, const hcsctl_args *args, const char *id, bool *found)
{
    *found = false;
    if (!id_is_folder_name(id))
        return HCSCTL_EXIT_OK;     /* hcsctl made no folder for it */
    char *root = state_root(args); /* none: hcsctl can have made nothing */
    char *folder = root ? join(root, id) : NULL;
    int rc = HCSCTL_EXIT_OK;
    if (folder && path_exists(folder)) {
        *found = true;
        rc = release_folder(ctx, folder);
    }
    free(root);
    free(folder);
    return rc;
}
