/* computecore's functions in the client provider (client.h). Operations
 * are answered here; every other call goes to hcssimd as a CALL and its
 * REPLY is the call's return (docs/hcssimd.md, "Messages"). Arguments are
 * passed as the program gave them, NULL included, so the simulator in the
 * daemon judges them exactly as it would in process. */
#include "client_internal.h"

#include "platform/socket.h"
#include "hns.h"
#include "profile.h"
#include "result.h"

#include "hcs/computenetwork.h"
#include "hcs/error.h"
#include "util/guid.h"
#include "util/utf16.h"

#include <jansson.h>

#include <stdlib.h>
#include <string.h>

#ifdef HCSSIM_CLIENT_EMBEDDED
/* The hidden names have computecore.h's prototypes. */
#define SIM_EXPORT_ENTRY(fn, since) __typeof__(fn) hcssim__client_##fn;
#include "export_list.h"
#include "hcn_export_list.h"
#include "vmcompute_export_list.h"
#undef SIM_EXPORT_ENTRY
#endif

static HRESULT hr_of(const wire_value *v) { return (HRESULT)(uint32_t)v->u; }

static void start(wire_buf *b, wire_function fn)
{
    hcssim__wire_begin(b, WIRE_CALL, 0);
    hcssim__wire_u64(b, (uint64_t)fn);
}

/* A handle argument: the daemon's id for it (0 for NULL, WIRE_INVALID for
 * one this program does not hold) and the connection to send on. A handle
 * of a lost connection fails the call at once. */
typedef struct target {
    client_handle *h;
    client_conn *c;
    uint64_t id;
} target;

static HRESULT target_get(const void *value, enum client_kind kind, target *t)
{
    memset(t, 0, sizeof *t);
    if (value) {
        t->h = hcssim__client_handle_acquire(value, kind);
        if (t->h) {
            client_state *s = hcssim__client_state();
            hcs__mutex_lock(&s->mu);
            t->c = t->h->o.conn;
            hcs_object_retain(&t->c->base);
            bool dead = t->c->dead;
            t->id = t->h->o.daemon_id ? t->h->o.daemon_id : WIRE_INVALID;
            hcs__mutex_unlock(&s->mu);
            if (dead) {
                hcssim__client_conn_release(t->c);
                hcssim__client_obj_release(&t->h->o);
                memset(t, 0, sizeof *t);
                return HCS_E_SERVICE_DISCONNECT;
            }
            return S_OK;
        }
        t->id = WIRE_INVALID;
    }
    t->c = hcssim__client_conn_get();
    return t->c ? S_OK : HCS_E_SERVICE_DISCONNECT;
}

static void target_put(target *t)
{
    if (t->h)
        hcssim__client_obj_release(&t->h->o);
    hcssim__client_conn_release(t->c);
}

/* Sends a call that takes an operation and reads "hr, operation id" (and,
 * for a call that makes a handle, the handle's id). A new handle is
 * written to *out before the operation can be seen complete, as the
 * simulator does: a completion callback always finds it; a handle the
 * daemon did not make is taken back. */
static HRESULT finish(client_conn *c, wire_buf *b, client_op_use *u, const char *signature, client_handle *made,
                      void **out)
{
    client_pending p;
    HRESULT hr = HCS_E_SERVICE_DISCONNECT;
    uint64_t op_id = 0, handle = 0;
    /* The operation's live migration socket goes with the call, where the
     * transport can carry it; the daemon's operation holds it from then on
     * (without it the daemon refuses a start that needs it). */
    intptr_t socket = hcssim__client_op_take_socket(u);
    wire_handle sent = socket >= 0 && hcssim__transport_can_send_handles(c->io) ? socket : -1;
    int rc = hcssim__client_request_with(c, b, sent, signature, &p);
    hcs__socket_close(socket);
    if (rc == 0) {
        hr = hr_of(&p.msg.v[0]);
        op_id = p.msg.v[1].u;
        handle = signature[2] ? p.msg.v[2].u : 0;
        hcssim__client_pending_done(&p);
    }
    if (made && SUCCEEDED(hr) && !handle)
        hr = E_OUTOFMEMORY; /* the daemon could not record it */
    if (made && SUCCEEDED(hr)) {
        client_state *s = hcssim__client_state();
        hcs__mutex_lock(&s->mu);
        made->o.daemon_id = handle;
        hcs__mutex_unlock(&s->mu);
        *out = (void *)(uintptr_t)made->o.value;
    }
    hcssim__client_op_end(u, hr, op_id);
    if (made && FAILED(hr))
        hcssim__client_handle_discard(made);
    else if (made)
        hcssim__client_obj_release(&made->o);
    return hr;
}

/* A sync call answered by "hr" alone. */
static HRESULT ask(client_conn *c, wire_buf *b)
{
    client_pending p;
    if (hcssim__client_request(c, b, "u", &p) != 0)
        return HCS_E_SERVICE_DISCONNECT;
    HRESULT hr = hr_of(&p.msg.v[0]);
    hcssim__client_pending_done(&p);
    return hr;
}

/* A sync call answered by "hr, string": the string, when the caller wants
 * it, as a LocalFree-able copy. */
static HRESULT ask_string(client_conn *c, wire_buf *b, PWSTR *result)
{
    client_pending p;
    if (hcssim__client_request(c, b, "uW", &p) != 0)
        return HCS_E_SERVICE_DISCONNECT;
    HRESULT hr = hr_of(&p.msg.v[0]);
    if (result && p.msg.v[1].tag == 'w') {
        bool failed = false;
        uint16_t *s = hcssim__wire_utf16_dup(&p.msg.v[1], &failed);
        *result = s ? hcssim__client_string_out(s) : NULL;
        if (!*result)
            hr = E_OUTOFMEMORY;
        free(s);
    }
    hcssim__client_pending_done(&p);
    return hr;
}

/* ---- operations: the program's own (hcs-api §2.1) ---------------------- */

CLIENT_EXPORT HCS_OPERATION WINAPI CLIENT_FN(HcsCreateOperation)(const void *context, HCS_OPERATION_COMPLETION callback)
{
    return hcssim__client_op_create(context, callback);
}

CLIENT_EXPORT void WINAPI CLIENT_FN(HcsCloseOperation)(HCS_OPERATION operation) { hcssim__client_op_close(operation); }

CLIENT_EXPORT void *WINAPI CLIENT_FN(HcsGetOperationContext)(HCS_OPERATION operation)
{
    client_op *op = hcssim__client_op_acquire(operation);
    if (!op)
        return NULL;
    client_state *s = hcssim__client_state();
    hcs__mutex_lock(&s->mu);
    void *context = (void *)(uintptr_t)op->context;
    hcs__mutex_unlock(&s->mu);
    hcssim__client_obj_release(&op->o);
    return context;
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcsSetOperationContext)(HCS_OPERATION operation, const void *context)
{
    client_op *op = hcssim__client_op_acquire(operation);
    if (!op)
        return SIM_E_HANDLE;
    client_state *s = hcssim__client_state();
    hcs__mutex_lock(&s->mu);
    op->context = context;
    hcs__mutex_unlock(&s->mu);
    hcssim__client_obj_release(&op->o);
    return S_OK;
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcsSetOperationCallback)(HCS_OPERATION operation, const void *context,
                                                                HCS_OPERATION_COMPLETION callback)
{
    client_op *op = hcssim__client_op_acquire(operation);
    if (!op)
        return SIM_E_HANDLE;
    client_state *s = hcssim__client_state();
    hcs__mutex_lock(&s->mu);
    op->context = context;
    op->callback = callback;
    hcs__mutex_unlock(&s->mu);
    hcssim__client_obj_release(&op->o);
    return S_OK;
}

