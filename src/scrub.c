/* Secret scrubbing for traces (see scrub.h). */
#include "scrub.h"

#include <ctype.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char REDACTED[] = "<redacted>";

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

/* ---- the walk ------------------------------------------------------------ */

static void scrub(json_t *v);

static void redact(json_t *obj, const char *key) { json_object_set_new(obj, key, json_string(REDACTED)); }

/* An environment: every value hidden, whatever its shape. */
static void scrub_environment(json_t *env)
{
    const char *key;
    json_t *member;
    size_t i;
    json_object_foreach(env, key, member) { redact(env, key); }
    for (i = 0; i < json_array_size(env); i++) {
        member = json_array_get(env, i);
        const char *s = json_string_value(member);
        const char *eq = s ? strchr(s, '=') : NULL;
        if (eq) {
            char *hidden = malloc((size_t)(eq - s) + sizeof REDACTED + 1);
            if (hidden) {
                snprintf(hidden, (size_t)(eq - s) + sizeof REDACTED + 1, "%.*s=%s", (int)(eq - s), s, REDACTED);
                json_array_set_new(env, i, json_string(hidden));
                free(hidden);
            }
        } else if (json_is_object(member)) {
            json_t *pair = member;
            json_object_foreach(pair, key, member)
            {
                if (pair_value_member(key))
                    redact(pair, key);
            }
        }
    }
}

/* The name of a name/value pair ({"Name":"DB_PASSWORD","Value":"x"}): a
 * string name member beside a value member; NULL when obj is no pair. */
static const char *pair_name(json_t *obj)
{
    const char *key;
    json_t *member;
    const char *name = NULL;
    bool has_value = false;
    json_object_foreach(obj, key, member)
    {
        if (pair_name_member(key) && json_is_string(member))
            name = json_string_value(member);
        has_value = has_value || pair_value_member(key);
    }
    return has_value ? name : NULL;
}

static void scrub_object(json_t *obj)
{
    const char *key;
    json_t *member;
    const char *name = pair_name(obj);
    bool secret_pair = name && secret_name(name);
    json_object_foreach(obj, key, member)
    {
        if (name && pair_name_member(key) && json_is_string(member))
            continue; /* the pair's name stays readable */
        if ((secret_pair && pair_value_member(key)) || secret_name(key))
            redact(obj, key);
        else if (environment_name(key) && (json_is_object(member) || json_is_array(member)))
            scrub_environment(member);
        else
            scrub(member);
    }
}

static void scrub(json_t *v)
{
    size_t i;
    if (json_is_object(v)) {
        scrub_object(v);
    } else if (json_is_array(v)) {
        for (i = 0; i < json_array_size(v); i++)
            scrub(json_array_get(v, i));
    } else if (json_is_string(v)) {
        char *clean = scrub_text(json_string_value(v));
        if (clean)
            json_string_set(v, clean);
        free(clean);
    }
}

char *hcs__scrub(const char *json)
{
    if (!json)
        return NULL;
    json_t *doc = json_loads(json, JSON_DECODE_ANY, NULL);
    if (!doc) {
        char text[48];
        snprintf(text, sizeof text, "<not JSON, %zu bytes>", strlen(json));
        return strdup(text);
    }
    scrub(doc);
    char *out = json_dumps(doc, JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(doc);
    return out;
}
