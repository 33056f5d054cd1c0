/* scenario.h - a scenario: everything one simulated organisation needs, resolved.
 *
 * Scenarios come from YAML files (docs/scenarios.md) parsed with libyaml and checked
 * strictly against a table of keys (kn_param): an unknown key, a wrong type or a value
 * out of range is an error naming file, line, column and key. `--set path.to.key=value`
 * overrides any key after the file is read. Every key has a documented default or is
 * required; nothing is silently replaced.
 */
#ifndef KONING_SCENARIO_H
#define KONING_SCENARIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "koning/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KN_NAME_MAX 256
#define KN_PATH_MAX 4096
#define KN_HOURS_PER_DAY 24

/* A probability distribution of a duration, in minutes. */
typedef enum kn_dist_kind {
    KN_DIST_NONE = 0,        /* no such duration (e.g. patience omitted: nobody abandons) */
    KN_DIST_EXPONENTIAL = 1, /* exponential with mean `mean_minutes` */
    KN_DIST_LOGNORMAL = 2,   /* lognormal with mean `mean_minutes` and coefficient of variation `cv` */
    KN_DIST_DETERMINISTIC = 3 /* always exactly `mean_minutes` */
} kn_dist_kind;

typedef struct kn_dist {
    kn_dist_kind kind;
    double mean_minutes; /* > 0 */
    double cv;           /* >= 0; used by lognormal only */
} kn_dist;

typedef struct kn_scenario {
    char name[KN_NAME_MAX];  /* `name`; default: the file's base name without extension */
    char file[KN_PATH_MAX];  /* the file it was read from, "" if built in code */
    struct {
        double days;          /* run.days: simulated horizon, days (> 0) */
        double warmup_days;   /* run.warmup_days: discarded start, days (>= 0, < days) */
        int replications;     /* run.replications: independent replications (>= 2) */
        uint64_t seed;        /* run.seed: master seed */
        double sample_minutes;/* run.sample_minutes: period of the queue-length monitor */
        double period_days;   /* run.period_days: length of one period of the time series */
    } run;
    struct {
        double per_hour;      /* arrivals.per_hour: constant Poisson rate, per hour */
        int use_profile;      /* 1 if arrivals.profile was given (then per_hour is unused) */
        double profile[KN_HOURS_PER_DAY]; /* arrivals.profile: rate per hour for each hour of day */
    } arrivals;
    kn_dist service;          /* service.{distribution,mean_minutes,cv} */
    kn_dist patience;         /* patience.{...}; kind NONE when the block is omitted */
    struct {
        int employees;        /* staff.employees: number of servers (>= 1) */
    } staff;
} kn_scenario;

/* ---- the table of keys ---------------------------------------------------------- */

typedef enum kn_param_type {
    KN_PT_STRING,       /* char[KN_NAME_MAX] */
    KN_PT_INT,          /* int */
    KN_PT_UINT64,       /* uint64_t */
    KN_PT_DOUBLE,       /* double */
    KN_PT_DIST_KIND,    /* kn_dist_kind, spelled exponential|lognormal|deterministic */
    KN_PT_DOUBLE_ARRAY  /* double[count] */
} kn_param_type;

/* One scenario key: where it lives in kn_scenario, its valid range, unit and meaning. */
typedef struct kn_param {
    const char *path;   /* dotted key, e.g. "arrivals.per_hour" */
    kn_param_type type;
    size_t offset;      /* offsetof(kn_scenario, ...) */
    size_t count;       /* element count for KN_PT_DOUBLE_ARRAY, else 1 */
    double min, max;    /* valid range for numbers (see min_exclusive) */
    int min_exclusive;  /* 1: value must be > min; 0: >= min */
    const char *unit;   /* e.g. "1/h", "min", "days", "" */
    const char *help;   /* one line */
} kn_param;

/* Number of keys in the table, and key i (0 <= i < count), in a stable order. */
size_t kn_param_count(void);
const kn_param *kn_param_at(size_t i);
/* The key with this dotted path, or NULL. */
const kn_param *kn_param_find(const char *path);
/* Numeric value of a numeric key (INT, UINT64, DOUBLE, DIST_KIND as its enum value;
 * element `index` of an array); NAN for strings. */
double kn_param_get_number(const kn_scenario *sc, const kn_param *p, size_t index);

/* ---- life cycle ------------------------------------------------------------------ */

/* Fill sc with the documented defaults (not a valid scenario yet: the required keys
 * arrivals.*, service.mean_minutes and staff.employees are unset). */
void kn_scenario_defaults(kn_scenario *sc);

/* Read and validate a scenario file. On error returns KN_EIO (missing/unreadable
 * file) or KN_ESCENARIO with err->msg "FILE:LINE:COL: key 'a.b': reason". */
kn_status kn_scenario_load(kn_scenario *sc, const char *path, kn_error *err);

/* Same from text in memory; `origin` is the name used in messages. */
kn_status kn_scenario_load_string(kn_scenario *sc, const char *text, size_t len,
                                  const char *origin, kn_error *err);

/* Apply one override "a.b.c=value" (value parsed as a YAML scalar or flow sequence).
 * Errors say "--set a.b.c=value: key 'a.b.c': reason". Re-run kn_scenario_check after. */
kn_status kn_scenario_set(kn_scenario *sc, const char *assignment, kn_error *err);

/* Cross-key checks (warm-up shorter than the horizon, a lognormal needs cv, an
 * arrival rate given, ...). Called by load; call again after kn_scenario_set. */
kn_status kn_scenario_check(const kn_scenario *sc, kn_error *err);

/* Write the fully resolved scenario as YAML that kn_scenario_load reads back to an
 * identical kn_scenario (except `file`). */
kn_status kn_scenario_write_yaml(const kn_scenario *sc, FILE *out, kn_error *err);

#ifdef __cplusplus
}
#endif
#endif
