/* test_robust.c - unit tests of robust study and uncertainty files (sim/files/robust_file.c,
 * uncertainty.c; docs/robust.md).
 *
 * The small studies in tests/data/robust/ load with the study's overrides, the status
 * quo's levers before the switch, the design's number of worlds; magnitudes map from the
 * unit interval to their ranges (uniform, log-uniform, integer); a policy in a world has
 * the world's values (a lever's cost in the status quo's levers too) and a name; command
 * line overrides apply. Every tests/data/robust/bad-*.yaml study file, and a study naming
 * each tests/data/robust/unc-*.yaml uncertainty file, fails with KN_ESCENARIO and one line
 * "FILE:LINE:COL: key 'x': reason" naming the file at fault.
 */
#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE 700 /* realpath */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "robust.h"
#include "test_data.h"

static kn_robust_def *load_ok(const char *rel, const kn_robust_opts *o)
{
    char path[KN_PATH_MAX];
    data_path(path, sizeof path, rel);
    kn_robust_def *d = NULL;
    kn_error err = {0};
    kn_status rc = kn_robust_load(&d, path, o, &err);
    if (rc != KN_OK)
        print_error("%s: %s\n", path, err.msg);
    assert_int_equal(rc, KN_OK);
    assert_non_null(d);
    return d;
}

static void test_small(void **state)
{
    (void)state;
    kn_robust_def *d = load_ok("tests/data/robust/small.yaml", NULL);
    assert_string_equal(d->name, "small");
    assert_int_equal(d->n_policies, 3);
    assert_string_equal(d->policy[0].name, "organisation");
    assert_string_equal(d->policy[1].name, "customer-always-right");
    assert_int_equal(d->status_quo, 0);
    assert_true(d->switch_after == 7.0);
    assert_int_equal(d->design, KN_RDESIGN_LHS);
    assert_int_equal(d->size, 8);
    assert_int_equal(d->n_worlds, 8);
    assert_int_equal(d->replications, 2);
    assert_true(d->seed == 3);
    assert_int_equal(d->n_keys, 3);
    assert_string_equal(d->keys[1].key, "customers.word_of_mouth");
    assert_int_equal(d->keys[1].spread, KN_SPREAD_LOG_UNIFORM);
    assert_true(d->keys[1].low == 1.0 && d->keys[1].high == 8.0);
    assert_string_equal(d->keys[2].source, "test");
    for (size_t p = 0; p < 3; p++) {
        const kn_scenario *sc = &d->policy[p];
        assert_true(sc->run.days == 28.0 && sc->run.warmup_days == 7.0); /* set: */
        assert_true(sc->start.days == 7.0);
        assert_int_equal(sc->run.replications, 2);
        assert_true(sc->run.seed == 3);
        /* every policy starts from the status quo's levers */
        assert_true(sc->start.policy.side_with_customer == d->policy[0].policy.side_with_customer);
    }
    assert_true(d->policy[1].policy.side_with_customer == 1.0);
    assert_int_equal(d->n_pairs, 0);
    kn_robust_free(d);
}

static void test_designs(void **state)
{
    (void)state;
    kn_robust_def *d = load_ok("tests/data/robust/small-morris.yaml", NULL);
    assert_int_equal(d->design, KN_RDESIGN_MORRIS);
    assert_int_equal(d->size, 4);
    assert_int_equal(d->levels, 4);
    assert_int_equal(d->n_worlds, 4 * (3 + 1));
    kn_robust_free(d);
    d = load_ok("tests/data/robust/small-saltelli.yaml", NULL);
    assert_int_equal(d->design, KN_RDESIGN_SALTELLI);
    assert_int_equal(d->n_worlds, 4 * (3 + 2));
    kn_robust_free(d);
}

static void test_overrides(void **state)
{
    (void)state;
    const char *sets[] = {"run.days=21", "customers.mix.exploitative=0.02"};
    kn_robust_opts o = {1, 99, 5, 12, sets, 2};
    kn_robust_def *d = load_ok("tests/data/robust/small.yaml", &o);
    assert_true(d->seed == 99);
    assert_int_equal(d->replications, 5);
    assert_int_equal(d->n_worlds, 12);
    for (size_t p = 0; p < d->n_policies; p++) {
        assert_true(d->policy[p].run.days == 21.0);
        assert_true(d->policy[p].customers.mix_exploitative == 0.02);
        assert_true(d->policy[p].run.seed == 99);
    }
    kn_robust_free(d);
}

