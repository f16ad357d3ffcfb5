/* Live migration (see migration.h). */
#include "migration.h"

#include "base64.h"
#include "host.h"
#include "op_info.h"
#include "platform/socket.h"
#include "process.h"
#include "result.h"
#include "saved_state.h"
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
    sim_request *transfer;
    /* The transfer's own, touched by its thread alone while it runs: */
    sim_cut cut;       /* where this side's fault plan closes the connection */
    uint64_t left;     /* bytes of the state stream the plan lets pass */
    bool was_cut;      /* the plan did close it */
    char *memory_line; /* source: the first phase, made as the transfer starts */
    json_t *state;     /* destination: the phases received, the VM's once whole */
    json_t *expected;  /* destination: the CompatibilityInfo its MigrationOptions name, or NULL */
    uint64_t blackout_ms;
};

/* ---- helpers ------------------------------------------------------------ */

static void lm_free(sim_migration *lm)
{
    hcs__socket_close(lm->socket);
    json_decref(lm->state);
    json_decref(lm->expected);
    free(lm->memory_line);
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

/* ---- options and compatibility -------------------------------------------- */

/* MigrationInitializeOptions (hcs-newest §4.7). */
#define MEMBER(name, type)                                                                                             \
    {                                                                                                                  \
        name, type, 0, NULL, NULL, 0                                                                                   \
    }
#define ENUM(name, values)                                                                                             \
    {                                                                                                                  \
        name, JSON_STRING, 0, values, NULL, 0                                                                          \
    }
#define OBJECT(name, members)                                                                                          \
    {                                                                                                                  \
        name, JSON_OBJECT, 0, NULL, members, sizeof(members) / sizeof(members)[0]                                      \
    }
static const char *const origins[] = {"Source", "Destination", NULL};
static const char *const transports[] = {"TCP", NULL};
static const sim_member throttle_members[] = {
    MEMBER("SkipThrottling", JSON_TRUE),
    MEMBER("ThrottlingScale", JSON_REAL),
    MEMBER("MinimumThrottlePercentage", JSON_INTEGER),
    MEMBER("TargetNumberOfBrownoutTransferPasses", JSON_INTEGER),
    MEMBER("StartingBrownoutPassNumberForThrottling", JSON_INTEGER),
    MEMBER("MaximumNumberOfBrownoutTransferPasses", JSON_INTEGER),
    MEMBER("TargetBlackoutTransferTime", JSON_INTEGER),
    MEMBER("BlackoutTimeThresholdForCancellingMigration", JSON_INTEGER),
};
static const sim_member compression_members[] = {MEMBER("ThrottleWorkerCount", JSON_INTEGER)};
static const sim_member compatibility_members[] = {MEMBER("Data", JSON_STRING)};
static const sim_member initialize_members[] = {
    ENUM("Origin", origins),
    ENUM("MemoryTransport", transports),
    OBJECT("MemoryTransferThrottleParams", throttle_members),
    OBJECT("CompressionSettings", compression_members),
    MEMBER("ChecksumVerification", JSON_TRUE),
    MEMBER("PerfTracingEnabled", JSON_TRUE),
    MEMBER("CancelIfBlackoutThresholdExceeds", JSON_TRUE),
    MEMBER("PrepareMemoryTransferMode", JSON_TRUE),
    OBJECT("CompatibilityData", compatibility_members),
};
#undef MEMBER
#undef ENUM
#undef OBJECT

/* The numeric members and their bounds: ThrottlingScale is a percentage
 * from 1 (hcs-newest §4.7), MinimumThrottlePercentage one from 0, the
 * worker count is non-zero; the rest are the schema's uint32 (inferred). */
static const struct bound {
    const char *object, *name;
    double low, high;
} bounds[] = {
    {"MemoryTransferThrottleParams", "ThrottlingScale", 1, 100},
    {"MemoryTransferThrottleParams", "MinimumThrottlePercentage", 0, 100},
    {"MemoryTransferThrottleParams", "TargetNumberOfBrownoutTransferPasses", 0, UINT32_MAX},
    {"MemoryTransferThrottleParams", "StartingBrownoutPassNumberForThrottling", 0, UINT32_MAX},
    {"MemoryTransferThrottleParams", "MaximumNumberOfBrownoutTransferPasses", 0, UINT32_MAX},
    {"MemoryTransferThrottleParams", "TargetBlackoutTransferTime", 0, UINT32_MAX},
    {"MemoryTransferThrottleParams", "BlackoutTimeThresholdForCancellingMigration", 0, UINT32_MAX},
    {"CompressionSettings", "ThrottleWorkerCount", 1, UINT32_MAX},
};

/* The simulator's own compatibility data (the real one is opaque): what a
 * host needs to run the VM, as a saved state records it (saved_state.h). */
static json_t *compatibility_of(const sim_system *sys)
{
    return json_pack("{s:i, s:I, s:I, s:o}", "HcssimCompatibility", 1, "MemorySizeInMB", (json_int_t)sys->memory_mb,
                     "ProcessorCount", (json_int_t)sys->processor_count, "ProcessorRequirements",
                     hcssim__host_processor_requirements());
}

json_t *hcssim__lm_compatibility_read(const char *data)
{
    char *text = data ? hcssim__base64_decode(data, NULL) : NULL;
    json_t *info = text ? json_loads(text, JSON_REJECT_DUPLICATES, NULL) : NULL;
    free(text);
    if (json_integer_value(json_object_get(info, "HcssimCompatibility")) == 1 &&
        json_is_object(json_object_get(info, "ProcessorRequirements")))
        return info;
    json_decref(info);
    return NULL;
}

HRESULT hcssim__lm_check_options(const json_t *options, bool source, const char *where, char detail[SIM_DETAIL_SIZE])
{
    HRESULT hr = hcssim__check_members(options, where, initialize_members,
                                       sizeof initialize_members / sizeof initialize_members[0], INT32_MAX, detail);
    if (FAILED(hr))
        return hr;
    if (!origin_fits(options, source)) {
        hcssim__detail(detail, "%s.Origin: must be %s here", where, source ? "Source" : "Destination");
        return E_INVALIDARG;
    }
    for (size_t i = 0; i < sizeof bounds / sizeof bounds[0]; i++) {
        const json_t *v = json_object_get(json_object_get(options, bounds[i].object), bounds[i].name);
        double n = json_number_value(v);
        if (v && (n < bounds[i].low || n > bounds[i].high)) {
            hcssim__detail(detail, "%s.%s.%s: expected %.0f to %.0f", where, bounds[i].object, bounds[i].name,
                           bounds[i].low, bounds[i].high);
            return E_INVALIDARG;
        }
    }
    const char *data = json_string_value(json_object_get(json_object_get(options, "CompatibilityData"), "Data"));
    if (source || !data)
        return S_OK; /* a source has nothing to check its own data against */
    json_t *info = hcssim__lm_compatibility_read(data);
    char why[SIM_DETAIL_SIZE] = "not compatibility data of this simulator (base64 of its CompatibilityInfo)";
    bool ok = info && hcssim__host_meets(json_object_get(info, "ProcessorRequirements"), why);
    json_decref(info);
    if (ok)
        return S_OK;
    hcssim__detail(detail, "%s.CompatibilityData.Data: %s", where, why);
    return SIM_E_INVALID_DATA;
}

HRESULT hcssim__lm_compatibility(const sim_system *sys, json_t **info, char detail[SIM_DETAIL_SIZE])
{
    *info = NULL;
    if (!sys->is_vm) {
        hcssim__detail(detail, "CompatibilityInfo: only a virtual machine migrates");
        return SIM_E_NOT_SUPPORTED;
    }
    if (sys->state != SIM_RUNNING && sys->state != SIM_PAUSED) {
        hcssim__detail(detail, "CompatibilityInfo: the virtual machine is not running");
        return HCS_E_INVALID_STATE;
    }
    json_t *data = compatibility_of(sys);
    char *text = data ? json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    char *encoded = text ? hcssim__base64_encode(text, strlen(text)) : NULL;
    json_decref(data);
    free(text);
    *info = encoded ? json_pack("{s:s}", "Data", encoded) : NULL;
    free(encoded);
    return *info ? S_OK : E_OUTOFMEMORY;
}

/* ---- the source --------------------------------------------------------- */

HRESULT hcssim__do_lm_initialize(sim_request *req, char **doc)
{
    const char *call = "HcsInitializeLiveMigrationOnSource";
    sim_system *sys = req->sys;
    HRESULT hr = need_vm_state(sys, SIM_RUNNING, call, "the virtual machine must be running", doc);
    if (FAILED(hr))
        return hr;
    char detail[SIM_DETAIL_SIZE];
    hr = req->args ? hcssim__lm_check_options(req->args, true, "MigrationInitializeOptions", detail) : S_OK;
    if (FAILED(hr))
        return hcssim__fail(hr, detail, doc);
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
    /* a copy: the transfer's thread compares it without the lock */
    sys->lm->expected = sys->compatibility ? json_deep_copy(sys->compatibility) : NULL;
    post(sys, "SetupDone", NULL, NULL);
    return S_OK;
}

/* ---- the transfer, on a thread of its own ---------------------------------- */

/* The state stream (the simulator's own): one JSON line per phase, in this
 * order, from the source; then one line back, the destination's verdict. */
static const char *const phase_names[] = {"", "Memory", "Devices", "Processes"};

/* The text of a phase's line, '\n' included; part is released. */
static char *line_of(json_t *part)
{
    char *text = part ? json_dumps(part, JSON_COMPACT) : NULL;
    json_decref(part);
    size_t n = text ? strlen(text) : 0;
    char *line = text ? realloc(text, n + 2) : NULL;
    if (!line) {
        free(text);
        return NULL;
    }
    memcpy(line + n, "\n", 2);
    return line;
}

/* The fault plan closes this side's connection (docs/fault-plans.md). */
static int cut(sim_migration *lm)
{
    lm->was_cut = true;
    hcs__socket_shutdown(lm->socket);
    return -1;
}

/* One line (up to '\n', excluded) from s; NULL on an error, the end, when
 * *stop is set while it waits, or once *left (bytes the fault plan lets
 * pass, counted down) is 0. */
static char *read_line(intptr_t s, atomic_bool *stop, uint64_t *left)
{
    size_t size = 4096, len = 0;
    char *line = malloc(size);
    while (line && *left > 0) {
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
        (*left)--;
        if (line[len] == '\n') {
            line[len] = 0;
            return line;
        }
        len++;
    }
    free(line);
    return NULL;
}

/* Source: sends one phase's line (taken) unless rc says the stream broke
 * already, as far as the fault plan lets it; 0, or -1 when the connection
 * broke or the plan cut it. */
static int send_phase(sim_migration *lm, int rc, sim_cut phase, char *line)
{
    if (rc != 0 || !line || lm->cut == phase) {
        free(line);
        return rc == 0 && line ? cut(lm) : -1;
    }
    size_t n = strlen(line), pass = n < lm->left ? n : (size_t)lm->left;
    rc = hcs__socket_send_all(lm->socket, line, pass);
    lm->left -= pass;
    free(line);
    return rc != 0 ? -1 : pass < n ? cut(lm) : 0;
}

/* The failure a broken exchange means: a cancel's, or a cut socket's. */
static HRESULT broken(const sim_migration *lm) { return lm->cancelled ? SIM_E_CANCELLED : SIM_E_CUT; }

/* Why a broken exchange failed (buf may hold it). */
static const char *broken_detail(const sim_migration *lm, char buf[SIM_DETAIL_SIZE])
{
    const sim_fault *f = &lm->transfer->fault;
    if (lm->cancelled)
        return "the migration was cancelled";
    if (!lm->was_cut)
        return "the transfer broke: the connection to the other host was closed";
    if (f->message)
        return f->message;
    if (f->cut == SIM_CUT_AFTER_BYTES)
        hcssim__detail(buf, "the fault plan cut the transfer after %lu bytes", (unsigned long)f->cut_bytes);
    else
        hcssim__detail(buf, "the fault plan cut the transfer at the %s phase", hcssim__fault_cut_phase(f->cut));
    return buf;
}

/* Ends the transfer request with hr and the matching last event; returns
 * the request, to be freed once the engine lock is released. */
static sim_request *transfer_done(sim_system *sys, HRESULT hr, const char *detail)
{
    sim_migration *lm = sys->lm;
    sim_request *req = lm->transfer;
    lm->transfer = NULL;
    char *doc = NULL;
    if (lm->orphaned) {
        sys->lm = NULL;
        lm_free(lm);
        hr = hcssim__fail(HCS_E_SYSTEM_ALREADY_STOPPED, "the system exited during the transfer", &doc);
    } else if (SUCCEEDED(hr)) {
        lm->phase = LM_TRANSFERRED;
        post(sys, "MigrationDone", "Success", NULL);
    } else {
        lm->phase = LM_STARTED;
        /* the blackout ends: the source runs on (§4.5), recovered (inferred) */
        bool recovered = lm->source && sys->state == SIM_PAUSED;
        if (recovered)
            sys->state = SIM_RUNNING;
        const char *result = hr == SIM_E_CANCELLED ? "MigrationCancelled"
                             : lm->source          ? "SourceMigrationFailed"
                                                   : "DestinationMigrationFailed";
        post(sys, "MigrationFailed", result, NULL);
        if (recovered)
            post(sys, "MigrationRecoveryDone", "Success", NULL);
        hcssim__fail(hr, detail, &doc);
    }
    hcssim__request_finish(req, hr, doc);
    return req;
}

static void source_transfer(sim_system *sys)
{
    sim_engine *e = hcssim__engine_get();
    sim_migration *lm = sys->lm;
    int rc = send_phase(lm, 0, SIM_CUT_MEMORY, lm->memory_line);
    lm->memory_line = NULL;
    char *devices = NULL, *processes = NULL;
    hcs__mutex_lock(&e->mu);
    if (rc == 0 && !lm->orphaned) { /* the rest goes with the VM paused (§5 #11) */
        sys->state = SIM_PAUSED;
        lm->blackout_ms = hcs__clock_ms();
        post(sys, "BlackoutStarted", NULL, NULL);
        devices = line_of(json_pack("{s:s, s:o}", "Phase", phase_names[SIM_CUT_DEVICES], "Devices",
                                    sys->devices ? json_deep_copy(sys->devices) : json_object()));
        processes = line_of(json_pack("{s:s, s:o}", "Phase", phase_names[SIM_CUT_PROCESSES], "Processes",
                                      hcssim__processes_export(sys)));
    }
    hcs__mutex_unlock(&e->mu);
    rc = send_phase(lm, rc, SIM_CUT_DEVICES, devices);
    rc = send_phase(lm, rc, SIM_CUT_PROCESSES, processes);
    uint64_t unlimited = UINT64_MAX; /* the verdict is not the stream a plan cuts */
    char *verdict = rc == 0 ? read_line(lm->socket, &lm->stop, &unlimited) : NULL;
    json_t *answer = verdict ? json_loads(verdict, 0, NULL) : NULL;
    free(verdict);
    const char *result = json_string_value(json_object_get(answer, "Result"));
    char buf[SIM_DETAIL_SIZE];
    hcs__mutex_lock(&e->mu);
    HRESULT hr = !answer ? broken(lm) : result && strcmp(result, "Success") == 0 ? S_OK : SIM_E_BAD_PEER;
    if (SUCCEEDED(hr) && !lm->orphaned) {
        post(sys, "OfflineDone", "Success", NULL);
        uint64_t blackout = hcs__clock_ms() - lm->blackout_ms;
        post(sys, "BlackoutExited", "Success",
             json_pack("{s:I, s:o}", "BlackoutDurationMilliseconds", (json_int_t)blackout, "BlackoutStopTimestamp",
                       hcssim__timestamp(hcssim__wall_ms())));
    }
    const char *detail = SUCCEEDED(hr) ? NULL : answer ? "the destination refused the state" : broken_detail(lm, buf);
    sim_request *req = transfer_done(sys, hr, detail);
    hcs__mutex_unlock(&e->mu);
    hcssim__request_free(req);
    json_decref(answer);
}

/* Destination: one phase's line, which must be the next phase. */
static HRESULT receive_phase(sim_migration *lm, sim_cut phase, const char **detail)
{
    if (lm->cut == phase) {
        cut(lm);
        return SIM_E_CUT;
    }
    char *line = read_line(lm->socket, &lm->stop, &lm->left);
    json_t *part = line ? json_loads(line, 0, NULL) : NULL;
    free(line);
    if (!part) {
        if (lm->left == 0 && !atomic_load(&lm->stop))
            cut(lm);
        return SIM_E_CUT; /* or cancelled: told under the lock */
    }
    const char *name = json_string_value(json_object_get(part, "Phase"));
    HRESULT hr = S_OK;
    if (!name || strcmp(name, phase_names[phase]) != 0) {
        hr = SIM_E_BAD_PEER;
        *detail = "the source's state came out of order";
    } else if (phase == SIM_CUT_MEMORY &&
               (uint32_t)json_integer_value(json_object_get(part, "SessionId")) != lm->session) {
        hr = SIM_E_BAD_PEER; /* both sides fail (§5 #15) */
        *detail = "the source's SessionId differs";
    } else if (phase == SIM_CUT_MEMORY && lm->expected &&
               !json_equal(lm->expected, json_object_get(part, "Compatibility"))) {
        hr = SIM_E_BAD_PEER; /* inferred: what the destination was created to receive (§5 #13) */
        *detail = "the source's CompatibilityInfo is not the one in the destination's MigrationOptions";
    }
    json_object_update(lm->state, part);
    json_decref(part);
    return hr;
}

/* The source's state, whole, becomes the VM's (a partial one never does). */
static void take_state(sim_system *sys, const json_t *state)
{
    sys->memory_mb = (uint64_t)json_integer_value(json_object_get(state, "MemorySizeInMB"));
    sys->processor_count = (uint32_t)json_integer_value(json_object_get(state, "ProcessorCount"));
    json_t *devices = json_object_get(state, "Devices");
    json_decref(sys->devices);
    sys->devices = json_is_object(devices) ? json_deep_copy(devices) : json_object();
}

static void destination_transfer(sim_system *sys)
{
    sim_engine *e = hcssim__engine_get();
    sim_migration *lm = sys->lm;
    const char *detail = NULL;
    HRESULT hr = S_OK;
    for (sim_cut phase = SIM_CUT_MEMORY; SUCCEEDED(hr) && phase <= SIM_CUT_PROCESSES; phase++)
        hr = receive_phase(lm, phase, &detail);
    if (SUCCEEDED(hr) || hr == SIM_E_BAD_PEER) { /* the connection holds: answer */
        const char *verdict =
            SUCCEEDED(hr) ? "{\"Result\":\"Success\"}\n" : "{\"Result\":\"DestinationMigrationFailed\"}\n";
        hcs__socket_send_all(lm->socket, verdict, strlen(verdict));
    }
    char buf[SIM_DETAIL_SIZE];
    hcs__mutex_lock(&e->mu);
    if (hr == SIM_E_CUT) {
        hr = broken(lm);
        detail = broken_detail(lm, buf);
    }
    if (SUCCEEDED(hr) && !lm->orphaned)
        take_state(sys, lm->state);
    sim_request *req = transfer_done(sys, hr, detail);
    hcs__mutex_unlock(&e->mu);
    hcssim__request_free(req);
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

/* The source's first phase (hcs-newest §5 #11, the simulator's own). */
static char *memory_line(sim_system *sys)
{
    return line_of(json_pack("{s:s, s:I, s:I, s:I, s:o}", "Phase", phase_names[SIM_CUT_MEMORY], "SessionId",
                             (json_int_t)sys->lm->session, "MemorySizeInMB", (json_int_t)sys->memory_mb,
                             "ProcessorCount", (json_int_t)sys->processor_count, "Compatibility",
                             compatibility_of(sys)));
}

/* What this transfer's fault plan cuts, and a fresh stream. */
static int transfer_prepare(sim_system *sys, const sim_fault *fault)
{
    sim_migration *lm = sys->lm;
    lm->cut = fault->cut;
    lm->left = fault->cut == SIM_CUT_AFTER_BYTES ? fault->cut_bytes : UINT64_MAX;
    lm->was_cut = false;
    free(lm->memory_line);
    json_decref(lm->state);
    lm->memory_line = lm->source ? memory_line(sys) : NULL;
    lm->state = lm->source ? NULL : json_object();
    return lm->source ? (lm->memory_line ? 0 : -1) : (lm->state ? 0 : -1);
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
    if (transfer_prepare(sys, &req->fault) != 0)
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
        hcssim__processes_import(sys, json_object_get(lm->state, "Processes"));
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
