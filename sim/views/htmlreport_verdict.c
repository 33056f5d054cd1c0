/* htmlreport_verdict.c - the verdict section of `koning report` (declared in
 * htmlreport_int.h).
 *
 * The verdict (verdict.h) in full, in the order a reader asks: who comes out best; per
 * headline metric the best scenario over its steady-state window with its confidence
 * interval, the set that cannot be told apart from it (paired subset selection) and its
 * lead over the runner-up; whether each scenario settles after the switch, from when,
 * and what still drifts; the week each switch pays back against the status quo, with its
 * interval and the chart of the cumulative gap; why the winner wins, lever by lever, as a
 * table (from PATH-why.h5); and the chart of the way to the steady state. A study without
 * a status quo has no payback, no "why" and no charts of the switch: the section says why.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "htmlreport_int.h"
#include "payback.h"

/* ---- pieces ---------------------------------------------------------------------------- */

static const mcol *find_col(const report *R, const char *metric)
{
    for (size_t i = 0; i < R->n_col; i++)
        if (!strcmp(R->col[i].def->name, metric))
            return &R->col[i];
    return NULL;
}

/* The summary table's definition of headline metric h (its label, unit and scale). */
static const metric_def *head_def(const kn_verdict_line *l, metric_def *fallback)
{
    const metric_def *d = l->metric ? hr_find_metric(l->metric) : NULL;
    if (d)
        return d;
    *fallback = (metric_def){l->metric ? l->metric : "", l->label ? l->label : "",
                             l->unit ? l->unit : "", 1.0, l->higher_is_better ? 1 : -1};
    return fallback;
}

/* Decimals for a difference with interval [lo, hi] (times scale): one significant digit of
 * its half-width, and enough that an end that is not 0 does not print as 0. */
static int diff_decimals(double lo, double hi, double scale, int dflt)
{
    double hw = (hi - lo) / 2.0 * scale;
    int dec = isfinite(hw) && hw > 0 ? (int)-floor(log10(hw)) : dflt;
    dec = dec < 0 ? 0 : dec > 4 ? 4 : dec;
    for (; dec < 4; dec++) {
        char z1[96], z2[96];
        hr_fmt_fixed(z1, sizeof z1, lo * scale, dec);
        hr_fmt_fixed(z2, sizeof z2, hi * scale, dec);
        if ((lo == 0 || strspn(z1, "0.") != strlen(z1)) && (hi == 0 || strspn(z2, "0.") != strlen(z2)))
            break;
    }
    return dec;
}

/* A signed difference: "+1.3", "−0.4" (times scale). */
static void b_signed(buf *b, double v, double scale, int dec)
{
    char t[96];
    hr_fmt_fixed(t, sizeof t, v * scale, dec);
    kn_sb_printf(b, "%s%s", isfinite(v) && v * scale > 0 && strspn(t, "0.,") != strlen(t) ? "+" : "", t);
}

static const char *period_word(const kn_verdict *v)
{
    return v->period_days == 7.0 ? "week" : "period";
}

static int has_switch(const report *R)
{
    return R->v.status_quo < R->s.n_scen;
}

/* ---- best on each metric ---------------------------------------------------------------- */

