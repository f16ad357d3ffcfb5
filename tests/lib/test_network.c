/* libhcs's HCN API (network.h), written from the header as a user would:
 * the NAT container sequence of storage-and-network §3.2 with the §3.5
 * teardown, typed documents, notifications to a callback and to a queue,
 * port reservations, feature sets and the errors HCN reports. */
#include "lib_helpers.h"

static const char *const v2 = "{\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}";

/* The V2 document of an open network as typed values. */
static hcs_schema_doc *network_doc(hcs_network net, hcs_HostComputeNetwork **out)
{
    char *json = NULL;
    assert_int_equal(hcs_network_properties_json(net, v2, &json, NULL), HCS_OK);
    hcs_schema_doc *doc = NULL;
    assert_int_equal(hcs_HostComputeNetwork_decode(json, strlen(json), NULL, &doc, out, NULL), HCS_OK);
    hcs_free(json);
    return doc;
}

static void nat_container_sequence(void **state)
{
    (void)state;
    hcs_error err = HCS_ERROR_INIT;
    hcs_network net;
    const char *name = unique_id("lib-nat");
    char settings[128];
    snprintf(settings, sizeof settings,
             "{\"Name\":\"%s\",\"Type\":\"NAT\",\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}", name);
    assert_int_equal(hcs_network_create(client, NULL, settings, &net, &err), HCS_OK);
    char net_id[HCS_NET_ID_SIZE], ep_id[HCS_NET_ID_SIZE], ns_id[HCS_NET_ID_SIZE];
    assert_int_equal(hcs_network_id(net, net_id, NULL), HCS_OK);
    hcs_HostComputeNetwork *typed;
    hcs_schema_doc *doc = network_doc(net, &typed);
    assert_string_equal(typed->Name, name);
    assert_true(typed->Ipams_count >= 1); /* HCN chose a subnet */
    hcs_schema_doc_free(doc);

    hcs_endpoint ep;
    assert_int_equal(hcs_endpoint_create(net, NULL, "{\"Name\":\"lib-ep\"}", &ep, &err), HCS_OK);
    assert_int_equal(hcs_endpoint_id(ep, ep_id, NULL), HCS_OK);
    char *json = NULL;
    assert_int_equal(hcs_endpoint_properties_json(ep, v2, &json, NULL), HCS_OK);
    hcs_HostComputeEndpoint *endpoint;
    assert_int_equal(hcs_HostComputeEndpoint_decode(json, strlen(json), NULL, &doc, &endpoint, NULL), HCS_OK);
    assert_int_equal(endpoint->IpConfigurations_count, 1);
    assert_non_null(endpoint->MacAddress);
    hcs_schema_doc_free(doc);
    hcs_free(json);

    hcs_namespace ns;
    assert_int_equal(hcs_namespace_create(client, NULL, NULL, &ns, &err), HCS_OK);
    assert_int_equal(hcs_namespace_id(ns, ns_id, NULL), HCS_OK);
    assert_int_equal(hcs_namespace_add_endpoint(ns, ep_id, &err), HCS_OK);

    char *config = NULL;
    hcs_container_spec cs = {.owner = "libtests", .network_namespace = ns_id};
    assert_int_equal(hcs_build_container(&cs, &config, NULL), HCS_OK);
    hcs_system sys = running_system("lib-net", config);
    hcs_free(config);
    char *props = NULL;
    assert_int_equal(hcs_system_properties_json(sys, NULL, HCS_TIMEOUT_DEFAULT, &props, NULL), HCS_OK);
    assert_non_null(strstr(props, ns_id));
    assert_non_null(strstr(props, ep_id));
    hcs_free(props);
    /* Out of order: the namespace stays while the container uses it. */
    assert_int_equal(hcs_namespace_delete(client, ns_id, &err), (int32_t)0x803B0015);
    assert_int_equal(err.kind, HCS_ERROR_INVALID_STATE);
    assert_non_null(err.document); /* HCN's ErrorRecord, kept */
    assert_non_null(strstr(err.document, "\"ErrorCode\":2151350293"));

    /* §3.5: system, membership, namespace, endpoint, network. */
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_close(sys);
    assert_int_equal(hcs_namespace_remove_endpoint(ns, ep_id, &err), HCS_OK);
    hcs_namespace_close(ns);
    assert_int_equal(hcs_namespace_delete(client, ns_id, &err), HCS_OK);
    hcs_endpoint_close(ep);
    assert_int_equal(hcs_endpoint_delete(client, ep_id, &err), HCS_OK);
    hcs_network_close(net);
    assert_int_equal(hcs_network_delete(client, net_id, &err), HCS_OK);
    hcs_error_clear(&err);
}

