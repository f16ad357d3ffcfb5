/* Live migration (see migration.h). */
#include "migration.h"

#include "op_info.h"
#include "platform/socket.h"
#include "process.h"
#include "result.h"
#include "system_state.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* HRESULT_FROM_WIN32(ERROR_CANCELLED): a transfer that a cancel stopped. */
#define SIM_E_CANCELLED ((HRESULT)0x800704C7)
/* HRESULT_FROM_WIN32(ERROR_INVALID_DATA): the peer's state or verdict. */
#define SIM_E_BAD_PEER ((HRESULT)0x8007000D)
/* HRESULT_FROM_WIN32(ERROR_CONNECTION_ABORTED): the socket broke. */
#define SIM_E_CUT ((HRESULT)0x800704D4)

enum { LINE_MAX_BYTES = 1 << 20, POLL_MS = 50 };

typedef enum lm_phase { LM_INITIALIZED, LM_STARTED, LM_TRANSFERRING, LM_TRANSFERRED } lm_phase;

struct sim_migration {
    bool source;
    lm_phase phase;
    bool cancelled;   /* by HcsCancelLiveMigration; the transfer, if any, fails */
    bool orphaned;    /* the system exited while the transfer ran */
    atomic_bool stop; /* cancelled or orphaned: the transfer thread gives up waiting */
    intptr_t socket;
    uint32_t session;
    json_t *processes; /* destination: what the source ran, started on Resume */
    sim_request *transfer;
    char *outgoing; /* source: the state line */
    uint64_t blackout_ms;
};

/* ---- helpers ------------------------------------------------------------ */

static void lm_free(sim_migration *lm)
{
    hcs__socket_close(lm->socket);
    json_decref(lm->processes);
    free(lm->outgoing);
    free(lm);
}

/* A live migration event (hcs-newest §4.4): OperationSystemMigrationNotificationInfo. */
static void post(sim_system *sys, const char *event, const char *result, json_t *details)
{
    json_t *info =
        json_pack("{s:s, s:s}", "Origin", sys->lm && !sys->lm->source ? "Destination" : "Source", "Event", event);
    if (result)
        json_object_set_new(info, "Result", json_string(result));
    if (details)
        json_object_set_new(info, "AdditionalDetails", details);
    char *text = json_dumps(info, JSON_COMPACT);
    json_decref(info);
    hcssim__system_post(sys, HCS_EVENT_GROUP_LIVE_MIGRATION, event, text);
    free(text);
}

static HRESULT refuse(HRESULT hr, const char *call, const char *why, char **doc)
{
    char detail[SIM_DETAIL_SIZE];
    hcssim__detail(detail, "%s: %s", call, why);
    return hcssim__fail(hr, detail, doc);
}

/* Origin, when the options name one, must be the side's (inferred). */
static bool origin_fits(const json_t *args, bool source)
{
    const char *origin = json_string_value(json_object_get(args, "Origin"));
    return !origin || strcmp(origin, source ? "Source" : "Destination") == 0;
}

static uint32_t session_of(const json_t *start_options)
{
    return (uint32_t)json_integer_value(
        json_object_get(json_object_get(start_options, "NetworkSettings"), "SessionId"));
}

/* The socket the start's operation carries, taken from it (§5 #5, #14). */
static intptr_t take_socket(sim_request *req)
{
    if (!req->op)
        return -1;
    intptr_t s = req->op->socket;
    req->op->socket = -1;
    return s;
}

/* A running virtual machine that is not migrating yet. */
static HRESULT need_vm_state(sim_system *sys, sim_state want, const char *call, const char *state, char **doc)
{
    if (sys->state == SIM_STOPPED || sys->state == SIM_NEVER_CREATED)
        return refuse(HCS_E_SYSTEM_ALREADY_STOPPED, call, "the system has exited", doc);
    if (!sys->is_vm)
        return refuse(SIM_E_NOT_SUPPORTED, call, "only a virtual machine migrates", doc);
    if (sys->lm)
        return refuse(HCS_E_INVALID_STATE, call, "the virtual machine is migrating already", doc);
    if (sys->state != want)
        return refuse(HCS_E_INVALID_STATE, call, state, doc);
    return S_OK;
}

static sim_migration *lm_new(bool source, lm_phase phase)
{
    sim_migration *lm = calloc(1, sizeof *lm);
    if (lm) {
        lm->source = source;
        lm->phase = phase;
        lm->socket = -1;
        atomic_init(&lm->stop, false);
    }
    return lm;
}

