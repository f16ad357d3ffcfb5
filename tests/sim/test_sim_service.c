/* hcssim conformance: host service functions, VM utilities and build
 * profiles (hcs-api §2.4, §2.5, §11 #49-#52). */
#include "sim_helpers.h"

/* The profile this process emulates (the test is run once per profile). */
static const char *profile(void)
{
    const char *p = getenv("HCSSIM_PROFILE");
    return p && p[0] ? p : "21H2";
}

static int expected_max_minor(void)
{
    static const struct {
        const char *name;
        int minor;
    } table[] = {{"1809", 1}, {"1903", 2}, {"2004", 3}, {"2104", 5}, {"21H2", 6}, {"24H2", 6}};
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(table[i].name, profile()) == 0)
            return table[i].minor;
    fail_msg("unexpected HCSSIM_PROFILE %s", profile());
    return -1;
}

/* hcs-api §11 #49: Basic lists the schema versions of the emulated build */
static void supported_schema_versions(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("the Windows build it emulates (HCSSIM_PROFILE)");
    PWSTR result = NULL;
    assert_int_equal(HcsGetServiceProperties(W("{\"PropertyTypes\":[\"Basic\"]}"), &result), S_OK);
    char *text = narrow(result);
    LocalFree(result);
    char newest[40], beyond[40];
    snprintf(newest, sizeof newest, "{\"Major\":2,\"Minor\":%d}", expected_max_minor());
    snprintf(beyond, sizeof beyond, "{\"Major\":2,\"Minor\":%d}", expected_max_minor() + 1);
    assert_non_null(strstr(text, "\"SupportedSchemaVersions\""));
    assert_non_null(strstr(text, newest));
    assert_null(strstr(text, beyond));
    free(text);
    assert_int_equal(HcsGetServiceProperties(W("{\"PropertyTypes\":[\"Nope\"]}"), &result), HCS_E_INVALID_JSON);
    text = narrow(result);
    assert_non_null(strstr(text, "PropertyTypes[0]"));
    free(text);
    LocalFree(result);
    assert_int_equal(HcsGetServiceProperties(NULL, NULL), E_POINTER);
}

/* hcs-api §11 #50: an invalid modification fails with a ResultError */
static void modify_service_settings(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("a host change: it would create a CPU group");
    PWSTR result = NULL;
    PCWSTR bad = W("{\"PropertyType\":\"CpuGroup\",\"Settings\":{\"Operation\":\"CreateGroup\","
                   "\"OperationDetails\":{\"GroupId\":\"GUID\",\"LogicalProcessorCount\":2}}}");
    assert_true(FAILED(HcsModifyServiceSettings(bad, &result)));
    assert_non_null(result);
    char *text = narrow(result);
    assert_non_null(strstr(text, "GroupId"));
    free(text);
    LocalFree(result);
    result = NULL;
    PCWSTR good = W("{\"PropertyType\":\"CpuGroup\",\"Settings\":{\"Operation\":\"CreateGroup\","
                    "\"OperationDetails\":{\"GroupId\":\"a5a7c2e0-6b1e-4c1d-9c55-3a9a4b3c2d10\","
                    "\"LogicalProcessorCount\":2}}}");
    assert_int_equal(HcsModifyServiceSettings(good, &result), S_OK);
    assert_null(result);
    assert_int_equal(HcsModifyServiceSettings(NULL, NULL), E_INVALIDARG);
}

/* HcsModifyServiceSettings with one CpuGroup request (UTF-8); returns its
 * HRESULT and, in *result, the ResultError (ASCII) */
static HRESULT cpu_group(const char *operation, const char *details, char **result)
{
    char text[512];
    snprintf(text, sizeof text,
             "{\"PropertyType\":\"CpuGroup\",\"Settings\":{\"Operation\":\"%s\",\"OperationDetails\":%s}}", operation,
             details);
    WCHAR *settings = widen(text);
    PWSTR out = NULL;
    HRESULT hr = HcsModifyServiceSettings(settings, &out);
    free(settings);
    if (result)
        *result = narrow(out);
    if (out)
        LocalFree(out);
    return hr;
}

/* The service property `type` (ASCII). */
static char *service_property(const char *type)
{
    char text[96];
    snprintf(text, sizeof text, "{\"PropertyTypes\":[\"%s\"]}", type);
    WCHAR *query = widen(text);
    PWSTR out = NULL;
    assert_int_equal(HcsGetServiceProperties(query, &out), S_OK);
    free(query);
    char *doc = narrow(out);
    LocalFree(out);
    return doc;
}

#define GROUP "\"0a1b2c3d-0000-4000-8000-00000000cafe\""
#define GROUP_UPPER "\"0A1B2C3D-0000-4000-8000-00000000CAFE\""

