/* test_desk.c - the desk's rules without the kernel: lazy arrivals, FCFS take with
 * lazy abandonment, conservation of customers, hourly profiles, common random numbers.
 * A tiny harness stands in for the SimGrid actors: it lets the server that is free
 * earliest take the next customer, which is what the kernel's clock does. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>
#include "desk.h"
#include "koning/erlang.h"

static kn_scenario scenario(double per_hour, double service_min, double patience_min, int n,
                            double days)
{
    kn_scenario sc;
    memset(&sc, 0, sizeof sc);
    sc.run.days = days;
    sc.run.warmup_days = 0;
    sc.run.replications = 2;
    sc.run.seed = 7;
    sc.run.period_days = 7;
    sc.arrivals.per_hour = per_hour;
    sc.service.kind = KN_DIST_EXPONENTIAL;
    sc.service.mean_minutes = service_min;
    sc.patience.kind = patience_min > 0 ? KN_DIST_EXPONENTIAL : KN_DIST_NONE;
    sc.patience.mean_minutes = patience_min;
    sc.staff.employees = n;
    return sc;
}

/* Drive the desk like the engine: servers free at free[i]; the earliest takes next.
 * Returns the number of services. */
static uint64_t drive(kn_desk *d)
{
    double free_at[64];
    int active[64];
    kn_assignment cur[64];
    int n = d->servers;
    assert_true(n <= 64);
    for (int i = 0; i < n; i++) {
        free_at[i] = 0.0;
        active[i] = 1;
        cur[i].end = -1.0;
    }
    uint64_t services = 0;
    for (;;) {
        int k = -1;
        for (int i = 0; i < n; i++)
            if (active[i] && (k < 0 || free_at[i] < free_at[k]))
                k = i;
        if (k < 0)
            break;
        if (cur[k].end >= 0)
            kn_desk_complete(d, &cur[k]);
        int r = kn_desk_take(d, free_at[k], &cur[k]);
        assert_true(r >= 0);
        if (r == 0) {
            active[k] = 0;
            continue;
        }
        assert_true(cur[k].start >= cur[k].c.arrival);
        assert_true(cur[k].start >= free_at[k]);
        free_at[k] = cur[k].end;
        services++;
    }
    kn_desk_finish(d);
    return services;
}

static void test_nothing_lost(void **state)
{
    (void)state;
    kn_scenario sc = scenario(600, 1.0, 2.0, 10, 2.0);
    kn_desk d;
    assert_int_equal(kn_desk_init(&d, &sc, 0, 0, NULL), KN_OK);
    uint64_t services = drive(&d);
    /* every arrival (no warm-up here) is served or abandoned, exactly once */
    assert_true(d.n_arrivals > 0);
    assert_true(d.n_arrivals == d.n_served + d.n_abandoned);
    assert_true(services == d.n_served);
    assert_true(d.n_completed <= d.n_served);
    assert_true(d.n_abandoned > 0 && d.n_waited >= d.n_abandoned);
    assert_int_equal(d.q[0].count + d.q[1].count, 0); /* the queue is empty at the end */
    kn_desk_free(&d);
}

static void test_idle_server_claims_future_arrival(void **state)
{
    (void)state;
    kn_scenario sc = scenario(60, 1.0, 0, 1, 1.0);
    kn_desk d;
    assert_int_equal(kn_desk_init(&d, &sc, 0, 0, NULL), KN_OK);
    kn_assignment a;
    assert_int_equal(kn_desk_take(&d, 0.0, &a), 1);
    assert_true(a.c.arrival > 0.0);
    assert_true(a.start == a.c.arrival); /* idle server: no wait */
    assert_true(a.end == a.start + a.c.service);
    assert_true(d.n_waited == 0);
    kn_desk_free(&d);
}

