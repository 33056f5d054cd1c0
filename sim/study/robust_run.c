/* robust_run.c - the worlds of a robust study and its run (robust_run.h).
 *
 * The design comes from sim/analysis (Latin hypercube, Saltelli, Morris) on the study's
 * seed; each point of the unit cube is mapped to the ranges of the uncertainty file
 * (robust.h); every policy in every world is one scenario of an ordinary study.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "design.h"
#include "h5robust.h"
#include "koning/metrics.h"
#include "koning/rng.h"
#include "morris.h"
#include "robust_run.h"
#include "sobol.h"

const int kn_robust_metric[KN_ROBUST_NMETRICS] = {KN_M_RETENTION, KN_M_SERVICE_QUALITY,
                                                  KN_M_STAFF_TURNOVER, KN_M_PROFIT};

void kn_robust_plan_free(kn_robust_plan *plan)
{
    if (!plan)
        return;
    free(plan->unit);
    free(plan->value);
    free(plan->block);
    free(plan->sc);
    memset(plan, 0, sizeof *plan);
}

kn_status kn_robust_plan_make(const kn_robust_def *d, kn_robust_plan *plan, kn_error *err)
{
    memset(plan, 0, sizeof *plan);
    size_t W = d->n_worlds, K = d->n_keys, P = d->n_policies;
    plan->n_worlds = W;
    plan->n_keys = K;
    plan->n_policies = P;
    plan->unit = malloc(W * K * sizeof *plan->unit);
    plan->value = malloc(W * K * sizeof *plan->value);
    plan->block = calloc(W, sizeof *plan->block);
    plan->sc = malloc(W * P * sizeof *plan->sc);
    if (!plan->unit || !plan->value || !plan->block || !plan->sc) {
        kn_robust_plan_free(plan);
        return kn_error_set(err, KN_ENOMEM, "out of memory for %zu worlds x %zu policies", W, P);
    }
    kn_rng ra, rb;
    kn_rng_init(&ra, d->seed, 0, 0, KN_SRC_DESIGN);
    kn_rng_init(&rb, d->seed, 0, 1, KN_SRC_DESIGN);
    kn_status rc;
    switch (d->design) {
    case KN_RDESIGN_SALTELLI:
        rc = kn_saltelli_design(&ra, &rb, d->size, K, plan->unit, err);
        for (size_t w = 0; w < W; w++)
            plan->block[w] = (int32_t)(w / d->size);
        break;
    case KN_RDESIGN_MORRIS:
        rc = kn_morris_design(&ra, d->size, K, d->levels, plan->unit, err);
        for (size_t w = 0; w < W; w++)
            plan->block[w] = (int32_t)(w / (K + 1));
        break;
    default:
        rc = kn_design_lhs(&ra, W, K, plan->unit, err);
        break;
    }
    for (size_t i = 0; rc == KN_OK && i < W * K; i++)
        plan->value[i] = kn_uncertain_value(&d->keys[i % K], plan->unit[i]);
    for (size_t w = 0; rc == KN_OK && w < W; w++)
        for (size_t p = 0; rc == KN_OK && p < P; p++)
            rc = kn_robust_world_scenario(d, p, w, plan->value + w * K, &plan->sc[w * P + p], err);
    if (rc != KN_OK)
        kn_robust_plan_free(plan);
    return rc;
}

/* ---- the results file: the worlds and the outcomes so far ----------------------------- */

typedef struct extend_ctx {
    const kn_robust_def *d;
    const kn_robust_plan *plan;
    const char **policy_name, **policy_file, **key, **spread, **source;
    double *low, *high;
    double *outcome; /* [metric][world][policy] */
    char *pairs;     /* "a,b;a,b" */
} extend_ctx;

