/* cmd_run.c - `koning run FILE`: simulate one scenario file with independent
 * replications, print every metric with its confidence interval (table or JSON), write
 * every run to a results file and, if asked for, its charts and HTML report.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include "commands.h"
#include "options.h"
#include "study.h"
#include "tables.h"

const char kn_usage_run[] =
    "usage: koning run FILE [options]\n"
    "\n"
    "Simulate the scenario in FILE (YAML, see docs/scenarios.md) with independent\n"
    "replications, each in its own process, print mean and confidence interval of every\n"
    "metric, and write every run to a results file (HDF5, docs/results.md).\n"
    "\n"
    "  --set KEY=VALUE     override a scenario key, e.g. --set staff.employees=12 (repeatable)\n"
    "  --format FMT        table (default) or json\n"
    "  -o, --output FILE   results file (default: results/NAME.h5, NAME the scenario file's)\n"
    "  --no-output         write no results file\n"
    "  --resume            finish an interrupted run from FILE.journal\n"
    "  -j, --jobs N        replications run at once (default: number of cores)\n"
    "  --replications R    same as --set run.replications=R\n"
    "  --seed S            same as --set run.seed=S\n"
    "  --level L           confidence level of the intervals (default 0.95)\n"
    "  --plot DIR          then draw the charts into DIR (koning plot; gnuplot)\n"
    "  --report FILE.html  then write the HTML report (koning report)\n";

int kn_cmd_run(int argc, char **argv)
{
    sim_opts o = {0};
    int rc;
    if (!kn_sim_opts_parse(argc, argv, &o, kn_usage_run, &rc))
        return rc;
    if (optind != argc - 1) {
        fprintf(stderr, "koning run: expected exactly one scenario FILE\n%s", kn_usage_run);
        free(o.sets);
        return KN_EXIT_INPUT;
    }
    rc = KN_EXIT_INPUT;
    kn_scenario sc;
    char path[KN_PATH_MAX];
    kn_study_out out;
    if (kn_load_scenario(&sc, argv[optind], &o) != 0)
        goto done;
    if (!o.no_output) {
        if (o.output)
            snprintf(path, sizeof path, "%s", o.output);
        else
            kn_default_output(path, sizeof path, argv[optind]);
    }
    rc = kn_run_study(&sc, 1, &o, "run", o.no_output ? NULL : path, &out);
    if (rc != 0)
        goto done;
    kn_summary s[KN_METRIC_COUNT];
    rc = KN_EXIT_FAIL;
    if (kn_summarize_scenario(&out, 0, sc.run.replications, o.level, s) == 0) {
        if (o.json)
            kn_table_json(stdout, &sc, sc.run.replications, s);
        else {
            kn_table_print(stdout, &sc, sc.run.replications, s);
            if (!o.no_output)
                kn_print_results_path(path, 1);
        }
        rc = kn_finish_output();
        if (rc == 0 && !o.no_output && !o.json)
            rc = kn_post_outputs(path, &o);
    }
    kn_study_out_free(&out);
done:
    free(o.sets);
    return rc;
}
