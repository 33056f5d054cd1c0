/* test_analysis_selection.c - subset selection (Nelson et al. 2001) and Holm's pairwise
 * tests against hand-computed values, plus a Monte Carlo check of the selection guarantee
 * P(best in subset) >= 1 - alpha. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>
#include "selection.h"
#include "koning/rng.h"

/* k systems x n replications: x[i][r] = mean[i] + common[r] (shared, the common random
 * numbers) + own noise, both N(0, sd). */
static void systems(kn_rng *r, const double *mean, size_t k, size_t n, double sd, double *x)
{
    for (size_t rep = 0; rep < n; rep++) {
        double common = sd * kn_rng_normal(r);
        for (size_t i = 0; i < k; i++)
            x[i * n + rep] = mean[i] + common + sd * kn_rng_normal(r);
    }
}

static void test_clear_best(void **state)
{
    (void)state;
    double mean[4] = {0.0, 1.0, 6.0, 2.0}, x[4 * 20];
    kn_rng r;
    kn_rng_init(&r, 1, 0, 0, 0);
    systems(&r, mean, 4, 20, 1.0, x);
    int keep[4];
    size_t nk;
    assert_int_equal(kn_subset_select(x, 4, 20, 20, 0.05, 1, keep, &nk, NULL), KN_OK);
    assert_int_equal(nk, 1);
    assert_true(keep[2] == 1 && keep[0] == 0 && keep[1] == 0 && keep[3] == 0);
    /* lower is better: the mirror image keeps system 0 */
    assert_int_equal(kn_subset_select(x, 4, 20, 20, 0.05, 0, keep, &nk, NULL), KN_OK);
    assert_true(nk == 1 && keep[0] == 1);
}

/* A scenario and its identical copy: the paired differences are all 0 (S = 0, W = 0), and
 * 0 >= -0 keeps both; a clearly worse third system goes. */
static void test_identical_copy(void **state)
{
    (void)state;
    double x[3 * 10];
    kn_rng r;
    kn_rng_init(&r, 2, 0, 0, 0);
    for (size_t rep = 0; rep < 10; rep++) {
        x[rep] = 5.0 + kn_rng_normal(&r);
        x[10 + rep] = x[rep];
        x[20 + rep] = x[rep] - 3.0 + 0.1 * kn_rng_normal(&r);
    }
    int keep[3];
    size_t nk;
    assert_int_equal(kn_subset_select(x, 3, 10, 10, 0.05, 1, keep, &nk, NULL), KN_OK);
    assert_true(nk == 2 && keep[0] && keep[1] && !keep[2]);
    /* one system alone is kept */
    assert_int_equal(kn_subset_select(x, 1, 10, 10, 0.05, 1, keep, &nk, NULL), KN_OK);
    assert_true(nk == 1 && keep[0]);
}

/* Missing values: a NaN in one replication of one system drops that replication from its
 * pairs only. System 1 is best by 0.5 per replication, exactly (S = 0): with the NaN
 * skipped, system 0 still loses every comparison with it. */
static void test_nan_skipped(void **state)
{
    (void)state;
    double x[2 * 5] = {1, 2, 3, 4, 5, 1.5, 2.5, NAN, 4.5, 5.5};
    int keep[2];
    size_t nk;
    assert_int_equal(kn_subset_select(x, 2, 5, 5, 0.05, 1, keep, &nk, NULL), KN_OK);
    assert_true(nk == 1 && keep[1] && !keep[0]);
    kn_pair_test t;
    assert_int_equal(kn_holm_pairwise(x, 2, 5, 5, 0.05, &t, NULL), KN_OK);
    assert_int_equal(t.n, 4);
    assert_true(t.mean_diff == -0.5 && t.sd_diff == 0.0 && t.p == 0.0 && t.differ);
}

/* Monte Carlo: three systems 0.1 apart (the best first), sd 1 (common and own), n = 10,
 * alpha = 0.05, 2000 trials. The guarantee P(best kept) >= 0.95 is checked as p_hat >=
 * 0.95 - 3 se, se = sqrt(0.95 * 0.05 / 2000) = 0.0049 (a true 0.95 fails this with
 * probability 0.001; the procedure is conservative, so p_hat is usually above 0.95). */
static void test_guarantee_monte_carlo(void **state)
{
    (void)state;
    const size_t trials = 2000, n = 10;
    double mean[3] = {0.0, -0.1, -0.2}, x[3 * 10];
    kn_rng r;
    kn_rng_init(&r, 3, 0, 0, 0);
    size_t kept_best = 0, total_size = 0;
    for (size_t t = 0; t < trials; t++) {
        systems(&r, mean, 3, n, 1.0, x);
        int keep[3];
        size_t nk;
        assert_int_equal(kn_subset_select(x, 3, n, n, 0.05, 1, keep, &nk, NULL), KN_OK);
        kept_best += (size_t)keep[0];
        total_size += nk;
    }
    double p_hat = (double)kept_best / (double)trials;
    print_message("P(best in subset) = %.4f over %zu trials, mean subset size %.2f\n", p_hat,
                  trials, (double)total_size / (double)trials);
    assert_true(p_hat >= 0.95 - 3.0 * sqrt(0.95 * 0.05 / (double)trials));
}

/* Holm on a textbook list: p = 0.01, 0.04, 0.03, 0.005 (m = 4). Ascending: 0.005 x 4 =
 * 0.02; 0.01 x 3 = 0.03; 0.03 x 2 = 0.06; 0.04 x 1 = 0.04, raised to 0.06 by the running
 * maximum. So adjusted = 0.03, 0.06, 0.06, 0.02. Ties share a rank in order of index; the
 * adjusted values are capped at 1. */
