/* Behaviour switches (see behaviour.h). */
#include "behaviour.h"

#include "platform/thread.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIM_WAIT_TIMEOUT ((HRESULT)0x80070102) /* HRESULT_FROM_WIN32(WAIT_TIMEOUT) */
/* ERROR_VMCOMPUTE_SYSTEM_NOT_FOUND, vmcompute.dll's form (hcs-api §6.2). */
#define SIM_E_LEGACY_NOT_FOUND ((HRESULT)0xC037010E)

static const struct {
    const char *name;
    const char *values[2]; /* index 0 is the default */
} switches[] = {
    {"exit_wait_timeout", {"operation_timeout", "wait_timeout"}},
    {"close_pending_operation", {"complete", "cancel"}},
    {"event_options", {"any_sdk", "build_sdk"}},
    {"late_exit_event", {"deliver", "drop"}},
    {"system_not_found", {"hresult", "legacy"}},
};

enum { EXIT_WAIT_TIMEOUT, CLOSE_PENDING_OPERATION, EVENT_OPTIONS, LATE_EXIT_EVENT, SYSTEM_NOT_FOUND, SWITCH_COUNT };

static atomic_int chosen[SWITCH_COUNT];
static hcs_once once = HCS_ONCE_INIT;

static int set(const char *name, size_t name_len, const char *value, size_t value_len)
{
    for (size_t i = 0; i < SWITCH_COUNT; i++) {
        if (strlen(switches[i].name) != name_len || strncmp(switches[i].name, name, name_len) != 0)
            continue;
        for (int v = 0; v < 2; v++)
            if (strlen(switches[i].values[v]) == value_len && strncmp(switches[i].values[v], value, value_len) == 0) {
                atomic_store(&chosen[i], v);
                return 0;
            }
    }
    return -1;
}

/* A bad HCSSIM_BEHAVIOUR stops the process: a test run with a switch it
 * did not get would check the wrong reading. */
static void init(void)
{
    const char *env = getenv("HCSSIM_BEHAVIOUR");
    for (const char *p = env; p && *p;) {
        size_t item = strcspn(p, ",");
        const char *eq = memchr(p, '=', item);
        if (!eq || set(p, (size_t)(eq - p), eq + 1, item - (size_t)(eq - p) - 1) != 0) {
            fprintf(stderr, "hcssim: HCSSIM_BEHAVIOUR: bad item \"%.*s\" (see docs/simulator-fidelity.md)\n", (int)item,
                    p);
            exit(2);
        }
        p += item + (p[item] == ',');
    }
}

static int get(int which)
{
    hcs__call_once(&once, init);
    return atomic_load(&chosen[which]);
}

HRESULT hcssim__exit_wait_timeout_code(void)
{
    return get(EXIT_WAIT_TIMEOUT) ? SIM_WAIT_TIMEOUT : HCS_E_OPERATION_TIMEOUT;
}

bool hcssim__close_cancels_pending(void) { return get(CLOSE_PENDING_OPERATION) != 0; }

bool hcssim__event_options_of_build_only(void) { return get(EVENT_OPTIONS) != 0; }

bool hcssim__late_exit_event(void) { return get(LATE_EXIT_EVENT) == 0; }

HRESULT hcssim__system_not_found_code(void)
{
    return get(SYSTEM_NOT_FOUND) ? SIM_E_LEGACY_NOT_FOUND : HCS_E_SYSTEM_NOT_FOUND;
}

int hcssim__behaviour_set(const char *name, const char *value)
{
    hcs__call_once(&once, init);
    return name && value ? set(name, strlen(name), value, strlen(value)) : -1;
}
