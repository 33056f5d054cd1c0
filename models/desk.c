/* desk.c - rules of the service desk: lazy arrivals, FCFS take with lazy abandonment,
 * completion accounting, the exact queue-length integral. See desk.h and
 * docs/model.md#queue. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "desk.h"

#define MINUTES_PER_HOUR 60.0

kn_status kn_desk_init(kn_desk *d, const kn_scenario *sc, uint64_t scenario_stream,
                       uint64_t replication, kn_error *err)
{
    memset(d, 0, sizeof *d);
    if (sc->staff.employees < 1)
        return kn_error_set(err, KN_EINVAL, "key 'staff.employees': must be >= 1, got %d",
                            sc->staff.employees);
    d->servers = sc->staff.employees;
    d->origin = sc->start.days * 1440.0; /* the switch: the observation starts here */
    d->t_warmup = d->origin + sc->run.warmup_days * 1440.0;
    d->t_end = d->origin + sc->run.days * 1440.0;
    if (!(d->t_end > d->t_warmup))
        return kn_error_set(err, KN_EINVAL, "key 'run.warmup_days': must be < run.days");
    double any = 0.0;
    for (int h = 0; h < KN_HOURS_PER_DAY; h++) {
        double per_hour = sc->arrivals.use_profile ? sc->arrivals.profile[h] : sc->arrivals.per_hour;
        if (!(per_hour >= 0.0) || !isfinite(per_hour))
            return kn_error_set(err, KN_EINVAL, "key 'arrivals': rate must be >= 0, got %g",
                                per_hour);
        d->rate[h] = per_hour / MINUTES_PER_HOUR;
        any += d->rate[h];
    }
    if (!(any > 0.0))
        return kn_error_set(err, KN_EINVAL, "key 'arrivals': the arrival rate is zero");
    d->constant_rate = !sc->arrivals.use_profile;
    KN_CHECK(kn_sampler_init(&d->service, &sc->service, err));
    if (sc->service.kind == KN_DIST_NONE)
        return kn_error_set(err, KN_EINVAL, "key 'service.distribution': required");
    KN_CHECK(kn_sampler_init(&d->patience, &sc->patience, err));
    uint64_t seed = sc->run.seed;
    kn_rng_init(&d->rng_arrivals, seed, scenario_stream, replication, KN_SRC_ARRIVALS);
    kn_rng_init(&d->rng_service, seed, scenario_stream, replication, KN_SRC_SERVICE);
    kn_rng_init(&d->rng_patience, seed, scenario_stream, replication, KN_SRC_PATIENCE);
    d->period_len = sc->run.period_days * 1440.0;
    if (!(d->period_len > 0.0))
        return kn_error_set(err, KN_EINVAL, "key 'run.period_days': must be > 0");
    d->n_periods = kn_period_count(sc->run.days, sc->run.period_days);
    d->periods = calloc(d->n_periods, sizeof *d->periods);
    d->scale = 1.0;
    d->epoch_end = INFINITY;
    d->next_fresh = NAN;
    d->last_emit = -INFINITY;
    int ok = d->periods != NULL;
    for (int k = 0; k < KN_DESK_CLASSES; k++) {
        d->q[k].cap = 64;
        d->q[k].buf = malloc(d->q[k].cap * sizeof *d->q[k].buf);
        ok = ok && d->q[k].buf;
    }
    if (!ok) {
        kn_desk_free(d);
        return kn_error_set(err, KN_ENOMEM, "out of memory for the queue");
    }
    return KN_OK;
}

void kn_desk_free(kn_desk *d)
{
    if (!d)
        return;
    for (int k = 0; k < KN_DESK_CLASSES; k++) {
        free(d->q[k].buf);
        d->q[k].buf = NULL;
        d->q[k].cap = d->q[k].count = d->q[k].head = 0;
    }
    free(d->sched);
    free(d->periods);
    d->sched = NULL;
    d->periods = NULL;
    d->n_sched = d->cap_sched = 0;
}

/* Next arrival after `t` of the Poisson process with piecewise-constant hourly rate:
 * spend one Exp(1) amount of integrated rate, hour segment by hour segment. */
