/* verdict_int.h - what verdict.c, verdict_why.c and verdict_text.c share (not installed).
 *
 * A results file's runs by scenario and replication, each run's steady-state value of a
 * headline series or of one of profit's components, and the headline table.
 */
#ifndef KONING_VERDICT_INT_H
#define KONING_VERDICT_INT_H

#include "verdict.h"
#include "koning/stats.h"

typedef struct {
    const char *metric, *label, *unit;
    int higher_is_better;
} kn_vd_head;

extern const kn_vd_head kn_vd_heads[KN_VERDICT_METRICS];

/* Profit's components, for the lever that moves it: series, name, sign in profit. Staff
 * costs are what the other three leave of profit. */
enum { KN_VD_C_REV, KN_VD_C_COMP, KN_VD_C_LEVER, KN_VD_C_STAFF, KN_VD_C_N };
extern const char *const kn_vd_comp_series[3];
extern const char *const kn_vd_comp_name[KN_VD_C_N];
extern const double kn_vd_comp_sign[KN_VD_C_N];

typedef struct {
    const kn_h5r_study *s;
    size_t P;            /* periods */
    double *len;         /* [P] days of each period */
    double *series[KN_VERDICT_METRICS + 3]; /* [n_run x P]: heads, then profit's components */
    double *rep;         /* [n_run] */
    size_t n_rep;
    size_t *at;          /* [n_scen x n_rep] run of (scenario, replication), or SIZE_MAX */
} kn_vd_runs;

kn_status kn_vd_runs_load(const kn_h5r *r, const kn_h5r_study *s, kn_vd_runs *d, kn_error *err);
void kn_vd_runs_free(kn_vd_runs *d);

/* Run i's steady-state value of series h over periods [from, P): retention through its
 * mean hazard, money per week, the rest as the mean of the periods. NaN if none. */
double kn_vd_steady_value(const kn_vd_runs *d, int h, size_t i, size_t from);

/* Mean and Student-t interval of the finite values among x[0..n); 0 if fewer than two. */
int kn_vd_summarise(const double *x, size_t n, double level, kn_summary *out);

/* The values of every policy key (n_keys of them, `pfx` "policy." or "start.policy.") for
 * every scenario of file r: vals[k * n_scen + s]; keys name them "policy.X". */
kn_status kn_vd_policy_columns(const kn_h5r *r, size_t n_scen, const char *pfx, double **vals,
                               size_t *n_keys, const char ***keys, kn_error *err);

#endif
