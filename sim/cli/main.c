/* main.c - the `koning` command line: subcommands run, validate, erlang.
 *
 * Exit codes: 0 success; 1 the simulation or a validation check failed; 2 bad input
 * (usage, scenario file, override, parameter). Errors go to stderr as one line naming
 * the file, line, key and reason where known; results go to stdout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cluster.h"
#include "commands.h"
#include "h5out.h"
#include "htmlreport.h"
#include "plot.h"
#include "koning/erlang.h"
#include "koning/runner.h"
#include "scenario_yaml.h"
#include "tables.h"
#include "study.h"
#include "verdict.h"
#include "sweep.h"
#include "validate.h"

#define EXIT_FAIL 1
#define EXIT_INPUT 2

static const char usage_main[] =
    "koning - who is king, the customer or the employee? A simulator of service organisations.\n"
    "\n"
    "usage: koning COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  demo           the headline policy comparison: verdict, charts, HTML report\n"
    "  run FILE       simulate a scenario file, print every metric with its confidence interval\n"
    "  compare A B .. run scenarios on common random numbers, report paired differences\n"
    "  sweep FILE     run a parameter sweep (grid or Latin hypercube) into a results file\n"
    "  export FILE.h5 write a results file's tables as CSV\n"
    "  plot FILE.h5   draw a results file's charts with gnuplot (PNG, SVG, PDF + data + script)\n"
    "  report FILE.h5 write a self-contained HTML report (verdict, table with CIs, charts)\n"
    "  validate       check the engine against exact Erlang-C / Erlang-A values\n"
    "  erlang         print exact M/M/n(+M) figures for given rates\n"
    "  help [COMMAND] show help (also: koning COMMAND --help)\n"
    "  version        print the version\n";

static const char usage_run[] =
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

static const char usage_compare[] =
    "usage: koning compare A.yaml B.yaml [C.yaml ...] [options]\n"
    "\n"
    "Run the scenarios on common random numbers (the same customers, arrivals and service\n"
    "needs in each: one seed and the same replications for all) and report every metric\n"
    "per scenario and the differences to the first scenario, with paired and unpaired\n"
    "confidence intervals (paired ones are narrower when the scenarios react alike to the\n"
    "same customers).\n"
    "\n"
    "  --set KEY=VALUE     override a key in every scenario (repeatable)\n"
    "  --format FMT        table (default) or json\n"
    "  -o, --output FILE   results file (default: results/compare.h5)\n"
    "  --no-output         write no results file\n"
    "  --resume            finish an interrupted comparison from FILE.journal\n"
    "  -j, --jobs N        simulations run at once (default: number of cores)\n"
    "  --replications R    replications of every scenario (default: the first one's)\n"
    "  --seed S            common seed (default: the first scenario's run.seed)\n"
    "  --level L           confidence level (default 0.95)\n"
    "  --brief             print only the headline figures per scenario (and the verdict)\n"
    "  --plot DIR          then draw the charts into DIR (koning plot; gnuplot)\n"
    "  --report FILE.html  then write the HTML report (koning report)\n"
    "\n"
    "With organisation-model scenarios, a verdict follows the tables: which scenario wins on\n"
    "retention, service quality, staff turnover and profit, with confidence intervals, and\n"
    "why (docs/model.md#verdict).\n";

static const char usage_demo[] =
    "usage: koning demo [options]\n"
    "\n"
    "The headline comparison: the default organisation and the six preset policies\n"
    "(customer-always-right, employees-first, investigate-first, king-while-behaving,\n"
    "best-customers-first, fire-bad-customers) on common random numbers, replications on\n"
    "all cores. Prints the headline figures and the verdict, and writes DIR/demo.h5, the\n"
    "charts in DIR/demo-plots/ and the report DIR/demo.html. The same as\n"
    "`koning compare SCENARIOS... --brief -o DIR/demo.h5 --plot DIR/demo-plots --report DIR/demo.html`.\n"
    "\n"
    "  -o, --output DIR    where to write (default: results)\n"
    "  --scenarios DIR     where the preset scenario files are (default: the source tree's\n"
    "                      scenarios/, else ./scenarios)\n"
    "  -j, --jobs N        simulations run at once (default: number of cores)\n"
    "  --replications R    replications of every scenario (default 20)\n"
    "  --seed S            common seed (default: organisation.yaml's)\n";

static const char usage_sweep[] =
    "usage: koning sweep FILE [-o OUT.h5] [options]\n"
    "\n"
    "Run a parameter sweep (docs/sweeps.md): every point of the design, each with its\n"
    "replications, interleaved so that a sweep cut short still covers the space, results\n"
    "streamed to OUT.h5 as they finish. A failed run is recorded and the sweep goes on\n"
    "(exit 1 at the end). Killed? `--resume` finishes it. Under mpirun the runs are\n"
    "spread over the ranks; rank 0 writes the file.\n"
    "\n"
    "  -o, --output FILE   results file (default: results/NAME.h5, NAME the sweep file's)\n"
    "  -j, --jobs N        simulations run at once on this machine (default: number of cores)\n"
    "  --resume            continue an interrupted sweep from OUT.h5.journal\n"
    "  --seed S            master seed (default: the sweep file's, else the base scenario's)\n"
    "  --replications R    replications per point (default: the sweep file's)\n"
    "  --level L           confidence level of the summaries in the file (default 0.95)\n"
    "  --quiet             no progress bar\n";

static const char usage_export[] =
    "usage: koning export FILE.h5 --format csv [-o PREFIX]\n"
    "\n"
    "Write the tables of a results file as CSV for spreadsheets: PREFIX_scenarios.csv,\n"
    "PREFIX_runs.csv and PREFIX_series.csv (default PREFIX: FILE without .h5).\n";

static const char usage_validate[] =
    "usage: koning validate [options]\n"
    "\n"
    "Simulate built-in M/M/n and M/M/n+M cases and compare with the exact Erlang-C /\n"
    "Erlang-A values: pass if the exact value is inside the confidence interval and the\n"
    "interval is tight; Little's law is checked on the simulated output. Exit 1 on a failure.\n"
    "\n"
    "  -j, --jobs N        replications run at once (default: number of cores)\n"
    "  --replications R    per case (default 20)\n"
    "  --scale F           multiply every run length by F (default 1)\n"
    "  --level L           confidence level (default 0.99)\n"
    "  --seed S            master seed (default 1)\n"
    "  --format FMT        table (default) or json\n";

static const char usage_erlang[] =
    "usage: koning erlang --lambda L --mu M --servers N [--theta T] [--format table|json]\n"
    "\n"
    "Exact long-run figures of the M/M/N queue (Erlang-C) or, with --theta > 0, the\n"
    "M/M/N+M queue (Erlang-A). Rates per minute: L arrivals, M services per server,\n"
    "T abandonments per waiting customer (1 / mean patience).\n";

static int parse_int(const char *opt, const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || errno || v < lo || v > hi) {
        fprintf(stderr, "koning: option '%s': expected an integer in [%ld, %ld], got '%s'\n",
                opt, lo, hi, s);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_double(const char *opt, const char *s, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*s == '\0' || *end != '\0' || errno || !isfinite(v) || v < lo || v > hi) {
        fprintf(stderr, "koning: option '%s': expected a number in [%g, %g], got '%s'\n", opt,
                lo, hi, s);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_format(const char *s, int *json)
{
    if (!strcmp(s, "json"))
        *json = 1;
    else if (!strcmp(s, "table"))
        *json = 0;
    else
    {
        fprintf(stderr, "koning: option '--format': expected table or json, got '%s'\n", s);
        return EXIT_INPUT;
    }
    return 0;
}

/* The command line that made a results file, for its attributes. */
static char *join_args(int argc, char **argv)
{
    size_t len = 1;
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) * 4 + 3;
    char *s = malloc(len), *p = s;
    if (!s)
        return NULL;
    for (int i = 0; i < argc; i++) {
        int quote = strpbrk(argv[i], " \t\"'\\$") != NULL || !argv[i][0];
        if (i)
            *p++ = ' ';
        if (quote)
            *p++ = '\'';
        for (const char *c = argv[i]; *c; c++) {
            if (*c == '\'' && quote) {
                memcpy(p, "'\\''", 4);
                p += 4;
            } else {
                *p++ = *c;
            }
        }
        if (quote)
            *p++ = '\'';
    }
    *p = '\0';
    return s;
}

