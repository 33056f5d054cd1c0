/* verdict.c - which policy wins, and why (API in verdict.h; docs/model.md#verdict).
 *
 * Everything is read from the results file. The steady state of each scenario starts
 * at the latest MSER-5 truncation point of its four headline weekly series (the mean
 * over its replications); each run's steady-state value is the mean of its series over
 * that window (retention through the mean weekly hazard). Winners are the best mean;
 * the subset that cannot be told apart from the best comes from paired subset selection
 * at familywise level 1 - confidence (Nelson, Swann, Goldsman & Song 2001). The payback
 * week of a switch is where the mean cumulative profit gap to the status quo turns
 * positive for good, with the interval where its confidence band does (analysis/
 * payback.c). The "why" attributes the winner's gap to the status quo to the levers
 * that differ, from a second file that simulated their combinations on the same random
 * numbers (exact Shapley values, or one lever at a time both ways).
 */
#define _GNU_SOURCE
#include "verdict_int.h"
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "koning/scenario.h"
#include "koning/stats.h"
#include "mser.h"
#include "payback.h"
#include "selection.h"
#include "shapley.h"
#include "tables.h"

const kn_vd_head kn_vd_heads[KN_VERDICT_METRICS] = {
    {"retention", "customer retention", "share kept a year", 1},
    {"service_quality", "service quality", "0-1", 1},
    {"staff_turnover", "staff turnover", "quits a year per employee", 0},
    {"profit", "profit", "money a week", 1},
};
const char *const kn_vd_comp_series[3] = {"revenue", "compensation_cost", "lever_cost"};
const char *const kn_vd_comp_name[KN_VD_C_N] = {"revenue", "compensation", "lever costs", "staff costs"};
const double kn_vd_comp_sign[KN_VD_C_N] = {1.0, -1.0, -1.0, -1.0};

/* ---- a file's runs, by scenario and replication ------------------------------------------ */

void kn_vd_runs_free(kn_vd_runs *d)
{
    for (int i = 0; i < KN_VERDICT_METRICS + 3; i++)
        free(d->series[i]);
    free(d->len);
    free(d->rep);
    free(d->at);
    memset(d, 0, sizeof *d);
}

kn_status kn_vd_runs_load(const kn_h5r *r, const kn_h5r_study *s, kn_vd_runs *d, kn_error *err)
{
    memset(d, 0, sizeof *d);
    d->s = s;
    d->P = s->n_period;
    const char *path = kn_h5r_path(r);
    if (d->P == 0)
        return kn_error_set(err, KN_EINVAL, "%s: no verdict: the file has no time series", path);
    kn_status rc = KN_OK;
    char name[96];
    for (int i = 0; i < KN_VERDICT_METRICS + 3 && rc == KN_OK; i++) {
        snprintf(name, sizeof name, "%s_by_period", i < KN_VERDICT_METRICS ? kn_vd_heads[i].metric
                                                                          : kn_vd_comp_series[i - KN_VERDICT_METRICS]);
        size_t rows = 0, cols = 0;
        rc = kn_h5r_doubles(r, name, &d->series[i], &rows, &cols, err);
        if (rc == KN_OK && (rows != s->n_run || cols != d->P))
            rc = kn_error_set(err, KN_EIO, "%s: dataset '%s' is %zu x %zu, expected %zu x %zu", path,
                              name, rows, cols, s->n_run, d->P);
    }
    size_t n = 0;
    if (rc == KN_OK)
        rc = kn_h5r_doubles(r, "replication", &d->rep, &n, NULL, err);
    if (rc != KN_OK) {
        kn_vd_runs_free(d);
        return rc;
    }
    d->len = malloc(d->P * sizeof *d->len);
    d->n_rep = 1;
    for (size_t i = 0; i < s->n_run; i++)
        if (d->rep[i] >= 0.0 && d->rep[i] < 1e9 && d->rep[i] + 1.0 > (double)d->n_rep)
            d->n_rep = (size_t)d->rep[i] + 1;
    d->at = malloc(s->n_scen * d->n_rep * sizeof *d->at);
    if (!d->len || !d->at) {
        kn_vd_runs_free(d);
        return kn_error_set(err, KN_ENOMEM, "out of memory");
    }
    for (size_t k = 0; k < d->P; k++)
        d->len[k] = s->period_end[k] - (k ? s->period_end[k - 1] : 0.0);
    for (size_t i = 0; i < s->n_scen * d->n_rep; i++)
        d->at[i] = SIZE_MAX;
    for (size_t i = 0; i < s->n_run; i++)
        if (s->run_ok[i] && d->rep[i] >= 0.0 && d->rep[i] < (double)d->n_rep)
            d->at[(size_t)s->run_scenario[i] * d->n_rep + (size_t)d->rep[i]] = i;
    return KN_OK;
}

