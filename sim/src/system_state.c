/* Compute-system data, registry and descriptions (see system_state.h). */
#include "system_state.h"

#include "layer.h"
#include "migration.h"

#include "behaviour.h"
#include "config.h"
#include "fault.h"
#include "handle.h"
#include "hcn.h"
#include "process.h"
#include "request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void destroy(hcs_object *o)
{
    sim_system *sys = (sim_system *)o;
    if (sys->network_namespace) /* before the id it names goes */
        hcssim__hcn_detach_container(sys->network_namespace, sys->id);
    free(sys->network_namespace);
    free(sys->id);
    free(sys->ns);
    free(sys->owner);
    free(sys->host_name);
    free(sys->scratch);
    json_decref(sys->devices);
    json_decref(sys->compatibility);
    free(sys->exit_status);
    hcs__cond_destroy(&sys->exited);
    free(sys);
    atomic_fetch_sub(&hcssim__engine_get()->live_systems, 1);
}

sim_system *hcssim__system_new(sim_engine *e, const char *ns, const char *id, const json_t *config)
{
    sim_system *sys = calloc(1, sizeof *sys);
    if (!sys)
        return NULL;
    hcs_object_init(&sys->base, destroy);
    hcs__cond_init(&sys->exited);
    atomic_fetch_add(&e->live_systems, 1);
    sys->id = strdup(id);
    sys->ns = ns ? strdup(ns) : NULL;
    const char *owner = json_string_value(json_object_get(config, "Owner"));
    const char *host_name = hcssim__config_host_name(config);
    const char *network_ns = json_string_value(
        json_object_get(json_object_get(json_object_get(config, "Container"), "Networking"), "Namespace"));
    sys->owner = owner ? strdup(owner) : NULL;
    sys->host_name = host_name ? strdup(host_name) : NULL;
    sys->scratch = hcssim__layer_scratch(config);
    sys->network_namespace = network_ns ? strdup(network_ns) : NULL;
    json_t *vm = json_object_get(config, "VirtualMachine");
    json_t *devices = json_object_get(vm, "Devices");
    sys->is_vm = vm != NULL;
    sys->devices = vm ? (devices ? json_deep_copy(devices) : json_object()) : NULL;
    if (!sys->id || (owner && !sys->owner) || (host_name && !sys->host_name) || (ns && !sys->ns) ||
        (network_ns && !sys->network_namespace) || (vm && !sys->devices)) {
        destroy(&sys->base);
        return NULL;
    }
    json_t *guest_connection = json_object_get(vm, "GuestConnection");
    sys->has_guest_connection = guest_connection != NULL;
    sys->connected_suspend = json_is_true(json_object_get(guest_connection, "UseConnectedSuspend"));
    sys->crash_reporting = json_object_get(devices, "GuestCrashReporting") != NULL;
    json_t *topology = json_object_get(vm, "ComputeTopology");
    sys->memory_mb = (uint64_t)json_integer_value(json_object_get(json_object_get(topology, "Memory"), "SizeInMB"));
    json_t *count = json_object_get(json_object_get(topology, "Processor"), "Count");
    sys->processor_count = count ? (uint32_t)json_integer_value(count) : 1; /* Hyper-V's default: one */
    sys->terminate_on_last_close = json_is_true(json_object_get(config, "ShouldTerminateOnLastHandleClosed"));
    sys->compatibility = hcssim__lm_compatibility_read(json_string_value(
        json_object_get(json_object_get(json_object_get(vm, "MigrationOptions"), "CompatibilityData"), "Data")));
    sys->state = SIM_CREATING;
    uint64_t n = e->next_runtime_id++;
    snprintf(sys->runtime_id, sizeof sys->runtime_id, "5f0c1b2e-0000-4000-8000-%012llx",
             (unsigned long long)(n & 0xFFFFFFFFFFFFull));
    return sys;
}

