/* study.c - plan, execute (local processes or MPI ranks), journal and write a study.
 * See study.h. The results file is a view of the journal, rebuilt into a temporary
 * file and renamed over the old one: at a kill, the file on disk is the last complete
 * version, and every finished run is in the journal for --resume.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "engine.h"
#include "h5out.h"
#include "scenario_yaml.h"
#include "journal.h"
#include "cluster.h"
#include "study.h"

typedef struct study {
    const kn_scenario *sc;
    size_t n_sc;
    const kn_study_opts *o;
    kn_study_out *out;
    kn_journal journal;
    int journaling;
    char tmp_path[KN_PATH_MAX + 32];
    uint32_t n_periods;
    /* commit pacing */
    double last_commit_end, last_commit_cost;
    /* progress */
    double t_start;
    uint64_t done_now, todo_now;
    int tty;
} study;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int kn_study_is_worker(void)
{
    return kn_mpi_size() > 1 && kn_mpi_rank() != 0;
}

/* FNV-1a over the resolved YAML of every scenario and the kind: what makes the study. */
static kn_status fingerprint(const kn_scenario *sc, size_t n, const char *kind, uint64_t *fp,
                             kn_error *err)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        if (!f)
            return kn_error_set(err, KN_ENOMEM, "out of memory");
        kn_scenario copy = sc[i];
        copy.file[0] = '\0'; /* where a scenario was read from does not change it */
        kn_status rc = kn_scenario_write_yaml(&copy, f, err);
        fclose(f);
        if (rc != KN_OK) {
            free(text);
            return rc;
        }
        for (size_t k = 0; k < len; k++)
            h = (h ^ (unsigned char)text[k]) * 1099511628211ULL;
        h = (h ^ 0xff) * 1099511628211ULL;
        free(text);
    }
    for (const char *p = kind; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    *fp = h;
    return KN_OK;
}

static void record_values(study *st, const kn_run_record *rec)
{
    kn_study_out *out = st->out;
    size_t cell = rec->scenario * (size_t)out->max_reps + (size_t)rec->replication;
    out->status[cell] = rec->status;
    for (int m = 0; m < KN_METRIC_COUNT; m++)
        out->values[cell * KN_METRIC_COUNT + m] = rec->status == KN_OK ? rec->result.values[m] : NAN;
    if (rec->status != KN_OK) {
        out->n_failed++;
        if (!out->first_error[0])
            snprintf(out->first_error, sizeof out->first_error, "%.200s replication %llu: %.700s",
                     st->sc[rec->scenario].name, (unsigned long long)rec->replication, rec->error);
    }
}

static kn_status append_to_file(void *user, const kn_run_record *rec, kn_error *err)
{
    return kn_h5_append(user, rec, err);
}

