/* Emulated Windows builds (see profile.h). */
#include "profile.h"

#include "platform/thread.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const sim_profile profiles[] = {
    {"1809", 1}, {"1903", 2}, {"2004", 3}, {"2104", 5}, {"21H2", 6},
};

static const sim_profile *current;
static hcs_once once = HCS_ONCE_INIT;

static void choose(void)
{
    const char *want = getenv("HCSSIM_PROFILE");
    current = &profiles[sizeof profiles / sizeof profiles[0] - 1];
    if (!want || !want[0])
        return;
    for (size_t i = 0; i < sizeof profiles / sizeof profiles[0]; i++)
        if (strcmp(profiles[i].name, want) == 0) {
            current = &profiles[i];
            return;
        }
    fprintf(stderr, "hcssim: unknown HCSSIM_PROFILE \"%s\" (use 1809, 1903, 2004, 2104 or 21H2); using %s\n",
            want, current->name);
}

const sim_profile *sim_profile_current(void)
{
    hcs_call_once(&once, choose);
    return current;
}
