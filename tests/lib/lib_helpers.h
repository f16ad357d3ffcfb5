/* Helpers for libhcs tests over hcssim: one client per test program on the
 * simulator library the test also links (one engine in the process), or,
 * opt-in, on the host's computecore.dll (test_mode.h). */
#ifndef HCSKIT_TESTS_LIB_HELPERS_H
#define HCSKIT_TESTS_LIB_HELPERS_H

#include <hcs/hcs.h>

#include "hcssim/hcssim.h"
#include "platform/thread.h"

#define TEST_OWNER "libtests"
#include "test_mode.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* The documents of the systems the tests create: the simulator's below,
 * or those of HCSKIT_TEST_DOCUMENTS (test_mode.h). */
#define SIM_CONTAINER "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Owner\":\"libtests\",\"Container\":{}}"
#define SIM_VM                                                                                                         \
    "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Owner\":\"libtests\",\"VirtualMachine\":{\"ComputeTopology\":"     \
    "{\"Memory\":{\"SizeInMB\":1024}},\"GuestConnection\":{}}}"
#define CONTAINER test_document(TEST_CONTAINER, SIM_CONTAINER)
#define VM test_document(TEST_VM, SIM_VM)

/* The provider of the clients under test: the simulator library the
 * program also links (one engine in the process, so hcssim_* steer it), or
 * in system mode the host's computecore.dll from System32. */
#define TEST_PROVIDER (test_system_mode() ? "system" : HCSKIT_SIM_PROVIDER)

static hcs_client client;

static int open_client(void **state)
{
    (void)state;
    hcs_client_options opts = {.provider = TEST_PROVIDER};
    return hcs_client_open(&opts, &client, NULL) == HCS_OK ? 0 : -1;
}

static int close_client(void **state)
{
    (void)state;
    hcs_client_close(client);
    return 0;
}

/* A unique system id per call. */
static inline const char *unique_id(const char *tag)
{
    static char ids[32][48];
    static int next;
    char *out = ids[next++ % 32];
    snprintf(out, 48, "%s-%d-%d", tag, next, rand());
    return out;
}

/* A created and started system. */
static inline hcs_system running_system(const char *tag, const char *config)
{
    hcs_system sys;
    assert_int_equal(hcs_system_create(client, &(hcs_system_spec){.id = unique_id(tag), .config_json = config},
                                       HCS_TIMEOUT_DEFAULT, &sys, NULL),
                     HCS_OK);
    assert_int_equal(hcs_system_start(sys, NULL, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    return sys;
}

/* A latch for results that arrive on other threads. */
typedef struct latch {
    hcs_mutex mu;
    hcs_cond cv;
    int count;
    int32_t hr[64];
    char *doc[64];
    hcs_system system[64];
    void *user[64];
    hcs_event_type type[64]; /* HCS_EVENT_NONE: a request's own report */
    hcs_op op[64];
} latch;

static inline void latch_init(latch *l)
{
    memset(l, 0, sizeof *l);
    hcs__mutex_init(&l->mu);
    hcs__cond_init(&l->cv);
}

static inline void latch_free(latch *l)
{
    for (int i = 0; i < l->count && i < 64; i++)
        hcs_free(l->doc[i]);
    hcs__cond_destroy(&l->cv);
    hcs__mutex_destroy(&l->mu);
}

/* Waits (a 10 s hang guard, not a timing check) until *count, guarded by
 * mu and signalled on cv, reaches n; returns its value then. */
static inline int count_wait(hcs_mutex *mu, hcs_cond *cv, const int *count, int n)
{
    uint64_t deadline = hcs__clock_ms() + 10000;
    hcs__mutex_lock(mu);
    while (*count < n && hcs__cond_wait_until(cv, mu, deadline)) {
    }
    int seen = *count;
    hcs__mutex_unlock(mu);
    return seen;
}

/* Waits for n entries. */
static inline int latch_wait(latch *l, int n) { return count_wait(&l->mu, &l->cv, &l->count, n); }

/* An hcs_callback recording into the latch given as user data. */
static inline void record_result(hcs_result *r, void *user)
{
    latch *l = user;
    hcs__mutex_lock(&l->mu);
    if (l->count < 64) {
        l->hr[l->count] = r->hr;
        l->doc[l->count] = r->document;
        l->system[l->count] = r->system;
        l->user[l->count] = r->user_data;
        l->type[l->count] = r->event_type;
        l->op[l->count] = r->op;
        r->document = NULL; /* kept */
    }
    l->count++;
    hcs__cond_broadcast(&l->cv);
    hcs__mutex_unlock(&l->mu);
}

/* A setup for tests that steer the simulator: default latency, no fault
 * plan, the service up. */
static inline int reset_sim(void **state)
{
    (void)state;
    hcssim_set_latency(NULL, 1);
    hcssim_set_faults(NULL, NULL, 0);
    hcssim_restore_service();
    return 0;
}

/* Installs a fault plan (docs/fault-plans.md); a refused plan fails the test. */
static inline void set_faults(const char *json)
{
    char why[256] = "";
    if (hcssim_set_faults(json, why, sizeof why) != 0)
        fail_msg("fault plan refused: %s", why);
}

/* The simulator's counts once they stop changing (closes of earlier tests
 * may still be under way on other threads). */
static inline hcssim_counts settled_counts(void)
{
    hcssim_counts now, last;
    hcssim_get_counts(&last);
    for (int stable = 0, i = 0; stable < 5 && i < 500; i++) {
        hcs__sleep_ms(20);
        hcssim_get_counts(&now);
        stable = now.handles == last.handles && now.processes == last.processes ? stable + 1 : 0;
        last = now;
    }
    return last;
}

/* Every handle and process HCS handed out since `before` is given back
 * (a 10 s hang guard while closes finish). */
static inline void assert_all_given_back(hcssim_counts before)
{
    hcssim_counts now;
    uint64_t guard = hcs__clock_ms() + 10000;
    do {
        hcssim_get_counts(&now);
    } while ((now.handles > before.handles || now.processes > before.processes) && hcs__clock_ms() < guard &&
             (hcs__sleep_ms(20), 1));
    assert_int_equal(now.handles, before.handles);
    assert_int_equal(now.processes, before.processes);
}

#endif
