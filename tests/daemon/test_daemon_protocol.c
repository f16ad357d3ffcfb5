/* hcssimd against bad clients and other users (docs/hcssimd.md, "Limits
 * and errors", "Security"): a malformed, oversized or truncated frame, a
 * frame of the wrong kind or order, handles sent by a client, another
 * protocol version: each closes that connection only; the daemon and a
 * well-behaved client beside it notice nothing. Also: the socket is mode
 * 0600 (Windows: the pipe's DACL names the user alone), another user is
 * refused (when the test runs as root and can become another user), a
 * second daemon on the same socket is refused, a path that is no socket
 * (no pipe) is refused, and --status answers. */
#include "daemon_helpers.h"

#include "hcs/computecore.h"
#include "protocol.h"

#ifdef _WIN32
#include <aclapi.h>
#else
#include <poll.h>
#include <pwd.h>
#endif

static test_proc daemon_pid;
static hcs_client client;
static hcs_system good;
static int good_events;
static hcs_mutex events_mu;

static void on_event(const hcs_event *e, void *user)
{
    (void)e;
    (void)user;
    hcs__mutex_lock(&events_mu);
    good_events++;
    hcs__mutex_unlock(&events_mu);
}

#ifdef _WIN32
static uint64_t daemon_connections(void);
static uint64_t baseline_connections;
#endif

static int setup(void **state)
{
    (void)state;
    hcs__mutex_init(&events_mu);
    use_socket("protocol");
    daemon_pid = daemon_start();
    client = open_daemon_client();
    good = running_system(client, unique_id("good"));
    hcs_error err = HCS_ERROR_INIT;
#ifdef _WIN32
    baseline_connections = daemon_connections(); /* the good client's (end_early) */
#endif
    return hcs_system_subscribe(good, &(hcs_event_sink){.callback = on_event}, NULL, &err) == HCS_OK ? 0 : -1;
}

/* cmocka (1.1.5) reports a failed group teardown but does not count it in
 * what cmocka_run_group_tests returns: main adds it. */
static bool teardown_failed;

/* The daemon's stop must end it with status 0 (docs/hcssimd.md). */
static int teardown(void **state)
{
    (void)state;
    hcs_system_terminate(good, 10000, NULL);
    hcs_system_close(good);
    hcs_client_close(client);
    int status = daemon_stop(daemon_pid);
    hcs__mutex_destroy(&events_mu);
    if (status != 0)
        fprintf(stderr, "hcssimd exited %d\n", status);
    teardown_failed = status != 0;
    return status == 0 ? 0 : -1;
}

/* The well-behaved client still works and heard of nothing. */
static void good_client_unaffected(void)
{
    char *props = NULL;
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(hcs_system_properties_json(good, NULL, 10000, &props, &err), HCS_OK);
    assert_non_null(strstr(props, "\"State\":\"Running\""));
    hcs_free(props);
    hcs__mutex_lock(&events_mu);
    assert_int_equal(good_events, 0);
    hcs__mutex_unlock(&events_mu);
}

/* A connection made by hand: a socket (POSIX) or a pipe handle (Windows). */
#ifdef _WIN32
typedef HANDLE raw_conn;

static raw_conn raw_connect(void)
{
    /* Only a busy pipe is waited for: no pipe at all is a failure. */
    HANDLE h = INVALID_HANDLE_VALUE;
    for (int i = 0; i < 1000; i++) {
        h = CreateFileA(socket_path, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
        if (h != INVALID_HANDLE_VALUE || GetLastError() != ERROR_PIPE_BUSY)
            break;
        WaitNamedPipeA(socket_path, 10);
    }
    DWORD e = GetLastError();
    if (h == INVALID_HANDLE_VALUE)
        fail_msg("cannot open %s (error %lu)", socket_path, e);
    return h;
}

static void raw_close(raw_conn fd) { CloseHandle(fd); }

static void send_all(raw_conn fd, const void *data, size_t n)
{
    const char *p = data;
    while (n) {
        DWORD put = 0;
        if (!WriteFile(fd, p, n > 65536 ? 65536 : (DWORD)n, &put, NULL) || put == 0)
            return; /* the daemon may close first: that is the point */
        p += put;
        n -= put;
    }
}

/* Some bytes, waiting up to 10 s for them (hang guard); 0 at the end. */
static long raw_read(raw_conn fd, void *buf, size_t n)
{
    intptr_t pipe = (intptr_t)fd;
    assert_int_equal(hcs__os_pipe_wait_readable(&pipe, 1, 10000), 0);
    DWORD got = 0;
    return ReadFile(fd, buf, (DWORD)n, &got, NULL) ? (long)got : 0;
}
#else
typedef int raw_conn;

static raw_conn raw_connect(void)
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un sa = address_of(socket_path);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    return fd;
}

