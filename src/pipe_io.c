/* Asynchronous pipe transfers: what both platforms share (see pipe_io.h
 * and hcs/streams.h). */
#include "pipe_io.h"

#include "client_internal.h"
#include "cq.h"
#include "error_internal.h"
#include "handles.h"
#include "platform/os_pipe.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static struct {
    hcs_mutex mu;
    hcs_cond finished; /* broadcast whenever a transfer finishes */
    hcs_pipe_op *head, *tail;
    hcs_hash_index by_pipe; /* the same transfers by pipe */
} io;

static hcs_once once = HCS_ONCE_INIT;
/* Set by the first transfer: until then hcs_pipe_close has nothing to
 * look for and does not take the lock. */
static atomic_bool used;

static void init(void)
{
    hcs__mutex_init(&io.mu);
    hcs__cond_init(&io.finished);
    hcs__hash_init(&io.by_pipe);
}

void hcs__pipe_lock(void)
{
    hcs__call_once(&once, init);
    hcs__mutex_lock(&io.mu);
}

void hcs__pipe_unlock(void) { hcs__mutex_unlock(&io.mu); }
hcs_pipe_op *hcs__pipe_ops(void) { return io.head; }

static uint64_t pipe_hash(intptr_t pipe) { return hcs__hash_u64((uint64_t)pipe); }

/* From node n on, the first transfer on pipe (equal hashes may be other
 * pipes'). */
static hcs_pipe_op *on_pipe(hcs_hash_node *n, intptr_t pipe)
{
    uint64_t hash = pipe_hash(pipe);
    for (; n; n = hcs__hash_next(n, hash)) {
        hcs_pipe_op *op = HCS_HASH_ENTRY(n, hcs_pipe_op, by_pipe);
        if (op->pipe == pipe)
            return op;
    }
    return NULL;
}

hcs_pipe_op *hcs__pipe_ops_on(intptr_t pipe) { return on_pipe(hcs__hash_first(&io.by_pipe, pipe_hash(pipe)), pipe); }

hcs_pipe_op *hcs__pipe_next_on(const hcs_pipe_op *op)
{
    return on_pipe(hcs__hash_next(&op->by_pipe, pipe_hash(op->pipe)), op->pipe);
}
void hcs__pipe_wait_finished(void) { hcs__cond_wait(&io.finished, &io.mu); }

static const char *name_of(const hcs_pipe_op *op)
{
    return op->writing ? "hcs_pipe_write_async" : "hcs_pipe_read_async";
}

static void destroy(hcs_object *o)
{
    hcs_pipe_op *op = (hcs_pipe_op *)o;
    hcs__pipe_engine_free(op);
    free(op);
}

static void release(hcs_pipe_op *op) { hcs_object_release(&op->base); }

static void link_op(hcs_pipe_op *op)
{
    op->prev = io.tail;
    op->next = NULL;
    if (io.tail)
        io.tail->next = op;
    else
        io.head = op;
    io.tail = op;
    hcs__hash_insert(&io.by_pipe, &op->by_pipe, pipe_hash(op->pipe));
}

static void unlink_op(hcs_pipe_op *op)
{
    if (op->prev)
        op->prev->next = op->next;
    else
        io.head = op->next;
    if (op->next)
        op->next->prev = op->prev;
    else
        io.tail = op->prev;
    op->prev = op->next = NULL;
    hcs__hash_remove(&io.by_pipe, &op->by_pipe);
}

void hcs__pipe_finish(hcs_pipe_op *op, int32_t hr, const char *why)
{
    op->finished = true;
    op->hr = hr;
    op->why = why;
    unlink_op(op);
    hcs__cond_broadcast(&io.finished);
}

/* ---- reporting ---------------------------------------------------------- */

static void build_result(const hcs_pipe_op *op, hcs_result *r)
{
    hcs__result_init(r);
    r->op = op->handle;
    r->call = name_of(op);
    r->user_data = op->how.user_data;
    r->bytes = op->done;
    r->hr = op->hr;
    if (HCS_FAILED(op->hr))
        hcs__fail(&r->error, op->hr, r->call, "%s (%" PRIu64 " of %" PRIu64 " bytes moved)",
                  op->why ? op->why : "the transfer failed", (uint64_t)op->done, (uint64_t)op->size);
}

static void run_callback(hcs_work *w)
{
    hcs_pipe_op *op = (hcs_pipe_op *)((char *)w - offsetof(hcs_pipe_op, report_work));
    hcs_result r;
    build_result(op, &r);
    op->how.callback(&r, op->how.user_data);
    hcs_result_clear(&r);
    release(op);
}

void hcs__pipe_report(hcs_pipe_op *op)
{
    /* Gone from the table before the report: hcs_op_cancel after it is
     * HCS_WIN32_E_INVALID_HANDLE, as for every call (operation.h). */
    hcs_object_release(hcs__table_remove(hcs__handles(), op->handle.id, HCS_KIND_PIPE_OP));
    if (op->how.callback) {
        hcs__work_post(&op->report_work, run_callback); /* user code runs on libhcs's threads only */
        return;
    }
    /* A queue needs no thread hop: pushing runs no user code. */
    hcs_result r;
    build_result(op, &r);
    hcs_cq_obj *q = hcs__cq_acquire(op->how.cq);
    if (q)
        hcs__cq_push(q, &r);
    else
        hcs__result_discard(&r);
    hcs__cq_release(q);
    release(op);
}

/* ---- submitting --------------------------------------------------------- */

/* Lock held: a transfer of this direction is in flight on pipe (one whose
 * pipe was closed no longer counts: the value may name a new pipe). */
