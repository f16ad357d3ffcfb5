/* Fault plans (see fault.h and docs/fault-plans.md). */
#include "fault.h"

#include "platform/thread.h"
#include "result.h"
#include "util/hresult_table.h"
#include "util/utf16.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum rule_kind { RULE_CALL, RULE_EVENT, RULE_STDIO } rule_kind;

typedef struct rule {
    rule_kind kind;
    char *name;      /* call or event name */
    char *system;    /* NULL: any system */
    long remaining;  /* uses left; -1 for every time */
    sim_fault fault; /* RULE_CALL */
    int copies;      /* RULE_EVENT */
} rule;

static struct {
    hcs_mutex mu;
    rule *rules;
    size_t count;
} plan;

static hcs_once once = HCS_ONCE_INIT;

static void free_rules(rule *rules, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free(rules[i].name);
        free(rules[i].system);
        hcssim__fault_clear(&rules[i].fault);
    }
    free(rules);
}

void hcssim__fault_clear(sim_fault *f)
{
    free(f->message);
    free(f->document);
    memset(f, 0, sizeof *f);
}

/* ---- parsing ---------------------------------------------------------- */

typedef struct parse {
    char *error;
    size_t size;
    size_t index;
} parse;

/* A message cut to the caller's buffer ends before a character, never
 * inside one. */
static void whole_characters(char *error, size_t size)
{
    if (size)
        error[hcs__utf8_valid_prefix(error, strlen(error))] = '\0';
}

static int bad(parse *p, const char *what)
{
    snprintf(p->error, p->size, "faults[%zu]: %s", p->index, what);
    whole_characters(p->error, p->size);
    return -1;
}

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

/* An HRESULT as a number, "0x8007007F" or a symbolic name. */
static int parse_hresult(const json_t *v, HRESULT *out)
{
    if (json_is_integer(v)) {
        json_int_t n = json_integer_value(v);
        if (n < INT32_MIN || n > (json_int_t)UINT32_MAX)
            return -1;
        *out = (HRESULT)(uint32_t)n;
        return 0;
    }
    const char *s = json_string_value(v);
    if (!s)
        return -1;
    const hcs_hresult_info *info = hcs__hresult_by_name(s);
    if (info) {
        *out = info->hr;
        return 0;
    }
    char *end;
    unsigned long n = strtoul(s, &end, 16);
    if (strncmp(s, "0x", 2) != 0 || *end || n > UINT32_MAX)
        return -1;
    *out = (HRESULT)(uint32_t)n;
    return 0;
}

/* "cut": a phase of the transfer, or "cut_after_bytes": a count of the
 * state stream's bytes; only on the transfer, and instead of the effects
 * that end the call otherwise (at, never, run_action). */
static const char *const cut_phases[] = {"", "memory", "devices", "processes"};

const char *hcssim__fault_cut_phase(sim_cut cut)
{
    return cut >= SIM_CUT_MEMORY && cut <= SIM_CUT_PROCESSES ? cut_phases[cut] : "";
}

static int parse_cut(parse *p, const json_t *obj, rule *r)
{
    sim_fault *f = &r->fault;
    json_t *phase = json_object_get(obj, "cut"), *bytes = json_object_get(obj, "cut_after_bytes");
    if (!phase && !bytes)
        return 0;
    if (strcmp(r->name, "HcsStartLiveMigrationTransfer") != 0)
        return bad(p, "\"cut\" and \"cut_after_bytes\" apply to HcsStartLiveMigrationTransfer only");
    if (phase && bytes)
        return bad(p, "\"cut\" and \"cut_after_bytes\" exclude each other");
    if (f->at_kickoff || f->at_completion || f->never || f->run_action)
        return bad(p, "a cut excludes \"at\", \"never\" and \"run_action\"");
    if (bytes) {
        if (!json_is_integer(bytes) || json_integer_value(bytes) < 0 || json_integer_value(bytes) > INT32_MAX)
            return bad(p, "\"cut_after_bytes\" must be an integer from 0 to 2147483647");
        f->cut = SIM_CUT_AFTER_BYTES;
        f->cut_bytes = (uint32_t)json_integer_value(bytes);
        return 0;
    }
    const char *name = json_string_value(phase);
    for (size_t i = SIM_CUT_MEMORY; name && i <= SIM_CUT_PROCESSES; i++)
        if (strcmp(name, cut_phases[i]) == 0)
            f->cut = (sim_cut)i;
    return f->cut ? 0 : bad(p, "\"cut\" must be \"memory\", \"devices\" or \"processes\"");
}

