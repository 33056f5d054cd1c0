/* test_analysis_payback.c - the payback week of a switch on cumulative differences whose
 * crossing is known by hand. Weeks count from 0, the first simulated week; d[r][w] is the
 * cumulative difference up to and including week w. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>
#include "payback.h"

enum { R = 5, W = 100 };

/* Cumulative sums of a weekly difference: -100 in weeks 0..9, +gain from week 10. */
static void cost_step(double *row, size_t weeks, double gain)
{
    double c = 0.0;
    for (size_t w = 0; w < weeks; w++) {
        c += w < 10 ? -100.0 : gain;
        row[w] = c;
    }
}

/* A policy against itself: every difference is exactly 0. */
static void test_identical(void **state)
{
    (void)state;
    static double d[R * W];
    memset(d, 0, sizeof d);
    kn_payback pb;
    assert_int_equal(kn_payback_estimate(d, R, W, W, 0.95, NULL, NULL, NULL, &pb, NULL), KN_OK);
    assert_int_equal(pb.kase, KN_PAYBACK_NEVER_NEEDED);
    assert_true(pb.week == KN_PAYBACK_NONE);
}

/* -100 a week for weeks 0..9 (cumulative -1000 after week 9), then +20 a week: the sum is
 * -1000 + 20 (w - 9) after week w, 0 after week 59 and 20 after week 60. Payback week 60;
 * identical replications have a band of width 0, so the interval is [60, 60]. */
static void test_cost_step(void **state)
{
    (void)state;
    static double d[R * W];
    for (size_t r = 0; r < R; r++)
        cost_step(d + r * W, W, 20.0);
    double mean[W], lo[W], hi[W];
    kn_payback pb;
    assert_int_equal(kn_payback_estimate(d, R, W, W, 0.95, mean, lo, hi, &pb, NULL), KN_OK);
    assert_int_equal(pb.kase, KN_PAYBACK_WITHIN);
    assert_true(pb.week == 60 && pb.week_lo == 60 && pb.week_hi == 60);
    assert_true(mean[9] == -1000.0 && mean[59] == 0.0 && mean[60] == 20.0);
    assert_true(lo[60] == 20.0 && hi[60] == 20.0);
}

/* Two replications, the cost step +-10 in every week: mean = the step, sd = 10 sqrt(2),
 * band = mean +- t_{0.975,1} 10 sqrt(2) / sqrt(2) = mean +- 127.062 (t_{0.975,1} = 12.7062).
 * Upper band > 0 when -1000 + 20 (w - 9) > -127.06: w - 9 >= 44, week 53 (at 52 the upper
 * band is -12.9, at 53 +7.06). Lower band > 0 when -1000 + 20 (w - 9) > 127.06: w - 9 >= 57,
 * week 66 (65: -7.06, 66: +12.94). Interval [53, 66] around week 60. */
static void test_band(void **state)
{
    (void)state;
    double d[2 * W];
    cost_step(d, W, 20.0);
    cost_step(d + W, W, 20.0);
    for (size_t w = 0; w < W; w++) {
        d[w] += 10.0;
        d[W + w] -= 10.0;
    }
    double lo[W];
    kn_payback pb;
    assert_int_equal(kn_payback_estimate(d, 2, W, W, 0.95, NULL, lo, NULL, &pb, NULL), KN_OK);
    assert_int_equal(pb.kase, KN_PAYBACK_WITHIN);
    assert_true(pb.week == 60 && pb.week_lo == 53 && pb.week_hi == 66);
    assert_true(fabs(lo[66] - (140.0 - 127.062047)) < 1e-5);
}

/* Positive from week 0: paid back at once. A dip after an early gain: the week after the
 * last time the mean is <= 0 (weekly +10, -30, then +50: sums 10, -20, 30, ...: week 2).
 * A gain too slow for the horizon: -100 x 10 then +20 over 50 weeks ends at -200. */
static void test_cases(void **state)
{
    (void)state;
    double d[2 * W];
    for (size_t r = 0; r < 2; r++)
        for (size_t w = 0; w < W; w++)
            d[r * W + w] = 5.0 * (double)(w + 1) + (double)r;
    kn_payback pb;
    assert_int_equal(kn_payback_estimate(d, 2, W, W, 0.95, NULL, NULL, NULL, &pb, NULL), KN_OK);
    assert_true(pb.kase == KN_PAYBACK_AT_ONCE && pb.week == 0);
    for (size_t r = 0; r < 2; r++) {
        double c = 0.0;
        for (size_t w = 0; w < W; w++) {
            c += w == 0 ? 10.0 : w == 1 ? -30.0 : 50.0;
            d[r * W + w] = c;
        }
    }
    assert_int_equal(kn_payback_estimate(d, 2, W, W, 0.95, NULL, NULL, NULL, &pb, NULL), KN_OK);
    assert_true(pb.kase == KN_PAYBACK_WITHIN && pb.week == 2);
    cost_step(d, 50, 20.0);
    cost_step(d + 50, 50, 20.0);
    assert_int_equal(kn_payback_estimate(d, 2, 50, 50, 0.95, NULL, NULL, NULL, &pb, NULL), KN_OK);
    assert_true(pb.kase == KN_PAYBACK_NOT_WITHIN && pb.week == KN_PAYBACK_NONE);
    assert_true(pb.week_lo == KN_PAYBACK_NONE && pb.week_hi == KN_PAYBACK_NONE);
}

static void test_errors(void **state)
{
    (void)state;
    double d[4] = {1, 2, 3, NAN};
    kn_payback pb;
    kn_error err = {0};
    assert_int_equal(kn_payback_estimate(d, 1, 4, 4, 0.95, NULL, NULL, NULL, &pb, &err), KN_EINVAL);
    assert_non_null(strstr(err.msg, ">= 2 replications"));
    assert_int_equal(kn_payback_estimate(d, 2, 2, 2, 0.95, NULL, NULL, NULL, &pb, &err), KN_EINVAL);
    assert_non_null(strstr(err.msg, "replication 1, week 1"));
    d[3] = 4;
    assert_int_equal(kn_payback_estimate(d, 2, 2, 2, 1.5, NULL, NULL, NULL, &pb, &err), KN_EINVAL);
    assert_non_null(strstr(err.msg, "level"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identical),
        cmocka_unit_test(test_cost_step),
        cmocka_unit_test(test_band),
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
