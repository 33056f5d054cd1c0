/* cmd_export.c - `koning export FILE.h5 --format csv`: a results file's scenario, run
 * and series tables as CSV files for spreadsheets. Bad input (a file that is not a
 * results file, an output that cannot be written or would overwrite the input) is exit
 * 2, found before anything is written; a failure while writing (a full disk) is exit 1
 * and leaves no CSV behind.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "commands.h"
#include "h5out.h"
#include "h5read.h"
#include "koning/scenario.h"
#include "options.h"

const char kn_usage_export[] =
    "usage: koning export FILE.h5 --format csv [-o PREFIX]\n"
    "\n"
    "Write the tables of a results file as CSV for spreadsheets: PREFIX_scenarios.csv,\n"
    "PREFIX_runs.csv and PREFIX_series.csv (default PREFIX: FILE without .h5).\n";

int kn_cmd_export(int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, 0, OPT_FORMAT}, {"output", required_argument, 0, 'o'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *format = NULL, *prefix = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_FORMAT: format = optarg; break;
        case 'o': prefix = optarg; break;
        case 'h': fputs(kn_usage_export, stdout); return 0;
        default: fputs(kn_usage_export, stderr); return KN_EXIT_INPUT;
        }
    }
    if (optind != argc - 1 || !format) {
        fputs(kn_usage_export, stderr);
        return KN_EXIT_INPUT;
    }
    if (strcmp(format, "csv")) {
        kn_eprintf("koning: option '--format': expected csv, got '%s'", format);
        return KN_EXIT_INPUT;
    }
    char buf[KN_PATH_MAX];
    const char *file = argv[optind];
    if (!prefix) {
        size_t len = strlen(file);
        if (len > 3 && !strcmp(file + len - 3, ".h5"))
            len -= 3;
        snprintf(buf, sizeof buf, "%.*s", (int)(len > 4000 ? 4000 : len), file);
        prefix = buf;
    }
    /* bad input (exit 2) is found before anything is written */
    kn_error err = {0};
    kn_h5r *r = NULL;
    if (kn_h5r_open(&r, file, &err) != KN_OK) {
        kn_eprintf("koning: %s", err.msg);
        return KN_EXIT_INPUT;
    }
    kn_h5r_close(r);
    static const char *const what[] = {"scenarios", "runs", "series"};
    for (size_t i = 0; i < sizeof what / sizeof what[0]; i++) {
        char out[KN_PATH_MAX + 32];
        snprintf(out, sizeof out, "%s_%s.csv", prefix, what[i]);
        if (kn_check_output(out, &file, 1))
            return KN_EXIT_INPUT;
    }
    if (kn_h5_export_csv(file, prefix, &err) != KN_OK) {
        kn_eprintf("koning: %s", err.msg);
        return KN_EXIT_FAIL;
    }
    kn_eprintf("koning export: wrote %s_scenarios.csv, %s_runs.csv, %s_series.csv", prefix,
            prefix, prefix);
    return 0;
}
