/* robust_gaps.c - the gaps of a robust verdict (robust_verdict_int.h): policy a minus
 * policy b on one metric, world by world; how often a is better (Wilson interval); which
 * assumed magnitudes the gap hinges on (Sobol indices on a Saltelli design, Morris mu*
 * and sigma on a Morris design: sim/analysis/sobol.h, morris.h); where the majority's
 * win flips (PRIM, sim/analysis/prim.h, on the exceptions); and, from all gaps of a
 * metric, its two most influential magnitudes for the tipping-point map.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "koning/rng.h"
#include "prim.h"
#include "robust_verdict_int.h"

/* The study's own pairs ("a,b;a,b" in the root attribute robust_pairs), if any. */
static size_t read_pairs(kn_h5r *r, size_t P, size_t (**out)[2])
{
    char *s = NULL;
    *out = NULL;
    if (kn_h5r_attr_text(r, "/", "robust_pairs", &s, NULL) != KN_OK || !s || !*s) {
        free(s);
        return 0;
    }
    size_t n = 1;
    for (const char *c = s; *c; c++)
        n += *c == ';';
    size_t (*pairs)[2] = calloc(n, sizeof *pairs), k = 0;
    for (char *tok = strtok(s, ";"); pairs && tok; tok = strtok(NULL, ";")) {
        unsigned long a, b;
        if (sscanf(tok, "%lu,%lu", &a, &b) == 2 && a < P && b < P && a != b) {
            pairs[k][0] = a;
            pairs[k][1] = b;
            k++;
        }
    }
    free(s);
    *out = pairs;
    return pairs ? k : 0;
}

static int better(int hib, double x, double y)
{
    return hib ? x > y : x < y;
}

static kn_status sensitivity(kn_rb_verdict *rb, kn_rb_gap *g, size_t index, kn_error *err)
{
    size_t W = rb->n_worlds, K = rb->n_keys, n = (size_t)rb->design_size;
    int saltelli = !strcmp(rb->design, "saltelli"), morris = !strcmp(rb->design, "morris");
    if (!saltelli && !morris) {
        snprintf(g->why_none, sizeof g->why_none, "a Latin hypercube gives no sensitivity indices "
                 "(use design: {saltelli: N} or {morris: R})");
        return KN_OK;
    }
    for (size_t w = 0; w < W; w++)
        if (!isfinite(g->f[w])) {
            snprintf(g->why_none, sizeof g->why_none, "world %zu has no paired runs (a run "
                     "failed); the design is incomplete", w);
            return KN_OK;
        }
    kn_error e = {0};
    if (saltelli) {
        if (W != n * (K + 2)) {
            snprintf(g->why_none, sizeof g->why_none, "the file's worlds are not a Saltelli design");
            return KN_OK;
        }
        if (!(g->sobol = calloc(K, sizeof *g->sobol)))
            return kn_error_set(err, KN_ENOMEM, "out of memory");
        kn_rng boot;
        kn_rng_init(&boot, rb->seed, 0, 2 + index, KN_SRC_DESIGN);
        if (kn_sobol_indices(g->f, n, K, &boot, KN_RB_BOOT, 0.95, g->sobol, &e) != KN_OK) {
            snprintf(g->why_none, sizeof g->why_none, "%.150s", e.msg);
            free(g->sobol);
            g->sobol = NULL;
            return e.code == KN_ENOMEM ? kn_error_set(err, KN_ENOMEM, "%s", e.msg) : KN_OK;
        }
        g->sens = 1;
    } else {
        if (W != n * (K + 1)) {
            snprintf(g->why_none, sizeof g->why_none, "the file's worlds are not a Morris design");
            return KN_OK;
        }
        if (!(g->morris = calloc(K, sizeof *g->morris)))
            return kn_error_set(err, KN_ENOMEM, "out of memory");
        if (kn_morris_indices(rb->unit, g->f, n, K, g->morris, &e) != KN_OK) {
            snprintf(g->why_none, sizeof g->why_none, "%.150s", e.msg);
            free(g->morris);
            g->morris = NULL;
            return KN_OK;
        }
        g->sens = 2;
    }
    return KN_OK;
}