/* Run i's steady-state value of series h over periods [from, P): retention through its
 * mean hazard, money per week, the rest as the mean of the periods. NaN if none. */
double kn_vd_steady_value(const kn_vd_runs *d, int h, size_t i, size_t from)
{
    const double *y = d->series[h] + i * d->P;
    double sum = 0.0, n = 0.0;
    for (size_t k = from; k < d->P; k++) {
        double x = y[k];
        if (!isfinite(x))
            continue;
        if (h == 0) /* retention = exp(-hazard): average the hazards */
            x = x > 0.0 ? -log(x) : INFINITY;
        else if (h >= 3) /* money per period: per week */
            x = d->len[k] > 0.0 ? x * 7.0 / d->len[k] : NAN;
        if (!isfinite(x))
            continue;
        sum += x;
        n += 1.0;
    }
    if (!(n > 0.0))
        return NAN;
    return h == 0 ? exp(-sum / n) : sum / n;
}

/* x[s * n_rep + r]: the steady value of series h of scenario s, replication r (NaN if
 * that run is missing or failed), from period from[s]. */
static void steady_matrix(const kn_vd_runs *d, int h, const size_t *from, double *x)
{
    for (size_t s = 0; s < d->s->n_scen; s++)
        for (size_t r = 0; r < d->n_rep; r++) {
            size_t i = d->at[s * d->n_rep + r];
            x[s * d->n_rep + r] = i == SIZE_MAX ? NAN : kn_vd_steady_value(d, h, i, from[s]);
        }
}

/* Mean and Student-t interval of the finite values among x[0..n). */
int kn_vd_summarise(const double *x, size_t n, double level, kn_summary *out)
{
    double *y = malloc((n ? n : 1) * sizeof *y);
    size_t m = 0;
    for (size_t i = 0; y && i < n; i++)
        if (isfinite(x[i]))
            y[m++] = x[i];
    int ok = y && m >= 2 && kn_summarize(y, m, 1, level, out, NULL) == KN_OK;
    free(y);
    return ok;
}

/* ---- the status quo ------------------------------------------------------------------------ */

/* The values of every policy key (n_keys of them, `pfx` "policy." or "start.policy.") for
 * every scenario of file r: vals[k * n_scen + s]. */
kn_status kn_vd_policy_columns(const kn_h5r *r, size_t n_scen, const char *pfx, double **vals,
                                size_t *n_keys, const char ***keys, kn_error *err)
{
    size_t nk = 0;
    for (size_t i = 0; i < kn_param_count(); i++)
        nk += !strncmp(kn_param_at(i)->path, "policy.", 7);
    *vals = malloc((nk ? nk : 1) * n_scen * sizeof **vals);
    *keys = malloc((nk ? nk : 1) * sizeof **keys);
    if (!*vals || !*keys)
        return kn_error_set(err, KN_ENOMEM, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < kn_param_count(); i++) {
        const char *p = kn_param_at(i)->path;
        if (strncmp(p, "policy.", 7) != 0)
            continue;
        char name[160];
        snprintf(name, sizeof name, "%s%s", pfx, p + 7);
        double *col = NULL;
        size_t n = 0;
        kn_status rc = kn_h5r_doubles(r, name, &col, &n, NULL, err);
        if (rc != KN_OK)
            return rc;
        for (size_t s = 0; s < n_scen; s++)
            (*vals)[k * n_scen + s] = s < n ? col[s] : NAN;
        free(col);
        (*keys)[k++] = p;
    }
    *n_keys = nk;
    return KN_OK;
}

/* The scenario the others switched from: start.days > 0 and its levers are the status
 * quo's; SIZE_MAX if none. */