static void raw_close(raw_conn fd) { close(fd); }

static void send_all(raw_conn fd, const void *data, size_t n)
{
    const char *p = data;
    while (n) {
        ssize_t put = send(fd, p, n, MSG_NOSIGNAL);
        if (put <= 0)
            return; /* the daemon may close first: that is the point */
        p += put;
        n -= (size_t)put;
    }
}

static long raw_read(raw_conn fd, void *buf, size_t n)
{
    struct pollfd p = {fd, POLLIN, 0};
    assert_int_equal(poll(&p, 1, 10000), 1); /* hang guard */
    ssize_t got = read(fd, buf, n);
    return got < 0 ? 0 : (long)got;
}
#endif

static void send_buf(raw_conn fd, wire_buf *b)
{
    assert_int_equal(hcssim__wire_end(b, 0), 0);
    send_all(fd, b->data, b->len);
    hcssim__wire_free(b);
}

/* Reads one whole frame; returns its type, or -1 at end of stream. */
static int read_frame(raw_conn fd, wire_msg *m, uint8_t **frame)
{
    uint8_t head[WIRE_HEADER_SIZE];
    size_t have = 0;
    *frame = NULL;
    while (have < sizeof head) {
        long got = raw_read(fd, head + have, sizeof head - have);
        if (got <= 0)
            return -1;
        have += (size_t)got;
    }
    wire_header h;
    assert_int_equal(hcssim__wire_decode_header(head, &h), WIRE_OK);
    *frame = malloc(WIRE_HEADER_SIZE + (size_t)h.length);
    memcpy(*frame, head, sizeof head);
    for (have = 0; have < h.length;) {
        long got = raw_read(fd, *frame + WIRE_HEADER_SIZE + have, h.length - have);
        assert_true(got > 0);
        have += (size_t)got;
    }
    assert_int_equal(hcssim__wire_decode(*frame, WIRE_HEADER_SIZE + (size_t)h.length, m), WIRE_OK);
    return m->h.type;
}

static void send_hello(raw_conn fd)
{
    wire_buf b;
    hcssim__wire_begin(&b, WIRE_HELLO, 1);
    hcssim__wire_u64(&b, (uint64_t)test_pid());
    hcssim__wire_u64(&b, 0);
    send_buf(fd, &b);
}

static void hello(raw_conn fd)
{
    send_hello(fd);
    wire_msg m;
    uint8_t *frame;
    assert_int_equal(read_frame(fd, &m, &frame), WIRE_WELCOME);
    free(frame);
}

/* The daemon closes this connection (within 10 s), after at most the
 * frames it owed. */
static void expect_closed(raw_conn fd)
{
    for (;;) {
        wire_msg m;
        uint8_t *frame;
        int type = read_frame(fd, &m, &frame);
        free(frame);
        if (type < 0)
            break;
    }
    raw_close(fd);
    good_client_unaffected();
}

#ifdef _WIN32
/* The connections the daemon serves, not counting the one that asks. */
static uint64_t daemon_connections(void)
{
    raw_conn fd = raw_connect();
    hello(fd);
    wire_buf b;
    hcssim__wire_begin(&b, WIRE_CONTROL, 2);
    hcssim__wire_u64(&b, WIRE_CTL_get_counts);
    send_buf(fd, &b);
    wire_msg m;
    uint8_t *frame;
    assert_int_equal(read_frame(fd, &m, &frame), WIRE_REPLY);
    assert_true(hcssim__wire_expect(&m, 0, "uuuuu"));
    uint64_t n = m.v[4].u - 1;
    free(frame);
    raw_close(fd);
    return n;
}
#endif

/* The client stops sending in the middle of a frame. POSIX: it shuts its
 * side down, and the daemon closes the connection. Windows: a pipe has no
 * half-close, so the client goes, and the daemon's count of connections
 * comes back to the baseline within 10 s. The baseline is the lowest count
 * seen: when setup counted, a connection of its own (an earlier probe, a
 * system's create) may still have been closing in the daemon. */
