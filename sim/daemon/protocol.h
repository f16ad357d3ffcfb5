/* hcssimd's wire protocol (docs/hcssimd.md): the frames a client provider
 * and the daemon exchange over one connection, how they are written, and
 * the decoder that checks a received frame before anything acts on it.
 *
 * A frame is a fixed 24-byte header and a payload of at most
 * WIRE_MAX_PAYLOAD bytes, little-endian throughout:
 *
 *   magic u32 ("HSIM")  version u16  type u16  request u64  length u32
 *   handles u16  reserved u16 (0)
 *
 * The payload is a sequence of values, each a tag byte and its body:
 *   'u' u64;  'w' u32 count + count UTF-16 code units;  'a' u32 count +
 *   count bytes of UTF-8;  'n' an absent string (NULL).
 * Every message type (and, for CALL and CONTROL, every function) has one
 * signature, the list of its values' tags; the decoder refuses a frame
 * whose payload does not match it exactly. Decoding does no I/O and no
 * allocation, so it can be fuzzed (fuzz/fuzz_hcssimd_decode.c). */
#ifndef HCSSIM_DAEMON_PROTOCOL_H
#define HCSSIM_DAEMON_PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WIRE_MAGIC 0x4D495348u /* "HSIM" as it lies in memory */
#define WIRE_VERSION 1
#define WIRE_HEADER_SIZE 24
/* The longest argument a client sends: the simulator reads documents up to
 * 8 Mi code units and refuses longer ones (sim/src/document.h), so one unit
 * more is enough for it to see that. A frame has room for three such
 * arguments, and for result documents of over 16 MiB. */
#define WIRE_MAX_STRING_UNITS ((uint32_t)8 * 1024 * 1024 + 1)
#define WIRE_MAX_PAYLOAD ((uint32_t)64 * 1024 * 1024)
#define WIRE_MAX_VALUES 16
/* stdin, stdout and stderr of a process. */
#define WIRE_MAX_HANDLES 3

typedef enum wire_type {
    WIRE_HELLO = 1,    /* client -> daemon, first frame: "uu" pid, flags (0) */
    WIRE_WELCOME = 2,  /* daemon -> client, answers HELLO: "uaa" pid, profile, exports */
    WIRE_REFUSED = 3,  /* daemon -> client, then closes: "ua" its version, why */
    WIRE_CALL = 4,     /* client -> daemon: "u" function, then its arguments */
    WIRE_REPLY = 5,    /* daemon -> client, answers CALL or CONTROL (same request) */
    WIRE_RELEASE = 6,  /* client -> daemon, no answer: "u" operation id */
    WIRE_COMPLETE = 7, /* daemon -> client: "uuWuu" op, hr, document, pid, handle mask */
    WIRE_EVENT = 8,    /* daemon -> client: "uuWu" handle, type, data, op */
    WIRE_CONTROL = 9,  /* client -> daemon: "u" control function, then its arguments */
} wire_type;

/* The computecore functions a CALL names, with the signature of their
 * arguments and of their REPLY. "uuu" in an argument list is an operation:
 * the daemon's id for it (0: the daemon makes one), the client's id
 * (0: NULL, WIRE_INVALID: a handle the client does not know) and flags
 * (WIRE_OP_HAS_CALLBACK). A handle is the daemon's id (0: NULL,
 * WIRE_INVALID: unknown). Numbers are stable: a function keeps its number
 * in every version of the protocol. */
