/* hcsctl's network, endpoint and namespace verbs through the binary, each
 * command a process of its own sharing one simulated host (a private
 * hcssimd, since HCN objects outlive the command that made them): the
 * §3.2 sequence with a container, the §3.5 teardown, --json, refusals and
 * bad command lines (storage-and-network). */
#include "spawn.h"

#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* The one line a command printed (an id), without its newline. */
static char *line_of(run_result *r)
{
    char *s = strdup(r->out);
    s[strcspn(s, "\r\n")] = 0;
    run_result_clear(r);
    return s;
}

static json_t *json_of(run_result *r)
{
    json_error_t error;
    json_t *doc = json_loads(r->out, 0, &error);
    if (!doc)
        fail_msg("not JSON (%s): %s", error.text, r->out);
    run_result_clear(r);
    return doc;
}

static void nat_sequence_with_a_container(void **state)
{
    (void)state;
    run_result r;
    HCSCTL_EXITS(0, &r, "network", "create", "nat1");
    char *net = line_of(&r);
    assert_int_equal(strlen(net), 36);
    HCSCTL_EXITS(0, &r, "network", "ls");
    assert_non_null(strstr(r.out, "nat1"));
    assert_non_null(strstr(r.out, "NAT"));
    run_result_clear(&r);
    HCSCTL_EXITS(0, &r, "endpoint", "create", "nat1", "--name", "web");
    char *ep = line_of(&r);
    HCSCTL_EXITS(0, &r, "namespace", "create");
    char *ns = line_of(&r);
    HCSCTL_EXITS(0, &r, "endpoint", "attach", ep, ns);
    run_result_clear(&r);
    HCSCTL_EXITS(0, &r, "endpoint", "ls", "--json", "--network", "nat1");
    json_t *eps = json_of(&r);
    assert_int_equal(json_array_size(eps), 1);
    json_t *e = json_array_get(eps, 0);
    assert_string_equal(json_string_value(json_object_get(e, "HostComputeNamespace")), ns);
    assert_string_equal(json_string_value(json_object_get(e, "Name")), "web");
    json_decref(eps);

    /* A container whose document names the namespace (§3.2 step 5). */
    char doc[256];
    snprintf(doc, sizeof doc,
             "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Owner\":\"hcsctl-net\",\"Container\":{\"Networking\":{"
             "\"Namespace\":\"%s\"}}}",
             ns);
    char *file = scratch_file("netdoc.json");
    assert_true(write_file(file, doc));
    HCSCTL_EXITS(0, &r, "create", "netc1", file);
    run_result_clear(&r);
    HCSCTL_EXITS(0, &r, "start", "netc1");
    run_result_clear(&r);
    HCSCTL_EXITS(0, &r, "inspect", "netc1");
    assert_non_null(strstr(r.out, ns));
    assert_non_null(strstr(r.out, ep));
    run_result_clear(&r);
    /* In use: HCN refuses, hcsctl says why and exits 1. */
    HCSCTL_EXITS(1, &r, "namespace", "rm", ns);
    assert_non_null(strstr(r.err, "HCN_E_REQUEST_UNSUPPORTED"));
    run_result_clear(&r);
    HCSCTL_EXITS(1, &r, "network", "rm", "nat1");
    assert_non_null(strstr(r.err, "HCN_E_ENTITY_HAS_REFERENCES"));
    run_result_clear(&r);

    /* §3.5: container, detach, namespace, endpoint, network. */
    HCSCTL_EXITS(0, &r, "rm", "--force", "netc1");
    run_result_clear(&r);
    HCSCTL_EXITS(0, &r, "endpoint", "detach", ep, ns);
    run_result_clear(&r);
    HCSCTL_EXITS(0, &r, "namespace", "rm", ns);
    run_result_clear(&r);
    HCSCTL_EXITS(0, &r, "endpoint", "rm", ep);
    run_result_clear(&r);
    HCSCTL_EXITS(0, &r, "network", "rm", net);
    run_result_clear(&r);
    HCSCTL_EXITS(0, &r, "network", "ls", "--json");
    json_t *left = json_of(&r);
    assert_int_equal(json_array_size(left), 0);
    json_decref(left);
    free(file);
    free(net);
    free(ep);
    free(ns);
}

