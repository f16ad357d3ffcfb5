/* hcssimd's transport on Windows: a named pipe (see transport.h and
 * docs/hcssimd.md, "Windows").
 *
 * - The pipe is created with a DACL that grants the daemon's user and
 *   nobody else, rejects remote clients, and is the first instance of its
 *   name (a second daemon on the same name refuses to start).
 * - Each client's user is checked when it connects: the token of the
 *   process GetNamedPipeClientProcessId names, or, where the OS does not
 *   name it (Wine answers 0), the client's token by impersonation once its
 *   first bytes are read. The client checks the daemon's user the same way
 *   (GetNamedPipeServerProcessId), falling back to the pipe's owner.
 * - Both ends use overlapped I/O, so that the reader and the writer of a
 *   connection never wait for each other (a synchronous handle serialises
 *   every call on it), and so that shutdown can end a blocked call.
 * - Handles go with a frame right after its 24-byte header, the header's
 *   handle count saying how many. The daemon's (stdio pipes) go by value:
 *   it duplicates each into the client process (DuplicateHandle, with
 *   PROCESS_DUP_HANDLE on the peer, whose pid the OS or the client's HELLO
 *   gives) and writes the values, 8 bytes each. A client's (its live
 *   migration socket) go as WSAPROTOCOL_INFOW bytes made for the daemon's
 *   pid (WSADuplicateSocketW; the OS or WELCOME gives the pid), from which
 *   the daemon makes its own socket: the daemon never adopts a handle value
 *   a client names. The receiver keeps track of where frames begin (it
 *   reads each header's length) so it knows where the handles are. */
#include "transport.h"

#include "platform/socket.h"
#include "util/utf16.h"

#include <windows.h>
#include <aclapi.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The frame header's layout that this file reads (protocol.h). */
enum { HEADER_SIZE = 24, HEADER_LENGTH_AT = 16, HEADER_HANDLES_AT = 20, MAX_HANDLES = 3, PIPE_BUFFER = 65536 };

static const char pipe_prefix[] = "\\\\.\\pipe\\";

struct wire_conn {
    HANDLE pipe;
    HANDLE stop;        /* manual-reset: shutdown was called */
    HANDLE read_event;  /* the reader's OVERLAPPED event */
    HANDLE write_event; /* the writer's */
    bool server;
    bool checked; /* the peer's user was checked (server side) */
    PSID user;    /* the daemon's user (server side, for the late check) */
    SRWLOCK peer_mu;
    uint64_t peer_pid;
    HANDLE peer; /* the peer process, opened with PROCESS_DUP_HANDLE (server side) */
    /* Where the reader is in the byte stream: header bytes seen of the
     * current frame, and payload bytes still to come. */
    uint8_t head[HEADER_SIZE];
    size_t head_have;
    uint64_t payload_left;
};

