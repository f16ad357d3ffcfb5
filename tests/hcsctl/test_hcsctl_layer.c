/* hcsctl layer through its binary: import, export, rm, mount and unmount,
 * with --json parsed, usage errors (exit 2) and refusals naming the cause
 * (exit 1). Each command is a process of its own: layers are host folders,
 * so they outlive the command even on a simulator of its own. */
#include "spawn.h"
#include "storage_fs.h"

#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "parse_json.h"

#define BASE_ID "0b5e0000-0000-4000-8000-000000000000"
#define APP_ID "0a990000-0000-4000-8000-000000000001"

typedef struct fixture {
    char root[TFS_PATH], base[TFS_PATH], app[TFS_PATH], scratch[TFS_PATH];
    char base_parent[TFS_PATH + 64], app_parent[TFS_PATH + 64];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char *root = scratch_file("layers");
    snprintf(f->root, sizeof f->root, "%s", root);
    free(root);
    tfs_mkdir(f->root);
    tfs_make_base(tfs_join(f->base, f->root, "base", NULL));
    tfs_join(f->app, f->root, "app", NULL);
    tfs_mkdir(tfs_join(f->scratch, f->root, "scratch", NULL));
    snprintf(f->base_parent, sizeof f->base_parent, BASE_ID "=%s", f->base);
    snprintf(f->app_parent, sizeof f->app_parent, APP_ID "=%s", f->app);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    run_result r;
    run_hcsctl(NULL, &r, "layer", "unmount", f->scratch, NULL);
    run_result_clear(&r);
    int status = run_hcsctl(NULL, &r, "layer", "rm", f->root, NULL);
    run_result_clear(&r);
    int gone = !tfs_exists(f->root);
    free(f);
    return status == 0 && gone ? 0 : -1;
}

static void import_app(fixture *f)
{
    char transport[TFS_PATH];
    tfs_make_transport(tfs_join(transport, f->root, "pulled", NULL), "app.exe", "v1");
    run_result r;
    assert_int_equal(run_hcsctl(NULL, &r, "layer", "import", f->app, transport, "--parent", f->base_parent, NULL), 0);
    assert_non_null(strstr(r.out, f->app));
    run_result_clear(&r);
}

static void import_prints_json_and_refuses_twice(void **state)
{
    fixture *f = *state;
    char transport[TFS_PATH], path[TFS_PATH];
    tfs_make_transport(tfs_join(transport, f->root, "pulled", NULL), "app.exe", "v1");
    run_result r;
    assert_int_equal(run_hcsctl(NULL, &r, "layer", "import", "--json", f->app, transport, "-p", f->base_parent, NULL),
                     0);
    json_t *doc = parse_json(r.out);
    assert_string_equal(json_string_value(json_object_get(doc, "Layer")), f->app);
    assert_string_equal(json_string_value(json_object_get(doc, "Source")), transport);
    json_t *parent = json_array_get(json_object_get(doc, "Parents"), 0);
    assert_string_equal(json_string_value(json_object_get(parent, "Id")), BASE_ID);
    assert_string_equal(json_string_value(json_object_get(parent, "Path")), f->base);
    json_decref(doc);
    run_result_clear(&r);
    assert_string_equal(tfs_read(tfs_join(path, f->app, "Files", "app.exe")), "v1");
    assert_int_equal(run_hcsctl(NULL, &r, "layer", "import", f->app, transport, "-p", f->base_parent, NULL), 1);
    assert_non_null(strstr(r.err, "there already"));
    run_result_clear(&r);
}

/* storage-and-network §1.6 B and D from the command line: mount a scratch,
 * refuse to remove its parent, export its changes, import them as a layer. */
static void mount_export_commit_unmount(void **state)
{
    fixture *f = *state;
    import_app(f);
    char out[TFS_PATH], committed[TFS_PATH], path[TFS_PATH];
    run_result r;
    assert_int_equal(
        run_hcsctl(NULL, &r, "layer", "mount", f->scratch, "-p", f->app_parent, "-p", f->base_parent, NULL), 0);
    assert_non_null(strstr(r.out, f->scratch));
    run_result_clear(&r);
    assert_int_equal(run_hcsctl(NULL, &r, "layer", "rm", f->app, NULL), 1);
    assert_non_null(strstr(r.err, "in use"));
    run_result_clear(&r);
    tfs_write(tfs_join(path, f->scratch, "Files", "log.txt"), "written");
    tfs_mkdir(tfs_join(out, f->root, "out", NULL));
    assert_int_equal(run_hcsctl(NULL, &r, "layer", "export", "--writable", f->scratch, out, "-p", f->app_parent, "-p",
                                f->base_parent, NULL),
                     0);
    run_result_clear(&r);
    tfs_join(committed, f->root, "committed", NULL);
    assert_int_equal(
        run_hcsctl(NULL, &r, "layer", "import", committed, out, "-p", f->app_parent, "-p", f->base_parent, NULL), 0);
    run_result_clear(&r);
    assert_string_equal(tfs_read(tfs_join(path, committed, "Files", "log.txt")), "written");
    assert_int_equal(run_hcsctl(NULL, &r, "layer", "unmount", f->scratch, NULL), 0);
    run_result_clear(&r);
    assert_int_equal(run_hcsctl(NULL, &r, "layer", "unmount", f->scratch, NULL), 1);
    run_result_clear(&r);
    assert_int_equal(run_hcsctl(NULL, &r, "layer", "rm", "--json", f->app, NULL), 0);
    json_t *doc = parse_json(r.out);
    assert_string_equal(json_string_value(json_object_get(doc, "Layer")), f->app);
    json_decref(doc);
    run_result_clear(&r);
    assert_false(tfs_exists(f->app));
}

