/* org.h - the organisation model: customers with identity, employees with state, and
 * management policy as a set of levers, on top of the desk (desk.h).
 *
 * Pure model logic, no SimGrid: sim/kernel/engine.c calls these from its actors (one
 * per position, plus a daily manager), and tests call them directly. The code is split
 * along the model's seams (equations, customers, workforce, encounter, accounts; see
 * org_internal.h). Every rule, with its
 * equation, parameters and sources, is in docs/model.md; the numbers come from the
 * scenario (kn_scenario.customers/employees/work/policy/staff), never from a preset's
 * name.
 *
 * Time is in minutes from the start, days are 1440 minutes. The day boundary rules
 * (employees' exhaustion, morale, sick days, quits and hires; word of mouth; work
 * pressure and the service standard; the next day's arrival rate) run in
 * kn_org_advance, which is idempotent: whichever actor reaches a boundary first runs
 * them, so the outcome does not depend on the order of actors at equal times.
 */
#ifndef KONING_ORG_H
#define KONING_ORG_H

#include <stddef.h>
#include <stdint.h>
#include "desk.h"

typedef enum kn_ctype { KN_POLITE = 0, KN_RUDE = 1, KN_EXPLOITATIVE = 2, KN_NTYPES } kn_ctype;

typedef struct kn_cust {
    double s;          /* satisfaction, 0..1 (what a survey measures; recovery included) */
    double loyalty;    /* 0..1, drives churn and word of mouth; recovery does not raise it */
    double value;      /* revenue of one served visit */
    double belief;     /* exploitative: expected probability that a claim is paid */
    double joined, left; /* days; left = INFINITY while active */
    int32_t pos;       /* index in the active array, -1 once gone */
    uint32_t visits;
    uint32_t incidents;
    uint8_t type;      /* kn_ctype (known from creation on) */
    uint8_t banned;
    uint8_t ready;     /* value (and an initial customer's past visits) drawn: at first visit */
    uint8_t made;      /* the fields above are set (a customer of the initial base is all
                          zeros until first needed: kn_cust_at) */
} kn_cust;

/* Why an unresolved problem stayed unresolved. */
typedef enum kn_cause {
    KN_CAUSE_NONE = 0,     /* resolved */
    KN_CAUSE_DEFECT,       /* a recurring defect staff cannot fix (not the employee's fault) */
    KN_CAUSE_AUTHORITY,    /* needed authority the employee lacks (not at fault) */
    KN_CAUSE_CAP,          /* the minutes cap ran out (not at fault) */
    KN_CAUSE_EMPLOYEE,     /* skill, morale or corners cut (at fault) */
    KN_CAUSE_ENDED         /* an abusive contact the employee ended */
} kn_cause;

typedef struct kn_emp {
    int filled;          /* 1: someone holds the position */
    double vacant_until; /* minutes: a vacancy is filled at the first day boundary >= this */
    double morale, exhaustion, skill, resilience;
    int off_today, sick_today;
    double busy_today;   /* minutes of service that ended today */
    /* the encounter in progress */
    int32_t cust;        /* customer index, -1 if anonymous (empty base) */
    int abusive, ended, capped, defect;
    double need, adequacy;
} kn_emp;

/* What the organisation counts, per period of the time series, over the observation
 * window and over the last 28 days. Event sums, and sums of daily snapshots. */
typedef struct kn_org_acc {
    double visits, served, q_sum, q_res, q_court, q_wait, resolved, complaints, claims;
    double compensation, revenue, wages, hiring;
    double abusive, work_days, sick_days, scheduled_days, busy;
    double new_c[KN_NTYPES], churned[KN_NTYPES], banned, quits, hires;
    double days, active_sum, sat_sum, head_sum, vac_sum;
    double morale_sum, exh_sum, burnout_sum, emp_days, wp_sum;
    double standard_end; /* the service standard at the last day boundary counted */
} kn_org_acc;

