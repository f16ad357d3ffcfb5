/* network, endpoint, namespace: HCN's objects (libhcs's network.h), each
 * verb with its subcommands. HCN objects are the host's: with the
 * embedded simulator they end with the command, so use hcssimd (or
 * Windows' HCN) to keep them between commands. */
#include "commands.h"
#include "json_out.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char v2_query[] = "{\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}";

/* One HCN object type as these verbs use it. */
typedef struct kind {
    const char *noun;
    int32_t (*enumerate)(hcs_client, const char *, char **, hcs_error *);
    int32_t (*properties)(hcs_client, const char *id, char **json, hcs_error *);
    int32_t (*remove)(hcs_client, const char *, hcs_error *);
} kind;

/* The V2 document of an object by id: open, ask, close. */
#define PROPERTIES_OF(T)                                                                                               \
    static int32_t T##_document(hcs_client client, const char *id, char **json, hcs_error *err)                        \
    {                                                                                                                  \
        hcs_##T h;                                                                                                     \
        int32_t hr = hcs_##T##_open(client, id, &h, err);                                                              \
        if (hr == HCS_OK) {                                                                                            \
            hr = hcs_##T##_properties_json(h, v2_query, json, err);                                                    \
            hcs_##T##_close(h);                                                                                        \
        }                                                                                                              \
        return hr;                                                                                                     \
    }
PROPERTIES_OF(network)
PROPERTIES_OF(endpoint)
PROPERTIES_OF(namespace)

static const kind networks = {"network", hcs_network_enumerate, network_document, hcs_network_delete};
static const kind endpoints = {"endpoint", hcs_endpoint_enumerate, endpoint_document, hcs_endpoint_delete};
static const kind namespaces = {"namespace", hcs_namespace_enumerate, namespace_document, hcs_namespace_delete};

/* A failed HCN call: libhcs's message (the call, what HCN said, the code
 * and its name) with the object it was about. HCN has no timeouts. */
static int report_on(const char *noun, const char *id, hcs_error *err)
{
    hcsctl_say("%s%s%s: %s", noun, id ? " " : "", id ? id : "", err->message ? err->message : "failed");
    hcs_error_clear(err);
    return HCSCTL_EXIT_FAILURE;
}

/* The same about the verb's own kind of object. */
static int report(hcsctl_ctx *ctx, const char *id, hcs_error *err) { return report_on(ctx->verb->name, id, err); }

/* A query whose filter is {key: value} (HostComputeQuery: Filter is a
 * string holding an object), or the plain V2 query. */
static char *filter_query(const char *key, const char *value)
{
    hcsctl_buf inner = {0}, q = {0};
    if (key) {
        hcsctl_buf_printf(&inner, "{");
        hcsctl_buf_json_string(&inner, key);
        hcsctl_buf_printf(&inner, ":");
        hcsctl_buf_json_string(&inner, value);
        hcsctl_buf_printf(&inner, "}");
    }
    hcsctl_buf_printf(&q, "{\"SchemaVersion\":{\"Major\":2,\"Minor\":0}%s", key ? ",\"Filter\":" : "");
    if (key)
        hcsctl_buf_json_string(&q, hcsctl_buf_text(&inner));
    hcsctl_buf_printf(&q, "}");
    char *text = q.failed || inner.failed ? NULL : hcsctl_copy(hcsctl_buf_text(&q));
    hcsctl_buf_free(&inner);
    hcsctl_buf_free(&q);
    return text;
}

/* ---- ids ----------------------------------------------------------------------- */

/* The ids of an Enumerate answer, a JSON array of strings, read by the
 * schema codec as a string array (HCN_Dns.Search). */
typedef struct json_ids {
    hcs_schema_doc *doc;
    const char **ids;
    size_t count;
} json_ids;

static int ids_of(hcsctl_ctx *ctx, const kind *k, const char *query, json_ids *out)
{
    memset(out, 0, sizeof *out);
    hcs_error err = HCS_ERROR_INIT;
    char *list = NULL;
    if (k->enumerate(ctx->client, query, &list, &err) != HCS_OK)
        return report(ctx, NULL, &err);
    /* {"Search": [...]} reads the array as strings through the one codec. */
    size_t n = strlen(list);
    char *wrapped = malloc(n + 12);
    if (!wrapped) {
        hcs_free(list);
        hcsctl_say("out of memory");
        return HCSCTL_EXIT_FAILURE;
    }
    snprintf(wrapped, n + 12, "{\"Search\":%s}", list);
    hcs_free(list);
    hcs_HCN_Dns *dns = NULL;
    int32_t hr = hcs_HCN_Dns_decode(wrapped, strlen(wrapped), NULL, &out->doc, &dns, &err);
    free(wrapped);
    if (hr != HCS_OK)
        return report(ctx, NULL, &err);
    out->ids = dns->Search;
    out->count = dns->Search_count;
    return HCSCTL_EXIT_OK;
}

