/* Loading a provider library and resolving its exports. */
#ifndef HCS_PLATFORM_DYNLIB_H
#define HCS_PLATFORM_DYNLIB_H

#include <stddef.h>

typedef struct hcs_dynlib hcs_dynlib;

/* Loads the library at `path` (UTF-8); there is no unloading (provider.c
 * keeps every provider for the life of the process). With `system_only`, a bare file name
 * is looked up in the system directory only (System32 on Windows), so that a
 * DLL planted beside the program is never picked up. Otherwise `path` should
 * be absolute: the platform's search order is not for providers (see
 * provider.c). On failure returns NULL and sets *why to the loader's reason,
 * whole (malloc'ed UTF-8, the caller frees it; NULL when memory ran out). */
hcs_dynlib *hcs__dynlib_open(const char *path, int system_only, char **why);
/* Returns the exported function, or NULL when the library lacks it. */
void (*hcs__dynlib_symbol(hcs_dynlib *lib, const char *name))(void);

/* The directory of the running program (malloc'ed UTF-8, no trailing
 * separator, however long), or NULL when it is unknown or memory ran
 * out. */
char *hcs__program_dir(void);
/* Whether path is absolute on this platform (POSIX: starts with '/';
 * Windows: a drive letter and a separator, or a UNC path). */
int hcs__path_is_absolute(const char *path);
/* Whether path names a directory or a separator anywhere (so it is no bare
 * file name). */
int hcs__path_has_separator(const char *path);

#endif
