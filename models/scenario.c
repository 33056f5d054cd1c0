/* scenario.c - a scenario's defaults and its rules: every key within its range, the
 * rules across keys (warm-up shorter than the horizon, a mix that sums to at most 1, a
 * lognormal with a cv, ...), and the limits of what one simulation can hold (periods
 * per run, actors per process). The schema is the key table (scenario_keys.c); files
 * are read and written by sim/files/scenario_yaml.c, which adds to each fault found
 * here the place in the file where the key was given.
 */
#include "koning/scenario.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void kn_scenario_defaults(kn_scenario *sc)
{
    if (!sc)
        return;
    memset(sc, 0, sizeof *sc);
    snprintf(sc->name, sizeof sc->name, "%s", "scenario");
    sc->run.days = 30.0;
    sc->run.warmup_days = 2.0;
    sc->run.replications = 20;
    sc->run.seed = 1;
    sc->run.period_days = 7.0;
    sc->run.org_effect_sd = 0.0;
    sc->arrivals.per_hour = 0.0; /* required: per_hour or profile */
    sc->arrivals.use_profile = 0;
    sc->service.kind = KN_DIST_EXPONENTIAL;
    sc->service.mean_minutes = 0.0; /* required */
    sc->service.cv = 1.0;
    sc->patience.kind = KN_DIST_NONE; /* nobody abandons */
    sc->patience.mean_minutes = 0.0;
    sc->patience.cv = 1.0;
    sc->staff.employees = 0; /* required */
    /* the organisation model: defaults and their sources in docs/model.md */
    sc->staff.days_per_week = 5;
    sc->staff.hiring_delay_days = 30.0;
    sc->staff.ramp_days = 60.0;
    sc->staff.new_hire_skill = 0.3;
    sc->staff.slow_when_new = 0.5;
    sc->staff.wage_per_day = 150.0;
    sc->staff.hiring_cost_days = 90.0;
    sc->staff.training_days = 5.0;
    sc->staff.training_cost = 500.0;
    sc->staff.rule = 0;
    sc->staff.target = 0.85;
    sc->staff.max_employees = 0;
    sc->staff.review_days = 28.0;
    sc->customers.base = 0;
    sc->customers.mix_rude = 0.10;
    sc->customers.mix_exploitative = 0.05;
    sc->customers.abuse_probability = 0.8;
    sc->customers.rude_service_factor = 1.3;
    sc->customers.initial_satisfaction = 0.65;
    sc->customers.learning = 0.3;
    sc->customers.wait_tolerance_minutes = 5.0;
    sc->customers.dissatisfied_below = 0.5;
    sc->customers.complain_min = 0.03;
    sc->customers.complain_max = 0.70;
    sc->customers.recovery_bonus = 0.05;
    sc->customers.churn_base = 0.004;
    sc->customers.churn_loyalty = 0.09;
    sc->customers.acquisition_per_day = 0.0012;
    sc->customers.word_of_mouth = 4.0;
    sc->customers.value_per_visit = 20.0;
    sc->customers.value_cv = 1.0;
    sc->customers.claim_propensity = 0.5;
    sc->customers.claim_prior = 0.3;
    sc->customers.claim_learning = 0.3;
    sc->customers.claim_relationship_visits = 10.0;
    sc->customers.initial_tenure_years = 2.0;
    sc->customers.abuse_polite = 0.005;
    sc->customers.abuse_wait = 0.3;
    sc->customers.abuse_unresolved = 1.0;
    sc->customers.incivility_learning = 0.2;
    sc->customers.pushiness = 3.0;
    sc->customers.pushy_extra = 0.5;
    sc->customers.repeat_probability = 0.5;
    sc->customers.repeat_days = 3.0;
    sc->customers.repeat_max = 3;
    sc->customers.repeat_patience = 0.7;
    sc->customers.repeat_penalty = 0.1;
    sc->customers.retention_effect = 0.3;
    sc->customers.value_rude = 1.0;
    sc->customers.value_exploitative = 1.0;
    sc->employees.abuse_exhaustion = 0.025;
    sc->employees.abuse_morale = 0.003;
    sc->employees.moderation_backing = 0.5;
    sc->employees.moderation_autonomy = 0.3;
    sc->employees.moderation_boundaries = 0.4;
    sc->employees.workload_exhaustion = 0.3;
    sc->employees.workload_threshold = 0.7;
    sc->employees.recovery = 0.12;
    sc->employees.recovery_day_off = 0.3;
    sc->employees.morale_base = 0.75;
    sc->employees.morale_unbacked = 0.01;
    sc->employees.morale_backed = 0.005;
    sc->employees.morale_exhaustion = 0.3;
    sc->employees.morale_adjust = 0.05;
    sc->employees.morale_resolved = 0.0002;
    sc->employees.morale_unresolved = 0.0005;
    sc->employees.morale_reprimand = 0.01;
    sc->employees.rating_effect = 0.002;
    sc->employees.burnout_threshold = 0.7;
    sc->employees.quit_base = 0.035;
    sc->employees.quit_exhaustion = 3.0;
    sc->employees.quit_morale = 2.0;
    sc->employees.sick_base = 0.02;
    sc->employees.sick_exhaustion = 0.1;
    sc->employees.resilience_cv = 0.3;
    sc->employees.incivility_base = 0.05;
    sc->employees.incivility_exhaustion = 0.4;
    sc->employees.gesture_rate = 0.2;
    sc->employees.gesture_error = 0.02;
    sc->employees.morale_sd = 0.05;
    sc->employees.quit_cv = 0.5;
    sc->employees.speed_cv = 0.15;
    sc->work.pressure_elasticity = -0.64;
    sc->work.slack_elasticity = 0.0;
    sc->work.planned_utilisation = 0.85;
    sc->work.pressure_days = 7.0;
    sc->work.erosion_weeks = 19.0;
    sc->work.restore_weeks = 260.0;
    sc->work.base_resolution = 0.95;
    sc->work.defect_share = 0.05;
    sc->work.authority_share = 0.25;
    sc->work.authority_cost = 3.0;
    sc->work.staff_report = 0.2;
    sc->work.fix_effect = 0.02;
    sc->work.fix_delay_days = 30.0;
    sc->work.defect_renewal_weeks = 26.0;
    sc->policy.side_with_customer = 0.5;
    sc->policy.investigate = 0.2;
    sc->policy.compensation = 10.0;
    sc->policy.claim_ease = 0.5;
    sc->policy.reprimand = 0.2;
    sc->policy.end_abusive_contact = 0.0;
    sc->policy.ban_after_incidents = 0;
    sc->policy.rating_weight = 0.3;
    sc->policy.minutes_cap = 0.0;
    sc->policy.empowerment = 0.5;
    sc->policy.backing = 0.5;
    sc->policy.effort_by_value = 0.0;
    sc->policy.training = 0.0;
    sc->policy.investigation_cost = 15.0;
    sc->policy.investigation_days = 3.0;
    sc->policy.investigation_accuracy = 0.9;
    sc->policy.gesture_value = 10.0;
    sc->policy.root_cause = 0.0;
    sc->policy.root_cause_cost = 50.0;
    sc->policy.priority = 0.0;
    sc->policy.priority_value = 2.0;
    sc->policy.retention_effort = 0.0;
    sc->policy.retention_offer = 30.0;
    sc->policy.at_risk_below = 0.4;
    sc->backlash.reach = 9.5;
    sc->backlash.reach_banned = 9.5;
    sc->backlash.reach_positive = 4.5;
    sc->backlash.persuasion = 0.02;
    sc->backlash.weeks = 4.0;
    sc->backlash.public_share = 0.0001;
    sc->backlash.public_hit = 0.3;
    sc->backlash.public_weeks = 4.0;
    sc->market.size_factor = 4.0;
    sc->market.rival_quality = 0.65;
    sc->market.rival_pull = 2.0;
    sc->start.days = 0.0;
    sc->start.policy = sc->policy; /* the status quo defaults to the default policy */
    sc->spike.factor = 1.0;
    sc->spike.start_day = 0.0;
    sc->spike.days = 0.0;
    sc->effects = 1;
}
/* ---- the rules -------------------------------------------------------------------- */

