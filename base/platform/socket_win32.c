/* Windows sockets (see socket.h).
 *
 * Winsock is looked up at run time (ws2_32.dll from System32) rather than
 * linked: only a program that hands HCS a socket uses these, and it has
 * Winsock loaded already; hcs.dll, hcssim.dll and the self-contained
 * libhcs.a and libhcssim.a then need no new import library. */
#include <winsock2.h>

#include "socket.h"

#include <stdbool.h>
#include <string.h>

/* The Winsock functions used here, resolved once; all NULL when ws2_32.dll
 * is not there (then no socket is accepted). */
static struct {
    int(WSAAPI *startup)(WORD, LPWSADATA);
    int(WSAAPI *getsockopt)(SOCKET, int, int, char *, int *);
    int(WSAAPI *getpeername)(SOCKET, struct sockaddr *, int *);
    int(WSAAPI *duplicate)(SOCKET, DWORD, LPWSAPROTOCOL_INFOW);
    SOCKET(WSAAPI *open)(int, int, int, LPWSAPROTOCOL_INFOW, GROUP, DWORD);
    int(WSAAPI *close)(SOCKET);
    int(WSAAPI *send)(SOCKET, const char *, int, int);
    int(WSAAPI *recv)(SOCKET, char *, int, int);
    int(WSAAPI *shutdown)(SOCKET, int);
    int(WSAAPI *select)(int, fd_set *, fd_set *, fd_set *, const struct timeval *);
} ws;

static BOOL CALLBACK load_winsock(PINIT_ONCE once, PVOID param, PVOID *context)
{
    (void)once;
    (void)param;
    (void)context;
    HMODULE m = LoadLibraryExW(L"ws2_32.dll", NULL, LOAD_LIBRARY_SEARCH_SYSTEM32);
    if (!m)
        return TRUE;
#define RESOLVE(field, name) ws.field = (__typeof__(ws.field))(void (*)(void))GetProcAddress(m, name)
    RESOLVE(startup, "WSAStartup");
    RESOLVE(getsockopt, "getsockopt");
    RESOLVE(getpeername, "getpeername");
    RESOLVE(duplicate, "WSADuplicateSocketW");
    RESOLVE(open, "WSASocketW");
    RESOLVE(close, "closesocket");
    RESOLVE(send, "send");
    RESOLVE(recv, "recv");
    RESOLVE(shutdown, "shutdown");
    RESOLVE(select, "select");
#undef RESOLVE
    WSADATA data;
    /* A process given a socket by another (hcssimd) has not started
     * Winsock itself; never cleaned up: sockets may outlive any caller. */
    if (!ws.startup || !ws.getsockopt || !ws.getpeername || !ws.duplicate || !ws.open || !ws.close || !ws.send ||
        !ws.recv || !ws.shutdown || !ws.select || ws.startup(MAKEWORD(2, 2), &data) != 0)
        ws.getsockopt = NULL;
    return TRUE;
}

static bool winsock(void)
{
    static INIT_ONCE once = INIT_ONCE_STATIC_INIT;
    InitOnceExecuteOnce(&once, load_winsock, NULL, NULL);
    return ws.getsockopt != NULL;
}

intptr_t hcs__socket_from_abi(HANDLE h) { return !h || h == INVALID_HANDLE_VALUE ? -1 : (intptr_t)h; }

HANDLE hcs__socket_to_abi(intptr_t s) { return s < 0 ? NULL : (HANDLE)s; }

_Static_assert(sizeof(WSAPROTOCOL_INFOW) == HCS_SOCKET_SHARE_SIZE, "the shared bytes are one WSAPROTOCOL_INFOW");

static bool is_stream(intptr_t s)
{
    int type = 0, len = sizeof type;
    return ws.getsockopt((SOCKET)s, SOL_SOCKET, SO_TYPE, (char *)&type, &len) == 0 && type == SOCK_STREAM;
}

int hcs__socket_share(intptr_t s, uint32_t pid, uint8_t out[HCS_SOCKET_SHARE_SIZE])
{
    WSAPROTOCOL_INFOW info;
    if (s < 0 || !winsock() || !is_stream(s) || ws.duplicate((SOCKET)s, pid, &info) != 0)
        return -1;
    memcpy(out, &info, sizeof info);
    return 0;
}

intptr_t hcs__socket_adopt(const uint8_t bytes[HCS_SOCKET_SHARE_SIZE])
{
    WSAPROTOCOL_INFOW info;
    memcpy(&info, bytes, sizeof info);
    /* Bytes from another process are checked before Winsock reads them:
     * a stream socket of an Internet or local family, and a terminated
     * protocol name. */
    info.szProtocol[WSAPROTOCOL_LEN] = 0;
    if (!winsock() || info.iSocketType != SOCK_STREAM ||
        (info.iAddressFamily != AF_INET && info.iAddressFamily != AF_INET6 && info.iAddressFamily != AF_UNIX))
        return -1;
    SOCKET d = ws.open(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, WSA_FLAG_OVERLAPPED);
    if (d == INVALID_SOCKET)
        return -1;
    /* Forged bytes may describe a protocol rather than a shared socket,
     * and Winsock then makes a new one: only a connected one is the
     * sender's. */
    struct sockaddr_storage peer;
    int peer_len = sizeof peer;
    if (!is_stream((intptr_t)d) || ws.getpeername(d, (struct sockaddr *)&peer, &peer_len) != 0) {
        ws.close(d);
        return -1;
    }
    return (intptr_t)d;
}

/* A duplicate through WSADuplicateSocket is its own reference: the caller
 * may close its SOCKET while HCS still transfers over this one. */
intptr_t hcs__socket_dup(intptr_t s)
{
    uint8_t bytes[HCS_SOCKET_SHARE_SIZE];
    return hcs__socket_share(s, GetCurrentProcessId(), bytes) == 0 ? hcs__socket_adopt(bytes) : -1;
}

void hcs__socket_close(intptr_t s)
{
    if (s >= 0 && winsock())
        ws.close((SOCKET)s);
}

int hcs__socket_send_all(intptr_t s, const void *buf, size_t n)
{
    const char *at = buf;
    while (n > 0 && winsock()) {
        int sent = ws.send((SOCKET)s, at, n > INT32_MAX ? INT32_MAX : (int)n, 0);
        if (sent <= 0)
            return -1;
        at += sent;
        n -= (size_t)sent;
    }
    return n == 0 ? 0 : -1;
}

long hcs__socket_recv(intptr_t s, void *buf, size_t n)
{
    int got = winsock() ? ws.recv((SOCKET)s, buf, n > INT32_MAX ? INT32_MAX : (int)n, 0) : -1;
    return got < 0 ? -1 : (long)got;
}

void hcs__socket_shutdown(intptr_t s)
{
    if (s >= 0 && winsock())
        ws.shutdown((SOCKET)s, SD_BOTH);
}

int hcs__socket_readable(intptr_t s, uint32_t timeout_ms)
{
    if (!winsock())
        return -1;
    fd_set set;
    FD_ZERO(&set);
    FD_SET((SOCKET)s, &set);
    struct timeval tv = {.tv_sec = (long)(timeout_ms / 1000), .tv_usec = (long)(timeout_ms % 1000) * 1000};
    int n = ws.select(0, &set, NULL, NULL, &tv);
    return n == SOCKET_ERROR ? -1 : n > 0 ? 1 : 0;
}
