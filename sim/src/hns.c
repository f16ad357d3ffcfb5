/* HNS's V1 interface (hns.h). */
#include "hns.h"

#include "result.h"
#include "util/utf16.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

HRESULT hcssim__hns_call(const sim_profile *build, PCWSTR method, PCWSTR path, PWSTR *response)
{
    if (!response)
        return E_POINTER;
    *response = NULL;
    char *m = NULL, *p = NULL;
    if (!build || !method || !path || hcs__utf16_to_utf8((const uint16_t *)method, &m) != 0 ||
        hcs__utf16_to_utf8((const uint16_t *)path, &p) != 0) {
        free(m);
        free(p);
        return E_INVALIDARG;
    }
    /* A trailing slash names the same resource, as HNS's paths end in one
     * ("/namespaces/"). */
    bool version = strcmp(m, "GET") == 0 && (strcmp(p, "/globals/version") == 0 || strcmp(p, "/globals/version/") == 0);
    json_t *doc = version
                      ? json_pack("{s:b, s:{s:i, s:i}}", "Success", 1, "Output", "Major", (json_int_t)build->hns_major,
                                  "Minor", (json_int_t)build->hns_minor)
                      : json_pack("{s:b, s:s++++}", "Success", 0, "Error",
                                  "hcssim simulates only GET /globals/version of HNS's V1 interface, not ", m, " ", p);
    free(m);
    free(p);
    char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    HRESULT hr = text ? hcssim__task_string_out(text, response) : E_OUTOFMEMORY;
    free(text);
    return hr;
}