static kn_status fault(kn_scenario_fault *f, const kn_param *key, const kn_param *near,
                       const char *name, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
static kn_status fault(kn_scenario_fault *f, const kn_param *key, const kn_param *near,
                       const char *name, const char *fmt, ...)
{
    f->key = key;
    f->near = near;
    snprintf(f->name, sizeof f->name, "%s", name ? name : key->path);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->reason, sizeof f->reason, fmt, ap);
    va_end(ap);
    return KN_ESCENARIO;
}

#define KEY(member) kn_param_at_offset(offsetof(kn_scenario, member))

/* Every key within its range (a required key still at its default is "required"). */
static kn_status check_ranges(const kn_scenario *sc, const kn_scenario *def, kn_scenario_fault *f)
{
    char a[32], why[96], key[KN_PARAM_NAME_MAX];
    const kn_param *rate = KEY(arrivals.per_hour), *prof = KEY(arrivals.profile);
    for (size_t i = 0; i < kn_param_count(); i++) {
        const kn_param *p = kn_param_at(i);
        if (p->type == KN_PT_STRING) {
            const char *s = (const char *)sc + p->offset;
            if (!memchr(s, '\0', KN_NAME_MAX))
                return fault(f, p, NULL, NULL, "is not NUL-terminated");
            if (!s[0])
                return fault(f, p, NULL, NULL, "must not be empty");
            continue;
        }
        if (kn_param_is_off(sc, p) && kn_param_is_off(def, p))
            continue; /* an optional block left out */
        if (p == rate && sc->arrivals.use_profile) {
            if (sc->arrivals.per_hour != 0.0)
                return fault(f, prof, rate, NULL,
                             "give either arrivals.per_hour or arrivals.profile, not both");
            continue;
        }
        if (p == prof && !sc->arrivals.use_profile)
            continue;
        for (size_t k = 0; k < p->count; k++) {
            double v = kn_param_get_number(sc, p, k), dv = kn_param_get_number(def, p, k);
            if (p->count > 1)
                snprintf(key, sizeof key, "%s[%zu]", p->path, k);
            else
                snprintf(key, sizeof key, "%s", p->path);
            if (p->type == KN_PT_UINT64)
                continue;
            if (p->type == KN_PT_DIST_KIND) {
                if (kn_param_range_side(p, v) == 0)
                    continue;
                char names[128];
                kn_param_kind_list(p, names, sizeof names);
                kn_dist_kind kind = kn_param_get_kind(sc, p);
                if (kn_dist_name(kind))
                    return fault(f, p, NULL, key, "must be one of %s; got '%s'", names,
                                 kn_dist_name(kind));
                return fault(f, p, NULL, key, "must be one of %s; got %zu", names, (size_t)kind);
            }
            int side = kn_param_range_side(p, v);
            if (!side)
                continue;
            if (v == dv && p == rate)
                return fault(f, p, NULL, key, "required, not given (give arrivals.per_hour or "
                                              "arrivals.profile)");
            if (v == dv)
                return fault(f, p, NULL, key, "required, not given");
            kn_param_bound_reason(p, side < 0, why, sizeof why);
            return fault(f, p, NULL, key, "%s, got %s", why, kn_format_number(a, sizeof a, v));
        }
    }
    return KN_OK;
}

