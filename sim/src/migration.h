/* Live migration of a virtual machine (hcs-newest §4, build 24H2): the
 * source's initialize, start and transfer, the destination's start with
 * DestinationMigrationOptions and transfer, finalize and cancel on either
 * side. The two sides talk over the connected stream socket the caller
 * attached to the start's operation (HcsAddResourceToOperation); the
 * simulator keeps its own duplicate of it for the transfer. What travels
 * is the simulator's own: one JSON line from the source (session, memory
 * size, processor count, devices, the running guest processes' parameters)
 * and one back from the destination (its verdict). Both hosts may be the
 * same simulator (two systems) or two hcssimd instances. Choices the
 * reference leaves open are in docs/simulator-fidelity.md, "Live
 * migration". All functions expect the engine lock to be held. */
#ifndef HCSSIM_MIGRATION_H
#define HCSSIM_MIGRATION_H

#include "document.h"
#include "request.h"

typedef struct sim_migration sim_migration;

HRESULT hcssim__do_lm_initialize(sim_request *req, char **doc);
HRESULT hcssim__do_lm_start_source(sim_request *req, char **doc);
HRESULT hcssim__do_lm_transfer(sim_request *req, char **doc);
HRESULT hcssim__do_lm_finalize(sim_request *req, char **doc);
HRESULT hcssim__do_lm_cancel(sim_request *req, char **doc);

/* HcsStartComputeSystem with DestinationMigrationOptions (req->args has
 * them): the system waits for the source's state instead of booting. */
HRESULT hcssim__lm_start_destination(sim_request *req, char **doc);

/* Checks a MigrationInitializeOptions document (hcs-newest §4.7): the
 * initialize's options on the source, or VirtualMachine.MigrationOptions
 * of a destination's document; `where` names it in detail. Unknown
 * members, wrong types and enum strings are HCS_E_INVALID_JSON; an Origin
 * naming the other side or a number out of bounds E_INVALIDARG; on the
 * destination, CompatibilityData that is not this simulator's or needs
 * processor features the host lacks 0x8007000D. */
HRESULT hcssim__lm_check_options(const json_t *options, bool source, const char *where, char detail[SIM_DETAIL_SIZE]);

/* The CompatibilityInfo of a running (or paused) VM, {"Data": base64}
 * (§5 #9): the simulator's own description of what a host needs to run
 * it. 0x80070032 for a container, HCS_E_INVALID_STATE when not running. */
HRESULT hcssim__lm_compatibility(const sim_system *sys, json_t **info, char detail[SIM_DETAIL_SIZE]);

/* The decoded content of a CompatibilityInfo's Data, or NULL when it is
 * not one of this simulator's. */
json_t *hcssim__lm_compatibility_read(const char *data);

/* Whether ordinary calls that change the system are refused: it is in a
 * migration (hcs-newest §5 #8). */
bool hcssim__lm_busy(const sim_system *sys);

/* The system exits: its migration ends; a transfer in flight fails. */
void hcssim__lm_end(sim_system *sys);

#endif
