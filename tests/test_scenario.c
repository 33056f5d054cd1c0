/* test_scenario.c - unit tests of the scenario reader, overrides, checks and writer.
 *
 * Good files (scenarios/ and tests/data/good/) load with the right values; every file
 * in tests/data/bad/ fails with the expected status, and its message names the file,
 * the line and the key; `--set` overrides work and fail the same way; a resolved
 * scenario written as YAML reads back to the same values; hostile input (binary,
 * huge numbers, deep nesting, alias loops, random token soup) never crashes.
 * Data files are found under $KONING_SOURCE_DIR (the repository root; default ".").
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_yaml.h"
#include "test_data.h"

/* ---- helpers --------------------------------------------------------------------- */

static void load_ok(kn_scenario *sc, const char *rel)
{
    char path[KN_PATH_MAX];
    kn_error err = { 0 };
    data_path(path, sizeof path, rel);
    kn_status rc = kn_scenario_load(sc, path, &err);
    if (rc != KN_OK)
        print_error("loading %s: %s\n", path, err.msg);
    assert_int_equal(rc, KN_OK);
    assert_string_equal(sc->file, path);
}

static kn_status load_text(kn_scenario *sc, const char *text, kn_error *err)
{
    return kn_scenario_load_string(sc, text, strlen(text), "t.yaml", err);
}

/* The minimal valid scenario, as a string to append to. */
#define MINIMAL "arrivals: {per_hour: 600}\nservice: {mean_minutes: 1}\nstaff: {employees: 10}\n"

static void set_ok(kn_scenario *sc, const char *assignment)
{
    kn_error err = { 0 };
    kn_status rc = kn_scenario_set(sc, assignment, &err);
    if (rc != KN_OK)
        print_error("--set %s: %s\n", assignment, err.msg);
    assert_int_equal(rc, KN_OK);
}

/* Apply an override that must fail; its message must start with "--set <assignment>: "
 * and contain `want`. The scenario must be left unchanged. */
static void set_fails(kn_scenario *sc, const char *assignment, const char *want)
{
    kn_error err = { 0 };
    kn_scenario before = *sc;
    char prefix[512];
    snprintf(prefix, sizeof prefix, "--set %s: ", assignment);
    assert_int_equal(kn_scenario_set(sc, assignment, &err), KN_ESCENARIO);
    assert_int_equal(err.code, KN_ESCENARIO);
    if (strncmp(err.msg, prefix, strlen(prefix)) != 0 || !strstr(err.msg, want))
        print_error("--set %s: got \"%s\", want prefix \"%s\" and \"%s\"\n", assignment, err.msg,
                    prefix, want);
    assert_memory_equal(err.msg, prefix, strlen(prefix));
    assert_non_null(strstr(err.msg, want));
    assert_memory_equal(sc, &before, sizeof before);
}

static size_t field_size(const kn_param *p)
{
    switch (p->type) {
    case KN_PT_STRING: return KN_NAME_MAX;
    case KN_PT_INT: return sizeof(int);
    case KN_PT_UINT64: return sizeof(uint64_t);
    case KN_PT_DOUBLE: return sizeof(double);
    case KN_PT_DIST_KIND: return sizeof(kn_dist_kind);
    case KN_PT_DOUBLE_ARRAY: return p->count * sizeof(double);
    }
    return 0;
}

/* Every key of a and b holds the same bits (strings compared as strings). */
static void assert_same_scenario(const kn_scenario *a, const kn_scenario *b)
{
    for (size_t i = 0; i < kn_param_count(); i++) {
        const kn_param *p = kn_param_at(i);
        const char *fa = (const char *)a + p->offset, *fb = (const char *)b + p->offset;
        if (p->type == KN_PT_STRING)
            assert_string_equal(fa, fb);
        else if (memcmp(fa, fb, field_size(p)) != 0) {
            print_error("key %s differs\n", p->path);
            fail();
        }
    }
    assert_int_equal(a->arrivals.use_profile, b->arrivals.use_profile);
}

/* Write sc as YAML and read it back. */
static void round_trip(const kn_scenario *sc, kn_scenario *back)
{
    kn_error err = { 0 };
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(kn_scenario_write_yaml(sc, f, &err), KN_OK);
    long n = ftell(f);
    assert_true(n > 0);
    char *text = malloc((size_t)n + 1);
    assert_non_null(text);
    rewind(f);
    assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
    text[n] = '\0';
    fclose(f);
    kn_status rc = kn_scenario_load_string(back, text, (size_t)n, "written.yaml", &err);
    if (rc != KN_OK)
        print_error("%s\n---\n%s", err.msg, text);
    free(text);
    assert_int_equal(rc, KN_OK);
}

/* ---- the table ------------------------------------------------------------------- */

