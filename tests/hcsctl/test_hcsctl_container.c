/* hcsctl create --container --layer --network through its binary, on a
 * private hcssimd (the container must outlive the command that creates
 * it): the scratch in hcsctl's state folder, a guest program's writes
 * landing in it, rm undoing it (storage-and-network §1.6 B, §1.7), the
 * layer id rule (§1.3, §5 #2); the container's endpoint and namespace
 * (§3.2) and their deletion (§3.5); and every refusal leaving nothing
 * behind: a missing folder, a folder that is no layer, the chain in the
 * wrong order (§5 #1), a network that does not exist, a refused storage
 * or HCN call and a refused create (fault plans). Written from
 * docs/hcsctl.md, as a user reads it. */
#include "spawn.h"
#include "storage_fs.h"

#include <hcssim/hcssim.h>

#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "parse_json.h"

#define BASE_ID "0b5e0000-0000-4000-8000-000000000000"

typedef struct fixture {
    char root[TFS_PATH], base[TFS_PATH], app[TFS_PATH], state[TFS_PATH];
    char base_layer[TFS_PATH + 64], app_layer[TFS_PATH]; /* --layer values */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char *root = scratch_file("containers");
    snprintf(f->root, sizeof f->root, "%s", root);
    free(root);
    tfs_mkdir(f->root);
    tfs_make_base(tfs_join(f->base, f->root, "base", NULL));
    tfs_join(f->app, f->root, "app", NULL);
    tfs_join(f->state, f->root, "state", NULL);
    snprintf(f->base_layer, sizeof f->base_layer, BASE_ID "=%s", f->base);
    snprintf(f->app_layer, sizeof f->app_layer, "%s", f->app);
    /* The app layer, pulled and imported on the base. */
    char transport[TFS_PATH], parent[TFS_PATH + 64];
    tfs_make_transport(tfs_join(transport, f->root, "pulled", NULL), "app.exe", "v1");
    snprintf(parent, sizeof parent, BASE_ID "=%s", f->base);
    run_result r;
    int status = run_hcsctl(NULL, &r, "layer", "import", f->app, transport, "--parent", parent, NULL);
    run_result_clear(&r);
    test_setenv("HCSCTL_STATE", f->state);
    *state = f;
    return status == 0 ? 0 : -1;
}

/* Nothing the test made may be in use: removing the layers must work. */
static int teardown(void **state)
{
    fixture *f = *state;
    run_result r;
    int status = run_hcsctl(NULL, &r, "layer", "rm", f->root, NULL);
    run_result_clear(&r);
    int gone = !tfs_exists(f->root);
    test_setenv("HCSCTL_STATE", NULL);
    free(f);
    return status == 0 && gone ? 0 : -1;
}

static void set_faults(const char *plan)
{
    char error[256];
    if (hcssim_set_faults(plan, error, sizeof error) != 0)
        fail_msg("fault plan refused: %s", error);
}

/* <state>/<id>, and whether it is there. */
static bool has_state(const fixture *f, const char *id)
{
    char path[TFS_PATH];
    return tfs_exists(tfs_join(path, f->state, id, NULL));
}

/* The container runs on its layers; what it writes is in its scratch only;
 * rm removes the system, detaches the filter (the app layer is no longer in
 * use) and destroys the scratch. */
static void runs_on_its_layers(void **state)
{
    fixture *f = *state;
    char path[TFS_PATH], scratch[TFS_PATH];
    run_result r;
    HCSCTL_EXITS(0, &r, "create", "web", "--container", "--layer", f->app_layer, "--layer", f->base_layer);
    assert_string_equal(r.out, "web\n");
    run_result_clear(&r);
    tfs_join(scratch, f->state, "web", "scratch");
    assert_true(tfs_exists(scratch));
    HCSCTL_EXITS(0, &r, "start", "web");
    run_result_clear(&r);
    HCSCTL_EXITS(0, &r, "exec", "web", "--", "hcssim-write", "hello.txt", "hello", "from", "web");
    run_result_clear(&r);
    assert_string_equal(tfs_read(tfs_join(path, scratch, "Files", "hello.txt")), "hello from web");
    assert_false(tfs_exists(tfs_join(path, f->app, "Files", "hello.txt")));
    /* A parent of a scratch with its filter attached is in use. */
    HCSCTL_EXITS(1, &r, "layer", "rm", f->app);
    run_result_clear(&r);
    HCSCTL_EXITS(0, &r, "rm", "web");
    assert_string_equal(r.out, "web\n");
    run_result_clear(&r);
    assert_false(has_state(f, "web"));
    assert_true(tfs_exists(f->state));
    HCSCTL_EXITS(1, &r, "inspect", "web");
    run_result_clear(&r);
    HCSCTL_EXITS(0, &r, "layer", "rm", f->app);
    run_result_clear(&r);
}

