/* Rates from two Statistics samples (stats.h). Counters are subtracted as
 * integers and divided once, so nothing is lost to unit conversions. */
#include "hcs/stats.h"

#include "error_internal.h"

#include <string.h>

/* ---- DateTime ----------------------------------------------------------- */

/* Reads exactly n digits. */
static bool digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++, (*p)++) {
        if (**p < '0' || **p > '9')
            return false;
        v = v * 10 + (**p - '0');
    }
    *out = v;
    return true;
}

/* Consumes c. */
static bool lit(const char **p, char c) { return *(*p)++ == c; }

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* "Z", "+hh:mm" or "-hh:mm" at the end of the text: the offset in minutes. */
static bool zone(const char *p, int *minutes)
{
    if (p[0] == 'Z' && p[1] == '\0') {
        *minutes = 0;
        return true;
    }
    int h, m;
    char sign = *p++;
    if ((sign != '+' && sign != '-') || !digits(&p, 2, &h) || !lit(&p, ':') || !digits(&p, 2, &m) || *p)
        return false;
    *minutes = (sign == '-' ? -1 : 1) * (h * 60 + m);
    return true;
}

bool hcs_stats_parse_time(const char *text, int64_t *ticks)
{
    const char *p = text;
    int y, mo, d, h, mi, s, off;
    if (!p || !ticks || !digits(&p, 4, &y) || !lit(&p, '-') || !digits(&p, 2, &mo) || !lit(&p, '-') ||
        !digits(&p, 2, &d) || !lit(&p, 'T') || !digits(&p, 2, &h) || !lit(&p, ':') || !digits(&p, 2, &mi) ||
        !lit(&p, ':') || !digits(&p, 2, &s))
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
        return false;
    int64_t fraction = 0;
    if (*p == '.') {
        int n = 0;
        for (p++; *p >= '0' && *p <= '9'; p++, n++)
            if (n < 7)
                fraction = fraction * 10 + (*p - '0');
        if (n == 0)
            return false;
        for (; n < 7; n++)
            fraction *= 10;
    }
    if (!zone(p, &off))
        return false;
    /* 1601-01-01 is 134774 days before 1970-01-01. */
    int64_t minutes = (days_from_civil(y, mo, d) + 134774) * 1440 + (int64_t)h * 60 + mi - off;
    int64_t seconds = minutes * 60 + s;
    *ticks = seconds * (int64_t)HCS_100NS_PER_SECOND + fraction;
    return true;
}

/* ---- rates -------------------------------------------------------------- */

static bool interval(const hcs_Statistics *a, const hcs_Statistics *b, uint64_t *out)
{
    if (a->has_Uptime100ns && b->has_Uptime100ns) {
        *out = b->Uptime100ns - a->Uptime100ns;
        return b->Uptime100ns > a->Uptime100ns;
    }
    int64_t ta, tb;
    if (!hcs_stats_parse_time(a->Timestamp, &ta) || !hcs_stats_parse_time(b->Timestamp, &tb) || tb <= ta)
        return false;
    *out = (uint64_t)(tb - ta);
    return true;
}

/* later - earlier of a counter, false when it went backwards. */
static bool delta(uint64_t earlier, uint64_t later, uint64_t *out)
{
    *out = later - earlier;
    return later >= earlier;
}

/* Amount per second over an interval in 100 ns units. */
static double per_second(uint64_t amount, uint64_t interval_100ns)
{
    return (double)amount * (double)HCS_100NS_PER_SECOND / (double)interval_100ns;
}

static bool cpu(const hcs_ProcessorStats *a, const hcs_ProcessorStats *b, uint64_t span, hcs_stats *out)
{
    uint64_t total, user, kernel;
    if (!delta(a->TotalRuntime100ns, b->TotalRuntime100ns, &total) ||
        !delta(a->RuntimeUser100ns, b->RuntimeUser100ns, &user) ||
        !delta(a->RuntimeKernel100ns, b->RuntimeKernel100ns, &kernel))
        return false;
    /* Runtime and interval are both in 100 ns: their ratio has no unit. */
    out->cpu_percent = 100.0 * (double)total / (double)span;
    out->cpu_user_percent = 100.0 * (double)user / (double)span;
    out->cpu_kernel_percent = 100.0 * (double)kernel / (double)span;
    out->has_cpu = true;
    return true;
}

static bool storage(const hcs_StorageStats *a, const hcs_StorageStats *b, uint64_t span, hcs_stats *out)
{
    uint64_t rb, wb, rc, wc;
    if (!delta(a->ReadSizeBytes, b->ReadSizeBytes, &rb) || !delta(a->WriteSizeBytes, b->WriteSizeBytes, &wb) ||
        !delta(a->ReadCountNormalized, b->ReadCountNormalized, &rc) ||
        !delta(a->WriteCountNormalized, b->WriteCountNormalized, &wc))
        return false;
    out->read_bytes_per_second = per_second(rb, span);
    out->write_bytes_per_second = per_second(wb, span);
    out->read_ops_per_second = per_second(rc, span);
    out->write_ops_per_second = per_second(wc, span);
    out->has_storage = true;
    return true;
}

static void memory(const hcs_MemoryStats *a, const hcs_MemoryStats *b, uint64_t span, hcs_stats *out)
{
    out->has_memory = true;
    out->memory_commit_bytes = b->MemoryUsageCommitBytes;
    out->memory_commit_peak_bytes = b->MemoryUsageCommitPeakBytes;
    out->memory_private_working_set_bytes = b->MemoryUsagePrivateWorkingSetBytes;
    if (!a)
        return;
    bool grew = b->MemoryUsageCommitBytes >= a->MemoryUsageCommitBytes;
    uint64_t change = grew ? b->MemoryUsageCommitBytes - a->MemoryUsageCommitBytes
                           : a->MemoryUsageCommitBytes - b->MemoryUsageCommitBytes;
    out->memory_commit_bytes_per_second = (grew ? 1 : -1) * per_second(change, span);
}

int32_t hcs_stats_compute(const hcs_Statistics *earlier, const hcs_Statistics *later, uint32_t processor_count,
                          hcs_stats *out, hcs_error *err)
{
    static const char call[] = "hcs_stats_compute";
    if (!earlier || !later || !out)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, call, "missing sample or output");
    memset(out, 0, sizeof *out);
    if (!interval(earlier, later, &out->interval_100ns))
        return hcs__fail(err, HCS_COM_E_INVALIDARG, call, "the samples are not in order (Uptime100ns/Timestamp)");
    /* The processors' combined time over the interval. */
    uint64_t span = out->interval_100ns * (processor_count ? processor_count : 1);
    if (earlier->Processor && later->Processor && !cpu(earlier->Processor, later->Processor, span, out))
        return hcs__fail(err, HCS_COM_E_INVALIDARG, call, "processor time went backwards");
    if (earlier->Storage && later->Storage && !storage(earlier->Storage, later->Storage, out->interval_100ns, out))
        return hcs__fail(err, HCS_COM_E_INVALIDARG, call, "storage counters went backwards");
    if (later->Memory)
        memory(earlier->Memory, later->Memory, out->interval_100ns, out);
    return hcs__succeed(err);
}
