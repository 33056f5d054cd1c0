/* plot_series.c - the time-series charts of `koning plot`: per period, the mean of a
 * metric over the runs of each scenario with the confidence band of the mean, faint
 * individual runs and the warm-up shaded; one metric a chart, two stacked panels
 * (morale and exhaustion), or small multiples (rows = metrics, columns = scenarios).
 * The per-period statistics are computed here, from the file's [run, period] series.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "koning/stats.h"
#include "plot_int.h"

#define BLOCK_ROWS 256 /* runs read at once from a [run, period] series */

/* ---- per-period statistics of a series ------------------------------------------------- */

typedef struct series {
    const metric_desc *m;
    int ok;             /* 0: missing or no finite value */
    size_t S, P, R;     /* scenarios, periods, faint runs kept at most per scenario */
    double *mean, *lo, *hi, *cnt; /* [S * P] */
    double *runs;       /* [S * R * P] */
    size_t *nruns;      /* [S] faint runs kept */
    size_t *run_row;    /* [S * R] their rows in the run table */
    double ymin, ymax;  /* over the means and bands, and the 5-95 % of the faint runs' values */
} series;

static void series_free(series *s)
{
    free(s->mean);
    free(s->lo);
    free(s->hi);
    free(s->cnt);
    free(s->runs);
    free(s->nruns);
    free(s->run_row);
    memset(s, 0, sizeof *s);
}

/* Length in days of period p of scenario s (the last may be shorter; 0 past the end). */
static double period_len(const plot_ctx *c, size_t s, size_t p)
{
    double end = c->st.period_end[p], start = p ? c->st.period_end[p - 1] : 0.0;
    if (isfinite(c->st.days[s]) && c->st.days[s] < end)
        end = c->st.days[s];
    return end > start ? end - start : 0.0;
}

/* Replace row[p] by the mean of the row's finite values over the periods that end in the
 * trailing window (end of p - days, end of p], weighted by period length (the window is
 * shorter at the start of the run). Quits are rare events: a week's turnover is 0 or a
 * spike, while a quarter's, annualised, is what HR reports. */
static void trailing_mean(const plot_ctx *c, size_t s, double *row, size_t P, double days)
{
    const double *end = c->st.period_end;
    double *out = malloc(P * sizeof *out);
    if (!out)
        return;
    for (size_t p = 0; p < P; p++) {
        double sum = 0.0, w = 0.0;
        for (size_t q = p + 1; q-- > 0 && end[q] > end[p] - days - 1e-9;) {
            double len = period_len(c, s, q);
            if (isfinite(row[q]) && len > 0.0) {
                sum += row[q] * len;
                w += len;
            }
        }
        out[p] = w > 0.0 ? sum / w : NAN;
    }
    memcpy(row, out, P * sizeof *row);
    free(out);
}

/* Mean, Student-t interval and count per (scenario, period) over the successful runs,
 * in one pass over the run table (Welford's update), and the first R runs of each
 * scenario for the faint lines. */
