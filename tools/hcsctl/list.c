/* The verbs that read what HCS knows: list, inspect, ps, service. Each
 * reads the typed document (properties.h) and prints a table, or the
 * document itself as JSON with HCS's member names. */
#include "commands.h"
#include "json_out.h"

#include <stdlib.h>
#include <string.h>

static const char *field(const char *s) { return s ? s : "-"; }

/* Appends the JSON of `count` schema values of `type`, stored one after
 * the other `size` bytes apart, as an array. Unknown members are written
 * back as HCS sent them (schema.h). */
static int32_t encode_array(hcs_schema_type type, const void *items, size_t size, size_t count, hcsctl_buf *b,
                            hcs_error *err)
{
    hcsctl_buf_printf(b, "[");
    for (size_t i = 0; i < count; i++) {
        char *json = NULL;
        int32_t hr = hcs_schema_encode(type, (const char *)items + i * size, NULL, &json, err);
        if (hr != HCS_OK)
            return hr;
        hcsctl_buf_printf(b, "%s%s", i ? "," : "", json);
        hcs_free(json);
    }
    hcsctl_buf_printf(b, "]");
    return b->failed ? HCS_COM_E_OUTOFMEMORY : HCS_OK;
}

/* The canonical spelling of an enum's value named `text` (any case), or
 * NULL when the enum has no such value. */
static const char *enum_value(hcs_schema_type type, const char *text)
{
    const hcs_schema_type_desc *d = hcs_schema_type_info(type);
    for (size_t i = 0; d && i < d->count; i++) {
        const char *name = d->values[i].name;
        size_t n = strlen(name);
        bool same = strlen(text) == n;
        for (size_t k = 0; same && k < n; k++)
            same = (name[k] | 0x20) == (text[k] | 0x20);
        if (same)
            return name;
    }
    return NULL;
}

/* ---- list --------------------------------------------------------------- */

/* A SystemQuery with the --owner and --type filters, or NULL for none. */
static int32_t system_query(const hcsctl_args *args, char **query, hcs_error *err)
{
    size_t owners_n, types_n;
    const char *const *owners = hcsctl_arg_values(args, "owner", &owners_n);
    const char *const *types = hcsctl_arg_values(args, "type", &types_n);
    *query = NULL;
    if (!owners_n && !types_n)
        return HCS_OK;
    hcs_schema_doc *doc = hcs_schema_doc_new(HCS_SCHEMA_SystemQuery);
    hcs_SystemQuery *q = doc ? hcs_schema_doc_root(doc) : NULL;
    if (q && owners_n) {
        q->Owners = hcs_schema_alloc(doc, owners_n * sizeof *q->Owners);
        for (size_t i = 0; q->Owners && i < owners_n; i++)
            q->Owners[q->Owners_count++] = owners[i];
    }
    if (q && types_n) {
        q->Types = hcs_schema_alloc(doc, types_n * sizeof *q->Types);
        for (size_t i = 0; q->Types && i < types_n; i++) {
            const char *known = enum_value(HCS_SCHEMA_SystemType, types[i]);
            q->Types[q->Types_count++] = (hcs_enum){0, known ? known : types[i]};
        }
    }
    int32_t hr = q ? hcs_schema_encode(HCS_SCHEMA_SystemQuery, q, NULL, query, err) : HCS_COM_E_OUTOFMEMORY;
    hcs_schema_doc_free(doc);
    return hr;
}

static bool state_wanted(const hcsctl_args *args, const hcs_Properties *p)
{
    size_t n;
    const char *const *states = hcsctl_arg_values(args, "state", &n);
    for (size_t i = 0; i < n; i++)
        if (p->State.text && strcmp(enum_value(HCS_SCHEMA_State, states[i]), p->State.text) == 0)
            return true;
    return n == 0;
}

static void print_systems(const hcs_Properties *items, size_t count)
{
    int id_w = 2, type_w = 4, state_w = 5, owner_w = 5;
    for (size_t i = 0; i < count; i++) {
        int w[4] = {(int)strlen(field(items[i].Id)), (int)strlen(field(items[i].SystemType.text)),
                    (int)strlen(field(items[i].State.text)), (int)strlen(field(items[i].Owner))};
        id_w = w[0] > id_w ? w[0] : id_w;
        type_w = w[1] > type_w ? w[1] : type_w;
        state_w = w[2] > state_w ? w[2] : state_w;
        owner_w = w[3] > owner_w ? w[3] : owner_w;
    }
    printf("%-*s  %-*s  %-*s  %-*s  %s\n", id_w, "ID", type_w, "TYPE", state_w, "STATE", owner_w, "OWNER",
           "RUNTIME ID");
    for (size_t i = 0; i < count; i++)
        printf("%-*s  %-*s  %-*s  %-*s  %s\n", id_w, field(items[i].Id), type_w, field(items[i].SystemType.text),
               state_w, field(items[i].State.text), owner_w, field(items[i].Owner), field(items[i].RuntimeId));
}

