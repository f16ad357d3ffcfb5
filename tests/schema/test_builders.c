/* The document builders: each gives the documented shape and nothing else. */
#include "canonical.h"
#include "schema_fixtures.h"

#include <hcs/builders.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static const char *fixture(const char *name)
{
    for (size_t i = 0; i < schema_fixture_count; i++)
        if (strcmp(schema_fixtures[i].name, name) == 0)
            return schema_fixtures[i].text;
    fail_msg("no fixture %s", name);
    return NULL;
}

/* Compares a builder's output with the expected document, canonically. */
static void assert_document(char *built, const char *expected)
{
    assert_non_null(built);
    char *a = canonical_json(built, strlen(built)), *b = canonical_json(expected, strlen(expected));
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(a, b);
    free(a);
    free(b);
    hcs_free(built);
}

static void vm_matches_the_tutorial(void **state)
{
    (void)state;
    char *json;
    hcs_vm_spec tutorial = {.owner = "Sample",
                            .memory_mb = 2048,
                            .memory_backing = HCS_MemoryBackingType_Virtual,
                            .processor_count = 2,
                            .boot_disk_path = "c:\\HCS_Test\\utilityvm.vhdx",
                            .terminate_on_last_handle_closed = true};
    assert_int_equal(hcs_build_vm(&tutorial, &json, NULL), HCS_OK);
    assert_document(json, fixture("ComputeSystem.tutorial_vm.json"));
    hcs_vm_spec empty = {.owner = "Sample",
                         .memory_mb = 1024,
                         .memory_backing = HCS_MemoryBackingType_Physical,
                         .processor_count = 2,
                         .terminate_on_last_handle_closed = true};
    assert_int_equal(hcs_build_vm(&empty, &json, NULL), HCS_OK);
    assert_document(json, fixture("ComputeSystem.empty_vm.json"));
    hcs_vm_spec missing = {.owner = "x"};
    assert_int_equal(hcs_build_vm(&missing, &json, NULL), HCS_COM_E_INVALIDARG);
    assert_null(json);
}

static void container(void **state)
{
    (void)state;
    char *json;
    hcs_container_spec bare = {0};
    assert_int_equal(hcs_build_container(&bare, &json, NULL), HCS_OK);
    assert_document(json, fixture("ComputeSystem.readme_container.json"));
    hcs_layer_spec layers[] = {{"7c2d2c5e-5a3f-4c8e-9f0a-1b2c3d4e5f60", "C:\\layers\\base"}};
    hcs_mapped_dir_spec dirs[] = {{"C:\\data", "C:\\data", true}};
    hcs_container_spec full = {.owner = "hcskit",
                               .hostname = "web",
                               .layers = layers,
                               .layer_count = 1,
                               .scratch_path = "C:\\scratch",
                               .mapped_dirs = dirs,
                               .mapped_dir_count = 1,
                               .network_namespace = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
                               .processor_count = 2,
                               .memory_mb = 512};
    assert_int_equal(hcs_build_container(&full, &json, NULL), HCS_OK);
    assert_document(json,
                    "{\"Owner\":\"hcskit\",\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Container\":{"
                    "\"GuestOs\":{\"HostName\":\"web\"},\"Storage\":{\"Layers\":[{\"Id\":"
                    "\"7c2d2c5e-5a3f-4c8e-9f0a-1b2c3d4e5f60\",\"Path\":\"C:\\\\layers\\\\base\"}],\"Path\":"
                    "\"C:\\\\scratch\"},\"MappedDirectories\":[{\"HostPath\":\"C:\\\\data\",\"ContainerPath\":"
                    "\"C:\\\\data\",\"ReadOnly\":true}],\"Memory\":{\"SizeInMB\":512},\"Processor\":{\"Count\":2},"
                    "\"Networking\":{\"Namespace\":\"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\"}}}");
}

