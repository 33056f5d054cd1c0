/* bench_engine.c - koning's SimGrid engine on an M/M/c workload, for bench/run.sh.
 *
 * Runs one replication in this process (no fork, no statistics over replications)
 * with the same flags and the same one-line JSON output as bench/ref_mmc.c, so the two
 * can be compared in one run. The horizon is set so that the expected number of
 * arrivals is --customers; the figure reported is the actual number simulated.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine.h"

static int parse(const char *flag, const char *v, double *out)
{
    char *end;
    *out = strtod(v, &end);
    if (*v == '\0' || *end != '\0' || !(*out > 0)) {
        fprintf(stderr, "bench_engine: %s needs a positive number, got '%s'\n", flag, v);
        return 0;
    }
    return 1;
}

int main(int argc, char **argv)
{
    double lambda = 9.5, mu = 1.0, servers = 10, customers = 1e6, seed = 1;
    for (int i = 1; i < argc; i++) {
        double *dst = NULL;
        if (!strcmp(argv[i], "--lambda")) dst = &lambda;
        else if (!strcmp(argv[i], "--mu")) dst = &mu;
        else if (!strcmp(argv[i], "--servers")) dst = &servers;
        else if (!strcmp(argv[i], "--customers")) dst = &customers;
        else if (!strcmp(argv[i], "--seed")) dst = &seed;
        if (!dst || i + 1 >= argc || !parse(argv[i], argv[i + 1], dst)) {
            fprintf(stderr, "usage: bench_engine [--lambda L] [--mu M] [--servers C] "
                            "[--customers N] [--seed S]   (rates per minute)\n");
            return 2;
        }
        i++;
    }
    kn_scenario sc;
    memset(&sc, 0, sizeof sc);
    snprintf(sc.name, sizeof sc.name, "bench M/M/%d", (int)servers);
    sc.run.days = customers / lambda / 1440.0;
    sc.run.warmup_days = 0.0;
    sc.run.replications = 2;
    sc.run.seed = (uint64_t)seed;
    sc.run.period_days = 7.0;
    sc.arrivals.per_hour = lambda * 60.0;
    sc.service.kind = KN_DIST_EXPONENTIAL;
    sc.service.mean_minutes = 1.0 / mu;
    sc.patience.kind = KN_DIST_NONE;
    sc.staff.employees = (int)servers;

    kn_rep_result r;
    kn_error err = {0};
    if (kn_engine_run(&sc, 0, 0, &r, &err) != KN_OK) {
        fprintf(stderr, "bench_engine: %s\n", err.msg);
        return 1;
    }
    printf("{\"simulator\":\"koning-simgrid\",\"customers\":%llu,\"seconds\":%.6f,"
           "\"customers_per_second\":%.1f,\"p_wait\":%.6f,\"mean_wait\":%.6f,\"utilization\":%.6f}\n",
           (unsigned long long)r.customers, r.wall_seconds, (double)r.customers / r.wall_seconds,
           r.values[KN_M_P_WAIT], r.values[KN_M_MEAN_WAIT], r.values[KN_M_UTILIZATION]);
    return 0;
}