static void test_values(void **state)
{
    (void)state;
    kn_uncertain u = {.low = 2, .high = 8, .spread = KN_SPREAD_UNIFORM};
    assert_true(kn_uncertain_value(&u, 0) == 2 && kn_uncertain_value(&u, 1) == 8);
    assert_true(fabs(kn_uncertain_value(&u, 0.5) - 5) < 1e-12);
    u.spread = KN_SPREAD_LOG_UNIFORM;
    assert_true(fabs(kn_uncertain_value(&u, 0.5) - 4) < 1e-12); /* the geometric mean */
    assert_true(kn_uncertain_value(&u, 0) == 2 && kn_uncertain_value(&u, 1) == 8);
    kn_uncertain i = {.low = 2, .high = 5, .integer = 1};
    /* four integers, each a quarter of the unit interval; 1 is the top one */
    assert_true(kn_uncertain_value(&i, 0.0) == 2 && kn_uncertain_value(&i, 0.2499) == 2);
    assert_true(kn_uncertain_value(&i, 0.25) == 3 && kn_uncertain_value(&i, 0.74) == 4);
    assert_true(kn_uncertain_value(&i, 0.99) == 5 && kn_uncertain_value(&i, 1.0) == 5);
}

/* A scratch directory for study files written by the tests. */
static char tmp_dir[64];

static int setup_tmp(void **state)
{
    (void)state;
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/koning-test-robust-XXXXXX");
    return mkdtemp(tmp_dir) ? 0 : -1;
}

static int teardown_tmp(void **state)
{
    (void)state;
    DIR *d = opendir(tmp_dir);
    struct dirent *e;
    char p[KN_PATH_MAX];
    while (d && (e = readdir(d)) != NULL)
        if (e->d_name[0] != '.') {
            snprintf(p, sizeof p, "%s/%s", tmp_dir, e->d_name);
            unlink(p);
        }
    if (d)
        closedir(d);
    rmdir(tmp_dir);
    return 0;
}

/* A study of organisation and employees-first over an uncertainty file, written to tmp. */
static void write_study(char *path, size_t cap, const char *unc, const char *extra)
{
    char rel[KN_PATH_MAX], org[KN_PATH_MAX], ef[KN_PATH_MAX];
    data_path(rel, sizeof rel, "scenarios/organisation.yaml");
    assert_non_null(realpath(rel, org));
    data_path(rel, sizeof rel, "scenarios/employees-first.yaml");
    assert_non_null(realpath(rel, ef));
    snprintf(path, cap, "%s/study.yaml", tmp_dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "policies: [%s, %s]\nstatus_quo: organisation\nuncertainty: %s\n"
               "design: {latin_hypercube: 4}\n%s", org, ef, unc, extra ? extra : "");
    fclose(f);
}

static void test_world_scenario(void **state)
{
    (void)state;
    char unc[KN_PATH_MAX], path[KN_PATH_MAX];
    snprintf(unc, sizeof unc, "%s/u.yaml", tmp_dir);
    FILE *f = fopen(unc, "w");
    assert_non_null(f);
    fputs("parameters:\n"
          "  customers.mix.rude: {range: [0.05, 0.2], source: \"t\"}\n"
          "  customers.repeat_max: {range: [2, 5], source: \"t\"}\n"
          "  policy.investigation_cost: {range: [5, 30], distribution: log_uniform, source: \"t\"}\n",
          f);
    fclose(f);
    write_study(path, sizeof path, unc, NULL);
    kn_robust_def *d = NULL;
    kn_error err = {0};
    kn_status rc = kn_robust_load(&d, path, NULL, &err);
    if (rc != KN_OK)
        print_error("%s\n", err.msg);
    assert_int_equal(rc, KN_OK);
    assert_int_equal(d->n_keys, 3);
    assert_true(d->keys[1].integer);
    assert_non_null(d->keys[2].start_param);
    double v[3] = {0.123456789, 4, 17.25};
    kn_scenario sc;
    assert_int_equal(kn_robust_world_scenario(d, 1, 7, v, &sc, &err), KN_OK);
    assert_string_equal(sc.name, "employees-first [world 7]");
    assert_true(sc.customers.mix_rude == 0.123456789);
    assert_int_equal(sc.customers.repeat_max, 4);
    assert_true(sc.policy.investigation_cost == 17.25);
    assert_true(sc.start.policy.investigation_cost == 17.25); /* the run-up sees the world too */
    assert_true(sc.policy.backing == d->policy[1].policy.backing);
    /* a combination the rules refuse names the world and its values */
    double bad[3] = {0.99, 4, 17.25};
    assert_int_equal(kn_robust_world_scenario(d, 0, 3, bad, &sc, &err), KN_ESCENARIO);
    assert_non_null(strstr(err.msg, "world 3"));
    assert_non_null(strstr(err.msg, "customers.mix.rude=0.99"));
    kn_robust_free(d);
}

