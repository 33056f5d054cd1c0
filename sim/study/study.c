/* study.c - plan, execute (local processes or MPI ranks), journal and write a study.
 * See study.h. The results file is a view of the journal, rebuilt into a temporary
 * file and renamed over the old one: at a kill, the file on disk is the last complete
 * version, and every finished run is in the journal for --resume.
 *
 * The plan is never stored: runs are made one at a time, in the canonical order
 * (replication-major), skipping those the journal holds, and each run reads its
 * scenario when it starts (kn_study_source). A study of a million scenarios holds
 * the runs in flight, a bit per run (the journal's index) and what its summaries need.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <math.h>
#include <signal.h>
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
#include "stop.h"
#include "study.h"

typedef struct study {
    kn_h5_scenarios src;          /* the scenarios */
    const kn_scenario *array;     /* they are an array (kn_study_run), or NULL */
    int replications;             /* of every scenario, when array is NULL */
    const kn_study_opts *o;
    kn_study_out *out;
    kn_journal journal;
    int journaling;
    char tmp_path[KN_PATH_MAX + 32];
    uint32_t n_periods;
    double last_day; /* run.days of the longest run */
    /* the plan, walked: the next run is (replication r, scenario s), run number id */
    uint64_t next_r, next_s, next_id;
    int max_reps;
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
    if (out->values) {
        out->status[cell] = rec->status;
        for (int m = 0; m < KN_METRIC_COUNT; m++)
            out->values[cell * KN_METRIC_COUNT + m] = rec->status == KN_OK ? rec->result.values[m] : NAN;
    }
    if (rec->status != KN_OK) {
        out->n_failed++;
        kn_scenario sc;
        if (!out->first_error[0] && st->src.get(st->src.user, rec->scenario, &sc, NULL) == KN_OK)
            snprintf(out->first_error, sizeof out->first_error, "%.200s replication %llu: %.700s",
                     sc.name, (unsigned long long)rec->replication, rec->error);
    }
}

/* Replications of scenario s. */
static int reps_of(const study *st, size_t s)
{
    return st->array ? st->array[s].run.replications : st->replications;
}

/* The next run of the plan that the journal does not hold: 1 with its task (the
 * scenario read into *sc), 0 when none is left, -1 on an error. */
