/* verdict_why.c - why the winner wins: its gap to the status quo, lever by lever
 * (API in verdict.h; docs/model.md#verdict).
 *
 * A second results file (PATH-why.h5) simulated the status quo (its first scenario), the
 * winner (its last) and combinations of the levers in which they differ, on the same
 * random numbers. With every combination the gap is split by exact Shapley values; with
 * each lever alone added to the status quo and dropped from the winner, by the mean of
 * the two one-at-a-time effects, and what they leave is reported as interactions. For
 * profit, each lever also names the component (revenue, compensation, lever costs,
 * staff costs) it moves most in the direction of its effect.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "shapley.h"
#include "tables.h"
#include "verdict_int.h"

void kn_verdict_why_path(const char *path, char *buf, size_t cap)
{
    size_t n = strlen(path);
    if (n > 3 && !strcmp(path + n - 3, ".h5"))
        n -= 3;
    snprintf(buf, cap, "%.*s-why.h5", (int)n, path);
}

/* Per replication, the attribution of one value (steady state of head h, or of a
 * profit component) to the levers: part[i * R + r]; rest[r] what they leave. v_of
 * [mask * R + r] holds the values of the combinations. */
static void attribute(const double *v_of, size_t k, size_t R, int exact, double *part, double *rest)
{
    size_t full = ((size_t)1 << k) - 1;
    if (exact) {
        kn_shapley_reps(v_of, k, R, R, part, NULL);
        for (size_t r = 0; r < R; r++)
            rest[r] = 0.0;
        return;
    }
    for (size_t r = 0; r < R; r++) {
        double total = v_of[full * R + r] - v_of[r], sum = 0.0;
        for (size_t i = 0; i < k; i++) {
            size_t add = (size_t)1 << i, drop = full & ~add;
            double fw = v_of[add * R + r] - v_of[r], bw = v_of[full * R + r] - v_of[drop * R + r];
            part[i * R + r] = 0.5 * (fw + bw);
            sum += part[i * R + r];
        }
        rest[r] = total - sum; /* the interactions one at a time cannot split */
    }
}