static void b_cards(buf *b, const report *R, const char *lv)
{
    const kn_verdict *v = &R->v;
    char t[96];
    kn_sb_puts(b, "<h3>Best on each headline metric</h3>\n<div class=\"cards\">\n");
    for (size_t i = 0; i < KN_VERDICT_METRICS; i++) {
        const kn_verdict_line *l = &v->line[i];
        if (!l->metric || l->winner >= R->s.n_scen)
            continue;
        metric_def fb;
        const metric_def *d = head_def(l, &fb);
        const mcol *c = find_col(R, l->metric);
        int dec = c ? c->dec : hr_col_decimals(&l->mean, &l->lo, &l->hi, 1, d->scale);
        kn_sb_printf(b, "<div class=\"card\" data-metric=\"%s\"><div class=\"metric\">", d->name);
        hr_esc(b, d->label);
        kn_sb_puts(b, "</div>\n<div class=\"who\">");
        hr_scen(b, R, l->winner);
        kn_sb_puts(b, "</div>\n<div class=\"val\">");
        hr_metric_value(b, d, l->mean, dec);
        if (d->scale != 100.0 && d->unit[0] && strcmp(d->unit, "0\xe2\x80\x93" "1")) {
            kn_sb_puts(b, " ");
            hr_esc(b, strncmp(d->unit, "money ", 6) ? d->unit : d->unit + 6);
        }
        if (isfinite(l->lo) && isfinite(l->hi)) {
            kn_sb_printf(b, " <span class=\"note\">(%s CI ", lv);
            hr_interval(b, l->lo, l->hi, d->scale, dec);
            kn_sb_puts(b, ")</span>");
        }
        kn_sb_puts(b, "</div>\n");
        /* the set that cannot be told apart from the best */
        kn_sb_puts(b, "<div class=\"best-set\">");
        if (l->clear) {
            kn_sb_puts(b, "Alone in the best set.");
        } else {
            kn_sb_puts(b, "Cannot be told apart from ");
            size_t shown = 0, others = l->n_best > 0 ? l->n_best - 1 : 0;
            for (size_t k = 0; k < R->s.n_scen; k++)
                if (l->best && l->best[k] && k != l->winner) {
                    if (shown)
                        kn_sb_puts(b, shown + 1 == others ? " and " : ", ");
                    kn_sb_puts(b, "<span class=\"scen\">");
                    hr_esc(b, R->s.scen_name[k]);
                    kn_sb_puts(b, "</span>");
                    shown++;
                }
            kn_sb_puts(b, ".");
        }
        kn_sb_puts(b, "</div>\n");
        if (l->runner_up < R->s.n_scen && l->runner_up != l->winner && l->diff == 0.0 &&
            l->diff_lo == 0.0 && l->diff_hi == 0.0) {
            kn_sb_puts(b, "<div class=\"lead-by\">Level with ");
            hr_esc(b, R->s.scen_name[l->runner_up]);
            kn_sb_puts(b, " in every run</div>\n");
        } else if (l->runner_up < R->s.n_scen && l->runner_up != l->winner) {
            /* the lead as a size in the good direction, with its paired interval */
            double s = l->diff < 0 ? -1.0 : 1.0;
            double dl = s > 0 ? l->diff_lo : -l->diff_hi, dh = s > 0 ? l->diff_hi : -l->diff_lo;
            int ddec = diff_decimals(dl, dh, d->scale, dec);
            kn_sb_printf(b, "<div class=\"lead-by\">%s than the runner-up ", l->diff < 0 ? "Lower" : "Higher");
            hr_esc(b, R->s.scen_name[l->runner_up]);
            kn_sb_printf(b, " by %s", hr_fmt_fixed(t, sizeof t, fabs(l->diff) * d->scale, ddec));
            kn_sb_puts(b, d->scale == 100.0 ? "\xc2\xa0points" : "");
            if (isfinite(dl) && isfinite(dh)) {
                kn_sb_printf(b, " (paired %s CI ", lv);
                hr_interval(b, dl, dh, d->scale, ddec);
                kn_sb_puts(b, ")");
            }
            kn_sb_puts(b, "</div>\n");
        }
        if (l->clear)
            kn_sb_puts(b, "<span class=\"badge clear\">clear</span>");
        else
            kn_sb_printf(b, "<span class=\"badge unclear\">not clear at the %s level</span>", lv);
        kn_sb_puts(b, "</div>\n");
    }
    kn_sb_printf(b,
                 "</div>\n<p class=\"note\">Means over each scenario's steady-state window (below), so "
                 "they can differ from the summary table, which averages the whole observation "
                 "window. The <b>best set</b> holds every scenario that cannot be told apart from the "
                 "best mean (paired subset selection at the %s level, Nelson et al. 2001): a win is "
                 "<b>clear</b> when the best is alone in it. Leads are paired: the same random "
                 "customers and events are replayed under each policy, so the difference is "
                 "measured run by run.</p>\n",
                 lv);
}

/* ---- the steady state ------------------------------------------------------------------ */

