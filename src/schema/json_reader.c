/* The JSON scanner (see json_reader.h). It follows RFC 8259 strictly: no
 * comments, no trailing commas, no leading zeros, no unescaped control
 * characters, valid UTF-8 only. */
#include "schema/json_reader.h"

#include <string.h>

bool hcs__json_fail(hcs_json_in *in, const char *problem)
{
    if (!in->problem) {
        in->problem = problem;
        in->at = in->p;
    }
    return false;
}

/* ---- UTF-8 -------------------------------------------------------------- */

/* Length of the valid multi-byte sequence at p (lead byte >= 0x80), or 0. */
static size_t utf8_seq(const unsigned char *p, const unsigned char *end)
{
    unsigned c = p[0];
    size_t n;
    unsigned lo = 0x80, hi = 0xBF; /* range of the second byte */
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF; /* no UTF-16 surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    } else
        return 0;
    if ((size_t)(end - p) < n || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

bool hcs__utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        if (*p < 0x80) {
            p++;
            continue;
        }
        size_t k = utf8_seq(p, end);
        if (!k)
            return false;
        p += k;
    }
    return true;
}

/* ---- strings ------------------------------------------------------------ */

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The four hex digits at p, or -1. */
static long hex4(const char *p)
{
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int d = hex_digit(p[i]);
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* The one-character escapes and what they stand for. */
static const char plain_escapes[] = "\"\\/bfnrt", escaped_chars[] = "\"\\/\b\f\n\r\t";

/* Index of c in plain_escapes, or -1. */
static int plain_escape(char c)
{
    for (int i = 0; plain_escapes[i]; i++)
        if (plain_escapes[i] == c)
            return i;
    return -1;
}

/* Checks the escape at p (just after the backslash); returns its length
 * after the backslash, or 0. \u0000 and unpaired surrogates are refused:
 * strings become NUL-terminated UTF-8. */
static size_t escape_len(const char *p, const char *end)
{
    if (p >= end)
        return 0;
    if (plain_escape(*p) >= 0)
        return 1;
    if (*p != 'u' || end - p < 5)
        return 0;
    long u = hex4(p + 1);
    if (u <= 0 || (u >= 0xDC00 && u <= 0xDFFF))
        return 0;
    if (u < 0xD800 || u > 0xDBFF)
        return 5;
    if (end - p < 11 || p[5] != '\\' || p[6] != 'u')
        return 0;
    long lo = hex4(p + 7);
    return lo >= 0xDC00 && lo <= 0xDFFF ? 11 : 0;
}

/* Whether the 8 bytes at p are plain string text: no control character,
 * '"', '\\' or byte of 0x80 and above (each test is exact for the word as
 * a whole; a high byte may set the others' bits, but counts itself). */
static bool plain_word(const unsigned char *p)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t w;
    memcpy(&w, p, sizeof w);
    uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');
    uint64_t special = ((w - ones * 0x20) & ~w) | ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash) | w;
    return (special & highs) == 0;
}

bool hcs__json_span_read(hcs_json_in *in, hcs_json_span *out)
{
    hcs__json_ws(in);
    if (in->p >= in->end || *in->p != '"')
        return hcs__json_fail(in, "expected string");
    const unsigned char *p = (const unsigned char *)in->p + 1, *end = (const unsigned char *)in->end;
    out->text = (const char *)p;
    out->escaped = false;
    for (;;) {
        /* The common case: plain ASCII, eight bytes at a time. */
        while (end - p >= 8 && plain_word(p))
            p += 8;
        while (p < end && *p >= 0x20 && *p != '"' && *p != '\\' && *p < 0x80)
            p++;
        if (p >= end) {
            in->p = (const char *)p;
            return hcs__json_fail(in, "unterminated string");
        }
        if (*p == '"')
            break;
        if (*p == '\\') {
            size_t n = escape_len((const char *)p + 1, (const char *)end);
            if (!n) {
                in->p = (const char *)p;
                return hcs__json_fail(in, "invalid escape in string");
            }
            out->escaped = true;
            p += 1 + n;
        } else if (*p < 0x20) {
            in->p = (const char *)p;
            return hcs__json_fail(in, "control character in string");
        } else {
            size_t n = utf8_seq(p, end);
            if (!n) {
                in->p = (const char *)p;
                return hcs__json_fail(in, "invalid UTF-8 in string");
            }
            p += n;
        }
    }
    out->len = (size_t)((const char *)p - out->text);
    in->p = (const char *)p + 1;
    return true;
}

static char *put_utf8(char *o, unsigned long cp)
{
    if (cp < 0x80) {
        *o++ = (char)cp;
    } else if (cp < 0x800) {
        *o++ = (char)(0xC0 | (cp >> 6));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *o++ = (char)(0xE0 | (cp >> 12));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *o++ = (char)(0xF0 | (cp >> 18));
        *o++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    }
    return o;
}