static int cmp_limit(const void *x, const void *y)
{
    const kn_rb_limit *a = x, *b = y;
    if (a->quasi_p != b->quasi_p)
        return a->quasi_p < b->quasi_p ? -1 : 1;
    return (a->key > b->key) - (a->key < b->key);
}

/* PRIM on the worlds where the majority's winner is not better: the exceptions. */
static kn_status flips(kn_rb_verdict *rb, kn_rb_gap *g, kn_error *err)
{
    size_t W = rb->n_worlds, P = rb->n_policies, K = rb->n_keys, m = g->metric;
    int hib = kn_rb_higher_better(m);
    size_t a_wins = 0, b_wins = 0, n = 0;
    for (size_t w = 0; w < W; w++) {
        double xa = rb->mean[(m * W + w) * P + g->a], xb = rb->mean[(m * W + w) * P + g->b];
        if (!rb->used[w] || !isfinite(xa) || !isfinite(xb))
            continue;
        n++;
        a_wins += (size_t)better(hib, xa, xb);
        b_wins += (size_t)better(hib, xb, xa);
    }
    g->n_used = n;
    g->a_share = g->a_lo = g->a_hi = g->share = g->share_lo = g->share_hi = NAN;
    if (n == 0)
        return KN_OK;
    g->a_share = (double)a_wins / (double)n;
    kn_wilson((double)a_wins, (double)n, KN_Z95, &g->a_lo, &g->a_hi);
    g->winner = a_wins >= b_wins ? g->a : g->b;
    g->loser = a_wins >= b_wins ? g->b : g->a;
    size_t wins = a_wins >= b_wins ? a_wins : b_wins;
    g->share = (double)wins / (double)n;
    kn_wilson((double)wins, (double)n, KN_Z95, &g->share_lo, &g->share_hi);
    g->exceptions = n - wins;
    if (g->exceptions == 0) {
        g->prim = 0;
        return KN_OK;
    }
    if (g->exceptions < KN_RB_MIN_EXCEPTIONS) {
        g->prim = -1;
        return KN_OK;
    }
    double *x = malloc(n * K * sizeof *x);
    int *y = malloc(n * sizeof *y);
    if (!x || !y) {
        free(x);
        free(y);
        return kn_error_set(err, KN_ENOMEM, "out of memory");
    }
    size_t i = 0;
    for (size_t w = 0; w < W; w++) {
        double xw = rb->mean[(m * W + w) * P + g->winner], xl = rb->mean[(m * W + w) * P + g->loser];
        if (!rb->used[w] || !isfinite(xw) || !isfinite(xl))
            continue;
        memcpy(x + i * K, rb->value + w * K, K * sizeof *x);
        y[i++] = !better(hib, xw, xl);
    }
    /* K magnitudes could each be restricted by chance: a restriction stays only when its
     * quasi-p-value is below 0.05 / K (Bonferroni) */
    kn_prim_options po;
    kn_prim_defaults(&po);
    po.max_quasi_p = KN_RB_QUASI_P / (double)K;
    kn_prim *pr = NULL;
    kn_error e = {0};
    kn_status rc = kn_prim_run(x, n, K, rb->low, rb->high, y, &po, &pr, &e);
    free(x);
    free(y);
    if (rc != KN_OK) {
        g->prim = -1;
        return rc == KN_ENOMEM ? kn_error_set(err, KN_ENOMEM, "%s", e.msg) : KN_OK;
    }
    kn_prim_box box = kn_prim_box_at(pr, KN_PRIM_FINAL);
    g->prim = 1;
    g->coverage = box.coverage;
    g->density = box.density;
    g->support = box.support;
    g->limits = calloc(K, sizeof *g->limits);
    if (!g->limits) {
        kn_prim_destroy(pr);
        return kn_error_set(err, KN_ENOMEM, "out of memory");
    }
    for (size_t j = 0; j < K; j++) {
        if (!kn_prim_restricted(pr, KN_PRIM_FINAL, j))
            continue;
        kn_rb_limit *l = &g->limits[g->n_limits++];
        l->key = j;
        l->has_low = box.lo[j] > rb->low[j];
        l->has_high = box.hi[j] < rb->high[j];
        l->low = box.lo[j];
        l->high = box.hi[j];
        l->quasi_p = kn_prim_quasi_p(pr, KN_PRIM_FINAL, j);
    }
    qsort(g->limits, g->n_limits, sizeof *g->limits, cmp_limit);
    kn_prim_destroy(pr);
    return KN_OK;
}

