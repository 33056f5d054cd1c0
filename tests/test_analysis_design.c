/* test_analysis_design.c - Latin hypercubes: one point per stratum in every column, the
 * same numbers for the same stream, and the very numbers the sweep reader draws
 * (sim/files/sweep.c) for the same seed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>
#include "design.h"

static void check_strata(const double *x, size_t n, size_t k)
{
    static unsigned char seen[1000];
    for (size_t j = 0; j < k; j++) {
        memset(seen, 0, n);
        for (size_t p = 0; p < n; p++) {
            double t = x[p * k + j];
            assert_true(t > 0.0 && t < 1.0);
            size_t s = (size_t)floor(t * (double)n);
            assert_true(s < n);
            assert_int_equal(seen[s], 0);
            seen[s] = 1;
        }
    }
}

static void test_one_point_per_stratum(void **state)
{
    (void)state;
    static double x[1000 * 6];
    size_t sizes[][2] = {{1, 1}, {2, 3}, {37, 3}, {100, 5}, {1000, 6}};
    for (size_t c = 0; c < sizeof sizes / sizeof sizes[0]; c++) {
        kn_rng r;
        kn_rng_init(&r, 77, 0, c, KN_SRC_DESIGN);
        assert_int_equal(kn_design_lhs(&r, sizes[c][0], sizes[c][1], x, NULL), KN_OK);
        check_strata(x, sizes[c][0], sizes[c][1]);
    }
    /* the strata are shuffled: column 0 of the 1000-point design is not in order */
    int sorted = 1;
    for (size_t p = 1; p < 1000; p++)
        sorted &= x[p * 6] > x[(p - 1) * 6];
    assert_false(sorted);
}

static void test_reproducible(void **state)
{
    (void)state;
    double a[50 * 4], b[50 * 4], c[50 * 4];
    kn_rng r;
    kn_rng_init(&r, 9, 0, 0, KN_SRC_DESIGN);
    assert_int_equal(kn_design_lhs(&r, 50, 4, a, NULL), KN_OK);
    kn_rng_init(&r, 9, 0, 0, KN_SRC_DESIGN);
    assert_int_equal(kn_design_lhs(&r, 50, 4, b, NULL), KN_OK);
    assert_memory_equal(a, b, sizeof a);
    kn_rng_init(&r, 10, 0, 0, KN_SRC_DESIGN);
    assert_int_equal(kn_design_lhs(&r, 50, 4, c, NULL), KN_OK);
    assert_memory_not_equal(a, c, sizeof a);
}

/* The sweep reader, given "design: {latin_hypercube: 37}", "seed: 1234" and the keys
 * arrivals.per_hour {from: 500, to: 700}, service.mean_minutes {from: 0.5, to: 1.5},
 * patience.mean_minutes {from: 1, to: 4}, printed these values (kn_sweep_value) for points
 * 0, 1 and 36 when this function was written; all 111 agreed to the last bit. Same stream:
 * (seed, scenario 0, replication 0, KN_SRC_DESIGN); value = from + (to - from) t. */
static void test_same_numbers_as_the_sweep_reader(void **state)
{
    (void)state;
    double x[37 * 3];
    kn_rng r;
    kn_rng_init(&r, 1234, 0, 0, KN_SRC_DESIGN);
    assert_int_equal(kn_design_lhs(&r, 37, 3, x, NULL), KN_OK);
    const double from[3] = {500, 0.5, 1}, to[3] = {700, 1.5, 4};
    const size_t points[3] = {0, 1, 36};
    const double want[3][3] = {{550.2232238508481, 0.5978711656223777, 1.4678946522616965},
                               {681.7981367208491, 0.6525756007635629, 1.7177087221282357},
                               {512.0509430593886, 1.1619586748451431, 2.7879061541512558}};
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 3; j++)
            assert_true(from[j] + (to[j] - from[j]) * x[points[i] * 3 + j] == want[i][j]);
}

/* kn_design_below stays below its bound and hits every value; bound 1 is always 0. */
static void test_below(void **state)
{
    (void)state;
    kn_rng r;
    kn_rng_init(&r, 3, 0, 0, 0);
    unsigned hits[7] = {0};
    for (int i = 0; i < 7000; i++) {
        uint64_t u = kn_design_below(&r, 7);
        assert_true(u < 7);
        hits[u]++;
    }
    for (int i = 0; i < 7; i++) /* 1000 expected, sd 30: 850 .. 1150 is 5 sd */
        assert_true(hits[i] > 850 && hits[i] < 1150);
    assert_true(kn_design_below(&r, 1) == 0);
}

static void test_errors(void **state)
{
    (void)state;
    double x[4];
    kn_rng r;
    kn_rng_init(&r, 3, 0, 0, 0);
    kn_error err = {0};
    assert_int_equal(kn_design_lhs(&r, 0, 2, x, &err), KN_EINVAL);
    assert_non_null(strstr(err.msg, "n >= 1"));
    assert_int_equal(kn_design_lhs(&r, 2, 0, x, &err), KN_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_point_per_stratum),
        cmocka_unit_test(test_reproducible),
        cmocka_unit_test(test_same_numbers_as_the_sweep_reader),
        cmocka_unit_test(test_below),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
