/* The Host Compute Network (HCN, computenetwork.dll): networks, endpoints,
 * namespaces, load balancers, SDN routes and guest network services, their
 * notifications and port reservations (storage-and-network §2).
 *
 * HCN objects belong to the host, not to the program: closing a handle
 * leaves the object; delete takes its id and needs no handle. Ids are GUID
 * strings (any case, braces allowed); NULL or "" on create lets HCN choose
 * one, which hcs_<type>_id tells. Documents are HCN's V2 JSON
 * (network_schema.h has them as typed values); queries are
 * HostComputeQuery documents, NULL for none (HCN then answers its V1
 * shape; give {"SchemaVersion":{"Major":2,"Minor":0}} for V2).
 *
 * Every call is synchronous and may be made from any thread. A failure
 * keeps HCN's ErrorRecord in err->document. Other programs share the host's
 * objects: one another program deletes as it is opened is not found; one
 * it deletes as it is created with an id given succeeds, later calls on
 * the handle reporting HCN_E_OBJECT_USED_AFTER_UNLOAD (without an id given,
 * the create fails so, its id unknown). The provider is the client's
 * (client.h): a simulator's HCN (hcssimd's for its clients), on Windows
 * System32's computenetwork.dll beside System32's computecore.dll, or the
 * computenetwork.dll beside another computecore.dll named as provider; a host
 * without HCN, or without one function, fails that call with
 * HCS_WIN32_E_PROC_NOT_FOUND (kind HCS_ERROR_UNSUPPORTED).
 *
 * A container joins a namespace through its document
 * (Container.Networking.Namespace, builders.h); tear down in the order of
 * storage-and-network §3.5: close the system, remove the endpoints from the
 * namespace, delete the namespace, the endpoints, then the network. */
#ifndef HCS_NETWORK_H
#define HCS_NETWORK_H

#include "event.h"
#include "network_schema.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hcs_network {
    uint64_t id;
} hcs_network;
typedef struct hcs_endpoint {
    uint64_t id;
} hcs_endpoint;
typedef struct hcs_namespace {
    uint64_t id;
} hcs_namespace;
typedef struct hcs_load_balancer {
    uint64_t id;
} hcs_load_balancer;
/* An SDN route. */
typedef struct hcs_route {
    uint64_t id;
} hcs_route;
/* A guest network service (a VM's mirrored networking), which holds port
 * reservations. */
typedef struct hcs_guest_network {
    uint64_t id;
} hcs_guest_network;
typedef struct hcs_port_reservation {
    uint64_t id;
} hcs_port_reservation;

/* Room for an id: 36 characters and the terminator. */
#define HCS_NET_ID_SIZE 37

/* ---- networks ----------------------------------------------------------- */

/* The ids of the networks a query selects (its Filter, e.g.
 * {"Filter":"{\"Name\":\"nat\"}"}), as a JSON array of GUID strings in
 * *ids_json (free with hcs_free). */
HCS_API int32_t hcs_network_enumerate(hcs_client client, const char *query_json, char **ids_json, hcs_error *err);
/* Creates a network from a HostComputeNetwork document. A name in use:
 * HCN_E_NETWORK_ALREADY_EXISTS; an id in use: ERROR_OBJECT_ALREADY_EXISTS. */
HCS_API int32_t hcs_network_create(hcs_client client, const char *id, const char *settings_json, hcs_network *out,
                                   hcs_error *err);
/* Opens a network by id. An unknown id: kind HCS_ERROR_NOT_FOUND. */
HCS_API int32_t hcs_network_open(hcs_client client, const char *id, hcs_network *out, hcs_error *err);
/* Applies a modify request ({ResourceType, RequestType, Settings}, Settings
 * an object: HCN_ModifyRequest). */
HCS_API int32_t hcs_network_modify(hcs_network net, const char *request_json, hcs_error *err);
/* The network's document for a query (NULL: none) in *out_json (hcs_free). */
HCS_API int32_t hcs_network_properties_json(hcs_network net, const char *query_json, char **out_json, hcs_error *err);
/* The network's id, upper case, in id. */
HCS_API int32_t hcs_network_id(hcs_network net, char id[HCS_NET_ID_SIZE], hcs_error *err);
/* Deletes a network by id; refused (HCN_E_ENTITY_HAS_REFERENCES) while it
 * has endpoints. */
