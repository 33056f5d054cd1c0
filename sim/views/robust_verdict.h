/* robust_verdict.h - the verdict across plausible worlds (docs/robust.md), computed from a robust
 * study's results file with the methods of sim/analysis: per headline metric and policy
 * the share of worlds where it is best and where it is in the set of policies that
 * cannot be told apart from the best (Wilson intervals), its mean and worst regret and
 * the policy of least maximum regret; for pairwise gaps their global sensitivity to the
 * assumed magnitudes (Sobol indices with bootstrap intervals on a Saltelli design,
 * Morris mu* and sigma on a Morris design) and where "A beats B" flips (PRIM boxes with
 * coverage and density, as a sentence). Text, JSON (robust_text.c), charts
 * (plot_robust.c) and the report's section (htmlreport_robust.c) all read a kn_rb_verdict.
 */
#ifndef KONING_VIEWS_ROBUST_VERDICT_H
#define KONING_VIEWS_ROBUST_VERDICT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "h5read.h"
#include "koning/error.h"
#include "morris.h"
#include "regret.h"
#include "sobol.h"

#define KN_RB_METRICS 4      /* retention, service_quality, staff_turnover, profit */
#define KN_RB_MIN_EXCEPTIONS 3 /* fewer exceptions than this are not located by PRIM */
#define KN_RB_BOOT 500       /* bootstrap resamples of the Sobol intervals */
#define KN_RB_ALPHA 0.05     /* subset selection: P(best in the set) >= 1 - alpha per world */
#define KN_RB_QUASI_P 0.05   /* PRIM keeps a restriction when its quasi-p < this / magnitudes */

/* One policy on one metric across the worlds used. */
typedef struct kn_rb_policy {
    kn_regret r;               /* win share with its Wilson interval, mean and max regret */
    double set_share, set_lo, set_hi; /* share of worlds in the best set, Wilson interval */
} kn_rb_policy;

/* A restriction of a PRIM box on one magnitude. */
typedef struct kn_rb_limit {
    size_t key;
    int has_low, has_high;     /* which side is restricted */
    double low, high;          /* the box's limits (natural units) */
    double quasi_p;            /* Bryant & Lempert's quasi-p-value of the restriction */
} kn_rb_limit;

/* A gap: policy a minus policy b on one metric, world by world. */
typedef struct kn_rb_gap {
    size_t metric, a, b;
    double *f;                 /* [n_worlds] mean paired difference a - b; NaN if none */
    size_t n_used;             /* worlds of the sample where both ran */
    double a_share, a_lo, a_hi; /* share of those where a is better than b, Wilson interval */
    double mean_gap;           /* mean of f over them (in the metric's units; + = a higher) */
    /* sensitivity: method 0 none, 1 Sobol, 2 Morris; why_none says why there is none */
    int sens;
    char why_none[160];
    kn_sobol *sobol;           /* [n_keys] */
    kn_morris *morris;         /* [n_keys] */
    /* where it flips: winner beats loser in `share` of the worlds; the exceptions (the
     * worlds where it does not) lie in the box below */
    size_t winner, loser, exceptions;
    double share, share_lo, share_hi;
    int prim;                  /* 1 a box was found (n_limits may be 0: the exceptions are
                                  scattered), 0 no exceptions, -1 too few to locate */
    size_t n_limits;
    kn_rb_limit *limits;
    double coverage, density, support;
} kn_rb_gap;

typedef struct kn_rb_verdict {
    char *path, *name, *design, *unc_file;
    size_t n_worlds, n_policies, n_keys, reps;
    double design_size, levels;
    long status_quo;
    double switch_after;
    uint64_t seed;             /* the study's seed (the bootstrap streams derive from it) */
    char **policy, **key, **spread, **source; /* [n_policies], [n_keys] x 3 */
    size_t n_strs_p, n_strs_k[3];
    double *low, *high;        /* [n_keys] */
    double *value, *unit;      /* [n_worlds x n_keys] */
    int *block;                /* [n_worlds] */
    int *used;                 /* [n_worlds] 1 when the world is in the sample of shares and PRIM */
    size_t n_used;
    double *v;                 /* [metric][world][policy][rep] per run, NaN when failed */
    double *mean;              /* [metric][world][policy] */
    size_t *winner;            /* [metric][world] best policy (first of ties), SIZE_MAX: failed */
    size_t n_runs, n_failed;
    /* per metric */
    int ok[KN_RB_METRICS];     /* the regret table could be computed */
    char why_not[KN_RB_METRICS][200];
    kn_rb_policy *stats;       /* [metric][policy] */
    size_t minimax[KN_RB_METRICS], top[KN_RB_METRICS], runner_up[KN_RB_METRICS];
    size_t failed[KN_RB_METRICS]; /* worlds of the sample left out (a run failed) */
    size_t map_x[KN_RB_METRICS], map_y[KN_RB_METRICS]; /* the two most influential magnitudes,
                                                           SIZE_MAX when none */
    size_t n_gaps;
    kn_rb_gap *gap;
} kn_rb_verdict;

/* The metric's name ("retention", ...), whether higher is better, and its unit phrase. */
const char *kn_rb_metric_name(size_t m);
int kn_rb_higher_better(size_t m);

/* 1 when the open file is a robust study's. */
int kn_rb_is_robust(const kn_h5r_study *st);

/* Read a robust results file and compute everything above. KN_EIO naming the file and
 * dataset when it is not a robust study's or misses a part; KN_ENOMEM. */
kn_status kn_rb_verdict_load(kn_h5r *r, const kn_h5r_study *st, kn_rb_verdict *out, kn_error *err);
void kn_rb_verdict_free(kn_rb_verdict *rb);

/* "A beats B on M in 81 % of 128 worlds (95 % CI 73-87 %); the exceptions lie where k is
 * below 1.1 and j above 0.4 - coverage 0.78, density 0.74." into buf. Returns buf. */
char *kn_rb_flip_sentence(const kn_rb_verdict *rb, const kn_rb_gap *g, char *buf, size_t cap);

/* Text for people (stdout) and one JSON object. */
void kn_rb_verdict_print(FILE *f, const kn_rb_verdict *rb);
void kn_rb_verdict_json(FILE *f, const kn_rb_verdict *rb);

#endif
