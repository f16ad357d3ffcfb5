/* hcssimd's connections (see server.h): the daemon side of the protocol in
 * docs/hcssimd.md.
 *
 * Each connection has a table of records, one per HCS_SYSTEM, HCS_PROCESS
 * and HCS_OPERATION the daemon holds for that client; the client names them
 * by the record's id, so a client can reach only what it opened. A record
 * of an operation mirrors one operation of the client: the simulator runs
 * the client's call on it, and its completion (seen by
 * hcssim__operation_observe) goes back as a COMPLETE frame. */
#include "server.h"

#include "protocol.h"

#include "behaviour.h"
#include "engine.h"
#include "hcn.h"
#include "operation.h"
#include "platform/socket.h"
#include "profile.h"
#include "hcssim/hcssim.h"
#include "platform/os_pipe.h"
#include "platform/thread.h"
#include "util/handle_table.h"
#include "util/utf16.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A client that reads nothing while this much waits for it is dropped,
 * rather than letting it hold the daemon's memory. */
#define OUT_QUEUE_LIMIT ((size_t)256 * 1024 * 1024)
/* A wait forwarded to the simulator runs in slices this long, so that it
 * ends soon after its client is gone. */
#define WAIT_SLICE_MS 200u
/* HRESULT_FROM_WIN32(ERROR_PROC_NOT_FOUND): a function the emulated build
 * lacks (the client could not have found it in computecore.dll). */
#define E_PROC_NOT_FOUND ((HRESULT)0x8007007F)
/* A handle value the simulator has never issued: what a call gets for an
 * id this client does not hold, so the simulator refuses it as in process. */
#define FOREIGN_HANDLE ((void *)(uintptr_t)UINT64_MAX)
/* A frame's socket that the transport could not make (bytes from a client
 * that name no stream socket): its call fails with
 * HRESULT_FROM_WIN32(WSAENOTSOCK) rather than the connection
 * (docs/hcssimd.md, "Windows"). */
#define SOCKET_UNUSABLE ((wire_handle)-2)
#define HR_NOT_A_SOCKET ((HRESULT)0x80072736)

/* How many operations a client closed the daemon remembers, so that an
 * OperationCallback event reporting one after its close still names it. */
#define CLOSED_KEPT 256

typedef struct out_frame {
    struct out_frame *next;
    uint8_t *data;
    size_t len;
    wire_handle handles[WIRE_MAX_HANDLES];
    unsigned n;
} out_frame;

/* REC_HCN + an hcn_kind: an HCN object handle (hcn.h). */
enum rec_kind {
    REC_OPERATION = 1,
    REC_SYSTEM = 2,
    REC_PROCESS = 3,
    REC_HCN = 10,
    REC_HCN_CALLBACK = REC_HCN + HCN_KINDS,
    REC_HCN_PORT,
};

typedef struct conn conn;

typedef struct record {
    hcs_object base;
    enum rec_kind kind;
    conn *c;
    void *sim;          /* HCS_OPERATION, HCS_SYSTEM or HCS_PROCESS of the simulator */
    uint64_t id;        /* in c->records */
    uint64_t client_id; /* the client's id for the object, echoed in COMPLETE and EVENT */
    /* Operations, under c->mu: a completion seen while the call that
     * started it has not been answered waits here, so that the client
     * always reads a call's REPLY before its COMPLETE. */
    bool call_in_progress;
    out_frame *stash;
    struct record *next, *prev; /* in c->list, under c->mu, while listed */
    bool listed;
} record;

struct conn {
    hcs_object base;
    wire_conn *io;
    uint64_t serial;
    uint64_t pid;
    bool verbose;
    hcs_mutex mu; /* everything below */
    hcs_cond cv;
    out_frame *head, *tail;
    size_t queued;
    bool dead;
    record *list;
    hcs_handle_table records;
    /* The operations the client closed last, as the simulator's handle and
     * the client's id, oldest overwritten first: the simulator reports a
     * closed operation's completion with the handle it had (hcs-api §11
     * #36), whose context can no longer be read. */
    struct {
        uint64_t sim, client_id;
    } closed[CLOSED_KEPT];
    unsigned closed_next;
    struct conn *next; /* in the daemon's list */
};

/* ---- the daemon's connections ------------------------------------------- */

static hcs_mutex all_mu;
static hcs_cond all_cv;
static conn *all;
static unsigned live;
static uint64_t next_serial;
static hcs_once all_once = HCS_ONCE_INIT;
/* What a client's stop_daemon control calls (hcssim__server_on_stop). */
static void (*stop_handler)(void);

static void init_all(void)
{
    hcs__mutex_init(&all_mu);
    hcs__cond_init(&all_cv);
}

static void free_frame(out_frame *f)
{
    for (unsigned i = 0; i < f->n; i++)
        hcssim__transport_close_handle(f->handles[i]);
    free(f->data);
    free(f);
}

static void destroy_conn(hcs_object *o)
{
    conn *c = (conn *)o;
    while (c->head) {
        out_frame *f = c->head;
        c->head = f->next;
        free_frame(f);
    }
    hcs__table_destroy(&c->records);
    hcssim__transport_close(c->io);
    hcs__cond_destroy(&c->cv);
    hcs__mutex_destroy(&c->mu);
    free(c);
}

static void destroy_record(hcs_object *o)
{
    record *r = (record *)o;
    while (r->stash) {
        out_frame *f = r->stash;
        r->stash = f->next;
        free_frame(f);
    }
    free(r);
}

/* Takes the frame's bytes (and handles) off b into a queued frame. */
static out_frame *frame_of(wire_buf *b, const wire_handle *handles, unsigned n)
{
    out_frame *f = NULL;
    if (hcssim__wire_end(b, n) == 0 && (f = calloc(1, sizeof *f)) != NULL) {
        f->data = b->data;
        f->len = b->len;
        memset(b, 0, sizeof *b);
    }
    hcssim__wire_free(b);
    if (!f) {
        for (unsigned i = 0; i < n; i++)
            hcssim__transport_close_handle(handles[i]);
        return NULL;
    }
    for (unsigned i = 0; i < n; i++)
        f->handles[i] = handles[i];
    f->n = n;
    return f;
}

/* With c->mu held: queues f for the writer, or drops it when the client is
 * gone. A client that lets too much pile up is dropped. */
static void enqueue_locked(conn *c, out_frame *f)
{
    if (!f)
        return;
    if (c->dead) {
        free_frame(f);
        return;
    }
    f->next = NULL;
    *(c->tail ? &c->tail->next : &c->head) = f;
    c->tail = f;
    c->queued += f->len;
    if (c->queued > OUT_QUEUE_LIMIT) {
        fprintf(stderr, "hcssimd: client %llu (pid %llu) reads nothing; closing it\n", (unsigned long long)c->serial,
                (unsigned long long)c->pid);
        c->dead = true;
        hcssim__transport_shutdown(c->io);
    }
    hcs__cond_broadcast(&c->cv);
}

static void enqueue(conn *c, out_frame *f)
{
    hcs__mutex_lock(&c->mu);
    enqueue_locked(c, f);
    hcs__mutex_unlock(&c->mu);
}

static void writer(void *arg)
{
    conn *c = arg;
    hcs__mutex_lock(&c->mu);
    for (;;) {
        while (!c->head && !c->dead)
            hcs__cond_wait(&c->cv, &c->mu);
        if (c->dead)
            break;
        out_frame *f = c->head;
        c->head = f->next;
        if (!c->head)
            c->tail = NULL;
        c->queued -= f->len;
        hcs__mutex_unlock(&c->mu);
        int rc = hcssim__transport_send(c->io, f->data, f->len, f->handles, f->n);
        free_frame(f); /* the client has its own copies of the handles now */
        hcs__mutex_lock(&c->mu);
        if (rc != 0) {
            c->dead = true;
            hcssim__transport_shutdown(c->io);
        }
    }
    hcs__mutex_unlock(&c->mu);
    hcs_object_release(&c->base);
}

/* ---- records -------------------------------------------------------------- */

