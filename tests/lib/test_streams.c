/* Asynchronous stdio (hcs/streams.h): reads and writes of a process's pipes
 * reported through completion queues and callbacks, with no thread per
 * pipe. Most of these tests are written from the header's documentation
 * alone, as a user would write them: they use the public API only (and the
 * helpers that make a running system). */
#include "lib_helpers.h"

#ifdef _WIN32
#include <tlhelp32.h>
#elif defined(__linux__)
#include <dirent.h>
#endif

#define GUARD_MS 10000 /* a hang guard, not a timing check */

/* The threads of this process, or -1 where that cannot be counted. */
static int thread_count(void)
{
#ifdef _WIN32
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
    if (snap == INVALID_HANDLE_VALUE)
        return -1;
    THREADENTRY32 te = {.dwSize = sizeof te};
    int n = 0;
    for (BOOL ok = Thread32First(snap, &te); ok; ok = Thread32Next(snap, &te))
        if (te.th32OwnerProcessID == GetCurrentProcessId())
            n++;
    CloseHandle(snap);
    return n;
#elif defined(__linux__)
    DIR *d = opendir("/proc/self/task");
    if (!d)
        return -1;
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
#else
    return -1;
#endif
}

static hcs_process start(hcs_system sys, const char *command_line, bool in, bool out, hcs_stdio *io)
{
    hcs_process_spec spec = {.command_line = command_line, .create_stdin = in, .create_stdout = out};
    hcs_process p;
    assert_int_equal(hcs_process_create(sys, &spec, HCS_TIMEOUT_DEFAULT, &p, io, NULL), HCS_OK);
    return p;
}

static void finish(hcs_system sys, hcs_process p, hcs_stdio *io)
{
    hcs_stdio_close(io);
    hcs_process_kill(p, HCS_TIMEOUT_DEFAULT, NULL);
    hcs_process_close(p);
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_close(sys);
}

/* The next result of the queue (it must come within the guard). */
static hcs_result next(hcs_cq cq)
{
    hcs_result r;
    hcs_error err = HCS_ERROR_INIT;
    if (hcs_cq_next(cq, GUARD_MS, &r, &err) != HCS_OK)
        fail_msg("no result: %s", err.message);
    return r;
}

/* Nothing more arrives on the queue for a while. */
static void quiet(hcs_cq cq, uint32_t ms)
{
    hcs_result r;
    int32_t hr = hcs_cq_next(cq, ms, &r, NULL);
    if (hr == HCS_OK)
        fail_msg("unexpected result of %s: 0x%08X, %u bytes", r.call, (unsigned)r.hr, (unsigned)r.bytes);
    assert_int_equal(hr, HCS_E_OPERATION_TIMEOUT);
}

static hcs_async on_queue(hcs_cq cq, void *user, uint32_t timeout_ms)
{
    return (hcs_async){.cq = cq, .user_data = user, .timeout_ms = timeout_ms};
}

/* Results recorded by a callback. */
typedef struct record {
    hcs_mutex mu;
    hcs_cond cv;
    int count;
    int32_t hr[64];
    size_t bytes[64];
    hcs_op op[64];
    const char *call[64];
} record;

static void record_init(record *r)
{
    memset(r, 0, sizeof *r);
    hcs__mutex_init(&r->mu);
    hcs__cond_init(&r->cv);
}

static void record_free(record *r)
{
    hcs__cond_destroy(&r->cv);
    hcs__mutex_destroy(&r->mu);
}

static void on_result(hcs_result *res, void *user)
{
    record *r = user;
    hcs__mutex_lock(&r->mu);
    if (r->count < 64) {
        r->hr[r->count] = res->hr;
        r->bytes[r->count] = res->bytes;
        r->op[r->count] = res->op;
        r->call[r->count] = res->call;
    }
    r->count++;
    hcs__cond_broadcast(&r->cv);
    hcs__mutex_unlock(&r->mu);
}

static int record_wait(record *r, int n) { return count_wait(&r->mu, &r->cv, &r->count, n); }

static hcs_async to_record(record *r, uint32_t timeout_ms)
{
    return (hcs_async){.callback = on_result, .user_data = r, .timeout_ms = timeout_ms};
}

/* Writes all of data with a blocking hcs_pipe_write. */
static void put(hcs_pipe pipe, const char *text)
{
    assert_int_equal(hcs_pipe_write(pipe, text, strlen(text), NULL), HCS_OK);
}

/* ---- through a guest program --------------------------------------------- */

