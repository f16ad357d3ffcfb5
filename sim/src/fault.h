/* Fault plans: scripted misbehaviour of the simulated service, so that a
 * client can be tested against the failures real users hit
 * (hcsshim-and-peers §6). A plan is a JSON document, from the environment
 * variable HCSSIM_FAULTS (the JSON itself, or @path to a file) or from
 * hcssim_set_faults(); its format is described in docs/fault-plans.md.
 *
 * Rules for calls match a computecore function name and optionally a
 * system id, and fire a given number of times (default: every time). */
#ifndef HCSSIM_FAULT_H
#define HCSSIM_FAULT_H

#include "hcs/computecore.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What happens to the system after the call's action. */
typedef enum sim_then { SIM_THEN_NONE, SIM_THEN_CRASH, SIM_THEN_EXIT, SIM_THEN_DISCONNECT } sim_then;

/* Where a live migration's transfer closes its connection: as one of the
 * phases of the state stream begins, or once cut_bytes of the stream have
 * passed (docs/fault-plans.md, "cut"). */
typedef enum sim_cut { SIM_CUT_NONE, SIM_CUT_MEMORY, SIM_CUT_DEVICES, SIM_CUT_PROCESSES, SIM_CUT_AFTER_BYTES } sim_cut;

typedef struct sim_fault {
    bool at_kickoff;    /* the call itself returns hr */
    bool at_completion; /* the operation completes with hr */
    bool run_action;    /* at completion: the real action still happens */
    bool never;         /* the operation never completes */
    uint32_t delay_ms;  /* completion latency instead of the default */
    sim_then then;
    sim_cut cut;        /* HcsStartLiveMigrationTransfer only */
    uint32_t cut_bytes; /* with SIM_CUT_AFTER_BYTES */
    HRESULT hr;
    char *message;  /* ErrorEvents message, or NULL */
    char *document; /* a ResultError document to return verbatim */
} sim_fault;

/* The plan's name of a phase cut ("memory", ...); "" for the others. */
const char *hcssim__fault_cut_phase(sim_cut cut);

/* Fills *out with what the plan says about this call (all zero when
 * nothing) and counts the use. system_id may be NULL. */
void hcssim__fault_lookup(const char *call, const char *system_id, sim_fault *out);
/* The result document for a faulted completion (malloc'ed UTF-8). */
char *hcssim__fault_document(const sim_fault *f);
void hcssim__fault_clear(sim_fault *f);

/* How an event of the given name ("SystemExited", "ProcessExited", ...)
 * for this system is to be delivered: 0 dropped, 1 normally, 2 twice. */
int hcssim__fault_event_copies(const char *event, const char *system_id);
/* True when processes of this system keep their stdout and stderr open
 * after they exit (§6 #12). */
bool hcssim__fault_keep_stdio_open(const char *system_id);

/* Reads HCSSIM_FAULTS once (later calls do nothing). */
void hcssim__fault_install_from_environment(void);

/* Parses and installs a plan, replacing the current one; NULL or "" clears
 * it. Returns 0, or -1 with a message in error (always NUL-terminated). */
int hcssim__fault_install(const char *json, char *error, size_t error_size);

#endif
