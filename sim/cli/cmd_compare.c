/* cmd_compare.c - `koning compare A B ...`: run scenarios on common random numbers and
 * print each one's metrics and the paired and unpaired differences to the first (table
 * or JSON), or with --brief the headline figures only; then the verdict, charts and
 * report from the results file. `koning demo` is a compare of the preset policies.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "koning/metrics.h"
#include "koning/stats.h"
#include "options.h"
#include "study.h"
#include "tables.h"
#include "verdict.h"

const char kn_usage_compare[] =
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
    "  --from SQ.yaml      start every scenario from the status quo SQ (its levers), switch\n"
    "                      to its own levers after --switch-after days (default 365); SQ\n"
    "                      joins the comparison if it is not in it\n"
    "  --switch-after DAYS days under the status quo before the switch\n"
    "  --payback NAME[:lower] the series whose cumulative gap to the status quo the payback\n"
    "                      week is on (default profit; :lower when lower is better, e.g.\n"
    "                      complaints:lower)\n"
    "  --why N             attribute the winner's gap to the status quo to the levers that\n"
    "                      differ: Shapley values up to N levers, one at a time above\n"
    "                      (default 5; 0 = none). The combinations go to FILE-why.h5\n"
    "\n"
    "With organisation-model scenarios, a verdict follows the tables: the steady state after\n"
    "the switch (MSER-5), which scenarios are best on retention, service quality, staff\n"
    "turnover and profit (a set when the data cannot separate them), the payback week of\n"
    "each switch, and why, lever by lever (docs/model.md#verdict).\n";

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
    char name[KN_TTY_MAX];
    for (int i = 0; i < n; i++) {
        size_t len = strlen(kn_tty_text(name, sizeof name, sc[i].name));
        if (len > w)
            w = len > 40 ? 40 : len;
    }
    printf("%d replications per scenario, mean [%g %% CI]\n%-*s", R, 100.0 * level, (int)w,
           "scenario");
    for (int j = 0; j < nm; j++)
        printf(j + 1 < nm ? "  %-22s" : "  %s", kn_metric_describe(ms[j])->name);
    fputc('\n', stdout);
    for (int i = 0; i < n; i++) {
        kn_summary s[KN_METRIC_COUNT];
        if (kn_summarize_scenario(out, (size_t)i, R, level, s) != 0)
            continue;
        printf("%-*.*s", (int)w, (int)w, kn_tty_text(name, sizeof name, sc[i].name));
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

int kn_cmd_compare(int argc, char **argv)
{
    sim_opts o = {0};
    int rc;
    if (!kn_sim_opts_parse(argc, argv, &o, kn_usage_compare, &rc))
        return rc;
    int n = argc - optind;
    rc = KN_EXIT_INPUT;
    /* the status quo joins the comparison (first) unless it is in it */
    const char **files = calloc((size_t)n + 1, sizeof *files);
    if (!files) {
        free(o.sets);
        return KN_EXIT_FAIL;
    }
    int has_sq = 0;
    for (int i = 0; i < n; i++) {
        files[i] = argv[optind + i];
        has_sq |= o.from && !strcmp(files[i], o.from);
    }
    if (o.from && !has_sq) {
        memmove(files + 1, files, (size_t)n * sizeof *files);
        files[0] = o.from;
        n++;
    }
    if (n < 2) {
        fprintf(stderr, "koning compare: expected at least two scenario files\n%s", kn_usage_compare);
        free(o.sets);
        free(files);
        return KN_EXIT_INPUT;
    }
    kn_scenario *sc = calloc((size_t)n, sizeof *sc);
    kn_study_out out = {0};
    char path[KN_PATH_MAX];
    if (!sc)
        goto done;
    for (int i = 0; i < n; i++)
        if (kn_load_scenario(&sc[i], files[i], &o) != 0)
            goto done;
    /* common random numbers: one seed, the same replications for every scenario */
    for (int i = 1; i < n; i++) {
        if (sc[i].run.seed != sc[0].run.seed && !o.seed)
            kn_eprintf("koning compare: note: using the seed of '%s' (%llu) for '%s' too, "
                    "so both see the same customers", sc[0].name,
                    (unsigned long long)sc[0].run.seed, sc[i].name);
        if (sc[i].run.replications != sc[0].run.replications && !o.replications)
            kn_eprintf("koning compare: note: using %d replications for '%s' (as '%s')",
                    sc[0].run.replications, sc[i].name, sc[0].name);
        sc[i].run.seed = sc[0].run.seed;
        sc[i].run.replications = sc[0].run.replications;
        for (int j = 0; j < i; j++)
            if (!strcmp(sc[i].name, sc[j].name)) {
                kn_eprintf("koning compare: two scenarios are named '%s' (%s and %s); give "
                        "them different names", sc[i].name, files[j], files[i]);
                goto done;
            }
    }
    if (!o.no_output) {
        if (o.output)
            snprintf(path, sizeof path, "%s", o.output);
        else
            kn_default_output(path, sizeof path, "compare");
    }
    rc = kn_run_study(sc, (size_t)n, &o, "compare", o.no_output ? NULL : path, &out);
    if (rc != 0)
        goto done;
    if (!o.no_output && (rc = kn_why_study(sc, n, &o, path)) != 0)
        goto done;
    rc = KN_EXIT_FAIL;
    int R = sc[0].run.replications;
    kn_summary base[KN_METRIC_COUNT], s[KN_METRIC_COUNT];
    double *diff = malloc((size_t)R * sizeof *diff);
    if (!diff || kn_summarize_scenario(&out, 0, R, o.level, base) != 0) {
        free(diff);
        goto done;
    }
    if (o.json)
        printf("{\"seed\": %llu, \"replications\": %d, \"confidence\": %g, \"scenarios\": [",
               (unsigned long long)sc[0].run.seed, R, o.level);
    if (o.brief) {
        print_brief(sc, n, &out, R, o.level);
        if (!o.no_output)
            kn_print_results_path(path, 1);
        free(diff);
        rc = kn_finish_output();
        if (rc == 0 && !o.no_output)
            rc = kn_post_outputs(path, &o);
        goto done;
    }
    for (int i = 0; i < n; i++) {
        kn_summarize_scenario(&out, (size_t)i, R, o.level, s);
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
            char a[KN_TTY_MAX], b[KN_TTY_MAX];
            printf("difference %s - %s (common random numbers, %g %% CI)\n",
                   kn_tty_text(a, sizeof a, sc[i].name), kn_tty_text(b, sizeof b, sc[0].name),
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
                kn_eprintf("koning: %s", err.msg);
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
    if (o.json) {
        fputs("]", stdout);
        if (!o.no_output)
            kn_verdict_json_file(stdout, path, o.payback);
        fputs("}\n", stdout);
    } else if (!o.no_output)
        kn_print_results_path(path, 0);
    free(diff);
    rc = kn_finish_output();
    if (rc == 0 && !o.no_output && !o.json)
        rc = kn_post_outputs(path, &o);
done:
    kn_study_out_free(&out);
    free(sc);
    free(o.sets);
    free(files);
    return rc;
}
