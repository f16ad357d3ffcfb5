/* Simulated compute systems (see system.h).
 *
 * A call validates its arguments synchronously (a failure there is the
 * call's return value and leaves the operation NotStarted, hcs-api §3.3),
 * then queues a request. Requests for one system run on the engine thread
 * in the order they were made; each decides its outcome from the state the
 * system has by then, so "start, then terminate" behaves as on a real host. */
#include "system.h"

#include "document.h"
#include "hcssim/hcssim.h"
#include "operation.h"
#include "result.h"
#include "scheduler.h"
#include "profile.h"
#include "system_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sim_system_handle {
    hcs_object base;
    sim_system *sys;
} sim_system_handle;

typedef struct sim_request sim_request;
/* Runs on the engine thread with the engine lock held. Returns the outcome
 * and may set *doc (malloc'ed UTF-8) to the result document. */
typedef HRESULT (*sim_action)(sim_request *req, char **doc);

struct sim_request {
    sim_system *sys; /* NULL for enumerate */
    sim_operation *op; /* NULL for internal requests */
    sim_action action;
    json_t *args;    /* parsed options or query, may be NULL */
    HRESULT preset;  /* outcome decided at kickoff (create) */
    char *preset_detail;
};


static HRESULT fail(HRESULT hr, const char *detail, char **doc)
{
    *doc = sim_result_error(hr, detail);
    return hr;
}

/* ---- handles ---------------------------------------------------------- */

static void destroy_handle(hcs_object *o)
{
    sim_system_handle *h = (sim_system_handle *)o;
    sim_system_release(h->sys);
    free(h);
}

/* With the engine lock held: a new HCS_SYSTEM for sys. */
static HCS_SYSTEM new_handle(sim_engine *e, sim_system *sys)
{
    sim_system_handle *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    hcs_object_init(&h->base, destroy_handle);
    sim_system_retain(sys);
    h->sys = sys;
    uint64_t id = hcs_table_insert(&e->handles, SIM_KIND_SYSTEM_HANDLE, &h->base);
    hcs_object_release(&h->base);
    if (id)
        sys->handles++;
    return (HCS_SYSTEM)sim_handle_value(id);
}

/* The system behind a handle, with a reference, or NULL. */
static sim_system *system_of(HCS_SYSTEM handle)
{
    sim_engine *e = sim_engine_get();
    sim_system_handle *h =
        (sim_system_handle *)hcs_table_acquire(&e->handles, sim_handle_id(handle), SIM_KIND_SYSTEM_HANDLE);
    if (!h)
        return NULL;
    sim_system *sys = h->sys;
    sim_system_retain(sys);
    hcs_object_release(&h->base);
    return sys;
}

/* ---- requests --------------------------------------------------------- */

static void free_request(sim_request *req)
{
    sim_system_release(req->sys);
    sim_operation_release(req->op);
    json_decref(req->args);
    free(req->preset_detail);
    free(req);
}

static void run_request(void *arg)
{
    sim_request *req = arg;
    sim_engine *e = sim_engine_get();
    hcs_mutex_lock(&e->mu);
    char *doc = NULL;
    HRESULT hr = req->action(req, &doc);
    if (req->op)
        sim_operation_complete(req->op, hr, doc);
    else
        free(doc);
    hcs_mutex_unlock(&e->mu);
    free_request(req);
}

/* With the engine lock held: starts `operation` for the request and queues
 * it behind the system's earlier requests. Takes ownership of req->args. */
static HRESULT submit(sim_system *sys, HCS_SYSTEM handle, HCS_OPERATION operation, HCS_OPERATION_TYPE type,
                      sim_action action, sim_request *req)
{
    req->action = action;
    if (operation || type != HcsOperationTypeNone) {
        req->op = sim_operation_acquire(operation);
        if (!req->op)
            return SIM_E_HANDLE;
        HRESULT hr = sim_operation_begin(req->op, type, sim_handle_id(handle));
        if (FAILED(hr))
            return hr;
    }
    uint32_t latency = sim_engine_get()->latency_ms[type + 1];
    if (latency == HCSSIM_NEVER) {
        free_request(req); /* the operation stays Pending */
        return S_OK;
    }
    uint64_t due = hcs_clock_ms() + latency;
    if (sys) {
        if (due < sys->last_due_ms)
            due = sys->last_due_ms;
        sys->last_due_ms = due;
        sim_system_retain(sys);
        req->sys = sys;
    }
    if (sim_schedule(due, run_request, req) != 0) {
        if (req->op)
            sim_operation_complete(req->op, E_OUTOFMEMORY, NULL);
        return E_OUTOFMEMORY;
    }
    return S_OK;
}

static sim_request *new_request(void) { return calloc(1, sizeof(sim_request)); }

/* Common shape of the lifecycle calls: a valid handle, an options string
 * that is NULL, empty or JSON (hcs-api §11 #54), then the request. */