CLIENT_EXPORT HCS_OPERATION WINAPI CLIENT_FN(HcsCreateOperationWithNotifications)(HCS_OPERATION_OPTIONS eventTypes,
                                                                                  const void *context,
                                                                                  HCS_EVENT_CALLBACK callback)
{
    return hcssim__client_op_create_notifying(eventTypes, context, callback);
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcsGetOperationProperties)(HCS_OPERATION operation, PCWSTR options,
                                                                  PWSTR *resultDocument)
{
    return hcssim__client_op_properties(operation, options, resultDocument);
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcsAddResourceToOperation)(HCS_OPERATION operation, HCS_RESOURCE_TYPE type,
                                                                  PCWSTR uri, HANDLE handle)
{
    return hcssim__client_op_add_resource(operation, type, uri, handle);
}

/* The handle an operation was last used with (§11 #13). */
static void *operation_target(HCS_OPERATION operation, bool process)
{
    client_op *op = hcssim__client_op_acquire(operation);
    if (!op)
        return NULL;
    client_state *s = hcssim__client_state();
    hcs__mutex_lock(&s->mu);
    uint64_t value = op->state == COP_NOT_STARTED ? 0 : process ? op->process : op->system;
    hcs__mutex_unlock(&s->mu);
    hcssim__client_obj_release(&op->o);
    return (void *)(uintptr_t)value;
}

CLIENT_EXPORT HCS_SYSTEM WINAPI CLIENT_FN(HcsGetComputeSystemFromOperation)(HCS_OPERATION operation)
{
    return (HCS_SYSTEM)operation_target(operation, false);
}

CLIENT_EXPORT HCS_PROCESS WINAPI CLIENT_FN(HcsGetProcessFromOperation)(HCS_OPERATION operation)
{
    return (HCS_PROCESS)operation_target(operation, true);
}

CLIENT_EXPORT HCS_OPERATION_TYPE WINAPI CLIENT_FN(HcsGetOperationType)(HCS_OPERATION operation)
{
    client_op *op = hcssim__client_op_acquire(operation);
    if (!op)
        return HcsOperationTypeNone;
    client_state *s = hcssim__client_state();
    hcs__mutex_lock(&s->mu);
    HCS_OPERATION_TYPE type = op->type;
    hcs__mutex_unlock(&s->mu);
    hcssim__client_obj_release(&op->o);
    return type;
}

CLIENT_EXPORT UINT64 WINAPI CLIENT_FN(HcsGetOperationId)(HCS_OPERATION operation)
{
    client_op *op = hcssim__client_op_acquire(operation);
    UINT64 id = op ? op->id : HCS_INVALID_OPERATION_ID;
    if (op)
        hcssim__client_obj_release(&op->o);
    return id;
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcsGetOperationResult)(HCS_OPERATION operation, PWSTR *resultDocument)
{
    return hcssim__client_op_result(operation, false, 0, false, NULL, resultDocument);
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcsWaitForOperationResult)(HCS_OPERATION operation, DWORD timeoutMs,
                                                                  PWSTR *resultDocument)
{
    return hcssim__client_op_result(operation, true, timeoutMs, false, NULL, resultDocument);
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcsGetOperationResultAndProcessInfo)(HCS_OPERATION operation,
                                                                            HCS_PROCESS_INFORMATION *processInformation,
                                                                            PWSTR *resultDocument)
{
    return hcssim__client_op_result(operation, false, 0, true, processInformation, resultDocument);
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcsWaitForOperationResultAndProcessInfo)(
    HCS_OPERATION operation, DWORD timeoutMs, HCS_PROCESS_INFORMATION *processInformation, PWSTR *resultDocument)
{
    return hcssim__client_op_result(operation, true, timeoutMs, true, processInformation, resultDocument);
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcsCancelOperation)(HCS_OPERATION operation)
{
    (void)operation;
    return E_NOTIMPL; /* documented as not implemented (§11 #11) */
}

/* ---- compute systems (hcs-api §2.2) ------------------------------------ */

static HRESULT enumerate(bool in_namespace, PCWSTR ns, PCWSTR query, HCS_OPERATION operation)
{
    client_conn *c = hcssim__client_conn_get();
    if (!c)
        return HCS_E_SERVICE_DISCONNECT;
    client_op_use u;
    hcssim__client_op_begin(&u, c, operation, HcsOperationTypeEnumerate, 0, 0);
    wire_buf b;
    start(&b, in_namespace ? WIRE_FN_HcsEnumerateComputeSystemsInNamespace : WIRE_FN_HcsEnumerateComputeSystems);
    if (in_namespace)
        hcssim__wire_argument(&b, ns);
    hcssim__wire_argument(&b, query);
    hcssim__client_op_write(&b, &u);
    HRESULT hr = finish(c, &b, &u, "uu", NULL, NULL);
    hcssim__client_conn_release(c);
    return hr;
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcsEnumerateComputeSystems)(PCWSTR query, HCS_OPERATION operation)
{
    return enumerate(false, NULL, query, operation);
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcsEnumerateComputeSystemsInNamespace)(PCWSTR idNamespace, PCWSTR query,
                                                                              HCS_OPERATION operation)
{
    return enumerate(true, idNamespace, query, operation);
}

/* A new handle's end: returned to the caller, or taken back. */
static HRESULT handle_out(HRESULT hr, client_handle *h, void **out)
{
    if (!h)
        return hr;
    if (SUCCEEDED(hr) && h->o.daemon_id) {
        *out = (void *)(uintptr_t)h->o.value;
        hcssim__client_obj_release(&h->o);
        return hr;
    }
    hcssim__client_handle_discard(h);
    return SUCCEEDED(hr) ? E_OUTOFMEMORY : hr;
}

