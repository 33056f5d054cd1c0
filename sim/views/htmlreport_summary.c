/* htmlreport_summary.c - the summary table of `koning report` (declared in
 * htmlreport_int.h; the verdict is in htmlreport_verdict.c).
 *
 * The table gives the mean of each metric in each scenario (or each point of a sweep,
 * labelled by the keys the sweep varies) with its confidence interval, the best mean of
 * each column highlighted, and the runs that succeeded and failed.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "htmlreport_int.h"

#define SWEEP_ROWS_MAX 50  /* rows of the summary table of a sweep before it is cut */

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
                hr_interval(b, m->lo[i], m->hi[i], m->def->scale, m->dec);
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
