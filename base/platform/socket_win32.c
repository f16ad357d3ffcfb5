/* Windows sockets (see socket.h). */
#include <winsock2.h>

#include "socket.h"

intptr_t hcs__socket_from_abi(HANDLE h) { return !h || h == INVALID_HANDLE_VALUE ? -1 : (intptr_t)h; }

HANDLE hcs__socket_to_abi(intptr_t s) { return s < 0 ? NULL : (HANDLE)s; }

/* The caller made the socket, so Winsock is started in this process. A
 * duplicate through WSADuplicateSocket is its own reference: the caller
 * may close its SOCKET while HCS still transfers over this one. */
/* A process that received the socket from another (hcssimd) has not
 * started Winsock itself. */
static BOOL CALLBACK start_winsock(PINIT_ONCE once, PVOID param, PVOID *context)
{
    (void)once;
    (void)param;
    (void)context;
    WSADATA data;
    WSAStartup(MAKEWORD(2, 2), &data); /* never cleaned up: sockets may outlive any caller */
    return TRUE;
}

intptr_t hcs__socket_dup(intptr_t s)
{
    static INIT_ONCE once = INIT_ONCE_STATIC_INIT;
    InitOnceExecuteOnce(&once, start_winsock, NULL, NULL);
    int type = 0, len = sizeof type;
    if (s < 0 || getsockopt((SOCKET)s, SOL_SOCKET, SO_TYPE, (char *)&type, &len) != 0 || type != SOCK_STREAM)
        return -1;
    WSAPROTOCOL_INFOW info;
    if (WSADuplicateSocketW((SOCKET)s, GetCurrentProcessId(), &info) != 0)
        return -1;
    SOCKET d = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, WSA_FLAG_OVERLAPPED);
    return d == INVALID_SOCKET ? -1 : (intptr_t)d;
}

void hcs__socket_close(intptr_t s)
{
    if (s >= 0)
        closesocket((SOCKET)s);
}

int hcs__socket_send_all(intptr_t s, const void *buf, size_t n)
{
    const char *at = buf;
    while (n > 0) {
        int sent = send((SOCKET)s, at, n > INT32_MAX ? INT32_MAX : (int)n, 0);
        if (sent <= 0)
            return -1;
        at += sent;
        n -= (size_t)sent;
    }
    return 0;
}

long hcs__socket_recv(intptr_t s, void *buf, size_t n)
{
    int got = recv((SOCKET)s, buf, n > INT32_MAX ? INT32_MAX : (int)n, 0);
    return got < 0 ? -1 : (long)got;
}

void hcs__socket_shutdown(intptr_t s)
{
    if (s >= 0)
        shutdown((SOCKET)s, SD_BOTH);
}

int hcs__socket_readable(intptr_t s, uint32_t timeout_ms)
{
    fd_set set;
    FD_ZERO(&set);
    FD_SET((SOCKET)s, &set);
    struct timeval tv = {.tv_sec = (long)(timeout_ms / 1000), .tv_usec = (long)(timeout_ms % 1000) * 1000};
    int n = select(0, &set, NULL, NULL, &tv);
    return n == SOCKET_ERROR ? -1 : n > 0 ? 1 : 0;
}