static void test_status_quo_joins(void **state)
{
    (void)state;
    char unc[KN_PATH_MAX], path[KN_PATH_MAX], sq[KN_PATH_MAX], ef[KN_PATH_MAX], car[KN_PATH_MAX];
    data_path(unc, sizeof unc, "tests/data/robust/small-uncertainty.yaml");
    data_path(sq, sizeof sq, "scenarios/organisation.yaml");
    data_path(ef, sizeof ef, "scenarios/employees-first.yaml");
    data_path(car, sizeof car, "scenarios/customer-always-right.yaml");
    snprintf(path, sizeof path, "%s/sq.yaml", tmp_dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "policies: [%s, %s]\nstatus_quo: %s\nswitch_after: 30\nuncertainty: %s\n"
               "design: {latin_hypercube: 4}\npairs: [[employees-first, customer-always-right]]\n",
            car, ef, sq, unc);
    fclose(f);
    kn_robust_def *d = NULL;
    kn_error err = {0};
    assert_int_equal(kn_robust_load(&d, path, NULL, &err), KN_OK);
    assert_int_equal(d->n_policies, 3);
    assert_string_equal(d->policy[0].name, "organisation"); /* joins first, as compare --from */
    assert_int_equal(d->status_quo, 0);
    assert_true(d->policy[2].start.days == 30.0);
    assert_int_equal(d->n_pairs, 1);
    assert_int_equal(d->pairs[0][0], 2);
    assert_int_equal(d->pairs[0][1], 1);
    kn_robust_free(d);
}

typedef struct bad_case {
    const char *file;   /* tests/data/robust/... */
    size_t line, col;   /* 0: no position */
    const char *key;
    const char *reason;
} bad_case;

static const bad_case bad_studies[] = {
    {"bad-missing-uncertainty.yaml", 2, 14, "uncertainty", "no-such.yaml: cannot open: No such file or directory"},
    {"bad-zero-worlds.yaml", 3, 27, "design.latin_hypercube", "must be >= 2, got 0"},
    {"bad-design.yaml", 3, 10, "design", "unknown design 'grid'"},
    {"bad-one-policy.yaml", 1, 11, "policies", "expected a list of at least two scenario files"},
    {"bad-unknown-top.yaml", 1, 1, "policy", "unknown key (the top-level keys are name, policies"},
    {"bad-pairs.yaml", 4, 27, "pairs", "no policy named 'nobody' (the policies: organisation, employees-first)"},
    {"bad-switch-no-status-quo.yaml", 2, 15, "switch_after", "goes with status_quo"},
    {"bad-replications.yaml", 4, 15, "replications", "must be >= 2, got 1"},
    {"bad-no-design.yaml", 0, 0, "design", "required, not given"},
    {"bad-morris-levels.yaml", 3, 44, "design.morris.levels", "must be even"},
    {"bad-set-seed.yaml", 4, 7, "set.run.seed", "set by the study itself"},
    {"bad-queue-policy.yaml", 1, 50, "policies", "is a queue-only scenario (customers.base 0)"},
};

static const bad_case bad_uncertainty[] = {
    {"unc-unknown-key.yaml", 2, 3, "parameters.customers.word_of_mouht",
     "unknown scenario key (did you mean 'customers.word_of_mouth'?)"},
    {"unc-low-above-high.yaml", 2, 37, "parameters.customers.mix.rude.range", "low (0.5) must be below high (0.2)"},
    {"unc-not-number-key.yaml", 2, 3, "parameters.service.distribution", "not a number (a distribution key)"},
    {"unc-not-number-value.yaml", 2, 32, "parameters.customers.mix.rude.range", "expected a number, got 'low'"},
    {"unc-no-source.yaml", 2, 23, "parameters.customers.mix.rude.source", "required, not given"},
    {"unc-log-zero.yaml", 2, 37, "parameters.customers.word_of_mouth.distribution", "log_uniform needs low > 0, got 0"},
    {"unc-lever.yaml", 2, 3, "parameters.policy.investigate",
     "the policies differ in it ('organisation' 0.2, 'employees-first' 0.3)"},
    {"unc-out-of-range.yaml", 2, 37, "parameters.customers.mix.rude.range", "must be <= 1, got 1.5"},
    {"unc-run-key.yaml", 2, 3, "parameters.run.days", "cannot be uncertain"},
    {"unc-duplicate.yaml", 3, 3, "parameters.customers.mix.rude", "duplicate key (first at line 2)"},
    {"unc-empty.yaml", 1, 13, "parameters", "got an empty mapping"},
    {"unc-distribution.yaml", 2, 58, "parameters.customers.mix.rude.distribution",
     "must be uniform or log_uniform, got 'normal'"},
    {"unc-range-one.yaml", 2, 31, "parameters.customers.mix.rude.range", "expected [low, high], got a list of 1"},
};