int hcsctl_list(hcsctl_ctx *ctx, const hcsctl_args *args)
{
    size_t n;
    const char *const *states = hcsctl_arg_values(args, "state", &n);
    for (size_t i = 0; i < n; i++)
        if (!enum_value(HCS_SCHEMA_State, states[i]))
            return hcsctl_usage_error(args->verb,
                                      "no state \"%s\" (HCS's are Created, Running, Paused, Stopped, "
                                      "SavedAsTemplate, Unknown)",
                                      states[i]);
    int rc = hcsctl_client(ctx);
    if (rc != HCSCTL_EXIT_OK)
        return rc;
    hcs_error err = HCS_ERROR_INIT;
    char *query = NULL;
    hcs_schema_doc *doc = NULL;
    hcs_Properties *items = NULL;
    size_t count = 0;
    int32_t hr = system_query(args, &query, &err);
    if (hr == HCS_OK)
        hr = hcs_system_enumerate(ctx->client, query, hcsctl_call_timeout(ctx), &doc, &items, &count, &err);
    hcs_free(query);
    if (hr != HCS_OK) {
        rc = hcsctl_report(ctx, NULL, (hcs_system){0}, &err);
        hcs_error_clear(&err);
        return rc;
    }
    /* The systems in the wanted states, moved to the front. */
    size_t kept = 0;
    for (size_t i = 0; i < count; i++)
        if (state_wanted(args, &items[i]))
            items[kept++] = items[i];
    if (hcsctl_arg_count(args, "quiet")) {
        for (size_t i = 0; i < kept; i++)
            printf("%s\n", field(items[i].Id));
    } else if (hcsctl_arg_count(args, "json")) {
        hcsctl_buf b = {0};
        hr = encode_array(HCS_SCHEMA_Properties, items, sizeof *items, kept, &b, &err);
        if (hr == HCS_OK)
            hcsctl_json_pretty(stdout, hcsctl_buf_text(&b));
        else
            rc = hcsctl_report(ctx, NULL, (hcs_system){0}, &err);
        hcsctl_buf_free(&b);
    } else {
        print_systems(items, kept);
    }
    hcs_schema_doc_free(doc);
    hcs_error_clear(&err);
    return rc;
}

/* ---- inspect ------------------------------------------------------------ */

/* A System_PropertyQuery for the --type values; names the schema does not
 * know go to HCS as given, for HCS to judge. NULL for none. */
static int32_t property_query(const char *const *types, size_t n, char **query, hcs_error *err)
{
    *query = NULL;
    if (!n)
        return HCS_OK;
    hcs_schema_doc *doc = hcs_schema_doc_new(HCS_SCHEMA_System_PropertyQuery);
    hcs_System_PropertyQuery *q = doc ? hcs_schema_doc_root(doc) : NULL;
    if (q)
        q->PropertyTypes = hcs_schema_alloc(doc, n * sizeof *q->PropertyTypes);
    for (size_t i = 0; q && q->PropertyTypes && i < n; i++) {
        const char *known = enum_value(HCS_SCHEMA_System_PropertyType, types[i]);
        q->PropertyTypes[q->PropertyTypes_count++] = (hcs_enum){0, known ? known : types[i]};
    }
    int32_t hr = q && q->PropertyTypes ? hcs_schema_encode(HCS_SCHEMA_System_PropertyQuery, q, NULL, query, err)
                                       : HCS_COM_E_OUTOFMEMORY;
    hcs_schema_doc_free(doc);
    return hr;
}

int hcsctl_inspect(hcsctl_ctx *ctx, const hcsctl_args *args)
{
    const char *id = args->positional[0];
    hcs_system sys;
    int rc = hcsctl_open_system(ctx, id, &sys);
    if (rc != HCSCTL_EXIT_OK)
        return rc;
    size_t n;
    const char *const *types = hcsctl_arg_values(args, "type", &n);
    hcs_error err = HCS_ERROR_INIT;
    char *query = NULL, *props = NULL;
    int32_t hr = property_query(types, n, &query, &err);
    if (hr == HCS_OK)
        hr = hcs_system_properties_json(sys, query, hcsctl_call_timeout(ctx), &props, &err);
    if (hr == HCS_OK)
        hcsctl_json_pretty(stdout, props);
    else
        rc = hcsctl_report(ctx, id, sys, &err);
    hcs_free(query);
    hcs_free(props);
    hcs_error_clear(&err);
    hcs_system_close(sys);
    return rc;
}

/* ---- ps ----------------------------------------------------------------- */

/* "1.25s" of a 100 ns count. */
static void cpu_time(char *buf, size_t size, const hcs_ProcessDetails *p)
{
    uint64_t t = (p->has_UserTime100ns ? p->UserTime100ns : 0) + (p->has_KernelTime100ns ? p->KernelTime100ns : 0);
    snprintf(buf, size, "%llu.%02llus", (unsigned long long)(t / HCS_100NS_PER_SECOND),
             (unsigned long long)(t % HCS_100NS_PER_SECOND / 100000));
}

