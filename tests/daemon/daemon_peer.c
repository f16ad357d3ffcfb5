/* A second program for hcssimd's tests: a client written against
 * computecore.h alone (no libhcs), linked with libhcssim-client, as a
 * program written against Microsoft's header would be. It talks to the
 * daemon named by HCSSIM_SOCKET.
 *
 *   daemon_peer share ID    finds the running system ID (made by another
 *                           program), runs `cmd /c echo shared` in it, reads
 *                           the output from its stdout pipe, shuts it down
 *   daemon_peer create ID   creates and starts container ID, then exits
 *                           without closing anything
 *   daemon_peer hang ID     creates and starts ID, runs a long program,
 *                           starts a shutdown that never completes (the
 *                           caller's fault plan), says "ready" and sleeps
 *                           until it is killed
 *   daemon_peer mixed N     N rounds of create, start, a process with
 *                           stdin and stdout, properties, enumerate,
 *                           terminate, close
 *   daemon_peer network N   finds the HCN network named N (made by another
 *                           program), creates an endpoint "N-peer" on it,
 *                           a namespace "N-peer-ns" holding it, and exits
 *                           without deleting or closing anything
 *
 * Exit status 0 when everything went as expected; otherwise a message on
 * stderr and status 1. */
#include "hcs/computecore.h"
#include "hcs/computenetwork.h"
#include "platform/os_pipe.h"
#include "platform/thread.h"
#include "util/guid.h"
#include "util/utf16.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
static long own_pid(void) { return (long)GetCurrentProcessId(); }
#else
#include <unistd.h>
static long own_pid(void) { return (long)getpid(); }
#endif

#define CONTAINER "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Owner\":\"daemon-peer\",\"Container\":{}}"

static const char *me = "daemon_peer";

static void die(const char *what, HRESULT hr)
{
    fprintf(stderr, "%s (pid %ld): %s: 0x%08X\n", me, own_pid(), what, (unsigned)hr);
    exit(1);
}

static uint16_t *w(const char *s)
{
    uint16_t *out;
    if (hcs__utf8_to_utf16(s, &out) != 0)
        die("utf-16", E_FAIL);
    return out;
}

static char *a(PCWSTR s)
{
    char *out = NULL;
    if (s && hcs__utf16_to_utf8(s, &out) != 0)
        die("utf-8", E_FAIL);
    return out;
}

/* Waits for the operation and checks its outcome; the document, if wanted. */
static char *wait_ok(HCS_OPERATION op, const char *what)
{
    PWSTR doc = NULL;
    HRESULT hr = HcsWaitForOperationResult(op, 30000, &doc);
    if (FAILED(hr)) {
        char *text = a(doc);
        fprintf(stderr, "%s: %s\n", me, text ? text : "(no document)");
        die(what, hr);
    }
    char *text = a(doc);
    LocalFree(doc);
    return text;
}

static HCS_SYSTEM create_started(const char *id)
{
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    uint16_t *wid = w(id), *config = w(CONTAINER);
    HCS_SYSTEM sys = NULL;
    HRESULT hr = HcsCreateComputeSystem(wid, config, op, NULL, &sys);
    if (FAILED(hr))
        die("HcsCreateComputeSystem", hr);
    free(wait_ok(op, "create"));
    if (FAILED(hr = HcsStartComputeSystem(sys, op, NULL)))
        die("HcsStartComputeSystem", hr);
    free(wait_ok(op, "start"));
    HcsCloseOperation(op);
    free(wid);
    free(config);
    return sys;
}

/* Starts a program with the streams asked for; the process and its handles. */
static HCS_PROCESS run(HCS_SYSTEM sys, const char *command, bool in, HCS_PROCESS_INFORMATION *info)
{
    char params[512];
    snprintf(params, sizeof params, "{\"CommandLine\":\"%s\",\"CreateStdInPipe\":%s,\"CreateStdOutPipe\":true}",
             command, in ? "true" : "false");
    uint16_t *wparams = w(params);
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HCS_PROCESS proc = NULL;
    HRESULT hr = HcsCreateProcess(sys, wparams, op, NULL, &proc);
    if (FAILED(hr))
        die("HcsCreateProcess", hr);
    PWSTR doc = NULL;
    hr = HcsWaitForOperationResultAndProcessInfo(op, 30000, info, &doc);
    LocalFree(doc);
    if (FAILED(hr))
        die("HcsCreateProcess outcome", hr);
    HcsCloseOperation(op);
    free(wparams);
    return proc;
}

/* Everything the pipe gives until its end. The handle is the pipe itself
 * (POSIX: a file descriptor + 1, hcs/computecore.h), passed from the
 * daemon, not a relay. */