/* The two magnitudes of metric m that its gaps hinge on most: Sobol total indices, or
 * Morris mu* as shares of each gap's sum, summed over the metric's gaps; on a Latin
 * hypercube the magnitudes PRIM's boxes restrict, each box weighing coverage x density. */
static void rank_for_map(kn_rb_verdict *rb, size_t m)
{
    size_t K = rb->n_keys;
    double *score = calloc(K, sizeof *score);
    if (!score)
        return;
    for (size_t gi = 0; gi < rb->n_gaps; gi++) {
        const kn_rb_gap *g = &rb->gap[gi];
        if (g->metric != m)
            continue;
        if (g->sens == 1) {
            for (size_t j = 0; j < K; j++)
                if (isfinite(g->sobol[j].total) && g->sobol[j].total > 0)
                    score[j] += g->sobol[j].total;
        } else if (g->sens == 2) {
            double sum = 0;
            for (size_t j = 0; j < K; j++)
                sum += g->morris[j].mu_star;
            for (size_t j = 0; j < K && sum > 0; j++)
                score[j] += g->morris[j].mu_star / sum;
        } else if (g->prim == 1) {
            for (size_t l = 0; l < g->n_limits; l++)
                score[g->limits[l].key] += g->coverage * g->density;
        }
    }
    size_t x = SIZE_MAX, y = SIZE_MAX;
    for (size_t j = 0; j < K; j++) {
        if (!(score[j] > 0))
            continue;
        if (x == SIZE_MAX || score[j] > score[x]) {
            y = x;
            x = j;
        } else if (y == SIZE_MAX || score[j] > score[y]) {
            y = j;
        }
    }
    rb->map_x[m] = y == SIZE_MAX ? SIZE_MAX : x;
    rb->map_y[m] = y;
    free(score);
}

