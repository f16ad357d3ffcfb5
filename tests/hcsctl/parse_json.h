/* The hcsctl tests' reading of --json output: the text parsed, or the test
 * failed naming what is not JSON. Include after <cmocka.h>. */
#ifndef HCSCTL_TEST_PARSE_JSON_H
#define HCSCTL_TEST_PARSE_JSON_H

#include <jansson.h>

static inline json_t *parse_json(const char *text)
{
    json_error_t error;
    json_t *doc = json_loads(text, 0, &error);
    if (!doc)
        fail_msg("not JSON (%s): %s", error.text, text);
    return doc;
}

#endif
