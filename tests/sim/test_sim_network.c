/* Conformance of hcssim's computenetwork (HCN) exports, called exactly as a
 * client of computenetwork.dll would: each test names the behaviour of
 * storage-and-network §4.2/§4.3 it checks. HCN objects belong to the
 * service, so every test removes what it made. */
#include "hcn_helpers.h"

/* §3.2 and §3.5: NAT network, endpoint, namespace, attach, a container
 * whose document names the namespace, its properties, then teardown in
 * the order that works. */
static void nat_container_sequence(void **state)
{
    (void)state;
    HCN_NETWORK net =
        make_network("{\"Name\":\"seq-nat\",\"Type\":\"NAT\",\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}");
    json_t *net_doc = QUERY_V2(HcnQueryNetworkProperties, net);
    char *net_id = strdup(doc_id(net_doc));
    HCN_ENDPOINT ep = NULL;
    char settings[256];
    snprintf(settings, sizeof settings, "{\"Name\":\"seq-ep\",\"HostComputeNetwork\":\"%s\"}", net_id);
    assert_int_equal(create_endpoint(net, settings, &ep), S_OK);
    json_t *ep_doc = QUERY_V2(HcnQueryEndpointProperties, ep);
    char *ep_id = strdup(doc_id(ep_doc));
    HCN_NAMESPACE ns = make_namespace();
    json_t *ns_doc = QUERY_V2(HcnQueryNamespaceProperties, ns);
    char *ns_id = strdup(doc_id(ns_doc));
    assert_int_equal(namespace_endpoint(ns, "Add", ep_id), S_OK);

    char doc[256];
    snprintf(doc, sizeof doc,
             "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Owner\":\"tests\",\"Container\":{\"Networking\":{"
             "\"Namespace\":\"%s\"}}}",
             ns_id);
    WCHAR *wdoc = widen(doc);
    HCS_SYSTEM sys = make_container(test_id("nat-seq"), wdoc);
    free(wdoc);
    assert_int_equal(run(HcsStartComputeSystem, sys), S_OK);
    char *props = properties(sys);
    assert_non_null(strstr(props, ns_id));
    assert_non_null(strstr(props, ep_id));
    free(props);
    /* While the container is attached the namespace stays (§3.5). */
    GUID ns_guid = guid_of(ns_id);
    assert_int_equal(HcnDeleteNamespace(&ns_guid, NULL), HCN_E_REQUEST_UNSUPPORTED_);

    assert_int_equal(run(HcsTerminateComputeSystem, sys), S_OK);
    HcsCloseComputeSystem(sys);
    assert_int_equal(namespace_endpoint(ns, "Remove", ep_id), S_OK);
    assert_int_equal(HcnCloseNamespace(ns), S_OK);
    assert_int_equal(HcnDeleteNamespace(&ns_guid, NULL), S_OK);
    GUID ep_guid = guid_of(ep_id), net_guid = guid_of(net_id);
    assert_int_equal(HcnCloseEndpoint(ep), S_OK);
    assert_int_equal(HcnDeleteEndpoint(&ep_guid, NULL), S_OK);
    assert_int_equal(HcnCloseNetwork(net), S_OK);
    assert_int_equal(HcnDeleteNetwork(&net_guid, NULL), S_OK);
    json_t *left = enumerate(HcnEnumerateNetworks, NULL);
    assert_false(ids_contain(left, net_id));
    json_decref(left);
    json_decref(net_doc);
    json_decref(ep_doc);
    json_decref(ns_doc);
    free(net_id);
    free(ep_id);
    free(ns_id);
}

/* §3.2 step 5: a document naming no HCN namespace fails the create. */
static void unknown_namespace_fails_create(void **state)
{
    (void)state;
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HCS_SYSTEM sys = NULL;
    assert_int_equal(
        HcsCreateComputeSystem(test_id("no-ns"),
                               W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Container\":{"
                                 "\"Networking\":{\"Namespace\":\"0B6C7A52-64F4-4C7A-9D44-1E2B3C4D5E6F\"}}}"),
                               op, NULL, &sys),
        S_OK);
    assert_int_equal(wait_op(op), HCN_E_NAMESPACE_ATTACH_FAILED_);
    HcsCloseOperation(op);
    HcsCloseComputeSystem(sys);
}

/* §4.2 #21, #22, #31: the error record's shape; none on success. */
static void error_record_shape(void **state)
{
    (void)state;
    HCN_NETWORK net = (HCN_NETWORK)1;
    PWSTR error = NULL;
    assert_int_equal(HcnCreateNetwork(&null_guid, W("{not json"), &net, &error), HCN_E_INVALID_JSON_);
    assert_null(net);
    json_t *rec = take_json(error);
    assert_true(json_is_false(json_object_get(rec, "Success")));
    assert_int_equal(json_integer_value(json_object_get(rec, "ErrorCode")), 0x803B001B);
    const char *text = json_string_value(json_object_get(rec, "Error"));
    assert_non_null(text);
    assert_int_equal(text[strlen(text) - 1], ' ');
    json_decref(rec);
    assert_int_equal(HcnCreateNetwork(&null_guid, W("{\"Type\":\"Bogus\"}"), &net, NULL), HCN_E_INVALID_NETWORK_TYPE_);
    error = (PWSTR)1;
    assert_int_equal(HcnCreateNetwork(&null_guid, W("{\"Name\":\"rec-ok\"}"), &net, &error), S_OK);
    assert_null(error);
    json_t *doc = QUERY_V2(HcnQueryNetworkProperties, net);
    GUID g = guid_of(doc_id(doc));
    json_decref(doc);
    HcnCloseNetwork(net);
    assert_int_equal(HcnDeleteNetwork(&g, NULL), S_OK);
}

