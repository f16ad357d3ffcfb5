/* hcssim as computestorage.dll: the behaviours of storage-and-network §4.1
 * through the raw exports, on real folders. Each test names the behaviour
 * it checks. */
#include "sim_helpers.h" /* first: winsock2.h before windows.h */

#include "hcs/computestorage.h"
#include "storage_fs.h"

#define E_PATH ((HRESULT)0x80070003)
#define E_FILE ((HRESULT)0x80070002)
#define E_HANDLE_ ((HRESULT)0x80070006)
#define E_NOT_READY ((HRESULT)0x80070015)
#define E_SHARING ((HRESULT)0x80070020)
#define E_EXISTS ((HRESULT)0x800700B7)
#define E_NOT_FOUND ((HRESULT)0x80070490)
#define E_DENIED ((HRESULT)0x80070005)
#define E_INVALID_JSON ((HRESULT)0x8037010D)
#define E_INVALID_LAYER ((HRESULT)0x80370112)

/* A few UTF-16 strings per test, freed when the ring comes round. */
static PCWSTR w(const char *utf8)
{
    static WCHAR *ring[32];
    static unsigned next;
    WCHAR **slot = &ring[next++ % 32];
    free(*slot);
    *slot = widen(utf8);
    return *slot;
}

/* Appends text to a JSON string literal, escaping backslashes and quotes. */
static void json_escape(char *out, size_t size, const char *text)
{
    size_t n = strlen(out);
    for (; *text && n + 2 < size; text++) {
        if (*text == '\\' || *text == '"')
            out[n++] = '\\';
        out[n++] = *text;
    }
    out[n] = '\0';
}

/* LayerData naming the folders (nearest parent first), NULL-terminated. */
static PCWSTR layer_data(const char *first, ...)
{
    char doc[4096] = "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Layers\":[";
    va_list ap;
    va_start(ap, first);
    int i = 0;
    for (const char *p = first; p; p = va_arg(ap, const char *), i++) {
        snprintf(doc + strlen(doc), sizeof doc - strlen(doc), "%s{\"Id\":\"6f0c1b2e-0000-4000-8000-%012d\",\"Path\":\"",
                 i ? "," : "", i);
        json_escape(doc, sizeof doc, p);
        strcat(doc, "\"}");
    }
    va_end(ap);
    strcat(doc, "]}");
    return w(doc);
}

typedef struct fixture {
    char root[TFS_PATH];
    char base[TFS_PATH];    /* a base layer */
    char app[TFS_PATH];     /* a layer imported on base */
    char scratch[TFS_PATH]; /* an empty folder for a writable layer */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char transport[TFS_PATH];
    tfs_fresh_dir("hcssim-storage", f->root);
    tfs_make_base(tfs_join(f->base, f->root, "base", NULL));
    tfs_make_transport(tfs_join(transport, f->root, "transport", NULL), "app.txt", "from the registry");
    tfs_join(f->app, f->root, "app", NULL);
    tfs_mkdir(tfs_join(f->scratch, f->root, "scratch", NULL));
    *state = f;
    return HcsImportLayer(w(f->app), w(transport), layer_data(f->base, NULL)) == S_OK ? 0 : -1;
}

static int teardown(void **state)
{
    fixture *f = *state;
    HcsDetachLayerStorageFilter(w(f->scratch));
    HRESULT hr = HcsDestroyLayer(w(f->root));
    int gone = !tfs_exists(f->root);
    free(f);
    return hr == S_OK && gone ? 0 : -1;
}

/* §4.1 #5: the destination is created, the transport's content lands in it. */
static void import_creates_the_destination(void **state)
{
    fixture *f = *state;
    char path[TFS_PATH];
    assert_string_equal(tfs_read(tfs_join(path, f->app, "Files", "app.txt")), "from the registry");
    assert_true(tfs_exists(tfs_join(path, f->app, "Hives", "Software_Delta")));
}

/* §4.1 #5: the source must exist and differ from the destination; a
 * second import onto a layer fails (inferred). */
