/* metrics.c - the table of metric names, units and descriptions. */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include "koning/metrics.h"

static const kn_metric_info metric_table[KN_METRIC_COUNT] = {
    [KN_M_P_WAIT] = {"p_wait", "1", "share of arrivals that had to wait (served or abandoned)"},
    [KN_M_P_ABANDON] = {"p_abandon", "1", "share of arrivals that abandoned the queue"},
    [KN_M_MEAN_WAIT] = {"mean_wait_minutes", "min",
                        "mean time in queue over all arrivals, served or abandoned"},
    [KN_M_MEAN_WAIT_SERVED] = {"mean_wait_served_minutes", "min",
                               "mean wait of the customers who were served (ASA)"},
    [KN_M_UTILIZATION] = {"utilization", "1", "share of staffed time spent serving"},
    [KN_M_SERVED_PER_HOUR] = {"served_per_hour", "1/h", "service completions per hour"},
    [KN_M_ARRIVALS_PER_HOUR] = {"arrivals_per_hour", "1/h", "arrivals per hour"},
    [KN_M_MEAN_QUEUE] = {"mean_queue_length", "1",
                         "time-average number of customers waiting (exact integral)"},
    [KN_M_RETENTION] = {"retention", "1",
                        "share of customers kept a year at the churn hazard of the window: "
                        "exp(-churn_hazard), over the whole population"},
    [KN_M_SERVICE_QUALITY] = {"service_quality", "1",
                              "mean perceived quality of visits (resolution, courtesy, wait, minus the repeat penalty), 0..1"},
    [KN_M_FIRST_CONTACT_RESOLUTION] = {"first_contact_resolution", "1",
                                       "share of served fresh contacts (not repeats) whose problem was solved at that contact"},
    [KN_M_SATISFACTION] = {"satisfaction", "1", "mean satisfaction of the active customers, 0..1"},
    [KN_M_COMPLAINTS_PER_WEEK] = {"complaints_per_week", "1/week",
                                  "complaints of dissatisfied customers per week"},
    [KN_M_EXPLOITATIVE_CLAIMS_PER_WEEK] = {"exploitative_claims_per_week", "1/week",
                                           "opportunistic claims of exploitative customers per week"},
    [KN_M_COMPENSATION_COST] = {"compensation_cost", "money/week", "compensation paid per week"},
    [KN_M_REVENUE] = {"revenue", "money/week", "revenue of served visits per week"},
    [KN_M_PROFIT] = {"profit", "money/week",
                     "revenue minus wages, hiring cost, compensation and lever costs, per week"},
    [KN_M_ACTIVE_CUSTOMERS] = {"active_customers", "1", "mean number of active customers"},
    [KN_M_NEW_CUSTOMERS_PER_WEEK] = {"new_customers_per_week", "1/week", "customers won per week"},
    [KN_M_CHURNED_CUSTOMERS_PER_WEEK] = {"churned_customers_per_week", "1/week",
                                         "customers lost per week (left or banned)"},
    [KN_M_BANNED_CUSTOMERS_PER_WEEK] = {"banned_customers_per_week", "1/week",
                                        "customers banned per week"},
    [KN_M_HEADCOUNT] = {"headcount", "1", "mean number of filled positions"},
    [KN_M_VACANCIES] = {"vacancies", "1", "mean number of positions not filled (quits not yet replaced, positions not yet staffed)"},
    [KN_M_STAFF_TURNOVER] = {"staff_turnover", "1/year", "quits per year / mean headcount"},
    [KN_M_MEAN_MORALE] = {"mean_morale", "1", "mean morale of employees, 0..1"},
    [KN_M_MEAN_EXHAUSTION] = {"mean_exhaustion", "1", "mean exhaustion of employees, 0..1"},
    [KN_M_BURNOUT_SHARE] = {"burnout_share", "1",
                            "share of employee-days with exhaustion above the burnout threshold"},
    [KN_M_SICK_SHARE] = {"sick_share", "1", "share of scheduled working days taken sick"},
    [KN_M_ABUSIVE_CONTACTS] = {"abusive_contacts_per_employee_day", "1/day",
                               "abusive contacts per employee per working day"},
    [KN_M_WORK_PRESSURE] = {"work_pressure", "1",
                            "mean work pressure: demand x standard time / planned capacity"},
    [KN_M_STANDARD_MINUTES] = {"standard_minutes", "min",
                               "service standard (minutes per customer) at the end of the horizon"},
    [KN_M_SERVICE_QUALITY_END] = {"service_quality_end", "1", "service quality over the last 28 days"},
    [KN_M_SATISFACTION_END] = {"satisfaction_end", "1", "mean satisfaction over the last 28 days"},
    [KN_M_ACTIVE_CUSTOMERS_END] = {"active_customers_end", "1", "active customers over the last 28 days"},
    [KN_M_HEADCOUNT_END] = {"headcount_end", "1", "filled positions over the last 28 days"},
    [KN_M_MEAN_MORALE_END] = {"mean_morale_end", "1", "mean morale over the last 28 days"},
    [KN_M_MEAN_EXHAUSTION_END] = {"mean_exhaustion_end", "1", "mean exhaustion over the last 28 days"},
    [KN_M_QUALITY_FROM_RESOLUTION] = {"quality_from_resolution", "1",
                                      "term of service quality from solved problems (0.5 x share solved)"},
    [KN_M_QUALITY_FROM_COURTESY] = {"quality_from_courtesy", "1",
                                    "term of service quality from staff courtesy (0.3 x mean courtesy)"},
    [KN_M_QUALITY_FROM_WAIT] = {"quality_from_wait", "1",
                                "term of service quality from short waits (0.2 x mean wait score)"},
    [KN_M_STAFF_COST] = {"staff_cost", "money/week", "wages and hiring cost per week"},
    [KN_M_LEVER_COST] = {"lever_cost", "money/week",
                         "what the levers cost per week: investigations, goodwill, training, "
                         "root causes, retention offers"},
    [KN_M_INVESTIGATION_COST] = {"investigation_cost", "money/week", "investigations per week"},
    [KN_M_GOODWILL_COST] = {"goodwill_cost", "money/week",
                            "goodwill gestures and what staff give away by their authority, per week"},
    [KN_M_TRAINING_COST] = {"training_cost", "money/week", "training money per week"},
    [KN_M_ROOT_CAUSE_COST] = {"root_cause_cost", "money/week", "root-cause work per week"},
    [KN_M_RETENTION_COST] = {"retention_cost", "money/week", "retention offers per week"},
    [KN_M_REPEAT_SHARE] = {"repeat_contact_share", "1",
                           "share of contacts that repeat an unresolved need (failure demand)"},
    [KN_M_QUALITY_FROM_REPEATS] = {"quality_from_repeats", "1",
                                   "the repeat penalty's part of service quality (0 or less)"},
    [KN_M_UNCIVIL_CONTACTS] = {"uncivil_contacts_per_employee_day", "1/day",
                               "uncivil answers of staff per employee per working day"},
    [KN_M_ABUSE_BY_POLITE] = {"abuse_by_polite_share", "1",
                              "share of abusive contacts made by customers who are not rude"},
    [KN_M_BANNED_NOT_RUDE] = {"banned_not_rude_share", "1",
                              "share of banned customers who are not rude"},
    [KN_M_WOM_GAINED_PER_WEEK] = {"word_of_mouth_gained_per_week", "1/week",
                                  "customers that complaints handled well brought, per week"},
    [KN_M_WOM_LOST_PER_WEEK] = {"word_of_mouth_lost_per_week", "1/week",
                                "customers that grievances (bans, rejections, cut-offs, incivility) cost, per week"},
    [KN_M_PUBLIC_INCIDENTS] = {"public_incidents_per_year", "1/year", "incidents that went public, per year"},
    [KN_M_WON_BACK_PER_WEEK] = {"won_back_per_week", "1/week", "former customers won back from the rival, per week"},
    [KN_M_MARKET_SHARE] = {"market_share", "1", "mean share of the potential customers who are ours"},
    [KN_M_DEFECT_SHARE] = {"defect_share", "1", "mean share of contacts about a recurring defect"},
    [KN_M_WAIT_VALUABLE] = {"wait_valuable_minutes", "min", "mean wait of valuable customers"},
    [KN_M_WAIT_OTHERS] = {"wait_others_minutes", "min", "mean wait of the other customers"},
    [KN_M_COMP_PER_COMPLAINT_RUDE] = {"compensation_per_complaint_rude", "money",
                                      "compensation per complaint or claim of rude customers"},
    [KN_M_COMP_PER_COMPLAINT_POLITE] = {"compensation_per_complaint_polite", "money",
                                        "compensation per complaint of polite customers"},
    [KN_M_ACQUISITION_RATE] = {"acquisition_rate_per_week", "1/week",
                               "expected new customers per week, before chance (word of mouth included)"},
    [KN_M_CHURN_HAZARD] = {"churn_hazard", "1/year",
                           "customers lost (left or banned) per customer-year at risk, in the window"},
    [KN_M_CHURN_HAZARD_POLITE] = {"churn_hazard_polite", "1/year", "the churn hazard of polite customers"},
    [KN_M_CHURN_HAZARD_RUDE] = {"churn_hazard_rude", "1/year", "the churn hazard of rude customers"},
    [KN_M_CHURN_HAZARD_EXPLOITATIVE] = {"churn_hazard_exploitative", "1/year",
                                        "the churn hazard of exploitative customers"},
    [KN_M_RETENTION_COHORT] = {"retention_cohort", "1",
                               "of the customers active at the end of warm-up, the share still active "
                               "a year later (mean over the whole years in the window; NaN if none fits)"},
    [KN_M_POSITIONS] = {"positions", "1", "mean number of budgeted positions"},
};

