/* Guest processes of a simulated system (hcs-api §2.3, §5): created with a
 * ProcessParameters document, each runs one built-in guest program
 * (guest.h) on its own thread, with real OS pipes for the stdio streams
 * the caller asked for. All functions expect the engine lock to be held,
 * except retain/release. */
#ifndef HCSSIM_PROCESS_H
#define HCSSIM_PROCESS_H

#include "engine.h"
#include "util/object.h"

#include <jansson.h>

#include <stdbool.h>

typedef struct sim_process sim_process;
typedef struct sim_handle sim_handle;

void sim_process_retain(sim_process *proc);
void sim_process_release(sim_process *proc);

/* Ends every live process of sys (the system exited, §11 #33). */
void sim_processes_end_all(sim_system *sys);
/* Posts an event to every handle of every process of sys. */
void sim_processes_post(sim_system *sys, HCS_EVENT_TYPE type, const char *data);

/* The system's Statistics and ProcessList properties (hcs-api §8.4),
 * computed from what its processes did. */
json_t *sim_system_statistics(const sim_system *sys);
json_t *sim_process_list(const sim_system *sys);

#endif
