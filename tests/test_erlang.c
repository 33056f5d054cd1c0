/* test_erlang.c - unit tests of the Erlang-B/C/A oracle (models/erlang.c).
 *
 * The oracle is what `koning validate` trusts, so it is checked from several sides:
 * the published values of docs/validation.md, reference values computed independently
 * at 60 digits (mpmath, exact rationals), the closed formulas against the birth-death
 * chain over a grid, the textbook formula evaluated with GSL's incomplete gamma
 * function, structural invariants (Little, flow balance, monotonicity, limits), and
 * every error path.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>

#include "koning/erlang.h"

typedef kn_status (*erlang_fn)(double, double, double, int, kn_erlang *, kn_error *);

static const erlang_fn methods[2] = {kn_erlang_a, kn_erlang_birth_death};
static const char *const method_names[2] = {"formulas", "birth-death"};

/* |x - y| <= rel * max(|x|, |y|) + abs_tol, printing the case when it fails. */
static int close_enough(double x, double y, double rel, double abs_tol)
{
    return fabs(x - y) <= rel * fmax(fabs(x), fabs(y)) + abs_tol;
}

static void assert_close(double got, double want, double rel, double abs_tol,
                         const char *what)
{
    if (!close_enough(got, want, rel, abs_tol)) {
        print_error("%s: got %.17g, want %.17g (rel %.3g, abs %.3g)\n", what, got, want, rel,
                    abs_tol);
        fail();
    }
}

static void compute_ok(erlang_fn f, double lambda, double mu, double theta, int n,
                       kn_erlang *out)
{
    kn_error err = {0};
    kn_status st = f(lambda, mu, theta, n, out, &err);
    if (st != KN_OK) {
        print_error("lambda=%g mu=%g theta=%g n=%d: status %d: %s\n", lambda, mu, theta, n,
                    (int)st, err.msg);
        fail();
    }
}

/* ---- published values ----------------------------------------------------------------- */

typedef struct published_row {
    double lambda, mu, theta;
    int n;
    double p_wait, p_abandon, mean_wait;
} published_row;

static const published_row published[] = {
    {10, 1, 0.5, 10, 0.619655, 0.103913, 0.207826},
    {50, 1, 0.2, 48, 0.841043, 0.056428, 0.282138},
    {3, 0.2, 0.1, 15, 0.613580, 0.085006, 0.850058},
    {8, 1, 0, 10, 0.409180, 0, 0.204590},
};

static void check_published(erlang_fn f)
{
    for (size_t i = 0; i < sizeof published / sizeof published[0]; i++) {
        const published_row *p = &published[i];
        kn_erlang r;
        compute_ok(f, p->lambda, p->mu, p->theta, p->n, &r);
        assert_close(r.p_wait, p->p_wait, 0, 5e-6, "p_wait");
        assert_close(r.p_abandon, p->p_abandon, 0, 5e-6, "p_abandon");
        assert_close(r.mean_wait, p->mean_wait, 0, 5e-6, "mean_wait");
    }
}

static void test_published_formulas(void **state)
{
    (void)state;
    check_published(kn_erlang_a);
}

static void test_published_birth_death(void **state)
{
    (void)state;
    check_published(kn_erlang_birth_death);
}

/* ---- high-precision references --------------------------------------------------------
 * Computed with mpmath at 60 significant digits from the textbook formulas
 * (A = x e^y y^-x gamma(x, y) with mpmath.gammainc, Erlang-B by recursion), and for
 * theta = 0 with exact rational arithmetic. */

static const published_row reference[] = {
    {10, 1, 0.5, 10, 0.61965523088407751851, 0.10391321232630818124, 0.20782642465261636248},
    {50, 1, 0.2, 48, 0.84104256320777624667, 0.056427663494422845727, 0.28213831747211421297},
    {3, 0.2, 0.1, 15, 0.61358003196960377314, 0.085005796284626429759, 0.8500579628462642504},
    {480, 1, 0.01, 500, 0.26424051505737905995, 0.00012906405851151994857,
     0.012906405851151994589},
    {480, 1, 1e-4, 500, 0.26648906973804211669, 1.3321190977028297831e-6,
     0.013321190977028297193},
    {20, 1, 0.05, 15, 0.99999994728083765161, 0.25000000629455472152, 5.0000001258910941528},
    {0.5, 1, 2, 3, 0.014000665164064108087, 0.0058427768593668358674,
     0.0029213884296834179337},
    {8, 1, 0, 10, 0.40918015079644354, 0, 0.20459007539822177},
    {480, 1, 0, 500, 0.26651251996236414, 0, 0.013325625998118207},
    {3, 0.2, 0, 16, 0.7300759610864087, 0, 3.6503798054320433},
};

