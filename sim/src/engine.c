/* Lazy, thread-safe creation of the process-wide engine. */
#include "engine.h"

#include "behaviour.h"
#include "fault.h"
#include "profile.h"

static sim_engine engine;

static void init_engine(void)
{
    hcs__mutex_init(&engine.mu);
    hcs__table_init(&engine.handles);
    hcs__hash_init(&engine.system_ids);
    hcs__hash_init(&engine.process_ids);
    engine.next_operation_id = 1;
    engine.next_runtime_id = 1;
    for (size_t i = 0; i < sizeof engine.latency_ms / sizeof engine.latency_ms[0]; i++)
        engine.latency_ms[i] = 1;
    /* Long enough for a client to register callbacks on a new system before
     * its creation completes (hcs-api §3.4, pattern 3). */
    engine.latency_ms[HcsOperationTypeCreate + 1] = 5;
    /* The environment's configuration is read now, so a bad value stops
     * the program at its first call rather than somewhere later. */
    hcssim__profile_current();
    hcssim__close_cancels_pending();
    hcssim__fault_install_from_environment();
}

static hcs_once once = HCS_ONCE_INIT;

sim_engine *hcssim__engine_get(void)
{
    hcs__call_once(&once, init_engine);
    return &engine;
}
