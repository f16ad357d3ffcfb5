/* The computenetwork.dll (HCN) ABI, portable: its types, constants and
 * function prototypes, for code that calls HCN directly (storage-and-network
 * §2.2). On Windows this is the SDK's (or mingw-w64's) computenetwork.h plus
 * the exports that header leaves out (SDN routes, guest network service
 * enumerate/open/query, endpoint statistics and addresses, network
 * callbacks); elsewhere the types are mapped as in computecore.h, GUID is
 * the Windows layout and REFGUID a pointer to it. The functions are those
 * hcssim exports (libhcssim, hcssim-network.dll). */
#ifndef HCS_COMPUTENETWORK_H
#define HCS_COMPUTENETWORK_H

#include "hcs/computecore.h"

#ifdef _WIN32

#include <computenetwork.h>

#else /* portable definitions */

#ifdef __cplusplus
extern "C" {
#endif

typedef uint16_t USHORT;
typedef uint16_t UINT16;
typedef uint32_t UINT32;
typedef uint32_t ULONG;
typedef void VOID;

typedef struct GUID {
    uint32_t Data1;
    uint16_t Data2;
    uint16_t Data3;
    uint8_t Data4[8];
} GUID;
typedef const GUID *REFGUID;

typedef enum HCN_NOTIFICATIONS {
    HcnNotificationInvalid = 0x00000000,
    HcnNotificationNetworkPreCreate = 0x00000001,
    HcnNotificationNetworkCreate = 0x00000002,
    HcnNotificationNetworkPreDelete = 0x00000003,
    HcnNotificationNetworkDelete = 0x00000004,
    HcnNotificationNamespaceCreate = 0x00000005,
    HcnNotificationNamespaceDelete = 0x00000006,
    HcnNotificationGuestNetworkServiceCreate = 0x00000007,
    HcnNotificationGuestNetworkServiceDelete = 0x00000008,
    HcnNotificationNetworkEndpointAttached = 0x00000009,
    HcnNotificationNetworkEndpointDetached = 0x00000010,
    HcnNotificationGuestNetworkServiceStateChanged = 0x00000011,
    HcnNotificationGuestNetworkServiceInterfaceStateChanged = 0x00000012,
    HcnNotificationServiceDisconnect = 0x01000000,
    HcnNotificationFlagsReserved = (int)0xF0000000
} HCN_NOTIFICATIONS;

typedef void *HCN_CALLBACK;
typedef void(CALLBACK *HCN_NOTIFICATION_CALLBACK)(DWORD NotificationType, void *Context, HRESULT NotificationStatus,
                                                  PCWSTR NotificationData);
typedef void *HCN_NETWORK;
typedef HCN_NETWORK *PHCN_NETWORK;
typedef void *HCN_NAMESPACE;
typedef HCN_NAMESPACE *PHCN_NAMESPACE;
typedef void *HCN_ENDPOINT;
typedef HCN_ENDPOINT *PHCN_ENDPOINT;
typedef void *HCN_LOADBALANCER;
typedef HCN_LOADBALANCER *PHCN_LOADBALANCER;
typedef void *HCN_SERVICE;
typedef HCN_SERVICE *PHCN_SERVICE;
typedef void *HCN_GUESTNETWORKSERVICE;
typedef HCN_GUESTNETWORKSERVICE *PHCN_GUESTNETWORKSERVICE;

typedef enum tagHCN_PORT_PROTOCOL {
    HCN_PORT_PROTOCOL_TCP = 0x01,
    HCN_PORT_PROTOCOL_UDP = 0x02,
    HCN_PORT_PROTOCOL_BOTH = 0x03
} HCN_PORT_PROTOCOL;
typedef enum tagHCN_PORT_ACCESS { HCN_PORT_ACCESS_EXCLUSIVE = 0x01, HCN_PORT_ACCESS_SHARED = 0x02 } HCN_PORT_ACCESS;
typedef struct tagHCN_PORT_RANGE_RESERVATION {
    USHORT startingPort;
    USHORT endingPort;
} HCN_PORT_RANGE_RESERVATION;
typedef struct tagHCN_PORT_RANGE_ENTRY {
    GUID OwningPartitionId;
    GUID TargetPartitionId;
    HCN_PORT_PROTOCOL Protocol;
    UINT64 Priority;
    UINT32 ReservationType;
    UINT32 SharingFlags;
    UINT32 DeliveryMode;
    UINT16 StartingPort;
    UINT16 EndingPort;
} HCN_PORT_RANGE_ENTRY, *PHCN_PORT_RANGE_ENTRY;

HRESULT WINAPI HcnEnumerateNetworks(PCWSTR Query, PWSTR *Networks, PWSTR *ErrorRecord);
HRESULT WINAPI HcnCreateNetwork(REFGUID Id, PCWSTR Settings, PHCN_NETWORK Network, PWSTR *ErrorRecord);
HRESULT WINAPI HcnOpenNetwork(REFGUID Id, PHCN_NETWORK Network, PWSTR *ErrorRecord);
HRESULT WINAPI HcnModifyNetwork(HCN_NETWORK Network, PCWSTR Settings, PWSTR *ErrorRecord);
HRESULT WINAPI HcnQueryNetworkProperties(HCN_NETWORK Network, PCWSTR Query, PWSTR *Properties, PWSTR *ErrorRecord);
HRESULT WINAPI HcnDeleteNetwork(REFGUID Id, PWSTR *ErrorRecord);
HRESULT WINAPI HcnCloseNetwork(HCN_NETWORK Network);
HRESULT WINAPI HcnEnumerateNamespaces(PCWSTR Query, PWSTR *Namespaces, PWSTR *ErrorRecord);
HRESULT WINAPI HcnCreateNamespace(REFGUID Id, PCWSTR Settings, PHCN_NAMESPACE Namespace, PWSTR *ErrorRecord);
HRESULT WINAPI HcnOpenNamespace(REFGUID Id, PHCN_NAMESPACE Namespace, PWSTR *ErrorRecord);
HRESULT WINAPI HcnModifyNamespace(HCN_NAMESPACE Namespace, PCWSTR Settings, PWSTR *ErrorRecord);
HRESULT WINAPI HcnQueryNamespaceProperties(HCN_NAMESPACE Namespace, PCWSTR Query, PWSTR *Properties,
                                           PWSTR *ErrorRecord);
HRESULT WINAPI HcnDeleteNamespace(REFGUID Id, PWSTR *ErrorRecord);
HRESULT WINAPI HcnCloseNamespace(HCN_NAMESPACE Namespace);
HRESULT WINAPI HcnEnumerateEndpoints(PCWSTR Query, PWSTR *Endpoints, PWSTR *ErrorRecord);
HRESULT WINAPI HcnCreateEndpoint(HCN_NETWORK Network, REFGUID Id, PCWSTR Settings, PHCN_ENDPOINT Endpoint,
                                 PWSTR *ErrorRecord);
HRESULT WINAPI HcnOpenEndpoint(REFGUID Id, PHCN_ENDPOINT Endpoint, PWSTR *ErrorRecord);
HRESULT WINAPI HcnModifyEndpoint(HCN_ENDPOINT Endpoint, PCWSTR Settings, PWSTR *ErrorRecord);
HRESULT WINAPI HcnQueryEndpointProperties(HCN_ENDPOINT Endpoint, PCWSTR Query, PWSTR *Properties, PWSTR *ErrorRecord);
HRESULT WINAPI HcnDeleteEndpoint(REFGUID Id, PWSTR *ErrorRecord);
HRESULT WINAPI HcnCloseEndpoint(HCN_ENDPOINT Endpoint);
HRESULT WINAPI HcnEnumerateLoadBalancers(PCWSTR Query, PWSTR *LoadBalancer, PWSTR *ErrorRecord);
HRESULT WINAPI HcnCreateLoadBalancer(REFGUID Id, PCWSTR Settings, PHCN_LOADBALANCER LoadBalancer, PWSTR *ErrorRecord);
HRESULT WINAPI HcnOpenLoadBalancer(REFGUID Id, PHCN_LOADBALANCER LoadBalancer, PWSTR *ErrorRecord);
HRESULT WINAPI HcnModifyLoadBalancer(HCN_LOADBALANCER LoadBalancer, PCWSTR Settings, PWSTR *ErrorRecord);
HRESULT WINAPI HcnQueryLoadBalancerProperties(HCN_LOADBALANCER LoadBalancer, PCWSTR Query, PWSTR *Properties,
                                              PWSTR *ErrorRecord);
HRESULT WINAPI HcnDeleteLoadBalancer(REFGUID Id, PWSTR *ErrorRecord);
HRESULT WINAPI HcnCloseLoadBalancer(HCN_LOADBALANCER LoadBalancer);
HRESULT WINAPI HcnRegisterServiceCallback(HCN_NOTIFICATION_CALLBACK Callback, void *Context,
                                          HCN_CALLBACK *CallbackHandle);
HRESULT WINAPI HcnUnregisterServiceCallback(HCN_CALLBACK CallbackHandle);
HRESULT WINAPI HcnRegisterGuestNetworkServiceCallback(HCN_GUESTNETWORKSERVICE GuestNetworkService,
                                                      HCN_NOTIFICATION_CALLBACK Callback, void *Context,
                                                      HCN_CALLBACK *CallbackHandle);
HRESULT WINAPI HcnUnregisterGuestNetworkServiceCallback(HCN_CALLBACK CallbackHandle);
HRESULT WINAPI HcnCreateGuestNetworkService(REFGUID Id, PCWSTR Settings, PHCN_GUESTNETWORKSERVICE GuestNetworkService,
                                            PWSTR *ErrorRecord);
HRESULT WINAPI HcnCloseGuestNetworkService(HCN_GUESTNETWORKSERVICE GuestNetworkService);
HRESULT WINAPI HcnModifyGuestNetworkService(HCN_GUESTNETWORKSERVICE GuestNetworkService, PCWSTR Settings,
                                            PWSTR *ErrorRecord);
HRESULT WINAPI HcnDeleteGuestNetworkService(REFGUID Id, PWSTR *ErrorRecord);
HRESULT WINAPI HcnReserveGuestNetworkServicePort(HCN_GUESTNETWORKSERVICE GuestNetworkService,
                                                 HCN_PORT_PROTOCOL Protocol, HCN_PORT_ACCESS Access, USHORT Port,
                                                 HANDLE *PortReservationHandle);
HRESULT WINAPI HcnReserveGuestNetworkServicePortRange(HCN_GUESTNETWORKSERVICE GuestNetworkService, USHORT PortCount,
                                                      HCN_PORT_RANGE_RESERVATION *PortRangeReservation,
                                                      HANDLE *PortReservationHandle);
HRESULT WINAPI HcnReleaseGuestNetworkServicePortReservationHandle(HANDLE PortReservationHandle);
HRESULT WINAPI HcnEnumerateGuestNetworkPortReservations(ULONG *ReturnCount, HCN_PORT_RANGE_ENTRY **PortEntries);
VOID WINAPI HcnFreeGuestNetworkPortReservations(HCN_PORT_RANGE_ENTRY *PortEntries);

/* Frees ErrorRecord and result strings (storage-and-network §2.3). */
void WINAPI CoTaskMemFree(void *pv);

#ifdef __cplusplus
}
#endif

