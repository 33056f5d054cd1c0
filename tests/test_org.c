/* test_org.c - the organisation model's rules without the kernel: the pure rules
 * (courtesy, quality, work pressure, quits, abuse moderation, claims), the initial
 * base, the model with its behavioural effects off, conservation of customers, bans,
 * idempotent day boundaries, determinism and the results.
 *
 * A tiny single-server driver stands in for sim/kernel/engine.c's server actor: one position
 * takes customers in time order, and the day-boundary rules run whenever the clock
 * passes a boundary. With one server nothing else happens between an encounter's start
 * and its end, so running start and end back to back is what the kernel would do. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>
#include "org.h"

#define DAY 1440.0

/* A valid organisation scenario: one position working every day. */
static kn_scenario scenario(double per_hour, double service_min, double days, int base)
{
    kn_scenario sc;
    kn_scenario_defaults(&sc);
    sc.arrivals.per_hour = per_hour;
    sc.service.mean_minutes = service_min;
    sc.staff.employees = 1;
    sc.staff.days_per_week = 7;
    sc.run.days = days;
    sc.run.warmup_days = 2.0;
    sc.customers.base = base;
    return sc;
}

static void assert_valid(const kn_scenario *sc)
{
    kn_error err = {0};
    kn_status rc = kn_scenario_check(sc, &err);
    if (rc != KN_OK)
        print_error("kn_scenario_check: %s\n", err.msg);
    assert_int_equal(rc, KN_OK);
}

/* Desk and organisation of one replication; they point into each other and at sc,
 * so a kn_run must not move after run_init. */
typedef struct kn_run {
    kn_scenario sc;
    kn_desk d;
    kn_org o;
} kn_run;

static void run_init(kn_run *r, const kn_scenario *sc, uint64_t rep)
{
    kn_error err = {0};
    r->sc = *sc;
    assert_valid(&r->sc);
    kn_status rc = kn_desk_init(&r->d, &r->sc, 0, rep, &err);
    if (rc != KN_OK)
        print_error("kn_desk_init: %s\n", err.msg);
    assert_int_equal(rc, KN_OK);
    rc = kn_org_init(&r->o, &r->sc, &r->d, 0, rep, &err);
    if (rc != KN_OK)
        print_error("kn_org_init: %s\n", err.msg);
    assert_int_equal(rc, KN_OK);
}

static void run_free(kn_run *r)
{
    kn_org_free(&r->o);
    kn_desk_free(&r->d);
}

/* The server actor of sim/kernel/engine.c for position 0, in time order. With `exact`, every
 * encounter must last exactly the customer's service requirement (effects off, polite
 * customers only). Returns the number of encounters. */
/* Called after every step of drive (NULL: nothing), to check an invariant as it goes. */
static void (*step_check)(const kn_org *o, double now);

static uint64_t drive(kn_run *r, int exact)
{
    kn_desk *d = &r->d;
    kn_org *o = &r->o;
    assert_int_equal(d->servers, 1);
    kn_assignment a;
    double now = 0.0;
    uint64_t n = 0;
    for (;;) {
        int rc;
        if (kn_desk_exhausted(d))
            break;
        if (!kn_org_on_duty(o, 0)) {
            now = d->epoch_end;
            if (now >= d->t_end)
                break;
        } else if ((rc = kn_desk_take(d, now, &a)) == 1) {
            /* desk.c computes start as arrival + (now - arrival), which can round to
             * one ulp below now: allow for that, nothing more */
            assert_true(a.start >= now - 1e-9);
            assert_true(a.start >= a.c.arrival);
            kn_org_encounter_start(o, 0, &a);
            assert_true(a.end >= a.start);
            if (exact) {
                assert_true(a.end == a.start + a.c.service);
                assert_true(fabs((a.end - a.start) - a.c.service) <= 1e-9 * (1.0 + a.end));
            }
            /* the manager runs every midnight before the service ends (as the kernel
             * orders the two actors' wake-ups) */
            assert_int_equal(kn_org_advance(o, a.end), 0);
            kn_org_encounter_end(o, 0, &a);
            kn_desk_complete(d, &a);
            now = a.end;
            n++;
        } else {
            assert_true(rc == 0);
            if (kn_desk_exhausted(d))
                break;
            now = d->epoch_end;
        }
        assert_int_equal(kn_org_advance(o, now), 0);
        if (step_check)
            step_check(o, now);
    }
    assert_int_equal(kn_org_advance(o, d->t_end), 0);
    assert_int_equal(o->failed, 0);
    return n;
}

/* values as the engine fills them: the desk's, then the organisation's (after the
 * end-of-run pass over the customers, which may run more than once). */
static void results(kn_run *r, double v[KN_METRIC_COUNT])
{
    assert_int_equal(kn_org_finish(&r->o), 0);
    kn_desk_results(&r->d, v);
    kn_org_results(&r->o, v);
}

/* ---- 1. pure rules ------------------------------------------------------------------ */

