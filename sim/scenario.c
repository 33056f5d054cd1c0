/* scenario.c - reading, overriding, checking and writing scenarios.
 *
 * Every scenario key is one row of the table kn_params below: its dotted path, type,
 * place in kn_scenario, valid range, unit and meaning. The YAML reader uses libyaml's
 * document API (so every node carries its line and column), walks mappings building
 * dotted paths and looks each leaf up in the table. `--set a.b=value` parses the value
 * as YAML and goes through the same walker. The checker, the writer and the HDF5
 * parameter listing iterate the same table, so adding a key is one row here plus one
 * field in kn_scenario (rows of one block must stay together, see the table).
 *
 * There is no mutable global state: everything one parse needs lives in a kn_ctx on
 * the caller's stack, and a failed load or override leaves the caller's scenario as
 * it was. Numbers are read with strtod/strtoll and written with printf, so they assume
 * the "C" LC_NUMERIC locale (the default of a C program).
 */
#include "koning/scenario.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "yamlread.h"

#if defined(__GNUC__)
#define KN_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define KN_PRINTF(f, a)
#endif

#define KN_KEY_MAX 256                 /* longest dotted key path handled */
#define KN_FILE_MAX_BYTES (16u << 20)  /* a scenario file larger than this is refused */
#define KN_MAX_DEPTH 32                /* deepest nesting of mappings and sequences read */

/* ---- the table of keys -----------------------------------------------------------
 * One row per key, in a stable order (it is the order of the written YAML and of the
 * HDF5 parameter listing). Keys of one block must be contiguous. A key whose default
 * lies outside its own valid range is required (the checker says "required, not
 * given" when it still has its default). A block holding a KN_PT_DIST_KIND key named
 * "distribution" whose default is KN_DIST_NONE is optional: it is off until the
 * block or any key in it is given, and then its distribution defaults to exponential.
 */
#define ROW(path, type, member, count, min, max, min_excl, unit, help) \
    { path, type, offsetof(kn_scenario, member), count, min, max, min_excl, unit, help }

