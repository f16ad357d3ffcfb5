/* Running programs (hcsctl, hcssimd) from the hcsctl tests, on POSIX and on
 * Windows (under Wine): stdin from a text, stdout and stderr into files of
 * the build tree, read back when the program ended or while it runs. */
#ifndef HCSCTL_TEST_SPAWN_H
#define HCSCTL_TEST_SPAWN_H

#include <stdbool.h>
#include <stddef.h>

typedef struct child child;

/* What a program printed and how it ended. */
typedef struct run_result {
    int status; /* the exit code; 128 + N for a POSIX program ended by signal N */
    char *out, *err;
} run_result;

/* Starts program with argv (NULL-terminated, argv[0] the program's name);
 * stdin_text (NULL: empty) is its stdin. NULL when it cannot start. */
child *spawn_program(const char *program, const char *const *argv, const char *stdin_text);
/* Waits for the end, fills *r (free it with run_result_clear), frees c. */
void child_wait(child *c, run_result *r);
/* What the program wrote to stdout (err: stderr) so far; free() it. */
char *child_output(child *c, bool err);
/* Waits (polling its output, at most 60 s, a bound against a hang and no
 * measure of anything) until stdout (err: stderr) holds `needle`. */
bool child_wait_for(child *c, bool err, const char *needle);
/* Sends Ctrl-C (SIGINT); POSIX only. */
void child_interrupt(child *c);
/* Ends the program: SIGKILL (kill) or SIGTERM; on Windows
 * TerminateProcess with exit code 1, either way. */
void child_end(child *c, bool kill);

/* hcsctl ARGS... with stdin_text; returns r->status. */
int run_hcsctl(const char *stdin_text, run_result *r, ...);
/* Runs hcsctl ARGS... (no stdin) into *r and fails the cmocka test unless
 * it exits with `status`, showing its output. */
#define HCSCTL_EXITS(status, r, ...)                                                                                   \
    do {                                                                                                               \
        int got_ = run_hcsctl(NULL, r, __VA_ARGS__, NULL);                                                             \
        if (got_ != (status))                                                                                          \
            fail_msg("line %d: exit %d, not %d; stdout: %s; stderr: %s", __LINE__, got_, (status), (r)->out,           \
                     (r)->err);                                                                                        \
    } while (0)
/* hcsctl ARGS... started in the background. */
child *spawn_hcsctl(const char *first, ...);
void run_result_clear(run_result *r);

/* Starts hcssimd on socket and returns once it answers (NULL when it does
 * not within 30 s). stop_daemon stops it the ordinary way, SIGTERM (on
 * Windows `hcssimd --stop --socket SOCKET`; a kill when that fails), waits
 * for it and returns its exit status: 0 for a daemon that stopped well. */
child *start_daemon(const char *socket);
int stop_daemon(child *c, const char *socket, run_result *r);
/* A test group's teardown of its daemon: stop_daemon, what went wrong on
 * stderr, the socket freed. Returns 0 when the daemon stopped well
 * (cmocka 1.1.5 does not count a failed group teardown: callers add it to
 * their result). */
int stop_test_daemon(child *c, char *socket);
/* A test group's own hcssimd, as cmocka group setup and teardown: started
 * on a socket of the scratch folder (on Windows the pipe
 * \\.\pipe\hcsctl-STEM-PID) with the programs' HCSSIM_SOCKET and
 * HCS_PROVIDER=hcssimd naming it; stopped with stop_test_daemon.
 * test_daemon_failed tells whether that stop failed, for main to add to
 * cmocka's result. STEM is set before the group runs (test_daemon_stem). */
extern const char *test_daemon_stem;
int test_daemon_group_start(void **state);
int test_daemon_group_stop(void **state);
bool test_daemon_failed(void);

/* Sleeps, for polls that wait for something to happen (never to measure). */
void sleep_ms(unsigned ms);

/* The path of a program of the build (name without .exe); free() it. */
char *program_path(const char *name);

/* Sets (value NULL: removes) a variable of the environment programs get. */
void test_setenv(const char *name, const char *value);

/* A file name in the tests' scratch folder (HCSKIT_HCSCTL_SCRATCH), with a
 * counter so that none is reused; free() it. */
char *scratch_file(const char *stem);
/* Writes text to path; false when it cannot. */
bool write_file(const char *path, const char *text);

#endif