HCS_API int32_t hcs_network_delete(hcs_client client, const char *id, hcs_error *err);
/* Closes the handle (not the network). Idempotent; stale handles ignored. */
HCS_API void hcs_network_close(hcs_network net);

/* ---- endpoints: as networks, made on an open network --------------------- */

HCS_API int32_t hcs_endpoint_enumerate(hcs_client client, const char *query_json, char **ids_json, hcs_error *err);
/* Creates an endpoint on `net` from a HostComputeEndpoint document (its
 * HostComputeNetwork, if set, must name `net`; HostComputeNamespace is
 * read-only). HCN assigns an address and a MAC unless the document gives
 * them. */
HCS_API int32_t hcs_endpoint_create(hcs_network net, const char *id, const char *settings_json, hcs_endpoint *out,
                                    hcs_error *err);
HCS_API int32_t hcs_endpoint_open(hcs_client client, const char *id, hcs_endpoint *out, hcs_error *err);
HCS_API int32_t hcs_endpoint_modify(hcs_endpoint ep, const char *request_json, hcs_error *err);
HCS_API int32_t hcs_endpoint_properties_json(hcs_endpoint ep, const char *query_json, char **out_json, hcs_error *err);
HCS_API int32_t hcs_endpoint_id(hcs_endpoint ep, char id[HCS_NET_ID_SIZE], hcs_error *err);
/* Deletes an endpoint; HCN takes it out of its namespace. */
HCS_API int32_t hcs_endpoint_delete(hcs_client client, const char *id, hcs_error *err);
HCS_API void hcs_endpoint_close(hcs_endpoint ep);

/* ---- namespaces: as networks ----------------------------------------------- */

HCS_API int32_t hcs_namespace_enumerate(hcs_client client, const char *query_json, char **ids_json, hcs_error *err);
/* Creates a namespace from a HostComputeNamespace document (NULL: a Host
 * namespace). Type HostDefault answers the host's single default
 * namespace, whatever id was asked. */
HCS_API int32_t hcs_namespace_create(hcs_client client, const char *id, const char *settings_json, hcs_namespace *out,
                                     hcs_error *err);
HCS_API int32_t hcs_namespace_open(hcs_client client, const char *id, hcs_namespace *out, hcs_error *err);
HCS_API int32_t hcs_namespace_modify(hcs_namespace ns, const char *request_json, hcs_error *err);
HCS_API int32_t hcs_namespace_properties_json(hcs_namespace ns, const char *query_json, char **out_json,
                                              hcs_error *err);
HCS_API int32_t hcs_namespace_id(hcs_namespace ns, char id[HCS_NET_ID_SIZE], hcs_error *err);
/* Deletes a namespace; refused (HCN_E_REQUEST_UNSUPPORTED) while a compute
 * system uses it. */
HCS_API int32_t hcs_namespace_delete(hcs_client client, const char *id, hcs_error *err);
HCS_API void hcs_namespace_close(hcs_namespace ns);
/* Puts an endpoint into the namespace (HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS
 * when it is in one) or takes it out (kind HCS_ERROR_NOT_FOUND when it is
 * not there). */
HCS_API int32_t hcs_namespace_add_endpoint(hcs_namespace ns, const char *endpoint_id, hcs_error *err);
HCS_API int32_t hcs_namespace_remove_endpoint(hcs_namespace ns, const char *endpoint_id, hcs_error *err);

/* ---- load balancers, SDN routes, guest network services: as networks ------ */

HCS_API int32_t hcs_load_balancer_enumerate(hcs_client client, const char *query_json, char **ids_json, hcs_error *err);
/* From a HostComputeLoadBalancer document; modify takes a whole document. */
HCS_API int32_t hcs_load_balancer_create(hcs_client client, const char *id, const char *settings_json,
                                         hcs_load_balancer *out, hcs_error *err);
HCS_API int32_t hcs_load_balancer_open(hcs_client client, const char *id, hcs_load_balancer *out, hcs_error *err);
HCS_API int32_t hcs_load_balancer_modify(hcs_load_balancer lb, const char *settings_json, hcs_error *err);
HCS_API int32_t hcs_load_balancer_properties_json(hcs_load_balancer lb, const char *query_json, char **out_json,
                                                  hcs_error *err);
