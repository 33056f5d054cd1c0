/* defects.c - recurring defects and their root causes (docs/model.md section 2.12): a
 * share of contacts is about a defect staff cannot fix; complaints about one and staff
 * reports point at its cause; management acts on a share of those reports
 * (policy.root_cause), at a price, and after a delay each report acted on removes a
 * share of the defect sources; products and processes change, so new defects appear.
 * Reports that nobody acts on change nothing. No draws: the reports acted on are an
 * expected number. */
#include "org_internal.h"

double kn_defect_share(const kn_org *o)
{
    return o->sc->work.defect_share * o->defects;
}

void kn_defect_report(kn_org *o)
{
    o->signals_today += 1.0;
}

void kn_defect_day(kn_org *o, long day, double t0)
{
    const kn_scenario *sc = o->sc;
    if (o->effects) {
        double acted = sc->policy.root_cause * o->signals_today;
        if (acted > 0.0) {
            KN_ADD(o, t0, fix_cost, acted * sc->policy.root_cause_cost);
            size_t due = (size_t)(day + (long)ceil(sc->work.fix_delay_days)) % o->n_fixes;
            o->fixes[due] *= pow(1.0 - sc->work.fix_effect, acted);
        }
        size_t now = (size_t)day % o->n_fixes;
        o->defects *= o->fixes[now];
        o->fixes[now] = 1.0;
        o->defects += (1.0 - o->defects) / (sc->work.defect_renewal_weeks * WEEK_DAYS);
    }
    o->signals_today = 0.0;
    KN_ADD(o, t0, defect_sum, kn_defect_share(o));
}
