/* hcsbench: every benchmark of make bench in one run (docs/performance.md).
 *
 *   hcsbench [--quick] [--out DIR] [--only GROUP,...]
 *
 * --quick (or BENCH_QUICK=1 in the environment) runs every group on small
 * sizes in seconds: the numbers then only show that the benchmarks work.
 * --out: where results.csv and scale.svg go (default: the current
 * directory). --only: run these groups only (overhead, async, event, codec,
 * scale, memory, daemon).
 *
 * The simulator is the one linked into this program (libhcssim), loaded by
 * libhcs as its provider, so libhcs's calls and the raw baselines reach one
 * engine, with no simulated latency (hcssim_set_latency(NULL, 0)). */
#define _GNU_SOURCE
#include "harness.h"

#include "hcssim/hcssim.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct group {
    const char *name;
    void (*run)(void);
} group;

/* In the order they run: the scale runs last among the in-process groups,
 * since they leave the largest heap behind. */
static const group groups[] = {
    {"codec", bench_codec},   {"overhead", bench_overhead}, {"async", bench_async},   {"event", bench_event},
    {"memory", bench_memory}, {"scale", bench_scale},       {"daemon", bench_daemon},
};

static bool wanted(const char *only, const char *name)
{
    if (!only)
        return true;
    size_t n = strlen(name);
    for (const char *p = only; (p = strstr(p, name)) != NULL; p += n)
        if ((p == only || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
            return true;
    return false;
}

static void usage(void)
{
    fprintf(stderr, "usage: hcsbench [--quick] [--out DIR] [--only GROUP,...]\n"
                    "groups: overhead async event codec scale memory daemon\n");
    exit(2);
}

/* The directory this program was loaded from (hcssimd is built beside it). */
static const char *program_dir(void)
{
    static char path[4096];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0)
        bench_fail("cannot find this program's directory");
    path[n] = '\0';
    return dirname(path);
}

int main(int argc, char **argv)
{
    const char *only = NULL;
    const char *quick_env = getenv("BENCH_QUICK");
    bench.quick = quick_env && strcmp(quick_env, "1") == 0;
    bench.out_dir = ".";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0)
            bench.quick = true;
        else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            bench.out_dir = argv[++i];
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
            only = argv[++i];
        else
            usage();
    }
    bench.bin_dir = program_dir();
    bench_alloc_setup(argv);
    bench.repetitions = bench.quick ? 2 : 5;
    mkdir(bench.out_dir, 0777);

    hcssim_set_latency(NULL, 0);
    hcs_error err = HCS_ERROR_INIT;
    if (hcs_client_open(&(hcs_client_options){.provider = HCSBENCH_SIM_PROVIDER}, &bench.client, &err) != HCS_OK)
        bench_fail("cannot open a client on %s: %s", HCSBENCH_SIM_PROVIDER, err.message);

    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++) {
        if (!wanted(only, groups[i].name))
            continue;
        bench_note("== %s%s", groups[i].name, bench.quick ? " (quick)" : "");
        double t0 = bench_now_us();
        groups[i].run();
        bench_note("== %s: %.1f s", groups[i].name, (bench_now_us() - t0) / 1e6);
    }
    hcs_client_close(bench.client);
    bench_finish();
    return 0;
}
