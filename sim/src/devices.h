/* A virtual machine's devices as the simulated service keeps them: a copy of
 * the document's VirtualMachine.Devices (hcs-api §8.13) that
 * HcsModifyComputeSystem changes (§8.6) and a save carries. The counts and
 * keys a VM may have are checked against the host's maximums (host.h):
 * when the VM is created, and on every change. */
#ifndef HCSSIM_DEVICES_H
#define HCSSIM_DEVICES_H

#include "document.h"

#include <jansson.h>
#include <stdbool.h>

/* ModifySettingRequest.RequestType, as bits. */
enum sim_request_type { SIM_ADD = 1, SIM_REMOVE = 2, SIM_UPDATE = 4 };

/* Checks a document's VirtualMachine.Devices (NULL: none). A member of the
 * wrong JSON type fails with HCS_E_INVALID_JSON; more devices than the host
 * allows, a key out of range or two shares of one name fail with
 * E_INVALIDARG; detail names the member. */
HRESULT hcssim__devices_check(const json_t *devices, char detail[SIM_DETAIL_SIZE]);

/* Applies a modify request to the devices (an object) when `path` is a
 * device resource path this file keeps: SCSI attachments, network
 * adapters, Plan9 and virtual SMB shares, COM ports, virtual PMem devices
 * and shared memory regions. *handled says whether it was one. Adding what
 * exists fails with SIM_E_ALREADY_EXISTS, removing or updating what does
 * not with HRESULT_FROM_WIN32(ERROR_NOT_FOUND) (an unknown SCSI controller
 * too), going past a maximum or a key out of range with E_INVALIDARG, and
 * Settings of the wrong shape with HCS_E_INVALID_JSON. */
HRESULT hcssim__devices_modify(json_t *devices, const char *path, int type, const json_t *settings, bool *handled,
                               char detail[SIM_DETAIL_SIZE]);

#endif
