/* Errors: HRESULT values exactly as HCS returns them, their classification,
 * and the error object that carries HCS's own ResultError document.
 *
 * Every libhcs function returns an int32_t HRESULT: HCS_OK (0) on success,
 * a negative value on failure. Functions that can fail also take an optional
 * `hcs_error *`; when non-NULL it is filled on failure (and cleared on
 * success) and must be released with hcs_error_clear().
 *
 * Bad arguments never crash; every public function refuses them clearly:
 *  - a NULL output pointer: HCS_COM_E_POINTER;
 *  - a NULL, empty or inconsistent input (a count larger than its array):
 *    HCS_COM_E_INVALIDARG;
 *  - a handle that names no live object of its kind (closed, stale, never
 *    issued, or a handle of another kind such as a system passed as a
 *    process): HCS_WIN32_E_INVALID_HANDLE;
 * with hcs_error filled where the function takes one. Functions that return
 * a value instead give their documented neutral answer (false, 0, -1,
 * NULL), and those returning nothing ignore the argument. Pointers libhcs
 * handed out (hcs_schema_doc, hcs_guard contents) are the exception: they
 * are trusted as given. tests/lib/test_bad_args.c holds a case for every
 * exported function. */
#ifndef HCS_ERROR_H
#define HCS_ERROR_H

#include "export.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HCS_OK ((int32_t)0)
#define HCS_SUCCEEDED(hr) ((int32_t)(hr) >= 0)
#define HCS_FAILED(hr) ((int32_t)(hr) < 0)

#include "hcs_e_codes.h"

/* The legacy 0xC037xxxx family (Windows names them ERROR_VMCOMPUTE_*). Older
 * hosts and the vmcompute.dll API return these; libhcs classifies both. */
#define HCS_VMCOMPUTE_E_TERMINATED_DURING_START ((int32_t)0xC0370100)
#define HCS_VMCOMPUTE_E_IMAGE_MISMATCH ((int32_t)0xC0370101)
#define HCS_VMCOMPUTE_E_HYPERV_NOT_INSTALLED ((int32_t)0xC0370102)
#define HCS_VMCOMPUTE_E_OPERATION_PENDING ((int32_t)0xC0370103)
#define HCS_VMCOMPUTE_E_TOO_MANY_NOTIFICATIONS ((int32_t)0xC0370104)
#define HCS_VMCOMPUTE_E_INVALID_STATE ((int32_t)0xC0370105)
#define HCS_VMCOMPUTE_E_UNEXPECTED_EXIT ((int32_t)0xC0370106)
#define HCS_VMCOMPUTE_E_TERMINATED ((int32_t)0xC0370107)
#define HCS_VMCOMPUTE_E_CONNECT_FAILED ((int32_t)0xC0370108)
#define HCS_VMCOMPUTE_E_TIMEOUT ((int32_t)0xC0370109)
#define HCS_VMCOMPUTE_E_CONNECTION_CLOSED ((int32_t)0xC037010A)
#define HCS_VMCOMPUTE_E_UNKNOWN_MESSAGE ((int32_t)0xC037010B)
#define HCS_VMCOMPUTE_E_UNSUPPORTED_PROTOCOL_VERSION ((int32_t)0xC037010C)
#define HCS_VMCOMPUTE_E_INVALID_JSON ((int32_t)0xC037010D)
#define HCS_VMCOMPUTE_E_SYSTEM_NOT_FOUND ((int32_t)0xC037010E)
#define HCS_VMCOMPUTE_E_SYSTEM_ALREADY_EXISTS ((int32_t)0xC037010F)
#define HCS_VMCOMPUTE_E_SYSTEM_ALREADY_STOPPED ((int32_t)0xC0370110)
#define HCS_VMCOMPUTE_E_PROTOCOL_ERROR ((int32_t)0xC0370111)
#define HCS_VMCOMPUTE_E_INVALID_LAYER ((int32_t)0xC0370112)
#define HCS_VMCOMPUTE_E_WINDOWS_INSIDER_REQUIRED ((int32_t)0xC0370113)

/* Generic COM codes HCS returns. */
#define HCS_COM_E_NOTIMPL ((int32_t)0x80004001)
#define HCS_COM_E_POINTER ((int32_t)0x80004003)
#define HCS_COM_E_ABORT ((int32_t)0x80004004)
#define HCS_COM_E_FAIL ((int32_t)0x80004005)
#define HCS_COM_E_UNEXPECTED ((int32_t)0x8000FFFF)
#define HCS_COM_E_OUTOFMEMORY ((int32_t)0x8007000E)
#define HCS_COM_E_INVALIDARG ((int32_t)0x80070057)

/* HRESULT_FROM_WIN32 codes HCS returns (and libhcs uses for its own
 * failures: loading the provider, bad UTF-8, stale handles, pipe transfers
 * that are busy, cancelled or broken). */