kn_status kn_verdict_why(const char *why_path, const kn_h5r_study *s, kn_verdict *v,
                         kn_error *err)
{
    v->has_why = 0;
    v->why[0] = '\0';
    size_t q = v->status_quo, w = v->overall;
    if (q == SIZE_MAX || q == w)
        return kn_error_set(err, KN_EINVAL, "no lever attribution: %s",
                            q == SIZE_MAX ? "no status quo in the study" : "the status quo wins");
    kn_h5r *r = NULL;
    kn_h5r_study ws;
    KN_CHECK(kn_h5r_open(&r, why_path, err));
    kn_status rc = kn_h5r_study_load(r, &ws, err);
    if (rc != KN_OK) {
        kn_h5r_close(r);
        return rc;
    }
    kn_vd_runs d;
    double *pol = NULL;
    const char **keys = NULL;
    size_t nk = 0;
    rc = kn_vd_runs_load(r, &ws, &d, err);
    if (rc == KN_OK)
        rc = kn_vd_policy_columns(r, ws.n_scen, "policy.", &pol, &nk, &keys, err);
    /* the combinations: the status quo (the first scenario) and the winner (the last) set
     * which levers differ; every other scenario is the status quo with some of them */
    size_t W = ws.n_scen, k = 0, lever[KN_VERDICT_LEVERS];
    for (size_t j = 0; rc == KN_OK && j < nk; j++)
        if (pol[j * W] != pol[j * W + W - 1]) {
            if (k == KN_VERDICT_LEVERS)
                rc = kn_error_set(err, KN_EINVAL, "%s: more than %d levers differ", why_path,
                                  KN_VERDICT_LEVERS);
            else
                lever[k++] = j;
        }
    size_t n_mask = k < 20 ? (size_t)1 << k : 0, *at_mask = NULL;
    if (rc == KN_OK && (k == 0 || n_mask == 0))
        rc = kn_error_set(err, KN_EINVAL, "%s: no lever differs", why_path);
    if (rc == KN_OK && !(at_mask = malloc(n_mask * sizeof *at_mask)))
        rc = kn_error_set(err, KN_ENOMEM, "out of memory");
    for (size_t m = 0; rc == KN_OK && m < n_mask; m++)
        at_mask[m] = SIZE_MAX;
    for (size_t sc = 0; rc == KN_OK && sc < W; sc++) {
        size_t m = 0;
        for (size_t i = 0; i < k; i++)
            m |= (size_t)(pol[lever[i] * W + sc] == pol[lever[i] * W + W - 1]) << i;
        if (at_mask[m] == SIZE_MAX)
            at_mask[m] = sc;
    }
    size_t full = n_mask - 1, have = 0;
    for (size_t m = 0; rc == KN_OK && m < n_mask; m++)
        have += at_mask[m] != SIZE_MAX;
    int exact = rc == KN_OK && have == n_mask;
    if (rc == KN_OK && !exact) { /* one at a time needs 0, full, each lever added, dropped */
        int ok = at_mask[0] != SIZE_MAX && at_mask[full] != SIZE_MAX;
        for (size_t i = 0; i < k; i++)
            ok = ok && at_mask[(size_t)1 << i] != SIZE_MAX && at_mask[full & ~((size_t)1 << i)] != SIZE_MAX;
        if (!ok)
            rc = kn_error_set(err, KN_EINVAL, "%s: neither every combination of the %zu levers nor "
                              "each one alone both ways", why_path, k);
    }
    size_t R = rc == KN_OK ? d.n_rep : 0;
    double *vals = rc == KN_OK ? malloc(n_mask * R * sizeof *vals) : NULL;
    double *part = rc == KN_OK ? malloc(k * R * sizeof *part) : NULL;
    double *rest = rc == KN_OK ? malloc(R * sizeof *rest) : NULL;
    double *cpart = rc == KN_OK ? malloc(KN_VD_C_N * k * R * sizeof *cpart) : NULL;
    if (rc == KN_OK && (!vals || !part || !rest || !cpart))
        rc = kn_error_set(err, KN_ENOMEM, "out of memory");
    /* profit's components, lever by lever (staff costs = what the other three leave) */
    for (int c = 0; rc == KN_OK && c < KN_VD_C_N; c++) {
        for (size_t m = 0; m < n_mask; m++)
            for (size_t rr = 0; rr < R; rr++) {
                size_t sc = at_mask[m], i = sc == SIZE_MAX ? SIZE_MAX : d.at[sc * R + rr];
                double val = NAN;
                if (i != SIZE_MAX) {
                    size_t from = v->from[w];
                    if (c < KN_VD_C_STAFF) {
                        val = kn_vd_steady_value(&d, KN_VERDICT_METRICS + c, i, from);
                    } else {
                        double p = kn_vd_steady_value(&d, 3, i, from);
                        val = p;
                        for (int c2 = 0; c2 < KN_VD_C_STAFF; c2++)
                            val -= kn_vd_comp_sign[c2] * kn_vd_steady_value(&d, KN_VERDICT_METRICS + c2, i, from);
                        val = -val; /* staff costs, a positive amount */
                    }
                }
                vals[m * R + rr] = val;
            }
        attribute(vals, k, R, exact, cpart + (size_t)c * k * R, rest);
    }
    for (int h = 0; rc == KN_OK && h < KN_VERDICT_METRICS; h++) {
        kn_verdict_attr *y = &v->why_of[h];
        memset(y, 0, sizeof *y);
        for (size_t m = 0; m < n_mask; m++)
            for (size_t rr = 0; rr < R; rr++) {
                size_t sc = at_mask[m], i = sc == SIZE_MAX ? SIZE_MAX : d.at[sc * R + rr];
                vals[m * R + rr] = i == SIZE_MAX ? NAN : kn_vd_steady_value(&d, h, i, v->from[w]);
            }
        attribute(vals, k, R, exact, part, rest);
        double *gap = malloc(R * sizeof *gap);
        kn_summary sm;
        for (size_t rr = 0; gap && rr < R; rr++)
            gap[rr] = vals[full * R + rr] - vals[rr];
        if (gap && kn_vd_summarise(gap, R, v->level, &sm)) {
            y->gap = sm.mean;
            y->gap_lo = sm.ci_low;
            y->gap_hi = sm.ci_high;
        } else {
            y->gap = y->gap_lo = y->gap_hi = NAN;
        }
        free(gap);
        kn_vd_summarise(rest, R, v->level, &sm);
        y->rest = exact ? 0.0 : sm.mean;
        y->n_levers = k;
        for (size_t i = 0; i < k; i++) {
            y->lever[i] = keys[lever[i]];
            if (kn_vd_summarise(part + i * R, R, v->level, &sm)) {
                y->part[i] = sm.mean;
                y->part_lo[i] = sm.ci_low;
                y->part_hi[i] = sm.ci_high;
            } else {
                y->part[i] = y->part_lo[i] = y->part_hi[i] = NAN;
            }
            y->through[i] = NULL;
            if (h == 3) { /* profit: the component the lever moves most, in its direction */
                double best = 0.0;
                for (int c = 0; c < KN_VD_C_N; c++) {
                    kn_summary cs;
                    if (!kn_vd_summarise(cpart + ((size_t)c * k + i) * R, R, v->level, &cs))
                        continue;
                    double contrib = kn_vd_comp_sign[c] * cs.mean;
                    if (contrib * (y->part[i] >= 0.0 ? 1.0 : -1.0) > best) {
                        best = contrib * (y->part[i] >= 0.0 ? 1.0 : -1.0);
                        y->through[i] = kn_vd_comp_name[c];
                    }
                }
            }
        }
    }
    if (rc == KN_OK) {
        v->has_why = 1;
        v->why_exact = exact;
        v->why_combos = W;
        /* the attribution in words: the largest levers of each metric */
        size_t used = 0;
        char *b = v->why;
        size_t cap = sizeof v->why;
#define PUT(...)                                                                                  \
    do {                                                                                          \
        int n_ = snprintf(b + used, cap - used, __VA_ARGS__);                                     \
        if (n_ > 0)                                                                               \
            used = used + (size_t)n_ < cap ? used + (size_t)n_ : cap - 1;                          \
    } while (0)
        PUT("%s against the status quo %s, lever by lever (%s over %zu combinations on common random "
            "numbers):", s->scen_name[w], s->scen_name[q],
            exact ? "Shapley values" : "each lever one at a time, both ways", W);
        for (int h = 0; h < KN_VERDICT_METRICS; h++) {
            const kn_verdict_attr *y = &v->why_of[h];
            int money = h == 3;
            size_t order[KN_VERDICT_LEVERS];
            for (size_t i = 0; i < y->n_levers; i++)
                order[i] = i;
            for (size_t i = 0; i < y->n_levers; i++) /* largest first */
                for (size_t j = i + 1; j < y->n_levers; j++)
                    if (fabs(y->part[order[j]]) > fabs(y->part[order[i]])) {
                        size_t t = order[i];
                        order[i] = order[j];
                        order[j] = t;
                    }
            PUT("%s %s%s%.*f", h ? ";" : "", kn_vd_heads[h].label, y->gap >= 0 ? " +" : " ", money ? 0 : 3,
                y->gap);
            size_t shown = y->n_levers < 3 ? y->n_levers : 3;
            double other = 0.0;
            for (size_t i = 0; i < y->n_levers; i++) {
                size_t j = order[i];
                const char *name = !strncmp(y->lever[j], "policy.", 7) ? y->lever[j] + 7 : y->lever[j];
                if (i < shown) {
                    PUT("%s %s %+.*f", i ? "," : " =", name, money ? 0 : 3, y->part[j]);
                    if (y->through[j])
                        PUT(" (%s)", y->through[j]);
                } else {
                    other += y->part[j];
                }
            }
            if (y->n_levers > shown)
                PUT(", %zu other levers %+.*f", y->n_levers - shown, money ? 0 : 3, other);
            if (!exact && fabs(y->rest) > 1e-12)
                PUT(", interactions %+.*f", money ? 0 : 3, y->rest);
        }
        PUT(".");
#undef PUT
    }
    free(at_mask);
    free(vals);
    free(part);
    free(rest);
    free(cpart);
    free(pol);
    free((void *)keys);
    kn_vd_runs_free(&d);
    kn_h5r_study_free(&ws);
    kn_h5r_close(r);
    return rc;
}

