/* org.c - the organisation model: customers, employees, policy levers.
 * See org.h for the structure and docs/model.md for every equation and its source. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "org.h"

#define DAY 1440.0
#define WEEK_DAYS 7.0
#define YEAR_DAYS 365.0
#define LAST_DAYS 28.0       /* the "_end" metrics cover the last 28 days */
#define ENDED_TIME 0.3       /* an ended abusive contact takes 30 % of the usual time */
#define ENDED_HIT 0.5        /* and hits the employee half as hard */
#define RATING_REF 0.7       /* a rating above this counts in the employee's favour */
#define UNSERVED_COURTESY 0.5 /* an abandoned customer met nobody: neutral courtesy */

static double clip01(double x)
{
    return x < 0.0 ? 0.0 : x > 1.0 ? 1.0 : x;
}

static double sq(double x)
{
    return x * x;
}

/* ---- small pure rules (exported for tests) ------------------------------------ */

double kn_org_courtesy(double morale, double exhaustion)
{
    return clip01(0.5 + 0.5 * morale - 0.3 * exhaustion);
}

double kn_org_quality_parts(const kn_scenario *sc, int resolved, double courtesy, double wait,
                            double parts[3])
{
    parts[0] = 0.5 * (resolved ? 1.0 : 0.0);
    parts[1] = 0.3 * clip01(courtesy);
    parts[2] = 0.2 * exp(-(wait > 0.0 ? wait : 0.0) / sc->customers.wait_tolerance_minutes);
    return parts[0] + parts[1] + parts[2];
}

double kn_org_quality(const kn_scenario *sc, int resolved, double courtesy, double wait)
{
    double parts[3];
    return kn_org_quality_parts(sc, resolved, courtesy, wait, parts);
}

double kn_org_time_factor(double wp, double alpha, double alpha_slack)
{
    if (!(wp > 0.0))
        return 1.0;
    double f = pow(wp, wp >= 1.0 ? alpha : alpha_slack);
    return f < 0.5 ? 0.5 : f > 1.5 ? 1.5 : f;
}

double kn_org_quit_probability(const kn_scenario *sc, double e, double m)
{
    const double h = sc->employees.quit_base / YEAR_DAYS *
                     exp(sc->employees.quit_exhaustion * e + sc->employees.quit_morale * (1.0 - m));
    return 1.0 - exp(-h);
}

/* Effective boundary: staff may end an abusive contact, unless ratings make them
 * tolerate abuse. */
static double boundary(const kn_scenario *sc)
{
    return sc->policy.end_abusive_contact * (1.0 - sc->policy.rating_weight);
}

double kn_org_abuse_moderation(const kn_scenario *sc)
{
    return (1.0 - sc->employees.moderation_backing * sc->policy.backing) *
           (1.0 - sc->employees.moderation_autonomy * sc->policy.empowerment) *
           (1.0 - sc->employees.moderation_boundaries * boundary(sc));
}

double kn_org_claim_probability(const kn_scenario *sc, double belief, uint32_t visits)
{
    return sc->customers.claim_propensity * sc->policy.claim_ease * clip01(belief) /
           (1.0 + (double)visits / sc->customers.claim_relationship_visits);
}

static double morale_target(const kn_scenario *sc, double e)
{
    return clip01(sc->employees.morale_base - sc->employees.morale_exhaustion * e);
}

/* ---- accounting ----------------------------------------------------------------- */

/* The accumulators an event at time t counts in: its period, the window, the last
 * 28 days. Returns how many (0 past the horizon). */
static int accs(kn_org *o, double t, kn_org_acc *out[3])
{
    int n = 0;
    if (!(t >= 0.0) || t >= o->t_end)
        return 0;
    uint32_t k = (uint32_t)(t / o->period_len);
    out[n++] = &o->periods[k < o->n_periods ? k : o->n_periods - 1];
    if (t >= o->t_warmup)
        out[n++] = &o->win;
    if (t >= o->last_from)
        out[n++] = &o->last;
    return n;
}

#define ADD(o, t, field, x)                                                                    \
    do {                                                                                       \
        kn_org_acc *a_[3];                                                                     \
        int n_ = accs((o), (t), a_);                                                           \
        for (int i_ = 0; i_ < n_; i_++)                                                        \
            a_[i_]->field += (x);                                                              \
    } while (0)

/* ---- customers -------------------------------------------------------------------- */

/* Room for one more element in array p of *cap elements of `size` bytes, n of them in
 * use: p itself, or p moved to a doubled allocation; NULL on failure (p is kept). */
static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return p;
    size_t ncap = *cap ? *cap * 2 : 1024;
    void *q = realloc(p, ncap * size);
    if (q)
        *cap = ncap;
    return q;
}

