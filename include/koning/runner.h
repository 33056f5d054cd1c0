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
#include <stddef.h>
#include "koning/metrics.h"
#include "koning/results.h"
#include "koning/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Number of online processors (>= 1): the default for --jobs. */
int kn_default_jobs(void);

/* One simulation to run: replication `replication` of `scenario` on the random streams
 * of (scenario->run.seed, scenario_stream, replication). */
typedef struct kn_task {
    const kn_scenario *scenario;
    uint32_t scenario_index; /* copied into the record */
    uint64_t scenario_stream;
    uint64_t replication;
    uint64_t id;             /* copied into the record's `run` */
} kn_task;

/* Called in the calling process, in completion order, once per task, with its record
 * (status KN_OK, or the failure: an error in the simulation, a child killed by a
 * signal, a fork that failed). The callee may take rec->result.series (set it to
 * NULL); the runner frees what is left. Returning anything but KN_OK stops the runner
 * from starting more tasks; it waits for the running ones (their records are still
 * delivered) and then returns that status. */
typedef kn_status (*kn_task_done_fn)(void *user, const kn_task *task, kn_run_record *rec,
                                     kn_error *err);

/* Run tasks[0..n-1], each in its own forked child, at most `jobs` at once, in the
 * order given. Returns KN_OK, the first non-OK status of `done`, or KN_ESIM if the
 * runner itself failed (poll) or was asked to stop (SIGINT, SIGTERM: the children
 * still running are killed). Failed simulations are not errors of the runner: they
 * reach `done` as records. */
kn_status kn_run_tasks(const kn_task *tasks, size_t n, int jobs, kn_task_done_fn done,
                       void *user, kn_error *err);

/* Where kn_run_pull gets its tasks, one at a time, when it has a free slot: the next
 * task into *t, its scenario into *sc (t->scenario may point there: the runner keeps
 * *sc until the task's record is delivered), and 1; 0 when there are no more; or -1
 * with err set, which stops the runner as a failing `done` does. */
typedef int (*kn_task_next_fn)(void *user, kn_task *t, kn_scenario *sc, kn_error *err);

/* kn_run_tasks for tasks made as they are needed: memory grows with `jobs`, not with
 * the number of tasks. */
kn_status kn_run_pull(kn_task_next_fn next, void *next_user, int jobs, kn_task_done_fn done,
                      void *user, kn_error *err);

/* Run replications first .. first+count-1 of `sc` on random streams of
 * `scenario_stream`, at most `jobs` at once; results[i] receives replication first+i
 * (release each with kn_rep_result_clear). If a child fails or dies, the others still
 * finish; the first failure is returned (KN_ESIM, message naming the replication). */
kn_status kn_run_replications(const kn_scenario *sc, uint64_t scenario_stream, uint64_t first,
                              int count, int jobs, kn_rep_result *results, kn_error *err);

#ifdef __cplusplus
}
#endif
#endif
