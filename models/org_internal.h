/* org_internal.h - what the parts of the organisation model share; not installed.
 *
 * The model (org.h) is one kn_org split over six files, each one seam of docs/model.md:
 *   equations.c  pure functions of state: courtesy, quality, time factor, quit and
 *                claim probabilities, abuse moderation, the effective boundary;
 *   customers.c  the customer base: add, remove, pick, a visit's outcome (learning,
 *                complaint, claim, churn), incidents and bans, word of mouth;
 *   workforce.c  employees: hires, schedules and sick days, the day's strain and the
 *                night's recovery, morale, quits, work pressure and the standard;
 *   encounter.c  a service: its start (duration), its end (resolution, quality, the
 *                employee's side), complaint handling, abandoned visits;
 *   accounts.c   accumulators, the metrics and time series of a run, retention;
 *   org.c        setting up, the day boundary in order, advancing time.
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
/* The morale an employee drifts toward at exhaustion e. */
double kn_org_morale_target(const kn_scenario *sc, double e);

/* ---- accounts.c ------------------------------------------------------------------- */

/* The accumulators an event at time t counts in: its period, the window, the last
 * 28 days. Returns how many (0 past the horizon). */
int kn_org_accs(kn_org *o, double t, kn_org_acc *out[3]);

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
/* Customer id, made if he is a customer of the initial base not needed until now
 * (active since day 0, at the initial satisfaction and loyalty, in position id). */
void kn_cust_make(kn_org *o, int32_t id);
static inline kn_cust *kn_cust_at(kn_org *o, int32_t id)
{
    kn_cust *c = &o->cust[id];
    if (!c->made)
        kn_cust_make(o, id);
    return c;
}

/* A newcomer who joined on `day`; returns his type, -1 on allocation failure. */
int kn_cust_add(kn_org *o, double day);
/* Customer id leaves (banned or not) at time t. */
void kn_cust_remove(kn_org *o, int32_t id, double t, int banned);
/* A recorded incident against customer id; a ban at the policy's threshold. */
void kn_cust_incident(kn_org *o, int32_t id, double t);
/* The customer of a visit: uniform over the active ones, -1 if there is none. */
int32_t kn_cust_pick(kn_org *o);

/* The customer side of a visit of perceived quality parts[0..2] served by `slot` (-1:
 * nobody): learning, complaint or claim, churn. */
void kn_cust_visit(kn_org *o, int32_t id, int slot, const double parts[3], int at_fault,
                   double t);
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
/* Word of mouth at midnight t (minutes), from the loyalty sum of the active customers.
 * -1 on allocation failure. */
int kn_cust_acquire(kn_org *o, double t, double l_sum);

/* ---- workforce.c ------------------------------------------------------------------ */

/* What the day's strain rule saw of the staff (filled positions only). */
typedef struct kn_staff_tally {
    int filled, on_duty;
    double morale, exhaustion, burnout; /* sums */
} kn_staff_tally;

/* Fill position e with a new employee of this skill. */
void kn_staff_hire(kn_org *o, kn_emp *e, double skill);
/* Who is off and who is sick on `day`. */
void kn_staff_schedule(kn_org *o, long day);
/* The day that began at t0 ends: strain, recovery, skill and morale of every employee;
 * the tally of the staff. */
void kn_staff_day(kn_org *o, double t0, kn_staff_tally *tally);
/* Quits and hires at midnight t (the day began at t0). */
void kn_staff_turnover(kn_org *o, double t, double t0);
/* Work pressure of the day and the service standard (Oliva & Sterman 2001). */
void kn_staff_pressure(kn_org *o, int on_duty, double t0);

/* ---- encounter.c ------------------------------------------------------------------ */

/* Management's answer to a complaint (legit = 1) or an opportunistic claim (0). */
void kn_org_complaint(kn_org *o, int32_t id, int slot, int legit, int at_fault,
                      double s_prev, double l_prev, double t);
/* The desk's hook: a customer found to have abandoned at `now`. */
void kn_org_on_abandon(void *ctx, const kn_customer *cu, double now);

#endif
