/* test_stats.c - mean and Student-t confidence intervals against hand-computed values. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>
#include "koning/stats.h"

static void test_t_quantiles(void **state)
{
    (void)state;
    /* Tables: t_{0.975,4} = 2.776445, t_{0.995,19} = 2.860935, t_{0.975,1e6} ~ 1.959966 */
    assert_true(fabs(kn_t_quantile(0.975, 4) - 2.776445) < 1e-6);
    assert_true(fabs(kn_t_quantile(0.995, 19) - 2.860935) < 1e-6);
    assert_true(fabs(kn_t_quantile(0.975, 1e6) - 1.959966) < 1e-5);
}

static void test_t_cdf_closed_forms(void **state)
{
    (void)state;
    /* df = 1 is Cauchy: F(t) = 1/2 + atan(t)/pi; df = 2: F(t) = 1/2 + t / (2 sqrt(2 + t^2)) */
    double ts[] = {-30.0, -2.5, -0.3, 0.0, 1.0, 4.0, 12.0};
    for (size_t i = 0; i < sizeof ts / sizeof ts[0]; i++) {
        double t = ts[i];
        assert_true(fabs(kn_t_cdf(t, 1) - (0.5 + atan(t) / 3.14159265358979323846)) < 1e-12);
        assert_true(fabs(kn_t_cdf(t, 2) - (0.5 + t / (2.0 * sqrt(2.0 + t * t)))) < 1e-12);
    }
    /* and the table: t_{0.975,4} = 2.776445 */
    assert_true(fabs(kn_t_cdf(2.7764451051977987, 4) - 0.975) < 1e-12);
}

static void test_summary_known_values(void **state)
{
    (void)state;
    double x[] = {1, 2, 3, 4, 5};
    kn_summary s;
    assert_int_equal(kn_summarize(x, 5, 1, 0.95, &s, NULL), KN_OK);
    assert_true(fabs(s.mean - 3.0) < 1e-15);
    assert_true(fabs(s.sd - sqrt(2.5)) < 1e-12);
    double hw = 2.7764451051977987 * sqrt(2.5) / sqrt(5.0);
    assert_true(fabs(s.half_width - hw) < 1e-9);
    assert_true(fabs(s.ci_low - (3.0 - hw)) < 1e-9 && fabs(s.ci_high - (3.0 + hw)) < 1e-9);
}

static void test_stride(void **state)
{
    (void)state;
    double x[] = {1, 100, 3, 100}; /* every other value */
    kn_summary s;
    assert_int_equal(kn_summarize(x, 2, 2, 0.95, &s, NULL), KN_OK);
    assert_true(fabs(s.mean - 2.0) < 1e-15);
}

static void test_constant_sample_has_zero_width(void **state)
{
    (void)state;
    double x[] = {0, 0, 0};
    kn_summary s;
    assert_int_equal(kn_summarize(x, 3, 1, 0.99, &s, NULL), KN_OK);
    assert_true(s.mean == 0.0 && s.half_width == 0.0 && s.ci_low == 0.0 && s.ci_high == 0.0);
}

static void test_nan_is_not_estimable(void **state)
{
    (void)state;
    double x[] = {1, NAN, 3};
    kn_summary s;
    assert_int_equal(kn_summarize(x, 3, 1, 0.95, &s, NULL), KN_OK);
    assert_true(isnan(s.mean) && isnan(s.ci_low) && isnan(s.ci_high));
}

static void test_errors(void **state)
{
    (void)state;
    double x[] = {1, 2};
    kn_summary s;
    kn_error err = {0};
    assert_int_equal(kn_summarize(x, 1, 1, 0.95, &s, &err), KN_EINVAL);
    assert_non_null(strstr(err.msg, "2 replications"));
    assert_int_equal(kn_summarize(x, 2, 1, 1.5, &s, &err), KN_EINVAL);
    assert_non_null(strstr(err.msg, "level"));
}

static void test_welch(void **state)
{
    (void)state;
    /* a: mean 3, var 2.5 (n=5); b: mean 5, var 2.5 (n=5): se = 1, df = 8 */
    double a[] = {1, 2, 3, 4, 5}, b[] = {3, 4, 5, 6, 7};
    kn_summary s;
    assert_int_equal(kn_summarize_welch(a, 5, b, 5, 1, 0.95, &s, NULL), KN_OK);
    assert_true(fabs(s.mean - 2.0) < 1e-12);
    assert_true(fabs(s.sd - 1.0) < 1e-12);
    assert_true(fabs(s.half_width - 2.306004135) < 1e-6); /* t_{0.975, 8} */
    /* identical constant samples: zero width */
    double c[] = {1, 1, 1};
    assert_int_equal(kn_summarize_welch(c, 3, c, 3, 1, 0.95, &s, NULL), KN_OK);
    assert_true(s.mean == 0.0 && s.half_width == 0.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_t_quantiles),
        cmocka_unit_test(test_t_cdf_closed_forms),
        cmocka_unit_test(test_summary_known_values),
        cmocka_unit_test(test_stride),
        cmocka_unit_test(test_constant_sample_has_zero_width),
        cmocka_unit_test(test_nan_is_not_estimable),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_welch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