#define WIRE_FUNCTIONS(X)                                                                                              \
    X(1, HcsEnumerateComputeSystems, "Wuuu", "uu")                                                                     \
    X(2, HcsEnumerateComputeSystemsInNamespace, "WWuuu", "uu")                                                         \
    X(3, HcsCreateComputeSystem, "WWuuuuu", "uuu")                                                                     \
    X(4, HcsCreateComputeSystemInNamespace, "WWWuuuuuuu", "uuu")                                                       \
    X(5, HcsOpenComputeSystem, "Wuuu", "uu")                                                                           \
    X(6, HcsOpenComputeSystemInNamespace, "WWuuu", "uu")                                                               \
    X(7, HcsCloseComputeSystem, "u", "u")                                                                              \
    X(8, HcsStartComputeSystem, "uuuuW", "uu")                                                                         \
    X(9, HcsShutDownComputeSystem, "uuuuW", "uu")                                                                      \
    X(10, HcsTerminateComputeSystem, "uuuuW", "uu")                                                                    \
    X(11, HcsCrashComputeSystem, "uuuuW", "uu")                                                                        \
    X(12, HcsPauseComputeSystem, "uuuuW", "uu")                                                                        \
    X(13, HcsResumeComputeSystem, "uuuuW", "uu")                                                                       \
    X(14, HcsSaveComputeSystem, "uuuuW", "uu")                                                                         \
    X(15, HcsGetComputeSystemProperties, "uuuuW", "uu")                                                                \
    X(16, HcsModifyComputeSystem, "uuuuW", "uu")                                                                       \
    X(17, HcsWaitForComputeSystemExit, "uuu", "uW")                                                                    \
    X(18, HcsSetComputeSystemCallback, "uuu", "u")                                                                     \
    X(19, HcsCreateProcess, "uWuuuuu", "uuu")                                                                          \
    X(20, HcsOpenProcess, "uuuuu", "uu")                                                                               \
    X(21, HcsCloseProcess, "u", "u")                                                                                   \
    X(22, HcsTerminateProcess, "uuuuW", "uu")                                                                          \
    X(23, HcsSignalProcess, "uuuuW", "uu")                                                                             \
    X(24, HcsGetProcessProperties, "uuuuW", "uu")                                                                      \
    X(25, HcsModifyProcess, "uuuuW", "uu")                                                                             \
    X(26, HcsGetProcessInfo, "uuuu", "uu")                                                                             \
    X(27, HcsSetProcessCallback, "uuu", "u")                                                                           \
    X(28, HcsWaitForProcessExit, "uuu", "uW")                                                                          \
    X(29, HcsGetServiceProperties, "Wu", "uW")                                                                         \
    X(30, HcsModifyServiceSettings, "Wu", "uW")                                                                        \
    X(31, HcsSubmitWerReport, "W", "u")                                                                                \
    X(32, HcsCreateEmptyGuestStateFile, "W", "u")                                                                      \
    X(33, HcsCreateEmptyRuntimeStateFile, "W", "u")                                                                    \
    X(34, HcsGrantVmAccess, "WW", "u")                                                                                 \
    X(35, HcsRevokeVmAccess, "WW", "u")                                                                                \
    X(36, HcsGrantVmGroupAccess, "W", "u")                                                                             \
    X(37, HcsRevokeVmGroupAccess, "W", "u")                                                                            \
    X(38, HcsGetProcessorCompatibilityFromSavedState, "Wu", "uW")                                                      \
    X(93, HcsInitializeLiveMigrationOnSource, "uuuuW", "uu")                                                           \
    X(94, HcsStartLiveMigrationOnSource, "uuuuW", "uu")                                                                \
    X(95, HcsStartLiveMigrationTransfer, "uuuuW", "uu")                                                                \
    X(96, HcsFinalizeLiveMigration, "uuuuW", "uu")                                                                     \
    X(97, HcsCancelLiveMigration, "uuuuW", "uu")                                                                       \
    WIRE_HCN_FUNCTIONS(X)

/* computenetwork's functions (storage-and-network §2.2), all synchronous:
 * seven per object type, numbered from `base` in this order. Flags say
 * which out-pointers the caller gave (WIRE_ARG_OUT, WIRE_ARG_ERROR). An
 * id is GUID text ('n' for a NULL REFGUID); Create's first value is the
 * network handle of an endpoint (0 otherwise). Replies carry the
 * HRESULT, then the handle or result, then the ErrorRecord. */