static HRESULT create_system(bool in_namespace, PCWSTR ns, PCWSTR id, PCWSTR configuration, HCS_OPERATION operation,
                             const SECURITY_DESCRIPTOR *security, const HCS_CREATE_OPTIONS *options,
                             HCS_SYSTEM *computeSystem)
{
    if (computeSystem)
        *computeSystem = NULL;
    client_conn *c = hcssim__client_conn_get();
    if (!c)
        return HCS_E_SERVICE_DISCONNECT;
    client_handle *h = computeSystem ? hcssim__client_handle_new(c, CK_SYSTEM) : NULL;
    if (computeSystem && !h) {
        hcssim__client_conn_release(c);
        return E_OUTOFMEMORY;
    }
    uint64_t flags = computeSystem ? WIRE_ARG_OUT : 0;
    const HCS_CREATE_OPTIONS_1 *o1 = (const HCS_CREATE_OPTIONS_1 *)(const void *)options;
    uint64_t version = 0, callback_options = 0;
    bool listening = false;
    if (security)
        flags |= WIRE_ARG_SECURITY;
    if (o1) {
        flags |= WIRE_ARG_OPTIONS;
        version = (uint64_t)o1->Version;
        /* The rest of the structure is version 1's: read only then. */
        if (o1->Version == HcsCreateOptions_1) {
            callback_options = (uint64_t)o1->CallbackOptions;
            flags |= (o1->UserToken ? WIRE_ARG_USER_TOKEN : 0) | (o1->SecurityDescriptor ? WIRE_ARG_SECURITY : 0) |
                     (o1->Callback ? WIRE_ARG_CALLBACK : 0);
            /* Registered with the creation: set before the request, so an
             * event that comes before the REPLY finds it. */
            listening = h && hcssim__client_listen_begin(h, o1->Callback, o1->CallbackContext);
        }
    }
    client_op_use u;
    hcssim__client_op_begin(&u, c, operation, HcsOperationTypeCreate, h ? h->o.value : 0, 0);
    wire_buf b;
    start(&b, in_namespace ? WIRE_FN_HcsCreateComputeSystemInNamespace : WIRE_FN_HcsCreateComputeSystem);
    if (in_namespace)
        hcssim__wire_argument(&b, ns);
    hcssim__wire_argument(&b, id);
    hcssim__wire_argument(&b, configuration);
    hcssim__client_op_write(&b, &u);
    hcssim__wire_u64(&b, flags);
    if (in_namespace) {
        hcssim__wire_u64(&b, version);
        hcssim__wire_u64(&b, callback_options);
    }
    hcssim__wire_u64(&b, h ? h->o.value : 0);
    if (listening)
        hcs_object_retain(&h->o.base); /* past finish, which gives h up */
    HRESULT hr = finish(c, &b, &u, "uuu", h, (void **)computeSystem);
    if (listening) {
        hcssim__client_listen_end(h, SUCCEEDED(hr));
        hcssim__client_obj_release(&h->o);
    }
    hcssim__client_conn_release(c);
    return hr;
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcsCreateComputeSystem)(PCWSTR id, PCWSTR configuration, HCS_OPERATION operation,
                                                               const SECURITY_DESCRIPTOR *securityDescriptor,
                                                               HCS_SYSTEM *computeSystem)
{
    return create_system(false, NULL, id, configuration, operation, securityDescriptor, NULL, computeSystem);
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcsCreateComputeSystemInNamespace)(PCWSTR idNamespace, PCWSTR id,
                                                                          PCWSTR configuration, HCS_OPERATION operation,
                                                                          const HCS_CREATE_OPTIONS *options,
                                                                          HCS_SYSTEM *computeSystem)
{
    return create_system(true, idNamespace, id, configuration, operation, NULL, options, computeSystem);
}

/* An open (system or process): the new handle, or the failure. */
static HRESULT open_handle(client_conn *c, wire_buf *b, uint64_t flags, client_handle *h, void **out)
{
    hcssim__wire_u64(b, flags);
    hcssim__wire_u64(b, h ? h->o.value : 0);
    client_pending p;
    HRESULT hr = HCS_E_SERVICE_DISCONNECT;
    if (hcssim__client_request(c, b, "uu", &p) == 0) {
        hr = hr_of(&p.msg.v[0]);
        if (h && SUCCEEDED(hr)) {
            client_state *s = hcssim__client_state();
            hcs__mutex_lock(&s->mu);
            h->o.daemon_id = p.msg.v[1].u;
            hcs__mutex_unlock(&s->mu);
        }
        hcssim__client_pending_done(&p);
    }
    return handle_out(hr, h, out);
}

static HRESULT open_system(bool in_namespace, PCWSTR ns, PCWSTR id, DWORD access, HCS_SYSTEM *computeSystem)
{
    if (computeSystem)
        *computeSystem = NULL;
    client_conn *c = hcssim__client_conn_get();
    if (!c)
        return HCS_E_SERVICE_DISCONNECT;
    client_handle *h = computeSystem ? hcssim__client_handle_new(c, CK_SYSTEM) : NULL;
    HRESULT hr = E_OUTOFMEMORY;
    if (h || !computeSystem) {
        wire_buf b;
        start(&b, in_namespace ? WIRE_FN_HcsOpenComputeSystemInNamespace : WIRE_FN_HcsOpenComputeSystem);
        if (in_namespace)
            hcssim__wire_argument(&b, ns);
        hcssim__wire_argument(&b, id);
        hcssim__wire_u64(&b, access);
        hr = open_handle(c, &b, computeSystem ? WIRE_ARG_OUT : 0, h, (void **)computeSystem);
    }
    hcssim__client_conn_release(c);
    return hr;
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcsOpenComputeSystem)(PCWSTR id, DWORD requestedAccess,
                                                             HCS_SYSTEM *computeSystem)
{
    return open_system(false, NULL, id, requestedAccess, computeSystem);
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcsOpenComputeSystemInNamespace)(PCWSTR idNamespace, PCWSTR id,
                                                                        DWORD requestedAccess,
                                                                        HCS_SYSTEM *computeSystem)
{
    return open_system(true, idNamespace, id, requestedAccess, computeSystem);
}

/* Closes a handle here (no callback after this returns, §11 #27), then in
 * the daemon, which may end a system whose last handle this was (§11 #26). */
static bool close_handle(const void *value, enum client_kind kind, wire_function fn)
{
    client_handle *h = hcssim__client_handle_close(value, kind);
    if (!h)
        return false;
    client_state *s = hcssim__client_state();
    hcs__mutex_lock(&s->mu);
    client_conn *c = h->o.conn;
    uint64_t id = h->o.daemon_id;
    bool dead = c->dead;
    hcs_object_retain(&c->base);
    hcs__mutex_unlock(&s->mu);
    if (id && !dead) {
        wire_buf b;
        start(&b, fn);
        hcssim__wire_u64(&b, id);
        ask(c, &b);
    }
    hcssim__client_conn_release(c);
    hcssim__client_obj_release(&h->o);
    return true;
}

CLIENT_EXPORT void WINAPI CLIENT_FN(HcsCloseComputeSystem)(HCS_SYSTEM computeSystem)
{
    close_handle(computeSystem, CK_SYSTEM, WIRE_FN_HcsCloseComputeSystem);
}

/* The calls of the form (handle, operation, options). */
static HRESULT handle_call(enum client_kind kind, wire_function fn, HCS_OPERATION_TYPE type, const void *handle,
                           HCS_OPERATION operation, bool has_options, PCWSTR options)
{
    target t;
    HRESULT hr = target_get(handle, kind, &t);
    if (FAILED(hr))
        return hr;
    uint64_t value = t.h ? t.h->o.value : 0;
    client_op_use u;
    hcssim__client_op_begin(&u, t.c, operation, type, kind == CK_SYSTEM ? value : 0, kind == CK_PROCESS ? value : 0);
    wire_buf b;
    start(&b, fn);
    hcssim__wire_u64(&b, t.id);
    hcssim__client_op_write(&b, &u);
    if (has_options)
        hcssim__wire_argument(&b, options);
    hr = finish(t.c, &b, &u, "uu", NULL, NULL);
    target_put(&t);
    return hr;
}