HCS_API int32_t hcs_load_balancer_id(hcs_load_balancer lb, char id[HCS_NET_ID_SIZE], hcs_error *err);
HCS_API int32_t hcs_load_balancer_delete(hcs_client client, const char *id, hcs_error *err);
HCS_API void hcs_load_balancer_close(hcs_load_balancer lb);

HCS_API int32_t hcs_route_enumerate(hcs_client client, const char *query_json, char **ids_json, hcs_error *err);
/* From a HostComputeRoute document; modify takes a whole document. */
HCS_API int32_t hcs_route_create(hcs_client client, const char *id, const char *settings_json, hcs_route *out,
                                 hcs_error *err);
HCS_API int32_t hcs_route_open(hcs_client client, const char *id, hcs_route *out, hcs_error *err);
HCS_API int32_t hcs_route_modify(hcs_route route, const char *settings_json, hcs_error *err);
HCS_API int32_t hcs_route_properties_json(hcs_route route, const char *query_json, char **out_json, hcs_error *err);
HCS_API int32_t hcs_route_id(hcs_route route, char id[HCS_NET_ID_SIZE], hcs_error *err);
HCS_API int32_t hcs_route_delete(hcs_client client, const char *id, hcs_error *err);
HCS_API void hcs_route_close(hcs_route route);

HCS_API int32_t hcs_guest_network_enumerate(hcs_client client, const char *query_json, char **ids_json, hcs_error *err);
/* From a GuestNetworkService document ({VirtualMachineId, ...}); modify
 * takes {"ResourceType":"State","RequestType":"Update","Settings":{"State":..}}. */
HCS_API int32_t hcs_guest_network_create(hcs_client client, const char *id, const char *settings_json,
                                         hcs_guest_network *out, hcs_error *err);
HCS_API int32_t hcs_guest_network_open(hcs_client client, const char *id, hcs_guest_network *out, hcs_error *err);
HCS_API int32_t hcs_guest_network_modify(hcs_guest_network gns, const char *request_json, hcs_error *err);
HCS_API int32_t hcs_guest_network_properties_json(hcs_guest_network gns, const char *query_json, char **out_json,
                                                  hcs_error *err);
HCS_API int32_t hcs_guest_network_id(hcs_guest_network gns, char id[HCS_NET_ID_SIZE], hcs_error *err);
/* Deletes the service and the port reservations made on it. */
HCS_API int32_t hcs_guest_network_delete(hcs_client client, const char *id, hcs_error *err);
HCS_API void hcs_guest_network_close(hcs_guest_network gns);

/* ---- port reservations (§2.8; hosts with flow steering) -------------------- */

typedef enum hcs_port_protocol {
    HCS_PORT_TCP = 1,
    HCS_PORT_UDP = 2,
    HCS_PORT_BOTH = 3,
} hcs_port_protocol;

/* Reserves one host port for the guest: shared reservations coexist, an
 * exclusive one clashing with any other fails with HCN_E_PORT_ALREADY_EXISTS.
 * Release it with hcs_port_release. */
HCS_API int32_t hcs_port_reserve(hcs_guest_network gns, hcs_port_protocol protocol, bool shared, uint16_t port,
                                 hcs_port_reservation *out, hcs_error *err);
/* Reserves `count` ports HCN chooses; *first and *last receive the range
 * HCN reports (inclusive). */
HCS_API int32_t hcs_port_reserve_range(hcs_guest_network gns, uint16_t count, uint16_t *first, uint16_t *last,
                                       hcs_port_reservation *out, hcs_error *err);
/* Releases the reservation. Idempotent; stale handles ignored. */
HCS_API void hcs_port_release(hcs_port_reservation reservation);

/* One reservation of the host (any program's). */
typedef struct hcs_port_entry {
    char owner[HCS_NET_ID_SIZE];  /* OwningPartitionId */
    char target[HCS_NET_ID_SIZE]; /* TargetPartitionId */
    hcs_port_protocol protocol;
    bool shared;
    uint16_t first, last; /* inclusive */
} hcs_port_entry;