static kn_status extend(void *user, kn_h5 *h, const kn_study_out *out, kn_error *err)
{
    extend_ctx *x = user;
    const kn_robust_def *d = x->d;
    size_t W = x->plan->n_worlds, P = x->plan->n_policies, R = (size_t)out->max_reps;
    const char *metric[KN_ROBUST_NMETRICS];
    kn_h5_robust r = {W, P, x->plan->n_keys, x->policy_name, x->policy_file, x->key, x->spread,
                      x->source, x->low, x->high, x->plan->unit, x->plan->value, x->plan->block,
                      metric, {NULL}, kn_robust_design_name(d->design), (double)d->size,
                      d->design == KN_RDESIGN_MORRIS ? (double)d->levels : 0.0, d->status_quo,
                      d->status_quo >= 0 ? d->switch_after : 0.0, d->seed, d->unc_file, d->unc_text,
                      x->pairs};
    for (int m = 0; m < KN_ROBUST_NMETRICS; m++) {
        metric[m] = kn_metric_describe(kn_robust_metric[m])->name;
        double *o = x->outcome + (size_t)m * W * P;
        for (size_t s = 0; s < W * P; s++) {
            double sum = 0.0;
            size_t n = 0;
            for (size_t rep = 0; rep < R; rep++) {
                double v = out->values[(s * R + rep) * KN_METRIC_COUNT + (size_t)kn_robust_metric[m]];
                if (out->status[s * R + rep] == KN_OK && isfinite(v)) {
                    sum += v;
                    n++;
                }
            }
            o[s] = n ? sum / (double)n : NAN;
        }
        r.outcome[m] = o;
    }
    return kn_h5_robust_write(h, &r, err);
}

kn_status kn_robust_run(const kn_robust_def *d, const kn_robust_plan *plan, const kn_study_opts *o,
                        kn_study_out *out, kn_error *err)
{
    size_t P = plan->n_policies, K = plan->n_keys, W = plan->n_worlds;
    extend_ctx x = {d, plan, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
    x.policy_name = calloc(P, sizeof *x.policy_name);
    x.policy_file = calloc(P, sizeof *x.policy_file);
    x.key = calloc(K, sizeof *x.key);
    x.spread = calloc(K, sizeof *x.spread);
    x.source = calloc(K, sizeof *x.source);
    x.low = calloc(K, sizeof *x.low);
    x.high = calloc(K, sizeof *x.high);
    x.outcome = calloc(KN_ROBUST_NMETRICS * W * P, sizeof *x.outcome);
    x.pairs = calloc(d->n_pairs * 24 + 1, 1);
    kn_status rc = KN_OK;
    if (!x.pairs || !x.policy_name || !x.policy_file || !x.key || !x.spread || !x.source || !x.low || !x.high ||
        !x.outcome) {
        rc = kn_error_set(err, KN_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < d->n_pairs; i++)
        sprintf(x.pairs + strlen(x.pairs), "%s%zu,%zu", i ? ";" : "", d->pairs[i][0], d->pairs[i][1]);
    for (size_t p = 0; p < P; p++) {
        x.policy_name[p] = d->policy[p].name;
        x.policy_file[p] = d->policy_file[p];
    }
    for (size_t k = 0; k < K; k++) {
        const kn_uncertain *u = &d->keys[k];
        x.key[k] = u->key;
        x.spread[k] = u->integer ? "integer" : u->spread == KN_SPREAD_LOG_UNIFORM ? "log_uniform"
                                                                                  : "uniform";
        x.source[k] = u->source;
        x.low[k] = u->low;
        x.high[k] = u->high;
    }
    kn_study_opts so = *o;
    so.kind = "robust";
    so.study_text = d->text;
    so.extend = extend;
    so.extend_user = &x;
    rc = kn_study_run(plan->sc, W * P, &so, out, err);
done:
    free(x.policy_name);
    free(x.policy_file);
    free(x.key);
    free(x.spread);
    free(x.source);
    free(x.low);
    free(x.high);
    free(x.outcome);
    free(x.pairs);
    return rc;
}
