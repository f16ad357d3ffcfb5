/* LoadLibraryExW-based implementation of platform/dynlib.h. */
#include "dynlib.h"

#include "util/utf16.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>

/* "Win32 error N: <the system's text>" (malloc'ed UTF-8), or NULL when
 * memory ran out. The text is asked for in UTF-16, whatever its length and
 * the system's code page. */
static char *describe_error(DWORD code)
{
    wchar_t *text = NULL;
    DWORD n =
        FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
                       NULL, code, 0, (LPWSTR)&text, 0, NULL);
    while (n > 0 && (text[n - 1] == L'\n' || text[n - 1] == L'\r' || text[n - 1] == L' '))
        text[--n] = L'\0';
    char *utf8 = NULL;
    if (n > 0 && hcs__utf16_to_utf8((const uint16_t *)text, &utf8) != 0)
        utf8 = NULL;
    if (text)
        LocalFree(text);
    const char *sep = utf8 ? ": " : "";
    size_t size = 32 + strlen(sep) + (utf8 ? strlen(utf8) : 0);
    char *why = malloc(size);
    if (why)
        snprintf(why, size, "Win32 error %lu%s%s", (unsigned long)code, sep, utf8 ? utf8 : "");
    free(utf8);
    return why;
}

hcs_dynlib *hcs__dynlib_open(const char *path, int system_only, char **why)
{
    *why = NULL;
    uint16_t *wpath = NULL;
    if (hcs__utf8_to_utf16(path, &wpath) != 0) {
        *why = strdup("path is not valid UTF-8");
        return NULL;
    }
    DWORD flags = system_only ? LOAD_LIBRARY_SEARCH_SYSTEM32 : 0;
    HMODULE h = LoadLibraryExW((LPCWSTR)wpath, NULL, flags);
    if (!h)
        *why = describe_error(GetLastError());
    free(wpath);
    return (hcs_dynlib *)h;
}

void (*hcs__dynlib_symbol(hcs_dynlib *lib, const char *name))(void)
{
    FARPROC proc = GetProcAddress((HMODULE)lib, name);
    void (*fn)(void);
    memcpy(&fn, &proc, sizeof fn); /* one function pointer type to another */
    return fn;
}

char *hcs__program_dir(void)
{
    /* GetModuleFileNameW fills the buffer and cuts when the path is longer:
     * grow until it fits (long paths reach 32767 units). */
    for (DWORD size = 512; size <= 65536; size *= 2) {
        wchar_t *wpath = malloc(size * sizeof *wpath);
        if (!wpath)
            return NULL;
        DWORD n = GetModuleFileNameW(NULL, wpath, size);
        if (n > 0 && n < size) {
            wchar_t *sep = wcsrchr(wpath, L'\\');
            char *utf8 = NULL;
            if (sep) {
                *sep = L'\0';
                if (hcs__utf16_to_utf8((const uint16_t *)wpath, &utf8) != 0)
                    utf8 = NULL;
            }
            free(wpath);
            return utf8;
        }
        free(wpath);
        if (n == 0)
            return NULL;
    }
    return NULL;
}

static int is_separator(char c) { return c == '\\' || c == '/'; }

int hcs__path_is_absolute(const char *path)
{
    int drive = ((path[0] >= 'A' && path[0] <= 'Z') || (path[0] >= 'a' && path[0] <= 'z')) && path[1] == ':' &&
                is_separator(path[2]);
    return drive || (is_separator(path[0]) && is_separator(path[1]));
}

/* A drive prefix ("C:x.dll", relative to that drive's current directory)
 * counts as a directory too. */
int hcs__path_has_separator(const char *path) { return strpbrk(path, "\\/:") != NULL; }