/* §4.3 #33, #34: bare upper-case GUIDs; filters on V1 names; the filter
 * is a string. */
static void enumerate_with_filters(void **state)
{
    (void)state;
    HCN_NETWORK a = make_network("{\"Name\":\"flt-a\"}"), b = make_network("{\"Name\":\"flt-b\"}");
    json_t *da = QUERY_V2(HcnQueryNetworkProperties, a), *db = QUERY_V2(HcnQueryNetworkProperties, b);
    json_t *all = enumerate(HcnEnumerateNetworks, NULL);
    assert_true(ids_contain(all, doc_id(da)) && ids_contain(all, doc_id(db)));
    const char *first = json_string_value(json_array_get(all, 0));
    assert_int_equal(strlen(first), 36);
    for (const char *c = first; *c; c++)
        assert_false(*c >= 'a' && *c <= 'z');
    json_decref(all);
    json_t *byname = enumerate(HcnEnumerateNetworks, "{\"SchemaVersion\":{\"Major\":2,\"Minor\":0},"
                                                     "\"Filter\":\"{\\\"Name\\\":\\\"flt-b\\\"}\"}");
    assert_int_equal(json_array_size(byname), 1);
    assert_true(ids_contain(byname, doc_id(db)));
    json_decref(byname);
    json_t *none = enumerate(HcnEnumerateNetworks, "{\"Filter\":\"{\\\"Name\\\":\\\"flt-none\\\"}\"}");
    assert_int_equal(json_array_size(none), 0);
    json_decref(none);
    /* endpoints of one network: VirtualNetwork */
    HCN_ENDPOINT ep = NULL;
    assert_int_equal(create_endpoint(a, "{}", &ep), S_OK);
    json_t *de = QUERY_V2(HcnQueryEndpointProperties, ep);
    char filter[200];
    snprintf(filter, sizeof filter, "{\"Filter\":\"{\\\"VirtualNetwork\\\":\\\"%s\\\"}\"}", doc_id(db));
    json_t *on_b = enumerate(HcnEnumerateEndpoints, filter);
    assert_int_equal(json_array_size(on_b), 0);
    json_decref(on_b);
    snprintf(filter, sizeof filter, "{\"Filter\":\"{\\\"VirtualNetwork\\\":\\\"%s\\\"}\"}", doc_id(da));
    json_t *on_a = enumerate(HcnEnumerateEndpoints, filter);
    assert_int_equal(json_array_size(on_a), 1);
    json_decref(on_a);
    PWSTR out = (PWSTR)1, error = NULL;
    assert_int_equal(HcnEnumerateNetworks(W("{\"Filter\":{\"Name\":\"x\"}}"), &out, &error), HCN_E_INVALID_JSON_);
    assert_null(out);
    json_decref(take_json(error));
    GUID ge = guid_of(doc_id(de)), ga = guid_of(doc_id(da)), gb = guid_of(doc_id(db));
    HcnCloseEndpoint(ep);
    HcnCloseNetwork(a);
    HcnCloseNetwork(b);
    assert_int_equal(HcnDeleteEndpoint(&ge, NULL), S_OK);
    assert_int_equal(HcnDeleteNetwork(&ga, NULL), S_OK);
    assert_int_equal(HcnDeleteNetwork(&gb, NULL), S_OK);
    json_decref(da);
    json_decref(db);
    json_decref(de);
}

/* §4.3 #35, #37, #38: V1 for no query, V2 for 2.x; NAT's Type left out;
 * Flags round-trip; §4.2 #24: "{}" accepted. */
static void query_versions(void **state)
{
    (void)state;
    HCN_NETWORK nat = make_network("{\"Name\":\"q-nat\",\"Flags\":8}");
    HCN_NETWORK tr = make_network("{\"Name\":\"q-tr\",\"Type\":\"Transparent\"}");
    json_t *v1 = query_props((hcn_query_fn)HcnQueryNetworkProperties, nat, NULL);
    assert_non_null(json_object_get(v1, "Subnets"));
    assert_null(json_object_get(v1, "Ipams"));
    json_decref(v1);
    json_t *empty = query_props((hcn_query_fn)HcnQueryNetworkProperties, nat, "{}");
    assert_non_null(json_object_get(empty, "Subnets"));
    json_decref(empty);
    json_t *v2 = QUERY_V2(HcnQueryNetworkProperties, nat);
    assert_null(json_object_get(v2, "Type"));
    assert_int_equal(json_integer_value(json_object_get(v2, "Flags")), 8);
    assert_non_null(json_object_get(v2, "Ipams"));
    json_t *v2t = QUERY_V2(HcnQueryNetworkProperties, tr);
    assert_string_equal(json_string_value(json_object_get(v2t, "Type")), "Transparent");
    json_t *detailed = query_props((hcn_query_fn)HcnQueryNetworkProperties, tr,
                                   "{\"SchemaVersion\":{\"Major\":2,\"Minor\":0},\"Flags\":1}");
    assert_true(json_object_size(detailed) > json_object_size(v2t)); /* §4.3 #36 */
    json_decref(detailed);
    GUID a = guid_of(doc_id(v2)), b = guid_of(doc_id(v2t));
    HcnCloseNetwork(nat);
    HcnCloseNetwork(tr);
    assert_int_equal(HcnDeleteNetwork(&a, NULL), S_OK);
    assert_int_equal(HcnDeleteNetwork(&b, NULL), S_OK);
    json_decref(v2);
    json_decref(v2t);
}

/* §4.3 #39-#42: addresses from the subnet, gateway and network reserved,
 * static addresses checked, MACs from the pool. */