/* The rules across keys. */
static kn_status check_rules(const kn_scenario *sc, kn_scenario_fault *f)
{
    char a[32], b[32], key[KN_PARAM_NAME_MAX];
    if (!(sc->run.warmup_days < sc->run.days))
        return fault(f, KEY(run.warmup_days), KEY(run.days), NULL, "must be < run.days (%s), got %s",
                     kn_format_number(a, sizeof a, sc->run.days),
                     kn_format_number(b, sizeof b, sc->run.warmup_days));

    if (sc->start.days != floor(sc->start.days))
        return fault(f, KEY(start.days), NULL, NULL, "must be a whole number of days (the switch "
                     "happens at a midnight), got %s", kn_format_number(a, sizeof a, sc->start.days));

    if (sc->arrivals.use_profile) {
        int any = 0;
        for (size_t h = 0; h < KN_HOURS_PER_DAY; h++)
            any |= sc->arrivals.profile[h] > 0.0;
        if (!any)
            return fault(f, KEY(arrivals.profile), NULL, NULL,
                         "at least one hour must have a rate > 0");
    }

    if (sc->customers.mix_rude + sc->customers.mix_exploitative > 1.0 + 1e-12)
        return fault(f, KEY(customers.mix_exploitative), KEY(customers.mix_rude), NULL,
                     "customers.mix.rude + customers.mix.exploitative must be <= 1 (polite "
                     "customers are the rest), got %s + %s",
                     kn_format_number(a, sizeof a, sc->customers.mix_rude),
                     kn_format_number(b, sizeof b, sc->customers.mix_exploitative));
    if (sc->customers.complain_min > sc->customers.complain_max)
        return fault(f, KEY(customers.complain_min), KEY(customers.complain_max), NULL,
                     "must be <= customers.complain_max (%s), got %s",
                     kn_format_number(a, sizeof a, sc->customers.complain_max),
                     kn_format_number(b, sizeof b, sc->customers.complain_min));

    if (sc->staff.max_employees > 0 && sc->staff.max_employees < sc->staff.employees)
        return fault(f, KEY(staff.max_employees), KEY(staff.employees), NULL,
                     "must be 0 (no more positions than staff.employees) or >= staff.employees "
                     "(%d), got %d", sc->staff.employees, sc->staff.max_employees);
    if (sc->market.size_factor > 0.0 && sc->market.size_factor < 1.0)
        return fault(f, KEY(market.size_factor), NULL, NULL,
                     "must be 0 (an unlimited market) or >= 1 (the market holds at least the "
                     "initial base), got %s", kn_format_number(a, sizeof a, sc->market.size_factor));

    /* a lognormal needs a positive cv (the cv key of the same block) */
    for (size_t i = 0; i < kn_param_count(); i++) {
        const kn_param *q = kn_param_at(i);
        if (q->type != KN_PT_DIST_KIND || kn_param_get_kind(sc, q) != KN_DIST_LOGNORMAL)
            continue;
        snprintf(key, sizeof key, "%.*s.cv", (int)kn_param_block_len(q->path), q->path);
        const kn_param *cv = kn_param_find(key);
        if (cv && !(kn_param_get_number(sc, cv, 0) > 0.0))
            return fault(f, cv, q, NULL, "must be > 0 for a lognormal distribution, got %s",
                         kn_format_number(a, sizeof a, kn_param_get_number(sc, cv, 0)));
    }
    return KN_OK;
}

