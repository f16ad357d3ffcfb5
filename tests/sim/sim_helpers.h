/* Helpers for tests that call the computecore exports directly. */
#ifndef HCSKIT_TESTS_SIM_HELPERS_H
#define HCSKIT_TESTS_SIM_HELPERS_H

#include "socket_pair.h" /* first: winsock2.h before windows.h */

#include "hcs/computecore.h"
#include "hcssim/hcssim.h"
#include "platform/thread.h"
#include "util/utf16.h"

/* The Hcs* functions these programs call are bound at link time: to the
 * simulator, or to computecore.dll in their system-mode builds
 * (tests/system). */
#define TEST_OWNER "tests"
#define TEST_BOUND_AT_LINK_TIME
#include "test_mode.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* A UTF-16 literal in the ABI's string type. */
#ifdef _WIN32
#define W(s) L##s
#else
#define W(s) u##s
#endif

/* The documents of the systems the tests create: the simulator's below,
 * or those of HCSKIT_TEST_DOCUMENTS (test_mode.h). */
#define SIM_CONTAINER_DOC W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Owner\":\"tests\",\"Container\":{}}")

/* A VM with a guest connection (so shutdown works) and 1 GiB of memory. */
#define SIM_VM_DOC                                                                                                     \
    W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"VirtualMachine\":{\"ComputeTopology\":{\"Memory\":"              \
      "{\"SizeInMB\":1024}},\"GuestConnection\":{}}}")

#define CONTAINER_DOC test_document_w(TEST_CONTAINER, SIM_CONTAINER_DOC)
#define VM_DOC test_document_w(TEST_VM, SIM_VM_DOC)

static PCWSTR test_documents_w_[TEST_DOCUMENT_KINDS];
static hcs_once test_documents_w_once_ = HCS_ONCE_INIT;

/* The configured documents in UTF-16, made once for the whole program. */
static inline void test_widen_documents_(void)
{
    for (int k = 0; k < TEST_DOCUMENT_KINDS; k++) {
        const char *doc = test_mode()->documents[k];
        uint16_t *w = NULL;
        if (doc && hcs__utf8_to_utf16(doc, &w) != 0)
            test_mode_fail_(test_document_files_[k], "not valid UTF-8");
        test_documents_w_[k] = (PCWSTR)w;
    }
}

/* test_document() in the ABI's string type. */
static inline PCWSTR test_document_w(test_document_kind kind, PCWSTR builtin)
{
    (void)test_document(kind, NULL); /* skips in system mode when there is none */
    hcs__call_once(&test_documents_w_once_, test_widen_documents_);
    return test_documents_w_[kind] ? test_documents_w_[kind] : builtin;
}

/* A fresh system id per call, so tests sharing one process never collide. */
static inline PCWSTR test_id(const char *tag)
{
    static WCHAR ids[64][48];
    static unsigned next;
    WCHAR *out = ids[next++ % 64];
    char text[48];
    snprintf(text, sizeof text, "%s-%u-%u", tag, (unsigned)next, (unsigned)rand());
    size_t i = 0;
    for (; text[i] && i < 47; i++)
        out[i] = (WCHAR)text[i];
    out[i] = 0;
    return out;
}

/* A UTF-16 copy of a UTF-8 text built at run time (freed by the caller). */
static inline WCHAR *widen(const char *utf8)
{
    uint16_t *w = NULL;
    assert_int_equal(hcs__utf8_to_utf16(utf8, &w), 0);
    return (WCHAR *)w;
}

/* Plain ASCII copy of a UTF-16 document, for assertions (freed by caller). */
static inline char *narrow(PCWSTR w)
{
    if (!w)
        return NULL;
    size_t n = 0;
    while (w[n])
        n++;
    char *s = malloc(n + 1);
    for (size_t i = 0; i <= n; i++)
        s[i] = w[i] < 128 ? (char)w[i] : '?';
    return s;
}

/* Waits for op and returns its HRESULT, storing its document (ASCII) in
 * *doc when doc is non-NULL. */