static char *command_line; /* set in main */

/* Default results path results/NAME.h5 (creating results/ if needed). */
static void default_output(char *buf, size_t cap, const char *from_file)
{
    const char *base = strrchr(from_file, '/');
    base = base ? base + 1 : from_file;
    size_t n = strcspn(base, ".");
    if (n == 0)
        n = strlen(base);
    mkdir("results", 0755);
    snprintf(buf, cap, "results/%.*s.h5", (int)(n > 200 ? 200 : n), base);
}

/* Options shared by run and compare. */
typedef struct sim_opts {
    char **sets;
    int nsets;
    int json, no_output, resume;
    long jobs;
    double level;
    const char *output;
    const char *replications, *seed;
    const char *plot_dir, *report; /* --plot DIR, --report FILE.html */
    int brief;                     /* --brief: headline table and verdict only */
} sim_opts;

enum { OPT_SET = 256, OPT_FORMAT, OPT_REPS, OPT_SEED, OPT_LEVEL, OPT_SCALE, OPT_LAMBDA,
       OPT_MU, OPT_THETA, OPT_SERVERS, OPT_NO_OUTPUT, OPT_RESUME, OPT_QUIET, OPT_PLOT,
       OPT_REPORT, OPT_BRIEF, OPT_SCENARIOS };

