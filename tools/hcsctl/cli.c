/* The command framework over the table of verbs.c: parsing a verb's command
 * line, and writing the help, the man page and the bash completion from the
 * same table. */
#include "cli.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- parsing ------------------------------------------------------------ */

const hcsctl_verb *hcsctl_find_verb(const char *name)
{
    for (size_t i = 0; i < hcsctl_verb_count; i++)
        if (strcmp(hcsctl_verbs[i].name, name) == 0)
            return &hcsctl_verbs[i];
    return NULL;
}

static void print_usage_line(FILE *out, const hcsctl_verb *verb)
{
    fprintf(out, "usage: hcsctl %s%s%s\n", verb->name, verb->synopsis[0] ? " " : "", verb->synopsis);
}

int hcsctl_usage_error(const hcsctl_verb *verb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "hcsctl%s%s: ", verb ? " " : "", verb ? verb->name : "");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (verb) {
        print_usage_line(stderr, verb);
        fprintf(stderr, "(more: 'hcsctl %s --help')\n", verb->name);
    } else {
        fprintf(stderr, "(more: 'hcsctl --help')\n");
    }
    return HCSCTL_EXIT_USAGE;
}

bool hcsctl_parse_seconds(const char *text, uint32_t *ms)
{
    char *end;
    double s = strtod(text, &end);
    /* Up to 49 days: what a 32-bit count of milliseconds holds below
     * HCS_TIMEOUT_DEFAULT. */
    if (end == text || *end || !(s >= 0) || s > 4200000.0)
        return false;
    *ms = (uint32_t)llround(s * 1000.0);
    return true;
}

/* Splits "--name=value" into the name's length and the value (or NULL). */
static size_t long_name(const char *word, const char **value)
{
    const char *eq = strchr(word + 2, '=');
    *value = eq ? eq + 1 : NULL;
    return eq ? (size_t)(eq - (word + 2)) : strlen(word + 2);
}

static const hcsctl_option *find_long(const hcsctl_option *opts, size_t count, const char *name, size_t len)
{
    for (size_t i = 0; i < count; i++)
        if (strlen(opts[i].name) == len && strncmp(opts[i].name, name, len) == 0)
            return &opts[i];
    return NULL;
}

int hcsctl_parse_global(int argc, char **argv, int *i, hcsctl_globals *globals)
{
    const char *word = argv[*i];
    if (strncmp(word, "--", 2) != 0)
        return 0;
    const char *value;
    size_t len = long_name(word, &value);
    const hcsctl_option *opt = find_long(hcsctl_global_options, hcsctl_global_option_count, word + 2, len);
    if (!opt)
        return 0;
    if (strcmp(opt->name, "trace") == 0) {
        globals->trace = true;
        return 1;
    }
    /* --version, --help, --man and --completion act alone, before a verb
     * (main.c). */
    if (!opt->arg || strcmp(opt->name, "completion") == 0)
        return 0;
    if (!value) {
        if (*i + 1 >= argc)
            return hcsctl_usage_error(NULL, "--%s needs a value (%s)", opt->name, opt->arg), -1;
        value = argv[++*i];
    }
    if (strcmp(opt->name, "provider") == 0) {
        globals->provider = value;
    } else if (strcmp(opt->name, "namespace") == 0) {
        globals->namespace_id = value;
    } else if (!hcsctl_parse_seconds(value, &globals->timeout_ms) || globals->timeout_ms == 0) {
        hcsctl_usage_error(NULL, "--timeout wants a number of seconds above 0, not \"%s\"", value);
        return -1;
    }
    return 1;
}

/* Records one value of the verb's option number k. */
static int add_value(hcsctl_args *args, size_t k, const char *value)
{
    const hcsctl_option *opt = &args->verb->options[k];
    if (args->counts[k] > 0 && !opt->repeat)
        return hcsctl_usage_error(args->verb, "--%s is given twice", opt->name);
    const char **grown = realloc(args->values[k], (args->counts[k] + 1) * sizeof *grown);
    if (!grown)
        return hcsctl_usage_error(args->verb, "out of memory");
    args->values[k] = grown;
    grown[args->counts[k]++] = value;
    return HCSCTL_EXIT_OK;
}

