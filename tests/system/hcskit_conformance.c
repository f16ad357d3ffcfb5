/* hcskit-conformance: runs the test programs beside it against this host's
 * computecore.dll and says, for each, what passed, what failed and what was
 * skipped and why (README, "Checking the simulator against Windows").
 *
 *   hcskit-conformance [--documents DIR] [--only NAME]... [--results DIR]
 *                      [--timeout SECONDS]
 *
 * Each test_*.exe in the program's own folder runs once, alone, with
 * HCSKIT_TEST_PROVIDER=system (tests/test_mode.h), cmocka's TAP output, its
 * working directory in the results folder (default: conformance-results in
 * the current directory), and its stdout and stderr kept there as NAME.out
 * and NAME.err. --documents names the folder with container.json and vm.json
 * (HCSKIT_TEST_DOCUMENTS); without it the cases that create systems are
 * skipped. --only runs the named programs (without .exe) only. A program
 * that runs longer than --timeout seconds (default 600) is stopped.
 *
 * Exit code: 0 when every case passed or was skipped, 1 when a case failed
 * or a program did not finish, 2 for a bad command line. Windows only. */
#include <windows.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

enum { MAX_PROGRAMS = 256, MAX_ONLY = 64, MAX_KINDS = 16, LINE_MAX_ = 4096 };

typedef struct options {
    const wchar_t *documents; /* HCSKIT_TEST_DOCUMENTS, or NULL */
    const wchar_t *results;   /* the results folder */
    const wchar_t *only[MAX_ONLY];
    int only_count;
    DWORD timeout_ms;
} options;

/* Skips counted by the first words of their reason ("needs the simulator"). */
typedef struct skip_kinds {
    char name[MAX_KINDS][96];
    int count[MAX_KINDS];
    int used;
} skip_kinds;

typedef struct tally {
    int passed, failed, skipped, planned, seen;
    skip_kinds kinds;
} tally;

/* ---- small helpers -------------------------------------------------------- */

static void die(const char *message)
{
    fprintf(stderr, "hcskit-conformance: %s\n", message);
    exit(2);
}

/* A malloc'ed UTF-8 copy of a UTF-16 string. */
static char *utf8_of(const wchar_t *w)
{
    int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
    char *s = malloc(n > 0 ? (size_t)n : 1);
    if (!s)
        die("out of memory");
    if (n <= 0 || !WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL))
        s[0] = '\0';
    return s;
}

/* A malloc'ed UTF-16 path a + "\\" + b. */
static wchar_t *path_join(const wchar_t *a, const wchar_t *b)
{
    size_t n = wcslen(a) + wcslen(b) + 2;
    wchar_t *p = malloc(n * sizeof *p);
    if (!p)
        die("out of memory");
    swprintf(p, n, L"%ls\\%ls", a, b);
    return p;
}

/* A malloc'ed absolute form of path. */
static wchar_t *absolute(const wchar_t *path)
{
    DWORD n = GetFullPathNameW(path, 0, NULL, NULL);
    wchar_t *full = n ? malloc(n * sizeof *full) : NULL;
    if (!full || !GetFullPathNameW(path, n, full, NULL))
        die("cannot resolve a path given on the command line");
    return full;
}

/* The folder this program lives in (malloc'ed). */
static wchar_t *own_folder(void)
{
    wchar_t buf[32768];
    DWORD n = GetModuleFileNameW(NULL, buf, sizeof buf / sizeof buf[0]);
    if (n == 0 || n >= sizeof buf / sizeof buf[0])
        die("cannot find my own folder");
    wchar_t *slash = wcsrchr(buf, L'\\');
    if (slash)
        *slash = L'\0';
    return _wcsdup(buf);
}

static void count_kind(skip_kinds *k, const char *reason, int n)
{
    char name[96];
    const char *colon = strstr(reason, ": ");
    size_t len = colon ? (size_t)(colon - reason) : strlen(reason);
    if (len >= sizeof name)
        len = sizeof name - 1;
    memcpy(name, reason, len);
    name[len] = '\0';
    for (int i = 0; i < k->used; i++)
        if (strcmp(k->name[i], name) == 0) {
            k->count[i] += n;
            return;
        }
    if (k->used < MAX_KINDS) {
        snprintf(k->name[k->used], sizeof k->name[0], "%s", name);
        k->count[k->used++] = n;
    }
}

static void print_kinds(const skip_kinds *k)
{
    if (k->used == 0)
        return;
    printf(" (");
    for (int i = 0; i < k->used; i++)
        printf("%s%s: %d", i ? "; " : "", k->name[i], k->count[i]);
    printf(")");
}

/* ---- one program ------------------------------------------------------------ */

/* The text after `prefix` when line starts with it, else NULL. */
static const char *after(const char *line, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(line, prefix, n) == 0 ? line + n : NULL;
}

/* The case name of a TAP result line's tail "K - name" or "K # SKIP name". */
static const char *case_name(const char *tail, const char *marker)
{
    while (*tail >= '0' && *tail <= '9')
        tail++;
    const char *name = after(tail, marker);
    return name ? name : tail;
}