static record *record_new(conn *c, enum rec_kind kind, uint64_t client_id)
{
    record *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    hcs_object_init(&r->base, destroy_record);
    r->kind = kind;
    r->c = c;
    r->client_id = client_id;
    return r;
}

/* Lists r in the connection's table; takes the creator's reference.
 * Returns its id, or 0 when memory ran out (r is then released). */
static uint64_t record_add(conn *c, record *r)
{
    r->id = hcs__table_insert(&c->records, r->kind, &r->base);
    if (r->id) {
        hcs__mutex_lock(&c->mu);
        r->prev = NULL;
        r->next = c->list;
        if (r->next)
            r->next->prev = r;
        c->list = r;
        r->listed = true;
        hcs__mutex_unlock(&c->mu);
    }
    hcs_object_release(&r->base);
    return r->id;
}

/* The simulator's handle for an id of this client: NULL for 0, and a value
 * the simulator never issued for an id the client does not hold. */
static void *sim_of(conn *c, uint64_t id, enum rec_kind kind)
{
    if (id == 0)
        return NULL;
    record *r = (record *)hcs__table_acquire(&c->records, id, kind);
    void *sim = r ? r->sim : FOREIGN_HANDLE;
    if (r)
        hcs_object_release(&r->base);
    return sim;
}

/* Closes an HCN handle, registration or port reservation. */
static void close_hcn(enum rec_kind kind, void *sim)
{
    if (kind == REC_HCN_CALLBACK)
        hcssim__hcn_unregister((HCN_CALLBACK)sim);
    else if (kind == REC_HCN_PORT)
        hcssim__hcn_release_port((HANDLE)sim);
    else
        hcssim__hcn_close((hcn_kind)(kind - REC_HCN), sim);
}

/* Closes what a record holds in the simulator; no callback of it runs
 * after this returns. */
static void record_close_sim(record *r)
{
    switch (r->kind) {
    case REC_OPERATION:
        HcsCloseOperation((HCS_OPERATION)r->sim);
        break;
    case REC_SYSTEM:
        HcsCloseComputeSystem((HCS_SYSTEM)r->sim);
        break;
    case REC_PROCESS:
        HcsCloseProcess((HCS_PROCESS)r->sim);
        break;
    default:
        close_hcn(r->kind, r->sim);
        break;
    }
}

/* The client closed an object: its record goes, with the simulator's handle. */
static void record_remove(conn *c, uint64_t id, enum rec_kind kind)
{
    record *r = (record *)hcs__table_remove(&c->records, id, kind);
    if (!r)
        return;
    /* Unlinked in constant time: a client holding many objects pays no
     * walk of them on every close. */
    hcs__mutex_lock(&c->mu);
    if (r->listed) {
        *(r->prev ? &r->prev->next : &c->list) = r->next;
        if (r->next)
            r->next->prev = r->prev;
        r->listed = false;
    }
    if (kind == REC_OPERATION) {
        unsigned at = c->closed_next++ % CLOSED_KEPT;
        c->closed[at].sim = (uint64_t)(uintptr_t)r->sim;
        c->closed[at].client_id = r->client_id;
    }
    hcs__mutex_unlock(&c->mu);
    record_close_sim(r);
    hcs_object_release(&r->base);
}

/* ---- completions and events ---------------------------------------------- */

/* The completion of an operation the daemon runs for a client, told by the
 * simulator with the engine lock held (hcssim__operation_observe): the
 * outcome, and the process's stdio handles, which become the client's. */
static void observe(sim_operation *op, void *context)
{
    record *r = context;
    wire_handle handles[WIRE_MAX_HANDLES];
    unsigned n = 0, mask = 0;
    uint64_t pid = 0;
    if (op->has_info && op->result == S_OK && !op->info_taken) {
        op->info_taken = true;
        pid = op->info.ProcessId;
        HANDLE streams[3] = {op->info.StdInput, op->info.StdOutput, op->info.StdError};
        for (unsigned i = 0; i < 3; i++) {
            intptr_t fd = hcs__pipe_from_abi(streams[i]);
            if (fd >= 0) {
                handles[n++] = fd;
                mask |= 1u << i;
            }
        }
    }
    uint16_t *doc = NULL;
    if (op->result_doc && hcs__utf8_to_utf16(op->result_doc, &doc) != 0)
        doc = NULL;
    wire_buf b;
    hcssim__wire_begin(&b, WIRE_COMPLETE, 0);
    hcssim__wire_u64(&b, r->client_id);
    hcssim__wire_u64(&b, (uint32_t)op->result);
    hcssim__wire_utf16(&b, doc);
    hcssim__wire_u64(&b, pid);
    hcssim__wire_u64(&b, mask);
    free(doc);
    out_frame *f = frame_of(&b, handles, n);
    if (!f) { /* a document longer than a frame may be: the outcome still goes */
        hcssim__wire_begin(&b, WIRE_COMPLETE, 0);
        hcssim__wire_u64(&b, r->client_id);
        hcssim__wire_u64(&b, (uint32_t)E_OUTOFMEMORY);
        hcssim__wire_utf16(&b, NULL);
        hcssim__wire_u64(&b, 0);
        hcssim__wire_u64(&b, 0);
        f = frame_of(&b, NULL, 0);
    }
    if (!f)
        return;
    conn *c = r->c;
    hcs__mutex_lock(&c->mu);
    if (r->call_in_progress) {
        f->next = r->stash;
        r->stash = f;
    } else {
        enqueue_locked(c, f);
    }
    hcs__mutex_unlock(&c->mu);
}

/* The client's id of the operation an event names: its context while it
 * is open, else what the daemon remembers of it since the client closed
 * it (0 when that is forgotten too). */
static uint64_t client_operation(conn *c, HCS_OPERATION sim)
{
    if (!sim)
        return 0;
    uint64_t id = (uint64_t)(uintptr_t)HcsGetOperationContext(sim);
    if (id)
        return id;
    hcs__mutex_lock(&c->mu);
    for (unsigned i = 0; !id && i < CLOSED_KEPT; i++)
        if (c->closed[i].sim == (uint64_t)(uintptr_t)sim)
            id = c->closed[i].client_id;
    hcs__mutex_unlock(&c->mu);
    return id;
}

/* Every event of a system or process handle the daemon holds for a client
 * goes to the client as it came. */
static void forward_event(HCS_EVENT *event, void *context)
{
    record *r = context;
    uint64_t op = client_operation(r->c, event->Operation);
    wire_buf b;
    hcssim__wire_begin(&b, WIRE_EVENT, 0);
    hcssim__wire_u64(&b, r->client_id);
    hcssim__wire_u64(&b, (uint32_t)event->Type);
    hcssim__wire_utf16(&b, (const uint16_t *)event->EventData);
    hcssim__wire_u64(&b, op);
    enqueue(r->c, frame_of(&b, NULL, 0));
}

/* Stands in for the client's completion callback, so that the simulator
 * sees an operation with a callback exactly when the client's has one
 * (hcs-api §11 #36); the outcome itself goes through observe. */
static void CALLBACK client_has_callback(HCS_OPERATION operation, void *context)
{
    (void)operation;
    (void)context;
}

/* ---- calls ---------------------------------------------------------------- */

/* One call being answered: its reply, and the operation it started. */
typedef struct call {
    conn *c;
    const wire_msg *m;
    /* came with the frame: its operation's live migration socket, -1, or
     * SOCKET_UNUSABLE */
    wire_handle socket;
    const char *reply_signature;
    record *op; /* referenced; NULL when the call has none (or a foreign one) */
    wire_buf reply;
    bool stop_after; /* a stop_daemon control: the daemon stops once it is answered */
} call;

/* The operation of a call, from its three values at m->v[at]: the record
 * (made on first use), and the simulator's operation set up with the
 * client's callback presence. */