static HRESULT lifecycle(HCS_SYSTEM handle, HCS_OPERATION operation, PCWSTR options, HCS_OPERATION_TYPE type,
                         sim_action action)
{
    char detail[SIM_DETAIL_SIZE] = "";
    json_t *args = NULL;
    HRESULT hr = sim_json_in(options, &args, detail);
    if (FAILED(hr))
        return E_INVALIDARG;
    sim_system *sys = system_of(handle);
    sim_request *req = sys ? new_request() : NULL;
    if (!sys || !req) {
        json_decref(args);
        sim_system_release(sys);
        return sys ? E_OUTOFMEMORY : SIM_E_HANDLE;
    }
    req->args = args;
    sim_engine *e = sim_engine_get();
    hcs_mutex_lock(&e->mu);
    hr = submit(sys, handle, operation, type, action, req);
    hcs_mutex_unlock(&e->mu);
    if (FAILED(hr))
        free_request(req);
    sim_system_release(sys);
    return hr;
}

/* ---- actions (engine thread, engine lock held) ------------------------ */

/* The outcome for a request that needs a live system, or S_OK. */
static HRESULT gone(sim_system *sys, char **doc)
{
    if (sys->state == SIM_NEVER_CREATED)
        return fail(HCS_E_SYSTEM_NOT_FOUND, "the system was never created", doc);
    if (sys->state == SIM_STOPPED)
        return fail(HCS_E_SYSTEM_ALREADY_STOPPED, "the system has exited", doc);
    return S_OK;
}

static HRESULT do_create(sim_request *req, char **doc)
{
    if (FAILED(req->preset)) {
        req->sys->state = SIM_NEVER_CREATED;
        return fail(req->preset, req->preset_detail, doc);
    }
    req->sys->state = SIM_CREATED;
    return S_OK;
}

static HRESULT do_start(sim_request *req, char **doc)
{
    sim_system *sys = req->sys;
    HRESULT hr = gone(sys, doc);
    if (FAILED(hr))
        return hr;
    if (sys->state != SIM_CREATED)
        return fail(HCS_E_INVALID_STATE, "start needs a system in state Created", doc);
    sys->state = SIM_RUNNING;
    sys->started_ms = hcs_clock_ms();
    return S_OK;
}

static HRESULT do_terminate(sim_request *req, char **doc)
{
    HRESULT hr = gone(req->sys, doc);
    if (FAILED(hr))
        return hr;
    sim_system_exit(req->sys, S_OK, "ForcedExit");
    return S_OK;
}

static HRESULT do_shutdown(sim_request *req, char **doc)
{
    sim_system *sys = req->sys;
    HRESULT hr = gone(sys, doc);
    if (FAILED(hr))
        return hr;
    if (sys->state != SIM_RUNNING)
        return fail(HCS_E_INVALID_STATE, "shutdown needs a running guest", doc);
    if (sys->is_vm && !sys->has_guest_connection)
        return fail(SIM_E_NOT_SUPPORTED, "the virtual machine has no guest connection to shut down through", doc);
    sim_system_exit(sys, S_OK, "GracefulExit");
    return S_OK;
}

static HRESULT do_properties(sim_request *req, char **doc)
{
    char detail[SIM_DETAIL_SIZE];
    json_t *props = NULL;
    HRESULT hr = sim_system_query(req->sys, req->args, &props, detail);
    if (FAILED(hr))
        return fail(hr, detail, doc);
    *doc = json_dumps(props, JSON_COMPACT);
    json_decref(props);
    return *doc ? S_OK : E_OUTOFMEMORY;
}

static HRESULT do_enumerate(sim_request *req, char **doc)
{
    if (FAILED(req->preset))
        return fail(req->preset, req->preset_detail, doc);
    json_t *list = sim_registry_enumerate(sim_engine_get(), req->args);
    *doc = list ? json_dumps(list, JSON_COMPACT) : NULL;
    json_decref(list);
    return *doc ? S_OK : E_OUTOFMEMORY;
}

/* ---- exports ---------------------------------------------------------- */

