/* The service functions (hcs/service.h) over hcssim, run once per emulated
 * Windows build (HCSSIM_PROFILE): properties, schema versions, settings,
 * HCS's ResultError on refusal and a provider without the exports. */
#include "lib_helpers.h"

#define FIXTURE(name) HCSKIT_FIXTURE_DIR name HCSKIT_MODULE_SUFFIX

#define BAD_GROUP                                                                                                      \
    "{\"PropertyType\":\"CpuGroup\",\"Settings\":{\"Operation\":\"CreateGroup\",\"OperationDetails\":{\"GroupId\":"    \
    "\"GUID\"}}}"
#define GOOD_GROUP                                                                                                     \
    "{\"PropertyType\":\"CpuGroup\",\"Settings\":{\"Operation\":\"CreateGroup\",\"OperationDetails\":{\"GroupId\":"    \
    "\"a2d4e7f0-1b3c-4d5e-8f90-123456789abc\",\"LogicalProcessorCount\":1,\"LogicalProcessors\":[0]}}}"

/* The newest schema minor version of the emulated build. */
static uint32_t newest_minor(void)
{
    static const struct {
        const char *name;
        uint32_t minor;
    } builds[] = {{"1809", 1}, {"1903", 2}, {"2004", 3}, {"2104", 5}, {"21H2", 6}, {"24H2", 6}};
    const char *p = getenv("HCSSIM_PROFILE");
    for (size_t i = 0; p && p[0] && i < sizeof builds / sizeof builds[0]; i++)
        if (strcmp(builds[i].name, p) == 0)
            return builds[i].minor;
    assert_true(!p || !p[0]); /* an unknown profile would not have started */
    return 6;
}

static void properties(void **state)
{
    (void)state;
    char *doc = NULL;
    assert_int_equal(
        hcs_service_properties_json(client, "{\"PropertyTypes\":[\"Basic\",\"QoSCapabilities\"]}", &doc, NULL), HCS_OK);
    assert_non_null(strstr(doc, "\"SupportedSchemaVersions\""));
    assert_non_null(strstr(doc, "\"ProcessorQoSSupported\""));
    hcs_free(doc);
}

/* Typed: one raw answer per requested type, in order, each decoding as its
 * type (hcs-api §2.4: Basic is a BasicInformation). */
static void typed_properties(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("the Windows build it emulates (HCSSIM_PROFILE)");
    hcs_schema_doc *doc = NULL;
    hcs_ServiceProperties *props = NULL;
    assert_int_equal(
        hcs_service_properties(client, "{\"PropertyTypes\":[\"Basic\",\"QoSCapabilities\"]}", &doc, &props, NULL),
        HCS_OK);
    assert_int_equal(props->Properties_count, 2);
    hcs_schema_doc *basic_doc = NULL;
    hcs_BasicInformation *basic = NULL;
    const char *first = props->Properties[0];
    assert_int_equal(hcs_BasicInformation_decode(first, strlen(first), NULL, &basic_doc, &basic, NULL), HCS_OK);
    assert_int_equal(basic->SupportedSchemaVersions_count, newest_minor() + 1);
    assert_int_equal(basic->SupportedSchemaVersions[0].Major, 2);
    assert_int_equal(basic->SupportedSchemaVersions[0].Minor, 0);
    hcs_schema_doc_free(basic_doc);
    assert_non_null(strstr(props->Properties[1], "\"ProcessorQoSSupported\""));
    hcs_schema_doc_free(doc);

    /* A refusal: nothing typed, HCS's ResultError in err. */
    hcs_error err = {0};
    doc = (hcs_schema_doc *)&doc;
    assert_int_equal(hcs_service_properties(client, "{\"PropertyTypes\":[\"Nope\"]}", &doc, &props, &err),
                     HCS_E_INVALID_JSON);
    assert_null(doc);
    assert_null(props);
    assert_string_equal(err.call, "HcsGetServiceProperties");
    assert_non_null(err.result);
    hcs_error_clear(&err);
}

/* "Memory" is a property type of the builds before 2104 only. */
static void properties_per_build(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("the Windows build it emulates (HCSSIM_PROFILE)");
    char *doc = NULL;
    hcs_error err = {0};
    int32_t hr = hcs_service_properties_json(client, "{\"PropertyTypes\":[\"Memory\"]}", &doc, &err);
    assert_int_equal(hr, newest_minor() < 5 ? HCS_OK : HCS_E_INVALID_JSON);
    hcs_free(doc);
    hcs_error_clear(&err);
}

/* A refusal carries HCS's ResultError, parsed. */
static void properties_refused(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its error wording");
    char *doc = &(char){0};
    hcs_error err = {0};
    assert_int_equal(hcs_service_properties_json(client, "{\"PropertyTypes\":[\"Nope\"]}", &doc, &err),
                     HCS_E_INVALID_JSON);
    assert_null(doc);
    assert_string_equal(err.call, "HcsGetServiceProperties");
    assert_non_null(err.result);
    assert_int_equal(err.result->error, HCS_E_INVALID_JSON);
    assert_int_equal(err.result->event_count, 1);
    assert_non_null(strstr(err.result->events[0].message, "PropertyTypes[0]"));
    assert_int_equal(hcs_service_properties_json(client, "{\"PropertyTypes\":[\"\xff\"]}", &doc, &err),
                     HCS_WIN32_E_NO_UNICODE_TRANSLATION);
    assert_int_equal(hcs_service_properties_json(client, NULL, NULL, &err), HCS_COM_E_POINTER);
    hcs_error_clear(&err);
}