static void test_courtesy(void **state)
{
    (void)state;
    for (double m = 0.0; m <= 1.0 + 1e-12; m += 0.1)
        for (double e = 0.0; e <= 1.0 + 1e-12; e += 0.1) {
            double c = kn_org_courtesy(m, e);
            assert_true(c >= 0.0 && c <= 1.0);
        }
    assert_true(kn_org_courtesy(-5.0, 5.0) == 0.0); /* clipped */
    assert_true(kn_org_courtesy(5.0, -5.0) == 1.0);
    /* rises with morale, falls with exhaustion (away from the clip) */
    assert_true(kn_org_courtesy(0.6, 0.5) > kn_org_courtesy(0.2, 0.5));
    assert_true(kn_org_courtesy(0.5, 0.8) < kn_org_courtesy(0.5, 0.2));
    assert_true(fabs(kn_org_courtesy(0.5, 0.5) - 0.6) < 1e-12);
}

static void test_quality(void **state)
{
    (void)state;
    kn_scenario sc;
    kn_scenario_defaults(&sc);
    for (int res = 0; res <= 1; res++)
        for (double c = -0.5; c <= 1.5 + 1e-12; c += 0.25)
            for (double w = -1.0; w <= 100.0; w += 7.0) {
                double q = kn_org_quality(&sc, res, c, w);
                assert_true(q >= 0.0 && q <= 1.0);
            }
    assert_true(kn_org_quality(&sc, 1, 0.7, 3.0) > kn_org_quality(&sc, 0, 0.7, 3.0));
    assert_true(kn_org_quality(&sc, 1, 0.7, 10.0) < kn_org_quality(&sc, 1, 0.7, 1.0));
    assert_true(kn_org_quality(&sc, 0, 0.7, 10.0) < kn_org_quality(&sc, 0, 0.7, 0.0));
    assert_true(kn_org_quality(&sc, 1, 0.9, 2.0) > kn_org_quality(&sc, 1, 0.4, 2.0));
    /* the best visit: resolved, fully courteous, no wait */
    assert_true(fabs(kn_org_quality(&sc, 1, 1.0, 0.0) - 1.0) < 1e-12);
}

static void test_time_factor(void **state)
{
    (void)state;
    /* Oliva & Sterman (2001): work pressure 1.2 cuts time per customer by about 11 % */
    double f = kn_org_time_factor(1.2, -0.64, 0.0);
    assert_true(fabs(f - 0.890) < 0.001);
    assert_true(kn_org_time_factor(1.0, -0.64, 0.0) == 1.0);
    assert_true(kn_org_time_factor(1.0, -0.64, 0.7) == 1.0);
    assert_true(kn_org_time_factor(0.6, -0.64, 0.0) == 1.0); /* no slack effect */
    assert_true(kn_org_time_factor(0.0, -0.64, 0.0) == 1.0);
    assert_true(kn_org_time_factor(-1.0, -0.64, 0.0) == 1.0);
    assert_true(kn_org_time_factor(0.6, -0.64, 0.5) < 1.0); /* slack elasticity acts below 1 */
    assert_true(kn_org_time_factor(1.5, -0.64, 0.0) < kn_org_time_factor(1.2, -0.64, 0.0));
    /* clipped to [0.5, 1.5] */
    assert_true(kn_org_time_factor(100.0, -0.64, 0.0) == 0.5);
    assert_true(kn_org_time_factor(100.0, 1.0, 0.0) == 1.5);
    assert_true(kn_org_time_factor(0.01, -0.64, -1.0) == 1.5);
    assert_true(kn_org_time_factor(0.01, -0.64, 1.0) == 0.5);
}

static void test_quit_probability(void **state)
{
    (void)state;
    kn_scenario sc;
    kn_scenario_defaults(&sc);
    double p = kn_org_quit_probability(&sc, 0.3, 0.5, 1.0);
    assert_true(p > 0.0 && p < 1.0);
    assert_true(kn_org_quit_probability(&sc, 0.6, 0.5, 1.0) > p);
    assert_true(kn_org_quit_probability(&sc, 0.3, 0.8, 1.0) < p);
    double annual = 1.0 - pow(1.0 - p, 365.0);
    assert_true(annual > 0.1 && annual < 0.6);
    /* at e = 0, m = 1 the annual rate is about quit_base */
    double p0 = kn_org_quit_probability(&sc, 0.0, 1.0, 1.0);
    assert_true(fabs(-365.0 * log1p(-p0) - sc.employees.quit_base) < 1e-9);
}

static void test_abuse_moderation(void **state)
{
    (void)state;
    kn_scenario sc;
    kn_scenario_defaults(&sc);
    sc.policy.backing = 0.0;
    sc.policy.empowerment = 0.0;
    sc.policy.end_abusive_contact = 0.0;
    assert_true(kn_org_abuse_moderation(&sc) == 1.0);
    kn_scenario s = sc;
    s.policy.backing = 1.0;
    double m_back = kn_org_abuse_moderation(&s);
    assert_true(m_back < 1.0 && m_back > 0.0);
    s = sc;
    s.policy.empowerment = 1.0;
    double m_emp = kn_org_abuse_moderation(&s);
    assert_true(m_emp < 1.0 && m_emp > 0.0);
    s = sc;
    s.policy.rating_weight = 0.0;
    s.policy.end_abusive_contact = 1.0;
    double m_end = kn_org_abuse_moderation(&s);
    assert_true(m_end < 1.0 && m_end > 0.0);
    /* each lever adds to the others */
    s.policy.backing = 1.0;
    assert_true(kn_org_abuse_moderation(&s) < m_end);
    s.policy.empowerment = 1.0;
    double all = kn_org_abuse_moderation(&s);
    assert_true(all < m_end && all < m_back && all < m_emp && all >= 0.0);
    /* ratings that make staff tolerate abuse cancel the boundary */
    s = sc;
    s.policy.end_abusive_contact = 1.0;
    s.policy.rating_weight = 1.0;
    assert_true(kn_org_abuse_moderation(&s) == 1.0);
    s.policy.rating_weight = 0.5;
    double half = kn_org_abuse_moderation(&s);
    assert_true(half > m_end && half < 1.0);
}

