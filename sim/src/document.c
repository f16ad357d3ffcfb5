/* Client documents (see document.h). */
#include "document.h"

#include "result.h"
#include "util/utf16.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hcssim__vdetail(char detail[SIM_DETAIL_SIZE], const char *fmt, va_list ap)
{
    static const char more[] = "...";
    int n = vsnprintf(detail, SIM_DETAIL_SIZE, fmt, ap);
    if (n < 0) {
        detail[0] = '\0';
        return;
    }
    if ((size_t)n < SIM_DETAIL_SIZE) {
        /* Whole. What a detail quotes came in as valid UTF-8, so this
         * cuts nothing: it only guards the ResultError built from it. */
        detail[hcs__utf8_valid_prefix(detail, (size_t)n)] = '\0';
        return;
    }
    size_t keep = hcs__utf8_valid_prefix(detail, SIM_DETAIL_SIZE - sizeof more);
    memcpy(detail + keep, more, sizeof more);
}

void hcssim__detail(char detail[SIM_DETAIL_SIZE], const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    hcssim__vdetail(detail, fmt, ap);
    va_end(ap);
}

int hcssim__clip(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return (int)hcs__utf8_valid_prefix(s, n);
}

HRESULT hcssim__text_in(PCWSTR in, char **out, char detail[SIM_DETAIL_SIZE])
{
    *out = NULL;
    if (!in)
        return S_OK;
    int rc = hcs__utf16_to_utf8_bounded((const uint16_t *)in, SIM_MAX_DOCUMENT_UNITS + 1, out);
    if (rc == -1) {
        hcssim__detail(detail, "the string is not valid UTF-16 (unpaired surrogate)");
        return SIM_E_BAD_UNICODE;
    }
    if (rc == -3) {
        hcssim__detail(detail, "the document is longer than 16 MiB");
        return HCS_E_INVALID_JSON;
    }
    return rc == 0 ? S_OK : E_OUTOFMEMORY;
}

HRESULT hcssim__json_in(PCWSTR in, json_t **out, char detail[SIM_DETAIL_SIZE])
{
    *out = NULL;
    char *text;
    HRESULT hr = hcssim__text_in(in, &text, detail);
    if (FAILED(hr))
        return hr == SIM_E_BAD_UNICODE ? HCS_E_INVALID_JSON : hr;
    if (!text || !text[0]) {
        free(text);
        return S_OK;
    }
    json_error_t error;
    *out = json_loads(text, JSON_REJECT_DUPLICATES, &error);
    free(text);
    if (!*out) {
        hcssim__detail(detail, "malformed JSON at line %d column %d: %s", error.line, error.column, error.text);
        return HCS_E_INVALID_JSON;
    }
    return S_OK;
}

static HRESULT invalid(char detail[SIM_DETAIL_SIZE], const char *fmt, ...) SIM_PRINTF(2, 3);
static HRESULT invalid(char detail[SIM_DETAIL_SIZE], const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    hcssim__vdetail(detail, fmt, ap);
    va_end(ap);
    return HCS_E_INVALID_JSON;
}

static HRESULT check_version(const json_t *v, int max_minor, char detail[SIM_DETAIL_SIZE])
{
    json_t *major = json_object_get(v, "Major");
    json_t *minor = json_object_get(v, "Minor");
    if (!json_is_object(v) || !json_is_integer(major) || !json_is_integer(minor))
        return invalid(detail, "ComputeSystem.SchemaVersion: expected {\"Major\": integer, \"Minor\": integer}");
    if (json_integer_value(major) != 2 || json_integer_value(minor) < 0 || json_integer_value(minor) > max_minor)
        return invalid(detail, "ComputeSystem.SchemaVersion: %lld.%lld is not supported (2.0 to 2.%d)",
                       (long long)json_integer_value(major), (long long)json_integer_value(minor), max_minor);
    return S_OK;
}

/* Top-level members of ComputeSystem. */
static const sim_field compute_system_members[] = {
    {"Owner", JSON_STRING},
    {"SchemaVersion", JSON_OBJECT},
    {"HostingSystemId", JSON_STRING},
    {"HostedSystem", JSON_OBJECT},
    {"Container", JSON_OBJECT},
    {"VirtualMachine", JSON_OBJECT},
    {"ShouldTerminateOnLastHandleClosed", JSON_TRUE},
};

