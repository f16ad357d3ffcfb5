/* Simulated compute systems (containers and VMs): the registry by id, the
 * state machine of hcs-api §11.1, and HCS_SYSTEM handles. */
#ifndef HCSSIM_SYSTEM_H
#define HCSSIM_SYSTEM_H

#include "engine.h"

HRESULT sim_system_create(PCWSTR id, PCWSTR configuration, HCS_OPERATION operation,
                          const SECURITY_DESCRIPTOR *security_descriptor, HCS_SYSTEM *out);
HRESULT sim_system_open(PCWSTR id, DWORD requested_access, HCS_SYSTEM *out);
void sim_system_close(HCS_SYSTEM handle);

HRESULT sim_system_start(HCS_SYSTEM handle, HCS_OPERATION operation, PCWSTR options);
HRESULT sim_system_shutdown(HCS_SYSTEM handle, HCS_OPERATION operation, PCWSTR options);
HRESULT sim_system_terminate(HCS_SYSTEM handle, HCS_OPERATION operation, PCWSTR options);
HRESULT sim_system_properties(HCS_SYSTEM handle, HCS_OPERATION operation, PCWSTR query);
HRESULT sim_system_enumerate(PCWSTR query, HCS_OPERATION operation);

#endif
