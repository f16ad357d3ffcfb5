/* Deadline arithmetic shared by both platforms. */
#include "thread.h"

uint64_t hcs__deadline_after(uint32_t timeout_ms)
{
    if (timeout_ms == UINT32_MAX)
        return UINT64_MAX;
    return hcs__clock_ms() + timeout_ms;
}
