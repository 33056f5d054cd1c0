/* htmlreport_int.h - what the parts of `koning report` share (private: not installed).
 *
 * The page (htmlreport.h) is built by several files, one part of the page each:
 * htmlreport.c the skeleton, the header and the atomic write; htmlreport_data.c reads
 * the results file into a `report`; htmlreport_text.c turns text and numbers into HTML;
 * htmlreport_verdict.c writes the verdict (with the charts of the switch);
 * htmlreport_summary.c the summary table; htmlreport_charts.c
 * draws the charts through the plotter and embeds them; htmlreport_assumptions.c says
 * the assumptions in plain words; htmlreport_sources.c lists the sources and explains
 * how to read the page. Each section appends to one growing buffer (strbuf.h).
 */
#ifndef KONING_HTMLREPORT_INT_H
#define KONING_HTMLREPORT_INT_H

#include <stddef.h>
#include "h5read.h"
#include "htmlreport.h"
#include "koning/error.h"
#include "plot.h"
#include "strbuf.h"
#include "verdict.h"

typedef kn_strbuf buf; /* strbuf.h */

/* ---- what the table shows -------------------------------------------------------------- */

typedef struct metric_def {
    const char *name;  /* dataset stem: NAME_mean, NAME_ci_low, NAME_ci_high */
    const char *label; /* column header */
    const char *unit;  /* shown under the header */
    double scale;      /* displayed value = file value x scale (100 for percentages) */
    int better;        /* +1 higher is better, -1 lower is better, 0 neither */
} metric_def;

/* ---- the report's data ----------------------------------------------------------------- */

typedef struct keyval {
    char *key, *long_name, *units;
    int is_str;
    size_t cols;  /* 24 for arrivals.profile, else 1 */
    double *num;  /* [n_scen x cols] */
    char **str;   /* [nstr], nstr = n_scen once loaded */
    size_t nstr;
    int differs;  /* the value is not the same in every scenario */
} keyval;

typedef struct mcol {
    const metric_def *def;
    double *mean, *lo, *hi;
    int dec;
} mcol;

typedef struct report {
    kn_h5r *r;
    kn_h5r_study s;
    const char *path;
    char *version, *cmdline;
    double *n_ok, *n_failed;
    keyval *kv;
    size_t n_kv;
    mcol *col;
    size_t n_col;
    int sweep;
    kn_verdict v;
    int have_verdict;
    char verdict_error[KN_ERROR_MSG_MAX]; /* why an organisation study has no verdict */
    char why_note[KN_ERROR_MSG_MAX];      /* why the verdict has no lever attribution */
    kn_plot_list charts;
    const char *out;  /* the page */
    char *chart_dir;  /* where the charts are drawn (.koning-report-PID-XXXXXX beside the page) */
    int chart_fd;     /* chart_dir, open and locked while the report runs (if chart_dir) */
    struct kn_rb_verdict *rb; /* a robust study's verdict across worlds, else NULL */
} report;

/* ---- htmlreport_data.c: reading the results file --------------------------------------- */

/* Remove the chart directory (if any) and release what R holds. */
void hr_charts_free(report *R);

/* Fill R from the open results file R->r (R->path): the study, the provenance, the runs
 * per scenario, every key, the metric columns and, where there is one, the verdict (a
 * warning on stderr when an organisation study has none). */
kn_status hr_report_load(report *R, kn_error *err);
/* Release everything R holds (the charts and their directory too) and zero it. */
void hr_report_free(report *R);
/* The metric of the summary table called `name`, or NULL. */
const metric_def *hr_find_metric(const char *name);

/* ---- htmlreport_text.c: text and numbers as HTML --------------------------------------- */

/* Text from the file (or any text) as HTML: & < > " ' escaped, control characters
 * other than tab and newline dropped. Safe in element content and quoted attributes. */
void hr_esc(buf *b, const char *s);
/* A dotted key that may break after its dots (narrow table headers). */
void hr_key_breakable(buf *b, const char *key);
/* v with `dec` decimals, thousands separated by commas, a real minus sign (U+2212) and
 * no "-0"; "n/a" when v is not finite. Returns out. */
char *hr_fmt_fixed(char *out, size_t cap, double v, int dec);
/* A parameter value for people: integers as integers (grouped), other numbers with up to
 * 6 significant digits; "not used" for NaN. */
char *hr_fmt_value(char *out, size_t cap, double v);
/* Decimals for a column of means: one significant digit of the smallest half-width of
 * the intervals (values already multiplied by `scale`), between 0 and 3; by magnitude
 * when no interval is known. */
int hr_col_decimals(const double *mean, const double *lo, const double *hi, size_t n,
                    double scale);
/* Two values of a key are the same (NaN equals NaN: "not used"). */
int hr_same_num(double a, double b);
/* A confidence level as a percentage, "95 %" (a no-break space before the %). */
char *hr_pct_level(char *out, size_t cap, double level);
/* A metric value with its unit, e.g. "72.6 %"; an interval "66–79" (or "−54 to 198"),
 * values times `scale`, nothing when an end is not finite. */
void hr_metric_value(buf *b, const metric_def *d, double v, int dec);
void hr_interval(buf *b, double lo, double hi, double scale, int dec);
/* Scenario i's name after a swatch of its colour in the charts. */
void hr_scen(buf *b, const report *R, size_t i);
/* A key's value in scenario i as text: "exponential", "14", "0.3", the profile. */
void hr_keyval(buf *b, const keyval *k, size_t i);

/* ---- the sections, in the order of the page -------------------------------------------- */

/* htmlreport.c: "N replications per scenario" (or per point, or a range). */
void hr_reps(buf *b, const report *R);
/* htmlreport_verdict.c: the verdict in full, with the charts of the switch */
kn_status hr_sec_verdict(buf *b, const report *R, kn_error *err);
/* htmlreport_summary.c */
void hr_sec_summary(buf *b, const report *R);
/* htmlreport_charts.c: draw the charts into a new temporary directory (R->chart_dir, in
 * opts->tmpdir, else beside the page) with the plotter; hr_report_free removes it, and a
 * later report into the same directory removes one that a killed report left.
 * hr_sec_charts embeds each SVG as a base64 data URI. */
kn_status hr_charts_draw(report *R, const kn_report_opts *opts, kn_error *err);
kn_status hr_sec_charts(buf *b, const report *R, kn_error *err);
/* Embed the chart called `name` as a figure, if the plotter drew it (*shown 1), else
 * nothing (*shown 0). The charts of the switch ("switch-...") go into the verdict
 * section when there is one, and hr_sec_charts leaves them out. */
kn_status hr_embed_named_chart(buf *b, const report *R, const char *name, int *shown,
                               kn_error *err);
int hr_chart_in_verdict(const report *R, const char *name);
/* htmlreport_robust.c: a robust study's verdict across worlds (R->rb) */
void hr_sec_robust(buf *b, const report *R);
/* htmlreport_assumptions.c */
void hr_sec_assumptions(buf *b, const report *R);
/* htmlreport_sources.c */
void hr_sec_sources(buf *b, const report *R);
void hr_sec_reading(buf *b, const report *R);

#endif
