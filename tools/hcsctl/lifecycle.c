/* The verbs that change a system: create, start, pause, resume, save, stop,
 * kill, rm, modify, wait. The verbs taking several ids act on each in turn
 * and print each id done; a failure is reported and the next id still
 * tried, and the exit code is the first failure's. */
#include "commands.h"
#include "json_out.h"

#include <stdlib.h>
#include <string.h>

/* ---- create ------------------------------------------------------------- */

/* A positive whole number for --memory or --cpus; 0 when absent. */
static bool parse_count(const hcsctl_args *args, const char *option, uint64_t max, uint64_t *out)
{
    const char *text = hcsctl_arg_value(args, option);
    *out = 0;
    if (!text)
        return true;
    char *end;
    unsigned long long v = strtoull(text, &end, 10);
    if (end == text || *end || text[0] == '-' || v == 0 || v > max)
        return false;
    *out = v;
    return true;
}

/* The command line of create, checked before anything is made: one of
 * FILE, --container and --vm, and the options that go with it. */
/* --state, where given, names a folder (create and rm). */
static int state_usage(const hcsctl_args *args)
{
    const char *state = hcsctl_arg_value(args, "state");
    return state && !state[0] ? hcsctl_usage_error(args->verb, "--state wants a folder, not \"\"") : HCSCTL_EXIT_OK;
}

static int create_usage(const hcsctl_args *args, uint64_t *memory, uint64_t *cpus)
{
    bool container = hcsctl_arg_count(args, "container") > 0, vm = hcsctl_arg_count(args, "vm") > 0;
    const char *file = args->positional_count > 1 ? args->positional[1] : NULL;
    if ((file != NULL) + container + vm != 1)
        return hcsctl_usage_error(args->verb, "give one of FILE, -, --container and --vm");
    if (!parse_count(args, "memory", UINT64_C(1) << 40, memory) || !parse_count(args, "cpus", 1024, cpus))
        return hcsctl_usage_error(args->verb, "--memory and --cpus want a whole number above 0");
    if (file && (*memory || *cpus || hcsctl_arg_count(args, "owner")))
        return hcsctl_usage_error(args->verb, "--memory, --cpus and --owner go with --container or --vm; "
                                              "a document says these itself");
    if (!container &&
        (hcsctl_arg_count(args, "layer") || hcsctl_arg_count(args, "network") || hcsctl_arg_count(args, "state")))
        return hcsctl_usage_error(args->verb, "--layer, --network and --state go with --container");
    return state_usage(args);
}

/* The ComputeSystem document to create: from FILE or stdin, or written by a
 * builder (builders.h) for --container (on `storage`'s layers, if any) or
 * --vm. */
static int create_document(const hcsctl_args *args, uint64_t memory, uint64_t cpus, hcs_container_spec *storage,
                           char **config)
{
    if (args->positional_count > 1)
        return hcsctl_read_file(args->positional[1], config);
    const char *owner = hcsctl_arg_value(args, "owner") ? hcsctl_arg_value(args, "owner") : "hcsctl";
    hcs_error err = HCS_ERROR_INIT;
    int32_t hr;
    if (hcsctl_arg_count(args, "container")) {
        storage->owner = owner;
        storage->memory_mb = memory;
        storage->processor_count = (uint32_t)cpus;
        hr = hcs_build_container(storage, config, &err);
    } else {
        hr = hcs_build_vm(&(hcs_vm_spec){.owner = owner,
                                         .memory_mb = memory ? memory : 1024,
                                         .processor_count = cpus ? (uint32_t)cpus : 1},
                          config, &err);
    }
    if (hr != HCS_OK)
        hcsctl_say("cannot write the document: %s", err.message);
    hcs_error_clear(&err);
    if (hr != HCS_OK)
        return HCSCTL_EXIT_FAILURE;
    /* The caller frees the document with free(), as hcsctl_read_file's. */
    char *copy = hcsctl_copy(*config);
    hcs_free(*config);
    *config = copy;
    return copy ? HCSCTL_EXIT_OK : HCSCTL_EXIT_FAILURE;
}

/* create: with --layer or --network, the container's scratch and network
 * are made first and unmade again when the system is not created
 * (container.c). */