struct wire_listener {
    char *path;
    wchar_t *name;
    SECURITY_ATTRIBUTES sa;
    PSECURITY_DESCRIPTOR sd; /* holds the DACL too */
    PSID user;
    HANDLE next; /* the instance waiting for the next client */
    HANDLE connected;
    HANDLE stop;
};

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int
fail(char *why, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (size)
        vsnprintf(why, size, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---- names and users ----------------------------------------------------- */

/* A pipe path is \\.\pipe\NAME: a local pipe (no server name), NAME not
 * empty, the whole at most 256 characters (CreateNamedPipe's limit). */
static int pipe_name(const char *path, wchar_t **out, char *why, size_t why_size)
{
    *out = NULL;
    size_t prefix = sizeof pipe_prefix - 1;
    if (strlen(path) <= prefix || _strnicmp(path, pipe_prefix, prefix) != 0)
        return fail(why, why_size, "\"%s\" is not a local named pipe path (\\\\.\\pipe\\NAME)", path);
    uint16_t *wide = NULL;
    if (hcs__utf8_to_utf16(path, &wide) != 0)
        return fail(why, why_size, "the pipe path \"%s\" is not valid UTF-8", path);
    if (wcslen((wchar_t *)wide) > 256) {
        free(wide);
        return fail(why, why_size, "the pipe path \"%s\" is longer than 256 characters", path);
    }
    *out = (wchar_t *)wide;
    return 0;
}

int hcssim__transport_default_path(char *out, size_t size, char *why, size_t why_size)
{
    const char *env = getenv("HCSSIM_SOCKET");
    const char *path = env && env[0] ? env : "\\\\.\\pipe\\hcssim";
    if ((size_t)snprintf(out, size, "%s", path) >= size)
        return fail(why, why_size, "HCSSIM_SOCKET is too long");
    return 0;
}

/* The user of a token, copied (LocalFree), or NULL. */
static PSID token_user(HANDLE token)
{
    DWORD size = 0;
    GetTokenInformation(token, TokenUser, NULL, 0, &size);
    TOKEN_USER *tu = size ? malloc(size) : NULL;
    PSID copy = NULL;
    if (tu && GetTokenInformation(token, TokenUser, tu, size, &size)) {
        DWORD len = GetLengthSid(tu->User.Sid);
        copy = LocalAlloc(LMEM_FIXED, len);
        if (copy && !CopySid(len, copy, tu->User.Sid)) {
            LocalFree(copy);
            copy = NULL;
        }
    }
    free(tu);
    return copy;
}

static PSID process_user(HANDLE process)
{
    HANDLE token;
    if (!OpenProcessToken(process, TOKEN_QUERY, &token))
        return NULL;
    PSID sid = token_user(token);
    CloseHandle(token);
    return sid;
}

/* The user of process pid (LocalFree), or NULL when it cannot be told. */
static PSID user_of_pid(DWORD pid)
{
    HANDLE process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
    if (!process)
        return NULL;
    PSID sid = process_user(process);
    CloseHandle(process);
    return sid;
}

static bool same_user(PSID a, PSID b) { return a && b && EqualSid(a, b); }

/* The client of a pipe whose first bytes were read: its user, by
 * impersonation at identification level (the client asks for no more). */
static PSID client_user_by_impersonation(HANDLE pipe)
{
    if (!ImpersonateNamedPipeClient(pipe))
        return NULL;
    HANDLE token;
    BOOL opened = OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &token);
    /* Going on as another user is never safe: a failed revert ends the
     * daemon (the documented advice for ImpersonateNamedPipeClient). */
    if (!RevertToSelf())
        abort();
    if (!opened)
        return NULL;
    PSID sid = token_user(token);
    CloseHandle(token);
    return sid;
}

/* ---- the pipe's security ------------------------------------------------- */

/* A DACL with one entry: the user, full access. No other user, not even an
 * administrator or SYSTEM, may open the pipe. */
static int make_security(wire_listener *l, char *why, size_t why_size)
{
    l->user = process_user(GetCurrentProcess());
    if (!l->user)
        return fail(why, why_size, "cannot tell this process's user (error %lu)", GetLastError());
    DWORD acl_size = sizeof(ACL) + sizeof(ACCESS_ALLOWED_ACE) + GetLengthSid(l->user);
    l->sd = LocalAlloc(LMEM_FIXED | LMEM_ZEROINIT, SECURITY_DESCRIPTOR_MIN_LENGTH + acl_size);
    if (!l->sd)
        return fail(why, why_size, "out of memory");
    PACL acl = (PACL)((char *)l->sd + SECURITY_DESCRIPTOR_MIN_LENGTH);
    if (!InitializeSecurityDescriptor(l->sd, SECURITY_DESCRIPTOR_REVISION) ||
        !InitializeAcl(acl, acl_size, ACL_REVISION) || !AddAccessAllowedAce(acl, ACL_REVISION, GENERIC_ALL, l->user) ||
        !SetSecurityDescriptorDacl(l->sd, TRUE, acl, FALSE))
        return fail(why, why_size, "cannot build the pipe's access list (error %lu)", GetLastError());
    l->sa.nLength = sizeof l->sa;
    l->sa.lpSecurityDescriptor = l->sd;
    l->sa.bInheritHandle = FALSE;
    return 0;
}

/* Reads the pipe's DACL back: one entry, allowing the user. */
static int check_security(wire_listener *l, HANDLE pipe, char *why, size_t why_size)
{
    PACL dacl = NULL;
    PSECURITY_DESCRIPTOR sd = NULL;
    DWORD rc = GetSecurityInfo(pipe, SE_KERNEL_OBJECT, DACL_SECURITY_INFORMATION, NULL, NULL, &dacl, NULL, &sd);
    bool ok = rc == ERROR_SUCCESS && dacl && dacl->AceCount == 1;
    ACCESS_ALLOWED_ACE *ace = NULL;
    if (ok)
        ok = GetAce(dacl, 0, (void **)&ace) && ace->Header.AceType == ACCESS_ALLOWED_ACE_TYPE &&
             EqualSid((PSID)&ace->SidStart, l->user);
    if (sd)
        LocalFree(sd);
    return ok ? 0 : fail(why, why_size, "the pipe %s did not keep its access list (this user only)", l->path);
}

static HANDLE new_instance(wire_listener *l, bool first)
{
    DWORD open_mode = PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED | (first ? FILE_FLAG_FIRST_PIPE_INSTANCE : 0);
    return CreateNamedPipeW(l->name, open_mode,
                            PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS,
                            PIPE_UNLIMITED_INSTANCES, PIPE_BUFFER, PIPE_BUFFER, 0, &l->sa);
}

/* Whether a pipe of this name exists: a client can open it, or finds it
 * busy or closed to it. Wine does not enforce FILE_FLAG_FIRST_PIPE_INSTANCE,
 * so this probe is what refuses a second daemon there. */
static bool pipe_exists(const wchar_t *name)
{
    HANDLE h = CreateFileW(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                           SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION, NULL);
    if (h != INVALID_HANDLE_VALUE) {
        CloseHandle(h);
        return true;
    }
    DWORD e = GetLastError();
    return e != ERROR_FILE_NOT_FOUND && e != ERROR_PATH_NOT_FOUND;
}

/* ---- connections ---------------------------------------------------------- */

static wire_conn *conn_new(HANDLE pipe, bool server)
{
    wire_conn *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->pipe = pipe;
    c->server = server;
    InitializeSRWLock(&c->peer_mu);
    c->stop = CreateEventW(NULL, TRUE, FALSE, NULL);
    c->read_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    c->write_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!c->stop || !c->read_event || !c->write_event) {
        c->pipe = NULL; /* the caller closes it */
        hcssim__transport_close(c);
        return NULL;
    }
    return c;
}

