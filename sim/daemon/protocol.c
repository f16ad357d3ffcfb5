/* hcssimd's frames: writing them and checking them (see protocol.h). */
#include "protocol.h"

#include <stdlib.h>
#include <string.h>

static const struct {
    uint64_t id;
    const char *name;
    const char *args;
} functions[] = {
#define WIRE_FUNCTION_ROW(id, name, args, reply) {id, #name, args},
    WIRE_FUNCTIONS(WIRE_FUNCTION_ROW)
#undef WIRE_FUNCTION_ROW
};

static const struct {
    uint64_t id;
    const char *args;
} controls[] = {
#define WIRE_CONTROL_ROW(id, name, args, reply) {id, args},
    WIRE_CONTROLS(WIRE_CONTROL_ROW)
#undef WIRE_CONTROL_ROW
};

/* UTF-16 strings move as whole blocks where the host is little-endian, as
 * the frame is: result documents can be tens of megabytes. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define WIRE_HOST_IS_LITTLE_ENDIAN 1
#else
#define WIRE_HOST_IS_LITTLE_ENDIAN 0
#endif

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t get32(const uint8_t *p) { return (uint32_t)get16(p) | (uint32_t)get16(p + 2) << 16; }
static uint64_t get64(const uint8_t *p) { return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32; }

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)v);
    put16(p + 2, (uint16_t)(v >> 16));
}
static void put64(uint8_t *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

/* ---- decoding ------------------------------------------------------------ */

wire_error hcssim__wire_decode_header(const uint8_t bytes[WIRE_HEADER_SIZE], wire_header *out)
{
    out->magic = get32(bytes);
    out->version = get16(bytes + 4);
    out->type = get16(bytes + 6);
    out->request = get64(bytes + 8);
    out->length = get32(bytes + 16);
    out->handles = get16(bytes + 20);
    out->reserved = get16(bytes + 22);
    if (out->magic != WIRE_MAGIC)
        return WIRE_E_MAGIC;
    if (out->version != WIRE_VERSION)
        return WIRE_E_VERSION;
    if (out->length > WIRE_MAX_PAYLOAD)
        return WIRE_E_TOO_BIG;
    if (out->reserved != 0 || out->type < WIRE_HELLO || out->type > WIRE_CONTROL)
        return WIRE_E_HEADER;
    /* A completion carries a new process's stdio; a call, its operation's
     * live migration socket (transport.h). */
    unsigned most = out->type == WIRE_COMPLETE ? WIRE_MAX_HANDLES : out->type == WIRE_CALL ? 1 : 0;
    if (out->handles > most)
        return WIRE_E_HEADER;
    return WIRE_OK;
}

/* Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF;
 * and no NUL, which would cut the string short on the other side. */
