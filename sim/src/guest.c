/* The guest programs (see guest.h and docs/guest-programs.md). */
#include "guest.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool say(guest_io *io, const char *text) { return hcssim__guest_out(io, text, strlen(text)); }

static bool say_line(guest_io *io, const char *text) { return say(io, text) && say(io, "\r\n"); }

/* A non-negative decimal argument, or -1. */
static long long number(const char *s)
{
    if (!s || !*s)
        return -1;
    char *end;
    long long n = strtoll(s, &end, 10);
    return *end || n < 0 ? -1 : n;
}

static int usage(guest_io *io, const char *text)
{
    hcssim__guest_err(io, text, strlen(text));
    hcssim__guest_err(io, "\r\n", 2);
    return 1;
}

/* ---- cmd ---------------------------------------------------------------- */

static bool same_prefix(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
            return false;
    return true;
}

static bool same_word(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return false;
    return !*a && !*b;
}

/* The n bytes at word are the command `name` (any case). */
static bool same_command(const char *word, size_t n, const char *name)
{
    return strlen(name) == n && same_prefix(word, name, n);
}

/* Runs one command line of cmd's built-ins. Returns its exit code; sets
 * *leave for "exit". */
static int cmd_line(guest_io *io, const char *line, bool *leave)
{
    while (*line == ' ' || *line == '\t')
        line++;
    if (!*line || *line == '\r' || *line == '\n')
        return 0;
    size_t word = strcspn(line, " \t\r\n");
    const char *rest = line + word + (line[word] == ' ');
    if (same_command(line, word, "echo")) {
        size_t n = strcspn(rest, "\r\n");
        return hcssim__guest_out(io, rest, n) && say(io, "\r\n") ? 0 : 1;
    }
    if (same_command(line, word, "exit")) {
        *leave = true;
        if (strncmp(rest, "/b ", 3) == 0 || strncmp(rest, "/B ", 3) == 0)
            rest += 3;
        return (int)strtol(rest, NULL, 10);
    }
    if (same_command(line, word, "set"))
        return hcssim__guest_print_env(io) ? 0 : 1;
    if (same_command(line, word, "cd"))
        return say_line(io, hcssim__guest_cwd(io)) ? 0 : 1;
    if (same_command(line, word, "hostname"))
        return say_line(io, hcssim__guest_hostname(io)) ? 0 : 1;
    /* cmd names the whole word, however long. */
    static const char tail[] = "' is not recognized as an internal or external command,\r\n"
                               "operable program or batch file.\r\n";
    hcssim__guest_err(io, "'", 1);
    hcssim__guest_err(io, line, word);
    hcssim__guest_err(io, tail, sizeof tail - 1);
    return 1;
}

/* "cmd /c <command>": the words after /c, joined by single blanks, as
 * one command line of any length. */
static int cmd_once(guest_io *io, int argc, char **argv)
{
    size_t size = 1;
    for (int i = 2; i < argc; i++)
        size += strlen(argv[i]) + 1;
    char *line = malloc(size);
    if (!line)
        return usage(io, "cmd: not enough memory");
    size_t used = 0;
    for (int i = 2; i < argc; i++) {
        size_t n = strlen(argv[i]);
        memcpy(line + used, argv[i], n);
        used += n;
        if (i + 1 < argc)
            line[used++] = ' ';
    }
    line[used] = '\0';
    bool leave = false;
    int code = cmd_line(io, line, &leave);
    free(line);
    return code;
}

/* Plain "cmd": reads commands from stdin, one per line of any length,
 * until "exit" or end of input. */
static int cmd_interactive(guest_io *io)
{
    size_t cap = 1024, used = 0;
    char *buf = malloc(cap);
    int code = 0;
    for (;;) {
        if (!buf)
            return usage(io, "cmd: not enough memory");
        if (cap - used < 2) { /* a line longer than the buffer: grow it */
            char *bigger = cap <= SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;
            if (!bigger)
                free(buf);
            buf = bigger;
            cap *= 2;
            continue;
        }
        long got = hcssim__guest_in(io, buf + used, cap - 1 - used);
        if (got < 0) {
            free(buf);
            return 1;
        }
        used += (size_t)got;
        size_t start = 0;
        char *nl;
        bool leave = false;
        while ((nl = memchr(buf + start, '\n', used - start)) != NULL) {
            *nl = '\0';
            code = cmd_line(io, buf + start, &leave);
            if (leave) {
                free(buf);
                return code;
            }
            start = (size_t)(nl + 1 - buf);
        }
        memmove(buf, buf + start, used - start);
        used -= start;
        if (got == 0) {
            buf[used] = '\0';
            if (used)
                code = cmd_line(io, buf, &leave);
            free(buf);
            return code;
        }
    }
}

/* "cmd /c <command>" runs one command; plain "cmd" reads commands from
 * stdin until "exit" or end of input. */
static int cmd(guest_io *io, int argc, char **argv)
{
    if (argc >= 2 && (same_word(argv[1], "/c") || same_word(argv[1], "/k")))
        return cmd_once(io, argc, argv);
    return cmd_interactive(io);
}

