/* The computecore.dll ABI, portable: its types, constants and function
 * prototypes, for code that calls HCS directly (the raw layer, raw.h).
 *
 * On Windows this is the SDK's (or mingw-w64's) own computedefs.h and
 * computecore.h, so a program written against the real headers links
 * against computecore.dll, or hcssim.dll, unchanged. Elsewhere the
 * functions are those libhcssim exports; through libhcs, take them from
 * hcs_client_raw_function (raw.h) and cast to the prototype's type, e.g.
 * `(__typeof__(&HcsGetComputeSystemProperties))fn`.
 *
 * Elsewhere the Windows types are mapped here:
 *  - HRESULT is int32_t, DWORD uint32_t, UINT64 uint64_t;
 *  - strings are 16-bit code units (WCHAR = uint16_t), never wchar_t, which
 *    is 32-bit on these hosts;
 *  - HANDLE and the HCS handle types are pointer-sized opaque values;
 *  - WINAPI and CALLBACK are empty;
 *  - result strings are freed with LocalFree(), which hcssim provides;
 *  - stdio pipe HANDLEs encode file descriptors: (HANDLE)(intptr_t)(fd + 1),
 *    so that NULL means "none"; INVALID_HANDLE_VALUE is (HANDLE)-1. */
#ifndef HCS_COMPUTECORE_H
#define HCS_COMPUTECORE_H

#ifdef _WIN32

#include <windows.h>
#include <computedefs.h>
#include <computecore.h>

#else /* portable definitions */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int32_t HRESULT;
typedef uint32_t DWORD;
typedef uint64_t UINT64;
typedef int BOOL;
typedef uint16_t WCHAR;
typedef WCHAR *PWSTR;
typedef const WCHAR *PCWSTR;
typedef void *HANDLE;
typedef void *HLOCAL;
typedef struct SECURITY_DESCRIPTOR SECURITY_DESCRIPTOR;

#define WINAPI
#define CALLBACK
#define INFINITE 0xFFFFFFFFu
#define GENERIC_ALL 0x10000000u
#define INVALID_HANDLE_VALUE ((HANDLE)(intptr_t)-1)
#define S_OK ((HRESULT)0)
#define E_NOTIMPL ((HRESULT)0x80004001)
#define E_ABORT ((HRESULT)0x80004004)
#define E_POINTER ((HRESULT)0x80004003)
#define E_FAIL ((HRESULT)0x80004005)
#define E_OUTOFMEMORY ((HRESULT)0x8007000E)
#define E_INVALIDARG ((HRESULT)0x80070057)
#define SUCCEEDED(hr) ((HRESULT)(hr) >= 0)
#define FAILED(hr) ((HRESULT)(hr) < 0)

typedef struct HCS_SYSTEM__ *HCS_SYSTEM;
typedef struct HCS_PROCESS__ *HCS_PROCESS;
typedef struct HCS_OPERATION__ *HCS_OPERATION;
typedef struct HCS_CALLBACK__ *HCS_CALLBACK;

typedef enum HCS_OPERATION_TYPE {
    HcsOperationTypeNone = -1,
    HcsOperationTypeEnumerate = 0,
    HcsOperationTypeCreate = 1,
    HcsOperationTypeStart = 2,
    HcsOperationTypeShutdown = 3,
    HcsOperationTypePause = 4,
    HcsOperationTypeResume = 5,
    HcsOperationTypeSave = 6,
    HcsOperationTypeTerminate = 7,
    HcsOperationTypeModify = 8,
    HcsOperationTypeGetProperties = 9,
    HcsOperationTypeCreateProcess = 10,
    HcsOperationTypeSignalProcess = 11,
    HcsOperationTypeGetProcessInfo = 12,
    HcsOperationTypeGetProcessProperties = 13,
    HcsOperationTypeModifyProcess = 14,
    HcsOperationTypeCrash = 15
} HCS_OPERATION_TYPE;

#define HCS_INVALID_OPERATION_ID ((UINT64)(-1))

typedef void(CALLBACK *HCS_OPERATION_COMPLETION)(HCS_OPERATION operation, void *context);

