/* event: from a simulated process's exit to the user's callback, and to
 * the take from a completion queue, against a raw process callback
 * (HcsSetProcessCallback) on the same simulator (issue 14).
 *
 * The process is `cmd` reading its stdin (docs/guest-programs.md); the
 * clock starts just before "exit 0" is written to its stdin pipe and stops
 * in the callback (or when hcs_cq_next returns the exit). Both sides pay
 * the same guest reaction (a thread woken by the pipe) and the simulator's
 * event dispatch, so the difference is libhcs's own path. Process creation
 * is not timed. Each repetition measures a block of exits of each variant
 * in turn; p50 and p99 are medians over repetitions, p99.9 and the maximum
 * are over every exit of the run. */
#include "harness.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PARAMS "{\"CommandLine\":\"cmd\",\"CreateStdInPipe\":true}"
#define EXIT_LINE "exit 0\r\n"

enum { MAX_REPS = 16 };

typedef struct seen {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool exited;
    double at_us;
} seen;

static void seen_reset(seen *s)
{
    pthread_mutex_lock(&s->mu);
    s->exited = false;
    pthread_mutex_unlock(&s->mu);
}

static void seen_mark(seen *s)
{
    double t = bench_now_us();
    pthread_mutex_lock(&s->mu);
    s->exited = true;
    s->at_us = t;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

static double seen_wait(seen *s)
{
    pthread_mutex_lock(&s->mu);
    while (!s->exited)
        pthread_cond_wait(&s->cv, &s->mu);
    double t = s->at_us;
    pthread_mutex_unlock(&s->mu);
    return t;
}

typedef struct target {
    hcs_system sys;
    HCS_SYSTEM raw;
    uint16_t *params;
    hcs_cq q;
    seen s;
} target;

/* ---- one exit of each kind ----------------------------------------------------------- */

static void on_raw_event(HCS_EVENT *event, void *context)
{
    if (event->Type == HcsEventProcessExited)
        seen_mark(context);
}

static double raw_exit(target *t)
{
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HCS_PROCESS proc = NULL;
    HCS_PROCESS_INFORMATION info;
    bench_check(HcsCreateProcess(t->raw, t->params, op, NULL, &proc), "HcsCreateProcess");
    bench_check(HcsWaitForOperationResultAndProcessInfo(op, INFINITE, &info, NULL), "HcsCreateProcess (wait)");
    HcsCloseOperation(op);
    seen_reset(&t->s);
    bench_check(HcsSetProcessCallback(proc, HcsEventOptionNone, &t->s, on_raw_event), "HcsSetProcessCallback");
    int fd = (int)((intptr_t)info.StdInput - 1); /* the POSIX handle encoding, hcs/computecore.h */
    double t0 = bench_now_us();
    if (write(fd, EXIT_LINE, strlen(EXIT_LINE)) < 0)
        bench_fail("cannot write to a process's stdin");
    double t1 = seen_wait(&t->s);
    close(fd);
    HcsCloseProcess(proc);
    return t1 - t0;
}

static void on_lib_event(const hcs_event *event, void *user)
{
    if (event->type == HCS_EVENT_PROCESS_EXITED)
        seen_mark(user);
}

static double lib_exit(target *t, bool queue)
{
    hcs_process_spec spec = {.command_line = "cmd", .create_stdin = true};
    if (queue)
        spec.events.cq = t->q;
    else
        spec.events = (hcs_event_sink){.callback = on_lib_event, .user_data = &t->s};
    seen_reset(&t->s);
    hcs_process proc;
    hcs_stdio stdio;
    bench_check(hcs_process_create(t->sys, &spec, HCS_TIMEOUT_DEFAULT, &proc, &stdio, NULL), "hcs_process_create");
    double t0 = bench_now_us(), t1 = 0;
    bench_check(hcs_pipe_write(stdio.in, EXIT_LINE, strlen(EXIT_LINE), NULL), "hcs_pipe_write");
    if (queue) {
        for (bool exited = false; !exited;) {
            hcs_result r;
            bench_check(hcs_cq_next(t->q, HCS_TIMEOUT_INFINITE, &r, NULL), "hcs_cq_next");
            t1 = bench_now_us();
            exited = r.event_type == HCS_EVENT_PROCESS_EXITED;
            hcs_result_clear(&r);
        }
    } else {
        t1 = seen_wait(&t->s);
    }
    hcs_process_close(proc);
    hcs_stdio_close(&stdio);
    return t1 - t0;
}

/* ---- the rows ------------------------------------------------------------------------------ */

typedef enum kind { RAW, CALLBACK_, QUEUE } kind;

typedef struct series {
    double p50[MAX_REPS], p99[MAX_REPS];
    bench_samples all;
} series;

static double one_exit(target *t, kind k) { return k == RAW ? raw_exit(t) : lib_exit(t, k == QUEUE); }

static double med(double *v) { return bench_median(v, (size_t)bench.repetitions); }

static void rows(const char *name, series *lib, series *raw)
{
    char row[64];
    snprintf(row, sizeof row, "event_%s_p50", name);
    bench_row(row, "us p50", med(lib->p50), med(raw->p50), BENCH_NO_TARGET);
    snprintf(row, sizeof row, "event_%s_p99", name);
    bench_row(row, "us p99", med(lib->p99), med(raw->p99), BENCH_AT_MOST(1000, "us"));
    snprintf(row, sizeof row, "event_%s_p999", name);
    bench_row(row, "us p99.9", bench_samples_pct(&lib->all, 99.9), bench_samples_pct(&raw->all, 99.9), BENCH_NO_TARGET);
    snprintf(row, sizeof row, "event_%s_max", name);
    bench_row(row, "us max", bench_samples_pct(&lib->all, 100), bench_samples_pct(&raw->all, 100), BENCH_NO_TARGET);
}

void bench_event(void)
{
    target t = {.s = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER}};
    char id[64];
    bench_id(id, sizeof id, "event");
    bench_check(hcs_system_create(bench.client, &(hcs_system_spec){.id = id, .config_json = BENCH_CONTAINER},
                                  HCS_TIMEOUT_DEFAULT, &t.sys, NULL),
                "create");
    bench_check(hcs_system_start(t.sys, NULL, HCS_TIMEOUT_DEFAULT, NULL), "start");
    uint16_t *wid = bench_w(id);
    bench_check(HcsOpenComputeSystem(wid, GENERIC_ALL, &t.raw), "HcsOpenComputeSystem");
    hcs_free(wid);
    t.params = bench_w(PARAMS);
    bench_check(hcs_cq_create(&t.q, NULL), "hcs_cq_create");

    int exits = (int)bench_size(400, 10);
    series s[3] = {0};
    bench_samples block[3] = {0};
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < exits / 10 + 1; i++)
            one_exit(&t, (kind)k); /* warm-up */
    for (int rep = 0; rep < bench.repetitions; rep++) {
        for (int k = 0; k < 3; k++)
            bench_samples_clear(&block[k]);
        /* Interleaved, so that a busy moment of the machine hits all three. */
        for (int i = 0; i < exits; i++)
            for (int k = 0; k < 3; k++) {
                double us = one_exit(&t, (kind)((i + k) % 3));
                bench_samples_add(&block[(i + k) % 3], us);
                bench_samples_add(&s[(i + k) % 3].all, us);
            }
        for (int k = 0; k < 3; k++) {
            s[k].p50[rep] = bench_samples_pct(&block[k], 50);
            s[k].p99[rep] = bench_samples_pct(&block[k], 99);
        }
    }
    rows("callback", &s[CALLBACK_], &s[RAW]);
    rows("queue", &s[QUEUE], &s[RAW]);
    for (int k = 0; k < 3; k++) {
        bench_samples_free(&block[k]);
        bench_samples_free(&s[k].all);
    }
    hcs_cq_close(t.q);
    hcs_free(t.params);
    HcsCloseComputeSystem(t.raw);
    hcs_system_terminate(t.sys, HCS_TIMEOUT_DEFAULT, NULL);
    hcs_system_close(t.sys);
}
