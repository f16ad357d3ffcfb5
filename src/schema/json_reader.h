/* The JSON scanner under the schema decoder: strings, integers and raw values
 * read straight from the text, with UTF-8 checked, and no tree built. */
#ifndef HCS_SRC_SCHEMA_JSON_READER_H
#define HCS_SRC_SCHEMA_JSON_READER_H

#include "schema/arena.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct hcs_json_in {
    const char *start, *p, *end;
    const char *problem; /* static text of the first failure, or NULL */
    const char *at;      /* where it happened */
} hcs_json_in;

/* A string token as it stands between its quotes. */
typedef struct hcs_json_span {
    const char *text;
    size_t len;
    bool escaped; /* contains backslash escapes */
} hcs_json_span;

/* Records a failure (the first one wins) and returns false. */
bool hcs__json_fail(hcs_json_in *in, const char *problem);

static inline void hcs__json_ws(hcs_json_in *in)
{
    const char *p = in->p;
    while (p < in->end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
        p++;
    in->p = p;
}

/* Skips whitespace, then consumes c if it is next. */
static inline bool hcs__json_eat(hcs_json_in *in, char c)
{
    hcs__json_ws(in);
    if (in->p < in->end && *in->p == c) {
        in->p++;
        return true;
    }
    return false;
}

/* Reads a string token (checked: escapes, UTF-8, no control characters or
 * \u0000); fails with "expected string" when the next token is not one. */
bool hcs__json_span_read(hcs_json_in *in, hcs_json_span *out);
/* The span's text decoded and NUL-terminated in the arena, or NULL. */
char *hcs__json_span_decode(const hcs_json_span *s, hcs_arena *a);
/* Reads an integer token exactly: its sign and magnitude. Fails on
 * fractions, exponents and magnitudes above UINT64_MAX. */
bool hcs__json_integer(hcs_json_in *in, bool *negative, uint64_t *magnitude);
/* Reads true or false. */
bool hcs__json_bool(hcs_json_in *in, bool *out);
/* Whether the next token is null (consumed if so). */
bool hcs__json_null(hcs_json_in *in);
/* Checks and skips any JSON value, nesting at most max_depth levels. */
bool hcs__json_skip(hcs_json_in *in, int max_depth);
/* Reads any JSON value and returns it as compact text in the arena. */
char *hcs__json_raw(hcs_json_in *in, hcs_arena *a, int max_depth);
/* Copies n bytes of checked JSON text to dst without the whitespace between
 * tokens; returns the length written (at most n). */
size_t hcs__json_compact(char *dst, const char *src, size_t n);
/* Whether s[0..n) is valid UTF-8 (no surrogates, no overlong forms). */
bool hcs__utf8_valid(const char *s, size_t n);

#endif