static void test_lazy_abandonment(void **state)
{
    (void)state;
    /* One server busy for a very long time; patience is 1 minute deterministic:
     * everyone arriving meanwhile has left by the time the server is free. */
    kn_scenario sc = scenario(60, 1.0, 0, 1, 1.0);
    sc.patience.kind = KN_DIST_DETERMINISTIC;
    sc.patience.mean_minutes = 1.0;
    kn_desk d;
    assert_int_equal(kn_desk_init(&d, &sc, 0, 0, NULL), KN_OK);
    kn_assignment a;
    assert_int_equal(kn_desk_take(&d, 0.0, &a), 1);
    double first_arrival = a.c.arrival;
    /* the server comes back 100 minutes later */
    assert_int_equal(kn_desk_take(&d, first_arrival + 100.0, &a), 1);
    assert_true(a.c.arrival >= first_arrival + 99.0); /* only someone still patient */
    assert_true(a.start - a.c.arrival <= 1.0);
    assert_true(d.n_abandoned > 50);                   /* ~100 gave up */
    assert_true(fabs(d.sum_wait - (double)d.n_abandoned * 1.0 - (a.start - a.c.arrival)) < 1e-9);
    kn_desk_free(&d);
}

/* The queue-length integral is each customer's time in queue, clipped to the window:
 * one server, arrivals at rate 1/min from t = 0, nobody taken until t = 600. */
static void test_queue_integral(void **state)
{
    (void)state;
    kn_scenario sc = scenario(60, 1.0, 0, 1, 1.0);
    kn_desk d;
    assert_int_equal(kn_desk_init(&d, &sc, 0, 0, NULL), KN_OK);
    kn_assignment a;
    assert_int_equal(kn_desk_take(&d, 600.0, &a), 1); /* the first arrival, at 600 */
    double want = 600.0 - a.c.arrival;
    assert_true(fabs(d.queue_area - want) < 1e-9);
    double first = a.c.arrival;
    assert_int_equal(kn_desk_take(&d, 601.0, &a), 1); /* FCFS: the second arrival next */
    assert_true(a.c.arrival > first);
    want += 601.0 - a.c.arrival;
    assert_true(fabs(d.queue_area - want) < 1e-9);
    /* the run ends: everyone generated but not reached waits to the horizon (no
     * patience), those never generated never arrived */
    size_t left = d.q[0].count;
    double rest = 0.0;
    for (size_t i = 0; i < d.q[0].count; i++)
        rest += d.t_end - d.q[0].buf[(d.q[0].head + i) % d.q[0].cap].arrival;
    kn_desk_finish(&d);
    assert_true(left > 0 || rest == 0.0);
    assert_true(fabs(d.queue_area - want - rest) < 1e-6);
    kn_desk_free(&d);
}

/* Over a whole run the integral equals the sum of the waits when the window is the
 * whole horizon and everybody leaves the queue before it ends (Little's law holds
 * exactly, customer by customer). */
static void test_queue_integral_is_sum_of_waits(void **state)
{
    (void)state;
    kn_scenario sc = scenario(540, 1.0, 2.0, 10, 1.0);
    kn_desk d;
    assert_int_equal(kn_desk_init(&d, &sc, 0, 0, NULL), KN_OK);
    drive(&d);
    /* a customer arriving near the horizon may still wait past it: at most a few */
    assert_true(d.queue_area <= d.sum_wait + 1e-6);
    assert_true(d.sum_wait - d.queue_area < 30.0);
    double v[KN_METRIC_COUNT];
    kn_desk_results(&d, v);
    assert_true(fabs(v[KN_M_MEAN_QUEUE] - d.queue_area / 1440.0) < 1e-12);
    kn_desk_free(&d);
}

static void test_profile_zero_hours_get_no_arrivals(void **state)
{
    (void)state;
    kn_scenario sc = scenario(0, 1.0, 0, 5, 3.0);
    sc.arrivals.use_profile = 1;
    for (int h = 0; h < 24; h++)
        sc.arrivals.profile[h] = (h >= 8 && h < 18) ? 120.0 : 0.0; /* open 8-18 */
    kn_desk d;
    assert_int_equal(kn_desk_init(&d, &sc, 0, 0, NULL), KN_OK);
    kn_assignment a;
    uint64_t n = 0;
    double now = 0;
    while (kn_desk_take(&d, now, &a) == 1) {
        double hour = fmod(a.c.arrival / 60.0, 24.0);
        assert_true(hour >= 8.0 && hour < 18.0);
        now = a.c.arrival; /* a server that is always instantly free */
        n++;
    }
    /* 3 days x 10 hours x 120/h = 3600 expected; Poisson sd 60 */
    assert_true(n > 3600 - 300 && n < 3600 + 300);
    kn_desk_free(&d);
}

