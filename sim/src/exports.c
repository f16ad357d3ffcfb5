/* The computecore.dll exports. Each is a thin shell over the engine: it
 * tolerates bad handles and NULL arguments with an HRESULT, never a crash. */
#include "export.h"
#include "hns.h"
#include "operation.h"
#include "result.h"
#include "process_calls.h"
#include "service.h"
#include "system.h"
#include "vm_utility.h"

/* ---- operations (hcs-api §2.1) ---------------------------------------- */

/* The operation behind a handle, referenced and with the engine locked, or
 * NULL for a bad handle. Release it with unlock_op. */
static sim_operation *lock_op(HCS_OPERATION operation)
{
    sim_operation *op = hcssim__operation_acquire(operation);
    if (op)
        hcs__mutex_lock(&hcssim__engine_get()->mu);
    return op;
}

static void unlock_op(sim_operation *op)
{
    hcs__mutex_unlock(&hcssim__engine_get()->mu);
    hcssim__operation_release(op);
}

SIM_EXPORT HCS_OPERATION WINAPI HcsCreateOperation(const void *context, HCS_OPERATION_COMPLETION callback)
{
    return hcssim__operation_create(context, callback);
}

SIM_EXPORT void WINAPI HcsCloseOperation(HCS_OPERATION operation) { hcssim__operation_close(operation); }

SIM_EXPORT void *WINAPI HcsGetOperationContext(HCS_OPERATION operation)
{
    sim_operation *op = lock_op(operation);
    if (!op)
        return NULL;
    void *context = (void *)(uintptr_t)op->context;
    unlock_op(op);
    return context;
}

SIM_EXPORT HRESULT WINAPI HcsSetOperationContext(HCS_OPERATION operation, const void *context)
{
    sim_operation *op = lock_op(operation);
    if (!op)
        return SIM_E_HANDLE;
    op->context = context;
    unlock_op(op);
    return S_OK;
}

SIM_EXPORT HRESULT WINAPI HcsSetOperationCallback(HCS_OPERATION operation, const void *context,
                                                  HCS_OPERATION_COMPLETION callback)
{
    sim_operation *op = lock_op(operation);
    if (!op)
        return SIM_E_HANDLE;
    op->context = context;
    op->callback = callback;
    unlock_op(op);
    return S_OK;
}

SIM_EXPORT HCS_SYSTEM WINAPI HcsGetComputeSystemFromOperation(HCS_OPERATION operation)
{
    sim_operation *op = lock_op(operation);
    if (!op)
        return NULL;
    HCS_SYSTEM sys = op->state == SIM_OP_NOT_STARTED ? NULL : (HCS_SYSTEM)sim_handle_value(op->system);
    unlock_op(op);
    return sys;
}

SIM_EXPORT HCS_PROCESS WINAPI HcsGetProcessFromOperation(HCS_OPERATION operation)
{
    sim_operation *op = lock_op(operation);
    if (!op)
        return NULL;
    HCS_PROCESS proc = op->state == SIM_OP_NOT_STARTED ? NULL : (HCS_PROCESS)sim_handle_value(op->process);
    unlock_op(op);
    return proc;
}

SIM_EXPORT HCS_OPERATION_TYPE WINAPI HcsGetOperationType(HCS_OPERATION operation)
{
    sim_operation *op = lock_op(operation);
    if (!op)
        return HcsOperationTypeNone;
    HCS_OPERATION_TYPE type = op->type;
    unlock_op(op);
    return type;
}

SIM_EXPORT UINT64 WINAPI HcsGetOperationId(HCS_OPERATION operation)
{
    sim_operation *op = hcssim__operation_acquire(operation);
    UINT64 id = op ? op->id : HCS_INVALID_OPERATION_ID;
    hcssim__operation_release(op);
    return id;
}

