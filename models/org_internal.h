/* org_internal.h - what the parts of the organisation model share; not installed.
 *
 * The model (org.h) is one kn_org split over files, each one seam of docs/model.md:
 *   equations.c  pure functions of state: courtesy, quality, time factor, quit, claim,
 *                abuse, uphold and churn probabilities, acquisition, abuse moderation;
 *   customers.c  the customer base: add, remove, pick, traits, a visit's outcome
 *                (learning, complaint, claim, churn, repeat, retention offer), bans;
 *   encounter.c  a service: its start (kind of contact, duration), its end (resolution,
 *                quality, gestures, the employee's side), complaint handling, arrivals
 *                and abandonments seen by the desk;
 *   workforce.c  employees: hires and training, schedules and sick days, the day's
 *                strain and the night's recovery, morale, quits, the staffing rule, work
 *                pressure and the standard;
 *   market.c     acquisition from a finite market, a rival, word of mouth and backlash,
 *                incidents in public, customers won back;
 *   defects.c    recurring defects, root-cause reports and fixes;
 *   accounts.c   accumulators, the metrics and time series of a run, retention;
 *   org.c        setting up, the day boundary in order, investigations that come due.
 */
#ifndef KONING_ORG_INTERNAL_H
#define KONING_ORG_INTERNAL_H

#include <math.h>
#include "org.h"

#define DAY 1440.0
#define WEEK_DAYS 7.0
#define YEAR_DAYS 365.0
#define LAST_DAYS 28.0       /* the "_end" metrics cover the last 28 days */
#define ENDED_TIME 0.3       /* an ended abusive contact takes 30 % of the usual time */
#define ENDED_HIT 0.5        /* and hits the employee half as hard */
#define RATING_REF 0.7       /* a rating above this counts in the employee's favour */
#define UNSERVED_COURTESY 0.5 /* an abandoned customer met nobody: neutral courtesy */

static inline double kn_clip01(double x)
{
    return x < 0.0 ? 0.0 : x > 1.0 ? 1.0 : x;
}

static inline double kn_sq(double x)
{
    return x * x;
}

/* ---- equations.c ------------------------------------------------------------------ */

/* Effective boundary: staff may end an abusive contact, unless ratings make them
 * tolerate abuse. */
double kn_org_boundary(const kn_scenario *sc);
/* The morale an employee drifts toward at exhaustion e (before his own shift). */
double kn_org_morale_target(const kn_scenario *sc, double e);

/* ---- accounts.c ------------------------------------------------------------------- */

/* The accumulators an event at time t counts in: its period, the window, the last
 * 28 days. Returns how many (0 past the horizon). */
int kn_org_accs(kn_org *o, double t, kn_org_acc *out[3]);
/* The active customers were at risk of leaving from the last call up to t: add their
 * customer-days to every accumulator the span overlaps (exactly, period by period).
 * Call before every change of the active customers. */
void kn_org_risk(kn_org *o, double t);

#define KN_ADD(o, t, field, x)                                                                 \
    do {                                                                                       \
        kn_org_acc *a_[3];                                                                     \
        int n_ = kn_org_accs((o), (t), a_);                                                    \
        for (int i_ = 0; i_ < n_; i_++)                                                        \
            a_[i_]->field += (x);                                                              \
    } while (0)

/* ---- customers.c ------------------------------------------------------------------ */

/* Room for one more element in the big array p (bigarray.h) of *cap elements of `size`
 * bytes, n of them in use: p itself, or p grown to twice the capacity (it may move);
 * NULL on failure (p is kept). */
void *kn_grow(void *p, size_t *cap, size_t n, size_t size);
/* A valuable customer (Fader): value at least policy.priority_value times the mean. */
static inline int kn_cust_valuable(const kn_scenario *sc, const kn_cust *c)
{
    return sc->customers.value_per_visit > 0.0 &&
           c->value >= sc->policy.priority_value * sc->customers.value_per_visit;
}
/* Record r with his traits drawn (kn_org_customer, writable). */
kn_cust *kn_cust_ready(kn_org *o, int32_t r);
/* A newcomer who joined on `day`: a new person (twin < 0) or the former customer of
 * record twin won back. Returns his type, -1 on allocation failure. */
int kn_cust_add(kn_org *o, double day, int32_t twin);
/* The customer of record r leaves (banned or not) at time t. */
void kn_cust_remove(kn_org *o, int32_t r, double t, int banned);
/* A recorded incident against the customer of record r; a ban at the policy's
 * threshold. */
void kn_cust_incident(kn_org *o, int32_t r, double t);
/* The record of the customer of a fresh visit, drawn uniformly from the active ones; -1
 * if there is none (or memory ran out: o->failed). */
