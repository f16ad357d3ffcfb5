/* Every public function against NULL, empty, stale, forged and wrong-kind
 * arguments: a clear error (the HRESULT, and hcs_error filled with a message
 * and the name of a real function) or the documented neutral value, never a
 * crash (docs/errors.md). The table below must have a case for every
 * function the headers export: exported_functions.h is generated from
 * include/hcs/ by the build, so a new function without a case fails here. */
#include "exported_functions.h"
#include "lib_helpers.h"

/* The handles the cases misuse, and good ones to aim them at. */
static hcs_system sys;
static hcs_process proc;
static hcs_stdio proc_io; /* proc's stdout, a live pipe */
static hcs_cq cq;
static hcs_system bad_systems[3];
static hcs_process bad_processes[3];
static hcs_client bad_clients[3];
static hcs_cq bad_cqs[3];
static hcs_op bad_ops[3];
static hcs_async good_how;
static const char *current; /* the case running, for failure messages */

#define FORGED 0x5eed000100000007ull

static void ignore_result(hcs_result *r, void *user) { (void)r, (void)user; }

static bool exported(const char *name)
{
    for (size_t i = 0; i < sizeof exported_functions / sizeof exported_functions[0]; i++)
        if (strcmp(exported_functions[i], name) == 0)
            return true;
    return false;
}

/* err->call names a public function or a computecore one (Hcs...). */
static bool real_function(const char *name)
{
    if (!name)
        return false;
    if (strncmp(name, "Hcs", 3) == 0 || strncmp(name, "Hcn", 3) == 0 || strcmp(name, "HNSCall") == 0) {
        for (const char *p = name; *p; p++)
            if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
                return false;
        return true;
    }
    return exported(name);
}

/* The call failed with want, and err says so clearly. */
static void refused(int32_t got, int32_t want, hcs_error *err)
{
    if (got != want || err->hr != want)
        fail_msg("hcs_%s: returned 0x%08X, err.hr 0x%08X, wanted 0x%08X", current, (unsigned)got, (unsigned)err->hr,
                 (unsigned)want);
    assert_non_null(err->message);
    if (!real_function(err->call))
        fail_msg("err.call \"%s\" names no function", err->call ? err->call : "(null)");
    hcs_error_clear(err);
}

#define REFUSED(expr, want) refused((expr), (want), &err)

static void noop_event(const hcs_event *e, void *user)
{
    (void)e;
    (void)user;
}
#define EACH(list, h) for (size_t i_ = 0; i_ < 3 && ((h) = (list)[i_], 1); i_++)
#define INVALID HCS_WIN32_E_INVALID_HANDLE
#define POINTER HCS_COM_E_POINTER
#define ARG HCS_COM_E_INVALIDARG

/* ---- clients and errors ------------------------------------------------- */

static void c_client_open(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_client c;
    REFUSED(hcs_client_open(NULL, NULL, &err), POINTER);
    hcs_client_options empty = {.provider = "", .namespace_id = ""}; /* "" means the default */
    hcs_client_close((hcs_client_open(&empty, &c, NULL), c));
}
static void c_client_close(void)
{
    hcs_client c;
    EACH(bad_clients, c) hcs_client_close(c);
}
static void c_client_provider(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_client c;
    char *name = NULL;
    EACH(bad_clients, c) REFUSED(hcs_client_provider(c, &name, &err), INVALID);
    assert_null(name);
    REFUSED(hcs_client_provider(client, NULL, &err), POINTER);
}
static void c_client_supports(void)
{
    hcs_client c;
    EACH(bad_clients, c) assert_false(hcs_client_supports(c, "HcsCreateComputeSystem"));
    assert_false(hcs_client_supports(client, NULL));
    assert_false(hcs_client_supports(client, ""));
}
static void c_free(void) { hcs_free(NULL); }
static void c_error_clear(void) { hcs_error_clear(NULL); }
static void c_classify(void) { assert_int_equal(hcs_classify((int32_t)0x80ABCDEF), HCS_ERROR_OTHER); }
static void c_error_kind_name(void) { assert_string_equal(hcs_error_kind_name((hcs_error_kind)999), "other"); }
static void c_hresult_name(void) { assert_null(hcs_hresult_name((int32_t)0x80ABCDEF)); }
static void c_strerror(void) { assert_non_null(hcs_strerror((int32_t)0x80ABCDEF)); }
/* No arguments to refuse: the neutral case is the answer itself. */
static void c_version(void) { assert_int_equal(hcs_version(), HCS_VERSION_NUMBER); }
static void c_version_string(void) { assert_string_equal(hcs_version_string(), HCS_VERSION_STRING); }
static void c_result_error_parse(void)
{
    hcs_result_error re;
    assert_int_equal(hcs_result_error_parse("{}", NULL), POINTER);
    assert_int_equal(hcs_result_error_parse(NULL, &re), HCS_E_INVALID_JSON);
    assert_null(re.message);
    assert_int_equal(hcs_result_error_parse("", &re), HCS_E_INVALID_JSON);
    assert_null(re.events);
}
static void c_result_error_clear(void) { hcs_result_error_clear(NULL); }

/* ---- operations and queues ---------------------------------------------- */

static void c_result_clear(void) { hcs_result_clear(NULL); }
static void c_cq_create(void)
{
    hcs_error err = HCS_ERROR_INIT;
    REFUSED(hcs_cq_create(NULL, &err), POINTER);
}
static void c_cq_pollable(void)
{
    hcs_cq q;
    EACH(bad_cqs, q) assert_int_equal(hcs_cq_pollable(q), -1);
}
static void c_cq_next(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_result r;
    hcs_cq q;
    EACH(bad_cqs, q) REFUSED(hcs_cq_next(q, 0, &r, &err), INVALID);
    REFUSED(hcs_cq_next(cq, 0, NULL, &err), POINTER);
}
static void c_cq_close(void)
{
    hcs_cq q;
    EACH(bad_cqs, q) hcs_cq_close(q);
}
static void c_op_cancel(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_op op;
    EACH(bad_ops, op) REFUSED(hcs_op_cancel(op, &err), INVALID);
}
static void c_op_properties(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_op op;
    char *doc;
    EACH(bad_ops, op) REFUSED(hcs_op_properties(op, &doc, &err), INVALID);
    REFUSED(hcs_op_properties((hcs_op){0}, NULL, &err), POINTER);
}

/* ---- systems ------------------------------------------------------------- */

static void c_system_create(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_system out;
    hcs_client c;
    EACH(bad_clients, c)
    REFUSED(hcs_system_create(c, &(hcs_system_spec){.id = "x", .config_json = CONTAINER}, 1000, &out, &err), INVALID);
    REFUSED(hcs_system_create(client, &(hcs_system_spec){.id = NULL, .config_json = CONTAINER}, 1000, &out, &err), ARG);
    REFUSED(hcs_system_create(client, &(hcs_system_spec){.id = "", .config_json = CONTAINER}, 1000, &out, &err), ARG);
    REFUSED(hcs_system_create(client, &(hcs_system_spec){.id = "x", .config_json = NULL}, 1000, &out, &err), ARG);
    REFUSED(hcs_system_create(client, &(hcs_system_spec){.id = "x", .config_json = CONTAINER}, 1000, NULL, &err),
            POINTER);
    REFUSED(hcs_system_create(client, NULL, 1000, &out, &err), ARG);
    hcs_system_spec p = {0};
    REFUSED(hcs_system_create(client, &p, 1000, &out, &err), ARG);
}
static void c_system_create_async(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_system_spec p = {.id = "x", .config_json = CONTAINER};
    hcs_client c;
    REFUSED(hcs_system_create_async(client, &p, NULL, NULL, &err), ARG);
    REFUSED(hcs_system_create_async(client, NULL, &good_how, NULL, &err), ARG);
    hcs_async neither = {0};
    REFUSED(hcs_system_create_async(client, &p, &neither, NULL, &err), ARG);
    EACH(bad_clients, c) REFUSED(hcs_system_create_async(c, &p, &good_how, NULL, &err), INVALID);
}
static void c_system_open(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_system out;
    hcs_client c;
    EACH(bad_clients, c) REFUSED(hcs_system_open(c, "x", &out, &err), INVALID);
    REFUSED(hcs_system_open(client, NULL, &out, &err), ARG);
    REFUSED(hcs_system_open(client, "x", NULL, &err), POINTER);
}

