/* JSON output (json_out.h). */
#include "json_out.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static void newline(FILE *out, int depth)
{
    fputc('\n', out);
    for (int i = 0; i < depth; i++)
        fputs("  ", out);
}

/* The first character after p that is not JSON whitespace. */
static const char *skip_blanks(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

void hcsctl_json_pretty(FILE *out, const char *json)
{
    int depth = 0;
    for (const char *p = skip_blanks(json); *p; p++) {
        char c = *p;
        if (c == '"') {
            const char *end = p + 1;
            while (*end && *end != '"')
                end += end[0] == '\\' && end[1] ? 2 : 1;
            fwrite(p, 1, (size_t)(end - p) + (*end ? 1 : 0), out);
            p = *end ? end : end - 1;
        } else if (c == '{' || c == '[') {
            const char *next = skip_blanks(p + 1);
            if (*next == (c == '{' ? '}' : ']')) { /* empty: {} or [] */
                fputc(c, out);
                fputc(*next, out);
                p = next;
                continue;
            }
            fputc(c, out);
            newline(out, ++depth);
        } else if (c == '}' || c == ']') {
            newline(out, --depth);
            fputc(c, out);
        } else if (c == ',') {
            fputc(c, out);
            newline(out, depth);
        } else if (c == ':') {
            fputs(": ", out);
        } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            fputc(c, out);
        }
    }
    fputc('\n', out);
}

void hcsctl_buf_printf(hcsctl_buf *b, const char *fmt, ...)
{
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n >= 0 && !b->failed && b->len + (size_t)n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + (size_t)n + 1)
            cap *= 2;
        char *grown = realloc(b->data, cap);
        if (grown) {
            b->data = grown;
            b->cap = cap;
        } else {
            b->failed = true;
        }
    }
    if (n >= 0 && !b->failed) {
        vsnprintf(b->data + b->len, b->cap - b->len, fmt, again);
        b->len += (size_t)n;
    }
    va_end(again);
}

void hcsctl_buf_json_string(hcsctl_buf *b, const char *s)
{
    if (!s) {
        hcsctl_buf_printf(b, "null");
        return;
    }
    hcsctl_buf_printf(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        size_t plain = strcspn((const char *)p, "\"\\\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f"
                                                "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f");
        if (plain) {
            hcsctl_buf_printf(b, "%.*s", (int)plain, (const char *)p);
            p += plain - 1;
        } else if (*p == '"' || *p == '\\') {
            hcsctl_buf_printf(b, "\\%c", *p);
        } else if (*p == '\n') {
            hcsctl_buf_printf(b, "\\n");
        } else if (*p == '\r') {
            hcsctl_buf_printf(b, "\\r");
        } else if (*p == '\t') {
            hcsctl_buf_printf(b, "\\t");
        } else {
            hcsctl_buf_printf(b, "\\u%04x", *p);
        }
    }
    hcsctl_buf_printf(b, "\"");
}

const char *hcsctl_buf_text(const hcsctl_buf *b) { return b->data ? b->data : ""; }

void hcsctl_buf_free(hcsctl_buf *b)
{
    free(b->data);
    *b = (hcsctl_buf){0};
}
