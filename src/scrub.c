/* Secret scrubbing for traces (see scrub.h). */
#include "scrub.h"

#include <ctype.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool contains_word(const char *key, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = key; *p; p++) {
        size_t i = 0;
        while (i < n && p[i] && tolower((unsigned char)p[i]) == word[i])
            i++;
        if (i == n)
            return true;
    }
    return false;
}

static bool secret(const char *key)
{
    static const char *const words[] = {"password", "secret", "token", "credential", "key"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (contains_word(key, words[i]))
            return true;
    return false;
}

static void scrub(json_t *v)
{
    const char *key;
    json_t *member;
    size_t i;
    if (json_is_object(v)) {
        json_object_foreach(v, key, member) {
            if (secret(key))
                json_object_set_new(v, key, json_string("<redacted>"));
            else
                scrub(member);
        }
    } else if (json_is_array(v)) {
        for (i = 0; i < json_array_size(v); i++)
            scrub(json_array_get(v, i));
    }
}

char *hcs_scrub(const char *json)
{
    if (!json)
        return NULL;
    json_t *doc = json_loads(json, JSON_DECODE_ANY, NULL);
    if (!doc) {
        char text[48];
        snprintf(text, sizeof text, "<not JSON, %zu bytes>", strlen(json));
        return strdup(text);
    }
    scrub(doc);
    char *out = json_dumps(doc, JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(doc);
    return out;
}