static void test_high_precision_references(void **state)
{
    (void)state;
    for (int m = 0; m < 2; m++) {
        for (size_t i = 0; i < sizeof reference / sizeof reference[0]; i++) {
            const published_row *p = &reference[i];
            kn_erlang r;
            compute_ok(methods[m], p->lambda, p->mu, p->theta, p->n, &r);
            assert_close(r.p_wait, p->p_wait, 1e-12, 0, method_names[m]);
            assert_close(r.p_abandon, p->p_abandon, 1e-11, 0, method_names[m]);
            assert_close(r.mean_wait, p->mean_wait, 1e-11, 0, method_names[m]);
        }
    }
}

/* ---- Erlang-B ----------------------------------------------------------------------------- */

static void test_erlang_b_known_values(void **state)
{
    (void)state;
    /* Exact rational arithmetic: (a^n/n!) / sum_k a^k/k!. */
    assert_close(kn_erlang_b(10, 10), 0.21458234310734733, 1e-14, 0, "B(10,10)");
    assert_close(kn_erlang_b(2, 2), 0.4, 1e-15, 0, "B(2,2)");
    assert_close(kn_erlang_b(0.5, 5), 0.000157952930026852, 1e-13, 0, "B(0.5,5)");
    assert_close(kn_erlang_b(100, 120), 0.005690054606869933, 1e-12, 0, "B(100,120)");
    assert_close(kn_erlang_b(1, 1), 0.5, 1e-15, 0, "B(1,1)");
    assert_true(kn_erlang_b(7.5, 0) == 1.0); /* no server: everyone blocked */
    assert_true(kn_erlang_b(0, 3) == 0.0);   /* no load: nobody blocked */
}

static void test_erlang_b_invalid_is_nan(void **state)
{
    (void)state;
    assert_true(isnan(kn_erlang_b(-1, 3)));
    assert_true(isnan(kn_erlang_b(NAN, 3)));
    assert_true(isnan(kn_erlang_b(INFINITY, 3)));
    assert_true(isnan(kn_erlang_b(2, -1)));
}

/* Erlang-C from Erlang-B: C = E / (1 - rho (1 - E)), computed here by hand. */
static void test_erlang_c_from_erlang_b(void **state)
{
    (void)state;
    const double lambdas[] = {0.3, 2, 7.9, 45};
    const int ns[] = {1, 3, 8, 10, 50, 60};
    int checked = 0;
    for (size_t i = 0; i < sizeof lambdas / sizeof lambdas[0]; i++) {
        for (size_t j = 0; j < sizeof ns / sizeof ns[0]; j++) {
            double lambda = lambdas[i], mu = 1.0;
            int n = ns[j];
            if (!(lambda < n * mu))
                continue;
            double e = kn_erlang_b(lambda / mu, n), rho = lambda / (n * mu);
            double c = e / (1 - rho * (1 - e));
            for (int m = 0; m < 2; m++) {
                kn_erlang r;
                compute_ok(methods[m], lambda, mu, 0, n, &r);
                assert_close(r.p_wait, c, 1e-12, 1e-300, "Erlang-C p_wait");
                assert_close(r.mean_wait, c / (n * mu - lambda), 1e-12, 1e-300,
                             "Erlang-C mean_wait");
                assert_true(r.p_abandon == 0.0);
                assert_close(r.utilization, rho, 1e-12, 0, "Erlang-C utilization");
                checked++;
            }
        }
    }
    assert_true(checked >= 30);
}

/* ---- formulas vs birth-death ------------------------------------------------------------ */

static int compare_methods(double lambda, double mu, double theta, int n)
{
    kn_erlang f, b;
    compute_ok(kn_erlang_a, lambda, mu, theta, n, &f);
    compute_ok(kn_erlang_birth_death, lambda, mu, theta, n, &b);
    /* Relative 1e-9; the absolute floor only covers results that underflow below
     * 1e-250 (both methods then return ~0). */
    const double rel = 1e-9, floor_abs = 1e-250;
    const struct {
        const char *name;
        double x, y;
    } fields[] = {
        {"p_wait", f.p_wait, b.p_wait},
        {"p_abandon", f.p_abandon, b.p_abandon},
        {"mean_wait", f.mean_wait, b.mean_wait},
        {"mean_queue", f.mean_queue, b.mean_queue},
        {"utilization", f.utilization, b.utilization},
        {"served_rate", f.served_rate, b.served_rate},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (!close_enough(fields[i].x, fields[i].y, rel, floor_abs)) {
            print_error("lambda=%g mu=%g theta=%g n=%d: %s formulas %.17g vs birth-death "
                        "%.17g\n",
                        lambda, mu, theta, n, fields[i].name, fields[i].x, fields[i].y);
            fail();
        }
    }
    return 1;
}

