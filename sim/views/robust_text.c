/* robust_text.c - the verdict across plausible worlds in words (robust_verdict.h): a text
 * for people, per metric a table of the policies (best in how many worlds, in the best
 * set in how many, mean and worst regret), then where each win flips and which assumed
 * magnitudes each gap hinges on; and one JSON object with every number.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "robust_verdict_int.h"
#include "tables.h"

#define TOP_KEYS 3 /* magnitudes named per gap in the text */

static const char *unit_phrase(size_t m)
{
    static const char *const u[KN_RB_METRICS] = {"share kept a year", "0-1", "quits a year per employee",
                                                 "money a week"};
    return m < KN_RB_METRICS ? u[m] : "";
}

static const char *fmt_regret(char *buf, size_t cap, size_t m, double v)
{
    if (!isfinite(v))
        snprintf(buf, cap, "n/a");
    else if (m == 3)
        snprintf(buf, cap, "%.0f", v);
    else
        snprintf(buf, cap, "%.4f", v);
    return buf;
}

/* Indices of the magnitudes by influence on gap g (total index, or mu*), largest first
 * (ties: file order); at most cap. */
static size_t ranked(const kn_rb_verdict *rb, const kn_rb_gap *g, size_t *idx, size_t cap)
{
    size_t n = 0;
    while (n < cap) {
        size_t best = SIZE_MAX;
        double bs = -INFINITY;
        for (size_t j = 0; j < rb->n_keys; j++) {
            double sj = g->sens == 1 ? g->sobol[j].total : g->morris[j].mu_star;
            int taken = 0;
            for (size_t i = 0; i < n; i++)
                taken |= idx[i] == j;
            if (!taken && isfinite(sj) && sj > bs) {
                bs = sj;
                best = j;
            }
        }
        if (best == SIZE_MAX)
            break;
        idx[n++] = best;
    }
    return n;
}

/* Names for a terminal (tables.h): one of a few rotating buffers, so that a line can
 * hold several. */
static const char *tty(const char *s)
{
    static char buf[4][KN_TTY_MAX];
    static unsigned next;
    char *b = buf[next++ % 4];
    return kn_tty_text(b, KN_TTY_MAX, s);
}

