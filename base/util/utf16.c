/* Strict UTF-8 <-> UTF-16 conversion (see utf16.h). */
#include "utf16.h"

#include <stdlib.h>
#include <string.h>

size_t hcs__utf16_len(const uint16_t *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

/* Decodes one scalar value at s; returns its length in bytes or 0 if invalid. */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t len;
    uint32_t min;
    if ((s[0] & 0xE0) == 0xC0) {
        len = 2, min = 0x80, *cp = s[0] & 0x1Fu;
    } else if ((s[0] & 0xF0) == 0xE0) {
        len = 3, min = 0x800, *cp = s[0] & 0x0Fu;
    } else if ((s[0] & 0xF8) == 0xF0) {
        len = 4, min = 0x10000, *cp = s[0] & 0x07u;
    } else {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        *cp = (*cp << 6) | (s[i] & 0x3Fu);
    }
    if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
        return 0;
    return len;
}

/* The length a lead byte announces, or 0 for a byte no character starts
 * with. */
static size_t utf8_sequence_length(unsigned char lead)
{
    if (lead < 0x80)
        return 1;
    if ((lead & 0xE0) == 0xC0)
        return 2;
    if ((lead & 0xF0) == 0xE0)
        return 3;
    if ((lead & 0xF8) == 0xF0)
        return 4;
    return 0;
}

size_t hcs__utf8_valid_prefix(const char *in, size_t n)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t i = 0;
    while (i < n && s[i]) {
        size_t len = utf8_sequence_length(s[i]);
        if (len == 0 || len > n - i)
            break;
        uint32_t cp;
        /* The continuation bytes are within n, and a NUL among them fails
         * the decode, so it never reads past the end. */
        if (utf8_decode(s + i, &cp) != len)
            break;
        i += len;
    }
    return i;
}

int hcs__utf8_to_utf16(const char *in, uint16_t **out)
{
    *out = NULL;
    const unsigned char *s = (const unsigned char *)in;
    size_t n = strlen(in);
    /* Every UTF-8 byte yields at most one UTF-16 unit. */
    uint16_t *w = malloc((n + 1) * sizeof *w);
    if (!w)
        return -2;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = utf8_decode(s + i, &cp);
        if (!len) {
            free(w);
            return -1;
        }
        i += len;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            w[o++] = (uint16_t)(0xD800 + (cp >> 10));
            w[o++] = (uint16_t)(0xDC00 + (cp & 0x3FF));
        } else {
            w[o++] = (uint16_t)cp;
        }
    }
    w[o] = 0;
    *out = w;
    return 0;
}

static size_t utf8_encode(uint32_t cp, char *o)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

int hcs__utf16_to_utf8_bounded(const uint16_t *in, size_t max_units, char **out)
{
    *out = NULL;
    size_t n = 0;
    while (n < max_units && in[n])
        n++;
    if (n == max_units)
        return -3;
    /* One UTF-16 unit yields at most three UTF-8 bytes (a pair yields four). */
    char *s = malloc(n * 3 + 1);
    if (!s)
        return -2;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = in[i];
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (i + 1 >= n || in[i + 1] < 0xDC00 || in[i + 1] > 0xDFFF)
                goto invalid;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (in[i + 1] - 0xDC00u);
            i++;
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            goto invalid;
        }
        o += utf8_encode(cp, s + o);
    }
    s[o] = '\0';
    *out = s;
    return 0;
invalid:
    free(s);
    return -1;
}

int hcs__utf16_to_utf8(const uint16_t *in, char **out) { return hcs__utf16_to_utf8_bounded(in, SIZE_MAX, out); }