/* hcs-api §8.11: CPU groups made with HcsModifyServiceSettings are host
 * state, listed by the CpuGroup service property (HypervisorGroupId from
 * 2104, schema 2.5) and deleted again; a second group of one id is
 * ERROR_ALREADY_EXISTS, an unknown id ERROR_NOT_FOUND, processors the host
 * lacks or named twice E_INVALIDARG, each with a ResultError (inferred
 * codes); ids compare without regard to case (hcsshim sends upper case) */
static void cpu_groups_are_listed_and_deleted(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its CPU-group host state (a host change: it creates CPU groups)");
    char *doc = service_property("CpuGroup");
    assert_non_null(strstr(doc, "{\"Properties\":[{\"CpuGroups\":["));
    assert_null(strstr(doc, GROUP));
    free(doc);
    assert_int_equal(cpu_group("CreateGroup",
                               "{\"GroupId\":" GROUP ",\"LogicalProcessorCount\":2,"
                               "\"LogicalProcessors\":[2,3]}",
                               NULL),
                     S_OK);
    doc = service_property("CpuGroup");
    assert_non_null(strstr(doc, "\"GroupId\":" GROUP));
    assert_non_null(strstr(doc, "\"Affinity\":{\"LogicalProcessorCount\":2,\"LogicalProcessors\":[2,3]}"));
    assert_int_equal(strstr(doc, "\"HypervisorGroupId\":") != NULL, expected_max_minor() >= 5);
    free(doc);
    char *error = NULL;
    assert_int_equal(cpu_group("CreateGroup", "{\"GroupId\":" GROUP_UPPER ",\"LogicalProcessors\":[0]}", &error),
                     (HRESULT)0x800700B7);
    assert_non_null(strstr(error, "already exists"));
    free(error);
    assert_int_equal(
        cpu_group("SetProperty", "{\"GroupId\":" GROUP ",\"PropertyCode\":65536,\"PropertyValue\":50}", NULL), S_OK);
    doc = service_property("CpuGroup");
    assert_non_null(strstr(doc, "\"GroupProperties\":[{\"PropertyCode\":65536,\"PropertyValue\":50}]"));
    free(doc);
    static const char *const bad_processors[] = {
        "[16]",      /* the host has 0 to 15 */
        "[1,1]",     /* twice */
        "[]",        /* none */
        "[\"one\"]", /* not a number */
    };
    for (size_t i = 0; i < sizeof bad_processors / sizeof bad_processors[0]; i++) {
        char details[128];
        snprintf(details, sizeof details,
                 "{\"GroupId\":\"0a1b2c3d-0000-4000-8000-00000000beef\",\"LogicalProcessors\":%s}", bad_processors[i]);
        assert_int_equal(cpu_group("CreateGroup", details, &error), E_INVALIDARG);
        assert_non_null(strstr(error, "LogicalProcessors"));
        free(error);
    }
    assert_int_equal(cpu_group("CreateGroup",
                               "{\"GroupId\":\"0a1b2c3d-0000-4000-8000-00000000beef\",\"LogicalProcessorCount\":3,"
                               "\"LogicalProcessors\":[0,1]}",
                               NULL),
                     E_INVALIDARG);
    assert_int_equal(cpu_group("CreateGroup",
                               "{\"GroupId\":\"00000000-0000-0000-0000-000000000000\",\"LogicalProcessors\":[0]}",
                               NULL),
                     E_INVALIDARG);
    assert_int_equal(cpu_group("CreateGroup", "{\"GroupId\":" GROUP ",\"Processors\":[0]}", &error),
                     HCS_E_INVALID_JSON);
    assert_non_null(strstr(error, "OperationDetails.Processors: unknown field"));
    free(error);
    assert_int_equal(cpu_group("DeleteGroup", "{\"GroupId\":" GROUP_UPPER "}", NULL), S_OK);
    doc = service_property("CpuGroup");
    assert_null(strstr(doc, GROUP));
    free(doc);
    assert_int_equal(cpu_group("DeleteGroup", "{\"GroupId\":" GROUP "}", &error), (HRESULT)0x80070490);
    assert_non_null(strstr(error, "no such group"));
    free(error);
    assert_int_equal(cpu_group("SetProperty", "{\"GroupId\":" GROUP ",\"PropertyCode\":1,\"PropertyValue\":1}", NULL),
                     (HRESULT)0x80070490);
}

/* hcs-api §8.11: ProcessorTopology describes the simulated host, 16
 * logical processors (the count VM processor counts are checked against) */
