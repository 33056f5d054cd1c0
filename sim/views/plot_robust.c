/* plot_robust.c - the charts of a robust study (`koning plot` of a file `koning robust`
 * wrote; docs/robust.md#charts): the win shares (per metric, the share of worlds where
 * each policy is best, its Wilson interval, and the share where it is in the best set),
 * the sensitivity indices of the gaps (a table of colours: gap x magnitude), and a
 * tipping-point map per metric over its two most influential magnitudes (which policy
 * wins in each cell, the boundaries between winners outlined, each world a dot).
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plot_int.h"
#include "robust_verdict.h"

#define SENS_KEYS 12 /* magnitudes shown in a sensitivity chart */

static const char *const m_label[KN_RB_METRICS] = {"retention", "service quality", "staff turnover",
                                                   "profit"};

static void policy_colour(const kn_rb_verdict *rb, size_t p, char out[8])
{
    snprintf(out, 8, "%s", kn_plot_colour(rb->policy[p], p));
}

/* The policies' names and colours as gnuplot variables pnameN, pcolourN (N from 1). */
static void policy_vars(const kn_rb_verdict *rb, sbuf *b)
{
    for (size_t p = 0; p < rb->n_policies; p++) {
        char col[8], name[DISPLAY_MAX];
        policy_colour(rb, p, col);
        kn_pl_copy_text(name, sizeof name, rb->policy[p]);
        kn_sb_printf(b, "pname%zu = ", p + 1);
        kn_pl_sb_quote(b, name);
        kn_sb_printf(b, "; pcolour%zu = '%s'\n", p + 1, col);
    }
}

/* ---- win shares ------------------------------------------------------------------------- */

