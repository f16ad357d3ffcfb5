/* hcsctl stats: CPU, memory and storage of running systems, as a table
 * refreshed in place (on a terminal; elsewhere one table after the other)
 * until Ctrl-C, once (--no-stream), or as JSON lines (--json). Rates come
 * from two Statistics samples (stats.h). */
#include "commands.h"
#include "json_out.h"
#include "term.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* The loop looks at Ctrl-C this often while it waits for the next sample. */
enum { SLICE_MS = 250 };

typedef struct sample {
    char *id;
    hcs_system sys;
    hcs_schema_doc *doc; /* the latest Statistics */
    hcs_Statistics *stats;
    bool has_rates; /* rates from the two latest samples */
    hcs_stats rates;
    bool gone; /* stopped, or no longer there */
    bool seen; /* in this round's listing */
} sample;

typedef struct sample_list {
    sample *items;
    size_t count, cap;
} sample_list;

static atomic_bool stop_asked;

static void on_signal(hcsctl_signal what, void *user)
{
    (void)user;
    if (what != HCSCTL_SIGNAL_RESIZE)
        atomic_store(&stop_asked, true);
}

static sample *find_or_add(sample_list *list, const char *id)
{
    for (size_t i = 0; i < list->count; i++)
        if (strcmp(list->items[i].id, id) == 0)
            return &list->items[i];
    if (list->count == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 8;
        sample *grown = realloc(list->items, cap * sizeof *grown);
        if (!grown)
            return NULL;
        list->items = grown;
        list->cap = cap;
    }
    sample *s = &list->items[list->count];
    *s = (sample){.id = hcsctl_copy(id)};
    if (!s->id)
        return NULL;
    list->count++;
    return s;
}

static void forget(sample *s)
{
    hcs_system_close(s->sys);
    hcs_schema_doc_free(s->doc);
    s->sys = (hcs_system){0};
    s->doc = NULL;
    s->stats = NULL;
    s->has_rates = false;
}

/* Takes a sample of s; a system that stopped or went away is marked gone.
 * Returns the HRESULT of a failure that is not about the system's end. */
static int32_t take(hcsctl_ctx *ctx, sample *s, hcs_error *err)
{
    hcs_schema_doc *doc;
    hcs_Statistics *now;
    int32_t hr = s->sys.id ? HCS_OK : hcs_system_open(ctx->client, s->id, &s->sys, err);
    if (hr == HCS_OK)
        hr = hcs_system_statistics(s->sys, hcsctl_call_timeout(ctx), &doc, &now, err);
    if (hr != HCS_OK) {
        forget(s);
        s->gone = true;
        bool ended = err->kind == HCS_ERROR_NOT_FOUND || err->kind == HCS_ERROR_ALREADY_STOPPED ||
                     err->kind == HCS_ERROR_INVALID_STATE;
        return ended ? HCS_OK : hr;
    }
    /* processor_count 0: 100% is one processor busy (stats.h). */
    s->has_rates = s->stats && hcs_stats_compute(s->stats, now, 0, &s->rates, NULL) == HCS_OK;
    hcs_schema_doc_free(s->doc);
    s->doc = doc;
    s->stats = now;
    s->gone = false;
    return HCS_OK;
}

/* The systems of this round: the named ones, or every running one. */
static int32_t list_systems(hcsctl_ctx *ctx, const hcsctl_args *args, sample_list *list, hcs_error *err)
{
    for (size_t i = 0; i < list->count; i++)
        list->items[i].seen = false;
    if (args->positional_count) {
        for (size_t i = 0; i < args->positional_count; i++) {
            sample *s = find_or_add(list, args->positional[i]);
            if (!s)
                return HCS_COM_E_OUTOFMEMORY;
            s->seen = true;
        }
        return HCS_OK;
    }
    hcs_schema_doc *doc;
    hcs_Properties *items;
    size_t count;
    int32_t hr = hcs_system_enumerate(ctx->client, NULL, hcsctl_call_timeout(ctx), &doc, &items, &count, err);
    if (hr != HCS_OK)
        return hr;
    for (size_t i = 0; i < count; i++) {
        if (!items[i].Id || items[i].State.value != HCS_State_Running)
            continue;
        sample *s = find_or_add(list, items[i].Id);
        if (!s) {
            hr = HCS_COM_E_OUTOFMEMORY;
            break;
        }
        s->seen = true;
    }
    hcs_schema_doc_free(doc);
    return hr;
}

/* Samples every system of the round; the first failure that is not a
 * system's end is returned. */
