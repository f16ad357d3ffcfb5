/* A bump allocator: many small allocations, one free. Decoded documents live
 * in one. */
#ifndef HCS_SRC_SCHEMA_ARENA_H
#define HCS_SRC_SCHEMA_ARENA_H

#include <stddef.h>

typedef struct hcs_arena_chunk hcs_arena_chunk;

typedef struct hcs_arena {
    hcs_arena_chunk *head; /* newest chunk; older ones follow */
    size_t next_size;      /* size of the next chunk to allocate */
} hcs_arena;

/* Starts an empty arena; the first chunk is first_chunk bytes (0: default). */
void hcs__arena_init(hcs_arena *a, size_t first_chunk);
/* Frees every chunk. */
void hcs__arena_release(hcs_arena *a);
/* Zeroed, 8-byte aligned memory (size 0 gives a unique non-NULL pointer),
 * or NULL when out of memory. */
void *hcs__arena_alloc(hcs_arena *a, size_t size);
/* Uninitialised variant of hcs__arena_alloc, for memory the caller fills. */
void *hcs__arena_alloc_raw(hcs_arena *a, size_t size);
/* Grows the allocation p (old_size bytes) to new_size, in place when p is the
 * newest allocation and there is room, otherwise by copying. New bytes are
 * not zeroed. */
void *hcs__arena_grow(hcs_arena *a, void *p, size_t old_size, size_t new_size);

#endif
