/* libhcs typed properties and statistics over hcssim (hcs/properties.h,
 * hcs/stats.h): two samples around known guest activity give exact rates. */
#include "lib_helpers.h"

static void typed_properties(void **state)
{
    (void)state;
    hcs_system sys = running_system("typed", CONTAINER);
    hcs_schema_doc *doc = NULL;
    hcs_Properties *props = NULL;
    assert_int_equal(hcs_system_properties(sys, NULL, HCS_TIMEOUT_DEFAULT, &doc, &props, NULL), HCS_OK);
    assert_string_equal(props->Id, props->Name);
    assert_string_equal(props->Owner, "libtests");
    assert_int_equal(props->State.value, HCS_State_Running);
    hcs_schema_doc_free(doc);
    hcs_error err = {0};
    assert_int_equal(
        hcs_system_properties(sys, "{\"PropertyTypes\":[\"Nope\"]}", HCS_TIMEOUT_DEFAULT, &doc, &props, &err),
        HCS_E_INVALID_JSON);
    assert_null(doc);
    assert_null(props);
    hcs_error_clear(&err);
    assert_int_equal(hcs_system_properties(sys, NULL, HCS_TIMEOUT_DEFAULT, NULL, &props, NULL), HCS_COM_E_POINTER);
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_close(sys);
}

/* Enumerate, typed: one Properties per system (hcs-api §2.2, §8.4), in the
 * order and with the filters of the JSON form. */
