/* htmlreport.c - `koning report FILE.h5 -o report.html` (API in htmlreport.h).
 *
 * Builds one self-contained HTML page from a results file: the verdict (verdict.h), a
 * summary table of means with confidence intervals, the charts of the plotter (plot.h,
 * drawn as SVG into a temporary directory and embedded as base64 data URIs), the
 * scenarios' assumptions in plain words, every key in a collapsible table, the sources
 * of the defaults and a short guide to reading the figures. Nothing on the page is
 * loaded from outside it. Every string that comes from the file goes through hr_esc.
 *
 * This file is the page's skeleton: the style sheet, the header and contents, the order
 * of the sections (each in its own file, htmlreport_int.h) and the writing. The page is
 * built in memory and written atomically (files/atomic.h: an unnamed file beside OUT,
 * fsync, named and renamed over OUT); on any failure, or a kill, nothing is left but an
 * existing OUT as it was. The results file is only read, through h5read.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "atomic.h"
#include "htmlreport_int.h"
#include "robust_verdict.h"
#include "stop.h"

#ifndef KONING_VERSION
#define KONING_VERSION "unknown"
#endif

/* ---- the style sheet ------------------------------------------------------------------- */

/* split in parts: ISO C compilers need only support 4095-byte strings */
static const char *const css[] = {
    ":root{--ink:#1d2733;--muted:#5b6875;--rule:#d8dee6;--soft:#f4f6f9;--accent:#17375e;"
    "--good:#14643a;--goodbg:#e2f3e8;--warn:#7a5200;--warnbg:#fff3dc}\n"
    "*{box-sizing:border-box}\n"
    "html{-webkit-text-size-adjust:100%}\n"
    "body{margin:0;color:var(--ink);background:#fff;font:15px/1.55 system-ui,-apple-system,"
    "'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif}\n"
    ".wrap{max-width:1240px;margin:0 auto;padding:0 28px}\n"
    "header.top{background:var(--accent);color:#fff;padding:28px 0 22px}\n"
    "header.top .kicker{margin:0;font-size:12px;letter-spacing:.14em;text-transform:uppercase;"
    "opacity:.75}\n"
    "header.top h1{margin:6px 0 10px;font-size:30px;line-height:1.2;font-weight:650}\n"
    "header.top h1.long{font-size:24px}\n"
    "header.top .prov{margin:0;font-size:13px;opacity:.85}\n"
    "header.top code{background:rgba(255,255,255,.12);color:#fff;padding:1px 5px;"
    "border-radius:3px}\n"
    "nav.toc{margin:18px 0 6px;font-size:13px;color:var(--muted)}\n"
    "nav.toc a{color:var(--accent);text-decoration:none;margin-right:16px}\n"
    "section{margin:34px 0}\n"
    "h2{font-size:21px;margin:0 0 12px;padding-bottom:6px;border-bottom:2px solid var(--accent);"
    "color:var(--accent)}\n"
    "h3{font-size:16px;margin:22px 0 8px}\n"
    "p{margin:8px 0}\n"
    "section>p,section>ul{max-width:940px}\n"
    ".lead{font-size:16px}\n"
    ".note{color:var(--muted);font-size:13px}\n"
    "code{font:12.5px/1.4 ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,monospace;"
    "background:var(--soft);padding:1px 4px;border-radius:3px;overflow-wrap:anywhere}\n"
    ".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(240px,1fr));gap:14px;"
    "margin:14px 0}\n"
    ".card{border:1px solid var(--rule);border-radius:8px;padding:14px 16px;background:#fff;"
    "break-inside:avoid;min-width:0}\n"
    ".card .scen{overflow-wrap:anywhere}\n"
    ".card .metric{font-size:12px;text-transform:uppercase;letter-spacing:.08em;"
    "color:var(--muted)}\n"
    ".card .who{font-size:18px;font-weight:650;margin:4px 0}\n"
    ".card .val{font-size:15px;font-variant-numeric:tabular-nums}\n"
    ".card .lead-by{font-size:13px;color:var(--muted);margin-top:6px}\n"
    ".badge{display:inline-block;font-size:12px;font-weight:600;padding:1px 8px;"
    "border-radius:10px;margin-top:8px}\n"
    ".badge.clear{background:var(--goodbg);color:var(--good)}\n"
    ".badge.unclear{background:var(--warnbg);color:var(--warn)}\n"
    ".overall{background:var(--soft);border-left:4px solid var(--accent);padding:12px 16px;"
    "border-radius:0 6px 6px 0}\n"
    ".overall p{margin:4px 0}\n"
    ".card .best-set{font-size:13px;margin-top:6px}\n"
    "table.verdict-table td.num,table.verdict-table th.num{text-align:right}\n"
    "table.verdict-table td.num{white-space:nowrap}\n"
    "table.verdict-table td .badge{margin-top:0}\n"
    "td.clearpart{font-weight:650}\n"
    "td.clearpart .ci{font-weight:400}\n"
    ,".tablewrap{overflow-x:auto}\n"
    "table{border-collapse:collapse;font-size:13px;margin:10px 0;"
    "font-variant-numeric:tabular-nums}\n"
    "th,td{padding:6px 7px;border-bottom:1px solid var(--rule);text-align:left;"
    "vertical-align:top}\n"
    "thead th{background:var(--soft);font-weight:600;border-bottom:2px solid var(--rule)}\n"
    "th .unit{display:block;font-weight:400;color:var(--muted);font-size:12px}\n"
    "table.summary td.num,table.summary th.num{text-align:right}\n"
    "table.summary td.num{white-space:nowrap}\n"
    "td .ci{display:block;color:var(--muted);font-size:11.5px}\n"
    "table.summary{width:100%}\n"
    "table.summary thead th{font-size:12.5px;line-height:1.3}\n"
    "td.best{background:var(--goodbg);color:var(--good);font-weight:650}\n"
    "td.best .ci{color:var(--good);font-weight:400}\n"
    "td.failed{color:#a61b1b}\n"
    ".sw{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:7px;"
    "vertical-align:baseline;-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    ".scen{font-weight:600;overflow-wrap:break-word}\n"
    "td code{overflow-wrap:normal}\n"
    "table.summary td:first-child{min-width:130px;max-width:260px}\n"
    "figure{margin:22px 0;break-inside:avoid}\n"
    "figure img{display:block;width:100%;max-width:980px;height:auto;"
    "border:1px solid var(--rule);border-radius:6px}\n"
    "figcaption{max-width:980px}\n"
    "figcaption{font-size:13px;color:var(--muted);margin-top:6px}\n"
    "figcaption b{color:var(--ink)}\n"
    ,"ul.plain{padding-left:20px}\n"
    "ul.plain li{margin:6px 0}\n"
    "details{margin:14px 0;border:1px solid var(--rule);border-radius:6px;padding:8px 14px}\n"
    "details summary{cursor:pointer;font-weight:600;color:var(--accent)}\n"

    "td.changed{font-weight:650}\n"
    "ol.sources{max-width:980px}\n"
    "ol.sources li{margin:7px 0}\n"
    ".basis{color:var(--muted);font-size:13px}\n"
    "footer{margin:40px 0 30px;padding-top:12px;border-top:1px solid var(--rule);font-size:12px;"
    "color:var(--muted)}\n"
    "@media print{\n"
    "  body{font-size:10.5pt}\n"
    "  .wrap{max-width:none;padding:0}\n"
    "  header.top{background:none;color:var(--ink);padding:0 0 8px;border-bottom:2px solid "
    "var(--accent)}\n"
    "  header.top code{background:none;color:var(--ink)}\n"
    "  header.top h1{color:var(--accent)}\n"
    "  nav.toc{display:none}\n"
    "  section{margin:18px 0}\n"
    "  h2{break-after:avoid}\n"
    "  table,figure,.card,.overall{break-inside:avoid}\n"
    "  td.best,.badge,.overall{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    "  details{border:none;padding:0}\n"
    "  details::details-content{content-visibility:visible;display:block}\n"
    "  .tablewrap{overflow:visible}\n"
    "  a{color:inherit;text-decoration:none}\n"
    "}\n"};

