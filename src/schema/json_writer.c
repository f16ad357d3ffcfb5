/* The JSON text buffer (see json_writer.h). */
#include "schema/json_writer.h"

#include "schema/json_reader.h"

#include <stdlib.h>
#include <string.h>

/* Room for n more bytes and the terminating NUL. */
static bool reserve(hcs_json_out *o, size_t n)
{
    if (o->failed)
        return false;
    if (o->cap - o->len > n)
        return true;
    size_t cap = o->cap ? o->cap : 256;
    while (cap - o->len <= n) {
        if (cap > SIZE_MAX / 2) {
            o->failed = true;
            return false;
        }
        cap *= 2;
    }
    char *buf = realloc(o->buf, cap);
    if (!buf) {
        o->failed = true;
        return false;
    }
    o->buf = buf;
    o->cap = cap;
    return true;
}

void hcs__json_out_raw(hcs_json_out *o, const char *s, size_t n)
{
    if (!reserve(o, n))
        return;
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

void hcs__json_out_char(hcs_json_out *o, char c)
{
    if (reserve(o, 1))
        o->buf[o->len++] = c;
}

bool hcs__json_out_string(hcs_json_out *o, const char *s)
{
    size_t n = strlen(s);
    if (!hcs__utf8_valid(s, n))
        return false;
    /* Worst case: every byte a \u00XX escape. */
    if (n > (SIZE_MAX - 2) / 6 || !reserve(o, n * 6 + 2))
        return true;
    static const char hex[] = "0123456789abcdef";
    char *w = o->buf + o->len;
    *w++ = '"';
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if (c >= 0x20 && c != '"' && c != '\\') {
            *w++ = (char)c;
            continue;
        }
        *w++ = '\\';
        switch (c) {
        case '"':
            *w++ = '"';
            break;
        case '\\':
            *w++ = '\\';
            break;
        case '\n':
            *w++ = 'n';
            break;
        case '\r':
            *w++ = 'r';
            break;
        case '\t':
            *w++ = 't';
            break;
        case '\b':
            *w++ = 'b';
            break;
        case '\f':
            *w++ = 'f';
            break;
        default:
            *w++ = 'u';
            *w++ = '0';
            *w++ = '0';
            *w++ = hex[c >> 4];
            *w++ = hex[c & 15];
        }
    }
    *w++ = '"';
    o->len = (size_t)(w - o->buf);
    return true;
}

void hcs__json_out_compact(hcs_json_out *o, const char *json, size_t n)
{
    if (reserve(o, n))
        o->len += hcs__json_compact(o->buf + o->len, json, n);
}

void hcs__json_out_u64(hcs_json_out *o, uint64_t v)
{
    char tmp[20];
    size_t i = sizeof tmp;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    hcs__json_out_raw(o, tmp + i, sizeof tmp - i);
}

void hcs__json_out_i64(hcs_json_out *o, int64_t v)
{
    if (v < 0) {
        hcs__json_out_char(o, '-');
        /* Negate in unsigned arithmetic: INT64_MIN has no positive twin. */
        hcs__json_out_u64(o, 0 - (uint64_t)v);
    } else {
        hcs__json_out_u64(o, (uint64_t)v);
    }
}

char *hcs__json_out_take(hcs_json_out *o)
{
    char *s = NULL;
    if (!o->failed && reserve(o, 0)) {
        o->buf[o->len] = '\0';
        s = o->buf;
        o->buf = NULL;
    }
    hcs__json_out_discard(o);
    return s;
}

void hcs__json_out_discard(hcs_json_out *o)
{
    free(o->buf);
    memset(o, 0, sizeof *o);
}
