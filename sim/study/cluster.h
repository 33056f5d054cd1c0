/* cluster.h - spreading a study's runs over MPI ranks (Open MPI), when koning is built
 * with MPI (cmake -DKONING_MPI=ON) and started by mpirun. Rank 0 coordinates and is the
 * single writer of the journal and results file; every other rank asks for a run,
 * simulates it (in a forked child, as SimGrid wants), sends the packed record back,
 * and asks again. Every rank builds the same plan from the same files, so only plan
 * indices and records travel. Without MPI these are stubs: one process, size 1.
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

/* Rank 0: hand out the plan indices in `order` (n of them) to the workers; deliver
 * each record to done(). */
kn_status kn_mpi_coordinate(const kn_task *plan, const size_t *order, size_t n,
                            kn_task_done_fn done, void *user, kn_error *err);

/* Other ranks: serve plan indices until rank 0 says stop. */
kn_status kn_mpi_serve(const kn_task *plan, size_t n_plan, kn_error *err);

#endif
