/* The library's version (include/hcs/version.h), from the number the build
 * defines once, so the headers and the binary cannot disagree. */
#include "hcs/version.h"

uint32_t hcs_version(void) { return (uint32_t)HCS_VERSION_NUMBER; }

const char *hcs_version_string(void) { return HCS_VERSION_STRING; }
