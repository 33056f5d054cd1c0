/* encounter.c - one service: its start (what kind of contact, how long it takes), its
 * end (resolution, perceived quality, the employee's side), management's answer to a
 * complaint or claim, and the visit of a customer who abandoned (docs/model.md sections
 * 2.3-2.5, 2.7, 2.9). Draws: ENCOUNTER, POLICY. */
#include "org_internal.h"

/* Management's answer to a complaint (legit = 1) or an opportunistic claim (0) about
 * a visit served by `slot` (-1: nobody, e.g. an abandoned call). s_prev and l_prev
 * are the customer's satisfaction and loyalty before the visit. */
void kn_org_complaint(kn_org *o, int32_t id, int slot, int legit, int at_fault,
                             double s_prev, double l_prev, double t)
{
    const kn_scenario *sc = o->sc;
    kn_cust *c = &o->cust[id];
    if (legit)
        KN_ADD(o, t, complaints, 1.0);
    else
        KN_ADD(o, t, claims, 1.0);
    double u = kn_rng_uniform(&o->rng_pol); /* one draw for management's answer */
    int investigated = kn_rng_split(&u, sc->policy.investigate);
    int upheld = investigated ? legit : kn_rng_split(&u, sc->policy.side_with_customer);
    double k = sc->customers.learning;
    if (upheld) {
        KN_ADD(o, t, compensation, sc->policy.compensation);
        /* recovery: satisfaction above its earlier level, loyalty only restored */
        kn_cust_set(o, c, fmin(1.0, fmax(c->s, (legit ? s_prev : c->s) + sc->customers.recovery_bonus)),
                    legit ? fmax(c->loyalty, l_prev) : c->loyalty);
        if (slot >= 0) {
            kn_emp *e = &o->emp[slot];
            double hit = 0.0;
            if (!investigated && !at_fault)
                hit += sc->employees.morale_unbacked; /* blamed for what he did not cause */
            if ((!investigated || at_fault) && kn_rng_split(&u, sc->policy.reprimand))
                hit += sc->employees.morale_reprimand * (at_fault ? 1.0 : 2.0);
            e->morale = kn_clip01(e->morale - hit * e->resilience);
        }
    } else {
        kn_cust_set(o, c, c->s + k * (0.0 - c->s), c->loyalty + k * (0.0 - c->loyalty));
        if (investigated && slot >= 0) /* cleared by the facts */
            o->emp[slot].morale = kn_clip01(o->emp[slot].morale + sc->employees.morale_backed);
        if (investigated && !legit)
            kn_cust_incident(o, id, t); /* a claim found to be false */
    }
    if (!legit)
        c->belief += sc->customers.claim_learning * ((upheld ? 1.0 : 0.0) - c->belief);
}

void kn_org_on_abandon(void *ctx, const kn_customer *cu, double now)
{
    kn_org *o = ctx;
    o->arrivals_today++;
    double parts[3];
    kn_org_quality_parts(o->sc, 0, UNSERVED_COURTESY, cu->patience, parts);
    kn_cust_visit(o, kn_cust_pick(o), -1, parts, 0, now);
}

void kn_org_encounter_start(kn_org *o, int slot, kn_assignment *a)
{
    const kn_scenario *sc = o->sc;
    kn_emp *e = &o->emp[slot];
    o->arrivals_today++;
    e->cust = kn_cust_pick(o);
    const kn_cust *c = e->cust >= 0 ? &o->cust[e->cust] : NULL;
    int rude = c && c->type == KN_RUDE;
    double need = a->c.service * (rude ? sc->customers.rude_service_factor : 1.0);
    e->need = need;
    double u = kn_rng_uniform(&o->rng_enc); /* one draw for the kind of contact */
    e->defect = kn_rng_split(&u, sc->work.defect_share);
    e->abusive = rude && kn_rng_split(&u, sc->customers.abuse_probability);
    e->ended = 0;
    e->capped = 0;
    e->adequacy = 1.0;
    double duration = need;
    if (o->effects) {
        if (e->abusive && kn_rng_split(&u, kn_org_boundary(sc))) {
            e->ended = 1;
            duration = ENDED_TIME * need;
        } else {
            double effort = 1.0;
            if (c && sc->policy.effort_by_value > 0.0 && sc->customers.value_per_visit > 0.0) {
                effort = pow(c->value / sc->customers.value_per_visit, sc->policy.effort_by_value);
                effort = effort < 0.25 ? 0.25 : effort > 4.0 ? 4.0 : effort;
            }
            double allotted = need * (o->standard / o->s0) * o->time_factor * effort;
            double slowness = 1.0 + sc->staff.slow_when_new * (1.0 - e->skill);
            duration = allotted * slowness;
            if (sc->policy.minutes_cap > 0.0 && duration > sc->policy.minutes_cap) {
                duration = sc->policy.minutes_cap;
                e->capped = 1;
            }
            e->adequacy = fmin(1.0, duration / slowness / need);
        }
    }
    a->end = a->start + duration;
}

