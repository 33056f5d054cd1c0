/* plot_script.c - what every chart of `koning plot` shares: strings made safe for
 * gnuplot, the scenarios' colours, the .dat and .gp files, the pieces of a script (head,
 * terminals per image format, title, caption, legend) and a chart's end (the script
 * written and run, the images checked, the chart listed).
 *
 * Safety: every string that comes from the results file (scenario names, keys, the file
 * path in comments) enters a script only as a single-quoted gnuplot string made by
 * kn_plot_quote (no escapes, no backquote substitution, no macros are expanded inside
 * single quotes; control characters become spaces so a string cannot end a line), and
 * all text is drawn with enhanced mode off. No string from the file goes into a file
 * name or a data line.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include "plot_int.h"
#include "stop.h"
#include "tables.h"

/* ---- text ------------------------------------------------------------------------------ */

/* s as a single-quoted gnuplot string */
void kn_pl_sb_quote(sbuf *b, const char *s)
{
    size_t room = 2 * strlen(s) + 3;
    if (kn_sb_reserve(b, room))
        return;
    kn_plot_quote(s, b->s + b->n, room);
    b->n += strlen(b->s + b->n);
}

char *kn_plot_quote(const char *s, char *out, size_t cap)
{
    if (!out || cap == 0)
        return out;
    if (cap < 3) {
        out[0] = '\0';
        return out;
    }
    size_t k = 0;
    out[k++] = '\'';
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        size_t need = *p == '\'' ? 2 : 1;
        if (k + need + 2 > cap) {
            /* cut short: never leave half a UTF-8 sequence */
            if ((*p & 0xC0) == 0x80) {
                while (k > 1 && ((unsigned char)out[k - 1] & 0xC0) == 0x80)
                    k--;
                if (k > 1 && (unsigned char)out[k - 1] >= 0xC0)
                    k--;
            }
            break;
        }
        if (*p == '\'') {
            out[k++] = '\'';
            out[k++] = '\'';
        } else {
            out[k++] = *p < 0x20 || *p == 0x7f ? ' ' : (char)*p;
        }
    }
    out[k++] = '\'';
    out[k] = '\0';
    return out;
}

/* Copy at most cap-1 bytes of s into out, not cutting a UTF-8 sequence, control
 * characters as spaces. */
void kn_pl_copy_text(char *out, size_t cap, const char *s)
{
    size_t k = 0, len = strlen(s);
    if (len >= cap) {
        len = cap - 1;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    for (; k < len; k++) {
        unsigned char ch = (unsigned char)s[k];
        out[k] = ch < 0x20 || ch == 0x7f ? ' ' : (char)ch;
    }
    out[k] = '\0';
}

/* Characters (not bytes) of UTF-8 text. */
size_t kn_pl_utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* ---- colours --------------------------------------------------------------------------- */

/* The shipped policies (the presets in scenarios/) by name: the Okabe-Ito colours, which stay
 * apart for the common colour-vision deficiencies; the status quo is dark grey. */
static const struct {
    const char *name, *rgb;
} preset_colour[] = {
    {"organisation", "#4D4D4D"},          {"customer-always-right", "#D55E00"},
    {"employees-first", "#0072B2"},       {"investigate-first", "#009E73"},
    {"king-while-behaving", "#CC79A7"},   {"best-customers-first", "#E69F00"},
    {"fire-bad-customers", "#56B4E9"},
};

/* Any other scenario, by its index: Paul Tol's colour-blind-safe "muted" colours,
 * none of which is a preset's, so a custom scenario never takes a policy's colour. */
static const char *const other_colour[] = {"#332288", "#CC6677", "#117733", "#882255",
                                           "#44AA99", "#999933", "#AA4499", "#88CCEE"};

const char *kn_plot_colour(const char *scenario_name, size_t index)
{
    if (scenario_name)
        for (size_t i = 0; i < sizeof preset_colour / sizeof preset_colour[0]; i++)
            if (!strcmp(scenario_name, preset_colour[i].name))
                return preset_colour[i].rgb;
    return other_colour[index % (sizeof other_colour / sizeof other_colour[0])];
}

/* ---- failures -------------------------------------------------------------------------- */

kn_status kn_pl_fail_run(plot_ctx *c, kn_status code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char msg[KN_ERROR_MSG_MAX];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->bad_input = 0;
    return kn_error_set(c->err, code, "%s", msg);
}

/* ---- output files ---------------------------------------------------------------------- */

static void path_join(char *out, size_t cap, const char *dir, const char *name)
{
    size_t len = strlen(dir);
    snprintf(out, cap, "%s%s%s", dir, len && dir[len - 1] == '/' ? "" : "/", name);
}

kn_status kn_pl_open_out(plot_ctx *c, const char *file, FILE **f)
{
    char path[PATH_MAX];
    path_join(path, sizeof path, c->dir, file);
    if (!(*f = fopen(path, "w")))
        return kn_pl_fail_run(c, KN_EIO, "%s: cannot write: %s", path, strerror(errno));
    return KN_OK;
}

kn_status kn_pl_close_out(plot_ctx *c, const char *file, FILE *f)
{
    char path[PATH_MAX];
    path_join(path, sizeof path, c->dir, file);
    int bad = fflush(f) != 0 || ferror(f);
    int e = errno;
    if (fclose(f) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (bad)
        return kn_pl_fail_run(c, KN_EIO, "%s: cannot write: %s", path, strerror(e ? e : EIO));
    return KN_OK;
}

void kn_pl_put_num(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, " %.17g", v);
    else
        fputs(" NaN", f);
}

/* ---- the scripts ----------------------------------------------------------------------- */

static const char *format_list(unsigned formats, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s%s%s%s%s", formats & KN_PLOT_PNG ? "png" : "",
             (formats & KN_PLOT_PNG) && (formats & (KN_PLOT_SVG | KN_PLOT_PDF)) ? " " : "",
             formats & KN_PLOT_SVG ? "svg" : "",
             (formats & KN_PLOT_SVG) && (formats & KN_PLOT_PDF) ? " " : "",
             formats & KN_PLOT_PDF ? "pdf" : "");
    return buf;
}

