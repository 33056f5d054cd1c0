/* metrics.c - the table of metric names, units and descriptions. */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include "koning/metrics.h"

static const kn_metric_info metric_table[KN_METRIC_COUNT] = {
    [KN_M_P_WAIT] = {"p_wait", "1", "share of arrivals that had to wait (served or abandoned)"},
    [KN_M_P_ABANDON] = {"p_abandon", "1", "share of arrivals that abandoned the queue"},
    [KN_M_MEAN_WAIT] = {"mean_wait_minutes", "min",
                        "mean time in queue over all arrivals, served or abandoned"},
    [KN_M_MEAN_WAIT_SERVED] = {"mean_wait_served_minutes", "min",
                               "mean wait of the customers who were served (ASA)"},
    [KN_M_UTILIZATION] = {"utilization", "1", "share of staffed time spent serving"},
    [KN_M_SERVED_PER_HOUR] = {"served_per_hour", "1/h", "service completions per hour"},
    [KN_M_ARRIVALS_PER_HOUR] = {"arrivals_per_hour", "1/h", "arrivals per hour"},
    [KN_M_MEAN_QUEUE] = {"mean_queue_length", "1",
                         "time-average number of customers waiting (monitor samples)"},
};

const kn_metric_info *kn_metric_describe(int m)
{
    if (m < 0 || m >= KN_METRIC_COUNT)
        return NULL;
    return &metric_table[m];
}

static const kn_metric_info series_table[KN_SERIES_COUNT] = {
    [KN_S_ARRIVALS_PER_HOUR] = {"arrivals_per_hour", "1/h", "arrivals per hour in the period"},
    [KN_S_P_WAIT] = {"p_wait", "1", "share of the period's arrivals that waited"},
    [KN_S_P_ABANDON] = {"p_abandon", "1", "share of the period's arrivals that abandoned"},
    [KN_S_MEAN_WAIT] = {"mean_wait_minutes", "min",
                        "mean time in queue of the period's arrivals, served or abandoned"},
    [KN_S_UTILIZATION] = {"utilization", "1", "share of staffed time spent serving in the period"},
    [KN_S_SERVED_PER_HOUR] = {"served_per_hour", "1/h", "service completions per hour in the period"},
};

const kn_metric_info *kn_series_describe(int s)
{
    if (s < 0 || s >= KN_SERIES_COUNT)
        return NULL;
    return &series_table[s];
}

uint32_t kn_period_count(double days, double period_days)
{
    if (!(days > 0.0) || !(period_days > 0.0))
        return 1;
    double n = ceil(days / period_days - 1e-9);
    return n < 1.0 ? 1u : (uint32_t)n;
}

void kn_rep_result_clear(kn_rep_result *r)
{
    if (!r)
        return;
    free(r->series);
    r->series = NULL;
}