#define SYSTEM_CALL(name, type)                                                                                        \
    CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(name)(HCS_SYSTEM computeSystem, HCS_OPERATION operation, PCWSTR options)    \
    {                                                                                                                  \
        return handle_call(CK_SYSTEM, WIRE_FN_##name, type, computeSystem, operation, true, options);                  \
    }

SYSTEM_CALL(HcsStartComputeSystem, HcsOperationTypeStart)
SYSTEM_CALL(HcsShutDownComputeSystem, HcsOperationTypeShutdown)
SYSTEM_CALL(HcsTerminateComputeSystem, HcsOperationTypeTerminate)
SYSTEM_CALL(HcsCrashComputeSystem, HcsOperationTypeCrash)
SYSTEM_CALL(HcsPauseComputeSystem, HcsOperationTypePause)
SYSTEM_CALL(HcsResumeComputeSystem, HcsOperationTypeResume)
SYSTEM_CALL(HcsSaveComputeSystem, HcsOperationTypeSave)
SYSTEM_CALL(HcsGetComputeSystemProperties, HcsOperationTypeGetProperties)
SYSTEM_CALL(HcsInitializeLiveMigrationOnSource, HCS_OPERATION_TYPE_LIVE_MIGRATION)
SYSTEM_CALL(HcsStartLiveMigrationOnSource, HCS_OPERATION_TYPE_LIVE_MIGRATION)
SYSTEM_CALL(HcsStartLiveMigrationTransfer, HCS_OPERATION_TYPE_LIVE_MIGRATION)
SYSTEM_CALL(HcsFinalizeLiveMigration, HCS_OPERATION_TYPE_LIVE_MIGRATION)
SYSTEM_CALL(HcsCancelLiveMigration, HCS_OPERATION_TYPE_LIVE_MIGRATION)

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcsModifyComputeSystem)(HCS_SYSTEM computeSystem, HCS_OPERATION operation,
                                                               PCWSTR configuration, HANDLE identity)
{
    (void)identity; /* the simulator has no access tokens */
    return handle_call(CK_SYSTEM, WIRE_FN_HcsModifyComputeSystem, HcsOperationTypeModify, computeSystem, operation,
                       true, configuration);
}

/* An exit wait: the daemon waits (on a thread of its own) and answers. */
static HRESULT wait_exit(enum client_kind kind, wire_function fn, const void *handle, DWORD timeout, PWSTR *result)
{
    if (result)
        *result = NULL;
    target t;
    HRESULT hr = target_get(handle, kind, &t);
    if (FAILED(hr))
        return hr;
    wire_buf b;
    start(&b, fn);
    hcssim__wire_u64(&b, t.id);
    hcssim__wire_u64(&b, timeout);
    hcssim__wire_u64(&b, result ? WIRE_ARG_OUT : 0);
    hr = ask_string(t.c, &b, result);
    target_put(&t);
    return hr;
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcsWaitForComputeSystemExit)(HCS_SYSTEM computeSystem, DWORD timeoutMs,
                                                                    PWSTR *result)
{
    return wait_exit(CK_SYSTEM, WIRE_FN_HcsWaitForComputeSystemExit, computeSystem, timeoutMs, result);
}

/* An event callback: the daemon registers its forwarder on its handle, the
 * program's callback is called here with what it forwards. */
static HRESULT set_callback(enum client_kind kind, wire_function fn, const void *handle, HCS_EVENT_OPTIONS options,
                            const void *context, HCS_EVENT_CALLBACK callback)
{
    target t;
    HRESULT hr = target_get(handle, kind, &t);
    if (FAILED(hr))
        return hr;
    bool listening = t.h && hcssim__client_listen_begin(t.h, callback, context);
    wire_buf b;
    start(&b, fn);
    hcssim__wire_u64(&b, t.id);
    hcssim__wire_u64(&b, (uint64_t)options);
    hcssim__wire_u64(&b, callback ? WIRE_ARG_CALLBACK : 0);
    hr = ask(t.c, &b);
    if (listening)
        hcssim__client_listen_end(t.h, SUCCEEDED(hr));
    target_put(&t);
    return hr;
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcsSetComputeSystemCallback)(HCS_SYSTEM computeSystem,
                                                                    HCS_EVENT_OPTIONS callbackOptions,
                                                                    const void *context, HCS_EVENT_CALLBACK callback)
{
    return set_callback(CK_SYSTEM, WIRE_FN_HcsSetComputeSystemCallback, computeSystem, callbackOptions, context,
                        callback);
}

/* ---- processes (hcs-api §2.3) ------------------------------------------ */

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcsCreateProcess)(HCS_SYSTEM computeSystem, PCWSTR processParameters,
                                                         HCS_OPERATION operation,
                                                         const SECURITY_DESCRIPTOR *securityDescriptor,
                                                         HCS_PROCESS *process)
{
    if (process)
        *process = NULL;
    target t;
    HRESULT hr = target_get(computeSystem, CK_SYSTEM, &t);
    if (FAILED(hr))
        return hr;
    client_handle *h = process ? hcssim__client_handle_new(t.c, CK_PROCESS) : NULL;
    if (process && !h) {
        target_put(&t);
        return E_OUTOFMEMORY;
    }
    client_op_use u;
    hcssim__client_op_begin(&u, t.c, operation, HcsOperationTypeCreateProcess, 0, h ? h->o.value : 0);
    wire_buf b;
    start(&b, WIRE_FN_HcsCreateProcess);
    hcssim__wire_u64(&b, t.id);
    hcssim__wire_argument(&b, processParameters);
    hcssim__client_op_write(&b, &u);
    hcssim__wire_u64(&b, (process ? WIRE_ARG_OUT : 0) | (securityDescriptor ? WIRE_ARG_SECURITY : 0));
    hcssim__wire_u64(&b, h ? h->o.value : 0);
    hr = finish(t.c, &b, &u, "uuu", h, (void **)process);
    target_put(&t);
    return hr;
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcsOpenProcess)(HCS_SYSTEM computeSystem, DWORD processId, DWORD requestedAccess,
                                                       HCS_PROCESS *process)
{
    if (process)
        *process = NULL;
    target t;
    HRESULT hr = target_get(computeSystem, CK_SYSTEM, &t);
    if (FAILED(hr))
        return hr;
    client_handle *h = process ? hcssim__client_handle_new(t.c, CK_PROCESS) : NULL;
    hr = E_OUTOFMEMORY;
    if (h || !process) {
        wire_buf b;
        start(&b, WIRE_FN_HcsOpenProcess);
        hcssim__wire_u64(&b, t.id);
        hcssim__wire_u64(&b, processId);
        hcssim__wire_u64(&b, requestedAccess);
        hr = open_handle(t.c, &b, process ? WIRE_ARG_OUT : 0, h, (void **)process);
    }
    target_put(&t);
    return hr;
}

