/* org.h - the organisation model: customers with identity, employees with state, and
 * management policy as a set of levers, each with its price, on top of the desk
 * (desk.h).
 *
 * Pure model logic, no SimGrid: sim/kernel/engine.c calls these from its actors (one
 * per position, plus a daily manager), and tests call them directly. The code is split
 * along the model's seams (equations, customers, encounter, workforce, market, defects,
 * accounts; see org_internal.h). Every rule, with its equation, parameters and sources,
 * is in docs/model.md; the numbers come from the scenario, never from a preset's name.
 *
 * Time is in minutes from the start, days are 1440 minutes. The day boundary rules run
 * in kn_org_advance, which is idempotent: whichever actor reaches a boundary first runs
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
    double propensity; /* probability of an abusive visit, before wait and grievances */
    double joined, left; /* days; left = INFINITY while active */
    int32_t id;        /* his number: 0..base-1 the initial base, then newcomers in the
                          order they joined */
    int32_t pos;       /* index in the active array, -1 once gone */
    int32_t twin;      /* whose traits he has: himself, or the former customer he is */
    uint32_t visits;
    uint32_t incidents;
    uint8_t type;      /* kn_ctype (a newcomer's from creation on; the initial base's once
                          ready) */
    uint8_t banned;
    uint8_t ready;     /* traits drawn (at the first visit) */
    uint8_t former;    /* in the pool of former customers a rival may give back */
    float u_first;     /* a valuable customer goes to the head of the queue when this is
                          below policy.priority (a trait, so it stays his) */
} kn_cust;

/* Customer records come in chunks that never move, so that a pointer to a record stays
 * valid while others are made. */
#define KN_REC_BITS 16
#define KN_REC_CHUNK ((size_t)1 << KN_REC_BITS)

/* A run of newcomers who joined on the same day in consecutive positions of the active
 * array: numbers id..id+n-1 in positions pos..pos+n-1. */
typedef struct kn_join {
    int32_t id, pos, n;
    double day;
} kn_join;

/* The problem of a contact, carried by its repeats (kn_customer.kind). */
enum { KN_PROBLEM_DRAWN = 1, KN_PROBLEM_DEFECT = 2, KN_PROBLEM_AUTHORITY = 4 };

/* Why an unresolved problem stayed unresolved. */
typedef enum kn_cause {
    KN_CAUSE_NONE = 0,     /* resolved */
    KN_CAUSE_DEFECT,       /* a recurring defect staff cannot fix (not the employee's fault) */
    KN_CAUSE_AUTHORITY,    /* needed authority the employee lacks (not at fault) */
    KN_CAUSE_CAP,          /* the minutes cap ran out (not at fault) */
    KN_CAUSE_EMPLOYEE,     /* skill, morale, corners cut or incivility (at fault) */
    KN_CAUSE_ENDED         /* an abusive contact the employee ended */
} kn_cause;

typedef struct kn_emp {
    int open;            /* the position is budgeted (staffing rule) */
    int filled;          /* someone holds the position */
    double vacant_until; /* minutes: a vacancy is filled at the first day boundary >= this */
    uint32_t serial;     /* who holds it: a new number at every hire */
    double morale, exhaustion, skill, resilience;
    double morale_shift, quit_factor, speed; /* individual traits, drawn at hire */
    int class_days;      /* working days still to spend in training */
    int off_today, sick_today;
    double busy_today;   /* minutes of service that ended today */
    /* the encounter in progress */
    int32_t cust;        /* customer index, -1 if anonymous (empty base) or a no-show */
    int abusive, ended, capped, uncivil;
    uint8_t kind;        /* KN_PROBLEM_* */
    double need, adequacy;
} kn_emp;

/* A complaint under investigation, decided when it is due. */
typedef struct kn_pending {
    double due;          /* minutes */
    int32_t cust;
    int slot;            /* the position of the employee concerned, -1 if none */
    uint32_t serial;     /* and who held it then */
    uint8_t legit, at_fault, upheld, defect;
    double s_prev, l_prev;
} kn_pending;

/* What the organisation counts, per period of the time series, over the observation
 * window and over the last 28 days. Event sums, and sums of daily snapshots. */
typedef struct kn_org_acc {
    double visits, served, q_sum, q_res, q_court, q_wait, q_repeat, complaints, claims;
    double served_fresh, resolved_fresh; /* fresh contacts (not repeats) served, resolved */
    double compensation, revenue, wages, hiring;
    double invest_cost, gesture_cost, authority_cost, training_cost, fix_cost, retention_cost;
    double abusive, abusive_polite, uncivil, work_days, sick_days, scheduled_days, busy;
    double new_c[KN_NTYPES], churned[KN_NTYPES], banned, banned_rude, quits, hires;
    double repeats, won_back, wom_gain, wom_loss, public_incidents, acquisition;
    double risk, risk_type[KN_NTYPES]; /* customer-days at risk of leaving (of each type) */
    double comp_rude, complaints_rude, comp_polite, complaints_polite;
    double wait_valuable, n_valuable, wait_others, n_others;
    double days, active_sum, sat_sum, head_sum, vac_sum, open_sum, defect_sum, share_sum;
    double morale_sum, exh_sum, burnout_sum, emp_days, wp_sum;
    double standard_end; /* the service standard at the last day boundary counted */
} kn_org_acc;

