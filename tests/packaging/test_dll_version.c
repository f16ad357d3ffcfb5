/* The DLLs carry version resources with the project's version (cmake/
 * version.rc.in): the fixed file version and the strings Windows shows,
 * read back with GetFileVersionInfo as a Windows user's tools read them. */
#include <hcs/hcs.h>

#include <windows.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* The resource of `dll`, a file beside this program. */
static void check_dll(const char *dll)
{
    char path[MAX_PATH];
    DWORD n = GetModuleFileNameA(NULL, path, sizeof path);
    assert_true(n > 0 && n < sizeof path);
    char *slash = strrchr(path, '\\');
    assert_non_null(slash);
    snprintf(slash + 1, sizeof path - (size_t)(slash + 1 - path), "%s", dll);

    DWORD ignored = 0, size = GetFileVersionInfoSizeA(path, &ignored);
    if (size == 0)
        fail_msg("%s has no version resource (error %lu)", path, (unsigned long)GetLastError());
    void *info = malloc(size);
    assert_non_null(info);
    assert_true(GetFileVersionInfoA(path, 0, size, info));

    VS_FIXEDFILEINFO *fixed = NULL;
    UINT len = 0;
    assert_true(VerQueryValueA(info, "\\", (void **)&fixed, &len));
    assert_int_equal(fixed->dwSignature, 0xFEEF04BD);
    assert_int_equal(fixed->dwFileVersionMS, ((DWORD)HCS_VERSION_MAJOR << 16) | HCS_VERSION_MINOR);
    assert_int_equal(fixed->dwFileVersionLS, (DWORD)HCS_VERSION_PATCH << 16);
    assert_int_equal(fixed->dwProductVersionMS, fixed->dwFileVersionMS);
    assert_int_equal(fixed->dwFileType, VFT_DLL);

    const char *value = NULL;
    assert_true(VerQueryValueA(info, "\\StringFileInfo\\040904B0\\ProductVersion", (void **)&value, &len));
    assert_string_equal(value, HCS_VERSION_STRING);
    assert_true(VerQueryValueA(info, "\\StringFileInfo\\040904B0\\FileVersion", (void **)&value, &len));
    assert_string_equal(value, HCS_VERSION_STRING);
    assert_true(VerQueryValueA(info, "\\StringFileInfo\\040904B0\\OriginalFilename", (void **)&value, &len));
    assert_string_equal(value, dll);
    free(info);
}

static void libhcs_has_the_version(void **state)
{
    (void)state;
    check_dll("hcs.dll");
}

static void simulators_have_the_version(void **state)
{
    (void)state;
    check_dll("hcssim.dll");
    check_dll("hcssim-1809.dll");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(libhcs_has_the_version),
        cmocka_unit_test(simulators_have_the_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