static const kn_param kn_params[] = {
    /* path, type, member, count, min, max, min exclusive, unit, help */
    ROW("name", KN_PT_STRING, name, 1, 0, 0, 0, "",
        "name used in reports; default: the file's base name without extension"),
    ROW("run.days", KN_PT_DOUBLE, run.days, 1, 0, 3650, 1, "days",
        "simulated horizon of each replication"),
    ROW("run.warmup_days", KN_PT_DOUBLE, run.warmup_days, 1, 0, 3650, 0, "days",
        "initial period left out of the statistics; < run.days"),
    ROW("run.replications", KN_PT_INT, run.replications, 1, 2, 100000, 0, "",
        "number of independent replications"),
    ROW("run.seed", KN_PT_UINT64, run.seed, 1, 0, 18446744073709551615.0, 0, "",
        "master random seed, 0 .. 2^64-1"),
    ROW("run.sample_minutes", KN_PT_DOUBLE, run.sample_minutes, 1, 0, 1440, 1, "min",
        "period of the queue-length monitor"),
    ROW("run.period_days", KN_PT_DOUBLE, run.period_days, 1, 0, 3650, 1, "days",
        "length of one period of the time series (results files, plots)"),
    ROW("arrivals.per_hour", KN_PT_DOUBLE, arrivals.per_hour, 1, 0, 1e7, 1, "1/h",
        "constant Poisson arrival rate; or give arrivals.profile"),
    ROW("arrivals.profile", KN_PT_DOUBLE_ARRAY, arrivals.profile, KN_HOURS_PER_DAY, 0, 1e7, 0,
        "1/h", "arrival rate for each hour of the day, 24 values from 00:00"),
    ROW("service.distribution", KN_PT_DIST_KIND, service.kind, 1, KN_DIST_EXPONENTIAL,
        KN_DIST_DETERMINISTIC, 0, "", "distribution of the service time"),
    ROW("service.mean_minutes", KN_PT_DOUBLE, service.mean_minutes, 1, 0, 1e6, 1, "min",
        "mean service time"),
    ROW("service.cv", KN_PT_DOUBLE, service.cv, 1, 0, 100, 0, "",
        "coefficient of variation of the service time (lognormal only)"),
    ROW("patience.distribution", KN_PT_DIST_KIND, patience.kind, 1, KN_DIST_EXPONENTIAL,
        KN_DIST_DETERMINISTIC, 0, "", "distribution of the time a waiting customer stays"),
    ROW("patience.mean_minutes", KN_PT_DOUBLE, patience.mean_minutes, 1, 0, 1e6, 1, "min",
        "mean patience"),
    ROW("patience.cv", KN_PT_DOUBLE, patience.cv, 1, 0, 100, 0, "",
        "coefficient of variation of the patience (lognormal only)"),
    ROW("staff.employees", KN_PT_INT, staff.employees, 1, 1, 100000, 0, "",
        "number of positions (servers); the organisation model can leave some vacant"),
    ROW("staff.days_per_week", KN_PT_INT, staff.days_per_week, 1, 1, 7, 0, "days",
        "working days of each employee per week, days off rotate (organisation model)"),
    ROW("staff.hiring_delay_days", KN_PT_DOUBLE, staff.hiring_delay_days, 1, 0, 3650, 0, "days",
        "time to fill a vacancy after a quit"),
    ROW("staff.ramp_days", KN_PT_DOUBLE, staff.ramp_days, 1, 0, 3650, 1, "days",
        "working days for a new hire to reach full skill"),
    ROW("staff.new_hire_skill", KN_PT_DOUBLE, staff.new_hire_skill, 1, 0, 1, 1, "",
        "skill of a new hire (1 = fully proficient)"),
    ROW("staff.slow_when_new", KN_PT_DOUBLE, staff.slow_when_new, 1, 0, 10, 0, "",
        "extra service time at skill 0, as a share (0.5 = 50 % longer)"),
    ROW("staff.wage_per_day", KN_PT_DOUBLE, staff.wage_per_day, 1, 0, 1000000000.0, 0, "money/day",
        "pay of one employee per calendar day"),
    ROW("staff.hiring_cost_days", KN_PT_DOUBLE, staff.hiring_cost_days, 1, 0, 3650, 0, "days",
        "cost of replacing an employee, in days of pay"),
    ROW("customers.base", KN_PT_INT, customers.base, 1, 0, 10000000, 0, "",
        "initial number of customers; 0 = queue model only (no customers, employees or policy)"),
    ROW("customers.mix.rude", KN_PT_DOUBLE, customers.mix_rude, 1, 0, 1, 0, "",
        "share of rude (verbally aggressive, demanding) customers"),
    ROW("customers.mix.exploitative", KN_PT_DOUBLE, customers.mix_exploitative, 1, 0, 1, 0, "",
        "share of exploitative customers (opportunistic claims); polite = the rest"),
    ROW("customers.abuse_probability", KN_PT_DOUBLE, customers.abuse_probability, 1, 0, 1, 0, "",
        "probability that a rude customer's visit is abusive"),
    ROW("customers.rude_service_factor", KN_PT_DOUBLE, customers.rude_service_factor, 1, 0, 100, 1, "",
        "a rude customer needs this many times the usual service time"),
    ROW("customers.initial_satisfaction", KN_PT_DOUBLE, customers.initial_satisfaction, 1, 0, 1, 0, "",
        "satisfaction and loyalty of every customer at the start and of newcomers"),
    ROW("customers.learning", KN_PT_DOUBLE, customers.learning, 1, 0, 1, 0, "",
        "weight of the latest visit in satisfaction and loyalty"),
    ROW("customers.wait_tolerance_minutes", KN_PT_DOUBLE, customers.wait_tolerance_minutes, 1, 0, 1000000.0, 1, "min",
        "wait at which the wait part of perceived quality falls to 1/e"),
    ROW("customers.dissatisfied_below", KN_PT_DOUBLE, customers.dissatisfied_below, 1, 0, 1, 1, "",
        "a visit of perceived quality below this is a problem"),
    ROW("customers.complain_min", KN_PT_DOUBLE, customers.complain_min, 1, 0, 1, 0, "",
        "probability of complaining about a mild problem"),
    ROW("customers.complain_max", KN_PT_DOUBLE, customers.complain_max, 1, 0, 1, 0, "",
        "probability of complaining about the worst problem"),
    ROW("customers.recovery_bonus", KN_PT_DOUBLE, customers.recovery_bonus, 1, 0, 1, 0, "",
        "satisfaction above the pre-problem level after an upheld complaint (recovery paradox)"),
    ROW("customers.churn_base", KN_PT_DOUBLE, customers.churn_base, 1, 0, 1, 0, "",
        "probability of leaving after any visit"),
    ROW("customers.churn_loyalty", KN_PT_DOUBLE, customers.churn_loyalty, 1, 0, 1, 0, "",
        "added probability of leaving, times (1 - loyalty)^2"),
    ROW("customers.acquisition_per_day", KN_PT_DOUBLE, customers.acquisition_per_day, 1, 0, 1, 0, "1/day",
        "new customers per day per initial customer, at initial satisfaction"),
    ROW("customers.word_of_mouth", KN_PT_DOUBLE, customers.word_of_mouth, 1, 0, 100, 0, "",
        "gamma: new customers scale with exp(gamma (mean satisfaction - initial))"),
    ROW("customers.value_per_visit", KN_PT_DOUBLE, customers.value_per_visit, 1, 0, 1000000000.0, 0, "money",
        "mean revenue of a served visit"),
    ROW("customers.value_cv", KN_PT_DOUBLE, customers.value_cv, 1, 0, 100, 0, "",
        "spread (coefficient of variation) of customer value, lognormal"),
    ROW("customers.claim_propensity", KN_PT_DOUBLE, customers.claim_propensity, 1, 0, 1, 0, "",
        "c0: claim probability per visit of a new exploitative customer sure to be paid"),
    ROW("customers.claim_prior", KN_PT_DOUBLE, customers.claim_prior, 1, 0, 1, 0, "",
        "a newcomer's belief that a claim will be paid"),
    ROW("customers.claim_learning", KN_PT_DOUBLE, customers.claim_learning, 1, 0, 1, 0, "",
        "weight of the latest claim's outcome in that belief"),
    ROW("customers.claim_relationship_visits", KN_PT_DOUBLE, customers.claim_relationship_visits, 1, 0, 1000000.0, 1, "",
        "V0: claims fall as 1/(1 + visits/V0) with relationship length"),
    ROW("customers.initial_tenure_years", KN_PT_DOUBLE, customers.initial_tenure_years, 1, 0, 100, 0, "years",
        "mean past tenure of the initial customers (exponential); their past visits follow from it"),
    ROW("employee.abuse_exhaustion", KN_PT_DOUBLE, employees.abuse_exhaustion, 1, 0, 1, 0, "",
        "h: exhaustion added by one abusive contact, before moderation"),
    ROW("employee.abuse_morale", KN_PT_DOUBLE, employees.abuse_morale, 1, 0, 1, 0, "",
        "morale lost by one abusive contact, before moderation"),
    ROW("employee.moderation_backing", KN_PT_DOUBLE, employees.moderation_backing, 1, 0, 1, 0, "",
        "b1: share of the abuse hit removed by full management backing"),
    ROW("employee.moderation_autonomy", KN_PT_DOUBLE, employees.moderation_autonomy, 1, 0, 1, 0, "",
        "b2: share removed by full autonomy (policy.empowerment)"),
    ROW("employee.moderation_boundaries", KN_PT_DOUBLE, employees.moderation_boundaries, 1, 0, 1, 0, "",
        "b3: share removed by clear boundaries (may end abusive contacts)"),
    ROW("employee.workload_exhaustion", KN_PT_DOUBLE, employees.workload_exhaustion, 1, 0, 10, 0, "1/day",
        "w: exhaustion per day per unit of utilisation above the threshold"),
    ROW("employee.workload_threshold", KN_PT_DOUBLE, employees.workload_threshold, 1, 0, 10, 0, "",
        "u0: utilisation above which workload exhausts"),
    ROW("employee.recovery", KN_PT_DOUBLE, employees.recovery, 1, 0, 1, 0, "1/day",
        "share of exhaustion recovered overnight after a working day"),
    ROW("employee.recovery_day_off", KN_PT_DOUBLE, employees.recovery_day_off, 1, 0, 1, 0, "1/day",
        "share of exhaustion recovered on a day off or sick day"),
    ROW("employee.morale_base", KN_PT_DOUBLE, employees.morale_base, 1, 0, 1, 0, "",
        "morale an employee tends to when not exhausted"),
    ROW("employee.morale_unbacked", KN_PT_DOUBLE, employees.morale_unbacked, 1, 0, 1, 0, "",
        "morale lost when a complaint about a problem the employee did not cause is upheld uninvestigated"),
    ROW("employee.morale_backed", KN_PT_DOUBLE, employees.morale_backed, 1, 0, 1, 0, "",
        "morale gained when an investigation clears the employee"),
    ROW("employee.morale_exhaustion", KN_PT_DOUBLE, employees.morale_exhaustion, 1, 0, 1, 0, "",
        "morale taken from that target per unit exhaustion"),
    ROW("employee.morale_adjust", KN_PT_DOUBLE, employees.morale_adjust, 1, 0, 1, 0, "1/day",
        "daily pull of morale toward its target"),
    ROW("employee.morale_resolved", KN_PT_DOUBLE, employees.morale_resolved, 1, 0, 1, 0, "",
        "morale gained per problem solved"),
    ROW("employee.morale_unresolved", KN_PT_DOUBLE, employees.morale_unresolved, 1, 0, 1, 0, "",
        "morale lost per problem the employee was not allowed or able to solve"),
    ROW("employee.morale_reprimand", KN_PT_DOUBLE, employees.morale_reprimand, 1, 0, 1, 0, "",
        "morale lost per reprimand (twice that when not at fault)"),
    ROW("employee.rating_effect", KN_PT_DOUBLE, employees.rating_effect, 1, 0, 1, 0, "",
        "morale per unit of customer rating above 0.7, times policy.rating_weight"),
    ROW("employee.burnout_threshold", KN_PT_DOUBLE, employees.burnout_threshold, 1, 0, 1, 1, "",
        "exhaustion above which an employee counts as burned out"),
    ROW("employee.quit_base", KN_PT_DOUBLE, employees.quit_base, 1, 0, 100, 0, "1/year",
        "quit hazard at zero exhaustion and full morale"),
    ROW("employee.quit_exhaustion", KN_PT_DOUBLE, employees.quit_exhaustion, 1, 0, 100, 0, "",
        "beta_e: log quit hazard per unit exhaustion"),
    ROW("employee.quit_morale", KN_PT_DOUBLE, employees.quit_morale, 1, 0, 100, 0, "",
        "beta_m: log quit hazard per unit of missing morale"),
    ROW("employee.sick_base", KN_PT_DOUBLE, employees.sick_base, 1, 0, 1, 0, "",
        "probability of a sick day at zero exhaustion"),
    ROW("employee.sick_exhaustion", KN_PT_DOUBLE, employees.sick_exhaustion, 1, 0, 1, 0, "",
        "added probability of a sick day per unit exhaustion"),
    ROW("employee.resilience_cv", KN_PT_DOUBLE, employees.resilience_cv, 1, 0, 10, 0, "",
        "spread of individual sensitivity to strain (lognormal, mean 1)"),
    ROW("work.pressure_elasticity", KN_PT_DOUBLE, work.pressure_elasticity, 1, -10, 0, 0, "",
        "alpha: time per customer scales with work pressure^alpha"),
    ROW("work.slack_elasticity", KN_PT_DOUBLE, work.slack_elasticity, 1, -10, 0, 0, "",
        "the same elasticity below work pressure 1 (0: slack does not buy extra time)"),
    ROW("work.planned_utilisation", KN_PT_DOUBLE, work.planned_utilisation, 1, 0, 1, 1, "",
        "utilisation management plans capacity on (work pressure 1)"),
    ROW("work.pressure_days", KN_PT_DOUBLE, work.pressure_days, 1, 0, 3650, 1, "days",
        "smoothing time of perceived work pressure"),
    ROW("work.erosion_weeks", KN_PT_DOUBLE, work.erosion_weeks, 1, 0, 10000, 1, "weeks",
        "time for the service standard to follow practice down"),
    ROW("work.restore_weeks", KN_PT_DOUBLE, work.restore_weeks, 1, 0, 100000, 1, "weeks",
        "time for the service standard to follow practice up"),
    ROW("work.base_resolution", KN_PT_DOUBLE, work.base_resolution, 1, 0, 1, 0, "",
        "r0: probability of solving a problem under ideal conditions"),
    ROW("work.defect_share", KN_PT_DOUBLE, work.defect_share, 1, 0, 1, 0, "",
        "share of visits about a recurring defect staff cannot fix"),
    ROW("work.authority_share", KN_PT_DOUBLE, work.authority_share, 1, 0, 1, 0, "",
        "share of problems that need authority; solved only if policy.empowerment allows"),
    ROW("policy.side_with_customer", KN_PT_DOUBLE, policy.side_with_customer, 1, 0, 1, 0, "",
        "probability of upholding a complaint that was not investigated"),
    ROW("policy.investigate", KN_PT_DOUBLE, policy.investigate, 1, 0, 1, 0, "",
        "share of complaints investigated before deciding"),
    ROW("policy.compensation", KN_PT_DOUBLE, policy.compensation, 1, 0, 1000000000.0, 0, "money",
        "payout per upheld complaint"),
    ROW("policy.claim_ease", KN_PT_DOUBLE, policy.claim_ease, 1, 0, 1, 0, "",
        "how easy an opportunistic claim is to make and get paid (1 = no questions asked)"),
    ROW("policy.reprimand", KN_PT_DOUBLE, policy.reprimand, 1, 0, 1, 0, "",
        "probability of reprimanding the employee when a complaint is upheld"),
    ROW("policy.end_abusive_contact", KN_PT_DOUBLE, policy.end_abusive_contact, 1, 0, 1, 0, "",
        "staff may end an abusive contact (1 = always, a clear boundary)"),
    ROW("policy.ban_after_incidents", KN_PT_INT, policy.ban_after_incidents, 1, 0, 1000000, 0, "",
        "ban a customer after this many recorded incidents; 0 = never"),
    ROW("policy.rating_weight", KN_PT_DOUBLE, policy.rating_weight, 1, 0, 1, 0, "",
        "weight of customer ratings in staff evaluation"),
    ROW("policy.minutes_cap", KN_PT_DOUBLE, policy.minutes_cap, 1, 0, 1000000.0, 0, "min",
        "most time an employee may spend on one customer; 0 = no cap"),
    ROW("policy.empowerment", KN_PT_DOUBLE, policy.empowerment, 1, 0, 1, 0, "",
        "authority of staff to resolve problems themselves"),
    ROW("policy.backing", KN_PT_DOUBLE, policy.backing, 1, 0, 1, 0, "",
        "management support of staff against customers"),
    ROW("policy.effort_by_value", KN_PT_DOUBLE, policy.effort_by_value, 1, 0, 1, 0, "",
        "0 = equal effort; 1 = time proportional to the customer's value (Fader)"),
    ROW("policy.training", KN_PT_DOUBLE, policy.training, 1, 0, 10, 0, "",
        "training of new hires: ramp-up runs (1 + training) times faster"),
    ROW("demand.spike_factor", KN_PT_DOUBLE, spike.factor, 1, 0, 1000, 0, "",
        "arrival rate multiplier during the demand spike"),
    ROW("demand.spike_start_day", KN_PT_DOUBLE, spike.start_day, 1, 0, 3650, 0, "days",
        "day the demand spike starts"),
    ROW("demand.spike_days", KN_PT_DOUBLE, spike.days, 1, 0, 3650, 0, "days",
        "length of the demand spike; 0 = none"),
    ROW("behaviour.effects", KN_PT_INT, effects, 1, 0, 1, 0, "",
        "1: behavioural mechanisms on; 0: off (the organisation reduces to the queue)"),
};
#undef ROW

