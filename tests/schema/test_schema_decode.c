/* Decoder and encoder semantics: error paths, strict and lenient modes,
 * unknown fields, nulls, sorted maps, 64-bit exactness, strings, limits. */
#include <hcs/schema.h>

#include "util/utf16.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const hcs_schema_options lenient = {HCS_SCHEMA_LENIENT, 0};
static const hcs_schema_options strict21 = {HCS_SCHEMA_STRICT, HCS_SCHEMA_VERSION(2, 1)};

/* decode + encode; returns the encoding (hcs_free) or NULL with the
 * decoder's message in *why (hcs_free). */
static char *round_trip(hcs_schema_type type, const char *json, const hcs_schema_options *opts, char **why)
{
    hcs_schema_doc *doc = NULL;
    hcs_error err = {0};
    char *out = NULL;
    *why = NULL;
    if (hcs_schema_decode(type, json, strlen(json), opts, &doc, &err) == HCS_OK &&
        hcs_schema_encode(type, hcs_schema_doc_root(doc), opts, &out, &err) == HCS_OK) {
        hcs_schema_doc_free(doc);
        return out;
    }
    hcs_schema_doc_free(doc);
    size_t n = strlen(err.message) + 1;
    *why = malloc(n);
    memcpy(*why, err.message, n);
    hcs_error_clear(&err);
    return NULL;
}

static void assert_round_trip(hcs_schema_type type, const char *json, const hcs_schema_options *opts,
                              const char *expected)
{
    char *why;
    char *out = round_trip(type, json, opts, &why);
    if (!out)
        fail_msg("%s: %s", json, why);
    assert_string_equal(out, expected);
    hcs_free(out);
}

static void assert_refused(hcs_schema_type type, const char *json, const hcs_schema_options *opts,
                           const char *message_part)
{
    char *why;
    char *out = round_trip(type, json, opts, &why);
    if (out)
        fail_msg("%s was accepted as %s", json, out);
    if (!strstr(why, message_part))
        fail_msg("%s: message \"%s\" lacks \"%s\"", json, why, message_part);
    free(why);
}

static void error_names_the_path(void **state)
{
    (void)state;
    assert_refused(HCS_SCHEMA_ComputeSystem,
                   "{\"VirtualMachine\":{\"Devices\":{\"Scsi\":{\"0\":{\"Attachments\":{\"1\":{\"Path\":7}}}}}}}", NULL,
                   "VirtualMachine.Devices.Scsi[\"0\"].Attachments[\"1\"].Path: expected string");
    assert_refused(HCS_SCHEMA_ComputeSystem, "{\"Container\":{\"Storage\":{\"Layers\":[{},{\"Id\":true}]}}}", NULL,
                   "Container.Storage.Layers[1].Id: expected string");
    assert_refused(HCS_SCHEMA_ComputeSystem, "[]", NULL, "(document): expected object");
    assert_refused(HCS_SCHEMA_ComputeSystem, "{\"Owner\":\"a\",}", NULL, "expected string");
    assert_refused(HCS_SCHEMA_ComputeSystem, "{\"Owner\":\"a\"} x", NULL, "text after the document");
    assert_refused(HCS_SCHEMA_ComputeSystem, "{\"Owner\":\"a\",\"Owner\":\"b\"}", NULL, "Owner: duplicate field");
    assert_refused(HCS_SCHEMA_ComputeSystem, "", NULL, "expected object");
    assert_refused(HCS_SCHEMA_ComputeSystem, "{\"VirtualMachine\":{\"StopOnReset\":1}}", NULL,
                   "VirtualMachine.StopOnReset: expected boolean");
}

/* A path too long for the message is cut before a character, never inside
 * one: the message stays valid UTF-8 (keys are the document's text). */
static void long_path_is_cut_on_a_character(void **state)
{
    (void)state;
    char json[1024];
    size_t n = (size_t)snprintf(json, sizeof json, "{\"VirtualMachine\":{\"Devices\":{\"Scsi\":{\"x");
    for (int i = 0; i < 200; i++) /* U+65E5, three bytes: a 384-byte cut falls inside one */
        n += (size_t)snprintf(json + n, sizeof json - n, "\xe6\x97\xa5");
    snprintf(json + n, sizeof json - n, "\":{\"Attachments\":{\"1\":{\"Path\":7}}}}}}}");
    hcs_schema_doc *doc = NULL;
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(hcs_schema_decode(HCS_SCHEMA_ComputeSystem, json, strlen(json), NULL, &doc, &err),
                     HCS_E_INVALID_JSON);
    assert_non_null(strstr(err.message, "VirtualMachine.Devices.Scsi[\"x\xe6\x97\xa5"));
    assert_non_null(strstr(err.message, "..."));
    assert_int_equal(hcs__utf8_valid_prefix(err.message, strlen(err.message)), strlen(err.message));
    hcs_error_clear(&err);
}