static void import_needs_a_source_apart(void **state)
{
    fixture *f = *state;
    char missing[TFS_PATH], dest[TFS_PATH];
    tfs_join(missing, f->root, "nowhere", NULL);
    tfs_join(dest, f->root, "dest", NULL);
    assert_int_equal(HcsImportLayer(w(dest), w(missing), layer_data(f->base, NULL)), E_PATH);
    assert_int_equal(HcsImportLayer(w(f->app), w(f->app), layer_data(f->base, NULL)), E_INVALIDARG);
    char transport[TFS_PATH];
    tfs_join(transport, f->root, "transport", NULL);
    assert_int_equal(HcsImportLayer(w(f->app), w(transport), layer_data(f->base, NULL)), E_EXISTS);
    assert_false(tfs_exists(dest));
}

/* §4.1 #6: a missing parent, or the parents base first, fail with
 * ERROR_PATH_NOT_FOUND. */
static void import_checks_the_parent_chain(void **state)
{
    fixture *f = *state;
    char transport[TFS_PATH], dest[TFS_PATH], missing[TFS_PATH];
    tfs_join(transport, f->root, "transport", NULL);
    tfs_join(dest, f->root, "child", NULL);
    tfs_join(missing, f->root, "gone", NULL);
    assert_int_equal(HcsImportLayer(w(dest), w(transport), layer_data(missing, f->base, NULL)), E_PATH);
    assert_int_equal(HcsImportLayer(w(dest), w(transport), layer_data(f->base, f->app, NULL)), E_PATH);
    assert_int_equal(HcsImportLayer(w(dest), w(transport), layer_data(f->app, NULL)), E_PATH);
    assert_int_equal(HcsImportLayer(w(dest), w(transport), layer_data(f->app, f->base, NULL)), S_OK);
}

/* §1.4.1 / §1.2: a transport folder without Files, or with a tombstones.txt
 * lacking its header, is HCS_E_INVALID_LAYER. */
static void import_checks_the_transport_format(void **state)
{
    fixture *f = *state;
    char bad[TFS_PATH], path[TFS_PATH], dest[TFS_PATH];
    tfs_mkdir(tfs_join(bad, f->root, "bad", NULL));
    tfs_join(dest, f->root, "dest", NULL);
    assert_int_equal(HcsImportLayer(w(dest), w(bad), layer_data(f->base, NULL)), E_INVALID_LAYER);
    tfs_mkdirs(bad, "Files");
    tfs_write(tfs_join(path, bad, "tombstones.txt", NULL), "\\Windows\\x.txt\r\n");
    assert_int_equal(HcsImportLayer(w(dest), w(bad), layer_data(f->base, NULL)), E_INVALID_LAYER);
}

/* §4.1 #19: LayerData is strict JSON with Id (a GUID without braces). */
static void layer_data_is_checked(void **state)
{
    fixture *f = *state;
    char transport[TFS_PATH], dest[TFS_PATH], doc[TFS_PATH * 2];
    tfs_join(transport, f->root, "transport", NULL);
    tfs_join(dest, f->root, "dest", NULL);
    assert_int_equal(HcsImportLayer(w(dest), w(transport), w("{\"Layers\":[")), E_INVALID_JSON);
    assert_int_equal(HcsImportLayer(w(dest), w(transport), w("{\"Layers\":[{\"ID\":\"x\"}]}")), E_INVALID_JSON);
    strcpy(doc, "{\"Layers\":[{\"Id\":\"{6f0c1b2e-0000-4000-8000-000000000000}\",\"Path\":\"");
    json_escape(doc, sizeof doc, f->base);
    strcat(doc, "\"}]}");
    assert_int_equal(HcsImportLayer(w(dest), w(transport), w(doc)), E_INVALID_JSON);
    assert_int_equal(HcsImportLayer(w(dest), w(transport), w("{\"FilterType\":\"Other\"}")), E_INVALID_JSON);
    assert_false(tfs_exists(dest));
}

