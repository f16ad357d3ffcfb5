/* The one table of HRESULTs known to hcskit: symbolic name, classification
 * and a description. libhcs classifies with it; hcssim writes the
 * description into ResultError.ErrorMessage. */
#ifndef HCS_UTIL_HRESULT_TABLE_H
#define HCS_UTIL_HRESULT_TABLE_H

#include "hcs/error.h"

typedef struct hcs_hresult_info {
    int32_t hr;
    const char *name;
    hcs_error_kind kind;
    const char *message;
} hcs_hresult_info;

/* Returns the entry for hr, or NULL when the code is not in the table. */
const hcs_hresult_info *hcs__hresult_lookup(int32_t hr);
/* Returns the entry whose symbolic name (e.g. "HCS_E_INVALID_STATE") is
 * `name`, or NULL. */
const hcs_hresult_info *hcs__hresult_by_name(const char *name);

#endif
