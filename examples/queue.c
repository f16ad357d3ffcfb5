/* Waiting with a completion queue: many creates in flight at once, driven
 * from one thread by polling the queue's descriptor, as an event loop
 * (epoll, IOCP, libuv) would; then every system is terminated the same
 * way. */
#include <hcs/hcs.h>
#include <stdio.h>

#ifdef _WIN32
#include <windows.h>
#else
#include <poll.h>
#endif

enum { SYSTEMS = 16 };

/* Blocks until the queue has results: an fd on POSIX, an event HANDLE on
 * Windows. An event loop would watch it with its other descriptors. */
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

/* Drains the queue until `expected` results arrived; created systems are
 * stored at the index carried in user_data. Returns how many failed. */
static int collect(hcs_cq cq, int expected, hcs_system systems[SYSTEMS])
{
    int failed = 0;
    for (int got = 0; got < expected;) {
        if (!wait_readable(cq))
            return fprintf(stderr, "no result in 30 s\n"), expected - got;
        hcs_result r;
        /* Take everything queued without waiting; the descriptor stays
         * readable exactly while results wait. */
        while (got < expected && hcs_cq_next(cq, 0, &r, NULL) == HCS_OK) {
            got++;
            if (r.hr != HCS_OK) {
                fprintf(stderr, "%s failed: %s\n", r.call, r.error.message);
                failed++;
            } else if (r.system.id) {
                systems[(intptr_t)r.user_data] = r.system; /* ours to close */
            }
            hcs_result_clear(&r);
        }
    }
    return failed;
}

int main(void)
{
    const char *config = "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Owner\":\"example\",\"Container\":{}}";
    hcs_client client;
    hcs_cq cq;
    hcs_error err = {0};
    if (hcs_client_open(NULL, &client, &err) != HCS_OK || hcs_cq_create(&cq, &err) != HCS_OK)
        return fprintf(stderr, "%s\n", err.message), hcs_error_clear(&err), 1;
    hcs_system systems[SYSTEMS] = {{0}};
    int started = 0;
    /* Start every create; none is waited for yet. */
    for (intptr_t i = 0; i < SYSTEMS; i++) {
        char id[32];
        snprintf(id, sizeof id, "example-queue-%d", (int)i);
        hcs_system_spec spec = {.id = id, .config_json = config};
        hcs_async how = {.cq = cq, .user_data = (void *)i, .timeout_ms = 30000};
        if (hcs_system_create_async(client, &spec, &how, NULL, &err) == HCS_OK)
            started++;
        else
            fprintf(stderr, "%s\n", err.message);
    }
    int failed = collect(cq, started, systems);
    printf("%d systems created\n", started - failed);
    /* Terminate them all the same way, then close the handles. */
    started = 0;
    for (int i = 0; i < SYSTEMS; i++) {
        hcs_async how = {.cq = cq, .timeout_ms = 30000};
        if (systems[i].id && hcs_system_terminate_async(systems[i], &how, NULL, &err) == HCS_OK)
            started++;
    }
    failed += collect(cq, started, systems);
    printf("%d systems terminated\n", started);
    for (int i = 0; i < SYSTEMS; i++)
        hcs_system_close(systems[i]);
    hcs_cq_close(cq);
    hcs_client_close(client);
    hcs_error_clear(&err);
    return failed == 0 && started == SYSTEMS ? 0 : 1;
}
