/* hcssim conformance: what a virtual machine may be and have. Its
 * processors, memory and devices within the host's limits, at create and
 * through modify (hcs-api §8.6, §8.13); the property types each kind of
 * system answers (§8.4, §11 #30); its guest connection; and a save to a
 * file that a later create restores (§8.7, §2.5). The limits are those of
 * docs/simulator-fidelity.md, "Limits". */
#include "sim_helpers.h"

#define E_INVALIDARG_ ((HRESULT)0x80070057)
#define E_NOT_SUPPORTED ((HRESULT)0x80070032)
#define E_NOT_FOUND ((HRESULT)0x80070490)
#define E_ALREADY_EXISTS ((HRESULT)0x800700B7)
#define E_FILE_NOT_FOUND ((HRESULT)0x80070002)
#define E_PATH_NOT_FOUND ((HRESULT)0x80070003)
#define E_INVALID_DATA ((HRESULT)0x8007000D)

/* A ComputeSystem document around a VirtualMachine (or Container) body. */
static WCHAR *document(const char *kind, const char *body)
{
    size_t n = strlen(body) + 128;
    char *text = malloc(n);
    snprintf(text, n, "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"%s\":%s}", kind, body);
    WCHAR *doc = widen(text);
    free(text);
    return doc;
}

/* Creates a system from a document body and returns the create's outcome,
 * with its document in *result when given; a created system is terminated
 * and its handle closed. */
static HRESULT create_outcome(const char *kind, const char *body, char **result)
{
    WCHAR *doc = document(kind, body);
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HCS_SYSTEM sys = NULL;
    assert_int_equal(HcsCreateComputeSystem(test_id("vmcreate"), doc, op, NULL, &sys), S_OK);
    HRESULT hr = wait_doc(op, result);
    HcsCloseOperation(op);
    if (SUCCEEDED(hr))
        assert_int_equal(run(HcsTerminateComputeSystem, sys), S_OK);
    HcsCloseComputeSystem(sys);
    free(doc);
    return hr;
}

/* The create's outcome must be want; a failure's ResultError must name
 * `member`. */
static void expect_create(const char *kind, const char *body, HRESULT want, const char *member)
{
    char *doc = NULL;
    HRESULT hr = create_outcome(kind, body, &doc);
    if (hr != want)
        fail_msg("create %s: outcome 0x%08X, expected 0x%08X (%s)", body, (unsigned)hr, (unsigned)want,
                 doc ? doc : "no document");
    if (member && (!doc || !strstr(doc, member)))
        fail_msg("\"%s\" not in %s", member, doc ? doc : "no document");
    free(doc);
}

static HCS_SYSTEM running_vm(const char *body)
{
    WCHAR *doc = document("VirtualMachine", body);
    HCS_SYSTEM sys = make_running(test_id("vm"), doc);
    free(doc);
    return sys;
}

static void finish(HCS_SYSTEM sys)
{
    HRESULT hr = run(HcsTerminateComputeSystem, sys);
    assert_true(hr == S_OK || hr == HCS_E_SYSTEM_ALREADY_STOPPED);
    HcsCloseComputeSystem(sys);
}

static HRESULT WINAPI modify(HCS_SYSTEM sys, HCS_OPERATION op, PCWSTR settings)
{
    return HcsModifyComputeSystem(sys, op, settings, NULL);
}

/* Runs one ModifySettingRequest (UTF-8) on sys; the outcome must be want. */
static void expect_modify(HCS_SYSTEM sys, const char *path, const char *type, const char *settings, HRESULT want)
{
    char text[1024];
    if (settings)
        snprintf(text, sizeof text, "{\"ResourcePath\":\"%s\",\"RequestType\":\"%s\",\"Settings\":%s}", path, type,
                 settings);
    else
        snprintf(text, sizeof text, "{\"ResourcePath\":\"%s\",\"RequestType\":\"%s\"}", path, type);
    WCHAR *request = widen(text);
    char *doc = NULL;
    HRESULT hr = run_with(modify, sys, request, &doc);
    if (hr != want)
        fail_msg("%s %s: outcome 0x%08X, expected 0x%08X (%s)", type, path, (unsigned)hr, (unsigned)want,
                 doc ? doc : "no document");
    free(doc);
    free(request);
}

