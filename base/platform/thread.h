/* Threads, locks, condition variables and a monotonic clock: the one seam
 * between POSIX and Win32 that libhcs and hcssim share. */
#ifndef HCS_PLATFORM_THREAD_H
#define HCS_PLATFORM_THREAD_H

#include <stdbool.h>
#include <stdint.h>

#ifdef _WIN32
#include <windows.h>
typedef SRWLOCK hcs_mutex;
typedef CONDITION_VARIABLE hcs_cond;
typedef HANDLE hcs_thread;
typedef INIT_ONCE hcs_once;
#define HCS_ONCE_INIT INIT_ONCE_STATIC_INIT
#else
#include <pthread.h>
typedef pthread_mutex_t hcs_mutex;
typedef pthread_cond_t hcs_cond;
typedef pthread_t hcs_thread;
typedef pthread_once_t hcs_once;
#define HCS_ONCE_INIT PTHREAD_ONCE_INIT
#endif

typedef void (*hcs_thread_fn)(void *arg);

/* Runs fn exactly once per `once`, however many threads call. */
void hcs__call_once(hcs_once *once, void (*fn)(void));

void hcs__mutex_init(hcs_mutex *m);
void hcs__mutex_destroy(hcs_mutex *m);
void hcs__mutex_lock(hcs_mutex *m);
void hcs__mutex_unlock(hcs_mutex *m);

void hcs__cond_init(hcs_cond *c);
void hcs__cond_destroy(hcs_cond *c);
void hcs__cond_signal(hcs_cond *c);
void hcs__cond_broadcast(hcs_cond *c);
void hcs__cond_wait(hcs_cond *c, hcs_mutex *m);
/* Waits until signalled or until the monotonic clock reaches deadline_ms.
 * Returns false once the deadline has passed. */
bool hcs__cond_wait_until(hcs_cond *c, hcs_mutex *m, uint64_t deadline_ms);

/* Returns 0 on success, -1 when the thread could not be created. */
int hcs__thread_start(hcs_thread *t, hcs_thread_fn fn, void *arg);
void hcs__thread_join(hcs_thread t);
/* Lets the thread end on its own; it can no longer be joined. */
void hcs__thread_detach(hcs_thread t);
/* An id for the calling thread, unique among live threads, never 0. */
uint64_t hcs__thread_self(void);

/* Milliseconds of a monotonic clock. */
uint64_t hcs__clock_ms(void);
/* Deadline for a relative timeout; UINT32_MAX (INFINITE) gives UINT64_MAX. */
uint64_t hcs__deadline_after(uint32_t timeout_ms);
void hcs__sleep_ms(uint32_t ms);

#endif
