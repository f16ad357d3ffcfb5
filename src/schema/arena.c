/* The bump allocator (see arena.h). */
#include "schema/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct hcs_arena_chunk {
    hcs_arena_chunk *next;
    size_t used, size;
    max_align_t data[]; /* size bytes */
};

#define ARENA_ALIGN 8u
#define ARENA_DEFAULT_CHUNK 4096u
#define ARENA_MAX_CHUNK (1u << 20)

static size_t align_up(size_t n) { return (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1); }

void hcs__arena_init(hcs_arena *a, size_t first_chunk)
{
    a->head = NULL;
    a->next_size = first_chunk ? first_chunk : ARENA_DEFAULT_CHUNK;
}

void hcs__arena_release(hcs_arena *a)
{
    hcs_arena_chunk *c = a->head;
    while (c) {
        hcs_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
}

static hcs_arena_chunk *new_chunk(hcs_arena *a, size_t need)
{
    size_t size = a->next_size > need ? a->next_size : need;
    if (size > SIZE_MAX - sizeof(hcs_arena_chunk))
        return NULL;
    hcs_arena_chunk *c = malloc(sizeof *c + size);
    if (!c)
        return NULL;
    c->used = 0;
    c->size = size;
    c->next = a->head;
    a->head = c;
    /* Chunks double up to a limit, so a large document needs few of them. */
    if (a->next_size < ARENA_MAX_CHUNK)
        a->next_size *= 2;
    return c;
}

void *hcs__arena_alloc_raw(hcs_arena *a, size_t size)
{
    size_t n = align_up(size ? size : 1);
    if (n < size)
        return NULL;
    hcs_arena_chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        c = new_chunk(a, n);
        if (!c)
            return NULL;
    }
    void *p = (char *)c->data + c->used;
    c->used += n;
    return p;
}

void *hcs__arena_alloc(hcs_arena *a, size_t size)
{
    void *p = hcs__arena_alloc_raw(a, size);
    if (p)
        memset(p, 0, size);
    return p;
}

void *hcs__arena_grow(hcs_arena *a, void *p, size_t old_size, size_t new_size)
{
    hcs_arena_chunk *c = a->head;
    size_t old_n = align_up(old_size ? old_size : 1), new_n = align_up(new_size);
    if (p && c && new_n >= new_size && (char *)p + old_n == (char *)c->data + c->used &&
        c->size - c->used >= new_n - old_n) {
        c->used += new_n - old_n;
        return p;
    }
    void *q = hcs__arena_alloc_raw(a, new_size);
    if (q && p && old_size)
        memcpy(q, p, old_size);
    return q;
}
