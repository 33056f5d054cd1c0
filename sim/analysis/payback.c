/* payback.c - the payback week of a switch and its interval (payback.h). One backward
 * pass over the weeks: a curve "stays > 0 from week w" when it is > 0 at w and at every
 * later week, so the first such week is found by walking back from the end. */
#include <math.h>
#include "payback.h"
#include "koning/stats.h"

kn_status kn_payback_estimate(const double *d, size_t R, size_t W, size_t stride, double level,
                              double *mean, double *lo, double *hi, kn_payback *out,
                              kn_error *err)
{
    if (R < 2 || W < 1 || stride < W)
        return kn_error_set(err, KN_EINVAL, "payback needs >= 2 replications of >= 1 week "
                            "(R = %zu, W = %zu, stride = %zu)", R, W, stride);
    int zero = 1;
    for (size_t r = 0; r < R; r++)
        for (size_t w = 0; w < W; w++) {
            double v = d[r * stride + w];
            if (!isfinite(v))
                return kn_error_set(err, KN_EINVAL, "payback: replication %zu, week %zu is not "
                                    "a finite number", r, w);
            zero &= v == 0.0;
        }
    size_t from[3] = {W, W, W}; /* mean, upper band, lower band: first week staying > 0 */
    int alive[3] = {1, 1, 1};
    for (size_t w = W; w-- > 0;) {
        kn_summary s;
        KN_CHECK(kn_summarize(d + w, R, stride, level, &s, err));
        if (mean)
            mean[w] = s.mean;
        if (lo)
            lo[w] = s.ci_low;
        if (hi)
            hi[w] = s.ci_high;
        double curve[3] = {s.mean, s.ci_high, s.ci_low};
        for (int c = 0; c < 3; c++) {
            alive[c] &= curve[c] > 0.0;
            if (alive[c])
                from[c] = w;
        }
    }
    out->week = from[0] < W ? from[0] : KN_PAYBACK_NONE;
    out->week_lo = from[1] < W ? from[1] : KN_PAYBACK_NONE;
    out->week_hi = from[2] < W ? from[2] : KN_PAYBACK_NONE;
    if (zero)
        out->kase = KN_PAYBACK_NEVER_NEEDED;
    else if (out->week == KN_PAYBACK_NONE)
        out->kase = KN_PAYBACK_NOT_WITHIN;
    else
        out->kase = out->week == 0 ? KN_PAYBACK_AT_ONCE : KN_PAYBACK_WITHIN;
    return KN_OK;
}