void hcssim__system_retain(sim_system *sys) { hcs_object_retain(&sys->base); }

void hcssim__system_release(sim_system *sys)
{
    if (sys)
        hcs_object_release(&sys->base);
}

bool hcssim__system_alive(const sim_system *sys)
{
    return sys->state != SIM_NEVER_CREATED && sys->state != SIM_STOPPED;
}

static void registry_remove(sim_engine *e, sim_system *sys)
{
    if (!sys->registered)
        return;
    *(sys->prev ? &sys->prev->next : &e->systems) = sys->next;
    if (sys->next)
        sys->next->prev = sys->prev;
    sys->next = sys->prev = NULL;
    hcs__hash_remove(&e->system_ids, &sys->by_id);
    sys->registered = false;
    hcssim__system_release(sys);
}

void hcssim__system_post(sim_system *sys, HCS_EVENT_TYPE type, const char *name, const char *data)
{
    hcssim__handles_post(sys->handle_list, type, data, hcssim__fault_event_copies(name, sys->id));
}

static char *exit_status_json(HRESULT status, const char *exit_type, json_t *attribution)
{
    json_t *doc = json_pack("{s:i, s:s}", "Status", (json_int_t)status, "ExitType", exit_type);
    if (doc && attribution)
        json_object_set_new(doc, "Attribution", json_pack("[O]", attribution));
    json_decref(attribution);
    char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    return text;
}

void hcssim__system_exit(sim_system *sys, HRESULT status, const char *exit_type, json_t *attribution)
{
    if (!hcssim__system_alive(sys)) {
        json_decref(attribution);
        return;
    }
    bool connected = sys->is_vm && sys->has_guest_connection && sys->state != SIM_CREATED && sys->state != SIM_CREATING;
    /* Statistics keep their last values (inferred, §11 #30): the memory the
     * processes held and the uptime at this moment. */
    sys->exit_memory = hcssim__processes_memory(sys);
    sys->stopped_ms = hcs__clock_ms();
    sys->state = SIM_STOPPED;
    sys->exit_type = exit_type;
    sys->exit_status = exit_status_json(status, exit_type, attribution);
    registry_remove(hcssim__engine_get(), sys);
    if (sys->network_namespace) /* a stopped container leaves its namespace (storage-and-network §3.5) */
        hcssim__hcn_detach_container(sys->network_namespace, sys->id);
    hcssim__lm_end(sys);
    hcssim__processes_end_all(sys);
    hcssim__requests_fail(&sys->parked, HCS_E_SYSTEM_ALREADY_STOPPED, "the system exited before the call completed");
    if (connected) /* the guest connection goes first, expected or not (hcs-api §4.1) */
        hcssim__system_post(sys, HcsEventSystemGuestConnectionClosed, "SystemGuestConnectionClosed", NULL);
    hcssim__system_post(sys, HcsEventSystemExited, "SystemExited", sys->exit_status);
    hcs__cond_broadcast(&sys->exited);
}