typedef enum HCS_EVENT_TYPE {
    HcsEventInvalid = 0x00000000,
    HcsEventSystemExited = 0x00000001,
    HcsEventSystemCrashInitiated = 0x00000002,
    HcsEventSystemCrashReport = 0x00000003,
    HcsEventSystemRdpEnhancedModeStateChanged = 0x00000004,
    HcsEventSystemSiloJobCreated = 0x00000005,
    HcsEventSystemGuestConnectionClosed = 0x00000006,
    HcsEventProcessExited = 0x00010000,
    HcsEventOperationCallback = 0x01000000,
    HcsEventServiceDisconnect = 0x02000000
} HCS_EVENT_TYPE;

typedef struct HCS_EVENT {
    HCS_EVENT_TYPE Type;
    PCWSTR EventData;
    HCS_OPERATION Operation;
} HCS_EVENT;

typedef enum HCS_EVENT_OPTIONS {
    HcsEventOptionNone = 0x00000000,
    HcsEventOptionEnableOperationCallbacks = 0x00000001
} HCS_EVENT_OPTIONS;

typedef void(CALLBACK *HCS_EVENT_CALLBACK)(HCS_EVENT *event, void *context);

typedef struct HCS_PROCESS_INFORMATION {
    DWORD ProcessId;
    DWORD Reserved;
    HANDLE StdInput;
    HANDLE StdOutput;
    HANDLE StdError;
} HCS_PROCESS_INFORMATION;

typedef enum HCS_CREATE_OPTIONS { HcsCreateOptions_1 = 0x00010000 } HCS_CREATE_OPTIONS;

typedef struct HCS_CREATE_OPTIONS_1 {
    HCS_CREATE_OPTIONS Version;
    HANDLE UserToken;
    SECURITY_DESCRIPTOR *SecurityDescriptor;
    HCS_EVENT_OPTIONS CallbackOptions;
    void *CallbackContext;
    HCS_EVENT_CALLBACK Callback;
} HCS_CREATE_OPTIONS_1;

HLOCAL LocalFree(HLOCAL mem);

HRESULT WINAPI HcsEnumerateComputeSystems(PCWSTR query, HCS_OPERATION operation);
HRESULT WINAPI HcsEnumerateComputeSystemsInNamespace(PCWSTR idNamespace, PCWSTR query, HCS_OPERATION operation);
HCS_OPERATION WINAPI HcsCreateOperation(const void *context, HCS_OPERATION_COMPLETION callback);
void WINAPI HcsCloseOperation(HCS_OPERATION operation);
void *WINAPI HcsGetOperationContext(HCS_OPERATION operation);
HRESULT WINAPI HcsSetOperationContext(HCS_OPERATION operation, const void *context);
HCS_SYSTEM WINAPI HcsGetComputeSystemFromOperation(HCS_OPERATION operation);
HCS_PROCESS WINAPI HcsGetProcessFromOperation(HCS_OPERATION operation);
HCS_OPERATION_TYPE WINAPI HcsGetOperationType(HCS_OPERATION operation);
UINT64 WINAPI HcsGetOperationId(HCS_OPERATION operation);
HRESULT WINAPI HcsGetOperationResult(HCS_OPERATION operation, PWSTR *resultDocument);
HRESULT WINAPI HcsGetOperationResultAndProcessInfo(HCS_OPERATION operation, HCS_PROCESS_INFORMATION *processInformation,
                                                   PWSTR *resultDocument);
HRESULT WINAPI HcsGetProcessorCompatibilityFromSavedState(PCWSTR RuntimeFileName, PCWSTR *ProcessorFeaturesString);
HRESULT WINAPI HcsWaitForOperationResult(HCS_OPERATION operation, DWORD timeoutMs, PWSTR *resultDocument);
HRESULT WINAPI HcsWaitForOperationResultAndProcessInfo(HCS_OPERATION operation, DWORD timeoutMs,
                                                       HCS_PROCESS_INFORMATION *processInformation,
                                                       PWSTR *resultDocument);
HRESULT WINAPI HcsSetOperationCallback(HCS_OPERATION operation, const void *context, HCS_OPERATION_COMPLETION callback);
HRESULT WINAPI HcsCancelOperation(HCS_OPERATION operation);
HRESULT WINAPI HcsCreateComputeSystem(PCWSTR id, PCWSTR configuration, HCS_OPERATION operation,
                                      const SECURITY_DESCRIPTOR *securityDescriptor, HCS_SYSTEM *computeSystem);
