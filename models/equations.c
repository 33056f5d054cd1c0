/* equations.c - the organisation model's pure rules: functions of state and scenario,
 * no randomness, no side effects (docs/model.md sections 2.3-2.11). Exported so that
 * tests check them directly and the verdict can decompose their terms. */
#include "org_internal.h"

double kn_org_courtesy(double morale, double exhaustion)
{
    return kn_clip01(0.5 + 0.5 * morale - 0.3 * exhaustion);
}

double kn_org_quality_parts(const kn_scenario *sc, int resolved, double courtesy, double wait,
                            double parts[3])
{
    parts[0] = 0.5 * (resolved ? 1.0 : 0.0);
    parts[1] = 0.3 * kn_clip01(courtesy);
    parts[2] = 0.2 * exp(-(wait > 0.0 ? wait : 0.0) / sc->customers.wait_tolerance_minutes);
    return parts[0] + parts[1] + parts[2];
}

double kn_org_quality(const kn_scenario *sc, int resolved, double courtesy, double wait)
{
    double parts[3];
    return kn_org_quality_parts(sc, resolved, courtesy, wait, parts);
}

double kn_org_time_factor(double wp, double alpha, double alpha_slack)
{
    if (!(wp > 0.0))
        return 1.0;
    double f = pow(wp, wp >= 1.0 ? alpha : alpha_slack);
    return f < 0.5 ? 0.5 : f > 1.5 ? 1.5 : f;
}

double kn_org_quit_probability(const kn_scenario *sc, double e, double m)
{
    const double h = sc->employees.quit_base / YEAR_DAYS *
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
