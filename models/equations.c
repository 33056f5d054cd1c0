/* equations.c - the organisation model's pure rules: functions of state and scenario,
 * no randomness, no side effects (docs/model.md sections 2-3). Exported so that tests
 * check them directly and the verdict can decompose their terms. */
#include "org_internal.h"

double kn_org_courtesy(double morale, double exhaustion)
{
    return kn_clip01(0.5 + 0.5 * morale - 0.3 * exhaustion);
}

double kn_org_quality_parts(const kn_scenario *sc, int resolved, double courtesy, double wait,
                            int attempt, double parts[4])
{
    parts[0] = 0.5 * (resolved ? 1.0 : 0.0);
    parts[1] = 0.3 * kn_clip01(courtesy);
    parts[2] = 0.2 * exp(-(wait > 0.0 ? wait : 0.0) / sc->customers.wait_tolerance_minutes);
    double sum = parts[0] + parts[1] + parts[2];
    double penalty = sc->customers.repeat_penalty * (double)(attempt > 0 ? attempt : 0);
    parts[3] = -(penalty < sum ? penalty : sum); /* the effort of calling again */
    return sum + parts[3];
}

double kn_org_quality(const kn_scenario *sc, int resolved, double courtesy, double wait)
{
    double parts[4];
    return kn_org_quality_parts(sc, resolved, courtesy, wait, 0, parts);
}

double kn_org_time_factor(double wp, double alpha, double alpha_slack)
{
    if (!(wp > 0.0))
        return 1.0;
    double f = pow(wp, wp >= 1.0 ? alpha : alpha_slack);
    return f < 0.5 ? 0.5 : f > 1.5 ? 1.5 : f;
}

double kn_org_quit_probability(const kn_scenario *sc, double e, double m, double factor)
{
    const double h = factor * sc->employees.quit_base / YEAR_DAYS *
                     exp(sc->employees.quit_exhaustion * e + sc->employees.quit_morale * (1.0 - m));
    return 1.0 - exp(-h);
}

/* Effective boundary: staff may end an abusive contact, unless ratings make them
 * tolerate abuse. */
double kn_org_boundary(const kn_scenario *sc)
{
    return sc->policy.end_abusive_contact * (1.0 - sc->policy.rating_weight);
}

double kn_org_abuse_moderation(const kn_scenario *sc)
{
    return (1.0 - sc->employees.moderation_backing * sc->policy.backing) *
           (1.0 - sc->employees.moderation_autonomy * sc->policy.empowerment) *
           (1.0 - sc->employees.moderation_boundaries * kn_org_boundary(sc));
}

double kn_org_claim_probability(const kn_scenario *sc, double belief, uint32_t visits)
{
    return sc->customers.claim_propensity * sc->policy.claim_ease * kn_clip01(belief) /
           (1.0 + (double)visits / sc->customers.claim_relationship_visits);
}

double kn_org_morale_target(const kn_scenario *sc, double e)
{
    return kn_clip01(sc->employees.morale_base - sc->employees.morale_exhaustion * e);
}

/* Logistic of a log-odds. */
static double logistic(double x)
{
    return 1.0 / (1.0 + exp(-x));
}

double kn_org_abuse_probability(const kn_scenario *sc, double p, double wait, int repeat)
{
    if (!(p > 0.0))
        return 0.0;
    if (!(p < 1.0))
        return 1.0;
    double w = wait > 0.0 ? wait / sc->customers.wait_tolerance_minutes : 0.0;
    double x = log(p / (1.0 - p)) + sc->customers.abuse_wait * (w < 6.0 ? w : 6.0) +
               (repeat ? sc->customers.abuse_unresolved : 0.0);
    return logistic(x);
}

double kn_org_uphold_probability(const kn_scenario *sc, int abusive)
{
    double s = sc->policy.side_with_customer;
    if (!abusive || !(s > 0.0) || !(s < 1.0))
        return s;
    double odds = s / (1.0 - s) * sc->customers.pushiness;
    return odds / (1.0 + odds);
}

double kn_org_churn_probability(const kn_scenario *sc, double loyalty)
{
    double p = (sc->customers.churn_base + sc->customers.churn_loyalty * kn_sq(1.0 - loyalty)) *
               exp(sc->market.rival_pull * (sc->market.rival_quality - sc->customers.initial_satisfaction));
    return p < 1.0 ? p : 1.0;
}

double kn_org_acquisition(const kn_scenario *sc, double mean_l, double prospects,
                          double prospects0, double public_factor)
{
    double room = isinf(prospects0) ? 1.0 : prospects0 > 0.0 ? prospects / prospects0 : 0.0;
    if (room < 0.0)
        room = 0.0;
    return sc->customers.acquisition_per_day * (double)sc->customers.base * room *
           exp(sc->customers.word_of_mouth * (mean_l - sc->market.rival_quality)) * public_factor;
}
