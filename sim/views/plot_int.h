/* plot_int.h - what the files of the plotter share (internal to sim/views, not installed):
 * the gnuplot process (plot_pipe.c), the description of a metric and of a planned chart,
 * the state of one `koning plot` run, the pieces every chart uses (plot_script.c) and
 * the charts themselves (plot_series.c, plot_summary.c, plot_sweep.c), which the driver
 * (plot.c) runs. The functions are global symbols of the library, hence their prefix
 * kn_pl_; the public API is plot.h.
 */
#ifndef KONING_PLOT_INT_H
#define KONING_PLOT_INT_H

#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include "h5read.h"
#include "plot.h"
#include "strbuf.h"

#define DISPLAY_CHARS 40 /* longest scenario name shown whole in legends and on axes */
#define DISPLAY_MAX (4 * DISPLAY_CHARS + 8)

typedef kn_strbuf sbuf; /* strbuf.h */

/* ---- the gnuplot process (plot_pipe.c) ------------------------------------------------- */

typedef struct gp_proc {
    FILE *pipe;        /* popen: gnuplot's stdin */
    int outfd;         /* unnamed temporary file: gnuplot's stdout (answers) */
    int errfd;         /* unnamed temporary file: gnuplot's stderr */
    off_t out_seen;    /* bytes of outfd already read */
    off_t err_seen;    /* bytes of errfd already looked at */
    unsigned asked;    /* number of the last question */
    char want[32];     /* prefix of the awaited answer line, "KN_ANSWER 3 " */
    char line[256];    /* the stdout line being read */
    size_t line_n;
    int line_long;     /* that line overflowed line[]: not an answer */
    int replied;       /* the awaited answer arrived */
    char reply[128];
    int status;        /* pclose's status once closed, else -1 */
    struct sigaction old_pipe; /* SIGPIPE ignored while gnuplot runs: a dead gnuplot is EPIPE */
    int sig_saved;
} gp_proc;

void kn_pl_gp_init(gp_proc *g);
/* Find an executable: a name with '/' as is, else along PATH. out gets an absolute path
 * (gnuplot starts in the output directory). Returns 0 when found. */
int kn_pl_find_program(const char *name, char *out, size_t cap);
/* Start gnuplot through popen: `cd DIR && exec PROG >&OUT 2>&ERR`, every word quoted for
 * sh, so gnuplot runs in the output directory (scripts use relative names, as the .gp
 * files do), answers into one unnamed temporary file and reports errors into another. */
kn_status kn_pl_gp_start(gp_proc *g, const char *prog, const char *dir, kn_error *err);
/* Send text to gnuplot. Returns 0, or -1 when gnuplot is gone. */
int kn_pl_gp_send(gp_proc *g, const char *text);
/* Ask gnuplot to print the string expression expr; the answer (without the prefix) goes
 * into g->reply. Doubles as a barrier: every command sent before has run. Returns 0, or
 * -1 when gnuplot is gone. */
int kn_pl_gp_ask(gp_proc *g, const char *expr);
/* New text gnuplot wrote on stderr since the last look: the first error line into err_line
 * (returns 1 when there is one; with all_lines, any first line); warnings are echoed to
 * our stderr. */
int kn_pl_gp_errors(gp_proc *g, char *err_line, size_t cap, int all_lines);
/* Close gnuplot's input, let it finish, and reap it (pclose). Returns its wait status,
 * or -1. */
int kn_pl_gp_finish(gp_proc *g);
/* Finish gnuplot, restore SIGPIPE, close the temporary files. */
void kn_pl_gp_cleanup(gp_proc *g);

/* ---- what is drawn --------------------------------------------------------------------- */

/* A metric as the charts draw it. */
typedef struct metric_desc {
    const char *name;     /* chart name and, unless summary says otherwise, the metric */
    const char *series;   /* [run, period] dataset */
    const char *summary;  /* base of the <metric>_mean / _ci_low / _ci_high datasets */
    const char *title;    /* chart title */
    const char *label;    /* short name for panels */
    const char *axis;     /* axis label, with the unit */
    const char *unit;     /* unit for data headers */
    const char *short_axis; /* axis label of a small panel */
    int per_week;         /* a count or sum per period, drawn per week */
    int share;            /* lies in [0, 1] */
    int nonneg;           /* never negative */
    int lower_better;     /* for heatmaps: lowest is best */
    int hide_runs;        /* individual runs are noise (0 or a spike a period): not drawn */
    double rolling_days;  /* > 0: each run drawn as its trailing mean over this many days */
} metric_desc;