/* The properties answering query (ASCII) on sys; the outcome must be want
 * and the document (Properties or ResultError) is returned. */
static char *query(HCS_SYSTEM sys, const char *types, HRESULT want)
{
    char text[512];
    snprintf(text, sizeof text, "{\"PropertyTypes\":[%s]}", types);
    WCHAR *q = widen(text);
    char *doc = NULL;
    HRESULT hr = run_with(HcsGetComputeSystemProperties, sys, q, &doc);
    if (hr != want)
        fail_msg("properties %s: outcome 0x%08X, expected 0x%08X (%s)", types, (unsigned)hr, (unsigned)want,
                 doc ? doc : "no document");
    free(q);
    return doc;
}

static void expect_in(const char *doc, const char *text)
{
    if (!doc || !strstr(doc, text))
        fail_msg("\"%s\" not in %s", text, doc ? doc : "no document");
}

/* ---- limits at create ---------------------------------------------------- */

/* A JSON object of n members named prefix0..prefix<n-1>, each `value`. */
static char *members(const char *prefix, int n, const char *value)
{
    size_t size = (size_t)n * (strlen(prefix) + strlen(value) + 16) + 3;
    char *out = malloc(size);
    size_t used = (size_t)snprintf(out, size, "{");
    for (int i = 0; i < n; i++)
        used += (size_t)snprintf(out + used, size - used, "%s\"%s%d\":%s", i ? "," : "", prefix, i, value);
    snprintf(out + used, size - used, "}");
    return out;
}

/* {"Shares": [n shares]}, named share0...; dup: the last repeats the
 * first's name. */
static char *shares(int n, bool dup)
{
    size_t size = (size_t)n * 48 + 16;
    char *out = malloc(size);
    size_t used = (size_t)snprintf(out, size, "{\"Shares\":[");
    for (int i = 0; i < n; i++)
        used += (size_t)snprintf(out + used, size - used, "%s{\"Name\":\"share%d\",\"Path\":\"C:\\\\s\"}", i ? "," : "",
                                 dup && i == n - 1 ? 0 : i);
    snprintf(out + used, size - used, "]}");
    return out;
}

static void expect_devices(const char *devices, HRESULT want, const char *member)
{
    size_t n = strlen(devices) + 64;
    char *body = malloc(n);
    snprintf(body, n, "{\"Devices\":%s}", devices);
    expect_create("VirtualMachine", body, want, member);
    free(body);
}

/* As expect_devices, for Devices {"<device>": value}; takes value. */
static void expect_device(const char *device, char *value, HRESULT want, const char *member)
{
    size_t n = strlen(value) + 64;
    char *devices = malloc(n);
    snprintf(devices, n, "{\"%s\":%s}", device, value);
    expect_devices(devices, want, member);
    free(devices);
    free(value);
}

/* Processor count: 1 to the host's 16 logical processors (hcsshim caps
 * its request at that count); memory: an even number of MB from 32 MB to
 * 12 TB (hcsshim aligns to 2 MB; Hyper-V's bounds); a member of the wrong
 * JSON type is HCS_E_INVALID_JSON (§11 #16), a value out of bounds
 * E_INVALIDARG */
