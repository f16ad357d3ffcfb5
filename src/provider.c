/* Provider selection and export resolution (see provider.h). */
#include "provider.h"

#include "error_internal.h"
#include "platform/dynlib.h"

#include <stdlib.h>
#include <string.h>

#ifdef HCS_EMBEDDED_SIMULATOR
#include "hcssim/hcssim.h"
#endif

#define HCS_API_ENTRY(ret, fn, params, req) {#fn, offsetof(hcs_api, fn), req},
const hcs_api_entry hcs_api_entries[] = {HCS_API_FUNCTIONS(HCS_API_ENTRY)};
#undef HCS_API_ENTRY
const size_t hcs_api_entry_count = sizeof hcs_api_entries / sizeof hcs_api_entries[0];

void (*hcs_api_function(const hcs_api *api, size_t offset))(void)
{
    void (*fn)(void);
    memcpy(&fn, (const char *)api + offset, sizeof fn);
    return fn;
}

typedef void (*(*lookup_fn)(void *ctx, const char *name))(void);

static void (*lookup_dynlib(void *lib, const char *name))(void) { return hcs_dynlib_symbol(lib, name); }

typedef void (*(*sim_lookup_fn)(const char *name))(void);

/* A simulator library names its exports itself, as the build it emulates
 * (HCSSIM_PROFILE) would: a function that build lacks stays missing even
 * though the library contains it. LocalFree is the library's own. */
static void (*lookup_simulator(void *lib, const char *name))(void)
{
    void (*raw)(void) = hcs_dynlib_symbol(lib, "hcssim_proc_address");
    sim_lookup_fn sim;
    memcpy(&sim, &raw, sizeof sim);
    void (*fn)(void) = sim(name);
    return fn || strcmp(name, "LocalFree") != 0 ? fn : hcs_dynlib_symbol(lib, name);
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
    for (size_t i = 0; i < hcs_api_entry_count; i++) {
        const hcs_api_entry *e = &hcs_api_entries[i];
        void (*fn)(void) = lookup(ctx, e->name);
        if (!fn && e->required)
            return hcs_fail(err, HCS_WIN32_E_PROC_NOT_FOUND, "hcs_client_open",
                            "provider %s does not export %s, which every HCS client needs", p->name, e->name);
        memcpy((char *)&p->api + e->offset, &fn, sizeof fn);
    }
#ifdef _WIN32
    p->api.LocalFree = LocalFree;
#else
    void (*free_fn)(void) = lookup(ctx, "LocalFree");
    if (!free_fn)
        return hcs_fail(err, HCS_WIN32_E_PROC_NOT_FOUND, "hcs_client_open",
                        "provider %s does not export LocalFree, needed to free its result documents", p->name);
    memcpy(&p->api.LocalFree, &free_fn, sizeof free_fn);
#endif
    return HCS_OK;
}

static const char *choose_spec(const char *spec)
{
    if (spec && spec[0])
        return spec;
    const char *env = getenv("HCS_PROVIDER");
    return env && env[0] ? env : "default";
}

int32_t hcs_provider_open(const char *spec, hcs_provider **out, hcs_error *err)
{
    *out = NULL;
    spec = choose_spec(spec);
    hcs_provider *p = calloc(1, sizeof *p);
    if (!p)
        return hcs_fail(err, HCS_COM_E_OUTOFMEMORY, "hcs_client_open", "out of memory");
    int32_t hr;
#ifdef _WIN32
    bool from_system32 = strcmp(spec, "default") == 0 || strcmp(spec, "system") == 0;
    if (strcmp(spec, "embedded") == 0) {
        hr = hcs_fail(err, HCS_WIN32_E_NOT_SUPPORTED, "hcs_client_open",
                      "there is no embedded simulator on Windows; name the simulator DLL instead (hcssim.dll)");
        goto out;
    }
    const char *path = from_system32 ? "computecore.dll" : spec;
    p->name = strdup(from_system32 ? "computecore.dll (System32)" : spec);
#else
    if (strcmp(spec, "default") == 0 || strcmp(spec, "embedded") == 0) {
        p->name = strdup("the embedded simulator");
        hr = p->name ? resolve(p, lookup_embedded, NULL, err)
                     : hcs_fail(err, HCS_COM_E_OUTOFMEMORY, "hcs_client_open", "out of memory");
        goto out;
    }
    if (strcmp(spec, "system") == 0) {
        hr = hcs_fail(err, HCS_WIN32_E_NOT_SUPPORTED, "hcs_client_open",
                      "the real computecore.dll exists only on Windows; use the embedded simulator");
        goto out;
    }
    const char *path = spec;
    bool from_system32 = false;
    p->name = strdup(spec);
#endif
    if (!p->name) {
        hr = hcs_fail(err, HCS_COM_E_OUTOFMEMORY, "hcs_client_open", "out of memory");
        goto out;
    }
    char why[300] = "";
    p->lib = hcs_dynlib_open(path, from_system32, why, sizeof why);
    if (!p->lib) {
        const char *hint = from_system32 ? "; enable the Windows Containers or Hyper-V feature, or set "
                                           "HCS_PROVIDER to the simulator (hcssim.dll)"
                                         : "";
        hr = hcs_fail(err, HCS_WIN32_E_MOD_NOT_FOUND, "hcs_client_open", "cannot load HCS provider %s (%s)%s",
                      p->name, why, hint);
        goto out;
    }
    hr = resolve(p, hcs_dynlib_symbol(p->lib, "hcssim_proc_address") ? lookup_simulator : lookup_dynlib, p->lib, err);
out:
    if (HCS_FAILED(hr)) {
        hcs_provider_close(p);
        return hr;
    }
    *out = p;
    return HCS_OK;
}

void hcs_provider_close(hcs_provider *p)
{
    if (!p)
        return;
    if (p->lib)
        hcs_dynlib_close(p->lib);
    free(p->name);
    free(p);
}