/* The head of every script: provenance, the settings shared by all charts, the
 * scenarios' names and colours as variables. */
void kn_pl_gp_head(plot_ctx *c, sbuf *b, const char *name)
{
    char fl[32];
    kn_sb_printf(b, "# %s.gp - drawn by koning plot from ", name);
    kn_pl_sb_quote(b, c->h5path);
    kn_sb_printf(b, ".\n# Redraw (after editing this script or %s.dat): gnuplot %s.gp, in this "
                    "directory.\n# The columns of %s.dat are described in its header.\n",
                 name, name, name);
    kn_sb_printf(b, "formats = '%s'  # images written: any of png svg pdf\n",
                 format_list(c->formats, fl, sizeof fl));
    kn_sb_printf(b, "datafile = '%s.dat'\n", name);
    kn_sb_printf(b, "set encoding utf8\n"
                    "set border 3 linewidth 1.2 linecolor rgb '#404040'\n"
                    "set tics nomirror out scale 0.6 textcolor rgb '#202020'\n"
                    "set grid xtics ytics linewidth 1 linecolor rgb '#E4E4E4' dashtype solid\n"
                    "set grid back\n"
                    "fmtv(v) = abs(v) >= 1000 ? sprintf('%%.0f', v) : sprintf('%%.3g', v)\n");
}

/* Per scenario: nameN (legend text), colourN, faintN (the colour, mostly transparent). */
void kn_pl_gp_scenario_vars(plot_ctx *c, sbuf *b)
{
    /* the faint runs: the more there are, the fainter each (opacity 0.3 to 0.1) */
    size_t drawn = c->max_runs < c->n_ok_max ? c->max_runs : c->n_ok_max;
    double opacity = drawn ? 4.0 / (double)drawn : 0.3;
    opacity = opacity > 0.3 ? 0.3 : opacity < 0.1 ? 0.1 : opacity;
    unsigned alpha = (unsigned)lround(255.0 * (1.0 - opacity));
    kn_sb_printf(b,
                 "# the scenarios: legend text, colour (one colour per policy in every chart) and\n"
                 "# the colour of its individual runs (#AARRGGBB, AA = transparency)\n");
    for (size_t s = 0; s < c->st.n_scen; s++) {
        kn_sb_printf(b, "name%zu = ", s + 1);
        kn_pl_sb_quote(b, c->disp[s]);
        kn_sb_printf(b, "\ncolour%zu = '%s'; faint%zu = '#%02X%s'\n", s + 1, c->colour[s], s + 1,
                     alpha, c->colour[s] + 1);
    }
}