void kn_rb_verdict_print(FILE *f, const kn_rb_verdict *rb)
{
    size_t P = rb->n_policies;
    fprintf(f, "Robust study '%s': %zu policies in %zu plausible worlds (%s over %zu assumed "
               "magnitudes of %s), %zu replications per policy and world on common random numbers",
            tty(rb->name), P, rb->n_worlds, rb->design, rb->n_keys, tty(rb->unc_file), rb->reps);
    if (rb->status_quo >= 0)
        fprintf(f, "; every policy starts from %s and switches after %.0f days",
                tty(rb->policy[rb->status_quo]), rb->switch_after);
    fprintf(f, ".\n");
    if (rb->n_used != rb->n_worlds)
        fprintf(f, "Shares, regret and where it flips use the %zu worlds of the design's A and B "
                   "blocks (independent draws).\n", rb->n_used);
    if (rb->n_failed)
        fprintf(f, "%zu of %zu runs failed: a world where any policy has no run is left out of "
                   "that metric.\n", rb->n_failed, rb->n_runs);
    size_t w = 8;
    for (size_t p = 0; p < P; p++)
        w = strlen(tty(rb->policy[p])) > w ? strlen(tty(rb->policy[p])) : w;
    w = w > 40 ? 40 : w;
    for (size_t m = 0; m < KN_RB_METRICS; m++) {
        fprintf(f, "\n%s (%s; %s is better)\n", kn_rb_metric_name(m), unit_phrase(m),
                kn_rb_higher_better(m) ? "higher" : "lower");
        if (!rb->ok[m]) {
            fprintf(f, "  not computed: %s\n", tty(rb->why_not[m]));
            continue;
        }
        fprintf(f, "  %-*s  %-22s  %-22s  %12s  %12s\n", (int)w, "policy", "best in (95 % CI)",
                "in the best set", "mean regret", "max regret");
        for (size_t p = 0; p < P; p++) {
            const kn_rb_policy *s = &rb->stats[m * P + p];
            char a[48], b[48], c[32], d[32];
            snprintf(a, sizeof a, "%3.0f %% [%.0f, %.0f]", 100 * s->r.win_share, 100 * s->r.win_lo,
                     100 * s->r.win_hi);
            if (isfinite(s->set_share))
                snprintf(b, sizeof b, "%3.0f %% [%.0f, %.0f]", 100 * s->set_share, 100 * s->set_lo,
                         100 * s->set_hi);
            else
                snprintf(b, sizeof b, "n/a");
            fprintf(f, "  %-*.*s  %-22s  %-22s  %12s  %12s\n", (int)w, (int)w, tty(rb->policy[p]), a, b,
                    fmt_regret(c, sizeof c, m, s->r.mean_regret), fmt_regret(d, sizeof d, m, s->r.max_regret));
        }
        char c[32];
        fprintf(f, "  least maximum regret: %s (%s)", tty(rb->policy[rb->minimax[m]]),
                fmt_regret(c, sizeof c, m, rb->stats[m * P + rb->minimax[m]].r.max_regret));
        if (rb->failed[m])
            fprintf(f, "; %zu worlds left out (a run failed)", rb->failed[m]);
        fputc('\n', f);
    }
    fprintf(f, "\nWhere it flips (PRIM: Friedman & Fisher 1999, as in Bryant & Lempert 2010):\n");
    for (size_t gi = 0; gi < rb->n_gaps; gi++) {
        char s[1200];
        fprintf(f, "  %s\n", tty(kn_rb_flip_sentence(rb, &rb->gap[gi], s, sizeof s)));
    }
    int lhs = strcmp(rb->design, "saltelli") && strcmp(rb->design, "morris");
    fprintf(f, "\nWhat the gaps hinge on (%s)%s\n",
            !strcmp(rb->design, "saltelli") ? "Sobol total index S_T and first-order S_1, 95 % "
                                              "bootstrap intervals"
            : !lhs ? "Morris mu* and sigma, in the metric's units over the whole range"
                   : "a Latin hypercube gives no indices: use design {saltelli: N} or {morris: R}",
            lhs ? "." : ":");
    for (size_t gi = 0; gi < rb->n_gaps && !lhs; gi++) {
        const kn_rb_gap *g = &rb->gap[gi];
        fprintf(f, "  %s, %s - %s (mean %.4g):", kn_rb_metric_name(g->metric), tty(rb->policy[g->a]),
                tty(rb->policy[g->b]), g->mean_gap);
        if (!g->sens) {
            fprintf(f, " %s\n", tty(g->why_none));
            continue;
        }
        size_t idx[TOP_KEYS];
        size_t n = ranked(rb, g, idx, TOP_KEYS);
        for (size_t i = 0; i < n; i++) {
            size_t j = idx[i];
            if (g->sens == 1)
                fprintf(f, "%s %s S_T %.2f [%.2f, %.2f], S_1 %.2f", i ? ";" : "", tty(rb->key[j]),
                        g->sobol[j].total, g->sobol[j].total_lo, g->sobol[j].total_hi, g->sobol[j].first);
            else
                fprintf(f, "%s %s mu* %.3g, sigma %.3g", i ? ";" : "", tty(rb->key[j]), g->morris[j].mu_star,
                        g->morris[j].sigma);
        }
        fputc('\n', f);
    }
    fprintf(f, "\nThe ranges are assumptions too (%s gives each its reason); docs/robust.md says how "
               "to read this.\n", tty(rb->unc_file));
}

/* ---- JSON ---------------------------------------------------------------------------- */