/* Reads cmocka's TAP output (tests/test_mode.h adds "# skip reason: ..."
 * before a skip), printing each failure and skip; fills t. */
static void read_results(FILE *f, tally *t)
{
    char line[LINE_MAX_], reason[LINE_MAX_] = "";
    int messages = 0; /* "# " lines still to show under the last failure */
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        const char *rest;
        if ((rest = after(line, "1..")) != NULL) {
            t->planned += atoi(rest);
        } else if ((rest = after(line, "# skip reason: ")) != NULL) {
            snprintf(reason, sizeof reason, "%s", rest);
        } else if ((rest = after(line, "ok ")) != NULL) {
            t->passed++;
            t->seen++;
            messages = 0;
        } else if ((rest = after(line, "not ok ")) != NULL && strstr(rest, " # SKIP ")) {
            const char *name = case_name(rest, " # SKIP ");
            const char *why = reason[0] ? reason : "no reason given";
            printf("  skipped %s: %s\n", name, why);
            count_kind(&t->kinds, why, 1);
            t->skipped++;
            t->seen++;
            reason[0] = '\0';
            messages = 0;
        } else if ((rest = after(line, "not ok ")) != NULL) {
            printf("  FAILED  %s\n", case_name(rest, " - "));
            t->failed++;
            if (atoi(rest) > 0) /* case 0 is the group's own setup or teardown */
                t->seen++;
            messages = 3;
        } else if ((rest = after(line, "# ")) != NULL && messages > 0 && !after(rest, "ok - ") &&
                   !after(rest, "not ok - ")) {
            printf("          %s\n", rest);
            messages--;
        }
    }
}

/* Runs one program with its output in the results folder; returns false
 * when it did not finish cleanly (crash, timeout, cases missing). */
static bool run_program(const options *o, const wchar_t *folder, const wchar_t *file, tally *total)
{
    wchar_t name[MAX_PATH];
    swprintf(name, MAX_PATH, L"%ls", file);
    wchar_t *dot = wcsrchr(name, L'.');
    if (dot)
        *dot = L'\0';
    char *name8 = utf8_of(name);
    wchar_t out_name[MAX_PATH + 8], err_name[MAX_PATH + 8];
    swprintf(out_name, MAX_PATH + 8, L"%ls.out", name);
    swprintf(err_name, MAX_PATH + 8, L"%ls.err", name);
    wchar_t *exe = path_join(folder, file), *out_path = path_join(o->results, out_name),
            *err_path = path_join(o->results, err_name);

    SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};
    HANDLE out = CreateFileW(out_path, GENERIC_WRITE, FILE_SHARE_READ, &inherit, CREATE_ALWAYS, 0, NULL);
    HANDLE err = CreateFileW(err_path, GENERIC_WRITE, FILE_SHARE_READ, &inherit, CREATE_ALWAYS, 0, NULL);
    HANDLE in = CreateFileW(L"NUL", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, &inherit, OPEN_EXISTING, 0, NULL);
    if (out == INVALID_HANDLE_VALUE || err == INVALID_HANDLE_VALUE || in == INVALID_HANDLE_VALUE)
        die("cannot create the output files in the results folder");
    STARTUPINFOW si = {
        .cb = sizeof si, .dwFlags = STARTF_USESTDHANDLES, .hStdInput = in, .hStdOutput = out, .hStdError = err};
    PROCESS_INFORMATION pi;
    size_t command_size = wcslen(exe) + 3; /* CreateProcessW may write to its command line */
    wchar_t *command = malloc(command_size * sizeof *command);
    if (!command)
        die("out of memory");
    swprintf(command, command_size, L"\"%ls\"", exe);
    bool finished = true;
    DWORD code = 0;
    if (!CreateProcessW(exe, command, NULL, NULL, TRUE, 0, NULL, o->results, &si, &pi)) {
        printf("%s: could not start it (Windows error %lu)\n", name8, (unsigned long)GetLastError());
        finished = false;
    } else {
        if (WaitForSingleObject(pi.hProcess, o->timeout_ms) == WAIT_TIMEOUT) {
            TerminateProcess(pi.hProcess, 1);
            WaitForSingleObject(pi.hProcess, INFINITE);
            printf("%s: stopped after %lu s (--timeout)\n", name8, (unsigned long)(o->timeout_ms / 1000));
            finished = false;
        }
        GetExitCodeProcess(pi.hProcess, &code);
        CloseHandle(pi.hThread);
        CloseHandle(pi.hProcess);
    }
    CloseHandle(in);
    CloseHandle(out);
    CloseHandle(err);

    tally t = {0};
    FILE *f = _wfopen(out_path, L"r");
    if (f) {
        printf("[%s]\n", name8);
        read_results(f, &t);
        fclose(f);
    }
    if (finished && (t.planned == 0 || t.seen < t.planned || code >= 0xC0000000u)) {
        printf("  the program ended after %d of %d cases (exit code 0x%08lX): see %s.err\n", t.seen, t.planned,
               (unsigned long)code, name8);
        finished = false;
    }
    printf("%s: %d passed, %d failed, %d skipped", name8, t.passed, t.failed, t.skipped);
    print_kinds(&t.kinds);
    printf("\n");
    total->passed += t.passed;
    total->failed += t.failed;
    total->skipped += t.skipped;
    for (int i = 0; i < t.kinds.used; i++)
        count_kind(&total->kinds, t.kinds.name[i], t.kinds.count[i]);
    free(command);
    free(exe);
    free(out_path);
    free(err_path);
    free(name8);
    return finished;
}

