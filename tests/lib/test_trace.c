/* The trace: every computecore call libhcs makes for the caller, the
 * synchronous ones too (open, service, cancel), arrives once with its
 * system, operation, outcome and documents. */
#include "lib_helpers.h"

enum { MAX_RECORDS = 64 };

typedef struct recorded {
    char call[48];
    hcs_system system;
    uint64_t operation_id;
    int32_t hr;
    char *input;
    char *output;
} recorded;

static struct {
    hcs_mutex mu;
    int count;
    int status_checks; /* libhcs's own status query of each new process handle */
    recorded r[MAX_RECORDS];
} rec;

static void record(const hcs_trace_record *r, void *user)
{
    (void)user;
    hcs__mutex_lock(&rec.mu);
    /* A new process handle is asked for its status once, asynchronously
     * (docs/threading.md, rule 5): counted apart, since it may come at any
     * point of the sequence. */
    if (strcmp(r->call, "HcsGetProcessProperties") == 0) {
        rec.status_checks++;
        hcs__mutex_unlock(&rec.mu);
        return;
    }
    if (rec.count < MAX_RECORDS) {
        recorded *out = &rec.r[rec.count];
        snprintf(out->call, sizeof out->call, "%s", r->call);
        out->system = r->system;
        out->operation_id = r->operation_id;
        out->hr = r->hr;
        out->input = r->input ? strdup(r->input) : NULL;
        out->output = r->output ? strdup(r->output) : NULL;
    }
    rec.count++;
    hcs__mutex_unlock(&rec.mu);
}

static int count(void)
{
    hcs__mutex_lock(&rec.mu);
    int n = rec.count;
    hcs__mutex_unlock(&rec.mu);
    return n;
}

static int forget(void **state)
{
    (void)state;
    hcs__mutex_lock(&rec.mu);
    for (int i = 0; i < rec.count && i < MAX_RECORDS; i++) {
        free(rec.r[i].input);
        free(rec.r[i].output);
    }
    memset(rec.r, 0, sizeof rec.r);
    rec.count = 0;
    rec.status_checks = 0;
    hcs__mutex_unlock(&rec.mu);
    hcssim_set_faults(NULL, NULL, 0);
    return 0;
}

/* lib_helpers.h's client, with the trace. */
static int open_traced(void **state)
{
    hcs__mutex_init(&rec.mu);
    hcs_client_options opts = {.provider = TEST_PROVIDER, .trace = record};
    (void)open_client;
    (void)state;
    return hcs_client_open(&opts, &client, NULL) == HCS_OK ? 0 : -1;
}

static int close_traced(void **state)
{
    close_client(state);
    forget(state);
    hcs__mutex_destroy(&rec.mu);
    return 0;
}

/* Record i: its call, system and outcome. */
static recorded *nth(int i, const char *call, hcs_system sys, int32_t hr)
{
    assert_true(count() > i);
    recorded *r = &rec.r[i];
    assert_string_equal(r->call, call);
    assert_int_equal(r->system.id, sys.id);
    assert_int_equal(r->hr, hr);
    return r;
}

static void service_calls(void **state)
{
    (void)state;
    char *doc = NULL;
    hcs_system none = {0};
    assert_int_equal(hcs_service_properties_json(client, "{\"PropertyTypes\":[\"Basic\"]}", &doc, NULL), HCS_OK);
    recorded *r = nth(0, "HcsGetServiceProperties", none, HCS_OK);
    assert_non_null(strstr(r->input, "Basic"));
    assert_non_null(strstr(r->output, "SupportedSchemaVersions"));
    hcs_free(doc);
    const char *group = "{\"PropertyType\":\"CpuGroup\",\"Settings\":{\"Operation\":\"CreateGroup\","
                        "\"OperationDetails\":{\"GroupId\":\"GUID\"}}}";
    int32_t hr = hcs_service_modify(client, group, NULL);
    assert_true(HCS_FAILED(hr));
    r = nth(1, "HcsModifyServiceSettings", none, hr);
    assert_non_null(strstr(r->input, "CpuGroup"));
    assert_non_null(r->output); /* the ResultError */
    assert_int_equal(count(), 2);
}

/* Create, open and every call on a system carry its handle; a handle made
 * by the call is in its own record. */
