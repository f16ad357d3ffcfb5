/* Provider selection and export resolution (see provider.h). */
#include "provider.h"

#include "error_internal.h"
#include "platform/dynlib.h"
#include "platform/thread.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _WIN32
#include <objbase.h>
#endif

#ifdef HCS_HCSSIMD_CLIENT
#include "client.h"
#endif
#ifdef HCS_EMBEDDED_SIMULATOR
#include "hcssim/hcssim.h"
#endif

#define API_ENTRY(fn, req, library) {#fn, offsetof(hcs_api, fn), req, library},
#define CORE_ENTRY(ret, fn, params, req) API_ENTRY(fn, req, HCS_LIBRARY_CORE)
#define STORAGE_ENTRY(ret, fn, params, req) API_ENTRY(fn, req, HCS_LIBRARY_STORAGE)
#define NETWORK_ENTRY(ret, fn, params, req) API_ENTRY(fn, req, HCS_LIBRARY_NETWORK)
#define VMCOMPUTE_ENTRY(ret, fn, params, req) API_ENTRY(fn, req, HCS_LIBRARY_VMCOMPUTE)
const hcs_api_entry hcs__api_entries[] = {HCS_CORE_API_FUNCTIONS(CORE_ENTRY) HCS_STORAGE_API_FUNCTIONS(
    STORAGE_ENTRY) HCS_HCN_API_FUNCTIONS(NETWORK_ENTRY) HCS_VMCOMPUTE_API_FUNCTIONS(VMCOMPUTE_ENTRY)};
#undef API_ENTRY
#undef CORE_ENTRY
#undef STORAGE_ENTRY
#undef NETWORK_ENTRY
#undef VMCOMPUTE_ENTRY
const size_t hcs__api_entry_count = sizeof hcs__api_entries / sizeof hcs__api_entries[0];

void (*hcs__api_function(const hcs_api *api, size_t offset))(void)
{
    void (*fn)(void);
    memcpy(&fn, (const char *)api + offset, sizeof fn);
    return fn;
}

typedef void (*(*lookup_fn)(void *ctx, const char *name))(void);

static void (*lookup_dynlib(void *lib, const char *name))(void) { return hcs__dynlib_symbol(lib, name); }

typedef void (*(*sim_lookup_fn)(const char *name))(void);

/* A simulator library names its exports itself, as the build it emulates
 * (HCSSIM_PROFILE) would: a function that build lacks stays missing even
 * though the library contains it. LocalFree is the library's own. */
static void (*lookup_simulator(void *lib, const char *name))(void)
{
    void (*raw)(void) = hcs__dynlib_symbol(lib, "hcssim_proc_address");
    sim_lookup_fn sim;
    memcpy(&sim, &raw, sizeof sim);
    void (*fn)(void) = sim(name);
    return fn || strcmp(name, "LocalFree") != 0 ? fn : hcs__dynlib_symbol(lib, name);
}

#ifdef HCS_EMBEDDED_SIMULATOR
static void (*lookup_embedded(void *unused, const char *name))(void)
{
    (void)unused;
    return hcssim_proc_address(name);
}

#endif

/* Fills the table; fails naming the first required export that is missing. */
static int32_t resolve(hcs_provider *p, lookup_fn lookup, void *ctx, hcs_error *err)
{
    for (size_t i = 0; i < hcs__api_entry_count; i++) {
        const hcs_api_entry *e = &hcs__api_entries[i];
        void (*fn)(void) = lookup(ctx, e->name);
        if (!fn && e->required)
            return hcs__fail(err, HCS_WIN32_E_PROC_NOT_FOUND, "hcs_client_open",
                             "provider %s does not export %s, which every HCS client needs", p->name, e->name);
        memcpy((char *)&p->api + e->offset, &fn, sizeof fn);
    }
#ifdef _WIN32
    p->api.LocalFree = LocalFree;
    p->api.CoTaskMemFree = CoTaskMemFree;
#else
    void (*task_free)(void) = lookup(ctx, "CoTaskMemFree");
    memcpy(&p->api.CoTaskMemFree, &task_free, sizeof task_free);
    void (*free_fn)(void) = lookup(ctx, "LocalFree");
    if (!free_fn)
        return hcs__fail(err, HCS_WIN32_E_PROC_NOT_FOUND, "hcs_client_open",
                         "provider %s does not export LocalFree, needed to free its result documents", p->name);
    memcpy(&p->api.LocalFree, &free_fn, sizeof free_fn);
#endif
    return HCS_OK;
}