static size_t find_status_quo(const kn_h5r *r, size_t n_scen)
{
    double *days = NULL, *now = NULL, *before = NULL;
    const char **keys = NULL, **keys2 = NULL;
    size_t n = 0, nk = 0, nk2 = 0, found = SIZE_MAX;
    kn_error e = {0};
    if (kn_h5r_doubles(r, "start.days", &days, &n, NULL, &e) == KN_OK &&
        kn_vd_policy_columns(r, n_scen, "policy.", &now, &nk, &keys, &e) == KN_OK &&
        kn_vd_policy_columns(r, n_scen, "start.policy.", &before, &nk2, &keys2, &e) == KN_OK) {
        for (size_t s = 0; s < n_scen && found == SIZE_MAX; s++) {
            if (!(s < n && days[s] > 0.0))
                continue;
            size_t k = 0;
            while (k < nk && now[k * n_scen + s] == before[k * n_scen + s])
                k++;
            if (k == nk)
                found = s;
        }
    }
    free(days);
    free(now);
    free(before);
    free((void *)keys);
    free((void *)keys2);
    return found;
}

/* ---- the verdict --------------------------------------------------------------------------- */

void kn_verdict_free(kn_verdict *v)
{
    if (!v)
        return;
    for (int h = 0; h < KN_VERDICT_METRICS; h++) {
        free(v->line[h].best);
        v->line[h].best = NULL;
    }
    free(v->from);
    free(v->steady);
    free(v->payback_case);
    free(v->payback_week);
    free(v->payback_lo);
    free(v->payback_hi);
    free(v->drift);
    free(v->drift_lo);
    free(v->drift_hi);
    v->drift = v->drift_lo = v->drift_hi = NULL;
    v->from = v->payback_week = v->payback_lo = v->payback_hi = NULL;
    v->steady = v->payback_case = NULL;
}

/* The steady state of each scenario starts at the latest MSER-5 cut of its four headline
 * series (each searched in the first half of the horizon); whether it is one is decided
 * by drifts() below. */
static void steady_windows(const kn_vd_runs *d, kn_verdict *v)
{
    size_t S = d->s->n_scen, P = d->P, R = d->n_rep;
    double *y = malloc(R * P * sizeof *y);
    for (size_t s = 0; s < S; s++) {
        v->from[s] = 0;
        v->steady[s] = y != NULL && P >= 10;
        for (int h = 0; y && h < KN_VERDICT_METRICS && P >= 10; h++) {
            size_t m = 0;
            for (size_t r = 0; r < R; r++) {
                size_t i = d->at[s * R + r];
                if (i == SIZE_MAX)
                    continue;
                const double *row = d->series[h] + i * P;
                int finite = 1;
                for (size_t k = 0; k < P; k++)
                    finite &= isfinite(row[k]) != 0;
                if (finite)
                    memcpy(y + m++ * P, row, P * sizeof *y);
            }
            kn_mser out;
            if (m == 0 || kn_mser5_rows(y, m, P, P, &out, NULL) != KN_OK)
                continue; /* no usable series: the whole window */
            if (out.d > v->from[s])
                v->from[s] = out.d; /* searched in the first half only */
        }
    }
    free(y);
}

/* How fast each headline series still moves over the window: per replication the
 * least-squares slope of the run's values (retention as the period's value, profit per
 * week) against time in years, then its mean and interval across replications. */
static void drifts(const kn_vd_runs *d, kn_verdict *v)
{
    size_t S = d->s->n_scen, P = d->P, R = d->n_rep;
    double *slope = malloc((R ? R : 1) * sizeof *slope);
    for (size_t s = 0; s < S; s++)
        for (int h = 0; h < KN_VERDICT_METRICS; h++) {
            size_t j = s * KN_VERDICT_METRICS + (size_t)h;
            v->drift[j] = v->drift_lo[j] = v->drift_hi[j] = NAN;
            for (size_t r = 0; slope && r < R; r++) {
                size_t i = d->at[s * R + r];
                slope[r] = NAN;
                if (i == SIZE_MAX)
                    continue;
                const double *y = d->series[h] + i * P;
                double n = 0, st = 0, sy = 0, stt = 0, sty = 0, t = 0;
                for (size_t k = 0; k < P; k++) {
                    double mid = (t + 0.5 * d->len[k]) / 365.0, x = y[k];
                    t += d->len[k];
                    if (k < v->from[s] || !isfinite(x))
                        continue;
                    if (h == 3)
                        x = d->len[k] > 0.0 ? x * 7.0 / d->len[k] : NAN;
                    if (!isfinite(x) || d->len[k] < 0.5 * d->len[0])
                        continue; /* a short last period says little about a trend */
                    n += 1;
                    st += mid;
                    sy += x;
                    stt += mid * mid;
                    sty += mid * x;
                }
                double den = n * stt - st * st;
                if (n >= 3 && den > 0.0)
                    slope[r] = (n * sty - st * sy) / den;
            }
            kn_summary sm;
            /* four tests per scenario: Bonferroni, so that a steady scenario is flagged
             * with probability at most 1 - level */
            double level = 1.0 - (1.0 - v->level) / KN_VERDICT_METRICS;
            if (slope && kn_vd_summarise(slope, R, level, &sm)) {
                v->drift[j] = sm.mean;
                v->drift_lo[j] = sm.ci_low;
                v->drift_hi[j] = sm.ci_high;
                if (sm.ci_low > 0.0 || sm.ci_high < 0.0)
                    v->steady[s] = 0; /* still moving over the window */
            }
        }
    free(slope);
}