static void test_claim_probability(void **state)
{
    (void)state;
    kn_scenario sc;
    kn_scenario_defaults(&sc);
    double p = kn_org_claim_probability(&sc, 0.3, 2);
    assert_true(p > 0.0 && p <= 1.0);
    /* Wirtz & Kum (2004): the size of the payout is not what drives claims */
    kn_scenario s = sc;
    s.policy.compensation = 0.0;
    assert_true(kn_org_claim_probability(&s, 0.3, 2) == p);
    s.policy.compensation = 1000.0;
    assert_true(kn_org_claim_probability(&s, 0.3, 2) == p);
    /* proportional to the ease of claiming and to the belief */
    s = sc;
    s.policy.claim_ease = 2.0 * sc.policy.claim_ease;
    assert_true(fabs(kn_org_claim_probability(&s, 0.3, 2) - 2.0 * p) < 1e-12);
    s.policy.claim_ease = 0.0;
    assert_true(kn_org_claim_probability(&s, 0.3, 2) == 0.0);
    assert_true(fabs(kn_org_claim_probability(&sc, 0.6, 2) - 2.0 * p) < 1e-12);
    assert_true(kn_org_claim_probability(&sc, 0.0, 2) == 0.0);
    /* a relationship makes claims rarer */
    double prev = kn_org_claim_probability(&sc, 0.5, 0);
    for (uint32_t v = 1; v < 100; v++) {
        double q = kn_org_claim_probability(&sc, 0.5, v);
        assert_true(q < prev);
        prev = q;
    }
}

/* ---- 2. the initial base -------------------------------------------------------------- */

static void assert_binomial(double count, double n, double p)
{
    double mean = n * p, sd = sqrt(n * p * (1.0 - p));
    if (fabs(count - mean) > 5.0 * sd)
        print_error("count %g, expected %g (sd %g)\n", count, mean, sd);
    assert_true(fabs(count - mean) <= 5.0 * sd);
}

static void test_init_base(void **state)
{
    (void)state;
    kn_scenario sc = scenario(30, 10, 30, 20000);
    sc.staff.employees = 3;
    sc.customers.mix_rude = 0.2;
    sc.customers.mix_exploitative = 0.1;
    kn_run *r = test_malloc(sizeof *r);
    run_init(r, &sc, 0);
    kn_org *o = &r->o;
    assert_int_equal(o->n_active, 20000);
    assert_int_equal(o->n_cust, 20000);
    assert_int_equal(o->n_pos, 3);
    double n[KN_NTYPES] = {0}, visits = 0.0;
    assert_int_equal(o->n_rec, 0); /* a record, and traits, at the first visit */
    for (size_t i = 0; i < o->n_cust; i++) {
        const kn_cust *c = kn_org_customer(o, (int32_t)i);
        assert_int_equal(c->id, (int32_t)i);
        assert_true(c->type < KN_NTYPES);
        n[c->type] += 1.0;
        assert_true(c->pos >= 0 && (size_t)c->pos < o->n_active);
        assert_true(kn_org_active_id(o, (size_t)c->pos) == (int32_t)i);
        assert_true(isinf(c->left) && c->joined == 0.0);
        visits += c->visits; /* a past: exponential tenure x visits per year, floored */
        assert_int_equal(c->banned, 0);
        assert_true(c->value > 0.0);
    }
    double per_year = 30.0 * 24.0 * 365.0 / 20000.0;
    double want = sc.customers.initial_tenure_years * per_year - 0.5;
    assert_true(fabs(visits / 20000.0 - want) < 0.05 * want);
    assert_binomial(n[KN_RUDE], 20000, 0.2);
    assert_binomial(n[KN_EXPLOITATIVE], 20000, 0.1);
    assert_binomial(n[KN_POLITE], 20000, 0.7);
    for (int i = 0; i < o->n_pos; i++) {
        assert_true(o->emp[i].filled);
        assert_true(o->emp[i].skill == 1.0);
        assert_int_equal(o->emp[i].cust, -1);
        assert_true(kn_org_on_duty(o, i) || o->emp[i].sick_today);
    }
    assert_int_equal(o->day, 0);
    assert_true(r->d.epoch_end == DAY);
    run_free(r);

    sc.customers.mix_rude = 0.0;
    sc.customers.mix_exploitative = 0.0;
    run_init(r, &sc, 0);
    for (size_t i = 0; i < r->o.n_cust; i++)
        assert_int_equal(kn_org_customer(&r->o, (int32_t)i)->type, KN_POLITE);
    run_free(r);

    /* customer i has the same traits under another policy, whenever they are drawn */
    sc.customers.mix_rude = 0.2;
    sc.customers.mix_exploitative = 0.1;
    run_init(r, &sc, 0);
    kn_run *r2 = test_malloc(sizeof *r2);
    kn_scenario sc2 = sc;
    sc2.policy.investigate = 0.9;
    sc2.policy.ban_after_incidents = 1;
    run_init(r2, &sc2, 0);
    for (int32_t i = 19999; i >= 0; i -= 7) { /* another order of first visits */
        const kn_cust *a = kn_org_customer(&r->o, i), *b = kn_org_customer(&r2->o, 19999 - i);
        (void)b;
        b = kn_org_customer(&r2->o, i);
        assert_int_equal(a->type, b->type);
        assert_true(a->value == b->value && a->visits == b->visits);
    }
    run_free(r2);
    test_free(r2);
    run_free(r);
    test_free(r);
}

