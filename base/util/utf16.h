/* Strict UTF-8 <-> UTF-16 conversion. Invalid input (bad sequences, overlong
 * forms, surrogates in UTF-8, unpaired surrogates in UTF-16) is rejected,
 * never replaced. */
#ifndef HCS_UTIL_UTF16_H
#define HCS_UTIL_UTF16_H

#include <stddef.h>
#include <stdint.h>

/* Number of code units before the terminating 0. */
size_t hcs__utf16_len(const uint16_t *s);

/* Both return 0 and a malloc'ed, NUL-terminated copy in *out, or -1 for
 * invalid input and -2 when memory ran out (then *out is NULL). */
int hcs__utf8_to_utf16(const char *in, uint16_t **out);
int hcs__utf16_to_utf8(const uint16_t *in, char **out);

/* The length of the longest prefix of the n bytes at s that is whole,
 * valid UTF-8: cutting a string there never splits a character. Reads no
 * further than n bytes (nor past a NUL, which ends the prefix). */
size_t hcs__utf8_valid_prefix(const char *s, size_t n);

/* As hcs__utf16_to_utf8, but reads at most max_units code units and fails
 * with -3 when no terminator is found within them. */
int hcs__utf16_to_utf8_bounded(const uint16_t *in, size_t max_units, char **out);

#endif
