/* regret.c - win shares, regret and the minimax-regret policy (regret.h). */
#include <math.h>
#include "regret.h"

void kn_wilson(double successes, double n, double z, double *lo, double *hi)
{
    double ph = successes / n, z2 = z * z;
    double denom = 1.0 + z2 / n;
    double centre = (ph + z2 / (2.0 * n)) / denom;
    double half = z / denom * sqrt(ph * (1.0 - ph) / n + z2 / (4.0 * n * n));
    *lo = fmax(0.0, centre - half);
    *hi = fmin(1.0, centre + half);
}

kn_status kn_regret_table(const double *values, size_t W, size_t P, size_t stride,
                          int higher_is_better, kn_regret *out, size_t *minimax,
                          size_t *failed, kn_error *err)
{
    if (P < 1 || stride < P)
        return kn_error_set(err, KN_EINVAL, "a regret table needs >= 1 policy and stride >= P "
                            "(P = %zu, stride = %zu)", P, stride);
    for (size_t q = 0; q < P; q++)
        out[q] = (kn_regret){0.0, 0.0, 0.0, 0.0, 0.0};
    size_t used = 0;
    for (size_t w = 0; w < W; w++) {
        const double *v = values + w * stride;
        double best = higher_is_better ? -INFINITY : INFINITY;
        size_t q, ties = 0;
        for (q = 0; q < P && !isnan(v[q]); q++) {
            if (isinf(v[q]))
                return kn_error_set(err, KN_EINVAL, "world %zu, policy %zu is infinite", w, q);
            best = higher_is_better ? fmax(best, v[q]) : fmin(best, v[q]);
        }
        if (q < P)
            continue; /* a failed world */
        used++;
        for (q = 0; q < P; q++)
            ties += v[q] == best;
        for (q = 0; q < P; q++) {
            double regret = higher_is_better ? best - v[q] : v[q] - best;
            out[q].win_share += v[q] == best ? 1.0 / (double)ties : 0.0;
            out[q].mean_regret += regret;
            out[q].max_regret = fmax(out[q].max_regret, regret);
        }
    }
    if (failed)
        *failed = W - used;
    if (used == 0)
        return kn_error_set(err, KN_EINVAL, "no world without a failed policy (%zu worlds)", W);
    size_t mm = 0;
    for (size_t q = 0; q < P; q++) {
        kn_regret *o = &out[q];
        double wins = o->win_share;
        o->win_share = wins / (double)used;
        o->mean_regret /= (double)used;
        kn_wilson(wins, (double)used, KN_Z95, &o->win_lo, &o->win_hi);
        if (o->max_regret < out[mm].max_regret ||
            (o->max_regret == out[mm].max_regret && o->mean_regret < out[mm].mean_regret))
            mm = q;
    }
    *minimax = mm;
    return KN_OK;
}
