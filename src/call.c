/* Asynchronous HCS calls waited on with a timeout (see call.h). */
#include "call.h"

#include "error_internal.h"
#include "platform/thread.h"
#include "util/utf16.h"

#include <stdlib.h>

enum { MAX_TEXTS = 3 };

struct hcs_call {
    hcs_mutex mu;
    hcs_cond done_cv;
    int owners; /* waiter + completion callback */
    bool done;
    const char *name;
    hcs_client_obj *client;
    HCS_OPERATION op;
    int32_t hr;
    char *doc;
    HCS_SYSTEM system;
    uint16_t *texts[MAX_TEXTS];
};

static const hcs_api *api_of(const hcs_call *call) { return &call->client->provider->api; }

/* Runs when the last owner leaves: nothing of HCS's uses the call anymore. */
static void destroy(hcs_call *call)
{
    const hcs_api *api = api_of(call);
    if (call->system && api->HcsCloseComputeSystem)
        api->HcsCloseComputeSystem(call->system);
    if (call->op)
        api->HcsCloseOperation(call->op);
    for (int i = 0; i < MAX_TEXTS; i++)
        free(call->texts[i]);
    free(call->doc);
    hcs_client_release(call->client);
    hcs_cond_destroy(&call->done_cv);
    hcs_mutex_destroy(&call->mu);
    free(call);
}

/* `shares` owners leave at once; the last one out destroys the call. */
static void leave_n(hcs_call *call, int shares)
{
    hcs_mutex_lock(&call->mu);
    call->owners -= shares;
    bool last = call->owners == 0;
    hcs_mutex_unlock(&call->mu);
    if (last)
        destroy(call);
}

static void leave(hcs_call *call) { leave_n(call, 1); }

/* HCS's completion callback: fetch the outcome, wake the waiter, leave. */
static void WINAPI on_complete(HCS_OPERATION op, void *context)
{
    hcs_call *call = context;
    const hcs_api *api = api_of(call);
    PWSTR wdoc = NULL;
    int32_t hr = api->HcsGetOperationResult(op, &wdoc);
    char *doc = NULL;
    if (wdoc) {
        hcs_utf16_to_utf8((const uint16_t *)wdoc, &doc);
        api->LocalFree(wdoc);
    }
    hcs_mutex_lock(&call->mu);
    call->hr = hr;
    call->doc = doc;
    call->done = true;
    hcs_cond_broadcast(&call->done_cv);
    hcs_mutex_unlock(&call->mu);
    leave(call);
}

hcs_call *hcs_call_new(hcs_client_obj *client, const char *name, hcs_error *err)
{
    hcs_call *call = calloc(1, sizeof *call);
    if (!call) {
        hcs_fail(err, HCS_COM_E_OUTOFMEMORY, name, "out of memory");
        return NULL;
    }
    hcs_mutex_init(&call->mu);
    hcs_cond_init(&call->done_cv);
    call->owners = 2;
    call->name = name;
    hcs_object_retain(&client->base);
    call->client = client;
    call->op = api_of(call)->HcsCreateOperation(call, on_complete);
    if (!call->op) {
        call->owners = 1;
        leave(call);
        hcs_fail(err, HCS_COM_E_OUTOFMEMORY, name, "HcsCreateOperation failed");
        return NULL;
    }
    return call;
}

HCS_OPERATION hcs_call_operation(const hcs_call *call) { return call->op; }

HCS_SYSTEM *hcs_call_system_slot(hcs_call *call) { return &call->system; }

PCWSTR hcs_call_text(hcs_call *call, const char *utf8, int32_t *hr)
{
    *hr = HCS_OK;
    if (!utf8)
        return NULL;
    int slot = 0;
    while (slot < MAX_TEXTS && call->texts[slot])
        slot++;
    int rc = slot < MAX_TEXTS ? hcs_utf8_to_utf16(utf8, &call->texts[slot]) : -2;
    if (rc != 0)
        *hr = rc == -1 ? HCS_WIN32_E_NO_UNICODE_TRANSLATION : HCS_COM_E_OUTOFMEMORY;
    return rc == 0 ? (PCWSTR)call->texts[slot] : NULL;
}

int32_t hcs_call_abort(hcs_call *call, int32_t hr, hcs_error *err)
{
    /* Closing the operation guarantees its callback will not run later;
     * if it already ran, it has left already. */
    api_of(call)->HcsCloseOperation(call->op);
    call->op = NULL;
    hcs_mutex_lock(&call->mu);
    bool ran = call->done;
    char *doc = call->doc;
    call->doc = NULL;
    const char *name = call->name;
    hcs_mutex_unlock(&call->mu);
    /* The waiter leaves, and the callback's share too if it never ran. */
    leave_n(call, ran ? 1 : 2);
    return hcs_fail_doc(err, hr, name, doc, "the request was refused");
}

int32_t hcs_call_wait(hcs_call *call, uint32_t timeout_ms, char **doc, HCS_SYSTEM *system, hcs_error *err)
{
    uint64_t deadline = hcs_deadline_after(timeout_ms);
    hcs_mutex_lock(&call->mu);
    while (!call->done && hcs_cond_wait_until(&call->done_cv, &call->mu, deadline)) {
    }
    bool done = call->done;
    int32_t hr = done ? call->hr : HCS_E_OPERATION_TIMEOUT;
    char *text = NULL;
    if (done) {
        text = call->doc;
        call->doc = NULL;
        if (HCS_SUCCEEDED(hr) && system) {
            *system = call->system;
            call->system = NULL;
        }
    }
    const char *name = call->name;
    HCS_OPERATION op = call->op;
    hcs_mutex_unlock(&call->mu);
    if (!done) {
        /* Ask HCS to cancel (older hosts answer E_NOTIMPL); either way the
         * callback cleans up when the operation ends. */
        api_of(call)->HcsCancelOperation(op);
        leave(call);
        return hcs_fail(err, hr, name, "no completion within %u ms; the request continues in HCS", timeout_ms);
    }
    leave(call);
    if (HCS_FAILED(hr))
        return hcs_fail_doc(err, hr, name, text, NULL);
    if (doc)
        *doc = text;
    else
        free(text);
    return hcs_succeed(err);
}
