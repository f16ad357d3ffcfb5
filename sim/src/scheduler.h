/* hcssim's two kinds of background work:
 *  - engine tasks run one at a time, in due-time order (FIFO among equal
 *    times), on the engine thread: every state change of the simulated
 *    service happens there, in the order the requests were made;
 *  - deliveries (client callbacks) run on a small pool of dispatcher
 *    threads, so a callback that blocks never stalls the service.
 * Threads start on first use and live as long as the process. */
#ifndef HCSSIM_SCHEDULER_H
#define HCSSIM_SCHEDULER_H

#include <stdint.h>

typedef void (*sim_task_fn)(void *arg);

/* Both return 0, or -1 when memory or threads ran out (nothing will run).
 * hcssim__schedule runs fn at the monotonic time due_ms (hcs__clock_ms). */
int hcssim__schedule(uint64_t due_ms, sim_task_fn fn, void *arg);
int hcssim__dispatch(sim_task_fn fn, void *arg);

#endif
