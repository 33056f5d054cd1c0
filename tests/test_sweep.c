/* test_sweep.c - unit tests of sweep files (sim/files/sweep*.c, docs/sweeps.md).
 *
 * Good sweeps in tests/data/sweeps/ expand to the right points in the documented order
 * (grid: first key slowest), ranges give the right values (0.1 steps end exactly at
 * `to`), a Latin hypercube puts one point in each stratum of each key, is reproducible
 * for a seed and changes with the seed, integer keys get integers; the scenario of a
 * point carries its values, the sweep's replications and seed and a descriptive name;
 * the fingerprint is stable and changes with anything that changes the runs. Every
 * tests/data/sweeps/bad-*.yaml fails with KN_ESCENARIO and a message naming the file,
 * the line and the key. Data files are found under $KONING_SOURCE_DIR (default ".").
 */
#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE 700 /* realpath */

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
#include <unistd.h>

#include "sweep.h"
#include "test_data.h"

/* ---- helpers --------------------------------------------------------------------- */

static kn_sweep *load_path_ok(const char *path, const kn_sweep_opts *opts)
{
    kn_sweep *sw = NULL;
    kn_error err = { 0 };
    kn_status rc = kn_sweep_load_opts(&sw, path, opts, &err);
    if (rc != KN_OK)
        print_error("loading %s: %s\n", path, err.msg);
    assert_int_equal(rc, KN_OK);
    assert_non_null(sw);
    return sw;
}

static kn_sweep *load_ok(const char *rel)
{
    char path[KN_PATH_MAX];
    data_path(path, sizeof path, rel);
    return load_path_ok(path, NULL);
}

/* A scratch directory for sweep files written by the tests; removed by rm_tmp. */
static char tmp_dir[64];

static int setup_tmp(void **state)
{
    (void)state;
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/koning-test-sweep-XXXXXX");
    return mkdtemp(tmp_dir) ? 0 : -1;
}

