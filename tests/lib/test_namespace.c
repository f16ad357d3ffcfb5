/* HCS namespaces end to end (hcs_client_options.namespace_id, hcs-api
 * §2.2): a client's systems are created, opened and listed in its
 * namespace only (the *InNamespace functions), and the same id may live in
 * two namespaces at once (the simulator's reading, docs/simulator-fidelity.md). */
#include "lib_helpers.h"

static hcs_client open_in(const char *namespace_id)
{
    hcs_client c;
    hcs_client_options opts = {.provider = TEST_PROVIDER, .namespace_id = namespace_id};
    assert_int_equal(hcs_client_open(&opts, &c, NULL), HCS_OK);
    return c;
}

static hcs_system create_in(hcs_client c, const char *id, const char *owner)
{
    char config[160];
    snprintf(config, sizeof config, "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Owner\":\"%s\",\"Container\":{}}",
             owner);
    hcs_system sys;
    hcs_error err = HCS_ERROR_INIT;
    int32_t hr =
        hcs_system_create(c, &(hcs_system_spec){.id = id, .config_json = config}, HCS_TIMEOUT_DEFAULT, &sys, &err);
    if (hr != HCS_OK)
        fail_msg("create %s as %s: %s", id, owner, err.message);
    return sys;
}

/* The Owners of the systems c lists under this id (at most 4), as a count
 * and in owners[]. */
static size_t listed(hcs_client c, const char *id, const char *owners[4])
{
    char query[128];
    snprintf(query, sizeof query, "{\"Ids\":[\"%s\"]}", id);
    hcs_schema_doc *doc = NULL;
    hcs_Properties *items = NULL;
    size_t count = 0;
    assert_int_equal(hcs_system_enumerate(c, query, HCS_TIMEOUT_DEFAULT, &doc, &items, &count, NULL), HCS_OK);
    assert_true(count <= 4);
    static char kept[4][32];
    for (size_t i = 0; i < count; i++) {
        assert_string_equal(items[i].Id, id);
        snprintf(kept[i], sizeof kept[i], "%s", items[i].Owner ? items[i].Owner : "");
        owners[i] = kept[i];
    }
    hcs_schema_doc_free(doc);
    return count;
}

/* Opens id through c and returns the Owner HCS reports for it, or NULL
 * when c's namespace has no such system (HCS_E_SYSTEM_NOT_FOUND). */
static const char *owner_seen(hcs_client c, const char *id)
{
    static char owner[32];
    hcs_system sys;
    hcs_error err = HCS_ERROR_INIT;
    int32_t hr = hcs_system_open(c, id, &sys, &err);
    if (hr == HCS_E_SYSTEM_NOT_FOUND) {
        assert_int_equal(err.kind, HCS_ERROR_NOT_FOUND);
        hcs_error_clear(&err);
        return NULL;
    }
    assert_int_equal(hr, HCS_OK);
    hcs_schema_doc *doc = NULL;
    hcs_Properties *props = NULL;
    assert_int_equal(hcs_system_properties(sys, NULL, HCS_TIMEOUT_DEFAULT, &doc, &props, NULL), HCS_OK);
    snprintf(owner, sizeof owner, "%s", props->Owner ? props->Owner : "");
    hcs_schema_doc_free(doc);
    hcs_system_close(sys);
    return owner;
}

/* A system made in "tenant-a" is neither opened nor listed by a client of
 * the default namespace (or of "tenant-b"); another "tenant-a" client finds
 * it. */
static void systems_stay_in_their_namespace(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("container documents of its own (one Owner each, no layers)");
    hcs_client tenant = open_in("tenant-a"), other_tenant = open_in("tenant-a"), tenant_b = open_in("tenant-b");
    const char *id = unique_id("ns-only");
    hcs_system sys = create_in(tenant, id, "tenant-a");
    assert_int_equal(hcs_system_start(sys, NULL, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);

    const char *owners[4];
    assert_null(owner_seen(client, id));
    assert_int_equal(listed(client, id, owners), 0);
    assert_null(owner_seen(tenant_b, id));
    assert_int_equal(listed(tenant_b, id, owners), 0);

    assert_string_equal(owner_seen(other_tenant, id), "tenant-a");
    assert_int_equal(listed(other_tenant, id, owners), 1);
    assert_string_equal(owners[0], "tenant-a");
    /* A listing without a query is the namespace's too. */
    hcs_schema_doc *doc = NULL;
    hcs_Properties *items = NULL;
    size_t count = 0;
    assert_int_equal(hcs_system_enumerate(tenant_b, NULL, HCS_TIMEOUT_DEFAULT, &doc, &items, &count, NULL), HCS_OK);
    for (size_t i = 0; i < count; i++)
        assert_string_not_equal(items[i].Id, id);
    hcs_schema_doc_free(doc);

    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_close(sys);
    assert_null(owner_seen(other_tenant, id)); /* cleaned up after exit (hcs-api §11 #25) */
    hcs_client_close(tenant);
    hcs_client_close(other_tenant);
    hcs_client_close(tenant_b);
}

/* Ids are unique per namespace: the same id in the default namespace and
 * in "tenant-a" are two systems, each client seeing its own; a second
 * create in one namespace is refused. */
static void same_id_in_two_namespaces(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("container documents of its own (one Owner each, no layers)");
    hcs_client tenant = open_in("tenant-a");
    const char *id = unique_id("ns-twice");
    hcs_system mine = create_in(tenant, id, "tenant-a");
    hcs_system theirs = create_in(client, id, "default");

    const char *owners[4];
    assert_string_equal(owner_seen(tenant, id), "tenant-a");
    assert_string_equal(owner_seen(client, id), "default");
    assert_int_equal(listed(tenant, id, owners), 1);
    assert_string_equal(owners[0], "tenant-a");
    assert_int_equal(listed(client, id, owners), 1);
    assert_string_equal(owners[0], "default");

    hcs_system again;
    hcs_error err = HCS_ERROR_INIT;
    char config[] = "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Container\":{}}";
    assert_int_equal(hcs_system_create(tenant, &(hcs_system_spec){.id = id, .config_json = config}, HCS_TIMEOUT_DEFAULT,
                                       &again, &err),
                     HCS_E_SYSTEM_ALREADY_EXISTS);
    assert_string_equal(err.call, "HcsCreateComputeSystemInNamespace");
    hcs_error_clear(&err);

    /* Stopping one leaves the other. */
    assert_int_equal(hcs_system_terminate(mine, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    assert_null(owner_seen(tenant, id));
    assert_string_equal(owner_seen(client, id), "default");
    assert_int_equal(hcs_system_terminate(theirs, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_close(mine);
    hcs_system_close(theirs);
    hcs_client_close(tenant);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(systems_stay_in_their_namespace, reset_sim),
        cmocka_unit_test_setup(same_id_in_two_namespaces, reset_sim),
    };
    return cmocka_run_group_tests_name("libhcs namespaces", tests, open_client, close_client);
}
