/* A reference-counted object header. The last release destroys the object,
 * so memory stays valid while any thread still uses it. */
#ifndef HCS_UTIL_OBJECT_H
#define HCS_UTIL_OBJECT_H

#include <stdatomic.h>

typedef struct hcs_object hcs_object;
struct hcs_object {
    atomic_int refs;
    void (*destroy)(hcs_object *self);
};

/* Starts with one reference, owned by the creator. */
static inline void hcs_object_init(hcs_object *o, void (*destroy)(hcs_object *))
{
    atomic_init(&o->refs, 1);
    o->destroy = destroy;
}

static inline void hcs_object_retain(hcs_object *o) { atomic_fetch_add(&o->refs, 1); }

static inline void hcs_object_release(hcs_object *o)
{
    if (o && atomic_fetch_sub(&o->refs, 1) == 1)
        o->destroy(o);
}

#endif