static void end_early(raw_conn fd)
{
#ifdef _WIN32
    raw_close(fd);
    uint64_t n = daemon_connections();
    for (int i = 0; i < 500 && n > baseline_connections; i++) {
        hcs__sleep_ms(20);
        n = daemon_connections();
    }
    assert_true(n <= baseline_connections);
    baseline_connections = n;
    good_client_unaffected();
#else
    shutdown(fd, SHUT_WR);
    expect_closed(fd);
#endif
}

/* ---- frames that are not frames ---------------------------------------- */

static void bad_magic(void **state)
{
    (void)state;
    raw_conn fd = raw_connect();
    uint8_t junk[WIRE_HEADER_SIZE];
    memset(junk, 'x', sizeof junk);
    send_all(fd, junk, sizeof junk);
    expect_closed(fd);
}

static void oversized(void **state)
{
    (void)state;
    raw_conn fd = raw_connect();
    wire_buf b;
    hcssim__wire_begin(&b, WIRE_HELLO, 1);
    assert_int_equal(hcssim__wire_end(&b, 0), 0);
    uint32_t huge = WIRE_MAX_PAYLOAD + 1;
    memcpy(b.data + 16, &huge, 4); /* little-endian hosts, as the tests run */
    send_all(fd, b.data, b.len);
    hcssim__wire_free(&b);
    expect_closed(fd);
}

static void truncated_header(void **state)
{
    (void)state;
    raw_conn fd = raw_connect();
    wire_buf b;
    hcssim__wire_begin(&b, WIRE_HELLO, 1);
    send_all(fd, b.data, 10);
    hcssim__wire_free(&b);
    end_early(fd);
}

static void truncated_payload(void **state)
{
    (void)state;
    raw_conn fd = raw_connect();
    hello(fd);
    wire_buf b;
    hcssim__wire_begin(&b, WIRE_CALL, 7);
    hcssim__wire_u64(&b, WIRE_FN_HcsGetServiceProperties);
    hcssim__wire_utf8(&b, "{\"PropertyTypes\":[\"Basic\"]} and then some more text");
    hcssim__wire_u64(&b, WIRE_ARG_OUT);
    assert_int_equal(hcssim__wire_end(&b, 0), 0);
    send_all(fd, b.data, b.len - 20);
    hcssim__wire_free(&b);
    end_early(fd);
}

static void other_version(void **state)
{
    (void)state;
    raw_conn fd = raw_connect();
    wire_buf b;
    hcssim__wire_begin(&b, WIRE_HELLO, 1);
    hcssim__wire_u64(&b, (uint64_t)test_pid());
    hcssim__wire_u64(&b, 0);
    assert_int_equal(hcssim__wire_end(&b, 0), 0);
    b.data[4] = 99; /* version 99 */
    send_all(fd, b.data, b.len);
    hcssim__wire_free(&b);
    /* The answer is REFUSED, in version 1, saying which version it speaks. */
    wire_msg m;
    uint8_t *frame;
    assert_int_equal(read_frame(fd, &m, &frame), WIRE_REFUSED);
    assert_int_equal(m.v[0].u, WIRE_VERSION);
    assert_non_null(memchr(m.v[1].bytes, '1', m.v[1].count));
    free(frame);
    expect_closed(fd);
}

/* ---- frames of the wrong kind or order -------------------------------------- */

static void call_before_hello(void **state)
{
    (void)state;
    raw_conn fd = raw_connect();
    wire_buf b;
    hcssim__wire_begin(&b, WIRE_CALL, 2);
    hcssim__wire_u64(&b, WIRE_FN_HcsGetServiceProperties);
    hcssim__wire_utf16(&b, NULL);
    hcssim__wire_u64(&b, WIRE_ARG_OUT);
    send_buf(fd, &b);
    expect_closed(fd);
}

static void unknown_function(void **state)
{
    (void)state;
    raw_conn fd = raw_connect();
    hello(fd);
    wire_buf b;
    hcssim__wire_begin(&b, WIRE_CALL, 2);
    hcssim__wire_u64(&b, 999);
    send_buf(fd, &b);
    expect_closed(fd);
}

