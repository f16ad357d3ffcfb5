/* Closes that must not run inside HCS's callbacks (see hcs_callback.h). */
#include "hcs_callback.h"

#include "handles.h"
#include "platform/thread.h"
#include "timer.h"

#include <stdlib.h>

static _Thread_local int depth;

void hcs_callback_enter(void) { depth++; }
void hcs_callback_leave(void) { depth--; }

typedef struct deferred_close {
    hcs_timer timer;
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

static void fire(hcs_timer *t)
{
    deferred_close *d = (deferred_close *)t;
    close_now(d->client, d->kind, d->raw);
    hcs_client_release(d->client);
    free(d);
}

void hcs_close_raw(hcs_client_obj *c, int kind, void *raw)
{
    if (!raw)
        return;
    deferred_close *d = depth > 0 ? calloc(1, sizeof *d) : NULL;
    if (d) {
        hcs_object_retain(&c->base);
        d->client = c;
        d->kind = kind;
        d->raw = raw;
        if (hcs_timer_arm(&d->timer, hcs_clock_ms(), fire) == 0)
            return;
        hcs_client_release(c);
        free(d);
    }
    close_now(c, kind, raw);
}
