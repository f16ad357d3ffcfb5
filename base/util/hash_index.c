/* Intrusive hash index (see hash_index.h). */
#include "hash_index.h"

#include <stdlib.h>

enum { FIRST_BUCKETS = 64 };

void hcs__hash_init(hcs_hash_index *h)
{
    h->one = NULL;
    h->buckets = &h->one;
    h->mask = 0;
    h->count = 0;
}

void hcs__hash_destroy(hcs_hash_index *h)
{
    if (h->buckets != &h->one)
        free(h->buckets);
    hcs__hash_init(h);
}

/* Doubles the buckets (at least FIRST_BUCKETS) once there are more nodes
 * than buckets, so chains stay about one node long. A failed allocation
 * leaves the index as it was. */
static void grow(hcs_hash_index *h)
{
    size_t size = h->mask + 1;
    if (h->count <= size || size > SIZE_MAX / 2 / sizeof(hcs_hash_node *))
        return;
    size_t bigger = size < FIRST_BUCKETS ? FIRST_BUCKETS : size * 2;
    hcs_hash_node **buckets = calloc(bigger, sizeof(hcs_hash_node *));
    if (!buckets)
        return;
    for (size_t i = 0; i < size; i++)
        for (hcs_hash_node *n = h->buckets[i], *next; n; n = next) {
            next = n->next;
            hcs_hash_node **at = &buckets[n->hash & (bigger - 1)];
            n->next = *at;
            *at = n;
        }
    if (h->buckets != &h->one)
        free(h->buckets);
    h->one = NULL;
    h->buckets = buckets;
    h->mask = bigger - 1;
}

void hcs__hash_insert(hcs_hash_index *h, hcs_hash_node *n, uint64_t hash)
{
    n->hash = hash;
    h->count++;
    grow(h);
    hcs_hash_node **at = &h->buckets[hash & h->mask];
    n->next = *at;
    *at = n;
}

void hcs__hash_remove(hcs_hash_index *h, hcs_hash_node *n)
{
    for (hcs_hash_node **at = &h->buckets[n->hash & h->mask]; *at; at = &(*at)->next)
        if (*at == n) {
            *at = n->next;
            n->next = NULL;
            h->count--;
            return;
        }
}

hcs_hash_node *hcs__hash_next(const hcs_hash_node *n, uint64_t hash)
{
    hcs_hash_node *m = n->next;
    while (m && m->hash != hash)
        m = m->next;
    return m;
}

hcs_hash_node *hcs__hash_first(const hcs_hash_index *h, uint64_t hash)
{
    hcs_hash_node *n = h->buckets[hash & h->mask];
    return n && n->hash != hash ? hcs__hash_next(n, hash) : n;
}

/* FNV-1a over the folded bytes, then mixed so the low bits that pick a
 * bucket depend on every byte. */
uint64_t hcs__hash_ascii_fold(const char *s)
{
    uint64_t x = 14695981039346656037ull;
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        x ^= c >= 'A' && c <= 'Z' ? c + 32u : c;
        x *= 1099511628211ull;
    }
    return hcs__hash_u64(x);
}

/* The finaliser of SplitMix64: every input bit moves every output bit. */
uint64_t hcs__hash_u64(uint64_t v)
{
    v ^= v >> 30;
    v *= 0xbf58476d1ce4e5b9ull;
    v ^= v >> 27;
    v *= 0x94d049bb133111ebull;
    v ^= v >> 31;
    return v;
}