/* The cumulative gap of scenario s to the status quo q in series y ([n_run x P]) by period,
 * signed by `sign` so that above 0 is better, replication by replication over the pairs both
 * ran (gap [R x P], scratch), and its payback (kn_payback_estimate): band [3 x P] gets the
 * mean curve and its band, *m the pairs. */
static kn_status payback_of(const kn_vd_runs *d, const double *y, int sign, size_t s, size_t q,
                            double level, double *gap, double *band, size_t *m, kn_payback *pb)
{
    size_t P = d->P, R = d->n_rep;
    *m = 0;
    for (size_t r = 0; r < R; r++) {
        size_t i = d->at[s * R + r], j = d->at[q * R + r];
        if (i == SIZE_MAX || j == SIZE_MAX)
            continue;
        double cum = 0.0;
        for (size_t k = 0; k < P; k++) {
            double a = y[i * P + k], b = y[j * P + k];
            cum += isfinite(a) && isfinite(b) ? sign * (a - b) : 0.0;
            gap[*m * P + k] = cum;
        }
        (*m)++;
    }
    if (*m < 2)
        return KN_EINVAL;
    return kn_payback_estimate(gap, *m, P, P, level, band, band + P, band + 2 * P, pb, NULL);
}

/* Payback of each policy against the status quo: the cumulative gap of series y ([n_run x
 * P], profit's by default) by week, signed so that above 0 is better. */
static void paybacks(const kn_vd_runs *d, const double *y, kn_verdict *v)
{
    size_t S = d->s->n_scen, P = d->P, R = d->n_rep, q = v->status_quo;
    double *gap = malloc(R * P * sizeof *gap), *band = malloc(3 * P * sizeof *band);
    for (size_t s = 0; s < S; s++) {
        v->payback_case[s] = -1;
        v->payback_week[s] = v->payback_lo[s] = v->payback_hi[s] = SIZE_MAX;
        if (q == SIZE_MAX || s == q || !gap || !band)
            continue;
        size_t m = 0;
        kn_payback pb;
        if (payback_of(d, y, v->payback_sign, s, q, v->level, gap, band, &m, &pb) == KN_OK) {
            v->payback_case[s] = (int)pb.kase;
            v->payback_week[s] = pb.week;
            v->payback_lo[s] = pb.week_lo;
            v->payback_hi[s] = pb.week_hi;
        }
    }
    free(gap);
    free(band);
}

/* The payback's series `metric` ([n_run x n_period]) into *out, or NULL for "profit" (the
 * headline series the runs already hold). KN_EINVAL naming it when the file lacks it. */
static kn_status payback_series(const kn_h5r *r, const kn_h5r_study *s, const char *metric,
                                double **out, kn_error *err)
{
    *out = NULL;
    if (!strcmp(metric, "profit"))
        return KN_OK;
    char name[96];
    snprintf(name, sizeof name, "%s_by_period", metric);
    size_t rows = 0, cols = 0;
    kn_error e2 = {0};
    if (kn_h5r_doubles(r, name, out, &rows, &cols, &e2) != KN_OK || rows != s->n_run ||
        cols != s->n_period) {
        free(*out);
        *out = NULL;
        return kn_error_set(err, KN_EINVAL, "payback: '%s' is not a series of %s (the series "
                            "are the datasets NAME_by_period)", metric, kn_h5r_path(r));
    }
    return KN_OK;
}

kn_status kn_verdict_from_file(const kn_h5r *r, const kn_h5r_study *s, kn_verdict *v,
                               kn_error *err)
{
    return kn_verdict_from_file_payback(r, s, NULL, v, err);
}

