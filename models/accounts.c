/* accounts.c - what the organisation counts: accumulators per period, over the window
 * and over the last 28 days; a run's metrics, its time series and retention
 * (docs/model.md section 3). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "org_internal.h"

/* The accumulators an event at time t counts in: its period, the window, the last
 * 28 days. Returns how many (0 past the horizon). */
int kn_org_accs(kn_org *o, double t, kn_org_acc *out[3])
{
    int n = 0;
    if (!(t >= 0.0) || t >= o->t_end)
        return 0;
    uint32_t k = (uint32_t)(t / o->period_len);
    out[n++] = &o->periods[k < o->n_periods ? k : o->n_periods - 1];
    if (t >= o->t_warmup)
        out[n++] = &o->win;
    if (t >= o->last_from)
        out[n++] = &o->last;
    return n;
}

static double ratio(double num, double den)
{
    return den > 0.0 ? num / den : NAN;
}

/* Equally spaced interval starts: a_i = origin + i * step (up to rounding). */
typedef struct grid {
    const double *a, *b; /* starts and ends, non-decreasing */
    size_t m;
    double origin, step;
} grid;

/* First i in [0, m) with x[i] >= v (m if none), x one of g's two arrays: guessed from
 * the spacing, then corrected against the array itself, so the result is exactly the
 * one a search would give (a step or two from the guess at most). */
static size_t first_at_least(const grid *g, const double *x, double v)
{
    if (!(v > x[0]))
        return 0;
    if (!(v <= x[g->m - 1]))
        return g->m;
    double guess = ceil((v - g->origin) / g->step);
    size_t i = guess < 1.0 ? 1 : guess > (double)(g->m - 1) ? g->m - 1 : (size_t)guess;
    while (i > 1 && x[i - 1] >= v)
        i--;
    while (x[i] < v)
        i++;
    return i; /* x[i - 1] < v <= x[i] */
}

/* Survival over intervals [a_i, b_i] (days; a and b non-decreasing), for every i at
 * once, in one pass over the customers: out[i] = (customers active at a_i and still
 * active at b_i) / (customers active at a_i). A customer is active at day d when
 * joined <= d < left, so he counts for the i with a_i in [joined, left) and is kept for
 * those with b_i < left too: two ranges of i, added as differences. cnt holds 2(m + 1)
 * counters. */
static void survival_all(const kn_org *o, const grid *g, uint64_t *cnt, double *out)
{
    size_t m = g->m, base = (size_t)o->base;
    uint64_t *n = cnt, *k = cnt + m + 1;
    memset(cnt, 0, 2 * (m + 1) * sizeof *cnt);
    /* customers of the initial base never made were active all along */
    uint64_t untouched = base - o->n_made;
    if (g->a[0] >= 0.0) {
        n[0] += untouched;
        n[m] -= untouched;
        k[0] += untouched;
        k[m] -= untouched;
    }
    for (size_t j = 0; j < o->n_made + (o->n_cust - base); j++) {
        const kn_cust *c = &o->cust[j < o->n_made ? (size_t)o->made_ids[j] : base + (j - o->n_made)];
        size_t ka = first_at_least(g, g->a, c->joined), kb = first_at_least(g, g->a, c->left);
        if (kb <= ka)
            continue;
        n[ka]++;
        n[kb]--;
        size_t ke = first_at_least(g, g->b, c->left);
        ke = ke < kb ? ke : kb;
        if (ke > ka) {
            k[ka]++;
            k[ke]--;
        }
    }
    uint64_t in = 0, kept = 0;
    for (size_t i = 0; i < m; i++) {
        in += n[i];
        kept += k[i];
        out[i] = ratio((double)kept, (double)in);
    }
}

/* The years [y, y + 365) that fit in the window from the end of warm-up; 0 if none. */
static size_t retention_years(const kn_org *o, double *a, double *b, size_t cap)
{
    double w = o->t_warmup / DAY, end = o->t_end / DAY;
    size_t m = 0;
    for (double y = w; y + YEAR_DAYS <= end + 1e-9 && m < cap; y += YEAR_DAYS, m++) {
        a[m] = y;
        b[m] = y + YEAR_DAYS;
    }
    return m;
}

#define MAX_YEARS 16 /* run.days <= 3650 */

