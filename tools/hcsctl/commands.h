/* The verbs of hcsctl: one function per verb, listed with its options and
 * help in verbs.c. */
#ifndef HCSCTL_COMMANDS_H
#define HCSCTL_COMMANDS_H

#include "cli.h"

/* list.c: what HCS knows */
int hcsctl_list(hcsctl_ctx *ctx, const hcsctl_args *args);
int hcsctl_inspect(hcsctl_ctx *ctx, const hcsctl_args *args);
int hcsctl_ps(hcsctl_ctx *ctx, const hcsctl_args *args);
int hcsctl_service(hcsctl_ctx *ctx, const hcsctl_args *args);

/* lifecycle.c: what changes a system */
int hcsctl_create(hcsctl_ctx *ctx, const hcsctl_args *args);
int hcsctl_start(hcsctl_ctx *ctx, const hcsctl_args *args);
int hcsctl_pause(hcsctl_ctx *ctx, const hcsctl_args *args);
int hcsctl_resume(hcsctl_ctx *ctx, const hcsctl_args *args);
int hcsctl_save(hcsctl_ctx *ctx, const hcsctl_args *args);
int hcsctl_stop(hcsctl_ctx *ctx, const hcsctl_args *args);
int hcsctl_kill(hcsctl_ctx *ctx, const hcsctl_args *args);
int hcsctl_rm(hcsctl_ctx *ctx, const hcsctl_args *args);
int hcsctl_modify(hcsctl_ctx *ctx, const hcsctl_args *args);
int hcsctl_wait(hcsctl_ctx *ctx, const hcsctl_args *args);

/* layer.c: container layers on the host */
int hcsctl_layer(hcsctl_ctx *ctx, const hcsctl_args *args);
/* A chain of layers from a repeatable option (--parent, --layer), nearest
 * first: each value ID=PATH (it starts with a GUID and '='), or PATH, whose
 * id is then derived from the folder's name (docs/hcsctl.md, "Layer ids"). */
typedef struct hcsctl_chain {
    hcs_layer_spec *list;
    size_t count;
    char (*ids)[37]; /* list[i].id points here */
} hcsctl_chain;
/* Returns HCSCTL_EXIT_OK, or the exit code after saying what is wrong;
 * free *c with hcsctl_chain_free either way. */
int hcsctl_chain_in(const hcsctl_args *args, const char *option, hcsctl_chain *c);
void hcsctl_chain_free(hcsctl_chain *c);
/* Whether a file or folder is at path (UTF-8). */
bool hcsctl_path_exists(const char *path);
/* The version 5 UUID of name in hcsctl's namespace (docs/hcsctl.md, "Layer
 * ids"): the same name gives the same id. */
void hcsctl_name_guid(const char *name, char out[37]);
/* Reports a refused storage call on the layer at path, with the fix by
 * kind, and clears err; returns the exit code. */
int hcsctl_layer_report(hcsctl_ctx *ctx, const char *path, hcs_error *err);

/* container.c: what create --layer makes for a container besides the
 * system (its scratch in hcsctl's state folder), and what rm unmakes. */
typedef struct hcsctl_container hcsctl_container;
/* Makes the container `id`'s scratch on the --layer chain and fills spec's
 * Storage from it. Whatever it returns, *out (NULL only when nothing was
 * made) goes to hcsctl_container_release if the system is not created, to
 * hcsctl_container_free if it is. */
int hcsctl_container_prepare(hcsctl_ctx *ctx, const hcsctl_args *args, const char *id, hcs_container_spec *spec,
                             hcsctl_container **out);
/* Undoes what prepare made (the system must be gone) and frees c. */
int hcsctl_container_release(hcsctl_ctx *ctx, hcsctl_container *c);
void hcsctl_container_free(hcsctl_container *c);
/* rm, once the system `id` is gone: undoes what create made for it, if it
 * made anything (*found). */
int hcsctl_container_remove(hcsctl_ctx *ctx, const hcsctl_args *args, const char *id, bool *found);

/* network.c: HCN's networks, endpoints and namespaces */
int hcsctl_network(hcsctl_ctx *ctx, const hcsctl_args *args);
int hcsctl_endpoint(hcsctl_ctx *ctx, const hcsctl_args *args);
int hcsctl_namespace(hcsctl_ctx *ctx, const hcsctl_args *args);
/* The id of the network named by id or by Name, in `id`; or the exit
 * code after saying there is none. */
int hcsctl_network_id(hcsctl_ctx *ctx, const char *name_or_id, char id[HCS_NET_ID_SIZE]);
/* Creates an endpoint on the network `network_id` (id NULL: HCN chooses
 * one; name, ip, mac NULL: none, HCN assigns an address and a MAC) and
 * writes its id to out. Returns the exit code, after reporting a failure. */
int hcsctl_endpoint_make(hcsctl_ctx *ctx, const char *network_id, const char *id, const char *name, const char *ip,
                         const char *mac, char out[HCS_NET_ID_SIZE]);
/* Creates a namespace (id NULL: HCN chooses one), its id in out. */
int hcsctl_namespace_make(hcsctl_ctx *ctx, const char *id, char out[HCS_NET_ID_SIZE]);
/* Puts the endpoint into the namespace (attach) or takes it out
 * (storage-and-network §3.2 step 4). */
int hcsctl_endpoint_membership(hcsctl_ctx *ctx, const char *endpoint_id, const char *namespace_id, bool attach);

/* events.c, stats.c, exec.c, demo.c */
int hcsctl_events(hcsctl_ctx *ctx, const hcsctl_args *args);
int hcsctl_stats(hcsctl_ctx *ctx, const hcsctl_args *args);
int hcsctl_exec(hcsctl_ctx *ctx, const hcsctl_args *args);
int hcsctl_demo(hcsctl_ctx *ctx, const hcsctl_args *args);

/* migrate.c: live migration */
int hcsctl_migrate(hcsctl_ctx *ctx, const hcsctl_args *args);

#endif
