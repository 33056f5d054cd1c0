/* cluster.h - spreading a study's runs over MPI ranks (Open MPI), when koning is built
 * with MPI (cmake -DKONING_MPI=ON) and started by mpirun. Rank 0 coordinates and is the
 * single writer of the journal and results file; every other rank asks for a run,
 * simulates it (in a forked child, as SimGrid wants), sends the packed record back,
 * and asks again. Every rank reads the same files, so a run travels as three numbers
 * (its index, its scenario, its replication) and comes back as its record. Every rank
 * ends itself as soon as the launcher (mpirun, srun) is gone. Without MPI these are
 * stubs: one process, size 1.
 */
#ifndef KONING_CLUSTER_H
#define KONING_CLUSTER_H

#include <stddef.h>
#include "koning/error.h"
#include "koning/runner.h"

/* Initialise MPI only if this process was started by an MPI launcher; returns the
 * number of ranks (1 otherwise, or without MPI support). */
int kn_mpi_init(int *argc, char ***argv);
int kn_mpi_rank(void);
int kn_mpi_size(void);
/* Finalise if initialised. */
void kn_mpi_finalize(void);
/* Abort every rank (rank 0 hit an error the workers cannot see). */
void kn_mpi_abort(int code);

/* Rank 0: hand out the tasks next() makes (as kn_run_pull) to the workers; deliver
 * each record to done(). */
kn_status kn_mpi_coordinate(kn_task_next_fn next, void *next_user, kn_task_done_fn done,
                            void *user, kn_error *err);

/* Scenario i of the study (what every rank can read for itself). */
typedef kn_status (*kn_scenario_fn)(void *user, size_t i, kn_scenario *out, kn_error *err);

/* Other ranks: run what rank 0 sends (scenario i read with get) until it says stop. */
kn_status kn_mpi_serve(kn_scenario_fn get, void *get_user, kn_error *err);

#endif
