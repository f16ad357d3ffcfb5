/* Counting the process's allocations (harness.h). A plain build preloads
 * libhcsbench_alloc.so (alloc_preload.c), re-executing hcsbench with
 * LD_PRELOAD when it was started without; a sanitizer build cannot replace
 * malloc (the sanitizer's runtime owns it) and counts through the
 * sanitizer's allocation hooks instead. */
#define _GNU_SOURCE
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HCSBENCH_SANITIZED
/* The sanitizer runtime's allocator interface (sanitizer/allocator_interface.h,
 * which gcc does not install): declared here. */
int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void *, size_t),
                                              void (*free_hook)(const volatile void *));
size_t __sanitizer_get_current_allocated_bytes(void);

static uint64_t allocations;
static int counting;

static void on_malloc(const volatile void *p, size_t size)
{
    (void)p;
    (void)size;
    if (__atomic_load_n(&counting, __ATOMIC_RELAXED))
        __atomic_add_fetch(&allocations, 1, __ATOMIC_RELAXED);
}

static void on_free(const volatile void *p) { (void)p; }

void bench_alloc_setup(char **argv)
{
    (void)argv;
    if (!__sanitizer_install_malloc_and_free_hooks(on_malloc, on_free))
        bench_fail("cannot install the sanitizer's allocation hooks");
}

uint64_t bench_allocs(void) { return __atomic_load_n(&allocations, __ATOMIC_RELAXED); }
size_t bench_heap_bytes(void) { return __sanitizer_get_current_allocated_bytes(); }
void bench_alloc_counting(bool on) { __atomic_store_n(&counting, on, __ATOMIC_RELAXED); }

#else
#include <dlfcn.h>
#include <malloc.h>
#include <unistd.h>

static uint64_t (*counter)(void);
static void (*enable)(int on);

void bench_alloc_setup(char **argv)
{
    void *sym = dlsym(RTLD_DEFAULT, "hcsbench_alloc_count");
    memcpy(&counter, &sym, sizeof counter);
    sym = dlsym(RTLD_DEFAULT, "hcsbench_alloc_enable");
    memcpy(&enable, &sym, sizeof enable);
    if (counter && enable) {
        /* Programs this one starts (hcssimd) run without it. */
        if (getenv("HCSBENCH_PRELOADED"))
            unsetenv("LD_PRELOAD");
        return;
    }
    if (getenv("HCSBENCH_PRELOADED"))
        bench_fail("libhcsbench_alloc.so was preloaded but its counter is missing");
    char lib[4200];
    const char *before = getenv("LD_PRELOAD");
    snprintf(lib, sizeof lib, "%s/libhcsbench_alloc.so%s%s", bench.bin_dir, before && *before ? ":" : "",
             before ? before : "");
    setenv("LD_PRELOAD", lib, 1);
    setenv("HCSBENCH_PRELOADED", "1", 1);
    execv("/proc/self/exe", argv);
    bench_fail("cannot re-execute with %s preloaded", lib);
}

uint64_t bench_allocs(void) { return counter(); }

/* Chunks in use in every arena, and those mapped on their own. */
size_t bench_heap_bytes(void)
{
    struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
}
void bench_alloc_counting(bool on) { enable(on); }
#endif
