/* shapley.h - how much of a gap between two policies each lever explains. The policies
 * differ in k levers; v(S) is the outcome with the levers in S switched to the new policy
 * and the others left as in the old (bit i of S = lever i switched), so v(0) is the old
 * policy and v(2^k - 1) the new one.
 *
 * Exact Shapley values (Shapley 1953):
 *     phi_i = sum_{S not containing i} |S|! (k - |S| - 1)! / k! * (v(S + i) - v(S)).
 * They sum to v(all) - v(none) (up to rounding), a lever whose switch never changes v gets
 * exactly 0, and levers that play symmetric roles get equal shares. Cost: k 2^(k-1)
 * differences; k <= KN_SHAPLEY_MAX_LEVERS.
 *
 * With many levers (2^k runs out of reach), one-at-a-time effects both ways: forward,
 * lever i alone added to the old policy; backward, lever i alone removed from the new;
 * their average; and the interaction residual, total - sum of averages, which says how
 * much of the gap no single lever explains (docs/analysis.md#shapley-values-and-one-at-a-time-effects).
 */
#ifndef KONING_SHAPLEY_H
#define KONING_SHAPLEY_H

#include <stddef.h>
#include "koning/error.h"

#define KN_SHAPLEY_MAX_LEVERS 16

/* Shapley values of k levers (1 <= k <= 16) from v[0 .. 2^k - 1]; phi[0 .. k-1] is the
 * caller's. A non-finite v makes every phi non-finite (each phi uses every v). Returns
 * KN_OK, or KN_EINVAL for k out of range. */
kn_status kn_shapley(const double *v, size_t k, double *phi, kn_error *err);

/* The same per replication: v[S * stride + r], r < reps (stride >= reps), is the outcome
 * of subset S in replication r; phi[i * reps + r] (k x reps, the caller's) gets lever i's
 * value in replication r. Row i of phi is then a paired sample: kn_summarize(phi + i *
 * reps, reps, 1, level, ...) gives phi_i's mean and confidence interval. */
kn_status kn_shapley_reps(const double *v, size_t k, size_t reps, size_t stride,
                          double *phi, kn_error *err);

/* One lever's one-at-a-time effects. */
typedef struct kn_oat {
    double forward;   /* v(old + lever i) - v(old) */
    double backward;  /* v(new) - v(new - lever i) */
    double average;   /* (forward + backward) / 2 */
} kn_oat;

/* One-at-a-time effects of k >= 1 levers: v_old = v(none), v_new = v(all), v_add[i] = v(old
 * + lever i), v_drop[i] = v(new - lever i). out[0 .. k-1] is the caller's; *residual (if
 * not NULL) gets (v_new - v_old) - sum_i out[i].average. For k = 2 the averages are the
 * Shapley values and the residual is 0. Returns KN_OK or KN_EINVAL (k == 0). */
kn_status kn_oat_effects(double v_old, double v_new, const double *v_add, const double *v_drop,
                         size_t k, kn_oat *out, double *residual, kn_error *err);

#endif
