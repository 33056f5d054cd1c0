/* htmlreport_text.c - text and numbers as HTML, for every section of `koning report`
 * (declared in htmlreport_int.h).
 *
 * Every string that comes from the results file reaches the page through hr_esc. Numbers
 * are written for people: thousands grouped, a real minus sign, as many decimals as the
 * confidence intervals justify. A scenario's name carries the colour the charts give it.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "htmlreport_int.h"

/* ---- escaping -------------------------------------------------------------------------- */

/* Text from the file (or any text) as HTML: & < > " ' escaped, control characters
 * other than tab and newline dropped. Safe in element content and quoted attributes. */
void hr_esc(buf *b, const char *s)
{
    if (!s)
        return;
    const char *run = s;
    for (; *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default:
            if ((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n')
                rep = "";
        }
        if (rep) {
            kn_sb_put(b, run, (size_t)(s - run));
            kn_sb_puts(b, rep);
            run = s + 1;
        }
    }
    kn_sb_put(b, run, (size_t)(s - run));
}

/* A dotted key that may break after its dots (narrow table headers). */
void hr_key_breakable(buf *b, const char *key)
{
    for (const char *d; (d = strchr(key, '.')); key = d + 1) {
        char *part = strndup(key, (size_t)(d - key) + 1);
        hr_esc(b, part ? part : "");
        free(part);
        kn_sb_puts(b, "<wbr>");
    }
    hr_esc(b, key);
}

/* ---- numbers --------------------------------------------------------------------------- */

/* v with `dec` decimals, thousands separated by commas, a real minus sign (U+2212) and
 * no "-0"; "n/a" when v is not finite. Returns out. */
char *hr_fmt_fixed(char *out, size_t cap, double v, int dec)
{
    if (!isfinite(v)) {
        snprintf(out, cap, "n/a");
        return out;
    }
    char raw[512];
    snprintf(raw, sizeof raw, "%.*f", dec, fabs(v));
    int neg = v < 0 && strspn(raw, "0.") != strlen(raw);
    const char *dot = strchr(raw, '.');
    size_t ilen = dot ? (size_t)(dot - raw) : strlen(raw);
    char tmp[600];
    size_t k = 0;
    if (neg)
        k += (size_t)snprintf(tmp, sizeof tmp, "\xe2\x88\x92");
    for (size_t i = 0; i < ilen && k < sizeof tmp - 2; i++) {
        if (i && ilen >= 4 && (ilen - i) % 3 == 0)
            tmp[k++] = ',';
        tmp[k++] = raw[i];
    }
    for (const char *d = dot; d && *d && k < sizeof tmp - 1; d++)
        tmp[k++] = *d;
    tmp[k] = '\0';
    if (cap) {
        size_t m = k < cap - 1 ? k : cap - 1;
        memcpy(out, tmp, m);
        out[m] = '\0';
    }
    return out;
}

/* A parameter value for people: integers as integers (grouped), other numbers with up to
 * 6 significant digits; "not used" for NaN. */
char *hr_fmt_value(char *out, size_t cap, double v)
{
    if (isnan(v)) {
        snprintf(out, cap, "not used");
        return out;
    }
    if (v == floor(v) && fabs(v) < 1e15)
        return hr_fmt_fixed(out, cap, v, 0);
    char g[64];
    snprintf(g, sizeof g, "%.6g", v);
    if (strchr(g, 'e'))
        snprintf(out, cap, "%s", g);
    else {
        const char *dot = strchr(g, '.');
        int dec = dot ? (int)strlen(dot + 1) : 0;
        hr_fmt_fixed(out, cap, v, dec);
    }
    return out;
}

/* Decimals for a column of means: one significant digit of the smallest half-width of
 * the intervals (values already multiplied by `scale`), between 0 and 3; by magnitude
 * when no interval is known. */
int hr_col_decimals(const double *mean, const double *lo, const double *hi, size_t n,
                    double scale)
{
    double hw = INFINITY, mag = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (lo && hi && isfinite(lo[i]) && isfinite(hi[i])) {
            double h = (hi[i] - lo[i]) / 2.0 * scale;
            if (h > 0.0 && h < hw)
                hw = h;
        }
        if (isfinite(mean[i]) && fabs(mean[i] * scale) > mag)
            mag = fabs(mean[i] * scale);
    }
    int d;
    if (isfinite(hw))
        d = (int)-floor(log10(hw));
    else
        d = mag >= 100.0 ? 0 : mag >= 1.0 ? 1 : 3;
    return d < 0 ? 0 : d > 3 ? 3 : d;
}