/* ---- other Windows commands --------------------------------------------- */

/* ping -n N host: N replies a second apart (the usual way to sleep). */
static int ping(guest_io *io, int argc, char **argv)
{
    long long count = 4;
    const char *host = NULL;
    for (int i = 1; i < argc; i++) {
        if (same_word(argv[i], "-n") && i + 1 < argc)
            count = number(argv[++i]);
        else
            host = argv[i];
    }
    if (!host || count < 1)
        return usage(io, "Usage: ping [-n count] target_name");
    /* The host as given, however long: the simulated network answers
     * every name. */
    if (!say(io, "\r\nPinging ") || !say(io, host) || !say_line(io, " with 32 bytes of data:"))
        return 1;
    for (long long i = 0; i < count; i++) {
        if (i > 0 && !hcssim__guest_sleep(io, 1000))
            return 1;
        if (!say(io, "Reply from ") || !say(io, host) || !say_line(io, ": bytes=32 time<1ms TTL=128"))
            return 1;
    }
    return 0;
}

/* True when the n bytes at text contain needle. */
static bool contains(const char *text, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    if (m == 0)
        return true;
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(text + i, needle, m) == 0)
            return true;
    return false;
}

/* more: copies stdin to stdout as it comes. */
static int copy_all(guest_io *io)
{
    char buf[4096];
    for (;;) {
        long got = hcssim__guest_in(io, buf, sizeof buf);
        if (got <= 0)
            return got < 0 ? 1 : 0;
        if (!hcssim__guest_out(io, buf, (size_t)got))
            return 1;
    }
}

/* findstr: copies the stdin lines (of any length) that contain filter;
 * the last line may lack its newline. */
static int copy_lines(guest_io *io, const char *filter)
{
    size_t cap = 4096, used = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf)
            return usage(io, "FINDSTR: Out of memory");
        if (used == cap) { /* a line longer than the buffer: grow it */
            char *bigger = cap <= SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;
            if (!bigger)
                free(buf);
            buf = bigger;
            cap *= 2;
            continue;
        }
        long got = hcssim__guest_in(io, buf + used, cap - used);
        if (got < 0) {
            free(buf);
            return 1;
        }
        used += (size_t)got;
        size_t start = 0;
        for (;;) {
            char *nl = memchr(buf + start, '\n', used - start);
            if (!nl && (got > 0 || start == used))
                break;
            size_t len = nl ? (size_t)(nl - (buf + start)) + 1 : used - start;
            if (contains(buf + start, len, filter) && !hcssim__guest_out(io, buf + start, len)) {
                free(buf);
                return 1;
            }
            start += len;
        }
        memmove(buf, buf + start, used - start);
        used -= start;
        if (got == 0) {
            free(buf);
            return 0;
        }
    }
}

static int findstr(guest_io *io, int argc, char **argv)
{
    if (argc < 2)
        return usage(io, "FINDSTR: Bad command line");
    return copy_lines(io, argv[argc - 1]);
}

static int more(guest_io *io, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return copy_all(io);
}

static int hostname(guest_io *io, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return say_line(io, hcssim__guest_hostname(io)) ? 0 : 1;
}

static int whoami(guest_io *io, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return say_line(io, hcssim__guest_user(io)) ? 0 : 1;
}

/* ---- hcssim helpers ----------------------------------------------------- */

/* hcssim-burn MS: counts MS of CPU time (while sleeping as long). */
static int burn(guest_io *io, int argc, char **argv)
{
    long long ms = argc == 2 ? number(argv[1]) : -1;
    if (ms < 0)
        return usage(io, "usage: hcssim-burn MILLISECONDS");
    hcssim__guest_charge_cpu(io, (uint64_t)ms);
    return hcssim__guest_sleep(io, (uint32_t)ms) ? 0 : 1;
}

/* hcssim-alloc MB [MS]: holds MB of memory, for MS (default: until
 * stopped or stdin ends). */
static int alloc(guest_io *io, int argc, char **argv)
{
    long long mb = argc >= 2 ? number(argv[1]) : -1;
    long long ms = argc == 3 ? number(argv[2]) : -2;
    if (mb < 0 || ms == -1 || argc > 3)
        return usage(io, "usage: hcssim-alloc MEGABYTES [MILLISECONDS]");
    hcssim__guest_hold_memory(io, (uint64_t)mb * 1024 * 1024);
    char line[48];
    snprintf(line, sizeof line, "holding %lld MB", mb);
    if (!say_line(io, line))
        return 1;
    if (ms >= 0)
        return hcssim__guest_sleep(io, (uint32_t)ms) ? 0 : 1;
    char sink[256];
    long got;
    while ((got = hcssim__guest_in(io, sink, sizeof sink)) > 0) {
    }
    return got < 0 ? 1 : 0;
}

/* hcssim-stderr TEXT...: writes the words to stderr. */
static int to_stderr(guest_io *io, int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!hcssim__guest_err(io, argv[i], strlen(argv[i])) ||
            !hcssim__guest_err(io, i + 1 < argc ? " " : "\r\n", 2 - (i + 1 < argc)))
            return 1;
    return 0;
}