static HCS_OPERATION operation_arg(call *k, unsigned at)
{
    uint64_t daemon_id = k->m->v[at].u, client_id = k->m->v[at + 1].u, flags = k->m->v[at + 2].u;
    if (client_id == 0)
        return NULL;
    if (client_id == WIRE_INVALID)
        return FOREIGN_HANDLE;
    record *r = NULL;
    if (daemon_id == 0) {
        r = record_new(k->c, REC_OPERATION, client_id);
        HCS_OPERATION sim = r ? HcsCreateOperation((void *)(uintptr_t)client_id, NULL) : NULL;
        if (!sim) {
            if (r)
                hcs_object_release(&r->base);
            return FOREIGN_HANDLE;
        }
        r->sim = sim;
        hcssim__operation_observe(sim, observe, r);
        hcs_object_retain(&r->base);
        if (!record_add(k->c, r)) {
            HcsCloseOperation(sim);
            hcs_object_release(&r->base);
            return FOREIGN_HANDLE;
        }
    } else {
        r = (record *)hcs__table_acquire(&k->c->records, daemon_id, REC_OPERATION);
        if (!r)
            return FOREIGN_HANDLE;
    }
    HcsSetOperationCallback((HCS_OPERATION)r->sim, (void *)(uintptr_t)client_id,
                            (flags & WIRE_OP_HAS_CALLBACK) ? client_has_callback : NULL);
    hcs__mutex_lock(&k->c->mu);
    r->call_in_progress = true;
    hcs__mutex_unlock(&k->c->mu);
    k->op = r;
    return (HCS_OPERATION)r->sim;
}

/* A reply that could not be written (a result longer than a frame may be,
 * or no memory): E_OUTOFMEMORY in the reply's shape, so the caller is
 * answered all the same. */
static out_frame *fallback_reply(uint64_t request, const char *signature)
{
    wire_buf b;
    hcssim__wire_begin(&b, WIRE_REPLY, request);
    hcssim__wire_u64(&b, (uint32_t)E_OUTOFMEMORY);
    for (size_t i = 1; signature[i]; i++) {
        if (signature[i] == 'u')
            hcssim__wire_u64(&b, 0);
        else
            hcssim__wire_utf16(&b, NULL);
    }
    return frame_of(&b, NULL, 0);
}

/* Sends the reply, then a completion that came in the meantime. */
static void answer(call *k)
{
    out_frame *f = frame_of(&k->reply, NULL, 0);
    if (!f)
        f = fallback_reply(k->m->h.request, k->reply_signature);
    conn *c = k->c;
    hcs__mutex_lock(&c->mu);
    enqueue_locked(c, f);
    if (k->op) {
        k->op->call_in_progress = false;
        out_frame *stash = k->op->stash;
        k->op->stash = NULL;
        /* stashed newest first; at most one in practice */
        out_frame *ordered = NULL;
        while (stash) {
            out_frame *next = stash->next;
            stash->next = ordered;
            ordered = stash;
            stash = next;
        }
        while (ordered) {
            out_frame *next = ordered->next;
            enqueue_locked(c, ordered);
            ordered = next;
        }
    }
    hcs__mutex_unlock(&c->mu);
    if (k->op)
        hcs_object_release(&k->op->base);
    k->op = NULL;
}

static void reply_hr(call *k, HRESULT hr) { hcssim__wire_u64(&k->reply, (uint32_t)hr); }

/* For calls with an operation: the HRESULT and the operation's id. */
static void reply_op(call *k, HRESULT hr)
{
    reply_hr(k, hr);
    hcssim__wire_u64(&k->reply, k->op ? k->op->id : 0);
}

static uint16_t *str(call *k, unsigned at, bool *failed) { return hcssim__wire_utf16_dup(&k->m->v[at], failed); }

/* A new system or process handle: recorded when the simulator gave one.
 * The record may be the handle's event context already (a create with a
 * callback): it outlives the simulator's handle, whose close waits for a
 * delivery in progress. */
static uint64_t keep_handle(call *k, record *r, void *sim)
{
    if (!sim) {
        hcs_object_release(&r->base);
        return 0;
    }
    r->sim = sim;
    hcs_object_retain(&r->base);
    uint64_t id = record_add(k->c, r);
    if (!id)
        record_close_sim(r);
    hcs_object_release(&r->base);
    return id;
}

static void run_create(call *k, bool in_namespace)
{
    bool failed = false;
    unsigned at = in_namespace ? 1 : 0;
    uint16_t *ns = in_namespace ? str(k, 1, &failed) : NULL;
    uint16_t *id = str(k, at + 1, &failed), *config = str(k, at + 2, &failed);
    HCS_OPERATION op = operation_arg(k, at + 3);
    uint64_t flags = k->m->v[at + 6].u;
    uint64_t client_id = k->m->v[in_namespace ? 10 : 7].u;
    record *r = record_new(k->c, REC_SYSTEM, client_id);
    HRESULT hr = E_OUTOFMEMORY;
    HCS_SYSTEM sys = NULL;
    if (!failed && r) {
        HCS_SYSTEM *out = (flags & WIRE_ARG_OUT) ? &sys : NULL;
        if (in_namespace) {
            /* The client's event callback, registered with the creation,
             * is the daemon's forwarder on the new handle. */
            HCS_CREATE_OPTIONS_1 options = {
                .Version = (HCS_CREATE_OPTIONS)k->m->v[8].u,
                .UserToken = (flags & WIRE_ARG_USER_TOKEN) ? (HANDLE)(uintptr_t)1 : NULL,
                .SecurityDescriptor = (flags & WIRE_ARG_SECURITY) ? (SECURITY_DESCRIPTOR *)FOREIGN_HANDLE : NULL,
                .CallbackOptions = (HCS_EVENT_OPTIONS)k->m->v[9].u,
                .CallbackContext = r,
                .Callback = (flags & WIRE_ARG_CALLBACK) ? forward_event : NULL,
            };
            hr = HcsCreateComputeSystemInNamespace(
                ns, id, config, op, (flags & WIRE_ARG_OPTIONS) ? (HCS_CREATE_OPTIONS *)&options : NULL, out);
        } else {
            hr = HcsCreateComputeSystem(
                id, config, op, (flags & WIRE_ARG_SECURITY) ? (SECURITY_DESCRIPTOR *)FOREIGN_HANDLE : NULL, out);
        }
    }
    uint64_t handle = r ? keep_handle(k, r, sys) : 0;
    reply_op(k, hr);
    hcssim__wire_u64(&k->reply, handle);
    free(ns);
    free(id);
    free(config);
}

static void run_open(call *k, bool in_namespace)
{
    bool failed = false;
    unsigned at = in_namespace ? 1 : 0;
    uint16_t *ns = in_namespace ? str(k, 1, &failed) : NULL;
    uint16_t *id = str(k, at + 1, &failed);
    DWORD access = (DWORD)k->m->v[at + 2].u;
    uint64_t flags = k->m->v[at + 3].u;
    record *r = record_new(k->c, REC_SYSTEM, k->m->v[at + 4].u);
    HRESULT hr = E_OUTOFMEMORY;
    HCS_SYSTEM sys = NULL;
    if (!failed && r) {
        HCS_SYSTEM *out = (flags & WIRE_ARG_OUT) ? &sys : NULL;
        hr =
            in_namespace ? HcsOpenComputeSystemInNamespace(ns, id, access, out) : HcsOpenComputeSystem(id, access, out);
    }
    uint64_t handle = r ? keep_handle(k, r, sys) : 0;
    reply_hr(k, hr);
    hcssim__wire_u64(&k->reply, handle);
    free(ns);
    free(id);
}

typedef HRESULT(WINAPI *system_call_fn)(HCS_SYSTEM, HCS_OPERATION, PCWSTR);
typedef HRESULT(WINAPI *process_call_fn)(HCS_PROCESS, HCS_OPERATION, PCWSTR);

static HRESULT WINAPI modify_system(HCS_SYSTEM sys, HCS_OPERATION op, PCWSTR config)
{
    return HcsModifyComputeSystem(sys, op, config, NULL);
}

/* The client's operation carried a live migration socket: the daemon's
 * operation gets it, as HcsAddResourceToOperation gave it to the client's
 * (hcs-newest §3). */