CLIENT_EXPORT void WINAPI CLIENT_FN(HcsCloseProcess)(HCS_PROCESS process)
{
    close_handle(process, CK_PROCESS, WIRE_FN_HcsCloseProcess);
}

#define PROCESS_CALL(name, type)                                                                                       \
    CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(name)(HCS_PROCESS process, HCS_OPERATION operation, PCWSTR options)         \
    {                                                                                                                  \
        return handle_call(CK_PROCESS, WIRE_FN_##name, type, process, operation, true, options);                       \
    }

/* No operation type exists for terminate (hcs-api §2.1): the simulator's
 * SignalProcess. */
PROCESS_CALL(HcsTerminateProcess, HcsOperationTypeSignalProcess)
PROCESS_CALL(HcsSignalProcess, HcsOperationTypeSignalProcess)
PROCESS_CALL(HcsGetProcessProperties, HcsOperationTypeGetProcessProperties)
PROCESS_CALL(HcsModifyProcess, HcsOperationTypeModifyProcess)

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcsGetProcessInfo)(HCS_PROCESS process, HCS_OPERATION operation)
{
    return handle_call(CK_PROCESS, WIRE_FN_HcsGetProcessInfo, HcsOperationTypeGetProcessInfo, process, operation, false,
                       NULL);
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcsSetProcessCallback)(HCS_PROCESS process, HCS_EVENT_OPTIONS callbackOptions,
                                                              void *context, HCS_EVENT_CALLBACK callback)
{
    return set_callback(CK_PROCESS, WIRE_FN_HcsSetProcessCallback, process, callbackOptions, context, callback);
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcsWaitForProcessExit)(HCS_PROCESS process, DWORD timeoutMs, PWSTR *result)
{
    return wait_exit(CK_PROCESS, WIRE_FN_HcsWaitForProcessExit, process, timeoutMs, result);
}

/* ---- the host service and VM utilities (hcs-api §2.4, §2.5) ------------ */

/* A sync call of strings and an optional string result. */
static HRESULT service_call(wire_function fn, PCWSTR first, bool two, PCWSTR second, bool has_result, PWSTR *result)
{
    if (result)
        *result = NULL;
    client_conn *c = hcssim__client_conn_get();
    if (!c)
        return HCS_E_SERVICE_DISCONNECT;
    wire_buf b;
    start(&b, fn);
    hcssim__wire_argument(&b, first);
    if (two)
        hcssim__wire_argument(&b, second);
    HRESULT hr;
    if (has_result) {
        hcssim__wire_u64(&b, result ? WIRE_ARG_OUT : 0);
        hr = ask_string(c, &b, result);
    } else {
        hr = ask(c, &b);
    }
    hcssim__client_conn_release(c);
    return hr;
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcsGetServiceProperties)(PCWSTR propertyQuery, PWSTR *result)
{
    return service_call(WIRE_FN_HcsGetServiceProperties, propertyQuery, false, NULL, true, result);
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcsModifyServiceSettings)(PCWSTR settings, PWSTR *result)
{
    return service_call(WIRE_FN_HcsModifyServiceSettings, settings, false, NULL, true, result);
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcsSubmitWerReport)(PCWSTR settings)
{
    return service_call(WIRE_FN_HcsSubmitWerReport, settings, false, NULL, false, NULL);
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcsCreateEmptyGuestStateFile)(PCWSTR guestStateFilePath)
{
    return service_call(WIRE_FN_HcsCreateEmptyGuestStateFile, guestStateFilePath, false, NULL, false, NULL);
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcsCreateEmptyRuntimeStateFile)(PCWSTR runtimeStateFilePath)
{
    return service_call(WIRE_FN_HcsCreateEmptyRuntimeStateFile, runtimeStateFilePath, false, NULL, false, NULL);
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcsGrantVmAccess)(PCWSTR vmId, PCWSTR filePath)
{
    return service_call(WIRE_FN_HcsGrantVmAccess, vmId, true, filePath, false, NULL);
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcsRevokeVmAccess)(PCWSTR vmId, PCWSTR filePath)
{
    return service_call(WIRE_FN_HcsRevokeVmAccess, vmId, true, filePath, false, NULL);
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcsGrantVmGroupAccess)(PCWSTR filePath)
{
    return service_call(WIRE_FN_HcsGrantVmGroupAccess, filePath, false, NULL, false, NULL);
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcsRevokeVmGroupAccess)(PCWSTR filePath)
{
    return service_call(WIRE_FN_HcsRevokeVmGroupAccess, filePath, false, NULL, false, NULL);
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcsGetProcessorCompatibilityFromSavedState)(PCWSTR RuntimeFileName,
                                                                                   PCWSTR *ProcessorFeaturesString)
{
    return service_call(WIRE_FN_HcsGetProcessorCompatibilityFromSavedState, RuntimeFileName, false, NULL, true,
                        (PWSTR *)ProcessorFeaturesString);
}

/* ---- computenetwork (storage-and-network §2) ------------------------------ */

/* What an HCN call returns when hcssimd cannot be reached: the RPC error
 * of a client whose service is gone (RPC_S_SERVER_UNAVAILABLE; inferred). */
#define HCN_E_UNREACHABLE ((HRESULT)0x800706BA)

static void put_guid(wire_buf *b, REFGUID id)
{
    char text[HCS_GUID_LEN + 1];
    if (id)
        hcs__guid_format(id, text);
    hcssim__wire_utf8(b, id ? text : NULL);
}

static uint64_t out_flags(const void *out, const PWSTR *error)
{
    return (out ? WIRE_ARG_OUT : 0) | (error ? WIRE_ARG_ERROR : 0);
}

/* A string of a reply, allocated as HCN's are (CoTaskMemFree). */
static PWSTR task_string(const wire_value *v)
{
    bool failed = false;
    uint16_t *s = v->tag == 'w' ? hcssim__wire_utf16_dup(v, &failed) : NULL;
    size_t bytes = s ? (hcs__utf16_len(s) + 1) * sizeof *s : 0;
    PWSTR out = s ? hcssim__task_alloc(bytes) : NULL;
    if (out)
        memcpy(out, s, bytes);
    free(s);
    return out;
}

/* Sends an HCN call and reads "hr" and then, by the signature, a handle id
 * ('u'), a result and the ErrorRecord (two 'W's) or the record alone. */
static HRESULT hcn_ask(client_conn *c, wire_buf *b, const char *signature, uint64_t *id, PWSTR *out, PWSTR *error)
{
    client_pending p;
    if (hcssim__client_request(c, b, signature, &p) != 0)
        return HCN_E_UNREACHABLE;
    HRESULT hr = hr_of(&p.msg.v[0]);
    unsigned at = 1;
    if (signature[at] == 'u' && id)
        *id = p.msg.v[at].u;
    at += signature[at] == 'u';
    if (signature[at] == 'W' && signature[at + 1] == 'W' && out)
        *out = task_string(&p.msg.v[at]);
    at += signature[at] == 'W' && signature[at + 1] == 'W';
    if (signature[at] == 'W' && error)
        *error = task_string(&p.msg.v[at]);
    hcssim__client_pending_done(&p);
    return hr;
}