static void wrong_signature(void **state)
{
    (void)state;
    raw_conn fd = raw_connect();
    hello(fd);
    wire_buf b;
    hcssim__wire_begin(&b, WIRE_CALL, 2);
    hcssim__wire_u64(&b, WIRE_FN_HcsOpenComputeSystem);
    hcssim__wire_u64(&b, 1); /* a number where the id string goes */
    hcssim__wire_u64(&b, GENERIC_ALL);
    hcssim__wire_u64(&b, WIRE_ARG_OUT);
    hcssim__wire_u64(&b, 1);
    send_buf(fd, &b);
    expect_closed(fd);
}

static void bad_values(void **state)
{
    (void)state;
    /* an unknown tag */
    raw_conn fd = raw_connect();
    hello(fd);
    wire_buf b;
    hcssim__wire_begin(&b, WIRE_CALL, 2);
    hcssim__wire_u64(&b, WIRE_FN_HcsSubmitWerReport);
    assert_int_equal(hcssim__wire_end(&b, 0), 0);
    b.data[WIRE_HEADER_SIZE] = 'z';
    send_all(fd, b.data, b.len);
    hcssim__wire_free(&b);
    expect_closed(fd);

    /* a UTF-16 string holding a NUL */
    fd = raw_connect();
    hello(fd);
    uint16_t with_nul[] = {'a', 0};
    hcssim__wire_begin(&b, WIRE_CALL, 2);
    hcssim__wire_u64(&b, WIRE_FN_HcsSubmitWerReport);
    hcssim__wire_utf16(&b, with_nul);
    assert_int_equal(hcssim__wire_end(&b, 0), 0);
    b.data[b.len - 1] = 0; /* 'a' becomes NUL */
    b.data[b.len - 2] = 0;
    send_all(fd, b.data, b.len);
    hcssim__wire_free(&b);
    expect_closed(fd);

    /* UTF-8 that is not */
    fd = raw_connect();
    hello(fd);
    hcssim__wire_begin(&b, WIRE_CONTROL, 2);
    hcssim__wire_u64(&b, WIRE_CTL_set_faults);
    hcssim__wire_utf8(&b, "ab");
    assert_int_equal(hcssim__wire_end(&b, 0), 0);
    b.data[b.len - 1] = 0xFF;
    send_all(fd, b.data, b.len);
    hcssim__wire_free(&b);
    expect_closed(fd);

    /* a string longer than the frame */
    fd = raw_connect();
    hello(fd);
    hcssim__wire_begin(&b, WIRE_CALL, 2);
    hcssim__wire_u64(&b, WIRE_FN_HcsSubmitWerReport);
    hcssim__wire_utf16(&b, with_nul);
    assert_int_equal(hcssim__wire_end(&b, 0), 0);
    b.data[b.len - 6] = 200; /* count 200 units, 2 bytes there */
    send_all(fd, b.data, b.len);
    hcssim__wire_free(&b);
    expect_closed(fd);
}

static void daemon_only_frames(void **state)
{
    (void)state;
    raw_conn fd = raw_connect();
    hello(fd);
    wire_buf b;
    hcssim__wire_begin(&b, WIRE_COMPLETE, 0);
    hcssim__wire_u64(&b, 1);
    hcssim__wire_u64(&b, 0);
    hcssim__wire_utf16(&b, NULL);
    hcssim__wire_u64(&b, 0);
    hcssim__wire_u64(&b, 0);
    send_buf(fd, &b);
    expect_closed(fd);

    fd = raw_connect();
    hello(fd);
    send_hello(fd); /* a second HELLO is out of order */
    expect_closed(fd);
}

#ifdef _WIN32
/* Sends b's frame with one socket's bytes after its header, where the
 * Windows transport carries a client's live migration socket. */
static void send_with_socket_bytes(raw_conn fd, wire_buf *b, const uint8_t *bytes, size_t n)
{
    assert_int_equal(hcssim__wire_end(b, 0), 0);
    b->data[20] = 1; /* the header's handle count */
    send_all(fd, b->data, WIRE_HEADER_SIZE);
    send_all(fd, bytes, n);
    send_all(fd, b->data + WIRE_HEADER_SIZE, b->len - WIRE_HEADER_SIZE);
    hcssim__wire_free(b);
}

