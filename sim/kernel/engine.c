/* engine.c - the desk on SimGrid: simulated time and actors come from the kernel.
 *
 * Actors: one per server (employee) and, in the organisation model, one manager who
 * runs the day boundary. Customers are data (see models/desk.h). A server that becomes
 * free takes the next customer itself (there is no generator actor) and sleeps until
 * that service ends; if the customer has not arrived yet, the server is idle and claims
 * him, so one kernel sleep covers the idle time and the service. Customers who lost
 * patience are skipped when reached (lazy abandonment), and the queue length is
 * integrated exactly from each customer's time in queue (models/desk.c), so there is no
 * monitor. A served customer costs one kernel event, an abandoning one none; the
 * organisation adds a few per day (a position off duty or idle at closing sleeps to the
 * next midnight, and the manager wakes at every midnight). Every sleep is counted
 * (kn_rep_result.kernel_events), so the cost per visit is a number a test can check.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/version.h>
#include <xbt/config.h>
#include <xbt/log.h>
#include "desk.h"
#include "org.h"
#include "engine.h"
#include "platform.h"

typedef struct kn_engine {
    kn_desk desk;
    kn_org org;
    int with_org;  /* the organisation model is on (customers.base > 0) */
    uint64_t events; /* kernel sleeps of every actor */
    int failed; /* an allocation failed inside an actor */
} kn_engine;

/* Every wait of an actor goes through here, so that it is counted. */
static void sleep_until(kn_engine *e, double t)
{
    e->events++;
    sg_actor_sleep_until(t);
}

/* An actor's data: the engine and, for a server, its position. */
typedef struct kn_actor_arg {
    kn_engine *e;
    int slot;
} kn_actor_arg;

static void server_main(int argc, char *argv[])
{
    (void)argc;
    (void)argv;
    kn_actor_arg *arg = sg_actor_self_get_data();
    kn_engine *e = arg->e;
    kn_assignment a;
    double now = simgrid_get_clock();
    int r;
    if (!e->with_org) {
        while ((r = kn_desk_take(&e->desk, now, &a)) == 1) {
            sleep_until(e, a.end);
            kn_desk_complete(&e->desk, &a);
            now = a.end; /* the model's exact time, free of the kernel's timing rounding */
        }
        if (r < 0)
            e->failed = 1;
        return;
    }
    /* The organisation: a position whose employee is off, sick or vacant today, or
     * that finds nobody arriving before the day ends, sleeps to the day boundary and
     * runs the boundary's rules if the manager has not yet (kn_org_advance is
     * idempotent). */
    for (;;) {
        r = kn_org_on_duty(&e->org, arg->slot) ? kn_desk_take(&e->desk, now, &a) : 0;
        if (r < 0) {
            e->failed = 1;
            return;
        }
        if (r == 1) {
            kn_org_encounter_start(&e->org, arg->slot, &a);
            sleep_until(e, a.end);
            kn_org_encounter_end(&e->org, arg->slot, &a);
            kn_desk_complete(&e->desk, &a);
            now = a.end;
        } else { /* off duty, or nobody arrives before the day ends */
            if (kn_desk_exhausted(&e->desk) || e->desk.epoch_end >= e->desk.t_end)
                return;
            now = e->desk.epoch_end;
            sleep_until(e, now);
        }
        if (kn_org_advance(&e->org, now) < 0) {
            e->failed = 1;
            return;
        }
    }
}

/* The manager: runs the day-boundary rules at every midnight (docs/model.md). */
static void manager_main(int argc, char *argv[])
{
    (void)argc;
    (void)argv;
    kn_actor_arg *arg = sg_actor_self_get_data();
    kn_engine *e = arg->e;
    for (double t = 1440.0; t <= e->desk.t_end + 1e-9; t += 1440.0) {
        sleep_until(e, t);
        if (kn_org_advance(&e->org, t) < 0) {
            e->failed = 1;
            return;
        }
    }
}

