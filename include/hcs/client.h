/* hcs_client: a connection to one HCS provider (the real computecore.dll,
 * the simulator DLL, or the embedded simulator) with its function table.
 *
 * Handles (hcs_client, hcs_system, ...) are small values, not pointers: a
 * closed or stale handle is detected and refused with
 * HCS_WIN32_E_INVALID_HANDLE instead of touching freed memory. Every
 * function may be called from any thread. */
#ifndef HCS_CLIENT_H
#define HCS_CLIENT_H

#include "error.h"
#include "handles.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Timeouts, in milliseconds, mean the same in every libhcs function and
 * in hcs_async.timeout_ms:
 *  - 0: do not wait. A wait or a queue take looks once and returns; a
 *    call that starts work in HCS reports HCS_E_OPERATION_TIMEOUT at once
 *    unless HCS completed it already (the work itself goes on and is never
 *    abandoned). So an hcs_async with timeout_ms left at 0 times out at
 *    once: set it, usually to HCS_TIMEOUT_DEFAULT.
 *  - HCS_TIMEOUT_DEFAULT: the client's default for that kind of call
 *    (hcs_client_options); where there is no client (hcs_cq_next), 240000.
 *  - HCS_TIMEOUT_INFINITE: wait as long as it takes.
 *  - anything else: that many milliseconds. */
#define HCS_TIMEOUT_INFINITE 0xFFFFFFFFu
#define HCS_TIMEOUT_DEFAULT 0xFFFFFFFEu

/* Kinds of calls, each with its own default timeout. */
typedef enum hcs_call_kind {
    HCS_CALL_CREATE,  /* create a system */
    HCS_CALL_START,   /* start, resume */
    HCS_CALL_STOP,    /* shutdown, terminate, pause, save, crash */
    HCS_CALL_QUERY,   /* properties, enumerate */
    HCS_CALL_MODIFY,  /* modify a system or a process */
    HCS_CALL_PROCESS, /* create, signal, terminate and query processes */
    HCS_CALL_KIND_COUNT
} hcs_call_kind;

/* One HCS call as the trace callback sees it. */
typedef struct hcs_trace_record {
    const char *call;      /* the HCS function, e.g. "HcsStartComputeSystem" */
    hcs_system system;     /* the system called on (for create and open: the new handle, once there is one), or 0 */
    uint64_t operation_id; /* HcsGetOperationId, or 0 for synchronous calls */
    uint64_t duration_ms;  /* from the call to its outcome (or its timeout) */
    int32_t hr;            /* the outcome */
    const char *input;     /* the JSON given to HCS with secrets replaced, or NULL */
    const char *output;    /* the result JSON with secrets replaced, or NULL */
} hcs_trace_record;

/* Receives every computecore call libhcs makes on the caller's behalf
 * (asynchronous ones such as HcsStartComputeSystem, synchronous ones such as
 * HcsOpenComputeSystem, HcsOpenProcess, HcsCancelOperation and the service
 * functions) once it has an outcome. Calls libhcs makes for its own
 * bookkeeping (registering its event callbacks, reading an operation's
 * result) are part of the call they serve. Runs on the thread that saw the
 * outcome; must not block. Secrets read "<redacted>", found by the shapes
 * that carry them: members whose name contains Password, Pwd, Secret, Token,
 * Credential or Key; every value of a process's environment (the names
 * stay); the value of a name/value pair whose name says secret
 * ({"Name":"DB_PASSWORD","Value":...}); and inside strings, connection
 * string parts ("Password=...;"), command line options ("--token=...",
 * "--password ..."), URL passwords ("https://user:...@host") and
 * signatures ("sig=..."). */
typedef void (*hcs_trace_callback)(const hcs_trace_record *record, void *user_data);

