/* The scaling chart (harness.h): per-item time against the number of
 * systems, both axes logarithmic, one line per series, written as SVG by
 * hand from the recorded points. A series is named "OPERATION PATH": one
 * colour per operation, dashed for the raw path and solid for libhcs. A
 * flat line is the goal (the scale rows' target: the per-item time at 100k
 * within 1.5x of the time at 1k). */
#include "harness.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

enum { MAX_POINTS = 512, MAX_SERIES = 16, WIDTH = 860, HEIGHT = 520, LEFT = 80, RIGHT = 250, TOP = 50, BOTTOM = 60 };

static const char *const colours[MAX_SERIES] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
                                                "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#000000", "#aec7e8",
                                                "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5"};

typedef struct axis {
    double lo, hi;   /* decades: 10^lo .. 10^hi */
    double from, to; /* pixels */
} axis;

static double place(const axis *a, double v)
{
    double d = log10(v > 0 ? v : 1e-9);
    return a->from + (d - a->lo) / (a->hi - a->lo) * (a->to - a->from);
}

static axis decades(const double *v, size_t n, double from, double to)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++)
        if (v[i] > 0) {
            lo = fmin(lo, floor(log10(v[i])));
            hi = fmax(hi, ceil(log10(v[i])));
        }
    if (!(lo < hi)) {
        lo = isfinite(lo) ? lo : 0;
        hi = lo + 1;
    }
    return (axis){lo, hi, from, to};
}

/* A power of ten as the axis shows it: 1, 10, 1k, 100k, 1M; 0.1 below. */
static void decade_label(double d, char *out, size_t size)
{
    double v = pow(10, d);
    if (v >= 1e6)
        snprintf(out, size, "%gM", v / 1e6);
    else if (v >= 1e3)
        snprintf(out, size, "%gk", v / 1e3);
    else
        snprintf(out, size, "%g", v);
}

static void grid(FILE *f, const axis *x, const axis *y)
{
    char label[32];
    for (double d = x->lo; d <= x->hi + 1e-9; d++) {
        double px = place(x, pow(10, d));
        decade_label(d, label, sizeof label);
        fprintf(f, "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#ddd'/>\n", px, TOP, px, HEIGHT - BOTTOM);
        fprintf(f, "<text x='%.1f' y='%d' text-anchor='middle'>%s</text>\n", px, HEIGHT - BOTTOM + 18, label);
    }
    for (double d = y->lo; d <= y->hi + 1e-9; d++) {
        double py = place(y, pow(10, d));
        decade_label(d, label, sizeof label);
        fprintf(f, "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#ddd'/>\n", LEFT, py, WIDTH - RIGHT, py);
        fprintf(f, "<text x='%d' y='%.1f' text-anchor='end'>%s</text>\n", LEFT - 6, py + 4, label);
    }
    fprintf(f, "<rect x='%d' y='%d' width='%d' height='%d' fill='none' stroke='#444'/>\n", LEFT, TOP,
            WIDTH - RIGHT - LEFT, HEIGHT - BOTTOM - TOP);
    fprintf(f, "<text x='%d' y='%d' text-anchor='middle'>systems (processes for the process series)</text>\n",
            (LEFT + WIDTH - RIGHT) / 2, HEIGHT - 18);
    fprintf(f, "<text transform='translate(20 %d) rotate(-90)' text-anchor='middle'>microseconds per item</text>\n",
            (TOP + HEIGHT - BOTTOM) / 2);
}

/* The series in the order they first appear. */
static size_t series_names(const char **series, size_t n, const char **names)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        while (k < count && strcmp(names[k], series[i]) != 0)
            k++;
        if (k == count && count < MAX_SERIES)
            names[count++] = series[i];
    }
    return count;
}

/* One colour per operation (a series' first word), in the order the
 * operations first appear. */
static void colours_for(const char **names, size_t count, const char **out)
{
    size_t ops = 0;
    for (size_t i = 0; i < count; i++) {
        size_t len = strcspn(names[i], " ");
        size_t k = 0;
        while (k < i && !(strcspn(names[k], " ") == len && strncmp(names[k], names[i], len) == 0))
            k++;
        out[i] = k < i ? out[k] : colours[ops++ % MAX_SERIES];
    }
}

static void line(FILE *f, const axis *x, const axis *y, const char **series, const double *count, const double *us,
                 size_t n, const char *name, const char *colour, size_t index)
{
    size_t len = strlen(name);
    bool raw = len >= 4 && strcmp(name + len - 4, " raw") == 0;
    fprintf(f, "<polyline fill='none' stroke='%s' stroke-width='2'%s points='", colour,
            raw ? " stroke-dasharray='6 4'" : "");
    for (size_t i = 0; i < n; i++)
        if (strcmp(series[i], name) == 0)
            fprintf(f, "%.1f,%.1f ", place(x, count[i]), place(y, us[i]));
    fprintf(f, "'/>\n");
    for (size_t i = 0; i < n; i++)
        if (strcmp(series[i], name) == 0)
            fprintf(f, "<circle cx='%.1f' cy='%.1f' r='3.5' fill='%s'><title>%s: %.4g us at %.0f</title></circle>\n",
                    place(x, count[i]), place(y, us[i]), colour, name, us[i], count[i]);
    double ly = TOP + 10 + 20.0 * (double)index;
    fprintf(f, "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='%s' stroke-width='3'%s/>\n", WIDTH - RIGHT + 15, ly,
            WIDTH - RIGHT + 40, ly, colour, raw ? " stroke-dasharray='6 4'" : "");
    fprintf(f, "<text x='%d' y='%.1f'>%s</text>\n", WIDTH - RIGHT + 46, ly + 4, name);
}

void bench_write_chart(const char *path)
{
    const char *series[MAX_POINTS];
    double count[MAX_POINTS], us[MAX_POINTS];
    size_t n = bench_points(series, count, us, MAX_POINTS);
    const char *names[MAX_SERIES], *colour[MAX_SERIES];
    size_t lines = series_names(series, n, names);
    colours_for(names, lines, colour);
    axis x = decades(count, n, LEFT, WIDTH - RIGHT);
    axis y = decades(us, n, HEIGHT - BOTTOM, TOP);

    FILE *f = fopen(path, "w");
    if (!f)
        bench_fail("cannot write %s", path);
    fprintf(f,
            "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif' "
            "font-size='12'>\n",
            WIDTH, HEIGHT);
    fprintf(f, "<rect width='100%%' height='100%%' fill='white'/>\n");
    fprintf(f,
            "<text x='%d' y='28' font-size='16' text-anchor='middle'>hcskit scale runs: time per item as the "
            "host fills%s</text>\n",
            (LEFT + WIDTH - RIGHT) / 2, bench.quick ? " (quick sizes)" : "");
    grid(f, &x, &y);
    for (size_t i = 0; i < lines; i++)
        line(f, &x, &y, series, count, us, n, names[i], colour[i], i);
    fprintf(f, "</svg>\n");
    if (fclose(f) != 0)
        bench_fail("cannot write %s", path);
}
