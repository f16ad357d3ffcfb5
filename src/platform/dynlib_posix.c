/* dlopen-based implementation of platform/dynlib.h. */
#include "dynlib.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

hcs_dynlib *hcs_dynlib_open(const char *path, int system_only, char *why, size_t why_size)
{
    (void)system_only; /* POSIX has no system directory for providers */
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h)
        snprintf(why, why_size, "%s", dlerror());
    return (hcs_dynlib *)h;
}

void (*hcs_dynlib_symbol(hcs_dynlib *lib, const char *name))(void)
{
    void (*fn)(void);
    void *sym = dlsym((void *)lib, name);
    /* POSIX guarantees data and function pointers share a representation. */
    memcpy(&fn, &sym, sizeof fn);
    return fn;
}

void hcs_dynlib_close(hcs_dynlib *lib) { dlclose((void *)lib); }