static HRESULT attach_socket(call *k, HCS_OPERATION op)
{
    if (k->socket == SOCKET_UNUSABLE)
        return HR_NOT_A_SOCKET;
    if (k->socket < 0 || !op || op == FOREIGN_HANDLE)
        return S_OK;
    return HcsAddResourceToOperation(op, HcsResourceTypeSocket, HCS_LIVE_MIGRATION_SOCKET_URI,
                                     hcs__socket_to_abi(k->socket));
}

static system_call_fn system_call_of(uint64_t fn)
{
    switch (fn) {
    case WIRE_FN_HcsStartComputeSystem:
        return HcsStartComputeSystem;
    case WIRE_FN_HcsShutDownComputeSystem:
        return HcsShutDownComputeSystem;
    case WIRE_FN_HcsTerminateComputeSystem:
        return HcsTerminateComputeSystem;
    case WIRE_FN_HcsCrashComputeSystem:
        return HcsCrashComputeSystem;
    case WIRE_FN_HcsPauseComputeSystem:
        return HcsPauseComputeSystem;
    case WIRE_FN_HcsResumeComputeSystem:
        return HcsResumeComputeSystem;
    case WIRE_FN_HcsSaveComputeSystem:
        return HcsSaveComputeSystem;
    case WIRE_FN_HcsGetComputeSystemProperties:
        return HcsGetComputeSystemProperties;
    case WIRE_FN_HcsModifyComputeSystem:
        return modify_system;
    case WIRE_FN_HcsInitializeLiveMigrationOnSource:
        return HcsInitializeLiveMigrationOnSource;
    case WIRE_FN_HcsStartLiveMigrationOnSource:
        return HcsStartLiveMigrationOnSource;
    case WIRE_FN_HcsStartLiveMigrationTransfer:
        return HcsStartLiveMigrationTransfer;
    case WIRE_FN_HcsFinalizeLiveMigration:
        return HcsFinalizeLiveMigration;
    case WIRE_FN_HcsCancelLiveMigration:
        return HcsCancelLiveMigration;
    default:
        return NULL;
    }
}

static process_call_fn process_call_of(uint64_t fn)
{
    switch (fn) {
    case WIRE_FN_HcsTerminateProcess:
        return HcsTerminateProcess;
    case WIRE_FN_HcsSignalProcess:
        return HcsSignalProcess;
    case WIRE_FN_HcsGetProcessProperties:
        return HcsGetProcessProperties;
    case WIRE_FN_HcsModifyProcess:
        return HcsModifyProcess;
    default:
        return NULL;
    }
}

/* ---- waits: on a thread of their own, in slices ------------------------ */

typedef struct wait_job {
    conn *c; /* referenced */
    uint64_t request;
    bool process;
    void *handle;
    DWORD timeout;
    bool want_result;
} wait_job;

static bool conn_dead(conn *c)
{
    hcs__mutex_lock(&c->mu);
    bool dead = c->dead;
    hcs__mutex_unlock(&c->mu);
    return dead;
}

static void run_wait(void *arg)
{
    wait_job *j = arg;
    uint64_t deadline = hcs__deadline_after(j->timeout);
    HRESULT timeout_code = hcssim__exit_wait_timeout_code();
    HRESULT hr;
    PWSTR result = NULL;
    for (;;) {
        uint64_t now = hcs__clock_ms();
        uint64_t left = deadline > now ? deadline - now : 0;
        DWORD slice = left > WAIT_SLICE_MS ? WAIT_SLICE_MS : (DWORD)left;
        PWSTR *out = j->want_result ? &result : NULL;
        hr = j->process ? HcsWaitForProcessExit((HCS_PROCESS)j->handle, slice, out)
                        : HcsWaitForComputeSystemExit((HCS_SYSTEM)j->handle, slice, out);
        if (hr != timeout_code || left <= slice || conn_dead(j->c))
            break;
        LocalFree(result);
        result = NULL;
    }
    wire_buf b;
    hcssim__wire_begin(&b, WIRE_REPLY, j->request);
    hcssim__wire_u64(&b, (uint32_t)hr);
    hcssim__wire_utf16(&b, result);
    LocalFree(result);
    out_frame *f = frame_of(&b, NULL, 0);
    enqueue(j->c, f ? f : fallback_reply(j->request, "uW"));
    hcs_object_release(&j->c->base);
    free(j);
}

/* Returns true when the wait went to a thread (which answers), false when
 * the caller must answer (k->reply holds the failure). */
static bool start_wait(call *k, bool process)
{
    wait_job *j = calloc(1, sizeof *j);
    if (j) {
        j->c = k->c;
        j->request = k->m->h.request;
        j->process = process;
        j->handle = sim_of(k->c, k->m->v[1].u, process ? REC_PROCESS : REC_SYSTEM);
        j->timeout = (DWORD)k->m->v[2].u;
        j->want_result = (k->m->v[3].u & WIRE_ARG_OUT) != 0;
        hcs_object_retain(&k->c->base);
        hcs_thread t;
        if (hcs__thread_start(&t, run_wait, j) == 0) {
            hcs__thread_detach(t);
            return true;
        }
        hcs_object_release(&k->c->base);
        free(j);
    }
    reply_hr(k, E_OUTOFMEMORY);
    hcssim__wire_utf16(&k->reply, NULL);
    return false;
}

/* A sync call with an optional string result (service properties, ...). */
static void reply_result(call *k, HRESULT hr, PWSTR result)
{
    reply_hr(k, hr);
    hcssim__wire_utf16(&k->reply, result);
    LocalFree(result);
}

/* ---- computenetwork (storage-and-network §2) -------------------------------- */

/* A service, network or GNS notification, to the client that registered. */
static void CALLBACK forward_note(DWORD type, void *context, HRESULT status, PCWSTR data)
{
    record *r = context;
    wire_buf b;
    hcssim__wire_begin(&b, WIRE_EVENT, 0);
    hcssim__wire_u64(&b, r->client_id);
    hcssim__wire_u64(&b, type);
    hcssim__wire_utf16(&b, (const uint16_t *)data);
    hcssim__wire_u64(&b, (uint32_t)status);
    enqueue(r->c, frame_of(&b, NULL, 0));
}

/* An id argument: GUID text, or 'n' for a NULL REFGUID. */
static const GUID *guid_arg(const wire_value *v, GUID *g, bool *failed)
{
    char text[HCN_ID_LEN + 1];
    if (v->tag != 'a')
        return NULL;
    if (v->count != HCN_ID_LEN) {
        *failed = true;
        return NULL;
    }
    memcpy(text, v->bytes, HCN_ID_LEN);
    text[HCN_ID_LEN] = 0;
    if (!hcs__guid_parse(text, g))
        *failed = true;
    return g;
}

/* The reply's strings, freed as HCN's are. */
static void reply_task_string(call *k, PWSTR s)
{
    hcssim__wire_utf16(&k->reply, (const uint16_t *)s);
    CoTaskMemFree(s);
}

/* Records a handle the simulator gave (none on failure): its id, or 0. */
static uint64_t keep_hcn(call *k, enum rec_kind kind, uint64_t client_id, HRESULT hr, void *sim)
{
    if (FAILED(hr) || !sim)
        return 0;
    record *r = record_new(k->c, kind, client_id);
    if (!r)
        close_hcn(kind, sim);
    return r ? keep_handle(k, r, sim) : 0;
}

/* Close, Unregister, Release: the record goes with what it holds. */
static HRESULT drop_hcn(call *k, uint64_t id, enum rec_kind kind)
{
    if (!id)
        return E_INVALIDARG;
    void *sim = sim_of(k->c, id, kind);
    if (sim == FOREIGN_HANDLE)
        return (HRESULT)0x80070006; /* ERROR_INVALID_HANDLE, as in process */
    record_remove(k->c, id, kind);
    return S_OK;
}