static int teardown_tmp(void **state)
{
    (void)state;
    DIR *d = opendir(tmp_dir);
    if (d) {
        struct dirent *e;
        char p[sizeof tmp_dir + 260];
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            snprintf(p, sizeof p, "%s/%s", tmp_dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(tmp_dir);
    return 0;
}

/* Write a sweep file `name` in the scratch directory whose base is the absolute path of
 * tests/data/sweeps/base.yaml, followed by `body`; its path goes to out. */
static void write_sweep(char *out, size_t cap, const char *name, const char *body)
{
    char rel[KN_PATH_MAX], abs[PATH_MAX];
    data_path(rel, sizeof rel, "tests/data/sweeps/base.yaml");
    assert_non_null(realpath(rel, abs));
    int n = snprintf(out, cap, "%s/%s", tmp_dir, name);
    assert_true(n > 0 && (size_t)n < cap);
    FILE *f = fopen(out, "w");
    assert_non_null(f);
    fprintf(f, "base: %s\n%s", abs, body);
    assert_int_equal(fclose(f), 0);
}

static kn_sweep *load_text_ok(const char *body)
{
    char path[KN_PATH_MAX];
    write_sweep(path, sizeof path, "t.yaml", body);
    return load_path_ok(path, NULL);
}

static const char *value(const kn_sweep *sw, size_t p, size_t k)
{
    static char buf[4096];
    const char *v = kn_sweep_value(sw, p, k, buf, sizeof buf);
    assert_non_null(v);
    return v;
}

static double number(const kn_sweep *sw, size_t p, size_t k)
{
    double v = NAN;
    assert_int_equal(kn_sweep_value_number(sw, p, k, &v), 1);
    return v;
}

static kn_scenario point(const kn_sweep *sw, size_t p)
{
    kn_scenario sc;
    kn_error err = { 0 };
    kn_status rc = kn_sweep_scenario(sw, p, &sc, &err);
    if (rc != KN_OK)
        print_error("point %zu: %s\n", p, err.msg);
    assert_int_equal(rc, KN_OK);
    assert_int_equal(kn_scenario_check(&sc, &err), KN_OK);
    return sc;
}

/* ---- grids ----------------------------------------------------------------------- */

static void test_grid(void **state)
{
    (void)state;
    kn_sweep *sw = load_ok("tests/data/sweeps/good-grid.yaml");
    assert_int_equal(kn_sweep_design_of(sw), KN_DESIGN_GRID);
    assert_int_equal(kn_sweep_points(sw), 3 * 3 * 2);
    assert_int_equal(kn_sweep_replications(sw), 4);
    assert_true(kn_sweep_seed(sw) == 7);
    assert_string_equal(kn_sweep_name(sw), "staffing");
    assert_int_equal(kn_sweep_keys(sw), 3);
    assert_string_equal(kn_sweep_key(sw, 0), "staff.employees");
    assert_string_equal(kn_sweep_key(sw, 1), "arrivals.per_hour");
    assert_string_equal(kn_sweep_key(sw, 2), "service.distribution");
    assert_null(kn_sweep_key(sw, 3));
    assert_non_null(strstr(kn_sweep_text(sw), "name: staffing\n"));

    /* first key slowest, last key fastest */
    static const int emp[] = { 10, 11, 12 };
    static const double rate[] = { 500, 600.5, 700 };
    static const char *const dist[] = { "exponential", "deterministic" };
    size_t p = 0;
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 3; j++)
            for (size_t k = 0; k < 2; k++, p++) {
                assert_float_equal(number(sw, p, 0), emp[i], 0);
                assert_float_equal(number(sw, p, 1), rate[j], 0);
                assert_string_equal(value(sw, p, 2), dist[k]);
                assert_int_equal(kn_sweep_value_number(sw, p, 2, NULL), 0);
                kn_scenario sc = point(sw, p);
                assert_int_equal(sc.staff.employees, emp[i]);
                assert_float_equal(sc.arrivals.per_hour, rate[j], 0);
                assert_int_equal(sc.service.kind,
                                 k == 0 ? KN_DIST_EXPONENTIAL : KN_DIST_DETERMINISTIC);
                assert_int_equal(sc.run.replications, 4);
                assert_true(sc.run.seed == 7);
                /* the rest is the base's */
                assert_float_equal(sc.run.days, 10, 0);
                assert_float_equal(sc.patience.mean_minutes, 2, 0);
            }
    assert_string_equal(value(sw, 0, 0), "10");
    assert_string_equal(value(sw, 3, 1), "600.5");
    assert_null(kn_sweep_value(sw, 18, 0, (char[8]){ 0 }, 8));
    assert_null(kn_sweep_value(sw, 0, 3, (char[8]){ 0 }, 8));
    kn_scenario sc = point(sw, 9);
    assert_string_equal(sc.name, "staffing [staff.employees=11, arrivals.per_hour=600.5, "
                                 "service.distribution=deterministic]");
    kn_sweep_free(sw);
}

static void test_defaults(void **state)
{
    (void)state;
    kn_sweep *sw = load_ok("tests/data/sweeps/good-defaults.yaml");
    assert_int_equal(kn_sweep_design_of(sw), KN_DESIGN_GRID);
    assert_int_equal(kn_sweep_points(sw), 2);
    assert_int_equal(kn_sweep_replications(sw), 3); /* the base's run.replications */
    assert_true(kn_sweep_seed(sw) == 42);           /* the base's run.seed */
    assert_string_equal(kn_sweep_name(sw), "good-defaults");
    assert_string_equal(point(sw, 1).name, "good-defaults [staff.employees=12]");
    assert_string_equal(kn_sweep_base(sw)->name, "sweep base");
    kn_sweep_free(sw);
}

static void test_relative_base(void **state)
{
    (void)state;
    char want[KN_PATH_MAX];
    kn_sweep *sw = load_ok("tests/data/sweeps/sub/good-relative.yaml");
    data_path(want, sizeof want, "tests/data/sweeps/sub/../base.yaml");
    assert_string_equal(kn_sweep_base_file(sw), want);
    data_path(want, sizeof want, "tests/data/sweeps/sub/good-relative.yaml");
    assert_string_equal(kn_sweep_file(sw), want);
    assert_float_equal(point(sw, 0).patience.mean_minutes, 1.5, 0);
    assert_float_equal(point(sw, 1).patience.mean_minutes, 2.5, 0);
    kn_sweep_free(sw);
}

static void test_ranges(void **state)
{
    (void)state;
    kn_sweep *sw = load_ok("tests/data/sweeps/good-ranges.yaml");
    assert_int_equal(kn_sweep_points(sw), 4 * 3);
    /* 0, 0.1, 0.2, 0.3: the last is `to` exactly although 3 * 0.1 != 0.3 */
    static const char *const warm[] = { "0", "0.1", "0.2", "0.3" };
    static const double mean[] = { 1.5, 1.0, 0.5 }; /* a count from 1.5 down to 0.5 */
    for (size_t i = 0; i < 4; i++)
        for (size_t j = 0; j < 3; j++) {
            assert_string_equal(value(sw, i * 3 + j, 0), warm[i]);
            assert_float_equal(number(sw, i * 3 + j, 1), mean[j], 0);
        }
    assert_true(point(sw, 9).run.warmup_days == 0.3);
    kn_sweep_free(sw);

    /* more ranges, on the fly */
    sw = load_text_ok("vary:\n  service.mean_minutes: {from: 0.1, to: 1, step: 0.1}\n");
    assert_int_equal(kn_sweep_points(sw), 10);
    for (size_t i = 0; i < 10; i++) {
        char want[16];
        snprintf(want, sizeof want, "%g", 0.1 * (double)(i + 1));
        assert_string_equal(value(sw, i, 0), want);
    }
    kn_sweep_free(sw);
    /* `to` not on the grid of steps: the last value is below it */
    sw = load_text_ok("vary:\n  staff.employees: {from: 8, to: 12.5, step: 2}\n");
    assert_int_equal(kn_sweep_points(sw), 3);
    assert_string_equal(value(sw, 2, 0), "12");
    kn_sweep_free(sw);
    /* a count of integers */
    sw = load_text_ok("vary:\n  staff.employees: {from: 8, to: 12, count: 5}\n");
    assert_int_equal(kn_sweep_points(sw), 5);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(point(sw, i).staff.employees, 8 + (int)i);
    kn_sweep_free(sw);
    /* from == to with a step: one value */
    sw = load_text_ok("vary:\n  staff.employees: {from: 9, to: 9, step: 1}\n");
    assert_int_equal(kn_sweep_points(sw), 1);
    kn_sweep_free(sw);
    /* evenly spaced thirds */
    sw = load_text_ok("vary:\n  arrivals.per_hour: {from: 100, to: 200, count: 4}\n");
    assert_string_equal(value(sw, 1, 0), "133.333333333333");
    assert_string_equal(value(sw, 3, 0), "200");
    kn_sweep_free(sw);
}

static void test_values(void **state)
{
    (void)state;
    kn_sweep *sw = load_ok("tests/data/sweeps/good-values.yaml");
    assert_int_equal(kn_sweep_points(sw), 4);
    assert_string_equal(value(sw, 0, 0), "lognormal"); /* written 'lognormal' */
    kn_scenario sc = point(sw, 0);
    assert_int_equal(sc.service.kind, KN_DIST_LOGNORMAL);
    assert_true(sc.arrivals.use_profile);
    assert_float_equal(sc.arrivals.profile[9], 120, 0);
    assert_float_equal(sc.arrivals.per_hour, 0, 0);
    sc = point(sw, 3);
    assert_int_equal(sc.service.kind, KN_DIST_DETERMINISTIC);
    assert_float_equal(sc.arrivals.profile[0], 60, 0);
    assert_non_null(strstr(sc.name, "[service.distribution=deterministic, arrivals.profile=[60, 60"));
    assert_true(strlen(sc.name) < KN_NAME_MAX);
    assert_int_equal(kn_sweep_value_number(sw, 0, 1, NULL), 0);
    kn_sweep_free(sw);
}

/* A point name longer than KN_NAME_MAX - 1 bytes is shortened with "...". */
static void test_long_name(void **state)
{
    (void)state;
    char body[1024];
    snprintf(body, sizeof body,
             "name: %0200d\nvary:\n  arrivals.per_hour: [500.123456789, 600]\n"
             "  service.mean_minutes: [0.987654321]\n  patience.mean_minutes: [2.5]\n", 7);
    kn_sweep *sw = load_text_ok(body);
    kn_scenario sc = point(sw, 0);
    assert_int_equal(strlen(sc.name), KN_NAME_MAX - 1);
    assert_string_equal(sc.name + KN_NAME_MAX - 4, "...");
    kn_sweep_free(sw);
}

/* ---- Latin hypercube ------------------------------------------------------------- */

static void test_lhs_strata(void **state)
{
    (void)state;
    const size_t K = 40;
    kn_sweep *sw = load_text_ok("design: {latin_hypercube: 40}\nseed: 11\nvary:\n"
                                "  arrivals.per_hour: {from: 500, to: 700}\n"
                                "  staff.employees: {from: 8, to: 12}\n"
                                "  service.distribution: [exponential, lognormal, deterministic,"
                                " exponential]\n"
                                "  patience.mean_minutes: {from: 1, to: 4, step: 1}\n");
    assert_int_equal(kn_sweep_design_of(sw), KN_DESIGN_LHS);
    assert_int_equal(kn_sweep_points(sw), K);
    assert_true(kn_sweep_seed(sw) == 11);
    double v[40];
    size_t per_stratum[40] = { 0 }, per_int[5] = { 0 }, per_item[3] = { 0 }, per_step[4] = { 0 };
    static const char *const items[] = { "exponential", "lognormal", "deterministic" };
    for (size_t p = 0; p < K; p++) {
        /* a continuous key: exactly one point in each of the K strata */
        v[p] = number(sw, p, 0);
        assert_true(v[p] >= 500 && v[p] <= 700);
        size_t s = (size_t)floor((v[p] - 500) / 200 * (double)K);
        assert_true(s < K);
        per_stratum[s]++;
        /* an integer key: integers, each of 8..12 equally often (K is a multiple of 5) */
        double e = number(sw, p, 1);
        assert_true(e == floor(e) && e >= 8 && e <= 12);
        per_int[(size_t)e - 8]++;
        /* a list: items by stratified index, each K / 4 times */
        const char *d = value(sw, p, 2);
        size_t i;
        for (i = 0; i < 3 && strcmp(d, items[i]) != 0; i++)
            ;
        assert_true(i < 3);
        per_item[i]++; /* by kind: exponential is items 0 and 3 of the list */
        /* a stepped range is a list of its values */
        double m = number(sw, p, 3);
        assert_true(m == 1 || m == 2 || m == 3 || m == 4);
        per_step[(size_t)m - 1]++;
        kn_scenario sc = point(sw, p);
        assert_float_equal(sc.arrivals.per_hour, v[p], 0);
        assert_int_equal(sc.staff.employees, (int)e);
        assert_float_equal(sc.patience.mean_minutes, m, 0);
    }
    for (size_t s = 0; s < K; s++)
        assert_int_equal(per_stratum[s], 1);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(per_int[i], K / 5);
    assert_int_equal(per_item[0], K / 2); /* exponential: items 0 and 3 */
    assert_int_equal(per_item[1], K / 4);
    assert_int_equal(per_item[2], K / 4);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(per_step[i], K / 4);
    /* not sorted: the strata are shuffled */
    int sorted = 1;
    for (size_t p = 1; p < K; p++)
        sorted &= v[p] > v[p - 1];
    assert_false(sorted);
    kn_sweep_free(sw);
}

/* The K values of key 0 of a Latin hypercube sweep file body, with opts. */
static void lhs_values(const char *body, const kn_sweep_opts *opts, double *out, size_t k,
                       uint64_t *fp)
{
    char path[KN_PATH_MAX];
    write_sweep(path, sizeof path, "lhs.yaml", body);
    kn_sweep *sw = load_path_ok(path, opts);
    assert_int_equal(kn_sweep_points(sw), k);
    for (size_t p = 0; p < k; p++)
        out[p] = number(sw, p, 0);
    *fp = kn_sweep_fingerprint(sw);
    kn_sweep_free(sw);
}

static void test_lhs_seed(void **state)
{
    (void)state;
    const char *a = "design: {latin_hypercube: 25}\nseed: 5\nvary:\n"
                    "  service.mean_minutes: {from: 0.5, to: 1.5}\n";
    const char *b = "design: {latin_hypercube: 25}\nseed: 6\nvary:\n"
                    "  service.mean_minutes: {from: 0.5, to: 1.5}\n";
    double x[25], y[25], z[25];
    uint64_t fx, fy, fz;
    lhs_values(a, NULL, x, 25, &fx);
    lhs_values(a, NULL, y, 25, &fy);
    assert_memory_equal(x, y, sizeof x); /* deterministic */
    assert_true(fx == fy);
    lhs_values(b, NULL, z, 25, &fz);
    assert_memory_not_equal(x, z, sizeof x); /* another seed, another design */
    assert_true(fx != fz);
    /* --seed overrides the file's seed, for the design too */
    kn_sweep_opts o = { .has_seed = 1, .seed = 6 };
    lhs_values(a, &o, y, 25, &fy);
    assert_memory_equal(y, z, sizeof y);
    assert_true(fy == fz);
    /* without a seed key, the base's run.seed (42) */
    const char *c = "design: {latin_hypercube: 25}\nvary:\n"
                    "  service.mean_minutes: {from: 0.5, to: 1.5}\n";
    o.seed = 42;
    lhs_values(c, NULL, x, 25, &fx);
    lhs_values(a, &o, y, 25, &fy);
    assert_memory_equal(x, y, sizeof x);
}

static void test_lhs_file(void **state)
{
    (void)state;
    kn_sweep *sw = load_ok("tests/data/sweeps/good-lhs.yaml");
    assert_int_equal(kn_sweep_points(sw), 20);
    assert_int_equal(kn_sweep_keys(sw), 4);
    for (size_t p = 0; p < 20; p++) {
        kn_scenario sc = point(sw, p);
        assert_true(sc.staff.employees >= 10 && sc.staff.employees <= 14);
        assert_true(sc.arrivals.per_hour > 500 && sc.arrivals.per_hour < 700);
        assert_non_null(strstr(sc.name, "good-lhs [arrivals.per_hour="));
    }
    kn_sweep_free(sw);
    /* K = 1: one point anywhere in the range */
    sw = load_text_ok("design: {latin_hypercube: 1}\nvary:\n  staff.employees: {from: 8, to: 12}\n");
    assert_int_equal(kn_sweep_points(sw), 1);
    kn_sweep_free(sw);
}

/* ---- scenarios and fingerprints -------------------------------------------------- */

static void test_scenario_errors(void **state)
{
    (void)state;
    kn_sweep *sw = load_ok("tests/data/sweeps/good-defaults.yaml");
    kn_scenario sc;
    kn_error err = { 0 };
    assert_int_equal(kn_sweep_scenario(sw, 2, &sc, &err), KN_EINVAL);
    assert_int_equal(kn_sweep_scenario(NULL, 0, &sc, &err), KN_EINVAL);
    assert_int_equal(kn_sweep_scenario(sw, 0, NULL, &err), KN_EINVAL);
    kn_sweep_free(sw);
    kn_sweep_free(NULL);
    assert_int_equal(kn_sweep_points(NULL), 0);
    assert_null(kn_sweep_name(NULL));
    assert_null(kn_sweep_key(NULL, 0));
    assert_int_equal(kn_sweep_keys(NULL), 0);
}

static void test_fingerprint(void **state)
{
    (void)state;
    char path[KN_PATH_MAX];
    kn_sweep *a = load_ok("tests/data/sweeps/good-grid.yaml");
    kn_sweep *b = load_ok("tests/data/sweeps/good-grid.yaml");
    uint64_t fa = kn_sweep_fingerprint(a);
    assert_true(fa == kn_sweep_fingerprint(b)); /* stable */
    kn_sweep_free(b);
    assert_true(fa != 0);

    /* the same sweep written elsewhere: the same runs, the same fingerprint */
    const char *body = "name: staffing\nreplications: 4\nseed: 7\nvary:\n"
                       "  staff.employees: {from: 10, to: 12, step: 1}\n"
                       "  arrivals.per_hour: [500, 600.5, 700]\n"
                       "  service.distribution: [exponential, deterministic]\n";
    write_sweep(path, sizeof path, "copy.yaml", body);
    b = load_path_ok(path, NULL);
    assert_true(kn_sweep_fingerprint(b) == fa);
    kn_sweep_free(b);

    /* anything that changes the runs changes it */
    static const char *const changed[] = {
        "name: staffing\nreplications: 5\nseed: 7\nvary:\n" /* replications */
        "  staff.employees: {from: 10, to: 12, step: 1}\n"
        "  arrivals.per_hour: [500, 600.5, 700]\n"
        "  service.distribution: [exponential, deterministic]\n",
        "name: staffing\nreplications: 4\nseed: 8\nvary:\n" /* seed */
        "  staff.employees: {from: 10, to: 12, step: 1}\n"
        "  arrivals.per_hour: [500, 600.5, 700]\n"
        "  service.distribution: [exponential, deterministic]\n",
        "name: staffing\nreplications: 4\nseed: 7\nvary:\n" /* one value */
        "  staff.employees: {from: 10, to: 12, step: 1}\n"
        "  arrivals.per_hour: [500, 600.25, 700]\n"
        "  service.distribution: [exponential, deterministic]\n",
        "name: staffing\nreplications: 4\nseed: 7\nvary:\n" /* the order of the keys */
        "  arrivals.per_hour: [500, 600.5, 700]\n"
        "  staff.employees: {from: 10, to: 12, step: 1}\n"
        "  service.distribution: [exponential, deterministic]\n",
        "name: staffing\nreplications: 4\nseed: 7\nvary:\n" /* the order of the values */
        "  staff.employees: {from: 10, to: 12, step: 1}\n"
        "  arrivals.per_hour: [500, 600.5, 700]\n"
        "  service.distribution: [deterministic, exponential]\n",
    };
    for (size_t i = 0; i < sizeof changed / sizeof changed[0]; i++) {
        write_sweep(path, sizeof path, "changed.yaml", changed[i]);
        b = load_path_ok(path, NULL);
        if (kn_sweep_fingerprint(b) == fa)
            print_error("change %zu left the fingerprint as it was\n", i);
        assert_true(kn_sweep_fingerprint(b) != fa);
        kn_sweep_free(b);
    }
    /* command-line overrides too */
    data_path(path, sizeof path, "tests/data/sweeps/good-grid.yaml");
    kn_sweep_opts o = { .replications = 9 };
    b = load_path_ok(path, &o);
    assert_int_equal(kn_sweep_replications(b), 9);
    assert_int_equal(point(b, 0).run.replications, 9);
    assert_true(kn_sweep_fingerprint(b) != fa);
    kn_sweep_free(b);
    kn_sweep_free(a);
}

/* ---- errors ---------------------------------------------------------------------- */

typedef struct bad_case {
    const char *file;   /* under tests/data/sweeps/ */
    size_t line, col;   /* 0: the message has no position */
    const char *key;    /* NULL: the message names no key */
    const char *reason; /* a part of the reason */
} bad_case;

static const bad_case bad_cases[] = {
    { "bad-syntax.yaml", 4, 1, NULL, "syntax error: did not find expected ',' or ']'" },
    { "bad-empty.yaml", 1, 1, NULL, "empty sweep" },
    { "bad-not-mapping.yaml", 1, 1, NULL, "the top level must be a mapping" },
    { "bad-two-docs.yaml", 4, 1, NULL, "only one YAML document is allowed" },
    { "bad-unknown-top.yaml", 2, 1, "vari", "unknown key (did you mean 'vary'?)" },
    { "bad-dotted-top.yaml", 2, 1, "staff.employees", "go under vary:" },
    { "bad-duplicate-top.yaml", 3, 1, "base", "duplicate key (first at line 1)" },
    { "bad-no-base.yaml", 0, 0, "base", "required, not given" },
    { "bad-base-type.yaml", 1, 7, "base", "expected the path of a scenario file, got a sequence" },
    { "bad-missing-base-file.yaml", 2, 7, "base",
      "tests/data/sweeps/no-such-base.yaml: cannot open: No such file or directory" },
    { "bad-invalid-base.yaml", 1, 7, "base",
      "invalid base scenario: " /* then the base's own message */ },
    { "bad-no-vary.yaml", 0, 0, "vary", "required, not given" },
    { "bad-vary-empty.yaml", 2, 7, "vary", "must name at least one key" },
    { "bad-vary-list.yaml", 2, 7, "vary", "expected a mapping of scenario keys" },
    { "bad-name-empty.yaml", 2, 7, "name", "must not be empty" },
    { "bad-replications.yaml", 2, 15, "replications", "must be >= 2, got 1" },
    { "bad-replications-word.yaml", 2, 15, "replications", "expected an integer, got 'five'" },
    { "bad-seed.yaml", 2, 7, "seed", "must be >= 0, got -1" },
    { "bad-design.yaml", 2, 9, "design", "expected grid or {latin_hypercube: K}; got 'latin'" },
    { "bad-design-key.yaml", 2, 10, "design.latin_hypercub", "unknown key" },
    { "bad-lhs-zero.yaml", 2, 27, "design.latin_hypercube", "must be >= 1, got 0" },
    { "bad-lhs-big.yaml", 2, 27, "design.latin_hypercube", "must be <= 100000, got 100001" },
    { "bad-unknown-key.yaml", 3, 3, "vary.staff.employes",
      "unknown scenario key (did you mean 'staff.employees'?)" },
    { "bad-unknown-key-far.yaml", 3, 3, "vary.customers.mood", "unknown scenario key" },
    { "bad-block-key.yaml", 3, 3, "vary.staff", "is a block, not a key" },
    { "bad-duplicate-key.yaml", 5, 3, "vary.staff.employees", "duplicate key (first at line 3)" },
    { "bad-vary-seed.yaml", 3, 3, "vary.run.seed", "cannot be varied" },
    { "bad-vary-replications.yaml", 3, 3, "vary.run.replications", "cannot be varied" },
    { "bad-vary-name.yaml", 3, 3, "vary.name", "cannot be varied" },
    { "bad-empty-list.yaml", 3, 20, "vary.staff.employees", "must not be empty" },
    { "bad-scalar-value.yaml", 3, 20, "vary.staff.employees",
      "expected a list of values [a, b, ...] or a range {from, to, step}, got '8'" },
    { "bad-out-of-range.yaml", 4, 21, "vary.staff.employees", "must be >= 1, got 0" },
    { "bad-wrong-type.yaml", 5, 7, "vary.staff.employees", "expected an integer, got 'ten'" },
    { "bad-quoted-number.yaml", 3, 24, "vary.staff.employees", "got the quoted string '9'" },
    { "bad-enum-value.yaml", 3, 39, "vary.service.distribution",
      "must be one of exponential, lognormal, deterministic; got 'gamma'" },
    { "bad-profile-value.yaml", 3, 22, "vary.arrivals.profile", "expected 24 values, got 3" },
    { "bad-step-zero.yaml", 3, 44, "vary.staff.employees.step", "must be > 0, got 0" },
    { "bad-to-below-from.yaml", 3, 35, "vary.staff.employees.to", "must be >= from (12)" },
    { "bad-step-and-count.yaml", 3, 54, "vary.staff.employees.count",
      "give either step or count, not both" },
    { "bad-count-one.yaml", 3, 50, "vary.arrivals.per_hour.count", "must be >= 2, got 1" },
    { "bad-count-same.yaml", 3, 38, "vary.arrivals.per_hour.to", "must differ from from (500)" },
    { "bad-range-unknown.yaml", 3, 38, "vary.staff.employees.by", "unknown key" },
    { "bad-range-no-to.yaml", 3, 20, "vary.staff.employees.to", "required, not given" },
    { "bad-range-word.yaml", 3, 38, "vary.arrivals.per_hour.to", "expected a number, got 'lots'" },
    { "bad-range-name-key.yaml", 3, 25, "vary.service.distribution", "a range needs a numeric key" },
    { "bad-range-step-fraction.yaml", 3, 20, "vary.staff.employees",
      "expected an integer, got '8.5'" },
    { "bad-range-too-many.yaml", 3, 25, "vary.service.mean_minutes",
      "the range gives 1000001 values, more than 100000" },
    { "bad-range-endpoint.yaml", 3, 27, "vary.staff.employees", "must be >= 1, got 0" },
    { "bad-grid-span.yaml", 3, 20, "vary.staff.employees", "a grid needs the values" },
    { "bad-grid-too-large.yaml", 2, 1, "vary", "the grid has 1001000 points, more than 1000000" },
    { "bad-lhs-int-fraction.yaml", 4, 27, "vary.staff.employees.from",
      "expected an integer for the integer key 'staff.employees', got 7.5" },
    { "bad-lhs-span-order.yaml", 4, 38, "vary.arrivals.per_hour.to", "must be > from (700), got 500" },
    { "bad-lhs-endpoint.yaml", 4, 29, "vary.arrivals.per_hour", "must be > 0, got 0" },
    { "bad-lhs-point.yaml", 6, 20, "vary.run.warmup_days", "must be < run.days" },
    { "bad-cross-check.yaml", 4, 27, "vary.run.warmup_days", "must be < run.days (10), got 12" },
    { "bad-cross-indirect.yaml", 5, 18, "vary.run.days",
      "makes key 'run.warmup_days' invalid: must be < run.days (0.5), got 1 (point 1: "
      "staff.employees=10, run.days=0.5)" },
};

#define N_BAD (sizeof bad_cases / sizeof bad_cases[0])

static void test_bad_files(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_BAD; i++) {
        const bad_case *b = &bad_cases[i];
        char rel[256], path[KN_PATH_MAX], want[KN_PATH_MAX + 600];
        snprintf(rel, sizeof rel, "tests/data/sweeps/%s", b->file);
        data_path(path, sizeof path, rel);
        kn_sweep *sw = (kn_sweep *)&sw; /* must become NULL */
        kn_error err = { 0 };
        kn_status rc = kn_sweep_load(&sw, path, &err);
        assert_null(sw);
        if (rc != KN_ESCENARIO)
            print_error("%s: status %d, message \"%s\"\n", b->file, rc, err.msg);
        assert_int_equal(rc, KN_ESCENARIO);
        assert_int_equal(err.code, KN_ESCENARIO);
        /* "FILE:LINE:COL: key 'KEY': reason" */
        size_t used = (size_t)snprintf(want, sizeof want, "%s:", path);
        if (b->line)
            used += (size_t)snprintf(want + used, sizeof want - used, "%zu:%zu:", b->line, b->col);
        if (b->key)
            snprintf(want + used, sizeof want - used, " key '%s': ", b->key);
        else
            snprintf(want + used, sizeof want - used, " ");
        int ok = strncmp(err.msg, want, strlen(want)) == 0 && strstr(err.msg, b->reason) &&
                 !strchr(err.msg, '\n');
        if (!ok)
            print_error("%s:\n  got  \"%s\"\n  want \"%s...%s...\"\n", b->file, err.msg, want,
                        b->reason);
        assert_true(ok);
    }
    /* the invalid base's own message follows, with its file, line and key */
    char path[KN_PATH_MAX];
    data_path(path, sizeof path, "tests/data/sweeps/bad-invalid-base.yaml");
    kn_sweep *sw;
    kn_error err = { 0 };
    assert_int_equal(kn_sweep_load(&sw, path, &err), KN_ESCENARIO);
    assert_non_null(strstr(err.msg, "broken-base.yaml:4:20: key 'staff.employees': expected an "
                                    "integer, got 'ten'"));
}

