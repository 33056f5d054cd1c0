/* dist.h - drawing durations from a kn_dist (exponential, lognormal, deterministic). */
#ifndef KONING_DIST_H
#define KONING_DIST_H

#include "koning/rng.h"
#include "koning/scenario.h"

/* A kn_dist prepared for fast sampling: lognormal parameters precomputed. */
typedef struct kn_sampler {
    kn_dist_kind kind;
    double mean;          /* minutes */
    double log_mu, log_sigma; /* lognormal: log-scale location and scale */
} kn_sampler;

/* Prepare a sampler; returns KN_EINVAL if the distribution is unusable. */
kn_status kn_sampler_init(kn_sampler *s, const kn_dist *d, kn_error *err);

/* One duration in minutes (> 0 for exponential/lognormal); INFINITY for KN_DIST_NONE. */
double kn_sampler_draw(const kn_sampler *s, kn_rng *rng);

#endif