/* HCN's codes arrive classified, its record kept. */
static void errors_are_classified(void **state)
{
    (void)state;
    hcs_error err = HCS_ERROR_INIT;
    hcs_network net;
    assert_int_equal(hcs_network_open(client, "0B6C7A52-64F4-4C7A-9D44-1E2B3C4D5E6F", &net, &err), (int32_t)0x803B0001);
    assert_int_equal(err.kind, HCS_ERROR_NOT_FOUND);
    assert_int_equal(net.id, 0);
    assert_int_equal(hcs_network_create(client, NULL, "{\"Type\":\"Nonsense\"}", &net, &err), (int32_t)0x803B000B);
    assert_int_equal(err.kind, HCS_ERROR_INVALID_ARGUMENT);
    assert_non_null(err.document);
    assert_int_equal(hcs_network_create(client, NULL, "not json", &net, &err), (int32_t)0x803B001B);
    assert_int_equal(hcs_network_create(client, NULL, "{\"Name\":\"caf\xc3\xa9\"}", &net, &err), HCS_OK);
    char id[HCS_NET_ID_SIZE];
    assert_int_equal(hcs_network_id(net, id, NULL), HCS_OK);
    hcs_network second;
    assert_int_equal(hcs_network_create(client, NULL, "{\"Name\":\"caf\xc3\xa9\"}", &second, &err),
                     (int32_t)0x803B0010);
    assert_int_equal(err.kind, HCS_ERROR_ALREADY_EXISTS);
    assert_int_equal(hcs_network_create(client, NULL, "{\"Name\":\"bad \xff\"}", &second, &err),
                     HCS_WIN32_E_NO_UNICODE_TRANSLATION);
    hcs_endpoint ep;
    assert_int_equal(hcs_endpoint_create(net, NULL, "{}", &ep, NULL), HCS_OK);
    assert_int_equal(hcs_network_delete(client, id, &err), (int32_t)0x803B002C);
    char ep_id[HCS_NET_ID_SIZE];
    assert_int_equal(hcs_endpoint_id(ep, ep_id, NULL), HCS_OK);
    assert_int_equal(hcs_endpoint_delete(client, ep_id, NULL), HCS_OK);
    /* A handle outlives its object, and says so. */
    char *json = NULL;
    assert_int_equal(hcs_endpoint_properties_json(ep, NULL, &json, &err), (int32_t)0x803B0031);
    hcs_endpoint_close(ep);
    hcs_endpoint_close(ep); /* idempotent */
    assert_int_equal(hcs_endpoint_properties_json(ep, NULL, &json, &err), HCS_WIN32_E_INVALID_HANDLE);
    hcs_network_close(net);
    assert_int_equal(hcs_network_delete(client, id, NULL), HCS_OK);
    hcs_error_clear(&err);
}

/* Enumerate with a filter finds by name; a given id is kept; the host
 * default namespace is one. */