/* 2.0 up to the build's newest, oldest first. */
static void schema_versions(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("the Windows build it emulates (HCSSIM_PROFILE)");
    size_t count = 0;
    assert_int_equal(hcs_service_schema_versions(client, NULL, 0, &count, NULL), HCS_OK);
    assert_int_equal(count, newest_minor() + 1);
    hcs_schema_version v[16];
    memset(v, 0xff, sizeof v);
    assert_int_equal(hcs_service_schema_versions(client, v, 16, &count, NULL), HCS_OK);
    for (size_t i = 0; i < count; i++) {
        assert_int_equal(v[i].major, 2);
        assert_int_equal(v[i].minor, i);
    }
    assert_int_equal(hcs_service_schema_versions(client, v, 1, &count, NULL), HCS_OK);
    assert_int_equal(count, newest_minor() + 1); /* all of them counted, one copied */
    hcs_error err = {0};
    assert_int_equal(hcs_service_schema_versions(client, NULL, 1, &count, &err), HCS_COM_E_POINTER);
    assert_int_equal(hcs_service_schema_versions(client, v, 1, NULL, &err), HCS_COM_E_POINTER);
    hcs_error_clear(&err);
}

/* The ServiceSample's request, whose GroupId is a placeholder. */
static void modify_refused(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its error wording");
    hcs_error err = {0};
    assert_int_equal(hcs_service_modify(client, BAD_GROUP, &err), HCS_COM_E_INVALIDARG);
    assert_int_equal(err.kind, HCS_ERROR_INVALID_ARGUMENT);
    assert_non_null(err.document);
    assert_non_null(err.result);
    assert_true(err.result->has_error);
    assert_int_equal(err.result->error, HCS_COM_E_INVALIDARG);
    assert_int_equal(err.result->event_count, 1);
    assert_non_null(strstr(err.result->events[0].message, "GroupId"));
    assert_non_null(strstr(err.message, "GroupId"));
    assert_int_equal(hcs_service_modify(client, "{}", &err), HCS_E_INVALID_JSON);
    assert_int_equal(hcs_service_modify(client, NULL, &err), HCS_COM_E_INVALIDARG);
    hcs_error_clear(&err);
}

static void modify(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("a host change: it would create a CPU group");
    hcs_error err = {.hr = 1};
    assert_int_equal(hcs_service_modify(client, GOOD_GROUP, &err), HCS_OK);
    assert_int_equal(err.hr, HCS_OK);
}

static void stale_client(void **state)
{
    (void)state;
    hcs_client stale = {12345};
    char *doc = NULL;
    size_t count = 1;
    hcs_error err = {0};
    assert_int_equal(hcs_service_properties_json(stale, NULL, &doc, &err), HCS_WIN32_E_INVALID_HANDLE);
    assert_int_equal(hcs_service_schema_versions(stale, NULL, 0, &count, &err), HCS_WIN32_E_INVALID_HANDLE);
    assert_int_equal(count, 0);
    assert_int_equal(hcs_service_modify(stale, GOOD_GROUP, &err), HCS_WIN32_E_INVALID_HANDLE);
    assert_int_equal(err.kind, HCS_ERROR_INVALID_HANDLE);
    hcs_error_clear(&err);
}

/* A provider without the service exports fails only these calls. */
static void missing_exports(void **state)
{
    (void)state;
    hcs_client_options opts = {.provider = FIXTURE("provider_partial")};
    hcs_client partial;
    assert_int_equal(hcs_client_open(&opts, &partial, NULL), HCS_OK);
    char *doc = NULL;
    size_t count = 0;
    hcs_error err = {0};
    assert_int_equal(hcs_service_properties_json(partial, NULL, &doc, &err), HCS_WIN32_E_PROC_NOT_FOUND);
    assert_non_null(strstr(err.message, "HcsGetServiceProperties"));
    assert_int_equal(hcs_service_schema_versions(partial, NULL, 0, &count, &err), HCS_WIN32_E_PROC_NOT_FOUND);
    assert_int_equal(hcs_service_modify(partial, GOOD_GROUP, &err), HCS_WIN32_E_PROC_NOT_FOUND);
    assert_non_null(strstr(err.message, "HcsModifyServiceSettings"));
    assert_null(hcs_client_raw_function(partial, "HcsModifyServiceSettings"));
    hcs_error_clear(&err);
    hcs_client_close(partial);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(properties),      cmocka_unit_test(properties_per_build), cmocka_unit_test(properties_refused),
        cmocka_unit_test(schema_versions), cmocka_unit_test(modify_refused),       cmocka_unit_test(modify),
        cmocka_unit_test(stale_client),    cmocka_unit_test(missing_exports),      cmocka_unit_test(typed_properties),
    };
    return cmocka_run_group_tests(tests, open_client, close_client);
}