/* The peer process, for duplicating handles into it. */
static void set_peer(wire_conn *c, uint64_t pid)
{
    AcquireSRWLockExclusive(&c->peer_mu);
    if (!c->peer_pid && pid && pid <= MAXDWORD) {
        c->peer_pid = pid;
        c->peer = OpenProcess(PROCESS_DUP_HANDLE, FALSE, (DWORD)pid);
    }
    ReleaseSRWLockExclusive(&c->peer_mu);
}

int hcssim__transport_listen(const char *path, wire_listener **out, char *why, size_t why_size)
{
    *out = NULL;
    wire_listener *l = calloc(1, sizeof *l);
    if (!l)
        return fail(why, why_size, "out of memory");
    if (pipe_name(path, &l->name, why, why_size) != 0)
        goto error;
    if (!(l->path = _strdup(path))) {
        fail(why, why_size, "out of memory");
        goto error;
    }
    if (pipe_exists(l->name)) {
        fail(why, why_size, "another hcssimd is already listening on %s (or another program has that pipe)", path);
        goto error;
    }
    if (make_security(l, why, why_size) != 0)
        goto error;
    l->connected = CreateEventW(NULL, TRUE, FALSE, NULL);
    l->stop = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!l->connected || !l->stop) {
        fail(why, why_size, "cannot create an event (error %lu)", GetLastError());
        goto error;
    }
    l->next = new_instance(l, true);
    if (l->next == INVALID_HANDLE_VALUE) {
        DWORD e = GetLastError();
        l->next = NULL;
        if (e == ERROR_ACCESS_DENIED || e == ERROR_PIPE_BUSY)
            fail(why, why_size, "another hcssimd is already listening on %s (or another program has that pipe)", path);
        else
            fail(why, why_size, "cannot create the pipe %s (error %lu)", path, e);
        goto error;
    }
    if (check_security(l, l->next, why, why_size) != 0)
        goto error;
    *out = l;
    return 0;
error:
    hcssim__transport_listener_close(l);
    return -1;
}

/* Waits until the instance l->next has a client. Returns 0, -1 once
 * stopped, or 1 when that client went away first (try again). */