/* Parse run/compare options; returns -1 (error printed), 1 (--help shown) or 0. */
static int parse_sim_opts(int argc, char **argv, sim_opts *o, const char *usage)
{
    static const struct option opts[] = {
        {"set", required_argument, 0, OPT_SET},      {"format", required_argument, 0, OPT_FORMAT},
        {"jobs", required_argument, 0, 'j'},         {"replications", required_argument, 0, OPT_REPS},
        {"seed", required_argument, 0, OPT_SEED},    {"level", required_argument, 0, OPT_LEVEL},
        {"output", required_argument, 0, 'o'},       {"no-output", no_argument, 0, OPT_NO_OUTPUT},
        {"resume", no_argument, 0, OPT_RESUME},      {"help", no_argument, 0, 'h'},
        {"plot", required_argument, 0, OPT_PLOT},    {"report", required_argument, 0, OPT_REPORT},
        {"brief", no_argument, 0, OPT_BRIEF},        {0, 0, 0, 0}};
    int c;
    o->jobs = kn_default_jobs();
    o->level = 0.95;
    optind = 1;
    while ((c = getopt_long(argc, argv, "j:o:h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_SET: o->sets[o->nsets++] = optarg; break;
        case OPT_FORMAT: if (parse_format(optarg, &o->json)) return -1; break;
        case 'j': if (parse_int("--jobs", optarg, 1, 4096, &o->jobs)) return -1; break;
        case OPT_REPS: o->replications = optarg; break;
        case OPT_SEED: o->seed = optarg; break;
        case OPT_LEVEL: if (parse_double("--level", optarg, 0.5, 0.9999, &o->level)) return -1; break;
        case 'o': o->output = optarg; break;
        case OPT_NO_OUTPUT: o->no_output = 1; break;
        case OPT_RESUME: o->resume = 1; break;
        case OPT_PLOT: o->plot_dir = optarg; break;
        case OPT_REPORT: o->report = optarg; break;
        case OPT_BRIEF: o->brief = 1; break;
        case 'h': fputs(usage, stdout); return 1;
        default: fputs(usage, stderr); return -1;
        }
    }
    if (o->no_output && (o->output || o->resume)) {
        fprintf(stderr, "koning: --no-output cannot go with --output or --resume\n");
        return -1;
    }
    if (o->no_output && (o->plot_dir || o->report)) {
        fprintf(stderr, "koning: --plot and --report draw from the results file; they cannot go "
                "with --no-output\n");
        return -1;
    }
    if (o->json && (o->brief || o->plot_dir || o->report)) {
        fprintf(stderr, "koning: --brief, --plot and --report go with the table format only\n");
        return -1;
    }
    return 0;
}

/* Load a scenario file and apply the overrides (and --replications/--seed). */
static int load_scenario(kn_scenario *sc, const char *path, const sim_opts *o)
{
    kn_error err = {0};
    char buf[128];
    if (kn_scenario_load(sc, path, &err) != KN_OK)
        goto bad;
    for (int i = 0; i < o->nsets; i++)
        if (kn_scenario_set(sc, o->sets[i], &err) != KN_OK)
            goto bad;
    if (o->replications) {
        snprintf(buf, sizeof buf, "run.replications=%.60s", o->replications);
        if (kn_scenario_set(sc, buf, &err) != KN_OK)
            goto bad;
    }
    if (o->seed) {
        snprintf(buf, sizeof buf, "run.seed=%.60s", o->seed);
        if (kn_scenario_set(sc, buf, &err) != KN_OK)
            goto bad;
    }
    if (kn_scenario_check(sc, &err) != KN_OK)
        goto bad;
    return 0;
bad:
    fprintf(stderr, "koning: %s\n", err.msg);
    return -1;
}

/* Summaries of scenario s from a study's values. */
static int summarize_scenario(const kn_study_out *out, size_t s, int reps, double level,
                              kn_summary sum[KN_METRIC_COUNT])
{
    kn_error err = {0};
    const double *v = out->values + s * (size_t)out->max_reps * KN_METRIC_COUNT;
    for (int m = 0; m < KN_METRIC_COUNT; m++)
        if (kn_summarize(v + m, (size_t)reps, KN_METRIC_COUNT, level, &sum[m], &err) != KN_OK) {
            fprintf(stderr, "koning: %s\n", err.msg);
            return -1;
        }
    return 0;
}

static int run_study(kn_scenario *sc, size_t n, const sim_opts *o, const char *kind,
                     const char *out_path, kn_study_out *out)
{
    kn_study_opts so = {kind, out_path, command_line, NULL, (int)o->jobs, o->resume, 1, o->level};
    kn_error err = {0};
    if (kn_study_run(sc, n, &so, out, &err) != KN_OK) {
        fprintf(stderr, "koning: %s\n", err.msg);
        /* KN_EUSAGE: it could not start (output path, journal): the user's input */
        return err.code == KN_EUSAGE ? EXIT_INPUT : EXIT_FAIL;
    }
    if (out->n_failed) {
        fprintf(stderr, "koning: %llu of %llu runs failed; first: %s\n",
                (unsigned long long)out->n_failed, (unsigned long long)out->n_runs, out->first_error);
        if (out_path)
            fprintf(stderr, "koning: every run, failed ones with their error, is in %s\n", out_path);
        kn_study_out_free(out);
        return EXIT_FAIL;
    }
    return 0;
}

static int finish_output(void)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "koning: cannot write the results to standard output: %s\n", strerror(errno));
        return EXIT_FAIL;
    }
    return 0;
}

/* After a study's file is written: the verdict (organisation model, two or more
 * scenarios), then the charts and the HTML report if asked for. A failure here keeps
 * the results file and is exit 1. */
