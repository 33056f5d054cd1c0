/* scenario.h - a scenario: everything one simulated organisation needs, resolved.
 *
 * The type kn_scenario, its documented defaults, its schema (a table of keys, kn_param:
 * dotted path, type, place, valid range, unit, meaning) and its rules (every key in its
 * range, the rules across keys). Pure data and checks, used by the model, the kernel and
 * every tool; implemented in models/scenario.c and models/scenario_keys.c. Scenario
 * *files* (YAML, docs/scenarios.md) are read and written by sim/files/scenario_yaml.h,
 * which reports each fault with the file, line and column where the key was given.
 */
#ifndef KONING_SCENARIO_H
#define KONING_SCENARIO_H

#include <stddef.h>
#include <stdint.h>
#include "koning/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KN_NAME_MAX 256
#define KN_PATH_MAX 4096
#define KN_HOURS_PER_DAY 24

/* A probability distribution of a duration, in minutes. */
typedef enum kn_dist_kind {
    KN_DIST_NONE = 0,        /* no such duration (e.g. patience omitted: nobody abandons) */
    KN_DIST_EXPONENTIAL = 1, /* exponential with mean `mean_minutes` */
    KN_DIST_LOGNORMAL = 2,   /* lognormal with mean `mean_minutes` and coefficient of variation `cv` */
    KN_DIST_DETERMINISTIC = 3 /* always exactly `mean_minutes` */
} kn_dist_kind;

typedef struct kn_dist {
    kn_dist_kind kind;
    double mean_minutes; /* > 0 */
    double cv;           /* >= 0; used by lognormal only */
} kn_dist;

/* Management policy: the levers (docs/model.md). A scenario has two: the one it is
 * about, and the status quo it switches from (start.policy, before start.days). */
typedef struct kn_policy {
    double side_with_customer; /* policy.side_with_customer: uphold an uninvestigated complaint */
    double investigate;        /* policy.investigate: share of complaints investigated */
    double compensation;       /* policy.compensation: payout per upheld complaint (money) */
    double claim_ease;         /* policy.claim_ease: how easy a claim is to make, 0..1 */
    double reprimand;          /* policy.reprimand: P(reprimand) when a complaint is upheld */
    double end_abusive_contact;/* policy.end_abusive_contact: staff may end an abusive contact */
    int ban_after_incidents;   /* policy.ban_after_incidents: 0 = never ban */
    double rating_weight;      /* policy.rating_weight: weight of customer ratings in evaluation */
    double minutes_cap;        /* policy.minutes_cap: 0 = no cap */
    double empowerment;        /* policy.empowerment: authority to resolve */
    double backing;            /* policy.backing: management support of staff */
    double effort_by_value;    /* policy.effort_by_value: 0 = equal effort, 1 = proportional */
    double training;           /* policy.training: 0..1, speeds up ramp-up */
    double investigation_cost; /* policy.investigation_cost: money per investigated complaint */
    double investigation_days; /* policy.investigation_days: days before an investigated one is decided */
    double investigation_accuracy; /* policy.investigation_accuracy: an investigation finds the truth */
    double gesture_value;      /* policy.gesture_value: money of one goodwill gesture */
    double root_cause;         /* policy.root_cause: share of root-cause reports acted on */
    double root_cause_cost;    /* policy.root_cause_cost: money per report acted on */
    double priority;           /* policy.priority: valuable customers go to the head of the queue */
    double priority_value;     /* policy.priority_value: valuable = value above this times the mean */
    double retention_effort;   /* policy.retention_effort: offers to valuable customers at risk */
    double retention_offer;    /* policy.retention_offer: money of one retention offer */
    double at_risk_below;      /* policy.at_risk_below: loyalty below which a customer is at risk */
} kn_policy;

