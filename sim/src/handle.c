/* System and process handles (see handle.h). */
#include "handle.h"

#include "process.h"
#include "system_state.h"

#include <stdlib.h>

static void destroy(hcs_object *o)
{
    sim_handle *h = (sim_handle *)o;
    hcssim__listener_destroy(&h->events);
    hcssim__process_release(h->proc);
    hcssim__system_release(h->sys);
    free(h);
}

sim_handle *hcssim__handle_new(sim_engine *e, sim_system *sys, sim_process *proc, sim_handle **list)
{
    sim_handle *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    hcs_object_init(&h->base, destroy);
    hcssim__listener_init(&h->events, &h->base, proc ? SIM_LISTEN_PROCESS : SIM_LISTEN_SYSTEM);
    hcssim__system_retain(sys);
    h->sys = sys;
    if (proc)
        hcssim__process_retain(proc);
    h->proc = proc;
    h->value = hcs__table_insert(&e->handles, proc ? SIM_KIND_PROCESS_HANDLE : SIM_KIND_SYSTEM_HANDLE, &h->base);
    hcs_object_release(&h->base);
    if (!h->value)
        return NULL;
    h->next = *list;
    *list = h;
    return h;
}

sim_handle *hcssim__handle_acquire(const void *value, enum sim_kind kind)
{
    return (sim_handle *)hcs__table_acquire(&hcssim__engine_get()->handles, sim_handle_id(value), kind);
}

void hcssim__handle_release(sim_handle *h)
{
    if (h)
        hcs_object_release(&h->base);
}

sim_handle *hcssim__handle_close(const void *value, enum sim_kind kind, sim_handle **(*list_of)(sim_handle *))
{
    sim_engine *e = hcssim__engine_get();
    sim_handle *h = (sim_handle *)hcs__table_remove(&e->handles, sim_handle_id(value), kind);
    if (!h)
        return NULL;
    hcs__mutex_lock(&e->mu);
    for (sim_handle **at = list_of(h); *at; at = &(*at)->next)
        if (*at == h) {
            *at = h->next;
            break;
        }
    hcssim__listener_close(&h->events);
    hcs__mutex_unlock(&e->mu);
    return h;
}

void hcssim__handles_post(sim_handle *list, HCS_EVENT_TYPE type, const char *data, int copies)
{
    for (sim_handle *h = list; h; h = h->next)
        for (int i = 0; i < copies; i++)
            hcssim__listener_post(&h->events, type, data, 0, i > 0);
}
