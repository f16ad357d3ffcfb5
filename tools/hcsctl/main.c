/* hcsctl: the command line tool over libhcs. The verbs, their options and
 * help are the table of verbs.c; the framework is cli.c. */
#include "cli.h"
#include "term.h"

#include <string.h>

/* The options that act alone before a verb: --version, --help, --man,
 * --completion SHELL. Returns -1 when argv[i] is none of them, else the
 * exit code. */
static int standalone_option(int argc, char **argv, int i)
{
    const char *word = argv[i];
    if (strcmp(word, "--version") == 0) {
        printf("hcsctl %s\n", hcs_version_string()); /* the library's, which may differ from the headers' */
        return HCSCTL_EXIT_OK;
    }
    if (strcmp(word, "--help") == 0 || strcmp(word, "-h") == 0) {
        hcsctl_print_help(stdout);
        return HCSCTL_EXIT_OK;
    }
    if (strcmp(word, "--man") == 0) {
        hcsctl_print_man(stdout);
        return HCSCTL_EXIT_OK;
    }
    if (strcmp(word, "--completion") == 0 || strncmp(word, "--completion=", 13) == 0) {
        const char *shell = word[12] == '=' ? word + 13 : (i + 1 < argc ? argv[i + 1] : "");
        if (strcmp(shell, "bash") != 0)
            return hcsctl_usage_error(NULL, "--completion knows bash only, not \"%s\"", shell);
        hcsctl_print_completion(stdout);
        return HCSCTL_EXIT_OK;
    }
    return -1;
}

int main(int argc, char **argv)
{
    hcsctl_ctx ctx = {0};
    int i = 1;
    /* Lines end in \n on every platform, and exec relays the guest's bytes
     * (its \r\n included) as they are. */
    hcsctl_binary_stdio();
    /* Global options, then the verb. */
    for (; i < argc && argv[i][0] == '-'; i++) {
        int rc = standalone_option(argc, argv, i);
        if (rc >= 0)
            return rc;
        int g = hcsctl_parse_global(argc, argv, &i, &ctx.globals);
        if (g < 0)
            return HCSCTL_EXIT_USAGE;
        if (g == 0)
            return hcsctl_usage_error(NULL, "unknown option %s", argv[i]);
    }
    if (i >= argc) {
        hcsctl_print_help(stderr);
        return HCSCTL_EXIT_USAGE;
    }
    const hcsctl_verb *verb = hcsctl_find_verb(argv[i]);
    if (!verb)
        return hcsctl_usage_error(NULL, "no verb \"%s\"", argv[i]);
    hcsctl_args args;
    bool help;
    int rc = hcsctl_parse(verb, argc - i - 1, argv + i + 1, &ctx.globals, &args, &help);
    if (rc == HCSCTL_EXIT_OK && help) {
        hcsctl_print_verb_help(stdout, verb);
    } else if (rc == HCSCTL_EXIT_OK) {
        ctx.verb = verb;
        rc = verb->run(&ctx, &args);
        hcsctl_ctx_close(&ctx);
    }
    hcsctl_args_free(&args);
    fflush(stdout);
    return rc;
}