/* The blocking lifecycle calls share one shape. */
typedef int32_t (*lifecycle_fn)(hcs_system, const char *, uint32_t, hcs_error *);
static void lifecycle(lifecycle_fn fn)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_system s;
    EACH(bad_systems, s) REFUSED(fn(s, "{}", 1000, &err), INVALID);
}
static void c_system_start(void) { lifecycle(hcs_system_start); }
static void c_system_shutdown(void) { lifecycle(hcs_system_shutdown); }
static void c_system_pause(void) { lifecycle(hcs_system_pause); }

/* ---- live migration -------------------------------------------------------- */

static void c_migration_initialize(void) { lifecycle(hcs_migration_initialize); }
static void c_migration_initialize_async(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_system s;
    EACH(bad_systems, s) REFUSED(hcs_migration_initialize_async(s, NULL, &good_how, NULL, &err), INVALID);
    REFUSED(hcs_migration_initialize_async(sys, NULL, NULL, NULL, &err), ARG);
}
static void c_migration_start(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_system s;
    EACH(bad_systems, s) REFUSED(hcs_migration_start(s, HCS_MIGRATION_SOURCE, 3, 1, 1000, &err), INVALID);
    REFUSED(hcs_migration_start(sys, HCS_MIGRATION_SOURCE, -1, 1, 1000, &err), ARG);
    REFUSED(hcs_migration_start(sys, (hcs_migration_side)5, 3, 1, 1000, &err), ARG);
}
static void c_migration_start_async(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_system s;
    EACH(bad_systems, s)
    REFUSED(hcs_migration_start_async(s, HCS_MIGRATION_SOURCE, 3, 1, &good_how, NULL, &err), INVALID);
    REFUSED(hcs_migration_start_async(sys, HCS_MIGRATION_SOURCE, 3, 1, NULL, NULL, &err), ARG);
}
/* Transfer and cancel share one shape. */
typedef int32_t (*side_fn)(hcs_system, hcs_migration_side, uint32_t, hcs_error *);
typedef int32_t (*side_async_fn)(hcs_system, hcs_migration_side, const hcs_async *, hcs_op *, hcs_error *);
static void by_side(side_fn fn, side_async_fn async_fn)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_system s;
    EACH(bad_systems, s) REFUSED(fn(s, HCS_MIGRATION_DESTINATION, 1000, &err), INVALID);
    REFUSED(fn(sys, (hcs_migration_side)5, 1000, &err), ARG);
    EACH(bad_systems, s) REFUSED(async_fn(s, HCS_MIGRATION_SOURCE, &good_how, NULL, &err), INVALID);
    REFUSED(async_fn(sys, HCS_MIGRATION_SOURCE, NULL, NULL, &err), ARG);
}
static void c_migration_transfer(void) { by_side(hcs_migration_transfer, hcs_migration_transfer_async); }
static void c_migration_transfer_async(void) { c_migration_transfer(); }
static void c_migration_cancel(void) { by_side(hcs_migration_cancel, hcs_migration_cancel_async); }
static void c_migration_cancel_async(void) { c_migration_cancel(); }
static void c_migration_finalize(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_system s;
    EACH(bad_systems, s)
    REFUSED(hcs_migration_finalize(s, HCS_MIGRATION_SOURCE, HCS_MIGRATION_STOP, 1000, &err), INVALID);
    REFUSED(hcs_migration_finalize(sys, HCS_MIGRATION_SOURCE, (hcs_migration_end)4, 1000, &err), ARG);
}
static void c_migration_finalize_async(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_system s;
    EACH(bad_systems, s)
    REFUSED(hcs_migration_finalize_async(s, HCS_MIGRATION_SOURCE, HCS_MIGRATION_RESUME, &good_how, NULL, &err),
            INVALID);
    REFUSED(hcs_migration_finalize_async(sys, HCS_MIGRATION_SOURCE, HCS_MIGRATION_RESUME, NULL, NULL, &err), ARG);
}
static void c_migrate(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_system s;
    hcs_migration_spec spec = {.side = HCS_MIGRATION_SOURCE, .socket = 3, .session_id = 1};
    EACH(bad_systems, s) REFUSED(hcs_migrate(s, &spec, 1000, &err), INVALID);
    REFUSED(hcs_migrate(sys, NULL, 1000, &err), ARG);
    spec.side = (hcs_migration_side)5;
    REFUSED(hcs_migrate(sys, &spec, 1000, &err), ARG);
}
static void c_migration_compatibility(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_system s;
    hcs_schema_doc *doc;
    hcs_CompatibilityInfo *info;
    EACH(bad_systems, s) REFUSED(hcs_migration_compatibility(s, 1000, &doc, &info, &err), INVALID);
    REFUSED(hcs_migration_compatibility(sys, 1000, NULL, &info, &err), POINTER);
    REFUSED(hcs_migration_compatibility(sys, 1000, &doc, NULL, &err), POINTER);
}
static void c_system_save(void) { lifecycle(hcs_system_save); }
static void c_system_crash(void) { lifecycle(hcs_system_crash); }
static void c_system_modify(void)
{
    hcs_error err = HCS_ERROR_INIT;
    lifecycle(hcs_system_modify);
    REFUSED(hcs_system_modify(sys, NULL, 1000, &err), ARG);
}
static void c_system_terminate(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_system s;
    EACH(bad_systems, s) REFUSED(hcs_system_terminate(s, 1000, &err), INVALID);
}
static void c_system_resume(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_system s;
    EACH(bad_systems, s) REFUSED(hcs_system_resume(s, 1000, &err), INVALID);
}

typedef int32_t (*async_fn)(hcs_system, const char *, const hcs_async *, hcs_op *, hcs_error *);
static void lifecycle_async(async_fn fn)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_system s;
    hcs_op op = {FORGED};
    EACH(bad_systems, s) REFUSED(fn(s, "{}", &good_how, &op, &err), INVALID);
    assert_int_equal(op.id, 0);
    REFUSED(fn(sys, "{}", NULL, &op, &err), ARG);
    hcs_async both = {.callback = ignore_result, .cq = cq};
    REFUSED(fn(sys, "{}", &both, &op, &err), ARG);
}
static void c_system_start_async(void) { lifecycle_async(hcs_system_start_async); }
static void c_system_shutdown_async(void) { lifecycle_async(hcs_system_shutdown_async); }
static void c_system_pause_async(void) { lifecycle_async(hcs_system_pause_async); }
static void c_system_save_async(void) { lifecycle_async(hcs_system_save_async); }
static void c_system_crash_async(void) { lifecycle_async(hcs_system_crash_async); }
static void c_system_properties_async(void) { lifecycle_async(hcs_system_properties_async); }
static void c_system_modify_async(void)
{
    hcs_error err = HCS_ERROR_INIT;
    lifecycle_async(hcs_system_modify_async);
    REFUSED(hcs_system_modify_async(sys, NULL, &good_how, NULL, &err), ARG);
}
static void c_system_terminate_async(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_system s;
    EACH(bad_systems, s) REFUSED(hcs_system_terminate_async(s, &good_how, NULL, &err), INVALID);
    REFUSED(hcs_system_terminate_async(sys, NULL, NULL, &err), ARG);
}
static void c_system_resume_async(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_system s;
    EACH(bad_systems, s) REFUSED(hcs_system_resume_async(s, &good_how, NULL, &err), INVALID);
    REFUSED(hcs_system_resume_async(sys, NULL, NULL, &err), ARG);
}
static void c_system_properties_json(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_system s;
    char *out = NULL;
    EACH(bad_systems, s) REFUSED(hcs_system_properties_json(s, NULL, 1000, &out, &err), INVALID);
    assert_null(out);
    REFUSED(hcs_system_properties_json(sys, NULL, 1000, NULL, &err), POINTER);
}
static void c_system_enumerate_json(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_client c;
    char *out = NULL;
    EACH(bad_clients, c) REFUSED(hcs_system_enumerate_json(c, NULL, 1000, &out, &err), INVALID);
    REFUSED(hcs_system_enumerate_json(client, NULL, 1000, NULL, &err), POINTER);
}
static void c_system_enumerate_async(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_client c;
    EACH(bad_clients, c) REFUSED(hcs_system_enumerate_async(c, NULL, &good_how, NULL, &err), INVALID);
    REFUSED(hcs_system_enumerate_async(client, NULL, NULL, NULL, &err), ARG);
}
static void c_system_wait(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_system s;
    EACH(bad_systems, s) REFUSED(hcs_system_wait(s, 0, NULL, &err), INVALID);
}
static void c_system_stop(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_system s;
    EACH(bad_systems, s) assert_true(HCS_FAILED(hcs_system_stop(s, 100, 100, NULL, &err)) || err.hr == 0);
    hcs_error_clear(&err);
}
static void c_system_close(void)
{
    hcs_system s;
    EACH(bad_systems, s) hcs_system_close(s);
}
static void c_system_subscribe(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_system s;
    hcs_subscription sub = {FORGED};
    EACH(bad_systems, s) REFUSED(hcs_system_subscribe(s, &(hcs_event_sink){.cq = cq}, &sub, &err), INVALID);
    assert_int_equal(sub.id, 0);
    REFUSED(hcs_system_subscribe(sys, NULL, &sub, &err), ARG);
    REFUSED(hcs_system_subscribe(sys, &(hcs_event_sink){0}, &sub, &err), ARG);
    REFUSED(hcs_system_subscribe(sys, &(hcs_event_sink){.callback = noop_event, .cq = cq}, &sub, &err), ARG);
    assert_int_equal(hcs_system_subscribe(sys, &(hcs_event_sink){.cq = {FORGED}}, &sub, &err), INVALID);
    assert_string_equal(err.call, "hcs_system_subscribe");
    hcs_error_clear(&err);
}
static void c_subscription_close(void)
{
    hcs_subscription_close((hcs_subscription){0});
    hcs_subscription_close((hcs_subscription){FORGED});
    hcs_subscription_close((hcs_subscription){sys.id});
}
static void c_result_event(void)
{
    hcs_event e;
    hcs_result r = {0};
    assert_false(hcs_result_event(NULL, &e));
    assert_false(hcs_result_event(&r, NULL));
    assert_false(hcs_result_event(&r, &e));
}

