/* Completion queues (see hcs/operation.h and cq.h). */
#include "cq.h"

#include "hcs/streams.h"
#include "hcs/system.h"

#include "client_internal.h"
#include "error_internal.h"
#include "handles.h"
#include "platform/pollable.h"
#include "platform/thread.h"

#include <stdlib.h>
#include <string.h>

typedef struct node {
    struct node *next;
    hcs_result result;
} node;

struct hcs_cq_obj {
    hcs_object base;
    hcs_mutex mu;
    hcs_cond changed;
    node *head, *tail;
    bool closed;
    hcs_pollable ready; /* set while the queue is not empty */
};

/* Discards a detached list. Never called with a queue's lock held:
 * discarding closes what a result owns (a new system or process), and such
 * a close waits for its event deliveries, which may be pushing to this
 * very queue (docs/reliability.md R2). */
static void drop_list(node *n)
{
    while (n) {
        node *next = n->next;
        hcs__result_discard(&n->result);
        free(n);
        n = next;
    }
}

static void destroy(hcs_object *o)
{
    hcs_cq_obj *q = (hcs_cq_obj *)o;
    drop_list(q->head);
    hcs__pollable_destroy(&q->ready);
    hcs__cond_destroy(&q->changed);
    hcs__mutex_destroy(&q->mu);
    free(q);
}

int32_t hcs_cq_create(hcs_cq *out, hcs_error *err)
{
    const char *name = "hcs_cq_create";
    if (!out)
        return hcs__fail(err, HCS_COM_E_POINTER, name, "out is NULL");
    out->id = 0;
    hcs_cq_obj *q = calloc(1, sizeof *q);
    if (!q)
        return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, name, "out of memory");
    if (hcs__pollable_init(&q->ready) != 0) {
        free(q);
        return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, name, "the pollable descriptor could not be created");
    }
    hcs_object_init(&q->base, destroy);
    hcs__mutex_init(&q->mu);
    hcs__cond_init(&q->changed);
    out->id = hcs__table_insert(hcs__handles(), HCS_KIND_CQ, &q->base);
    hcs_object_release(&q->base);
    return out->id ? hcs__succeed(err) : hcs__fail(err, HCS_COM_E_OUTOFMEMORY, name, "out of memory");
}

hcs_cq_obj *hcs__cq_acquire(hcs_cq cq) { return (hcs_cq_obj *)hcs__table_acquire(hcs__handles(), cq.id, HCS_KIND_CQ); }

bool hcs__cq_valid(hcs_cq cq)
{
    hcs_cq_obj *q = hcs__cq_acquire(cq);
    hcs__cq_release(q);
    return q != NULL;
}

void hcs__cq_release(hcs_cq_obj *q)
{
    if (q)
        hcs_object_release(&q->base);
}

void hcs__cq_push(hcs_cq_obj *q, hcs_result *result)
{
    node *n = malloc(sizeof *n);
    hcs__mutex_lock(&q->mu);
    if (!n || q->closed) {
        hcs__mutex_unlock(&q->mu);
        free(n);
        hcs__result_discard(result);
        return;
    }
    n->next = NULL;
    n->result = *result;
    hcs__result_init(result);
    if (q->tail)
        q->tail->next = n;
    else {
        q->head = n;
        hcs__pollable_set(&q->ready);
    }
    q->tail = n;
    hcs__cond_broadcast(&q->changed);
    hcs__mutex_unlock(&q->mu);
}

intptr_t hcs_cq_pollable(hcs_cq cq)
{
    hcs_cq_obj *q = hcs__cq_acquire(cq);
    intptr_t value = q ? hcs__pollable_value(&q->ready) : -1;
    hcs__cq_release(q);
    return value;
}

int32_t hcs_cq_next(hcs_cq cq, uint32_t timeout_ms, hcs_result *out, hcs_error *err)
{
    const char *name = "hcs_cq_next";
    if (!out)
        return hcs__fail(err, HCS_COM_E_POINTER, name, "out is NULL");
    hcs__result_init(out);
    hcs_cq_obj *q = hcs__cq_acquire(cq);
    if (!q)
        return hcs__fail(err, HCS_WIN32_E_INVALID_HANDLE, name, "the completion queue is closed or invalid");
    uint64_t deadline = hcs__deadline_after(timeout_ms == HCS_TIMEOUT_DEFAULT ? HCS_BUILTIN_TIMEOUT_MS : timeout_ms);
    hcs__mutex_lock(&q->mu);
    while (!q->head && !q->closed && hcs__cond_wait_until(&q->changed, &q->mu, deadline)) {
    }
    node *n = q->head;
    if (n) {
        q->head = n->next;
        if (!q->head) {
            q->tail = NULL;
            hcs__pollable_clear(&q->ready);
        }
    }
    hcs__mutex_unlock(&q->mu);
    hcs__cq_release(q);
    if (!n)
        return hcs__fail(err, HCS_E_OPERATION_TIMEOUT, name, "no result within %u ms", timeout_ms);
    *out = n->result;
    free(n);
    return hcs__succeed(err);
}

void hcs_cq_close(hcs_cq cq)
{
    hcs_cq_obj *q = (hcs_cq_obj *)hcs__table_remove(hcs__handles(), cq.id, HCS_KIND_CQ);
    if (!q)
        return;
    hcs__mutex_lock(&q->mu);
    q->closed = true;
    node *left = q->head;
    q->head = q->tail = NULL;
    hcs__pollable_clear(&q->ready);
    hcs__cond_broadcast(&q->changed);
    hcs__mutex_unlock(&q->mu);
    drop_list(left);
    hcs_object_release(&q->base);
}

void hcs__result_init(hcs_result *result)
{
    memset(result, 0, sizeof *result);
    result->stdio = (hcs_stdio){HCS_PIPE_NONE, HCS_PIPE_NONE, HCS_PIPE_NONE};
}

void hcs_result_clear(hcs_result *result)
{
    if (!result)
        return;
    free(result->document);
    hcs_error_clear(&result->error);
    hcs__result_init(result);
}

void hcs__result_discard(hcs_result *result)
{
    /* An event names the subscriber's handles: they are not the result's
     * to close (docs/threading.md, Ownership). */
    if (result->event_type == HCS_EVENT_NONE) {
        hcs_system_close(result->system);
        hcs_process_close(result->process);
        hcs_stdio_close(&result->stdio);
    }
    hcs_result_clear(result);
}