/* Only for the browser test: count the images that decoded. The page needs no script. */
static const char load_check[] =
    "<script>window.addEventListener(\"load\",function(){var im=document.images,ok=0;"
    "for(var i=0;i<im.length;i++)if(im[i].complete&&im[i].naturalWidth>0)ok++;"
    "document.body.dataset.imagesOk=ok+\"/\"+im.length;});</script>\n";

/* ---- the header and contents ----------------------------------------------------------- */

/* The sweep's base name: the scenario name before " [". */
static void b_sweep_name(buf *b, const report *R)
{
    const char *n = R->s.n_scen ? R->s.scen_name[0] : "";
    const char *br = strstr(n, " [");
    char *base = strndup(n, br ? (size_t)(br - n) : strlen(n));
    hr_esc(b, base ? base : n);
    free(base);
}

static void b_title(buf *b, const report *R)
{
    if (R->rb) {
        kn_sb_puts(b, "Who is king across plausible worlds? ");
        hr_esc(b, R->rb->name);
        return;
    }
    if (R->sweep) {
        kn_sb_puts(b, "Sweep: ");
        b_sweep_name(b, R);
        return;
    }
    kn_sb_puts(b, R->s.organisation ? "Who is king? " : "Queue study: ");
    for (size_t i = 0; i < R->s.n_scen; i++) {
        if (i)
            kn_sb_puts(b, i + 1 == R->s.n_scen ? " and " : ", ");
        hr_esc(b, R->s.scen_name[i]);
    }
}