static const double grid_lambda[] = {0.5, 3, 9.5, 20, 60};
static const double grid_mu[] = {0.2, 1, 2.5};
static const double grid_theta[] = {0, 0.01, 0.1, 0.5, 2, 10};
static const int grid_n[] = {1, 2, 3, 5, 10, 20, 50, 100, 200};

#define FOR_GRID(body)                                                                   \
    for (size_t il = 0; il < sizeof grid_lambda / sizeof grid_lambda[0]; il++)           \
        for (size_t im = 0; im < sizeof grid_mu / sizeof grid_mu[0]; im++)               \
            for (size_t it = 0; it < sizeof grid_theta / sizeof grid_theta[0]; it++)     \
                for (size_t in = 0; in < sizeof grid_n / sizeof grid_n[0]; in++) {       \
                    double lambda = grid_lambda[il], mu = grid_mu[im];                   \
                    double theta = grid_theta[it];                                       \
                    int n = grid_n[in];                                                  \
                    if (theta == 0 && !(lambda < n * mu))                                \
                        continue;                                                        \
                    body                                                                 \
                }

static void test_formulas_match_birth_death_grid(void **state)
{
    (void)state;
    int cases = 0;
    FOR_GRID({ cases += compare_methods(lambda, mu, theta, n); })
    assert_true(cases > 700);
}

static void test_formulas_match_birth_death_large_n(void **state)
{
    (void)state;
    const double thetas[] = {0, 1e-4, 0.01, 0.1, 1, 5};
    for (size_t i = 0; i < sizeof thetas / sizeof thetas[0]; i++) {
        compare_methods(480, 1, thetas[i], 500);
        compare_methods(520, 1, thetas[i] > 0 ? thetas[i] : 1e-3, 500); /* overloaded */
        compare_methods(494.5, 0.99, thetas[i], 500); /* rho = 0.999 */
    }
}

/* ---- the textbook formula with GSL's incomplete gamma ------------------------------------
 * Independent of models/erlang.c's series: log A = y - x log y + lnGamma(x+1) + log P(x,y)
 * and P(abandon | wait) = 1/(rho A) + 1 - 1/rho, exactly as written in the literature.
 * Only moderate cases, where that form's cancellation costs a few digits at most. */

static double textbook_log_a(double x, double y)
{
    gsl_sf_result p, lg;
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    int s1 = gsl_sf_gamma_inc_P_e(x, y, &p);
    int s2 = gsl_sf_lngamma_e(x + 1, &lg);
    gsl_set_error_handler(old);
    assert_int_equal(s1, GSL_SUCCESS);
    assert_int_equal(s2, GSL_SUCCESS);
    assert_true(p.val > 0);
    return y - x * log(y) + lg.val + log(p.val);
}

static void test_formulas_match_textbook_gsl(void **state)
{
    (void)state;
    const double lambdas[] = {1, 4, 9.5, 15};
    const double thetas[] = {0.1, 0.5, 1, 3};
    const int ns[] = {1, 2, 5, 10, 12, 20};
    int checked = 0;
    for (size_t i = 0; i < sizeof lambdas / sizeof lambdas[0]; i++)
        for (size_t j = 0; j < sizeof thetas / sizeof thetas[0]; j++)
            for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
                double lambda = lambdas[i], mu = 1, theta = thetas[j];
                int n = ns[k];
                double x = n * mu / theta, y = lambda / theta, rho = y / x;
                double log_a = textbook_log_a(x, y);
                if (log_a > 700)
                    continue;
                double a = exp(log_a), e = kn_erlang_b(lambda / mu, n);
                double p_wait = a * e / (1 + (a - 1) * e);
                double p_ab = p_wait * (1 / (rho * a) + 1 - 1 / rho);
                kn_erlang r;
                compute_ok(kn_erlang_a, lambda, mu, theta, n, &r);
                assert_close(r.p_wait, p_wait, 1e-11, 0, "textbook p_wait");
                assert_close(r.p_abandon, p_ab, 1e-9, 0, "textbook p_abandon");
                checked++;
            }
    assert_true(checked >= 90);
}