typedef struct kn_scenario {
    char name[KN_NAME_MAX];  /* `name`; default: the file's base name without extension */
    char file[KN_PATH_MAX];  /* the file it was read from, "" if built in code */
    struct {
        double days;          /* run.days: simulated horizon, days (> 0) */
        double warmup_days;   /* run.warmup_days: discarded start, days (>= 0, < days) */
        int replications;     /* run.replications: independent replications (>= 2) */
        uint64_t seed;        /* run.seed: master seed */
        double period_days;   /* run.period_days: length of one period of the time series */
        double org_effect_sd; /* run.org_effect_sd: spread of the organisation effect per replication */
    } run;
    struct {
        double per_hour;      /* arrivals.per_hour: constant Poisson rate, per hour */
        int use_profile;      /* 1 if arrivals.profile was given (then per_hour is unused) */
        double profile[KN_HOURS_PER_DAY]; /* arrivals.profile: rate per hour for each hour of day */
    } arrivals;
    kn_dist service;          /* service.{distribution,mean_minutes,cv} */
    kn_dist patience;         /* patience.{...}; kind NONE when the block is omitted */
    struct {
        int employees;        /* staff.employees: number of positions (servers) (>= 1) */
        int days_per_week;    /* staff.days_per_week: working days of each employee */
        double hiring_delay_days; /* staff.hiring_delay_days: a vacancy stays open this long */
        double ramp_days;     /* staff.ramp_days: working days for a new hire to reach full skill */
        double new_hire_skill;/* staff.new_hire_skill: skill of a new hire, 0..1 */
        double slow_when_new; /* staff.slow_when_new: extra service time at skill 0 (0.5 = +50 %) */
        double wage_per_day;  /* staff.wage_per_day: pay per employee per day (money) */
        double hiring_cost_days; /* staff.hiring_cost_days: cost of a replacement, in days of pay */
        double training_days; /* staff.training_days: working days in class per unit of training */
        double training_cost; /* staff.training_cost: money per new hire per unit of training */
        int rule;             /* staff.rule: 0 fixed, 1 toward an occupancy, 2 toward a service level */
        double target;        /* staff.target: the occupancy or the share answered at once */
        int max_employees;    /* staff.max_employees: positions the budget allows (0 = employees) */
        double review_days;   /* staff.review_days: how often the rule reviews the positions */
    } staff;
    /* ---- the organisation model (docs/model.md); off while customers.base is 0 ---- */
    struct {
        int base;             /* customers.base: initial customer base; 0 = queue model only */
        double mix_rude;      /* customers.mix.rude: share of rude customers */
        double mix_exploitative; /* customers.mix.exploitative: share of exploitative customers */
        double abuse_probability; /* customers.abuse_probability: a rude customer's visit is abusive */
        double rude_service_factor; /* customers.rude_service_factor: rude customers need this x more time */
        double initial_satisfaction; /* customers.initial_satisfaction: s and loyalty at start */
        double learning;      /* customers.learning: weight of the latest visit in s and loyalty */
        double wait_tolerance_minutes; /* customers.wait_tolerance_minutes: W0 in exp(-wait/W0) */
        double dissatisfied_below; /* customers.dissatisfied_below: q* */
        double complain_min, complain_max; /* customers.complain_min/_max: P(complain) at mild / worst */
        double recovery_bonus;/* customers.recovery_bonus: satisfaction above the pre-failure level */
        double churn_base, churn_loyalty; /* customers.churn_base/_loyalty: p0, p1 */
        double acquisition_per_day; /* customers.acquisition_per_day: new customers/day per initial customer */
        double word_of_mouth; /* customers.word_of_mouth: gamma */
        double value_per_visit, value_cv; /* customers.value_per_visit / value_cv */
        double claim_propensity; /* customers.claim_propensity: c0 */
        double claim_prior;   /* customers.claim_prior: expected payout belief of a newcomer */
        double claim_learning;/* customers.claim_learning: eta */
        double claim_relationship_visits; /* customers.claim_relationship_visits: V0 */
        double initial_tenure_years; /* customers.initial_tenure_years: mean past tenure of the initial base */
        double abuse_polite;  /* customers.abuse_polite: propensity of a polite or exploitative customer */
        double abuse_wait;    /* customers.abuse_wait: log-odds of abuse per W0 of wait */
        double abuse_unresolved; /* customers.abuse_unresolved: log-odds after an unresolved problem */
        double incivility_learning; /* customers.incivility_learning: propensity learned from staff incivility */
        double pushiness;     /* customers.pushiness: odds multiplier of an abusive complainer's claim */
        double pushy_extra;   /* customers.pushy_extra: extra compensation an abusive complainer extracts */
        double repeat_probability; /* customers.repeat_probability: an unresolved need comes back */
        double repeat_days;   /* customers.repeat_days: mean days before it comes back */
        int repeat_max;       /* customers.repeat_max: repeats of one problem at most */
        double repeat_patience; /* customers.repeat_patience: patience of a repeat, times a fresh one's */
        double repeat_penalty;/* customers.repeat_penalty: perceived quality lost per repeat */
        double retention_effect; /* customers.retention_effect: loyalty regained by a retention offer */
        double value_rude;    /* customers.value_rude: value of a rude customer, times the mean */
        double value_exploitative; /* customers.value_exploitative: the same for exploitative */
    } customers;
    struct {
        double abuse_exhaustion;   /* employees.abuse_exhaustion: h, per abusive contact */
        double abuse_morale;       /* employees.abuse_morale: morale lost per abusive contact */
        double moderation_backing, moderation_autonomy, moderation_boundaries; /* b1, b2, b3 */
        double workload_exhaustion;/* employees.workload_exhaustion: w, per day at utilisation 1 above u0 */
        double workload_threshold; /* employees.workload_threshold: u0 */
        double recovery;           /* employees.recovery: share of exhaustion recovered per night */
        double recovery_day_off;   /* employees.recovery_day_off: share recovered on a day off */
        double morale_base, morale_exhaustion; /* m* = base - exh * e */
        double morale_unbacked, morale_backed; /* per complaint decided against / for the employee */
        double morale_adjust;      /* employees.morale_adjust: daily pull toward m* */
        double morale_resolved, morale_unresolved; /* per contact */
        double morale_reprimand;   /* employees.morale_reprimand: per reprimand (x2 if unfair) */
        double rating_effect;      /* employees.rating_effect: morale per unit rating, x rating_weight */
        double burnout_threshold;  /* employees.burnout_threshold: exhaustion counted as burnout */
        double quit_base;          /* employees.quit_base: quits per year at e = 0, m = 1 */
        double quit_exhaustion, quit_morale; /* beta_e, beta_m */
        double sick_base, sick_exhaustion;   /* P(sick day) = base + exh * e */
        double resilience_cv;      /* employees.resilience_cv: spread of individual sensitivity */
        double incivility_base, incivility_exhaustion; /* P(uncivil answer to abuse) = base + exh * e */
        double gesture_rate;       /* employees.gesture_rate: goodwill gesture on an unresolved contact */
        double gesture_error;      /* employees.gesture_error: needless gesture on a resolved one */
        double morale_sd;          /* employees.morale_sd: spread of individual morale set-points */
        double quit_cv;            /* employees.quit_cv: spread of individual quit propensity */
        double speed_cv;           /* employees.speed_cv: spread of individual service speed */
    } employees;
    struct {
        double pressure_elasticity; /* work.pressure_elasticity: alpha (-0.64) */
        double slack_elasticity;    /* work.slack_elasticity: the same below work pressure 1 */
        double planned_utilisation; /* work.planned_utilisation: capacity management plans on */
        double pressure_days;       /* work.pressure_days: smoothing of work pressure */
        double erosion_weeks;       /* work.erosion_weeks: standard drifts down with this time constant */
        double restore_weeks;       /* work.restore_weeks: and up with this one */
        double base_resolution;     /* work.base_resolution: r0 */
        double defect_share;        /* work.defect_share: visits about a defect staff cannot fix */
        double authority_share;     /* work.authority_share: problems needing authority beyond a clerk's */
        double authority_cost;      /* work.authority_cost: money an authority problem's fix gives away */
        double staff_report;        /* work.staff_report: staff report an unresolved defect contact */
        double fix_effect;          /* work.fix_effect: defect sources removed per root-cause report acted on */
        double fix_delay_days;      /* work.fix_delay_days: days before a fix takes effect */
        double defect_renewal_weeks;/* work.defect_renewal_weeks: new defects appear with this time constant */
    } work;
    kn_policy policy;         /* policy.*: the levers of this scenario */
    struct {
        double days;          /* start.days: days under start.policy before the switch (0: none) */
        kn_policy policy;     /* start.policy.*: the status quo's levers, before the switch */
    } start;
    struct {
        double reach;         /* backlash.reach: people a customer with a grievance tells */
        double reach_banned;  /* backlash.reach_banned: people a banned customer tells */
        double reach_positive;/* backlash.reach_positive: people a customer with a complaint well handled tells */
        double persuasion;    /* backlash.persuasion: share of those told whose choice it changes */
        double weeks;         /* backlash.weeks: how long word of mouth takes to act */
        double public_share;  /* backlash.public_share: an incident goes public */
        double public_hit;    /* backlash.public_hit: share of acquisition lost while it is public */
        double public_weeks;  /* backlash.public_weeks: how long it stays public */
    } backlash;
    struct {
        double size_factor;   /* market.size_factor: potential customers per initial customer (0 = unlimited) */
        double rival_quality; /* market.rival_quality: the rival's service level, 0..1 */
        double rival_pull;    /* market.rival_pull: churn rises as exp(pull (rival - initial)) */
    } market;
    struct {
        double factor;        /* demand.spike_factor: arrival multiplier during the spike */
        double start_day;     /* demand.spike_start_day */
        double days;          /* demand.spike_days: 0 = no spike */
    } spike;
    int effects;              /* behaviour.effects: 1 = behavioural mechanisms on, 0 = off */
} kn_scenario;