static const char *type_name(json_type t)
{
    switch (t) {
    case JSON_STRING:
        return "string";
    case JSON_OBJECT:
        return "object";
    case JSON_ARRAY:
        return "array";
    case JSON_INTEGER:
        return "integer";
    case JSON_REAL:
        return "number";
    default:
        return "boolean";
    }
}

HRESULT hcssim__check_fields(const json_t *obj, const char *type, const sim_field *fields, size_t count,
                             char detail[SIM_DETAIL_SIZE])
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)obj, key, value)
    {
        size_t i = 0;
        while (i < count && strcmp(fields[i].name, key) != 0)
            i++;
        if (i == count)
            return invalid(detail, "%s.%.*s: unknown field", type, hcssim__clip(key, 100), key);
        json_type want = fields[i].type;
        bool ok = want == JSON_TRUE ? json_is_boolean(value) : json_typeof(value) == want;
        if (!ok)
            return invalid(detail, "%s.%s: expected %s", type, key, type_name(want));
    }
    return S_OK;
}

/* The member's path ("PauseOptions.HostedNotification"), cut to fit. */
static void member_path(char *out, size_t size, const char *type, const char *name)
{
    snprintf(out, size, "%s.%.*s", type, hcssim__clip(name, 100), name);
    out[hcs__utf8_valid_prefix(out, strlen(out))] = '\0';
}

HRESULT hcssim__check_members(const json_t *obj, const char *type, const sim_member *members, size_t count,
                              int max_minor, char detail[SIM_DETAIL_SIZE])
{
    if (!json_is_object(obj))
        return invalid(detail, "%s: expected a JSON object", type);
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)obj, key, value)
    {
        size_t i = 0;
        while (i < count && strcmp(members[i].name, key) != 0)
            i++;
        char path[160];
        member_path(path, sizeof path, type, key);
        if (i == count)
            return invalid(detail, "%s: unknown field", path);
        const sim_member *m = &members[i];
        if (m->since_minor > max_minor)
            return invalid(detail, "%s: needs schema 2.%d, newer than this build's 2.%d", path, m->since_minor,
                           max_minor);
        bool ok = m->type == JSON_TRUE   ? json_is_boolean(value)
                  : m->type == JSON_REAL ? json_is_number(value)
                                         : json_typeof(value) == m->type;
        if (!ok)
            return invalid(detail, "%s: expected %s", path, type_name(m->type));
        if (m->values) {
            const char *text = json_string_value(value);
            size_t v = 0;
            while (m->values[v] && strcmp(m->values[v], text) != 0)
                v++;
            if (!m->values[v]) {
                char list[128] = "";
                for (size_t j = 0; m->values[j]; j++)
                    snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", j ? ", " : "", m->values[j]);
                return invalid(detail, "%s: \"%.*s\" is not one of %s", path, hcssim__clip(text, 60), text, list);
            }
        }
        if (m->members) {
            HRESULT hr = hcssim__check_members(value, path, m->members, m->member_count, max_minor, detail);
            if (FAILED(hr))
                return hr;
        }
    }
    return S_OK;
}

HRESULT hcssim__validate_compute_system(const json_t *doc, int max_minor, char detail[SIM_DETAIL_SIZE])
{
    if (!json_is_object(doc))
        return invalid(detail, "ComputeSystem: expected a JSON object");
    HRESULT hr = hcssim__check_fields(doc, "ComputeSystem", compute_system_members,
                                      sizeof compute_system_members / sizeof compute_system_members[0], detail);
    if (FAILED(hr))
        return hr;
    json_t *version = json_object_get(doc, "SchemaVersion");
    if (!version)
        return invalid(detail, "ComputeSystem.SchemaVersion: required");
    hr = check_version(version, max_minor, detail);
    if (FAILED(hr))
        return hr;
    int kinds = !!json_object_get(doc, "Container") + !!json_object_get(doc, "VirtualMachine") +
                !!json_object_get(doc, "HostedSystem");
    if (kinds != 1)
        return invalid(detail,
                       "ComputeSystem: exactly one of Container, VirtualMachine, HostedSystem must be set "
                       "(found %s)",
                       kinds == 0 ? "none" : "more than one");
    return S_OK;
}