/* A chart to draw: what kind, its name (the file stem), its metrics. */
enum chart_kind { CH_SERIES, CH_SUMMARY, CH_MULTIPLES, CH_SWEEP, CH_HEATMAP, CH_SWITCH_PAYBACK,
                  CH_SWITCH_TRANSITION, CH_ROBUST_WINS, CH_ROBUST_SENS, CH_ROBUST_MAP };

typedef struct chart_plan {
    char name[128];
    int kind;
    const metric_desc *m[4];
    size_t nm;
    size_t key; /* CH_SWEEP: the varied key on the x axis; CH_ROBUST_*: the metric */
} chart_plan;

/* A varied key of a sweep. */
typedef struct sweep_key {
    char *name;
    char unit[64];
    double *v;        /* [n_scen] the key's value per scenario */
    double *distinct; /* sorted distinct finite values */
    size_t nd;
    size_t *at;       /* [n_scen] index of the scenario's value in distinct, SIZE_MAX for NaN */
    size_t pos;       /* where the key appears in the scenario name (the sweep's order) */
} sweep_key;

struct kn_verdict; /* verdict.h */

/* One run of the plotter: the file, the options, gnuplot, and what every chart uses. */
typedef struct plot_ctx {
    kn_h5r *r;
    kn_h5r_study st;
    const char *h5path;
    const char *dir;
    unsigned formats;
    char png_term[16];
    size_t max_runs;
    int quiet;
    gp_proc gp;
    char (*colour)[8];
    char (*disp)[DISPLAY_MAX]; /* the names shown in legends and on axes (long ones shortened) */
    size_t *n_ok;          /* successful runs per scenario */
    size_t n_ok_min, n_ok_max;
    double tscale;         /* days per x unit */
    const char *tunit;     /* "weeks", "days", "hours" */
    double warmup;         /* days, the largest of the scenarios' */
    double horizon;        /* days */
    double xmax;           /* days: the end of the last period drawn */
    size_t p_draw;         /* periods drawn: all, or all but a short last one */
    double cut_days;       /* length of the last period when it is not drawn, else 0 */
    sweep_key *keys;       /* a sweep's varied keys, in the sweep's order */
    size_t nkeys;
    int grid;              /* the varied keys form a full grid */
    struct kn_rb_verdict *rb; /* a robust study's verdict across worlds (robust_verdict.h) */
    kn_plot_list *made;
    kn_error *err;
    int bad_input;         /* 1 when a step failed because of the input (options, file, dir) */
    int gp_gone;           /* gnuplot stopped answering */
    const char *drawing;   /* the chart being drawn (its files are removed if it fails) */
    struct kn_verdict *verdict; /* the charts of the switch (plot_switch.c): the file's verdict */
    int verdict_tried;     /* 1 once computed; verdict NULL then, and no_switch says why */
    char no_switch[320];
} plot_ctx;

/* ---- shared pieces (plot_script.c) ----------------------------------------------------- */

/* s as a single-quoted gnuplot string, appended to b */
void kn_pl_sb_quote(sbuf *b, const char *s);
/* Copy at most cap-1 bytes of s into out, not cutting a UTF-8 sequence, control
 * characters as spaces. */
void kn_pl_copy_text(char *out, size_t cap, const char *s);
/* Characters (not bytes) of UTF-8 text. */
size_t kn_pl_utf8_len(const char *s);

