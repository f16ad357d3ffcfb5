/* hcsctl's newer verbs as a demanding user sees them, written only from what
 * a user has: README.md ("hcsctl"), docs/hcsctl.md, `hcsctl VERB --help`
 * and docs/hcssimd.md. Every check cites the sentence it rests on; where the
 * documents are silent it checks only for a clear error, no crash and no
 * hang, and says so.
 *
 * Runs hcsctl (spawn.c) against a private hcssimd: layer, network,
 * endpoint, namespace, create --container --layer --network and rm, migrate. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#ifdef _WIN32
#include <direct.h>
#define MKDIR(p) _mkdir(p)
#else
#include <unistd.h>
#define MKDIR(p) mkdir((p), 0755)
#endif

#include "parse_json.h"
#include "spawn.h"

/* ------------------------------------------------------------------ helpers */

static char *dup_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* mkdir -p */
static void mkdirs(const char *path)
{
    char *p = strdup(path);
    assert_non_null(p);
    for (char *c = p + 1; *c; c++) {
        if (*c == '/' || *c == '\\') {
            char keep = *c;
            *c = 0;
            MKDIR(p);
            *c = keep;
        }
    }
    MKDIR(p);
    free(p);
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A fresh folder of the scratch area; free() it. */
static char *scratch_dir(const char *stem)
{
    char *d = scratch_file(stem);
    assert_non_null(d);
    mkdirs(d);
    assert_true(is_dir(d));
    return d;
}

static bool contains_ci(const char *hay, const char *needle)
{
    if (!hay || !needle)
        return false;
    size_t n = strlen(needle);
    for (const char *h = hay; *h; h++) {
        size_t i = 0;
        while (i < n && h[i] && (h[i] | 0x20) == (needle[i] | 0x20))
            i++;
        if (i == n)
            return true;
    }
    return false;
}

/* The first line of stdout without its end, in buf. */
static const char *first_line(const char *text, char *buf, size_t size)
{
    size_t n = 0;
    while (text && text[n] && text[n] != '\n' && text[n] != '\r' && n + 1 < size) {
        buf[n] = text[n];
        n++;
    }
    buf[n] = 0;
    return buf;
}

/* README "exit code": 1 an HCS call failed, "the message names the cause
 * and the fix"; 2 "a bad command line". A failure is never a crash (a
 * signal: 128 + N), and it says what went wrong on stderr, starting with
 * hcsctl's name (README: "hcsctl: no compute system 'web1' ..."), in its
 * first line. Sanitizers must have nothing to report. */
static void assert_clear_error(const run_result *r, int line)
{
    if (r->status == 0 || r->status >= 124)
        fail_msg("line %d: exit %d, wanted a failure (1 or 2); stderr: %s", line, r->status, r->err);
    if (!r->err || strncmp(r->err, "hcsctl", 6) != 0 || strlen(r->err) < 16)
        fail_msg("line %d: no clear error on stderr: '%s'", line, r->err ? r->err : "");
    if (strstr(r->err, "Sanitizer") || strstr(r->err, "runtime error"))
        fail_msg("line %d: sanitizer report: %s", line, r->err);
}
#define CLEAR_ERROR(r) assert_clear_error((r), __LINE__)

/* hcsctl ARGS... must fail with `status` and a clear error. */
#define FAILS(status, r, ...)                                                                                          \
    do {                                                                                                               \
        HCSCTL_EXITS(status, r, __VA_ARGS__);                                                                          \
        CLEAR_ERROR(r);                                                                                                \
        run_result_clear(r);                                                                                           \
    } while (0)

static void no_sanitizer_report(const run_result *r)
{
    if (r->err && (strstr(r->err, "Sanitizer") || strstr(r->err, "runtime error")))
        fail_msg("sanitizer report: %s", r->err);
}

/* The element of a JSON array whose "ID" is id (HCN's ids: any case). */
static json_t *find_by_id(json_t *array, const char *id)
{
    size_t i;
    json_t *el;
    json_array_foreach(array, i, el)
    {
        const char *v = json_string_value(json_object_get(el, "ID"));
        if (v && strlen(v) == strlen(id) && contains_ci(v, id))
            return el;
    }
    return NULL;
}

/* `hcsctl KIND ls --json`, parsed: an array (docs/hcsctl.md, JSON: "an
 * array of HCN's V2 documents"). */
static json_t *ls_json(const char *kind)
{
    run_result r = {0};
    HCSCTL_EXITS(0, &r, kind, "ls", "--json");
    json_t *doc = parse_json(r.out);
    assert_true(json_is_array(doc));
    run_result_clear(&r);
    return doc;
}

/* Is an object of KIND with this id (or for an endpoint, this Name) in ls? */
static bool listed(const char *kind, const char *id)
{
    json_t *a = ls_json(kind);
    bool found = find_by_id(a, id) != NULL;
    json_decref(a);
    return found;
}

static bool endpoint_named(const char *name)
{
    json_t *a = ls_json("endpoint");
    size_t i;
    json_t *el;
    bool found = false;
    json_array_foreach(a, i, el)
    {
        const char *v = json_string_value(json_object_get(el, "Name"));
        if (v && strcmp(v, name) == 0)
            found = true;
    }
    json_decref(a);
    return found;
}

static size_t count_of(const char *kind)
{
    json_t *a = ls_json(kind);
    size_t n = json_array_size(a);
    json_decref(a);
    return n;
}

/* Creates a network, returns its id (free()). */
static char *make_network(const char *name)
{
    run_result r = {0};
    HCSCTL_EXITS(0, &r, "network", "create", name);
    char buf[128];
    char *id = strdup(first_line(r.out, buf, sizeof buf));
    run_result_clear(&r);
    assert_true(strlen(id) == 36);
    return id;
}

static char *make_endpoint(const char *network)
{
    run_result r = {0};
    HCSCTL_EXITS(0, &r, "endpoint", "create", network);
    char buf[128];
    char *id = strdup(first_line(r.out, buf, sizeof buf));
    run_result_clear(&r);
    assert_true(strlen(id) == 36);
    return id;
}

static char *make_namespace(void)
{
    run_result r = {0};
    HCSCTL_EXITS(0, &r, "namespace", "create");
    char buf[128];
    char *id = strdup(first_line(r.out, buf, sizeof buf));
    run_result_clear(&r);
    assert_true(strlen(id) == 36);
    return id;
}

/* Layers for the tests: base (Files/Windows) and app on it, imported from
 * transport folders (layer --help: "'import' unpacks a layer in transport
 * format (Files, Hives, tombstones.txt ...) from SOURCE into the folder
 * LAYER, created if missing"). */
typedef struct layers {
    char *dir, *base, *app;
} layers;

static void make_layers(layers *l, const char *stem)
{
    run_result r = {0};
    l->dir = scratch_dir(stem);
    char *src_base = dup_printf("%s/src/base/Files/Windows", l->dir);
    char *src_app = dup_printf("%s/src/app/Files/app", l->dir);
    mkdirs(src_base);
    mkdirs(src_app);
    char *f = dup_printf("%s/win.ini", src_base);
    assert_true(write_file(f, "[windows]\n"));
    free(f);
    f = dup_printf("%s/a.txt", src_app);
    assert_true(write_file(f, "app\n"));
    free(f);
    free(src_base);
    free(src_app);
    /* Folder names unique over the run: ids derive from the folder's name
     * (docs/hcsctl.md, "Layer ids"). */
    l->base = dup_printf("%s/%s-base", l->dir, stem);
    l->app = dup_printf("%s/%s-app", l->dir, stem);
    char *sb = dup_printf("%s/src/base", l->dir), *sa = dup_printf("%s/src/app", l->dir);
    HCSCTL_EXITS(0, &r, "layer", "import", l->base, sb);
    run_result_clear(&r);
    HCSCTL_EXITS(0, &r, "layer", "import", l->app, sa, "--parent", l->base);
    run_result_clear(&r);
    free(sb);
    free(sa);
}

static void free_layers(layers *l)
{
    free(l->dir);
    free(l->base);
    free(l->app);
}

/* -------------------------------------------------------------- usage */

/* README: exit code 2 is "a bad command line". */
static void network_usage_errors(void **state)
{
    (void)state;
    run_result r = {0};
    FAILS(2, &r, "network", "bogus");                                               /* no such subcommand */
    FAILS(2, &r, "network", "create");                                              /* create NAME: missing */
    FAILS(2, &r, "network", "create", "a", "b");                                    /* extra */
    FAILS(2, &r, "network", "inspect");                                             /* inspect NETWORK */
    FAILS(2, &r, "network", "inspect", "a", "b");                                   /* inspect takes one */
    FAILS(2, &r, "network", "ls", "extra");                                         /* ls takes none */
    FAILS(2, &r, "network", "rm");                                                  /* rm NETWORK... */
    FAILS(2, &r, "network", "ls", "--frob");                                        /* unknown option */
    FAILS(2, &r, "network", "create", "u1", "--type", "NAT", "--type", "L2Bridge"); /* given twice */
    FAILS(2, &r, "endpoint", "bogus");
    FAILS(2, &r, "endpoint", "create");
    FAILS(2, &r, "endpoint", "attach", "x"); /* attach ID NAMESPACE */
    FAILS(2, &r, "endpoint", "detach", "x", "y", "z");
    FAILS(2, &r, "endpoint", "inspect");
    FAILS(2, &r, "endpoint", "rm");
    FAILS(2, &r, "endpoint", "ls", "--network");  /* option without its value */
    FAILS(2, &r, "namespace", "create", "extra"); /* namespace (ls | create | rm ID...) */
    FAILS(2, &r, "namespace", "rm");
    FAILS(2, &r, "namespace", "bogus");
    FAILS(2, &r, "layer", "bogus");
    FAILS(2, &r, "layer", "import", "a"); /* import LAYER SOURCE */
    FAILS(2, &r, "layer", "import", "a", "b", "c");
    FAILS(2, &r, "layer", "export", "a");                  /* export LAYER FOLDER */
    FAILS(2, &r, "layer", "mount");                        /* mount (SCRATCH | --vhd FILE) */
    FAILS(2, &r, "layer", "mount", "s", "--vhd", "f.vhd"); /* not both */
    FAILS(2, &r, "layer", "unmount");
    FAILS(2, &r, "layer", "mount", "s", "--parent", ""); /* --parent: PATH or ID=PATH */
    FAILS(2, &r, "layer", "rm", "--frob", "x");
}

/* README: 2 is "a bad command line". Docs are silent on the wording; a
 * demanding user asks for a message about what is missing: these verbs take
 * a subcommand, not a system. */
static void bare_verb_names_subcommand(void **state)
{
    (void)state;
    const char *verbs[] = {"network", "endpoint", "namespace", "layer"};
    for (size_t i = 0; i < sizeof verbs / sizeof *verbs; i++) {
        run_result r = {0};
        HCSCTL_EXITS(2, &r, verbs[i]);
        CLEAR_ERROR(&r);
        char buf[256];
        first_line(r.err, buf, sizeof buf);
        run_result_clear(&r);
        if (contains_ci(buf, "system") || !contains_ci(buf, "subcommand"))
            fail_msg("hcsctl %s: the error should ask for a subcommand, not '%s'", verbs[i], buf);
    }
}

/* -------------------------------------------------------------- network */

/* docs/hcsctl.md JSON: "`network create` ... the new object's V2 document
 * instead of its id"; "`network ls` ... an array of HCN's V2 documents";
 * network --help: "ls prints ID, NAME, TYPE and SUBNET; create ... prints its
 * id; inspect prints its V2 document"; docs/hcsctl.md: "A network is named by
 * id or by `Name`". */
static void network_json_matches_text(void **state)
{
    (void)state;
    run_result r = {0};
    HCSCTL_EXITS(0, &r, "network", "create", "user-j1", "--json");
    json_t *doc = parse_json(r.out);
    run_result_clear(&r);
    assert_string_equal(json_string_value(json_object_get(doc, "Name")), "user-j1");
    const char *id = json_string_value(json_object_get(doc, "ID"));
    assert_non_null(id);
    /* "SchemaVersion 2.0" (docs/hcsctl.md: create's documents) */
    assert_int_equal(json_integer_value(json_object_get(json_object_get(doc, "SchemaVersion"), "Major")), 2);

    json_t *all = ls_json("network");
    json_t *el = find_by_id(all, id);
    assert_non_null(el);
    assert_string_equal(json_string_value(json_object_get(el, "Name")), "user-j1");

    HCSCTL_EXITS(0, &r, "network", "ls");
    assert_true(strstr(r.out, id) != NULL);
    assert_true(strstr(r.out, "user-j1") != NULL);
    assert_true(strstr(r.out, "NAME") != NULL && strstr(r.out, "SUBNET") != NULL);
    run_result_clear(&r);

    /* inspect by name and by id: the same document */
    HCSCTL_EXITS(0, &r, "network", "inspect", "user-j1");
    json_t *by_name = parse_json(r.out);
    run_result_clear(&r);
    HCSCTL_EXITS(0, &r, "network", "inspect", id);
    json_t *by_id = parse_json(r.out);
    run_result_clear(&r);
    assert_true(json_equal(by_name, by_id));
    assert_string_equal(json_string_value(json_object_get(by_id, "ID")), id);

    /* create without --json prints the id alone */
    char *id2 = make_network("user-j2");
    assert_true(listed("network", id2));
    HCSCTL_EXITS(0, &r, "network", "rm", id2);
    run_result_clear(&r);
    assert_false(listed("network", id2));
    HCSCTL_EXITS(0, &r, "network", "rm", "user-j1");
    run_result_clear(&r);
    assert_false(listed("network", id));
    json_decref(all);
    json_decref(doc);
    json_decref(by_name);
    json_decref(by_id);
    free(id2);
}

/* docs/hcsctl.md (Reports): `already_exists` is exit 1 with a message;
 * network --help: "A NETWORK is an id or a name" (an unknown one: exit 1,
 * "not_found"). */
static void network_unknown_and_duplicate(void **state)
{
    (void)state;
    run_result r = {0};
    char *id = make_network("user-dup");
    HCSCTL_EXITS(1, &r, "network", "create", "user-dup");
    CLEAR_ERROR(&r);
    assert_true(strstr(r.err, "user-dup") != NULL);
    run_result_clear(&r);
    HCSCTL_EXITS(1, &r, "network", "inspect", "user-nope");
    CLEAR_ERROR(&r);
    assert_true(strstr(r.err, "user-nope") != NULL);
    run_result_clear(&r);
    FAILS(1, &r, "network", "rm", "user-nope");
    FAILS(1, &r, "network", "inspect", "00000000-0000-0000-0000-0000000000aa");
    FAILS(1, &r, "network", "create", "user-badtype", "--type", "Bogus");
    FAILS(1, &r, "network", "create", "user-badsubnet", "--subnet", "garbage");
    assert_true(listed("network", id));
    HCSCTL_EXITS(0, &r, "network", "rm", id);
    run_result_clear(&r);
    free(id);
}

/* Docs are silent on empty names; the brief asks for a clear error rather
 * than a network no name can reach ("create makes a network named NAME",
 * network --help). */
static void network_empty_name(void **state)
{
    (void)state;
    run_result r = {0};
    int st = run_hcsctl(NULL, &r, "network", "create", "", NULL);
    if (st == 0) {
        char buf[64];
        char *id = strdup(first_line(r.out, buf, sizeof buf));
        run_result_clear(&r);
        run_hcsctl(NULL, &r, "network", "rm", id, NULL);
        run_result_clear(&r);
        free(id);
        fail_msg("network create \"\" made a network without a name (exit 0)");
    }
    CLEAR_ERROR(&r);
    run_result_clear(&r);
}

/* Docs silent on limits: a 5000-byte name and bytes that are no UTF-8 give
 * either a network or a clear error, no crash. */
static void network_long_and_binary_names(void **state)
{
    (void)state;
    run_result r = {0};
    char *longname = malloc(5001);
    memset(longname, 'x', 5000);
    longname[5000] = 0;
    int st = run_hcsctl(NULL, &r, "network", "create", longname, NULL);
    no_sanitizer_report(&r);
    if (st == 0) {
        run_result_clear(&r);
        HCSCTL_EXITS(0, &r, "network", "rm", longname);
    } else {
        CLEAR_ERROR(&r);
    }
    run_result_clear(&r);
    free(longname);
#ifndef _WIN32 /* a Windows command line is UTF-16: no stray bytes reach hcsctl.exe */
    st = run_hcsctl(NULL, &r, "network", "create", "user-\xff\xfe", NULL);
    no_sanitizer_report(&r);
    if (st == 0) {
        run_result_clear(&r);
        HCSCTL_EXITS(0, &r, "network", "rm", "user-\xff\xfe");
    } else {
        CLEAR_ERROR(&r);
        assert_true(st == 1 || st == 2);
    }
    run_result_clear(&r);
#endif
}

/* network --help: "--gateway IP  create: the subnet's default route", and
 * the synopsis `[--subnet CIDR [--gateway IP]]`: a gateway belongs to a
 * subnet given. Alone it is a bad command line (README: exit 2) or else must
 * be the route; it must not be dropped silently. */
static void network_gateway_without_subnet(void **state)
{
    (void)state;
    run_result r = {0};
    int st = run_hcsctl(NULL, &r, "network", "create", "user-gw", "--gateway", "10.9.0.1", NULL);
    run_result_clear(&r);
    if (st == 0) {
        HCSCTL_EXITS(0, &r, "network", "inspect", "user-gw");
        bool routed = strstr(r.out, "10.9.0.1") != NULL;
        run_result_clear(&r);
        HCSCTL_EXITS(0, &r, "network", "rm", "user-gw");
        run_result_clear(&r);
        if (!routed)
            fail_msg("network create --gateway 10.9.0.1 without --subnet: exit 0 and the gateway ignored");
    }
}

/* docs/hcsctl.md: "HCN refuses the others (... a network with endpoints,
 * `HCN_E_ENTITY_HAS_REFERENCES`) and hcsctl prints libhcs's message with the
 * code's name and exits 1"; network --help: "rm deletes networks, which HCN
 * refuses while they have endpoints". The state stays as it was. */
static void network_rm_in_use(void **state)
{
    (void)state;
    run_result r = {0};
    char *net = make_network("user-busy");
    char *ep = make_endpoint("user-busy");
    HCSCTL_EXITS(1, &r, "network", "rm", "user-busy");
    CLEAR_ERROR(&r);
    assert_true(strstr(r.err, "HCN_E_ENTITY_HAS_REFERENCES") != NULL);
    run_result_clear(&r);
    assert_true(listed("network", net));
    assert_true(listed("endpoint", ep));
    /* the teardown order: endpoint rm, then network rm */
    HCSCTL_EXITS(0, &r, "endpoint", "rm", ep);
    run_result_clear(&r);
    HCSCTL_EXITS(0, &r, "network", "rm", net);
    run_result_clear(&r);
    assert_false(listed("network", net));
    free(net);
    free(ep);
}

/* docs/hcsctl.md (Reports): "A verb given several ids acts on each, prints
 * each id it did, and exits with the first failure's code." */
static void network_rm_several(void **state)
{
    (void)state;
    run_result r = {0};
    char *a = make_network("user-rm-a");
    char *b = make_network("user-rm-b");
    int st = run_hcsctl(NULL, &r, "network", "rm", "user-nope-x", "user-rm-a", NULL);
    run_result_clear(&r);
    bool a_gone = !listed("network", a);
    HCSCTL_EXITS(0, &r, "network", "rm", "user-rm-b");
    bool printed = strstr(r.out, "user-rm-b") || contains_ci(r.out, b);
    run_result_clear(&r);
    if (!a_gone)
        run_hcsctl(NULL, &r, "network", "rm", a, NULL), run_result_clear(&r);
    free(a);
    free(b);
    assert_int_equal(st, 1);
    if (!a_gone)
        fail_msg("network rm NOPE user-rm-a: stopped at the unknown name, user-rm-a not removed");
    if (!printed)
        fail_msg("network rm user-rm-b: printed nothing, not the network it removed");
}

/* The same sentence for endpoint rm and namespace rm. */
static void endpoint_namespace_rm_several(void **state)
{
    (void)state;
    run_result r = {0};
    char *net = make_network("user-rms");
    char *ep = make_endpoint("user-rms");
    char *ns = make_namespace();
    HCSCTL_EXITS(1, &r, "endpoint", "rm", "00000000-0000-0000-0000-0000000000ab", ep);
    CLEAR_ERROR(&r);
    bool ep_printed = contains_ci(r.out, ep);
    run_result_clear(&r);
    assert_false(listed("endpoint", ep));
    HCSCTL_EXITS(1, &r, "namespace", "rm", "00000000-0000-0000-0000-0000000000ab", ns);
    CLEAR_ERROR(&r);
    bool ns_printed = contains_ci(r.out, ns);
    run_result_clear(&r);
    assert_false(listed("namespace", ns));
    HCSCTL_EXITS(0, &r, "network", "rm", net);
    run_result_clear(&r);
    free(net);
    free(ep);
    free(ns);
    if (!ep_printed || !ns_printed)
        fail_msg("endpoint rm / namespace rm printed nothing for the ids they removed (endpoint: %s, namespace: %s)",
                 ep_printed ? "yes" : "no", ns_printed ? "yes" : "no");
}

/* -------------------------------------------------------------- endpoint, namespace */

/* endpoint --help: "ls prints ID, NAME, IP, MAC and NAMESPACE ...; create
 * makes an endpoint on NETWORK, HCN assigning an address and a MAC unless
 * given, and prints its id; attach and detach put it into a namespace or take
 * it out"; docs/hcsctl.md JSON: ls an array of V2 documents, create "the new
 * object's V2 document instead of its id"; namespace --help: "ls prints ID,
 * TYPE, COMPARTMENT and the number of RESOURCES". */
static void endpoint_namespace_json_and_attach(void **state)
{
    (void)state;
    run_result r = {0};
    char *net = make_network("user-ep");
    HCSCTL_EXITS(0, &r, "endpoint", "create", "user-ep", "--name", "user-web", "--json");
    json_t *ep = parse_json(r.out);
    run_result_clear(&r);
    const char *epid = json_string_value(json_object_get(ep, "ID"));
    assert_non_null(epid);
    assert_string_equal(json_string_value(json_object_get(ep, "Name")), "user-web");
    const char *mac = json_string_value(json_object_get(ep, "MacAddress"));
    assert_non_null(mac);
    assert_true(contains_ci(json_string_value(json_object_get(ep, "HostComputeNetwork")), net));

    HCSCTL_EXITS(0, &r, "endpoint", "inspect", epid);
    json_t *insp = parse_json(r.out);
    run_result_clear(&r);
    assert_string_equal(json_string_value(json_object_get(insp, "ID")), epid);

    /* ls --network: only this network's */
    HCSCTL_EXITS(0, &r, "endpoint", "ls", "--network", "user-ep", "--json");
    json_t *eps = parse_json(r.out);
    run_result_clear(&r);
    assert_int_equal(json_array_size(eps), 1);
    assert_non_null(find_by_id(eps, epid));
    HCSCTL_EXITS(0, &r, "endpoint", "ls", "--network", "user-ep");
    assert_true(strstr(r.out, epid) != NULL && strstr(r.out, "user-web") != NULL && strstr(r.out, mac) != NULL);
    run_result_clear(&r);

    HCSCTL_EXITS(0, &r, "namespace", "create", "--json");
    json_t *ns = parse_json(r.out);
    run_result_clear(&r);
    const char *nsid = json_string_value(json_object_get(ns, "ID"));
    assert_non_null(nsid);
    assert_true(listed("namespace", nsid));
    HCSCTL_EXITS(0, &r, "namespace", "ls");
    assert_true(strstr(r.out, nsid) != NULL && strstr(r.out, "RESOURCES") != NULL);
    run_result_clear(&r);

    HCSCTL_EXITS(0, &r, "endpoint", "attach", epid, nsid);
    run_result_clear(&r);
    /* ls shows the namespace in the NAMESPACE column */
    HCSCTL_EXITS(0, &r, "endpoint", "ls", "--network", "user-ep");
    assert_true(strstr(r.out, nsid) != NULL);
    run_result_clear(&r);
    json_t *nss = ls_json("namespace");
    json_t *mine = find_by_id(nss, nsid);
    assert_non_null(mine);
    char *res = json_dumps(json_object_get(mine, "Resources"), 0);
    assert_true(res && strstr(res, epid) != NULL);
    free(res);
    json_decref(nss);

    /* teardown in the order endpoint --help gives: detach, namespace rm, endpoint rm, network rm */
    HCSCTL_EXITS(0, &r, "endpoint", "detach", epid, nsid);
    run_result_clear(&r);
    FAILS(1, &r, "endpoint", "detach", epid, nsid); /* not in it any more: an HCN refusal, exit 1 */
    HCSCTL_EXITS(0, &r, "namespace", "rm", nsid);
    run_result_clear(&r);
    FAILS(1, &r, "namespace", "rm", nsid);
    HCSCTL_EXITS(0, &r, "endpoint", "rm", epid);
    run_result_clear(&r);
    FAILS(1, &r, "endpoint", "rm", epid);
    HCSCTL_EXITS(0, &r, "network", "rm", "user-ep");
    run_result_clear(&r);
    json_decref(ep);
    json_decref(insp);
    json_decref(eps);
    json_decref(ns);
    free(net);
}

/* endpoint --help: create on NETWORK (an id or a name); --ip "a static
 * address in the network's subnet"; --mac "XX-XX-XX-XX-XX-XX"; HCN's
 * refusals exit 1 with libhcs's message (docs/hcsctl.md). */
static void endpoint_bad_input(void **state)
{
    (void)state;
    run_result r = {0};
    char *net = make_network("user-epbad");
    size_t before = count_of("endpoint");
    HCSCTL_EXITS(1, &r, "endpoint", "create", "user-nope-net");
    CLEAR_ERROR(&r);
    assert_true(strstr(r.err, "user-nope-net") != NULL);
    run_result_clear(&r);
    FAILS(1, &r, "endpoint", "create", "user-epbad", "--ip", "1.2.3.4"); /* outside the subnet */
    FAILS(1, &r, "endpoint", "create", "user-epbad", "--ip", "garbage");
    FAILS(1, &r, "endpoint", "create", "user-epbad", "--mac", "zz");
    FAILS(1, &r, "endpoint", "inspect", "not-a-guid");
    FAILS(1, &r, "endpoint", "inspect", "00000000-0000-0000-0000-0000000000ac");
    FAILS(1, &r, "endpoint", "rm", "00000000-0000-0000-0000-0000000000ac");
    FAILS(1, &r, "endpoint", "ls", "--network", "user-nope-net");
    FAILS(1, &r, "namespace", "rm", "not-a-guid");
    FAILS(2, &r, "endpoint", "create", "user-epbad", "--ip", "10.0.0.1", "--ip", "10.0.0.2"); /* given twice */
    assert_int_equal(count_of("endpoint"), before); /* nothing made by a refusal */
    HCSCTL_EXITS(0, &r, "network", "rm", net);
    run_result_clear(&r);
    free(net);
}

/* endpoint --help: "attach ID NAMESPACE". Docs silent on the wording; the
 * error for an unknown NAMESPACE must not call it an endpoint (today:
 * "hcsctl: endpoint nope: HcnOpenNamespace: ..."). */
static void endpoint_attach_unknown_namespace(void **state)
{
    (void)state;
    run_result r = {0};
    char *net = make_network("user-att");
    char *ep = make_endpoint("user-att");
    HCSCTL_EXITS(1, &r, "endpoint", "attach", ep, "user-nope-ns");
    CLEAR_ERROR(&r);
    bool misnamed = strstr(r.err, "endpoint user-nope-ns") != NULL;
    char buf[512];
    first_line(r.err, buf, sizeof buf);
    run_result_clear(&r);
    HCSCTL_EXITS(0, &r, "endpoint", "rm", ep);
    run_result_clear(&r);
    HCSCTL_EXITS(0, &r, "network", "rm", net);
    run_result_clear(&r);
    free(net);
    free(ep);
    if (misnamed)
        fail_msg("the unknown namespace is called an endpoint: %s", buf);
}

/* -------------------------------------------------------------- layer */

/* docs/hcsctl.md JSON: `layer` prints "one object per layer: `Layer` (its
 * path ...), `Source` (import), `Folder` (export), ... `Parents` (`Id`,
 * `Path`, as given)"; layer --help: "Each prints the layer's path". */
static void layer_json(void **state)
{
    (void)state;
    run_result r = {0};
    layers l;
    make_layers(&l, "ulj");
    char *src = dup_printf("%s/src/app", l.dir);
    char *app2 = dup_printf("%s/ulj-app2", l.dir);
    HCSCTL_EXITS(0, &r, "layer", "import", app2, src, "--parent", l.base, "--json");
    json_t *doc = parse_json(r.out);
    run_result_clear(&r);
    assert_string_equal(json_string_value(json_object_get(doc, "Layer")), app2);
    assert_string_equal(json_string_value(json_object_get(doc, "Source")), src);
    json_t *parents = json_object_get(doc, "Parents");
    assert_int_equal(json_array_size(parents), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(parents, 0), "Path")), l.base);
    assert_int_equal(strlen(json_string_value(json_object_get(json_array_get(parents, 0), "Id"))), 36);
    json_decref(doc);
    /* import twice: "a layer that is there already" (docs/hcsctl.md, layer) */
    FAILS(1, &r, "layer", "import", app2, src, "--parent", l.base);

    char *out = dup_printf("%s/out", l.dir);
    mkdirs(out);
    HCSCTL_EXITS(0, &r, "layer", "export", app2, out, "--parent", l.base, "--json");
    doc = parse_json(r.out);
    run_result_clear(&r);
    assert_string_equal(json_string_value(json_object_get(doc, "Layer")), app2);
    assert_string_equal(json_string_value(json_object_get(doc, "Folder")), out);
    json_decref(doc);

    /* without --json: the path */
    HCSCTL_EXITS(0, &r, "layer", "rm", app2);
    char buf[1024];
    assert_string_equal(first_line(r.out, buf, sizeof buf), app2);
    run_result_clear(&r);
    assert_false(exists(app2));
    free(src);
    free(app2);
    free(out);
    free_layers(&l);
}

