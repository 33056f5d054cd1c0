/* encounter.c - one contact: who arrives (the desk's hook), its start (what kind of
 * problem and contact, how long it takes), its end (resolution, perceived quality,
 * goodwill gestures, the employee's side, a repeat when the need remains), management's
 * answer to a complaint or claim (now, or after an investigation), and the contact of a
 * customer who abandoned (docs/model.md sections 2.3-2.7, 2.9). Draws: ENCOUNTER,
 * POLICY. */
#include <stdlib.h>
#include "org_internal.h"

/* ---- the desk's hooks ----------------------------------------------------------------- */

int kn_org_on_arrive(void *ctx, kn_customer *c)
{
    kn_org *o = ctx;
    if (c->attempt == 0)
        c->who = kn_cust_pick(o); /* a fresh visit: a customer drawn from the active ones */
    else if (c->who < 0 || kn_rec(o, c->who)->pos < 0)
        return 0;                 /* a repeat of a customer who has left since */
    const kn_cust *k = c->who >= 0 ? kn_rec(o, c->who) : NULL;
    c->cls = (uint8_t)(o->effects && k && kn_cust_valuable(o->sc, k) &&
                       k->u_first < o->sc->policy.priority);
    return 1;
}

int kn_org_present(void *ctx, const kn_customer *c)
{
    const kn_org *o = ctx;
    return c->who < 0 || kn_rec(o, c->who)->pos >= 0;
}

void kn_org_on_abandon(void *ctx, const kn_customer *cu, double now)
{
    kn_org *o = ctx;
    o->arrivals_today++;
    o->review_visits += 1.0;
    kn_customer c = *cu;
    if (c.who >= 0 && kn_rec(o, c.who)->pos < 0)
        c.who = -1; /* he left while he waited: nobody to learn from it */
    double parts[4];
    kn_org_quality_parts(o->sc, 0, UNSERVED_COURTESY, c.patience, c.attempt, parts);
    kn_cust_visit(o, &c, -1, parts, 0, 0, 0, c.patience, now);
    if (kn_cust_repeat(o, &c, c.kind, now) < 0) /* the need is still there */
        o->failed = 1;
}

/* ---- complaints ----------------------------------------------------------------------- */

/* Management's decision on a complaint, now (investigated = 0) or when an investigation
 * comes due: compensation, recovery, word of mouth, the employee's morale. */
static void decide(kn_org *o, const kn_pending *p, int investigated, int pushy, double t)
{
    const kn_scenario *sc = o->sc;
    kn_cust *c = kn_rec(o, p->cust);
    kn_emp *e = p->slot >= 0 && o->emp[p->slot].filled && o->emp[p->slot].serial == p->serial
                    ? &o->emp[p->slot]
                    : NULL; /* the employee concerned, if he is still there */
    double u = kn_rng_uniform(&o->rng_pol);
    double k = sc->customers.learning;
    if (p->upheld) {
        double pay = sc->policy.compensation * (pushy && !investigated ? 1.0 + sc->customers.pushy_extra : 1.0);
        KN_ADD(o, t, compensation, pay);
        if (c->type == KN_RUDE)
            KN_ADD(o, t, comp_rude, pay);
        else if (c->type == KN_POLITE)
            KN_ADD(o, t, comp_polite, pay);
        if (c->pos >= 0) /* recovery: satisfaction above its earlier level, loyalty restored */
            kn_cust_set(o, c, fmin(1.0, fmax(c->s, (p->legit ? p->s_prev : c->s) + sc->customers.recovery_bonus)),
                        p->legit ? fmax(c->loyalty, p->l_prev) : c->loyalty);
        if (p->legit)
            kn_market_word(o, KN_WORD_PRAISE, t); /* a complaint handled well */
        if (e) {
            double hit = 0.0;
            if (!investigated && !p->at_fault)
                hit += sc->employees.morale_unbacked; /* blamed for what he did not cause */
            if ((!investigated || p->at_fault) && kn_rng_split(&u, sc->policy.reprimand))
                hit += sc->employees.morale_reprimand * (p->at_fault ? 1.0 : 2.0);
            e->morale = kn_clip01(e->morale - hit * e->resilience);
        }
    } else {
        if (c->pos >= 0)
            kn_cust_set(o, c, c->s + k * (0.0 - c->s), c->loyalty + k * (0.0 - c->loyalty));
        kn_market_word(o, KN_WORD_REJECTED, t); /* a rejected customer talks */
        if (investigated && e) /* cleared by the facts */
            e->morale = kn_clip01(e->morale + sc->employees.morale_backed);
        if (investigated && !p->legit)
            kn_cust_incident(o, p->cust, t); /* a claim found to be false */
    }
    if (!p->legit)
        c->belief += sc->customers.claim_learning * ((p->upheld ? 1.0 : 0.0) - c->belief);
}

void kn_org_decide(kn_org *o, const kn_pending *p, double t)
{
    decide(o, p, 1, 0, t);
}

