/* hcsctl demo: a container's lifecycle, step by step. */
#include "commands.h"

#include <hcs/hcs.h>
#include <stdio.h>
#include <string.h>

static const char *const config = "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Owner\":\"hcsctl-demo\","
                                  "\"Container\":{\"GuestOs\":{\"HostName\":\"demo\"}}}";

/* Prints a step's outcome; returns nonzero when it failed. */
static int step(const char *what, int32_t hr, const hcs_error *err)
{
    if (hr == HCS_OK)
        printf("  ok    %s\n", what);
    else
        printf("  FAIL  %s\n        %s\n", what, err->message ? err->message : hcs_strerror(hr));
    return hr != HCS_OK;
}

/* The value of a basic property in a Properties document, for display. */
static void print_state(const char *label, const char *props)
{
    const char *at = props ? strstr(props, "\"State\":\"") : NULL;
    int len = 0;
    if (at) {
        at += strlen("\"State\":\"");
        while (at[len] && at[len] != '"')
            len++;
    }
    printf("        %s: %.*s\n", label, len, at ? at : "unknown");
}

static int show_state(hcs_system sys, hcs_error *err)
{
    char *props = NULL;
    int32_t hr = hcs_system_properties_json(sys, NULL, HCS_TIMEOUT_DEFAULT, &props, err);
    if (step("read properties", hr, err))
        return 1;
    print_state("state", props);
    hcs_free(props);
    return 0;
}

/* Runs one program in the container and shows what it printed. */
static int run_program(hcs_system sys, hcs_error *err)
{
    hcs_process_spec spec = {.command_line = "cmd /c echo hello from inside the container", .create_stdout = true};
    hcs_process proc;
    hcs_stdio io;
    if (step("run \"cmd /c echo hello from inside the container\"",
             hcs_process_create(sys, &spec, HCS_TIMEOUT_DEFAULT, &proc, &io, err), err))
        return 1;
    hcs_output out;
    hcs_process_exit exit_info;
    int32_t hr = hcs_process_collect(proc, &io, 4096, 30000, 1000, &out, &exit_info, err);
    hcs_process_close(proc);
    if (step("collect its output and exit code", hr, err)) {
        hcs_output_clear(&out);
        return 1;
    }
    size_t len = out.out_size;
    while (len > 0 && (out.out[len - 1] == '\n' || out.out[len - 1] == '\r'))
        len--;
    printf("        output: %.*s\n        exit code: %u\n", (int)len, out.out, exit_info.exit_code);
    hcs_output_clear(&out);
    hcs_free(exit_info.document);
    return 0;
}

/* Shutdown first, terminate if that fails, and say which one did it. */
static int stop(hcs_system sys, hcs_error *err)
{
    hcs_stop_report report;
    if (step("stop (graceful shutdown, forced if needed)", hcs_system_stop(sys, 30000, 30000, &report, err), err))
        return 1;
    static const char *const steps[] = {"nothing", "it had stopped already", "the graceful shutdown",
                                        "the forced terminate"};
    printf("        ended by: %s\n", steps[report.step]);
    return 0;
}

int hcsctl_demo(hcsctl_ctx *ctx, const hcsctl_args *args)
{
    (void)args;
    hcs_error err = HCS_ERROR_INIT;
    hcs_system sys = {0};
    char *provider = NULL;
    int failed = hcsctl_client(ctx) != HCSCTL_EXIT_OK;
    if (failed)
        goto out;
    hcs_client client = ctx->client;
    hcs_client_provider(client, &provider, NULL);
    printf("        provider: %s\n", provider ? provider : "?");
    const char *id = "hcsctl-demo";
    failed = step("create container \"hcsctl-demo\"",
                  hcs_system_create(client, &(hcs_system_spec){.id = id, .config_json = config}, HCS_TIMEOUT_DEFAULT,
                                    &sys, &err),
                  &err) ||
             show_state(sys, &err) || step("start", hcs_system_start(sys, NULL, HCS_TIMEOUT_DEFAULT, &err), &err) ||
             show_state(sys, &err) || run_program(sys, &err) || stop(sys, &err) || show_state(sys, &err) ||
             step("terminate again (idempotent)", hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, &err), &err);
    hcs_system_close(sys);
out:
    hcs_free(provider);
    hcs_error_clear(&err);
    printf(failed ? "demo failed\n" : "demo finished: created, started, ran a program, stopped\n");
    return failed ? HCSCTL_EXIT_FAILURE : HCSCTL_EXIT_OK;
}
