/* hcsctl layer: container layers on the host (include/hcs/storage.h):
 * import and export in transport format, remove, and mount a writable
 * layer (initialize once, attach the filter; storage-and-network §1.6 B,
 * §5 #8) or unmount it. */
#include "commands.h"
#include "json_out.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <windows.h>
#else
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>
#endif

/* ---- chains of layers ---------------------------------------------------- */

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
    for (size_t i = 0; i < 16; i++)
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

/* The namespace of hcsctl's name-based ids (a random GUID, fixed forever). */
static const uint8_t layer_id_namespace[16] = {0xcb, 0x22, 0xce, 0x8f, 0x9e, 0xef, 0x43, 0x96,
                                               0xb6, 0x5e, 0x21, 0x04, 0x14, 0x28, 0xd4, 0xd1};

/* A version 5 (SHA-1, name-based) UUID of the n bytes of name in hcsctl's
 * namespace. */
static void name_guid(const char *name, size_t n, char out[37])
{
    sha1 s = {{0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0}, {0}, 0, 0};
    uint8_t d[20];
    sha1_add(&s, layer_id_namespace, sizeof layer_id_namespace);
    sha1_add(&s, name, n);
    sha1_end(&s, d);
    d[6] = (uint8_t)((d[6] & 0x0F) | 0x50);
    d[8] = (uint8_t)((d[8] & 0x3F) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", d[0], d[1], d[2], d[3],
             d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12], d[13], d[14], d[15]);
}

void hcsctl_name_guid(const char *name, char out[37]) { name_guid(name, strlen(name), out); }

/* The id of the layer at path: the name-based UUID of the folder's name,
 * as a runtime's NameToGuid of the name is (storage-and-network §1.3: same
 * name, same id; vmcompute's algorithm is not published, so the values
 * differ from a real host's). */