kn_status kn_rb_gaps(kn_rb_verdict *rb, kn_h5r *r, kn_error *err)
{
    size_t W = rb->n_worlds, P = rb->n_policies, R = rb->reps;
    size_t (*pairs)[2] = NULL;
    size_t np = read_pairs(r, P, &pairs);
    size_t cap = KN_RB_METRICS * (np ? np : P);
    rb->gap = calloc(cap ? cap : 1, sizeof *rb->gap);
    if (!rb->gap) {
        free(pairs);
        return kn_error_set(err, KN_ENOMEM, "out of memory");
    }
    for (size_t m = 0; m < KN_RB_METRICS; m++) {
        if (!rb->ok[m])
            continue;
        if (np) {
            for (size_t i = 0; i < np; i++)
                rb->gap[rb->n_gaps++] = (kn_rb_gap){.metric = m, .a = pairs[i][0], .b = pairs[i][1]};
        } else {
            for (size_t p = 0; p < P; p++)
                if (p != rb->top[m])
                    rb->gap[rb->n_gaps++] = (kn_rb_gap){.metric = m, .a = rb->top[m], .b = p};
        }
    }
    free(pairs);
    kn_status rc = KN_OK;
    for (size_t gi = 0; gi < rb->n_gaps && rc == KN_OK; gi++) {
        kn_rb_gap *g = &rb->gap[gi];
        size_t m = g->metric;
        if (!(g->f = malloc(W * sizeof *g->f)))
            return kn_error_set(err, KN_ENOMEM, "out of memory");
        double sum = 0;
        size_t n = 0;
        for (size_t w = 0; w < W; w++) {
            const double *xa = rb->v + ((m * W + w) * P + g->a) * R;
            const double *xb = rb->v + ((m * W + w) * P + g->b) * R;
            double s = 0;
            size_t k = 0;
            for (size_t q = 0; q < R; q++)
                if (isfinite(xa[q]) && isfinite(xb[q])) {
                    s += xa[q] - xb[q];
                    k++;
                }
            g->f[w] = k ? s / (double)k : NAN;
            if (k && rb->used[w]) {
                sum += g->f[w];
                n++;
            }
        }
        g->mean_gap = n ? sum / (double)n : NAN;
        rc = sensitivity(rb, g, gi, err);
        if (rc == KN_OK)
            rc = flips(rb, g, err);
    }
    for (size_t m = 0; m < KN_RB_METRICS && rc == KN_OK; m++)
        rank_for_map(rb, m);
    return rc;
}

/* ---- the sentence ------------------------------------------------------------------- */

char *kn_rb_flip_sentence(const kn_rb_verdict *rb, const kn_rb_gap *g, char *buf, size_t cap)
{
    const char *mn = kn_rb_metric_name(g->metric);
    if (g->n_used == 0) {
        snprintf(buf, cap, "%s against %s on %s: no world where both ran.", rb->policy[g->a],
                 rb->policy[g->b], mn);
        return buf;
    }
    int n = snprintf(buf, cap, "%s beats %s on %s in %.0f %% of %zu worlds (95 %% CI %.0f-%.0f %%)",
                     rb->policy[g->winner], rb->policy[g->loser], mn, 100.0 * g->share, g->n_used,
                     100.0 * g->share_lo, 100.0 * g->share_hi);
    size_t used = n > 0 && (size_t)n < cap ? (size_t)n : cap - 1;
    if (g->prim == 0) {
        snprintf(buf + used, cap - used, ": in every world.");
        return buf;
    }
    if (g->prim < 0) {
        snprintf(buf + used, cap - used, "; the %zu exception%s %s too few to locate.", g->exceptions,
                 g->exceptions == 1 ? "" : "s", g->exceptions == 1 ? "is" : "are");
        return buf;
    }
    if (g->n_limits == 0) {
        snprintf(buf + used, cap - used, "; the %zu exceptions are scattered: no range of the "
                 "assumed magnitudes holds them (PRIM keeps no restriction).", g->exceptions);
        return buf;
    }
    n = snprintf(buf + used, cap - used, "; the exceptions lie where");
    used += n > 0 ? (size_t)n : 0;
    for (size_t l = 0; l < g->n_limits && used < cap - 1; l++) {
        const kn_rb_limit *lim = &g->limits[l];
        const char *sep = l == 0 ? " " : l + 1 == g->n_limits ? " and " : ", ";
        if (lim->has_low && lim->has_high)
            n = snprintf(buf + used, cap - used, "%s%s is between %.3g and %.3g", sep,
                         rb->key[lim->key], lim->low, lim->high);
        else if (lim->has_high)
            n = snprintf(buf + used, cap - used, "%s%s is below %.3g", sep, rb->key[lim->key], lim->high);
        else
            n = snprintf(buf + used, cap - used, "%s%s is above %.3g", sep, rb->key[lim->key], lim->low);
        used += n > 0 ? (size_t)n : 0;
    }
    if (used < cap - 1)
        snprintf(buf + used, cap - used, " - coverage %.2f, density %.2f.", g->coverage, g->density);
    return buf;
}
