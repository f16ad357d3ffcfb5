/* Win32 pipes and wakers (see pipe.h). Both ends of a named pipe are
 * opened for overlapped I/O: the guest's, so a wait can include the waker
 * and a blocked read or write can be cancelled; the client's, because
 * computecore.dll's are, and clients depend on it: hcsshim associates them
 * with an I/O completion port (go-winio), which fails on a synchronous
 * handle (hcsshim-and-peers §1.5). A client reading synchronously must
 * pass an OVERLAPPED with an event. */
#include "pipe.h"

#include <stdatomic.h>
#include <stdio.h>

int hcssim__waker_init(sim_waker *w)
{
    w->event = CreateEventW(NULL, FALSE, FALSE, NULL);
    return w->event ? 0 : -1;
}

void hcssim__waker_destroy(sim_waker *w)
{
    if (w->event)
        CloseHandle(w->event);
    w->event = NULL;
}

void hcssim__waker_fire(sim_waker *w) { SetEvent(w->event); }

bool hcssim__waker_sleep(sim_waker *w, uint32_t ms)
{
    return WaitForSingleObject(w->event, ms == UINT32_MAX ? INFINITE : ms) == WAIT_OBJECT_0;
}

static void close_handle(HANDLE *h)
{
    if (*h)
        CloseHandle(*h);
    *h = NULL;
}

int hcssim__pipe_open(sim_pipe *p, bool to_guest)
{
    static atomic_uint next;
    wchar_t name[96];
    swprintf(name, sizeof name / sizeof name[0], L"\\\\.\\pipe\\hcssim-%lu-%u", (unsigned long)GetCurrentProcessId(),
             atomic_fetch_add(&next, 1));
    p->to_guest = to_guest;
    p->guest = CreateNamedPipeW(name,
                                (to_guest ? PIPE_ACCESS_INBOUND : PIPE_ACCESS_OUTBOUND) | FILE_FLAG_OVERLAPPED |
                                    FILE_FLAG_FIRST_PIPE_INSTANCE,
                                PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT, 1, 65536, 65536, 0, NULL);
    if (p->guest == INVALID_HANDLE_VALUE) {
        p->guest = p->host = NULL;
        return -1;
    }
    p->host =
        CreateFileW(name, to_guest ? GENERIC_WRITE : GENERIC_READ, 0, NULL, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    if (p->host == INVALID_HANDLE_VALUE) {
        p->host = NULL;
        close_handle(&p->guest);
        return -1;
    }
    return 0;
}

HANDLE hcssim__pipe_client_handle(const sim_pipe *p)
{
    HANDLE out = NULL;
    if (!p->host ||
        !DuplicateHandle(GetCurrentProcess(), p->host, GetCurrentProcess(), &out, 0, FALSE, DUPLICATE_SAME_ACCESS))
        return NULL;
    return out;
}

void hcssim__pipe_close_guest(sim_pipe *p) { close_handle(&p->guest); }
void hcssim__pipe_close_host(sim_pipe *p) { close_handle(&p->host); }

/* One overlapped transfer that the waker can interrupt. */
static long transfer(sim_pipe *p, void *buf, size_t n, sim_waker *w, bool reading)
{
    if (!p->guest)
        return 0;
    OVERLAPPED ov = {0};
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!ov.hEvent)
        return 0;
    DWORD len = n > 65536 ? 65536 : (DWORD)n, done = 0;
    BOOL ok = reading ? ReadFile(p->guest, buf, len, NULL, &ov) : WriteFile(p->guest, buf, len, NULL, &ov);
    long result = 0;
    if (ok || GetLastError() == ERROR_IO_PENDING) {
        HANDLE both[2] = {ov.hEvent, w ? w->event : NULL};
        DWORD which = WaitForMultipleObjects(w ? 2 : 1, both, FALSE, INFINITE);
        if (which != WAIT_OBJECT_0)
            CancelIoEx(p->guest, &ov);
        /* Wait for the I/O to finish either way: ov lives on this stack. */
        if (GetOverlappedResult(p->guest, &ov, &done, TRUE) && done > 0)
            result = (long)done;
        else if (which != WAIT_OBJECT_0)
            result = -1;
    }
    CloseHandle(ov.hEvent);
    return result;
}

long hcssim__pipe_read(sim_pipe *p, void *buf, size_t n, sim_waker *w) { return transfer(p, buf, n, w, true); }

long hcssim__pipe_write(sim_pipe *p, const void *buf, size_t n, sim_waker *w)
{
    return transfer(p, (void *)buf, n, w, false);
}

long hcssim__pipe_read_now(sim_pipe *p, void *buf, size_t n)
{
    DWORD avail = 0;
    if (!p->guest || !PeekNamedPipe(p->guest, NULL, 0, NULL, &avail, NULL) || avail == 0)
        return 0;
    return transfer(p, buf, n < avail ? n : avail, NULL, true);
}

void hcssim__guest_thread_prepare(void) {}
