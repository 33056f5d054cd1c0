/* metrics.c - the table of metric names, units and descriptions. */
#include <stddef.h>
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