static void processors_and_memory_at_create(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its inferred limits (a host of 16 logical processors) and VM documents of its own");
    expect_create("VirtualMachine", "{\"ComputeTopology\":{\"Processor\":{\"Count\":16}}}", S_OK, NULL);
    expect_create("VirtualMachine", "{\"ComputeTopology\":{\"Processor\":{\"Count\":17}}}", E_INVALIDARG_,
                  "Processor.Count: 17");
    expect_create("VirtualMachine", "{\"ComputeTopology\":{\"Processor\":{\"Count\":0}}}", E_INVALIDARG_,
                  "Processor.Count");
    expect_create("VirtualMachine", "{\"ComputeTopology\":{\"Processor\":{\"Count\":\"2\"}}}", HCS_E_INVALID_JSON,
                  "Processor.Count: expected an integer");
    expect_create("VirtualMachine", "{\"ComputeTopology\":{\"Memory\":{\"SizeInMB\":32}}}", S_OK, NULL);
    expect_create("VirtualMachine", "{\"ComputeTopology\":{\"Memory\":{\"SizeInMB\":12582912}}}", S_OK, NULL);
    expect_create("VirtualMachine", "{\"ComputeTopology\":{\"Memory\":{\"SizeInMB\":12582914}}}", E_INVALIDARG_,
                  "Memory.SizeInMB: 12582914");
    expect_create("VirtualMachine", "{\"ComputeTopology\":{\"Memory\":{\"SizeInMB\":1025}}}", E_INVALIDARG_,
                  "Memory.SizeInMB: 1025");
    expect_create("VirtualMachine", "{\"ComputeTopology\":{\"Memory\":{\"SizeInMB\":16}}}", E_INVALIDARG_,
                  "Memory.SizeInMB");
    expect_create("VirtualMachine", "{\"ComputeTopology\":{\"Memory\":[]}}", HCS_E_INVALID_JSON,
                  "ComputeTopology.Memory: expected an object");
    expect_create("VirtualMachine", "{\"GuestConnection\":true}", HCS_E_INVALID_JSON,
                  "VirtualMachine.GuestConnection: expected an object");
}

/* Devices: at most 4 SCSI controllers of LUNs 0 to 63, 64 network
 * adapters, COM ports 0 and 1, 256 Plan9 or virtual SMB shares (inferred)
 * of distinct names ("Plan for Hyper-V scalability in Windows Server";
 * hcs-api §8.6 for the COM ports) */
static void device_limits_at_create(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("VM documents of its own and its inferred share limits");
    expect_device("Scsi", members("c", 4, "{\"Attachments\":{\"0\":{},\"63\":{}}}"), S_OK, NULL);
    expect_device("Scsi", members("c", 5, "{}"), E_INVALIDARG_,
                  "VirtualMachine.Devices.Scsi: a virtual machine may have at most 4");
    expect_devices("{\"Scsi\":{\"primary\":{\"Attachments\":{\"64\":{}}}}}", E_INVALIDARG_,
                   "Scsi.Attachments[\\\"64\\\"]");
    expect_devices("{\"Scsi\":{\"primary\":{\"Attachments\":{\"one\":{}}}}}", E_INVALIDARG_, "Scsi.Attachments");
    expect_devices("{\"Scsi\":\"primary\"}", HCS_E_INVALID_JSON, "VirtualMachine.Devices.Scsi: expected an object");
    expect_device("NetworkAdapters", members("nic", 64, "{}"), S_OK, NULL);
    expect_device("NetworkAdapters", members("nic", 65, "{}"), E_INVALIDARG_,
                  "NetworkAdapters: a virtual machine may have at most 64");
    expect_devices("{\"ComPorts\":{\"0\":{},\"1\":{}}}", S_OK, NULL);
    expect_devices("{\"ComPorts\":{\"2\":{}}}", E_INVALIDARG_, "ComPorts[\\\"2\\\"]");
    expect_device("Plan9", shares(256, false), S_OK, NULL);
    expect_device("VirtualSmb", shares(257, false), E_INVALIDARG_,
                  "VirtualSmb.Shares: a virtual machine may have at most 256");
    expect_device("Plan9", shares(3, true), E_INVALIDARG_, "two entries are named \\\"share0\\\"");
}

/* hcs-api §8.2: a container's Processor Count, Weight and Maximum exclude
 * each other; Weight is 0 to 10000, Maximum 1 to 10000 */
