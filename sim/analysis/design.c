/* design.c - Latin hypercube sampling (design.h). */
#include "design.h"
#include "analysis_internal.h"

uint64_t kn_design_below(kn_rng *r, uint64_t bound)
{
    return kn_below(r, bound);
}

kn_status kn_design_lhs(kn_rng *r, size_t n, size_t k, double *out, kn_error *err)
{
    if (n < 1 || k < 1)
        return kn_error_set(err, KN_EINVAL, "a Latin hypercube needs n >= 1 points and k >= 1 "
                            "dimensions, got n = %zu, k = %zu", n, k);
    if ((double)n >= 9007199254740992.0)
        return kn_error_set(err, KN_EINVAL, "a Latin hypercube of %zu points is too large", n);
    for (size_t j = 0; j < k; j++) {
        double *col = out + j; /* column j: col[p * k] */
        for (size_t p = 0; p < n; p++)
            col[p * k] = (double)p;
        for (size_t i = n; i-- > 1;) {
            size_t u = (size_t)kn_below(r, (uint64_t)i + 1);
            double t = col[i * k];
            col[i * k] = col[u * k];
            col[u * k] = t;
        }
        for (size_t p = 0; p < n; p++)
            col[p * k] = (col[p * k] + kn_rng_uniform(r)) / (double)n;
    }
    return KN_OK;
}
