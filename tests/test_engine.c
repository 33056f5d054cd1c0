/* test_engine.c - the SimGrid engine through the runner: reproducibility whatever the
 * number of parallel jobs, agreement with Erlang-A, flow balance, and errors from a
 * child process reaching the caller with the replication named. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>
#include "koning/erlang.h"
#include "koning/runner.h"
#include "koning/stats.h"

static kn_scenario mmn(double lambda, double mu, double theta, int n, double days)
{
    kn_scenario sc;
    memset(&sc, 0, sizeof sc);
    strcpy(sc.name, "test");
    sc.run.days = days;
    sc.run.warmup_days = days / 10;
    sc.run.replications = 20;
    sc.run.seed = 11;
    sc.run.period_days = 7;
    sc.arrivals.per_hour = 60 * lambda;
    sc.service.kind = KN_DIST_EXPONENTIAL;
    sc.service.mean_minutes = 1 / mu;
    sc.patience.kind = theta > 0 ? KN_DIST_EXPONENTIAL : KN_DIST_NONE;
    sc.patience.mean_minutes = theta > 0 ? 1 / theta : 0;
    sc.staff.employees = n;
    return sc;
}

static void test_same_results_whatever_jobs(void **state)
{
    (void)state;
    kn_scenario sc = mmn(10, 1, 0.5, 10, 1.0);
    kn_rep_result a[5], b[5];
    assert_int_equal(kn_run_replications(&sc, 0, 0, 5, 1, a, NULL), KN_OK);
    assert_int_equal(kn_run_replications(&sc, 0, 0, 5, 3, b, NULL), KN_OK);
    for (int i = 0; i < 5; i++) {
        assert_true(a[i].replication == (uint64_t)i && b[i].replication == (uint64_t)i);
        assert_true(a[i].customers == b[i].customers);
        assert_memory_equal(a[i].values, b[i].values, sizeof a[i].values);
    }
    /* replications are different draws */
    assert_true(a[0].values[KN_M_MEAN_WAIT] != a[1].values[KN_M_MEAN_WAIT]);
    /* a subset started elsewhere gives the same numbers: replication 3 alone */
    kn_rep_result c;
    assert_int_equal(kn_run_replications(&sc, 0, 3, 1, 1, &c, NULL), KN_OK);
    assert_memory_equal(c.values, a[3].values, sizeof c.values);
    assert_memory_equal(c.series, a[3].series, sizeof(double) * KN_SERIES_COUNT * c.n_periods);
    kn_rep_result_clear(&c);
    for (int i = 0; i < 5; i++) {
        kn_rep_result_clear(&a[i]);
        kn_rep_result_clear(&b[i]);
    }
}

static void test_matches_erlang_a(void **state)
{
    (void)state;
    kn_scenario sc = mmn(10, 1, 0.5, 10, 4.0);
    kn_rep_result r[20];
    assert_int_equal(kn_run_replications(&sc, 0, 0, 20, 2, r, NULL), KN_OK);
    kn_erlang ex;
    assert_int_equal(kn_erlang_a(10, 1, 0.5, 10, &ex, NULL), KN_OK);
    struct { int m; double exact; } chk[] = {
        {KN_M_P_WAIT, ex.p_wait}, {KN_M_P_ABANDON, ex.p_abandon},
        {KN_M_MEAN_WAIT, ex.mean_wait}, {KN_M_UTILIZATION, ex.utilization},
        {KN_M_MEAN_QUEUE, ex.mean_queue}, {KN_M_SERVED_PER_HOUR, 60 * ex.served_rate},
    };
    for (size_t i = 0; i < sizeof chk / sizeof chk[0]; i++) {
        kn_summary s;
        assert_int_equal(kn_summarize(&r[0].values[chk[i].m], 20, sizeof r[0] / sizeof(double),
                                      0.99, &s, NULL), KN_OK);
        if (!(chk[i].exact >= s.ci_low && chk[i].exact <= s.ci_high))
            fail_msg("%s: exact %g outside 99%% CI [%g, %g]", kn_metric_describe(chk[i].m)->name,
                     chk[i].exact, s.ci_low, s.ci_high);
        assert_true(s.half_width < 0.05 * chk[i].exact);
    }
    for (int i = 0; i < 20; i++)
        kn_rep_result_clear(&r[i]);
}

static void test_flow_balance(void **state)
{
    (void)state;
    kn_scenario sc = mmn(8, 1, 0, 10, 2.0); /* Erlang-C: nobody abandons */
    kn_rep_result r[2];
    assert_int_equal(kn_run_replications(&sc, 0, 0, 2, 2, r, NULL), KN_OK);
    for (int i = 0; i < 2; i++) {
        assert_true(r[i].values[KN_M_P_ABANDON] == 0.0);
        double arr = r[i].values[KN_M_ARRIVALS_PER_HOUR], srv = r[i].values[KN_M_SERVED_PER_HOUR];
        assert_true(fabs(srv / arr - 1.0) < 0.01); /* only boundary effects */
        /* utilization = served rate x mean service / n */
        assert_true(fabs(r[i].values[KN_M_UTILIZATION] - srv / 60.0 / 10.0) < 0.01);
        assert_true(r[i].customers > 0);
        kn_rep_result_clear(&r[i]);
    }
}

static void test_time_series(void **state)
{
    (void)state;
    kn_scenario sc = mmn(10, 1, 0.5, 10, 10.0); /* 10 days, weekly periods: 2 periods */
    kn_rep_result r[2];
    assert_int_equal(kn_run_replications(&sc, 0, 0, 2, 2, r, NULL), KN_OK);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(r[i].n_periods, 2);
        assert_non_null(r[i].series);
        for (uint32_t k = 0; k < 2; k++) {
            double u = r[i].series[KN_S_UTILIZATION * 2 + k];
            double a = r[i].series[KN_S_ARRIVALS_PER_HOUR * 2 + k];
            double pw = r[i].series[KN_S_P_WAIT * 2 + k], pa = r[i].series[KN_S_P_ABANDON * 2 + k];
            assert_true(u > 0.8 && u < 1.0);
            assert_true(fabs(a / 600.0 - 1.0) < 0.02); /* 600 per hour, ~100k arrivals */
            assert_true(pa > 0 && pa < pw && pw < 1);
        }
        kn_rep_result_clear(&r[i]);
    }
}

static void test_child_error_names_replication(void **state)
{
    (void)state;
    kn_scenario sc = mmn(10, 1, 0.5, 10, 1.0);
    sc.staff.employees = 0; /* rejected inside the child */
    kn_rep_result r[3];
    kn_error err = {0};
    assert_int_equal(kn_run_replications(&sc, 0, 0, 3, 2, r, &err), KN_ESIM);
    assert_non_null(strstr(err.msg, "replication 0"));
    assert_non_null(strstr(err.msg, "staff.employees"));
}

static void test_runner_argument_errors(void **state)
{
    (void)state;
    kn_scenario sc = mmn(10, 1, 0.5, 10, 1.0);
    kn_rep_result r[1];
    kn_error err = {0};
    assert_int_equal(kn_run_replications(&sc, 0, 0, 0, 1, r, &err), KN_EINVAL);
    assert_int_equal(kn_run_replications(&sc, 0, 0, 1, 0, r, &err), KN_EINVAL);
    assert_non_null(strstr(err.msg, "jobs"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_results_whatever_jobs),
        cmocka_unit_test(test_matches_erlang_a),
        cmocka_unit_test(test_flow_balance),
        cmocka_unit_test(test_time_series),
        cmocka_unit_test(test_child_error_names_replication),
        cmocka_unit_test(test_runner_argument_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