static void test_common_random_numbers(void **state)
{
    (void)state;
    /* Same seed, different staffing and patience: the same customers arrive with the
     * same service needs. */
    kn_scenario s1 = scenario(300, 1.5, 0, 4, 1.0), s2 = scenario(300, 1.5, 3.0, 9, 1.0);
    kn_desk a, b;
    assert_int_equal(kn_desk_init(&a, &s1, 0, 0, NULL), KN_OK);
    assert_int_equal(kn_desk_init(&b, &s2, 0, 0, NULL), KN_OK);
    kn_assignment x, y;
    int n = 0;
    /* a server that takes everyone at once sees the customers in arrival order */
    while (kn_desk_take(&a, 0.0, &x) == 1 && kn_desk_take(&b, 0.0, &y) == 1 && n < 200) {
        assert_true(x.c.arrival == y.c.arrival);
        assert_true(x.c.service == y.c.service);
        n++;
    }
    assert_int_equal(n, 200);
    kn_desk_free(&a);
    kn_desk_free(&b);
}

static void test_warmup_window(void **state)
{
    (void)state;
    kn_scenario sc = scenario(600, 1.0, 2.0, 10, 2.0);
    sc.run.warmup_days = 1.0;
    kn_desk d;
    assert_int_equal(kn_desk_init(&d, &sc, 0, 0, NULL), KN_OK);
    drive(&d);
    /* only the second day is counted: ~14400 arrivals, sd 120 */
    assert_true(d.n_arrivals > 14400 - 700 && d.n_arrivals < 14400 + 700);
    assert_true(d.n_arrivals == d.n_served + d.n_abandoned);
    double v[KN_METRIC_COUNT];
    kn_desk_results(&d, v);
    assert_true(v[KN_M_UTILIZATION] > 0.0 && v[KN_M_UTILIZATION] < 1.0);
    assert_true(fabs(v[KN_M_ARRIVALS_PER_HOUR] - (double)d.n_arrivals / 24.0) < 1e-9);
    kn_desk_free(&d);
}

/* The rules alone (no kernel) reproduce Erlang-A: 40 days, check within 4 % of exact. */
static void test_rules_match_erlang_a(void **state)
{
    (void)state;
    kn_scenario sc = scenario(600, 1.0, 2.0, 10, 40.0);
    sc.run.warmup_days = 1.0;
    kn_desk d;
    assert_int_equal(kn_desk_init(&d, &sc, 0, 0, NULL), KN_OK);
    drive(&d);
    double v[KN_METRIC_COUNT];
    kn_desk_results(&d, v);
    kn_erlang ex;
    assert_int_equal(kn_erlang_a(10.0, 1.0, 0.5, 10, &ex, NULL), KN_OK);
    assert_true(fabs(v[KN_M_P_WAIT] / ex.p_wait - 1.0) < 0.04);
    assert_true(fabs(v[KN_M_P_ABANDON] / ex.p_abandon - 1.0) < 0.04);
    assert_true(fabs(v[KN_M_MEAN_WAIT] / ex.mean_wait - 1.0) < 0.04);
    assert_true(fabs(v[KN_M_UTILIZATION] / ex.utilization - 1.0) < 0.01);
    /* Little: the time-average L against lambda W over the customers who arrived in
     * the window (not an identity: they differ by the waits that cross its edges) */
    assert_true(fabs(v[KN_M_MEAN_QUEUE] / (v[KN_M_ARRIVALS_PER_HOUR] / 60.0 * v[KN_M_MEAN_WAIT]) - 1.0) < 0.05);
    kn_desk_free(&d);
}

/* Scheduled customers are merged into the arrival order and draw nothing from the
 * arrival, service or patience streams: the fresh customers stay the same. */
