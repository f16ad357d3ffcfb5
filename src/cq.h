/* Completion queues inside the library (see hcs/operation.h). */
#ifndef HCS_SRC_CQ_H
#define HCS_SRC_CQ_H

#include "hcs/operation.h"

typedef struct hcs_cq_obj hcs_cq_obj;

/* The queue behind a handle, referenced, or NULL for a stale one. */
hcs_cq_obj *hcs__cq_acquire(hcs_cq cq);
void hcs__cq_release(hcs_cq_obj *q);
/* Whether cq names an open queue (a closed, forged or wrong-kind id does
 * not). */
bool hcs__cq_valid(hcs_cq cq);
/* Moves *result into the queue (zeroing *result). A closed queue discards
 * it instead. */
void hcs__cq_push(hcs_cq_obj *q, hcs_result *result);

/* An empty result: zero, with no pipes (HCS_PIPE_NONE, not fd 0). */
void hcs__result_init(hcs_result *result);

/* Clears a result nobody will see, closing the handles it owns: those a
 * call created (never those an event names). */
void hcs__result_discard(hcs_result *result);

#endif
