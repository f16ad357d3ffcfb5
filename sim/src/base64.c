/* Base64 (see base64.h). */
#include "base64.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *hcssim__base64_encode(const void *bytes, size_t n)
{
    const unsigned char *in = bytes;
    char *out = n / 3 < SIZE_MAX / 4 - 1 ? malloc((n + 2) / 3 * 4 + 1) : NULL;
    if (!out)
        return NULL;
    char *o = out;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0) | (i + 2 < n ? in[i + 2] : 0);
        *o++ = alphabet[v >> 18 & 63];
        *o++ = alphabet[v >> 12 & 63];
        *o++ = (char)(i + 1 < n ? alphabet[v >> 6 & 63] : '=');
        *o++ = (char)(i + 2 < n ? alphabet[v & 63] : '=');
    }
    *o = '\0';
    return out;
}

/* The value of a base64 digit, or -1. */
static int digit(char c)
{
    const char *at = c ? strchr(alphabet, c) : NULL;
    return at ? (int)(at - alphabet) : -1;
}

char *hcssim__base64_decode(const char *text, size_t *n)
{
    size_t len = strlen(text);
    size_t pad = len >= 1 && text[len - 1] == '=' ? (len >= 2 && text[len - 2] == '=' ? 2 : 1) : 0;
    char *out = len % 4 == 0 ? malloc(len / 4 * 3 + 1) : NULL;
    if (!out)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < len; i += 4) {
        bool last = i + 4 == len;
        int d[4];
        for (size_t j = 0; j < 4; j++) /* '=' only as the last group's padding */
            d[j] = last && j >= 4 - pad ? 0 : digit(text[i + j]);
        if (d[0] < 0 || d[1] < 0 || d[2] < 0 || d[3] < 0) {
            free(out);
            return NULL;
        }
        uint32_t v = (uint32_t)d[0] << 18 | (uint32_t)d[1] << 12 | (uint32_t)d[2] << 6 | (uint32_t)d[3];
        out[k++] = (char)(v >> 16);
        if (!last || pad < 2)
            out[k++] = (char)(v >> 8 & 0xFF);
        if (!last || pad < 1)
            out[k++] = (char)(v & 0xFF);
    }
    out[k] = '\0';
    if (n)
        *n = k;
    return out;
}
