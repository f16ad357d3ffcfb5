/* The benchmark harness (make bench, docs/performance.md): clocks, samples
 * and their statistics, the result rows with their targets, and what every
 * group shares (the client on the simulator, the raw computecore ABI of the
 * same simulator, strings in UTF-16).
 *
 * Every row compares a value with a baseline measured in the same run, so
 * a machine that is slower or busier than usual moves both. Rows are
 * collected in memory and written at the end: a table on stdout, the CSV
 * (benchmark,metric,value,baseline,ratio,target,met) and the scaling chart.
 * POSIX only: the raw baselines run on the simulator linked in, which a
 * Windows build reaches only through the DLL. */
#ifndef HCSKIT_BENCH_HARNESS_H
#define HCSKIT_BENCH_HARNESS_H

#include <hcs/computecore.h>
#include <hcs/hcs.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- clocks ---------------------------------------------------------------- */

/* Microseconds of the monotonic clock. */
double bench_now_us(void);
/* Microseconds of CPU time used by the whole process (every thread). */
double bench_cpu_us(void);
/* Context switches of the whole process so far (every thread, voluntary
 * and involuntary). */
double bench_switches(void);

/* ---- samples ----------------------------------------------------------------- */

/* A growing array of measurements (microseconds unless said otherwise). */
typedef struct bench_samples {
    double *v;
    size_t n, cap;
} bench_samples;

void bench_samples_add(bench_samples *s, double x);
/* The p-th percentile (0 <= p <= 100, nearest rank) of the samples; sorts
 * them. 0 for no samples. */
double bench_samples_pct(bench_samples *s, double p);
void bench_samples_clear(bench_samples *s);
void bench_samples_free(bench_samples *s);
/* The median of n values (reorders them). */
double bench_median(double *v, size_t n);

/* ---- rows -------------------------------------------------------------------- */

/* What a row is held to. The ratio is value / baseline. */
typedef enum bench_target_kind {
    BENCH_REPORTED,       /* no target: the row reports (met is always yes) */
    BENCH_RATIO_AT_MOST,  /* ratio <= limit */
    BENCH_RATIO_AT_LEAST, /* ratio >= limit */
    BENCH_VALUE_AT_MOST,  /* value <= limit, in the row's unit */
} bench_target_kind;

typedef struct bench_target {
    bench_target_kind kind;
    double limit;
    const char *unit; /* BENCH_VALUE_AT_MOST: the unit written after the limit ("us", "B") */
} bench_target;

#define BENCH_NO_TARGET ((bench_target){BENCH_REPORTED, 0, NULL})
#define BENCH_AT_MOST_X(x) ((bench_target){BENCH_RATIO_AT_MOST, (x), NULL})
#define BENCH_AT_LEAST_X(x) ((bench_target){BENCH_RATIO_AT_LEAST, (x), NULL})
#define BENCH_AT_MOST(x, unit) ((bench_target){BENCH_VALUE_AT_MOST, (x), (unit)})

/* A baseline that does not exist (the row has no ratio). */
#define BENCH_NO_BASELINE (-1.0)

/* Records one row. name starts with its group (overhead_, async_, ...);
 * metric says what value and baseline are, unit included, without commas
 * ("us p50", "ops/s", "MB/s"); baseline is BENCH_NO_BASELINE when there is
 * none. */
void bench_row(const char *name, const char *metric, double value, double baseline, bench_target target);

/* ---- the scaling chart ------------------------------------------------------- */

/* One point of a scaling series: per-item microseconds at a count. */
void bench_scale_point(const char *series, double count, double us_per_item);

/* The points recorded, up to max, in the order recorded; returns how many. */
size_t bench_points(const char **series, double *count, double *us, size_t max);
/* Writes the SVG chart of the recorded points to path (chart.c). */
void bench_write_chart(const char *path);

/* ---- the run ----------------------------------------------------------------- */

typedef struct bench_run {
    bool quick;          /* BENCH_QUICK=1 or --quick: seconds, not minutes */
    int repetitions;     /* of each measured block; rows report the median */
    const char *out_dir; /* where results.csv and the chart go */
    const char *bin_dir; /* where this program and hcssimd are */
    hcs_client client;   /* libhcs on the simulator linked into this program */
} bench_run;

extern bench_run bench;

/* Picks the full or quick size. */
static inline long bench_size(long full, long quick) { return bench.quick ? quick : full; }

/* Prints the table and writes results.csv and the chart into out_dir. */
void bench_finish(void);

/* Prints a line of progress to stderr (the table goes to stdout). */
void bench_note(const char *fmt, ...);

/* Stops the program with a message: a benchmark that cannot run its
 * calls has nothing true to report. */
_Noreturn void bench_fail(const char *fmt, ...);

/* Checks a libhcs or computecore result, failing the run on an error. */
void bench_check(int32_t hr, const char *what);

/* ---- shared helpers ---------------------------------------------------------- */

/* A UTF-16 copy of s (free with hcs_free). */
uint16_t *bench_w(const char *s);

/* A container document for the scale and overhead runs; with
 * ShouldTerminateOnLastHandleClosed, closing the last handle removes the
 * system (hcs-api §11 #26), so no run leaves systems behind. */
#define BENCH_CONTAINER                                                                                                \
    "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Owner\":\"hcsbench\",\"ShouldTerminateOnLastHandleClosed\":true,"  \
    "\"Container\":{}}"

/* A unique system id: prefix-<counter>. */
void bench_id(char *out, size_t size, const char *prefix);

/* A raw operation waited for with HcsWaitForOperationResult; fails the run
 * on an error. The result document, when wanted, is the caller's (LocalFree). */
void bench_raw_wait(HCS_OPERATION op, PWSTR *doc, const char *what);

/* ---- allocation counting (alloc_count.c) --------------------------------------- */

/* Allocations made so far by the whole process (malloc, calloc, realloc,
 * the aligned forms) while counting was on. */
uint64_t bench_allocs(void);
/* Switches counting on or off (off at start: counting costs an atomic
 * increment per allocation, which would tilt other comparisons). */
void bench_alloc_counting(bool on);
/* Heap bytes in use by the whole process right now. */
size_t bench_heap_bytes(void);
/* Prepares the counter; may re-execute the program with the counting
 * library preloaded (argv as given to main). */
void bench_alloc_setup(char **argv);

/* ---- pending calls (bench_memory.c) ------------------------------------------- */

typedef struct bench_pending_result {
    double bytes;    /* heap bytes per pending call (simulator included) */
    double first_us; /* microseconds per kickoff over the first tenth of the calls */
    double last_us;  /* ... over the last tenth, with nine tenths pending */
} bench_pending_result;

/* Starts n properties queries that the simulator leaves pending, raw or
 * through libhcs (with the client's default deadline, to a queue), then
 * fails them all by terminating their system and drains them. */
void bench_pending(bool raw, long n, bench_pending_result *out);

/* ---- the groups -------------------------------------------------------------- */

void bench_overhead(void);
void bench_async(void);
void bench_event(void);
void bench_codec(void);
void bench_scale(void);
void bench_memory(void);
void bench_daemon(void);

#endif