static void test_param_table(void **state)
{
    (void)state;
    static const char *const expected[] = {
        "name", "run.days", "run.warmup_days", "run.replications", "run.seed",
        "run.period_days", "run.org_effect_sd", "arrivals.per_hour", "arrivals.profile",
        "service.distribution", "service.mean_minutes", "service.cv", "patience.distribution",
        "patience.mean_minutes", "patience.cv", "staff.employees", "staff.days_per_week",
        "staff.hiring_delay_days", "staff.ramp_days", "staff.new_hire_skill",
        "staff.slow_when_new", "staff.wage_per_day", "staff.hiring_cost_days",
        "staff.training_days", "staff.training_cost", "staff.rule", "staff.target",
        "staff.max_employees", "staff.review_days", "customers.base", "customers.mix.rude",
        "customers.mix.exploitative", "customers.abuse_probability",
        "customers.rude_service_factor", "customers.initial_satisfaction", "customers.learning",
        "customers.wait_tolerance_minutes", "customers.dissatisfied_below",
        "customers.complain_min", "customers.complain_max", "customers.recovery_bonus",
        "customers.churn_base", "customers.churn_loyalty", "customers.acquisition_per_day",
        "customers.word_of_mouth", "customers.value_per_visit", "customers.value_cv",
        "customers.claim_propensity", "customers.claim_prior", "customers.claim_learning",
        "customers.claim_relationship_visits", "customers.initial_tenure_years",
        "customers.abuse_polite", "customers.abuse_wait", "customers.abuse_unresolved",
        "customers.incivility_learning", "customers.pushiness", "customers.pushy_extra",
        "customers.repeat_probability", "customers.repeat_days", "customers.repeat_max",
        "customers.repeat_patience", "customers.repeat_penalty", "customers.retention_effect",
        "customers.value_rude", "customers.value_exploitative", "employee.abuse_exhaustion",
        "employee.abuse_morale", "employee.moderation_backing", "employee.moderation_autonomy",
        "employee.moderation_boundaries", "employee.workload_exhaustion",
        "employee.workload_threshold", "employee.recovery", "employee.recovery_day_off",
        "employee.morale_base", "employee.morale_unbacked", "employee.morale_backed",
        "employee.morale_exhaustion", "employee.morale_adjust", "employee.morale_resolved",
        "employee.morale_unresolved", "employee.morale_reprimand", "employee.rating_effect",
        "employee.burnout_threshold", "employee.quit_base", "employee.quit_exhaustion",
        "employee.quit_morale", "employee.sick_base", "employee.sick_exhaustion",
        "employee.resilience_cv", "employee.incivility_base", "employee.incivility_exhaustion",
        "employee.gesture_rate", "employee.gesture_error", "employee.morale_sd",
        "employee.quit_cv", "employee.speed_cv", "work.pressure_elasticity",
        "work.slack_elasticity", "work.planned_utilisation", "work.pressure_days",
        "work.erosion_weeks", "work.restore_weeks", "work.base_resolution", "work.defect_share",
        "work.authority_share", "work.authority_cost", "work.staff_report", "work.fix_effect",
        "work.fix_delay_days", "work.defect_renewal_weeks", "policy.side_with_customer",
        "policy.investigate", "policy.compensation", "policy.claim_ease", "policy.reprimand",
        "policy.end_abusive_contact", "policy.ban_after_incidents", "policy.rating_weight",
        "policy.minutes_cap", "policy.empowerment", "policy.backing", "policy.effort_by_value",
        "policy.training", "policy.investigation_cost", "policy.investigation_days",
        "policy.investigation_accuracy", "policy.gesture_value", "policy.root_cause",
        "policy.root_cause_cost", "policy.priority", "policy.priority_value",
        "policy.retention_effort", "policy.retention_offer", "policy.at_risk_below",
        "backlash.reach", "backlash.reach_banned", "backlash.reach_positive",
        "backlash.persuasion", "backlash.weeks", "backlash.public_share", "backlash.public_hit",
        "backlash.public_weeks", "market.size_factor", "market.rival_quality",
        "market.rival_pull", "start.days", "start.policy.side_with_customer",
        "start.policy.investigate", "start.policy.compensation", "start.policy.claim_ease",
        "start.policy.reprimand", "start.policy.end_abusive_contact",
        "start.policy.ban_after_incidents", "start.policy.rating_weight",
        "start.policy.minutes_cap", "start.policy.empowerment", "start.policy.backing",
        "start.policy.effort_by_value", "start.policy.training",
        "start.policy.investigation_cost", "start.policy.investigation_days",
        "start.policy.investigation_accuracy", "start.policy.gesture_value",
        "start.policy.root_cause", "start.policy.root_cause_cost", "start.policy.priority",
        "start.policy.priority_value", "start.policy.retention_effort",
        "start.policy.retention_offer", "start.policy.at_risk_below", "demand.spike_factor",
        "demand.spike_start_day", "demand.spike_days", "behaviour.effects",
    };
    size_t n = kn_param_count();
    assert_int_equal(n, sizeof expected / sizeof expected[0]);
    for (size_t i = 0; i < n; i++) {
        const kn_param *p = kn_param_at(i);
        assert_non_null(p);
        assert_string_equal(p->path, expected[i]); /* stable order */
        assert_ptr_equal(kn_param_find(p->path), p);
        assert_non_null(p->unit);
        assert_non_null(p->help);
        assert_true(strlen(p->help) > 0);
        assert_true(p->offset + field_size(p) <= sizeof(kn_scenario));
        assert_true(p->count >= 1);
        if (p->type != KN_PT_DOUBLE_ARRAY)
            assert_int_equal(p->count, 1);
        if (p->type != KN_PT_STRING)
            assert_true(p->min <= p->max);
        if (p->type == KN_PT_INT)
            assert_true(p->max <= INT_MAX && p->min >= INT_MIN);
        /* keys of one block are contiguous: a block seen before must be the current one */
        const char *dot = strrchr(p->path, '.');
        size_t b = dot ? (size_t)(dot - p->path) : 0;
        for (size_t j = 0; b > 0 && j + 1 < i; j++) {
            const kn_param *q = kn_param_at(j);
            if (strncmp(q->path, p->path, b) == 0 && q->path[b] == '.') {
                const kn_param *prev = kn_param_at(i - 1);
                assert_true(strncmp(prev->path, p->path, b) == 0 && prev->path[b] == '.');
            }
        }
    }
    assert_null(kn_param_at(n));
    assert_null(kn_param_find("arrivals.per_hr"));
    assert_null(kn_param_find("run"));
    assert_null(kn_param_find(NULL));
    const kn_param *prof = kn_param_find("arrivals.profile");
    assert_int_equal(prof->type, KN_PT_DOUBLE_ARRAY);
    assert_int_equal(prof->count, KN_HOURS_PER_DAY);
    assert_int_equal(prof->offset, offsetof(kn_scenario, arrivals.profile));
    assert_int_equal(kn_param_find("staff.employees")->offset, offsetof(kn_scenario, staff.employees));
    assert_int_equal(kn_param_find("run.seed")->type, KN_PT_UINT64);
    assert_string_equal(kn_param_find("arrivals.per_hour")->unit, "1/h");
    assert_string_equal(kn_param_find("service.mean_minutes")->unit, "min");
    assert_true(kn_param_find("arrivals.per_hour")->min_exclusive);
}

static void test_get_number(void **state)
{
    (void)state;
    kn_scenario sc;
    load_ok(&sc, "tests/data/good/profile.yaml");
    assert_true(isnan(kn_param_get_number(&sc, kn_param_find("name"), 0)));
    assert_float_equal(kn_param_get_number(&sc, kn_param_find("run.days"), 0), 14.0, 0.0);
    assert_float_equal(kn_param_get_number(&sc, kn_param_find("staff.employees"), 0), 12.0, 0.0);
    assert_float_equal(kn_param_get_number(&sc, kn_param_find("run.seed"), 0),
                       12345678901234567890.0, 0.0);
    assert_float_equal(kn_param_get_number(&sc, kn_param_find("patience.distribution"), 0),
                       KN_DIST_LOGNORMAL, 0.0);
    const kn_param *prof = kn_param_find("arrivals.profile");
    assert_float_equal(kn_param_get_number(&sc, prof, 9), 120.0, 0.0);
    assert_true(isnan(kn_param_get_number(&sc, prof, KN_HOURS_PER_DAY)));
    assert_true(isnan(kn_param_get_number(&sc, kn_param_find("run.days"), 1)));
    assert_true(isnan(kn_param_get_number(NULL, prof, 0)));
    assert_true(isnan(kn_param_get_number(&sc, NULL, 0)));
}

/* ---- defaults and checks --------------------------------------------------------- */

static void test_defaults(void **state)
{
    (void)state;
    kn_scenario sc;
    memset(&sc, 0x5A, sizeof sc);
    kn_scenario_defaults(&sc);
    assert_string_equal(sc.name, "scenario");
    assert_string_equal(sc.file, "");
    assert_float_equal(sc.run.days, 30.0, 0.0);
    assert_float_equal(sc.run.warmup_days, 2.0, 0.0);
    assert_int_equal(sc.run.replications, 20);
    assert_int_equal(sc.run.seed, 1);
    assert_float_equal(sc.arrivals.per_hour, 0.0, 0.0);
    assert_int_equal(sc.arrivals.use_profile, 0);
    for (int h = 0; h < KN_HOURS_PER_DAY; h++)
        assert_float_equal(sc.arrivals.profile[h], 0.0, 0.0);
    assert_int_equal(sc.service.kind, KN_DIST_EXPONENTIAL);
    assert_float_equal(sc.service.mean_minutes, 0.0, 0.0);
    assert_float_equal(sc.service.cv, 1.0, 0.0);
    assert_int_equal(sc.patience.kind, KN_DIST_NONE);
    assert_float_equal(sc.patience.cv, 1.0, 0.0);
    assert_int_equal(sc.staff.employees, 0);
    kn_scenario_defaults(NULL); /* harmless */
}

/* The defaults are not a scenario yet: the required keys are reported one by one. */
static void test_check_required(void **state)
{
    (void)state;
    kn_scenario sc;
    kn_error err = { 0 };
    kn_scenario_defaults(&sc);
    assert_int_equal(kn_scenario_check(&sc, &err), KN_ESCENARIO);
    assert_string_equal(err.msg, "key 'arrivals.per_hour': required, not given "
                                 "(give arrivals.per_hour or arrivals.profile)");
    sc.arrivals.per_hour = 60;
    assert_int_equal(kn_scenario_check(&sc, &err), KN_ESCENARIO);
    assert_string_equal(err.msg, "key 'service.mean_minutes': required, not given");
    sc.service.mean_minutes = 2;
    assert_int_equal(kn_scenario_check(&sc, &err), KN_ESCENARIO);
    assert_string_equal(err.msg, "key 'staff.employees': required, not given");
    sc.staff.employees = 3;
    assert_int_equal(kn_scenario_check(&sc, &err), KN_OK);
    assert_int_equal(kn_scenario_check(&sc, NULL), KN_OK);
    assert_int_equal(kn_scenario_check(NULL, &err), KN_EINVAL);
}