bool hcssim__lm_busy(const sim_system *sys) { return sys->lm != NULL; }

/* ---- the source --------------------------------------------------------- */

HRESULT hcssim__do_lm_initialize(sim_request *req, char **doc)
{
    const char *call = "HcsInitializeLiveMigrationOnSource";
    sim_system *sys = req->sys;
    HRESULT hr = need_vm_state(sys, SIM_RUNNING, call, "the virtual machine must be running", doc);
    if (FAILED(hr))
        return hr;
    const char *transport = json_string_value(json_object_get(req->args, "MemoryTransport"));
    if (!origin_fits(req->args, true) || (transport && strcmp(transport, "TCP") != 0))
        return refuse(E_INVALIDARG, call, "Origin must be Source and MemoryTransport TCP", doc);
    sys->lm = lm_new(true, LM_INITIALIZED);
    return sys->lm ? S_OK : E_OUTOFMEMORY;
}

HRESULT hcssim__do_lm_start_source(sim_request *req, char **doc)
{
    const char *call = "HcsStartLiveMigrationOnSource";
    sim_migration *lm = req->sys->lm;
    if (!lm || !lm->source || lm->phase != LM_INITIALIZED)
        return refuse(HCS_E_INVALID_STATE, call, "the migration was not initialized on this source", doc);
    intptr_t s = take_socket(req);
    if (s < 0)
        return refuse(E_INVALIDARG, call, "no socket was attached to the operation (HcsAddResourceToOperation)", doc);
    lm->socket = s;
    lm->session = session_of(req->args);
    lm->phase = LM_STARTED;
    post(req->sys, "SetupDone", NULL, NULL);
    return S_OK;
}

/* ---- the destination ------------------------------------------------------ */

HRESULT hcssim__lm_start_destination(sim_request *req, char **doc)
{
    const char *call = "HcsStartComputeSystem";
    sim_system *sys = req->sys;
    HRESULT hr = need_vm_state(sys, SIM_CREATED, call, "a migration destination must be created, not started", doc);
    if (FAILED(hr))
        return hr;
    intptr_t s = take_socket(req);
    if (s < 0)
        return refuse(E_INVALIDARG, call, "DestinationMigrationOptions need a socket on the operation", doc);
    sys->lm = lm_new(false, LM_STARTED);
    if (!sys->lm) {
        hcs__socket_close(s);
        return E_OUTOFMEMORY;
    }
    sys->lm->socket = s;
    sys->lm->session = session_of(json_object_get(req->args, "DestinationMigrationOptions"));
    post(sys, "SetupDone", NULL, NULL);
    return S_OK;
}

/* ---- the transfer, on a thread of its own ---------------------------------- */

/* One line (up to '\n', excluded) from s; NULL on an error, the end, or
 * when *stop is set while it waits. */
static char *read_line(intptr_t s, atomic_bool *stop)
{
    size_t size = 4096, len = 0;
    char *line = malloc(size);
    while (line) {
        if (len + 1 == size) {
            char *bigger = size < LINE_MAX_BYTES ? realloc(line, size * 2) : NULL;
            if (!bigger)
                break;
            line = bigger;
            size *= 2;
        }
        int ready = hcs__socket_readable(s, POLL_MS);
        if (ready == 0 && !atomic_load(stop))
            continue;
        long got = ready > 0 ? hcs__socket_recv(s, line + len, 1) : -1;
        if (got <= 0)
            break;
        if (line[len] == '\n') {
            line[len] = 0;
            return line;
        }
        len++;
    }
    free(line);
    return NULL;
}

static int send_line(intptr_t s, const char *text)
{
    return hcs__socket_send_all(s, text, strlen(text)) == 0 && hcs__socket_send_all(s, "\n", 1) == 0 ? 0 : -1;
}

/* Ends the transfer request with hr and the matching last event; returns
 * the request, to be freed once the engine lock is released. */
static sim_request *transfer_done(sim_system *sys, HRESULT hr, const char *detail)
{
    sim_migration *lm = sys->lm;
    sim_request *req = lm->transfer;
    lm->transfer = NULL;
    if (lm->orphaned) {
        sys->lm = NULL;
        lm_free(lm);
        hr = HCS_E_SYSTEM_ALREADY_STOPPED;
        detail = "the system exited during the transfer";
    } else if (SUCCEEDED(hr)) {
        lm->phase = LM_TRANSFERRED;
        post(sys, "MigrationDone", "Success", NULL);
    } else {
        lm->phase = LM_STARTED;
        if (lm->source && sys->state == SIM_PAUSED)
            sys->state = SIM_RUNNING; /* the blackout ends: the source runs on (§4.5) */
        const char *result = hr == SIM_E_CANCELLED ? "MigrationCancelled"
                             : lm->source          ? "SourceMigrationFailed"
                                                   : "DestinationMigrationFailed";
        post(sys, "MigrationFailed", result, NULL);
    }
    char *doc = NULL;
    if (FAILED(hr))
        hcssim__fail(hr, detail, &doc);
    hcssim__request_finish(req, hr, doc);
    return req;
}

