/* runner.c - fork one child per simulation, collect run records through pipes.
 *
 * A child runs exactly one SimGrid simulation (SimGrid: one per process), writes one
 * packed run record (record.h) to its pipe and _exits. The parent keeps up to `jobs`
 * children running, polls their pipes, reads each record (header first, for its
 * length, then the rest), reaps the child and hands the record to the caller. A
 * child that dies before its record is complete becomes a failed record naming the
 * signal or exit status. Asked to stop (stop.h), the parent kills the children still
 * running and returns; a child that Ctrl-C killed is not a failed run.
 */
#define _GNU_SOURCE /* close_range */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "engine.h"
#include "koning/runner.h"
#include "record.h"
#include "stop.h"

typedef struct slot {
    pid_t pid;
    int fd;              /* read end of the child's pipe, -1 when free */
    kn_task task;        /* what the child runs */
    kn_scenario sc;      /* its scenario, when the task source put it here */
    unsigned char head[KN_RECORD_HEADER];
    unsigned char *buf;  /* whole record once its length is known */
    size_t need, got;
} slot;

int kn_default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n >= 1 ? (int)n : 1;
}

static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

static void init_record(kn_run_record *rec, const kn_task *t)
{
    memset(rec, 0, sizeof *rec);
    rec->run = t->id;
    rec->scenario = t->scenario_index;
    rec->replication = t->replication;
    rec->seed = t->scenario->run.seed;
    rec->result.replication = t->replication;
    for (int m = 0; m < KN_METRIC_COUNT; m++)
        rec->result.values[m] = NAN;
}

static void fail_record(kn_run_record *rec, kn_status code, const char *msg)
{
    rec->status = code;
    snprintf(rec->error, sizeof rec->error, "%s", msg);
    kn_rep_result_clear(&rec->result);
    rec->result.n_periods = 0;
    for (int m = 0; m < KN_METRIC_COUNT; m++)
        rec->result.values[m] = NAN;
}

static void run_child(int fd, const kn_task *t)
{
    /* Keep only stdin/out/err and our pipe: inherited descriptors (the journal and its
     * lock, siblings' pipes, MPI's sockets) belong to the parent. */
    if (fd > 3)
        close_range(3, (unsigned)fd - 1, 0);
    close_range((unsigned)fd + 1, ~0U, 0);
    /* Nothing of the child may reach the parent's stdout (it may be JSON). */
    int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0) {
        dup2(devnull, STDOUT_FILENO);
        close(devnull);
    }
    kn_run_record rec;
    init_record(&rec, t);
    kn_error err = {0};
    kn_status rc = kn_engine_run(t->scenario, t->scenario_stream, t->replication, &rec.result, &err);
    if (rc != KN_OK)
        fail_record(&rec, rc, err.msg);
    unsigned char *buf = NULL;
    size_t len = 0;
    if (kn_record_pack(&rec, &buf, &len, &err) != KN_OK) {
        fail_record(&rec, KN_ENOMEM, err.msg);
        if (kn_record_pack(&rec, &buf, &len, &err) != KN_OK)
            _exit(4);
    }
    _exit(write_all(fd, buf, len) == 0 ? 0 : 3);
}

static int start_child(slot *s)
{
    int p[2];
    if (pipe(p) != 0)
        return -1;
    fflush(NULL);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(p[0]);
        close(p[1]);
        errno = e;
        return -1;
    }
    if (pid == 0) {
        kn_stop_child(parent);
        close(p[0]);
        run_child(p[1], &s->task);
    }
    close(p[1]);
    s->pid = pid;
    s->fd = p[0];
    s->buf = NULL;
    s->need = KN_RECORD_HEADER;
    s->got = 0;
    return 0;
}

/* Read what is available; returns 1 when the record is complete or the pipe closed. */
static int read_some(slot *s)
{
    unsigned char *dst = s->buf ? s->buf : s->head;
    ssize_t r = read(s->fd, dst + s->got, s->need - s->got);
    if (r < 0)
        return errno == EINTR || errno == EAGAIN ? 0 : 1;
    if (r == 0)
        return 1;
    s->got += (size_t)r;
    if (s->got < s->need)
        return 0;
    if (!s->buf) { /* header complete: now the whole record */
        size_t total = kn_record_length(s->head);
        if (total == 0 || !(s->buf = malloc(total)))
            return 1;
        memcpy(s->buf, s->head, KN_RECORD_HEADER);
        s->need = total;
        return s->got >= s->need;
    }
    return 1;
}

