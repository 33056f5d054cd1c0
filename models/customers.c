/* customers.c - the customer base: customers with identity who join, visit, learn from
 * each visit, complain or claim, churn, are banned, try again when their problem was
 * not solved, and may get a retention offer (docs/model.md sections 2.2 customers, 2.6
 * after a visit, 2.13 repeats, 2.15 retention offers).
 * Draws: TRAITS (each customer's type, value, tenure and place in the queue, by his
 * index), IDENTITY (who makes a fresh visit), ENCOUNTER (complaint, claim, churn,
 * retention offer), REPEAT (whether and when a need comes back), REPEAT_PATIENCE (its
 * patience). */
#include <stdlib.h>
#include <string.h>
#include "bigarray.h"
#include "org_internal.h"

void *kn_grow(void *p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return p;
    size_t ncap = *cap ? *cap * 2 : 1024;
    void *q = kn_big_grow(p, *cap * size, ncap * size);
    if (q)
        *cap = ncap;
    return q;
}

/* ---- traits ------------------------------------------------------------------------- */

/* Customer id's traits: blocks 2 id and 2 id + 1 of the TRAITS stream, so that customer
 * number id has the same traits under every policy compared on common random numbers,
 * whenever he joins and however many others joined before him. A newcomer's type is
 * drawn when he joins (it is counted); everything else, and everything about a customer
 * of the initial base, at his first visit: most customers of a large base never visit
 * within the horizon, and drawing nothing for them keeps the cost per visit flat in the
 * size of the base. A customer won back from the rival has the traits he had. */
static void traits_stream(const kn_org *o, int32_t id, kn_rng *r)
{
    *r = o->rng_traits;
    r->ctr[0] = 2 * (uint64_t)id;
    r->next = 4;
}

static uint8_t draw_type(const kn_scenario *sc, double u)
{
    return u < sc->customers.mix_rude ? KN_RUDE
           : u < sc->customers.mix_rude + sc->customers.mix_exploitative ? KN_EXPLOITATIVE
                                                                          : KN_POLITE;
}

static void materialise(kn_org *o, int32_t id)
{
    const kn_scenario *sc = o->sc;
    kn_cust *c = &o->cust[id];
    kn_rng r;
    traits_stream(o, c->twin, &r);
    c->type = draw_type(sc, kn_rng_uniform(&r));
    double n = kn_rng_normal(&r), tenure = kn_rng_exponential(&r, 1.0), u_first = kn_rng_uniform(&r);
    double v = sc->customers.value_per_visit;
    if (c->type == KN_RUDE)
        v *= sc->customers.value_rude;
    else if (c->type == KN_EXPLOITATIVE)
        v *= sc->customers.value_exploitative;
    c->value = v <= 0.0 ? 0.0 : o->value_sigma > 0.0 ? v * exp(o->value_mu + o->value_sigma * n) : v;
    if (id < o->base) /* the initial base has a history */
        c->visits += (uint32_t)fmin(1e9, floor(tenure * sc->customers.initial_tenure_years *
                                              o->visits_per_year));
    c->propensity = c->type == KN_RUDE ? sc->customers.abuse_probability : sc->customers.abuse_polite;
    c->u_first = (float)u_first;
    c->ready = 1;
    if (c->pos >= 0 && id < o->base) /* a newcomer's type was known when he joined */
        o->known[c->type]++;
}

void kn_cust_make(kn_org *o, int32_t id)
{
    const kn_scenario *sc = o->sc;
    kn_cust *c = &o->cust[id];
    c->s = c->loyalty = sc->customers.initial_satisfaction;
    c->belief = sc->customers.claim_prior;
    c->joined = 0.0;
    c->left = INFINITY;
    c->pos = id; /* nobody moved him: moving a customer makes him */
    c->twin = id;
    c->made = 1;
    o->made_ids[o->n_made++] = id; /* room for the whole base was reserved */
}

kn_cust *kn_cust_ready(kn_org *o, int32_t id)
{
    kn_cust *c = kn_cust_at(o, id);
    if (!c->ready)
        materialise(o, id);
    return c;
}

const kn_cust *kn_org_customer(kn_org *o, int32_t id)
{
    return kn_cust_ready(o, id);
}

/* ---- joining and leaving ------------------------------------------------------------ */