static int next_task(void *user, kn_task *t, kn_scenario *sc, kn_error *err)
{
    study *st = user;
    size_t n = st->src.n;
    for (; st->next_r < (uint64_t)st->max_reps; st->next_r++, st->next_s = 0) {
        for (; st->next_s < n; st->next_s++) {
            size_t s = (size_t)st->next_s;
            if (st->next_r >= (uint64_t)reps_of(st, s))
                continue;
            uint64_t id = st->next_id++;
            if (st->journaling && kn_journal_has(&st->journal, id))
                continue;
            if (st->src.get(st->src.user, s, sc, err) != KN_OK)
                return -1;
            *t = (kn_task){sc, (uint32_t)s, 0, st->next_r, id};
            st->next_s++;
            return 1;
        }
    }
    return 0;
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

/* The scenarios the results file lists: all of a study held in memory; of a source,
 * those up to the last that has a run in the journal, and at least the first
 * KN_STUDY_LISTED, so that the file grows with what has run (a sweep of 100,000 points
 * does not write 100,000 resolved scenarios before its first run). */
#define KN_STUDY_LISTED 256
static size_t listed(const study *st)
{
    size_t n = st->src.n, seen = 0;
    if (st->array || n <= KN_STUDY_LISTED)
        return n;
    for (uint64_t id = 0; id < st->journal.n_runs && seen < n; id++)
        if (kn_journal_has(&st->journal, id) && (size_t)(id % n) + 1 > seen)
            seen = (size_t)(id % n) + 1; /* uniform replications: run id is r * n + s */
    return seen > KN_STUDY_LISTED ? seen : KN_STUDY_LISTED;
}

/* Rebuild the results file from the journal and put it in place atomically. */
static kn_status commit(study *st, kn_error *err)
{
    double t0 = now_s();
    kn_h5_meta meta = {st->o->kind, st->o->command_line, st->o->study_text, st->o->level,
                       kn_engine_version(), st->last_day};
    kn_h5 *h = NULL;
    kn_h5_scenarios file = st->src;
    file.n = listed(st);
    kn_status rc = kn_h5_create_from(&h, st->tmp_path, &file, st->n_periods, &meta, err);
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
     * small share of the time (at most ~10 %, and not more than once a second); not
     * after the last run, which the final rebuild follows at once. */
    if (st->journaling && st->done_now < st->todo_now) {
        double since = now_s() - st->last_commit_end;
        if (since >= 1.0 && since >= 9.0 * st->last_commit_cost)
            KN_CHECK(commit(st, err));
    }
    return KN_OK;
}

static kn_status fill_from_journal(void *user, const kn_run_record *rec, kn_error *err)
{
    (void)err;
    study *st = user;
    if (rec->scenario < st->src.n && rec->replication < (uint64_t)st->out->max_reps)
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

/* FNV-1a of a source's fingerprint and the kind. */
static uint64_t fingerprint_kind(uint64_t fp, const char *kind)
{
    uint64_t h = 1469598103934665603ULL;
    for (int i = 0; i < 8; i++)
        h = (h ^ ((fp >> (8 * i)) & 0xff)) * 1099511628211ULL;
    for (const char *p = kind; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    return h;
}

static kn_status scenario_from_source(void *user, size_t i, kn_scenario *out, kn_error *err)
{
    const kn_h5_scenarios *src = user;
    return src->get(src->user, i, out, err);
}

/* Add to a study's error what is kept and how to go on. */
static void say_kept(study *st, kn_error *err)
{
    if (!err)
        return;
    size_t len = strlen(err->msg);
    if (kn_stop_requested() && strncmp(err->msg, "interrupted", 11) != 0)
        len += (size_t)snprintf(err->msg + len, sizeof err->msg - len, " (interrupted by SIG%s)",
                                sigabbrev_np(kn_stop_requested()));
    if (len < sizeof err->msg && st->journal.n_done > 0)
        snprintf(err->msg + len, sizeof err->msg - len,
                 "; the %llu finished runs are kept in %s: the same command with --resume "
                 "finishes the study", (unsigned long long)st->journal.n_done, st->journal.path);
}

/* The study, once its scenarios and plan are known. */
static kn_status run(study *st, uint64_t fp, kn_error *err)
{
    const kn_study_opts *o = st->o;
    kn_study_out *out = st->out;
    uint64_t n_plan = 0;
    for (size_t s = 0; s < st->src.n; s++)
        n_plan += (uint64_t)reps_of(st, s);
    out->n_runs = n_plan;

    kn_status rc = KN_OK;
    if (kn_study_is_worker()) /* MPI worker: serve rank 0 and go */
        return kn_mpi_serve(scenario_from_source, &st->src, err);

    if (o->out_path) {
        char jpath[KN_PATH_MAX + 16];
        snprintf(jpath, sizeof jpath, "%s.journal", o->out_path);
        snprintf(st->tmp_path, sizeof st->tmp_path, "%s.tmp", o->out_path);
        rc = kn_h5_check_writable(o->out_path, err);
        if (rc == KN_OK)
            rc = o->resume ? kn_journal_resume(&st->journal, jpath, fp, n_plan, err)
                           : kn_journal_create(&st->journal, jpath, fp, n_plan, err);
        if (rc == KN_OK) {
            st->journaling = 1;
            rc = kn_journal_replay(&st->journal, fill_from_journal, st, err);
        }
        if (rc == KN_OK)
            rc = commit(st, err); /* the file exists, complete, from the start */
        if (rc != KN_OK) { /* nothing ran: the output path or journal is the problem */
            if (err)
                err->code = KN_EUSAGE;
            /* a journal this start created holds nothing: it must not ask for --resume */
            if (!o->resume)
                kn_journal_close(&st->journal, st->journal.opened);
            else
                kn_journal_close(&st->journal, 0);
            return KN_EUSAGE;
        }
    }
    st->todo_now = n_plan - (st->journaling ? st->journal.n_done : 0);
    if (st->todo_now > 0) {
        if (kn_mpi_size() > 1)
            rc = kn_mpi_coordinate(next_task, st, on_done, st, err);
        else
            rc = kn_run_pull(next_task, st, o->jobs, on_done, st, err);
        show_progress(st, 1);
    }
    if (rc == KN_OK && st->journaling) {
        rc = kn_journal_sync(&st->journal, err);
        if (rc == KN_OK)
            rc = commit(st, err);
    }
    if (rc != KN_OK && st->journaling)
        say_kept(st, err);
    /* complete: the journal is no longer needed; stopped before any run: nothing to resume */
    kn_journal_close(&st->journal, rc == KN_OK || (!o->resume && st->journal.n_done == 0));
    return rc;
}

static kn_status from_array(void *user, size_t i, kn_scenario *out, kn_error *err)
{
    (void)err;
    *out = ((const kn_scenario *)user)[i];
    return KN_OK;
}

static void study_init(study *st, const kn_study_opts *o, kn_study_out *out)
{
    memset(out, 0, sizeof *out);
    memset(st, 0, sizeof *st);
    st->o = o;
    st->out = out;
    st->journal.fd = -1;
    st->t_start = now_s();
    st->tty = o->progress && isatty(STDERR_FILENO);
}

kn_status kn_study_run(const kn_scenario *sc, size_t n_sc, const kn_study_opts *o,
                       kn_study_out *out, kn_error *err)
{
    study st;
    study_init(&st, o, out);
    if (n_sc == 0)
        return kn_error_set(err, KN_EINVAL, "a study needs at least one scenario");
    st.array = sc;
    st.src = (kn_h5_scenarios){n_sc, from_array, (void *)sc};
    int max_reps = 0;
    for (size_t s = 0; s < n_sc; s++) {
        if (sc[s].run.replications > max_reps)
            max_reps = sc[s].run.replications;
        uint32_t np = kn_period_count(sc[s].run.days, sc[s].run.period_days);
        if (np > st.n_periods)
            st.n_periods = np;
        if (sc[s].run.days > st.last_day)
            st.last_day = sc[s].run.days;
        if (sc[s].run.period_days != sc[0].run.period_days)
            return kn_error_set(err, KN_EUSAGE, "key 'run.period_days': must be the same for all "
                                "scenarios of one results file (%g in '%s', %g in '%s')",
                                sc[0].run.period_days, sc[0].name, sc[s].run.period_days, sc[s].name);
    }
    size_t cells = n_sc * (size_t)max_reps;
    st.max_reps = out->max_reps = max_reps;
    out->n_scenarios = n_sc;
    out->values = malloc(cells * KN_METRIC_COUNT * sizeof *out->values);
    out->status = malloc(cells * sizeof *out->status);
    if (!out->values || !out->status) {
        kn_study_out_free(out);
        return kn_error_set(err, KN_ENOMEM, "out of memory for %zu runs", cells);
    }
    for (size_t c = 0; c < cells; c++) {
        out->status[c] = -1;
        for (int m = 0; m < KN_METRIC_COUNT; m++)
            out->values[c * KN_METRIC_COUNT + m] = NAN;
    }
    uint64_t fp = 0;
    kn_status rc = fingerprint(sc, n_sc, o->kind, &fp, err);
    if (rc == KN_OK)
        rc = run(&st, fp, err);
    if (rc != KN_OK)
        kn_study_out_free(out); /* on failure the caller gets nothing to free */
    return rc;
}

kn_status kn_study_run_source(const kn_study_source *src, const kn_study_opts *o,
                              kn_study_out *out, kn_error *err)
{
    study st;
    study_init(&st, o, out);
    if (src->scenarios.n == 0)
        return kn_error_set(err, KN_EINVAL, "a study needs at least one scenario");
    st.src = src->scenarios;
    st.replications = st.max_reps = out->max_reps = src->replications;
    st.n_periods = src->n_periods;
    st.last_day = src->last_day;
    out->n_scenarios = src->scenarios.n;
    kn_status rc = run(&st, fingerprint_kind(src->fingerprint, o->kind), err);
    if (rc != KN_OK)
        kn_study_out_free(out);
    return rc;
}