static int add_customer(kn_org *o, double day)
{
    kn_cust *nc = grow(o->cust, &o->cap_cust, o->n_cust, sizeof *nc);
    if (!nc)
        return -1;
    o->cust = nc;
    int32_t *na = grow(o->active, &o->cap_active, o->n_active, sizeof *na);
    if (!na)
        return -1;
    o->active = na;
    const kn_scenario *sc = o->sc;
    kn_cust *c = &o->cust[o->n_cust];
    memset(c, 0, sizeof *c);
    double u = kn_rng_uniform(&o->rng_cust);
    c->type = u < sc->customers.mix_rude ? KN_RUDE
              : u < sc->customers.mix_rude + sc->customers.mix_exploitative ? KN_EXPLOITATIVE
                                                                             : KN_POLITE;
    c->value = sc->customers.value_per_visit <= 0.0 ? 0.0
               : o->value_sigma > 0.0 ? exp(o->value_mu + o->value_sigma * kn_rng_normal(&o->rng_cust))
                                    : sc->customers.value_per_visit;
    c->s = c->loyalty = sc->customers.initial_satisfaction;
    c->belief = sc->customers.claim_prior;
    c->joined = day;
    c->left = INFINITY;
    c->pos = (int32_t)o->n_active;
    o->active[o->n_active++] = (int32_t)o->n_cust;
    o->n_cust++;
    return c->type;
}

static void remove_customer(kn_org *o, int32_t id, double t, int banned)
{
    kn_cust *c = &o->cust[id];
    if (c->pos < 0)
        return;
    int32_t last = o->active[o->n_active - 1];
    o->active[c->pos] = last;
    o->cust[last].pos = c->pos;
    o->n_active--;
    c->pos = -1;
    c->left = t / DAY;
    c->banned = (uint8_t)banned;
    ADD(o, t, churned[c->type], 1.0);
    if (banned)
        ADD(o, t, banned, 1.0);
}

/* A recorded incident; ban at the policy's threshold. */
static void incident(kn_org *o, int32_t id, double t)
{
    if (id < 0)
        return;
    kn_cust *c = &o->cust[id];
    c->incidents++;
    int n = o->sc->policy.ban_after_incidents;
    if (o->effects && n > 0 && c->incidents >= (uint32_t)n && c->pos >= 0)
        remove_customer(o, id, t, 1);
}

static int32_t pick_customer(kn_org *o)
{
    if (o->n_active == 0)
        return -1;
    size_t i = (size_t)(kn_rng_uniform(&o->rng_id) * (double)o->n_active);
    return o->active[i < o->n_active ? i : o->n_active - 1];
}

/* ---- employees ---------------------------------------------------------------------- */

static void hire(kn_org *o, kn_emp *e, double skill)
{
    e->filled = 1;
    e->exhaustion = 0.0;
    e->morale = morale_target(o->sc, 0.0);
    e->skill = skill;
    e->resilience = o->resil_sigma > 0.0 ? exp(o->resil_mu + o->resil_sigma * kn_rng_normal(&o->rng_emp))
                                         : 1.0;
    e->vacant_until = 0.0;
}

/* Days off rotate over the week; sick days are drawn at the start of each day. */
static void schedule_day(kn_org *o, long day)
{
    const kn_scenario *sc = o->sc;
    for (int i = 0; i < o->n_pos; i++) {
        kn_emp *e = &o->emp[i];
        e->busy_today = 0.0;
        e->off_today = o->effects && (int)((day + i) % 7) >= sc->staff.days_per_week;
        double p = sc->employees.sick_base + sc->employees.sick_exhaustion * e->exhaustion;
        e->sick_today = o->effects && e->filled && !e->off_today && kn_rng_uniform(&o->rng_emp) < p;
    }
}

int kn_org_on_duty(const kn_org *o, int slot)
{
    const kn_emp *e = &o->emp[slot];
    return e->filled && !e->off_today && !e->sick_today;
}

static double spike(const kn_scenario *sc, long day)
{
    double d = (double)day;
    if (sc->spike.days > 0.0 && d >= sc->spike.start_day && d < sc->spike.start_day + sc->spike.days)
        return sc->spike.factor;
    return 1.0;
}

static double rate_scale(const kn_org *o, long day)
{
    if (!o->effects)
        return spike(o->sc, day);
    return (double)o->n_active / (double)o->base * spike(o->sc, day);
}

static void on_abandon(void *ctx, const kn_customer *cu, double now);

/* ---- set up ------------------------------------------------------------------------- */