static int parse_call(parse *p, const json_t *obj, rule *r)
{
    sim_fault *f = &r->fault;
    const char *at = json_string_value(json_object_get(obj, "at"));
    json_t *hr = json_object_get(obj, "hresult");
    if (at && strcmp(at, "kickoff") == 0)
        f->at_kickoff = true;
    else if (at && strcmp(at, "completion") == 0)
        f->at_completion = true;
    else if (at)
        return bad(p, "\"at\" must be \"kickoff\" or \"completion\"");
    if ((f->at_kickoff || f->at_completion) != (hr != NULL))
        return bad(p, "\"at\" and \"hresult\" go together");
    if (hr && (parse_hresult(hr, &f->hr) != 0 || SUCCEEDED(f->hr)))
        return bad(p,
                   "\"hresult\" must be a failure HRESULT: a number, \"0x...\" or a name like \"HCS_E_INVALID_STATE\"");
    f->run_action = json_is_true(json_object_get(obj, "run_action"));
    f->never = json_is_true(json_object_get(obj, "never"));
    json_t *delay = json_object_get(obj, "delay_ms");
    if (delay && (!json_is_integer(delay) || json_integer_value(delay) < 1 || json_integer_value(delay) > 3600000))
        return bad(p, "\"delay_ms\" must be an integer from 1 to 3600000");
    f->delay_ms = (uint32_t)json_integer_value(delay);
    f->message = dup_or_null(json_string_value(json_object_get(obj, "message")));
    json_t *doc = json_object_get(obj, "result_document");
    if (doc && !json_is_object(doc))
        return bad(p, "\"result_document\" must be a JSON object");
    f->document = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    static const char *const thens[] = {"", "crash", "exit", "disconnect_service"};
    const char *then = json_string_value(json_object_get(obj, "then"));
    for (size_t i = 1; then && i < sizeof thens / sizeof thens[0]; i++)
        if (strcmp(then, thens[i]) == 0)
            f->then = (sim_then)i;
    if (then && f->then == SIM_THEN_NONE)
        return bad(p, "\"then\" must be \"crash\", \"exit\" or \"disconnect_service\"");
    if (parse_cut(p, obj, r) != 0)
        return -1;
    if (!f->at_kickoff && !f->at_completion && !f->never && !f->delay_ms && !f->then && !f->cut)
        return bad(p, "a call rule needs \"at\"+\"hresult\", \"never\", \"delay_ms\", \"then\" or \"cut\"");
    return 0;
}

static int parse_event(parse *p, const json_t *obj, rule *r)
{
    static const char *const events[] = {"SystemExited",      "ProcessExited",     "SystemCrashInitiated",
                                         "SystemCrashReport", "ServiceDisconnect", "SystemGuestConnectionClosed"};
    size_t i = 0;
    while (i < sizeof events / sizeof events[0] && strcmp(events[i], r->name) != 0)
        i++;
    if (i == sizeof events / sizeof events[0])
        return bad(p, "unknown event (SystemExited, ProcessExited, SystemCrashInitiated, SystemCrashReport, "
                      "ServiceDisconnect, SystemGuestConnectionClosed)");
    const char *action = json_string_value(json_object_get(obj, "action"));
    if (action && strcmp(action, "drop") == 0)
        r->copies = 0;
    else if (action && strcmp(action, "duplicate") == 0)
        r->copies = 2;
    else
        return bad(p, "an event rule needs \"action\": \"drop\" or \"duplicate\"");
    return 0;
}

static int parse_rule(parse *p, const json_t *obj, rule *r)
{
    if (!json_is_object(obj))
        return bad(p, "expected a JSON object");
    const char *call = json_string_value(json_object_get(obj, "call"));
    const char *event = json_string_value(json_object_get(obj, "event"));
    const char *stdio = json_string_value(json_object_get(obj, "stdio"));
    if (!!call + !!event + !!stdio != 1)
        return bad(p, "exactly one of \"call\", \"event\" or \"stdio\" is needed");
    r->name = strdup(call ? call : event ? event : stdio);
    r->system = dup_or_null(json_string_value(json_object_get(obj, "system")));
    json_t *count = json_object_get(obj, "count");
    if (count && (!json_is_integer(count) || json_integer_value(count) < 1))
        return bad(p, "\"count\" must be a positive integer");
    r->remaining = count ? (long)json_integer_value(count) : -1;
    if (call) {
        r->kind = RULE_CALL;
        /* computecore's Hcs* calls, and computenetwork's Hcn* ones (which,
         * being synchronous, take only "kickoff" effects). */
        return strncmp(call, "Hcs", 3) == 0 || strncmp(call, "Hcn", 3) == 0
                   ? parse_call(p, obj, r)
                   : bad(p, "\"call\" names a computecore or computenetwork function");
    }
    if (event) {
        r->kind = RULE_EVENT;
        return parse_event(p, obj, r);
    }
    r->kind = RULE_STDIO;
    return strcmp(stdio, "keep_open_after_exit") == 0 ? 0 : bad(p, "\"stdio\" must be \"keep_open_after_exit\"");
}

