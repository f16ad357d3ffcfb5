/* Guest programs: the small command set a simulated container runs, named
 * like the Windows commands examples use (docs/guest-programs.md): cmd (/c or reading
 * commands from stdin), ping, findstr, more, hostname, whoami, set, plus
 * hcssim-* helpers that make a process burn CPU, hold memory, do storage
 * I/O, write to stderr, ignore Ctrl-C, produce bytes or report its console
 * size. docs/guest-programs.md describes each.
 *
 * A program runs on the process's own thread and reaches the world only
 * through the guest_* calls below (implemented by process.c). A blocking
 * call returns early once the process is being stopped (terminate, Ctrl-C,
 * system exit); the program should then return at once. */
#ifndef HCSSIM_GUEST_H
#define HCSSIM_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct guest_io guest_io;

/* stdout (or the console) and stderr: false when the process is stopping. */
bool hcssim__guest_out(guest_io *io, const char *text, size_t n);
bool hcssim__guest_err(guest_io *io, const char *text, size_t n);
/* Reads stdin: bytes read, 0 at end of input (or no stdin), -1 when the
 * process is stopping. */
long hcssim__guest_in(guest_io *io, char *buf, size_t n);
/* Sleeps; false when the process is stopping. */
bool hcssim__guest_sleep(guest_io *io, uint32_t ms);
/* Ignores Ctrl-C and Ctrl-Break from now on. */
void hcssim__guest_ignore_ctrl(guest_io *io);

/* The process's view of its world. */
const char *hcssim__guest_getenv(guest_io *io, const char *name);
/* Writes every "NAME=value\r\n" of the environment, sorted. */
bool hcssim__guest_print_env(guest_io *io);
const char *hcssim__guest_cwd(guest_io *io);
const char *hcssim__guest_user(guest_io *io);
const char *hcssim__guest_hostname(guest_io *io);
void hcssim__guest_console_size(guest_io *io, unsigned *height, unsigned *width);
/* Writes text to the file name of the container's root folder, which is
 * name under its writable layer's Files on the host (storage-and-network
 * §1.4.3). 0, -1 when the container has no writable layer (Storage.Path),
 * -2 when the file cannot be written. */
int hcssim__guest_write_file(guest_io *io, const char *name, const char *text);

/* What the process did, for the system's Statistics (100 ns units and
 * bytes, as the schema counts). */
void hcssim__guest_charge_cpu(guest_io *io, uint64_t ms);
void hcssim__guest_hold_memory(guest_io *io, uint64_t bytes);
void hcssim__guest_charge_storage(guest_io *io, uint64_t read_bytes, uint64_t written_bytes);

typedef int (*guest_main)(guest_io *io, int argc, char **argv);

/* The program for argv[0] (a bare name, a path, with or without ".exe",
 * any case), or NULL when there is none: CreateProcess's "file not
 * found". */
guest_main hcssim__guest_find(const char *program);

#endif
