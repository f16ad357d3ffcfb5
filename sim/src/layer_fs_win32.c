/* layer_fs.h over Win32 (wide-character calls on converted paths). */
#include "layer_fs.h"

#include "util/utf16.h"

#include <stdlib.h>
#include <string.h>

static wchar_t *wide(const char *path)
{
    uint16_t *w = NULL;
    return hcs__utf8_to_utf16(path, &w) == 0 ? (wchar_t *)w : NULL;
}

sim_fs_kind hcssim__fs_kind(const char *path)
{
    wchar_t *w = wide(path);
    DWORD attrs = w ? GetFileAttributesW(w) : INVALID_FILE_ATTRIBUTES;
    free(w);
    if (attrs == INVALID_FILE_ATTRIBUTES)
        return SIM_FS_NONE;
    return attrs & FILE_ATTRIBUTE_DIRECTORY ? SIM_FS_DIR : SIM_FS_FILE;
}

int hcssim__fs_is_link(const char *path)
{
    wchar_t *w = wide(path);
    DWORD attrs = w ? GetFileAttributesW(w) : INVALID_FILE_ATTRIBUTES;
    free(w);
    return attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_REPARSE_POINT);
}

int hcssim__fs_mkdir(const char *path)
{
    wchar_t *w = wide(path);
    BOOL ok = w && CreateDirectoryW(w, NULL);
    free(w);
    return ok ? 0 : -1;
}

int hcssim__fs_remove(const char *path)
{
    wchar_t *w = wide(path);
    DWORD attrs = w ? GetFileAttributesW(w) : INVALID_FILE_ATTRIBUTES;
    BOOL ok =
        attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_DIRECTORY ? RemoveDirectoryW(w) : DeleteFileW(w));
    free(w);
    return ok ? 0 : -1;
}

char **hcssim__fs_list(const char *dir, size_t *count)
{
    *count = 0;
    char *pattern = hcssim__fs_join(dir, "*");
    wchar_t *w = pattern ? wide(pattern) : NULL;
    free(pattern);
    WIN32_FIND_DATAW found;
    HANDLE find = w ? FindFirstFileW(w, &found) : INVALID_HANDLE_VALUE;
    free(w);
    if (find == INVALID_HANDLE_VALUE)
        return NULL;
    size_t cap = 8;
    char **names = malloc(cap * sizeof *names);
    do {
        if (wcscmp(found.cFileName, L".") == 0 || wcscmp(found.cFileName, L"..") == 0)
            continue;
        char **grown = *count == cap ? realloc(names, (cap *= 2) * sizeof *names) : names;
        char *name = NULL;
        if (!grown || hcs__utf16_to_utf8((const uint16_t *)found.cFileName, &name) != 0) {
            hcssim__fs_list_free(grown ? grown : names, *count);
            names = NULL;
            break;
        }
        names = grown;
        names[(*count)++] = name;
    } while (names && FindNextFileW(find, &found));
    FindClose(find);
    return names;
}

long hcssim__fs_handle_read(HANDLE h, char *buf, size_t size)
{
    OVERLAPPED at = {0};
    DWORD n = 0;
    if (!h || h == INVALID_HANDLE_VALUE || !ReadFile(h, buf, (DWORD)size, &n, &at))
        return GetLastError() == ERROR_HANDLE_EOF ? 0 : -1;
    return (long)n;
}

int hcssim__fs_handle_write(HANDLE h, const char *buf, size_t size)
{
    OVERLAPPED at = {0};
    DWORD n = 0;
    return h && h != INVALID_HANDLE_VALUE && WriteFile(h, buf, (DWORD)size, &n, &at) && n == size ? 0 : -1;
}

char *hcssim__fs_volumes_root(void)
{
    const char *set = getenv("HCSSIM_VOLUMES");
    if (set && set[0])
        return strdup(set);
    wchar_t tmp[MAX_PATH + 1];
    DWORD n = GetTempPathW(MAX_PATH + 1, tmp);
    char *dir = NULL;
    if (n == 0 || n > MAX_PATH || hcs__utf16_to_utf8((const uint16_t *)tmp, &dir) != 0)
        return NULL;
    size_t len = strlen(dir);
    if (len && dir[len - 1] == '\\')
        dir[len - 1] = '\0';
    char *root = hcssim__fs_join(dir, "hcssim-volumes");
    free(dir);
    return root;
}

unsigned long hcssim__fs_process_id(void) { return (unsigned long)GetCurrentProcessId(); }