/* ---- the table of keys ---------------------------------------------------------- */

typedef enum kn_param_type {
    KN_PT_STRING,       /* char[KN_NAME_MAX] */
    KN_PT_INT,          /* int */
    KN_PT_UINT64,       /* uint64_t */
    KN_PT_DOUBLE,       /* double */
    KN_PT_DIST_KIND,    /* kn_dist_kind, spelled exponential|lognormal|deterministic */
    KN_PT_DOUBLE_ARRAY  /* double[count] */
} kn_param_type;

/* One scenario key: where it lives in kn_scenario, its valid range, unit and meaning. */
typedef struct kn_param {
    const char *path;   /* dotted key, e.g. "arrivals.per_hour" */
    kn_param_type type;
    size_t offset;      /* offsetof(kn_scenario, ...) */
    size_t count;       /* element count for KN_PT_DOUBLE_ARRAY, else 1 */
    double min, max;    /* valid range for numbers (see min_exclusive) */
    int min_exclusive;  /* 1: value must be > min; 0: >= min */
    const char *unit;   /* e.g. "1/h", "min", "days", "" */
    const char *help;   /* one line */
} kn_param;

#define KN_PARAM_NAME_MAX 280 /* longest key name shown, an array element included */
#define KN_PARAM_MAX 256       /* the table has at most this many keys */

