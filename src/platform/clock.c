/* Deadline arithmetic shared by both platforms. */
#include "thread.h"

uint64_t hcs_deadline_after(uint32_t timeout_ms)
{
    if (timeout_ms == UINT32_MAX)
        return UINT64_MAX;
    return hcs_clock_ms() + timeout_ms;
}