kn_status kn_org_init(kn_org *o, const kn_scenario *sc, kn_desk *d, uint64_t scenario_stream,
                      uint64_t replication, kn_error *err)
{
    memset(o, 0, sizeof *o);
    if (sc->customers.base < 1)
        return kn_error_set(err, KN_EINVAL, "key 'customers.base': must be >= 1 for the organisation model");
    o->sc = sc;
    o->desk = d;
    o->effects = sc->effects != 0;
    o->base = sc->customers.base;
    o->n_pos = d->servers;
    uint64_t seed = sc->run.seed;
    kn_rng_init(&o->rng_id, seed, scenario_stream, replication, KN_SRC_IDENTITY);
    kn_rng_init(&o->rng_cust, seed, scenario_stream, replication, KN_SRC_CUSTOMER);
    kn_rng_init(&o->rng_enc, seed, scenario_stream, replication, KN_SRC_ENCOUNTER);
    kn_rng_init(&o->rng_pol, seed, scenario_stream, replication, KN_SRC_POLICY);
    kn_rng_init(&o->rng_emp, seed, scenario_stream, replication, KN_SRC_EMPLOYEE);
    double cv = sc->customers.value_cv;
    o->value_sigma = sqrt(log1p(cv * cv));
    o->value_mu = log(sc->customers.value_per_visit > 0.0 ? sc->customers.value_per_visit : 1.0) -
                  0.5 * o->value_sigma * o->value_sigma;
    cv = sc->employees.resilience_cv;
    o->resil_sigma = sqrt(log1p(cv * cv));
    o->resil_mu = -0.5 * o->resil_sigma * o->resil_sigma;

    o->open_minutes = 0.0;
    for (int h = 0; h < KN_HOURS_PER_DAY; h++)
        o->open_minutes += d->rate[h] > 0.0 ? 60.0 : 0.0;
    o->s0 = sc->service.mean_minutes;
    o->standard = o->s0;
    o->wp = 0.0;
    o->time_factor = 1.0;
    o->t_warmup = d->t_warmup;
    o->t_end = d->t_end;
    o->last_from = d->t_end - LAST_DAYS * DAY;
    if (o->last_from < d->t_warmup)
        o->last_from = d->t_warmup;
    o->period_len = d->period_len;
    o->n_periods = d->n_periods;
    o->periods = calloc(o->n_periods, sizeof *o->periods);
    o->emp = calloc((size_t)o->n_pos, sizeof *o->emp);
    if (!o->periods || !o->emp) {
        kn_org_free(o);
        return kn_error_set(err, KN_ENOMEM, "out of memory for the organisation");
    }
    for (int i = 0; i < o->n_pos; i++) {
        hire(o, &o->emp[i], 1.0); /* the initial staff are fully trained */
        o->emp[i].cust = -1;
    }
    /* the initial base has a history: past visits from an exponential tenure */
    double per_day = 0.0;
    for (int h = 0; h < KN_HOURS_PER_DAY; h++)
        per_day += d->rate[h] * 60.0;
    double visits_per_year = per_day * YEAR_DAYS / (double)o->base;
    for (int i = 0; i < o->base; i++) {
        if (add_customer(o, 0.0) < 0) {
            kn_org_free(o);
            return kn_error_set(err, KN_ENOMEM, "out of memory for %d customers", o->base);
        }
        double tenure = kn_rng_exponential(&o->rng_cust, 1.0) * sc->customers.initial_tenure_years;
        o->cust[o->n_cust - 1].visits = (uint32_t)fmin(1e9, floor(tenure * visits_per_year));
    }
    o->day = 0;
    o->day_end = DAY;
    schedule_day(o, 0);
    d->on_abandon = on_abandon;
    d->hook_ctx = o;
    if (kn_desk_new_epoch(d, DAY, rate_scale(o, 0)) < 0) {
        kn_org_free(o);
        return kn_error_set(err, KN_ENOMEM, "out of memory for the queue");
    }
    return KN_OK;
}

void kn_org_free(kn_org *o)
{
    if (!o)
        return;
    free(o->emp);
    free(o->cust);
    free(o->active);
    free(o->periods);
    o->emp = NULL;
    o->cust = NULL;
    o->active = NULL;
    o->periods = NULL;
}

/* ---- complaints and claims ---------------------------------------------------------- */

/* Management's answer to a complaint (legit = 1) or an opportunistic claim (0) about
 * a visit served by `slot` (-1: nobody, e.g. an abandoned call). s_prev and l_prev
 * are the customer's satisfaction and loyalty before the visit. */