/* The seven calls of one object type, numbered as in WIRE_HCN_OBJECT. */
static void run_hcn_object(call *k, hcn_kind kind, unsigned verb)
{
    const wire_msg *m = k->m;
    bool failed = false;
    PWSTR out = NULL, error = NULL;
    GUID g;
    void *h = NULL;
    HRESULT hr;
    uint16_t *text = NULL;
    uint64_t flags = m->v[m->count - 1].u;
    PWSTR *out_p = (flags & WIRE_ARG_OUT) ? &out : NULL, *error_p = (flags & WIRE_ARG_ERROR) ? &error : NULL;
    enum rec_kind rec = (enum rec_kind)(REC_HCN + kind);
    switch (verb) {
    case 0: /* Enumerate */
        text = str(k, 1, &failed);
        hr = failed ? E_OUTOFMEMORY : hcssim__hcn_enumerate(kind, text, out_p, error_p);
        reply_hr(k, hr);
        reply_task_string(k, out);
        break;
    case 1: { /* Create */
        const GUID *id = guid_arg(&m->v[2], &g, &failed);
        text = str(k, 3, &failed);
        void *network = sim_of(k->c, m->v[1].u, (enum rec_kind)(REC_HCN + HCN_KIND_NETWORK));
        hr = failed ? E_INVALIDARG
                    : hcssim__hcn_create(kind, network, id, text, (flags & WIRE_ARG_OUT) ? &h : NULL, error_p);
        reply_hr(k, hr);
        hcssim__wire_u64(&k->reply, keep_hcn(k, rec, 0, hr, h));
        break;
    }
    case 2: { /* Open */
        const GUID *id = guid_arg(&m->v[1], &g, &failed);
        hr = failed ? E_INVALIDARG : hcssim__hcn_open(kind, id, (flags & WIRE_ARG_OUT) ? &h : NULL, error_p);
        reply_hr(k, hr);
        hcssim__wire_u64(&k->reply, keep_hcn(k, rec, 0, hr, h));
        break;
    }
    case 3: /* Modify */
        text = str(k, 2, &failed);
        hr = failed ? E_OUTOFMEMORY : hcssim__hcn_modify(kind, sim_of(k->c, m->v[1].u, rec), text, error_p);
        reply_hr(k, hr);
        break;
    case 4: /* Query */
        text = str(k, 2, &failed);
        hr = failed ? E_OUTOFMEMORY : hcssim__hcn_query(kind, sim_of(k->c, m->v[1].u, rec), NULL, text, out_p, error_p);
        reply_hr(k, hr);
        reply_task_string(k, out);
        break;
    case 5: { /* Delete */
        const GUID *id = guid_arg(&m->v[1], &g, &failed);
        hr = failed ? E_INVALIDARG : hcssim__hcn_delete(kind, id, error_p);
        reply_hr(k, hr);
        break;
    }
    default: /* Close */
        reply_hr(k, drop_hcn(k, m->v[1].u, rec));
        free(text);
        return;
    }
    reply_task_string(k, error);
    free(text);
}

/* Port reservations' entries as JSON: the wire has no arrays. */
static void reply_ports(call *k)
{
    ULONG count = 0;
    HCN_PORT_RANGE_ENTRY *entries = NULL;
    HRESULT hr = hcssim__hcn_enumerate_ports(&count, &entries);
    json_t *list = json_array();
    for (ULONG i = 0; SUCCEEDED(hr) && i < count; i++) {
        char owner[HCN_ID_LEN + 1], target[HCN_ID_LEN + 1];
        hcs__guid_format(&entries[i].OwningPartitionId, owner);
        hcs__guid_format(&entries[i].TargetPartitionId, target);
        json_array_append_new(list,
                              json_pack("{s:s, s:s, s:i, s:i, s:i, s:i}", "Owner", owner, "Target", target, "Protocol",
                                        (int)entries[i].Protocol, "Sharing", (int)entries[i].SharingFlags, "First",
                                        (int)entries[i].StartingPort, "Last", (int)entries[i].EndingPort));
    }
    hcssim__hcn_free_ports(entries);
    char *text = json_dumps(list, JSON_COMPACT);
    json_decref(list);
    reply_hr(k, text ? hr : E_OUTOFMEMORY);
    hcssim__wire_u64(&k->reply, count);
    hcssim__wire_utf8(&k->reply, text);
    free(text);
}

static void run_hcn_call(call *k)
{
    const wire_msg *m = k->m;
    uint64_t fn = m->v[0].u;
    if (fn < WIRE_FN_HcnQueryEndpointStats) {
        uint64_t n = fn - WIRE_FN_HcnEnumerateNetworks;
        run_hcn_object(k, (hcn_kind)(n / 7), (unsigned)(n % 7));
        return;
    }
    bool failed = false;
    switch (fn) {
    case WIRE_FN_HcnQueryEndpointStats:
    case WIRE_FN_HcnQueryEndpointAddresses: {
        uint16_t *query = str(k, 2, &failed);
        PWSTR out = NULL, error = NULL;
        uint64_t flags = m->v[3].u;
        void *ep = sim_of(k->c, m->v[1].u, (enum rec_kind)(REC_HCN + HCN_KIND_ENDPOINT));
        HRESULT hr =
            failed ? E_OUTOFMEMORY
                   : hcssim__hcn_query(HCN_KIND_ENDPOINT, ep,
                                       fn == WIRE_FN_HcnQueryEndpointStats ? "Stats" : "Addresses", query,
                                       (flags & WIRE_ARG_OUT) ? &out : NULL, (flags & WIRE_ARG_ERROR) ? &error : NULL);
        reply_hr(k, hr);
        reply_task_string(k, out);
        reply_task_string(k, error);
        free(query);
        return;
    }
    case WIRE_FN_HcnRegisterServiceCallback:
    case WIRE_FN_HcnRegisterNetworkCallback:
    case WIRE_FN_HcnRegisterGuestNetworkServiceCallback: {
        hcn_kind kind = fn == WIRE_FN_HcnRegisterServiceCallback   ? HCN_KINDS
                        : fn == WIRE_FN_HcnRegisterNetworkCallback ? HCN_KIND_NETWORK
                                                                   : HCN_KIND_GNS;
        void *target = kind == HCN_KINDS ? NULL : sim_of(k->c, m->v[1].u, (enum rec_kind)(REC_HCN + kind));
        uint64_t flags = m->v[2].u;
        record *r = record_new(k->c, REC_HCN_CALLBACK, m->v[3].u);
        HCN_CALLBACK reg = NULL;
        HRESULT hr = !r ? E_OUTOFMEMORY
                        : hcssim__hcn_register(kind, target, (flags & WIRE_ARG_CALLBACK) ? forward_note : NULL, r,
                                               (flags & WIRE_ARG_OUT) ? &reg : NULL);
        reply_hr(k, hr);
        if (r && SUCCEEDED(hr))
            hcssim__wire_u64(&k->reply, keep_handle(k, r, reg));
        else {
            hcssim__wire_u64(&k->reply, 0);
            if (r)
                hcs_object_release(&r->base);
        }
        return;
    }
    case WIRE_FN_HcnUnregisterServiceCallback:
    case WIRE_FN_HcnUnregisterNetworkCallback:
    case WIRE_FN_HcnUnregisterGuestNetworkServiceCallback:
        reply_hr(k, drop_hcn(k, m->v[1].u, REC_HCN_CALLBACK));
        return;
    case WIRE_FN_HcnReserveGuestNetworkServicePort:
    case WIRE_FN_HcnReserveGuestNetworkServicePortRange: {
        bool range = fn == WIRE_FN_HcnReserveGuestNetworkServicePortRange;
        void *gns = sim_of(k->c, m->v[1].u, (enum rec_kind)(REC_HCN + HCN_KIND_GNS));
        HCN_PORT_RANGE_RESERVATION r = {0, 0};
        HANDLE h = NULL;
        USHORT n = (USHORT)m->v[4].u;
        HRESULT hr =
            hcssim__hcn_reserve_port(gns, (HCN_PORT_PROTOCOL)m->v[2].u, (HCN_PORT_ACCESS)m->v[3].u, range ? 0 : n,
                                     range ? n : 0, range ? &r : NULL, (m->v[5].u & WIRE_ARG_OUT) ? &h : NULL);
        reply_hr(k, hr);
        hcssim__wire_u64(&k->reply, keep_hcn(k, REC_HCN_PORT, 0, hr, h));
        if (range) {
            hcssim__wire_u64(&k->reply, r.startingPort);
            hcssim__wire_u64(&k->reply, r.endingPort);
        }
        return;
    }
    case WIRE_FN_HcnReleaseGuestNetworkServicePortReservationHandle:
        reply_hr(k, drop_hcn(k, m->v[1].u, REC_HCN_PORT));
        return;
    default:
        reply_ports(k);
        return;
    }
}

