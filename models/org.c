/* org.c - the organisation model: setting it up (with the organisation effect of the
 * replication), and the day boundary in its order (employees' day, the snapshot,
 * investigations that come due, quits, hires and the staffing rule, work pressure,
 * defects and their fixes, acquisition, the next day's schedule and arrival rate). See
 * org.h for the structure, org_internal.h for the parts and docs/model.md for every
 * equation and its source. */
#include <stdlib.h>
#include <string.h>
#include "bigarray.h"
#include "org_internal.h"

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

/* The organisation effect (run.org_effect_sd = sigma): organisations differ in their
 * customers, products, market and people, not only in policy. Each replication draws
 * one lognormal factor of mean 1 per magnitude below, from a stream of the replication
 * alone (scenario stream 0), so that every policy compared on common random numbers
 * runs in the same organisation. */
static void organisation_effect(kn_scenario *sc, uint64_t replication)
{
    double sigma = sc->run.org_effect_sd;
    if (!(sigma > 0.0))
        return;
    kn_rng r;
    kn_rng_init(&r, sc->run.seed, 0, replication, KN_SRC_ORG);
    double *const which[] = {&sc->customers.mix_rude, &sc->work.defect_share,
                             &sc->customers.word_of_mouth, &sc->employees.quit_base,
                             &sc->work.authority_share, &sc->customers.churn_base};
    for (size_t i = 0; i < sizeof which / sizeof which[0]; i++)
        *which[i] *= exp(sigma * kn_rng_normal(&r) - 0.5 * sigma * sigma);
    sc->customers.mix_rude = fmin(sc->customers.mix_rude, 1.0 - sc->customers.mix_exploitative);
    sc->work.defect_share = fmin(sc->work.defect_share, 1.0);
    sc->work.authority_share = fmin(sc->work.authority_share, 1.0);
    sc->customers.churn_base = fmin(sc->customers.churn_base, 1.0);
}

kn_status kn_org_init(kn_org *o, const kn_scenario *sc, kn_desk *d, uint64_t scenario_stream,
                      uint64_t replication, kn_error *err)
{
    memset(o, 0, sizeof *o);
    if (sc->customers.base < 1)
        return kn_error_set(err, KN_EINVAL, "key 'customers.base': must be >= 1 for the organisation model");
    o->eff = *sc;
    organisation_effect(&o->eff, replication);
    /* the status quo's levers until the switch, then the scenario's own */
    o->switch_day = (long)sc->start.days;
    o->policy_after = sc->policy;
    if (o->switch_day > 0)
        o->eff.policy = sc->start.policy;
    sc = o->sc = &o->eff;
    o->desk = d;
    o->effects = sc->effects != 0;
    o->base = sc->customers.base;
    /* positions: those the budget may ever open under a staffing rule */
    o->n_pos = sc->staff.rule > 0 && sc->staff.max_employees > sc->staff.employees
                   ? sc->staff.max_employees : sc->staff.employees;
    o->budget = sc->staff.employees;
    d->servers = o->n_pos;
    uint64_t seed = sc->run.seed;
    kn_rng_init(&o->rng_id, seed, scenario_stream, replication, KN_SRC_IDENTITY);
    kn_rng_init(&o->rng_cust, seed, scenario_stream, replication, KN_SRC_CUSTOMER);
    kn_rng_init(&o->rng_enc, seed, scenario_stream, replication, KN_SRC_ENCOUNTER);
    kn_rng_init(&o->rng_pol, seed, scenario_stream, replication, KN_SRC_POLICY);
    kn_rng_init(&o->rng_emp, seed, scenario_stream, replication, KN_SRC_EMPLOYEE);
    kn_rng_init(&o->rng_traits, seed, scenario_stream, replication, KN_SRC_TRAITS);
    kn_rng_init(&o->rng_market, seed, scenario_stream, replication, KN_SRC_MARKET);
    kn_rng_init(&o->rng_repeat, seed, scenario_stream, replication, KN_SRC_REPEAT);
    kn_rng_init(&o->rng_repeat_pat, seed, scenario_stream, replication, KN_SRC_REPEAT_PATIENCE);
    double cv = sc->customers.value_cv;
    o->value_sigma = sqrt(log1p(cv * cv));
    o->value_mu = -0.5 * o->value_sigma * o->value_sigma; /* a factor of mean 1 */
    cv = sc->employees.resilience_cv;
    o->resil_sigma = sqrt(log1p(cv * cv));
    o->resil_mu = -0.5 * o->resil_sigma * o->resil_sigma;

    o->open_minutes = 0.0;
    double per_day = 0.0;
    for (int h = 0; h < KN_HOURS_PER_DAY; h++) {
        o->open_minutes += d->rate[h] > 0.0 ? 60.0 : 0.0;
        per_day += d->rate[h] * 60.0;
        o->hour_cdf[h] = per_day;
    }
    for (int h = 0; h < KN_HOURS_PER_DAY; h++)
        o->hour_cdf[h] /= per_day;
    o->s0 = sc->service.mean_minutes;
    o->standard = o->s0;
    o->wp = 0.0;
    o->time_factor = 1.0;
    o->market = sc->market.size_factor > 0.0 ? sc->market.size_factor * (double)o->base : INFINITY;
    o->defects = 1.0;
    o->n_fixes = (size_t)ceil(sc->work.fix_delay_days) + 1;
    o->origin = d->origin;
    o->t_warmup = d->t_warmup;
    o->t_end = d->t_end;
    o->last_from = d->t_end - LAST_DAYS * DAY;
    if (o->last_from < d->t_warmup)
        o->last_from = d->t_warmup;
    o->period_len = d->period_len;
    o->n_periods = d->n_periods;
    o->periods = calloc(o->n_periods, sizeof *o->periods);

    o->emp = calloc((size_t)o->n_pos, sizeof *o->emp);
    o->fixes = malloc(o->n_fixes * sizeof *o->fixes);
    if (!o->periods || !o->emp || !o->fixes) {
        kn_org_free(o);
        return kn_error_set(err, KN_ENOMEM, "out of memory for the organisation");
    }
    for (size_t i = 0; i < o->n_fixes; i++)
        o->fixes[i] = 1.0;
    for (int i = 0; i < o->n_pos; i++) {
        kn_emp *e = &o->emp[i];
        e->cust = -1;
        e->open = i < o->budget;
        if (e->open)
            kn_staff_hire(o, e, 1.0, 1); /* the initial staff are fully trained */
    }
    /* The initial base: no records (a customer's record is made when he is first
     * needed, his traits and past visits drawn at his first visit) and an active array
     * of zeros (memory the system maps when it is first written: each customer of the
     * initial base in the position of his number), so that a base of millions costs
     * only what is used. */
    o->visits_per_year = per_day * YEAR_DAYS / (double)o->base;
    size_t n0 = (size_t)o->base;
    o->cap_active = n0 + 1024;
    o->active = kn_big_alloc(o->cap_active * sizeof *o->active);
    if (!o->active) {
        kn_org_free(o);
        return kn_error_set(err, KN_ENOMEM, "out of memory for %d customers", o->base);
    }
    o->n_cust = o->n_active = n0;
    o->s_sum = o->l_sum = (double)n0 * sc->customers.initial_satisfaction;
    o->risk_t = 0.0;
    o->day = 0;
    o->day_end = DAY;
    kn_staff_schedule(o, 0);
    d->on_arrive = kn_org_on_arrive;
    d->on_abandon = kn_org_on_abandon;
    d->present = kn_org_present;
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
    for (size_t k = 0; k < o->n_chunks; k++)
        kn_big_free(o->rec[k], KN_REC_CHUNK * sizeof **o->rec);
    kn_big_free(o->rec, o->cap_chunks * sizeof *o->rec);
    kn_big_free(o->rec_of, o->cap_rec_of * sizeof *o->rec_of);
    kn_big_free(o->active, o->cap_active * sizeof *o->active);
    kn_big_free(o->former, o->cap_former * sizeof *o->former);
    kn_big_free(o->joins, o->cap_joins * sizeof *o->joins);
    free(o->periods);
    free(o->fixes);
    free(o->pending);
    o->emp = NULL;
    o->rec = NULL;
    o->n_chunks = o->n_rec = 0;
    o->active = o->former = o->rec_of = NULL;
    o->joins = NULL;
    o->periods = NULL;
    o->fixes = NULL;
    o->pending = NULL;
}

