/* LoadLibraryExW-based implementation of platform/dynlib.h. */
#include "dynlib.h"

#include "util/utf16.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>

static void describe_error(DWORD code, char *why, size_t why_size)
{
    char text[256] = "";
    DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, code, 0, text,
                             sizeof text, NULL);
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' '))
        text[--n] = '\0';
    snprintf(why, why_size, "Win32 error %lu%s%s", (unsigned long)code, n ? ": " : "", text);
}

hcs_dynlib *hcs__dynlib_open(const char *path, int system_only, char *why, size_t why_size)
{
    uint16_t *wpath = NULL;
    if (hcs__utf8_to_utf16(path, &wpath) != 0) {
        snprintf(why, why_size, "path is not valid UTF-8");
        return NULL;
    }
    DWORD flags = system_only ? LOAD_LIBRARY_SEARCH_SYSTEM32 : 0;
    HMODULE h = LoadLibraryExW((LPCWSTR)wpath, NULL, flags);
    if (!h)
        describe_error(GetLastError(), why, why_size);
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

int hcs__program_dir(char *buf, size_t size)
{
    wchar_t wpath[4096];
    DWORD n = GetModuleFileNameW(NULL, wpath, sizeof wpath / sizeof wpath[0]);
    if (n == 0 || n >= sizeof wpath / sizeof wpath[0])
        return -1;
    wchar_t *sep = wcsrchr(wpath, L'\\');
    if (!sep)
        return -1;
    *sep = L'\0';
    char *utf8 = NULL;
    if (hcs__utf16_to_utf8((const uint16_t *)wpath, &utf8) != 0)
        return -1;
    int fits = (size_t)snprintf(buf, size, "%s", utf8) < size;
    free(utf8);
    return fits ? 0 : -1;
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
