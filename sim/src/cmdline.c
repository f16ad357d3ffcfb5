/* Windows command-line splitting (see cmdline.h). */
#include "cmdline.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool blank(char c) { return c == ' ' || c == '\t'; }

/* Parses one argument starting at *in into out (when non-NULL); returns
 * its length and advances *in past it. */
static size_t one_argument(const char **in, char *out)
{
    const char *p = *in;
    size_t len = 0;
    bool quoted = false;
    while (*p && (quoted || !blank(*p))) {
        size_t slashes = 0;
        while (p[slashes] == '\\')
            slashes++;
        if (p[slashes] == '"') {
            for (size_t i = 0; i < slashes / 2; i++, len++)
                if (out)
                    out[len] = '\\';
            p += slashes;
            if (slashes % 2 == 1) {
                if (out)
                    out[len] = '"';
                len++;
            } else if (quoted && p[1] == '"') {
                if (out)
                    out[len] = '"';
                len++;
                p++;
            } else {
                quoted = !quoted;
            }
            p++;
            continue;
        }
        const char *c = slashes ? "\\" : p;
        for (size_t i = 0; i < (slashes ? slashes : 1); i++, len++)
            if (out)
                out[len] = *c;
        p += slashes ? slashes : 1;
    }
    *in = p;
    return len;
}

char **hcssim__cmdline_split(const char *line, int *argc)
{
    /* First pass: count arguments and bytes. */
    size_t count = 0, bytes = 0;
    for (const char *p = line;;) {
        while (blank(*p))
            p++;
        if (!*p)
            break;
        bytes += one_argument(&p, NULL) + 1;
        count++;
    }
    char **argv = malloc((count + 1) * sizeof *argv + bytes);
    if (!argv)
        return NULL;
    char *text = (char *)(argv + count + 1);
    size_t n = 0;
    for (const char *p = line; n < count;) {
        while (blank(*p))
            p++;
        argv[n++] = text;
        text += one_argument(&p, text);
        *text++ = '\0';
    }
    argv[count] = NULL;
    *argc = (int)count;
    return argv;
}