/* Runs one CALL. Returns false when the call was handed to a thread that
 * will answer it. */
static bool run_call(call *k)
{
    const wire_msg *m = k->m;
    uint64_t fn = m->v[0].u;
    const char *name = hcssim__wire_function_name(fn);
    bool failed = false;
    if (!hcssim_proc_address(name)) {
        /* The emulated build lacks it: as the client's GetProcAddress would
         * have said (it was told the export list in WELCOME). */
        reply_hr(k, E_PROC_NOT_FOUND);
        for (size_t i = 1; k->reply_signature[i]; i++) {
            if (k->reply_signature[i] == 'u')
                hcssim__wire_u64(&k->reply, 0);
            else
                hcssim__wire_utf16(&k->reply, NULL);
        }
        return true;
    }
    if (fn >= WIRE_FN_HcnEnumerateNetworks && fn <= WIRE_FN_HcnEnumerateGuestNetworkPortReservations) {
        run_hcn_call(k);
        return true;
    }
    switch (fn) {
    case WIRE_FN_HcsEnumerateComputeSystems:
    case WIRE_FN_HcsEnumerateComputeSystemsInNamespace: {
        bool in_ns = fn == WIRE_FN_HcsEnumerateComputeSystemsInNamespace;
        uint16_t *ns = in_ns ? str(k, 1, &failed) : NULL;
        uint16_t *query = str(k, in_ns ? 2 : 1, &failed);
        HCS_OPERATION op = operation_arg(k, in_ns ? 3 : 2);
        HRESULT hr = failed  ? E_OUTOFMEMORY
                     : in_ns ? HcsEnumerateComputeSystemsInNamespace(ns, query, op)
                             : HcsEnumerateComputeSystems(query, op);
        reply_op(k, hr);
        free(ns);
        free(query);
        return true;
    }
    case WIRE_FN_HcsCreateComputeSystem:
    case WIRE_FN_HcsCreateComputeSystemInNamespace:
        run_create(k, fn == WIRE_FN_HcsCreateComputeSystemInNamespace);
        return true;
    case WIRE_FN_HcsOpenComputeSystem:
    case WIRE_FN_HcsOpenComputeSystemInNamespace:
        run_open(k, fn == WIRE_FN_HcsOpenComputeSystemInNamespace);
        return true;
    case WIRE_FN_HcsCloseComputeSystem:
    case WIRE_FN_HcsCloseProcess:
        record_remove(k->c, m->v[1].u, fn == WIRE_FN_HcsCloseProcess ? REC_PROCESS : REC_SYSTEM);
        reply_hr(k, S_OK);
        return true;
    case WIRE_FN_HcsWaitForComputeSystemExit:
    case WIRE_FN_HcsWaitForProcessExit:
        return !start_wait(k, fn == WIRE_FN_HcsWaitForProcessExit);
    case WIRE_FN_HcsSetComputeSystemCallback:
    case WIRE_FN_HcsSetProcessCallback: {
        bool process = fn == WIRE_FN_HcsSetProcessCallback;
        enum rec_kind kind = process ? REC_PROCESS : REC_SYSTEM;
        record *r = m->v[1].u ? (record *)hcs__table_acquire(&k->c->records, m->v[1].u, kind) : NULL;
        void *h = r ? r->sim : m->v[1].u ? FOREIGN_HANDLE : NULL;
        HCS_EVENT_CALLBACK cb = (m->v[3].u & WIRE_ARG_CALLBACK) ? forward_event : NULL;
        HCS_EVENT_OPTIONS options = (HCS_EVENT_OPTIONS)m->v[2].u;
        HRESULT hr = process ? HcsSetProcessCallback((HCS_PROCESS)h, options, r, cb)
                             : HcsSetComputeSystemCallback((HCS_SYSTEM)h, options, r, cb);
        if (r)
            hcs_object_release(&r->base);
        reply_hr(k, hr);
        return true;
    }
    case WIRE_FN_HcsCreateProcess: {
        HCS_SYSTEM sys = sim_of(k->c, m->v[1].u, REC_SYSTEM);
        uint16_t *params = str(k, 2, &failed);
        HCS_OPERATION op = operation_arg(k, 3);
        uint64_t flags = m->v[6].u;
        record *r = record_new(k->c, REC_PROCESS, m->v[7].u);
        HCS_PROCESS proc = NULL;
        HRESULT hr = failed || !r
                         ? E_OUTOFMEMORY
                         : HcsCreateProcess(sys, params, op,
                                            (flags & WIRE_ARG_SECURITY) ? (SECURITY_DESCRIPTOR *)FOREIGN_HANDLE : NULL,
                                            (flags & WIRE_ARG_OUT) ? &proc : NULL);
        uint64_t handle = r ? keep_handle(k, r, proc) : 0;
        reply_op(k, hr);
        hcssim__wire_u64(&k->reply, handle);
        free(params);
        return true;
    }
    case WIRE_FN_HcsOpenProcess: {
        HCS_SYSTEM sys = sim_of(k->c, m->v[1].u, REC_SYSTEM);
        uint64_t flags = m->v[4].u;
        record *r = record_new(k->c, REC_PROCESS, m->v[5].u);
        HCS_PROCESS proc = NULL;
        HRESULT hr =
            !r ? E_OUTOFMEMORY
               : HcsOpenProcess(sys, (DWORD)m->v[2].u, (DWORD)m->v[3].u, (flags & WIRE_ARG_OUT) ? &proc : NULL);
        uint64_t handle = r ? keep_handle(k, r, proc) : 0;
        reply_hr(k, hr);
        hcssim__wire_u64(&k->reply, handle);
        return true;
    }
    case WIRE_FN_HcsGetProcessInfo: {
        HCS_PROCESS proc = sim_of(k->c, m->v[1].u, REC_PROCESS);
        HCS_OPERATION op = operation_arg(k, 2);
        reply_op(k, HcsGetProcessInfo(proc, op));
        return true;
    }
    case WIRE_FN_HcsGetServiceProperties:
    case WIRE_FN_HcsModifyServiceSettings:
    case WIRE_FN_HcsGetProcessorCompatibilityFromSavedState: {
        uint16_t *in = str(k, 1, &failed);
        PWSTR result = NULL;
        PWSTR *out = (m->v[2].u & WIRE_ARG_OUT) ? &result : NULL;
        HRESULT hr = E_OUTOFMEMORY;
        if (!failed && fn == WIRE_FN_HcsGetServiceProperties)
            hr = HcsGetServiceProperties(in, out);
        else if (!failed && fn == WIRE_FN_HcsModifyServiceSettings)
            hr = HcsModifyServiceSettings(in, out);
        else if (!failed)
            hr = HcsGetProcessorCompatibilityFromSavedState(in, (PCWSTR *)out);
        reply_result(k, hr, result);
        free(in);
        return true;
    }
    case WIRE_FN_HcsSubmitWerReport:
    case WIRE_FN_HcsCreateEmptyGuestStateFile:
    case WIRE_FN_HcsCreateEmptyRuntimeStateFile:
    case WIRE_FN_HcsGrantVmGroupAccess:
    case WIRE_FN_HcsRevokeVmGroupAccess: {
        uint16_t *in = str(k, 1, &failed);
        HRESULT hr = E_OUTOFMEMORY;
        if (!failed) {
            switch (fn) {
            case WIRE_FN_HcsSubmitWerReport:
                hr = HcsSubmitWerReport(in);
                break;
            case WIRE_FN_HcsCreateEmptyGuestStateFile:
                hr = HcsCreateEmptyGuestStateFile(in);
                break;
            case WIRE_FN_HcsCreateEmptyRuntimeStateFile:
                hr = HcsCreateEmptyRuntimeStateFile(in);
                break;
            case WIRE_FN_HcsGrantVmGroupAccess:
                hr = HcsGrantVmGroupAccess(in);
                break;
            default:
                hr = HcsRevokeVmGroupAccess(in);
                break;
            }
        }
        reply_hr(k, hr);
        free(in);
        return true;
    }
    case WIRE_FN_HcsGrantVmAccess:
    case WIRE_FN_HcsRevokeVmAccess: {
        uint16_t *vm = str(k, 1, &failed), *path = str(k, 2, &failed);
        HRESULT hr = failed                           ? E_OUTOFMEMORY
                     : fn == WIRE_FN_HcsGrantVmAccess ? HcsGrantVmAccess(vm, path)
                                                      : HcsRevokeVmAccess(vm, path);
        reply_hr(k, hr);
        free(vm);
        free(path);
        return true;
    }
    default:
        break;
    }
    system_call_fn sys_fn = system_call_of(fn);
    process_call_fn proc_fn = process_call_of(fn);
    if (!sys_fn && !proc_fn) { /* every function is handled above: a new one missing here */
        reply_op(k, E_NOTIMPL);
        return true;
    }
    void *target = sim_of(k->c, m->v[1].u, sys_fn ? REC_SYSTEM : REC_PROCESS);
    HCS_OPERATION op = operation_arg(k, 2);
    uint16_t *options = str(k, 5, &failed);
    HRESULT hr = failed ? E_OUTOFMEMORY : attach_socket(k, op);
    if (SUCCEEDED(hr))
        hr = sys_fn ? sys_fn((HCS_SYSTEM)target, op, options) : proc_fn((HCS_PROCESS)target, op, options);
    reply_op(k, hr);
    free(options);
    return true;
}

