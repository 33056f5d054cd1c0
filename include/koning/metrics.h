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

/* Time series: the same kind of figure per period (run.period_days) of a replication,
 * from the start (warm-up periods included, so plots can shade them). Customers count
 * in the period of their arrival; busy time and completions in the period they fall. */
typedef enum kn_series {
    KN_S_ARRIVALS_PER_HOUR = 0,
    KN_S_P_WAIT,
    KN_S_P_ABANDON,
    KN_S_MEAN_WAIT,
    KN_S_UTILIZATION,
    KN_S_SERVED_PER_HOUR,
    KN_SERIES_COUNT
} kn_series;

/* Description of series s (0 <= s < KN_SERIES_COUNT); NULL if out of range. */
const kn_metric_info *kn_series_describe(int s);

/* What one replication returns to the runner. Values are over the observation window
 * (after warm-up); a value that cannot be estimated (e.g. no arrivals) is NaN. */
typedef struct kn_rep_result {
    uint64_t replication;
    uint64_t customers;      /* arrivals in the observation window */
    double wall_seconds;     /* wall time of the simulation in the child */
    double values[KN_METRIC_COUNT];
    uint32_t n_periods;      /* length of each time series */
    double *series;          /* [KN_SERIES_COUNT][n_periods], row-major, NaN where not
                                estimable; owned: release with kn_rep_result_clear */
} kn_rep_result;

/* Number of periods of a horizon: ceil(days / period_days), at least 1. */
uint32_t kn_period_count(double days, double period_days);

/* Free r->series (and set it to NULL); r itself is not freed. NULL is a no-op. */
void kn_rep_result_clear(kn_rep_result *r);

#ifdef __cplusplus
}
#endif
#endif
