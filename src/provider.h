/* Choosing and loading the library that provides computecore's functions:
 * the real computecore.dll, hcssim.dll, or the embedded simulator. */
#ifndef HCS_SRC_PROVIDER_H
#define HCS_SRC_PROVIDER_H

#include "api.h"
#include "hcs/error.h"

#include <stdbool.h>

typedef struct hcs_provider {
    struct hcs_dynlib *lib; /* NULL for the embedded simulator; never unloaded */
    char *name;             /* what was loaded, for messages */
    bool system;            /* Windows' own computecore.dll (and computenetwork.dll) */
    hcs_api api;
} hcs_provider;

/* Loads the provider named by `spec` (see hcs_client_options.provider),
 * else by the HCS_PROVIDER environment variable, else the platform default.
 * A library, once loaded, stays loaded for the life of the process; opening
 * the same one again reuses it. On failure returns the HRESULT and fills
 * err. */
int32_t hcs__provider_open(const char *spec, hcs_provider **out, hcs_error *err);
void hcs__provider_close(hcs_provider *p);

#endif
