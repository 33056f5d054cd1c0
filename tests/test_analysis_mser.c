/* test_analysis_mser.c - MSER-5 on series whose transient is known: a step, an exponential
 * approach, a stationary series and a trend. Each property is checked over 200 seeds
 * (counts, not one lucky draw), with the bounds explained where they are set. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "mser.h"
#include "koning/rng.h"

#define SEEDS 200

enum shape { STEP, EXPONENTIAL, STATIONARY, TREND };

/* y_t of a series of the given shape plus N(0, 1) noise from stream seed. */
static void series(enum shape s, uint64_t seed, double *y, size_t n)
{
    kn_rng r;
    kn_rng_init(&r, 2024, 0, seed, (uint64_t)s);
    for (size_t t = 0; t < n; t++) {
        double level = s == STEP ? (t < 100 ? 10.0 : 0.0)
                     : s == EXPONENTIAL ? 5.0 * exp(-(double)t / 50.0)
                     : s == TREND ? (double)t / 100.0 : 0.0;
        y[t] = level + kn_rng_normal(&r);
    }
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* The cuts of SEEDS series of one shape, sorted; returns how many were flagged unsteady. */
static int cuts(enum shape s, size_t n, size_t *d)
{
    static double y[2000];
    int unsteady = 0;
    for (uint64_t k = 0; k < SEEDS; k++) {
        series(s, k, y, n);
        kn_mser m;
        assert_int_equal(kn_mser5(y, n, &m, NULL), KN_OK);
        assert_int_equal(m.d % 5, 0);
        assert_int_equal(m.batches, n / 5);
        d[k] = m.d;
        unsteady += !m.steady;
    }
    qsort(d, SEEDS, sizeof *d, cmp_size);
    return unsteady;
}

/* Level 10 for 100 observations, then 0; noise sd 1. MSER must never keep a transient
 * observation (d >= 100), usually cuts exactly at 100 (the median), and rarely deletes
 * much more (over 2000 seeds while writing this test, 97 % of cuts were in [100, 150]). */
static void test_step(void **state)
{
    (void)state;
    size_t d[SEEDS];
    assert_int_equal(cuts(STEP, 1000, d), 0);
    assert_true(d[0] >= 100);
    assert_int_equal(d[SEEDS / 2], 100);
    assert_true(d[SEEDS * 9 / 10] <= 150);
}

/* 5 e^{-t/50}: the bias falls below the noise sd (1) at t = 50 ln 5 = 80 and below a tenth
 * of it at t = 50 ln 50 = 196. The median cut must lie between the two, and every cut in
 * [50, 300] (2000 seeds gave 65 .. 290, median 115). The stationary tail is flagged
 * unsteady by chance as white noise is (4 of 5000 seeds): at most 1 %. */
static void test_exponential(void **state)
{
    (void)state;
    size_t d[SEEDS];
    assert_true(cuts(EXPONENTIAL, 2000, d) <= SEEDS / 100);
    assert_true(d[0] >= 50 && d[SEEDS - 1] <= 300);
    assert_true(d[SEEDS / 2] >= 80 && d[SEEDS / 2] <= 196);
}

/* White noise: nothing to cut. Median 0, 90 % of cuts <= 25 observations, and at most 1 %
 * flagged unsteady (15 of 5000 seeds while writing the test: the end effect that
 * KN_MSER_TAIL keeps small). */
static void test_stationary(void **state)
{
    (void)state;
    size_t d[SEEDS];
    int unsteady = cuts(STATIONARY, 1000, d);
    assert_true(unsteady <= SEEDS / 100);
    assert_int_equal(d[SEEDS / 2], 0);
    assert_true(d[SEEDS * 9 / 10] <= 25);
}

/* A trend never settles: the minimum lies at the end, steady = 0. Exactly for y_t = t; with
 * noise (t/100 + N(0, 1), n = 500: 98 % of 1000 seeds) in at least 90 % of the seeds. */
static void test_trend(void **state)
{
    (void)state;
    double y[500];
    for (size_t t = 0; t < 500; t++)
        y[t] = (double)t;
    kn_mser m;
    assert_int_equal(kn_mser5(y, 500, &m, NULL), KN_OK);
    assert_int_equal(m.steady, 0);
    assert_true(m.d_global > m.d);
    assert_int_equal(m.d_global, 500 - 5 * KN_MSER_TAIL);
    size_t d[SEEDS];
    assert_true(cuts(TREND, 500, d) >= SEEDS * 9 / 10);
}

/* Several replications: the mean series is batched. Ten noisy steps cut at 100; a row
 * stride longer than the row is honoured (the padding holds values that would move it). */
static void test_rows(void **state)
{
    (void)state;
    enum { R = 10, N = 600, STRIDE = 650 };
    static double y[R * STRIDE];
    for (size_t r = 0; r < R; r++) {
        series(STEP, 1000 + r, y + r * STRIDE, N);
        for (size_t t = N; t < STRIDE; t++)
            y[r * STRIDE + t] = 1e6;
    }
    kn_mser m;
    assert_int_equal(kn_mser5_rows(y, R, N, STRIDE, &m, NULL), KN_OK);
    assert_int_equal(m.d, 100);
    assert_int_equal(m.steady, 1);
    /* one replication alone is kn_mser5 */
    kn_mser a, b;
    assert_int_equal(kn_mser5_rows(y, 1, N, STRIDE, &a, NULL), KN_OK);
    assert_int_equal(kn_mser5(y, N, &b, NULL), KN_OK);
    assert_true(a.d == b.d && a.statistic == b.statistic);
    /* a constant series: every MSER is 0, the earliest (d = 0) wins */
    double c[60];
    for (size_t t = 0; t < 60; t++)
        c[t] = 3.0;
    assert_int_equal(kn_mser5(c, 60, &m, NULL), KN_OK);
    assert_true(m.d == 0 && m.statistic == 0.0 && m.steady);
}

/* The statistic itself on a tiny hand-computed case: batch means 0 x 7, 1, 1, 1 (m = 10):
 * d = 0 keeps 10 means with mean 0.3, SS = 10 * 0.3 * 0.7 = 2.1, MSER = 2.1 / 100 = 0.021;
 * d = 5 (first half ends at 5) keeps 0, 0, 1, 1, 1: SS = 5 * 0.6 * 0.4 = 1.2, MSER =
 * 1.2 / 25 = 0.048; so d* = 0. The global search (up to d = 5 = m - 5) agrees. */
static void test_hand_computed(void **state)
{
    (void)state;
    double y[50];
    for (size_t t = 0; t < 50; t++)
        y[t] = t < 35 ? 0.0 : 1.0;
    kn_mser m;
    assert_int_equal(kn_mser5(y, 50, &m, NULL), KN_OK);
    assert_int_equal(m.d, 0);
    assert_true(fabs(m.statistic - 0.021) < 1e-15);
    assert_int_equal(m.steady, 1);
}

static void test_errors(void **state)
{
    (void)state;
    double y[100] = {0};
    kn_mser m;
    kn_error err = {0};
    assert_int_equal(kn_mser5(y, 49, &m, &err), KN_EINVAL);
    assert_non_null(strstr(err.msg, "at least 50 observations"));
    y[42] = NAN;
    assert_int_equal(kn_mser5(y, 100, &m, &err), KN_EINVAL);
    assert_non_null(strstr(err.msg, "observation 42"));
    assert_int_equal(kn_mser5_rows(y, 2, 50, 40, &m, &err), KN_EINVAL);
    assert_non_null(strstr(err.msg, "stride"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_step),
        cmocka_unit_test(test_exponential),
        cmocka_unit_test(test_stationary),
        cmocka_unit_test(test_trend),
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_hand_computed),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
