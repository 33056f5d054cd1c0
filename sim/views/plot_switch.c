/* plot_switch.c - the charts of the switch from the status quo in `koning plot`:
 *
 *   switch-payback     the cumulative profit gap of each policy to the status quo by week
 *                      since the switch (mean and band), with each policy's payback week
 *                      and its interval in a strip underneath, on the same time axis;
 *   switch-transition  the four headline series by week since the switch, mean and band
 *                      per scenario, the line thin while the scenario settles and thick
 *                      over its steady-state window, a dot where the window starts.
 *
 * Both come from the verdict of the file (verdict.h): the status quo, the payback curves
 * (kn_verdict_payback_curves, the computation behind the payback weeks), the payback
 * weeks and the steady-state windows, so a chart cannot disagree with `koning verdict`.
 * A file without a status quo (no scenario switched from start.policy, e.g. a comparison
 * without --from) has neither chart: the note says why.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "payback.h"
#include "plot_int.h"
#include "verdict.h"

/* ---- the verdict the two charts share ---------------------------------------------------- */

void kn_pl_switch_free(plot_ctx *c)
{
    if (c->verdict) {
        kn_verdict_free(c->verdict);
        free(c->verdict);
        c->verdict = NULL;
    }
}

/* Why the file has no switch to draw: every scenario starts blank, or none of them is the
 * status quo the others switched from. */
static void no_status_quo_reason(plot_ctx *c)
{
    double *days = NULL;
    size_t n = 0;
    int any = 0;
    if (kn_h5r_exists(c->r, "start.days") &&
        kn_h5r_doubles(c->r, "start.days", &days, &n, NULL, NULL) == KN_OK)
        for (size_t s = 0; s < n; s++)
            any |= days[s] > 0.0;
    free(days);
    if (!any)
        snprintf(c->no_switch, sizeof c->no_switch,
                 "no switch to draw: every scenario starts blank (start.days = 0); koning compare "
                 "--from SQ.yaml starts them from a status quo and switches");
    else
        snprintf(c->no_switch, sizeof c->no_switch,
                 "no status quo: no scenario keeps the levers of start.policy after the switch, "
                 "so there is nothing to pay back against (koning compare --from SQ.yaml adds it)");
}

static kn_verdict *load_verdict(plot_ctx *c, kn_status *rc);

/* The file's verdict, computed once for both charts; NULL (with *rc KN_OK) when there is
 * no switch to draw, the chart skipped with c->no_switch saying why. */
static kn_verdict *switch_verdict(plot_ctx *c, const chart_plan *pl, kn_status *rc)
{
    kn_verdict *v = load_verdict(c, rc);
    if (!v && *rc == KN_OK)
        kn_pl_skip_note(c, pl->name, c->no_switch);
    return v;
}

static kn_verdict *load_verdict(plot_ctx *c, kn_status *rc)
{
    *rc = KN_OK;
    if (c->verdict_tried)
        return c->verdict;
    c->verdict_tried = 1;
    kn_verdict *v = calloc(1, sizeof *v);
    if (!v) {
        *rc = kn_pl_fail_run(c, KN_ENOMEM, "out of memory");
        return NULL;
    }
    kn_error e = {0};
    kn_status vr = kn_verdict_from_file(c->r, &c->st, v, &e);
    if (vr == KN_ENOMEM) {
        free(v);
        *rc = kn_pl_fail_run(c, KN_ENOMEM, "out of memory");
        return NULL;
    }
    if (vr != KN_OK) {
        const char *why = strstr(e.msg, "no verdict");
        snprintf(c->no_switch, sizeof c->no_switch, "%.300s", why ? why : e.msg);
        free(v);
        return NULL;
    }
    if (v->status_quo >= c->st.n_scen) {
        no_status_quo_reason(c);
        kn_verdict_free(v);
        free(v);
        return NULL;
    }
    c->verdict = v;
    return v;
}

/* "week" when a period is 7 days, else "period" (as koning verdict says it). */
static const char *period_word(const plot_ctx *c)
{
    return c->st.n_period && c->st.period_end[0] == 7.0 ? "week" : "period";
}

/* x of the end of period k on the chart's time axis: the end of the run for a last period
 * that the run ends inside. */
static double x_of(const plot_ctx *c, size_t k)
{
    double t = c->st.period_end[k];
    return (c->horizon > 0.0 && t > c->horizon ? c->horizon : t) / c->tscale;
}

