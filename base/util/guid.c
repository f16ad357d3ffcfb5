/* GUID text (see guid.h). */
#include "guid.h"

#include <stdio.h>
#include <string.h>

void hcs__guid_format(const GUID *g, char out[HCS_GUID_LEN + 1])
{
    snprintf(out, HCS_GUID_LEN + 1, "%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X", (unsigned)g->Data1, g->Data2,
             g->Data3, g->Data4[0], g->Data4[1], g->Data4[2], g->Data4[3], g->Data4[4], g->Data4[5], g->Data4[6],
             g->Data4[7]);
}

static int hex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool hcs__guid_parse(const char *text, GUID *out)
{
    if (!text)
        return false;
    size_t n = strlen(text);
    if (n == HCS_GUID_LEN + 2 && text[0] == '{' && text[n - 1] == '}')
        text++, n -= 2;
    if (n != HCS_GUID_LEN)
        return false;
    uint8_t b[16];
    int k = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (text[i] != '-')
                return false;
            continue;
        }
        int hi = hex(text[i]), lo = hex(text[i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        b[k++] = (uint8_t)(hi << 4 | lo);
        i++;
    }
    out->Data1 = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
    out->Data2 = (uint16_t)(b[4] << 8 | b[5]);
    out->Data3 = (uint16_t)(b[6] << 8 | b[7]);
    memcpy(out->Data4, b + 8, 8);
    return true;
}

bool hcs__guid_is_text(const char *s, size_t n)
{
    if (!s || n != HCS_GUID_LEN)
        return false;
    for (size_t i = 0; i < n; i++)
        if (i == 8 || i == 13 || i == 18 || i == 23 ? s[i] != '-' : hex(s[i]) < 0)
            return false;
    return true;
}
