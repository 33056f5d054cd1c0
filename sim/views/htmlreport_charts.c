/* htmlreport_charts.c - the charts of `koning report` (declared in htmlreport_int.h).
 *
 * The plotter (plot.h) draws the charts of the results file as SVG into a temporary
 * directory; the section reads each one back and embeds it in the page as a base64 data
 * URI, with its title and caption, so that the page loads nothing from outside it. The
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

kn_status hr_sec_charts(buf *b, const report *R, kn_error *err)
{
    if (!R->charts.n)
        return KN_OK;
    kn_sb_puts(b, "<section id=\"charts\">\n<h2>Charts</h2>\n");
    for (size_t i = 0; i < R->charts.n; i++) {
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
    }
    kn_sb_puts(b, "</section>\n");
    return KN_OK;
}
