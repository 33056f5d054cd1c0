/* htmlreport_charts.c - the charts of `koning report` (declared in htmlreport_int.h).
 *
 * The plotter (plot.h) draws the charts of the results file as SVG into a temporary
 * directory; the section reads each one back and embeds it in the page as a base64 data
 * URI, with its title and caption, so that the page loads nothing from outside it. The
 * charts of the switch go into the verdict section (htmlreport_verdict.c) instead. The
 * directory and everything in it is removed by hr_report_free.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "htmlreport_int.h"

/* ---- drawing --------------------------------------------------------------------------- */

kn_status hr_charts_draw(report *R, const kn_report_opts *opts, kn_error *err)
{
    const char *td = getenv("TMPDIR");
    if (opts && opts->tmpdir)
        td = opts->tmpdir;
    char tmpl[PATH_MAX];
    snprintf(tmpl, sizeof tmpl, "%s/koning-report-XXXXXX", td && *td ? td : "/tmp");
    if (!mkdtemp(tmpl)) {
        return kn_error_set(err, KN_EIO, "%s: cannot make a temporary directory: %s", tmpl,
                            strerror(errno));
    }
    if (!(R->chart_dir = strdup(tmpl))) {
        rmdir(tmpl);
        return kn_error_set(err, KN_ENOMEM, "out of memory");
    }
    kn_plot_opts po = {KN_PLOT_SVG, opts ? opts->max_runs : 0, NULL, 1};
    return kn_plot_file(R->path, R->chart_dir, &po, &R->charts, err);
}

/* ---- the section ----------------------------------------------------------------------- */

static void b_base64(buf *b, const unsigned char *d, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char q[4];
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)d[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)d[i + 1] << 8;
        if (i + 2 < n)
            v |= d[i + 2];
        q[0] = tab[(v >> 18) & 63];
        q[1] = tab[(v >> 12) & 63];
        q[2] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
        q[3] = i + 2 < n ? tab[v & 63] : '=';
        kn_sb_put(b, q, 4);
    }
}

/* Chart i as a figure: the SVG as a base64 data URI, the title as alt text and caption. */
static kn_status embed_chart(buf *b, const report *R, size_t i, kn_error *err)
{
    const kn_plot_chart *c = &R->charts.chart[i];
    if (!c->name[0] || strchr(c->name, '/') || c->name[0] == '.')
        return kn_error_set(err, KN_EIO, "chart %zu: bad name '%s'", i, c->name);
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s.svg", R->chart_dir, c->name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return kn_error_set(err, KN_EIO, "%s: cannot read chart: %s", path, strerror(errno));
    buf img = {0};
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        kn_sb_put(&img, chunk, got);
    int bad = ferror(f);
    fclose(f);
    if (bad || img.oom || !img.n) {
        const char *why = img.oom ? ": out of memory" : !img.n && !bad ? ": empty" : "";
        kn_sb_free(&img); /* zeroes img */
        return kn_error_set(err, KN_EIO, "%s: cannot read chart%s", path, why);
    }
    kn_sb_printf(b, "<figure id=\"chart-%zu\"><img src=\"data:image/svg+xml;base64,", i + 1);
    b_base64(b, (const unsigned char *)img.s, img.n);
    kn_sb_free(&img);
    kn_sb_puts(b, "\" alt=\"");
    hr_esc(b, c->title);
    kn_sb_puts(b, "\">\n<figcaption><b>");
    hr_esc(b, c->title);
    kn_sb_puts(b, ".</b> ");
    hr_esc(b, c->caption);
    kn_sb_puts(b, "</figcaption></figure>\n");
    return KN_OK;
}

int hr_chart_in_verdict(const report *R, const char *name)
{
    return R->have_verdict && !strncmp(name, "switch-", 7);
}

kn_status hr_embed_named_chart(buf *b, const report *R, const char *name, int *shown,
                               kn_error *err)
{
    *shown = 0;
    for (size_t i = 0; i < R->charts.n; i++)
        if (!strcmp(R->charts.chart[i].name, name)) {
            KN_CHECK(embed_chart(b, R, i, err));
            *shown = 1;
            break;
        }
    return KN_OK;
}

kn_status hr_sec_charts(buf *b, const report *R, kn_error *err)
{
    size_t n = 0;
    for (size_t i = 0; i < R->charts.n; i++)
        n += !hr_chart_in_verdict(R, R->charts.chart[i].name);
    if (!n)
        return KN_OK;
    kn_sb_puts(b, "<section id=\"charts\">\n<h2>Charts</h2>\n");
    for (size_t i = 0; i < R->charts.n; i++)
        if (!hr_chart_in_verdict(R, R->charts.chart[i].name))
            KN_CHECK(embed_chart(b, R, i, err));
    kn_sb_puts(b, "</section>\n");
    return KN_OK;
}