/* --state chooses the folder; rm finds it with the same --state. A system
 * gone without hcsctl's help (here: removed with another state folder)
 * still has its scratch removed by a later rm, which says so by its id. */
static void state_folder_option(void **state)
{
    fixture *f = *state;
    char mine[TFS_PATH], other[TFS_PATH], path[TFS_PATH];
    tfs_join(mine, f->root, "mine", NULL);
    tfs_join(other, f->root, "other", NULL);
    run_result r;
    HCSCTL_EXITS(0, &r, "create", "db", "--container", "--state", mine, "-l", f->app_layer, "-l", f->base_layer);
    run_result_clear(&r);
    assert_true(tfs_exists(tfs_join(path, mine, "db", "scratch")));
    assert_false(has_state(f, "db"));
    HCSCTL_EXITS(0, &r, "rm", "--state", other, "db"); /* the system only */
    run_result_clear(&r);
    assert_true(tfs_exists(tfs_join(path, mine, "db", NULL)));
    HCSCTL_EXITS(0, &r, "rm", "--state", mine, "db");
    assert_string_equal(r.out, "db\n");
    run_result_clear(&r);
    assert_false(tfs_exists(tfs_join(path, mine, "db", NULL)));
    HCSCTL_EXITS(1, &r, "rm", "--state", mine, "db"); /* nothing left at all */
    run_result_clear(&r);
}

/* The id of a --layer PATH is derived from the folder's name (as a
 * runtime's NameToGuid is): two folders of one name get one id, which HCS
 * cannot tell apart (storage-and-network §5 #2); ID=PATH resolves it. */
static void layer_ids_by_folder_name(void **state)
{
    fixture *f = *state;
    char dir[TFS_PATH], twin[TFS_PATH], transport[TFS_PATH], parent[TFS_PATH + 64], given[TFS_PATH + 64];
    tfs_mkdir(tfs_join(dir, f->root, "v2", NULL));
    tfs_join(twin, dir, "app", NULL); /* <root>/v2/app beside <root>/app */
    tfs_make_transport(tfs_join(transport, f->root, "pulled2", NULL), "tool.exe", "v2");
    snprintf(parent, sizeof parent, BASE_ID "=%s", f->base);
    run_result r;
    HCSCTL_EXITS(0, &r, "layer", "import", twin, transport, "-p", parent);
    run_result_clear(&r);
    HCSCTL_EXITS(1, &r, "create", "twins", "--container", "-l", twin, "-l", f->app_layer, "-l", f->base_layer);
    assert_non_null(strstr(r.err, "same id"));
    run_result_clear(&r);
    assert_false(has_state(f, "twins"));
    snprintf(given, sizeof given, "7a000000-0000-4000-8000-000000000002=%s", twin);
    HCSCTL_EXITS(0, &r, "create", "twins", "--container", "-l", given, "-l", f->app_layer, "-l", f->base_layer);
    run_result_clear(&r);
    HCSCTL_EXITS(0, &r, "rm", "twins");
    run_result_clear(&r);
    assert_false(has_state(f, "twins"));
}

/* Refusals before anything is made: each says what is wrong with which
 * --layer, exits 1, and leaves no state folder. */
