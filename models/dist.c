/* dist.c - sampling durations. Lognormal with mean m and coefficient of variation cv:
 * sigma^2 = ln(1 + cv^2), mu = ln(m) - sigma^2 / 2 (so that E[X] = m, sd(X) = cv * m). */
#include <math.h>
#include "dist.h"

kn_status kn_sampler_init(kn_sampler *s, const kn_dist *d, kn_error *err)
{
    s->kind = d->kind;
    s->mean = d->mean_minutes;
    s->log_mu = s->log_sigma = 0.0;
    if (d->kind == KN_DIST_NONE)
        return KN_OK;
    if (!(d->mean_minutes > 0.0) || !isfinite(d->mean_minutes))
        return kn_error_set(err, KN_EINVAL, "distribution mean must be > 0, got %g",
                            d->mean_minutes);
    if (d->kind == KN_DIST_LOGNORMAL) {
        if (!(d->cv > 0.0) || !isfinite(d->cv))
            return kn_error_set(err, KN_EINVAL, "lognormal cv must be > 0, got %g", d->cv);
        double s2 = log1p(d->cv * d->cv);
        s->log_sigma = sqrt(s2);
        s->log_mu = log(d->mean_minutes) - 0.5 * s2;
    }
    return KN_OK;
}

double kn_sampler_draw(const kn_sampler *s, kn_rng *rng)
{
    switch (s->kind) {
    case KN_DIST_EXPONENTIAL: return kn_rng_exponential(rng, s->mean);
    case KN_DIST_LOGNORMAL: return exp(s->log_mu + s->log_sigma * kn_rng_normal_pair(rng));
    case KN_DIST_DETERMINISTIC: return s->mean;
    case KN_DIST_NONE: break;
    }
    return INFINITY;
}
