/* test_analysis_morris.c - Morris trajectories (on the grid, each coordinate moving once by
 * Delta) and elementary-effect statistics on a function whose effects are known by hand:
 *   f = x1 + 2 x2^2 + 0 x3 + x1 x4 + 3 x5  on [0, 1]^5, p = 4 levels, Delta = 2/3.
 * Elementary effects: x1: 1 + x4 (x4 on the grid {0, 1/3, 2/3, 1}, each level equally
 * likely): mean 1.5; x2: 2 (2 x + Delta) with the lower end x in {0, 1/3}: 4/3 or 8/3, mean
 * 2; x3: exactly 0; x4: x1, mean 0.5; x5: 3, up to rounding. So mu* ranks x5 > x2 > x1 > x4
 * > x3, sigma > 0 for x1, x2, x4 (nonlinear or interacting), sigma ~ 0 for x5 (linear) and
 * exactly 0 for x3 (inert). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>
#include "morris.h"

enum { R = 100, K = 5, P = 4 };

static double f5(const double *x)
{
    return x[0] + 2.0 * x[1] * x[1] + 0.0 * x[2] + x[0] * x[3] + 3.0 * x[4];
}

static void test_design(void **state)
{
    (void)state;
    static double x[R * (K + 1) * K], y[R * (K + 1) * K];
    kn_rng r;
    kn_rng_init(&r, 4, 0, 0, KN_SRC_DESIGN);
    assert_int_equal(kn_morris_design(&r, R, K, P, x, NULL), KN_OK);
    const double delta = (double)P / (2.0 * (P - 1));
    size_t down = 0;
    for (size_t t = 0; t < R; t++) {
        int moved[K] = {0};
        for (size_t m = 0; m <= K; m++) {
            const double *row = x + (t * (K + 1) + m) * K;
            for (size_t c = 0; c < K; c++) { /* on the grid, inside the cube */
                double lv = row[c] * (P - 1);
                assert_true(row[c] >= 0.0 && row[c] <= 1.0 && fabs(lv - round(lv)) < 1e-12);
            }
            if (m == 0)
                continue;
            const double *prev = row - K;
            size_t changed = 0, which = 0;
            for (size_t c = 0; c < K; c++)
                if (row[c] != prev[c]) {
                    changed++;
                    which = c;
                }
            assert_int_equal(changed, 1);
            assert_true(fabs(fabs(row[which] - prev[which]) - delta) < 1e-15);
            down += row[which] < prev[which];
            moved[which]++;
        }
        for (size_t c = 0; c < K; c++)
            assert_int_equal(moved[c], 1);
    }
    /* up and down moves both occur, about equally (500 moves: 250 +- 5 sd = 250 +- 56) */
    assert_true(down > 194 && down < 306);
    kn_rng_init(&r, 4, 0, 0, KN_SRC_DESIGN);
    assert_int_equal(kn_morris_design(&r, R, K, P, y, NULL), KN_OK);
    assert_memory_equal(x, y, sizeof x);
}

/* r = 100 trajectories: the standard error of mu* is at most 0.67 / 10 = 0.067 (x2), so
 * the tolerances below (0.25 on mu*, 4 standard errors of the worst input) and the gaps
 * of the ranking (>= 0.5, 6.5 standard errors of a difference) hold for any seed but a
 * freak one. */
static void test_effects(void **state)
{
    (void)state;
    static double x[R * (K + 1) * K], f[R * (K + 1)];
    kn_rng r;
    kn_rng_init(&r, 5, 0, 0, KN_SRC_DESIGN);
    assert_int_equal(kn_morris_design(&r, R, K, P, x, NULL), KN_OK);
    for (size_t i = 0; i < kn_morris_rows(R, K); i++)
        f[i] = f5(x + i * K);
    kn_morris m[K];
    assert_int_equal(kn_morris_indices(x, f, R, K, m, NULL), KN_OK);
    const double want[K] = {1.5, 2.0, 0.0, 0.5, 3.0};
    for (size_t c = 0; c < K; c++) {
        print_message("x%zu: mu %.4f mu* %.4f sigma %.4f\n", c + 1, m[c].mu, m[c].mu_star,
                      m[c].sigma);
        assert_int_equal(m[c].r, R);
        assert_true(fabs(m[c].mu_star - want[c]) < 0.25);
        assert_true(m[c].mu == m[c].mu_star || c == 2); /* every effect here is >= 0 */
    }
    /* the inert input: exactly 0 */
    assert_true(m[2].mu_star == 0.0 && m[2].mu == 0.0 && m[2].sigma == 0.0);
    /* the ranking */
    assert_true(m[4].mu_star > m[1].mu_star && m[1].mu_star > m[0].mu_star &&
                m[0].mu_star > m[3].mu_star && m[3].mu_star > m[2].mu_star);
    /* sigma: positive for the nonlinear or interacting inputs, rounding for the linear one */
    assert_true(m[0].sigma > 0.1 && m[1].sigma > 0.1 && m[3].sigma > 0.1);
    assert_true(m[4].sigma < 1e-12 && fabs(m[4].mu - 3.0) < 1e-12);
}

static void test_errors(void **state)
{
    (void)state;
    double x[3 * 2 * 2] = {0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1}, f[6] = {0};
    kn_morris m[2];
    kn_rng r;
    kn_rng_init(&r, 1, 0, 0, 0);
    kn_error err = {0};
    assert_int_equal(kn_morris_design(&r, 1, 2, 3, x, &err), KN_EINVAL);
    assert_non_null(strstr(err.msg, "even"));
    assert_int_equal(kn_morris_design(&r, 0, 2, 4, x, &err), KN_EINVAL);
    assert_int_equal(kn_morris_indices(x, f, 1, 2, m, &err), KN_EINVAL);
    /* trajectory 0 moves coordinate 0 and then back: "moves twice" */
    assert_int_equal(kn_morris_indices(x, f, 2, 2, m, &err), KN_EINVAL);
    assert_non_null(strstr(err.msg, "twice"));
    /* trajectory 1, step 2 moves both coordinates at once */
    double y[12] = {0, 0, 1, 0, 1, 1, 0, 0, 1, 0, 0, 1};
    assert_int_equal(kn_morris_indices(y, f, 2, 2, m, &err), KN_EINVAL);
    assert_non_null(strstr(err.msg, "trajectory 1, step 2"));
    f[3] = NAN;
    assert_int_equal(kn_morris_indices(y, f, 2, 2, m, &err), KN_EINVAL);
    assert_non_null(strstr(err.msg, "f[3]"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_design),
        cmocka_unit_test(test_effects),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