static void test_init_needs_a_base(void **state)
{
    (void)state;
    kn_scenario sc = scenario(30, 10, 30, 0);
    kn_desk d;
    kn_org o;
    kn_error err = {0};
    assert_int_equal(kn_desk_init(&d, &sc, 0, 0, &err), KN_OK);
    assert_int_equal(kn_org_init(&o, &sc, &d, 0, 0, &err), KN_EINVAL);
    assert_non_null(strstr(err.msg, "customers.base"));
    kn_org_free(&o);
    kn_org_free(NULL);
    kn_desk_free(&d);
}

/* ---- 3. effects off ------------------------------------------------------------------- */

static void test_effects_off(void **state)
{
    (void)state;
    kn_scenario sc = scenario(4, 10, 20, 300);
    sc.effects = 0;
    sc.customers.mix_rude = 0.0;
    sc.customers.mix_exploitative = 0.0;
    kn_run *r = test_malloc(sizeof *r);
    run_init(r, &sc, 0);
    uint64_t n = drive(r, 1);
    kn_org *o = &r->o;
    assert_true(n > 1000); /* ~ 4/h x 24 h x 20 days = 1920 */
    assert_int_equal(o->n_active, 300);
    assert_int_equal(o->n_cust, 300);
    for (size_t i = 0; i < o->n_cust; i++) {
        const kn_cust *c = kn_org_customer(o, (int32_t)i);
        assert_true(c->pos >= 0 && isinf(c->left));
        assert_int_equal(c->banned, 0);
    }
    double quits = 0.0, churned = 0.0, newc = 0.0, served = 0.0;
    for (uint32_t k = 0; k < o->n_periods; k++) {
        quits += o->periods[k].quits;
        served += o->periods[k].served;
        for (int t = 0; t < KN_NTYPES; t++) {
            churned += o->periods[k].churned[t];
            newc += o->periods[k].new_c[t];
        }
        assert_true(o->periods[k].sick_days == 0.0);
        assert_true(o->periods[k].complaints == 0.0 && o->periods[k].claims == 0.0);
    }
    assert_true(quits == 0.0 && churned == 0.0 && newc == 0.0);
    assert_true(served > 0.0 && served <= (double)n);
    assert_true(o->emp[0].filled);
    double v[KN_METRIC_COUNT];
    results(r, v);
    assert_true(v[KN_M_HEADCOUNT] == 1.0);
    assert_true(v[KN_M_VACANCIES] == 0.0);
    assert_true(v[KN_M_STAFF_TURNOVER] == 0.0);
    assert_true(v[KN_M_ACTIVE_CUSTOMERS] == 300.0);
    assert_true(v[KN_M_CHURNED_CUSTOMERS_PER_WEEK] == 0.0);
    assert_true(v[KN_M_RETENTION] == 1.0);
    assert_true(v[KN_M_STANDARD_MINUTES] == sc.service.mean_minutes);
    run_free(r);
    test_free(r);
}

/* ---- 4. conservation of customers ----------------------------------------------------- */

