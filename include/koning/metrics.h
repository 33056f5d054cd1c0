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
    /* the organisation model (NaN in the queue model); docs/model.md#outcomes */
    KN_M_RETENTION,           /* exp(-churn hazard): the share kept a year, whole population */
    KN_M_SERVICE_QUALITY,     /* mean perceived quality of visits, 0..1 */
    KN_M_FIRST_CONTACT_RESOLUTION, /* share of served fresh contacts solved at once */
    KN_M_SATISFACTION,        /* mean satisfaction of the active customers */
    KN_M_COMPLAINTS_PER_WEEK, /* complaints of dissatisfied customers per week */
    KN_M_EXPLOITATIVE_CLAIMS_PER_WEEK, /* opportunistic claims per week */
    KN_M_COMPENSATION_COST,   /* compensation paid per week */
    KN_M_REVENUE,             /* revenue per week */
    KN_M_PROFIT,              /* revenue - wages - hiring - compensation, per week */
    KN_M_ACTIVE_CUSTOMERS,    /* mean number of active customers */
    KN_M_NEW_CUSTOMERS_PER_WEEK,
    KN_M_CHURNED_CUSTOMERS_PER_WEEK, /* left, banned included */
    KN_M_BANNED_CUSTOMERS_PER_WEEK,
    KN_M_HEADCOUNT,           /* mean filled positions */
    KN_M_VACANCIES,           /* mean open positions */
    KN_M_STAFF_TURNOVER,      /* quits per year / mean headcount */
    KN_M_MEAN_MORALE,
    KN_M_MEAN_EXHAUSTION,
    KN_M_BURNOUT_SHARE,       /* share of employee-days with exhaustion above the threshold */
    KN_M_SICK_SHARE,          /* share of scheduled working days taken sick */
    KN_M_ABUSIVE_CONTACTS,    /* abusive contacts per employee per working day */
    KN_M_WORK_PRESSURE,       /* mean work pressure (Oliva & Sterman) */
    KN_M_STANDARD_MINUTES,    /* service standard (minutes per customer) at the end */
    KN_M_SERVICE_QUALITY_END, /* the same figures over the last 28 days of the horizon */
    KN_M_SATISFACTION_END,
    KN_M_ACTIVE_CUSTOMERS_END,
    KN_M_HEADCOUNT_END,
    KN_M_MEAN_MORALE_END,
    KN_M_MEAN_EXHAUSTION_END,
    KN_M_QUALITY_FROM_RESOLUTION, /* the three terms of service quality: they sum to it */
    KN_M_QUALITY_FROM_COURTESY,
    KN_M_QUALITY_FROM_WAIT,
    KN_M_STAFF_COST,          /* wages + hiring cost per week */
    KN_M_LEVER_COST,          /* what the levers cost per week: the five below */
    KN_M_INVESTIGATION_COST,  /* investigations per week */
    KN_M_GOODWILL_COST,       /* goodwill gestures and authority's give-aways per week */
    KN_M_TRAINING_COST,       /* training money per week */
    KN_M_ROOT_CAUSE_COST,     /* root-cause work per week */
    KN_M_RETENTION_COST,      /* retention offers per week */
    KN_M_REPEAT_SHARE,        /* share of contacts that repeat an unresolved need */
    KN_M_QUALITY_FROM_REPEATS,/* the repeat penalty's part of service quality (<= 0) */
    KN_M_UNCIVIL_CONTACTS,    /* uncivil answers of staff per employee per working day */
    KN_M_ABUSE_BY_POLITE,     /* share of abusive contacts made by customers who are not rude */
    KN_M_BANNED_NOT_RUDE,     /* share of banned customers who are not rude */
    KN_M_WOM_GAINED_PER_WEEK, /* customers word of mouth brought, per week */
    KN_M_WOM_LOST_PER_WEEK,   /* customers word of mouth cost, per week */
    KN_M_PUBLIC_INCIDENTS,    /* incidents that went public, per year */
    KN_M_WON_BACK_PER_WEEK,   /* former customers won back from the rival, per week */
    KN_M_MARKET_SHARE,        /* active customers / potential customers */
    KN_M_DEFECT_SHARE,        /* share of contacts about a recurring defect */
    KN_M_WAIT_VALUABLE,       /* mean wait of valuable customers, minutes */
    KN_M_WAIT_OTHERS,         /* mean wait of the others, minutes */
    KN_M_COMP_PER_COMPLAINT_RUDE,   /* compensation per complaint or claim of rude customers */
    KN_M_COMP_PER_COMPLAINT_POLITE, /* the same of polite customers */
    KN_M_ACQUISITION_RATE,    /* expected new customers per week, before chance */
    KN_M_CHURN_HAZARD,        /* customers lost per customer-year at risk */
    KN_M_CHURN_HAZARD_POLITE, KN_M_CHURN_HAZARD_RUDE, KN_M_CHURN_HAZARD_EXPLOITATIVE,
    KN_M_RETENTION_COHORT,    /* the cohort active at the end of warm-up, after a year */
    KN_M_POSITIONS,           /* mean budgeted positions */
    KN_METRIC_COUNT,
    KN_M_ORG_FIRST = KN_M_RETENTION /* metrics from here on belong to the organisation model */
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
    /* the organisation model (NaN in the queue model) */
    KN_S_ACTIVE_CUSTOMERS,
    KN_S_NEW_CUSTOMERS,
    KN_S_CHURNED_CUSTOMERS,
    KN_S_NEW_POLITE, KN_S_NEW_RUDE, KN_S_NEW_EXPLOITATIVE,
    KN_S_CHURNED_POLITE, KN_S_CHURNED_RUDE, KN_S_CHURNED_EXPLOITATIVE,
    KN_S_BANNED_CUSTOMERS,
    KN_S_RETENTION,
    KN_S_SATISFACTION,
    KN_S_SERVICE_QUALITY,
    KN_S_FIRST_CONTACT_RESOLUTION,
    KN_S_COMPLAINTS,
    KN_S_EXPLOITATIVE_CLAIMS,
    KN_S_COMPENSATION_COST,
    KN_S_REVENUE,
    KN_S_PROFIT,
    KN_S_HEADCOUNT,
    KN_S_VACANCIES,
    KN_S_QUITS,
    KN_S_STAFF_TURNOVER,
    KN_S_MEAN_MORALE,
    KN_S_MEAN_EXHAUSTION,
    KN_S_BURNOUT_SHARE,
    KN_S_SICK_SHARE,
    KN_S_ABUSIVE_CONTACTS,
    KN_S_WORK_PRESSURE,
    KN_S_STANDARD_MINUTES,
    KN_S_REPEAT_SHARE,
    KN_S_DEFECT_SHARE,
    KN_S_MARKET_SHARE,
    KN_S_LEVER_COST,
    KN_S_POSITIONS,
    KN_SERIES_COUNT
} kn_series;

/* Description of series s (0 <= s < KN_SERIES_COUNT); NULL if out of range. */
const kn_metric_info *kn_series_describe(int s);

/* What one replication returns to the runner. Values are over the observation window
 * (after warm-up); a value that cannot be estimated (e.g. no arrivals) is NaN. */
typedef struct kn_rep_result {
    uint64_t replication;
    uint64_t customers;      /* arrivals in the observation window */
    double wall_seconds;     /* wall time of everything the run did in the child (set-up,
                                simulation, results) */
    uint64_t kernel_events;  /* kernel sleeps of every actor: the simulation's cost in
                                events, the same on every machine */
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