/* The failure a broken exchange means: a cancel's, or a cut socket's. */
static HRESULT broken(const sim_migration *lm) { return lm->cancelled ? SIM_E_CANCELLED : SIM_E_CUT; }

static void source_transfer(sim_system *sys)
{
    sim_engine *e = hcssim__engine_get();
    sim_migration *lm = sys->lm;
    int sent = send_line(lm->socket, lm->outgoing);
    hcs__mutex_lock(&e->mu);
    if (sent == 0 && !lm->orphaned) { /* the last pages go with the VM paused (§5 #11) */
        sys->state = SIM_PAUSED;
        lm->blackout_ms = hcs__clock_ms();
        post(sys, "BlackoutStarted", NULL, NULL);
    }
    hcs__mutex_unlock(&e->mu);
    char *verdict = sent == 0 ? read_line(lm->socket, &lm->stop) : NULL;
    json_t *answer = verdict ? json_loads(verdict, 0, NULL) : NULL;
    free(verdict);
    const char *result = json_string_value(json_object_get(answer, "Result"));
    hcs__mutex_lock(&e->mu);
    HRESULT hr = !answer ? broken(lm) : result && strcmp(result, "Success") == 0 ? S_OK : SIM_E_BAD_PEER;
    if (SUCCEEDED(hr) && !lm->orphaned) {
        post(sys, "OfflineDone", "Success", NULL);
        uint64_t blackout = hcs__clock_ms() - lm->blackout_ms;
        post(sys, "BlackoutExited", "Success",
             json_pack("{s:I, s:o}", "BlackoutDurationMilliseconds", (json_int_t)blackout, "BlackoutStopTimestamp",
                       hcssim__timestamp(hcssim__wall_ms())));
    }
    sim_request *req = transfer_done(sys, hr,
                                     SUCCEEDED(hr) ? NULL
                                     : answer      ? "the destination refused the state"
                                                   : "the transfer broke");
    hcs__mutex_unlock(&e->mu);
    hcssim__request_free(req);
    json_decref(answer);
}

static void destination_transfer(sim_system *sys)
{
    sim_engine *e = hcssim__engine_get();
    sim_migration *lm = sys->lm;
    char *line = read_line(lm->socket, &lm->stop);
    json_t *state = line ? json_loads(line, 0, NULL) : NULL;
    free(line);
    hcs__mutex_lock(&e->mu);
    HRESULT hr = !state ? broken(lm) : S_OK;
    const char *detail = "the transfer broke";
    if (state && (uint32_t)json_integer_value(json_object_get(state, "SessionId")) != lm->session) {
        hr = SIM_E_BAD_PEER; /* both sides fail (§5 #15) */
        detail = "the source's SessionId differs";
    } else if (state && !lm->orphaned) {
        sys->memory_mb = (uint64_t)json_integer_value(json_object_get(state, "MemorySizeInMB"));
        sys->processor_count = (uint32_t)json_integer_value(json_object_get(state, "ProcessorCount"));
        json_decref(sys->devices);
        sys->devices = json_incref(json_object_get(state, "Devices"));
        lm->processes = json_incref(json_object_get(state, "Processes"));
    }
    hcs__mutex_unlock(&e->mu);
    if (state)
        send_line(lm->socket,
                  SUCCEEDED(hr) ? "{\"Result\":\"Success\"}" : "{\"Result\":\"DestinationMigrationFailed\"}");
    hcs__mutex_lock(&e->mu);
    sim_request *req = transfer_done(sys, hr, detail);
    hcs__mutex_unlock(&e->mu);
    hcssim__request_free(req);
    json_decref(state);
}

static void transfer_thread(void *arg)
{
    sim_system *sys = arg;
    if (sys->lm->source)
        source_transfer(sys);
    else
        destination_transfer(sys);
    hcssim__system_release(sys);
}