HRESULT WINAPI HcsCreateComputeSystemInNamespace(PCWSTR idNamespace, PCWSTR id, PCWSTR configuration,
                                                 HCS_OPERATION operation, const HCS_CREATE_OPTIONS *options,
                                                 HCS_SYSTEM *computeSystem);
HRESULT WINAPI HcsOpenComputeSystem(PCWSTR id, DWORD requestedAccess, HCS_SYSTEM *computeSystem);
HRESULT WINAPI HcsOpenComputeSystemInNamespace(PCWSTR idNamespace, PCWSTR id, DWORD requestedAccess,
                                               HCS_SYSTEM *computeSystem);
void WINAPI HcsCloseComputeSystem(HCS_SYSTEM computeSystem);
HRESULT WINAPI HcsStartComputeSystem(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR options);
HRESULT WINAPI HcsShutDownComputeSystem(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR options);
HRESULT WINAPI HcsTerminateComputeSystem(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR options);
HRESULT WINAPI HcsCrashComputeSystem(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR options);
HRESULT WINAPI HcsPauseComputeSystem(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR options);
HRESULT WINAPI HcsResumeComputeSystem(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR options);
HRESULT WINAPI HcsSaveComputeSystem(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR options);
HRESULT WINAPI HcsGetComputeSystemProperties(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR propertyQuery);
HRESULT WINAPI HcsModifyComputeSystem(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR configuration,
                                      HANDLE identity);
HRESULT WINAPI HcsWaitForComputeSystemExit(HCS_SYSTEM computeSystem, DWORD timeoutMs, PWSTR *result);
HRESULT WINAPI HcsSetComputeSystemCallback(HCS_SYSTEM computeSystem, HCS_EVENT_OPTIONS callbackOptions,
                                           const void *context, HCS_EVENT_CALLBACK callback);
HRESULT WINAPI HcsCreateProcess(HCS_SYSTEM computeSystem, PCWSTR processParameters, HCS_OPERATION operation,
                                const SECURITY_DESCRIPTOR *securityDescriptor, HCS_PROCESS *process);
HRESULT WINAPI HcsOpenProcess(HCS_SYSTEM computeSystem, DWORD processId, DWORD requestedAccess, HCS_PROCESS *process);
void WINAPI HcsCloseProcess(HCS_PROCESS process);
HRESULT WINAPI HcsTerminateProcess(HCS_PROCESS process, HCS_OPERATION operation, PCWSTR options);
HRESULT WINAPI HcsSignalProcess(HCS_PROCESS process, HCS_OPERATION operation, PCWSTR options);
HRESULT WINAPI HcsGetProcessInfo(HCS_PROCESS process, HCS_OPERATION operation);
HRESULT WINAPI HcsGetProcessProperties(HCS_PROCESS process, HCS_OPERATION operation, PCWSTR propertyQuery);
HRESULT WINAPI HcsModifyProcess(HCS_PROCESS process, HCS_OPERATION operation, PCWSTR settings);
HRESULT WINAPI HcsSetProcessCallback(HCS_PROCESS process, HCS_EVENT_OPTIONS callbackOptions, void *context,
                                     HCS_EVENT_CALLBACK callback);
HRESULT WINAPI HcsWaitForProcessExit(HCS_PROCESS computeSystem, DWORD timeoutMs, PWSTR *result);
HRESULT WINAPI HcsGetServiceProperties(PCWSTR propertyQuery, PWSTR *result);
HRESULT WINAPI HcsModifyServiceSettings(PCWSTR settings, PWSTR *result);
HRESULT WINAPI HcsSubmitWerReport(PCWSTR settings);
HRESULT WINAPI HcsCreateEmptyGuestStateFile(PCWSTR guestStateFilePath);
HRESULT WINAPI HcsCreateEmptyRuntimeStateFile(PCWSTR runtimeStateFilePath);
HRESULT WINAPI HcsGrantVmAccess(PCWSTR vmId, PCWSTR filePath);
HRESULT WINAPI HcsRevokeVmAccess(PCWSTR vmId, PCWSTR filePath);
HRESULT WINAPI HcsGrantVmGroupAccess(PCWSTR filePath);
HRESULT WINAPI HcsRevokeVmGroupAccess(PCWSTR filePath);