/* Every bad-*.yaml on disk has a case above (so a new one cannot go unchecked). */
static void test_bad_files_listed(void **state)
{
    (void)state;
    char dir[KN_PATH_MAX];
    data_path(dir, sizeof dir, "tests/data/sweeps");
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t seen = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (strncmp(e->d_name, "bad-", 4) != 0 || n < 5 || strcmp(e->d_name + n - 5, ".yaml") != 0)
            continue;
        size_t i;
        for (i = 0; i < N_BAD && strcmp(bad_cases[i].file, e->d_name) != 0; i++)
            ;
        if (i == N_BAD)
            print_error("%s has no expected message in test_sweep.c\n", e->d_name);
        assert_true(i < N_BAD);
        seen++;
    }
    closedir(d);
    assert_int_equal(seen, N_BAD);
}

static void test_missing_file(void **state)
{
    (void)state;
    kn_sweep *sw = (kn_sweep *)&sw;
    kn_error err = { 0 };
    assert_int_equal(kn_sweep_load(&sw, "no/such/sweep.yaml", &err), KN_EIO);
    assert_null(sw);
    assert_string_equal(err.msg, "no/such/sweep.yaml: cannot open: No such file or directory");
    assert_int_equal(kn_sweep_load(NULL, "x.yaml", &err), KN_EINVAL);
    assert_int_equal(kn_sweep_load(&sw, NULL, &err), KN_EINVAL);
}

