/* What a ComputeSystem document asks of the host, checked once its syntax
 * is valid (hcssim__validate_compute_system): a virtual machine's
 * processors, memory and devices against the host's maximums (host.h,
 * devices.h), a container's processor settings and the guest's host name
 * (hcs-api §8.2, §8.13). docs/simulator-fidelity.md, "Limits". */
#ifndef HCSSIM_CONFIG_H
#define HCSSIM_CONFIG_H

#include "document.h"

#include <jansson.h>

/* A member of the wrong JSON type fails with HCS_E_INVALID_JSON; a value
 * the host does not allow with E_INVALIDARG; detail names the member. */
HRESULT hcssim__config_check(const json_t *doc, char detail[SIM_DETAIL_SIZE]);

/* The name the guest is given: Container.GuestOs.HostName, or that of the
 * HostedSystem's container; NULL when the document names none. */
const char *hcssim__config_host_name(const json_t *doc);

#endif
