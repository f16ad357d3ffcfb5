/* Starting programs from Windows tests (hcssimd_run.exe, the daemon and
 * hcsctl tests): one job that ends with the test, and CreateProcess with
 * Wine's startup failure retried. Windows only. */
#ifndef HCSKIT_TESTS_WIN_SPAWN_H
#define HCSKIT_TESTS_WIN_SPAWN_H

#include <windows.h>

#include <stdio.h>

/* The job every program the test starts runs in: killed when the test
 * process ends however it ends (a failed assertion, ctest's timeout), so no
 * hcssimd.exe or hcsctl.exe outlives its test. NULL when it cannot be made. */
static inline HANDLE test_spawn_job(void)
{
    static HANDLE job;
    if (!job) {
        job = CreateJobObjectW(NULL, NULL);
        JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits = {0};
        limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
        if (job && !SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits, sizeof limits)) {
            CloseHandle(job);
            job = NULL;
        }
    }
    return job;
}

/* CreateProcess, suspended (to be put in the job), with the handles
 * inherited. Under Wine (8.0) it fails now and then, about once in 5000
 * starts while a test runs, with ERROR_INTERNAL_ERROR: the new process
 * ended inside Wine's startup, before its loader reported it started and
 * so before the program ran (NtCreateUserProcess says STATUS_INTERNAL_ERROR
 * for a child that ends without an exit code). Starting it again therefore
 * runs the command once; a few tries, said on stderr; any other error
 * fails. program may be NULL (the command line names it). */
static inline BOOL test_spawn_suspended(const char *program, char *cmdline, STARTUPINFOA *si, PROCESS_INFORMATION *pi)
{
    for (int tries = 1;; tries++) {
        if (CreateProcessA(program, cmdline, NULL, NULL, TRUE, CREATE_SUSPENDED, NULL, NULL, si, pi))
            return TRUE;
        if (GetLastError() != ERROR_INTERNAL_ERROR || tries == 3)
            return FALSE;
        fprintf(stderr, "spawn: %s did not start (ERROR_INTERNAL_ERROR), once more\n", program ? program : cmdline);
    }
}

#endif
