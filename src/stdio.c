/* Standard streams of processes: closing, writing, and collecting output
 * with a bounded drain (see hcs/streams.h). hcs_pipe_close, which must end
 * the transfers in flight first, and those transfers are in pipe_io.c. */
#include "hcs/streams.h"

#include "error_internal.h"
#include "platform/os_pipe.h"
#include "platform/thread.h"

#include <stdlib.h>
#include <string.h>

void hcs_stdio_close(hcs_stdio *stdio)
{
    if (!stdio)
        return;
    hcs_pipe_close(stdio->in);
    hcs_pipe_close(stdio->out);
    hcs_pipe_close(stdio->err);
    *stdio = (hcs_stdio){HCS_PIPE_NONE, HCS_PIPE_NONE, HCS_PIPE_NONE};
}

int32_t hcs_pipe_write(hcs_pipe pipe, const void *data, size_t size, hcs_error *err)
{
    const char *name = "hcs_pipe_write";
    if (pipe == HCS_PIPE_NONE || (!data && size))
        return hcs__fail(err, HCS_COM_E_INVALIDARG, name, "no pipe or no data");
    const char *p = data;
    while (size > 0) {
        long put = hcs__os_pipe_write(pipe, p, size);
        if (put == 0)
            return hcs__fail(err, HCS_WIN32_E_BROKEN_PIPE, name, "the reader closed the pipe");
        if (put < 0)
            return hcs__fail(err, HCS_COM_E_FAIL, name, "the write failed");
        p += put;
        size -= (size_t)put;
    }
    return hcs__succeed(err);
}

void hcs_output_clear(hcs_output *out)
{
    if (!out)
        return;
    free(out->out);
    free(out->err);
    memset(out, 0, sizeof *out);
}

/* How much one read of a collected stream asks for: a pipe's whole default
 * capacity on Linux, so a writer that filled it is drained in one call
 * (issue 14, "Measured today" 6: 4 KiB reads cost 1.5-1.7x the time of
 * 64 KiB reads for 100 MiB of output). */
enum { COLLECT_CHUNK = 64 * 1024 };

/* One stream being collected; its buffer grows as data comes. */
typedef struct stream {
    hcs_pipe pipe;
    bool present; /* the stream existed */
    char *buf;
    size_t size, cap, max;
    bool truncated;
} stream;

static void stream_start(stream *s, hcs_pipe pipe, size_t max)
{
    memset(s, 0, sizeof *s);
    s->pipe = pipe;
    s->present = pipe != HCS_PIPE_NONE;
    s->max = max;
}

/* Room for `more` bytes and a NUL; false when memory ran out. */
static bool stream_grow(stream *s, size_t more)
{
    if (s->size + more + 1 <= s->cap)
        return true;
    size_t cap = s->cap ? s->cap * 2 : 4096;
    while (cap < s->size + more + 1)
        cap *= 2;
    char *bigger = realloc(s->buf, cap);
    if (!bigger)
        return false;
    s->buf = bigger;
    s->cap = cap;
    return true;
}

/* Reads what is there, up to COLLECT_CHUNK bytes, straight into the
 * stream's buffer; at end of file closes the pipe. Bytes beyond max (or
 * that find no memory) are read into `spill` and dropped, so the writer
 * never blocks on a full pipe. */
static void stream_read(stream *s, char *spill)
{
    size_t room = s->max - s->size < COLLECT_CHUNK ? s->max - s->size : COLLECT_CHUNK;
    bool keep = room > 0 && stream_grow(s, room);
    long got =
        keep ? hcs__os_pipe_read(s->pipe, s->buf + s->size, room) : hcs__os_pipe_read(s->pipe, spill, COLLECT_CHUNK);
    if (got <= 0) {
        hcs_pipe_close(s->pipe);
        s->pipe = HCS_PIPE_NONE;
        return;
    }
    if (keep)
        s->size += (size_t)got;
    else
        s->truncated = true;
}

/* Hands the text over (an empty one for a stream that existed). */
static void stream_finish(stream *s, char **text, size_t *size)
{
    hcs_pipe_close(s->pipe);
    s->pipe = HCS_PIPE_NONE;
    /* The analyzer cannot tell the two streams of the caller's array apart
     * and reports the other one's buffer as leaked here. */
    if (s->buf) {
        s->buf[s->size] = '\0';                      /* stream_grow always leaves room for it */
        char *fitted = realloc(s->buf, s->size + 1); /* reads reserved a whole chunk */
        if (fitted)
            s->buf = fitted;
    } else if (s->present) { // NOLINT(clang-analyzer-unix.Malloc)
        s->buf = calloc(1, 1);
    }
    *text = s->buf;
    *size = s->size;
    s->buf = NULL;
}

/* Has the process exited? Its wait with timeout 0 says so, and also asks
 * HCS itself now and then, for an exit event that never came
 * (hcsshim-and-peers §6 #1). */
static bool exited(hcs_process proc) { return hcs_process_wait(proc, 0, NULL, NULL) != HCS_E_OPERATION_TIMEOUT; }

static uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }

int32_t hcs_process_collect(hcs_process proc, hcs_stdio *stdio, size_t max_bytes, uint32_t timeout_ms,
                            uint32_t drain_ms, hcs_output *out, hcs_process_exit *exit_out, hcs_error *err)
{
    const char *name = "hcs_process_collect";
    if (exit_out)
        memset(exit_out, 0, sizeof *exit_out);
    if (!stdio || !out)
        return hcs__fail(err, HCS_COM_E_POINTER, name, "stdio and out are required");
    memset(out, 0, sizeof *out);
    stream s[2];
    stream_start(&s[0], stdio->out, max_bytes);
    stream_start(&s[1], stdio->err, max_bytes);
    stdio->out = stdio->err = HCS_PIPE_NONE; /* ours now */
    char *spill = malloc(COLLECT_CHUNK);
    if (!spill) {
        hcs_pipe_close(s[0].pipe);
        hcs_pipe_close(s[1].pipe);
        return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, name, "out of memory");
    }
    uint64_t deadline = hcs__deadline_after(timeout_ms), cut = UINT64_MAX;
    bool timed_out = false;
    while (s[0].pipe != HCS_PIPE_NONE || s[1].pipe != HCS_PIPE_NONE) {
        uint64_t now = hcs__clock_ms();
        if (cut == UINT64_MAX && exited(proc))
            cut = now + drain_ms; /* the exit is known: a bounded drain from here */
        if (now >= cut || now >= deadline) {
            out->drain_cut = now >= cut;
            timed_out = now >= deadline && now < cut;
            break;
        }
        /* Wake at least every 50 ms to notice the exit. */
        uint64_t wait = min_u64(min_u64(deadline, cut) - now, 50);
        intptr_t pipes[2] = {s[0].pipe, s[1].pipe};
        int ready = hcs__os_pipe_wait_readable(pipes, 2, (uint32_t)wait);
        if (ready >= 0)
            stream_read(&s[ready], spill);
    }
    free(spill);
    stream_finish(&s[0], &out->out, &out->out_size);
    stream_finish(&s[1], &out->err, &out->err_size);
    out->truncated = s[0].truncated || s[1].truncated;
    if (timed_out)
        return hcs__fail(err, HCS_E_OPERATION_TIMEOUT, name, "the process was still running after %u ms", timeout_ms);
    uint64_t now = hcs__clock_ms();
    return hcs_process_wait(proc, deadline > now ? (uint32_t)min_u64(deadline - now, UINT32_MAX - 2) : 0, exit_out,
                            err);
}
