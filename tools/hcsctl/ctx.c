/* The context a verb runs in: which provider (hcssimd, the embedded
 * simulator, computecore.dll), the client and its trace, and the reports of
 * failed HCS calls, each naming the cause and the fix. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef _WIN32
#include <unistd.h>
#endif

void hcsctl_say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("hcsctl: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* ---- the provider ------------------------------------------------------- */

/* Where hcssimd listens, by the rule its clients follow (docs/hcssimd.md,
 * "Where the socket is"): HCSSIM_SOCKET, else $XDG_RUNTIME_DIR/hcssim.sock,
 * else /tmp/hcssim-UID/hcssim.sock; on Windows HCSSIM_SOCKET, else the pipe
 * \\.\pipe\hcssim. */
static void daemon_socket(char *buf, size_t size)
{
    const char *env = getenv("HCSSIM_SOCKET");
#ifdef _WIN32
    snprintf(buf, size, "%s", env && env[0] ? env : "\\\\.\\pipe\\hcssim");
#else
    const char *xdg = getenv("XDG_RUNTIME_DIR");
    if (env && env[0])
        snprintf(buf, size, "%s", env);
    else if (xdg && xdg[0])
        snprintf(buf, size, "%s/hcssim.sock", xdg);
    else
        snprintf(buf, size, "/tmp/hcssim-%lu/hcssim.sock", (unsigned long)getuid());
#endif
}

/* The provider to open: --provider, else HCS_PROVIDER, else hcsctl's own
 * choice. Off Windows that is hcssimd when its socket exists (a socket left
 * by a daemon that died included: the commands then fail and say so, rather
 * than quietly switching to another, empty host), else the embedded
 * simulator. NULL: libhcs's default (computecore.dll on Windows). */
static const char *choose_provider(hcsctl_ctx *ctx)
{
    const char *env = getenv("HCS_PROVIDER");
    const char *named = ctx->globals.provider ? ctx->globals.provider : (env && env[0] ? env : NULL);
    daemon_socket(ctx->socket_path, sizeof ctx->socket_path);
#ifdef _WIN32
    return named;
#else
    struct stat st;
    if (named)
        return named;
    if (stat(ctx->socket_path, &st) == 0)
        return "hcssimd";
    ctx->embedded = true;
    return "embedded";
#endif
}

static void trace(const hcs_trace_record *r, void *user_data)
{
    (void)user_data;
    const char *name = hcs_hresult_name(r->hr);
    char op[32] = "";
    if (r->operation_id)
        snprintf(op, sizeof op, " op %llu", (unsigned long long)r->operation_id);
    /* One call per record, so that records of several threads do not mix. */
    fprintf(stderr, "hcsctl: trace: %s%s %llu ms 0x%08X %s%s%s%s%s\n", r->call, op, (unsigned long long)r->duration_ms,
            (unsigned)r->hr, name ? name : (r->hr >= 0 ? "S_OK" : "?"), r->input ? "\n  in:  " : "",
            r->input ? r->input : "", r->output ? "\n  out: " : "", r->output ? r->output : "");
}

int hcsctl_client(hcsctl_ctx *ctx)
{
    if (ctx->client_open)
        return HCSCTL_EXIT_OK;
    const char *provider = choose_provider(ctx);
    ctx->daemon = provider && strcmp(provider, "hcssimd") == 0;
    hcs_client_options opts = {
        .provider = provider,
        .namespace_id = ctx->globals.namespace_id,
        .default_timeout_ms = ctx->globals.timeout_ms,
        .trace = ctx->globals.trace ? trace : NULL,
    };
    hcs_error err = HCS_ERROR_INIT;
    if (hcs_client_open(&opts, &ctx->client, &err) != HCS_OK) {
        int rc = hcsctl_report(ctx, NULL, (hcs_system){0}, &err);
        hcs_error_clear(&err);
        return rc;
    }
    ctx->client_open = true;
    if (ctx->embedded)
        hcsctl_say("no hcssimd at %s, so this command runs on a simulator of its own: what it creates ends with "
                   "it (start 'hcssimd' to keep systems between commands)",
                   ctx->socket_path);
    return HCSCTL_EXIT_OK;
}

void hcsctl_ctx_close(hcsctl_ctx *ctx)
{
    if (ctx->client_open)
        hcs_client_close(ctx->client);
    ctx->client_open = false;
}

uint32_t hcsctl_call_timeout(const hcsctl_ctx *ctx)
{
    return ctx->globals.timeout_ms ? ctx->globals.timeout_ms : HCS_TIMEOUT_DEFAULT;
}