/* Cross-key rules on scenarios built in code (messages name only the key). */
static void test_check_cross(void **state)
{
    (void)state;
    kn_scenario base, sc;
    kn_error err = { 0 };
    kn_scenario_defaults(&base);
    base.arrivals.per_hour = 60;
    base.service.mean_minutes = 2;
    base.staff.employees = 3;

    sc = base;
    sc.run.warmup_days = 30;
    assert_int_equal(kn_scenario_check(&sc, &err), KN_ESCENARIO);
    assert_string_equal(err.msg, "key 'run.warmup_days': must be < run.days (30), got 30");

    sc = base;
    sc.service.kind = KN_DIST_LOGNORMAL;
    sc.service.cv = 0;
    assert_int_equal(kn_scenario_check(&sc, &err), KN_ESCENARIO);
    assert_string_equal(err.msg, "key 'service.cv': must be > 0 for a lognormal distribution, got 0");
    sc.service.cv = 0.5;
    assert_int_equal(kn_scenario_check(&sc, &err), KN_OK);

    sc = base; /* patience off: its (unset) mean is not checked; on: it is */
    assert_int_equal(kn_scenario_check(&sc, &err), KN_OK);
    sc.patience.kind = KN_DIST_DETERMINISTIC;
    assert_int_equal(kn_scenario_check(&sc, &err), KN_ESCENARIO);
    assert_string_equal(err.msg, "key 'patience.mean_minutes': required, not given");

    sc = base;
    sc.service.kind = KN_DIST_NONE; /* service is not optional */
    assert_int_equal(kn_scenario_check(&sc, &err), KN_ESCENARIO);
    assert_non_null(strstr(err.msg, "key 'service.distribution': must be one of"));

    sc = base;
    sc.arrivals.use_profile = 1; /* per_hour still set: both */
    sc.arrivals.profile[8] = 10;
    assert_int_equal(kn_scenario_check(&sc, &err), KN_ESCENARIO);
    assert_non_null(strstr(err.msg, "not both"));
    sc.arrivals.per_hour = 0;
    assert_int_equal(kn_scenario_check(&sc, &err), KN_OK);
    sc.arrivals.profile[8] = 0;
    assert_int_equal(kn_scenario_check(&sc, &err), KN_ESCENARIO);
    assert_string_equal(err.msg, "key 'arrivals.profile': at least one hour must have a rate > 0");
    sc.arrivals.profile[3] = -1;
    assert_int_equal(kn_scenario_check(&sc, &err), KN_ESCENARIO);
    assert_string_equal(err.msg, "key 'arrivals.profile[3]': must be >= 0, got -1");

    sc = base;
    sc.run.days = NAN;
    assert_int_equal(kn_scenario_check(&sc, &err), KN_ESCENARIO);
    assert_non_null(strstr(err.msg, "key 'run.days': must be > 0"));

    sc = base;
    sc.run.replications = 1;
    assert_int_equal(kn_scenario_check(&sc, &err), KN_ESCENARIO);
    assert_string_equal(err.msg, "key 'run.replications': must be >= 2, got 1");

    sc = base; /* a budget below the staff, a market smaller than the base */
    sc.staff.max_employees = 2;
    assert_int_equal(kn_scenario_check(&sc, &err), KN_ESCENARIO);
    assert_string_equal(err.msg, "key 'staff.max_employees': must be 0 (no more positions than "
                                 "staff.employees) or >= staff.employees (3), got 2");
    sc.staff.max_employees = 3;
    assert_int_equal(kn_scenario_check(&sc, &err), KN_OK);
    sc.market.size_factor = 0.5;
    assert_int_equal(kn_scenario_check(&sc, &err), KN_ESCENARIO);
    assert_string_equal(err.msg, "key 'market.size_factor': must be 0 (an unlimited market) or >= 1 "
                                 "(the market holds at least the initial base), got 0.5");
    sc.market.size_factor = 0.0;
    assert_int_equal(kn_scenario_check(&sc, &err), KN_OK);
    sc.market.size_factor = 1.0;
    assert_int_equal(kn_scenario_check(&sc, &err), KN_OK);

    sc = base;
    sc.name[0] = '\0';
    assert_int_equal(kn_scenario_check(&sc, &err), KN_ESCENARIO);
    assert_string_equal(err.msg, "key 'name': must not be empty");
    memset(sc.name, 'x', sizeof sc.name);
    assert_int_equal(kn_scenario_check(&sc, &err), KN_ESCENARIO);
    assert_non_null(strstr(err.msg, "key 'name'"));
}

/* ---- good files ------------------------------------------------------------------ */

static void test_load_call_centre(void **state)
{
    (void)state;
    kn_scenario sc;
    load_ok(&sc, "scenarios/call-centre.yaml");
    assert_string_equal(sc.name, "call centre");
    assert_float_equal(sc.run.days, 30.0, 0.0);
    assert_float_equal(sc.run.warmup_days, 2.0, 0.0);
    assert_int_equal(sc.run.replications, 20);
    assert_int_equal(sc.run.seed, 1);
    assert_float_equal(sc.arrivals.per_hour, 600.0, 0.0);
    assert_int_equal(sc.arrivals.use_profile, 0);
    assert_int_equal(sc.service.kind, KN_DIST_EXPONENTIAL);
    assert_float_equal(sc.service.mean_minutes, 1.0, 0.0);
    assert_int_equal(sc.patience.kind, KN_DIST_EXPONENTIAL);
    assert_float_equal(sc.patience.mean_minutes, 2.0, 0.0);
    assert_int_equal(sc.staff.employees, 10);
}

static void test_load_profile(void **state)
{
    (void)state;
    static const double want[KN_HOURS_PER_DAY] = { 0,  0,  0,   0,   0,   0,   10, 40,
                                                   90, 120, 110, 100, 80, 95, 105, 100,
                                                   85, 60, 30,  15,  5,   0,   0,  0 };
    kn_scenario sc;
    load_ok(&sc, "tests/data/good/profile.yaml");
    assert_string_equal(sc.name, "help desk with a daily profile");
    assert_float_equal(sc.run.days, 14.0, 0.0);
    assert_float_equal(sc.run.warmup_days, 1.0, 0.0);
    assert_int_equal(sc.run.replications, 10);
    assert_true(sc.run.seed == UINT64_C(12345678901234567890));
    assert_float_equal(sc.run.period_days, 2.5, 0.0);
    assert_int_equal(sc.arrivals.use_profile, 1);
    assert_float_equal(sc.arrivals.per_hour, 0.0, 0.0);
    for (int h = 0; h < KN_HOURS_PER_DAY; h++)
        assert_float_equal(sc.arrivals.profile[h], want[h], 0.0);
    assert_int_equal(sc.service.kind, KN_DIST_EXPONENTIAL); /* omitted: exponential */
    assert_float_equal(sc.service.mean_minutes, 6.0, 0.0);
    assert_int_equal(sc.patience.kind, KN_DIST_LOGNORMAL);
    assert_float_equal(sc.patience.mean_minutes, 4.5, 0.0);
    assert_float_equal(sc.patience.cv, 0.8, 0.0);
    assert_int_equal(sc.staff.employees, 12);
}

static void test_load_lognormal(void **state)
{
    (void)state;
    kn_scenario sc;
    load_ok(&sc, "tests/data/good/lognormal.yaml");
    assert_string_equal(sc.name, "lognormal"); /* file base name */
    assert_float_equal(sc.run.days, 30.0, 0.0);  /* defaults */
    assert_int_equal(sc.run.replications, 20);
    assert_float_equal(sc.arrivals.per_hour, 45.5, 0.0);
    assert_int_equal(sc.service.kind, KN_DIST_LOGNORMAL);
    assert_float_equal(sc.service.mean_minutes, 7.25, 0.0);
    assert_float_equal(sc.service.cv, 0.35, 0.0);
    assert_int_equal(sc.patience.kind, KN_DIST_NONE); /* omitted: nobody abandons */
    assert_int_equal(sc.staff.employees, 6);
}

