/* sobol.h - variance-based global sensitivity: which inputs drive an output, alone
 * (first-order index S_i) and with all their interactions (total index S_Ti), from the
 * Saltelli (2010) sampling scheme (Saltelli et al., Computer Physics Communications 181;
 * Saltelli et al. 2008, Global Sensitivity Analysis: The Primer).
 *
 * Design: two independent base matrices A and B (n x k, unit cube) and, for each input i,
 * AB_i = A with column i taken from B: n (k + 2) model runs. Rows of the design, in this
 * order: A (rows 0 .. n-1), B (rows n .. 2n-1), then AB_0, AB_1, ..., AB_{k-1} (rows
 * (2 + i) n .. (3 + i) n - 1). The outputs f are given in the same order.
 *
 * Estimators, with V the variance of the 2n pooled outputs f(A), f(B) (divisor 2n) and
 * fbar their mean:
 *   S_i  = (1/n) sum_j (f(B)_j - fbar) (f(AB_i)_j - f(A)_j) / V        (Saltelli 2010)
 *   S_Ti = (1/2n) sum_j (f(A)_j - f(AB_i)_j)^2 / V                      (Jansen 1999)
 * (centring f(B) leaves the expectation unchanged and makes S_i invariant to adding a
 * constant to f). Confidence intervals: percentile bootstrap over the n rows j (each
 * resample draws n rows with replacement and recomputes V and every index).
 * Assumptions: the inputs are independent; the rows are independent draws (with Latin
 * hypercube base matrices the bootstrap intervals are, if anything, conservative).
 */
#ifndef KONING_SOBOL_H
#define KONING_SOBOL_H

#include <stddef.h>
#include "koning/error.h"
#include "koning/rng.h"

/* Rows of a Saltelli design of n base rows and k inputs: n (k + 2). */
static inline size_t kn_saltelli_rows(size_t n, size_t k)
{
    return n * (k + 2);
}

/* Draw A from ra and B from rb (kn_design_lhs, so two independent streams give two
 * independent Latin hypercubes) into blocks 0 and 1 of out and build the AB_i blocks:
 * out is kn_saltelli_rows(n, k) x k, row-major, the caller's, values in (0, 1). */
kn_status kn_saltelli_design(kn_rng *ra, kn_rng *rb, size_t n, size_t k, double *out,
                             kn_error *err);

/* Build the AB_i blocks of out from the A and B the caller has put in blocks 0 and 1
 * (rows 0 .. 2n-1), for base matrices drawn some other way. */
kn_status kn_saltelli_cross(size_t n, size_t k, double *out, kn_error *err);

typedef struct kn_sobol {
    double first, first_lo, first_hi; /* S_i and its bootstrap interval */
    double total, total_lo, total_hi; /* S_Ti and its bootstrap interval */
} kn_sobol;

/* Sobol' indices of the k inputs from f[0 .. n (k + 2) - 1] in design order; n >= 2.
 * out[0 .. k-1] is the caller's. With nboot >= 1 resamples drawn from boot, the
 * percentile intervals at `level` in (0, 1); with nboot == 0 (boot may be NULL) they are
 * NaN. A constant output (V == 0) gives NaN indices. Returns KN_OK; KN_EINVAL for a
 * non-finite f or a bad parameter; KN_ENOMEM when the 2 k nboot bootstrap values cannot be
 * allocated (the only allocation, freed before return). */
kn_status kn_sobol_indices(const double *f, size_t n, size_t k, kn_rng *boot, size_t nboot,
                           double level, kn_sobol *out, kn_error *err);

#endif
