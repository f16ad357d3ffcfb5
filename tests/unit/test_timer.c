/* The deadline thread's timers (src/timer.c): each armed timer fires once,
 * in due order with ties in arming order, and a disarmed one never fires,
 * whatever the order they were armed and disarmed in.
 *
 * No assertion depends on how fast anything runs: a first timer's fire
 * function holds the deadline thread until every other timer is armed (all
 * due already) and some are disarmed, so the order they fire in is the
 * heap's alone. */
#include "timer.h"

#include "platform/thread.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

enum { COUNT = 2000 };

typedef struct probe {
    hcs_timer timer;
    int index;
} probe;

static struct {
    hcs_mutex mu;
    hcs_cond cv;
    bool gate_open, gate_entered;
    int fired[COUNT];
    int count;
} rec;

static void hold_thread(hcs_timer *t)
{
    (void)t;
    hcs__mutex_lock(&rec.mu);
    rec.gate_entered = true;
    hcs__cond_broadcast(&rec.cv);
    while (!rec.gate_open)
        hcs__cond_wait(&rec.cv, &rec.mu);
    hcs__mutex_unlock(&rec.mu);
}

static void record(hcs_timer *t)
{
    probe *p = (probe *)((char *)t - offsetof(probe, timer));
    hcs__mutex_lock(&rec.mu);
    rec.fired[rec.count++] = p->index;
    hcs__cond_broadcast(&rec.cv);
    hcs__mutex_unlock(&rec.mu);
}

/* Waits (bounded only as a safety net, never asserted on time) until
 * `want` timers fired or the gate was entered. */
static void await(int want, bool gate)
{
    uint64_t give_up = hcs__clock_ms() + 60000;
    hcs__mutex_lock(&rec.mu);
    while (gate ? !rec.gate_entered : rec.count < want)
        if (!hcs__cond_wait_until(&rec.cv, &rec.mu, give_up))
            break;
    hcs__mutex_unlock(&rec.mu);
}

static void fire_in_due_order_and_never_when_disarmed(void **state)
{
    (void)state;
    hcs__mutex_init(&rec.mu);
    hcs__cond_init(&rec.cv);
    hcs_timer gate;
    assert_int_equal(hcs__timer_arm(&gate, 0, hold_thread), 0);
    await(0, true);
    assert_true(rec.gate_entered);

    /* Due times in the past, shuffled, many equal: all due at once. */
    probe *probes = calloc(COUNT, sizeof *probes);
    assert_non_null(probes);
    uint64_t now = hcs__clock_ms();
    srand(14);
    for (int i = 0; i < COUNT; i++) {
        probes[i].index = i;
        uint64_t due = now - 1 - (uint64_t)(rand() % 300);
        assert_int_equal(hcs__timer_arm(&probes[i].timer, due, record), 0);
    }
    int disarmed = 0;
    for (int i = 0; i < COUNT; i += 3) {
        assert_true(hcs__timer_disarm(&probes[i].timer));
        assert_false(hcs__timer_disarm(&probes[i].timer)); /* once */
        disarmed++;
    }

    hcs__mutex_lock(&rec.mu);
    rec.gate_open = true;
    hcs__cond_broadcast(&rec.cv);
    hcs__mutex_unlock(&rec.mu);
    await(COUNT - disarmed, false);

    hcs__mutex_lock(&rec.mu);
    assert_int_equal(rec.count, COUNT - disarmed);
    for (int k = 0; k < rec.count; k++) {
        const probe *p = &probes[rec.fired[k]];
        assert_true(p->index % 3 != 0); /* never a disarmed one */
        if (k > 0) {
            const probe *q = &probes[rec.fired[k - 1]];
            assert_true(q->timer.due_ms < p->timer.due_ms ||
                        (q->timer.due_ms == p->timer.due_ms && q->index < p->index));
        }
    }
    hcs__mutex_unlock(&rec.mu);
    for (int i = 1; i < COUNT; i += 3)
        assert_false(hcs__timer_disarm(&probes[i].timer)); /* it fired */
    free(probes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fire_in_due_order_and_never_when_disarmed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
