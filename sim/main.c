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
#include "koning/erlang.h"
#include "koning/runner.h"
#include "koning/scenario.h"
#include "report.h"
#include "validate.h"

#define EXIT_FAIL 1
#define EXIT_INPUT 2

static const char usage_main[] =
    "koning - who is king, the customer or the employee? A simulator of service organisations.\n"
    "\n"
    "usage: koning COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  run FILE       simulate a scenario file, print every metric with its confidence interval\n"
    "  validate       check the engine against exact Erlang-C / Erlang-A values\n"
    "  erlang         print exact M/M/n(+M) figures for given rates\n"
    "  help [COMMAND] show help (also: koning COMMAND --help)\n"
    "  version        print the version\n";

static const char usage_run[] =
    "usage: koning run FILE [options]\n"
    "\n"
    "Simulate the scenario in FILE (YAML, see docs/scenarios.md) with independent\n"
    "replications, each in its own process, and print mean and confidence interval of\n"
    "every metric.\n"
    "\n"
    "  --set KEY=VALUE     override a scenario key, e.g. --set staff.employees=12 (repeatable)\n"
    "  --format FMT        table (default) or json\n"
    "  -j, --jobs N        replications run at once (default: number of cores)\n"
    "  --replications R    same as --set run.replications=R\n"
    "  --seed S            same as --set run.seed=S\n"
    "  --level L           confidence level of the intervals (default 0.95)\n";

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

enum { OPT_SET = 256, OPT_FORMAT, OPT_REPS, OPT_SEED, OPT_LEVEL, OPT_SCALE, OPT_LAMBDA,
       OPT_MU, OPT_THETA, OPT_SERVERS };

static int cmd_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"set", required_argument, 0, OPT_SET},      {"format", required_argument, 0, OPT_FORMAT},
        {"jobs", required_argument, 0, 'j'},         {"replications", required_argument, 0, OPT_REPS},
        {"seed", required_argument, 0, OPT_SEED},    {"level", required_argument, 0, OPT_LEVEL},
        {"help", no_argument, 0, 'h'},               {0, 0, 0, 0}};
    int json = 0;
    long jobs = kn_default_jobs();
    double level = 0.95;
    char **sets = calloc((size_t)argc, sizeof *sets);
    char (*owned)[64] = calloc((size_t)argc, sizeof *owned);
    int nsets = 0, c, rc = EXIT_INPUT;
    kn_rep_result *res = NULL;
    if (!sets || !owned) {
        fprintf(stderr, "koning: out of memory\n");
        goto out;
    }
    optind = 1;
    while ((c = getopt_long(argc, argv, "j:h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_SET: sets[nsets++] = optarg; break;
        case OPT_FORMAT: if (parse_format(optarg, &json)) goto out; break;
        case 'j': if (parse_int("--jobs", optarg, 1, 4096, &jobs)) goto out; break;
        case OPT_REPS:
            snprintf(owned[nsets], sizeof owned[0], "run.replications=%.40s", optarg);
            sets[nsets] = owned[nsets];
            nsets++;
            break;
        case OPT_SEED:
            snprintf(owned[nsets], sizeof owned[0], "run.seed=%.50s", optarg);
            sets[nsets] = owned[nsets];
            nsets++;
            break;
        case OPT_LEVEL: if (parse_double("--level", optarg, 0.5, 0.9999, &level)) goto out; break;
        case 'h': fputs(usage_run, stdout); rc = 0; goto out;
        default: fputs(usage_run, stderr); goto out;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "koning run: expected exactly one scenario FILE\n%s", usage_run);
        goto out;
    }
    kn_scenario sc;
    kn_error err = {0};
    if (kn_scenario_load(&sc, argv[optind], &err) != KN_OK) {
        fprintf(stderr, "koning: %s\n", err.msg);
        goto out;
    }
    for (int i = 0; i < nsets; i++)
        if (kn_scenario_set(&sc, sets[i], &err) != KN_OK) {
            fprintf(stderr, "koning: %s\n", err.msg);
            goto out;
        }
    if (nsets && kn_scenario_check(&sc, &err) != KN_OK) {
        fprintf(stderr, "koning: %s\n", err.msg);
        goto out;
    }
    int n = sc.run.replications;
    res = calloc((size_t)n, sizeof *res);
    if (!res) {
        fprintf(stderr, "koning: out of memory for %d replications\n", n);
        rc = EXIT_FAIL;
        goto out;
    }
    kn_summary s[KN_METRIC_COUNT];
    if (kn_run_replications(&sc, 0, 0, n, (int)jobs, res, &err) != KN_OK ||
        kn_report_summarize(res, n, level, s, &err) != KN_OK) {
        fprintf(stderr, "koning: %s: %s\n", sc.file[0] ? sc.file : sc.name, err.msg);
        rc = EXIT_FAIL;
        goto out;
    }
    if (json)
        kn_report_json(stdout, &sc, n, s);
    else
        kn_report_table(stdout, &sc, n, s);
    rc = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "koning: cannot write the results to standard output: %s\n", strerror(errno));
        rc = EXIT_FAIL;
    }
out:
    free(res);
    free(sets);
    free(owned);
    return rc;
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

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_main, stderr);
        return EXIT_INPUT;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "run"))
        return cmd_run(argc - 1, argv + 1);
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
              : !strcmp(topic, "validate") ? usage_validate
              : !strcmp(topic, "erlang") ? usage_erlang : usage_main, stdout);
        return 0;
    }
    fprintf(stderr, "koning: unknown command '%s'\n\n%s", cmd, usage_main);
    return EXIT_INPUT;
}
