/* dlopen-based implementation of platform/dynlib.h. */
#include "dynlib.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

hcs_dynlib *hcs__dynlib_open(const char *path, int system_only, char **why)
{
    (void)system_only; /* POSIX has no system directory for providers */
    *why = NULL;
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *reason = dlerror();
        *why = strdup(reason ? reason : "the library could not be loaded");
    }
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

char *hcs__program_dir(void)
{
    /* readlink says nothing of the link's length: grow until it fits. */
    for (size_t size = 256; size <= ((size_t)1 << 20); size *= 2) {
        char *buf = malloc(size);
        if (!buf)
            return NULL;
        ssize_t n = readlink("/proc/self/exe", buf, size);
        if (n > 0 && (size_t)n < size) {
            buf[n] = '\0';
            char *slash = strrchr(buf, '/');
            if (!slash) {
                free(buf);
                return NULL;
            }
            *(slash == buf ? slash + 1 : slash) = '\0';
            return buf;
        }
        free(buf);
        if (n <= 0)
            return NULL;
    }
    return NULL;
}

int hcs__path_is_absolute(const char *path) { return path[0] == '/'; }

int hcs__path_has_separator(const char *path) { return strchr(path, '/') != NULL; }
