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

/* Runs one command line of cmd's built-ins. Returns its exit code; sets
 * *leave for "exit". */
static int cmd_line(guest_io *io, const char *line, bool *leave)
{
    while (*line == ' ' || *line == '\t')
        line++;
    size_t word = strcspn(line, " \t\r\n");
    char name[16] = "";
    if (word < sizeof name)
        memcpy(name, line, word);
    const char *rest = line + word + (line[word] == ' ');
    if (!*line || *line == '\r' || *line == '\n')
        return 0;
    if (same_word(name, "echo")) {
        size_t n = strcspn(rest, "\r\n");
        return hcssim__guest_out(io, rest, n) && say(io, "\r\n") ? 0 : 1;
    }
    if (same_word(name, "exit")) {
        *leave = true;
        if (strncmp(rest, "/b ", 3) == 0 || strncmp(rest, "/B ", 3) == 0)
            rest += 3;
        return (int)strtol(rest, NULL, 10);
    }
    if (same_word(name, "set"))
        return hcssim__guest_print_env(io) ? 0 : 1;
    if (same_word(name, "cd"))
        return say_line(io, hcssim__guest_cwd(io)) ? 0 : 1;
    if (same_word(name, "hostname"))
        return say_line(io, hcssim__guest_hostname(io)) ? 0 : 1;
    char text[160];
    snprintf(text, sizeof text,
             "'%.*s' is not recognized as an internal or external command,\r\noperable program or batch file.",
             (int)(word > 100 ? 100 : word), line);
    return usage(io, text);
}

/* "cmd /c <command>" runs one command; plain "cmd" reads commands from
 * stdin until "exit" or end of input. */
static int cmd(guest_io *io, int argc, char **argv)
{
    if (argc >= 2 && (same_word(argv[1], "/c") || same_word(argv[1], "/k"))) {
        char line[1024] = "";
        for (int i = 2; i < argc; i++) {
            strncat(line, argv[i], sizeof line - strlen(line) - 2);
            if (i + 1 < argc)
                strncat(line, " ", sizeof line - strlen(line) - 1);
        }
        bool leave = false;
        return cmd_line(io, line, &leave);
    }
    char line[1024];
    size_t used = 0;
    int code = 0;
    for (;;) {
        long got = hcssim__guest_in(io, line + used, sizeof line - 1 - used);
        if (got < 0)
            return 1;
        used += (size_t)(got > 0 ? got : 0);
        line[used] = '\0';
        char *nl;
        bool leave = false;
        while ((nl = strchr(line, '\n')) != NULL) {
            *nl = '\0';
            code = cmd_line(io, line, &leave);
            if (leave)
                return code;
            used -= (size_t)(nl + 1 - line);
            memmove(line, nl + 1, used + 1);
        }
        if (got == 0 || used == sizeof line - 1)
            return used ? cmd_line(io, line, &leave) : code;
    }
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
    char line[160];
    snprintf(line, sizeof line, "\r\nPinging %.100s with 32 bytes of data:", host);
    if (!say_line(io, line))
        return 1;
    for (long long i = 0; i < count; i++) {
        if (i > 0 && !hcssim__guest_sleep(io, 1000))
            return 1;
        snprintf(line, sizeof line, "Reply from %.100s: bytes=32 time<1ms TTL=128", host);
        if (!say_line(io, line))
            return 1;
    }
    return 0;
}

/* Copies stdin to stdout, keeping only lines containing `filter` (when
 * given): findstr and more. */
static int copy_lines(guest_io *io, const char *filter)
{
    char buf[4096];
    size_t used = 0;
    for (;;) {
        long got = hcssim__guest_in(io, buf + used, sizeof buf - 1 - used);
        if (got < 0)
            return 1;
        used += (size_t)got;
        buf[used] = '\0';
        char *start = buf, *nl;
        while ((nl = strchr(start, '\n')) != NULL || (got == 0 && *start) || used == sizeof buf - 1) {
            size_t len = nl ? (size_t)(nl - start) + 1 : strlen(start);
            char saved = start[len];
            start[len] = '\0';
            bool keep = !filter || strstr(start, filter);
            start[len] = saved;
            if (keep && !hcssim__guest_out(io, start, len))
                return 1;
            start += len;
            if (!nl)
                break;
        }
        used = strlen(start);
        memmove(buf, start, used + 1);
        if (got == 0)
            return 0;
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
    return copy_lines(io, NULL);
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