/* A word starting with "--": the verb's option, a global one, or --help. */
static int parse_long(hcsctl_args *args, int argc, char **argv, int *i, hcsctl_globals *globals, bool *help)
{
    const hcsctl_verb *verb = args->verb;
    const char *value;
    size_t len = long_name(argv[*i], &value);
    const hcsctl_option *opt = find_long(verb->options, verb->option_count, argv[*i] + 2, len);
    if (!opt) {
        if (len == 4 && strncmp(argv[*i] + 2, "help", 4) == 0)
            return *help = true, HCSCTL_EXIT_OK;
        int g = hcsctl_parse_global(argc, argv, i, globals);
        if (g != 0)
            return g > 0 ? HCSCTL_EXIT_OK : HCSCTL_EXIT_USAGE;
        return hcsctl_usage_error(verb, "unknown option %.*s", (int)len + 2, argv[*i]);
    }
    size_t k = (size_t)(opt - verb->options);
    if (!opt->arg) {
        if (value)
            return hcsctl_usage_error(verb, "--%s takes no value", opt->name);
        return add_value(args, k, NULL);
    }
    if (!value) {
        if (*i + 1 >= argc)
            return hcsctl_usage_error(verb, "--%s needs a value (%s)", opt->name, opt->arg);
        value = argv[++*i];
    }
    return add_value(args, k, value);
}

/* A word like "-it" or "-e" "K=V" or "-eK=V": short options. */
static int parse_short(hcsctl_args *args, int argc, char **argv, int *i, bool *help)
{
    const hcsctl_verb *verb = args->verb;
    for (const char *c = argv[*i] + 1; *c; c++) {
        if (*c == 'h')
            return *help = true, HCSCTL_EXIT_OK;
        const hcsctl_option *opt = NULL;
        for (size_t k = 0; k < verb->option_count && !opt; k++)
            if (verb->options[k].short_name == *c)
                opt = &verb->options[k];
        if (!opt)
            return hcsctl_usage_error(verb, "unknown option -%c", *c);
        size_t k = (size_t)(opt - verb->options);
        if (!opt->arg) {
            if (add_value(args, k, NULL) != HCSCTL_EXIT_OK)
                return HCSCTL_EXIT_USAGE;
            continue;
        }
        const char *value = c[1] ? c + 1 : (*i + 1 < argc ? argv[++*i] : NULL);
        if (!value)
            return hcsctl_usage_error(verb, "-%c needs a value (%s)", *c, opt->arg);
        return add_value(args, k, value);
    }
    return HCSCTL_EXIT_OK;
}

int hcsctl_parse(const hcsctl_verb *verb, int argc, char **argv, hcsctl_globals *globals, hcsctl_args *args, bool *help)
{
    memset(args, 0, sizeof *args);
    *help = false;
    args->verb = verb;
    args->positional = calloc((size_t)argc + 1, sizeof *args->positional);
    args->counts = calloc(verb->option_count + 1, sizeof *args->counts);
    args->values = calloc(verb->option_count + 1, sizeof *args->values);
    if (!args->positional || !args->counts || !args->values)
        return hcsctl_usage_error(verb, "out of memory");
    bool options_end = false;
    int ended_at = -2; /* the word after which options ended by count */
    for (int i = 0; i < argc; i++) {
        const char *word = argv[i];
        if (strcmp(word, "--") == 0 && (!options_end || i == ended_at + 1)) {
            options_end = true;
            continue;
        }
        int rc = HCSCTL_EXIT_OK;
        if (options_end || word[0] != '-' || word[1] == 0) {
            args->positional[args->positional_count++] = argv[i];
            if (verb->options_end_after && args->positional_count == verb->options_end_after && !options_end) {
                options_end = true;
                ended_at = i;
            }
        } else if (word[1] == '-') {
            rc = parse_long(args, argc, argv, &i, globals, help);
        } else {
            rc = parse_short(args, argc, argv, &i, help);
        }
        if (rc != HCSCTL_EXIT_OK)
            return rc;
        if (*help)
            return HCSCTL_EXIT_OK;
    }
    if (args->positional_count < verb->min_args)
        return hcsctl_usage_error(verb, "%s",
                                  args->positional_count ? "arguments are missing"
                                  : verb->missing        ? verb->missing
                                                         : "which system? (an ID is needed)");
    if (args->positional_count > verb->max_args)
        return hcsctl_usage_error(verb, "unexpected argument \"%s\"", args->positional[verb->max_args]);
    return HCSCTL_EXIT_OK;
}

