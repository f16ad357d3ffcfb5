/* Result strings and ResultError documents (see result.h). */
#include "result.h"

#include "export.h"

#include "util/hresult_table.h"
#include "util/utf16.h"

#include "hcs/computenetwork.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#ifdef _WIN32
#include <objbase.h>
#endif

#ifdef _WIN32
void *hcssim__task_alloc(size_t bytes) { return CoTaskMemAlloc(bytes); }
void hcssim__task_free(void *p) { CoTaskMemFree(p); }
#else
SIM_EXPORT HLOCAL LocalFree(HLOCAL mem)
{
    free(mem);
    return NULL;
}

void *hcssim__task_alloc(size_t bytes) { return malloc(bytes); }
void hcssim__task_free(void *p) { free(p); }
SIM_EXPORT void CoTaskMemFree(void *pv) { free(pv); }
#endif

static void *string_alloc(size_t bytes)
{
#ifdef _WIN32
    return LocalAlloc(LMEM_FIXED, bytes);
#else
    return malloc(bytes);
#endif
}

/* utf8 as UTF-16 in memory from alloc. */
static HRESULT copy_out(const char *utf8, PWSTR *out, void *(*alloc)(size_t))
{
    *out = NULL;
    uint16_t *w;
    if (hcs__utf8_to_utf16(utf8, &w) != 0)
        return E_OUTOFMEMORY; /* our own documents are always valid UTF-8 */
    size_t bytes = (hcs__utf16_len(w) + 1) * sizeof *w;
    PWSTR copy = alloc(bytes);
    if (copy)
        memcpy(copy, w, bytes);
    free(w);
    *out = copy;
    return copy ? S_OK : E_OUTOFMEMORY;
}

HRESULT hcssim__string_out(const char *utf8, PWSTR *out) { return copy_out(utf8, out, string_alloc); }

HRESULT hcssim__task_string_out(const char *utf8, PWSTR *out) { return copy_out(utf8, out, hcssim__task_alloc); }

char *hcssim__result_error(HRESULT hr, const char *detail)
{
    const hcs_hresult_info *info = hcs__hresult_lookup(hr);
    json_t *doc = json_pack("{s:i, s:s}", "Error", (json_int_t)hr, "ErrorMessage",
                            info ? info->message : "The operation failed.");
    if (doc && detail) {
        /* Details are valid UTF-8 (hcssim__detail cuts on character
         * boundaries); should one not be, its valid part is kept rather
         * than the whole event lost. */
        json_t *event = json_object(), *events = json_array();
        int rc = event && events ? 0 : -1;
        rc |=
            json_object_set_new(event, "Message", json_stringn(detail, hcs__utf8_valid_prefix(detail, strlen(detail))));
        rc |= json_object_set_new(event, "Source", json_string("hcssim"));
        rc |= json_array_append(events, event);
        rc |= json_object_set(doc, "ErrorEvents", events);
        json_decref(event);
        json_decref(events);
        if (rc != 0) {
            json_decref(doc);
            doc = NULL;
        }
    }
    char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    return text;
}