static void test_conservation(void **state)
{
    (void)state;
    kn_scenario sc = scenario(5, 8, 60, 2400); /* 18 visits a customer a year, as the presets */
    kn_run *r = test_malloc(sizeof *r);
    run_init(r, &sc, 0);
    drive(r, 0);
    kn_org *o = &r->o;
    size_t fresh = 0, gone = 0, fresh_before_end = 0, gone_before_end = 0, gone_well_before = 0;
    size_t n_pos_ok = 0;
    for (size_t i = 0; i < o->n_cust; i++) {
        const kn_cust *c = kn_org_customer(o, (int32_t)i);
        int active = c->pos >= 0;
        assert_true(active == (int)isinf(c->left));
        if (active) {
            assert_true((size_t)c->pos < o->n_active);
            assert_true(kn_org_active_id(o, (size_t)c->pos) == (int32_t)i);
            n_pos_ok++;
        } else {
            assert_true(c->left >= c->joined);
            gone++;
            gone_before_end += c->left * DAY < o->t_end + 1e-6;
            gone_well_before += c->left * DAY < o->t_end - 1e-6;
        }
        if (i < (size_t)o->base) {
            assert_true(c->joined == 0.0);
        } else {
            assert_true(c->joined >= 1.0);
            fresh++;
            fresh_before_end += c->joined * DAY < o->t_end - 1e-6;
        }
    }
    assert_true(n_pos_ok == o->n_active);
    if (!(fresh > 0 && gone > 0))
        print_error("fresh %zu gone %zu active %zu\n", fresh, gone, o->n_active);
    assert_true(fresh > 0 && gone > 0); /* the run exercised both flows */
    /* the exact invariant */
    assert_true(o->n_active + gone == (size_t)o->base + fresh);
    /* the period accumulators miss only events at or after t_end */
    double p_new = 0.0, p_gone = 0.0;
    for (uint32_t k = 0; k < o->n_periods; k++)
        for (int t = 0; t < KN_NTYPES; t++) {
            p_new += o->periods[k].new_c[t];
            p_gone += o->periods[k].churned[t];
        }
    assert_true(p_new <= (double)fresh);
    assert_true(p_gone <= (double)gone);
    assert_true(p_new == (double)fresh_before_end);
    assert_true(p_gone >= (double)gone_well_before && p_gone <= (double)gone_before_end);
    run_free(r);
    test_free(r);
}

/* Records: a customer gets one only when needed, in chunks that never move; the active
 * array and the records agree on who is where; a look-up by number makes the index
 * then, and a record for whoever has none. */
static void test_records(void **state)
{
    (void)state;
    kn_scenario sc = scenario(5, 8, 60, 100000); /* a large base that rarely visits */
    sc.market.size_factor = 1.2;                 /* a rival who gives some back */
    kn_run *r = test_malloc(sizeof *r);
    run_init(r, &sc, 0);
    uint64_t visits = drive(r, 0);
    kn_org *o = &r->o;
    assert_null(o->rec_of); /* nobody looked anyone up by number */
    assert_true(o->n_rec > 0 && o->n_rec <= visits + o->n_cust - o->n_active + 1000);
    assert_true(o->n_rec < o->n_cust / 4);
    size_t n_pos = o->n_active, moved_only = 0, won_back = 0;
    for (size_t k = 0; k < o->n_rec; k++) {
        const kn_cust *c = kn_rec(o, (int32_t)k);
        assert_true(c->id >= 0 && (size_t)c->id < o->n_cust);
        moved_only += !c->ready && c->twin == c->id; /* not seen, not won back: moved */
        won_back += c->twin != c->id;
        if (c->pos >= 0) /* the active array points back at this record */
            assert_int_equal(o->active[c->pos], (int32_t)k + 1);
    }
    assert_true(moved_only <= o->n_cust - o->n_active); /* by a departure */
    double counted = 0.0;
    for (uint32_t k = 0; k < o->n_periods; k++)
        counted += o->periods[k].won_back;
    assert_true(won_back > 0 && (double)won_back >= counted);
    const kn_cust *first = kn_org_customer(o, 0);
    kn_cust copy = *first;
    uint8_t *seen = test_calloc(o->n_cust, 1);
    for (size_t pos = 0; pos < n_pos; pos++) {
        int32_t id = kn_org_active_id(o, pos);
        assert_true(id >= 0 && (size_t)id < o->n_cust);
        assert_int_equal(seen[id], 0); /* each customer in one position */
        seen[id] = 1;
        const kn_cust *c = kn_org_customer(o, id);
        assert_int_equal(c->id, id);
        assert_int_equal(c->pos, (int32_t)pos);
        assert_true(isinf(c->left));
        assert_true(id < o->base ? c->joined == 0.0 : c->joined >= 1.0);
    }
    for (size_t id = 0; id < o->n_cust; id++)
        assert_int_equal(kn_org_customer(o, (int32_t)id)->id, (int32_t)id);
    assert_int_equal(o->n_rec, o->n_cust);
    assert_true(o->n_chunks >= 2); /* past the first chunk */
    assert_ptr_equal(kn_org_customer(o, 0), first); /* records never move */
    assert_memory_equal(first, &copy, sizeof copy);
    test_free(seen);
    run_free(r);
    test_free(r);
}

/* ---- 5. bans ------------------------------------------------------------------------- */

static kn_scenario ban_scenario(int after)
{
    kn_scenario sc = scenario(5, 8, 10, 2000);
    sc.customers.mix_rude = 1.0;
    sc.customers.mix_exploitative = 0.0;
    sc.customers.abuse_probability = 1.0;
    sc.policy.end_abusive_contact = 1.0;
    sc.policy.rating_weight = 0.0;
    sc.policy.ban_after_incidents = after;
    return sc;
}

