/* Round trips: a generated instance of every schema type, and the JSON
 * documents of the HCS documentation (tests/schema/fixtures). */
#include "canonical.h"
#include "schema_fixtures.h"

#include <hcs/schema.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

/* ---- a generated instance of a type ------------------------------------- */

/* Nesting of objects filled in; deeper objects are present but empty, which
 * stops the recursive types (ObjectDirectory, RegistryMakeKey). */
#define FILL_DEPTH 4

static void fill_object(hcs_schema_doc *doc, const hcs_schema_type_desc *t, char *obj, int depth);

/* Fill only what strict mode accepts: no unknown fields or enum strings. */
static bool strict_fill;

static const char *const sample_strings[] = {
    "plain",
    "quote \" backslash \\ slash / tab \t newline \n",
    "caf\xc3\xa9 \xe2\x98\x83 \xf0\x9f\x98\x80",
    "c:\\HCS_Test\\utilityvm.vhdx",
    "\x01 control",
};

static void fill_int(uint8_t kind, void *v, size_t salt)
{
    /* The extremes jansson can read back, so the comparison can canonicalise. */
    switch (kind) {
    case HCS_SCHEMA_KIND_INT32:
        *(int32_t *)v = salt % 2 ? INT32_MIN : INT32_MAX;
        break;
    case HCS_SCHEMA_KIND_INT64:
        *(int64_t *)v = salt % 2 ? INT64_MIN : INT64_MAX;
        break;
    case HCS_SCHEMA_KIND_UINT8:
        *(uint8_t *)v = UINT8_MAX;
        break;
    case HCS_SCHEMA_KIND_UINT16:
        *(uint16_t *)v = UINT16_MAX;
        break;
    case HCS_SCHEMA_KIND_UINT32:
        *(uint32_t *)v = UINT32_MAX;
        break;
    default:
        *(uint64_t *)v = salt % 2 ? (uint64_t)INT64_MAX : 9007199254740993u;
        break;
    }
}

static void fill_value(hcs_schema_doc *doc, const hcs_schema_field *f, char *v, bool by_pointer, int depth, size_t salt)
{
    const hcs_schema_type_desc *ref = hcs_schema_type_info((hcs_schema_type)f->ref);
    switch (f->kind) {
    case HCS_SCHEMA_KIND_BOOL:
        *(bool *)v = salt % 2 == 0;
        break;
    case HCS_SCHEMA_KIND_STRING:
        *(const char **)v = sample_strings[salt % (sizeof sample_strings / sizeof *sample_strings)];
        break;
    case HCS_SCHEMA_KIND_ANY:
        *(const char **)v = salt % 2 ? "{\"k\": [1, 2.5, null, true, \"x\"]}" : "42";
        break;
    case HCS_SCHEMA_KIND_ENUM:
        /* Alternately the newest known value and one this schema lacks. */
        if (salt % 3 == 2 && !strict_fill)
            *(hcs_enum *)v = (hcs_enum){0, "NotInTheSchema"};
        else
            *(hcs_enum *)v = (hcs_enum){(int32_t)ref->count, NULL};
        break;
    case HCS_SCHEMA_KIND_OBJECT:
        if (by_pointer) {
            char *obj = hcs_schema_alloc(doc, ref->size);
            assert_non_null(obj);
            *(char **)v = obj;
            v = obj;
        }
        if (depth < FILL_DEPTH)
            fill_object(doc, ref, v, depth + 1);
        break;
    default:
        fill_int(f->kind, v, salt);
        break;
    }
}

static void fill_field(hcs_schema_doc *doc, const hcs_schema_field *f, char *obj, int depth, size_t salt)
{
    if (f->shape == HCS_SCHEMA_SHAPE_ONE) {
        fill_value(doc, f, obj + f->offset, true, depth, salt);
        if (f->kind != HCS_SCHEMA_KIND_STRING && f->kind != HCS_SCHEMA_KIND_ANY && f->kind != HCS_SCHEMA_KIND_OBJECT)
            *(bool *)(obj + f->aux_offset) = true;
        return;
    }
    /* Two elements, or two map entries given out of key order. */
    size_t n = depth < FILL_DEPTH ? 2 : 0;
    char *items = hcs_schema_alloc(doc, n * f->elem_size);
    assert_non_null(items);
    static const char *const keys[] = {"b \xc3\xa9", "a\"0"};
    for (size_t i = 0; i < n; i++) {
        char *item = items + i * f->elem_size;
        if (f->shape == HCS_SCHEMA_SHAPE_MAP) {
            *(const char **)item = keys[i];
            item += f->value_offset;
        }
        fill_value(doc, f, item, false, depth, salt + i);
    }
    *(char **)(obj + f->offset) = items;
    *(size_t *)(obj + f->aux_offset) = n;
}

static void fill_object(hcs_schema_doc *doc, const hcs_schema_type_desc *t, char *obj, int depth)
{
    for (size_t i = 0; i < t->count; i++)
        fill_field(doc, &t->fields[i], obj, depth, i + (size_t)depth);
    if (strict_fill)
        return;
    static hcs_unknown_field extra[] = {{"x-future", "[1, {\"a\": \"b\"}, -0.5e3]"}};
    ((hcs_unknown_fields *)obj)->items = extra;
    ((hcs_unknown_fields *)obj)->count = 1;
}

/* ---- checks ------------------------------------------------------------- */

static void assert_same_document(const char *a, const char *b)
{
    char *ca = canonical_json(a, strlen(a)), *cb = canonical_json(b, strlen(b));
    assert_non_null(ca);
    assert_non_null(cb);
    assert_string_equal(ca, cb);
    free(ca);
    free(cb);
}