typedef struct kn_org {
    const kn_scenario *sc;
    kn_desk *desk;
    int effects;
    /* employees: one per position */
    int n_pos;
    kn_emp *emp;
    /* customers: every customer ever (for cohorts), and the active ones (dense). The
     * initial base is made lazily: customer i < base is all zeros until first needed */
    kn_cust *cust;
    size_t n_cust, cap_cust;
    int32_t *made_ids;   /* the customers of the initial base that have been made */
    size_t n_made;
    double pick_u[2];    /* the IDENTITY draws of the next two visits, drawn ahead so that
                            their customers' records can be fetched from memory early */
    int has_pick;
    int32_t *active;
    size_t n_active, cap_active;
    double s_sum, l_sum; /* sums of satisfaction and loyalty over the active customers */
    int base;
    double value_mu, value_sigma, resil_mu, resil_sigma;
    double visits_per_year; /* of one customer of the initial base, for his past visits */
    kn_rng rng_id, rng_cust, rng_enc, rng_pol, rng_emp;
    kn_rng rng_traits;   /* customer i's traits come from blocks 2i, 2i+1 of this stream */
    /* days */
    long day;            /* index of the current day */
    double day_end;      /* minutes */
    double open_minutes; /* minutes per day with arrivals (open hours) */
    uint32_t arrivals_today;
    /* work pressure and the service standard (Oliva & Sterman 2001) */
    double s0, standard, wp, time_factor;
    /* accounting */
    double t_warmup, t_end, last_from, period_len;
    uint32_t n_periods;
    kn_org_acc *periods, win, last;
    double *surv_period; /* kn_org_finish: survival over each period */
    double retention;    /* kn_org_finish: the retention metric */
    int failed;          /* an allocation failed */
} kn_org;

/* Set up the organisation of scenario `sc` (customers.base > 0) on desk `d` (already
 * initialised for the same replication): streams (seed, scenario_stream, replication,
 * KN_SRC_IDENTITY..KN_SRC_EMPLOYEE), the initial base, every position filled, the
 * first day's rate. `sc` and `d` must outlive the organisation. */
kn_status kn_org_init(kn_org *o, const kn_scenario *sc, kn_desk *d, uint64_t scenario_stream,
                      uint64_t replication, kn_error *err);
void kn_org_free(kn_org *o);

/* Run the day-boundary rules of every boundary <= t (idempotent). -1 on allocation
 * failure. */
int kn_org_advance(kn_org *o, double t);

/* 1 if the employee in position `slot` works today (filled, not off, not sick). */
int kn_org_on_duty(const kn_org *o, int slot);

/* The employee in `slot` starts serving assignment `a` (from kn_desk_take): pick the
 * customer, decide what kind of encounter it is, and set a->end from the employee's
 * state and the policy. */
void kn_org_encounter_start(kn_org *o, int slot, kn_assignment *a);

/* The encounter of `slot` ended at a->end: resolution, perceived quality, customer
 * and employee updates, complaint or claim and the policy's answer, churn, ban. */
void kn_org_encounter_end(kn_org *o, int slot, const kn_assignment *a);

/* The run is over: survival over every period and retention, in one pass over the
 * customers. Call once before kn_org_results and kn_org_series. -1 on allocation
 * failure. */
int kn_org_finish(kn_org *o);

/* Fill the organisation's metrics (the KN_M_RETENTION.. part of values) and series
 * (rows KN_S_ACTIVE_CUSTOMERS..; series[s * n_periods + k]). */
void kn_org_results(const kn_org *o, double values[KN_METRIC_COUNT]);
void kn_org_series(const kn_org *o, double *series);

/* Customer id (0 <= id < n_cust) with all his traits drawn (they are drawn at his first
 * visit otherwise; models/customers.c). */
const kn_cust *kn_org_customer(kn_org *o, int32_t id);

/* Perceived quality of a visit, 0..1 (docs/model.md#quality). */
double kn_org_quality(const kn_scenario *sc, int resolved, double courtesy, double wait);
/* The same, with its three terms (resolution, courtesy, wait) in parts; returns their sum. */
double kn_org_quality_parts(const kn_scenario *sc, int resolved, double courtesy, double wait,
                            double parts[3]);

/* Courtesy an employee shows, 0..1: clip(0.5 + 0.5 morale - 0.3 exhaustion). */
double kn_org_courtesy(double morale, double exhaustion);

/* Time factor of work pressure wp: clip(wp^alpha, 0.5, 1.5) for wp >= 1 and
 * clip(wp^alpha_slack, 0.5, 1.5) below; 1 when wp <= 0. */
double kn_org_time_factor(double wp, double alpha, double alpha_slack);

/* Daily quit probability at exhaustion e and morale m. */
double kn_org_quit_probability(const kn_scenario *sc, double e, double m);

/* Multiplier of an abusive contact's hit on the employee under the policy (1 = full). */
double kn_org_abuse_moderation(const kn_scenario *sc);

/* Probability that an exploitative customer with `visits` past visits and payout
 * belief `belief` makes a claim on this visit. */
double kn_org_claim_probability(const kn_scenario *sc, double belief, uint32_t visits);

#endif
