/* A user's attack on hcssimd's newer surfaces (HCN, storage, live
 * migration), written from the documentation only: docs/hcssimd.md,
 * docs/fault-plans.md, docs/simulator-fidelity.md, include/hcs/network.h,
 * storage.h, migration.h. Every assertion cites the sentence it rests on;
 * where the documents are silent the test asserts only "a clear error, no
 * crash, no hang, nothing left in the daemon's counts" and says so.
 *
 * Each case runs its own private daemon. The program is also its own peer:
 * `test_daemon_user_hcn holder GNS_ID PORT` is a second client that takes
 * HCN state and waits to be killed; `... racer NET_ID ROUNDS` creates and
 * deletes one network id against this program. */
#include "socket_pair.h" /* first: winsock2.h before windows.h */

#include "daemon_helpers.h"

#include <stdatomic.h>

#include <hcs/migration.h>
#include <hcs/network.h>
#include <hcs/storage.h>

#include "hcs/computenetwork.h" /* HCN_NOTIFICATIONS values */
#include <hcs/hcn_e_codes.h>

#ifndef _WIN32
#include <sys/stat.h>
#else
#include <direct.h>
#endif

#define RPC_S_SERVER_UNAVAILABLE_HR ((int32_t)0x800706BA)
#define ERROR_OBJECT_ALREADY_EXISTS_HR ((int32_t)0x80071392)
#define NOT_FOUND_HR ((int32_t)0x80070490)

static char self_path[1024];

/* ---- small helpers --------------------------------------------------------- */

/* A fresh GUID text; unique per call in this run. */
static const char *fresh_guid(void)
{
    static char ids[16][HCS_NET_ID_SIZE];
    static unsigned next;
    char *out = ids[next % 16];
    unsigned long r = (unsigned long)test_pid();
    snprintf(out, HCS_NET_ID_SIZE, "%08lX-%04X-4%03X-8%03X-%012llX", r & 0xFFFFFFFFul, next & 0xFFFF,
             (unsigned)(rand() & 0xFFF), (unsigned)(rand() & 0xFFF),
             (unsigned long long)(((uint64_t)rand() << 20) ^ (uint64_t)next) & 0xFFFFFFFFFFFFull);
    next++;
    return out;
}

static void nat_settings(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "{\"SchemaVersion\":{\"Major\":2,\"Minor\":0},\"Name\":\"%s\",\"Type\":\"NAT\"}", name);
}

/* The number of ids in an enumerate answer (a JSON array of GUID strings). */
static int id_count(const char *ids_json)
{
    int n = 0;
    for (const char *p = ids_json; (p = strchr(p, '"')); p++) {
        n++;
        p = strchr(p + 1, '"');
        if (!p)
            break;
    }
    return n;
}

static int networks_named(hcs_client c, const char *name)
{
    char q[256];
    snprintf(q, sizeof q, "{\"Filter\":\"{\\\"Name\\\":\\\"%s\\\"}\"}", name);
    char *ids = NULL;
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(hcs_network_enumerate(c, q, &ids, &err), HCS_OK);
    int n = id_count(ids);
    hcs_free(ids);
    hcs_error_clear(&err);
    return n;
}

/* A thread with a hang guard: run fn(arg), then fail if it has not ended
 * within limit_ms. */
typedef struct guarded {
    void (*fn)(void *);
    void *arg;
    atomic_int done;
    hcs_thread t;
} guarded;

static void guarded_body(void *p)
{
    guarded *g = p;
    g->fn(g->arg);
    atomic_store(&g->done, 1);
}

static void guarded_start(guarded *g, void (*fn)(void *), void *arg)
{
    g->fn = fn;
    g->arg = arg;
    atomic_init(&g->done, 0);
    assert_int_equal(hcs__thread_start(&g->t, guarded_body, g), 0);
}

static void guarded_join(guarded *g, int limit_ms, const char *what)
{
    for (int waited = 0; !atomic_load(&g->done) && waited < limit_ms; waited += 10)
        hcs__sleep_ms(10);
    if (!atomic_load(&g->done))
        fail_msg("hang: %s still running %d ms after the daemon went", what, limit_ms);
    hcs__thread_join(g->t);
}

/* A log of HCN notifications (one per subscription). */
typedef struct netlog {
    hcs_mutex mu;
    int n;
    uint32_t type[512];
    char id[512][HCS_NET_ID_SIZE];
    int disconnects;
} netlog;

static void netlog_on_event(const hcs_event *e, void *user)
{
    netlog *l = user;
    hcs__mutex_lock(&l->mu);
    if (e->type == HCS_EVENT_NETWORK && e->raw_type == (uint32_t)HcnNotificationServiceDisconnect)
        l->disconnects++;
    else if (l->n < 512) {
        l->type[l->n] = e->raw_type;
        l->id[l->n][0] = 0;
        const char *p = e->data ? strstr(e->data, "\"ID\"") : NULL;
        if (p && (p = strchr(p + 4, '"')))
            snprintf(l->id[l->n], HCS_NET_ID_SIZE, "%.36s", p + 1);
        l->n++;
    }
    hcs__mutex_unlock(&l->mu);
}