static void bad_layers_leave_nothing(void **state)
{
    fixture *f = *state;
    char missing[TFS_PATH], empty[TFS_PATH];
    tfs_join(missing, f->root, "missing", NULL);
    tfs_mkdir(tfs_join(empty, f->root, "empty", NULL));
    const struct {
        const char *first, *second, *says;
    } cases[] = {
        {missing, f->base_layer, "no such folder"},
        {empty, f->base_layer, "not a layer"},
        {f->base_layer, f->app_layer, "must be the base layer"}, /* §5 #1: base first */
        {f->app_layer, NULL, "must be the base layer"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run_result r;
        int got = run_hcsctl(NULL, &r, "create", "bad", "--container", "-l", cases[i].first,
                             cases[i].second ? "-l" : NULL, cases[i].second, NULL);
        if (got != 1 || !strstr(r.err, cases[i].says))
            fail_msg("case %u: exit %d, stderr: %s", (unsigned)i, got, r.err);
        run_result_clear(&r);
        assert_false(has_state(f, "bad"));
    }
    run_result r;
    HCSCTL_EXITS(1, &r, "inspect", "bad");
    run_result_clear(&r);
}

/* A refused storage call (in hcsctl: HCSSIM_FAULTS) or a refused create
 * (in hcssimd: its fault plan) undoes what was made before it. */
static void refusals_undo_what_was_made(void **state)
{
    fixture *f = *state;
    run_result r;
    test_setenv(
        "HCSSIM_FAULTS",
        "{\"faults\":[{\"call\":\"HcsAttachLayerStorageFilter\",\"at\":\"kickoff\",\"hresult\":\"0x80070005\"}]}");
    HCSCTL_EXITS(1, &r, "create", "f1", "--container", "-l", f->app_layer, "-l", f->base_layer);
    assert_non_null(strstr(r.err, "elevated")); /* access denied, and its fix */
    run_result_clear(&r);
    test_setenv("HCSSIM_FAULTS", NULL);
    assert_false(has_state(f, "f1"));
    set_faults("{\"faults\":[{\"call\":\"HcsCreateComputeSystem\",\"at\":\"kickoff\",\"hresult\":\"0x80070005\"}]}");
    HCSCTL_EXITS(1, &r, "create", "f2", "--container", "-l", f->app_layer, "-l", f->base_layer);
    run_result_clear(&r);
    set_faults(NULL);
    assert_false(has_state(f, "f2"));
    /* The app layer is in use by nothing: removing it works. */
    HCSCTL_EXITS(0, &r, "layer", "rm", f->app);
    run_result_clear(&r);
}

/* A state folder of the id left over is not taken over; usage errors
 * (exit 2) are found before anything is made. */
static void leftovers_and_usage(void **state)
{
    fixture *f = *state;
    char path[TFS_PATH];
    tfs_mkdir(f->state);
    tfs_mkdir(tfs_join(path, f->state, "old", NULL));
    run_result r;
    HCSCTL_EXITS(1, &r, "create", "old", "--container", "-l", f->app_layer, "-l", f->base_layer);
    assert_non_null(strstr(r.err, "hcsctl rm old"));
    run_result_clear(&r);
    assert_true(has_state(f, "old")); /* the refusal leaves it as it was */
    HCSCTL_EXITS(1, &r, "inspect", "old");
    run_result_clear(&r);
    HCSCTL_EXITS(0, &r, "rm", "old"); /* no system, but hcsctl's folder: removed */
    run_result_clear(&r);
    assert_false(has_state(f, "old"));
    HCSCTL_EXITS(2, &r, "create", "v", "--vm", "-l", f->base_layer);
    assert_non_null(strstr(r.err, "--layer, --network and --state go with --container"));
    run_result_clear(&r);
    HCSCTL_EXITS(2, &r, "create", "a/b", "--container", "-l", f->base_layer);
    assert_non_null(strstr(r.err, "names a folder"));
    run_result_clear(&r);
    HCSCTL_EXITS(2, &r, "create", "x", "--container", "-l", "");
    run_result_clear(&r);
    assert_false(has_state(f, "a"));
    assert_false(has_state(f, "x"));
}

/* ---- --network ------------------------------------------------------------ */

/* How many HCN objects of a kind there are (`KIND ls --json`). */
static size_t hcn_count(const char *kind)
{
    run_result r;
    HCSCTL_EXITS(0, &r, kind, "ls", "--json");
    json_t *list = parse_json(r.out);
    run_result_clear(&r);
    size_t n = json_array_size(list);
    json_decref(list);
    return n;
}

/* A NAT network named `name` (docs/hcsctl.md). */
static void nat_network(const char *name)
{
    run_result r;
    HCSCTL_EXITS(0, &r, "network", "create", name, "--type", "NAT");
    run_result_clear(&r);
}

static void remove_network(const char *name)
{
    run_result r;
    HCSCTL_EXITS(0, &r, "network", "rm", name);
    run_result_clear(&r);
}

/* storage-and-network §3.2: the container's endpoint on the network, in a
 * namespace the document names, shown by inspect; rm deletes both (§3.5),
 * after which the network, with no endpoint left, can go too. */
static void network_joined_and_left(void **state)
{
    fixture *f = *state;
    nat_network("nat-web");
    run_result r;
    HCSCTL_EXITS(0, &r, "create", "web", "--container", "--network", "nat-web", "-l", f->app_layer, "-l",
                 f->base_layer);
    run_result_clear(&r);
    HCSCTL_EXITS(0, &r, "start", "web");
    run_result_clear(&r);
    HCSCTL_EXITS(0, &r, "inspect", "web");
    json_t *props = parse_json(r.out);
    run_result_clear(&r);
    json_t *net = json_object_get(props, "Networking");
    const char *ns = json_string_value(json_object_get(net, "Namespace"));
    const char *ep = json_string_value(json_array_get(json_object_get(net, "Endpoints"), 0));
    assert_non_null(ns);
    assert_non_null(ep);
    HCSCTL_EXITS(0, &r, "endpoint", "inspect", ep);
    json_t *endpoint = parse_json(r.out);
    run_result_clear(&r);
    assert_string_equal(json_string_value(json_object_get(endpoint, "Name")), "web");
    json_decref(endpoint);
    HCSCTL_EXITS(0, &r, "exec", "web", "--", "hcssim-write", "up.txt", "networked");
    run_result_clear(&r);
    assert_int_equal(hcn_count("endpoint"), 1);
    assert_int_equal(hcn_count("namespace"), 1);
    HCSCTL_EXITS(0, &r, "rm", "web");
    run_result_clear(&r);
    HCSCTL_EXITS(1, &r, "endpoint", "inspect", ep);
    run_result_clear(&r);
    json_decref(props);
    assert_int_equal(hcn_count("endpoint"), 0);
    assert_int_equal(hcn_count("namespace"), 0);
    assert_false(has_state(f, "web"));
    remove_network("nat-web");
    /* --network alone: a container without layers joins it too. */
    nat_network("nat-bare");
    HCSCTL_EXITS(0, &r, "create", "bare", "--container", "--network", "nat-bare");
    run_result_clear(&r);
    assert_int_equal(hcn_count("endpoint"), 1);
    HCSCTL_EXITS(0, &r, "rm", "bare");
    run_result_clear(&r);
    assert_int_equal(hcn_count("endpoint"), 0);
    assert_false(has_state(f, "bare"));
    remove_network("nat-bare");
}

/* A network that does not exist is refused before anything is made; an
 * HCN call or the create refused (the daemon's fault plan) undoes what was
 * made before it: no endpoint, no namespace, no scratch in use. */
static void network_refusals_leave_nothing(void **state)
{
    fixture *f = *state;
    run_result r;
    HCSCTL_EXITS(1, &r, "create", "lost", "--container", "--network", "no-such-net", "-l", f->app_layer, "-l",
                 f->base_layer);
    assert_non_null(strstr(r.err, "no network with id or name \"no-such-net\""));
    run_result_clear(&r);
    assert_false(has_state(f, "lost"));
    nat_network("nat-f");
    static const char *const plans[] = {
        "{\"faults\":[{\"call\":\"HcnCreateNamespace\",\"at\":\"kickoff\",\"hresult\":\"0x803B0015\"}]}",
        "{\"faults\":[{\"call\":\"HcnModifyNamespace\",\"at\":\"kickoff\",\"hresult\":\"0x803B0015\"}]}",
        "{\"faults\":[{\"call\":\"HcsCreateComputeSystem\",\"at\":\"kickoff\",\"hresult\":\"0x80070005\"}]}",
    };
    for (size_t i = 0; i < sizeof plans / sizeof plans[0]; i++) {
        set_faults(plans[i]);
        int got = run_hcsctl(NULL, &r, "create", "f", "--container", "-n", "nat-f", "-l", f->app_layer, "-l",
                             f->base_layer, NULL);
        set_faults(NULL);
        if (got != 1)
            fail_msg("plan %u: exit %d; stderr: %s", (unsigned)i, got, r.err);
        run_result_clear(&r);
        assert_int_equal(hcn_count("endpoint"), 0);
        assert_int_equal(hcn_count("namespace"), 0);
        assert_false(has_state(f, "f"));
    }
    remove_network("nat-f");
    HCSCTL_EXITS(2, &r, "create", "v", "--vm", "--network", "nat-f");
    run_result_clear(&r);
}

int main(void)
{
    test_daemon_stem = "container";
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(runs_on_its_layers),          T(state_folder_option),
        T(layer_ids_by_folder_name),    T(bad_layers_leave_nothing),
        T(refusals_undo_what_was_made), T(leftovers_and_usage),
        T(network_joined_and_left),     T(network_refusals_leave_nothing),
    };
    int failed = cmocka_run_group_tests_name("hcsctl create --layer --network", tests, test_daemon_group_start,
                                             test_daemon_group_stop);
    return failed || test_daemon_failed() ? 1 : 0;
}
