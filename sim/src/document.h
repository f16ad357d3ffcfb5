/* Reading the JSON documents clients pass in: strict UTF-16, bounded size,
 * and validation of the ComputeSystem document. Failures come back as an
 * HRESULT plus a sentence naming the problem (for ResultError). */
#ifndef HCSSIM_DOCUMENT_H
#define HCSSIM_DOCUMENT_H

#include "hcs/computecore.h"

#include <jansson.h>
#include <stdarg.h>
#include <stddef.h>

/* Documents longer than this (in UTF-16 code units, 16 MiB) are refused. */
#define SIM_MAX_DOCUMENT_UNITS ((size_t)8 * 1024 * 1024)

enum { SIM_DETAIL_SIZE = 256 };

/* printf-style checking; mingw-w64's C99 stdio (on with C11) formats as
 * GNU does, %zu included. */
#if defined(__MINGW32__)
#define SIM_PRINTF(f, a) __attribute__((format(gnu_printf, f, a)))
#elif defined(__GNUC__)
#define SIM_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SIM_PRINTF(f, a)
#endif

/* Formats a detail sentence like snprintf. A text longer than the buffer is
 * cut on a UTF-8 character boundary and ends in "...", so a detail is
 * always valid UTF-8 (a ResultError is built from it, hcs-api §7). */
void hcssim__detail(char detail[SIM_DETAIL_SIZE], const char *fmt, ...) SIM_PRINTF(2, 3);
/* The same with a va_list. */
void hcssim__vdetail(char detail[SIM_DETAIL_SIZE], const char *fmt, va_list ap) SIM_PRINTF(2, 0);

/* At most max bytes of s, cut on a character boundary: the length to give
 * "%.*s" when a detail quotes a client's string. */
int hcssim__clip(const char *s, size_t max);

/* Converts a client string to UTF-8 (malloc'ed). NULL stays NULL.
 * Fails with SIM_E_BAD_UNICODE, HCS_E_INVALID_JSON (too long) or
 * E_OUTOFMEMORY. */
HRESULT hcssim__text_in(PCWSTR in, char **out, char detail[SIM_DETAIL_SIZE]);

/* Parses a JSON document (NULL or empty gives *out = NULL and S_OK).
 * Malformed or invalid text fails with HCS_E_INVALID_JSON. */
HRESULT hcssim__json_in(PCWSTR in, json_t **out, char detail[SIM_DETAIL_SIZE]);

/* A member a document may have and the JSON type it must have
 * (JSON_TRUE stands for either boolean). */
typedef struct sim_field {
    const char *name;
    json_type type;
} sim_field;

/* Fails with HCS_E_INVALID_JSON and "Type.Member: ..." in detail when obj
 * has a member not in fields, or one of the wrong type. */
HRESULT hcssim__check_fields(const json_t *obj, const char *type, const sim_field *fields, size_t count,
                             char detail[SIM_DETAIL_SIZE]);

/* A member of an options document (hcs-api §8): its JSON type (JSON_TRUE
 * for a boolean, JSON_REAL for any number), the schema minor version that introduced it, and for a
 * string its enum values (NULL-terminated; NULL: any string), for an
 * object its own members. */
typedef struct sim_member {
    const char *name;
    json_type type;
    int since_minor;
    const char *const *values;
    const struct sim_member *members;
    size_t member_count;
} sim_member;

/* Fails with HCS_E_INVALID_JSON and "Type.Member...: ..." in detail when obj
 * is not an object, or has a member not in members, of the wrong type, not
 * among its enum values, or newer than schema 2.max_minor; nested objects
 * are checked the same way. */
HRESULT hcssim__check_members(const json_t *obj, const char *type, const sim_member *members, size_t count,
                              int max_minor, char detail[SIM_DETAIL_SIZE]);

/* Checks a ComputeSystem document (hcs-api §8.1): exactly one of Container,
 * VirtualMachine, HostedSystem; a SchemaVersion of major 2 and a minor no
 * newer than max_minor; known top-level fields of the right types. */
HRESULT hcssim__validate_compute_system(const json_t *doc, int max_minor, char detail[SIM_DETAIL_SIZE]);

#endif
