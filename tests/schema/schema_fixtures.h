/* The JSON documents of tests/schema/fixtures, built into the tests. A file
 * is named <SchemaType>.<what>.json. */
#ifndef HCS_TESTS_SCHEMA_FIXTURES_H
#define HCS_TESTS_SCHEMA_FIXTURES_H

#include <stddef.h>

typedef struct schema_fixture {
    const char *name;
    const char *text;
    size_t len;
} schema_fixture;

extern const schema_fixture schema_fixtures[];
extern const size_t schema_fixture_count;

#endif