/* The state line of the source (hcs-newest §5 #11, the simulator's own). */
static char *state_line(sim_system *sys)
{
    json_t *state = json_pack("{s:I, s:I, s:I, s:O, s:o}", "SessionId", (json_int_t)sys->lm->session, "MemorySizeInMB",
                              (json_int_t)sys->memory_mb, "ProcessorCount", (json_int_t)sys->processor_count, "Devices",
                              sys->devices ? sys->devices : json_null(), "Processes", hcssim__processes_export(sys));
    char *text = state ? json_dumps(state, JSON_COMPACT) : NULL;
    json_decref(state);
    return text;
}

HRESULT hcssim__do_lm_transfer(sim_request *req, char **doc)
{
    const char *call = "HcsStartLiveMigrationTransfer";
    sim_system *sys = req->sys;
    sim_migration *lm = sys->lm;
    if (!lm || lm->phase != LM_STARTED || lm->cancelled)
        return refuse(HCS_E_INVALID_STATE, call, "the migration was not started on this side", doc);
    if (!origin_fits(req->args, lm->source))
        return refuse(E_INVALIDARG, call, "Origin names the other side", doc);
    if (lm->source && !(lm->outgoing = state_line(sys)))
        return E_OUTOFMEMORY;
    hcssim__system_retain(sys); /* the thread's */
    hcs_thread t;
    if (hcs__thread_start(&t, transfer_thread, sys) != 0) {
        hcssim__system_release(sys);
        return E_OUTOFMEMORY;
    }
    hcs__thread_detach(t);
    lm->phase = LM_TRANSFERRING;
    lm->transfer = req;
    post(sys, "TransferInProgress", NULL, NULL);
    return SIM_DEFERRED;
}

/* ---- either side ----------------------------------------------------------- */

HRESULT hcssim__do_lm_finalize(sim_request *req, char **doc)
{
    const char *call = "HcsFinalizeLiveMigration";
    sim_system *sys = req->sys;
    sim_migration *lm = sys->lm;
    if (!lm || lm->phase == LM_TRANSFERRING)
        return refuse(HCS_E_INVALID_STATE, call, lm ? "the transfer is still running" : "no migration to finalize",
                      doc);
    const char *final = json_string_value(json_object_get(req->args, "FinalizedOperation"));
    bool stop = final && strcmp(final, "Stop") == 0;
    if (!origin_fits(req->args, lm->source) || (final && !stop && strcmp(final, "Resume") != 0))
        return refuse(E_INVALIDARG, call, "Origin names the other side, or FinalizedOperation is not Resume or Stop",
                      doc);
    if (!stop && !lm->source && lm->phase != LM_TRANSFERRED)
        return refuse(HCS_E_INVALID_STATE, call, "the destination has no state to resume", doc);
    sys->lm = NULL;
    if (stop) {
        hcssim__system_exit(
            sys, S_OK, "GracefulExit",
            json_pack("{s:{s:s, s:s}}", "SystemExit", "Detail", "LiveMigrationFinalized", "Initiator", "Client"));
    } else if (lm->source) {
        sys->state = SIM_RUNNING; /* without a resume call (§5 #12) */
    } else {
        sys->state = SIM_RUNNING;
        sys->started = true;
        sys->started_ms = hcs__clock_ms();
        hcssim__processes_import(sys, lm->processes);
    }
    lm_free(lm);
    return S_OK;
}

HRESULT hcssim__do_lm_cancel(sim_request *req, char **doc)
{
    const char *call = "HcsCancelLiveMigration";
    sim_migration *lm = req->sys->lm;
    if (!lm || lm->phase == LM_TRANSFERRED)
        return refuse(HCS_E_INVALID_STATE, call, lm ? "the transfer has completed" : "no migration to cancel", doc);
    if (!origin_fits(req->args, lm->source))
        return refuse(E_INVALIDARG, call, "Origin names the other side", doc);
    lm->cancelled = true;
    if (lm->phase == LM_TRANSFERRING) { /* the transfer fails (§5 #20) */
        atomic_store(&lm->stop, true);
        hcs__socket_shutdown(lm->socket);
    } else
        post(req->sys, "MigrationFailed", "MigrationCancelled", NULL);
    return S_OK;
}

void hcssim__lm_end(sim_system *sys)
{
    sim_migration *lm = sys->lm;
    if (!lm)
        return;
    if (lm->phase == LM_TRANSFERRING) {
        lm->orphaned = true; /* the transfer thread frees it */
        atomic_store(&lm->stop, true);
        hcs__socket_shutdown(lm->socket);
        return;
    }
    sys->lm = NULL;
    lm_free(lm);
}