static int post_outputs(const char *path, const sim_opts *o)
{
    kn_error err = {0};
    kn_h5r *r = NULL;
    kn_h5r_study st;
    if (kn_h5r_open(&r, path, &err) == KN_OK && kn_h5r_study_load(r, &st, &err) == KN_OK) {
        if (st.organisation && st.n_scen >= 2) {
            kn_verdict v;
            if (kn_verdict_from_file(r, &st, &v, &err) == KN_OK) {
                fputc('\n', stdout);
                kn_verdict_print(stdout, &st, &v);
            } else {
                fprintf(stderr, "koning: %s\n", err.msg);
            }
        }
        kn_h5r_study_free(&st);
    } else {
        fprintf(stderr, "koning: %s\n", err.msg);
        kn_h5r_close(r);
        return EXIT_FAIL;
    }
    kn_h5r_close(r);
    fflush(stdout);
    int rc = 0;
    if (o->plot_dir) {
        kn_plot_opts po = {0};
        po.quiet = 1;
        kn_plot_list made = {0};
        if (kn_plot_file(path, o->plot_dir, &po, &made, &err) != KN_OK) {
            fprintf(stderr, "koning: %s (the results are kept in %s)\n", err.msg, path);
            rc = EXIT_FAIL;
        } else {
            printf("plots: %zu charts in %s/ (PNG, SVG, PDF, with their .dat and .gp)\n", made.n,
                   o->plot_dir);
        }
        kn_plot_list_free(&made);
    }
    if (o->report) {
        if (kn_report_html(path, o->report, &err) != KN_OK) {
            fprintf(stderr, "koning: %s (the results are kept in %s)\n", err.msg, path);
            rc = EXIT_FAIL;
        } else {
            printf("report: %s\n", o->report);
        }
    }
    return rc;
}

/* The headline figures of each scenario, one line each, for --brief. */
static void print_brief(const kn_scenario *sc, int n, const kn_study_out *out, int R, double level)
{
    static const int org[] = {KN_M_RETENTION, KN_M_SERVICE_QUALITY, KN_M_STAFF_TURNOVER,
                              KN_M_PROFIT, KN_M_MEAN_MORALE, KN_M_MEAN_EXHAUSTION};
    static const int queue[] = {KN_M_P_WAIT, KN_M_MEAN_WAIT, KN_M_P_ABANDON, KN_M_UTILIZATION};
    int is_org = sc[0].customers.base > 0;
    const int *ms = is_org ? org : queue;
    int nm = is_org ? 6 : 4;
    size_t w = 8;
    for (int i = 0; i < n; i++)
        if (strlen(sc[i].name) > w)
            w = strlen(sc[i].name) > 40 ? 40 : strlen(sc[i].name);
    printf("%d replications per scenario, mean [%g %% CI]\n%-*s", R, 100.0 * level, (int)w,
           "scenario");
    for (int j = 0; j < nm; j++)
        printf(j + 1 < nm ? "  %-22s" : "  %s", kn_metric_describe(ms[j])->name);
    fputc('\n', stdout);
    for (int i = 0; i < n; i++) {
        kn_summary s[KN_METRIC_COUNT];
        if (summarize_scenario(out, (size_t)i, R, level, s) != 0)
            continue;
        printf("%-*.*s", (int)w, (int)w, sc[i].name);
        for (int j = 0; j < nm; j++) {
            const kn_summary *x = &s[ms[j]];
            char cell[64];
            if (ms[j] == KN_M_PROFIT)
                snprintf(cell, sizeof cell, "%.0f [%.0f, %.0f]", x->mean, x->ci_low, x->ci_high);
            else
                snprintf(cell, sizeof cell, "%.3f [%.3f, %.3f]", x->mean, x->ci_low, x->ci_high);
            printf(j + 1 < nm ? "  %-22s" : "  %s", cell);
        }
        fputc('\n', stdout);
    }
}

static int cmd_run(int argc, char **argv)
{
    sim_opts o = {0};
    o.sets = calloc((size_t)argc + 1, sizeof *o.sets);
    int rc = EXIT_INPUT;
    if (!o.sets)
        return EXIT_FAIL;
    int p = parse_sim_opts(argc, argv, &o, usage_run);
    if (p != 0) {
        free(o.sets);
        return p > 0 ? 0 : EXIT_INPUT;
    }
    if (optind != argc - 1) {
        fprintf(stderr, "koning run: expected exactly one scenario FILE\n%s", usage_run);
        free(o.sets);
        return EXIT_INPUT;
    }
    kn_scenario sc;
    char path[KN_PATH_MAX];
    kn_study_out out;
    if (load_scenario(&sc, argv[optind], &o) != 0)
        goto done;
    if (!o.no_output) {
        if (o.output)
            snprintf(path, sizeof path, "%s", o.output);
        else
            default_output(path, sizeof path, argv[optind]);
    }
    rc = run_study(&sc, 1, &o, "run", o.no_output ? NULL : path, &out);
    if (rc != 0)
        goto done;
    kn_summary s[KN_METRIC_COUNT];
    rc = EXIT_FAIL;
    if (summarize_scenario(&out, 0, sc.run.replications, o.level, s) == 0) {
        if (o.json)
            kn_table_json(stdout, &sc, sc.run.replications, s);
        else {
            kn_table_print(stdout, &sc, sc.run.replications, s);
            if (!o.no_output)
                printf("\nresults: %s\n", path);
        }
        rc = finish_output();
        if (rc == 0 && !o.no_output && !o.json)
            rc = post_outputs(path, &o);
    }
    kn_study_out_free(&out);
done:
    free(o.sets);
    return rc;
}

static void print_diff_json(const char *name, const kn_summary *paired, const kn_summary *unpaired,
                            int first)
{
    fputs(first ? "" : ", ", stdout);
    kn_json_string(stdout, name);
    fputs(": {\"mean\": ", stdout);
    kn_json_number(stdout, paired->mean);
    fputs(", \"paired\": {\"ci_low\": ", stdout);
    kn_json_number(stdout, paired->ci_low);
    fputs(", \"ci_high\": ", stdout);
    kn_json_number(stdout, paired->ci_high);
    fputs("}, \"unpaired\": {\"ci_low\": ", stdout);
    kn_json_number(stdout, unpaired->ci_low);
    fputs(", \"ci_high\": ", stdout);
    kn_json_number(stdout, unpaired->ci_high);
    fputs("}}", stdout);
}

