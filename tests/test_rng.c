/* test_rng.c - the random streams: published known answers of the generator,
 * reproducibility, independence of streams, range and moments of the variates. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <Random123/philox.h>
#include "koning/rng.h"

/* Known-answer vector of Philox4x64-10 published with Random123 (kat_vectors):
 * counter 0, key 0. */
static void test_philox_known_answer(void **state)
{
    (void)state;
    philox4x64_ctr_t c = {{0, 0, 0, 0}};
    philox4x64_key_t k = {{0, 0}};
    philox4x64_ctr_t r = philox4x64(c, k);
    assert_true(r.v[0] == 0x16554d9eca36314cULL);
    assert_true(r.v[1] == 0xdb20fe9d672d0fdcULL);
    assert_true(r.v[2] == 0xd7e772cee186176bULL);
    assert_true(r.v[3] == 0x7e68b68aec7ba23bULL);
}

static void test_same_tuple_same_numbers(void **state)
{
    (void)state;
    kn_rng a, b;
    kn_rng_init(&a, 42, 3, 7, KN_SRC_SERVICE);
    kn_rng_init(&b, 42, 3, 7, KN_SRC_SERVICE);
    for (int i = 0; i < 1000; i++)
        assert_true(kn_rng_next(&a) == kn_rng_next(&b));
}

static void test_streams_differ(void **state)
{
    (void)state;
    /* Changing any element of (seed, scenario, replication, source) changes the stream. */
    uint64_t base[4] = {42, 3, 7, KN_SRC_SERVICE};
    kn_rng ref;
    kn_rng_init(&ref, base[0], base[1], base[2], base[3]);
    uint64_t first[8];
    for (int i = 0; i < 8; i++)
        first[i] = kn_rng_next(&ref);
    for (int which = 0; which < 4; which++) {
        uint64_t t[4] = {base[0], base[1], base[2], base[3]};
        t[which] += 1;
        kn_rng o;
        kn_rng_init(&o, t[0], t[1], t[2], t[3]);
        int same = 0;
        for (int i = 0; i < 8; i++)
            same += kn_rng_next(&o) == first[i];
        assert_int_equal(same, 0);
    }
}

static void test_stream_independent_of_other_draws(void **state)
{
    (void)state;
    /* Drawing from the arrivals stream does not move the service stream. */
    kn_rng arr, svc1, svc2;
    kn_rng_init(&arr, 1, 0, 0, KN_SRC_ARRIVALS);
    kn_rng_init(&svc1, 1, 0, 0, KN_SRC_SERVICE);
    kn_rng_init(&svc2, 1, 0, 0, KN_SRC_SERVICE);
    double a = kn_rng_uniform(&svc1);
    for (int i = 0; i < 100; i++)
        kn_rng_uniform(&arr);
    assert_true(a == kn_rng_uniform(&svc2));
}

static void test_uniform_range_and_moments(void **state)
{
    (void)state;
    kn_rng r;
    kn_rng_init(&r, 123, 0, 0, 0);
    const int n = 1000000;
    double sum = 0, sum2 = 0;
    for (int i = 0; i < n; i++) {
        double u = kn_rng_uniform(&r);
        assert_true(u > 0.0 && u < 1.0);
        sum += u;
        sum2 += u * u;
    }
    double mean = sum / n, var = sum2 / n - mean * mean;
    /* standard error of the mean: sqrt(1/12/n) ~ 2.9e-4; 6 s.e. */
    assert_true(fabs(mean - 0.5) < 6 * 2.9e-4);
    assert_true(fabs(var - 1.0 / 12.0) < 1e-3);
}

static void test_exponential_and_normal_moments(void **state)
{
    (void)state;
    kn_rng r;
    kn_rng_init(&r, 5, 1, 2, 3);
    const int n = 400000;
    double se = 0, sn = 0, sn2 = 0;
    for (int i = 0; i < n; i++) {
        double e = kn_rng_exponential(&r, 2.0);
        assert_true(e > 0.0 && isfinite(e));
        se += e;
        double z = kn_rng_normal(&r);
        sn += z;
        sn2 += z * z;
    }
    assert_true(fabs(se / n - 2.0) < 6 * 2.0 / sqrt(n));
    assert_true(fabs(sn / n) < 6 / sqrt(n));
    assert_true(fabs(sn2 / n - 1.0) < 6 * sqrt(2.0 / n));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_philox_known_answer),
        cmocka_unit_test(test_same_tuple_same_numbers),
        cmocka_unit_test(test_streams_differ),
        cmocka_unit_test(test_stream_independent_of_other_draws),
        cmocka_unit_test(test_uniform_range_and_moments),
        cmocka_unit_test(test_exponential_and_normal_moments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