static void jnum(FILE *f, const char *key, double v, int comma)
{
    fprintf(f, "%s\"%s\": ", comma ? ", " : "", key);
    kn_json_number(f, v);
}

static void jci(FILE *f, const char *key, double lo, double hi)
{
    fprintf(f, ", \"%s\": [", key);
    kn_json_number(f, lo);
    fputs(", ", f);
    kn_json_number(f, hi);
    fputc(']', f);
}

static void json_gap(FILE *f, const kn_rb_verdict *rb, const kn_rb_gap *g)
{
    fputs("{\"metric\": ", f);
    kn_json_string(f, kn_rb_metric_name(g->metric));
    fputs(", \"a\": ", f);
    kn_json_string(f, rb->policy[g->a]);
    fputs(", \"b\": ", f);
    kn_json_string(f, rb->policy[g->b]);
    fprintf(f, ", \"worlds\": %zu", g->n_used);
    jnum(f, "a_better_share", g->a_share, 1);
    jci(f, "a_better_ci", g->a_lo, g->a_hi);
    jnum(f, "mean_gap", g->mean_gap, 1);
    fputs(", \"sensitivity\": {\"method\": ", f);
    kn_json_string(f, g->sens == 1 ? "sobol" : g->sens == 2 ? "morris" : "none");
    if (!g->sens) {
        fputs(", \"why\": ", f);
        kn_json_string(f, g->why_none);
    } else {
        fputs(", \"indices\": [", f);
        for (size_t j = 0; j < rb->n_keys; j++) {
            fputs(j ? ", {\"key\": " : "{\"key\": ", f);
            kn_json_string(f, rb->key[j]);
            if (g->sens == 1) {
                jnum(f, "first", g->sobol[j].first, 1);
                jci(f, "first_ci", g->sobol[j].first_lo, g->sobol[j].first_hi);
                jnum(f, "total", g->sobol[j].total, 1);
                jci(f, "total_ci", g->sobol[j].total_lo, g->sobol[j].total_hi);
            } else {
                jnum(f, "mu", g->morris[j].mu, 1);
                jnum(f, "mu_star", g->morris[j].mu_star, 1);
                jnum(f, "sigma", g->morris[j].sigma, 1);
            }
            fputc('}', f);
        }
        fputc(']', f);
    }
    fputs("}, \"flip\": {", f);
    if (g->n_used) {
        fputs("\"winner\": ", f);
        kn_json_string(f, rb->policy[g->winner]);
        fputs(", \"loser\": ", f);
        kn_json_string(f, rb->policy[g->loser]);
        jnum(f, "share", g->share, 1);
        jci(f, "share_ci", g->share_lo, g->share_hi);
        fprintf(f, ", \"exceptions\": %zu, \"located\": %s", g->exceptions,
                g->prim == 1 ? "true" : "false");
        if (g->prim == 1) {
            jnum(f, "coverage", g->coverage, 1);
            jnum(f, "density", g->density, 1);
            jnum(f, "support", g->support, 1);
            fputs(", \"box\": [", f);
            for (size_t l = 0; l < g->n_limits; l++) {
                const kn_rb_limit *lim = &g->limits[l];
                fputs(l ? ", {\"key\": " : "{\"key\": ", f);
                kn_json_string(f, rb->key[lim->key]);
                jnum(f, "low", lim->has_low ? lim->low : NAN, 1);
                jnum(f, "high", lim->has_high ? lim->high : NAN, 1);
                jnum(f, "quasi_p", lim->quasi_p, 1);
                fputc('}', f);
            }
            fputc(']', f);
        }
        fputs(", ", f);
    }
    char s[1200];
    fputs("\"sentence\": ", f);
    kn_json_string(f, kn_rb_flip_sentence(rb, g, s, sizeof s));
    fputs("}}", f);
}

