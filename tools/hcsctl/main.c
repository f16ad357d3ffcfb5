/* hcsctl: the command line tool over libhcs. */
#include "commands.h"

#include <hcs/hcs.h>

#include <stdio.h>
#include <string.h>

static const hcsctl_command commands[] = {
    {"demo", "walk a container through its lifecycle, printing each step", hcsctl_demo},
    {"list", "list compute systems (--json for the raw document)", hcsctl_list},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: hcsctl <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-6s %s\n", commands[i].name, commands[i].help);
    fprintf(out, "\n  --version  print the version of libhcs in use\n");
    fprintf(out, "\nThe provider is chosen by HCS_PROVIDER (see README).\n");
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? HCSCTL_EXIT_USAGE : 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("hcsctl %s\n", hcs_version_string()); /* the library's, which may differ from the headers' */
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "hcsctl: unknown command \"%s\"\n\n", argv[1]);
    usage(stderr);
    return HCSCTL_EXIT_USAGE;
}
