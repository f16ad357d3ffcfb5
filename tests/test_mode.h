/* Which HCS a test program talks to, for tests/sim and tests/lib.
 *
 * By default the tests run against the simulator. HCSKIT_TEST_PROVIDER=system
 * runs them, opt-in, against the host's real computecore.dll (README,
 * "Checking the simulator against Windows"; docs/simulator-fidelity.md):
 *
 *  - a case that needs the simulator (its control API in hcssim/hcssim.h:
 *    fault plans, latencies, service disconnects, counts, profiles; or a
 *    fact only the simulator has: its guest programs, its error wording, its
 *    simulated statistics, a document without layers) starts with
 *    NEEDS_SIMULATOR("what"), which skips it there and prints one line saying
 *    why;
 *  - the documents of the systems the tests create come from the folder
 *    HCSKIT_TEST_DOCUMENTS when it is set (container.json, vm.json: whole
 *    create documents that work on that host), else the simulator's own; in
 *    system mode a case needing a document that folder lacks is skipped,
 *    saying so, where the document is first used.
 *
 * Every skip prints "# skip reason: <why>" through cmocka before cmocka's own
 * line, so a reader of the output (and tests/system/hcskit_conformance.c)
 * knows why each case was skipped.
 *
 * The includer defines TEST_OWNER, the Owner given to documents read from
 * the folder (its own built-in documents carry it already). */
#ifndef HCSKIT_TESTS_TEST_MODE_H
#define HCSKIT_TESTS_TEST_MODE_H

#include "platform/thread.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#ifndef TEST_OWNER
#error "define TEST_OWNER before including test_mode.h"
#endif

/* The line that precedes every skip of this file's making. */
#define TEST_SKIP_PREFIX "# skip reason: "

/* The documents a test may need. */
typedef enum test_document_kind { TEST_CONTAINER, TEST_VM, TEST_DOCUMENT_KINDS } test_document_kind;

typedef struct test_mode_state {
    bool system;                          /* HCSKIT_TEST_PROVIDER=system */
    char *documents[TEST_DOCUMENT_KINDS]; /* from HCSKIT_TEST_DOCUMENTS, or NULL */
    const char *folder;                   /* HCSKIT_TEST_DOCUMENTS, or NULL */
} test_mode_state;

static test_mode_state test_mode_;
static hcs_once test_mode_once_ = HCS_ONCE_INIT;

static const char *const test_document_files_[TEST_DOCUMENT_KINDS] = {"container.json", "vm.json"};

/* A bad setting ends the program: a run against the wrong thing, or with
 * documents half read, would report results that mean nothing. */
static inline void test_mode_fail_(const char *what, const char *detail)
{
    fprintf(stderr, "test setup: %s: %s\n", what, detail);
    exit(2);
}

/* The text of folder/name with Owner added as its first member, or NULL
 * when the file does not exist. The file is UTF-8 (a BOM is allowed) and
 * holds one JSON object without an Owner (the tests set it: their
 * enumerate filters and assertions name it). */
static inline char *test_read_document_(const char *folder, const char *name)
{
    size_t path_size = strlen(folder) + strlen(name) + 2;
    char *path = malloc(path_size);
    if (!path)
        test_mode_fail_("HCSKIT_TEST_DOCUMENTS", "out of memory");
    snprintf(path, path_size, "%s/%s", folder, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        free(path);
        return NULL;
    }
    char *text = NULL;
    size_t used = 0, size = 0;
    for (;;) {
        if (used + 4096 + 1 > size) {
            size = size ? size * 2 : 8192;
            char *bigger = realloc(text, size);
            if (!bigger)
                test_mode_fail_(path, "out of memory");
            text = bigger;
        }
        size_t n = fread(text + used, 1, 4096, f);
        used += n;
        if (n == 0)
            break;
    }
    fclose(f);
    text[used] = '\0';
    const char *body = text;
    if (strncmp(body, "\xEF\xBB\xBF", 3) == 0)
        body += 3;
    if ((unsigned char)body[0] == 0xFF || (unsigned char)body[0] == 0xFE ||
        strlen(body) != used - (size_t)(body - text))
        test_mode_fail_(path, "not UTF-8 text (save it as UTF-8)");
    while (*body == ' ' || *body == '\t' || *body == '\r' || *body == '\n')
        body++;
    if (*body != '{')
        test_mode_fail_(path, "not a JSON object (a whole compute system document, {...})");
    if (strstr(body, "\"Owner\""))
        test_mode_fail_(path, "has an Owner: leave it out, the tests set their own");
    const char *rest = body + 1;
    while (*rest == ' ' || *rest == '\t' || *rest == '\r' || *rest == '\n')
        rest++;
    size_t out_size = strlen(rest) + sizeof TEST_OWNER + 16;
    char *doc = malloc(out_size);
    if (!doc)
        test_mode_fail_(path, "out of memory");
    snprintf(doc, out_size, "{\"Owner\":\"%s\"%s%s", TEST_OWNER, *rest == '}' ? "" : ",", rest);
    free(text);
    free(path);
    return doc;
}