/* ---- switch-payback ------------------------------------------------------------------------ */

/* The label of a policy's row in the payback strip: its name (a gnuplot expression) and
 * what its payback is, with weeks counted from 1 (week n ends n weeks after the switch). */
static void payback_label(plot_ctx *c, const kn_verdict *v, size_t s, char *out, size_t cap)
{
    const char *w = period_word(c);
    char lo[48], hi[48];
    size_t L = v->payback_lo[s], H = v->payback_hi[s];
    if (L == SIZE_MAX)
        snprintf(lo, sizeof lo, "none");
    else
        snprintf(lo, sizeof lo, "%zu", L + 1);
    if (H == SIZE_MAX)
        snprintf(hi, sizeof hi, "not within %zu", c->st.n_period);
    else
        snprintf(hi, sizeof hi, "%zu", H + 1);
    switch (v->payback_case[s]) {
    case KN_PAYBACK_NEVER_NEEDED:
        snprintf(out, cap, "no gap to pay back: the same profit as the status quo in every run");
        break;
    case KN_PAYBACK_AT_ONCE:
        snprintf(out, cap, "pays at once: ahead from %s 1 on [%s, %s]", w, lo, hi);
        break;
    case KN_PAYBACK_WITHIN:
        snprintf(out, cap, "pays back in %s %zu [%s, %s]", w, v->payback_week[s] + 1, lo, hi);
        break;
    case KN_PAYBACK_NOT_WITHIN:
        if (L == SIZE_MAX)
            snprintf(out, cap, "not paid back within %zu %ss", c->st.n_period, w);
        else
            snprintf(out, cap, "not paid back within %zu %ss (upper end of the band above 0 from %s %s)",
                     c->st.n_period, w, w, lo);
        break;
    default: snprintf(out, cap, "no payback computed"); break;
    }
}