const kn_metric_info *kn_metric_describe(int m)
{
    if (m < 0 || m >= KN_METRIC_COUNT)
        return NULL;
    return &metric_table[m];
}

static const kn_metric_info series_table[KN_SERIES_COUNT] = {
    [KN_S_ARRIVALS_PER_HOUR] = {"arrivals_per_hour", "1/h", "arrivals per hour in the period"},
    [KN_S_P_WAIT] = {"p_wait", "1", "share of the period's arrivals that waited"},
    [KN_S_P_ABANDON] = {"p_abandon", "1", "share of the period's arrivals that abandoned"},
    [KN_S_MEAN_WAIT] = {"mean_wait_minutes", "min",
                        "mean time in queue of the period's arrivals, served or abandoned"},
    [KN_S_UTILIZATION] = {"utilization", "1", "share of staffed time spent serving in the period"},
    [KN_S_SERVED_PER_HOUR] = {"served_per_hour", "1/h", "service completions per hour in the period"},
    [KN_S_ACTIVE_CUSTOMERS] = {"active_customers", "1", "mean number of active customers in the period"},
    [KN_S_NEW_CUSTOMERS] = {"new_customers", "1", "customers won in the period"},
    [KN_S_CHURNED_CUSTOMERS] = {"churned_customers", "1", "customers lost in the period (left or banned)"},
    [KN_S_NEW_POLITE] = {"new_polite", "1", "polite customers won in the period"},
    [KN_S_NEW_RUDE] = {"new_rude", "1", "rude customers won in the period"},
    [KN_S_NEW_EXPLOITATIVE] = {"new_exploitative", "1", "exploitative customers won in the period"},
    [KN_S_CHURNED_POLITE] = {"churned_polite", "1", "polite customers lost in the period"},
    [KN_S_CHURNED_RUDE] = {"churned_rude", "1", "rude customers lost in the period"},
    [KN_S_CHURNED_EXPLOITATIVE] = {"churned_exploitative", "1", "exploitative customers lost in the period"},
    [KN_S_BANNED_CUSTOMERS] = {"banned_customers", "1", "customers banned in the period"},
    [KN_S_RETENTION] = {"retention", "1",
                        "share of the period's starting customers still active at its end, annualised"},
    [KN_S_SATISFACTION] = {"satisfaction", "1", "mean satisfaction of the active customers"},
    [KN_S_SERVICE_QUALITY] = {"service_quality", "1", "mean perceived quality of the period's visits"},
    [KN_S_FIRST_CONTACT_RESOLUTION] = {"first_contact_resolution", "1",
                                       "share of the period's served fresh contacts solved at that contact"},
    [KN_S_COMPLAINTS] = {"complaints", "1", "complaints of dissatisfied customers in the period"},
    [KN_S_EXPLOITATIVE_CLAIMS] = {"exploitative_claims", "1", "opportunistic claims in the period"},
    [KN_S_COMPENSATION_COST] = {"compensation_cost", "money", "compensation paid in the period"},
    [KN_S_REVENUE] = {"revenue", "money", "revenue in the period"},
    [KN_S_PROFIT] = {"profit", "money", "profit in the period"},
    [KN_S_HEADCOUNT] = {"headcount", "1", "mean filled positions in the period"},
    [KN_S_VACANCIES] = {"vacancies", "1", "mean open positions in the period"},
    [KN_S_QUITS] = {"quits", "1", "employees who quit in the period"},
    [KN_S_STAFF_TURNOVER] = {"staff_turnover", "1/year", "quits in the period per headcount, annualised"},
    [KN_S_MEAN_MORALE] = {"mean_morale", "1", "mean morale of employees in the period"},
    [KN_S_MEAN_EXHAUSTION] = {"mean_exhaustion", "1", "mean exhaustion of employees in the period"},
    [KN_S_BURNOUT_SHARE] = {"burnout_share", "1", "share of employee-days above the burnout threshold"},
    [KN_S_SICK_SHARE] = {"sick_share", "1", "share of scheduled working days taken sick"},
    [KN_S_ABUSIVE_CONTACTS] = {"abusive_contacts_per_employee_day", "1/day",
                               "abusive contacts per employee per working day"},
    [KN_S_WORK_PRESSURE] = {"work_pressure", "1", "mean work pressure in the period"},
    [KN_S_STANDARD_MINUTES] = {"standard_minutes", "min", "service standard at the end of the period"},
    [KN_S_REPEAT_SHARE] = {"repeat_contact_share", "1", "share of contacts that repeat an unresolved need"},
    [KN_S_DEFECT_SHARE] = {"defect_share", "1", "mean share of contacts about a recurring defect"},
    [KN_S_MARKET_SHARE] = {"market_share", "1", "mean share of the potential customers who are ours"},
    [KN_S_LEVER_COST] = {"lever_cost", "money", "what the levers cost in the period"},
    [KN_S_POSITIONS] = {"positions", "1", "mean number of budgeted positions"},
};

const kn_metric_info *kn_series_describe(int s)
{
    if (s < 0 || s >= KN_SERIES_COUNT)
        return NULL;
    return &series_table[s];
}

uint32_t kn_period_count(double days, double period_days)
{
    if (!(days > 0.0) || !(period_days > 0.0))
        return 1;
    double n = ceil(days / period_days - 1e-9);
    return n < 1.0 ? 1u : (uint32_t)n;
}

void kn_rep_result_clear(kn_rep_result *r)
{
    if (!r)
        return;
    free(r->series);
    r->series = NULL;
}
