/* Secret scrubbing for traces (see scrub.h). */
#include "scrub.h"

#include "schema/arena.h"
#include "schema/json_reader.h"
#include "schema/json_writer.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char REDACTED[] = "<redacted>";

/* Deepest nesting followed; deeper documents are shown as not JSON. */
#define HCS_JSON_SCRUB_DEPTH 512

/* Whether word (lower case) starts at p, in any case. */
static bool starts_with_word(const char *p, const char *word)
{
    size_t i = 0;
    while (word[i] && p[i] && tolower((unsigned char)p[i]) == word[i])
        i++;
    return word[i] == '\0';
}

static bool contains_word(const char *text, const char *word)
{
    for (const char *p = text; *p; p++)
        if (starts_with_word(p, word))
            return true;
    return false;
}

/* A name that says its value is a secret: a member name ("AccountKey"), the
 * name of a name/value pair ("DB_PASSWORD"). */
static bool secret_name(const char *name)
{
    static const char *const words[] = {"password", "passwd", "pwd", "secret", "token", "credential"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (contains_word(name, words[i]))
            return true;
    /* "Key", "AccountKey", "api_key", "SshKeys", but not "Keyboard" (a VM
     * device, hcs-api §8). */
    for (const char *p = name; *p; p++)
        if (starts_with_word(p, "key") &&
            (!islower((unsigned char)p[3]) || (p[3] == 's' && !isalpha((unsigned char)p[4]))))
            return true;
    return false;
}

static bool name_is(const char *name, const char *const *names, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        size_t n = strlen(names[i]);
        if (strlen(name) == n && starts_with_word(name, names[i]))
            return true;
    }
    return false;
}

/* Environments: ProcessParameters.Environment (a map), an OCI process's
 * "env" (["NAME=value"]), Kubernetes' "env" ([{"name","value"}]). Every
 * value is hidden, the names stay. */
static bool environment_name(const char *name)
{
    static const char *const names[] = {"environment", "env", "environmentvariables"};
    return name_is(name, names, sizeof names / sizeof names[0]);
}

/* The member naming a name/value pair, and the members carrying its value
 * ({"Name":"Password","Value":...}, {"key":...,"value":...}, RegistryValue's
 * {"Name":...,"StringValue":...}). */
static bool pair_name_member(const char *name)
{
    static const char *const names[] = {"name", "key"};
    return name_is(name, names, sizeof names / sizeof names[0]);
}

static bool pair_value_member(const char *name)
{
    size_t n = strlen(name);
    return (n >= 5 && starts_with_word(name + n - 5, "value")) || (n >= 4 && starts_with_word(name + n - 4, "data"));
}

/* ---- secrets inside strings ----------------------------------------------
 * Connection strings ("Server=db;Password=x;"), command lines
 * ("--token=x", "--password x", "/password:x", "set PASSWORD=x"), URLs with
 * a password ("https://user:x@host") or a signature ("?sig=x"). */

static bool value_end(char c)
{
    return c == '\0' || c == ';' || c == '&' || c == '"' || c == '\'' || isspace((unsigned char)c);
}

/* Appends `from` up to `to`, or "<redacted>" for it, to out. */
static void put(char **out, const char *from, const char *to)
{
    memcpy(*out, from, (size_t)(to - from));
    *out += to - from;
}

static bool is_ident(char c) { return isalnum((unsigned char)c) || c == '_' || c == '-'; }

/* An identifier in text that names a secret ("Password", "DB_PASSWORD",
 * "AccountKey", "sig"). Plain "key" is too common in command lines
 * ("--key-file") to count here. */
static bool secret_ident(const char *p, size_t n)
{
    static const char *const words[] = {"password",   "passwd",    "pwd",        "secret", "token",   "credential",
                                        "accountkey", "accesskey", "privatekey", "apikey", "api_key", "api-key"};
    /* Searched in place, so an identifier of any length counts (a copy into
     * a fixed buffer used to let long ones, and their secrets, through). */
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t m = strlen(words[i]);
        for (size_t at = 0; at + m <= n; at++)
            if (starts_with_word(p + at, words[i]))
                return true;
    }
    return n == 3 && starts_with_word(p, "sig"); /* a SAS signature */
}

/* Where the secret value after an identifier starting at p begins
 * ("Password=x", "--token=x", "/password:x", "--password x"), or NULL. */
static const char *secret_value_at(const char *text, const char *p)
{
    if (p > text && is_ident(p[-1]))
        return NULL; /* not the start of an identifier */
    const char *q = p;
    while (is_ident(*q))
        q++;
    if (q == p || !secret_ident(p, (size_t)(q - p)))
        return NULL;
    if (*q == '=' || *q == ':')
        return q + 1;
    bool flag = *p == '-' || (p > text && p[-1] == '/'); /* "--password x", "/password x" */
    return flag && *q == ' ' && !value_end(q[1]) ? q + 1 : NULL;
}

