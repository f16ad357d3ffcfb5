/* What other parts of libhcs need from network.c. */
#ifndef HCS_SRC_NETWORK_INTERNAL_H
#define HCS_SRC_NETWORK_INTERNAL_H

#include "hcs/handles.h"

#include <stdbool.h>

/* Ends an HCN notification subscription (hcs_subscription_close names
 * both kinds). False when sub is not one. */
bool hcs__network_unsubscribe(hcs_subscription sub);

#endif
