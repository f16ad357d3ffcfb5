/* LoadLibraryExW-based implementation of platform/dynlib.h. */
#include "dynlib.h"

#include "../util/utf16.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

static void describe_error(DWORD code, char *why, size_t why_size)
{
    char text[256] = "";
    DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, code, 0,
                             text, sizeof text, NULL);
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' '))
        text[--n] = '\0';
    snprintf(why, why_size, "Win32 error %lu%s%s", (unsigned long)code, n ? ": " : "", text);
}

hcs_dynlib *hcs_dynlib_open(const char *path, int system_only, char *why, size_t why_size)
{
    uint16_t *wpath = NULL;
    if (hcs_utf8_to_utf16(path, &wpath) != 0) {
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

void (*hcs_dynlib_symbol(hcs_dynlib *lib, const char *name))(void)
{
    FARPROC proc = GetProcAddress((HMODULE)lib, name);
    void (*fn)(void);
    memcpy(&fn, &proc, sizeof fn); /* one function pointer type to another */
    return fn;
}

void hcs_dynlib_close(hcs_dynlib *lib) { FreeLibrary((HMODULE)lib); }