/* "12.0 MiB" */
static void mebibytes(char *buf, size_t size, bool has, uint64_t bytes)
{
    if (has)
        snprintf(buf, size, "%.1f MiB", (double)bytes / (1024.0 * 1024.0));
    else
        snprintf(buf, size, "-");
}

static void print_processes(const hcs_ProcessDetails *p, size_t count)
{
    int image_w = 5;
    for (size_t i = 0; i < count; i++)
        image_w = (int)strlen(field(p[i].ImageName)) > image_w ? (int)strlen(field(p[i].ImageName)) : image_w;
    printf("%-8s  %-*s  %10s  %12s  %s\n", "PID", image_w, "IMAGE", "CPU", "MEMORY", "CREATED");
    for (size_t i = 0; i < count; i++) {
        char cpu[32], mem[32];
        cpu_time(cpu, sizeof cpu, &p[i]);
        mebibytes(mem, sizeof mem, p[i].has_MemoryWorkingSetPrivateBytes, p[i].MemoryWorkingSetPrivateBytes);
        printf("%-8u  %-*s  %10s  %12s  %s\n", p[i].ProcessId, image_w, field(p[i].ImageName), cpu, mem,
               field(p[i].CreateTimestamp));
    }
}

int hcsctl_ps(hcsctl_ctx *ctx, const hcsctl_args *args)
{
    const char *id = args->positional[0];
    hcs_system sys;
    int rc = hcsctl_open_system(ctx, id, &sys);
    if (rc != HCSCTL_EXIT_OK)
        return rc;
    hcs_error err = HCS_ERROR_INIT;
    hcs_schema_doc *doc = NULL;
    hcs_Properties *props = NULL;
    int32_t hr = hcs_system_properties(sys, "{\"PropertyTypes\":[\"ProcessList\"]}", hcsctl_call_timeout(ctx), &doc,
                                       &props, &err);
    if (hr == HCS_OK && hcsctl_arg_count(args, "json")) {
        hcsctl_buf b = {0};
        hr = encode_array(HCS_SCHEMA_ProcessDetails, props->ProcessList, sizeof *props->ProcessList,
                          props->ProcessList_count, &b, &err);
        if (hr == HCS_OK)
            hcsctl_json_pretty(stdout, hcsctl_buf_text(&b));
        hcsctl_buf_free(&b);
    } else if (hr == HCS_OK) {
        print_processes(props->ProcessList, props->ProcessList_count);
    }
    if (hr != HCS_OK)
        rc = hcsctl_report(ctx, id, sys, &err);
    hcs_schema_doc_free(doc);
    hcs_error_clear(&err);
    hcs_system_close(sys);
    return rc;
}

/* ---- service ------------------------------------------------------------ */

int hcsctl_service(hcsctl_ctx *ctx, const hcsctl_args *args)
{
    int rc = hcsctl_client(ctx);
    if (rc != HCSCTL_EXIT_OK)
        return rc;
    hcs_error err = HCS_ERROR_INIT;
    char *provider = NULL, *props = NULL;
    hcs_schema_version versions[32];
    size_t count = 0;
    int32_t hr = hcs_client_provider(ctx->client, &provider, &err);
    if (hr == HCS_OK)
        hr = hcs_service_schema_versions(ctx->client, versions, 32, &count, &err);
    if (hr == HCS_OK)
        hr = hcs_service_properties_json(ctx->client, "{\"PropertyTypes\":[\"Basic\"]}", &props, &err);
    if (hr != HCS_OK) {
        rc = hcsctl_report(ctx, NULL, (hcs_system){0}, &err);
    } else if (hcsctl_arg_count(args, "json")) {
        hcsctl_buf b = {0};
        hcsctl_buf_printf(&b, "{\"Provider\":");
        hcsctl_buf_json_string(&b, provider);
        hcsctl_buf_printf(&b, ",\"SupportedSchemaVersions\":[");
        for (size_t i = 0; i < count && i < 32; i++)
            hcsctl_buf_printf(&b, "%s{\"Major\":%u,\"Minor\":%u}", i ? "," : "", versions[i].major, versions[i].minor);
        hcsctl_buf_printf(&b, "],\"ServiceProperties\":%s}", props);
        hcsctl_json_pretty(stdout, hcsctl_buf_text(&b));
        hcsctl_buf_free(&b);
    } else {
        printf("provider:         %s\nlibhcs:           %s\nschema versions: ", provider, hcs_version_string());
        for (size_t i = 0; i < count && i < 32; i++)
            printf(" %u.%u", versions[i].major, versions[i].minor);
        printf("\n");
    }
    hcs_free(provider);
    hcs_free(props);
    hcs_error_clear(&err);
    return rc;
}