/* ---- the control API -------------------------------------------------- */

/* The simulator's counts and the daemon's connections: get_counts (control
 * 6) keeps the five values it always had, so a function keeps its meaning;
 * get_all_counts (8) has every field (docs/hcssimd.md). */
static void put_counts(wire_buf *reply, bool every_field)
{
    hcssim_counts counts;
    hcssim_get_counts(&counts);
    hcssim__wire_u64(reply, counts.handles);
    hcssim__wire_u64(reply, counts.handle_slots);
    hcssim__wire_u64(reply, counts.systems);
    hcssim__wire_u64(reply, counts.processes);
    if (every_field) {
        hcssim__wire_u64(reply, counts.operations);
        hcssim__wire_u64(reply, counts.requests);
    }
    hcssim__wire_u64(reply, hcssim__server_connections());
}

static void run_control(call *k)
{
    const wire_msg *m = k->m;
    bool failed = false;
    switch (m->v[0].u) {
    case WIRE_CTL_set_latency: {
        char *fn = hcssim__wire_utf8_dup(&m->v[1], &failed);
        hcssim__wire_u64(&k->reply, failed ? (uint64_t)-1 : (uint64_t)hcssim_set_latency(fn, (unsigned)m->v[2].u));
        free(fn);
        break;
    }
    case WIRE_CTL_set_faults: {
        char *plan = hcssim__wire_utf8_dup(&m->v[1], &failed);
        char why[512] = "";
        int rc = failed ? -1 : hcssim_set_faults(plan, why, sizeof why);
        hcssim__wire_u64(&k->reply, (uint64_t)rc);
        hcssim__wire_utf8(&k->reply, failed ? "out of memory" : why);
        free(plan);
        break;
    }
    case WIRE_CTL_set_behaviour: {
        char *name = hcssim__wire_utf8_dup(&m->v[1], &failed), *value = hcssim__wire_utf8_dup(&m->v[2], &failed);
        hcssim__wire_u64(&k->reply, failed ? (uint64_t)-1 : (uint64_t)hcssim_set_behaviour(name, value));
        free(name);
        free(value);
        break;
    }
    case WIRE_CTL_disconnect_service:
        hcssim_disconnect_service();
        hcssim__wire_u64(&k->reply, 0);
        break;
    case WIRE_CTL_restore_service:
        hcssim_restore_service();
        hcssim__wire_u64(&k->reply, 0);
        break;
    case WIRE_CTL_get_counts:
        put_counts(&k->reply, false);
        break;
    case WIRE_CTL_get_all_counts:
        put_counts(&k->reply, true);
        break;
    case WIRE_CTL_stop_daemon:
        /* Answered first, then the daemon's own stop path runs (serve). */
        hcssim__wire_u64(&k->reply, stop_handler ? 0 : (uint64_t)-1);
        k->stop_after = stop_handler != NULL;
        break;
    default:
        break;
    }
}

/* The signature of the REPLY to a CALL or CONTROL (protocol.h). */
static const char *reply_signature(const wire_msg *m)
{
    uint64_t fn = m->v[0].u;
#define WIRE_REPLY_OF(id, name, args, reply)                                                                           \
    if (fn == id)                                                                                                      \
        return reply;
    if (m->h.type == WIRE_CALL) {
        WIRE_FUNCTIONS(WIRE_REPLY_OF)
    } else {
        WIRE_CONTROLS(WIRE_REPLY_OF)
    }
#undef WIRE_REPLY_OF
    return "u";
}

/* ---- reading ---------------------------------------------------------------- */

/* Reads one frame into *frame (malloc'ed; the caller frees it) and checks
 * its header. The payload is read in pieces as it comes, so a header that
 * claims much and sends little costs little. */
static wire_error read_frame(conn *c, uint8_t **frame, size_t *len, wire_header *h, wire_handle *socket)
{
    *frame = NULL;
    *socket = -1;
    uint8_t head[WIRE_HEADER_SIZE];
    wire_handle handles[WIRE_MAX_HANDLES];
    unsigned n = 0;
    /* At most one handle: a call's live migration socket (hcs-newest §3). */
    int rc = hcssim__transport_recv(c->io, head, sizeof head, handles, &n, 1);
    if (rc == 0 && n == 1)
        *socket = handles[0] >= 0 ? handles[0] : SOCKET_UNUSABLE;
    else
        for (unsigned i = 0; i < n; i++)
            hcs__socket_close(handles[i]);
    if (rc != 0)
        return WIRE_E_TRUNCATED;
    wire_error e = hcssim__wire_decode_header(head, h);
    if (e != WIRE_OK)
        return e;
    size_t total = WIRE_HEADER_SIZE + (size_t)h->length, have = WIRE_HEADER_SIZE, cap = 0;
    uint8_t *buf = NULL;
    while (cap < total) {
        size_t next = cap ? cap * 2 : 64 * 1024;
        if (next > total)
            next = total;
        uint8_t *grown = realloc(buf, next);
        if (!grown) {
            free(buf);
            return WIRE_E_TOO_BIG;
        }
        buf = grown;
        if (cap == 0)
            memcpy(buf, head, sizeof head);
        cap = next;
        if (hcssim__transport_recv(c->io, buf + have, cap - have, handles, &n, 0) != 0) {
            free(buf);
            return WIRE_E_TRUNCATED;
        }
        have = cap;
    }
    *frame = buf;
    *len = total;
    return WIRE_OK;
}

static void say(conn *c, const char *what)
{
    fprintf(stderr, "hcssimd: client %llu (pid %llu): %s\n", (unsigned long long)c->serial, (unsigned long long)c->pid,
            what);
}

/* The greeting: a HELLO of this version gets WELCOME with the emulated
 * build and its exports; another version gets REFUSED. */