static void container_processor_limits(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("container documents of its own (no layers)");
    expect_create("Container", "{\"Processor\":{\"Weight\":10000}}", S_OK, NULL);
    expect_create("Container", "{\"Processor\":{\"Count\":2,\"Weight\":5}}", E_INVALIDARG_, "exclude each other");
    expect_create("Container", "{\"Processor\":{\"Weight\":10001}}", E_INVALIDARG_, "Processor.Weight");
    expect_create("Container", "{\"Processor\":{\"Maximum\":0}}", E_INVALIDARG_, "Processor.Maximum");
    expect_create("Container", "{\"Processor\":{\"Count\":17}}", E_INVALIDARG_, "Processor.Count");
    expect_create("Container", "{\"Processor\":{\"Speed\":1}}", HCS_E_INVALID_JSON, "Container_Processor.Speed");
}

/* ---- devices through modify (hcs-api §8.6) ------------------------------ */

#define SCSI_LUN "VirtualMachine/Devices/Scsi/primary/Attachments/"
#define DISK "{\"Type\":\"VirtualDisk\",\"Path\":\"C:\\\\disk.vhdx\"}"

/* SCSI attachments go to a controller of the create document (an unknown
 * one is ERROR_NOT_FOUND, as ZLayer saw), at LUN 0 to 63; adding a LUN in
 * use is ERROR_ALREADY_EXISTS, removing a free one ERROR_NOT_FOUND */
static void scsi_attachments_change(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("a VM document of its own (disks it never opens)");
    HCS_SYSTEM vm = running_vm("{\"Devices\":{\"Scsi\":{\"primary\":{\"Attachments\":{\"0\":" DISK "}}}}}");
    expect_modify(vm, SCSI_LUN "1", "Add", DISK, S_OK);
    expect_modify(vm, SCSI_LUN "1", "Add", DISK, E_ALREADY_EXISTS);
    expect_modify(vm, SCSI_LUN "0", "Add", DISK, E_ALREADY_EXISTS);
    expect_modify(vm, SCSI_LUN "63", "Add", DISK, S_OK);
    expect_modify(vm, SCSI_LUN "64", "Add", DISK, E_INVALIDARG_);
    expect_modify(vm, "VirtualMachine/Devices/Scsi/secondary/Attachments/0", "Add", DISK, E_NOT_FOUND);
    expect_modify(vm, SCSI_LUN "2", "Remove", NULL, E_NOT_FOUND);
    expect_modify(vm, SCSI_LUN "1", "Remove", NULL, S_OK);
    expect_modify(vm, SCSI_LUN "1", "Remove", NULL, E_NOT_FOUND);
    expect_modify(vm, SCSI_LUN "1", "Add", "\"disk\"", HCS_E_INVALID_JSON);
    expect_modify(vm, SCSI_LUN "1", "Add", DISK, S_OK); /* free again */
    finish(vm);
}

/* A VM takes at most 64 network adapters, at COM ports 0 and 1; update
 * and remove need the adapter */
static void adapters_and_ports_change(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("a VM document of its own (adapters on endpoints it never checks)");
    HCS_SYSTEM vm = running_vm("{}");
    char path[96];
    for (int i = 0; i < 64; i++) {
        snprintf(path, sizeof path, "VirtualMachine/Devices/NetworkAdapters/nic%d", i);
        expect_modify(vm, path, "Add", "{\"EndpointId\":\"a5a7c2e0-6b1e-4c1d-9c55-3a9a4b3c2d10\"}", S_OK);
    }
    expect_modify(vm, "VirtualMachine/Devices/NetworkAdapters/nic64", "Add", "{}", E_INVALIDARG_);
    expect_modify(vm, "VirtualMachine/Devices/NetworkAdapters/nic0", "Remove", NULL, S_OK);
    expect_modify(vm, "VirtualMachine/Devices/NetworkAdapters/nic0", "Update", "{}", E_NOT_FOUND);
    expect_modify(vm, "VirtualMachine/Devices/NetworkAdapters/nic5", "Update", "{}", S_OK);
    expect_modify(vm, "VirtualMachine/Devices/NetworkAdapters/nic64", "Add", "{}", S_OK); /* room again */
    expect_modify(vm, "VirtualMachine/Devices/ComPorts/1", "Add", "{\"NamedPipe\":\"\\\\\\\\.\\\\pipe\\\\c\"}", S_OK);
    expect_modify(vm, "VirtualMachine/Devices/ComPorts/2", "Add", "{}", E_INVALIDARG_);
    finish(vm);
}