SIM_EXPORT HRESULT WINAPI HcsGetOperationResult(HCS_OPERATION operation, PWSTR *resultDocument)
{
    return hcssim__operation_result(operation, false, 0, resultDocument);
}

SIM_EXPORT HRESULT WINAPI HcsWaitForOperationResult(HCS_OPERATION operation, DWORD timeoutMs, PWSTR *resultDocument)
{
    return hcssim__operation_result(operation, true, timeoutMs, resultDocument);
}

SIM_EXPORT HRESULT WINAPI HcsGetOperationResultAndProcessInfo(HCS_OPERATION operation,
                                                              HCS_PROCESS_INFORMATION *processInformation,
                                                              PWSTR *resultDocument)
{
    return hcssim__operation_result_info(operation, false, 0, processInformation, resultDocument);
}

SIM_EXPORT HRESULT WINAPI HcsWaitForOperationResultAndProcessInfo(HCS_OPERATION operation, DWORD timeoutMs,
                                                                  HCS_PROCESS_INFORMATION *processInformation,
                                                                  PWSTR *resultDocument)
{
    return hcssim__operation_result_info(operation, true, timeoutMs, processInformation, resultDocument);
}

SIM_EXPORT HRESULT WINAPI HcsCancelOperation(HCS_OPERATION operation)
{
    /* Documented as not implemented (§11 #11). */
    (void)operation;
    return E_NOTIMPL;
}

/* ---- operations of the newest builds (hcs-newest §1.2) ---------------- */

SIM_EXPORT HCS_OPERATION WINAPI HcsCreateOperationWithNotifications(HCS_OPERATION_OPTIONS eventTypes,
                                                                    const void *context, HCS_EVENT_CALLBACK callback)
{
    return hcssim__operation_create_notifying(eventTypes, context, callback);
}

SIM_EXPORT HRESULT WINAPI HcsGetOperationProperties(HCS_OPERATION operation, PCWSTR options, PWSTR *resultDocument)
{
    return hcssim__operation_properties(operation, options, resultDocument);
}

SIM_EXPORT HRESULT WINAPI HcsAddResourceToOperation(HCS_OPERATION operation, HCS_RESOURCE_TYPE type, PCWSTR uri,
                                                    HANDLE handle)
{
    return hcssim__operation_add_resource(operation, type, uri, handle);
}

/* ---- compute systems (hcs-api §2.2) ----------------------------------- */

SIM_EXPORT HRESULT WINAPI HcsEnumerateComputeSystems(PCWSTR query, HCS_OPERATION operation)
{
    return hcssim__system_enumerate(NULL, query, operation);
}

SIM_EXPORT HRESULT WINAPI HcsEnumerateComputeSystemsInNamespace(PCWSTR idNamespace, PCWSTR query,
                                                                HCS_OPERATION operation)
{
    return idNamespace ? hcssim__system_enumerate(idNamespace, query, operation) : E_INVALIDARG;
}

SIM_EXPORT HRESULT WINAPI HcsCreateComputeSystem(PCWSTR id, PCWSTR configuration, HCS_OPERATION operation,
                                                 const SECURITY_DESCRIPTOR *securityDescriptor,
                                                 HCS_SYSTEM *computeSystem)
{
    if (securityDescriptor) { /* reserved (§11 #54) */
        if (computeSystem)
            *computeSystem = NULL;
        return E_INVALIDARG;
    }
    return hcssim__system_create(NULL, id, configuration, operation, NULL, computeSystem);
}

SIM_EXPORT HRESULT WINAPI HcsCreateComputeSystemInNamespace(PCWSTR idNamespace, PCWSTR id, PCWSTR configuration,
                                                            HCS_OPERATION operation, const HCS_CREATE_OPTIONS *options,
                                                            HCS_SYSTEM *computeSystem)
{
    if (!idNamespace) {
        if (computeSystem)
            *computeSystem = NULL;
        return E_INVALIDARG;
    }
    return hcssim__system_create(idNamespace, id, configuration, operation, (const HCS_CREATE_OPTIONS_1 *)options,
                                 computeSystem);
}