/* layer --help: "'export' writes LAYER ... into the existing FOLDER";
 * docs/hcsctl.md: "A refused layer call names the layer, HCS's code and the
 * fix by kind: missing folders or parents". Paths that do not exist, files
 * instead of folders, empty paths: exit 1 or 2 with a clear error, and no
 * layer folder left behind by a refused import. */
static void layer_bad_paths(void **state)
{
    (void)state;
    run_result r = {0};
    layers l;
    make_layers(&l, "ulb");
    char *nosuch = dup_printf("%s/nosuch", l.dir);
    char *file = dup_printf("%s/file", l.dir);
    assert_true(write_file(file, "not a folder\n"));
    char *x = dup_printf("%s/x", l.dir);
    char *src = dup_printf("%s/src/app", l.dir);

    HCSCTL_EXITS(1, &r, "layer", "import", x, file);
    CLEAR_ERROR(&r);
    run_result_clear(&r);
    assert_false(exists(x));
    HCSCTL_EXITS(1, &r, "layer", "import", x, src, "--parent", nosuch);
    CLEAR_ERROR(&r);
    run_result_clear(&r);
    assert_false(exists(x));
    int st = run_hcsctl(NULL, &r, "layer", "import", "", src, NULL);
    assert_true(st == 1 || st == 2);
    CLEAR_ERROR(&r);
    run_result_clear(&r);
    st = run_hcsctl(NULL, &r, "layer", "import", x, "", NULL);
    assert_true(st == 1 || st == 2);
    CLEAR_ERROR(&r);
    run_result_clear(&r);
    assert_false(exists(x));
    FAILS(1, &r, "layer", "export", l.app, nosuch, "--parent", l.base); /* FOLDER must exist */
    FAILS(1, &r, "layer", "export", l.app, file, "--parent", l.base);
    FAILS(1, &r, "layer", "export", nosuch, l.dir);
    FAILS(1, &r, "layer", "mount", nosuch, "--parent", l.app, "--parent", l.base);
    FAILS(1, &r, "layer", "mount", file, "--parent", l.app, "--parent", l.base);
    FAILS(1, &r, "layer", "unmount", nosuch);
    FAILS(1, &r, "layer", "rm", nosuch);
    /* layer --help: "-f, --force  rm: a layer that does not exist is not an error" */
    HCSCTL_EXITS(0, &r, "layer", "rm", "--force", nosuch);
    run_result_clear(&r);
    /* the layers are intact */
    char *files = dup_printf("%s/Files", l.app);
    assert_true(is_dir(files));
    free(files);
    free(nosuch);
    free(file);
    free(x);
    free(src);
    free_layers(&l);
}