kn_status kn_pl_chart_switch_payback(plot_ctx *c, const chart_plan *pl)
{
    kn_status rc;
    kn_verdict *v = switch_verdict(c, pl, &rc);
    if (!v)
        return rc;
    const kn_h5r_study *st = &c->st;
    size_t S = st->n_scen, P = st->n_period, q = v->status_quo, n = 0;
    double *mean = malloc(S * P * sizeof *mean), *lo = malloc(S * P * sizeof *lo),
           *hi = malloc(S * P * sizeof *hi);
    size_t *pairs = calloc(S, sizeof *pairs), *pol = malloc(S * sizeof *pol);
    FILE *f = NULL;
    sbuf b = {0};
    char title[256], caption[512], lv[16], text[256];
    if (!mean || !lo || !hi || !pairs || !pol) {
        rc = kn_pl_fail_run(c, KN_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = kn_verdict_payback_curves(c->r, st, v, mean, lo, hi, pairs, c->err)) != KN_OK) {
        c->bad_input = rc != KN_ENOMEM;
        goto done;
    }
    size_t pmin = SIZE_MAX, pmax = 0;
    for (size_t s = 0; s < S; s++)
        if (s != q && pairs[s] >= 2) {
            pol[n++] = s;
            pmin = pairs[s] < pmin ? pairs[s] : pmin;
            pmax = pairs[s] > pmax ? pairs[s] : pmax;
        }
    if (!n) {
        kn_pl_skip_note(c, pl->name, "no policy has two replications paired with the status quo");
        goto done;
    }
    kn_pl_level_phrase(c, lv, sizeof lv);
    snprintf(title, sizeof title, "Payback of the switch from %s: cumulative profit against it",
             st->scen_name[q]);
    kn_pl_copy_text(title, sizeof title, title);
    char runs[64];
    if (pmin == pmax)
        snprintf(runs, sizeof runs, "%zu", pmin);
    else
        snprintf(runs, sizeof runs, "%zu to %zu", pmin, pmax);
    snprintf(caption, sizeof caption,
             "mean of %s paired replications per policy; band: %s CI; dot: payback %s (the mean "
             "stays above 0 from then on); bar: its interval (arrow: beyond the run)",
             runs, lv, period_word(c));

    /* ---- the data ---- */
    if ((rc = kn_pl_open_out(c, "switch-payback.dat", &f)) != KN_OK)
        goto done;
    {
        sbuf h = {0};
        kn_sb_printf(&h, "# switch-payback.dat - written by koning plot: the cumulative profit gap of "
                         "each policy to the status quo ");
        kn_pl_sb_quote(&h, st->scen_name[q]);
        kn_sb_printf(&h,
                     ",\n# as koning verdict computes the payback weeks: per replication, the sum "
                     "from the switch to the end of\n# the period of profit_by_period (policy) minus "
                     "profit_by_period (status quo, same replication);\n# then the mean over the "
                     "replications both ran and its %s Student-t band. Money units.\n"
                     "# Block 0 (gnuplot index 0): a row at the switch (0), then one row per period:\n"
                     "# column 1: end_days (days since the switch; the last period ends with the run)\n"
                     "# column 2: time_%s (%s since the switch), the x axis\n",
                     lv, c->tunit, c->tunit);
        for (size_t j = 0; j < n; j++) {
            size_t s = pol[j], col = 3 + 4 * j;
            kn_sb_printf(&h, "# policy %zu, ", j + 1);
            kn_pl_sb_quote(&h, st->scen_name[s]);
            kn_sb_printf(&h, " (%zu paired replications): columns %zu-%zu: p%zu_mean p%zu_ci_low "
                             "p%zu_ci_high p%zu_n\n", pairs[s], col, col + 3, j + 1, j + 1, j + 1, j + 1);
        }
        kn_sb_printf(&h,
                     "# Block 1 (index 1): one row per policy, in the order above: 1 row (0 = top), "
                     "2 colour (0xRRGGBB),\n# 3 case (0 no gap, 1 at once, 2 within the run, 3 not "
                     "within, -1 none), 4-6 payback %s and its interval,\n# counted from 0 as in "
                     "koning verdict --json (NaN: not reached), 7-9 the same on the x axis (the end "
                     "of\n# that %s), 10 where the bar of the interval ends as drawn\n",
                     period_word(c), period_word(c));
        if (h.s)
            fputs(h.s, f);
        kn_sb_free(&h);
    }
    fprintf(f, "0 0");
    for (size_t j = 0; j < n; j++)
        fprintf(f, " 0 0 0 %zu", pairs[pol[j]]);
    fputc('\n', f);
    for (size_t k = 0; k < P; k++) {
        fprintf(f, "%.17g", x_of(c, k) * c->tscale);
        kn_pl_put_num(f, x_of(c, k));
        for (size_t j = 0; j < n; j++) {
            size_t s = pol[j];
            kn_pl_put_num(f, mean[s * P + k]);
            kn_pl_put_num(f, lo[s * P + k]);
            kn_pl_put_num(f, hi[s * P + k]);
            fprintf(f, " %zu", pairs[s]);
        }
        fputc('\n', f);
    }
    fputs("\n\n", f);
    double xmax = x_of(c, P - 1);
    for (size_t j = 0; j < n; j++) {
        size_t s = pol[j], wk[3] = {v->payback_week[s], v->payback_lo[s], v->payback_hi[s]};
        fprintf(f, "%zu %ld %d", j, strtol(c->colour[s] + 1, NULL, 16), v->payback_case[s]);
        for (int i = 0; i < 3; i++)
            kn_pl_put_num(f, wk[i] < P ? (double)wk[i] : NAN);
        for (int i = 0; i < 3; i++)
            kn_pl_put_num(f, wk[i] < P ? x_of(c, wk[i]) : NAN);
        kn_pl_put_num(f, wk[2] < P ? x_of(c, wk[2]) : xmax);
        fputc('\n', f);
    }
    rc = kn_pl_close_out(c, "switch-payback.dat", f);
    f = NULL;
    if (rc != KN_OK)
        goto done;

    /* ---- the script: the curves on top, the payback strip underneath ---- */
    double ylo = 0.0, yhi = 0.0; /* thousands; 0 is always in the range */
    for (size_t j = 0; j < n; j++)
        for (size_t k = 0; k < P; k++) {
            size_t i = pol[j] * P + k;
            double vals[3] = {mean[i], lo[i], hi[i]};
            for (int t = 0; t < 3; t++)
                if (isfinite(vals[t])) {
                    ylo = fmin(ylo, vals[t] / 1000.0);
                    yhi = fmax(yhi, vals[t] / 1000.0);
                }
        }
    static const metric_desc gap_desc = {"gap", "", "", "", "", "", "", "", 0, 0, 0, 0, 0, 0.0};
    kn_pl_y_range(&gap_desc, ylo, yhi, &ylo, &yhi);
    int row_px = 40, h = 700 + row_px * (int)n;
    double strip_top = (110.0 + row_px * (double)n + 14.0) / h, strip_bottom = 110.0 / h;
    kn_pl_gp_head(c, &b, pl->name);
    kn_pl_gp_scenario_vars(c, &b);
    kn_pl_gp_loop_open(c, &b, pl->name, 1200, h);
    kn_sb_printf(&b, "  set multiplot\n");
    kn_pl_gp_title(&b, "  ", title);
    kn_pl_gp_caption(&b, "  ", caption);
    size_t maxc = 4;
    for (size_t j = 0; j < n; j++)
        maxc = kn_pl_utf8_len(c->disp[pol[j]]) > maxc ? kn_pl_utf8_len(c->disp[pol[j]]) : maxc;
    double right = kn_pl_gp_key_right(&b, "  ", maxc);
    kn_sb_printf(&b, "  # the cumulative gap, in thousands\n"
                     "  set lmargin at screen 0.105; set rmargin at screen %.4f\n"
                     "  set tmargin at screen 0.9; set bmargin at screen %.4f\n",
                 right, strip_top + 0.025);
    kn_sb_printf(&b, "  set xrange [0:%.10g]\n  set format x ''\n  unset xlabel\n", xmax);
    kn_sb_printf(&b, "  set yrange [%.10g:%.10g]\n", ylo, yhi);
    kn_sb_printf(&b, "  set ylabel 'cumulative profit gap (thousand money units)'\n");
    kn_sb_printf(&b, "  set xzeroaxis linetype 1 linewidth 2 linecolor rgb '#303030'\n");
    kn_sb_printf(&b, "  set label 1 '0 = '.name%zu.' (the status quo)' at graph 0.01, first 0 "
                     "offset 0, 0.75 left font ',12' textcolor rgb '#303030' noenhanced\n",
                 q + 1);
    const char *sep = "  plot ";
    for (size_t j = 0; j < n; j++) {
        kn_sb_printf(&b, "%sdatafile index 0 using 2:($%zu/1000):($%zu/1000) with filledcurves "
                         "fillcolor rgb colour%zu fillstyle transparent solid 0.2 noborder notitle",
                     sep, 4 + 4 * j, 5 + 4 * j, pol[j] + 1);
        sep = ", \\\n       ";
    }
    for (size_t j = 0; j < n; j++)
        kn_sb_printf(&b, "%sdatafile index 0 using 2:($%zu/1000) with lines linewidth 3 "
                         "linecolor rgb colour%zu title name%zu noenhanced",
                     sep, 3 + 4 * j, pol[j] + 1, pol[j] + 1);
    kn_sb_printf(&b, "%sdatafile index 1 using 7:(0):2 with points pointtype 7 pointsize 1.8 "
                     "linecolor rgb variable notitle\n", sep);
    kn_sb_printf(&b, "  unset label 1; unset label 98; unset label 99; unset xzeroaxis\n");

    kn_sb_printf(&b, "  # the payback strip: one row per policy\n"
                     "  set tmargin at screen %.4f; set bmargin at screen %.4f\n"
                     "  unset key\n  set format x '%% h'\n  set xlabel '%s since the switch'\n"
                     "  set yrange [%.1f:-0.7]\n  set ytics 1 format '' scale 0\n"
                     "  set grid xtics noytics\n  unset ylabel\n",
                 strip_top, strip_bottom, c->tunit, (double)n - 0.3);
    for (size_t j = 0; j < n; j++) {
        size_t s = pol[j], L = v->payback_lo[s], H = v->payback_hi[s];
        payback_label(c, v, s, text, sizeof text);
        kn_sb_printf(&b, "  set label %zu name%zu.': '.", 10 + j, s + 1);
        kn_pl_sb_quote(&b, text);
        kn_sb_printf(&b, " at graph 0.005, first %.2f left font ',12' textcolor rgb colour%zu "
                         "noenhanced front\n", (double)j - 0.3, s + 1);
        if (L < P) /* the interval: a bar, an arrow when it runs past the end */
            kn_sb_printf(&b, "  set arrow %zu from %.10g, %.2f to %.10g, %.2f %s linewidth 4 "
                             "linecolor rgb colour%zu\n",
                         10 + j, x_of(c, L), (double)j + 0.18, H < P ? x_of(c, H) : xmax,
                         (double)j + 0.18, H < P ? "nohead" : "head filled size screen 0.012,25",
                         s + 1);
    }
    kn_sb_printf(&b, "  plot datafile index 1 using 7:($1+0.18):2 with points pointtype 7 "
                     "pointsize 2 linecolor rgb variable notitle\n");
    kn_sb_printf(&b, "  unset arrow\n  unset label\n  unset multiplot\n");
    kn_pl_gp_loop_close(&b);
    rc = kn_pl_chart_done(c, pl->name, &b, title, caption);
done:
    if (f)
        fclose(f);
    kn_sb_free(&b);
    free(mean);
    free(lo);
    free(hi);
    free(pairs);
    free(pol);
    return rc;
}

