/* The process exports (hcs-api §2.3): argument checks that fail the call
 * itself, then a request whose action decides the outcome on the engine
 * thread, after the requests made earlier on the same system. */
#ifndef HCSSIM_PROCESS_CALLS_H
#define HCSSIM_PROCESS_CALLS_H

#include "engine.h"

HRESULT hcssim__process_create(HCS_SYSTEM system, PCWSTR parameters, HCS_OPERATION operation,
                               const SECURITY_DESCRIPTOR *security_descriptor, HCS_PROCESS *out);
HRESULT hcssim__process_open(HCS_SYSTEM system, DWORD pid, DWORD requested_access, HCS_PROCESS *out);
void hcssim__process_close(HCS_PROCESS process);

/* HcsTerminateProcess, HcsSignalProcess, HcsGetProcessInfo,
 * HcsGetProcessProperties and HcsModifyProcess; `call` is the name. */
HRESULT hcssim__process_call(const char *call, HCS_PROCESS process, HCS_OPERATION operation, PCWSTR options);

HRESULT hcssim__process_set_callback(HCS_PROCESS process, HCS_EVENT_OPTIONS options, const void *context,
                                     HCS_EVENT_CALLBACK callback);
HRESULT hcssim__process_wait_exit(HCS_PROCESS process, DWORD timeout_ms, PWSTR *result);

#endif
