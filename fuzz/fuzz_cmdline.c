/* libFuzzer target for the simulator's guest command-line splitter
 * (sim/src/cmdline.c). The input is a command line as a guest program
 * receives it. Besides memory safety (ASan, UBSan) it checks that the
 * split is well formed (argc matches the array, every argument fits in the
 * line it came from) and that it agrees with libhcs's quoting: joining the
 * arguments with hcs_quote_argv and splitting again gives the same
 * arguments. */
#include "cmdline.h"

#include <hcs/hcs.h>

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_same(char **a, int argc_a, char **b, int argc_b)
{
    if (argc_a != argc_b)
        abort();
    for (int i = 0; i < argc_a; i++)
        if (strcmp(a[i], b[i]) != 0)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The splitter takes a NUL-terminated line (a NUL inside ends it). */
    char *line = malloc(size + 1);
    if (!line)
        return 0;
    memcpy(line, data, size);
    line[size] = '\0';
    int argc = -1;
    char **argv = hcssim__cmdline_split(line, &argc);
    if (!argv) {
        free(line);
        return 0;
    }
    size_t total = 0;
    for (int i = 0; i < argc; i++) {
        if (!argv[i])
            abort();
        total += strlen(argv[i]);
    }
    if (argc < 0 || argv[argc] != NULL || total > strlen(line))
        abort();
    if (argc > 0) {
        char *joined = NULL;
        if (hcs_quote_argv((const char *const *)argv, &joined, NULL) != HCS_OK)
            abort();
        int again_argc = -1;
        char **again = hcssim__cmdline_split(joined, &again_argc);
        if (again) {
            check_same(argv, argc, again, again_argc);
            free(again);
        }
        hcs_free(joined);
    }
    free(argv);
    free(line);
    return 0;
}