static void layer_id(const char *path, char out[37])
{
    size_t end = strlen(path);
    while (end > 1 && (path[end - 1] == '/' || path[end - 1] == '\\'))
        end--;
    size_t start = end;
    while (start > 0 && !strchr("/\\:", path[start - 1]))
        start--;
    name_guid(path + start, end - start, out);
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

void hcsctl_chain_free(hcsctl_chain *c)
{
    free(c->list);
    free(c->ids);
    memset(c, 0, sizeof *c);
}

int hcsctl_chain_in(const hcsctl_args *args, const char *option, hcsctl_chain *c)
{
    memset(c, 0, sizeof *c);
    size_t n = 0;
    const char *const *values = hcsctl_arg_values(args, option, &n);
    c->list = calloc(n ? n : 1, sizeof *c->list);
    c->ids = calloc(n ? n : 1, sizeof *c->ids);
    if (!c->list || !c->ids) {
        hcsctl_say("out of memory");
        return HCSCTL_EXIT_FAILURE;
    }
    for (; c->count < n; c->count++) {
        const char *v = values[c->count];
        char *id = c->ids[c->count];
        if (has_id(v)) {
            memcpy(id, v, 36);
            v += 37;
        } else if (v[0]) {
            layer_id(v, id);
        }
        if (!v[0])
            return hcsctl_usage_error(args->verb, "--%s wants a layer's folder: PATH, or ID=PATH", option);
        c->list[c->count] = (hcs_layer_spec){id, v};
    }
    return HCSCTL_EXIT_OK;
}

/* ---- the subcommands ------------------------------------------------------- */

static void json_parents(hcsctl_buf *b, const hcsctl_chain *p)
{
    hcsctl_buf_printf(b, ",\"Parents\":[");
    for (size_t i = 0; i < p->count; i++) {
        hcsctl_buf_printf(b, "%s{\"Id\":", i ? "," : "");
        hcsctl_buf_json_string(b, p->list[i].id);
        hcsctl_buf_printf(b, ",\"Path\":");
        hcsctl_buf_json_string(b, p->list[i].path);
        hcsctl_buf_printf(b, "}");
    }
    hcsctl_buf_printf(b, "]");
}

/* Prints {"Layer": layer, name: value, "Parents": [...]} (--json) or the
 * layer's path. */
static void done(const hcsctl_args *args, const char *layer, const char *name, const char *value, const hcsctl_chain *p)
{
    if (!hcsctl_arg_count(args, "json")) {
        printf("%s\n", layer);
        return;
    }
    hcsctl_buf b = {0};
    hcsctl_buf_printf(&b, "{\"Layer\":");
    hcsctl_buf_json_string(&b, layer);
    if (name) {
        hcsctl_buf_printf(&b, ",\"%s\":", name);
        hcsctl_buf_json_string(&b, value);
    }
    if (p)
        json_parents(&b, p);
    hcsctl_buf_printf(&b, "}");
    hcsctl_json_pretty(stdout, hcsctl_buf_text(&b));
    hcsctl_buf_free(&b);
}

/* What to do about a refused layer call, by kind (docs/errors.md). */
static const char *layer_hint(hcs_error_kind kind)
{
    switch (kind) {
    case HCS_ERROR_NOT_FOUND:
        return "a folder or a parent layer is missing; parents go nearest first, the base layer last";
    case HCS_ERROR_ALREADY_EXISTS:
        return "it is there already: remove it first ('hcsctl layer rm'), or use it as it is";
    case HCS_ERROR_INVALID_STATE:
        return "it is in use: unmount the scratch built on it first ('hcsctl layer unmount SCRATCH')";
    case HCS_ERROR_INVALID_ARGUMENT:
        return "not a layer (or transport folder) HCS recognises, or a bad --parent";
    case HCS_ERROR_ACCESS_DENIED:
        return "run elevated: layers need administrator rights, SeBackupPrivilege and SeRestorePrivilege";
    default:
        return NULL;
    }
}

/* Reports a refused call on the layer at path; returns the exit code. */
int hcsctl_layer_report(hcsctl_ctx *ctx, const char *path, hcs_error *err)
{
    const char *hint = layer_hint(err->kind);
    int rc = HCSCTL_EXIT_FAILURE;
    if (hint)
        hcsctl_say("layer %s: %s; %s", path, err->message, hint);
    else
        rc = hcsctl_report(ctx, path, (hcs_system){0}, err);
    hcs_error_clear(err);
    return rc;
}

static int layer_import(hcsctl_ctx *ctx, const hcsctl_args *args, const hcsctl_chain *p)
{
    const char *layer = args->positional[1], *source = args->positional[2];
    hcs_error err = HCS_ERROR_INIT;
    if (!hcsctl_path_exists(source)) {
        hcsctl_say("layer import: the SOURCE folder %s is missing", source);
        return HCSCTL_EXIT_FAILURE;
    }
    if (hcs_layer_import(ctx->client, layer, source, p->list, p->count, &err) != HCS_OK)
        return hcsctl_layer_report(ctx, layer, &err);
    done(args, layer, "Source", source, p);
    return HCSCTL_EXIT_OK;
}

static int layer_export(hcsctl_ctx *ctx, const hcsctl_args *args, const hcsctl_chain *p)
{
    const char *layer = args->positional[1], *folder = args->positional[2];
    bool writable = hcsctl_arg_count(args, "writable") > 0;
    hcs_error err = HCS_ERROR_INIT;
    if (hcs_layer_export(ctx->client, layer, folder, p->list, p->count, writable, &err) != HCS_OK)
        return hcsctl_layer_report(ctx, layer, &err);
    done(args, layer, "Folder", folder, p);
    return HCSCTL_EXIT_OK;
}

static int layer_rm(hcsctl_ctx *ctx, const hcsctl_args *args, const hcsctl_chain *unused)
{
    (void)unused;
    bool force = hcsctl_arg_count(args, "force") > 0;
    int first = HCSCTL_EXIT_OK;
    for (size_t i = 1; i < args->positional_count; i++) {
        hcs_error err = HCS_ERROR_INIT;
        int32_t hr = hcs_layer_destroy(ctx->client, args->positional[i], &err);
        int rc = HCSCTL_EXIT_OK;
        if (hr == HCS_OK)
            done(args, args->positional[i], NULL, NULL, NULL);
        else if (!(force && err.kind == HCS_ERROR_NOT_FOUND))
            rc = hcsctl_layer_report(ctx, args->positional[i], &err);
        hcs_error_clear(&err);
        if (first == HCSCTL_EXIT_OK)
            first = rc;
    }
    return first;
}

/* ---- mount ---------------------------------------------------------------- */

/* The VHD file as the handle computestorage takes (storage.h), or NULL. */
static void *open_vhd(const char *path)
{
#ifdef _WIN32
    wchar_t *w = NULL;
    HANDLE h = INVALID_HANDLE_VALUE;
    if (hcs_utf8_to_utf16(path, (uint16_t **)&w, NULL) == HCS_OK)
        h = CreateFileW(w, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_ALWAYS,
                        FILE_ATTRIBUTE_NORMAL, NULL);
    hcs_free(w);
    return h == INVALID_HANDLE_VALUE ? NULL : h;
#else
    int fd = open(path, O_RDWR | O_CREAT, 0666);
    return fd < 0 ? NULL : (void *)(intptr_t)(fd + 1);
#endif
}

static void close_vhd(void *h)
{
#ifdef _WIN32
    CloseHandle(h);
#else
    close((int)((intptr_t)h - 1));
#endif
}

/* The volume of the VHD at path, formatted first when it is new. */
static int32_t vhd_volume(hcsctl_ctx *ctx, const char *path, char **volume, hcs_error *err)
{
    void *vhd = open_vhd(path);
    if (!vhd) {
        hcsctl_say("layer mount: cannot open the VHD %s", path);
        return HCS_WIN32_E_PATH_NOT_FOUND;
    }
    int32_t hr = hcs_vhd_mount_path(ctx->client, vhd, volume, err);
    if (hr == HCS_WIN32_E_NOT_READY && hcs_vhd_format(ctx->client, vhd, err) == HCS_OK)
        hr = hcs_vhd_mount_path(ctx->client, vhd, volume, err);
    close_vhd(vhd);
    return hr;
}

static int layer_mount(hcsctl_ctx *ctx, const hcsctl_args *args, const hcsctl_chain *p)
{
    const char *vhd = hcsctl_arg_value(args, "vhd");
    hcs_error err = HCS_ERROR_INIT;
    char *volume = NULL;
    if (vhd && vhd_volume(ctx, vhd, &volume, &err) != HCS_OK)
        return err.hr ? hcsctl_layer_report(ctx, vhd, &err) : HCSCTL_EXIT_FAILURE;
    const char *path = volume ? volume : args->positional[1];
    /* Initialize once: a scratch that was set up before keeps its changes. */
    int32_t hr = hcs_layer_init_writable(ctx->client, path, p->list, p->count, &err);
    bool attaching = hr == HCS_OK || err.kind == HCS_ERROR_ALREADY_EXISTS;
    if (attaching)
        hr = hcs_layer_attach_filter(ctx->client, path, p->list, p->count, &err);
    int rc = HCSCTL_EXIT_OK;
    if (hr != HCS_OK && attaching && err.kind == HCS_ERROR_ALREADY_EXISTS) { /* its filter is attached already */
        hcsctl_say("layer %s: mounted already; use it, or unmount it first ('hcsctl layer unmount %s')", path, path);
        hcs_error_clear(&err);
        rc = HCSCTL_EXIT_FAILURE;
    } else if (hr != HCS_OK) {
        rc = hcsctl_layer_report(ctx, path, &err);
    }
    if (rc == HCSCTL_EXIT_OK)
        done(args, path, vhd ? "Vhd" : NULL, vhd, p);
    hcs_free(volume);
    return rc;
}

static int layer_unmount(hcsctl_ctx *ctx, const hcsctl_args *args, const hcsctl_chain *unused)
{
    (void)unused;
    hcs_error err = HCS_ERROR_INIT;
    if (hcs_layer_detach_filter(ctx->client, args->positional[1], &err) != HCS_OK)
        return hcsctl_layer_report(ctx, args->positional[1], &err);
    done(args, args->positional[1], NULL, NULL, NULL);
    return HCSCTL_EXIT_OK;
}

/* Each subcommand with its positional arguments, itself included. */
static const struct {
    const char *name;
    size_t min_args, max_args;
    const char *usage;
    int (*run)(hcsctl_ctx *ctx, const hcsctl_args *args, const hcsctl_chain *p);
} subcommands[] = {
    {"import", 3, 3, "import needs LAYER and SOURCE", layer_import},
    {"export", 3, 3, "export needs LAYER and FOLDER", layer_export},
    {"rm", 2, SIZE_MAX, "rm needs at least one LAYER", layer_rm},
    {"mount", 1, 2, "mount needs SCRATCH, or --vhd FILE and nothing else", layer_mount},
    {"unmount", 2, 2, "unmount needs SCRATCH", layer_unmount},
};

int hcsctl_layer(hcsctl_ctx *ctx, const hcsctl_args *args)
{
    size_t i = 0, n = sizeof subcommands / sizeof subcommands[0];
    while (i < n && strcmp(subcommands[i].name, args->positional[0]) != 0)
        i++;
    if (i == n)
        return hcsctl_usage_error(args->verb, "unknown subcommand \"%s\" (import, export, rm, mount, unmount)",
                                  args->positional[0]);
    size_t n_args = args->positional_count;
    bool mount_ok = strcmp(subcommands[i].name, "mount") != 0 || n_args == (hcsctl_arg_value(args, "vhd") ? 1u : 2u);
    if (n_args < subcommands[i].min_args || n_args > subcommands[i].max_args || !mount_ok)
        return hcsctl_usage_error(args->verb, "%s", subcommands[i].usage);
    hcsctl_chain p;
    int rc = hcsctl_chain_in(args, "parent", &p);
    for (size_t k = 0; rc == HCSCTL_EXIT_OK && k < p.count; k++)
        if (!hcsctl_path_exists(p.list[k].path)) {
            hcsctl_say("layer %s: the --parent folder %s is missing", subcommands[i].name, p.list[k].path);
            rc = HCSCTL_EXIT_FAILURE;
        }
    if (rc == HCSCTL_EXIT_OK)
        rc = hcsctl_client(ctx);
    if (rc == HCSCTL_EXIT_OK)
        rc = subcommands[i].run(ctx, args, &p);
    hcsctl_chain_free(&p);
    return rc;
}