int hr_same_num(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

/* ---- numbers with their unit ----------------------------------------------------------- */

/* A metric value with its unit, e.g. "72.6 %", "47,724 money a week". */
void hr_metric_value(buf *b, const metric_def *d, double v, int dec)
{
    char t[96];
    kn_sb_puts(b, hr_fmt_fixed(t, sizeof t, v * d->scale, dec));
    if (d->scale == 100.0)
        kn_sb_puts(b, "\xc2\xa0%");
}

void hr_interval(buf *b, double lo, double hi, double scale, int dec)
{
    char a[96], c[96];
    if (!isfinite(lo) || !isfinite(hi))
        return;
    /* "66–79", but "−54 to 198": a dash after a minus sign reads as a second minus */
    hr_fmt_fixed(a, sizeof a, lo * scale, dec);
    hr_fmt_fixed(c, sizeof c, hi * scale, dec);
    kn_sb_printf(b, "%s%s%s", a, !strncmp(a, "\xe2\x88\x92", 3) ? " to " : "\xe2\x80\x93", c);
}

/* ---- scenarios and keys ---------------------------------------------------------------- */

/* The colour of scenario i, as the charts draw it. */
static const char *scen_colour(const report *R, size_t i)
{
    return kn_plot_colour(R->s.scen_name[i], i);
}

static void b_swatch(buf *b, const report *R, size_t i)
{
    const char *c = scen_colour(R, i);
    /* only a "#rrggbb" reaches the style attribute */
    int okc = c && c[0] == '#' && strlen(c) == 7 && strspn(c + 1, "0123456789abcdefABCDEF") == 6;
    kn_sb_printf(b, "<span class=\"sw\" style=\"background:%s\"></span>", okc ? c : "#888888");
}

void hr_scen(buf *b, const report *R, size_t i)
{
    kn_sb_puts(b, "<span class=\"scen\">");
    b_swatch(b, R, i);
    hr_esc(b, R->s.scen_name[i]);
    kn_sb_puts(b, "</span>");
}

char *hr_pct_level(char *out, size_t cap, double level)
{
    snprintf(out, cap, "%g\xc2\xa0%%", 100.0 * level);
    return out;
}

/* A key's value in scenario i as text: "exponential", "14", "0.3", the profile. */
void hr_keyval(buf *b, const keyval *k, size_t i)
{
    char t[96];
    if (k->is_str) {
        hr_esc(b, k->str[i]);
        return;
    }
    if (k->cols == 1) {
        kn_sb_puts(b, hr_fmt_value(t, sizeof t, k->num[i]));
        return;
    }
    /* an array: runs of equal values, "0 ×8, 50 ×10, 0 ×6" */
    const double *a = k->num + i * k->cols;
    size_t j = 0;
    int first = 1;
    while (j < k->cols) {
        size_t e = j + 1;
        while (e < k->cols && hr_same_num(a[e], a[j]))
            e++;
        if (!first)
            kn_sb_puts(b, ", ");
        first = 0;
        kn_sb_puts(b, hr_fmt_value(t, sizeof t, a[j]));
        if (e - j > 1)
            kn_sb_printf(b, " \xc3\x97%zu", e - j);
        j = e;
    }
}