static bool greet(conn *c)
{
    uint8_t *frame;
    size_t len;
    wire_header h;
    wire_handle stray;
    wire_error e = read_frame(c, &frame, &len, &h, &stray);
    hcs__socket_close(stray);
    wire_msg m;
    if (e == WIRE_E_VERSION && h.type == WIRE_HELLO) {
        char why[160];
        snprintf(why, sizeof why, "hcssimd speaks protocol version %d; this client speaks %u", WIRE_VERSION,
                 (unsigned)h.version);
        say(c, why);
        /* Sent here, not queued: the writer drops what is queued once the
         * connection ends, and this is the client's only explanation. */
        wire_buf b;
        hcssim__wire_begin(&b, WIRE_REFUSED, h.request);
        hcssim__wire_u64(&b, WIRE_VERSION);
        hcssim__wire_utf8(&b, why);
        if (hcssim__wire_end(&b, 0) == 0)
            hcssim__transport_send(c->io, b.data, b.len, NULL, 0);
        hcssim__wire_free(&b);
        free(frame);
        return false;
    }
    if (e == WIRE_OK)
        e = hcssim__wire_decode(frame, len, &m);
    if (e == WIRE_OK && m.h.type != WIRE_HELLO)
        e = WIRE_E_SIGNATURE;
    if (e != WIRE_OK) {
        if (e != WIRE_E_TRUNCATED || frame)
            say(c, hcssim__wire_error_name(e));
        free(frame);
        return false;
    }
    /* Where the OS does not tell the client's process (Wine), its HELLO
     * does: the transport needs it to hand the client its stdio handles. */
    hcssim__transport_set_peer_pid(c->io, m.v[0].u);
    hcs__mutex_lock(&c->mu);
    c->pid = hcssim__transport_peer_pid(c->io);
    hcs__mutex_unlock(&c->mu);
    char exports[4096] = "";
    size_t used = 0;
#define WIRE_EXPORT_NAME(id, name, args, reply)                                                                        \
    if (hcssim_proc_address(#name))                                                                                    \
        used += (size_t)snprintf(exports + used, sizeof exports - used, "%s%s", used ? "," : "", #name);
    WIRE_FUNCTIONS(WIRE_EXPORT_NAME)
#undef WIRE_EXPORT_NAME
    wire_buf b;
    hcssim__wire_begin(&b, WIRE_WELCOME, m.h.request);
    hcssim__wire_u64(&b, hcssim__transport_own_pid());
    hcssim__wire_utf8(&b, hcssim__profile_current()->name);
    hcssim__wire_utf8(&b, exports);
    enqueue(c, frame_of(&b, NULL, 0));
    free(frame);
    return true;
}

static void serve(conn *c)
{
    if (!greet(c))
        return;
    for (;;) {
        uint8_t *frame;
        size_t len;
        wire_header h;
        wire_msg m;
        wire_handle socket;
        wire_error e = read_frame(c, &frame, &len, &h, &socket);
        if (e == WIRE_OK)
            e = hcssim__wire_decode(frame, len, &m);
        if (e == WIRE_OK && socket != -1 && (m.h.type != WIRE_CALL || !system_call_of(m.v[0].u)))
            e = WIRE_E_HEADER; /* only a call on a system has an operation to give a socket to */
        if (e != WIRE_OK) {
            hcs__socket_close(socket);
            socket = -1;
        }
        if (e == WIRE_OK && m.h.type != WIRE_CALL && m.h.type != WIRE_CONTROL && m.h.type != WIRE_RELEASE)
            e = WIRE_E_SIGNATURE; /* a frame only the daemon sends */
        if (e != WIRE_OK) {
            /* End of stream between frames is a client leaving; anything
             * else is a bad client, closed alone. */
            if (frame || e != WIRE_E_TRUNCATED)
                say(c, hcssim__wire_error_name(e));
            free(frame);
            return;
        }
        if (m.h.type == WIRE_RELEASE) {
            record_remove(c, m.v[0].u, REC_OPERATION);
        } else {
            call k = {.c = c, .m = &m, .socket = socket, .reply_signature = reply_signature(&m)};
            hcssim__wire_begin(&k.reply, WIRE_REPLY, m.h.request);
            bool answer_now = true;
            if (m.h.type == WIRE_CALL)
                answer_now = run_call(&k);
            else
                run_control(&k);
            hcs__socket_close(k.socket); /* the simulator keeps its own duplicate */
            if (answer_now)
                answer(&k);
            else
                hcssim__wire_free(&k.reply);
            if (k.stop_after) {
                say(c, "asked the daemon to stop");
                stop_handler();
            }
        }
        free(frame);
    }
}

/* Closes everything the client held: its systems and processes go on (host
 * state), only its handles are released (docs/hcssimd.md). */
static void teardown(conn *c)
{
    hcs__mutex_lock(&c->mu);
    c->dead = true;
    hcs__cond_broadcast(&c->cv);
    record *list = c->list;
    c->list = NULL;
    for (record *r = list; r; r = r->next)
        r->listed = false; /* the walk below owns the links now */
    hcs__mutex_unlock(&c->mu);
    hcssim__transport_shutdown(c->io);
    while (list) {
        record *r = list;
        list = r->next;
        record *removed = (record *)hcs__table_remove(&c->records, r->id, r->kind);
        if (removed) {
            record_close_sim(removed);
            hcs_object_release(&removed->base);
        }
    }
}

static void reader(void *arg)
{
    conn *c = arg;
    if (c->verbose)
        say(c, "connected");
    serve(c);
    teardown(c);
    if (c->verbose)
        say(c, "gone");
    hcs__mutex_lock(&all_mu);
    for (conn **at = &all; *at; at = &(*at)->next)
        if (*at == c) {
            *at = c->next;
            break;
        }
    live--;
    hcs__cond_broadcast(&all_cv);
    hcs__mutex_unlock(&all_mu);
    hcs_object_release(&c->base);
}

int hcssim__server_start(wire_conn *io, bool verbose)
{
    hcs__call_once(&all_once, init_all);
    conn *c = calloc(1, sizeof *c);
    if (!c) {
        hcssim__transport_close(io);
        return -1;
    }
    hcs_object_init(&c->base, destroy_conn);
    hcs__mutex_init(&c->mu);
    hcs__cond_init(&c->cv);
    hcs__table_init(&c->records);
    c->io = io;
    c->pid = hcssim__transport_peer_pid(io);
    c->verbose = verbose;
    hcs__mutex_lock(&all_mu);
    c->serial = ++next_serial;
    c->next = all;
    all = c;
    live++;
    hcs__mutex_unlock(&all_mu);
    /* One reference for the reader (the creator's), one for the writer. */
    hcs_object_retain(&c->base);
    hcs_thread w, r;
    bool writing = hcs__thread_start(&w, writer, c) == 0;
    if (writing)
        hcs__thread_detach(w);
    else
        hcs_object_release(&c->base);
    if (writing && hcs__thread_start(&r, reader, c) == 0) {
        hcs__thread_detach(r);
        return 0;
    }
    hcs__mutex_lock(&c->mu);
    c->dead = true; /* the writer, if any, ends */
    hcs__cond_broadcast(&c->cv);
    hcs__mutex_unlock(&c->mu);
    hcs__mutex_lock(&all_mu);
    for (conn **at = &all; *at; at = &(*at)->next)
        if (*at == c) {
            *at = c->next;
            break;
        }
    live--;
    hcs__mutex_unlock(&all_mu);
    hcs_object_release(&c->base);
    return -1;
}

void hcssim__server_stop_all(uint32_t timeout_ms)
{
    hcs__call_once(&all_once, init_all);
    uint64_t deadline = hcs__deadline_after(timeout_ms);
    hcs__mutex_lock(&all_mu);
    for (conn *c = all; c; c = c->next)
        hcssim__transport_shutdown(c->io);
    while (live > 0 && hcs__cond_wait_until(&all_cv, &all_mu, deadline)) {
    }
    hcs__mutex_unlock(&all_mu);
}

void hcssim__server_on_stop(void (*fn)(void)) { stop_handler = fn; }

unsigned hcssim__server_connections(void)
{
    hcs__call_once(&all_once, init_all);
    hcs__mutex_lock(&all_mu);
    unsigned n = live;
    hcs__mutex_unlock(&all_mu);
    return n;
}
