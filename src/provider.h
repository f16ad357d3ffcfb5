/* Choosing and loading the library that provides computecore's functions
 * (the real computecore.dll, hcssim.dll, hcssimd or the embedded simulator)
 * and the libraries beside it that provide computestorage's and
 * computenetwork's. */
#ifndef HCS_SRC_PROVIDER_H
#define HCS_SRC_PROVIDER_H

#include "api.h"
#include "hcs/error.h"

#include <stdbool.h>

typedef struct hcs_provider {
    struct hcs_dynlib *lib; /* NULL for the embedded simulator; never unloaded */
    char *name;             /* what was loaded, for messages */
    char *path;             /* where lib was loaded from, or NULL */
    bool from_system32;     /* lib is System32's computecore.dll */
    hcs_api api;
    char *from[HCS_LIBRARIES]; /* where a library's functions came from when not from lib, for messages */
} hcs_provider;

/* Loads the provider named by `spec` (see hcs_client_options.provider),
 * else by the HCS_PROVIDER environment variable, else the platform default.
 * A library, once loaded, stays loaded for the life of the process; opening
 * the same one again reuses it. On failure returns the HRESULT and fills
 * err. */
int32_t hcs__provider_open(const char *spec, hcs_provider **out, hcs_error *err);
void hcs__provider_close(hcs_provider *p);
/* Where the provider's function at `offset` of its table comes from (or
 * was looked for), for messages: a companion library, or the provider. */
const char *hcs__provider_origin(const hcs_provider *p, size_t offset);

#endif