/* §1.5.2: an exported layer is a transport folder that imports again. */
static void export_then_import_round_trips(void **state)
{
    fixture *f = *state;
    char out[TFS_PATH], again[TFS_PATH], path[TFS_PATH];
    tfs_mkdir(tfs_join(out, f->root, "export", NULL));
    tfs_join(again, f->root, "again", NULL);
    assert_int_equal(HcsExportLayer(w(f->app), w(out), layer_data(f->base, NULL), NULL), S_OK);
    assert_string_equal(tfs_read(tfs_join(path, out, "Files", "app.txt")), "from the registry");
    assert_non_null(strstr(tfs_read(tfs_join(path, out, "tombstones.txt", NULL)), "Version 1.0"));
    assert_int_equal(HcsImportLayer(w(again), w(out), layer_data(f->base, NULL)), S_OK);
    assert_string_equal(tfs_read(tfs_join(path, again, "Files", "app.txt")), "from the registry");
    /* "a pre-existing folder" (§1.5.2) */
    char missing[TFS_PATH];
    tfs_join(missing, f->root, "nowhere", NULL);
    assert_int_equal(HcsExportLayer(w(f->app), w(missing), layer_data(f->base, NULL), NULL), E_PATH);
    assert_int_equal(HcsExportLayer(w(f->app), w(out), NULL, w("{\"Bogus\":1}")), E_INVALID_JSON);
}

/* §4.1 #3: the options of HcsInitializeWritableLayer must be NULL or "". */
static void initialize_takes_no_options(void **state)
{
    fixture *f = *state;
    PCWSTR parents = layer_data(f->app, f->base, NULL);
    assert_int_equal(HcsInitializeWritableLayer(w(f->scratch), parents, w("{}")), E_INVALIDARG);
    assert_int_equal(HcsInitializeWritableLayer(w(f->scratch), parents, w("")), S_OK);
    assert_int_equal(HcsInitializeWritableLayer(w(f->scratch), parents, NULL), E_EXISTS);
}

/* §4.1 #4, #13-#16: attach (trailing separator or not), attach twice,
 * destroy a parent in use, export the changes, detach twice. */
static void writable_layer_filter_rules(void **state)
{
    fixture *f = *state;
    PCWSTR parents = layer_data(f->app, f->base, NULL);
    char out[TFS_PATH], with_sep[TFS_PATH + 2], path[TFS_PATH];
    tfs_mkdir(tfs_join(out, f->root, "commit", NULL));
    snprintf(with_sep, sizeof with_sep, "%s" TFS_SEP, f->scratch);
    PCWSTR writable = w("{\"IsWritableLayer\":true}");
    assert_int_equal(HcsAttachLayerStorageFilter(w(f->scratch), parents), E_PATH); /* not initialized */
    assert_int_equal(HcsInitializeWritableLayer(w(f->scratch), parents, NULL), S_OK);
    assert_int_equal(HcsExportLayer(w(f->scratch), w(out), parents, writable), E_FILE); /* #16 */
    assert_int_equal(HcsAttachLayerStorageFilter(w(with_sep), parents), S_OK);          /* #4 */
    assert_int_equal(HcsAttachLayerStorageFilter(w(f->scratch), parents), E_EXISTS);    /* #14 */
    assert_int_equal(HcsDestroyLayer(w(f->base)), E_SHARING);                           /* #15 */
    assert_int_equal(HcsDestroyLayer(w(f->scratch)), E_SHARING);
    /* A change the container made lands in the writable layer (#13). */
    tfs_write(tfs_join(path, f->scratch, "Files", "new.txt"), "changed");
    assert_int_equal(HcsExportLayer(w(f->scratch), w(out), parents, writable), S_OK);
    assert_string_equal(tfs_read(tfs_join(path, out, "Files", "new.txt")), "changed");
    assert_int_equal(HcsDetachLayerStorageFilter(w(f->scratch)), S_OK);
    assert_int_equal(HcsDetachLayerStorageFilter(w(f->scratch)), E_NOT_FOUND); /* #14 */
    assert_true(tfs_exists(tfs_join(path, f->base, "Files", NULL)));
    assert_int_equal(HcsDestroyLayer(w(f->scratch)), S_OK);
    assert_false(tfs_exists(f->scratch));
    assert_int_equal(HcsDestroyLayer(w(f->scratch)), E_PATH); /* twice */
}