static int netlog_disconnects(netlog *l)
{
    hcs__mutex_lock(&l->mu);
    int n = l->disconnects;
    hcs__mutex_unlock(&l->mu);
    return n;
}

/* Waits (up to 5 s) until the log holds at least n entries. */
static int netlog_wait(netlog *l, int n)
{
    int have = 0;
    for (int i = 0; i < 500; i++) {
        hcs__mutex_lock(&l->mu);
        have = l->n;
        hcs__mutex_unlock(&l->mu);
        if (have >= n)
            break;
        hcs__sleep_ms(10);
    }
    return have;
}

/* The case's daemon, killed by the teardown when a case fails before
 * stopping it (so that no daemon outlives the program). */
static test_proc live_daemon;
static bool daemon_live;

static void start_daemon_case(const char *tag, test_proc *d, const char *const *extra)
{
    use_socket(tag);
    *d = daemon_start_with(extra);
    live_daemon = *d;
    daemon_live = true;
}

static int teardown_daemon(void **state)
{
    (void)state;
    if (daemon_live) {
        int status;
        if (!proc_ended(live_daemon, &status))
            daemon_kill(live_daemon);
        daemon_live = false;
    }
    return 0;
}

/* ---- 1. the daemon killed with HCN calls in flight ---------------------- */

typedef struct hammer {
    hcs_client client;
    volatile int stop;
    int ok, disconnected, other;
    int32_t other_hr;
} hammer;

/* Creates and deletes networks in a loop until told to stop or until the
 * daemon is gone; every answer is counted. */
static void hammer_body(void *p)
{
    hammer *h = p;
    for (int i = 0; !h->stop && i < 100000; i++) {
        char name[64], settings[256];
        snprintf(name, sizeof name, "hammer-%ld-%d", test_pid(), i);
        nat_settings(settings, sizeof settings, name);
        hcs_network net = {0};
        hcs_error err = HCS_ERROR_INIT;
        int32_t hr = hcs_network_create(h->client, NULL, settings, &net, &err);
        if (hr == HCS_OK) {
            char id[HCS_NET_ID_SIZE];
            hr = hcs_network_id(net, id, &err);
            if (hr == HCS_OK)
                hr = hcs_network_delete(h->client, id, &err);
            hcs_network_close(net);
        }
        hcs_error_clear(&err);
        if (hr == HCS_OK)
            h->ok++;
        else if (hr == RPC_S_SERVER_UNAVAILABLE_HR) {
            h->disconnected++;
            break;
        } else {
            h->other++;
            h->other_hr = hr;
            break;
        }
    }
}

/* docs/hcssimd.md, "The protocol": "A call that cannot reach the daemon
 * fails with 0x800706BA (RPC_S_SERVER_UNAVAILABLE ...)"; "a lost connection
 * reaches the program's callback as HcnNotificationServiceDisconnect";
 * "Disconnects": "a restarted daemon starts empty, as a rebooted host does,
 * and the old handles stay disconnected"; fidelity #55 "networks live as
 * long as the process (or hcssimd)". */
static void daemon_killed_during_hcn_calls(void **state)
{
    (void)state;
    test_proc d;
    start_daemon_case("uhcn-kill", &d, NULL);
    hcs_client c = open_daemon_client();
    hcs_error err = HCS_ERROR_INIT;

    netlog *log = calloc(1, sizeof *log);
    hcs__mutex_init(&log->mu);
    hcs_subscription sub;
    assert_int_equal(
        hcs_network_subscribe(c, &(hcs_event_sink){.callback = netlog_on_event, .user_data = log}, &sub, &err), HCS_OK);

    char settings[256];
    const char *kept_name = unique_id("kept");
    nat_settings(settings, sizeof settings, kept_name);
    hcs_network kept;
    assert_int_equal(hcs_network_create(c, NULL, settings, &kept, &err), HCS_OK);

    hammer h = {.client = c};
    guarded g;
    guarded_start(&g, hammer_body, &h);
    hcs__sleep_ms(150); /* calls are in flight all the time now */
    daemon_kill(d);
    daemon_live = false;
    /* docs: every call that cannot reach the daemon fails with 0x800706BA; no
     * hang (test_daemon_lost's bound is 25 ms idle; 5 s here) */
    guarded_join(&g, 5000, "an HCN call");
    assert_true(h.ok > 0);
    if (h.other)
        fail_msg("an HCN call in flight when the daemon died returned 0x%08X, not 0x800706BA", (unsigned)h.other_hr);
    assert_int_equal(h.disconnected, 1);

    /* "a lost connection reaches the program's callback as
     * HcnNotificationServiceDisconnect" (once, as for the handles of
     * "Disconnects": "once per handle") */
    for (int i = 0; i < 500 && netlog_disconnects(log) == 0; i++)
        hcs__sleep_ms(10);
    assert_int_equal(netlog_disconnects(log), 1);

    /* The old handle, and a create, with no daemon: 0x800706BA, a message. */
    char *props = NULL;
    int32_t hr = hcs_network_properties_json(kept, NULL, &props, &err);
    assert_int_equal(hr, RPC_S_SERVER_UNAVAILABLE_HR);
    assert_non_null(err.message);
    nat_settings(settings, sizeof settings, unique_id("nodaemon"));
    hcs_network none;
    assert_int_equal(hcs_network_create(c, NULL, settings, &none, &err), RPC_S_SERVER_UNAVAILABLE_HR);
    char *ids = NULL;
    assert_int_equal(hcs_network_enumerate(c, NULL, &ids, &err), RPC_S_SERVER_UNAVAILABLE_HR);

    /* A new daemon: usable, empty ("starts empty"), the old handle still
     * disconnected ("the old handles stay disconnected"). */
    d = daemon_start();
    live_daemon = d;
    daemon_live = true;
    assert_int_equal(hcs_network_enumerate(c, NULL, &ids, &err), HCS_OK);
    assert_string_equal(ids, "[]");
    hcs_free(ids);
    assert_int_equal(networks_named(c, kept_name), 0);
    hr = hcs_network_properties_json(kept, NULL, &props, &err);
    assert_int_not_equal(hr, HCS_OK);
    hcs_network fresh;
    nat_settings(settings, sizeof settings, kept_name);
    assert_int_equal(hcs_network_create(c, NULL, settings, &fresh, &err), HCS_OK);
    char id[HCS_NET_ID_SIZE];
    assert_int_equal(hcs_network_id(fresh, id, &err), HCS_OK);
    assert_int_equal(hcs_network_delete(c, id, &err), HCS_OK);
    hcs_network_close(fresh);
    hcs_network_close(kept);
    hcs_subscription_close(sub);
    hcs_client_close(c);
    hcssim_counts end = settled_counts();
    assert_int_equal(end.handles, 0);
    daemon_live = false;
    assert_int_equal(daemon_stop(d), 0);
    hcs_error_clear(&err);
    hcs__mutex_destroy(&log->mu);
    free(log);
}

