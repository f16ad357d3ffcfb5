/* The descriptors of HCN's V2 types (hcs/network_schema.h), walked by the
 * one schema codec as HCS's are (storage-and-network §2.6; every field
 * since 2.0 unless the reference gives a later version). */
#include "schema_tables.h"

#include "hcs/network_schema.h"

#include <stddef.h>

#define V20 HCS_SCHEMA_VERSION(2, 0)

/* The field descriptors, as schema_gen.c writes them: name, length, kind,
 * shape, referenced type, since, flags, offset, has_/count offset, size of
 * one value, map value offset. */
#define FIELD(T, F, KIND, SHAPE, REF, AUX, SIZE)                                                                       \
    {                                                                                                                  \
#F, sizeof #F - 1, HCS_SCHEMA_KIND_##KIND, HCS_SCHEMA_SHAPE_##SHAPE, REF, V20, 0, offsetof(T, F), AUX, SIZE, 0 \
    }
#define NUMBER(T, F, KIND, C) FIELD(T, F, KIND, ONE, 0, offsetof(T, has_##F), sizeof(C))
#define TEXT(T, F, KIND) FIELD(T, F, KIND, ONE, 0, 0, sizeof(const char *))
#define TEXTS(T, F) FIELD(T, F, STRING, ARRAY, 0, offsetof(T, F##_count), sizeof(const char *))
#define OBJECT(T, F, R) FIELD(T, F, OBJECT, ONE, HCS_SCHEMA_##R, 0, sizeof(hcs_##R))
#define OBJECTS(T, F, R) FIELD(T, F, OBJECT, ARRAY, HCS_SCHEMA_##R, offsetof(T, F##_count), sizeof(hcs_##R))

static const hcs_schema_field fields_HCN_Version[] = {
    NUMBER(hcs_HCN_Version, Major, UINT32, uint32_t),
    NUMBER(hcs_HCN_Version, Minor, UINT32, uint32_t),
};

static const hcs_schema_field fields_HCN_Route[] = {
    TEXT(hcs_HCN_Route, NextHop, STRING),
    TEXT(hcs_HCN_Route, DestinationPrefix, STRING),
    NUMBER(hcs_HCN_Route, Metric, UINT16, uint16_t),
};

static const hcs_schema_field fields_HCN_Policy[] = {
    TEXT(hcs_HCN_Policy, Type, STRING),
    TEXT(hcs_HCN_Policy, Settings, ANY),
};

static const hcs_schema_field fields_HCN_IpSubnet[] = {
    TEXT(hcs_HCN_IpSubnet, ID, STRING),
    TEXT(hcs_HCN_IpSubnet, IpAddressPrefix, STRING),
    NUMBER(hcs_HCN_IpSubnet, Flags, UINT32, uint32_t),
};

static const hcs_schema_field fields_HCN_Subnet[] = {
    TEXT(hcs_HCN_Subnet, ID, STRING),
    TEXT(hcs_HCN_Subnet, IpAddressPrefix, STRING),
    OBJECTS(hcs_HCN_Subnet, Policies, HCN_Policy),
    OBJECTS(hcs_HCN_Subnet, Routes, HCN_Route),
    OBJECTS(hcs_HCN_Subnet, IpSubnets, HCN_IpSubnet),
    NUMBER(hcs_HCN_Subnet, Flags, UINT32, uint32_t),
};

static const hcs_schema_field fields_HCN_Ipam[] = {
    TEXT(hcs_HCN_Ipam, Type, STRING),
    OBJECTS(hcs_HCN_Ipam, Subnets, HCN_Subnet),
};

static const hcs_schema_field fields_HCN_MacRange[] = {
    TEXT(hcs_HCN_MacRange, StartMacAddress, STRING),
    TEXT(hcs_HCN_MacRange, EndMacAddress, STRING),
};

static const hcs_schema_field fields_HCN_MacPool[] = {
    OBJECTS(hcs_HCN_MacPool, Ranges, HCN_MacRange),
};