/* ---- switch-transition --------------------------------------------------------------------- */

kn_status kn_pl_chart_switch_transition(plot_ctx *c, const chart_plan *pl)
{
    kn_status rc;
    kn_verdict *v = switch_verdict(c, pl, &rc);
    if (!v)
        return rc;
    const kn_h5r_study *st = &c->st;
    size_t S = st->n_scen, P = st->n_period, pd = c->p_draw;
    kn_pl_series ss[4];
    memset(ss, 0, sizeof ss);
    FILE *f = NULL;
    sbuf b = {0};
    char title[256], caption[512], lv[16], runs[96];
    for (size_t i = 0; i < 4 && i < pl->nm; i++) {
        if ((rc = kn_pl_series_load(c, pl->m[i], &ss[i])) != KN_OK)
            goto done;
        if (!ss[i].ok) {
            char why[160];
            snprintf(why, sizeof why, "no values of %s in the file", pl->m[i]->series);
            kn_pl_skip_note(c, pl->name, why);
            goto done;
        }
    }
    snprintf(title, sizeof title, "After the switch from %s: the way to the steady state",
             st->scen_name[v->status_quo]);
    kn_pl_copy_text(title, sizeof title, title);
    kn_pl_runs_phrase(c, runs, sizeof runs, "scenario");
    kn_pl_level_phrase(c, lv, sizeof lv);
    snprintf(caption, sizeof caption,
             "%s; band: %s CI of the mean; thin line: settling after the switch; thick, from the "
             "dot: the steady-state window (MSER-5, as in koning verdict)", runs, lv);

    /* ---- the data: one block per metric, then the windows ---- */
    if ((rc = kn_pl_open_out(c, "switch-transition.dat", &f)) != KN_OK)
        goto done;
    {
        sbuf h = {0};
        kn_sb_printf(&h, "# switch-transition.dat - written by koning plot: per period since the "
                         "switch, the mean of each headline\n# series over the successful runs of "
                         "each scenario and its %s Student-t interval. Blocks (gnuplot index):", lv);
        for (size_t i = 0; i < 4; i++)
            kn_sb_printf(&h, " %zu %s%s (%s);", i, ss[i].m->series,
                         ss[i].m->rolling_days > 0.0 ? ", each run's trailing 13-week mean"
                         : ss[i].m->per_week             ? " per week"
                                                         : "",
                         ss[i].m->unit);
        kn_sb_printf(&h, "\n# 4 the steady-state windows. NaN: no value.\n"
                         "# Blocks 0-3: column 1: period_end_days (days since the switch), column "
                         "2: time_%s, the x axis;\n", c->tunit);
        for (size_t s = 0; s < S; s++) {
            kn_sb_printf(&h, "#   scenario %zu, ", s + 1);
            kn_pl_sb_quote(&h, st->scen_name[s]);
            kn_sb_printf(&h, ": columns %zu-%zu: s%zu_mean s%zu_ci_low s%zu_ci_high s%zu_n\n",
                         3 + 4 * s, 6 + 4 * s, s + 1, s + 1, s + 1, s + 1);
        }
        kn_sb_printf(&h, "# Block 4: one row per scenario: 1 scenario (1 = first), 2 colour "
                         "(0xRRGGBB), 3 the window's first\n# period (from 0, koning verdict "
                         "--json's steady_from_period), 4 its end on the x axis, 5 steady (1) or\n"
                         "# still drifting (0), 6-9 the drift a year of each series over the "
                         "window (profit: per week)\n");
        if (h.s)
            fputs(h.s, f);
        kn_sb_free(&h);
    }
    for (size_t i = 0; i < 4; i++) {
        for (size_t k = 0; k < P; k++) {
            fprintf(f, "%.17g", st->period_end[k]);
            kn_pl_put_num(f, st->period_end[k] / c->tscale);
            for (size_t s = 0; s < S; s++) {
                size_t j = s * P + k;
                kn_pl_put_num(f, ss[i].mean[j]);
                kn_pl_put_num(f, ss[i].lo[j]);
                kn_pl_put_num(f, ss[i].hi[j]);
                fprintf(f, " %.0f", ss[i].cnt[j]);
            }
            fputc('\n', f);
        }
        fputs("\n\n", f);
    }
    for (size_t s = 0; s < S; s++) {
        fprintf(f, "%zu %ld %zu", s + 1, strtol(c->colour[s] + 1, NULL, 16), v->from[s]);
        kn_pl_put_num(f, v->from[s] < P ? st->period_end[v->from[s]] / c->tscale : NAN);
        fprintf(f, " %d", v->steady[s]);
        for (size_t h = 0; h < KN_VERDICT_METRICS; h++)
            kn_pl_put_num(f, v->drift[s * KN_VERDICT_METRICS + h]);
        fputc('\n', f);
    }
    rc = kn_pl_close_out(c, "switch-transition.dat", f);
    f = NULL;
    if (rc != KN_OK)
        goto done;

    /* ---- the script: 2 x 2 panels, the legend across the top ---- */
    /* the legend gets the rows its entries need (about 9 px a character at 15 points, a
     * little more than Sans takes), the panels 330 px each under it */
    size_t maxc = 4;
    for (size_t s = 0; s < S; s++) {
        size_t len = kn_pl_utf8_len(c->disp[s]) + (v->steady[s] ? 0 : 17);
        maxc = len > maxc ? len : maxc;
    }
    int W = 1200, cols = (int)(1128.0 / (9.0 * (double)(maxc + 7)));
    cols = cols < 1 ? 1 : cols > (int)S ? (int)S : cols;
    int rows = ((int)S + cols - 1) / cols;
    double leg_top = 62.0, leg_h = 27.0 * rows + 10.0, top_px = leg_top + leg_h + 58.0;
    int H = (int)(top_px + 2 * 330.0 + 72.0 + 112.0);
    double left = 0.085, gapx = 0.12, right = 0.985, top = 1.0 - top_px / H, bottom = 112.0 / H;
    double gapy = 72.0 / H;
    double pw = (right - left - gapx) / 2.0, ph = (top - bottom - gapy) / 2.0;
    kn_pl_gp_head(c, &b, pl->name);
    kn_pl_gp_scenario_vars(c, &b);
    kn_sb_printf(&b, "# the legend text of each scenario: its name, and whether it reaches a steady "
                     "state within the run\n");
    for (size_t s = 0; s < S; s++)
        kn_sb_printf(&b, "legend%zu = name%zu%s\n", s + 1, s + 1,
                     v->steady[s] ? "" : ".' (still drifting)'");
    kn_pl_gp_loop_open(c, &b, pl->name, W, H);
    kn_sb_printf(&b, "  set multiplot\n");
    kn_pl_gp_title(&b, "  ", title);
    kn_pl_gp_caption(&b, "  ", caption);
    /* the legend across the top, laid out here (gnuplot's own horizontal key falls back to
     * one column when it doubts the names fit): a line sample and the text, row by row */
    kn_sb_printf(&b, "  # the legend across the top: a sample and the text of each scenario\n"
                     "  set lmargin at screen 0.03; set rmargin at screen 0.97\n"
                     "  set tmargin at screen %.4f; set bmargin at screen %.4f\n"
                     "  unset border; unset xtics; unset ytics; unset grid; unset key\n"
                     "  set xrange [0:1]; set yrange [0:1]\n",
                 1.0 - leg_top / H, 1.0 - (leg_top + leg_h) / H);
    for (size_t s = 0; s < S; s++) {
        double x0 = 0.03 + (double)(s % (size_t)cols) * 0.94 / cols;
        double y = 1.0 - (leg_top + 14.0 + 27.0 * (double)(s / (size_t)cols)) / H;
        kn_sb_printf(&b, "  set arrow %zu from screen %.4f, screen %.4f to screen %.4f, screen %.4f "
                         "nohead linewidth 3.2 linecolor rgb colour%zu\n"
                         "  set label %zu legend%zu at screen %.4f, screen %.4f left noenhanced\n",
                     200 + s, x0, y, x0 + 0.035, y, s + 1, 200 + s, s + 1, x0 + 0.045, y);
    }
    kn_sb_printf(&b, "  plot NaN notitle\n  unset arrow; unset label\n"
                     "  set border 3 linewidth 1.2 linecolor rgb '#404040'\n"
                     "  set xtics; set ytics; set tics nomirror out scale 0.6 textcolor rgb '#202020'\n"
                     "  set grid xtics ytics\n");
    const char *sep;
    kn_sb_printf(&b, "  set xrange [0:%.10g]\n", c->xmax / c->tscale);
    for (size_t i = 0; i < 4; i++) {
        size_t row = i / 2, colm = i % 2;
        double x0 = left + (double)colm * (pw + gapx), y1 = top - (double)row * (ph + gapy);
        double lo = INFINITY, hi = -INFINITY;
        for (size_t s = 0; s < S; s++)
            for (size_t k = 0; k < pd; k++) {
                size_t j = s * P + k;
                double vals[3] = {ss[i].mean[j], ss[i].lo[j], ss[i].hi[j]};
                for (int t = 0; t < 3; t++)
                    if (isfinite(vals[t])) {
                        lo = fmin(lo, vals[t]);
                        hi = fmax(hi, vals[t]);
                    }
            }
        double ylo, yhi;
        kn_pl_y_range(ss[i].m, lo, hi, &ylo, &yhi);
        kn_sb_printf(&b, "  # %s\n  set lmargin at screen %.4f; set rmargin at screen %.4f\n"
                         "  set tmargin at screen %.4f; set bmargin at screen %.4f\n",
                     ss[i].m->label, x0, x0 + pw, y1, y1 - ph);
        kn_sb_printf(&b, "  set title '%s' font ',15'\n  set ylabel '%s' font ',12'\n"
                         "  set yrange [%.10g:%.10g]\n",
                     ss[i].m->title, ss[i].m->short_axis, ylo, yhi);
        if (kn_pl_nice_step(ylo, yhi, 5) > 0.0)
            kn_sb_printf(&b, "  set ytics %.10g\n", kn_pl_nice_step(ylo, yhi, 5));
        if (row == 1)
            kn_sb_printf(&b, "  set format x '%% h'\n  set xlabel '%s since the switch'\n", c->tunit);
        else
            kn_sb_printf(&b, "  set format x ''\n  unset xlabel\n");
        sep = "  plot ";
        for (size_t s = 0; s < S; s++) {
            kn_sb_printf(&b, "%sdatafile index %zu every ::0::%zu using 2:%zu:%zu with filledcurves "
                             "fillcolor rgb colour%zu fillstyle transparent solid 0.18 noborder notitle",
                         sep, i, pd ? pd - 1 : 0, 4 + 4 * s, 5 + 4 * s, s + 1);
            sep = ", \\\n       ";
        }
        for (size_t s = 0; s < S; s++) {
            size_t from = v->from[s] < pd ? v->from[s] : pd ? pd - 1 : 0;
            size_t mcol = 3 + 4 * s;
            if (from > 0) /* settling: thin */
                kn_sb_printf(&b, "%sdatafile index %zu every ::0::%zu using 2:%zu with lines "
                                 "linewidth 1.3 linecolor rgb colour%zu notitle",
                             sep, i, from, mcol, s + 1);
            kn_sb_printf(&b, "%sdatafile index %zu every ::%zu::%zu using 2:%zu with lines "
                             "linewidth 3.2 linecolor rgb colour%zu ",
                         sep, i, from, pd ? pd - 1 : 0, mcol, s + 1);
            kn_sb_printf(&b, "notitle%sdatafile index %zu every ::%zu::%zu using 2:%zu with points "
                             "pointtype 7 pointsize 1.3 linecolor rgb colour%zu notitle",
                         sep, i, from, from, mcol, s + 1);
        }
        kn_sb_printf(&b, "\n");
    }
    kn_sb_printf(&b, "  unset multiplot\n  unset title\n");
    kn_pl_gp_loop_close(&b);
    rc = kn_pl_chart_done(c, pl->name, &b, title, caption);
done:
    if (f)
        fclose(f);
    kn_sb_free(&b);
    for (size_t i = 0; i < 4; i++)
        kn_pl_series_free(&ss[i]);
    return rc;
}