static void address_allocation(void **state)
{
    (void)state;
    HCN_NETWORK net =
        make_network("{\"Name\":\"ipam\",\"Type\":\"L2Bridge\",\"Ipams\":[{\"Type\":\"Static\","
                     "\"Subnets\":[{\"IpAddressPrefix\":\"10.9.0.0/24\",\"Routes\":[{\"NextHop\":"
                     "\"10.9.0.1\",\"DestinationPrefix\":\"0.0.0.0/0\"}]}]}],\"MacPool\":{\"Ranges\":[{"
                     "\"StartMacAddress\":\"00-15-5D-52-C0-00\",\"EndMacAddress\":\"00-15-5D-52-C0-01\"}]}}");
    HCN_ENDPOINT e1 = NULL, e2 = NULL, e3 = NULL;
    assert_int_equal(create_endpoint(net, "{}", &e1), S_OK);
    json_t *d1 = QUERY_V2(HcnQueryEndpointProperties, e1);
    json_t *cfg = json_array_get(json_object_get(d1, "IpConfigurations"), 0);
    assert_string_equal(json_string_value(json_object_get(cfg, "IpAddress")), "10.9.0.2");
    assert_int_equal(json_integer_value(json_object_get(cfg, "PrefixLength")), 24);
    assert_string_equal(json_string_value(json_object_get(d1, "MacAddress")), "00-15-5D-52-C0-00");
    assert_int_equal(create_endpoint(net, "{\"IpConfigurations\":[{\"IpAddress\":\"10.9.0.1\"}]}", &e2),
                     HCN_E_ADDR_INVALID_OR_RESERVED_);
    assert_null(e2);
    assert_int_equal(create_endpoint(net, "{\"IpConfigurations\":[{\"IpAddress\":\"10.9.0.0\"}]}", &e2),
                     HCN_E_ADDR_INVALID_OR_RESERVED_);
    assert_int_equal(create_endpoint(net, "{\"IpConfigurations\":[{\"IpAddress\":\"10.9.0.2\"}]}", &e2),
                     HCN_E_ADDR_INVALID_OR_RESERVED_);
    assert_int_equal(create_endpoint(net, "{\"IpConfigurations\":[{\"IpAddress\":\"10.8.0.5\"}]}", &e2),
                     HCN_E_INVALID_IP_);
    assert_int_equal(create_endpoint(net, "{\"IpConfigurations\":[{\"IpAddress\":\"10.9.0.77\"}]}", &e2), S_OK);
    json_t *d2 = QUERY_V2(HcnQueryEndpointProperties, e2);
    assert_string_equal(json_string_value(json_object_get(d2, "MacAddress")), "00-15-5D-52-C0-01");
    /* The two-address pool is used up. */
    assert_int_equal(create_endpoint(net, "{}", &e3), (HRESULT)0x803B000C);
    GUID g1 = guid_of(doc_id(d1)), g2 = guid_of(doc_id(d2));
    HcnCloseEndpoint(e1);
    HcnCloseEndpoint(e2);
    assert_int_equal(HcnDeleteEndpoint(&g1, NULL), S_OK);
    assert_int_equal(HcnDeleteEndpoint(&g2, NULL), S_OK);
    json_t *nd = QUERY_V2(HcnQueryNetworkProperties, net);
    GUID gn = guid_of(doc_id(nd));
    HcnCloseNetwork(net);
    assert_int_equal(HcnDeleteNetwork(&gn, NULL), S_OK);
    json_decref(nd);
    json_decref(d1);
    json_decref(d2);
}

/* §4.2 #28, #29, §4.3 #46, #47: deletion rules and their codes. */
static void deletion_rules(void **state)
{
    (void)state;
    GUID unknown = guid_of("6A1C0D4E-2B3F-4A5B-8C9D-0E1F2A3B4C5D");
    assert_int_equal(HcnDeleteNetwork(&unknown, NULL), HCN_E_NETWORK_NOT_FOUND_);
    assert_int_equal(HcnDeleteEndpoint(&unknown, NULL), HCN_E_ENDPOINT_NOT_FOUND_);
    assert_int_equal(HcnDeleteNamespace(&unknown, NULL), ERROR_NOT_FOUND_);
    HCN_NETWORK h = (HCN_NETWORK)1;
    assert_int_equal(HcnOpenNetwork(&unknown, &h, NULL), HCN_E_NETWORK_NOT_FOUND_);
    assert_null(h);

    HCN_NETWORK net = make_network("{\"Name\":\"del\"}");
    json_t *nd = QUERY_V2(HcnQueryNetworkProperties, net);
    GUID gn = guid_of(doc_id(nd));
    HCN_ENDPOINT ep = NULL;
    assert_int_equal(create_endpoint(net, "{}", &ep), S_OK);
    json_t *ed = QUERY_V2(HcnQueryEndpointProperties, ep);
    GUID ge = guid_of(doc_id(ed));
    assert_int_equal(HcnDeleteNetwork(&gn, NULL), HCN_E_ENTITY_HAS_REFERENCES_);
    HCN_NAMESPACE ns = make_namespace();
    json_t *sd = QUERY_V2(HcnQueryNamespaceProperties, ns);
    assert_int_equal(namespace_endpoint(ns, "Add", doc_id(ed)), S_OK);
    /* Deleting the endpoint detaches it from its namespace. */
    assert_int_equal(HcnDeleteEndpoint(&ge, NULL), S_OK);
    json_t *after = QUERY_V2(HcnQueryNamespaceProperties, ns);
    assert_int_equal(json_array_size(json_object_get(after, "Resources")), 0);
    json_decref(after);
    /* A handle outlives its object but can no longer be used. */
    PWSTR out = (PWSTR)1;
    assert_int_equal(HcnQueryEndpointProperties(ep, NULL, &out, NULL), HCN_E_OBJECT_USED_AFTER_UNLOAD_);
    assert_null(out);
    assert_int_equal(HcnCloseEndpoint(ep), S_OK);
    assert_int_equal(HcnDeleteNetwork(&gn, NULL), S_OK);
    assert_int_equal(
        HcnModifyNetwork(net, W("{\"ResourceType\":\"DNS\",\"RequestType\":\"Update\",\"Settings\":{}}"), NULL),
        HCN_E_OBJECT_USED_AFTER_UNLOAD_);
    assert_int_equal(HcnCloseNetwork(net), S_OK);
    GUID gs = guid_of(doc_id(sd));
    HcnCloseNamespace(ns);
    assert_int_equal(HcnDeleteNamespace(&gs, NULL), S_OK);
    json_decref(nd);
    json_decref(ed);
    json_decref(sd);
}