#ifdef HCS_HCSSIMD_CLIENT
/* What the daemon is called where it runs, and what it listens on. */
#ifdef _WIN32
#define HCS_HCSSIMD_PROGRAM "hcssimd.exe"
#define HCS_HCSSIMD_ENDPOINT "pipe"
#else
#define HCS_HCSSIMD_PROGRAM "hcssimd"
#define HCS_HCSSIMD_ENDPOINT "socket"
#endif

/* hcssimd's client, built in: the daemon says which functions the build it
 * emulates has (docs/hcssimd.md). */
static void (*lookup_daemon(void *unused, const char *name))(void)
{
    (void)unused;
    return hcssim__client_function(name);
}

/* HCS_PROVIDER=hcssimd: the daemon must answer now, so that a client that
 * opens says clearly why it cannot work rather than failing each call. */
static int32_t open_daemon(hcs_provider *p, hcs_error *err)
{
    char why[600];
    if (hcssim__client_connect(why, sizeof why) != 0)
        return hcs__fail(err, HCS_E_SERVICE_DISCONNECT, "hcs_client_open",
                         "cannot use hcssimd: %s (start it with `" HCS_HCSSIMD_PROGRAM "`, or point HCSSIM_SOCKET at "
                         "its " HCS_HCSSIMD_ENDPOINT "; docs/hcssimd.md)",
                         why);
    size_t size = strlen(hcssim__client_socket_path()) + 16;
    p->name = malloc(size);
    if (!p->name)
        return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, "hcs_client_open", "out of memory");
    snprintf(p->name, size, "hcssimd at %s", hcssim__client_socket_path());
    return resolve(p, lookup_daemon, NULL, err);
}
#endif

static const char *choose_spec(const char *spec)
{
    if (spec && spec[0])
        return spec;
    const char *env = getenv("HCS_PROVIDER");
    return env && env[0] ? env : "default";
}

/* ---- loaded libraries ----------------------------------------------------
 * A provider library, once loaded, stays loaded for the life of the process,
 * as Windows keeps computecore.dll. Its own threads (hcssim's engine and
 * dispatchers, a completion callback returning into it) may still run its
 * code after the last client closed, and the systems it holds are host state
 * that outlives clients. Loading the same library again reuses it. */

typedef struct loaded_lib {
    struct loaded_lib *next;
    char *path;
    bool system_only;
    hcs_dynlib *lib;
} loaded_lib;

static hcs_mutex loaded_mu;
static hcs_once loaded_once = HCS_ONCE_INIT;
static loaded_lib *loaded; /* never shrinks */

static void init_loaded(void) { hcs__mutex_init(&loaded_mu); }

static hcs_dynlib *load_for_good(const char *path, bool system_only, char **why)
{
    hcs__call_once(&loaded_once, init_loaded);
    hcs__mutex_lock(&loaded_mu);
    loaded_lib *l = loaded;
    while (l && (l->system_only != system_only || strcmp(l->path, path) != 0))
        l = l->next;
    *why = NULL;
    hcs_dynlib *lib = l ? l->lib : hcs__dynlib_open(path, system_only, why);
    loaded_lib *added = !l && lib ? calloc(1, sizeof *added) : NULL;
    if (added && (added->path = strdup(path)) != NULL) {
        added->system_only = system_only;
        added->lib = lib;
        added->next = loaded;
        loaded = added;
    } else {
        free(added); /* out of memory: the library stays loaded all the same, only unlisted */
    }
    hcs__mutex_unlock(&loaded_mu);
    return lib;
}

/* ---- where a named provider is loaded from -------------------------------
 * An absolute path loads as given. A bare file name loads from the program's
 * own directory only, never through the platform's search order (PATH, the
 * current directory, LD_LIBRARY_PATH), where a planted library could be
 * waiting. A relative path with a directory would depend on the current
 * directory in the same way, so it is refused. */

/* A malloc'ed copy of a, b and c joined, or NULL when memory ran out. */
static char *join3(const char *a, const char *b, const char *c)
{
    size_t size = strlen(a) + strlen(b) + strlen(c) + 1;
    char *s = malloc(size);
    if (s)
        snprintf(s, size, "%s%s%s", a, b, c);
    return s;
}

/* Where to load the provider `spec` from: *path, malloc'ed, as long as the
 * platform allows. */