/* What still drifts over the window, a year: the slopes whose interval excludes 0. */
static void b_drifts(buf *b, const report *R, size_t s, const char *lv)
{
    const kn_verdict *v = &R->v;
    int any = 0;
    for (size_t h = 0; h < KN_VERDICT_METRICS; h++) {
        size_t j = s * KN_VERDICT_METRICS + h;
        if (!(v->drift_lo[j] > 0.0 || v->drift_hi[j] < 0.0))
            continue;
        metric_def fb;
        const metric_def *d = head_def(&v->line[h], &fb);
        int dec = diff_decimals(v->drift_lo[j], v->drift_hi[j], d->scale, 3);
        kn_sb_puts(b, any ? "<br>" : "");
        hr_esc(b, d->label);
        kn_sb_puts(b, " ");
        b_signed(b, v->drift[j], d->scale, dec);
        kn_sb_puts(b, d->scale == 100.0 ? "\xc2\xa0points a year" : !strcmp(d->name, "profit")
                                                                    ? " a week, per year"
                                                                    : " a year");
        kn_sb_printf(b, " <span class=\"ci\">%s CI ", lv);
        hr_interval(b, v->drift_lo[j], v->drift_hi[j], d->scale, dec);
        kn_sb_puts(b, "</span>");
        any = 1;
    }
    if (!any)
        kn_sb_puts(b, "\xe2\x80\x94");
}

static void b_steady(buf *b, const report *R, const char *lv)
{
    const kn_verdict *v = &R->v;
    const char *w = period_word(v), *after = has_switch(R) ? "the switch" : "the start";
    size_t n_not = 0;
    for (size_t s = 0; s < v->n_scen; s++)
        n_not += !v->steady[s];
    kn_sb_printf(b, "<h3>Steady state after %s</h3>\n<p>Each scenario is measured over its "
                    "steady-state window: from the latest MSER-5 truncation point of its four "
                    "headline %sly series (searched in the first half of the run) to the end. It "
                    "is <b>steady</b> when none of the four still drifts over the window: the "
                    "interval of each least-squares slope (%s, Bonferroni over the four) holds 0. ",
                 after, w, lv);
    if (n_not)
        kn_sb_printf(b, "%zu of %zu scenarios are still drifting after %zu %ss: their means describe "
                        "the years after %s, not the long run; a longer run shows where they "
                        "settle.</p>\n", n_not, v->n_scen, v->n_period, w, after);
    else
        kn_sb_printf(b, "Every scenario reaches a steady state within the %zu %ss.</p>\n", v->n_period, w);
    kn_sb_printf(b, "<div class=\"tablewrap\"><table class=\"verdict-table steady\">\n<thead><tr>"
                    "<th>Scenario</th><th>Window</th><th>State</th><th>Still drifting "
                    "<span class=\"unit\">a year, over the window</span></th></tr></thead>\n<tbody>\n");
    for (size_t s = 0; s < v->n_scen; s++) {
        kn_sb_printf(b, "<tr data-scenario=\"%zu\"><td>", s);
        hr_scen(b, R, s);
        kn_sb_printf(b, "</td><td data-from=\"%zu\">from %s %zu to %zu</td><td>", v->from[s], w,
                     v->from[s] + 1, v->n_period);
        kn_sb_puts(b, v->steady[s] ? "<span class=\"badge clear\">steady</span>"
                                   : "<span class=\"badge unclear\">still drifting</span>");
        kn_sb_puts(b, "</td><td>");
        b_drifts(b, R, s, lv);
        kn_sb_puts(b, "</td></tr>\n");
    }
    kn_sb_printf(b, "</tbody></table></div>\n<p class=\"note\">%s n is the n-th %s after %s.</p>\n",
                 !strcmp(w, "week") ? "Week" : "Period", w, after);
}

/* ---- payback --------------------------------------------------------------------------- */

