/* Rates from two Statistics samples (HcsGetComputeSystemProperties with
 * PropertyTypes ["Statistics"]): CPU use in percent, memory and storage
 * rates per second. HCS counts time in 100 ns units; a second is 10^7 of
 * them. */
#ifndef HCS_STATS_H
#define HCS_STATS_H

#include "schema.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HCS_100NS_PER_SECOND 10000000ull

typedef struct hcs_stats {
    /* Time between the samples, in 100 ns units: the difference of
     * Uptime100ns, or of Timestamp when Uptime100ns is missing. */
    uint64_t interval_100ns;
    bool has_cpu; /* both samples had Processor */
    /* Processor time used in the interval, as a percentage of the time
     * `processor_count` processors had: 100 means all of them were busy. */
    double cpu_percent, cpu_user_percent, cpu_kernel_percent;
    bool has_memory; /* the later sample had Memory */
    uint64_t memory_commit_bytes, memory_commit_peak_bytes, memory_private_working_set_bytes; /* later sample */
    double memory_commit_bytes_per_second; /* negative when commit shrank */
    bool has_storage;                      /* both samples had Storage */
    double read_bytes_per_second, write_bytes_per_second;
    double read_ops_per_second, write_ops_per_second; /* normalized counts */
} hcs_stats;

/* Computes *out from two samples of the same system, `earlier` taken first.
 * processor_count 0 counts as 1. Fails with HCS_COM_E_INVALIDARG when the
 * interval is not positive or a counter went backwards (the system
 * restarted between the samples). */
HCS_API int32_t hcs_stats_compute(const hcs_Statistics *earlier, const hcs_Statistics *later, uint32_t processor_count,
                                  hcs_stats *out, hcs_error *err);

/* Parses an HCS DateTime ("2024-05-01T10:00:00.1234567Z", any fraction
 * length up to 7 digits, Z or +hh:mm / -hh:mm) into 100 ns units since
 * 1601-01-01 UTC (the Windows FILETIME epoch). Returns false if malformed
 * or when text or ticks is NULL. */
HCS_API bool hcs_stats_parse_time(const char *text, int64_t *ticks);

#ifdef __cplusplus
}
#endif

#endif
