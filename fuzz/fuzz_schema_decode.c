/* libFuzzer target for every schema decoder entry point. The first byte
 * picks the document type, the second the mode and version limit (bits
 * 0-3) and the form (bit 4: a root array of that type, through
 * hcs_schema_decode_array); the rest is the JSON text. Whatever decodes
 * must encode, and the encoding must decode and encode again to the same
 * bytes. */
#include <hcs/schema.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static hcs_schema_type object_types[HCS_SCHEMA_TYPE_COUNT];
static size_t object_count;

static void list_object_types(void)
{
    for (int i = 0; i < HCS_SCHEMA_TYPE_COUNT; i++)
        if (hcs_schema_type_info((hcs_schema_type)i)->kind == HCS_SCHEMA_TYPE_OBJECT)
            object_types[object_count++] = (hcs_schema_type)i;
}

/* Decodes and encodes; NULL when the text is refused. */
static char *round_trip(hcs_schema_type type, const char *text, size_t len, const hcs_schema_options *opts)
{
    hcs_schema_doc *doc = NULL;
    if (hcs_schema_decode(type, text, len, opts, &doc, NULL) != HCS_OK)
        return NULL;
    char *json = NULL;
    if (hcs_schema_encode(type, hcs_schema_doc_root(doc), opts, &json, NULL) != HCS_OK)
        abort(); /* a decoded document must always encode */
    hcs_schema_doc_free(doc);
    return json;
}

/* The array form: decode_array, then each element encoded and joined as
 * an array; NULL when the text is refused. */
static char *array_round_trip(hcs_schema_type type, const char *text, size_t len, const hcs_schema_options *opts)
{
    hcs_schema_doc *doc = NULL;
    size_t count = 0;
    if (hcs_schema_decode_array(type, text, len, opts, &doc, &count, NULL) != HCS_OK)
        return NULL;
    const char *items = hcs_schema_doc_root(doc);
    if (!items)
        abort(); /* non-NULL also for [] */
    size_t size = hcs_schema_type_info(type)->size, used = 1, cap = 64;
    char *out = malloc(cap);
    if (!out)
        abort();
    out[0] = '[';
    for (size_t i = 0; i < count; i++) {
        char *json = NULL;
        if (hcs_schema_encode(type, items + i * size, opts, &json, NULL) != HCS_OK)
            abort(); /* a decoded element must always encode */
        size_t n = strlen(json);
        while (used + n + 3 > cap)
            cap *= 2;
        if (!(out = realloc(out, cap)))
            abort();
        if (i)
            out[used++] = ',';
        memcpy(out + used, json, n);
        used += n;
        hcs_free(json);
    }
    out[used++] = ']';
    out[used] = '\0';
    hcs_schema_doc_free(doc);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!object_count)
        list_object_types();
    if (size < 2)
        return 0;
    hcs_schema_type type = object_types[data[0] % object_count];
    unsigned minor = (data[1] >> 1) % 8; /* 0: no limit, else 2.0 .. 2.6 */
    hcs_schema_options opts = {data[1] & 1 ? HCS_SCHEMA_STRICT : HCS_SCHEMA_LENIENT,
                               minor ? HCS_SCHEMA_VERSION(2, minor - 1) : 0};
    bool array = data[1] & 0x10;
    char *(*trip)(hcs_schema_type, const char *, size_t, const hcs_schema_options *) =
        array ? array_round_trip : round_trip;
    void (*release)(void *) = array ? free : hcs_free;
    char *once = trip(type, (const char *)data + 2, size - 2, &opts);
    if (!once)
        return 0;
    char *twice = trip(type, once, strlen(once), &opts);
    if (!twice || strcmp(once, twice) != 0)
        abort();
    release(once);
    release(twice);
    return 0;
}