int kn_cust_add(kn_org *o, double day, int32_t twin)
{
    kn_cust *nc = kn_grow(o->cust, &o->cap_cust, o->n_cust, sizeof *nc);
    if (!nc)
        return -1;
    o->cust = nc;
    int32_t *na = kn_grow(o->active, &o->cap_active, o->n_active, sizeof *na);
    if (!na)
        return -1;
    o->active = na;
    const kn_scenario *sc = o->sc;
    int32_t id = (int32_t)o->n_cust;
    kn_cust *c = &o->cust[id];
    memset(c, 0, sizeof *c);
    if (twin >= 0) { /* a former customer won back: who he was, a new relationship */
        c->twin = o->cust[twin].twin;
        c->type = o->cust[twin].type;
    } else {
        kn_rng r;
        c->twin = id;
        traits_stream(o, id, &r);
        c->type = draw_type(sc, kn_rng_uniform(&r));
    }
    c->made = 1;
    kn_org_risk(o, day * DAY);
    o->known[c->type]++;
    c->s = c->loyalty = sc->customers.initial_satisfaction;
    o->s_sum += c->s;
    o->l_sum += c->loyalty;
    c->belief = sc->customers.claim_prior;
    c->joined = day;
    c->left = INFINITY;
    c->pos = (int32_t)o->n_active;
    o->active[o->n_active++] = id;
    o->n_cust++;
    return c->type;
}

void kn_cust_remove(kn_org *o, int32_t id, double t, int banned)
{
    kn_cust *c = kn_cust_at(o, id);
    if (c->pos < 0)
        return;
    kn_org_risk(o, t);
    int32_t last = o->active[o->n_active - 1];
    o->active[c->pos] = last;
    kn_cust_at(o, last)->pos = c->pos;
    o->n_active--;
    o->known[c->type]--; /* he was seen: his type is drawn */
    o->s_sum -= c->s;
    o->l_sum -= c->loyalty;
    c->pos = -1;
    c->left = t / DAY;
    c->banned = (uint8_t)banned;
    KN_ADD(o, t, churned[c->type], 1.0);
    if (banned) {
        KN_ADD(o, t, banned, 1.0);
        KN_ADD(o, t, banned_rude, c->type == KN_RUDE ? 1.0 : 0.0);
        kn_market_word(o, KN_WORD_BANNED, t); /* he talks, and it may go public */
    } else if (kn_market_lost(o, id) < 0) {
        o->failed = 1;
    }
}

void kn_cust_incident(kn_org *o, int32_t id, double t)
{
    if (id < 0)
        return;
    kn_cust *c = kn_cust_at(o, id);
    c->incidents++;
    int n = o->sc->policy.ban_after_incidents;
    if (o->effects && n > 0 && c->incidents >= (uint32_t)n && c->pos >= 0)
        kn_cust_remove(o, id, t, 1);
}

/* ---- who visits --------------------------------------------------------------------- */

static size_t pick_index(const kn_org *o, double u)
{
    size_t i = (size_t)(u * (double)o->n_active);
    return i < o->n_active ? i : o->n_active - 1;
}

/* The identity of each visit is drawn two visits ahead (the same draws, in the same
 * order, so nothing changes but the timing): at each pick, the active list's entry of
 * the visit after next is requested from memory, and the record of the next visit's
 * customer, whose entry came in since the last pick. In a base of millions a visit then
 * does not wait for two cache misses in a row. */
int32_t kn_cust_pick(kn_org *o)
{
    if (o->n_active == 0)
        return -1;
    if (!o->has_pick) {
        o->pick_u[0] = kn_rng_uniform(&o->rng_id);
        o->pick_u[1] = kn_rng_uniform(&o->rng_id);
        o->has_pick = 1;
    }
    int32_t id = o->active[pick_index(o, o->pick_u[0])];
    o->pick_u[0] = o->pick_u[1];
    o->pick_u[1] = kn_rng_uniform(&o->rng_id);
    __builtin_prefetch(&o->active[pick_index(o, o->pick_u[1])]);
    __builtin_prefetch(&o->cust[o->active[pick_index(o, o->pick_u[0])]]);
    kn_cust_ready(o, id);
    return id;
}

/* ---- after a visit ------------------------------------------------------------------- */

