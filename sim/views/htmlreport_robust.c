/* htmlreport_robust.c - the report's section for a robust study (declared in
 * htmlreport_int.h): "Across plausible worlds". Per headline metric a table of the
 * policies (best in how many worlds, in the best set in how many, mean and worst regret,
 * the policy of least maximum regret); where each win flips, as sentences; which assumed
 * magnitudes each gap hinges on; and the ranges with their reasons. The numbers are the
 * ones `koning robust FILE.h5` prints (robust_verdict.h); the charts come with the
 * plotter's (plot_robust.c).
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "htmlreport_int.h"
#include "robust_verdict.h"

#define HR_TOP_KEYS 3

static const char *const labels[KN_RB_METRICS] = {"Customer retention", "Service quality",
                                                  "Staff turnover", "Profit"};

static void pct_ci(buf *b, double v, double lo, double hi)
{
    if (!isfinite(v)) {
        kn_sb_puts(b, "n/a");
        return;
    }
    kn_sb_printf(b, "%.0f\xc2\xa0%% <span class=\"ci\">[%.0f, %.0f]</span>", 100 * v, 100 * lo, 100 * hi);
}

static void regret(buf *b, size_t m, double v)
{
    char t[64];
    hr_esc(b, hr_fmt_fixed(t, sizeof t, v, m == 3 ? 0 : 4));
}

static void metric_table(buf *b, const kn_rb_verdict *rb, size_t m)
{
    size_t P = rb->n_policies;
    kn_sb_printf(b, "<h3>%s <span class=\"note\">(%s is better)</span></h3>\n", labels[m],
                 kn_rb_higher_better(m) ? "higher" : "lower");
    if (!rb->ok[m]) {
        kn_sb_puts(b, "<p class=\"note\">Not computed: ");
        hr_esc(b, rb->why_not[m]);
        kn_sb_puts(b, "</p>\n");
        return;
    }
    kn_sb_puts(b, "<div class=\"tablewrap\"><table>\n<thead><tr><th>Policy</th><th>Best in "
                  "(95\xc2\xa0% CI)</th><th>In the best set</th><th>Mean regret</th><th>Worst regret"
                  "</th></tr></thead>\n<tbody>\n");
    for (size_t p = 0; p < P; p++) {
        const kn_rb_policy *s = &rb->stats[m * P + p];
        int top = p == rb->top[m];
        kn_sb_printf(b, "<tr%s><td>", top ? " class=\"best\"" : "");
        hr_esc(b, rb->policy[p]);
        kn_sb_puts(b, "</td><td>");
        pct_ci(b, s->r.win_share, s->r.win_lo, s->r.win_hi);
        kn_sb_puts(b, "</td><td>");
        pct_ci(b, s->set_share, s->set_lo, s->set_hi);
        kn_sb_puts(b, "</td><td>");
        regret(b, m, s->r.mean_regret);
        kn_sb_puts(b, "</td><td>");
        regret(b, m, s->r.max_regret);
        kn_sb_puts(b, "</td></tr>\n");
    }
    kn_sb_puts(b, "</tbody></table></div>\n<p>Least maximum regret: <b>");
    hr_esc(b, rb->policy[rb->minimax[m]]);
    kn_sb_puts(b, "</b>");
    if (rb->failed[m])
        kn_sb_printf(b, "; %zu worlds were left out because a run failed", rb->failed[m]);
    kn_sb_puts(b, ".</p>\n");
}

static void hinge(buf *b, const kn_rb_verdict *rb)
{
    int any = 0;
    for (size_t g = 0; g < rb->n_gaps; g++)
        any |= rb->gap[g].sens != 0;
    kn_sb_puts(b, "<h3>What the gaps hinge on</h3>\n");
    if (!any) {
        kn_sb_puts(b, "<p class=\"note\">No sensitivity indices: ");
        hr_esc(b, rb->n_gaps ? rb->gap[0].why_none : "no gaps");
        kn_sb_puts(b, ".</p>\n");
        return;
    }
    int sobol = !strcmp(rb->design, "saltelli");
    kn_sb_printf(b, "<p>For each gap, the three magnitudes it depends on most: %s.</p>\n<ul>\n",
                 sobol ? "the total Sobol index S<sub>T</sub> (the share of the gap's variance across "
                         "worlds that involves the magnitude, interactions included) with its 95\xc2\xa0% "
                         "bootstrap interval, and the first-order index S<sub>1</sub> (the magnitude "
                         "alone)"
                       : "Morris's \xce\xbc* (the mean absolute change of the gap when the magnitude "
                         "moves across its range, in the metric's units) and \xcf\x83 (large when the "
                         "effect depends on the other magnitudes)");
    for (size_t gi = 0; gi < rb->n_gaps; gi++) {
        const kn_rb_gap *g = &rb->gap[gi];
        if (!g->sens)
            continue;
        kn_sb_puts(b, "<li>");
        hr_esc(b, kn_rb_metric_name(g->metric));
        kn_sb_puts(b, ", ");
        hr_esc(b, rb->policy[g->a]);
        kn_sb_puts(b, " \xe2\x88\x92 ");
        hr_esc(b, rb->policy[g->b]);
        kn_sb_puts(b, ": ");
        size_t taken[HR_TOP_KEYS], n = 0;
        while (n < HR_TOP_KEYS) {
            size_t best = SIZE_MAX;
            double bs = -INFINITY;
            for (size_t j = 0; j < rb->n_keys; j++) {
                double s = g->sens == 1 ? g->sobol[j].total : g->morris[j].mu_star;
                int t = 0;
                for (size_t i = 0; i < n; i++)
                    t |= taken[i] == j;
                if (!t && isfinite(s) && s > bs) {
                    bs = s;
                    best = j;
                }
            }
            if (best == SIZE_MAX)
                break;
            taken[n++] = best;
            kn_sb_puts(b, n > 1 ? "; <code>" : "<code>");
            hr_esc(b, rb->key[best]);
            kn_sb_puts(b, "</code> ");
            if (g->sens == 1)
                kn_sb_printf(b, "S<sub>T</sub> %.2f [%.2f, %.2f], S<sub>1</sub> %.2f", g->sobol[best].total,
                             g->sobol[best].total_lo, g->sobol[best].total_hi, g->sobol[best].first);
            else
                kn_sb_printf(b, "\xce\xbc* %.3g, \xcf\x83 %.3g", g->morris[best].mu_star,
                             g->morris[best].sigma);
        }
        kn_sb_puts(b, "</li>\n");
    }
    kn_sb_puts(b, "</ul>\n");
}

static void ranges(buf *b, const kn_rb_verdict *rb)
{
    kn_sb_printf(b, "<details><summary>The %zu ranges of the assumed magnitudes, and why</summary>\n"
                    "<div class=\"tablewrap\"><table class=\"keys\">\n<thead><tr><th>Key</th>"
                    "<th>Range</th><th>Spread</th><th>Reason or source</th></tr></thead>\n<tbody>\n",
                 rb->n_keys);
    for (size_t k = 0; k < rb->n_keys; k++) {
        char lo[64], hi[64];
        kn_sb_puts(b, "<tr><td><code>");
        hr_key_breakable(b, rb->key[k]);
        kn_sb_printf(b, "</code></td><td>%s\xe2\x80\x93%s</td><td>", hr_fmt_value(lo, sizeof lo, rb->low[k]),
                     hr_fmt_value(hi, sizeof hi, rb->high[k]));
        hr_esc(b, rb->spread[k]);
        kn_sb_puts(b, "</td><td>");
        hr_esc(b, rb->source[k]);
        kn_sb_puts(b, "</td></tr>\n");
    }
    kn_sb_puts(b, "</tbody></table></div>\n</details>\n");
}

void hr_sec_robust(buf *b, const report *R)
{
    const kn_rb_verdict *rb = R->rb;
    kn_sb_puts(b, "<section id=\"robust\">\n<h2>Across plausible worlds</h2>\n<p>");
    kn_sb_printf(b, "%zu policies, each run in %zu plausible worlds drawn by a %s design from the "
                    "ranges of %zu assumed magnitudes (<code>", rb->n_policies, rb->n_worlds,
                 !strcmp(rb->design, "saltelli") ? "Saltelli"
                 : !strcmp(rb->design, "morris") ? "Morris" : "Latin hypercube", rb->n_keys);
    hr_esc(b, rb->unc_file);
    kn_sb_printf(b, "</code>), %zu replications per policy and world on common random numbers",
                 rb->reps);
    if (rb->status_quo >= 0) {
        kn_sb_puts(b, "; every policy starts from ");
        hr_esc(b, rb->policy[rb->status_quo]);
        kn_sb_printf(b, " and switches after %.0f days", rb->switch_after);
    }
    kn_sb_puts(b, ". A policy is <em>best</em> in a world when its mean is best there; it is in "
                  "the <em>best set</em> when paired subset selection (Nelson et al. 2001) cannot "
                  "tell it from the best with that world's replications. Its <em>regret</em> in a "
                  "world is what it loses against that world's best.");
    if (rb->n_used != rb->n_worlds)
        kn_sb_printf(b, " Shares, regret and where it flips use the %zu worlds of the design's two "
                        "independent blocks.", rb->n_used);
    kn_sb_puts(b, "</p>\n");
    for (size_t m = 0; m < KN_RB_METRICS; m++)
        metric_table(b, rb, m);
    kn_sb_puts(b, "<h3>Where it flips</h3>\n<p>For each pair, how often the more frequent winner "
                  "wins, and where the exceptions lie: the box of assumed magnitudes that PRIM "
                  "(Friedman &amp; Fisher 1999, as in Bryant &amp; Lempert 2010) finds around them, "
                  "with its <em>coverage</em> (the share of the exceptions inside) and "
                  "<em>density</em> (the share of the worlds inside that are exceptions).</p>\n<ul>\n");
    for (size_t g = 0; g < rb->n_gaps; g++) {
        char s[1200];
        kn_sb_puts(b, "<li>");
        hr_esc(b, kn_rb_flip_sentence(rb, &rb->gap[g], s, sizeof s));
        kn_sb_puts(b, "</li>\n");
    }
    kn_sb_puts(b, "</ul>\n");
    hinge(b, rb);
    ranges(b, rb);
    kn_sb_puts(b, "<p class=\"note\">The ranges are assumptions too, and the magnitudes vary "
                  "independently of each other; a share of worlds is a share of this space of "
                  "assumptions, not a probability about the world (docs/robust.md).</p>\n</section>\n");
}