#endif /* _WIN32 */

#ifdef __cplusplus
extern "C" {
#endif

/* Exported by computenetwork.dll but absent from mingw-w64's header
 * (storage-and-network §2.2): SDN routes and the guest network service's
 * enumerate/open/query have the network functions' shapes;
 * HcnRegisterNetworkCallback's signature is not published and is inferred
 * from the service and guest network service forms. */
typedef void *HCN_SDNROUTE;
typedef HCN_SDNROUTE *PHCN_SDNROUTE;

HRESULT WINAPI HcnEnumerateSdnRoutes(PCWSTR Query, PWSTR *Routes, PWSTR *ErrorRecord);
HRESULT WINAPI HcnCreateSdnRoute(REFGUID Id, PCWSTR Settings, PHCN_SDNROUTE Route, PWSTR *ErrorRecord);
HRESULT WINAPI HcnOpenSdnRoute(REFGUID Id, PHCN_SDNROUTE Route, PWSTR *ErrorRecord);
HRESULT WINAPI HcnModifySdnRoute(HCN_SDNROUTE Route, PCWSTR Settings, PWSTR *ErrorRecord);
HRESULT WINAPI HcnQuerySdnRouteProperties(HCN_SDNROUTE Route, PCWSTR Query, PWSTR *Properties, PWSTR *ErrorRecord);
HRESULT WINAPI HcnDeleteSdnRoute(REFGUID Id, PWSTR *ErrorRecord);
HRESULT WINAPI HcnCloseSdnRoute(HCN_SDNROUTE Route);
HRESULT WINAPI HcnEnumerateGuestNetworkServices(PCWSTR Query, PWSTR *Services, PWSTR *ErrorRecord);
HRESULT WINAPI HcnOpenGuestNetworkService(REFGUID Id, PHCN_GUESTNETWORKSERVICE GuestNetworkService, PWSTR *ErrorRecord);
HRESULT WINAPI HcnQueryGuestNetworkServiceProperties(HCN_GUESTNETWORKSERVICE GuestNetworkService, PCWSTR Query,
                                                     PWSTR *Properties, PWSTR *ErrorRecord);
HRESULT WINAPI HcnQueryEndpointStats(HCN_ENDPOINT Endpoint, PCWSTR Query, PWSTR *Stats, PWSTR *ErrorRecord);
HRESULT WINAPI HcnQueryEndpointAddresses(HCN_ENDPOINT Endpoint, PCWSTR Query, PWSTR *Addresses, PWSTR *ErrorRecord);
HRESULT WINAPI HcnRegisterNetworkCallback(HCN_NETWORK Network, HCN_NOTIFICATION_CALLBACK Callback, void *Context,
                                          HCN_CALLBACK *CallbackHandle);
HRESULT WINAPI HcnUnregisterNetworkCallback(HCN_CALLBACK CallbackHandle);

#ifdef __cplusplus
}
#endif

#endif
