/* The simulated host's CPU groups (hcs-api §8.11): HcsModifyServiceSettings
 * with PropertyType "CpuGroup" creates and deletes them and sets their
 * properties, and the service property CpuGroup lists them. They are host
 * state: they outlive every client, as a system does. All functions expect
 * the engine lock to be held. */
#ifndef HCSSIM_CPU_GROUP_H
#define HCSSIM_CPU_GROUP_H

#include "document.h"
#include "engine.h"

#include <jansson.h>

/* The CpuGroupConfigurations answer: {"CpuGroups": [CpuGroupConfig...]}
 * (new object). */
json_t *hcssim__cpu_groups(sim_engine *e);

/* Applies the Settings of a CpuGroup ModificationRequest
 * (HostProcessorModificationRequest). Fails with HCS_E_INVALID_JSON for a
 * document of the wrong shape, E_INVALIDARG for a bad GroupId or
 * processor list, SIM_E_ALREADY_EXISTS for a group created twice and
 * HRESULT_FROM_WIN32(ERROR_NOT_FOUND) for an unknown group; detail says
 * which. */
HRESULT hcssim__cpu_group_modify(sim_engine *e, const json_t *settings, char detail[SIM_DETAIL_SIZE]);

#endif
