/* rng.h - random number streams.
 *
 * One kn_rng is one independent stream of a counter-based generator (Philox4x64-10
 * from Random123, Salmon et al. 2011, passes TestU01 BigCrush). A stream is fully
 * determined by (master seed, scenario stream, replication, source): the same tuple
 * always yields the same numbers, in any process, whatever the number of workers,
 * and two scenarios given the same scenario stream draw the same numbers for the
 * same source (common random numbers). There is no global state; never use rand().
 */
#ifndef KONING_RNG_H
#define KONING_RNG_H

#include <stdint.h>
#include <math.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Random sources of the model; each gets its own stream. Append new sources at the
 * end (before KN_SRC_COUNT_) so existing streams keep their numbers. */
typedef enum kn_source {
    KN_SRC_ARRIVALS = 0, /* inter-arrival times */
    KN_SRC_SERVICE = 1,  /* service requirements */
    KN_SRC_PATIENCE = 2, /* patience (time to abandon) */
    KN_SRC_DESIGN = 3,   /* experimental designs (Latin hypercube of a sweep) */
    KN_SRC_IDENTITY = 4, /* which customer of the base makes a visit */
    KN_SRC_CUSTOMER = 5, /* attributes of customers (type, value) and acquisitions */
    KN_SRC_ENCOUNTER = 6,/* what happens in a service encounter (abuse, resolution, ...) */
    KN_SRC_POLICY = 7,   /* management decisions on complaints */
    KN_SRC_EMPLOYEE = 8, /* employees' days: sickness, quits, resilience */
    KN_SRC_TRAITS = 9,   /* a customer's traits, by his index: block 2i.. of the stream */
    KN_SRC_MARKET = 10,  /* incidents that go public, customers won back */
    KN_SRC_REPEAT = 11,  /* whether and when an unresolved need comes back */
    KN_SRC_ORG = 12,     /* the organisation effect of a replication (scenario stream 0) */
    KN_SRC_REPEAT_PATIENCE = 13, /* the patience of a repeat contact (normals, when lognormal) */
    KN_SRC_COUNT_
} kn_source;

typedef struct kn_rng {
    uint64_t key[2];   /* (master seed, 0) */
    uint64_t ctr[4];   /* (block, replication, source, scenario stream) */
    uint64_t buf[4];   /* current output block */
    unsigned next;     /* index of the next unused word in buf (4 = empty) */
    int has_spare;     /* kn_rng_normal_pair: the second normal of the last pair is kept */
    double spare;
} kn_rng;

/* Initialise stream (seed, scenario, replication, source). Never fails. */
void kn_rng_init(kn_rng *rng, uint64_t seed, uint64_t scenario, uint64_t replication,
                 uint64_t source);

/* Next 64 uniformly distributed bits. */
uint64_t kn_rng_next(kn_rng *rng);

/* Uniform double in the open interval (0, 1): never 0, never 1 (safe for log). */
static inline double kn_rng_uniform(kn_rng *rng)
{
    return ((double)(kn_rng_next(rng) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

/* Exponential variate with the given mean (> 0). */
static inline double kn_rng_exponential(kn_rng *rng, double mean)
{
    return -mean * log(kn_rng_uniform(rng));
}

/* Standard normal variate (Box-Muller, one value per two uniforms, no cached state,
 * so a stream's n-th call does not depend on earlier calls' parity). For streams that
 * mix kinds of draws. */
double kn_rng_normal(kn_rng *rng);

/* Standard normal variate, both values of each Box-Muller pair used (one uniform per
 * normal): for a stream that draws nothing but normals (service, patience). The first
 * value of each pair equals kn_rng_normal's. */
double kn_rng_normal_pair(kn_rng *rng);

/* Decide an event of probability p with the uniform *u, and leave in *u a uniform on
 * (0, 1) independent of the outcome (u's position inside the branch it fell in,
 * rescaled). One draw then serves a chain of decisions, and a chain always costs one
 * draw whichever branches a policy takes, which keeps the streams of compared policies
 * aligned (common random numbers). Each split spends about H(p) <= 1 bit of the 53. */
static inline int kn_rng_split(double *u, double p)
{
    if (!(p > 0.0))
        return 0;
    if (!(p < 1.0))
        return 1;
    int hit = *u < p;
    *u = hit ? *u / p : (*u - p) / (1.0 - p);
    if (!(*u > 0.0))
        *u = 0x1p-60; /* (u - p) / (1 - p) is 0 when u == p: keep u in (0, 1) */
    if (!(*u < 1.0))
        *u = 1.0 - 0x1p-53;
    return hit;
}

#ifdef __cplusplus
}
#endif
#endif