static inline HRESULT wait_doc(HCS_OPERATION op, char **doc)
{
    PWSTR w = NULL;
    HRESULT hr = HcsWaitForOperationResult(op, INFINITE, &w);
    if (doc)
        *doc = narrow(w);
    if (w)
        LocalFree(w);
    return hr;
}

static inline HRESULT wait_op(HCS_OPERATION op) { return wait_doc(op, NULL); }

/* Creates a container and waits; returns its handle. */
static inline HCS_SYSTEM make_container(PCWSTR id, PCWSTR doc)
{
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HCS_SYSTEM sys = NULL;
    assert_int_equal(HcsCreateComputeSystem(id, doc, op, NULL, &sys), S_OK);
    assert_non_null(sys);
    assert_int_equal(wait_op(op), S_OK);
    HcsCloseOperation(op);
    return sys;
}

/* Runs one lifecycle call to completion and returns its outcome. */
typedef HRESULT(WINAPI *lifecycle_fn)(HCS_SYSTEM, HCS_OPERATION, PCWSTR);
static inline HRESULT run(lifecycle_fn fn, HCS_SYSTEM sys)
{
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HRESULT hr = fn(sys, op, NULL);
    if (SUCCEEDED(hr))
        hr = wait_op(op);
    HcsCloseOperation(op);
    return hr;
}

/* The system's Properties document (ASCII, freed by the caller). */
static inline char *properties(HCS_SYSTEM sys)
{
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    char *doc = NULL;
    assert_int_equal(HcsGetComputeSystemProperties(sys, op, NULL), S_OK);
    assert_int_equal(wait_doc(op, &doc), S_OK);
    HcsCloseOperation(op);
    return doc;
}

/* Events received by one handle's callback, for assertions. */
enum { EVENT_LOG_MAX = 32 };
typedef struct event_log {
    hcs_mutex mu;
    hcs_cond changed;
    int count;
    HCS_EVENT_TYPE types[EVENT_LOG_MAX];
    char *data[EVENT_LOG_MAX];
    HCS_OPERATION operations[EVENT_LOG_MAX];
} event_log;

static inline void event_log_init(event_log *log)
{
    memset(log, 0, sizeof *log);
    hcs__mutex_init(&log->mu);
    hcs__cond_init(&log->changed);
}

static inline void event_log_free(event_log *log)
{
    for (int i = 0; i < log->count; i++)
        free(log->data[i]);
    hcs__cond_destroy(&log->changed);
    hcs__mutex_destroy(&log->mu);
}

static inline void CALLBACK event_log_callback(HCS_EVENT *event, void *context)
{
    event_log *log = context;
    hcs__mutex_lock(&log->mu);
    if (log->count < EVENT_LOG_MAX) {
        log->types[log->count] = event->Type;
        log->data[log->count] = narrow(event->EventData);
        log->operations[log->count] = event->Operation;
        log->count++;
    }
    hcs__cond_broadcast(&log->changed);
    hcs__mutex_unlock(&log->mu);
}

/* Waits (up to 10 s, a hang guard, not a timing check) until the log holds
 * n events; returns how many it holds. */
static inline int event_log_wait(event_log *log, int n)
{
    uint64_t deadline = hcs__clock_ms() + 10000;
    hcs__mutex_lock(&log->mu);
    while (log->count < n && hcs__cond_wait_until(&log->changed, &log->mu, deadline)) {
    }
    int count = log->count;
    hcs__mutex_unlock(&log->mu);
    return count;
}

/* Installs a fault plan (docs/fault-plans.md); fails the test when the
 * simulator refuses it. */
static inline void plan(const char *json)
{
    char error[256];
    if (hcssim_set_faults(json, error, sizeof error) != 0)
        fail_msg("fault plan refused: %s", error);
}

/* Clears the fault plan; a cmocka setup or teardown. */
static inline int clear_plan(void **state)
{
    (void)state;
    return hcssim_set_faults(NULL, NULL, 0);
}

/* Creates a system from doc (container or VM) and starts it. */
static inline HCS_SYSTEM make_running(PCWSTR id, PCWSTR doc)
{
    HCS_SYSTEM sys = make_container(id, doc);
    assert_int_equal(run(HcsStartComputeSystem, sys), S_OK);
    return sys;
}