/* Open the loop over the image formats; the chart's drawing commands follow. */
void kn_pl_gp_loop_open(plot_ctx *c, sbuf *b, const char *name, int w, int h)
{
    int fs = 15;
    kn_sb_printf(b, "do for [fmt in formats] {\n");
    kn_sb_printf(b, "  if (fmt eq 'png') { set terminal %s size %d,%d font 'Sans,%d' noenhanced "
                    "linewidth 1.2 }\n",
                 c->png_term, w, h, fs);
    /* the same proportions in every format: gnuplot's svg terminal draws text at 3/4 of
     * pngcairo's size, and pdfcairo's text matches pngcairo's on a page of 1/142 inch a
     * pixel (both measured with gnuplot 5.4) */
    kn_sb_printf(b, "  if (fmt eq 'svg') { set terminal svg size %d,%d fontscale 1.3333 font 'Sans,%d' "
                    "noenhanced linewidth 1.2 background '#FFFFFF' }\n",
                 w, h, fs);
    kn_sb_printf(b, "  if (fmt eq 'pdf') { set terminal pdfcairo size %.2fin,%.2fin font 'Sans,%d' "
                    "noenhanced linewidth 1.2 }\n",
                 w / 142.0, h / 142.0, fs);
    kn_sb_printf(b, "  set output '%s.'.fmt\n", name);
}

void kn_pl_gp_loop_close(sbuf *b)
{
    kn_sb_printf(b, "  unset output\n}\n");
}

/* The right edge of a plot with a legend beside it: room for the longest entry (about
 * 11 px a character at the 15-point font of a 1200 px wide page, plus the line sample),
 * and the legend anchored just right of the plot. */
double kn_pl_gp_key_right(sbuf *b, const char *indent, size_t maxchars)
{
    double w = (80.0 + 11.0 * (double)maxchars) / 1200.0;
    double right = 0.975 - w;
    right = right < 0.55 ? 0.55 : right > 0.85 ? 0.85 : right;
    kn_sb_printf(b, "%sset key at screen %.4f, screen 0.9 left top vertical Left reverse samplen 2 "
                    "spacing 1.3 noenhanced\n",
                 indent, right + 0.015);
    return right;
}

/* A caption line at the bottom of the page. */
void kn_pl_gp_caption(sbuf *b, const char *indent, const char *caption)
{
    kn_sb_printf(b, "%sset label 99 ", indent);
    kn_pl_sb_quote(b, caption);
    size_t len = strlen(caption);
    kn_sb_printf(b, " at screen 0.5, screen 0.022 center font ',%d' textcolor rgb '#505050' "
                    "noenhanced\n", len > 195 ? 8 : len > 175 ? 9 : len > 160 ? 10 : 11);
}

void kn_pl_gp_title(sbuf *b, const char *indent, const char *title)
{
    kn_sb_printf(b, "%sset label 98 ", indent);
    kn_pl_sb_quote(b, title);
    kn_sb_printf(b, " at screen 0.5, screen 0.965 center font ',19' noenhanced\n");
}

/* "organisation vs customer-always-right vs employees-first", or "7 scenarios". */
void kn_pl_scenario_list(const plot_ctx *c, char *out, size_t cap)
{
    size_t S = c->st.n_scen, len = 0;
    for (size_t s = 0; s < S; s++)
        len += strlen(c->st.scen_name[s]) + 4;
    if (S == 1) {
        kn_pl_copy_text(out, cap, c->st.scen_name[0]);
    } else if (S <= 4 && len < 80) {
        out[0] = '\0';
        for (size_t s = 0; s < S; s++) {
            size_t k = strlen(out);
            snprintf(out + k, cap - k, "%s%s", s ? " vs " : "", c->st.scen_name[s]);
        }
        kn_pl_copy_text(out, cap, out);
    } else {
        snprintf(out, cap, "%zu scenarios", S);
    }
}

void kn_pl_runs_phrase(const plot_ctx *c, char *out, size_t cap, const char *per)
{
    if (c->n_ok_min == c->n_ok_max)
        snprintf(out, cap, "mean of %zu runs per %s", c->n_ok_min, per);
    else
        snprintf(out, cap, "mean of %zu to %zu runs per %s", c->n_ok_min, c->n_ok_max, per);
}

void kn_pl_level_phrase(const plot_ctx *c, char *out, size_t cap)
{
    snprintf(out, cap, "%g %%", round(c->st.level * 1000.0) / 10.0);
}

/* ---- a chart's end: the files, the drawing, the list ----------------------------------- */

/* 1 when an image gnuplot wrote is whole: it ends as its format ends (gnuplot does not
 * report a full disk, it leaves a short file). */
static int image_complete(const char *path, const char *tail)
{
    char buf[64];
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    long from = size > (long)sizeof buf ? size - (long)sizeof buf : 0;
    size_t n = size > 0 && fseek(f, from, SEEK_SET) == 0 ? fread(buf, 1, sizeof buf, f) : 0;
    fclose(f);
    return n > 0 && memmem(buf, n, tail, strlen(tail)) != NULL;
}