int hcsctl_create(hcsctl_ctx *ctx, const hcsctl_args *args)
{
    const char *id = args->positional[0];
    uint64_t memory = 0, cpus = 0;
    int rc = create_usage(args, &memory, &cpus);
    if (rc == HCSCTL_EXIT_OK)
        rc = hcsctl_client(ctx);
    hcsctl_container *made = NULL;
    hcs_container_spec storage = {0};
    if (rc == HCSCTL_EXIT_OK && (hcsctl_arg_count(args, "layer") || hcsctl_arg_count(args, "network")))
        rc = hcsctl_container_prepare(ctx, args, id, &storage, &made);
    char *config = NULL;
    if (rc == HCSCTL_EXIT_OK)
        rc = create_document(args, memory, cpus, &storage, &config);
    if (rc == HCSCTL_EXIT_OK) {
        hcs_error err = HCS_ERROR_INIT;
        hcs_system sys;
        hcs_system_spec spec = {.id = id, .config_json = config};
        if (hcs_system_create(ctx->client, &spec, hcsctl_call_timeout(ctx), &sys, &err) == HCS_OK) {
            printf("%s\n", id);
            hcs_system_close(sys);
        } else {
            rc = hcsctl_report(ctx, id, (hcs_system){0}, &err);
        }
        hcs_error_clear(&err);
    }
    if (rc == HCSCTL_EXIT_OK)
        hcsctl_container_free(made);
    else
        hcsctl_container_release(ctx, made);
    free(config);
    return rc;
}

/* ---- the verbs of one call per id -------------------------------------- */

typedef int32_t (*system_call)(hcs_system sys, const hcsctl_ctx *ctx, const char *id, hcs_error *err);

/* Opens each id, makes the call, prints the id when it worked. */
static int each_id(hcsctl_ctx *ctx, const hcsctl_args *args, system_call call)
{
    int first = HCSCTL_EXIT_OK;
    for (size_t i = 0; i < args->positional_count; i++) {
        const char *id = args->positional[i];
        hcs_system sys;
        int rc = hcsctl_open_system(ctx, id, &sys);
        if (rc == HCSCTL_EXIT_OK) {
            hcs_error err = HCS_ERROR_INIT;
            if (call(sys, ctx, id, &err) == HCS_OK)
                printf("%s\n", id);
            else
                rc = hcsctl_report(ctx, id, sys, &err);
            hcs_error_clear(&err);
            hcs_system_close(sys);
        }
        if (first == HCSCTL_EXIT_OK)
            first = rc;
    }
    return first;
}

static int32_t do_start(hcs_system sys, const hcsctl_ctx *ctx, const char *id, hcs_error *err)
{
    (void)id;
    return hcs_system_start(sys, NULL, hcsctl_call_timeout(ctx), err);
}

static int32_t do_pause(hcs_system sys, const hcsctl_ctx *ctx, const char *id, hcs_error *err)
{
    (void)id;
    return hcs_system_pause(sys, NULL, hcsctl_call_timeout(ctx), err);
}

static int32_t do_resume(hcs_system sys, const hcsctl_ctx *ctx, const char *id, hcs_error *err)
{
    (void)id;
    return hcs_system_resume(sys, hcsctl_call_timeout(ctx), err);
}

static int32_t do_kill(hcs_system sys, const hcsctl_ctx *ctx, const char *id, hcs_error *err)
{
    (void)id;
    return hcs_system_terminate(sys, hcsctl_call_timeout(ctx), err);
}

int hcsctl_start(hcsctl_ctx *ctx, const hcsctl_args *args) { return each_id(ctx, args, do_start); }
int hcsctl_pause(hcsctl_ctx *ctx, const hcsctl_args *args) { return each_id(ctx, args, do_pause); }
int hcsctl_resume(hcsctl_ctx *ctx, const hcsctl_args *args) { return each_id(ctx, args, do_resume); }
int hcsctl_kill(hcsctl_ctx *ctx, const hcsctl_args *args) { return each_id(ctx, args, do_kill); }

/* ---- save, modify ------------------------------------------------------- */

