/* The rules of each HCN object type (storage-and-network §2.6, §4.2, §4.3):
 * what a create document may say, what the service fills in (ids,
 * addresses, MACs, the host default namespace), how modify requests apply,
 * when a delete is refused, and the V1/V2 views queries return. */
#include "hcn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- names ------------------------------------------------------------------ */

static const char *const network_types[] = {"NAT",      "ICS",        "Transparent",   "L2Bridge",
                                            "L2Tunnel", "Overlay",    "Private",       "Internal",
                                            "Mirrored", "Infiniband", "ConstrainedICS"};
static const char *const network_policies[] = {
    "NetAdapterName",  "InterfaceConstraint", "SourceMacAddress", "VSwitchExtension", "ProviderAddress", "DrMacAddress",
    "AutomaticDNS",    "RemoteSubnetRoute",   "VxlanPort",        "HostRoute",        "SetPolicy",       "L4Proxy",
    "LayerConstraint", "NetworkACL"};
static const char *const endpoint_policies[] = {"PortMapping", "ACL",           "QOS",
                                                "L2Driver",    "OutBoundNAT",   "SDNRoute",
                                                "L4Proxy",     "L4WFPPROXY",    "ProviderAddress",
                                                "PortName",    "EncapOverhead", "InterfaceConstraint",
                                                "Encryption",  "VLAN",          "InterfaceParameters",
                                                "Iov",         "TierAcl",       "Firewall"};
static const char *const namespace_types[] = {"Host", "HostDefault", "Guest", "GuestDefault"};
static const char *const gns_states[] = {"None",           "Created",     "Bootstrapping", "Synchronized", "Paused",
                                         "Desynchronized", "Rehydrating", "Degraded",      "Destroyed"};
static const char *const resource_types[] = {"Container", "Endpoint"};
static const char *const request_types[] = {"Add", "Remove", "Update", "Refresh", "Reset"};

#define COUNT(a) (sizeof(a) / sizeof(a)[0])

/* The index of an enum given as a name (any case) or a number (§2.5:
 * clients send either), or -1. */
static int enum_index(const json_t *v, const char *const *names, size_t n)
{
    if (json_is_integer(v))
        return json_integer_value(v) >= 0 && (size_t)json_integer_value(v) < n ? (int)json_integer_value(v) : -1;
    for (size_t i = 0; json_is_string(v) && i < n; i++)
        if (hcssim__hcn_strieq(json_string_value(v), names[i]))
            return (int)i;
    return -1;
}

/* The host default namespace is a singleton with this id on real hosts
 * (§4.3 #43). */
static const char host_default_id[] = "910F7D92-BA2D-4C3F-98AE-7C0AC590D2DC";

/* ---- addresses ------------------------------------------------------------ */

static bool ipv4_parse(const char *text, uint32_t *out)
{
    unsigned a, b, c, d;
    char extra;
    /* NOLINTNEXTLINE(cert-err34-c): field widths, a trailing %c and the ranges check it */
    if (!text || sscanf(text, "%3u.%3u.%3u.%3u%c", &a, &b, &c, &d, &extra) != 4 || a > 255 || b > 255 || c > 255 ||
        d > 255)
        return false;
    *out = a << 24 | b << 16 | c << 8 | d;
    return true;
}

static void ipv4_format(uint32_t ip, char out[16])
{
    snprintf(out, 16, "%u.%u.%u.%u", ip >> 24, ip >> 16 & 255u, ip >> 8 & 255u, ip & 255u);
}

typedef struct subnet {
    uint32_t base, mask, gateway; /* gateway 0: none reserved */
    unsigned prefix;
} subnet;

/* An IPv4 CIDR prefix; IPv6 prefixes are kept but give no addresses. */
static HRESULT prefix_parse(const char *text, subnet *out, bool *ipv6)
{
    *ipv6 = text && strchr(text, ':');
    const char *slash = text ? strchr(text, '/') : NULL;
    if (*ipv6)
        return slash ? S_OK : HCN_E_INVALID_PREFIX;
    char addr[16];
    unsigned len;
    char extra;
    /* NOLINTNEXTLINE(cert-err34-c): field widths, a trailing %c and the ranges check it */
    if (!slash || (size_t)(slash - text) >= sizeof addr || sscanf(slash + 1, "%2u%c", &len, &extra) != 1 || len > 32)
        return HCN_E_INVALID_PREFIX;
    memcpy(addr, text, (size_t)(slash - text));
    addr[slash - text] = 0;
    uint32_t ip;
    if (!ipv4_parse(addr, &ip))
        return HCN_E_INVALID_PREFIX;
    out->prefix = len;
    out->mask = len ? ~0u << (32 - len) : 0;
    out->base = ip & out->mask;
    out->gateway = 0;
    return S_OK;
}

/* The IPv4 subnets of a network, at most `max`. The gateway is the subnet's
 * route NextHop, else the first host address, reserved unless SubnetFlags
 * DoNotReserveGatewayAddress (1) is set (§4.3 #39, inferred). */
