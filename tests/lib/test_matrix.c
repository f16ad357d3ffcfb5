/* The per-API rows of docs/reliability.md: five faults (kickoff failure,
 * completion failure, a call that never completes, a malformed result
 * document, a result document over 16 MiB) against each main family of
 * libhcs calls (system lifecycle, properties, enumerate, process create,
 * process signal, modify), reproduced with hcssim fault plans through the
 * public API only. Each test is named by its row id in a comment; each
 * checks what libhcs promises: HCS's code classified with its ResultError
 * kept, waits that end, one report per async call, and every HCS handle
 * given back once the caller has closed its own. */
#include "lib_helpers.h"

/* A result document just over 16 MiB. */
#define HUGE_TEXT ((size_t)16 * 1024 * 1024 + 1024)

/* A fault plan with one call rule: `rule` is the rest of the rule after
 * "call" (e.g. "\"never\":true"). */
static void plan_call(const char *call, const char *rule)
{
    size_t n = strlen(call) + strlen(rule) + 64;
    char *json = malloc(n);
    assert_non_null(json);
    snprintf(json, n, "{\"faults\":[{\"call\":\"%s\",%s}]}", call, rule);
    set_faults(json);
    free(json);
}

/* ---- the families ------------------------------------------------------- */

/* What a family's call needs: a system (started or not) and maybe a
 * running process in it. */
typedef struct fixture {
    hcs_system sys;
    hcs_process proc;
} fixture;

typedef struct family {
    const char *row;    /* the row prefix in docs/reliability.md */
    const char *call;   /* the HCS function the faults target */
    const char *config; /* the system the call needs, or NULL */
    bool started;       /* the system is started first */
    bool process;       /* a running process is made first */
    int32_t (*blocking)(fixture *f, uint32_t timeout_ms, hcs_error *err);
    int32_t (*async)(fixture *f, const hcs_async *how, hcs_error *err);
} family;

#define MEMORY_UPDATE                                                                                                  \
    "{\"ResourcePath\":\"VirtualMachine/ComputeTopology/Memory/"                                                       \
    "SizeInMB\",\"RequestType\":\"Update\",\"Settings\":2048}"

static hcs_process_spec sleeper(void)
{
    hcs_process_spec spec = {.command_line = "ping -n 1000 127.0.0.1"};
    return spec;
}

static int32_t start_blocking(fixture *f, uint32_t t, hcs_error *err) { return hcs_system_start(f->sys, NULL, t, err); }
static int32_t start_async(fixture *f, const hcs_async *how, hcs_error *err)
{
    return hcs_system_start_async(f->sys, NULL, how, NULL, err);
}

static int32_t properties_blocking(fixture *f, uint32_t t, hcs_error *err)
{
    char *doc = NULL;
    int32_t hr = hcs_system_properties_json(f->sys, NULL, t, &doc, err);
    if (hr == HCS_OK)
        assert_non_null(strstr(doc, "\"State\""));
    else
        assert_null(doc);
    hcs_free(doc);
    return hr;
}
static int32_t properties_async(fixture *f, const hcs_async *how, hcs_error *err)
{
    return hcs_system_properties_async(f->sys, NULL, how, NULL, err);
}

static int32_t enumerate_blocking(fixture *f, uint32_t t, hcs_error *err)
{
    (void)f;
    char *doc = NULL;
    int32_t hr = hcs_system_enumerate_json(client, NULL, t, &doc, err);
    if (hr == HCS_OK)
        assert_true(doc[0] == '[');
    else
        assert_null(doc);
    hcs_free(doc);
    return hr;
}
static int32_t enumerate_async(fixture *f, const hcs_async *how, hcs_error *err)
{
    (void)f;
    return hcs_system_enumerate_async(client, NULL, how, NULL, err);
}

