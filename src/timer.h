/* Deadlines for asynchronous calls: one thread, started on first use,
 * fires each armed timer once at its time unless it was disarmed first. */
#ifndef HCS_SRC_TIMER_H
#define HCS_SRC_TIMER_H

#include <stdbool.h>
#include <stdint.h>

typedef struct hcs_timer {
    struct hcs_timer *next;
    uint64_t due_ms;
    void (*fire)(struct hcs_timer *t);
    bool armed;
} hcs_timer;

/* Arms t (embedded in the caller's object, which must stay alive until the
 * timer fires or is disarmed). Returns 0, or -1 when the thread cannot
 * start. */
int hcs__timer_arm(hcs_timer *t, uint64_t due_ms, void (*fire)(hcs_timer *t));
/* Disarms t. Returns true when it had not fired (and now never will);
 * false when it fired or is firing. */
bool hcs__timer_disarm(hcs_timer *t);

#endif
