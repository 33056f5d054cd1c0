/* morris.c - Morris trajectories and elementary-effect statistics (morris.h). */
#include "morris.h"
#include "analysis_internal.h"

kn_status kn_morris_design(kn_rng *rng, size_t r, size_t k, unsigned p, double *out,
                           kn_error *err)
{
    if (r < 1 || k < 1)
        return kn_error_set(err, KN_EINVAL, "a Morris design needs r >= 1 trajectories and "
                            "k >= 1 inputs, got r = %zu, k = %zu", r, k);
    if (p < 2 || p % 2)
        return kn_error_set(err, KN_EINVAL, "Morris levels must be even and >= 2, got %u", p);
    const unsigned half = p / 2;
    const double top = (double)(p - 1);
    for (size_t t = 0; t < r; t++) {
        double *x = out + t * (k + 1) * k; /* row m is x + m k */
        double *order = x + k * k;         /* the last row holds the order until it is due */
        for (size_t c = 0; c < k; c++) {
            unsigned level = (unsigned)kn_below(rng, half);
            unsigned down = (unsigned)kn_below(rng, 2);
            x[c] = (double)(level + (down ? half : 0)) / top;
        }
        for (size_t c = 0; c < k; c++)
            order[c] = (double)c;
        for (size_t i = k; i-- > 1;) {
            size_t u = (size_t)kn_below(rng, (uint64_t)i + 1);
            double s = order[i];
            order[i] = order[u];
            order[u] = s;
        }
        size_t last = (size_t)order[k - 1];
        for (size_t m = 1; m <= k; m++) {
            size_t c = m < k ? (size_t)order[m - 1] : last;
            double *row = x + m * k, *prev = row - k;
            for (size_t j = 0; j < k; j++)
                row[j] = prev[j];
            unsigned level = (unsigned)lround(prev[c] * top);
            row[c] = (double)(level >= half ? level - half : level + half) / top;
        }
    }
    return KN_OK;
}

kn_status kn_morris_indices(const double *x, const double *f, size_t r, size_t k,
                            kn_morris *out, kn_error *err)
{
    if (r < 2 || k < 1)
        return kn_error_set(err, KN_EINVAL, "Morris statistics need r >= 2 trajectories and "
                            "k >= 1 inputs, got r = %zu, k = %zu", r, k);
    KN_CHECK(kn_check_finite(f, kn_morris_rows(r, k), 1, "f", err));
    for (size_t c = 0; c < k; c++)
        out[c] = (kn_morris){0.0, 0.0, 0.0, 0};
    for (size_t t = 0; t < r; t++) {
        for (size_t m = 1; m <= k; m++) {
            size_t a = t * (k + 1) + m - 1;
            const double *xa = x + a * k, *xb = xa + k;
            size_t moved = k;
            for (size_t c = 0; c < k; c++) {
                if (xa[c] == xb[c])
                    continue;
                if (moved < k)
                    return kn_error_set(err, KN_EINVAL, "trajectory %zu, step %zu: more than "
                                        "one coordinate moves", t, m);
                moved = c;
            }
            if (moved == k || out[moved].r != t)
                return kn_error_set(err, KN_EINVAL, "trajectory %zu, step %zu: %s", t, m,
                                    moved == k ? "no coordinate moves"
                                               : "a coordinate moves twice");
            kn_morris *o = &out[moved];
            double ee = (f[a + 1] - f[a]) / (xb[moved] - xa[moved]);
            o->r++;
            double delta = ee - o->mu; /* Welford: sigma holds the sum of squares for now */
            o->mu += delta / (double)o->r;
            o->sigma += delta * (ee - o->mu);
            o->mu_star += (fabs(ee) - o->mu_star) / (double)o->r;
        }
    }
    for (size_t c = 0; c < k; c++)
        out[c].sigma = sqrt(out[c].sigma / (double)(r - 1));
    return KN_OK;
}