/* A value out of range for its key names the line of that value in the vary entry. */
static void test_point_out_of_range(void **state)
{
    (void)state;
    char path[KN_PATH_MAX], want[KN_PATH_MAX + 256];
    write_sweep(path, sizeof path, "range.yaml",
                "vary:\n  arrivals.per_hour: [500]\n  staff.employees:\n    - 5\n    - 0\n");
    kn_sweep *sw;
    kn_error err = { 0 };
    assert_int_equal(kn_sweep_load(&sw, path, &err), KN_ESCENARIO);
    snprintf(want, sizeof want, "%s:6:7: key 'vary.staff.employees': must be >= 1, got 0", path);
    assert_string_equal(err.msg, want);
    /* a value valid alone but not with the base: run.warmup_days (1) >= run.days */
    write_sweep(path, sizeof path, "cross.yaml", "vary:\n  run.days: [5, 1]\n");
    assert_int_equal(kn_sweep_load(&sw, path, &err), KN_ESCENARIO);
    snprintf(want, sizeof want, "%s:3:17: key 'vary.run.days': makes key 'run.warmup_days' "
                                "invalid: must be < run.days (1), got 1", path);
    assert_memory_equal(err.msg, want, strlen(want));
    /* hostile values: an alias bomb is cut short, not expanded */
    write_sweep(path, sizeof path, "bomb.yaml",
                "vary:\n  service.mean_minutes:\n"
                "    - &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
                "    - &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                "    - &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                "    - &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                "    - &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                "    - &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                "    - [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n");
    assert_int_equal(kn_sweep_load(&sw, path, &err), KN_ESCENARIO);
    assert_non_null(strstr(err.msg, ":8:7: key 'vary.service.mean_minutes': value longer than"));
}

static void test_example(void **state)
{
    (void)state;
    kn_sweep *sw = load_ok("scenarios/sweeps/staffing.yaml");
    assert_int_equal(kn_sweep_points(sw), 5 * 3);
    assert_int_equal(kn_sweep_replications(sw), 5);
    assert_string_equal(kn_sweep_key(sw, 0), "staff.employees");
    assert_string_equal(kn_sweep_key(sw, 1), "arrivals.per_hour");
    kn_scenario sc = point(sw, 14);
    assert_int_equal(sc.staff.employees, 12);
    kn_sweep_free(sw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_relative_base),
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_long_name),
        cmocka_unit_test(test_lhs_strata),
        cmocka_unit_test(test_lhs_seed),
        cmocka_unit_test(test_lhs_file),
        cmocka_unit_test(test_scenario_errors),
        cmocka_unit_test(test_fingerprint),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_bad_files_listed),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_point_out_of_range),
        cmocka_unit_test(test_example),
    };
    return cmocka_run_group_tests(tests, setup_tmp, teardown_tmp);
}
