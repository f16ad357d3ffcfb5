/* What `hcsctl create --container --layer ... --network NAME` makes for a
 * container besides the compute system, and what rm (or a failed create)
 * unmakes: its writable layer (scratch) in a state folder of hcsctl's own,
 * made with storage.h as storage-and-network §1.6 B does (initialize,
 * attach the filter) and fed to the document as §1.7 says (Storage.Layers
 * nearest first, Storage.Path the scratch); and its endpoint on the network
 * in a namespace of its own, as §3.2 does (Networking.Namespace).
 *
 * The state folder of a container is <state>/<ID>: --state, else
 * HCSCTL_STATE, else %LOCALAPPDATA%\hcsctl on Windows and
 * $XDG_STATE_HOME/hcsctl (~/.local/state/hcsctl) elsewhere. It holds
 * `scratch`, the writable layer, and `network`, the ids of the HCN objects
 * made. Because it is on the host's file system,
 * a later `hcsctl rm ID` finds it whatever process created the container. */
#include "commands.h"

#include <stdio.h>
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
bool hcsctl_path_exists(const char *path) { return on_wide(path, exists_w); }
static bool remove_dir(const char *path) { return on_wide(path, RemoveDirectoryW); }
static bool remove_file(const char *path) { return on_wide(path, DeleteFileW); }
static FILE *open_file(const char *path, const char *mode)
{
    uint16_t *w = NULL, *m = NULL;
    FILE *f = NULL;
    if (hcs_utf8_to_utf16(path, &w, NULL) == HCS_OK && hcs_utf8_to_utf16(mode, &m, NULL) == HCS_OK)
        f = _wfopen((const wchar_t *)w, (const wchar_t *)m);
    hcs_free(w);
    hcs_free(m);
    return f;
}
#else
static bool make_dir(const char *path) { return mkdir(path, 0777) == 0; }
bool hcsctl_path_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}
static bool remove_dir(const char *path) { return rmdir(path) == 0; }
static bool remove_file(const char *path) { return unlink(path) == 0; }
static FILE *open_file(const char *path, const char *mode) { return fopen(path, mode); }
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
            if (!hcsctl_path_exists(copy))
                make_dir(copy);
            *c = saved;
        }
    }
    bool ok = hcsctl_path_exists(copy) || make_dir(copy);
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

/* ---- create ------------------------------------------------------------- */

struct hcsctl_container {
    char *folder;  /* <state>/<id> */
    char *scratch; /* <folder>/scratch */
    hcsctl_chain layers;
    char ns[HCS_NET_ID_SIZE]; /* the namespace made with --network */
};

void hcsctl_container_free(hcsctl_container *c)
{
    if (!c)
        return;
    free(c->folder);
    free(c->scratch);
    hcsctl_chain_free(&c->layers);
    free(c);
}

/* ---- the network ------------------------------------------------------------ */

/* What create made on HCN for the container, recorded in <folder>/network
 * before it is made ("Endpoint ID" and "Namespace ID" lines), so that rm
 * and a failed create delete whatever there is. */
typedef struct net_record {
    char endpoint[HCS_NET_ID_SIZE], ns[HCS_NET_ID_SIZE];
} net_record;

static bool record_write(const char *folder, const net_record *n)
{
    char *path = join(folder, "network");
    FILE *f = path ? open_file(path, "w") : NULL;
    bool ok = f && fprintf(f, "Endpoint %s\nNamespace %s\n", n->endpoint, n->ns) > 0;
    if (f && fclose(f) != 0)
        ok = false;
    free(path);
    return ok;
}

static bool record_read(const char *folder, net_record *n)
{
    memset(n, 0, sizeof *n);
    char *path = join(folder, "network");
    FILE *f = path ? open_file(path, "r") : NULL;
    bool ok = f && fscanf(f, "Endpoint %36s Namespace %36s", n->endpoint, n->ns) == 2;
    if (f)
        fclose(f);
    free(path);
    return ok;
}

/* An id of hcsctl's choosing for the container's `what`: the name-based
 * UUID of its state folder and `what`, so each container's are its own. */
static void object_id(const char *folder, const char *what, char out[HCS_NET_ID_SIZE])
{
    size_t size = strlen(folder) + strlen(what) + 2;
    char *name = malloc(size);
    if (name)
        snprintf(name, size, "%s|%s", folder, what);
    hcsctl_name_guid(name ? name : what, out);
    free(name);
}

