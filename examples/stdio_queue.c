/* A process's output relayed through a completion queue: one thread, one
 * loop, no thread per pipe. The reads of stdout and stderr and the
 * process's exit event all arrive on one queue, whose descriptor the loop
 * waits on as an event loop (epoll, IOCP, libuv) would.
 *
 *   example_stdio_queue ["COMMAND LINE"]   default: ping -n 2 127.0.0.1 */
#include <hcs/hcs.h>
#include <stdio.h>

#ifdef _WIN32
#include <windows.h>
#else
#include <poll.h>
#endif

enum { STDOUT_STREAM, STDERR_STREAM };

/* Blocks until the queue has results (an fd on POSIX, an event HANDLE on
 * Windows); an event loop would watch it with its other descriptors. */
static int wait_readable(hcs_cq cq)
{
    intptr_t pollable = hcs_cq_pollable(cq);
#ifdef _WIN32
    return WaitForSingleObject((HANDLE)pollable, 30000) == WAIT_OBJECT_0;
#else
    struct pollfd p = {(int)pollable, POLLIN, 0};
    return poll(&p, 1, 30000) == 1;
#endif
}

int main(int argc, char **argv)
{
    const char *config = "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Owner\":\"example\",\"Container\":{}}";
    hcs_client client;
    hcs_system sys;
    hcs_cq cq;
    hcs_error err = HCS_ERROR_INIT;
    hcs_system_spec system = {.id = "example-stdio-queue", .config_json = config};
    if (hcs_client_open(NULL, &client, &err) || hcs_cq_create(&cq, &err) ||
        hcs_system_create(client, &system, HCS_TIMEOUT_DEFAULT, &sys, &err) || hcs_system_start(sys, NULL, 30000, &err))
        return fprintf(stderr, "%s\n", err.message), hcs_error_clear(&err), 1;

    /* The exit event goes to the same queue as the output. */
    hcs_process_spec spec = {
        .command_line = argc > 1 ? argv[1] : "ping -n 2 127.0.0.1",
        .create_stdout = true,
        .create_stderr = true,
        .events = {.cq = cq},
    };
    hcs_process proc;
    hcs_stdio io;
    if (hcs_process_create(sys, &spec, HCS_TIMEOUT_DEFAULT, &proc, &io, &err))
        return fprintf(stderr, "%s\n", err.message), hcs_error_clear(&err), 1;

    /* One read in flight per stream; user_data says which stream. Each
     * buffer stays untouched until its read reports. */
    static char buf[2][4096];
    hcs_pipe pipes[2] = {io.out, io.err};
    FILE *sinks[2] = {stdout, stderr};
    int open_streams = 0;
    for (int s = STDOUT_STREAM; s <= STDERR_STREAM; s++) {
        hcs_async how = {.cq = cq, .user_data = (void *)(intptr_t)s, .timeout_ms = HCS_TIMEOUT_INFINITE};
        if (hcs_pipe_read_async(pipes[s], buf[s], sizeof buf[s], &how, NULL, &err) == HCS_OK)
            open_streams++;
        else
            fprintf(stderr, "%s\n", err.message);
    }

    int exit_code = -1;
    while (open_streams > 0 || exit_code < 0) {
        if (!wait_readable(cq)) {
            fprintf(stderr, "nothing for 30 s\n");
            break;
        }
        hcs_result r;
        while (hcs_cq_next(cq, 0, &r, NULL) == HCS_OK) {
            hcs_event ev;
            if (hcs_result_event(&r, &ev)) { /* the process's own events */
                if (ev.type == HCS_EVENT_PROCESS_EXITED)
                    exit_code = ev.exit_code_known ? (int)ev.exit_code : 255;
            } else if (r.hr != HCS_OK || r.bytes == 0) { /* the end of a stream, or a failure */
                if (r.hr != HCS_OK)
                    fprintf(stderr, "%s: %s\n", r.call, r.error.message);
                open_streams--;
            } else { /* data: relay it, then read on */
                int s = (int)(intptr_t)r.user_data;
                fwrite(buf[s], 1, r.bytes, sinks[s]);
                hcs_async how = {.cq = cq, .user_data = r.user_data, .timeout_ms = HCS_TIMEOUT_INFINITE};
                if (hcs_pipe_read_async(pipes[s], buf[s], sizeof buf[s], &how, NULL, &err) != HCS_OK) {
                    fprintf(stderr, "%s\n", err.message);
                    open_streams--;
                }
            }
            hcs_result_clear(&r);
        }
    }
    fflush(stdout);
    printf("exit code %d\n", exit_code);

    hcs_stdio_close(&io);
    hcs_process_close(proc);
    hcs_system_terminate(sys, 30000, NULL);
    hcs_system_close(sys);
    hcs_cq_close(cq);
    hcs_client_close(client);
    hcs_error_clear(&err);
    return exit_code == 0 ? 0 : 1;
}