void hcsctl_args_free(hcsctl_args *args)
{
    if (args->values)
        for (size_t k = 0; k < args->verb->option_count; k++)
            free((void *)args->values[k]);
    free((void *)args->values);
    free(args->counts);
    free(args->positional);
    memset(args, 0, sizeof *args);
}

static size_t option_index(const hcsctl_args *args, const char *option)
{
    for (size_t k = 0; k < args->verb->option_count; k++)
        if (strcmp(args->verb->options[k].name, option) == 0)
            return k;
    return SIZE_MAX; /* a verb asking for an option it does not have: none given */
}

size_t hcsctl_arg_count(const hcsctl_args *args, const char *option)
{
    size_t k = option_index(args, option);
    return k == SIZE_MAX ? 0 : args->counts[k];
}

const char *hcsctl_arg_value(const hcsctl_args *args, const char *option)
{
    size_t k = option_index(args, option);
    return k == SIZE_MAX || args->counts[k] == 0 ? NULL : args->values[k][args->counts[k] - 1];
}

const char *const *hcsctl_arg_values(const hcsctl_args *args, const char *option, size_t *count)
{
    size_t k = option_index(args, option);
    *count = k == SIZE_MAX ? 0 : args->counts[k];
    return *count ? args->values[k] : NULL;
}

/* ---- help --------------------------------------------------------------- */

/* Prints text wrapped at `width` columns, each line indented by `indent`;
 * "\n\n" separates paragraphs. The cursor is at column `col` (0: at the
 * start of a line). */
static void print_wrapped(FILE *out, const char *text, int indent, int width, int col)
{
    const char *p = text;
    while (*p) {
        if (p[0] == '\n') {
            fputs("\n\n", out);
            col = 0;
            p += p[1] == '\n' ? 2 : 1;
            continue;
        }
        while (*p == ' ')
            p++;
        size_t len = strcspn(p, " \n");
        if (col > indent && col + 1 + (int)len > width) {
            fputc('\n', out);
            col = 0;
        }
        if (col == 0) {
            fprintf(out, "%*s", indent, "");
            col = indent;
        } else if (col > indent || p > text) {
            fputc(' ', out);
            col++;
        }
        fwrite(p, 1, len, out);
        col += (int)len;
        p += len;
    }
    if (col > 0)
        fputc('\n', out);
}

/* "-t, --timeout SECONDS" */
static int option_label(char *buf, size_t size, const hcsctl_option *opt)
{
    const char *sep = opt->arg ? " " : "", *arg = opt->arg ? opt->arg : "";
    if (opt->short_name)
        return snprintf(buf, size, "-%c, --%s%s%s", opt->short_name, opt->name, sep, arg);
    return snprintf(buf, size, "--%s%s%s", opt->name, sep, arg);
}

static void print_options(FILE *out, const hcsctl_option *opts, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        char label[96];
        int n = option_label(label, sizeof label, &opts[i]);
        fprintf(out, "  %s", label);
        if (n > 24)
            fprintf(out, "\n%*s", 28, "");
        else
            fprintf(out, "%*s", 26 - n, "");
        print_wrapped(out, opts[i].help, 28, 78, 28);
    }
}

void hcsctl_print_help(FILE *out)
{
    fprintf(out, "usage: hcsctl [GLOBAL OPTIONS] VERB [OPTIONS] [ARGS]\n\n"
                 "hcsctl drives the Windows Host Compute Service (HCS): containers and virtual machines.\n\n"
                 "verbs:\n");
    for (size_t i = 0; i < hcsctl_verb_count; i++)
        fprintf(out, "  %-9s %s\n", hcsctl_verbs[i].name, hcsctl_verbs[i].summary);
    fprintf(out, "\nglobal options (before or after the verb; a verb's own option of the same name wins):\n");
    print_options(out, hcsctl_global_options, hcsctl_global_option_count);
    fprintf(out, "\nexit codes:\n");
    for (size_t i = 0; i < hcsctl_exit_code_count; i++) {
        fprintf(out, "  %-5s ", hcsctl_exit_codes[i].name);
        print_wrapped(out, hcsctl_exit_codes[i].text, 8, 78, 8);
    }
    fprintf(out, "\nenvironment:\n");
    for (size_t i = 0; i < hcsctl_environment_count; i++) {
        fprintf(out, "  %s\n", hcsctl_environment[i].name);
        print_wrapped(out, hcsctl_environment[i].text, 8, 78, 0);
    }
    fprintf(out, "\n'hcsctl VERB --help' describes a verb; 'man hcsctl' all of them.\n");
}