typedef struct kn_org {
    const kn_scenario *sc; /* = &eff: the scenario with the organisation effect applied,
                              and the levers in force (the status quo until the switch) */
    kn_scenario eff;
    kn_policy policy_after; /* the scenario's levers, in force from day switch_day on */
    long switch_day;
    kn_desk *desk;
    int effects;
    /* employees: one per position */
    int n_pos, budget;   /* positions, and how many are budgeted (staffing rule) */
    kn_emp *emp;
    uint32_t serials;
    /* customers. Every customer ever has a number (kn_cust.id) and, once he is needed,
     * a record; the model refers to a customer by his record's index (kn_customer.who,
     * kn_emp.cust, kn_pending.cust, the pool of former customers). Records are made in
     * the order they are needed: at a customer's first visit, or when he is moved in the
     * active array; most customers of a large base never need one within the horizon,
     * and they cost 4 bytes each, not a record. active[pos] holds, for each position of
     * an active customer: record + 1; 0 for the customer of the initial base numbered
     * pos, never moved; -1 - id for a newcomer without a record (who stays where he
     * joined: see `joins`). */
    kn_cust **rec;       /* chunks of KN_REC_CHUNK records */
    size_t n_rec, n_chunks, cap_chunks;
    int32_t *rec_of;     /* by number: record + 1, 0 while he has none; NULL until the
                            first look-up by number (kn_org_customer) */
    size_t cap_rec_of;
    size_t n_cust;       /* customers ever: numbers 0..n_cust-1 */
    kn_join *joins;      /* the newcomers, run by run (where and when each joined) */
    size_t n_joins, cap_joins;
    double pick_u[2];    /* the IDENTITY draws of the next two visits, drawn ahead so that
                            their customers' records can be fetched from memory early */
    int has_pick;
    int32_t *active;
    size_t n_active, cap_active;
    int32_t *former;     /* former customers (not banned), whom the rival may give back */
    size_t n_former, cap_former;
    double s_sum, l_sum; /* sums of satisfaction and loyalty over the active customers */
    size_t known[KN_NTYPES]; /* active customers whose type is drawn, by type */
    double risk_t;       /* minutes: the time at risk is counted up to here */
    int base;
    double value_mu, value_sigma, resil_mu, resil_sigma, quit_mu, quit_sigma, speed_mu,
        speed_sigma;
    double visits_per_year; /* of one customer of the initial base, for his past visits */
    kn_rng rng_id, rng_cust, rng_enc, rng_pol, rng_emp, rng_market, rng_repeat;
    kn_rng rng_repeat_pat; /* patience of repeats: its own stream, so normals never mix with
                              the uniforms of whether and when */
    kn_rng rng_traits;   /* customer i's traits come from blocks 2i, 2i+1 of this stream */
    /* days */
    long day;            /* index of the current day */
    double day_end;      /* minutes */
    double open_minutes; /* minutes per day with arrivals (open hours) */
    double hour_cdf[KN_HOURS_PER_DAY]; /* where in the day arrivals fall, for repeats */
    uint32_t arrivals_today;
    /* work pressure and the service standard (Oliva & Sterman 2001) */
    double s0, standard, wp, time_factor;
    /* the market: prospects, word of mouth on its way, incidents in public */
    double market;       /* potential customers (INFINITY: unlimited) */
    double wom_pos, wom_neg; /* customers that praise will bring, grievances will cost */
    double public_until; /* minutes: acquisition is hit until then */
    /* recurring defects: the share of defect sources not fixed, fixes on their way */
    double defects;
    double signals_today;
    double *fixes;       /* fixes[d % n_fixes]: factor applied to `defects` on day d */
    size_t n_fixes;
    /* complaints under investigation, in order of their due time */
    kn_pending *pending;
    size_t n_pending, head_pending, cap_pending;
    /* the staffing rule's view since its last review */
    double review_busy, review_visits, review_service, review_days;
    /* accounting */
    double origin, t_warmup, t_end, last_from, period_len; /* minutes; origin: the switch */
    uint32_t n_periods;
    kn_org_acc *periods, win, last;
    double cohort;       /* kn_org_finish: the one-year cohort's retention */
    int failed;          /* an allocation failed */
} kn_org;

/* Set up the organisation of scenario `sc` (customers.base > 0) on desk `d` (already
 * initialised for the same replication): streams (seed, scenario_stream, replication,
 * source), the organisation effect (run.org_effect_sd: streams of the replication
 * only, so every scenario of a study shares it), the initial base, the positions, the
 * first day's rate. `sc` and `d` must outlive the organisation. */