int hcsctl_save(hcsctl_ctx *ctx, const hcsctl_args *args)
{
    const char *id = args->positional[0], *file = hcsctl_arg_value(args, "file");
    hcs_system sys;
    int rc = hcsctl_open_system(ctx, id, &sys);
    if (rc != HCSCTL_EXIT_OK)
        return rc;
    /* SaveOptions (hcs-api §11 #20): ToFile ends the system, AsTemplate keeps
     * it as the source of clones. */
    hcsctl_buf options = {0};
    if (file) {
        hcsctl_buf_printf(&options, "{\"SaveType\":\"ToFile\",\"SaveStateFilePath\":");
        hcsctl_buf_json_string(&options, file);
        hcsctl_buf_printf(&options, "}");
    } else {
        hcsctl_buf_printf(&options, "{\"SaveType\":\"AsTemplate\"}");
    }
    hcs_error err = HCS_ERROR_INIT;
    if (hcs_system_save(sys, hcsctl_buf_text(&options), hcsctl_call_timeout(ctx), &err) == HCS_OK)
        printf("%s\n", id);
    else
        rc = hcsctl_report(ctx, id, sys, &err);
    hcsctl_buf_free(&options);
    hcs_error_clear(&err);
    hcs_system_close(sys);
    return rc;
}

int hcsctl_modify(hcsctl_ctx *ctx, const hcsctl_args *args)
{
    const char *id = args->positional[0];
    char *request = NULL;
    int rc = hcsctl_read_file(args->positional[1], &request);
    hcs_system sys = {0};
    if (rc == HCSCTL_EXIT_OK)
        rc = hcsctl_open_system(ctx, id, &sys);
    if (rc == HCSCTL_EXIT_OK) {
        hcs_error err = HCS_ERROR_INIT;
        if (hcs_system_modify(sys, request, hcsctl_call_timeout(ctx), &err) == HCS_OK)
            printf("%s\n", id);
        else
            rc = hcsctl_report(ctx, id, sys, &err);
        hcs_error_clear(&err);
        hcs_system_close(sys);
    }
    free(request);
    return rc;
}

/* ---- stop, rm ----------------------------------------------------------- */

/* Stops sys, gracefully first (hcs_system_stop: shutdown, a bounded wait,
 * then terminate; hcsshim-and-peers §6 #2-#4), and says which step ended
 * it when `say` is set. */
static int32_t stop_one(const hcsctl_ctx *ctx, hcs_system sys, const char *id, uint32_t grace_ms, bool say,
                        hcs_error *err)
{
    hcs_stop_report report;
    int32_t hr = hcs_system_stop(sys, grace_ms, hcsctl_call_timeout(ctx), &report, err);
    if (hr != HCS_OK || !say)
        return hr;
    if (report.step == HCS_STOP_ALREADY) {
        printf("%s: had stopped already\n", id);
    } else if (report.step == HCS_STOP_SHUTDOWN) {
        printf("%s: shut down\n", id);
    } else if (report.shutdown_hr == HCS_OK || report.shutdown_hr == HCS_E_OPERATION_TIMEOUT) {
        printf("%s: terminated (the shutdown had not ended it after %.1f s)\n", id, grace_ms / 1000.0);
    } else {
        const char *name = hcs_hresult_name(report.shutdown_hr);
        printf("%s: terminated (HCS refused the shutdown: %s)\n", id, name ? name : hcs_strerror(report.shutdown_hr));
    }
    return HCS_OK;
}

/* stop's and rm's --timeout-free grace: 30 s, as docker's and runhcs's. */
enum { DEFAULT_GRACE_MS = 30000 };

int hcsctl_stop(hcsctl_ctx *ctx, const hcsctl_args *args)
{
    uint32_t grace_ms = DEFAULT_GRACE_MS;
    const char *timeout = hcsctl_arg_value(args, "timeout");
    if (timeout && !hcsctl_parse_seconds(timeout, &grace_ms))
        return hcsctl_usage_error(args->verb, "--timeout wants a number of seconds, not \"%s\"", timeout);
    int first = HCSCTL_EXIT_OK;
    for (size_t i = 0; i < args->positional_count; i++) {
        const char *id = args->positional[i];
        hcs_system sys;
        int rc = hcsctl_open_system(ctx, id, &sys);
        if (rc == HCSCTL_EXIT_OK) {
            hcs_error err = HCS_ERROR_INIT;
            if (stop_one(ctx, sys, id, grace_ms, true, &err) != HCS_OK)
                rc = hcsctl_report(ctx, id, sys, &err);
            hcs_error_clear(&err);
            hcs_system_close(sys);
        }
        if (first == HCSCTL_EXIT_OK)
            first = rc;
    }
    return first;
}

