/* robust_int.h - internals of the robust study reader, shared by the study file
 * (robust_file.c) and the uncertainty file (uncertainty.c). They reuse the YAML helpers
 * of the sweep reader (sweep_int.h: messages, scalars, applying a value). Not installed.
 */
#ifndef KONING_ROBUST_INT_H
#define KONING_ROBUST_INT_H

#include "robust.h"
#include "sweep_int.h"

#define RB_FILE_MAX_BYTES (16u << 20) /* a study or uncertainty file larger than this is refused */

/* Read the uncertainty file at `path` (already resolved) into d->keys, d->unc_file and
 * d->unc_text. The policies are loaded (d->policy, d->n_policies): both ends of every
 * range are checked in each of them. A file that cannot be read is reported at `at` of
 * the study file (ctx), under the key 'uncertainty'; every other fault in the
 * uncertainty file itself. */
kn_status kn_rb_read_uncertainty(const sw_ctx *ctx, kn_yr_loc at, kn_robust_def *d,
                                 const char *path);

/* A path given in a file, relative to that file's directory, as a new string; NULL when
 * out of memory or too long (then *too_long is set). */
char *kn_rb_resolve(const char *origin, const char *s, size_t len, int *too_long);

#endif
