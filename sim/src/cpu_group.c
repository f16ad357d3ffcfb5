/* CPU groups (see cpu_group.h). Choices the documentation leaves open are
 * marked "inferred" and listed in docs/simulator-fidelity.md. */
#include "cpu_group.h"

#include "host.h"
#include "profile.h"
#include "result.h"
#include "util/guid.h"

#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const operations[] = {"CreateGroup", "DeleteGroup", "SetProperty", NULL};

/* HostProcessorModificationRequest and its OperationDetails (2.1). */
static const sim_member request_members[] = {
    {"Operation", JSON_STRING, 1, operations, NULL, 0},
    {"OperationDetails", JSON_OBJECT, 1, NULL, NULL, 0},
};
static const sim_member create_members[] = {
    {"GroupId", JSON_STRING, 1, NULL, NULL, 0},
    {"LogicalProcessorCount", JSON_INTEGER, 1, NULL, NULL, 0},
    {"LogicalProcessors", JSON_ARRAY, 1, NULL, NULL, 0},
};
static const sim_member delete_members[] = {
    {"GroupId", JSON_STRING, 1, NULL, NULL, 0},
};
static const sim_member set_members[] = {
    {"GroupId", JSON_STRING, 1, NULL, NULL, 0},
    {"PropertyCode", JSON_INTEGER, 1, NULL, NULL, 0},
    {"PropertyValue", JSON_INTEGER, 1, NULL, NULL, 0},
};

static json_t *groups_of(sim_engine *e)
{
    if (!e->cpu_groups)
        e->cpu_groups = json_array();
    return e->cpu_groups;
}

/* A copy: the answer is written out after the engine lock is released. */
json_t *hcssim__cpu_groups(sim_engine *e) { return json_pack("{s:o}", "CpuGroups", json_deep_copy(groups_of(e))); }

static int ascii_lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* GUIDs compare without regard to case (hcsshim sends them upper-case). */
static bool same_guid(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (ascii_lower((unsigned char)*a) != ascii_lower((unsigned char)*b))
            return false;
    return *a == *b;
}

/* The index of the group with this id in the list, or -1. */
static long find(json_t *groups, const char *id)
{
    size_t i;
    json_t *g;
    json_array_foreach(groups, i, g)
    {
        if (same_guid(json_string_value(json_object_get(g, "GroupId")), id))
            return (long)i;
    }
    return -1;
}

static HRESULT fail(HRESULT hr, char detail[SIM_DETAIL_SIZE], const char *what, const char *id)
{
    hcssim__detail(detail, "CpuGroup%s%s: %s", id ? " " : "", id ? id : "", what);
    return hr;
}

/* The group's processors: LogicalProcessors, each a host processor once;
 * LogicalProcessorCount, when given, is their number. Without a list, the
 * first LogicalProcessorCount processors (inferred). */
static HRESULT read_processors(const json_t *details, json_t **out, char detail[SIM_DETAIL_SIZE])
{
    const json_t *list = json_object_get(details, "LogicalProcessors");
    const json_t *count = json_object_get(details, "LogicalProcessorCount");
    json_int_t n = list ? (json_int_t)json_array_size(list) : json_integer_value(count);
    if (count && json_integer_value(count) != n)
        return fail(E_INVALIDARG, detail, "LogicalProcessorCount does not match LogicalProcessors", NULL);
    if (n < 1 || n > (json_int_t)SIM_HOST_LOGICAL_PROCESSORS)
        return fail(E_INVALIDARG, detail, "LogicalProcessors: a group needs 1 to 16 of the host's processors", NULL);
    bool used[SIM_HOST_LOGICAL_PROCESSORS] = {false};
    *out = json_array();
    for (json_int_t i = 0; *out && i < n; i++) {
        json_t *item = list ? json_array_get(list, (size_t)i) : NULL;
        json_int_t lp = list ? json_integer_value(item) : i;
        if ((list && !json_is_integer(item)) || lp < 0 || lp >= (json_int_t)SIM_HOST_LOGICAL_PROCESSORS || used[lp]) {
            json_decref(*out);
            *out = NULL;
            return fail(E_INVALIDARG, detail, "LogicalProcessors must name distinct host processors 0 to 15", NULL);
        }
        used[lp] = true;
        json_array_append_new(*out, json_integer(lp));
    }
    return *out ? S_OK : E_OUTOFMEMORY;
}

