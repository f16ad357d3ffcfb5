/* Switches for behaviours where two readings of the documentation are
 * plausible (docs/simulator-fidelity.md lists each with its default).
 * Set from the environment variable HCSSIM_BEHAVIOUR, a comma-separated
 * list of name=value, or with hcssim_set_behaviour(). */
#ifndef HCSSIM_BEHAVIOUR_H
#define HCSSIM_BEHAVIOUR_H

#include "hcssim/computecore_abi.h"

#include <stdbool.h>

/* What HcsWaitForComputeSystemExit and HcsWaitForProcessExit return on
 * timeout: HCS_E_OPERATION_TIMEOUT ("operation_timeout", default) or
 * HRESULT_FROM_WIN32(WAIT_TIMEOUT) ("wait_timeout"). */
HRESULT sim_exit_wait_timeout_code(void);

/* Whether closing a pending operation cancels its request ("cancel", as
 * a 2020 draft of the docs said) instead of letting it complete unseen
 * ("complete", default, what hcsshim relies on). hcs-api §11 #12. */
bool sim_close_cancels_pending(void);

/* Sets one switch. Returns 0, or -1 for an unknown name or value. */
int sim_behaviour_set(const char *name, const char *value);

#endif
