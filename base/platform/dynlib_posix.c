/* dlopen-based implementation of platform/dynlib.h. */
#include "dynlib.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

hcs_dynlib *hcs__dynlib_open(const char *path, int system_only, char *why, size_t why_size)
{
    (void)system_only; /* POSIX has no system directory for providers */
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h)
        snprintf(why, why_size, "%s", dlerror());
    return (hcs_dynlib *)h;
}

void (*hcs__dynlib_symbol(hcs_dynlib *lib, const char *name))(void)
{
    void (*fn)(void);
    void *sym = dlsym((void *)lib, name);
    /* POSIX guarantees data and function pointers share a representation. */
    memcpy(&fn, &sym, sizeof fn);
    return fn;
}

int hcs__program_dir(char *buf, size_t size)
{
    ssize_t n = size > 1 ? readlink("/proc/self/exe", buf, size - 1) : -1;
    if (n <= 0 || (size_t)n >= size - 1)
        return -1;
    buf[n] = '\0';
    char *slash = strrchr(buf, '/');
    if (!slash)
        return -1;
    *(slash == buf ? slash + 1 : slash) = '\0';
    return 0;
}

int hcs__path_is_absolute(const char *path) { return path[0] == '/'; }

int hcs__path_has_separator(const char *path) { return strchr(path, '/') != NULL; }