static void enumerate_and_ids(void **state)
{
    (void)state;
    const char *gid = "1d2c3b4a-5f6e-4d7c-8b9a-0f1e2d3c4b5a";
    hcs_network net;
    assert_int_equal(hcs_network_create(client, gid, "{\"Name\":\"lib-enum\"}", &net, NULL), HCS_OK);
    char id[HCS_NET_ID_SIZE];
    assert_int_equal(hcs_network_id(net, id, NULL), HCS_OK);
    assert_string_equal(id, "1D2C3B4A-5F6E-4D7C-8B9A-0F1E2D3C4B5A");
    char *ids = NULL;
    assert_int_equal(hcs_network_enumerate(client, "{\"Filter\":\"{\\\"Name\\\":\\\"lib-enum\\\"}\"}", &ids, NULL),
                     HCS_OK);
    assert_string_equal(ids, "[\"1D2C3B4A-5F6E-4D7C-8B9A-0F1E2D3C4B5A\"]");
    hcs_free(ids);
    hcs_network again;
    assert_int_equal(hcs_network_open(client, gid, &again, NULL), HCS_OK);
    assert_true(again.id != net.id);
    hcs_network_close(again);
    hcs_network_close(net);
    assert_int_equal(hcs_network_delete(client, gid, NULL), HCS_OK);

    hcs_namespace a, b;
    assert_int_equal(hcs_namespace_create(client, NULL, "{\"Type\":\"HostDefault\"}", &a, NULL), HCS_OK);
    assert_int_equal(hcs_namespace_create(client, gid, "{\"Type\":\"HostDefault\"}", &b, NULL), HCS_OK);
    char ida[HCS_NET_ID_SIZE], idb[HCS_NET_ID_SIZE];
    assert_int_equal(hcs_namespace_id(a, ida, NULL), HCS_OK);
    assert_int_equal(hcs_namespace_id(b, idb, NULL), HCS_OK);
    assert_string_equal(ida, idb);
    hcs_namespace_close(a);
    hcs_namespace_close(b);
    assert_int_equal(hcs_namespace_delete(client, ida, NULL), HCS_OK);
}

typedef struct heard {
    hcs_mutex mu;
    hcs_cond cv;
    int count;
    uint32_t types[8];
} heard;

static void on_event(const hcs_event *e, void *user)
{
    heard *h = user;
    hcs__mutex_lock(&h->mu);
    if (h->count < 8 && e->type == HCS_EVENT_NETWORK)
        h->types[h->count++] = e->raw_type;
    hcs__cond_broadcast(&h->cv);
    hcs__mutex_unlock(&h->mu);
}

/* Notifications reach a callback and a queue, in HCN's order, and none
 * after the subscription is closed. */
static void notifications(void **state)
{
    (void)state;
    heard h = {0};
    hcs__mutex_init(&h.mu);
    hcs__cond_init(&h.cv);
    hcs_subscription by_callback, by_queue;
    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    assert_int_equal(
        hcs_network_subscribe(client, &(hcs_event_sink){.callback = on_event, .user_data = &h}, &by_callback, NULL),
        HCS_OK);
    assert_int_equal(hcs_network_subscribe(client, &(hcs_event_sink){.cq = cq, .user_data = &h}, &by_queue, NULL),
                     HCS_OK);
    hcs_network net;
    assert_int_equal(hcs_network_create(client, NULL, "{\"Name\":\"lib-notes\"}", &net, NULL), HCS_OK);
    char id[HCS_NET_ID_SIZE];
    assert_int_equal(hcs_network_id(net, id, NULL), HCS_OK);
    hcs_network_close(net);
    assert_int_equal(hcs_network_delete(client, id, NULL), HCS_OK);
    assert_int_equal(count_wait(&h.mu, &h.cv, &h.count, 4), 4);
    assert_int_equal(h.types[0], 1); /* NetworkPreCreate */
    assert_int_equal(h.types[1], 2); /* NetworkCreate */
    assert_int_equal(h.types[2], 3); /* NetworkPreDelete */
    assert_int_equal(h.types[3], 4); /* NetworkDelete */
    for (uint32_t want = 1; want <= 4; want++) {
        hcs_result r;
        assert_int_equal(hcs_cq_next(cq, 10000, &r, NULL), HCS_OK);
        assert_int_equal(r.event_type, HCS_EVENT_NETWORK);
        assert_int_equal(r.event_raw_type, want);
        assert_non_null(strstr(r.document, id));
        assert_ptr_equal(r.user_data, &h);
        hcs_result_clear(&r);
    }
    hcs_subscription_close(by_callback);
    hcs_subscription_close(by_queue);
    hcs_subscription_close(by_queue); /* idempotent */
    hcs_namespace ns;
    assert_int_equal(hcs_namespace_create(client, NULL, NULL, &ns, NULL), HCS_OK);
    char ns_id[HCS_NET_ID_SIZE];
    assert_int_equal(hcs_namespace_id(ns, ns_id, NULL), HCS_OK);
    hcs_namespace_close(ns);
    assert_int_equal(hcs_namespace_delete(client, ns_id, NULL), HCS_OK);
    hcs_result r;
    assert_int_equal(hcs_cq_next(cq, 0, &r, NULL), HCS_E_OPERATION_TIMEOUT);
    hcs__mutex_lock(&h.mu);
    assert_int_equal(h.count, 4);
    hcs__mutex_unlock(&h.mu);
    hcs_cq_close(cq);
    hcs__cond_destroy(&h.cv);
    hcs__mutex_destroy(&h.mu);
}

