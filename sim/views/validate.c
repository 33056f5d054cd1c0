/* validate.c - `koning validate`: simulate the published Erlang-C / Erlang-A cases of
 * docs/validation.md with every behavioural effect off, and judge each estimate by its
 * confidence interval over independent replications: the exact value (from the closed
 * formulas in models/erlang.c, cross-checked here against the birth-death chain) must
 * lie inside the interval, and the interval must be tight (half-width under 5 % of
 * the value). Little's law L = lambda W is checked on the simulator's own output: the
 * exact time-average queue length against the arrival rate times the mean wait.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "koning/erlang.h"
#include "koning/runner.h"
#include "koning/scenario.h"
#include "koning/stats.h"
#include "tables.h"
#include "validate.h"

typedef struct vcase {
    double lambda, mu, theta; /* per minute */
    int n;
} vcase;

/* The published test values of Garnett, Mandelbaum & Reiman (2002) style cases. */
static const vcase cases[] = {
    {10.0, 1.0, 0.5, 10},
    {50.0, 1.0, 0.2, 48},
    {3.0, 0.2, 0.1, 15},
    {8.0, 1.0, 0.0, 10},
};

#define ARRIVALS_PER_REPLICATION 2.0e5 /* at scale 1: half-widths well under 5 % */
#define MAX_REL_HALF_WIDTH 0.05

typedef struct check {
    const char *metric;
    double exact;
    kn_summary est;
    int pass;
    double scale; /* what the half-width is relative to: |exact|, or L for Little */
} check;

static void build_scenario(kn_scenario *sc, const vcase *c, const kn_validate_opts *o)
{
    kn_scenario_defaults(sc);
    snprintf(sc->name, sizeof sc->name, "M/M/%d%s lambda=%g mu=%g theta=%g", c->n,
             c->theta > 0 ? "+M" : "", c->lambda, c->mu, c->theta);
    double minutes = o->scale * ARRIVALS_PER_REPLICATION / c->lambda;
    sc->run.days = minutes / 1440.0;
    sc->run.warmup_days = 0.1 * sc->run.days;
    sc->run.replications = o->replications;
    sc->run.seed = o->seed;
    sc->arrivals.per_hour = 60.0 * c->lambda;
    sc->arrivals.use_profile = 0;
    sc->service.kind = KN_DIST_EXPONENTIAL;
    sc->service.mean_minutes = 1.0 / c->mu;
    sc->patience.kind = c->theta > 0 ? KN_DIST_EXPONENTIAL : KN_DIST_NONE;
    sc->patience.mean_minutes = c->theta > 0 ? 1.0 / c->theta : 0.0;
    sc->staff.employees = c->n;
}

static int judge(check *k)
{
    const kn_summary *s = &k->est;
    int inside = k->exact >= s->ci_low && k->exact <= s->ci_high;
    int tight = k->exact == 0.0 ? s->half_width <= 1e-12
                                : s->half_width <= MAX_REL_HALF_WIDTH * fabs(k->exact);
    return k->pass = isfinite(s->mean) && inside && tight;
}

static void print_check(FILE *out, const char *label, const check *k, int json, int first)
{
    const kn_summary *s = &k->est;
    double rel = k->scale > 0.0 ? s->half_width / k->scale : 0.0;
    if (json) {
        fputs(first ? "" : ", ", out);
        fputs("{\"case\": ", out);
        kn_json_string(out, label);
        fputs(", \"metric\": ", out);
        kn_json_string(out, k->metric);
        fputs(", \"exact\": ", out);
        kn_json_number(out, k->exact);
        fputs(", \"mean\": ", out);
        kn_json_number(out, s->mean);
        fputs(", \"ci_low\": ", out);
        kn_json_number(out, s->ci_low);
        fputs(", \"ci_high\": ", out);
        kn_json_number(out, s->ci_high);
        fprintf(out, ", \"pass\": %s}", k->pass ? "true" : "false");
        return;
    }
    fprintf(out, "%-34s %-19s %10.6f %10.6f  [%10.6f, %10.6f] %7.2f%%  %s\n", label, k->metric,
            k->exact, s->mean, s->ci_low, s->ci_high, 100.0 * rel, k->pass ? "pass" : "FAIL");
}