static kn_status start_actor(const char *name, sg_host_t host, xbt_main_func_t code, kn_actor_arg *arg)
{
    sg_actor_t actor = sg_actor_init(name, host);
    sg_actor_set_data(actor, arg);
    sg_actor_start(actor, code, 0, NULL);
    return KN_OK;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

kn_status kn_engine_run(const kn_scenario *sc, uint64_t scenario_stream, uint64_t replication,
                        kn_rep_result *out, kn_error *err)
{
    static int used; /* SimGrid: one simulation per process */
    if (used)
        return kn_error_set(err, KN_ESIM, "internal: a second simulation in one process");
    used = 1;

    double t0 = now_seconds(); /* wall time of everything the run does */
    kn_engine e = {0};
    KN_CHECK(kn_desk_init(&e.desk, sc, scenario_stream, replication, err));
    e.with_org = sc->customers.base > 0;
    if (e.with_org) {
        kn_status orc = kn_org_init(&e.org, sc, &e.desk, scenario_stream, replication, err);
        if (orc != KN_OK) {
            kn_desk_free(&e.desk);
            return orc;
        }
    }
    kn_actor_arg *args = calloc((size_t)e.desk.servers + 1, sizeof *args);
    if (!args) {
        kn_org_free(&e.org);
        kn_desk_free(&e.desk);
        return kn_error_set(err, KN_ENOMEM, "out of memory for the actors");
    }
    for (int i = 0; i < e.desk.servers + 1; i++) {
        args[i].e = &e;
        args[i].slot = i;
    }

    /* KONING_SIMGRID_CFG="item:value;item:value" passes --cfg options to SimGrid: a knob
     * for benchmarking the kernel's settings (bench/README.md), not for results */
    char arg0[] = "koning", cfgs[8][256];
    char *argv[10] = {arg0, NULL};
    int argc = 1;
    const char *env = getenv("KONING_SIMGRID_CFG");
    for (const char *p = env; p && *p && argc < 9;) {
        size_t n = strcspn(p, ";");
        if (n > 0 && n < sizeof cfgs[0] - 6) {
            snprintf(cfgs[argc - 1], sizeof cfgs[0], "--cfg=%.*s", (int)n, p);
            argv[argc] = cfgs[argc - 1];
            argc++;
        }
        p += n + (p[n] == ';');
    }
    argv[argc] = NULL;
    xbt_log_control_set("root.thres:critical");
    simgrid_init(&argc, argv);
    if (!env || !strstr(env, "contexts/stack-size"))
        sg_cfg_set_int("contexts/stack-size", 128); /* KiB: server actors need little stack */
    kn_status rc = kn_platform_load(err);
    if (rc != KN_OK) {
        free(args);
        kn_org_free(&e.org);
        kn_desk_free(&e.desk);
        return rc;
    }
    sg_host_t host = sg_host_by_name(KN_PLATFORM_HOST);
    char name[32];
    for (int i = 0; i < e.desk.servers; i++) {
        snprintf(name, sizeof name, "server-%d", i);
        start_actor(name, host, server_main, &args[i]);
    }
    if (e.with_org)
        start_actor("manager", host, manager_main, &args[e.desk.servers]);

    simgrid_run();

    free(args);
    if (e.failed) {
        kn_org_free(&e.org);
        kn_desk_free(&e.desk);
        return kn_error_set(err, KN_ENOMEM, "out of memory during the simulation");
    }
    out->replication = replication;
    out->customers = e.desk.n_arrivals;
    out->kernel_events = e.events;
    kn_desk_finish(&e.desk);
    kn_desk_results(&e.desk, out->values);
    out->n_periods = e.desk.n_periods;
    out->series = malloc((size_t)KN_SERIES_COUNT * out->n_periods * sizeof *out->series);
    if (!out->series) {
        kn_org_free(&e.org);
        kn_desk_free(&e.desk);
        return kn_error_set(err, KN_ENOMEM, "out of memory for the time series");
    }
    kn_desk_series(&e.desk, out->series);
    if (e.with_org && kn_org_finish(&e.org) < 0) {
        kn_rep_result_clear(out);
        kn_org_free(&e.org);
        kn_desk_free(&e.desk);
        return kn_error_set(err, KN_ENOMEM, "out of memory for the results");
    }
    if (e.with_org) {
        kn_org_results(&e.org, out->values);
        kn_org_series(&e.org, out->series);
    }
    kn_org_free(&e.org);
    kn_desk_free(&e.desk);
    out->wall_seconds = now_seconds() - t0;
    return KN_OK;
}

const char *kn_engine_version(void)
{
#define KN_STR_(x) #x
#define KN_STR(x) KN_STR_(x)
    return KN_STR(SIMGRID_VERSION_MAJOR) "." KN_STR(SIMGRID_VERSION_MINOR) "." KN_STR(SIMGRID_VERSION_PATCH);
#undef KN_STR
#undef KN_STR_
}