kn_status kn_verdict_from_file_payback(const kn_h5r *r, const kn_h5r_study *s,
                                       const char *payback, kn_verdict *v, kn_error *err)
{
    memset(v, 0, sizeof *v);
    const char *path = kn_h5r_path(r);
    if (!s->organisation)
        return kn_error_set(err, KN_EINVAL, "%s: no verdict: not an organisation-model study "
                            "(customers.base = 0)", path);
    if (s->n_scen < 2)
        return kn_error_set(err, KN_EINVAL, "%s: no verdict: one scenario only", path);
    if (s->kind && !strcmp(s->kind, "robust"))
        return kn_error_set(err, KN_EINVAL, "%s: a robust study: its verdict is across worlds "
                            "(koning robust %s)", path, path);
    /* the payback's series: NAME or NAME:lower */
    const char *colon = payback ? strchr(payback, ':') : NULL;
    size_t name_len = payback ? (colon ? (size_t)(colon - payback) : strlen(payback)) : 6;
    if (!payback)
        payback = "profit";
    if (name_len == 0 || name_len >= sizeof v->payback_metric ||
        (colon && strcmp(colon, ":lower") && strcmp(colon, ":higher")))
        return kn_error_set(err, KN_EINVAL, "payback: expected a series name, optionally followed "
                            "by :lower or :higher, got '%s'", payback);
    memcpy(v->payback_metric, payback, name_len);
    v->payback_metric[name_len] = '\0';
    v->payback_sign = colon && !strcmp(colon, ":lower") ? -1 : 1;
    double *pb_series = NULL;
    KN_CHECK(payback_series(r, s, v->payback_metric, &pb_series, err));
    kn_vd_runs d;
    kn_status lrc = kn_vd_runs_load(r, s, &d, err);
    if (lrc != KN_OK) {
        free(pb_series);
        return lrc;
    }
    size_t S = s->n_scen, R = d.n_rep;
    v->level = s->level > 0.0 && s->level < 1.0 ? s->level : 0.95;
    v->n_scen = S;
    v->n_period = d.P;
    v->period_days = d.P ? d.len[0] : NAN;
    v->from = calloc(S, sizeof *v->from);
    v->steady = calloc(S, sizeof *v->steady);
    v->payback_case = calloc(S, sizeof *v->payback_case);
    v->payback_week = calloc(S, sizeof *v->payback_week);
    v->payback_lo = calloc(S, sizeof *v->payback_lo);
    v->payback_hi = calloc(S, sizeof *v->payback_hi);
    v->drift = calloc(S * KN_VERDICT_METRICS, sizeof *v->drift);
    v->drift_lo = calloc(S * KN_VERDICT_METRICS, sizeof *v->drift_lo);
    v->drift_hi = calloc(S * KN_VERDICT_METRICS, sizeof *v->drift_hi);
    double *x = malloc(S * R * sizeof *x);
    int *wins = calloc(S, sizeof *wins);
    kn_status rc = KN_OK;
    if (!v->from || !v->steady || !v->payback_case || !v->payback_week || !v->payback_lo ||
        !v->payback_hi || !v->drift || !v->drift_lo || !v->drift_hi || !x || !wins)
        rc = kn_error_set(err, KN_ENOMEM, "out of memory");
    for (size_t k = 0; k < S && rc == KN_OK; k++) {
        size_t n_ok = 0;
        for (size_t i = 0; i < R; i++)
            n_ok += d.at[k * R + i] != SIZE_MAX;
        if (n_ok < 2)
            rc = kn_error_set(err, KN_EINVAL, "%s: no verdict: scenario '%s' has %zu successful runs "
                              "(need 2)", path, s->scen_name[k], n_ok);
    }
    if (rc == KN_OK) {
        v->status_quo = find_status_quo(r, S);
        steady_windows(&d, v);
        drifts(&d, v);
        paybacks(&d, pb_series ? pb_series : d.series[3], v);
    }
    for (int h = 0; h < KN_VERDICT_METRICS && rc == KN_OK; h++) {
        kn_verdict_line *L = &v->line[h];
        L->metric = kn_vd_heads[h].metric;
        L->label = kn_vd_heads[h].label;
        L->unit = kn_vd_heads[h].unit;
        L->higher_is_better = kn_vd_heads[h].higher_is_better;
        L->best = calloc(S, sizeof *L->best);
        if (!L->best) {
            rc = kn_error_set(err, KN_ENOMEM, "out of memory");
            break;
        }
        steady_matrix(&d, h, v->from, x);
        double sign = L->higher_is_better ? 1.0 : -1.0, *mean = malloc(S * sizeof *mean);
        if (!mean) {
            rc = kn_error_set(err, KN_ENOMEM, "out of memory");
            break;
        }
        for (size_t k = 0; k < S; k++) {
            kn_summary sm;
            mean[k] = kn_vd_summarise(x + k * R, R, v->level, &sm) ? sm.mean : NAN;
        }
        size_t best = 0, second = SIZE_MAX;
        for (size_t k = 1; k < S; k++)
            if (isnan(mean[best]) || sign * mean[k] > sign * mean[best])
                best = k;
        for (size_t k = 0; k < S; k++)
            if (k != best && (second == SIZE_MAX || sign * mean[k] > sign * mean[second]))
                second = k;
        free(mean);
        L->winner = best;
        L->runner_up = second;
        wins[best]++;
        kn_summary sm;
        kn_vd_summarise(x + best * R, R, v->level, &sm);
        L->mean = sm.mean;
        L->lo = sm.ci_low;
        L->hi = sm.ci_high;
        double *diff = malloc(R * sizeof *diff);
        for (size_t i = 0; diff && i < R; i++)
            diff[i] = x[best * R + i] - x[second * R + i];
        if (diff && kn_vd_summarise(diff, R, v->level, &sm)) {
            L->diff = sm.mean;
            L->diff_lo = sm.ci_low;
            L->diff_hi = sm.ci_high;
        } else {
            L->diff = L->diff_lo = L->diff_hi = NAN;
        }
        free(diff);
        /* the subset that cannot be told apart from the best (Nelson et al. 2001) */
        if (kn_subset_select(x, S, R, R, 1.0 - v->level, L->higher_is_better, L->best, &L->n_best,
                             NULL) != KN_OK) {
            for (size_t k = 0; k < S; k++)
                L->best[k] = 1;
            L->n_best = S;
        }
        L->best[best] = 1; /* the best mean is in it by construction */
        L->n_best = 0;
        for (size_t k = 0; k < S; k++)
            L->n_best += L->best[k] != 0;
        L->clear = L->n_best == 1;
    }
    if (rc == KN_OK) {
        /* overall: most wins; ties go to the profit winner if tied, else the lower index */
        size_t best = 0;
        for (size_t k = 1; k < S; k++)
            if (wins[k] > wins[best])
                best = k;
        size_t pw = v->line[3].winner;
        if (wins[pw] == wins[best])
            best = pw;
        v->overall = best;
    }
    free(x);
    free(wins);
    free(pb_series);
    kn_vd_runs_free(&d);
    if (rc != KN_OK)
        kn_verdict_free(v);
    return rc;
}