kn_status kn_pl_chart_done(plot_ctx *c, const char *name, sbuf *gp, const char *title,
                           const char *caption)
{
    char file[160];
    FILE *f;
    if (gp->oom)
        return kn_pl_fail_run(c, KN_ENOMEM, "out of memory");
    snprintf(file, sizeof file, "%s.gp", name);
    KN_CHECK(kn_pl_open_out(c, file, &f));
    fwrite(gp->s, 1, gp->n, f);
    KN_CHECK(kn_pl_close_out(c, file, f));
    char errl[512];
    if (kn_pl_gp_send(&c->gp, "reset session\n") || kn_pl_gp_send(&c->gp, gp->s) ||
        kn_pl_gp_ask(&c->gp, "'ok'")) {
        /* gnuplot is gone: the caller reaps it and reports why */
        c->gp_gone = 1;
        return kn_pl_fail_run(c, KN_EIO, "gnuplot stopped while drawing %s", name);
    }
    if (kn_pl_gp_errors(&c->gp, errl, sizeof errl, 0))
        return kn_pl_fail_run(c, KN_EIO, "gnuplot failed: %s (drawing %s)", errl, name);
    static const struct {
        unsigned bit;
        const char *ext, *tail;
    } img[] = {{KN_PLOT_PNG, "png", "IEND"}, {KN_PLOT_SVG, "svg", "</svg>"}, {KN_PLOT_PDF, "pdf", "%%EOF"}};
    for (size_t i = 0; i < sizeof img / sizeof img[0]; i++) {
        if (!(c->formats & img[i].bit))
            continue;
        char path[PATH_MAX];
        snprintf(file, sizeof file, "%s.%s", name, img[i].ext);
        path_join(path, sizeof path, c->dir, file);
        if (!image_complete(path, img[i].tail)) {
            struct statvfs fs;
            if (kn_stop_requested())
                return kn_pl_fail_run(c, KN_EIO, "%s: not finished: interrupted", path);
            if (statvfs(c->dir, &fs) == 0 && (double)fs.f_bavail * (double)fs.f_frsize < 1048576.0)
                return kn_pl_fail_run(c, KN_EIO, "%s: gnuplot could not write the whole image: %s",
                                      path, strerror(ENOSPC));
            return kn_pl_fail_run(c, KN_EIO, "%s: gnuplot could not write the whole image", path);
        }
    }
    kn_plot_list *l = c->made;
    if (l) {
        kn_plot_chart *nc = realloc(l->chart, (l->n + 1) * sizeof *nc);
        if (!nc)
            return kn_pl_fail_run(c, KN_ENOMEM, "out of memory");
        l->chart = nc;
        kn_plot_chart *ch = &l->chart[l->n++];
        memset(ch, 0, sizeof *ch);
        kn_pl_copy_text(ch->name, sizeof ch->name, name);
        kn_pl_copy_text(ch->title, sizeof ch->title, title);
        kn_pl_copy_text(ch->caption, sizeof ch->caption, caption);
    }
    if (!c->quiet) {
        size_t dl = strlen(c->dir);
        char dir[KN_TTY_MAX];
        printf("wrote %s%s%s.{%s%s%sdat,gp}\n", kn_tty_text(dir, sizeof dir, c->dir),
               dl && c->dir[dl - 1] == '/' ? "" : "/", name,
               c->formats & KN_PLOT_PNG ? "png," : "", c->formats & KN_PLOT_SVG ? "svg," : "",
               c->formats & KN_PLOT_PDF ? "pdf," : "");
        fflush(stdout);
    }
    return KN_OK;
}

void kn_pl_skip_note(const plot_ctx *c, const char *name, const char *why)
{
    if (!c->quiet) {
        char safe[KN_TTY_MAX];
        printf("skipped %s: %s\n", name, kn_tty_text(safe, sizeof safe, why));
        fflush(stdout);
    }
}

/* ---- numbers --------------------------------------------------------------------------- */

/* About four round tic steps over [lo, hi]. */
double kn_pl_nice_step(double lo, double hi, int n)
{
    double span = hi - lo;
    if (!(span > 0.0))
        return 0.0;
    double raw = span / n, mag = pow(10.0, floor(log10(raw))), f = raw / mag;
    return (f < 1.5 ? 1.0 : f < 3.0 ? 2.0 : f < 7.0 ? 5.0 : 10.0) * mag;
}

int kn_pl_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}