/* A call on one HCN handle (or none, kind 0): Modify, Query, Stats. */
static HRESULT hcn_on(wire_function fn, enum client_kind kind, const void *handle, PCWSTR text, bool has_out,
                      PWSTR *out, PWSTR *error)
{
    if (out)
        *out = NULL;
    if (error)
        *error = NULL;
    target t;
    if (FAILED(target_get(handle, kind, &t)))
        return HCN_E_UNREACHABLE;
    wire_buf b;
    start(&b, fn);
    if (kind)
        hcssim__wire_u64(&b, t.id);
    hcssim__wire_argument(&b, text);
    hcssim__wire_u64(&b, out_flags(out, error));
    HRESULT hr = hcn_ask(t.c, &b, has_out ? "uWW" : "uW", NULL, out, error);
    target_put(&t);
    return hr;
}

/* Create (parent: the network handle of an endpoint) and Open. */
static HRESULT hcn_make(wire_function fn, enum client_kind kind, bool create, const void *parent, REFGUID id,
                        PCWSTR settings, void **handle, PWSTR *error)
{
    if (handle)
        *handle = NULL;
    if (error)
        *error = NULL;
    target t;
    if (FAILED(target_get(parent, CK_HCN, &t)))
        return HCN_E_UNREACHABLE;
    client_handle *h = handle ? hcssim__client_handle_new(t.c, kind) : NULL;
    HRESULT hr = E_OUTOFMEMORY;
    if (h || !handle) {
        wire_buf b;
        start(&b, fn);
        if (create)
            hcssim__wire_u64(&b, t.id);
        put_guid(&b, id);
        if (create)
            hcssim__wire_argument(&b, settings);
        hcssim__wire_u64(&b, out_flags(handle, error));
        uint64_t daemon_id = 0;
        hr = hcn_ask(t.c, &b, "uuW", &daemon_id, NULL, error);
        if (h) {
            client_state *s = hcssim__client_state();
            hcs__mutex_lock(&s->mu);
            h->o.daemon_id = daemon_id;
            hcs__mutex_unlock(&s->mu);
        }
        hr = handle_out(hr, h, handle);
    }
    target_put(&t);
    return hr;
}

static HRESULT hcn_delete(wire_function fn, REFGUID id, PWSTR *error)
{
    if (error)
        *error = NULL;
    client_conn *c = hcssim__client_conn_get();
    if (!c)
        return HCN_E_UNREACHABLE;
    wire_buf b;
    start(&b, fn);
    put_guid(&b, id);
    hcssim__wire_u64(&b, out_flags(NULL, error));
    HRESULT hr = hcn_ask(c, &b, "uW", NULL, NULL, error);
    hcssim__client_conn_release(c);
    return hr;
}

/* Close, Unregister, Release: here first (no callback after this), then
 * in the daemon. */
static HRESULT hcn_close(wire_function fn, enum client_kind kind, const void *handle)
{
    if (!handle)
        return E_INVALIDARG;
    return close_handle(handle, kind, fn) ? S_OK : HCS_WIN32_E_INVALID_HANDLE;
}

