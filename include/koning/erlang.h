/* erlang.h - exact long-run figures of the M/M/n (Erlang-C) and M/M/n+M (Erlang-A)
 * queues: the oracle that `koning validate` and the tests compare the simulator with.
 *
 * Two independent computations: closed formulas (Garnett, Mandelbaum & Reiman 2002)
 * and the stationary law of the birth-death chain. Rates are per unit of time (koning
 * uses minutes); lambda arrival rate, mu service rate per server, theta abandonment
 * rate (1 / mean patience; 0 = nobody abandons), n servers.
 */
#ifndef KONING_ERLANG_H
#define KONING_ERLANG_H

#include "koning/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kn_erlang {
    double p_wait;      /* P(wait > 0) */
    double p_abandon;   /* P(abandon) */
    double mean_wait;   /* E[time in queue] over all arrivals, served or abandoned */
    double mean_queue;  /* E[number waiting] (Little: lambda * mean_wait) */
    double utilization; /* E[busy servers] / n */
    double served_rate; /* throughput of served customers: lambda * (1 - p_abandon) */
} kn_erlang;

/* Erlang-B blocking probability for offered load a = lambda/mu on n servers. */
double kn_erlang_b(double a, int n);

/* Closed formulas. theta == 0 is Erlang-C and needs lambda < n*mu.
 * Returns KN_EINVAL (with message) for impossible input. */
kn_status kn_erlang_a(double lambda, double mu, double theta, int n, kn_erlang *out,
                      kn_error *err);

/* Same figures from the birth-death chain's stationary law (truncated where the
 * remaining tail mass is below 1e-15). */
kn_status kn_erlang_birth_death(double lambda, double mu, double theta, int n,
                                kn_erlang *out, kn_error *err);

#ifdef __cplusplus
}
#endif
#endif
