/* The callback thread pool (see worker.h). */
#include "worker.h"

#include "platform/thread.h"
#include "timer.h"

#include <stdbool.h>
#include <stddef.h>

static struct {
    hcs_mutex mu;
    hcs_cond ready;
    hcs_work *head, *tail;
    unsigned threads; /* alive */
    unsigned idle;    /* waiting for work */
    unsigned queued;  /* work not yet taken */
    uint64_t taken;   /* work taken so far */
    /* The stall watch: armed while work waits and the eager threads are
     * all busy; it starts a thread if nothing was taken meanwhile. */
    hcs_timer watch;
    bool watching;
    uint64_t taken_at_watch;
} pool;

static hcs_once once = HCS_ONCE_INIT;
static _Thread_local bool on_pool;

static void init(void)
{
    hcs__mutex_init(&pool.mu);
    hcs__cond_init(&pool.ready);
}

/* With pool.mu held: the oldest waiting work, or NULL. */
static hcs_work *take(void)
{
    hcs_work *w = pool.head;
    if (w) {
        pool.head = w->next;
        if (!pool.head)
            pool.tail = NULL;
        pool.queued--;
        pool.taken++;
    }
    return w;
}

static void run_pool(void *arg)
{
    (void)arg;
    on_pool = true;
    hcs__mutex_lock(&pool.mu);
    for (;;) {
        hcs_work *w = take();
        if (w) {
            hcs__mutex_unlock(&pool.mu);
            w->run(w);
            hcs__mutex_lock(&pool.mu);
            continue;
        }
        pool.idle++;
        bool woke = hcs__cond_wait_until(&pool.ready, &pool.mu, hcs__clock_ms() + WORKER_IDLE_MS);
        pool.idle--;
        /* The first thread stays, so a lone callback never pays a start. */
        if (!woke && !pool.head && pool.threads > 1)
            break;
    }
    pool.threads--;
    hcs__mutex_unlock(&pool.mu);
}

/* With pool.mu held: one more thread. False when none could start. */
static bool start_thread(void)
{
    hcs_thread t;
    if (hcs__thread_start(&t, run_pool, NULL) != 0)
        return false;
    hcs__thread_detach(t);
    pool.threads++;
    return true;
}

static void on_stall_check(hcs_timer *t);

/* With pool.mu held: arms the stall watch unless it is armed. False when
 * it cannot be (no deadline thread): then the caller starts a thread. */
static bool watch(void)
{
    if (pool.watching)
        return true;
    pool.taken_at_watch = pool.taken;
    pool.watching = hcs__timer_arm(&pool.watch, hcs__clock_ms() + WORKER_STALL_MS, on_stall_check) == 0;
    return pool.watching;
}

/* On the deadline thread (it runs no user code, and starting a thread is
 * none): work waited WORKER_STALL_MS. If none was taken meanwhile, every
 * thread is stuck (blocked in a call, or slow): one more starts. The watch
 * goes on while work waits. */
static void on_stall_check(hcs_timer *t)
{
    (void)t;
    hcs__mutex_lock(&pool.mu);
    pool.watching = false;
    bool waiting = pool.queued > pool.idle;
    if (waiting && pool.taken == pool.taken_at_watch && pool.threads < WORKER_MAX)
        start_thread();
    if (waiting && pool.threads < WORKER_MAX && !watch())
        start_thread();
    hcs__mutex_unlock(&pool.mu);
}

/* With pool.mu held, before new work is queued: makes sure a thread will
 * take it. An idle one is free for it unless each is claimed by work
 * already queued; else a thread starts at once while there are fewer than
 * WORKER_EAGER, and otherwise the stall watch decides. False when there is
 * no thread at all and none could be started. */
static bool ensure_thread(void)
{
    if (pool.idle > pool.queued || pool.threads >= WORKER_MAX)
        return pool.threads > 0;
    if (pool.threads >= WORKER_EAGER && watch())
        return true;
    return start_thread() || pool.threads > 0;
}

void hcs__work_post(hcs_work *w, void (*run)(hcs_work *w))
{
    hcs__call_once(&once, init);
    w->run = run;
    w->next = NULL;
    hcs__mutex_lock(&pool.mu);
    bool queued = ensure_thread();
    if (queued) {
        if (pool.tail)
            pool.tail->next = w;
        else
            pool.head = w;
        pool.tail = w;
        pool.queued++;
        hcs__cond_signal(&pool.ready);
    }
    hcs__mutex_unlock(&pool.mu);
    if (!queued)
        run(w);
}

int hcs__work_on_pool(void) { return on_pool; }
