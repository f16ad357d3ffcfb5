/* A growing buffer of JSON text for the schema encoder. */
#ifndef HCS_SRC_SCHEMA_JSON_WRITER_H
#define HCS_SRC_SCHEMA_JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct hcs_json_out {
    char *buf; /* malloc'ed, NUL-terminated when not failed */
    size_t len, cap;
    bool failed; /* out of memory: later writes do nothing */
} hcs_json_out;

void hcs__json_out_raw(hcs_json_out *o, const char *s, size_t n);
void hcs__json_out_char(hcs_json_out *o, char c);
/* A quoted, escaped string; false (nothing written) when s is not UTF-8. */
bool hcs__json_out_string(hcs_json_out *o, const char *s);
/* n bytes of checked JSON text, without whitespace between tokens. */
void hcs__json_out_compact(hcs_json_out *o, const char *json, size_t n);
void hcs__json_out_u64(hcs_json_out *o, uint64_t v);
void hcs__json_out_i64(hcs_json_out *o, int64_t v);
/* Hands the text over (NULL after a failure) and resets o. */
char *hcs__json_out_take(hcs_json_out *o);
void hcs__json_out_discard(hcs_json_out *o);

#endif