static double next_arrival(kn_desk *d, double t)
{
    double e = -log(kn_rng_uniform(&d->rng_arrivals));
    if (d->constant_rate && d->scale == 1.0)
        return t + e / d->rate[0];
    double limit = d->epoch_end < d->t_end ? d->epoch_end : d->t_end;
    for (;;) {
        double hour = floor(t / MINUTES_PER_HOUR);
        double seg_end = (hour + 1.0) * MINUTES_PER_HOUR;
        double r = d->rate[(long)fmod(hour, KN_HOURS_PER_DAY)] * d->scale;
        if (r > 0.0 && t + e / r < seg_end)
            return t + e / r;
        e -= r * (seg_end - t);
        t = seg_end;
        if (t >= limit)
            return t; /* past the epoch or horizon: the exact time no longer matters */
    }
}

/* ---- rings and the schedule ------------------------------------------------------- */

static kn_customer *ring_at(const kn_ring *r, size_t i)
{
    return &r->buf[(r->head + i) % r->cap];
}

static int ring_push(kn_ring *r, const kn_customer *c)
{
    if (r->count == r->cap) {
        size_t ncap = r->cap * 2;
        kn_customer *nb = malloc(ncap * sizeof *nb);
        if (!nb)
            return -1;
        for (size_t i = 0; i < r->count; i++)
            nb[i] = *ring_at(r, i);
        free(r->buf);
        r->buf = nb;
        r->cap = ncap;
        r->head = 0;
    }
    *ring_at(r, r->count++) = *c;
    return 0;
}

static kn_customer ring_pop(kn_ring *r)
{
    kn_customer c = r->buf[r->head];
    r->head = (r->head + 1) % r->cap;
    r->count--;
    return c;
}

static void heap_swap(kn_customer *h, size_t i, size_t j)
{
    kn_customer t = h[i];
    h[i] = h[j];
    h[j] = t;
}

