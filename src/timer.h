/* Deadlines for asynchronous calls: one thread, started on first use,
 * fires each armed timer once at its time unless it was disarmed first.
 * The armed timers form a binary min-heap ordered by due time (ties in
 * arming order), so arming and disarming cost O(log n) with any number of
 * calls pending (issue 14: a sorted list made every kickoff with a
 * deadline walk all of them), and the thread is woken only when the
 * earliest deadline changes. */
#ifndef HCS_SRC_TIMER_H
#define HCS_SRC_TIMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct hcs_timer {
    uint64_t due_ms;
    uint64_t seq; /* arming order, for ties */
    size_t slot;  /* index in the heap while armed */
    void (*fire)(struct hcs_timer *t);
    bool armed;
} hcs_timer;

/* Arms t (embedded in the caller's object, which must stay alive until the
 * timer fires or is disarmed). Returns 0, or -1 when the thread cannot
 * start or memory for the heap ran out (t is then not armed). */
int hcs__timer_arm(hcs_timer *t, uint64_t due_ms, void (*fire)(hcs_timer *t));
/* Disarms t. Returns true when it had not fired (and now never will);
 * false when it fired or is firing. */
bool hcs__timer_disarm(hcs_timer *t);

#endif
