/* Rates from two Statistics samples, and HCS DateTime parsing. */
#include <hcs/stats.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static hcs_Statistics *decode(hcs_schema_doc **doc, const char *json)
{
    hcs_Statistics *s = NULL;
    assert_int_equal(hcs_Statistics_decode(json, strlen(json), NULL, doc, &s, NULL), HCS_OK);
    return s;
}

static const char first[] =
    "{\"Timestamp\":\"2024-05-01T10:00:00.0000000Z\",\"Uptime100ns\":100000000,"
    "\"Processor\":{\"TotalRuntime100ns\":40000000,\"RuntimeUser100ns\":30000000,\"RuntimeKernel100ns\":10000000},"
    "\"Memory\":{\"MemoryUsageCommitBytes\":1000000,\"MemoryUsageCommitPeakBytes\":2000000,"
    "\"MemoryUsagePrivateWorkingSetBytes\":500000},"
    "\"Storage\":{\"ReadCountNormalized\":10,\"ReadSizeBytes\":4096,\"WriteCountNormalized\":0,\"WriteSizeBytes\":0}}";
/* Two seconds later: 1.5 s of processor time, +2 MB commit, 8 MiB read in 20 reads. */
static const char second[] =
    "{\"Timestamp\":\"2024-05-01T10:00:02.0000000Z\",\"Uptime100ns\":120000000,"
    "\"Processor\":{\"TotalRuntime100ns\":55000000,\"RuntimeUser100ns\":42000000,\"RuntimeKernel100ns\":13000000},"
    "\"Memory\":{\"MemoryUsageCommitBytes\":3000000,\"MemoryUsageCommitPeakBytes\":3000000,"
    "\"MemoryUsagePrivateWorkingSetBytes\":700000},"
    "\"Storage\":{\"ReadCountNormalized\":30,\"ReadSizeBytes\":8392704,\"WriteCountNormalized\":4,\"WriteSizeBytes\":"
    "512}}";

static void rates_from_two_samples(void **state)
{
    (void)state;
    hcs_schema_doc *da, *db;
    hcs_Statistics *a = decode(&da, first), *b = decode(&db, second);
    hcs_stats st;
    assert_int_equal(hcs_stats_compute(a, b, 1, &st, NULL), HCS_OK);
    assert_int_equal(st.interval_100ns, 20000000);
    assert_true(st.has_cpu && st.has_memory && st.has_storage);
    assert_float_equal(st.cpu_percent, 75.0, 1e-9); /* 1.5 s of 2 s */
    assert_float_equal(st.cpu_user_percent, 60.0, 1e-9);
    assert_float_equal(st.cpu_kernel_percent, 15.0, 1e-9);
    assert_float_equal(st.memory_commit_bytes_per_second, 1000000.0, 1e-6);
    assert_int_equal(st.memory_private_working_set_bytes, 700000);
    assert_float_equal(st.read_bytes_per_second, 4194304.0, 1e-6);
    assert_float_equal(st.read_ops_per_second, 10.0, 1e-9);
    assert_float_equal(st.write_ops_per_second, 2.0, 1e-9);
    assert_float_equal(st.write_bytes_per_second, 256.0, 1e-9);
    /* Four processors had four times the time. */
    assert_int_equal(hcs_stats_compute(a, b, 4, &st, NULL), HCS_OK);
    assert_float_equal(st.cpu_percent, 18.75, 1e-9);
    /* Shrinking commit gives a negative rate; swapped samples are refused. */
    assert_int_equal(hcs_stats_compute(b, a, 1, &st, NULL), HCS_COM_E_INVALIDARG);
    hcs_schema_doc_free(da);
    hcs_schema_doc_free(db);
}

static void timestamps_when_uptime_is_missing(void **state)
{
    (void)state;
    hcs_schema_doc *da, *db;
    hcs_Statistics *a = decode(&da, "{\"Timestamp\":\"2024-05-01T23:59:59.9999999Z\",\"Memory\":"
                                    "{\"MemoryUsageCommitBytes\":3000}}");
    hcs_Statistics *b = decode(&db, "{\"Timestamp\":\"2024-05-02T02:00:00.4999999+02:00\",\"Memory\":"
                                    "{\"MemoryUsageCommitBytes\":1000}}");
    hcs_stats st;
    assert_int_equal(hcs_stats_compute(a, b, 0, &st, NULL), HCS_OK);
    assert_int_equal(st.interval_100ns, 5000000); /* 0.5 s across midnight and a time zone */
    assert_false(st.has_cpu);
    assert_float_equal(st.memory_commit_bytes_per_second, -4000.0, 1e-9);
    hcs_schema_doc_free(da);
    hcs_schema_doc_free(db);
}

static void datetime_parsing(void **state)
{
    (void)state;
    int64_t t;
    assert_true(hcs_stats_parse_time("1601-01-01T00:00:00Z", &t));
    assert_int_equal(t, 0);
    assert_true(hcs_stats_parse_time("1970-01-01T00:00:00.1Z", &t));
    assert_int_equal(t, 116444736000000000LL + 1000000);
    assert_true(hcs_stats_parse_time("2024-02-29T12:00:00.123456789Z", &t)); /* digits past 100 ns are dropped */
    int64_t u;
    assert_true(hcs_stats_parse_time("2024-02-29T12:00:00.1234567Z", &u));
    assert_int_equal(t, u);
    assert_false(hcs_stats_parse_time("2024-02-29 12:00:00Z", &t));
    assert_false(hcs_stats_parse_time("2024-13-01T00:00:00Z", &t));
    assert_false(hcs_stats_parse_time("2024-01-01T00:00:00", &t));
    assert_false(hcs_stats_parse_time("2024-01-01T00:00:00.Z", &t));
    assert_false(hcs_stats_parse_time(NULL, &t));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rates_from_two_samples),
        cmocka_unit_test(timestamps_when_uptime_is_missing),
        cmocka_unit_test(datetime_parsing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