/* §4.1 #8, #9: a container base layer takes no handle and gets Hives and
 * layout once; a VM base layer needs a handle. */
static void setup_base_os_layer_rules(void **state)
{
    fixture *f = *state;
    char path[TFS_PATH], vhd_path[TFS_PATH];
    PCWSTR container = w("{\"Type\":\"Container\"}");
    void *vhd = tfs_open_vhd(tfs_join(vhd_path, f->root, "base.vhdx", NULL));
    assert_non_null(vhd);
    assert_int_equal(HcsSetupBaseOSLayer(w(f->base), vhd, container), E_INVALIDARG);
    assert_int_equal(HcsSetupBaseOSLayer(w(f->base), NULL, w("{\"Type\":\"Vm\"}")), E_INVALIDARG);
    assert_int_equal(HcsSetupBaseOSLayer(w(f->base), NULL, w("{\"Type\":\"Other\"}")), E_INVALID_JSON);
    assert_int_equal(HcsSetupBaseOSLayer(w(f->base), NULL, container), S_OK);
    assert_true(tfs_exists(tfs_join(path, f->base, "Hives", "SYSTEM_BASE")));
    assert_true(tfs_exists(tfs_join(path, f->base, "layout", NULL)));
    assert_int_equal(HcsSetupBaseOSLayer(w(f->base), NULL, container), E_EXISTS);
    char uvm[TFS_PATH];
    tfs_join(uvm, f->base, "UtilityVM", NULL);
    tfs_mkdir(uvm);
    tfs_mkdirs(uvm, "Files");
    assert_int_equal(HcsSetupBaseOSLayer(w(uvm), vhd, w("{\"Type\":\"Vm\"}")), S_OK);
    assert_true(tfs_exists(tfs_join(path, uvm, "Hives", "SOFTWARE_BASE")));
    tfs_close_vhd(vhd);
}

/* §4.1 #2, #11, #12: format once, mount path of a formatted VHD only, a
 * LocalFree'd volume path that the other calls accept. */
static void vhd_format_and_mount_path(void **state)
{
    fixture *f = *state;
    char vhd_path[TFS_PATH];
    void *vhd = tfs_open_vhd(tfs_join(vhd_path, f->root, "sandbox.vhdx", NULL));
    assert_non_null(vhd);
    PWSTR mount = NULL;
    assert_int_equal(HcsGetLayerVhdMountPath(vhd, &mount), E_NOT_READY);
    assert_null(mount);
    assert_int_equal(HcsFormatWritableLayerVhd(vhd), S_OK);
    assert_int_equal(HcsFormatWritableLayerVhd(vhd), E_INVALIDARG);
    assert_int_equal(HcsGetLayerVhdMountPath(vhd, &mount), S_OK);
    char *text = narrow(mount);
    LocalFree(mount);
    assert_int_equal(strncmp(text, "\\\\?\\Volume{", 11), 0);
    assert_int_equal(text[strlen(text) - 1], '\\');
    PCWSTR parents = layer_data(f->app, f->base, NULL);
    assert_int_equal(HcsInitializeWritableLayer(w(text), parents, NULL), S_OK);
    assert_int_equal(HcsAttachLayerStorageFilter(w(text), parents), S_OK);
    assert_int_equal(HcsDetachLayerStorageFilter(w(text)), S_OK);
    assert_int_equal(HcsDestroyLayer(w(text)), S_OK);
    free(text);
    assert_int_equal(HcsGetLayerVhdMountPath(vhd, NULL), E_POINTER);
    assert_int_equal(HcsFormatWritableLayerVhd(NULL), E_INVALIDARG);
    tfs_close_vhd(vhd);
}