/* Reap the child and turn its bytes (or its death) into a record. */
static void finish_child(slot *s, const kn_task *t, kn_run_record *rec)
{
    int wstatus = 0;
    while (waitpid(s->pid, &wstatus, 0) < 0 && errno == EINTR)
        ;
    close(s->fd);
    s->fd = -1;
    init_record(rec, t);
    kn_error err = {0};
    char msg[KN_ERROR_MSG_MAX];
    if (s->buf && s->got == s->need && kn_record_unpack(s->buf, s->got, rec, &err) == KN_OK) {
        rec->run = t->id; /* the child's copy of the task is the same; be explicit */
        rec->scenario = t->scenario_index;
    } else if (WIFSIGNALED(wstatus)) {
        snprintf(msg, sizeof msg, "simulation process killed by signal %d (%s)",
                 WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)));
        fail_record(rec, KN_ESIM, msg);
    } else {
        snprintf(msg, sizeof msg, "simulation process exited with status %d without a result%s%s",
                 WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1, err.msg[0] ? ": " : "", err.msg[0] ? "bad record" : "");
        fail_record(rec, KN_ESIM, msg);
    }
    free(s->buf);
    s->buf = NULL;
}

static kn_status deliver(kn_task_done_fn done, void *user, const kn_task *t, kn_run_record *rec,
                         kn_error *err)
{
    kn_status rc = done(user, t, rec, err);
    kn_rep_result_clear(&rec->result);
    return rc;
}