/* docs/hcsctl.md: a refused layer call names "the fix by kind: missing
 * folders or parents". A demanding user wants the path that is missing
 * named: today `layer import L SRC` with SRC missing says "L: The path was
 * not found" of L, the folder import is to create (layer --help: "into the
 * folder LAYER, created if missing"), and never names SRC. */
static void layer_import_missing_source_named(void **state)
{
    (void)state;
    run_result r = {0};
    char *dir = scratch_dir("ulm");
    char *x = dup_printf("%s/newlayer", dir);
    char *src = dup_printf("%s/nosuch-source", dir);
    HCSCTL_EXITS(1, &r, "layer", "import", x, src);
    CLEAR_ERROR(&r);
    char buf[1024];
    first_line(r.err, buf, sizeof buf);
    run_result_clear(&r);
    bool made = exists(x);
    free(dir);
    free(x);
    free(src);
    assert_false(made);
    if (!strstr(buf, "nosuch-source"))
        fail_msg("the missing SOURCE is not named: %s", buf);
}

/* docs/hcsctl.md, layer: "`mount` ... initialize the writable layer the
 * first time (a scratch mounted before keeps its changes), then attach its
 * storage filter"; layer --help: "'rm' deletes layers; HCS refuses a layer
 * in use by a mounted scratch"; "'unmount' detaches the filter". */