static int wait_connected(wire_listener *l)
{
    OVERLAPPED ov = {0};
    ov.hEvent = l->connected;
    if (ConnectNamedPipe(l->next, &ov))
        return 0;
    DWORD e = GetLastError();
    if (e == ERROR_PIPE_CONNECTED)
        return 0;
    if (e != ERROR_IO_PENDING)
        return 1;
    HANDLE wait[2] = {l->connected, l->stop};
    DWORD which = WaitForMultipleObjects(2, wait, FALSE, INFINITE);
    DWORD ignored;
    if (which != WAIT_OBJECT_0) {
        CancelIoEx(l->next, &ov);
        GetOverlappedResult(l->next, &ov, &ignored, TRUE); /* ov is ours again */
        return -1;
    }
    return GetOverlappedResult(l->next, &ov, &ignored, FALSE) ? 0 : 1;
}

int hcssim__transport_accept(wire_listener *l, wire_conn **out, char *why, size_t why_size)
{
    *out = NULL;
    for (;;) {
        if (WaitForSingleObject(l->stop, 0) == WAIT_OBJECT_0)
            return -1;
        if (!l->next) {
            l->next = new_instance(l, false);
            if (l->next == INVALID_HANDLE_VALUE) {
                l->next = NULL;
                return fail(why, why_size, "cannot create another instance of %s (error %lu)", l->path, GetLastError());
            }
        }
        int rc = wait_connected(l);
        if (rc < 0)
            return -1;
        HANDLE pipe = l->next;
        /* The next instance exists before this one is handed on or closed:
         * between the two, a client opening the pipe would find no pipe at
         * all (ERROR_FILE_NOT_FOUND) instead of an instance to wait for.
         * If it cannot be made now, the loop's first step tries again. */
        l->next = new_instance(l, false);
        if (l->next == INVALID_HANDLE_VALUE)
            l->next = NULL;
        if (rc > 0) {
            CloseHandle(pipe);
            continue;
        }
        /* The client's process, when the OS names it, and its user now;
         * else its user by impersonation once it has written (recv). */
        ULONG pid = 0;
        if (!GetNamedPipeClientProcessId(pipe, &pid))
            pid = 0;
        PSID peer_user = pid ? user_of_pid(pid) : NULL;
        if (pid && !same_user(peer_user, l->user)) {
            if (peer_user)
                LocalFree(peer_user);
            CloseHandle(pipe);
            fail(why, why_size, "refused a client (pid %lu) that does not run as this daemon's user", pid);
            return 1;
        }
        if (peer_user)
            LocalFree(peer_user);
        wire_conn *c = conn_new(pipe, true);
        if (!c) {
            CloseHandle(pipe);
            continue;
        }
        c->checked = pid != 0;
        if (!c->checked) {
            DWORD len = GetLengthSid(l->user);
            c->user = LocalAlloc(LMEM_FIXED, len);
            if (!c->user || !CopySid(len, c->user, l->user)) {
                hcssim__transport_close(c);
                continue;
            }
        }
        set_peer(c, pid);
        *out = c;
        return 0;
    }
}

void hcssim__transport_listener_stop(wire_listener *l) { SetEvent(l->stop); }

void hcssim__transport_listener_close(wire_listener *l)
{
    if (!l)
        return;
    if (l->next)
        CloseHandle(l->next);
    if (l->connected)
        CloseHandle(l->connected);
    if (l->stop)
        CloseHandle(l->stop);
    if (l->user)
        LocalFree(l->user);
    if (l->sd)
        LocalFree(l->sd);
    free(l->name);
    free(l->path);
    free(l);
}

/* The daemon's user, as the client can tell it: by the server's process
 * (GetNamedPipeServerProcessId), else by the pipe's owner. Returns 1 when
 * it is this user, 0 when another, -1 when neither can be told (Wine
 * answers neither: there every process runs as the one user). */
