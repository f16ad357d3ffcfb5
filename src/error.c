/* Error classification, messages and ResultError parsing (see error.h). */
#include "error_internal.h"

#include "schema/json_writer.h"
#include "schema/schema_encode.h"
#include "schema/schema_read.h"
#include "util/hresult_table.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- classification ---------------------------------------------------- */

hcs_error_kind hcs_classify(int32_t hr)
{
    if (hr >= 0)
        return HCS_ERROR_NONE;
    const hcs_hresult_info *info = hcs__hresult_lookup(hr);
    return info ? info->kind : HCS_ERROR_OTHER;
}

const char *hcs_error_kind_name(hcs_error_kind kind)
{
    static const char *const names[] = {
        "none",           "not_found",     "already_exists",   "already_stopped", "invalid_state",
        "timeout",        "access_denied", "invalid_argument", "unsupported",     "disconnected",
        "invalid_handle", "operation",     "system_failure",   "out_of_memory",   "other",
    };
    return (unsigned)kind < sizeof names / sizeof names[0] ? names[kind] : "other";
}

const char *hcs_hresult_name(int32_t hr)
{
    const hcs_hresult_info *info = hcs__hresult_lookup(hr);
    return info ? info->name : NULL;
}

const char *hcs_strerror(int32_t hr)
{
    const hcs_hresult_info *info = hcs__hresult_lookup(hr);
    if (info)
        return info->message;
    return hr >= 0 ? "Success." : "Unknown failure.";
}

/* ---- ResultError -------------------------------------------------------- */

static char *dup_string(const char *s) { return s ? strdup(s) : NULL; }

/* A uint32 member: typed, or kept as written when it did not fit the
 * schema's narrower type (ErrorEvent.EventId is a uint16); else 0. */
static uint32_t get_u32(const hcs_unknown_fields *kept, const char *name, bool has, uint32_t value)
{
    int64_t n;
    if (has)
        return value;
    return hcs__schema_kept_integer(kept, name, &n) && n >= 0 && n <= (int64_t)UINT32_MAX ? (uint32_t)n : 0;
}

static void copy_events(const hcs_ResultError *doc, hcs_result_error *re)
{
    size_t n = doc->ErrorEvents_count;
    re->events = n ? calloc(n, sizeof *re->events) : NULL;
    if (!re->events)
        return;
    for (size_t i = 0; i < n; i++) {
        const hcs_ErrorEvent *ev = &doc->ErrorEvents[i];
        hcs_error_event *out = &re->events[re->event_count++];
        out->message = dup_string(ev->Message);
        out->stack_trace = dup_string(ev->StackTrace);
        out->provider = dup_string(ev->Provider);
        out->source = dup_string(ev->Source);
        out->event_id = get_u32(&ev->unknown_fields, "EventId", ev->has_EventId, ev->EventId);
        out->flags = get_u32(&ev->unknown_fields, "Flags", ev->has_Flags, ev->Flags);
    }
}

/* Attribution re-serialised: the typed records encoded again, or the value
 * as written when it is no array of records (or null). */
static char *attribution_text(const hcs_ResultError *doc)
{
    const char *kept = hcs__schema_kept(&doc->unknown_fields, "Attribution");
    if (kept || !doc->Attribution)
        return dup_string(kept);
    const hcs_schema_type_desc *t = hcs_schema_type_info(HCS_SCHEMA_AttributionRecord);
    hcs_json_out out = {0};
    hcs_schema_encode_failure why;
    bool ok = true;
    hcs__json_out_char(&out, '[');
    for (size_t i = 0; ok && i < doc->Attribution_count; i++) {
        if (i)
            hcs__json_out_char(&out, ',');
        ok = hcs__schema_encode_value(&out, t, &doc->Attribution[i], NULL, &why);
    }
    hcs__json_out_char(&out, ']');
    if (ok)
        return hcs__json_out_take(&out);
    hcs__json_out_discard(&out);
    return NULL;
}

