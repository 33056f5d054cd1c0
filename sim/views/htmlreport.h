/* htmlreport.h - `koning report FILE.h5 -o report.html`: one self-contained HTML page
 * for people who will not open a terminal: the verdict, a summary table with confidence
 * intervals, the charts (SVG, embedded), the scenarios' assumptions in plain words and
 * the sources of the defaults. Nothing is loaded from outside the page (docs/report.md).
 */
#ifndef KONING_HTMLREPORT_H
#define KONING_HTMLREPORT_H

#include <stdio.h>
#include "koning/error.h"

typedef struct kn_report_opts {
    int max_runs;       /* faint runs per scenario in the charts, as kn_plot_opts.max_runs
                           (0 = the plotter's default, -1 = none) */
    const char *tmpdir; /* where the charts are drawn; NULL = the page's directory */
} kn_report_opts;

/* Write the report of results file `h5path` to `out_html`, atomically (an unnamed file
 * beside it, named when complete: files/atomic.h; on failure, or when stopped (stop.h),
 * an existing out_html is left as it was).
 * The results file is only read. Charts need gnuplot: without it KN_EIO with the
 * plotter's message. opts may be NULL (defaults). */
kn_status kn_report_html_opts(const char *h5path, const char *out_html,
                              const kn_report_opts *opts, kn_error *err);
kn_status kn_report_html(const char *h5path, const char *out_html, kn_error *err);

/* The literature behind the defaults, one line each: citation TAB mechanism TAB basis. */
void kn_report_list_sources(FILE *f);

#endif