static void test_bans(void **state)
{
    (void)state;
    kn_scenario sc = ban_scenario(1);
    kn_run *r = test_malloc(sizeof *r);
    run_init(r, &sc, 0);
    drive(r, 0);
    kn_org *o = &r->o;
    size_t banned = 0;
    for (size_t i = 0; i < o->n_cust; i++) {
        const kn_cust *c = kn_org_customer(o, (int32_t)i);
        if (!c->banned)
            continue;
        banned++;
        assert_true(c->pos < 0);
        assert_true(isfinite(c->left));
        assert_true(c->incidents >= 1);
    }
    assert_true(banned > 0);
    double p_banned = 0.0;
    for (uint32_t k = 0; k < o->n_periods; k++)
        p_banned += o->periods[k].banned;
    assert_true(p_banned > 0.0 && p_banned <= (double)banned);
    run_free(r);

    sc = ban_scenario(0);
    run_init(r, &sc, 0);
    drive(r, 0);
    size_t incidents = 0;
    for (size_t i = 0; i < r->o.n_cust; i++) {
        const kn_cust *c = kn_org_customer(&r->o, (int32_t)i);
        assert_int_equal(c->banned, 0);
        incidents += c->incidents;
    }
    assert_true(incidents > 0); /* abuse was recorded, but nobody banned */
    for (uint32_t k = 0; k < r->o.n_periods; k++)
        assert_true(r->o.periods[k].banned == 0.0);
    run_free(r);
    test_free(r);
}

/* ---- 6. idempotent day boundaries ------------------------------------------------------ */

static void test_advance_idempotent(void **state)
{
    (void)state;
    kn_scenario sc = scenario(30, 10, 30, 500);
    kn_run *r = test_malloc(sizeof *r);
    run_init(r, &sc, 0);
    kn_org *o = &r->o;
    assert_int_equal(kn_org_advance(o, 0.5 * DAY), 0);
    assert_int_equal(o->day, 0);
    assert_int_equal(kn_org_advance(o, DAY), 0);
    assert_int_equal(o->day, 1);
    size_t n_cust = o->n_cust, n_active = o->n_active;
    double day_end = o->day_end, epoch_end = r->d.epoch_end, days = o->periods[0].days;
    assert_int_equal(kn_org_advance(o, DAY), 0);
    assert_int_equal(kn_org_advance(o, DAY + 1.0), 0);
    assert_int_equal(o->day, 1);
    assert_true(o->day_end == day_end && r->d.epoch_end == epoch_end);
    assert_true(o->n_cust == n_cust && o->n_active == n_active);
    assert_true(o->periods[0].days == days);
    run_free(r);

    run_init(r, &sc, 0);
    assert_int_equal(kn_org_advance(o, 3.5 * DAY), 0);
    assert_int_equal(o->day, 3);
    assert_true(o->day_end == 4.0 * DAY);
    assert_true(o->periods[0].days == 3.0);
    assert_int_equal(kn_org_advance(o, 3.5 * DAY), 0);
    assert_int_equal(o->day, 3);
    /* never past the horizon */
    assert_int_equal(kn_org_advance(o, 1e9), 0);
    assert_int_equal(o->day, 30);
    run_free(r);
    test_free(r);
}

/* ---- 7. determinism ------------------------------------------------------------------- */

static void one_run(const kn_scenario *sc, uint64_t rep, double v[KN_METRIC_COUNT])
{
    kn_run *r = test_malloc(sizeof *r);
    run_init(r, sc, rep);
    drive(r, 0);
    memset(v, 0, KN_METRIC_COUNT * sizeof *v);
    results(r, v);
    run_free(r);
    test_free(r);
}

static void test_determinism(void **state)
{
    (void)state;
    kn_scenario sc = scenario(5, 8, 30, 500);
    double a[KN_METRIC_COUNT], b[KN_METRIC_COUNT], c[KN_METRIC_COUNT];
    one_run(&sc, 3, a);
    one_run(&sc, 3, b);
    one_run(&sc, 4, c);
    assert_memory_equal(a, b, sizeof a); /* bit for bit, NaN included */
    assert_true(memcmp(&a[KN_M_RETENTION], &c[KN_M_RETENTION],
                       (KN_METRIC_COUNT - KN_M_RETENTION) * sizeof *a) != 0);
    assert_true(isfinite(a[KN_M_SERVICE_QUALITY]) && a[KN_M_SERVICE_QUALITY] != c[KN_M_SERVICE_QUALITY]);
}

/* ---- 8. results and series ------------------------------------------------------------ */

