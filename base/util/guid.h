/* GUIDs as text: 36 characters, upper case, no braces (the form HCN
 * returns, storage-and-network §2.5), parsed from any case, with or
 * without braces. */
#ifndef HCS_UTIL_GUID_H
#define HCS_UTIL_GUID_H

#include "hcs/computenetwork.h"

#include <stdbool.h>
#include <stddef.h>

#define HCS_GUID_LEN 36

void hcs__guid_format(const GUID *g, char out[HCS_GUID_LEN + 1]);
/* False when text is not a GUID. */
bool hcs__guid_parse(const char *text, GUID *out);
/* Whether the n characters at s are a GUID in the schema's JSON form:
 * 8-4-4-4-12 hex digits of any case, no braces. */
bool hcs__guid_is_text(const char *s, size_t n);

#endif