/* Port reservations on a guest network service (§2.8). */
static void port_reservations(void **state)
{
    (void)state;
    hcs_error err = HCS_ERROR_INIT;
    const char *vm = "4A5B6C7D-8E9F-4A0B-9C1D-2E3F4A5B6C7D";
    hcs_guest_network gns;
    assert_int_equal(hcs_guest_network_create(
                         client, vm, "{\"VirtualMachineId\":\"4A5B6C7D-8E9F-4A0B-9C1D-2E3F4A5B6C7D\"}", &gns, &err),
                     HCS_OK);
    hcs_port_reservation a, b, range;
    assert_int_equal(hcs_port_reserve(gns, HCS_PORT_TCP, false, 8080, &a, &err), HCS_OK);
    assert_int_equal(hcs_port_reserve(gns, HCS_PORT_TCP, false, 8080, &b, &err), (int32_t)0x803B0013);
    assert_int_equal(err.kind, HCS_ERROR_ALREADY_EXISTS);
    uint16_t first = 0, last = 0;
    assert_int_equal(hcs_port_reserve_range(gns, 32, &first, &last, &range, &err), HCS_OK);
    assert_int_equal(last - first, 31);
    hcs_port_entry *entries = NULL;
    size_t count = 0;
    assert_int_equal(hcs_port_reservations(client, &entries, &count, &err), HCS_OK);
    assert_int_equal(count, 2);
    bool saw_8080 = false;
    for (size_t i = 0; i < count; i++)
        saw_8080 |= entries[i].first == 8080 && entries[i].last == 8080 && !entries[i].shared;
    assert_true(saw_8080);
    hcs_free(entries);
    hcs_port_release(a);
    hcs_port_release(a); /* idempotent */
    assert_int_equal(hcs_port_reserve(gns, HCS_PORT_TCP, false, 8080, &b, &err), HCS_OK);
    hcs_port_release(b);
    hcs_port_release(range);
    assert_int_equal(hcs_port_reservations(client, &entries, &count, &err), HCS_OK);
    assert_int_equal(count, 0);
    hcs_free(entries);
    hcs_guest_network_close(gns);
    assert_int_equal(hcs_guest_network_delete(client, vm, &err), HCS_OK);
    hcs_error_clear(&err);
}

/* hcsshim's version table (§2.10). */
static void features_by_version(void **state)
{
    (void)state;
    assert_int_equal(hcs_network_features((hcs_network_version){7, 1}), 0);
    assert_int_equal(hcs_network_features((hcs_network_version){7, 2}), HCS_NET_FEATURE_ACL);
    uint32_t ws2019 = hcs_network_features((hcs_network_version){9, 3});
    assert_true(ws2019 & HCS_NET_FEATURE_API_V2);
    assert_true(ws2019 & HCS_NET_FEATURE_DSR);
    assert_false(ws2019 & HCS_NET_FEATURE_VXLAN_PORT);
    assert_false(hcs_network_features((hcs_network_version){10, 1}) & HCS_NET_FEATURE_DSR); /* 9.x or >= 10.2 */
    assert_true(hcs_network_features((hcs_network_version){11, 11}) & HCS_NET_FEATURE_L4_PROXY);
    assert_false(hcs_network_features((hcs_network_version){12, 0}) & HCS_NET_FEATURE_L4_PROXY);
    uint32_t newest = hcs_network_features((hcs_network_version){15, 4});
    assert_true(newest & HCS_NET_FEATURE_MODIFY_LOAD_BALANCER);
    assert_false(hcs_network_features((hcs_network_version){15, 3}) & HCS_NET_FEATURE_MODIFY_LOAD_BALANCER);
}

