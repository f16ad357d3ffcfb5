/* hcssim as computestorage.dll: a program written against Microsoft's
 * documented prototypes only (computestorage_decls.h) and linked with the
 * import library, beside hcssim-storage.dll renamed computestorage.dll and
 * hcssim.dll renamed computecore.dll. It pulls a layer, mounts a scratch on
 * a formatted VHD's volume, runs a container on it (computecore sees what
 * computestorage set up: two DLLs, one host) and commits its changes. */
#include "computestorage_decls.h"

#include <computecore.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include <cmocka.h>

#define E_PATH_NOT_FOUND_ ((HRESULT)0x80070003)
#define E_SHARING_ ((HRESULT)0x80070020)
#define HCS_E_INVALID_LAYER_ ((HRESULT)0x80370112)

static wchar_t root[MAX_PATH];

static const wchar_t *path(const wchar_t *name)
{
    static wchar_t buf[8][MAX_PATH * 2];
    static int next;
    wchar_t *out = buf[next++ % 8];
    swprintf(out, MAX_PATH * 2, L"%ls\\%ls", root, name);
    return out;
}

static void write_text(const wchar_t *file, const char *text)
{
    HANDLE h = CreateFileW(file, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    assert_true(h != INVALID_HANDLE_VALUE);
    DWORD n;
    assert_true(WriteFile(h, text, (DWORD)strlen(text), &n, NULL));
    CloseHandle(h);
}

static BOOL exists(const wchar_t *file) { return GetFileAttributesW(file) != INVALID_FILE_ATTRIBUTES; }

/* Appends path to out as the inside of a JSON string (backslashes doubled). */
static void append_escaped(wchar_t *out, const wchar_t *path)
{
    size_t n = wcslen(out);
    for (const wchar_t *c = path; *c; c++) {
        if (*c == L'\\')
            out[n++] = L'\\';
        out[n++] = *c;
    }
    out[n] = 0;
}

/* LayerData naming one or two layers. */
static const wchar_t *layer_data(const wchar_t *first, const wchar_t *second)
{
    static wchar_t doc[4][4096];
    static int next;
    wchar_t *out = doc[next++ % 4];
    wcscpy(out, L"{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Layers\":[");
    const wchar_t *paths[] = {first, second};
    for (int i = 0; i < 2 && paths[i]; i++) {
        swprintf(out + wcslen(out), 4096 - wcslen(out),
                 L"%ls{\"Id\":\"6f0c1b2e-0000-4000-8000-00000000000%d\",\"Path\":\"", i ? L"," : L"", i);
        append_escaped(out, paths[i]);
        wcscat(out, L"\"}");
    }
    wcscat(out, L"]}");
    return out;
}

static int setup(void **state)
{
    (void)state;
    wchar_t tmp[MAX_PATH];
    GetTempPathW(MAX_PATH, tmp);
    swprintf(root, MAX_PATH, L"%lshcssim-dropin-%lu", tmp, GetCurrentProcessId());
    CreateDirectoryW(root, NULL);
    CreateDirectoryW(path(L"base"), NULL);
    CreateDirectoryW(path(L"base\\Files"), NULL);
    CreateDirectoryW(path(L"base\\Files\\Windows"), NULL);
    CreateDirectoryW(path(L"pull"), NULL);
    CreateDirectoryW(path(L"pull\\Files"), NULL);
    write_text(path(L"pull\\Files\\app.exe"), "app");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return HcsDestroyLayer(root) == S_OK && !exists(root) ? 0 : -1;
}

static HRESULT create_container(const wchar_t *scratch, HCS_SYSTEM *sys)
{
    wchar_t doc[8192];
    const wchar_t *layers = layer_data(path(L"app"), path(L"base"));
    const wchar_t *list = wcschr(layers, L'[');
    swprintf(doc, 8192,
             L"{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Container\":{\"Storage\":{\"Layers\":%.*ls,"
             L"\"Path\":\"",
             (int)(wcslen(list) - 1), list);
    append_escaped(doc, scratch);
    wcscat(doc, L"\"}}}");
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    wchar_t id[64];
    static int n;
    swprintf(id, 64, L"dropin-%d", n++);
    HRESULT hr = HcsCreateComputeSystem(id, doc, op, NULL, sys);
    if (SUCCEEDED(hr))
        hr = HcsWaitForOperationResult(op, INFINITE, NULL);
    HcsCloseOperation(op);
    return hr;
}

static void pull_mount_run_commit(void **state)
{
    (void)state;
    /* A. pull: the app layer on the base. */
    assert_int_equal(HcsImportLayer(path(L"app"), path(L"pull"), layer_data(path(L"base"), NULL)), S_OK);
    assert_true(exists(path(L"app\\Files\\app.exe")));
    /* B. the scratch on a VHD: format, mount path, initialize, filter. */
    HANDLE vhd = CreateFileW(path(L"sandbox.vhdx"), GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_NEW,
                             FILE_ATTRIBUTE_NORMAL, NULL);
    assert_true(vhd != INVALID_HANDLE_VALUE);
    assert_int_equal(HcsFormatWritableLayerVhd(vhd), S_OK);
    PWSTR volume = NULL;
    assert_int_equal(HcsGetLayerVhdMountPath(vhd, &volume), S_OK);
    assert_int_equal(wcsncmp(volume, L"\\\\?\\Volume{", 11), 0);
    const wchar_t *parents = layer_data(path(L"app"), path(L"base"));
    HCS_SYSTEM sys = NULL;
    assert_int_equal(create_container(volume, &sys), HCS_E_INVALID_LAYER_); /* not set up yet */
    HcsCloseComputeSystem(sys);
    assert_int_equal(HcsInitializeWritableLayer(volume, parents, NULL), S_OK);
    assert_int_equal(HcsAttachLayerStorageFilter(volume, parents), S_OK);
    sys = NULL;
    assert_int_equal(create_container(volume, &sys), S_OK);
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsStartComputeSystem(sys, op, NULL), S_OK);
    assert_int_equal(HcsWaitForOperationResult(op, INFINITE, NULL), S_OK);
    assert_int_equal(HcsDestroyLayer(path(L"app")), E_SHARING_); /* in use */
    assert_int_equal(HcsTerminateComputeSystem(sys, op, NULL), S_OK);
    assert_int_equal(HcsWaitForOperationResult(op, INFINITE, NULL), S_OK);
    HcsCloseOperation(op);
    HcsCloseComputeSystem(sys);
    /* D. commit: export the changes, import them as a layer. */
    CreateDirectoryW(path(L"commit"), NULL);
    assert_int_equal(HcsExportLayer(volume, path(L"commit"), parents, L"{\"IsWritableLayer\":true}"), S_OK);
    assert_true(exists(path(L"commit\\Files")));
    assert_int_equal(HcsImportLayer(path(L"committed"), path(L"commit"), parents), S_OK);
    assert_int_equal(HcsDetachLayerStorageFilter(volume), S_OK);
    assert_int_equal(HcsDestroyLayer(volume), S_OK);
    LocalFree(volume); /* the documented deallocator */
    CloseHandle(vhd);
    assert_int_equal(HcsDestroyLayer(path(L"nowhere")), E_PATH_NOT_FOUND_);
}