static void processor_topology_of_the_host(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("the host it simulates (16 logical processors)");
    char *doc = service_property("ProcessorTopology");
    assert_non_null(strstr(doc, "\"LogicalProcessorCount\":16"));
    assert_non_null(strstr(doc, "\"LpIndex\":15"));
    assert_null(strstr(doc, "\"LpIndex\":16"));
    free(doc);
}

/* hcs-api §8.4: the property types of the emulated build's schema are
 * answered for a running VM with a guest connection; GuestMemory exists
 * up to 2004, ICHeartbeatStatus in 2004 only (PropertyType_2), and a type
 * the build lacks is HCS_E_INVALID_JSON */
static void property_types_of_the_build(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("the Windows build it emulates (HCSSIM_PROFILE)");
    HCS_SYSTEM vm = make_running(test_id("ptypes"), VM_DOC);
    int minor = expected_max_minor();
    static const struct {
        const char *type;
        int first, last;
        const char *member; /* what the answer adds, or NULL */
    } types[] = {
        {"Memory", 0, 99, "\"Memory\":{"},
        {"Statistics", 0, 99, "\"Statistics\":{"},
        {"ProcessList", 0, 99, "\"ProcessList\":["},
        {"TerminateOnLastHandleClosed", 0, 99, "\"TerminateOnLastHandleClosed\":"},
        {"SharedMemoryRegion", 0, 99, "\"SharedMemoryRegionInfo\":["},
        {"GuestConnection", 0, 99, "\"GuestConnectionInfo\":{"},
        {"GuestMemory", 0, 3, NULL},
        {"ICHeartbeatStatus", 3, 3, "\"ICHeartbeatStatus\":{\"IsEnabled\":true,\"State\":\"Ok\""},
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        char text[96];
        snprintf(text, sizeof text, "{\"PropertyTypes\":[\"%s\"]}", types[i].type);
        WCHAR *q = widen(text);
        char *doc = NULL;
        bool known = minor >= types[i].first && minor <= types[i].last;
        HRESULT hr = run_with(HcsGetComputeSystemProperties, vm, q, &doc);
        if (hr != (known ? S_OK : HCS_E_INVALID_JSON))
            fail_msg("%s on %s: 0x%08X (%s)", types[i].type, profile(), (unsigned)hr, doc ? doc : "");
        if (known && types[i].member && !strstr(doc, types[i].member))
            fail_msg("%s not in %s", types[i].member, doc);
        if (!known && !strstr(doc, "not a property type of this build"))
            fail_msg("no reason in %s", doc);
        free(doc);
        free(q);
    }
    assert_int_equal(run(HcsTerminateComputeSystem, vm), S_OK);
    HcsCloseComputeSystem(vm);
}

/* hcs-api §2.5: state files are created; access grants check their file */
static void vm_utilities(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("state files at relative paths (the real service resolves them in its own folder)");
    /* One file per profile: the profile runs of this test go in parallel. */
    WCHAR path[40];
    char name[40];
    snprintf(name, sizeof name, "hcssim-test-%s.vmrs", profile());
    for (size_t i = 0; i <= strlen(name); i++)
        path[i] = (WCHAR)name[i];
    assert_int_equal(HcsCreateEmptyRuntimeStateFile(path), S_OK);
    assert_int_equal(HcsGrantVmAccess(W("vm-1"), path), S_OK);
    assert_int_equal(HcsRevokeVmAccess(W("vm-1"), path), S_OK);
    assert_int_equal(HcsGrantVmAccess(W("vm-1"), W("no-such-file.vmrs")), (HRESULT)0x80070002);
    assert_int_equal(HcsGrantVmAccess(NULL, path), E_INVALIDARG);
    assert_int_equal(HcsCreateEmptyGuestStateFile(W("no-such-dir/x.vmgs")), (HRESULT)0x80070003);
    assert_int_equal(HcsCreateEmptyGuestStateFile(NULL), E_INVALIDARG);
    remove(name);
}

