/* customers.c - the customer base: customers with identity who join, visit, learn from
 * each visit, complain or claim, churn, are banned, and bring others by word of mouth
 * (docs/model.md sections 2.2, 2.6-2.8). Draws: TRAITS (each customer's type, value,
 * tenure, by his index), CUSTOMER (the number of newcomers), IDENTITY (who visits),
 * ENCOUNTER (complaint, claim, churn). */
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

/* Customer id's traits: blocks 2 id and 2 id + 1 of the TRAITS stream, so that customer
 * number id has the same traits under every policy compared on common random numbers,
 * whenever he joins and however many others joined before him. A newcomer's type is
 * drawn when he joins (it is counted); everything else, and everything about a customer
 * of the initial base, at his first visit: most customers of a large base never visit
 * within the horizon, and drawing nothing for them keeps the cost per visit flat in the
 * size of the base. */
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

/* The traits drawn at the first visit: value per visit, and for a customer of the
 * initial base his past visits (an exponential tenure). */
static void materialise(kn_org *o, int32_t id)
{
    const kn_scenario *sc = o->sc;
    kn_cust *c = &o->cust[id];
    kn_rng r;
    traits_stream(o, id, &r);
    c->type = draw_type(sc, kn_rng_uniform(&r));
    double n = kn_rng_normal(&r), tenure = kn_rng_exponential(&r, 1.0);
    c->value = sc->customers.value_per_visit <= 0.0 ? 0.0
               : o->value_sigma > 0.0 ? exp(o->value_mu + o->value_sigma * n)
                                    : sc->customers.value_per_visit;
    if (id < o->base) /* the initial base has a history */
        c->visits += (uint32_t)fmin(1e9, floor(tenure * sc->customers.initial_tenure_years *
                                              o->visits_per_year));
    c->ready = 1;
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
    c->made = 1;
    o->made_ids[o->n_made++] = id; /* room for the whole base was reserved */
}

const kn_cust *kn_org_customer(kn_org *o, int32_t id)
{
    kn_cust *c = kn_cust_at(o, id);
    if (!c->ready)
        materialise(o, id);
    return c;
}

int kn_cust_add(kn_org *o, double day)
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
    kn_cust *c = &o->cust[o->n_cust];
    memset(c, 0, sizeof *c);
    kn_rng r;
    traits_stream(o, (int32_t)o->n_cust, &r);
    c->type = draw_type(sc, kn_rng_uniform(&r));
    c->made = 1;
    c->s = c->loyalty = sc->customers.initial_satisfaction;
    o->s_sum += c->s;
    o->l_sum += c->loyalty;
    c->belief = sc->customers.claim_prior;
    c->joined = day;
    c->left = INFINITY;
    c->pos = (int32_t)o->n_active;
    o->active[o->n_active++] = (int32_t)o->n_cust;
    o->n_cust++;
    return c->type;
}

void kn_cust_remove(kn_org *o, int32_t id, double t, int banned)
{
    kn_cust *c = kn_cust_at(o, id);
    if (c->pos < 0)
        return;
    int32_t last = o->active[o->n_active - 1];
    o->active[c->pos] = last;
    kn_cust_at(o, last)->pos = c->pos;
    o->n_active--;
    o->s_sum -= c->s;
    o->l_sum -= c->loyalty;
    c->pos = -1;
    c->left = t / DAY;
    c->banned = (uint8_t)banned;
    KN_ADD(o, t, churned[c->type], 1.0);
    if (banned)
        KN_ADD(o, t, banned, 1.0);
}

/* A recorded incident; ban at the policy's threshold. */
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
    if (!kn_cust_at(o, id)->ready)
        materialise(o, id);
    return id;
}

/* The customer side of a visit of perceived quality q. */
void kn_cust_visit(kn_org *o, int32_t id, int slot, const double parts[3], int at_fault,
                          double t)
{
    const kn_scenario *sc = o->sc;
    double q = parts[0] + parts[1] + parts[2];
    kn_org_acc *acc[3];
    for (int i = 0, n = kn_org_accs(o, t, acc); i < n; i++) { /* one lookup for the five sums */
        acc[i]->visits += 1.0;
        acc[i]->q_sum += q;
        acc[i]->q_res += parts[0];
        acc[i]->q_court += parts[1];
        acc[i]->q_wait += parts[2];
    }
    if (id < 0)
        return;
    kn_cust *c = &o->cust[id];
    double s_prev = c->s, l_prev = c->loyalty, k = sc->customers.learning;
    c->visits++;
    kn_cust_set(o, c, c->s + k * (q - c->s), c->loyalty + k * (q - c->loyalty));
    if (!o->effects)
        return;
    double u = kn_rng_uniform(&o->rng_enc); /* one draw: complaint or claim, then churn */
    double qs = sc->customers.dissatisfied_below;
    if (q < qs) {
        double severity = (qs - q) / qs;
        double p = sc->customers.complain_min +
                   (sc->customers.complain_max - sc->customers.complain_min) * severity * severity;
        if (kn_rng_split(&u, p))
            kn_org_complaint(o, id, slot, 1, at_fault, s_prev, l_prev, t);
    } else if (c->type == KN_EXPLOITATIVE &&
               kn_rng_split(&u, kn_org_claim_probability(sc, c->belief, c->visits - 1))) {
        kn_org_complaint(o, id, slot, 0, 0, s_prev, l_prev, t);
    }
    if (c->pos < 0)
        return; /* banned */
    double churn = sc->customers.churn_base + sc->customers.churn_loyalty * kn_sq(1.0 - c->loyalty);
    if (kn_rng_split(&u, churn))
        kn_cust_remove(o, id, t, 0);
}

static long poisson(kn_rng *r, double mean)
{
    if (!(mean > 0.0))
        return 0;
    if (mean > 500.0) { /* normal approximation, far beyond the defaults */
        double x = mean + sqrt(mean) * kn_rng_normal(r);
        return x < 0.0 ? 0 : (long)floor(x + 0.5);
    }
    double l = exp(-mean), p = 1.0;
    long n = -1;
    do {
        n++;
        p *= kn_rng_uniform(r);
    } while (p > l);
    return n;
}

/* Word of mouth: new customers follow the base's loyalty (not satisfaction, which a
 * recovery can lift: de Matos et al. 2007 find no recovery paradox for word of mouth). */
int kn_cust_acquire(kn_org *o, double t, double l_sum)
{
    const kn_scenario *sc = o->sc;
    if (!o->effects || o->n_active == 0)
        return 0;
    double mean_l = l_sum / (double)o->n_active;
    double expect = sc->customers.acquisition_per_day * (double)o->base *
                    exp(sc->customers.word_of_mouth * (mean_l - sc->customers.initial_satisfaction));
    long n = poisson(&o->rng_cust, expect);
    for (long i = 0; i < n; i++) {
        int type = kn_cust_add(o, t / DAY);
        if (type < 0)
            return -1;
        KN_ADD(o, t, new_c[type], 1.0);
    }
    return 0;
}
