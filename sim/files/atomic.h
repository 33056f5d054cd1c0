/* atomic.h - writing a file that appears whole or not at all, and that leaves nothing
 * behind when the writer is killed.
 *
 * The text goes to an unnamed file (O_TMPFILE) in the destination's directory, so a
 * kill while writing leaves no trace, and a failure (a full disk) leaves the
 * destination as it was. kn_afile_commit flushes it to disk, names it DEST.tmp-PID and
 * renames that over DEST: the only moment a kill can leave a file behind is between
 * those two calls. Where the file system has no O_TMPFILE, the file is named
 * DEST.tmp-XXXXXX from the start (removed on every failure koning sees).
 *
 * Used by the CSV export and the HTML report. Ownership: the kn_afile owns its FILE and
 * names until kn_afile_commit or kn_afile_discard, each of which releases everything.
 */
#ifndef KONING_ATOMIC_H
#define KONING_ATOMIC_H

#include <stdio.h>
#include "koning/error.h"

typedef struct kn_afile {
    FILE *f;      /* write the content here */
    char *dest;   /* the final name */
    char *tmp;    /* the temporary name: given at commit (or from the start, without O_TMPFILE) */
    int named;    /* tmp exists on disk */
} kn_afile;

/* Start writing what will become `dest`. KN_EIO "DEST: cannot write: reason". */
kn_status kn_afile_open(kn_afile *a, const char *dest, kn_error *err);

/* Flush everything written to disk and check that all of it got there (KN_EIO
 * "DEST: cannot write: No space left on device"); the file is not in place yet. */
kn_status kn_afile_finish(kn_afile *a, kn_error *err);

/* Put a finished file in place (replacing DEST) and release a. On failure nothing is
 * in place and a is released too. */
kn_status kn_afile_commit(kn_afile *a, kn_error *err);

/* Drop what was written and release a; a zeroed or released kn_afile is a no-op. */
void kn_afile_discard(kn_afile *a);

#endif