/* Echo through `more`: stdin written through callbacks, stdout read
 * through a completion queue until the end of the stream. */
static void echo_through_a_guest(void **state)
{
    (void)state;
    hcs_system sys = running_system("streams-echo", CONTAINER);
    hcs_stdio io;
    hcs_process p = start(sys, "more", true, true, &io);
    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    char buf[256];
    hcs_op rop;
    hcs_async how = on_queue(cq, buf, HCS_TIMEOUT_INFINITE);
    assert_int_equal(hcs_pipe_read_async(io.out, buf, sizeof buf, &how, &rop, NULL), HCS_OK);
    assert_true(rop.id != 0);

    const char *lines[] = {"hello\r\n", "through the\r\n", "queue\r\n"};
    record writes;
    record_init(&writes);
    for (int i = 0; i < 3; i++) {
        hcs_op wop;
        hcs_async wh = to_record(&writes, GUARD_MS);
        assert_int_equal(hcs_pipe_write_async(io.in, lines[i], strlen(lines[i]), &wh, &wop, NULL), HCS_OK);
        assert_int_equal(record_wait(&writes, i + 1), i + 1); /* one write in flight at a time */
        assert_int_equal(writes.hr[i], HCS_OK);
        assert_int_equal(writes.bytes[i], strlen(lines[i]));
        assert_true(writes.op[i].id == wop.id);
        assert_string_equal(writes.call[i], "hcs_pipe_write_async");
    }
    assert_int_equal(hcs_process_close_stdin(p, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);

    char got[256] = "";
    size_t used = 0;
    for (;;) {
        hcs_result r = next(cq);
        assert_int_equal(r.hr, HCS_OK);
        assert_true(r.op.id == rop.id);
        assert_ptr_equal(r.user_data, buf);
        assert_string_equal(r.call, "hcs_pipe_read_async");
        assert_int_equal(r.event_type, HCS_EVENT_NONE);
        size_t n = r.bytes;
        hcs_result_clear(&r);
        if (n == 0)
            break; /* the end of the stream */
        assert_true(used + n < sizeof got);
        memcpy(got + used, buf, n);
        used += n;
        assert_int_equal(hcs_pipe_read_async(io.out, buf, sizeof buf, &how, &rop, NULL), HCS_OK);
    }
    got[used] = '\0';
    assert_string_equal(got, "hello\r\nthrough the\r\nqueue\r\n");
    quiet(cq, 100);
    record_free(&writes);
    hcs_cq_close(cq);
    finish(sys, p, &io);
}

/* The end of a stream is HCS_OK with 0 bytes, again for every later read. */
static void end_of_stream(void **state)
{
    (void)state;
    hcs_system sys = running_system("streams-eof", CONTAINER);
    hcs_stdio io;
    hcs_process p = start(sys, "cmd /c echo hi", false, true, &io);
    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    char buf[64], got[64];
    size_t used = 0;
    hcs_async how = on_queue(cq, NULL, GUARD_MS);
    for (;;) {
        assert_int_equal(hcs_pipe_read_async(io.out, buf, sizeof buf, &how, NULL, NULL), HCS_OK);
        hcs_result r = next(cq);
        assert_int_equal(r.hr, HCS_OK);
        size_t n = r.bytes;
        hcs_result_clear(&r);
        if (n == 0)
            break;
        assert_true(used + n < sizeof got);
        memcpy(got + used, buf, n);
        used += n;
    }
    got[used] = '\0';
    assert_string_equal(got, "hi\r\n");
    for (int i = 0; i < 2; i++) {
        assert_int_equal(hcs_pipe_read_async(io.out, buf, sizeof buf, &how, NULL, NULL), HCS_OK);
        hcs_result r = next(cq);
        assert_int_equal(r.hr, HCS_OK);
        assert_int_equal(r.bytes, 0);
        hcs_result_clear(&r);
    }
    hcs_cq_close(cq);
    finish(sys, p, &io);
}

/* ---- many pipes, one queue, no thread per pipe ----------------------------- */

enum { MANY = 32 };
enum { READ_TAG = 0, WRITE_TAG = 1000, CLOSE_TAG = 2000 };

/* The stdout of 32 processes read at once through one queue, driven from
 * this one thread; starting the 32 reads starts no thread per pipe. */
static void many_pipes_one_queue(void **state)
{
    (void)state;
    hcs_system sys = running_system("streams-many", CONTAINER);
    hcs_process p[MANY];
    hcs_stdio io[MANY];
    for (int i = 0; i < MANY; i++)
        p[i] = start(sys, "more", true, true, &io[i]);
    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    static char buf[MANY][128], out[MANY][128];
    static char line[MANY][32];
    size_t used[MANY] = {0};
    bool eof[MANY] = {false};

    hcs__sleep_ms(200); /* the guests are all waiting for input */
    int before = thread_count();
    for (int i = 0; i < MANY; i++) {
        hcs_async how = on_queue(cq, (void *)(intptr_t)(READ_TAG + i), HCS_TIMEOUT_INFINITE);
        assert_int_equal(hcs_pipe_read_async(io[i].out, buf[i], sizeof buf[i], &how, NULL, NULL), HCS_OK);
    }
    hcs__sleep_ms(200);
    int during = thread_count();
    if (before > 0 && during > 0) {
        print_message("threads: %d before the %d reads, %d with them in flight\n", before, MANY, during);
        assert_true(during <= before + 4); /* at most the I/O thread(s) and a helper or two, not one per pipe */
    }
    /* Nothing was written yet: nothing is reported. */
    quiet(cq, 50);
    for (int i = 0; i < MANY; i++) {
        snprintf(line[i], sizeof line[i], "line of pipe %d\r\n", i);
        hcs_async how = on_queue(cq, (void *)(intptr_t)(WRITE_TAG + i), GUARD_MS);
        assert_int_equal(hcs_pipe_write_async(io[i].in, line[i], strlen(line[i]), &how, NULL, NULL), HCS_OK);
    }
    int eofs = 0, writes = 0, closes = 0;
    while (eofs < MANY || writes < MANY || closes < MANY) {
        hcs_result r = next(cq);
        int tag = (int)(intptr_t)r.user_data, i = tag % 1000;
        if (tag >= CLOSE_TAG) {
            assert_int_equal(r.hr, HCS_OK);
            closes++;
        } else if (tag >= WRITE_TAG) {
            assert_int_equal(r.hr, HCS_OK);
            assert_int_equal(r.bytes, strlen(line[i]));
            writes++;
            /* All written: end the guest's input, through the same queue. */
            hcs_async how = on_queue(cq, (void *)(intptr_t)(CLOSE_TAG + i), GUARD_MS);
            assert_int_equal(hcs_process_close_stdin_async(p[i], &how, NULL, NULL), HCS_OK);
        } else {
            assert_int_equal(r.hr, HCS_OK);
            assert_false(eof[i]);
            if (r.bytes == 0) {
                eof[i] = true;
                eofs++;
            } else {
                assert_true(used[i] + r.bytes < sizeof out[i]);
                memcpy(out[i] + used[i], buf[i], r.bytes);
                used[i] += r.bytes;
                hcs_async how = on_queue(cq, r.user_data, HCS_TIMEOUT_INFINITE);
                assert_int_equal(hcs_pipe_read_async(io[i].out, buf[i], sizeof buf[i], &how, NULL, NULL), HCS_OK);
            }
        }
        hcs_result_clear(&r);
    }
    for (int i = 0; i < MANY; i++) {
        out[i][used[i]] = '\0';
        assert_string_equal(out[i], line[i]);
        hcs_stdio_close(&io[i]);
        hcs_process_close(p[i]);
    }
    quiet(cq, 50);
    hcs_cq_close(cq);
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_close(sys);
}

/* ---- large transfers -------------------------------------------------------- */

enum { MIB = 1 << 20 };

/* 1 MiB of numbered lines written in one hcs_pipe_write_async while the
 * echo comes back through reads on the same queue: all of it, in order. */
static void large_echo_in_order(void **state)
{
    (void)state;
    hcs_system sys = running_system("streams-large", CONTAINER);
    hcs_stdio io;
    hcs_process p = start(sys, "more", true, true, &io);
    char *data = malloc(MIB + 1), *got = malloc(MIB), *buf = malloc(65536);
    assert_non_null(data);
    assert_non_null(got);
    assert_non_null(buf);
    for (int i = 0; i < MIB / 32; i++) /* numbered lines of 32 bytes */
        snprintf(data + i * 32, 33, "L%029d\r\n", i);
    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    hcs_async wh = on_queue(cq, data, HCS_TIMEOUT_INFINITE), rh = on_queue(cq, buf, HCS_TIMEOUT_INFINITE);
    assert_int_equal(hcs_pipe_write_async(io.in, data, MIB, &wh, NULL, NULL), HCS_OK);
    assert_int_equal(hcs_pipe_read_async(io.out, buf, 65536, &rh, NULL, NULL), HCS_OK);
    size_t used = 0;
    bool written = false, eof = false;
    uint64_t guard = hcs__clock_ms() + 60000;
    while (!(written && eof) && hcs__clock_ms() < guard) {
        hcs_result r = next(cq);
        assert_int_equal(r.hr, HCS_OK);
        if (r.user_data == data) {
            assert_int_equal(r.bytes, MIB);
            written = true;
            assert_int_equal(hcs_process_close_stdin(p, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
        } else if (r.bytes == 0) {
            eof = true;
        } else {
            assert_true(used + r.bytes <= MIB);
            memcpy(got + used, buf, r.bytes);
            used += r.bytes;
            assert_int_equal(hcs_pipe_read_async(io.out, buf, 65536, &rh, NULL, NULL), HCS_OK);
        }
        hcs_result_clear(&r);
    }
    assert_true(written && eof);
    assert_int_equal(used, MIB);
    assert_memory_equal(got, data, MIB);
    free(data);
    free(got);
    free(buf);
    hcs_cq_close(cq);
    finish(sys, p, &io);
}

/* A callback that reads on from inside itself until the end. */
typedef struct reader {
    hcs_mutex mu;
    hcs_cond cv;
    hcs_pipe pipe;
    char *data;
    size_t used, cap;
    char chunk[8192];
    bool ended;
    int32_t hr;
    int reports;
} reader;

static void read_on(hcs_result *r, void *user)
{
    reader *rd = user;
    hcs__mutex_lock(&rd->mu);
    rd->reports++;
    bool more = r->hr == HCS_OK && r->bytes > 0 && rd->used + r->bytes <= rd->cap;
    if (more) {
        memcpy(rd->data + rd->used, rd->chunk, r->bytes);
        rd->used += r->bytes;
        hcs_async how = {.callback = read_on, .user_data = rd, .timeout_ms = HCS_TIMEOUT_INFINITE};
        more = hcs_pipe_read_async(rd->pipe, rd->chunk, sizeof rd->chunk, &how, NULL, NULL) == HCS_OK;
    }
    if (!more) {
        rd->ended = true;
        rd->hr = r->hr;
        hcs__cond_broadcast(&rd->cv);
    }
    hcs__mutex_unlock(&rd->mu);
}

/* 1 MiB of a guest's output read by callbacks: all of it, in order. */
static void large_output_by_callbacks(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its guest program hcssim-bytes");
    hcs_system sys = running_system("streams-bytes", CONTAINER);
    hcs_stdio io;
    hcs_process p = start(sys, "hcssim-bytes 1048576", false, true, &io);
    reader rd = {.pipe = io.out, .cap = MIB + 1};
    hcs__mutex_init(&rd.mu);
    hcs__cond_init(&rd.cv);
    rd.data = malloc(rd.cap);
    assert_non_null(rd.data);
    hcs_async how = {.callback = read_on, .user_data = &rd, .timeout_ms = HCS_TIMEOUT_INFINITE};
    hcs__mutex_lock(&rd.mu);
    assert_int_equal(hcs_pipe_read_async(io.out, rd.chunk, sizeof rd.chunk, &how, NULL, NULL), HCS_OK);
    uint64_t guard = hcs__clock_ms() + 60000;
    while (!rd.ended && hcs__cond_wait_until(&rd.cv, &rd.mu, guard)) {
    }
    hcs__mutex_unlock(&rd.mu);
    assert_true(rd.ended);
    assert_int_equal(rd.hr, HCS_OK);
    assert_int_equal(rd.used, MIB);
    for (size_t i = 0; i < MIB; i++)
        if (rd.data[i] != (i % 64 == 63 ? '\n' : 'x'))
            fail_msg("byte %u is 0x%02x", (unsigned)i, (unsigned char)rd.data[i]);
    hcs_process_exit ex;
    assert_int_equal(hcs_process_wait(p, GUARD_MS, &ex, NULL), HCS_OK);
    assert_int_equal(ex.exit_code, 0);
    hcs_free(ex.document);
    free(rd.data);
    hcs__cond_destroy(&rd.cv);
    hcs__mutex_destroy(&rd.mu);
    finish(sys, p, &io);
}

/* ---- timeouts, cancel, close ------------------------------------------------- */

/* A read that times out reports HCS_E_OPERATION_TIMEOUT once and consumes
 * nothing; a read with timeout 0 takes what is there. */
static void timeout_reports_once_and_loses_nothing(void **state)
{
    (void)state;
    hcs_system sys = running_system("streams-timeout", CONTAINER);
    hcs_stdio io;
    hcs_process p = start(sys, "more", true, true, &io);
    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    char buf[64];
    hcs_op op;
    hcs_async how = on_queue(cq, NULL, 100);
    assert_int_equal(hcs_pipe_read_async(io.out, buf, sizeof buf, &how, &op, NULL), HCS_OK);
    hcs_result r = next(cq);
    assert_int_equal(r.hr, HCS_E_OPERATION_TIMEOUT);
    assert_int_equal(r.error.hr, HCS_E_OPERATION_TIMEOUT);
    assert_string_equal(r.error.call, "hcs_pipe_read_async");
    assert_non_null(r.error.message);
    assert_int_equal(r.bytes, 0);
    assert_true(r.op.id == op.id);
    hcs_result_clear(&r);
    quiet(cq, 300); /* once */
    assert_int_equal(hcs_op_cancel(op, NULL), HCS_WIN32_E_INVALID_HANDLE);

    /* The data written after the timeout is all there, for reads that do
     * not wait. */
    put(io.in, "late\r\n");
    char got[16];
    size_t used = 0;
    uint64_t guard = hcs__clock_ms() + GUARD_MS;
    hcs_async now = on_queue(cq, NULL, 0);
    int timeouts = 0;
    while (used < 6 && hcs__clock_ms() < guard) {
        assert_int_equal(hcs_pipe_read_async(io.out, buf, sizeof buf, &now, NULL, NULL), HCS_OK);
        r = next(cq);
        if (r.hr == HCS_E_OPERATION_TIMEOUT) {
            assert_int_equal(r.bytes, 0);
            timeouts++;
            hcs__sleep_ms(5);
        } else {
            assert_int_equal(r.hr, HCS_OK);
            assert_true(r.bytes > 0 && used + r.bytes <= sizeof got);
            memcpy(got + used, buf, r.bytes);
            used += r.bytes;
        }
        hcs_result_clear(&r);
    }
    assert_int_equal(used, 6);
    assert_memory_equal(got, "late\r\n", 6);
    print_message("%d reads found nothing yet\n", timeouts);
    hcs_cq_close(cq);
    finish(sys, p, &io);
}

/* hcs_op_cancel ends a pending read once, with
 * HCS_WIN32_E_OPERATION_ABORTED; the buffer is free then for the next. */
static void cancel_a_pending_read(void **state)
{
    (void)state;
    hcs_system sys = running_system("streams-cancel", CONTAINER);
    hcs_stdio io;
    hcs_process p = start(sys, "more", true, true, &io);
    record rec;
    record_init(&rec);
    char buf[64];
    hcs_op op;
    hcs_async how = to_record(&rec, HCS_TIMEOUT_INFINITE);
    assert_int_equal(hcs_pipe_read_async(io.out, buf, sizeof buf, &how, &op, NULL), HCS_OK);
    hcs__sleep_ms(50);
    assert_int_equal(rec.count, 0);
    void *raw = NULL;
    hcs_guard guard;
    assert_int_equal(hcs_op_borrow(op, &raw, &guard, NULL), HCS_WIN32_E_INVALID_HANDLE); /* no HCS operation */
    assert_int_equal(hcs_op_cancel(op, NULL), HCS_OK);
    assert_int_equal(record_wait(&rec, 1), 1);
    assert_int_equal(rec.hr[0], HCS_WIN32_E_OPERATION_ABORTED);
    assert_int_equal(rec.bytes[0], 0);
    assert_true(rec.op[0].id == op.id);
    hcs__sleep_ms(200);
    assert_int_equal(rec.count, 1); /* once */
    assert_int_equal(hcs_op_cancel(op, NULL), HCS_WIN32_E_INVALID_HANDLE);

    put(io.in, "again\r\n");
    assert_int_equal(hcs_pipe_read_async(io.out, buf, sizeof buf, &how, NULL, NULL), HCS_OK);
    assert_int_equal(record_wait(&rec, 2), 2);
    assert_int_equal(rec.hr[1], HCS_OK);
    assert_true(rec.bytes[1] > 0);
    assert_memory_equal(buf, "again\r\n", rec.bytes[1]);
    record_free(&rec);
    finish(sys, p, &io);
}

/* A write the guest does not read cannot finish: cancel stops it, with
 * the bytes written before. */
static void cancel_a_blocked_write(void **state)
{
    (void)state;
    hcs_system sys = running_system("streams-cancel-write", CONTAINER);
    hcs_stdio io;
    hcs_process p = start(sys, "ping -n 100 127.0.0.1", true, false, &io);
    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    char *data = calloc(1, MIB);
    assert_non_null(data);
    hcs_op op;
    hcs_async how = on_queue(cq, NULL, HCS_TIMEOUT_INFINITE);
    assert_int_equal(hcs_pipe_write_async(io.in, data, MIB, &how, &op, NULL), HCS_OK);
    quiet(cq, 100); /* the pipe is full */
    assert_int_equal(hcs_op_cancel(op, NULL), HCS_OK);
    hcs_result r = next(cq);
    assert_int_equal(r.hr, HCS_WIN32_E_OPERATION_ABORTED);
    assert_true(r.bytes < MIB);
    print_message("%u bytes written before the cancel\n", (unsigned)r.bytes);
    hcs_result_clear(&r);
    quiet(cq, 100);
    free(data);
    hcs_cq_close(cq);
    finish(sys, p, &io);
}

/* Closing a pipe with a read (queue) or a write (callback) in flight ends
 * each once, with HCS_WIN32_E_OPERATION_ABORTED. */
static void close_with_transfers_in_flight(void **state)
{
    (void)state;
    hcs_system sys = running_system("streams-close", CONTAINER);
    hcs_stdio io;
    hcs_process p = start(sys, "more", true, true, &io);
    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    char buf[64];
    hcs_async how = on_queue(cq, NULL, HCS_TIMEOUT_INFINITE);
    assert_int_equal(hcs_pipe_read_async(io.out, buf, sizeof buf, &how, NULL, NULL), HCS_OK);
    hcs__sleep_ms(50);
    hcs_pipe_close(io.out);
    io.out = HCS_PIPE_NONE;
    hcs_result r = next(cq);
    assert_int_equal(r.hr, HCS_WIN32_E_OPERATION_ABORTED);
    assert_int_equal(r.bytes, 0);
    hcs_result_clear(&r);
    quiet(cq, 200);
    hcs_cq_close(cq);
    finish(sys, p, &io);

    /* A write into a full pipe. */
    sys = running_system("streams-close-write", CONTAINER);
    p = start(sys, "ping -n 100 127.0.0.1", true, false, &io);
    char *data = calloc(1, MIB);
    assert_non_null(data);
    record rec;
    record_init(&rec);
    hcs_async wh = to_record(&rec, HCS_TIMEOUT_INFINITE);
    assert_int_equal(hcs_pipe_write_async(io.in, data, MIB, &wh, NULL, NULL), HCS_OK);
    hcs__sleep_ms(100);
    assert_int_equal(rec.count, 0);
    hcs_stdio_close(&io); /* closes stdin too */
    assert_int_equal(record_wait(&rec, 1), 1);
    assert_int_equal(rec.hr[0], HCS_WIN32_E_OPERATION_ABORTED);
    assert_true(rec.bytes[0] < MIB);
    hcs__sleep_ms(100);
    assert_int_equal(rec.count, 1);
    free(data); /* the report came: the buffer is ours */
    record_free(&rec);
    finish(sys, p, &io);
}

/* Reads that re-issue themselves from their callback race a close on
 * another thread: every read the library accepted reports exactly once. */
typedef struct racer {
    hcs_mutex mu;
    hcs_cond cv;
    hcs_pipe pipe;
    bool closing;
    int accepted, reports, aborted;
    char chunk[1024];
} racer;

static void race_on(hcs_result *r, void *user)
{
    racer *rc = user;
    hcs__mutex_lock(&rc->mu);
    rc->reports++;
    rc->aborted += r->hr == HCS_WIN32_E_OPERATION_ABORTED;
    /* Issued under the lock the closer takes before closing: a read is
     * either in flight when the pipe closes or never issued. */
    if (r->hr == HCS_OK && r->bytes > 0 && !rc->closing) {
        hcs_async how = {.callback = race_on, .user_data = rc, .timeout_ms = HCS_TIMEOUT_INFINITE};
        rc->accepted += hcs_pipe_read_async(rc->pipe, rc->chunk, sizeof rc->chunk, &how, NULL, NULL) == HCS_OK;
    }
    hcs__cond_broadcast(&rc->cv);
    hcs__mutex_unlock(&rc->mu);
}

static void close_races_reads(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("its guest program hcssim-bytes");
    hcs_system sys = running_system("streams-race", CONTAINER);
    int aborted = 0;
    for (int round = 0; round < 20; round++) {
        hcs_stdio io;
        hcs_process p = start(sys, "hcssim-bytes 100000000", false, true, &io);
        racer rc = {.pipe = io.out};
        hcs__mutex_init(&rc.mu);
        hcs__cond_init(&rc.cv);
        hcs_async how = {.callback = race_on, .user_data = &rc, .timeout_ms = HCS_TIMEOUT_INFINITE};
        hcs__mutex_lock(&rc.mu);
        rc.accepted = hcs_pipe_read_async(io.out, rc.chunk, sizeof rc.chunk, &how, NULL, NULL) == HCS_OK;
        hcs__mutex_unlock(&rc.mu);
        hcs__sleep_ms((uint32_t)(rand() % 4));
        hcs__mutex_lock(&rc.mu);
        rc.closing = true;
        hcs__mutex_unlock(&rc.mu);
        hcs_pipe_close(io.out);
        io.out = HCS_PIPE_NONE;
        assert_int_equal(count_wait(&rc.mu, &rc.cv, &rc.reports, rc.accepted), rc.accepted);
        hcs__sleep_ms(20);
        hcs__mutex_lock(&rc.mu);
        assert_int_equal(rc.reports, rc.accepted); /* exactly once each */
        assert_true(rc.aborted <= 1);
        aborted += rc.aborted;
        hcs__mutex_unlock(&rc.mu);
        hcs__cond_destroy(&rc.cv);
        hcs__mutex_destroy(&rc.mu);
        hcs_process_kill(p, HCS_TIMEOUT_DEFAULT, NULL);
        hcs_process_close(p);
    }
    print_message("%d of 20 closes hit a read in flight\n", aborted);
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_close(sys);
}

/* ---- refusals and reported failures ------------------------------------------ */

/* One read and one write at a time per pipe; a second is refused at once. */
static void one_read_and_one_write_at_a_time(void **state)
{
    (void)state;
    hcs_system sys = running_system("streams-busy", CONTAINER);
    hcs_stdio io, blocked; /* more: stdout stays empty; ping: stdin is never read */
    hcs_process p = start(sys, "more", true, true, &io);
    hcs_process q = start(sys, "ping -n 100 127.0.0.1", true, false, &blocked);
    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    char buf[64], buf2[64];
    hcs_op first, second = {1};
    hcs_async how = on_queue(cq, NULL, HCS_TIMEOUT_INFINITE);
    assert_int_equal(hcs_pipe_read_async(io.out, buf, sizeof buf, &how, &first, NULL), HCS_OK);
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(hcs_pipe_read_async(io.out, buf2, sizeof buf2, &how, &second, &err), HCS_WIN32_E_BUSY);
    assert_int_equal(err.hr, HCS_WIN32_E_BUSY);
    assert_string_equal(err.call, "hcs_pipe_read_async");
    assert_non_null(strstr(err.message, "already in flight"));
    assert_true(second.id == 0);
    hcs_error_clear(&err);
    /* A write is another direction: free. */
    char *data = calloc(1, MIB);
    assert_non_null(data);
    hcs_op w;
    assert_int_equal(hcs_pipe_write_async(blocked.in, data, MIB, &how, &w, NULL), HCS_OK);
    assert_int_equal(hcs_pipe_write_async(blocked.in, "x", 1, &how, NULL, &err), HCS_WIN32_E_BUSY);
    assert_string_equal(err.call, "hcs_pipe_write_async");
    hcs_error_clear(&err);
    assert_int_equal(hcs_op_cancel(first, NULL), HCS_OK);
    assert_int_equal(hcs_op_cancel(w, NULL), HCS_OK);
    for (int i = 0; i < 2; i++) {
        hcs_result r = next(cq);
        assert_int_equal(r.hr, HCS_WIN32_E_OPERATION_ABORTED);
        hcs_result_clear(&r);
    }
    free(data);
    /* Once reported, the pipe takes a read again. */
    hcs_async soon = on_queue(cq, NULL, 10);
    assert_int_equal(hcs_pipe_read_async(io.out, buf, sizeof buf, &soon, NULL, NULL), HCS_OK);
    hcs_result r = next(cq);
    assert_int_equal(r.hr, HCS_E_OPERATION_TIMEOUT);
    hcs_result_clear(&r);
    hcs_cq_close(cq);
    hcs_stdio_close(&blocked);
    hcs_process_kill(q, HCS_TIMEOUT_DEFAULT, NULL);
    hcs_process_close(q);
    finish(sys, p, &io);
}

/* A write to the stdin of a process that exited reports
 * HCS_WIN32_E_BROKEN_PIPE; a read or write on a pipe end of the other
 * direction reports HCS_WIN32_E_ACCESS_DENIED. */
static void broken_pipe_and_wrong_direction(void **state)
{
    (void)state;
    hcs_system sys = running_system("streams-broken", CONTAINER);
    hcs_stdio io;
    hcs_process p = start(sys, "cmd /c exit 3", true, true, &io);
    assert_int_equal(hcs_process_wait(p, GUARD_MS, NULL, NULL), HCS_OK);
    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    hcs_async how = on_queue(cq, NULL, GUARD_MS);
    char buf[16];
    assert_int_equal(hcs_pipe_read_async(io.in, buf, sizeof buf, &how, NULL, NULL), HCS_OK);
    hcs_result r = next(cq);
    assert_int_equal(r.hr, HCS_WIN32_E_ACCESS_DENIED);
    hcs_result_clear(&r);
    assert_int_equal(hcs_pipe_write_async(io.out, "x", 1, &how, NULL, NULL), HCS_OK);
    r = next(cq);
    assert_int_equal(r.hr, HCS_WIN32_E_ACCESS_DENIED);
    hcs_result_clear(&r);
    /* The simulator lets go of the guest's end soon after the exit. */
    int32_t hr = HCS_OK;
    uint64_t guard = hcs__clock_ms() + GUARD_MS;
    while (hr == HCS_OK && hcs__clock_ms() < guard) {
        assert_int_equal(hcs_pipe_write_async(io.in, "late\r\n", 6, &how, NULL, NULL), HCS_OK);
        r = next(cq);
        hr = r.hr;
        if (hr == HCS_OK) {
            assert_int_equal(r.bytes, 6);
            hcs__sleep_ms(5);
        } else {
            assert_int_equal(r.error.hr, hr);
            assert_string_equal(r.error.call, "hcs_pipe_write_async");
        }
        hcs_result_clear(&r);
    }
    assert_int_equal(hr, HCS_WIN32_E_BROKEN_PIPE);
    hcs_cq_close(cq);
    finish(sys, p, &io);
}

/* A result for a queue closed meanwhile is dropped, and nothing leaks; a
 * closed queue is refused at the call. */
static void closed_queue(void **state)
{
    (void)state;
    hcs_system sys = running_system("streams-cq", CONTAINER);
    hcs_stdio io;
    hcs_process p = start(sys, "more", true, true, &io);
    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    char buf[16];
    hcs_async how = on_queue(cq, NULL, HCS_TIMEOUT_INFINITE);
    assert_int_equal(hcs_pipe_read_async(io.out, buf, sizeof buf, &how, NULL, NULL), HCS_OK);
    hcs_cq_close(cq);
    put(io.in, "dropped\r\n"); /* the read completes into a closed queue */
    hcs__sleep_ms(100);
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(hcs_pipe_read_async(io.out, buf, sizeof buf, &how, NULL, &err), HCS_WIN32_E_INVALID_HANDLE);
    hcs_error_clear(&err);
    finish(sys, p, &io);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(echo_through_a_guest, reset_sim),
        cmocka_unit_test_teardown(end_of_stream, reset_sim),
        cmocka_unit_test_teardown(many_pipes_one_queue, reset_sim),
        cmocka_unit_test_teardown(large_echo_in_order, reset_sim),
        cmocka_unit_test_teardown(large_output_by_callbacks, reset_sim),
        cmocka_unit_test_teardown(timeout_reports_once_and_loses_nothing, reset_sim),
        cmocka_unit_test_teardown(cancel_a_pending_read, reset_sim),
        cmocka_unit_test_teardown(cancel_a_blocked_write, reset_sim),
        cmocka_unit_test_teardown(close_with_transfers_in_flight, reset_sim),
        cmocka_unit_test_teardown(close_races_reads, reset_sim),
        cmocka_unit_test_teardown(one_read_and_one_write_at_a_time, reset_sim),
        cmocka_unit_test_teardown(broken_pipe_and_wrong_direction, reset_sim),
        cmocka_unit_test_teardown(closed_queue, reset_sim),
    };
    return cmocka_run_group_tests_name("libhcs asynchronous stdio", tests, open_client, close_client);
}
