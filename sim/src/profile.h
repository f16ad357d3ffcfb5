/* The Windows build hcssim emulates (hcs-api §11 #49, #51, #52): 1809,
 * 1903, 2004, 2104 (Windows Server 2022), 21H2 (the default) or 24H2
 * (build 26100, with live migration). Chosen with
 * the environment variable HCSSIM_PROFILE; a DLL built for one profile
 * (hcssim-1809.dll, ...) always emulates that one, since its export table
 * cannot change at run time. */
#ifndef HCSSIM_PROFILE_H
#define HCSSIM_PROFILE_H

#include <stdbool.h>

typedef struct sim_profile {
    const char *name;
    int max_schema_minor;          /* newest schema 2.x the build accepts */
    unsigned hns_major, hns_minor; /* the HNS version HNSCall reports (hns.h) */
} sim_profile;

const sim_profile *hcssim__profile_current(void);

static inline int sim_max_schema_minor(void) { return hcssim__profile_current()->max_schema_minor; }

/* The build of this name, or NULL for one this simulator does not know. */
const sim_profile *hcssim__profile_find(const char *name);

/* True when the emulated build has an export that first shipped in the
 * build named `since` (export_list.h). */
bool hcssim__profile_has(const char *since);
/* The same for another build (hcssimd's, in its client provider): false
 * for a name this simulator does not know. */
bool hcssim__profile_includes(const char *build, const char *since);

#endif
