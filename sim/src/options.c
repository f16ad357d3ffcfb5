/* Options documents of the compute-system calls (see options.h). Members,
 * types, enum values and versions are those of hcs-api §8.7 and Appendix A
 * (ShutdownOptions 2.5, CrashOptions 2.3, SaveOptions 2.1, PauseOptions
 * 2.0/2.1, System_PropertyQuery 2.1/2.5). */
#include "options.h"

#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const shutdown_mechanisms[] = {"GuestConnection", "IntegrationService", NULL};
static const char *const shutdown_types[] = {"Shutdown", "Hibernate", "Reboot", NULL};
static const sim_member shutdown_options[] = {
    {"Mechanism", JSON_STRING, 5, shutdown_mechanisms, NULL, 0},
    {"Type", JSON_STRING, 5, shutdown_types, NULL, 0},
    {"Force", JSON_TRUE, 5, NULL, NULL, 0},
    {"Reason", JSON_STRING, 5, NULL, NULL, 0},
};

static const char *const suspension_levels[] = {"Suspend", "MemoryLow", "MemoryMedium", "MemoryHigh", NULL};
static const char *const pause_reasons[] = {"None", "Save", "Template", NULL};
static const sim_member pause_notification[] = {
    {"Reason", JSON_STRING, 1, pause_reasons, NULL, 0},
};
static const sim_member pause_options[] = {
    {"SuspensionLevel", JSON_STRING, 0, suspension_levels, NULL, 0},
    {"HostedNotification", JSON_OBJECT, 1, NULL, pause_notification, COUNT(pause_notification)},
};

static const char *const save_types[] = {"ToFile", "AsTemplate", NULL};
static const sim_member save_options[] = {
    {"SaveType", JSON_STRING, 1, save_types, NULL, 0},
    {"SaveStateFilePath", JSON_STRING, 1, NULL, NULL, 0},
};

static const char *const crash_types[] = {"CrashGuest", NULL};
static const sim_member crash_options[] = {
    {"Type", JSON_STRING, 3, crash_types, NULL, 0},
};

/* The PropertyTypes values are checked against what the system can answer
 * when the query runs (system_state.c). */
static const sim_member property_query[] = {
    {"PropertyTypes", JSON_ARRAY, 1, NULL, NULL, 0},
    {"Queries", JSON_OBJECT, 5, NULL, NULL, 0},
};

static const struct {
    const char *call;
    const char *type;
    const sim_member *members;
    size_t count;
} documents[] = {
    {"HcsShutDownComputeSystem", "ShutdownOptions", shutdown_options, COUNT(shutdown_options)},
    {"HcsPauseComputeSystem", "PauseOptions", pause_options, COUNT(pause_options)},
    {"HcsSaveComputeSystem", "SaveOptions", save_options, COUNT(save_options)},
    {"HcsCrashComputeSystem", "CrashOptions", crash_options, COUNT(crash_options)},
    {"HcsGetComputeSystemProperties", "System_PropertyQuery", property_query, COUNT(property_query)},
};

HRESULT hcssim__options_check(const char *call, const json_t *doc, int max_minor, char detail[SIM_DETAIL_SIZE])
{
    if (!doc)
        return S_OK; /* NULL or "": the defaults */
    for (size_t i = 0; i < COUNT(documents); i++)
        if (strcmp(documents[i].call, call) == 0)
            return hcssim__check_members(doc, documents[i].type, documents[i].members, documents[i].count, max_minor,
                                         detail);
    return S_OK;
}
