/* test_analysis_shapley.c - exact Shapley values on games whose values are known by hand
 * (additive plus interaction, a dummy lever, a symmetric game, the glove game), per
 * replication, and one-at-a-time effects with their interaction residual. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>
#include "shapley.h"
#include "koning/rng.h"
#include "koning/stats.h"

#define HAS(S, i) (((S) >> (i)) & 1u)

/* v(S) = 1 + 0.1 a + 0.7 b + 0.3 a b + 0 c (a, b, c: levers 0, 1, 2 switched). Shapley
 * gives each lever its own effect and half of each pairwise interaction: phi = 0.1 + 0.15
 * = 0.25, 0.7 + 0.15 = 0.85, and exactly 0 for lever 2, which changes nothing. The sum is
 * v(all) - v(none) = 1.1. */
static double game_ab(unsigned S)
{
    double a = HAS(S, 0), b = HAS(S, 1);
    return 1.0 + 0.1 * a + 0.7 * b + 0.3 * a * b;
}

static void test_additive_interaction_dummy(void **state)
{
    (void)state;
    double v[8], phi[3];
    for (unsigned S = 0; S < 8; S++)
        v[S] = game_ab(S);
    assert_int_equal(kn_shapley(v, 3, phi, NULL), KN_OK);
    assert_true(fabs(phi[0] - 0.25) < 1e-15 && fabs(phi[1] - 0.85) < 1e-15);
    assert_true(phi[2] == 0.0); /* exactly: every marginal contribution is exactly 0 */
    assert_true(fabs(phi[0] + phi[1] + phi[2] - (v[7] - v[0])) < 1e-15);
}

/* 16 levers, v(S) = sum of w_i over S plus a product term on levers 3 and 11, lever 7 a
 * dummy: efficiency (sum = total) to rounding, the dummy exactly 0, each additive lever
 * its weight, 3 and 11 half the interaction each. */
static void test_sixteen_levers(void **state)
{
    (void)state;
    static double v[1u << 16];
    double w[16], phi[16];
    for (size_t i = 0; i < 16; i++)
        w[i] = i == 7 ? 0.0 : 0.37 * (double)(i + 1) - 2.0;
    for (unsigned S = 0; S < (1u << 16); S++) {
        double s = 10.0;
        for (size_t i = 0; i < 16; i++)
            if (HAS(S, i) && i != 7)
                s += w[i];
        v[S] = s + 5.0 * HAS(S, 3) * HAS(S, 11);
    }
    assert_int_equal(kn_shapley(v, 16, phi, NULL), KN_OK);
    double sum = 0.0;
    for (size_t i = 0; i < 16; i++) {
        double want = w[i] + (i == 3 || i == 11 ? 2.5 : 0.0);
        assert_true(fabs(phi[i] - want) < 1e-10);
        sum += phi[i];
    }
    assert_true(phi[7] == 0.0);
    assert_true(fabs(sum - (v[(1u << 16) - 1] - v[0])) < 1e-10);
}

/* A symmetric game: v(S) = |S|^2 over 4 levers; each gets 16 / 4 = 4. */
static void test_symmetric(void **state)
{
    (void)state;
    double v[16], phi[4];
    for (unsigned S = 0; S < 16; S++) {
        unsigned c = HAS(S, 0) + HAS(S, 1) + HAS(S, 2) + HAS(S, 3);
        v[S] = (double)(c * c);
    }
    assert_int_equal(kn_shapley(v, 4, phi, NULL), KN_OK);
    for (size_t i = 0; i < 4; i++)
        assert_true(fabs(phi[i] - 4.0) < 1e-14);
}

/* The glove game (Shapley 1953; e.g. Osborne & Rubinstein 1994): lever 0 holds a left
 * glove, levers 1 and 2 right gloves; a coalition is worth 1 if it holds a pair. Lever 0
 * is pivotal in orders where it comes after at least one right glove: 4 of 6 orders, so
 * phi_0 = 2/3; levers 1 and 2 are pivotal only when they come right after 0 and before
 * the other right glove: 1 of 6 orders each, phi = 1/6. */
static void test_glove_game(void **state)
{
    (void)state;
    double v[8], phi[3];
    for (unsigned S = 0; S < 8; S++)
        v[S] = HAS(S, 0) && (HAS(S, 1) || HAS(S, 2)) ? 1.0 : 0.0;
    assert_int_equal(kn_shapley(v, 3, phi, NULL), KN_OK);
    assert_true(fabs(phi[0] - 2.0 / 3.0) < 1e-15);
    assert_true(fabs(phi[1] - 1.0 / 6.0) < 1e-15 && fabs(phi[2] - 1.0 / 6.0) < 1e-15);
}

/* Per replication: phi of each replication is the Shapley value of that replication's
 * game, and (Shapley values being linear in v) the mean of a row of phi is the Shapley
 * value of the mean game, so kn_summarize puts a paired interval on it. */