static int cmd_compare(int argc, char **argv)
{
    sim_opts o = {0};
    o.sets = calloc((size_t)argc + 1, sizeof *o.sets);
    if (!o.sets)
        return EXIT_FAIL;
    int p = parse_sim_opts(argc, argv, &o, usage_compare);
    if (p != 0) {
        free(o.sets);
        return p > 0 ? 0 : EXIT_INPUT;
    }
    int n = argc - optind, rc = EXIT_INPUT;
    if (n < 2) {
        fprintf(stderr, "koning compare: expected at least two scenario files\n%s", usage_compare);
        free(o.sets);
        return EXIT_INPUT;
    }
    kn_scenario *sc = calloc((size_t)n, sizeof *sc);
    kn_study_out out = {0};
    char path[KN_PATH_MAX];
    if (!sc)
        goto done;
    for (int i = 0; i < n; i++)
        if (load_scenario(&sc[i], argv[optind + i], &o) != 0)
            goto done;
    /* common random numbers: one seed, the same replications for every scenario */
    for (int i = 1; i < n; i++) {
        if (sc[i].run.seed != sc[0].run.seed && !o.seed)
            fprintf(stderr, "koning compare: note: using the seed of '%s' (%llu) for '%s' too, "
                    "so both see the same customers\n", sc[0].name,
                    (unsigned long long)sc[0].run.seed, sc[i].name);
        if (sc[i].run.replications != sc[0].run.replications && !o.replications)
            fprintf(stderr, "koning compare: note: using %d replications for '%s' (as '%s')\n",
                    sc[0].run.replications, sc[i].name, sc[0].name);
        sc[i].run.seed = sc[0].run.seed;
        sc[i].run.replications = sc[0].run.replications;
        for (int j = 0; j < i; j++)
            if (!strcmp(sc[i].name, sc[j].name)) {
                fprintf(stderr, "koning compare: two scenarios are named '%s' (%s and %s); give "
                        "them different names\n", sc[i].name, argv[optind + j], argv[optind + i]);
                goto done;
            }
    }
    if (!o.no_output) {
        if (o.output)
            snprintf(path, sizeof path, "%s", o.output);
        else
            default_output(path, sizeof path, "compare");
    }
    rc = run_study(sc, (size_t)n, &o, "compare", o.no_output ? NULL : path, &out);
    if (rc != 0)
        goto done;
    rc = EXIT_FAIL;
    int R = sc[0].run.replications;
    kn_summary base[KN_METRIC_COUNT], s[KN_METRIC_COUNT];
    double *diff = malloc((size_t)R * sizeof *diff);
    if (!diff || summarize_scenario(&out, 0, R, o.level, base) != 0) {
        free(diff);
        goto done;
    }
    if (o.json)
        printf("{\"seed\": %llu, \"replications\": %d, \"confidence\": %g, \"scenarios\": [",
               (unsigned long long)sc[0].run.seed, R, o.level);
    if (o.brief) {
        print_brief(sc, n, &out, R, o.level);
        if (!o.no_output)
            printf("\nresults: %s\n", path);
        free(diff);
        rc = finish_output();
        if (rc == 0 && !o.no_output)
            rc = post_outputs(path, &o);
        goto done;
    }
    for (int i = 0; i < n; i++) {
        summarize_scenario(&out, (size_t)i, R, o.level, s);
        if (o.json) {
            fputs(i ? ", " : "", stdout);
            kn_table_json_object(stdout, &sc[i], R, s);
        } else {
            kn_table_print(stdout, &sc[i], R, s);
            fputc('\n', stdout);
        }
    }
    if (o.json)
        fputs("], \"differences\": [", stdout);
    const double *v0 = out.values;
    for (int i = 1; i < n; i++) {
        const double *vi = out.values + (size_t)i * (size_t)out.max_reps * KN_METRIC_COUNT;
        if (o.json) {
            fputs(i > 1 ? ", " : "", stdout);
            fputs("{\"scenario\": ", stdout);
            kn_json_string(stdout, sc[i].name);
            fputs(", \"baseline\": ", stdout);
            kn_json_string(stdout, sc[0].name);
            fputs(", \"metrics\": {", stdout);
        } else {
            printf("difference %s - %s (common random numbers, %g %% CI)\n", sc[i].name, sc[0].name,
                   100 * o.level);
            printf("%-34s %14s %14s %14s %14s %14s\n", "metric", "mean", "paired_low", "paired_high",
                   "unpaired_low", "unpaired_high");
        }
        for (int m = 0; m < KN_METRIC_COUNT; m++) {
            kn_summary paired, unpaired;
            kn_error err = {0};
            for (int r = 0; r < R; r++)
                diff[r] = vi[(size_t)r * KN_METRIC_COUNT + (size_t)m] - v0[(size_t)r * KN_METRIC_COUNT + (size_t)m];
            if (kn_summarize(diff, (size_t)R, 1, o.level, &paired, &err) != KN_OK ||
                kn_summarize_welch(v0 + m, (size_t)R, vi + m, (size_t)R, KN_METRIC_COUNT, o.level,
                                   &unpaired, &err) != KN_OK) {
                fprintf(stderr, "koning: %s\n", err.msg);
                free(diff);
                goto done;
            }
            const char *name = kn_metric_describe(m)->name;
            if (o.json)
                print_diff_json(name, &paired, &unpaired, m == 0);
            else if (m >= KN_M_ORG_FIRST && sc[0].customers.base == 0 && sc[i].customers.base == 0)
                continue; /* the queue model: no organisation metrics */
            else
                printf("%-34s %14.6g %14.6g %14.6g %14.6g %14.6g\n", name, paired.mean,
                       paired.ci_low, paired.ci_high, unpaired.ci_low, unpaired.ci_high);
        }
        fputs(o.json ? "}}" : "\n", stdout);
    }
    if (o.json)
        fputs("]}\n", stdout);
    else if (!o.no_output)
        printf("results: %s\n", path);
    free(diff);
    rc = finish_output();
    if (rc == 0 && !o.no_output && !o.json)
        rc = post_outputs(path, &o);
done:
    kn_study_out_free(&out);
    free(sc);
    free(o.sets);
    return rc;
}