static void handle_complaint(kn_org *o, int32_t id, int slot, int legit, int at_fault,
                             double s_prev, double l_prev, double t)
{
    const kn_scenario *sc = o->sc;
    kn_cust *c = &o->cust[id];
    if (legit)
        ADD(o, t, complaints, 1.0);
    else
        ADD(o, t, claims, 1.0);
    int investigated = kn_rng_uniform(&o->rng_pol) < sc->policy.investigate;
    int upheld = investigated ? legit : kn_rng_uniform(&o->rng_pol) < sc->policy.side_with_customer;
    double k = sc->customers.learning;
    if (upheld) {
        ADD(o, t, compensation, sc->policy.compensation);
        /* recovery: satisfaction above its earlier level, loyalty only restored */
        c->s = fmin(1.0, fmax(c->s, (legit ? s_prev : c->s) + sc->customers.recovery_bonus));
        if (legit)
            c->loyalty = fmax(c->loyalty, l_prev);
        if (slot >= 0) {
            kn_emp *e = &o->emp[slot];
            double hit = 0.0;
            if (!investigated && !at_fault)
                hit += sc->employees.morale_unbacked; /* blamed for what he did not cause */
            if ((!investigated || at_fault) && kn_rng_uniform(&o->rng_pol) < sc->policy.reprimand)
                hit += sc->employees.morale_reprimand * (at_fault ? 1.0 : 2.0);
            e->morale = clip01(e->morale - hit * e->resilience);
        }
    } else {
        c->s += k * (0.0 - c->s);
        c->loyalty += k * (0.0 - c->loyalty);
        if (investigated && slot >= 0) /* cleared by the facts */
            o->emp[slot].morale = clip01(o->emp[slot].morale + sc->employees.morale_backed);
        if (investigated && !legit)
            incident(o, id, t); /* a claim found to be false */
    }
    if (!legit)
        c->belief += sc->customers.claim_learning * ((upheld ? 1.0 : 0.0) - c->belief);
}

/* The customer side of a visit of perceived quality q. */
static void visit_outcome(kn_org *o, int32_t id, int slot, const double parts[3], int at_fault,
                          double t)
{
    const kn_scenario *sc = o->sc;
    double q = parts[0] + parts[1] + parts[2];
    kn_org_acc *acc[3];
    for (int i = 0, n = accs(o, t, acc); i < n; i++) { /* one lookup for the five sums */
        acc[i]->visits += 1.0;
        acc[i]->q_sum += q;
        acc[i]->q_res += parts[0];
        acc[i]->q_court += parts[1];
        acc[i]->q_wait += parts[2];
    }
    if (id < 0)
        return;
    kn_cust *c = &o->cust[id];
    double s_prev = c->s, l_prev = c->loyalty, k = sc->customers.learning;
    c->visits++;
    c->s += k * (q - c->s);
    c->loyalty += k * (q - c->loyalty);
    if (!o->effects)
        return;
    double qs = sc->customers.dissatisfied_below;
    if (q < qs) {
        double severity = (qs - q) / qs;
        double p = sc->customers.complain_min +
                   (sc->customers.complain_max - sc->customers.complain_min) * severity * severity;
        if (kn_rng_uniform(&o->rng_enc) < p)
            handle_complaint(o, id, slot, 1, at_fault, s_prev, l_prev, t);
    } else if (c->type == KN_EXPLOITATIVE &&
               kn_rng_uniform(&o->rng_enc) < kn_org_claim_probability(sc, c->belief, c->visits - 1)) {
        handle_complaint(o, id, slot, 0, 0, s_prev, l_prev, t);
    }
    if (c->pos < 0)
        return; /* banned */
    double churn = sc->customers.churn_base + sc->customers.churn_loyalty * sq(1.0 - c->loyalty);
    if (kn_rng_uniform(&o->rng_enc) < churn)
        remove_customer(o, id, t, 0);
}

static void on_abandon(void *ctx, const kn_customer *cu, double now)
{
    kn_org *o = ctx;
    o->arrivals_today++;
    double parts[3];
    kn_org_quality_parts(o->sc, 0, UNSERVED_COURTESY, cu->patience, parts);
    visit_outcome(o, pick_customer(o), -1, parts, 0, now);
}

/* ---- encounters --------------------------------------------------------------------- */

void kn_org_encounter_start(kn_org *o, int slot, kn_assignment *a)
{
    const kn_scenario *sc = o->sc;
    kn_emp *e = &o->emp[slot];
    o->arrivals_today++;
    e->cust = pick_customer(o);
    const kn_cust *c = e->cust >= 0 ? &o->cust[e->cust] : NULL;
    int rude = c && c->type == KN_RUDE;
    double need = a->c.service * (rude ? sc->customers.rude_service_factor : 1.0);
    e->need = need;
    e->abusive = rude && kn_rng_uniform(&o->rng_enc) < sc->customers.abuse_probability;
    e->defect = kn_rng_uniform(&o->rng_enc) < sc->work.defect_share;
    e->ended = 0;
    e->capped = 0;
    e->adequacy = 1.0;
    double duration = need;
    if (o->effects) {
        if (e->abusive && kn_rng_uniform(&o->rng_enc) < boundary(sc)) {
            e->ended = 1;
            duration = ENDED_TIME * need;
        } else {
            double effort = 1.0;
            if (c && sc->policy.effort_by_value > 0.0 && sc->customers.value_per_visit > 0.0) {
                effort = pow(c->value / sc->customers.value_per_visit, sc->policy.effort_by_value);
                effort = effort < 0.25 ? 0.25 : effort > 4.0 ? 4.0 : effort;
            }
            double allotted = need * (o->standard / o->s0) * o->time_factor * effort;
            double slowness = 1.0 + sc->staff.slow_when_new * (1.0 - e->skill);
            duration = allotted * slowness;
            if (sc->policy.minutes_cap > 0.0 && duration > sc->policy.minutes_cap) {
                duration = sc->policy.minutes_cap;
                e->capped = 1;
            }
            e->adequacy = fmin(1.0, duration / slowness / need);
        }
    }
    a->end = a->start + duration;
}

