/* The harness's clocks, samples, rows and outputs (harness.h). */
#define _GNU_SOURCE
#include "harness.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

bench_run bench;

/* ---- clocks ---------------------------------------------------------------- */

static double clock_us(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

double bench_now_us(void) { return clock_us(CLOCK_MONOTONIC); }
double bench_cpu_us(void) { return clock_us(CLOCK_PROCESS_CPUTIME_ID); }

double bench_switches(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_nvcsw + (double)ru.ru_nivcsw;
}

/* ---- samples ----------------------------------------------------------------- */

void bench_samples_add(bench_samples *s, double x)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        double *v = realloc(s->v, cap * sizeof *v);
        if (!v)
            bench_fail("out of memory");
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = x;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bench_samples_pct(bench_samples *s, double p)
{
    if (s->n == 0)
        return 0;
    qsort(s->v, s->n, sizeof *s->v, cmp_double);
    size_t rank = (size_t)ceil(p / 100.0 * (double)s->n);
    return s->v[rank ? rank - 1 : 0];
}

void bench_samples_clear(bench_samples *s) { s->n = 0; }

void bench_samples_free(bench_samples *s)
{
    free(s->v);
    memset(s, 0, sizeof *s);
}

double bench_median(double *v, size_t n)
{
    bench_samples s = {.v = v, .n = n, .cap = n};
    return bench_samples_pct(&s, 50);
}

/* ---- rows -------------------------------------------------------------------- */

typedef struct row {
    char name[64];
    char metric[64];
    double value, baseline;
    bench_target target;
} row;

static row *rows;
static size_t row_count, row_cap;

void bench_row(const char *name, const char *metric, double value, double baseline, bench_target target)
{
    if (row_count == row_cap) {
        row_cap = row_cap ? row_cap * 2 : 64;
        rows = realloc(rows, row_cap * sizeof *rows);
        if (!rows)
            bench_fail("out of memory");
    }
    row *r = &rows[row_count++];
    snprintf(r->name, sizeof r->name, "%s", name);
    snprintf(r->metric, sizeof r->metric, "%s", metric);
    r->value = value;
    r->baseline = baseline;
    r->target = target;
    if (baseline > 0)
        bench_note("  %-40s %12.4g (baseline %.4g)", name, value, baseline);
    else
        bench_note("  %-40s %12.4g", name, value);
}

static bool has_ratio(const row *r) { return r->baseline > 0; }

static double ratio(const row *r) { return has_ratio(r) ? r->value / r->baseline : 0; }

static bool met(const row *r)
{
    switch (r->target.kind) {
    case BENCH_RATIO_AT_MOST:
        return has_ratio(r) && ratio(r) <= r->target.limit;
    case BENCH_RATIO_AT_LEAST:
        return has_ratio(r) && ratio(r) >= r->target.limit;
    case BENCH_VALUE_AT_MOST:
        return r->value <= r->target.limit;
    case BENCH_REPORTED:
        break;
    }
    return true;
}

/* The target as written in the CSV and the table: "<=1.15x", ">=0.85x",
 * "<=1000us", or "-". */
static void target_text(const bench_target *t, char *out, size_t size)
{
    switch (t->kind) {
    case BENCH_RATIO_AT_MOST:
        snprintf(out, size, "<=%gx", t->limit);
        return;
    case BENCH_RATIO_AT_LEAST:
        snprintf(out, size, ">=%gx", t->limit);
        return;
    case BENCH_VALUE_AT_MOST:
        snprintf(out, size, "<=%g%s", t->limit, t->unit ? t->unit : "");
        return;
    case BENCH_REPORTED:
        break;
    }
    snprintf(out, size, "-");
}

/* A number for the CSV: plain decimal, enough digits, no exponent for the
 * magnitudes that occur (a reader of the CSV needs no float parser with
 * exponents). */
static void number_text(double x, char *out, size_t size)
{
    if (x != 0 && fabs(x) < 0.01)
        snprintf(out, size, "%.6f", x);
    else
        snprintf(out, size, "%.3f", x);
}

static void write_csv(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        bench_fail("cannot write %s", path);
    fprintf(f, "benchmark,metric,value,baseline,ratio,target,met\n");
    for (size_t i = 0; i < row_count; i++) {
        const row *r = &rows[i];
        char value[32], baseline[32] = "-", rat[32] = "-", target[32];
        number_text(r->value, value, sizeof value);
        if (has_ratio(r)) {
            number_text(r->baseline, baseline, sizeof baseline);
            number_text(ratio(r), rat, sizeof rat);
        }
        target_text(&r->target, target, sizeof target);
        fprintf(f, "%s,%s,%s,%s,%s,%s,%s\n", r->name, r->metric, value, baseline, rat, target, met(r) ? "yes" : "no");
    }
    if (fclose(f) != 0)
        bench_fail("cannot write %s", path);
}

/* A number for the table: about four significant digits, no exponent. */
static void human(double x, char *out, size_t size)
{
    double a = fabs(x);
    snprintf(out, size, a >= 1000 ? "%.0f" : a >= 100 ? "%.1f" : a >= 1 ? "%.2f" : "%.4f", x);
}

static void print_table(void)
{
    printf("\n%-40s %-22s %12s %12s %8s %9s %s\n", "benchmark", "metric", "value", "baseline", "ratio", "target",
           "met");
    for (size_t i = 0; i < row_count; i++) {
        const row *r = &rows[i];
        char target[32], value[32], baseline[32] = "-", rat[32] = "-";
        target_text(&r->target, target, sizeof target);
        human(r->value, value, sizeof value);
        if (has_ratio(r)) {
            human(r->baseline, baseline, sizeof baseline);
            snprintf(rat, sizeof rat, "%.2f", ratio(r));
        }
        printf("%-40s %-22s %12s %12s %8s %9s %s\n", r->name, r->metric, value, baseline, rat, target,
               met(r) ? "yes" : "NO");
    }
    size_t missed = 0;
    for (size_t i = 0; i < row_count; i++)
        missed += !met(&rows[i]);
    printf("\n%zu rows, %zu targets missed\n", row_count, missed);
}

/* ---- the scaling chart ------------------------------------------------------- */

typedef struct point {
    char series[48];
    double count, us;
} point;

static point *points;
static size_t point_count, point_cap;

void bench_scale_point(const char *series, double count, double us_per_item)
{
    if (point_count == point_cap) {
        point_cap = point_cap ? point_cap * 2 : 64;
        points = realloc(points, point_cap * sizeof *points);
        if (!points)
            bench_fail("out of memory");
    }
    point *p = &points[point_count++];
    snprintf(p->series, sizeof p->series, "%s", series);
    p->count = count;
    p->us = us_per_item;
}

/* ---- the run ----------------------------------------------------------------- */

void bench_note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

_Noreturn void bench_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("hcsbench: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

void bench_check(int32_t hr, const char *what)
{
    if (hr != 0)
        bench_fail("%s failed: 0x%08X", what, (unsigned)hr);
}

uint16_t *bench_w(const char *s)
{
    uint16_t *out = NULL;
    if (hcs_utf8_to_utf16(s, &out, NULL) != HCS_OK)
        bench_fail("cannot convert %s", s);
    return out;
}

void bench_id(char *out, size_t size, const char *prefix)
{
    static unsigned long next;
    snprintf(out, size, "%s-%lu", prefix, __atomic_add_fetch(&next, 1, __ATOMIC_RELAXED));
}

void bench_raw_wait(HCS_OPERATION op, PWSTR *doc, const char *what)
{
    PWSTR result = NULL;
    HRESULT hr = HcsWaitForOperationResult(op, INFINITE, &result);
    if (doc)
        *doc = result;
    else if (result)
        LocalFree(result);
    bench_check(hr, what);
}

void bench_finish(void)
{
    char path[4096];
    print_table();
    snprintf(path, sizeof path, "%s/results.csv", bench.out_dir);
    write_csv(path);
    printf("wrote %s\n", path);
    if (point_count) {
        snprintf(path, sizeof path, "%s/scale.svg", bench.out_dir);
        bench_write_chart(path);
        printf("wrote %s\n", path);
    }
}

size_t bench_points(const char **series, double *count, double *us, size_t max)
{
    size_t n = point_count < max ? point_count : max;
    for (size_t i = 0; i < n; i++) {
        series[i] = points[i].series;
        count[i] = points[i].count;
        us[i] = points[i].us;
    }
    return n;
}