static kn_status b_payback(buf *b, const report *R, const char *lv, kn_error *err)
{
    const kn_verdict *v = &R->v;
    const char *w = period_word(v);
    size_t S = R->s.n_scen, P = v->n_period, q = v->status_quo;
    kn_sb_puts(b, "<h3 id=\"payback\">Payback of the switch</h3>\n");
    kn_sb_puts(b, "<p>Every policy starts from the status quo, ");
    hr_scen(b, R, q);
    kn_sb_printf(b, ", and switches to its own levers. Its <b>cumulative profit gap</b> to the status "
                    "quo, run by run on the same random numbers, shows what the switch costs before "
                    "it pays: the payback %s is the first from which the mean gap stays above 0 to "
                    "the end of the run; its interval runs from the %s the upper end of the %s band "
                    "stays above 0 to the %s its lower end does.</p>\n", w, w, lv, w);
    double *mean = malloc(S * (P ? P : 1) * sizeof *mean), *lo = malloc(S * (P ? P : 1) * sizeof *lo),
           *hi = malloc(S * (P ? P : 1) * sizeof *hi);
    size_t *pairs = calloc(S, sizeof *pairs);
    int curves = mean && lo && hi && pairs && P &&
                 kn_verdict_payback_curves(R->r, &R->s, v, mean, lo, hi, pairs, NULL) == KN_OK;
    kn_sb_printf(b, "<div class=\"tablewrap\"><table class=\"verdict-table payback\">\n<thead><tr>"
                    "<th>Policy</th><th>Pays back</th><th>Interval</th><th class=\"num\">Cumulative "
                    "gap after %zu %ss<span class=\"unit\">money, %s CI</span></th></tr></thead>\n"
                    "<tbody>\n", P, w, lv);
    for (size_t s = 0; s < S; s++) {
        if (s == q)
            continue;
        size_t L = v->payback_lo[s], H = v->payback_hi[s];
        kn_sb_printf(b, "<tr data-scenario=\"%zu\" data-payback-case=\"%d\"><td>", s, v->payback_case[s]);
        hr_scen(b, R, s);
        kn_sb_puts(b, "</td><td>");
        switch (v->payback_case[s]) {
        case KN_PAYBACK_NEVER_NEEDED: kn_sb_puts(b, "no gap to pay back"); break;
        case KN_PAYBACK_AT_ONCE: kn_sb_printf(b, "at once (ahead from %s 1)", w); break;
        case KN_PAYBACK_WITHIN:
            kn_sb_printf(b, "<b data-week=\"%zu\">%s %zu</b>", v->payback_week[s], w, v->payback_week[s] + 1);
            break;
        case KN_PAYBACK_NOT_WITHIN: kn_sb_printf(b, "not within %zu %ss", P, w); break;
        default: kn_sb_puts(b, "n/a (fewer than two paired runs)"); break;
        }
        kn_sb_puts(b, "</td><td>");
        if (v->payback_case[s] == KN_PAYBACK_NEVER_NEEDED || v->payback_case[s] < 0 || L == SIZE_MAX)
            kn_sb_puts(b, "\xe2\x80\x94");
        else if (H == SIZE_MAX)
            kn_sb_printf(b, "%s %zu to beyond %s %zu", w, L + 1, w, P);
        else
            kn_sb_printf(b, "%s %zu to %zu", w, L + 1, H + 1);
        kn_sb_puts(b, "</td><td class=\"num\">");
        if (curves && pairs[s] >= 2) {
            double m = mean[s * P + P - 1], l = lo[s * P + P - 1], h = hi[s * P + P - 1];
            b_signed(b, m, 1.0, 0);
            kn_sb_puts(b, "<span class=\"ci\">");
            hr_interval(b, l, h, 1.0, 0);
            kn_sb_puts(b, "</span>");
        } else {
            kn_sb_puts(b, "n/a");
        }
        kn_sb_puts(b, "</td></tr>\n");
    }
    kn_sb_printf(b, "</tbody></table></div>\n<p class=\"note\">%s n is the n-th %s after the switch "
                    "(koning verdict --json counts them from 0).</p>\n",
                 !strcmp(w, "week") ? "Week" : "Period", w);
    free(mean);
    free(lo);
    free(hi);
    free(pairs);
    int shown = 0;
    return hr_embed_named_chart(b, R, "switch-payback", &shown, err);
}

/* ---- why: the levers ------------------------------------------------------------------- */

static const keyval *find_key(const report *R, const char *key)
{
    for (size_t i = 0; i < R->n_kv; i++)
        if (!strcmp(R->kv[i].key, key))
            return &R->kv[i];
    return NULL;
}

/* One cell: a part (or gap) with its interval underneath, bold when the interval excludes 0. */
static void b_part_cell(buf *b, double x, double lo, double hi, double scale, int dec, const char *through)
{
    int clear = lo > 0.0 || hi < 0.0;
    kn_sb_printf(b, "<td class=\"num%s\">", clear ? " clearpart" : "");
    b_signed(b, x, scale, dec);
    if (isfinite(lo) && isfinite(hi)) {
        kn_sb_puts(b, "<span class=\"ci\">");
        hr_interval(b, lo, hi, scale, dec);
        kn_sb_puts(b, "</span>");
    }
    if (through) {
        kn_sb_puts(b, "<span class=\"ci\">through ");
        hr_esc(b, through);
        kn_sb_puts(b, "</span>");
    }
    kn_sb_puts(b, "</td>");
}

