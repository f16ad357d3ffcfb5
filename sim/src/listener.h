/* Event callbacks registered on one HCS_SYSTEM or HCS_PROCESS handle
 * (hcs-api §4), or on an operation made by
 * HcsCreateOperationWithNotifications (hcs-newest §2). Events for a handle are delivered in the order they were
 * posted, one at a time, on a dispatcher thread, never inside the call that
 * caused them. Closing the listener waits for a running delivery, so no
 * callback runs after close returns (§11 #27). All functions expect the
 * engine lock to be held. */
#ifndef HCSSIM_LISTENER_H
#define HCSSIM_LISTENER_H

#include "engine.h"
#include "util/object.h"

#include <stdbool.h>

typedef struct sim_event_node sim_event_node;

/* What the callback listens on, which decides the events it takes. */
typedef enum sim_listen_kind { SIM_LISTEN_SYSTEM, SIM_LISTEN_PROCESS, SIM_LISTEN_OPERATION } sim_listen_kind;

typedef struct sim_listener {
    hcs_object *owner;           /* kept alive while a delivery is queued */
    HCS_EVENT_CALLBACK callback; /* NULL until registered */
    HCS_EVENT_OPTIONS options;   /* HCS_OPERATION_OPTIONS for an operation */
    const void *context;
    sim_listen_kind kind;
    bool closed;
    bool exit_seen; /* sticky events: at most once (§11 #35) */
    bool disconnect_seen;
    bool draining;
    uint64_t drainer; /* hcs__thread_self of the delivering thread */
    sim_event_node *head, *tail;
    hcs_cond idle;
} sim_listener;

void hcssim__listener_init(sim_listener *l, hcs_object *owner, sim_listen_kind kind);
/* Frees undelivered events; the listener must be closed and idle. */
void hcssim__listener_destroy(sim_listener *l);

/* True when the emulated build accepts these option bits. */
bool hcssim__listener_options_valid(HCS_EVENT_OPTIONS options);

/* Registers the callback. A second registration fails with
 * HCS_E_OPERATION_SYSTEM_CALLBACK_ALREADY_SET, unknown option bits or a
 * NULL callback with E_INVALIDARG (§11 #37). */
HRESULT hcssim__listener_register(sim_listener *l, HCS_EVENT_OPTIONS options, const void *context,
                                  HCS_EVENT_CALLBACK callback);
/* True when completed operations are reported to this listener. */
bool hcssim__listener_wants_operations(const sim_listener *l);

/* Queues an event when the listener takes it: registered, open, the type
 * allowed for the handle and options, sticky types not yet seen. data is
 * UTF-8 JSON or NULL; operation is an HCS_OPERATION value or 0. A repeat
 * (a fault plan's duplicate) passes the sticky rule. */
void hcssim__listener_post(sim_listener *l, HCS_EVENT_TYPE type, const char *data, uint64_t operation, bool repeat);

/* Stops deliveries and waits for one in progress on another thread. */
void hcssim__listener_close(sim_listener *l);
/* Waits until every queued event has been delivered (or the listener is
 * closed); returns at once on the delivering thread itself. */
void hcssim__listener_flush(sim_listener *l);

#endif