/* Every live reservation: *entries (free with hcs_free) holds *count. */
HCS_API int32_t hcs_port_reservations(hcs_client client, hcs_port_entry **entries, size_t *count, hcs_error *err);

/* ---- notifications (§2.7) --------------------------------------------------- */

/* Subscribes sink to HCN's service notifications (network created and
 * deleted, with their Pre* forms, namespace and guest network service
 * created and deleted, and HCN's disconnect). Each arrives as an hcs_event
 * of type HCS_EVENT_NETWORK: raw_type the HCN_NOTIFICATIONS value (reserved
 * upper bits cleared), data {"ID":...,"Flags":...}; through a queue as an
 * hcs_result with event_type HCS_EVENT_NETWORK. Callbacks run on libhcs's
 * threads, one at a time per subscription, in HCN's order. End it with
 * hcs_subscription_close (event.h), after which its callback never runs
 * again. HCS_COM_E_INVALIDARG unless exactly one of sink->callback and
 * sink->cq is set. */
HCS_API int32_t hcs_network_subscribe(hcs_client client, const hcs_event_sink *sink, hcs_subscription *out,
                                      hcs_error *err);

/* ---- versions and features (§2.10) ------------------------------------------ */

/* HNS's version, as `HNSCall GET /globals/version` reports it. */
typedef struct hcs_network_version {
    uint32_t major, minor;
} hcs_network_version;

/* HCN features, as hcsshim gates them on HNS's version. */
typedef enum hcs_network_feature {
    HCS_NET_FEATURE_ACL = 1u << 0,                   /* ACL address lists, host rule priority, port ranges, rule id */
    HCS_NET_FEATURE_API_V2 = 1u << 1,                /* the V2 API and schema, RemoteSubnet, HostRoute */
    HCS_NET_FEATURE_DSR = 1u << 2,                   /* direct server return */
    HCS_NET_FEATURE_SLASH32_PREFIXES = 1u << 3,      /* /32 endpoint prefixes */
    HCS_NET_FEATURE_VXLAN_PORT = 1u << 4,            /* VxlanPort policy */
    HCS_NET_FEATURE_ACL_PROTOCOL_252 = 1u << 5,      /* ACLs for protocol 252 */
    HCS_NET_FEATURE_IPV6_DUAL_STACK = 1u << 6,       /* IPv6 dual stack */
    HCS_NET_FEATURE_SESSION_AFFINITY = 1u << 7,      /* load balancer session affinity */
    HCS_NET_FEATURE_L4_PROXY = 1u << 8,              /* L4Proxy policy */
    HCS_NET_FEATURE_SET_POLICY = 1u << 9,            /* SetPolicy (IP sets) */
    HCS_NET_FEATURE_L4_WFP_PROXY = 1u << 10,         /* L4WFPPROXY policy */
    HCS_NET_FEATURE_TIER_ACL = 1u << 11,             /* TierAcl policy */
    HCS_NET_FEATURE_NETWORK_ACL = 1u << 12,          /* NetworkACL policy, nested IP sets */
    HCS_NET_FEATURE_DISABLE_HOST_PORT = 1u << 13,    /* DisableHostPort network flag */
    HCS_NET_FEATURE_MODIFY_LOAD_BALANCER = 1u << 14, /* hcs_load_balancer_modify; Accelnet */
} hcs_network_feature;

/* The features of an HNS version, a set of hcs_network_feature bits, by
 * hcsshim's table (storage-and-network §2.10). */
HCS_API uint32_t hcs_network_features(hcs_network_version version);

/* The host's HNS version, from HNSCall GET /globals/version: vmcompute.dll's
 * beside System32's computecore.dll (or beside another computecore.dll named
 * as provider), the simulator's own (it reports the version its emulated
 * build stands for, docs/simulator-fidelity.md "HCN"). A provider without
 * HNSCall: HCS_WIN32_E_PROC_NOT_FOUND (kind HCS_ERROR_UNSUPPORTED); an
 * answer without a version: HCS_E_INVALID_JSON with it in err->document. */
HCS_API int32_t hcs_network_host_version(hcs_client client, hcs_network_version *out, hcs_error *err);

#ifdef __cplusplus
}
#endif

#endif