/* rm: a running system is stopped as stop does (--force: terminated at
 * once); closing the handle then leaves HCS nothing to keep (hcs-api §11
 * #25: a stopped system is forgotten). */
int hcsctl_rm(hcsctl_ctx *ctx, const hcsctl_args *args)
{
    bool force = hcsctl_arg_count(args, "force") > 0;
    int first = state_usage(args);
    if (first != HCSCTL_EXIT_OK)
        return first;
    first = hcsctl_client(ctx);
    bool connected = first == HCSCTL_EXIT_OK;
    for (size_t i = 0; connected && i < args->positional_count; i++) { /* each id, the first failure's code */
        const char *id = args->positional[i];
        hcs_error err = HCS_ERROR_INIT;
        hcs_system sys;
        int rc = HCSCTL_EXIT_OK;
        bool found = hcs_system_open(ctx->client, id, &sys, &err) == HCS_OK, made = false;
        if (found) {
            int32_t hr = force ? hcs_system_terminate(sys, hcsctl_call_timeout(ctx), &err)
                               : stop_one(ctx, sys, id, DEFAULT_GRACE_MS, false, &err);
            if (hr != HCS_OK)
                rc = hcsctl_report(ctx, id, sys, &err);
            hcs_system_close(sys);
        }
        /* Then what create made for it, the system gone (also when it went
         * with the simulator of the command that created it). */
        if (rc == HCSCTL_EXIT_OK && (found || err.kind == HCS_ERROR_NOT_FOUND))
            rc = hcsctl_container_remove(ctx, args, id, &made);
        if (rc == HCSCTL_EXIT_OK && (found || made))
            printf("%s\n", id);
        else if (rc == HCSCTL_EXIT_OK && !(force && err.kind == HCS_ERROR_NOT_FOUND))
            rc = hcsctl_report(ctx, id, (hcs_system){0}, &err);
        hcs_error_clear(&err);
        if (rc != HCSCTL_EXIT_OK && first == HCSCTL_EXIT_OK)
            first = rc;
    }
    return first;
}

/* ---- wait --------------------------------------------------------------- */

int hcsctl_wait(hcsctl_ctx *ctx, const hcsctl_args *args)
{
    const char *id = args->positional[0], *timeout = hcsctl_arg_value(args, "timeout");
    uint32_t timeout_ms = HCS_TIMEOUT_INFINITE;
    if (timeout && !hcsctl_parse_seconds(timeout, &timeout_ms))
        return hcsctl_usage_error(args->verb, "--timeout wants a number of seconds, not \"%s\"", timeout);
    hcs_system sys;
    int rc = hcsctl_open_system(ctx, id, &sys);
    if (rc != HCSCTL_EXIT_OK)
        return rc;
    hcs_error err = HCS_ERROR_INIT;
    hcs_system_exit ex = {0};
    int32_t hr = hcs_system_wait(sys, timeout_ms, &ex, &err);
    if (hr == HCS_OK) {
        const char *name = hcs_hresult_name(ex.status);
        printf("%s: %s, status 0x%08X (%s)\n", id, ex.exit_type ? ex.exit_type : "exited", (unsigned)ex.status,
               name ? name : (ex.status == 0 ? "S_OK" : hcs_strerror(ex.status)));
        /* Cleanly: HCS reports no failure, and the system did not end
         * on its own accord (a crash, a failed guest). */
        bool clean = ex.status == 0 && !(ex.exit_type && strcmp(ex.exit_type, "UnexpectedExit") == 0);
        rc = clean ? HCSCTL_EXIT_OK : HCSCTL_EXIT_FAILURE;
    } else if (err.kind == HCS_ERROR_TIMEOUT) {
        hcsctl_say("'%s' is still running after %s s (%s)", id, timeout ? timeout : "?", hcs_hresult_name(hr));
        rc = HCSCTL_EXIT_TIMEOUT;
    } else {
        rc = hcsctl_report(ctx, id, sys, &err);
    }
    hcs_free(ex.document);
    hcs_error_clear(&err);
    hcs_system_close(sys);
    return rc;
}