/* hcssim-ignore-ctrlc [MS]: ignores Ctrl-C and Ctrl-Break, then sleeps MS
 * (default: until terminated). */
static int ignore_ctrlc(guest_io *io, int argc, char **argv)
{
    long long ms = argc == 2 ? number(argv[1]) : -2;
    if (ms == -1 || argc > 2)
        return usage(io, "usage: hcssim-ignore-ctrlc [MILLISECONDS]");
    hcssim__guest_ignore_ctrl(io);
    if (!say_line(io, "ignoring Ctrl-C"))
        return 1;
    return hcssim__guest_sleep(io, ms >= 0 ? (uint32_t)ms : UINT32_MAX) ? 0 : 1;
}

/* hcssim-bytes N [stderr]: writes N bytes ('x', a newline every 64). */
static int bytes(guest_io *io, int argc, char **argv)
{
    long long n = argc >= 2 ? number(argv[1]) : -1;
    bool err = argc == 3 && strcmp(argv[2], "stderr") == 0;
    if (n < 0 || (argc == 3 && !err) || argc > 3)
        return usage(io, "usage: hcssim-bytes COUNT [stderr]");
    char block[4096];
    for (size_t i = 0; i < sizeof block; i++)
        block[i] = i % 64 == 63 ? '\n' : 'x';
    for (long long left = n; left > 0;) {
        size_t chunk = left > (long long)sizeof block ? sizeof block : (size_t)left;
        if (!(err ? hcssim__guest_err(io, block, chunk) : hcssim__guest_out(io, block, chunk)))
            return 1;
        left -= (long long)chunk;
    }
    return 0;
}

/* hcssim-storage READ WRITE: counts storage I/O of that many bytes. */
static int storage(guest_io *io, int argc, char **argv)
{
    long long r = argc == 3 ? number(argv[1]) : -1, w = argc == 3 ? number(argv[2]) : -1;
    if (r < 0 || w < 0)
        return usage(io, "usage: hcssim-storage READ_BYTES WRITTEN_BYTES");
    hcssim__guest_charge_storage(io, (uint64_t)r, (uint64_t)w);
    return 0;
}

/* hcssim-write NAME TEXT...: writes the words of TEXT, joined by spaces,
 * to the file NAME of the container's root folder. */
static int write_file(guest_io *io, int argc, char **argv)
{
    if (argc < 3 || strstr(argv[1], "..") || strpbrk(argv[1], "\\/:"))
        return usage(io, "usage: hcssim-write NAME TEXT... (NAME a file of the container's root folder)");
    size_t size = 1;
    for (int i = 2; i < argc; i++)
        size += strlen(argv[i]) + 1;
    char *text = calloc(1, size);
    for (size_t at = 0, i = 2; text && i < (size_t)argc; i++)
        at += (size_t)snprintf(text + at, size - at, "%s%s", i > 2 ? " " : "", argv[i]);
    int rc = text ? hcssim__guest_write_file(io, argv[1], text) : -2;
    free(text);
    if (rc == -1)
        return usage(io, "hcssim-write: this container has no writable layer (Storage.Path)");
    return rc == 0 ? 0 : usage(io, "hcssim-write: the file cannot be written");
}

/* hcssim-console: prints "HEIGHTxWIDTH" now and after each stdin line. */
static int console(guest_io *io, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    for (;;) {
        unsigned h, w;
        hcssim__guest_console_size(io, &h, &w);
        char line[32];
        snprintf(line, sizeof line, "%ux%u", h, w);
        if (!say_line(io, line))
            return 1;
        char c = 0;
        long got;
        while ((got = hcssim__guest_in(io, &c, 1)) > 0 && c != '\n') {
        }
        if (got <= 0)
            return got < 0 ? 1 : 0;
    }
}

/* ---- lookup ------------------------------------------------------------- */

static const struct {
    const char *name;
    guest_main main;
} programs[] = {
    {"cmd", cmd},
    {"ping", ping},
    {"findstr", findstr},
    {"more", more},
    {"hostname", hostname},
    {"whoami", whoami},
    {"hcssim-burn", burn},
    {"hcssim-alloc", alloc},
    {"hcssim-stderr", to_stderr},
    {"hcssim-ignore-ctrlc", ignore_ctrlc},
    {"hcssim-bytes", bytes},
    {"hcssim-storage", storage},
    {"hcssim-console", console},
    {"hcssim-write", write_file},
};

guest_main hcssim__guest_find(const char *program)
{
    if (!program)
        return NULL;
    const char *base = program;
    for (const char *p = program; *p; p++)
        if (*p == '\\' || *p == '/')
            base = p + 1;
    size_t len = strlen(base);
    if (len > 4 && same_word(base + len - 4, ".exe"))
        len -= 4;
    for (size_t i = 0; i < sizeof programs / sizeof programs[0]; i++)
        if (strlen(programs[i].name) == len && same_prefix(programs[i].name, base, len))
            return programs[i].main;
    return NULL;
}