static void test_load_flow_style(void **state)
{
    (void)state;
    kn_scenario sc;
    load_ok(&sc, "tests/data/good/deterministic.yaml");
    assert_string_equal(sc.name, "desk \"A\"");
    assert_float_equal(sc.run.days, 1.0, 0.0);
    assert_float_equal(sc.run.warmup_days, 0.0, 0.0);
    assert_int_equal(sc.run.replications, 2);
    assert_int_equal(sc.run.seed, 0);
    assert_float_equal(sc.arrivals.per_hour, 1000.0, 0.0);
    assert_int_equal(sc.service.kind, KN_DIST_DETERMINISTIC);
    assert_float_equal(sc.service.mean_minutes, 0.05, 0.0);
    assert_int_equal(sc.patience.kind, KN_DIST_EXPONENTIAL); /* block given: on */
    assert_float_equal(sc.patience.mean_minutes, 0.5, 0.0);
    assert_int_equal(sc.staff.employees, 30000);
}

/* Every scenario file in tests/data/good/ and scenarios/ loads and survives a round trip. */
static void test_all_good_files(void **state)
{
    (void)state;
    static const char *const dirs[] = { "tests/data/good", "scenarios" };
    int seen = 0;
    for (size_t d = 0; d < 2; d++) {
        char dir[KN_PATH_MAX];
        data_path(dir, sizeof dir, dirs[d]);
        DIR *dp = opendir(dir);
        assert_non_null(dp);
        struct dirent *e;
        while ((e = readdir(dp)) != NULL) {
            size_t n = strlen(e->d_name);
            if (n < 5 || strcmp(e->d_name + n - 5, ".yaml") != 0)
                continue;
            if (!strcmp(e->d_name, "uncertainty.yaml"))
                continue; /* the ranges of koning robust, not a scenario (test_robust) */
            char rel[KN_PATH_MAX];
            snprintf(rel, sizeof rel, "%s/%s", dirs[d], e->d_name);
            kn_scenario sc, back;
            load_ok(&sc, rel);
            round_trip(&sc, &back);
            assert_same_scenario(&sc, &back);
            seen++;
        }
        closedir(dp);
    }
    assert_true(seen >= 4);
}

/* Dotted-path independence of layout: block style, flow style, comments, anchors. */
static void test_load_string_forms(void **state)
{
    (void)state;
    kn_scenario sc;
    kn_error err = { 0 };
    const char *text = "# comment\n"
                       "name: 'single quoted'\n"
                       "arrivals:\n  per_hour: &rate 120   # an anchor\n"
                       "service: {mean_minutes: *rate, distribution: deterministic}\n"
                       "staff: {employees: +7}\n"
                       "run: {seed: 18446744073709551615, days: 3.5e1, warmup_days: .5, "
                       "period_days: 1440}\n";
    assert_int_equal(load_text(&sc, text, &err), KN_OK);
    assert_string_equal(sc.name, "single quoted");
    assert_float_equal(sc.arrivals.per_hour, 120.0, 0.0);
    assert_float_equal(sc.service.mean_minutes, 120.0, 0.0);
    assert_int_equal(sc.service.kind, KN_DIST_DETERMINISTIC);
    assert_int_equal(sc.staff.employees, 7);
    assert_true(sc.run.seed == UINT64_MAX);
    assert_float_equal(sc.run.days, 35.0, 0.0);
    assert_float_equal(sc.run.warmup_days, 0.5, 0.0);
    assert_float_equal(sc.run.period_days, 1440.0, 0.0);
    assert_string_equal(sc.file, "t.yaml");

    /* integers: decimal digits with an optional sign; leading zeros are decimal */
    assert_int_equal(load_text(&sc, MINIMAL "run: {replications: 010}\n", &err), KN_OK);
    assert_int_equal(sc.run.replications, 10);

    /* an empty patience block switches abandonment on, and then needs a mean */
    assert_int_equal(load_text(&sc, MINIMAL "patience: {}\n", &err), KN_ESCENARIO);
    assert_string_equal(err.msg, "t.yaml: key 'patience.mean_minutes': required, not given");
    assert_int_equal(load_text(&sc, MINIMAL "patience: {cv: 2, mean_minutes: 3}\n", &err), KN_OK);
    assert_int_equal(sc.patience.kind, KN_DIST_EXPONENTIAL);
    assert_float_equal(sc.patience.cv, 2.0, 0.0);
}

static void test_default_name(void **state)
{
    (void)state;
    kn_scenario sc;
    kn_error err = { 0 };
    const char *text = MINIMAL;
    assert_int_equal(kn_scenario_load_string(&sc, text, strlen(text), "some/dir/x.y.yaml", &err),
                     KN_OK);
    assert_string_equal(sc.name, "x.y");
    assert_string_equal(sc.file, "some/dir/x.y.yaml");
    assert_int_equal(kn_scenario_load_string(&sc, text, strlen(text), "noext", &err), KN_OK);
    assert_string_equal(sc.name, "noext");
    assert_int_equal(kn_scenario_load_string(&sc, text, strlen(text), "dir/.hidden", &err), KN_OK);
    assert_string_equal(sc.name, ".hidden");
    assert_int_equal(kn_scenario_load_string(&sc, text, strlen(text), NULL, &err), KN_OK);
    assert_string_equal(sc.name, "<string>");
    assert_int_equal(kn_scenario_load_string(&sc, text, strlen(text), "dir/", &err), KN_OK);
    assert_string_equal(sc.name, "scenario");
    /* an explicit name wins */
    const char *named = "name: Desk 7\n" MINIMAL;
    assert_int_equal(kn_scenario_load_string(&sc, named, strlen(named), "x.yaml", &err), KN_OK);
    assert_string_equal(sc.name, "Desk 7");
    /* the text need not be NUL-terminated: len rules */
    char buf[] = MINIMAL "staff: {employees: 11}";
    assert_int_equal(kn_scenario_load_string(&sc, buf, strlen(MINIMAL), "x.yaml", &err), KN_OK);
    assert_int_equal(sc.staff.employees, 10);
    assert_int_equal(kn_scenario_load_string(NULL, buf, 3, "x.yaml", &err), KN_EINVAL);
    assert_int_equal(kn_scenario_load_string(&sc, NULL, 3, "x.yaml", &err), KN_EINVAL);
}

/* ---- bad files ------------------------------------------------------------------- */

typedef struct bad_case {
    const char *file;   /* in tests/data/bad/ */
    kn_status code;
    size_t line, col;   /* expected position; line 0: message has no position */
    const char *key;    /* expected "key '...'", NULL if none */
    const char *reason; /* a substring of the message */
} bad_case;

