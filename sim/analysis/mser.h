/* mser.h - where a simulated series has forgotten its start: the MSER-5 truncation rule
 * (White 1997; recommended for automation among 42 warm-up methods by Hoad, Robinson &
 * Davies 2010, JORS 61(9)). The series is cut into batches of five observations; the
 * truncation point d minimises the squared standard error of the mean of what is kept,
 *     MSER(d) = sum_{j >= d} (Z_j - Zbar_d)^2 / (m - d)^2,  Z_j the batch means, j < m,
 * over d = 0 .. floor(m/2) batches. When the smallest MSER over the whole series (d up
 * to m - KN_MSER_TAIL) lies in its second half, the run is too short to show a steady
 * state and `steady` is 0 (docs/analysis.md#mser-5).
 */
#ifndef KONING_MSER_H
#define KONING_MSER_H

#include <stddef.h>
#include "koning/error.h"

/* Batches always kept when the global minimum is sought: fewer make the statistic a
 * variance of a handful of values, small by chance (the end effect of MSER). */
#define KN_MSER_TAIL 5
/* Observations a batch holds. */
#define KN_MSER_BATCH 5

typedef struct kn_mser {
    size_t d;          /* truncation point in observations (a multiple of 5): drop y[0..d) */
    double statistic;  /* MSER at d, in squared units of y */
    size_t batches;    /* m = floor(n / 5); the last n - 5m observations are not used */
    size_t d_global;   /* where the minimum over the whole series lies, in observations */
    int steady;        /* 1 when d_global is in the first half (d_global == d); 0 if not */
} kn_mser;

/* MSER-5 of y[0..n-1], n >= 10 * 5 = 50 observations. Returns KN_OK and fills *out, or
 * KN_EINVAL (with a message) for a short series or a value that is not a finite number.
 * Allocates nothing; y stays the caller's. */
kn_status kn_mser5(const double *y, size_t n, kn_mser *out, kn_error *err);

/* MSER-5 of the mean series of `reps` replications: row r is y[r * stride + t], t < n,
 * stride >= n. The mean across replications at each time is what is batched (the
 * truncation point is shared by all replications, as a warm-up period is). */
kn_status kn_mser5_rows(const double *y, size_t reps, size_t n, size_t stride,
                        kn_mser *out, kn_error *err);

#endif
