/* Printing a codec path (see schema_path.h). */
#include "schema/schema_path.h"

#include "util/utf16.h"

#include <string.h>

typedef struct sink {
    char *buf;
    size_t size, len;
    int cut;
} sink;

static void put(sink *s, const char *text, size_t n)
{
    if (s->len + n >= s->size) {
        n = s->size - 1 - s->len;
        s->cut = 1;
    }
    memcpy(s->buf + s->len, text, n);
    s->len += n;
}

static void put_key(sink *s, const char *key)
{
    put(s, "[\"", 2);
    for (const char *k = key; *k; k++) {
        if (*k == '"' || *k == '\\')
            put(s, "\\", 1);
        put(s, k, 1);
    }
    put(s, "\"]", 2);
}

static void render(sink *s, const hcs_schema_path *p)
{
    if (!p || p->kind == HCS_PATH_ROOT)
        return;
    render(s, p->up);
    if (p->kind == HCS_PATH_FIELD) {
        if (s->len)
            put(s, ".", 1);
        put(s, p->name, p->name_len);
    } else if (p->kind == HCS_PATH_KEY) {
        put_key(s, p->name);
    } else {
        char num[24];
        size_t i = sizeof num, v = p->index;
        num[--i] = ']';
        do {
            num[--i] = (char)('0' + v % 10);
            v /= 10;
        } while (v);
        num[--i] = '[';
        put(s, num + i, sizeof num - i);
    }
}

void hcs__schema_path_format(const hcs_schema_path *p, char *buf, size_t size)
{
    sink s = {buf, size, 0, 0};
    render(&s, p);
    if (s.len == 0)
        put(&s, "(document)", 10);
    buf[s.len] = '\0';
    /* A path too long for buf ends in "...", cut before any character the
     * cut would split (keys are the document's UTF-8 text). */
    if (s.cut && size > 4)
        memcpy(buf + hcs__utf8_valid_prefix(buf, size - 4), "...", 4);
}
