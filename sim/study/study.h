/* study.h - running a study: every replication of every scenario, as independent
 * runs in a canonical interleaved order, streamed to a journal and a results file.
 *
 * Run order is replication-major: replication 0 of every scenario, then replication 1
 * of every scenario, ... so a study cut short still covers every scenario. All
 * scenarios use scenario stream 0, so with equal seeds scenario A and B replication r
 * see the same customers (common random numbers). The results file is rebuilt from
 * the journal and replaced atomically (write beside, fsync, rename) from time to time
 * and at the end, so it is always a complete, readable HDF5 file; the journal is
 * deleted when the study completes.
 */
#ifndef KONING_STUDY_H
#define KONING_STUDY_H

#include <stddef.h>
#include <stdint.h>
#include "koning/error.h"
#include "koning/metrics.h"
#include "koning/runner.h"
#include "koning/scenario.h"
#include "h5out.h"

struct kn_study_out;

typedef struct kn_study_opts {
    const char *kind;         /* "run", "compare", "sweep" */
    const char *out_path;     /* results file; NULL: no file, no journal */
    const char *command_line;
    const char *study_text;   /* sweep file text or NULL */
    int jobs;                 /* parallel simulations on this machine */
    int resume;               /* continue an interrupted study from OUT.journal */
    int progress;             /* 1: progress bar on stderr when it is a terminal */
    double level;             /* confidence level of the file's summaries */
    /* Called each time the results file is rebuilt, before it is closed, with the values
     * recorded so far: a study adds its own datasets (koning robust: its worlds). NULL:
     * nothing. A failure stops the study as a failed rebuild does. */
    kn_status (*extend)(void *user, kn_h5 *h, const struct kn_study_out *out, kn_error *err);
    void *extend_user;
} kn_study_opts;

typedef struct kn_study_out {
    size_t n_scenarios;
    int max_reps;
    double *values;           /* [(s * max_reps + r) * KN_METRIC_COUNT + m]; NaN if failed/not run
                                 (kn_study_run only; NULL after kn_study_run_source) */
    int *status;              /* [s * max_reps + r]: KN_OK, a kn_status, or -1 not part of it
                                 (the same) */
    uint64_t n_runs, n_failed;
    char first_error[KN_ERROR_MSG_MAX]; /* of the first failed run, "" if none */
} kn_study_out;

/* Run the study. Returns KN_OK if every run was attempted and recorded (some may have
 * failed: see out->n_failed; release out with kn_study_out_free), or an error that
 * stopped it (out is then empty): KN_EUSAGE if it could not start (results file not
 * writable, a journal left by an interrupted study without --resume, a journal of
 * another study, nothing to resume), else the failure that stopped it mid-way (e.g.
 * KN_EIO: disk full; KN_ESIM "interrupted by SIGINT": a stop was asked for, stop.h);
 * runs finished before are kept in the journal, and the message says so. */
kn_status kn_study_run(const kn_scenario *scenarios, size_t n, const kn_study_opts *o,
                       kn_study_out *out, kn_error *err);

/* A study whose scenarios are not held in memory (a sweep of a million points): each
 * is read when a run needs it, with what the study would otherwise learn by reading
 * them all. Memory grows with the runs in flight and the runs done (the journal's
 * index, the summaries), not with the scenarios planned. */
typedef struct kn_study_source {
    kn_h5_scenarios scenarios; /* n, and scenario i; all share run.period_days */
    int replications;          /* of every scenario */
    uint32_t n_periods;        /* periods of the longest run */
    double last_day;           /* run.days of the longest run (where the last period ends) */
    uint64_t fingerprint;      /* the same for two sources that run the same simulations */
} kn_study_source;

/* kn_study_run for a source; out->values and out->status stay NULL. */
kn_status kn_study_run_source(const kn_study_source *src, const kn_study_opts *o,
                              kn_study_out *out, kn_error *err);

void kn_study_out_free(kn_study_out *out);

/* Whether this process is an MPI worker rank (then kn_study_run serves the
 * coordinator and returns without output). 0 when built without MPI. */
int kn_study_is_worker(void);

#endif