/* Plan9 and virtual SMB shares are named by their Settings: a second share
 * of a name is ERROR_ALREADY_EXISTS, removing an unknown one
 * ERROR_NOT_FOUND, Settings without a Name HCS_E_INVALID_JSON; an index
 * after the collection is an unknown path, E_INVALIDARG (zlayer-hcs §1.4) */
static void shares_change(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("a VM document of its own (shares of paths it never checks)");
    HCS_SYSTEM vm = running_vm("{\"Devices\":{\"Plan9\":{\"Shares\":[{\"Name\":\"p\",\"Port\":564}]}}}");
    static const char *const paths[] = {"VirtualMachine/Devices/VirtualSmb/Shares",
                                        "VirtualMachine/Devices/Plan9/Shares"};
    for (size_t i = 0; i < 2; i++) {
        expect_modify(vm, paths[i], "Add", "{\"Name\":\"s1\",\"Path\":\"C:\\\\layers\"}", S_OK);
        expect_modify(vm, paths[i], "Add", "{\"Name\":\"s1\",\"Path\":\"C:\\\\other\"}", E_ALREADY_EXISTS);
        expect_modify(vm, paths[i], "Add", "{\"Path\":\"C:\\\\other\"}", HCS_E_INVALID_JSON);
        expect_modify(vm, paths[i], "Update", "{\"Name\":\"s1\",\"Path\":\"C:\\\\moved\"}", S_OK);
        expect_modify(vm, paths[i], "Remove", "{\"Name\":\"s1\"}", S_OK);
        expect_modify(vm, paths[i], "Remove", "{\"Name\":\"s1\"}", E_NOT_FOUND);
    }
    expect_modify(vm, "VirtualMachine/Devices/Plan9/Shares", "Add", "{\"Name\":\"p\"}", E_ALREADY_EXISTS);
    expect_modify(vm, "VirtualMachine/Devices/VirtualSmb/Shares/0", "Add", "{\"Name\":\"s2\"}", E_INVALIDARG_);
    finish(vm);
}

/* Memory/SizeInMB: the bounds of the create document, E_INVALIDARG */
static void memory_resize_bounds(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("a VM document of its own and its inferred memory bounds");
    HCS_SYSTEM vm = running_vm("{\"ComputeTopology\":{\"Memory\":{\"SizeInMB\":1024}}}");
    expect_modify(vm, "VirtualMachine/ComputeTopology/Memory/SizeInMB", "Update", "4095", E_INVALIDARG_);
    expect_modify(vm, "VirtualMachine/ComputeTopology/Memory/SizeInMB", "Update", "12582914", E_INVALIDARG_);
    expect_modify(vm, "VirtualMachine/ComputeTopology/Memory/SizeInMB", "Update", "4096", S_OK);
    char *doc = query(vm, "\"Memory\"", S_OK);
    expect_in(doc, "\"AssignedMemory\":1048576");
    free(doc);
    finish(vm);
}

/* ---- property types by kind (hcs-api §8.4, §11 #30) --------------------- */

/* A container answers Statistics, ProcessList and
 * TerminateOnLastHandleClosed; the VM-only types fail with
 * ERROR_NOT_SUPPORTED, as a container refuses pause (§11 #18) */
