/* analysis_internal.h - what the files of sim/analysis share; not installed: a uniform
 * integer draw without modulo bias (the one the Latin hypercube, Morris trajectories and
 * bootstrap resamples use), a comparison of doubles for qsort, an empirical quantile,
 * and a check that an array holds only finite numbers.
 */
#ifndef KONING_ANALYSIS_INTERNAL_H
#define KONING_ANALYSIS_INTERNAL_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include "koning/error.h"
#include "koning/rng.h"

/* Uniform integer in [0, bound), bound >= 1: 64-bit words are drawn until one is at least
 * 2^64 mod bound, which leaves a whole number of copies of [0, bound) above it. */
static inline uint64_t kn_below(kn_rng *r, uint64_t bound)
{
    const uint64_t floor_ = (0 - bound) % bound;
    for (;;) {
        uint64_t x = kn_rng_next(r);
        if (x >= floor_)
            return x % bound;
    }
}

/* qsort comparison for doubles in ascending order (no NaN expected). */
static inline int kn_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The p-quantile (0 <= p <= 1) of n >= 1 sorted values, linear interpolation between
 * order statistics at position p (n - 1) (Hyndman & Fan 1996, type 7). */
static inline double kn_sorted_quantile(const double *s, size_t n, double p)
{
    double pos = p * (double)(n - 1);
    size_t lo = (size_t)floor(pos);
    if (lo + 1 >= n)
        return s[n - 1];
    return s[lo] + (pos - (double)lo) * (s[lo + 1] - s[lo]);
}

/* KN_OK when x[i * stride], i < n, are all finite; otherwise KN_EINVAL naming `what` and
 * the first offending index. */
static inline kn_status kn_check_finite(const double *x, size_t n, size_t stride,
                                        const char *what, kn_error *err)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i * stride]))
            return kn_error_set(err, KN_EINVAL, "%s[%zu] is not a finite number", what, i);
    return KN_OK;
}

#endif