static int32_t provider_path(const char *spec, char **path, hcs_error *err)
{
    *path = NULL;
    if (hcs__path_is_absolute(spec)) {
        *path = strdup(spec);
        return *path ? HCS_OK : hcs__fail(err, HCS_COM_E_OUTOFMEMORY, "hcs_client_open", "out of memory");
    }
    if (hcs__path_has_separator(spec))
        return hcs__fail(err, HCS_COM_E_INVALIDARG, "hcs_client_open",
                         "provider \"%s\" is a relative path; name a provider by an absolute path, or by a bare file "
                         "name, which is loaded from the program's own directory only",
                         spec);
    char *dir = hcs__program_dir();
    if (!dir)
        return hcs__fail(err, HCS_WIN32_E_MOD_NOT_FOUND, "hcs_client_open",
                         "cannot load HCS provider %s: the program's directory is unknown; give an absolute path",
                         spec);
#ifdef _WIN32
    const char *sep = "\\";
#else
    const char *sep = "/";
#endif
    *path = join3(dir, sep, spec);
    free(dir);
    return *path ? HCS_OK : hcs__fail(err, HCS_COM_E_OUTOFMEMORY, "hcs_client_open", "out of memory");
}

/* ---- the libraries beside computecore ---------------------------------------
 * computestorage's and computenetwork's functions live in DLLs of their own
 * beside computecore.dll (storage-and-network §1, §2), as does HNSCall, in
 * vmcompute.dll (§2.10). A simulator has them all. Any other provider takes them from the companion library: System32's
 * beside System32's computecore.dll, the file of that name beside a
 * computecore.dll the caller named, and for hcssimd, whose daemon serves HCN
 * but not layers (layers are the host's folders, docs/hcssimd.md), the
 * simulator's own storage functions: hcssim-storage.dll beside the program
 * on Windows, the embedded simulator elsewhere. A host without the library
 * (Containers or Hyper-V not installed) keeps them NULL: only those calls
 * fail, as unsupported, naming where they were looked for. */

typedef struct companion {
    hcs_library library;
    const char *file;      /* Windows' */
    const char *simulator; /* hcssim's drop-in for it (hcssimd's clients load it), or NULL */
} companion;

static const companion companions[] = {
    {HCS_LIBRARY_STORAGE, "computestorage.dll", "hcssim-storage.dll"},
    {HCS_LIBRARY_NETWORK, "computenetwork.dll", "hcssim-network.dll"},
    {HCS_LIBRARY_VMCOMPUTE, "vmcompute.dll", NULL},
};

static bool has_library(const hcs_provider *p, hcs_library library)
{
    for (size_t i = 0; i < hcs__api_entry_count; i++)
        if (hcs__api_entries[i].library == library && hcs__api_function(&p->api, hcs__api_entries[i].offset))
            return true;
    return false;
}

/* Fills the library's entries from lookup. */
static void fill_library(hcs_provider *p, hcs_library library, lookup_fn lookup, void *ctx)
{
    for (size_t i = 0; i < hcs__api_entry_count; i++) {
        const hcs_api_entry *e = &hcs__api_entries[i];
        void (*fn)(void) = e->library == library ? lookup(ctx, e->name) : NULL;
        if (fn)
            memcpy((char *)&p->api + e->offset, &fn, sizeof fn);
    }
}

#ifdef _WIN32
/* Where the companion is on Windows (malloc'ed; NULL when there is none
 * for this provider or memory ran out):
 * System32's, or beside the provider library, or beside the program. */
static char *companion_path(const hcs_provider *p, const companion *c)
{
    if (p->from_system32)
        return strdup(c->file);
    if (!p->lib && !c->simulator)
        return NULL;
    char *dir = p->path ? strdup(p->path) : hcs__program_dir();
    char *cut = dir && p->path ? strrchr(dir, '\\') : NULL;
    char *cut2 = dir && p->path ? strrchr(dir, '/') : NULL;
    if (cut2 > cut)
        cut = cut2;
    if (cut)
        *cut = '\0';
    char *path = dir ? join3(dir, "\\", p->lib ? c->file : c->simulator) : NULL;
    free(dir);
    return path;
}
#endif

static void add_companion(hcs_provider *p, const companion *c)
{
    if (has_library(p, c->library))
        return;
#ifdef _WIN32
    char *path = companion_path(p, c);
    char *why = NULL;
    hcs_dynlib *lib = path ? load_for_good(path, p->from_system32, &why) : NULL;
    free(why);
    if (lib)
        fill_library(p, c->library, lookup_dynlib, lib);
    p->from[c->library] = path; /* where they were found, or looked for */
#elif defined(HCS_EMBEDDED_SIMULATOR)
    if (!p->lib) {
        fill_library(p, c->library, lookup_embedded, NULL);
        p->from[c->library] = strdup("the embedded simulator");
    }
#else
    (void)c;
#endif
}