void kn_org_complaint(kn_org *o, int32_t id, int slot, int legit, int at_fault, int abusive,
                      int defect, double s_prev, double l_prev, double t)
{
    const kn_scenario *sc = o->sc;
    kn_cust *c = kn_rec(o, id);
    if (legit)
        KN_ADD(o, t, complaints, 1.0);
    else
        KN_ADD(o, t, claims, 1.0);
    if (c->type == KN_RUDE)
        KN_ADD(o, t, complaints_rude, 1.0);
    else if (c->type == KN_POLITE)
        KN_ADD(o, t, complaints_polite, 1.0);
    if (legit && defect)
        kn_defect_report(o); /* a complaint about a recurring defect points at its cause */
    kn_pending p = {t, id, slot, slot >= 0 ? o->emp[slot].serial : 0, (uint8_t)legit,
                    (uint8_t)at_fault, 0, (uint8_t)defect, s_prev, l_prev};
    double u = kn_rng_uniform(&o->rng_pol); /* one draw for the way it is handled */
    if (kn_rng_split(&u, sc->policy.investigate)) {
        /* the facts decide, as well as an investigation finds them, and it takes time */
        KN_ADD(o, t, invest_cost, sc->policy.investigation_cost);
        p.upheld = (uint8_t)(kn_rng_split(&u, sc->policy.investigation_accuracy) ? legit : !legit);
        p.due = t + sc->policy.investigation_days * DAY;
        if (!(sc->policy.investigation_days > 0.0)) {
            decide(o, &p, 1, 0, t);
            return;
        }
        if (o->n_pending == o->cap_pending) { /* a queue in order of due time */
            size_t ncap = o->cap_pending ? 2 * o->cap_pending : 256;
            kn_pending *np = malloc(ncap * sizeof *np);
            if (!np) {
                o->failed = 1;
                return;
            }
            for (size_t i = 0; i < o->n_pending; i++)
                np[i] = o->pending[(o->head_pending + i) % o->cap_pending];
            free(o->pending);
            o->pending = np;
            o->cap_pending = ncap;
            o->head_pending = 0;
        }
        /* due times come in order while investigation_days stays the same; when it
         * shortens at a switch, the new decision goes before the older, later ones */
        size_t at = o->n_pending++;
        while (at > 0 && o->pending[(o->head_pending + at - 1) % o->cap_pending].due > p.due) {
            o->pending[(o->head_pending + at) % o->cap_pending] =
                o->pending[(o->head_pending + at - 1) % o->cap_pending];
            at--;
        }
        o->pending[(o->head_pending + at) % o->cap_pending] = p;
        return;
    }
    /* without an investigation: management sides with the customer or not, and an
     * abusive customer pushes harder */
    p.upheld = (uint8_t)kn_rng_split(&u, kn_org_uphold_probability(sc, abusive));
    decide(o, &p, 0, abusive, t);
}

/* ---- the contact ---------------------------------------------------------------------- */