/* Bytes that make no connected stream socket (zeros, and a TCP socket's
 * description that no process shared) with a call on a system: that call
 * fails with
 * HRESULT_FROM_WIN32(WSAENOTSOCK), the connection goes on
 * (docs/hcssimd.md, "Windows"). */
static void socket_bytes_that_make_no_socket(void **state)
{
    (void)state;
    raw_conn fd = raw_connect();
    hello(fd);
    uint8_t bytes[628] = {0}; /* sizeof(WSAPROTOCOL_INFOW) */
    for (int round = 0; round < 2; round++) {
        if (round == 1) {
            bytes[76] = 2; /* iAddressFamily AF_INET */
            bytes[88] = 1; /* iSocketType SOCK_STREAM */
        }
        wire_buf b;
        hcssim__wire_begin(&b, WIRE_CALL, 3 + (uint64_t)round);
        hcssim__wire_u64(&b, WIRE_FN_HcsStartComputeSystem);
        hcssim__wire_u64(&b, WIRE_INVALID); /* the system: unknown, never reached */
        hcssim__wire_u64(&b, 0);
        hcssim__wire_u64(&b, 1);
        hcssim__wire_u64(&b, 0);
        hcssim__wire_utf16(&b, NULL);
        send_with_socket_bytes(fd, &b, bytes, sizeof bytes);
        wire_msg m;
        uint8_t *frame;
        assert_int_equal(read_frame(fd, &m, &frame), WIRE_REPLY);
        assert_int_equal((uint32_t)m.v[0].u, 0x80072736u);
        free(frame);
    }
    raw_close(fd);
    good_client_unaffected();
}
#endif

/* A client sends a handle with a frame: only the daemon passes handles,
 * but for a live migration socket with a call on a system. */
static void handles_from_a_client(void **state)
{
    (void)state;
    raw_conn fd = raw_connect();
    hello(fd);
    wire_buf b;
    hcssim__wire_begin(&b, WIRE_CALL, 2);
    hcssim__wire_u64(&b, WIRE_FN_HcsGetServiceProperties);
    hcssim__wire_utf16(&b, NULL);
    hcssim__wire_u64(&b, WIRE_ARG_OUT);
#ifdef _WIN32
    /* A socket's bytes, as the Windows transport carries them: whatever they
     * name, never with a call that is not on a system. */
    uint8_t bytes[628] = {0};
    send_with_socket_bytes(fd, &b, bytes, sizeof bytes);
#else
    assert_int_equal(hcssim__wire_end(&b, 0), 0);
    int passed = 0; /* stdin */
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(int))];
    } control;
    memset(&control, 0, sizeof control);
    struct iovec iov = {b.data, b.len};
    struct msghdr msg = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf};
    struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cm), &passed, sizeof passed);
    assert_true(sendmsg(fd, &msg, MSG_NOSIGNAL) > 0);
    hcssim__wire_free(&b);
#endif
    expect_closed(fd);
}

/* Connections opened and closed back to back, with nothing said: each one
 * finds the daemon. On Windows the daemon makes the pipe's next instance
 * before it lets the taken one go, so there is never a moment with no
 * instance, when a client would find no such pipe. */
static void back_to_back(void **state)
{
    (void)state;
    for (int i = 0; i < 200; i++)
        raw_close(raw_connect());
    raw_conn fd = raw_connect();
    hello(fd);
    raw_close(fd);
    good_client_unaffected();
}

/* Random bytes, many connections: the daemon survives all of them. */
static void noise(void **state)
{
    (void)state;
    unsigned seed = 12345;
    for (int i = 0; i < 40; i++) {
        raw_conn fd = raw_connect();
        if (i % 2)
            hello(fd);
        uint8_t junk[512];
        for (size_t k = 0; k < sizeof junk; k++)
            junk[k] = (uint8_t)((seed = seed * 1103515245u + 12345u) >> 16);
        if (i % 4 == 1) { /* a real header in front of the noise */
            wire_buf b;
            hcssim__wire_begin(&b, WIRE_CALL, 3);
            assert_int_equal(hcssim__wire_end(&b, 0), 0);
            uint32_t len = sizeof junk;
            memcpy(b.data + 16, &len, 4);
            send_all(fd, b.data, b.len);
            hcssim__wire_free(&b);
        }
        send_all(fd, junk, sizeof junk);
        end_early(fd);
    }
}

/* A request that the daemon answers normally, over a raw connection: the
 * protocol as documented works by hand. */
