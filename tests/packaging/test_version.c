/* The version a program compiled against (include/hcs/version.h) and the
 * one libhcs reports agree with each other and with the build's number
 * (HCSKIT_PROJECT_VERSION, from project() in CMakeLists.txt). */
#include <hcs/hcs.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

static void headers_match_the_build(void **state)
{
    (void)state;
    char parts[32];
    snprintf(parts, sizeof parts, "%d.%d.%d", HCS_VERSION_MAJOR, HCS_VERSION_MINOR, HCS_VERSION_PATCH);
    assert_string_equal(parts, HCSKIT_PROJECT_VERSION);
    assert_string_equal(HCS_VERSION_STRING, HCSKIT_PROJECT_VERSION);
}

static void library_matches_the_headers(void **state)
{
    (void)state;
    uint32_t v = hcs_version();
    assert_int_equal(v, HCS_VERSION_NUMBER);
    assert_int_equal(v >> 16, HCS_VERSION_MAJOR);
    assert_int_equal((v >> 8) & 0xFF, HCS_VERSION_MINOR);
    assert_int_equal(v & 0xFF, HCS_VERSION_PATCH);
    char parts[32];
    snprintf(parts, sizeof parts, "%u.%u.%u", (unsigned)(v >> 16), (unsigned)((v >> 8) & 0xFF), (unsigned)(v & 0xFF));
    assert_string_equal(hcs_version_string(), parts);
    /* Static: the same pointer every time, nothing to free. */
    assert_ptr_equal(hcs_version_string(), hcs_version_string());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(headers_match_the_build),
        cmocka_unit_test(library_matches_the_headers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
