/* HcsGetComputeSystemProperties (hcs-api §8.4, §11 #30): the property types
 * the emulated build defines (System_PropertyType since 2104,
 * PropertyType_2 before), which of them each kind of system answers, and
 * the answers. docs/simulator-fidelity.md, "Property types". */
#ifndef HCSSIM_PROPERTIES_H
#define HCSSIM_PROPERTIES_H

#include "document.h"
#include "system_state.h"

/* With the engine lock held: the Properties answering a
 * System_PropertyQuery (NULL: the basic properties). A type the build does
 * not define fails with HCS_E_INVALID_JSON; one the system's kind lacks
 * (a container's Memory, a VM's GuestConnection without one configured)
 * with HRESULT_FROM_WIN32(ERROR_NOT_SUPPORTED); a guest connection that is
 * not up (the VM is not running) with HCS_E_INVALID_STATE. */
HRESULT hcssim__system_query(sim_system *sys, const json_t *query, json_t **out, char detail[SIM_DETAIL_SIZE]);

#endif