/* Runs a call that takes an options document to completion. */
static inline HRESULT run_with(lifecycle_fn fn, HCS_SYSTEM sys, PCWSTR options, char **doc)
{
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HRESULT hr = fn(sys, op, options);
    if (SUCCEEDED(hr))
        hr = wait_doc(op, doc);
    HcsCloseOperation(op);
    return hr;
}

/* ---- stdio pipe handles (hcs/computecore.h: fd + 1 on POSIX) ---------- */

#ifndef _WIN32
#include <unistd.h>
#endif

static inline void handle_close(HANDLE h)
{
    if (!h || h == INVALID_HANDLE_VALUE)
        return;
#ifdef _WIN32
    CloseHandle(h);
#else
    close((int)((intptr_t)h - 1));
#endif
}

#ifdef _WIN32
/* One blocking read or write on a stdio handle. HCS opens them for
 * overlapped I/O, so even a blocking transfer passes an OVERLAPPED with an
 * event of its own. Returns the bytes moved, or -1. */
static inline long handle_transfer(HANDLE h, void *buf, DWORD n, BOOL reading)
{
    OVERLAPPED ov = {0};
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    assert_non_null(ov.hEvent);
    DWORD done = 0;
    BOOL ok = reading ? ReadFile(h, buf, n, NULL, &ov) : WriteFile(h, buf, n, NULL, &ov);
    if (ok || GetLastError() == ERROR_IO_PENDING)
        ok = GetOverlappedResult(h, &ov, &done, TRUE);
    CloseHandle(ov.hEvent);
    return ok ? (long)done : -1;
}
#endif

static inline void handle_write(HANDLE h, const char *text)
{
#ifdef _WIN32
    assert_int_equal(handle_transfer(h, (void *)text, (DWORD)strlen(text), FALSE), (long)strlen(text));
#else
    assert_int_equal(write((int)((intptr_t)h - 1), text, strlen(text)), (ssize_t)strlen(text));
#endif
}

/* Reads until end of file (at most size - 1 bytes); returns the text. */
static inline char *handle_read_all(HANDLE h, char *buf, size_t size)
{
    size_t used = 0;
    for (;;) {
#ifdef _WIN32
        long n = handle_transfer(h, buf + used, (DWORD)(size - 1 - used), TRUE);
        if (n <= 0)
            break;
#else
        ssize_t n = read((int)((intptr_t)h - 1), buf + used, size - 1 - used);
        if (n <= 0)
            break;
#endif
        used += (size_t)n;
        if (used == size - 1)
            break;
    }
    buf[used] = '\0';
    return buf;
}

/* Reads one line (through "\n") into buf, byte by byte. */
static inline char *handle_read_line(HANDLE h, char *buf, size_t size)
{
    size_t used = 0;
    while (used + 1 < size) {
#ifdef _WIN32
        if (handle_transfer(h, buf + used, 1, TRUE) != 1)
            break;
#else
        if (read((int)((intptr_t)h - 1), buf + used, 1) != 1)
            break;
#endif
        if (buf[used++] == '\n')
            break;
    }
    buf[used] = '\0';
    return buf;
}

/* Starts a process and returns its handle and information. */
static inline HCS_PROCESS start_process(HCS_SYSTEM sys, PCWSTR params, HCS_PROCESS_INFORMATION *info)
{
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HCS_PROCESS proc = NULL;
    assert_int_equal(HcsCreateProcess(sys, params, op, NULL, &proc), S_OK);
    assert_non_null(proc);
    HCS_PROCESS_INFORMATION local;
    assert_int_equal(HcsWaitForOperationResultAndProcessInfo(op, INFINITE, info ? info : &local, NULL), S_OK);
    HcsCloseOperation(op);
    return proc;
}

/* Waits for the process to exit and returns its ProcessStatus (ASCII). */
static inline char *process_exit_status(HCS_PROCESS proc)
{
    PWSTR w = NULL;
    assert_int_equal(HcsWaitForProcessExit(proc, INFINITE, &w), S_OK);
    char *text = narrow(w);
    LocalFree(w);
    return text;
}

#endif