#define KN_NPARAMS (sizeof kn_params / sizeof kn_params[0])

_Static_assert(sizeof(((kn_scenario *)0)->arrivals.profile) == KN_HOURS_PER_DAY * sizeof(double),
               "arrivals.profile row count");
_Static_assert(sizeof(((kn_scenario *)0)->name) == KN_NAME_MAX, "KN_PT_STRING is char[KN_NAME_MAX]");

/* Spellings of kn_dist_kind; a key accepts those with index in [min, max]. */
static const char *const kn_dist_names[] = {
    [KN_DIST_NONE] = "none",
    [KN_DIST_EXPONENTIAL] = "exponential",
    [KN_DIST_LOGNORMAL] = "lognormal",
    [KN_DIST_DETERMINISTIC] = "deterministic",
};
#define KN_NDIST (sizeof kn_dist_names / sizeof kn_dist_names[0])

size_t kn_param_count(void)
{
    return KN_NPARAMS;
}

const kn_param *kn_param_at(size_t i)
{
    return i < KN_NPARAMS ? &kn_params[i] : NULL;
}

const kn_param *kn_param_find(const char *path)
{
    if (!path)
        return NULL;
    for (size_t i = 0; i < KN_NPARAMS; i++)
        if (strcmp(kn_params[i].path, path) == 0)
            return &kn_params[i];
    return NULL;
}

static size_t param_index(const kn_param *p)
{
    return (size_t)(p - kn_params);
}

/* The row stored at this offset of kn_scenario (used for the few keys with rules). */
static size_t index_at(size_t offset)
{
    for (size_t i = 0; i < KN_NPARAMS; i++)
        if (kn_params[i].offset == offset)
            return i;
    return KN_NPARAMS;
}

static void *field(kn_scenario *sc, const kn_param *p)
{
    return (char *)sc + p->offset;
}

static const void *cfield(const kn_scenario *sc, const kn_param *p)
{
    return (const char *)sc + p->offset;
}

static kn_dist_kind get_kind(const kn_scenario *sc, const kn_param *p)
{
    kn_dist_kind k;
    memcpy(&k, cfield(sc, p), sizeof k);
    return k;
}

static void set_kind(kn_scenario *sc, const kn_param *p, kn_dist_kind k)
{
    memcpy(field(sc, p), &k, sizeof k);
}

