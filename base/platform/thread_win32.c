/* Win32 implementation of platform/thread.h (no winpthread dependency). */
#include "thread.h"

#include <stdlib.h>
#include <string.h>

static BOOL CALLBACK run_once(PINIT_ONCE once, PVOID fn, PVOID *ctx)
{
    (void)once, (void)ctx;
    void (*call)(void);
    memcpy(&call, &fn, sizeof call);
    call();
    return TRUE;
}

void hcs__call_once(hcs_once *once, void (*fn)(void))
{
    PVOID param;
    memcpy(&param, &fn, sizeof param);
    InitOnceExecuteOnce(once, run_once, param, NULL);
}

void hcs__mutex_init(hcs_mutex *m) { InitializeSRWLock(m); }
void hcs__mutex_destroy(hcs_mutex *m) { (void)m; }
void hcs__mutex_lock(hcs_mutex *m) { AcquireSRWLockExclusive(m); }
void hcs__mutex_unlock(hcs_mutex *m) { ReleaseSRWLockExclusive(m); }

void hcs__cond_init(hcs_cond *c) { InitializeConditionVariable(c); }
void hcs__cond_destroy(hcs_cond *c) { (void)c; }
void hcs__cond_signal(hcs_cond *c) { WakeConditionVariable(c); }
void hcs__cond_broadcast(hcs_cond *c) { WakeAllConditionVariable(c); }
void hcs__cond_wait(hcs_cond *c, hcs_mutex *m) { SleepConditionVariableSRW(c, m, INFINITE, 0); }

bool hcs__cond_wait_until(hcs_cond *c, hcs_mutex *m, uint64_t deadline_ms)
{
    if (deadline_ms == UINT64_MAX) {
        SleepConditionVariableSRW(c, m, INFINITE, 0);
        return true;
    }
    uint64_t now = hcs__clock_ms();
    if (now >= deadline_ms)
        return false;
    uint64_t left = deadline_ms - now;
    DWORD wait = left >= INFINITE ? INFINITE - 1 : (DWORD)left;
    return SleepConditionVariableSRW(c, m, wait, 0) || GetLastError() != ERROR_TIMEOUT;
}

struct thread_start {
    hcs_thread_fn fn;
    void *arg;
};

static DWORD WINAPI thread_main(LPVOID p)
{
    struct thread_start start = *(struct thread_start *)p;
    free(p);
    start.fn(start.arg);
    return 0;
}

int hcs__thread_start(hcs_thread *t, hcs_thread_fn fn, void *arg)
{
    struct thread_start *start = malloc(sizeof *start);
    if (!start)
        return -1;
    start->fn = fn;
    start->arg = arg;
    *t = CreateThread(NULL, 0, thread_main, start, 0, NULL);
    if (!*t) {
        free(start);
        return -1;
    }
    return 0;
}

void hcs__thread_join(hcs_thread t)
{
    WaitForSingleObject(t, INFINITE);
    CloseHandle(t);
}

void hcs__thread_detach(hcs_thread t) { CloseHandle(t); }

uint64_t hcs__thread_self(void) { return (uint64_t)GetCurrentThreadId() + 1u; }

uint64_t hcs__clock_ms(void) { return (uint64_t)GetTickCount64(); }

void hcs__sleep_ms(uint32_t ms) { Sleep(ms); }