HRESULT sim_system_create(PCWSTR id, PCWSTR configuration, HCS_OPERATION operation,
                          const SECURITY_DESCRIPTOR *security_descriptor, HCS_SYSTEM *out)
{
    if (!out)
        return E_POINTER;
    *out = NULL;
    if (!id || !configuration || security_descriptor)
        return E_INVALIDARG;
    char detail[SIM_DETAIL_SIZE] = "";
    char *name = NULL;
    if (FAILED(sim_text_in(id, &name, detail)) || !name[0]) {
        free(name);
        return E_INVALIDARG;
    }
    json_t *config = NULL;
    HRESULT verdict = sim_json_in(configuration, &config, detail);
    if (SUCCEEDED(verdict))
        verdict = sim_validate_compute_system(config, sim_max_schema_minor(), detail);

    sim_engine *e = sim_engine_get();
    hcs_mutex_lock(&e->mu);
    if (SUCCEEDED(verdict) && sim_registry_find(e, name)) {
        verdict = HCS_E_SYSTEM_ALREADY_EXISTS;
        snprintf(detail, sizeof detail, "a system with id \"%.200s\" already exists", name);
    }
    sim_system *sys = sim_system_new(e, name, SUCCEEDED(verdict) ? config : NULL);
    HCS_SYSTEM handle = sys ? new_handle(e, sys) : NULL;
    sim_request *req = handle ? new_request() : NULL;
    HRESULT hr = req ? S_OK : E_OUTOFMEMORY;
    if (req) {
        req->preset = verdict;
        req->preset_detail = FAILED(verdict) ? strdup(detail) : NULL;
        hr = submit(sys, handle, operation, HcsOperationTypeCreate, do_create, req);
        if (FAILED(hr))
            free_request(req);
    }
    if (SUCCEEDED(hr)) {
        if (SUCCEEDED(verdict))
            sim_registry_add(e, sys);
        *out = handle;
    } else if (handle) {
        /* Refused synchronously: the handle was never given out. */
        sys->handles--;
        hcs_object_release(hcs_table_remove(&e->handles, sim_handle_id(handle), SIM_KIND_SYSTEM_HANDLE));
    }
    hcs_mutex_unlock(&e->mu);
    sim_system_release(sys);
    json_decref(config);
    free(name);
    return hr;
}

HRESULT sim_system_open(PCWSTR id, DWORD requested_access, HCS_SYSTEM *out)
{
    if (!out)
        return E_POINTER;
    *out = NULL;
    char detail[SIM_DETAIL_SIZE];
    char *name = NULL;
    if (!id || FAILED(sim_text_in(id, &name, detail)) || requested_access != GENERIC_ALL) {
        free(name);
        return E_INVALIDARG;
    }
    sim_engine *e = sim_engine_get();
    hcs_mutex_lock(&e->mu);
    sim_system *sys = sim_registry_find(e, name);
    HRESULT hr = HCS_E_SYSTEM_NOT_FOUND;
    if (sys && sys->state != SIM_CREATING) {
        *out = new_handle(e, sys);
        hr = *out ? S_OK : E_OUTOFMEMORY;
    }
    hcs_mutex_unlock(&e->mu);
    free(name);
    return hr;
}

void sim_system_close(HCS_SYSTEM handle)
{
    sim_engine *e = sim_engine_get();
    sim_system_handle *h =
        (sim_system_handle *)hcs_table_remove(&e->handles, sim_handle_id(handle), SIM_KIND_SYSTEM_HANDLE);
    if (!h)
        return; /* double close or a bad handle: tolerated (§11 #55) */
    hcs_mutex_lock(&e->mu);
    sim_system *sys = h->sys;
    sys->handles--;
    bool terminate = sys->handles == 0 && sys->terminate_on_last_close && sim_system_alive(sys);
    if (terminate) {
        /* §11 #26: the last handle's close terminates the system. */
        sim_request *req = new_request();
        if (req && FAILED(submit(sys, NULL, NULL, HcsOperationTypeNone, do_terminate, req)))
            free_request(req);
    }
    hcs_mutex_unlock(&e->mu);
    hcs_object_release(&h->base);
}

HRESULT sim_system_start(HCS_SYSTEM handle, HCS_OPERATION operation, PCWSTR options)
{
    return lifecycle(handle, operation, options, HcsOperationTypeStart, do_start);
}

HRESULT sim_system_shutdown(HCS_SYSTEM handle, HCS_OPERATION operation, PCWSTR options)
{
    return lifecycle(handle, operation, options, HcsOperationTypeShutdown, do_shutdown);
}

HRESULT sim_system_terminate(HCS_SYSTEM handle, HCS_OPERATION operation, PCWSTR options)
{
    return lifecycle(handle, operation, options, HcsOperationTypeTerminate, do_terminate);
}

HRESULT sim_system_properties(HCS_SYSTEM handle, HCS_OPERATION operation, PCWSTR query)
{
    return lifecycle(handle, operation, query, HcsOperationTypeGetProperties, do_properties);
}

HRESULT sim_system_enumerate(PCWSTR query, HCS_OPERATION operation)
{
    char detail[SIM_DETAIL_SIZE] = "";
    json_t *args = NULL;
    HRESULT verdict = sim_json_in(query, &args, detail);
    if (SUCCEEDED(verdict))
        verdict = sim_registry_check_query(args, detail);
    sim_request *req = new_request();
    if (!req) {
        json_decref(args);
        return E_OUTOFMEMORY;
    }
    req->args = args;
    req->preset = verdict;
    req->preset_detail = FAILED(verdict) ? strdup(detail) : NULL;
    sim_engine *e = sim_engine_get();
    hcs_mutex_lock(&e->mu);
    HRESULT hr = submit(NULL, NULL, operation, HcsOperationTypeEnumerate, do_enumerate, req);
    hcs_mutex_unlock(&e->mu);
    if (FAILED(hr))
        free_request(req);
    return hr;
}