/* §1.5.6: a base layer set up from a mounted volume. */
static void setup_base_os_volume(void **state)
{
    fixture *f = *state;
    char vhd_path[TFS_PATH], path[TFS_PATH];
    void *vhd = tfs_open_vhd(tfs_join(vhd_path, f->root, "uvm.vhdx", NULL));
    PWSTR mount = NULL;
    assert_int_equal(HcsFormatWritableLayerVhd(vhd), S_OK);
    assert_int_equal(HcsGetLayerVhdMountPath(vhd, &mount), S_OK);
    char *volume = narrow(mount);
    LocalFree(mount);
    tfs_join(path, f->root, "nowhere", NULL);
    assert_int_equal(HcsSetupBaseOSVolume(w(f->base), w(path), w("{\"Type\":\"Vm\"}")), E_PATH);
    assert_int_equal(HcsSetupBaseOSVolume(w(f->base), w(volume), w("{\"Type\":\"Vm\"}")), S_OK);
    assert_true(tfs_exists(tfs_join(path, f->base, "layout", NULL)));
    assert_int_equal(HcsDestroyLayer(w(volume)), S_OK);
    free(volume);
    tfs_close_vhd(vhd);
}

/* §1.5.13, §4.1 #17: an overlay needs no initialized layer; detach names
 * the filter type attached. */
static void overlay_filter(void **state)
{
    fixture *f = *state;
    char files[TFS_PATH], doc[TFS_PATH * 2];
    tfs_join(files, f->app, "Files", NULL);
    strcpy(doc, "{\"FilterType\":\"UnionFS\",\"Layers\":[{\"Id\":\"6f0c1b2e-0000-4000-8000-000000000001\",\"Path\":\"");
    json_escape(doc, sizeof doc, files);
    strcat(doc, "\"}]}");
    assert_int_equal(HcsAttachOverlayFilter(w(f->scratch), w(doc)), S_OK);
    assert_int_equal(HcsAttachOverlayFilter(w(f->scratch), w(doc)), E_EXISTS);
    assert_int_equal(HcsDestroyLayer(w(f->app)), E_SHARING);
    assert_int_equal(HcsDetachOverlayFilter(w(f->scratch), w("{\"FilterType\":\"WCIFS\"}")), E_INVALIDARG);
    assert_int_equal(HcsDetachOverlayFilter(w(f->scratch), w("{\"FilterType\":\"UnionFS\"}")), S_OK);
    assert_int_equal(HcsDetachOverlayFilter(w(f->scratch), w("{\"FilterType\":\"UnionFS\"}")), E_NOT_FOUND);
}

/* A container document naming the layers (§1.7). */
static PCWSTR container_doc(const char *layer, const char *base, const char *scratch)
{
    char doc[4096] = "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Owner\":\"tests\",\"Container\":{\"Storage\":{"
                     "\"Layers\":[{\"Id\":\"6f0c1b2e-0000-4000-8000-000000000000\",\"Path\":\"";
    json_escape(doc, sizeof doc, layer);
    strcat(doc, "\"},{\"Id\":\"6f0c1b2e-0000-4000-8000-000000000001\",\"Path\":\"");
    json_escape(doc, sizeof doc, base);
    strcat(doc, "\"}],\"Path\":\"");
    json_escape(doc, sizeof doc, scratch);
    strcat(doc, "\"}}}");
    return w(doc);
}

static HRESULT create_outcome(PCWSTR doc, HCS_SYSTEM *sys)
{
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HRESULT hr = HcsCreateComputeSystem(test_id("storage"), doc, op, NULL, sys);
    if (SUCCEEDED(hr))
        hr = wait_op(op);
    HcsCloseOperation(op);
    return hr;
}

/* §1.7 (inferred codes): creation fails while a layer is missing or the
 * scratch is not set up, and works once the filter is attached. */
