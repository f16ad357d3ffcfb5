/* Base64 (RFC 4648, standard alphabet, padded), the JSON form of the
 * schema's byte strings such as CompatibilityInfo.Data (hcs-newest §4.7). */
#ifndef HCSSIM_BASE64_H
#define HCSSIM_BASE64_H

#include <stddef.h>

/* n bytes as base64 text (malloc'ed, NUL-terminated), or NULL when memory
 * ran out. */
char *hcssim__base64_encode(const void *bytes, size_t n);

/* The bytes of a base64 text, NUL-terminated for convenience (malloc'ed;
 * *n, when given, excludes the NUL), or NULL when the text is not padded
 * base64 or memory ran out. */
char *hcssim__base64_decode(const char *text, size_t *n);

#endif