void kn_org_encounter_end(kn_org *o, int slot, const kn_assignment *a)
{
    const kn_scenario *sc = o->sc;
    kn_emp *e = &o->emp[slot];
    double t = a->end, wait = a->start - a->c.arrival;
    e->busy_today += a->end - a->start;
    ADD(o, t, busy, a->end - a->start);

    /* what the employee achieves (Brown & Lam 2008: morale acts only through this) */
    kn_cause cause = KN_CAUSE_NONE;
    if (e->ended)
        cause = KN_CAUSE_ENDED;
    else if (e->defect)
        cause = KN_CAUSE_DEFECT;
    else if (kn_rng_uniform(&o->rng_enc) < sc->work.authority_share * (1.0 - sc->policy.empowerment))
        cause = KN_CAUSE_AUTHORITY;
    else if (kn_rng_uniform(&o->rng_enc) >= e->adequacy)
        cause = e->capped ? KN_CAUSE_CAP : KN_CAUSE_EMPLOYEE;
    else if (kn_rng_uniform(&o->rng_enc) >=
             sc->work.base_resolution * sqrt(e->skill) * (0.7 + 0.3 * e->morale))
        cause = KN_CAUSE_EMPLOYEE;
    int resolved = cause == KN_CAUSE_NONE;
    double courtesy = kn_org_courtesy(e->morale, e->exhaustion);
    double parts[3];
    double q = kn_org_quality_parts(sc, resolved, courtesy, wait, parts);

    ADD(o, t, served, 1.0);
    ADD(o, t, resolved, resolved ? 1.0 : 0.0);
    if (!e->ended && e->cust >= 0)
        ADD(o, t, revenue, o->cust[e->cust].value);

    /* the employee side */
    if (e->abusive) {
        ADD(o, t, abusive, 1.0);
        if (o->effects) {
            double hit = kn_org_abuse_moderation(sc) * e->resilience * (e->ended ? ENDED_HIT : 1.0);
            e->exhaustion = clip01(e->exhaustion + sc->employees.abuse_exhaustion * hit);
            e->morale = clip01(e->morale - sc->employees.abuse_morale * hit);
        }
    }
    if (o->effects) {
        if (resolved)
            e->morale += sc->employees.morale_resolved;
        else if (cause == KN_CAUSE_DEFECT || cause == KN_CAUSE_AUTHORITY || cause == KN_CAUSE_CAP)
            e->morale -= sc->employees.morale_unresolved * e->resilience;
        e->morale += sc->policy.rating_weight * sc->employees.rating_effect * (q - RATING_REF);
        e->morale = clip01(e->morale);
    }

    /* the customer side */
    int32_t id = e->cust;
    visit_outcome(o, id, slot, parts, cause == KN_CAUSE_EMPLOYEE, t);
    if (e->abusive && o->effects && id >= 0 &&
        (e->ended || kn_rng_uniform(&o->rng_pol) < sc->policy.backing))
        incident(o, id, t); /* management records the abuse */
    e->cust = -1;
}

/* ---- the day boundary --------------------------------------------------------------- */

static long poisson(kn_rng *r, double mean)
{
    if (!(mean > 0.0))
        return 0;
    if (mean > 500.0) { /* normal approximation, far beyond the defaults */
        double x = mean + sqrt(mean) * kn_rng_normal(r);
        return x < 0.0 ? 0 : (long)floor(x + 0.5);
    }
    double l = exp(-mean), p = 1.0;
    long n = -1;
    do {
        n++;
        p *= kn_rng_uniform(r);
    } while (p > l);
    return n;
}

