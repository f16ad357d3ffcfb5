/* JSON output: HCS's documents re-indented for people, and the strings of
 * the objects hcsctl writes itself (events, stats, service). */
#ifndef HCSCTL_JSON_OUT_H
#define HCSCTL_JSON_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Writes the JSON text `json` indented by two spaces per level, then a
 * newline. The text is HCS's or libhcs's (valid JSON): only whitespace
 * outside strings changes. */
void hcsctl_json_pretty(FILE *out, const char *json);

/* A growing text, for the JSON documents hcsctl writes itself. A failed
 * allocation leaves `failed` set and the text as it was. */
typedef struct hcsctl_buf {
    char *data; /* NUL-terminated, or NULL while empty */
    size_t len, cap;
    bool failed;
} hcsctl_buf;

void hcsctl_buf_printf(hcsctl_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Appends s as a JSON string (quoted and escaped), or null for NULL. */
void hcsctl_buf_json_string(hcsctl_buf *b, const char *s);
/* The text ("" while empty). */
const char *hcsctl_buf_text(const hcsctl_buf *b);
void hcsctl_buf_free(hcsctl_buf *b);

#endif