/* The host's HNS version, as hcsshim asks for it (storage-and-network
 * §2.10, §4.3 #53), and the features it gives. The simulator answers with
 * its build's version (docs/simulator-fidelity.md, "HCN": 21H2 is 13.2). */
static void host_version_and_features(void **state)
{
    (void)state;
    hcs_network_version v = {99, 99};
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(hcs_network_host_version(client, &v, &err), HCS_OK);
    assert_int_equal(err.hr, HCS_OK);
    uint32_t features = hcs_network_features(v);
    assert_true(features & HCS_NET_FEATURE_API_V2); /* every build with HCN's V2 API, 1809 on */
    const char *profile = getenv("HCSSIM_PROFILE");
    if (!test_system_mode() && (!profile || !profile[0] || strcmp(profile, "21H2") == 0)) {
        assert_int_equal(v.major, 13);
        assert_int_equal(v.minor, 2);
        assert_true(features & HCS_NET_FEATURE_L4_WFP_PROXY);
        assert_false(features & HCS_NET_FEATURE_TIER_ACL);
    }
    assert_int_equal(hcs_network_host_version(client, NULL, &err), HCS_COM_E_POINTER);
    hcs_error_clear(&err);
}

/* Typed documents encode back to what HCN takes. */
static void typed_documents_round_trip(void **state)
{
    (void)state;
    const char *in = "{\"Name\":\"typed\",\"Type\":\"L2Bridge\",\"Ipams\":[{\"Type\":\"Static\",\"Subnets\":[{"
                     "\"IpAddressPrefix\":\"10.7.0.0/24\",\"Routes\":[{\"NextHop\":\"10.7.0.1\",\"DestinationPrefix\":"
                     "\"0.0.0.0/0\"}]}]}],\"Flags\":8,\"Extra\":true}";
    hcs_schema_doc *doc = NULL;
    hcs_HostComputeNetwork *n;
    assert_int_equal(hcs_HostComputeNetwork_decode(in, strlen(in), NULL, &doc, &n, NULL), HCS_OK);
    assert_string_equal(n->Ipams[0].Subnets[0].Routes[0].NextHop, "10.7.0.1");
    assert_true(n->has_Flags && n->Flags == 8);
    char *out = NULL;
    assert_int_equal(hcs_HostComputeNetwork_encode(n, NULL, &out, NULL), HCS_OK);
    hcs_network net;
    assert_int_equal(hcs_network_create(client, NULL, out, &net, NULL), HCS_OK);
    hcs_free(out);
    hcs_schema_doc_free(doc);
    hcs_HostComputeNetwork *back;
    doc = network_doc(net, &back);
    assert_string_equal(back->Type, "L2Bridge");
    assert_int_equal(back->Flags, 8);
    char id[HCS_NET_ID_SIZE];
    assert_int_equal(hcs_network_id(net, id, NULL), HCS_OK);
    assert_string_equal(back->ID, id);
    hcs_schema_doc_free(doc);
    hcs_network_close(net);
    assert_int_equal(hcs_network_delete(client, id, NULL), HCS_OK);
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(hcs_schema_decode(HCS_SCHEMA_HostComputeNetwork, "{\"Flags\":\"x\"}", 13, NULL, &doc, &err),
                     HCS_E_INVALID_JSON);
    assert_non_null(strstr(err.message, "Flags"));
    hcs_error_clear(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nat_container_sequence),    cmocka_unit_test(errors_are_classified),
        cmocka_unit_test(enumerate_and_ids),         cmocka_unit_test(notifications),
        cmocka_unit_test(port_reservations),         cmocka_unit_test(features_by_version),
        cmocka_unit_test(host_version_and_features), cmocka_unit_test(typed_documents_round_trip),
    };
    return cmocka_run_group_tests_name("libhcs HCN (network.h)", tests, open_client, close_client);
}
