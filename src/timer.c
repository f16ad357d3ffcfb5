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
    hcs_mutex_init(&timers.mu);
    hcs_cond_init(&timers.changed);
}

static void run(void *arg)
{
    (void)arg;
    hcs_mutex_lock(&timers.mu);
    for (;;) {
        hcs_timer *t = timers.head;
        if (!t) {
            hcs_cond_wait(&timers.changed, &timers.mu);
            continue;
        }
        if (hcs_clock_ms() < t->due_ms) {
            hcs_cond_wait_until(&timers.changed, &timers.mu, t->due_ms);
            continue;
        }
        timers.head = t->next;
        t->armed = false;
        hcs_mutex_unlock(&timers.mu);
        t->fire(t);
        hcs_mutex_lock(&timers.mu);
    }
}

int hcs_timer_arm(hcs_timer *t, uint64_t due_ms, void (*fire)(hcs_timer *t))
{
    hcs_call_once(&once, init);
    hcs_mutex_lock(&timers.mu);
    if (!timers.running) {
        hcs_thread thread;
        if (hcs_thread_start(&thread, run, NULL) != 0) {
            hcs_mutex_unlock(&timers.mu);
            return -1;
        }
        hcs_thread_detach(thread);
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
    hcs_cond_broadcast(&timers.changed);
    hcs_mutex_unlock(&timers.mu);
    return 0;
}

bool hcs_timer_disarm(hcs_timer *t)
{
    hcs_call_once(&once, init);
    hcs_mutex_lock(&timers.mu);
    bool was_armed = t->armed;
    if (was_armed) {
        for (hcs_timer **at = &timers.head; *at; at = &(*at)->next)
            if (*at == t) {
                *at = t->next;
                break;
            }
        t->armed = false;
    }
    hcs_mutex_unlock(&timers.mu);
    return was_armed;
}
