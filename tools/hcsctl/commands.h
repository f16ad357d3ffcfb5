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
/* network.c: HCN's networks, endpoints and namespaces */
int hcsctl_network(hcsctl_ctx *ctx, const hcsctl_args *args);
int hcsctl_endpoint(hcsctl_ctx *ctx, const hcsctl_args *args);
int hcsctl_namespace(hcsctl_ctx *ctx, const hcsctl_args *args);

/* events.c, stats.c, exec.c, demo.c */
int hcsctl_events(hcsctl_ctx *ctx, const hcsctl_args *args);
int hcsctl_stats(hcsctl_ctx *ctx, const hcsctl_args *args);
int hcsctl_exec(hcsctl_ctx *ctx, const hcsctl_args *args);
int hcsctl_demo(hcsctl_ctx *ctx, const hcsctl_args *args);

/* migrate.c: live migration */
int hcsctl_migrate(hcsctl_ctx *ctx, const hcsctl_args *args);

#endif
