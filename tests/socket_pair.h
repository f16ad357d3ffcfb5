/* Sockets for tests of live migration (hcs-newest §3): loopback TCP
 * between processes, and a connected stream socket pair within one: a Unix
 * socket pair on POSIX (each end's ABI HANDLE is fd + 1), a loopback TCP
 * connection on Windows. Include it before anything that includes
 * windows.h. Needs cmocka.h's assertions. */
#ifndef HCSKIT_TESTS_SOCKET_PAIR_H
#define HCSKIT_TESTS_SOCKET_PAIR_H

#ifdef _WIN32
#include <winsock2.h>
#else
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

#include "hcs/computecore.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* ---- loopback TCP ------------------------------------------------------ */

#ifdef _WIN32
typedef SOCKET tcp;
typedef int tcp_len;
static inline void tcp_close(tcp s) { closesocket(s); }
#else
typedef int tcp;
typedef socklen_t tcp_len;
static inline void tcp_close(tcp s) { close(s); }
#endif

/* Once per process, before the first socket. */
static inline void tcp_init(void)
{
#ifdef _WIN32
    WSADATA wsa;
    assert_int_equal(WSAStartup(MAKEWORD(2, 2), &wsa), 0);
#else
    signal(SIGPIPE, SIG_IGN); /* a peer that went away fails a send instead */
#endif
}

static inline struct sockaddr_in tcp_loopback(unsigned short port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

/* A listener on a free loopback port, told in *port. */
static inline tcp tcp_listen(unsigned short *port)
{
    tcp l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct sockaddr_in a = tcp_loopback(0);
    tcp_len len = sizeof a;
    assert_int_equal(bind(l, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(l, 2), 0);
    assert_int_equal(getsockname(l, (struct sockaddr *)&a, &len), 0);
    *port = ntohs(a.sin_port);
    return l;
}

/* A connection to a loopback port, or (tcp)-1. */
static inline tcp tcp_connect(unsigned short port)
{
    tcp s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct sockaddr_in a = tcp_loopback(port);
    if (connect(s, (struct sockaddr *)&a, sizeof a) == 0)
        return s;
    tcp_close(s);
    return (tcp)-1;
}

/* ---- a pair within one process -------------------------------------------- */

/* A connected stream socket pair: [0] is handed to the simulator. */
static inline void socket_pair(HANDLE out[2])
{
#ifdef _WIN32
    tcp_init();
    unsigned short port;
    tcp l = tcp_listen(&port);
    tcp c = tcp_connect(port);
    assert_true(c != (tcp)-1);
    tcp s = accept(l, NULL, NULL);
    assert_true(s != INVALID_SOCKET);
    tcp_close(l);
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