static int day_rules(kn_org *o)
{
    const kn_scenario *sc = o->sc;
    double t = o->day_end, t0 = t - DAY;
    int on_duty = 0, filled = 0;
    double msum = 0.0, esum = 0.0, burn = 0.0;

    /* employees: the day's strain and the night's recovery (JD-R; Homer 1985) */
    for (int i = 0; i < o->n_pos; i++) {
        kn_emp *e = &o->emp[i];
        if (!e->filled)
            continue;
        filled++;
        int worked = !e->off_today && !e->sick_today;
        if (!e->off_today)
            ADD(o, t0, scheduled_days, 1.0);
        if (e->sick_today)
            ADD(o, t0, sick_days, 1.0);
        if (worked) {
            on_duty++;
            ADD(o, t0, work_days, 1.0);
        }
        if (o->effects) {
            if (worked) {
                double u = o->open_minutes > 0.0 ? e->busy_today / o->open_minutes : 0.0;
                double over = u - sc->employees.workload_threshold;
                e->exhaustion += sc->employees.workload_exhaustion * (over > 0.0 ? over : 0.0) * e->resilience;
                e->exhaustion -= sc->employees.recovery * e->exhaustion;
                e->skill = fmin(1.0, e->skill + (1.0 - sc->staff.new_hire_skill) / sc->staff.ramp_days *
                                                    (1.0 + sc->policy.training));
            } else {
                e->exhaustion -= sc->employees.recovery_day_off * e->exhaustion;
            }
            e->exhaustion = clip01(e->exhaustion);
            e->morale = clip01(e->morale + sc->employees.morale_adjust *
                                               (morale_target(sc, e->exhaustion) - e->morale));
        }
        msum += e->morale;
        esum += e->exhaustion;
        burn += e->exhaustion > sc->employees.burnout_threshold;
    }

    /* the day's snapshot */
    double ssum = 0.0, lsum = 0.0;
    for (size_t j = 0; j < o->n_active; j++) {
        ssum += o->cust[o->active[j]].s;
        lsum += o->cust[o->active[j]].loyalty;
    }
    ADD(o, t0, days, 1.0);
    ADD(o, t0, active_sum, (double)o->n_active);
    ADD(o, t0, sat_sum, o->n_active ? ssum / (double)o->n_active : NAN);
    ADD(o, t0, head_sum, (double)filled);
    ADD(o, t0, vac_sum, (double)(o->n_pos - filled));
    ADD(o, t0, morale_sum, msum);
    ADD(o, t0, exh_sum, esum);
    ADD(o, t0, burnout_sum, burn);
    ADD(o, t0, emp_days, (double)filled);
    ADD(o, t0, wages, (double)filled * sc->staff.wage_per_day);

    /* quits and hires */
    for (int i = 0; i < o->n_pos && o->effects; i++) {
        kn_emp *e = &o->emp[i];
        if (e->filled) {
            if (kn_rng_uniform(&o->rng_emp) < kn_org_quit_probability(sc, e->exhaustion, e->morale)) {
                e->filled = 0;
                e->vacant_until = t + sc->staff.hiring_delay_days * DAY;
                ADD(o, t0, quits, 1.0);
            }
        } else if (e->vacant_until <= t + 1e-9) {
            hire(o, e, sc->staff.new_hire_skill);
            ADD(o, t0, hires, 1.0);
            ADD(o, t0, hiring, sc->staff.hiring_cost_days * sc->staff.wage_per_day);
        }
    }

    /* work pressure and the service standard (Oliva & Sterman 2001) */
    if (o->effects) {
        double capacity = (double)on_duty * o->open_minutes * sc->work.planned_utilisation;
        double wp_day = capacity > 0.0 ? (double)o->arrivals_today * o->standard / capacity
                                       : (o->arrivals_today ? 2.0 : 0.0);
        if (o->wp == 0.0)
            o->wp = wp_day;
        else
            o->wp += (wp_day - o->wp) / sc->work.pressure_days;
        o->time_factor = kn_org_time_factor(o->wp, sc->work.pressure_elasticity, sc->work.slack_elasticity);
        double practice = o->standard * o->time_factor;
        double tau = (practice < o->standard ? sc->work.erosion_weeks : sc->work.restore_weeks) * WEEK_DAYS;
        o->standard += (practice - o->standard) / tau;
    }
    ADD(o, t0, wp_sum, o->wp);
    {
        kn_org_acc *a[3];
        int n = accs(o, t0, a);
        for (int i = 0; i < n; i++)
            a[i]->standard_end = o->standard;
    }

    /* word of mouth: new customers follow the base's loyalty (not satisfaction, which a
     * recovery can lift: de Matos et al. 2007 find no recovery paradox for word of mouth) */
    if (o->effects && o->n_active > 0) {
        double mean_l = lsum / (double)o->n_active;
        double expect = sc->customers.acquisition_per_day * (double)o->base *
                        exp(sc->customers.word_of_mouth * (mean_l - sc->customers.initial_satisfaction));
        long n = poisson(&o->rng_cust, expect);
        for (long i = 0; i < n; i++) {
            int type = add_customer(o, t / DAY);
            if (type < 0)
                return -1;
            ADD(o, t, new_c[type], 1.0);
        }
    }

    /* the next day */
    o->day++;
    o->day_end += DAY;
    o->arrivals_today = 0;
    schedule_day(o, o->day);
    return kn_desk_new_epoch(o->desk, o->day_end, rate_scale(o, o->day));
}