static void network_options_and_inspect(void **state)
{
    (void)state;
    run_result r;
    HCSCTL_EXITS(0, &r, "network", "create", "br1", "--type", "L2Bridge", "--subnet", "10.6.0.0/24", "--gateway",
                 "10.6.0.1", "--json");
    json_t *doc = json_of(&r);
    assert_string_equal(json_string_value(json_object_get(doc, "Type")), "L2Bridge");
    json_decref(doc);
    HCSCTL_EXITS(0, &r, "endpoint", "create", "br1", "--ip", "10.6.0.9", "--mac", "00-15-5D-AA-BB-CC", "--json");
    doc = json_of(&r);
    json_t *cfg = json_array_get(json_object_get(doc, "IpConfigurations"), 0);
    assert_string_equal(json_string_value(json_object_get(cfg, "IpAddress")), "10.6.0.9");
    assert_string_equal(json_string_value(json_object_get(doc, "MacAddress")), "00-15-5D-AA-BB-CC");
    char *ep = strdup(json_string_value(json_object_get(doc, "ID")));
    json_decref(doc);
    /* The gateway is reserved (§4.3 #40). */
    HCSCTL_EXITS(1, &r, "endpoint", "create", "br1", "--ip", "10.6.0.1");
    assert_non_null(strstr(r.err, "HCN_E_ADDR_INVALID_OR_RESERVED"));
    run_result_clear(&r);
    HCSCTL_EXITS(0, &r, "network", "inspect", "br1");
    doc = json_of(&r);
    assert_string_equal(json_string_value(json_object_get(doc, "Name")), "br1");
    json_decref(doc);
    HCSCTL_EXITS(0, &r, "endpoint", "inspect", ep);
    run_result_clear(&r);
    HCSCTL_EXITS(0, &r, "endpoint", "rm", ep);
    run_result_clear(&r);
    HCSCTL_EXITS(0, &r, "network", "rm", "br1");
    run_result_clear(&r);
    HCSCTL_EXITS(1, &r, "network", "inspect", "br1");
    assert_non_null(strstr(r.err, "no network with id or name \"br1\""));
    run_result_clear(&r);
    free(ep);
}

static void bad_command_lines(void **state)
{
    (void)state;
    run_result r;
    HCSCTL_EXITS(2, &r, "network");
    run_result_clear(&r);
    HCSCTL_EXITS(2, &r, "network", "frobnicate");
    assert_non_null(strstr(r.err, "no subcommand \"frobnicate\""));
    run_result_clear(&r);
    HCSCTL_EXITS(2, &r, "network", "create");
    run_result_clear(&r);
    HCSCTL_EXITS(2, &r, "network", "ls", "--subnet", "10.0.0.0/8");
    run_result_clear(&r);
    HCSCTL_EXITS(2, &r, "endpoint", "attach", "only-one");
    run_result_clear(&r);
    HCSCTL_EXITS(2, &r, "namespace", "create", "extra");
    run_result_clear(&r);
    HCSCTL_EXITS(1, &r, "network", "create", "bad", "--type", "Warp");
    assert_non_null(strstr(r.err, "HCN_E_INVALID_NETWORK_TYPE"));
    run_result_clear(&r);
    HCSCTL_EXITS(1, &r, "endpoint", "rm", "not-a-guid");
    run_result_clear(&r);
    HCSCTL_EXITS(0, &r, "network", "--help");
    assert_non_null(strstr(r.out, "inspect NETWORK"));
    run_result_clear(&r);
}

int main(void)
{
    test_daemon_stem = "net";
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nat_sequence_with_a_container),
        cmocka_unit_test(network_options_and_inspect),
        cmocka_unit_test(bad_command_lines),
    };
    int failed =
        cmocka_run_group_tests_name("hcsctl network verbs", tests, test_daemon_group_start, test_daemon_group_stop);
    return failed || test_daemon_failed() ? 1 : 0;
}