int32_t kn_cust_pick(kn_org *o);
/* The customer side of contact cu (its customer: cu->who, -1: anonymous), of perceived
 * quality parts[0..3], served by `slot` (-1: nobody, he abandoned) after `wait`
 * minutes: learning, complaint or claim, churn, a retention offer. `abusive`: he was
 * abusive; `defect`: the problem was a recurring defect. */
void kn_cust_visit(kn_org *o, const kn_customer *cu, int slot, const double parts[4],
                   int at_fault, int abusive, int defect, double wait, double t);
/* The need of contact c (served unresolved, or abandoned) comes back, if the customer
 * tries again: a repeat contact scheduled on the desk. -1 on allocation failure. */
int kn_cust_repeat(kn_org *o, const kn_customer *c, uint8_t kind, double t);
/* Set customer c's satisfaction and loyalty, keeping the sums over the active
 * customers (kn_org.s_sum, l_sum) in step. Every change of s or loyalty goes here. */
static inline void kn_cust_set(kn_org *o, kn_cust *c, double s, double loyalty)
{
    if (c->pos >= 0) {
        o->s_sum += s - c->s;
        o->l_sum += loyalty - c->loyalty;
    }
    c->s = s;
    c->loyalty = loyalty;
}

/* ---- workforce.c ------------------------------------------------------------------ */

/* What the day's strain rule saw of the staff (filled positions only). */
typedef struct kn_staff_tally {
    int filled, on_duty, open, vacant; /* open: budgeted positions; vacant: open, unfilled */
    double morale, exhaustion, burnout; /* sums */
} kn_staff_tally;

/* Fill position e with a new employee of this skill; `trained`: the initial staff,
 * who need no class. */
void kn_staff_hire(kn_org *o, kn_emp *e, double skill, int trained);
/* Who is off, in class and sick on `day`. */
void kn_staff_schedule(kn_org *o, long day);
/* The day that began at t0 ends: strain, recovery, skill and morale of every employee;
 * the tally of the staff. */
void kn_staff_day(kn_org *o, double t0, kn_staff_tally *tally);
/* Quits, hires and the staffing rule at midnight t (the day began at t0). */
void kn_staff_turnover(kn_org *o, double t, double t0);
/* Work pressure of the day and the service standard (Oliva & Sterman 2001). */
void kn_staff_pressure(kn_org *o, int on_duty, double t0);

/* ---- encounter.c ------------------------------------------------------------------ */

/* Management's answer to a complaint (legit = 1) or an opportunistic claim (0) made at
 * time t about a visit served by `slot` (-1: nobody). */
void kn_org_complaint(kn_org *o, int32_t id, int slot, int legit, int at_fault, int abusive,
                      int defect, double s_prev, double l_prev, double t);
/* An investigated complaint comes due: the decision and its effects. */
void kn_org_decide(kn_org *o, const kn_pending *p, double t);
/* The desk's hooks: a customer generated (who he is, his class); a customer found to
 * have abandoned at `now`. */
int kn_org_on_arrive(void *ctx, kn_customer *c);
void kn_org_on_abandon(void *ctx, const kn_customer *cu, double now);
/* The desk's question before a service: is customer c still one of ours? */
int kn_org_present(void *ctx, const kn_customer *c);

/* ---- market.c --------------------------------------------------------------------- */

/* What a customer tells others about. */
typedef enum kn_word {
    KN_WORD_PRAISE,   /* his complaint was upheld */
    KN_WORD_REJECTED, /* his complaint or claim was rejected */
    KN_WORD_CUT_OFF,  /* staff ended his contact or answered him uncivilly */
    KN_WORD_BANNED    /* he was banned */
} kn_word;
/* Word of mouth at time t, and for a cut-off or a ban the chance that the incident goes
 * public. */
void kn_market_word(kn_org *o, kn_word what, double t);
/* The day's new customers at midnight t (minutes), from the loyalty sum of the active
 * customers. -1 on allocation failure. */
int kn_market_acquire(kn_org *o, double t, double l_sum);
/* A customer who left (not banned) joins the rival's customers, who may come back. -1
 * on allocation failure. */
int kn_market_lost(kn_org *o, int32_t id);

/* ---- defects.c -------------------------------------------------------------------- */

/* The share of contacts about a recurring defect now. */
double kn_defect_share(const kn_org *o);
/* A root-cause report: a complaint about a defect, or staff reporting one. */
void kn_defect_report(kn_org *o);
/* Midnight of day `day` (the day began at t0): reports acted on, fixes that come due,
 * new defects. */
void kn_defect_day(kn_org *o, long day, double t0);

#endif
