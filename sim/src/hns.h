/* HNS's V1 interface, vmcompute.dll's HNSCall(method, path, request,
 * &response) (storage-and-network §2.1, §2.10, §4.3 #53): the simulator
 * answers GET /globals/version, the call hcsshim and libhcs make to learn
 * which HCN features the host has, with the version its emulated build
 * stands for (profile.c; docs/simulator-fidelity.md, "HCN"). */
#ifndef HCSSIM_HNS_H
#define HCSSIM_HNS_H

#include "hcs/computecore.h"
#include "profile.h"

HRESULT WINAPI HNSCall(PCWSTR method, PCWSTR path, PCWSTR request, PWSTR *response);

/* HNSCall for the build `build` (the process's, or hcssimd's for its
 * clients). The response, freed with CoTaskMemFree, is
 * {"Success":true,"Output":{"Major":n,"Minor":m}}, or for any other
 * request {"Success":false,"Error":"..."} with S_OK, as hcsshim reads HNS's
 * answers. NULL method or path: E_INVALIDARG; NULL response: E_POINTER. */
HRESULT hcssim__hns_call(const sim_profile *build, PCWSTR method, PCWSTR path, PWSTR *response);

#endif