static int daemon_is_same_user(HANDLE pipe, PSID self, char *who, size_t who_size)
{
    ULONG pid = 0;
    PSID sid = NULL;
    if (GetNamedPipeServerProcessId(pipe, &pid) && pid)
        sid = user_of_pid(pid);
    PSECURITY_DESCRIPTOR sd = NULL;
    if (!sid) {
        PSID owner = NULL;
        if (GetSecurityInfo(pipe, SE_KERNEL_OBJECT, OWNER_SECURITY_INFORMATION, &owner, NULL, NULL, NULL, &sd) ==
                ERROR_SUCCESS &&
            owner)
            sid = owner;
    }
    int verdict = sid ? same_user(sid, self) : -1;
    if (verdict == 0)
        snprintf(who, who_size, "%s %lu", pid ? "pid" : "owner of the pipe, not pid", pid);
    if (sd)
        LocalFree(sd);
    else if (sid)
        LocalFree(sid);
    return verdict;
}

int hcssim__transport_connect(const char *path, wire_conn **out, char *why, size_t why_size)
{
    *out = NULL;
    wchar_t *name;
    if (pipe_name(path, &name, why, why_size) != 0)
        return -1;
    HANDLE pipe = INVALID_HANDLE_VALUE;
    /* Every instance busy (32 clients connecting at once): wait for one,
     * up to 10 s in all. The daemon makes the next instance as soon as
     * one is taken. Identification level: the daemon may learn this
     * client's user, not act as it. */
    for (int tries = 0; tries < 1000; tries++) {
        pipe = CreateFileW(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                           FILE_FLAG_OVERLAPPED | SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION, NULL);
        if (pipe != INVALID_HANDLE_VALUE || GetLastError() != ERROR_PIPE_BUSY)
            break;
        if (!WaitNamedPipeW(name, 10))
            Sleep(1);
    }
    DWORD e = GetLastError();
    free(name);
    if (pipe == INVALID_HANDLE_VALUE)
        return fail(why, why_size, "cannot reach hcssimd at %s (error %lu%s)", path, e,
                    e == ERROR_FILE_NOT_FOUND ? ": no such pipe" : "");
    PSID self = process_user(GetCurrentProcess());
    char who[64] = "";
    int verdict = self ? daemon_is_same_user(pipe, self, who, sizeof who) : 0;
    if (self)
        LocalFree(self);
    if (verdict == 0) {
        CloseHandle(pipe);
        return fail(why, why_size, "the hcssimd at %s (%s) runs as another user, not this user", path, who);
    }
    wire_conn *c = conn_new(pipe, false);
    if (!c) {
        CloseHandle(pipe);
        return fail(why, why_size, "out of memory");
    }
    c->checked = true; /* the daemon was checked above; its bytes need no late check */
    ULONG pid = 0;
    if (GetNamedPipeServerProcessId(pipe, &pid))
        c->peer_pid = pid;
    *out = c;
    return 0;
}

/* ---- moving bytes --------------------------------------------------------- */

/* One overlapped read or write of up to len bytes: the bytes moved, or -1
 * when the pipe broke or shutdown was called. Nothing moved counts as the
 * end: neither side ever writes zero bytes. */
static long transfer(wire_conn *c, void *buf, size_t len, bool reading)
{
    OVERLAPPED ov = {0};
    ov.hEvent = reading ? c->read_event : c->write_event;
    DWORD n = len > PIPE_BUFFER ? PIPE_BUFFER : (DWORD)len, done = 0;
    BOOL ok = reading ? ReadFile(c->pipe, buf, n, NULL, &ov) : WriteFile(c->pipe, buf, n, NULL, &ov);
    if (!ok && GetLastError() != ERROR_IO_PENDING)
        return -1;
    HANDLE wait[2] = {ov.hEvent, c->stop};
    DWORD which = WaitForMultipleObjects(2, wait, FALSE, INFINITE);
    if (which != WAIT_OBJECT_0)
        CancelIoEx(c->pipe, &ov);
    ok = GetOverlappedResult(c->pipe, &ov, &done, TRUE); /* after a cancel: waits until ov is ours again */
    return ok && which == WAIT_OBJECT_0 && done > 0 ? (long)done : -1;
}

static int write_all(wire_conn *c, const uint8_t *p, size_t len)
{
    while (len > 0) {
        long put = transfer(c, (void *)p, len, false);
        if (put < 0)
            return -1;
        p += put;
        len -= (size_t)put;
    }
    return 0;
}

static int read_all(wire_conn *c, uint8_t *p, size_t len)
{
    while (len > 0) {
        long got = transfer(c, p, len, true);
        if (got < 0)
            return -1;
        p += got;
        len -= (size_t)got;
    }
    return 0;
}