static int32_t take_all(hcsctl_ctx *ctx, const hcsctl_args *args, sample_list *list, hcs_error *err)
{
    int32_t hr = list_systems(ctx, args, list, err);
    for (size_t i = 0; hr == HCS_OK && i < list->count; i++) {
        if (list->items[i].seen)
            hr = take(ctx, &list->items[i], err);
        else
            forget(&list->items[i]);
    }
    return hr;
}

/* ---- output ------------------------------------------------------------- */

/* "12.5MiB" */
static void human(char *buf, size_t size, double bytes, const char *suffix)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (bytes >= 1024.0 && u < 4)
        bytes /= 1024.0, u++;
    snprintf(buf, size, u ? "%.1f%s%s" : "%.0f%s%s", bytes, units[u], suffix);
}

/* One row into buf (for the in-place refresh, rows are printed whole). */
static void format_row(char *buf, size_t size, const sample *s, int id_w)
{
    if (s->gone) {
        snprintf(buf, size, "%-*s  %s", id_w, s->id, "(not running)");
        return;
    }
    char cpu[16] = "-", mem[16] = "-", peak[16] = "-", rd[24] = "-", wr[24] = "-";
    const hcs_MemoryStats *m = s->stats ? s->stats->Memory : NULL;
    if (s->has_rates && s->rates.has_cpu)
        snprintf(cpu, sizeof cpu, "%.1f%%", s->rates.cpu_percent);
    if (m && m->has_MemoryUsageCommitBytes)
        human(mem, sizeof mem, (double)m->MemoryUsageCommitBytes, "");
    if (m && m->has_MemoryUsageCommitPeakBytes)
        human(peak, sizeof peak, (double)m->MemoryUsageCommitPeakBytes, "");
    if (s->has_rates && s->rates.has_storage) {
        human(rd, sizeof rd, s->rates.read_bytes_per_second, "/s");
        human(wr, sizeof wr, s->rates.write_bytes_per_second, "/s");
    }
    snprintf(buf, size, "%-*s  %7s  %10s  %10s  %12s  %12s", id_w, s->id, cpu, mem, peak, rd, wr);
}

/* Prints the table; on a terminal over the previous one (lines_before). */
static int print_table(const sample_list *list, bool in_place, int lines_before)
{
    int id_w = 2, lines = 0;
    for (size_t i = 0; i < list->count; i++)
        if (list->items[i].seen)
            id_w = (int)strlen(list->items[i].id) > id_w ? (int)strlen(list->items[i].id) : id_w;
    const char *eol = in_place ? "\033[K\n" : "\n";
    if (in_place && lines_before > 0)
        printf("\033[%dA", lines_before);
    printf("%-*s  %7s  %10s  %10s  %12s  %12s%s", id_w, "ID", "CPU %", "MEMORY", "PEAK", "READ", "WRITE", eol);
    lines++;
    for (size_t i = 0; i < list->count; i++) {
        if (!list->items[i].seen)
            continue;
        char row[256];
        format_row(row, sizeof row, &list->items[i], id_w);
        printf("%s%s", row, eol);
        lines++;
    }
    if (in_place)
        printf("\033[J");
    else
        printf("\n");
    fflush(stdout);
    return lines;
}

static void json_number(hcsctl_buf *b, const char *name, bool has, double v)
{
    if (has)
        hcsctl_buf_printf(b, ",\"%s\":%.3f", name, v);
    else
        hcsctl_buf_printf(b, ",\"%s\":null", name);
}

static void json_count(hcsctl_buf *b, const char *name, bool has, uint64_t v)
{
    if (has)
        hcsctl_buf_printf(b, ",\"%s\":%llu", name, (unsigned long long)v);
    else
        hcsctl_buf_printf(b, ",\"%s\":null", name);
}