/* The oracle itself: closed formulas and birth-death chain must agree. */
static int oracle(const vcase *c, kn_erlang *ex, kn_error *err)
{
    kn_erlang bd;
    if (kn_erlang_a(c->lambda, c->mu, c->theta, c->n, ex, err) != KN_OK ||
        kn_erlang_birth_death(c->lambda, c->mu, c->theta, c->n, &bd, err) != KN_OK)
        return -1;
    double a[] = {ex->p_wait, ex->p_abandon, ex->mean_wait, ex->utilization};
    double b[] = {bd.p_wait, bd.p_abandon, bd.mean_wait, bd.utilization};
    for (size_t i = 0; i < sizeof a / sizeof a[0]; i++)
        if (fabs(a[i] - b[i]) > 1e-9 * (1.0 + fabs(a[i]))) {
            kn_error_set(err, KN_ESIM, "oracle disagreement for lambda=%g mu=%g theta=%g n=%d: "
                         "formula %.12g vs birth-death %.12g", c->lambda, c->mu, c->theta, c->n,
                         a[i], b[i]);
            return -1;
        }
    return 0;
}

int kn_validate(FILE *out, const kn_validate_opts *o, kn_error *err)
{
    size_t ncases = sizeof cases / sizeof cases[0];
    int failures = 0, first = 1;
    kn_rep_result *res = calloc((size_t)o->replications, sizeof *res);
    double *little = calloc((size_t)o->replications, sizeof *little);
    if (!res || !little) {
        free(res);
        free(little);
        kn_error_set(err, KN_ENOMEM, "out of memory");
        return -1;
    }
    if (o->json)
        fprintf(out, "{\"confidence\": %g, \"replications\": %d, \"seed\": %llu, \"checks\": [",
                o->level, o->replications, (unsigned long long)o->seed);
    else
        fprintf(out, "koning validate: %d replications per case, exact value must lie in the "
                     "%g %% CI and the half-width be under %g %% of it\n\n"
                     "%-34s %-19s %10s %10s  %-24s %8s  %s\n",
                o->replications, 100.0 * o->level, 100.0 * MAX_REL_HALF_WIDTH, "case", "metric",
                "exact", "estimate", "confidence interval", "half-w.", "result");
    for (size_t ci = 0; ci < ncases; ci++) {
        const vcase *c = &cases[ci];
        kn_erlang ex;
        kn_scenario sc;
        kn_summary s[KN_METRIC_COUNT];
        if (oracle(c, &ex, err) != 0)
            goto fail;
        build_scenario(&sc, c, o);
        if (kn_run_replications(&sc, 0, 0, o->replications, o->jobs, res, err) != KN_OK)
            goto fail;
        for (int r = 0; r < o->replications; r++)
            kn_rep_result_clear(&res[r]); /* only the summary values are needed */
        if (kn_table_summarize(res, o->replications, o->level, s, err) != KN_OK)
            goto fail;
        check k[] = {
            {"p_wait", ex.p_wait, s[KN_M_P_WAIT], 0, ex.p_wait},
            {"p_abandon", ex.p_abandon, s[KN_M_P_ABANDON], 0, ex.p_abandon},
            {"mean_wait_minutes", ex.mean_wait, s[KN_M_MEAN_WAIT], 0, ex.mean_wait},
            {"utilization", ex.utilization, s[KN_M_UTILIZATION], 0, ex.utilization},
            {"little_L_minus_lW", 0.0, {0}, 0, s[KN_M_MEAN_QUEUE].mean},
        };
        /* Little's law on the simulation's own output, replication by replication. */
        for (int r = 0; r < o->replications; r++)
            little[r] = res[r].values[KN_M_MEAN_QUEUE] -
                        res[r].values[KN_M_ARRIVALS_PER_HOUR] / 60.0 * res[r].values[KN_M_MEAN_WAIT];
        if (kn_summarize(little, (size_t)o->replications, 1, o->level, &k[4].est, err) != KN_OK)
            goto fail;
        char label[64];
        snprintf(label, sizeof label, "l=%g mu=%g theta=%g n=%d", c->lambda, c->mu, c->theta, c->n);
        for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
            if (i == 4) { /* zero must be inside; tightness relative to L itself */
                k[i].pass = k[i].est.ci_low <= 0.0 && k[i].est.ci_high >= 0.0 &&
                            k[i].est.half_width <= MAX_REL_HALF_WIDTH * k[i].scale;
            } else {
                judge(&k[i]);
            }
            failures += !k[i].pass;
            print_check(out, label, &k[i], o->json, first);
            first = 0;
        }
        fflush(out);
    }
    if (o->json)
        fprintf(out, "], \"failures\": %d, \"passed\": %s}\n", failures, failures ? "false" : "true");
    else
        fprintf(out, "\n%s: %d check%s failed\n", failures ? "FAILED" : "all checks passed",
                failures, failures == 1 ? "" : "s");
    free(res);
    free(little);
    return failures;
fail:
    free(res);
    free(little);
    return -1;
}