/* Closes a handle that was duplicated into the peer and never reached it. */
static void take_back(wire_conn *c, uint64_t value)
{
    DuplicateHandle(c->peer, (HANDLE)(uintptr_t)value, NULL, NULL, 0, FALSE, DUPLICATE_CLOSE_SOURCE);
}

/* A client's sockets: their shared bytes for the daemon's process, in
 * one write with the header. A socket that cannot be shared goes as zero
 * bytes, which the daemon refuses as not a socket: the call then fails
 * with that, not the connection. */
static int send_sockets(wire_conn *c, const uint8_t *frame, size_t len, const wire_handle *handles, unsigned n)
{
    uint8_t head[HEADER_SIZE + HCS_SOCKET_SHARE_SIZE * MAX_HANDLES] = {0};
    memcpy(head, frame, HEADER_SIZE);
    uint64_t pid = hcssim__transport_peer_pid(c);
    for (unsigned i = 0; i < n; i++) {
        uint8_t *at = head + HEADER_SIZE + HCS_SOCKET_SHARE_SIZE * i;
        if (pid > MAXDWORD || hcs__socket_share(handles[i], (uint32_t)pid, at) != 0)
            memset(at, 0, HCS_SOCKET_SHARE_SIZE);
    }
    if (write_all(c, head, HEADER_SIZE + HCS_SOCKET_SHARE_SIZE * (size_t)n) != 0)
        return -1; /* a shared socket nobody made is nothing to take back */
    return write_all(c, frame + HEADER_SIZE, len - HEADER_SIZE);
}

int hcssim__transport_send(wire_conn *c, const uint8_t *frame, size_t len, const wire_handle *handles, unsigned n)
{
    if (n == 0)
        return write_all(c, frame, len);
    if (n > MAX_HANDLES || len < HEADER_SIZE)
        return -1;
    if (!c->server)
        return send_sockets(c, frame, len, handles, n);
    AcquireSRWLockShared(&c->peer_mu);
    HANDLE peer = c->peer;
    ReleaseSRWLockShared(&c->peer_mu);
    if (!peer)
        return -1; /* no process to give them to */
    /* The header and the values in one write: the peer adopts the values
     * only once it has all of them, so until that write is whole they are
     * still this side's to take back. */
    uint8_t head[HEADER_SIZE + 8 * MAX_HANDLES];
    memcpy(head, frame, HEADER_SIZE);
    uint64_t values[MAX_HANDLES];
    for (unsigned i = 0; i < n; i++) {
        HANDLE theirs = NULL;
        if (!DuplicateHandle(GetCurrentProcess(), (HANDLE)handles[i], peer, &theirs, 0, FALSE, DUPLICATE_SAME_ACCESS)) {
            while (i-- > 0)
                take_back(c, values[i]);
            return -1;
        }
        values[i] = (uint64_t)(uintptr_t)theirs;
        for (int b = 0; b < 8; b++)
            head[HEADER_SIZE + 8 * i + (unsigned)b] = (uint8_t)(values[i] >> (8 * b));
    }
    if (write_all(c, head, HEADER_SIZE + 8 * (size_t)n) != 0) {
        for (unsigned i = 0; i < n; i++)
            take_back(c, values[i]);
        return -1;
    }
    return write_all(c, frame + HEADER_SIZE, len - HEADER_SIZE);
}

/* The late user check (see accept): after the client's first bytes. */
static int check_late(wire_conn *c)
{
    c->checked = true;
    PSID sid = client_user_by_impersonation(c->pipe);
    bool ok = same_user(sid, c->user);
    if (sid)
        LocalFree(sid);
    if (!ok)
        fprintf(stderr, "hcssimd: refused a client (pid %llu) that does not run as this daemon's user\n",
                (unsigned long long)c->peer_pid);
    return ok ? 0 : -1;
}

/* Stores a received handle (-1 for one that could not be made) where the
 * caller has room; one beyond that is closed and fails the call. */
static int keep(wire_handle h, bool socket, wire_handle *handles, unsigned *n, unsigned max)
{
    if (handles && *n < max) {
        handles[(*n)++] = h;
        return 0;
    }
    if (socket)
        hcs__socket_close(h);
    return -1;
}

