/* libhcs's storage.h over the simulator, as a user would call it: the
 * sequences of storage-and-network §1.6 (A: pull and import, B: a
 * process-isolated container's scratch, C: Hyper-V isolation's VHD and base
 * layer, D: commit a container's changes as a new layer), the classified
 * errors, and the provider's missing functions. */
#include "hcs/hcs.h"
#include "lib_helpers.h"
#include "storage_fs.h"

/* Ids of the layers, as NameToGuid would give them (any GUID will do). */
#define BASE_ID "0b5e0000-0000-4000-8000-000000000000"
#define APP_ID "0a990000-0000-4000-8000-000000000001"
#define TOOLS_ID "70015000-0000-4000-8000-000000000002"
#define COMMIT_ID "c0a11100-0000-4000-8000-000000000003"

typedef struct world {
    char root[TFS_PATH];
    char base[TFS_PATH];
    char app[TFS_PATH];
    char tools[TFS_PATH];
    char scratch[TFS_PATH];
    hcs_layer_spec chain[3]; /* tools, app, base: nearest first */
} world;

static int setup(void **state)
{
    if (open_client(state) != 0)
        return -1;
    world *w = calloc(1, sizeof *w);
    tfs_fresh_dir("hcs-storage", w->root);
    tfs_make_base(tfs_join(w->base, w->root, "base", NULL));
    tfs_join(w->app, w->root, "app", NULL);
    tfs_join(w->tools, w->root, "tools", NULL);
    tfs_mkdir(tfs_join(w->scratch, w->root, "scratch", NULL));
    w->chain[0] = (hcs_layer_spec){TOOLS_ID, w->tools};
    w->chain[1] = (hcs_layer_spec){APP_ID, w->app};
    w->chain[2] = (hcs_layer_spec){BASE_ID, w->base};
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    hcs_layer_detach_filter(client, w->scratch, NULL);
    int32_t hr = hcs_layer_destroy(client, w->root, NULL);
    int gone = !tfs_exists(w->root);
    free(w);
    close_client(state);
    return hr == HCS_OK && gone ? 0 : -1;
}

/* A: each layer arrives in transport format and is imported on its
 * parents, nearest first. */
static void import_image(world *w)
{
    char staging[TFS_PATH];
    tfs_make_transport(tfs_join(staging, w->root, "pull-app", NULL), "app.exe", "app v1");
    assert_int_equal(hcs_layer_import(client, w->app, staging, &w->chain[2], 1, NULL), HCS_OK);
    tfs_make_transport(tfs_join(staging, w->root, "pull-tools", NULL), "tools.exe", "tools v1");
    assert_int_equal(hcs_layer_import(client, w->tools, staging, &w->chain[1], 2, NULL), HCS_OK);
}

static void sequence_a_pull_and_import(void **state)
{
    world *w = *state;
    import_image(w);
    char path[TFS_PATH];
    assert_string_equal(tfs_read(tfs_join(path, w->app, "Files", "app.exe")), "app v1");
    assert_string_equal(tfs_read(tfs_join(path, w->tools, "Files", "tools.exe")), "tools v1");
    /* Parents base first: the classic mistake (storage-and-network §5 #1). */
    hcs_error err = HCS_ERROR_INIT;
    char staging[TFS_PATH], dest[TFS_PATH];
    tfs_make_transport(tfs_join(staging, w->root, "pull-more", NULL), "more.exe", "more");
    const hcs_layer_spec reversed[] = {w->chain[2], w->chain[1]};
    assert_int_equal(hcs_layer_import(client, tfs_join(dest, w->root, "more", NULL), staging, reversed, 2, &err),
                     HCS_WIN32_E_PATH_NOT_FOUND);
    assert_int_equal(err.kind, HCS_ERROR_NOT_FOUND);
    assert_string_equal(err.call, "HcsImportLayer");
    hcs_error_clear(&err);
}

