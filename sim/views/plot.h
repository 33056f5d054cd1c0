/* plot.h - charts of a results file, drawn by gnuplot through a pipe (popen).
 *
 * Every chart is written as NAME.dat (the data, plain columns), NAME.gp (the gnuplot
 * script that reads NAME.dat, so it can be restyled and rerun by hand:
 * `cd DIR && gnuplot NAME.gp`) and one image per requested format: NAME.png, NAME.svg,
 * NAME.pdf (PDF only where gnuplot has the pdfcairo terminal). Strings from the file
 * (scenario names, keys) reach gnuplot only as escaped single-quoted strings with
 * enhanced text off, so no name can run a gnuplot command. The results file is opened
 * read-only and never modified.
 */
#ifndef KONING_PLOT_H
#define KONING_PLOT_H

#include <stddef.h>
#include "koning/error.h"

enum {
    KN_PLOT_PNG = 1,
    KN_PLOT_SVG = 2,
    KN_PLOT_PDF = 4
};

typedef struct kn_plot_opts {
    unsigned formats;   /* KN_PLOT_* bits; 0 = PNG | SVG | PDF (PDF skipped without cairo) */
    int max_runs;       /* faint individual runs drawn per scenario (default 0 → 40); -1 = none */
    const char *only;   /* NULL, or a comma-separated list of chart names to draw */
    int quiet;          /* 1: print nothing on stdout */
} kn_plot_opts;

/* One chart drawn. */
typedef struct kn_plot_chart {
    char name[128];     /* file stem in the output directory, e.g. "retention" */
    char title[256];    /* human title, e.g. "Customer retention" (may contain scenario names) */
    char caption[512];  /* one sentence on what is drawn (band, runs, warm-up) */
} kn_plot_chart;

typedef struct kn_plot_list {
    kn_plot_chart *chart;
    size_t n;
} kn_plot_list;

/* Draw every chart that suits the file into directory `dir` (created if missing).
 * A compare/run file gets time series per metric (one line per scenario, mean with the
 * CI band of the mean, faint runs, warm-up shaded), a summary chart (mean and CI per
 * scenario for the headline metrics) and small multiples; a sweep file with varied keys
 * gets response curves and, with two or more keys, heatmaps. On success `made` (if not
 * NULL) lists the charts; free with kn_plot_list_free. gnuplot missing or failing is
 * KN_EIO with a message that says so. */
kn_status kn_plot_file(const char *h5path, const char *dir, const kn_plot_opts *opts,
                       kn_plot_list *made, kn_error *err);
void kn_plot_list_free(kn_plot_list *l);

/* kn_plot_file, telling also whose fault a failure was: *bad_input (if not NULL) is set
 * to 1 when the input is at fault (an --only name the file has no chart for, a file that
 * is not a koning results file or cannot be read as one, an output directory that cannot
 * be created), to 0 for a
 * failure (gnuplot missing or failing, an output file that could not be written, out of
 * memory) and on success. `koning plot` exits with 2 or 1 accordingly. */
kn_status kn_plot_file_ex(const char *h5path, const char *dir, const kn_plot_opts *opts,
                          kn_plot_list *made, kn_error *err, int *bad_input);

/* Quote s as a gnuplot single-quoted string into out (size cap): 'it''s', control
 * characters replaced by spaces. Returns out. Exposed for tests. */
char *kn_plot_quote(const char *s, char *out, size_t cap);

/* The colour of a scenario in every chart, "#rrggbb" (static storage): the shipped
 * policies by name ("organisation", the status quo, dark grey; "customer-always-right",
 * "employees-first", "investigate-first", "king-while-behaving", "best-customers-first",
 * "fire-bad-customers": Okabe-Ito colours); any other name by its index in the file,
 * from a colour-blind-safe palette that shares no colour with the presets. scenario_name
 * may be NULL (palette by index only). */
const char *kn_plot_colour(const char *scenario_name, size_t index);

#endif
