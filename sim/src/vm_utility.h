/* The VM utility functions (hcs-api §2.5): state files are really created
 * (empty), access grants are checked and recorded as no-ops, since the
 * simulator has no per-VM accounts. */
#ifndef HCSSIM_VM_UTILITY_H
#define HCSSIM_VM_UTILITY_H

#include "hcs/computecore.h"

HRESULT hcssim__create_state_file(PCWSTR path);
/* vm_id may be NULL for the group variants. */
HRESULT hcssim__vm_access(PCWSTR vm_id, PCWSTR path);
HRESULT hcssim__processor_compatibility(PCWSTR runtime_file, PCWSTR *features);

#endif
