/* Filling hcs_error inside the library. */
#ifndef HCS_SRC_ERROR_INTERNAL_H
#define HCS_SRC_ERROR_INTERNAL_H

#include "hcs/error.h"

#if defined(__GNUC__)
#define HCS_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define HCS_PRINTF(f, a)
#endif

/* Records a failure of `call` in err (when non-NULL) and returns hr. The
 * message is the formatted text followed by what hr means. */
int32_t hcs__fail(hcs_error *err, int32_t hr, const char *call, const char *fmt, ...) HCS_PRINTF(4, 5);
/* As hcs__fail (fmt may be NULL: no text of our own), with HCS's result document (UTF-8, ownership taken, may be
 * NULL); a ResultError in it is parsed and its details join the message. */
int32_t hcs__fail_doc(hcs_error *err, int32_t hr, const char *call, char *doc, const char *fmt, ...) HCS_PRINTF(5, 6);
/* Resets err to success (when non-NULL) and returns HCS_OK. */
int32_t hcs__succeed(hcs_error *err);

#endif