static void layer_mount_in_use(void **state)
{
    (void)state;
    run_result r = {0};
    layers l;
    make_layers(&l, "ulu");
    char *s = dup_printf("%s/scratch", l.dir);
    mkdirs(s);
    HCSCTL_EXITS(0, &r, "layer", "mount", s, "-p", l.app, "-p", l.base, "--json");
    json_t *doc = parse_json(r.out);
    run_result_clear(&r);
    assert_string_equal(json_string_value(json_object_get(doc, "Layer")), s);
    assert_int_equal(json_array_size(json_object_get(doc, "Parents")), 2);
    json_decref(doc);
    char *mark = dup_printf("%s/user-mark", s);
    assert_true(write_file(mark, "kept\n"));

    /* a parent in use and the mounted scratch: refused, left intact */
    HCSCTL_EXITS(1, &r, "layer", "rm", l.app);
    CLEAR_ERROR(&r);
    assert_true(strstr(r.err, "unmount") != NULL); /* "a layer in use by a mounted scratch (`unmount` first)" */
    run_result_clear(&r);
    char *files = dup_printf("%s/Files/app/a.txt", l.app);
    assert_true(exists(files));
    FAILS(1, &r, "layer", "rm", s);
    assert_true(exists(mark));

    HCSCTL_EXITS(0, &r, "layer", "unmount", s);
    run_result_clear(&r);
    FAILS(1, &r, "layer", "unmount", s); /* not mounted any more */
    /* mounted again: keeps its changes */
    HCSCTL_EXITS(0, &r, "layer", "mount", s, "-p", l.app, "-p", l.base);
    run_result_clear(&r);
    assert_true(exists(mark));
    HCSCTL_EXITS(0, &r, "layer", "unmount", s, "--json");
    doc = parse_json(r.out);
    run_result_clear(&r);
    assert_string_equal(json_string_value(json_object_get(doc, "Layer")), s);
    json_decref(doc);
    HCSCTL_EXITS(0, &r, "layer", "rm", s, l.app);
    run_result_clear(&r);
    assert_false(exists(s));
    assert_false(exists(l.app));
    free(s);
    free(mark);
    free(files);
    free_layers(&l);
}