#ifndef KONING_SCENARIO_DIR
#define KONING_SCENARIO_DIR "scenarios"
#endif

static int cmd_demo(int argc, char **argv)
{
    static const char *const presets[] = {
        "organisation.yaml", "customer-always-right.yaml", "employees-first.yaml",
        "investigate-first.yaml", "king-while-behaving.yaml", "best-customers-first.yaml",
        "fire-bad-customers.yaml"};
    enum { NP = sizeof presets / sizeof presets[0] };
    static const struct option opts[] = {
        {"output", required_argument, 0, 'o'},   {"jobs", required_argument, 0, 'j'},
        {"scenarios", required_argument, 0, OPT_SCENARIOS},
        {"replications", required_argument, 0, OPT_REPS}, {"seed", required_argument, 0, OPT_SEED},
        {"help", no_argument, 0, 'h'},           {0, 0, 0, 0}};
    const char *dir = "results", *scen = NULL, *jobs = NULL, *reps = NULL, *seed = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:j:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': dir = optarg; break;
        case 'j': jobs = optarg; break;
        case OPT_SCENARIOS: scen = optarg; break;
        case OPT_REPS: reps = optarg; break;
        case OPT_SEED: seed = optarg; break;
        case 'h': fputs(usage_demo, stdout); return 0;
        default: fputs(usage_demo, stderr); return EXIT_INPUT;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "koning demo: unexpected argument '%s'\n%s", argv[optind], usage_demo);
        return EXIT_INPUT;
    }
    struct stat st;
    if (!scen) {
        char probe[KN_PATH_MAX];
        snprintf(probe, sizeof probe, "%s/organisation.yaml", KONING_SCENARIO_DIR);
        scen = stat(probe, &st) == 0 ? KONING_SCENARIO_DIR : "scenarios";
    }
    if (stat(dir, &st) != 0 && mkdir(dir, 0777) != 0) {
        fprintf(stderr, "koning demo: cannot create directory '%s': %s\n", dir, strerror(errno));
        return EXIT_INPUT;
    }
    static char files[NP][KN_PATH_MAX], h5[KN_PATH_MAX], plots[KN_PATH_MAX], html[KN_PATH_MAX];
    char *av[NP + 20];
    int n = 0;
    av[n++] = "compare";
    for (int i = 0; i < NP; i++) {
        snprintf(files[i], sizeof files[i], "%s/%s", scen, presets[i]);
        if (stat(files[i], &st) != 0) {
            fprintf(stderr, "koning demo: %s: %s (give the scenarios' directory with --scenarios)\n",
                    files[i], strerror(errno));
            return EXIT_INPUT;
        }
        av[n++] = files[i];
    }
    snprintf(h5, sizeof h5, "%s/demo.h5", dir);
    snprintf(plots, sizeof plots, "%s/demo-plots", dir);
    snprintf(html, sizeof html, "%s/demo.html", dir);
    av[n++] = "--brief";
    av[n++] = "-o";
    av[n++] = h5;
    av[n++] = "--plot";
    av[n++] = plots;
    av[n++] = "--report";
    av[n++] = html;
    if (jobs) {
        av[n++] = "--jobs";
        av[n++] = (char *)jobs;
    }
    if (reps) {
        av[n++] = "--replications";
        av[n++] = (char *)reps;
    }
    if (seed) {
        av[n++] = "--seed";
        av[n++] = (char *)seed;
    }
    av[n] = NULL;
    printf("koning demo: who is king? %d policies on the default organisation (%s/)\n\n", NP, scen);
    fflush(stdout);
    return cmd_compare(n, av);
}