/* Loads a library provider: computecore.dll from System32, or one the
 * caller named. */
static int32_t load_library(hcs_provider *p, const char *spec, bool from_system32, hcs_error *err)
{
    char *path = NULL;
    int32_t hr = from_system32 ? HCS_OK : provider_path(spec, &path, err);
    if (from_system32)
        path = strdup("computecore.dll");
    if (!path) /* provider_path failed, or memory ran out */
        return HCS_FAILED(hr) ? hr : hcs__fail(err, HCS_COM_E_OUTOFMEMORY, "hcs_client_open", "out of memory");
    char *why = NULL;
    p->lib = load_for_good(path, from_system32, &why);
    if (!p->lib) {
        const char *hint = from_system32 ? "; enable the Windows Containers or Hyper-V feature, or set "
                                           "HCS_PROVIDER to the simulator (hcssim.dll)"
                                         : "";
        bool resolved = !from_system32 && strcmp(path, spec) != 0; /* a bare name: say where it was looked for */
        hr = hcs__fail(err, HCS_WIN32_E_MOD_NOT_FOUND, "hcs_client_open", "cannot load HCS provider %s (%s%s%s)%s",
                       p->name, resolved ? path : "", resolved ? ": " : "", why ? why : "out of memory", hint);
        free(why);
        free(path);
        return hr;
    }
    p->path = path;
    p->from_system32 = from_system32;
    return resolve(p, hcs__dynlib_symbol(p->lib, "hcssim_proc_address") ? lookup_simulator : lookup_dynlib, p->lib,
                   err);
}

int32_t hcs__provider_open(const char *spec, hcs_provider **out, hcs_error *err)
{
    *out = NULL;
    spec = choose_spec(spec);
    hcs_provider *p = calloc(1, sizeof *p);
    if (!p)
        return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, "hcs_client_open", "out of memory");
    int32_t hr;
#ifdef _WIN32
    bool from_system32 = strcmp(spec, "default") == 0 || strcmp(spec, "system") == 0;
    if (strcmp(spec, "embedded") == 0) {
        hr = hcs__fail(err, HCS_WIN32_E_NOT_SUPPORTED, "hcs_client_open",
                       "there is no embedded simulator on Windows; name the simulator DLL instead (hcssim.dll)");
        goto out;
    }
    if (strcmp(spec, "hcssimd") == 0) {
        hr = open_daemon(p, err);
        goto out;
    }
    p->name = strdup(from_system32 ? "computecore.dll (System32)" : spec);
#else
    if (strcmp(spec, "default") == 0 || strcmp(spec, "embedded") == 0) {
        p->name = strdup("the embedded simulator");
        hr = p->name ? resolve(p, lookup_embedded, NULL, err)
                     : hcs__fail(err, HCS_COM_E_OUTOFMEMORY, "hcs_client_open", "out of memory");
        goto out;
    }
    if (strcmp(spec, "system") == 0) {
        hr = hcs__fail(err, HCS_WIN32_E_NOT_SUPPORTED, "hcs_client_open",
                       "the real computecore.dll exists only on Windows; use the embedded simulator");
        goto out;
    }
    if (strcmp(spec, "hcssimd") == 0) {
        hr = open_daemon(p, err);
        goto out;
    }
    bool from_system32 = false;
    p->name = strdup(spec);
#endif
    hr = p->name ? load_library(p, spec, from_system32, err)
                 : hcs__fail(err, HCS_COM_E_OUTOFMEMORY, "hcs_client_open", "out of memory");
out:
    for (size_t i = 0; HCS_SUCCEEDED(hr) && i < sizeof companions / sizeof companions[0]; i++)
        add_companion(p, &companions[i]);
    if (HCS_FAILED(hr)) {
        hcs__provider_close(p);
        return hr;
    }
    *out = p;
    return HCS_OK;
}

/* The library itself stays loaded (see load_for_good). */
void hcs__provider_close(hcs_provider *p)
{
    if (!p)
        return;
    free(p->name);
    free(p->path);
    for (int i = 0; i < HCS_LIBRARIES; i++)
        free(p->from[i]);
    free(p);
}

const char *hcs__provider_origin(const hcs_provider *p, size_t offset)
{
    for (size_t i = 0; i < hcs__api_entry_count; i++)
        if (hcs__api_entries[i].offset == offset && p->from[hcs__api_entries[i].library])
            return p->from[hcs__api_entries[i].library];
    return p->name;
}
