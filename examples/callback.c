/* Waiting with callbacks: create, start and terminate a container, each
 * step started from the callback of the one before, while main() only
 * waits for the end. Callbacks run on libhcs's own threads and may call
 * any libhcs function, blocking ones included (docs/threading.md). */
#include <hcs/hcs.h>
#include <stdio.h>

#ifdef _WIN32
#include <windows.h>
#else
#include <pthread.h>
#endif

/* A one-shot latch: the last callback opens it, main() waits on it. */
typedef struct latch {
#ifdef _WIN32
    SRWLOCK mu;
    CONDITION_VARIABLE cv;
#else
    pthread_mutex_t mu;
    pthread_cond_t cv;
#endif
    int open;
} latch;

static void latch_init(latch *l)
{
#ifdef _WIN32
    InitializeSRWLock(&l->mu);
    InitializeConditionVariable(&l->cv);
#else
    pthread_mutex_init(&l->mu, NULL);
    pthread_cond_init(&l->cv, NULL);
#endif
    l->open = 0;
}

static void latch_open(latch *l)
{
#ifdef _WIN32
    AcquireSRWLockExclusive(&l->mu);
    l->open = 1;
    ReleaseSRWLockExclusive(&l->mu);
    WakeAllConditionVariable(&l->cv);
#else
    pthread_mutex_lock(&l->mu);
    l->open = 1;
    pthread_cond_broadcast(&l->cv);
    pthread_mutex_unlock(&l->mu);
#endif
}

static void latch_wait(latch *l)
{
#ifdef _WIN32
    AcquireSRWLockExclusive(&l->mu);
    while (!l->open)
        SleepConditionVariableSRW(&l->cv, &l->mu, INFINITE, 0);
    ReleaseSRWLockExclusive(&l->mu);
#else
    pthread_mutex_lock(&l->mu);
    while (!l->open)
        pthread_cond_wait(&l->cv, &l->mu);
    pthread_mutex_unlock(&l->mu);
#endif
}

/* What the callbacks share. Every async call reports exactly once (its
 * outcome, or HCS_E_OPERATION_TIMEOUT), so the chain always reaches the
 * latch. */
typedef struct job {
    latch done;
    hcs_system sys;
    int32_t hr; /* the first failure, or HCS_OK */
} job;

/* Ends the chain when an async call could not even be started. */
static void check_started(job *j, int32_t hr, hcs_error *err)
{
    if (hr != HCS_OK) {
        fprintf(stderr, "%s\n", err->message);
        j->hr = hr;
        latch_open(&j->done);
    }
    hcs_error_clear(err);
}

/* Reports a failed step and ends the chain; true if the step worked. */
static int step_ok(hcs_result *r, job *j)
{
    if (r->hr == HCS_OK)
        return 1;
    fprintf(stderr, "%s failed: %s\n", r->call, r->error.message);
    j->hr = r->hr;
    latch_open(&j->done);
    return 0;
}

static void on_terminated(hcs_result *r, void *user_data)
{
    job *j = user_data;
    if (step_ok(r, j)) {
        printf("terminated\n");
        latch_open(&j->done);
    }
}

static void on_started(hcs_result *r, void *user_data)
{
    job *j = user_data;
    if (!step_ok(r, j))
        return;
    printf("started\n");
    hcs_async how = {.callback = on_terminated, .user_data = j, .timeout_ms = 30000};
    hcs_error err = {0};
    check_started(j, hcs_system_terminate_async(j->sys, &how, NULL, &err), &err);
}

static void on_created(hcs_result *r, void *user_data)
{
    job *j = user_data;
    if (!step_ok(r, j))
        return;
    j->sys = r->system; /* the new handle is ours to close */
    printf("created\n");
    hcs_async how = {.callback = on_started, .user_data = j, .timeout_ms = 30000};
    hcs_error err = {0};
    check_started(j, hcs_system_start_async(j->sys, NULL, &how, NULL, &err), &err);
}

int main(void)
{
    hcs_client client;
    hcs_error err = {0};
    if (hcs_client_open(NULL, &client, &err) != HCS_OK)
        return fprintf(stderr, "%s\n", err.message), hcs_error_clear(&err), 1;
    job j = {.sys = {0}, .hr = HCS_OK};
    latch_init(&j.done);
    hcs_system_spec spec = {
        .id = "example-callback",
        .config_json = "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Owner\":\"example\",\"Container\":{}}",
    };
    hcs_async how = {.callback = on_created, .user_data = &j, .timeout_ms = 30000};
    check_started(&j, hcs_system_create_async(client, &spec, &how, NULL, &err), &err);
    latch_wait(&j.done);
    hcs_system_close(j.sys); /* a zero (never created) handle is ignored */
    hcs_client_close(client);
    return j.hr == HCS_OK ? 0 : 1;
}