double kn_param_get_number(const kn_scenario *sc, const kn_param *p, size_t index)
{
    if (!sc || !p || index >= p->count)
        return NAN;
    const char *f = cfield(sc, p);
    switch (p->type) {
    case KN_PT_INT: {
        int v;
        memcpy(&v, f, sizeof v);
        return v;
    }
    case KN_PT_UINT64: {
        uint64_t v;
        memcpy(&v, f, sizeof v);
        return (double)v;
    }
    case KN_PT_DOUBLE: {
        double v;
        memcpy(&v, f, sizeof v);
        return v;
    }
    case KN_PT_DIST_KIND:
        return (double)get_kind(sc, p);
    case KN_PT_DOUBLE_ARRAY: {
        double v;
        memcpy(&v, f + index * sizeof v, sizeof v);
        return v;
    }
    case KN_PT_STRING:
        break;
    }
    return NAN;
}

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
    sc->run.sample_minutes = 5.0;
    sc->run.period_days = 7.0;
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
    sc->customers.acquisition_per_day = 0.0008;
    sc->customers.word_of_mouth = 4.0;
    sc->customers.value_per_visit = 20.0;
    sc->customers.value_cv = 1.0;
    sc->customers.claim_propensity = 0.5;
    sc->customers.claim_prior = 0.3;
    sc->customers.claim_learning = 0.3;
    sc->customers.claim_relationship_visits = 10.0;
    sc->customers.initial_tenure_years = 2.0;
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
    sc->work.pressure_elasticity = -0.64;
    sc->work.slack_elasticity = 0.0;
    sc->work.planned_utilisation = 0.85;
    sc->work.pressure_days = 7.0;
    sc->work.erosion_weeks = 19.0;
    sc->work.restore_weeks = 260.0;
    sc->work.base_resolution = 0.95;
    sc->work.defect_share = 0.05;
    sc->work.authority_share = 0.4;
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
    sc->spike.factor = 1.0;
    sc->spike.start_day = 0.0;
    sc->spike.days = 0.0;
    sc->effects = 1;
}

/* ---- paths and blocks ------------------------------------------------------------ */

/* Length of the block part of a dotted path (up to its last '.'), 0 at top level. */
static size_t block_len(const char *path)
{
    const char *d = strrchr(path, '.');
    return d ? (size_t)(d - path) : 0;
}

/* 1 if `path` is the block path[0..n) of `block`, or inside it. */
static int in_block(const char *path, const char *block, size_t n)
{
    return n > 0 && strncmp(path, block, n) == 0 && (path[n] == '\0' || path[n] == '.');
}

/* 1 if `path` names a block: some key lies under "path.". */
static int is_block(const char *path)
{
    size_t n = strlen(path);
    for (size_t i = 0; i < KN_NPARAMS; i++)
        if (n > 0 && strncmp(kn_params[i].path, path, n) == 0 && kn_params[i].path[n] == '.')
            return 1;
    return 0;
}

/* The distribution key of the block containing `path` (or being `path`), or NULL. */
static const kn_param *dist_of(const char *path)
{
    for (size_t i = 0; i < KN_NPARAMS; i++) {
        const kn_param *q = &kn_params[i];
        if (q->type == KN_PT_DIST_KIND && in_block(path, q->path, block_len(q->path)))
            return q;
    }
    return NULL;
}

/* 1 if p lies in an optional distribution block that is off. */
static int block_off(const kn_scenario *sc, const kn_param *p)
{
    const kn_param *q = dist_of(p->path);
    return q && get_kind(sc, q) == KN_DIST_NONE;
}

/* Giving a block or any key in it switches an off distribution block on. */
static void enable_block(kn_scenario *sc, const char *path)
{
    const kn_param *q = dist_of(path);
    if (q && get_kind(sc, q) == KN_DIST_NONE)
        set_kind(sc, q, KN_DIST_EXPONENTIAL);
}

/* "a, b, c": the names directly under `block` ("" = top level), in table order. */
static void list_children(const char *block, char *out, size_t cap)
{
    size_t n = strlen(block), used = 0, prev_len = 0;
    const char *prev = NULL;
    out[0] = '\0';
    for (size_t i = 0; i < KN_NPARAMS; i++) {
        const char *rest = kn_params[i].path;
        if (n > 0) {
            if (strncmp(rest, block, n) != 0 || rest[n] != '.')
                continue;
            rest += n + 1;
        }
        size_t len = strcspn(rest, ".");
        if (prev && len == prev_len && strncmp(rest, prev, len) == 0)
            continue;
        int w = snprintf(out + used, cap - used, "%s%.*s", prev ? ", " : "", (int)len, rest);
        if (w < 0 || (size_t)w >= cap - used)
            break;
        used += (size_t)w;
        prev = rest;
        prev_len = len;
    }
}

/* ---- did you mean ---------------------------------------------------------------- */

/* The known key or block closest to `u`, copied into out; 0 if nothing is close enough. */
static int suggest(const char *u, char *out, size_t cap)
{
    const char *cands[KN_NPARAMS];
    size_t len = 0;
    for (size_t i = 0; i < KN_NPARAMS; i++)
        cands[i] = kn_params[i].path;
    const char *s = kn_yr_suggest(u, cands, KN_NPARAMS, 1, &len);
    if (s)
        snprintf(out, cap, "%.*s", (int)len, s);
    return s != NULL;
}

/* ---- messages -------------------------------------------------------------------- */

typedef enum kn_from {
    KN_FROM_CODE, /* kn_scenario_check on a scenario: messages name the key only */
    KN_FROM_FILE, /* a file or string: "FILE:LINE:COL: " */
    KN_FROM_SET   /* an override: "--set a.b=value: " */
} kn_from;

/* Everything one load, override or check needs; lives on the caller's stack. */
typedef struct kn_ctx {
    kn_from from;
    const char *origin;   /* file name (FILE) or the assignment (SET) */
    kn_error *err;
    yaml_document_t *doc; /* the document being walked */
    kn_scenario *sc;      /* the scenario being filled (a copy of the caller's) */
    kn_yr_loc where[KN_NPARAMS]; /* where each key was given in this load/override */
} kn_ctx;

static const kn_yr_loc kn_nowhere = { 0, 0 };

static void vappend(char *buf, size_t cap, size_t *used, const char *fmt, va_list ap)
    KN_PRINTF(4, 0);
static void vappend(char *buf, size_t cap, size_t *used, const char *fmt, va_list ap)
{
    if (*used + 1 >= cap)
        return;
    int w = vsnprintf(buf + *used, cap - *used, fmt, ap);
    if (w > 0)
        *used = *used + (size_t)w < cap ? *used + (size_t)w : cap - 1;
}

static void append(char *buf, size_t cap, size_t *used, const char *fmt, ...) KN_PRINTF(4, 5);
static void append(char *buf, size_t cap, size_t *used, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vappend(buf, cap, used, fmt, ap);
    va_end(ap);
}

/* Fail with KN_ESCENARIO: "<where>: key '<key>': <reason>". */
static kn_status fail(const kn_ctx *c, kn_yr_loc at, const char *key, const char *fmt, ...)
    KN_PRINTF(4, 5);
static kn_status fail(const kn_ctx *c, kn_yr_loc at, const char *key, const char *fmt, ...)
{
    char msg[KN_ERROR_MSG_MAX], shown[KN_KEY_MAX + 8];
    size_t used = 0;
    msg[0] = '\0';
    switch (c->from) {
    case KN_FROM_FILE:
        if (at.line)
            append(msg, sizeof msg, &used, "%s:%zu:%zu: ", c->origin, at.line, at.col);
        else
            append(msg, sizeof msg, &used, "%s: ", c->origin);
        break;
    case KN_FROM_SET:
        append(msg, sizeof msg, &used, "--set %s: ",
               kn_yr_show(shown, sizeof shown, c->origin, strlen(c->origin), 200));
        break;
    case KN_FROM_CODE:
        break;
    }
    if (key)
        append(msg, sizeof msg, &used, "key '%s': ",
               kn_yr_show(shown, sizeof shown, key, strlen(key), KN_KEY_MAX));
    va_list ap;
    va_start(ap, fmt);
    vappend(msg, sizeof msg, &used, fmt, ap);
    va_end(ap);
    return kn_error_set(c->err, KN_ESCENARIO, "%s", msg);
}