static kn_status series_load(plot_ctx *c, const metric_desc *m, series *ss)
{
    const kn_h5r_study *st = &c->st;
    size_t S = st->n_scen, P = st->n_period;
    size_t R = c->max_runs < c->n_ok_max ? c->max_runs : c->n_ok_max; /* faint runs kept */
    memset(ss, 0, sizeof *ss);
    ss->m = m;
    ss->S = S;
    ss->P = P;
    ss->R = R;
    if (!P || !kn_h5r_exists(c->r, m->series))
        return KN_OK;
    size_t SP = S * P;
    double *m2 = calloc(SP, sizeof *m2), *buf = malloc((size_t)BLOCK_ROWS * P * sizeof *buf);
    ss->mean = calloc(SP, sizeof *ss->mean);
    ss->lo = malloc(SP * sizeof *ss->lo);
    ss->hi = malloc(SP * sizeof *ss->hi);
    ss->cnt = calloc(SP, sizeof *ss->cnt);
    size_t nrun_vals = S * R * P, nrun_rows = S * R;
    ss->runs = malloc((nrun_vals > 0 ? nrun_vals : 1) * sizeof *ss->runs);
    ss->nruns = calloc(S, sizeof *ss->nruns);
    ss->run_row = calloc(nrun_rows > 0 ? nrun_rows : 1, sizeof *ss->run_row);
    kn_status rc = KN_OK;
    if (!m2 || !buf || !ss->mean || !ss->lo || !ss->hi || !ss->cnt || !ss->runs || !ss->nruns ||
        !ss->run_row) {
        rc = kn_pl_fail_run(c, KN_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t row0 = 0; row0 < st->n_run; row0 += BLOCK_ROWS) {
        size_t nrows = st->n_run - row0 < BLOCK_ROWS ? st->n_run - row0 : BLOCK_ROWS;
        if ((rc = kn_h5r_rows(c->r, m->series, row0, nrows, buf, c->err)) != KN_OK) {
            c->bad_input = 1;
            goto done;
        }
        for (size_t i = 0; i < nrows; i++) {
            size_t run = row0 + i;
            if (!st->run_ok[run])
                continue;
            size_t s = (size_t)st->run_scenario[run];
            double *row = buf + i * P;
            if (m->per_week)
                for (size_t p = 0; p < P; p++) {
                    double len = period_len(c, s, p);
                    row[p] = len > 0.0 ? row[p] * 7.0 / len : NAN;
                }
            if (m->rolling_days > 0.0)
                trailing_mean(c, s, row, P, m->rolling_days);
            for (size_t p = 0; p < P; p++) {
                double v = row[p];
                if (!isfinite(v))
                    continue;
                size_t k = s * P + p;
                double n = ++ss->cnt[k], d = v - ss->mean[k];
                ss->mean[k] += d / n;
                m2[k] += d * (v - ss->mean[k]);
            }
            if (ss->nruns[s] < R) {
                memcpy(ss->runs + (s * R + ss->nruns[s]) * P, row, P * sizeof *row);
                ss->run_row[s * R + ss->nruns[s]] = run;
                ss->nruns[s]++;
            }
        }
    }
    ss->ymin = INFINITY;
    ss->ymax = -INFINITY;
    double tn = 0.0, t = NAN; /* the last quantile computed, reused while n repeats */
    for (size_t k = 0; k < SP; k++) {
        double n = ss->cnt[k];
        if (n < 1.0) {
            ss->mean[k] = ss->lo[k] = ss->hi[k] = NAN;
            continue;
        }
        ss->ok = 1;
        if (n < 2.0) {
            ss->lo[k] = ss->hi[k] = NAN;
        } else {
            if (n != tn) {
                t = kn_t_quantile(0.5 + st->level / 2.0, n - 1.0);
                tn = n;
            }
            double hw = t * sqrt(m2[k] / (n - 1.0)) / sqrt(n);
            ss->lo[k] = ss->mean[k] - hw;
            ss->hi[k] = ss->mean[k] + hw;
        }
        double vals[3] = {ss->mean[k], ss->lo[k], ss->hi[k]};
        for (int j = 0; j < 3 && k % P < c->p_draw; j++)
            if (isfinite(vals[j])) {
                ss->ymin = fmin(ss->ymin, vals[j]);
                ss->ymax = fmax(ss->ymax, vals[j]);
            }
    }
    /* the faint runs count for the y range only between their 5 % and 95 % quantiles:
     * a few wild runs (or the 0-or-spike weeks of staff turnover) are clipped rather
     * than squeezing the means into a corner */
    size_t nv = 0;
    double *vals = malloc((nrun_vals > 0 ? nrun_vals : 1) * sizeof *vals);
    if (!vals) {
        rc = kn_pl_fail_run(c, KN_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t s = 0; s < S; s++)
        for (size_t j = 0; j < ss->nruns[s] * P; j++) {
            double v = ss->runs[s * R * P + j];
            if (isfinite(v) && j % P < c->p_draw)
                vals[nv++] = v;
        }
    if (nv && !m->hide_runs) {
        qsort(vals, nv, sizeof *vals, kn_pl_cmp_double);
        ss->ymin = fmin(ss->ymin, vals[(size_t)(0.05 * (double)(nv - 1))]);
        ss->ymax = fmax(ss->ymax, vals[(size_t)ceil(0.95 * (double)(nv - 1))]);
    }
    free(vals);
done:
    free(m2);
    free(buf);
    if (rc != KN_OK)
        series_free(ss);
    return rc;
}

/* ---- the parts of a time-series chart -------------------------------------------------- */

/* runsN: whether the faint runs of panel block N are drawn. */
static void gp_runs_vars(sbuf *b, const series *ss, size_t n)
{
    kn_sb_printf(b, "# individual runs (faint lines): 1 draws them, 0 hides them\n");
    for (size_t i = 0; i < n; i++)
        kn_sb_printf(b, "runs%zu = %d  # %s\n", i + 1, !ss[i].m->hide_runs, ss[i].m->series);
}

static size_t max_name_len(const plot_ctx *c)
{
    size_t n = 4;
    for (size_t s = 0; s < c->st.n_scen; s++)
        n = kn_pl_utf8_len(c->disp[s]) > n ? kn_pl_utf8_len(c->disp[s]) : n;
    return n;
}

static void time_caption(const plot_ctx *c, const series *ss, int hidden_runs, char *out,
                         size_t cap)
{
    char runs[96], lv[16];
    kn_pl_runs_phrase(c, runs, sizeof runs, "scenario");
    kn_pl_level_phrase(c, lv, sizeof lv);
    size_t faint = 0;
    for (size_t s = 0; s < ss->S; s++)
        faint = ss->nruns[s] > faint ? ss->nruns[s] : faint;
    int k = snprintf(out, cap, "%s; band: %s CI of the mean", runs, lv);
    if (faint && ss->m->hide_runs && k > 0 && (size_t)k < cap)
        k += snprintf(out + k, cap - (size_t)k, "; individual runs in the .dat, not drawn");
    if (faint && !ss->m->hide_runs && k > 0 && (size_t)k < cap)
        k += snprintf(out + k, cap - (size_t)k, "; faint lines: individual runs (%zu per scenario%s)",
                      faint, hidden_runs ? ", not for turnover" : "");
    if (c->warmup > 0.0 && k > 0 && (size_t)k < cap)
        k += snprintf(out + k, cap - (size_t)k, "; grey: warm-up (%g days)", c->warmup);
    if (ss->m->per_week && k > 0 && (size_t)k < cap)
        k += snprintf(out + k, cap - (size_t)k, "; totals per period shown per week");
    if (c->cut_days > 0.0 && k > 0 && (size_t)k < cap)
        snprintf(out + k, cap - (size_t)k, "; last %g-day period not drawn", c->cut_days);
}

/* Columns of scenario s in a series block: mean, ci_low, ci_high, n, then the runs. */
static size_t series_col(const series *ss, size_t s)
{
    size_t col = 3;
    for (size_t q = 0; q < s; q++)
        col += 4 + ss->nruns[q];
    return col;
}

static void series_dat_header(plot_ctx *c, FILE *f, const series *ss)
{
    sbuf h = {0};
    char lv[16];
    kn_pl_level_phrase(c, lv, sizeof lv);
    kn_sb_printf(&h,
                 "# column 1: period_end_days (days): end of the period, days since the start of the observation\n");
    kn_sb_printf(&h, "# column 2: time_%s (%s): the same, the x axis\n", c->tunit, c->tunit);
    for (size_t s = 0; s < ss->S; s++) {
        size_t col = series_col(ss, s);
        kn_sb_printf(&h, "# scenario %zu, ", s + 1);
        kn_pl_sb_quote(&h, c->st.scen_name[s]);
        kn_sb_printf(&h, " (%zu successful runs):\n", c->n_ok[s]);
        kn_sb_printf(&h, "#   column %zu: s%zu_mean (%s): mean over the runs\n", col, s + 1, ss->m->unit);
        kn_sb_printf(&h, "#   column %zu: s%zu_ci_low (%s), column %zu: s%zu_ci_high: %s Student-t "
                         "interval of the mean\n", col + 1, s + 1, ss->m->unit, col + 2, s + 1, lv);
        kn_sb_printf(&h, "#   column %zu: s%zu_n (runs): runs with a value in the period\n", col + 3, s + 1);
        if (ss->nruns[s]) {
            kn_sb_printf(&h,
                         "#   columns %zu-%zu: s%zu_run1..s%zu_run%zu (%s): individual runs, rows",
                         col + 4, col + 3 + ss->nruns[s], s + 1, s + 1, ss->nruns[s], ss->m->unit);
            for (size_t k = 0; k < ss->nruns[s]; k++)
                kn_sb_printf(&h, " %zu", ss->run_row[s * ss->R + k]);
            kn_sb_printf(&h, " of the run table\n");
        }
    }
    kn_sb_printf(&h, "# period_end_days time_%s", c->tunit);
    for (size_t s = 0; s < ss->S; s++) {
        kn_sb_printf(&h, " s%zu_mean s%zu_ci_low s%zu_ci_high s%zu_n", s + 1, s + 1, s + 1, s + 1);
        for (size_t k = 0; k < ss->nruns[s]; k++)
            kn_sb_printf(&h, " s%zu_run%zu", s + 1, k + 1);
    }
    kn_sb_printf(&h, "\n");
    if (h.s)
        fputs(h.s, f);
    kn_sb_free(&h);
}

static void series_dat_block(plot_ctx *c, FILE *f, const series *ss)
{
    for (size_t p = 0; p < ss->P; p++) {
        double t = c->st.period_end[p];
        fprintf(f, "%.17g", t);
        kn_pl_put_num(f, t / c->tscale);
        for (size_t s = 0; s < ss->S; s++) {
            size_t k = s * ss->P + p;
            kn_pl_put_num(f, ss->mean[k]);
            kn_pl_put_num(f, ss->lo[k]);
            kn_pl_put_num(f, ss->hi[k]);
            fprintf(f, " %.0f", ss->cnt[k]);
            for (size_t j = 0; j < ss->nruns[s]; j++) {
                double v = ss->runs[(s * ss->R + j) * ss->P + p];
                if (isfinite(v))
                    fprintf(f, " %.10g", v);
                else
                    fputs(" NaN", f);
            }
        }
        fputc('\n', f);
    }
}

/* The warm-up: a grey rectangle behind the data and a small label. */
static void gp_warmup(plot_ctx *c, sbuf *b, const char *indent, int label)
{
    if (!(c->warmup > 0.0))
        return;
    double w = c->warmup / c->tscale;
    kn_sb_printf(b, "%sset object 1 rectangle from 0, graph 0 to %.10g, graph 1 behind "
                    "fillcolor rgb '#E3E3E3' fillstyle solid 1.0 noborder\n",
                 indent, w);
    if (label && c->warmup >= 0.12 * c->xmax) /* room inside the grey band */
        kn_sb_printf(b, "%sset label 1 'warm-up' at %.10g, graph 0.97 center font ',11' "
                        "textcolor rgb '#707070'\n",
                     indent, w / 2.0);
    else if (label) /* a narrow band: the label beside it */
        kn_sb_printf(b, "%sset label 1 'warm-up' at %.10g, graph 0.97 left offset character 0.4, 0 "
                        "font ',11' textcolor rgb '#707070'\n",
                     indent, w);
    else
        kn_sb_printf(b, "%sunset label 1\n", indent);
}

/* The plot command of one series panel: faint runs, then bands, then the means. `only`
 * is a scenario index, or SIZE_MAX for all. */
static void gp_series_plot(sbuf *b, const series *ss, size_t block, size_t only,
                           int titles)
{
    const char *sep = "  plot ";
    const char *next = ", \\\n       ";
    const char *style = ss->P <= 16 ? "linespoints pointtype 7 pointsize 0.9" : "lines";
    for (size_t s = 0; s < ss->S; s++) {
        if ((only != SIZE_MAX && s != only) || !ss->nruns[s])
            continue;
        size_t col = series_col(ss, s);
        kn_sb_printf(b, "%sfor [k=%zu:(runs%zu ? %zu : 0)] datafile index %zu using 2:k with lines "
                        "linewidth 0.8 linecolor rgb faint%zu notitle",
                     sep, col + 4, block + 1, col + 3 + ss->nruns[s], block, s + 1);
        sep = next;
    }
    for (size_t s = 0; s < ss->S; s++) {
        if (only != SIZE_MAX && s != only)
            continue;
        size_t col = series_col(ss, s);
        kn_sb_printf(b, "%sdatafile index %zu using 2:%zu:%zu with filledcurves fillcolor rgb "
                        "colour%zu fillstyle transparent solid 0.25 noborder notitle",
                     sep, block, col + 1, col + 2, s + 1);
        sep = next;
    }
    for (size_t s = 0; s < ss->S; s++) {
        if (only != SIZE_MAX && s != only)
            continue;
        size_t col = series_col(ss, s);
        kn_sb_printf(b, "%sdatafile index %zu using 2:%zu with %s linewidth 3 linecolor rgb colour%zu ",
                     sep, block, col, style, s + 1);
        if (titles)
            kn_sb_printf(b, "title name%zu noenhanced", s + 1);
        else
            kn_sb_printf(b, "notitle");
        sep = next;
    }
    kn_sb_printf(b, "\n");
}

/* y range of a panel: the data's, padded, shares kept in [0, 1]. */
static void y_range(const metric_desc *m, double lo, double hi, double *out_lo, double *out_hi)
{
    if (!isfinite(lo) || !isfinite(hi)) {
        lo = 0.0;
        hi = 1.0;
    }
    double pad = (hi - lo) * 0.03;
    if (pad <= 0.0)
        pad = fabs(hi) > 0.0 ? fabs(hi) * 0.05 : 0.05;
    lo -= pad;
    hi += pad;
    /* out to whole tic steps, as gnuplot's autoscale does: clean ends on the axis */
    double step = kn_pl_nice_step(lo, hi, 5);
    if (step > 0.0) {
        lo = floor(lo / step) * step;
        hi = ceil(hi / step) * step;
    }
    if (m->nonneg && lo < 0.0)
        lo = 0.0;
    if (m->share) {
        if (lo < 0.0)
            lo = 0.0;
        if (hi > 1.0)
            hi = 1.0;
        if (hi <= lo)
            hi = lo + 0.05;
    }
    *out_lo = lo;
    *out_hi = hi;
}

static void gp_time_axis(plot_ctx *c, sbuf *b, const char *indent, int label)
{
    kn_sb_printf(b, "%sset xrange [0:%.10g]\n", indent, c->xmax / c->tscale);
    if (label)
        kn_sb_printf(b, "%sset xlabel 'time (%s since the start)'\n", indent, c->tunit);
    else
        kn_sb_printf(b, "%sunset xlabel\n", indent);
}

/* A time-series chart: one metric (one panel) or two stacked panels. */
kn_status kn_pl_chart_series(plot_ctx *c, const chart_plan *pl)
{
    series ss[2];
    memset(ss, 0, sizeof ss);
    kn_status rc = KN_OK;
    FILE *f = NULL;
    sbuf b = {0};
    char title[256], caption[512], list[200], file[160];
    for (size_t i = 0; i < pl->nm; i++) {
        if ((rc = series_load(c, pl->m[i], &ss[i])) != KN_OK)
            goto done;
        if (!ss[i].ok) {
            char why[160];
            snprintf(why, sizeof why, "no values of %s in the file", pl->m[i]->series);
            kn_pl_skip_note(c, pl->name, why);
            goto done;
        }
    }
    kn_pl_scenario_list(c, list, sizeof list);
    if (pl->nm == 2)
        snprintf(title, sizeof title, "Staff morale and exhaustion: %s", list);
    else
        snprintf(title, sizeof title, "%s: %s", pl->m[0]->title, list);
    kn_pl_copy_text(title, sizeof title, title);
    time_caption(c, &ss[0], 0, caption, sizeof caption);

    snprintf(file, sizeof file, "%s.dat", pl->name);
    if ((rc = kn_pl_open_out(c, file, &f)) != KN_OK)
        goto done;
    fprintf(f, "# %s.dat - written by koning plot: per period, ", pl->name);
    for (size_t i = 0; i < pl->nm; i++)
        fprintf(f, "%s%s%s", i ? " and " : "", pl->m[i]->series, pl->m[i]->per_week ? " per week" : "");
    fprintf(f, " over the successful runs of each scenario.\n");
    if (pl->nm == 2)
        fprintf(f, "# Two blocks (gnuplot index 0: %s, index 1: %s), each with these columns.\n",
                pl->m[0]->series, pl->m[1]->series);
    fprintf(f, "# NaN: no value (no run, or fewer than 2 runs for the interval).\n");
    series_dat_header(c, f, &ss[0]);
    for (size_t i = 0; i < pl->nm; i++) {
        if (i)
            fputs("\n\n", f);
        series_dat_block(c, f, &ss[i]);
    }
    rc = kn_pl_close_out(c, file, f);
    f = NULL;
    if (rc != KN_OK)
        goto done;

    kn_pl_gp_head(c, &b, pl->name);
    kn_pl_gp_scenario_vars(c, &b);
    gp_runs_vars(&b, ss, pl->nm);
    kn_pl_gp_loop_open(c, &b, pl->name, 1200, pl->nm == 2 ? 900 : 750);
    kn_pl_gp_title(&b, "  ", title);
    kn_pl_gp_caption(&b, "  ", caption);
    double right = kn_pl_gp_key_right(&b, "  ", max_name_len(c));
    if (pl->nm == 1) {
        double lo, hi;
        y_range(pl->m[0], ss[0].ymin, ss[0].ymax, &lo, &hi);
        gp_warmup(c, &b, "  ", 1);
        gp_time_axis(c, &b, "  ", 1);
        kn_sb_printf(&b, "  set ylabel '%s'\n", pl->m[0]->axis);
        kn_sb_printf(&b, "  set yrange [%.10g:%.10g]\n", lo, hi);
        kn_sb_printf(&b, "  set tmargin at screen 0.9; set bmargin at screen 0.15\n"
                         "  set lmargin at screen 0.105; set rmargin at screen %.4f\n", right);
        gp_series_plot(&b, &ss[0], 0, SIZE_MAX, 1);
    } else {
        kn_sb_printf(&b, "  set multiplot\n");
        for (size_t i = 0; i < 2; i++) {
            double top = i ? 0.515 : 0.9, bottom = i ? 0.13 : 0.545;
            gp_warmup(c, &b, "  ", i == 0);
            gp_time_axis(c, &b, "  ", i == 1);
            if (i == 0)
                kn_sb_printf(&b, "  set format x ''\n");
            else
                kn_sb_printf(&b, "  set format x '%% h'\n  unset key\n");
            double lo, hi;
            y_range(pl->m[i], ss[i].ymin, ss[i].ymax, &lo, &hi);
            kn_sb_printf(&b, "  set ylabel '%s'\n  set yrange [%.10g:%.10g]\n",
                         pl->m[i]->short_axis, lo, hi);
            kn_sb_printf(&b, "  set tmargin at screen %.3f; set bmargin at screen %.3f\n"
                             "  set lmargin at screen 0.105; set rmargin at screen %.4f\n",
                         top, bottom, right);
            gp_series_plot(&b, &ss[i], i, SIZE_MAX, i == 0);
            if (i == 0)
                kn_sb_printf(&b, "  unset label 98; unset label 99\n");
        }
        kn_sb_printf(&b, "  unset multiplot\n");
    }
    kn_pl_gp_loop_close(&b);
    rc = kn_pl_chart_done(c, pl->name, &b, title, caption);
done:
    if (f)
        fclose(f);
    kn_sb_free(&b);
    for (size_t i = 0; i < 2; i++)
        series_free(&ss[i]);
    return rc;
}

/* ---- small multiples: rows = metrics, columns = scenarios ------------------------------ */

kn_status kn_pl_chart_multiples(plot_ctx *c, const chart_plan *pl)
{
    series ss[4];
    memset(ss, 0, sizeof ss);
    kn_status rc = KN_OK;
    FILE *f = NULL;
    sbuf b = {0};
    size_t nm = 0, S = c->st.n_scen;
    const metric_desc *ms[4];
    char title[256], caption[512], list[200];
    for (size_t i = 0; i < pl->nm; i++) {
        if ((rc = series_load(c, pl->m[i], &ss[nm])) != KN_OK)
            goto done;
        if (ss[nm].ok)
            ms[nm++] = pl->m[i];
        else
            series_free(&ss[nm]);
    }
    if (!nm) {
        kn_pl_skip_note(c, pl->name, "no time series in the file");
        goto done;
    }
    kn_pl_scenario_list(c, list, sizeof list);
    snprintf(title, sizeof title, "Side by side, one y scale per row: %s", list);
    kn_pl_copy_text(title, sizeof title, title);
    int hidden = 0;
    for (size_t i = 0; i < nm; i++)
        hidden |= ms[i]->hide_runs;
    time_caption(c, &ss[0], hidden, caption, sizeof caption);
    if ((rc = kn_pl_open_out(c, "small_multiples.dat", &f)) != KN_OK)
        goto done;
    fprintf(f, "# small_multiples.dat - written by koning plot: per period, over the successful "
               "runs of each scenario,\n# %zu blocks (gnuplot index 0..%zu):", nm, nm - 1);
    for (size_t i = 0; i < nm; i++)
        fprintf(f, " %zu: %s%s;", i, ms[i]->series, ms[i]->per_week ? " per week" : "");
    fprintf(f, " each with these columns\n# (the units are those of the block's series). "
               "NaN: no value.\n");
    series_dat_header(c, f, &ss[0]);
    for (size_t i = 0; i < nm; i++) {
        if (i)
            fputs("\n\n", f);
        series_dat_block(c, f, &ss[i]);
    }
    rc = kn_pl_close_out(c, "small_multiples.dat", f);
    f = NULL;
    if (rc != KN_OK)
        goto done;

    int w = S <= 4 ? 1200 : (int)(240 * S + 160), h = 950;
    double left = 0.115, right = 0.99, top = 0.86, bottom = 0.14;
    double gx = 0.012, gy = 0.025;
    double pw = (right - left - gx * (double)(S - 1)) / (double)S;
    double ph = (top - bottom - gy * (double)(nm - 1)) / (double)nm;
    if (S > 4) {
        left = 0.115 * 1200.0 / w;
        pw = (right - left - gx * (double)(S - 1)) / (double)S;
    }
    kn_pl_gp_head(c, &b, "small_multiples");
    kn_pl_gp_scenario_vars(c, &b);
    gp_runs_vars(&b, ss, nm);
    kn_pl_gp_loop_open(c, &b, "small_multiples", w, h);
    kn_sb_printf(&b, "  set multiplot\n");
    kn_pl_gp_title(&b, "  ", title);
    kn_pl_gp_caption(&b, "  ", caption);
    kn_sb_printf(&b, "  unset key\n");
    for (size_t i = 0; i < nm; i++) {
        double lo, hi;
        y_range(ms[i], ss[i].ymin, ss[i].ymax, &lo, &hi);
        for (size_t s = 0; s < S; s++) {
            double x0 = left + (double)s * (pw + gx), y1 = top - (double)i * (ph + gy);
            kn_sb_printf(&b, "  # %s, scenario %zu\n", ms[i]->label, s + 1);
            kn_sb_printf(&b, "  set lmargin at screen %.4f; set rmargin at screen %.4f\n"
                             "  set tmargin at screen %.4f; set bmargin at screen %.4f\n",
                         x0, x0 + pw, y1, y1 - ph);
            gp_warmup(c, &b, "  ", 0);
            gp_time_axis(c, &b, "  ", i == nm - 1 && s == S / 2);
            kn_sb_printf(&b, "  set format x %s\n", i == nm - 1 ? "'% h'" : "''");
            kn_sb_printf(&b, "  set yrange [%.10g:%.10g]\n", lo, hi);
            if (kn_pl_nice_step(lo, hi, 4) > 0.0)
                kn_sb_printf(&b, "  set ytics %.10g\n", kn_pl_nice_step(lo, hi, 4));
            if (s == 0)
                kn_sb_printf(&b, "  set format y '%% h'\n  set ylabel '%s' font ',13'\n",
                             ms[i]->short_axis);
            else
                kn_sb_printf(&b, "  set format y ''\n  unset ylabel\n");
            if (i == 0)
                kn_sb_printf(&b, "  set title name%zu font ',13' noenhanced\n", s + 1);
            else
                kn_sb_printf(&b, "  unset title\n");
            kn_sb_printf(&b, "  set xtics font ',11'; set ytics font ',11'\n");
            gp_series_plot(&b, &ss[i], i, s, 0);
            if (i == 0 && s == 0)
                kn_sb_printf(&b, "  unset label 98; unset label 99\n");
        }
    }
    kn_sb_printf(&b, "  unset multiplot\n  unset title\n");
    kn_pl_gp_loop_close(&b);
    rc = kn_pl_chart_done(c, "small_multiples", &b, title, caption);
done:
    if (f)
        fclose(f);
    kn_sb_free(&b);
    for (size_t i = 0; i < 4; i++)
        series_free(&ss[i]);
    return rc;
}
