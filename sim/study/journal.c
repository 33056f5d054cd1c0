/* journal.c - append-only journal of finished runs; see journal.h. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "journal.h"
#include "record.h"

#define JOURNAL_MAGIC 0x314a4e4bu /* "KNJ1" */
#define JOURNAL_HEADER 24         /* magic u32, pad u32, fingerprint u64, n_runs u64 */

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static kn_status io_error(kn_error *err, const char *path, const char *what)
{
    return kn_error_set(err, KN_EIO, "%s: %s: %s", path, what, strerror(errno));
}

static int write_all(int fd, const void *buf, size_t len)
{
    const unsigned char *p = buf;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = ENOSPC;
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

static int read_full(int fd, void *buf, size_t len)
{
    unsigned char *p = buf;
    size_t got = 0;
    while (got < len) {
        ssize_t r = read(fd, p + got, len - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        got += (size_t)r;
    }
    return 0;
}

static kn_status alloc_bitmap(kn_journal *j, uint64_t n_runs, kn_error *err)
{
    j->n_runs = n_runs;
    j->done = calloc((size_t)(n_runs / 8 + 1), 1);
    if (!j->done)
        return kn_error_set(err, KN_ENOMEM, "out of memory for the journal index");
    return KN_OK;
}

static void mark(kn_journal *j, uint64_t run)
{
    if (!kn_journal_has(j, run)) {
        j->done[run / 8] |= (unsigned char)(1u << (run % 8));
        j->n_done++;
    }
}

int kn_journal_has(const kn_journal *j, uint64_t run)
{
    return run < j->n_runs && (j->done[run / 8] >> (run % 8)) & 1u;
}

kn_status kn_journal_create(kn_journal *j, const char *path, uint64_t fingerprint,
                            uint64_t n_runs, kn_error *err)
{
    memset(j, 0, sizeof *j);
    j->fd = -1;
    snprintf(j->path, sizeof j->path, "%s", path);
    j->fingerprint = fingerprint;
    j->fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    j->opened = j->fd >= 0;
    if (j->fd < 0) {
        if (errno == EEXIST) {
            int busy = 0, fd = open(path, O_RDONLY | O_CLOEXEC);
            if (fd >= 0) {
                busy = flock(fd, LOCK_EX | LOCK_NB) != 0;
                close(fd);
            }
            if (busy)
                return kn_error_set(err, KN_EIO, "%s: another koning process is writing this "
                                    "results file right now", path);
            return kn_error_set(err, KN_EIO, "%s exists: an earlier study writing this results file "
                                "was interrupted; finish it with --resume, or delete the journal to "
                                "start again", path);
        }
        return io_error(err, path, "cannot create the journal");
    }
    if (flock(j->fd, LOCK_EX | LOCK_NB) != 0)
        return kn_error_set(err, KN_EIO, "%s: another koning process is writing this results file", path);
    KN_CHECK(alloc_bitmap(j, n_runs, err));
    unsigned char h[JOURNAL_HEADER] = {0};
    uint32_t magic = JOURNAL_MAGIC;
    memcpy(h, &magic, 4);
    memcpy(h + 8, &fingerprint, 8);
    memcpy(h + 16, &n_runs, 8);
    if (write_all(j->fd, h, sizeof h) != 0 || fdatasync(j->fd) != 0)
        return io_error(err, path, "cannot write the journal");
    return KN_OK;
}

kn_status kn_journal_resume(kn_journal *j, const char *path, uint64_t fingerprint,
                            uint64_t n_runs, kn_error *err)
{
    memset(j, 0, sizeof *j);
    snprintf(j->path, sizeof j->path, "%s", path);
    j->fingerprint = fingerprint;
    j->fd = open(path, O_RDWR | O_CLOEXEC);
    j->opened = j->fd >= 0;
    if (j->fd < 0) {
        if (errno == ENOENT)
            return kn_error_set(err, KN_EIO, "%s: nothing to resume (no journal: the study "
                                "finished, or never started)", path);
        return io_error(err, path, "cannot open the journal");
    }
    if (flock(j->fd, LOCK_EX | LOCK_NB) != 0)
        return kn_error_set(err, KN_EIO, "%s: another koning process is writing this results "
                            "file right now", path);
    unsigned char h[JOURNAL_HEADER];
    uint32_t magic;
    uint64_t fp, n;
    if (read_full(j->fd, h, sizeof h) != 0)
        return kn_error_set(err, KN_EIO, "%s: not a koning journal (too short)", path);
    memcpy(&magic, h, 4);
    memcpy(&fp, h + 8, 8);
    memcpy(&n, h + 16, 8);
    if (magic != JOURNAL_MAGIC)
        return kn_error_set(err, KN_EIO, "%s: not a koning journal", path);
    if (fp != fingerprint || n != n_runs)
        return kn_error_set(err, KN_EIO, "%s: the journal belongs to a different study (other "
                            "scenarios, replications or seed); refusing to resume", path);
    KN_CHECK(alloc_bitmap(j, n_runs, err));
    off_t good = JOURNAL_HEADER;
    unsigned char head[KN_RECORD_HEADER];
    for (;;) {
        if (read_full(j->fd, head, sizeof head) != 0)
            break;
        size_t len = kn_record_length(head);
        unsigned char *buf = len ? malloc(len) : NULL;
        if (!buf)
            break;
        memcpy(buf, head, sizeof head);
        kn_run_record rec;
        int ok = read_full(j->fd, buf + sizeof head, len - sizeof head) == 0 &&
                 kn_record_unpack(buf, len, &rec, NULL) == KN_OK;
        free(buf);
        if (!ok)
            break;
        kn_rep_result_clear(&rec.result);
        if (rec.run >= n_runs)
            break;
        mark(j, rec.run);
        good += (off_t)len;
    }
    /* drop a record torn by a kill, so appends continue from a clean end */
    if (ftruncate(j->fd, good) != 0 || lseek(j->fd, good, SEEK_SET) != good)
        return io_error(err, path, "cannot repair the journal");
    return KN_OK;
}

kn_status kn_journal_append(kn_journal *j, const kn_run_record *rec, kn_error *err)
{
    if (rec->run >= j->n_runs)
        return kn_error_set(err, KN_EINVAL, "%s: run %llu is outside the study", j->path,
                            (unsigned long long)rec->run);
    if (kn_journal_has(j, rec->run))
        return KN_OK;
    unsigned char *buf;
    size_t len;
    KN_CHECK(kn_record_pack(rec, &buf, &len, err));
    int bad = write_all(j->fd, buf, len) != 0;
    free(buf);
    if (bad)
        return io_error(err, j->path, "cannot append to the journal");
    mark(j, rec->run);
    j->dirty = 1;
    if (mono() - j->last_sync >= 1.0)
        return kn_journal_sync(j, err);
    return KN_OK;
}

kn_status kn_journal_sync(kn_journal *j, kn_error *err)
{
    if (!j->dirty)
        return KN_OK;
    if (fdatasync(j->fd) != 0)
        return io_error(err, j->path, "cannot flush the journal to disk");
    j->dirty = 0;
    j->last_sync = mono();
    return KN_OK;
}

typedef struct entry {
    uint64_t run;
    off_t offset;
} entry;

static int by_run(const void *a, const void *b)
{
    uint64_t x = ((const entry *)a)->run, y = ((const entry *)b)->run;
    return (x > y) - (x < y);
}

kn_status kn_journal_replay(const kn_journal *j, kn_journal_visit_fn visit, void *user,
                            kn_error *err)
{
    int fd = open(j->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return io_error(err, j->path, "cannot read the journal");
    entry *idx = malloc((size_t)(j->n_done + 1) * sizeof *idx);
    unsigned char *buf = NULL;
    size_t cap = 0, n = 0;
    kn_status rc = KN_OK;
    if (!idx) {
        close(fd);
        return kn_error_set(err, KN_ENOMEM, "out of memory for the journal index");
    }
    /* pass 1: where each record is */
    off_t pos = JOURNAL_HEADER;
    unsigned char head[KN_RECORD_HEADER];
    while (n < j->n_done && pread(fd, head, sizeof head, pos) == (ssize_t)sizeof head) {
        size_t len = kn_record_length(head);
        uint64_t run;
        if (!len || pread(fd, &run, 8, pos + 8) != 8)
            break;
        idx[n++] = (entry){run, pos};
        pos += (off_t)len;
    }
    qsort(idx, n, sizeof *idx, by_run);
    /* pass 2: in run order */
    for (size_t i = 0; i < n && rc == KN_OK; i++) {
        if (i > 0 && idx[i].run == idx[i - 1].run)
            continue;
        if (pread(fd, head, sizeof head, idx[i].offset) != (ssize_t)sizeof head) {
            rc = io_error(err, j->path, "cannot read the journal");
            break;
        }
        size_t len = kn_record_length(head);
        if (len > cap) {
            unsigned char *nb = realloc(buf, len);
            if (!nb) {
                rc = kn_error_set(err, KN_ENOMEM, "out of memory");
                break;
            }
            buf = nb;
            cap = len;
        }
        kn_run_record rec;
        if (pread(fd, buf, len, idx[i].offset) != (ssize_t)len ||
            kn_record_unpack(buf, len, &rec, err) != KN_OK) {
            rc = kn_error_set(err, KN_EIO, "%s: a record became unreadable", j->path);
            break;
        }
        rc = visit(user, &rec, err);
        kn_rep_result_clear(&rec.result);
    }
    free(buf);
    free(idx);
    close(fd);
    return rc;
}

void kn_journal_close(kn_journal *j, int remove)
{
    if (!j)
        return;
    if (j->opened)
        close(j->fd);
    j->opened = 0;
    j->fd = -1;
    if (remove && j->path[0])
        unlink(j->path);
    free(j->done);
    j->done = NULL;
}