static int parse_plan(const char *text, rule **rules, size_t *count, parse *p)
{
    json_error_t jerr;
    json_t *doc = json_loads(text, 0, &jerr);
    json_t *list = json_object_get(doc, "faults");
    if (!json_is_array(list)) {
        snprintf(p->error, p->size, "expected {\"faults\": [...]}%s%s", doc ? "" : ": ", doc ? "" : jerr.text);
        whole_characters(p->error, p->size);
        json_decref(doc);
        return -1;
    }
    *count = json_array_size(list);
    *rules = calloc(*count ? *count : 1, sizeof **rules);
    int rc = *rules ? 0 : -1;
    for (p->index = 0; rc == 0 && p->index < *count; p->index++)
        rc = parse_rule(p, json_array_get(list, p->index), &(*rules)[p->index]);
    json_decref(doc);
    return rc;
}

/* ---- installing ------------------------------------------------------- */

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *text = NULL;
    if (fseek(f, 0, SEEK_END) == 0) {
        long n = ftell(f);
        rewind(f);
        text = n >= 0 ? calloc((size_t)n + 1, 1) : NULL;
        if (text && fread(text, 1, (size_t)n, f) != (size_t)n) {
            free(text);
            text = NULL;
        }
    }
    fclose(f);
    return text;
}

static int install_locked(const char *json, char *error, size_t size)
{
    rule *rules = NULL;
    size_t count = 0;
    parse p = {error, size, 0};
    if (json && json[0] && parse_plan(json, &rules, &count, &p) != 0) {
        free_rules(rules, count);
        return -1;
    }
    free_rules(plan.rules, plan.count);
    plan.rules = rules;
    plan.count = count;
    return 0;
}

/* The plan from HCSSIM_FAULTS. A plan that does not parse stops the
 * process: running without the faults a test asked for would pass it
 * for the wrong reason. */
static void init_plan(void)
{
    hcs__mutex_init(&plan.mu);
    const char *env = getenv("HCSSIM_FAULTS");
    if (!env || !env[0])
        return;
    char *text = env[0] == '@' ? read_file(env + 1) : strdup(env);
    char error[256] = "cannot read the file";
    if (!text || install_locked(text, error, sizeof error) != 0) {
        fprintf(stderr, "hcssim: HCSSIM_FAULTS: %s\n", error);
        exit(2);
    }
    free(text);
}

int hcssim__fault_install(const char *json, char *error, size_t size)
{
    hcs__call_once(&once, init_plan);
    if (size)
        error[0] = '\0';
    hcs__mutex_lock(&plan.mu);
    int rc = install_locked(json, error, size);
    hcs__mutex_unlock(&plan.mu);
    return rc;
}

/* ---- matching --------------------------------------------------------- */

/* With plan.mu held: the first live rule of `kind` for name and system,
 * with one use counted. */
static rule *use(rule_kind kind, const char *name, const char *system_id)
{
    for (size_t i = 0; i < plan.count; i++) {
        rule *r = &plan.rules[i];
        if (r->kind != kind || r->remaining == 0 || strcmp(r->name, name) != 0)
            continue;
        if (r->system && (!system_id || strcmp(r->system, system_id) != 0))
            continue;
        if (r->remaining > 0)
            r->remaining--;
        return r;
    }
    return NULL;
}

void hcssim__fault_lookup(const char *call, const char *system_id, sim_fault *out)
{
    hcs__call_once(&once, init_plan);
    memset(out, 0, sizeof *out);
    hcs__mutex_lock(&plan.mu);
    rule *r = use(RULE_CALL, call, system_id);
    if (r) {
        *out = r->fault;
        out->message = dup_or_null(r->fault.message);
        out->document = dup_or_null(r->fault.document);
    }
    hcs__mutex_unlock(&plan.mu);
}

char *hcssim__fault_document(const sim_fault *f)
{
    if (f->document)
        return strdup(f->document);
    return hcssim__result_error(f->hr, f->message ? f->message : "injected by the fault plan");
}

int hcssim__fault_event_copies(const char *event, const char *system_id)
{
    hcs__call_once(&once, init_plan);
    hcs__mutex_lock(&plan.mu);
    rule *r = use(RULE_EVENT, event, system_id);
    int copies = r ? r->copies : 1;
    hcs__mutex_unlock(&plan.mu);
    return copies;
}

bool hcssim__fault_keep_stdio_open(const char *system_id)
{
    hcs__call_once(&once, init_plan);
    hcs__mutex_lock(&plan.mu);
    bool keep = use(RULE_STDIO, "keep_open_after_exit", system_id) != NULL;
    hcs__mutex_unlock(&plan.mu);
    return keep;
}

void hcssim__fault_install_from_environment(void) { hcs__call_once(&once, init_plan); }