static HRESULT create(sim_engine *e, const char *id, const json_t *details, char detail[SIM_DETAIL_SIZE])
{
    json_t *groups = groups_of(e);
    if (find(groups, id) >= 0)
        return fail(SIM_E_ALREADY_EXISTS, detail, "a group with this id already exists", id);
    json_t *lps = NULL;
    HRESULT hr = read_processors(details, &lps, detail);
    if (FAILED(hr))
        return hr;
    json_t *group = json_pack("{s:s, s:{s:I, s:o}, s:[]}", "GroupId", id, "Affinity", "LogicalProcessorCount",
                              (json_int_t)json_array_size(lps), "LogicalProcessors", lps, "GroupProperties");
    if (group && sim_max_schema_minor() >= 5) /* HypervisorGroupId is 2.5 */
        json_object_set_new(group, "HypervisorGroupId", json_integer((json_int_t)++e->next_hv_group_id));
    return group && json_array_append_new(groups, group) == 0 ? S_OK : E_OUTOFMEMORY;
}

/* Sets (or replaces) one GroupProperties entry. */
static HRESULT set_property(json_t *group, const json_t *details, char detail[SIM_DETAIL_SIZE])
{
    json_int_t code = json_integer_value(json_object_get(details, "PropertyCode"));
    json_int_t value = json_integer_value(json_object_get(details, "PropertyValue"));
    if (!json_object_get(details, "PropertyCode") || code < 0 || code > 0xFFFFFFFF || value < 0)
        return fail(E_INVALIDARG, detail, "SetProperty needs a PropertyCode (uint32) and a PropertyValue (uint64)",
                    json_string_value(json_object_get(group, "GroupId")));
    json_t *props = json_object_get(group, "GroupProperties");
    size_t i;
    json_t *p;
    json_array_foreach(props, i, p)
    {
        if (json_integer_value(json_object_get(p, "PropertyCode")) == code)
            return json_object_set_new(p, "PropertyValue", json_integer(value)) == 0 ? S_OK : E_OUTOFMEMORY;
    }
    return json_array_append_new(props, json_pack("{s:I, s:I}", "PropertyCode", code, "PropertyValue", value)) == 0
               ? S_OK
               : E_OUTOFMEMORY;
}

static const sim_member *details_of(const char *op, size_t *count)
{
    if (strcmp(op, "CreateGroup") == 0) {
        *count = COUNT(create_members);
        return create_members;
    }
    if (strcmp(op, "DeleteGroup") == 0) {
        *count = COUNT(delete_members);
        return delete_members;
    }
    *count = COUNT(set_members);
    return set_members;
}

HRESULT hcssim__cpu_group_modify(sim_engine *e, const json_t *settings, char detail[SIM_DETAIL_SIZE])
{
    int minor = sim_max_schema_minor();
    HRESULT hr = hcssim__check_members(settings, "HostProcessorModificationRequest", request_members,
                                       COUNT(request_members), minor, detail);
    const char *op = json_string_value(json_object_get(settings, "Operation"));
    const json_t *details = json_object_get(settings, "OperationDetails");
    if (SUCCEEDED(hr) && (!op || !details))
        return fail(HCS_E_INVALID_JSON, detail, "expected Operation and OperationDetails", NULL);
    size_t count = 0;
    const sim_member *members = SUCCEEDED(hr) ? details_of(op, &count) : NULL;
    if (SUCCEEDED(hr))
        hr = hcssim__check_members(details, "OperationDetails", members, count, minor, detail);
    if (FAILED(hr))
        return hr;
    const char *id = json_string_value(json_object_get(details, "GroupId"));
    if (!id || !hcs__guid_is_text(id, strlen(id))) {
        hcssim__detail(detail, "ModificationRequest.Settings.OperationDetails.GroupId: expected a GUID");
        return E_INVALIDARG;
    }
    if (same_guid(id, "00000000-0000-0000-0000-000000000000"))
        return fail(E_INVALIDARG, detail, "the null GUID names no group", id);
    if (strcmp(op, "CreateGroup") == 0)
        return create(e, id, details, detail);
    long at = find(groups_of(e), id);
    if (at < 0)
        return fail(SIM_E_NOT_FOUND, detail, "no such group", id);
    if (strcmp(op, "DeleteGroup") == 0)
        return json_array_remove(e->cpu_groups, (size_t)at) == 0 ? S_OK : E_OUTOFMEMORY;
    return set_property(json_array_get(e->cpu_groups, (size_t)at), details, detail);
}