/* "scheme://user:password@host": where the password begins, or NULL. */
static const char *url_password_at(const char *p)
{
    if (strncmp(p, "://", 3) != 0)
        return NULL;
    const char *user_end = p + 3 + strcspn(p + 3, ":@/ ");
    if (*user_end != ':')
        return NULL;
    const char *at = user_end + 1 + strcspn(user_end + 1, "@/ ");
    return *at == '@' ? user_end + 1 : NULL;
}

/* A copy of text with secret values replaced, or NULL when it has none. */
static char *scrub_text(const char *text)
{
    size_t len = strlen(text);
    /* Each redaction turns at least 5 bytes ("pwd=x") into at most 14. */
    char *copy = malloc(len * 3 + sizeof REDACTED);
    if (!copy)
        return NULL;
    char *out = copy;
    bool changed = false;
    const char *p = text;
    while (*p) {
        const char *value = url_password_at(p);
        const char *end = value ? value + strcspn(value, "@") : NULL;
        if (!value && (value = secret_value_at(text, p)) != NULL)
            for (end = value; !value_end(*end);)
                end++;
        if (value && end > value) {
            put(&out, p, value);
            put(&out, REDACTED, REDACTED + sizeof REDACTED - 1);
            p = end;
            changed = true;
        } else {
            *out++ = *p++;
        }
    }
    *out = '\0';
    if (changed)
        return copy;
    free(copy);
    return NULL;
}

/* ---- the walk ------------------------------------------------------------
 * The document is read with the schema codec's scanner (the only reader of
 * arbitrary JSON in libhcs) and written again, compact; no tree is built.
 * The text is checked whole first, so the walk meets valid JSON only. */

typedef struct scrubber {
    hcs_json_in in;
    hcs_json_out out;
    hcs_arena strings; /* decoded names and strings */
} scrubber;

static void scrub(scrubber *s);

/* The next token's first character (whitespace skipped). */
static char peek(scrubber *s)
{
    hcs__json_ws(&s->in);
    if (s->in.p < s->in.end)
        return *s->in.p;
    return '\0';
}

/* Reads a string, decoded; its text as written is *raw (quotes included). */
static const char *read_string(scrubber *s, hcs_json_span *raw)
{
    hcs_json_span span;
    hcs__json_ws(&s->in);
    const char *from = s->in.p;
    if (!hcs__json_span_read(&s->in, &span))
        return NULL;
    *raw = (hcs_json_span){from, (size_t)(s->in.p - from), span.escaped};
    const char *text = hcs__json_span_decode(&span, &s->strings);
    if (!text)
        s->out.failed = true;
    return text;
}

/* Copies the next value as written (compact). */
static void copy_value(scrubber *s)
{
    hcs__json_ws(&s->in);
    const char *from = s->in.p;
    hcs__json_skip(&s->in, HCS_JSON_SCRUB_DEPTH);
    hcs__json_out_compact(&s->out, from, (size_t)(s->in.p - from));
}

static void put_text(scrubber *s, const char *text) { hcs__json_out_raw(&s->out, text, strlen(text)); }

/* Skips the next value and writes "<redacted>" for it. */
static void redact(scrubber *s)
{
    hcs__json_skip(&s->in, HCS_JSON_SCRUB_DEPTH);
    put_text(s, "\"<redacted>\"");
}

/* Walks the members of the object at the scanner: for each, `member` is
 * called with the decoded name, the scanner at the value. Writes the braces,
 * and each name as written, when `write` is set. */
static void each_member(scrubber *s, bool write, void (*member)(scrubber *, const char *, void *), void *ctx)
{
    hcs__json_eat(&s->in, '{');
    if (write)
        hcs__json_out_char(&s->out, '{');
    if (!hcs__json_eat(&s->in, '}')) {
        bool first = true;
        do {
            hcs_json_span raw = {0};
            const char *name = read_string(s, &raw);
            hcs__json_eat(&s->in, ':');
            if (write) {
                if (!first)
                    hcs__json_out_char(&s->out, ',');
                hcs__json_out_raw(&s->out, raw.text, raw.len);
                hcs__json_out_char(&s->out, ':');
            }
            first = false;
            if (name)
                member(s, name, ctx);
            else
                hcs__json_skip(&s->in, HCS_JSON_SCRUB_DEPTH);
        } while (hcs__json_eat(&s->in, ','));
        hcs__json_eat(&s->in, '}');
    }
    if (write)
        hcs__json_out_char(&s->out, '}');
}

/* An environment: every value hidden, whatever its shape. */
static void hide_member(scrubber *s, const char *name, void *ctx)
{
    (void)name, (void)ctx;
    redact(s);
}

