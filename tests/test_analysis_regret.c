/* test_analysis_regret.c - win shares, regret and minimax regret on a hand-computed 3 x 3
 * table, a failed world, the "lower is better" mirror, and Wilson intervals against the
 * published values of Newcombe (1998, Statistics in Medicine 17, Table I, method 3). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>
#include "regret.h"

/* Worlds x policies (higher is better), with a failed fourth world:
 *   w0: 10   8    6    best 10 (p0)        regret 0   2    4
 *   w1:  5   9    9    best 9 (p1 and p2)  regret 4   0    0     (p1, p2 win half each)
 *   w2:  7   7.5  8    best 8 (p2)         regret 1   0.5  0
 *   w3: NaN  1    2    failed: left out
 * Win shares 1/3, 1/6, 1/2; mean regret 5/3, 5/6, 4/3; max regret 4, 2, 4. The minimax-
 * regret policy is p1, which wins the fewest worlds but never loses more than 2. */
static const double table[4 * 3] = {10, 8, 6, 5, 9, 9, 7, 7.5, 8, NAN, 1, 2};

static void check_table(const kn_regret *o, size_t minimax, size_t failed)
{
    const double share[3] = {1.0 / 3, 1.0 / 6, 0.5}, mean[3] = {5.0 / 3, 5.0 / 6, 4.0 / 3},
                 max[3] = {4, 2, 4};
    for (size_t q = 0; q < 3; q++) {
        assert_true(fabs(o[q].win_share - share[q]) < 1e-15);
        assert_true(fabs(o[q].mean_regret - mean[q]) < 1e-15);
        assert_true(o[q].max_regret == max[q]);
        double lo, hi;
        kn_wilson(share[q] * 3, 3, KN_Z95, &lo, &hi);
        assert_true(o[q].win_lo == lo && o[q].win_hi == hi);
        assert_true(lo <= o[q].win_share && o[q].win_share <= hi);
    }
    assert_int_equal(minimax, 1);
    assert_int_equal(failed, 1);
}

static void test_hand_computed(void **state)
{
    (void)state;
    kn_regret o[3];
    size_t mm, failed;
    assert_int_equal(kn_regret_table(table, 4, 3, 3, 1, o, &mm, &failed, NULL), KN_OK);
    check_table(o, mm, failed);
    /* lower is better: the negated table gives the same answers */
    double neg[4 * 3];
    for (size_t i = 0; i < 12; i++)
        neg[i] = -table[i];
    assert_int_equal(kn_regret_table(neg, 4, 3, 3, 0, o, &mm, &failed, NULL), KN_OK);
    check_table(o, mm, failed);
}

/* Ties in max regret go to the smaller mean regret, then to the lower index. A stride
 * longer than a row is honoured (the 99s are not read).
 *   w0: 0 1 -> regrets 1 0;  w1: 1 0 -> 0 1;  w2: 1 1 -> 0 0 (a tie: half a win each)
 * max 1 and 1, mean 1/3 and 1/3: p0 (lower index); win shares 1.5/3 each. Then w2 becomes
 * 0.5 1: p0's regrets are 1 0 0.5 (max 1, mean 1/2), p1's 0 1 0 (max 1, mean 1/3): p1. */
static void test_minimax_ties_and_stride(void **state)
{
    (void)state;
    double v[3 * 4] = {0, 1, 99, 99, 1, 0, 99, 99, 1, 1, 99, 99};
    kn_regret o[2];
    size_t mm;
    assert_int_equal(kn_regret_table(v, 3, 2, 4, 1, o, &mm, NULL, NULL), KN_OK);
    assert_true(o[0].max_regret == 1 && o[1].max_regret == 1);
    assert_true(o[0].mean_regret == o[1].mean_regret);
    assert_true(o[0].win_share == 0.5 && o[1].win_share == 0.5);
    assert_int_equal(mm, 0);
    v[2 * 4] = 0.5;
    assert_int_equal(kn_regret_table(v, 3, 2, 4, 1, o, &mm, NULL, NULL), KN_OK);
    assert_true(o[0].max_regret == 1 && o[1].max_regret == 1);
    assert_true(fabs(o[0].mean_regret - 0.5) < 1e-15 && fabs(o[1].mean_regret - 1.0 / 3) < 1e-15);
    assert_int_equal(mm, 1);
}

/* Newcombe (1998), Table I, Wilson score interval without continuity correction. */
static void test_wilson(void **state)
{
    (void)state;
    const double cases[][4] = {{81, 263, 0.2553, 0.3662}, {15, 148, 0.0624, 0.1605},
                               {0, 20, 0.0000, 0.1611},   {1, 29, 0.0061, 0.1718}};
    for (size_t i = 0; i < 4; i++) {
        double lo, hi;
        kn_wilson(cases[i][0], cases[i][1], KN_Z95, &lo, &hi);
        assert_true(fabs(lo - cases[i][2]) < 5e-5 && fabs(hi - cases[i][3]) < 5e-5);
    }
    double lo, hi; /* 8 of 10: 0.4902 .. 0.9433 */
    kn_wilson(8, 10, KN_Z95, &lo, &hi);
    assert_true(fabs(lo - 0.4902) < 5e-5 && fabs(hi - 0.9433) < 5e-5);
}

static void test_errors(void **state)
{
    (void)state;
    double v[2 * 2] = {NAN, 1, 2, NAN};
    kn_regret o[2];
    size_t mm, failed = 0;
    kn_error err = {0};
    assert_int_equal(kn_regret_table(v, 2, 2, 2, 1, o, &mm, &failed, &err), KN_EINVAL);
    assert_non_null(strstr(err.msg, "no world without a failed policy"));
    assert_int_equal(failed, 2);
    v[0] = INFINITY;
    v[3] = 1;
    assert_int_equal(kn_regret_table(v, 2, 2, 2, 1, o, &mm, NULL, &err), KN_EINVAL);
    assert_non_null(strstr(err.msg, "infinite"));
    assert_int_equal(kn_regret_table(v, 2, 2, 1, 1, o, &mm, NULL, &err), KN_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_computed),
        cmocka_unit_test(test_minimax_ties_and_stride),
        cmocka_unit_test(test_wilson),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