/* A container whose Storage names the image's layers and the scratch. */
static int32_t create_container(world *w, const hcs_layer_spec *layers, size_t count, hcs_system *sys, hcs_error *err)
{
    char *json = NULL;
    hcs_container_spec spec = {.owner = TEST_OWNER, .layers = layers, .layer_count = count, .scratch_path = w->scratch};
    assert_int_equal(hcs_build_container(&spec, &json, NULL), HCS_OK);
    int32_t hr = hcs_system_create(client, &(hcs_system_spec){.id = unique_id("layers"), .config_json = json},
                                   HCS_TIMEOUT_DEFAULT, sys, err);
    hcs_free(json);
    return hr;
}

/* B: writable layer, filter, a container on it, then teardown. */
static void sequence_b_process_isolated_scratch(void **state)
{
    world *w = *state;
    import_image(w);
    hcs_error err = HCS_ERROR_INIT;
    hcs_system sys = {0};
    /* The scratch is not set up yet: HCS refuses the container. */
    assert_int_equal(create_container(w, w->chain, 3, &sys, &err), HCS_E_INVALID_LAYER);
    assert_int_equal(err.kind, HCS_ERROR_INVALID_ARGUMENT);
    assert_int_equal(hcs_layer_init_writable(client, w->scratch, w->chain, 3, NULL), HCS_OK);
    assert_int_equal(hcs_layer_attach_filter(client, w->scratch, w->chain, 3, NULL), HCS_OK);
    assert_int_equal(create_container(w, w->chain, 3, &sys, NULL), HCS_OK);
    assert_int_equal(hcs_system_start(sys, NULL, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    /* The image cannot go while the container uses it (§4.1 #15, §5 #12). */
    assert_int_equal(hcs_layer_destroy(client, w->app, &err), HCS_WIN32_E_SHARING_VIOLATION);
    assert_int_equal(err.kind, HCS_ERROR_INVALID_STATE);
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_close(sys);
    assert_int_equal(hcs_layer_detach_filter(client, w->scratch, NULL), HCS_OK);
    assert_int_equal(hcs_layer_destroy(client, w->scratch, NULL), HCS_OK);
    assert_false(tfs_exists(w->scratch));
    assert_int_equal(hcs_layer_destroy(client, w->scratch, &err), HCS_WIN32_E_PATH_NOT_FOUND);
    assert_int_equal(err.kind, HCS_ERROR_NOT_FOUND);
    hcs_error_clear(&err);
}

/* C: a VHD formatted and mounted, a writable layer on its volume, the base
 * layer set up for containers and for the utility VM. */
static void sequence_c_hyperv_vhd_and_base(void **state)
{
    world *w = *state;
    char vhd_path[TFS_PATH], uvm[TFS_PATH], path[TFS_PATH];
    void *vhd = tfs_open_vhd(tfs_join(vhd_path, w->root, "sandbox.vhdx", NULL));
    assert_non_null(vhd);
    hcs_error err = HCS_ERROR_INIT;
    char *volume = NULL;
    assert_int_equal(hcs_vhd_mount_path(client, vhd, &volume, &err), HCS_WIN32_E_NOT_READY);
    assert_null(volume);
    assert_int_equal(hcs_vhd_format(client, vhd, NULL), HCS_OK);
    assert_int_equal(hcs_vhd_format(client, vhd, &err), HCS_COM_E_INVALIDARG); /* formatted already */
    assert_int_equal(hcs_vhd_mount_path(client, vhd, &volume, NULL), HCS_OK);
    assert_int_equal(strncmp(volume, "\\\\?\\Volume{", 11), 0);
    assert_int_equal(hcs_layer_init_writable(client, volume, &w->chain[2], 1, NULL), HCS_OK);
    assert_int_equal(hcs_layer_setup_base(client, w->base, NULL, HCS_BASE_LAYER_CONTAINER, NULL), HCS_OK);
    assert_true(tfs_exists(tfs_join(path, w->base, "layout", NULL)));
    assert_int_equal(hcs_layer_setup_base(client, w->base, NULL, HCS_BASE_LAYER_CONTAINER, &err),
                     HCS_WIN32_E_ALREADY_EXISTS);
    tfs_mkdir(tfs_join(uvm, w->base, "UtilityVM", NULL));
    tfs_mkdirs(uvm, "Files");
    assert_int_equal(hcs_layer_setup_base(client, uvm, vhd, HCS_BASE_LAYER_VM, NULL), HCS_OK);
    assert_true(tfs_exists(tfs_join(path, uvm, "Hives", "SYSTEM_BASE")));
    const char *profile = getenv("HCSSIM_PROFILE");
    bool before_2104 = profile && strcmp(profile, "2104") < 0 && strcmp(profile, "1809") >= 0;
    char base2[TFS_PATH];
    tfs_make_base(tfs_join(base2, w->root, "base2", NULL));
    int32_t hr = hcs_layer_setup_base_volume(client, base2, volume, HCS_BASE_LAYER_VM, &err);
    if (before_2104) { /* storage-and-network §5 #7 */
        assert_int_equal(hr, HCS_WIN32_E_PROC_NOT_FOUND);
        assert_int_equal(err.kind, HCS_ERROR_UNSUPPORTED);
    } else {
        assert_int_equal(hr, HCS_OK);
    }
    assert_int_equal(hcs_layer_destroy(client, volume, NULL), HCS_OK);
    hcs_free(volume);
    tfs_close_vhd(vhd);
    hcs_error_clear(&err);
}

/* Runs command_line in sys and returns its exit code. */
static uint32_t run_in(hcs_system sys, const char *command_line)
{
    hcs_process proc;
    hcs_process_exit exit = {0};
    assert_int_equal(hcs_process_create(sys, &(hcs_process_spec){.command_line = command_line}, HCS_TIMEOUT_DEFAULT,
                                        &proc, NULL, NULL),
                     HCS_OK);
    assert_int_equal(hcs_process_wait(proc, HCS_TIMEOUT_DEFAULT, &exit, NULL), HCS_OK);
    hcs_free(exit.document);
    hcs_process_close(proc);
    return exit.exit_code;
}

/* D: what the container wrote becomes a layer of its own, and a new
 * container runs on it. */
static void sequence_d_commit_changes(void **state)
{
    world *w = *state;
    import_image(w);
    char out[TFS_PATH], committed[TFS_PATH], path[TFS_PATH];
    assert_int_equal(hcs_layer_init_writable(client, w->scratch, w->chain, 3, NULL), HCS_OK);
    assert_int_equal(hcs_layer_attach_filter(client, w->scratch, w->chain, 3, NULL), HCS_OK);
    hcs_system writer;
    assert_int_equal(create_container(w, w->chain, 3, &writer, NULL), HCS_OK);
    assert_int_equal(hcs_system_start(writer, NULL, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    assert_int_equal(run_in(writer, "hcssim-write config.ini tuned"), 0); /* the container's change */
    assert_int_equal(hcs_system_terminate(writer, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_close(writer);
    assert_string_equal(tfs_read(tfs_join(path, w->scratch, "Files", "config.ini")), "tuned");
    tfs_mkdir(tfs_join(out, w->root, "commit-out", NULL));
    assert_int_equal(hcs_layer_export(client, w->scratch, out, w->chain, 3, true, NULL), HCS_OK);
    assert_int_equal(hcs_layer_detach_filter(client, w->scratch, NULL), HCS_OK);
    assert_int_equal(hcs_layer_destroy(client, w->scratch, NULL), HCS_OK);
    tfs_join(committed, w->root, "committed", NULL);
    assert_int_equal(hcs_layer_import(client, committed, out, w->chain, 3, NULL), HCS_OK);
    assert_string_equal(tfs_read(tfs_join(path, committed, "Files", "config.ini")), "tuned");
    /* The new image: committed on tools, app, base. */
    hcs_layer_spec image[] = {{COMMIT_ID, committed}, w->chain[0], w->chain[1], w->chain[2]};
    tfs_mkdir(w->scratch);
    assert_int_equal(hcs_layer_init_writable(client, w->scratch, image, 4, NULL), HCS_OK);
    assert_int_equal(hcs_layer_attach_filter(client, w->scratch, image, 4, NULL), HCS_OK);
    hcs_system sys;
    assert_int_equal(create_container(w, image, 4, &sys, NULL), HCS_OK);
    assert_int_equal(hcs_system_start(sys, NULL, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_close(sys);
    assert_int_equal(hcs_layer_detach_filter(client, w->scratch, NULL), HCS_OK);
}

/* The writable layer's filter: once, then detach once (§4.1 #14). */
static void filter_attach_and_detach_once(void **state)
{
    world *w = *state;
    import_image(w);
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(hcs_layer_attach_filter(client, w->scratch, w->chain, 3, &err), HCS_WIN32_E_PATH_NOT_FOUND);
    assert_int_equal(hcs_layer_init_writable(client, w->scratch, w->chain, 3, NULL), HCS_OK);
    assert_int_equal(hcs_layer_attach_filter(client, w->scratch, w->chain, 3, NULL), HCS_OK);
    assert_int_equal(hcs_layer_attach_filter(client, w->scratch, w->chain, 3, &err), HCS_WIN32_E_ALREADY_EXISTS);
    assert_int_equal(err.kind, HCS_ERROR_ALREADY_EXISTS);
    assert_int_equal(hcs_layer_detach_filter(client, w->scratch, NULL), HCS_OK);
    assert_int_equal(hcs_layer_detach_filter(client, w->scratch, &err), HCS_WIN32_E_NOT_FOUND);
    assert_int_equal(err.kind, HCS_ERROR_NOT_FOUND);
    hcs_error_clear(&err);
}

/* Overlays (CimFS): one layer, the mounted image's Files folder. */
static void overlay_on_a_files_folder(void **state)
{
    world *w = *state;
    import_image(w);
    char files[TFS_PATH];
    const hcs_layer_spec cim[] = {{APP_ID, tfs_join(files, w->app, "Files", NULL)}};
    const char *profile = getenv("HCSSIM_PROFILE");
    hcs_error err = HCS_ERROR_INIT;
    int32_t hr = hcs_layer_attach_overlay(client, w->scratch, cim, 1, HCS_FILTER_UNIONFS, &err);
    if (profile && strcmp(profile, "21H2") != 0) { /* no CimFS before 21H2 (inferred) */
        assert_int_equal(hr, HCS_WIN32_E_PROC_NOT_FOUND);
        assert_int_equal(err.kind, HCS_ERROR_UNSUPPORTED);
        hcs_error_clear(&err);
        return;
    }
    assert_int_equal(hr, HCS_OK);
    assert_int_equal(hcs_layer_detach_overlay(client, w->scratch, HCS_FILTER_WCIFS, &err), HCS_COM_E_INVALIDARG);
    assert_int_equal(hcs_layer_detach_overlay(client, w->scratch, HCS_FILTER_UNIONFS, NULL), HCS_OK);
    hcs_error_clear(&err);
}

/* The legacy writable layer: changes at the mount, hives in the folder. */
static void legacy_writable_layer_round_trip(void **state)
{
    world *w = *state;
    import_image(w);
    char hives[TFS_PATH], out[TFS_PATH], path[TFS_PATH];
    tfs_mkdir(tfs_join(hives, w->root, "hives", NULL));
    tfs_mkdir(tfs_join(out, w->root, "legacy-out", NULL));
    assert_int_equal(hcs_layer_init_legacy_writable(client, w->scratch, hives, w->chain, 3, "{}", NULL), HCS_OK);
    tfs_write(tfs_join(path, w->scratch, "Files", "l.txt"), "legacy");
    assert_int_equal(hcs_layer_export_legacy(client, w->scratch, hives, out, w->chain, 3, NULL), HCS_OK);
    assert_string_equal(tfs_read(tfs_join(path, out, "Files", "l.txt")), "legacy");
}

/* A refusal names the computestorage function that refused. */
static void errors_name_the_call(void **state)
{
    world *w = *state;
    (void)w;
    hcs_error err = HCS_ERROR_INIT;
    char missing[TFS_PATH], staging[TFS_PATH];
    tfs_make_transport(tfs_join(staging, w->root, "pull-x", NULL), "x", "x");
    tfs_join(missing, w->root, "missing-parent", NULL);
    const hcs_layer_spec parents[] = {{APP_ID, missing}};
    assert_int_equal(hcs_layer_import(client, w->app, staging, parents, 1, &err), HCS_WIN32_E_PATH_NOT_FOUND);
    assert_non_null(strstr(err.message, "HcsImportLayer"));
    hcs_error_clear(&err);
}

/* A provider without computestorage (here one with a few computecore
 * functions and no storage library beside it) fails the storage calls
 * only, as unsupported (storage-and-network §1.1). */
static void provider_without_storage(void **state)
{
    (void)state;
    hcs_client_options opts = {.provider = HCSKIT_FIXTURE_DIR "provider_partial" HCSKIT_MODULE_SUFFIX};
    hcs_client partial;
    assert_int_equal(hcs_client_open(&opts, &partial, NULL), HCS_OK);
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(hcs_layer_destroy(partial, "anything", &err), HCS_WIN32_E_PROC_NOT_FOUND);
    assert_int_equal(err.kind, HCS_ERROR_UNSUPPORTED);
    assert_non_null(strstr(err.message, "HcsDestroyLayer"));
    char *volume = NULL;
    assert_int_equal(hcs_vhd_mount_path(partial, (void *)1, &volume, &err), HCS_WIN32_E_PROC_NOT_FOUND);
    assert_null(volume);
    assert_false(hcs_client_supports(partial, "HcsImportLayer"));
    hcs_error_clear(&err);
    hcs_client_close(partial);
}

/* hcs_client_supports answers for computestorage's names as for
 * computecore's (client.h): every function on a host that has it, the
 * base OS volume only from build 2104 on (storage-and-network §5 #7). */
static void client_supports_storage_names(void **state)
{
    (void)state;
    assert_true(hcs_client_supports(client, "HcsImportLayer"));
    assert_true(hcs_client_supports(client, "HcsGetLayerVhdMountPath"));
    assert_true(hcs_client_supports(client, "HcsCreateComputeSystem"));
    const char *profile = getenv("HCSSIM_PROFILE");
    bool before_2104 = profile && strcmp(profile, "2104") < 0 && strcmp(profile, "1809") >= 0;
    assert_int_equal(hcs_client_supports(client, "HcsSetupBaseOSVolume"), !before_2104);
    assert_false(hcs_client_supports(client, "HcsImportLayerX"));
    assert_false(hcs_client_supports(client, "hcsimportlayer"));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(sequence_a_pull_and_import),
        T(sequence_b_process_isolated_scratch),
        T(sequence_c_hyperv_vhd_and_base),
        T(sequence_d_commit_changes),
        T(filter_attach_and_detach_once),
        T(overlay_on_a_files_folder),
        T(legacy_writable_layer_round_trip),
        T(errors_name_the_call),
        cmocka_unit_test(provider_without_storage),
        cmocka_unit_test_setup_teardown(client_supports_storage_names, open_client, close_client),
    };
    return cmocka_run_group_tests_name("libhcs storage", tests, NULL, NULL);
}