/* One JSON array a line: an object per system, rates and HCS's Statistics. */
static void print_json(const sample_list *list)
{
    hcsctl_buf b = {0};
    hcsctl_buf_printf(&b, "[");
    bool first = true;
    for (size_t i = 0; i < list->count; i++) {
        const sample *s = &list->items[i];
        if (!s->seen)
            continue;
        const hcs_MemoryStats *m = s->stats && !s->gone ? s->stats->Memory : NULL;
        hcsctl_buf_printf(&b, "%s{\"Id\":", first ? "" : ",");
        first = false;
        hcsctl_buf_json_string(&b, s->id);
        hcsctl_buf_printf(&b, ",\"Running\":%s", s->gone ? "false" : "true");
        json_number(&b, "CpuPercent", !s->gone && s->has_rates && s->rates.has_cpu, s->rates.cpu_percent);
        json_count(&b, "MemoryUsageCommitBytes", m && m->has_MemoryUsageCommitBytes, m ? m->MemoryUsageCommitBytes : 0);
        json_count(&b, "MemoryUsageCommitPeakBytes", m && m->has_MemoryUsageCommitPeakBytes,
                   m ? m->MemoryUsageCommitPeakBytes : 0);
        json_count(&b, "MemoryUsagePrivateWorkingSetBytes", m && m->has_MemoryUsagePrivateWorkingSetBytes,
                   m ? m->MemoryUsagePrivateWorkingSetBytes : 0);
        bool io = !s->gone && s->has_rates && s->rates.has_storage;
        json_number(&b, "ReadBytesPerSecond", io, s->rates.read_bytes_per_second);
        json_number(&b, "WriteBytesPerSecond", io, s->rates.write_bytes_per_second);
        char *raw = NULL;
        if (s->stats && !s->gone && hcs_schema_encode(HCS_SCHEMA_Statistics, s->stats, NULL, &raw, NULL) == HCS_OK)
            hcsctl_buf_printf(&b, ",\"Statistics\":%s}", raw);
        else
            hcsctl_buf_printf(&b, ",\"Statistics\":null}");
        hcs_free(raw);
    }
    hcsctl_buf_printf(&b, "]");
    printf("%s\n", hcsctl_buf_text(&b));
    fflush(stdout);
    hcsctl_buf_free(&b);
}

/* ---- the loop ----------------------------------------------------------- */

/* Waits `ms` or until Ctrl-C, on an empty queue (a portable sleep). */
static void pause_for(hcs_cq idle, uint32_t ms)
{
    for (uint32_t waited = 0; waited < ms && !atomic_load(&stop_asked); waited += SLICE_MS) {
        hcs_result r;
        if (hcs_cq_next(idle, ms - waited < SLICE_MS ? ms - waited : SLICE_MS, &r, NULL) == HCS_OK)
            hcs_result_clear(&r);
    }
}

static bool all_named_gone(const hcsctl_args *args, const sample_list *list)
{
    if (!args->positional_count)
        return false;
    for (size_t i = 0; i < list->count; i++)
        if (list->items[i].seen && !list->items[i].gone)
            return false;
    return true;
}

static int stream(hcsctl_ctx *ctx, const hcsctl_args *args, sample_list *list, hcs_cq idle, uint32_t interval_ms)
{
    bool once = hcsctl_arg_count(args, "no-stream") > 0, json = hcsctl_arg_count(args, "json") > 0;
    bool in_place = !json && hcsctl_is_terminal(stdout) && hcsctl_terminal_vt();
    hcs_error err = HCS_ERROR_INIT;
    int lines = 0, rc = HCSCTL_EXIT_OK;
    /* The first sample gives no rates yet: take a second one first. */
    if (take_all(ctx, args, list, &err) != HCS_OK)
        goto failed;
    for (;;) {
        pause_for(idle, interval_ms);
        if (atomic_load(&stop_asked))
            break;
        if (take_all(ctx, args, list, &err) != HCS_OK)
            goto failed;
        if (json)
            print_json(list);
        else
            lines = print_table(list, in_place, lines);
        if (once || all_named_gone(args, list))
            break;
    }
    hcs_error_clear(&err); /* what a system's end left there */
    return rc;
failed:
    rc = hcsctl_report(ctx, NULL, (hcs_system){0}, &err);
    hcs_error_clear(&err);
    return rc;
}

int hcsctl_stats(hcsctl_ctx *ctx, const hcsctl_args *args)
{
    uint32_t interval_ms = 1000;
    const char *interval = hcsctl_arg_value(args, "interval");
    if (interval && (!hcsctl_parse_seconds(interval, &interval_ms) || interval_ms == 0))
        return hcsctl_usage_error(args->verb, "--interval wants a number of seconds above 0, not \"%s\"", interval);
    bool signals = hcsctl_signals_start(on_signal, NULL, false);
    sample_list list = {0};
    hcs_cq idle = {0};
    int rc = hcsctl_client(ctx);
    if (rc == HCSCTL_EXIT_OK) {
        hcs_error err = HCS_ERROR_INIT;
        if (hcs_cq_create(&idle, &err) == HCS_OK)
            rc = stream(ctx, args, &list, idle, interval_ms);
        else
            rc = hcsctl_report(ctx, NULL, (hcs_system){0}, &err);
        hcs_error_clear(&err);
    }
    for (size_t i = 0; i < list.count; i++) {
        forget(&list.items[i]);
        free(list.items[i].id);
    }
    free(list.items);
    hcs_cq_close(idle);
    if (signals)
        hcsctl_signals_stop();
    return rc;
}