static int ascii_lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* The registry's key: the id and the namespace, both compared without ASCII
 * case (§11 #31), so they hash folded. */
static uint64_t registry_hash(const char *ns, const char *id)
{
    return hcs__hash_u64(hcs__hash_ascii_fold(id) ^ (ns ? hcs__hash_ascii_fold(ns) * 31u : 0));
}

void hcssim__registry_add(sim_engine *e, sim_system *sys)
{
    hcssim__system_retain(sys);
    sys->registered = true;
    sys->prev = NULL;
    sys->next = e->systems;
    if (e->systems)
        e->systems->prev = sys;
    e->systems = sys;
    hcs__hash_insert(&e->system_ids, &sys->by_id, registry_hash(sys->ns, sys->id));
}

static bool same_id(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (ascii_lower((unsigned char)*a) != ascii_lower((unsigned char)*b))
            return false;
    return *a == *b;
}

static bool same_namespace(const char *a, const char *b) { return a && b ? same_id(a, b) : a == b; }

sim_system *hcssim__registry_find(sim_engine *e, const char *ns, const char *id)
{
    uint64_t hash = registry_hash(ns, id);
    for (hcs_hash_node *n = hcs__hash_first(&e->system_ids, hash); n; n = hcs__hash_next(n, hash)) {
        sim_system *s = HCS_HASH_ENTRY(n, sim_system, by_id);
        if (same_id(s->id, id) && same_namespace(s->ns, ns))
            return s;
    }
    return NULL;
}

static const char *const query_fields[] = {"Ids", "Names", "Types", "Owners"};

HRESULT hcssim__registry_check_query(const json_t *query, char detail[SIM_DETAIL_SIZE])
{
    if (!query)
        return S_OK;
    if (!json_is_object(query)) {
        hcssim__detail(detail, "SystemQuery: expected a JSON object");
        return HCS_E_INVALID_JSON;
    }
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)query, key, value)
    {
        size_t f = 0;
        while (f < 4 && strcmp(query_fields[f], key) != 0)
            f++;
        if (f == 4) {
            hcssim__detail(detail, "SystemQuery.%.*s: unknown field", hcssim__clip(key, 100), key);
            return HCS_E_INVALID_JSON;
        }
        size_t i;
        json_t *item;
        bool ok = json_is_array(value) || json_is_null(value);
        json_array_foreach(value, i, item) ok = ok && json_is_string(item);
        if (!ok) {
            hcssim__detail(detail, "SystemQuery.%s: expected an array of strings", key);
            return HCS_E_INVALID_JSON;
        }
    }
    return S_OK;
}

static const char *system_type(const sim_system *sys) { return sys->is_vm ? "VirtualMachine" : "Container"; }

/* A system matches when, for every non-empty list, its value is listed
 * (hcs-api §8.3, inferred: AND across fields, OR within one). */
static bool listed(const json_t *query, const char *field, const char *value)
{
    json_t *list = json_object_get(query, field);
    if (json_array_size(list) == 0)
        return true;
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item)
    {
        if (value && same_id(json_string_value(item), value))
            return true;
    }
    return false;
}

static bool matches(const sim_system *sys, const json_t *query)
{
    return listed(query, "Ids", sys->id) && listed(query, "Names", sys->id) &&
           listed(query, "Types", system_type(sys)) && listed(query, "Owners", sys->owner);
}

static const char *state_name(sim_state s)
{
    switch (s) {
    case SIM_CREATED:
        return "Created";
    case SIM_RUNNING:
        return "Running";
    case SIM_PAUSED:
        return "Paused";
    case SIM_SAVED_AS_TEMPLATE:
        return "SavedAsTemplate";
    case SIM_STOPPED:
        return "Stopped";
    default:
        return "Unknown";
    }
}

json_t *hcssim__system_basic_properties(const sim_system *sys)
{
    json_t *p =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "Id", sys->id, "Name", sys->id, "SystemType", system_type(sys),
                  "RuntimeOsType", "Windows", "RuntimeId", sys->runtime_id, "State", state_name(sys->state));
    if (p && sys->owner)
        json_object_set_new(p, "Owner", json_string(sys->owner));
    if (p && sys->state == SIM_STOPPED) {
        json_object_set_new(p, "Stopped", json_true());
        json_object_set_new(p, "ExitType", json_string(sys->exit_type));
    }
    return p;
}

json_t *hcssim__registry_enumerate(sim_engine *e, const char *ns, const json_t *query)
{
    json_t *list = json_array();
    for (sim_system *s = e->systems; s && list; s = s->next)
        if (s->state != SIM_CREATING && same_namespace(s->ns, ns) && matches(s, query))
            json_array_append_new(list, hcssim__system_basic_properties(s));
    return list;
}

const char *hcssim__system_host_name(const sim_system *sys) { return sys->host_name ? sys->host_name : sys->id; }