static void test_holm_adjust(void **state)
{
    (void)state;
    double p[4] = {0.01, 0.04, 0.03, 0.005}, adj[4];
    assert_int_equal(kn_holm_adjust(p, 4, adj, NULL), KN_OK);
    double want[4] = {0.03, 0.06, 0.06, 0.02};
    for (size_t i = 0; i < 4; i++)
        assert_true(fabs(adj[i] - want[i]) < 1e-15);
    double q[3] = {0.02, 0.5, 0.02}; /* 0.02 x 3 = 0.06, 0.02 x 2 -> 0.06, 0.5 x 1 = 0.5 */
    assert_int_equal(kn_holm_adjust(q, 3, adj, NULL), KN_OK);
    assert_true(fabs(adj[0] - 0.06) < 1e-15 && fabs(adj[2] - 0.06) < 1e-15 && adj[1] == 0.5);
    double big[2] = {0.6, 0.7}; /* 1.2 -> 1, then max(1, 0.7) = 1 */
    assert_int_equal(kn_holm_adjust(big, 2, adj, NULL), KN_OK);
    assert_true(adj[0] == 1.0 && adj[1] == 1.0);
    kn_error err = {0};
    big[1] = 1.5;
    assert_int_equal(kn_holm_adjust(big, 2, adj, &err), KN_EINVAL);
    assert_non_null(strstr(err.msg, "not in [0, 1]"));
}

/* Pairwise paired t-tests on 3 systems x 3 replications (df = 2, where the t distribution
 * has the closed form p = 1 - |t| / sqrt(2 + t^2), two-sided):
 *   A = 1 2 3, B = 2 4 4, C = 6 5 8.
 *   A-B = -1 -2 -1: mean -4/3, sd sqrt(1/3), se 1/3, t = -4,   p = 1 - 4/sqrt(18)  = 0.0571910
 *   A-C = -5 -3 -5: mean -13/3, sd sqrt(4/3), se 2/3, t = -6.5, p = 1 - 6.5/sqrt(44.25) = 0.0228602
 *   B-C = -4 -1 -4: mean -3, sd sqrt(3), se 1, t = -3,        p = 1 - 3/sqrt(11)  = 0.0954660
 * Holm (m = 3): A-C 3 x 0.0228602 = 0.0685805; A-B 2 x 0.0571910 = 0.1143819; B-C 1 x
 * 0.0954660, raised to 0.1143819. At alpha = 0.10 only A-C differ (Bonferroni would give
 * B-C 0.2864). */
static void test_holm_pairwise(void **state)
{
    (void)state;
    double x[9] = {1, 2, 3, 2, 4, 4, 6, 5, 8};
    kn_pair_test t[3];
    assert_int_equal(kn_pair_count(3), 3);
    assert_int_equal(kn_holm_pairwise(x, 3, 3, 3, 0.10, t, NULL), KN_OK);
    double tv[3] = {-4.0, -6.5, -3.0};
    for (size_t q = 0; q < 3; q++) {
        double p = 1.0 - fabs(tv[q]) / sqrt(2.0 + tv[q] * tv[q]);
        assert_true(fabs(t[q].t - tv[q]) < 1e-12);
        assert_true(fabs(t[q].p - p) < 1e-10);
        assert_int_equal(t[q].n, 3);
    }
    assert_true(t[0].i == 0 && t[0].j == 1 && t[1].i == 0 && t[1].j == 2 && t[2].i == 1);
    assert_true(fabs(t[1].p_holm - 3.0 * (1.0 - 6.5 / sqrt(44.25))) < 1e-10);
    assert_true(fabs(t[0].p_holm - 2.0 * (1.0 - 4.0 / sqrt(18.0))) < 1e-10);
    assert_true(t[2].p_holm == t[0].p_holm);
    assert_true(fabs(t[0].p_holm - 0.1143819) < 1e-7 && fabs(t[1].p_holm - 0.0685805) < 1e-7);
    assert_true(t[1].differ && !t[0].differ && !t[2].differ);
}

static void test_errors(void **state)
{
    (void)state;
    double x[4] = {1, 2, 3, INFINITY};
    int keep[2];
    kn_pair_test t;
    kn_error err = {0};
    assert_int_equal(kn_subset_select(x, 2, 2, 2, 0.05, 1, keep, NULL, &err), KN_EINVAL);
    assert_non_null(strstr(err.msg, "infinite"));
    x[3] = 4;
    assert_int_equal(kn_subset_select(x, 2, 2, 2, 1.0, 1, keep, NULL, &err), KN_EINVAL);
    assert_non_null(strstr(err.msg, "alpha"));
    assert_int_equal(kn_holm_pairwise(x, 1, 2, 2, 0.05, &t, &err), KN_EINVAL);
    x[0] = NAN;
    assert_int_equal(kn_holm_pairwise(x, 2, 2, 2, 0.05, &t, &err), KN_EINVAL);
    assert_non_null(strstr(err.msg, "share 1 complete"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clear_best),
        cmocka_unit_test(test_identical_copy),
        cmocka_unit_test(test_nan_skipped),
        cmocka_unit_test(test_guarantee_monte_carlo),
        cmocka_unit_test(test_holm_adjust),
        cmocka_unit_test(test_holm_pairwise),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
