/* HCN's V2 documents (storage-and-network §2.6) as typed C values, in the
 * style of schema_types.h: decode and encode them with hcs_schema_decode
 * and hcs_schema_encode (schema.h) and the type numbers below, or the
 * hcs_<Type>_decode/_encode helpers. Presence and unknown fields follow
 * schema.h. Enumerations (Type, RequestType, ...) are strings, as HCN takes
 * them; flag sets are numbers. Policy settings, namespace resource data and
 * modify settings are raw JSON (Any). */
#ifndef HCS_NETWORK_SCHEMA_H
#define HCS_NETWORK_SCHEMA_H

#include "schema.h"

#ifdef __cplusplus
extern "C" {
#endif

/* HCN's type numbers follow HCS's, from this base. */
#define HCS_HCN_SCHEMA_BASE 0x4000

#define HCS_SCHEMA_HCN_Version ((hcs_schema_type)(HCS_HCN_SCHEMA_BASE + 0))
#define HCS_SCHEMA_HCN_Route ((hcs_schema_type)(HCS_HCN_SCHEMA_BASE + 1))
#define HCS_SCHEMA_HCN_Policy ((hcs_schema_type)(HCS_HCN_SCHEMA_BASE + 2))
#define HCS_SCHEMA_HCN_IpSubnet ((hcs_schema_type)(HCS_HCN_SCHEMA_BASE + 3))
#define HCS_SCHEMA_HCN_Subnet ((hcs_schema_type)(HCS_HCN_SCHEMA_BASE + 4))
#define HCS_SCHEMA_HCN_Ipam ((hcs_schema_type)(HCS_HCN_SCHEMA_BASE + 5))
#define HCS_SCHEMA_HCN_MacRange ((hcs_schema_type)(HCS_HCN_SCHEMA_BASE + 6))
#define HCS_SCHEMA_HCN_MacPool ((hcs_schema_type)(HCS_HCN_SCHEMA_BASE + 7))
#define HCS_SCHEMA_HCN_Dns ((hcs_schema_type)(HCS_HCN_SCHEMA_BASE + 8))
#define HCS_SCHEMA_HCN_IpConfig ((hcs_schema_type)(HCS_HCN_SCHEMA_BASE + 9))
#define HCS_SCHEMA_HCN_NamespaceResource ((hcs_schema_type)(HCS_HCN_SCHEMA_BASE + 10))
#define HCS_SCHEMA_HCN_LoadBalancerPortMapping ((hcs_schema_type)(HCS_HCN_SCHEMA_BASE + 11))
#define HCS_SCHEMA_HostComputeNetwork ((hcs_schema_type)(HCS_HCN_SCHEMA_BASE + 12))
#define HCS_SCHEMA_HostComputeEndpoint ((hcs_schema_type)(HCS_HCN_SCHEMA_BASE + 13))
#define HCS_SCHEMA_HostComputeNamespace ((hcs_schema_type)(HCS_HCN_SCHEMA_BASE + 14))
#define HCS_SCHEMA_HostComputeLoadBalancer ((hcs_schema_type)(HCS_HCN_SCHEMA_BASE + 15))
#define HCS_SCHEMA_HostComputeRoute ((hcs_schema_type)(HCS_HCN_SCHEMA_BASE + 16))
#define HCS_SCHEMA_HostComputeQuery ((hcs_schema_type)(HCS_HCN_SCHEMA_BASE + 17))
#define HCS_SCHEMA_HCN_ModifyRequest ((hcs_schema_type)(HCS_HCN_SCHEMA_BASE + 18))
#define HCS_SCHEMA_HCN_ErrorRecord ((hcs_schema_type)(HCS_HCN_SCHEMA_BASE + 19))
#define HCS_SCHEMA_HCN_Notification ((hcs_schema_type)(HCS_HCN_SCHEMA_BASE + 20))

typedef struct hcs_HCN_Version hcs_HCN_Version;
typedef struct hcs_HCN_Route hcs_HCN_Route;
typedef struct hcs_HCN_Policy hcs_HCN_Policy;
typedef struct hcs_HCN_IpSubnet hcs_HCN_IpSubnet;
typedef struct hcs_HCN_Subnet hcs_HCN_Subnet;
typedef struct hcs_HCN_Ipam hcs_HCN_Ipam;
typedef struct hcs_HCN_MacRange hcs_HCN_MacRange;
typedef struct hcs_HCN_MacPool hcs_HCN_MacPool;
typedef struct hcs_HCN_Dns hcs_HCN_Dns;
typedef struct hcs_HCN_IpConfig hcs_HCN_IpConfig;
typedef struct hcs_HCN_NamespaceResource hcs_HCN_NamespaceResource;
typedef struct hcs_HCN_LoadBalancerPortMapping hcs_HCN_LoadBalancerPortMapping;
typedef struct hcs_HostComputeNetwork hcs_HostComputeNetwork;
typedef struct hcs_HostComputeEndpoint hcs_HostComputeEndpoint;
typedef struct hcs_HostComputeNamespace hcs_HostComputeNamespace;
typedef struct hcs_HostComputeLoadBalancer hcs_HostComputeLoadBalancer;
typedef struct hcs_HostComputeRoute hcs_HostComputeRoute;
typedef struct hcs_HostComputeQuery hcs_HostComputeQuery;
typedef struct hcs_HCN_ModifyRequest hcs_HCN_ModifyRequest;
typedef struct hcs_HCN_ErrorRecord hcs_HCN_ErrorRecord;
typedef struct hcs_HCN_Notification hcs_HCN_Notification;

/* Version of an HCN document (SchemaVersion) */
struct hcs_HCN_Version {
    hcs_unknown_fields unknown_fields;
    bool has_Major;
    uint32_t Major;
    bool has_Minor;
    uint32_t Minor;
};

/* Route: a next hop for a destination prefix */
struct hcs_HCN_Route {
    hcs_unknown_fields unknown_fields;
    const char *NextHop;
    const char *DestinationPrefix;
    bool has_Metric;
    uint16_t Metric;
};

/* NetworkPolicy, EndpointPolicy, SubnetPolicy: a Type and its Settings (raw JSON) */
struct hcs_HCN_Policy {
    hcs_unknown_fields unknown_fields;
    const char *Type;
    const char *Settings; /* raw JSON */
};

/* IpSubnet (2.3) */
struct hcs_HCN_IpSubnet {
    hcs_unknown_fields unknown_fields;
    const char *ID;
    const char *IpAddressPrefix;
    bool has_Flags;
    uint32_t Flags;
};

/* Subnet of an Ipam */
struct hcs_HCN_Subnet {
    hcs_unknown_fields unknown_fields;
    const char *ID;
    const char *IpAddressPrefix;
    hcs_HCN_Policy *Policies;
    size_t Policies_count;
    hcs_HCN_Route *Routes;
    size_t Routes_count;
    hcs_HCN_IpSubnet *IpSubnets;
    size_t IpSubnets_count;
    bool has_Flags;
    uint32_t Flags;
};

/* Ipam: "Static" or "Dhcp" and its subnets */
struct hcs_HCN_Ipam {
    hcs_unknown_fields unknown_fields;
    const char *Type;
    hcs_HCN_Subnet *Subnets;
    size_t Subnets_count;
};

/* MacRange: XX-XX-XX-XX-XX-XX bounds, inclusive */
struct hcs_HCN_MacRange {
    hcs_unknown_fields unknown_fields;
    const char *StartMacAddress;
    const char *EndMacAddress;
};

/* MacPool */
struct hcs_HCN_MacPool {
    hcs_unknown_fields unknown_fields;
    hcs_HCN_MacRange *Ranges;
    size_t Ranges_count;
};

/* DNS settings */
struct hcs_HCN_Dns {
    hcs_unknown_fields unknown_fields;
    const char *Domain;
    const char **Search;
    size_t Search_count;
    const char **ServerList;
    size_t ServerList_count;
    const char **Options;
    size_t Options_count;
};

/* IpConfig of an endpoint */
struct hcs_HCN_IpConfig {
    hcs_unknown_fields unknown_fields;
    const char *IpAddress;
    bool has_PrefixLength;
    uint8_t PrefixLength;
    const char *IpSubnetId;
};

/* NamespaceResource: {Type "Container"|"Endpoint", Data {ID}} */
struct hcs_HCN_NamespaceResource {
    hcs_unknown_fields unknown_fields;
    const char *Type;
    const char *Data; /* raw JSON */
};

/* LoadBalancerPortMapping */
struct hcs_HCN_LoadBalancerPortMapping {
    hcs_unknown_fields unknown_fields;
    bool has_Protocol;
    uint32_t Protocol;
    bool has_InternalPort;
    uint16_t InternalPort;
    bool has_ExternalPort;
    uint16_t ExternalPort;
    bool has_DistributionType;
    uint32_t DistributionType;
    bool has_Flags;
    uint32_t Flags;
};

/* HostComputeNetwork (2.0) */
struct hcs_HostComputeNetwork {
    hcs_unknown_fields unknown_fields;
    const char *ID;
    const char *Name;
    const char *Owner;
    hcs_HCN_Version *SchemaVersion;
    const char *Type;
    hcs_HCN_Policy *Policies;
    size_t Policies_count;
    hcs_HCN_MacPool *MacPool;
    hcs_HCN_Dns *Dns;
    hcs_HCN_Ipam *Ipams;
    size_t Ipams_count;
    bool has_Flags;
    uint32_t Flags;
};

/* HostComputeEndpoint (2.0); HostComputeNamespace is read-only */
struct hcs_HostComputeEndpoint {
    hcs_unknown_fields unknown_fields;
    const char *ID;
    const char *Name;
    const char *Owner;
    hcs_HCN_Version *SchemaVersion;
    const char *HostComputeNetwork;
    const char *HostComputeNamespace;
    hcs_HCN_Policy *Policies;
    size_t Policies_count;
    hcs_HCN_IpConfig *IpConfigurations;
    size_t IpConfigurations_count;
    hcs_HCN_Dns *Dns;
    hcs_HCN_Route *Routes;
    size_t Routes_count;
    const char *MacAddress;
    bool has_Flags;
    uint32_t Flags;
};

/* HostComputeNamespace (2.0); Type Host (default), HostDefault, Guest, GuestDefault */
struct hcs_HostComputeNamespace {
    hcs_unknown_fields unknown_fields;
    const char *ID;
    const char *Name;
    const char *Owner;
    hcs_HCN_Version *SchemaVersion;
    bool has_NamespaceId;
    uint32_t NamespaceId;
    const char *NamespaceGuid;
    const char *Type;
    hcs_HCN_NamespaceResource *Resources;
    size_t Resources_count;
};

/* HostComputeLoadBalancer (2.0) */
struct hcs_HostComputeLoadBalancer {
    hcs_unknown_fields unknown_fields;
    const char *ID;
    const char *Owner;
    hcs_HCN_Version *SchemaVersion;
    const char *HostComputeNetwork;
    const char **HostComputeEndpoints;
    size_t HostComputeEndpoints_count;
    const char *SourceVIP;
    const char **FrontendVIPs;
    size_t FrontendVIPs_count;
    hcs_HCN_LoadBalancerPortMapping *PortMappings;
    size_t PortMappings_count;
    bool has_Flags;
    uint32_t Flags;
};

/* HostComputeRoute, an SDN route (undocumented export) */
struct hcs_HostComputeRoute {
    hcs_unknown_fields unknown_fields;
    const char *ID;
    const char *Owner;
    hcs_HCN_Version *SchemaVersion;
    const char *HostComputeNetwork;
    const char **HostComputeEndpoints;
    size_t HostComputeEndpoints_count;
    const char *Routes; /* raw JSON */
};

/* HostComputeQuery: Flags 1 = Detailed; Filter is a string holding a JSON object */
struct hcs_HostComputeQuery {
    hcs_unknown_fields unknown_fields;
    hcs_HCN_Version *SchemaVersion;
    bool has_Flags;
    uint32_t Flags;
    const char *Filter;
};

/* The modify envelope: ResourceType, RequestType (Add, Remove, Update, Refresh, Reset), Settings an object */
struct hcs_HCN_ModifyRequest {
    hcs_unknown_fields unknown_fields;
    const char *ResourceType;
    const char *RequestType;
    const char *Settings; /* raw JSON */
};

/* An ErrorRecord: Error is the message, ErrorCode the HRESULT */
struct hcs_HCN_ErrorRecord {
    hcs_unknown_fields unknown_fields;
    bool has_Success;
    bool Success;
    const char *Error;
    bool has_ErrorCode;
    uint32_t ErrorCode;
};

/* A notification's data: the object's ID and Flags */
struct hcs_HCN_Notification {
    hcs_unknown_fields unknown_fields;
    const char *ID;
    bool has_Flags;
    uint32_t Flags;
};

static inline int32_t hcs_HCN_Version_decode(const char *json, size_t len, const hcs_schema_options *opts,
                                             hcs_schema_doc **doc, hcs_HCN_Version **root, hcs_error *err)
{
    int32_t hr = hcs_schema_decode(HCS_SCHEMA_HCN_Version, json, len, opts, doc, err);
    *root = HCS_SUCCEEDED(hr) ? (hcs_HCN_Version *)hcs_schema_doc_root(*doc) : NULL;
    return hr;
}
static inline int32_t hcs_HCN_Version_encode(const hcs_HCN_Version *value, const hcs_schema_options *opts, char **json,
                                             hcs_error *err)
{
    return hcs_schema_encode(HCS_SCHEMA_HCN_Version, value, opts, json, err);
}

static inline int32_t hcs_HCN_Route_decode(const char *json, size_t len, const hcs_schema_options *opts,
                                           hcs_schema_doc **doc, hcs_HCN_Route **root, hcs_error *err)
{
    int32_t hr = hcs_schema_decode(HCS_SCHEMA_HCN_Route, json, len, opts, doc, err);
    *root = HCS_SUCCEEDED(hr) ? (hcs_HCN_Route *)hcs_schema_doc_root(*doc) : NULL;
    return hr;
}
static inline int32_t hcs_HCN_Route_encode(const hcs_HCN_Route *value, const hcs_schema_options *opts, char **json,
                                           hcs_error *err)
{
    return hcs_schema_encode(HCS_SCHEMA_HCN_Route, value, opts, json, err);
}

static inline int32_t hcs_HCN_Policy_decode(const char *json, size_t len, const hcs_schema_options *opts,
                                            hcs_schema_doc **doc, hcs_HCN_Policy **root, hcs_error *err)
{
    int32_t hr = hcs_schema_decode(HCS_SCHEMA_HCN_Policy, json, len, opts, doc, err);
    *root = HCS_SUCCEEDED(hr) ? (hcs_HCN_Policy *)hcs_schema_doc_root(*doc) : NULL;
    return hr;
}
static inline int32_t hcs_HCN_Policy_encode(const hcs_HCN_Policy *value, const hcs_schema_options *opts, char **json,
                                            hcs_error *err)
{
    return hcs_schema_encode(HCS_SCHEMA_HCN_Policy, value, opts, json, err);
}

static inline int32_t hcs_HCN_IpSubnet_decode(const char *json, size_t len, const hcs_schema_options *opts,
                                              hcs_schema_doc **doc, hcs_HCN_IpSubnet **root, hcs_error *err)
{
    int32_t hr = hcs_schema_decode(HCS_SCHEMA_HCN_IpSubnet, json, len, opts, doc, err);
    *root = HCS_SUCCEEDED(hr) ? (hcs_HCN_IpSubnet *)hcs_schema_doc_root(*doc) : NULL;
    return hr;
}
static inline int32_t hcs_HCN_IpSubnet_encode(const hcs_HCN_IpSubnet *value, const hcs_schema_options *opts,
                                              char **json, hcs_error *err)
{
    return hcs_schema_encode(HCS_SCHEMA_HCN_IpSubnet, value, opts, json, err);
}

static inline int32_t hcs_HCN_Subnet_decode(const char *json, size_t len, const hcs_schema_options *opts,
                                            hcs_schema_doc **doc, hcs_HCN_Subnet **root, hcs_error *err)
{
    int32_t hr = hcs_schema_decode(HCS_SCHEMA_HCN_Subnet, json, len, opts, doc, err);
    *root = HCS_SUCCEEDED(hr) ? (hcs_HCN_Subnet *)hcs_schema_doc_root(*doc) : NULL;
    return hr;
}
static inline int32_t hcs_HCN_Subnet_encode(const hcs_HCN_Subnet *value, const hcs_schema_options *opts, char **json,
                                            hcs_error *err)
{
    return hcs_schema_encode(HCS_SCHEMA_HCN_Subnet, value, opts, json, err);
}

static inline int32_t hcs_HCN_Ipam_decode(const char *json, size_t len, const hcs_schema_options *opts,
                                          hcs_schema_doc **doc, hcs_HCN_Ipam **root, hcs_error *err)
{
    int32_t hr = hcs_schema_decode(HCS_SCHEMA_HCN_Ipam, json, len, opts, doc, err);
    *root = HCS_SUCCEEDED(hr) ? (hcs_HCN_Ipam *)hcs_schema_doc_root(*doc) : NULL;
    return hr;
}
static inline int32_t hcs_HCN_Ipam_encode(const hcs_HCN_Ipam *value, const hcs_schema_options *opts, char **json,
                                          hcs_error *err)
{
    return hcs_schema_encode(HCS_SCHEMA_HCN_Ipam, value, opts, json, err);
}

static inline int32_t hcs_HCN_MacRange_decode(const char *json, size_t len, const hcs_schema_options *opts,
                                              hcs_schema_doc **doc, hcs_HCN_MacRange **root, hcs_error *err)
{
    int32_t hr = hcs_schema_decode(HCS_SCHEMA_HCN_MacRange, json, len, opts, doc, err);
    *root = HCS_SUCCEEDED(hr) ? (hcs_HCN_MacRange *)hcs_schema_doc_root(*doc) : NULL;
    return hr;
}
static inline int32_t hcs_HCN_MacRange_encode(const hcs_HCN_MacRange *value, const hcs_schema_options *opts,
                                              char **json, hcs_error *err)
{
    return hcs_schema_encode(HCS_SCHEMA_HCN_MacRange, value, opts, json, err);
}

static inline int32_t hcs_HCN_MacPool_decode(const char *json, size_t len, const hcs_schema_options *opts,
                                             hcs_schema_doc **doc, hcs_HCN_MacPool **root, hcs_error *err)
{
    int32_t hr = hcs_schema_decode(HCS_SCHEMA_HCN_MacPool, json, len, opts, doc, err);
    *root = HCS_SUCCEEDED(hr) ? (hcs_HCN_MacPool *)hcs_schema_doc_root(*doc) : NULL;
    return hr;
}
static inline int32_t hcs_HCN_MacPool_encode(const hcs_HCN_MacPool *value, const hcs_schema_options *opts, char **json,
                                             hcs_error *err)
{
    return hcs_schema_encode(HCS_SCHEMA_HCN_MacPool, value, opts, json, err);
}

static inline int32_t hcs_HCN_Dns_decode(const char *json, size_t len, const hcs_schema_options *opts,
                                         hcs_schema_doc **doc, hcs_HCN_Dns **root, hcs_error *err)
{
    int32_t hr = hcs_schema_decode(HCS_SCHEMA_HCN_Dns, json, len, opts, doc, err);
    *root = HCS_SUCCEEDED(hr) ? (hcs_HCN_Dns *)hcs_schema_doc_root(*doc) : NULL;
    return hr;
}
static inline int32_t hcs_HCN_Dns_encode(const hcs_HCN_Dns *value, const hcs_schema_options *opts, char **json,
                                         hcs_error *err)
{
    return hcs_schema_encode(HCS_SCHEMA_HCN_Dns, value, opts, json, err);
}

static inline int32_t hcs_HCN_IpConfig_decode(const char *json, size_t len, const hcs_schema_options *opts,
                                              hcs_schema_doc **doc, hcs_HCN_IpConfig **root, hcs_error *err)
{
    int32_t hr = hcs_schema_decode(HCS_SCHEMA_HCN_IpConfig, json, len, opts, doc, err);
    *root = HCS_SUCCEEDED(hr) ? (hcs_HCN_IpConfig *)hcs_schema_doc_root(*doc) : NULL;
    return hr;
}
static inline int32_t hcs_HCN_IpConfig_encode(const hcs_HCN_IpConfig *value, const hcs_schema_options *opts,
                                              char **json, hcs_error *err)
{
    return hcs_schema_encode(HCS_SCHEMA_HCN_IpConfig, value, opts, json, err);
}

static inline int32_t hcs_HCN_NamespaceResource_decode(const char *json, size_t len, const hcs_schema_options *opts,
                                                       hcs_schema_doc **doc, hcs_HCN_NamespaceResource **root,
                                                       hcs_error *err)
{
    int32_t hr = hcs_schema_decode(HCS_SCHEMA_HCN_NamespaceResource, json, len, opts, doc, err);
    *root = HCS_SUCCEEDED(hr) ? (hcs_HCN_NamespaceResource *)hcs_schema_doc_root(*doc) : NULL;
    return hr;
}
static inline int32_t hcs_HCN_NamespaceResource_encode(const hcs_HCN_NamespaceResource *value,
                                                       const hcs_schema_options *opts, char **json, hcs_error *err)
{
    return hcs_schema_encode(HCS_SCHEMA_HCN_NamespaceResource, value, opts, json, err);
}

static inline int32_t hcs_HCN_LoadBalancerPortMapping_decode(const char *json, size_t len,
                                                             const hcs_schema_options *opts, hcs_schema_doc **doc,
                                                             hcs_HCN_LoadBalancerPortMapping **root, hcs_error *err)
{
    int32_t hr = hcs_schema_decode(HCS_SCHEMA_HCN_LoadBalancerPortMapping, json, len, opts, doc, err);
    *root = HCS_SUCCEEDED(hr) ? (hcs_HCN_LoadBalancerPortMapping *)hcs_schema_doc_root(*doc) : NULL;
    return hr;
}
static inline int32_t hcs_HCN_LoadBalancerPortMapping_encode(const hcs_HCN_LoadBalancerPortMapping *value,
                                                             const hcs_schema_options *opts, char **json,
                                                             hcs_error *err)
{
    return hcs_schema_encode(HCS_SCHEMA_HCN_LoadBalancerPortMapping, value, opts, json, err);
}

static inline int32_t hcs_HostComputeNetwork_decode(const char *json, size_t len, const hcs_schema_options *opts,
                                                    hcs_schema_doc **doc, hcs_HostComputeNetwork **root, hcs_error *err)
{
    int32_t hr = hcs_schema_decode(HCS_SCHEMA_HostComputeNetwork, json, len, opts, doc, err);
    *root = HCS_SUCCEEDED(hr) ? (hcs_HostComputeNetwork *)hcs_schema_doc_root(*doc) : NULL;
    return hr;
}
static inline int32_t hcs_HostComputeNetwork_encode(const hcs_HostComputeNetwork *value, const hcs_schema_options *opts,
                                                    char **json, hcs_error *err)
{
    return hcs_schema_encode(HCS_SCHEMA_HostComputeNetwork, value, opts, json, err);
}

static inline int32_t hcs_HostComputeEndpoint_decode(const char *json, size_t len, const hcs_schema_options *opts,
                                                     hcs_schema_doc **doc, hcs_HostComputeEndpoint **root,
                                                     hcs_error *err)
{
    int32_t hr = hcs_schema_decode(HCS_SCHEMA_HostComputeEndpoint, json, len, opts, doc, err);
    *root = HCS_SUCCEEDED(hr) ? (hcs_HostComputeEndpoint *)hcs_schema_doc_root(*doc) : NULL;
    return hr;
}
static inline int32_t hcs_HostComputeEndpoint_encode(const hcs_HostComputeEndpoint *value,
                                                     const hcs_schema_options *opts, char **json, hcs_error *err)
{
    return hcs_schema_encode(HCS_SCHEMA_HostComputeEndpoint, value, opts, json, err);
}

static inline int32_t hcs_HostComputeNamespace_decode(const char *json, size_t len, const hcs_schema_options *opts,
                                                      hcs_schema_doc **doc, hcs_HostComputeNamespace **root,
                                                      hcs_error *err)
{
    int32_t hr = hcs_schema_decode(HCS_SCHEMA_HostComputeNamespace, json, len, opts, doc, err);
    *root = HCS_SUCCEEDED(hr) ? (hcs_HostComputeNamespace *)hcs_schema_doc_root(*doc) : NULL;
    return hr;
}
static inline int32_t hcs_HostComputeNamespace_encode(const hcs_HostComputeNamespace *value,
                                                      const hcs_schema_options *opts, char **json, hcs_error *err)
{
    return hcs_schema_encode(HCS_SCHEMA_HostComputeNamespace, value, opts, json, err);
}

static inline int32_t hcs_HostComputeLoadBalancer_decode(const char *json, size_t len, const hcs_schema_options *opts,
                                                         hcs_schema_doc **doc, hcs_HostComputeLoadBalancer **root,
                                                         hcs_error *err)
{
    int32_t hr = hcs_schema_decode(HCS_SCHEMA_HostComputeLoadBalancer, json, len, opts, doc, err);
    *root = HCS_SUCCEEDED(hr) ? (hcs_HostComputeLoadBalancer *)hcs_schema_doc_root(*doc) : NULL;
    return hr;
}
static inline int32_t hcs_HostComputeLoadBalancer_encode(const hcs_HostComputeLoadBalancer *value,
                                                         const hcs_schema_options *opts, char **json, hcs_error *err)
{
    return hcs_schema_encode(HCS_SCHEMA_HostComputeLoadBalancer, value, opts, json, err);
}

static inline int32_t hcs_HostComputeRoute_decode(const char *json, size_t len, const hcs_schema_options *opts,
                                                  hcs_schema_doc **doc, hcs_HostComputeRoute **root, hcs_error *err)
{
    int32_t hr = hcs_schema_decode(HCS_SCHEMA_HostComputeRoute, json, len, opts, doc, err);
    *root = HCS_SUCCEEDED(hr) ? (hcs_HostComputeRoute *)hcs_schema_doc_root(*doc) : NULL;
    return hr;
}
static inline int32_t hcs_HostComputeRoute_encode(const hcs_HostComputeRoute *value, const hcs_schema_options *opts,
                                                  char **json, hcs_error *err)
{
    return hcs_schema_encode(HCS_SCHEMA_HostComputeRoute, value, opts, json, err);
}

static inline int32_t hcs_HostComputeQuery_decode(const char *json, size_t len, const hcs_schema_options *opts,
                                                  hcs_schema_doc **doc, hcs_HostComputeQuery **root, hcs_error *err)
{
    int32_t hr = hcs_schema_decode(HCS_SCHEMA_HostComputeQuery, json, len, opts, doc, err);
    *root = HCS_SUCCEEDED(hr) ? (hcs_HostComputeQuery *)hcs_schema_doc_root(*doc) : NULL;
    return hr;
}
static inline int32_t hcs_HostComputeQuery_encode(const hcs_HostComputeQuery *value, const hcs_schema_options *opts,
                                                  char **json, hcs_error *err)
{
    return hcs_schema_encode(HCS_SCHEMA_HostComputeQuery, value, opts, json, err);
}

static inline int32_t hcs_HCN_ModifyRequest_decode(const char *json, size_t len, const hcs_schema_options *opts,
                                                   hcs_schema_doc **doc, hcs_HCN_ModifyRequest **root, hcs_error *err)
{
    int32_t hr = hcs_schema_decode(HCS_SCHEMA_HCN_ModifyRequest, json, len, opts, doc, err);
    *root = HCS_SUCCEEDED(hr) ? (hcs_HCN_ModifyRequest *)hcs_schema_doc_root(*doc) : NULL;
    return hr;
}
static inline int32_t hcs_HCN_ModifyRequest_encode(const hcs_HCN_ModifyRequest *value, const hcs_schema_options *opts,
                                                   char **json, hcs_error *err)
{
    return hcs_schema_encode(HCS_SCHEMA_HCN_ModifyRequest, value, opts, json, err);
}

static inline int32_t hcs_HCN_ErrorRecord_decode(const char *json, size_t len, const hcs_schema_options *opts,
                                                 hcs_schema_doc **doc, hcs_HCN_ErrorRecord **root, hcs_error *err)
{
    int32_t hr = hcs_schema_decode(HCS_SCHEMA_HCN_ErrorRecord, json, len, opts, doc, err);
    *root = HCS_SUCCEEDED(hr) ? (hcs_HCN_ErrorRecord *)hcs_schema_doc_root(*doc) : NULL;
    return hr;
}
static inline int32_t hcs_HCN_ErrorRecord_encode(const hcs_HCN_ErrorRecord *value, const hcs_schema_options *opts,
                                                 char **json, hcs_error *err)
{
    return hcs_schema_encode(HCS_SCHEMA_HCN_ErrorRecord, value, opts, json, err);
}

static inline int32_t hcs_HCN_Notification_decode(const char *json, size_t len, const hcs_schema_options *opts,
                                                  hcs_schema_doc **doc, hcs_HCN_Notification **root, hcs_error *err)
{
    int32_t hr = hcs_schema_decode(HCS_SCHEMA_HCN_Notification, json, len, opts, doc, err);
    *root = HCS_SUCCEEDED(hr) ? (hcs_HCN_Notification *)hcs_schema_doc_root(*doc) : NULL;
    return hr;
}
static inline int32_t hcs_HCN_Notification_encode(const hcs_HCN_Notification *value, const hcs_schema_options *opts,
                                                  char **json, hcs_error *err)
{
    return hcs_schema_encode(HCS_SCHEMA_HCN_Notification, value, opts, json, err);
}

#ifdef __cplusplus
}
#endif

#endif