#define HCN_CLIENT_OBJECT(Noun, Plural, index, Handle)                                                                 \
    CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcnEnumerate##Plural)(PCWSTR Query, PWSTR * Result, PWSTR * ErrorRecord)    \
    {                                                                                                                  \
        return hcn_on(WIRE_FN_HcnEnumerate##Plural, 0, NULL, Query, true, Result, ErrorRecord);                        \
    }                                                                                                                  \
    CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcnOpen##Noun)(REFGUID Id, Handle * Object, PWSTR * ErrorRecord)            \
    {                                                                                                                  \
        return hcn_make(WIRE_FN_HcnOpen##Noun, CK_HCN + (index), false, NULL, Id, NULL, (void **)Object, ErrorRecord); \
    }                                                                                                                  \
    CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcnModify##Noun)(Handle Object, PCWSTR Settings, PWSTR * ErrorRecord)       \
    {                                                                                                                  \
        return hcn_on(WIRE_FN_HcnModify##Noun, CK_HCN + (index), Object, Settings, false, NULL, ErrorRecord);          \
    }                                                                                                                  \
    CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcnQuery##Noun##Properties)(Handle Object, PCWSTR Query,                    \
                                                                       PWSTR * Properties, PWSTR * ErrorRecord)        \
    {                                                                                                                  \
        return hcn_on(WIRE_FN_HcnQuery##Noun##Properties, CK_HCN + (index), Object, Query, true, Properties,           \
                      ErrorRecord);                                                                                    \
    }                                                                                                                  \
    CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcnDelete##Noun)(REFGUID Id, PWSTR * ErrorRecord)                           \
    {                                                                                                                  \
        return hcn_delete(WIRE_FN_HcnDelete##Noun, Id, ErrorRecord);                                                   \
    }                                                                                                                  \
    CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcnClose##Noun)(Handle Object)                                              \
    {                                                                                                                  \
        return hcn_close(WIRE_FN_HcnClose##Noun, CK_HCN + (index), Object);                                            \
    }

#define HCN_CLIENT_CREATE(Noun, index, Handle)                                                                         \
    CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcnCreate##Noun)(REFGUID Id, PCWSTR Settings, Handle * Object,              \
                                                            PWSTR * ErrorRecord)                                       \
    {                                                                                                                  \
        return hcn_make(WIRE_FN_HcnCreate##Noun, CK_HCN + (index), true, NULL, Id, Settings, (void **)Object,          \
                        ErrorRecord);                                                                                  \
    }

HCN_CLIENT_OBJECT(Network, Networks, 0, HCN_NETWORK)
HCN_CLIENT_CREATE(Network, 0, HCN_NETWORK)
HCN_CLIENT_OBJECT(Endpoint, Endpoints, 1, HCN_ENDPOINT)
HCN_CLIENT_OBJECT(Namespace, Namespaces, 2, HCN_NAMESPACE)
HCN_CLIENT_CREATE(Namespace, 2, HCN_NAMESPACE)
HCN_CLIENT_OBJECT(LoadBalancer, LoadBalancers, 3, HCN_LOADBALANCER)
HCN_CLIENT_CREATE(LoadBalancer, 3, HCN_LOADBALANCER)
HCN_CLIENT_OBJECT(SdnRoute, SdnRoutes, 4, HCN_SDNROUTE)
HCN_CLIENT_CREATE(SdnRoute, 4, HCN_SDNROUTE)
HCN_CLIENT_OBJECT(GuestNetworkService, GuestNetworkServices, 5, HCN_GUESTNETWORKSERVICE)
HCN_CLIENT_CREATE(GuestNetworkService, 5, HCN_GUESTNETWORKSERVICE)

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcnCreateEndpoint)(HCN_NETWORK Network, REFGUID Id, PCWSTR Settings,
                                                          PHCN_ENDPOINT Endpoint, PWSTR *ErrorRecord)
{
    return hcn_make(WIRE_FN_HcnCreateEndpoint, CK_HCN + 1, true, Network, Id, Settings, (void **)Endpoint, ErrorRecord);
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcnQueryEndpointStats)(HCN_ENDPOINT Endpoint, PCWSTR Query, PWSTR *Stats,
                                                              PWSTR *ErrorRecord)
{
    return hcn_on(WIRE_FN_HcnQueryEndpointStats, CK_HCN + 1, Endpoint, Query, true, Stats, ErrorRecord);
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcnQueryEndpointAddresses)(HCN_ENDPOINT Endpoint, PCWSTR Query, PWSTR *Addresses,
                                                                  PWSTR *ErrorRecord)
{
    return hcn_on(WIRE_FN_HcnQueryEndpointAddresses, CK_HCN + 1, Endpoint, Query, true, Addresses, ErrorRecord);
}

/* A registration is a handle whose event callback is this trampoline: the
 * daemon's EVENT carries the notification's type, data and status (in
 * the operation's place); a lost connection becomes ServiceDisconnect. */
typedef struct hcn_listener {
    HCN_NOTIFICATION_CALLBACK cb;
    void *context;
} hcn_listener;

static void CALLBACK hcn_trampoline(HCS_EVENT *event, void *context)
{
    const hcn_listener *l = context;
    if (event->Type == HcsEventServiceDisconnect)
        l->cb(HcnNotificationServiceDisconnect, l->context, HCN_E_UNREACHABLE, NULL);
    else
        l->cb((DWORD)event->Type, l->context, (HRESULT)(uint32_t)(uintptr_t)event->Operation, event->EventData);
}

static HRESULT hcn_register(wire_function fn, enum client_kind kind, const void *target_handle,
                            HCN_NOTIFICATION_CALLBACK cb, void *context, HCN_CALLBACK *out)
{
    if (out)
        *out = NULL;
    target t;
    if (FAILED(target_get(target_handle, kind, &t)))
        return HCN_E_UNREACHABLE;
    hcn_listener *l = cb && out ? malloc(sizeof *l) : NULL;
    client_handle *h = l ? hcssim__client_handle_new(t.c, CK_HCN_CALLBACK) : NULL;
    HRESULT hr = E_OUTOFMEMORY;
    if (h || !(cb && out)) {
        bool listening = false;
        if (h) {
            *l = (hcn_listener){cb, context};
            listening = hcssim__client_listen_begin(h, hcn_trampoline, l);
        }
        wire_buf b;
        start(&b, fn);
        hcssim__wire_u64(&b, t.id);
        hcssim__wire_u64(&b, (out ? WIRE_ARG_OUT : 0) | (cb ? WIRE_ARG_CALLBACK : 0));
        hcssim__wire_u64(&b, h ? h->o.value : 0);
        uint64_t daemon_id = 0;
        hr = hcn_ask(t.c, &b, "uu", &daemon_id, NULL, NULL);
        if (h) {
            client_state *s = hcssim__client_state();
            hcs__mutex_lock(&s->mu);
            h->o.daemon_id = daemon_id;
            hcs__mutex_unlock(&s->mu);
        }
        if (listening)
            hcssim__client_listen_end(h, SUCCEEDED(hr));
        hr = handle_out(hr, h, (void **)out);
    }
    if (FAILED(hr) || !h)
        free(l);
    target_put(&t);
    return hr;
}

/* Unregisters; the listener goes once no callback can run any more. */
static HRESULT hcn_unregister(wire_function fn, HCN_CALLBACK registration)
{
    client_handle *h = registration ? hcssim__client_handle_acquire(registration, CK_HCN_CALLBACK) : NULL;
    void *l = h ? (void *)(uintptr_t)h->context : NULL;
    if (h)
        hcssim__client_obj_release(&h->o);
    HRESULT hr = hcn_close(fn, CK_HCN_CALLBACK, registration);
    if (SUCCEEDED(hr))
        free(l);
    return hr;
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcnRegisterServiceCallback)(HCN_NOTIFICATION_CALLBACK Callback, void *Context,
                                                                   HCN_CALLBACK *CallbackHandle)
{
    return hcn_register(WIRE_FN_HcnRegisterServiceCallback, CK_HCN, NULL, Callback, Context, CallbackHandle);
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcnUnregisterServiceCallback)(HCN_CALLBACK CallbackHandle)
{
    return hcn_unregister(WIRE_FN_HcnUnregisterServiceCallback, CallbackHandle);
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcnRegisterNetworkCallback)(HCN_NETWORK Network,
                                                                   HCN_NOTIFICATION_CALLBACK Callback, void *Context,
                                                                   HCN_CALLBACK *CallbackHandle)
{
    return hcn_register(WIRE_FN_HcnRegisterNetworkCallback, CK_HCN, Network, Callback, Context, CallbackHandle);
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcnUnregisterNetworkCallback)(HCN_CALLBACK CallbackHandle)
{
    return hcn_unregister(WIRE_FN_HcnUnregisterNetworkCallback, CallbackHandle);
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcnRegisterGuestNetworkServiceCallback)(
    HCN_GUESTNETWORKSERVICE GuestNetworkService, HCN_NOTIFICATION_CALLBACK Callback, void *Context,
    HCN_CALLBACK *CallbackHandle)
{
    return hcn_register(WIRE_FN_HcnRegisterGuestNetworkServiceCallback, CK_HCN + 5, GuestNetworkService, Callback,
                        Context, CallbackHandle);
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcnUnregisterGuestNetworkServiceCallback)(HCN_CALLBACK CallbackHandle)
{
    return hcn_unregister(WIRE_FN_HcnUnregisterGuestNetworkServiceCallback, CallbackHandle);
}

static HRESULT hcn_reserve(wire_function fn, HCN_GUESTNETWORKSERVICE gns, HCN_PORT_PROTOCOL protocol,
                           HCN_PORT_ACCESS access, USHORT port, HCN_PORT_RANGE_RESERVATION *range, HANDLE *out)
{
    if (out)
        *out = NULL;
    target t;
    if (FAILED(target_get(gns, CK_HCN + 5, &t)))
        return HCN_E_UNREACHABLE;
    client_handle *h = out ? hcssim__client_handle_new(t.c, CK_HCN_PORT) : NULL;
    HRESULT hr = E_OUTOFMEMORY;
    if (h || !out) {
        wire_buf b;
        start(&b, fn);
        hcssim__wire_u64(&b, t.id);
        hcssim__wire_u64(&b, (uint64_t)protocol);
        hcssim__wire_u64(&b, (uint64_t)access);
        hcssim__wire_u64(&b, port);
        hcssim__wire_u64(&b, out ? WIRE_ARG_OUT : 0);
        client_pending p;
        hr = HCN_E_UNREACHABLE;
        if (hcssim__client_request(t.c, &b, range ? "uuuu" : "uu", &p) == 0) {
            hr = hr_of(&p.msg.v[0]);
            if (h) {
                client_state *s = hcssim__client_state();
                hcs__mutex_lock(&s->mu);
                h->o.daemon_id = p.msg.v[1].u;
                hcs__mutex_unlock(&s->mu);
            }
            if (range && SUCCEEDED(hr)) {
                range->startingPort = (USHORT)p.msg.v[2].u;
                range->endingPort = (USHORT)p.msg.v[3].u;
            }
            hcssim__client_pending_done(&p);
        }
        hr = handle_out(hr, h, out);
    }
    target_put(&t);
    return hr;
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcnReserveGuestNetworkServicePort)(HCN_GUESTNETWORKSERVICE GuestNetworkService,
                                                                          HCN_PORT_PROTOCOL Protocol,
                                                                          HCN_PORT_ACCESS Access, USHORT Port,
                                                                          HANDLE *PortReservationHandle)
{
    return hcn_reserve(WIRE_FN_HcnReserveGuestNetworkServicePort, GuestNetworkService, Protocol, Access, Port, NULL,
                       PortReservationHandle);
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcnReserveGuestNetworkServicePortRange)(
    HCN_GUESTNETWORKSERVICE GuestNetworkService, USHORT PortCount, HCN_PORT_RANGE_RESERVATION *PortRangeReservation,
    HANDLE *PortReservationHandle)
{
    if (!PortRangeReservation) {
        if (PortReservationHandle)
            *PortReservationHandle = NULL;
        return E_INVALIDARG;
    }
    return hcn_reserve(WIRE_FN_HcnReserveGuestNetworkServicePortRange, GuestNetworkService, HCN_PORT_PROTOCOL_BOTH,
                       HCN_PORT_ACCESS_EXCLUSIVE, PortCount, PortRangeReservation, PortReservationHandle);
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcnReleaseGuestNetworkServicePortReservationHandle)(HANDLE PortReservationHandle)
{
    return hcn_close(WIRE_FN_HcnReleaseGuestNetworkServicePortReservationHandle, CK_HCN_PORT, PortReservationHandle);
}

/* The daemon's JSON list back into HCN_PORT_RANGE_ENTRY records. */
static HCN_PORT_RANGE_ENTRY *port_entries(const wire_value *v, ULONG count)
{
    bool failed = false;
    char *text = hcssim__wire_utf8_dup(v, &failed);
    json_error_t err;
    json_t *list = text ? json_loads(text, 0, &err) : NULL;
    free(text);
    HCN_PORT_RANGE_ENTRY *e =
        json_array_size(list) == count ? hcssim__task_alloc((count ? count : 1) * sizeof *e) : NULL;
    if (e)
        memset(e, 0, (count ? count : 1) * sizeof *e);
    for (ULONG i = 0; e && i < count; i++) {
        json_t *x = json_array_get(list, i);
        hcs__guid_parse(json_string_value(json_object_get(x, "Owner")), &e[i].OwningPartitionId);
        hcs__guid_parse(json_string_value(json_object_get(x, "Target")), &e[i].TargetPartitionId);
        e[i].Protocol = (HCN_PORT_PROTOCOL)json_integer_value(json_object_get(x, "Protocol"));
        e[i].SharingFlags = (UINT32)json_integer_value(json_object_get(x, "Sharing"));
        e[i].StartingPort = (UINT16)json_integer_value(json_object_get(x, "First"));
        e[i].EndingPort = (UINT16)json_integer_value(json_object_get(x, "Last"));
    }
    json_decref(list);
    return e;
}

CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HcnEnumerateGuestNetworkPortReservations)(ULONG *ReturnCount,
                                                                                 HCN_PORT_RANGE_ENTRY **PortEntries)
{
    if (ReturnCount)
        *ReturnCount = 0;
    if (PortEntries)
        *PortEntries = NULL;
    if (!ReturnCount || !PortEntries)
        return E_INVALIDARG;
    client_conn *c = hcssim__client_conn_get();
    if (!c)
        return HCN_E_UNREACHABLE;
    wire_buf b;
    start(&b, WIRE_FN_HcnEnumerateGuestNetworkPortReservations);
    hcssim__wire_u64(&b, WIRE_ARG_OUT);
    client_pending p;
    HRESULT hr = HCN_E_UNREACHABLE;
    if (hcssim__client_request(c, &b, "uuA", &p) == 0) {
        hr = hr_of(&p.msg.v[0]);
        ULONG count = (ULONG)p.msg.v[1].u;
        if (SUCCEEDED(hr) && !(*PortEntries = port_entries(&p.msg.v[2], count)))
            hr = E_OUTOFMEMORY;
        if (SUCCEEDED(hr))
            *ReturnCount = count;
        hcssim__client_pending_done(&p);
    }
    hcssim__client_conn_release(c);
    return hr;
}

CLIENT_EXPORT VOID WINAPI CLIENT_FN(HcnFreeGuestNetworkPortReservations)(HCN_PORT_RANGE_ENTRY *PortEntries)
{
    hcssim__task_free(PortEntries);
}

/* HNS's V1 interface answers from the daemon's build: the version is all
 * it simulates, and that needs no round trip (hns.h). */
CLIENT_EXPORT HRESULT WINAPI CLIENT_FN(HNSCall)(PCWSTR method, PCWSTR path, PCWSTR request, PWSTR *response)
{
    (void)request;
    client_conn *c = hcssim__client_conn_get();
    if (!c) {
        if (response)
            *response = NULL;
        return HCS_E_SERVICE_DISCONNECT;
    }
    HRESULT hr = hcssim__hns_call(hcssim__profile_find(c->profile), method, path, response);
    hcssim__client_conn_release(c);
    return hr;
}

/* ---- looking functions up ------------------------------------------------- */

static const struct {
    const char *name;
    const char *since;
    void (*fn)(void);
} functions[] = {
#define SIM_EXPORT_ENTRY(fn, since) {#fn, #since, (void (*)(void))CLIENT_FN(fn)},
#include "export_list.h"
#include "hcn_export_list.h"
#include "vmcompute_export_list.h"
#undef SIM_EXPORT_ENTRY
    {"LocalFree", "1809", (void (*)(void))LocalFree},
#ifndef _WIN32
    {"CoTaskMemFree", "1809", (void (*)(void))CoTaskMemFree},
#endif
};

/* Whether the daemon's build has a function: it said which forwarded ones
 * in WELCOME. The operation functions and LocalFree are this library's
 * own; those of a newer build than the daemon's are not there. */
static bool daemon_exports(const char *name, const char *since)
{
    bool forwarded = false;
    for (uint64_t id = 1; !forwarded && hcssim__wire_function_name(id); id++)
        forwarded = strcmp(hcssim__wire_function_name(id), name) == 0;
    if (!forwarded && strcmp(since, "1809") == 0)
        return true;
    client_conn *c = hcssim__client_conn_get();
    if (!c)
        return true; /* no daemon: every call reports the disconnect */
    bool found = !forwarded && hcssim__profile_includes(c->profile, since);
    size_t n = strlen(name);
    for (const char *at = strstr(c->exports, name); forwarded && at && !found; at = strstr(at + 1, name))
        found = at[-1] == ',' && at[n] == ',';
    hcssim__client_conn_release(c);
    return found;
}

void (*hcssim__client_function(const char *name))(void)
{
    for (size_t i = 0; name && i < sizeof functions / sizeof functions[0]; i++)
        if (strcmp(functions[i].name, name) == 0)
            return daemon_exports(name, functions[i].since) ? functions[i].fn : NULL;
    return NULL;
}
