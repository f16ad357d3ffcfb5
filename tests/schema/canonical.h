/* Canonical JSON for comparing documents: jansson's compact dump with sorted
 * keys, so that two texts of the same document compare equal byte for byte. */
#ifndef HCS_TESTS_SCHEMA_CANONICAL_H
#define HCS_TESTS_SCHEMA_CANONICAL_H

#include <jansson.h>
#include <stdlib.h>

/* malloc'ed canonical text of json, or NULL when jansson rejects it. */
static inline char *canonical_json(const char *json, size_t len)
{
    json_t *doc = json_loadb(json, len, JSON_DECODE_ANY, NULL);
    if (!doc)
        return NULL;
    char *out = json_dumps(doc, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(doc);
    return out;
}

#endif