static bool valid_utf8(const uint8_t *s, uint32_t n)
{
    uint32_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        if (c == 0)
            return false;
        if (c < 0x80) {
            i++;
            continue;
        }
        unsigned extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 ? 1 : 0;
        if (!extra || c > 0xF4 || n - i <= extra)
            return false;
        uint32_t cp = c & (0x3F >> extra);
        for (unsigned k = 1; k <= extra; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = cp << 6 | (s[i + k] & 0x3F);
        }
        if ((extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += extra + 1;
    }
    return true;
}

/* One value at *at; advances *at. UTF-16 strings are passed on as the
 * caller gave them (the simulator judges unpaired surrogates, as in
 * process), but may hold no NUL. */
static wire_error read_value(const uint8_t *p, size_t n, size_t *at, wire_value *v)
{
    if (*at >= n)
        return WIRE_E_TRUNCATED;
    memset(v, 0, sizeof *v);
    v->tag = (char)p[(*at)++];
    switch (v->tag) {
    case 'u':
        if (n - *at < 8)
            return WIRE_E_TRUNCATED;
        v->u = get64(p + *at);
        *at += 8;
        return WIRE_OK;
    case 'n':
        return WIRE_OK;
    case 'w':
    case 'a': {
        if (n - *at < 4)
            return WIRE_E_TRUNCATED;
        v->count = get32(p + *at);
        *at += 4;
        size_t bytes = v->tag == 'w' ? (size_t)v->count * 2 : v->count;
        if (bytes > n - *at)
            return WIRE_E_TRUNCATED;
        v->bytes = p + *at;
        *at += bytes;
        if (v->tag == 'a')
            return valid_utf8(v->bytes, v->count) ? WIRE_OK : WIRE_E_VALUE;
        for (uint32_t i = 0; i < v->count; i++)
            if (get16(v->bytes + 2 * i) == 0)
                return WIRE_E_VALUE;
        return WIRE_OK;
    }
    default:
        return WIRE_E_VALUE;
    }
}

bool hcssim__wire_expect(const wire_msg *m, unsigned from, const char *signature)
{
    size_t want = strlen(signature);
    if (from > m->count || m->count - from != want)
        return false;
    for (size_t i = 0; i < want; i++) {
        char have = m->v[from + i].tag;
        switch (signature[i]) {
        case 'u':
        case 'w':
        case 'a':
            if (have != signature[i])
                return false;
            break;
        case 'W':
            if (have != 'w' && have != 'n')
                return false;
            break;
        case 'A':
            if (have != 'a' && have != 'n')
                return false;
            break;
        default:
            return false;
        }
    }
    return true;
}

static bool check_signature(const wire_msg *m)
{
    switch ((wire_type)m->h.type) {
    case WIRE_HELLO:
        return hcssim__wire_expect(m, 0, "uu");
    case WIRE_WELCOME:
        return hcssim__wire_expect(m, 0, "uaa");
    case WIRE_REFUSED:
        return hcssim__wire_expect(m, 0, "ua");
    case WIRE_RELEASE:
        return hcssim__wire_expect(m, 0, "u");
    case WIRE_REPLY:
        return true; /* checked against its request by the receiver */
    case WIRE_COMPLETE: {
        if (!hcssim__wire_expect(m, 0, "uuWuu") || m->v[4].u > 7)
            return false;
        unsigned streams = 0;
        for (uint64_t mask = m->v[4].u; mask; mask >>= 1)
            streams += (unsigned)(mask & 1);
        return streams == m->h.handles;
    }
    case WIRE_EVENT:
        return hcssim__wire_expect(m, 0, "uuWu");
    case WIRE_CALL:
        if (m->count < 1 || m->v[0].tag != 'u')
            return false;
        for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++)
            if (functions[i].id == m->v[0].u)
                return hcssim__wire_expect(m, 1, functions[i].args);
        return false;
    case WIRE_CONTROL:
        if (m->count < 1 || m->v[0].tag != 'u')
            return false;
        for (size_t i = 0; i < sizeof controls / sizeof controls[0]; i++)
            if (controls[i].id == m->v[0].u)
                return hcssim__wire_expect(m, 1, controls[i].args);
        return false;
    }
    return false;
}

wire_error hcssim__wire_decode(const uint8_t *frame, size_t n, wire_msg *out)
{
    memset(out, 0, sizeof *out);
    if (n < WIRE_HEADER_SIZE)
        return WIRE_E_TRUNCATED;
    wire_error e = hcssim__wire_decode_header(frame, &out->h);
    if (e != WIRE_OK)
        return e;
    if (n - WIRE_HEADER_SIZE != out->h.length)
        return WIRE_E_TRUNCATED;
    const uint8_t *p = frame + WIRE_HEADER_SIZE;
    size_t at = 0;
    while (at < out->h.length) {
        if (out->count == WIRE_MAX_VALUES)
            return WIRE_E_SIGNATURE;
        e = read_value(p, out->h.length, &at, &out->v[out->count]);
        if (e != WIRE_OK)
            return e;
        out->count++;
    }
    return check_signature(out) ? WIRE_OK : WIRE_E_SIGNATURE;
}

const char *hcssim__wire_error_name(wire_error e)
{
    switch (e) {
    case WIRE_OK:
        return "ok";
    case WIRE_E_MAGIC:
        return "not an hcssimd frame (bad magic)";
    case WIRE_E_VERSION:
        return "another protocol version";
    case WIRE_E_TOO_BIG:
        return "frame longer than the limit";
    case WIRE_E_HEADER:
        return "malformed header";
    case WIRE_E_TRUNCATED:
        return "truncated frame";
    case WIRE_E_VALUE:
        return "malformed value";
    case WIRE_E_SIGNATURE:
        return "values do not match the message";
    }
    return "unknown error";
}

const char *hcssim__wire_function_name(uint64_t fn)
{
    for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++)
        if (functions[i].id == fn)
            return functions[i].name;
    return NULL;
}

/* ---- writing ------------------------------------------------------------- */

