/* Hash index: every node inserted is found by its hash until removed,
 * through growth and through nodes that share a hash; ids hash alike in
 * any ASCII case (hcs-api §11 #31). */
#include "util/hash_index.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

typedef struct item {
    hcs_hash_node node;
    unsigned key;
} item;

/* The node of the item with this key, or NULL. */
static item *find(const hcs_hash_index *h, unsigned key)
{
    uint64_t hash = hcs__hash_u64(key);
    for (hcs_hash_node *n = hcs__hash_first(h, hash); n; n = hcs__hash_next(n, hash)) {
        item *it = HCS_HASH_ENTRY(n, item, node);
        if (it->key == key)
            return it;
    }
    return NULL;
}

static void found_until_removed_through_growth(void **state)
{
    (void)state;
    enum { N = 5000 };
    item *items = calloc(N, sizeof *items);
    assert_non_null(items);
    hcs_hash_index h;
    hcs__hash_init(&h);
    assert_null(find(&h, 1));
    for (unsigned i = 0; i < N; i++) {
        items[i].key = i;
        hcs__hash_insert(&h, &items[i].node, hcs__hash_u64(i));
    }
    assert_int_equal(h.count, N);
    assert_true(h.mask + 1 >= N); /* it grew: chains stay short */
    for (unsigned i = 0; i < N; i++)
        assert_ptr_equal(find(&h, i), &items[i]);
    assert_null(find(&h, N));
    for (unsigned i = 0; i < N; i += 2)
        hcs__hash_remove(&h, &items[i].node);
    assert_int_equal(h.count, N / 2);
    for (unsigned i = 0; i < N; i++)
        assert_ptr_equal(find(&h, i), i % 2 ? &items[i] : NULL);
    hcs__hash_destroy(&h);
    free(items);
}

/* Different keys with the same hash are all kept and told apart by the
 * caller's comparison; removing one leaves the others. */
static void equal_hashes_are_kept_apart(void **state)
{
    (void)state;
    item a = {.key = 1}, b = {.key = 2}, c = {.key = 3};
    hcs_hash_index h;
    hcs__hash_init(&h);
    hcs__hash_insert(&h, &a.node, 42);
    hcs__hash_insert(&h, &b.node, 42);
    hcs__hash_insert(&h, &c.node, 7);
    int same = 0;
    for (hcs_hash_node *n = hcs__hash_first(&h, 42); n; n = hcs__hash_next(n, 42))
        same++;
    assert_int_equal(same, 2);
    hcs__hash_remove(&h, &a.node);
    assert_ptr_equal(hcs__hash_first(&h, 42), &b.node);
    assert_null(hcs__hash_next(&b.node, 42));
    assert_ptr_equal(hcs__hash_first(&h, 7), &c.node);
    hcs__hash_destroy(&h);
}

static void ids_hash_alike_in_any_case(void **state)
{
    (void)state;
    assert_true(hcs__hash_ascii_fold("MySystem-01") == hcs__hash_ascii_fold("mysystem-01"));
    assert_true(hcs__hash_ascii_fold("ABC") == hcs__hash_ascii_fold("abc"));
    assert_true(hcs__hash_ascii_fold(NULL) == hcs__hash_ascii_fold(""));
    assert_true(hcs__hash_ascii_fold("abc") != hcs__hash_ascii_fold("abd"));
    /* Only ASCII folds: bytes above 0x7F are compared as they are. */
    assert_true(hcs__hash_ascii_fold("\xC3\x89") != hcs__hash_ascii_fold("\xC3\xA9"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(found_until_removed_through_growth),
        cmocka_unit_test(equal_hashes_are_kept_apart),
        cmocka_unit_test(ids_hash_alike_in_any_case),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