int hcsctl_open_system(hcsctl_ctx *ctx, const char *id, hcs_system *out)
{
    *out = (hcs_system){0};
    int rc = hcsctl_client(ctx);
    if (rc != HCSCTL_EXIT_OK)
        return rc;
    hcs_error err = HCS_ERROR_INIT;
    if (hcs_system_open(ctx->client, id, out, &err) != HCS_OK) {
        rc = hcsctl_report(ctx, id, (hcs_system){0}, &err);
        hcs_error_clear(&err);
    }
    return rc;
}

const char *hcsctl_state(hcs_system sys, char *buf, size_t size)
{
    hcs_schema_doc *doc = NULL;
    hcs_Properties *props = NULL;
    snprintf(buf, size, "unknown");
    if (hcs_system_properties(sys, NULL, 10000, &doc, &props, NULL) == HCS_OK && props->State.text)
        snprintf(buf, size, "%s", props->State.text);
    hcs_schema_doc_free(doc);
    return buf;
}

/* ---- reports ------------------------------------------------------------ */

/* What a verb needs, said when HCS refuses it in the system's state. */
static const struct {
    const char *verb;
    const char *hint;
} state_hints[] = {
    {"start", "only a Created system starts"},
    {"pause", "only a Running virtual machine pauses"},
    {"resume", "only a Paused system resumes: see 'hcsctl list'"},
    {"save", "only a Paused virtual machine saves: 'hcsctl pause %s' first"},
    {"exec", "processes run in a Running system: 'hcsctl start %s' first"},
    {"modify", "see 'hcsctl inspect %s'"},
    {"stats", "statistics come from a Running system: 'hcsctl start %s' first"},
    {"ps", "processes run in a Running system: 'hcsctl start %s' first"},
};

/* The hint for verb, its "%s" replaced by the id, into buf. */
static const char *state_hint(const char *verb, const char *id, char *buf, size_t size)
{
    const char *hint = "see 'hcsctl list'";
    for (size_t i = 0; i < sizeof state_hints / sizeof state_hints[0]; i++)
        if (strcmp(state_hints[i].verb, verb) == 0)
            hint = state_hints[i].hint;
    const char *at = strstr(hint, "%s");
    if (at)
        snprintf(buf, size, "%.*s%s%s", (int)(at - hint), hint, id, at + 2);
    else
        snprintf(buf, size, "%s", hint);
    return buf;
}

/* HCS's own words about the failure (its ResultError), or NULL. */
static const char *hcs_words(const hcs_error *err)
{
    if (!err->result)
        return NULL;
    if (err->result->message && err->result->message[0])
        return err->result->message;
    return err->result->event_count ? err->result->events[0].message : NULL;
}

/* "HCS_E_SYSTEM_NOT_FOUND", or the number when the code has no name. */
static const char *code_name(int32_t hr, char *buf, size_t size)
{
    const char *name = hcs_hresult_name(hr);
    if (name)
        return name;
    snprintf(buf, size, "0x%08X", (unsigned)hr);
    return buf;
}

static void report_disconnect(const hcsctl_ctx *ctx, const char *code, const hcs_error *err)
{
    const char *why = err->message ? err->message : hcs_strerror(err->hr);
#ifdef _WIN32
    /* A daemon that died takes its pipe with it; hcssimd.exe reads
     * HCSSIM_SOCKET as hcsctl does (docs/hcssimd.md, "Windows"). */
    if (ctx->daemon)
        hcsctl_say("the compute service is gone (%s): %s; no hcssimd.exe answers on %s: start it ('start "
                   "hcssimd.exe --socket %s', or 'hcssimd.exe' in a console of its own), or point HCSSIM_SOCKET at the "
                   "pipe of the one running; a simulator of the command's own is '--provider hcssim.dll'",
                   code, why, ctx->socket_path, ctx->socket_path);
#else
    if (ctx->daemon)
        hcsctl_say("the compute service is gone (%s): %s; start hcssimd ('hcssimd &'; it replaces a socket left by "
                   "one that died), or run on a simulator of the command's own with '--provider embedded'",
                   code, why);
#endif
    else
        hcsctl_say("the compute service is gone (%s): %s; check that the vmcompute service runs "
                   "('sc query vmcompute')",
                   code, why);
}

/* The fix for an unsupported call: a provider that could not be opened (no
 * computecore.dll: Windows without its Containers or Hyper-V feature, or
 * Wine; a provider this platform lacks) is replaced by one that opens;
 * otherwise it is HCS's refusal of the verb. */
