/* robust_verdict.c - reading a robust study's results file and the verdict per metric
 * (robust_verdict.h): who is best in how many worlds, who cannot be told apart from the
 * best, regret. The gaps (sensitivity, where it flips) are in robust_gaps.c, the words
 * in robust_text.c.
 *
 * Worlds used for shares, regret and PRIM: every world of a Latin hypercube or a Morris
 * design; the A and B blocks of a Saltelli design (two independent Latin hypercubes: the
 * rows that mix them repeat A's values and would count them twice).
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "koning/metrics.h"
#include "robust_verdict_int.h"
#include "selection.h"

static const struct {
    const char *name;
    int higher;
} metrics[KN_RB_METRICS] = {
    {"retention", 1}, {"service_quality", 1}, {"staff_turnover", 0}, {"profit", 1}};

const char *kn_rb_metric_name(size_t m)
{
    return m < KN_RB_METRICS ? metrics[m].name : "?";
}

int kn_rb_higher_better(size_t m)
{
    return m < KN_RB_METRICS ? metrics[m].higher : 1;
}

int kn_rb_is_robust(const kn_h5r_study *st)
{
    return st && st->kind && !strcmp(st->kind, "robust");
}

static kn_status fail(kn_error *err, const char *path, const char *what)
{
    return kn_error_set(err, KN_EIO, "%s: not a complete robust study: %s", path, what);
}

/* A numeric dataset of exactly rows x cols values. */
static kn_status numbers(kn_h5r *r, const char *name, size_t rows, size_t cols, double **out,
                         kn_error *err)
{
    size_t nr = 0, nc = 0;
    KN_CHECK(kn_h5r_doubles(r, name, out, &nr, &nc, err));
    if (nr != rows || nc != cols) {
        free(*out);
        *out = NULL;
        char what[200];
        snprintf(what, sizeof what, "dataset '%s' has %zu x %zu values, expected %zu x %zu", name,
                 nr, nc, rows, cols);
        return fail(err, kn_h5r_path(r), what);
    }
    return KN_OK;
}

static kn_status strings(kn_h5r *r, const char *name, size_t want, char ***out, size_t *n,
                         kn_error *err)
{
    KN_CHECK(kn_h5r_strings(r, name, out, n, err));
    if (*n != want) {
        char what[160];
        snprintf(what, sizeof what, "dataset '%s' has %zu values, expected %zu", name, *n, want);
        return fail(err, kn_h5r_path(r), what);
    }
    return KN_OK;
}

void kn_rb_verdict_free(kn_rb_verdict *rb)
{
    if (!rb)
        return;
    for (size_t g = 0; g < rb->n_gaps; g++) {
        free(rb->gap[g].f);
        free(rb->gap[g].sobol);
        free(rb->gap[g].morris);
        free(rb->gap[g].limits);
    }
    free(rb->gap);
    kn_h5r_free_strings(rb->policy, rb->n_strs_p);
    kn_h5r_free_strings(rb->key, rb->n_strs_k[0]);
    kn_h5r_free_strings(rb->spread, rb->n_strs_k[1]);
    kn_h5r_free_strings(rb->source, rb->n_strs_k[2]);
    free(rb->path);
    free(rb->name);
    free(rb->design);
    free(rb->unc_file);
    free(rb->low);
    free(rb->high);
    free(rb->value);
    free(rb->unit);
    free(rb->block);
    free(rb->used);
    free(rb->v);
    free(rb->mean);
    free(rb->winner);
    free(rb->stats);
    memset(rb, 0, sizeof *rb);
}