int kn_org_advance(kn_org *o, double t)
{
    while (o->day_end <= t + 1e-9 && o->day_end <= o->t_end + 1e-9)
        if (day_rules(o) < 0) {
            o->failed = 1;
            return -1;
        }
    return 0;
}

/* ---- results ------------------------------------------------------------------------ */

static double ratio(double num, double den)
{
    return den > 0.0 ? num / den : NAN;
}

/* Share of the customers active at day a still active at day b. */
static double survival(const kn_org *o, double a, double b)
{
    double n = 0.0, k = 0.0;
    for (size_t i = 0; i < o->n_cust; i++) {
        const kn_cust *c = &o->cust[i];
        if (c->joined <= a && c->left > a) {
            n += 1.0;
            k += c->left > b;
        }
    }
    return ratio(k, n);
}

static double retention(const kn_org *o)
{
    double w = o->t_warmup / DAY, end = o->t_end / DAY;
    double sum = 0.0;
    int years = 0;
    for (double y = w; y + YEAR_DAYS <= end + 1e-9; y += YEAR_DAYS) {
        sum += survival(o, y, y + YEAR_DAYS);
        years++;
    }
    if (years)
        return sum / years;
    return pow(survival(o, w, end), YEAR_DAYS / (end - w)); /* annualised */
}

static void fill(const kn_org *o, const kn_org_acc *a, double *v, double days)
{
    double weeks = days / WEEK_DAYS;
    v[KN_M_SERVICE_QUALITY] = ratio(a->q_sum, a->visits);
    v[KN_M_FIRST_CONTACT_RESOLUTION] = ratio(a->resolved, a->served);
    v[KN_M_SATISFACTION] = ratio(a->sat_sum, a->days);
    v[KN_M_COMPLAINTS_PER_WEEK] = ratio(a->complaints, weeks);
    v[KN_M_EXPLOITATIVE_CLAIMS_PER_WEEK] = ratio(a->claims, weeks);
    v[KN_M_COMPENSATION_COST] = ratio(a->compensation, weeks);
    v[KN_M_REVENUE] = ratio(a->revenue, weeks);
    v[KN_M_PROFIT] = ratio(a->revenue - a->wages - a->hiring - a->compensation, weeks);
    v[KN_M_ACTIVE_CUSTOMERS] = ratio(a->active_sum, a->days);
    v[KN_M_NEW_CUSTOMERS_PER_WEEK] = ratio(a->new_c[0] + a->new_c[1] + a->new_c[2], weeks);
    v[KN_M_CHURNED_CUSTOMERS_PER_WEEK] = ratio(a->churned[0] + a->churned[1] + a->churned[2], weeks);
    v[KN_M_BANNED_CUSTOMERS_PER_WEEK] = ratio(a->banned, weeks);
    v[KN_M_HEADCOUNT] = ratio(a->head_sum, a->days);
    v[KN_M_VACANCIES] = ratio(a->vac_sum, a->days);
    v[KN_M_STAFF_TURNOVER] = ratio(ratio(a->quits, days / YEAR_DAYS), ratio(a->head_sum, a->days));
    v[KN_M_MEAN_MORALE] = ratio(a->morale_sum, a->emp_days);
    v[KN_M_MEAN_EXHAUSTION] = ratio(a->exh_sum, a->emp_days);
    v[KN_M_BURNOUT_SHARE] = ratio(a->burnout_sum, a->emp_days);
    v[KN_M_SICK_SHARE] = ratio(a->sick_days, a->scheduled_days);
    v[KN_M_ABUSIVE_CONTACTS] = ratio(a->abusive, a->work_days);
    v[KN_M_WORK_PRESSURE] = ratio(a->wp_sum, a->days);
    v[KN_M_UTILIZATION] = ratio(a->busy, a->work_days * o->open_minutes);
    v[KN_M_STANDARD_MINUTES] = a->days > 0.0 ? a->standard_end : NAN;
    v[KN_M_QUALITY_FROM_RESOLUTION] = ratio(a->q_res, a->visits);
    v[KN_M_QUALITY_FROM_COURTESY] = ratio(a->q_court, a->visits);
    v[KN_M_QUALITY_FROM_WAIT] = ratio(a->q_wait, a->visits);
    v[KN_M_STAFF_COST] = ratio(a->wages + a->hiring, weeks);
}