/* decode(text) then encode: returns the new text (hcs_free). */
static char *reencode(hcs_schema_type type, const char *text, size_t len, const hcs_schema_options *opts)
{
    hcs_schema_doc *doc = NULL;
    hcs_error err = {0};
    int32_t hr = hcs_schema_decode(type, text, len, opts, &doc, &err);
    if (hr != HCS_OK)
        fail_msg("%s", err.message);
    char *out = NULL;
    hr = hcs_schema_encode(type, hcs_schema_doc_root(doc), opts, &out, &err);
    if (hr != HCS_OK)
        fail_msg("%s", err.message);
    hcs_schema_doc_free(doc);
    return out;
}

/* Fills an instance of every object type, then struct -> JSON -> struct ->
 * JSON must give the same bytes, which jansson reads as the same document. */
static void round_trip_every_type(const hcs_schema_options *opts)
{
    size_t objects = 0;
    for (int i = 0; i < HCS_SCHEMA_TYPE_COUNT; i++) {
        const hcs_schema_type_desc *t = hcs_schema_type_info((hcs_schema_type)i);
        if (t->kind != HCS_SCHEMA_TYPE_OBJECT)
            continue;
        objects++;
        hcs_schema_doc *doc = hcs_schema_doc_new((hcs_schema_type)i);
        assert_non_null(doc);
        fill_object(doc, t, hcs_schema_doc_root(doc), 0);
        char *first = NULL;
        hcs_error err = {0};
        if (hcs_schema_encode((hcs_schema_type)i, hcs_schema_doc_root(doc), opts, &first, &err) != HCS_OK)
            fail_msg("%s: %s", t->name, err.message);
        char *second = reencode((hcs_schema_type)i, first, strlen(first), opts);
        assert_string_equal(first, second);
        assert_same_document(first, second);
        if (!strict_fill)
            assert_non_null(strstr(first, "\"x-future\":[1,{\"a\":\"b\"},-0.5e3]"));
        hcs_free(first);
        hcs_free(second);
        hcs_schema_doc_free(doc);
    }
    assert_true(objects > 150);
}

static void every_type_round_trips(void **state)
{
    (void)state;
    strict_fill = false;
    round_trip_every_type(NULL);
}

static void every_type_passes_strict_mode(void **state)
{
    (void)state;
    hcs_schema_options strict = {HCS_SCHEMA_STRICT, 0};
    strict_fill = true;
    round_trip_every_type(&strict);
    strict_fill = false;
}

static void documentation_samples_round_trip(void **state)
{
    (void)state;
    assert_true(schema_fixture_count >= 20);
    for (size_t i = 0; i < schema_fixture_count; i++) {
        const schema_fixture *fx = &schema_fixtures[i];
        char type_name[64];
        size_t n = strcspn(fx->name, ".");
        assert_true(n < sizeof type_name);
        memcpy(type_name, fx->name, n);
        type_name[n] = '\0';
        int type = hcs_schema_type_by_name(type_name);
        if (type < 0)
            fail_msg("%s: no schema type %s", fx->name, type_name);
        char *once = reencode((hcs_schema_type)type, fx->text, fx->len, NULL);
        char *twice = reencode((hcs_schema_type)type, once, strlen(once), NULL);
        char *original = canonical_json(fx->text, fx->len), *ours = canonical_json(once, strlen(once));
        assert_non_null(original);
        assert_non_null(ours);
        if (strcmp(original, ours) != 0)
            fail_msg("%s:\n  given   %s\n  encoded %s", fx->name, original, ours);
        assert_string_equal(once, twice);
        free(original);
        free(ours);
        hcs_free(once);
        hcs_free(twice);
    }
}

static void tutorial_vm_is_typed(void **state)
{
    (void)state;
    const schema_fixture *fx = NULL;
    for (size_t i = 0; i < schema_fixture_count; i++)
        if (strcmp(schema_fixtures[i].name, "ComputeSystem.tutorial_vm.json") == 0)
            fx = &schema_fixtures[i];
    assert_non_null(fx);
    hcs_schema_doc *doc;
    hcs_ComputeSystem *cs;
    hcs_schema_options strict = {HCS_SCHEMA_STRICT, HCS_SCHEMA_VERSION(2, 1)};
    assert_int_equal(hcs_ComputeSystem_decode(fx->text, fx->len, &strict, &doc, &cs, NULL), HCS_OK);
    assert_string_equal(cs->Owner, "Sample");
    assert_true(cs->has_ShouldTerminateOnLastHandleClosed && cs->ShouldTerminateOnLastHandleClosed);
    hcs_VirtualMachine_Memory *mem = cs->VirtualMachine->ComputeTopology->Memory;
    assert_int_equal(mem->SizeInMB, 2048);
    assert_int_equal(mem->Backing.value, HCS_MemoryBackingType_Virtual);
    assert_int_equal(cs->VirtualMachine->Devices->Scsi_count, 1);
    hcs_Scsi_entry *disk = &cs->VirtualMachine->Devices->Scsi[0];
    assert_string_equal(disk->key, "Primary disk");
    assert_string_equal(disk->value.Attachments[0].key, "0");
    assert_string_equal(disk->value.Attachments[0].value.Path, "c:\\HCS_Test\\utilityvm.vhdx");
    assert_int_equal(disk->value.Attachments[0].value.Type.value, HCS_AttachmentType_VirtualDisk);
    assert_null(cs->Container);
    assert_false(cs->VirtualMachine->has_StopOnReset);
    hcs_schema_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_type_round_trips),
        cmocka_unit_test(every_type_passes_strict_mode),
        cmocka_unit_test(documentation_samples_round_trip),
        cmocka_unit_test(tutorial_vm_is_typed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
