/* workforce.c - employees: hires, their training and individual traits, schedules and
 * sick days, the day's strain and the night's recovery, skill, morale, quits, the
 * staffing rule that opens and closes positions, and the work pressure that erodes the
 * service standard (docs/model.md sections 2.10-2.11, 2.14). Draws: EMPLOYEE. */
#include "koning/erlang.h"
#include "org_internal.h"

/* A lognormal factor with mean 1 and coefficient of variation cv. */
static double mean_one(kn_rng *r, double cv)
{
    if (!(cv > 0.0))
        return 1.0;
    double s2 = log1p(cv * cv);
    return exp(-0.5 * s2 + sqrt(s2) * kn_rng_normal(r));
}

void kn_staff_hire(kn_org *o, kn_emp *e, double skill, int trained)
{
    const kn_scenario *sc = o->sc;
    e->filled = 1;
    e->serial = ++o->serials;
    e->exhaustion = 0.0;
    e->skill = skill;
    e->resilience = o->resil_sigma > 0.0 ? exp(o->resil_mu + o->resil_sigma * kn_rng_normal(&o->rng_emp))
                                         : 1.0;
    /* people differ: the morale they settle at, how soon they leave, how fast they work */
    e->morale_shift = o->effects ? sc->employees.morale_sd * kn_rng_normal(&o->rng_emp) : 0.0;
    e->quit_factor = o->effects ? mean_one(&o->rng_emp, sc->employees.quit_cv) : 1.0;
    e->speed = o->effects ? mean_one(&o->rng_emp, sc->employees.speed_cv) : 1.0;
    e->morale = kn_clip01(kn_org_morale_target(sc, 0.0) + e->morale_shift);
    e->class_days = trained || !o->effects ? 0 : (int)ceil(sc->staff.training_days * sc->policy.training);
    e->vacant_until = 0.0;
}

/* Days off rotate over the week; sick days are drawn at the start of each day. */
void kn_staff_schedule(kn_org *o, long day)
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
    return e->filled && !e->off_today && !e->sick_today && e->class_days == 0;
}

/* Employees: the day's strain and the night's recovery (JD-R; Homer 1985). */
void kn_staff_day(kn_org *o, double t0, kn_staff_tally *tally)
{
    const kn_scenario *sc = o->sc;
    kn_staff_tally k = {0, 0, 0, 0, 0.0, 0.0, 0.0};
    for (int i = 0; i < o->n_pos; i++) {
        kn_emp *e = &o->emp[i];
        k.open += e->open;
        k.vacant += e->open && !e->filled;
        if (!e->filled)
            continue;
        k.filled++;
        int present = !e->off_today && !e->sick_today;
        int worked = present && e->class_days == 0;
        if (!e->off_today)
            KN_ADD(o, t0, scheduled_days, 1.0);
        if (e->sick_today)
            KN_ADD(o, t0, sick_days, 1.0);
        if (worked) {
            k.on_duty++;
            KN_ADD(o, t0, work_days, 1.0);
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
                if (present && e->class_days > 0)
                    e->class_days--; /* a day in class */
            }
            e->exhaustion = kn_clip01(e->exhaustion);
            double target = kn_clip01(kn_org_morale_target(sc, e->exhaustion) + e->morale_shift);
            e->morale = kn_clip01(e->morale + sc->employees.morale_adjust * (target - e->morale));
        }
        k.morale += e->morale;
        k.exhaustion += e->exhaustion;
        k.burnout += e->exhaustion > sc->employees.burnout_threshold;
    }
    *tally = k;
}

/* Positions the staffing rule asks for, from what it saw since its last review. */
static int positions_needed(const kn_org *o)
{
    const kn_scenario *sc = o->sc;
    double days = o->review_days, open = o->open_minutes;
    if (!(days > 0.0) || !(open > 0.0))
        return o->budget;
    double on_duty; /* employees needed at the desk on a day */
    if (sc->staff.rule == 1) {
        on_duty = o->review_busy / days / (open * sc->staff.target);
    } else {
        double lambda = o->review_visits / (days * open); /* per open minute */
        double mean_service = o->review_service > 0.0 ? o->review_busy / o->review_service : 0.0;
        if (!(lambda > 0.0) || !(mean_service > 0.0))
            return o->budget;
        double theta = sc->patience.kind != KN_DIST_NONE ? 1.0 / sc->patience.mean_minutes : 0.0;
        int n = (int)ceil(lambda * mean_service);
        kn_erlang r;
        for (n = n < 1 ? 1 : n; n < 100000; n++) /* the fewest that answer target at once */
            if (kn_erlang_a(lambda, 1.0 / mean_service, theta, n, &r, NULL) == KN_OK &&
                1.0 - r.p_wait >= sc->staff.target)
                break;
        on_duty = n;
    }
    double absent = 1.0 - sc->employees.sick_base;
    double need = ceil(on_duty * 7.0 / (double)sc->staff.days_per_week / (absent > 0.1 ? absent : 0.1));
    return need < 1.0 ? 1 : need > (double)o->n_pos ? o->n_pos : (int)need;
}

void kn_staff_turnover(kn_org *o, double t, double t0)
{
    const kn_scenario *sc = o->sc;
    if (!o->effects)
        return;
    /* the staffing rule: open positions up to what it asks for; close the rest as they
     * fall vacant (nobody is dismissed) */
    o->review_days += 1.0;
    if (sc->staff.rule > 0 && o->review_days >= sc->staff.review_days) {
        o->budget = positions_needed(o);
        for (int i = 0; i < o->n_pos; i++) {
            kn_emp *e = &o->emp[i];
            int was = e->open;
            e->open = i < o->budget;
            if (e->open && !was && !e->filled)
                e->vacant_until = t + sc->staff.hiring_delay_days * DAY;
        }
        o->review_busy = o->review_visits = o->review_service = o->review_days = 0.0;
    }
    for (int i = 0; i < o->n_pos; i++) {
        kn_emp *e = &o->emp[i];
        if (e->filled) {
            if (kn_rng_uniform(&o->rng_emp) <
                kn_org_quit_probability(sc, e->exhaustion, e->morale, e->quit_factor)) {
                e->filled = 0;
                e->vacant_until = t + sc->staff.hiring_delay_days * DAY;
                KN_ADD(o, t0, quits, 1.0);
            }
        } else if (e->open && e->vacant_until <= t + 1e-9) {
            kn_staff_hire(o, e, sc->staff.new_hire_skill, 0);
            KN_ADD(o, t0, hires, 1.0);
            KN_ADD(o, t0, hiring, sc->staff.hiring_cost_days * sc->staff.wage_per_day);
            KN_ADD(o, t0, training_cost, sc->staff.training_cost * sc->policy.training);
        }
    }
}

void kn_staff_pressure(kn_org *o, int on_duty, double t0)
{
    const kn_scenario *sc = o->sc;
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
    KN_ADD(o, t0, wp_sum, o->wp);
    kn_org_acc *a[3];
    int n = kn_org_accs(o, t0, a);
    for (int i = 0; i < n; i++)
        a[i]->standard_end = o->standard;
}