int hcsctl_network_id(hcsctl_ctx *ctx, const char *name_or_id, char id[HCS_NET_ID_SIZE])
{
    hcs_network net;
    hcs_error err = HCS_ERROR_INIT;
    if (hcs_network_open(ctx->client, name_or_id, &net, &err) == HCS_OK) {
        hcs_network_id(net, id, NULL);
        hcs_network_close(net);
        return HCSCTL_EXIT_OK;
    }
    if (err.kind != HCS_ERROR_INVALID_ARGUMENT && err.kind != HCS_ERROR_NOT_FOUND)
        return report(ctx, name_or_id, &err);
    hcs_error_clear(&err);
    char *query = filter_query("Name", name_or_id);
    json_ids found;
    int rc = query ? ids_of(ctx, &networks, query, &found) : HCSCTL_EXIT_FAILURE;
    free(query);
    if (rc != HCSCTL_EXIT_OK)
        return rc;
    if (found.count == 0)
        hcsctl_say("no network with id or name \"%s\" (hcsctl network ls lists them)", name_or_id);
    else
        snprintf(id, HCS_NET_ID_SIZE, "%s", found.ids[0]);
    hcs_schema_doc_free(found.doc);
    return found.count ? HCSCTL_EXIT_OK : HCSCTL_EXIT_FAILURE;
}

/* ---- ls, inspect, rm: every type alike -------------------------------------------- */

/* A table row of a V2 document. */
typedef void (*row_fn)(const char *json, bool header);

static int list(hcsctl_ctx *ctx, const hcsctl_args *args, const kind *k, const char *query, row_fn row)
{
    json_ids found;
    int rc = ids_of(ctx, k, query, &found);
    if (rc != HCSCTL_EXIT_OK)
        return rc;
    bool json = hcsctl_arg_count(args, "json") > 0;
    hcsctl_buf b = {0};
    hcsctl_buf_printf(&b, "[");
    if (!json)
        row(NULL, true);
    for (size_t i = 0; i < found.count && rc == HCSCTL_EXIT_OK; i++) {
        hcs_error err = HCS_ERROR_INIT;
        char *doc = NULL;
        if (k->properties(ctx->client, found.ids[i], &doc, &err) != HCS_OK) {
            if (err.kind == HCS_ERROR_NOT_FOUND) { /* deleted meanwhile */
                hcs_error_clear(&err);
                continue;
            }
            rc = report(ctx, found.ids[i], &err);
            break;
        }
        if (json)
            hcsctl_buf_printf(&b, "%s%s", b.len > 1 ? "," : "", doc);
        else
            row(doc, false);
        hcs_free(doc);
    }
    hcsctl_buf_printf(&b, "]");
    if (json && rc == HCSCTL_EXIT_OK)
        hcsctl_json_pretty(stdout, hcsctl_buf_text(&b));
    hcsctl_buf_free(&b);
    hcs_schema_doc_free(found.doc);
    return rc;
}

static int inspect(hcsctl_ctx *ctx, const kind *k, const char *id)
{
    hcs_error err = HCS_ERROR_INIT;
    char *doc = NULL;
    if (k->properties(ctx->client, id, &doc, &err) != HCS_OK)
        return report(ctx, id, &err);
    hcsctl_json_pretty(stdout, doc);
    hcs_free(doc);
    return HCSCTL_EXIT_OK;
}

/* Deletes each, printing each id it deleted (docs/hcsctl.md: a verb given
 * several ids acts on each). */
static int remove_all(hcsctl_ctx *ctx, const kind *k, char *const *ids, size_t count)
{
    int rc = HCSCTL_EXIT_OK;
    for (size_t i = 0; i < count; i++) {
        hcs_error err = HCS_ERROR_INIT;
        if (k->remove(ctx->client, ids[i], &err) != HCS_OK)
            rc = report(ctx, ids[i], &err);
        else
            printf("%s\n", ids[i]);
    }
    return rc;
}

