/* What an operation tells about itself beyond its result (hcs-newest §2):
 * the OperationInfo document of HcsGetOperationProperties and of the
 * HcsEventGroupOperationInfo notifications, and the resources
 * HcsAddResourceToOperation attaches. Shared by the simulator's operations
 * and the hcssimd client's (sim/daemon/client_objects.c), which keep the
 * same state machine. */
#ifndef HCSSIM_OP_INFO_H
#define HCSSIM_OP_INFO_H

#include "hcs/computecore.h"

#include <stdbool.h>
#include <stdint.h>

/* The only resource slot with a known user (hcs-newest §3). */
#define SIM_LIVE_MIGRATION_SOCKET_URI "hcs:/VirtualMachine/LiveMigrationSocket"

/* Milliseconds since 1970 (UTC), for the documents' timestamps. */
int64_t hcssim__wall_ms(void);

/* A date-time of the schema (RFC 3339, UTC, milliseconds) as a JSON
 * string (new reference). */
struct json_t;
struct json_t *hcssim__timestamp(int64_t ms);

/* The OperationInfo document (hcs-newest §2.2, inferred): Operation (the
 * schema's OperationType string for type), StartTimestamp once started
 * (start_ms non-zero), EndTimestamp once ended (end_ms non-zero) and,
 * when it failed, FailureInfo.Result. Malloc'ed UTF-8, or NULL when memory
 * ran out. */
char *hcssim__op_info_json(HCS_OPERATION_TYPE type, int64_t start_ms, int64_t end_ms, HRESULT result);

/* HcsAddResourceToOperation's first half (hcs-newest §5 #5-#7): the URI
 * must be the live migration socket's and the type Socket, else
 * E_INVALIDARG (E_POINTER for a NULL uri); the handle a stream socket,
 * else SIM_E_HANDLE. On S_OK *copy is the simulator's own duplicate
 * (base/platform/socket.h); -1 otherwise. */
HRESULT hcssim__resource_dup(HCS_RESOURCE_TYPE type, PCWSTR uri, HANDLE handle, intptr_t *copy);
/* Its second half, under the operation's lock: stores *copy in *slot (and
 * sets *copy to -1) unless the operation is pending
 * (HCS_E_OPERATION_ALREADY_STARTED) or the slot is filled
 * (SIM_E_ALREADY_EXISTS), both inferred. The caller closes *copy after. */
HRESULT hcssim__resource_store(intptr_t *slot, bool pending, intptr_t *copy);

/* The same document as a LocalFree-able UTF-16 string in *out:
 * HcsGetOperationProperties's answer. S_OK or E_OUTOFMEMORY. */
HRESULT hcssim__op_info_out(HCS_OPERATION_TYPE type, int64_t start_ms, int64_t end_ms, HRESULT result, PWSTR *out);

/* Checks the options of HcsGetOperationProperties (hcs-newest §5 #26):
 * E_POINTER for NULL options or result, S_OK for a JSON object ("" and
 * "{}" included), E_INVALIDARG for anything else. */
HRESULT hcssim__op_properties_options(PCWSTR options, PWSTR *result);

#endif