/* ---- for the charts: the payback curves ------------------------------------------------ */

kn_status kn_verdict_payback_curves(const kn_h5r *r, const kn_h5r_study *s, const kn_verdict *v,
                                    double *mean, double *lo, double *hi, size_t *pairs,
                                    kn_error *err)
{
    size_t S = s->n_scen, q = v->status_quo;
    if (q == SIZE_MAX || q >= S)
        return kn_error_set(err, KN_EINVAL, "%s: no payback: the study has no status quo",
                            kn_h5r_path(r));
    double *y = NULL;
    KN_CHECK(payback_series(r, s, v->payback_metric[0] ? v->payback_metric : "profit", &y, err));
    kn_vd_runs d;
    kn_status lrc = kn_vd_runs_load(r, s, &d, err);
    if (lrc != KN_OK) {
        free(y);
        return lrc;
    }
    size_t P = d.P, R = d.n_rep;
    double *gap = malloc(R * P * sizeof *gap), *band = malloc(3 * P * sizeof *band);
    kn_status rc = gap && band ? KN_OK : kn_error_set(err, KN_ENOMEM, "out of memory");
    for (size_t k = 0; k < S * P; k++)
        mean[k] = lo[k] = hi[k] = NAN;
    for (size_t sc = 0; sc < S && rc == KN_OK; sc++) {
        kn_payback pb;
        pairs[sc] = 0;
        if (sc == q || payback_of(&d, y ? y : d.series[3], v->payback_sign ? v->payback_sign : 1,
                                  sc, q, v->level, gap, band, &pairs[sc], &pb) != KN_OK)
            continue;
        memcpy(mean + sc * P, band, P * sizeof *band);
        memcpy(lo + sc * P, band + P, P * sizeof *band);
        memcpy(hi + sc * P, band + 2 * P, P * sizeof *band);
    }
    free(gap);
    free(band);
    free(y);
    kn_vd_runs_free(&d);
    return rc;
}

/* ---- why: the levers ------------------------------------------------------------------------ */