static const bad_case bad_cases[] = {
    { "actors-too-many.yaml", KN_ESCENARIO, 5, 20, "staff.employees",
      "30000 employees and the manager make 30001 actors in one simulation, more than 30000" },
    { "bad-enum.yaml", KN_ESCENARIO, 3, 17, "service.distribution",
      "must be one of exponential, lognormal, deterministic; got 'gamma'" },
    { "comments-only.yaml", KN_ESCENARIO, 1, 1, NULL, "empty scenario" },
    { "complex-key.yaml", KN_ESCENARIO, 4, 3, NULL, "a key must be a plain name, got a sequence" },
    { "days-too-long.yaml", KN_ESCENARIO, 2, 9, "run.days", "must be <= 3650, got 4000" },
    { "deep.yaml", KN_ESCENARIO, 4, 13, "run.days", "expected a number, got a mapping" },
    { "dotted-key.yaml", KN_ESCENARIO, 3, 1, "staff.employees", "must not contain '.'" },
    { "duplicate-block.yaml", KN_ESCENARIO, 5, 1, "run", "duplicate key (first at line 1)" },
    { "duplicate-key.yaml", KN_ESCENARIO, 5, 3, "staff.employees", "duplicate key (first at line 4)" },
    { "employees-zero.yaml", KN_ESCENARIO, 3, 20, "staff.employees", "must be >= 1, got 0" },
    { "empty.yaml", KN_ESCENARIO, 1, 1, NULL, "empty scenario" },
    { "flat-key.yaml", KN_ESCENARIO, 3, 1, "employees", "unknown key (did you mean 'staff.employees'?)" },
    { "garbage.yaml", KN_ESCENARIO, 1, 1, NULL, "syntax error: control characters are not allowed" },
    { "huge-integer.yaml", KN_ESCENARIO, 3, 20, "staff.employees",
      "must be <= 30000, got 99999999999999999999999999" },
    { "huge-number.yaml", KN_ESCENARIO, 4, 13, "run.days", "must be <= 3650, got 1e999" },
    { "inf.yaml", KN_ESCENARIO, 2, 25, "service.mean_minutes", "expected a number, got '.inf'" },
    { "int-exponent.yaml", KN_ESCENARIO, 3, 20, "staff.employees", "expected an integer, got '1e1'" },
    { "int-fraction.yaml", KN_ESCENARIO, 3, 20, "staff.employees", "expected an integer, got '2.5'" },
    { "int-word.yaml", KN_ESCENARIO, 4, 14, "staff.employees", "expected an integer, got 'ten'" },
    { "invalid-utf8.yaml", KN_ESCENARIO, 2, 25, NULL, "syntax error: invalid leading UTF-8 octet" },
    { "lognormal-cv-zero.yaml", KN_ESCENARIO, 5, 7, "service.cv",
      "must be > 0 for a lognormal distribution, got 0" },
    { "mapping-for-number.yaml", KN_ESCENARIO, 5, 5, "staff.employees",
      "expected an integer, got a mapping" },
    { "name-empty.yaml", KN_ESCENARIO, 1, 7, "name", "must not be empty" },
    { "name-mapping.yaml", KN_ESCENARIO, 1, 7, "name", "expected a string, got a mapping" },
    { "nan.yaml", KN_ESCENARIO, 1, 22, "arrivals.per_hour", "expected a number, got '.nan'" },
    { "no-arrivals.yaml", KN_ESCENARIO, 0, 0, "arrivals.per_hour",
      "required, not given (give arrivals.per_hour or arrivals.profile)" },
    { "no-employees.yaml", KN_ESCENARIO, 0, 0, "staff.employees", "required, not given" },
    { "no-service-mean.yaml", KN_ESCENARIO, 2, 25, "service.mean_minutes", "required, not given" },
    { "null-value.yaml", KN_ESCENARIO, 4, 13, "staff.employees", "missing value" },
    { "number-word.yaml", KN_ESCENARIO, 1, 22, "arrivals.per_hour", "expected a number, got 'lots'" },
    { "patience-no-mean.yaml", KN_ESCENARIO, 5, 17, "patience.mean_minutes", "required, not given" },
    { "period-fraction.yaml", KN_ESCENARIO, 3, 20, "run.period_days",
      "must be a whole number of minutes (run.period_days x 1440), got 0.0123 days = 17.712 minutes" },
    { "period-tiny.yaml", KN_ESCENARIO, 3, 20, "run.period_days",
      "must be at least one minute (1/1440 days), got 1e-09 days" },
    { "period-too-many.yaml", KN_ESCENARIO, 3, 20, "run.period_days",
      "gives 14600 periods per run (run.days / run.period_days), more than 10000: make each "
      "period at least 526 minutes" },
    { "per-hour-negative.yaml", KN_ESCENARIO, 2, 22, "arrivals.per_hour", "must be > 0, got -5" },
    { "profile-and-rate.yaml", KN_ESCENARIO, 3, 12, "arrivals.profile",
      "give either arrivals.per_hour or arrivals.profile, not both (the other is at line 2)" },
    { "profile-negative.yaml", KN_ESCENARIO, 3, 29, "arrivals.profile[16]", "must be >= 0, got -17" },
    { "profile-scalar.yaml", KN_ESCENARIO, 2, 12, "arrivals.profile",
      "expected a sequence of 24 numbers, got '100'" },
    { "profile-short.yaml", KN_ESCENARIO, 2, 12, "arrivals.profile", "expected 24 values, got 23" },
    { "profile-zero.yaml", KN_ESCENARIO, 2, 12, "arrivals.profile",
      "at least one hour must have a rate > 0" },
    { "quoted-number.yaml", KN_ESCENARIO, 1, 22, "arrivals.per_hour",
      "expected a number, got the quoted string '600'" },
    { "replications-one.yaml", KN_ESCENARIO, 2, 17, "run.replications", "must be >= 2, got 1" },
    { "scalar-for-block.yaml", KN_ESCENARIO, 1, 6, "run",
      "expected a mapping of keys (days, warmup_days, replications, seed, period_days, org_effect_sd), got '30'" },
    { "seed-negative.yaml", KN_ESCENARIO, 1, 13, "run.seed", "must be >= 0, got -1" },
    { "seed-too-big.yaml", KN_ESCENARIO, 1, 13, "run.seed",
      "must be <= 18446744073709551615, got 18446744073709551616" },
    { "sequence-for-block.yaml", KN_ESCENARIO, 2, 10, "service",
      "expected a mapping of keys (distribution, mean_minutes, cv), got a sequence" },
    { "syntax.yaml", KN_ESCENARIO, 3, 9, NULL, "syntax error: did not find expected ',' or '}'" },
    { "tab-indent.yaml", KN_ESCENARIO, 2, 1, NULL, "syntax error: found character that cannot start" },
    { "top-scalar.yaml", KN_ESCENARIO, 1, 1, NULL, "the top level must be a mapping of keys" },
    { "top-sequence.yaml", KN_ESCENARIO, 1, 1, NULL, "the top level must be a mapping of keys" },
    { "two-documents.yaml", KN_ESCENARIO, 5, 1, NULL, "only one YAML document is allowed" },
    { "undefined-alias.yaml", KN_ESCENARIO, 1, 22, NULL, "syntax error: found undefined alias" },
    { "unknown-block.yaml", KN_ESCENARIO, 1, 1, "arivals", "unknown key (did you mean 'arrivals'?)" },
    { "unknown-key.yaml", KN_ESCENARIO, 4, 3, "arrivals.per_hr",
      "unknown key (did you mean 'arrivals.per_hour'?)" },
    { "unknown-top.yaml", KN_ESCENARIO, 4, 1, "colour",
      "unknown key (the top-level keys are name, run, arrivals, service, patience, staff, customers, employee, work, policy, backlash, market, start, demand, behaviour)" },
    { "warmup-too-long.yaml", KN_ESCENARIO, 4, 16, "run.warmup_days",
      "must be < run.days (30), got 40" },
};
#define N_BAD (sizeof bad_cases / sizeof bad_cases[0])