/* §4.2 #25-#27, §4.3 #43: ids given or assigned, duplicates, the host
 * default namespace. */
static void ids_and_names(void **state)
{
    (void)state;
    GUID mine = guid_of("1D2C3B4A-5F6E-4D7C-8B9A-0F1E2D3C4B5A");
    HCN_NETWORK a = NULL, b = NULL;
    assert_int_equal(HcnCreateNetwork(&mine, W("{\"Name\":\"ids-a\"}"), &a, NULL), S_OK);
    json_t *da = QUERY_V2(HcnQueryNetworkProperties, a);
    assert_string_equal(doc_id(da), "1D2C3B4A-5F6E-4D7C-8B9A-0F1E2D3C4B5A");
    assert_int_equal(HcnCreateNetwork(&mine, W("{\"Name\":\"ids-b\"}"), &b, NULL), ERROR_OBJECT_ALREADY_EXISTS_);
    assert_int_equal(HcnCreateNetwork(&null_guid, W("{\"Name\":\"ids-a\"}"), &b, NULL), HCN_E_NETWORK_ALREADY_EXISTS_);
    assert_null(b);
    HCN_NETWORK again = NULL;
    assert_int_equal(HcnOpenNetwork(&mine, &again, NULL), S_OK);
    assert_ptr_not_equal(again, a);
    HcnCloseNetwork(again);
    HcnCloseNetwork(a);
    assert_int_equal(HcnDeleteNetwork(&mine, NULL), S_OK);
    json_decref(da);

    HCN_NAMESPACE d1 = NULL, d2 = NULL;
    GUID asked = guid_of("2E3D4C5B-6A7F-4E8D-9CAB-1F2E3D4C5B6A");
    assert_int_equal(HcnCreateNamespace(&asked, W("{\"Type\":\"HostDefault\"}"), &d1, NULL), S_OK);
    assert_int_equal(HcnCreateNamespace(&null_guid, W("{\"Type\":1}"), &d2, NULL), S_OK);
    json_t *n1 = QUERY_V2(HcnQueryNamespaceProperties, d1), *n2 = QUERY_V2(HcnQueryNamespaceProperties, d2);
    assert_string_equal(doc_id(n1), "910F7D92-BA2D-4C3F-98AE-7C0AC590D2DC");
    assert_string_equal(doc_id(n1), doc_id(n2));
    assert_int_equal(json_integer_value(json_object_get(n1, "NamespaceId")), 1);
    HcnCloseNamespace(d1);
    HcnCloseNamespace(d2);
    GUID g = guid_of(doc_id(n1));
    assert_int_equal(HcnDeleteNamespace(&g, NULL), S_OK);
    json_decref(n1);
    json_decref(n2);
    HCN_NAMESPACE bad = NULL;
    assert_int_equal(HcnCreateNamespace(&null_guid, W("{\"Type\":\"Nowhere\"}"), &bad, NULL), E_INVALIDARG);
}

/* §4.3 #44, #45, §4.2 #32: namespace membership. */
static void namespace_membership(void **state)
{
    (void)state;
    HCN_NETWORK net = make_network("{\"Name\":\"mem\"}");
    HCN_ENDPOINT ep = NULL;
    assert_int_equal(create_endpoint(net, "{}", &ep), S_OK);
    json_t *ed = QUERY_V2(HcnQueryEndpointProperties, ep);
    HCN_NAMESPACE ns = make_namespace(), other = make_namespace();
    json_t *sd = QUERY_V2(HcnQueryNamespaceProperties, ns), *od = QUERY_V2(HcnQueryNamespaceProperties, other);
    char text[256];
    snprintf(text, sizeof text,
             "{\"ResourceType\":\"Endpoint\",\"RequestType\":\"Add\",\"Settings\":\"{\\\"EndpointId\\\":"
             "\\\"%s\\\"}\"}",
             doc_id(ed));
    assert_int_equal(modify((hcn_modify_fn)HcnModifyNamespace, ns, text), HCN_E_INVALID_JSON_);
    assert_int_equal(namespace_endpoint(ns, "Remove", doc_id(ed)), ERROR_NOT_FOUND_);
    assert_int_equal(namespace_endpoint(ns, "Add", "not-a-guid"), HCN_E_GUID_CONVERSION_FAILURE_);
    assert_int_equal(namespace_endpoint(ns, "Add", "3F4E5D6C-7B8A-4F9E-ADBC-2A3B4C5D6E7F"), HCN_E_ENDPOINT_NOT_FOUND_);
    assert_int_equal(namespace_endpoint(ns, "Add", doc_id(ed)), S_OK);
    assert_int_equal(namespace_endpoint(ns, "Add", doc_id(ed)), HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS_);
    assert_int_equal(namespace_endpoint(other, "Add", doc_id(ed)), HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS_);
    json_t *now = QUERY_V2(HcnQueryEndpointProperties, ep);
    assert_string_equal(json_string_value(json_object_get(now, "HostComputeNamespace")), doc_id(sd));
    json_t *v1 = query_props((hcn_query_fn)HcnQueryNamespaceProperties, ns, NULL);
    json_t *entry = json_array_get(json_object_get(v1, "ResourceList"), 0);
    assert_string_equal(json_string_value(json_object_get(entry, "Type")), "Endpoint");
    assert_string_equal(json_string_value(json_object_get(json_object_get(entry, "Data"), "Id")), doc_id(ed));
    json_decref(v1);
    json_decref(now);
    assert_int_equal(namespace_endpoint(ns, "Remove", doc_id(ed)), S_OK);
    GUID ge = guid_of(doc_id(ed)), gs = guid_of(doc_id(sd)), go = guid_of(doc_id(od));
    json_t *nd = QUERY_V2(HcnQueryNetworkProperties, net);
    GUID gn = guid_of(doc_id(nd));
    HcnCloseEndpoint(ep);
    HcnCloseNamespace(ns);
    HcnCloseNamespace(other);
    HcnCloseNetwork(net);
    assert_int_equal(HcnDeleteNamespace(&gs, NULL), S_OK);
    assert_int_equal(HcnDeleteNamespace(&go, NULL), S_OK);
    assert_int_equal(HcnDeleteEndpoint(&ge, NULL), S_OK);
    assert_int_equal(HcnDeleteNetwork(&gn, NULL), S_OK);
    json_decref(ed);
    json_decref(sd);
    json_decref(od);
    json_decref(nd);
}