static uint8_t *room(wire_buf *b, size_t n)
{
    if (b->failed)
        return NULL;
    if (b->len + n > WIRE_HEADER_SIZE + (size_t)WIRE_MAX_PAYLOAD) {
        b->failed = true;
        return NULL;
    }
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n)
            cap *= 2;
        uint8_t *grown = realloc(b->data, cap);
        if (!grown) {
            b->failed = true;
            return NULL;
        }
        b->data = grown;
        b->cap = cap;
    }
    uint8_t *at = b->data + b->len;
    b->len += n;
    return at;
}

void hcssim__wire_begin(wire_buf *b, wire_type type, uint64_t request)
{
    memset(b, 0, sizeof *b);
    uint8_t *h = room(b, WIRE_HEADER_SIZE);
    if (!h)
        return;
    memset(h, 0, WIRE_HEADER_SIZE);
    put32(h, WIRE_MAGIC);
    put16(h + 4, WIRE_VERSION);
    put16(h + 6, (uint16_t)type);
    put64(h + 8, request);
}

void hcssim__wire_u64(wire_buf *b, uint64_t v)
{
    uint8_t *p = room(b, 9);
    if (p) {
        p[0] = 'u';
        put64(p + 1, v);
    }
}

static void utf16_upto(wire_buf *b, const uint16_t *s, size_t max)
{
    if (!s) {
        uint8_t *p = room(b, 1);
        if (p)
            p[0] = 'n';
        return;
    }
    size_t len = 0;
    while (len < max && s[len])
        len++;
    if (len > WIRE_MAX_PAYLOAD / 2) {
        b->failed = true;
        return;
    }
    uint32_t n = (uint32_t)len;
    uint8_t *p = room(b, 5 + (size_t)n * 2);
    if (!p)
        return;
    p[0] = 'w';
    put32(p + 1, n);
    if (WIRE_HOST_IS_LITTLE_ENDIAN)
        memcpy(p + 5, s, (size_t)n * 2);
    else
        for (uint32_t i = 0; i < n; i++)
            put16(p + 5 + 2 * i, s[i]);
}

void hcssim__wire_utf16(wire_buf *b, const uint16_t *s) { utf16_upto(b, s, SIZE_MAX); }

void hcssim__wire_argument(wire_buf *b, const uint16_t *s) { utf16_upto(b, s, WIRE_MAX_STRING_UNITS); }

void hcssim__wire_utf8(wire_buf *b, const char *s)
{
    if (!s) {
        uint8_t *p = room(b, 1);
        if (p)
            p[0] = 'n';
        return;
    }
    size_t n = strlen(s);
    if (n > WIRE_MAX_PAYLOAD) {
        b->failed = true;
        return;
    }
    uint8_t *p = room(b, 5 + n);
    if (!p)
        return;
    p[0] = 'a';
    put32(p + 1, (uint32_t)n);
    memcpy(p + 5, s, n);
}

void hcssim__wire_set_request(wire_buf *b, uint64_t request)
{
    if (b->data && b->len >= WIRE_HEADER_SIZE)
        put64(b->data + 8, request);
}

int hcssim__wire_end(wire_buf *b, unsigned handles)
{
    if (b->failed || !b->data) {
        hcssim__wire_free(b);
        return -1;
    }
    put32(b->data + 16, (uint32_t)(b->len - WIRE_HEADER_SIZE));
    put16(b->data + 20, (uint16_t)handles);
    return 0;
}

void hcssim__wire_free(wire_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

uint16_t *hcssim__wire_utf16_dup(const wire_value *v, bool *failed)
{
    if (v->tag != 'w')
        return NULL;
    uint16_t *s = malloc(((size_t)v->count + 1) * sizeof *s);
    if (!s) {
        *failed = true;
        return NULL;
    }
    if (WIRE_HOST_IS_LITTLE_ENDIAN)
        memcpy(s, v->bytes, (size_t)v->count * 2);
    else
        for (uint32_t i = 0; i < v->count; i++)
            s[i] = get16(v->bytes + 2 * i);
    s[v->count] = 0;
    return s;
}

char *hcssim__wire_utf8_dup(const wire_value *v, bool *failed)
{
    if (v->tag != 'a')
        return NULL;
    char *s = malloc((size_t)v->count + 1);
    if (!s) {
        *failed = true;
        return NULL;
    }
    memcpy(s, v->bytes, v->count);
    s[v->count] = 0;
    return s;
}
