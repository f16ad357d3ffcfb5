/* A simulated compute system's data, its registry by id, and the documents
 * that describe it (Properties, enumeration). All functions here expect the
 * engine lock to be held, except retain/release. */
#ifndef HCSSIM_SYSTEM_STATE_H
#define HCSSIM_SYSTEM_STATE_H

#include "document.h"
#include "engine.h"
#include "util/hash_index.h"
#include "util/object.h"

#include <jansson.h>
#include <stdbool.h>

typedef enum sim_state {
    SIM_CREATING,      /* create requested, not completed */
    SIM_NEVER_CREATED, /* create failed; the handle leads nowhere */
    SIM_CREATED,
    SIM_RUNNING,
    SIM_PAUSED,
    SIM_SAVED_AS_TEMPLATE, /* saved with SaveType AsTemplate (§11 #20) */
    SIM_STOPPED,           /* exited; only the exit status remains */
} sim_state;

/* What guest processes did, in the units Statistics reports. */
typedef struct sim_usage {
    uint64_t cpu_ms;
    uint64_t read_bytes, write_bytes, reads, writes;
} sim_usage;

struct sim_system {
    hcs_object base;
    sim_system *next, *prev; /* registry list, newest first (enumeration order) */
    hcs_hash_node by_id;     /* registry index by namespace and id */
    bool registered;
    char *ns; /* namespace, NULL for the default one */
    char *id;
    char *owner;     /* NULL when the document named none */
    char *host_name; /* the guest's name (config.h); NULL: the id */
    char *scratch;   /* a container's writable layer (Storage.Path) as a host folder, or NULL (layer.h) */
    char *network_namespace; /* Container.Networking.Namespace (hcn.h), or NULL */
    bool is_vm;
    bool has_guest_connection;
    bool connected_suspend; /* GuestConnection.UseConnectedSuspend: still connected while paused */
    bool terminate_on_last_close;
    bool crash_reporting; /* Devices.GuestCrashReporting configured */
    sim_state state;
    uint64_t memory_mb;
    uint32_t processor_count;
    json_t *devices;                /* a VM's devices (devices.h), an object; NULL for a container */
    struct sim_handle *handle_list; /* open HCS_SYSTEM handles */
    struct sim_request *parked;     /* calls that never complete by themselves */
    struct sim_process *processes;  /* live guest processes */
    sim_usage exited_usage;         /* what exited processes did */
    uint64_t live_memory;           /* bytes the live processes hold now */
    uint64_t memory_peak;           /* bytes: the most processes ever held at once */
    uint64_t exit_memory;           /* bytes processes held when the system stopped */
    hcs_cond exited;                /* broadcast when state becomes Stopped */
    uint64_t last_due_ms;           /* keeps this system's requests in order */
    bool started;                   /* it ran: started_ms is set */
    uint64_t started_ms;
    uint64_t stopped_ms; /* when it stopped (state Stopped) */
    char runtime_id[37];
    char *exit_status;        /* SystemExitStatus JSON once stopped */
    const char *exit_type;    /* its NotificationType string */
    struct sim_migration *lm; /* a live migration in progress (migration.h), or NULL */
    json_t *compatibility;    /* VirtualMachine.MigrationOptions.CompatibilityData, decoded, or NULL */
};

/* A new system in state Creating, not yet registered, as the valid
 * document config describes it (a restored VM's config already holds the
 * saved state, saved_state.h). config may be NULL (a create that will
 * fail). Returns NULL when memory ran out. */
sim_system *hcssim__system_new(sim_engine *e, const char *ns, const char *id, const json_t *config);
void hcssim__system_retain(sim_system *sys);
void hcssim__system_release(sim_system *sys);

/* Created, running or paused: not yet exited. */
bool hcssim__system_alive(const sim_system *sys);
/* The system exits (§11 #24, #25, #33, #35): state Stopped, id released
 * for reuse, SystemExited posted to its handles, parked calls failed, its
 * processes ended. attribution is an AttributionRecord JSON object or
 * NULL; the function takes it. */
void hcssim__system_exit(sim_system *sys, HRESULT status, const char *exit_type, json_t *attribution);
/* Posts an event to every handle of sys, as often as the fault plan says. */
void hcssim__system_post(sim_system *sys, HCS_EVENT_TYPE type, const char *name, const char *data);

void hcssim__registry_add(sim_engine *e, sim_system *sys);
/* The registered system with this id (ASCII case-insensitive) in namespace
 * ns (NULL: the default one), or NULL. */
sim_system *hcssim__registry_find(sim_engine *e, const char *ns, const char *id);
/* Validates a SystemQuery document (NULL is valid: every system). */
HRESULT hcssim__registry_check_query(const json_t *query, char detail[SIM_DETAIL_SIZE]);
/* The JSON array of basic Properties of every system matching query. */
json_t *hcssim__registry_enumerate(sim_engine *e, const char *ns, const json_t *query);

/* The basic Properties of a system (hcs-api §8.4), as enumerate lists
 * them and every property query starts from. */
json_t *hcssim__system_basic_properties(const sim_system *sys);

/* The guest's host name: the document's, else the system's id. */
const char *hcssim__system_host_name(const sim_system *sys);

#endif