int kn_org_finish(kn_org *o)
{
    size_t np = o->n_periods, m = np > MAX_YEARS ? np : MAX_YEARS;
    double *a = malloc(2 * m * sizeof *a);
    uint64_t *cnt = malloc(2 * (m + 1) * sizeof *cnt);
    if (!a || !cnt) {
        free(a);
        free(cnt);
        return -1;
    }
    double *b = a + m;
    /* the periods of the time series */
    for (size_t k = 0; k < np; k++) {
        double t0 = (double)k * o->period_len;
        double t1 = k + 1 == np ? o->t_end : t0 + o->period_len;
        a[k] = t0 / DAY;
        b[k] = t1 / DAY;
    }
    grid g = {a, b, np, 0.0, o->period_len / DAY};
    survival_all(o, &g, cnt, o->surv_period);
    /* retention: the mean over whole years, else annualised over the window */
    double surv[MAX_YEARS];
    size_t years = retention_years(o, a, b, MAX_YEARS);
    if (years) {
        grid gy = {a, b, years, o->t_warmup / DAY, YEAR_DAYS};
        survival_all(o, &gy, cnt, surv);
        double sum = 0.0;
        for (size_t y = 0; y < years; y++)
            sum += surv[y];
        o->retention = sum / (double)years;
    } else {
        double w = o->t_warmup / DAY, end = o->t_end / DAY;
        a[0] = w;
        b[0] = end;
        grid g1 = {a, b, 1, w, end - w};
        survival_all(o, &g1, cnt, surv);
        o->retention = pow(surv[0], YEAR_DAYS / (end - w));
    }
    free(a);
    free(cnt);
    return 0;
}

/* What the levers cost in accumulator a (money). */
static double lever_cost(const kn_org_acc *a)
{
    return a->invest_cost + a->gesture_cost + a->authority_cost + a->training_cost + a->fix_cost +
           a->retention_cost;
}

