/* Operation information and resources (see op_info.h). */
#include "op_info.h"

#include "platform/socket.h"
#include "result.h"
#include "util/utf16.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t hcssim__wall_ms(void)
{
#ifdef _WIN32
    FILETIME ft; /* 100 ns units since 1601 */
    GetSystemTimeAsFileTime(&ft);
    uint64_t t = ((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
    return (int64_t)(t / 10000 - 11644473600000ull);
#else
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
#endif
}

/* The schema's OperationType strings (hcs-newest §2.2) for the
 * HCS_OPERATION_TYPE values; Enumerate, GetProcessProperties and
 * LiveMigration have none there and keep the C name (inferred). */
static const char *type_name(HCS_OPERATION_TYPE type)
{
    static const char *const names[] = {
        "Enumerate",      "Construct",
        "Start",          "Shutdown",
        "Pause",          "Resume",
        "Save",           "Terminate",
        "Modify",         "GetProperties",
        "ExecuteProcess", "SignalProcess",
        "GetProcessInfo", "GetProcessProperties",
        "ModifyProcess",  "Crash",
    };
    if (type == HCS_OPERATION_TYPE_LIVE_MIGRATION)
        return "LiveMigration";
    return type >= 0 && (size_t)type < sizeof names / sizeof names[0] ? names[type] : "None";
}

/* RFC 3339 in UTC with milliseconds, as the schema's date-time fields. */
json_t *hcssim__timestamp(int64_t ms)
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
#ifdef _WIN32
    gmtime_s(&tm, &secs);
#else
    gmtime_r(&secs, &tm);
#endif
    char text[96]; /* room for any int the format may meet */
    snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
    return json_string(text);
}

char *hcssim__op_info_json(HCS_OPERATION_TYPE type, int64_t start_ms, int64_t end_ms, HRESULT result)
{
    json_t *doc = json_object();
    json_object_set_new(doc, "Operation", json_string(type_name(type)));
    if (start_ms)
        json_object_set_new(doc, "StartTimestamp", hcssim__timestamp(start_ms));
    if (end_ms)
        json_object_set_new(doc, "EndTimestamp", hcssim__timestamp(end_ms));
    if (end_ms && FAILED(result))
        json_object_set_new(doc, "FailureInfo", json_pack("{s:i}", "Result", (json_int_t)result));
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    return text;
}

HRESULT hcssim__op_info_out(HCS_OPERATION_TYPE type, int64_t start_ms, int64_t end_ms, HRESULT result, PWSTR *out)
{
    char *doc = hcssim__op_info_json(type, start_ms, end_ms, result);
    HRESULT hr = doc ? hcssim__string_out(doc, out) : E_OUTOFMEMORY;
    free(doc);
    return hr;
}

/* Whether a UTF-16 string equals an ASCII one. */
static bool equals(PCWSTR s, const char *ascii)
{
    size_t i = 0;
    for (; ascii[i]; i++)
        if (s[i] != (WCHAR)(unsigned char)ascii[i])
            return false;
    return s[i] == 0;
}

HRESULT hcssim__resource_dup(HCS_RESOURCE_TYPE type, PCWSTR uri, HANDLE handle, intptr_t *copy)
{
    *copy = -1;
    if (!uri)
        return E_POINTER;
    if (type != HcsResourceTypeSocket || !equals(uri, SIM_LIVE_MIGRATION_SOCKET_URI))
        return E_INVALIDARG;
    *copy = hcs__socket_dup(hcs__socket_from_abi(handle));
    return *copy < 0 ? SIM_E_HANDLE : S_OK;
}

HRESULT hcssim__resource_store(intptr_t *slot, bool pending, intptr_t *copy)
{
    if (pending)
        return HCS_E_OPERATION_ALREADY_STARTED;
    if (*slot >= 0)
        return SIM_E_ALREADY_EXISTS;
    *slot = *copy;
    *copy = -1;
    return S_OK;
}

HRESULT hcssim__op_properties_options(PCWSTR options, PWSTR *result)
{
    if (result)
        *result = NULL;
    if (!options || !result)
        return E_POINTER;
    if (!options[0])
        return S_OK;
    char *text = NULL;
    if (hcs__utf16_to_utf8(options, &text) != 0)
        return E_INVALIDARG;
    json_t *doc = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
    free(text);
    bool object = json_is_object(doc);
    json_decref(doc);
    return object ? S_OK : E_INVALIDARG;
}
