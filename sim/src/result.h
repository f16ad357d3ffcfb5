/* Documents hcssim hands to clients: UTF-16 strings the caller frees with
 * LocalFree, and ResultError documents describing a failure. */
#ifndef HCSSIM_RESULT_H
#define HCSSIM_RESULT_H

#include "hcs/computecore.h"

#include <stddef.h>

/* HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE): a closed or unknown handle. */
#define SIM_E_HANDLE ((HRESULT)0x80070006)
/* HRESULT_FROM_WIN32(ERROR_NOT_FOUND). */
#define SIM_E_NOT_FOUND ((HRESULT)0x80070490)
/* HRESULT_FROM_WIN32(ERROR_ALREADY_EXISTS). */
#define SIM_E_ALREADY_EXISTS ((HRESULT)0x800700B7)
/* HRESULT_FROM_WIN32(ERROR_NOT_SUPPORTED). */
#define SIM_E_NOT_SUPPORTED ((HRESULT)0x80070032)
/* HRESULT_FROM_WIN32(ERROR_NO_UNICODE_TRANSLATION): invalid UTF-16. */
#define SIM_E_BAD_UNICODE ((HRESULT)0x80070459)

/* Stores a LocalFree-able UTF-16 copy of utf8 in *out. Returns S_OK or
 * E_OUTOFMEMORY (then *out is NULL). */
HRESULT hcssim__string_out(const char *utf8, PWSTR *out);

/* HCN's allocator (storage-and-network §2.3): CoTaskMemAlloc on Windows;
 * elsewhere malloc, and hcssim exports CoTaskMemFree (free). */
void *hcssim__task_alloc(size_t bytes);
void hcssim__task_free(void *p);
/* As hcssim__string_out, in HCN's allocator. */
HRESULT hcssim__task_string_out(const char *utf8, PWSTR *out);

/* A new ResultError JSON document (malloc'ed UTF-8) for hr: ErrorMessage is
 * the code's description and ErrorEvents[0].Message the specific detail.
 * Returns NULL when memory ran out. */
char *hcssim__result_error(HRESULT hr, const char *detail);

#endif