static void test_results(void **state)
{
    (void)state;
    kn_scenario sc = scenario(5, 8, 63, 500);
    kn_run *r = test_malloc(sizeof *r);
    run_init(r, &sc, 0);
    drive(r, 0);
    double v[KN_METRIC_COUNT];
    results(r, v);
    const double unit[] = {
        v[KN_M_SERVICE_QUALITY], v[KN_M_FIRST_CONTACT_RESOLUTION], v[KN_M_SATISFACTION],
        v[KN_M_RETENTION], v[KN_M_SERVICE_QUALITY_END], v[KN_M_SATISFACTION_END],
        v[KN_M_MEAN_MORALE], v[KN_M_MEAN_EXHAUSTION], v[KN_M_BURNOUT_SHARE], v[KN_M_SICK_SHARE],
    };
    for (size_t i = 0; i < sizeof unit / sizeof unit[0]; i++) {
        if (!(unit[i] >= 0.0 && unit[i] <= 1.0))
            print_error("value %zu = %g\n", i, unit[i]);
        assert_true(unit[i] >= 0.0 && unit[i] <= 1.0);
    }
    assert_true(v[KN_M_STAFF_TURNOVER] >= 0.0);
    assert_true(v[KN_M_HEADCOUNT] >= 0.0 && v[KN_M_HEADCOUNT] <= 1.0);
    assert_true(fabs(v[KN_M_HEADCOUNT] + v[KN_M_VACANCIES] - 1.0) < 1e-12);
    assert_true(v[KN_M_ACTIVE_CUSTOMERS] > 0.0);
    assert_true(v[KN_M_REVENUE] > 0.0 && isfinite(v[KN_M_PROFIT]));
    assert_true(v[KN_M_STANDARD_MINUTES] > 0.0);

    const kn_org *o = &r->o;
    uint32_t n = o->n_periods;
    assert_int_equal(n, 9);
    double *s = test_malloc((size_t)KN_SERIES_COUNT * n * sizeof *s);
    double *desk_only = test_malloc((size_t)KN_SERIES_COUNT * n * sizeof *s);
    kn_desk_series(&r->d, s);
    memcpy(desk_only, s, (size_t)KN_SERIES_COUNT * n * sizeof *s);
    kn_org_series(o, s);
    double sum_new = 0.0, sum_gone = 0.0, p_new = 0.0, p_gone = 0.0;
    for (uint32_t k = 0; k < n; k++) {
        double t1 = (double)(k + 1) * o->period_len;
        if (t1 > o->t_end + 1e-9)
            continue; /* not a full period */
#define S(row) s[(size_t)(row) * n + k]
        /* the desk's rows stay as the desk wrote them, utilisation apart */
        for (int row = 0; row < KN_S_ACTIVE_CUSTOMERS; row++)
            if (row != KN_S_UTILIZATION)
                assert_memory_equal(&S(row), &desk_only[(size_t)row * n + k], sizeof(double));
        int staffed = S(KN_S_HEADCOUNT) > 0.0;
        for (int row = KN_S_ACTIVE_CUSTOMERS; row < KN_SERIES_COUNT; row++) {
            int needs_staff = row == KN_S_STAFF_TURNOVER || row == KN_S_MEAN_MORALE ||
                              row == KN_S_MEAN_EXHAUSTION || row == KN_S_BURNOUT_SHARE ||
                              row == KN_S_SICK_SHARE || row == KN_S_ABUSIVE_CONTACTS;
            if (needs_staff && !staffed)
                continue;
            if (!isfinite(S(row)))
                print_error("series %d, period %u: %g\n", row, k, S(row));
            assert_true(isfinite(S(row)));
        }
        assert_true(S(KN_S_NEW_CUSTOMERS) ==
                    S(KN_S_NEW_POLITE) + S(KN_S_NEW_RUDE) + S(KN_S_NEW_EXPLOITATIVE));
        assert_true(S(KN_S_CHURNED_CUSTOMERS) ==
                    S(KN_S_CHURNED_POLITE) + S(KN_S_CHURNED_RUDE) + S(KN_S_CHURNED_EXPLOITATIVE));
        assert_true(S(KN_S_SERVICE_QUALITY) >= 0.0 && S(KN_S_SERVICE_QUALITY) <= 1.0);
        assert_true(S(KN_S_RETENTION) >= 0.0 && S(KN_S_RETENTION) <= 1.0);
        assert_true(S(KN_S_HEADCOUNT) <= 1.0);
        assert_true(S(KN_S_ACTIVE_CUSTOMERS) > 0.0);
        sum_new += S(KN_S_NEW_CUSTOMERS);
        sum_gone += S(KN_S_CHURNED_CUSTOMERS);
        for (int t = 0; t < KN_NTYPES; t++) {
            p_new += o->periods[k].new_c[t];
            p_gone += o->periods[k].churned[t];
        }
#undef S
    }
    assert_true(sum_new == p_new && sum_gone == p_gone);
    assert_true(sum_gone > 0.0);
    test_free(desk_only);
    test_free(s);
    run_free(r);
    test_free(r);
}

/* Of the customers active at day a, the share still active at day b, by definition. */
static double brute_survival(kn_org *o, double a, double b)
{
    double n = 0.0, k = 0.0;
    for (size_t i = 0; i < o->n_cust; i++) {
        const kn_cust *c = kn_org_customer(o, (int32_t)i);
        if (c->joined <= a && c->left > a) {
            n += 1.0;
            k += c->left > b;
        }
    }
    return n > 0.0 ? k / n : NAN;
}

/* Customer-years at risk in [w, end) (days) and customers lost in it, by definition:
 * each customer's time active inside the window. */
static void brute_risk(kn_org *o, double w, double end, double *years, double *lost)
{
    *years = *lost = 0.0;
    for (size_t i = 0; i < o->n_cust; i++) {
        const kn_cust *c = kn_org_customer(o, (int32_t)i);
        double a = c->joined > w ? c->joined : w, b = c->left < end ? c->left : end;
        if (b > a)
            *years += (b - a) / 365.0;
        *lost += c->left >= w && c->left < end;
    }
}