static void reps_range(const report *R, double *lo, double *hi)
{
    *lo = INFINITY;
    *hi = 0;
    for (size_t i = 0; i < R->s.n_scen; i++) {
        double n = R->n_ok[i] + R->n_failed[i];
        if (n < *lo)
            *lo = n;
        if (n > *hi)
            *hi = n;
    }
    if (!R->s.n_scen)
        *lo = 0;
}

void hr_reps(buf *b, const report *R)
{
    double lo, hi;
    reps_range(R, &lo, &hi);
    if (lo == hi)
        kn_sb_printf(b, "%.0f replication%s%s", lo, lo == 1 ? "" : "s",
                     R->s.n_scen < 2 ? "" : R->sweep ? " per point" : " per scenario");
    else
        kn_sb_printf(b, "%.0f\xe2\x80\x93%.0f replications per %s", lo, hi,
                     R->sweep ? "point" : "scenario");
}

static void sec_header(buf *b, const report *R)
{
    char lv[32];
    kn_sb_printf(b,
                 "<header class=\"top\"><div class=\"wrap\">\n<p class=\"kicker\">koning \xc2\xb7 "
                 "simulation report</p>\n<h1%s>",
                 !R->sweep && R->s.n_scen > 3 ? " class=\"long\"" : "");
    b_title(b, R);
    kn_sb_puts(b, "</h1>\n<p class=\"prov\">");
    char *p = strdup(R->path);
    kn_sb_puts(b, "File <b>");
    hr_esc(b, p ? basename(p) : R->path);
    free(p);
    kn_sb_puts(b, "</b> \xc2\xb7 written by koning ");
    hr_esc(b, R->version);
    struct stat st;
    if (stat(R->path, &st) == 0) {
        char date[32];
        struct tm tmv;
        if (localtime_r(&st.st_mtime, &tmv) && strftime(date, sizeof date, "%Y-%m-%d", &tmv))
            kn_sb_printf(b, " on %s", date);
    }
    kn_sb_puts(b, " \xc2\xb7 ");
    hr_reps(b, R);
    kn_sb_printf(b, " \xc2\xb7 %s confidence", hr_pct_level(lv, sizeof lv, R->s.level));
    if (R->cmdline && *R->cmdline) {
        kn_sb_puts(b, "<br>Made with <code>");
        hr_esc(b, R->cmdline);
        kn_sb_puts(b, "</code>");
    }
    kn_sb_puts(b, "</p>\n</div></header>\n");
}

static void sec_toc(buf *b, const report *R)
{
    kn_sb_puts(b, "<nav class=\"toc\">");
    if (R->have_verdict)
        kn_sb_puts(b, "<a href=\"#verdict\">Verdict</a>");
    kn_sb_puts(b, R->rb ? "<a href=\"#robust\">Across worlds</a>" : "<a href=\"#summary\">Summary</a>");
    size_t n_charts = 0;
    for (size_t i = 0; i < R->charts.n; i++)
        n_charts += !hr_chart_in_verdict(R, R->charts.chart[i].name);
    if (n_charts)
        kn_sb_puts(b, "<a href=\"#charts\">Charts</a>");
    kn_sb_puts(b, "<a href=\"#assumptions\">Assumptions</a><a href=\"#sources\">Sources</a>"
                  "<a href=\"#reading\">How to read this report</a></nav>\n");
}

