/* The compute-system exports (hcs-api §2.2): argument checks that fail the
 * call itself, then a request whose action (system_actions.h) decides the
 * outcome on the engine thread. */
#ifndef HCSSIM_SYSTEM_H
#define HCSSIM_SYSTEM_H

#include "engine.h"

/* ns is the namespace (NULL: the default one); options may carry an event
 * callback to register before the call returns. */
HRESULT hcssim__system_create(PCWSTR ns, PCWSTR id, PCWSTR configuration, HCS_OPERATION operation,
                              const HCS_CREATE_OPTIONS_1 *options, HCS_SYSTEM *out);
HRESULT hcssim__system_open(PCWSTR ns, PCWSTR id, DWORD requested_access, HCS_SYSTEM *out);
void hcssim__system_close(HCS_SYSTEM handle);
HRESULT hcssim__system_enumerate(PCWSTR ns, PCWSTR query, HCS_OPERATION operation);

/* The calls that take (system, operation, options) and differ only in
 * what they ask for; `call` is the export's name. */
HRESULT hcssim__system_call(const char *call, HCS_SYSTEM handle, HCS_OPERATION operation, PCWSTR options);

HRESULT hcssim__system_wait_exit(HCS_SYSTEM handle, DWORD timeout_ms, PWSTR *result);
HRESULT hcssim__system_set_callback(HCS_SYSTEM handle, HCS_EVENT_OPTIONS options, const void *context,
                                    HCS_EVENT_CALLBACK callback);

#endif
