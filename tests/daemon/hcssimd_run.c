/* hcssimd_ctl.sh's `run` for Windows (and Wine), where a shell script
 * cannot hold Windows processes: runs a private hcssimd around one test
 * program (docs/hcssimd.md, "Tests").
 *
 *   hcssimd_run HCSSIMD PIPE COMMAND [ARGS...]
 *
 * starts the daemon on PIPE, waits until it answers, runs COMMAND with
 * HCSSIM_SOCKET=PIPE, stops the daemon with `hcssimd --stop`, and exits
 * with COMMAND's status, or 1 when the daemon did not start or did not
 * exit with status 0. The daemon and the command run in a job that is
 * killed when this program ends, however it ends (ctest's timeout kills
 * it): no daemon outlives its test. */
#include "win_spawn.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die(const char *what)
{
    fprintf(stderr, "hcssimd_run: %s (error %lu)\n", what, GetLastError());
    exit(1);
}

/* Appends each argument, quoted, to line (arguments hold no quotes). */
static void quote_args(char *line, size_t size, char *const *argv)
{
    size_t used = 0;
    for (; *argv; argv++) {
        int n = snprintf(line + used, size - used, "%s\"%s\"", used ? " " : "", *argv);
        if (n < 0 || (size_t)n >= size - used)
            die("command line too long");
        used += (size_t)n;
    }
}

static HANDLE start(char *const *argv)
{
    char line[4096];
    quote_args(line, sizeof line, argv);
    STARTUPINFOA si = {.cb = sizeof si};
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    HANDLE std[3] = {si.hStdInput, si.hStdOutput, si.hStdError};
    for (int i = 0; i < 3; i++)
        if (std[i] && std[i] != INVALID_HANDLE_VALUE)
            SetHandleInformation(std[i], HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
    PROCESS_INFORMATION pi;
    if (!test_spawn_suspended(NULL, line, &si, &pi))
        die("cannot start a program");
    if (!AssignProcessToJobObject(test_spawn_job(), pi.hProcess)) {
        TerminateProcess(pi.hProcess, 1);
        die("cannot put a program in the job");
    }
    ResumeThread(pi.hThread);
    CloseHandle(pi.hThread);
    return pi.hProcess;
}

static DWORD finish(HANDLE p)
{
    DWORD code = 1;
    WaitForSingleObject(p, INFINITE);
    GetExitCodeProcess(p, &code);
    CloseHandle(p);
    return code;
}

static bool answers(const char *pipe)
{
    HANDLE h = CreateFileA(pipe, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (h != INVALID_HANDLE_VALUE) {
        CloseHandle(h);
        return true;
    }
    return GetLastError() == ERROR_PIPE_BUSY;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: hcssimd_run HCSSIMD PIPE COMMAND [ARGS...]\n");
        return 1;
    }
    const char *hcssimd = argv[1], *pipe = argv[2];
    if (!test_spawn_job())
        die("cannot make a job");

    char *daemon_argv[] = {(char *)hcssimd, "--socket", (char *)pipe, NULL};
    HANDLE daemon = start(daemon_argv);
    for (int i = 0; !answers(pipe); i++) {
        if (WaitForSingleObject(daemon, 0) == WAIT_OBJECT_0) {
            fprintf(stderr, "hcssimd_run: hcssimd exited at once (status %lu)\n", finish(daemon));
            return 1;
        }
        if (i > 400) {
            fprintf(stderr, "hcssimd_run: hcssimd did not answer on %s\n", pipe);
            return 1; /* the job takes it down */
        }
        Sleep(25);
    }

    if (!SetEnvironmentVariableA("HCSSIM_SOCKET", pipe))
        die("cannot set HCSSIM_SOCKET");
    DWORD status = finish(start(argv + 3));

    char *stop_argv[] = {(char *)hcssimd, "--stop", "--socket", (char *)pipe, NULL};
    DWORD stopped = finish(start(stop_argv));
    DWORD daemon_status = finish(daemon);
    if (stopped != 0 || daemon_status != 0) {
        fprintf(stderr, "hcssimd_run: hcssimd on %s: --stop exited %lu, the daemon %lu\n", pipe, stopped,
                daemon_status);
        return 1;
    }
    return (int)status;
}
