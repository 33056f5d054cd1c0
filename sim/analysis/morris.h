/* morris.h - screening many inputs cheaply by elementary effects (Morris 1991,
 * Technometrics 33(2); mu* from Campolongo, Cariboni & Saltelli 2007).
 *
 * Design: r trajectories of k + 1 points on the p-level grid {0, 1/(p-1), ..., 1} of the
 * unit cube (p even), each point differing from the one before in one coordinate by
 * Delta = p / (2 (p - 1)), each coordinate moving exactly once per trajectory. A
 * trajectory starts at a random grid point (each coordinate at a random level among the
 * lower p/2, or at that level + p/2 when it is to move down), and moves its coordinates
 * in a random order; so every effect is taken on the grid, up or down with equal chance.
 *
 * Estimators: the elementary effect of input i in a trajectory is
 *     EE_i = (f(x + e_i Delta) - f(x)) / Delta  (signed step: a move down divides by -Delta);
 * per input, mu = mean EE, mu* = mean |EE|, sigma = sample standard deviation of EE (r - 1
 * divisor). mu* ranks the inputs by influence; sigma > 0 says the effect depends on where
 * it is taken (nonlinearity or interaction); an input f does not use has every EE exactly
 * 0. The Campolongo 2007 choice of spread-out trajectories among many candidates is not
 * done: the r trajectories are independent draws.
 */
#ifndef KONING_MORRIS_H
#define KONING_MORRIS_H

#include <stddef.h>
#include "koning/error.h"
#include "koning/rng.h"

/* Points of a Morris design: r (k + 1). */
static inline size_t kn_morris_rows(size_t r, size_t k)
{
    return r * (k + 1);
}

/* Draw r >= 1 trajectories of k >= 1 inputs on a p-level grid (p even, >= 2) from rng into
 * out (kn_morris_rows(r, k) x k, row-major, the caller's): trajectory t is rows t (k + 1)
 * .. t (k + 1) + k. Per trajectory the draws are: for each coordinate in order, its start
 * level (uniform among p/2) and its direction (uniform among 2); then the order of the
 * moves (Fisher-Yates, as kn_design_lhs). Nothing is allocated. */
kn_status kn_morris_design(kn_rng *rng, size_t r, size_t k, unsigned p, double *out,
                           kn_error *err);

typedef struct kn_morris {
    double mu;       /* mean elementary effect */
    double mu_star;  /* mean absolute elementary effect */
    double sigma;    /* standard deviation of the elementary effects */
    size_t r;        /* effects averaged (the trajectories) */
} kn_morris;

/* Elementary-effect statistics of k inputs from the r >= 2 trajectories x (as drawn by
 * kn_morris_design, or any with one coordinate moving per step and each coordinate once
 * per trajectory) and their outputs f[0 .. r (k + 1) - 1]. out[0 .. k-1] is the caller's.
 * Returns KN_OK; KN_EINVAL for a non-finite f or points that are not trajectories. */
kn_status kn_morris_indices(const double *x, const double *f, size_t r, size_t k,
                            kn_morris *out, kn_error *err);

#endif