kn_status kn_pl_chart_robust_wins(plot_ctx *c, const chart_plan *pl)
{
    const kn_rb_verdict *rb = c->rb;
    size_t P = rb->n_policies;
    sbuf b = {0};
    FILE *f = NULL;
    char title[256], caption[512], file[160];
    snprintf(file, sizeof file, "%s.dat", pl->name);
    kn_status rc = kn_pl_open_out(c, file, &f);
    if (rc != KN_OK)
        return rc;
    fprintf(f, "# %s.dat - written by koning plot: per headline metric (one block each, gnuplot index\n"
               "# 0..3: retention, service_quality, staff_turnover, profit), per policy: the share of the\n"
               "# %zu worlds used where it is best (a tie shares the world), its Wilson 95 %% interval, and\n"
               "# the share of worlds where it is in the best set (paired subset selection, alpha %.2g).\n"
               "# row colour win win_lo win_hi set set_lo set_hi\n", pl->name, rb->n_used, KN_RB_ALPHA);
    for (size_t m = 0; m < KN_RB_METRICS; m++) {
        fprintf(f, "# %s\n", kn_rb_metric_name(m));
        for (size_t p = 0; p < P; p++) {
            char col[8];
            policy_colour(rb, p, col);
            const kn_rb_policy *s = rb->ok[m] ? &rb->stats[m * P + p] : NULL;
            fprintf(f, "%zu %ld", p, strtol(col + 1, NULL, 16));
            kn_pl_put_num(f, s ? s->r.win_share : NAN);
            kn_pl_put_num(f, s ? s->r.win_lo : NAN);
            kn_pl_put_num(f, s ? s->r.win_hi : NAN);
            kn_pl_put_num(f, s ? s->set_share : NAN);
            kn_pl_put_num(f, s ? s->set_lo : NAN);
            kn_pl_put_num(f, s ? s->set_hi : NAN);
            fputc('\n', f);
        }
        fputs("\n\n", f);
    }
    if ((rc = kn_pl_close_out(c, file, f)) != KN_OK)
        return rc;
    snprintf(title, sizeof title, "Who is best in how many worlds: %s", rb->name);
    kn_pl_copy_text(title, sizeof title, title);
    snprintf(caption, sizeof caption, "%zu worlds (%s), %zu replications each; bars: share of worlds "
             "where the policy is best, whiskers: Wilson 95 %% interval; diamonds: share where it is "
             "in the best set", rb->n_used, rb->design, rb->reps);
    size_t maxlen = 4;
    for (size_t p = 0; p < P; p++)
        maxlen = kn_pl_utf8_len(rb->policy[p]) > maxlen ? kn_pl_utf8_len(rb->policy[p]) : maxlen;
    double left = 0.03 + 0.0085 * (double)(maxlen > 40 ? 40 : maxlen), right = 0.965, gap = 0.03;
    double pw = (right - left - 3 * gap) / 4.0;
    int h = P <= 3 ? 560 : (int)(560 + 45 * (P - 3));
    kn_pl_gp_head(c, &b, pl->name);
    policy_vars(rb, &b);
    kn_pl_gp_loop_open(c, &b, pl->name, 1200, h);
    kn_sb_printf(&b, "  set multiplot\n");
    kn_pl_gp_title(&b, "  ", title);
    kn_pl_gp_caption(&b, "  ", caption);
    kn_sb_printf(&b, "  unset key\n  set yrange [%.1f:-0.6]\n  set xrange [0:100]\n"
                     "  set xtics 25 font ',11'\n  set grid xtics noytics\n", (double)P - 0.4);
    for (size_t m = 0; m < KN_RB_METRICS; m++) {
        double x0 = left + (double)m * (pw + gap);
        kn_sb_printf(&b, "  set lmargin at screen %.4f; set rmargin at screen %.4f\n"
                         "  set tmargin at screen %.4f; set bmargin at screen %.4f\n",
                     x0, x0 + pw, 1.0 - 120.0 / h, 110.0 / h);
        kn_sb_printf(&b, "  set title \"%s\\n(%s is better)\" font ',14'\n"
                         "  set xlabel '%% of worlds' font ',12'\n",
                     m_label[m], kn_rb_higher_better(m) ? "higher" : "lower");
        if (m == 0) {
            kn_sb_printf(&b, "  set ytics (");
            for (size_t p = 0; p < P; p++)
                kn_sb_printf(&b, "%spname%zu %zu", p ? ", " : "", p + 1, p);
            kn_sb_printf(&b, ") scale 0 font ',13'\n");
        } else {
            kn_sb_printf(&b, "  set ytics 1 format '' scale 0\n");
        }
        kn_sb_printf(&b, "  plot datafile index %zu using (50*$3):1:(50*$3):(0.3):2 with boxxyerror "
                         "fillstyle solid 0.85 noborder linecolor rgb variable, \\\n"
                         "       datafile index %zu using (100*$3):1:(100*$4):(100*$5) with xerrorbars "
                         "pointtype 0 linecolor rgb '#303030' linewidth 1.5, \\\n"
                         "       datafile index %zu using (100*$6):1 with points pointtype 12 pointsize 2 "
                         "linewidth 2 linecolor rgb '#202020'\n", m, m, m);
        if (m == 0)
            kn_sb_printf(&b, "  unset label 98; unset label 99\n");
    }
    kn_sb_printf(&b, "  unset multiplot\n");
    kn_pl_gp_loop_close(&b);
    rc = kn_pl_chart_done(c, pl->name, &b, title, caption);
    kn_sb_free(&b);
    return rc;
}

/* ---- sensitivity: gap x magnitude ------------------------------------------------------- */

static double sens_value(const kn_rb_gap *g, size_t j, double gap_max)
{
    if (g->sens == 1)
        return g->sobol[j].total;
    return gap_max > 0 ? g->morris[j].mu_star / gap_max : NAN;
}

