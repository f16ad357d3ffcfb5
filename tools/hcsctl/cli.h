/* hcsctl's command framework: the table of verbs with their options and
 * help text (verbs.c), from which the command line is parsed and `--help`,
 * the man page (`hcsctl --man`) and the bash completion
 * (`hcsctl --completion bash`) are written; the exit codes; the context a
 * verb runs in (the client, the provider chosen, --trace, --timeout) and
 * the reporting of HCS's errors with their cause and fix. */
#ifndef HCSCTL_CLI_H
#define HCSCTL_CLI_H

#include <hcs/hcs.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The exit codes scripts may rely on (also in the man page, from
 * hcsctl_exit_codes). `exec` exits with the guest process's own code. */
enum {
    HCSCTL_EXIT_OK = 0,
    HCSCTL_EXIT_FAILURE = 1, /* an HCS call failed, or the system ended badly (wait) */
    HCSCTL_EXIT_USAGE = 2,   /* a bad command line */
    HCSCTL_EXIT_TIMEOUT = 124,
};

/* What completes a value in the bash completion script. */
typedef enum hcsctl_complete {
    HCSCTL_COMPLETE_NONE,
    HCSCTL_COMPLETE_IDS,   /* the ids of compute systems ('hcsctl list --quiet') */
    HCSCTL_COMPLETE_FILES, /* file names */
    HCSCTL_COMPLETE_WORDS, /* the words of hcsctl_option.words */
} hcsctl_complete;

typedef struct hcsctl_option {
    const char *name; /* long name, without the dashes */
    char short_name;  /* 0: none */
    const char *arg;  /* the value's name in help (e.g. "MB"), NULL for a flag */
    const char *help; /* one line */
    bool repeat;      /* may be given several times, each value kept */
    hcsctl_complete complete;
    const char *words; /* HCSCTL_COMPLETE_WORDS: blank-separated */
} hcsctl_option;

struct hcsctl_ctx;
struct hcsctl_args;

typedef struct hcsctl_verb {
    const char *name;
    const char *synopsis;    /* what follows the verb name in a usage line */
    const char *summary;     /* one line, for the list of verbs */
    const char *description; /* paragraphs separated by "\n\n" */
    const hcsctl_option *options;
    size_t option_count;
    size_t min_args, max_args; /* positional arguments; SIZE_MAX: any number */
    /* Options end after this many positional arguments (exec: the ID, then
     * the command with its own options); 0: they may come anywhere. */
    size_t options_end_after;
    hcsctl_complete complete_args;
    int (*run)(struct hcsctl_ctx *ctx, const struct hcsctl_args *args);
    /* What is asked for when no argument is given (NULL: the system's ID). */
    const char *missing;
} hcsctl_verb;

/* A parsed command line of one verb. */
typedef struct hcsctl_args {
    const hcsctl_verb *verb;
    char **positional;
    size_t positional_count;
    /* Per option of the verb (same index): how many times it was given and
     * its values (NULL entries for flags). */
    size_t *counts;
    const char ***values;
} hcsctl_args;

/* The global options, set before (or after) the verb. */
typedef struct hcsctl_globals {
    const char *provider;     /* --provider, else NULL (HCS_PROVIDER or hcsctl's choice) */
    const char *namespace_id; /* --namespace */
    bool trace;               /* --trace */
    uint32_t timeout_ms;      /* --timeout; 0: libhcs's defaults */
} hcsctl_globals;

/* What a verb runs with. The client is opened on first use. */
typedef struct hcsctl_ctx {
    hcsctl_globals globals;
    const hcsctl_verb *verb;
    bool client_open;
    hcs_client client;
    bool daemon;   /* the provider is hcssimd */
    bool embedded; /* the embedded simulator, chosen because no hcssimd was there */
    char socket_path[512];
} hcsctl_ctx;

/* ---- the table (verbs.c) ---------------------------------------------- */

extern const hcsctl_verb hcsctl_verbs[];
extern const size_t hcsctl_verb_count;
extern const hcsctl_option hcsctl_global_options[];
extern const size_t hcsctl_global_option_count;

typedef struct hcsctl_text_row {
    const char *name;
    const char *text;
} hcsctl_text_row;

