/* hcssim as computecore.dll: the Tutorial's call sequence (hcs-api §9.1),
 * compiled against the SDK's own computecore.h and linked with its import
 * library, runs against hcssim.dll renamed computecore.dll. */
#include <windows.h>

#include <computecore.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <wchar.h>

#include <cmocka.h>

#define HCS_E_SYSTEM_ALREADY_STOPPED_ ((HRESULT)0x80370110)

static const wchar_t *const config = L"{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Container\":{}}";

static void tutorial_sequence_on_one_operation(void **state)
{
    (void)state;
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    assert_non_null(op);
    HCS_SYSTEM sys = NULL;
    assert_int_equal(HcsCreateComputeSystem(L"dropin-tutorial", config, op, NULL, &sys), S_OK);
    PWSTR doc = NULL;
    assert_int_equal(HcsWaitForOperationResult(op, INFINITE, &doc), S_OK);
    assert_null(doc); /* create returns no document */
    assert_int_equal(HcsStartComputeSystem(sys, op, NULL), S_OK);
    assert_int_equal(HcsWaitForOperationResult(op, INFINITE, NULL), S_OK);
    assert_int_equal(HcsGetComputeSystemProperties(sys, op, NULL), S_OK);
    assert_int_equal(HcsWaitForOperationResult(op, INFINITE, &doc), S_OK);
    assert_non_null(doc);
    assert_non_null(wcsstr(doc, L"\"State\":\"Running\""));
    LocalFree(doc); /* the documented deallocator */
    assert_int_equal(HcsTerminateComputeSystem(sys, op, NULL), S_OK);
    assert_int_equal(HcsWaitForOperationResult(op, INFINITE, NULL), S_OK);
    assert_int_equal(HcsTerminateComputeSystem(sys, op, NULL), S_OK);
    assert_int_equal(HcsWaitForOperationResult(op, INFINITE, NULL), HCS_E_SYSTEM_ALREADY_STOPPED_);
    HcsCloseOperation(op);
    HcsCloseComputeSystem(sys);
}

/* The module the loader picked is the renamed simulator beside us. */
static void computecore_is_the_simulator(void **state)
{
    (void)state;
    HMODULE m = GetModuleHandleW(L"computecore.dll");
    assert_non_null(m);
    assert_non_null(GetProcAddress(m, "hcssim_proc_address"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tutorial_sequence_on_one_operation),
        cmocka_unit_test(computecore_is_the_simulator),
    };
    return cmocka_run_group_tests_name("hcssim as computecore.dll", tests, NULL, NULL);
}
