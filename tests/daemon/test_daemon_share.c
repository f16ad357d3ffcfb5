/* Two programs share one simulated host through hcssimd (docs/hcssimd.md):
 * a system made by this test (libhcs, HCS_PROVIDER=hcssimd) is found,
 * opened, used and stopped by another program written against computecore.h
 * alone (daemon_peer), and one that program made and left behind is used
 * here. The daemon is the ctest fixture's (HCSSIM_SOCKET). */
#include "daemon_helpers.h"

static hcs_client client;

static int setup(void **state)
{
    (void)state;
    client = open_daemon_client();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hcs_client_close(client);
    return 0;
}

/* Made here; listed, opened, run in and shut down there; the exit is seen
 * here, as on one host. */
static void made_here_used_there(void **state)
{
    (void)state;
    const char *id = unique_id("here");
    hcs_system sys = running_system(client, id);
    test_proc peer = peer_start("share", id, NULL);
    assert_int_equal(peer_wait(peer), 0);
    hcs_system_exit ex;
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(hcs_system_wait(sys, 10000, &ex, &err), HCS_OK);
    assert_string_equal(ex.exit_type, "GracefulExit");
    hcs_free(ex.document);
    char *list = NULL;
    assert_int_equal(hcs_system_enumerate_json(client, NULL, 10000, &list, NULL), HCS_OK);
    assert_null(strstr(list, id));
    hcs_free(list);
    hcs_system_close(sys);
}

/* Made there by a program that then left: the system stays (host state,
 * docs/hcssimd.md) and is opened and used here. */
static void made_there_used_here(void **state)
{
    (void)state;
    const char *id = unique_id("there");
    test_proc peer = peer_start("create", id, NULL);
    assert_int_equal(peer_wait(peer), 0);
    hcs_system sys;
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(hcs_system_open(client, id, &sys, &err), HCS_OK);
    char *props = NULL;
    assert_int_equal(hcs_system_properties_json(sys, NULL, 10000, &props, NULL), HCS_OK);
    assert_non_null(strstr(props, "\"State\":\"Running\""));
    hcs_free(props);
    hcs_process_spec spec = {.command_line = "cmd /c echo from here", .create_stdout = true};
    hcs_process proc;
    hcs_stdio io;
    assert_int_equal(hcs_process_create(sys, &spec, 10000, &proc, &io, &err), HCS_OK);
    /* The stdio handle is the pipe itself, passed by the daemon (SCM_RIGHTS;
     * on Windows duplicated into this process): the output does not go
     * through the daemon. */
#ifdef _WIN32
    assert_int_equal(GetFileType((HANDLE)io.out), FILE_TYPE_PIPE);
#else
    struct stat st;
    assert_int_equal(fstat((int)io.out, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
#endif
    hcs_output out;
    hcs_process_exit pex;
    assert_int_equal(hcs_process_collect(proc, &io, 1 << 16, 10000, 2000, &out, &pex, &err), HCS_OK);
    assert_string_equal(out.out, "from here\r\n");
    assert_int_equal(pex.exit_code, 0);
    hcs_free(pex.document);
    hcs_output_clear(&out);
    hcs_process_close(proc);
    assert_int_equal(hcs_system_terminate(sys, 10000, &err), HCS_OK);
    hcs_system_close(sys);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(made_here_used_there),
        cmocka_unit_test(made_there_used_here),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