static void compute_system_needs_its_layers(void **state)
{
    fixture *f = *state;
    char missing[TFS_PATH];
    tfs_join(missing, f->root, "gone", NULL);
    PCWSTR parents = layer_data(f->app, f->base, NULL);
    HCS_SYSTEM sys = NULL;
    assert_int_equal(create_outcome(container_doc(missing, f->base, f->scratch), &sys), E_PATH);
    HcsCloseComputeSystem(sys);
    assert_int_equal(create_outcome(container_doc(f->app, f->base, f->scratch), &sys), E_INVALID_LAYER);
    HcsCloseComputeSystem(sys);
    assert_int_equal(HcsInitializeWritableLayer(w(f->scratch), parents, NULL), S_OK);
    assert_int_equal(create_outcome(container_doc(f->app, f->base, f->scratch), &sys), E_INVALID_LAYER);
    HcsCloseComputeSystem(sys);
    assert_int_equal(HcsAttachLayerStorageFilter(w(f->scratch), parents), S_OK);
    sys = NULL;
    assert_int_equal(create_outcome(container_doc(f->app, f->base, f->scratch), &sys), S_OK);
    assert_int_equal(run(HcsStartComputeSystem, sys), S_OK);
    assert_int_equal(run(HcsTerminateComputeSystem, sys), S_OK);
    HcsCloseComputeSystem(sys);
    assert_int_equal(HcsDetachLayerStorageFilter(w(f->scratch)), S_OK);
}

/* A VM document whose SCSI controller "primary" holds the VHD at LUN 0, or
 * no disk when vhd is NULL. */
static PCWSTR vm_with_disk(const char *vhd)
{
    char doc[4096] = "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"VirtualMachine\":{\"ComputeTopology\":{"
                     "\"Memory\":{\"SizeInMB\":1024}},\"Devices\":{\"Scsi\":{\"primary\":{\"Attachments\":{";
    if (vhd) {
        strcat(doc, "\"0\":{\"Type\":\"VirtualDisk\",\"Path\":\"");
        json_escape(doc, sizeof doc, vhd);
        strcat(doc, "\"}");
    }
    strcat(doc, "}}}}}}");
    return w(doc);
}

/* Adds the VHD at LUN 1 of a running VM. */
static HRESULT attach_disk(HCS_SYSTEM vm, const char *vhd)
{
    char request[4096] = "{\"ResourcePath\":\"VirtualMachine/Devices/Scsi/primary/Attachments/1\",\"RequestType\":"
                         "\"Add\",\"Settings\":{\"Type\":\"VirtualDisk\",\"Path\":\"";
    json_escape(request, sizeof request, vhd);
    strcat(request, "\"}}");
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HRESULT hr = HcsModifyComputeSystem(vm, op, w(request), NULL);
    if (SUCCEEDED(hr))
        hr = wait_op(op);
    HcsCloseOperation(op);
    return hr;
}

/* §4.1 #18: a scratch the host has attached (its writable layer's filter)
 * cannot be attached to a virtual machine, at creation or by modify, until
 * the filter is detached; other disks are not affected. */
static void host_attached_scratch_is_refused_by_a_vm(void **state)
{
    fixture *f = *state;
    char vhd[TFS_PATH], other[TFS_PATH];
    tfs_join(vhd, f->scratch, "sandbox.vhdx", NULL);
    tfs_join(other, f->root, "data.vhdx", NULL);
    assert_int_equal(HcsInitializeWritableLayer(w(f->scratch), layer_data(f->app, f->base, NULL), NULL), S_OK);
    assert_int_equal(HcsAttachLayerStorageFilter(w(f->scratch), layer_data(f->app, f->base, NULL)), S_OK);
    HCS_SYSTEM vm = NULL;
    assert_int_equal(create_outcome(vm_with_disk(vhd), &vm), E_SHARING);
    HcsCloseComputeSystem(vm);
    vm = NULL;
    assert_int_equal(create_outcome(vm_with_disk(other), &vm), S_OK);
    assert_int_equal(run(HcsStartComputeSystem, vm), S_OK);
    assert_int_equal(attach_disk(vm, vhd), E_SHARING);
    assert_int_equal(HcsDetachLayerStorageFilter(w(f->scratch)), S_OK);
    assert_int_equal(attach_disk(vm, vhd), S_OK);
    assert_int_equal(run(HcsTerminateComputeSystem, vm), S_OK);
    HcsCloseComputeSystem(vm);
    vm = NULL;
    assert_int_equal(create_outcome(vm_with_disk(vhd), &vm), S_OK); /* detached: free to attach */
    assert_int_equal(run(HcsTerminateComputeSystem, vm), S_OK);
    HcsCloseComputeSystem(vm);
}