/* ---- invariants ---------------------------------------------------------------------------- */

static void check_invariants(const kn_erlang *r, double lambda, double mu, double theta, int n)
{
    assert_true(r->p_wait >= 0 && r->p_wait <= 1);
    assert_true(r->p_abandon >= 0);
    assert_true(r->p_abandon <= r->p_wait);
    assert_true(r->utilization > 0 && r->utilization <= 1);
    assert_true(r->mean_wait >= 0 && isfinite(r->mean_wait));
    /* Little: mean queue = lambda * mean wait. */
    assert_close(r->mean_queue, lambda * r->mean_wait, 1e-12, 1e-300, "Little");
    /* Flow balance: served = lambda (1 - P(abandon)) = mu * busy servers. */
    assert_close(r->served_rate, lambda * (1 - r->p_abandon), 0, 1e-12 * lambda,
                 "served_rate");
    assert_close(r->served_rate, mu * n * r->utilization, 1e-9, 0, "flow balance");
    if (theta == 0) {
        assert_true(r->p_abandon == 0);
    } else {
        /* Abandonment flow: theta * E[queue] = lambda * P(abandon). */
        assert_close(theta * r->mean_queue, lambda * r->p_abandon, 1e-12, 1e-300,
                     "abandon flow");
        /* Nobody abandons before waiting: P(abandon | wait) < 1. */
        assert_true(r->p_abandon < r->p_wait || r->p_wait == 0);
    }
    if (lambda < n * mu)
        assert_true(r->utilization < 1);
}

static void test_invariants_grid(void **state)
{
    (void)state;
    int cases = 0;
    for (int m = 0; m < 2; m++) {
        FOR_GRID({
            kn_erlang r;
            compute_ok(methods[m], lambda, mu, theta, n, &r);
            check_invariants(&r, lambda, mu, theta, n);
            cases++;
        })
    }
    assert_true(cases > 1400);
}

/* More servers: less waiting and less abandonment. */
static void test_monotone_in_servers(void **state)
{
    (void)state;
    const double thetas[] = {0, 0.05, 1};
    for (int m = 0; m < 2; m++)
        for (size_t t = 0; t < sizeof thetas / sizeof thetas[0]; t++) {
            double prev_wait = 2, prev_ab = 2, prev_w = INFINITY;
            for (int n = 13; n <= 40; n++) {
                kn_erlang r;
                compute_ok(methods[m], 12, 1, thetas[t], n, &r);
                assert_true(r.p_wait < prev_wait);
                assert_true(r.mean_wait < prev_w);
                assert_true(r.p_abandon <= prev_ab);
                prev_wait = r.p_wait;
                prev_ab = r.p_abandon;
                prev_w = r.mean_wait;
            }
        }
}

/* As theta -> 0 Erlang-A tends to Erlang-C; patience only shortens queues. */
static void test_small_theta_tends_to_erlang_c(void **state)
{
    (void)state;
    kn_erlang c, a;
    compute_ok(kn_erlang_a, 480, 1, 0, 500, &c);
    compute_ok(kn_erlang_a, 480, 1, 1e-6, 500, &a);
    assert_true(a.p_wait < c.p_wait);
    assert_true(a.mean_wait < c.mean_wait);
    assert_close(a.p_wait, c.p_wait, 1e-5, 0, "p_wait theta->0");
    assert_close(a.mean_wait, c.mean_wait, 1e-5, 0, "mean_wait theta->0");
    assert_true(a.p_abandon > 0 && a.p_abandon < 1e-7);
}

/* Heavily overloaded with very patient customers: almost everyone waits and the fluid
 * limit P(abandon) -> 1 - n mu / lambda holds; utilisation stays at most 1. The chain
 * would need ~1e11 states and must refuse, while the formulas stay cheap. */