void hcsctl_print_verb_help(FILE *out, const hcsctl_verb *verb)
{
    print_usage_line(out, verb);
    fputc('\n', out);
    print_wrapped(out, verb->description, 0, 78, 0);
    if (verb->option_count) {
        fprintf(out, "\noptions:\n");
        print_options(out, verb->options, verb->option_count);
    }
    fprintf(out, "\nglobal options: --provider, --namespace, --trace, --timeout (see 'hcsctl --help')\n");
}

/* ---- the man page ------------------------------------------------------- */

/* Text for troff: backslashes and leading dots escaped, dashes kept as
 * minus signs (so options can be searched and copied). */
static void roff(FILE *out, const char *text)
{
    bool line_start = true;
    for (const char *p = text; *p; p++) {
        if (line_start && (*p == '.' || *p == '\''))
            fputs("\\&", out);
        if (*p == '\\')
            fputs("\\e", out);
        else if (*p == '-')
            fputs("\\-", out);
        else if (*p == '\n' && p[1] == '\n')
            fputs("\n.PP\n", out), p++;
        else
            fputc(*p, out);
        line_start = *p == '\n';
    }
}

static void roff_options(FILE *out, const hcsctl_option *opts, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        fputs(".TP\n", out);
        if (opts[i].short_name)
            fprintf(out, "\\fB\\-%c\\fR, ", opts[i].short_name);
        fputs("\\fB\\-\\-", out);
        roff(out, opts[i].name);
        fputs("\\fR", out);
        if (opts[i].arg) {
            fputs(" \\fI", out);
            roff(out, opts[i].arg);
            fputs("\\fR", out);
        }
        fputc('\n', out);
        roff(out, opts[i].help);
        fputc('\n', out);
    }
}

static void roff_rows(FILE *out, const hcsctl_text_row *rows, size_t count, bool code)
{
    for (size_t i = 0; i < count; i++) {
        fprintf(out, ".TP\n%s", code ? "\\fB" : "");
        roff(out, rows[i].name);
        fprintf(out, "%s\n", code ? "\\fR" : "");
        roff(out, rows[i].text);
        fputc('\n', out);
    }
}

void hcsctl_print_man(FILE *out)
{
    fprintf(out,
            ".\\\" Generated by 'hcsctl --man' from tools/hcsctl/verbs.c; do not edit.\n"
            ".TH HCSCTL 1 \"\" \"hcskit %s\" \"User Commands\"\n"
            ".SH NAME\nhcsctl \\- drive the Windows Host Compute Service (containers and virtual machines)\n"
            ".SH SYNOPSIS\n\\fBhcsctl\\fR [\\fIGLOBAL OPTIONS\\fR] \\fIVERB\\fR [\\fIOPTIONS\\fR] "
            "[\\fIARGS\\fR]\n"
            ".SH DESCRIPTION\n",
            HCS_VERSION_STRING);
    roff(out, "hcsctl runs every action of the Host Compute Service (HCS), the part of Windows that creates and runs "
              "Windows containers and Hyper-V virtual machines, through libhcs: listing, creating, starting, pausing, "
              "saving, stopping and removing compute systems, running processes in them with their input and output "
              "relayed, and watching their events and resource use. Tables are for people, --json is for programs, "
              "and the exit codes below are for scripts.\n\n"
              "Off Windows it drives hcssim, a simulator of HCS: hcssimd, the simulator as a service shared by every "
              "command, when it runs; otherwise the simulator built into hcsctl, whose systems end with the command.");
    fputs("\n.SH GLOBAL OPTIONS\n", out);
    roff(out, "Global options may come before or after the verb; a verb's own option of the same name (stop and wait "
              "have --timeout) wins after the verb.");
    fputc('\n', out);
    roff_options(out, hcsctl_global_options, hcsctl_global_option_count);
    fputs(".SH VERBS\n", out);
    for (size_t i = 0; i < hcsctl_verb_count; i++) {
        const hcsctl_verb *v = &hcsctl_verbs[i];
        fprintf(out, ".SS \"%s\"\n\\fBhcsctl %s\\fR ", v->name, v->name);
        roff(out, v->synopsis);
        fputs("\n.PP\n", out);
        roff(out, v->description);
        fputc('\n', out);
        roff_options(out, v->options, v->option_count);
    }
    fputs(".SH EXIT STATUS\n", out);
    roff_rows(out, hcsctl_exit_codes, hcsctl_exit_code_count, true);
    fputs(".SH ENVIRONMENT\n", out);
    roff_rows(out, hcsctl_environment, hcsctl_environment_count, true);
    fputs(".SH EXAMPLES\n", out);
    roff_rows(out, hcsctl_examples, hcsctl_example_count, true);
    fputs(".SH SEE ALSO\n\\fBhcssimd\\fR(1), and in hcskit's sources README.md, docs/hcssimd.md, docs/errors.md\n",
          out);
}

