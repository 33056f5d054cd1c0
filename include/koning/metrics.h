/* metrics.h - the figures a replication reports, with names and units.
 *
 * Names are the keys of `koning run --format json`; the table is the single place a
 * metric is named, so output, documentation and (later) result files agree.
 */
#ifndef KONING_METRICS_H
#define KONING_METRICS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum kn_metric {
    KN_M_P_WAIT = 0,          /* share of arrivals that wait (or abandon) */
    KN_M_P_ABANDON,           /* share of arrivals that abandon */
    KN_M_MEAN_WAIT,           /* mean time in queue over all arrivals, minutes */
    KN_M_MEAN_WAIT_SERVED,    /* mean wait of served customers (ASA), minutes */
    KN_M_UTILIZATION,         /* busy server time / available server time */
    KN_M_SERVED_PER_HOUR,     /* service completions per hour */
    KN_M_ARRIVALS_PER_HOUR,   /* arrivals per hour */
    KN_M_MEAN_QUEUE,          /* time-average number waiting, sampled by a monitor */
    KN_METRIC_COUNT
} kn_metric;

typedef struct kn_metric_info {
    const char *name;      /* JSON key, e.g. "p_wait" */
    const char *unit;      /* e.g. "1", "min", "1/h" */
    const char *long_name; /* one line for people */
} kn_metric_info;

/* Description of metric m (0 <= m < KN_METRIC_COUNT); NULL if out of range. */
const kn_metric_info *kn_metric_describe(int m);

/* What one replication returns to the runner. Values are over the observation window
 * (after warm-up); a value that cannot be estimated (e.g. no arrivals) is NaN. */
typedef struct kn_rep_result {
    uint64_t replication;
    uint64_t customers;      /* arrivals in the observation window */
    double wall_seconds;     /* wall time of the simulation in the child */
    double values[KN_METRIC_COUNT];
} kn_rep_result;

#ifdef __cplusplus
}
#endif
#endif