/* "must be > 0" etc. for a value below (low) or above the range of p. */
static void bound_reason(const kn_param *p, int low, char *why, size_t cap)
{
    char b[32];
    if (low)
        snprintf(why, cap, "must be %s %s", p->min_exclusive ? ">" : ">=",
                 kn_yr_fmtnum(b, sizeof b, p->min));
    else if (p->type == KN_PT_UINT64)
        snprintf(why, cap, "must be <= %" PRIu64, UINT64_MAX);
    else
        snprintf(why, cap, "must be <= %s", kn_yr_fmtnum(b, sizeof b, p->max));
}

/* 0 if v is in the range of p, else -1 (too low) or 1 (too high). */
static int range_side(const kn_param *p, double v)
{
    if (p->min_exclusive ? !(v > p->min) : !(v >= p->min))
        return -1;
    if (!(v <= p->max))
        return 1;
    return 0;
}

/* "exponential, lognormal, deterministic": the spellings key p accepts. */
static void enum_list(const kn_param *p, char *out, size_t cap)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t k = 0; k < KN_NDIST; k++)
        if ((double)k >= p->min && (double)k <= p->max)
            append(out, cap, &used, "%s%s", used ? ", " : "", kn_dist_names[k]);
}

/* ---- numbers --------------------------------------------------------------------- */

typedef enum kn_num { KN_NUM_OK, KN_NUM_BAD, KN_NUM_LOW, KN_NUM_HIGH } kn_num;

/* A decimal number: digits, sign, '.', exponent; whole string; finite. */
static kn_num parse_double(const char *s, double *out)
{
    size_t len = strlen(s);
    if (len == 0 || strspn(s, "0123456789+-.eE") != len || strpbrk(s, "0123456789") == NULL)
        return KN_NUM_BAD;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end != s + len)
        return KN_NUM_BAD;
    if (errno == ERANGE && isinf(v))
        return v > 0 ? KN_NUM_HIGH : KN_NUM_LOW;
    if (!isfinite(v))
        return KN_NUM_BAD;
    *out = v;
    return KN_NUM_OK;
}

/* Optional sign and decimal digits only: no fraction, no exponent. */
static int all_digits(const char *s)
{
    return *s && strspn(s, "0123456789") == strlen(s);
}

static kn_num parse_integer(const char *s, long long *out)
{
    if (!all_digits(s + (*s == '+' || *s == '-')))
        return KN_NUM_BAD;
    errno = 0;
    long long v = strtoll(s, NULL, 10);
    if (errno == ERANGE)
        return v > 0 ? KN_NUM_HIGH : KN_NUM_LOW;
    *out = v;
    return KN_NUM_OK;
}

static kn_num parse_uint64(const char *s, uint64_t *out)
{
    if (*s == '-')
        return all_digits(s + 1) ? KN_NUM_LOW : KN_NUM_BAD;
    if (!all_digits(s + (*s == '+')))
        return KN_NUM_BAD;
    errno = 0;
    unsigned long long v = strtoull(s, NULL, 10);
    if (errno == ERANGE)
        return KN_NUM_HIGH;
    *out = (uint64_t)v;
    return KN_NUM_OK;
}

/* Read scalar `node` as a value of the numeric key p (element `index` of an array) and
 * store it; `key` is the name used in messages. */
