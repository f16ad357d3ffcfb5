/* Documents for the trace, with secrets taken out: the value of every
 * member whose name contains Password, Secret, Token, Credential or Key
 * (any case) becomes "<redacted>", at any depth. */
#ifndef HCS_SRC_SCRUB_H
#define HCS_SRC_SCRUB_H

/* A scrubbed copy of json (malloc'ed), NULL for NULL input. Text that is
 * not JSON is not shown at all: "<not JSON, N bytes>". */
char *hcs_scrub(const char *json);

#endif
