/* engine.h - one replication of a scenario on the SimGrid kernel.
 *
 * SimGrid supports one simulation per process (its clock is never reset and a second
 * platform load aborts), so kn_engine_run may be called once per process: the runner
 * forks a child per replication.
 */
#ifndef KONING_ENGINE_H
#define KONING_ENGINE_H

#include <stdint.h>
#include "koning/error.h"
#include "koning/metrics.h"
#include "koning/scenario.h"

/* Simulate replication `replication` of `sc` with random streams of `scenario_stream`
 * and fill `out`. Returns KN_ESIM if called a second time in the same process. */
kn_status kn_engine_run(const kn_scenario *sc, uint64_t scenario_stream, uint64_t replication,
                        kn_rep_result *out, kn_error *err);

/* The simulation kernel's version, "MAJOR.MINOR.PATCH" (static string). */
const char *kn_engine_version(void);

#endif