void kn_cust_visit(kn_org *o, const kn_customer *cu, int slot, const double parts[4],
                   int at_fault, int abusive, int defect, double wait, double t)
{
    const kn_scenario *sc = o->sc;
    int32_t id = cu->who;
    double q = parts[0] + parts[1] + parts[2] + parts[3];
    int valuable = id >= 0 && kn_cust_valuable(sc, &o->cust[id]);
    kn_org_acc *acc[3];
    for (int i = 0, n = kn_org_accs(o, t, acc); i < n; i++) { /* one lookup for the sums */
        acc[i]->visits += 1.0;
        acc[i]->repeats += cu->attempt > 0;
        acc[i]->q_sum += q;
        acc[i]->q_res += parts[0];
        acc[i]->q_court += parts[1];
        acc[i]->q_wait += parts[2];
        acc[i]->q_repeat += parts[3];
        if (valuable) {
            acc[i]->wait_valuable += wait;
            acc[i]->n_valuable += 1.0;
        } else {
            acc[i]->wait_others += wait;
            acc[i]->n_others += 1.0;
        }
    }
    if (id < 0)
        return;
    kn_cust *c = &o->cust[id];
    double s_prev = c->s, l_prev = c->loyalty, k = sc->customers.learning;
    c->visits++;
    kn_cust_set(o, c, c->s + k * (q - c->s), c->loyalty + k * (q - c->loyalty));
    if (!o->effects)
        return;
    double u = kn_rng_uniform(&o->rng_enc); /* one draw: complaint or claim, churn, offer */
    double qs = sc->customers.dissatisfied_below;
    if (q < qs) {
        double severity = (qs - q) / qs;
        double p = sc->customers.complain_min +
                   (sc->customers.complain_max - sc->customers.complain_min) * severity * severity;
        if (kn_rng_split(&u, p))
            kn_org_complaint(o, id, slot, 1, at_fault, abusive, defect, s_prev, l_prev, t);
    } else if (c->type == KN_EXPLOITATIVE &&
               kn_rng_split(&u, kn_org_claim_probability(sc, c->belief, c->visits - 1))) {
        kn_org_complaint(o, id, slot, 0, 0, abusive, 0, s_prev, l_prev, t);
    }
    if (c->pos < 0)
        return; /* banned */
    if (kn_rng_split(&u, kn_org_churn_probability(sc, c->loyalty))) {
        kn_cust_remove(o, id, t, 0);
        return;
    }
    /* Fader: a valuable customer at risk may get an offer to stay */
    if (kn_cust_valuable(sc, c) && c->loyalty < sc->policy.at_risk_below &&
        kn_rng_split(&u, sc->policy.retention_effort)) {
        KN_ADD(o, t, retention_cost, sc->policy.retention_offer);
        kn_cust_set(o, c, c->s, c->loyalty + sc->customers.retention_effect * (1.0 - c->loyalty));
    }
}

int kn_cust_repeat(kn_org *o, const kn_customer *cu, uint8_t kind, double t)
{
    const kn_scenario *sc = o->sc;
    if (!o->effects || cu->who < 0 || o->cust[cu->who].pos < 0 ||
        cu->attempt >= sc->customers.repeat_max)
        return 0;
    double u = kn_rng_uniform(&o->rng_repeat);
    if (!kn_rng_split(&u, sc->customers.repeat_probability))
        return 0;
    /* at least the next day, in open hours, following the day's profile of arrivals */
    double days = ceil(-sc->customers.repeat_days * log(kn_rng_uniform(&o->rng_repeat)));
    int h = 0;
    while (h < KN_HOURS_PER_DAY - 1 && u >= o->hour_cdf[h])
        h++;
    double lo = h ? o->hour_cdf[h - 1] : 0.0, w = o->hour_cdf[h] - lo;
    double in_hour = w > 0.0 ? (u - lo) / w : 0.5; /* u is uniform again inside hour h */
    kn_customer r = *cu;
    r.arrival = (floor(t / DAY) + (days < 1.0 ? 1.0 : days)) * DAY + 60.0 * ((double)h + in_hour);
    r.patience = kn_sampler_draw(&o->desk->patience, &o->rng_repeat_pat) * sc->customers.repeat_patience;
    r.attempt = (uint8_t)(cu->attempt + 1);
    r.kind = kind;
    r.cls = 0;
    return kn_desk_schedule(o->desk, &r) < 0 ? -1 : 0;
}
