/* h5robust.h - what a robust study adds to its results file (docs/robust.md#the-results-file):
 * the worlds (each uncertain magnitude's value and its position in the unit cube), the
 * policies, which world and policy each scenario is, and each policy's mean outcome in
 * each world for the four headline metrics. Three more dimensions, `world`, `policy` and
 * `uncertain`, netCDF-4 style like the rest of the file (docs/results.md).
 */
#ifndef KONING_H5ROBUST_H
#define KONING_H5ROBUST_H

#include <stddef.h>
#include <stdint.h>
#include "h5out.h"

#define KN_H5_ROBUST_METRICS 4

/* Everything borrowed from the caller for the time of the call. */
typedef struct kn_h5_robust {
    size_t n_worlds, n_policies, n_keys;
    const char *const *policy_name;  /* [n_policies] */
    const char *const *policy_file;  /* [n_policies] */
    const char *const *key;          /* [n_keys] dotted scenario keys */
    const char *const *spread;       /* [n_keys] "uniform", "log_uniform", "integer" */
    const char *const *source;       /* [n_keys] reason or source of the range */
    const double *low, *high;        /* [n_keys] */
    const double *unit;              /* [n_worlds x n_keys] position in [0, 1] */
    const double *value;             /* [n_worlds x n_keys] the magnitude */
    const int32_t *block;            /* [n_worlds] design block (Saltelli: 0 A, 1 B, 2 + i AB_i;
                                        Morris: trajectory; Latin hypercube: 0) */
    const char *const *metric;       /* [KN_H5_ROBUST_METRICS] metric names */
    const double *outcome[KN_H5_ROBUST_METRICS]; /* [n_worlds x n_policies] mean over the
                                                    successful replications, NaN if none */
    const char *design;              /* "latin_hypercube", "saltelli", "morris" */
    double design_size;              /* worlds, base rows or trajectories */
    double levels;                   /* Morris levels, else 0 */
    long status_quo;                 /* policy index, or -1 */
    double switch_after;             /* days, 0 without a status quo */
    uint64_t seed;
    const char *uncertainty_file, *uncertainty_text;
    const char *pairs;               /* the study's pairs "a,b;a,b" (policy indices), "" none */
} kn_h5_robust;

/* Write the robust datasets and root attributes into the open results file h (before
 * kn_h5_close). Scenario s of the study must be world s / n_policies, policy
 * s % n_policies. KN_EIO naming the dataset on failure. */
kn_status kn_h5_robust_write(kn_h5 *h, const kn_h5_robust *r, kn_error *err);

#endif