static void fill(const kn_org *o, const kn_org_acc *a, double *v, double days)
{
    double weeks = days / WEEK_DAYS;
    double levers = lever_cost(a);
    v[KN_M_SERVICE_QUALITY] = ratio(a->q_sum, a->visits);
    v[KN_M_FIRST_CONTACT_RESOLUTION] = ratio(a->resolved, a->served);
    v[KN_M_SATISFACTION] = ratio(a->sat_sum, a->days);
    v[KN_M_COMPLAINTS_PER_WEEK] = ratio(a->complaints, weeks);
    v[KN_M_EXPLOITATIVE_CLAIMS_PER_WEEK] = ratio(a->claims, weeks);
    v[KN_M_COMPENSATION_COST] = ratio(a->compensation, weeks);
    v[KN_M_REVENUE] = ratio(a->revenue, weeks);
    v[KN_M_PROFIT] = ratio(a->revenue - a->wages - a->hiring - a->compensation - levers, weeks);
    v[KN_M_ACTIVE_CUSTOMERS] = ratio(a->active_sum, a->days);
    v[KN_M_NEW_CUSTOMERS_PER_WEEK] = ratio(a->new_c[0] + a->new_c[1] + a->new_c[2], weeks);
    v[KN_M_CHURNED_CUSTOMERS_PER_WEEK] = ratio(a->churned[0] + a->churned[1] + a->churned[2], weeks);
    v[KN_M_BANNED_CUSTOMERS_PER_WEEK] = ratio(a->banned, weeks);
    v[KN_M_HEADCOUNT] = ratio(a->head_sum, a->days);
    v[KN_M_VACANCIES] = ratio(a->vac_sum, a->days);
    v[KN_M_STAFF_TURNOVER] = ratio(ratio(a->quits, days / YEAR_DAYS), ratio(a->head_sum, a->days));
    v[KN_M_MEAN_MORALE] = ratio(a->morale_sum, a->emp_days);
    v[KN_M_MEAN_EXHAUSTION] = ratio(a->exh_sum, a->emp_days);
    v[KN_M_BURNOUT_SHARE] = ratio(a->burnout_sum, a->emp_days);
    v[KN_M_SICK_SHARE] = ratio(a->sick_days, a->scheduled_days);
    v[KN_M_ABUSIVE_CONTACTS] = ratio(a->abusive, a->work_days);
    v[KN_M_WORK_PRESSURE] = ratio(a->wp_sum, a->days);
    v[KN_M_UTILIZATION] = ratio(a->busy, a->work_days * o->open_minutes);
    v[KN_M_STANDARD_MINUTES] = a->days > 0.0 ? a->standard_end : NAN;
    v[KN_M_QUALITY_FROM_RESOLUTION] = ratio(a->q_res, a->visits);
    v[KN_M_QUALITY_FROM_COURTESY] = ratio(a->q_court, a->visits);
    v[KN_M_QUALITY_FROM_WAIT] = ratio(a->q_wait, a->visits);
    v[KN_M_STAFF_COST] = ratio(a->wages + a->hiring, weeks);
    v[KN_M_LEVER_COST] = ratio(levers, weeks);
    v[KN_M_INVESTIGATION_COST] = ratio(a->invest_cost, weeks);
    v[KN_M_GOODWILL_COST] = ratio(a->gesture_cost + a->authority_cost, weeks);
    v[KN_M_TRAINING_COST] = ratio(a->training_cost, weeks);
    v[KN_M_ROOT_CAUSE_COST] = ratio(a->fix_cost, weeks);
    v[KN_M_RETENTION_COST] = ratio(a->retention_cost, weeks);
    v[KN_M_REPEAT_SHARE] = ratio(a->repeats, a->visits);
    v[KN_M_QUALITY_FROM_REPEATS] = ratio(a->q_repeat, a->visits);
    v[KN_M_UNCIVIL_CONTACTS] = ratio(a->uncivil, a->work_days);
    v[KN_M_ABUSE_BY_POLITE] = ratio(a->abusive_polite, a->abusive);
    v[KN_M_BANNED_NOT_RUDE] = ratio(a->banned - a->banned_rude, a->banned);
    v[KN_M_WOM_GAINED_PER_WEEK] = ratio(a->wom_gain, weeks);
    v[KN_M_WOM_LOST_PER_WEEK] = ratio(a->wom_loss, weeks);
    v[KN_M_PUBLIC_INCIDENTS] = ratio(a->public_incidents, days / YEAR_DAYS);
    v[KN_M_WON_BACK_PER_WEEK] = ratio(a->won_back, weeks);
    v[KN_M_MARKET_SHARE] = ratio(a->share_sum, a->days);
    v[KN_M_DEFECT_SHARE] = ratio(a->defect_sum, a->days);
    v[KN_M_WAIT_VALUABLE] = ratio(a->wait_valuable, a->n_valuable);
    v[KN_M_WAIT_OTHERS] = ratio(a->wait_others, a->n_others);
    v[KN_M_COMP_PER_COMPLAINT_RUDE] = ratio(a->comp_rude, a->complaints_rude);
    v[KN_M_COMP_PER_COMPLAINT_POLITE] = ratio(a->comp_polite, a->complaints_polite);
    v[KN_M_POSITIONS] = ratio(a->open_sum, a->days);
    v[KN_M_ACQUISITION_RATE] = ratio(a->acquisition, weeks);
}

void kn_org_results(const kn_org *o, double values[KN_METRIC_COUNT])
{
    double v[KN_METRIC_COUNT];
    for (int m = 0; m < KN_METRIC_COUNT; m++)
        v[m] = NAN;
    fill(o, &o->win, v, (o->t_end - o->t_warmup) / DAY);
    for (int m = KN_M_ORG_FIRST; m <= KN_M_STANDARD_MINUTES; m++)
        values[m] = v[m];
    values[KN_M_UTILIZATION] = v[KN_M_UTILIZATION]; /* of working employees in open hours */
    values[KN_M_RETENTION] = o->retention;
    for (int m = KN_M_QUALITY_FROM_RESOLUTION; m < KN_METRIC_COUNT; m++)
        values[m] = v[m];
    fill(o, &o->last, v, (o->t_end - o->last_from) / DAY);
    values[KN_M_SERVICE_QUALITY_END] = v[KN_M_SERVICE_QUALITY];
    values[KN_M_SATISFACTION_END] = v[KN_M_SATISFACTION];
    values[KN_M_ACTIVE_CUSTOMERS_END] = v[KN_M_ACTIVE_CUSTOMERS];
    values[KN_M_HEADCOUNT_END] = v[KN_M_HEADCOUNT];
    values[KN_M_MEAN_MORALE_END] = v[KN_M_MEAN_MORALE];
    values[KN_M_MEAN_EXHAUSTION_END] = v[KN_M_MEAN_EXHAUSTION];
}

