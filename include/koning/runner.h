/* runner.h - independent replications, each in its own process.
 *
 * SimGrid runs one simulation per process, so every replication is a forked child that
 * runs kn_engine_run and sends its kn_rep_result back through a pipe. Up to `jobs`
 * children run at once. Results are stored by replication index, so they do not
 * depend on `jobs` or on the order children finish.
 */
#ifndef KONING_RUNNER_H
#define KONING_RUNNER_H

#include <stdint.h>
#include "koning/error.h"
#include "koning/metrics.h"
#include "koning/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Number of online processors (>= 1): the default for --jobs. */
int kn_default_jobs(void);

/* Run replications first .. first+count-1 of `sc` on random streams of
 * `scenario_stream`, at most `jobs` at once; results[i] receives replication first+i.
 * If a child fails or dies, the others still finish; the first failure is returned
 * (KN_ESIM, message naming the replication and the reason). */
kn_status kn_run_replications(const kn_scenario *sc, uint64_t scenario_stream, uint64_t first,
                              int count, int jobs, kn_rep_result *results, kn_error *err);

#ifdef __cplusplus
}
#endif
#endif
