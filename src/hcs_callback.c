/* Closes that must not run inside HCS's callbacks (see hcs_callback.h). */
#include "hcs_callback.h"

#include "handles.h"
#include "platform/thread.h"
#include "worker.h"

#include <stdlib.h>

static _Thread_local int depth;

void hcs__callback_enter(void) { depth++; }
void hcs__callback_leave(void) { depth--; }

typedef struct deferred_close {
    hcs_work work;
    hcs_client_obj *client;
    int kind;
    void *raw;
} deferred_close;

static void close_now(hcs_client_obj *c, int kind, void *raw)
{
    const hcs_api *api = &c->provider->api;
    if (kind == HCS_KIND_SYSTEM && api->HcsCloseComputeSystem)
        api->HcsCloseComputeSystem((HCS_SYSTEM)raw);
    else if (kind == HCS_KIND_PROCESS && api->HcsCloseProcess)
        api->HcsCloseProcess((HCS_PROCESS)raw);
}

static void run_close(hcs_work *w)
{
    deferred_close *d = (deferred_close *)w;
    close_now(d->client, d->kind, d->raw);
    hcs__client_release(d->client);
    free(d);
}

void hcs__close_raw(hcs_client_obj *c, int kind, void *raw)
{
    if (!raw)
        return;
    deferred_close *d = depth > 0 ? calloc(1, sizeof *d) : NULL;
    if (d) {
        hcs_object_retain(&c->base);
        d->client = c;
        d->kind = kind;
        d->raw = raw;
        hcs__work_post(&d->work, run_close);
        return;
    }
    close_now(c, kind, raw);
}