kn_status kn_pl_chart_robust_sens(plot_ctx *c, const chart_plan *pl)
{
    const kn_rb_verdict *rb = c->rb;
    size_t m = pl->key, K = rb->n_keys;
    size_t gaps[64], ng = 0;
    for (size_t g = 0; g < rb->n_gaps && ng < 64; g++)
        if (rb->gap[g].metric == m && rb->gap[g].sens)
            gaps[ng++] = g;
    double *score = calloc(K, sizeof *score), *gmax = calloc(ng ? ng : 1, sizeof *gmax);
    size_t keys[SENS_KEYS], nk = 0;
    if (!score || !gmax) {
        free(score);
        free(gmax);
        return kn_pl_fail_run(c, KN_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < ng; i++) {
        const kn_rb_gap *g = &rb->gap[gaps[i]];
        for (size_t j = 0; j < K; j++)
            if (g->sens == 2 && g->morris[j].mu_star > gmax[i])
                gmax[i] = g->morris[j].mu_star;
        for (size_t j = 0; j < K; j++) {
            double v = sens_value(g, j, gmax[i]);
            if (isfinite(v) && v > 0)
                score[j] += v;
        }
    }
    while (nk < SENS_KEYS && nk < K) {
        size_t best = SIZE_MAX;
        for (size_t j = 0; j < K; j++) {
            int taken = 0;
            for (size_t i = 0; i < nk; i++)
                taken |= keys[i] == j;
            if (!taken && (best == SIZE_MAX || score[j] > score[best]))
                best = j;
        }
        keys[nk++] = best;
    }
    free(score);
    if (ng == 0) {
        free(gmax);
        kn_pl_skip_note(c, pl->name, "no sensitivity indices for this metric");
        return KN_OK;
    }
    int sobol = rb->gap[gaps[0]].sens == 1;
    sbuf b = {0};
    FILE *f = NULL;
    char title[256], caption[512], file[160];
    snprintf(file, sizeof file, "%s.dat", pl->name);
    kn_status rc = kn_pl_open_out(c, file, &f);
    if (rc != KN_OK) {
        free(gmax);
        return rc;
    }
    fprintf(f, "# %s.dat - written by koning plot: which assumed magnitudes the gaps on %s hinge on.\n"
               "# One line per cell (a blank line between rows): column 1: magnitude (x index), 2: gap\n"
               "# (y index), 3: %s, 4: the same as printed.\n",
            pl->name, kn_rb_metric_name(m),
            sobol ? "total Sobol index S_T of the gap" : "Morris mu* of the gap / the largest mu* of that gap");
    for (size_t i = 0; i < nk; i++)
        fprintf(f, "# x %zu: %s\n", i, rb->key[keys[i]]);
    for (size_t i = 0; i < ng; i++)
        fprintf(f, "# y %zu: %s - %s\n", i, rb->policy[rb->gap[gaps[i]].a], rb->policy[rb->gap[gaps[i]].b]);
    for (size_t i = 0; i < ng; i++) {
        for (size_t j = 0; j < nk; j++) {
            double v = sens_value(&rb->gap[gaps[i]], keys[j], gmax[i]);
            fprintf(f, "%zu %zu", j, i);
            kn_pl_put_num(f, v);
            fprintf(f, " %.2f\n", isfinite(v) ? v : 0.0);
        }
        fputc('\n', f);
    }
    if ((rc = kn_pl_close_out(c, file, f)) != KN_OK) {
        free(gmax);
        return rc;
    }
    snprintf(title, sizeof title, "What the gaps on %s hinge on", m_label[m]);
    snprintf(caption, sizeof caption, "%s; the %zu magnitudes that matter most to these gaps, of %zu; "
             "intervals and the rest: koning robust FILE.h5 --json",
             sobol ? "Cells: total Sobol index S_T of each gap (share of its variance across worlds "
                     "that involves the magnitude)"
                   : "Cells: Morris mu* of each gap, as a share of that gap's largest",
             nk, K);
    kn_pl_gp_head(c, &b, pl->name);
    int h = (int)(420 + 40 * ng);
    kn_pl_gp_loop_open(c, &b, pl->name, 1200, h);
    kn_pl_gp_title(&b, "  ", title);
    kn_pl_gp_caption(&b, "  ", caption);
    kn_sb_printf(&b, "  set palette defined (0 '#FFFFFF', 0.5 '#6BAED6', 1 '#08306B')\n"
                     "  set cbrange [0:1]\n  set cblabel '%s'\n", sobol ? "S_T" : "mu* / largest");
    kn_sb_printf(&b, "  set xrange [-0.5:%.1f]; set yrange [%.1f:-0.5]\n  unset grid\n  set border 0\n",
                 (double)nk - 0.5, (double)ng - 0.5);
    kn_sb_printf(&b, "  set xtics (");
    for (size_t j = 0; j < nk; j++) {
        kn_sb_printf(&b, "%s", j ? ", " : "");
        kn_pl_sb_quote(&b, rb->key[keys[j]]);
        kn_sb_printf(&b, " %zu", j);
    }
    kn_sb_printf(&b, ") rotate by 35 right scale 0 font ',11'\n  set ytics (");
    for (size_t i = 0; i < ng; i++) {
        char lab[2 * DISPLAY_MAX + 8];
        snprintf(lab, sizeof lab, "%s - %s", rb->policy[rb->gap[gaps[i]].a], rb->policy[rb->gap[gaps[i]].b]);
        kn_sb_printf(&b, "%s", i ? ", " : "");
        kn_pl_sb_quote(&b, lab);
        kn_sb_printf(&b, " %zu", i);
    }
    kn_sb_printf(&b, ") scale 0 font ',12'\n");
    kn_sb_printf(&b, "  set lmargin at screen 0.33; set rmargin at screen 0.88\n"
                     "  set tmargin at screen %.4f; set bmargin at screen %.4f\n",
                 1.0 - 90.0 / h, 250.0 / h);
    kn_sb_printf(&b, "  plot datafile using 1:2:3 with image notitle, \\\n"
                     "       datafile using 1:2:4:($3 > 0.6 ? 0xFFFFFF : 0x202020) with labels "
                     "textcolor rgb variable font ',10' notitle\n");
    kn_pl_gp_loop_close(&b);
    rc = kn_pl_chart_done(c, pl->name, &b, title, caption);
    kn_sb_free(&b);
    free(gmax);
    return rc;
}

/* ---- the tipping-point map -------------------------------------------------------------- */

/* A magnitude's value at position t of its range (as robust.h maps the design). */
static double at_unit(const kn_rb_verdict *rb, size_t k, double t)
{
    double lo = rb->low[k], hi = rb->high[k];
    if (!strcmp(rb->spread[k], "log_uniform") && lo > 0)
        return exp(log(lo) + t * (log(hi) - log(lo)));
    return lo + t * (hi - lo);
}

kn_status kn_pl_chart_robust_map(plot_ctx *c, const chart_plan *pl)
{
    const kn_rb_verdict *rb = c->rb;
    size_t m = pl->key, kx = rb->map_x[m], ky = rb->map_y[m], W = rb->n_worlds, P = rb->n_policies;
    size_t K = rb->n_keys;
    size_t G = !strcmp(rb->design, "morris") && rb->levels >= 2 ? (size_t)rb->levels
                                                                : (size_t)lround(sqrt((double)rb->n_used / 4.0));
    G = G < 2 ? 2 : G > 10 ? 10 : G;
    double *wins = calloc(G * G * P, sizeof *wins);
    size_t *cell_winner = malloc(G * G * sizeof *cell_winner);
    if (!wins || !cell_winner) {
        free(wins);
        free(cell_winner);
        return kn_pl_fail_run(c, KN_ENOMEM, "out of memory");
    }
    for (size_t w = 0; w < W; w++) {
        size_t win = rb->winner[m * W + w];
        if (!rb->used[w] || win == SIZE_MAX)
            continue;
        size_t i = (size_t)(rb->unit[w * K + kx] * (double)G), j = (size_t)(rb->unit[w * K + ky] * (double)G);
        i = i >= G ? G - 1 : i;
        j = j >= G ? G - 1 : j;
        wins[(j * G + i) * P + win] += 1.0;
    }
    int *present = calloc(P, sizeof *present);
    for (size_t q = 0; q < G * G; q++) {
        size_t best = SIZE_MAX, ties = 0;
        for (size_t p = 0; p < P; p++) {
            double v = wins[q * P + p];
            if (v <= 0)
                continue;
            if (best == SIZE_MAX || v > wins[q * P + best]) {
                best = p;
                ties = 1;
            } else if (v == wins[q * P + best]) {
                ties++;
            }
        }
        cell_winner[q] = best == SIZE_MAX ? SIZE_MAX : ties > 1 ? SIZE_MAX - 1 : best;
        if (present && best < P && ties == 1)
            present[best] = 1;
    }
    sbuf b = {0};
    FILE *f = NULL;
    char title[400], caption[512], file[160];
    snprintf(file, sizeof file, "%s.dat", pl->name);
    kn_status rc = kn_pl_open_out(c, file, &f);
    if (rc != KN_OK)
        goto done;
    fprintf(f, "# %s.dat - written by koning plot: which policy is best on %s over %s (x) and %s (y),\n"
               "# positions in each range from 0 (low) to 1 (high), %zu x %zu cells.\n"
               "# block 0 (index 0): each cell with worlds: x, y (centre), half width, half height,\n"
               "#   colour of the policy best in most of its worlds (0xRRGGBB; white: a tie), worlds\n"
               "# block 1 (index 1): the boundaries between cells with different winners: x, y, dx, dy\n"
               "# block 2 (index 2): every world: x, y, colour of its winner\n"
               "# block 3 (index 3): the cells where two or more policies tie: x, y\n",
            pl->name, kn_rb_metric_name(m), rb->key[kx], rb->key[ky], G, G);
    for (size_t j = 0; j < G; j++)
        for (size_t i = 0; i < G; i++) {
            size_t q = j * G + i, n = 0;
            for (size_t p = 0; p < P; p++)
                n += (size_t)wins[q * P + p];
            if (!n)
                continue;
            char col[8] = "#FFFFFF";
            if (cell_winner[q] < P)
                policy_colour(rb, cell_winner[q], col);
            fprintf(f, "%.6f %.6f %.6f %.6f %ld %zu\n", (i + 0.5) / (double)G, (j + 0.5) / (double)G,
                    0.5 / (double)G, 0.5 / (double)G, strtol(col + 1, NULL, 16), n);
        }
    fputs("\n\n", f);
    size_t segs = 0;
    for (size_t j = 0; j < G; j++)
        for (size_t i = 0; i < G; i++) {
            size_t q = j * G + i;
            if (cell_winner[q] == SIZE_MAX)
                continue;
            if (i + 1 < G && cell_winner[q + 1] != SIZE_MAX && cell_winner[q + 1] != cell_winner[q]) {
                fprintf(f, "%.6f %.6f 0 %.6f\n", (i + 1) / (double)G, j / (double)G, 1.0 / (double)G);
                segs++;
            }
            if (j + 1 < G && cell_winner[q + G] != SIZE_MAX && cell_winner[q + G] != cell_winner[q]) {
                fprintf(f, "%.6f %.6f %.6f 0\n", i / (double)G, (j + 1) / (double)G, 1.0 / (double)G);
                segs++;
            }
        }
    if (!segs)
        fputs("NaN NaN NaN NaN\n", f);
    fputs("\n\n", f);
    for (size_t w = 0; w < W; w++) {
        size_t win = rb->winner[m * W + w];
        if (!rb->used[w] || win == SIZE_MAX)
            continue;
        char col[8];
        policy_colour(rb, win, col);
        fprintf(f, "%.6f %.6f %ld\n", rb->unit[w * K + kx], rb->unit[w * K + ky], strtol(col + 1, NULL, 16));
    }
    fputs("\n\n", f);
    size_t ties = 0;
    for (size_t q = 0; q < G * G; q++)
        if (cell_winner[q] == SIZE_MAX - 1) {
            fprintf(f, "%.6f %.6f\n", (q % G + 0.5) / (double)G, (q / G + 0.5) / (double)G);
            ties++;
        }
    if (!ties)
        fputs("-10 -10\n", f); /* outside the plot: gnuplot 5.4 crashes on labels with no valid point */
    if ((rc = kn_pl_close_out(c, file, f)) != KN_OK)
        goto done;
    snprintf(title, sizeof title, "Who is best on %s, over %s and %s", m_label[m], rb->key[kx], rb->key[ky]);
    kn_pl_copy_text(title, sizeof title, title);
    snprintf(caption, sizeof caption, "Each cell: the policy best in most of its worlds, the other %zu "
             "magnitude%s as %s; black lines: where the winner changes; dots: the worlds, "
             "coloured by their winner", K - 2, K == 3 ? "" : "s", K == 3 ? "it falls" : "they fall");
    kn_pl_gp_head(c, &b, pl->name);
    policy_vars(rb, &b);
    kn_pl_gp_loop_open(c, &b, pl->name, 1200, 900);
    kn_pl_gp_title(&b, "  ", title);
    kn_pl_gp_caption(&b, "  ", caption);
    kn_sb_printf(&b, "  set xrange [0:1]; set yrange [0:1]\n  unset grid\n"
                     "  set lmargin at screen 0.12; set rmargin at screen 0.7\n"
                     "  set tmargin at screen 0.9; set bmargin at screen 0.14\n");
    kn_sb_printf(&b, "  set xlabel ");
    kn_pl_sb_quote(&b, rb->key[kx]);
    kn_sb_printf(&b, " font ',13'\n  set ylabel ");
    kn_pl_sb_quote(&b, rb->key[ky]);
    kn_sb_printf(&b, " font ',13'\n  set xtics (");
    for (int t = 0; t <= 4; t++)
        kn_sb_printf(&b, "%s'%.3g' %.2f", t ? ", " : "", at_unit(rb, kx, t / 4.0), t / 4.0);
    kn_sb_printf(&b, ") font ',12'\n  set ytics (");
    for (int t = 0; t <= 4; t++)
        kn_sb_printf(&b, "%s'%.3g' %.2f", t ? ", " : "", at_unit(rb, ky, t / 4.0), t / 4.0);
    kn_sb_printf(&b, ") font ',12'\n");
    kn_sb_printf(&b, "  set key at screen 0.72, screen 0.88 left top vertical Left reverse samplen 1.5 "
                     "spacing 1.4 noenhanced\n");
    kn_sb_printf(&b, "  plot datafile index 0 using 1:2:3:4:5 with boxxyerror fillstyle solid 0.45 "
                     "noborder linecolor rgb variable notitle, \\\n"
                     "       datafile index 1 using 1:2:3:4 with vectors nohead linewidth 4 "
                     "linecolor rgb '#000000' notitle, \\\n"
                     "       datafile index 2 using 1:2:3 with points pointtype 7 pointsize 1.1 "
                     "linecolor rgb variable notitle, \\\n"
                     "       datafile index 3 using 1:2:('tie') with labels font ',11' textcolor "
                     "rgb '#505050' notitle");
    for (size_t p = 0; p < P; p++)
        if (present && present[p])
            kn_sb_printf(&b, ", \\\n       NaN with boxes fillstyle solid 0.8 linecolor rgb pcolour%zu "
                             "title pname%zu", p + 1, p + 1);
    kn_sb_printf(&b, "\n");
    kn_pl_gp_loop_close(&b);
    rc = kn_pl_chart_done(c, pl->name, &b, title, caption);
done:
    kn_sb_free(&b);
    free(wins);
    free(cell_winner);
    free(present);
    return rc;
}
