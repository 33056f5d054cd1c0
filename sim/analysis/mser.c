/* mser.c - MSER-5 (mser.h). One backward pass over the batch means with Welford's update
 * gives the sum of squares of every suffix without storing the batch means: each is
 * recomputed from y when the pass reaches it, so nothing is allocated. */
#include "mser.h"
#include "analysis_internal.h"

#define MIN_BATCHES 10

/* Mean of batch j across the replications. */
static double batch_mean(const double *y, size_t reps, size_t stride, size_t j)
{
    double s = 0.0;
    for (size_t r = 0; r < reps; r++)
        for (size_t t = 0; t < KN_MSER_BATCH; t++)
            s += y[r * stride + j * KN_MSER_BATCH + t];
    return s / (double)(reps * KN_MSER_BATCH);
}

kn_status kn_mser5_rows(const double *y, size_t reps, size_t n, size_t stride,
                        kn_mser *out, kn_error *err)
{
    if (reps < 1)
        return kn_error_set(err, KN_EINVAL, "MSER-5 needs at least one replication");
    if (stride < n)
        return kn_error_set(err, KN_EINVAL, "MSER-5: stride %zu is shorter than a row (%zu)",
                            stride, n);
    size_t m = n / KN_MSER_BATCH;
    if (m < MIN_BATCHES)
        return kn_error_set(err, KN_EINVAL,
                            "MSER-5 needs at least %d observations (%d batches of %d), got %zu",
                            MIN_BATCHES * KN_MSER_BATCH, MIN_BATCHES, KN_MSER_BATCH, n);
    for (size_t r = 0; r < reps; r++)
        for (size_t t = 0; t < n; t++)
            if (!isfinite(y[r * stride + t]))
                return kn_error_set(err, KN_EINVAL,
                                    "MSER-5: observation %zu of replication %zu is not a "
                                    "finite number", t, r);
    size_t half = m / 2, last = m - KN_MSER_TAIL;
    double mean = 0.0, m2 = 0.0;
    double best = INFINITY, best_all = INFINITY;
    size_t d_best = 0, d_all = 0;
    for (size_t d = m; d-- > 0;) { /* the suffix j >= d, after adding batch d */
        double z = batch_mean(y, reps, stride, d), k = (double)(m - d);
        double delta = z - mean;
        mean += delta / k;
        m2 += delta * (z - mean);
        if (d > last)
            continue;
        double stat = m2 / (k * k);
        if (stat <= best_all) { /* <=: the earliest of equal minima */
            best_all = stat;
            d_all = d;
        }
        if (d <= half && stat <= best) {
            best = stat;
            d_best = d;
        }
    }
    out->d = d_best * KN_MSER_BATCH;
    out->statistic = best;
    out->batches = m;
    out->d_global = d_all * KN_MSER_BATCH;
    out->steady = d_all <= half;
    return KN_OK;
}

kn_status kn_mser5(const double *y, size_t n, kn_mser *out, kn_error *err)
{
    return kn_mser5_rows(y, 1, n, n, out, err);
}