/* hcs-api §11 #51: exports newer than the emulated build are absent */
static void exports_of_the_build(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its export table per build");
    bool has_2004 = strcmp(profile(), "1809") != 0 && strcmp(profile(), "1903") != 0;
    bool has_2104 = has_2004 && strcmp(profile(), "2004") != 0;
    bool has_24h2 = strcmp(profile(), "24H2") == 0; /* hcs-newest §1.3 */
    assert_non_null(hcssim_proc_address("HcsCreateComputeSystem"));
    assert_int_equal(hcssim_proc_address("HcsCreateOperationWithNotifications") != NULL, has_24h2);
    assert_int_equal(hcssim_proc_address("HcsGetOperationProperties") != NULL, has_24h2);
    assert_int_equal(hcssim_proc_address("HcsAddResourceToOperation") != NULL, has_24h2);
    assert_int_equal(hcssim_proc_address("HcsCreateComputeSystemInNamespace") != NULL, has_2004);
    assert_int_equal(hcssim_proc_address("HcsGrantVmGroupAccess") != NULL, has_2004);
    assert_int_equal(hcssim_proc_address("HcsWaitForComputeSystemExit") != NULL, has_2104);
    assert_int_equal(hcssim_proc_address("HcsGetProcessorCompatibilityFromSavedState") != NULL, has_2104);
    assert_null(hcssim_proc_address("HcsNoSuchFunction"));
#ifdef _WIN32
    /* The DLL built for this profile has exactly that export table. */
    if (strcmp(profile(), "21H2") != 0) {
        char dll[32];
        snprintf(dll, sizeof dll, "hcssim-%s.dll", profile());
        HMODULE m = LoadLibraryA(dll);
        assert_non_null(m);
        assert_non_null(GetProcAddress(m, "HcsCreateComputeSystem"));
        assert_int_equal(GetProcAddress(m, "HcsOpenComputeSystemInNamespace") != NULL, has_2004);
        assert_int_equal(GetProcAddress(m, "HcsWaitForComputeSystemExit") != NULL, has_2104);
        assert_int_equal(GetProcAddress(m, "HcsGetOperationProperties") != NULL, has_24h2);
        FreeLibrary(m);
    }
#endif
}

/* hcs-api §11 #52: a schema minor newer than the build is refused */
static void schema_version_limit(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("the Windows build it emulates (HCSSIM_PROFILE)");
    WCHAR doc[128];
    char text[128];
    snprintf(text, sizeof text, "{\"SchemaVersion\":{\"Major\":2,\"Minor\":%d},\"Container\":{}}",
             expected_max_minor() + 1);
    for (size_t i = 0; i <= strlen(text); i++)
        doc[i] = (WCHAR)text[i];
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HCS_SYSTEM sys = NULL;
    assert_int_equal(HcsCreateComputeSystem(test_id("newer"), doc, op, NULL, &sys), S_OK);
    assert_int_equal(wait_op(op), HCS_E_INVALID_JSON);
    HcsCloseOperation(op);
    HcsCloseComputeSystem(sys);
}

/* hcs-api §11 #52 for options documents: a member newer than the emulated
 * build (ShutdownOptions 2.5, CrashOptions 2.3, System_PropertyQuery.Queries
 * 2.5) fails with HCS_E_INVALID_JSON naming it; {} is fine everywhere */
static void options_members_of_the_build(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("the Windows build it emulates (HCSSIM_PROFILE)");
    PCWSTR vm_doc = W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"VirtualMachine\":{\"GuestConnection\":{}}}");
    HCS_SYSTEM vm = make_running(test_id("optver"), vm_doc);
    static const struct {
        lifecycle_fn fn;
        PCWSTR options;
        int since;
        const char *member;
    } cases[] = {
        {HcsGetComputeSystemProperties, W("{\"Queries\":{}}"), 5, "System_PropertyQuery.Queries"},
        {HcsCrashComputeSystem, W("{\"Type\":\"CrashGuest\"}"), 3, "CrashOptions.Type"},
        {HcsShutDownComputeSystem, W("{\"Force\":true}"), 5, "ShutdownOptions.Force"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (cases[i].since <= expected_max_minor())
            continue; /* known to this build: accepted (and a crash or shutdown would end the VM) */
        char *doc = NULL;
        assert_int_equal(run_with(cases[i].fn, vm, cases[i].options, &doc), HCS_E_INVALID_JSON);
        char want[96];
        snprintf(want, sizeof want, "%s: needs schema 2.%d", cases[i].member, cases[i].since);
        if (!strstr(doc, want))
            fail_msg("\"%s\" not in %s", want, doc);
        free(doc);
    }
    if (expected_max_minor() >= 5)
        assert_int_equal(run_with(HcsGetComputeSystemProperties, vm, W("{\"Queries\":{}}"), NULL), S_OK);
    assert_int_equal(run_with(HcsShutDownComputeSystem, vm, W("{}"), NULL), S_OK);
    HcsCloseComputeSystem(vm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(supported_schema_versions),
        cmocka_unit_test(modify_service_settings),
        cmocka_unit_test(cpu_groups_are_listed_and_deleted),
        cmocka_unit_test(processor_topology_of_the_host),
        cmocka_unit_test(property_types_of_the_build),
        cmocka_unit_test(vm_utilities),
        cmocka_unit_test(exports_of_the_build),
        cmocka_unit_test(schema_version_limit),
        cmocka_unit_test(options_members_of_the_build),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
