/* Windows stdio pipes (see os_pipe.h). */
#include "os_pipe.h"

#include <stdbool.h>

intptr_t hcs__pipe_from_abi(HANDLE h) { return !h || h == INVALID_HANDLE_VALUE ? -1 : (intptr_t)h; }

HANDLE hcs__pipe_to_abi(intptr_t pipe) { return pipe == -1 ? NULL : (HANDLE)pipe; }

void hcs__os_pipe_close(intptr_t pipe)
{
    if (pipe != -1)
        CloseHandle((HANDLE)pipe);
}

void hcs__process_info_close(const HCS_PROCESS_INFORMATION *info)
{
    hcs__os_pipe_close(hcs__pipe_from_abi(info->StdInput));
    hcs__os_pipe_close(hcs__pipe_from_abi(info->StdOutput));
    hcs__os_pipe_close(hcs__pipe_from_abi(info->StdError));
}

/* One read or write that works on both kinds of handle: HCS's stdio pipes
 * are opened for overlapped I/O, and on those a ReadFile without an
 * OVERLAPPED may report completion early; with one (and its own event) it
 * is correct on synchronous handles too. Returns the bytes moved, or 0
 * and the error in *error. */
static DWORD transfer(HANDLE h, void *buf, size_t n, bool reading, DWORD *error)
{
    OVERLAPPED ov = {0};
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    DWORD len = n > 65536 ? 65536 : (DWORD)n, done = 0;
    *error = ov.hEvent ? ERROR_SUCCESS : GetLastError();
    if (!ov.hEvent)
        return 0;
    BOOL ok = reading ? ReadFile(h, buf, len, NULL, &ov) : WriteFile(h, buf, len, NULL, &ov);
    if (ok || GetLastError() == ERROR_IO_PENDING)
        ok = GetOverlappedResult(h, &ov, &done, TRUE);
    if (!ok)
        *error = GetLastError();
    CloseHandle(ov.hEvent);
    return ok ? done : 0;
}

long hcs__os_pipe_read(intptr_t pipe, void *buf, size_t n)
{
    DWORD error;
    DWORD got = transfer((HANDLE)pipe, buf, n, true, &error);
    if (error == ERROR_SUCCESS)
        return (long)got;
    return error == ERROR_BROKEN_PIPE ? 0 : -1;
}

long hcs__os_pipe_write(intptr_t pipe, const void *buf, size_t n)
{
    DWORD error;
    DWORD put = transfer((HANDLE)pipe, (void *)buf, n, false, &error);
    if (error == ERROR_SUCCESS)
        return (long)put;
    return error == ERROR_BROKEN_PIPE || error == ERROR_NO_DATA ? 0 : -1;
}

/* Anonymous and named pipes cannot be waited on together: look at each in
 * turn (PeekNamedPipe also reports a closed writer), a millisecond apart. */
int hcs__os_pipe_wait_readable(const intptr_t *pipes, int n, uint32_t timeout_ms)
{
    ULONGLONG deadline = GetTickCount64() + timeout_ms;
    for (;;) {
        for (int i = 0; i < n; i++) {
            DWORD avail = 0;
            if (pipes[i] == -1)
                continue;
            if (!PeekNamedPipe((HANDLE)pipes[i], NULL, 0, NULL, &avail, NULL) || avail > 0)
                return i;
        }
        if (GetTickCount64() >= deadline)
            return -1;
        Sleep(1);
    }
}
