/* htmlreport_summary.c - the verdict and the summary table of `koning report`
 * (declared in htmlreport_int.h).
 *
 * The verdict (verdict.h) becomes one card per headline metric: who leads, by how much,
 * with the paired confidence interval of the lead, and whether the lead is clear; above
 * the cards, the scenario that comes out best overall and why. The summary table gives
 * the mean of each metric in each scenario (or each point of a sweep, labelled by the
 * keys the sweep varies) with its confidence interval, the best mean of each column
 * highlighted, and the runs that succeeded and failed.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "htmlreport_int.h"

#define SWEEP_ROWS_MAX 50  /* rows of the summary table of a sweep before it is cut */

/* ---- numbers with their unit ----------------------------------------------------------- */

/* A metric value with its unit, e.g. "72.6 %", "47,724 money a week". */
static void b_metric_value(buf *b, const metric_def *d, double v, int dec)
{
    char t[96];
    kn_sb_puts(b, hr_fmt_fixed(t, sizeof t, v * d->scale, dec));
    if (d->scale == 100.0)
        kn_sb_puts(b, "\xc2\xa0%");
}

static void b_interval(buf *b, double lo, double hi, double scale, int dec)
{
    char a[96], c[96];
    if (!isfinite(lo) || !isfinite(hi))
        return;
    /* "66–79", but "−54 to 198": a dash after a minus sign reads as a second minus */
    hr_fmt_fixed(a, sizeof a, lo * scale, dec);
    hr_fmt_fixed(c, sizeof c, hi * scale, dec);
    kn_sb_printf(b, "%s%s%s", a, !strncmp(a, "\xe2\x88\x92", 3) ? " to " : "\xe2\x80\x93", c);
}

/* ---- the verdict ----------------------------------------------------------------------- */

static const mcol *find_col(const report *R, const char *metric)
{
    for (size_t i = 0; i < R->n_col; i++)
        if (!strcmp(R->col[i].def->name, metric))
            return &R->col[i];
    return NULL;
}

