/* robust_run.h - running a robust study (docs/robust.md): the design draws the worlds,
 * every policy runs in every world, and the whole is one study of the ordinary study
 * machinery (study.h): scenario s is world s / P, policy s % P, all on the same seed and
 * streams, so every policy in every world and replication r sees the same random numbers
 * (common random numbers), the runs are interleaved replication-major, journalled,
 * resumable, spread over --jobs or MPI ranks. Each rebuild of the results file also
 * writes the worlds and the per-world outcomes recorded so far (h5robust.h).
 */
#ifndef KONING_ROBUST_RUN_H
#define KONING_ROBUST_RUN_H

#include <stddef.h>
#include <stdint.h>
#include "koning/error.h"
#include "robust.h"
#include "study.h"

/* The headline metrics a robust study judges, in this order. */
#define KN_ROBUST_NMETRICS 4
extern const int kn_robust_metric[KN_ROBUST_NMETRICS];

/* The worlds of a study and the scenario of every policy in every world. */
typedef struct kn_robust_plan {
    size_t n_worlds, n_policies, n_keys;
    double *unit;    /* [n_worlds x n_keys] the design's points in the unit cube */
    double *value;   /* [n_worlds x n_keys] the magnitudes */
    int32_t *block;  /* [n_worlds] design block (h5robust.h) */
    kn_scenario *sc; /* [n_worlds x n_policies] scenario w * P + p */
} kn_robust_plan;

/* Draw the design from the study's seed (stream (seed, 0, 0 or 1, KN_SRC_DESIGN)), map it
 * to the ranges and build and check every scenario. KN_ESCENARIO when a world breaks a
 * rule across keys (the message names the world and its values), KN_ENOMEM. */
kn_status kn_robust_plan_make(const kn_robust_def *d, kn_robust_plan *plan, kn_error *err);
void kn_robust_plan_free(kn_robust_plan *plan);

/* Run the study as kn_study_run does (o->kind, o->extend are set here; study_text is the
 * study file's). Returns as kn_study_run. */
kn_status kn_robust_run(const kn_robust_def *d, const kn_robust_plan *plan, const kn_study_opts *o,
                        kn_study_out *out, kn_error *err);

#endif
