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
sim_process *hcssim__process_new(sim_system *sys);
void hcssim__process_retain(sim_process *proc);
void hcssim__process_release(sim_process *proc);
sim_handle **hcssim__process_handles(sim_process *proc);

/* Checks a ProcessParameters document (hcs-api §8.5) and remembers it. */
HRESULT hcssim__process_configure(sim_process *proc, const json_t *params, char detail[SIM_DETAIL_SIZE]);
/* Starts the configured program: pid (unless one was set: a migrated
 * process keeps its id), pipes, thread. An unknown program
 * fails like CreateProcess: HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND). */
HRESULT hcssim__process_start(sim_process *proc, char detail[SIM_DETAIL_SIZE]);

/* Fresh client handles to the process's pipes (§11 #39, #47). */
void hcssim__process_info(sim_process *proc, HCS_PROCESS_INFORMATION *info);
/* The ProcessStatus document (§11 #41), malloc'ed UTF-8. */
char *hcssim__process_status(const sim_process *proc);

bool hcssim__process_started(const sim_process *proc);
/* HcsCreateProcess has not completed yet. */
bool hcssim__process_pending(const sim_process *proc);
/* The create failed: the process will never run; waiters give up. */
void hcssim__process_failed(sim_process *proc);
bool hcssim__process_exited(const sim_process *proc);
/* A callback registered on h after the process exited gets the exit it
 * missed, as many times as the exit was posted (none when a fault plan
 * dropped it); inferred, docs/simulator-fidelity.md "Late registration". */
void hcssim__process_report_late_exit(sim_process *proc, sim_handle *h);
void hcssim__process_signal(sim_process *proc, sim_signal signal);
/* Closes a stdio stream on the guest side: "StdIn", "StdOut", "StdErr" or
 * "All" (the guest reading stdin sees its end). */
void hcssim__process_close_stdio(sim_process *proc, const char *which);
void hcssim__process_resize_console(sim_process *proc, unsigned height, unsigned width);
/* Waits (engine lock held, released while waiting) until the process exits
 * (or its create fails) or the deadline passes; true when it exited. */
bool hcssim__process_await_exit(sim_process *proc, uint64_t deadline_ms);

/* The live process with this pid in sys, or NULL. */
sim_process *hcssim__process_find(sim_system *sys, uint32_t pid);
/* Ends every live process of sys (the system exited, §11 #33). */
void hcssim__processes_end_all(sim_system *sys);
/* Posts an event to every handle of every live process of sys. */
void hcssim__processes_post(sim_system *sys, HCS_EVENT_TYPE type, const char *data);

/* The memory sys's live processes hold now, in bytes; the peak is raised
 * to it. */
uint64_t hcssim__processes_memory(sim_system *sys);

/* The system's Statistics and ProcessList properties (hcs-api §8.4),
 * computed from what its processes did. After the system stopped,
 * Statistics keep the values it had then (the peak never decreases) and
 * ProcessList is empty. */
json_t *hcssim__system_statistics(sim_system *sys);
json_t *hcssim__process_list(const sim_system *sys);

/* Live migration (migration.h): the running processes, each as
 * {"ProcessId", "Parameters"} (without stdio pipes, which stay on the
 * source host), and processes started from such a list on the
 * destination, which keep running there under the same ids (a migrated
 * guest keeps its processes). With the engine lock held. */
json_t *hcssim__processes_export(const sim_system *sys);
void hcssim__processes_import(sim_system *sys, const json_t *list);

#endif
