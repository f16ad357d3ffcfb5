/* Export lookup by name (see hcssim.h). */
#include "export.h"
#include "hcs/computestorage.h"
#include "hcn.h"
#include "hns.h"
#include "hcssim/hcssim.h"
#include "profile.h"

#include <string.h>

static const struct {
    const char *name;
    const char *since;
    void (*fn)(void);
} exports[] = {
#define SIM_EXPORT_ENTRY(fn, since) {#fn, #since, (void (*)(void))(fn)},
#include "export_list.h"
#include "storage_export_list.h"
#include "hcn_export_list.h"
#include "vmcompute_export_list.h"
#undef SIM_EXPORT_ENTRY
#ifndef _WIN32
    {"LocalFree", "1809", (void (*)(void))LocalFree},
    {"CoTaskMemFree", "1809", (void (*)(void))CoTaskMemFree},
#endif
};

void (*hcssim_proc_address(const char *name))(void)
{
    for (size_t i = 0; name && i < sizeof exports / sizeof exports[0]; i++)
        if (strcmp(exports[i].name, name) == 0)
            return hcssim__profile_has(exports[i].since) ? exports[i].fn : NULL;
    return NULL;
}