static kn_status set_number(kn_ctx *c, const kn_param *p, size_t index, const char *key,
                            const yaml_node_t *node)
{
    const char *noun = p->type == KN_PT_INT      ? "an integer"
                       : p->type == KN_PT_UINT64 ? "a non-negative integer"
                                                 : "a number";
    kn_yr_loc at = kn_yr_loc_of(node);
    char got[KN_YR_SHOW_MAX + 8], d[KN_YR_SHOW_MAX + 16];
    if (node->type != YAML_SCALAR_NODE)
        return fail(c, at, key, "expected %s, got %s", noun, kn_yr_describe(node, d, sizeof d));
    if (kn_yr_is_null(node))
        return fail(c, at, key, "missing value (expected %s)", noun);
    const char *s = (const char *)node->data.scalar.value;
    size_t len = node->data.scalar.length;
    kn_yr_show(got, sizeof got, s, len, KN_YR_SHOW_MAX);
    if (node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return fail(c, at, key, "expected %s, got the quoted string '%s' (write numbers without quotes)",
                    noun, got);
    if (strlen(s) != len)
        return fail(c, at, key, "expected %s, got '%s'", noun, got);

    double v = 0.0;
    long long iv = 0;
    uint64_t uv = 0;
    kn_num rc;
    switch (p->type) {
    case KN_PT_INT:
        rc = parse_integer(s, &iv);
        v = (double)iv;
        break;
    case KN_PT_UINT64:
        rc = parse_uint64(s, &uv);
        break;
    default:
        rc = parse_double(s, &v);
        break;
    }
    if (rc == KN_NUM_BAD)
        return fail(c, at, key, "expected %s, got '%s'", noun, got);
    int side = rc == KN_NUM_LOW ? -1 : rc == KN_NUM_HIGH ? 1 : p->type == KN_PT_UINT64 ? 0
                                                                  : range_side(p, v);
    if (side) {
        char why[96];
        bound_reason(p, side < 0, why, sizeof why);
        return fail(c, at, key, "%s, got %s", why, got);
    }
    char *f = field(c->sc, p);
    switch (p->type) {
    case KN_PT_INT: {
        int i = (int)iv; /* the table keeps INT ranges within int */
        memcpy(f, &i, sizeof i);
        break;
    }
    case KN_PT_UINT64:
        memcpy(f, &uv, sizeof uv);
        break;
    case KN_PT_DOUBLE_ARRAY:
        memcpy(f + index * sizeof v, &v, sizeof v);
        break;
    default:
        memcpy(f, &v, sizeof v);
        break;
    }
    return KN_OK;
}

/* ---- the walker ------------------------------------------------------------------ */

static kn_status set_leaf(kn_ctx *c, const kn_param *p, const yaml_node_t *node)
{
    kn_yr_loc at = kn_yr_loc_of(node);
    char d[KN_YR_SHOW_MAX + 16];
    kn_status rc = KN_OK;
    size_t i = param_index(p);
    if (c->where[i].line)
        return fail(c, at, p->path, "given twice (first at line %zu)", c->where[i].line);
    enable_block(c->sc, p->path);

    switch (p->type) {
    case KN_PT_STRING: {
        if (node->type != YAML_SCALAR_NODE)
            return fail(c, at, p->path, "expected a string, got %s",
                        kn_yr_describe(node, d, sizeof d));
        if (kn_yr_is_null(node))
            return fail(c, at, p->path, "missing value (expected a string)");
        const char *s = (const char *)node->data.scalar.value;
        size_t len = node->data.scalar.length;
        if (len == 0)
            return fail(c, at, p->path, "must not be empty");
        if (strlen(s) != len)
            return fail(c, at, p->path, "must not contain a NUL character");
        if (len >= KN_NAME_MAX)
            return fail(c, at, p->path, "must be at most %d bytes long, got %zu", KN_NAME_MAX - 1,
                        len);
        char *f = field(c->sc, p);
        memcpy(f, s, len);
        f[len] = '\0';
        break;
    }
    case KN_PT_INT:
    case KN_PT_UINT64:
    case KN_PT_DOUBLE:
        rc = set_number(c, p, 0, p->path, node);
        break;
    case KN_PT_DIST_KIND: {
        char names[128];
        enum_list(p, names, sizeof names);
        if (node->type != YAML_SCALAR_NODE || kn_yr_is_null(node))
            return fail(c, at, p->path, "expected one of %s; got %s", names,
                        kn_yr_describe(node, d, sizeof d));
        const char *s = (const char *)node->data.scalar.value;
        size_t k;
        for (k = 0; k < KN_NDIST; k++)
            if ((double)k >= p->min && (double)k <= p->max && strcmp(s, kn_dist_names[k]) == 0 &&
                strlen(kn_dist_names[k]) == node->data.scalar.length)
                break;
        if (k == KN_NDIST)
            return fail(c, at, p->path, "must be one of %s; got %s", names,
                        kn_yr_describe(node, d, sizeof d));
        set_kind(c->sc, p, (kn_dist_kind)k);
        break;
    }
    case KN_PT_DOUBLE_ARRAY: {
        if (node->type != YAML_SEQUENCE_NODE)
            return fail(c, at, p->path, "expected a sequence of %zu numbers, got %s", p->count,
                        kn_yr_describe(node, d, sizeof d));
        size_t n = (size_t)(node->data.sequence.items.top - node->data.sequence.items.start);
        if (n != p->count)
            return fail(c, at, p->path, "expected %zu values, got %zu", p->count, n);
        for (size_t k = 0; k < n && rc == KN_OK; k++) {
            const yaml_node_t *item =
                yaml_document_get_node(c->doc, node->data.sequence.items.start[k]);
            char key[KN_KEY_MAX + 24];
            snprintf(key, sizeof key, "%s[%zu]", p->path, k);
            rc = item ? set_number(c, p, k, key, item) : fail(c, at, key, "missing value");
        }
        break;
    }
    }
    if (rc != KN_OK)
        return rc;
    c->where[i] = at;

    /* arrivals: a constant rate or an hourly profile, never both */
    size_t rate = index_at(offsetof(kn_scenario, arrivals.per_hour));
    size_t prof = index_at(offsetof(kn_scenario, arrivals.profile));
    if (i == rate || i == prof) {
        size_t other = i == rate ? prof : rate;
        if (c->where[other].line)
            return fail(c, at, p->path, "give either arrivals.per_hour or arrivals.profile, not both "
                        "(the other is at line %zu)", c->where[other].line);
        c->sc->arrivals.use_profile = i == prof;
        if (i == prof)
            c->sc->arrivals.per_hour = 0.0;
        else
            memset(c->sc->arrivals.profile, 0, sizeof c->sc->arrivals.profile);
    }
    return KN_OK;
}

static kn_status unknown_key(const kn_ctx *c, kn_yr_loc at, const char *path)
{
    char sug[KN_KEY_MAX], block[KN_KEY_MAX], kids[512];
    if (suggest(path, sug, sizeof sug))
        return fail(c, at, path, "unknown key (did you mean '%s'?)", sug);
    size_t b = block_len(path);
    snprintf(block, sizeof block, "%.*s", (int)b, path);
    if (b == 0) {
        list_children("", kids, sizeof kids);
        return fail(c, at, path, "unknown key (the top-level keys are %s)", kids);
    }
    if (is_block(block)) {
        list_children(block, kids, sizeof kids);
        return fail(c, at, path, "unknown key (the keys under '%s' are %s)", block, kids);
    }
    return fail(c, at, path, "unknown key");
}

/* Apply `node` at dotted `path` ("" = top level): a key's value, or a block mapping. */
static kn_status walk(kn_ctx *c, const yaml_node_t *node, const char *path, kn_yr_loc key_at)
{
    const kn_param *p = path[0] ? kn_param_find(path) : NULL;
    if (p)
        return set_leaf(c, p, node);
    if (path[0] && !is_block(path))
        return unknown_key(c, key_at, path);

    kn_yr_loc at = kn_yr_loc_of(node);
    char kids[512], d[KN_YR_SHOW_MAX + 16];
    if (node->type != YAML_MAPPING_NODE) {
        list_children(path, kids, sizeof kids);
        if (!path[0])
            return fail(c, at, NULL, "the top level must be a mapping of keys (%s), got %s", kids,
                        kn_yr_describe(node, d, sizeof d));
        return fail(c, at, path, "expected a mapping of keys (%s), got %s", kids,
                    kn_yr_describe(node, d, sizeof d));
    }
    enable_block(c->sc, path);

    size_t plen = strlen(path);
    const yaml_node_pair_t *pairs = node->data.mapping.pairs.start;
    size_t npairs = (size_t)(node->data.mapping.pairs.top - pairs);
    for (size_t i = 0; i < npairs; i++) {
        const yaml_node_t *k = yaml_document_get_node(c->doc, pairs[i].key);
        const yaml_node_t *v = yaml_document_get_node(c->doc, pairs[i].value);
        if (!k || !v)
            return fail(c, at, path[0] ? path : NULL, "malformed mapping");
        kn_yr_loc kat = kn_yr_loc_of(k);
        if (k->type != YAML_SCALAR_NODE)
            return fail(c, kat, path[0] ? path : NULL, "a key must be a plain name, got %s",
                        kn_yr_describe(k, d, sizeof d));
        const char *name = (const char *)k->data.scalar.value;
        size_t nlen = k->data.scalar.length;

        char child[KN_KEY_MAX];
        if (plen + 1 + nlen >= sizeof child || strlen(name) != nlen) {
            char shown[KN_YR_SHOW_MAX + 8];
            kn_yr_show(shown, sizeof shown, name, nlen, KN_YR_SHOW_MAX);
            snprintf(child, sizeof child, "%s%s%s", path, plen ? "." : "", shown);
            return fail(c, kat, child, "unknown key");
        }
        memcpy(child, path, plen);
        if (plen)
            child[plen] = '.';
        memcpy(child + plen + (plen > 0), name, nlen);
        child[plen + (plen > 0) + nlen] = '\0';

        if (memchr(name, '.', nlen))
            return fail(c, kat, child, "a key must not contain '.'; nest the blocks instead "
                                       "(run: {days: 10}, not run.days: 10)");
        for (size_t j = 0; j < i; j++) {
            const yaml_node_t *prev = yaml_document_get_node(c->doc, pairs[j].key);
            if (prev && prev->data.scalar.length == nlen &&
                memcmp(prev->data.scalar.value, name, nlen) == 0)
                return fail(c, kat, child, "duplicate key (first at line %zu)",
                            (size_t)prev->start_mark.line + 1);
        }
        kn_status rc = walk(c, v, child, kat);
        if (rc != KN_OK)
            return rc;
    }
    return KN_OK;
}

/* ---- parsing --------------------------------------------------------------------- */

/* The message for a text that kn_yr_parse refused (fault f, described by pb). */
static kn_status parse_error(const kn_ctx *c, kn_yr_fault f, const kn_yr_problem *pb,
                             const char *path)
{
    switch (f) {
    case KN_YR_OK:
        break;
    case KN_YR_NOMEM:
        return kn_error_set(c->err, KN_ENOMEM, "%s: out of memory", c->origin);
    case KN_YR_NOMEM_PARSING:
        return kn_error_set(c->err, KN_ENOMEM, "%s: out of memory while parsing", c->origin);
    case KN_YR_SYNTAX:
        if (c->from == KN_FROM_SET)
            return fail(c, pb->at, path, "cannot parse the value: %s%s", pb->problem,
                        pb->context);
        return fail(c, pb->at, NULL, "syntax error: %s%s", pb->problem, pb->context);
    case KN_YR_TOO_DEEP:
        return fail(c, pb->at, path[0] ? path : NULL, "nested deeper than %d levels",
                    KN_MAX_DEPTH);
    case KN_YR_TWO_DOCS:
        return fail(c, pb->at, path[0] ? path : NULL, "only one YAML document is allowed");
    }
    return KN_OK;
}

/* Parse text as one YAML document and apply its root at `path` ("" = whole scenario). */
static kn_status parse_and_walk(kn_ctx *c, const char *text, size_t len, const char *path)
{
    yaml_document_t doc;
    kn_yr_problem pb;
    kn_status rc;
    if (!text) {
        text = "";
        len = 0;
    }
    kn_yr_fault f = kn_yr_parse(text, len, KN_MAX_DEPTH, &doc, &pb);
    if (f != KN_YR_OK)
        return parse_error(c, f, &pb, path);
    const yaml_node_t *root = yaml_document_get_root_node(&doc);
    c->doc = &doc;
    if (!root || kn_yr_is_null(root)) {
        kn_yr_loc first = { 1, 1 };
        if (path[0])
            rc = fail(c, first, path, "missing value");
        else
            rc = fail(c, first, NULL, "empty scenario: expected a mapping of keys "
                                      "(see docs/scenarios.md)");
    } else {
        rc = walk(c, root, path, kn_yr_loc_of(root));
    }
    c->doc = NULL;
    yaml_document_delete(&doc);
    return rc;
}

/* ---- cross-key checks ------------------------------------------------------------ */

/* Where to point for a message about key i: where it was given, else where key j was
 * (j may be KN_NPARAMS), else any key given in the same block, else nowhere. */
static kn_yr_loc where_for(const kn_ctx *c, size_t i, size_t j)
{
    if (c->where[i].line)
        return c->where[i];
    if (j < KN_NPARAMS && c->where[j].line)
        return c->where[j];
    const char *path = kn_params[i].path;
    size_t b = block_len(path);
    for (size_t k = 0; b > 0 && k < KN_NPARAMS; k++)
        if (c->where[k].line && in_block(kn_params[k].path, path, b))
            return c->where[k];
    return kn_nowhere;
}

static kn_status check(const kn_ctx *c, const kn_scenario *sc)
{
    kn_scenario def;
    char a[32], b[32], why[96], key[KN_KEY_MAX + 24];
    kn_scenario_defaults(&def);
    size_t rate = index_at(offsetof(kn_scenario, arrivals.per_hour));
    size_t prof = index_at(offsetof(kn_scenario, arrivals.profile));

    for (size_t i = 0; i < KN_NPARAMS; i++) {
        const kn_param *p = &kn_params[i];
        kn_yr_loc at = where_for(c, i, KN_NPARAMS);
        if (p->type == KN_PT_STRING) {
            const char *s = cfield(sc, p);
            if (!memchr(s, '\0', KN_NAME_MAX))
                return fail(c, at, p->path, "is not NUL-terminated");
            if (!s[0])
                return fail(c, at, p->path, "must not be empty");
            continue;
        }
        if (block_off(sc, p) && block_off(&def, p))
            continue; /* an optional block left out */
        if (i == rate && sc->arrivals.use_profile) {
            if (sc->arrivals.per_hour != 0.0)
                return fail(c, where_for(c, prof, i), kn_params[prof].path,
                            "give either arrivals.per_hour or arrivals.profile, not both");
            continue;
        }
        if (i == prof && !sc->arrivals.use_profile)
            continue;
        for (size_t k = 0; k < p->count; k++) {
            double v = kn_param_get_number(sc, p, k), dv = kn_param_get_number(&def, p, k);
            if (p->count > 1)
                snprintf(key, sizeof key, "%s[%zu]", p->path, k);
            else
                snprintf(key, sizeof key, "%s", p->path);
            if (p->type == KN_PT_UINT64)
                continue;
            if (p->type == KN_PT_DIST_KIND) {
                if (range_side(p, v) == 0)
                    continue;
                char names[128];
                enum_list(p, names, sizeof names);
                size_t kind = (size_t)get_kind(sc, p);
                if (kind < KN_NDIST)
                    return fail(c, at, key, "must be one of %s; got '%s'", names,
                                kn_dist_names[kind]);
                return fail(c, at, key, "must be one of %s; got %zu", names, kind);
            }
            int side = range_side(p, v);
            if (!side)
                continue;
            if (v == dv && i == rate)
                return fail(c, at, key, "required, not given (give arrivals.per_hour or "
                                        "arrivals.profile)");
            if (v == dv)
                return fail(c, at, key, "required, not given");
            bound_reason(p, side < 0, why, sizeof why);
            return fail(c, at, key, "%s, got %s", why, kn_yr_fmtnum(a, sizeof a, v));
        }
    }

    size_t days = index_at(offsetof(kn_scenario, run.days));
    size_t warm = index_at(offsetof(kn_scenario, run.warmup_days));
    if (!(sc->run.warmup_days < sc->run.days))
        return fail(c, where_for(c, warm, days), kn_params[warm].path,
                    "must be < run.days (%s), got %s", kn_yr_fmtnum(a, sizeof a, sc->run.days),
                    kn_yr_fmtnum(b, sizeof b, sc->run.warmup_days));

    if (sc->arrivals.use_profile) {
        int any = 0;
        for (size_t h = 0; h < KN_HOURS_PER_DAY; h++)
            any |= sc->arrivals.profile[h] > 0.0;
        if (!any)
            return fail(c, where_for(c, prof, KN_NPARAMS), kn_params[prof].path,
                        "at least one hour must have a rate > 0");
    }

    size_t rude = index_at(offsetof(kn_scenario, customers.mix_rude));
    size_t expl = index_at(offsetof(kn_scenario, customers.mix_exploitative));
    if (sc->customers.mix_rude + sc->customers.mix_exploitative > 1.0 + 1e-12)
        return fail(c, where_for(c, expl, rude), kn_params[expl].path,
                    "customers.mix.rude + customers.mix.exploitative must be <= 1 (polite "
                    "customers are the rest), got %s + %s",
                    kn_yr_fmtnum(a, sizeof a, sc->customers.mix_rude),
                    kn_yr_fmtnum(b, sizeof b, sc->customers.mix_exploitative));
    size_t cmin = index_at(offsetof(kn_scenario, customers.complain_min));
    size_t cmax = index_at(offsetof(kn_scenario, customers.complain_max));
    if (sc->customers.complain_min > sc->customers.complain_max)
        return fail(c, where_for(c, cmin, cmax), kn_params[cmin].path,
                    "must be <= customers.complain_max (%s), got %s",
                    kn_yr_fmtnum(a, sizeof a, sc->customers.complain_max),
                    kn_yr_fmtnum(b, sizeof b, sc->customers.complain_min));

    /* a lognormal needs a positive cv (the cv key of the same block) */
    for (size_t i = 0; i < KN_NPARAMS; i++) {
        const kn_param *q = &kn_params[i];
        if (q->type != KN_PT_DIST_KIND || get_kind(sc, q) != KN_DIST_LOGNORMAL)
            continue;
        snprintf(key, sizeof key, "%.*s.cv", (int)block_len(q->path), q->path);
        const kn_param *cv = kn_param_find(key);
        if (cv && !(kn_param_get_number(sc, cv, 0) > 0.0))
            return fail(c, where_for(c, param_index(cv), i), cv->path,
                        "must be > 0 for a lognormal distribution, got %s",
                        kn_yr_fmtnum(a, sizeof a, kn_param_get_number(sc, cv, 0)));
    }
    return KN_OK;
}

kn_status kn_scenario_check(const kn_scenario *sc, kn_error *err)
{
    kn_ctx c = { .from = KN_FROM_CODE, .origin = "", .err = err };
    if (!sc)
        return kn_error_set(err, KN_EINVAL, "kn_scenario_check: no scenario");
    return check(&c, sc);
}

/* ---- load, set ------------------------------------------------------------------- */

kn_status kn_scenario_load_string(kn_scenario *sc, const char *text, size_t len,
                                  const char *origin, kn_error *err)
{
    if (!origin)
        origin = "<string>";
    if (!sc || (!text && len))
        return kn_error_set(err, KN_EINVAL, "%s: no scenario or no text", origin);
    kn_scenario tmp;
    kn_scenario_defaults(&tmp);
    snprintf(tmp.file, sizeof tmp.file, "%s", origin);
    kn_yr_base_name(origin, "scenario", tmp.name, sizeof tmp.name);

    kn_ctx c = { .from = KN_FROM_FILE, .origin = origin, .err = err, .sc = &tmp };
    kn_status rc = parse_and_walk(&c, text, len, "");
    if (rc == KN_OK)
        rc = check(&c, &tmp);
    if (rc == KN_OK)
        *sc = tmp;
    return rc;
}

kn_status kn_scenario_load(kn_scenario *sc, const char *path, kn_error *err)
{
    if (!sc || !path)
        return kn_error_set(err, KN_EINVAL, "kn_scenario_load: no scenario or no path");
    if (strlen(path) >= KN_PATH_MAX)
        return kn_error_set(err, KN_EIO, "%.200s...: cannot open: file name too long", path);
    char *buf;
    size_t len;
    KN_CHECK(kn_yr_read_file(path, KN_FILE_MAX_BYTES, "scenario", &buf, &len, err));
    kn_status rc = kn_scenario_load_string(sc, buf, len, path, err);
    free(buf);
    return rc;
}

kn_status kn_scenario_set(kn_scenario *sc, const char *assignment, kn_error *err)
{
    if (!sc || !assignment)
        return kn_error_set(err, KN_EINVAL, "--set: no scenario or no assignment");
    kn_scenario tmp = *sc;
    kn_ctx c = { .from = KN_FROM_SET, .origin = assignment, .err = err, .sc = &tmp };
    const char *eq = strchr(assignment, '=');
    if (!eq)
        return fail(&c, kn_nowhere, NULL, "expected path.to.key=value");
    const char *k0 = assignment, *k1 = eq;
    while (k0 < k1 && (*k0 == ' ' || *k0 == '\t'))
        k0++;
    while (k1 > k0 && (k1[-1] == ' ' || k1[-1] == '\t'))
        k1--;
    if (k0 == k1)
        return fail(&c, kn_nowhere, NULL, "expected path.to.key=value (no key before '=')");
    char key[KN_KEY_MAX];
    if ((size_t)(k1 - k0) >= sizeof key) {
        char shown[KN_YR_SHOW_MAX + 8];
        return fail(&c, kn_nowhere,
                    kn_yr_show(shown, sizeof shown, k0, (size_t)(k1 - k0), KN_YR_SHOW_MAX),
                    "unknown key");
    }
    memcpy(key, k0, (size_t)(k1 - k0));
    key[k1 - k0] = '\0';
    if (!kn_param_find(key) && !is_block(key))
        return unknown_key(&c, kn_nowhere, key);
    kn_status rc = parse_and_walk(&c, eq + 1, strlen(eq + 1), key);
    if (rc == KN_OK)
        *sc = tmp;
    return rc;
}

/* ---- writing --------------------------------------------------------------------- */

static void write_quoted(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(out, "\\%c", ch);
        else if (ch < 0x20 || ch == 0x7F)
            fprintf(out, "\\x%02X", ch);
        else
            fputc(ch, out);
    }
    fputc('"', out);
}

