/* HCN objects are host state shared through hcssimd (docs/hcssimd.md): a
 * network this program makes is found by another program (daemon_peer),
 * which adds an endpoint and a namespace and leaves; both are seen here,
 * then everything is torn down in the order of storage-and-network §3.5.
 * The daemon is this test's own (hcskit_daemon_run). */
#include "daemon_helpers.h"

#include "hcs/computenetwork.h"
#include "util/guid.h"
#include "util/utf16.h"

#include <jansson.h>

static const GUID null_guid;

static json_t *take(PWSTR w)
{
    assert_non_null(w);
    char *text = NULL;
    assert_int_equal(hcs__utf16_to_utf8(w, &text), 0);
    CoTaskMemFree(w);
    json_error_t err;
    json_t *doc = json_loads(text, JSON_DECODE_ANY, &err);
    free(text);
    assert_non_null(doc);
    return doc;
}

static json_t *enumerate(HRESULT(WINAPI *fn)(PCWSTR, PWSTR *, PWSTR *), const char *query)
{
    uint16_t *q = NULL;
    assert_int_equal(hcs__utf8_to_utf16(query, &q), 0);
    PWSTR out = NULL;
    assert_int_equal(fn(q, &out, NULL), S_OK);
    free(q);
    return take(out);
}

static GUID guid_at(json_t *ids, size_t i)
{
    GUID g;
    assert_true(hcs__guid_parse(json_string_value(json_array_get(ids, i)), &g));
    return g;
}

static void network_shared_between_programs(void **state)
{
    (void)state;
    const char *name = unique_id("net");
    char settings[200];
    snprintf(settings, sizeof settings, "{\"Name\":\"%s\",\"Type\":\"NAT\"}", name);
    uint16_t *doc = NULL;
    assert_int_equal(hcs__utf8_to_utf16(settings, &doc), 0);
    HCN_NETWORK net = NULL;
    assert_int_equal(HcnCreateNetwork(&null_guid, doc, &net, NULL), S_OK);
    free(doc);
    PWSTR text = NULL;
    assert_int_equal(HcnQueryNetworkProperties(net, NULL, &text, NULL), S_OK);
    json_t *props = take(text);
    const char *net_id = json_string_value(json_object_get(props, "ID"));
    assert_non_null(net_id);

    test_proc peer = peer_start("network", name, NULL);
    assert_int_equal(peer_wait(peer), 0);

    /* What the other program made and left is the host's. */
    char query[200];
    snprintf(query, sizeof query, "{\"Filter\":\"{\\\"VirtualNetwork\\\":\\\"%s\\\"}\"}", net_id);
    json_t *eps = enumerate(HcnEnumerateEndpoints, query);
    assert_int_equal(json_array_size(eps), 1);
    snprintf(query, sizeof query, "{\"Filter\":\"{\\\"Name\\\":\\\"%s-peer-ns\\\"}\"}", name);
    json_t *nss = enumerate(HcnEnumerateNamespaces, query);
    assert_int_equal(json_array_size(nss), 1);
    /* Deleting the network is refused while the endpoint is there (§4.3 #47). */
    GUID gn;
    assert_true(hcs__guid_parse(net_id, &gn));
    assert_int_equal(HcnDeleteNetwork(&gn, NULL), (HRESULT)0x803B002C);

    /* Teardown (§3.5): namespace, endpoint, network. */
    GUID gs = guid_at(nss, 0), ge = guid_at(eps, 0);
    assert_int_equal(HcnDeleteNamespace(&gs, NULL), S_OK);
    assert_int_equal(HcnDeleteEndpoint(&ge, NULL), S_OK);
    assert_int_equal(HcnCloseNetwork(net), S_OK);
    assert_int_equal(HcnDeleteNetwork(&gn, NULL), S_OK);
    json_decref(eps);
    json_decref(nss);
    json_decref(props);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(network_shared_between_programs),
    };
    return cmocka_run_group_tests_name("HCN shared through hcssimd", tests, NULL, NULL);
}
