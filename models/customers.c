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

static void materialise(kn_org *o, kn_cust *c)
{
    const kn_scenario *sc = o->sc;
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
    if (c->id < o->base) /* the initial base has a history */
        c->visits += (uint32_t)fmin(1e9, floor(tenure * sc->customers.initial_tenure_years *
                                              o->visits_per_year));
    c->propensity = c->type == KN_RUDE ? sc->customers.abuse_probability : sc->customers.abuse_polite;
    c->u_first = (float)u_first;
    c->ready = 1;
    if (c->pos >= 0 && c->id < o->base) /* a newcomer's type was known when he joined */
        o->known[c->type]++;
}

/* ---- records ------------------------------------------------------------------------ */

/* The type of newcomer number id: the first draw of his traits. */
static uint8_t newcomer_type(const kn_org *o, int32_t id)
{
    kn_rng r;
    traits_stream(o, id, &r);
    return draw_type(o->sc, kn_rng_uniform(&r));
}

/* The run of newcomers that number id (>= base) joined with. */
static const kn_join *join_of(const kn_org *o, int32_t id)
{
    size_t lo = 0, hi = o->n_joins; /* the last run that starts at or before id */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (o->joins[mid].id <= id)
            lo = mid;
        else
            hi = mid;
    }
    return &o->joins[lo];
}

/* A record for customer number id, active in position pos since day `joined`, as he
 * joined (the type of a customer of the initial base is drawn with his traits); -1 if
 * memory ran out (o->failed is set). */
static int32_t make(kn_org *o, int32_t id, int32_t pos, double joined)
{
    const kn_scenario *sc = o->sc;
    if (o->n_rec == o->n_chunks * KN_REC_CHUNK) {
        kn_cust **t = kn_grow(o->rec, &o->cap_chunks, o->n_chunks, sizeof *t);
        kn_cust *chunk = t ? kn_big_alloc(KN_REC_CHUNK * sizeof *chunk) : NULL;
        if (t)
            o->rec = t;
        if (!chunk) {
            o->failed = 1;
            return -1;
        }
        o->rec[o->n_chunks++] = chunk;
    }
    int32_t r = (int32_t)o->n_rec++;
    kn_cust *c = kn_rec(o, r); /* all zeros */
    c->s = c->loyalty = sc->customers.initial_satisfaction;
    c->belief = sc->customers.claim_prior;
    c->joined = joined;
    c->left = INFINITY;
    c->id = id;
    c->pos = pos;
    c->twin = id;
    if (id >= o->base)
        c->type = newcomer_type(o, id);
    if (o->rec_of)
        o->rec_of[id] = r + 1;
    o->active[pos] = r + 1;
    return r;
}

/* The index by number, made at the first look-up by number (kn_org_customer: tests and
 * inspection; the model itself never needs it) and kept from then on. */
static int index_by_number(kn_org *o)
{
    if (o->rec_of)
        return 0;
    size_t cap = o->cap_active > o->n_cust ? o->cap_active : o->n_cust + 1024;
    o->rec_of = kn_big_alloc(cap * sizeof *o->rec_of);
    if (!o->rec_of) {
        o->failed = 1;
        return -1;
    }
    o->cap_rec_of = cap;
    for (size_t r = 0; r < o->n_rec; r++)
        o->rec_of[kn_rec(o, (int32_t)r)->id] = (int32_t)r + 1;
    return 0;
}

/* A record for customer number id, who has none, in position pos. */
static int32_t make_unrecorded(kn_org *o, int32_t id, int32_t pos)
{
    return make(o, id, pos, id < o->base ? 0.0 : join_of(o, id)->day);
}

/* The record of the active customer in position pos, made if he has none (-1: memory
 * ran out). */
static int32_t record_at(kn_org *o, size_t pos)
{
    int32_t v = o->active[pos];
    if (v > 0)
        return v - 1;
    return make_unrecorded(o, v == 0 ? (int32_t)pos : -1 - v, (int32_t)pos);
}

kn_cust *kn_cust_ready(kn_org *o, int32_t r)
{
    kn_cust *c = kn_rec(o, r);
    if (!c->ready)
        materialise(o, c);
    return c;
}

const kn_cust *kn_org_customer(kn_org *o, int32_t id)
{
    if (index_by_number(o) < 0)
        return NULL;
    int32_t r = o->rec_of[id] - 1;
    if (r < 0) { /* no record: he is where he joined */
        const kn_join *j = id < o->base ? NULL : join_of(o, id);
        r = make_unrecorded(o, id, j ? j->pos + (id - j->id) : id);
        if (r < 0)
            return NULL;
    }
    return kn_cust_ready(o, r);
}