int32_t hcs_result_error_parse(const char *json, hcs_result_error *out)
{
    if (!out)
        return HCS_COM_E_POINTER;
    memset(out, 0, sizeof *out);
    hcs_schema_doc *doc = hcs__schema_read(HCS_SCHEMA_ResultError, json);
    if (!doc)
        return HCS_E_INVALID_JSON;
    const hcs_ResultError *re = hcs_schema_doc_root(doc);
    int64_t code;
    if (re->has_Error) {
        out->has_error = true;
        out->error = re->Error;
    } else if (hcs__schema_kept_integer(&re->unknown_fields, "Error", &code)) {
        /* HRESULTs arrive signed, but accept the unsigned spelling too. */
        out->has_error = true;
        out->error = (int32_t)(uint32_t)((uint64_t)code & 0xFFFFFFFFu);
    }
    out->message = dup_string(re->ErrorMessage);
    copy_events(re, out);
    out->attribution_json = attribution_text(re);
    hcs_schema_doc_free(doc);
    return HCS_OK;
}

void hcs_result_error_clear(hcs_result_error *re)
{
    if (!re)
        return;
    for (size_t i = 0; i < re->event_count; i++) {
        free(re->events[i].message);
        free(re->events[i].stack_trace);
        free(re->events[i].provider);
        free(re->events[i].source);
    }
    free(re->events);
    free(re->message);
    free(re->attribution_json);
    memset(re, 0, sizeof *re);
}

/* err->result: the document parsed when it is a ResultError, else NULL. */
static hcs_result_error *parse_result_error(const char *doc)
{
    hcs_result_error *re = calloc(1, sizeof *re);
    if (re && hcs_result_error_parse(doc, re) != HCS_OK) {
        free(re);
        re = NULL;
    }
    return re;
}

/* ---- hcs_error ----------------------------------------------------------- */

void hcs_error_clear(hcs_error *err)
{
    if (!err)
        return;
    free(err->message);
    free(err->document);
    hcs_result_error_clear(err->result);
    free(err->result);
    memset(err, 0, sizeof *err);
}

int32_t hcs__succeed(hcs_error *err)
{
    hcs_error_clear(err);
    return HCS_OK;
}

/* A malloc'ed string formatted like vprintf, or NULL. */
static char *vformat_alloc(const char *fmt, va_list ap) HCS_PRINTF(1, 0);
static char *vformat_alloc(const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, again);
    va_end(again);
    return s;
}

/* A malloc'ed string formatted like printf, or NULL. */
static char *format_alloc(const char *fmt, ...) HCS_PRINTF(1, 2);
static char *format_alloc(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = vformat_alloc(fmt, ap);
    va_end(ap);
    return s;
}

/* "<call>: <text>: <meaning> (0x8037010E HCS_E_SYSTEM_NOT_FOUND)[: <HCS detail>]" */
static char *compose(int32_t hr, const char *call, const char *text, const hcs_result_error *re)
{
    const char *name = hcs_hresult_name(hr);
    const char *detail = re && re->event_count && re->events[0].message ? re->events[0].message : NULL;
    return format_alloc("%s: %s%s%s (0x%08X%s%s)%s%s", call, text, text[0] ? ": " : "", hcs_strerror(hr), (unsigned)hr,
                        name ? " " : "", name ? name : "", detail ? ": " : "", detail ? detail : "");
}

static int32_t fail_v(hcs_error *err, int32_t hr, const char *call, char *doc, const char *fmt, va_list ap)
    HCS_PRINTF(5, 0);
static int32_t fail_v(hcs_error *err, int32_t hr, const char *call, char *doc, const char *fmt, va_list ap)
{
    if (!err) {
        free(doc);
        return hr;
    }
    hcs_error_clear(err);
    err->hr = hr;
    err->kind = hcs_classify(hr);
    err->call = call;
    err->document = doc;
    if (doc)
        err->result = parse_result_error(doc);
    /* The caller's text whole, however long (a long system id or path
     * must not be cut, least of all inside a UTF-8 character). */
    char *text = fmt ? vformat_alloc(fmt, ap) : NULL;
    err->message = compose(hr, call, text ? text : "", err->result);
    free(text);
    return hr;
}

int32_t hcs__fail(hcs_error *err, int32_t hr, const char *call, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fail_v(err, hr, call, NULL, fmt, ap);
    va_end(ap);
    return hr;
}

int32_t hcs__fail_doc(hcs_error *err, int32_t hr, const char *call, char *doc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fail_v(err, hr, call, doc, fmt, ap);
    va_end(ap);
    return hr;
}
