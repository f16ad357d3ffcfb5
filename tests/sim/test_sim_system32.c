/* hcssim installed for other clients (issue 17): a program linked against
 * computecore.dll's import library, with no computecore.dll beside it,
 * loads the one scripts/hcssim-wine-install.sh put in System32, as hcsshim
 * and other Windows clients load the real one. Run by system32_test.sh
 * in a Wine prefix of its own. */
#include <windows.h>

#include <computecore.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include <cmocka.h>

/* HcsEventOptionEnableLiveMigrationEvents (hcs-newest §1.1), which hcsshim
 * registers with; not in mingw-w64's computedefs.h. */
#define LIVE_MIGRATION_EVENTS ((HCS_EVENT_OPTIONS)4)

static const wchar_t *const config = L"{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Container\":{}}";

/* The folder part of a module's path, lower case. */
static void module_folder(HMODULE module, wchar_t *out, DWORD size)
{
    DWORD n = GetModuleFileNameW(module, out, size);
    assert_true(n > 0 && n < size);
    wchar_t *slash = wcsrchr(out, L'\\');
    assert_non_null(slash);
    *slash = 0;
    for (wchar_t *p = out; *p; p++)
        *p = (wchar_t)towlower(*p);
}

/* The loader found computecore.dll in System32, not beside the program,
 * and it is hcssim (which also exports hcssim_proc_address). */
static void computecore_comes_from_system32(void **state)
{
    (void)state;
    HMODULE core = GetModuleHandleW(L"computecore.dll");
    assert_non_null(core);
    wchar_t core_dir[MAX_PATH], exe_dir[MAX_PATH], system_dir[MAX_PATH];
    module_folder(core, core_dir, MAX_PATH);
    module_folder(NULL, exe_dir, MAX_PATH);
    UINT n = GetSystemDirectoryW(system_dir, MAX_PATH);
    assert_true(n > 0 && n < MAX_PATH);
    for (wchar_t *p = system_dir; *p; p++)
        *p = (wchar_t)towlower(*p);
    assert_true(wcscmp(core_dir, system_dir) == 0);
    assert_true(wcscmp(core_dir, exe_dir) != 0);
    assert_non_null(GetProcAddress(core, "hcssim_proc_address"));
}

static void CALLBACK on_event(HCS_EVENT *event, void *context)
{
    if (event->Type == HcsEventSystemExited)
        SetEvent((HANDLE)context);
}

/* issue: hcsshim pattern, through the installed DLL: create, register
 * the system callback with the live-migration option, start, terminate
 * with the operation closed at once, and the exit arrives as an event */
static void hcsshim_sequence_through_system32(void **state)
{
    (void)state;
    HANDLE exited = CreateEventW(NULL, TRUE, FALSE, NULL);
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HCS_SYSTEM sys = NULL;
    assert_int_equal(HcsCreateComputeSystem(L"system32-client", config, op, NULL, &sys), S_OK);
    assert_int_equal(HcsWaitForOperationResult(op, INFINITE, NULL), S_OK);
    assert_int_equal(HcsSetComputeSystemCallback(sys, LIVE_MIGRATION_EVENTS, exited, on_event), S_OK);
    assert_int_equal(HcsStartComputeSystem(sys, op, NULL), S_OK);
    assert_int_equal(HcsWaitForOperationResult(op, INFINITE, NULL), S_OK);
    HcsCloseOperation(op);
    op = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsTerminateComputeSystem(sys, op, L""), S_OK);
    HcsCloseOperation(op);
    assert_int_equal(WaitForSingleObject(exited, 30000), WAIT_OBJECT_0); /* a hang guard */
    HcsCloseComputeSystem(sys);
    CloseHandle(exited);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(computecore_comes_from_system32),
        cmocka_unit_test(hcsshim_sequence_through_system32),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
