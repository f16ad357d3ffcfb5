/* Live migration of a virtual machine from one host to another (Windows
 * build 26100 and later; hcssim's build 24H2).
 *
 * The two hosts talk over a connected TCP stream socket that the caller
 * makes (one side listens and accepts, the other connects) and hands to
 * both starts; HCS keeps its own reference, the socket stays the caller's.
 * Each side runs its own sequence:
 *
 *   source:       initialize -> start (socket) -> transfer -> finalize (Stop)
 *   destination:  [create the VM, not started] -> start (socket) -> transfer
 *                 -> finalize (Resume)
 *
 * with the same session id on both hosts. hcs_migrate runs a whole side in
 * one call; the steps stay available for runtimes that orchestrate them.
 * Progress arrives as HCS_EVENT_LIVE_MIGRATION events on the system's
 * subscriptions (event.h), each an OperationSystemMigrationNotificationInfo
 * document ({"Origin","Event","Result","AdditionalDetails"}): SetupDone,
 * TransferInProgress, BlackoutStarted, OfflineDone, BlackoutExited,
 * MigrationDone, or MigrationFailed with the reason.
 *
 * Every function returns HCS_WIN32_E_PROC_NOT_FOUND ("not supported on this
 * host", class unsupported) on hosts without live migration, and may be
 * called from any thread; hcs_migration_cancel in particular while another
 * thread waits in the transfer or in hcs_migrate. A socket is a file
 * descriptor on POSIX and a SOCKET on Windows. */
#ifndef HCS_MIGRATION_H
#define HCS_MIGRATION_H

#include "operation.h"
#include "schema.h"
#include "system.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The side a call acts for: its options' Origin. */
typedef enum hcs_migration_side { HCS_MIGRATION_SOURCE, HCS_MIGRATION_DESTINATION } hcs_migration_side;

/* How finalize ends a side: Resume keeps (source) or starts (destination)
 * the VM on this host; Stop discards it here. */
typedef enum hcs_migration_end { HCS_MIGRATION_RESUME, HCS_MIGRATION_STOP } hcs_migration_end;

/* Source: prepares a running VM (HcsInitializeLiveMigrationOnSource).
 * options_json is a MigrationInitializeOptions document (typed as
 * hcs_MigrationInitializeOptions, its encode gives the text), or NULL for
 * {"Origin":"Source","MemoryTransport":"TCP"}. From now on only the
 * migration's calls change the VM. */
HCS_API int32_t hcs_migration_initialize(hcs_system sys, const char *options_json, uint32_t timeout_ms, hcs_error *err);
HCS_API int32_t hcs_migration_initialize_async(hcs_system sys, const char *options_json, const hcs_async *how,
                                               hcs_op *op, hcs_error *err);

/* Joins the session over `socket`: on the source
 * HcsStartLiveMigrationOnSource, on the destination HcsStartComputeSystem
 * with DestinationMigrationOptions (the VM must be created, not started).
 * session_id must be the same on both hosts. */
HCS_API int32_t hcs_migration_start(hcs_system sys, hcs_migration_side side, intptr_t socket, uint32_t session_id,
                                    uint32_t timeout_ms, hcs_error *err);
HCS_API int32_t hcs_migration_start_async(hcs_system sys, hcs_migration_side side, intptr_t socket, uint32_t session_id,
                                          const hcs_async *how, hcs_op *op, hcs_error *err);

/* Moves the VM's state (HcsStartLiveMigrationTransfer); completes when the
 * transfer has ended. Run it on both hosts at about the same time. A
 * cancel makes it fail with HCS_WIN32_E_CANCELLED. */
HCS_API int32_t hcs_migration_transfer(hcs_system sys, hcs_migration_side side, uint32_t timeout_ms, hcs_error *err);
HCS_API int32_t hcs_migration_transfer_async(hcs_system sys, hcs_migration_side side, const hcs_async *how, hcs_op *op,
                                             hcs_error *err);

/* Ends this side (HcsFinalizeLiveMigration). After a transfer: the source
 * Stops, the destination Resumes. After a failure or a cancel: the source
 * Resumes (its VM runs on), the destination Stops. Refused with
 * HCS_E_INVALID_STATE while a transfer still runs, also one whose blocking
 * call returned HCS_E_OPERATION_TIMEOUT (the work goes on): await the
 * transfer's own report (the async form) before finalizing, or retry. */
HCS_API int32_t hcs_migration_finalize(hcs_system sys, hcs_migration_side side, hcs_migration_end end,
                                       uint32_t timeout_ms, hcs_error *err);
HCS_API int32_t hcs_migration_finalize_async(hcs_system sys, hcs_migration_side side, hcs_migration_end end,
                                             const hcs_async *how, hcs_op *op, hcs_error *err);

/* Aborts this side's migration (HcsCancelLiveMigration): a transfer in
 * flight fails, with its own report soon after the cancel's.
 * HCS_E_INVALID_STATE when the transfer had completed already: finalize
 * instead. */
HCS_API int32_t hcs_migration_cancel(hcs_system sys, hcs_migration_side side, uint32_t timeout_ms, hcs_error *err);
HCS_API int32_t hcs_migration_cancel_async(hcs_system sys, hcs_migration_side side, const hcs_async *how, hcs_op *op,
                                           hcs_error *err);

/* Source: the VM's CompatibilityInfo (HcsGetComputeSystemProperties with
 * {"Queries":{"CompatibilityInfo":null}}), asked while it runs or
 * migrates: the opaque data (Data, base64) the destination's create
 * document carries as VirtualMachine.MigrationOptions.CompatibilityData,
 * a hcs_MigrationInitializeOptions (schema_types.h) whose Origin is
 * Destination; HCS refuses a destination it does not fit. On success *doc
 * owns *out: free it with hcs_schema_doc_free. A reply without it fails
 * with HCS_COM_E_UNEXPECTED. */
HCS_API int32_t hcs_migration_compatibility(hcs_system sys, uint32_t timeout_ms, hcs_schema_doc **doc,
                                            hcs_CompatibilityInfo **out, hcs_error *err);

/* One side of a migration, for hcs_migrate. */
typedef struct hcs_migration_spec {
    hcs_migration_side side;
    intptr_t socket;             /* connected to the other host; stays yours */
    uint32_t session_id;         /* the same on both hosts */
    const char *initialize_json; /* source: MigrationInitializeOptions, or NULL */
} hcs_migration_spec;

/* Runs a whole side: the source initializes, starts, transfers and stops
 * its VM; the destination (a created VM) starts, transfers and resumes.
 * timeout_ms bounds the whole (HCS_TIMEOUT_DEFAULT: 240000, four minutes). When a step fails, the deadline passes or
 * another thread cancels (hcs_migration_cancel), the side is rolled back: cancelled, then finalized so the source's VM
 * runs on and the destination's is discarded; the first failure is returned (HCS_E_OPERATION_TIMEOUT for the deadline,
 * HCS_WIN32_E_CANCELLED for a cancel). No step begins after the deadline, and none is left running when it passes: a
 * transfer under way is cancelled, then the step under way is awaited to its end before the roll-back, so the call may
 * return somewhat after the deadline, never with the VM still migrating. A finalize under way at the deadline is the
 * last step: it is awaited and its own result returned. hcs_migrate is one call in flight on sys: a close meanwhile
 * (from an event callback, say) takes effect once it returns (system.h). */
HCS_API int32_t hcs_migrate(hcs_system sys, const hcs_migration_spec *spec, uint32_t timeout_ms, hcs_error *err);

#ifdef __cplusplus
}
#endif

#endif
