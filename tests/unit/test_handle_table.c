/* Generational handle table: stale ids are refused, memory lives while
 * referenced, slots are reused without growing. */
#include "util/handle_table.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

typedef struct counted {
    hcs_object base;
    int *destroyed;
} counted;

static void destroy_counted(hcs_object *o)
{
    counted *c = (counted *)o;
    (*c->destroyed)++;
    free(c);
}

static counted *new_counted(int *destroyed)
{
    counted *c = malloc(sizeof *c);
    hcs_object_init(&c->base, destroy_counted);
    c->destroyed = destroyed;
    return c;
}

static void stale_ids_are_refused(void **state)
{
    (void)state;
    hcs_handle_table t;
    hcs__table_init(&t);
    int destroyed = 0;
    counted *c = new_counted(&destroyed);
    uint64_t id = hcs__table_insert(&t, 1, &c->base);
    hcs_object_release(&c->base);
    assert_int_not_equal(id, 0);
    assert_null(hcs__table_acquire(&t, id, 2)); /* wrong kind */
    hcs_object *held = hcs__table_acquire(&t, id, 1);
    assert_ptr_equal(held, &c->base);
    hcs_object_release(hcs__table_remove(&t, id, 1));
    assert_int_equal(destroyed, 0); /* still held by the acquire */
    assert_null(hcs__table_acquire(&t, id, 1));
    assert_null(hcs__table_remove(&t, id, 1)); /* removal happens once */
    hcs_object_release(held);
    assert_int_equal(destroyed, 1);
    /* the slot is reused with a new generation; the old id stays dead */
    counted *d = new_counted(&destroyed);
    uint64_t id2 = hcs__table_insert(&t, 1, &d->base);
    hcs_object_release(&d->base);
    assert_int_equal(id2 & 0xFFFFFFFFu, id & 0xFFFFFFFFu);
    assert_int_not_equal(id2, id);
    assert_null(hcs__table_acquire(&t, id, 1));
    assert_int_equal(hcs__table_live(&t), 1);
    hcs__table_destroy(&t);
    assert_int_equal(destroyed, 2);
}

static void bogus_ids_are_refused(void **state)
{
    (void)state;
    hcs_handle_table t;
    hcs__table_init(&t);
    assert_null(hcs__table_acquire(&t, 0, 1));
    assert_null(hcs__table_acquire(&t, 0xFFFFFFFFFFFFFFFFull, 1));
    assert_null(hcs__table_acquire(&t, 12345, 1));
    hcs__table_destroy(&t);
}

static void churn_does_not_grow_the_table(void **state)
{
    (void)state;
    hcs_handle_table t;
    hcs__table_init(&t);
    int destroyed = 0;
    for (int round = 0; round < 1000; round++) {
        uint64_t ids[10];
        for (int i = 0; i < 10; i++) {
            counted *c = new_counted(&destroyed);
            ids[i] = hcs__table_insert(&t, 1, &c->base);
            hcs_object_release(&c->base);
        }
        for (int i = 0; i < 10; i++)
            hcs_object_release(hcs__table_remove(&t, ids[i], 1));
    }
    assert_int_equal(destroyed, 10000);
    assert_true(t.count <= 10);
    hcs__table_destroy(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stale_ids_are_refused),
        cmocka_unit_test(bogus_ids_are_refused),
        cmocka_unit_test(churn_does_not_grow_the_table),
    };
    return cmocka_run_group_tests_name("handle table", tests, NULL, NULL);
}
