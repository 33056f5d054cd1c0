/* plot_sweep.c - the sweep charts of `koning plot`: the varied keys of a sweep file,
 * response curves (a headline metric against one varied key, one line per value of the
 * other key on a two-key grid) and heatmaps (a metric over the grid of the first two
 * keys, the best cell of each column outlined and joined).
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plot_int.h"

/* ---- the varied keys ------------------------------------------------------------------- */

void kn_pl_sweep_keys_free(plot_ctx *c)
{
    for (size_t i = 0; i < c->nkeys; i++) {
        free(c->keys[i].name);
        free(c->keys[i].v);
        free(c->keys[i].distinct);
        free(c->keys[i].at);
    }
    free(c->keys);
    c->keys = NULL;
    c->nkeys = 0;
}

static int cmp_key_pos(const void *a, const void *b)
{
    const sweep_key *x = a, *y = b;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* The numeric scenario keys whose values differ between scenarios, in the order the
 * sweep names them (scenario names read "study [k1=v1, k2=v2]"). */
kn_status kn_pl_sweep_find_keys(plot_ctx *c)
{
    char **names = NULL;
    size_t n = 0, S = c->st.n_scen;
    kn_status rc = kn_h5r_scenario_keys(c->r, &names, &n, c->err);
    if (rc != KN_OK) {
        c->bad_input = 1;
        return rc;
    }
    c->keys = calloc(n ? n : 1, sizeof *c->keys);
    if (!c->keys) {
        kn_h5r_free_strings(names, n);
        return kn_pl_fail_run(c, KN_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        double *v = NULL;
        size_t rows, cols;
        if (kn_h5r_doubles(c->r, names[i], &v, &rows, &cols, NULL) != KN_OK || rows != S ||
            cols != 1) {
            free(v);
            continue;
        }
        double *d = malloc(S * sizeof *d);
        size_t nd = 0;
        for (size_t s = 0; d && s < S; s++)
            if (isfinite(v[s]))
                d[nd++] = v[s];
        if (d && nd)
            qsort(d, nd, sizeof *d, kn_pl_cmp_double);
        size_t u = 0;
        for (size_t j = 0; d && j < nd; j++)
            if (!u || d[j] != d[u - 1])
                d[u++] = d[j];
        if (!d || u < 2) {
            free(d);
            free(v);
            continue;
        }
        sweep_key *k = &c->keys[c->nkeys++];
        k->name = names[i];
        names[i] = NULL;
        k->v = v;
        k->distinct = d;
        k->nd = u;
        k->at = malloc(S * sizeof *k->at);
        if (!k->at)
            rc = kn_pl_fail_run(c, KN_ENOMEM, "out of memory");
        for (size_t s = 0; k->at && s < S; s++) {
            k->at[s] = SIZE_MAX;
            for (size_t j = 0; j < u && isfinite(v[s]); j++)
                if (d[j] == v[s])
                    k->at[s] = j;
        }
        char pat[300];
        snprintf(pat, sizeof pat, "%s=", k->name);
        const char *hit = S ? strstr(c->st.scen_name[0], pat) : NULL;
        k->pos = hit ? (size_t)(hit - c->st.scen_name[0]) : SIZE_MAX - c->nkeys;
        char *unit = NULL;
        if (kn_h5r_attr_text(c->r, k->name, "units", &unit, NULL) == KN_OK) {
            kn_pl_copy_text(k->unit, sizeof k->unit, unit);
            free(unit);
        }
    }
    kn_h5r_free_strings(names, n);
    if (rc != KN_OK)
        return rc;
    /* stable by position: qsort is not stable, but positions are distinct */
    qsort(c->keys, c->nkeys, sizeof *c->keys, cmp_key_pos);
    /* a full grid: every combination of the distinct values exactly once */
    size_t prod = 1;
    c->grid = c->nkeys >= 1;
    for (size_t i = 0; i < c->nkeys && c->grid; i++) {
        if (prod > S / c->keys[i].nd + 1)
            c->grid = 0;
        prod *= c->keys[i].nd;
    }
    if (c->grid && prod != S)
        c->grid = 0;
    if (c->grid) {
        unsigned char *seen = calloc(S, 1);
        if (!seen)
            return kn_pl_fail_run(c, KN_ENOMEM, "out of memory");
        for (size_t s = 0; s < S && c->grid; s++) {
            size_t idx = 0;
            for (size_t i = 0; i < c->nkeys; i++) {
                if (c->keys[i].at[s] == SIZE_MAX) {
                    c->grid = 0;
                    break;
                }
                idx = idx * c->keys[i].nd + c->keys[i].at[s];
            }
            if (c->grid && seen[idx]++)
                c->grid = 0;
        }
        free(seen);
    }
    return KN_OK;
}

/* "customers.mix.rude" or "staff.employees (1)" -> axis text, quoted into b */
static void sb_key_axis(sbuf *b, const sweep_key *k)
{
    char text[400];
    if (k->unit[0] && strcmp(k->unit, "1"))
        snprintf(text, sizeof text, "%s (%s)", k->name, k->unit);
    else
        snprintf(text, sizeof text, "%s", k->name);
    kn_pl_sb_quote(b, text);
}

static void sweep_runs_caption(plot_ctx *c, char *out, size_t cap, const char *rest)
{
    char runs[96], lv[16];
    kn_pl_runs_phrase(c, runs, sizeof runs, "point");
    kn_pl_level_phrase(c, lv, sizeof lv);
    snprintf(out, cap, "%s, over the observation window; %s", runs, rest);
    char *p = strstr(out, "LEVEL");
    if (p) {
        char tmp[512];
        snprintf(tmp, sizeof tmp, "%.*s%s%s", (int)(p - out), out, lv, p + 5);
        kn_pl_copy_text(out, cap, tmp);
    }
}

/* ---- response curves: a metric against one varied key ---------------------------------- */

/* gnuplot's autoscaled y range, kept where the metric can lie */
static const char *y_auto(const metric_desc *m)
{
    return m->share ? "[0<*:*<1]" : m->nonneg ? "[0<*:*]" : "[*:*]";
}

kn_status kn_pl_chart_sweep(plot_ctx *c, const chart_plan *pl)
{
    const metric_desc *m = pl->m[0];
    const sweep_key *kx = &c->keys[pl->key];
    size_t S = c->st.n_scen;
    double *mean = NULL, *lo = NULL, *hi = NULL;
    size_t *order = NULL;
    kn_status rc = KN_OK;
    FILE *f = NULL;
    sbuf b = {0};
    char title[256], caption[512], file[160];
    if (!kn_pl_load_summary(c, m->summary, &mean, &lo, &hi)) {
        kn_pl_skip_note(c, pl->name, "no values of this metric in the file");
        return KN_OK;
    }
    /* lines: exactly two varied keys on a grid; one key: one line; else points */
    int lines = c->nkeys == 1 || (c->nkeys == 2 && c->grid);
    const sweep_key *ko = c->nkeys == 2 && c->grid ? &c->keys[1 - pl->key] : NULL;
    size_t groups = ko ? ko->nd : 1;
    order = malloc(S * sizeof *order);
    if (!order) {
        rc = kn_pl_fail_run(c, KN_ENOMEM, "out of memory");
        goto done;
    }
    snprintf(title, sizeof title, "%s against %s", m->title, kx->name);
    kn_pl_copy_text(title, sizeof title, title);
    if (ko)
        sweep_runs_caption(c, caption, sizeof caption, "band: LEVEL CI of the mean; one line per "
                           "value of the other varied key");
    else if (lines)
        sweep_runs_caption(c, caption, sizeof caption, "band: LEVEL CI of the mean");
    else
        sweep_runs_caption(c, caption, sizeof caption, "bars: LEVEL CI of the mean; every point "
                           "of the sweep (the other varied keys differ between points)");

    snprintf(file, sizeof file, "%s.dat", pl->name);
    if ((rc = kn_pl_open_out(c, file, &f)) != KN_OK)
        goto done;
    {
        sbuf h = {0};
        kn_sb_printf(&h, "# %s.dat - written by koning plot: %s (%s) of each sweep point against ",
                     pl->name, m->summary, m->unit);
        kn_pl_sb_quote(&h, kx->name);
        kn_sb_printf(&h,
                     ".\n# column 1: the key's value; column 2: %s_mean; columns 3-4: %s_ci_low, "
                     "%s_ci_high; column 5: successful runs; column 6: scenario index (0-based)\n",
                     m->summary, m->summary, m->summary);
        if (ko) {
            kn_sb_printf(&h, "# %zu blocks (gnuplot index 0..%zu), one per value of ", groups, groups - 1);
            kn_pl_sb_quote(&h, ko->name);
            kn_sb_printf(&h, ":");
            for (size_t g = 0; g < groups; g++)
                kn_sb_printf(&h, " %zu: %.10g;", g, ko->distinct[g]);
            kn_sb_printf(&h, "\n");
        }
        kn_sb_printf(&h, "# x mean ci_low ci_high n scenario\n");
        if (h.s)
            fputs(h.s, f);
        kn_sb_free(&h);
    }
    for (size_t g = 0; g < groups; g++) {
        size_t n = 0;
        for (size_t s = 0; s < S; s++)
            if (kx->at[s] != SIZE_MAX && (!ko || ko->at[s] == g))
                order[n++] = s;
        /* by x (insertion sort: sweeps are small) */
        for (size_t i = 1; i < n; i++)
            for (size_t j = i; j > 0 && kx->v[order[j]] < kx->v[order[j - 1]]; j--) {
                size_t t = order[j];
                order[j] = order[j - 1];
                order[j - 1] = t;
            }
        if (g)
            fputs("\n\n", f);
        for (size_t i = 0; i < n; i++) {
            size_t s = order[i];
            fprintf(f, "%.15g", kx->v[s]);
            kn_pl_put_num(f, mean[s]);
            kn_pl_put_num(f, lo[s]);
            kn_pl_put_num(f, hi[s]);
            fprintf(f, " %zu %zu\n", c->n_ok[s], s);
        }
    }
    rc = kn_pl_close_out(c, file, f);
    f = NULL;
    if (rc != KN_OK)
        goto done;

    kn_pl_gp_head(c, &b, pl->name);
    kn_pl_gp_loop_open(c, &b, pl->name, 1200, 750);
    kn_pl_gp_title(&b, "  ", title);
    kn_pl_gp_caption(&b, "  ", caption);
    kn_sb_printf(&b, "  set xlabel ");
    sb_key_axis(&b, kx);
    kn_sb_printf(&b, " noenhanced\n  set ylabel '%s'\n", m->axis);
    double span = kx->distinct[kx->nd - 1] - kx->distinct[0];
    kn_sb_printf(&b, "  set xrange [%.10g:%.10g]\n", kx->distinct[0] - 0.04 * span,
                 kx->distinct[kx->nd - 1] + 0.04 * span);
    if (kx->nd <= 12) {
        kn_sb_printf(&b, "  set xtics (");
        for (size_t j = 0; j < kx->nd; j++)
            kn_sb_printf(&b, "%s'%g' %.15g", j ? ", " : "", kx->distinct[j], kx->distinct[j]);
        kn_sb_printf(&b, ")\n");
    }
    kn_sb_printf(&b, "  set tmargin at screen 0.9; set bmargin at screen 0.15\n");
    if (ko) {
        char longest[400];
        snprintf(longest, sizeof longest, "%s = %g", ko->name, ko->distinct[ko->nd - 1]);
        size_t len = strlen(longest);
        for (size_t g = 0; g < ko->nd; g++) {
            snprintf(longest, sizeof longest, "%s = %g", ko->name, ko->distinct[g]);
            len = strlen(longest) > len ? strlen(longest) : len;
        }
        double right = kn_pl_gp_key_right(&b, "  ", len);
        kn_sb_printf(&b, "  set lmargin at screen 0.105; set rmargin at screen %.4f\n", right);
    } else
        kn_sb_printf(&b,
                     "  set lmargin at screen 0.105; set rmargin at screen 0.96\n  unset key\n");
    kn_sb_printf(&b, "  set yrange %s\n", y_auto(m));
    const char *sep = "  plot ", *next = ", \\\n       ";
    for (size_t g = 0; g < groups; g++) {
        const char *col = kn_plot_colour(NULL, ko ? g : 0);
        if (lines)
            kn_sb_printf(&b,
                         "%sdatafile index %zu using 1:3:4 with filledcurves fillcolor rgb '%s' "
                         "fillstyle transparent solid 0.2 noborder notitle",
                         sep, g, col);
        else
            kn_sb_printf(&b,
                         "%sdatafile index %zu using 1:2:3:4 with yerrorbars linecolor rgb '%s' "
                         "pointtype 7 pointsize 1.3 linewidth 1.5 notitle",
                         sep, g, col);
        sep = next;
    }
    for (size_t g = 0; lines && g < groups; g++) {
        const char *col = kn_plot_colour(NULL, ko ? g : 0);
        kn_sb_printf(&b, "%sdatafile index %zu using 1:2 with linespoints linewidth 3 pointtype 7 "
                         "pointsize 1.2 linecolor rgb '%s' ",
                     sep, g, col);
        if (ko) {
            char text[400];
            snprintf(text, sizeof text, "%s = %g", ko->name, ko->distinct[g]);
            kn_sb_printf(&b, "title ");
            kn_pl_sb_quote(&b, text);
            kn_sb_printf(&b, " noenhanced");
        } else {
            kn_sb_printf(&b, "notitle");
        }
    }
    kn_sb_printf(&b, "\n");
    kn_pl_gp_loop_close(&b);
    rc = kn_pl_chart_done(c, pl->name, &b, title, caption);
done:
    if (f)
        fclose(f);
    kn_sb_free(&b);
    free(order);
    free(mean);
    free(lo);
    free(hi);
    return rc;
}

/* ---- heatmaps: a metric over the grid of two varied keys ------------------------------- */

/* Values as people read them on a chart: 47371, 0.718, 1.11. */
static void fmt_value(char *out, size_t cap, double v)
{
    if (!isfinite(v))
        snprintf(out, cap, "n/a");
    else if (fabs(v) >= 1000.0)
        snprintf(out, cap, "%.0f", v);
    else
        snprintf(out, cap, "%.3g", v);
}

/* viridis, sampled: the heatmap palette and the text colour that reads on it */
static const char *const viridis[] = {"#440154", "#3B528B", "#21918C", "#5EC962", "#FDE725"};

kn_status kn_pl_chart_heatmap(plot_ctx *c, const chart_plan *pl)
{
    const metric_desc *m = pl->m[0];
    const sweep_key *kx = &c->keys[0], *ky = &c->keys[1];
    size_t S = c->st.n_scen, nx = kx->nd, ny = ky->nd;
    double *mean = NULL, *lo = NULL, *hi = NULL, *cell = NULL, *cnt = NULL;
    kn_status rc = KN_OK;
    FILE *f = NULL;
    sbuf b = {0};
    char title[256], caption[512], file[160];
    if (!kn_pl_load_summary(c, m->summary, &mean, &lo, &hi)) {
        kn_pl_skip_note(c, pl->name, "no values of this metric in the file");
        return KN_OK;
    }
    cell = calloc(nx * ny, sizeof *cell);
    cnt = calloc(nx * ny, sizeof *cnt);
    if (!cell || !cnt) {
        rc = kn_pl_fail_run(c, KN_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t s = 0; s < S; s++) {
        if (kx->at[s] == SIZE_MAX || ky->at[s] == SIZE_MAX || !isfinite(mean[s]))
            continue;
        size_t k = ky->at[s] * nx + kx->at[s];
        cell[k] += mean[s];
        cnt[k] += 1.0;
    }
    double vmin = INFINITY, vmax = -INFINITY;
    for (size_t k = 0; k < nx * ny; k++) {
        cell[k] = cnt[k] > 0.0 ? cell[k] / cnt[k] : NAN;
        if (isfinite(cell[k])) {
            vmin = fmin(vmin, cell[k]);
            vmax = fmax(vmax, cell[k]);
        }
    }
    if (!isfinite(vmin)) {
        kn_pl_skip_note(c, pl->name, "no values of this metric in the file");
        goto done;
    }
    snprintf(title, sizeof title, "%s over %s and %s", m->title, kx->name, ky->name);
    kn_pl_copy_text(title, sizeof title, title);
    {
        char runs[96];
        kn_pl_runs_phrase(c, runs, sizeof runs, "point");
        snprintf(caption, sizeof caption, "Cells: %s%s; outlined and joined: the best %s for each "
                 "%s (%s %s; ties: all outlined)", runs,
                 c->nkeys > 2 ? ", averaged over the other varied keys" : "", ky->name, kx->name,
                 m->lower_better ? "lowest" : "highest", m->label);
        kn_pl_copy_text(caption, sizeof caption, caption);
    }
    snprintf(file, sizeof file, "%s.dat", pl->name);
    if ((rc = kn_pl_open_out(c, file, &f)) != KN_OK)
        goto done;
    {
        sbuf h = {0};
        kn_sb_printf(&h, "# %s.dat - written by koning plot: %s_mean (%s) over the grid of ",
                     pl->name, m->summary, m->unit);
        kn_pl_sb_quote(&h, kx->name);
        kn_sb_printf(&h, " (x) and ");
        kn_pl_sb_quote(&h, ky->name);
        kn_sb_printf(&h, " (y)%s.\n", c->nkeys > 2 ? ", each cell the mean over the other varied keys" : "");
        kn_sb_printf(&h,
                     "# block 0 (gnuplot index 0), one line per cell, a blank line between rows:\n"
                     "#   column 1: x index, 2: y index, 3: mean, 4: x value, 5: y value, "
                     "6: text colour (0xRRGGBB as an integer), 7: value as printed\n"
                     "# block 1 (index 1): the best cell of each column (%s is best), the line;\n"
                     "#   a blank line where a column's best is tied\n"
                     "# block 2 (index 2): every best cell, ties included, the outlines\n"
                     "#   blocks 1 and 2: column 1: x index, 2: y index, 3: mean, 4: x value, "
                     "5: y value\n",
                     m->lower_better ? "lowest" : "highest");
        kn_sb_printf(&h, "# xi yi mean x y textcolour label\n");
        if (h.s)
            fputs(h.s, f);
        kn_sb_free(&h);
    }
    for (size_t j = 0; j < ny; j++) {
        for (size_t i = 0; i < nx; i++) {
            double v = cell[j * nx + i];
            double t = vmax > vmin ? (v - vmin) / (vmax - vmin) : 0.5;
            char lab[32];
            fmt_value(lab, sizeof lab, v);
            fprintf(f, "%zu %zu", i, j);
            kn_pl_put_num(f, v);
            fprintf(f, " %.15g %.15g %s %s\n", kx->distinct[i], ky->distinct[j],
                    isfinite(v) && t > 0.62 ? "0" : "16777215", lab);
        }
        fputc('\n', f);
    }
    /* block 1: the line through the best cell of each column (a column whose best is
     * tied breaks the line); block 2: every best cell, ties included, outlined */
    for (int pass = 1; pass <= 2; pass++) {
        int wrote = 0, gap = 0;
        fputs("\n", f);
        for (size_t i = 0; i < nx; i++) {
            size_t best = SIZE_MAX, ties = 0;
            for (size_t j = 0; j < ny; j++) {
                double v = cell[j * nx + i];
                if (!isfinite(v))
                    continue;
                if (best == SIZE_MAX ||
                    (m->lower_better ? v < cell[best * nx + i] : v > cell[best * nx + i])) {
                    best = j;
                    ties = 1;
                } else if (v == cell[best * nx + i]) {
                    ties++;
                }
            }
            if (best == SIZE_MAX || (pass == 1 && ties > 1)) {
                gap = wrote;
                continue;
            }
            if (gap)
                fputc('\n', f);
            gap = 0;
            for (size_t j = best; j < ny; j++) {
                if (cell[j * nx + i] != cell[best * nx + i])
                    continue;
                fprintf(f, "%zu %zu", i, j);
                kn_pl_put_num(f, cell[j * nx + i]);
                fprintf(f, " %.15g %.15g\n", kx->distinct[i], ky->distinct[j]);
                wrote = 1;
                if (pass == 1)
                    break;
            }
        }
        fputc('\n', f);
    }
    rc = kn_pl_close_out(c, file, f);
    f = NULL;
    if (rc != KN_OK)
        goto done;

    kn_pl_gp_head(c, &b, pl->name);
    kn_sb_printf(&b, "set palette defined (0 '%s', 1 '%s', 2 '%s', 3 '%s', 4 '%s')\n", viridis[0],
                 viridis[1], viridis[2], viridis[3], viridis[4]);
    kn_pl_gp_loop_open(c, &b, pl->name, 1200, 750);
    kn_pl_gp_title(&b, "  ", title);
    kn_pl_gp_caption(&b, "  ", caption);
    kn_sb_printf(&b, "  set xlabel ");
    sb_key_axis(&b, kx);
    kn_sb_printf(&b, " noenhanced\n  set ylabel ");
    sb_key_axis(&b, ky);
    kn_sb_printf(&b, " noenhanced\n  set cblabel '%s'\n", m->axis);
    kn_sb_printf(&b, "  set xrange [-0.5:%.1f]; set yrange [-0.5:%.1f]\n", (double)nx - 0.5,
                 (double)ny - 0.5);
    double pad = vmax > vmin ? 0.0 : (fabs(vmin) > 0.0 ? fabs(vmin) * 0.05 : 0.05);
    kn_sb_printf(&b, "  set cbrange [%.10g:%.10g]\n", vmin - pad, vmax + pad);
    kn_sb_printf(&b, "  set xtics (");
    for (size_t i = 0; i < nx; i++)
        kn_sb_printf(&b, "%s'%g' %zu", i ? ", " : "", kx->distinct[i], i);
    kn_sb_printf(&b, ") scale 0\n  set ytics (");
    for (size_t j = 0; j < ny; j++)
        kn_sb_printf(&b, "%s'%g' %zu", j ? ", " : "", ky->distinct[j], j);
    kn_sb_printf(&b, ") scale 0\n  unset grid\n  set border 0\n");
    kn_sb_printf(&b, "  set tmargin at screen 0.9; set bmargin at screen 0.2\n"
                     "  set lmargin at screen 0.1; set rmargin at screen 0.84\n"
                     "  set key at screen 0.5, screen 0.075 center horizontal noenhanced\n");
    char best_text[400];
    snprintf(best_text, sizeof best_text, "%s with the %s %s", ky->name,
             m->lower_better ? "lowest" : "highest", m->label);
    int fsz = nx * ny <= 30 ? 14 : nx * ny <= 80 ? 11 : 9;
    kn_sb_printf(&b,
                 "  best = '#FF2D6F'  # the colour of the best cells and the line through them\n"
                 "  plot datafile index 0 using 1:2:3 with image notitle, \\\n"
                 "       datafile index 2 using 1:2:(0.47):(0.47) with boxxyerror fillstyle empty "
                 "linecolor rgb best linewidth 4 notitle, \\\n"
                 "       datafile index 1 using 1:2 with linespoints linewidth 3 pointtype 7 "
                 "pointsize 1.3 linecolor rgb best title ");
    kn_pl_sb_quote(&b, best_text);
    kn_sb_printf(&b, " noenhanced, \\\n"
                     "       datafile index 0 using 1:($2+0.24):7:6 with labels textcolor rgb variable "
                     "font ',%d' notitle\n",
                 fsz);
    kn_pl_gp_loop_close(&b);
    rc = kn_pl_chart_done(c, pl->name, &b, title, caption);
done:
    if (f)
        fclose(f);
    kn_sb_free(&b);
    free(mean);
    free(lo);
    free(hi);
    free(cell);
    free(cnt);
    return rc;
}
