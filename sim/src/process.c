/* Guest processes (see process.h). */
#include "process.h"

#include "handle.h"
#include "system_state.h"

#include <stdlib.h>

struct sim_process {
    hcs_object base;
    sim_process *next; /* in the system's process list */
    sim_system *sys;
    sim_handle *handle_list;
};

void sim_process_retain(sim_process *proc) { hcs_object_retain(&proc->base); }

void sim_process_release(sim_process *proc)
{
    if (proc)
        hcs_object_release(&proc->base);
}

void sim_processes_end_all(sim_system *sys) { (void)sys; }

void sim_processes_post(sim_system *sys, HCS_EVENT_TYPE type, const char *data)
{
    for (sim_process *p = sys->processes; p; p = p->next)
        sim_handles_post(p->handle_list, type, data, 1);
}

/* Times in 100 ns units, as the schema counts them. */
json_t *sim_system_statistics(const sim_system *sys)
{
    uint64_t now = hcs_clock_ms();
    uint64_t uptime = sys->state == SIM_RUNNING || sys->state == SIM_PAUSED ? now - sys->started_ms : 0;
    return json_pack("{s:I, s:{s:I, s:I, s:I}, s:{s:I, s:I, s:I}, s:{s:I, s:I, s:I, s:I}}", "Uptime100ns",
                     (json_int_t)(uptime * 10000), "Processor", "TotalRuntime100ns", (json_int_t)0,
                     "RuntimeUser100ns", (json_int_t)0, "RuntimeKernel100ns", (json_int_t)0, "Memory",
                     "MemoryUsageCommitBytes", (json_int_t)0, "MemoryUsageCommitPeakBytes", (json_int_t)0,
                     "MemoryUsagePrivateWorkingSetBytes", (json_int_t)0, "Storage", "ReadCountNormalized",
                     (json_int_t)0, "ReadSizeBytes", (json_int_t)0, "WriteCountNormalized", (json_int_t)0,
                     "WriteSizeBytes", (json_int_t)0);
}

json_t *sim_process_list(const sim_system *sys)
{
    (void)sys;
    return json_array();
}