static void test_bad_files(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_BAD; i++) {
        const bad_case *b = &bad_cases[i];
        char rel[256], path[KN_PATH_MAX], prefix[KN_PATH_MAX + 64], key[KN_PATH_MAX + 400];
        snprintf(rel, sizeof rel, "tests/data/bad/%s", b->file);
        data_path(path, sizeof path, rel);
        kn_scenario sc;
        kn_scenario_defaults(&sc);
        snprintf(sc.name, sizeof sc.name, "untouched");
        kn_error err = { 0 };
        kn_status rc = kn_scenario_load(&sc, path, &err);
        if (b->line)
            snprintf(prefix, sizeof prefix, "%s:%zu:%zu: ", path, b->line, b->col);
        else
            snprintf(prefix, sizeof prefix, "%s: ", path);
        snprintf(key, sizeof key, "%skey '%s': ", prefix, b->key ? b->key : "");
        int ok = rc == b->code && err.code == b->code &&
                 strncmp(err.msg, prefix, strlen(prefix)) == 0 && strstr(err.msg, b->reason) &&
                 (b->key ? strncmp(err.msg, key, strlen(key)) == 0 : !strstr(err.msg, "key '"));
        if (!ok)
            print_error("%s: rc %d, message \"%s\"\n  want rc %d, prefix \"%s\", key %s, \"%s\"\n",
                        b->file, rc, err.msg, b->code, prefix, b->key ? b->key : "(none)",
                        b->reason);
        assert_true(ok);
        assert_string_equal(sc.name, "untouched"); /* a failed load changes nothing */
    }
}

/* Every file in tests/data/bad/ has an expectation above (and vice versa). */
static void test_bad_dir_covered(void **state)
{
    (void)state;
    char dir[KN_PATH_MAX];
    data_path(dir, sizeof dir, "tests/data/bad");
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    size_t files = 0;
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        files++;
        size_t i;
        for (i = 0; i < N_BAD; i++)
            if (strcmp(bad_cases[i].file, e->d_name) == 0)
                break;
        if (i == N_BAD)
            print_error("tests/data/bad/%s has no expectation in test_scenario.c\n", e->d_name);
        assert_true(i < N_BAD);
    }
    closedir(dp);
    assert_int_equal(files, N_BAD);
}

static void test_missing_file(void **state)
{
    (void)state;
    kn_scenario sc;
    kn_error err = { 0 };
    char path[KN_PATH_MAX];
    data_path(path, sizeof path, "tests/data/no-such-file.yaml");
    assert_int_equal(kn_scenario_load(&sc, path, &err), KN_EIO);
    assert_int_equal(err.code, KN_EIO);
    char want[KN_PATH_MAX + 64];
    snprintf(want, sizeof want, "%s: cannot open: ", path);
    assert_memory_equal(err.msg, want, strlen(want));
    assert_non_null(strstr(err.msg, "No such file"));

    data_path(path, sizeof path, "tests/data");
    assert_int_equal(kn_scenario_load(&sc, path, &err), KN_EIO); /* a directory */
    assert_non_null(strstr(err.msg, path));

    assert_int_equal(kn_scenario_load(&sc, NULL, &err), KN_EINVAL);
    assert_int_equal(kn_scenario_load(NULL, path, &err), KN_EINVAL);
    char longpath[KN_PATH_MAX + 10];
    memset(longpath, 'a', sizeof longpath - 1);
    longpath[sizeof longpath - 1] = '\0';
    assert_int_equal(kn_scenario_load(&sc, longpath, &err), KN_EIO);
    assert_int_equal(kn_scenario_load(&sc, path, NULL), KN_EIO); /* a NULL err is allowed */
}

/* Exact messages for a few cases, including the NULL-err path. */
static void test_messages_exact(void **state)
{
    (void)state;
    kn_scenario sc;
    kn_error err = { 0 };
    assert_int_equal(load_text(&sc, "arrivals:\n  per_hour: -5\n", &err), KN_ESCENARIO);
    assert_string_equal(err.msg, "t.yaml:2:13: key 'arrivals.per_hour': must be > 0, got -5");
    assert_int_equal(load_text(&sc, "run:\n  days: 30\n  warmup_days: 40\n" MINIMAL, &err),
                     KN_ESCENARIO);
    assert_string_equal(err.msg, "t.yaml:3:16: key 'run.warmup_days': must be < run.days (30), got 40");
    /* warm-up left at its default: point at run.days */
    assert_int_equal(load_text(&sc, "run:\n  days: 1.5\n" MINIMAL, &err), KN_ESCENARIO);
    assert_string_equal(err.msg, "t.yaml:2:9: key 'run.warmup_days': must be < run.days (1.5), got 2");
    assert_int_equal(load_text(&sc, "staff: {employees: ten}\n", &err), KN_ESCENARIO);
    assert_string_equal(err.msg, "t.yaml:1:20: key 'staff.employees': expected an integer, got 'ten'");
    assert_int_equal(load_text(&sc, "servise: {mean_minutes: 1}\n", &err), KN_ESCENARIO);
    assert_string_equal(err.msg, "t.yaml:1:1: key 'servise': unknown key (did you mean 'service'?)");
    assert_int_equal(load_text(&sc, "run: {dayz: 3}\n", &err), KN_ESCENARIO);
    assert_string_equal(err.msg, "t.yaml:1:7: key 'run.dayz': unknown key (did you mean 'run.days'?)");
    assert_int_equal(load_text(&sc, "run: {sample_minutes: 5}\n", &err), KN_ESCENARIO);
    assert_string_equal(err.msg, "t.yaml:1:7: key 'run.sample_minutes': no longer a key: the queue "
                                 "length is now measured exactly, without sampling "
                                 "(docs/model.md#queue); remove it");
    assert_int_equal(load_text(&sc, "run: {zzzzzzzz: 3}\n", &err), KN_ESCENARIO);
    assert_string_equal(err.msg, "t.yaml:1:7: key 'run.zzzzzzzz': unknown key (the keys under 'run' "
                                 "are days, warmup_days, replications, seed, period_days, org_effect_sd)");
    assert_int_equal(load_text(&sc, "patience: {distribution: none}\n", &err), KN_ESCENARIO);
    assert_string_equal(err.msg, "t.yaml:1:26: key 'patience.distribution': must be one of "
                                 "exponential, lognormal, deterministic; got 'none'");
    /* long values are shortened in messages */
    char text[600];
    snprintf(text, sizeof text, "staff: {employees: %0500d}\n", 7);
    memset(strchr(text, '7') - 10, 'x', 5);
    assert_int_equal(load_text(&sc, text, &err), KN_ESCENARIO);
    assert_non_null(strstr(err.msg, "...'"));
    assert_true(strlen(err.msg) < 200);
    assert_int_equal(load_text(&sc, "staff: {employees: ten}\n", NULL), KN_ESCENARIO);
}

/* Hostile input never crashes: it loads or fails with a message naming the origin. */
static void expect_handled(const char *text, size_t len)
{
    kn_scenario sc;
    kn_error err = { 0 };
    kn_status rc = kn_scenario_load_string(&sc, text, len, "fuzz.yaml", &err);
    assert_true(rc == KN_OK || rc == KN_ESCENARIO);
    if (rc != KN_OK) {
        assert_int_equal(err.code, rc);
        assert_memory_equal(err.msg, "fuzz.yaml:", 10);
    }
}

