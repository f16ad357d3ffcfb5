/* Generational handle table (see handle_table.h). */
#include "handle_table.h"

#include <stdlib.h>

struct hcs_handle_slot {
    uint32_t generation; /* never 0, so id 0 is always invalid */
    uint32_t kind;       /* 0 while the slot is free */
    hcs_object *obj;
    uint32_t next_free; /* index + 1, 0 ends the list */
};

static uint64_t make_id(uint32_t index, uint32_t generation)
{
    return ((uint64_t)generation << 32) | (uint64_t)(index + 1u);
}

/* Returns the slot for id, or NULL when the id does not name a live object. */
static hcs_handle_slot *find(hcs_handle_table *t, uint64_t id, uint32_t kind)
{
    uint32_t index_plus_one = (uint32_t)(id & 0xFFFFFFFFu);
    if (index_plus_one == 0 || index_plus_one > t->count)
        return NULL;
    hcs_handle_slot *s = &t->slots[index_plus_one - 1];
    if (s->kind == 0 || s->kind != kind || s->generation != (uint32_t)(id >> 32))
        return NULL;
    return s;
}

void hcs__table_init(hcs_handle_table *t)
{
    hcs__mutex_init(&t->mu);
    t->slots = NULL;
    t->count = t->capacity = t->free_head = t->live = 0;
}

void hcs__table_destroy(hcs_handle_table *t)
{
    for (uint32_t i = 0; i < t->count; i++)
        if (t->slots[i].kind)
            hcs_object_release(t->slots[i].obj);
    free(t->slots);
    t->slots = NULL;
    hcs__mutex_destroy(&t->mu);
}

static int grow(hcs_handle_table *t)
{
    if (t->capacity == UINT32_MAX)
        return -1;
    uint32_t cap = t->capacity ? (t->capacity > UINT32_MAX / 2 ? UINT32_MAX : t->capacity * 2) : 64;
    hcs_handle_slot *slots = realloc(t->slots, (size_t)cap * sizeof *slots);
    if (!slots)
        return -1;
    t->slots = slots;
    t->capacity = cap;
    return 0;
}

uint64_t hcs__table_insert(hcs_handle_table *t, uint32_t kind, hcs_object *obj)
{
    hcs__mutex_lock(&t->mu);
    uint32_t index;
    if (t->free_head) {
        index = t->free_head - 1;
        t->free_head = t->slots[index].next_free;
    } else {
        if (t->count == t->capacity && grow(t) != 0) {
            hcs__mutex_unlock(&t->mu);
            return 0;
        }
        index = t->count++;
        t->slots[index].generation = 1;
    }
    hcs_handle_slot *s = &t->slots[index];
    s->kind = kind;
    s->obj = obj;
    s->next_free = 0;
    t->live++;
    hcs_object_retain(obj);
    uint64_t id = make_id(index, s->generation);
    hcs__mutex_unlock(&t->mu);
    return id;
}

hcs_object *hcs__table_acquire(hcs_handle_table *t, uint64_t id, uint32_t kind)
{
    hcs__mutex_lock(&t->mu);
    hcs_handle_slot *s = find(t, id, kind);
    hcs_object *obj = s ? s->obj : NULL;
    if (obj)
        hcs_object_retain(obj);
    hcs__mutex_unlock(&t->mu);
    return obj;
}

hcs_object *hcs__table_remove(hcs_handle_table *t, uint64_t id, uint32_t kind)
{
    hcs__mutex_lock(&t->mu);
    hcs_handle_slot *s = find(t, id, kind);
    hcs_object *obj = NULL;
    if (s) {
        obj = s->obj;
        s->obj = NULL;
        s->kind = 0;
        s->generation = s->generation == UINT32_MAX ? 1 : s->generation + 1;
        s->next_free = t->free_head;
        t->free_head = (uint32_t)(s - t->slots) + 1;
        t->live--;
    }
    hcs__mutex_unlock(&t->mu);
    return obj;
}

uint32_t hcs__table_live(hcs_handle_table *t)
{
    hcs__mutex_lock(&t->mu);
    uint32_t live = t->live;
    hcs__mutex_unlock(&t->mu);
    return live;
}

uint32_t hcs__table_slots(hcs_handle_table *t)
{
    hcs__mutex_lock(&t->mu);
    uint32_t slots = t->count;
    hcs__mutex_unlock(&t->mu);
    return slots;
}
