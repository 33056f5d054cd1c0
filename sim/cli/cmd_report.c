/* cmd_report.c - `koning report FILE.h5 [-o OUT.html]`: the command line of the HTML
 * report (docs/report.md; the page itself is views/htmlreport.h).
 *
 * Parses the options, names the output after the results file when -o is not given, and
 * finds bad input before anything is drawn: a file that is not a koning results file, an
 * output directory that does not exist or cannot be written, an output that is the
 * results file itself (all exit 2). Then the page is written (exit 1 when plotting or
 * writing fails).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "h5read.h"
#include "htmlreport.h"
#include "options.h"

const char kn_report_usage[] =
    "usage: koning report FILE.h5 [-o OUT.html] [--max-runs N]\n"
    "\n"
    "Write one self-contained HTML page about a results file, for readers who will not\n"
    "open a terminal: the verdict (which policy wins each headline metric, and why), a\n"
    "summary table with confidence intervals, the charts, the assumptions in plain words\n"
    "and the sources of the defaults. Nothing on the page is loaded from outside it; it\n"
    "prints well. Charts need gnuplot. docs/report.md describes the page.\n"
    "\n"
    "  -o, --output OUT.html  the page (default: FILE without .h5, plus .html)\n"
    "  --max-runs N           faint individual runs drawn per scenario in the charts\n"
    "                         (default 40; 0 = none)\n"
    "  --list-sources         print the literature behind the defaults, one per line\n"
    "                         (citation TAB mechanism TAB basis), and exit\n"
    "\n"
    "Exit status: 0 written; 1 plotting or writing failed; 2 bad input (a missing or\n"
    "non-koning file, a bad option, an output directory that does not exist).\n";

int kn_cmd_report(int argc, char **argv)
{
    enum { OPT_MAX_RUNS = 256, OPT_LIST_SOURCES };
    static const struct option lopts[] = {
        {"output", required_argument, 0, 'o'},
        {"max-runs", required_argument, 0, OPT_MAX_RUNS},
        {"list-sources", no_argument, 0, OPT_LIST_SOURCES},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    const char *out = NULL;
    kn_report_opts o = {0, NULL};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", lopts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case OPT_MAX_RUNS: {
            char *end;
            errno = 0;
            long n = strtol(optarg, &end, 10);
            if (errno || end == optarg || *end || n < 0 || n > 100000) {
                kn_eprintf("koning: option '--max-runs': expected an integer in [0, 100000], "
                           "got '%s'", optarg);
                return KN_EXIT_INPUT;
            }
            o.max_runs = n == 0 ? -1 : (int)n;
            break;
        }
        case OPT_LIST_SOURCES: kn_report_list_sources(stdout); return KN_EXIT_OK;
        case 'h': fputs(kn_report_usage, stdout); return KN_EXIT_OK;
        default: fputs(kn_report_usage, stderr); return KN_EXIT_INPUT;
        }
    }
    if (optind != argc - 1) {
        fputs(kn_report_usage, stderr);
        return KN_EXIT_INPUT;
    }
    const char *file = argv[optind];
    char buf_out[PATH_MAX];
    if (!out) {
        size_t len = strlen(file);
        if (len > 3 && !strcmp(file + len - 3, ".h5"))
            len -= 3;
        if (len + 6 > sizeof buf_out) {
            kn_eprintf("koning: %s: name too long", file);
            return KN_EXIT_INPUT;
        }
        snprintf(buf_out, sizeof buf_out, "%.*s.html", (int)len, file);
        out = buf_out;
    }
    /* bad input (exit 2) is found before anything is drawn */
    kn_error err = {0};
    kn_h5r *r = NULL;
    kn_h5r_study s;
    if (kn_h5r_open(&r, file, &err) != KN_OK) {
        kn_eprintf("koning: %s", err.msg);
        return KN_EXIT_INPUT;
    }
    kn_status st = kn_h5r_study_load(r, &s, &err);
    kn_h5r_close(r);
    if (st != KN_OK) {
        kn_eprintf("koning: %s", err.msg);
        return KN_EXIT_INPUT;
    }
    kn_h5r_study_free(&s);
    if (kn_check_output(out, &file, 1))
        return KN_EXIT_INPUT;
    if (kn_report_html_opts(file, out, &o, &err) != KN_OK) {
        kn_eprintf("koning: %s", err.msg);
        return KN_EXIT_FAIL;
    }
    kn_eprintf("koning report: wrote %s", out);
    return KN_EXIT_OK;
}
