/* cmd_verdict.c - `koning verdict FILE.h5`: the verdict of a results file again, as text
 * or JSON, without simulating: the steady state after the switch, the best set per
 * headline metric, the payback weeks and, when FILE-why.h5 is beside it, why, lever by
 * lever (views/verdict.c; docs/model.md#verdict).
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "commands.h"
#include "h5read.h"
#include "options.h"
#include "verdict.h"

const char kn_usage_verdict[] =
    "usage: koning verdict FILE.h5 [--json] [--payback NAME[:lower]]\n"
    "\n"
    "Print the verdict of an organisation-model results file with two or more scenarios:\n"
    "where each scenario's steady state starts after the switch (MSER-5) and what still\n"
    "drifts, the set of scenarios that cannot be told apart from the best on each headline\n"
    "metric (paired subset selection), the payback week of each switch, and, when the\n"
    "file of lever combinations FILE-why.h5 is beside it, the winner's gap to the status\n"
    "quo lever by lever. Nothing is simulated.\n"
    "\n"
    "  --json              one JSON object instead of text\n"
    "  --payback NAME[:lower] the series whose cumulative gap to the status quo the payback\n"
    "                      week is on (default profit; :lower when lower is better)\n";

int kn_cmd_verdict(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, 0, 'J'}, {"payback", required_argument, 0, 'P'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int json = 0, c;
    const char *payback = NULL;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'J': json = 1; break;
        case 'P': payback = optarg; break;
        case 'h': fputs(kn_usage_verdict, stdout); return 0;
        default: fputs(kn_usage_verdict, stderr); return KN_EXIT_INPUT;
        }
    }
    if (optind != argc - 1) {
        fputs(kn_usage_verdict, stderr);
        return KN_EXIT_INPUT;
    }
    const char *path = argv[optind];
    kn_error err = {0};
    kn_h5r *r = NULL;
    kn_h5r_study st;
    if (kn_h5r_open(&r, path, &err) != KN_OK) {
        kn_eprintf("koning: %s", err.msg);
        return KN_EXIT_INPUT;
    }
    if (kn_h5r_study_load(r, &st, &err) != KN_OK) {
        kn_eprintf("koning: %s", err.msg);
        kn_h5r_close(r);
        return KN_EXIT_INPUT;
    }
    kn_verdict v;
    int rc = 0;
    if (kn_verdict_from_file_payback(r, &st, payback, &v, &err) != KN_OK) {
        kn_eprintf("koning: %s", err.msg);
        rc = KN_EXIT_INPUT;
    } else {
        char why[KN_PATH_MAX];
        kn_verdict_why_path(path, why, sizeof why);
        kn_error werr = {0};
        if (access(why, R_OK) == 0 && kn_verdict_why(why, &st, &v, &werr) != KN_OK)
            kn_eprintf("koning: %s (the verdict follows without it)", werr.msg);
        if (json) {
            kn_verdict_json(stdout, &st, &v);
            fputc('\n', stdout);
        } else {
            kn_verdict_print(stdout, &st, &v);
        }
        kn_verdict_free(&v);
        rc = kn_finish_output();
    }
    kn_h5r_study_free(&st);
    kn_h5r_close(r);
    return rc;
}
