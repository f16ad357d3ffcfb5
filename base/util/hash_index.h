/* An intrusive hash index: finds objects by a key in expected constant time,
 * whatever their number, where a list would be walked on every call
 * (issue 14: a lookup per create or open must not grow with the number of
 * systems).
 *
 * The caller embeds an hcs_hash_node in each object and keeps the index
 * under its own lock; the index stores only the links and each node's
 * 64-bit hash. A lookup walks the nodes whose hash is equal (hcs__hash_first,
 * hcs__hash_next) and the caller compares the real keys, so equal hashes
 * of different keys are harmless. Inserting never fails: when memory for a
 * bigger bucket array runs out the index keeps its buckets and only its
 * chains grow longer. */
#ifndef HCS_UTIL_HASH_INDEX_H
#define HCS_UTIL_HASH_INDEX_H

#include <stddef.h>
#include <stdint.h>

typedef struct hcs_hash_node {
    struct hcs_hash_node *next;
    uint64_t hash;
} hcs_hash_node;

typedef struct hcs_hash_index {
    hcs_hash_node **buckets; /* mask + 1 of them; `one` until the first growth */
    size_t mask;
    size_t count;
    hcs_hash_node *one; /* the single bucket an empty index starts with */
} hcs_hash_index;

/* An empty index. It points into itself: do not copy or move it. */
void hcs__hash_init(hcs_hash_index *h);
/* Frees the bucket array; the nodes are the caller's. */
void hcs__hash_destroy(hcs_hash_index *h);

/* Adds n with hash `hash`. n must not be in an index. */
void hcs__hash_insert(hcs_hash_index *h, hcs_hash_node *n, uint64_t hash);
/* Takes n (which must be in h) out. */
void hcs__hash_remove(hcs_hash_index *h, hcs_hash_node *n);

/* The first node whose hash is `hash`, or NULL; hcs__hash_next gives the
 * one after n with the same hash. */
hcs_hash_node *hcs__hash_first(const hcs_hash_index *h, uint64_t hash);
hcs_hash_node *hcs__hash_next(const hcs_hash_node *n, uint64_t hash);

/* Hashes of keys: a NUL-terminated string with ASCII letters folded to
 * lower case (ids compare that way, hcs-api §11 #31; NULL hashes like ""),
 * and a 64-bit number. Hashes may be combined with hcs__hash_u64(a ^ b). */
uint64_t hcs__hash_ascii_fold(const char *s);
uint64_t hcs__hash_u64(uint64_t v);

/* Recovers the object embedding a node. */
#define HCS_HASH_ENTRY(node, type, member) ((type *)(void *)((char *)(node)-offsetof(type, member)))

#endif