/* The fault plan of the storage tests: hcssim_set_faults() installs it in
 * the simulator, except where storage calls come from a DLL of their own
 * (Windows: hcssim-storage.dll), which reads it from HCSSIM_FAULTS. */
#define STORAGE_FAULTS                                                                                                 \
    "{\"faults\":[{\"call\":\"HcsImportLayer\",\"at\":\"kickoff\",\"hresult\":\"0x80070005\",\"count\":1},"            \
    "{\"call\":\"HcsDestroyLayer\",\"at\":\"completion\",\"hresult\":\"0x80070020\",\"run_action\":true,"              \
    "\"count\":1}]}"

/* docs/fault-plans.md: a rule for a storage call (here §4.1 #7, import
 * without the backup privileges) returns its HRESULT without acting;
 * with run_action the action happens first. */
static void fault_plans_cover_storage_calls(void **state)
{
    (void)state;
    char root[TFS_PATH], base[TFS_PATH], transport[TFS_PATH], dest[TFS_PATH], error[200];
    tfs_fresh_dir("hcssim-storage-faults", root);
    tfs_make_base(tfs_join(base, root, "base", NULL));
    tfs_make_transport(tfs_join(transport, root, "transport", NULL), "a.txt", "a");
    tfs_join(dest, root, "denied", NULL);
    if (!getenv("HCSSIM_FAULTS"))
        assert_int_equal(hcssim_set_faults(STORAGE_FAULTS, error, sizeof error), 0);
    assert_int_equal(HcsImportLayer(w(dest), w(transport), layer_data(base, NULL)), E_DENIED);
    assert_false(tfs_exists(dest));
    assert_int_equal(HcsImportLayer(w(dest), w(transport), layer_data(base, NULL)), S_OK);
    assert_int_equal(HcsDestroyLayer(w(dest)), E_SHARING);
    assert_false(tfs_exists(dest));
    assert_int_equal(HcsDestroyLayer(w(root)), S_OK);
    if (!getenv("HCSSIM_FAULTS"))
        assert_int_equal(hcssim_set_faults(NULL, error, sizeof error), 0);
}

/* Bad arguments: NULLs, empty strings, bad handles give an HRESULT. */
static void bad_arguments_are_refused(void **state)
{
    fixture *f = *state;
    char out[TFS_PATH];
    tfs_join(out, f->root, "out", NULL);
    assert_int_equal(HcsImportLayer(NULL, w(f->root), NULL), E_INVALIDARG);
    assert_int_equal(HcsImportLayer(w(""), w(f->root), NULL), E_INVALIDARG);
    assert_int_equal(HcsImportLayer(w(out), NULL, NULL), E_INVALIDARG);
    assert_int_equal(HcsExportLayer(NULL, NULL, NULL, NULL), E_INVALIDARG);
    assert_int_equal(HcsExportLegacyWritableLayer(NULL, NULL, NULL, NULL), E_INVALIDARG);
    assert_int_equal(HcsDestroyLayer(NULL), E_INVALIDARG);
    assert_int_equal(HcsDestroyLayer(w("")), E_INVALIDARG);
    assert_int_equal(HcsSetupBaseOSLayer(NULL, NULL, NULL), E_INVALIDARG);
    assert_int_equal(HcsSetupBaseOSVolume(w(f->base), NULL, NULL), E_INVALIDARG);
    assert_int_equal(HcsInitializeWritableLayer(NULL, NULL, NULL), E_INVALIDARG);
    assert_int_equal(HcsInitializeLegacyWritableLayer(w(f->scratch), NULL, NULL, NULL), E_INVALIDARG);
    assert_int_equal(HcsAttachLayerStorageFilter(NULL, NULL), E_INVALIDARG);
    assert_int_equal(HcsDetachLayerStorageFilter(NULL), E_INVALIDARG);
    assert_int_equal(HcsDetachLayerStorageFilter(w(out)), E_NOT_FOUND);
    assert_int_equal(HcsAttachOverlayFilter(NULL, NULL), E_INVALIDARG);
    assert_int_equal(HcsDetachOverlayFilter(w(f->scratch), NULL), E_NOT_FOUND);
    assert_int_equal(HcsGetLayerVhdMountPath(NULL, NULL), E_POINTER);
    PWSTR mount = NULL;
    assert_int_equal(HcsGetLayerVhdMountPath(INVALID_HANDLE_VALUE, &mount), E_INVALIDARG);
    assert_int_equal(HcsFormatWritableLayerVhd(INVALID_HANDLE_VALUE), E_INVALIDARG);
    assert_int_equal(HcsDestroyLayer(w("\\\\?\\Volume{not-a-guid}\\")), E_INVALIDARG);
    assert_false(tfs_exists(out));
}

