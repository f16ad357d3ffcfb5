/* What each compute-system call does once its turn comes on the engine
 * thread (the state machine of hcs-api §11.1). Each runs with the engine
 * lock held, returns the outcome and may set *doc to the result document. */
#ifndef HCSSIM_SYSTEM_ACTIONS_H
#define HCSSIM_SYSTEM_ACTIONS_H

#include "request.h"

HRESULT hcssim__do_create(sim_request *req, char **doc);
HRESULT hcssim__do_start(sim_request *req, char **doc);
HRESULT hcssim__do_shutdown(sim_request *req, char **doc);
HRESULT hcssim__do_terminate(sim_request *req, char **doc);
HRESULT hcssim__do_pause(sim_request *req, char **doc);
HRESULT hcssim__do_resume(sim_request *req, char **doc);
HRESULT hcssim__do_save(sim_request *req, char **doc);
HRESULT hcssim__do_crash(sim_request *req, char **doc);
HRESULT hcssim__do_modify(sim_request *req, char **doc);
HRESULT hcssim__do_properties(sim_request *req, char **doc);
HRESULT hcssim__do_enumerate(sim_request *req, char **doc);

/* The system crashes: CrashInitiated, CrashReport, then an unexpected exit
 * (§11 #28). Also used by fault plans. */
void hcssim__system_crash(sim_system *sys);

#endif