void kn_org_series(const kn_org *o, double *series)
{
    uint32_t n = o->n_periods;
    for (uint32_t k = 0; k < n; k++) {
        const kn_org_acc *a = &o->periods[k];
        double t0 = (double)k * o->period_len;
        double t1 = k + 1 == n ? o->t_end : t0 + o->period_len;
        double days = (t1 - t0) / DAY;
        double v[KN_METRIC_COUNT];
        fill(o, a, v, days);
#define S(row) series[(size_t)(row) * n + k]
        S(KN_S_UTILIZATION) = v[KN_M_UTILIZATION];
        S(KN_S_ACTIVE_CUSTOMERS) = v[KN_M_ACTIVE_CUSTOMERS];
        S(KN_S_NEW_CUSTOMERS) = a->new_c[0] + a->new_c[1] + a->new_c[2];
        S(KN_S_CHURNED_CUSTOMERS) = a->churned[0] + a->churned[1] + a->churned[2];
        S(KN_S_NEW_POLITE) = a->new_c[KN_POLITE];
        S(KN_S_NEW_RUDE) = a->new_c[KN_RUDE];
        S(KN_S_NEW_EXPLOITATIVE) = a->new_c[KN_EXPLOITATIVE];
        S(KN_S_CHURNED_POLITE) = a->churned[KN_POLITE];
        S(KN_S_CHURNED_RUDE) = a->churned[KN_RUDE];
        S(KN_S_CHURNED_EXPLOITATIVE) = a->churned[KN_EXPLOITATIVE];
        S(KN_S_BANNED_CUSTOMERS) = a->banned;
        S(KN_S_RETENTION) = days > 0.0 ? pow(o->surv_period[k], YEAR_DAYS / days) : NAN;
        S(KN_S_SATISFACTION) = v[KN_M_SATISFACTION];
        S(KN_S_SERVICE_QUALITY) = v[KN_M_SERVICE_QUALITY];
        S(KN_S_FIRST_CONTACT_RESOLUTION) = v[KN_M_FIRST_CONTACT_RESOLUTION];
        S(KN_S_COMPLAINTS) = a->complaints;
        S(KN_S_EXPLOITATIVE_CLAIMS) = a->claims;
        S(KN_S_COMPENSATION_COST) = a->compensation;
        S(KN_S_REVENUE) = a->revenue;
        S(KN_S_PROFIT) = a->revenue - a->wages - a->hiring - a->compensation - lever_cost(a);
        S(KN_S_HEADCOUNT) = v[KN_M_HEADCOUNT];
        S(KN_S_VACANCIES) = v[KN_M_VACANCIES];
        S(KN_S_QUITS) = a->quits;
        S(KN_S_STAFF_TURNOVER) = v[KN_M_STAFF_TURNOVER];
        S(KN_S_MEAN_MORALE) = v[KN_M_MEAN_MORALE];
        S(KN_S_MEAN_EXHAUSTION) = v[KN_M_MEAN_EXHAUSTION];
        S(KN_S_BURNOUT_SHARE) = v[KN_M_BURNOUT_SHARE];
        S(KN_S_SICK_SHARE) = v[KN_M_SICK_SHARE];
        S(KN_S_ABUSIVE_CONTACTS) = v[KN_M_ABUSIVE_CONTACTS];
        S(KN_S_WORK_PRESSURE) = v[KN_M_WORK_PRESSURE];
        S(KN_S_STANDARD_MINUTES) = v[KN_M_STANDARD_MINUTES];
        S(KN_S_REPEAT_SHARE) = v[KN_M_REPEAT_SHARE];
        S(KN_S_DEFECT_SHARE) = v[KN_M_DEFECT_SHARE];
        S(KN_S_MARKET_SHARE) = v[KN_M_MARKET_SHARE];
        S(KN_S_LEVER_COST) = lever_cost(a);
        S(KN_S_POSITIONS) = v[KN_M_POSITIONS];
#undef S
    }
}
