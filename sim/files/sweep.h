/* sweep.h - a sweep: one base scenario and the scenario keys to vary over it.
 *
 * A sweep file (YAML, docs/sweeps.md) names a base scenario and, for each varied key,
 * a list of values or a range. The design is a full factorial grid (default) or a
 * Latin hypercube of K points (McKay, Beckman & Conover 1979). Each point is the base
 * scenario with that point's values applied through kn_scenario_set, so every key of
 * the scenario table can be varied, with the scenario reader's own type and range
 * checks and messages.
 *
 * kn_sweep_load validates everything before anything runs: it builds and checks the
 * scenario of every point, so a bad point is reported at load, naming the sweep file's
 * line and column of the offending value and the key:
 *     sweep.yaml:6:21: key 'vary.staff.employees': must be >= 1, got 0
 *
 * Ownership: kn_sweep_load allocates a kn_sweep that the caller releases with
 * kn_sweep_free. Every string returned by an accessor is owned by the sweep and lives
 * until kn_sweep_free. A loaded sweep is never modified, so its accessors may be called
 * from several threads at once.
 */
#ifndef KONING_SWEEP_H
#define KONING_SWEEP_H

#include <stddef.h>
#include <stdint.h>
#include "koning/error.h"
#include "scenario_yaml.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KN_SWEEP_MAX_POINTS 1000000u  /* largest grid */
#define KN_SWEEP_MAX_LHS 100000u      /* largest Latin hypercube (design points) */
#define KN_SWEEP_MAX_VALUES 100000u   /* most values one key may take (list or range) */

typedef enum kn_sweep_design {
    KN_DESIGN_GRID = 0,  /* full factorial: every combination of the keys' values */
    KN_DESIGN_LHS = 1    /* Latin hypercube of K points */
} kn_sweep_design;

/* Opaque: a loaded, fully validated sweep. */
typedef struct kn_sweep kn_sweep;

/* Options of kn_sweep_load_opts; a zero-initialised struct changes nothing. */
typedef struct kn_sweep_opts {
    int has_seed;       /* 1: use `seed` instead of the file's seed (`koning sweep --seed S`);
                           it also drives the Latin hypercube */
    uint64_t seed;
    int replications;   /* > 0: use instead of the file's replications (checked like
                           run.replications); 0: the file's */
    size_t max_points;  /* > 0: refuse a design of more points, before they are checked
                           (a fuzzing harness's bound); 0: KN_SWEEP_MAX_POINTS */
} kn_sweep_opts;

/* Read, validate and expand the sweep file at `path`. On success *out is a new sweep
 * (free with kn_sweep_free); on error *out is NULL and err says why: KN_EIO when the
 * sweep file cannot be read, KN_ENOMEM, else KN_ESCENARIO with
 * "FILE:LINE:COL: key 'x': reason" (a missing or invalid base scenario included). */
kn_status kn_sweep_load(kn_sweep **out, const char *path, kn_error *err);

/* The same with command-line overrides (opts may be NULL). */
kn_status kn_sweep_load_opts(kn_sweep **out, const char *path, const kn_sweep_opts *opts,
                             kn_error *err);

/* Release a sweep; NULL is a no-op. */
void kn_sweep_free(kn_sweep *sw);

/* Number of points (grid: the product of the keys' value counts; LHS: K). */
size_t kn_sweep_points(const kn_sweep *sw);
/* Replications per point (`replications`, default the base's run.replications). */
int kn_sweep_replications(const kn_sweep *sw);
/* Master seed shared by every point (`seed`, default the base's run.seed). */
uint64_t kn_sweep_seed(const kn_sweep *sw);
/* The design, and for a Latin hypercube its K (0 for a grid). */
kn_sweep_design kn_sweep_design_of(const kn_sweep *sw);
/* The sweep file's text as read (NUL-terminated), for the results file. */
const char *kn_sweep_text(const kn_sweep *sw);
/* `name`, default the sweep file's base name without extension. */
const char *kn_sweep_name(const kn_sweep *sw);
/* The sweep file's path as given to kn_sweep_load, and the resolved base path. */
const char *kn_sweep_file(const kn_sweep *sw);
const char *kn_sweep_base_file(const kn_sweep *sw);
/* The base scenario with the sweep's replications and seed applied. */
const kn_scenario *kn_sweep_base(const kn_sweep *sw);
/* Number of varied keys, and the dotted path of key i in file order (NULL if out of
 * range). Point names list the keys in this order. */
size_t kn_sweep_keys(const kn_sweep *sw);
const char *kn_sweep_key(const kn_sweep *sw, size_t i);

/* The value key `key` takes at `point`, as shown in point names: a number in its
 * shortest exact form, a name or string without quotes, a list as [a, b, ...].
 * Written into buf (cap bytes, truncated with "..." if too small) and returned;
 * NULL if point or key is out of range. */
const char *kn_sweep_value(const kn_sweep *sw, size_t point, size_t key, char *buf, size_t cap);
/* The same as a number: 1 and *out set when the key is numeric (integer or number),
 * else 0. */
int kn_sweep_value_number(const kn_sweep *sw, size_t point, size_t key, double *out);

/* The scenario of one point: the base, then each varied key's value applied with
 * kn_scenario_set in file order, run.replications and run.seed set to the sweep's,
 * and the name "SWEEPNAME [key=value, key=value]" (shortened to 255 bytes with "..."
 * if longer). It passes kn_scenario_check (load checked every point). Errors:
 * KN_EINVAL for a point out of range. */
kn_status kn_sweep_scenario(const kn_sweep *sw, size_t point, kn_scenario *out, kn_error *err);

/* FNV-1a 64 hash of every point's scenario in order (every key's value, as
 * kn_scenario_write_yaml would write it), the replications and the seed: two sweeps
 * with the same fingerprint run the same simulations. Computed at load. A resumed
 * sweep uses it to refuse a journal written by a different sweep. */
uint64_t kn_sweep_fingerprint(const kn_sweep *sw);

/* Periods of the longest run of any point (all points share run.period_days: load
 * checks it). */
uint32_t kn_sweep_periods(const kn_sweep *sw);

/* run.days of the longest point (where the last period of the file ends). */
double kn_sweep_last_day(const kn_sweep *sw);

#ifdef __cplusplus
}
#endif
#endif