/* docs/hcsctl.md: "A refused layer call names the layer, HCS's code and the
 * fix by kind: ... a layer that is there already, a layer in use by a
 * mounted scratch (`unmount` first)". A second mount of a mounted scratch
 * is refused; its fix must be one that works: today it says "remove it
 * first ('hcsctl layer rm')", which HCS refuses while it is mounted. */
static void layer_mount_twice_fix(void **state)
{
    (void)state;
    run_result r = {0};
    layers l;
    make_layers(&l, "ul2");
    char *s = dup_printf("%s/scratch", l.dir);
    mkdirs(s);
    HCSCTL_EXITS(0, &r, "layer", "mount", s, "-p", l.app, "-p", l.base);
    run_result_clear(&r);
    int st = run_hcsctl(NULL, &r, "layer", "mount", s, "-p", l.app, "-p", l.base, NULL);
    no_sanitizer_report(&r);
    char buf[1024];
    first_line(r.err, buf, sizeof buf);
    bool bad_fix = st != 0 && !strstr(r.err, "unmount");
    run_result_clear(&r);
    /* the advice given, tried: */
    int rm_st = run_hcsctl(NULL, &r, "layer", "rm", s, NULL);
    run_result_clear(&r);
    run_hcsctl(NULL, &r, "layer", "unmount", s, NULL);
    run_result_clear(&r);
    free(s);
    free_layers(&l);
    if (bad_fix)
        fail_msg("second mount: '%s'; the advised 'hcsctl layer rm' then exits %d", buf, rm_st);
}

