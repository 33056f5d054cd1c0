/* regret.h - how policies fare across plausible worlds (Lempert, Popper & Bankes 2003):
 * the regret of a policy in a world is what it loses against the best policy of that
 * world, best value - its value (>= 0; mirrored when lower is better). Per policy: the
 * share of worlds where it is best (a tie for best shares the world equally), with a
 * Wilson 95 % interval, the mean and the maximum regret; and the minimax-regret policy
 * (Savage 1951), the one whose worst regret is smallest (ties: the smaller mean regret,
 * then the lower index).
 *
 * Layout: world w, policy q is values[w * stride + q], q < P, stride >= P. A world where
 * any policy's value is NaN (a failed run) is left out of every statistic and counted.
 */
#ifndef KONING_REGRET_H
#define KONING_REGRET_H

#include <stddef.h>
#include "koning/error.h"

/* z of a two-sided 95 % normal interval. */
#define KN_Z95 1.959963984540054

typedef struct kn_regret {
    double win_share;        /* share of the worlds used where the policy is best */
    double win_lo, win_hi;   /* Wilson 95 % interval of that share */
    double mean_regret;
    double max_regret;
} kn_regret;

/* Regret table of P >= 1 policies over W worlds; out[0 .. P-1] is the caller's. *minimax
 * gets the minimax-regret policy, *failed (if not NULL) the worlds left out. Returns
 * KN_OK; KN_EINVAL for an infinite value or when every world failed. */
kn_status kn_regret_table(const double *values, size_t W, size_t P, size_t stride,
                          int higher_is_better, kn_regret *out, size_t *minimax,
                          size_t *failed, kn_error *err);

/* Wilson score interval (Wilson 1927) for `successes` out of n > 0 trials (successes may be
 * fractional, as shared wins are) at normal quantile z (KN_Z95 for 95 %). */
void kn_wilson(double successes, double n, double z, double *lo, double *hi);

#endif
