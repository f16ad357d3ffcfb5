/* hcssim's control functions (see hcssim.h). */
#include "behaviour.h"
#include "engine.h"
#include "fault.h"
#include "service.h"
#include "hcssim/hcssim.h"

#include <string.h>

/* The asynchronous exports and the operation type each one reports. */
static const struct {
    const char *function;
    HCS_OPERATION_TYPE type;
} async_calls[] = {
    {"HcsEnumerateComputeSystems", HcsOperationTypeEnumerate},
    {"HcsCreateComputeSystem", HcsOperationTypeCreate},
    {"HcsStartComputeSystem", HcsOperationTypeStart},
    {"HcsShutDownComputeSystem", HcsOperationTypeShutdown},
    {"HcsPauseComputeSystem", HcsOperationTypePause},
    {"HcsResumeComputeSystem", HcsOperationTypeResume},
    {"HcsSaveComputeSystem", HcsOperationTypeSave},
    {"HcsTerminateComputeSystem", HcsOperationTypeTerminate},
    {"HcsModifyComputeSystem", HcsOperationTypeModify},
    {"HcsGetComputeSystemProperties", HcsOperationTypeGetProperties},
    {"HcsCreateProcess", HcsOperationTypeCreateProcess},
    {"HcsSignalProcess", HcsOperationTypeSignalProcess},
    {"HcsGetProcessInfo", HcsOperationTypeGetProcessInfo},
    {"HcsGetProcessProperties", HcsOperationTypeGetProcessProperties},
    {"HcsModifyProcess", HcsOperationTypeModifyProcess},
    {"HcsCrashComputeSystem", HcsOperationTypeCrash},
    /* the live migration calls share their type (hcs-newest §5 #2) */
    {"HcsInitializeLiveMigrationOnSource", HCS_OPERATION_TYPE_LIVE_MIGRATION},
    {"HcsStartLiveMigrationOnSource", HCS_OPERATION_TYPE_LIVE_MIGRATION},
    {"HcsStartLiveMigrationTransfer", HCS_OPERATION_TYPE_LIVE_MIGRATION},
    {"HcsFinalizeLiveMigration", HCS_OPERATION_TYPE_LIVE_MIGRATION},
    {"HcsCancelLiveMigration", HCS_OPERATION_TYPE_LIVE_MIGRATION},
};

int hcssim_set_latency(const char *function, unsigned ms)
{
    sim_engine *e = hcssim__engine_get();
    int found = -1;
    hcs__mutex_lock(&e->mu);
    for (size_t i = 0; i < sizeof async_calls / sizeof async_calls[0]; i++)
        if (!function || strcmp(function, async_calls[i].function) == 0) {
            e->latency_ms[async_calls[i].type + 1] = ms;
            found = 0;
        }
    hcs__mutex_unlock(&e->mu);
    return found;
}

int hcssim_set_faults(const char *json, char *error, size_t error_size)
{
    char sink[1];
    return hcssim__fault_install(json, error_size ? error : sink, error_size ? error_size : sizeof sink);
}

int hcssim_set_behaviour(const char *name, const char *value) { return hcssim__behaviour_set(name, value); }

void hcssim_disconnect_service(void)
{
    sim_engine *e = hcssim__engine_get();
    hcs__mutex_lock(&e->mu);
    hcssim__service_disconnect_locked(e);
    hcs__mutex_unlock(&e->mu);
}

void hcssim_restore_service(void) { hcssim__service_restore(); }

void hcssim_get_counts(hcssim_counts *out)
{
    sim_engine *e = hcssim__engine_get();
    out->handles = hcs__table_live(&e->handles);
    out->handle_slots = hcs__table_slots(&e->handles);
    out->systems = atomic_load(&e->live_systems);
    out->processes = atomic_load(&e->live_processes);
    out->operations = atomic_load(&e->live_operations);
    out->requests = atomic_load(&e->live_requests);
}
