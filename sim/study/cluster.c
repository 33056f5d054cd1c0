/* cluster.c - MPI coordinator / worker for studies (see cluster.h). Compiled with real MPI
 * when KONING_WITH_MPI is defined (cmake -DKONING_MPI=ON), as stubs otherwise.
 *
 * Protocol: a worker sends a RESULT message (empty the first time, then the packed
 * record of the run it finished); rank 0 answers with a TASK message holding a plan
 * index, or STOP when nothing is left. Rank 0 receives with MPI_Probe/MPI_Get_count,
 * so records of any length travel in one message.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include "cluster.h"

#ifdef KONING_WITH_MPI
#include <mpi.h>
#include "record.h"

enum { TAG_RESULT = 1, TAG_TASK = 2, TAG_STOP = 3 };

static int mpi_on, mpi_rank_, mpi_size_ = 1;

int kn_mpi_init(int *argc, char ***argv)
{
    /* Only under a launcher: plain `koning ...` never initialises MPI. */
    if (!getenv("OMPI_COMM_WORLD_SIZE") && !getenv("PMI_SIZE") && !getenv("PMIX_RANK"))
        return 1;
    if (MPI_Init(argc, argv) != MPI_SUCCESS)
        return 1;
    mpi_on = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &mpi_rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &mpi_size_);
    return mpi_size_;
}

int kn_mpi_rank(void) { return mpi_rank_; }
int kn_mpi_size(void) { return mpi_size_; }

void kn_mpi_finalize(void)
{
    if (mpi_on)
        MPI_Finalize();
    mpi_on = 0;
}

void kn_mpi_abort(int code)
{
    if (mpi_on && mpi_size_ > 1)
        MPI_Abort(MPI_COMM_WORLD, code);
}

kn_status kn_mpi_coordinate(const kn_task *plan, const size_t *order, size_t n,
                            kn_task_done_fn done, void *user, kn_error *err)
{
    size_t next = 0;
    int workers = mpi_size_ - 1, stopped = 0;
    kn_status stop = KN_OK;
    kn_error serr = {0};
    unsigned char *buf = NULL;
    while (stopped < workers) {
        MPI_Status st;
        int len = 0;
        MPI_Probe(MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &st);
        MPI_Get_count(&st, MPI_BYTE, &len);
        unsigned char *nb = realloc(buf, len > 0 ? (size_t)len : 1);
        if (!nb) {
            free(buf);
            return kn_error_set(err, KN_ENOMEM, "out of memory");
        }
        buf = nb;
        MPI_Recv(buf, len, MPI_BYTE, st.MPI_SOURCE, TAG_RESULT, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (len > 0) {
            kn_run_record rec;
            kn_error uerr = {0};
            if (kn_record_unpack(buf, (size_t)len, &rec, &uerr) == KN_OK) {
                const kn_task *t = rec.run < (uint64_t)SIZE_MAX ? &plan[rec.run] : NULL;
                kn_status rc = t ? done(user, t, &rec, stop == KN_OK ? &serr : NULL) : KN_EIO;
                kn_rep_result_clear(&rec.result);
                if (rc != KN_OK && stop == KN_OK)
                    stop = rc;
            } else if (stop == KN_OK) {
                stop = kn_error_set(&serr, KN_EIO, "rank %d sent a bad record: %s", st.MPI_SOURCE,
                                    uerr.msg);
            }
        }
        if (next < n && stop == KN_OK) {
            unsigned long long idx = order[next++];
            MPI_Send(&idx, 1, MPI_UNSIGNED_LONG_LONG, st.MPI_SOURCE, TAG_TASK, MPI_COMM_WORLD);
        } else {
            MPI_Send(NULL, 0, MPI_BYTE, st.MPI_SOURCE, TAG_STOP, MPI_COMM_WORLD);
            stopped++;
        }
    }
    free(buf);
    if (stop != KN_OK && err)
        *err = serr;
    return stop;
}

typedef struct packed {
    unsigned char *buf;
    size_t len;
} packed;

static kn_status keep_packed(void *user, const kn_task *t, kn_run_record *rec, kn_error *err)
{
    (void)t;
    packed *p = user;
    return kn_record_pack(rec, &p->buf, &p->len, err);
}

kn_status kn_mpi_serve(const kn_task *plan, size_t n_plan, kn_error *err)
{
    packed p = {NULL, 0};
    for (;;) {
        MPI_Send(p.buf, (int)p.len, MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD);
        free(p.buf);
        p.buf = NULL;
        p.len = 0;
        MPI_Status st;
        unsigned long long idx = 0;
        MPI_Probe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
        if (st.MPI_TAG == TAG_STOP) {
            MPI_Recv(NULL, 0, MPI_BYTE, 0, TAG_STOP, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            return KN_OK;
        }
        MPI_Recv(&idx, 1, MPI_UNSIGNED_LONG_LONG, 0, TAG_TASK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (idx >= n_plan)
            return kn_error_set(err, KN_EINVAL, "rank 0 asked for run %llu of %zu", idx, n_plan);
        kn_status rc = kn_run_tasks(&plan[idx], 1, 1, keep_packed, &p, err);
        if (rc != KN_OK)
            return rc;
    }
}

#else /* without MPI: one process */

int kn_mpi_init(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 1;
}
int kn_mpi_rank(void) { return 0; }
int kn_mpi_size(void) { return 1; }
void kn_mpi_finalize(void) {}
void kn_mpi_abort(int code) { (void)code; }

kn_status kn_mpi_coordinate(const kn_task *plan, const size_t *order, size_t n,
                            kn_task_done_fn done, void *user, kn_error *err)
{
    (void)plan;
    (void)order;
    (void)n;
    (void)done;
    (void)user;
    return kn_error_set(err, KN_EINVAL, "koning was built without MPI (cmake -DKONING_MPI=ON)");
}

kn_status kn_mpi_serve(const kn_task *plan, size_t n_plan, kn_error *err)
{
    (void)plan;
    (void)n_plan;
    return kn_error_set(err, KN_EINVAL, "koning was built without MPI (cmake -DKONING_MPI=ON)");
}
#endif