/* ---- the programs ------------------------------------------------------------ */

static int compare_names(const void *a, const void *b)
{
    return wcscmp(*(const wchar_t *const *)a, *(const wchar_t *const *)b);
}

static bool selected(const options *o, const wchar_t *file)
{
    if (o->only_count == 0)
        return true;
    for (int i = 0; i < o->only_count; i++) {
        size_t n = wcslen(o->only[i]);
        if (_wcsnicmp(file, o->only[i], n) == 0 && _wcsicmp(file + n, L".exe") == 0)
            return true;
    }
    return false;
}

/* The test programs of folder, sorted; returns how many. */
static int list_programs(const options *o, const wchar_t *folder, wchar_t *names[MAX_PROGRAMS])
{
    wchar_t *pattern = path_join(folder, L"test_*.exe");
    WIN32_FIND_DATAW found;
    HANDLE h = FindFirstFileW(pattern, &found);
    free(pattern);
    int n = 0;
    if (h != INVALID_HANDLE_VALUE) {
        do {
            if (n < MAX_PROGRAMS && selected(o, found.cFileName))
                names[n++] = _wcsdup(found.cFileName);
        } while (FindNextFileW(h, &found));
        FindClose(h);
    }
    qsort(names, (size_t)n, sizeof names[0], compare_names);
    return n;
}

static options parse(int argc, wchar_t **argv)
{
    options o = {.results = L"conformance-results", .timeout_ms = 600000};
    for (int i = 1; i < argc; i++) {
        bool has_value = i + 1 < argc;
        if (wcscmp(argv[i], L"--documents") == 0 && has_value) {
            o.documents = argv[++i];
        } else if (wcscmp(argv[i], L"--results") == 0 && has_value) {
            o.results = argv[++i];
        } else if (wcscmp(argv[i], L"--only") == 0 && has_value && o.only_count < MAX_ONLY) {
            o.only[o.only_count++] = argv[++i];
        } else if (wcscmp(argv[i], L"--timeout") == 0 && has_value) {
            long seconds = wcstol(argv[++i], NULL, 10);
            if (seconds <= 0 || seconds > 86400)
                die("--timeout takes a number of seconds (1 to 86400)");
            o.timeout_ms = (DWORD)seconds * 1000;
        } else {
            die("usage: hcskit-conformance [--documents DIR] [--only NAME]... [--results DIR] [--timeout SECONDS]");
        }
    }
    return o;
}

int wmain(int argc, wchar_t **argv); /* the entry point with -municode */

int wmain(int argc, wchar_t **argv)
{
    options o = parse(argc, argv);
    /* A crashing test must end, not wait on an error dialog. */
    SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX);
    CreateDirectoryW(o.results, NULL);
    o.results = absolute(o.results);
    SetEnvironmentVariableW(L"HCSKIT_TEST_PROVIDER", L"system");
    SetEnvironmentVariableW(L"CMOCKA_MESSAGE_OUTPUT", L"TAP");
    if (o.documents)
        SetEnvironmentVariableW(L"HCSKIT_TEST_DOCUMENTS", absolute(o.documents));
    wchar_t *folder = own_folder();
    wchar_t *names[MAX_PROGRAMS];
    int n = list_programs(&o, folder, names);
    if (n == 0)
        die("no test_*.exe beside me (or none named by --only)");
    wchar_t documents[32768];
    DWORD have = GetEnvironmentVariableW(L"HCSKIT_TEST_DOCUMENTS", documents, 32768);
    char *documents8 = utf8_of(have && have < 32768 ? documents : L"none (cases that create systems are skipped)");
    printf("hcskit-conformance: %d programs against this host's computecore.dll; documents: %s\n", n, documents8);
    free(documents8);
    fflush(stdout);

    tally total = {0};
    int unfinished = 0;
    for (int i = 0; i < n; i++) {
        if (!run_program(&o, folder, names[i], &total))
            unfinished++;
        fflush(stdout);
        free(names[i]);
    }
    char *results8 = utf8_of(o.results);
    printf("summary: %d passed, %d failed, %d skipped", total.passed, total.failed, total.skipped);
    print_kinds(&total.kinds);
    if (unfinished)
        printf("; %d program%s did not finish", unfinished, unfinished == 1 ? "" : "s");
    printf("\n");
    printf("logs: %s\n", results8);
    free(results8);
    return total.failed || unfinished ? 1 : 0;
}
