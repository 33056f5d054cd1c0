/* cmd_validate.c - `koning validate`: simulate the built-in M/M/n and M/M/n+M cases
 * and check them against the exact Erlang-C / Erlang-A values (views/validate.c);
 * exit 1 on a failed check.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "commands.h"
#include "koning/runner.h"
#include "options.h"
#include "validate.h"

const char kn_usage_validate[] =
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

int kn_cmd_validate(int argc, char **argv)
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
        case 'j': if (kn_opt_int("--jobs", optarg, 1, 4096, &v)) return KN_EXIT_INPUT; o.jobs = (int)v; break;
        case OPT_REPS: if (kn_opt_int("--replications", optarg, 2, 100000, &v)) return KN_EXIT_INPUT;
            o.replications = (int)v; break;
        case OPT_SCALE: if (kn_opt_double("--scale", optarg, 1e-3, 1e3, &o.scale)) return KN_EXIT_INPUT; break;
        case OPT_LEVEL: if (kn_opt_double("--level", optarg, 0.5, 0.9999, &o.level)) return KN_EXIT_INPUT; break;
        case OPT_SEED: if (kn_opt_int("--seed", optarg, 0, INT64_MAX, &v)) return KN_EXIT_INPUT;
            o.seed = (uint64_t)v; break;
        case OPT_FORMAT: if (kn_opt_format(optarg, &o.json)) return KN_EXIT_INPUT; break;
        case 'h': fputs(kn_usage_validate, stdout); return 0;
        default: fputs(kn_usage_validate, stderr); return KN_EXIT_INPUT;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "koning validate: unexpected argument '%s'\n%s", argv[optind], kn_usage_validate);
        return KN_EXIT_INPUT;
    }
    kn_error err = {0};
    int failures = kn_validate(stdout, &o, &err);
    if (failures < 0) {
        kn_eprintf("koning validate: %s", err.msg);
        return KN_EXIT_FAIL;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        kn_eprintf("koning validate: cannot write to standard output: %s", strerror(errno));
        return KN_EXIT_FAIL;
    }
    return failures ? KN_EXIT_FAIL : 0;
}
