/* cmd_plot.c - `koning plot FILE.h5`: charts of a results file (docs/plots.md). The
 * options are read here; the charts are drawn by the plotter (sim/views/plot.h), which
 * says whether a failure was bad input (exit status 2) or not (1).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "plot.h"

const char kn_plot_usage[] =
    "usage: koning plot FILE.h5 [-o DIR] [--format png,svg,pdf] [--max-runs N] [--only NAME,...]\n"
    "                   [--quiet]\n"
    "\n"
    "Draw the charts of a results file with gnuplot (docs/plots.md). For each chart NAME\n"
    "it writes NAME.png, NAME.svg and NAME.pdf, the data NAME.dat and the gnuplot script\n"
    "NAME.gp that redraws them (`cd DIR && gnuplot NAME.gp`), so any chart can be restyled.\n"
    "Organisation files get time series per policy (mean, confidence band of the mean,\n"
    "faint individual runs, warm-up shaded), a summary and small multiples; queue files\n"
    "time series of waiting, abandonment and utilisation and a summary; sweeps response\n"
    "curves and heatmaps over the varied keys. The results file is only read.\n"
    "\n"
    "  -o, --output DIR    output directory (default: FILE without .h5, plus -plots/)\n"
    "  --format LIST       images to write, comma-separated: png, svg, pdf (default all;\n"
    "                      PDF is skipped with a note where gnuplot lacks pdfcairo)\n"
    "  --max-runs N        faint individual runs per scenario (default 40; 0 or none: no runs)\n"
    "  --only LIST         draw only these charts, comma-separated names (e.g. retention,summary)\n"
    "  -q, --quiet         print nothing on stdout\n"
    "\n"
    "gnuplot (5.x, with the cairo terminals; Debian: apt-get install gnuplot-nox) must be\n"
    "on PATH, or named by the environment variable KONING_GNUPLOT (a program path).\n"
    "Exit status: 0 charts written, 1 gnuplot missing or failing, or an output file could\n"
    "not be written, 2 bad options, a file that is not a koning results file, or an\n"
    "output directory that cannot be created.\n";

static int parse_formats(const char *s, unsigned *out)
{
    unsigned f = 0;
    for (const char *p = s;;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == 3 && !strncmp(p, "png", 3))
            f |= KN_PLOT_PNG;
        else if (len == 3 && !strncmp(p, "svg", 3))
            f |= KN_PLOT_SVG;
        else if (len == 3 && !strncmp(p, "pdf", 3))
            f |= KN_PLOT_PDF;
        else
            return -1;
        if (!e)
            break;
        p = e + 1;
    }
    *out = f;
    return f ? 0 : -1;
}

int kn_cmd_plot(int argc, char **argv)
{
    enum { OPT_FORMAT = 256, OPT_MAX_RUNS, OPT_ONLY };
    static const struct option lopts[] = {
        {"output", required_argument, 0, 'o'},      {"format", required_argument, 0, OPT_FORMAT},
        {"max-runs", required_argument, 0, OPT_MAX_RUNS}, {"only", required_argument, 0, OPT_ONLY},
        {"quiet", no_argument, 0, 'q'},             {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    kn_plot_opts o = {0};
    const char *dir = NULL;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "o:qh", lopts, NULL)) != -1) {
        switch (ch) {
        case 'o': dir = optarg; break;
        case 'q': o.quiet = 1; break;
        case OPT_FORMAT:
            if (parse_formats(optarg, &o.formats)) {
                kn_eprintf("koning plot: option '--format': expected a comma-separated list of "
                           "png, svg, pdf, got '%s'", optarg);
                return KN_EXIT_INPUT;
            }
            break;
        case OPT_MAX_RUNS: {
            char *end;
            errno = 0;
            long v = strtol(optarg, &end, 10);
            if (!strcmp(optarg, "none")) {
                o.max_runs = -1;
            } else if (*optarg && !*end && !errno && v >= 0 && v <= 100000) {
                o.max_runs = v == 0 ? -1 : (int)v;
            } else {
                kn_eprintf("koning plot: option '--max-runs': expected an integer in [0, 100000] "
                           "or none, got '%s'", optarg);
                return KN_EXIT_INPUT;
            }
            break;
        }
        case OPT_ONLY: o.only = optarg; break;
        case 'h': fputs(kn_plot_usage, stdout); return KN_EXIT_OK;
        default: fputs(kn_plot_usage, stderr); return KN_EXIT_INPUT;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "koning plot: expected one results FILE.h5\n%s", kn_plot_usage);
        return KN_EXIT_INPUT;
    }
    kn_error err = {0};
    int bad_input = 0;
    if (kn_plot_file_ex(argv[optind], dir, &o, NULL, &err, &bad_input) != KN_OK) {
        kn_eprintf("koning plot: %s", err.msg);
        return bad_input ? KN_EXIT_INPUT : KN_EXIT_FAIL;
    }
    return KN_EXIT_OK;
}
