/* What hcsctl needs of the platform: Ctrl-C and the other signals that end a
 * program, delivered where libhcs may be called; the terminal (size, a raw
 * mode for exec -t, VT sequences for the live stats table); a thread that
 * relays stdin; binary stdio. term_posix.c and term_win32.c implement it. */
#ifndef HCSCTL_TERM_H
#define HCSCTL_TERM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum hcsctl_signal {
    HCSCTL_SIGNAL_INTERRUPT, /* Ctrl-C (SIGINT; CTRL_C_EVENT, CTRL_BREAK_EVENT) */
    HCSCTL_SIGNAL_TERMINATE, /* SIGTERM, SIGHUP; the console closing */
    HCSCTL_SIGNAL_RESIZE,    /* the terminal changed size (SIGWINCH) */
} hcsctl_signal;

typedef void (*hcsctl_signal_fn)(hcsctl_signal what, void *user);

/* From now on, the signals go to fn instead of ending hcsctl: on a thread
 * of hcsctl's own (POSIX: one waiting in sigwait; Windows: the console's
 * control handler thread), never inside a signal handler, so fn may call
 * libhcs. `resize` adds HCSCTL_SIGNAL_RESIZE (POSIX terminals). Call before
 * the client is opened: on POSIX the signals are blocked in the calling
 * thread, and the threads libhcs starts later inherit the mask. A SIGHUP
 * that was being ignored (nohup) stays ignored. */
bool hcsctl_signals_start(hcsctl_signal_fn fn, void *user, bool resize);
/* fn is not called after this returns. */
void hcsctl_signals_stop(void);

/* Whether f is a terminal (a console on Windows). */
bool hcsctl_is_terminal(FILE *f);
/* The size of the terminal stdout (else stdin) is, or false. */
bool hcsctl_terminal_size(uint16_t *rows, uint16_t *cols);
/* stdin's terminal without line editing and echo (the guest's console
 * echoes), Ctrl-C still a signal; false when stdin is no terminal. */
bool hcsctl_terminal_raw(void);
/* Undoes hcsctl_terminal_raw. */
void hcsctl_terminal_restore(void);
/* Lets stdout take VT sequences (cursor movement); false when it cannot. */
bool hcsctl_terminal_vt(void);

/* stdin, stdout and stderr pass bytes as they are (Windows: no \n to
 * \r\n), as on POSIX. */
void hcsctl_binary_stdio(void);

/* Calls fn with each piece read from stdin, on a thread of its own, and
 * once with len 0 at its end (or a read error), after which the thread
 * ends. The thread is not waited for: it may still be blocked reading
 * stdin when hcsctl exits. */
typedef void (*hcsctl_stdin_fn)(const char *data, size_t len, void *user);
bool hcsctl_stdin_start(hcsctl_stdin_fn fn, void *user);

#endif