kn_status kn_run_pull(kn_task_next_fn next, void *next_user, int jobs, kn_task_done_fn done,
                      void *user, kn_error *err)
{
    if (jobs < 1)
        return kn_error_set(err, KN_EINVAL, "--jobs must be >= 1, got %d", jobs);
    slot *slots = calloc((size_t)jobs, sizeof *slots);
    struct pollfd *pfd = calloc((size_t)jobs, sizeof *pfd);
    if (!slots || !pfd) {
        free(slots);
        free(pfd);
        return kn_error_set(err, KN_ENOMEM, "out of memory");
    }
    for (int i = 0; i < jobs; i++)
        slots[i].fd = -1;

    kn_status stop = KN_OK;
    kn_error serr = {0};
    int more = 1, running = 0;
    kn_run_record rec;
    while ((more && stop == KN_OK) || running > 0) {
        if (kn_stop_requested()) { /* the children still running are killed below */
            if (stop == KN_OK)
                stop = kn_error_set(&serr, KN_ESIM, "interrupted by SIG%s",
                                    sigabbrev_np(kn_stop_requested()));
            break;
        }
        for (int i = 0; i < jobs && more && stop == KN_OK; i++) {
            slot *s = &slots[i];
            if (s->fd >= 0)
                continue;
            int got = next(next_user, &s->task, &s->sc, &serr);
            if (got <= 0) {
                more = 0;
                if (got < 0)
                    stop = serr.code ? serr.code : KN_EINVAL;
                break;
            }
            if (start_child(s) != 0) {
                char msg[KN_ERROR_MSG_MAX];
                snprintf(msg, sizeof msg, "cannot start a simulation process: %s", strerror(errno));
                init_record(&rec, &s->task);
                fail_record(&rec, KN_ESIM, msg);
                stop = deliver(done, user, &s->task, &rec, &serr);
                continue;
            }
            running++;
        }
        if (running == 0)
            continue;
        for (int i = 0; i < jobs; i++) {
            pfd[i].fd = slots[i].fd; /* poll ignores negative fds */
            pfd[i].events = POLLIN;
            pfd[i].revents = 0;
        }
        if (poll(pfd, (nfds_t)jobs, -1) < 0) {
            if (errno == EINTR)
                continue;
            if (stop == KN_OK)
                stop = kn_error_set(&serr, KN_ESIM, "poll: %s", strerror(errno));
            break;
        }
        for (int i = 0; i < jobs; i++) {
            slot *s = &slots[i];
            if (s->fd < 0 || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            if (!read_some(s))
                continue;
            finish_child(s, &s->task, &rec);
            running--;
            if (rec.status != KN_OK && kn_stop_requested()) { /* killed with us: not a result */
                kn_rep_result_clear(&rec.result);
                continue;
            }
            kn_status rc = deliver(done, user, &s->task, &rec, stop == KN_OK ? &serr : NULL);
            if (rc != KN_OK && stop == KN_OK)
                stop = rc;
        }
    }
    /* Children still running (poll failed, or a stop was asked for): leave no zombies. */
    for (int i = 0; i < jobs; i++) {
        if (slots[i].fd >= 0) {
            kill(slots[i].pid, SIGKILL);
            waitpid(slots[i].pid, NULL, 0);
            close(slots[i].fd);
            free(slots[i].buf);
        }
    }
    free(slots);
    free(pfd);
    if (stop != KN_OK && err)
        *err = serr;
    return stop;
}

typedef struct task_array {
    const kn_task *tasks;
    size_t n, next;
} task_array;

static int next_of_array(void *user, kn_task *t, kn_scenario *sc, kn_error *err)
{
    (void)sc;
    (void)err;
    task_array *a = user;
    if (a->next >= a->n)
        return 0;
    *t = a->tasks[a->next++];
    return 1;
}

kn_status kn_run_tasks(const kn_task *tasks, size_t n, int jobs, kn_task_done_fn done,
                       void *user, kn_error *err)
{
    if (jobs < 1)
        return kn_error_set(err, KN_EINVAL, "--jobs must be >= 1, got %d", jobs);
    task_array a = {tasks, n, 0};
    return kn_run_pull(next_of_array, &a, (size_t)jobs > n ? (n ? (int)n : 1) : jobs, done, user,
                       err);
}

/* ---- replications of one scenario ------------------------------------------------- */

typedef struct collect {
    kn_rep_result *results;
    uint64_t first;
    kn_status failure;
    uint64_t failed_rep; /* the lowest failed replication (valid once failure is set) */
    kn_error ferr;
} collect;

static kn_status collect_one(void *user, const kn_task *t, kn_run_record *rec, kn_error *err)
{
    (void)err;
    collect *c = user;
    if (rec->status != KN_OK) {
        /* report the lowest failed replication, whatever order the children end in */
        if (c->failure == KN_OK || t->replication < c->failed_rep) {
            c->failure = KN_ESIM;
            c->failed_rep = t->replication;
            kn_error_set(&c->ferr, KN_ESIM, "replication %llu: %s",
                         (unsigned long long)t->replication, rec->error);
        }
        return KN_OK; /* let the others finish */
    }
    c->results[t->replication - c->first] = rec->result;
    rec->result.series = NULL; /* ownership moves to results[] */
    return KN_OK;
}

kn_status kn_run_replications(const kn_scenario *sc, uint64_t scenario_stream, uint64_t first,
                              int count, int jobs, kn_rep_result *results, kn_error *err)
{
    if (count < 1)
        return kn_error_set(err, KN_EINVAL, "replications must be >= 1, got %d", count);
    if (jobs < 1)
        return kn_error_set(err, KN_EINVAL, "--jobs must be >= 1, got %d", jobs);
    kn_task *tasks = calloc((size_t)count, sizeof *tasks);
    if (!tasks)
        return kn_error_set(err, KN_ENOMEM, "out of memory");
    memset(results, 0, (size_t)count * sizeof *results);
    for (int i = 0; i < count; i++)
        tasks[i] = (kn_task){sc, 0, scenario_stream, first + (uint64_t)i, (uint64_t)i};
    collect c = {results, first, KN_OK, 0, {0}};
    kn_status rc = kn_run_tasks(tasks, (size_t)count, jobs, collect_one, &c, err);
    free(tasks);
    if (rc == KN_OK && c.failure != KN_OK) {
        for (int i = 0; i < count; i++)
            kn_rep_result_clear(&results[i]);
        if (err)
            *err = c.ferr;
        rc = c.failure;
    }
    return rc;
}