static void b_why(buf *b, const report *R, const char *lv)
{
    const kn_verdict *v = &R->v;
    kn_sb_puts(b, "<h3 id=\"why\">Why: the winner's gap to the status quo, lever by lever</h3>\n");
    if (!v->has_why) {
        kn_sb_puts(b, "<p class=\"note\" id=\"no-why\">No lever attribution: ");
        hr_esc(b, R->why_note[0] ? R->why_note : "none was computed");
        kn_sb_puts(b, ".</p>\n");
        return;
    }
    const kn_verdict_attr *pr = &v->why_of[3];
    size_t k = pr->n_levers, order[KN_VERDICT_LEVERS];
    for (size_t i = 0; i < k; i++)
        order[i] = i;
    for (size_t i = 0; i < k; i++) /* the largest part of profit first */
        for (size_t j = i + 1; j < k; j++)
            if (fabs(pr->part[order[j]]) > fabs(pr->part[order[i]])) {
                size_t t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
    kn_sb_puts(b, "<p>");
    hr_scen(b, R, v->overall);
    kn_sb_puts(b, " against the status quo ");
    hr_scen(b, R, v->status_quo);
    kn_sb_printf(b, ": the gap on each headline metric (over the winner's steady-state window) split "
                    "among the %zu lever%s in which they differ, %s, from %zu combinations simulated on "
                    "the same random numbers. Under each part its %s confidence interval; a part in "
                    "bold is clear (its interval excludes 0). For profit, the component the lever "
                    "moves most in the direction of its part.</p>\n",
                 k, k == 1 ? "" : "s",
                 v->why_exact ? "by exact Shapley values over every combination"
                              : "each lever added alone to the status quo and dropped alone from "
                                "the winner, the two effects averaged (one at a time, both ways); "
                                "what that leaves is the interactions",
                 v->why_combos, lv);
    metric_def fb[KN_VERDICT_METRICS];
    const metric_def *d[KN_VERDICT_METRICS];
    int dec[KN_VERDICT_METRICS];
    for (size_t h = 0; h < KN_VERDICT_METRICS; h++) {
        const kn_verdict_attr *y = &v->why_of[h];
        d[h] = head_def(&v->line[h], &fb[h]);
        dec[h] = hr_col_decimals(y->part, y->part_lo, y->part_hi, y->n_levers, d[h]->scale);
        int gd = diff_decimals(y->gap_lo, y->gap_hi, d[h]->scale, dec[h]);
        dec[h] = gd > dec[h] ? gd : dec[h];
    }
    kn_sb_puts(b, "<div class=\"tablewrap\"><table class=\"verdict-table why\">\n<thead><tr>"
                  "<th>Lever</th>");
    for (size_t h = 0; h < KN_VERDICT_METRICS; h++) {
        kn_sb_puts(b, "<th class=\"num\">");
        hr_esc(b, d[h]->label);
        kn_sb_printf(b, "<span class=\"unit\">%s</span></th>",
                     d[h]->scale == 100.0 ? "points" : !strcmp(d[h]->name, "profit") ? "money a week"
                                                                                    : "0\xe2\x80\x93" "1");
    }
    kn_sb_puts(b, "</tr></thead>\n<tbody>\n<tr class=\"gap\"><td><b>Gap to the status quo</b></td>");
    for (size_t h = 0; h < KN_VERDICT_METRICS; h++) {
        const kn_verdict_attr *y = &v->why_of[h];
        b_part_cell(b, y->gap, y->gap_lo, y->gap_hi, d[h]->scale, dec[h], NULL);
    }
    kn_sb_puts(b, "</tr>\n");
    for (size_t i = 0; i < k; i++) {
        size_t j = order[i];
        const char *lever = pr->lever[j];
        const keyval *kv = find_key(R, lever);
        kn_sb_puts(b, "<tr class=\"lever\"><td><code>");
        hr_esc(b, lever);
        kn_sb_puts(b, "</code>");
        if (kv && kv->long_name && kv->long_name[0]) {
            kn_sb_puts(b, "<span class=\"ci\">");
            hr_esc(b, kv->long_name);
            kn_sb_puts(b, "</span>");
        }
        kn_sb_puts(b, "</td>");
        for (size_t h = 0; h < KN_VERDICT_METRICS; h++) {
            const kn_verdict_attr *y = &v->why_of[h];
            b_part_cell(b, y->part[j], y->part_lo[j], y->part_hi[j], d[h]->scale, dec[h],
                        h == 3 ? y->through[j] : NULL);
        }
        kn_sb_puts(b, "</tr>\n");
    }
    if (!v->why_exact) {
        kn_sb_puts(b, "<tr class=\"rest\"><td>Interactions <span class=\"ci\">what one at a time "
                      "cannot split</span></td>");
        for (size_t h = 0; h < KN_VERDICT_METRICS; h++) {
            kn_sb_puts(b, "<td class=\"num\">");
            b_signed(b, v->why_of[h].rest, d[h]->scale, dec[h]);
            kn_sb_puts(b, "</td>");
        }
        kn_sb_puts(b, "</tr>\n");
    }
    kn_sb_puts(b, "</tbody></table></div>\n");
}

/* ---- the section ----------------------------------------------------------------------- */

kn_status hr_sec_verdict(buf *b, const report *R, kn_error *err)
{
    const kn_verdict *v = &R->v;
    char lv[32];
    hr_pct_level(lv, sizeof lv, v->level > 0 && v->level < 1 ? v->level : R->s.level);
    kn_sb_puts(b, "<section id=\"verdict\">\n<h2>The verdict</h2>\n");
    size_t wins = 0, alone = 0;
    for (size_t i = 0; i < KN_VERDICT_METRICS; i++)
        if (v->line[i].winner == v->overall) {
            wins++;
            alone += v->line[i].clear != 0;
        }
    if (v->overall < R->s.n_scen) {
        kn_sb_puts(b, "<div class=\"overall\"><p class=\"lead\">");
        hr_scen(b, R, v->overall);
        if (wins == KN_VERDICT_METRICS)
            kn_sb_printf(b, " comes out best: it leads on all %d headline metrics", KN_VERDICT_METRICS);
        else
            kn_sb_printf(b, " comes out best: it leads on %zu of the %d headline metrics", wins,
                         KN_VERDICT_METRICS);
        kn_sb_printf(b, ", %s.</p>\n", alone == wins ? (wins == 1 ? "and clearly" : "each clearly")
                                       : alone == 0 ? "none of them clearly"
                                                    : "not all of them clearly");
        if (has_switch(R)) {
            kn_sb_puts(b, "<p>Every scenario starts from the status quo ");
            hr_scen(b, R, v->status_quo);
            kn_sb_puts(b, " and switches to its own policy; what follows is measured from the switch.</p>\n");
        }
        kn_sb_puts(b, "</div>\n");
    }
    b_cards(b, R, lv);
    b_steady(b, R, lv);
    if (has_switch(R)) {
        KN_CHECK(b_payback(b, R, lv, err));
        b_why(b, R, lv);
        kn_sb_puts(b, "<h3>The way to the steady state</h3>\n");
        int shown = 0;
        KN_CHECK(hr_embed_named_chart(b, R, "switch-transition", &shown, err));
        if (!shown)
            kn_sb_puts(b, "<p class=\"note\">No chart of the transition (gnuplot drew none).</p>\n");
    } else {
        const keyval *days = find_key(R, "start.days");
        int started = 0;
        for (size_t s = 0; days && !days->is_str && s < R->s.n_scen; s++)
            started |= days->num[s * days->cols] > 0.0;
        kn_sb_puts(b, "<p class=\"note\" id=\"no-switch\">No payback, no lever attribution and no "
                      "charts of the switch: ");
        kn_sb_puts(b, started ? "no scenario of this study is a status quo the others switched from "
                                "(none keeps the levers of <code>start.policy</code> after the switch)."
                              : "every scenario starts blank (<code>start.days</code> is 0), so there "
                                "is no switch and no status quo to measure it against.");
        kn_sb_puts(b, " <code>koning compare --from SQ.yaml</code> starts every scenario from the "
                      "status quo SQ and switches.</p>\n");
    }
    kn_sb_puts(b, "</section>\n");
    return KN_OK;
}
