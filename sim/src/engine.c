/* Lazy, thread-safe creation of the process-wide engine. */
#include "engine.h"

#include "behaviour.h"
#include "fault.h"
#include "profile.h"

static sim_engine engine;

static void init_engine(void)
{
    hcs_mutex_init(&engine.mu);
    hcs_table_init(&engine.handles);
    engine.next_operation_id = 1;
    engine.next_runtime_id = 1;
    for (size_t i = 0; i < sizeof engine.latency_ms / sizeof engine.latency_ms[0]; i++)
        engine.latency_ms[i] = 1;
    /* Long enough for a client to register callbacks on a new system before
     * its creation completes (hcs-api §3.4, pattern 3). */
    engine.latency_ms[HcsOperationTypeCreate + 1] = 5;
    /* The environment's configuration is read now, so a bad value stops
     * the program at its first call rather than somewhere later. */
    sim_profile_current();
    sim_close_cancels_pending();
    sim_fault_install_from_environment();
}

static hcs_once once = HCS_ONCE_INIT;

sim_engine *sim_engine_get(void)
{
    hcs_call_once(&once, init_engine);
    return &engine;
}
