/* The client provider's own state (client.h): the connection to the daemon
 * and the objects a program holds, which live here, not in the daemon:
 * operations are the program's own (created, waited for and closed without
 * a word to the daemon); system and process handles carry the daemon's id
 * and receive the events it forwards.
 *
 * One lock (client_state.mu) guards every object, as the simulator's engine
 * lock does; nothing is sent on the connection and no callback of the
 * program runs while it is held. */
#ifndef HCSSIM_DAEMON_CLIENT_INTERNAL_H
#define HCSSIM_DAEMON_CLIENT_INTERNAL_H

#include "client.h"
#include "protocol.h"
#include "transport.h"

#include "hcs/computecore.h"
#include "platform/thread.h"
#include "util/handle_table.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/* CK_HCN + an HCN object type (hcn.h's order): an HCN handle, whose
 * events never come; CK_HCN_CALLBACK: a notification registration, a
 * handle whose callback is a trampoline (client_calls.c); CK_HCN_PORT: a
 * port reservation. */
enum client_kind {
    CK_OPERATION = 1,
    CK_SYSTEM = 2,
    CK_PROCESS = 3,
    CK_HCN = 10,
    CK_HCN_CALLBACK = CK_HCN + 6,
    CK_HCN_PORT,
};

/* A request waiting for its REPLY. */
typedef struct client_pending {
    struct client_pending *next;
    uint64_t request;
    bool done;
    uint8_t *frame; /* the REPLY (NULL: the connection was lost) */
    wire_msg msg;
    hcs_cond cv;
} client_pending;

/* One connection to the daemon. When it is lost, everything made on it
 * reports HCS_E_SERVICE_DISCONNECT; the next call that needs the daemon
 * (and has no handle of the lost one) makes a new connection. */
typedef struct client_conn {
    hcs_object base;
    wire_conn *io;
    hcs_mutex write_mu; /* one frame at a time */
    atomic_uint_fast64_t next_request;
    bool dead;               /* under client_state.mu */
    client_pending *waiting; /* under client_state.mu */
    char profile[16];        /* the build the daemon emulates */
    char *exports;           /* ",HcsX,HcsY,": what that build exports */
} client_conn;

/* What system, process and operation objects share. */
typedef struct client_obj {
    hcs_object base;
    enum client_kind kind;
    uint64_t value;                 /* the HCS_* value the program holds: the table's id */
    client_conn *conn;              /* referenced: the connection daemon_id belongs to */
    uint64_t daemon_id;             /* 0 while unknown */
    struct client_obj *prev, *next; /* in client_state.all, for a lost connection */
} client_obj;

typedef enum client_op_state { COP_NOT_STARTED, COP_PENDING, COP_COMPLETED } client_op_state;

typedef enum client_mirror { MIRROR_NONE, MIRROR_CREATING, MIRROR_READY } client_mirror;

/* An HCS_OPERATION: the state machine of hcs-api §3 (the simulator's own,
 * sim/src/operation.c, kept here), completed by the daemon's COMPLETE. */
typedef struct client_op {
    client_obj o;
    uint64_t id; /* HcsGetOperationId */
    const void *context;
    HCS_OPERATION_COMPLETION callback;
    client_op_state state;
    HCS_OPERATION_TYPE type;
    uint64_t system, process; /* the handles the operation was last used with */
    HRESULT result;
    uint16_t *doc;
    HCS_PROCESS_INFORMATION info;
    bool has_info, info_taken;
    bool closed;
    unsigned callbacks_running;
    bool in_flight;       /* a call that made it Pending waits for its REPLY */
    client_mirror mirror; /* the daemon's operation for it (o.daemon_id) */
    /* A COMPLETE that came while in_flight: applied once the caller has
     * read the REPLY (and knows the new handle it returns). */
    bool stashed;
    HRESULT stash_result;
    uint16_t *stash_doc;
    HCS_PROCESS_INFORMATION stash_info;
    bool stash_has_info;
    hcs_cond changed;
    /* HcsCreateOperationWithNotifications (sim/src/op_info.h): a queue of
     * its own, outside the table, for the OperationInfo events, all
     * delivered before the completion callback runs. NULL otherwise. */
    struct client_handle *notes;
    int64_t started_ms, ended_ms;
    intptr_t socket; /* the attached live migration socket, or -1 */
} client_op;

typedef struct client_event client_event;

/* An HCS_SYSTEM or HCS_PROCESS, with its event callback. */
typedef struct client_handle {
    client_obj o;
    HCS_EVENT_CALLBACK callback;
    const void *context;
    bool closed;
    bool disconnect_seen; /* at most once per handle (hcs-api §4.2) */
    bool draining;
    uint64_t drainer;
    client_event *head, *tail;
    hcs_cond idle;
} client_handle;

typedef struct client_state {
    hcs_mutex mu;
    hcs_mutex connect_mu; /* one connection attempt at a time */
    client_conn *current; /* referenced; NULL when none is up */
    hcs_handle_table objects;
    client_obj *all;
    char path[1024];
} client_state;

/* The process-wide state, set up on first use. */
client_state *hcssim__client_state(void);

/* ---- the connection (client_conn.c) ------------------------------------ */

/* The live connection (referenced), making one when there is none; NULL
 * when the daemon cannot be reached. */
client_conn *hcssim__client_conn_get(void);
void hcssim__client_conn_release(client_conn *c);
/* Whether c is lost. */
bool hcssim__client_conn_dead(client_conn *c);