/* storage-and-network §3.2 steps 2-4: an endpoint on the network (named
 * as the container), a namespace, the endpoint in it. */
static int join_network(hcsctl_ctx *ctx, hcsctl_container *c, const char *id, const char *network_id)
{
    net_record n;
    object_id(c->folder, "endpoint", n.endpoint);
    object_id(c->folder, "namespace", n.ns);
    if (!record_write(c->folder, &n)) {
        hcsctl_say("cannot write %s" SEP "network", c->folder);
        return HCSCTL_EXIT_FAILURE;
    }
    int rc = hcsctl_endpoint_make(ctx, network_id, n.endpoint, id, NULL, NULL, n.endpoint);
    if (rc == HCSCTL_EXIT_OK)
        rc = hcsctl_namespace_make(ctx, n.ns, n.ns);
    if (rc == HCSCTL_EXIT_OK)
        rc = hcsctl_endpoint_membership(ctx, n.endpoint, n.ns, true);
    memcpy(c->ns, n.ns, sizeof c->ns);
    return rc;
}

/* A teardown step's outcome: done, or nothing to do (not found: gone
 * already, storage-and-network §5 #21), or reported. */
static int undone(int32_t hr, hcs_error *err, const char *what, const char *id)
{
    int rc = HCSCTL_EXIT_OK;
    if (hr != HCS_OK && err->kind != HCS_ERROR_NOT_FOUND) {
        hcsctl_say("cannot remove the %s %s: %s", what, id, err->message ? err->message : "failed");
        rc = HCSCTL_EXIT_FAILURE;
    }
    hcs_error_clear(err);
    return rc;
}

/* §3.5, once the system is gone: the endpoint out of the namespace, the
 * namespace deleted, the endpoint deleted, the record removed. Deleting the
 * namespace detaches the endpoint anyway, so a refused detach counts only
 * when a deletion fails too. */
static int leave_network(hcsctl_ctx *ctx, const char *folder)
{
    net_record n;
    if (!record_read(folder, &n))
        return HCSCTL_EXIT_OK;
    hcs_error detach_err = HCS_ERROR_INIT, err = HCS_ERROR_INIT;
    hcs_namespace ns;
    int32_t detach = hcs_namespace_open(ctx->client, n.ns, &ns, &detach_err);
    if (detach == HCS_OK) {
        detach = hcs_namespace_remove_endpoint(ns, n.endpoint, &detach_err);
        hcs_namespace_close(ns);
    }
    int rc = undone(hcs_namespace_delete(ctx->client, n.ns, &err), &err, "namespace", n.ns);
    if (rc == HCSCTL_EXIT_OK)
        rc = undone(hcs_endpoint_delete(ctx->client, n.endpoint, &err), &err, "endpoint", n.endpoint);
    if (rc != HCSCTL_EXIT_OK)
        undone(detach, &detach_err, "endpoint from the namespace", n.ns);
    hcs_error_clear(&detach_err);
    char *path = join(folder, "network");
    if (rc == HCSCTL_EXIT_OK && (!path || !remove_file(path))) {
        hcsctl_say("cannot remove %s" SEP "network", folder);
        rc = HCSCTL_EXIT_FAILURE;
    }
    free(path);
    return rc;
}

/* ---- create ---------------------------------------------------------------- */

/* Checks the chain before anything is made, as storage-and-network §5 #1
 * asks of a wrapper: each layer a folder with Files (§1.4.2), the last one
 * the base (Files/Windows). HCS's own refusal would name the scratch. */
static int check_chain(const hcsctl_container *c)
{
    for (size_t i = 0; i < c->layers.count; i++) {
        const char *path = c->layers.list[i].path;
        bool base = i + 1 == c->layers.count;
        char *files = join(path, "Files"), *windows = files ? join(files, "Windows") : NULL;
        const char *why =
            !hcsctl_path_exists(path)              ? "no such folder"
            : !files || !hcsctl_path_exists(files) ? "not a layer (no Files folder): 'hcsctl layer import' "
                                                     "makes one from a transport folder"
            : base && (!windows || !hcsctl_path_exists(windows)) ? "the last --layer must be the base layer "
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
            if (strcmp(c->layers.ids[i], c->layers.ids[j]) == 0) { /* §5 #2 */
                hcsctl_say("--layer %s and --layer %s have the same id %s (folders of the same name?): give one "
                           "as ID=PATH",
                           c->layers.list[j].path, path, c->layers.ids[i]);
                return HCSCTL_EXIT_FAILURE;
            }
    }
    return HCSCTL_EXIT_OK;
}

