/* The options documents of the compute-system calls (hcs-api §2.2, §8.7,
 * §8.4): which document each call takes and how it is checked. The calls
 * with reserved options (start, resume, terminate) are not here: they take
 * NULL, "" or any JSON (§11 #54). */
#ifndef HCSSIM_OPTIONS_H
#define HCSSIM_OPTIONS_H

#include "document.h"

/* Checks the parsed options of `call` (an export name; NULL doc: none
 * given) against the document the call takes: ShutdownOptions,
 * PauseOptions, SaveOptions, CrashOptions or System_PropertyQuery, as the
 * emulated build (schema 2.max_minor) knows it. Fails with
 * HCS_E_INVALID_JSON and the member at fault in detail. Calls without an
 * options document of their own pass. */
HRESULT hcssim__options_check(const char *call, const json_t *doc, int max_minor, char detail[SIM_DETAIL_SIZE]);

#endif
