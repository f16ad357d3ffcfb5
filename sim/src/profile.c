/* Emulated Windows builds (see profile.h). */
#include "profile.h"

#include "platform/thread.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Oldest first: a profile has every export of the ones before it. 24H2
 * (build 26100) adds the live migration and operation notification exports
 * of hcs-newest §1.3; its schema is 21H2's, as nothing newer is published.
 * The default stays 21H2, the newest build with documented behaviour
 * (docs/simulator-fidelity.md, "24H2"). */
/* HNS versions per build are not published (storage-and-network §2.10
 * gives only hcsshim's feature ranges): each build gets one in the range of
 * the features it shipped with (docs/simulator-fidelity.md, inferred). */
static const sim_profile profiles[] = {
    {"1809", 1, 9, 2},  {"1903", 2, 10, 4}, {"2004", 3, 11, 10},
    {"2104", 5, 12, 1}, {"21H2", 6, 13, 2}, {"24H2", 6, 15, 4},
};
enum { PROFILE_COUNT = sizeof profiles / sizeof profiles[0], PROFILE_DEFAULT = 4 };

static const sim_profile *current;
static hcs_once once = HCS_ONCE_INIT;

const sim_profile *hcssim__profile_find(const char *name)
{
    for (size_t i = 0; name && i < PROFILE_COUNT; i++)
        if (strcmp(profiles[i].name, name) == 0)
            return &profiles[i];
    return NULL;
}

/* An unknown HCSSIM_PROFILE stops the process: emulating another build than
 * the one asked for would make tests pass or fail for the wrong reason. */
static void choose(void)
{
    const char *want = getenv("HCSSIM_PROFILE");
#ifdef HCSSIM_BUILD_PROFILE
    current = hcssim__profile_find(HCSSIM_BUILD_PROFILE);
    if (want && want[0] && strcmp(want, HCSSIM_BUILD_PROFILE) != 0)
        fprintf(stderr, "hcssim: this DLL emulates %s; HCSSIM_PROFILE=%s is ignored\n", HCSSIM_BUILD_PROFILE, want);
    return;
#endif
    current = &profiles[PROFILE_DEFAULT];
    if (!want || !want[0])
        return;
    current = hcssim__profile_find(want);
    if (!current) {
        fprintf(stderr, "hcssim: unknown HCSSIM_PROFILE \"%s\" (use 1809, 1903, 2004, 2104, 21H2 or 24H2)\n", want);
        exit(2);
    }
}

const sim_profile *hcssim__profile_current(void)
{
    hcs__call_once(&once, choose);
    return current;
}

bool hcssim__profile_has(const char *since)
{
    const sim_profile *need = hcssim__profile_find(since);
    return need && need <= hcssim__profile_current();
}

bool hcssim__profile_includes(const char *build, const char *since)
{
    const sim_profile *have = hcssim__profile_find(build), *need = hcssim__profile_find(since);
    return have && need && need <= have;
}