/* ---- the limits of one simulation ------------------------------------------------------ */

/* Periods of the time series in one run: each is a row of every series in the run's
 * record, journal and results file. 10,000 is daily periods for 27 years, hourly for
 * 416 days. */
#define KN_MAX_PERIODS 10000
/* SimGrid actors in one simulation: every employee is one, the manager of the
 * organisation model another. Each has its own stack and guard page, two memory maps,
 * and Linux allows a process 65,530 maps by default (vm.max_map_count): SimGrid aborts
 * at about 32,700 actors. */
#define KN_MAX_ACTORS 30000

/* What keys may be in combination, so that every scenario the checks pass can run. */
static kn_status check_limits(const kn_scenario *sc, kn_scenario_fault *f)
{
    char a[32], b[32];
    /* Period boundaries must be exact in floating point: the model walks a visit's time
     * period by period, and a boundary that rounds below itself stops that walk. A whole
     * number of minutes is exact. */
    double minutes = sc->run.period_days * 1440.0;
    if (minutes < 1.0)
        return fault(f, KEY(run.period_days), NULL, NULL,
                     "must be at least one minute (1/1440 days), got %s days",
                     kn_format_number(a, sizeof a, sc->run.period_days));
    if (minutes != floor(minutes))
        return fault(f, KEY(run.period_days), NULL, NULL,
                     "must be a whole number of minutes (run.period_days x 1440), got %s days "
                     "= %s minutes",
                     kn_format_number(a, sizeof a, sc->run.period_days),
                     kn_format_number(b, sizeof b, minutes));
    double periods = ceil(sc->run.days / sc->run.period_days - 1e-9);
    if (periods > KN_MAX_PERIODS)
        return fault(f, KEY(run.period_days), KEY(run.days), NULL,
                     "gives %s periods per run (run.days / run.period_days), more than %d: "
                     "make each period at least %s minutes",
                     kn_format_number(a, sizeof a, periods), KN_MAX_PERIODS,
                     kn_format_number(b, sizeof b, ceil(sc->run.days * 1440.0 / KN_MAX_PERIODS)));
    /* under a staffing rule every position the budget allows has its actor */
    int budget = sc->customers.base > 0 && sc->staff.rule > 0 && sc->staff.max_employees > sc->staff.employees;
    int positions = budget ? sc->staff.max_employees : sc->staff.employees;
    long actors = (long)positions + (sc->customers.base > 0);
    if (actors > KN_MAX_ACTORS)
        return fault(f, budget ? KEY(staff.max_employees) : KEY(staff.employees), KEY(customers.base), NULL,
                     "%d %s%s make %ld actors in one simulation, more than %d (each has "
                     "its own stack; a process holds about 32,700)",
                     positions, budget ? "positions (staff.max_employees)" : "employees",
                     sc->customers.base > 0 ? " and the manager" : "", actors, KN_MAX_ACTORS);
    return KN_OK;
}

kn_status kn_scenario_validate(const kn_scenario *sc, kn_scenario_fault *f)
{
    kn_scenario def;
    kn_scenario_defaults(&def);
    KN_CHECK(check_ranges(sc, &def, f));
    KN_CHECK(check_rules(sc, f));
    return check_limits(sc, f);
}

kn_status kn_scenario_check(const kn_scenario *sc, kn_error *err)
{
    if (!sc)
        return kn_error_set(err, KN_EINVAL, "kn_scenario_check: no scenario");
    kn_scenario_fault f;
    kn_status rc = kn_scenario_validate(sc, &f);
    if (rc != KN_OK)
        return kn_error_set(err, rc, "key '%s': %s", f.name, f.reason);
    return KN_OK;
}
