/* term.h on POSIX: signals taken by sigwait on a thread of their own, termios,
 * TIOCGWINSZ. */
#include "term.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

static struct {
    pthread_t thread;
    sigset_t set;
    hcsctl_signal_fn fn;
    void *user;
    bool running;
} watch;

/* The watcher's own signal to stop. */
#define STOP_SIGNAL SIGUSR2

static void *watch_signals(void *unused)
{
    (void)unused;
    for (;;) {
        int sig;
        if (sigwait(&watch.set, &sig) != 0 || sig == STOP_SIGNAL)
            return NULL;
        watch.fn(sig == SIGINT ? HCSCTL_SIGNAL_INTERRUPT
                               : (sig == SIGWINCH ? HCSCTL_SIGNAL_RESIZE : HCSCTL_SIGNAL_TERMINATE),
                 watch.user);
    }
}

bool hcsctl_signals_start(hcsctl_signal_fn fn, void *user, bool resize)
{
    struct sigaction hup;
    sigemptyset(&watch.set);
    sigaddset(&watch.set, SIGINT);
    sigaddset(&watch.set, SIGTERM);
    sigaddset(&watch.set, STOP_SIGNAL);
    if (sigaction(SIGHUP, NULL, &hup) == 0 && hup.sa_handler != SIG_IGN)
        sigaddset(&watch.set, SIGHUP);
    if (resize)
        sigaddset(&watch.set, SIGWINCH);
    /* A shell starts a background job with SIGINT ignored; an ignored signal
     * may be dropped even while blocked, and `kill -INT` is how a script
     * stops hcsctl exec. Blocked, the default action never runs. */
    signal(SIGINT, SIG_DFL);
    watch.fn = fn;
    watch.user = user;
    if (pthread_sigmask(SIG_BLOCK, &watch.set, NULL) != 0)
        return false;
    watch.running = pthread_create(&watch.thread, NULL, watch_signals, NULL) == 0;
    return watch.running;
}

void hcsctl_signals_stop(void)
{
    if (!watch.running)
        return;
    pthread_kill(watch.thread, STOP_SIGNAL);
    pthread_join(watch.thread, NULL);
    watch.running = false;
}

bool hcsctl_is_terminal(FILE *f) { return isatty(fileno(f)) == 1; }

bool hcsctl_terminal_size(uint16_t *rows, uint16_t *cols)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0 && ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) != 0)
        return false;
    if (ws.ws_row == 0 || ws.ws_col == 0)
        return false;
    *rows = ws.ws_row;
    *cols = ws.ws_col;
    return true;
}

static struct termios saved;
static bool raw;

bool hcsctl_terminal_raw(void)
{
    struct termios t;
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved) != 0)
        return false;
    t = saved;
    t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    raw = tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0;
    return raw;
}

void hcsctl_terminal_restore(void)
{
    if (raw)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    raw = false;
}

bool hcsctl_terminal_vt(void) { return isatty(STDOUT_FILENO) == 1; }

void hcsctl_binary_stdio(void) {}

typedef struct stdin_relay {
    hcsctl_stdin_fn fn;
    void *user;
} stdin_relay;

static stdin_relay relay;

static void *read_stdin(void *unused)
{
    (void)unused;
    char buf[4096];
    for (;;) {
        ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
        if (n > 0) {
            relay.fn(buf, (size_t)n, relay.user);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        relay.fn(buf, 0, relay.user);
        return NULL;
    }
}

bool hcsctl_stdin_start(hcsctl_stdin_fn fn, void *user)
{
    relay.fn = fn;
    relay.user = user;
    pthread_t t;
    if (pthread_create(&t, NULL, read_stdin, NULL) != 0)
        return false;
    pthread_detach(t);
    return true;
}