static void test_overloaded_tiny_theta(void **state)
{
    (void)state;
    kn_erlang r;
    compute_ok(kn_erlang_a, 100, 1, 1e-9, 1, &r);
    assert_close(r.p_wait, 1, 1e-12, 0, "p_wait");
    assert_close(r.p_abandon, 0.99, 1e-6, 0, "fluid p_abandon");
    assert_close(r.served_rate, 1, 1e-6, 0, "served_rate = n mu");
    assert_true(r.utilization <= 1 && r.utilization > 1 - 1e-9);

    kn_error err = {0};
    kn_erlang untouched = {-1, -1, -1, -1, -1, -1};
    assert_int_equal(kn_erlang_birth_death(100, 1, 1e-9, 1, &untouched, &err), KN_EINVAL);
    assert_int_equal(err.code, KN_EINVAL);
    assert_non_null(strstr(err.msg, "states"));
    assert_true(untouched.p_wait == -1); /* out not written on failure */
}

/* ---- error paths ------------------------------------------------------------------------------ */

static void expect_einval(erlang_fn f, double lambda, double mu, double theta, int n,
                          const char *needle)
{
    kn_error err = {0};
    kn_erlang out = {-1, -1, -1, -1, -1, -1};
    kn_status st = f(lambda, mu, theta, n, &out, &err);
    assert_int_equal(st, KN_EINVAL);
    assert_int_equal(err.code, KN_EINVAL);
    assert_true(strlen(err.msg) > 0);
    if (!strstr(err.msg, needle)) {
        print_error("message '%s' does not mention '%s'\n", err.msg, needle);
        fail();
    }
    assert_true(out.p_wait == -1 && out.mean_wait == -1); /* untouched */
    /* A NULL error record is allowed and the status is still returned. */
    assert_int_equal(f(lambda, mu, theta, n, &out, NULL), KN_EINVAL);
}

static void test_error_paths(void **state)
{
    (void)state;
    for (int m = 0; m < 2; m++) {
        erlang_fn f = methods[m];
        expect_einval(f, 10, -1, 0.5, 10, "mu must be > 0");
        expect_einval(f, 10, -1, 0.5, 10, "-1");
        expect_einval(f, 10, 0, 0.5, 10, "mu");
        expect_einval(f, 10, NAN, 0.5, 10, "mu");
        expect_einval(f, 0, 1, 0.5, 10, "lambda");
        expect_einval(f, -3, 1, 0.5, 10, "lambda");
        expect_einval(f, INFINITY, 1, 0.5, 10, "lambda");
        expect_einval(f, NAN, 1, 0.5, 10, "lambda");
        expect_einval(f, 10, 1, -0.1, 10, "theta");
        expect_einval(f, 10, 1, INFINITY, 10, "theta");
        expect_einval(f, 10, 1, NAN, 10, "theta");
        expect_einval(f, 10, 1, 0.5, 0, "n must be >= 1");
        expect_einval(f, 10, 1, 0.5, -4, "n");
        /* Erlang-C without a steady state, including the boundary lambda == n mu. */
        expect_einval(f, 10, 1, 0, 10, "lambda < n*mu");
        expect_einval(f, 12, 1, 0, 10, "lambda < n*mu");
        expect_einval(f, 3, 0.2, 0, 15, "lambda < n*mu");

        kn_error err = {0};
        assert_int_equal(f(10, 1, 0.5, 10, NULL, &err), KN_EINVAL);
        assert_non_null(strstr(err.msg, "out"));
    }
}

/* The same case with theta > 0 is fine when lambda >= n mu (abandonment stabilises). */
static void test_overload_with_abandonment_is_valid(void **state)
{
    (void)state;
    for (int m = 0; m < 2; m++) {
        kn_erlang r;
        compute_ok(methods[m], 12, 1, 0.5, 10, &r);
        check_invariants(&r, 12, 1, 0.5, 10);
        assert_true(r.p_abandon > 2.0 / 12.0 - 1e-12); /* at least the excess load */
        assert_true(r.utilization < 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_published_formulas),
        cmocka_unit_test(test_published_birth_death),
        cmocka_unit_test(test_high_precision_references),
        cmocka_unit_test(test_erlang_b_known_values),
        cmocka_unit_test(test_erlang_b_invalid_is_nan),
        cmocka_unit_test(test_erlang_c_from_erlang_b),
        cmocka_unit_test(test_formulas_match_birth_death_grid),
        cmocka_unit_test(test_formulas_match_birth_death_large_n),
        cmocka_unit_test(test_formulas_match_textbook_gsl),
        cmocka_unit_test(test_invariants_grid),
        cmocka_unit_test(test_monotone_in_servers),
        cmocka_unit_test(test_small_theta_tends_to_erlang_c),
        cmocka_unit_test(test_overloaded_tiny_theta),
        cmocka_unit_test(test_error_paths),
        cmocka_unit_test(test_overload_with_abandonment_is_valid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