/* The state folder of a new container, <state>/<id>: made now, so it must
 * not be there yet. */
static int new_folder(const hcsctl_args *args, const char *id, hcsctl_container *c)
{
    if (!(c->folder = state_folder(args, id)))
        return HCSCTL_EXIT_FAILURE;
    if (hcsctl_path_exists(c->folder)) {
        hcsctl_say("%s exists: hcsctl made a container '%s' before; 'hcsctl rm %s' removes what is left of it",
                   c->folder, id, id);
        free(c->folder); /* not hcsctl's to undo now */
        c->folder = NULL;
        return HCSCTL_EXIT_FAILURE;
    }
    if (!make_dirs(c->folder)) {
        hcsctl_say("cannot make the folder %s", c->folder);
        return HCSCTL_EXIT_FAILURE;
    }
    return HCSCTL_EXIT_OK;
}

/* storage-and-network §1.6 B steps 4-5, on a scratch folder. */
static int make_scratch(hcsctl_ctx *ctx, hcsctl_container *c)
{
    if (!(c->scratch = join(c->folder, "scratch")) || !make_dir(c->scratch)) {
        hcsctl_say("cannot make the folder %s" SEP "scratch", c->folder);
        return HCSCTL_EXIT_FAILURE;
    }
    hcs_error err = HCS_ERROR_INIT;
    int32_t hr = hcs_layer_init_writable(ctx->client, c->scratch, c->layers.list, c->layers.count, &err);
    if (hr == HCS_OK)
        hr = hcs_layer_attach_filter(ctx->client, c->scratch, c->layers.list, c->layers.count, &err);
    return hr == HCS_OK ? HCSCTL_EXIT_OK : hcsctl_layer_report(ctx, c->scratch, &err);
}

int hcsctl_container_prepare(hcsctl_ctx *ctx, const hcsctl_args *args, const char *id, hcs_container_spec *spec,
                             hcsctl_container **out)
{
    *out = NULL;
    if (!id_is_folder_name(id))
        return hcsctl_usage_error(args->verb, "with --layer or --network the ID names a folder: \"%s\" cannot", id);
    const char *network = hcsctl_arg_value(args, "network");
    char network_id[HCS_NET_ID_SIZE];
    hcsctl_container *c = calloc(1, sizeof *c);
    int rc = c ? hcsctl_chain_in(args, "layer", &c->layers) : HCSCTL_EXIT_FAILURE;
    /* What can be refused is, before anything is made. */
    if (rc == HCSCTL_EXIT_OK)
        rc = check_chain(c);
    if (rc == HCSCTL_EXIT_OK && network)
        rc = hcsctl_network_id(ctx, network, network_id);
    if (rc == HCSCTL_EXIT_OK)
        rc = new_folder(args, id, c);
    *out = c; /* from here on the caller releases it, whatever happens */
    if (rc == HCSCTL_EXIT_OK && c->layers.count)
        rc = make_scratch(ctx, c);
    if (rc == HCSCTL_EXIT_OK && network)
        rc = join_network(ctx, c, id, network_id);
    if (rc != HCSCTL_EXIT_OK)
        return rc;
    spec->layers = c->layers.list;
    spec->layer_count = c->layers.count;
    spec->scratch_path = c->scratch;
    if (network) { /* storage-and-network §3.2 step 5; HostName too (§5 #24) */
        spec->network_namespace = c->ns;
        spec->hostname = id;
    }
    return HCSCTL_EXIT_OK;
}

/* ---- rm --------------------------------------------------------------------- */

/* Undoes what prepare made in folder, in the order that works once the
 * system is gone: the network objects (storage-and-network §3.5), the
 * filter detached, the scratch destroyed (§1.6 B step 7), the folder
 * removed. A step with nothing to undo
 * is no failure. */
static int release_folder(hcsctl_ctx *ctx, const char *folder)
{
    int rc = leave_network(ctx, folder);
    char *scratch = join(folder, "scratch");
    hcs_error err = HCS_ERROR_INIT;
    if (rc == HCSCTL_EXIT_OK && scratch && hcsctl_path_exists(scratch)) {
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
    int rc = c && c->folder && hcsctl_path_exists(c->folder) ? release_folder(ctx, c->folder) : HCSCTL_EXIT_OK;
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
    if (folder && hcsctl_path_exists(folder)) {
        *found = true;
        rc = release_folder(ctx, folder);
    }
    free(root);
    free(folder);
    return rc;
}