/* §4.3 #48, §4.2 #31: endpoint policies. */
static void endpoint_policies(void **state)
{
    (void)state;
    HCN_NETWORK net = make_network("{\"Name\":\"pol\"}");
    HCN_ENDPOINT a = NULL, b = NULL;
    const char *pm = "{\"Policies\":[{\"Type\":\"PortMapping\",\"Settings\":{\"Protocol\":6,\"InternalPort\":80,"
                     "\"ExternalPort\":8080}}]}";
    assert_int_equal(create_endpoint(net, pm, &a), S_OK);
    assert_int_equal(create_endpoint(net, pm, &b), HCN_E_PORT_ALREADY_EXISTS_);
    assert_int_equal(create_endpoint(net, "{\"Policies\":[{\"Type\":\"Teleport\",\"Settings\":{}}]}", &b),
                     HCN_E_INVALID_POLICY_TYPE_);
    assert_int_equal(create_endpoint(net,
                                     "{\"Policies\":[{\"Type\":\"OutBoundNAT\",\"Settings\":{\"ExceptionList\":"
                                     "[\"10.0.0.0/8\"]}}]}",
                                     &b),
                     HCN_E_INVALID_POLICY_);
    const char *acl = "{\"ResourceType\":\"Policy\",\"RequestType\":\"Add\",\"Settings\":{\"Policies\":[{\"Type\":"
                      "\"ACL\",\"Settings\":{\"Action\":\"Allow\",\"Direction\":\"In\"}}]}}";
    assert_int_equal(modify((hcn_modify_fn)HcnModifyEndpoint, a, acl), S_OK);
    json_t *d = QUERY_V2(HcnQueryEndpointProperties, a);
    assert_int_equal(json_array_size(json_object_get(d, "Policies")), 2);
    json_decref(d);
    const char *remove = "{\"ResourceType\":\"Policy\",\"RequestType\":\"Remove\",\"Settings\":{\"Policies\":[{"
                         "\"Type\":\"ACL\",\"Settings\":{\"Action\":\"Allow\",\"Direction\":\"In\"}}]}}";
    assert_int_equal(modify((hcn_modify_fn)HcnModifyEndpoint, a, remove), S_OK);
    d = QUERY_V2(HcnQueryEndpointProperties, a);
    assert_int_equal(json_array_size(json_object_get(d, "Policies")), 1);
    GUID ga = guid_of(doc_id(d));
    json_decref(d);
    PWSTR stats = NULL;
    assert_int_equal(HcnQueryEndpointStats(a, NULL, &stats, NULL), S_OK);
    json_t *st = take_json(stats);
    assert_int_equal(json_integer_value(json_object_get(st, "BytesSent")), 0);
    json_decref(st);
    HcnCloseEndpoint(a);
    assert_int_equal(HcnDeleteEndpoint(&ga, NULL), S_OK);
    json_t *nd = QUERY_V2(HcnQueryNetworkProperties, net);
    GUID gn = guid_of(doc_id(nd));
    json_decref(nd);
    HcnCloseNetwork(net);
    assert_int_equal(HcnDeleteNetwork(&gn, NULL), S_OK);
}

/* §4.3 #51: service notifications, in order, on another thread; none
 * after unregistering. */
typedef struct heard {
    hcs_mutex mu;
    hcs_cond cond;
    DWORD types[16];
    char ids[16][40];
    int count;
    uint64_t thread;
} heard;

static void CALLBACK on_note(DWORD type, void *context, HRESULT status, PCWSTR data)
{
    heard *h = context;
    (void)status;
    char *text = narrow(data);
    json_error_t err;
    json_t *doc = text ? json_loads(text, 0, &err) : NULL;
    hcs__mutex_lock(&h->mu);
    if (h->count < 16) {
        h->types[h->count] = type;
        snprintf(h->ids[h->count], sizeof h->ids[0], "%s", doc ? json_string_value(json_object_get(doc, "ID")) : "");
        h->count++;
    }
    h->thread = hcs__thread_self();
    hcs__cond_broadcast(&h->cond);
    hcs__mutex_unlock(&h->mu);
    json_decref(doc);
    free(text);
}

