/* The HCS function table: computecore's functions and those of the two
 * libraries beside it, computestorage and computenetwork; one per provider,
 * resolved when it opens (provider.c). A function the provider lacks stays
 * NULL and only the calls that need it fail. */
#ifndef HCS_SRC_API_H
#define HCS_SRC_API_H

#include "hcs/computecore.h"
#include "hcs/computenetwork.h"

#include <stdbool.h>
#include <stddef.h>

/* X(return type, name, parameter list, required at open) */
#define HCS_CORE_API_FUNCTIONS(X)                                                                                      \
    X(HCS_OPERATION, HcsCreateOperation, (const void *, HCS_OPERATION_COMPLETION), true)                               \
    X(void, HcsCloseOperation, (HCS_OPERATION), true)                                                                  \
    X(HRESULT, HcsGetOperationResult, (HCS_OPERATION, PWSTR *), true)                                                  \
    X(HRESULT, HcsWaitForOperationResult, (HCS_OPERATION, DWORD, PWSTR *), true)                                       \
    X(HRESULT, HcsCancelOperation, (HCS_OPERATION), true)                                                              \
    X(UINT64, HcsGetOperationId, (HCS_OPERATION), false)                                                               \
    X(HRESULT, HcsSetOperationCallback, (HCS_OPERATION, const void *, HCS_OPERATION_COMPLETION), false)                \
    X(HRESULT, HcsGetOperationResultAndProcessInfo, (HCS_OPERATION, HCS_PROCESS_INFORMATION *, PWSTR *), false)        \
    X(HRESULT, HcsEnumerateComputeSystems, (PCWSTR, HCS_OPERATION), false)                                             \
    X(HRESULT, HcsEnumerateComputeSystemsInNamespace, (PCWSTR, PCWSTR, HCS_OPERATION), false)                          \
    X(HRESULT, HcsCreateComputeSystem, (PCWSTR, PCWSTR, HCS_OPERATION, const SECURITY_DESCRIPTOR *, HCS_SYSTEM *),     \
      false)                                                                                                           \
    X(HRESULT, HcsCreateComputeSystemInNamespace,                                                                      \
      (PCWSTR, PCWSTR, PCWSTR, HCS_OPERATION, const HCS_CREATE_OPTIONS *, HCS_SYSTEM *), false)                        \
    X(HRESULT, HcsOpenComputeSystem, (PCWSTR, DWORD, HCS_SYSTEM *), false)                                             \
    X(HRESULT, HcsOpenComputeSystemInNamespace, (PCWSTR, PCWSTR, DWORD, HCS_SYSTEM *), false)                          \
    X(void, HcsCloseComputeSystem, (HCS_SYSTEM), false)                                                                \
    X(HRESULT, HcsStartComputeSystem, (HCS_SYSTEM, HCS_OPERATION, PCWSTR), false)                                      \
    X(HRESULT, HcsShutDownComputeSystem, (HCS_SYSTEM, HCS_OPERATION, PCWSTR), false)                                   \
    X(HRESULT, HcsTerminateComputeSystem, (HCS_SYSTEM, HCS_OPERATION, PCWSTR), false)                                  \
    X(HRESULT, HcsCrashComputeSystem, (HCS_SYSTEM, HCS_OPERATION, PCWSTR), false)                                      \
    X(HRESULT, HcsPauseComputeSystem, (HCS_SYSTEM, HCS_OPERATION, PCWSTR), false)                                      \
    X(HRESULT, HcsResumeComputeSystem, (HCS_SYSTEM, HCS_OPERATION, PCWSTR), false)                                     \
    X(HRESULT, HcsSaveComputeSystem, (HCS_SYSTEM, HCS_OPERATION, PCWSTR), false)                                       \
    X(HRESULT, HcsGetComputeSystemProperties, (HCS_SYSTEM, HCS_OPERATION, PCWSTR), false)                              \
    X(HRESULT, HcsModifyComputeSystem, (HCS_SYSTEM, HCS_OPERATION, PCWSTR, HANDLE), false)                             \
    X(HRESULT, HcsWaitForComputeSystemExit, (HCS_SYSTEM, DWORD, PWSTR *), false)                                       \
    X(HRESULT, HcsSetComputeSystemCallback, (HCS_SYSTEM, HCS_EVENT_OPTIONS, const void *, HCS_EVENT_CALLBACK), false)  \
    X(HRESULT, HcsCreateProcess, (HCS_SYSTEM, PCWSTR, HCS_OPERATION, const SECURITY_DESCRIPTOR *, HCS_PROCESS *),      \
      false)                                                                                                           \
    X(HRESULT, HcsOpenProcess, (HCS_SYSTEM, DWORD, DWORD, HCS_PROCESS *), false)                                       \
    X(void, HcsCloseProcess, (HCS_PROCESS), false)                                                                     \
    X(HRESULT, HcsTerminateProcess, (HCS_PROCESS, HCS_OPERATION, PCWSTR), false)                                       \
    X(HRESULT, HcsSignalProcess, (HCS_PROCESS, HCS_OPERATION, PCWSTR), false)                                          \
    X(HRESULT, HcsGetProcessInfo, (HCS_PROCESS, HCS_OPERATION), false)                                                 \
    X(HRESULT, HcsGetProcessProperties, (HCS_PROCESS, HCS_OPERATION, PCWSTR), false)                                   \
    X(HRESULT, HcsModifyProcess, (HCS_PROCESS, HCS_OPERATION, PCWSTR), false)                                          \
    X(HRESULT, HcsSetProcessCallback, (HCS_PROCESS, HCS_EVENT_OPTIONS, void *, HCS_EVENT_CALLBACK), false)             \
    X(HRESULT, HcsWaitForProcessExit, (HCS_PROCESS, DWORD, PWSTR *), false)                                            \
    X(HRESULT, HcsGetServiceProperties, (PCWSTR, PWSTR *), false)                                                      \
    X(HRESULT, HcsModifyServiceSettings, (PCWSTR, PWSTR *), false)                                                     \
    X(HCS_OPERATION, HcsCreateOperationWithNotifications, (HCS_OPERATION_OPTIONS, const void *, HCS_EVENT_CALLBACK),   \
      false)                                                                                                           \
    X(HRESULT, HcsGetOperationProperties, (HCS_OPERATION, PCWSTR, PWSTR *), false)                                     \
    X(HRESULT, HcsAddResourceToOperation, (HCS_OPERATION, HCS_RESOURCE_TYPE, PCWSTR, HANDLE), false)                   \
    X(HRESULT, HcsInitializeLiveMigrationOnSource, (HCS_SYSTEM, HCS_OPERATION, PCWSTR), false)                         \
    X(HRESULT, HcsStartLiveMigrationOnSource, (HCS_SYSTEM, HCS_OPERATION, PCWSTR), false)                              \
    X(HRESULT, HcsStartLiveMigrationTransfer, (HCS_SYSTEM, HCS_OPERATION, PCWSTR), false)                              \
    X(HRESULT, HcsFinalizeLiveMigration, (HCS_SYSTEM, HCS_OPERATION, PCWSTR), false)                                   \
    X(HRESULT, HcsCancelLiveMigration, (HCS_SYSTEM, HCS_OPERATION, PCWSTR), false)

