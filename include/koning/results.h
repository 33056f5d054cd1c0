/* results.h - one finished (or failed) run of a study, as it is journaled and written
 * to the results file. A study is a list of scenarios times replications: `koning
 * run` (one scenario), `compare` (several, on common random numbers) and `sweep`
 * (the points of a design). Runs are numbered in a canonical, interleaved order
 * (replication-major) that does not depend on --jobs, MPI ranks or interruptions.
 */
#ifndef KONING_RESULTS_H
#define KONING_RESULTS_H

#include <stdint.h>
#include "koning/error.h"
#include "koning/metrics.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kn_run_record {
    uint64_t run;          /* canonical index of the run in the study = its row */
    uint32_t scenario;     /* index into the study's scenarios */
    uint64_t replication;  /* replication number (random streams) */
    uint64_t seed;         /* master seed the run used */
    int32_t status;        /* KN_OK, or the kn_status of its failure */
    char error[KN_ERROR_MSG_MAX]; /* "" when status == KN_OK */
    kn_rep_result result;  /* when failed: values NaN, n_periods 0, series NULL */
} kn_run_record;

#ifdef __cplusplus
}
#endif
#endif