/* ---- processes ----------------------------------------------------------- */

static void c_quote_argv(void)
{
    hcs_error err = HCS_ERROR_INIT;
    char *out;
    const char *empty[] = {NULL};
    REFUSED(hcs_quote_argv(NULL, &out, &err), ARG);
    REFUSED(hcs_quote_argv(empty, &out, &err), ARG);
    REFUSED(hcs_quote_argv(empty, NULL, &err), POINTER);
}
static void c_process_create(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_process out;
    hcs_system s;
    hcs_process_spec spec = {.command_line = "cmd /c exit 0"};
    EACH(bad_systems, s) REFUSED(hcs_process_create(s, &spec, 1000, &out, NULL, &err), INVALID);
    REFUSED(hcs_process_create(sys, NULL, 1000, &out, NULL, &err), ARG);
    REFUSED(hcs_process_create(sys, &spec, 1000, NULL, NULL, &err), POINTER);
    hcs_process_spec no_env = {.command_line = "cmd /c exit 0", .env_count = 2};
    REFUSED(hcs_process_create(sys, &no_env, 1000, &out, NULL, &err), ARG);
    hcs_env_var nameless[] = {{NULL, "v"}};
    hcs_process_spec bad_env = {.command_line = "cmd /c exit 0", .env = nameless, .env_count = 1};
    REFUSED(hcs_process_create(sys, &bad_env, 1000, &out, NULL, &err), ARG);
}
static void c_process_create_async(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_system s;
    hcs_process_spec spec = {.command_line = "cmd /c exit 0"};
    EACH(bad_systems, s) REFUSED(hcs_process_create_async(s, &spec, &good_how, NULL, &err), INVALID);
    REFUSED(hcs_process_create_async(sys, &spec, NULL, NULL, &err), ARG);
    REFUSED(hcs_process_create_async(sys, NULL, &good_how, NULL, &err), ARG);
}
static void c_process_open(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_system s;
    hcs_process out;
    EACH(bad_systems, s) REFUSED(hcs_process_open(s, 4, &out, &err), INVALID);
    REFUSED(hcs_process_open(sys, 4, NULL, &err), POINTER);
}
static void c_process_pid(void)
{
    hcs_process p;
    EACH(bad_processes, p) assert_int_equal(hcs_process_pid(p), 0);
}

/* Calls on a process that take (proc, timeout, err) after their own
 * arguments. */
static void c_process_signal(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_process p;
    EACH(bad_processes, p) REFUSED(hcs_process_signal(p, HCS_SIGNAL_CTRL_C, 1000, &err), INVALID);
}
static void c_process_kill(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_process p;
    EACH(bad_processes, p) REFUSED(hcs_process_kill(p, 1000, &err), INVALID);
}
static void c_process_resize(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_process p;
    EACH(bad_processes, p) REFUSED(hcs_process_resize(p, 25, 80, 1000, &err), INVALID);
}
static void c_process_close_stdin(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_process p;
    EACH(bad_processes, p) REFUSED(hcs_process_close_stdin(p, 1000, &err), INVALID);
}
static void c_process_stdio(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_process p;
    hcs_stdio io;
    EACH(bad_processes, p) REFUSED(hcs_process_stdio(p, 1000, &io, &err), INVALID);
    REFUSED(hcs_process_stdio(proc, 1000, NULL, &err), POINTER);
}
static void c_process_properties_json(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_process p;
    char *out;
    EACH(bad_processes, p) REFUSED(hcs_process_properties_json(p, 1000, &out, &err), INVALID);
    REFUSED(hcs_process_properties_json(proc, 1000, NULL, &err), POINTER);
}
static void c_process_signal_async(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_process p;
    EACH(bad_processes, p) REFUSED(hcs_process_signal_async(p, HCS_SIGNAL_CTRL_C, &good_how, NULL, &err), INVALID);
    REFUSED(hcs_process_signal_async(proc, HCS_SIGNAL_CTRL_C, NULL, NULL, &err), ARG);
}
typedef int32_t (*process_async_fn)(hcs_process, const hcs_async *, hcs_op *, hcs_error *);
static void process_async(process_async_fn fn)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_process p;
    EACH(bad_processes, p) REFUSED(fn(p, &good_how, NULL, &err), INVALID);
    REFUSED(fn(proc, NULL, NULL, &err), ARG);
}
static void c_process_kill_async(void) { process_async(hcs_process_kill_async); }
static void c_process_close_stdin_async(void) { process_async(hcs_process_close_stdin_async); }
static void c_process_properties_async(void) { process_async(hcs_process_properties_async); }
static void c_process_wait(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_process p;
    EACH(bad_processes, p) REFUSED(hcs_process_wait(p, 0, NULL, &err), INVALID);
}
static void c_process_subscribe(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_process p;
    hcs_subscription sub;
    EACH(bad_processes, p) REFUSED(hcs_process_subscribe(p, &(hcs_event_sink){.cq = cq}, &sub, &err), INVALID);
    REFUSED(hcs_process_subscribe(proc, NULL, &sub, &err), ARG);
    assert_int_equal(hcs_process_subscribe(proc, &(hcs_event_sink){.user_data = &sub}, &sub, &err), ARG);
    assert_string_equal(err.call, "hcs_process_subscribe");
    hcs_error_clear(&err);
}
static void c_process_close(void)
{
    hcs_process p;
    EACH(bad_processes, p) hcs_process_close(p);
}
static void c_pipe_close(void) { hcs_pipe_close(HCS_PIPE_NONE); }
static void c_stdio_close(void) { hcs_stdio_close(NULL); }
static void c_pipe_write(void)
{
    hcs_error err = HCS_ERROR_INIT;
    assert_true(HCS_FAILED(hcs_pipe_write(HCS_PIPE_NONE, "x", 1, &err)));
    assert_non_null(err.message);
    hcs_error_clear(&err);
    REFUSED(hcs_pipe_write(HCS_PIPE_NONE, NULL, 1, &err), ARG);
}
/* A value that names no open pipe or file on either platform. */
#define NOT_A_PIPE ((hcs_pipe)0x3ffff0)
static void pipe_async(int32_t (*fn)(hcs_pipe, void *, size_t, const hcs_async *, hcs_op *, hcs_error *))
{
    hcs_error err = HCS_ERROR_INIT;
    char buf[8];
    hcs_op op = {1};
    hcs_cq q;
    REFUSED(fn(HCS_PIPE_NONE, buf, sizeof buf, &good_how, &op, &err), ARG);
    assert_true(op.id == 0);
    REFUSED(fn(proc_io.out, buf, sizeof buf, NULL, &op, &err), ARG);
    REFUSED(fn(proc_io.out, NULL, sizeof buf, &good_how, &op, &err), ARG);
    REFUSED(fn(proc_io.out, buf, sizeof buf, &(hcs_async){0}, &op, &err), ARG);
    REFUSED(fn(proc_io.out, buf, sizeof buf, &(hcs_async){.callback = ignore_result, .cq = cq}, &op, &err), ARG);
    EACH(bad_cqs, q) REFUSED(fn(proc_io.out, buf, sizeof buf, &(hcs_async){.cq = q}, &op, &err), INVALID);
    REFUSED(fn(NOT_A_PIPE, buf, sizeof buf, &good_how, &op, &err), INVALID);
    assert_true(op.id == 0);
}
static int32_t write_async(hcs_pipe pipe, void *data, size_t size, const hcs_async *how, hcs_op *op, hcs_error *err)
{
    return hcs_pipe_write_async(pipe, data, size, how, op, err);
}
static void c_pipe_read_async(void)
{
    hcs_error err = HCS_ERROR_INIT;
    char buf[8];
    pipe_async(hcs_pipe_read_async);
    REFUSED(hcs_pipe_read_async(proc_io.out, buf, 0, &good_how, NULL, &err), ARG); /* no room */
}
static void c_pipe_write_async(void) { pipe_async(write_async); }
static void c_process_collect(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_process p;
    hcs_output out;
    hcs_stdio io = {HCS_PIPE_NONE, HCS_PIPE_NONE, HCS_PIPE_NONE};
    EACH(bad_processes, p) REFUSED(hcs_process_collect(p, &io, 16, 100, 0, &out, NULL, &err), INVALID);
    REFUSED(hcs_process_collect(proc, &io, 16, 100, 0, NULL, NULL, &err), POINTER);
}
static void c_output_clear(void) { hcs_output_clear(NULL); }