static kn_status fsync_path(const char *path, int dir, kn_error *err)
{
    int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
    if (fd < 0 || (fsync(fd) != 0 && !dir)) {
        kn_status rc = kn_error_set(err, KN_EIO, "%s: cannot flush to disk: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return rc;
    }
    close(fd);
    return KN_OK;
}

/* Rebuild the results file from the journal and put it in place atomically. */
static kn_status commit(study *st, kn_error *err)
{
    double t0 = now_s();
    kn_h5_meta meta = {st->o->kind, st->o->command_line, st->o->study_text, st->o->level,
                       kn_engine_version()};
    kn_h5 *h = NULL;
    kn_status rc = kn_h5_create(&h, st->tmp_path, st->sc, st->n_sc, st->n_periods, &meta, err);
    if (rc == KN_OK)
        rc = kn_journal_replay(&st->journal, append_to_file, h, err);
    if (rc == KN_OK && st->o->extend)
        rc = st->o->extend(st->o->extend_user, h, st->out, err);
    kn_error cerr = {0};
    kn_status crc = kn_h5_close(h, &cerr);
    if (rc == KN_OK && crc != KN_OK) {
        rc = crc;
        if (err)
            *err = cerr;
    }
    if (rc == KN_OK)
        rc = fsync_path(st->tmp_path, 0, err);
    if (rc == KN_OK && rename(st->tmp_path, st->o->out_path) != 0)
        rc = kn_error_set(err, KN_EIO, "%s: cannot replace the results file: %s", st->o->out_path,
                          strerror(errno));
    if (rc != KN_OK) {
        unlink(st->tmp_path);
        return rc;
    }
    char dir[KN_PATH_MAX];
    snprintf(dir, sizeof dir, "%s", st->o->out_path);
    fsync_path(dirname(dir), 1, NULL); /* best effort: the rename itself is atomic */
    st->last_commit_end = now_s();
    st->last_commit_cost = st->last_commit_end - t0;
    return KN_OK;
}

static void show_progress(study *st, int final)
{
    if (!st->tty)
        return;
    double el = now_s() - st->t_start;
    double rate = el > 0 ? (double)st->done_now / el : 0;
    uint64_t total = st->todo_now, done = st->done_now;
    int width = 30, fill = total ? (int)((double)width * (double)done / (double)total) : width;
    char bar[64];
    for (int i = 0; i < width; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[width] = '\0';
    double eta = rate > 0 ? (double)(total - done) / rate : 0;
    fprintf(stderr, "\r[%s] %llu/%llu runs  %.2f runs/s  ETA %dm%02ds  %llu failed ", bar,
            (unsigned long long)done, (unsigned long long)total, rate, (int)(eta / 60),
            (int)fmod(eta, 60), (unsigned long long)st->out->n_failed);
    if (final)
        fputc('\n', stderr);
    fflush(stderr);
}

static kn_status on_done(void *user, const kn_task *t, kn_run_record *rec, kn_error *err)
{
    (void)t;
    study *st = user;
    if (st->journaling)
        KN_CHECK(kn_journal_append(&st->journal, rec, err));
    record_values(st, rec);
    st->done_now++;
    show_progress(st, 0);
    /* Rebuild the file when the last rebuild is old enough that its cost stays a
     * small share of the time (at most ~25 %, and not more than once a second). */
    if (st->journaling) {
        double since = now_s() - st->last_commit_end;
        if (since >= 1.0 && since >= 3.0 * st->last_commit_cost)
            KN_CHECK(commit(st, err));
    }
    return KN_OK;
}

static kn_status fill_from_journal(void *user, const kn_run_record *rec, kn_error *err)
{
    (void)err;
    study *st = user;
    if (rec->scenario < st->n_sc && rec->replication < (uint64_t)st->out->max_reps)
        record_values(st, rec);
    return KN_OK;
}

void kn_study_out_free(kn_study_out *out)
{
    if (!out)
        return;
    free(out->values);
    free(out->status);
    memset(out, 0, sizeof *out);
}

kn_status kn_study_run(const kn_scenario *sc, size_t n_sc, const kn_study_opts *o,
                       kn_study_out *out, kn_error *err)
{
    memset(out, 0, sizeof *out);
    if (n_sc == 0)
        return kn_error_set(err, KN_EINVAL, "a study needs at least one scenario");
    study st = {0};
    st.sc = sc;
    st.n_sc = n_sc;
    st.o = o;
    st.out = out;
    st.journal.fd = -1;
    st.t_start = now_s();
    st.tty = o->progress && isatty(STDERR_FILENO);

    /* plan: replication-major */
    int max_reps = 0;
    for (size_t s = 0; s < n_sc; s++) {
        if (sc[s].run.replications > max_reps)
            max_reps = sc[s].run.replications;
        uint32_t np = kn_period_count(sc[s].run.days, sc[s].run.period_days);
        if (np > st.n_periods)
            st.n_periods = np;
        if (sc[s].run.period_days != sc[0].run.period_days)
            return kn_error_set(err, KN_EUSAGE, "key 'run.period_days': must be the same for all "
                                "scenarios of one results file (%g in '%s', %g in '%s')",
                                sc[0].run.period_days, sc[0].name, sc[s].run.period_days, sc[s].name);
    }
    size_t cells = n_sc * (size_t)max_reps;
    out->n_scenarios = n_sc;
    out->max_reps = max_reps;
    out->values = malloc(cells * KN_METRIC_COUNT * sizeof *out->values);
    out->status = malloc(cells * sizeof *out->status);
    kn_task *plan = calloc(cells, sizeof *plan);
    size_t *order = calloc(cells, sizeof *order);
    if (!out->values || !out->status || !plan || !order) {
        free(plan);
        free(order);
        kn_study_out_free(out);
        return kn_error_set(err, KN_ENOMEM, "out of memory for %zu runs", cells);
    }
    size_t n_plan = 0;
    for (int r = 0; r < max_reps; r++)
        for (size_t s = 0; s < n_sc; s++) {
            out->status[s * (size_t)max_reps + (size_t)r] = -1;
            for (int m = 0; m < KN_METRIC_COUNT; m++)
                out->values[(s * (size_t)max_reps + (size_t)r) * KN_METRIC_COUNT + m] = NAN;
            if (r < sc[s].run.replications) {
                plan[n_plan] = (kn_task){&sc[s], (uint32_t)s, 0, (uint64_t)r, n_plan};
                n_plan++;
            }
        }
    out->n_runs = n_plan;

    kn_status rc = KN_OK;
    if (kn_study_is_worker()) { /* MPI worker: serve rank 0 and go */
        rc = kn_mpi_serve(plan, n_plan, err);
        free(plan);
        free(order);
        return rc;
    }

    if (o->out_path) {
        uint64_t fp = 0;
        char jpath[KN_PATH_MAX + 16];
        snprintf(jpath, sizeof jpath, "%s.journal", o->out_path);
        snprintf(st.tmp_path, sizeof st.tmp_path, "%s.tmp", o->out_path);
        rc = kn_h5_check_writable(o->out_path, err);
        if (rc == KN_OK)
            rc = fingerprint(sc, n_sc, o->kind, &fp, err);
        if (rc == KN_OK)
            rc = o->resume ? kn_journal_resume(&st.journal, jpath, fp, n_plan, err)
                           : kn_journal_create(&st.journal, jpath, fp, n_plan, err);
        if (rc == KN_OK) {
            st.journaling = 1;
            rc = kn_journal_replay(&st.journal, fill_from_journal, &st, err);
        }
        if (rc == KN_OK)
            rc = commit(&st, err); /* the file exists, complete, from the start */
        if (rc != KN_OK) { /* nothing ran: the output path or journal is the problem */
            rc = KN_EUSAGE;
            if (err)
                err->code = KN_EUSAGE;
        }
    }
    size_t n_todo = 0;
    for (size_t i = 0; i < n_plan && rc == KN_OK; i++)
        if (!st.journaling || !kn_journal_has(&st.journal, plan[i].id))
            order[n_todo++] = i;
    st.todo_now = n_todo;

    if (rc == KN_OK && n_todo > 0) {
        if (kn_mpi_size() > 1) {
            rc = kn_mpi_coordinate(plan, order, n_todo, on_done, &st, err);
        } else {
            kn_task *todo = malloc(n_todo * sizeof *todo);
            if (!todo)
                rc = kn_error_set(err, KN_ENOMEM, "out of memory");
            for (size_t i = 0; todo && i < n_todo; i++)
                todo[i] = plan[order[i]];
            if (todo)
                rc = kn_run_tasks(todo, n_todo, o->jobs, on_done, &st, err);
            free(todo);
        }
        show_progress(&st, 1);
    }
    if (rc == KN_OK && st.journaling) {
        rc = kn_journal_sync(&st.journal, err);
        if (rc == KN_OK)
            rc = commit(&st, err);
        kn_journal_close(&st.journal, rc == KN_OK); /* complete: the journal is no longer needed */
    } else {
        kn_journal_close(&st.journal, 0);
    }
    free(plan);
    free(order);
    if (rc != KN_OK)
        kn_study_out_free(out); /* on failure the caller gets nothing to free */
    return rc;
}