#define WIRE_HCN_OBJECT(X, base, Noun, Plural)                                                                         \
    X((base), HcnEnumerate##Plural, "Wu", "uWW")                                                                       \
    X((base) + 1, HcnCreate##Noun, "uAWu", "uuW")                                                                      \
    X((base) + 2, HcnOpen##Noun, "Au", "uuW")                                                                          \
    X((base) + 3, HcnModify##Noun, "uWu", "uW")                                                                        \
    X((base) + 4, HcnQuery##Noun##Properties, "uWu", "uWW")                                                            \
    X((base) + 5, HcnDelete##Noun, "Au", "uW")                                                                         \
    X((base) + 6, HcnClose##Noun, "u", "u")
/* Registrations name the target handle (0: the service), flags
 * (WIRE_ARG_OUT, WIRE_ARG_CALLBACK) and the client's id for the
 * registration, which notifications name; they come as EVENT frames
 * "uuWu": registration, type, data, status. Port reservations: the GNS
 * handle, then protocol, access, port (or count) and flags; the range
 * reply adds the first and last port; the enumeration's entries travel as
 * a JSON array. */
#define WIRE_HCN_FUNCTIONS(X)                                                                                          \
    WIRE_HCN_OBJECT(X, 39, Network, Networks)                                                                          \
    WIRE_HCN_OBJECT(X, 46, Endpoint, Endpoints)                                                                        \
    WIRE_HCN_OBJECT(X, 53, Namespace, Namespaces)                                                                      \
    WIRE_HCN_OBJECT(X, 60, LoadBalancer, LoadBalancers)                                                                \
    WIRE_HCN_OBJECT(X, 67, SdnRoute, SdnRoutes)                                                                        \
    WIRE_HCN_OBJECT(X, 74, GuestNetworkService, GuestNetworkServices)                                                  \
    X(81, HcnQueryEndpointStats, "uWu", "uWW")                                                                         \
    X(82, HcnQueryEndpointAddresses, "uWu", "uWW")                                                                     \
    X(83, HcnRegisterServiceCallback, "uuu", "uu")                                                                     \
    X(84, HcnUnregisterServiceCallback, "u", "u")                                                                      \
    X(85, HcnRegisterNetworkCallback, "uuu", "uu")                                                                     \
    X(86, HcnUnregisterNetworkCallback, "u", "u")                                                                      \
    X(87, HcnRegisterGuestNetworkServiceCallback, "uuu", "uu")                                                         \
    X(88, HcnUnregisterGuestNetworkServiceCallback, "u", "u")                                                          \
    X(89, HcnReserveGuestNetworkServicePort, "uuuuu", "uu")                                                            \
    X(90, HcnReserveGuestNetworkServicePortRange, "uuuuu", "uuuu")                                                     \
    X(91, HcnReleaseGuestNetworkServicePortReservationHandle, "u", "u")                                                \
    X(92, HcnEnumerateGuestNetworkPortReservations, "u", "uuA")

typedef enum wire_function {
#define WIRE_FUNCTION_ENUM(id, name, args, reply) WIRE_FN_##name = id,
    WIRE_FUNCTIONS(WIRE_FUNCTION_ENUM)
#undef WIRE_FUNCTION_ENUM
} wire_function;

/* The simulator's control API (hcssim.h) through the daemon, and the
 * daemon's own stop (hcssimd --stop). get_counts answers the first fields
 * of hcssim_counts only and is kept for the clients that use it;
 * get_all_counts answers every field (docs/hcssimd.md, "The protocol"). */
#define WIRE_CONTROLS(X)                                                                                               \
    X(1, set_latency, "Au", "u")                                                                                       \
    X(2, set_faults, "A", "uA")                                                                                        \
    X(3, set_behaviour, "AA", "u")                                                                                     \
    X(4, disconnect_service, "", "u")                                                                                  \
    X(5, restore_service, "", "u")                                                                                     \
    X(6, get_counts, "", "uuuuu")                                                                                      \
    X(7, stop_daemon, "", "u")                                                                                         \
    X(8, get_all_counts, "", "uuuuuuu")

typedef enum wire_control {
#define WIRE_CONTROL_ENUM(id, name, args, reply) WIRE_CTL_##name = id,
    WIRE_CONTROLS(WIRE_CONTROL_ENUM)
#undef WIRE_CONTROL_ENUM
} wire_control;

/* Id values with a meaning of their own. */
#define WIRE_INVALID UINT64_MAX
/* Operation flags. */
#define WIRE_OP_HAS_CALLBACK 1u
/* Argument flags: which pointers the caller gave (the daemon passes NULL
 * for the others, so the simulator judges them as in process). */
#define WIRE_ARG_OUT 1u        /* the out-parameter (handle or result) */
#define WIRE_ARG_SECURITY 2u   /* a security descriptor (reserved, must be NULL) */
#define WIRE_ARG_OPTIONS 4u    /* HCS_CREATE_OPTIONS */
#define WIRE_ARG_USER_TOKEN 8u /* HCS_CREATE_OPTIONS_1.UserToken */
#define WIRE_ARG_CALLBACK 16u  /* an event callback */
#define WIRE_ARG_ERROR 32u     /* an HCN ErrorRecord */
/* COMPLETE handle mask: which streams travel with the frame, in this order. */
#define WIRE_HANDLE_STDIN 1u
#define WIRE_HANDLE_STDOUT 2u
#define WIRE_HANDLE_STDERR 4u

typedef struct wire_header {
    uint32_t magic;
    uint16_t version;
    uint16_t type;
    uint64_t request; /* a CALL's or CONTROL's number, echoed by its REPLY; 0 otherwise */
    uint32_t length;  /* payload bytes */
    uint16_t handles; /* OS handles that travel with the frame (docs/hcssimd.md) */
    uint16_t reserved;
} wire_header;

typedef struct wire_value {
    char tag;             /* 'u', 'w', 'a' or 'n' */
    uint64_t u;           /* 'u' */
    const uint8_t *bytes; /* 'w' and 'a': inside the frame, not terminated, maybe unaligned */
    uint32_t count;       /* code units ('w') or bytes ('a') */
} wire_value;

typedef struct wire_msg {
    wire_header h;
    unsigned count;
    wire_value v[WIRE_MAX_VALUES];
} wire_msg;

/* Why a frame is refused. */
typedef enum wire_error {
    WIRE_OK = 0,
    WIRE_E_MAGIC = -1,     /* not a frame of this protocol */
    WIRE_E_VERSION = -2,   /* another version of the protocol */
    WIRE_E_TOO_BIG = -3,   /* longer than WIRE_MAX_PAYLOAD */
    WIRE_E_HEADER = -4,    /* reserved bits set, too many handles, unknown type */
    WIRE_E_TRUNCATED = -5, /* the payload ends inside a value */
    WIRE_E_VALUE = -6,     /* an unknown tag, a string too long or holding a NUL, bad UTF-8 */
    WIRE_E_SIGNATURE = -7, /* the values do not match the message's signature */
} wire_error;

/* Reads a header from its 24 bytes and checks what can be checked before
 * the payload is read: magic, version, length bound, handle count, type.
 * With WIRE_E_VERSION, *out is still filled (a daemon answers a HELLO of
 * another version with REFUSED). */
wire_error hcssim__wire_decode_header(const uint8_t bytes[WIRE_HEADER_SIZE], wire_header *out);

/* Decodes a whole frame (header and payload, n bytes) into *out: header
 * checks, every value well formed, no byte left over, and the signature of
 * the type (of the function, for CALL and CONTROL). A REPLY is checked for
 * well-formed values only: its signature depends on the request it
 * answers (hcssim__wire_expect). The values point into `frame`. */
wire_error hcssim__wire_decode(const uint8_t *frame, size_t n, wire_msg *out);

/* True when the values of m (from index `from`) match `signature`. */
bool hcssim__wire_expect(const wire_msg *m, unsigned from, const char *signature);

/* A readable name for an error, for logs. */
const char *hcssim__wire_error_name(wire_error e);

/* The name of a function number, or NULL. */
const char *hcssim__wire_function_name(uint64_t fn);

/* ---- writing frames ---------------------------------------------------- */

typedef struct wire_buf {
    uint8_t *data;
    size_t len, cap;
    bool failed; /* out of memory, or longer than WIRE_MAX_PAYLOAD */
} wire_buf;

/* Starts a frame in b (which must be zeroed or ended). */
void hcssim__wire_begin(wire_buf *b, wire_type type, uint64_t request);
void hcssim__wire_u64(wire_buf *b, uint64_t v);
/* A UTF-16 string up to its terminator (NULL: 'n'). */
void hcssim__wire_utf16(wire_buf *b, const uint16_t *s);
/* The same for an argument of a call: a string longer than
 * WIRE_MAX_STRING_UNITS is cut to that many units, which the simulator
 * refuses as too long, as it would in process (it reads no further). */
void hcssim__wire_argument(wire_buf *b, const uint16_t *s);
/* A UTF-8 string (NULL: 'n'). */
void hcssim__wire_utf8(wire_buf *b, const char *s);
/* Sets the request number of a begun frame. */
void hcssim__wire_set_request(wire_buf *b, uint64_t request);
/* Writes the payload length and handle count into the header. Returns 0,
 * or -1 (and frees the buffer) when the frame could not be written. */
int hcssim__wire_end(wire_buf *b, unsigned handles);
void hcssim__wire_free(wire_buf *b);

/* Copies a 'w' value into a new NUL-terminated UTF-16 string (malloc'ed),
 * or NULL for 'n'. Sets *failed when memory ran out. */
uint16_t *hcssim__wire_utf16_dup(const wire_value *v, bool *failed);
/* The same for an 'a' value. */
char *hcssim__wire_utf8_dup(const wire_value *v, bool *failed);

#endif
