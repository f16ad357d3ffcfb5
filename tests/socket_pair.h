/* A connected stream socket pair for tests of live migration
 * (hcs-newest §3): a Unix socket pair on POSIX (each end's ABI HANDLE is
 * fd + 1), a loopback TCP connection on Windows. Include it before
 * anything that includes windows.h. Needs cmocka.h's assertions. */
#ifndef HCSKIT_TESTS_SOCKET_PAIR_H
#define HCSKIT_TESTS_SOCKET_PAIR_H

#ifdef _WIN32
#include <winsock2.h>
#else
#include <sys/socket.h>
#include <unistd.h>
#endif

#include "hcs/computecore.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* A connected stream socket pair: [0] is handed to the simulator. */
static inline void socket_pair(HANDLE out[2])
{
#ifdef _WIN32
    WSADATA wsa;
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), &wsa), 0);
    SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int len = sizeof a;
    assert_int_equal(bind(l, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(l, 1), 0);
    assert_int_equal(getsockname(l, (struct sockaddr *)&a, &len), 0);
    SOCKET c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    assert_int_equal(connect(c, (struct sockaddr *)&a, sizeof a), 0);
    SOCKET s = accept(l, NULL, NULL);
    assert_true(s != INVALID_SOCKET);
    closesocket(l);
    out[0] = (HANDLE)s;
    out[1] = (HANDLE)c;
#else
    int fds[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    out[0] = (HANDLE)(intptr_t)(fds[0] + 1); /* the ABI's fd + 1 */
    out[1] = (HANDLE)(intptr_t)(fds[1] + 1);
#endif
}

static inline void socket_close(HANDLE h)
{
#ifdef _WIN32
    closesocket((SOCKET)h);
#else
    close((int)(intptr_t)h - 1);
#endif
}

/* The OS socket of an end, as libhcs's migration functions take it. */
static inline intptr_t socket_os(HANDLE h)
{
#ifdef _WIN32
    return (intptr_t)h;
#else
    return (intptr_t)h - 1;
#endif
}

#endif