static void system_calls_carry_the_system(void **state)
{
    (void)state;
    const char *id = unique_id("traced");
    hcs_system sys, opened, none = {0};
    assert_int_equal(hcs_system_create(client, &(hcs_system_spec){.id = id, .config_json = CONTAINER},
                                       HCS_TIMEOUT_DEFAULT, &sys, NULL),
                     HCS_OK);
    recorded *r = nth(0, "HcsCreateComputeSystem", sys, HCS_OK);
    assert_true(r->operation_id != 0);
    assert_non_null(strstr(r->input, "Container"));
    assert_int_equal(hcs_system_start(sys, NULL, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    nth(1, "HcsStartComputeSystem", sys, HCS_OK);
    assert_int_equal(hcs_system_open(client, id, &opened, NULL), HCS_OK);
    assert_true(opened.id != sys.id);
    r = nth(2, "HcsOpenComputeSystem", opened, HCS_OK);
    assert_int_equal(r->operation_id, 0);
    hcs_system missing;
    int32_t hr = hcs_system_open(client, "no-such-system", &missing, NULL);
    assert_true(HCS_FAILED(hr));
    nth(3, "HcsOpenComputeSystem", none, hr);
    char *props = NULL;
    assert_int_equal(hcs_system_properties_json(opened, NULL, HCS_TIMEOUT_DEFAULT, &props, NULL), HCS_OK);
    r = nth(4, "HcsGetComputeSystemProperties", opened, HCS_OK);
    assert_non_null(strstr(r->output, "Running"));
    hcs_free(props);
    assert_int_equal(hcs_system_enumerate_json(client, NULL, HCS_TIMEOUT_DEFAULT, &props, NULL), HCS_OK);
    nth(5, "HcsEnumerateComputeSystems", none, HCS_OK);
    hcs_free(props);
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    nth(6, "HcsTerminateComputeSystem", sys, HCS_OK);
    assert_int_equal(count(), 7);
    hcs_system_close(opened);
    hcs_system_close(sys);
}

/* Process calls carry the system the process runs in. */
static void process_calls_carry_their_system(void **state)
{
    (void)state;
    hcs_system sys = running_system("traced-proc", CONTAINER);
    forget(state);
    hcs_env_var env[] = {{"DB_CONN", "Server=db;Password=Env-Secret-1"}};
    hcs_process_spec spec = {.command_line = "ping -n 1000 127.0.0.1", .env = env, .env_count = 1};
    hcs_process proc, again;
    assert_int_equal(hcs_process_create(sys, &spec, HCS_TIMEOUT_DEFAULT, &proc, NULL, NULL), HCS_OK);
    recorded *r = nth(0, "HcsCreateProcess", sys, HCS_OK);
    assert_non_null(strstr(r->input, "ping"));
    assert_non_null(strstr(r->input, "DB_CONN")); /* the environment's names stay, its values do not */
    assert_null(strstr(r->input, "Env-Secret-1"));
    assert_int_equal(hcs_process_open(sys, hcs_process_pid(proc), &again, NULL), HCS_OK);
    nth(1, "HcsOpenProcess", sys, HCS_OK);
    assert_int_equal(hcs_process_kill(again, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    nth(2, "HcsTerminateProcess", sys, HCS_OK);
    assert_int_equal(count(), 3);
    uint64_t guard = hcs__clock_ms() + 10000; /* a hang guard */
    int checks = 0;
    while (checks < 2 && hcs__clock_ms() < guard) {
        hcs__sleep_ms(10);
        hcs__mutex_lock(&rec.mu);
        checks = rec.status_checks;
        hcs__mutex_unlock(&rec.mu);
    }
    assert_int_equal(checks, 2); /* one per process handle */
    hcs_process_close(again);
    hcs_process_close(proc);
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_close(sys);
}

/* Cancelling is a call of its own, on the request's system and operation. */
static void cancel(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    latch l;
    latch_init(&l);
    hcs_system sys = running_system("traced-cancel", CONTAINER);
    forget(state);
    assert_int_equal(
        hcssim_set_faults("{\"faults\":[{\"call\":\"HcsGetComputeSystemProperties\",\"never\":true}]}", NULL, 0), 0);
    hcs_async how = {.callback = record_result, .user_data = &l, .timeout_ms = HCS_TIMEOUT_INFINITE};
    hcs_op op;
    assert_int_equal(hcs_system_properties_async(sys, NULL, &how, &op, NULL), HCS_OK);
    int32_t hr = hcs_op_cancel(op, NULL);
    recorded *r = nth(0, "HcsCancelOperation", sys, hr);
    assert_true(r->operation_id != 0);
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK); /* ends the parked call */
    assert_int_equal(latch_wait(&l, 1), 1);
    hcs_system_close(sys);
    uint64_t until = hcs__clock_ms() + 10000;
    while (count() < 3 && hcs__clock_ms() < until)
        hcs__sleep_ms(5);
    assert_int_equal(count(), 3); /* cancel, terminate, the properties call's end */
    for (int i = 1; i < 3; i++)
        assert_int_equal(rec.r[i].system.id, sys.id);
    latch_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(service_calls, forget),
        cmocka_unit_test_setup(system_calls_carry_the_system, forget),
        cmocka_unit_test_setup(process_calls_carry_their_system, forget),
        cmocka_unit_test_setup(cancel, forget),
    };
    return cmocka_run_group_tests_name("libhcs trace", tests, open_traced, close_traced);
}