static void container_property_types(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("the refusals it infers and its error wording");
    HCS_SYSTEM c = make_running(test_id("cprops"), CONTAINER_DOC);
    char *doc = query(c, "\"Statistics\",\"ProcessList\",\"TerminateOnLastHandleClosed\"", S_OK);
    expect_in(doc, "\"Statistics\":{");
    expect_in(doc, "\"ProcessList\":[");
    expect_in(doc, "\"TerminateOnLastHandleClosed\":false");
    free(doc);
    static const char *const vm_only[] = {"\"Memory\"", "\"SharedMemoryRegion\"", "\"GuestConnection\""};
    for (size_t i = 0; i < 3; i++) {
        doc = query(c, vm_only[i], E_NOT_SUPPORTED);
        expect_in(doc, "for virtual machines only");
        free(doc);
    }
    doc = query(c, "\"Nope\"", HCS_E_INVALID_JSON);
    expect_in(doc, "not a property type of this build");
    free(doc);
    finish(c);
}

/* A VM answers every type of the build at once; GuestConnectionInfo while
 * the connection is up, SharedMemoryRegionInfo for its regions (mapped
 * from the GiB above its memory, 2 MiB aligned, inferred) */
static void vm_property_types(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("a VM document of its own and where it maps shared memory (inferred)");
    HCS_SYSTEM vm =
        running_vm("{\"GuestConnection\":{},\"ComputeTopology\":{\"Memory\":{\"SizeInMB\":1024}},\"Devices\":"
                   "{\"SharedMemory\":{\"Regions\":[{\"SectionName\":\"a\",\"Length\":4096},{\"SectionName\":\"b\","
                   "\"Length\":4096}]}}}");
    char *doc = query(vm,
                      "\"Memory\",\"Statistics\",\"ProcessList\",\"TerminateOnLastHandleClosed\","
                      "\"SharedMemoryRegion\",\"GuestConnection\"",
                      S_OK);
    expect_in(doc, "\"Memory\":{");
    expect_in(doc, "\"Statistics\":{");
    expect_in(doc, "\"ProcessList\":[");
    expect_in(doc, "\"TerminateOnLastHandleClosed\":false");
    expect_in(doc, "{\"SectionName\":\"a\",\"GuestPhysicalAddress\":1073741824}");
    expect_in(doc, "{\"SectionName\":\"b\",\"GuestPhysicalAddress\":1075838976}");
    expect_in(doc, "\"GuestConnectionInfo\":{\"SupportedSchemaVersions\":[{\"Major\":2,\"Minor\":");
    expect_in(doc, "\"ProtocolVersion\":4");
    free(doc);
    expect_modify(vm, "VirtualMachine/Devices/SharedMemory/Regions", "Remove", "{\"SectionName\":\"a\"}", S_OK);
    doc = query(vm, "\"SharedMemoryRegion\"", S_OK);
    expect_in(doc, "\"SharedMemoryRegionInfo\":[{\"SectionName\":\"b\",\"GuestPhysicalAddress\":1073741824}]");
    free(doc);
    finish(vm);
}

/* GuestConnection: ERROR_NOT_SUPPORTED for a VM configured without one;
 * HCS_E_INVALID_STATE while it is not up: before start, while paused
 * (unless UseConnectedSuspend, which keeps it) and after the exit */
static void guest_connection_property(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("VM documents of its own (one without a guest connection)");
    HCS_SYSTEM bare = running_vm("{}");
    char *doc = query(bare, "\"GuestConnection\"", E_NOT_SUPPORTED);
    expect_in(doc, "no GuestConnection configured");
    free(doc);
    free(query(bare, "\"Memory\",\"SharedMemoryRegion\"", S_OK));
    finish(bare);

    WCHAR *with = document("VirtualMachine", "{\"GuestConnection\":{}}");
    HCS_SYSTEM vm = make_container(test_id("gc"), with);
    free(with);
    free(query(vm, "\"GuestConnection\"", HCS_E_INVALID_STATE));
    assert_int_equal(run(HcsStartComputeSystem, vm), S_OK);
    free(query(vm, "\"GuestConnection\"", S_OK));
    assert_int_equal(run(HcsPauseComputeSystem, vm), S_OK);
    free(query(vm, "\"GuestConnection\"", HCS_E_INVALID_STATE));
    assert_int_equal(run(HcsResumeComputeSystem, vm), S_OK);
    finish(vm);

    HCS_SYSTEM kept = running_vm("{\"GuestConnection\":{\"UseConnectedSuspend\":true}}");
    assert_int_equal(run(HcsPauseComputeSystem, kept), S_OK);
    free(query(kept, "\"GuestConnection\"", S_OK));
    assert_int_equal(run(HcsTerminateComputeSystem, kept), S_OK);
    free(query(kept, "\"GuestConnection\"", HCS_E_INVALID_STATE));
    HcsCloseComputeSystem(kept);
}

