/* verdict.c - which policy wins, and why (API in verdict.h; docs/model.md#verdict).
 *
 * Winners come from the file's per-scenario summaries (the mean over the successful runs
 * and its Student-t interval, written by h5out.c), the lead over the runner-up from its
 * per-run metrics: a paired difference over the replications both ran (common random
 * numbers). The "why" sentence compares the overall winner with the overall loser
 * through three exact or first-order decompositions of the model's own equations:
 *   - log quit hazard  b_e e + b_m (1 - m)            (docs/model.md, quits)
 *   - service quality  = quality_from_resolution + _courtesy + _wait  (exact)
 *   - profit           = revenue - staff_cost - compensation_cost     (exact)
 */
#define _GNU_SOURCE
#include "tables.h"
#include "verdict.h"
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "koning/stats.h"

static const struct {
    const char *metric, *label, *unit;
    int higher_is_better;
} heads[KN_VERDICT_METRICS] = {
    {"retention", "customer retention", "share kept a year", 1},
    {"service_quality", "service quality", "0-1", 1},
    {"staff_turnover", "staff turnover", "quits a year per employee", 0},
    {"profit", "profit", "money a week", 1},
};

/* Per-run values of the metrics the verdict reads. */
enum {
    V_RET, V_QUAL, V_TURN, V_PROFIT, /* the heads, in order */
    V_EXH, V_MOR, V_ABUSE, V_WP, V_QRES, V_QCOURT, V_QWAIT, V_REV, V_STAFF, V_COMP,
    V_N
};
static const char *const vnames[V_N] = {
    "retention", "service_quality", "staff_turnover", "profit", "mean_exhaustion",
    "mean_morale", "abusive_contacts_per_employee_day", "work_pressure",
    "quality_from_resolution", "quality_from_courtesy", "quality_from_wait", "revenue",
    "staff_cost", "compensation_cost"};

typedef struct {
    const kn_h5r_study *s;
    double *val[V_N]; /* [n_run] */
    double *rep;      /* replication of each run */
    double *be, *bm;  /* quit hazard coefficients per scenario */
    size_t n_rep;     /* 1 + the largest replication number */
    size_t *at;       /* [n_scen x n_rep] the run of (scenario, replication), or SIZE_MAX */
    double *mean[V_N]; /* [n_scen] the file's <metric>_mean */
    double *lo[KN_VERDICT_METRICS], *hi[KN_VERDICT_METRICS]; /* the file's _ci_low, _ci_high */
    double *n_ok;     /* [n_scen] the file's n_runs_ok */
} data;

static void data_free(data *d)
{
    for (int i = 0; i < V_N; i++)
        free(d->val[i]);
    free(d->rep);
    free(d->be);
    free(d->bm);
    free(d->at);
    for (int i = 0; i < V_N; i++)
        free(d->mean[i]);
    for (int i = 0; i < KN_VERDICT_METRICS; i++) {
        free(d->lo[i]);
        free(d->hi[i]);
    }
    free(d->n_ok);
}

static int usable(const data *d, size_t run, int v)
{
    return d->s->run_ok[run] && !isnan(d->val[v][run]);
}

/* Index the runs by (scenario, replication), for the paired differences. Returns 0, or
 * -1 out of memory. */
static int data_index(data *d)
{
    const kn_h5r_study *s = d->s;
    d->n_rep = 1;
    for (size_t i = 0; i < s->n_run; i++)
        if (d->rep[i] >= 0.0 && d->rep[i] + 1.0 > (double)d->n_rep && d->rep[i] < 1e9)
            d->n_rep = (size_t)d->rep[i] + 1;
    d->at = malloc(s->n_scen * d->n_rep * sizeof *d->at);
    if (!d->at)
        return -1;
    for (size_t i = 0; i < s->n_scen * d->n_rep; i++)
        d->at[i] = SIZE_MAX;
    for (size_t i = 0; i < s->n_run; i++)
        if (d->rep[i] >= 0.0 && d->rep[i] < (double)d->n_rep)
            d->at[(size_t)s->run_scenario[i] * d->n_rep + (size_t)d->rep[i]] = i;
    return 0;
}

/* Mean of metric v over the successful runs of scenario k, as the file's summary has it. */
static double mean_of(const data *d, size_t k, int v)
{
    return d->mean[v][k];
}