/* The legacy pair (§1.5.3, §1.5.8): changes from the mount, hives from
 * the folder. */
static void legacy_writable_layer(void **state)
{
    fixture *f = *state;
    char folder[TFS_PATH], out[TFS_PATH], path[TFS_PATH];
    tfs_mkdir(tfs_join(folder, f->root, "hives", NULL));
    tfs_mkdir(tfs_join(out, f->root, "legacy-out", NULL));
    PCWSTR parents = layer_data(f->app, f->base, NULL);
    assert_int_equal(HcsExportLegacyWritableLayer(w(f->scratch), w(folder), w(out), parents), E_FILE);
    assert_int_equal(HcsInitializeLegacyWritableLayer(w(f->scratch), w(folder), parents, w("[")), E_INVALID_JSON);
    assert_int_equal(HcsInitializeLegacyWritableLayer(w(f->scratch), w(folder), parents, w("{}")), S_OK);
    tfs_write(tfs_join(path, f->scratch, "Files", "legacy.txt"), "old style");
    tfs_write(tfs_join(path, folder, "Hives", "System_Delta"), "hive");
    assert_int_equal(HcsExportLegacyWritableLayer(w(f->scratch), w(folder), w(out), parents), S_OK);
    assert_string_equal(tfs_read(tfs_join(path, out, "Files", "legacy.txt")), "old style");
    assert_string_equal(tfs_read(tfs_join(path, out, "Hives", "System_Delta")), "hive");
}

/* §4.1 #10, #17: the emulated build decides which exports exist. */
static void exports_follow_the_build(void **state)
{
    (void)state;
    const char *profile = getenv("HCSSIM_PROFILE");
    int old = profile && (strcmp(profile, "1809") == 0 || strcmp(profile, "1903") == 0 || strcmp(profile, "2004") == 0);
    int before_21h2 = old || (profile && strcmp(profile, "2104") == 0);
    assert_int_equal(hcssim_proc_address("HcsSetupBaseOSVolume") != NULL, !old);
    assert_int_equal(hcssim_proc_address("HcsAttachOverlayFilter") != NULL, !before_21h2);
    assert_non_null(hcssim_proc_address("HcsImportLayer"));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(import_creates_the_destination),
        T(import_needs_a_source_apart),
        T(import_checks_the_parent_chain),
        T(import_checks_the_transport_format),
        T(layer_data_is_checked),
        T(export_then_import_round_trips),
        T(initialize_takes_no_options),
        T(writable_layer_filter_rules),
        T(setup_base_os_layer_rules),
        T(vhd_format_and_mount_path),
        T(setup_base_os_volume),
        T(overlay_filter),
        T(compute_system_needs_its_layers),
        T(host_attached_scratch_is_refused_by_a_vm),
#ifndef _WIN32 /* hcssim_set_faults() does not reach hcssim-storage.dll */
        cmocka_unit_test(fault_plans_cover_storage_calls),
#endif
        T(bad_arguments_are_refused),
        T(legacy_writable_layer),
        cmocka_unit_test(exports_follow_the_build),
    };
    const struct CMUnitTest faults_only[] = {cmocka_unit_test(fault_plans_cover_storage_calls)};
    if (getenv("HCSSIM_FAULTS")) /* the plan would upset the other tests */
        return cmocka_run_group_tests_name("hcssim storage faults", faults_only, NULL, NULL);
    return cmocka_run_group_tests_name("hcssim as computestorage.dll", tests, NULL, NULL);
}