int32_t kn_org_active_id(const kn_org *o, size_t pos)
{
    int32_t v = o->active[pos];
    return v > 0 ? kn_rec(o, v - 1)->id : v == 0 ? (int32_t)pos : -1 - v;
}

/* ---- joining and leaving ------------------------------------------------------------ */

int kn_cust_add(kn_org *o, double day, int32_t twin)
{
    int32_t *na = kn_grow(o->active, &o->cap_active, o->n_active, sizeof *na);
    if (!na)
        return -1;
    o->active = na;
    if (o->rec_of) {
        int32_t *nr = kn_grow(o->rec_of, &o->cap_rec_of, o->n_cust, sizeof *nr);
        if (!nr)
            return -1;
        o->rec_of = nr;
    }
    kn_join *nj = kn_grow(o->joins, &o->cap_joins, o->n_joins, sizeof *nj);
    if (!nj)
        return -1;
    o->joins = nj;
    const kn_scenario *sc = o->sc;
    int32_t id = (int32_t)o->n_cust, pos = (int32_t)o->n_active;
    kn_join *j = o->n_joins ? &o->joins[o->n_joins - 1] : NULL;
    if (j && j->day == day && j->id + j->n == id && j->pos + j->n == pos)
        j->n++;
    else
        o->joins[o->n_joins++] = (kn_join){id, pos, 1, day};
    uint8_t type;
    if (twin >= 0) { /* a former customer won back: who he was, a new relationship */
        int32_t who = kn_rec(o, twin)->twin;
        type = kn_rec(o, twin)->type;
        int32_t r = make(o, id, pos, day);
        if (r < 0)
            return -1;
        kn_rec(o, r)->twin = who;
        kn_rec(o, r)->type = type;
    } else { /* a new person: no record until he is needed */
        type = newcomer_type(o, id);
        o->active[pos] = -1 - id;
    }
    kn_org_risk(o, day * DAY);
    o->known[type]++;
    o->s_sum += sc->customers.initial_satisfaction;
    o->l_sum += sc->customers.initial_satisfaction;
    o->n_active++;
    o->n_cust++;
    return type;
}

void kn_cust_remove(kn_org *o, int32_t r, double t, int banned)
{
    kn_cust *c = kn_rec(o, r);
    if (c->pos < 0)
        return;
    /* the customer in the last position takes his place: he needs a record to say where */
    int32_t last = record_at(o, o->n_active - 1);
    if (last < 0)
        return;
    kn_org_risk(o, t);
    o->active[c->pos] = last + 1;
    kn_rec(o, last)->pos = c->pos;
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
    } else if (kn_market_lost(o, r) < 0) {
        o->failed = 1;
    }
}

void kn_cust_incident(kn_org *o, int32_t r, double t)
{
    if (r < 0)
        return;
    kn_cust *c = kn_rec(o, r);
    c->incidents++;
    int n = o->sc->policy.ban_after_incidents;
    if (o->effects && n > 0 && c->incidents >= (uint32_t)n && c->pos >= 0)
        kn_cust_remove(o, r, t, 1);
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
    size_t pos = pick_index(o, o->pick_u[0]);
    o->pick_u[0] = o->pick_u[1];
    o->pick_u[1] = kn_rng_uniform(&o->rng_id);
    __builtin_prefetch(&o->active[pick_index(o, o->pick_u[1])]);
    int32_t next = o->active[pick_index(o, o->pick_u[0])];
    if (next > 0)
        __builtin_prefetch(kn_rec(o, next - 1));
    int32_t r = record_at(o, pos);
    if (r >= 0)
        kn_cust_ready(o, r);
    return r;
}

/* ---- after a visit ------------------------------------------------------------------- */

void kn_cust_visit(kn_org *o, const kn_customer *cu, int slot, const double parts[4],
                   int at_fault, int abusive, int defect, double wait, double t)
{
    const kn_scenario *sc = o->sc;
    int32_t id = cu->who;
    double q = parts[0] + parts[1] + parts[2] + parts[3];
    int valuable = id >= 0 && kn_cust_valuable(sc, kn_rec(o, id));
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
    kn_cust *c = kn_rec(o, id);
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
    if (!o->effects || cu->who < 0 || kn_rec(o, cu->who)->pos < 0 ||
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