/* Sends the frame in b (begun with WIRE_CALL or WIRE_CONTROL and request
 * number 0, which this sets) and waits for its REPLY, which must match
 * reply_signature. Returns 0 with the reply in *p (free with
 * hcssim__client_pending_done), or -1 when the connection is lost (or the
 * daemon broke the protocol, which loses it). */
int hcssim__client_request(client_conn *c, wire_buf *b, const char *reply_signature, client_pending *p);
/* The same with an OS handle that goes with the frame (stays the caller's;
 * -1: none): the live migration socket of a call's operation. */
int hcssim__client_request_with(client_conn *c, wire_buf *b, wire_handle handle, const char *reply_signature,
                                client_pending *p);
void hcssim__client_pending_done(client_pending *p);
/* Sends a frame that gets no answer (RELEASE); errors are ignored: a lost
 * connection has released everything anyway. */
void hcssim__client_send(client_conn *c, wire_buf *b);

/* ---- objects (client_objects.c) ---------------------------------------- */

/* The object behind a value, referenced, or NULL. */
client_op *hcssim__client_op_acquire(HCS_OPERATION value);
client_handle *hcssim__client_handle_acquire(const void *value, enum client_kind kind);
void hcssim__client_obj_release(client_obj *o);

HCS_OPERATION hcssim__client_op_create(const void *context, HCS_OPERATION_COMPLETION callback);
/* The three operation functions of 24H2, as the simulator's
 * (sim/src/operation.h). */
HCS_OPERATION hcssim__client_op_create_notifying(HCS_OPERATION_OPTIONS filter, const void *context,
                                                 HCS_EVENT_CALLBACK callback);
HRESULT hcssim__client_op_properties(HCS_OPERATION value, PCWSTR options, PWSTR *result);
HRESULT hcssim__client_op_add_resource(HCS_OPERATION value, HCS_RESOURCE_TYPE type, PCWSTR uri, HANDLE resource);
void hcssim__client_op_close(HCS_OPERATION value);
/* A new system or process handle on connection c, listed (so events can
 * find it) but without the daemon's id yet. Returns it referenced once for
 * the caller (the table holds another), or NULL. */
client_handle *hcssim__client_handle_new(client_conn *c, enum client_kind kind);
/* Takes back a handle the daemon did not make. */
void hcssim__client_handle_discard(client_handle *h);
/* Closes a handle (once): no callback of it runs after this returns
 * (except the one calling it). Returns it, referenced, for the caller to
 * close the daemon's side, or NULL when it was closed already. */
client_handle *hcssim__client_handle_close(const void *value, enum client_kind kind);

/* An operation given to a call, from before the call is sent to its REPLY. */
typedef struct client_op_use {
    client_op *op;      /* referenced; NULL for a NULL or unknown operation */
    uint64_t client_id; /* 0: NULL, WIRE_INVALID: unknown */
    uint64_t daemon_id; /* 0: the daemon makes one */
    uint64_t flags;
    bool made_mirror; /* this call creates the daemon's operation */
    bool started;     /* this call moved it to Pending */
    /* the state before, restored when the call fails */
    client_op_state old_state;
    HCS_OPERATION_TYPE old_type;
    uint64_t old_system, old_process;
    HRESULT old_result;
    uint16_t *old_doc;
    HCS_PROCESS_INFORMATION old_info;
    bool old_has_info, old_info_taken;
} client_op_use;

/* Before sending a call that takes `operation` on connection c: the ids to
 * send, and the operation shown Pending with type and target (so a COMPLETE
 * or a reader of its state finds it so). */
void hcssim__client_op_begin(client_op_use *u, client_conn *c, HCS_OPERATION operation, HCS_OPERATION_TYPE type,
                             uint64_t system, uint64_t process);
/* Takes the live migration socket attached to the operation (-1: none). */
intptr_t hcssim__client_op_take_socket(client_op_use *u);
/* Writes the operation's three values. */
void hcssim__client_op_write(wire_buf *b, const client_op_use *u);
/* After the REPLY (hr, and the daemon's id for the operation; hr
 * HCS_E_SERVICE_DISCONNECT with id 0 when none came): a failed call leaves
 * the operation as it was (hcs-api §3.3). */
void hcssim__client_op_end(client_op_use *u, HRESULT hr, uint64_t daemon_id);

/* Registers (tentatively) the program's event callback on h before the
 * request goes out, so an event that comes before the REPLY finds it.
 * Returns true when it was set (and must be confirmed or undone). */
bool hcssim__client_listen_begin(client_handle *h, HCS_EVENT_CALLBACK callback, const void *context);
void hcssim__client_listen_end(client_handle *h, bool succeeded);

/* From the reader: the daemon's COMPLETE and EVENT frames. `handles` are
 * the stdio handles that came with a COMPLETE (taken). */
void hcssim__client_on_complete(client_conn *c, const wire_msg *m, const wire_handle *handles, unsigned n);
void hcssim__client_on_event(client_conn *c, const wire_msg *m);
/* The connection is lost: pending operations made on it complete with
 * HCS_E_SERVICE_DISCONNECT, handles with callbacks get
 * HcsEventServiceDisconnect (hcs-api §11 #38). */
void hcssim__client_on_lost(client_conn *c);

/* The local operation functions (client_objects.c). */
HRESULT hcssim__client_op_result(HCS_OPERATION value, bool wait, DWORD timeout_ms, bool want_info,
                                 HCS_PROCESS_INFORMATION *info, PWSTR *doc);

/* A LocalFree-able copy of a UTF-16 string; NULL for NULL or no memory. */
PWSTR hcssim__client_string_out(const uint16_t *s);

#endif
