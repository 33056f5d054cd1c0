/* cluster.c - MPI coordinator / worker for studies (see cluster.h). Compiled with real MPI
 * when KONING_WITH_MPI is defined (cmake -DKONING_MPI=ON), as stubs otherwise.
 *
 * Protocol: a worker sends a RESULT message (empty the first time, then the packed
 * record of the run it finished); rank 0 answers with a TASK message holding the run's
 * index, scenario and replication, or STOP when nothing is left. Rank 0 receives with
 * MPI_Probe/MPI_Get_count, so records of any length travel in one message.
 *
 * When the launcher dies (mpirun killed), MPI notices only after a while, and rank 0
 * could go on writing the journal that a --resume wants to take over. So every rank
 * watches its parent (a thread that looks every 50 ms) and ends itself, with its
 * simulations (stop.h), the moment the launcher is gone.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cluster.h"

#ifdef KONING_WITH_MPI
#include <mpi.h>
#include "record.h"
#include "stop.h"

enum { TAG_RESULT = 1, TAG_TASK = 2, TAG_STOP = 3 };

static int mpi_on, mpi_rank_, mpi_size_ = 1;
static pid_t launcher;

static void *watch_launcher(void *arg)
{
    (void)arg;
    struct timespec t = {0, 50 * 1000 * 1000};
    for (;;) {
        nanosleep(&t, NULL);
        if (getppid() != launcher) {
            static const char msg[] = "koning: the MPI launcher is gone; this rank stops\n";
            if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
                /* nothing more to say */
            }
            _exit(1);
        }
    }
    return NULL;
}

int kn_mpi_init(int *argc, char ***argv)
{
    /* Only under a launcher: plain `koning ...` never initialises MPI. */
    if (!getenv("OMPI_COMM_WORLD_SIZE") && !getenv("PMI_SIZE") && !getenv("PMIX_RANK"))
        return 1;
    launcher = getppid();
    if (MPI_Init(argc, argv) != MPI_SUCCESS)
        return 1;
    mpi_on = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &mpi_rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &mpi_size_);
    pthread_t th;
    if (mpi_size_ > 1 && pthread_create(&th, NULL, watch_launcher, NULL) == 0)
        pthread_detach(th);
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

/* What a worker is running: its task, and the scenario the task points at. */
typedef struct assigned {
    kn_task task;
    kn_scenario sc;
    int busy;
} assigned;

kn_status kn_mpi_coordinate(kn_task_next_fn next, void *next_user, kn_task_done_fn done,
                            void *user, kn_error *err)
{
    int workers = mpi_size_ - 1, stopped = 0, more = 1;
    kn_status stop = KN_OK;
    kn_error serr = {0};
    unsigned char *buf = NULL;
    assigned *at = calloc((size_t)mpi_size_, sizeof *at);
    if (!at)
        return kn_error_set(err, KN_ENOMEM, "out of memory");
    while (stopped < workers) {
        MPI_Status st;
        int len = 0;
        MPI_Probe(MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &st);
        MPI_Get_count(&st, MPI_BYTE, &len);
        unsigned char *nb = realloc(buf, len > 0 ? (size_t)len : 1);
        if (!nb) {
            free(buf);
            free(at);
            return kn_error_set(err, KN_ENOMEM, "out of memory");
        }
        buf = nb;
        MPI_Recv(buf, len, MPI_BYTE, st.MPI_SOURCE, TAG_RESULT, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        assigned *a = &at[st.MPI_SOURCE];
        if (len > 0) {
            kn_run_record rec;
            kn_error uerr = {0};
            if (!a->busy || kn_record_unpack(buf, (size_t)len, &rec, &uerr) != KN_OK) {
                if (stop == KN_OK)
                    stop = kn_error_set(&serr, KN_EIO, "rank %d sent a bad record%s%s", st.MPI_SOURCE,
                                        uerr.msg[0] ? ": " : "", uerr.msg);
            } else {
                kn_status rc = rec.run == a->task.id
                                   ? done(user, &a->task, &rec, stop == KN_OK ? &serr : NULL)
                                   : kn_error_set(stop == KN_OK ? &serr : NULL, KN_EIO,
                                                  "rank %d sent run %llu, not its run %llu",
                                                  st.MPI_SOURCE, (unsigned long long)rec.run,
                                                  (unsigned long long)a->task.id);
                kn_rep_result_clear(&rec.result);
                if (rc != KN_OK && stop == KN_OK)
                    stop = rc;
            }
        }
        a->busy = 0;
        if (stop == KN_OK && kn_stop_requested())
            stop = kn_error_set(&serr, KN_ESIM, "interrupted by SIG%s", sigabbrev_np(kn_stop_requested()));
        if (more && stop == KN_OK) {
            int got = next(next_user, &a->task, &a->sc, &serr);
            if (got < 0)
                stop = serr.code ? serr.code : KN_EINVAL;
            more = got > 0;
        }
        if (more && stop == KN_OK) {
            unsigned long long msg[3] = {a->task.id, a->task.scenario_index, a->task.replication};
            a->busy = 1;
            MPI_Send(msg, 3, MPI_UNSIGNED_LONG_LONG, st.MPI_SOURCE, TAG_TASK, MPI_COMM_WORLD);
        } else {
            MPI_Send(NULL, 0, MPI_BYTE, st.MPI_SOURCE, TAG_STOP, MPI_COMM_WORLD);
            stopped++;
        }
    }
    free(buf);
    free(at);
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

kn_status kn_mpi_serve(kn_scenario_fn get, void *get_user, kn_error *err)
{
    packed p = {NULL, 0};
    kn_scenario *sc = malloc(sizeof *sc);
    if (!sc)
        return kn_error_set(err, KN_ENOMEM, "out of memory");
    kn_status rc = KN_OK;
    for (;;) {
        MPI_Send(p.buf, (int)p.len, MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD);
        free(p.buf);
        p.buf = NULL;
        p.len = 0;
        MPI_Status st;
        unsigned long long msg[3] = {0, 0, 0};
        MPI_Probe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
        if (st.MPI_TAG == TAG_STOP) {
            MPI_Recv(NULL, 0, MPI_BYTE, 0, TAG_STOP, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            break;
        }
        MPI_Recv(msg, 3, MPI_UNSIGNED_LONG_LONG, 0, TAG_TASK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if ((rc = get(get_user, (size_t)msg[1], sc, err)) != KN_OK)
            break;
        kn_task t = {sc, (uint32_t)msg[1], 0, msg[2], msg[0]};
        if ((rc = kn_run_tasks(&t, 1, 1, keep_packed, &p, err)) != KN_OK)
            break;
    }
    free(sc);
    return rc;
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

kn_status kn_mpi_coordinate(kn_task_next_fn next, void *next_user, kn_task_done_fn done,
                            void *user, kn_error *err)
{
    (void)next;
    (void)next_user;
    (void)done;
    (void)user;
    return kn_error_set(err, KN_EINVAL, "koning was built without MPI (cmake -DKONING_MPI=ON)");
}

kn_status kn_mpi_serve(kn_scenario_fn get, void *get_user, kn_error *err)
{
    (void)get;
    (void)get_user;
    return kn_error_set(err, KN_EINVAL, "koning was built without MPI (cmake -DKONING_MPI=ON)");
}
#endif
