/* Windows readiness flag: a manual-reset event (see pollable.h). */
#include "pollable.h"

#include <windows.h>

int hcs__pollable_init(hcs_pollable *p)
{
    p->event = CreateEventW(NULL, TRUE, FALSE, NULL);
    return p->event ? 0 : -1;
}

void hcs__pollable_destroy(hcs_pollable *p)
{
    if (p->event)
        CloseHandle(p->event);
    p->event = NULL;
}

void hcs__pollable_set(hcs_pollable *p) { SetEvent(p->event); }
void hcs__pollable_clear(hcs_pollable *p) { ResetEvent(p->event); }
intptr_t hcs__pollable_value(const hcs_pollable *p) { return (intptr_t)p->event; }