/* ---- bash completion ---------------------------------------------------- */

/* "--json --quiet -q ..." */
static void completion_words(FILE *out, const hcsctl_option *opts, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        fprintf(out, " --%s", opts[i].name);
        if (opts[i].short_name)
            fprintf(out, " -%c", opts[i].short_name);
    }
}

/* The case arms completing the value of each option that takes one. */
static void completion_values(FILE *out, const hcsctl_option *opts, size_t count, const char *indent)
{
    for (size_t i = 0; i < count; i++) {
        if (!opts[i].arg)
            continue;
        fprintf(out, "%s--%s", indent, opts[i].name);
        if (opts[i].short_name)
            fprintf(out, "|-%c", opts[i].short_name);
        if (opts[i].complete == HCSCTL_COMPLETE_WORDS)
            fprintf(out, ") COMPREPLY=($(compgen -W \"%s\" -- \"$cur\")); return ;;\n", opts[i].words);
        else if (opts[i].complete == HCSCTL_COMPLETE_FILES)
            fprintf(out, ") COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n");
        else if (opts[i].complete == HCSCTL_COMPLETE_IDS)
            fprintf(out, ") COMPREPLY=($(compgen -W \"$(_hcsctl_ids)\" -- \"$cur\")); return ;;\n");
        else
            fprintf(out, ") return ;;\n");
    }
}

void hcsctl_print_completion(FILE *out)
{
    fprintf(out, "# bash completion for hcsctl; generated by 'hcsctl --completion bash' from tools/hcsctl/verbs.c.\n"
                 "_hcsctl_ids() { hcsctl list --quiet 2>/dev/null; }\n"
                 "_hcsctl() {\n"
                 "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} verb= i\n"
                 "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
                 "        case ${COMP_WORDS[i]} in\n"
                 "        --provider|--namespace|--timeout|--completion) ((i++)) ;;\n"
                 "        -*) ;;\n"
                 "        *) verb=${COMP_WORDS[i]}; break ;;\n"
                 "        esac\n"
                 "    done\n"
                 "    case $prev in\n");
    completion_values(out, hcsctl_global_options, hcsctl_global_option_count, "    ");
    fprintf(out, "    esac\n"
                 "    if [[ -z $verb ]]; then\n"
                 "        COMPREPLY=($(compgen -W \"");
    for (size_t i = 0; i < hcsctl_verb_count; i++)
        fprintf(out, "%s%s", i ? " " : "", hcsctl_verbs[i].name);
    completion_words(out, hcsctl_global_options, hcsctl_global_option_count);
    fprintf(out, "\" -- \"$cur\"))\n"
                 "        return\n"
                 "    fi\n"
                 "    case $verb in\n");
    for (size_t v = 0; v < hcsctl_verb_count; v++) {
        const hcsctl_verb *verb = &hcsctl_verbs[v];
        fprintf(out, "    %s)\n        case $prev in\n", verb->name);
        completion_values(out, verb->options, verb->option_count, "        ");
        fprintf(out, "        esac\n        if [[ $cur == -* ]]; then\n            COMPREPLY=($(compgen -W \"--help");
        completion_words(out, verb->options, verb->option_count);
        fprintf(out, "\" -- \"$cur\"))\n");
        if (verb->complete_args == HCSCTL_COMPLETE_IDS)
            fprintf(out, "        else\n            COMPREPLY=($(compgen -W \"$(_hcsctl_ids)\" -- \"$cur\"))\n");
        else if (verb->complete_args == HCSCTL_COMPLETE_FILES)
            fprintf(out, "        else\n            COMPREPLY=($(compgen -f -- \"$cur\"))\n");
        fprintf(out, "        fi ;;\n");
    }
    fprintf(out, "    esac\n"
                 "}\n"
                 "complete -F _hcsctl hcsctl\n");
}