static bool wait_heard(heard *h, int count)
{
    uint64_t deadline = hcs__deadline_after(10000);
    hcs__mutex_lock(&h->mu);
    while (h->count < count && hcs__cond_wait_until(&h->cond, &h->mu, deadline))
        ;
    bool ok = h->count >= count;
    hcs__mutex_unlock(&h->mu);
    return ok;
}

static void service_notifications(void **state)
{
    (void)state;
    heard h = {0}, h2 = {0};
    hcs__mutex_init(&h.mu);
    hcs__cond_init(&h.cond);
    hcs__mutex_init(&h2.mu);
    hcs__cond_init(&h2.cond);
    HCN_CALLBACK reg = NULL, reg2 = NULL;
    assert_int_equal(HcnRegisterServiceCallback(NULL, &h, &reg), E_INVALIDARG);
    assert_int_equal(HcnRegisterServiceCallback(on_note, &h, &reg), S_OK);
    /* Every registration hears every notification. */
    assert_int_equal(HcnRegisterServiceCallback(on_note, &h2, &reg2), S_OK);
    HCN_NETWORK net = make_network("{\"Name\":\"notes\"}");
    json_t *nd = QUERY_V2(HcnQueryNetworkProperties, net);
    GUID gn = guid_of(doc_id(nd));
    HcnCloseNetwork(net);
    assert_int_equal(HcnDeleteNetwork(&gn, NULL), S_OK);
    assert_true(wait_heard(&h, 4));
    assert_int_equal(h.types[0], HcnNotificationNetworkPreCreate);
    assert_int_equal(h.types[1], HcnNotificationNetworkCreate);
    assert_int_equal(h.types[2], HcnNotificationNetworkPreDelete);
    assert_int_equal(h.types[3], HcnNotificationNetworkDelete);
    for (int i = 0; i < 4; i++)
        assert_string_equal(h.ids[i], doc_id(nd));
    assert_true(h.thread != hcs__thread_self());
    assert_true(wait_heard(&h2, 4));
    assert_int_equal(h2.types[3], HcnNotificationNetworkDelete);
    assert_int_equal(HcnUnregisterServiceCallback(reg2), S_OK);
    assert_int_equal(HcnUnregisterServiceCallback(reg), S_OK);
    assert_int_equal(HcnUnregisterServiceCallback(reg), E_HANDLE_);
    HCN_NAMESPACE ns = make_namespace();
    json_t *sd = QUERY_V2(HcnQueryNamespaceProperties, ns);
    GUID gs = guid_of(doc_id(sd));
    HcnCloseNamespace(ns);
    assert_int_equal(HcnDeleteNamespace(&gs, NULL), S_OK);
    hcs__mutex_lock(&h.mu);
    assert_int_equal(h.count, 4);
    hcs__mutex_unlock(&h.mu);
    json_decref(nd);
    json_decref(sd);
    hcs__cond_destroy(&h.cond);
    hcs__mutex_destroy(&h.mu);
    hcs__cond_destroy(&h2.cond);
    hcs__mutex_destroy(&h2.mu);
}

/* §4.3 #52, §2.8: a guest network service, its state callback and port
 * reservations. */
static void guest_network_service_ports(void **state)
{
    (void)state;
    heard h = {0};
    hcs__mutex_init(&h.mu);
    hcs__cond_init(&h.cond);
    GUID vm = guid_of("4A5B6C7D-8E9F-4A0B-9C1D-2E3F4A5B6C7D");
    HCN_GUESTNETWORKSERVICE gns = NULL;
    assert_int_equal(HcnCreateGuestNetworkService(&vm,
                                                  W("{\"VirtualMachineId\":\"4A5B6C7D-8E9F-4A0B-9C1D-2E3F4A5B6C7D\","
                                                    "\"MirrorHostNetworking\":true,\"Flags\":3}"),
                                                  &gns, NULL),
                     S_OK);
    HCN_CALLBACK reg = NULL;
    assert_int_equal(HcnRegisterGuestNetworkServiceCallback(gns, on_note, &h, &reg), S_OK);
    assert_int_equal(modify((hcn_modify_fn)HcnModifyGuestNetworkService, gns,
                            "{\"ResourceType\":\"State\",\"RequestType\":\"Update\",\"Settings\":{\"State\":"
                            "\"Bootstrapping\"}}"),
                     S_OK);
    assert_true(wait_heard(&h, 1));
    assert_int_equal(h.types[0], HcnNotificationGuestNetworkServiceStateChanged);
    assert_int_equal(HcnUnregisterGuestNetworkServiceCallback(reg), S_OK);

    HANDLE p1 = NULL, p2 = NULL, s1 = NULL, s2 = NULL, r = NULL;
    assert_int_equal(
        HcnReserveGuestNetworkServicePort(gns, HCN_PORT_PROTOCOL_TCP, HCN_PORT_ACCESS_EXCLUSIVE, 5353, &p1), S_OK);
    assert_int_equal(
        HcnReserveGuestNetworkServicePort(gns, HCN_PORT_PROTOCOL_BOTH, HCN_PORT_ACCESS_EXCLUSIVE, 5353, &p2),
        HCN_E_PORT_ALREADY_EXISTS_);
    assert_null(p2);
    assert_int_equal(HcnReserveGuestNetworkServicePort(gns, HCN_PORT_PROTOCOL_UDP, HCN_PORT_ACCESS_SHARED, 5355, &s1),
                     S_OK);
    assert_int_equal(HcnReserveGuestNetworkServicePort(gns, HCN_PORT_PROTOCOL_UDP, HCN_PORT_ACCESS_SHARED, 5355, &s2),
                     S_OK);
    HCN_PORT_RANGE_RESERVATION range = {0, 0};
    assert_int_equal(HcnReserveGuestNetworkServicePortRange(gns, 16, &range, &r), S_OK);
    assert_int_equal(range.endingPort - range.startingPort, 15);
    ULONG count = 0;
    HCN_PORT_RANGE_ENTRY *entries = NULL;
    assert_int_equal(HcnEnumerateGuestNetworkPortReservations(&count, &entries), S_OK);
    assert_int_equal(count, 4);
    bool saw_range = false;
    for (ULONG i = 0; i < count; i++)
        saw_range |= entries[i].StartingPort == range.startingPort && entries[i].EndingPort == range.endingPort;
    assert_true(saw_range);
    HcnFreeGuestNetworkPortReservations(entries);
    HcnFreeGuestNetworkPortReservations(NULL);
    assert_int_equal(HcnReleaseGuestNetworkServicePortReservationHandle(p1), S_OK);
    assert_int_equal(HcnReleaseGuestNetworkServicePortReservationHandle(p1), E_HANDLE_);
    assert_int_equal(
        HcnReserveGuestNetworkServicePort(gns, HCN_PORT_PROTOCOL_BOTH, HCN_PORT_ACCESS_EXCLUSIVE, 5353, &p2), S_OK);
    assert_int_equal(HcnReserveGuestNetworkServicePortRange(gns, 0, &range, &r), E_INVALIDARG);
    HcnCloseGuestNetworkService(gns);
    /* Deleting the service releases what it reserved. */
    assert_int_equal(HcnDeleteGuestNetworkService(&vm, NULL), S_OK);
    assert_int_equal(HcnEnumerateGuestNetworkPortReservations(&count, &entries), S_OK);
    assert_int_equal(count, 0);
    HcnFreeGuestNetworkPortReservations(entries);
    hcs__cond_destroy(&h.cond);
    hcs__mutex_destroy(&h.mu);
}

