/* libhcs's own threads, on which every user callback runs (completions,
 * timeouts, events) and every close deferred out of HCS's callbacks.
 *
 * Why not HCS's threads: a provider has few of them (hcssim has four, the
 * real service a shared pool), so user callbacks that block there, in a
 * blocking libhcs call or a slow handler, starve every other completion
 * and event of the process (docs/reliability.md). HCS's callbacks only
 * record the outcome and post the work here. Up to WORKER_EAGER threads
 * start as soon as work finds them all busy; beyond that the pool grows
 * by one thread each time work has waited WORKER_STALL_MS while none was
 * taken (its threads are blocked or slow), up to WORKER_MAX, so a
 * callback may block in any libhcs call without holding up another,
 * while a burst of short callbacks is served by a few threads instead of
 * waking dozens (issue 14: 64 threads and 6-8 context switches per
 * asynchronous call). Idle threads beyond the first end after
 * WORKER_IDLE_MS. */
#ifndef HCS_SRC_WORKER_H
#define HCS_SRC_WORKER_H

typedef struct hcs_work hcs_work;
struct hcs_work {
    hcs_work *next;
    void (*run)(hcs_work *w);
};

enum { WORKER_MAX = 64, WORKER_EAGER = 4, WORKER_STALL_MS = 2, WORKER_IDLE_MS = 5000 };

/* Runs run(w) once on a pool thread, in posting order among the work that
 * waits. w is embedded in the caller's object, which must stay alive until
 * run is called. Never blocks. When no pool thread exists and none can be
 * started, runs it on the calling thread instead (never loses work). */
void hcs__work_post(hcs_work *w, void (*run)(hcs_work *w));

/* Whether the calling thread is one of the pool's. */
int hcs__work_on_pool(void);

#endif
