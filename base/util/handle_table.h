/* A generational handle table: maps 64-bit ids to live objects. An id names
 * a slot and the generation the slot had when the object was inserted; once
 * the object is removed the slot's generation moves on, so a stale id is
 * recognised and refused instead of reaching freed or reused memory. */
#ifndef HCS_UTIL_HANDLE_TABLE_H
#define HCS_UTIL_HANDLE_TABLE_H

#include "platform/thread.h"
#include "object.h"

#include <stddef.h>
#include <stdint.h>

typedef struct hcs_handle_slot hcs_handle_slot;

typedef struct hcs_handle_table {
    hcs_mutex mu;
    hcs_handle_slot *slots;
    uint32_t count; /* slots in use or on the free list */
    uint32_t capacity;
    uint32_t free_head; /* index + 1 of the first free slot, 0 if none */
    uint32_t live;
} hcs_handle_table;

void hcs__table_init(hcs_handle_table *t);
/* Frees the slot array; objects still inside are released. */
void hcs__table_destroy(hcs_handle_table *t);

/* Inserts obj (the table takes its own reference). Returns its id, never 0,
 * or 0 when memory ran out. `kind` is any nonzero tag checked on lookup. */
uint64_t hcs__table_insert(hcs_handle_table *t, uint32_t kind, hcs_object *obj);
/* Returns the object with a new reference, or NULL for a stale or unknown id
 * or a kind mismatch. The caller releases it. */
hcs_object *hcs__table_acquire(hcs_handle_table *t, uint64_t id, uint32_t kind);
/* Detaches the id and hands the table's reference to the caller, or returns
 * NULL when the id is already stale (removal happens once). */
hcs_object *hcs__table_remove(hcs_handle_table *t, uint64_t id, uint32_t kind);
/* Objects currently in the table. */
uint32_t hcs__table_live(hcs_handle_table *t);
/* Slots the table has ever used (live or free for reuse): its size. */
uint32_t hcs__table_slots(hcs_handle_table *t);

#endif
