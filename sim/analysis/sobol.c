/* sobol.c - the Saltelli design and the Saltelli 2010 / Jansen 1999 estimators of the
 * first-order and total Sobol' indices with percentile bootstrap intervals (sobol.h). One
 * pass over the rows computes every index; a bootstrap resample is the same pass with
 * rows drawn with replacement, the draws made as the pass goes (no index buffer). */
#include <stdlib.h>
#include "sobol.h"
#include "design.h"
#include "analysis_internal.h"

kn_status kn_saltelli_cross(size_t n, size_t k, double *out, kn_error *err)
{
    if (n < 1 || k < 1)
        return kn_error_set(err, KN_EINVAL, "a Saltelli design needs n >= 1 and k >= 1");
    const double *a = out, *b = out + n * k;
    for (size_t i = 0; i < k; i++) {
        double *ab = out + (2 + i) * n * k;
        for (size_t j = 0; j < n; j++)
            for (size_t c = 0; c < k; c++)
                ab[j * k + c] = c == i ? b[j * k + c] : a[j * k + c];
    }
    return KN_OK;
}

kn_status kn_saltelli_design(kn_rng *ra, kn_rng *rb, size_t n, size_t k, double *out,
                             kn_error *err)
{
    KN_CHECK(kn_design_lhs(ra, n, k, out, err));
    KN_CHECK(kn_design_lhs(rb, n, k, out + n * k, err));
    return kn_saltelli_cross(n, k, out, err);
}

/* Every index from one pass over n rows; row t of the pass is row `pick ? kn_below(pick,
 * n) : t` of the design. first and total get k values each. fbar centres f(B). */
static void indices(const double *f, size_t n, size_t k, kn_rng *pick, double fbar,
                    double *first, double *total)
{
    const double *fa = f, *fb = f + n;
    double s = 0.0, s2 = 0.0;
    for (size_t i = 0; i < k; i++)
        first[i] = total[i] = 0.0;
    for (size_t t = 0; t < n; t++) {
        size_t j = pick ? (size_t)kn_below(pick, n) : t;
        double a = fa[j] - fbar, b = fb[j] - fbar;
        s += a + b;
        s2 += a * a + b * b;
        for (size_t i = 0; i < k; i++) {
            double ab = f[(2 + i) * n + j] - fbar;
            first[i] += b * (ab - a);
            total[i] += (a - ab) * (a - ab);
        }
    }
    double m = s / (2.0 * (double)n), v = s2 / (2.0 * (double)n) - m * m;
    for (size_t i = 0; i < k; i++) {
        first[i] = v > 0.0 ? first[i] / ((double)n * v) : NAN;
        total[i] = v > 0.0 ? total[i] / (2.0 * (double)n * v) : NAN;
    }
}

kn_status kn_sobol_indices(const double *f, size_t n, size_t k, kn_rng *boot, size_t nboot,
                           double level, kn_sobol *out, kn_error *err)
{
    if (n < 2 || k < 1)
        return kn_error_set(err, KN_EINVAL, "Sobol' indices need n >= 2 base rows and k >= 1 "
                            "inputs, got n = %zu, k = %zu", n, k);
    if (nboot > 0 && (!boot || !(level > 0.0 && level < 1.0)))
        return kn_error_set(err, KN_EINVAL, "a bootstrap needs a random stream and a level in "
                            "(0, 1), got %g", level);
    KN_CHECK(kn_check_finite(f, kn_saltelli_rows(n, k), 1, "f", err));
    double fbar = 0.0;
    for (size_t j = 0; j < 2 * n; j++)
        fbar += f[j];
    fbar /= 2.0 * (double)n;
    /* est: row 0 the point estimate, rows 1 .. nboot the resamples, each k firsts then k
     * totals; col: one quantity's resampled values, to sort */
    double *est = malloc((2 * k * (nboot + 1) + nboot + 1) * sizeof *est);
    if (!est)
        return kn_error_set(err, KN_ENOMEM, "no memory for %zu bootstrap resamples", nboot);
    double *col = est + 2 * k * (nboot + 1);
    for (size_t b = 0; b <= nboot; b++)
        indices(f, n, k, b ? boot : NULL, fbar, est + 2 * k * b, est + 2 * k * b + k);
    double lo_p = (1.0 - level) / 2.0, hi_p = (1.0 + level) / 2.0;
    for (size_t q = 0; q < 2 * k; q++) {
        double lo = NAN, hi = NAN;
        size_t ok = 0; /* a resample of a nearly constant f may have V == 0: skipped */
        for (size_t b = 0; b < nboot; b++)
            if (!isnan(est[2 * k * (b + 1) + q]))
                col[ok++] = est[2 * k * (b + 1) + q];
        if (ok > 0 && !isnan(est[q])) {
            qsort(col, ok, sizeof *col, kn_cmp_double);
            lo = kn_sorted_quantile(col, ok, lo_p);
            hi = kn_sorted_quantile(col, ok, hi_p);
        }
        kn_sobol *o = &out[q % k];
        if (q < k) {
            o->first = est[q];
            o->first_lo = lo;
            o->first_hi = hi;
        } else {
            o->total = est[q];
            o->total_lo = lo;
            o->total_hi = hi;
        }
    }
    free(est);
    return KN_OK;
}