/* The design, the worlds and every run's headline values. */
static kn_status load_file(kn_h5r *r, const kn_h5r_study *st, kn_rb_verdict *rb, kn_error *err)
{
    const char *path = kn_h5r_path(r);
    size_t W = kn_h5r_dim(r, "world"), P = kn_h5r_dim(r, "policy"), K = kn_h5r_dim(r, "uncertain");
    if (!W || !P || !K || st->n_scen != W * P)
        return fail(err, path, "no worlds, policies or uncertain magnitudes, or not one scenario "
                    "for each policy in each world");
    rb->n_worlds = W;
    rb->n_policies = P;
    rb->n_keys = K;
    if (!(rb->path = strdup(path)))
        return kn_error_set(err, KN_ENOMEM, "out of memory");
    KN_CHECK(kn_h5r_attr_text(r, "/", "robust_design", &rb->design, err));
    KN_CHECK(kn_h5r_attr_text(r, "/", "robust_uncertainty_file", &rb->unc_file, err));
    double sq = -1, seed = 0;
    KN_CHECK(kn_h5r_attr_double(r, "/", "robust_design_size", &rb->design_size, err));
    KN_CHECK(kn_h5r_attr_double(r, "/", "robust_levels", &rb->levels, err));
    KN_CHECK(kn_h5r_attr_double(r, "/", "robust_status_quo", &sq, err));
    KN_CHECK(kn_h5r_attr_double(r, "/", "robust_switch_after", &rb->switch_after, err));
    KN_CHECK(kn_h5r_attr_double(r, "/", "robust_seed", &seed, err));
    rb->status_quo = sq >= 0 && sq < (double)P ? (long)sq : -1;
    rb->seed = (uint64_t)seed;
    /* the study's name: the first line "name: X" of the study file, else the file's */
    char *study = NULL;
    if (kn_h5r_attr_text(r, "/", "study", &study, NULL) == KN_OK) {
        for (char *line = study; line && *line;) {
            char *nl = strchr(line, '\n');
            if (nl)
                *nl = '\0';
            if (!strncmp(line, "name:", 5)) {
                char *s = line + 5;
                s += strspn(s, " \t\"'");
                size_t n = strcspn(s, "#\"'");
                while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
                    n--;
                rb->name = strndup(s, n);
                break;
            }
            line = nl ? nl + 1 : NULL;
        }
    }
    free(study);
    if (!rb->name && !(rb->name = strdup("robust")))
        return kn_error_set(err, KN_ENOMEM, "out of memory");
    KN_CHECK(strings(r, "policy_name", P, &rb->policy, &rb->n_strs_p, err));
    KN_CHECK(strings(r, "uncertain_key", K, &rb->key, &rb->n_strs_k[0], err));
    KN_CHECK(strings(r, "uncertain_distribution", K, &rb->spread, &rb->n_strs_k[1], err));
    KN_CHECK(strings(r, "uncertain_source", K, &rb->source, &rb->n_strs_k[2], err));
    KN_CHECK(numbers(r, "uncertain_low", K, 1, &rb->low, err));
    KN_CHECK(numbers(r, "uncertain_high", K, 1, &rb->high, err));
    KN_CHECK(numbers(r, "world_value", W, K, &rb->value, err));
    KN_CHECK(numbers(r, "world_unit", W, K, &rb->unit, err));
    double *block = NULL, *sw = NULL, *sp = NULL, *rep = NULL;
    kn_status rc = numbers(r, "world_block", W, 1, &block, err);
    if (rc == KN_OK)
        rc = numbers(r, "scenario_world", W * P, 1, &sw, err);
    if (rc == KN_OK)
        rc = numbers(r, "scenario_policy", W * P, 1, &sp, err);
    if (rc == KN_OK)
        rc = numbers(r, "replication", st->n_run, 1, &rep, err);
    rb->block = malloc(W * sizeof *rb->block);
    rb->used = malloc(W * sizeof *rb->used);
    if (rc == KN_OK && (!rb->block || !rb->used))
        rc = kn_error_set(err, KN_ENOMEM, "out of memory");
    size_t R = 0;
    for (size_t i = 0; rc == KN_OK && i < st->n_run; i++)
        if (rep[i] >= 0 && rep[i] + 1 > (double)R)
            R = (size_t)rep[i] + 1;
    for (size_t s = 0; rc == KN_OK && s < W * P; s++)
        if (sw[s] != (double)(s / P) || sp[s] != (double)(s % P))
            rc = fail(err, path, "scenario_world and scenario_policy are not world-major");
    int saltelli = !strcmp(rb->design, "saltelli");
    for (size_t w = 0; rc == KN_OK && w < W; w++) {
        rb->block[w] = (int)block[w];
        rb->used[w] = !saltelli || rb->block[w] <= 1;
        rb->n_used += (size_t)rb->used[w];
    }
    rb->reps = R;
    size_t cells = KN_RB_METRICS * W * P;
    if (rc == KN_OK && (R == 0 || !(rb->v = malloc(cells * R * sizeof *rb->v))))
        rc = R == 0 ? fail(err, path, "no runs") : kn_error_set(err, KN_ENOMEM, "out of memory");
    for (size_t i = 0; rc == KN_OK && i < cells * R; i++)
        rb->v[i] = NAN;
    for (size_t m = 0; rc == KN_OK && m < KN_RB_METRICS; m++) {
        double *col = NULL;
        if ((rc = numbers(r, metrics[m].name, st->n_run, 1, &col, err)) != KN_OK)
            break;
        for (size_t i = 0; i < st->n_run; i++) {
            size_t s = (size_t)st->run_scenario[i], q = (size_t)rep[i];
            if (st->run_ok[i] && q < R)
                rb->v[((m * W + s / P) * P + s % P) * R + q] = col[i];
        }
        free(col);
    }
    for (size_t i = 0; rc == KN_OK && i < st->n_run; i++) {
        rb->n_runs++;
        rb->n_failed += !st->run_ok[i];
    }
    free(block);
    free(sw);
    free(sp);
    free(rep);
    return rc;
}