static char *read_all(HANDLE h)
{
    intptr_t fd = hcs__pipe_from_abi(h);
    size_t len = 0, cap = 256;
    char *buf = malloc(cap);
    long got;
    while ((got = hcs__os_pipe_read(fd, buf + len, cap - len - 1)) > 0) {
        len += (size_t)got;
        if (cap - len < 64)
            buf = realloc(buf, cap *= 2);
    }
    buf[len] = 0;
    hcs__os_pipe_close(fd);
    return buf;
}

static void wait_exit(HCS_PROCESS proc, unsigned want)
{
    PWSTR status = NULL;
    HRESULT hr = HcsWaitForProcessExit(proc, 30000, &status);
    if (FAILED(hr))
        die("HcsWaitForProcessExit", hr);
    char *text = a(status), want_text[64];
    LocalFree(status);
    snprintf(want_text, sizeof want_text, "\"ExitCode\":%u", want);
    if (!strstr(text, want_text)) {
        fprintf(stderr, "%s: exit status %s, expected %s\n", me, text, want_text);
        exit(1);
    }
    free(text);
}

static int share(const char *id)
{
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HRESULT hr = HcsEnumerateComputeSystems(NULL, op);
    if (FAILED(hr))
        die("HcsEnumerateComputeSystems", hr);
    char *list = wait_ok(op, "enumerate");
    if (!strstr(list, id)) {
        fprintf(stderr, "%s: %s not listed in %s\n", me, id, list);
        return 1;
    }
    free(list);
    uint16_t *wid = w(id);
    HCS_SYSTEM sys = NULL;
    if (FAILED(hr = HcsOpenComputeSystem(wid, GENERIC_ALL, &sys)))
        die("HcsOpenComputeSystem", hr);
    free(wid);
    HCS_PROCESS_INFORMATION info;
    HCS_PROCESS proc = run(sys, "cmd /c echo shared", false, &info);
    char *out = read_all(info.StdOutput);
    if (strcmp(out, "shared\r\n") != 0) {
        fprintf(stderr, "%s: output \"%s\"\n", me, out);
        return 1;
    }
    free(out);
    wait_exit(proc, 0);
    HcsCloseProcess(proc);
    if (FAILED(hr = HcsShutDownComputeSystem(sys, op, NULL)))
        die("HcsShutDownComputeSystem", hr);
    free(wait_ok(op, "shutdown"));
    HcsCloseOperation(op);
    HcsCloseComputeSystem(sys);
    return 0;
}

static _Noreturn void hang(const char *id)
{
    HCS_SYSTEM sys = create_started(id);
    HCS_PROCESS_INFORMATION info;
    HCS_PROCESS proc = run(sys, "ping -n 1000 127.0.0.1", false, &info);
    (void)proc;
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    HRESULT hr = HcsShutDownComputeSystem(sys, op, NULL);
    if (FAILED(hr))
        die("HcsShutDownComputeSystem", hr);
    printf("ready\n");
    fflush(stdout);
    for (;;)
        hcs__sleep_ms(1000); /* killed here, mid-operation */
}

static int mixed(int rounds)
{
    for (int i = 0; i < rounds; i++) {
        char id[64];
        snprintf(id, sizeof id, "peer-%ld-%d", own_pid(), i);
        HCS_SYSTEM sys = create_started(id);
        /* stdin to stdout through the guest: findstr echoes what matches */
        HCS_PROCESS_INFORMATION info;
        HCS_PROCESS proc = run(sys, "findstr x", true, &info);
        intptr_t in = hcs__pipe_from_abi(info.StdInput);
        char line[64];
        int n = snprintf(line, sizeof line, "x%d\r\nskip\r\n", i);
        if (hcs__os_pipe_write(in, line, (size_t)n) != n)
            die("write to stdin", E_FAIL);
        hcs__os_pipe_close(in);
        /* closing our stdin handle alone is not the guest's end of input
         * (hcs-api §11 #45): HCS is told */
        HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
        uint16_t *close_in = w("{\"Operation\":\"CloseHandle\",\"CloseHandle\":{\"Handle\":\"StdIn\"}}");
        HRESULT hr = HcsModifyProcess(proc, op, close_in);
        free(close_in);
        if (FAILED(hr))
            die("HcsModifyProcess", hr);
        free(wait_ok(op, "close stdin"));
        char *out = read_all(info.StdOutput);
        char want[32];
        snprintf(want, sizeof want, "x%d\r\n", i);
        if (strcmp(out, want) != 0) {
            fprintf(stderr, "%s: findstr gave \"%s\", expected \"%s\"\n", me, out, want);
            return 1;
        }
        free(out);
        wait_exit(proc, 0);
        HcsCloseProcess(proc);
        if (FAILED(hr = HcsGetComputeSystemProperties(sys, op, NULL)))
            die("HcsGetComputeSystemProperties", hr);
        char *props = wait_ok(op, "properties");
        if (!strstr(props, "\"State\":\"Running\"")) {
            fprintf(stderr, "%s: properties %s\n", me, props);
            return 1;
        }
        free(props);
        uint16_t *query = w("{\"Owners\":[\"daemon-peer\"]}");
        if (FAILED(hr = HcsEnumerateComputeSystems(query, op)))
            die("HcsEnumerateComputeSystems", hr);
        free(query);
        char *list = wait_ok(op, "enumerate");
        if (!strstr(list, id)) {
            fprintf(stderr, "%s: %s not in %s\n", me, id, list);
            return 1;
        }
        free(list);
        if (FAILED(hr = HcsTerminateComputeSystem(sys, op, NULL)))
            die("HcsTerminateComputeSystem", hr);
        free(wait_ok(op, "terminate"));
        HcsCloseOperation(op);
        HcsCloseComputeSystem(sys);
    }
    return 0;
}

