/* market.c - where new customers come from and where lost ones go (docs/model.md
 * section 2.8): a finite market of potential customers shared with a rival whose
 * service level is a scenario key; acquisition from the part not yet won, scaled by
 * the base's loyalty against the rival's level; word of mouth that customers with a
 * grievance (banned, rejected, cut off, answered uncivilly) and customers whose
 * complaint was upheld spread, reaching acquisition over weeks; incidents that go
 * public and cut acquisition while they are news; former customers the rival may give
 * back. Draws: CUSTOMER (the number of newcomers), MARKET (incidents in public, who of
 * the newcomers is a former customer). */
#include "bigarray.h"
#include "org_internal.h"

void kn_market_word(kn_org *o, kn_word what, double t)
{
    const kn_scenario *sc = o->sc;
    if (!o->effects)
        return;
    double reach = what == KN_WORD_PRAISE ? -sc->backlash.reach_positive
                   : what == KN_WORD_BANNED ? sc->backlash.reach_banned
                                            : sc->backlash.reach;
    if (reach >= 0.0)
        o->wom_neg += reach * sc->backlash.persuasion;
    else
        o->wom_pos -= reach * sc->backlash.persuasion;
    if ((what == KN_WORD_CUT_OFF || what == KN_WORD_BANNED) &&
        kn_rng_uniform(&o->rng_market) < sc->backlash.public_share) {
        double until = t + sc->backlash.public_weeks * WEEK_DAYS * DAY;
        if (until > o->public_until)
            o->public_until = until;
        KN_ADD(o, t, public_incidents, 1.0);
    }
}

int kn_market_lost(kn_org *o, int32_t id)
{
    if (isinf(o->market))
        return 0; /* an unlimited market: nobody is won back */
    int32_t *nf = kn_grow(o->former, &o->cap_former, o->n_former, sizeof *nf);
    if (!nf)
        return -1;
    o->former = nf;
    o->former[o->n_former++] = id;
    kn_rec(o, id)->former = 1;
    return 0;
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

int kn_market_acquire(kn_org *o, double t, double l_sum)
{
    const kn_scenario *sc = o->sc;
    if (!o->effects || o->n_active == 0)
        return 0;
    double prospects = o->market - (double)o->n_active;
    double prospects0 = o->market - (double)o->base;
    double room = isinf(o->market) ? 1.0 : prospects0 > 0.0 && prospects > 0.0 ? prospects / prospects0 : 0.0;
    double public_factor = t < o->public_until ? 1.0 - sc->backlash.public_hit : 1.0;
    double expect = kn_org_acquisition(sc, l_sum / (double)o->n_active, prospects, prospects0, public_factor);
    /* word of mouth on its way: a share reaches today's choices */
    double share = 1.0 - exp(-1.0 / (sc->backlash.weeks * WEEK_DAYS));
    double gain = o->wom_pos * share, loss = o->wom_neg * share;
    o->wom_pos -= gain;
    o->wom_neg -= loss;
    gain *= room; /* both counted gross: praise and grievances do not cancel in the metrics */
    loss *= room;
    KN_ADD(o, t, wom_gain, gain);
    KN_ADD(o, t, wom_loss, loss);
    expect += gain - loss;
    KN_ADD(o, t, acquisition, expect > 0.0 ? expect : 0.0);
    long n = poisson(&o->rng_cust, expect);
    for (long i = 0; i < n; i++) {
        int32_t twin = -1;
        /* a newcomer is a former customer with the share of them among the prospects */
        if (o->n_former > 0 && prospects > 0.0 &&
            kn_rng_uniform(&o->rng_market) < (double)o->n_former / prospects) {
            size_t j = (size_t)(kn_rng_uniform(&o->rng_market) * (double)o->n_former);
            j = j < o->n_former ? j : o->n_former - 1;
            twin = o->former[j];
            o->former[j] = o->former[--o->n_former];
            kn_rec(o, twin)->former = 0;
            KN_ADD(o, t, won_back, 1.0);
        }
        int type = kn_cust_add(o, t / DAY, twin);
        if (type < 0)
            return -1;
        KN_ADD(o, t, new_c[type], 1.0);
    }
    return 0;
}