/* ---- typed properties, raw layer ----------------------------------------- */

static void c_system_properties(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_system s;
    hcs_schema_doc *doc;
    hcs_Properties *props;
    EACH(bad_systems, s) REFUSED(hcs_system_properties(s, NULL, 1000, &doc, &props, &err), INVALID);
    REFUSED(hcs_system_properties(sys, NULL, 1000, NULL, &props, &err), POINTER);
    REFUSED(hcs_system_properties(sys, NULL, 1000, &doc, NULL, &err), POINTER);
}
static void c_system_statistics(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_system s;
    hcs_schema_doc *doc;
    hcs_Statistics *st;
    EACH(bad_systems, s) REFUSED(hcs_system_statistics(s, 1000, &doc, &st, &err), INVALID);
    REFUSED(hcs_system_statistics(sys, 1000, NULL, &st, &err), POINTER);
}
static void c_process_properties(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_process p;
    hcs_schema_doc *doc;
    hcs_ProcessStatus *st;
    EACH(bad_processes, p) REFUSED(hcs_process_properties(p, 1000, &doc, &st, &err), INVALID);
    REFUSED(hcs_process_properties(proc, 1000, &doc, NULL, &err), POINTER);
}
static void c_system_enumerate(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_client c;
    hcs_schema_doc *doc;
    hcs_Properties *items;
    size_t count = 7;
    EACH(bad_clients, c) REFUSED(hcs_system_enumerate(c, NULL, 1000, &doc, &items, &count, &err), INVALID);
    assert_null(doc);
    assert_null(items);
    assert_int_equal(count, 0);
    REFUSED(hcs_system_enumerate(client, NULL, 1000, NULL, &items, &count, &err), POINTER);
    REFUSED(hcs_system_enumerate(client, NULL, 1000, &doc, NULL, &count, &err), POINTER);
    doc = (hcs_schema_doc *)&doc;
    items = (hcs_Properties *)&items;
    REFUSED(hcs_system_enumerate(client, NULL, 1000, &doc, &items, NULL, &err), POINTER);
    assert_null(doc); /* what was given is cleared */
    assert_null(items);
}
static void c_service_properties(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_client c;
    hcs_schema_doc *doc;
    hcs_ServiceProperties *props;
    EACH(bad_clients, c) REFUSED(hcs_service_properties(c, NULL, &doc, &props, &err), INVALID);
    assert_null(doc);
    assert_null(props);
    REFUSED(hcs_service_properties(client, NULL, NULL, &props, &err), POINTER);
    REFUSED(hcs_service_properties(client, NULL, &doc, NULL, &err), POINTER);
}
static void c_system_from_raw(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_client c;
    hcs_system out;
    EACH(bad_clients, c) REFUSED(hcs_system_from_raw(c, (void *)1, &out, &err), INVALID);
    assert_true(HCS_FAILED(hcs_system_from_raw(client, NULL, &out, &err)));
    hcs_error_clear(&err);
    assert_true(HCS_FAILED(hcs_system_from_raw(client, (void *)1, NULL, &err)));
    hcs_error_clear(&err);
}
static void c_system_borrow(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_system s;
    void *raw;
    hcs_guard g;
    EACH(bad_systems, s) REFUSED(hcs_system_borrow(s, &raw, &g, &err), INVALID);
    assert_true(HCS_FAILED(hcs_system_borrow(sys, NULL, &g, &err)));
    hcs_error_clear(&err);
}
static void c_guard_release(void)
{
    hcs_guard zero = {0};
    hcs_guard_release(NULL);
    hcs_guard_release(&zero);
}
static void c_system_into_raw(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_system s;
    void *raw;
    EACH(bad_systems, s) REFUSED(hcs_system_into_raw(s, &raw, &err), INVALID);
    assert_true(HCS_FAILED(hcs_system_into_raw(sys, NULL, &err)));
    hcs_error_clear(&err);
}
static void c_process_from_raw(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_system s;
    hcs_process out;
    EACH(bad_systems, s) REFUSED(hcs_process_from_raw(s, (void *)1, 4, &out, &err), INVALID);
    assert_true(HCS_FAILED(hcs_process_from_raw(sys, NULL, 4, &out, &err)));
    hcs_error_clear(&err);
}
static void c_process_borrow(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_process p;
    void *raw;
    hcs_guard g;
    EACH(bad_processes, p) REFUSED(hcs_process_borrow(p, &raw, &g, &err), INVALID);
}
static void c_process_into_raw(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_process p;
    void *raw;
    EACH(bad_processes, p) REFUSED(hcs_process_into_raw(p, &raw, &err), INVALID);
}
static void c_op_from_raw(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_client c;
    hcs_op out;
    EACH(bad_clients, c) REFUSED(hcs_op_from_raw(c, (void *)1, &good_how, &out, &err), INVALID);
    assert_true(HCS_FAILED(hcs_op_from_raw(client, NULL, &good_how, &out, &err)));
    hcs_error_clear(&err);
    assert_true(HCS_FAILED(hcs_op_from_raw(client, (void *)1, NULL, &out, &err)));
    hcs_error_clear(&err);
}
static void c_op_borrow(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_op op;
    void *raw;
    hcs_guard g;
    EACH(bad_ops, op) REFUSED(hcs_op_borrow(op, &raw, &g, &err), INVALID);
}
static void c_client_raw_function(void)
{
    hcs_client c;
    EACH(bad_clients, c) assert_null(hcs_client_raw_function(c, "HcsOpenComputeSystem"));
    assert_null(hcs_client_raw_function(client, NULL));
    assert_null(hcs_client_raw_function(client, "HcsNoSuchFunction"));
}
static void c_utf8_to_utf16(void)
{
    hcs_error err = HCS_ERROR_INIT;
    uint16_t *out;
    REFUSED(hcs_utf8_to_utf16(NULL, &out, &err), ARG);
    REFUSED(hcs_utf8_to_utf16("x", NULL, &err), POINTER);
}
static void c_utf16_to_utf8(void)
{
    hcs_error err = HCS_ERROR_INIT;
    char *out;
    const uint16_t x[] = {'x', 0};
    REFUSED(hcs_utf16_to_utf8(NULL, &out, &err), ARG);
    REFUSED(hcs_utf16_to_utf8(x, NULL, &err), POINTER);
}

/* ---- HCN (network.h) ---------------------------------------------------------- */

#define A_GUID "6A1C0D4E-2B3F-4A5B-8C9D-0E1F2A3B4C5D"

/* The calls every HCN type has: a NULL, a forged and a wrong-kind handle
 * of the type, bad clients, NULL out-pointers, ids that are no GUID. */