static int cmd_sweep(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, 0, 'o'},   {"jobs", required_argument, 0, 'j'},
        {"resume", no_argument, 0, OPT_RESUME},  {"seed", required_argument, 0, OPT_SEED},
        {"replications", required_argument, 0, OPT_REPS}, {"level", required_argument, 0, OPT_LEVEL},
        {"quiet", no_argument, 0, OPT_QUIET},    {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    const char *output = NULL;
    long jobs = kn_default_jobs(), v;
    int resume = 0, quiet = 0, c;
    double level = 0.95;
    kn_sweep_opts so = {0};
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:j:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'j': if (parse_int("--jobs", optarg, 1, 4096, &jobs)) return EXIT_INPUT; break;
        case OPT_RESUME: resume = 1; break;
        case OPT_QUIET: quiet = 1; break;
        case OPT_SEED: {
            char *end;
            errno = 0;
            unsigned long long s = strtoull(optarg, &end, 10);
            if (!*optarg || *end || errno || optarg[0] == '-') {
                fprintf(stderr, "koning: option '--seed': expected an integer in [0, 2^64-1], got '%s'\n", optarg);
                return EXIT_INPUT;
            }
            so.has_seed = 1;
            so.seed = s;
            break;
        }
        case OPT_REPS: if (parse_int("--replications", optarg, 2, 100000, &v)) return EXIT_INPUT;
            so.replications = (int)v; break;
        case OPT_LEVEL: if (parse_double("--level", optarg, 0.5, 0.9999, &level)) return EXIT_INPUT; break;
        case 'h': fputs(usage_sweep, stdout); return 0;
        default: fputs(usage_sweep, stderr); return EXIT_INPUT;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "koning sweep: expected one sweep FILE\n%s", usage_sweep);
        return EXIT_INPUT;
    }
    char default_path[KN_PATH_MAX];
    if (!output) {
        default_output(default_path, sizeof default_path, argv[optind]);
        output = default_path;
    }
    kn_error err = {0};
    kn_sweep *sw = NULL;
    if (kn_sweep_load_opts(&sw, argv[optind], &so, &err) != KN_OK) {
        fprintf(stderr, "koning: %s\n", err.msg);
        return EXIT_INPUT;
    }
    size_t n = kn_sweep_points(sw);
    kn_scenario *sc = calloc(n, sizeof *sc);
    int rc = EXIT_FAIL;
    if (!sc) {
        fprintf(stderr, "koning: out of memory for %zu points\n", n);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        if (kn_sweep_scenario(sw, i, &sc[i], &err) != KN_OK) {
            fprintf(stderr, "koning: %s\n", err.msg);
            rc = EXIT_INPUT;
            goto done;
        }
    kn_study_opts o = {"sweep", output, command_line, kn_sweep_text(sw), (int)jobs, resume,
                       !quiet, level};
    kn_study_out out;
    kn_status st = kn_study_run(sc, n, &o, &out, &err);
    if (kn_study_is_worker()) {
        rc = st == KN_OK ? 0 : EXIT_FAIL;
        if (st != KN_OK)
            fprintf(stderr, "koning: rank %d: %s\n", kn_mpi_rank(), err.msg);
        kn_study_out_free(&out);
        goto done;
    }
    if (st != KN_OK) {
        fprintf(stderr, "koning: %s\n", err.msg);
        rc = st == KN_EUSAGE ? EXIT_INPUT : EXIT_FAIL;
        kn_mpi_abort(rc);
        goto done;
    }
    fprintf(stderr, "koning sweep: %zu points x %d replications = %llu runs, %llu failed; results in %s",
            n, kn_sweep_replications(sw), (unsigned long long)out.n_runs,
            (unsigned long long)out.n_failed, output);
    if (kn_mpi_size() > 1)
        fprintf(stderr, " (%d MPI ranks)", kn_mpi_size());
    fputc('\n', stderr);
    if (out.n_failed)
        fprintf(stderr, "koning sweep: first failure: %s\n", out.first_error);
    rc = out.n_failed ? EXIT_FAIL : 0;
    kn_study_out_free(&out);
done:
    free(sc);
    kn_sweep_free(sw);
    return rc;
}

static int cmd_export(int argc, char **argv)
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
        case 'h': fputs(usage_export, stdout); return 0;
        default: fputs(usage_export, stderr); return EXIT_INPUT;
        }
    }
    if (optind != argc - 1 || !format) {
        fputs(usage_export, stderr);
        return EXIT_INPUT;
    }
    if (strcmp(format, "csv")) {
        fprintf(stderr, "koning: option '--format': expected csv, got '%s'\n", format);
        return EXIT_INPUT;
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
    kn_error err = {0};
    if (kn_h5_export_csv(file, prefix, &err) != KN_OK) {
        fprintf(stderr, "koning: %s\n", err.msg);
        return err.code == KN_EIO ? EXIT_INPUT : EXIT_FAIL;
    }
    fprintf(stderr, "koning export: wrote %s_scenarios.csv, %s_runs.csv, %s_series.csv\n", prefix,
            prefix, prefix);
    return 0;
}

static int cmd_validate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"jobs", required_argument, 0, 'j'},       {"replications", required_argument, 0, OPT_REPS},
        {"scale", required_argument, 0, OPT_SCALE}, {"level", required_argument, 0, OPT_LEVEL},
        {"seed", required_argument, 0, OPT_SEED},  {"format", required_argument, 0, OPT_FORMAT},
        {"help", no_argument, 0, 'h'},             {0, 0, 0, 0}};
    kn_validate_opts o = {kn_default_jobs(), 20, 1.0, 0.99, 1, 0};
    long v;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "j:h", opts, NULL)) != -1) {
        switch (c) {
        case 'j': if (parse_int("--jobs", optarg, 1, 4096, &v)) return EXIT_INPUT; o.jobs = (int)v; break;
        case OPT_REPS: if (parse_int("--replications", optarg, 2, 100000, &v)) return EXIT_INPUT;
            o.replications = (int)v; break;
        case OPT_SCALE: if (parse_double("--scale", optarg, 1e-3, 1e3, &o.scale)) return EXIT_INPUT; break;
        case OPT_LEVEL: if (parse_double("--level", optarg, 0.5, 0.9999, &o.level)) return EXIT_INPUT; break;
        case OPT_SEED: if (parse_int("--seed", optarg, 0, INT64_MAX, &v)) return EXIT_INPUT;
            o.seed = (uint64_t)v; break;
        case OPT_FORMAT: if (parse_format(optarg, &o.json)) return EXIT_INPUT; break;
        case 'h': fputs(usage_validate, stdout); return 0;
        default: fputs(usage_validate, stderr); return EXIT_INPUT;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "koning validate: unexpected argument '%s'\n%s", argv[optind], usage_validate);
        return EXIT_INPUT;
    }
    kn_error err = {0};
    int failures = kn_validate(stdout, &o, &err);
    if (failures < 0) {
        fprintf(stderr, "koning validate: %s\n", err.msg);
        return EXIT_FAIL;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "koning validate: cannot write to standard output: %s\n", strerror(errno));
        return EXIT_FAIL;
    }
    return failures ? EXIT_FAIL : 0;
}