/* Means per world and policy, the winner of every world, and the table per metric. */
static kn_status per_metric(kn_rb_verdict *rb, kn_error *err)
{
    size_t W = rb->n_worlds, P = rb->n_policies, R = rb->reps;
    rb->mean = malloc(KN_RB_METRICS * W * P * sizeof *rb->mean);
    rb->winner = malloc(KN_RB_METRICS * W * sizeof *rb->winner);
    rb->stats = calloc(KN_RB_METRICS * P, sizeof *rb->stats);
    double *rows = malloc((rb->n_used ? rb->n_used : 1) * P * sizeof *rows);
    int *keep = malloc(P * sizeof *keep);
    double *inset = calloc(P, sizeof *inset);
    if (!rb->mean || !rb->winner || !rb->stats || !rows || !keep || !inset) {
        free(rows);
        free(keep);
        free(inset);
        return kn_error_set(err, KN_ENOMEM, "out of memory");
    }
    kn_status rc = KN_OK;
    for (size_t m = 0; m < KN_RB_METRICS && rc == KN_OK; m++) {
        int hib = metrics[m].higher;
        for (size_t w = 0; w < W; w++) {
            size_t best = SIZE_MAX;
            int failed = 0;
            for (size_t p = 0; p < P; p++) {
                const double *x = rb->v + ((m * W + w) * P + p) * R;
                double sum = 0.0;
                size_t n = 0;
                for (size_t q = 0; q < R; q++)
                    if (isfinite(x[q])) {
                        sum += x[q];
                        n++;
                    }
                double mu = n ? sum / (double)n : NAN;
                rb->mean[(m * W + w) * P + p] = mu;
                if (!isfinite(mu))
                    failed = 1; /* a world where a policy has no run has no winner */
                else if (best == SIZE_MAX || (hib ? mu > rb->mean[(m * W + w) * P + best]
                                                  : mu < rb->mean[(m * W + w) * P + best]))
                    best = p;
            }
            rb->winner[m * W + w] = failed ? SIZE_MAX : best;
        }
        /* regret over the worlds used; the best set by paired subset selection */
        size_t n = 0, n_set = 0;
        memset(inset, 0, P * sizeof *inset);
        for (size_t w = 0; w < W; w++) {
            if (!rb->used[w])
                continue;
            memcpy(rows + n * P, rb->mean + (m * W + w) * P, P * sizeof *rows);
            n++;
            if (rb->winner[m * W + w] == SIZE_MAX)
                continue;
            kn_error e = {0};
            if (R >= 2 && kn_subset_select(rb->v + (m * W + w) * P * R, P, R, R, KN_RB_ALPHA, hib,
                                           keep, NULL, &e) == KN_OK) {
                n_set++;
                for (size_t p = 0; p < P; p++)
                    inset[p] += keep[p];
            }
        }
        kn_regret *reg = malloc(P * sizeof *reg);
        kn_error e = {0};
        if (!reg) {
            rc = kn_error_set(err, KN_ENOMEM, "out of memory");
            break;
        }
        if (n == 0 || kn_regret_table(rows, n, P, P, hib, reg, &rb->minimax[m], &rb->failed[m], &e)
                          != KN_OK) {
            snprintf(rb->why_not[m], sizeof rb->why_not[m], "%.190s", n ? e.msg : "no worlds");
            rb->ok[m] = 0;
            free(reg);
            continue;
        }
        rb->ok[m] = 1;
        size_t top = 0, second = P > 1 ? 1 : 0;
        for (size_t p = 0; p < P; p++) {
            kn_rb_policy *s = &rb->stats[m * P + p];
            s->r = reg[p];
            s->set_share = n_set ? inset[p] / (double)n_set : NAN;
            s->set_lo = s->set_hi = NAN;
            if (n_set)
                kn_wilson(inset[p], (double)n_set, KN_Z95, &s->set_lo, &s->set_hi);
            if (reg[p].win_share > reg[top].win_share)
                top = p;
        }
        second = top == 0 ? (P > 1 ? 1 : 0) : 0;
        for (size_t p = 0; p < P; p++)
            if (p != top && reg[p].win_share > reg[second].win_share)
                second = p;
        rb->top[m] = top;
        rb->runner_up[m] = second;
        free(reg);
    }
    free(rows);
    free(keep);
    free(inset);
    return rc;
}

kn_status kn_rb_verdict_load(kn_h5r *r, const kn_h5r_study *st, kn_rb_verdict *out, kn_error *err)
{
    memset(out, 0, sizeof *out);
    for (size_t m = 0; m < KN_RB_METRICS; m++)
        out->map_x[m] = out->map_y[m] = SIZE_MAX;
    if (!kn_rb_is_robust(st))
        return kn_error_set(err, KN_EIO, "%s: not a robust study's results file (kind '%s'; "
                            "koning robust STUDY.yaml makes one)", kn_h5r_path(r),
                            st->kind ? st->kind : "");
    kn_status rc = load_file(r, st, out, err);
    if (rc == KN_OK)
        rc = per_metric(out, err);
    if (rc == KN_OK)
        rc = kn_rb_gaps(out, r, err);
    if (rc != KN_OK)
        kn_rb_verdict_free(out);
    return rc;
}
