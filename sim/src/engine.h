/* The simulated service's shared state. One lock guards every system and
 * operation; state changes happen on the engine thread (scheduler.h) or
 * synchronously inside an export, always under this lock. Client callbacks
 * are never called with it held. */
#ifndef HCSSIM_ENGINE_H
#define HCSSIM_ENGINE_H

#include "hcs/computecore.h"
#include "platform/thread.h"
#include "util/handle_table.h"
#include "util/hash_index.h"

#include <stdatomic.h>
#include <stdint.h>

/* Tags of the objects in the engine's handle table. */
enum sim_kind {
    SIM_KIND_OPERATION = 1,
    SIM_KIND_SYSTEM_HANDLE = 2,
    SIM_KIND_PROCESS_HANDLE = 3,
};

typedef struct sim_system sim_system;

typedef struct sim_engine {
    hcs_mutex mu;
    hcs_handle_table handles;
    sim_system *systems;        /* registered (not yet exited) systems, newest first */
    hcs_hash_index system_ids;  /* the same systems by namespace and id (system_state.h) */
    hcs_hash_index process_ids; /* live guest processes by pid (process.h) */
    uint64_t next_operation_id;
    uint64_t next_runtime_id;
    uint32_t next_pid;
    bool disconnected;          /* the service connection was lost (hcs-api §11 #38) */
    struct sim_request *parked; /* never-completing calls without a system: failed on disconnect */
    struct json_t *cpu_groups;  /* the host's CPU groups (cpu_group.h), created on first use */
    uint64_t next_hv_group_id;
    /* Objects alive, for hcssim_get_counts(). */
    atomic_uint live_systems;
    atomic_uint live_processes;
    atomic_uint live_operations;
    atomic_uint live_requests;
    /* Per HCS_OPERATION_TYPE + 1 (index 0: internal requests). */
    uint32_t latency_ms[HCS_OPERATION_TYPE_LIVE_MIGRATION + 2]; /* by HCS_OPERATION_TYPE + 1 */
} sim_engine;

/* The process-wide engine, initialised on first use. */
sim_engine *hcssim__engine_get(void);

/* Handle values are the table's ids; 0 is never a valid id. */
static inline uint64_t sim_handle_id(const void *h) { return (uint64_t)(uintptr_t)h; }
static inline void *sim_handle_value(uint64_t id) { return (void *)(uintptr_t)id; }

#endif