void kn_org_results(const kn_org *o, double values[KN_METRIC_COUNT])
{
    double v[KN_METRIC_COUNT];
    for (int m = 0; m < KN_METRIC_COUNT; m++)
        v[m] = NAN;
    fill(o, &o->win, v, (o->t_end - o->t_warmup) / DAY);
    for (int m = KN_M_ORG_FIRST; m <= KN_M_STANDARD_MINUTES; m++)
        values[m] = v[m];
    values[KN_M_UTILIZATION] = v[KN_M_UTILIZATION]; /* of working employees in open hours */
    values[KN_M_RETENTION] = retention(o);
    for (int m = KN_M_QUALITY_FROM_RESOLUTION; m <= KN_M_STAFF_COST; m++)
        values[m] = v[m];
    fill(o, &o->last, v, (o->t_end - o->last_from) / DAY);
    values[KN_M_SERVICE_QUALITY_END] = v[KN_M_SERVICE_QUALITY];
    values[KN_M_SATISFACTION_END] = v[KN_M_SATISFACTION];
    values[KN_M_ACTIVE_CUSTOMERS_END] = v[KN_M_ACTIVE_CUSTOMERS];
    values[KN_M_HEADCOUNT_END] = v[KN_M_HEADCOUNT];
    values[KN_M_MEAN_MORALE_END] = v[KN_M_MEAN_MORALE];
    values[KN_M_MEAN_EXHAUSTION_END] = v[KN_M_MEAN_EXHAUSTION];
}

void kn_org_series(const kn_org *o, double *series)
{
    uint32_t n = o->n_periods;
    for (uint32_t k = 0; k < n; k++) {
        const kn_org_acc *a = &o->periods[k];
        double t0 = (double)k * o->period_len;
        double t1 = k + 1 == n ? o->t_end : t0 + o->period_len;
        double days = (t1 - t0) / DAY;
        double v[KN_METRIC_COUNT];
        fill(o, a, v, days);
#define S(row) series[(size_t)(row) * n + k]
        S(KN_S_UTILIZATION) = v[KN_M_UTILIZATION];
        S(KN_S_ACTIVE_CUSTOMERS) = v[KN_M_ACTIVE_CUSTOMERS];
        S(KN_S_NEW_CUSTOMERS) = a->new_c[0] + a->new_c[1] + a->new_c[2];
        S(KN_S_CHURNED_CUSTOMERS) = a->churned[0] + a->churned[1] + a->churned[2];
        S(KN_S_NEW_POLITE) = a->new_c[KN_POLITE];
        S(KN_S_NEW_RUDE) = a->new_c[KN_RUDE];
        S(KN_S_NEW_EXPLOITATIVE) = a->new_c[KN_EXPLOITATIVE];
        S(KN_S_CHURNED_POLITE) = a->churned[KN_POLITE];
        S(KN_S_CHURNED_RUDE) = a->churned[KN_RUDE];
        S(KN_S_CHURNED_EXPLOITATIVE) = a->churned[KN_EXPLOITATIVE];
        S(KN_S_BANNED_CUSTOMERS) = a->banned;
        double surv = survival(o, t0 / DAY, t1 / DAY);
        S(KN_S_RETENTION) = days > 0.0 ? pow(surv, YEAR_DAYS / days) : NAN;
        S(KN_S_SATISFACTION) = v[KN_M_SATISFACTION];
        S(KN_S_SERVICE_QUALITY) = v[KN_M_SERVICE_QUALITY];
        S(KN_S_FIRST_CONTACT_RESOLUTION) = v[KN_M_FIRST_CONTACT_RESOLUTION];
        S(KN_S_COMPLAINTS) = a->complaints;
        S(KN_S_EXPLOITATIVE_CLAIMS) = a->claims;
        S(KN_S_COMPENSATION_COST) = a->compensation;
        S(KN_S_REVENUE) = a->revenue;
        S(KN_S_PROFIT) = a->revenue - a->wages - a->hiring - a->compensation;
        S(KN_S_HEADCOUNT) = v[KN_M_HEADCOUNT];
        S(KN_S_VACANCIES) = v[KN_M_VACANCIES];
        S(KN_S_QUITS) = a->quits;
        S(KN_S_STAFF_TURNOVER) = v[KN_M_STAFF_TURNOVER];
        S(KN_S_MEAN_MORALE) = v[KN_M_MEAN_MORALE];
        S(KN_S_MEAN_EXHAUSTION) = v[KN_M_MEAN_EXHAUSTION];
        S(KN_S_BURNOUT_SHARE) = v[KN_M_BURNOUT_SHARE];
        S(KN_S_SICK_SHARE) = v[KN_M_SICK_SHARE];
        S(KN_S_ABUSIVE_CONTACTS) = v[KN_M_ABUSIVE_CONTACTS];
        S(KN_S_WORK_PRESSURE) = v[KN_M_WORK_PRESSURE];
        S(KN_S_STANDARD_MINUTES) = v[KN_M_STANDARD_MINUTES];
#undef S
    }
}
