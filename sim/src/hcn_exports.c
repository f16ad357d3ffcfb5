/* The computenetwork.dll exports (storage-and-network §2.2): thin shells
 * over hcn.c, one macro per shape so the six object types stay alike. */
#include "export.h"
#include "hcn.h"
#include "hcn_peer.h"

/* The type parameters cannot be parenthesized. */
/* NOLINTBEGIN(bugprone-macro-parentheses) */
#define HCN_OBJECT_EXPORTS(Noun, Plural, kind, Handle)                                                                 \
    SIM_EXPORT HRESULT WINAPI HcnEnumerate##Plural(PCWSTR Query, PWSTR *Result, PWSTR *ErrorRecord)                    \
    {                                                                                                                  \
        HCN_PEER(HcnEnumerate##Plural, (Query, Result, ErrorRecord));                                                  \
        return hcssim__hcn_enumerate(kind, Query, Result, ErrorRecord);                                                \
    }                                                                                                                  \
    SIM_EXPORT HRESULT WINAPI HcnOpen##Noun(REFGUID Id, Handle *Object, PWSTR *ErrorRecord)                            \
    {                                                                                                                  \
        HCN_PEER(HcnOpen##Noun, (Id, Object, ErrorRecord));                                                            \
        return hcssim__hcn_open(kind, Id, (void **)Object, ErrorRecord);                                               \
    }                                                                                                                  \
    SIM_EXPORT HRESULT WINAPI HcnModify##Noun(Handle Object, PCWSTR Settings, PWSTR *ErrorRecord)                      \
    {                                                                                                                  \
        HCN_PEER(HcnModify##Noun, (Object, Settings, ErrorRecord));                                                    \
        return hcssim__hcn_modify(kind, Object, Settings, ErrorRecord);                                                \
    }                                                                                                                  \
    SIM_EXPORT HRESULT WINAPI HcnQuery##Noun##Properties(Handle Object, PCWSTR Query, PWSTR *Properties,               \
                                                         PWSTR *ErrorRecord)                                           \
    {                                                                                                                  \
        HCN_PEER(HcnQuery##Noun##Properties, (Object, Query, Properties, ErrorRecord));                                \
        return hcssim__hcn_query(kind, Object, NULL, Query, Properties, ErrorRecord);                                  \
    }                                                                                                                  \
    SIM_EXPORT HRESULT WINAPI HcnDelete##Noun(REFGUID Id, PWSTR *ErrorRecord)                                          \
    {                                                                                                                  \
        HCN_PEER(HcnDelete##Noun, (Id, ErrorRecord));                                                                  \
        return hcssim__hcn_delete(kind, Id, ErrorRecord);                                                              \
    }                                                                                                                  \
    SIM_EXPORT HRESULT WINAPI HcnClose##Noun(Handle Object)                                                            \
    {                                                                                                                  \
        HCN_PEER(HcnClose##Noun, (Object));                                                                            \
        return hcssim__hcn_close(kind, Object);                                                                        \
    }
/* NOLINTEND(bugprone-macro-parentheses) */

/* Every type but the endpoint is created from an id alone. */
/* The type parameters cannot be parenthesized. */
/* NOLINTBEGIN(bugprone-macro-parentheses) */
#define HCN_CREATE_EXPORT(Noun, kind, Handle)                                                                          \
    SIM_EXPORT HRESULT WINAPI HcnCreate##Noun(REFGUID Id, PCWSTR Settings, Handle *Object, PWSTR *ErrorRecord)         \
    {                                                                                                                  \
        HCN_PEER(HcnCreate##Noun, (Id, Settings, Object, ErrorRecord));                                                \
        return hcssim__hcn_create(kind, NULL, Id, Settings, (void **)Object, ErrorRecord);                             \
    }
/* NOLINTEND(bugprone-macro-parentheses) */

HCN_OBJECT_EXPORTS(Network, Networks, HCN_KIND_NETWORK, HCN_NETWORK)
HCN_CREATE_EXPORT(Network, HCN_KIND_NETWORK, HCN_NETWORK)
HCN_OBJECT_EXPORTS(Namespace, Namespaces, HCN_KIND_NAMESPACE, HCN_NAMESPACE)
HCN_CREATE_EXPORT(Namespace, HCN_KIND_NAMESPACE, HCN_NAMESPACE)
HCN_OBJECT_EXPORTS(Endpoint, Endpoints, HCN_KIND_ENDPOINT, HCN_ENDPOINT)
HCN_OBJECT_EXPORTS(LoadBalancer, LoadBalancers, HCN_KIND_LOADBALANCER, HCN_LOADBALANCER)
HCN_CREATE_EXPORT(LoadBalancer, HCN_KIND_LOADBALANCER, HCN_LOADBALANCER)
HCN_OBJECT_EXPORTS(SdnRoute, SdnRoutes, HCN_KIND_ROUTE, HCN_SDNROUTE)
HCN_CREATE_EXPORT(SdnRoute, HCN_KIND_ROUTE, HCN_SDNROUTE)
HCN_OBJECT_EXPORTS(GuestNetworkService, GuestNetworkServices, HCN_KIND_GNS, HCN_GUESTNETWORKSERVICE)
HCN_CREATE_EXPORT(GuestNetworkService, HCN_KIND_GNS, HCN_GUESTNETWORKSERVICE)

SIM_EXPORT HRESULT WINAPI HcnCreateEndpoint(HCN_NETWORK Network, REFGUID Id, PCWSTR Settings, PHCN_ENDPOINT Endpoint,
                                            PWSTR *ErrorRecord)
{
    HCN_PEER(HcnCreateEndpoint, (Network, Id, Settings, Endpoint, ErrorRecord));
    return hcssim__hcn_create(HCN_KIND_ENDPOINT, Network, Id, Settings, (void **)Endpoint, ErrorRecord);
}

SIM_EXPORT HRESULT WINAPI HcnQueryEndpointStats(HCN_ENDPOINT Endpoint, PCWSTR Query, PWSTR *Stats, PWSTR *ErrorRecord)
{
    HCN_PEER(HcnQueryEndpointStats, (Endpoint, Query, Stats, ErrorRecord));
    return hcssim__hcn_query(HCN_KIND_ENDPOINT, Endpoint, "Stats", Query, Stats, ErrorRecord);
}

SIM_EXPORT HRESULT WINAPI HcnQueryEndpointAddresses(HCN_ENDPOINT Endpoint, PCWSTR Query, PWSTR *Addresses,
                                                    PWSTR *ErrorRecord)
{
    HCN_PEER(HcnQueryEndpointAddresses, (Endpoint, Query, Addresses, ErrorRecord));
    return hcssim__hcn_query(HCN_KIND_ENDPOINT, Endpoint, "Addresses", Query, Addresses, ErrorRecord);
}

/* ---- notifications (§2.7) ---------------------------------------------- */

SIM_EXPORT HRESULT WINAPI HcnRegisterServiceCallback(HCN_NOTIFICATION_CALLBACK Callback, void *Context,
                                                     HCN_CALLBACK *CallbackHandle)
{
    HCN_PEER(HcnRegisterServiceCallback, (Callback, Context, CallbackHandle));
    return hcssim__hcn_register(HCN_KINDS, NULL, Callback, Context, CallbackHandle);
}

SIM_EXPORT HRESULT WINAPI HcnUnregisterServiceCallback(HCN_CALLBACK CallbackHandle)
{
    HCN_PEER(HcnUnregisterServiceCallback, (CallbackHandle));
    return hcssim__hcn_unregister(CallbackHandle);
}

SIM_EXPORT HRESULT WINAPI HcnRegisterNetworkCallback(HCN_NETWORK Network, HCN_NOTIFICATION_CALLBACK Callback,
                                                     void *Context, HCN_CALLBACK *CallbackHandle)
{
    HCN_PEER(HcnRegisterNetworkCallback, (Network, Callback, Context, CallbackHandle));
    return hcssim__hcn_register(HCN_KIND_NETWORK, Network, Callback, Context, CallbackHandle);
}

SIM_EXPORT HRESULT WINAPI HcnUnregisterNetworkCallback(HCN_CALLBACK CallbackHandle)
{
    HCN_PEER(HcnUnregisterNetworkCallback, (CallbackHandle));
    return hcssim__hcn_unregister(CallbackHandle);
}

SIM_EXPORT HRESULT WINAPI HcnRegisterGuestNetworkServiceCallback(HCN_GUESTNETWORKSERVICE GuestNetworkService,
                                                                 HCN_NOTIFICATION_CALLBACK Callback, void *Context,
                                                                 HCN_CALLBACK *CallbackHandle)
{
    HCN_PEER(HcnRegisterGuestNetworkServiceCallback, (GuestNetworkService, Callback, Context, CallbackHandle));
    return hcssim__hcn_register(HCN_KIND_GNS, GuestNetworkService, Callback, Context, CallbackHandle);
}

SIM_EXPORT HRESULT WINAPI HcnUnregisterGuestNetworkServiceCallback(HCN_CALLBACK CallbackHandle)
{
    HCN_PEER(HcnUnregisterGuestNetworkServiceCallback, (CallbackHandle));
    return hcssim__hcn_unregister(CallbackHandle);
}

/* ---- port reservations (§2.8) ------------------------------------------ */

SIM_EXPORT HRESULT WINAPI HcnReserveGuestNetworkServicePort(HCN_GUESTNETWORKSERVICE GuestNetworkService,
                                                            HCN_PORT_PROTOCOL Protocol, HCN_PORT_ACCESS Access,
                                                            USHORT Port, HANDLE *PortReservationHandle)
{
    HCN_PEER(HcnReserveGuestNetworkServicePort, (GuestNetworkService, Protocol, Access, Port, PortReservationHandle));
    return hcssim__hcn_reserve_port(GuestNetworkService, Protocol, Access, Port, 0, NULL, PortReservationHandle);
}

SIM_EXPORT HRESULT WINAPI HcnReserveGuestNetworkServicePortRange(HCN_GUESTNETWORKSERVICE GuestNetworkService,
                                                                 USHORT PortCount,
                                                                 HCN_PORT_RANGE_RESERVATION *PortRangeReservation,
                                                                 HANDLE *PortReservationHandle)
{
    HCN_PEER(HcnReserveGuestNetworkServicePortRange,
             (GuestNetworkService, PortCount, PortRangeReservation, PortReservationHandle));
    if (!PortRangeReservation) {
        if (PortReservationHandle)
            *PortReservationHandle = NULL;
        return E_INVALIDARG;
    }
    return hcssim__hcn_reserve_port(GuestNetworkService, HCN_PORT_PROTOCOL_BOTH, HCN_PORT_ACCESS_EXCLUSIVE, 0,
                                    PortCount, PortRangeReservation, PortReservationHandle);
}

SIM_EXPORT HRESULT WINAPI HcnReleaseGuestNetworkServicePortReservationHandle(HANDLE PortReservationHandle)
{
    HCN_PEER(HcnReleaseGuestNetworkServicePortReservationHandle, (PortReservationHandle));
    return hcssim__hcn_release_port(PortReservationHandle);
}

SIM_EXPORT HRESULT WINAPI HcnEnumerateGuestNetworkPortReservations(ULONG *ReturnCount,
                                                                   HCN_PORT_RANGE_ENTRY **PortEntries)
{
    HCN_PEER(HcnEnumerateGuestNetworkPortReservations, (ReturnCount, PortEntries));
    return hcssim__hcn_enumerate_ports(ReturnCount, PortEntries);
}

SIM_EXPORT VOID WINAPI HcnFreeGuestNetworkPortReservations(HCN_PORT_RANGE_ENTRY *PortEntries)
{
    HCN_PEER_VOID(HcnFreeGuestNetworkPortReservations, (PortEntries));
    hcssim__hcn_free_ports(PortEntries);
}