static const char *text(const char *s) { return s ? s : "-"; }

static void network_row(const char *json, bool header)
{
    if (header) {
        printf("%-36s  %-16s  %-12s  %s\n", "ID", "NAME", "TYPE", "SUBNET");
        return;
    }
    hcs_schema_doc *doc = NULL;
    hcs_HostComputeNetwork *n = NULL;
    if (hcs_HostComputeNetwork_decode(json, strlen(json), NULL, &doc, &n, NULL) != HCS_OK)
        return;
    const char *subnet = n->Ipams_count && n->Ipams[0].Subnets_count ? n->Ipams[0].Subnets[0].IpAddressPrefix : NULL;
    /* HCN leaves out the Type of a NAT network (storage-and-network §4.3 #37). */
    printf("%-36s  %-16s  %-12s  %s\n", text(n->ID), text(n->Name), n->Type ? n->Type : "NAT", text(subnet));
    hcs_schema_doc_free(doc);
}

static void endpoint_row(const char *json, bool header)
{
    if (header) {
        printf("%-36s  %-16s  %-15s  %-17s  %s\n", "ID", "NAME", "IP", "MAC", "NAMESPACE");
        return;
    }
    hcs_schema_doc *doc = NULL;
    hcs_HostComputeEndpoint *e = NULL;
    if (hcs_HostComputeEndpoint_decode(json, strlen(json), NULL, &doc, &e, NULL) != HCS_OK)
        return;
    printf("%-36s  %-16s  %-15s  %-17s  %s\n", text(e->ID), text(e->Name),
           text(e->IpConfigurations_count ? e->IpConfigurations[0].IpAddress : NULL), text(e->MacAddress),
           text(e->HostComputeNamespace));
    hcs_schema_doc_free(doc);
}

static void namespace_row(const char *json, bool header)
{
    if (header) {
        printf("%-36s  %-12s  %-11s  %s\n", "ID", "TYPE", "COMPARTMENT", "RESOURCES");
        return;
    }
    hcs_schema_doc *doc = NULL;
    hcs_HostComputeNamespace *ns = NULL;
    if (hcs_HostComputeNamespace_decode(json, strlen(json), NULL, &doc, &ns, NULL) != HCS_OK)
        return;
    printf("%-36s  %-12s  %-11u  %zu\n", text(ns->ID), ns->Type ? ns->Type : "Host", ns->NamespaceId,
           ns->Resources_count);
    hcs_schema_doc_free(doc);
}

/* The subcommand and its arguments, checked against what it takes. */
static int subcommand(const hcsctl_args *args, const char *const *names, size_t min_args[], size_t max_args[])
{
    const char *sub = args->positional[0];
    for (int i = 0; names[i]; i++)
        if (strcmp(sub, names[i]) == 0) {
            size_t n = args->positional_count - 1;
            if (n < min_args[i] || n > max_args[i])
                return -2 - i;
            return i;
        }
    return -1;
}

static int bad_subcommand(const hcsctl_args *args, int which, const char *const *names)
{
    if (which == -1)
        return hcsctl_usage_error(args->verb, "no subcommand \"%s\"", args->positional[0]);
    return hcsctl_usage_error(args->verb, "wrong number of arguments for \"%s\"", names[-2 - which]);
}

/* Prints a new object's id, or with --json its document. */
static int made(hcsctl_ctx *ctx, const hcsctl_args *args, const kind *k, const char *id)
{
    if (hcsctl_arg_count(args, "json"))
        return inspect(ctx, k, id);
    printf("%s\n", id);
    return HCSCTL_EXIT_OK;
}

/* ---- network --------------------------------------------------------------------- */

/* The settings of `network create`, as a typed HostComputeNetwork. */
static int network_settings(const hcsctl_args *args, const char *name, char **json, hcs_error *err)
{
    hcs_HostComputeNetwork n = {.Name = name, .Type = hcsctl_arg_value(args, "type")};
    hcs_HCN_Version version = {.has_Major = true, .Major = 2, .has_Minor = true, .Minor = 0};
    n.SchemaVersion = &version;
    const char *prefix = hcsctl_arg_value(args, "subnet"), *gateway = hcsctl_arg_value(args, "gateway");
    hcs_HCN_Route route = {.NextHop = gateway, .DestinationPrefix = "0.0.0.0/0"};
    hcs_HCN_Subnet subnet = {.IpAddressPrefix = prefix, .Routes = &route, .Routes_count = gateway ? 1 : 0};
    hcs_HCN_Ipam ipam = {.Type = "Static", .Subnets = &subnet, .Subnets_count = 1};
    if (prefix) {
        n.Ipams = &ipam;
        n.Ipams_count = 1;
    }
    return hcs_HostComputeNetwork_encode(&n, NULL, json, err);
}