static void absent_stays_absent(void **state)
{
    (void)state;
    assert_round_trip(HCS_SCHEMA_ComputeSystem, " { } ", NULL, "{}");
    assert_round_trip(HCS_SCHEMA_ComputeSystem, "{\"Container\":{}}", NULL, "{\"Container\":{}}");
    /* Empty arrays and maps are values, not absences. */
    assert_round_trip(HCS_SCHEMA_Container, "{\"MappedDirectories\":[]}", NULL, "{\"MappedDirectories\":[]}");
    assert_round_trip(HCS_SCHEMA_Devices, "{\"Scsi\":{}}", NULL, "{\"Scsi\":{}}");
    assert_round_trip(HCS_SCHEMA_VirtualMachine_Memory, "{\"AllowOvercommit\":false,\"SizeInMB\":0}", NULL,
                      "{\"SizeInMB\":0,\"AllowOvercommit\":false}");
}

static void unknown_fields_survive(void **state)
{
    (void)state;
    assert_round_trip(HCS_SCHEMA_ComputeSystem,
                      "{\"Owner\":\"o\",\"Future\":{ \"a\" : [1, 2.50, \"x y\", null] },\"Z\":-1e5}", &lenient,
                      "{\"Owner\":\"o\",\"Future\":{\"a\":[1,2.50,\"x y\",null]},\"Z\":-1e5}");
    assert_refused(HCS_SCHEMA_ComputeSystem, "{\"Future\":1}", &strict21, "Future: unknown field");
    /* A null is kept as written in lenient mode, refused in strict mode. */
    assert_round_trip(HCS_SCHEMA_ComputeSystem, "{\"Owner\":null}", NULL, "{\"Owner\":null}");
    assert_refused(HCS_SCHEMA_ComputeSystem, "{\"Owner\":null}", &strict21, "Owner: expected string");
}

static void typed_value_replaces_kept_null(void **state)
{
    (void)state;
    hcs_schema_doc *doc;
    hcs_ComputeSystem *cs;
    const char *json = "{\"Owner\":null}";
    assert_int_equal(hcs_ComputeSystem_decode(json, strlen(json), NULL, &doc, &cs, NULL), HCS_OK);
    cs->Owner = "me";
    char *out;
    assert_int_equal(hcs_ComputeSystem_encode(cs, NULL, &out, NULL), HCS_OK);
    assert_string_equal(out, "{\"Owner\":\"me\"}");
    hcs_free(out);
    hcs_schema_doc_free(doc);
}

static void strict_version_limit(void **state)
{
    (void)state;
    const char *json = "{\"Path\":\"p\",\"SupportCompressedVolumes\":true}";
    assert_refused(HCS_SCHEMA_Attachment, json, &strict21,
                   "SupportCompressedVolumes: needs schema 2.3, newer than 2.1");
    hcs_schema_options strict23 = {HCS_SCHEMA_STRICT, HCS_SCHEMA_VERSION(2, 3)};
    assert_round_trip(HCS_SCHEMA_Attachment, json, &strict23, json);
    assert_round_trip(HCS_SCHEMA_Attachment, json, &lenient, json);
    /* Enum values carry versions too: "All" came with 2.1, "GpuMirror" with 2.2. */
    assert_round_trip(HCS_SCHEMA_CloseHandle, "{\"Handle\":\"All\"}", &strict21, "{\"Handle\":\"All\"}");
    hcs_schema_options strict22 = {HCS_SCHEMA_STRICT, HCS_SCHEMA_VERSION(2, 2)};
    assert_round_trip(HCS_SCHEMA_Device, "{\"Type\":\"GpuMirror\"}", &strict22, "{\"Type\":\"GpuMirror\"}");
    /* hcsshim's Memory.Backing is known (2.1), so strict 2.1 takes it. */
    assert_round_trip(HCS_SCHEMA_VirtualMachine_Memory, "{\"Backing\":\"Hybrid\"}", &strict21,
                      "{\"Backing\":\"Hybrid\"}");
}