static size_t network_subnets(json_t *network, subnet *out, size_t max)
{
    size_t n = 0, i, j;
    json_t *ipam, *sn;
    /* cppcheck-suppress unknownMacro ; jansson's iteration macro */
    json_array_foreach(hcssim__hcn_get(network, "Ipams"), i, ipam)
        json_array_foreach(hcssim__hcn_get(ipam, "Subnets"), j, sn)
    {
        bool v6;
        if (n == max || FAILED(prefix_parse(hcssim__hcn_str(hcssim__hcn_get(sn, "IpAddressPrefix")), &out[n], &v6)) ||
            v6)
            continue;
        uint32_t gw;
        json_t *route = json_array_get(hcssim__hcn_get(sn, "Routes"), 0);
        if (!ipv4_parse(hcssim__hcn_str(hcssim__hcn_get(route, "NextHop")), &gw))
            gw = out[n].prefix < 31 ? out[n].base + 1 : 0;
        if (json_integer_value(hcssim__hcn_get(sn, "Flags")) & 1)
            gw = 0;
        out[n++].gateway = gw;
    }
    return n;
}

static bool mac_parse(const char *text, uint64_t *out)
{
    unsigned b[6];
    char extra;
    if (!text || strlen(text) != 17 ||
        /* NOLINTNEXTLINE(cert-err34-c): field widths, a trailing %c and the ranges check it */
        sscanf(text, "%2x-%2x-%2x-%2x-%2x-%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &extra) != 6)
        return false;
    uint64_t m = 0;
    for (int i = 0; i < 6; i++)
        m = m << 8 | b[i];
    *out = m;
    return true;
}

/* §4.3 #42: upper-case hex with dashes. */
static json_t *mac_json(uint64_t m)
{
    char text[18];
    snprintf(text, sizeof text, "%02X-%02X-%02X-%02X-%02X-%02X", (unsigned)(m >> 40 & 255), (unsigned)(m >> 32 & 255),
             (unsigned)(m >> 24 & 255), (unsigned)(m >> 16 & 255), (unsigned)(m >> 8 & 255), (unsigned)(m & 255));
    return json_string(text);
}

/* Is this address or MAC already taken by an endpoint of the network? */
static bool endpoint_uses(hcn_store *s, const char *network_id, const char *key, uint64_t value)
{
    const char *id;
    json_t *ep;
    json_object_foreach(hcssim__hcn_objects(s, HCN_KIND_ENDPOINT), id, ep)
    {
        if (!hcssim__hcn_strieq(hcssim__hcn_str(hcssim__hcn_get(ep, "HostComputeNetwork")), network_id))
            continue;
        if (strcmp(key, "MacAddress") == 0) {
            uint64_t m;
            if (mac_parse(hcssim__hcn_str(hcssim__hcn_get(ep, "MacAddress")), &m) && m == value)
                return true;
            continue;
        }
        size_t i;
        json_t *cfg;
        json_array_foreach(hcssim__hcn_get(ep, "IpConfigurations"), i, cfg)
        {
            uint32_t ip;
            if (ipv4_parse(hcssim__hcn_str(hcssim__hcn_get(cfg, "IpAddress")), &ip) && ip == value)
                return true;
        }
    }
    return false;
}

/* ---- policies --------------------------------------------------------------- */

/* §4.2 #31: unknown type ⇒ HCN_E_INVALID_POLICY_TYPE; settings that are
 * not an object, or OutBoundNAT's V1 key ExceptionList ⇒ INVALID_POLICY. */
static HRESULT check_policies(json_t *policies, const char *const *types, size_t n, const char **detail)
{
    size_t i;
    json_t *p;
    if (policies && !json_is_array(policies)) {
        *detail = "Policies must be an array";
        return HCN_E_INVALID_POLICY;
    }
    json_array_foreach(policies, i, p)
    {
        if (enum_index(hcssim__hcn_get(p, "Type"), types, n) < 0) {
            *detail = "unknown policy Type";
            return HCN_E_INVALID_POLICY_TYPE;
        }
        json_t *settings = hcssim__hcn_get(p, "Settings");
        if ((settings && !json_is_object(settings)) || hcssim__hcn_get(settings, "ExceptionList")) {
            *detail = "policy Settings must be an object with HNS_Schema names";
            return HCN_E_INVALID_POLICY;
        }
    }
    return S_OK;
}

static bool is_port_mapping(json_t *p, json_int_t *protocol, json_int_t *port)
{
    if (!hcssim__hcn_strieq(hcssim__hcn_str(hcssim__hcn_get(p, "Type")), "PortMapping"))
        return false;
    json_t *settings = hcssim__hcn_get(p, "Settings");
    *protocol = json_integer_value(hcssim__hcn_get(settings, "Protocol"));
    *port = json_integer_value(hcssim__hcn_get(settings, "ExternalPort"));
    return *port != 0;
}

/* §4.3 #48: an external port mapped twice on one network. */
static bool port_mapped(hcn_store *s, const char *network_id, const char *skip_id, json_t *policies, size_t upto,
                        json_int_t protocol, json_int_t port)
{
    json_int_t pr, po;
    for (size_t i = 0; i < upto; i++)
        if (is_port_mapping(json_array_get(policies, i), &pr, &po) && pr == protocol && po == port)
            return true;
    const char *id;
    json_t *ep;
    json_object_foreach(hcssim__hcn_objects(s, HCN_KIND_ENDPOINT), id, ep)
    {
        size_t i;
        json_t *p;
        if (strcmp(id, skip_id) == 0 ||
            !hcssim__hcn_strieq(hcssim__hcn_str(hcssim__hcn_get(ep, "HostComputeNetwork")), network_id))
            continue;
        json_array_foreach(hcssim__hcn_get(ep, "Policies"), i,
                           p) if (is_port_mapping(p, &pr, &po) && pr == protocol && po == port) return true;
    }
    return false;
}

static HRESULT check_endpoint_policies(hcn_store *s, const char *network_id, const char *id, json_t *policies,
                                       const char **detail)
{
    HRESULT hr = check_policies(policies, endpoint_policies, COUNT(endpoint_policies), detail);
    size_t i;
    json_t *p;
    json_int_t protocol, port;
    json_array_foreach(policies, i, p) if (SUCCEEDED(hr) && is_port_mapping(p, &protocol, &port) &&
                                           port_mapped(s, network_id, id, policies, i, protocol, port))
    {
        *detail = "the external port is already mapped on this network";
        hr = HCN_E_PORT_ALREADY_EXISTS;
    }
    return hr;
}

/* The modify envelope of §2.6: {ResourceType, RequestType, Settings}, with
 * Settings an embedded object (§4.2 #32). */
static HRESULT envelope(json_t *request, int *request_type, json_t **settings, const char **detail)
{
    *request_type = enum_index(hcssim__hcn_get(request, "RequestType"), request_types, COUNT(request_types));
    *settings = hcssim__hcn_get(request, "Settings");
    if (*request_type < 0) {
        *detail = "unknown RequestType";
        return E_INVALIDARG;
    }
    if (!json_is_object(*settings)) {
        *detail = "Settings must be a JSON object, not a string (ExpectedObject)";
        return HCN_E_INVALID_JSON;
    }
    return S_OK;
}

/* Policy Add appends, Remove removes equal policies, Update replaces the
 * set (§4.3 #48). */
static void apply_policies(json_t *doc, int request_type, json_t *policies)
{
    json_t *have = hcssim__hcn_get(doc, "Policies");
    if (!json_is_array(have) || request_type == 2)
        json_object_set_new(doc, "Policies", have = json_array());
    size_t i;
    json_t *p;
    json_array_foreach(policies, i, p)
    {
        if (request_type == 1) {
            for (size_t j = json_array_size(have); j-- > 0;)
                if (json_equal(json_array_get(have, j), p))
                    json_array_remove(have, j);
        } else {
            json_array_append(have, p);
        }
    }
}

/* ---- networks ----------------------------------------------------------------- */

static HRESULT network_create(hcn_store *s, json_t *doc, const char **detail)
{
    json_t *type = hcssim__hcn_get(doc, "Type");
    int t = type ? enum_index(type, network_types, COUNT(network_types)) : 0;
    if (t < 0) {
        *detail = "unknown network Type";
        return HCN_E_INVALID_NETWORK_TYPE;
    }
    json_object_set_new(doc, "Type", json_string(network_types[t]));
    const char *name = hcssim__hcn_str(hcssim__hcn_get(doc, "Name"));
    const char *id;
    json_t *other;
    json_object_foreach(hcssim__hcn_objects(s, HCN_KIND_NETWORK), id,
                        other) if (*name && hcssim__hcn_strieq(hcssim__hcn_str(hcssim__hcn_get(other, "Name")), name))
    {
        *detail = "the network Name is taken";
        return HCN_E_NETWORK_ALREADY_EXISTS; /* §4.2 #27 */
    }
    json_t *flags = hcssim__hcn_get(doc, "Flags");
    if (flags && !json_is_integer(flags)) {
        *detail = "Flags must be a number";
        return HCN_E_INVALID_NETWORK;
    }
    HRESULT hr = check_policies(hcssim__hcn_get(doc, "Policies"), network_policies, COUNT(network_policies), detail);
    if (FAILED(hr))
        return hr;
    size_t i, j;
    json_t *ipam, *sn;
    json_array_foreach(hcssim__hcn_get(doc, "Ipams"), i, ipam)
        json_array_foreach(hcssim__hcn_get(ipam, "Subnets"), j, sn)
    {
        subnet parsed;
        bool v6;
        if (FAILED(prefix_parse(hcssim__hcn_str(hcssim__hcn_get(sn, "IpAddressPrefix")), &parsed, &v6))) {
            *detail = "a subnet's IpAddressPrefix is not a CIDR prefix";
            return HCN_E_INVALID_PREFIX;
        }
    }
    uint32_t serial = hcssim__hcn_next_serial(s);
    /* A NAT network without IPAM gets a /20 of 172.16.0.0/12, as HNS picks
     * one (§4.3 #39; the choice is inferred). */
    if (t == 0 && json_array_size(hcssim__hcn_get(doc, "Ipams")) == 0) {
        char prefix[32], gw[16];
        uint32_t base = (172u << 24 | 16u << 16) + ((serial % 256u) << 12);
        snprintf(prefix, sizeof prefix, "%u.%u.%u.0/20", base >> 24, base >> 16 & 255u, base >> 8 & 255u);
        ipv4_format(base + 1, gw);
        json_object_set_new(doc, "Ipams",
                            json_pack("[{s:s, s:[{s:s, s:[{s:s, s:s}]}]}]", "Type", "Static", "Subnets",
                                      "IpAddressPrefix", prefix, "Routes", "NextHop", gw, "DestinationPrefix",
                                      "0.0.0.0/0"));
    }
    /* A MAC pool of 4096 addresses under the Hyper-V OUI (§4.3 #42). */
    if (!hcssim__hcn_get(doc, "MacPool")) {
        uint64_t start = 0x00155D000000u | (uint64_t)(0x10u + serial % 0xE0u) << 16;
        json_t *range = json_object();
        json_object_set_new(range, "StartMacAddress", mac_json(start));
        json_object_set_new(range, "EndMacAddress", mac_json(start + 0xFFF));
        json_object_set_new(doc, "MacPool", json_pack("{s:[o]}", "Ranges", range));
    }
    if (!flags)
        json_object_set_new(doc, "Flags", json_integer(0));
    return S_OK;
}

static HRESULT network_modify(hcn_store *s, json_t *doc, json_t *request, int rt, json_t *settings, const char **detail)
{
    (void)s;
    HRESULT hr = S_OK;
    const char *what = hcssim__hcn_str(hcssim__hcn_get(request, "ResourceType"));
    if (hcssim__hcn_strieq(what, "Policy")) {
        json_t *policies = hcssim__hcn_get(settings, "Policies");
        if (FAILED(hr = check_policies(policies, network_policies, COUNT(network_policies), detail)))
            return hr;
        apply_policies(doc, rt, policies);
        return S_OK;
    }
    if (hcssim__hcn_strieq(what, "DNS")) {
        json_object_set(doc, "Dns", settings);
        return S_OK;
    }
    *detail = "unsupported ResourceType for a network";
    return HCN_E_REQUEST_UNSUPPORTED;
}

/* ---- endpoints ------------------------------------------------------------------ */

static HRESULT endpoint_address(hcn_store *s, const char *network_id, json_t *network, json_t *doc, const char **detail)
{
    subnet nets[16];
    size_t n = network_subnets(network, nets, COUNT(nets));
    json_t *cfgs = hcssim__hcn_get(doc, "IpConfigurations");
    json_t *first = json_array_get(cfgs, 0);
    uint32_t ip = 0;
    const subnet *in = NULL;
    if (first) {
        if (!ipv4_parse(hcssim__hcn_str(hcssim__hcn_get(first, "IpAddress")), &ip)) {
            *detail = "IpAddress is not an IPv4 address";
            return HCN_E_INVALID_IP;
        }
        for (size_t i = 0; i < n && !in; i++)
            if ((ip & nets[i].mask) == nets[i].base)
                in = &nets[i];
        if (!in) {
            *detail = "the address is in no subnet of the network";
            return HCN_E_INVALID_IP; /* §4.3 #40 */
        }
        uint32_t broadcast = in->base | ~in->mask;
        if ((in->prefix < 31 && (ip == in->base || ip == broadcast)) || ip == in->gateway ||
            endpoint_uses(s, network_id, "IpConfigurations", ip)) {
            *detail = "the address is the network's, its gateway's, its broadcast or another endpoint's";
            return HCN_E_ADDR_INVALID_OR_RESERVED; /* §4.3 #40, #41 */
        }
    } else if (n > 0) {
        in = &nets[0];
        uint32_t last = in->base | ~in->mask;
        for (ip = in->base + 1; ip < last; ip++)
            if (ip != in->gateway && !endpoint_uses(s, network_id, "IpConfigurations", ip))
                break;
        if (ip >= last) {
            *detail = "no free address is left in the subnet";
            return HCN_E_ADDR_INVALID_OR_RESERVED; /* inferred */
        }
    } else {
        return S_OK; /* DHCP or orchestrator IPAM: no address from HNS */
    }
    char text[16];
    ipv4_format(ip, text);
    json_t *cfg = json_pack("{s:s, s:i}", "IpAddress", text, "PrefixLength",
                            first && hcssim__hcn_get(first, "PrefixLength")
                                ? json_integer_value(hcssim__hcn_get(first, "PrefixLength"))
                                : (json_int_t)in->prefix);
    json_object_del(doc, "IPConfigurations");
    json_object_set_new(doc, "IpConfigurations", json_pack("[o]", cfg));
    if (!hcssim__hcn_get(doc, "Routes") && in->gateway) {
        char gw[16];
        ipv4_format(in->gateway, gw);
        json_object_set_new(doc, "Routes", json_pack("[{s:s, s:s}]", "NextHop", gw, "DestinationPrefix", "0.0.0.0/0"));
    }
    return S_OK;
}

static HRESULT endpoint_mac(hcn_store *s, const char *network_id, json_t *network, json_t *doc, const char **detail)
{
    json_t *given = hcssim__hcn_get(doc, "MacAddress");
    uint64_t m;
    if (given) {
        if (!mac_parse(hcssim__hcn_str(given), &m)) {
            *detail = "MacAddress must be XX-XX-XX-XX-XX-XX";
            return HCN_E_INVALID_ENDPOINT;
        }
        json_object_del(doc, "MacAddress");
        json_object_set_new(doc, "MacAddress", mac_json(m));
        return S_OK;
    }
    json_t *range = json_array_get(hcssim__hcn_get(hcssim__hcn_get(network, "MacPool"), "Ranges"), 0);
    uint64_t first, last;
    if (!mac_parse(hcssim__hcn_str(hcssim__hcn_get(range, "StartMacAddress")), &first) ||
        !mac_parse(hcssim__hcn_str(hcssim__hcn_get(range, "EndMacAddress")), &last))
        return S_OK;
    for (m = first; m <= last && endpoint_uses(s, network_id, "MacAddress", m); m++)
        ;
    if (m > last) {
        *detail = "the network's MAC pool is exhausted";
        return HCN_E_INVALID_ENDPOINT; /* §4.3 #41: no documented code */
    }
    json_object_set_new(doc, "MacAddress", mac_json(m));
    return S_OK;
}

static HRESULT endpoint_create(hcn_store *s, const char *network_id, json_t *doc, const char **detail)
{
    json_t *network = json_object_get(hcssim__hcn_objects(s, HCN_KIND_NETWORK), network_id);
    if (!network) {
        *detail = "the network was deleted";
        return HCN_E_OBJECT_USED_AFTER_UNLOAD;
    }
    json_t *named = hcssim__hcn_get(doc, "HostComputeNetwork");
    char named_id[HCN_ID_LEN + 1];
    if (named && (!hcssim__hcn_id_normalize(hcssim__hcn_str(named), named_id) || strcmp(named_id, network_id) != 0)) {
        *detail = "HostComputeNetwork names another network than the handle's (storage-and-network §4.2 #30)";
        return E_INVALIDARG;
    }
    if (hcssim__hcn_get(doc, "HostComputeNamespace")) {
        *detail = "HostComputeNamespace is read-only: add the endpoint to the namespace instead";
        return E_INVALIDARG; /* §5 #22 */
    }
    const char *id = hcssim__hcn_str(json_object_get(doc, "ID"));
    HRESULT hr = check_endpoint_policies(s, network_id, id, hcssim__hcn_get(doc, "Policies"), detail);
    if (SUCCEEDED(hr))
        hr = endpoint_address(s, network_id, network, doc, detail);
    if (SUCCEEDED(hr))
        hr = endpoint_mac(s, network_id, network, doc, detail);
    json_object_del(doc, "HostComputeNetwork");
    json_object_set_new(doc, "HostComputeNetwork", json_string(network_id));
    if (!hcssim__hcn_get(doc, "Flags"))
        json_object_set_new(doc, "Flags", json_integer(0));
    return hr;
}

static HRESULT endpoint_modify(hcn_store *s, json_t *doc, json_t *request, int rt, json_t *settings,
                               const char **detail)
{
    HRESULT hr = S_OK;
    const char *what = hcssim__hcn_str(hcssim__hcn_get(request, "ResourceType"));
    json_t *rtype = hcssim__hcn_get(request, "ResourceType");
    if (hcssim__hcn_strieq(what, "Policy") || (json_is_integer(rtype) && json_integer_value(rtype) == 1)) {
        json_t *policies = hcssim__hcn_get(settings, "Policies");
        json_t *after = json_deep_copy(doc);
        apply_policies(after, rt, policies);
        hr = check_endpoint_policies(s, hcssim__hcn_str(hcssim__hcn_get(doc, "HostComputeNetwork")),
                                     hcssim__hcn_str(hcssim__hcn_get(doc, "ID")), hcssim__hcn_get(after, "Policies"),
                                     detail);
        if (SUCCEEDED(hr))
            json_object_set(doc, "Policies", hcssim__hcn_get(after, "Policies"));
        json_decref(after);
        return hr;
    }
    if (hcssim__hcn_strieq(what, "Port") || (json_is_integer(rtype) && json_integer_value(rtype) == 0)) {
        /* A VM switch port (§3.3, WSDOC hcn-scenarios): kept as given. */
        if (rt == 1)
            json_object_del(doc, "VmPort");
        else
            json_object_set(doc, "VmPort", settings);
        return S_OK;
    }
    *detail = "unsupported ResourceType for an endpoint";
    return HCN_E_REQUEST_UNSUPPORTED;
}

/* ---- namespaces ------------------------------------------------------------------ */

static HRESULT namespace_create(hcn_store *s, json_t *doc, const char **detail)
{
    json_t *type = hcssim__hcn_get(doc, "Type");
    int t = type ? enum_index(type, namespace_types, COUNT(namespace_types)) : 0; /* §4.3 #43: default Host */
    if (t < 0) {
        *detail = "unknown namespace Type";
        return E_INVALIDARG;
    }
    json_object_set_new(doc, "Type", json_string(namespace_types[t]));
    json_object_set_new(doc, "Resources", json_array());
    if (t == 1) {
        /* HostDefault: the singleton, whatever id was asked; S_FALSE when
         * it exists already. */
        json_object_set_new(doc, "ID", json_string(host_default_id));
        json_object_set_new(doc, "NamespaceId", json_integer(1));
        json_object_set_new(doc, "NamespaceGuid", json_string(host_default_id));
        return json_object_get(hcssim__hcn_objects(s, HCN_KIND_NAMESPACE), host_default_id) ? S_FALSE : S_OK;
    }
    /* Compartment ids: 1 is the host's; new ones count up from 2. */
    json_object_set_new(doc, "NamespaceId", json_integer((json_int_t)hcssim__hcn_next_serial(s) + 2));
    json_object_set(doc, "NamespaceGuid", json_object_get(doc, "ID"));
    return S_OK;
}

/* The index of the resource of this type and id in a namespace, or -1. */
static long resource_index(json_t *resources, const char *type, const char *id)
{
    size_t i;
    json_t *r;
    json_array_foreach(resources, i,
                       r) if (hcssim__hcn_strieq(hcssim__hcn_str(hcssim__hcn_get(r, "Type")), type) &&
                              hcssim__hcn_strieq(hcssim__hcn_str(hcssim__hcn_get(hcssim__hcn_get(r, "Data"), "ID")),
                                                 id)) return (long)i;
    return -1;
}

static HRESULT namespace_modify(hcn_store *s, json_t *doc, json_t *request, int rt, json_t *settings,
                                const char **detail)
{
    int what = enum_index(hcssim__hcn_get(request, "ResourceType"), resource_types, COUNT(resource_types));
    if (what < 0 || rt > 1) {
        *detail = "a namespace takes Add or Remove of an Endpoint or Container";
        return HCN_E_REQUEST_UNSUPPORTED;
    }
    const char *key = what == 1 ? "EndpointId" : "ContainerId";
    char id[HCN_ID_LEN + 1];
    if (!hcssim__hcn_id_normalize(hcssim__hcn_str(hcssim__hcn_get(settings, key)), id)) {
        *detail = what == 1 ? "EndpointId is not a GUID" : "ContainerId is not a GUID";
        return HCN_E_GUID_CONVERSION_FAILURE;
    }
    json_t *resources = hcssim__hcn_get(doc, "Resources");
    long at = resource_index(resources, resource_types[what], id);
    const char *ns_id = hcssim__hcn_str(json_object_get(doc, "ID"));
    json_t *ep = what == 1 ? json_object_get(hcssim__hcn_objects(s, HCN_KIND_ENDPOINT), id) : NULL;
    if (rt == 1) {
        if (at < 0) {
            *detail = "the resource is not in this namespace";
            return HCS_WIN32_E_NOT_FOUND; /* §4.3 #45, inferred */
        }
        json_array_remove(resources, (size_t)at);
        if (ep)
            json_object_del(ep, "HostComputeNamespace");
        return S_OK;
    }
    if (what == 1 && !ep) {
        *detail = "no endpoint has this id";
        return HCN_E_ENDPOINT_NOT_FOUND;
    }
    if (at >= 0 || (ep && hcssim__hcn_get(ep, "HostComputeNamespace"))) {
        *detail = "the endpoint is already in a namespace";
        return HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS; /* §4.3 #45 */
    }
    json_array_append_new(resources, json_pack("{s:s, s:{s:s}}", "Type", resource_types[what], "Data", "ID", id));
    if (ep)
        json_object_set_new(ep, "HostComputeNamespace", json_string(ns_id));
    return S_OK;
}

/* ---- load balancers and SDN routes ------------------------------------------------- */

/* HostComputeEndpoints must name endpoints that exist. */
static HRESULT check_endpoint_list(hcn_store *s, json_t *doc, const char **detail)
{
    json_t *list = hcssim__hcn_get(doc, "HostComputeEndpoints");
    if (list && !json_is_array(list)) {
        *detail = "HostComputeEndpoints must be an array";
        return HCN_E_INVALID_JSON;
    }
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e)
    {
        char id[HCN_ID_LEN + 1];
        if (!hcssim__hcn_id_normalize(hcssim__hcn_str(e), id)) {
            *detail = "HostComputeEndpoints holds a string that is not a GUID";
            return HCN_E_GUID_CONVERSION_FAILURE;
        }
        if (!json_object_get(hcssim__hcn_objects(s, HCN_KIND_ENDPOINT), id)) {
            *detail = "HostComputeEndpoints names an unknown endpoint";
            return HCN_E_ENDPOINT_NOT_FOUND;
        }
        json_array_set_new(list, i, json_string(id));
    }
    return S_OK;
}

/* A load balancer or route is modified by sending the whole document
 * (§4.3 #50); the id stays. */
static HRESULT replace_document(hcn_store *s, json_t *doc, json_t *request, const char **detail)
{
    HRESULT hr = check_endpoint_list(s, request, detail);
    if (FAILED(hr))
        return hr;
    json_t *id = json_incref(json_object_get(doc, "ID"));
    json_object_clear(doc);
    json_object_update(doc, request);
    json_object_del(doc, "id");
    json_object_set_new(doc, "ID", id);
    return S_OK;
}

/* ---- guest network services ----------------------------------------------------------- */

static HRESULT gns_create(json_t *doc, const char **detail)
{
    json_t *vm = hcssim__hcn_get(doc, "VirtualMachineId");
    char id[HCN_ID_LEN + 1];
    if (vm && !hcssim__hcn_id_normalize(hcssim__hcn_str(vm), id)) {
        *detail = "VirtualMachineId is not a GUID";
        return HCN_E_GUID_CONVERSION_FAILURE;
    }
    json_object_set_new(doc, "State", json_string("Created"));
    return S_OK;
}

static HRESULT gns_modify(hcn_store *s, json_t *doc, json_t *request, int rt, json_t *settings, const char **detail)
{
    (void)rt; /* Update, as WSL sends; any other is taken the same way */
    int state = enum_index(hcssim__hcn_get(settings, "State"), gns_states, COUNT(gns_states));
    if (!hcssim__hcn_strieq(hcssim__hcn_str(hcssim__hcn_get(request, "ResourceType")), "State") || state < 0) {
        *detail = "a guest network service takes an Update of its State";
        return HCN_E_REQUEST_UNSUPPORTED;
    }
    json_object_set_new(doc, "State", json_string(gns_states[state]));
    /* §4.3 #52: the state change reaches the service's own callbacks. */
    json_t *payload = json_pack("{s:s, s:[]}", "State", gns_states[state], "Interfaces");
    hcssim__hcn_notify(s, HcnNotificationGuestNetworkServiceStateChanged, hcssim__hcn_str(json_object_get(doc, "ID")),
                       NULL, payload);
    json_decref(payload);
    return S_OK;
}

/* ---- dispatch -------------------------------------------------------------------------- */

HRESULT hcssim__hcn_object_create(hcn_store *s, hcn_kind kind, const char *network_id, json_t *doc, const char **detail)
{
    if (!hcssim__hcn_get(doc, "SchemaVersion"))
        json_object_set_new(doc, "SchemaVersion", json_pack("{s:i, s:i}", "Major", 2, "Minor", 0));
    switch (kind) {
    case HCN_KIND_NETWORK:
        return network_create(s, doc, detail);
    case HCN_KIND_ENDPOINT:
        return endpoint_create(s, network_id, doc, detail);
    case HCN_KIND_NAMESPACE:
        return namespace_create(s, doc, detail);
    case HCN_KIND_LOADBALANCER:
    case HCN_KIND_ROUTE:
        return check_endpoint_list(s, doc, detail);
    case HCN_KIND_GNS:
        return gns_create(doc, detail);
    default:
        return E_INVALIDARG;
    }
}

HRESULT hcssim__hcn_object_modify(hcn_store *s, hcn_kind kind, json_t *doc, json_t *request, const char **detail)
{
    if (kind == HCN_KIND_LOADBALANCER || kind == HCN_KIND_ROUTE)
        return replace_document(s, doc, request, detail);
    int rt;
    json_t *settings;
    HRESULT hr = envelope(request, &rt, &settings, detail);
    if (FAILED(hr))
        return hr;
    switch (kind) {
    case HCN_KIND_NETWORK:
        return network_modify(s, doc, request, rt, settings, detail);
    case HCN_KIND_ENDPOINT:
        return endpoint_modify(s, doc, request, rt, settings, detail);
    case HCN_KIND_NAMESPACE:
        return namespace_modify(s, doc, request, rt, settings, detail);
    default:
        return gns_modify(s, doc, request, rt, settings, detail);
    }
}

HRESULT hcssim__hcn_object_may_delete(hcn_store *s, hcn_kind kind, json_t *doc, const char **detail)
{
    const char *id = hcssim__hcn_str(json_object_get(doc, "ID"));
    if (kind == HCN_KIND_NETWORK) {
        const char *ep_id;
        json_t *ep;
        json_object_foreach(hcssim__hcn_objects(s, HCN_KIND_ENDPOINT), ep_id,
                            ep) if (strcmp(hcssim__hcn_str(hcssim__hcn_get(ep, "HostComputeNetwork")), id) == 0)
        {
            *detail = "the network still has endpoints";
            return HCN_E_ENTITY_HAS_REFERENCES; /* §4.3 #47 */
        }
    }
    if (kind == HCN_KIND_NAMESPACE) {
        size_t i;
        json_t *r;
        json_array_foreach(hcssim__hcn_get(doc, "Resources"), i,
                           r) if (hcssim__hcn_strieq(hcssim__hcn_str(hcssim__hcn_get(r, "Type")), "Container"))
        {
            *detail = "a compute system still uses the namespace";
            return HCN_E_REQUEST_UNSUPPORTED; /* §4.3 #46, §3.5 */
        }
    }
    return S_OK;
}

/* Drops an endpoint id from every namespace, load balancer and route. */
static void forget_endpoint(hcn_store *s, const char *id)
{
    const char *ns_id;
    json_t *ns;
    json_object_foreach(hcssim__hcn_objects(s, HCN_KIND_NAMESPACE), ns_id, ns)
    {
        long at = resource_index(hcssim__hcn_get(ns, "Resources"), "Endpoint", id);
        if (at >= 0)
            json_array_remove(hcssim__hcn_get(ns, "Resources"), (size_t)at);
    }
    for (hcn_kind k = HCN_KIND_LOADBALANCER; k <= HCN_KIND_ROUTE; k++) {
        const char *oid;
        json_t *o;
        json_object_foreach(hcssim__hcn_objects(s, k), oid, o)
        {
            json_t *list = hcssim__hcn_get(o, "HostComputeEndpoints");
            for (size_t i = json_array_size(list); i-- > 0;)
                if (hcssim__hcn_strieq(hcssim__hcn_str(json_array_get(list, i)), id))
                    json_array_remove(list, i);
        }
    }
}

void hcssim__hcn_object_deleted(hcn_store *s, hcn_kind kind, json_t *doc)
{
    const char *id = hcssim__hcn_str(json_object_get(doc, "ID"));
    if (kind == HCN_KIND_ENDPOINT) /* §4.3 #46: auto-detach */
        forget_endpoint(s, id);
    if (kind == HCN_KIND_NAMESPACE) {
        size_t i;
        json_t *r;
        json_array_foreach(hcssim__hcn_get(doc, "Resources"), i, r)
        {
            json_t *ep = json_object_get(hcssim__hcn_objects(s, HCN_KIND_ENDPOINT),
                                         hcssim__hcn_str(hcssim__hcn_get(hcssim__hcn_get(r, "Data"), "ID")));
            if (ep)
                json_object_del(ep, "HostComputeNamespace");
        }
    }
}

/* ---- views -------------------------------------------------------------------------------- */

json_t *hcssim__hcn_object_v1(hcn_store *s, hcn_kind kind, json_t *doc)
{
    json_t *v = json_object();
    json_object_set(v, "ID", json_object_get(doc, "ID"));
    if (hcssim__hcn_get(doc, "Name"))
        json_object_set(v, "Name", hcssim__hcn_get(doc, "Name"));
    if (kind == HCN_KIND_NETWORK) {
        json_object_set(v, "Type", hcssim__hcn_get(doc, "Type"));
        json_object_set(v, "Flags", hcssim__hcn_get(doc, "Flags"));
        json_t *subnets = json_array();
        subnet nets[16];
        size_t n = network_subnets(doc, nets, COUNT(nets));
        for (size_t i = 0; i < n; i++) {
            char prefix[24], base[16], gw[16];
            ipv4_format(nets[i].base, base);
            snprintf(prefix, sizeof prefix, "%s/%u", base, nets[i].prefix);
            ipv4_format(nets[i].gateway, gw);
            json_array_append_new(subnets, json_pack("{s:s, s:s}", "AddressPrefix", prefix, "GatewayAddress", gw));
        }
        json_object_set_new(v, "Subnets", subnets);
    } else if (kind == HCN_KIND_ENDPOINT) {
        const char *net = hcssim__hcn_str(hcssim__hcn_get(doc, "HostComputeNetwork"));
        json_t *network = json_object_get(hcssim__hcn_objects(s, HCN_KIND_NETWORK), net);
        json_t *cfg = json_array_get(hcssim__hcn_get(doc, "IpConfigurations"), 0);
        json_object_set_new(v, "VirtualNetwork", json_string(net));
        json_object_set_new(v, "VirtualNetworkName", json_string(hcssim__hcn_str(hcssim__hcn_get(network, "Name"))));
        if (cfg) {
            json_object_set(v, "IPAddress", hcssim__hcn_get(cfg, "IpAddress"));
            json_object_set(v, "PrefixLength", hcssim__hcn_get(cfg, "PrefixLength"));
        }
        if (hcssim__hcn_get(doc, "MacAddress"))
            json_object_set(v, "MacAddress", hcssim__hcn_get(doc, "MacAddress"));
        if (hcssim__hcn_get(doc, "HostComputeNamespace"))
            json_object_set_new(v, "Namespace", json_pack("{s:O}", "ID", hcssim__hcn_get(doc, "HostComputeNamespace")));
        json_object_set_new(v, "IsRemoteEndpoint", json_boolean(json_integer_value(hcssim__hcn_get(doc, "Flags")) & 1));
        json_t *policies = hcssim__hcn_get(doc, "Policies");
        json_object_set_new(v, "Policies", policies ? json_incref(policies) : json_array());
    } else if (kind == HCN_KIND_NAMESPACE) {
        json_t *list = json_array(), *containers = json_array();
        size_t i;
        json_t *r;
        json_array_foreach(hcssim__hcn_get(doc, "Resources"), i, r)
        {
            json_t *rid = hcssim__hcn_get(hcssim__hcn_get(r, "Data"), "ID");
            json_array_append_new(list,
                                  json_pack("{s:O, s:{s:O}}", "Type", hcssim__hcn_get(r, "Type"), "Data", "Id", rid));
            if (hcssim__hcn_strieq(hcssim__hcn_str(hcssim__hcn_get(r, "Type")), "Container"))
                json_array_append(containers, rid);
        }
        json_object_set_new(
            v, "IsDefault",
            json_boolean(hcssim__hcn_strieq(hcssim__hcn_str(hcssim__hcn_get(doc, "Type")), "HostDefault")));
        json_object_set(v, "CompartmentId", hcssim__hcn_get(doc, "NamespaceId"));
        json_object_set(v, "CompartmentGuid", hcssim__hcn_get(doc, "NamespaceGuid"));
        json_object_set_new(v, "ResourceList", list);
        json_object_set_new(v, "Containers", containers);
    } else {
        json_object_update_missing(v, doc); /* no distinct V1 shape is documented */
    }
    return v;
}

json_t *hcssim__hcn_object_v2(hcn_kind kind, json_t *doc, bool detailed)
{
    json_t *v = json_deep_copy(doc);
    json_object_del(v, "VmPort");
    /* §4.3 #37: NAT, enum value 0, is left out. */
    if (kind == HCN_KIND_NETWORK && hcssim__hcn_strieq(hcssim__hcn_str(hcssim__hcn_get(v, "Type")), "NAT"))
        json_object_del(v, "Type");
    /* §4.3 #36: Detailed adds what the service knows beyond the settings
     * (the health record; inferred). */
    if (detailed)
        json_object_set_new(v, "Health", json_pack("{s:{}, s:{}}", "Data", "Extra"));
    return v;
}

DWORD hcssim__hcn_create_notification(hcn_kind kind)
{
    return kind == HCN_KIND_NETWORK     ? HcnNotificationNetworkCreate
           : kind == HCN_KIND_NAMESPACE ? HcnNotificationNamespaceCreate
           : kind == HCN_KIND_GNS       ? HcnNotificationGuestNetworkServiceCreate
                                        : 0;
}

DWORD hcssim__hcn_delete_notification(hcn_kind kind)
{
    return kind == HCN_KIND_NETWORK     ? HcnNotificationNetworkDelete
           : kind == HCN_KIND_NAMESPACE ? HcnNotificationNamespaceDelete
           : kind == HCN_KIND_GNS       ? HcnNotificationGuestNetworkServiceDelete
                                        : 0;
}
