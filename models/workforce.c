/* workforce.c - employees: hires, schedules and sick days, the day's strain and the
 * night's recovery, skill, morale, quits, and the work pressure that erodes the service
 * standard (docs/model.md sections 2.10-2.11). Draws: EMPLOYEE. */
#include "org_internal.h"

void kn_staff_hire(kn_org *o, kn_emp *e, double skill)
{
    e->filled = 1;
    e->exhaustion = 0.0;
    e->morale = kn_org_morale_target(o->sc, 0.0);
    e->skill = skill;
    e->resilience = o->resil_sigma > 0.0 ? exp(o->resil_mu + o->resil_sigma * kn_rng_normal(&o->rng_emp))
                                         : 1.0;
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
    return e->filled && !e->off_today && !e->sick_today;
}

/* Employees: the day's strain and the night's recovery (JD-R; Homer 1985). */
void kn_staff_day(kn_org *o, double t0, kn_staff_tally *tally)
{
    const kn_scenario *sc = o->sc;
    kn_staff_tally k = {0, 0, 0.0, 0.0, 0.0};
    for (int i = 0; i < o->n_pos; i++) {
        kn_emp *e = &o->emp[i];
        if (!e->filled)
            continue;
        k.filled++;
        int worked = !e->off_today && !e->sick_today;
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
            }
            e->exhaustion = kn_clip01(e->exhaustion);
            e->morale = kn_clip01(e->morale + sc->employees.morale_adjust *
                                               (kn_org_morale_target(sc, e->exhaustion) - e->morale));
        }
        k.morale += e->morale;
        k.exhaustion += e->exhaustion;
        k.burnout += e->exhaustion > sc->employees.burnout_threshold;
    }
    *tally = k;
}

void kn_staff_turnover(kn_org *o, double t, double t0)
{
    const kn_scenario *sc = o->sc;
    for (int i = 0; i < o->n_pos && o->effects; i++) {
        kn_emp *e = &o->emp[i];
        if (e->filled) {
            if (kn_rng_uniform(&o->rng_emp) < kn_org_quit_probability(sc, e->exhaustion, e->morale)) {
                e->filled = 0;
                e->vacant_until = t + sc->staff.hiring_delay_days * DAY;
                KN_ADD(o, t0, quits, 1.0);
            }
        } else if (e->vacant_until <= t + 1e-9) {
            kn_staff_hire(o, e, sc->staff.new_hire_skill);
            KN_ADD(o, t0, hires, 1.0);
            KN_ADD(o, t0, hiring, sc->staff.hiring_cost_days * sc->staff.wage_per_day);
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