static void by_hand(void **state)
{
    (void)state;
    raw_conn fd = raw_connect();
    hello(fd);
    uint16_t *query;
    assert_int_equal(hcs_utf8_to_utf16("{\"PropertyTypes\":[\"Basic\"]}", &query, NULL), HCS_OK);
    wire_buf b;
    hcssim__wire_begin(&b, WIRE_CALL, 42);
    hcssim__wire_u64(&b, WIRE_FN_HcsGetServiceProperties);
    hcssim__wire_utf16(&b, query);
    hcssim__wire_u64(&b, WIRE_ARG_OUT);
    send_buf(fd, &b);
    hcs_free(query);
    wire_msg m;
    uint8_t *frame;
    assert_int_equal(read_frame(fd, &m, &frame), WIRE_REPLY);
    assert_int_equal(m.h.request, 42);
    assert_true(hcssim__wire_expect(&m, 0, "uw"));
    assert_int_equal(m.v[0].u, 0);
    free(frame);
    raw_close(fd);
    good_client_unaffected();
}

/* ---- security -------------------------------------------------------------- */

#ifdef _WIN32
/* The pipe's DACL, read back as a client sees it: one entry, allowing
 * this user (docs/hcssimd.md, "Security"). */
static void socket_mode(void **state)
{
    (void)state;
    raw_conn fd = raw_connect();
    PACL dacl = NULL;
    PSECURITY_DESCRIPTOR sd = NULL;
    assert_int_equal(GetSecurityInfo(fd, SE_KERNEL_OBJECT, DACL_SECURITY_INFORMATION, NULL, NULL, &dacl, NULL, &sd),
                     ERROR_SUCCESS);
    raw_close(fd);
    assert_non_null(dacl);
    assert_int_equal(dacl->AceCount, 1);
    ACCESS_ALLOWED_ACE *ace = NULL;
    assert_true(GetAce(dacl, 0, (void **)&ace));
    assert_int_equal(ace->Header.AceType, ACCESS_ALLOWED_ACE_TYPE);
    HANDLE token;
    assert_true(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token));
    union {
        TOKEN_USER user;
        char buf[256];
    } me;
    DWORD size;
    assert_true(GetTokenInformation(token, TokenUser, &me, sizeof me, &size));
    CloseHandle(token);
    assert_true(EqualSid((PSID)&ace->SidStart, me.user.User.Sid));
    LocalFree(sd);
    good_client_unaffected();
}

