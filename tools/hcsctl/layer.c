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

/* The --parent values, ID=PATH each, nearest parent first. */
typedef struct parents {
    hcs_layer_spec *list;
    size_t count;
    char **copies; /* one per --parent given (NULL-filled), whatever count got to */
    size_t given;
} parents;

static void parents_free(parents *p)
{
    for (size_t i = 0; p->copies && i < p->given; i++)
        free(p->copies[i]);
    free(p->copies);
    free(p->list);
}

static int parents_in(const hcsctl_args *args, parents *p)
{
    memset(p, 0, sizeof *p);
    size_t n = 0;
    const char *const *values = hcsctl_arg_values(args, "parent", &n);
    p->list = calloc(n ? n : 1, sizeof *p->list);
    p->copies = calloc(n ? n : 1, sizeof *p->copies);
    p->given = p->copies ? n : 0;
    if (!p->list || !p->copies) {
        hcsctl_say("out of memory");
        return HCSCTL_EXIT_FAILURE;
    }
    for (; p->count < n; p->count++) {
        char *copy = p->copies[p->count] = hcsctl_copy(values[p->count]);
        char *eq = copy ? strchr(copy, '=') : NULL;
        if (!eq || eq == copy || !eq[1])
            return hcsctl_usage_error(args->verb, "--parent %s: give ID=PATH (the layer's GUID, then its folder)",
                                      values[p->count]);
        *eq = '\0';
        p->list[p->count] = (hcs_layer_spec){copy, eq + 1};
    }
    return HCSCTL_EXIT_OK;
}

static void json_parents(hcsctl_buf *b, const parents *p)
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
static void done(const hcsctl_args *args, const char *layer, const char *name, const char *value, const parents *p)
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

static int layer_import(hcsctl_ctx *ctx, const hcsctl_args *args, const parents *p)
{
    const char *layer = args->positional[1], *source = args->positional[2];
    hcs_error err = HCS_ERROR_INIT;
    if (hcs_layer_import(ctx->client, layer, source, p->list, p->count, &err) != HCS_OK)
        return hcsctl_layer_report(ctx, layer, &err);
    done(args, layer, "Source", source, p);
    return HCSCTL_EXIT_OK;
}

static int layer_export(hcsctl_ctx *ctx, const hcsctl_args *args, const parents *p)
{
    const char *layer = args->positional[1], *folder = args->positional[2];
    bool writable = hcsctl_arg_count(args, "writable") > 0;
    hcs_error err = HCS_ERROR_INIT;
    if (hcs_layer_export(ctx->client, layer, folder, p->list, p->count, writable, &err) != HCS_OK)
        return hcsctl_layer_report(ctx, layer, &err);
    done(args, layer, "Folder", folder, p);
    return HCSCTL_EXIT_OK;
}

static int layer_rm(hcsctl_ctx *ctx, const hcsctl_args *args, const parents *unused)
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

static int layer_mount(hcsctl_ctx *ctx, const hcsctl_args *args, const parents *p)
{
    const char *vhd = hcsctl_arg_value(args, "vhd");
    hcs_error err = HCS_ERROR_INIT;
    char *volume = NULL;
    if (vhd && vhd_volume(ctx, vhd, &volume, &err) != HCS_OK)
        return err.hr ? hcsctl_layer_report(ctx, vhd, &err) : HCSCTL_EXIT_FAILURE;
    const char *path = volume ? volume : args->positional[1];
    /* Initialize once: a scratch that was set up before keeps its changes. */
    int32_t hr = hcs_layer_init_writable(ctx->client, path, p->list, p->count, &err);
    if (hr == HCS_OK || err.kind == HCS_ERROR_ALREADY_EXISTS)
        hr = hcs_layer_attach_filter(ctx->client, path, p->list, p->count, &err);
    int rc = hr == HCS_OK ? HCSCTL_EXIT_OK : hcsctl_layer_report(ctx, path, &err);
    if (rc == HCSCTL_EXIT_OK)
        done(args, path, vhd ? "Vhd" : NULL, vhd, p);
    hcs_free(volume);
    return rc;
}

static int layer_unmount(hcsctl_ctx *ctx, const hcsctl_args *args, const parents *unused)
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
    int (*run)(hcsctl_ctx *ctx, const hcsctl_args *args, const parents *p);
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
    parents p;
    int rc = parents_in(args, &p);
    if (rc == HCSCTL_EXIT_OK)
        rc = hcsctl_client(ctx);
    if (rc == HCSCTL_EXIT_OK)
        rc = subcommands[i].run(ctx, args, &p);
    parents_free(&p);
    return rc;
}