static void write_value(FILE *out, const kn_scenario *sc, const kn_param *p)
{
    char b[32];
    switch (p->type) {
    case KN_PT_STRING:
        write_quoted(out, cfield(sc, p));
        break;
    case KN_PT_INT: {
        int v;
        memcpy(&v, cfield(sc, p), sizeof v);
        fprintf(out, "%d", v);
        break;
    }
    case KN_PT_UINT64: {
        uint64_t v;
        memcpy(&v, cfield(sc, p), sizeof v);
        fprintf(out, "%" PRIu64, v);
        break;
    }
    case KN_PT_DOUBLE:
        fputs(kn_yr_fmtnum(b, sizeof b, kn_param_get_number(sc, p, 0)), out);
        break;
    case KN_PT_DIST_KIND: {
        size_t k = (size_t)get_kind(sc, p);
        if (k < KN_NDIST)
            fputs(kn_dist_names[k], out);
        else
            fprintf(out, "%zu", k);
        break;
    }
    case KN_PT_DOUBLE_ARRAY:
        fputc('[', out);
        for (size_t k = 0; k < p->count; k++)
            fprintf(out, "%s%s", k ? ", " : "",
                    kn_yr_fmtnum(b, sizeof b, kn_param_get_number(sc, p, k)));
        fputc(']', out);
        break;
    }
}