#ifdef __cplusplus
}
#endif

#endif /* _WIN32 */

/* HCS_E_* values (shared with libhcs). */
#include "hcs_e_codes.h"

/* Event options of SDKs newer than 21H2, absent from the 1809-21H2 headers
 * and from mingw-w64's: HcsEventOptionEnableVmLifecycle and
 * HcsEventOptionEnableLiveMigrationEvents, which hcsshim passes when it
 * registers its system callback (docs/simulator-fidelity.md). */
#define HCS_EVENT_OPTION_VM_LIFECYCLE ((HCS_EVENT_OPTIONS)0x2)
#define HCS_EVENT_OPTION_LIVE_MIGRATION ((HCS_EVENT_OPTIONS)0x4)

/* The newest surface (hcs-newest §1): the ext-ms-win-hyperv-compute-l1-2-5
 * header of SDK 10.0.26100, which neither mingw-w64 nor the older SDKs
 * have, so it is declared here on every platform. A program built with
 * that SDK's own computedefs.h/computecore.h defines
 * HCS_SDK_HAS_LIVE_MIGRATION before including this header and keeps them. */
#if !defined(_WIN32) || !defined(HCS_SDK_HAS_LIVE_MIGRATION)

#ifdef __cplusplus
extern "C" {
#endif

/* HCS_OPERATION_TYPE, HCS_EVENT_TYPE and HCS_EVENT_OPTIONS additions,
 * 32-bit as in the header (hcs-newest §1.1). */
#define HCS_OPERATION_TYPE_LIVE_MIGRATION ((HCS_OPERATION_TYPE)19)
#define HCS_EVENT_GROUP_VM_LIFECYCLE ((HCS_EVENT_TYPE)0x80000002u)
#define HCS_EVENT_GROUP_LIVE_MIGRATION ((HCS_EVENT_TYPE)0x80000003u)
#define HCS_EVENT_GROUP_OPERATION_INFO ((HCS_EVENT_TYPE)0xC0000001u)
/* The one resource slot with a known user: the live migration socket
 * (hcs-newest §3), for HcsAddResourceToOperation's uri. */
#define HCS_LIVE_MIGRATION_SOCKET_URI ((PCWSTR)u"hcs:/VirtualMachine/LiveMigrationSocket")

typedef enum HCS_OPERATION_OPTIONS {
    HcsOperationOptionNone = 0,
    HcsOperationOptionProgressUpdate = 1,
    HcsOperationOptionReserved1 = 2
} HCS_OPERATION_OPTIONS;

typedef enum HCS_RESOURCE_TYPE {
    HcsResourceTypeNone = 0,
    HcsResourceTypeFile = 1,
    HcsResourceTypeJob = 2,
    HcsResourceTypeComObject = 3,
    HcsResourceTypeSocket = 4
} HCS_RESOURCE_TYPE;

HCS_OPERATION WINAPI HcsCreateOperationWithNotifications(HCS_OPERATION_OPTIONS eventTypes, const void *context,
                                                         HCS_EVENT_CALLBACK callback);
HRESULT WINAPI HcsAddResourceToOperation(HCS_OPERATION operation, HCS_RESOURCE_TYPE type, PCWSTR uri, HANDLE handle);
HRESULT WINAPI HcsGetOperationProperties(HCS_OPERATION operation, PCWSTR options, PWSTR *resultDocument);
HRESULT WINAPI HcsInitializeLiveMigrationOnSource(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR options);
HRESULT WINAPI HcsStartLiveMigrationOnSource(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR options);
HRESULT WINAPI HcsStartLiveMigrationTransfer(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR options);
HRESULT WINAPI HcsFinalizeLiveMigration(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR options);
/* In no header or metadata: its shape is hcsshim's binding (hcs-newest §1.2). */
HRESULT WINAPI HcsCancelLiveMigration(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR options);

#ifdef __cplusplus
}
#endif

#endif

#endif
