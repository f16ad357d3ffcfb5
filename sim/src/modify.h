/* HcsModifyComputeSystem's ModifySettingRequest (hcs-api §8.6): which
 * resource paths exist, which request types each allows, and the effects
 * the simulator models (memory size, devices). */
#ifndef HCSSIM_MODIFY_H
#define HCSSIM_MODIFY_H

#include "document.h"
#include "system_state.h"

/* Checks the request against the system's type and applies it: memory
 * size, and the devices devices.h keeps. A bad document or a request type
 * the path does not allow fails with HCS_E_INVALID_JSON (inferred), an
 * unknown VM resource path with E_INVALIDARG, a device change as
 * hcssim__devices_modify says; detail holds a sentence. */
HRESULT hcssim__modify_apply(sim_system *sys, const json_t *request, char detail[SIM_DETAIL_SIZE]);

#endif
