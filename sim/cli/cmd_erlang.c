/* cmd_erlang.c - `koning erlang`: the exact long-run figures of the M/M/N queue
 * (Erlang-C) or, with --theta > 0, the M/M/N+M queue (Erlang-A), as a table or JSON.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include "commands.h"
#include "koning/erlang.h"
#include "options.h"
#include "tables.h"

const char kn_usage_erlang[] =
    "usage: koning erlang --lambda L --mu M --servers N [--theta T] [--format table|json]\n"
    "\n"
    "Exact long-run figures of the M/M/N queue (Erlang-C) or, with --theta > 0, the\n"
    "M/M/N+M queue (Erlang-A). Rates per minute: L arrivals, M services per server,\n"
    "T abandonments per waiting customer (1 / mean patience).\n";

int kn_cmd_erlang(int argc, char **argv)
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
        case OPT_LAMBDA: if (kn_opt_double("--lambda", optarg, 0, 1e9, &lambda)) return KN_EXIT_INPUT; break;
        case OPT_MU: if (kn_opt_double("--mu", optarg, 0, 1e9, &mu)) return KN_EXIT_INPUT; break;
        case OPT_THETA: if (kn_opt_double("--theta", optarg, 0, 1e9, &theta)) return KN_EXIT_INPUT; break;
        case OPT_SERVERS: if (kn_opt_int("--servers", optarg, 1, 1000000, &n)) return KN_EXIT_INPUT; break;
        case OPT_FORMAT: if (kn_opt_format(optarg, &json)) return KN_EXIT_INPUT; break;
        case 'h': fputs(kn_usage_erlang, stdout); return 0;
        default: fputs(kn_usage_erlang, stderr); return KN_EXIT_INPUT;
        }
    }
    if (isnan(lambda) || isnan(mu) || n < 0 || optind != argc) {
        fputs(kn_usage_erlang, stderr);
        return KN_EXIT_INPUT;
    }
    kn_erlang e;
    kn_error err = {0};
    if (kn_erlang_a(lambda, mu, theta, (int)n, &e, &err) != KN_OK) {
        kn_eprintf("koning erlang: %s", err.msg);
        return KN_EXIT_INPUT;
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
