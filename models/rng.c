/* rng.c - kn_rng over Random123's Philox4x64-10.
 *
 * Philox is counter-based: output = philox(counter, key). A stream is a key (the master
 * seed) plus a counter prefix (replication, source, scenario stream); word 0 of the
 * counter numbers the 4-word blocks of that stream. Streams never overlap (they differ
 * in the counter prefix) and need no state beyond the counter, so any stream can be
 * created anywhere, in any order, in any process.
 */
#include <Random123/philox.h>
#include "koning/rng.h"

void kn_rng_init(kn_rng *rng, uint64_t seed, uint64_t scenario, uint64_t replication,
                 uint64_t source)
{
    rng->key[0] = seed;
    rng->key[1] = 0x6b6f6e696e67ULL; /* "koning": a fixed second key word */
    rng->ctr[0] = 0;
    rng->ctr[1] = replication;
    rng->ctr[2] = source;
    rng->ctr[3] = scenario;
    rng->next = 4;
    rng->has_spare = 0;
    rng->spare = 0.0;
}

uint64_t kn_rng_next(kn_rng *rng)
{
    if (rng->next >= 4) {
        philox4x64_ctr_t c = {{rng->ctr[0], rng->ctr[1], rng->ctr[2], rng->ctr[3]}};
        philox4x64_key_t k = {{rng->key[0], rng->key[1]}};
        philox4x64_ctr_t r = philox4x64(c, k);
        for (int i = 0; i < 4; i++)
            rng->buf[i] = r.v[i];
        rng->ctr[0]++;
        rng->next = 0;
    }
    return rng->buf[rng->next++];
}

double kn_rng_normal(kn_rng *rng)
{
    double u1 = kn_rng_uniform(rng), u2 = kn_rng_uniform(rng);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586476925 * u2);
}

double kn_rng_normal_pair(kn_rng *rng)
{
    if (rng->has_spare) {
        rng->has_spare = 0;
        return rng->spare;
    }
    double u1 = kn_rng_uniform(rng), u2 = kn_rng_uniform(rng);
    double r = sqrt(-2.0 * log(u1)), a = 6.283185307179586476925 * u2;
    rng->spare = r * sin(a);
    rng->has_spare = 1;
    return r * cos(a);
}
