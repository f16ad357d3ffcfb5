/* Helpers for tests that call the computecore exports directly. */
#ifndef HCSKIT_TESTS_SIM_HELPERS_H
#define HCSKIT_TESTS_SIM_HELPERS_H

#include "hcssim/computecore_abi.h"
#include "hcssim/hcssim.h"

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

#define CONTAINER_DOC W("{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Owner\":\"tests\",\"Container\":{}}")

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

#endif
