/* design.h - Latin hypercube samples of the unit cube (McKay, Beckman & Conover 1979):
 * n points in k dimensions such that each column has exactly one point in each of the n
 * strata [s/n, (s+1)/n). The caller maps column j to its range (lo + (hi - lo) t, or a
 * level index floor(t * levels)). The Saltelli and Morris designs are in sobol.h and
 * morris.h.
 */
#ifndef KONING_DESIGN_H
#define KONING_DESIGN_H

#include <stddef.h>
#include <stdint.h>
#include "koning/error.h"
#include "koning/rng.h"

/* Fill out[p * k + j] (n x k, row-major, the caller's) with a Latin hypercube drawn from
 * r, by exactly this algorithm (the sweep reader's, sim/files/sweep.c, so the two give
 * identical numbers for the same stream): for each column j in order, perm = 0 .. n-1 is
 * shuffled by Fisher-Yates, for i = n-1 down to 1: swap perm[i] and perm[u], u uniform in
 * [0, i] (kn_design_below); then for each row p in order, out[p][j] = (perm[p] + U) / n,
 * U = kn_rng_uniform(r). Every value is in (0, 1). The permutation is kept in out itself,
 * so nothing is allocated. Returns KN_OK, or KN_EINVAL when n or k is 0 or n >= 2^53. */
kn_status kn_design_lhs(kn_rng *r, size_t n, size_t k, double *out, kn_error *err);

/* Uniform integer in [0, bound), bound >= 1, without modulo bias: 64-bit words of r are
 * drawn until one is >= 2^64 mod bound, and that word mod bound is returned. */
uint64_t kn_design_below(kn_rng *r, uint64_t bound);

#endif