void kn_rb_verdict_json(FILE *f, const kn_rb_verdict *rb)
{
    size_t P = rb->n_policies;
    fputs("{\"study\": ", f);
    kn_json_string(f, rb->name);
    fputs(", \"file\": ", f);
    kn_json_string(f, rb->path);
    fputs(", \"design\": ", f);
    kn_json_string(f, rb->design);
    fprintf(f, ", \"worlds\": %zu, \"worlds_used\": %zu, \"replications\": %zu, \"runs\": %zu, "
               "\"failed_runs\": %zu, \"status_quo\": ", rb->n_worlds, rb->n_used, rb->reps,
            rb->n_runs, rb->n_failed);
    if (rb->status_quo >= 0)
        kn_json_string(f, rb->policy[rb->status_quo]);
    else
        fputs("null", f);
    fputs(", \"policies\": [", f);
    for (size_t p = 0; p < P; p++) {
        fputs(p ? ", " : "", f);
        kn_json_string(f, rb->policy[p]);
    }
    fputs("], \"uncertain\": [", f);
    for (size_t k = 0; k < rb->n_keys; k++) {
        fputs(k ? ", {\"key\": " : "{\"key\": ", f);
        kn_json_string(f, rb->key[k]);
        jnum(f, "low", rb->low[k], 1);
        jnum(f, "high", rb->high[k], 1);
        fputs(", \"distribution\": ", f);
        kn_json_string(f, rb->spread[k]);
        fputc('}', f);
    }
    fputs("], \"metrics\": {", f);
    for (size_t m = 0; m < KN_RB_METRICS; m++) {
        fprintf(f, "%s\"%s\": {\"higher_is_better\": %s", m ? ", " : "", kn_rb_metric_name(m),
                kn_rb_higher_better(m) ? "true" : "false");
        if (!rb->ok[m]) {
            fputs(", \"error\": ", f);
            kn_json_string(f, rb->why_not[m]);
            fputc('}', f);
            continue;
        }
        fprintf(f, ", \"failed_worlds\": %zu, \"most_wins\": ", rb->failed[m]);
        kn_json_string(f, rb->policy[rb->top[m]]);
        fputs(", \"minimax_regret\": ", f);
        kn_json_string(f, rb->policy[rb->minimax[m]]);
        fputs(", \"map\": ", f);
        if (rb->map_x[m] != SIZE_MAX) {
            fputs("[", f);
            kn_json_string(f, rb->key[rb->map_x[m]]);
            fputs(", ", f);
            kn_json_string(f, rb->key[rb->map_y[m]]);
            fputs("]", f);
        } else {
            fputs("null", f);
        }
        fputs(", \"policies\": {", f);
        for (size_t p = 0; p < P; p++) {
            const kn_rb_policy *s = &rb->stats[m * P + p];
            fputs(p ? ", " : "", f);
            kn_json_string(f, rb->policy[p]);
            fputs(": {", f);
            jnum(f, "win_share", s->r.win_share, 0);
            jci(f, "win_ci", s->r.win_lo, s->r.win_hi);
            jnum(f, "best_set_share", s->set_share, 1);
            jci(f, "best_set_ci", s->set_lo, s->set_hi);
            jnum(f, "mean_regret", s->r.mean_regret, 1);
            jnum(f, "max_regret", s->r.max_regret, 1);
            fputc('}', f);
        }
        fputs("}, \"winners\": [", f);
        for (size_t w = 0, first = 1; w < rb->n_worlds; w++) {
            size_t win = rb->winner[m * rb->n_worlds + w];
            fputs(first ? "" : ", ", f);
            first = 0;
            if (win == SIZE_MAX)
                fputs("null", f);
            else
                kn_json_string(f, rb->policy[win]);
        }
        fputs("]}", f);
    }
    fputs("}, \"gaps\": [", f);
    for (size_t gi = 0; gi < rb->n_gaps; gi++) {
        fputs(gi ? ", " : "", f);
        json_gap(f, rb, &rb->gap[gi]);
    }
    fputs("]}\n", f);
}
