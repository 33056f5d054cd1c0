/* scenario_keys.c - the table of scenario keys: the schema of kn_scenario.
 *
 * Every scenario key is one row: its dotted path, type, place in kn_scenario, valid
 * range, unit and meaning. The YAML reader and writer (sim/files/scenario_yaml.c), the
 * checks (scenario.c), the HDF5 parameter listing and the sweep and uncertainty readers
 * all iterate this one table, so adding a key is one row here plus one field in
 * kn_scenario (and its default in scenario.c). This file is a data table and the few
 * lookups over it; it reads no file.
 */
#include "koning/scenario.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

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

/* The levers, twice: the scenario's (policy.*) and the status quo's it switches from
 * (start.policy.*). */
#define POLICY_ROWS(PFX, MEM) \
    ROW(PFX "side_with_customer", KN_PT_DOUBLE, MEM.side_with_customer, 1, 0, 1, 0, "", \
        "probability of upholding a complaint that was not investigated"), \
    ROW(PFX "investigate", KN_PT_DOUBLE, MEM.investigate, 1, 0, 1, 0, "", \
        "share of complaints investigated before deciding"), \
    ROW(PFX "compensation", KN_PT_DOUBLE, MEM.compensation, 1, 0, 1000000000.0, 0, "money", \
        "payout per upheld complaint"), \
    ROW(PFX "claim_ease", KN_PT_DOUBLE, MEM.claim_ease, 1, 0, 1, 0, "", \
        "how easy an opportunistic claim is to make and get paid (1 = no questions asked)"), \
    ROW(PFX "reprimand", KN_PT_DOUBLE, MEM.reprimand, 1, 0, 1, 0, "", \
        "probability of reprimanding the employee when a complaint is upheld"), \
    ROW(PFX "end_abusive_contact", KN_PT_DOUBLE, MEM.end_abusive_contact, 1, 0, 1, 0, "", \
        "staff may end an abusive contact (1 = always, a clear boundary)"), \
    ROW(PFX "ban_after_incidents", KN_PT_INT, MEM.ban_after_incidents, 1, 0, 1000000, 0, "", \
        "ban a customer after this many recorded incidents; 0 = never"), \
    ROW(PFX "rating_weight", KN_PT_DOUBLE, MEM.rating_weight, 1, 0, 1, 0, "", \
        "weight of customer ratings in staff evaluation"), \
    ROW(PFX "minutes_cap", KN_PT_DOUBLE, MEM.minutes_cap, 1, 0, 1000000.0, 0, "min", \
        "most time an employee may spend on one customer; 0 = no cap"), \
    ROW(PFX "empowerment", KN_PT_DOUBLE, MEM.empowerment, 1, 0, 1, 0, "", \
        "authority of staff to resolve problems themselves"), \
    ROW(PFX "backing", KN_PT_DOUBLE, MEM.backing, 1, 0, 1, 0, "", \
        "management support of staff against customers"), \
    ROW(PFX "effort_by_value", KN_PT_DOUBLE, MEM.effort_by_value, 1, 0, 1, 0, "", \
        "0 = equal effort; 1 = time proportional to the customer's value (Fader)"), \
    ROW(PFX "training", KN_PT_DOUBLE, MEM.training, 1, 0, 10, 0, "", \
        "training of new hires: ramp-up runs (1 + training) times faster; costs days and money"), \
    ROW(PFX "investigation_cost", KN_PT_DOUBLE, MEM.investigation_cost, 1, 0, 1000000000.0, 0, "money", \
        "supervisor time and effort per investigated complaint"), \
    ROW(PFX "investigation_days", KN_PT_DOUBLE, MEM.investigation_days, 1, 0, 365, 0, "days", \
        "days before an investigated complaint is decided (the customer waits for the answer)"), \
    ROW(PFX "investigation_accuracy", KN_PT_DOUBLE, MEM.investigation_accuracy, 1, 0, 1, 0, "", \
        "probability that an investigation finds the truth"), \
    ROW(PFX "gesture_value", KN_PT_DOUBLE, MEM.gesture_value, 1, 0, 1000000000.0, 0, "money", \
        "money of one goodwill gesture by an empowered employee"), \
    ROW(PFX "root_cause", KN_PT_DOUBLE, MEM.root_cause, 1, 0, 1, 0, "", \
        "share of root-cause reports (complaints about a defect, staff reports) management acts on"), \
    ROW(PFX "root_cause_cost", KN_PT_DOUBLE, MEM.root_cause_cost, 1, 0, 1000000000.0, 0, "money", \
        "money per report acted on"), \
    ROW(PFX "priority", KN_PT_DOUBLE, MEM.priority, 1, 0, 1, 0, "", \
        "share of valuable customers put at the head of the queue (Fader); 0 = first come first served"), \
    ROW(PFX "priority_value", KN_PT_DOUBLE, MEM.priority_value, 1, 0, 1000, 0, "", \
        "a customer is valuable when his value is at least this times value_per_visit"), \
    ROW(PFX "retention_effort", KN_PT_DOUBLE, MEM.retention_effort, 1, 0, 1, 0, "", \
        "probability that a valuable customer at risk gets a retention offer after a visit"), \
    ROW(PFX "retention_offer", KN_PT_DOUBLE, MEM.retention_offer, 1, 0, 1000000000.0, 0, "money", \
        "money of one retention offer"), \
    ROW(PFX "at_risk_below", KN_PT_DOUBLE, MEM.at_risk_below, 1, 0, 1, 0, "", \
        "a customer is at risk when his loyalty is below this"),

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
    ROW("run.period_days", KN_PT_DOUBLE, run.period_days, 1, 0, 3650, 1, "days",
        "length of one period of the time series (results files, plots)"),
    ROW("run.org_effect_sd", KN_PT_DOUBLE, run.org_effect_sd, 1, 0, 2, 0, "",
        "spread of an organisation effect drawn per replication, shared by all scenarios; 0 = none"),
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
    ROW("staff.employees", KN_PT_INT, staff.employees, 1, 1, 30000, 0, "",
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
    ROW("staff.training_days", KN_PT_DOUBLE, staff.training_days, 1, 0, 365, 0, "days",
        "working days a new hire spends in class per unit of policy.training (paid, not serving)"),
    ROW("staff.training_cost", KN_PT_DOUBLE, staff.training_cost, 1, 0, 1000000000.0, 0, "money",
        "money per new hire per unit of policy.training"),
    ROW("staff.rule", KN_PT_INT, staff.rule, 1, 0, 2, 0, "",
        "staffing: 0 fixed headcount; 1 hire toward staff.target occupancy; 2 toward a service level"),
    ROW("staff.target", KN_PT_DOUBLE, staff.target, 1, 0, 1, 1, "",
        "rule 1: the occupancy aimed at; rule 2: the share of customers answered without waiting"),
    ROW("staff.max_employees", KN_PT_INT, staff.max_employees, 1, 0, 30000, 0, "",
        "positions the budget allows under a staffing rule; 0 = staff.employees"),
    ROW("staff.review_days", KN_PT_DOUBLE, staff.review_days, 1, 1, 3650, 0, "days",
        "how often the staffing rule reviews the number of positions"),
    ROW("customers.base", KN_PT_INT, customers.base, 1, 0, 10000000, 0, "",
        "initial number of customers; 0 = queue model only (no customers, employees or policy)"),
    ROW("customers.mix.rude", KN_PT_DOUBLE, customers.mix_rude, 1, 0, 1, 0, "",
        "share of rude (verbally aggressive, demanding) customers"),
    ROW("customers.mix.exploitative", KN_PT_DOUBLE, customers.mix_exploitative, 1, 0, 1, 0, "",
        "share of exploitative customers (opportunistic claims); polite = the rest"),
    ROW("customers.abuse_probability", KN_PT_DOUBLE, customers.abuse_probability, 1, 0, 1, 0, "",
        "a rude customer's propensity to abuse: the probability of an abusive visit without a wait or a repeat (the log-odds grow with both)"),
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
        "new customers per day per initial customer, with the whole market still to win and loyalty at the rival's level"),
    ROW("customers.word_of_mouth", KN_PT_DOUBLE, customers.word_of_mouth, 1, 0, 100, 0, "",
        "gamma: new customers scale with exp(gamma (mean loyalty of the base - market.rival_quality))"),
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
    ROW("customers.abuse_polite", KN_PT_DOUBLE, customers.abuse_polite, 1, 0, 1, 0, "",
        "propensity to abuse of a polite or exploitative customer (a rude one's is abuse_probability)"),
    ROW("customers.abuse_wait", KN_PT_DOUBLE, customers.abuse_wait, 1, 0, 10, 0, "",
        "log-odds of an abusive visit added per wait_tolerance_minutes of waiting (up to 6)"),
    ROW("customers.abuse_unresolved", KN_PT_DOUBLE, customers.abuse_unresolved, 1, 0, 10, 0, "",
        "log-odds of an abusive visit added when it is a repeat of an unresolved problem"),
    ROW("customers.incivility_learning", KN_PT_DOUBLE, customers.incivility_learning, 1, 0, 1, 0, "",
        "share of the way to 1 a customer's propensity moves after staff answer him uncivilly"),
    ROW("customers.pushiness", KN_PT_DOUBLE, customers.pushiness, 1, 1, 1000, 0, "",
        "odds multiplier of upholding an uninvestigated complaint from a customer who was abusive"),
    ROW("customers.pushy_extra", KN_PT_DOUBLE, customers.pushy_extra, 1, 0, 100, 0, "",
        "extra compensation, as a share, an abusive complainer extracts without investigation"),
    ROW("customers.repeat_probability", KN_PT_DOUBLE, customers.repeat_probability, 1, 0, 1, 0, "",
        "probability that an unresolved need (unresolved, capped, ended or abandoned) comes back"),
    ROW("customers.repeat_days", KN_PT_DOUBLE, customers.repeat_days, 1, 1, 365, 0, "days",
        "mean time before it comes back (at least the next day, in open hours)"),
    ROW("customers.repeat_max", KN_PT_INT, customers.repeat_max, 1, 0, 100, 0, "",
        "repeats of one problem at most, then the customer gives up on it"),
    ROW("customers.repeat_patience", KN_PT_DOUBLE, customers.repeat_patience, 1, 0, 10, 1, "",
        "patience of a repeat contact, times that of a fresh one"),
    ROW("customers.repeat_penalty", KN_PT_DOUBLE, customers.repeat_penalty, 1, 0, 1, 0, "",
        "perceived quality lost per repeat of the same problem (the effort of calling again)"),
    ROW("customers.retention_effect", KN_PT_DOUBLE, customers.retention_effect, 1, 0, 1, 0, "",
        "share of the way to full loyalty a retention offer moves a customer"),
    ROW("customers.value_rude", KN_PT_DOUBLE, customers.value_rude, 1, 0, 100, 0, "",
        "value of a rude customer, times that of a polite one"),
    ROW("customers.value_exploitative", KN_PT_DOUBLE, customers.value_exploitative, 1, 0, 100, 0, "",
        "value of an exploitative customer, times that of a polite one"),
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
    ROW("employee.incivility_base", KN_PT_DOUBLE, employees.incivility_base, 1, 0, 1, 0, "",
        "probability that an employee answers an abusive customer uncivilly, rested"),
    ROW("employee.incivility_exhaustion", KN_PT_DOUBLE, employees.incivility_exhaustion, 1, 0, 1, 0, "",
        "added to that probability per unit exhaustion"),
    ROW("employee.gesture_rate", KN_PT_DOUBLE, employees.gesture_rate, 1, 0, 1, 0, "",
        "goodwill gesture on an unresolved contact, times policy.empowerment"),
    ROW("employee.gesture_error", KN_PT_DOUBLE, employees.gesture_error, 1, 0, 1, 0, "",
        "needless gesture on a resolved contact, times policy.empowerment"),
    ROW("employee.morale_sd", KN_PT_DOUBLE, employees.morale_sd, 1, 0, 1, 0, "",
        "spread (sd) of individual morale set-points around morale_base"),
    ROW("employee.quit_cv", KN_PT_DOUBLE, employees.quit_cv, 1, 0, 10, 0, "",
        "spread of individual quit propensity (lognormal, mean 1)"),
    ROW("employee.speed_cv", KN_PT_DOUBLE, employees.speed_cv, 1, 0, 10, 0, "",
        "spread of individual service time (lognormal, mean 1)"),
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
    ROW("work.authority_cost", KN_PT_DOUBLE, work.authority_cost, 1, 0, 1000000000.0, 0, "money",
        "money given away (a credit, a refund) when staff solve a problem by their own authority"),
    ROW("work.staff_report", KN_PT_DOUBLE, work.staff_report, 1, 0, 1, 0, "",
        "probability that staff report an unresolved contact about a defect"),
    ROW("work.fix_effect", KN_PT_DOUBLE, work.fix_effect, 1, 0, 1, 0, "",
        "share of defect sources removed by one root-cause report acted on"),
    ROW("work.fix_delay_days", KN_PT_DOUBLE, work.fix_delay_days, 1, 0, 3650, 0, "days",
        "days before a fix takes effect"),
    ROW("work.defect_renewal_weeks", KN_PT_DOUBLE, work.defect_renewal_weeks, 1, 0, 100000, 1, "weeks",
        "new defects appear (products and processes change) with this time constant"),
    POLICY_ROWS("policy.", policy)
    ROW("backlash.reach", KN_PT_DOUBLE, backlash.reach, 1, 0, 1000, 0, "",
        "people told by a customer who was rejected, cut off or answered uncivilly"),
    ROW("backlash.reach_banned", KN_PT_DOUBLE, backlash.reach_banned, 1, 0, 1000, 0, "",
        "people told by a customer who was banned"),
    ROW("backlash.reach_positive", KN_PT_DOUBLE, backlash.reach_positive, 1, 0, 1000, 0, "",
        "people told by a customer whose complaint was upheld"),
    ROW("backlash.persuasion", KN_PT_DOUBLE, backlash.persuasion, 1, 0, 1, 0, "",
        "share of the people told whose choice of supplier it changes"),
    ROW("backlash.weeks", KN_PT_DOUBLE, backlash.weeks, 1, 0, 520, 1, "weeks",
        "time constant with which word of mouth reaches acquisition"),
    ROW("backlash.public_share", KN_PT_DOUBLE, backlash.public_share, 1, 0, 1, 0, "",
        "probability that a ban, a cut-off contact or an uncivil answer goes public"),
    ROW("backlash.public_hit", KN_PT_DOUBLE, backlash.public_hit, 1, 0, 1, 0, "",
        "share of acquisition lost while an incident is public"),
    ROW("backlash.public_weeks", KN_PT_DOUBLE, backlash.public_weeks, 1, 0, 520, 0, "weeks",
        "how long an incident stays public"),
    ROW("market.size_factor", KN_PT_DOUBLE, market.size_factor, 1, 0, 10000, 0, "",
        "potential customers per initial customer (ours and the rival's); 0 = unlimited"),
    ROW("market.rival_quality", KN_PT_DOUBLE, market.rival_quality, 1, 0, 1, 0, "",
        "the rival's service level, on the scale of loyalty"),
    ROW("market.rival_pull", KN_PT_DOUBLE, market.rival_pull, 1, 0, 100, 0, "",
        "churn scales with exp(pull (rival_quality - initial_satisfaction))"),
    ROW("start.days", KN_PT_DOUBLE, start.days, 1, 0, 3650, 0, "days",
        "days under the status quo (start.policy) before the policy switches; 0 = start blank"),
    POLICY_ROWS("start.policy.", start.policy)
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
_Static_assert(KN_NPARAMS <= KN_PARAM_MAX, "raise KN_PARAM_MAX");

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

