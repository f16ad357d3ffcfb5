/* An HCS handle libhcs owns, with a count of its direct users (libhcs's
 * own kickoffs, borrow guards), so that it can be given away (into_raw)
 * only when nobody is using it and never after. Used by systems and
 * processes alike. */
#ifndef HCS_SRC_RAW_HANDLE_H
#define HCS_SRC_RAW_HANDLE_H

#include "platform/thread.h"

#include <stdbool.h>

typedef struct raw_handle {
    hcs_mutex mu;
    hcs_cond idle;
    void *value;
    bool owned; /* false once given away */
    int users;
} raw_handle;

void hcs__raw_handle_init(raw_handle *r, void *value);
void hcs__raw_handle_destroy(raw_handle *r);
/* The value while it is still owned (NULL once given away): a direct use
 * begins; pair with hcs__raw_handle_end. */
void *hcs__raw_handle_begin(raw_handle *r);
void hcs__raw_handle_end(raw_handle *r);
/* Gives the value away once its users are done; NULL when given already. */
void *hcs__raw_handle_detach(raw_handle *r);
/* The value to close when the object goes, or NULL when given away. */
void *hcs__raw_handle_owned(raw_handle *r);

#endif