static void test_per_replication(void **state)
{
    (void)state;
    enum { R = 12, STRIDE = 13 };
    double v[8 * STRIDE], phi[3 * R], mean_v[8] = {0}, phi_mean[3], noise[4][R];
    kn_rng r;
    kn_rng_init(&r, 5, 0, 0, 0);
    for (unsigned ab = 0; ab < 4; ab++) /* noise by levers 0 and 1: lever 2 stays a dummy */
        for (size_t rep = 0; rep < R; rep++)
            noise[ab][rep] = 0.05 * kn_rng_normal(&r);
    for (unsigned S = 0; S < 8; S++) {
        for (size_t rep = 0; rep < R; rep++) {
            v[S * STRIDE + rep] = game_ab(S) + noise[S & 3u][rep];
            mean_v[S] += v[S * STRIDE + rep] / R;
        }
        v[S * STRIDE + R] = NAN; /* padding beyond the replications is not read */
    }
    assert_int_equal(kn_shapley_reps(v, 3, R, STRIDE, phi, NULL), KN_OK);
    assert_int_equal(kn_shapley(mean_v, 3, phi_mean, NULL), KN_OK);
    for (size_t rep = 0; rep < R; rep++) {
        double one[8], p1[3];
        for (unsigned S = 0; S < 8; S++)
            one[S] = v[S * STRIDE + rep];
        assert_int_equal(kn_shapley(one, 3, p1, NULL), KN_OK);
        for (size_t i = 0; i < 3; i++)
            assert_true(p1[i] == phi[i * R + rep]);
        assert_true(phi[2 * R + rep] == 0.0); /* the dummy, replication by replication */
    }
    for (size_t i = 0; i < 3; i++) {
        kn_summary s;
        assert_int_equal(kn_summarize(phi + i * R, R, 1, 0.95, &s, NULL), KN_OK);
        assert_true(fabs(s.mean - phi_mean[i]) < 1e-14);
        assert_true(i == 2 ? s.half_width == 0.0 : s.half_width > 0.0);
    }
}

/* One-at-a-time on v = 1 + 2a + 3b + 4ab + 6abc (levers a, b, c):
 *   forward  (add to none): a 2, b 3, c 0
 *   backward (drop from all): a 2 + 4 + 6 = 12, b 3 + 4 + 6 = 13, c 6
 *   average: 7, 8, 3 -> sum 18 against a total of 15: residual -3 (the three-way term is
 *   counted three times by the backward effects). Shapley: 2 + 2 + 2 = 6, 3 + 2 + 2 = 7,
 *   2. Without the abc term the residual is 0 (pairwise terms split equally). */
static void test_one_at_a_time(void **state)
{
    (void)state;
    double add[3] = {3, 4, 1}, drop[3] = {16 - 12, 16 - 13, 16 - 6};
    kn_oat o[3];
    double res;
    assert_int_equal(kn_oat_effects(1.0, 16.0, add, drop, 3, o, &res, NULL), KN_OK);
    assert_true(o[0].forward == 2 && o[1].forward == 3 && o[2].forward == 0);
    assert_true(o[0].backward == 12 && o[1].backward == 13 && o[2].backward == 6);
    assert_true(o[0].average == 7 && o[1].average == 8 && o[2].average == 3);
    assert_true(res == -3.0);
    double v[8], phi[3];
    for (unsigned S = 0; S < 8; S++) {
        double a = HAS(S, 0), b = HAS(S, 1), c = HAS(S, 2);
        v[S] = 1 + 2 * a + 3 * b + 4 * a * b + 6 * a * b * c;
    }
    assert_int_equal(kn_shapley(v, 3, phi, NULL), KN_OK);
    assert_true(fabs(phi[0] - 6) < 1e-14 && fabs(phi[1] - 7) < 1e-14 && fabs(phi[2] - 2) < 1e-14);
    /* two levers: the averages are the Shapley values and nothing is left over */
    double v2[4] = {1, 3, 4, 10}, p2[2], add2[2] = {3, 4}, drop2[2] = {4, 3};
    assert_int_equal(kn_shapley(v2, 2, p2, NULL), KN_OK);
    assert_int_equal(kn_oat_effects(1, 10, add2, drop2, 2, o, &res, NULL), KN_OK);
    assert_true(o[0].average == p2[0] && o[1].average == p2[1] && res == 0.0);
}

static void test_errors(void **state)
{
    (void)state;
    double v[2] = {0, 1}, phi[1];
    kn_oat o;
    kn_error err = {0};
    assert_int_equal(kn_shapley(v, 0, phi, &err), KN_EINVAL);
    assert_int_equal(kn_shapley(v, 17, phi, &err), KN_EINVAL);
    assert_non_null(strstr(err.msg, "1 to 16 levers"));
    assert_int_equal(kn_shapley_reps(v, 1, 2, 1, phi, &err), KN_EINVAL);
    assert_int_equal(kn_oat_effects(0, 1, v, v, 0, &o, NULL, &err), KN_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_additive_interaction_dummy),
        cmocka_unit_test(test_sixteen_levers),
        cmocka_unit_test(test_symmetric),
        cmocka_unit_test(test_glove_game),
        cmocka_unit_test(test_per_replication),
        cmocka_unit_test(test_one_at_a_time),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
