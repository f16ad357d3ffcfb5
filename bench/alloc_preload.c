/* libhcsbench_alloc.so: counts the process's allocations for hcsbench's
 * "allocations per call" rows. Preloaded (LD_PRELOAD) by hcsbench itself,
 * it takes the place of malloc and its relatives for every library of the
 * process and hands each request to glibc's own allocator (the __libc_*
 * entry points glibc exports for this purpose), counting it on the way.
 * Frees are not counted: a row reports allocations made, not memory held
 * (the memory rows measure that). Not built with sanitizers, whose runtime
 * must own malloc: hcsbench then counts through the sanitizer's hooks. */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void *__libc_valloc(size_t size);
extern void *__libc_pvalloc(size_t size);
extern void __libc_free(void *p);

#define EXPORT __attribute__((visibility("default")))

static uint64_t allocations;
static int counting; /* off by default: the other benchmarks run at full speed */

static void count(void)
{
    if (__atomic_load_n(&counting, __ATOMIC_RELAXED))
        __atomic_add_fetch(&allocations, 1, __ATOMIC_RELAXED);
}

/* The number of allocations counted so far, and switching the count on and
 * off (hcsbench finds both with dlsym). */
EXPORT uint64_t hcsbench_alloc_count(void);
EXPORT void hcsbench_alloc_enable(int on);

EXPORT uint64_t hcsbench_alloc_count(void) { return __atomic_load_n(&allocations, __ATOMIC_RELAXED); }
EXPORT void hcsbench_alloc_enable(int on) { __atomic_store_n(&counting, on, __ATOMIC_RELAXED); }

EXPORT void *malloc(size_t size)
{
    count();
    return __libc_malloc(size);
}

EXPORT void *calloc(size_t n, size_t size)
{
    count();
    return __libc_calloc(n, size);
}

EXPORT void *realloc(void *p, size_t size)
{
    count();
    return __libc_realloc(p, size);
}

EXPORT void free(void *p) { __libc_free(p); }

EXPORT void *memalign(size_t alignment, size_t size)
{
    count();
    return __libc_memalign(alignment, size);
}

EXPORT void *aligned_alloc(size_t alignment, size_t size) { return memalign(alignment, size); }

EXPORT int posix_memalign(void **out, size_t alignment, size_t size)
{
    if (alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) != 0)
        return EINVAL;
    void *p = memalign(alignment, size);
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

EXPORT void *valloc(size_t size)
{
    count();
    return __libc_valloc(size);
}

EXPORT void *pvalloc(size_t size)
{
    count();
    return __libc_pvalloc(size);
}