#define NET_CASES(T)                                                                                                   \
    static const hcs_##T bad_##T[3] = {{0}, {FORGED}, {1}};                                                            \
    static void c_##T##_enumerate(void)                                                                                \
    {                                                                                                                  \
        hcs_error err = HCS_ERROR_INIT;                                                                                \
        char *out;                                                                                                     \
        hcs_client c;                                                                                                  \
        EACH(bad_clients, c) REFUSED(hcs_##T##_enumerate(c, NULL, &out, &err), INVALID);                               \
        REFUSED(hcs_##T##_enumerate(client, NULL, NULL, &err), POINTER);                                               \
    }                                                                                                                  \
    static void c_##T##_open(void)                                                                                     \
    {                                                                                                                  \
        hcs_error err = HCS_ERROR_INIT;                                                                                \
        hcs_##T out;                                                                                                   \
        hcs_client c;                                                                                                  \
        EACH(bad_clients, c) REFUSED(hcs_##T##_open(c, A_GUID, &out, &err), INVALID);                                  \
        REFUSED(hcs_##T##_open(client, "not a guid", &out, &err), ARG);                                                \
        REFUSED(hcs_##T##_open(client, A_GUID, NULL, &err), POINTER);                                                  \
    }                                                                                                                  \
    static void c_##T##_modify(void)                                                                                   \
    {                                                                                                                  \
        hcs_error err = HCS_ERROR_INIT;                                                                                \
        hcs_##T h;                                                                                                     \
        EACH(bad_##T, h) REFUSED(hcs_##T##_modify(h, "{}", &err), INVALID);                                            \
        REFUSED(hcs_##T##_modify(bad_##T[1], NULL, &err), ARG);                                                        \
    }                                                                                                                  \
    static void c_##T##_properties_json(void)                                                                          \
    {                                                                                                                  \
        hcs_error err = HCS_ERROR_INIT;                                                                                \
        hcs_##T h;                                                                                                     \
        char *out;                                                                                                     \
        EACH(bad_##T, h) REFUSED(hcs_##T##_properties_json(h, NULL, &out, &err), INVALID);                             \
        REFUSED(hcs_##T##_properties_json(bad_##T[1], NULL, NULL, &err), POINTER);                                     \
    }                                                                                                                  \
    static void c_##T##_id(void)                                                                                       \
    {                                                                                                                  \
        hcs_error err = HCS_ERROR_INIT;                                                                                \
        hcs_##T h;                                                                                                     \
        char id[HCS_NET_ID_SIZE];                                                                                      \
        EACH(bad_##T, h) REFUSED(hcs_##T##_id(h, id, &err), INVALID);                                                  \
        REFUSED(hcs_##T##_id(bad_##T[1], NULL, &err), POINTER);                                                        \
    }                                                                                                                  \
    static void c_##T##_delete(void)                                                                                   \
    {                                                                                                                  \
        hcs_error err = HCS_ERROR_INIT;                                                                                \
        hcs_client c;                                                                                                  \
        EACH(bad_clients, c) REFUSED(hcs_##T##_delete(c, A_GUID, &err), INVALID);                                      \
        REFUSED(hcs_##T##_delete(client, NULL, &err), ARG);                                                            \
        REFUSED(hcs_##T##_delete(client, "{nope}", &err), ARG);                                                        \
    }                                                                                                                  \
    static void c_##T##_close(void)                                                                                    \
    {                                                                                                                  \
        hcs_##T h;                                                                                                     \
        EACH(bad_##T, h) hcs_##T##_close(h);                                                                           \
    }
#define NET_CREATE_CASE(T)                                                                                             \
    static void c_##T##_create(void)                                                                                   \
    {                                                                                                                  \
        hcs_error err = HCS_ERROR_INIT;                                                                                \
        hcs_##T out;                                                                                                   \
        hcs_client c;                                                                                                  \
        EACH(bad_clients, c) REFUSED(hcs_##T##_create(c, NULL, "{}", &out, &err), INVALID);                            \
        REFUSED(hcs_##T##_create(client, "not a guid", "{}", &out, &err), ARG);                                        \
        REFUSED(hcs_##T##_create(client, NULL, "{}", NULL, &err), POINTER);                                            \
    }

NET_CASES(network)
NET_CREATE_CASE(network)
NET_CASES(endpoint)
NET_CASES(namespace)
NET_CREATE_CASE(namespace)
NET_CASES(load_balancer)
NET_CREATE_CASE(load_balancer)
NET_CASES(route)
NET_CREATE_CASE(route)
NET_CASES(guest_network)
NET_CREATE_CASE(guest_network)

static void c_endpoint_create(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_endpoint out;
    hcs_network n;
    EACH(bad_network, n) REFUSED(hcs_endpoint_create(n, NULL, "{}", &out, &err), INVALID);
}
static void c_namespace_add_endpoint(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_namespace ns;
    EACH(bad_namespace, ns) REFUSED(hcs_namespace_add_endpoint(ns, A_GUID, &err), INVALID);
    REFUSED(hcs_namespace_add_endpoint(bad_namespace[1], NULL, &err), ARG);
    REFUSED(hcs_namespace_add_endpoint(bad_namespace[1], "x", &err), ARG);
}
static void c_namespace_remove_endpoint(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_namespace ns;
    EACH(bad_namespace, ns) REFUSED(hcs_namespace_remove_endpoint(ns, A_GUID, &err), INVALID);
    REFUSED(hcs_namespace_remove_endpoint(bad_namespace[1], NULL, &err), ARG);
}
static void c_port_reserve(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_guest_network g;
    hcs_port_reservation out;
    EACH(bad_guest_network, g) REFUSED(hcs_port_reserve(g, HCS_PORT_TCP, false, 80, &out, &err), INVALID);
    REFUSED(hcs_port_reserve(bad_guest_network[1], (hcs_port_protocol)0, false, 80, &out, &err), ARG);
    REFUSED(hcs_port_reserve(bad_guest_network[1], HCS_PORT_TCP, false, 80, NULL, &err), POINTER);
}
static void c_port_reserve_range(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_guest_network g;
    hcs_port_reservation out;
    uint16_t first, last;
    EACH(bad_guest_network, g) REFUSED(hcs_port_reserve_range(g, 8, &first, &last, &out, &err), INVALID);
    REFUSED(hcs_port_reserve_range(bad_guest_network[1], 8, NULL, NULL, NULL, &err), POINTER);
}
static void c_port_release(void)
{
    hcs_port_release((hcs_port_reservation){0});
    hcs_port_release((hcs_port_reservation){FORGED});
    hcs_port_release((hcs_port_reservation){client.id});
}
static void c_port_reservations(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_port_entry *entries;
    size_t count;
    hcs_client c;
    EACH(bad_clients, c) REFUSED(hcs_port_reservations(c, &entries, &count, &err), INVALID);
    REFUSED(hcs_port_reservations(client, NULL, &count, &err), POINTER);
    REFUSED(hcs_port_reservations(client, &entries, NULL, &err), POINTER);
}
static void c_network_subscribe(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_subscription sub;
    hcs_client c;
    hcs_event_sink sink = {.callback = noop_event};
    EACH(bad_clients, c) REFUSED(hcs_network_subscribe(c, &sink, &sub, &err), INVALID);
    REFUSED(hcs_network_subscribe(client, NULL, &sub, &err), ARG);
    REFUSED(hcs_network_subscribe(client, &sink, NULL, &err), ARG);
    hcs_event_sink both = {.callback = noop_event, .cq = cq};
    REFUSED(hcs_network_subscribe(client, &both, &sub, &err), ARG);
    hcs_cq q;
    EACH(bad_cqs, q)
    REFUSED(hcs_network_subscribe(client, &(hcs_event_sink){.cq = q}, &sub, &err), q.id ? INVALID : ARG);
}
static void c_network_features(void)
{
    assert_int_equal(hcs_network_features((hcs_network_version){0, 0}), 0);
    assert_int_equal(hcs_network_features((hcs_network_version){UINT32_MAX, UINT32_MAX}) & HCS_NET_FEATURE_API_V2,
                     HCS_NET_FEATURE_API_V2);
}
static void c_network_host_version(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_network_version v;
    hcs_client c;
    EACH(bad_clients, c) REFUSED(hcs_network_host_version(c, &v, &err), INVALID);
    REFUSED(hcs_network_host_version(client, NULL, &err), POINTER);
}

/* ---- schema, builders, stats, service ------------------------------------ */

static void c_schema_decode(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_schema_doc *doc;
    REFUSED(hcs_schema_decode(HCS_SCHEMA_Properties, "{}", 2, NULL, NULL, &err), POINTER);
    REFUSED(hcs_schema_decode(HCS_SCHEMA_Properties, NULL, 2, NULL, &doc, &err), ARG);
    REFUSED(hcs_schema_decode((hcs_schema_type)-1, "{}", 2, NULL, &doc, &err), ARG);
    REFUSED(hcs_schema_decode(HCS_SCHEMA_Properties, "", 0, NULL, &doc, &err), HCS_E_INVALID_JSON);
}
static void c_schema_decode_array(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_schema_doc *doc;
    size_t count;
    REFUSED(hcs_schema_decode_array(HCS_SCHEMA_Properties, "[]", 2, NULL, NULL, &count, &err), POINTER);
    REFUSED(hcs_schema_decode_array(HCS_SCHEMA_Properties, "[]", 2, NULL, &doc, NULL, &err), POINTER);
    REFUSED(hcs_schema_decode_array(HCS_SCHEMA_Properties, NULL, 2, NULL, &doc, &count, &err), ARG);
    REFUSED(hcs_schema_decode_array(HCS_SCHEMA_State, "[]", 2, NULL, &doc, &count, &err), ARG); /* an enum */
    REFUSED(hcs_schema_decode_array(HCS_SCHEMA_Properties, "{}", 2, NULL, &doc, &count, &err), HCS_E_INVALID_JSON);
    assert_null(doc);
    assert_int_equal(count, 0);
}
static void c_schema_doc_root(void) { assert_null(hcs_schema_doc_root(NULL)); }
static void c_schema_doc_free(void) { hcs_schema_doc_free(NULL); }
static void c_schema_doc_new(void) { assert_null(hcs_schema_doc_new((hcs_schema_type)-1)); }
static void c_schema_alloc(void) { assert_null(hcs_schema_alloc(NULL, 8)); }
static void c_schema_strdup(void)
{
    hcs_schema_doc *doc = hcs_schema_doc_new(HCS_SCHEMA_Properties);
    assert_null(hcs_schema_strdup(NULL, "x"));
    assert_null(hcs_schema_strdup(doc, NULL));
    hcs_schema_doc_free(doc);
}
static void c_schema_encode(void)
{
    hcs_error err = HCS_ERROR_INIT;
    char *json;
    hcs_Properties props = {0};
    REFUSED(hcs_schema_encode(HCS_SCHEMA_Properties, &props, NULL, NULL, &err), POINTER);
    REFUSED(hcs_schema_encode(HCS_SCHEMA_Properties, NULL, NULL, &json, &err), ARG);
    REFUSED(hcs_schema_encode((hcs_schema_type)-1, &props, NULL, &json, &err), ARG);
}
static void c_schema_type_info(void) { assert_null(hcs_schema_type_info((hcs_schema_type)-1)); }
static void c_schema_type_by_name(void)
{
    assert_int_equal(hcs_schema_type_by_name(NULL), -1);
    assert_int_equal(hcs_schema_type_by_name(""), -1);
}
static void c_schema_enum_string(void) { assert_null(hcs_schema_enum_string((hcs_schema_type)-1, 1)); }

static void c_build_container(void)
{
    hcs_error err = HCS_ERROR_INIT;
    char *json = NULL;
    REFUSED(hcs_build_container(NULL, &json, &err), ARG);
    hcs_container_spec spec = {.layer_count = 2, .scratch_path = "C:\\s"};
    REFUSED(hcs_build_container(&spec, &json, &err), ARG);
    hcs_container_spec dirs = {.mapped_dir_count = 1, .scratch_path = "C:\\s"};
    REFUSED(hcs_build_container(&dirs, &json, &err), ARG);
    REFUSED(hcs_build_container(&dirs, NULL, &err), ARG);
    assert_null(json);
}
static void c_build_vm(void)
{
    hcs_error err = HCS_ERROR_INIT;
    char *json;
    REFUSED(hcs_build_vm(NULL, &json, &err), ARG);
    hcs_vm_spec empty = {0};
    REFUSED(hcs_build_vm(&empty, &json, &err), ARG);
}
static void c_build_process(void)
{
    hcs_error err = HCS_ERROR_INIT;
    char *json;
    REFUSED(hcs_build_process(NULL, &json, &err), ARG);
    hcs_process_spec no_env = {.command_line = "x", .env_count = 1};
    REFUSED(hcs_build_process(&no_env, &json, &err), ARG);
}
static void c_build_modify_memory(void)
{
    hcs_error err = HCS_ERROR_INIT;
    REFUSED(hcs_build_modify_memory(1024, NULL, &err), ARG);
}
static void c_build_modify_mapped_directory(void)
{
    hcs_error err = HCS_ERROR_INIT;
    char *json;
    REFUSED(hcs_build_modify_mapped_directory(HCS_ModifyRequestType_Add, NULL, NULL, &json, &err), ARG);
}
static void c_build_modify_network_adapter(void)
{
    hcs_error err = HCS_ERROR_INIT;
    char *json;
    REFUSED(hcs_build_modify_network_adapter(HCS_ModifyRequestType_Add, NULL, NULL, NULL, NULL, &json, &err), ARG);
}
static void c_build_console_size(void)
{
    hcs_error err = HCS_ERROR_INIT;
    REFUSED(hcs_build_console_size(25, 80, NULL, &err), ARG);
}
static void c_build_close_handle(void)
{
    hcs_error err = HCS_ERROR_INIT;
    char *json;
    REFUSED(hcs_build_close_handle(HCS_StdHandle_UNLISTED, &json, &err), ARG);
    REFUSED(hcs_build_close_handle(HCS_StdHandle_StdIn, NULL, &err), ARG);
}
static void c_build_property_query(void)
{
    hcs_error err = HCS_ERROR_INIT;
    char *json;
    REFUSED(hcs_build_property_query(NULL, 2, &json, &err), ARG);
}
static void c_build_shutdown_options(void)
{
    hcs_error err = HCS_ERROR_INIT;
    char *json;
    REFUSED(hcs_build_shutdown_options(NULL, &json, &err), ARG);
}
static void c_stats_compute(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_stats out;
    hcs_Statistics s = {0};
    REFUSED(hcs_stats_compute(NULL, &s, 1, &out, &err), ARG);
    REFUSED(hcs_stats_compute(&s, &s, 1, NULL, &err), ARG);
}
static void c_stats_parse_time(void)
{
    int64_t ticks;
    assert_false(hcs_stats_parse_time(NULL, &ticks));
    assert_false(hcs_stats_parse_time("", &ticks));
    assert_false(hcs_stats_parse_time("2024-05-01T10:00:00Z", NULL));
}
static void c_service_properties_json(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_client c;
    char *out;
    EACH(bad_clients, c) REFUSED(hcs_service_properties_json(c, NULL, &out, &err), INVALID);
    REFUSED(hcs_service_properties_json(client, NULL, NULL, &err), POINTER);
}
static void c_service_schema_versions(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_client c;
    size_t count;
    hcs_schema_version v[2];
    EACH(bad_clients, c) REFUSED(hcs_service_schema_versions(c, v, 2, &count, &err), INVALID);
    REFUSED(hcs_service_schema_versions(client, NULL, 2, &count, &err), POINTER);
    REFUSED(hcs_service_schema_versions(client, v, 2, NULL, &err), POINTER);
}
static void c_service_modify(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_client c;
    EACH(bad_clients, c) REFUSED(hcs_service_modify(c, "{}", &err), INVALID);
    REFUSED(hcs_service_modify(client, NULL, &err), ARG);
}

/* ---- storage.h: NULL or empty paths, bad layer lists, bad handles ------- */

static const hcs_layer_spec bad_layers[] = {{"{6f0c1b2e-0000-4000-8000-000000000000}", "x"}};
static const hcs_layer_spec twin_layers[] = {{"6f0c1b2e-0000-4000-8000-000000000000", "a"},
                                             {"6F0C1B2E-0000-4000-8000-000000000000", "b"}};
static void c_layer_import(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_client c;
    EACH(bad_clients, c) REFUSED(hcs_layer_import(c, "a", "b", NULL, 0, &err), INVALID);
    REFUSED(hcs_layer_import(client, NULL, "b", NULL, 0, &err), ARG);
    REFUSED(hcs_layer_import(client, "a", "", NULL, 0, &err), ARG);
    REFUSED(hcs_layer_import(client, "a", "b", NULL, 1, &err), ARG);
    REFUSED(hcs_layer_import(client, "a", "b", bad_layers, 1, &err), ARG);
    REFUSED(hcs_layer_import(client, "a", "b", twin_layers, 2, &err), ARG);
    REFUSED(hcs_layer_import(client, "a", "\xff", NULL, 0, &err), HCS_WIN32_E_NO_UNICODE_TRANSLATION);
}
static void c_layer_export(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_client c;
    EACH(bad_clients, c) REFUSED(hcs_layer_export(c, "a", "b", NULL, 0, false, &err), INVALID);
    REFUSED(hcs_layer_export(client, "a", NULL, NULL, 0, true, &err), ARG);
    REFUSED(hcs_layer_export(client, "a", "b", bad_layers, 1, false, &err), ARG);
}
static void c_layer_export_legacy(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_client c;
    EACH(bad_clients, c) REFUSED(hcs_layer_export_legacy(c, "a", "b", "c", NULL, 0, &err), INVALID);
    REFUSED(hcs_layer_export_legacy(client, "a", NULL, "c", NULL, 0, &err), ARG);
    REFUSED(hcs_layer_export_legacy(client, "a", "b", "", NULL, 0, &err), ARG);
}
static void c_layer_destroy(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_client c;
    EACH(bad_clients, c) REFUSED(hcs_layer_destroy(c, "a", &err), INVALID);
    REFUSED(hcs_layer_destroy(client, NULL, &err), ARG);
    REFUSED(hcs_layer_destroy(client, "", &err), ARG);
}
static void c_layer_setup_base(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_client c;
    EACH(bad_clients, c) REFUSED(hcs_layer_setup_base(c, "a", NULL, HCS_BASE_LAYER_CONTAINER, &err), INVALID);
    REFUSED(hcs_layer_setup_base(client, NULL, NULL, HCS_BASE_LAYER_CONTAINER, &err), ARG);
    REFUSED(hcs_layer_setup_base(client, "a", NULL, HCS_BASE_LAYER_VM, &err), ARG);
    REFUSED(hcs_layer_setup_base(client, "a", (void *)1, HCS_BASE_LAYER_CONTAINER, &err), ARG);
    REFUSED(hcs_layer_setup_base(client, "a", NULL, (hcs_base_layer_type)7, &err), ARG);
}
static void c_layer_setup_base_volume(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_client c;
    EACH(bad_clients, c) REFUSED(hcs_layer_setup_base_volume(c, "a", "v", HCS_BASE_LAYER_VM, &err), INVALID);
    REFUSED(hcs_layer_setup_base_volume(client, "a", NULL, HCS_BASE_LAYER_VM, &err), ARG);
    REFUSED(hcs_layer_setup_base_volume(client, "a", "v", (hcs_base_layer_type)-1, &err), ARG);
}
static void c_layer_init_writable(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_client c;
    EACH(bad_clients, c) REFUSED(hcs_layer_init_writable(c, "a", NULL, 0, &err), INVALID);
    REFUSED(hcs_layer_init_writable(client, "", NULL, 0, &err), ARG);
    REFUSED(hcs_layer_init_writable(client, "a", twin_layers, 2, &err), ARG);
}
static void c_layer_init_legacy_writable(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_client c;
    EACH(bad_clients, c) REFUSED(hcs_layer_init_legacy_writable(c, "a", "b", NULL, 0, NULL, &err), INVALID);
    REFUSED(hcs_layer_init_legacy_writable(client, "a", NULL, NULL, 0, NULL, &err), ARG);
}
static void c_layer_attach_filter(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_client c;
    EACH(bad_clients, c) REFUSED(hcs_layer_attach_filter(c, "a", NULL, 0, &err), INVALID);
    REFUSED(hcs_layer_attach_filter(client, NULL, NULL, 0, &err), ARG);
    REFUSED(hcs_layer_attach_filter(client, "a", bad_layers, 1, &err), ARG);
}
static void c_layer_detach_filter(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_client c;
    EACH(bad_clients, c) REFUSED(hcs_layer_detach_filter(c, "a", &err), INVALID);
    REFUSED(hcs_layer_detach_filter(client, NULL, &err), ARG);
}
static void c_layer_attach_overlay(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_client c;
    EACH(bad_clients, c) REFUSED(hcs_layer_attach_overlay(c, "v", NULL, 0, HCS_FILTER_UNIONFS, &err), INVALID);
    REFUSED(hcs_layer_attach_overlay(client, NULL, NULL, 0, HCS_FILTER_UNIONFS, &err), ARG);
    REFUSED(hcs_layer_attach_overlay(client, "v", NULL, 0, (hcs_filter_type)9, &err), ARG);
}
static void c_layer_detach_overlay(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_client c;
    EACH(bad_clients, c) REFUSED(hcs_layer_detach_overlay(c, "v", HCS_FILTER_WCIFS, &err), INVALID);
    REFUSED(hcs_layer_detach_overlay(client, "", HCS_FILTER_WCIFS, &err), ARG);
    REFUSED(hcs_layer_detach_overlay(client, "v", (hcs_filter_type)2, &err), ARG);
}
static void c_vhd_format(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_client c;
    EACH(bad_clients, c) REFUSED(hcs_vhd_format(c, (void *)1, &err), INVALID);
    REFUSED(hcs_vhd_format(client, NULL, &err), ARG);
}
static void c_vhd_mount_path(void)
{
    hcs_error err = HCS_ERROR_INIT;
    hcs_client c;
    char *out;
    EACH(bad_clients, c) REFUSED(hcs_vhd_mount_path(c, (void *)1, &out, &err), INVALID);
    REFUSED(hcs_vhd_mount_path(client, (void *)1, NULL, &err), POINTER);
    REFUSED(hcs_vhd_mount_path(client, NULL, &out, &err), ARG);
}

/* ---- the table and its coverage ------------------------------------------ */

#define CASE(fn)                                                                                                       \
    {                                                                                                                  \
#fn, c_##fn                                                                                                    \
    }
static const struct bad_case {
    const char *function; /* without the hcs_ prefix in CASE, with it here */
    void (*run)(void);
} raw_cases[] = {
    CASE(client_open),
    CASE(client_close),
    CASE(client_provider),
    CASE(client_supports),
    CASE(free),
    CASE(error_clear),
    CASE(classify),
    CASE(error_kind_name),
    CASE(hresult_name),
    CASE(strerror),
    CASE(version),
    CASE(version_string),
    CASE(result_error_parse),
    CASE(result_error_clear),
    CASE(result_clear),
    CASE(cq_create),
    CASE(cq_pollable),
    CASE(cq_next),
    CASE(cq_close),
    CASE(op_cancel),
    CASE(op_properties),
    CASE(system_create),
    CASE(system_create_async),
    CASE(system_open),
    CASE(system_start),
    CASE(system_shutdown),
    CASE(system_terminate),
    CASE(system_pause),
    CASE(migration_initialize),
    CASE(migration_initialize_async),
    CASE(migration_start),
    CASE(migration_start_async),
    CASE(migration_transfer),
    CASE(migration_transfer_async),
    CASE(migration_finalize),
    CASE(migration_finalize_async),
    CASE(migration_cancel),
    CASE(migration_cancel_async),
    CASE(migration_compatibility),
    CASE(migrate),
    CASE(system_resume),
    CASE(system_save),
    CASE(system_crash),
    CASE(system_modify),
    CASE(system_start_async),
    CASE(system_shutdown_async),
    CASE(system_terminate_async),
    CASE(system_pause_async),
    CASE(system_resume_async),
    CASE(system_save_async),
    CASE(system_crash_async),
    CASE(system_modify_async),
    CASE(system_properties_json),
    CASE(system_properties_async),
    CASE(system_enumerate_json),
    CASE(system_enumerate_async),
    CASE(system_wait),
    CASE(system_stop),
    CASE(system_close),
    CASE(system_subscribe),
    CASE(subscription_close),
    CASE(result_event),
    CASE(quote_argv),
    CASE(process_create),
    CASE(process_create_async),
    CASE(process_open),
    CASE(process_pid),
    CASE(process_signal),
    CASE(process_kill),
    CASE(process_resize),
    CASE(process_close_stdin),
    CASE(process_stdio),
    CASE(process_properties_json),
    CASE(process_signal_async),
    CASE(process_kill_async),
    CASE(process_close_stdin_async),
    CASE(process_properties_async),
    CASE(process_wait),
    CASE(process_subscribe),
    CASE(process_close),
    CASE(pipe_close),
    CASE(stdio_close),
    CASE(pipe_write),
    CASE(pipe_read_async),
    CASE(pipe_write_async),
    CASE(process_collect),
    CASE(output_clear),
    CASE(system_properties),
    CASE(system_statistics),
    CASE(process_properties),
    CASE(system_enumerate),
    CASE(service_properties),
    CASE(system_from_raw),
    CASE(system_borrow),
    CASE(guard_release),
    CASE(system_into_raw),
    CASE(process_from_raw),
    CASE(process_borrow),
    CASE(process_into_raw),
    CASE(op_from_raw),
    CASE(op_borrow),
    CASE(client_raw_function),
    CASE(utf8_to_utf16),
    CASE(utf16_to_utf8),
    CASE(schema_decode),
    CASE(schema_decode_array),
    CASE(schema_doc_root),
    CASE(schema_doc_free),
    CASE(schema_doc_new),
    CASE(schema_alloc),
    CASE(schema_strdup),
    CASE(schema_encode),
    CASE(schema_type_info),
    CASE(schema_type_by_name),
    CASE(schema_enum_string),
    CASE(build_container),
    CASE(build_vm),
    CASE(build_process),
    CASE(build_modify_memory),
    CASE(build_modify_mapped_directory),
    CASE(build_modify_network_adapter),
    CASE(build_console_size),
    CASE(build_close_handle),
    CASE(build_property_query),
    CASE(build_shutdown_options),
    CASE(stats_compute),
    CASE(stats_parse_time),
    CASE(service_properties_json),
    CASE(service_schema_versions),
    CASE(service_modify),
    CASE(layer_import),
    CASE(layer_export),
    CASE(layer_export_legacy),
    CASE(layer_destroy),
    CASE(layer_setup_base),
    CASE(layer_setup_base_volume),
    CASE(layer_init_writable),
    CASE(layer_init_legacy_writable),
    CASE(layer_attach_filter),
    CASE(layer_detach_filter),
    CASE(layer_attach_overlay),
    CASE(layer_detach_overlay),
    CASE(vhd_format),
    CASE(vhd_mount_path),
    CASE(network_enumerate),
    CASE(network_create),
    CASE(network_open),
    CASE(network_modify),
    CASE(network_properties_json),
    CASE(network_id),
    CASE(network_delete),
    CASE(network_close),
    CASE(endpoint_enumerate),
    CASE(endpoint_create),
    CASE(endpoint_open),
    CASE(endpoint_modify),
    CASE(endpoint_properties_json),
    CASE(endpoint_id),
    CASE(endpoint_delete),
    CASE(endpoint_close),
    CASE(namespace_enumerate),
    CASE(namespace_create),
    CASE(namespace_open),
    CASE(namespace_modify),
    CASE(namespace_properties_json),
    CASE(namespace_id),
    CASE(namespace_delete),
    CASE(namespace_close),
    CASE(load_balancer_enumerate),
    CASE(load_balancer_create),
    CASE(load_balancer_open),
    CASE(load_balancer_modify),
    CASE(load_balancer_properties_json),
    CASE(load_balancer_id),
    CASE(load_balancer_delete),
    CASE(load_balancer_close),
    CASE(route_enumerate),
    CASE(route_create),
    CASE(route_open),
    CASE(route_modify),
    CASE(route_properties_json),
    CASE(route_id),
    CASE(route_delete),
    CASE(route_close),
    CASE(guest_network_enumerate),
    CASE(guest_network_create),
    CASE(guest_network_open),
    CASE(guest_network_modify),
    CASE(guest_network_properties_json),
    CASE(guest_network_id),
    CASE(guest_network_delete),
    CASE(guest_network_close),
    CASE(namespace_add_endpoint),
    CASE(namespace_remove_endpoint),
    CASE(port_reserve),
    CASE(port_reserve_range),
    CASE(port_release),
    CASE(port_reservations),
    CASE(network_subscribe),
    CASE(network_features),
    CASE(network_host_version),
};
enum { CASE_COUNT = sizeof raw_cases / sizeof raw_cases[0] };

static const struct bad_case *case_of(const char *function)
{
    if (strncmp(function, "hcs_", 4) != 0)
        return NULL;
    for (size_t i = 0; i < CASE_COUNT; i++)
        if (strcmp(raw_cases[i].function, function + 4) == 0)
            return &raw_cases[i];
    return NULL;
}

/* Every exported function has a case, and every case an exported function. */
static void every_function_has_a_case(void **state)
{
    (void)state;
    size_t n = sizeof exported_functions / sizeof exported_functions[0];
    assert_true(n > 100); /* the extraction found the headers' functions */
    for (size_t i = 0; i < n; i++)
        if (!case_of(exported_functions[i]))
            fail_msg("%s has no case in test_bad_args's table", exported_functions[i]);
    for (size_t i = 0; i < CASE_COUNT; i++) {
        char name[64];
        snprintf(name, sizeof name, "hcs_%s", raw_cases[i].function);
        if (!exported(name))
            fail_msg("the case %s names no exported function", name);
    }
}

static void every_case_is_refused_clearly(void **state)
{
    (void)state;
    NEEDS_DOCUMENT(CONTAINER); /* set_up made its handles from one */
    for (size_t i = 0; i < CASE_COUNT; i++) {
        current = raw_cases[i].function;
        raw_cases[i].run();
    }
}

static int set_up(void **state)
{
    if (open_client(state) != 0)
        return -1;
    if (!test_has_document(TEST_CONTAINER)) { /* system mode without one: the case that needs it skips */
        proc_io = (hcs_stdio){.in = HCS_PIPE_NONE, .out = HCS_PIPE_NONE, .err = HCS_PIPE_NONE};
        return 0;
    }
    sys = running_system("badargs", CONTAINER);
    hcs_process_spec spec = {.command_line = "ping -n 1000 127.0.0.1", .create_stdout = true};
    assert_int_equal(hcs_process_create(sys, &spec, HCS_TIMEOUT_DEFAULT, &proc, &proc_io, NULL), HCS_OK);
    assert_int_equal(hcs_cq_create(&cq, NULL), HCS_OK);
    good_how = (hcs_async){.callback = ignore_result};
    /* stale: closed handles of each kind; forged: an id never issued;
     * wrong kind: a live handle of another kind. */
    hcs_system gone_sys;
    assert_int_equal(hcs_system_open(client, "no-such", &gone_sys, NULL) != HCS_OK, 1);
    assert_int_equal(hcs_system_create(client, &(hcs_system_spec){.id = unique_id("gone"), .config_json = CONTAINER},
                                       HCS_TIMEOUT_DEFAULT, &gone_sys, NULL),
                     HCS_OK);
    hcs_system_terminate(gone_sys, HCS_TIMEOUT_DEFAULT, NULL);
    hcs_system_close(gone_sys);
    hcs_process gone_proc;
    hcs_process_spec quick = {.command_line = "cmd /c exit 0"};
    assert_int_equal(hcs_process_create(sys, &quick, HCS_TIMEOUT_DEFAULT, &gone_proc, NULL, NULL), HCS_OK);
    hcs_process_close(gone_proc);
    hcs_client gone_client;
    hcs_client_options opts = {.provider = TEST_PROVIDER};
    assert_int_equal(hcs_client_open(&opts, &gone_client, NULL), HCS_OK);
    hcs_client_close(gone_client);
    hcs_cq gone_cq;
    assert_int_equal(hcs_cq_create(&gone_cq, NULL), HCS_OK);
    hcs_cq_close(gone_cq);
    memcpy(bad_systems, (hcs_system[]){gone_sys, {FORGED}, {client.id}}, sizeof bad_systems);
    memcpy(bad_processes, (hcs_process[]){gone_proc, {FORGED}, {sys.id}}, sizeof bad_processes);
    memcpy(bad_clients, (hcs_client[]){gone_client, {FORGED}, {sys.id}}, sizeof bad_clients);
    memcpy(bad_cqs, (hcs_cq[]){gone_cq, {FORGED}, {sys.id}}, sizeof bad_cqs);
    memcpy(bad_ops, (hcs_op[]){{0}, {FORGED}, {sys.id}}, sizeof bad_ops);
    return 0;
}

static int tear_down(void **state)
{
    hcs_stdio_close(&proc_io);
    hcs_process_kill(proc, HCS_TIMEOUT_DEFAULT, NULL);
    hcs_process_close(proc);
    hcs_system_terminate(sys, HCS_TIMEOUT_DEFAULT, NULL);
    hcs_system_close(sys);
    hcs_cq_close(cq);
    return close_client(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_function_has_a_case),
        cmocka_unit_test(every_case_is_refused_clearly),
    };
    return cmocka_run_group_tests_name("libhcs bad arguments", tests, set_up, tear_down);
}