static const hcs_schema_field fields_HCN_Dns[] = {
    TEXT(hcs_HCN_Dns, Domain, STRING),
    TEXTS(hcs_HCN_Dns, Search),
    TEXTS(hcs_HCN_Dns, ServerList),
    TEXTS(hcs_HCN_Dns, Options),
};

static const hcs_schema_field fields_HCN_IpConfig[] = {
    TEXT(hcs_HCN_IpConfig, IpAddress, STRING),
    NUMBER(hcs_HCN_IpConfig, PrefixLength, UINT8, uint8_t),
    TEXT(hcs_HCN_IpConfig, IpSubnetId, STRING),
};

static const hcs_schema_field fields_HCN_NamespaceResource[] = {
    TEXT(hcs_HCN_NamespaceResource, Type, STRING),
    TEXT(hcs_HCN_NamespaceResource, Data, ANY),
};

static const hcs_schema_field fields_HCN_LoadBalancerPortMapping[] = {
    NUMBER(hcs_HCN_LoadBalancerPortMapping, Protocol, UINT32, uint32_t),
    NUMBER(hcs_HCN_LoadBalancerPortMapping, InternalPort, UINT16, uint16_t),
    NUMBER(hcs_HCN_LoadBalancerPortMapping, ExternalPort, UINT16, uint16_t),
    NUMBER(hcs_HCN_LoadBalancerPortMapping, DistributionType, UINT32, uint32_t),
    NUMBER(hcs_HCN_LoadBalancerPortMapping, Flags, UINT32, uint32_t),
};

static const hcs_schema_field fields_HostComputeNetwork[] = {
    TEXT(hcs_HostComputeNetwork, ID, STRING),
    TEXT(hcs_HostComputeNetwork, Name, STRING),
    TEXT(hcs_HostComputeNetwork, Owner, STRING),
    OBJECT(hcs_HostComputeNetwork, SchemaVersion, HCN_Version),
    TEXT(hcs_HostComputeNetwork, Type, STRING),
    OBJECTS(hcs_HostComputeNetwork, Policies, HCN_Policy),
    OBJECT(hcs_HostComputeNetwork, MacPool, HCN_MacPool),
    OBJECT(hcs_HostComputeNetwork, Dns, HCN_Dns),
    OBJECTS(hcs_HostComputeNetwork, Ipams, HCN_Ipam),
    NUMBER(hcs_HostComputeNetwork, Flags, UINT32, uint32_t),
};

static const hcs_schema_field fields_HostComputeEndpoint[] = {
    TEXT(hcs_HostComputeEndpoint, ID, STRING),
    TEXT(hcs_HostComputeEndpoint, Name, STRING),
    TEXT(hcs_HostComputeEndpoint, Owner, STRING),
    OBJECT(hcs_HostComputeEndpoint, SchemaVersion, HCN_Version),
    TEXT(hcs_HostComputeEndpoint, HostComputeNetwork, STRING),
    TEXT(hcs_HostComputeEndpoint, HostComputeNamespace, STRING),
    OBJECTS(hcs_HostComputeEndpoint, Policies, HCN_Policy),
    OBJECTS(hcs_HostComputeEndpoint, IpConfigurations, HCN_IpConfig),
    OBJECT(hcs_HostComputeEndpoint, Dns, HCN_Dns),
    OBJECTS(hcs_HostComputeEndpoint, Routes, HCN_Route),
    TEXT(hcs_HostComputeEndpoint, MacAddress, STRING),
    NUMBER(hcs_HostComputeEndpoint, Flags, UINT32, uint32_t),
};

static const hcs_schema_field fields_HostComputeNamespace[] = {
    TEXT(hcs_HostComputeNamespace, ID, STRING),
    TEXT(hcs_HostComputeNamespace, Name, STRING),
    TEXT(hcs_HostComputeNamespace, Owner, STRING),
    OBJECT(hcs_HostComputeNamespace, SchemaVersion, HCN_Version),
    NUMBER(hcs_HostComputeNamespace, NamespaceId, UINT32, uint32_t),
    TEXT(hcs_HostComputeNamespace, NamespaceGuid, STRING),
    TEXT(hcs_HostComputeNamespace, Type, STRING),
    OBJECTS(hcs_HostComputeNamespace, Resources, HCN_NamespaceResource),
};