/* ---- the day boundary --------------------------------------------------------------- */

static int day_rules(kn_org *o)
{
    const kn_scenario *sc = o->sc;
    double t = o->day_end, t0 = t - DAY;
    kn_staff_tally st;
    kn_staff_day(o, t0, &st);

    /* the day's snapshot */
    double ssum = o->s_sum, lsum = o->l_sum;
    KN_ADD(o, t0, days, 1.0);
    KN_ADD(o, t0, active_sum, (double)o->n_active);
    KN_ADD(o, t0, sat_sum, o->n_active ? ssum / (double)o->n_active : NAN);
    KN_ADD(o, t0, head_sum, (double)st.filled);
    KN_ADD(o, t0, vac_sum, (double)st.vacant);
    KN_ADD(o, t0, open_sum, (double)st.open);
    KN_ADD(o, t0, share_sum, isinf(o->market) ? NAN : (double)o->n_active / o->market);
    KN_ADD(o, t0, morale_sum, st.morale);
    KN_ADD(o, t0, exh_sum, st.exhaustion);
    KN_ADD(o, t0, burnout_sum, st.burnout);
    KN_ADD(o, t0, emp_days, (double)st.filled);
    KN_ADD(o, t0, wages, (double)st.filled * sc->staff.wage_per_day);

    /* investigations that come due by midnight */
    while (o->n_pending > 0 && o->pending[o->head_pending].due <= t + 1e-9) {
        kn_pending p = o->pending[o->head_pending];
        o->head_pending = (o->head_pending + 1) % o->cap_pending;
        o->n_pending--;
        kn_org_decide(o, &p, t);
    }
    kn_staff_turnover(o, t, t0);
    kn_staff_pressure(o, st.on_duty, t0);
    kn_defect_day(o, o->day, t0);
    if (kn_market_acquire(o, t, lsum) < 0)
        return -1;

    /* the next day, and the switch at its midnight */
    o->day++;
    o->day_end += DAY;
    if (o->day == o->switch_day)
        o->eff.policy = o->policy_after;
    o->arrivals_today = 0;
    kn_staff_schedule(o, o->day);
    return o->failed ? -1 : kn_desk_new_epoch(o->desk, o->day_end, rate_scale(o, o->day));
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
