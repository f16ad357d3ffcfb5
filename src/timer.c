/* The deadline thread (see timer.h). */
#include "timer.h"

#include "platform/thread.h"

#include <stdlib.h>

static struct {
    hcs_mutex mu;
    hcs_cond changed; /* signalled when the earliest deadline moves earlier */
    hcs_timer **heap; /* heap[0] is due first */
    size_t count, capacity;
    uint64_t next_seq;
    bool running;
} timers;

static hcs_once once = HCS_ONCE_INIT;

static void init(void)
{
    hcs__mutex_init(&timers.mu);
    hcs__cond_init(&timers.changed);
}

/* ---- the heap (timers.mu held) ------------------------------------------ */

static bool before(const hcs_timer *a, const hcs_timer *b)
{
    return a->due_ms != b->due_ms ? a->due_ms < b->due_ms : a->seq < b->seq;
}

static void place(hcs_timer *t, size_t slot)
{
    timers.heap[slot] = t;
    t->slot = slot;
}

static void sift_up(hcs_timer *t, size_t slot)
{
    while (slot > 0 && before(t, timers.heap[(slot - 1) / 2])) {
        place(timers.heap[(slot - 1) / 2], slot);
        slot = (slot - 1) / 2;
    }
    place(t, slot);
}

static void sift_down(hcs_timer *t, size_t slot)
{
    for (;;) {
        size_t child = 2 * slot + 1;
        if (child >= timers.count)
            break;
        if (child + 1 < timers.count && before(timers.heap[child + 1], timers.heap[child]))
            child++;
        if (!before(timers.heap[child], t))
            break;
        place(timers.heap[child], slot);
        slot = child;
    }
    place(t, slot);
}

static bool push(hcs_timer *t)
{
    if (timers.count == timers.capacity) {
        size_t cap = timers.capacity ? timers.capacity * 2 : 64;
        hcs_timer **heap =
            cap <= SIZE_MAX / sizeof(hcs_timer *) ? realloc(timers.heap, cap * sizeof(hcs_timer *)) : NULL;
        if (!heap)
            return false;
        timers.heap = heap;
        timers.capacity = cap;
    }
    sift_up(t, timers.count++);
    return true;
}

/* Takes out the timer at slot: the last one fills the hole and moves up or
 * down to its place. */
static void take(size_t slot)
{
    hcs_timer *last = timers.heap[--timers.count];
    if (slot == timers.count)
        return;
    if (slot > 0 && before(last, timers.heap[(slot - 1) / 2]))
        sift_up(last, slot);
    else
        sift_down(last, slot);
}

/* ---- the thread --------------------------------------------------------- */

static void run(void *arg)
{
    (void)arg;
    hcs__mutex_lock(&timers.mu);
    for (;;) {
        if (timers.count == 0) {
            hcs__cond_wait(&timers.changed, &timers.mu);
            continue;
        }
        hcs_timer *t = timers.heap[0];
        if (hcs__clock_ms() < t->due_ms) {
            hcs__cond_wait_until(&timers.changed, &timers.mu, t->due_ms);
            continue;
        }
        take(0);
        t->armed = false;
        hcs__mutex_unlock(&timers.mu);
        t->fire(t);
        hcs__mutex_lock(&timers.mu);
    }
}

int hcs__timer_arm(hcs_timer *t, uint64_t due_ms, void (*fire)(hcs_timer *t))
{
    hcs__call_once(&once, init);
    hcs__mutex_lock(&timers.mu);
    if (!timers.running) {
        hcs_thread thread;
        if (hcs__thread_start(&thread, run, NULL) != 0) {
            hcs__mutex_unlock(&timers.mu);
            return -1;
        }
        hcs__thread_detach(thread);
        timers.running = true;
    }
    t->due_ms = due_ms;
    t->seq = timers.next_seq++;
    t->fire = fire;
    bool armed = push(t);
    t->armed = armed;
    /* The thread sleeps until the earliest deadline: only a new earliest
     * one needs it awake (a later one is found when it wakes anyway). */
    if (armed && t->slot == 0)
        hcs__cond_signal(&timers.changed);
    hcs__mutex_unlock(&timers.mu);
    return armed ? 0 : -1;
}

bool hcs__timer_disarm(hcs_timer *t)
{
    hcs__call_once(&once, init);
    hcs__mutex_lock(&timers.mu);
    bool was_armed = t->armed;
    if (was_armed) {
        take(t->slot);
        t->armed = false;
    }
    hcs__mutex_unlock(&timers.mu);
    return was_armed;
}
