/* System and process handles (see handle.h). */
#include "handle.h"

#include "process.h"
#include "system_state.h"

#include <stdlib.h>

static void destroy(hcs_object *o)
{
    sim_handle *h = (sim_handle *)o;
    sim_listener_destroy(&h->events);
    sim_process_release(h->proc);
    sim_system_release(h->sys);
    free(h);
}

sim_handle *sim_handle_new(sim_engine *e, sim_system *sys, sim_process *proc, sim_handle **list)
{
    sim_handle *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    hcs_object_init(&h->base, destroy);
    sim_listener_init(&h->events, &h->base, proc != NULL);
    sim_system_retain(sys);
    h->sys = sys;
    if (proc)
        sim_process_retain(proc);
    h->proc = proc;
    h->value = hcs_table_insert(&e->handles, proc ? SIM_KIND_PROCESS_HANDLE : SIM_KIND_SYSTEM_HANDLE, &h->base);
    hcs_object_release(&h->base);
    if (!h->value)
        return NULL;
    h->next = *list;
    *list = h;
    return h;
}

sim_handle *sim_handle_acquire(const void *value, enum sim_kind kind)
{
    return (sim_handle *)hcs_table_acquire(&sim_engine_get()->handles, sim_handle_id(value), kind);
}

void sim_handle_release(sim_handle *h)
{
    if (h)
        hcs_object_release(&h->base);
}

sim_handle *sim_handle_close(const void *value, enum sim_kind kind, sim_handle **(*list_of)(sim_handle *))
{
    sim_engine *e = sim_engine_get();
    sim_handle *h = (sim_handle *)hcs_table_remove(&e->handles, sim_handle_id(value), kind);
    if (!h)
        return NULL;
    hcs_mutex_lock(&e->mu);
    for (sim_handle **at = list_of(h); *at; at = &(*at)->next)
        if (*at == h) {
            *at = h->next;
            break;
        }
    sim_listener_close(&h->events);
    hcs_mutex_unlock(&e->mu);
    return h;
}

void sim_handles_post(sim_handle *list, HCS_EVENT_TYPE type, const char *data, int copies)
{
    for (sim_handle *h = list; h; h = h->next)
        for (int i = 0; i < copies; i++)
            sim_listener_post(&h->events, type, data, 0, i > 0);
}