SIM_EXPORT HRESULT WINAPI HcsOpenComputeSystem(PCWSTR id, DWORD requestedAccess, HCS_SYSTEM *computeSystem)
{
    return hcssim__system_open(NULL, id, requestedAccess, computeSystem);
}

SIM_EXPORT HRESULT WINAPI HcsOpenComputeSystemInNamespace(PCWSTR idNamespace, PCWSTR id, DWORD requestedAccess,
                                                          HCS_SYSTEM *computeSystem)
{
    if (!idNamespace) {
        if (computeSystem)
            *computeSystem = NULL;
        return E_INVALIDARG;
    }
    return hcssim__system_open(idNamespace, id, requestedAccess, computeSystem);
}

SIM_EXPORT void WINAPI HcsCloseComputeSystem(HCS_SYSTEM computeSystem) { hcssim__system_close(computeSystem); }

#define SYSTEM_CALL(name)                                                                                              \
    SIM_EXPORT HRESULT WINAPI name(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR options)                  \
    {                                                                                                                  \
        return hcssim__system_call(#name, computeSystem, operation, options);                                          \
    }

SYSTEM_CALL(HcsStartComputeSystem)
SYSTEM_CALL(HcsShutDownComputeSystem)
SYSTEM_CALL(HcsTerminateComputeSystem)
SYSTEM_CALL(HcsCrashComputeSystem)
SYSTEM_CALL(HcsPauseComputeSystem)
SYSTEM_CALL(HcsResumeComputeSystem)
SYSTEM_CALL(HcsSaveComputeSystem)
SYSTEM_CALL(HcsGetComputeSystemProperties)
SYSTEM_CALL(HcsInitializeLiveMigrationOnSource)
SYSTEM_CALL(HcsStartLiveMigrationOnSource)
SYSTEM_CALL(HcsStartLiveMigrationTransfer)
SYSTEM_CALL(HcsFinalizeLiveMigration)
SYSTEM_CALL(HcsCancelLiveMigration)

SIM_EXPORT HRESULT WINAPI HcsModifyComputeSystem(HCS_SYSTEM computeSystem, HCS_OPERATION operation,
                                                 PCWSTR configuration, HANDLE identity)
{
    (void)identity; /* the simulator has no access tokens */
    return hcssim__system_call("HcsModifyComputeSystem", computeSystem, operation, configuration);
}

SIM_EXPORT HRESULT WINAPI HcsWaitForComputeSystemExit(HCS_SYSTEM computeSystem, DWORD timeoutMs, PWSTR *result)
{
    return hcssim__system_wait_exit(computeSystem, timeoutMs, result);
}

SIM_EXPORT HRESULT WINAPI HcsSetComputeSystemCallback(HCS_SYSTEM computeSystem, HCS_EVENT_OPTIONS callbackOptions,
                                                      const void *context, HCS_EVENT_CALLBACK callback)
{
    return hcssim__system_set_callback(computeSystem, callbackOptions, context, callback);
}

/* ---- processes (hcs-api §2.3) ----------------------------------------- */

SIM_EXPORT HRESULT WINAPI HcsCreateProcess(HCS_SYSTEM computeSystem, PCWSTR processParameters, HCS_OPERATION operation,
                                           const SECURITY_DESCRIPTOR *securityDescriptor, HCS_PROCESS *process)
{
    return hcssim__process_create(computeSystem, processParameters, operation, securityDescriptor, process);
}

SIM_EXPORT HRESULT WINAPI HcsOpenProcess(HCS_SYSTEM computeSystem, DWORD processId, DWORD requestedAccess,
                                         HCS_PROCESS *process)
{
    return hcssim__process_open(computeSystem, processId, requestedAccess, process);
}

SIM_EXPORT void WINAPI HcsCloseProcess(HCS_PROCESS process) { hcssim__process_close(process); }

#define PROCESS_CALL(name)                                                                                             \
    SIM_EXPORT HRESULT WINAPI name(HCS_PROCESS process, HCS_OPERATION operation, PCWSTR options)                       \
    {                                                                                                                  \
        return hcssim__process_call(#name, process, operation, options);                                               \
    }

PROCESS_CALL(HcsTerminateProcess)
PROCESS_CALL(HcsSignalProcess)
PROCESS_CALL(HcsGetProcessProperties)
PROCESS_CALL(HcsModifyProcess)

SIM_EXPORT HRESULT WINAPI HcsGetProcessInfo(HCS_PROCESS process, HCS_OPERATION operation)
{
    return hcssim__process_call("HcsGetProcessInfo", process, operation, NULL);
}

SIM_EXPORT HRESULT WINAPI HcsSetProcessCallback(HCS_PROCESS process, HCS_EVENT_OPTIONS callbackOptions, void *context,
                                                HCS_EVENT_CALLBACK callback)
{
    return hcssim__process_set_callback(process, callbackOptions, context, callback);
}

SIM_EXPORT HRESULT WINAPI HcsWaitForProcessExit(HCS_PROCESS process, DWORD timeoutMs, PWSTR *result)
{
    return hcssim__process_wait_exit(process, timeoutMs, result);
}

/* ---- host service (hcs-api §2.4) -------------------------------------- */

SIM_EXPORT HRESULT WINAPI HcsGetServiceProperties(PCWSTR propertyQuery, PWSTR *result)
{
    return hcssim__service_properties(propertyQuery, result);
}

SIM_EXPORT HRESULT WINAPI HcsModifyServiceSettings(PCWSTR settings, PWSTR *result)
{
    return hcssim__service_modify(settings, result);
}

SIM_EXPORT HRESULT WINAPI HcsSubmitWerReport(PCWSTR settings) { return hcssim__service_submit_wer(settings); }

/* ---- VM utilities (hcs-api §2.5) -------------------------------------- */

SIM_EXPORT HRESULT WINAPI HcsCreateEmptyGuestStateFile(PCWSTR guestStateFilePath)
{
    return hcssim__create_state_file(guestStateFilePath);
}

SIM_EXPORT HRESULT WINAPI HcsCreateEmptyRuntimeStateFile(PCWSTR runtimeStateFilePath)
{
    return hcssim__create_state_file(runtimeStateFilePath);
}

SIM_EXPORT HRESULT WINAPI HcsGrantVmAccess(PCWSTR vmId, PCWSTR filePath)
{
    return vmId ? hcssim__vm_access(vmId, filePath) : E_INVALIDARG;
}

SIM_EXPORT HRESULT WINAPI HcsRevokeVmAccess(PCWSTR vmId, PCWSTR filePath)
{
    return vmId ? hcssim__vm_access(vmId, filePath) : E_INVALIDARG;
}

SIM_EXPORT HRESULT WINAPI HcsGrantVmGroupAccess(PCWSTR filePath) { return hcssim__vm_access(NULL, filePath); }

SIM_EXPORT HRESULT WINAPI HcsRevokeVmGroupAccess(PCWSTR filePath) { return hcssim__vm_access(NULL, filePath); }

SIM_EXPORT HRESULT WINAPI HcsGetProcessorCompatibilityFromSavedState(PCWSTR RuntimeFileName,
                                                                     PCWSTR *ProcessorFeaturesString)
{
    return hcssim__processor_compatibility(RuntimeFileName, ProcessorFeaturesString);
}

/* ---- vmcompute.dll's HNSCall (hns.h) ---------------------------------- */

SIM_EXPORT HRESULT WINAPI HNSCall(PCWSTR method, PCWSTR path, PCWSTR request, PWSTR *response)
{
    (void)request;
    return hcssim__hns_call(hcssim__profile_current(), method, path, response);
}