static bool busy(intptr_t pipe, bool writing)
{
    for (hcs_pipe_op *op = hcs__pipe_ops_on(pipe); op; op = hcs__pipe_next_on(op))
        if (op->writing == writing && !op->detached)
            return true;
    return false;
}

static int32_t submit(hcs_pipe pipe, bool writing, void *buf, size_t size, const hcs_async *how, hcs_op *out,
                      hcs_error *err)
{
    const char *name = writing ? "hcs_pipe_write_async" : "hcs_pipe_read_async";
    if (out)
        out->id = 0;
    if (!how)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, name, "how is NULL");
    if (!!how->callback == !!how->cq.id)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, name, "hcs_async needs exactly one of callback and cq");
    if (pipe == HCS_PIPE_NONE)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, name, "no pipe (HCS_PIPE_NONE)");
    if (!buf && size)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, name, "no buffer");
    if (!writing && size == 0)
        return hcs__fail(err, HCS_COM_E_INVALIDARG, name, "a read needs room for at least one byte");
    if (how->cq.id && !hcs__cq_valid(how->cq))
        return hcs__fail(err, HCS_WIN32_E_INVALID_HANDLE, name, "the completion queue is closed or invalid");
    if (!hcs__pipe_engine_valid(pipe))
        return hcs__fail(err, HCS_WIN32_E_INVALID_HANDLE, name, "the pipe is not open");
    hcs_pipe_op *op = calloc(1, sizeof *op);
    if (!op)
        return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, name, "out of memory");
    hcs_object_init(&op->base, destroy); /* the transfer's own, until its report */
    op->pipe = pipe;
    op->writing = writing;
    op->buf = buf;
    op->size = size;
    op->how = *how;
    uint32_t timeout = how->timeout_ms == HCS_TIMEOUT_DEFAULT ? HCS_BUILTIN_TIMEOUT_MS : how->timeout_ms;
    op->deadline_ms = hcs__deadline_after(timeout);
    if (!hcs__pipe_engine_init(op)) {
        release(op);
        return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, name, "no event or wait could be made for the transfer");
    }
    /* Kept here: once the lock is released the transfer may report and be
     * gone before this function returns. */
    hcs_op handle = {hcs__table_insert(hcs__handles(), HCS_KIND_PIPE_OP, &op->base)};
    op->handle = handle;
    if (!handle.id) {
        release(op);
        return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, name, "out of memory");
    }
    atomic_store(&used, true);
    hcs__pipe_lock();
    int32_t hr = busy(pipe, writing) ? HCS_WIN32_E_BUSY : HCS_OK;
    if (hr == HCS_OK) {
        link_op(op);
        if (writing && size == 0)
            hcs__pipe_finish(op, HCS_OK, NULL); /* nothing to move: done at once, reported as usual */
        else if (HCS_FAILED(hr = hcs__pipe_engine_start(op)))
            unlink_op(op);
    }
    bool finished = op->finished;
    hcs__pipe_unlock();
    if (HCS_FAILED(hr)) {
        hcs_object_release(hcs__table_remove(hcs__handles(), handle.id, HCS_KIND_PIPE_OP));
        release(op);
        return hr == HCS_WIN32_E_BUSY
                   ? hcs__fail(err, hr, name, "a %s is already in flight on this pipe", writing ? "write" : "read")
                   : hcs__fail(err, hr, name, "the transfer could not start");
    }
    if (out)
        *out = handle;
    if (finished)
        hcs__pipe_report(op);
    return hcs__succeed(err);
}

int32_t hcs_pipe_read_async(hcs_pipe pipe, void *buf, size_t size, const hcs_async *how, hcs_op *op, hcs_error *err)
{
    return submit(pipe, false, buf, size, how, op, err);
}

int32_t hcs_pipe_write_async(hcs_pipe pipe, const void *data, size_t size, const hcs_async *how, hcs_op *op,
                             hcs_error *err)
{
    return submit(pipe, true, (void *)data, size, how, op, err);
}

/* ---- stopping ----------------------------------------------------------- */

/* Lock held: asks the engine to end op with hr, unless it ended or was
 * asked already (the first reason stands). */
static void stop(hcs_pipe_op *op, int32_t hr, const char *why)
{
    if (op->finished || op->stop_hr)
        return;
    op->stop_hr = hr;
    op->stop_why = why;
    hcs__pipe_engine_stop(op);
}

bool hcs__pipe_op_cancel(hcs_op op)
{
    hcs_pipe_op *p = (hcs_pipe_op *)hcs__table_acquire(hcs__handles(), op.id, HCS_KIND_PIPE_OP);
    if (!p)
        return false;
    hcs__pipe_lock();
    stop(p, HCS_WIN32_E_OPERATION_ABORTED, "cancelled by hcs_op_cancel");
    hcs__pipe_unlock();
    release(p);
    return true;
}

void hcs_pipe_close(hcs_pipe pipe)
{
    if (pipe == HCS_PIPE_NONE)
        return;
    if (atomic_load(&used)) {
        hcs__pipe_lock();
        bool any = false;
        for (hcs_pipe_op *op = hcs__pipe_ops_on(pipe); op; op = hcs__pipe_next_on(op))
            if (!op->detached) {
                op->detached = true;
                stop(op, HCS_WIN32_E_OPERATION_ABORTED, "the pipe was closed");
                any = true;
            }
        if (any)
            hcs__pipe_engine_before_close(pipe);
        hcs__pipe_unlock();
    }
    hcs__os_pipe_close(pipe);
}