kn_status kn_org_init(kn_org *o, const kn_scenario *sc, kn_desk *d, uint64_t scenario_stream,
                      uint64_t replication, kn_error *err);
void kn_org_free(kn_org *o);

/* Run the day-boundary rules of every boundary <= t (idempotent). -1 on allocation
 * failure. */
int kn_org_advance(kn_org *o, double t);

/* 1 if the employee in position `slot` works today (filled, not off, not sick, not in
 * class). */
int kn_org_on_duty(const kn_org *o, int slot);

/* The employee in `slot` starts serving assignment `a` (from kn_desk_take): decide what
 * kind of encounter it is, and set a->end from the employee's state and the policy. */
void kn_org_encounter_start(kn_org *o, int slot, kn_assignment *a);

/* The encounter of `slot` ended at a->end: resolution, perceived quality, customer
 * and employee updates, complaint or claim and the policy's answer, churn, ban, a
 * repeat contact. */
void kn_org_encounter_end(kn_org *o, int slot, const kn_assignment *a);

/* The run is over: survival over every period and retention, in one pass over the
 * customers. Call once before kn_org_results and kn_org_series. -1 on allocation
 * failure. */
int kn_org_finish(kn_org *o);

/* Fill the organisation's metrics (the KN_M_RETENTION.. part of values) and series
 * (rows KN_S_ACTIVE_CUSTOMERS..; series[s * n_periods + k]). */
void kn_org_results(const kn_org *o, double values[KN_METRIC_COUNT]);
void kn_org_series(const kn_org *o, double *series);

/* Customer number id (0 <= id < n_cust) with all his traits drawn (they are drawn at
 * his first visit otherwise; models/customers.c); NULL if memory ran out. */
const kn_cust *kn_org_customer(kn_org *o, int32_t id);
/* The number of the active customer in position pos (< n_active). */
int32_t kn_org_active_id(const kn_org *o, size_t pos);

/* Record r (0 <= r < n_rec). */
static inline kn_cust *kn_rec(const kn_org *o, int32_t r)
{
    return &o->rec[(size_t)r >> KN_REC_BITS][(size_t)r & (KN_REC_CHUNK - 1)];
}

/* ---- the pure rules (equations.c; docs/model.md) -------------------------------------- */

/* Perceived quality of a visit, 0..1 (docs/model.md#quality). */
double kn_org_quality(const kn_scenario *sc, int resolved, double courtesy, double wait);
/* The same with its terms in parts: resolution, courtesy, wait, and the repeat penalty
 * (<= 0) of the attempt-th repeat; returns their sum, clipped at 0 (then the penalty is
 * what makes the sum 0). */
double kn_org_quality_parts(const kn_scenario *sc, int resolved, double courtesy, double wait,
                            int attempt, double parts[4]);

/* Courtesy an employee shows, 0..1: clip(0.5 + 0.5 morale - 0.3 exhaustion). */
double kn_org_courtesy(double morale, double exhaustion);

/* Time factor of work pressure wp: clip(wp^alpha, 0.5, 1.5) for wp >= 1 and
 * clip(wp^alpha_slack, 0.5, 1.5) below; 1 when wp <= 0. */
double kn_org_time_factor(double wp, double alpha, double alpha_slack);

/* Daily quit probability at exhaustion e and morale m (factor: the individual's quit
 * propensity, 1 on average). */
double kn_org_quit_probability(const kn_scenario *sc, double e, double m, double factor);

/* Multiplier of an abusive contact's hit on the employee under the policy (1 = full). */
double kn_org_abuse_moderation(const kn_scenario *sc);

/* Probability that an exploitative customer with `visits` past visits and payout
 * belief `belief` makes a claim on this visit. */
double kn_org_claim_probability(const kn_scenario *sc, double belief, uint32_t visits);

/* Probability that a customer of propensity p is abusive on a visit after `wait`
 * minutes, the repeat of an unresolved problem or not. */
double kn_org_abuse_probability(const kn_scenario *sc, double p, double wait, int repeat);

/* Probability that management upholds a complaint it does not investigate, from a
 * customer who was abusive on the visit or not. */
double kn_org_uphold_probability(const kn_scenario *sc, int abusive);

/* Probability of leaving after a visit at loyalty l. */
double kn_org_churn_probability(const kn_scenario *sc, double loyalty);

/* Expected new customers of a day: acquisition at the base's mean loyalty `mean_l`,
 * with `prospects` of `prospects0` still to win (prospects0 = INFINITY: an unlimited
 * market) and acquisition hit by `public_factor` (1: no incident in public). */
double kn_org_acquisition(const kn_scenario *sc, double mean_l, double prospects,
                          double prospects0, double public_factor);

#endif
