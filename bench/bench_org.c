/* bench_org.c - the organisation model on koning's engine, for bench/org_speed.sh.
 *
 * Runs one replication of a scenario file in this process (as each child of `koning
 * run` does), with the horizon, base and seed given on the command line and no warm-up
 * (every visit counts), and prints one JSON line: visits simulated (arrivals, served or
 * abandoned), wall seconds of the whole run (set-up of the base, simulation, the
 * end-of-run pass), kernel events, and the cost per visit.
 *
 *   bench_org SCENARIO.yaml [--base N] [--years Y] [--seed S] [--set key=value]...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine.h"
#include "scenario_yaml.h"

static int number(const char *flag, const char *v, double *out)
{
    char *end;
    *out = strtod(v, &end);
    if (*v == '\0' || *end != '\0' || !(*out > 0)) {
        fprintf(stderr, "bench_org: %s needs a positive number, got '%s'\n", flag, v);
        return 0;
    }
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: bench_org SCENARIO.yaml [--base N] [--years Y] [--seed S] "
                        "[--set key=value]...\n");
        return 2;
    }
    kn_scenario sc;
    kn_error err = {0};
    if (kn_scenario_load(&sc, argv[1], &err) != KN_OK) {
        fprintf(stderr, "bench_org: %s\n", err.msg);
        return 2;
    }
    double base = sc.customers.base, years = 2.0, seed = (double)sc.run.seed;
    for (int i = 2; i < argc; i++) {
        if (i + 1 >= argc) {
            fprintf(stderr, "bench_org: %s needs a value\n", argv[i]);
            return 2;
        }
        const char *v = argv[++i];
        if (!strcmp(argv[i - 1], "--set")) {
            if (kn_scenario_set(&sc, v, &err) != KN_OK) {
                fprintf(stderr, "bench_org: %s\n", err.msg);
                return 2;
            }
            continue;
        }
        double *dst = !strcmp(argv[i - 1], "--base") ? &base : !strcmp(argv[i - 1], "--years") ? &years
                      : !strcmp(argv[i - 1], "--seed") ? &seed : NULL;
        if (!dst || !number(argv[i - 1], v, dst))
            return 2;
    }
    sc.customers.base = (int)base;
    sc.run.days = 365.0 * years;
    sc.run.warmup_days = 0.0;
    sc.run.seed = (uint64_t)seed;
    if (kn_scenario_check(&sc, &err) != KN_OK) {
        fprintf(stderr, "bench_org: %s\n", err.msg);
        return 2;
    }
    kn_rep_result r;
    if (kn_engine_run(&sc, 0, 0, &r, &err) != KN_OK) {
        fprintf(stderr, "bench_org: %s\n", err.msg);
        return 1;
    }
    double visits = (double)r.customers;
    printf("{\"simulator\":\"koning-org\",\"base\":%d,\"years\":%g,\"visits\":%.0f,\"seconds\":%.6f,"
           "\"kernel_events\":%llu,\"events_per_visit\":%.4f,\"us_per_visit\":%.4f,"
           "\"visits_per_second\":%.1f}\n",
           sc.customers.base, years, visits, r.wall_seconds, (unsigned long long)r.kernel_events,
           (double)r.kernel_events / visits, 1e6 * r.wall_seconds / visits, visits / r.wall_seconds);
    kn_rep_result_clear(&r);
    return 0;
}