/* ---- save to a file and restore (hcs-api §8.7, §2.5) -------------------- */

#define STATE_FILE "hcssim-test-vm.vmrs"

static bool file_exists(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f)
        fclose(f);
    return f != NULL;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static HRESULT save_to(HCS_SYSTEM vm, const char *path, char **doc)
{
    char text[256];
    snprintf(text, sizeof text, "{\"SaveType\":\"ToFile\",\"SaveStateFilePath\":\"%s\"}", path);
    WCHAR *options = widen(text);
    HRESULT hr = run_with(HcsSaveComputeSystem, vm, options, doc);
    free(options);
    return hr;
}

/* A create restoring the state in path, with a document of its own that
 * differs from the saved VM's (512 MB, one processor, no devices). */
static const char *restoring(const char *path)
{
    static char body[256];
    snprintf(body, sizeof body,
             "{\"GuestConnection\":{},\"ComputeTopology\":{\"Memory\":{\"SizeInMB\":512}},\"RestoreState\":"
             "{\"SaveStateFilePath\":\"%s\"}}",
             path);
    return body;
}

/* SaveType ToFile with SaveStateFilePath writes a state file; a create
 * whose RestoreState names it comes back with the memory size and devices
 * the VM had when it was saved, modifications included */
static void save_to_file_and_restore(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its own saved-state files, at relative paths");
    remove(STATE_FILE);
    HCS_SYSTEM vm = running_vm("{\"GuestConnection\":{},\"ComputeTopology\":{\"Memory\":{\"SizeInMB\":1024},"
                               "\"Processor\":{\"Count\":2}},\"Devices\":{\"Scsi\":{\"primary\":{\"Attachments\":"
                               "{\"0\":" DISK "}}}}}");
    expect_modify(vm, "VirtualMachine/ComputeTopology/Memory/SizeInMB", "Update", "2048", S_OK);
    expect_modify(vm, SCSI_LUN "1", "Add", DISK, S_OK);
    assert_int_equal(run(HcsPauseComputeSystem, vm), S_OK);
    char *doc = NULL;
    assert_int_equal(save_to(vm, "no-such-folder/" STATE_FILE, &doc), E_PATH_NOT_FOUND);
    expect_in(doc, "no-such-folder/" STATE_FILE);
    free(doc);
    doc = properties(vm);
    expect_in(doc, "\"State\":\"Paused\""); /* a failed save leaves it paused */
    free(doc);
    assert_int_equal(save_to(vm, STATE_FILE, NULL), S_OK);
    assert_true(file_exists(STATE_FILE));
    PWSTR status = NULL;
    assert_int_equal(HcsWaitForComputeSystemExit(vm, INFINITE, &status), S_OK);
    char *text = narrow(status);
    expect_in(text, "\"Type\":\"Saved\""); /* §11 #20 */
    free(text);
    LocalFree(status);
    HcsCloseComputeSystem(vm);

    WCHAR *restore = document("VirtualMachine", restoring(STATE_FILE));
    HCS_SYSTEM restored = make_container(test_id("restored"), restore);
    free(restore);
    doc = query(restored, "\"Memory\"", S_OK);
    expect_in(doc, "\"AssignedMemory\":524288"); /* 2048 MB in 4 KiB pages, not the document's 512 */
    free(doc);
    assert_int_equal(run(HcsStartComputeSystem, restored), S_OK);
    expect_modify(restored, SCSI_LUN "1", "Add", DISK, E_ALREADY_EXISTS); /* attached before the save */
    expect_modify(restored, SCSI_LUN "1", "Remove", NULL, S_OK);
    finish(restored);
    remove(STATE_FILE);
}