void kn_org_encounter_start(kn_org *o, int slot, kn_assignment *a)
{
    const kn_scenario *sc = o->sc;
    kn_emp *e = &o->emp[slot];
    o->arrivals_today++;
    o->review_visits += 1.0;
    e->cust = a->c.who;
    e->ended = e->capped = e->uncivil = e->abusive = 0;
    e->adequacy = 1.0;
    const kn_cust *c = e->cust >= 0 ? kn_rec(o, e->cust) : NULL;
    double u = kn_rng_uniform(&o->rng_enc); /* one draw for the kind of contact */
    /* the problem: drawn on a fresh contact, the same on its repeats */
    e->kind = a->c.kind;
    if (!(e->kind & KN_PROBLEM_DRAWN)) {
        e->kind = KN_PROBLEM_DRAWN;
        if (kn_rng_split(&u, kn_defect_share(o)))
            e->kind |= KN_PROBLEM_DEFECT;
        if (kn_rng_split(&u, sc->work.authority_share))
            e->kind |= KN_PROBLEM_AUTHORITY;
    }
    /* behaviour: any customer may be abusive, more so after a wait or on a repeat */
    double wait = a->start - a->c.arrival;
    e->abusive = c && kn_rng_split(&u, kn_org_abuse_probability(sc, c->propensity, wait, a->c.attempt > 0));
    int rude = c && c->type == KN_RUDE;
    double need = a->c.service * (rude ? sc->customers.rude_service_factor : 1.0);
    e->need = need;
    double duration = need;
    if (o->effects) {
        if (e->abusive && kn_rng_split(&u, kn_org_boundary(sc))) {
            e->ended = 1;
            duration = ENDED_TIME * need;
        } else {
            /* a depleted employee answers abuse in kind (Walker et al. 2014) */
            e->uncivil = e->abusive &&
                         kn_rng_split(&u, kn_clip01(sc->employees.incivility_base +
                                                    sc->employees.incivility_exhaustion * e->exhaustion));
            double effort = 1.0;
            if (c && sc->policy.effort_by_value > 0.0 && sc->customers.value_per_visit > 0.0) {
                effort = pow(c->value / sc->customers.value_per_visit, sc->policy.effort_by_value);
                effort = effort < 0.25 ? 0.25 : effort > 4.0 ? 4.0 : effort;
            }
            double allotted = need * (o->standard / o->s0) * o->time_factor * effort;
            double slowness = (1.0 + sc->staff.slow_when_new * (1.0 - e->skill)) * e->speed;
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
    o->review_busy += a->end - a->start;
    o->review_service += 1.0; /* services since the last review: busy / this = mean time */

    /* what the employee achieves (Brown & Lam 2008: morale acts only through this) */
    kn_cause cause = KN_CAUSE_NONE;
    int authority_used = 0;
    double u = kn_rng_uniform(&o->rng_enc); /* one draw for the chain, whatever is reached */
    if (e->ended)
        cause = KN_CAUSE_ENDED;
    else if (e->kind & KN_PROBLEM_DEFECT)
        cause = KN_CAUSE_DEFECT;
    else if ((e->kind & KN_PROBLEM_AUTHORITY) && !(authority_used = kn_rng_split(&u, sc->policy.empowerment)))
        cause = KN_CAUSE_AUTHORITY;
    else if (!kn_rng_split(&u, e->adequacy))
        cause = e->capped ? KN_CAUSE_CAP : KN_CAUSE_EMPLOYEE;
    else if (!kn_rng_split(&u, sc->work.base_resolution * sqrt(e->skill) * (0.7 + 0.3 * e->morale)))
        cause = KN_CAUSE_EMPLOYEE;
    int resolved = cause == KN_CAUSE_NONE;
    double courtesy = e->uncivil ? 0.0 : kn_org_courtesy(e->morale, e->exhaustion);
    if (o->effects && resolved && authority_used)
        KN_ADD(o, t, authority_cost, sc->work.authority_cost); /* a credit or a refund */
    /* an empowered employee may make a goodwill gesture: felt as courtesy when the
     * problem stays, money thrown away when it was solved anyway; none in an exchange
     * that turned uncivil */
    if (o->effects && !e->ended && !e->uncivil && sc->policy.empowerment > 0.0) {
        double g = resolved ? sc->employees.gesture_error : sc->employees.gesture_rate;
        if (kn_rng_split(&u, sc->policy.empowerment * g)) {
            KN_ADD(o, t, gesture_cost, sc->policy.gesture_value);
            if (!resolved)
                courtesy = 1.0;
        }
    }
    double parts[4];
    kn_org_quality_parts(sc, resolved, courtesy, wait, a->c.attempt, parts);
    double q = parts[0] + parts[1] + parts[2] + parts[3];

    KN_ADD(o, t, served, 1.0);
    if (a->c.attempt == 0) { /* first-contact resolution: of fresh contacts only */
        KN_ADD(o, t, served_fresh, 1.0);
        KN_ADD(o, t, resolved_fresh, resolved ? 1.0 : 0.0);
    }
    if (!e->ended && e->cust >= 0 && a->c.attempt == 0) /* failure demand earns nothing */
        KN_ADD(o, t, revenue, kn_rec(o, e->cust)->value);

    /* the employee side */
    int32_t id = e->cust;
    if (e->abusive) {
        KN_ADD(o, t, abusive, 1.0);
        if (id >= 0 && kn_rec(o, id)->type != KN_RUDE)
            KN_ADD(o, t, abusive_polite, 1.0);
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
        if (cause == KN_CAUSE_DEFECT && kn_rng_split(&u, sc->work.staff_report))
            kn_defect_report(o); /* staff report the defect they could not fix */
    }

    /* the customer side */
    if (e->uncivil) {
        KN_ADD(o, t, uncivil, 1.0);
        if (id >= 0) { /* the spiral: he learns to be rude */
            kn_cust *c = kn_rec(o, id);
            c->propensity += sc->customers.incivility_learning * (1.0 - c->propensity);
        }
        kn_market_word(o, KN_WORD_CUT_OFF, t);
    }
    if (e->ended)
        kn_market_word(o, KN_WORD_CUT_OFF, t); /* cut off: he talks, and it may go public */
    kn_cust_visit(o, &a->c, slot, parts, cause == KN_CAUSE_EMPLOYEE || e->uncivil, e->abusive,
                  cause == KN_CAUSE_DEFECT, wait, t);
    if (e->abusive && o->effects && id >= 0 &&
        (e->ended || kn_rng_split(&u, sc->policy.backing)))
        kn_cust_incident(o, id, t); /* management records the abuse */
    if (!resolved && kn_cust_repeat(o, &a->c, e->kind, t) < 0) /* the need is still there */
        o->failed = 1;
    e->cust = -1;
}
