/* The deadline thread (see timer.h). */
#include "timer.h"

#include "platform/thread.h"

#include <stddef.h>

static struct {
    hcs_mutex mu;
    hcs_cond changed;
    hcs_timer *head; /* sorted by due time */
    bool running;
} timers;

static hcs_once once = HCS_ONCE_INIT;

static void init(void)
{
    hcs__mutex_init(&timers.mu);
    hcs__cond_init(&timers.changed);
}

static void run(void *arg)
{
    (void)arg;
    hcs__mutex_lock(&timers.mu);
    for (;;) {
        hcs_timer *t = timers.head;
        if (!t) {
            hcs__cond_wait(&timers.changed, &timers.mu);
            continue;
        }
        if (hcs__clock_ms() < t->due_ms) {
            hcs__cond_wait_until(&timers.changed, &timers.mu, t->due_ms);
            continue;
        }
        timers.head = t->next;
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
    t->fire = fire;
    t->armed = true;
    hcs_timer **at = &timers.head;
    while (*at && (*at)->due_ms <= due_ms)
        at = &(*at)->next;
    t->next = *at;
    *at = t;
    hcs__cond_broadcast(&timers.changed);
    hcs__mutex_unlock(&timers.mu);
    return 0;
}

bool hcs__timer_disarm(hcs_timer *t)
{
    hcs__call_once(&once, init);
    hcs__mutex_lock(&timers.mu);
    bool was_armed = t->armed;
    if (was_armed) {
        for (hcs_timer **at = &timers.head; *at; at = &(*at)->next)
            if (*at == t) {
                *at = t->next;
                break;
            }
        t->armed = false;
    }
    hcs__mutex_unlock(&timers.mu);
    return was_armed;
}