/* Number of keys in the table, and key i (0 <= i < count), in a stable order. */
size_t kn_param_count(void);
const kn_param *kn_param_at(size_t i);
/* Position of p in the table (kn_param_count() for NULL). */
size_t kn_param_index(const kn_param *p);
/* The key with this dotted path, or NULL. */
const kn_param *kn_param_find(const char *path);
/* The key stored at this offsetof(kn_scenario, ...), or NULL. */
const kn_param *kn_param_at_offset(size_t offset);
/* Numeric value of a numeric key (INT, UINT64, DOUBLE, DIST_KIND as its enum value;
 * element `index` of an array); NAN for strings. */
double kn_param_get_number(const kn_scenario *sc, const kn_param *p, size_t index);
/* The value of a KN_PT_DIST_KIND key. */
kn_dist_kind kn_param_get_kind(const kn_scenario *sc, const kn_param *p);
/* Spelling of a distribution kind ("exponential", ...), NULL if there is none. */
const char *kn_dist_name(kn_dist_kind k);
/* "exponential, lognormal, deterministic": the spellings key p accepts. */
void kn_param_kind_list(const kn_param *p, char *out, size_t cap);

/* Blocks: the part of a dotted path before its last '.' (length 0 at top level);
 * whether `path` is the block block[0..n) or inside it; whether some key lies under
 * "path.". */
size_t kn_param_block_len(const char *path);
int kn_param_in_block(const char *path, const char *block, size_t n);
int kn_param_is_block(const char *path);
/* The distribution key of the optional block holding `path` (or being it), or NULL;
 * whether key p lies in such a block that is off in sc. A block whose distribution
 * defaults to KN_DIST_NONE (patience) is off until the block or a key in it is given. */
const kn_param *kn_param_dist_of(const char *path);
int kn_param_is_off(const kn_scenario *sc, const kn_param *p);

/* Whether v is in the range of p: 0, -1 (too low) or 1 (too high); and the reason
 * ("must be > 0") for a value too low (low = 1) or too high. */
int kn_param_range_side(const kn_param *p, double v);
void kn_param_bound_reason(const kn_param *p, int low, char *why, size_t cap);

/* ---- defaults and rules ------------------------------------------------------------- */

/* Fill sc with the documented defaults (not a valid scenario yet: the required keys
 * arrivals.*, service.mean_minutes and staff.employees are unset). */
void kn_scenario_defaults(kn_scenario *sc);

/* What is wrong with a scenario: the key at fault (its display name, e.g.
 * "arrivals.profile[3]"), another key involved (to point at when the first was not
 * given in a file; NULL if none) and the reason ("must be > 0, got -5"). */
typedef struct kn_scenario_fault {
    const kn_param *key;
    const kn_param *near;
    char name[KN_PARAM_NAME_MAX];
    char reason[KN_ERROR_MSG_MAX / 2];
} kn_scenario_fault;

/* Check every key's range and the rules across keys (warm-up shorter than the horizon,
 * a lognormal needs cv, an arrival rate given, the mix at most 1, ...). KN_OK, or
 * KN_ESCENARIO with *fault filled. */
kn_status kn_scenario_validate(const kn_scenario *sc, kn_scenario_fault *fault);

/* The same, with the message "key 'a.b': reason" in err. Call after changing a
 * scenario in code. */
kn_status kn_scenario_check(const kn_scenario *sc, kn_error *err);

#ifdef __cplusplus
}
#endif
#endif