static void hide_pair_value(scrubber *s, const char *name, void *ctx)
{
    (void)ctx;
    if (pair_value_member(name))
        redact(s);
    else
        copy_value(s);
}

/* Calls element for each value of the array at the scanner, writing the
 * brackets and the commas between the values element writes. */
static void each_element(scrubber *s, void (*element)(scrubber *))
{
    hcs__json_eat(&s->in, '[');
    hcs__json_out_char(&s->out, '[');
    if (!hcs__json_eat(&s->in, ']')) {
        bool first = true;
        do {
            if (!first)
                hcs__json_out_char(&s->out, ',');
            first = false;
            element(s);
        } while (hcs__json_eat(&s->in, ','));
        hcs__json_eat(&s->in, ']');
    }
    hcs__json_out_char(&s->out, ']');
}

/* One entry of an environment array: "NAME=value" keeps its name,
 * {"name":...,"value":...} its name member; anything else is copied. */
static void hide_environment_entry(scrubber *s)
{
    char c = peek(s);
    const char *from = s->in.p;
    hcs_json_span raw = {0};
    const char *text = c == '"' ? read_string(s, &raw) : NULL;
    const char *eq = text ? memchr(text, '=', strlen(text)) : NULL;
    if (eq) { /* "NAME=value" */
        size_t n = (size_t)(eq - text) + 1;
        char *hidden = hcs__arena_alloc_raw(&s->strings, n + sizeof REDACTED);
        if (hidden) {
            memcpy(hidden, text, n);
            memcpy(hidden + n, REDACTED, sizeof REDACTED);
            hcs__json_out_string(&s->out, hidden);
        } else {
            s->out.failed = true;
        }
    } else if (c == '{') { /* {"name":...,"value":...} */
        each_member(s, true, hide_pair_value, NULL);
    } else {
        s->in.p = from;
        copy_value(s);
    }
}

static void scrub_environment(scrubber *s)
{
    if (peek(s) == '{')
        each_member(s, true, hide_member, NULL);
    else
        each_element(s, hide_environment_entry);
}

/* The first pass over an object: the name of a name/value pair
 * ({"Name":"DB_PASSWORD","Value":"x"}): a string name member beside a
 * value member; NULL when the object is no pair. */
typedef struct pair {
    const char *name;
    bool has_value;
} pair;

static void find_pair(scrubber *s, const char *member, void *ctx)
{
    pair *p = ctx;
    hcs_json_span raw;
    if (pair_name_member(member) && peek(s) == '"')
        p->name = read_string(s, &raw);
    else
        hcs__json_skip(&s->in, HCS_JSON_SCRUB_DEPTH);
    p->has_value = p->has_value || pair_value_member(member);
}

static void scrub_member(scrubber *s, const char *member, void *ctx)
{
    const pair *p = ctx;
    char c = peek(s);
    if (p->name && pair_name_member(member) && c == '"')
        copy_value(s); /* the pair's name stays readable */
    else if ((p->has_value && p->name && secret_name(p->name) && pair_value_member(member)) || secret_name(member))
        redact(s);
    else if (environment_name(member) && (c == '{' || c == '['))
        scrub_environment(s);
    else
        scrub(s);
}

static void scrub_object(scrubber *s)
{
    const char *at = s->in.p;
    pair p = {NULL, false};
    each_member(s, false, find_pair, &p);
    if (!p.has_value)
        p.name = NULL;
    s->in.p = at;
    each_member(s, true, scrub_member, &p);
}

static void scrub(scrubber *s)
{
    char c = peek(s);
    if (c == '{') {
        scrub_object(s);
    } else if (c == '[') {
        each_element(s, scrub);
    } else if (c == '"') {
        hcs_json_span raw = {0};
        const char *text = read_string(s, &raw);
        char *clean = text ? scrub_text(text) : NULL;
        if (clean)
            hcs__json_out_string(&s->out, clean);
        else
            hcs__json_out_raw(&s->out, raw.text, raw.len);
        free(clean);
    } else {
        copy_value(s);
    }
}

char *hcs__scrub(const char *json)
{
    if (!json)
        return NULL;
    size_t len = strlen(json);
    hcs_json_in check = {json, json, json + len, NULL, NULL};
    bool valid = hcs__json_skip(&check, HCS_JSON_SCRUB_DEPTH);
    hcs__json_ws(&check);
    if (!valid || check.p != check.end) {
        char text[48];
        snprintf(text, sizeof text, "<not JSON, %zu bytes>", len);
        return strdup(text);
    }
    scrubber s = {{json, json, json + len, NULL, NULL}, {0}, {0}};
    hcs__arena_init(&s.strings, 0);
    scrub(&s);
    hcs__arena_release(&s.strings);
    return hcs__json_out_take(&s.out);
}