/* Print the block headers needed to go from block `open` to the block of `path`. */
static void open_block(FILE *out, char *open, size_t cap, const char *path)
{
    size_t b = block_len(path), olen = strlen(open), m = 0;
    while (m < olen && m < b && open[m] == path[m])
        m++;
    /* back up to a component boundary shared by both */
    if (m > 0 && !((m == olen || open[m] == '.') && (m == b || path[m] == '.')))
        do
            m--;
        while (m > 0 && path[m] != '.');
    size_t depth = 0;
    for (size_t i = 0; i < m; i++)
        depth += path[i] == '.';
    if (m > 0)
        depth++;
    size_t s = m + (m > 0 && m < b);
    while (s < b) {
        size_t e = s;
        while (e < b && path[e] != '.')
            e++;
        fprintf(out, "%*s%.*s:\n", (int)(2 * depth), "", (int)(e - s), path + s);
        depth++;
        s = e + 1;
    }
    snprintf(open, cap, "%.*s", (int)b, path);
}

kn_status kn_scenario_write_yaml(const kn_scenario *sc, FILE *out, kn_error *err)
{
    if (!sc || !out)
        return kn_error_set(err, KN_EINVAL, "kn_scenario_write_yaml: no scenario or no stream");
    char open[KN_KEY_MAX] = "";
    fputs("# koning scenario, fully resolved: every key, defaults included "
          "(see docs/scenarios.md)\n", out);
    for (size_t i = 0; i < KN_NPARAMS; i++) {
        const kn_param *p = &kn_params[i];
        const kn_param *q = dist_of(p->path);
        if (q && get_kind(sc, q) == KN_DIST_NONE) {
            if (q == p)
                fprintf(out, "# %.*s: omitted, so off\n", (int)block_len(p->path), p->path);
            continue;
        }
        if (p->offset == offsetof(kn_scenario, arrivals.per_hour) && sc->arrivals.use_profile)
            continue;
        if (p->offset == offsetof(kn_scenario, arrivals.profile) && !sc->arrivals.use_profile)
            continue;
        open_block(out, open, sizeof open, p->path);
        size_t depth = 0;
        for (const char *s = p->path; *s; s++)
            depth += *s == '.';
        const char *leaf = p->path + block_len(p->path) + (depth > 0);
        fprintf(out, "%*s%s: ", (int)(2 * depth), "", leaf);
        write_value(out, sc, p);
        fprintf(out, "  # %s%s%s%s\n", p->help, p->unit[0] ? " [" : "", p->unit,
                p->unit[0] ? "]" : "");
    }
    if (fflush(out) != 0 || ferror(out))
        return kn_error_set(err, KN_EIO, "cannot write the scenario: %s", strerror(errno));
    return KN_OK;
}