/* The churn hazard is the customers lost per customer-year at risk, the time at risk
 * counted as the active customers change (kn_org_risk); it must equal the rate of the
 * population by definition, customer by customer, and retention = exp(-hazard). The
 * cohort is the mean over the whole years of the window, NaN when none fits. */
static void test_churn_hazard_and_cohort(void **state)
{
    (void)state;
    kn_scenario sc = scenario(5, 4, 800, 2400); /* 18 visits a customer a year, as the presets */
    sc.run.warmup_days = 30;
    sc.run.period_days = 10;
    kn_run *r = test_malloc(sizeof *r);
    run_init(r, &sc, 3);
    drive(r, 0);
    double v[KN_METRIC_COUNT];
    results(r, v);
    kn_org *o = &r->o;
    double years, lost;
    brute_risk(o, 30.0, 800.0, &years, &lost);
    assert_true(lost > 100.0);
    double want = lost / years;
    if (!(fabs(v[KN_M_CHURN_HAZARD] - want) < 1e-9 * want))
        print_error("hazard %.12g, by definition %.12g\n", v[KN_M_CHURN_HAZARD], want);
    assert_true(fabs(v[KN_M_CHURN_HAZARD] - want) < 1e-9 * want);
    assert_true(fabs(v[KN_M_RETENTION] - exp(-want)) < 1e-9);
    /* by type, the three hazards weigh up to the whole (the exposures add up) */
    double y1 = brute_survival(o, 30.0, 395.0), y2 = brute_survival(o, 395.0, 760.0);
    assert_true(y1 > 0.05 && y1 < 0.95 && y2 > 0.05 && y2 < 0.95);
    if (!(fabs(v[KN_M_RETENTION_COHORT] - 0.5 * (y1 + y2)) < 1e-15))
        print_error("cohort %.17g, by definition %.17g\n", v[KN_M_RETENTION_COHORT], 0.5 * (y1 + y2));
    assert_true(fabs(v[KN_M_RETENTION_COHORT] - 0.5 * (y1 + y2)) < 1e-15);
    run_free(r);

    /* periods that end inside days, and no whole year: the cohort is NaN, the hazard
     * still exact */
    sc.run.days = 300;
    sc.run.period_days = 2.5;
    run_init(r, &sc, 4);
    drive(r, 0);
    results(r, v);
    brute_risk(o, 30.0, 300.0, &years, &lost);
    assert_true(fabs(v[KN_M_CHURN_HAZARD] - lost / years) < 1e-9 * lost / years);
    assert_true(isnan(v[KN_M_RETENTION_COHORT]));
    run_free(r);

    /* after a switch (start.days), the window and the periods start at the switch */
    sc.start.days = 100;
    run_init(r, &sc, 5);
    drive(r, 0);
    results(r, v);
    brute_risk(o, 130.0, 400.0, &years, &lost);
    assert_true(fabs(v[KN_M_CHURN_HAZARD] - lost / years) < 1e-9 * lost / years);
    assert_int_equal(o->n_periods, 120); /* 300 days of 2.5 from the switch */
    run_free(r);
    test_free(r);
}

/* Investigations wait in order of their due time, also when investigation_days shortens at
 * the switch: no decision is ever overdue behind a later one. */
static size_t max_pending;
static void pending_in_order(const kn_org *o, double now)
{
    double prev = -INFINITY;
    for (size_t i = 0; i < o->n_pending; i++) {
        const kn_pending *p = &o->pending[(o->head_pending + i) % o->cap_pending];
        assert_true(p->due >= prev);
        assert_true(p->due > floor(now / DAY) * DAY - 1e-9); /* nothing left from an earlier midnight */
        prev = p->due;
    }
    if (o->n_pending > max_pending)
        max_pending = o->n_pending;
}

static void test_investigations_in_order(void **state)
{
    (void)state;
    kn_scenario sc = scenario(6, 4, 120, 1500);
    sc.customers.complain_min = sc.customers.complain_max = 0.9;
    sc.policy.investigate = 1.0;
    sc.policy.investigation_days = 2.0;
    sc.start.policy = sc.policy;
    sc.start.policy.investigation_days = 25.0; /* slow before the switch, quick after it */
    sc.start.days = 40;
    kn_run *r = test_malloc(sizeof *r);
    run_init(r, &sc, 1);
    max_pending = 0;
    step_check = pending_in_order;
    drive(r, 0);
    step_check = NULL;
    assert_true(max_pending > 50); /* the test saw a real queue of decisions */
    run_free(r);
    test_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_courtesy),
        cmocka_unit_test(test_quality),
        cmocka_unit_test(test_time_factor),
        cmocka_unit_test(test_quit_probability),
        cmocka_unit_test(test_abuse_moderation),
        cmocka_unit_test(test_claim_probability),
        cmocka_unit_test(test_init_base),
        cmocka_unit_test(test_init_needs_a_base),
        cmocka_unit_test(test_effects_off),
        cmocka_unit_test(test_conservation),
        cmocka_unit_test(test_records),
        cmocka_unit_test(test_bans),
        cmocka_unit_test(test_advance_idempotent),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_results),
        cmocka_unit_test(test_churn_hazard_and_cohort),
        cmocka_unit_test(test_investigations_in_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
