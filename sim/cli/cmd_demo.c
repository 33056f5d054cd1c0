/* cmd_demo.c - `koning demo`: the headline comparison of the default organisation and
 * the six preset policies, as `koning compare` of the preset scenario files with
 * --brief, a results file, charts and the HTML report in one directory.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "commands.h"
#include "koning/scenario.h"
#include "options.h"

const char kn_usage_demo[] =
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
    "  --replications R    replications of every scenario (default 10)\n"
    "  --years Y           years observed after the switch (default 4: long enough for most\n"
    "                      policies to settle; the verdict says which still drift)\n"
    "  --seed S            common seed (default: organisation.yaml's)\n"
    "  --payback NAME[:lower] the payback week on another series than profit\n";

#ifndef KONING_SCENARIO_DIR
#define KONING_SCENARIO_DIR "scenarios"
#endif

int kn_cmd_demo(int argc, char **argv)
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
        {"years", required_argument, 0, OPT_YEARS}, {"payback", required_argument, 0, OPT_PAYBACK},
        {"help", no_argument, 0, 'h'},           {0, 0, 0, 0}};
    const char *dir = "results", *scen = NULL, *jobs = NULL, *reps = NULL, *seed = NULL;
    double years = 4.0;
    const char *payback = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:j:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': dir = optarg; break;
        case 'j': jobs = optarg; break;
        case OPT_SCENARIOS: scen = optarg; break;
        case OPT_REPS: reps = optarg; break;
        case OPT_SEED: seed = optarg; break;
        case OPT_PAYBACK: payback = optarg; break;
        case OPT_YEARS:
            if (kn_opt_double("--years", optarg, 0.25, 10, &years))
                return KN_EXIT_INPUT;
            break;
        case 'h': fputs(kn_usage_demo, stdout); return 0;
        default: fputs(kn_usage_demo, stderr); return KN_EXIT_INPUT;
        }
    }
    if (optind != argc) {
        kn_eprintf("koning demo: unexpected argument '%s'", argv[optind]);
        fputs(kn_usage_demo, stderr);
        return KN_EXIT_INPUT;
    }
    struct stat st;
    if (!scen) {
        char probe[KN_PATH_MAX];
        snprintf(probe, sizeof probe, "%s/organisation.yaml", KONING_SCENARIO_DIR);
        scen = stat(probe, &st) == 0 ? KONING_SCENARIO_DIR : "scenarios";
    }
    if (stat(dir, &st) != 0 && mkdir(dir, 0777) != 0) {
        kn_eprintf("koning demo: cannot create directory '%s': %s", dir, strerror(errno));
        return KN_EXIT_INPUT;
    }
    static char files[NP][KN_PATH_MAX], h5[KN_PATH_MAX], plots[KN_PATH_MAX], html[KN_PATH_MAX];
    if (!reps)
        reps = "10"; /* enough to separate the presets (docs/policies.md); --replications more */
    char *av[NP + 32];
    int n = 0;
    av[n++] = "compare";
    for (int i = 0; i < NP; i++) {
        snprintf(files[i], sizeof files[i], "%s/%s", scen, presets[i]);
        if (stat(files[i], &st) != 0) {
            kn_eprintf("koning demo: %s: %s (give the scenarios' directory with --scenarios)",
                    files[i], strerror(errno));
            return KN_EXIT_INPUT;
        }
        av[n++] = files[i];
    }
    snprintf(h5, sizeof h5, "%s/demo.h5", dir);
    snprintf(plots, sizeof plots, "%s/demo-plots", dir);
    snprintf(html, sizeof html, "%s/demo.html", dir);
    /* after the switch: four years (docs/policies.md shows the steady-state check: two
     * are not enough for most presets to stop drifting) */
    static char days_set[64];
    snprintf(days_set, sizeof days_set, "run.days=%.0f", floor(years * 365.25));
    av[n++] = "--set";
    av[n++] = days_set;
    av[n++] = "--from"; /* every policy starts from the default organisation, then switches */
    av[n++] = files[0];
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
    if (payback) {
        av[n++] = "--payback";
        av[n++] = (char *)payback;
    }
    av[n] = NULL;
    printf("koning demo: who is king? %d policies on the default organisation (%s/)\n\n", NP, scen);
    fflush(stdout);
    return kn_cmd_compare(n, av);
}
