/* The simulated host's hardware (see host.h). */
#include "host.h"

#include <string.h>

/* A recent x64 server processor, in the ProcessorFeature and
 * XsaveProcessorFeature spellings of hcs-api Appendix A, separated by
 * blanks. */
static const char features[] =
    "Sse3 LahfSahf Ssse3 Sse4_1 Sse4_2 Popcnt Cmpxchg16B Altmovcr8 Lzcnt Page1Gb Pclmulqdq Pcid F16C Rdrand Rdwrfsgs "
    "Smep EnhancedFastString Bmi1 Bmi2 Movbe Rdseed Adx Smap Rdtscp Clflushopt Invpcid";
static const char xsave_features[] = "Xsave Xsave_Opt Avx Avx2 Fma";

json_t *hcssim__host_topology(void)
{
    json_t *lps = json_array();
    for (uint32_t i = 0; lps && i < SIM_HOST_LOGICAL_PROCESSORS; i++)
        json_array_append_new(lps,
                              json_pack("{s:I, s:i, s:i, s:I, s:I}", "LpIndex", (json_int_t)i, "NodeNumber", 0,
                                        "PackageId", 0, "CoreId", (json_int_t)(i / 2), "RootVpIndex", (json_int_t)i));
    return json_pack("{s:I, s:o}", "LogicalProcessorCount", (json_int_t)SIM_HOST_LOGICAL_PROCESSORS,
                     "LogicalProcessors", lps);
}

/* The names of a blank-separated list, as a JSON array. */
static json_t *string_array(const char *list)
{
    json_t *a = json_array();
    for (const char *p = list; a && *p;) {
        size_t n = strcspn(p, " ");
        json_array_append_new(a, json_stringn(p, n));
        p += n + (p[n] == ' ');
    }
    return a;
}

json_t *hcssim__host_processor_requirements(void)
{
    return json_pack("{s:o, s:o, s:i, s:i, s:s}", "ProcessorFeatures", string_array(features), "XsaveProcessorFeatures",
                     string_array(xsave_features), "CacheLineFlushSize", 64, "ImplementedPhysicalAddressBits", 46,
                     "NonArchitecturalCoreSharing", "Off");
}

/* Whether name is one of the names of a blank-separated list. */
static bool listed(const char *list, const char *name)
{
    size_t len = name ? strlen(name) : 0;
    for (const char *p = list; len && *p;) {
        size_t n = strcspn(p, " ");
        if (n == len && memcmp(p, name, n) == 0)
            return true;
        p += n + (p[n] == ' ');
    }
    return false;
}

/* Every string of requirements[member] is one of the list's names. */
static bool has_all(const json_t *requirements, const char *member, const char *list, char detail[SIM_DETAIL_SIZE])
{
    size_t i;
    json_t *name;
    json_array_foreach(json_object_get(requirements, member), i, name)
    {
        const char *text = json_string_value(name);
        if (!listed(list, text)) {
            hcssim__detail(detail, "processor feature %.*s is needed, which this host lacks",
                           hcssim__clip(text ? text : "?", 60), text ? text : "?");
            return false;
        }
    }
    return true;
}

bool hcssim__host_meets(const json_t *requirements, char detail[SIM_DETAIL_SIZE])
{
    return has_all(requirements, "ProcessorFeatures", features, detail) &&
           has_all(requirements, "XsaveProcessorFeatures", xsave_features, detail);
}