size_t kn_param_index(const kn_param *p)
{
    return p ? (size_t)(p - kn_params) : KN_NPARAMS;
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

const kn_param *kn_param_at_offset(size_t offset)
{
    for (size_t i = 0; i < KN_NPARAMS; i++)
        if (kn_params[i].offset == offset)
            return &kn_params[i];
    return NULL;
}

const char *kn_dist_name(kn_dist_kind k)
{
    return (size_t)k < KN_NDIST ? kn_dist_names[k] : NULL;
}

size_t kn_param_block_len(const char *path)
{
    const char *d = strrchr(path, '.');
    return d ? (size_t)(d - path) : 0;
}

int kn_param_in_block(const char *path, const char *block, size_t n)
{
    return n > 0 && strncmp(path, block, n) == 0 && (path[n] == '\0' || path[n] == '.');
}

int kn_param_is_block(const char *path)
{
    size_t n = strlen(path);
    for (size_t i = 0; i < KN_NPARAMS; i++)
        if (n > 0 && strncmp(kn_params[i].path, path, n) == 0 && kn_params[i].path[n] == '.')
            return 1;
    return 0;
}

const kn_param *kn_param_dist_of(const char *path)
{
    for (size_t i = 0; i < KN_NPARAMS; i++) {
        const kn_param *q = &kn_params[i];
        if (q->type == KN_PT_DIST_KIND && kn_param_in_block(path, q->path, kn_param_block_len(q->path)))
            return q;
    }
    return NULL;
}

kn_dist_kind kn_param_get_kind(const kn_scenario *sc, const kn_param *p)
{
    kn_dist_kind k;
    memcpy(&k, (const char *)sc + p->offset, sizeof k);
    return k;
}

int kn_param_is_off(const kn_scenario *sc, const kn_param *p)
{
    const kn_param *q = kn_param_dist_of(p->path);
    return q && kn_param_get_kind(sc, q) == KN_DIST_NONE;
}

double kn_param_get_number(const kn_scenario *sc, const kn_param *p, size_t index)
{
    if (!sc || !p || index >= p->count)
        return NAN;
    const char *f = (const char *)sc + p->offset;
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
        return (double)kn_param_get_kind(sc, p);
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

int kn_param_range_side(const kn_param *p, double v)
{
    if (p->min_exclusive ? !(v > p->min) : !(v >= p->min))
        return -1;
    if (!(v <= p->max))
        return 1;
    return 0;
}

void kn_param_bound_reason(const kn_param *p, int low, char *why, size_t cap)
{
    char b[32];
    if (low)
        snprintf(why, cap, "must be %s %s", p->min_exclusive ? ">" : ">=",
                 kn_format_number(b, sizeof b, p->min));
    else if (p->type == KN_PT_UINT64)
        snprintf(why, cap, "must be <= %" PRIu64, UINT64_MAX);
    else
        snprintf(why, cap, "must be <= %s", kn_format_number(b, sizeof b, p->max));
}

void kn_param_kind_list(const kn_param *p, char *out, size_t cap)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t k = 0; k < KN_NDIST && used + 1 < cap; k++)
        if ((double)k >= p->min && (double)k <= p->max) {
            int w = snprintf(out + used, cap - used, "%s%s", used ? ", " : "", kn_dist_names[k]);
            if (w < 0)
                break;
            used = used + (size_t)w < cap ? used + (size_t)w : cap - 1;
        }
}