/* C. the base OS layer, and the functions found with GetProcAddress. */
static void base_layer_and_late_exports(void **state)
{
    (void)state;
    assert_int_equal(HcsSetupBaseOSLayer(path(L"base"), NULL, L"{\"Type\":\"Container\"}"), S_OK);
    assert_true(exists(path(L"base\\layout")));
    HMODULE m = GetModuleHandleW(L"computestorage.dll");
    assert_non_null(m);
    assert_null(GetProcAddress(m, "hcssim_proc_address")); /* exactly computestorage's exports */
    HcsAttachOverlayFilterFn attach =
        (HcsAttachOverlayFilterFn)(void (*)(void))GetProcAddress(m, "HcsAttachOverlayFilter");
    HcsDetachOverlayFilterFn detach =
        (HcsDetachOverlayFilterFn)(void (*)(void))GetProcAddress(m, "HcsDetachOverlayFilter");
    assert_non_null(attach);
    assert_non_null(detach);
    CreateDirectoryW(path(L"cim-scratch"), NULL);
    assert_int_equal(attach(path(L"cim-scratch"), layer_data(path(L"base\\Files"), NULL)), S_OK);
    assert_int_equal(detach(path(L"cim-scratch"), L"{\"FilterType\":\"WCIFS\"}"), S_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(pull_mount_run_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(base_layer_and_late_exports, setup, teardown),
    };
    return cmocka_run_group_tests_name("hcssim as computestorage.dll", tests, NULL, NULL);
}
