/* plot_summary.c - the summary chart of `koning plot`: one panel per headline metric,
 * the mean and confidence interval of each scenario over the observation window, as the
 * file's <metric>_mean, _ci_low and _ci_high datasets give them (which the sweep charts
 * read too).
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plot_int.h"

/* ---- summary: mean and CI per scenario over the observation window --------------------- */

typedef struct summary_col {
    const metric_desc *m;
    double *mean, *lo, *hi; /* [S] or NULL when missing */
} summary_col;

int kn_pl_load_summary(plot_ctx *c, const char *base, double **mean, double **lo, double **hi)
{
    char name[160];
    size_t rows, cols;
    double **dst[3] = {mean, lo, hi};
    static const char *const suffix[3] = {"_mean", "_ci_low", "_ci_high"};
    *mean = *lo = *hi = NULL;
    int any = 0;
    for (int j = 0; j < 3; j++) {
        snprintf(name, sizeof name, "%s%s", base, suffix[j]);
        if (!kn_h5r_exists(c->r, name) ||
            kn_h5r_doubles(c->r, name, dst[j], &rows, &cols, NULL) != KN_OK ||
            rows != c->st.n_scen || cols != 1) {
            for (int q = 0; q < 3; q++) {
                free(*dst[q]);
                *dst[q] = NULL;
            }
            return 0;
        }
    }
    for (size_t s = 0; s < c->st.n_scen; s++)
        if (isfinite((*mean)[s]))
            any = 1;
    if (!any) {
        for (int q = 0; q < 3; q++) {
            free(*dst[q]);
            *dst[q] = NULL;
        }
    }
    return any;
}

