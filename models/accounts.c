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
    if (!(t >= o->origin) || t >= o->t_end)
        return 0; /* before the switch (the status quo) or past the horizon */
    uint32_t k = (uint32_t)((t - o->origin) / o->period_len);
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

/* ---- time at risk ----------------------------------------------------------------- */

/* Add n customer-minutes per minute (and nt[] by type) over [t0, t1) to accumulator a,
 * as days. */
static void risk_add(kn_org_acc *a, double days, double n, const double *nt)
{
    a->risk += n * days;
    for (int k = 0; k < KN_NTYPES; k++)
        a->risk_type[k] += nt[k] * days;
}

static double overlap_days(double t0, double t1, double lo, double hi)
{
    double a = t0 > lo ? t0 : lo, b = t1 < hi ? t1 : hi;
    return b > a ? (b - a) / DAY : 0.0;
}

void kn_org_risk(kn_org *o, double t)
{
    if (t > o->t_end)
        t = o->t_end;
    double t0 = o->risk_t > o->origin ? o->risk_t : o->origin;
    if (t > o->risk_t)
        o->risk_t = t;
    if (!(t > t0))
        return;
    /* by type: those whose type is drawn, and the rest (customers of the initial base
     * not seen yet) as the mix has them */
    const kn_scenario *sc = o->sc;
    double unknown = (double)o->n_active;
    for (int k = 0; k < KN_NTYPES; k++)
        unknown -= (double)o->known[k];
    double mix[KN_NTYPES] = {1.0 - sc->customers.mix_rude - sc->customers.mix_exploitative,
                             sc->customers.mix_rude, sc->customers.mix_exploitative};
    double nt[KN_NTYPES];
    for (int k = 0; k < KN_NTYPES; k++)
        nt[k] = (double)o->known[k] + unknown * mix[k];
    double n = (double)o->n_active;
    risk_add(&o->win, overlap_days(t0, t, o->t_warmup, o->t_end), n, nt);
    risk_add(&o->last, overlap_days(t0, t, o->last_from, o->t_end), n, nt);
    uint32_t k0 = (uint32_t)((t0 - o->origin) / o->period_len);
    for (uint32_t k = k0; k < o->n_periods; k++) {
        double p0 = o->origin + (double)k * o->period_len;
        double p1 = k + 1 == o->n_periods ? o->t_end : p0 + o->period_len;
        if (p0 >= t)
            break;
        risk_add(&o->periods[k], overlap_days(t0, t, p0, p1), n, nt);
    }
}

/* ---- the cohort ------------------------------------------------------------------- */

/* Of the customers active at day a (joined <= a < left), the share still active at day
 * b: one pass over the records (customers without one never left: they are counted,
 * by the day they joined, from the runs of newcomers). a >= 0. */
static double survival(const kn_org *o, double a, double b)
{
    double joined = (double)o->base, with_record = 0.0, n = 0.0, kept = 0.0;
    for (size_t k = 0; k < o->n_joins; k++)
        if (o->joins[k].day <= a)
            joined += (double)o->joins[k].n;
    for (size_t r = 0; r < o->n_rec; r++) {
        const kn_cust *c = kn_rec(o, (int32_t)r);
        if (c->joined <= a) {
            with_record += 1.0;
            if (c->left > a) {
                n += 1.0;
                kept += c->left > b;
            }
        }
    }
    n += joined - with_record;
    kept += joined - with_record;
    return ratio(kept, n);
}

int kn_org_finish(kn_org *o)
{
    kn_org_risk(o, o->t_end);
    /* the cohort: the customers active at the end of warm-up, a year later (the mean over
     * the whole years that fit; none fits: NaN, never an extrapolation) */
    double w = o->t_warmup / DAY, end = o->t_end / DAY, sum = 0.0;
    int years = 0;
    for (double y = w; y + YEAR_DAYS <= end + 1e-9; y += YEAR_DAYS, years++)
        sum += survival(o, y, y + YEAR_DAYS);
    o->cohort = years ? sum / years : NAN;
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
    v[KN_M_FIRST_CONTACT_RESOLUTION] = ratio(a->resolved_fresh, a->served_fresh);
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
    double churned = a->churned[0] + a->churned[1] + a->churned[2];
    v[KN_M_CHURN_HAZARD] = ratio(churned, a->risk / YEAR_DAYS);
    v[KN_M_CHURN_HAZARD_POLITE] = ratio(a->churned[KN_POLITE], a->risk_type[KN_POLITE] / YEAR_DAYS);
    v[KN_M_CHURN_HAZARD_RUDE] = ratio(a->churned[KN_RUDE], a->risk_type[KN_RUDE] / YEAR_DAYS);
    v[KN_M_CHURN_HAZARD_EXPLOITATIVE] = ratio(a->churned[KN_EXPLOITATIVE],
                                              a->risk_type[KN_EXPLOITATIVE] / YEAR_DAYS);
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
    values[KN_M_RETENTION] = exp(-v[KN_M_CHURN_HAZARD]);
    for (int m = KN_M_QUALITY_FROM_RESOLUTION; m < KN_METRIC_COUNT; m++)
        values[m] = v[m];
    values[KN_M_RETENTION_COHORT] = o->cohort;
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
        double t0 = o->origin + (double)k * o->period_len;
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
        S(KN_S_RETENTION) = exp(-v[KN_M_CHURN_HAZARD]); /* the period's hazard, annualised */
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