/* mount --vhd: a new VHD is formatted and its volume mounted as scratch. */
static void mount_a_vhd(void **state)
{
    fixture *f = *state;
    char vhd[TFS_PATH];
    tfs_join(vhd, f->root, "sandbox.vhdx", NULL);
    run_result r;
    assert_int_equal(run_hcsctl(NULL, &r, "layer", "mount", "--json", "--vhd", vhd, "-p", f->base_parent, NULL), 0);
    json_t *doc = parse_json(r.out);
    const char *volume = json_string_value(json_object_get(doc, "Layer"));
    assert_non_null(volume);
    assert_int_equal(strncmp(volume, "\\\\?\\Volume{", 11), 0);
    assert_string_equal(json_string_value(json_object_get(doc, "Vhd")), vhd);
    char *copy = strdup(volume);
    json_decref(doc);
    run_result_clear(&r);
    /* Mounting again reuses the VHD and finds the filter attached. */
    assert_int_equal(run_hcsctl(NULL, &r, "layer", "mount", "--vhd", vhd, "-p", f->base_parent, NULL), 1);
    run_result_clear(&r);
    assert_int_equal(run_hcsctl(NULL, &r, "layer", "unmount", copy, NULL), 0);
    run_result_clear(&r);
    assert_int_equal(run_hcsctl(NULL, &r, "layer", "rm", copy, NULL), 0);
    run_result_clear(&r);
    free(copy);
}

static void rm_force_and_missing(void **state)
{
    fixture *f = *state;
    char missing[TFS_PATH];
    tfs_join(missing, f->root, "missing", NULL);
    run_result r;
    assert_int_equal(run_hcsctl(NULL, &r, "layer", "rm", missing, NULL), 1);
    assert_non_null(strstr(r.err, "missing"));
    run_result_clear(&r);
    assert_int_equal(run_hcsctl(NULL, &r, "layer", "rm", "--force", missing, NULL), 0);
    run_result_clear(&r);
}

static void usage_errors(void **state)
{
    fixture *f = *state;
    const char *const cases[][5] = {
        {"layer", NULL},
        {"layer", "bogus", NULL},
        {"layer", "import", f->app, NULL},
        {"layer", "export", f->app, NULL},
        {"layer", "rm", NULL},
        {"layer", "mount", NULL},
        {"layer", "mount", "--vhd", "x.vhdx", f->scratch},
        {"layer", "unmount", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run_result r;
        const char *const *a = cases[i];
        assert_int_equal(run_hcsctl(NULL, &r, a[0], a[1], a[2], a[3], a[4], NULL), 2);
        assert_non_null(strstr(r.err, "usage: hcsctl layer"));
        run_result_clear(&r);
    }
    run_result r;
    assert_int_equal(run_hcsctl(NULL, &r, "layer", "import", f->app, f->root, "--parent", "", NULL), 2);
    assert_non_null(strstr(r.err, "ID=PATH"));
    run_result_clear(&r);
    /* A malformed id is no id: the whole value is a folder, missing here. */
    assert_int_equal(run_hcsctl(NULL, &r, "layer", "import", f->app, f->root, "--parent", "{x}=y", NULL), 1);
    assert_non_null(strstr(r.err, "missing"));
    run_result_clear(&r);
}

/* --parent PATH: the id is the version 5 UUID of the folder's name in
 * hcsctl's namespace (docs/hcsctl.md, "Layer ids"), whatever folder holds
 * it; the value below is Python's uuid.uuid5(UUID("cb22ce8f-9eef-4396-
 * b65e-21041428d4d1"), "base"). */
static void parent_id_from_folder_name(void **state)
{
    fixture *f = *state;
    char transport[TFS_PATH], base_slash[TFS_PATH + 1];
    tfs_make_transport(tfs_join(transport, f->root, "pulled", NULL), "app.exe", "v1");
    snprintf(base_slash, sizeof base_slash, "%s" TFS_SEP, f->base); /* a trailing separator names the same */
    run_result r;
    assert_int_equal(run_hcsctl(NULL, &r, "layer", "import", "--json", f->app, transport, "-p", base_slash, NULL), 0);
    json_t *doc = parse_json(r.out);
    json_t *parent = json_array_get(json_object_get(doc, "Parents"), 0);
    assert_string_equal(json_string_value(json_object_get(parent, "Id")), "f42c31a6-0691-5ae3-a846-22caea021ca0");
    assert_string_equal(json_string_value(json_object_get(parent, "Path")), base_slash);
    json_decref(doc);
    run_result_clear(&r);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(import_prints_json_and_refuses_twice),
        T(mount_export_commit_unmount),
        T(mount_a_vhd),
        T(rm_force_and_missing),
        T(usage_errors),
        T(parent_id_from_folder_name),
    };
    return cmocka_run_group_tests_name("hcsctl layer", tests, NULL, NULL);
}
