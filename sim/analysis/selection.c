/* selection.c - subset selection by paired screening and Holm's all-pairwise paired
 * t-tests (selection.h). Pair statistics are one Welford pass over the replications both
 * systems completed; nothing is allocated. */
#include <math.h>
#include <string.h>
#include "selection.h"
#include "koning/stats.h"

typedef struct pair_stat {
    size_t n;
    double mean, sd; /* of x_i - x_j */
} pair_stat;

static pair_stat pair_of(const double *x, size_t n, size_t stride, size_t i, size_t j)
{
    pair_stat s = {0, 0.0, 0.0};
    double m2 = 0.0;
    for (size_t r = 0; r < n; r++) {
        double a = x[i * stride + r], b = x[j * stride + r];
        if (isnan(a) || isnan(b))
            continue;
        double d = a - b, delta = d - s.mean;
        s.n++;
        s.mean += delta / (double)s.n;
        m2 += delta * (d - s.mean);
    }
    s.sd = s.n > 1 ? sqrt(m2 / (double)(s.n - 1)) : NAN;
    return s;
}

static kn_status check_input(const double *x, size_t k, size_t n, size_t stride,
                             double alpha, kn_error *err)
{
    if (k < 1 || n < 1)
        return kn_error_set(err, KN_EINVAL, "need at least one system and one replication");
    if (stride < n)
        return kn_error_set(err, KN_EINVAL, "stride %zu is shorter than a row (%zu)", stride, n);
    if (!(alpha > 0.0 && alpha < 1.0))
        return kn_error_set(err, KN_EINVAL, "alpha must be in (0, 1), got %g", alpha);
    for (size_t i = 0; i < k; i++)
        for (size_t r = 0; r < n; r++)
            if (isinf(x[i * stride + r]))
                return kn_error_set(err, KN_EINVAL,
                                    "system %zu, replication %zu is infinite", i, r);
    return KN_OK;
}

kn_status kn_subset_select(const double *x, size_t k, size_t n, size_t stride, double alpha,
                           int higher_is_better, int *keep, size_t *nkeep, kn_error *err)
{
    KN_CHECK(check_input(x, k, n, stride, alpha, err));
    double level = k > 1 ? pow(1.0 - alpha, 1.0 / (double)(k - 1)) : 1.0;
    size_t kept = 0;
    for (size_t i = 0; i < k; i++) {
        keep[i] = 1;
        for (size_t j = 0; j < k && keep[i]; j++) {
            if (j == i)
                continue;
            pair_stat s = pair_of(x, n, stride, i, j);
            if (s.n < 2)
                continue;
            double w = kn_t_quantile(level, (double)(s.n - 1)) * s.sd / sqrt((double)s.n);
            double lead = higher_is_better ? s.mean : -s.mean; /* i's lead over j */
            if (lead < -w)
                keep[i] = 0;
        }
        kept += (size_t)keep[i];
    }
    if (nkeep)
        *nkeep = kept;
    return KN_OK;
}

/* Holm's step-down over m p-values read at pbase + i * pstep and written at abase +
 * i * astep (byte strides, so the same code serves a plain array and the p fields of an
 * array of kn_pair_test). The hypotheses are visited in ascending (p, index) order, each
 * step scanning for the next one: O(m^2), no allocation. */
static void holm_core(const char *pbase, size_t pstep, char *abase, size_t astep, size_t m)
{
    double running = 0.0, prev_p = 0.0;
    size_t prev = m;
    for (size_t rank = 0; rank < m; rank++) {
        size_t cur = m;
        double cur_p = 0.0;
        for (size_t i = 0; i < m; i++) {
            double pi;
            memcpy(&pi, pbase + i * pstep, sizeof pi);
            int after_prev = prev == m || pi > prev_p || (pi == prev_p && i > prev);
            int before_cur = cur == m || pi < cur_p || (pi == cur_p && i < cur);
            if (after_prev && before_cur) {
                cur = i;
                cur_p = pi;
            }
        }
        double step = (double)(m - rank) * cur_p;
        running = fmax(running, step < 1.0 ? step : 1.0);
        memcpy(abase + cur * astep, &running, sizeof running);
        prev = cur;
        prev_p = cur_p;
    }
}

kn_status kn_holm_adjust(const double *p, size_t m, double *adj, kn_error *err)
{
    for (size_t i = 0; i < m; i++)
        if (!(p[i] >= 0.0 && p[i] <= 1.0))
            return kn_error_set(err, KN_EINVAL, "p-value %zu is %g, not in [0, 1]", i, p[i]);
    holm_core((const char *)p, sizeof *p, (char *)adj, sizeof *adj, m);
    return KN_OK;
}

kn_status kn_holm_pairwise(const double *x, size_t k, size_t n, size_t stride, double alpha,
                           kn_pair_test *out, kn_error *err)
{
    KN_CHECK(check_input(x, k, n, stride, alpha, err));
    if (k < 2)
        return kn_error_set(err, KN_EINVAL, "pairwise comparisons need >= 2 systems, got %zu", k);
    size_t m = kn_pair_count(k), q = 0;
    for (size_t i = 0; i < k; i++)
        for (size_t j = i + 1; j < k; j++, q++) {
            pair_stat s = pair_of(x, n, stride, i, j);
            if (s.n < 2)
                return kn_error_set(err, KN_EINVAL,
                                    "systems %zu and %zu share %zu complete replications, "
                                    "a paired test needs >= 2", i, j, s.n);
            kn_pair_test *o = &out[q];
            o->i = i;
            o->j = j;
            o->n = s.n;
            o->mean_diff = s.mean;
            o->sd_diff = s.sd;
            if (s.sd > 0.0) {
                o->t = s.mean / (s.sd / sqrt((double)s.n));
                o->p = fmin(1.0, 2.0 * kn_t_cdf(-fabs(o->t), (double)(s.n - 1)));
            } else { /* identical differences: no doubt either way */
                o->t = s.mean == 0.0 ? 0.0 : copysign(INFINITY, s.mean);
                o->p = s.mean == 0.0 ? 1.0 : 0.0;
            }
        }
    holm_core((const char *)&out[0].p, sizeof *out, (char *)&out[0].p_holm, sizeof *out, m);
    for (q = 0; q < m; q++)
        out[q].differ = out[q].p_holm <= alpha;
    return KN_OK;
}