/* ---- the page -------------------------------------------------------------------------- */

static void page(buf *b, report *R, kn_error *err, kn_status *rc)
{
    kn_sb_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    kn_sb_printf(b, "<meta name=\"generator\" content=\"koning %s\">\n<title>", KONING_VERSION);
    b_title(b, R);
    kn_sb_puts(b, "</title>\n<style>\n");
    for (size_t i = 0; i < sizeof css / sizeof css[0]; i++)
        kn_sb_puts(b, css[i]);
    kn_sb_puts(b, "</style>\n</head>\n<body>\n");
    sec_header(b, R);
    kn_sb_puts(b, "<main class=\"wrap\">\n");
    sec_toc(b, R);
    if (R->rb)
        hr_sec_robust(b, R);
    else if (R->have_verdict) {
        if ((*rc = hr_sec_verdict(b, R, err)) != KN_OK)
            return;
    } else if (R->verdict_error[0]) {
        kn_sb_puts(b,
                   "<section id=\"verdict\">\n<h2>The verdict</h2>\n<p class=\"note\">The verdict "
                   "could not be computed from this file: ");
        hr_esc(b, R->verdict_error);
        kn_sb_puts(b, "</p>\n</section>\n");
    }
    if (!R->rb) /* a table of every policy in every world would bury the page */
        hr_sec_summary(b, R);
    if ((*rc = hr_sec_charts(b, R, err)) != KN_OK)
        return;
    hr_sec_assumptions(b, R);
    hr_sec_sources(b, R);
    hr_sec_reading(b, R);
    kn_sb_printf(b, "<footer>Made by koning %s (<code>koning report</code>) from ", KONING_VERSION);
    hr_esc(b, R->path);
    kn_sb_puts(b, ". The results file holds every run, series and parameter: "
                  "<code>koning export FILE --format csv</code> for spreadsheets.</footer>\n"
                  "</main>\n");
    kn_sb_puts(b, load_check);
    kn_sb_puts(b, "</body>\n</html>\n");
}

/* ---- writing --------------------------------------------------------------------------- */

static kn_status write_atomic(const char *out, const buf *b, kn_error *err)
{
    kn_afile a;
    KN_CHECK(kn_afile_open(&a, out, err));
    if (fwrite(b->s, 1, b->n, a.f) != b->n) {
        kn_status rc = kn_error_set(err, KN_EIO, "%s: cannot write: %s", out, strerror(errno));
        kn_afile_discard(&a);
        return rc;
    }
    KN_CHECK(kn_afile_finish(&a, err));
    return kn_afile_commit(&a, err);
}

/* ---- the API --------------------------------------------------------------------------- */

kn_status kn_report_html_opts(const char *h5path, const char *out_html, const kn_report_opts *opts,
                              kn_error *err)
{
    report R = {0};
    buf b = {0};
    kn_status rc;
    R.path = h5path;
    R.out = out_html;
    R.chart_fd = -1;
    if ((rc = kn_h5r_open(&R.r, h5path, err)) != KN_OK)
        return rc;
    if ((rc = hr_report_load(&R, err)) != KN_OK || (rc = hr_charts_draw(&R, opts, err)) != KN_OK)
        goto done;
    if (kn_stop_requested()) {
        rc = kn_error_set(err, KN_EIO, "%s: not written: interrupted by SIG%s", out_html,
                          sigabbrev_np(kn_stop_requested()));
        goto done;
    }
    page(&b, &R, err, &rc);
    if (rc != KN_OK)
        goto done;
    if (b.oom) {
        rc = kn_error_set(err, KN_ENOMEM, "%s: out of memory building the page", out_html);
        goto done;
    }
    rc = write_atomic(out_html, &b, err);
done:
    kn_sb_free(&b);
    hr_report_free(&R);
    return rc;
}

kn_status kn_report_html(const char *h5path, const char *out_html, kn_error *err)
{
    return kn_report_html_opts(h5path, out_html, NULL, err);
}