/* A frame's handles, read right after its header. On the daemon, a
 * client's sockets as shared bytes: bytes that make no stream socket come
 * as -1, so that the call, not the connection, fails. On a client, the
 * daemon's handle values: those beyond max are not trusted to be handles
 * of this process and are left alone, failing the call. */
static int read_handles(wire_conn *c, wire_handle *handles, unsigned *n, unsigned max)
{
    unsigned count = (unsigned)c->head[HEADER_HANDLES_AT] | (unsigned)c->head[HEADER_HANDLES_AT + 1] << 8;
    if (count == 0)
        return 0;
    if (count > MAX_HANDLES)
        return -1;
    size_t each = c->server ? HCS_SOCKET_SHARE_SIZE : 8;
    uint8_t raw[HCS_SOCKET_SHARE_SIZE * MAX_HANDLES];
    if (read_all(c, raw, each * count) != 0)
        return -1;
    int status = 0;
    for (unsigned i = 0; i < count; i++) {
        const uint8_t *at = raw + each * i;
        uint64_t v = 0;
        for (int b = 7; b >= 0 && !c->server; b--)
            v = v << 8 | at[b];
        wire_handle h = c->server ? hcs__socket_adopt(at) : (wire_handle)(uintptr_t)v;
        if (keep(h, c->server, handles, n, max) != 0)
            status = -1;
    }
    return status;
}

int hcssim__transport_recv(wire_conn *c, uint8_t *buf, size_t len, wire_handle *handles, unsigned *n, unsigned max)
{
    int status = 0;
    while (len > 0) {
        size_t want;
        if (c->head_have < HEADER_SIZE) {
            want = HEADER_SIZE - c->head_have < len ? HEADER_SIZE - c->head_have : len;
            if (read_all(c, buf, want) != 0)
                return -1;
            if (!c->checked && check_late(c) != 0)
                return -1;
            memcpy(c->head + c->head_have, buf, want);
            c->head_have += want;
            if (c->head_have == HEADER_SIZE) {
                const uint8_t *l = c->head + HEADER_LENGTH_AT;
                c->payload_left = (uint64_t)l[0] | (uint64_t)l[1] << 8 | (uint64_t)l[2] << 16 | (uint64_t)l[3] << 24;
                if (read_handles(c, handles, n, max) != 0)
                    status = -1;
                if (c->payload_left == 0)
                    c->head_have = 0;
            }
        } else {
            want = c->payload_left < len ? (size_t)c->payload_left : len;
            if (read_all(c, buf, want) != 0)
                return -1;
            c->payload_left -= want;
            if (c->payload_left == 0)
                c->head_have = 0;
        }
        buf += want;
        len -= want;
    }
    return status;
}

void hcssim__transport_shutdown(wire_conn *c) { SetEvent(c->stop); }

void hcssim__transport_close(wire_conn *c)
{
    if (!c)
        return;
    if (c->pipe)
        CloseHandle(c->pipe);
    if (c->peer)
        CloseHandle(c->peer);
    if (c->user)
        LocalFree(c->user);
    if (c->stop)
        CloseHandle(c->stop);
    if (c->read_event)
        CloseHandle(c->read_event);
    if (c->write_event)
        CloseHandle(c->write_event);
    free(c);
}

void hcssim__transport_close_handle(wire_handle h)
{
    if (h != -1 && h != 0)
        CloseHandle((HANDLE)h);
}

void hcssim__transport_set_peer_pid(wire_conn *c, uint64_t pid)
{
    if (c->server) {
        set_peer(c, pid);
        return;
    }
    AcquireSRWLockExclusive(&c->peer_mu);
    if (!c->peer_pid)
        c->peer_pid = pid; /* the daemon, which a socket is shared with */
    ReleaseSRWLockExclusive(&c->peer_mu);
}

uint64_t hcssim__transport_peer_pid(const wire_conn *c)
{
    AcquireSRWLockShared((PSRWLOCK)&c->peer_mu);
    uint64_t pid = c->peer_pid;
    ReleaseSRWLockShared((PSRWLOCK)&c->peer_mu);
    return pid;
}

uint64_t hcssim__transport_own_pid(void) { return (uint64_t)GetCurrentProcessId(); }

int hcssim__transport_can_send_handles(wire_conn *c) { return !c->server && hcssim__transport_peer_pid(c) != 0; }
