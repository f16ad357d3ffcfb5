/* The raw layer: HCS's own handles and functions beside the safe API, for
 * code that mixes libhcs with direct computecore calls (hcsshim ports,
 * functions libhcs does not wrap yet).
 *
 * A raw compute system is an HCS_SYSTEM as computecore.dll hands it out;
 * here it is a `void *` so that this header needs no <windows.h>. Three
 * ways to cross between the layers:
 *
 *  - adopt (hcs_system_from_raw): libhcs takes a raw handle over;
 *  - borrow (hcs_system_borrow): use the raw handle of a libhcs system for
 *    a while, the system kept alive by an hcs_guard;
 *  - give back (hcs_system_into_raw): libhcs lets go of a system and hands
 *    its raw handle, still open, to the caller.
 *
 * The computecore types and prototypes are in computecore.h; HCS speaks
 * UTF-16, and hcs_utf8_to_utf16 / hcs_utf16_to_utf8 convert strictly.
 *
 * Threading: every function may be called from any thread. Errors are as
 * everywhere in libhcs (error.h): HCS_WIN32_E_INVALID_HANDLE for a closed
 * or stale handle, HCS_COM_E_POINTER for a missing out-parameter. */
#ifndef HCS_RAW_H
#define HCS_RAW_H

#include "operation.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Keeps a borrowed raw handle valid. While a guard is held the libhcs
 * system it came from stays alive: a concurrent hcs_system_close returns
 * at once, but HCS's handle is closed only after the last guard is
 * released, so a direct call through the raw handle never races the close.
 * Its members are libhcs's; a zeroed guard holds nothing. Release every guard
 * with hcs_guard_release; do not copy a held guard and release both. */
typedef struct hcs_guard {
    void *opaque; /* the system or process kept alive */
    void *handle; /* its raw handle's user count */
} hcs_guard;

/* Adopts a raw HCS_SYSTEM (from HcsCreateComputeSystem or
 * HcsOpenComputeSystem called directly) into a new handle in *out. On
 * success libhcs owns raw: it closes it in hcs_system_close, and it
 * registers its event callback on it (hcs_system_wait and subscriptions
 * work as for any system), so the caller must not have registered one
 * (HCS allows one per handle; libhcs's registration would be refused and
 * its events never seen). On failure because client is stale
 * (HCS_WIN32_E_INVALID_HANDLE) or raw is NULL (HCS_COM_E_INVALIDARG) raw
 * stays the caller's; on any other failure libhcs has closed it. */
HCS_API int32_t hcs_system_from_raw(hcs_client client, void *raw_system, hcs_system *out, hcs_error *err);

/* Lends the raw HCS_SYSTEM behind sys: *raw is valid until
 * hcs_guard_release(guard). Do not close it, and do not register an event
 * callback on it (libhcs has one there). Guards nest and may be held on
 * several threads at once; they are cheap (a reference and a counter),
 * but hcs_system_into_raw waits for all of them, so keep them short. On
 * failure *raw is NULL and the guard holds nothing. */
HCS_API int32_t hcs_system_borrow(hcs_system sys, void **raw, hcs_guard *guard, hcs_error *err);

/* Ends a borrow. Idempotent: the guard is zeroed; NULL and zeroed guards
 * are ignored. */
HCS_API void hcs_guard_release(hcs_guard *guard);

/* Gives the raw HCS_SYSTEM behind sys to the caller, who must close it
 * (HcsCloseComputeSystem). sys is closed as by hcs_system_close (waits and
 * subscriptions end) except that HCS's handle stays open. First waits for
 * libhcs calls already using the raw handle and for every guard on sys to
 * end, so a thread must release its own guards before calling this (it
 * would otherwise wait for itself). Only one caller gets the handle:
 * others fail with HCS_WIN32_E_INVALID_HANDLE.
 *
 * The raw handle keeps libhcs's event callback registration, now inert:
 * events on it are dropped. HCS allows one callback per handle and offers
 * no way to unregister, so to receive events yourself open a second
 * handle to the same system (HcsOpenComputeSystem) and register on that. */
HCS_API int32_t hcs_system_into_raw(hcs_system sys, void **raw, hcs_error *err);

/* The same three for processes. hcs_process_from_raw adopts a raw
 * HCS_PROCESS of the system sys (from HcsCreateProcess or HcsOpenProcess
 * called directly), with its pid; libhcs then owns it, registers its event
 * callback on it (waits and subscriptions work) and closes it in
 * hcs_process_close. On failure because sys is stale or raw is NULL it
 * stays the caller's; on any other failure libhcs has closed it. The
 * borrow and give-back rules are those of systems above. */
HCS_API int32_t hcs_process_from_raw(hcs_system sys, void *raw_process, uint32_t pid, hcs_process *out, hcs_error *err);
HCS_API int32_t hcs_process_borrow(hcs_process proc, void **raw, hcs_guard *guard, hcs_error *err);
HCS_API int32_t hcs_process_into_raw(hcs_process proc, void **raw, hcs_error *err);

/* Operations. hcs_op_from_raw adopts an HCS_OPERATION the caller started
 * with a direct HCS call (the raw layer's Hcs* functions): libhcs becomes
 * its completion callback, reports its outcome once through `how` (a
 * callback or a completion queue, with its timeout) and closes it; the
 * result's document is the operation's result document. The caller must
 * not close it or wait on it afterwards. Refused with HCS_COM_E_INVALIDARG
 * (the operation stays the caller's) when it was never started; an
 * operation that had its own completion callback loses it.
 * hcs_op_borrow lends the HCS_OPERATION of a request in flight (e.g. for
 * HcsGetOperationId): valid until hcs_guard_release, do not close it. A
 * pipe transfer (streams.h) has no HCS operation: its hcs_op is refused
 * with HCS_WIN32_E_INVALID_HANDLE.
 * There is no way to give an operation back out: HCS offers no way to
 * take libhcs's completion callback off it again. */
HCS_API int32_t hcs_op_from_raw(hcs_client client, void *raw_operation, const hcs_async *how, hcs_op *out,
                                hcs_error *err);
HCS_API int32_t hcs_op_borrow(hcs_op op, void **raw, hcs_guard *guard, hcs_error *err);

/* The provider's own function, e.g. "HcsGetComputeSystemProperties", for a
 * direct 1:1 call: cast it to the computecore prototype. Also "LocalFree",
 * the function that frees the result strings HCS returns (the provider's
 * own on Linux, kernel32's on Windows). NULL when the provider lacks the
 * function (an older Windows build), the name is not a computecore
 * function libhcs knows, or the client is stale. The pointer stays valid
 * while the client or any system opened through it is open. */
HCS_API void (*hcs_client_raw_function(hcs_client client, const char *name))(void);

/* Strict conversions between UTF-8 and the UTF-16 HCS takes and returns
 * (PCWSTR; on Windows cast from and to wchar_t *). *out is a new
 * NUL-terminated string, freed with hcs_free. Invalid input (a bad or
 * overlong sequence, an encoded surrogate, an unpaired surrogate) is never
 * replaced: it fails with HCS_WIN32_E_NO_UNICODE_TRANSLATION. NULL in or
 * out: HCS_COM_E_INVALIDARG / HCS_COM_E_POINTER. */
HCS_API int32_t hcs_utf8_to_utf16(const char *utf8, uint16_t **out, hcs_error *err);
HCS_API int32_t hcs_utf16_to_utf8(const uint16_t *utf16, char **out, hcs_error *err);

#ifdef __cplusplus
}
#endif

#endif
