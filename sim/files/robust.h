/* robust.h - robust studies (docs/robust.md): a study file naming the policies to judge,
 * the uncertainty file giving the assumed magnitudes their plausible ranges, the design
 * that draws plausible worlds from those ranges, and the replications and seed.
 *
 * Both files are YAML, read with libyaml and checked as strictly as scenario and sweep
 * files: every fault is one line "FILE:LINE:COL: key 'x': reason" (KN_ESCENARIO; KN_EIO
 * for a file that cannot be read). Loading checks everything that can be checked before
 * a world is drawn: every policy loads and passes its checks with the study's overrides,
 * and both ends of every range pass the scenario reader's checks in every policy.
 *
 * A world is a point of the uncertain magnitudes; policy p in world w is the policy's
 * scenario with each uncertain key set to the world's value through kn_scenario_set,
 * exactly as `--set key=value` would (a key of the policy block, a lever's cost, is set
 * in the status quo's levers too, start.policy.*, so the run-up sees the same world).
 *
 * Ownership: kn_robust_load allocates a kn_robust_def, released with kn_robust_free; it
 * is never modified after load.
 */
#ifndef KONING_ROBUST_H
#define KONING_ROBUST_H

#include <stddef.h>
#include <stdint.h>
#include "koning/error.h"
#include "koning/scenario.h"

#define KN_ROBUST_MAX_POLICIES 64
#define KN_ROBUST_MAX_KEYS 256
#define KN_ROBUST_MAX_WORLDS 100000u
#define KN_ROBUST_MAX_SCENARIOS 200000u /* worlds x policies (about 6 KB each in memory) */

/* How a magnitude is spread over its range. */
typedef enum kn_spread {
    KN_SPREAD_UNIFORM = 0,    /* low + (high - low) t */
    KN_SPREAD_LOG_UNIFORM = 1 /* low (high / low)^t: for scale factors, low > 0 */
} kn_spread;

/* One uncertain magnitude. */
typedef struct kn_uncertain {
    char key[KN_PARAM_NAME_MAX]; /* dotted scenario key */
    const kn_param *param;
    const kn_param *start_param; /* start.policy.* twin of a policy.* key, else NULL */
    int integer;                 /* an integer key: low + floor(t (high - low + 1)) */
    kn_spread spread;
    double low, high;
    char *source;                /* the reason or source of the range */
    size_t line;                 /* where it is given in the uncertainty file */
} kn_uncertain;

/* The design that draws the worlds (docs/robust.md#designs). */
typedef enum kn_robust_design {
    KN_RDESIGN_LHS = 0,      /* Latin hypercube of `size` worlds */
    KN_RDESIGN_SALTELLI = 1, /* Saltelli: `size` base rows, size (K + 2) worlds */
    KN_RDESIGN_MORRIS = 2    /* Morris: `size` trajectories on `levels` levels, size (K + 1) worlds */
} kn_robust_design;

typedef struct kn_robust_def {
    char name[KN_NAME_MAX];
    char *file, *text;          /* the study file as given, and its text */
    char *unc_file, *unc_text;  /* the uncertainty file (resolved path) and its text */
    size_t n_policies;
    kn_scenario *policy;        /* [n_policies]: overrides, replications, seed, switch applied */
    char **policy_file;         /* [n_policies] resolved paths */
    long status_quo;            /* index of the status quo in policy[], or -1 (no switch) */
    double switch_after;        /* days under the status quo before the switch */
    size_t n_keys;
    kn_uncertain *keys;         /* [n_keys] in the uncertainty file's order */
    kn_robust_design design;
    size_t size;                /* LHS: worlds; Saltelli: base rows; Morris: trajectories */
    unsigned levels;            /* Morris grid levels (even) */
    size_t n_worlds;            /* the worlds the design gives */
    int replications;
    uint64_t seed;
    size_t n_pairs;
    size_t (*pairs)[2];         /* [n_pairs] policy indices (a, b): a against b; none = default */
} kn_robust_def;

/* Command-line overrides of a study file; a zero struct changes nothing. */
typedef struct kn_robust_opts {
    int has_seed;
    uint64_t seed;
    int replications;           /* > 0: instead of the file's */
    size_t worlds;              /* > 0: the design's size instead of the file's */
    const char *const *sets;    /* "key=value" applied to every policy after the file's `set` */
    size_t n_sets;
} kn_robust_opts;

/* Read and check a study file (and the uncertainty file and policies it names). On
 * success *out is a new definition (kn_robust_free); on error *out is NULL and err says
 * why: KN_EIO when the study file cannot be read, KN_ENOMEM, else KN_ESCENARIO. */
kn_status kn_robust_load(kn_robust_def **out, const char *path, const kn_robust_opts *opts,
                         kn_error *err);
void kn_robust_free(kn_robust_def *d); /* NULL is a no-op */

/* The value of magnitude u at position t in [0, 1] of its range (uniform, log-uniform or
 * integer), always within [low, high]. */
double kn_uncertain_value(const kn_uncertain *u, double t);

/* The scenario of policy p in the world whose magnitudes are values[0 .. n_keys-1]:
 * the policy with each key set as `--set key=value` sets it (and its start.policy twin),
 * named "POLICY [world W]", checked. KN_ESCENARIO "FILE: world W: key 'x': reason
 * (k1=v1, k2=v2, ...)" when a combination breaks a rule across keys. */
kn_status kn_robust_world_scenario(const kn_robust_def *d, size_t p, size_t world,
                                   const double *values, kn_scenario *out, kn_error *err);

/* "latin_hypercube", "saltelli" or "morris". */
const char *kn_robust_design_name(kn_robust_design d);

#endif