static int32_t process_create_blocking(fixture *f, uint32_t t, hcs_error *err)
{
    hcs_process_spec spec = sleeper();
    hcs_process p = {0};
    int32_t hr = hcs_process_create(f->sys, &spec, t, &p, NULL, err);
    if (hr == HCS_OK) {
        assert_int_equal(hcs_process_kill(p, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
        hcs_process_close(p);
    }
    return hr;
}
static int32_t process_create_async(fixture *f, const hcs_async *how, hcs_error *err)
{
    hcs_process_spec spec = sleeper();
    return hcs_process_create_async(f->sys, &spec, how, NULL, err);
}

static int32_t signal_blocking(fixture *f, uint32_t t, hcs_error *err)
{
    return hcs_process_signal(f->proc, HCS_SIGNAL_CTRL_BREAK, t, err);
}
static int32_t signal_async(fixture *f, const hcs_async *how, hcs_error *err)
{
    return hcs_process_signal_async(f->proc, HCS_SIGNAL_CTRL_BREAK, how, NULL, err);
}

static int32_t modify_blocking(fixture *f, uint32_t t, hcs_error *err)
{
    return hcs_system_modify(f->sys, MEMORY_UPDATE, t, err);
}
static int32_t modify_async(fixture *f, const hcs_async *how, hcs_error *err)
{
    return hcs_system_modify_async(f->sys, MEMORY_UPDATE, how, NULL, err);
}

enum { SYS, PROP, ENUM, PCREATE, PSIG, MOD };

static const family families[] = {
    [SYS] = {"SYS", "HcsStartComputeSystem", SIM_CONTAINER, false, false, start_blocking, start_async},
    [PROP] = {"PROP", "HcsGetComputeSystemProperties", SIM_CONTAINER, true, false, properties_blocking,
              properties_async},
    [ENUM] = {"ENUM", "HcsEnumerateComputeSystems", NULL, false, false, enumerate_blocking, enumerate_async},
    [PCREATE] = {"PCREATE", "HcsCreateProcess", SIM_CONTAINER, true, false, process_create_blocking,
                 process_create_async},
    [PSIG] = {"PSIG", "HcsSignalProcess", SIM_CONTAINER, true, true, signal_blocking, signal_async},
    [MOD] = {"MOD", "HcsModifyComputeSystem", SIM_VM, true, false, modify_blocking, modify_async},
};

static fixture set_up(const family *fam)
{
    fixture f = {{0}, {0}};
    if (!fam->config)
        return f;
    assert_int_equal(hcs_system_create(client,
                                       &(hcs_system_spec){.id = unique_id(fam->row), .config_json = fam->config},
                                       HCS_TIMEOUT_DEFAULT, &f.sys, NULL),
                     HCS_OK);
    if (fam->started)
        assert_int_equal(hcs_system_start(f.sys, NULL, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    if (fam->process) {
        hcs_process_spec spec = sleeper();
        assert_int_equal(hcs_process_create(f.sys, &spec, HCS_TIMEOUT_DEFAULT, &f.proc, NULL, NULL), HCS_OK);
    }
    return f;
}

/* Ends the fixture with the plan cleared; every step must work. */
static void tear_down(fixture *f)
{
    hcssim_set_faults(NULL, NULL, 0);
    if (f->proc.id) {
        assert_int_equal(hcs_process_kill(f->proc, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
        hcs_process_close(f->proc);
    }
    if (f->sys.id) {
        assert_int_equal(hcs_system_terminate(f->sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
        hcs_system_close(f->sys);
    }
}

/* The one report of an async call made through a fresh queue. */
static void next_report(hcs_cq cq, hcs_result *r)
{
    assert_int_equal(hcs_cq_next(cq, 10000, r, NULL), HCS_OK); /* hang guard */
    assert_int_equal(r->event_type, HCS_EVENT_NONE);
}

/* No second report follows. */
static void no_more_reports(hcs_cq cq)
{
    hcs_result r;
    int32_t hr = hcs_cq_next(cq, 200, &r, NULL);
    if (hr == HCS_OK) {
        hcs_result_clear(&r);
        fail_msg("a second report arrived");
    }
    assert_int_equal(hr, HCS_E_OPERATION_TIMEOUT);
}

/* ---- the faults --------------------------------------------------------- */

/* Kickoff failure: the call itself fails with HCS's code, classified and
 * naming the HCS function; the async form fails the same way at once and
 * never reports; the handle stays usable; nothing is kept. */
static void kickoff(const family *fam)
{
    hcssim_counts before = settled_counts();
    fixture f = set_up(fam);
    plan_call(fam->call, "\"at\":\"kickoff\",\"hresult\":\"0x800706BF\"");
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(fam->blocking(&f, HCS_TIMEOUT_DEFAULT, &err), (int32_t)0x800706BF);
    assert_int_equal(err.hr, (int32_t)0x800706BF);
    assert_int_equal(err.kind, hcs_classify((int32_t)0x800706BF));
    assert_string_equal(err.call, fam->call);
    assert_non_null(strstr(err.message, "0x800706BF"));
    hcs_error_clear(&err);

    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    hcs_async how = {.cq = cq, .timeout_ms = HCS_TIMEOUT_DEFAULT};
    assert_int_equal(fam->async(&f, &how, &err), (int32_t)0x800706BF);
    assert_string_equal(err.call, fam->call);
    hcs_error_clear(&err);
    no_more_reports(cq); /* refused calls report nothing */

    hcssim_set_faults(NULL, NULL, 0);
    assert_int_equal(fam->blocking(&f, HCS_TIMEOUT_DEFAULT, &err), HCS_OK);
    assert_null(err.message);
    hcs_cq_close(cq);
    tear_down(&f);
    assert_all_given_back(before);
}

/* Completion failure: HCS accepts the call and the operation fails; the
 * code is classified and HCS's ResultError is kept, raw and parsed, in
 * both forms. */
static void completion(const family *fam)
{
    hcssim_counts before = settled_counts();
    fixture f = set_up(fam);
    plan_call(fam->call, "\"at\":\"completion\",\"hresult\":\"HCS_E_INVALID_STATE\","
                         "\"message\":\"matrix: refused at completion\"");
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(fam->blocking(&f, HCS_TIMEOUT_DEFAULT, &err), HCS_E_INVALID_STATE);
    assert_int_equal(err.kind, HCS_ERROR_INVALID_STATE);
    assert_string_equal(err.call, fam->call);
    assert_non_null(err.document);
    assert_non_null(err.result);
    assert_int_equal(err.result->error, HCS_E_INVALID_STATE);
    assert_true(err.result->event_count >= 1);
    assert_string_equal(err.result->events[0].message, "matrix: refused at completion");
    assert_non_null(strstr(err.message, "matrix: refused at completion"));
    hcs_error_clear(&err);

    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    hcs_async how = {.cq = cq, .timeout_ms = HCS_TIMEOUT_DEFAULT, .user_data = (void *)fam};
    assert_int_equal(fam->async(&f, &how, NULL), HCS_OK);
    hcs_result r;
    next_report(cq, &r);
    assert_int_equal(r.hr, HCS_E_INVALID_STATE);
    assert_ptr_equal(r.user_data, fam);
    assert_int_equal(r.error.kind, HCS_ERROR_INVALID_STATE);
    assert_non_null(r.error.result);
    assert_string_equal(r.error.result->events[0].message, "matrix: refused at completion");
    assert_int_equal(r.process.id, 0); /* a failed create hands out no process */
    assert_int_equal(r.system.id, 0);
    hcs_result_clear(&r);
    no_more_reports(cq);

    hcssim_set_faults(NULL, NULL, 0);
    assert_int_equal(fam->blocking(&f, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_cq_close(cq);
    tear_down(&f);
    assert_all_given_back(before);
}

/* A call that never completes: the blocking form returns
 * HCS_E_OPERATION_TIMEOUT within its own timeout, the async form reports
 * that once; the next call gets a fresh deadline and works; and once HCS
 * ends the work (the system's terminate fails the parked call) every
 * operation and handle libhcs kept for it is given back. */
static void never(const family *fam)
{
    hcssim_counts before = settled_counts();
    fixture f = set_up(fam);
    plan_call(fam->call, "\"never\":true");
    hcs_error err = HCS_ERROR_INIT;
    uint64_t t0 = hcs__clock_ms();
    assert_int_equal(fam->blocking(&f, 300, &err), HCS_E_OPERATION_TIMEOUT);
    assert_true(hcs__clock_ms() - t0 < 5000); /* bounded by the 300 ms asked (generous guard) */
    assert_int_equal(err.kind, HCS_ERROR_TIMEOUT);
    hcs_error_clear(&err);

    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    hcs_async how = {.cq = cq, .timeout_ms = 300};
    assert_int_equal(fam->async(&f, &how, NULL), HCS_OK);
    hcs_result r;
    next_report(cq, &r);
    assert_int_equal(r.hr, HCS_E_OPERATION_TIMEOUT);
    assert_int_equal(r.error.kind, HCS_ERROR_TIMEOUT);
    hcs_result_clear(&r);

    hcssim_set_faults(NULL, NULL, 0);
    if (fam->config) /* the system's next call is not held up by the hung ones */
        assert_int_equal(hcs_system_terminate(f.sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    else
        assert_int_equal(fam->blocking(&f, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    no_more_reports(cq); /* the late outcome (the parked call failing) is discarded */
    hcs_cq_close(cq);
    tear_down(&f);
    if (fam->config)
        assert_all_given_back(before);
    /* ENUM: no system to end it; the simulator keeps the operation pending
     * for ever, and libhcs rightly keeps it too (see the ENUM-never row). */
}

/* A result document of the wrong shape: every member of the ResultError
 * has the wrong type. The HRESULT is the operation's (never one read from
 * the document), the raw document is kept, and what can be parsed is. */
static void malformed(const family *fam)
{
    hcssim_counts before = settled_counts();
    fixture f = set_up(fam);
    plan_call(fam->call, "\"at\":\"completion\",\"hresult\":\"0x80004005\",\"result_document\":"
                         "{\"Error\":\"0x80370105\",\"ErrorMessage\":{\"text\":\"not a string\"},"
                         "\"ErrorEvents\":[7,{\"Message\":[\"no\"]},{\"Message\":\"third entry\"}],"
                         "\"Attribution\":\"not an array\"}");
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(fam->blocking(&f, HCS_TIMEOUT_DEFAULT, &err), HCS_COM_E_FAIL);
    assert_int_equal(err.kind, hcs_classify(HCS_COM_E_FAIL));
    assert_non_null(err.document);
    assert_non_null(strstr(err.document, "not a string"));
    assert_non_null(err.result);
    assert_false(err.result->has_error);
    assert_null(err.result->message);
    assert_int_equal(err.result->event_count, 3);
    assert_null(err.result->events[0].message);
    assert_null(err.result->events[1].message);
    assert_string_equal(err.result->events[2].message, "third entry");
    assert_string_equal(err.result->attribution_json, "\"not an array\"");
    assert_non_null(strstr(err.message, "0x80004005"));
    hcs_error_clear(&err);

    hcs_cq cq;
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    hcs_async how = {.cq = cq, .timeout_ms = HCS_TIMEOUT_DEFAULT};
    assert_int_equal(fam->async(&f, &how, NULL), HCS_OK);
    hcs_result r;
    next_report(cq, &r);
    assert_int_equal(r.hr, HCS_COM_E_FAIL);
    assert_non_null(r.error.document);
    assert_non_null(r.error.result);
    assert_false(r.error.result->has_error);
    hcs_result_clear(&r);
    hcs_cq_close(cq);
    tear_down(&f);
    assert_all_given_back(before);
}

/* A fault plan whose ResultError carries an ErrorMessage of HUGE_TEXT
 * bytes (the simulator sends it as it is). */
static char *huge_plan(const char *call)
{
    size_t n = HUGE_TEXT + 512;
    char *json = malloc(n);
    assert_non_null(json);
    int head = snprintf(json, n,
                        "{\"faults\":[{\"call\":\"%s\",\"at\":\"completion\",\"hresult\":\"0x80004005\","
                        "\"result_document\":{\"Error\":-2147467259,\"ErrorEvents\":[{\"Message\":\"matrix: huge\"}],"
                        "\"ErrorMessage\":\"",
                        call);
    memset(json + head, 'x', HUGE_TEXT);
    strcpy(json + head + HUGE_TEXT, "\"}}]}");
    return json;
}

/* A result document over 16 MiB: kept whole, parsed whole, never cut. */
static void huge(const family *fam)
{
    hcssim_counts before = settled_counts();
    fixture f = set_up(fam);
    char *json = huge_plan(fam->call);
    set_faults(json);
    free(json);
    hcs_error err = HCS_ERROR_INIT;
    assert_int_equal(fam->blocking(&f, HCS_TIMEOUT_DEFAULT, &err), HCS_COM_E_FAIL);
    assert_non_null(err.document);
    assert_true(strlen(err.document) > HUGE_TEXT);
    assert_non_null(err.result);
    assert_true(err.result->has_error);
    assert_int_equal(err.result->error, HCS_COM_E_FAIL);
    assert_int_equal(strlen(err.result->message), HUGE_TEXT);
    assert_string_equal(err.result->events[0].message, "matrix: huge");
    assert_non_null(strstr(err.message, "matrix: huge"));
    hcs_error_clear(&err);
    tear_down(&f);
    assert_all_given_back(before);
}

/* PROP-huge, ENUM-huge: a successful answer over 16 MiB, from a system
 * whose Owner is six million three-byte characters (12 MiB as UTF-16 on
 * the way in, under the simulator's 16 MiB input limit; 18 MB of UTF-8 on
 * the way out). The document arrives whole and intact. */
static void huge_answer(bool enumerate)
{
    enum { CHARS = 6 * 1000 * 1000 };
    hcssim_counts before = settled_counts();
    const char *head = "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Container\":{},\"Owner\":\"";
    size_t n = strlen(head) + (size_t)CHARS * 3 + 8;
    char *config = malloc(n);
    assert_non_null(config);
    strcpy(config, head);
    char *p = config + strlen(head);
    for (int i = 0; i < CHARS; i++, p += 3)
        memcpy(p, "\xE2\x82\xAC", 3); /* U+20AC EURO SIGN */
    strcpy(p, "\"}");
    const char *id = unique_id("huge");
    hcs_system sys;
    assert_int_equal(
        hcs_system_create(client, &(hcs_system_spec){.id = id, .config_json = config}, HCS_TIMEOUT_DEFAULT, &sys, NULL),
        HCS_OK);
    free(config);
    char *doc = NULL;
    if (enumerate) {
        char query[128];
        snprintf(query, sizeof query, "{\"Ids\":[\"%s\"]}", id);
        assert_int_equal(hcs_system_enumerate_json(client, query, HCS_TIMEOUT_DEFAULT, &doc, NULL), HCS_OK);
    } else {
        assert_int_equal(hcs_system_properties_json(sys, NULL, HCS_TIMEOUT_DEFAULT, &doc, NULL), HCS_OK);
    }
    size_t len = strlen(doc);
    assert_true(len > (size_t)16 * 1024 * 1024);
    const char *owner = strstr(doc, "\"Owner\":\"");
    assert_non_null(owner);
    owner += 9;
    for (int i = 0; i < CHARS; i++) /* every character came through intact */
        if (memcmp(owner + (size_t)i * 3, "\xE2\x82\xAC", 3) != 0)
            fail_msg("owner differs at character %d", i);
    assert_int_equal(owner[(size_t)CHARS * 3], '"');
    assert_non_null(strstr(doc, id));
    hcs_free(doc);
    assert_int_equal(hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL), HCS_OK);
    hcs_system_close(sys);
    assert_all_given_back(before);
}

/* ---- one test per row ----------------------------------------------------- */

/* docs/reliability.md SYS-kickoff, SYS-completion, SYS-never, SYS-malformed, SYS-huge */
static void sys_kickoff(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    kickoff(&families[SYS]);
}
static void sys_completion(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    completion(&families[SYS]);
}
static void sys_never(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    never(&families[SYS]);
}
static void sys_malformed(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    malformed(&families[SYS]);
}
static void sys_huge(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    huge(&families[SYS]);
}

/* docs/reliability.md PROP-kickoff, PROP-completion, PROP-never, PROP-malformed, PROP-huge (a huge
 * failure document and a huge answer) */
static void prop_kickoff(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    kickoff(&families[PROP]);
}
static void prop_completion(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    completion(&families[PROP]);
}
static void prop_never(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    never(&families[PROP]);
}
static void prop_malformed(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    malformed(&families[PROP]);
}
static void prop_huge(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    huge(&families[PROP]);
}
static void prop_huge_answer(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    huge_answer(false);
}

/* docs/reliability.md ENUM-kickoff, ENUM-completion, ENUM-never, ENUM-malformed, ENUM-huge (both kinds) */
static void enum_kickoff(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    kickoff(&families[ENUM]);
}
static void enum_completion(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    completion(&families[ENUM]);
}
static void enum_never(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    never(&families[ENUM]);
}
static void enum_malformed(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    malformed(&families[ENUM]);
}
static void enum_huge(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    huge(&families[ENUM]);
}
static void enum_huge_answer(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    huge_answer(true);
}

/* docs/reliability.md PCREATE-kickoff, PCREATE-completion, PCREATE-never, PCREATE-malformed, PCREATE-huge */
static void pcreate_kickoff(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    kickoff(&families[PCREATE]);
}
static void pcreate_completion(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    completion(&families[PCREATE]);
}
static void pcreate_never(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    never(&families[PCREATE]);
}
static void pcreate_malformed(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    malformed(&families[PCREATE]);
}
static void pcreate_huge(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    huge(&families[PCREATE]);
}

/* docs/reliability.md PSIG-kickoff, PSIG-completion, PSIG-never, PSIG-malformed, PSIG-huge */
static void psig_kickoff(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    kickoff(&families[PSIG]);
}
static void psig_completion(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    completion(&families[PSIG]);
}
static void psig_never(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    never(&families[PSIG]);
}
static void psig_malformed(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    malformed(&families[PSIG]);
}
static void psig_huge(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    huge(&families[PSIG]);
}

/* docs/reliability.md MOD-kickoff, MOD-completion, MOD-never, MOD-malformed, MOD-huge */
static void mod_kickoff(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    kickoff(&families[MOD]);
}
static void mod_completion(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    completion(&families[MOD]);
}
static void mod_never(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    never(&families[MOD]);
}
static void mod_malformed(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    malformed(&families[MOD]);
}
static void mod_huge(void **state)
{
    (void)state;
    NEEDS_SIMULATOR("fault plans");
    huge(&families[MOD]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(sys_kickoff, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(sys_completion, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(sys_never, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(sys_malformed, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(sys_huge, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(prop_kickoff, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(prop_completion, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(prop_never, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(prop_malformed, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(prop_huge, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(prop_huge_answer, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(enum_kickoff, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(enum_completion, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(enum_malformed, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(enum_huge, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(enum_huge_answer, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(pcreate_kickoff, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(pcreate_completion, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(pcreate_never, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(pcreate_malformed, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(pcreate_huge, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(psig_kickoff, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(psig_completion, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(psig_never, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(psig_malformed, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(psig_huge, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(mod_kickoff, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(mod_completion, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(mod_never, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(mod_malformed, reset_sim, reset_sim),
        cmocka_unit_test_setup_teardown(mod_huge, reset_sim, reset_sim),
        /* last: its operation stays pending in the simulator for good */
        cmocka_unit_test_setup_teardown(enum_never, reset_sim, reset_sim),
    };
    return cmocka_run_group_tests(tests, open_client, close_client);
}