int kn_desk_schedule(kn_desk *d, const kn_customer *c)
{
    if (!(c->arrival < d->t_end))
        return 0;
    if (d->n_sched == d->cap_sched) {
        size_t ncap = d->cap_sched ? 2 * d->cap_sched : 256;
        kn_customer *nh = realloc(d->sched, ncap * sizeof *nh);
        if (!nh)
            return -1;
        d->sched = nh;
        d->cap_sched = ncap;
    }
    size_t i = d->n_sched++;
    d->sched[i] = *c;
    while (i > 0 && d->sched[(i - 1) / 2].arrival > d->sched[i].arrival) {
        heap_swap(d->sched, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
    d->exhausted = 0;
    return 1;
}

static kn_customer heap_pop(kn_desk *d)
{
    kn_customer top = d->sched[0];
    d->sched[0] = d->sched[--d->n_sched];
    for (size_t i = 0;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < d->n_sched && d->sched[l].arrival < d->sched[m].arrival)
            m = l;
        if (r < d->n_sched && d->sched[r].arrival < d->sched[m].arrival)
            m = r;
        if (m == i)
            break;
        heap_swap(d->sched, i, m);
        i = m;
    }
    return top;
}

/* Generate the next customer, fresh or scheduled, whichever arrives first, into the ring
 * of his class: 1 if one was generated (or a scheduled one dropped), 0 if nobody arrives
 * before the epoch's end (or the horizon), -1 on allocation failure. */
static int generate(kn_desk *d)
{
    if (isnan(d->next_fresh)) { /* draw the next fresh arrival once, keep it until used */
        if (d->fresh_done || d->frontier >= d->epoch_end) {
            d->next_fresh = INFINITY;
        } else {
            double t = next_arrival(d, d->frontier);
            if (t >= d->t_end) {
                d->fresh_done = 1;
                d->next_fresh = INFINITY;
            } else if (t >= d->epoch_end) { /* wait for the next epoch (memoryless) */
                d->frontier = d->epoch_end;
                d->next_fresh = INFINITY;
            } else {
                d->next_fresh = t;
            }
        }
    }
    double ts = d->n_sched ? d->sched[0].arrival : INFINITY;
    if (!(ts < d->epoch_end))
        ts = INFINITY; /* a scheduled customer waits for his epoch */
    if (d->next_fresh == INFINITY && ts == INFINITY) {
        d->exhausted = d->fresh_done && d->n_sched == 0;
        return 0;
    }
    kn_customer c;
    if (ts < d->next_fresh) {
        c = heap_pop(d);
    } else {
        memset(&c, 0, sizeof c);
        c.arrival = d->next_fresh;
        c.service = kn_sampler_draw(&d->service, &d->rng_service);
        c.patience = kn_sampler_draw(&d->patience, &d->rng_patience);
        c.who = -1;
        d->frontier = c.arrival;
        d->next_fresh = NAN;
    }
    d->last_emit = c.arrival;
    if (d->on_arrive) {
        int keep = d->on_arrive(d->hook_ctx, &c);
        if (keep <= 0)
            return keep; /* -1: out of memory; 0: a scheduled customer who is gone */
    }
    return ring_push(&d->q[c.cls < KN_DESK_CLASSES ? c.cls : KN_DESK_CLASSES - 1], &c) < 0 ? -1 : 1;
}

static int in_window(const kn_desk *d, double t)
{
    return t >= d->t_warmup && t < d->t_end;
}

/* A customer waited in the queue from `from` to `to`: add the part inside the window to
 * the integral of the queue length over time (customer-minutes). */
static void queue_time(kn_desk *d, double from, double to)
{
    double lo = from > d->t_warmup ? from : d->t_warmup;
    double hi = to < d->t_end ? to : d->t_end;
    if (hi > lo)
        d->queue_area += hi - lo;
}

/* The period of time t (t < t_end), or NULL past the horizon. */
static kn_period_acc *period_of(kn_desk *d, double t)
{
    if (!(t >= 0.0) || t >= d->t_end)
        return NULL;
    if (t < d->origin)
        return &d->before; /* before the switch: the status quo, counted apart */
    uint32_t k = (uint32_t)((t - d->origin) / d->period_len);
    return &d->periods[k < d->n_periods ? k : d->n_periods - 1];
}

/* Customer c leaves the queue at `now`: abandoned (his patience ran out before) or
 * served. Counts him; fills a and returns 1 when he is served. */
static int leave_queue(kn_desk *d, const kn_customer *c, double now, kn_assignment *a)
{
    int counted = in_window(d, c->arrival);
    double wait = now > c->arrival ? now - c->arrival : 0.0;
    kn_period_acc *p = period_of(d, c->arrival); /* arrivals are < t_end */
    p->arrivals++;
    int gone = wait <= c->patience && d->present && !d->present(d->hook_ctx, c);
    if (wait > c->patience || gone) { /* gave up at arrival + patience, before we got here,
                                         or left the organisation while he waited */
        double w = gone ? wait : c->patience;
        int waited = gone ? wait > 0.0 : 1; /* he waited past his patience */
        queue_time(d, c->arrival, c->arrival + w);
        p->waited += waited;
        p->abandoned++;
        p->sum_wait += w;
        if (d->on_abandon)
            d->on_abandon(d->hook_ctx, c, now);
        if (counted) {
            d->n_arrivals++;
            d->n_waited += waited;
            d->n_abandoned++;
            d->sum_wait += w;
        }
        return 0;
    }
    queue_time(d, c->arrival, c->arrival + wait);
    p->waited += wait > 0.0;
    p->sum_wait += wait;
    if (counted) {
        d->n_arrivals++;
        d->n_served++;
        d->n_waited += wait > 0.0;
        d->sum_wait += wait;
        d->sum_wait_served += wait;
    }
    a->c = *c;
    a->start = now > c->arrival ? now : c->arrival; /* exactly max(now, arrival) */
    a->end = a->start + c->service;
    return 1;
}

int kn_desk_take(kn_desk *d, double now, kn_assignment *a)
{
    for (;;) {
        while (d->last_emit <= now) { /* everyone who has arrived by now is in a ring */
            int g = generate(d);
            if (g < 0)
                return -1;
            if (g == 0)
                break;
        }
        /* the highest class with a customer waiting now */
        for (int k = KN_DESK_CLASSES - 1; k >= 0; k--) {
            kn_ring *r = &d->q[k];
            while (r->count && r->buf[r->head].arrival <= now) {
                kn_customer c = ring_pop(r);
                if (leave_queue(d, &c, now, a))
                    return 1;
            }
        }
        /* nobody waits: the next to arrive, whatever his class */
        int best = -1;
        for (int k = 0; k < KN_DESK_CLASSES; k++)
            if (d->q[k].count &&
                (best < 0 || d->q[k].buf[d->q[k].head].arrival < d->q[best].buf[d->q[best].head].arrival))
                best = k;
        if (best >= 0) {
            kn_customer c = ring_pop(&d->q[best]);
            return leave_queue(d, &c, now, a);
        }
        int g = generate(d);
        if (g <= 0)
            return g;
    }
}

int kn_desk_new_epoch(kn_desk *d, double end, double scale)
{
    int g = 0;
    if (isfinite(d->epoch_end))
        while ((g = generate(d)) == 1) /* the old epoch's arrivals, at the old rate */
            ;
    if (g < 0)
        return -1;
    d->epoch_end = end;
    d->scale = scale >= 0.0 ? scale : 0.0;
    d->next_fresh = NAN; /* drawn again from the epoch's start, at the new rate */
    return 0;
}

void kn_desk_complete(kn_desk *d, const kn_assignment *a)
{
    double lo = a->start > d->t_warmup ? a->start : d->t_warmup;
    double hi = a->end < d->t_end ? a->end : d->t_end;
    if (hi > lo)
        d->busy += hi - lo;
    if (in_window(d, a->end))
        d->n_completed++;
    /* the same, period by period (from the switch, warm-up included) */
    double t = a->start > d->origin ? a->start : d->origin;
    while (t < hi) {
        uint32_t k = (uint32_t)((t - d->origin) / d->period_len);
        if (k >= d->n_periods)
            k = d->n_periods - 1;
        double pe = d->origin + (double)(k + 1) * d->period_len;
        double seg_end = (k + 1 == d->n_periods || hi < pe) ? hi : pe;
        d->periods[k].busy += seg_end - t;
        t = seg_end;
    }
    kn_period_acc *p = period_of(d, a->end);
    if (p)
        p->completed++; /* (NULL past the horizon) */
}

void kn_desk_finish(kn_desk *d)
{
    for (int k = 0; k < KN_DESK_CLASSES; k++) /* arrived, never reached: they wait on */
        for (size_t i = 0; i < d->q[k].count; i++) {
            const kn_customer *c = ring_at(&d->q[k], i);
            queue_time(d, c->arrival, c->arrival + c->patience);
        }
}

static double ratio(double num, double den)
{
    return den > 0.0 ? num / den : NAN;
}

void kn_desk_results(const kn_desk *d, double v[KN_METRIC_COUNT])
{
    double minutes = d->t_end - d->t_warmup, hours = minutes / MINUTES_PER_HOUR;
    double n = (double)d->n_arrivals;
    for (int m = 0; m < KN_METRIC_COUNT; m++)
        v[m] = NAN; /* the organisation's metrics stay NaN in the queue model */
    v[KN_M_P_WAIT] = ratio((double)d->n_waited, n);
    v[KN_M_P_ABANDON] = ratio((double)d->n_abandoned, n);
    v[KN_M_MEAN_WAIT] = ratio(d->sum_wait, n);
    v[KN_M_MEAN_WAIT_SERVED] = ratio(d->sum_wait_served, (double)d->n_served);
    v[KN_M_UTILIZATION] = ratio(d->busy, minutes * d->servers);
    v[KN_M_SERVED_PER_HOUR] = ratio((double)d->n_completed, hours);
    v[KN_M_ARRIVALS_PER_HOUR] = ratio(n, hours);
    v[KN_M_MEAN_QUEUE] = ratio(d->queue_area, minutes);
}

void kn_desk_series(const kn_desk *d, double *series)
{
    uint32_t n = d->n_periods;
    for (size_t i = 0; i < (size_t)KN_SERIES_COUNT * n; i++)
        series[i] = NAN;
    for (uint32_t k = 0; k < n; k++) {
        const kn_period_acc *p = &d->periods[k];
        double t0 = d->origin + (double)k * d->period_len;
        double t1 = k + 1 == n ? d->t_end : t0 + d->period_len;
        double minutes = t1 - t0, hours = minutes / MINUTES_PER_HOUR, a = (double)p->arrivals;
        series[KN_S_ARRIVALS_PER_HOUR * n + k] = ratio(a, hours);
        series[KN_S_P_WAIT * n + k] = ratio((double)p->waited, a);
        series[KN_S_P_ABANDON * n + k] = ratio((double)p->abandoned, a);
        series[KN_S_MEAN_WAIT * n + k] = ratio(p->sum_wait, a);
        series[KN_S_UTILIZATION * n + k] = ratio(p->busy, minutes * d->servers);
        series[KN_S_SERVED_PER_HOUR * n + k] = ratio((double)p->completed, hours);
    }
}