#define N_STUDIES (sizeof bad_studies / sizeof bad_studies[0])
#define N_UNC (sizeof bad_uncertainty / sizeof bad_uncertainty[0])

/* study: the study file to load; at_fault: the file the message must name. */
static void expect_bad(const char *study, const char *at_fault, const bad_case *b)
{
    kn_robust_def *d = (kn_robust_def *)&d;
    kn_error err = {0};
    kn_status rc = kn_robust_load(&d, study, NULL, &err);
    assert_null(d);
    if (rc != KN_ESCENARIO)
        print_error("%s: status %d, message \"%s\"\n", b->file, rc, err.msg);
    assert_int_equal(rc, KN_ESCENARIO);
    char want[KN_PATH_MAX + 300];
    size_t used = (size_t)snprintf(want, sizeof want, "%s:", at_fault);
    if (b->line)
        used += (size_t)snprintf(want + used, sizeof want - used, "%zu:%zu:", b->line, b->col);
    snprintf(want + used, sizeof want - used, " key '%s': ", b->key);
    int ok = !strncmp(err.msg, want, strlen(want)) && strstr(err.msg, b->reason) && !strchr(err.msg, '\n');
    if (!ok)
        print_error("%s:\n  got  \"%s\"\n  want \"%s...%s...\"\n", b->file, err.msg, want, b->reason);
    assert_true(ok);
}

static void test_bad_studies(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_STUDIES; i++) {
        char rel[256], path[KN_PATH_MAX];
        snprintf(rel, sizeof rel, "tests/data/robust/%s", bad_studies[i].file);
        data_path(path, sizeof path, rel);
        expect_bad(path, path, &bad_studies[i]);
    }
}

static void test_bad_uncertainty(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_UNC; i++) {
        char rel[256], unc[KN_PATH_MAX], study[KN_PATH_MAX];
        snprintf(rel, sizeof rel, "tests/data/robust/%s", bad_uncertainty[i].file);
        data_path(unc, sizeof unc, rel);
        write_study(study, sizeof study, unc, NULL);
        expect_bad(study, unc, &bad_uncertainty[i]);
    }
}

/* Every bad-*.yaml and unc-*.yaml on disk has a case above. */
static void test_bad_files_listed(void **state)
{
    (void)state;
    char dir[KN_PATH_MAX];
    data_path(dir, sizeof dir, "tests/data/robust");
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    size_t seen = 0;
    while ((e = readdir(d)) != NULL) {
        int study = !strncmp(e->d_name, "bad-", 4), unc = !strncmp(e->d_name, "unc-", 4);
        if (!study && !unc)
            continue;
        const bad_case *list = study ? bad_studies : bad_uncertainty;
        size_t n = study ? N_STUDIES : N_UNC, i;
        for (i = 0; i < n && strcmp(list[i].file, e->d_name); i++)
            ;
        if (i == n)
            print_error("%s has no expected message in test_robust.c\n", e->d_name);
        assert_true(i < n);
        seen++;
    }
    closedir(d);
    assert_int_equal(seen, N_STUDIES + N_UNC);
}

/* The shipped files load: every range of scenarios/uncertainty.yaml fits every preset;
 * the tutorial's small study too. */
static void test_shipped(void **state)
{
    (void)state;
    kn_robust_def *d = load_ok("scenarios/robust/headline.yaml", NULL);
    assert_int_equal(d->n_policies, 7);
    assert_int_equal(d->n_worlds, 128);
    assert_true(d->n_keys >= 90);
    assert_int_equal(d->n_pairs, 7);
    for (size_t k = 0; k < d->n_keys; k++)
        assert_true(d->keys[k].source && strlen(d->keys[k].source) > 5);
    kn_robust_free(d);
    /* the tutorial's study (docs/tutorial.md section 6): 3 policies, Morris 4 x (4 + 1) */
    d = load_ok("scenarios/robust/tutorial.yaml", NULL);
    assert_int_equal(d->n_policies, 3);
    assert_int_equal(d->design, KN_RDESIGN_MORRIS);
    assert_int_equal(d->n_keys, 4);
    assert_int_equal(d->n_worlds, 20);
    assert_true(d->switch_after == 90.0);
    kn_robust_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small),
        cmocka_unit_test(test_designs),
        cmocka_unit_test(test_overrides),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_world_scenario),
        cmocka_unit_test(test_status_quo_joins),
        cmocka_unit_test(test_bad_studies),
        cmocka_unit_test(test_bad_uncertainty),
        cmocka_unit_test(test_bad_files_listed),
        cmocka_unit_test(test_shipped),
    };
    return cmocka_run_group_tests(tests, setup_tmp, teardown_tmp);
}