static void typed_enumerate(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("container documents of its own (no layers)");
    char id_a[48], id_b[48];
    snprintf(id_a, sizeof id_a, "%s", unique_id("enum-a"));
    snprintf(id_b, sizeof id_b, "%s", unique_id("enum-b"));
    const char *config = "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Owner\":\"typed-enum\",\"Container\":{}}";
    hcs_system a, b;
    assert_int_equal(
        hcs_system_create(client, &(hcs_system_spec){.id = id_a, .config_json = config}, HCS_TIMEOUT_DEFAULT, &a, NULL),
        HCS_OK);
    assert_int_equal(
        hcs_system_create(client, &(hcs_system_spec){.id = id_b, .config_json = config}, HCS_TIMEOUT_DEFAULT, &b, NULL),
        HCS_OK);
    assert_int_equal(hcs_system_start(b, NULL, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);

    hcs_schema_doc *doc = NULL;
    hcs_Properties *items = NULL;
    size_t count = 0;
    assert_int_equal(
        hcs_system_enumerate(client, "{\"Owners\":[\"typed-enum\"]}", HCS_TIMEOUT_DEFAULT, &doc, &items, &count, NULL),
        HCS_OK);
    assert_int_equal(count, 2);
    bool seen_a = false, seen_b = false;
    for (size_t i = 0; i < count; i++) {
        assert_string_equal(items[i].Owner, "typed-enum");
        assert_int_equal(items[i].SystemType.value, HCS_SystemType_Container);
        if (strcmp(items[i].Id, id_a) == 0) {
            seen_a = true;
            assert_int_equal(items[i].State.value, HCS_State_Created);
        } else if (strcmp(items[i].Id, id_b) == 0) {
            seen_b = true;
            assert_int_equal(items[i].State.value, HCS_State_Running);
        }
    }
    assert_true(seen_a && seen_b);
    hcs_schema_doc_free(doc);

    /* No match: an empty list, not a failure. */
    assert_int_equal(hcs_system_enumerate(client, "{\"Owners\":[\"nobody-owns-this\"]}", HCS_TIMEOUT_DEFAULT, &doc,
                                          &items, &count, NULL),
                     HCS_OK);
    assert_int_equal(count, 0);
    assert_non_null(items);
    assert_non_null(doc);
    hcs_schema_doc_free(doc);

    /* A query HCS refuses: its code and ResultError, nothing typed. */
    hcs_error err = {0};
    count = 5;
    assert_int_equal(
        hcs_system_enumerate(client, "{\"Colours\":[\"red\"]}", HCS_TIMEOUT_DEFAULT, &doc, &items, &count, &err),
        HCS_E_INVALID_JSON);
    assert_null(doc);
    assert_null(items);
    assert_int_equal(count, 0);
    assert_non_null(err.result);
    hcs_error_clear(&err);

    assert_int_equal(hcs_system_terminate(a, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    assert_int_equal(hcs_system_terminate(b, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_close(a);
    hcs_system_close(b);
    /* Exited systems are cleaned up and no longer listed (hcs-api §11 #25). */
    assert_int_equal(
        hcs_system_enumerate(client, "{\"Owners\":[\"typed-enum\"]}", HCS_TIMEOUT_DEFAULT, &doc, &items, &count, NULL),
        HCS_OK);
    assert_int_equal(count, 0);
    hcs_schema_doc_free(doc);
}

static void run_to_exit(hcs_system sys, const char *command_line)
{
    hcs_process_spec spec = {.command_line = command_line};
    hcs_process p;
    assert_int_equal(hcs_process_create(sys, &spec, HCS_TIMEOUT_DEFAULT, &p, NULL, NULL), HCS_OK);
    assert_int_equal(hcs_process_wait(p, HCS_TIMEOUT_INFINITE, NULL, NULL), HCS_OK);
    hcs_process_close(p);
}

/* The guest burns 400 ms of CPU and writes 8 MiB between the samples: the
 * rates follow from the counters, whatever the wall time was. */
static void statistics_and_rates(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its guest programs hcssim-burn and hcssim-storage");
    hcs_system sys = running_system("stats", CONTAINER);
    hcs_schema_doc *d1 = NULL, *d2 = NULL;
    hcs_Statistics *s1 = NULL, *s2 = NULL;
    assert_int_equal(hcs_system_statistics(sys, HCS_TIMEOUT_DEFAULT, &d1, &s1, NULL), HCS_OK);
    run_to_exit(sys, "hcssim-burn 400");
    run_to_exit(sys, "hcssim-storage 0 8388608");
    assert_int_equal(hcs_system_statistics(sys, HCS_TIMEOUT_DEFAULT, &d2, &s2, NULL), HCS_OK);
    assert_int_equal(s2->Processor->TotalRuntime100ns - s1->Processor->TotalRuntime100ns, 4000000);
    assert_int_equal(s2->Storage->WriteSizeBytes - s1->Storage->WriteSizeBytes, 8388608);
    hcs_stats rates;
    assert_int_equal(hcs_stats_compute(s1, s2, 1, &rates, NULL), HCS_OK);
    assert_true(rates.interval_100ns >= 4000000); /* at least the burn's sleep */
    /* cpu percent = 400 ms of CPU over the interval, exactly */
    double want = 100.0 * 4000000.0 / (double)rates.interval_100ns;
    assert_true(rates.cpu_percent > want - 1e-9 && rates.cpu_percent < want + 1e-9);
    hcs_schema_doc_free(d1);
    hcs_schema_doc_free(d2);
    hcs_process_spec spec = {.command_line = "ping -n 100 127.0.0.1"};
    hcs_process p;
    assert_int_equal(hcs_process_create(sys, &spec, HCS_TIMEOUT_DEFAULT, &p, NULL, NULL), HCS_OK);
    hcs_schema_doc *pd = NULL;
    hcs_ProcessStatus *st = NULL;
    assert_int_equal(hcs_process_properties(p, HCS_TIMEOUT_DEFAULT, &pd, &st, NULL), HCS_OK);
    assert_int_equal(st->ProcessId, hcs_process_pid(p));
    assert_false(st->Exited);
    hcs_schema_doc_free(pd);
    hcs_process_close(p);
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_close(sys);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(typed_properties),
        cmocka_unit_test(typed_enumerate),
        cmocka_unit_test(statistics_and_rates),
    };
    return cmocka_run_group_tests(tests, open_client, close_client);
}
