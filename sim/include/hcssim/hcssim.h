/* hcssim's own entry points, beside the computecore exports. */
#ifndef HCSSIM_HCSSIM_H
#define HCSSIM_HCSSIM_H

#if !defined(_WIN32) && !defined(HCSSIM_EMBEDDED)
#define HCSSIM_PUBLIC __attribute__((visibility("default")))
#else
#define HCSSIM_PUBLIC /* the DLL exports through its .def file */
#endif

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Looks up a computecore export by name, as GetProcAddress would on the
 * DLL: NULL when the emulated build lacks it. This is how libhcs binds the
 * embedded simulator on hosts without DLLs. */
HCSSIM_PUBLIC void (*hcssim_proc_address(const char *name))(void);

/* A latency that never elapses: the call stays Pending forever. */
#define HCSSIM_NEVER 0xFFFFFFFFu

/* Sets how many milliseconds the simulated service takes to complete the
 * named asynchronous call (e.g. "HcsStartComputeSystem"), or every call
 * when `function` is NULL. Affects calls made afterwards. Returns 0, or -1
 * when the name is not an asynchronous computecore function. */
HCSSIM_PUBLIC int hcssim_set_latency(const char *function, unsigned ms);

/* Installs a fault plan (docs/fault-plans.md), replacing the current one;
 * NULL or "" clears it. Returns 0, or -1 with a message in error (when
 * error_size > 0) naming the rule that is wrong. */
HCSSIM_PUBLIC int hcssim_set_faults(const char *json, char *error, size_t error_size);

/* Chooses one reading where the documentation allows two
 * (docs/simulator-fidelity.md, "Switches"). Returns 0, or -1 for an unknown
 * name or value. */
HCSSIM_PUBLIC int hcssim_set_behaviour(const char *name, const char *value);

/* Simulates losing the connection to the compute service: every handle's
 * callback gets HcsEventServiceDisconnect once, pending calls fail with
 * HCS_E_SERVICE_DISCONNECT and so do new ones, until restored. */
HCSSIM_PUBLIC void hcssim_disconnect_service(void);

/* Ends a simulated service loss (hcssim_disconnect_service): new calls
 * work again; what failed stays failed. */
HCSSIM_PUBLIC void hcssim_restore_service(void);

/* What the simulated service holds right now, so that tests can check
 * that closing everything gives everything back: once every handle is
 * closed and the work in flight has drained (pending calls completed,
 * events delivered, guest programs ended), only systems that HCS itself
 * keeps remain, and nothing else. A system HCS keeps is one that has not
 * stopped (Created, Running, Paused, SavedAsTemplate: it outlives its
 * handles unless ShouldTerminateOnLastHandleClosed, hcs-api §11 #26); a
 * stopped system, or one whose create failed, is forgotten as soon as no
 * handle names it (§11 #25). So after terminating every system and closing
 * every handle, every count but handle_slots falls to 0.
 *
 * Fields are only ever added at the end (operations and requests were);
 * the function fills the whole struct, so a program compiled against an
 * older hcssim.h must be rebuilt before it runs on a newer hcssim. */
typedef struct hcssim_counts {
    unsigned handles;      /* open operation, system and process handles */
    unsigned handle_slots; /* the handle table's size: reused, never shrunk */
    unsigned systems;      /* system objects alive: kept by HCS, named by a handle or used by work in flight */
    unsigned processes;    /* process objects alive: running, or named by a handle or work in flight */
    unsigned operations;   /* operation objects alive: open, or closed with their call still in flight */
    unsigned requests;     /* asynchronous calls in flight: queued, waiting for their latency, or parked */
} hcssim_counts;
HCSSIM_PUBLIC void hcssim_get_counts(hcssim_counts *out);

#ifdef __cplusplus
}
#endif

#endif