char *hcs__json_span_decode(const hcs_json_span *s, hcs_arena *a)
{
    /* Decoding never makes a checked string longer. */
    char *out = hcs__arena_alloc_raw(a, s->len + 1);
    if (!out)
        return NULL;
    if (!s->escaped) {
        memcpy(out, s->text, s->len);
        out[s->len] = '\0';
        return out;
    }
    const char *p = s->text, *end = s->text + s->len;
    char *o = out;
    while (p < end) {
        if (*p != '\\') {
            *o++ = *p++;
            continue;
        }
        p++;
        if (*p != 'u') {
            *o++ = escaped_chars[plain_escape(*p)];
            p++;
            continue;
        }
        unsigned long cp = (unsigned long)hex4(p + 1);
        p += 5;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + ((unsigned long)hex4(p + 2) - 0xDC00);
            p += 6;
        }
        o = put_utf8(o, cp);
    }
    *o = '\0';
    return out;
}

/* ---- numbers and literals ----------------------------------------------- */

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Checks a number token at in->p and returns its end, or NULL. */
static const char *number_end(const char *p, const char *end)
{
    if (p < end && *p == '-')
        p++;
    if (p >= end || !is_digit(*p))
        return NULL;
    if (*p == '0') {
        if (++p < end && is_digit(*p))
            return NULL; /* no leading zeros */
    } else
        while (p < end && is_digit(*p))
            p++;
    if (p < end && *p == '.') {
        p++;
        if (p >= end || !is_digit(*p))
            return NULL;
        while (p < end && is_digit(*p))
            p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (p >= end || !is_digit(*p))
            return NULL;
        while (p < end && is_digit(*p))
            p++;
    }
    return p;
}

bool hcs__json_integer(hcs_json_in *in, bool *negative, uint64_t *magnitude)
{
    hcs__json_ws(in);
    const char *p = in->p, *end = number_end(p, in->end);
    if (!end)
        return hcs__json_fail(in, "expected integer");
    *negative = *p == '-';
    if (*negative)
        p++;
    uint64_t v = 0;
    for (; p < end && is_digit(*p); p++) {
        unsigned d = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - d) / 10)
            return hcs__json_fail(in, "integer out of range");
        v = v * 10 + d;
    }
    if (p != end)
        return hcs__json_fail(in, "expected integer, not a fraction or exponent");
    in->p = end;
    *magnitude = v;
    return true;
}

static bool literal(hcs_json_in *in, const char *word, size_t n)
{
    if ((size_t)(in->end - in->p) >= n && memcmp(in->p, word, n) == 0) {
        in->p += n;
        return true;
    }
    return false;
}

bool hcs__json_bool(hcs_json_in *in, bool *out)
{
    hcs__json_ws(in);
    if (literal(in, "true", 4))
        *out = true;
    else if (literal(in, "false", 5))
        *out = false;
    else
        return hcs__json_fail(in, "expected boolean");
    return true;
}

bool hcs__json_null(hcs_json_in *in)
{
    hcs__json_ws(in);
    return literal(in, "null", 4);
}

/* ---- any value ---------------------------------------------------------- */

static bool skip_container(hcs_json_in *in, char close, int max_depth)
{
    in->p++;
    if (hcs__json_eat(in, close))
        return true;
    for (;;) {
        hcs_json_span key;
        if (close == '}' &&
            (!hcs__json_span_read(in, &key) || (!hcs__json_eat(in, ':') && !hcs__json_fail(in, "expected ':'"))))
            return false;
        if (!hcs__json_skip(in, max_depth - 1))
            return false;
        if (hcs__json_eat(in, close))
            return true;
        if (!hcs__json_eat(in, ','))
            return hcs__json_fail(in, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

bool hcs__json_skip(hcs_json_in *in, int max_depth)
{
    hcs__json_ws(in);
    if (in->p >= in->end)
        return hcs__json_fail(in, "unexpected end of text");
    char c = *in->p;
    if (c == '{' || c == '[') {
        if (max_depth <= 0)
            return hcs__json_fail(in, "nesting too deep");
        return skip_container(in, c == '{' ? '}' : ']', max_depth);
    }
    if (c == '"') {
        hcs_json_span s;
        return hcs__json_span_read(in, &s);
    }
    if (literal(in, "true", 4) || literal(in, "false", 5) || literal(in, "null", 4))
        return true;
    const char *end = number_end(in->p, in->end);
    if (!end)
        return hcs__json_fail(in, "expected a JSON value");
    in->p = end;
    return true;
}

size_t hcs__json_compact(char *dst, const char *src, size_t n)
{
    size_t o = 0;
    bool in_string = false;
    for (size_t i = 0; i < n; i++) {
        char c = src[i];
        if (in_string) {
            dst[o++] = c;
            if (c == '\\')
                dst[o++] = src[++i];
            else if (c == '"')
                in_string = false;
        } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
            dst[o++] = c;
            in_string = c == '"';
        }
    }
    return o;
}

char *hcs__json_raw(hcs_json_in *in, hcs_arena *a, int max_depth)
{
    hcs__json_ws(in);
    const char *from = in->p;
    if (!hcs__json_skip(in, max_depth))
        return NULL;
    size_t n = (size_t)(in->p - from);
    char *out = hcs__arena_alloc_raw(a, n + 1);
    if (!out) {
        hcs__json_fail(in, "out of memory");
        return NULL;
    }
    out[hcs__json_compact(out, from, n)] = '\0';
    return out;
}
