/* shapley.c - exact Shapley values over subsets of levers and one-at-a-time effects
 * (shapley.h). The weight of a marginal contribution depends only on |S|, so the k
 * weights are computed once; the marginal contributions are visited subset by subset. */
#include <math.h>
#include "shapley.h"

/* w[s] = s! (k - s - 1)! / k! = 1 / (k * C(k - 1, s)), s = 0 .. k-1. */
static void weights(size_t k, double *w)
{
    double c = 1.0; /* C(k - 1, s) */
    for (size_t s = 0; s < k; s++) {
        w[s] = 1.0 / ((double)k * c);
        c = c * (double)(k - 1 - s) / (double)(s + 1);
    }
}

static unsigned popcount(size_t x)
{
    unsigned c = 0;
    for (; x; x &= x - 1)
        c++;
    return c;
}

kn_status kn_shapley_reps(const double *v, size_t k, size_t reps, size_t stride,
                          double *phi, kn_error *err)
{
    if (k < 1 || k > KN_SHAPLEY_MAX_LEVERS)
        return kn_error_set(err, KN_EINVAL, "Shapley values need 1 to %d levers, got %zu",
                            KN_SHAPLEY_MAX_LEVERS, k);
    if (reps < 1 || stride < reps)
        return kn_error_set(err, KN_EINVAL, "Shapley values: %zu replications with stride %zu",
                            reps, stride);
    double w[KN_SHAPLEY_MAX_LEVERS];
    weights(k, w);
    size_t full = (size_t)1 << k;
    for (size_t i = 0; i < k; i++)
        for (size_t r = 0; r < reps; r++)
            phi[i * reps + r] = 0.0;
    for (size_t s = 0; s < full; s++) {
        unsigned size = popcount(s); /* < k whenever some lever is missing from s */
        for (size_t i = 0; i < k; i++) {
            size_t bit = (size_t)1 << i;
            if (s & bit)
                continue;
            double ws = w[size];
            const double *with = v + (s | bit) * stride, *without = v + s * stride;
            for (size_t r = 0; r < reps; r++)
                phi[i * reps + r] += ws * (with[r] - without[r]);
        }
    }
    return KN_OK;
}

kn_status kn_shapley(const double *v, size_t k, double *phi, kn_error *err)
{
    return kn_shapley_reps(v, k, 1, 1, phi, err);
}

kn_status kn_oat_effects(double v_old, double v_new, const double *v_add, const double *v_drop,
                         size_t k, kn_oat *out, double *residual, kn_error *err)
{
    if (k < 1)
        return kn_error_set(err, KN_EINVAL, "one-at-a-time effects need at least one lever");
    double sum = 0.0;
    for (size_t i = 0; i < k; i++) {
        out[i].forward = v_add[i] - v_old;
        out[i].backward = v_new - v_drop[i];
        out[i].average = 0.5 * (out[i].forward + out[i].backward);
        sum += out[i].average;
    }
    if (residual)
        *residual = (v_new - v_old) - sum;
    return KN_OK;
}
