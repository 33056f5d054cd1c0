/* verdict.h - which policy wins, and why (docs/model.md#verdict).
 *
 * From an organisation-model results file: the steady state of each scenario after the
 * switch (a window chosen by MSER-5 on its weekly series), the headline metrics over it
 * (retention, service quality, staff turnover, profit), for each the best scenario with
 * its confidence interval and the set of scenarios that cannot be told apart from it
 * (subset selection with familywise control, Nelson et al. 2001), so that "best" is a
 * set when the data cannot separate them; the payback week of each policy against the
 * status quo it switched from; and, from a second file of lever combinations
 * (kn_verdict_why), the winner's gap to the status quo attributed to the levers that
 * differ (Shapley values, or one lever at a time both ways when many differ).
 */
#ifndef KONING_VERDICT_H
#define KONING_VERDICT_H

#include <stddef.h>
#include <stdio.h>
#include "h5read.h"
#include "koning/error.h"

#define KN_VERDICT_METRICS 4
#define KN_VERDICT_LEVERS 32 /* levers a "why" lists at most */

typedef struct kn_verdict_line {
    const char *metric;       /* dataset name, e.g. "staff_turnover" */
    const char *label;        /* "staff turnover" */
    const char *unit;         /* "a year", "a week", "" */
    int higher_is_better;
    size_t winner, runner_up; /* scenario indices */
    double mean, lo, hi;      /* the winner's steady-state mean and CI */
    double diff, diff_lo, diff_hi; /* paired difference winner - runner-up and its CI */
    int clear;                /* 1 when the winner is alone in its subset */
    size_t n_best;            /* scenarios that cannot be told apart from the best */
    int *best;                /* [n_scen] 1 for those (kn_verdict_free) */
} kn_verdict_line;

/* The winner's gap to the status quo on one metric, lever by lever. */
typedef struct kn_verdict_why {
    double gap, gap_lo, gap_hi;           /* winner - status quo, and its CI */
    size_t n_levers;
    const char *lever[KN_VERDICT_LEVERS]; /* policy keys, e.g. "policy.backing" */
    double part[KN_VERDICT_LEVERS], part_lo[KN_VERDICT_LEVERS], part_hi[KN_VERDICT_LEVERS];
    const char *through[KN_VERDICT_LEVERS]; /* profit: the component it moves most, or NULL */
    double rest;                          /* interaction (one at a time) or what is not a
                                             lever (other keys differ), 0 for exact Shapley */
} kn_verdict_attr;

typedef struct kn_verdict {
    double level;                        /* confidence level, e.g. 0.95 */
    size_t n_scen, n_period;
    double period_days;                  /* length of a period of the series (the first) */
    kn_verdict_line line[KN_VERDICT_METRICS];
    size_t overall;                      /* the scenario that wins most lines (ties: profit) */
    size_t status_quo;                   /* the scenario the others switched from, or
                                            (size_t)-1 when the study has none */
    size_t *from;                        /* [n_scen] steady state from this period on */
    int *steady;                         /* [n_scen] 1 when no headline series drifts over the
                                            window (every slope's interval, Bonferroni over
                                            the four, holds 0) */
    double *drift, *drift_lo, *drift_hi; /* [n_scen x KN_VERDICT_METRICS] least-squares slope
                                            of each headline series over the window, per
                                            year (profit: per week, per year), and its CI */
    int *payback_case;                   /* [n_scen] kn_payback_case vs the status quo, -1: none */
    size_t *payback_week, *payback_lo, *payback_hi; /* [n_scen] weeks (SIZE_MAX: none) */
    char payback_metric[64];             /* the series whose cumulative gap pays back */
    int payback_sign;                    /* +1: higher is better, -1: lower */
    int has_why;                         /* the lever attribution below is filled */
    int why_exact;                       /* 1: Shapley values; 0: one lever at a time */
    size_t why_combos;                   /* combinations simulated */
    kn_verdict_attr why_of[KN_VERDICT_METRICS];
    char why[2048];                      /* the attribution in words (empty without one) */
} kn_verdict;

/* Needs an organisation-model file with at least two scenarios and two successful runs
 * each; otherwise KN_EINVAL with a message saying why. Release with kn_verdict_free. The
 * payback is on cumulative profit. */
kn_status kn_verdict_from_file(const kn_h5r *r, const kn_h5r_study *s, kn_verdict *v,
                               kn_error *err);

/* The same with the payback on another series of the file: `payback` is "NAME" (higher is
 * better) or "NAME:lower" (lower is better), NAME a series (NAME_by_period in the file);
 * NULL = "profit". An unknown name is KN_EINVAL naming it. */
kn_status kn_verdict_from_file_payback(const kn_h5r *r, const kn_h5r_study *s,
                                       const char *payback, kn_verdict *v, kn_error *err);

/* The file of lever combinations next to results file `path` (PATH without .h5, plus
 * "-why.h5"), into buf. */
void kn_verdict_why_path(const char *path, char *buf, size_t cap);

/* Attribute the overall winner's gap to the status quo to the levers that differ, from
 * the file of their combinations at why_path (written by the command line: every
 * subset, or each lever alone both ways). KN_OK with v->has_why set, or an error (the
 * verdict stays usable without it). */
kn_status kn_verdict_why(const char *why_path, const kn_h5r_study *s, kn_verdict *v,
                         kn_error *err);

/* The verdict as text for a terminal (a few lines). */
void kn_verdict_print(FILE *f, const kn_h5r_study *s, const kn_verdict *v);

/* The verdict as one JSON object; and ", \"verdict\": {...}" for results file `path` (with
 * its lever attribution when PATH-why.h5 is there; nothing when there is no verdict). */
void kn_verdict_json(FILE *f, const kn_h5r_study *s, const kn_verdict *v);
void kn_verdict_json_file(FILE *f, const char *path, const char *payback);

void kn_verdict_free(kn_verdict *v);

#endif
