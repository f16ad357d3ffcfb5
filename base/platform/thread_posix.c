/* POSIX implementation of platform/thread.h. */
#include "thread.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

void hcs__call_once(hcs_once *once, void (*fn)(void)) { pthread_once(once, fn); }

void hcs__mutex_init(hcs_mutex *m) { pthread_mutex_init(m, NULL); }
void hcs__mutex_destroy(hcs_mutex *m) { pthread_mutex_destroy(m); }
void hcs__mutex_lock(hcs_mutex *m) { pthread_mutex_lock(m); }
void hcs__mutex_unlock(hcs_mutex *m) { pthread_mutex_unlock(m); }

void hcs__cond_init(hcs_cond *c)
{
    /* Waits measure against the monotonic clock, immune to wall-clock jumps. */
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(c, &attr);
    pthread_condattr_destroy(&attr);
}

void hcs__cond_destroy(hcs_cond *c) { pthread_cond_destroy(c); }
void hcs__cond_signal(hcs_cond *c) { pthread_cond_signal(c); }
void hcs__cond_broadcast(hcs_cond *c) { pthread_cond_broadcast(c); }
void hcs__cond_wait(hcs_cond *c, hcs_mutex *m) { pthread_cond_wait(c, m); }

bool hcs__cond_wait_until(hcs_cond *c, hcs_mutex *m, uint64_t deadline_ms)
{
    if (deadline_ms == UINT64_MAX) {
        pthread_cond_wait(c, m);
        return true;
    }
    if (hcs__clock_ms() >= deadline_ms)
        return false;
    struct timespec ts;
    ts.tv_sec = (time_t)(deadline_ms / 1000);
    ts.tv_nsec = (long)(deadline_ms % 1000) * 1000000L;
    return pthread_cond_timedwait(c, m, &ts) != ETIMEDOUT;
}

struct thread_start {
    hcs_thread_fn fn;
    void *arg;
};

static void *thread_main(void *p)
{
    struct thread_start start = *(struct thread_start *)p;
    free(p);
    start.fn(start.arg);
    return NULL;
}

int hcs__thread_start(hcs_thread *t, hcs_thread_fn fn, void *arg)
{
    struct thread_start *start = malloc(sizeof *start);
    if (!start)
        return -1;
    start->fn = fn;
    start->arg = arg;
    if (pthread_create(t, NULL, thread_main, start) != 0) {
        free(start);
        return -1;
    }
    return 0;
}

void hcs__thread_join(hcs_thread t) { pthread_join(t, NULL); }

void hcs__thread_detach(hcs_thread t) { pthread_detach(t); }

uint64_t hcs__thread_self(void)
{
    /* The address of a thread-local is unique per live thread. */
    static _Thread_local char marker;
    return (uint64_t)(uintptr_t)&marker;
}

uint64_t hcs__clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void hcs__sleep_ms(uint32_t ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}
