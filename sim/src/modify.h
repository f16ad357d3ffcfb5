/* HcsModifyComputeSystem's ModifySettingRequest (hcs-api §8.6): which
 * resource paths exist, which request types each allows, and the effect
 * the simulator models (memory size). */
#ifndef HCSSIM_MODIFY_H
#define HCSSIM_MODIFY_H

#include "document.h"
#include "system_state.h"

/* Checks the request against the system's type and applies it. A bad
 * document, unknown path or disallowed request type fails with
 * HCS_E_INVALID_JSON (inferred) and a sentence in detail. */
HRESULT hcssim__modify_apply(sim_system *sys, const json_t *request, char detail[SIM_DETAIL_SIZE]);

#endif