/* ---- 2. storage calls do not need the daemon ------------------------------ */

static void make_dir(const char *p)
{
#ifdef _WIN32
    _mkdir(p);
#else
    mkdir(p, 0700);
#endif
}

static void write_file(const char *p, const char *text)
{
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void base_transport(char *src, size_t n, const char *tag)
{
    snprintf(src, n, "%s/%s-%ld-src", HCSKIT_SOCKET_DIR, tag, test_pid());
    char p[512];
    make_dir(src);
    snprintf(p, sizeof p, "%s/Files", src);
    make_dir(p);
    snprintf(p, sizeof p, "%s/Files/Windows", src);
    make_dir(p);
    snprintf(p, sizeof p, "%s/Files/Windows/win.ini", src);
    write_file(p, "[fonts]\r\n");
}

/* docs/hcssimd.md: "a client of hcssimd makes its storage calls in its own
 * process (the embedded simulator on POSIX, ...), on the files ... Nothing
 * about layers crosses the socket." So a dead daemon does not fail them. */
static void storage_calls_without_daemon(void **state)
{
    (void)state;
    test_proc d;
    start_daemon_case("uhcn-stor", &d, NULL);
    hcs_client c = open_daemon_client();
    hcs_error err = HCS_ERROR_INIT;
    char src[400], layer[400];
    base_transport(src, sizeof src, "stor");
    snprintf(layer, sizeof layer, "%s/stor-%ld-layer", HCSKIT_SOCKET_DIR, test_pid());
    daemon_kill(d);
    daemon_live = false;
    int32_t hr = hcs_layer_import(c, layer, src, NULL, 0, &err);
    if (hr != HCS_OK)
        fail_msg("import with the daemon gone: 0x%08X %s", (unsigned)hr, err.message ? err.message : "");
    assert_int_equal(hcs_layer_destroy(c, layer, &err), HCS_OK);
    /* fidelity Storage #15: "a missing path (a second destroy) 0x80070003" */
    assert_int_equal(hcs_layer_destroy(c, layer, &err), (int32_t)0x80070003);
    hcs_client_close(c);
    hcs_error_clear(&err);
}

/* ---- 3. fault plans reach HCN and storage calls through the daemon -------- */

/* docs/fault-plans.md: "HCN calls are synchronous: a rule for one needs at
 * ... with its hresult, and only those and message apply, the call
 * returning the HRESULT with an ErrorRecord without acting; system names an
 * HCN object id"; "count (how many times it fires)". docs/hcssimd.md: "A
 * client that calls hcssim.h's control functions (hcssim_set_faults, ...)
 * through libhcssim-client steers the daemon's simulator, for every
 * client". */
static void fault_plans_on_hcn_calls(void **state)
{
    (void)state;
    test_proc d;
    start_daemon_case("uhcn-fault", &d, NULL);
    hcs_client c = open_daemon_client();
    hcs_client other = open_daemon_client();
    hcs_error err = HCS_ERROR_INIT;
    char why[256] = "";
    assert_int_equal(hcssim_set_faults("{\"faults\":[{\"call\":\"HcnCreateNetwork\",\"at\":\"kickoff\","
                                       "\"hresult\":\"0x80070005\",\"message\":\"uhcn-injected\",\"count\":1}]}",
                                       why, sizeof why),
                     0);
    char settings[256];
    const char *name = unique_id("faulted");
    nat_settings(settings, sizeof settings, name);
    hcs_network net;
    assert_int_equal(hcs_network_create(c, NULL, settings, &net, &err), (int32_t)0x80070005);
    /* "with an ErrorRecord" carrying the rule's message */
    assert_non_null(err.document);
    assert_non_null(strstr(err.document, "uhcn-injected"));
    /* "without acting" */
    assert_int_equal(networks_named(c, name), 0);
    /* count 1: the next create (from another client: the plan is the
     * daemon's, for every client) acts */
    assert_int_equal(hcs_network_create(other, NULL, settings, &net, &err), HCS_OK);
    char id[HCS_NET_ID_SIZE];
    assert_int_equal(hcs_network_id(net, id, &err), HCS_OK);

    /* A rule naming the object by id (`system`) fails only that object. */
    char plan[512];
    snprintf(plan, sizeof plan,
             "{\"faults\":[{\"call\":\"HcnDeleteNetwork\",\"system\":\"%s\",\"at\":\"completion\","
             "\"hresult\":\"HCN_E_NETWORK_NOT_FOUND\"}]}",
             id);
    assert_int_equal(hcssim_set_faults(plan, why, sizeof why), 0);
    const char *name2 = unique_id("unfaulted");
    nat_settings(settings, sizeof settings, name2);
    hcs_network net2;
    assert_int_equal(hcs_network_create(c, NULL, settings, &net2, &err), HCS_OK);
    char id2[HCS_NET_ID_SIZE];
    assert_int_equal(hcs_network_id(net2, id2, &err), HCS_OK);
    assert_int_equal(hcs_network_delete(other, id, &err), HCN_E_NETWORK_NOT_FOUND);
    assert_int_equal(networks_named(c, name), 1); /* not acted on */
    assert_int_equal(hcs_network_delete(other, id2, &err), HCS_OK);
    assert_int_equal(hcssim_set_faults(NULL, NULL, 0), 0);
    assert_int_equal(hcs_network_delete(c, id, &err), HCS_OK);
    hcs_network_close(net);
    hcs_network_close(net2);
    hcs_client_close(other);
    hcs_client_close(c);
    hcssim_counts end = settled_counts();
    assert_int_equal(end.handles, 0);
    daemon_live = false;
    assert_int_equal(daemon_stop(d), 0);
    hcs_error_clear(&err);
}

/* docs/hcssimd.md: a client of hcssimd "makes its storage calls in its own
 * process", so "their fault plan is the client's own (HCSSIM_FAULTS in its
 * environment): a plan set through libhcssim-client steers the daemon's
 * calls only"; docs/fault-plans.md says the same of storage calls. So a
 * daemon plan on HcsImportLayer leaves a client's import alone, while the
 * same rule on an HCN call, made by the daemon, applies. */
static void fault_plans_on_storage_calls(void **state)
{
    (void)state;
    test_proc d;
    start_daemon_case("uhcn-sfault", &d, NULL);
    hcs_client c = open_daemon_client();
    hcs_error err = HCS_ERROR_INIT;
    char why[256] = "";
    assert_int_equal(hcssim_set_faults("{\"faults\":[{\"call\":\"HcsImportLayer\",\"at\":\"kickoff\","
                                       "\"hresult\":\"0x80070005\",\"count\":1},{\"call\":\"HcnCreateNamespace\","
                                       "\"at\":\"kickoff\",\"hresult\":\"0x80070005\",\"count\":1}]}",
                                       why, sizeof why),
                     0);
    char src[400], layer[400];
    base_transport(src, sizeof src, "sfault");
    snprintf(layer, sizeof layer, "%s/sfault-%ld-layer", HCSKIT_SOCKET_DIR, test_pid());
    int32_t imported = hcs_layer_import(c, layer, src, NULL, 0, &err);
    hcs_namespace ns;
    int32_t made = hcs_namespace_create(c, NULL, NULL, &ns, &err);
    assert_int_equal(hcssim_set_faults(NULL, NULL, 0), 0);
    if (imported == HCS_OK)
        hcs_layer_destroy(c, layer, NULL);
    if (made == HCS_OK)
        hcs_namespace_close(ns);
    hcs_client_close(c);
    daemon_live = false;
    assert_int_equal(daemon_stop(d), 0);
    hcs_error_clear(&err);
    assert_int_equal(imported, HCS_OK);
    assert_int_equal(made, (int32_t)0x80070005);
}

/* ---- 4. a client killed while it holds HCN state -------------------------- */

static void on_nothing(const hcs_event *e, void *user)
{
    (void)e;
    (void)user;
}

/* holder GNS_ID PORT: opens the guest network service, reserves PORT
 * exclusively, subscribes to notifications, opens it again (a second
 * handle), says ready, and waits to be killed. */
static int holder_main(const char *gns_id, const char *port_text)
{
    hcs_client c;
    hcs_error err = HCS_ERROR_INIT;
    if (hcs_client_open(&(hcs_client_options){.provider = "hcssimd"}, &c, &err) != HCS_OK)
        return 3;
    hcs_guest_network g1, g2;
    if (hcs_guest_network_open(c, gns_id, &g1, &err) != HCS_OK || hcs_guest_network_open(c, gns_id, &g2, &err))
        return 4;
    hcs_port_reservation r;
    if (hcs_port_reserve(g1, HCS_PORT_TCP, false, (uint16_t)atoi(port_text), &r, &err) != HCS_OK)
        return 5;
    uint16_t first, last;
    hcs_port_reservation r2;
    if (hcs_port_reserve_range(g2, 4, &first, &last, &r2, &err) != HCS_OK)
        return 6;
    hcs_subscription sub;
    if (hcs_network_subscribe(c, &(hcs_event_sink){.callback = on_nothing}, &sub, &err) != HCS_OK)
        return 7;
    printf("ready\n");
    fflush(stdout);
    for (;;)
        hcs__sleep_ms(1000);
}

static int reservations_now(hcs_client c)
{
    hcs_port_entry *e = NULL;
    size_t n = 0;
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(hcs_port_reservations(c, &e, &n, &err), HCS_OK);
    hcs_free(e);
    return (int)n;
}

/* docs/hcssimd.md, "The protocol": "HCN objects are the daemon's, shared by
 * every client ...; the handles, registrations and port reservations a
 * client held are closed when it goes." "Disconnects": "Nothing of this
 * reaches the other clients". network.h: an exclusive reservation "clashing
 * with any other fails with HCN_E_PORT_ALREADY_EXISTS". */
static void client_killed_holding_hcn_state(void **state)
{
    (void)state;
    test_proc d;
    start_daemon_case("uhcn-holder", &d, NULL);
    hcs_client c = open_daemon_client();
    hcs_error err = HCS_ERROR_INIT;
    netlog *log = calloc(1, sizeof *log);
    hcs__mutex_init(&log->mu);
    hcs_subscription sub;
    assert_int_equal(
        hcs_network_subscribe(c, &(hcs_event_sink){.callback = netlog_on_event, .user_data = log}, &sub, &err), HCS_OK);
    const char *gns_id = fresh_guid();
    char doc[256];
    snprintf(doc, sizeof doc, "{\"VirtualMachineId\":\"%s\"}", fresh_guid());
    hcs_guest_network gns;
    if (hcs_guest_network_create(c, gns_id, doc, &gns, &err) != HCS_OK)
        fail_msg("guest network create: %s", err.message);
    hcssim_counts before = settled_counts();
    int reserved_before = reservations_now(c);

    intptr_t out;
    const char *argv[] = {self_path, "holder", gns_id, "40123", NULL};
    test_proc holder = spawn(argv, &out);
    expect_line(out, "ready\n");
    assert_int_equal(reservations_now(c), reserved_before + 2);
    /* the holder's exclusive port clashes while it lives */
    hcs_port_reservation mine;
    assert_int_equal(hcs_port_reserve(gns, HCS_PORT_TCP, false, 40123, &mine, &err), HCN_E_PORT_ALREADY_EXISTS);
    proc_kill(holder);
    assert_int_equal(proc_wait(holder), -1);
    hcs__os_pipe_close(out);

    /* "the handles, registrations and port reservations a client held are
     * closed when it goes" */
    for (int i = 0; i < 250 && reservations_now(c) != reserved_before; i++)
        hcs__sleep_ms(20);
    assert_int_equal(reservations_now(c), reserved_before);
    hcssim_counts after = settled_counts();
    assert_int_equal(after.handles, before.handles);
    assert_int_equal(after.operations, before.operations);
    assert_int_equal(after.requests, before.requests);
    /* "HCN objects are the daemon's": the service stays, and is usable */
    char *ids = NULL;
    char q[256];
    snprintf(q, sizeof q, "{\"Filter\":\"{\\\"ID\\\":\\\"%s\\\"}\"}", gns_id);
    assert_int_equal(hcs_guest_network_enumerate(c, q, &ids, &err), HCS_OK);
    assert_int_equal(id_count(ids), 1);
    hcs_free(ids);
    assert_int_equal(hcs_port_reserve(gns, HCS_PORT_TCP, false, 40123, &mine, &err), HCS_OK);
    hcs_port_release(mine);

    /* "Nothing of this reaches the other clients": this subscription saw
     * no disconnect; the delete is seen. */
    int seen = netlog_wait(log, 0);
    assert_int_equal(netlog_disconnects(log), 0);
    assert_int_equal(hcs_guest_network_delete(c, gns_id, &err), HCS_OK);
    assert_true(netlog_wait(log, seen + 1) >= seen + 1);
    hcs__mutex_lock(&log->mu);
    assert_int_equal(log->type[log->n - 1], (uint32_t)HcnNotificationGuestNetworkServiceDelete);
    hcs__mutex_unlock(&log->mu);
    hcs_guest_network_close(gns);
    hcs_subscription_close(sub);
    hcs_client_close(c);
    assert_int_equal(settled_counts().handles, 0);
    daemon_live = false;
    assert_int_equal(daemon_stop(d), 0);
    hcs_error_clear(&err);
    hcs__mutex_destroy(&log->mu);
    free(log);
}

/* ---- 5. two clients racing on one HCN id ---------------------------------- */

/* racer NET_ID NAME ROUNDS: creates and deletes the network; prints the
 * number of creates and deletes that succeeded, or "bad 0x..." on an
 * answer the documents do not give for the race. */
static int racer_main(const char *id, const char *name, int rounds)
{
    hcs_client c;
    hcs_error err = HCS_ERROR_INIT;
    if (hcs_client_open(&(hcs_client_options){.provider = "hcssimd"}, &c, &err) != HCS_OK)
        return 3;
    char settings[256];
    nat_settings(settings, sizeof settings, name);
    int creates = 0, deletes = 0, unload = 0;
    for (int i = 0; i < rounds; i++) {
        hcs_network n;
        int32_t hr = hcs_network_create(c, id, settings, &n, &err);
        if (hr == HCS_OK) {
            creates++;
            hcs_network_close(n);
        } else if (hr == HCN_E_OBJECT_USED_AFTER_UNLOAD) {
            creates++; /* made (its NetworkCreate was sent), yet reported failed */
            unload++;
        } else if (hr != ERROR_OBJECT_ALREADY_EXISTS_HR && hr != HCN_E_NETWORK_ALREADY_EXISTS) {
            printf("bad create 0x%08X\n", (unsigned)hr);
            return 8;
        }
        hr = hcs_network_delete(c, id, &err);
        if (hr == HCS_OK)
            deletes++;
        else if (hr != HCN_E_NETWORK_NOT_FOUND) {
            printf("bad delete 0x%08X\n", (unsigned)hr);
            return 9;
        }
    }
    printf("%d %d %d\n", creates, deletes, unload);
    fflush(stdout);
    hcs_client_close(c);
    hcs_error_clear(&err);
    return 0;
}

/* network.h: create: "A name in use: HCN_E_NETWORK_ALREADY_EXISTS; an id in
 * use: ERROR_OBJECT_ALREADY_EXISTS"; open: "An unknown id: kind
 * HCS_ERROR_NOT_FOUND"; fidelity #28 "unknown id on Open/Delete:
 * HCN_E_NETWORK_NOT_FOUND"; #29 "a handle whose object was deleted:
 * HCN_E_OBJECT_USED_AFTER_UNLOAD; Close still S_OK"; #51 service callbacks
 * "NetworkPreCreate, NetworkCreate, NetworkPreDelete, NetworkDelete ... in
 * order"; network.h subscribe: "in HCN's order". Two subscribers (two
 * clients) must see the same sequence, and each network's events alternate
 * create, delete. */
static void two_clients_race_on_one_network(void **state)
{
    (void)state;
    test_proc d;
    start_daemon_case("uhcn-race", &d, NULL);
    hcs_client a = open_daemon_client();
    hcs_client b = open_daemon_client();
    hcs_error err = HCS_ERROR_INIT;
    netlog *la = calloc(1, sizeof *la), *lb = calloc(1, sizeof *lb);
    hcs__mutex_init(&la->mu);
    hcs__mutex_init(&lb->mu);
    hcs_subscription sa, sb;
    assert_int_equal(
        hcs_network_subscribe(a, &(hcs_event_sink){.callback = netlog_on_event, .user_data = la}, &sa, &err), HCS_OK);
    assert_int_equal(
        hcs_network_subscribe(b, &(hcs_event_sink){.callback = netlog_on_event, .user_data = lb}, &sb, &err), HCS_OK);
    hcssim_counts before = settled_counts();

    const char *id = fresh_guid();
    const char *name = unique_id("race");
    enum { ROUNDS = 40 };
    intptr_t out;
    char rounds[8];
    snprintf(rounds, sizeof rounds, "%d", ROUNDS);
    const char *argv[] = {self_path, "racer", id, name, rounds, NULL};
    test_proc racer = spawn(argv, &out);
    char settings[256];
    nat_settings(settings, sizeof settings, name);
    int creates = 0, deletes = 0, stale_ok = 0, create_unload = 0, open_kind = 0;
    int32_t open_hr = 0;
    for (int i = 0; i < ROUNDS; i++) {
        hcs_network n;
        int32_t hr = hcs_network_create(a, id, settings, &n, &err);
        if (hr == HCS_OK) {
            creates++;
            hcs_network_close(n);
        } else if (hr == HCN_E_OBJECT_USED_AFTER_UNLOAD) {
            creates++; /* made (its NetworkCreate was sent), yet reported failed */
            create_unload++;
        } else if (hr != ERROR_OBJECT_ALREADY_EXISTS_HR && hr != HCN_E_NETWORK_ALREADY_EXISTS)
            fail_msg("create racing another client: 0x%08X (%s)", (unsigned)hr, err.message);
        /* open by id from the second client, then race the delete */
        hcs_network o;
        hr = hcs_network_open(b, id, &o, &err);
        if (hr == HCS_OK) {
            char *props = NULL;
            hr = hcs_network_properties_json(o, NULL, &props, &err);
            if (hr == HCS_OK)
                hcs_free(props);
            else if (hr != HCN_E_OBJECT_USED_AFTER_UNLOAD)
                fail_msg("properties of a network deleted meanwhile: 0x%08X, not HCN_E_OBJECT_USED_AFTER_UNLOAD",
                         (unsigned)hr);
            else
                stale_ok++;
            hcs_network_close(o);
        } else if (err.kind != HCS_ERROR_NOT_FOUND) {
            /* network.h, open: "An unknown id: kind HCS_ERROR_NOT_FOUND" */
            open_kind++;
            open_hr = hr;
        }
        hr = hcs_network_delete(a, id, &err);
        if (hr == HCS_OK)
            deletes++;
        else if (hr != HCN_E_NETWORK_NOT_FOUND)
            fail_msg("delete racing another client: 0x%08X", (unsigned)hr);
    }
    char line[64] = "";
    size_t len = 0;
    while (len < sizeof line - 1 && !strchr(line, '\n')) {
        assert_int_equal(hcs__os_pipe_wait_readable(&out, 1, 20000), 0);
        long got = hcs__os_pipe_read(out, line + len, sizeof line - 1 - len);
        if (got <= 0)
            break;
        len += (size_t)got;
        line[len] = 0;
    }
    int racer_status = proc_wait(racer);
    hcs__os_pipe_close(out);
    if (racer_status != 0)
        fail_msg("the other client's race ended with status %d: %s", racer_status, line);
    int rc = 0, rd = 0, ru = 0;
    assert_int_equal(sscanf(line, "%d %d %d", &rc, &rd, &ru), 3);
    create_unload += ru;
    creates += rc;
    deletes += rd;
    /* every create was deleted by someone: the id is free at the end */
    assert_int_equal(creates, deletes);
    assert_int_equal(networks_named(a, name), 0);

    /* Deleting an object the other client has open (#29). */
    hcs_network mine;
    assert_int_equal(hcs_network_create(a, id, settings, &mine, &err), HCS_OK);
    hcs_network theirs;
    assert_int_equal(hcs_network_open(b, id, &theirs, &err), HCS_OK);
    assert_int_equal(hcs_network_delete(a, id, &err), HCS_OK);
    char *props = NULL;
    assert_int_equal(hcs_network_properties_json(theirs, NULL, &props, &err), HCN_E_OBJECT_USED_AFTER_UNLOAD);
    assert_int_equal(hcs_network_modify(theirs,
                                        "{\"ResourceType\":\"DNS\",\"RequestType\":\"Update\","
                                        "\"Settings\":{\"Domain\":\"x\"}}",
                                        &err),
                     HCN_E_OBJECT_USED_AFTER_UNLOAD);
    hcs_network_close(theirs);
    hcs_network_close(mine);
    creates++;
    deletes++;

    /* Both subscribers see HCN's one sequence ("in HCN's order", network.h;
     * fidelity #51 "in order"). Of it, NetworkCreate and NetworkDelete of the
     * id alternate, one per create and delete that acted. The documents do not
     * say whether a refused create sends a Pre* notification: those are only
     * compared between the subscribers. */
    hcs__sleep_ms(200);
    int na = netlog_wait(la, 2 * creates), nb = netlog_wait(lb, 2 * creates);
    assert_int_equal(na, nb);
    int made = 0, gone = 0;
    bool exists = false;
    for (int i = 0; i < na; i++) {
        assert_int_equal(la->type[i], lb->type[i]);
        assert_string_equal(la->id[i], lb->id[i]);
        if (la->type[i] == (uint32_t)HcnNotificationNetworkCreate) {
            if (exists)
                fail_msg("notification %d: a second NetworkCreate without a NetworkDelete between", i);
            exists = true;
            made++;
        } else if (la->type[i] == (uint32_t)HcnNotificationNetworkDelete) {
            if (!exists)
                fail_msg("notification %d: NetworkDelete of a network not created", i);
            exists = false;
            gone++;
        }
    }
    assert_int_equal(made, creates);
    assert_int_equal(gone, deletes);
    (void)stale_ok;
    hcs_subscription_close(sa);
    hcs_subscription_close(sb);
    hcssim_counts after = settled_counts();
    assert_int_equal(after.handles, before.handles);
    hcs_client_close(a);
    hcs_client_close(b);
    assert_int_equal(settled_counts().handles, 0);
    daemon_live = false;
    assert_int_equal(daemon_stop(d), 0);
    hcs_error_clear(&err);
    hcs__mutex_destroy(&la->mu);
    hcs__mutex_destroy(&lb->mu);
    free(la);
    free(lb);
    /* network.h, create: the failures it names are a name or an id in use;
     * a create that made the network (HCN sent NetworkCreate for it) must
     * not report a failure. Open: "An unknown id: kind HCS_ERROR_NOT_FOUND". */
    if (create_unload || open_kind)
        fail_msg("%d creates that made the network failed with HCN_E_OBJECT_USED_AFTER_UNLOAD; %d opens of a network "
                 "deleted meanwhile failed with 0x%08X (kind %s), not a not-found kind",
                 create_unload, open_kind, (unsigned)open_hr, hcs_error_kind_name(hcs_classify(open_hr)));
}

/* ---- 6. the daemon killed during a live migration step -------------------- */

#define SOURCE_VM                                                                                                      \
    "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"VirtualMachine\":{\"ComputeTopology\":{\"Memory\":"                \
    "{\"SizeInMB\":1536}},\"GuestConnection\":{}}}"

typedef struct migrating {
    hcs_system sys;
    hcs_migration_spec spec;
    int32_t hr;
    hcs_error err;
} migrating;

static void migrate_body(void *p)
{
    migrating *m = p;
    m->hr = hcs_migrate(m->sys, &m->spec, 60000, &m->err);
}

/* docs/hcssimd.md, "Disconnects": "every pending operation made on that
 * connection completes with HCS_E_SERVICE_DISCONNECT ...; later calls on
 * handles of that connection return HCS_E_SERVICE_DISCONNECT at once";
 * "libhcs's waits end with it". fault-plans.md: "a transfer ... never
 * reaches the peer, which then waits until it is cancelled": a source whose
 * peer never answers is in its transfer step when the daemon dies.
 * migration.h: hcs_migrate returns "the first failure". */
static void daemon_killed_during_migration(void **state)
{
    (void)state;
    test_proc d;
    const char *extra[] = {"--profile", "24H2", NULL};
    start_daemon_case("uhcn-lm", &d, extra);
    hcs_client c = open_daemon_client();
    HANDLE ends[2];
    socket_pair(ends);
    migrating m = {.err = HCS_ERROR_INIT};
    const char *id = unique_id("lm-src");
    assert_int_equal(hcs_system_create(c, &(hcs_system_spec){.id = id, .config_json = SOURCE_VM}, HCS_TIMEOUT_DEFAULT,
                                       &m.sys, &m.err),
                     HCS_OK);
    assert_int_equal(hcs_system_start(m.sys, NULL, HCS_TIMEOUT_DEFAULT, &m.err), HCS_OK);
    m.spec = (hcs_migration_spec){.side = HCS_MIGRATION_SOURCE, .socket = socket_os(ends[0]), .session_id = 7};
    guarded g;
    guarded_start(&g, migrate_body, &m);
    /* wait until a step is in flight in the daemon */
    hcssim_counts now = {0};
    for (int i = 0; i < 300; i++) {
        hcssim_get_counts(&now);
        if (now.requests > 0)
            break;
        hcs__sleep_ms(10);
    }
    if (now.requests == 0) {
        guarded_join(&g, 10000, "hcs_migrate");
        fail_msg("no migration step in flight: hcs_migrate returned 0x%08X (%s)", (unsigned)m.hr,
                 m.err.message ? m.err.message : "");
    }
    hcs__sleep_ms(100);
    daemon_kill(d);
    daemon_live = false;
    guarded_join(&g, 10000, "hcs_migrate");
    if (m.hr != HCS_E_SERVICE_DISCONNECT)
        fail_msg("hcs_migrate with the daemon killed under it: 0x%08X (%s), not HCS_E_SERVICE_DISCONNECT",
                 (unsigned)m.hr, m.err.message ? m.err.message : "");
    /* later calls on the handle: at once */
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(hcs_migration_cancel(m.sys, HCS_MIGRATION_SOURCE, 5000, &err), HCS_E_SERVICE_DISCONNECT);
    hcs_system_close(m.sys);
    socket_close(ends[0]);
    socket_close(ends[1]);

    /* a new daemon is usable and empty */
    d = daemon_start_with(extra);
    live_daemon = d;
    daemon_live = true;
    hcs_system again;
    assert_int_equal(hcs_system_open(c, id, &again, &err), HCS_E_SYSTEM_NOT_FOUND);
    hcs_system s2 = running_system(c, unique_id("after-lm"));
    assert_int_equal(hcs_system_terminate(s2, 10000, &err), HCS_OK);
    hcs_system_close(s2);
    hcs_client_close(c);
    assert_int_equal(settled_counts().handles, 0);
    daemon_live = false;
    assert_int_equal(daemon_stop(d), 0);
    hcs_error_clear(&err);
    hcs_error_clear(&m.err);
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "holder") == 0)
        return holder_main(argv[2], argv[3]);
    if (argc >= 5 && strcmp(argv[1], "racer") == 0)
        return racer_main(argv[2], argv[3], atoi(argv[4]));
#ifdef _WIN32
    GetModuleFileNameA(NULL, self_path, sizeof self_path);
#else
    ssize_t n = readlink("/proc/self/exe", self_path, sizeof self_path - 1);
    if (n <= 0)
        return 2;
    self_path[n] = 0;
#endif
    srand((unsigned)test_pid());
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(daemon_killed_during_hcn_calls, teardown_daemon),
        cmocka_unit_test_teardown(storage_calls_without_daemon, teardown_daemon),
        cmocka_unit_test_teardown(fault_plans_on_hcn_calls, teardown_daemon),
        cmocka_unit_test_teardown(fault_plans_on_storage_calls, teardown_daemon),
        cmocka_unit_test_teardown(client_killed_holding_hcn_state, teardown_daemon),
        cmocka_unit_test_teardown(two_clients_race_on_one_network, teardown_daemon),
        cmocka_unit_test_teardown(daemon_killed_during_migration, teardown_daemon),
    };
    return cmocka_run_group_tests_name("hcssimd, a user's attack on HCN, storage and migration", tests, NULL, NULL);
}