/* The network named `name`, through HCN's own calls (computenetwork.h),
 * as another program left it on the host. */
static int network(const char *name)
{
    char query[200];
    snprintf(query, sizeof query,
             "{\"SchemaVersion\":{\"Major\":2,\"Minor\":0},\"Filter\":\"{\\\"Name\\\":\\\"%s\\\"}\"}", name);
    uint16_t *q = w(query);
    PWSTR ids = NULL;
    HRESULT hr = HcnEnumerateNetworks(q, &ids, NULL);
    free(q);
    if (FAILED(hr))
        die("HcnEnumerateNetworks", hr);
    char *list = a(ids);
    CoTaskMemFree(ids);
    GUID id;
    char listed[HCS_GUID_LEN + 1] = "";
    if (list && strlen(list) == HCS_GUID_LEN + 4) /* ["..."] */
        memcpy(listed, list + 2, HCS_GUID_LEN);
    if (!hcs__guid_parse(listed, &id)) {
        fprintf(stderr, "%s: network %s listed as %s\n", me, name, list ? list : "(nothing)");
        exit(1);
    }
    free(list);
    HCN_NETWORK net = NULL;
    if (FAILED(hr = HcnOpenNetwork(&id, &net, NULL)))
        die("HcnOpenNetwork", hr);
    char settings[200];
    snprintf(settings, sizeof settings, "{\"Name\":\"%s-peer\"}", name);
    uint16_t *doc = w(settings);
    static const GUID any;
    HCN_ENDPOINT ep = NULL;
    if (FAILED(hr = HcnCreateEndpoint(net, &any, doc, &ep, NULL)))
        die("HcnCreateEndpoint", hr);
    free(doc);
    PWSTR props = NULL;
    if (FAILED(hr = HcnQueryEndpointProperties(ep, NULL, &props, NULL)))
        die("HcnQueryEndpointProperties", hr);
    char *text = a(props);
    CoTaskMemFree(props);
    const char *at = strstr(text, "\"ID\":\"");
    if (!at)
        die("endpoint without an ID", E_FAIL);
    snprintf(settings, sizeof settings,
             "{\"ResourceType\":\"Endpoint\",\"RequestType\":\"Add\",\"Settings\":{\"EndpointId\":\"%.36s\"}}", at + 6);
    free(text);
    char ns_settings[100];
    snprintf(ns_settings, sizeof ns_settings, "{\"Name\":\"%s-peer-ns\"}", name);
    doc = w(ns_settings);
    HCN_NAMESPACE ns = NULL;
    if (FAILED(hr = HcnCreateNamespace(&any, doc, &ns, NULL)))
        die("HcnCreateNamespace", hr);
    free(doc);
    doc = w(settings);
    if (FAILED(hr = HcnModifyNamespace(ns, doc, NULL)))
        die("HcnModifyNamespace", hr);
    free(doc);
    return 0; /* leaves without closing: HCN objects are the host's */
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "share") == 0)
        return share(argv[2]);
    if (argc == 3 && strcmp(argv[1], "create") == 0) {
        create_started(argv[2]);
        return 0; /* leaves without closing: the system is the host's */
    }
    if (argc == 3 && strcmp(argv[1], "hang") == 0)
        hang(argv[2]);
    if (argc == 3 && strcmp(argv[1], "mixed") == 0)
        return mixed(atoi(argv[2]));
    if (argc == 3 && strcmp(argv[1], "network") == 0)
        return network(argv[2]);
    fprintf(stderr, "usage: daemon_peer share|create|hang|mixed|network ARG\n");
    return 2;
}
