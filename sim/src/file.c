/* Client-named files (see file.h). */
#include "file.h"

#include "util/utf16.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <wchar.h>
#endif

/* HRESULT_FROM_WIN32(ERROR_INVALID_DATA). */
#define SIM_E_INVALID_DATA ((HRESULT)0x8007000D)

FILE *hcssim__file_open(const char *path, const char *mode)
{
#ifdef _WIN32
    uint16_t *wide = NULL;
    if (hcs__utf8_to_utf16(path, &wide) != 0)
        return NULL;
    wchar_t wmode[4] = {0};
    for (int i = 0; i < 3 && mode[i]; i++)
        wmode[i] = (wchar_t)mode[i];
    FILE *f = _wfopen((const wchar_t *)wide, wmode);
    free(wide);
    return f;
#else
    return fopen(path, mode);
#endif
}

HRESULT hcssim__file_write(const char *path, const char *text, char detail[SIM_DETAIL_SIZE])
{
    FILE *f = hcssim__file_open(path, "wb");
    size_t n = strlen(text);
    bool ok = f && fwrite(text, 1, n, f) == n;
    if (f && fclose(f) != 0)
        ok = false;
    if (!ok) {
        hcssim__detail(detail, "%.*s: the file cannot be written (is its folder missing?)", hcssim__clip(path, 200),
                       path);
        return SIM_E_PATH_NOT_FOUND;
    }
    return S_OK;
}

HRESULT hcssim__file_read(const char *path, size_t max, char **text, char detail[SIM_DETAIL_SIZE])
{
    *text = NULL;
    FILE *f = hcssim__file_open(path, "rb");
    if (!f) {
        hcssim__detail(detail, "%.*s: the system cannot find the file specified", hcssim__clip(path, 200), path);
        return SIM_E_FILE_NOT_FOUND;
    }
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    bool fits = size >= 0 && (unsigned long)size <= max && fseek(f, 0, SEEK_SET) == 0;
    char *buf = fits ? malloc((size_t)size + 1) : NULL;
    size_t n = buf ? fread(buf, 1, (size_t)size, f) : 0;
    fclose(f);
    if (fits && !buf)
        return E_OUTOFMEMORY;
    if (!fits || n != (size_t)size || memchr(buf, '\0', n)) {
        free(buf);
        hcssim__detail(detail, "%.*s: the file cannot be read, is too long or is not text", hcssim__clip(path, 200),
                       path);
        return SIM_E_INVALID_DATA;
    }
    buf[n] = '\0';
    *text = buf;
    return S_OK;
}
