/* term.h on Windows: the console's control handler, console modes, a stdin
 * thread. */
#include "term.h"

#include <fcntl.h>
#include <io.h>
#include <windows.h>

static hcsctl_signal_fn signal_fn;
static void *signal_user;
static volatile LONG signals_on;

/* Runs on a thread the system starts for each console event. */
static BOOL WINAPI on_console_event(DWORD type)
{
    if (!InterlockedCompareExchange(&signals_on, 1, 1))
        return FALSE;
    signal_fn(type == CTRL_C_EVENT || type == CTRL_BREAK_EVENT ? HCSCTL_SIGNAL_INTERRUPT : HCSCTL_SIGNAL_TERMINATE,
              signal_user);
    return TRUE;
}

bool hcsctl_signals_start(hcsctl_signal_fn fn, void *user, bool resize)
{
    (void)resize; /* a console's size changes reach only a program reading console input events */
    signal_fn = fn;
    signal_user = user;
    InterlockedExchange(&signals_on, 1);
    return SetConsoleCtrlHandler(on_console_event, TRUE) != 0;
}

void hcsctl_signals_stop(void)
{
    InterlockedExchange(&signals_on, 0);
    SetConsoleCtrlHandler(on_console_event, FALSE);
}

bool hcsctl_is_terminal(FILE *f) { return _isatty(_fileno(f)) != 0; }

bool hcsctl_terminal_size(uint16_t *rows, uint16_t *cols)
{
    CONSOLE_SCREEN_BUFFER_INFO info;
    if (!GetConsoleScreenBufferInfo(GetStdHandle(STD_OUTPUT_HANDLE), &info))
        return false;
    *rows = (uint16_t)(info.srWindow.Bottom - info.srWindow.Top + 1);
    *cols = (uint16_t)(info.srWindow.Right - info.srWindow.Left + 1);
    return true;
}

static DWORD saved_mode;
static bool raw;

bool hcsctl_terminal_raw(void)
{
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    if (!GetConsoleMode(in, &saved_mode))
        return false;
    /* ENABLE_PROCESSED_INPUT stays: Ctrl-C remains a signal. */
    raw = SetConsoleMode(in, saved_mode & ~(DWORD)(ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT)) != 0;
    return raw;
}

void hcsctl_terminal_restore(void)
{
    if (raw)
        SetConsoleMode(GetStdHandle(STD_INPUT_HANDLE), saved_mode);
    raw = false;
}

bool hcsctl_terminal_vt(void)
{
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    DWORD mode;
    return GetConsoleMode(out, &mode) && SetConsoleMode(out, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING);
}

void hcsctl_binary_stdio(void)
{
    _setmode(_fileno(stdin), _O_BINARY);
    _setmode(_fileno(stdout), _O_BINARY);
    _setmode(_fileno(stderr), _O_BINARY);
}

static hcsctl_stdin_fn stdin_fn;
static void *stdin_user;

static DWORD WINAPI read_stdin(void *unused)
{
    (void)unused;
    static char buf[4096];
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    DWORD n;
    while (ReadFile(in, buf, sizeof buf, &n, NULL) && n > 0)
        stdin_fn(buf, n, stdin_user);
    stdin_fn(buf, 0, stdin_user);
    return 0;
}

bool hcsctl_stdin_start(hcsctl_stdin_fn fn, void *user)
{
    stdin_fn = fn;
    stdin_user = user;
    HANDLE t = CreateThread(NULL, 0, read_stdin, NULL, 0, NULL);
    if (!t)
        return false;
    CloseHandle(t);
    return true;
}