#define HCS_WIN32_E_FILE_NOT_FOUND ((int32_t)0x80070002)
#define HCS_WIN32_E_PATH_NOT_FOUND ((int32_t)0x80070003)
#define HCS_WIN32_E_ACCESS_DENIED ((int32_t)0x80070005)
#define HCS_WIN32_E_INVALID_HANDLE ((int32_t)0x80070006)
#define HCS_WIN32_E_INVALID_DATA ((int32_t)0x8007000D)
#define HCS_WIN32_E_NOT_READY ((int32_t)0x80070015)
#define HCS_WIN32_E_SHARING_VIOLATION ((int32_t)0x80070020)
#define HCS_WIN32_E_NOT_SUPPORTED ((int32_t)0x80070032)
#define HCS_WIN32_E_BROKEN_PIPE ((int32_t)0x8007006D)
#define HCS_WIN32_E_MOD_NOT_FOUND ((int32_t)0x8007007E)
#define HCS_WIN32_E_PROC_NOT_FOUND ((int32_t)0x8007007F)
#define HCS_WIN32_E_BUSY ((int32_t)0x800700AA)
#define HCS_WIN32_E_ALREADY_EXISTS ((int32_t)0x800700B7)
#define HCS_WIN32_E_WAIT_TIMEOUT ((int32_t)0x80070102)
#define HCS_WIN32_E_NOT_FOUND ((int32_t)0x80070490)
#define HCS_WIN32_E_OPERATION_ABORTED ((int32_t)0x800703E3)
#define HCS_WIN32_E_CANCELLED ((int32_t)0x800704C7)
#define HCS_WIN32_E_CONNECTION_ABORTED ((int32_t)0x800704D4)
#define HCS_WIN32_E_NO_UNICODE_TRANSLATION ((int32_t)0x80070459)
#define HCS_WIN32_E_TIMEOUT ((int32_t)0x800705B4)

/* What a failure means to a caller, independent of which code family the
 * host used. */
typedef enum hcs_error_kind {
    HCS_ERROR_NONE = 0,         /* success */
    HCS_ERROR_NOT_FOUND,        /* no such system or process */
    HCS_ERROR_ALREADY_EXISTS,   /* a system with that id (or another object of that name) exists */
    HCS_ERROR_ALREADY_STOPPED,  /* the system or process is not running */
    HCS_ERROR_INVALID_STATE,    /* not valid in the current state */
    HCS_ERROR_TIMEOUT,          /* did not complete in the allowed time */
    HCS_ERROR_ACCESS_DENIED,    /* not allowed */
    HCS_ERROR_INVALID_ARGUMENT, /* bad argument or document */
    HCS_ERROR_UNSUPPORTED,      /* not supported by this host or provider */
    HCS_ERROR_DISCONNECTED,     /* the service or guest connection is gone */
    HCS_ERROR_INVALID_HANDLE,   /* a closed, stale or foreign handle */
    HCS_ERROR_OPERATION,        /* misuse of an operation (pending, not started, ...) */
    HCS_ERROR_SYSTEM_FAILURE,   /* the system or guest failed or exited unexpectedly */
    HCS_ERROR_OUT_OF_MEMORY,    /* memory ran out */
    HCS_ERROR_OTHER             /* anything else */
} hcs_error_kind;

/* One entry of ResultError.ErrorEvents. */
typedef struct hcs_error_event {
    char *message;     /* may be NULL */
    char *stack_trace; /* may be NULL */
    char *provider;    /* GUID string, may be NULL */
    char *source;      /* may be NULL */
    uint32_t event_id;
    uint32_t flags;
} hcs_error_event;

/* HCS's ResultError document, parsed. Fields absent from the document are
 * NULL / 0; `has_error` tells whether "Error" was present. */
typedef struct hcs_result_error {
    bool has_error;
    int32_t error; /* ResultError.Error */
    char *message; /* ResultError.ErrorMessage */
    size_t event_count;
    hcs_error_event *events;
    char *attribution_json; /* ResultError.Attribution re-serialised (compact), or NULL */
} hcs_result_error;

/* The error out-parameter. All strings are owned by the error and freed by
 * hcs_error_clear(). It must start zeroed (declare it as
 * `hcs_error err = HCS_ERROR_INIT;`): every call that fills it first frees
 * what it holds, so an uninitialised one would free garbage. `call` names
 * the public libhcs function (hcs_*) or the computecore function (Hcs*)
 * that failed. */
typedef struct hcs_error {
    int32_t hr;               /* the HRESULT that the function returned */
    hcs_error_kind kind;      /* hcs_classify(hr) */
    const char *call;         /* the HCS function or step that failed (static) */
    char *message;            /* one readable sentence */
    char *document;           /* raw result document from HCS (UTF-8), or NULL */
    hcs_result_error *result; /* parsed `document` when it is a ResultError */
} hcs_error;

/* The value of an hcs_error that holds nothing (success). */
/* clang-format off */
#define HCS_ERROR_INIT {0, HCS_ERROR_NONE, NULL, NULL, NULL, NULL}
/* clang-format on */

/* Frees what the error holds and resets it to success. NULL is ignored. */
HCS_API void hcs_error_clear(hcs_error *err);

/* Classification of any HRESULT (both HCS families and Win32 codes):
 * `hcs_classify(hr) == HCS_ERROR_NOT_FOUND` asks what a caller usually
 * wants to know about a failure. */
HCS_API hcs_error_kind hcs_classify(int32_t hr);
/* Static name of a kind, e.g. "not_found". */
HCS_API const char *hcs_error_kind_name(hcs_error_kind kind);
/* Static symbolic name, e.g. "HCS_E_SYSTEM_NOT_FOUND", or NULL if unknown. */
HCS_API const char *hcs_hresult_name(int32_t hr);
/* Static description of an HRESULT; never NULL. */
HCS_API const char *hcs_strerror(int32_t hr);

/* Parses a ResultError JSON document (UTF-8) into *out, which the caller
 * releases with hcs_result_error_clear (on failure it holds nothing).
 * HCS_COM_E_POINTER when out is NULL, HCS_E_INVALID_JSON when the text is
 * NULL or not a JSON object. Members of the wrong type are ignored (an
 * ErrorEvents entry that is no object is an event with nothing set); an
 * Error spelled unsigned or wider keeps its low 32 bits. */
HCS_API int32_t hcs_result_error_parse(const char *json, hcs_result_error *out);
/* Frees what *re holds and zeroes it. NULL is ignored. */
HCS_API void hcs_result_error_clear(hcs_result_error *re);

#ifdef __cplusplus
}
#endif

#endif