/* docs/hcsctl.md (Reports): "A verb given several ids acts on each, prints
 * each id it did, and exits with the first failure's code." */
static void layer_rm_several(void **state)
{
    (void)state;
    run_result r = {0};
    layers l;
    make_layers(&l, "ulr");
    char *nosuch = dup_printf("%s/nosuch", l.dir);
    HCSCTL_EXITS(1, &r, "layer", "rm", l.app, nosuch, l.base);
    CLEAR_ERROR(&r);
    assert_true(strstr(r.out, l.app) != NULL);
    assert_true(strstr(r.out, l.base) != NULL);
    run_result_clear(&r);
    assert_false(exists(l.app));
    assert_false(exists(l.base));
    free(nosuch);
    free_layers(&l);
}

/* -------------------------------------------------------------- create --layer --network */

/* The system's id is in `hcsctl list -q`? (README: list [--json | -q]) */
static bool system_exists(const char *id)
{
    run_result r = {0};
    HCSCTL_EXITS(0, &r, "list", "--json");
    json_t *a = parse_json(r.out);
    run_result_clear(&r);
    bool found = false;
    size_t i;
    json_t *el;
    json_array_foreach(a, i, el)
    {
        const char *v = json_string_value(json_object_get(el, "Id"));
        if (v && strcmp(v, id) == 0)
            found = true;
    }
    json_decref(a);
    return found;
}

/* docs/hcsctl.md, "create on layers and networks": the container gets "an
 * endpoint named ID, in a namespace of the container's own"; "`hcsctl
 * inspect ID` shows them"; "The network itself is the user's: `hcsctl
 * network rm` deletes it once no endpoint is left"; "rm (with the same
 * --state) removes the system first; then the network objects ...; then the
 * filter detached, the scratch destroyed and `<state>\ID` removed"; "The
 * scratch ... is the folder `<state>\ID\scratch`". */
static void create_layer_network_rm(void **state)
{
    (void)state;
    run_result r = {0};
    layers l;
    make_layers(&l, "ucr");
    char *st = scratch_dir("ucr-state");
    char *net = make_network("user-cnet");
    size_t ns_before = count_of("namespace");

    HCSCTL_EXITS(0, &r, "create", "ucr1", "--container", "--layer", l.app, "--layer", l.base, "--network", "user-cnet",
                 "--state", st);
    char buf[256];
    assert_string_equal(first_line(r.out, buf, sizeof buf), "ucr1"); /* create --help: "Prints the ID" */
    run_result_clear(&r);
    char *stid = dup_printf("%s/ucr1", st);
    char *scratch = dup_printf("%s/ucr1/scratch", st);
    assert_true(is_dir(scratch));
    assert_true(endpoint_named("ucr1"));
    assert_int_equal(count_of("namespace"), ns_before + 1);
    HCSCTL_EXITS(0, &r, "inspect", "ucr1");
    json_t *props = parse_json(r.out);
    run_result_clear(&r);
    json_t *net_props = json_object_get(props, "Networking");
    assert_non_null(json_object_get(net_props, "Namespace"));
    assert_int_equal(json_array_size(json_object_get(net_props, "Endpoints")), 1);
    json_decref(props);

    /* in use: the network (it has the container's endpoint) and the layers
     * ("a parent in use while the container exists", docs' test list; layer
     * --help: "HCS refuses a layer in use by a mounted scratch") */
    HCSCTL_EXITS(1, &r, "network", "rm", "user-cnet");
    CLEAR_ERROR(&r);
    run_result_clear(&r);
    assert_true(listed("network", net));
    FAILS(1, &r, "layer", "rm", l.app);
    assert_true(is_dir(l.app));
    /* create of the same ID again: "A state folder of that ID left over ...
     * makes create refuse, naming it" (here the system exists too) */
    HCSCTL_EXITS(1, &r, "create", "ucr1", "--container", "--layer", l.app, "--layer", l.base, "--state", st);
    CLEAR_ERROR(&r);
    run_result_clear(&r);
    assert_true(is_dir(scratch));

    HCSCTL_EXITS(0, &r, "rm", "--state", st, "ucr1");
    run_result_clear(&r);
    assert_false(system_exists("ucr1"));
    assert_false(endpoint_named("ucr1"));
    assert_int_equal(count_of("namespace"), ns_before);
    assert_false(exists(stid));
    /* now the network and the layers go */
    HCSCTL_EXITS(0, &r, "network", "rm", "user-cnet");
    run_result_clear(&r);
    HCSCTL_EXITS(0, &r, "layer", "rm", l.app, l.base);
    run_result_clear(&r);
    /* rm --help: "With --force a system that does not exist is not an
     * error"; without, it is (docs/hcsctl.md: "A system that does not exist
     * is an error unless --force") */
    FAILS(1, &r, "rm", "--state", st, "ucr1");
    HCSCTL_EXITS(0, &r, "rm", "--force", "--state", st, "ucr1");
    run_result_clear(&r);
    free(stid);
    free(scratch);
    free(st);
    free(net);
    free_layers(&l);
}