static void enums_keep_unknown_strings(void **state)
{
    (void)state;
    hcs_schema_doc *doc;
    hcs_Properties *p;
    const char *json = "{\"State\":\"Frozen\",\"SystemType\":\"Container\"}";
    assert_int_equal(hcs_Properties_decode(json, strlen(json), NULL, &doc, &p, NULL), HCS_OK);
    assert_int_equal(p->State.value, HCS_State_UNLISTED);
    assert_string_equal(p->State.text, "Frozen");
    assert_int_equal(p->SystemType.value, HCS_SystemType_Container);
    assert_string_equal(hcs_schema_enum_string(HCS_SCHEMA_SystemType, p->SystemType.value), "Container");
    hcs_schema_doc_free(doc);
    assert_round_trip(HCS_SCHEMA_Properties, json, NULL, "{\"SystemType\":\"Container\",\"State\":\"Frozen\"}");
    assert_refused(HCS_SCHEMA_Properties, json, &strict21, "State: unknown enum value");
    /* The OpenAPI files spell some "unspecified" values as "". */
    assert_round_trip(HCS_SCHEMA_Layer, "{\"Cache\":\"\"}", &strict21, "{\"Cache\":\"\"}");
}

static void maps_are_sorted(void **state)
{
    (void)state;
    assert_round_trip(HCS_SCHEMA_ProcessParameters, "{\"Environment\":{\"b\":\"2\",\"a\":\"1\",\"B\":\"3\"}}", NULL,
                      "{\"Environment\":{\"B\":\"3\",\"a\":\"1\",\"b\":\"2\"}}");
    assert_refused(HCS_SCHEMA_ProcessParameters, "{\"Environment\":{\"a\":\"1\",\"a\":\"2\"}}", NULL,
                   "Environment[\"a\"]: duplicate key");
}

static void integers_are_exact(void **state)
{
    (void)state;
    assert_round_trip(HCS_SCHEMA_CpuGroupProperty,
                      "{\"PropertyCode\":4294967295,\"PropertyValue\":18446744073709551615}", NULL,
                      "{\"PropertyCode\":4294967295,\"PropertyValue\":18446744073709551615}");
    assert_round_trip(HCS_SCHEMA_Container_Processor, "{\"Weight\":-9223372036854775808,\"Maximum\":9007199254740993}",
                      NULL, "{\"Weight\":-9223372036854775808,\"Maximum\":9007199254740993}");
    assert_round_trip(HCS_SCHEMA_ProcessStatus, "{\"LastWaitResult\":-2147483648,\"ExitCode\":-0}", NULL,
                      "{\"ExitCode\":0,\"LastWaitResult\":-2147483648}");
    assert_refused(HCS_SCHEMA_CpuGroupProperty, "{\"PropertyValue\":18446744073709551616}", NULL,
                   "PropertyValue: integer out of range");
    assert_refused(HCS_SCHEMA_CpuGroupProperty, "{\"PropertyCode\":4294967296}", NULL, "out of range for uint32");
    assert_refused(HCS_SCHEMA_CpuGroupProperty, "{\"PropertyCode\":-1}", NULL, "out of range for uint32");
    assert_refused(HCS_SCHEMA_ProcessStatus, "{\"ExitCode\":1.0}", NULL, "not a fraction or exponent");
    assert_refused(HCS_SCHEMA_ProcessStatus, "{\"ExitCode\":01}", NULL, "ExitCode");
    assert_refused(HCS_SCHEMA_VirtualNodeInfo, "{\"VirtualNodeIndex\":256}", NULL, "out of range for uint8");
}

static void strings_are_checked(void **state)
{
    (void)state;
    hcs_schema_doc *doc;
    hcs_ComputeSystem *cs;
    const char *json = "{\"Owner\":\"\\u00e9\\ud83d\\ude00\\t\\\"\\/\"}";
    assert_int_equal(hcs_ComputeSystem_decode(json, strlen(json), NULL, &doc, &cs, NULL), HCS_OK);
    assert_string_equal(cs->Owner, "\xc3\xa9\xf0\x9f\x98\x80\t\"/");
    hcs_schema_doc_free(doc);
    assert_round_trip(HCS_SCHEMA_ComputeSystem, json, NULL, "{\"Owner\":\"\xc3\xa9\xf0\x9f\x98\x80\\t\\\"/\"}");
    assert_refused(HCS_SCHEMA_ComputeSystem, "{\"Owner\":\"\\u0000\"}", NULL, "invalid escape");
    assert_refused(HCS_SCHEMA_ComputeSystem, "{\"Owner\":\"\\ud800\"}", NULL, "invalid escape");
    assert_refused(HCS_SCHEMA_ComputeSystem, "{\"Owner\":\"\xc3\x28\"}", NULL, "invalid UTF-8");
    assert_refused(HCS_SCHEMA_ComputeSystem, "{\"Owner\":\"\xed\xa0\x80\"}", NULL, "invalid UTF-8");
    assert_refused(HCS_SCHEMA_ComputeSystem, "{\"Owner\":\"a\nb\"}", NULL, "control character");
    assert_refused(HCS_SCHEMA_ComputeSystem, "{\"Owner\":\"abc", NULL, "unterminated string");
}

