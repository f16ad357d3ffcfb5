/* Switches for behaviours where two readings of the documentation are
 * plausible (docs/simulator-fidelity.md lists each with its default).
 * Set from the environment variable HCSSIM_BEHAVIOUR, a comma-separated
 * list of name=value, or with hcssim_set_behaviour(). */
#ifndef HCSSIM_BEHAVIOUR_H
#define HCSSIM_BEHAVIOUR_H

#include "hcs/computecore.h"

#include <stdbool.h>

/* What HcsWaitForComputeSystemExit and HcsWaitForProcessExit return on
 * timeout: HCS_E_OPERATION_TIMEOUT ("operation_timeout", default) or
 * HRESULT_FROM_WIN32(WAIT_TIMEOUT) ("wait_timeout"). */
HRESULT hcssim__exit_wait_timeout_code(void);

/* Whether closing a pending operation cancels its request ("cancel", as
 * a 2020 draft of the docs said) instead of letting it complete unseen
 * ("complete", default, what hcsshim relies on). hcs-api §11 #12. */
bool hcssim__close_cancels_pending(void);

/* Whether HcsSet{ComputeSystem,Process}Callback accepts only the option
 * bits of the emulated build's SDK ("build_sdk": 1809-21H2 define
 * EnableOperationCallbacks only) instead of every bit any SDK defines
 * ("any_sdk", default: hcsshim registers EnableLiveMigrationEvents on every
 * build it supports). docs/simulator-fidelity.md, "Event options". */
bool hcssim__event_options_of_build_only(void);

/* Whether a callback registered after its process (or system) exited gets
 * the exit event ("deliver", default: hcsshim registers only after
 * HcsCreateProcess completed) or nothing ("drop"). */
bool hcssim__late_exit_event(void);

/* The code for "no such system": HCS_E_SYSTEM_NOT_FOUND 0x8037010E
 * ("hresult", default) or vmcompute's 0xC037010E ("legacy"), the only form
 * hcsshim's computecore layer recognises. */
HRESULT hcssim__system_not_found_code(void);

/* Sets one switch. Returns 0, or -1 for an unknown name or value. */
int hcssim__behaviour_set(const char *name, const char *value);

#endif
