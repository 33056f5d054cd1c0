/* journal.h - the append-only journal of a study's finished runs (OUT.h5.journal).
 *
 * It is the source of truth while a study runs: each finished run is appended as one
 * packed record (record.h) with write() before the run counts as done, so a killed
 * process loses nothing (the kernel keeps what was written); fdatasync, which guards
 * against the machine itself going down, runs at most once a second and at the end. A header names the study (a fingerprint of every scenario, the replications
 * and the seed) so `--resume` refuses a journal of another study. A record torn by a
 * kill fails its length/CRC check; opening for resume drops it (truncates).
 */
#ifndef KONING_JOURNAL_H
#define KONING_JOURNAL_H

#include <stdint.h>
#include <stdio.h>
#include "koning/error.h"
#include "koning/results.h"

typedef struct kn_journal {
    char path[4096 + 16];
    int fd;              /* valid when opened */
    int opened;
    uint64_t fingerprint;
    uint64_t n_runs;     /* runs in the study */
    uint64_t n_done;     /* distinct runs recorded */
    unsigned char *done; /* bitmap: run i recorded */
    double last_sync;    /* monotonic seconds of the last fdatasync */
    int dirty;           /* written since the last fdatasync */
} kn_journal;

/* Create a new journal (fails with KN_EIO if one exists: a study was interrupted). */
kn_status kn_journal_create(kn_journal *j, const char *path, uint64_t fingerprint,
                            uint64_t n_runs, kn_error *err);

/* Open an existing journal to resume: checks the fingerprint and size, reads which runs
 * are done, drops a torn last record. */
kn_status kn_journal_resume(kn_journal *j, const char *path, uint64_t fingerprint,
                            uint64_t n_runs, kn_error *err);

/* Append a finished run and flush it to disk. A run already recorded is ignored. */
kn_status kn_journal_append(kn_journal *j, const kn_run_record *rec, kn_error *err);

/* fdatasync what was appended (kn_journal_append does it at most once a second). */
kn_status kn_journal_sync(kn_journal *j, kn_error *err);

/* 1 if run i is recorded. */
int kn_journal_has(const kn_journal *j, uint64_t run);

/* Visit every recorded run in increasing run order (the canonical order), one record
 * at a time (memory: one record plus 16 bytes per run). */
typedef kn_status (*kn_journal_visit_fn)(void *user, const kn_run_record *rec, kn_error *err);
kn_status kn_journal_replay(const kn_journal *j, kn_journal_visit_fn visit, void *user,
                            kn_error *err);

/* Close; with remove != 0 also delete the file. j may be zero-initialised. */
void kn_journal_close(kn_journal *j, int remove);

#endif
