/* desk.h - the rules of a service desk (queue, n servers, abandonment), as plain
 * functions of state, time and random streams. No SimGrid here: sim/kernel/engine.c
 * calls these from its actors, and tests call them directly.
 *
 * Customers are data. Fresh customers are generated lazily, in arrival order, when a
 * server needs them, each with its arrival time, service requirement and patience drawn
 * from three separate streams (so the same seed gives the same customers whatever the
 * policy: common random numbers). Scheduled customers (a repeat contact of the
 * organisation model, models/customers.c) are merged into the arrival order; they bring
 * their own service requirement and patience and draw nothing from those streams.
 * Waiting customers are served by priority class (highest first; one class = first come,
 * first served), in arrival order within a class. Abandonment is lazy: a customer whose
 * patience ran out before a server reached him is skipped then and counted as abandoned
 * at arrival + patience. Times are minutes from the start.
 */
#ifndef KONING_DESK_H
#define KONING_DESK_H

#include <stddef.h>
#include <stdint.h>
#include "koning/error.h"
#include "koning/metrics.h"
#include "koning/rng.h"
#include "koning/scenario.h"
#include "dist.h"

#define KN_DESK_CLASSES 2 /* priority classes: 0 (everyone) and 1 (served first) */

typedef struct kn_customer {
    double arrival;  /* minutes */
    double patience; /* minutes; INFINITY if nobody abandons */
    double service;  /* minutes of work */
    int32_t who;     /* the organisation's customer (set by on_arrive; -1: nobody) */
    uint8_t cls;     /* priority class, < KN_DESK_CLASSES (set by on_arrive) */
    uint8_t attempt; /* 0: a fresh contact; k: the k-th repeat of the same problem */
    uint8_t kind;    /* the problem, carried for the organisation (models/org.h) */
    uint8_t flags;   /* carried for the organisation */
} kn_customer;

/* A FIFO ring of customers in arrival order. */
typedef struct kn_ring {
    kn_customer *buf;
    size_t cap, head, count;
} kn_ring;

/* What a server does next: serve `c` from `start` (>= arrival) to `end`. */
typedef struct kn_assignment {
    kn_customer c;
    double start, end;
} kn_assignment;

/* What the desk counts in one period of the time series. */
typedef struct kn_period_acc {
    uint64_t arrivals, waited, abandoned, completed;
    double sum_wait, busy;
} kn_period_acc;

typedef struct kn_desk {
    /* configuration */
    int servers;
    double t_warmup, t_end;          /* observation window [t_warmup, t_end), minutes */
    double rate[KN_HOURS_PER_DAY];   /* arrival rate per minute for each hour of day */
    int constant_rate;               /* 1 if all hours share rate[0] */
    kn_sampler service, patience;
    kn_rng rng_arrivals, rng_service, rng_patience;
    /* arrival process */
    double frontier;                 /* arrival time of the last fresh customer drawn */
    double next_fresh;               /* the next fresh arrival, drawn ahead (NAN: not yet;
                                        INFINITY: none before the epoch's end) */
    double last_emit;                /* arrival time of the last customer generated */
    int fresh_done;                  /* the next fresh arrival would be at or after t_end */
    int exhausted;                   /* fresh_done and nothing scheduled before t_end */
    kn_ring q[KN_DESK_CLASSES];      /* generated, not yet taken, by class */
    kn_customer *sched;              /* scheduled customers not generated yet: a min-heap
                                        by arrival */
    size_t n_sched, cap_sched;
    /* statistics over arrivals in the window */
    uint64_t n_arrivals, n_waited, n_abandoned, n_served;
    double sum_wait, sum_wait_served;
    /* statistics over time in the window */
    uint64_t n_completed;            /* completions in the window */
    double busy;                     /* server-minutes busy inside the window */
    double queue_area;               /* integral of the queue length over the window
                                        (customer-minutes): each customer's time in
                                        queue, clipped to the window */
    /* rate epochs (the organisation model): arrivals are generated only before
     * epoch_end, at rate[h] * scale; kn_desk_new_epoch moves on. The queue model
     * keeps epoch_end = INFINITY and scale = 1. */
    double scale, epoch_end;
    /* called for each customer as he is generated: sets who and cls; returns 0 to drop
     * him (a scheduled customer who is gone), 1 to keep him, -1 on allocation failure
     * (NULL: who = -1, cls = 0) */
    int (*on_arrive)(void *ctx, kn_customer *c);
    /* called for each customer found to have abandoned (NULL: nobody is told) */
    void (*on_abandon)(void *ctx, const kn_customer *c, double now);
    /* called for a customer about to be served: 0 when he is no longer there (he left the
     * organisation while he waited), and he counts as having abandoned, his wait ending
     * at now or at his patience, whichever is first (NULL: everyone is there) */
    int (*present)(void *ctx, const kn_customer *c);
    void *hook_ctx;
    /* per-period accumulators (time series), periods of period_len minutes from 0 */
    double period_len;
    uint32_t n_periods;
    kn_period_acc *periods;
    kn_period_acc before;            /* what happened before the switch (not in the series) */
    double origin;                   /* the switch (start.days), minutes: the window and the
                                        periods are measured from here */
} kn_desk;

/* Set up a desk for one replication: streams (seed, scenario_stream, replication,
 * source). Returns KN_EINVAL / KN_ENOMEM with a message. kn_desk_free releases it. */
kn_status kn_desk_init(kn_desk *d, const kn_scenario *sc, uint64_t scenario_stream,
                       uint64_t replication, kn_error *err);
void kn_desk_free(kn_desk *d);

/* A server free at time `now` takes the next customer: the first waiting customer of
 * the highest class that has one (arrived by `now`), skipping (and counting) those who
 * abandoned before `now`; if nobody waits, the next customer to arrive. Returns 1 and
 * fills `a` (start = max(now, arrival)), or 0 when no customer arrives before the
 * epoch's end, or -1 on allocation failure. */
int kn_desk_take(kn_desk *d, double now, kn_assignment *a);

/* 1 when no customer arrives before t_end any more (servers can stop); 0 while
 * kn_desk_take returning 0 only means "none before the epoch end". */
static inline int kn_desk_exhausted(const kn_desk *d)
{
    return d->exhausted;
}

/* Schedule customer c (arrival, service, patience, who, attempt, kind, flags set) to
 * arrive at c->arrival, after every customer generated so far. One at or after the
 * horizon never arrives (0). 1 when scheduled, -1 on allocation failure. */
int kn_desk_schedule(kn_desk *d, const kn_customer *c);

/* Start a new rate epoch: first generate the rest of the current epoch's arrivals at
 * the old rate, then arrivals from its end up to `end` come at rate rate[h] * scale
 * (scale >= 0). Exact for a Poisson process (memoryless). -1 on allocation failure. */
int kn_desk_new_epoch(kn_desk *d, double end, double scale);

/* A server finished `a` at a->end: count the completion and busy time in the window. */
void kn_desk_complete(kn_desk *d, const kn_assignment *a);

/* The run is over: customers who arrived and were never reached (everybody was off
 * duty) wait until their patience runs out; count that time in the queue integral.
 * Call once, before kn_desk_results. */
void kn_desk_finish(kn_desk *d);

/* Fill the replication's metric values (KN_METRIC_COUNT of them). */
void kn_desk_results(const kn_desk *d, double values[KN_METRIC_COUNT]);

/* Fill the time series: series[s * n_periods + k] for series s and period k
 * (n_periods = d->n_periods; NaN where not estimable). */
void kn_desk_series(const kn_desk *d, double *series);

#endif
