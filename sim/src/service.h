/* The host service functions (hcs-api §2.4) and the service connection:
 * a simulated service loss sends ServiceDisconnect to every handle and
 * fails every pending and later call (§11 #38) until it is restored. */
#ifndef HCSSIM_SERVICE_H
#define HCSSIM_SERVICE_H

#include "engine.h"

HRESULT hcssim__service_properties(PCWSTR query, PWSTR *result);
HRESULT hcssim__service_modify(PCWSTR settings, PWSTR *result);
HRESULT hcssim__service_submit_wer(PCWSTR settings);

/* With the engine lock held. */
void hcssim__service_disconnect_locked(sim_engine *e);
void hcssim__service_restore(void);

#endif