/* §4.3 #50, §2.6: load balancers and SDN routes name live endpoints and
 * are modified by sending the whole document. */
static void load_balancers_and_routes(void **state)
{
    (void)state;
    HCN_NETWORK net = make_network("{\"Name\":\"lb\"}");
    HCN_ENDPOINT ep = NULL;
    assert_int_equal(create_endpoint(net, "{}", &ep), S_OK);
    json_t *ed = QUERY_V2(HcnQueryEndpointProperties, ep);
    HCN_LOADBALANCER lb = NULL;
    assert_int_equal(HcnCreateLoadBalancer(&null_guid,
                                           W("{\"HostComputeEndpoints\":[\"5B6C7D8E-9FA0-4B1C-8D2E-3F4A5B6C7D8E\"]}"),
                                           &lb, NULL),
                     HCN_E_ENDPOINT_NOT_FOUND_);
    char text[300];
    snprintf(text, sizeof text,
             "{\"HostComputeEndpoints\":[\"%s\"],\"FrontendVIPs\":[\"10.0.0.10\"],\"PortMappings\":[{\"Protocol\":6,"
             "\"InternalPort\":80,\"ExternalPort\":80}]}",
             doc_id(ed));
    WCHAR *w = widen(text);
    assert_int_equal(HcnCreateLoadBalancer(&null_guid, w, &lb, NULL), S_OK);
    free(w);
    json_t *ld = QUERY_V2(HcnQueryLoadBalancerProperties, lb);
    assert_int_equal(json_array_size(json_object_get(ld, "HostComputeEndpoints")), 1);
    assert_int_equal(modify((hcn_modify_fn)HcnModifyLoadBalancer, lb, "{\"FrontendVIPs\":[\"10.0.0.11\"]}"), S_OK);
    json_t *ld2 = QUERY_V2(HcnQueryLoadBalancerProperties, lb);
    assert_string_equal(doc_id(ld2), doc_id(ld));
    assert_string_equal(json_string_value(json_array_get(json_object_get(ld2, "FrontendVIPs"), 0)), "10.0.0.11");
    json_t *lbs = enumerate(HcnEnumerateLoadBalancers, NULL);
    assert_true(ids_contain(lbs, doc_id(ld)));
    json_decref(lbs);
    HCN_SDNROUTE route = NULL;
    snprintf(text, sizeof text,
             "{\"HostComputeEndpoints\":[\"%s\"],\"Routes\":[{\"DestinationPrefix\":\"10.1.0.0/16\",\"NextHop\":"
             "\"10.0.0.1\"}]}",
             doc_id(ed));
    w = widen(text);
    assert_int_equal(HcnCreateSdnRoute(&null_guid, w, &route, NULL), S_OK);
    free(w);
    json_t *rd = QUERY_V2(HcnQuerySdnRouteProperties, route);
    GUID gl = guid_of(doc_id(ld)), gr = guid_of(doc_id(rd)), ge = guid_of(doc_id(ed));
    HcnCloseLoadBalancer(lb);
    HcnCloseSdnRoute(route);
    HcnCloseEndpoint(ep);
    assert_int_equal(HcnDeleteLoadBalancer(&gl, NULL), S_OK);
    assert_int_equal(HcnDeleteLoadBalancer(&gl, NULL), ERROR_NOT_FOUND_);
    assert_int_equal(HcnDeleteSdnRoute(&gr, NULL), S_OK);
    assert_int_equal(HcnDeleteEndpoint(&ge, NULL), S_OK);
    json_t *nd = QUERY_V2(HcnQueryNetworkProperties, net);
    GUID gn = guid_of(doc_id(nd));
    HcnCloseNetwork(net);
    assert_int_equal(HcnDeleteNetwork(&gn, NULL), S_OK);
    json_decref(nd);
    json_decref(ed);
    json_decref(ld);
    json_decref(ld2);
    json_decref(rd);
}