int hcsctl_network(hcsctl_ctx *ctx, const hcsctl_args *args)
{
    static const char *const names[] = {"ls", "create", "inspect", "rm", NULL};
    size_t min_args[] = {0, 1, 1, 1}, max_args[] = {0, 1, 1, SIZE_MAX};
    int which = subcommand(args, names, min_args, max_args);
    if (which < 0)
        return bad_subcommand(args, which, names);
    if (which != 1 &&
        (hcsctl_arg_count(args, "type") || hcsctl_arg_count(args, "subnet") || hcsctl_arg_count(args, "gateway")))
        return hcsctl_usage_error(args->verb, "--type, --subnet and --gateway are for \"create\"");
    if (which == 1 && !args->positional[1][0])
        return hcsctl_usage_error(args->verb, "a network needs a name, not \"\"");
    if (hcsctl_arg_count(args, "gateway") && !hcsctl_arg_count(args, "subnet"))
        return hcsctl_usage_error(args->verb, "--gateway is the default route of --subnet: give both");
    int rc = hcsctl_client(ctx);
    if (rc != HCSCTL_EXIT_OK)
        return rc;
    char *const *rest = args->positional + 1;
    char id[HCS_NET_ID_SIZE];
    switch (which) {
    case 0:
        return list(ctx, args, &networks, v2_query, network_row);
    case 1: {
        hcs_error err = HCS_ERROR_INIT;
        char *settings = NULL;
        hcs_network net;
        if (network_settings(args, rest[0], &settings, &err) != HCS_OK ||
            hcs_network_create(ctx->client, NULL, settings, &net, &err) != HCS_OK) {
            hcs_free(settings);
            return report(ctx, rest[0], &err);
        }
        hcs_free(settings);
        hcs_network_id(net, id, NULL);
        hcs_network_close(net);
        return made(ctx, args, &networks, id);
    }
    case 2:
        rc = hcsctl_network_id(ctx, rest[0], id);
        return rc == HCSCTL_EXIT_OK ? inspect(ctx, &networks, id) : rc;
    default: /* each name or id, the first failure's code */
        for (size_t i = 0; i < args->positional_count - 1; i++) {
            char *one = id;
            int one_rc = hcsctl_network_id(ctx, rest[i], id);
            if (one_rc == HCSCTL_EXIT_OK)
                one_rc = remove_all(ctx, &networks, &one, 1);
            rc = rc == HCSCTL_EXIT_OK ? one_rc : rc;
        }
        return rc;
    }
}

/* ---- endpoint --------------------------------------------------------------------- */

/* The settings of an endpoint: a name, a static address, a MAC. */
static int endpoint_settings(const char *name, const char *address, const char *mac, char **json, hcs_error *err)
{
    hcs_HostComputeEndpoint e = {.Name = name, .MacAddress = mac};
    hcs_HCN_Version version = {.has_Major = true, .Major = 2, .has_Minor = true, .Minor = 0};
    e.SchemaVersion = &version;
    hcs_HCN_IpConfig ip = {.IpAddress = address};
    if (ip.IpAddress) {
        e.IpConfigurations = &ip;
        e.IpConfigurations_count = 1;
    }
    return hcs_HostComputeEndpoint_encode(&e, NULL, json, err);
}

int hcsctl_endpoint_make(hcsctl_ctx *ctx, const char *network_id, const char *id, const char *name, const char *ip,
                         const char *mac, char out[HCS_NET_ID_SIZE])
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_network net;
    if (hcs_network_open(ctx->client, network_id, &net, &err) != HCS_OK)
        return report(ctx, network_id, &err);
    char *settings = NULL;
    hcs_endpoint ep;
    int32_t hr = endpoint_settings(name, ip, mac, &settings, &err);
    if (hr == HCS_OK)
        hr = hcs_endpoint_create(net, id, settings, &ep, &err);
    hcs_free(settings);
    hcs_network_close(net);
    if (hr != HCS_OK)
        return report(ctx, network_id, &err);
    hcs_endpoint_id(ep, out, NULL);
    hcs_endpoint_close(ep);
    return HCSCTL_EXIT_OK;
}

