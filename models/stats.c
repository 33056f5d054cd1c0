/* stats.c - mean and Student-t confidence intervals over replications (GSL's t
 * quantile and distribution function; Welford's update for the variance). */
#include <math.h>
#include <gsl/gsl_cdf.h>
#include "koning/stats.h"

double kn_t_quantile(double p, double df)
{
    return gsl_cdf_tdist_Pinv(p, df);
}

double kn_t_cdf(double t, double df)
{
    return gsl_cdf_tdist_P(t, df);
}

kn_status kn_summarize(const double *x, size_t n, size_t stride, double level,
                       kn_summary *out, kn_error *err)
{
    if (n < 2)
        return kn_error_set(err, KN_EINVAL, "a confidence interval needs >= 2 replications, got %zu", n);
    if (!(level > 0.0 && level < 1.0))
        return kn_error_set(err, KN_EINVAL, "confidence level must be in (0, 1), got %g", level);
    double mean = 0.0, m2 = 0.0;
    int finite = 1;
    for (size_t i = 0; i < n; i++) {
        double v = x[i * stride];
        if (!isfinite(v))
            finite = 0;
        double delta = v - mean;
        mean += delta / (double)(i + 1);
        m2 += delta * (v - mean);
    }
    out->n = n;
    out->level = level;
    if (!finite) {
        out->mean = out->sd = out->half_width = out->ci_low = out->ci_high = NAN;
        return KN_OK;
    }
    out->mean = mean;
    out->sd = sqrt(m2 / (double)(n - 1));
    out->half_width = kn_t_quantile(0.5 + level / 2.0, (double)(n - 1)) * out->sd / sqrt((double)n);
    out->ci_low = mean - out->half_width;
    out->ci_high = mean + out->half_width;
    return KN_OK;
}

kn_status kn_summarize_welch(const double *a, size_t na, const double *b, size_t nb,
                             size_t stride, double level, kn_summary *out, kn_error *err)
{
    kn_summary sa, sb;
    KN_CHECK(kn_summarize(a, na, stride, level, &sa, err));
    KN_CHECK(kn_summarize(b, nb, stride, level, &sb, err));
    out->n = na + nb;
    out->level = level;
    out->mean = sb.mean - sa.mean;
    double va = sa.sd * sa.sd / (double)na, vb = sb.sd * sb.sd / (double)nb;
    out->sd = sqrt(va + vb);
    if (!isfinite(out->mean)) {
        out->sd = out->half_width = out->ci_low = out->ci_high = NAN;
        return KN_OK;
    }
    if (out->sd == 0.0) {
        out->half_width = 0.0;
    } else {
        /* Welch-Satterthwaite degrees of freedom */
        double df = (va + vb) * (va + vb) /
                    (va * va / (double)(na - 1) + vb * vb / (double)(nb - 1));
        out->half_width = kn_t_quantile(0.5 + level / 2.0, df) * out->sd;
    }
    out->ci_low = out->mean - out->half_width;
    out->ci_high = out->mean + out->half_width;
    return KN_OK;
}