/* After a refused create nothing is left: no system, no endpoint named ID,
 * no new namespace, no `<state>/ID`. docs/hcsctl.md: "each refusal names the
 * layer" (a layer must exist, have Files, the last be the base); "a network
 * that does not exist leaves nothing behind"; "A create that fails after
 * making something undoes it the same way, so a refused storage or HCN call
 * or a refused document leaves nothing behind"; "the ID must therefore be a
 * valid folder name". */
static void create_refused_leaves_nothing(void **state)
{
    (void)state;
    run_result r = {0};
    layers l;
    make_layers(&l, "ucf");
    char *st = scratch_dir("ucf-state");
    char *net = make_network("user-fnet");
    char *nosuch = dup_printf("%s/nosuch", l.dir);
    char *file = dup_printf("%s/file", l.dir);
    assert_true(write_file(file, "x\n"));
    char *notlayer = dup_printf("%s/src", l.dir); /* a folder without Files */
    size_t ns_before = count_of("namespace"), ep_before = count_of("endpoint");

    struct {
        int status;
        const char *id, *needle;
        const char *argv[14];
    } cases[] = {
        {1,
         "ucf1",
         "user-nope-net",
         {"--container", "--state", st, "--layer", l.app, "--layer", l.base, "--network", "user-nope-net"}},
        {1,
         "ucf2",
         "nosuch",
         {"--container", "--state", st, "--layer", nosuch, "--layer", l.base, "--network", "user-fnet"}},
        /* the base not last */
        {1,
         "ucf3",
         l.app,
         {"--container", "--state", st, "--layer", l.base, "--layer", l.app, "--network", "user-fnet"}},
        {1,
         "ucf4",
         "file",
         {"--container", "--state", st, "--layer", l.app, "--layer", file, "--network", "user-fnet"}},
        {1,
         "ucf5",
         "src",
         {"--container", "--state", st, "--layer", l.app, "--layer", notlayer, "--network", "user-fnet"}},
        {2,
         "ucf6",
         "--network",
         {"--container", "--state", st, "--layer", l.app, "--layer", l.base, "--network", "user-fnet", "--network",
          "user-fnet"}},
        {2, "", NULL, {"--container", "--state", st, "--layer", l.app, "--layer", l.base, "--network", "user-fnet"}},
        {2,
         "../ucf-escape",
         NULL,
         {"--container", "--state", st, "--layer", l.app, "--layer", l.base, "--network", "user-fnet"}},
        /* create --help: --layer and --network are options of --container */
        {2, "ucf7", NULL, {"--vm", "--state", st, "--layer", l.app, "--layer", l.base}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char **a = cases[i].argv;
        int got = run_hcsctl(NULL, &r, "create", cases[i].id, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8],
                             a[9], a[10], a[11], a[12], a[13], NULL);
        if (got != cases[i].status)
            fail_msg("case %zu (create %s): exit %d, not %d; stderr: %s", i, cases[i].id, got, cases[i].status, r.err);
        CLEAR_ERROR(&r);
        if (cases[i].needle && !strstr(r.err, cases[i].needle))
            fail_msg("case %zu (create %s): the error does not name %s: %s", i, cases[i].id, cases[i].needle, r.err);
        run_result_clear(&r);
        if (cases[i].id[0]) {
            char *d = dup_printf("%s/%s", st, cases[i].id);
            if (exists(d))
                fail_msg("case %zu: %s left behind", i, d);
            free(d);
            assert_false(system_exists(cases[i].id));
            assert_false(endpoint_named(cases[i].id));
        }
        assert_int_equal(count_of("namespace"), ns_before);
        assert_int_equal(count_of("endpoint"), ep_before);
    }
    char *escape = dup_printf("%s/../ucf-escape", st);
    assert_false(exists(escape));
    free(escape);
    /* the network is left as it was, and can go */
    HCSCTL_EXITS(0, &r, "network", "rm", "user-fnet");
    run_result_clear(&r);
    free(st);
    free(net);
    free(nosuch);
    free(file);
    free(notlayer);
    free_layers(&l);
}

/* create --help: "--state DIR  the folder of hcsctl's state"; docs/hcsctl.md:
 * "`<state>` is `--state DIR`, else `HCSCTL_STATE`, ...". An empty DIR is no
 * folder (docs silent on it): a clear error, not a silent fall back to
 * HCSCTL_STATE. A file as DIR: a clear error and nothing left. */
static void create_state_bad(void **state)
{
    (void)state;
    run_result r = {0};
    layers l;
    make_layers(&l, "ucs");
    char *env_state = scratch_dir("ucs-env-state");
    test_setenv("HCSCTL_STATE", env_state);
    char *file = dup_printf("%s/file", l.dir);
    assert_true(write_file(file, "x\n"));

    HCSCTL_EXITS(1, &r, "create", "ucs1", "--container", "--layer", l.app, "--layer", l.base, "--state", file);
    CLEAR_ERROR(&r);
    run_result_clear(&r);
    assert_false(system_exists("ucs1"));

    int st =
        run_hcsctl(NULL, &r, "create", "ucs2", "--container", "--layer", l.app, "--layer", l.base, "--state", "", NULL);
    no_sanitizer_report(&r);
    char *in_env = dup_printf("%s/ucs2", env_state);
    bool fell_back = exists(in_env);
    run_result_clear(&r);
    if (st == 0) {
        run_hcsctl(NULL, &r, "rm", "--force", "ucs2", NULL); /* with HCSCTL_STATE, where it went */
        run_result_clear(&r);
    }
    test_setenv("HCSCTL_STATE", NULL);
    free(in_env);
    free(env_state);
    free(file);
    free_layers(&l);
    if (st == 0)
        fail_msg("create --state \"\": exit 0%s", fell_back ? ", its state silently in HCSCTL_STATE" : "");
}