int hcsctl_endpoint_membership(hcsctl_ctx *ctx, const char *endpoint_id, const char *namespace_id, bool attach)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_namespace ns;
    if (hcs_namespace_open(ctx->client, namespace_id, &ns, &err) != HCS_OK)
        return report_on("namespace", namespace_id, &err);
    int32_t hr = attach ? hcs_namespace_add_endpoint(ns, endpoint_id, &err)
                        : hcs_namespace_remove_endpoint(ns, endpoint_id, &err);
    hcs_namespace_close(ns);
    return hr == HCS_OK ? HCSCTL_EXIT_OK : report(ctx, endpoint_id, &err);
}

int hcsctl_endpoint(hcsctl_ctx *ctx, const hcsctl_args *args)
{
    static const char *const names[] = {"ls", "create", "inspect", "rm", "attach", "detach", NULL};
    size_t min_args[] = {0, 1, 1, 1, 2, 2}, max_args[] = {0, 1, 1, SIZE_MAX, 2, 2};
    int which = subcommand(args, names, min_args, max_args);
    if (which < 0)
        return bad_subcommand(args, which, names);
    if (which != 1 && (hcsctl_arg_count(args, "name") || hcsctl_arg_count(args, "ip") || hcsctl_arg_count(args, "mac")))
        return hcsctl_usage_error(args->verb, "--name, --ip and --mac are for \"create\"");
    if (which != 0 && hcsctl_arg_count(args, "network"))
        return hcsctl_usage_error(args->verb, "--network is for \"ls\"");
    int rc = hcsctl_client(ctx);
    if (rc != HCSCTL_EXIT_OK)
        return rc;
    char *const *rest = args->positional + 1;
    char id[HCS_NET_ID_SIZE] = "";
    switch (which) {
    case 0: {
        const char *net = hcsctl_arg_value(args, "network");
        if (net && (rc = hcsctl_network_id(ctx, net, id)) != HCSCTL_EXIT_OK)
            return rc;
        char *query = filter_query(net ? "VirtualNetwork" : NULL, id);
        rc = query ? list(ctx, args, &endpoints, query, endpoint_row) : HCSCTL_EXIT_FAILURE;
        free(query);
        return rc;
    }
    case 1:
        if ((rc = hcsctl_network_id(ctx, rest[0], id)) == HCSCTL_EXIT_OK)
            rc = hcsctl_endpoint_make(ctx, id, NULL, hcsctl_arg_value(args, "name"), hcsctl_arg_value(args, "ip"),
                                      hcsctl_arg_value(args, "mac"), id);
        return rc == HCSCTL_EXIT_OK ? made(ctx, args, &endpoints, id) : rc;
    case 2:
        return inspect(ctx, &endpoints, rest[0]);
    case 3:
        return remove_all(ctx, &endpoints, rest, args->positional_count - 1);
    default:
        return hcsctl_endpoint_membership(ctx, rest[0], rest[1], which == 4);
    }
}

/* ---- namespace --------------------------------------------------------------------- */

int hcsctl_namespace(hcsctl_ctx *ctx, const hcsctl_args *args)
{
    static const char *const names[] = {"ls", "create", "rm", NULL};
    size_t min_args[] = {0, 0, 1}, max_args[] = {0, 0, SIZE_MAX};
    int which = subcommand(args, names, min_args, max_args);
    if (which < 0)
        return bad_subcommand(args, which, names);
    int rc = hcsctl_client(ctx);
    if (rc != HCSCTL_EXIT_OK)
        return rc;
    if (which == 0)
        return list(ctx, args, &namespaces, v2_query, namespace_row);
    if (which == 2)
        return remove_all(ctx, &namespaces, args->positional + 1, args->positional_count - 1);
    char id[HCS_NET_ID_SIZE];
    rc = hcsctl_namespace_make(ctx, NULL, id);
    return rc == HCSCTL_EXIT_OK ? made(ctx, args, &namespaces, id) : rc;
}

int hcsctl_namespace_make(hcsctl_ctx *ctx, const char *id, char out[HCS_NET_ID_SIZE])
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_namespace ns;
    if (hcs_namespace_create(ctx->client, id, NULL, &ns, &err) != HCS_OK)
        return report(ctx, id, &err);
    hcs_namespace_id(ns, out, NULL);
    hcs_namespace_close(ns);
    return HCSCTL_EXIT_OK;
}
