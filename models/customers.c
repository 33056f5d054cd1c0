/* customers.c - the customer base: customers with identity who join, visit, learn from
 * each visit, complain or claim, churn, are banned, and bring others by word of mouth
 * (docs/model.md sections 2.2, 2.6-2.8). Draws: CUSTOMER (type, value, tenure, newcomers),
 * IDENTITY (who visits), ENCOUNTER (complaint, claim, churn). */
#include <stdlib.h>
#include <string.h>
#include "org_internal.h"

/* Room for one more element in array p of *cap elements of `size` bytes, n of them in
 * use: p itself, or p moved to a doubled allocation; NULL on failure (p is kept). */
void *kn_grow(void *p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return p;
    size_t ncap = *cap ? *cap * 2 : 1024;
    void *q = realloc(p, ncap * size);
    if (q)
        *cap = ncap;
    return q;
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
    double u = kn_rng_uniform(&o->rng_cust);
    c->type = u < sc->customers.mix_rude ? KN_RUDE
              : u < sc->customers.mix_rude + sc->customers.mix_exploitative ? KN_EXPLOITATIVE
                                                                             : KN_POLITE;
    c->value = sc->customers.value_per_visit <= 0.0 ? 0.0
               : o->value_sigma > 0.0 ? exp(o->value_mu + o->value_sigma * kn_rng_normal(&o->rng_cust))
                                    : sc->customers.value_per_visit;
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
    kn_cust *c = &o->cust[id];
    if (c->pos < 0)
        return;
    int32_t last = o->active[o->n_active - 1];
    o->active[c->pos] = last;
    o->cust[last].pos = c->pos;
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
    kn_cust *c = &o->cust[id];
    c->incidents++;
    int n = o->sc->policy.ban_after_incidents;
    if (o->effects && n > 0 && c->incidents >= (uint32_t)n && c->pos >= 0)
        kn_cust_remove(o, id, t, 1);
}

int32_t kn_cust_pick(kn_org *o)
{
    if (o->n_active == 0)
        return -1;
    size_t i = (size_t)(kn_rng_uniform(&o->rng_id) * (double)o->n_active);
    return o->active[i < o->n_active ? i : o->n_active - 1];
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
