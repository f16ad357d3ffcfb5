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