static const hcs_schema_field fields_HostComputeLoadBalancer[] = {
    TEXT(hcs_HostComputeLoadBalancer, ID, STRING),
    TEXT(hcs_HostComputeLoadBalancer, Owner, STRING),
    OBJECT(hcs_HostComputeLoadBalancer, SchemaVersion, HCN_Version),
    TEXT(hcs_HostComputeLoadBalancer, HostComputeNetwork, STRING),
    TEXTS(hcs_HostComputeLoadBalancer, HostComputeEndpoints),
    TEXT(hcs_HostComputeLoadBalancer, SourceVIP, STRING),
    TEXTS(hcs_HostComputeLoadBalancer, FrontendVIPs),
    OBJECTS(hcs_HostComputeLoadBalancer, PortMappings, HCN_LoadBalancerPortMapping),
    NUMBER(hcs_HostComputeLoadBalancer, Flags, UINT32, uint32_t),
};

static const hcs_schema_field fields_HostComputeRoute[] = {
    TEXT(hcs_HostComputeRoute, ID, STRING),
    TEXT(hcs_HostComputeRoute, Owner, STRING),
    OBJECT(hcs_HostComputeRoute, SchemaVersion, HCN_Version),
    TEXT(hcs_HostComputeRoute, HostComputeNetwork, STRING),
    TEXTS(hcs_HostComputeRoute, HostComputeEndpoints),
    TEXT(hcs_HostComputeRoute, Routes, ANY),
};

static const hcs_schema_field fields_HostComputeQuery[] = {
    OBJECT(hcs_HostComputeQuery, SchemaVersion, HCN_Version),
    NUMBER(hcs_HostComputeQuery, Flags, UINT32, uint32_t),
    TEXT(hcs_HostComputeQuery, Filter, STRING),
};

static const hcs_schema_field fields_HCN_ModifyRequest[] = {
    TEXT(hcs_HCN_ModifyRequest, ResourceType, STRING),
    TEXT(hcs_HCN_ModifyRequest, RequestType, STRING),
    TEXT(hcs_HCN_ModifyRequest, Settings, ANY),
};

static const hcs_schema_field fields_HCN_ErrorRecord[] = {
    NUMBER(hcs_HCN_ErrorRecord, Success, BOOL, bool),
    TEXT(hcs_HCN_ErrorRecord, Error, STRING),
    NUMBER(hcs_HCN_ErrorRecord, ErrorCode, UINT32, uint32_t),
};

static const hcs_schema_field fields_HCN_Notification[] = {
    TEXT(hcs_HCN_Notification, ID, STRING),
    NUMBER(hcs_HCN_Notification, Flags, UINT32, uint32_t),
};

#define TYPE(N)                                                                                                        \
    {                                                                                                                  \
#N, HCS_SCHEMA_TYPE_OBJECT, V20, sizeof(hcs_##N), sizeof fields_##N / sizeof fields_##N[0], fields_##N, NULL   \
    }

/* In the order of the numbers in hcs/network_schema.h. */
const hcs_schema_type_desc hcs__hcn_schema_types[] = {
    TYPE(HCN_Version),
    TYPE(HCN_Route),
    TYPE(HCN_Policy),
    TYPE(HCN_IpSubnet),
    TYPE(HCN_Subnet),
    TYPE(HCN_Ipam),
    TYPE(HCN_MacRange),
    TYPE(HCN_MacPool),
    TYPE(HCN_Dns),
    TYPE(HCN_IpConfig),
    TYPE(HCN_NamespaceResource),
    TYPE(HCN_LoadBalancerPortMapping),
    TYPE(HostComputeNetwork),
    TYPE(HostComputeEndpoint),
    TYPE(HostComputeNamespace),
    TYPE(HostComputeLoadBalancer),
    TYPE(HostComputeRoute),
    TYPE(HostComputeQuery),
    TYPE(HCN_ModifyRequest),
    TYPE(HCN_ErrorRecord),
    TYPE(HCN_Notification),
};
const size_t hcs__hcn_schema_type_count = sizeof hcs__hcn_schema_types / sizeof hcs__hcn_schema_types[0];