/* Set the error (a failure, not bad input) and return code. */
kn_status kn_pl_fail_run(plot_ctx *c, kn_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Open and close a file of the output directory for writing; a failure is reported. */
kn_status kn_pl_open_out(plot_ctx *c, const char *file, FILE **f);
kn_status kn_pl_close_out(plot_ctx *c, const char *file, FILE *f);
/* " %.17g", or " NaN" */
void kn_pl_put_num(FILE *f, double v);

/* The head of every script: provenance, the settings shared by all charts. */
void kn_pl_gp_head(plot_ctx *c, sbuf *b, const char *name);
/* Per scenario: nameN (legend text), colourN, faintN (the colour, mostly transparent). */
void kn_pl_gp_scenario_vars(plot_ctx *c, sbuf *b);
/* Open the loop over the image formats (one terminal each); the chart's drawing
 * commands follow, then kn_pl_gp_loop_close. */
void kn_pl_gp_loop_open(plot_ctx *c, sbuf *b, const char *name, int w, int h);
void kn_pl_gp_loop_close(sbuf *b);
/* The legend beside the plot, room for maxchars characters; returns the plot's right edge
 * (screen fraction). */
double kn_pl_gp_key_right(sbuf *b, const char *indent, size_t maxchars);
/* A caption line at the bottom of the page; the title at the top. */
void kn_pl_gp_caption(sbuf *b, const char *indent, const char *caption);
void kn_pl_gp_title(sbuf *b, const char *indent, const char *title);
/* "organisation vs customer-always-right vs employees-first", or "7 scenarios". */
void kn_pl_scenario_list(const plot_ctx *c, char *out, size_t cap);
/* "mean of 10 runs per <per>"; "95 %" */
void kn_pl_runs_phrase(const plot_ctx *c, char *out, size_t cap, const char *per);
void kn_pl_level_phrase(const plot_ctx *c, char *out, size_t cap);

/* A chart's end: write NAME.gp, run it, check the images, list the chart, say so. */
kn_status kn_pl_chart_done(plot_ctx *c, const char *name, sbuf *gp, const char *title,
                           const char *caption);
/* "skipped NAME: WHY" (unless quiet) */
void kn_pl_skip_note(const plot_ctx *c, const char *name, const char *why);

/* About n round tic steps over [lo, hi]; 0 for an empty span. */
double kn_pl_nice_step(double lo, double hi, int n);
/* qsort comparison of doubles */
int kn_pl_cmp_double(const void *a, const void *b);

/* ---- the charts ------------------------------------------------------------------------ */

/* plot_series.c: the per-period statistics of a series over the successful runs of each
 * scenario, which the time-series charts and the charts of the switch draw */
typedef struct kn_pl_series {
    const metric_desc *m;
    int ok;             /* 0: missing or no finite value */
    size_t S, P, R;     /* scenarios, periods, faint runs kept at most per scenario */
    double *mean, *lo, *hi, *cnt; /* [S * P] */
    double *runs;       /* [S * R * P] */
    size_t *nruns;      /* [S] faint runs kept */
    size_t *run_row;    /* [S * R] their rows in the run table */
    double ymin, ymax;  /* over the means and bands, and the 5-95 % of the faint runs' values */
} kn_pl_series;
kn_status kn_pl_series_load(plot_ctx *c, const metric_desc *m, kn_pl_series *ss);
void kn_pl_series_free(kn_pl_series *s);
/* y range of a panel: [lo, hi] of the data padded out to round tic steps, shares kept in
 * [0, 1], quantities that cannot be negative from 0 at the lowest. */
void kn_pl_y_range(const metric_desc *m, double lo, double hi, double *out_lo, double *out_hi);

/* plot_series.c: a time-series chart (one metric, or two stacked panels); small multiples */
kn_status kn_pl_chart_series(plot_ctx *c, const chart_plan *pl);
kn_status kn_pl_chart_multiples(plot_ctx *c, const chart_plan *pl);

/* plot_summary.c: the summary chart. kn_pl_load_summary reads base_mean, _ci_low and
 * _ci_high (one value per scenario); returns 1 when they are there with a finite mean,
 * else 0 with the three NULL. */
kn_status kn_pl_chart_summary(plot_ctx *c, const chart_plan *pl);
int kn_pl_load_summary(plot_ctx *c, const char *base, double **mean, double **lo, double **hi);

/* plot_sweep.c: the varied keys of a sweep (c->keys, c->nkeys, c->grid), response curves
 * and heatmaps */
kn_status kn_pl_sweep_find_keys(plot_ctx *c);
void kn_pl_sweep_keys_free(plot_ctx *c);
kn_status kn_pl_chart_sweep(plot_ctx *c, const chart_plan *pl);
kn_status kn_pl_chart_heatmap(plot_ctx *c, const chart_plan *pl);

/* plot_switch.c: the charts of the switch from the status quo (the verdict's payback curves
 * and steady-state windows); skipped, with the reason, when the file has no status quo.
 * kn_pl_switch_free releases the verdict they share. */
kn_status kn_pl_chart_switch_payback(plot_ctx *c, const chart_plan *pl);
kn_status kn_pl_chart_switch_transition(plot_ctx *c, const chart_plan *pl);
void kn_pl_switch_free(plot_ctx *c);

/* plot_robust.c: a robust study's win shares, sensitivity indices and tipping-point maps */
kn_status kn_pl_chart_robust_wins(plot_ctx *c, const chart_plan *pl);
kn_status kn_pl_chart_robust_sens(plot_ctx *c, const chart_plan *pl);
kn_status kn_pl_chart_robust_map(plot_ctx *c, const chart_plan *pl);

#endif
