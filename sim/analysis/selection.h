/* selection.h - which of k systems is best, with the error rate controlled over the
 * whole family of comparisons, from paired replications (common random numbers).
 *
 * Subset selection (Gupta 1965; the paired screening of Nelson, Swann, Goldsman & Song
 * 2001, Operations Research 49(6)): keep system i iff
 *     xbar_i >= xbar_j - W_ij  for every j != i,
 *     W_ij = t_{(1-alpha)^{1/(k-1)}, n_ij - 1} * S_ij / sqrt(n_ij),
 * S_ij the sample standard deviation of the paired differences x_i - x_j (for "lower is
 * better" the inequality is mirrored). The best system is in the subset with probability
 * >= 1 - alpha when the paired differences are normal (the guarantee is for that model;
 * with many replications it holds approximately for others).
 *
 * All-pairwise comparisons (Holm 1979): a paired t-test for every pair i < j, two-sided,
 * and Holm's step-down adjustment of the k(k-1)/2 p-values, so that the probability of
 * declaring any pair different when it is not is at most alpha.
 *
 * Layout: system i, replication r is x[i * stride + r], r < n, stride >= n. Missing
 * values: in each pair, replications where either value is NaN are skipped (the pair uses
 * the n_ij replications both systems completed); infinities are refused.
 */
#ifndef KONING_SELECTION_H
#define KONING_SELECTION_H

#include <stddef.h>
#include "koning/error.h"

/* Subset selection at familywise level alpha in (0, 1). keep[i] (k ints, the caller's) is
 * set to 1 for a kept system and 0 for a screened-out one; *nkeep (if not NULL) to the
 * size of the subset, >= 1. A pair with fewer than 2 common replications screens nobody
 * out (it cannot tell them apart). k == 1 keeps the one system. Returns KN_OK or
 * KN_EINVAL with a message. */
kn_status kn_subset_select(const double *x, size_t k, size_t n, size_t stride, double alpha,
                           int higher_is_better, int *keep, size_t *nkeep, kn_error *err);

/* One paired comparison of the all-pairwise family. */
typedef struct kn_pair_test {
    size_t i, j;       /* the systems, i < j */
    size_t n;          /* replications both completed */
    double mean_diff;  /* mean of x_i - x_j over those replications */
    double sd_diff;    /* their sample standard deviation */
    double t;          /* mean_diff / (sd_diff / sqrt(n)); 0 if both are 0, +-inf if sd is */
    double p;          /* two-sided p-value of the paired t-test (df = n - 1) */
    double p_holm;     /* Holm-adjusted p-value */
    int differ;        /* 1 when p_holm <= alpha */
} kn_pair_test;

/* Number of pairs of k systems, k (k - 1) / 2. */
static inline size_t kn_pair_count(size_t k)
{
    return k * (k - 1) / 2;
}

/* Holm's step-down adjustment of m p-values: adj[i] = max over the hypotheses ranked at or
 * before i (ascending p, ties by index) of min(1, (m - rank) p), rank from 0. p and adj are
 * the caller's (m doubles each, distinct arrays). Returns KN_OK
 * or KN_EINVAL when a p-value is not in [0, 1]. No allocation (O(m^2) ranking). */
kn_status kn_holm_adjust(const double *p, size_t m, double *adj, kn_error *err);

/* All pairwise paired t-tests at familywise level alpha in (0, 1), k >= 2 systems. out holds
 * kn_pair_count(k) records (the caller's), in the order (0,1), (0,2), ..., (0,k-1), (1,2),
 * ..., (k-2,k-1). Every pair needs >= 2 common replications (else KN_EINVAL). */
kn_status kn_holm_pairwise(const double *x, size_t k, size_t n, size_t stride, double alpha,
                           kn_pair_test *out, kn_error *err);

#endif
