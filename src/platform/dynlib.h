/* Loading a provider library and resolving its exports. */
#ifndef HCS_PLATFORM_DYNLIB_H
#define HCS_PLATFORM_DYNLIB_H

#include <stddef.h>

typedef struct hcs_dynlib hcs_dynlib;

/* Loads the library at `path` (UTF-8). With `system_only`, a bare file name
 * is looked up in the system directory only (System32 on Windows), so that a
 * DLL planted beside the program is never picked up. On failure returns NULL
 * and writes the loader's reason into `why`. */
hcs_dynlib *hcs_dynlib_open(const char *path, int system_only, char *why, size_t why_size);
/* Returns the exported function, or NULL when the library lacks it. */
void (*hcs_dynlib_symbol(hcs_dynlib *lib, const char *name))(void);
void hcs_dynlib_close(hcs_dynlib *lib);

#endif
