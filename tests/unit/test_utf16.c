/* Strict UTF-8 <-> UTF-16 conversion. */
#include "util/utf16.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void round_trips_every_plane(void **state)
{
    (void)state;
    const char *text = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80z"; /* a é € 😀 z */
    uint16_t *w = NULL;
    assert_int_equal(hcs__utf8_to_utf16(text, &w), 0);
    const uint16_t want[] = {'a', 0xE9, 0x20AC, 0xD83D, 0xDE00, 'z', 0};
    assert_memory_equal(w, want, sizeof want);
    assert_int_equal(hcs__utf16_len(w), 6);
    char *back = NULL;
    assert_int_equal(hcs__utf16_to_utf8(w, &back), 0);
    assert_string_equal(back, text);
    free(w);
    free(back);
}

static void rejects_invalid_utf8(void **state)
{
    (void)state;
    const char *bad[] = {"\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\x80", "abc\xE2\x82"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint16_t *w = (uint16_t *)1;
        assert_int_equal(hcs__utf8_to_utf16(bad[i], &w), -1);
        assert_null(w);
    }
}

static void rejects_unpaired_surrogates(void **state)
{
    (void)state;
    const uint16_t lone_high[] = {'a', 0xD800, 'b', 0};
    const uint16_t lone_low[] = {0xDC00, 0};
    const uint16_t high_at_end[] = {'x', 0xDBFF, 0};
    char *out = (char *)1;
    assert_int_equal(hcs__utf16_to_utf8(lone_high, &out), -1);
    assert_null(out);
    assert_int_equal(hcs__utf16_to_utf8(lone_low, &out), -1);
    assert_int_equal(hcs__utf16_to_utf8(high_at_end, &out), -1);
}

static void bounded_read_stops_at_the_limit(void **state)
{
    (void)state;
    const uint16_t text[] = {'a', 'b', 'c', 0};
    char *out = NULL;
    assert_int_equal(hcs__utf16_to_utf8_bounded(text, 3, &out), -3);
    assert_null(out);
    assert_int_equal(hcs__utf16_to_utf8_bounded(text, 4, &out), 0);
    assert_string_equal(out, "abc");
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trips_every_plane),
        cmocka_unit_test(rejects_invalid_utf8),
        cmocka_unit_test(rejects_unpaired_surrogates),
        cmocka_unit_test(bounded_read_stops_at_the_limit),
    };
    return cmocka_run_group_tests_name("utf16", tests, NULL, NULL);
}
