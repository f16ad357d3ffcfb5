/* Guest processes of a simulated system (hcs-api §2.3, §5): each runs one
 * guest program (guest.h) on a thread of its own, with real pipes for the
 * stdio streams the caller asked for. All functions expect the engine lock
 * to be held, except retain/release. */
#ifndef HCSSIM_PROCESS_H
#define HCSSIM_PROCESS_H

#include "document.h"
#include "engine.h"
#include "util/object.h"

#include <jansson.h>
#include <stdbool.h>

typedef struct sim_process sim_process;
typedef struct sim_handle sim_handle;

/* How a process is asked to stop or react (HcsSignalProcess values). */
typedef enum sim_signal { SIM_SIGNAL_CTRL_C, SIM_SIGNAL_CTRL_BREAK, SIM_SIGNAL_TERMINATE } sim_signal;

/* A new process of sys, not started: its handle can be given out at once
 * while HcsCreateProcess is pending. NULL when memory ran out. */
sim_process *sim_process_new(sim_system *sys);
void sim_process_retain(sim_process *proc);
void sim_process_release(sim_process *proc);
sim_handle **sim_process_handles(sim_process *proc);

/* Checks a ProcessParameters document (hcs-api §8.5) and remembers it. */
HRESULT sim_process_configure(sim_process *proc, const json_t *params, char detail[SIM_DETAIL_SIZE]);
/* Starts the configured program: pid, pipes, thread. An unknown program
 * fails like CreateProcess: HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND). */
HRESULT sim_process_start(sim_process *proc, char detail[SIM_DETAIL_SIZE]);

/* Fresh client handles to the process's pipes (§11 #39, #47). */
void sim_process_info(sim_process *proc, HCS_PROCESS_INFORMATION *info);
/* The ProcessStatus document (§11 #41), malloc'ed UTF-8. */
char *sim_process_status(const sim_process *proc);

bool sim_process_started(const sim_process *proc);
/* HcsCreateProcess has not completed yet. */
bool sim_process_pending(const sim_process *proc);
/* The create failed: the process will never run; waiters give up. */
void sim_process_failed(sim_process *proc);
bool sim_process_exited(const sim_process *proc);
/* A callback registered on h after the process exited gets the exit it
 * missed, as many times as the exit was posted (none when a fault plan
 * dropped it); inferred, docs/simulator-fidelity.md "Late registration". */
void sim_process_report_late_exit(sim_process *proc, sim_handle *h);
void sim_process_signal(sim_process *proc, sim_signal signal);
/* Closes a stdio stream on the guest side: "StdIn", "StdOut", "StdErr" or
 * "All" (the guest reading stdin sees its end). */
void sim_process_close_stdio(sim_process *proc, const char *which);
void sim_process_resize_console(sim_process *proc, unsigned height, unsigned width);
/* Waits (engine lock held, released while waiting) until the process exits
 * (or its create fails) or the deadline passes; true when it exited. */
bool sim_process_await_exit(sim_process *proc, uint64_t deadline_ms);

/* The live process with this pid in sys, or NULL. */
sim_process *sim_process_find(sim_system *sys, uint32_t pid);
/* Ends every live process of sys (the system exited, §11 #33). */
void sim_processes_end_all(sim_system *sys);
/* Posts an event to every handle of every live process of sys. */
void sim_processes_post(sim_system *sys, HCS_EVENT_TYPE type, const char *data);

/* The system's Statistics and ProcessList properties (hcs-api §8.4),
 * computed from what its processes did. */
json_t *sim_system_statistics(const sim_system *sys);
json_t *sim_process_list(const sim_system *sys);

#endif