/* §4.2 #20, #29, #30 and NULLs: bad arguments fail, never crash. */
static void bad_arguments(void **state)
{
    (void)state;
    HCN_ENDPOINT ep = (HCN_ENDPOINT)1;
    PWSTR error = NULL;
    assert_int_equal(HcnCreateEndpoint(NULL, &null_guid, W("{}"), &ep, &error), E_INVALIDARG);
    assert_null(ep);
    json_decref(take_json(error));
    HCN_NETWORK net = make_network("{\"Name\":\"bad\"}");
    json_t *nd = QUERY_V2(HcnQueryNetworkProperties, net);
    assert_int_equal(HcnCreateEndpoint(net, &null_guid, NULL, &ep, NULL), E_INVALIDARG);
    assert_int_equal(HcnCreateEndpoint(net, NULL, W("{}"), &ep, NULL), E_INVALIDARG);
    assert_int_equal(HcnCreateEndpoint(net, &null_guid, W("{}"), NULL, NULL), E_INVALIDARG);
    assert_int_equal(create_endpoint(net, "{\"HostComputeNetwork\":\"6C7D8E9F-A0B1-4C2D-9E3F-4A5B6C7D8E9F\"}", &ep),
                     E_INVALIDARG);
    assert_int_equal(create_endpoint(net, "{\"HostComputeNamespace\":\"6C7D8E9F-A0B1-4C2D-9E3F-4A5B6C7D8E9F\"}", &ep),
                     E_INVALIDARG);
    assert_int_equal(create_endpoint(net, "[]", &ep), HCN_E_INVALID_JSON_);
    assert_int_equal(HcnQueryNetworkProperties(net, NULL, NULL, NULL), E_INVALIDARG);
    assert_int_equal(HcnEnumerateNetworks(NULL, NULL, NULL), E_INVALIDARG);
    assert_int_equal(HcnModifyNetwork(net, W("{\"ResourceType\":\"DNS\"}"), NULL), E_INVALIDARG);
    /* A namespace handle is not a network handle. */
    HCN_NAMESPACE ns = make_namespace();
    PWSTR out = NULL;
    assert_int_equal(HcnQueryNetworkProperties((HCN_NETWORK)ns, NULL, &out, NULL), E_HANDLE_);
    json_t *sd = QUERY_V2(HcnQueryNamespaceProperties, ns);
    GUID gs = guid_of(doc_id(sd));
    assert_int_equal(HcnCloseNamespace(ns), S_OK);
    assert_int_equal(HcnCloseNamespace(ns), E_HANDLE_);
    assert_int_equal(HcnCloseNamespace(NULL), E_INVALIDARG);
    assert_int_equal(HcnDeleteNamespace(&gs, NULL), S_OK);
    assert_int_equal(HcnDeleteNetwork(NULL, NULL), E_INVALIDARG);
    assert_int_equal(HcnUnregisterServiceCallback(NULL), E_INVALIDARG);
    assert_int_equal(HcnEnumerateGuestNetworkPortReservations(NULL, NULL), E_INVALIDARG);
    GUID gn = guid_of(doc_id(nd));
    assert_int_equal(HcnCloseNetwork(net), S_OK);
    assert_int_equal(HcnQueryNetworkProperties(net, NULL, &out, NULL), E_HANDLE_);
    assert_int_equal(HcnDeleteNetwork(&gn, NULL), S_OK);
    json_decref(nd);
    json_decref(sd);
}

/* docs/fault-plans.md: a call rule applies to HCN calls at kickoff, for
 * one object id when the rule names it. */
static void fault_plan_covers_hcn(void **state)
{
    (void)state;
    char error[200];
    assert_int_equal(hcssim_set_faults("{\"faults\":[{\"call\":\"HcnCreateNetwork\",\"at\":\"kickoff\","
                                       "\"hresult\":\"0x803B0010\",\"count\":1}]}",
                                       error, sizeof error),
                     0);
    HCN_NETWORK net = NULL;
    PWSTR rec = NULL;
    assert_int_equal(HcnCreateNetwork(&null_guid, W("{\"Name\":\"fault\"}"), &net, &rec),
                     HCN_E_NETWORK_ALREADY_EXISTS_);
    json_t *doc = take_json(rec);
    assert_int_equal(json_integer_value(json_object_get(doc, "ErrorCode")), 0x803B0010);
    json_decref(doc);
    net = make_network("{\"Name\":\"fault\"}"); /* the rule fired once */
    json_t *nd = QUERY_V2(HcnQueryNetworkProperties, net);
    GUID gn = guid_of(doc_id(nd));
    HcnCloseNetwork(net);
    assert_int_equal(HcnDeleteNetwork(&gn, NULL), S_OK);
    json_decref(nd);
    assert_int_equal(hcssim_set_faults(NULL, error, sizeof error), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nat_container_sequence),
        cmocka_unit_test(unknown_namespace_fails_create),
        cmocka_unit_test(error_record_shape),
        cmocka_unit_test(enumerate_with_filters),
        cmocka_unit_test(query_versions),
        cmocka_unit_test(address_allocation),
        cmocka_unit_test(deletion_rules),
        cmocka_unit_test(ids_and_names),
        cmocka_unit_test(namespace_membership),
        cmocka_unit_test(endpoint_policies),
        cmocka_unit_test(service_notifications),
        cmocka_unit_test(guest_network_service_ports),
        cmocka_unit_test(load_balancers_and_routes),
        cmocka_unit_test(bad_arguments),
        cmocka_unit_test(fault_plan_covers_hcn),
    };
    return cmocka_run_group_tests_name("hcssim HCN (storage-and-network §4.2, §4.3)", tests, NULL, NULL);
}