/* Paired difference a - b of metric v over the replications both scenarios ran. */
static kn_status paired_of(const data *d, size_t a, size_t b, int v, double level, kn_summary *out)
{
    double *x = malloc(d->n_rep * sizeof *x);
    if (!x)
        return KN_ENOMEM;
    size_t n = 0;
    for (size_t r = 0; r < d->n_rep; r++) {
        size_t i = d->at[a * d->n_rep + r], j = d->at[b * d->n_rep + r];
        if (i != SIZE_MAX && j != SIZE_MAX && usable(d, i, v) && usable(d, j, v))
            x[n++] = d->val[v][i] - d->val[v][j];
    }
    kn_status rc = kn_summarize(x, n, 1, level, out, NULL);
    free(x);
    return rc;
}

/* ---- the sentence ------------------------------------------------------------------------ */

typedef struct {
    char *buf;
    size_t cap, len;
} text;

static void put(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(text *t, const char *fmt, ...)
{
    if (t->len + 1 >= t->cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    if (w > 0)
        t->len = t->len + (size_t)w < t->cap ? t->len + (size_t)w : t->cap - 1;
}

/* "mostly courtesy (62 %)", "courtesy (48 %) and resolution (45 %)", with ", partly
 * offset by X (-15 %)" when a component pulls the other way by more than a tenth of the
 * total. When one component is larger than the whole gap (others pull the other way),
 * shares above 100 % read badly, so the amounts are given instead: "driven by revenue
 * (+9650), partly offset by staff costs (-1200)". `money`: amounts a week, else 3 decimals. */
static void shares(text *t, const char *const *pos, const char *const *neg, const double *part,
                   int n, double total,
                   int money)
{
    int order[8];
    for (int i = 0; i < n; i++)
        order[i] = i;
    for (int i = 0; i < n; i++) /* by contribution in the direction of the total, largest first */
        for (int j = i + 1; j < n; j++)
            if (part[order[j]] * copysign(1.0, total) > part[order[i]] * copysign(1.0, total)) {
                int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
    double s0 = part[order[0]] / total, s1 = n > 1 ? part[order[1]] / total : 0.0;
    int k_off = -1;
    for (int i = n - 1; i >= 0 && k_off < 0; i--)
        if (part[order[i]] / total < -0.1)
            k_off = order[i];
#define NAME(k) (part[k] >= 0.0 ? pos[k] : neg[k])
    char a[64], b[64];
    if (s0 > 1.0 + 1e-9 && k_off >= 0) {
        if (money) {
            snprintf(a, sizeof a, "%+.0f a week", part[order[0]]);
            snprintf(b, sizeof b, "%+.0f a week", part[k_off]);
        } else {
            snprintf(a, sizeof a, "%+.3f", part[order[0]]);
            snprintf(b, sizeof b, "%+.3f", part[k_off]);
        }
        put(t, "driven by %s (%s), partly offset by %s (%s)", NAME(order[0]), a, NAME(k_off), b);
        return;
    }
    if (s0 >= 0.5 || s1 < 0.2)
        put(t, "mostly %s (%.0f %%)", NAME(order[0]), 100.0 * s0);
    else
        put(t, "%s (%.0f %%) and %s (%.0f %%)", NAME(order[0]), 100.0 * s0, NAME(order[1]),
            100.0 * s1);
    if (k_off >= 0)
        put(t, ", partly offset by %s (%.0f %%)", NAME(k_off), 100.0 * part[k_off] / total);
#undef NAME
}

static void why_sentence(const data *d, kn_verdict *v)
{
    const kn_h5r_study *s = d->s;
    size_t w = v->overall, l = v->worst;
    text t = {v->why, sizeof v->why, 0};
    v->why[0] = '\0';
    double m[2][V_N];
    for (int k = 0; k < V_N; k++) {
        m[0][k] = mean_of(d, w, k);
        m[1][k] = mean_of(d, l, k);
    }
    put(&t, "%s beats %s ", s->scen_name[w], s->scen_name[l]);

    /* staff: the log quit hazard b_e e + b_m (1 - m), at the mean exhaustion and morale */
    double he = d->be[l] * m[1][V_EXH] - d->be[w] * m[0][V_EXH];
    double hm = d->bm[l] * (1.0 - m[1][V_MOR]) - d->bm[w] * (1.0 - m[0][V_MOR]);
    double dturn = m[1][V_TURN] - m[0][V_TURN];
    int staff = isfinite(he) && isfinite(hm) && fabs(he + hm) > 1e-9 && dturn > 0.0;
    if (staff) {
        int via_exh = fabs(he) >= fabs(hm);
        double share = (via_exh ? he : hm) / (he + hm);
        put(&t, "first through its staff, who quit less (%.2f vs %.2f a year) ", m[0][V_TURN],
            m[1][V_TURN]);
        if (via_exh) {
            put(&t, "mainly because they are less exhausted (%.2f vs %.2f",
                m[0][V_EXH], m[1][V_EXH]);
            double da = m[1][V_ABUSE] - m[0][V_ABUSE], dwp = m[1][V_WP] - m[0][V_WP];
            if (da > 0.0)
                put(&t, "; %.1f vs %.1f abusive contacts per employee-day", m[0][V_ABUSE],
                    m[1][V_ABUSE]);
            else if (dwp > 0.0)
                put(&t, "; work pressure %.2f vs %.2f", m[0][V_WP], m[1][V_WP]);
            put(&t, "): exhaustion makes up %.0f %% of the gap in the quit hazard, morale the rest",
                100.0 * share);
        } else {
            put(&t, "mainly because their morale is higher (%.2f vs %.2f): morale makes up "
                "%.0f %% of the gap in the quit hazard, exhaustion the rest",
                m[0][V_MOR], m[1][V_MOR], 100.0 * share);
        }
    } else {
        put(&t, "without keeping staff better (turnover %.2f vs %.2f a year)", m[0][V_TURN],
            m[1][V_TURN]);
    }

    /* customers: service quality = resolution + courtesy + wait terms (exact) */
    double dq[3] = {m[0][V_QRES] - m[1][V_QRES], m[0][V_QCOURT] - m[1][V_QCOURT],
                    m[0][V_QWAIT] - m[1][V_QWAIT]};
    double dqt = dq[0] + dq[1] + dq[2];
    static const char *const qpos[3] = {"problems solved", "courtesy", "shorter waits"};
    static const char *const qneg[3] = {"fewer problems solved", "less courtesy", "longer waits"};
    if (isfinite(dqt) && fabs(dqt) > 1e-4) {
        put(&t, "; its service quality is %s by %.3f, ", dqt > 0 ? "higher" : "lower", fabs(dqt));
        shares(&t, qpos, qneg, dq, 3, dqt, 0);
        put(&t, ", and its customers %s (retention %.3f vs %.3f)",
            m[0][V_RET] >= m[1][V_RET] ? "stay" : "leave sooner", m[0][V_RET], m[1][V_RET]);
    }

    /* money: profit = revenue - staff cost - compensation (exact) */
    double dp[3] = {m[0][V_REV] - m[1][V_REV], -(m[0][V_STAFF] - m[1][V_STAFF]),
                    -(m[0][V_COMP] - m[1][V_COMP])};
    double dpt = dp[0] + dp[1] + dp[2];
    static const char *const ppos[3] = {"higher revenue", "lower staff costs", "lower compensation"};
    static const char *const pneg[3] = {"lower revenue", "higher staff costs", "higher compensation"};
    if (isfinite(dpt) && fabs(dpt) > 1e-9) {
        put(&t, "; its profit is %s by %.0f a week, ", dpt > 0 ? "higher" : "lower", fabs(dpt));
        shares(&t, ppos, pneg, dp, 3, dpt, 1);
    }
    put(&t, ".");
}

typedef struct {
    const data *d;
    int v;
    double sign;
} rank_key;

static int by_value(const void *a, const void *b, void *arg)
{
    const rank_key *k = arg;
    double x = k->sign * mean_of(k->d, *(const size_t *)a, k->v);
    double y = k->sign * mean_of(k->d, *(const size_t *)b, k->v);
    return (x < y) - (x > y); /* best first */
}

/* rank[k] += the number of scenarios strictly better than k on metric v (sorted, so a
 * sweep of many points stays fast). NaN means sort last and count no one worse. */
static void add_ranks(const data *d, int v, double sign, double *rank, size_t *order)
{
    size_t S = d->s->n_scen;
    rank_key key = {d, v, sign};
    for (size_t k = 0; k < S; k++)
        order[k] = k;
    qsort_r(order, S, sizeof *order, by_value, &key);
    size_t better = 0;
    for (size_t i = 0; i < S; i++) {
        double x = sign * mean_of(d, order[i], v);
        if (i > 0 && !(x == sign * mean_of(d, order[i - 1], v)))
            better = i;
        rank[order[i]] += (double)better;
    }
}

/* ---- the verdict ---------------------------------------------------------------------------- */

kn_status kn_verdict_from_file(const kn_h5r *r, const kn_h5r_study *s, kn_verdict *v,
                               kn_error *err)
{
    memset(v, 0, sizeof *v);
    const char *path = kn_h5r_path(r);
    if (!s->organisation)
        return kn_error_set(err, KN_EINVAL, "%s: no verdict: not an organisation-model study "
                            "(customers.base = 0)", path);
    if (s->n_scen < 2)
        return kn_error_set(err, KN_EINVAL, "%s: no verdict: one scenario only", path);
    data d = {.s = s};
    kn_status rc = KN_OK;
    size_t n;
    for (int k = 0; k < V_N && rc == KN_OK; k++) {
        rc = kn_h5r_doubles(r, vnames[k], &d.val[k], &n, NULL, err);
        if (rc == KN_OK && n != s->n_run)
            rc = kn_error_set(err, KN_EIO, "%s: dataset '%s' has %zu values, expected %zu", path,
                              vnames[k], n, s->n_run);
    }
    char name[96];
    for (int k = 0; k < V_N && rc == KN_OK; k++) {
        snprintf(name, sizeof name, "%s_mean", vnames[k]);
        rc = kn_h5r_doubles(r, name, &d.mean[k], &n, NULL, err);
    }
    for (int h = 0; h < KN_VERDICT_METRICS && rc == KN_OK; h++) {
        snprintf(name, sizeof name, "%s_ci_low", vnames[h]);
        rc = kn_h5r_doubles(r, name, &d.lo[h], &n, NULL, err);
        snprintf(name, sizeof name, "%s_ci_high", vnames[h]);
        if (rc == KN_OK)
            rc = kn_h5r_doubles(r, name, &d.hi[h], &n, NULL, err);
    }
    if (rc == KN_OK)
        rc = kn_h5r_doubles(r, "n_runs_ok", &d.n_ok, &n, NULL, err);
    if (rc == KN_OK)
        rc = kn_h5r_doubles(r, "replication", &d.rep, &n, NULL, err);
    if (rc == KN_OK)
        rc = kn_h5r_doubles(r, "employee.quit_exhaustion", &d.be, &n, NULL, err);
    if (rc == KN_OK)
        rc = kn_h5r_doubles(r, "employee.quit_morale", &d.bm, &n, NULL, err);
    if (rc == KN_OK && data_index(&d) != 0)
        rc = kn_error_set(err, KN_ENOMEM, "out of memory");
    if (rc != KN_OK) {
        data_free(&d);
        return rc;
    }
    v->level = s->level;
    v->n_scen = s->n_scen;
    for (size_t k = 0; k < s->n_scen; k++) {
        if (!(d.n_ok[k] >= 2.0) || isnan(mean_of(&d, k, V_PROFIT))) {
            rc = kn_error_set(err, KN_EINVAL, "%s: no verdict: scenario '%s' has %.0f successful "
                              "runs with results (need 2)", path, s->scen_name[k], d.n_ok[k]);
            data_free(&d);
            return rc;
        }
    }
    int *wins = calloc(s->n_scen, sizeof *wins);
    double *rank = calloc(s->n_scen, sizeof *rank);
    size_t *order = malloc(s->n_scen * sizeof *order);
    if (!wins || !rank || !order) {
        free(wins);
        free(rank);
        free(order);
        data_free(&d);
        return kn_error_set(err, KN_ENOMEM, "out of memory");
    }
    for (int h = 0; h < KN_VERDICT_METRICS; h++) {
        kn_verdict_line *L = &v->line[h];
        L->metric = heads[h].metric;
        L->label = heads[h].label;
        L->unit = heads[h].unit;
        L->higher_is_better = heads[h].higher_is_better;
        double sign = L->higher_is_better ? 1.0 : -1.0;
        size_t best = 0, second = 1;
        for (size_t k = 1; k < s->n_scen; k++)
            if (sign * mean_of(&d, k, h) > sign * mean_of(&d, best, h))
                best = k;
        second = best == 0 ? 1 : 0;
        for (size_t k = 0; k < s->n_scen; k++)
            if (k != best && sign * mean_of(&d, k, h) > sign * mean_of(&d, second, h))
                second = k;
        /* rank sum for "worst overall": the number of scenarios better (ties share) */
        add_ranks(&d, h, sign, rank, order);
        L->winner = best;
        L->runner_up = second;
        wins[best]++;
        L->mean = mean_of(&d, best, h);
        L->lo = d.lo[h][best];
        L->hi = d.hi[h][best];
        kn_summary sp;
        if (paired_of(&d, best, second, h, s->level, &sp) == KN_OK) {
            L->diff = sp.mean;
            L->diff_lo = sp.ci_low;
            L->diff_hi = sp.ci_high;
            L->clear = sp.ci_low > 0.0 || sp.ci_high < 0.0;
        } else {
            L->diff = L->diff_lo = L->diff_hi = NAN;
            L->clear = 0;
        }
    }
    /* overall: most wins; ties go to the profit winner if tied, else the lower index */
    size_t best = 0;
    for (size_t k = 1; k < s->n_scen; k++)
        if (wins[k] > wins[best])
            best = k;
    size_t pw = v->line[3].winner;
    if (wins[pw] == wins[best])
        best = pw;
    v->overall = best;
    size_t worst = best == 0 ? 1 : 0;
    for (size_t k = 0; k < s->n_scen; k++)
        if (k != best && rank[k] > rank[worst])
            worst = k;
    v->worst = worst;
    why_sentence(&d, v);
    free(wins);
    free(rank);
    free(order);
    data_free(&d);
    return KN_OK;
}

static void fmt_value(char *out, size_t cap, const char *metric, double x)
{
    if (!strcmp(metric, "profit"))
        snprintf(out, cap, "%.0f", x);
    else
        snprintf(out, cap, "%.3f", x);
}

void kn_verdict_print(FILE *f, const kn_h5r_study *s, const kn_verdict *v)
{
    char name[KN_TTY_MAX]; /* names as a terminal may show them (tables.h) */
    int R = 0;
    for (size_t i = 0; i < s->n_run; i++)
        if (s->run_scenario[i] == (int)v->overall)
            R++;
    fprintf(f, "Verdict (%g %% confidence intervals; leads are paired over %d replications on "
            "common random numbers)\n", 100.0 * v->level, R);
    for (int h = 0; h < KN_VERDICT_METRICS; h++) {
        const kn_verdict_line *L = &v->line[h];
        char m[32], lo[32], hi[32], dm[32], dlo[32], dhi[32];
        fmt_value(m, sizeof m, L->metric, L->mean);
        fmt_value(lo, sizeof lo, L->metric, L->lo);
        fmt_value(hi, sizeof hi, L->metric, L->hi);
        double sg = L->higher_is_better ? 1.0 : -1.0; /* the lead, in the better direction */
        fmt_value(dm, sizeof dm, L->metric, sg * L->diff);
        fmt_value(dlo, sizeof dlo, L->metric, sg > 0 ? L->diff_lo : -L->diff_hi);
        fmt_value(dhi, sizeof dhi, L->metric, sg > 0 ? L->diff_hi : -L->diff_lo);
        fprintf(f, "  %-19s best: %s, %s [%s, %s] (%s; %s)\n", L->label,
                kn_tty_text(name, sizeof name, s->scen_name[L->winner]), m, lo, hi, L->unit,
                L->higher_is_better ? "higher is better" : "lower is better");
        fprintf(f, "  %-19s   lead over %s: %s [%s, %s]: %s\n", "",
                kn_tty_text(name, sizeof name, s->scen_name[L->runner_up]), dm, dlo, dhi,
                L->clear ? "a clear win" : "too close to call at this level");
    }
    int wins = 0;
    for (int h = 0; h < KN_VERDICT_METRICS; h++)
        wins += v->line[h].winner == v->overall;
    int clear = 0;
    for (int h = 0; h < KN_VERDICT_METRICS; h++)
        clear += v->line[h].winner == v->overall && v->line[h].clear;
    fprintf(f, "Overall: %s is best on %d of %d (clearly on %d).\n",
            kn_tty_text(name, sizeof name, s->scen_name[v->overall]), wins, KN_VERDICT_METRICS, clear);
    char why[4 * sizeof v->why];
    fprintf(f, "Why: %s\n", kn_tty_text(why, sizeof why, v->why));
}