typedef struct hcs_client_options {
    /* Which provider to load:
     *  - NULL or "default": on Windows computecore.dll from System32 only
     *    (never a DLL planted beside the program); elsewhere the embedded
     *    simulator;
     *  - "embedded": the embedded simulator (not on Windows);
     *  - "system": computecore.dll from System32 (Windows only);
     *  - "hcssimd": the simulator running as a service, hcssimd, shared
     *    by every program of the user: its socket or pipe is HCSSIM_SOCKET,
     *    else $XDG_RUNTIME_DIR/hcssim.sock (POSIX) or \\.\pipe\hcssim
     *    (Windows) (docs/hcssimd.md);
     *  - anything else: a provider library, such as "hcssim.dll" or
     *    "/opt/hcskit/lib/libhcssim.so". An absolute path loads as given. A
     *    bare file name loads from the program's own directory only (the
     *    executable's), never through the platform's search order (PATH,
     *    LD_LIBRARY_PATH, the current directory), so a library planted there
     *    is not picked up. A relative path with a directory ("./x.dll",
     *    "sub/x.dll") is refused with HCS_COM_E_INVALIDARG.
     * When NULL, the environment variable HCS_PROVIDER, if set, is used in
     * the same way. A provider library, once loaded, stays loaded for the
     * life of the process, as Windows keeps computecore.dll; clients on the
     * same provider share it. */
    const char *provider;
    /* The HCS namespace this client's systems are created in, opened from
     * and listed in (HcsCreateComputeSystemInNamespace and its siblings,
     * Windows 10 2004 and later: on older hosts those calls fail with
     * HCS_WIN32_E_PROC_NOT_FOUND); such a client does not see the systems
     * of other namespaces, nor those of the default one. NULL or "": the
     * default namespace. */
    const char *namespace_id;
    /* Timeout used for HCS_TIMEOUT_DEFAULT; 0 means 240000 (4 minutes). */
    uint32_t default_timeout_ms;
    /* Per kind of call, overriding default_timeout_ms where nonzero. */
    uint32_t timeouts_ms[HCS_CALL_KIND_COUNT];
    /* Optional trace of every HCS call (see hcs_trace_callback). */
    hcs_trace_callback trace;
    void *trace_user_data;
} hcs_client_options;

/* Opens a client. opts may be NULL (all defaults). Fails with
 * HCS_E_SERVICE_DISCONNECT when the provider is "hcssimd" and the daemon
 * cannot be reached, HCS_COM_E_INVALIDARG when the provider is named by a
 * relative path,
 * HCS_WIN32_E_MOD_NOT_FOUND when the provider cannot be loaded and
 * HCS_WIN32_E_PROC_NOT_FOUND when it lacks a function every client needs
 * (the operation functions); err->message says which and why. A function
 * missing from an older host fails only the calls that need it, with
 * HCS_WIN32_E_PROC_NOT_FOUND. Close the client with hcs_client_close. */
HCS_API int32_t hcs_client_open(const hcs_client_options *opts, hcs_client *out, hcs_error *err);

/* Closes the handle. Idempotent; a stale handle is ignored. Systems opened
 * through the client stay usable until they are closed themselves. The
 * provider stays loaded, and the systems it runs are the host's, not the
 * client's: a later client on the same provider opens them by id. */
HCS_API void hcs_client_close(hcs_client client);

/* A description of the loaded provider (e.g. "the embedded simulator"),
 * copied into *out; free it with hcs_free. */
HCS_API int32_t hcs_client_provider(hcs_client client, char **out, hcs_error *err);

/* Whether the provider has the named computecore or computestorage function
 * (e.g. "HcsCreateComputeSystem", "HcsSetupBaseOSVolume"): false for a name
 * of neither, and for a function this host or provider lacks, whose call
 * would fail with HCS_WIN32_E_PROC_NOT_FOUND (storage.h). */
HCS_API bool hcs_client_supports(hcs_client client, const char *function_name);

/* Frees a string or buffer that libhcs returned. NULL is ignored. */
HCS_API void hcs_free(void *p);

#ifdef __cplusplus
}
#endif

#endif