/* -------------------------------------------------------------- migrate */

/* migrate --help: "(--to HOST:PORT | --listen [HOST:]PORT) [--session N]
 * [--json] ID"; README: 2 is "a bad command line". */
static void migrate_usage(void **state)
{
    (void)state;
    run_result r = {0};
    FAILS(2, &r, "migrate");
    FAILS(2, &r, "migrate", "uvm");                                         /* neither --to nor --listen */
    FAILS(2, &r, "migrate", "--to", "127.0.0.1:1", "--listen", "0", "uvm"); /* both */
    FAILS(2, &r, "migrate", "--to", "127.0.0.1:1", "--to", "127.0.0.1:2", "uvm");
    FAILS(2, &r, "migrate", "--listen", "0", "--session", "x", "uvm");
    FAILS(2, &r, "migrate", "--listen", "0", "uvm", "extra");
    FAILS(2, &r, "migrate", "--to", "127.0.0.1:1"); /* no ID */
    /* docs/hcsctl.md Reports: not_found is exit 1, "no compute system" */
    HCSCTL_EXITS(1, &r, "migrate", "--to", "127.0.0.1:1", "user-nope-vm");
    CLEAR_ERROR(&r);
    assert_true(strstr(r.err, "user-nope-vm") != NULL);
    run_result_clear(&r);
}

/* Waits (up to secs) until the child wrote to stderr or stdout holds
 * needle; true when stderr got text. */
static bool wait_err_or_out(child *c, const char *needle, unsigned secs, bool *saw_needle)
{
    *saw_needle = false;
    for (unsigned i = 0; i < secs * 10; i++) {
        char *out = child_output(c, false), *err = child_output(c, true);
        bool e = err && *err, n = out && strstr(out, needle);
        free(out);
        free(err);
        if (n)
            *saw_needle = true;
        if (e)
            return true;
        if (n)
            return false;
        sleep_ms(100);
    }
    return false;
}

/* migrate --help: "--to HOST:PORT", "--listen [HOST:]PORT"; README: exit 2
 * "a bad command line". A port that is no port (abc, 99999, 70000) or an
 * address without one is a bad command line, found before anything is
 * tried; never a listener on another port (70000 is 4464 mod 65536). */
static void migrate_bad_address(void **state)
{
    (void)state;
    run_result r = {0};
    HCSCTL_EXITS(0, &r, "create", "uvm1", "--vm");
    run_result_clear(&r);
    char report[2048] = "";
    const char *to[] = {"nohostport", "127.0.0.1:99999", "", "127.0.0.1:"};
    for (size_t i = 0; i < sizeof to / sizeof *to; i++) {
        int st = run_hcsctl(NULL, &r, "migrate", "--to", to[i], "uvm1", NULL);
        CLEAR_ERROR(&r);
        if (st != 2)
            snprintf(report + strlen(report), sizeof report - strlen(report), " --to '%s': exit %d;", to[i], st);
        run_result_clear(&r);
    }
    const char *listen[] = {"abc", "70000"};
    for (size_t i = 0; i < sizeof listen / sizeof *listen; i++) {
        child *c = spawn_hcsctl("migrate", "--listen", listen[i], "uvm1", NULL);
        assert_non_null(c);
        bool listening;
        bool err = wait_err_or_out(c, "listening", 20, &listening);
        if (!err)
            child_end(c, true);
        child_wait(c, &r);
        no_sanitizer_report(&r);
        if (listening)
            snprintf(report + strlen(report), sizeof report - strlen(report), " --listen %s: '%s';", listen[i], r.out);
        else if (r.status != 2)
            snprintf(report + strlen(report), sizeof report - strlen(report), " --listen %s: exit %d;", listen[i],
                     r.status);
        run_result_clear(&r);
    }
    HCSCTL_EXITS(0, &r, "rm", "--force", "uvm1");
    run_result_clear(&r);
    if (report[0])
        fail_msg("bad addresses not refused as a bad command line:%s", report);
}

/* migrate --help: "Ctrl-C, a failure or the --timeout cancels: the source's
 * VM runs on and the destination's is discarded"; docs/hcsctl.md: "A
 * failure, `--timeout` or Ctrl-C rolls the side back ...; exit codes as
 * everywhere (1, 124)". A destination whose source never comes must end
 * after --timeout 2 with 124. */
static void migrate_listen_timeout(void **state)
{
    (void)state;
    run_result r = {0};
    HCSCTL_EXITS(0, &r, "create", "uvm2", "--vm");
    run_result_clear(&r);
    child *c = spawn_hcsctl("--timeout", "2", "migrate", "--listen", "0", "uvm2", NULL);
    assert_non_null(c);
    bool listening;
    bool err = wait_err_or_out(c, "listening", 20, &listening);
    if (listening && !err)
        err = wait_err_or_out(c, "\x01never", 15, &listening); /* stderr within 15 s of listening */
    if (!err)
        child_end(c, true);
    child_wait(c, &r);
    int status = r.status;
    run_result_clear(&r);
    run_hcsctl(NULL, &r, "rm", "--force", "uvm2", NULL);
    run_result_clear(&r);
    if (!err)
        fail_msg("migrate --listen with --timeout 2 still waiting after 15 s (killed)");
    assert_int_equal(status, 124);
}

int main(void)
{
    test_daemon_stem = "user";
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(network_usage_errors),
        cmocka_unit_test(bare_verb_names_subcommand),
        cmocka_unit_test(network_json_matches_text),
        cmocka_unit_test(network_unknown_and_duplicate),
        cmocka_unit_test(network_empty_name),
        cmocka_unit_test(network_long_and_binary_names),
        cmocka_unit_test(network_gateway_without_subnet),
        cmocka_unit_test(network_rm_in_use),
        cmocka_unit_test(network_rm_several),
        cmocka_unit_test(endpoint_namespace_rm_several),
        cmocka_unit_test(endpoint_namespace_json_and_attach),
        cmocka_unit_test(endpoint_bad_input),
        cmocka_unit_test(endpoint_attach_unknown_namespace),
        cmocka_unit_test(layer_json),
        cmocka_unit_test(layer_bad_paths),
        cmocka_unit_test(layer_import_missing_source_named),
        cmocka_unit_test(layer_mount_in_use),
        cmocka_unit_test(layer_mount_twice_fix),
        cmocka_unit_test(layer_rm_several),
        cmocka_unit_test(create_layer_network_rm),
        cmocka_unit_test(create_refused_leaves_nothing),
        cmocka_unit_test(create_state_bad),
        cmocka_unit_test(migrate_usage),
        cmocka_unit_test(migrate_bad_address),
        cmocka_unit_test(migrate_listen_timeout),
    };
    int failed = cmocka_run_group_tests(tests, test_daemon_group_start, test_daemon_group_stop);
    return failed + (test_daemon_failed() ? 1 : 0);
}