void hr_sec_verdict(buf *b, const report *R)
{
    const kn_verdict *v = &R->v;
    char lv[32], t[96];
    hr_pct_level(lv, sizeof lv, v->level > 0 && v->level < 1 ? v->level : R->s.level);
    kn_sb_puts(b, "<section id=\"verdict\">\n<h2>The verdict</h2>\n");
    size_t wins = 0;
    for (size_t i = 0; i < KN_VERDICT_METRICS; i++)
        if (v->line[i].winner == v->overall)
            wins++;
    if (v->overall < R->s.n_scen) {
        kn_sb_puts(b, "<div class=\"overall\"><p class=\"lead\">");
        hr_scen(b, R, v->overall);
        if (wins == KN_VERDICT_METRICS)
            kn_sb_printf(b, " comes out best: it leads on all %d headline metrics.</p>\n",
                         KN_VERDICT_METRICS);
        else
            kn_sb_printf(b, " comes out best: it leads on %zu of the %d headline metrics.</p>\n",
                         wins, KN_VERDICT_METRICS);
        if (v->why[0]) {
            kn_sb_puts(b, "<p>");
            hr_esc(b, v->why);
            kn_sb_puts(b, "</p>\n");
        }
        kn_sb_puts(b, "</div>\n");
    }
    kn_sb_puts(b, "<div class=\"cards\">\n");
    for (size_t i = 0; i < KN_VERDICT_METRICS; i++) {
        const kn_verdict_line *l = &v->line[i];
        if (!l->metric || l->winner >= R->s.n_scen)
            continue;
        const metric_def *d = hr_find_metric(l->metric);
        metric_def fallback = {l->metric, l->label ? l->label : l->metric, l->unit ? l->unit : "",
                               1.0, l->higher_is_better ? 1 : -1};
        if (!d)
            d = &fallback;
        const mcol *c = find_col(R, l->metric);
        int dec = c ? c->dec : hr_col_decimals(&l->mean, &l->lo, &l->hi, 1, d->scale);
        kn_sb_puts(b, "<div class=\"card\"><div class=\"metric\">");
        hr_esc(b, d->label);
        kn_sb_puts(b, "</div>\n<div class=\"who\">");
        hr_scen(b, R, l->winner);
        kn_sb_puts(b, "</div>\n<div class=\"val\">");
        b_metric_value(b, d, l->mean, dec);
        if (d->scale != 100.0 && d->unit[0] && strcmp(d->unit, "0\xe2\x80\x93" "1")) {
            kn_sb_puts(b, " ");
            hr_esc(b, strncmp(d->unit, "money ", 6) ? d->unit : d->unit + 6);
        }
        if (isfinite(l->lo) && isfinite(l->hi)) {
            kn_sb_printf(b, " <span class=\"note\">(%s CI ", lv);
            b_interval(b, l->lo, l->hi, d->scale, dec);
            kn_sb_puts(b, ")</span>");
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
            double hw = (dh - dl) / 2.0 * d->scale;
            int ddec = isfinite(hw) && hw > 0 ? (int)-floor(log10(hw)) : dec;
            ddec = ddec < 0 ? 0 : ddec > 4 ? 4 : ddec;
            /* an end of the interval that is not 0 must not print as 0 */
            for (; ddec < 4; ddec++) {
                char z1[96], z2[96];
                hr_fmt_fixed(z1, sizeof z1, dl * d->scale, ddec);
                hr_fmt_fixed(z2, sizeof z2, dh * d->scale, ddec);
                if ((dl == 0 || strspn(z1, "0.") != strlen(z1)) &&
                    (dh == 0 || strspn(z2, "0.") != strlen(z2)))
                    break;
            }
            kn_sb_printf(b, "<div class=\"lead-by\">%s than ", l->diff < 0 ? "Lower" : "Higher");
            hr_esc(b, R->s.scen_name[l->runner_up]);
            kn_sb_printf(b, " by %s", hr_fmt_fixed(t, sizeof t, fabs(l->diff) * d->scale, ddec));
            kn_sb_puts(b, d->scale == 100.0 ? "\xc2\xa0points" : "");
            if (isfinite(dl) && isfinite(dh)) {
                kn_sb_printf(b, " (paired %s CI ", lv);
                b_interval(b, dl, dh, d->scale, ddec);
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
                 "</div>\n<p class=\"note\">A lead is <b>clear</b> when its paired %s confidence "
                 "interval excludes zero: the same random customers and events are replayed under "
                 "each policy, so the difference is measured run by run.</p>\n</section>\n",
                 lv);
}

/* ---- the summary table ----------------------------------------------------------------- */

/* How often a key's value changes from one scenario to the next. */
static size_t key_changes(const keyval *k, size_t n)
{
    size_t c = 0;
    for (size_t i = 1; i < n; i++)
        c += k->is_str ? strcmp(k->str[i], k->str[i - 1]) != 0
                       : memcmp(k->num + i * k->cols, k->num + (i - 1) * k->cols,
                                k->cols * sizeof(double)) != 0;
    return c;
}

/* The keys that differ between scenarios (the varied keys of a sweep), the one that
 * varies slowest first, as the sweep's design lists them. */
static size_t varied_keys(const report *R, const keyval **out, size_t cap)
{
    size_t n = 0, ch[8];
    for (size_t i = 0; i < R->n_kv && n < cap && n < 8; i++)
        if (R->kv[i].differs) {
            size_t c = key_changes(&R->kv[i], R->s.n_scen), j = n++;
            for (; j > 0 && ch[j - 1] > c; j--) {
                out[j] = out[j - 1];
                ch[j] = ch[j - 1];
            }
            out[j] = &R->kv[i];
            ch[j] = c;
        }
    return n;
}

void hr_sec_summary(buf *b, const report *R)
{
    size_t n = R->s.n_scen, shown = n;
    char lv[32], t[96];
    hr_pct_level(lv, sizeof lv, R->s.level);
    const keyval *vk[8];
    size_t nvk = R->sweep ? varied_keys(R, vk, 8) : 0;
    if (R->sweep && shown > SWEEP_ROWS_MAX)
        shown = SWEEP_ROWS_MAX;
    kn_sb_puts(b, "<section id=\"summary\">\n<h2>Summary</h2>\n");
    kn_sb_printf(b, "<p>The mean of each metric over the successful replications of each %s, with "
                    "its %s confidence interval underneath. ",
                 R->sweep ? "point of the sweep" : "scenario", lv);
    if (n > 1)
        kn_sb_puts(b, "The best mean of each column is highlighted. ");
    kn_sb_puts(b, R->s.organisation
                      ? "Measured after the warm-up; money is in the model's units.</p>\n"
                      : "This is a queue model (no customers, staff or policy): the figures are "
                        "those of the service desk.</p>\n");
    if (shown < n)
        kn_sb_printf(b,
                     "<p class=\"note\">The sweep has %zu points; the first %zu are shown. Every "
                     "point is in <code>koning export FILE --format csv</code>.</p>\n",
                     n, shown);
    kn_sb_puts(b, "<div class=\"tablewrap\"><table class=\"summary\">\n<thead><tr>");
    if (nvk) {
        for (size_t k = 0; k < nvk; k++) {
            kn_sb_puts(b, "<th>");
            hr_key_breakable(b, vk[k]->key);
            kn_sb_puts(b, "</th>");
        }
    } else {
        kn_sb_puts(b, "<th>Scenario</th>");
    }
    for (size_t c = 0; c < R->n_col; c++) {
        kn_sb_puts(b, "<th class=\"num\">");
        hr_esc(b, R->col[c].def->label);
        kn_sb_puts(b, "<span class=\"unit\">");
        hr_esc(b, R->col[c].def->unit);
        kn_sb_puts(b, "</span></th>");
    }
    kn_sb_puts(b,
               "<th class=\"num\">Runs<span class=\"unit\">ok (failed)</span></th></tr></thead>\n"
               "<tbody>\n");
    /* the best printed mean of each column */
    char(*best)[96] = calloc(R->n_col ? R->n_col : 1, sizeof *best);
    for (size_t c = 0; best && c < R->n_col; c++) {
        const mcol *m = &R->col[c];
        double bv = NAN;
        for (size_t i = 0; i < n && m->def->better && n > 1; i++)
            if (isfinite(m->mean[i]) &&
                (isnan(bv) || (m->def->better > 0 ? m->mean[i] > bv : m->mean[i] < bv)))
                bv = m->mean[i];
        if (isfinite(bv))
            hr_fmt_fixed(best[c], sizeof best[c], bv * m->def->scale, m->dec);
    }
    for (size_t i = 0; i < shown; i++) {
        kn_sb_printf(b, "<tr data-scenario=\"%zu\">", i);
        if (nvk) {
            for (size_t k = 0; k < nvk; k++) {
                kn_sb_puts(b, "<td>");
                hr_keyval(b, vk[k], i);
                kn_sb_puts(b, "</td>");
            }
        } else {
            kn_sb_puts(b, "<td>");
            hr_scen(b, R, i);
            kn_sb_puts(b, "</td>");
        }
        for (size_t c = 0; c < R->n_col; c++) {
            const mcol *m = &R->col[c];
            hr_fmt_fixed(t, sizeof t, m->mean[i] * m->def->scale, m->dec);
            int is_best = best && best[c][0] && !strcmp(best[c], t);
            kn_sb_printf(b, "<td class=\"num%s\" data-metric=\"%s\" data-scale=\"%g\">%s",
                         is_best ? " best" : "", m->def->name, m->def->scale, t);
            if (m->lo && m->hi && isfinite(m->lo[i])) {
                kn_sb_puts(b, "<span class=\"ci\">");
                b_interval(b, m->lo[i], m->hi[i], m->def->scale, m->dec);
                kn_sb_puts(b, "</span>");
            } else if (!isfinite(m->mean[i])) {
                kn_sb_puts(b, "<span class=\"ci\">fewer than 2 runs</span>");
            }
            kn_sb_puts(b, "</td>");
        }
        kn_sb_printf(b, "<td class=\"num%s\">%.0f", R->n_failed[i] > 0 ? " failed" : "",
                     R->n_ok[i]);
        if (R->n_failed[i] > 0)
            kn_sb_printf(b, " (%.0f)", R->n_failed[i]);
        kn_sb_puts(b, "</td></tr>\n");
    }
    free(best);
    kn_sb_puts(b, "</tbody></table></div>\n");
    double failed = 0;
    for (size_t i = 0; i < n; i++)
        failed += R->n_failed[i];
    if (failed > 0)
        kn_sb_printf(b,
                     "<p class=\"note\">%.0f run%s failed; the summaries use the successful runs "
                     "only. The error of each failed run is in the results file (dataset "
                     "<code>error</code>).</p>\n",
                     failed, failed == 1 ? "" : "s");
    kn_sb_puts(b, "</section>\n");
}
