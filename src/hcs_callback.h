/* Code that runs inside HCS's callbacks. HCS's close functions wait for
 * the handle's callbacks in flight, so a close reached from inside one of
 * them (when the last reference to a libhcs object drops there) could wait
 * for itself: such closes are handed to another thread. */
#ifndef HCS_SRC_HCS_CALLBACK_H
#define HCS_SRC_HCS_CALLBACK_H

#include "client_internal.h"

/* Bracket every callback libhcs gives HCS. */
void hcs__callback_enter(void);
void hcs__callback_leave(void);

/* Closes a raw HCS_SYSTEM (kind HCS_KIND_SYSTEM) or HCS_PROCESS
 * (HCS_KIND_PROCESS), at once or, inside a callback, soon after on
 * another thread. */
void hcs__close_raw(hcs_client_obj *c, int kind, void *raw);

#endif