/* computenetwork's functions (storage-and-network §2.2): from the same
 * provider when it is a simulator, from computenetwork.dll when it is
 * Windows' computecore.dll. None is required: a host without one fails
 * only the calls that need it. Object handles are void * for every type. */
#define HCS_HCN_OBJECT_API(X, Noun, Plural)                                                                            \
    X(HRESULT, HcnEnumerate##Plural, (PCWSTR, PWSTR *, PWSTR *), false)                                                \
    X(HRESULT, HcnOpen##Noun, (REFGUID, void **, PWSTR *), false)                                                      \
    X(HRESULT, HcnModify##Noun, (void *, PCWSTR, PWSTR *), false)                                                      \
    X(HRESULT, HcnQuery##Noun##Properties, (void *, PCWSTR, PWSTR *, PWSTR *), false)                                  \
    X(HRESULT, HcnDelete##Noun, (REFGUID, PWSTR *), false)                                                             \
    X(HRESULT, HcnClose##Noun, (void *), false)
#define HCS_HCN_API_FUNCTIONS(X)                                                                                       \
    HCS_HCN_OBJECT_API(X, Network, Networks)                                                                           \
    X(HRESULT, HcnCreateNetwork, (REFGUID, PCWSTR, void **, PWSTR *), false)                                           \
    HCS_HCN_OBJECT_API(X, Endpoint, Endpoints)                                                                         \
    X(HRESULT, HcnCreateEndpoint, (void *, REFGUID, PCWSTR, void **, PWSTR *), false)                                  \
    HCS_HCN_OBJECT_API(X, Namespace, Namespaces)                                                                       \
    X(HRESULT, HcnCreateNamespace, (REFGUID, PCWSTR, void **, PWSTR *), false)                                         \
    HCS_HCN_OBJECT_API(X, LoadBalancer, LoadBalancers)                                                                 \
    X(HRESULT, HcnCreateLoadBalancer, (REFGUID, PCWSTR, void **, PWSTR *), false)                                      \
    HCS_HCN_OBJECT_API(X, SdnRoute, SdnRoutes)                                                                         \
    X(HRESULT, HcnCreateSdnRoute, (REFGUID, PCWSTR, void **, PWSTR *), false)                                          \
    HCS_HCN_OBJECT_API(X, GuestNetworkService, GuestNetworkServices)                                                   \
    X(HRESULT, HcnCreateGuestNetworkService, (REFGUID, PCWSTR, void **, PWSTR *), false)                               \
    X(HRESULT, HcnRegisterServiceCallback, (HCN_NOTIFICATION_CALLBACK, void *, HCN_CALLBACK *), false)                 \
    X(HRESULT, HcnUnregisterServiceCallback, (HCN_CALLBACK), false)                                                    \
    X(HRESULT, HcnReserveGuestNetworkServicePort, (void *, HCN_PORT_PROTOCOL, HCN_PORT_ACCESS, USHORT, HANDLE *),      \
      false)                                                                                                           \
    X(HRESULT, HcnReserveGuestNetworkServicePortRange, (void *, USHORT, HCN_PORT_RANGE_RESERVATION *, HANDLE *),       \
      false)                                                                                                           \
    X(HRESULT, HcnReleaseGuestNetworkServicePortReservationHandle, (HANDLE), false)                                    \
    X(HRESULT, HcnEnumerateGuestNetworkPortReservations, (ULONG *, HCN_PORT_RANGE_ENTRY **), false)                    \
    X(void, HcnFreeGuestNetworkPortReservations, (HCN_PORT_RANGE_ENTRY *), false)

/* computestorage's functions (storage-and-network §1.1): from the same
 * provider when it is a simulator, else from computestorage.dll. None is
 * required. */
#define HCS_STORAGE_API_FUNCTIONS(X)                                                                                   \
    X(HRESULT, HcsImportLayer, (PCWSTR, PCWSTR, PCWSTR), false)                                                        \
    X(HRESULT, HcsExportLayer, (PCWSTR, PCWSTR, PCWSTR, PCWSTR), false)                                                \
    X(HRESULT, HcsExportLegacyWritableLayer, (PCWSTR, PCWSTR, PCWSTR, PCWSTR), false)                                  \
    X(HRESULT, HcsDestroyLayer, (PCWSTR), false)                                                                       \
    X(HRESULT, HcsSetupBaseOSLayer, (PCWSTR, HANDLE, PCWSTR), false)                                                   \
    X(HRESULT, HcsSetupBaseOSVolume, (PCWSTR, PCWSTR, PCWSTR), false)                                                  \
    X(HRESULT, HcsInitializeWritableLayer, (PCWSTR, PCWSTR, PCWSTR), false)                                            \
    X(HRESULT, HcsInitializeLegacyWritableLayer, (PCWSTR, PCWSTR, PCWSTR, PCWSTR), false)                              \
    X(HRESULT, HcsAttachLayerStorageFilter, (PCWSTR, PCWSTR), false)                                                   \
    X(HRESULT, HcsDetachLayerStorageFilter, (PCWSTR), false)                                                           \
    X(HRESULT, HcsFormatWritableLayerVhd, (HANDLE), false)                                                             \
    X(HRESULT, HcsGetLayerVhdMountPath, (HANDLE, PWSTR *), false)                                                      \
    X(HRESULT, HcsAttachOverlayFilter, (PCWSTR, PCWSTR), false)                                                        \
    X(HRESULT, HcsDetachOverlayFilter, (PCWSTR, PCWSTR), false)

/* vmcompute.dll's HNSCall, HNS's V1 interface, which tells HNS's version
 * (storage-and-network §2.10): the simulators export it themselves. */
#define HCS_VMCOMPUTE_API_FUNCTIONS(X) X(HRESULT, HNSCall, (PCWSTR, PCWSTR, PCWSTR, PWSTR *), false)

#define HCS_API_FUNCTIONS(X)                                                                                           \
    HCS_CORE_API_FUNCTIONS(X) HCS_STORAGE_API_FUNCTIONS(X) HCS_HCN_API_FUNCTIONS(X) HCS_VMCOMPUTE_API_FUNCTIONS(X)

/* The Windows library that has a function: computecore.dll, or one of
 * those beside it in System32 (storage-and-network §1, §2). */
typedef enum hcs_library {
    HCS_LIBRARY_CORE,
    HCS_LIBRARY_STORAGE,
    HCS_LIBRARY_NETWORK,
    HCS_LIBRARY_VMCOMPUTE,
    HCS_LIBRARIES
} hcs_library;

typedef struct hcs_api {
#define HCS_API_FIELD(ret, name, params, required) ret(WINAPI *name) params;
    HCS_API_FUNCTIONS(HCS_API_FIELD)
#undef HCS_API_FIELD
    /* Frees result strings: kernel32's LocalFree on Windows, the
     * provider's elsewhere. */
    HLOCAL (*LocalFree)(HLOCAL);
    /* Frees HCN's strings (storage-and-network §2.3): ole32's on Windows,
     * the provider's elsewhere; NULL when it has none (HCN calls then fail
     * as unsupported). */
    void(WINAPI *CoTaskMemFree)(void *);
} hcs_api;

/* Name, place in the table, whether a provider without it is refused, and
 * the library that has it. */
typedef struct hcs_api_entry {
    const char *name;
    size_t offset;
    bool required;
    hcs_library library;
} hcs_api_entry;

extern const hcs_api_entry hcs__api_entries[];
extern const size_t hcs__api_entry_count;

/* The function at `offset` of the table (NULL when the provider lacks it). */
void (*hcs__api_function(const hcs_api *api, size_t offset))(void);

#endif
