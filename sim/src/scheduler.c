/* Engine thread and dispatcher pool (see scheduler.h). */
#include "scheduler.h"

#include "platform/thread.h"

#include <stdbool.h>
#include <stdlib.h>

enum { DISPATCHERS = 4 };

typedef struct task {
    struct task *next;
    uint64_t due_ms;
    sim_task_fn fn;
    void *arg;
} task;

typedef struct queue {
    hcs_mutex mu;
    hcs_cond cv;
    task *head; /* sorted by due_ms; equal times in submission order */
    task *tail;
    unsigned threads;
} queue;

static queue engine_queue;
static queue dispatch_queue;
static bool started;
static hcs_mutex start_mu;

static hcs_once init_once = HCS_ONCE_INIT;
static void init_start_mu(void) { hcs__mutex_init(&start_mu); }
static void init_locks(void) { hcs__call_once(&init_once, init_start_mu); }

static void run_queue(void *arg)
{
    queue *q = arg;
    hcs__mutex_lock(&q->mu);
    for (;;) {
        if (!q->head) {
            hcs__cond_wait(&q->cv, &q->mu);
            continue;
        }
        if (q->head->due_ms > hcs__clock_ms()) {
            hcs__cond_wait_until(&q->cv, &q->mu, q->head->due_ms);
            continue;
        }
        task *t = q->head;
        q->head = t->next;
        if (!q->head)
            q->tail = NULL;
        hcs__mutex_unlock(&q->mu);
        t->fn(t->arg);
        free(t);
        hcs__mutex_lock(&q->mu);
    }
}

static int start_threads(void)
{
    init_locks();
    hcs__mutex_lock(&start_mu);
    int rc = 0;
    if (!started) {
        queue *queues[2] = {&engine_queue, &dispatch_queue};
        unsigned counts[2] = {1, DISPATCHERS};
        for (int i = 0; i < 2 && rc == 0; i++) {
            hcs__mutex_init(&queues[i]->mu);
            hcs__cond_init(&queues[i]->cv);
            for (unsigned n = 0; n < counts[i]; n++) {
                hcs_thread t;
                if (hcs__thread_start(&t, run_queue, queues[i]) != 0) {
                    rc = -1;
                    break;
                }
                queues[i]->threads++;
            }
        }
        started = rc == 0;
    }
    hcs__mutex_unlock(&start_mu);
    return rc;
}

static int submit(queue *q, uint64_t due_ms, sim_task_fn fn, void *arg)
{
    if (start_threads() != 0)
        return -1;
    task *t = malloc(sizeof *t);
    if (!t)
        return -1;
    t->fn = fn;
    t->arg = arg;
    t->due_ms = due_ms;
    hcs__mutex_lock(&q->mu);
    /* Nearly every task is due no earlier than the last one (dispatches are
     * due now, requests keep per-system order), so appending is the common
     * case; only an earlier deadline walks the list. */
    if (!q->tail || q->tail->due_ms <= t->due_ms) {
        t->next = NULL;
        *(q->tail ? &q->tail->next : &q->head) = t;
        q->tail = t;
    } else {
        task **at = &q->head;
        while ((*at)->due_ms <= t->due_ms)
            at = &(*at)->next;
        t->next = *at;
        *at = t;
    }
    /* One waiter is enough for one task: it re-checks the head, whether the
     * task is ready or only a new earliest deadline (the engine queue has
     * one thread; dispatches are due at once). A broadcast would wake every
     * idle dispatcher for each callback, all but one for nothing. */
    hcs__cond_signal(&q->cv);
    hcs__mutex_unlock(&q->mu);
    return 0;
}

int hcssim__schedule(uint64_t due_ms, sim_task_fn fn, void *arg) { return submit(&engine_queue, due_ms, fn, arg); }

int hcssim__dispatch(sim_task_fn fn, void *arg) { return submit(&dispatch_queue, hcs__clock_ms(), fn, arg); }