static void test_scheduled_customers(void **state)
{
    (void)state;
    kn_scenario sc = scenario(60, 1.0, 0, 1, 1.0);
    kn_desk a, b;
    assert_int_equal(kn_desk_init(&a, &sc, 0, 0, NULL), KN_OK);
    assert_int_equal(kn_desk_init(&b, &sc, 0, 0, NULL), KN_OK);
    kn_customer extra = {.arrival = 30.5, .patience = INFINITY, .service = 7.0, .who = 42,
                         .attempt = 1};
    assert_int_equal(kn_desk_schedule(&b, &extra), 1);
    extra.arrival = 1e9; /* after the horizon: never arrives */
    assert_int_equal(kn_desk_schedule(&b, &extra), 0);
    kn_assignment x, y;
    int found = 0;
    for (int n = 0; n < 200;) {
        assert_int_equal(kn_desk_take(&b, 0.0, &y), 1);
        if (y.c.attempt == 1) { /* the scheduled one, in its place */
            assert_true(y.c.arrival == 30.5 && y.c.service == 7.0 && y.c.who == 42);
            found = 1;
            continue;
        }
        assert_int_equal(kn_desk_take(&a, 0.0, &x), 1);
        assert_true(x.c.arrival == y.c.arrival && x.c.service == y.c.service);
        assert_true(found == (y.c.arrival > 30.5));
        n++;
    }
    kn_desk_free(&a);
    kn_desk_free(&b);
}

/* Priority: a waiting customer of class 1 is served before every waiting customer of
 * class 0, whatever their arrival; within a class, first come first served. */
static int every_third_first(void *ctx, kn_customer *c)
{
    int *n = ctx;
    c->cls = (uint8_t)((*n)++ % 3 == 0);
    return 1;
}

static void test_priority_classes(void **state)
{
    (void)state;
    kn_scenario sc = scenario(60, 1.0, 0, 1, 1.0);
    kn_desk d;
    int n = 0;
    assert_int_equal(kn_desk_init(&d, &sc, 0, 0, NULL), KN_OK);
    d.on_arrive = every_third_first;
    d.hook_ctx = &n;
    /* at t = 600 about 600 customers wait: first all of class 1 in arrival order */
    kn_assignment a;
    double last = -1.0;
    int firsts = 0;
    for (;;) {
        assert_int_equal(kn_desk_take(&d, 600.0, &a), 1);
        if (a.c.cls == 0)
            break;
        assert_true(a.c.arrival > last && a.c.arrival <= 600.0);
        last = a.c.arrival;
        firsts++;
    }
    assert_true(firsts > 150 && firsts < 250); /* a third of ~600 */
    assert_true(a.c.arrival < last);           /* the oldest of class 0 waited longest */
    kn_desk_free(&d);
}

static void test_init_errors(void **state)
{
    (void)state;
    kn_desk d;
    kn_error err = {0};
    kn_scenario sc = scenario(600, 1.0, 2.0, 0, 1.0);
    assert_int_equal(kn_desk_init(&d, &sc, 0, 0, &err), KN_EINVAL);
    assert_non_null(strstr(err.msg, "staff.employees"));
    sc = scenario(600, -1.0, 2.0, 3, 1.0);
    assert_int_equal(kn_desk_init(&d, &sc, 0, 0, &err), KN_EINVAL);
    kn_desk_free(&d);
    kn_desk_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nothing_lost),
        cmocka_unit_test(test_idle_server_claims_future_arrival),
        cmocka_unit_test(test_lazy_abandonment),
        cmocka_unit_test(test_queue_integral),
        cmocka_unit_test(test_queue_integral_is_sum_of_waits),
        cmocka_unit_test(test_profile_zero_hours_get_no_arrivals),
        cmocka_unit_test(test_common_random_numbers),
        cmocka_unit_test(test_warmup_window),
        cmocka_unit_test(test_rules_match_erlang_a),
        cmocka_unit_test(test_scheduled_customers),
        cmocka_unit_test(test_priority_classes),
        cmocka_unit_test(test_init_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
