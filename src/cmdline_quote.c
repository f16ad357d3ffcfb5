/* Joining argv into a Windows command line (see hcs_quote_argv in
 * hcs/process.h). */
#include "hcs/process.h"

#include "error_internal.h"

#include <stdlib.h>
#include <string.h>

static bool needs_quotes(const char *arg) { return !arg[0] || strpbrk(arg, " \t\n\v\"") != NULL; }

/* Appends one argument to out (when non-NULL) and returns its length. */
static size_t quote_one(const char *arg, char *out)
{
    size_t n = 0;
#define PUT(c)                                                                                                         \
    do {                                                                                                               \
        if (out)                                                                                                       \
            out[n] = (c);                                                                                              \
        n++;                                                                                                           \
    } while (0)
    if (!needs_quotes(arg)) {
        for (const char *p = arg; *p; p++)
            PUT(*p);
        return n;
    }
    PUT('"');
    for (const char *p = arg;; p++) {
        size_t slashes = 0;
        while (*p == '\\') {
            slashes++;
            p++;
        }
        /* Backslashes double before a quote, the closing one included. */
        size_t emit = *p == '"' || !*p ? 2 * slashes : slashes;
        for (size_t i = 0; i < emit; i++)
            PUT('\\');
        if (!*p)
            break;
        if (*p == '"')
            PUT('\\');
        PUT(*p);
    }
    PUT('"');
#undef PUT
    return n;
}

int32_t hcs_quote_argv(const char *const *argv, char **out, hcs_error *err)
{
    const char *name = "hcs_quote_argv";
    if (!out)
        return hcs__fail(err, HCS_COM_E_POINTER, name, "out is NULL");
    *out = NULL;
    if (!argv || !argv[0])
        return hcs__fail(err, HCS_COM_E_INVALIDARG, name, "argv needs at least the program");
    size_t total = 0;
    for (size_t i = 0; argv[i]; i++)
        total += quote_one(argv[i], NULL) + 1;
    char *line = malloc(total);
    if (!line)
        return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, name, "out of memory");
    size_t used = 0;
    for (size_t i = 0; argv[i]; i++) {
        if (i > 0)
            line[used++] = ' ';
        used += quote_one(argv[i], line + used);
    }
    line[used] = '\0';
    *out = line;
    return hcs__succeed(err);
}
