/* stats.h - summaries over independent replications: mean and Student-t confidence
 * interval. A sample containing a non-finite value summarises to NaN (reported as
 * "not estimable"), never to a number computed from part of the data. */
#ifndef KONING_STATS_H
#define KONING_STATS_H

#include <stddef.h>
#include "koning/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kn_summary {
    size_t n;          /* replications */
    double mean;
    double sd;         /* sample standard deviation (n - 1) */
    double half_width; /* t_{1-(1-level)/2, n-1} * sd / sqrt(n) */
    double ci_low, ci_high;
    double level;      /* confidence level, e.g. 0.95 */
} kn_summary;

/* Quantile p (0 < p < 1) of Student's t with df > 0 degrees of freedom. */
double kn_t_quantile(double p, double df);

/* P(T <= t) for Student's t with df > 0 degrees of freedom (GSL's gsl_cdf_tdist_P).
 * For a small upper tail use kn_t_cdf(-t, df): it keeps its relative precision. */
double kn_t_cdf(double t, double df);

/* Summarise x[0..n-1] (n >= 2) at confidence `level` in (0, 1). stride is the distance
 * between consecutive values in doubles (1 for a plain array). */
kn_status kn_summarize(const double *x, size_t n, size_t stride, double level,
                       kn_summary *out, kn_error *err);

/* Unpaired (Welch) interval for mean(b) - mean(a): x[i*stride], n of each (>= 2).
 * out->mean is the difference, out->sd the standard error, n = na + nb. */
kn_status kn_summarize_welch(const double *a, size_t na, const double *b, size_t nb,
                             size_t stride, double level, kn_summary *out, kn_error *err);

#ifdef __cplusplus
}
#endif
#endif