kn_status kn_pl_chart_summary(plot_ctx *c, const chart_plan *pl)
{
    summary_col col[4];
    memset(col, 0, sizeof col);
    size_t nm = 0, S = c->st.n_scen;
    kn_status rc = KN_OK;
    FILE *f = NULL;
    sbuf b = {0};
    char title[256], caption[512], list[200], runs[96], lv[16];
    for (size_t i = 0; i < pl->nm; i++) {
        col[nm].m = pl->m[i];
        if (kn_pl_load_summary(c, pl->m[i]->summary, &col[nm].mean, &col[nm].lo, &col[nm].hi)) {
            nm++;
        } else if (!c->quiet) {
            printf("summary: no panel for %s (no values of %s_mean in the file)\n",
                   pl->m[i]->label, pl->m[i]->summary);
        }
    }
    if (!nm) {
        kn_pl_skip_note(c, pl->name, "no summary datasets (<metric>_mean) in the file");
        goto done;
    }
    kn_pl_scenario_list(c, list, sizeof list);
    snprintf(title, sizeof title, "Headline metrics: %s", list);
    kn_pl_copy_text(title, sizeof title, title);
    kn_pl_runs_phrase(c, runs, sizeof runs, "scenario");
    kn_pl_level_phrase(c, lv, sizeof lv);
    if (c->warmup > 0.0)
        snprintf(caption, sizeof caption, "Over the observation window (after the %g-day warm-up): "
                 "%s; bars: %s CI of the mean", c->warmup, runs, lv);
    else
        snprintf(caption, sizeof caption, "Over the whole run: %s; bars: %s CI of the mean", runs, lv);

    if ((rc = kn_pl_open_out(c, "summary.dat", &f)) != KN_OK)
        goto done;
    fprintf(f, "# summary.dat - written by koning plot: per scenario, the mean of each metric over "
               "its successful runs\n# and the ends of its %s Student-t confidence interval "
               "(from the file's <metric>_mean, _ci_low, _ci_high).\n", lv);
    fprintf(f, "# column 1: row (0 = top); column 2: colour (0xRRGGBB as an integer)\n");
    for (size_t i = 0; i < nm; i++)
        fprintf(f, "# columns %zu-%zu: %s_mean, %s_ci_low, %s_ci_high (%s)\n", 3 + 3 * i, 5 + 3 * i,
                col[i].m->summary, col[i].m->summary, col[i].m->summary, col[i].m->unit);
    {
        sbuf h = {0};
        for (size_t s = 0; s < S; s++) {
            kn_sb_printf(&h, "# row %zu: ", s);
            kn_pl_sb_quote(&h, c->st.scen_name[s]);
            kn_sb_printf(&h, " (%zu successful runs)\n", c->n_ok[s]);
        }
        if (h.s)
            fputs(h.s, f);
        kn_sb_free(&h);
    }
    fprintf(f, "# row colour");
    for (size_t i = 0; i < nm; i++)
        fprintf(f, " %s_mean %s_ci_low %s_ci_high", col[i].m->summary, col[i].m->summary,
                col[i].m->summary);
    fputc('\n', f);
    for (size_t s = 0; s < S; s++) {
        fprintf(f, "%zu %ld", s, strtol(c->colour[s] + 1, NULL, 16));
        for (size_t i = 0; i < nm; i++) {
            kn_pl_put_num(f, col[i].mean[s]);
            kn_pl_put_num(f, col[i].lo[s]);
            kn_pl_put_num(f, col[i].hi[s]);
        }
        fputc('\n', f);
    }
    rc = kn_pl_close_out(c, "summary.dat", f);
    f = NULL;
    if (rc != KN_OK)
        goto done;

    size_t maxlen = 4;
    for (size_t s = 0; s < S; s++)
        maxlen = kn_pl_utf8_len(c->disp[s]) > maxlen ? kn_pl_utf8_len(c->disp[s]) : maxlen;
    double left = 0.03 + 0.0085 * (double)(maxlen > 40 ? 40 : maxlen), right = 0.965;
    double gap = 0.035, pw = (right - left - gap * (double)(nm - 1)) / (double)nm;
    int h = S <= 2 ? 560 : S <= 6 ? 750 : (int)(750 + 55 * (S - 6));
    kn_pl_gp_head(c, &b, "summary");
    kn_pl_gp_scenario_vars(c, &b);
    kn_pl_gp_loop_open(c, &b, "summary", 1200, h);
    kn_sb_printf(&b, "  set multiplot\n");
    kn_pl_gp_title(&b, "  ", title);
    kn_pl_gp_caption(&b, "  ", caption);
    kn_sb_printf(&b, "  unset key\n  set yrange [%.1f:-0.6]\n  set grid noxtics ytics\n", (double)S - 0.4);
    for (size_t i = 0; i < nm; i++) {
        double lo = INFINITY, hi = -INFINITY;
        for (size_t s = 0; s < S; s++) {
            double v[3] = {col[i].mean[s], col[i].lo[s], col[i].hi[s]};
            for (int j = 0; j < 3; j++)
                if (isfinite(v[j])) {
                    lo = fmin(lo, v[j]);
                    hi = fmax(hi, v[j]);
                }
        }
        double pad = (hi - lo) * 0.25;
        if (!(pad > 0.0))
            pad = fabs(hi) > 0.0 ? fabs(hi) * 0.05 : 0.05;
        lo -= pad;
        hi += pad;
        if (col[i].m->nonneg)
            lo = fmax(lo, 0.0);
        if (col[i].m->share)
            hi = fmin(hi, 1.0);
        /* as many tics as their labels leave room for (about 9 px a character) */
        char l1[32], l2[32];
        snprintf(l1, sizeof l1, "%.4g", lo);
        snprintf(l2, sizeof l2, "%.4g", hi);
        size_t chars = strlen(l1) > strlen(l2) ? strlen(l1) : strlen(l2);
        int ntics = (int)(pw * 1200.0 / (7.5 * (double)(chars + 3)));
        double step = kn_pl_nice_step(lo, hi, ntics < 2 ? 2 : ntics > 4 ? 4 : ntics);
        double x0 = left + (double)i * (pw + gap);
        kn_sb_printf(&b, "  # %s\n", col[i].m->label);
        kn_sb_printf(&b, "  set lmargin at screen %.4f; set rmargin at screen %.4f\n"
                         "  set tmargin at screen %.4f; set bmargin at screen %.4f\n",
                     x0, x0 + pw, 1.0 - 135.0 / h, 120.0 / h);
        kn_sb_printf(&b, "  set title '%s' font ',15'\n  set xlabel '%s' font ',12'\n", col[i].m->label,
                     col[i].m->unit);
        kn_sb_printf(&b, "  set xrange [%.10g:%.10g]\n", lo, hi);
        if (step > 0.0)
            kn_sb_printf(&b, "  set xtics %.10g font ',12'\n", step);
        if (i == 0) {
            kn_sb_printf(&b, "  set ytics (");
            for (size_t s = 0; s < S; s++) {
                kn_sb_printf(&b, "%s", s ? ", " : "");
                kn_pl_sb_quote(&b, c->disp[s]);
                kn_sb_printf(&b, " %zu", s);
            }
            kn_sb_printf(&b, ") scale 0 font ',14'\n");
        } else {
            kn_sb_printf(&b, "  set ytics 1 format '' scale 0\n");
        }
        kn_sb_printf(&b, "  plot datafile using %zu:1:%zu:%zu:2 with xerrorbars linecolor rgb variable "
                         "pointtype 7 pointsize 2 linewidth 2.5 notitle, \\\n"
                         "       datafile using %zu:1:(fmtv($%zu)) with labels offset 0,1.1 "
                         "font ',12' notitle\n",
                     3 + 3 * i, 4 + 3 * i, 5 + 3 * i, 3 + 3 * i, 3 + 3 * i);
        if (i == 0)
            kn_sb_printf(&b, "  unset label 98; unset label 99\n");
    }
    kn_sb_printf(&b, "  unset multiplot\n  unset title\n");
    kn_pl_gp_loop_close(&b);
    rc = kn_pl_chart_done(c, "summary", &b, title, caption);
done:
    if (f)
        fclose(f);
    kn_sb_free(&b);
    for (size_t i = 0; i < 4; i++) {
        free(col[i].mean);
        free(col[i].lo);
        free(col[i].hi);
    }
    return rc;
}