extern const hcsctl_text_row hcsctl_exit_codes[];
extern const size_t hcsctl_exit_code_count;
extern const hcsctl_text_row hcsctl_environment[];
extern const size_t hcsctl_environment_count;
extern const hcsctl_text_row hcsctl_examples[];
extern const size_t hcsctl_example_count;

/* ---- the framework (cli.c) -------------------------------------------- */

/* The verb of that name, or NULL. */
const hcsctl_verb *hcsctl_find_verb(const char *name);

/* Parses argv (the words after the verb) into *args, global options
 * included into *globals. Returns HCSCTL_EXIT_OK, or HCSCTL_EXIT_USAGE
 * after printing what is wrong; *help is set when --help was asked for.
 * Free *args with hcsctl_args_free. */
int hcsctl_parse(const hcsctl_verb *verb, int argc, char **argv, hcsctl_globals *globals, hcsctl_args *args,
                 bool *help);
void hcsctl_args_free(hcsctl_args *args);
/* Parses one global option at argv[*i] (advancing *i past its value).
 * Returns 1 when it was one, 0 when not, -1 after printing a usage error. */
int hcsctl_parse_global(int argc, char **argv, int *i, hcsctl_globals *globals);

/* The option's count, its last value (or NULL), and all its values. */
size_t hcsctl_arg_count(const hcsctl_args *args, const char *option);
const char *hcsctl_arg_value(const hcsctl_args *args, const char *option);
const char *const *hcsctl_arg_values(const hcsctl_args *args, const char *option, size_t *count);
/* A value in seconds (decimals allowed) as milliseconds; false when it is
 * not a number of seconds (the caller reports a usage error). */
bool hcsctl_parse_seconds(const char *text, uint32_t *ms);
/* Prints "hcsctl VERB: WHAT" and the usage line; returns HCSCTL_EXIT_USAGE. */
int hcsctl_usage_error(const hcsctl_verb *verb, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

void hcsctl_print_help(FILE *out);
void hcsctl_print_verb_help(FILE *out, const hcsctl_verb *verb);
void hcsctl_print_man(FILE *out);
void hcsctl_print_completion(FILE *out);

/* ---- the context (ctx.c) ---------------------------------------------- */

/* Opens ctx->client if it is not open yet: the provider named by
 * --provider or HCS_PROVIDER, else on Windows computecore.dll, elsewhere
 * hcssimd when its socket exists and otherwise the embedded simulator
 * (saying once, on stderr, that what the command makes ends with it).
 * Returns HCSCTL_EXIT_OK or the exit code after reporting the failure. */
int hcsctl_client(hcsctl_ctx *ctx);
/* Closes what hcsctl_client opened. */
void hcsctl_ctx_close(hcsctl_ctx *ctx);

/* Opens the system `id`; on failure reports it and returns the exit code. */
int hcsctl_open_system(hcsctl_ctx *ctx, const char *id, hcs_system *out);

/* Reports a failed HCS call on the system `id` (NULL: none) on stderr,
 * naming the cause and the fix (docs/errors.md's classification), and
 * returns its exit code: HCSCTL_EXIT_TIMEOUT for a timeout, else
 * HCSCTL_EXIT_FAILURE. `sys` (when open) is asked for its state to explain
 * an invalid-state refusal. */
int hcsctl_report(hcsctl_ctx *ctx, const char *id, hcs_system sys, const hcs_error *err);

/* Prints "hcsctl: ..." on stderr. */
void hcsctl_say(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* A malloc'ed copy of s (free it with free()), or NULL. */
char *hcsctl_copy(const char *s);

/* Reads a whole file ("-": stdin) into *out (free it with free()).
 * Returns HCSCTL_EXIT_OK or HCSCTL_EXIT_FAILURE after saying why. */
int hcsctl_read_file(const char *path, char **out);

/* A timeout for calls: --timeout, else the client's default. */
uint32_t hcsctl_call_timeout(const hcsctl_ctx *ctx);

/* The State of a system (basic properties), copied into buf; "unknown"
 * when it cannot be read. */
const char *hcsctl_state(hcs_system sys, char *buf, size_t size);

#endif