static void process(void **state)
{
    (void)state;
    char *json;
    hcs_env_var env[] = {{"PATH", "C:\\Windows"}, {"A", "1"}};
    hcs_process_spec spec = {.command_line = "cmd /c echo hi",
                             .working_directory = "C:\\",
                             .env = env,
                             .env_count = 2,
                             .create_stdout = true,
                             .create_stderr = true,
                             .console_height = 30,
                             .console_width = 120};
    assert_int_equal(hcs_build_process(&spec, &json, NULL), HCS_OK);
    assert_string_equal(json, "{\"CommandLine\":\"cmd /c echo hi\",\"WorkingDirectory\":\"C:\\\\\",\"Environment\":"
                              "{\"A\":\"1\",\"PATH\":\"C:\\\\Windows\"},\"CreateStdOutPipe\":true,"
                              "\"CreateStdErrPipe\":true,\"ConsoleSize\":[30,120]}");
    hcs_free(json);
    hcs_process_spec none = {0};
    assert_int_equal(hcs_build_process(&none, &json, NULL), HCS_COM_E_INVALIDARG);
}

static void modify_requests(void **state)
{
    (void)state;
    char *json;
    assert_int_equal(hcs_build_modify_memory(4096, &json, NULL), HCS_OK);
    assert_document(json, fixture("ModifySettingRequest.modify_memory.json"));
    hcs_mapped_dir_spec dir = {"C:\\host", "C:\\guest", false};
    assert_int_equal(
        hcs_build_modify_mapped_directory(HCS_ModifyRequestType_Add, "Container/MappedDirectories", &dir, &json, NULL),
        HCS_OK);
    assert_string_equal(json, "{\"ResourcePath\":\"Container/MappedDirectories\",\"RequestType\":\"Add\",\"Settings\":"
                              "{\"HostPath\":\"C:\\\\host\",\"ContainerPath\":\"C:\\\\guest\"}}");
    hcs_free(json);
    assert_int_equal(hcs_build_modify_network_adapter(HCS_ModifyRequestType_Add, NULL, "eth0",
                                                      "11111111-2222-3333-4444-555555555555", "00-15-5D-00-00-01",
                                                      &json, NULL),
                     HCS_OK);
    assert_string_equal(json, "{\"ResourcePath\":\"VirtualMachine/Devices/NetworkAdapters/eth0\",\"RequestType\":"
                              "\"Add\",\"Settings\":{\"EndpointId\":\"11111111-2222-3333-4444-555555555555\","
                              "\"MacAddress\":\"00-15-5D-00-00-01\"}}");
    hcs_free(json);
    /* a name of any length goes into the path whole (a 512-byte buffer
     * used to refuse one of about 470 bytes) */
    char name[700];
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    assert_int_equal(hcs_build_modify_network_adapter(HCS_ModifyRequestType_Add, NULL, name,
                                                      "11111111-2222-3333-4444-555555555555", NULL, &json, NULL),
                     HCS_OK);
    assert_non_null(strstr(json, name));
    hcs_free(json);
    assert_int_equal(hcs_build_console_size(30, 120, &json, NULL), HCS_OK);
    assert_document(json, fixture("ProcessModifyRequest.console_size.json"));
    assert_int_equal(hcs_build_close_handle(HCS_StdHandle_StdIn, &json, NULL), HCS_OK);
    assert_document(json, fixture("ProcessModifyRequest.close_handle.json"));
    assert_int_equal(hcs_build_modify_mapped_directory(HCS_ModifyRequestType_Add, NULL, &dir, &json, NULL),
                     HCS_COM_E_INVALIDARG);
}

static void queries_and_options(void **state)
{
    (void)state;
    char *json;
    hcs_System_PropertyType memory = HCS_System_PropertyType_Memory;
    assert_int_equal(hcs_build_property_query(&memory, 1, &json, NULL), HCS_OK);
    assert_document(json, fixture("System_PropertyQuery.vm_query.json"));
    assert_int_equal(hcs_build_property_query(NULL, 0, &json, NULL), HCS_OK);
    assert_document(json, "{}");
    hcs_shutdown_spec spec = {.mechanism = HCS_ShutdownMechanism_GuestConnection,
                              .type = HCS_ShutdownType_Shutdown,
                              .force = true,
                              .reason = "maintenance"};
    assert_int_equal(hcs_build_shutdown_options(&spec, &json, NULL), HCS_OK);
    assert_string_equal(json, "{\"Mechanism\":\"GuestConnection\",\"Type\":\"Shutdown\",\"Force\":true,\"Reason\":"
                              "\"maintenance\"}");
    hcs_free(json);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vm_matches_the_tutorial), cmocka_unit_test(container),           cmocka_unit_test(process),
        cmocka_unit_test(modify_requests),         cmocka_unit_test(queries_and_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