static void test_hostile_input(void **state)
{
    (void)state;
    enum { DEEP = 100000 };
    char *buf = malloc(4 * DEEP + 64);
    assert_non_null(buf);
    if (!buf)
        abort(); /* tells the compiler too (a sanitizer build otherwise warns on memset) */

    kn_scenario sc;
    kn_error err = { 0 };
    kn_scenario_defaults(&sc);
    memset(buf, '[', DEEP); /* deeply nested sequences: refused early, and fast */
    expect_handled(buf, DEEP);
    assert_int_equal(kn_scenario_load_string(&sc, buf, DEEP, "d.yaml", &err), KN_ESCENARIO);
    assert_string_equal(err.msg, "d.yaml:1:33: nested deeper than 32 levels");
    size_t n = 0; /* deeply nested flow mappings under a real key */
    n += (size_t)sprintf(buf, "run: ");
    for (int i = 0; i < DEEP / 4; i++)
        n += (size_t)sprintf(buf + n, "{a: ");
    expect_handled(buf, n);
    assert_int_equal(kn_scenario_load_string(&sc, buf, n, "d.yaml", &err), KN_ESCENARIO);
    assert_non_null(strstr(err.msg, "nested deeper than 32 levels"));
    n = 0; /* deeply nested block mappings */
    for (int i = 0; i < 500; i++)
        n += (size_t)sprintf(buf + n, "%*sa:\n", i, "");
    expect_handled(buf, n);
    assert_int_equal(kn_scenario_load_string(&sc, buf, n, "d.yaml", &err), KN_ESCENARIO);
    assert_non_null(strstr(err.msg, "nested deeper than 32 levels"));
    set_fails(&sc, "run=[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "nested deeper than 32");

    /* binary garbage with NUL bytes, and an UTF-16 byte order mark */
    for (int i = 0; i < 4096; i++)
        buf[i] = (char)((i * 2654435761u) >> 13);
    expect_handled(buf, 4096);
    expect_handled("\xff\xfe" "a\0:\0 \0" "1\0", 10);
    expect_handled("\0\0\0\0", 4);

    /* huge numbers and long keys */
    static const char head[] = "arrivals: {per_hour: ";
    n = sizeof head - 1;
    memcpy(buf, head, n);
    memset(buf + n, '9', 5000);
    n += 5000;
    memcpy(buf + n, "}\n", 2);
    n += 2;
    expect_handled(buf, n);
    memset(buf, 'k', 3000);
    memcpy(buf + 3000, ": 1\n", 4);
    expect_handled(buf, 3004);

    /* aliases: a self-referencing node, and a billion laughs */
    expect_handled("run: &a {days: *a}\n", 19);
    expect_handled("arrivals: &a {profile: [*a]}\n", 29);
    const char *laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n"
                         "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                         "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                         "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                         "arrivals: {profile: *d}\n";
    expect_handled(laughs, strlen(laughs));

    /* token soup */
    static const char *const tok[] = {
        "{", "}", "[", "]", ":", ": ", ",", " ", "\n", "- ", "run", "days", "arrivals",
        "per_hour", "profile", "staff", "employees", "1", "-2.5e3", "&x ", "*x", "'", "\"",
        "# c", "? ", "\t", "\xff", "~", "!!str ", "---\n", "...\n", "%YAML 1.1\n", "|\n  x",
        "patience", "service", "distribution", "lognormal", "name", "\xc3\xa9", "\\",
    };
    uint64_t x = 88172645463325252u;
    for (int iter = 0; iter < 3000; iter++) {
        n = 0;
        int ntok = 1 + (int)(x % 40);
        for (int t = 0; t < ntok; t++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            const char *s = tok[x % (sizeof tok / sizeof tok[0])];
            size_t l = strlen(s);
            memcpy(buf + n, s, l);
            n += l;
        }
        expect_handled(buf, n);
    }
    free(buf);
}

/* ---- overrides ------------------------------------------------------------------- */

static void test_set(void **state)
{
    (void)state;
    kn_scenario sc;
    load_ok(&sc, "scenarios/call-centre.yaml");
    set_ok(&sc, "staff.employees=12");
    assert_int_equal(sc.staff.employees, 12);
    set_ok(&sc, "run.days=10.5");
    assert_float_equal(sc.run.days, 10.5, 0.0);
    set_ok(&sc, " run.seed = 18446744073709551615");
    assert_true(sc.run.seed == UINT64_MAX);
    set_ok(&sc, "name=my run");
    assert_string_equal(sc.name, "my run");
    set_ok(&sc, "name=\"quoted: run\"");
    assert_string_equal(sc.name, "quoted: run");
    set_ok(&sc, "name=2024");
    assert_string_equal(sc.name, "2024");
    set_ok(&sc, "service.distribution=lognormal");
    assert_int_equal(sc.service.kind, KN_DIST_LOGNORMAL);
    set_ok(&sc, "service.cv=0.25");
    assert_float_equal(sc.service.cv, 0.25, 0.0);
    set_ok(&sc, "run={days: 5, warmup_days: 0.5}"); /* a whole block */
    assert_float_equal(sc.run.days, 5.0, 0.0);
    assert_float_equal(sc.run.warmup_days, 0.5, 0.0);
    assert_int_equal(sc.run.replications, 20); /* the rest of the block stays */
    set_ok(&sc, "staff.employees=13");
    set_ok(&sc, "staff.employees=14"); /* later overrides win */
    assert_int_equal(sc.staff.employees, 14);
    kn_error err = { 0 };
    assert_int_equal(kn_scenario_check(&sc, &err), KN_OK);
}

static void test_set_arrivals_switch(void **state)
{
    (void)state;
    kn_scenario sc;
    kn_error err = { 0 };
    load_ok(&sc, "scenarios/call-centre.yaml");
    set_ok(&sc, "arrivals.profile=[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24]");
    assert_int_equal(sc.arrivals.use_profile, 1);
    assert_float_equal(sc.arrivals.per_hour, 0.0, 0.0); /* cleared */
    for (int h = 0; h < KN_HOURS_PER_DAY; h++)
        assert_float_equal(sc.arrivals.profile[h], h + 1, 0.0);
    assert_int_equal(kn_scenario_check(&sc, &err), KN_OK);
    set_ok(&sc, "arrivals.per_hour=30");
    assert_int_equal(sc.arrivals.use_profile, 0);
    assert_float_equal(sc.arrivals.per_hour, 30.0, 0.0);
    for (int h = 0; h < KN_HOURS_PER_DAY; h++)
        assert_float_equal(sc.arrivals.profile[h], 0.0, 0.0); /* cleared */
    assert_int_equal(kn_scenario_check(&sc, &err), KN_OK);
    set_fails(&sc, "arrivals={per_hour: 5, profile: [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,"
                   "18,19,20,21,22,23,24]}",
              "key 'arrivals.profile': give either arrivals.per_hour or arrivals.profile, not both");
    set_fails(&sc, "arrivals.profile=[1, 2, 3]", "key 'arrivals.profile': expected 24 values, got 3");
}

static void test_set_patience(void **state)
{
    (void)state;
    kn_scenario sc;
    kn_error err = { 0 };
    load_ok(&sc, "tests/data/good/lognormal.yaml");
    assert_int_equal(sc.patience.kind, KN_DIST_NONE);
    set_ok(&sc, "patience.mean_minutes=3");
    assert_int_equal(sc.patience.kind, KN_DIST_EXPONENTIAL); /* switched on */
    assert_float_equal(sc.patience.mean_minutes, 3.0, 0.0);
    assert_int_equal(kn_scenario_check(&sc, &err), KN_OK);
    set_ok(&sc, "patience.distribution=deterministic");
    set_ok(&sc, "patience.mean_minutes=4"); /* on already: the distribution stays */
    assert_int_equal(sc.patience.kind, KN_DIST_DETERMINISTIC);

    load_ok(&sc, "tests/data/good/lognormal.yaml");
    set_ok(&sc, "patience.cv=0.5"); /* on, but its mean is still missing */
    assert_int_equal(sc.patience.kind, KN_DIST_EXPONENTIAL);
    assert_int_equal(kn_scenario_check(&sc, &err), KN_ESCENARIO);
    assert_string_equal(err.msg, "key 'patience.mean_minutes': required, not given");
    set_ok(&sc, "patience={distribution: lognormal, mean_minutes: 2}");
    assert_int_equal(sc.patience.kind, KN_DIST_LOGNORMAL);
    assert_int_equal(kn_scenario_check(&sc, &err), KN_OK);
}

static void test_set_cross_check(void **state)
{
    (void)state;
    kn_scenario sc;
    kn_error err = { 0 };
    load_ok(&sc, "scenarios/call-centre.yaml");
    set_ok(&sc, "run.warmup_days=40"); /* in range by itself ... */
    assert_int_equal(kn_scenario_check(&sc, &err), KN_ESCENARIO); /* ... but not with days */
    assert_string_equal(err.msg, "key 'run.warmup_days': must be < run.days (30), got 40");
    set_ok(&sc, "run.days=41");
    assert_int_equal(kn_scenario_check(&sc, &err), KN_OK);
    set_ok(&sc, "service={distribution: lognormal, cv: 0}");
    assert_int_equal(kn_scenario_check(&sc, &err), KN_ESCENARIO);
    assert_string_equal(err.msg, "key 'service.cv': must be > 0 for a lognormal distribution, got 0");
}

static void test_set_errors(void **state)
{
    (void)state;
    kn_scenario sc;
    load_ok(&sc, "scenarios/call-centre.yaml");
    set_fails(&sc, "arrivals.per_hr=600", "key 'arrivals.per_hr': unknown key (did you mean "
                                          "'arrivals.per_hour'?)");
    set_fails(&sc, "employees=3", "key 'employees': unknown key (did you mean 'staff.employees'?)");
    set_fails(&sc, "nothing.like.it=3", "key 'nothing.like.it': unknown key");
    set_fails(&sc, "staff.employees", "expected path.to.key=value");
    set_fails(&sc, "=3", "expected path.to.key=value (no key before '=')");
    set_fails(&sc, "staff.employees=ten", "key 'staff.employees': expected an integer, got 'ten'");
    set_fails(&sc, "staff.employees=", "key 'staff.employees': missing value");
    set_fails(&sc, "staff.employees=2.5", "key 'staff.employees': expected an integer, got '2.5'");
    set_fails(&sc, "arrivals.per_hour=-5", "key 'arrivals.per_hour': must be > 0, got -5");
    set_fails(&sc, "service.distribution=gamma", "key 'service.distribution': must be one of "
                                                 "exponential, lognormal, deterministic; got 'gamma'");
    set_fails(&sc, "run.seed=-1", "key 'run.seed': must be >= 0, got -1");
    set_fails(&sc, "run.days={a: 1}", "key 'run.days': expected a number, got a mapping");
    set_fails(&sc, "run=30", "key 'run': expected a mapping of keys");
    set_fails(&sc, "run={days: 5, seed: x}", "key 'run.seed': expected a non-negative integer, "
                                             "got 'x'"); /* and days is not half-applied */
    set_fails(&sc, "run={days: 5, days: 6}", "key 'run.days': duplicate key");
    set_fails(&sc, "run={run.days: 5}", "key 'run.run.days': a key must not contain '.'");
    set_fails(&sc, "name=[a, b", "key 'name': cannot parse the value: ");
    kn_error err = { 0 };
    assert_int_equal(kn_scenario_set(&sc, "name=a\n---\nb", &err), KN_ESCENARIO);
    assert_string_equal(err.msg, /* control characters are shown as '?' */
                        "--set name=a?---?b: key 'name': only one YAML document is allowed");
    set_fails(&sc, "name=\"\"", "key 'name': must not be empty");
    char longname[400];
    snprintf(longname, sizeof longname, "name=%0300d", 1);
    assert_int_equal(kn_scenario_set(&sc, longname, &err), KN_ESCENARIO);
    assert_memory_equal(err.msg, "--set name=000", 14); /* a long assignment is shortened */
    assert_non_null(strstr(err.msg, "...: key 'name': must be at most 255 bytes long, got 300"));
    assert_int_equal(kn_scenario_set(&sc, NULL, &err), KN_EINVAL);
    assert_int_equal(kn_scenario_set(NULL, "run.days=3", &err), KN_EINVAL);
    assert_int_equal(kn_scenario_set(&sc, "run.days=x", NULL), KN_ESCENARIO);
}

/* ---- writing --------------------------------------------------------------------- */

static void test_round_trip(void **state)
{
    (void)state;
    kn_scenario sc, back;
    load_ok(&sc, "tests/data/good/profile.yaml");
    /* awkward doubles: shortest forms, 17 digits, tiny, huge */
    sc.arrivals.profile[0] = 0.1;
    sc.arrivals.profile[1] = 1.0 / 3.0;
    sc.arrivals.profile[2] = 1e-300;
    sc.arrivals.profile[3] = 4.9406564584124654e-324; /* smallest subnormal */
    sc.arrivals.profile[4] = 1e7;
    sc.arrivals.profile[5] = 2.0 / 3.0 * 1e6;
    sc.run.days = 10.0 / 7.0;
    sc.run.warmup_days = 0.1 + 0.2;
    sc.run.seed = UINT64_MAX;
    sc.service.kind = KN_DIST_LOGNORMAL;
    sc.service.mean_minutes = 4.0 * atan(1.0);
    sc.service.cv = 1e-9;
    snprintf(sc.name, sizeof sc.name, "tab\there \"quotes\" \\ back\\slash, é: # not a comment");
    kn_error err = { 0 };
    assert_int_equal(kn_scenario_check(&sc, &err), KN_OK);
    round_trip(&sc, &back);
    assert_same_scenario(&sc, &back);
    assert_string_equal(back.file, "written.yaml");

    /* a constant rate, patience off */
    load_ok(&sc, "tests/data/good/lognormal.yaml");
    sc.arrivals.per_hour = 123.456789012345678;
    round_trip(&sc, &back);
    assert_same_scenario(&sc, &back);
    assert_int_equal(back.patience.kind, KN_DIST_NONE);

    /* after overrides that switch arrivals and patience */
    load_ok(&sc, "scenarios/call-centre.yaml");
    set_ok(&sc, "arrivals.profile=[0,0,0,0,0,0,0,0,5,5,5,5,5,5,5,5,5,5,0,0,0,0,0,0]");
    set_ok(&sc, "patience.distribution=deterministic");
    round_trip(&sc, &back);
    assert_same_scenario(&sc, &back);
}

static void test_write_format(void **state)
{
    (void)state;
    kn_scenario sc;
    kn_error err = { 0 };
    char text[8192];
    load_ok(&sc, "tests/data/good/lognormal.yaml");
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(kn_scenario_write_yaml(&sc, f, &err), KN_OK);
    rewind(f);
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    /* every key of the table that is on appears, in table order */
    const char *at = text;
    static const char *const keys[] = { "\nname: \"lognormal\"", "\nrun:\n", "\n  days: 30",
                                        "\n  warmup_days: 2", "\n  replications: 20",
                                        "\n  seed: 1",
                                        "\narrivals:\n  per_hour: 45.5", "\nservice:\n",
                                        "\n  distribution: lognormal", "\n  mean_minutes: 7.25",
                                        "\n  cv: 0.35", "\n# patience: omitted",
                                        "\nstaff:\n  employees: 6" };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const char *hit = strstr(at, keys[i]);
        if (!hit)
            print_error("missing or out of order: \"%s\" in\n%s", keys[i], text);
        assert_non_null(hit);
        at = hit;
    }
    assert_null(strstr(text, "profile:"));
    assert_null(strstr(text, "\npatience:"));

    /* a failing stream is reported */
    f = fopen("/dev/null", "r");
    assert_non_null(f);
    assert_int_equal(kn_scenario_write_yaml(&sc, f, &err), KN_EIO);
    fclose(f);
    assert_int_equal(kn_scenario_write_yaml(NULL, stdout, &err), KN_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_param_table),
        cmocka_unit_test(test_get_number),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_check_required),
        cmocka_unit_test(test_check_cross),
        cmocka_unit_test(test_load_call_centre),
        cmocka_unit_test(test_load_profile),
        cmocka_unit_test(test_load_lognormal),
        cmocka_unit_test(test_load_flow_style),
        cmocka_unit_test(test_all_good_files),
        cmocka_unit_test(test_load_string_forms),
        cmocka_unit_test(test_default_name),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_bad_dir_covered),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_messages_exact),
        cmocka_unit_test(test_hostile_input),
        cmocka_unit_test(test_set),
        cmocka_unit_test(test_set_arrivals_switch),
        cmocka_unit_test(test_set_patience),
        cmocka_unit_test(test_set_cross_check),
        cmocka_unit_test(test_set_errors),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_write_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