static int cmd_erlang(int argc, char **argv)
{
    static const struct option opts[] = {
        {"lambda", required_argument, 0, OPT_LAMBDA}, {"mu", required_argument, 0, OPT_MU},
        {"theta", required_argument, 0, OPT_THETA},   {"servers", required_argument, 0, OPT_SERVERS},
        {"format", required_argument, 0, OPT_FORMAT}, {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    double lambda = NAN, mu = NAN, theta = 0.0;
    long n = -1;
    int json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_LAMBDA: if (parse_double("--lambda", optarg, 0, 1e9, &lambda)) return EXIT_INPUT; break;
        case OPT_MU: if (parse_double("--mu", optarg, 0, 1e9, &mu)) return EXIT_INPUT; break;
        case OPT_THETA: if (parse_double("--theta", optarg, 0, 1e9, &theta)) return EXIT_INPUT; break;
        case OPT_SERVERS: if (parse_int("--servers", optarg, 1, 1000000, &n)) return EXIT_INPUT; break;
        case OPT_FORMAT: if (parse_format(optarg, &json)) return EXIT_INPUT; break;
        case 'h': fputs(usage_erlang, stdout); return 0;
        default: fputs(usage_erlang, stderr); return EXIT_INPUT;
        }
    }
    if (isnan(lambda) || isnan(mu) || n < 0 || optind != argc) {
        fputs(usage_erlang, stderr);
        return EXIT_INPUT;
    }
    kn_erlang e;
    kn_error err = {0};
    if (kn_erlang_a(lambda, mu, theta, (int)n, &e, &err) != KN_OK) {
        fprintf(stderr, "koning erlang: %s\n", err.msg);
        return EXIT_INPUT;
    }
    const char *names[] = {"p_wait", "p_abandon", "mean_wait_minutes", "mean_queue_length",
                           "utilization", "served_per_hour"};
    double vals[] = {e.p_wait, e.p_abandon, e.mean_wait, e.mean_queue, e.utilization,
                     60.0 * e.served_rate};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        if (json) {
            fputs(i ? ", " : "{", stdout);
            kn_json_string(stdout, names[i]);
            fputs(": ", stdout);
            kn_json_number(stdout, vals[i]);
        } else {
            printf("%-20s %.9g\n", names[i], vals[i]);
        }
    }
    if (json)
        puts("}");
    return 0;
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_main, stderr);
        return EXIT_INPUT;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "run"))
        return cmd_run(argc - 1, argv + 1);
    if (!strcmp(cmd, "demo"))
        return cmd_demo(argc - 1, argv + 1);
    if (!strcmp(cmd, "compare"))
        return cmd_compare(argc - 1, argv + 1);
    if (!strcmp(cmd, "sweep"))
        return cmd_sweep(argc - 1, argv + 1);
    if (!strcmp(cmd, "export"))
        return cmd_export(argc - 1, argv + 1);
    if (!strcmp(cmd, "plot"))
        return kn_cmd_plot(argc - 1, argv + 1);
    if (!strcmp(cmd, "report"))
        return kn_cmd_report(argc - 1, argv + 1);
    if (!strcmp(cmd, "validate"))
        return cmd_validate(argc - 1, argv + 1);
    if (!strcmp(cmd, "erlang"))
        return cmd_erlang(argc - 1, argv + 1);
    if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
        printf("koning %s\n", KONING_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
        const char *topic = argc > 2 ? argv[2] : "";
        fputs(!strcmp(topic, "run") ? usage_run
              : !strcmp(topic, "demo") ? usage_demo
              : !strcmp(topic, "compare") ? usage_compare
              : !strcmp(topic, "sweep") ? usage_sweep
              : !strcmp(topic, "export") ? usage_export
              : !strcmp(topic, "plot") ? kn_plot_usage
              : !strcmp(topic, "report") ? kn_report_usage
              : !strcmp(topic, "validate") ? usage_validate
              : !strcmp(topic, "erlang") ? usage_erlang : usage_main, stdout);
        return 0;
    }
    fprintf(stderr, "koning: unknown command '%s'\n\n%s", cmd, usage_main);
    return EXIT_INPUT;
}

int main(int argc, char **argv)
{
    kn_mpi_init(&argc, &argv);
    command_line = join_args(argc, argv);
    int rc = dispatch(argc, argv);
    free(command_line);
    kn_mpi_finalize();
    return rc;
}