static const char *unsupported_hint(const hcsctl_ctx *ctx, const char *verb)
{
    if (!ctx->client_open)
#ifdef _WIN32
        return "name a provider that opens here: computecore.dll (the default, with Windows' Containers or Hyper-V "
               "feature), or the simulator, '--provider hcssimd' with hcssimd.exe running (docs/hcssimd.md) or "
               "'--provider hcssim.dll'";
#else
        return "name a provider that opens here: the simulator, '--provider hcssimd' with hcssimd running "
               "(docs/hcssimd.md) or '--provider embedded'";
#endif
    if (strcmp(verb, "pause") == 0 || strcmp(verb, "resume") == 0 || strcmp(verb, "save") == 0)
        return "HCS pauses, resumes and saves virtual machines, not containers";
    return "'hcsctl service' shows what the host supports";
}

int hcsctl_report(hcsctl_ctx *ctx, const char *id, hcs_system sys, const hcs_error *err)
{
    char buf[32], state[64];
    const char *code = code_name(err->hr, buf, sizeof buf);
    const char *verb = ctx->verb ? ctx->verb->name : "hcsctl";
    const char *words = hcs_words(err);
    const char *what = id ? id : "";
    char hint[256];
    switch (err->kind) {
    case HCS_ERROR_NOT_FOUND:
        /* Only these two are about the system; ERROR_NOT_FOUND is about a
         * process (hcs-api §11 #46). */
        if (id && (err->hr == HCS_E_SYSTEM_NOT_FOUND || err->hr == HCS_VMCOMPUTE_E_SYSTEM_NOT_FOUND)) {
            hcsctl_say("no compute system '%s' (%s); see 'hcsctl list'", id, code);
            break;
        }
        hcsctl_say("%s%s%s: not found (%s): %s", verb, id ? " " : "", what, code, err->message);
        break;
    case HCS_ERROR_ALREADY_EXISTS:
        hcsctl_say("a compute system '%s' exists already (%s); choose another id, or remove it first: 'hcsctl rm %s'",
                   what, code, what);
        break;
    case HCS_ERROR_ALREADY_STOPPED:
        hcsctl_say("'%s' has stopped (%s); a stopped system is gone: create it again ('hcsctl create %s ...')", what,
                   code, what);
        break;
    case HCS_ERROR_INVALID_STATE:
        hcsctl_say("cannot %s '%s' while it is %s (%s); %s", verb, what,
                   sys.id ? hcsctl_state(sys, state, sizeof state) : "in that state", code,
                   state_hint(verb, what, hint, sizeof hint));
        break;
    case HCS_ERROR_TIMEOUT:
        hcsctl_say("%s%s%s did not finish in time (%s); HCS carries on with it: see 'hcsctl list', or allow longer "
                   "with --timeout",
                   verb, id ? " " : "", what, code);
        return HCSCTL_EXIT_TIMEOUT;
    case HCS_ERROR_DISCONNECTED:
        report_disconnect(ctx, code, err);
        break;
    case HCS_ERROR_ACCESS_DENIED:
        hcsctl_say("%s %s: access denied (%s); HCS serves administrators: run hcsctl elevated", verb, what, code);
        break;
    case HCS_ERROR_INVALID_ARGUMENT:
        hcsctl_say("HCS refused the %s request%s%s (%s)%s%s; check the document against HCS's schema "
                   "(docs/schema.md)",
                   verb, id ? " for " : "", what, code, words ? ": " : "", words ? words : "");
        break;
    case HCS_ERROR_UNSUPPORTED:
        /* HCS pauses, resumes and saves virtual machines only (hcs-api
         * §11 #18, docs/simulator-fidelity.md). */
        hcsctl_say("%s%s%s is not supported here (%s): %s; %s", verb, id ? " " : "", what, code,
                   words ? words : err->message, unsupported_hint(ctx, verb));
        break;
    default:
        hcsctl_say("%s%s%s failed: %s", verb, id ? " " : "", what, err->message ? err->message : code);
        break;
    }
    return HCSCTL_EXIT_FAILURE;
}

/* ---- input -------------------------------------------------------------- */

char *hcsctl_copy(const char *s)
{
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    return copy ? memcpy(copy, s, n) : NULL;
}

int hcsctl_read_file(const char *path, char **out)
{
    *out = NULL;
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        hcsctl_say("cannot open %s: %s", path, strerror(errno));
        return HCSCTL_EXIT_FAILURE;
    }
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len - 1 == 0) {
            char *grown = realloc(buf, cap * 2);
            if (!grown) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = grown;
            cap *= 2;
        }
    }
    bool failed = !buf || ferror(f);
    if (!is_stdin)
        fclose(f);
    if (failed) {
        free(buf);
        hcsctl_say("cannot read %s", is_stdin ? "stdin" : path);
        return HCSCTL_EXIT_FAILURE;
    }
    buf[len] = 0;
    *out = buf;
    return HCSCTL_EXIT_OK;
}