/* Wine runs every program as the one user: there is no other to try. */
static void other_user_refused(void **state)
{
    (void)state;
    print_message("skipped: no second user to connect as; the DACL (socket_mode) and the daemon's check of each "
                  "client's token keep other users out\n");
    skip();
}
#else
static void socket_mode(void **state)
{
    (void)state;
    struct stat st;
    assert_int_equal(lstat(socket_path, &st), 0);
    assert_true(S_ISSOCK(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(st.st_uid, geteuid());
}

/* Another user cannot use the daemon: the socket's mode keeps it out, and
 * the daemon checks the peer's user besides. Needs root to become another
 * user. */
static void other_user_refused(void **state)
{
    (void)state;
    struct passwd *nobody = getpwnam("nobody");
    if (geteuid() != 0 || !nobody) {
        print_message("skipped: becoming another user needs root (and a user \"nobody\")\n");
        skip();
    }
    pid_t child = fork();
    if (child == 0) {
        if (setgid(nobody->pw_gid) != 0 || setuid(nobody->pw_uid) != 0)
            _exit(3);
        /* refused either at connect (mode 0600) or by the daemon's check */
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_un sa = address_of(socket_path);
        if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
            _exit(0);
        wire_buf b;
        hcssim__wire_begin(&b, WIRE_HELLO, 1);
        hcssim__wire_u64(&b, 0);
        hcssim__wire_u64(&b, 0);
        hcssim__wire_end(&b, 0);
        send_all(fd, b.data, b.len);
        uint8_t head[WIRE_HEADER_SIZE];
        _exit(read(fd, head, sizeof head) <= 0 ? 0 : 1);
    }
    assert_int_equal(peer_wait(child), 0);
    /* With the mode opened up, the daemon's own check of the peer's user is
     * what stands. */
    assert_int_equal(chmod(socket_path, 0666), 0);
    child = fork();
    if (child == 0) {
        if (setgid(nobody->pw_gid) != 0 || setuid(nobody->pw_uid) != 0)
            _exit(3);
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_un sa = address_of(socket_path);
        if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
            _exit(4); /* the directory is closed to that user: nothing to check */
        wire_buf b;
        hcssim__wire_begin(&b, WIRE_HELLO, 1);
        hcssim__wire_u64(&b, 0);
        hcssim__wire_u64(&b, 0);
        hcssim__wire_end(&b, 0);
        send_all(fd, b.data, b.len);
        uint8_t head[WIRE_HEADER_SIZE];
        _exit(read(fd, head, sizeof head) <= 0 ? 0 : 1);
    }
    int status = peer_wait(child);
    assert_int_equal(chmod(socket_path, 0600), 0);
    if (status == 4)
        print_message("the daemon's own check was not reached: the build tree is closed to that user\n");
    else
        assert_int_equal(status, 0);
    good_client_unaffected();
}

#endif

static void second_daemon_refused(void **state)
{
    (void)state;
    const char *argv[] = {HCSKIT_HCSSIMD, "--socket", socket_path, NULL};
    assert_int_equal(proc_wait(spawn(argv, NULL)), 1);
    assert_true(answers(socket_path)); /* the first one is untouched */
    good_client_unaffected();
}

/* POSIX: a file that is not a socket; Windows: a path that is not a pipe's. */
static void not_a_socket_refused(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s/not-a-socket-%ld", HCSKIT_SOCKET_DIR, test_pid());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
    const char *argv[] = {HCSKIT_HCSSIMD, "--socket", path, NULL};
    assert_int_equal(proc_wait(spawn(argv, NULL)), 1);
    remove(path);
}

static void status_answers(void **state)
{
    (void)state;
    const char *argv[] = {HCSKIT_HCSSIMD, "--status", "--socket", socket_path, NULL};
    intptr_t out;
    test_proc p = spawn(argv, &out);
    char text[512] = "";
    size_t n = 0;
    long got;
    while (n < sizeof text - 1 && (got = hcs__os_pipe_read(out, text + n, sizeof text - 1 - n)) > 0)
        n += (size_t)got;
    text[n] = 0;
    hcs__os_pipe_close(out);
    assert_int_equal(proc_wait(p), 0);
    assert_non_null(strstr(text, "protocol 1"));
    assert_non_null(strstr(text, "systems 1"));
}

/* hcssimd --stop is refused by nothing here: a daemon of its own is asked,
 * answers, and is gone (its exit status 0) when --stop returns. */
static void stop_request(void **state)
{
    (void)state;
    char saved[sizeof socket_path];
    memcpy(saved, socket_path, sizeof saved);
    use_socket("protocol-stop");
    test_proc other = daemon_start();
    const char *argv[] = {HCSKIT_HCSSIMD, "--stop", "--socket", socket_path, NULL};
    assert_int_equal(proc_wait(spawn(argv, NULL)), 0);
    assert_false(answers(socket_path));
    assert_int_equal(proc_wait(other), 0);
    memcpy(socket_path, saved, sizeof saved);
    test_setenv("HCSSIM_SOCKET", socket_path);
    good_client_unaffected();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bad_magic),
        cmocka_unit_test(oversized),
        cmocka_unit_test(truncated_header),
        cmocka_unit_test(truncated_payload),
        cmocka_unit_test(other_version),
        cmocka_unit_test(call_before_hello),
        cmocka_unit_test(unknown_function),
        cmocka_unit_test(wrong_signature),
        cmocka_unit_test(bad_values),
        cmocka_unit_test(daemon_only_frames),
        cmocka_unit_test(handles_from_a_client),
#ifdef _WIN32
        cmocka_unit_test(socket_bytes_that_make_no_socket),
#endif
        cmocka_unit_test(back_to_back),
        cmocka_unit_test(noise),
        cmocka_unit_test(by_hand),
        cmocka_unit_test(socket_mode),
        cmocka_unit_test(other_user_refused),
        cmocka_unit_test(second_daemon_refused),
        cmocka_unit_test(not_a_socket_refused),
        cmocka_unit_test(status_answers),
        cmocka_unit_test(stop_request),
    };
    int failed = cmocka_run_group_tests(tests, setup, teardown);
    return failed || teardown_failed ? 1 : 0;
}
