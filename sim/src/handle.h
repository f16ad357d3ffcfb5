/* HCS_SYSTEM and HCS_PROCESS handles. Each handle names one simulated
 * system or process and carries its own event listener (hcs-api §4.2:
 * registration is per handle). A system or process keeps the list of its
 * open handles so that an event reaches every one of them. All functions
 * expect the engine lock to be held, except where noted. */
#ifndef HCSSIM_HANDLE_H
#define HCSSIM_HANDLE_H

#include "engine.h"
#include "listener.h"

typedef struct sim_process sim_process;

typedef struct sim_handle {
    hcs_object base;
    uint64_t value; /* the HCS_SYSTEM / HCS_PROCESS value */
    sim_listener events;
    sim_system *sys;         /* referenced */
    sim_process *proc;       /* referenced; NULL for a system handle */
    struct sim_handle *next; /* in the system's or process's handle list */
    uint64_t create_op;      /* operation that created the system, if any */
} sim_handle;

/* A new handle for sys (proc NULL) or for proc, linked into *list. Returns
 * NULL when memory ran out. The table holds the only reference. */
sim_handle *hcssim__handle_new(sim_engine *e, sim_system *sys, sim_process *proc, sim_handle **list);

/* Without the engine lock: the handle behind a value, referenced, or NULL
 * for a closed, stale or foreign value. */
sim_handle *hcssim__handle_acquire(const void *value, enum sim_kind kind);
void hcssim__handle_release(sim_handle *h);

/* Without the engine lock: closes the handle (once; later closes are
 * ignored, §11 #55), unlinks it from *list_of(h) and waits for a callback
 * in progress. Returns the detached handle, referenced, or NULL. */
sim_handle *hcssim__handle_close(const void *value, enum sim_kind kind, sim_handle **(*list_of)(sim_handle *));

/* Posts an event `copies` times (normally once) to every handle in list. */
void hcssim__handles_post(sim_handle *list, HCS_EVENT_TYPE type, const char *data, int copies);

static inline HCS_SYSTEM sim_handle_as_system(const sim_handle *h) { return (HCS_SYSTEM)sim_handle_value(h->value); }

#endif