/* A missing state file fails the create with ERROR_FILE_NOT_FOUND naming
 * it; a file that holds no saved state (corrupt, or the empty file of
 * HcsCreateEmptyRuntimeStateFile) with ERROR_INVALID_DATA; so does a state
 * that needs a processor feature this host lacks */
static void restore_needs_a_saved_state(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its own saved-state file format");
    remove(STATE_FILE);
    expect_create("VirtualMachine", restoring(STATE_FILE), E_FILE_NOT_FOUND, STATE_FILE);
    write_file(STATE_FILE, "{\"not\":\"a saved state\"}");
    expect_create("VirtualMachine", restoring(STATE_FILE), E_INVALID_DATA, "holds no saved state");
    WCHAR *path = widen(STATE_FILE);
    assert_int_equal(HcsCreateEmptyRuntimeStateFile(path), S_OK);
    expect_create("VirtualMachine", restoring(STATE_FILE), E_INVALID_DATA, "holds no saved state");
    write_file(STATE_FILE, "{\"HcssimSavedState\":1,\"SystemId\":\"elsewhere\",\"SizeInMB\":1024,\"ProcessorCount\":1,"
                           "\"ProcessorRequirements\":{\"ProcessorFeatures\":[\"Sse3\",\"La57\"]}}");
    expect_create("VirtualMachine", restoring(STATE_FILE), E_INVALID_DATA, "processor feature La57");
    free(path);
    remove(STATE_FILE);
}

/* hcs-api §2.5: HcsGetProcessorCompatibilityFromSavedState returns the
 * VmProcessorRequirements a save recorded; a file without a saved state
 * is ERROR_INVALID_DATA, a missing one ERROR_FILE_NOT_FOUND */
static void processor_compatibility_of_a_saved_state(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its own saved-state files and its host's processor features");
    remove(STATE_FILE);
    HCS_SYSTEM vm = running_vm("{}");
    assert_int_equal(run(HcsPauseComputeSystem, vm), S_OK);
    assert_int_equal(save_to(vm, STATE_FILE, NULL), S_OK);
    HcsCloseComputeSystem(vm);
    WCHAR *path = widen(STATE_FILE);
    PCWSTR features = NULL;
    assert_int_equal(HcsGetProcessorCompatibilityFromSavedState(path, &features), S_OK);
    char *text = narrow(features);
    expect_in(text, "\"ProcessorFeatures\":[\"Sse3\",");
    expect_in(text, "\"XsaveProcessorFeatures\":[");
    expect_in(text, "\"CacheLineFlushSize\":64");
    free(text);
    LocalFree((HLOCAL)features);
    assert_int_equal(HcsCreateEmptyRuntimeStateFile(path), S_OK);
    assert_int_equal(HcsGetProcessorCompatibilityFromSavedState(path, &features), E_INVALID_DATA);
    assert_null(features);
    remove(STATE_FILE);
    assert_int_equal(HcsGetProcessorCompatibilityFromSavedState(path, &features), E_FILE_NOT_FOUND);
    assert_int_equal(HcsGetProcessorCompatibilityFromSavedState(NULL, &features), E_INVALIDARG_);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(processors_and_memory_at_create),
        cmocka_unit_test(device_limits_at_create),
        cmocka_unit_test(container_processor_limits),
        cmocka_unit_test(scsi_attachments_change),
        cmocka_unit_test(adapters_and_ports_change),
        cmocka_unit_test(shares_change),
        cmocka_unit_test(memory_resize_bounds),
        cmocka_unit_test(container_property_types),
        cmocka_unit_test(vm_property_types),
        cmocka_unit_test(guest_connection_property),
        cmocka_unit_test(save_to_file_and_restore),
        cmocka_unit_test(restore_needs_a_saved_state),
        cmocka_unit_test(processor_compatibility_of_a_saved_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
