/* Export lookup by name (see hcssim.h). */
#include "export.h"
#include "hcssim/hcssim.h"

#include <string.h>

#define ENTRY(fn) {#fn, (void (*)(void))(fn)}

static const struct {
    const char *name;
    void (*fn)(void);
} exports[] = {
#define SIM_EXPORT_ENTRY(fn) ENTRY(fn),
#include "export_list.h"
#undef SIM_EXPORT_ENTRY
#ifndef _WIN32
    ENTRY(LocalFree),
#endif
};

void (*hcssim_proc_address(const char *name))(void)
{
    for (size_t i = 0; name && i < sizeof exports / sizeof exports[0]; i++)
        if (strcmp(exports[i].name, name) == 0)
            return exports[i].fn;
    return NULL;
}