/* The scanner reads plain text eight bytes at a time: an escape, a quote, a
 * control character or a multi-byte character is found wherever it falls. */
static void strings_at_every_offset(void **state)
{
    (void)state;
    static const struct {
        const char *insert; /* as written in the JSON */
        const char *decoded;
        const char *refused; /* or the problem */
    } specials[] = {
        {"\\\"", "\"", NULL},
        {"\\\\", "\\", NULL},
        {"\\n", "\n", NULL},
        {"\xc3\xa9", "\xc3\xa9", NULL},
        {"\xe2\x82\xac", "\xe2\x82\xac", NULL},
        {"\x7f", "\x7f", NULL},
        {"\x1f", NULL, "control character"},
        {"\xff", NULL, "invalid UTF-8"},
    };
    for (size_t k = 0; k < sizeof specials / sizeof specials[0]; k++) {
        for (size_t at = 0; at < 20; at++) {
            char json[96], want[64];
            snprintf(json, sizeof json, "{\"Owner\":\"%.*s%s%.*s\"}", (int)at, "abcdefghijklmnopqrstuvwxyz",
                     specials[k].insert, (int)(19 - at), "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
            hcs_schema_doc *doc = NULL;
            hcs_ComputeSystem *cs = NULL;
            hcs_error err = {0};
            int32_t hr = hcs_ComputeSystem_decode(json, strlen(json), NULL, &doc, &cs, &err);
            if (specials[k].refused) {
                assert_int_equal(hr, HCS_E_INVALID_JSON);
                if (!strstr(err.message, specials[k].refused))
                    fail_msg("%s: %s", json, err.message);
                hcs_error_clear(&err);
                continue;
            }
            if (hr != HCS_OK)
                fail_msg("%s: %s", json, err.message);
            snprintf(want, sizeof want, "%.*s%s%.*s", (int)at, "abcdefghijklmnopqrstuvwxyz", specials[k].decoded,
                     (int)(19 - at), "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
            assert_string_equal(cs->Owner, want);
            hcs_schema_doc_free(doc);
        }
    }
}

static void nesting_is_bounded(void **state)
{
    (void)state;
    size_t depth = 2000;
    char *json = malloc(depth * 2 + 32);
    strcpy(json, "{\"HostedSystem\":");
    size_t n = strlen(json);
    memset(json + n, '[', depth);
    memset(json + n + depth, ']', depth);
    strcpy(json + n + 2 * depth, "}");
    assert_refused(HCS_SCHEMA_ComputeSystem, json, NULL, "nesting too deep");
    free(json);
}

/* decode_array + encode of each element, joined as an array; NULL with the
 * decoder's message in *why (hcs_free) when refused. */
static char *array_round_trip(hcs_schema_type type, const char *json, const hcs_schema_options *opts, size_t *count,
                              char **why)
{
    hcs_schema_doc *doc = (hcs_schema_doc *)&doc;
    hcs_error err = {0};
    *why = NULL;
    *count = 99;
    if (hcs_schema_decode_array(type, json, strlen(json), opts, &doc, count, &err) != HCS_OK) {
        assert_null(doc);
        assert_int_equal(*count, 0);
        size_t n = strlen(err.message) + 1;
        *why = malloc(n);
        memcpy(*why, err.message, n);
        hcs_error_clear(&err);
        return NULL;
    }
    const hcs_schema_type_desc *t = hcs_schema_type_info(type);
    const char *items = hcs_schema_doc_root(doc);
    assert_non_null(items); /* also for [] */
    size_t cap = 4096, len = 0;
    char *out = malloc(cap);
    out[len++] = '[';
    for (size_t i = 0; i < *count; i++) {
        char *one = NULL;
        assert_int_equal(hcs_schema_encode(type, items + i * t->size, opts, &one, NULL), HCS_OK);
        size_t n = strlen(one);
        assert_true(len + n + 3 < cap);
        if (i)
            out[len++] = ',';
        memcpy(out + len, one, n);
        len += n;
        hcs_free(one);
    }
    out[len++] = ']';
    out[len] = '\0';
    hcs_schema_doc_free(doc);
    return out;
}

/* A root array of documents (HcsEnumerateComputeSystems' answer): each
 * element decodes as its type would alone; the paths start with the index. */
static void arrays_at_the_root(void **state)
{
    (void)state;
    size_t count;
    char *why;
    char *out =
        array_round_trip(HCS_SCHEMA_Properties,
                         " [ {\"Id\":\"a\",\"State\":\"Running\"} , {\"Owner\":\"o\",\"Id\":\"b\",\"Future\":[1]} ] ",
                         NULL, &count, &why);
    assert_non_null(out);
    assert_int_equal(count, 2);
    assert_string_equal(out, "[{\"Id\":\"a\",\"State\":\"Running\"},{\"Id\":\"b\",\"Owner\":\"o\",\"Future\":[1]}]");
    free(out);

    /* The structs lie one after the other, typed. */
    hcs_schema_doc *doc;
    const char *two = "[{\"Id\":\"x\",\"State\":\"Stopped\",\"Stopped\":true},{\"Id\":\"y\"}]";
    assert_int_equal(hcs_schema_decode_array(HCS_SCHEMA_Properties, two, strlen(two), NULL, &doc, &count, NULL),
                     HCS_OK);
    const hcs_Properties *items = hcs_schema_doc_root(doc);
    assert_int_equal(count, 2);
    assert_string_equal(items[0].Id, "x");
    assert_int_equal(items[0].State.value, HCS_State_Stopped);
    assert_true(items[0].has_Stopped && items[0].Stopped);
    assert_string_equal(items[1].Id, "y");
    assert_false(items[1].has_State);
    hcs_schema_doc_free(doc);

    /* [] is an empty list: a document with no element. */
    out = array_round_trip(HCS_SCHEMA_Properties, "[]", NULL, &count, &why);
    assert_string_equal(out, "[]");
    assert_int_equal(count, 0);
    free(out);
    out = array_round_trip(HCS_SCHEMA_Properties, "\n[ ]\t", &strict21, &count, &why);
    assert_string_equal(out, "[]");
    free(out);

    static const struct {
        const char *json;
        const hcs_schema_options *opts;
        const char *message;
    } refused[] = {
        {"[{},{},{},{\"State\":5}]", NULL, "array of Properties: [3].State: expected string"},
        {"[{\"Statistics\":{\"Processor\":{\"TotalRuntime100ns\":-1}}}]", NULL,
         "[0].Statistics.Processor.TotalRuntime100ns: integer out of range for uint64"},
        {"[{\"Future\":1}]", &strict21, "[0].Future: unknown field"},
        {"[1]", NULL, "[0]: expected object"},
        {"[{},]", NULL, "[1]: expected object"},
        {"[{}", NULL, "(document): expected ',' or ']'"},
        {"[{}] []", NULL, "(document): text after the document"},
        {"{}", NULL, "(document): expected array"},
        {"", NULL, "(document): expected array"},
        {"[{\"Id\":\"a\",\"Id\":\"b\"}]", NULL, "[0].Id: duplicate field"},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        out = array_round_trip(HCS_SCHEMA_Properties, refused[i].json, refused[i].opts, &count, &why);
        if (out)
            fail_msg("%s was accepted as %s", refused[i].json, out);
        if (!strstr(why, refused[i].message))
            fail_msg("%s: message \"%s\" lacks \"%s\"", refused[i].json, why, refused[i].message);
        free(why);
    }
    /* Only object types have documents. */
    hcs_error err = {0};
    assert_int_equal(hcs_schema_decode_array(HCS_SCHEMA_State, "[]", 2, NULL, &doc, &count, &err),
                     HCS_COM_E_INVALIDARG);
    assert_string_equal(err.call, "hcs_schema_decode_array");
    hcs_error_clear(&err);
}

static void encode_refuses_invalid_values(void **state)
{
    (void)state;
    char *out = NULL;
    hcs_error err = {0};
    hcs_ComputeSystem cs = {.Owner = "\xff"};
    assert_int_equal(hcs_ComputeSystem_encode(&cs, NULL, &out, &err), HCS_COM_E_INVALIDARG);
    assert_non_null(strstr(err.message, "Owner: invalid UTF-8"));
    assert_null(out);
    hcs_ComputeSystem bad_any = {.HostedSystem = "{\"a\":}"};
    assert_int_equal(hcs_ComputeSystem_encode(&bad_any, NULL, &out, &err), HCS_COM_E_INVALIDARG);
    assert_non_null(strstr(err.message, "HostedSystem"));
    hcs_Attachment no_text = {.has_Type = true, .Type = {0, NULL}};
    assert_int_equal(hcs_Attachment_encode(&no_text, NULL, &out, &err), HCS_COM_E_INVALIDARG);
    assert_non_null(strstr(err.message, "Type: missing string"));
    hcs_map_string env[] = {{"x", "1"}, {"x", "2"}};
    hcs_ProcessParameters dup = {.Environment = env, .Environment_count = 2};
    assert_int_equal(hcs_ProcessParameters_encode(&dup, NULL, &out, &err), HCS_COM_E_INVALIDARG);
    assert_non_null(strstr(err.message, "duplicate key"));
    hcs_Attachment newer = {.has_SupportEncryptedFiles = true, .SupportEncryptedFiles = true};
    assert_int_equal(hcs_Attachment_encode(&newer, &strict21, &out, &err), HCS_COM_E_INVALIDARG);
    assert_non_null(strstr(err.message, "needs schema 2.6"));
    hcs_error_clear(&err);
}

static void reflection(void **state)
{
    (void)state;
    int t = hcs_schema_type_by_name("VirtualMachine_Memory");
    assert_int_equal(t, HCS_SCHEMA_VirtualMachine_Memory);
    assert_int_equal(hcs_schema_type_by_name("NoSuchType"), -1);
    const hcs_schema_type_desc *d = hcs_schema_type_info(HCS_SCHEMA_VirtualMachine_Memory);
    assert_string_equal(d->name, "VirtualMachine_Memory");
    bool found = false;
    for (size_t i = 0; i < d->count; i++)
        if (strcmp(d->fields[i].name, "Backing") == 0)
            found = (d->fields[i].flags & HCS_SCHEMA_FIELD_HCSSHIM) != 0;
    assert_true(found);
    assert_null(hcs_schema_type_info(HCS_SCHEMA_TYPE_COUNT));
    assert_null(hcs_schema_enum_string(HCS_SCHEMA_State, 0));
    assert_null(hcs_schema_doc_new(HCS_SCHEMA_State)); /* enums are no documents */
}

/* Programs compile type numbers in: those of 1.0 never change, new types
 * take the next ones (schema/type-ids.txt), and every type is still found
 * by its name although the numbers are no longer in name order. */
static void type_numbers_are_stable(void **state)
{
    (void)state;
    assert_int_equal(HCS_SCHEMA_ComputeSystem, 13);
    assert_int_equal(HCS_SCHEMA_Container, 18);
    assert_int_equal(HCS_SCHEMA_ProcessParameters, 161);
    assert_int_equal(HCS_SCHEMA_SystemType, 226);
    assert_int_equal(HCS_SCHEMA_VirtualMachine, 242);
    assert_int_equal(HCS_SCHEMA_WorkerExitType, 263); /* 1.0's last */
    assert_true(HCS_SCHEMA_MigrationInitializeOptions >= 264);
    for (int t = 0; t < HCS_SCHEMA_TYPE_COUNT; t++)
        assert_int_equal(hcs_schema_type_by_name(hcs_schema_type_info((hcs_schema_type)t)->name), t);
    assert_int_equal(hcs_schema_type_by_name("A"), -1);
    assert_int_equal(hcs_schema_type_by_name("ZZZ"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(error_names_the_path),
        cmocka_unit_test(type_numbers_are_stable),
        cmocka_unit_test(long_path_is_cut_on_a_character),
        cmocka_unit_test(absent_stays_absent),
        cmocka_unit_test(unknown_fields_survive),
        cmocka_unit_test(typed_value_replaces_kept_null),
        cmocka_unit_test(strict_version_limit),
        cmocka_unit_test(enums_keep_unknown_strings),
        cmocka_unit_test(maps_are_sorted),
        cmocka_unit_test(integers_are_exact),
        cmocka_unit_test(strings_are_checked),
        cmocka_unit_test(strings_at_every_offset),
        cmocka_unit_test(nesting_is_bounded),
        cmocka_unit_test(arrays_at_the_root),
        cmocka_unit_test(encode_refuses_invalid_values),
        cmocka_unit_test(reflection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
