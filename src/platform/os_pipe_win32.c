/* Windows stdio pipes (see os_pipe.h). */
#include "os_pipe.h"

intptr_t hcs_pipe_from_abi(HANDLE h)
{
    return !h || h == INVALID_HANDLE_VALUE ? -1 : (intptr_t)h;
}

void hcs_os_pipe_close(intptr_t pipe)
{
    if (pipe != -1)
        CloseHandle((HANDLE)pipe);
}

void hcs_process_info_close(const HCS_PROCESS_INFORMATION *info)
{
    hcs_os_pipe_close(hcs_pipe_from_abi(info->StdInput));
    hcs_os_pipe_close(hcs_pipe_from_abi(info->StdOutput));
    hcs_os_pipe_close(hcs_pipe_from_abi(info->StdError));
}

long hcs_os_pipe_read(intptr_t pipe, void *buf, size_t n)
{
    DWORD got = 0;
    if (ReadFile((HANDLE)pipe, buf, n > 65536 ? 65536 : (DWORD)n, &got, NULL))
        return (long)got;
    return GetLastError() == ERROR_BROKEN_PIPE ? 0 : -1;
}

long hcs_os_pipe_write(intptr_t pipe, const void *buf, size_t n)
{
    DWORD put = 0;
    if (WriteFile((HANDLE)pipe, buf, n > 65536 ? 65536 : (DWORD)n, &put, NULL))
        return (long)put;
    DWORD e = GetLastError();
    return e == ERROR_BROKEN_PIPE || e == ERROR_NO_DATA ? 0 : -1;
}

/* Anonymous and named pipes cannot be waited on together: look at each in
 * turn (PeekNamedPipe also reports a closed writer), a millisecond apart. */
int hcs_os_pipe_wait_readable(const intptr_t *pipes, int n, uint32_t timeout_ms)
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
