/* The callback thread pool (see worker.h). */
#include "worker.h"

#include "platform/thread.h"

#include <stdbool.h>
#include <stddef.h>

static struct {
    hcs_mutex mu;
    hcs_cond ready;
    hcs_work *head, *tail;
    unsigned threads; /* alive */
    unsigned idle;    /* waiting for work */
    unsigned queued;  /* work not yet taken */
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

/* With pool.mu held: starts a thread unless an idle one is free for the
 * new work (each queued item claims one). False when there is no thread
 * at all and none could be started. */
static bool ensure_thread(void)
{
    if (pool.idle > pool.queued || pool.threads >= WORKER_MAX)
        return pool.threads > 0;
    hcs_thread t;
    if (hcs__thread_start(&t, run_pool, NULL) != 0)
        return pool.threads > 0;
    hcs__thread_detach(t);
    pool.threads++;
    return true;
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
