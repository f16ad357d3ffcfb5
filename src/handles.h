/* The process-wide table behind every libhcs handle. */
#ifndef HCS_SRC_HANDLES_H
#define HCS_SRC_HANDLES_H

#include "util/handle_table.h"

enum hcs_handle_kind {
    HCS_KIND_CLIENT = 1,
    HCS_KIND_SYSTEM = 2,
    HCS_KIND_PROCESS = 3,
    HCS_KIND_OP = 4,
    HCS_KIND_CQ = 5,
    HCS_KIND_SUBSCRIPTION = 6,
    HCS_KIND_PIPE_OP = 7, /* an hcs_op naming a pipe transfer (pipe_io.h) */
    HCS_KIND_NET = 16,    /* + an HCN object type (network.c): network, endpoint, ... */
    HCS_KIND_NET_SUBSCRIPTION = 22,
    HCS_KIND_PORT_RESERVATION = 23,
};

hcs_handle_table *hcs__handles(void);

#endif
