/* verdict.h - which policy wins: the headline metrics of an organisation-model results
 * file (retention, service quality, staff turnover, profit), the winner of each with
 * its confidence interval, its paired lead over the runner-up, and one sentence on the
 * mechanism that made the difference (from exact decompositions of quality, profit and
 * the quit hazard; docs/model.md#verdict).
 */
#ifndef KONING_VERDICT_H
#define KONING_VERDICT_H

#include <stddef.h>
#include <stdio.h>
#include "h5read.h"
#include "koning/error.h"

#define KN_VERDICT_METRICS 4

typedef struct kn_verdict_line {
    const char *metric;       /* dataset name, e.g. "staff_turnover" */
    const char *label;        /* "staff turnover" */
    const char *unit;         /* "a year", "a week", "" */
    int higher_is_better;
    size_t winner, runner_up; /* scenario indices */
    double mean, lo, hi;      /* the winner's mean and CI */
    double diff, diff_lo, diff_hi; /* paired difference winner - runner-up and its CI */
    int clear;                /* 1 when that CI excludes 0 (a clear win at the level) */
} kn_verdict_line;

typedef struct kn_verdict {
    double level;                        /* confidence level, e.g. 0.95 */
    size_t n_scen;
    kn_verdict_line line[KN_VERDICT_METRICS];
    size_t overall;                      /* the scenario that wins most lines (ties: profit) */
    size_t worst;                        /* the scenario it is explained against */
    char why[1536];                      /* one sentence: the dominant mechanism */
} kn_verdict;

/* Needs an organisation-model file with at least two scenarios and two successful runs
 * each; otherwise KN_EINVAL with a message saying why. */
kn_status kn_verdict_from_file(const kn_h5r *r, const kn_h5r_study *s, kn_verdict *v,
                               kn_error *err);

/* The verdict as text for a terminal (a few lines). */
void kn_verdict_print(FILE *f, const kn_h5r_study *s, const kn_verdict *v);

#endif
