/* record.h - one run record as bytes: the single format used on the pipe from a
 * replication's child process, in MPI messages, and in the journal of a study.
 *
 * Layout (native byte order; journals are not meant to move between machines):
 *   u32 magic "KNR2", u32 total length, u64 run, u32 scenario, u64 replication,
 *   u64 seed, i32 status, u64 customers, f64 wall_seconds, u64 kernel_events, u32 n_metrics,
 *   u32 n_series, u32 n_periods, u32 error length, error bytes (no NUL),
 *   f64 values[n_metrics], f64 series[n_series * n_periods], u32 CRC-32 (zlib) of
 *   everything before it.
 * A truncated or corrupted record (a process killed mid-write) fails the length or
 * CRC check and is rejected, never half-read.
 */
#ifndef KONING_RECORD_H
#define KONING_RECORD_H

#include <stddef.h>
#include <stdint.h>
#include "koning/error.h"
#include "koning/results.h"

#define KN_RECORD_MAGIC 0x32524e4bu /* "KNR2" (KNR1 had no kernel_events) */
#define KN_RECORD_HEADER 16u        /* magic + length: enough to know the full size */
#define KN_RECORD_MAX (64u << 20)   /* refuse absurd lengths (64 MiB) */

/* Serialise rec into a new buffer (*buf, *len); the caller frees *buf. */
kn_status kn_record_pack(const kn_run_record *rec, unsigned char **buf, size_t *len,
                         kn_error *err);

/* Total length announced by a record's first KN_RECORD_HEADER bytes, or 0 if they
 * are not the start of a record. */
size_t kn_record_length(const unsigned char *head);

/* Parse a whole record (len bytes) into rec (rec->result.series newly allocated;
 * release with kn_rep_result_clear). KN_EIO if it is truncated or corrupted. */
kn_status kn_record_unpack(const unsigned char *buf, size_t len, kn_run_record *rec,
                           kn_error *err);

#endif