static inline void test_mode_load_(void)
{
    const char *provider = getenv("HCSKIT_TEST_PROVIDER");
    if (provider && provider[0]) {
        if (strcmp(provider, "system") != 0)
            test_mode_fail_("HCSKIT_TEST_PROVIDER", "the only value is \"system\" (unset: the simulator)");
        test_mode_.system = true;
    }
#ifdef HCSKIT_TEST_SYSTEM_BUILD
    /* Its Hcs* functions are bound to computecore.dll at link time
     * (tests/system): the system-mode build, whatever the setting says. */
    test_mode_.system = true;
#elif defined(TEST_BOUND_AT_LINK_TIME)
    if (test_mode_.system)
        test_mode_fail_("HCSKIT_TEST_PROVIDER=system",
                        "this build of the program is bound to the simulator at link time; run its system-mode "
                        "build instead (tests/system, the conformance package)");
#endif
    const char *folder = getenv("HCSKIT_TEST_DOCUMENTS");
    if (folder && folder[0]) {
        test_mode_.folder = folder;
        for (int k = 0; k < TEST_DOCUMENT_KINDS; k++)
            test_mode_.documents[k] = test_read_document_(folder, test_document_files_[k]);
    }
}

static inline const test_mode_state *test_mode(void)
{
    hcs__call_once(&test_mode_once_, test_mode_load_);
    return &test_mode_;
}

/* True when the tests run against the host's computecore.dll. */
static inline bool test_system_mode(void) { return test_mode()->system; }

/* Skips the current case with a reason line. Call it on the case's own
 * thread (cmocka's skip() returns there). */
static inline void test_skip(const char *why, const char *detail)
{
    print_message(TEST_SKIP_PREFIX "%s%s%s\n", why, detail ? ": " : "", detail ? detail : "");
    skip();
}

/* First statement of a case that cannot run against the real HCS: it needs
 * the simulator, for the reason given (a few words: "fault plans", "its
 * guest program hcssim-bytes"). Does nothing against the simulator. */
#define NEEDS_SIMULATOR(what)                                                                                          \
    do {                                                                                                               \
        if (test_system_mode())                                                                                        \
            test_skip("needs the simulator", what);                                                                    \
    } while (0)

/* True when a document of this kind can be used: always against the
 * simulator, in system mode only when HCSKIT_TEST_DOCUMENTS has it. For
 * group fixtures, which cannot skip. */
static inline bool test_has_document(test_document_kind kind)
{
    return !test_system_mode() || test_mode()->documents[kind] != NULL;
}

/* The create document of a system of this kind: the configured one, else
 * `builtin` (the simulator's). In system mode without a configured one the
 * case is skipped, so the first use must be on the case's own thread
 * (NEEDS_DOCUMENT, when only other threads use it). */
static inline const char *test_document(test_document_kind kind, const char *builtin)
{
    const test_mode_state *m = test_mode();
    if (m->documents[kind])
        return m->documents[kind];
    if (m->system)
        test_skip(kind == TEST_CONTAINER ? "needs a container document" : "needs a VM document",
                  m->folder ? "the folder HCSKIT_TEST_DOCUMENTS names has no such file (container.json, vm.json)"
                            : "set HCSKIT_TEST_DOCUMENTS to a folder with container.json and vm.json for this host");
    return builtin;
}

/* Evaluates a document here, on the case's own thread, so that a missing
 * one skips the case before threads that use it start. */
#define NEEDS_DOCUMENT(doc) ((void)(doc))

#endif