void kn_org_encounter_end(kn_org *o, int slot, const kn_assignment *a)
{
    const kn_scenario *sc = o->sc;
    kn_emp *e = &o->emp[slot];
    double t = a->end, wait = a->start - a->c.arrival;
    e->busy_today += a->end - a->start;
    KN_ADD(o, t, busy, a->end - a->start);

    /* what the employee achieves (Brown & Lam 2008: morale acts only through this) */
    kn_cause cause = KN_CAUSE_NONE;
    double u = kn_rng_uniform(&o->rng_enc); /* one draw for the chain, whatever is reached */
    if (e->ended)
        cause = KN_CAUSE_ENDED;
    else if (e->defect)
        cause = KN_CAUSE_DEFECT;
    else if (kn_rng_split(&u, sc->work.authority_share * (1.0 - sc->policy.empowerment)))
        cause = KN_CAUSE_AUTHORITY;
    else if (!kn_rng_split(&u, e->adequacy))
        cause = e->capped ? KN_CAUSE_CAP : KN_CAUSE_EMPLOYEE;
    else if (!kn_rng_split(&u, sc->work.base_resolution * sqrt(e->skill) * (0.7 + 0.3 * e->morale)))
        cause = KN_CAUSE_EMPLOYEE;
    int resolved = cause == KN_CAUSE_NONE;
    double courtesy = kn_org_courtesy(e->morale, e->exhaustion);
    double parts[3];
    double q = kn_org_quality_parts(sc, resolved, courtesy, wait, parts);

    KN_ADD(o, t, served, 1.0);
    KN_ADD(o, t, resolved, resolved ? 1.0 : 0.0);
    if (!e->ended && e->cust >= 0)
        KN_ADD(o, t, revenue, o->cust[e->cust].value);

    /* the employee side */
    if (e->abusive) {
        KN_ADD(o, t, abusive, 1.0);
        if (o->effects) {
            double hit = kn_org_abuse_moderation(sc) * e->resilience * (e->ended ? ENDED_HIT : 1.0);
            e->exhaustion = kn_clip01(e->exhaustion + sc->employees.abuse_exhaustion * hit);
            e->morale = kn_clip01(e->morale - sc->employees.abuse_morale * hit);
        }
    }
    if (o->effects) {
        if (resolved)
            e->morale += sc->employees.morale_resolved;
        else if (cause == KN_CAUSE_DEFECT || cause == KN_CAUSE_AUTHORITY || cause == KN_CAUSE_CAP)
            e->morale -= sc->employees.morale_unresolved * e->resilience;
        e->morale += sc->policy.rating_weight * sc->employees.rating_effect * (q - RATING_REF);
        e->morale = kn_clip01(e->morale);
    }

    /* the customer side */
    int32_t id = e->cust;
    kn_cust_visit(o, id, slot, parts, cause == KN_CAUSE_EMPLOYEE, t);
    if (e->abusive && o->effects && id >= 0 &&
        (e->ended || kn_rng_uniform(&o->rng_pol) < sc->policy.backing))
        kn_cust_incident(o, id, t); /* management records the abuse */
    e->cust = -1;
}
